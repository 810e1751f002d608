/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// A middlebox that rewrites what it forwards, through a divert socket.
//
//   h0 (10.1.1.1) ------ router (10.1.1.2 | 10.1.2.1) ------ h1 (10.1.2.2)
//   plain stack          divert stack                        plain stack
//                        ipchains -A forward -p udp -j DIVERT 8000
//                        DivertInterceptor on port 8000
//
// h0 sends UDP datagrams to h1. The router diverts each one to a
// DivertInterceptor whose verdict function upper-cases the payload
// ("hello" -> "HELLO") and sends the modified datagram back.
//
// ns-3 checksums are on, so h1's UDP layer checks the UDP checksum. The
// divert stack fixes the IP header checksum of what a divert socket sends,
// never the UDP one (SPEC §4): the middlebox must recompute it. With
// --fixChecksum=0 it does not, and h1 drops every datagram.
//
// Run: divert-mangling-middlebox [--message=TEXT] [--count=N] [--fixChecksum=0|1]

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cctype>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
bool g_fixChecksum = true;
uint32_t g_received = 0;
uint32_t g_deliveredToUdp = 0;

std::string
Now()
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(4) << Simulator::Now().GetSeconds() << "s  ";
    return os.str();
}

std::string
Text(Ptr<const Packet> p)
{
    std::string s(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(&s[0]), s.size());
    return s;
}

/// The UDP checksum field of a whole IPv4 datagram (20-byte header, as ns-3 writes it).
uint16_t
UdpChecksumField(Ptr<const Packet> datagram)
{
    uint8_t bytes[28];
    datagram->CopyData(bytes, sizeof(bytes));
    return (bytes[26] << 8) | bytes[27];
}

DivertInterceptor::Verdict
UpperCase(Ptr<const Packet> diverted, const Address& from)
{
    Ptr<Packet> copy = diverted->Copy();
    Ipv4Header ip;
    copy->RemoveHeader(ip);
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || ip.GetFragmentOffset() != 0 ||
        !ip.IsLastFragment())
    {
        return {}; // not a whole UDP datagram: pass it unchanged
    }
    UdpHeader udp;
    copy->RemoveHeader(udp);
    std::string text = Text(copy);
    std::string upper = text;
    for (auto& c : upper)
    {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }

    Ptr<Packet> out = Create<Packet>(reinterpret_cast<const uint8_t*>(upper.data()), upper.size());
    // A deserialised UdpHeader re-emits what it read: its checksum (unless
    // forced to 0) and, as length, the payload size it computed (8 bytes
    // short). Zero both so that Serialize computes them from the new bytes.
    udp.ForcePayloadSize(0);
    if (g_fixChecksum)
    {
        udp.ForceChecksum(0);
        udp.EnableChecksums();
        udp.InitializeChecksum(ip.GetSource(), ip.GetDestination(), UdpL4Protocol::PROT_NUMBER);
    }
    out->AddHeader(udp);
    out->AddHeader(ip); // the divert stack fixes the IP header checksum and length

    std::cout << Now() << "router diverted \"" << text << "\", sends back \"" << upper
              << "\"  UDP checksum 0x" << std::hex << std::setw(4) << std::setfill('0')
              << UdpChecksumField(diverted) << " -> 0x" << std::setw(4) << UdpChecksumField(out)
              << std::dec << std::setfill(' ') << (g_fixChecksum ? "" : " (stale)") << std::endl;
    return {DivertInterceptor::MODIFY, out};
}

void
Send(Ptr<Socket> socket, Ipv4Address to, std::string message)
{
    std::cout << Now() << "h0 sends \"" << message << "\" to " << to << ":9" << std::endl;
    socket->SendTo(Create<Packet>(reinterpret_cast<const uint8_t*>(message.data()), message.size()),
                   0,
                   InetSocketAddress(to, 9));
}

void
Receive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        g_received++;
        std::cout << Now() << "h1 received \"" << Text(p) << "\" from "
                  << InetSocketAddress::ConvertFrom(from).GetIpv4() << std::endl;
    }
}

/// h1's IP layer hands a datagram to UDP (before UDP checks its checksum).
void
LocalDeliver(const Ipv4Header& header, Ptr<const Packet> p, uint32_t iif)
{
    if (header.GetProtocol() == UdpL4Protocol::PROT_NUMBER)
    {
        g_deliveredToUdp++;
    }
}
} // namespace

int
main(int argc, char* argv[])
{
    std::string message = "hello";
    uint32_t count = 3;
    CommandLine cmd(__FILE__);
    cmd.AddValue("message", "UDP payload h0 sends (one word)", message);
    cmd.AddValue("count", "Number of datagrams", count);
    cmd.AddValue("fixChecksum", "The middlebox recomputes the UDP checksum", g_fixChecksum);
    cmd.Parse(argc, argv);

    // Real checksums everywhere: h1 drops a UDP datagram whose checksum is wrong.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    NodeContainer nodes;
    nodes.Create(3);
    InternetStackHelper plain;
    plain.SetIpv6StackInstall(false);
    plain.Install(nodes.Get(0));
    plain.Install(nodes.Get(2));
    DivertStackHelper divert;
    divert.SetIpv6StackInstall(false);
    divert.Install(nodes.Get(1));

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer left = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer right = p2p.Install(nodes.Get(1), nodes.Get(2));
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    addresses.Assign(left);
    addresses.SetBase("10.1.2.0", "255.255.255.0");
    Ipv4InterfaceContainer rightIf = addresses.Assign(right);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    const std::string rule = "-A forward -p udp -j DIVERT 8000";
    Ipchains::Result r = DivertStackHelper::GetStack(nodes.Get(1))->GetFirewall()->Execute(rule);
    NS_ABORT_MSG_UNLESS(r.ok, "ipchains " << rule << ": " << r.error);
    std::cout << "router: ipchains " << rule << "  (interceptor upper-cases UDP payloads, "
              << (g_fixChecksum ? "fixes" : "does NOT fix") << " the UDP checksum)\n";

    DivertInterceptorHelper interceptorHelper(8000);
    interceptorHelper.SetVerdictCallback(MakeCallback(&UpperCase));
    ApplicationContainer apps = interceptorHelper.Install(nodes.Get(1));
    Ptr<DivertInterceptor> interceptor = DynamicCast<DivertInterceptor>(apps.Get(0));

    Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(2), UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink->SetRecvCallback(MakeCallback(&Receive));
    nodes.Get(2)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "LocalDeliver",
        MakeCallback(&LocalDeliver));

    Ptr<Socket> source = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
    source->Bind();
    for (uint32_t i = 0; i < count; i++)
    {
        Simulator::Schedule(Seconds(1 + i), &Send, source, rightIf.GetAddress(1), message);
    }

    Simulator::Stop(Seconds(2 + count));
    Simulator::Run();

    DivertInterceptor::Counters c = interceptor->GetCounters();
    std::cout << "\nSummary: h0 sent " << count << ", router modified " << c.modified
              << ", h1's IP layer delivered " << g_deliveredToUdp << " to UDP, h1's socket got "
              << g_received << "\n";
    if (g_received < g_deliveredToUdp)
    {
        std::cout << "h1's UDP layer dropped " << g_deliveredToUdp - g_received
                  << " datagrams with a wrong checksum (run with --fixChecksum=1).\n";
    }
    Simulator::Destroy();
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The "pass-through" kernel option of the Divert Sockets mini-HOWTO: what
// happens to a packet that a DIVERT rule catches when no program listens on
// the divert port.
//
//   client (10.1.1.1) ------ host (10.1.1.2)
//     plain ns-3 stack         divert stack, UDP socket on port 9
//
// On the host:
//
//   ipchains -A input -p udp -d 10.1.1.2 9 -j DIVERT 1234   (nobody listens on 1234)
//   ipchains -A input -p udp -d 10.1.1.2 9                   (no target: only counts)
//
// The client sends the same UDP datagrams twice, in two separate runs:
// - PassThrough off (the default, Linux 2.2): the DIVERT rule drops every
//   datagram, as DENY would; divstat counts them as "no port".
// - PassThrough on: the datagrams go on as if the DIVERT rule had not
//   matched; the rule after it sees them and the UDP socket receives them.
//
// Run: divert-pass-through [--count=N] [--size=BYTES]

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>

using namespace ns3;

namespace
{
/// What one run observed.
struct Outcome
{
    uint32_t delivered{0};                   //!< datagrams the host's UDP socket received
    DivertIpv4L3Protocol::DivertStats stats; //!< the host's divstat counters
    uint64_t divertRuleHits{0};              //!< packets the DIVERT rule matched
    uint64_t nextRuleHits{0};                //!< packets that reached the rule after it
};

uint32_t g_delivered = 0;

void
Receive(Ptr<Socket> socket)
{
    while (socket->Recv())
    {
        g_delivered++;
    }
}

void
SendDatagram(Ptr<Socket> socket, Ipv4Address to, uint32_t size)
{
    socket->SendTo(Create<Packet>(size), 0, InetSocketAddress(to, 9));
}

Outcome
RunOnce(bool passThrough, uint32_t count, uint32_t size)
{
    g_delivered = 0;
    NodeContainer nodes;
    nodes.Create(2);
    InternetStackHelper plain;
    plain.SetIpv6StackInstall(false);
    plain.Install(nodes.Get(0));
    DivertStackHelper divert;
    divert.SetIpv6StackInstall(false);
    divert.SetStackAttribute("PassThrough", BooleanValue(passThrough));
    divert.Install(nodes.Get(1));

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer devices = p2p.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(devices);

    Ptr<Ipchains> firewall = DivertStackHelper::GetStack(nodes.Get(1))->GetFirewall();
    for (const char* rule :
         {"-A input -p udp -d 10.1.1.2 9 -j DIVERT 1234", "-A input -p udp -d 10.1.1.2 9"})
    {
        Ipchains::Result r = firewall->Execute(rule);
        NS_ABORT_MSG_UNLESS(r.ok, "ipchains " << rule << ": " << r.error);
    }
    // Deliberately no divert socket on port 1234.

    Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(1), UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink->SetRecvCallback(MakeCallback(&Receive));

    Ptr<Socket> source = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
    source->Bind();
    for (uint32_t i = 0; i < count; i++)
    {
        Simulator::Schedule(Seconds(1 + 0.1 * i),
                            &SendDatagram,
                            source,
                            interfaces.GetAddress(1),
                            size);
    }

    Simulator::Stop(Seconds(2 + 0.1 * count));
    Simulator::Run();

    Outcome o;
    o.delivered = g_delivered;
    o.stats = DivertStackHelper::GetStack(nodes.Get(1))->GetDivertStats();
    o.divertRuleHits = firewall->GetRule("input", 1)->GetPackets();
    o.nextRuleHits = firewall->GetRule("input", 2)->GetPackets();
    Simulator::Destroy();
    return o;
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t count = 5;
    uint32_t size = 100;
    CommandLine cmd(__FILE__);
    cmd.AddValue("count", "UDP datagrams sent in each run", count);
    cmd.AddValue("size", "UDP payload bytes", size);
    cmd.Parse(argc, argv);

    std::cout << "host 10.1.1.2:  ipchains -A input -p udp -d 10.1.1.2 9 -j DIVERT 1234\n"
              << "                ipchains -A input -p udp -d 10.1.1.2 9    (counts only)\n"
              << "No program listens on divert port 1234. The client sends " << count
              << " UDP datagrams to 10.1.1.2:9 in each run.\n\n";

    std::cout << std::left << std::setw(13) << "PassThrough" << std::right << std::setw(6) << "sent"
              << std::setw(11) << "delivered" << std::setw(13) << "DIVERT rule" << std::setw(11)
              << "next rule" << std::setw(9) << "noPort" << std::setw(15) << "passedThrough"
              << "\n";
    for (bool passThrough : {false, true})
    {
        Outcome o = RunOnce(passThrough, count, size);
        std::cout << std::left << std::setw(13) << (passThrough ? "on" : "off") << std::right
                  << std::setw(6) << count << std::setw(11) << o.delivered << std::setw(13)
                  << o.divertRuleHits << std::setw(11) << o.nextRuleHits << std::setw(9)
                  << o.stats.noPort << std::setw(15) << o.stats.passedThrough << "\n";
    }
    std::cout
        << "\noff: DIVERT with no listener drops the packet, as DENY would (divstat noPort).\n"
        << "on:  the packet goes on with the next rule, as if DIVERT had not matched.\n";
    return 0;
}

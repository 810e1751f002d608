/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The Divert Sockets mini-HOWTO's example, in a simulation.
//
//   client (10.1.1.1) ------ host (10.1.1.2)
//
// On the host, two rules send every ICMP packet that comes in or goes out
// to divert port 1234:
//
//   ipchains -A input  -p icmp -j DIVERT 1234
//   ipchains -A output -p icmp -j DIVERT 1234
//
// A program on the host reads each packet from the divert socket, prints
// it, and writes it back unchanged. The client pings the host: the replies
// still come back, each request and reply having crossed the divert socket.
//
// Run: divert-howto-ping [--count=N] [--passThrough=0|1] [--listen=0|1]

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
uint32_t g_replies = 0;

void
PrintAndReinject(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> datagram = socket->RecvFrom(from))
    {
        Ptr<Packet> copy = datagram->Copy();
        Ipv4Header ip;
        copy->RemoveHeader(ip);
        Icmpv4Header icmp;
        copy->RemoveHeader(icmp);
        InetSocketAddress inet = InetSocketAddress::ConvertFrom(from);
        std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds()
                  << "s  diverted " << ip.GetSource() << " -> " << ip.GetDestination()
                  << "  icmp type " << uint32_t(icmp.GetType()) << "  " << datagram->GetSize()
                  << " bytes  (divert address " << inet.GetIpv4() << ")" << std::endl;
        socket->SendTo(datagram, 0, from);
    }
}

/// A minimal ping on a raw ICMP socket (ns-3.37's V4Ping lives in internet-apps).
void
SendEcho(Ptr<Socket> socket, Ipv4Address to, uint16_t seq)
{
    Icmpv4Echo echo;
    echo.SetIdentifier(1);
    echo.SetSequenceNumber(seq);
    uint8_t data[56] = {};
    echo.SetData(Create<Packet>(data, sizeof(data)));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(echo);
    Icmpv4Header icmp;
    icmp.SetType(Icmpv4Header::ICMPV4_ECHO);
    icmp.SetCode(0);
    p->AddHeader(icmp);
    socket->SendTo(p, 0, InetSocketAddress(to, 0));
    std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds()
              << "s  client sends echo request seq=" << seq << std::endl;
}

void
ReceiveEcho(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        Ipv4Header ip;
        p->RemoveHeader(ip);
        Icmpv4Header icmp;
        p->RemoveHeader(icmp);
        if (icmp.GetType() == Icmpv4Header::ICMPV4_ECHO_REPLY)
        {
            Icmpv4Echo echo;
            p->RemoveHeader(echo);
            g_replies++;
            std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds()
                      << "s  client got echo reply seq=" << echo.GetSequenceNumber() << " from "
                      << ip.GetSource() << std::endl;
        }
    }
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t count = 3;
    bool passThrough = false;
    bool listen = true;
    CommandLine cmd(__FILE__);
    cmd.AddValue("count", "Number of pings", count);
    cmd.AddValue("passThrough", "Kernel option: DIVERT with no listener passes", passThrough);
    cmd.AddValue("listen", "Run the program that listens on the divert port", listen);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(2);
    InternetStackHelper plain;
    plain.Install(nodes.Get(0));
    DivertStackHelper divert;
    divert.SetStackAttribute("PassThrough", BooleanValue(passThrough));
    divert.Install(nodes.Get(1));

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer devices = p2p.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(devices);

    Ptr<DivertIpv4L3Protocol> host = DivertStackHelper::GetStack(nodes.Get(1));
    for (const char* rule : {"-A input -p icmp -j DIVERT 1234", "-A output -p icmp -j DIVERT 1234"})
    {
        Ipchains::Result r = host->GetFirewall()->Execute(rule);
        if (!r.ok)
        {
            std::cerr << "ipchains " << rule << ": " << r.error << std::endl;
            return 1;
        }
        std::cout << "ipchains " << rule << std::endl;
    }

    Ptr<Socket> socket;
    if (listen)
    {
        socket = Socket::CreateSocket(nodes.Get(1), DivertSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 1234));
        socket->SetRecvCallback(MakeCallback(&PrintAndReinject));
    }

    Ptr<Socket> pinger = Socket::CreateSocket(nodes.Get(0), Ipv4RawSocketFactory::GetTypeId());
    pinger->SetAttribute("Protocol", UintegerValue(1));
    pinger->SetRecvCallback(MakeCallback(&ReceiveEcho));
    for (uint32_t i = 0; i < count; i++)
    {
        Simulator::Schedule(Seconds(1 + i), &SendEcho, pinger, interfaces.GetAddress(1), i);
    }

    Simulator::Stop(Seconds(2 + count));
    Simulator::Run();

    DivertIpv4L3Protocol::DivertStats s = host->GetDivertStats();
    std::cout << "\nSummary: " << count << " pings, " << g_replies << " replies\n"
              << "  divstat: delivered " << s.delivered << ", no port " << s.noPort
              << ", queue full " << s.queueFull << ", sent " << s.sent << " (reinjected "
              << s.reinjected << "), errors " << s.errors << "\n\n"
              << host->GetFirewall()->List("", true) << std::endl;
    Simulator::Destroy();
    return 0;
}

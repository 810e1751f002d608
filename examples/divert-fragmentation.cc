/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Fragments and divert sockets: the "always defragment" kernel option.
//
//   h0 (10.1.1.1) ------ router (10.1.1.2 | 10.1.2.1) ------ h1 (10.1.2.2)
//   plain stack   MTU 576  divert stack             MTU 576  divert stack, no rules
//                          ipchains -A forward -p udp -j DIVERT 8000
//                          DivertInterceptor on port 8000 (passes everything)
//
// h0 sends big UDP datagrams (4000 bytes of payload by default); both links
// have a small MTU, so each datagram leaves h0 as several fragments. The
// router diverts what it forwards and the interceptor sends it all back.
// The same traffic runs twice:
// - AlwaysDefragment off (default, Linux 2.2): every fragment walks the
//   chains on its own, so the divert socket receives fragments; h1
//   reassembles.
// - AlwaysDefragment on: the router reassembles before the firewall, the
//   divert socket receives whole datagrams, and the router fragments the
//   reinjected datagram again on the way out; h1 reassembles once more.
//
// Run: divert-fragmentation [--count=N] [--size=BYTES] [--mtu=BYTES]

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <string>

using namespace ns3;

namespace
{
/// What one run observed.
struct Outcome
{
    uint32_t divertedDatagrams{0};              //!< datagrams read from the divert socket
    uint32_t divertedFragments{0};              //!< of those, fragments (MF set or offset != 0)
    uint64_t divertedBytes{0};                  //!< their bytes, IPv4 header included
    uint32_t deliveredDatagrams{0};             //!< datagrams h1's UDP socket received
    uint64_t deliveredBytes{0};                 //!< their payload bytes
    Ipv4Reassembler::Counters routerReassembly; //!< the router's reassembler
    Ipv4Reassembler::Counters h1Reassembly;     //!< h1's reassembler
};

Outcome g_outcome;

DivertInterceptor::Verdict
Count(Ptr<const Packet> datagram, const Address& from)
{
    Ipv4Header ip;
    datagram->PeekHeader(ip);
    g_outcome.divertedDatagrams++;
    g_outcome.divertedBytes += datagram->GetSize();
    if (ip.GetFragmentOffset() != 0 || !ip.IsLastFragment())
    {
        g_outcome.divertedFragments++;
    }
    return {}; // PASS: send it back unchanged
}

void
Receive(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        g_outcome.deliveredDatagrams++;
        g_outcome.deliveredBytes += p->GetSize();
    }
}

void
SendDatagram(Ptr<Socket> socket, Ipv4Address to, uint32_t size)
{
    socket->SendTo(Create<Packet>(size), 0, InetSocketAddress(to, 9));
}

Outcome
RunOnce(bool alwaysDefragment, uint32_t count, uint32_t size, uint16_t mtu)
{
    g_outcome = Outcome();
    NodeContainer nodes;
    nodes.Create(3);
    InternetStackHelper plain;
    plain.SetIpv6StackInstall(false);
    plain.Install(nodes.Get(0));
    DivertStackHelper divert;
    divert.SetIpv6StackInstall(false);
    divert.SetStackAttribute("AlwaysDefragment", BooleanValue(alwaysDefragment));
    divert.Install(nodes.Get(1));
    // h1 gets the divert stack too (with no rules) only to read its reassembler's counters.
    divert.SetStackAttribute("AlwaysDefragment", BooleanValue(false));
    divert.Install(nodes.Get(2));

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(mtu));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer left = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer right = p2p.Install(nodes.Get(1), nodes.Get(2));
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    addresses.Assign(left);
    addresses.SetBase("10.1.2.0", "255.255.255.0");
    Ipv4InterfaceContainer rightIf = addresses.Assign(right);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    Ptr<DivertIpv4L3Protocol> router = DivertStackHelper::GetStack(nodes.Get(1));
    Ipchains::Result r = router->GetFirewall()->Execute("-A forward -p udp -j DIVERT 8000");
    NS_ABORT_MSG_UNLESS(r.ok, r.error);
    DivertInterceptorHelper interceptor(8000);
    interceptor.SetVerdictCallback(MakeCallback(&Count));
    interceptor.Install(nodes.Get(1));

    Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(2), UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink->SetRecvCallback(MakeCallback(&Receive));

    Ptr<Socket> source = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
    source->Bind();
    for (uint32_t i = 0; i < count; i++)
    {
        Simulator::Schedule(Seconds(1 + 0.1 * i),
                            &SendDatagram,
                            source,
                            rightIf.GetAddress(1),
                            size);
    }

    Simulator::Stop(Seconds(2 + 0.1 * count));
    Simulator::Run();
    g_outcome.routerReassembly = router->GetReassembler()->GetCounters();
    g_outcome.h1Reassembly =
        DivertStackHelper::GetStack(nodes.Get(2))->GetReassembler()->GetCounters();
    Simulator::Destroy();
    return g_outcome;
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t count = 3;
    uint32_t size = 4000;
    uint16_t mtu = 576;
    CommandLine cmd(__FILE__);
    cmd.AddValue("count", "UDP datagrams sent in each run", count);
    cmd.AddValue("size", "UDP payload bytes of each datagram", size);
    cmd.AddValue("mtu", "MTU of both links", mtu);
    cmd.Parse(argc, argv);

    std::cout << "h0 sends " << count << " UDP datagrams of " << size
              << " bytes to h1 over links with MTU " << mtu << ";\n"
              << "the router diverts what it forwards (ipchains -A forward -p udp -j DIVERT "
                 "8000) and passes it back.\n\n";
    // Two header lines, then one row per run.
    std::cout << std::left << std::setw(18) << "" << std::right << std::setw(28)
              << "divert socket saw" << std::setw(20) << "h1 received" << std::setw(21)
              << "reassembled/frags"
              << "\n"
              << std::left << std::setw(18) << "AlwaysDefragment" << std::right << std::setw(11)
              << "datagrams" << std::setw(8) << "frags" << std::setw(9) << "bytes" << std::setw(11)
              << "datagrams" << std::setw(9) << "bytes" << std::setw(10) << "router"
              << std::setw(11) << "h1"
              << "\n";
    for (bool alwaysDefragment : {false, true})
    {
        Outcome o = RunOnce(alwaysDefragment, count, size, mtu);
        auto ratio = [](const Ipv4Reassembler::Counters& c) {
            return std::to_string(c.reassembled) + "/" + std::to_string(c.fragments);
        };
        std::cout << std::left << std::setw(18) << (alwaysDefragment ? "on" : "off (default)")
                  << std::right << std::setw(11) << o.divertedDatagrams << std::setw(8)
                  << o.divertedFragments << std::setw(9) << o.divertedBytes << std::setw(11)
                  << o.deliveredDatagrams << std::setw(9) << o.deliveredBytes << std::setw(10)
                  << ratio(o.routerReassembly) << std::setw(11) << ratio(o.h1Reassembly) << "\n";
    }
    std::cout
        << "\noff: the divert socket gets each fragment on its own (a non-first fragment has no\n"
        << "     UDP header); only h1 reassembles.\n"
        << "on:  the router reassembles first, the socket gets whole datagrams, and the router\n"
        << "     fragments them again on the way out; h1 reassembles them once more.\n";
    return 0;
}

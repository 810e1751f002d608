/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Where packets meet the chains, targets, fragments, MTU and DF, seen from outside.

#define BOOST_TEST_MODULE divert - stack
#include "divert-test-utils.h"

#include "ns3/applications-module.h"
#include "ns3/flow-monitor-helper.h"
#include "ns3/ipv4-flow-classifier.h"
#include "ns3/point-to-point-module.h"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <sstream>

using namespace ns3;
using namespace divtest;

namespace
{
/** Records the chain of every -l rule that matched, in order. */
struct LogRecorder
{
    std::vector<std::string> chains;

    void Log(const Ipv4Header& h, Ptr<const Packet> p, const std::string& chain, uint32_t rule)
    {
        chains.push_back(chain);
    }
};

/** Records divert-stack drops. */
struct DropRecorder
{
    std::vector<DivertIpv4L3Protocol::DivertDropReason> reasons;

    void Drop(const Ipv4Header& h,
              Ptr<const Packet> p,
              DivertIpv4L3Protocol::DivertDropReason r,
              uint32_t i)
    {
        reasons.push_back(r);
    }

    uint32_t Count(DivertIpv4L3Protocol::DivertDropReason r) const
    {
        return std::count(reasons.begin(), reasons.end(), r);
    }
};
} // namespace

BOOST_FIXTURE_TEST_SUITE(stack, SimulatorFixture)

BOOST_AUTO_TEST_CASE(no_rules_delivers_like_plain_ns3)
{
    // Same traffic through a plain and a divert router: same bytes, same times.
    std::vector<std::pair<Time, Bytes>> results[2];
    for (int divert = 0; divert < 2; divert++)
    {
        Chain c = MakeChain({divert != 0, divert != 0, divert != 0});
        UdpProbe sink(c.H1(), 9);
        std::vector<Time> times;
        for (int i = 0; i < 5; i++)
        {
            SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(200 + i * 700, i), MilliSeconds(i));
        }
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        for (auto& b : sink.received)
        {
            results[divert].push_back({Seconds(0), b});
        }
        Simulator::Destroy();
    }
    BOOST_REQUIRE_EQUAL(results[0].size(), 5u);
    BOOST_REQUIRE_EQUAL(results[1].size(), 5u);
    for (int i = 0; i < 5; i++)
    {
        BOOST_CHECK(results[0][i].second == results[1][i].second);
    }
}

BOOST_AUTO_TEST_CASE(forwarded_packet_walks_input_forward_output)
{
    Chain c = MakeChain({false, true, false});
    Rule(c.R(), "-A input -p udp -l");
    Rule(c.R(), "-A forward -p udp -l");
    Rule(c.R(), "-A output -p udp -l");
    LogRecorder log;
    Stack(c.R())->TraceConnectWithoutContext("Logged", MakeCallback(&LogRecorder::Log, &log));
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    std::vector<std::string> expected{"input", "forward", "output"};
    BOOST_CHECK_EQUAL_COLLECTIONS(log.chains.begin(),
                                  log.chains.end(),
                                  expected.begin(),
                                  expected.end());
}

BOOST_AUTO_TEST_CASE(local_traffic_walks_output_then_input_on_loopback)
{
    Chain c = MakeChain({true, false, false});
    Rule(c.H0(), "-A output -p udp -i lo -l");
    Rule(c.H0(), "-A input -p udp -i lo -l");
    Rule(c.H0(), "-A forward -p udp -l");
    LogRecorder log;
    Stack(c.H0())->TraceConnectWithoutContext("Logged", MakeCallback(&LogRecorder::Log, &log));
    UdpProbe sink(c.H0(), 9);
    SendUdp(c.H0(), c.left.GetAddress(0), 9, Pattern(64), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    std::vector<std::string> expected{"output", "input"};
    BOOST_CHECK_EQUAL_COLLECTIONS(log.chains.begin(),
                                  log.chains.end(),
                                  expected.begin(),
                                  expected.end());
}

BOOST_AUTO_TEST_CASE(addresses_added_and_removed_later_join_and_leave_the_local_table)
{
    // The stack keeps a copy of its addresses for the local-table look-up on
    // every Send: the copy must follow AddAddress and RemoveAddress.
    Chain c = MakeChain({true, false, false});
    Rule(c.H0(), "-A input -p udp -i lo");
    UdpProbe sink(c.H0(), 9);
    const Ipv4Address extra("10.1.1.7");
    Ptr<Ipv4> ipv4 = c.H0()->GetObject<Ipv4>();
    // Not yet one of h0's addresses: out on the link (r sends it back, h0
    // forwards it again, until its TTL runs out).
    SendUdp(c.H0(), extra, 9, Pattern(64, 1), Seconds(0));
    At(MilliSeconds(100), [ipv4]() {
        ipv4->AddAddress(1, Ipv4InterfaceAddress(Ipv4Address("10.1.1.7"), Ipv4Mask("/24")));
    });
    SendUdp(c.H0(), extra, 9, Pattern(64, 2), MilliSeconds(200));
    At(MilliSeconds(300), [ipv4]() { ipv4->RemoveAddress(1, Ipv4Address("10.1.1.7")); });
    SendUdp(c.H0(), extra, 9, Pattern(64, 3), MilliSeconds(400));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(64, 2));
    const FirewallRule* lo = Stack(c.H0())->GetFirewall()->GetRule("input", 1);
    BOOST_REQUIRE(lo);
    BOOST_CHECK_EQUAL(lo->GetPackets(), 1u);
}

BOOST_AUTO_TEST_CASE(rule_counters_count_packets_and_bytes)
{
    Chain c = MakeChain({false, false, true});
    Rule(c.H1(), "-A input -p udp -s 10.1.1.1 --dport 9");
    UdpProbe sink(c.H1(), 9);
    for (int i = 0; i < 3; i++)
    {
        SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), MilliSeconds(i));
    }
    SendUdp(c.H0(), c.right.GetAddress(1), 10, Pattern(100), MilliSeconds(5));
    Simulator::Run();
    const FirewallRule* rule = Stack(c.H1())->GetFirewall()->GetRule("input", 1);
    BOOST_REQUIRE(rule);
    BOOST_CHECK_EQUAL(rule->GetPackets(), 3u);
    BOOST_CHECK_EQUAL(rule->GetBytes(), 3u * (20 + 8 + 100));
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetFirewall()->GetPolicyPackets(Ipchains::INPUT), 4u);
    std::string listing = Stack(c.H1())->GetFirewall()->List("input", true, true, true);
    BOOST_CHECK_MESSAGE(listing.find("384") != std::string::npos, listing);
}

BOOST_AUTO_TEST_CASE(deny_drops_silently)
{
    Chain c = MakeChain({false, true, false});
    Rule(c.R(), "-A forward -p udp -j DENY");
    UdpProbe sink(c.H1(), 9);
    IcmpProbe icmp(c.H0());
    DropRecorder drops;
    Stack(c.R())->TraceConnectWithoutContext("DivertDrop",
                                             MakeCallback(&DropRecorder::Drop, &drops));
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    BOOST_CHECK_EQUAL(icmp.messages.size(), 0u);
    BOOST_CHECK_EQUAL(drops.Count(DivertIpv4L3Protocol::DIVERT_DROP_RULE), 1u);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().ruleDrops, 1u);
}

BOOST_AUTO_TEST_CASE(reject_in_forward_chain_sends_host_unreachable)
{
    Chain c = MakeChain({false, true, false});
    Rule(c.R(), "-A forward -p udp -j REJECT");
    UdpProbe sink(c.H1(), 9);
    IcmpProbe icmp(c.H0());
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    BOOST_CHECK_EQUAL(icmp.Count(3, 1), 1u);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().rejected, 1u);
}

BOOST_AUTO_TEST_CASE(reject_in_input_chain_sends_port_unreachable)
{
    Chain c = MakeChain({false, false, true});
    Rule(c.H1(), "-A input -p udp --dport 9 -j REJECT");
    UdpProbe sink(c.H1(), 9);
    IcmpProbe icmp(c.H0());
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    BOOST_CHECK_EQUAL(icmp.Count(3, 3), 1u);
}

BOOST_AUTO_TEST_CASE(reject_policy_never_answers_icmp_errors_or_later_fragments)
{
    Chain c = MakeChain({false, false, true}, 1500, 576);
    Rule(c.H1(), "-A input -p udp --dport 9 -j ACCEPT");
    Rule(c.H1(), "-A input -f -j REJECT");
    IcmpProbe icmp(c.H0());
    UdpProbe sink(c.H1(), 9);
    // 1200 bytes over a 576 MTU: one first fragment, two later ones, rejected.
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1200), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetDivertStats().rejected, 2u);
    // No port unreachable for non-first fragments; the reassembly timeout
    // then sends time exceeded (11/1) because the first fragment arrived.
    BOOST_CHECK_EQUAL(icmp.Count(3, 3), 0u);
    BOOST_CHECK_EQUAL(icmp.Count(11, 1), 1u);
}

BOOST_AUTO_TEST_CASE(interface_wildcard)
{
    Chain c = MakeChain({true, false, false});
    Rule(c.H0(), "-A output -i eth+ -p udp -j DENY");
    UdpProbe remote(c.H1(), 9);
    UdpProbe local(c.H0(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
    SendUdp(c.H0(), c.left.GetAddress(0), 9, Pattern(10), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(remote.received.size(), 0u);
    BOOST_CHECK_EQUAL(local.received.size(), 1u);
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetInterfaceName(0), "lo");
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetInterfaceName(1), "eth0");
}

BOOST_AUTO_TEST_CASE(names_win_over_ethN)
{
    Chain c = MakeChain({true, false, false});
    Names::Add("uplink", c.leftDevices.Get(0));
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetInterfaceName(1), "uplink");
    Rule(c.H0(), "-A output -i uplink -p udp -j DENY");
    UdpProbe remote(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(remote.received.size(), 0u);
}

BOOST_AUTO_TEST_CASE(a_device_named_during_the_run_is_matched_after_refresh_interface_names)
{
    // The firewall reads interface names once; RefreshInterfaceNames reads
    // a name given during the run.
    Chain c = MakeChain({true, false, false});
    Rule(c.H0(), "-A output -i uplink -p udp -j DENY");
    UdpProbe remote(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
    Simulator::Schedule(Seconds(1), [&c]() { Names::Add("uplink", c.leftDevices.Get(0)); });
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(2));
    Simulator::Schedule(Seconds(3), [&c]() { Stack(c.H0())->RefreshInterfaceNames(); });
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(4));
    Simulator::Run();
    // Sent as eth0, eth0 (the name read at the first packet), then uplink.
    BOOST_CHECK_EQUAL(remote.received.size(), 2u);
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetFirewall()->GetRule("output", 1)->GetPackets(), 1u);
}

BOOST_AUTO_TEST_CASE(fragment_rules_and_ports)
{
    // Every fragment walks the chain; only non-first fragments match -f, and
    // a port rule never matches them.
    Chain c = MakeChain({false, false, true}, 1500, 576);
    Rule(c.H1(), "-A input -f");
    Rule(c.H1(), "-A input -p udp --dport 9");
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1200), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    auto fw = Stack(c.H1())->GetFirewall();
    BOOST_CHECK_EQUAL(fw->GetRule("input", 1)->GetPackets(), 2u);
    BOOST_CHECK_EQUAL(fw->GetRule("input", 2)->GetPackets(), 1u);
}

BOOST_AUTO_TEST_CASE(legacy_mode_filters_first_fragment_only)
{
    Chain c = MakeChain({false, false, true}, 1500, 576, [](DivertStackHelper& h) {
        h.SetStackAttribute("FragmentFiltering", StringValue("FirstFragmentOnly"));
    });
    Rule(c.H1(), "-A input -f -j DENY");
    Rule(c.H1(), "-A input -d 10.1.2.2");
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1200), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetFirewall()->GetRule("input", 2)->GetPackets(), 1u);
}

BOOST_AUTO_TEST_CASE(syn_rule_counts_only_connection_requests)
{
    Chain c = MakeChain({false, false, true});
    Rule(c.H1(), "-A input -p tcp -y");
    Rule(c.H1(), "-A input -p tcp ! -y");
    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 80));
    ApplicationContainer sink = sinkHelper.Install(c.H1());
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(c.right.GetAddress(1), 80));
    bulk.SetAttribute("MaxBytes", UintegerValue(5000));
    bulk.Install(c.H0());
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    BOOST_CHECK_EQUAL(DynamicCast<PacketSink>(sink.Get(0))->GetTotalRx(), 5000u);
    auto fw = Stack(c.H1())->GetFirewall();
    BOOST_CHECK_EQUAL(fw->GetRule("input", 1)->GetPackets(), 1u);
    BOOST_CHECK_GT(fw->GetRule("input", 2)->GetPackets(), 3u);
}

BOOST_AUTO_TEST_CASE(every_fragment_of_a_local_datagram_walks_output)
{
    Chain c = MakeChain({true, false, false}, 576, 1500);
    Rule(c.H0(), "-A output -d 10.1.2.2");
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1200), Seconds(0));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(1200));
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetFirewall()->GetRule("output", 1)->GetPackets(), 3u);
}

BOOST_AUTO_TEST_CASE(forward_honours_df_with_frag_needed)
{
    // h0 runs the divert stack too: ns-3.37's own stack never sets DF.
    Chain c = MakeChain({true, true, false}, 1500, 576);
    UdpProbe sink(c.H1(), 9);
    IcmpProbe icmp(c.H0());
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1000), Seconds(0), true);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1000, 1), MilliSeconds(10), false);
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(1000, 1));
    BOOST_REQUIRE_EQUAL(icmp.Count(3, 4), 1u);
    BOOST_CHECK_EQUAL(icmp.messages[0].nextHopMtu, 576);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().fragNeeded, 1u);
}

BOOST_AUTO_TEST_CASE(fragments_of_fragments_reassemble)
{
    // h0 fragments at 1000, the router refragments each piece at 300.
    Chain c = MakeChain({true, true, true}, 1000, 300);
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(2500), Seconds(0));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(2500));
}

BOOST_AUTO_TEST_CASE(ttl_expiry_on_forward)
{
    Chain c = MakeChain({false, true, false});
    IcmpProbe icmp(c.H0());
    UdpProbe sink(c.H1(), 9);
    Ptr<Socket> s = Socket::CreateSocket(c.H0(), UdpSocketFactory::GetTypeId());
    s->SetIpTtl(1);
    At(Seconds(0.1),
       [&]() { s->SendTo(Create<Packet>(10), 0, InetSocketAddress(c.right.GetAddress(1), 9)); });
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    BOOST_CHECK_EQUAL(icmp.Count(11, 0), 1u);
}

BOOST_AUTO_TEST_CASE(device_pcap_keeps_working_and_is_deterministic)
{
    std::string contents[2];
    for (int run = 0; run < 2; run++)
    {
        {
            Chain c = MakeChain({true, true, true}, 1500, 576);
            Rule(c.R(), "-A forward -p udp -j DIVERT 100");
            DivertProbe probe(c.R(), 100, true);
            UdpProbe sink(c.H1(), 9);
            PointToPointHelper p2p;
            p2p.EnablePcap("divert-stack-test-det.pcap", c.rightDevices.Get(1), false, true);
            SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1400), Seconds(0));
            Simulator::Run();
            BOOST_CHECK_EQUAL(sink.received.size(), 1u);
            Simulator::Destroy(); // the nodes die with this scope: the file is closed
        }
        std::ifstream f("divert-stack-test-det.pcap", std::ios::binary);
        contents[run].assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    BOOST_CHECK_GT(contents[0].size(), 24u + 1400u);
    BOOST_CHECK(contents[0] == contents[1]);
}

BOOST_AUTO_TEST_CASE(flow_monitor_sees_divert_nodes_like_plain_ones)
{
    uint64_t rx[2] = {0, 0};
    uint64_t tx[2] = {0, 0};
    uint64_t forwarded[2] = {0, 0};
    for (int divert = 0; divert < 2; divert++)
    {
        Chain c = MakeChain({divert != 0, divert != 0, divert != 0});
        FlowMonitorHelper flowHelper;
        Ptr<FlowMonitor> monitor = flowHelper.InstallAll();
        UdpProbe sink(c.H1(), 9);
        for (int i = 0; i < 4; i++)
        {
            SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(300), MilliSeconds(10 * (i + 1)));
        }
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        monitor->CheckForLostPackets();
        // One flow per datagram (each SendUdp uses a new source port).
        for (const auto& flow : monitor->GetFlowStats())
        {
            rx[divert] += flow.second.rxPackets;
            tx[divert] += flow.second.txPackets;
            forwarded[divert] += flow.second.timesForwarded;
        }
        Simulator::Destroy();
    }
    BOOST_CHECK_EQUAL(tx[1], 4u);
    BOOST_CHECK_EQUAL(rx[1], 4u);
    BOOST_CHECK_EQUAL(forwarded[1], 4u);
    BOOST_CHECK_EQUAL(tx[0], tx[1]);
    BOOST_CHECK_EQUAL(rx[0], rx[1]);
    BOOST_CHECK_EQUAL(forwarded[0], forwarded[1]);
}

BOOST_AUTO_TEST_CASE(ipv4_ascii_tracing_through_the_helper)
{
    Chain c = MakeChain({false, true, false});
    DivertStackHelper helper;
    std::ostringstream text;
    Ptr<OutputStreamWrapper> stream = Create<OutputStreamWrapper>(&text);
    helper.EnableAsciiIpv4(stream, c.R()->GetObject<Ipv4>(), 1);
    Rule(c.R(), "-A forward -p udp --dport 10 -j DENY");
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), MilliSeconds(10));
    SendUdp(c.H0(), c.right.GetAddress(1), 10, Pattern(100), MilliSeconds(20));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    // Both datagrams were received on interface 1 of the divert router.
    std::string lines = text.str();
    size_t rx = 0;
    for (size_t pos = lines.find("/Rx(1)"); pos != std::string::npos;
         pos = lines.find("/Rx(1)", pos + 1))
    {
        rx++;
    }
    BOOST_CHECK_MESSAGE(rx == 2, lines);
}

BOOST_AUTO_TEST_CASE(nat_targets_are_refused_by_the_divert_stack)
{
    Chain c = MakeChain({false, true, false});
    Ipchains::Result r = Stack(c.R())->GetFirewall()->Execute("-A forward -p tcp -j MASQ");
    BOOST_CHECK(!r.ok);
    BOOST_CHECK_MESSAGE(r.error.find("MASQ") != std::string::npos, r.error);
    r = Stack(c.R())->GetFirewall()->Execute("-P forward MASQ");
    BOOST_CHECK(!r.ok);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetFirewall()->GetRuleCount("forward"), 0u);
}

BOOST_AUTO_TEST_CASE(tos_rule_rewrites_the_header_on_the_wire)
{
    Chain c = MakeChain({true, false, true});
    Rule(c.H0(), "-A output -p udp -t 0x01 0x10");
    Rule(c.H1(), "-A input -p udp -j DIVERT 100");
    DivertProbe probe(c.H1(), 100, false);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), MilliSeconds(1));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(probe.received.size(), 1u);
    BOOST_CHECK_EQUAL(int(probe.received[0].datagram[1]), 0x10);
}

BOOST_AUTO_TEST_CASE(static_routing_helper_choice)
{
    NodeContainer nodes;
    nodes.Create(2);
    DivertStackHelper stack;
    stack.SetIpv6StackInstall(false);
    Ipv4StaticRoutingHelper staticRouting;
    stack.SetRoutingHelper(staticRouting);
    stack.Install(nodes);
    PointToPointHelper p2p;
    NetDeviceContainer devices = p2p.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.9.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addresses.Assign(devices);
    // The user's protocol is what GetRoutingProtocol returns (not the shim).
    Ptr<Ipv4StaticRouting> routing =
        staticRouting.GetStaticRouting(nodes.Get(0)->GetObject<Ipv4>());
    BOOST_REQUIRE(routing);
    routing->AddHostRouteTo(Ipv4Address("192.0.2.7"), ifs.GetAddress(1), 1);
    BOOST_CHECK_EQUAL(routing->GetNRoutes(), 3u); // loopback, network, host
    UdpProbe sink(nodes.Get(1), 9);
    SendUdp(nodes.Get(0), ifs.GetAddress(1), 9, Pattern(20), MilliSeconds(1));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
}

// The firewall, the reassembler and the rest of a node's divert state are
// made on first use (doc: "What a node costs"): these check that a node
// cannot tell.

BOOST_AUTO_TEST_CASE(a_fresh_node_makes_a_working_reassembler_and_firewall_on_first_use)
{
    Chain c = MakeChain({false, false, true}, 1500, 576);
    Ptr<DivertIpv4L3Protocol> h1 = Stack(c.H1());
    Ptr<Ipv4Reassembler> r = h1->GetReassembler();
    BOOST_REQUIRE(r);
    BOOST_CHECK(h1->GetReassembler() == r);
    const Ipv4Reassembler::Counters zero = r->GetCounters();
    BOOST_CHECK_EQUAL(zero.fragments, 0u);
    BOOST_CHECK_EQUAL(zero.reassembled, 0u);
    BOOST_CHECK_EQUAL(zero.timedOut, 0u);
    BOOST_CHECK_EQUAL(r->GetMemoryUsed(), 0u);
    BOOST_CHECK_EQUAL(r->GetQueueCount(), 0u);

    Ptr<Ipchains> fw = h1->GetFirewall();
    BOOST_REQUIRE(fw);
    BOOST_CHECK(h1->GetFirewall() == fw);
    BOOST_CHECK(fw->GetChainNames() == (std::vector<std::string>{"input", "forward", "output"}));
    for (const char* chain : {"input", "forward", "output"})
    {
        BOOST_CHECK_EQUAL(fw->GetPolicy(chain), "ACCEPT");
        BOOST_CHECK_EQUAL(fw->GetRuleCount(chain), 0u);
    }
    BOOST_CHECK_EQUAL(fw->GetPolicyPackets(Ipchains::INPUT), 0u);
    BOOST_CHECK(fw->IsDivertAllowed());
    BOOST_CHECK(!fw->Execute("-A input -j MASQ").ok);

    // 1200 bytes over a 576 MTU: three fragments, reassembled for h1.
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1200), Seconds(0));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(1200));
    BOOST_CHECK_EQUAL(r->GetCounters().fragments, 3u);
    BOOST_CHECK_EQUAL(r->GetCounters().reassembled, 1u);
    BOOST_CHECK_EQUAL(fw->GetPolicyPackets(Ipchains::INPUT), 3u);
}

BOOST_AUTO_TEST_CASE(a_firewall_made_on_the_first_packet_counts_it_on_its_policy)
{
    // Nobody asked for the routers' firewall before the traffic.
    Chain c = MakeChain({false, true, false});
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), MilliSeconds(1));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 2u);
    Ptr<Ipchains> fw = Stack(c.R())->GetFirewall();
    for (Ipchains::Hook hook : {Ipchains::INPUT, Ipchains::FORWARD, Ipchains::OUTPUT})
    {
        BOOST_CHECK_EQUAL(fw->GetPolicyPackets(hook), 2u);
        BOOST_CHECK_EQUAL(fw->GetPolicyBytes(hook), 2u * 128);
    }
}

BOOST_AUTO_TEST_CASE(the_divert_sockets_option_reaches_a_firewall_made_later)
{
    Chain c = MakeChain({false, true, false}, 1500, 1500, [](DivertStackHelper& h) {
        h.SetStackAttribute("DivertSockets", BooleanValue(false));
    });
    Ptr<DivertIpv4L3Protocol> r = Stack(c.R());
    BOOST_CHECK(!r->GetFirewall()->IsDivertAllowed());
    BOOST_CHECK(!r->GetFirewall()->Execute("-A forward -j DIVERT 100").ok);
    // Set after the firewall was made, it still reaches it.
    r->SetAttribute("DivertSockets", BooleanValue(true));
    BOOST_CHECK(r->GetFirewall()->IsDivertAllowed());
    BOOST_CHECK(r->GetFirewall()->Execute("-A forward -j DIVERT 100").ok);
}

BOOST_AUTO_TEST_CASE(defaults_in_force_when_the_stack_was_made_reach_what_it_makes_later)
{
    Config::SetDefault("ns3::Ipv4Reassembler::Timeout", TimeValue(Seconds(2)));
    Config::SetDefault("ns3::Ipv4Reassembler::OverlapPolicy", StringValue("bsd"));
    Config::SetDefault("ns3::Ipchains::RefuseLoops", BooleanValue(false));
    Chain before = MakeChain({true, false, false});
    // Changed after the stacks were made, before their firewall and
    // reassembler were: as if those had been made with the stacks.
    Config::SetDefault("ns3::Ipv4Reassembler::Timeout", TimeValue(Seconds(7)));
    Config::SetDefault("ns3::Ipchains::RefuseLoops", BooleanValue(true));
    NodeContainer after;
    after.Create(1);
    DivertStackHelper helper;
    helper.Install(after);

    TimeValue timeout;
    StringValue policy;
    BooleanValue refuse;
    Ptr<DivertIpv4L3Protocol> old = Stack(before.H0());
    old->GetReassembler()->GetAttribute("Timeout", timeout);
    old->GetReassembler()->GetAttribute("OverlapPolicy", policy);
    old->GetFirewall()->GetAttribute("RefuseLoops", refuse);
    BOOST_CHECK_EQUAL(timeout.Get(), Seconds(2));
    BOOST_CHECK_EQUAL(policy.Get(), "bsd");
    BOOST_CHECK(!refuse.Get());

    Ptr<DivertIpv4L3Protocol> fresh = Stack(after.Get(0));
    fresh->GetReassembler()->GetAttribute("Timeout", timeout);
    fresh->GetReassembler()->GetAttribute("OverlapPolicy", policy);
    fresh->GetFirewall()->GetAttribute("RefuseLoops", refuse);
    BOOST_CHECK_EQUAL(timeout.Get(), Seconds(7));
    BOOST_CHECK_EQUAL(policy.Get(), "bsd");
    BOOST_CHECK(refuse.Get());
    // The divert stack refuses NAT targets whatever the Ipchains default.
    BOOST_CHECK(!fresh->GetFirewall()->Execute("-A input -j MASQ").ok);
}

BOOST_AUTO_TEST_CASE(a_disposed_stack_makes_nothing)
{
    NodeContainer nodes;
    nodes.Create(1);
    DivertStackHelper helper;
    helper.Install(nodes);
    Ptr<DivertIpv4L3Protocol> stack = Stack(nodes.Get(0));
    Simulator::Destroy();
    BOOST_CHECK(!stack->GetFirewall());
    BOOST_CHECK(!stack->GetReassembler());
}

namespace
{
/** Counts calls of a DivertDrop sink connected with a context. */
struct ContextDropRecorder
{
    std::vector<std::string> contexts;

    void Drop(std::string context,
              const Ipv4Header& h,
              Ptr<const Packet> p,
              DivertIpv4L3Protocol::DivertDropReason r,
              uint32_t i)
    {
        contexts.push_back(context);
    }
};
} // namespace

BOOST_AUTO_TEST_CASE(a_fresh_stack_has_zero_counters_and_remembers_no_diversion)
{
    Chain c = MakeChain({false, true, false});
    Ptr<DivertIpv4L3Protocol> r = Stack(c.R());
    const DivertIpv4L3Protocol::DivertStats stats = r->GetDivertStats();
    BOOST_CHECK_EQUAL(stats.delivered, 0u);
    BOOST_CHECK_EQUAL(stats.ruleDrops, 0u);
    BOOST_CHECK_EQUAL(stats.errors, 0u);
    BOOST_CHECK_EQUAL(stats.passedThrough, 0u);
    DivertIpv4L3Protocol::DiversionInfo info;
    for (uint16_t handle : {0, 1, 2, 65535})
    {
        BOOST_CHECK(!r->LookupDiversion(handle, info));
    }
    // Traffic with no rule moves no counter.
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK_EQUAL(r->GetDivertStats().ruleDrops, 0u);
    BOOST_CHECK_EQUAL(r->GetDivertStats().delivered, 0u);
}

BOOST_AUTO_TEST_CASE(the_diversion_table_forgets_the_oldest_first)
{
    Chain c = MakeChain({false, false, true}, 1500, 1500, [](DivertStackHelper& h) {
        h.SetStackAttribute("DiversionTableSize", UintegerValue(2));
    });
    Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
    DivertProbe probe(c.H1(), 8000, false);
    for (int i = 0; i < 3; i++)
    {
        SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10 + i), MilliSeconds(i));
    }
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(probe.received.size(), 3u);
    DivertIpv4L3Protocol::DiversionInfo info;
    Ptr<DivertIpv4L3Protocol> h1 = Stack(c.H1());
    BOOST_CHECK(!h1->LookupDiversion(probe.received[0].from.GetPort(), info));
    BOOST_CHECK(h1->LookupDiversion(probe.received[1].from.GetPort(), info));
    BOOST_CHECK(h1->LookupDiversion(probe.received[2].from.GetPort(), info));
    BOOST_CHECK_EQUAL(h1->GetDivertStats().delivered, 3u);
}

BOOST_AUTO_TEST_CASE(trace_sources_connect_and_disconnect_by_config_path)
{
    Chain c = MakeChain({false, true, false});
    Rule(c.R(), "-A forward -p udp -j DENY");
    ContextDropRecorder drops;
    const std::string path = "/NodeList/1/$ns3::DivertIpv4L3Protocol/DivertDrop";
    Config::Connect(path, MakeCallback(&ContextDropRecorder::Drop, &drops));
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), MilliSeconds(1));
    At(MilliSeconds(5),
       [&]() { Config::Disconnect(path, MakeCallback(&ContextDropRecorder::Drop, &drops)); });
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), MilliSeconds(10));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(drops.contexts.size(), 1u);
    BOOST_CHECK_EQUAL(drops.contexts[0], path);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().ruleDrops, 2u);
}

BOOST_AUTO_TEST_SUITE_END()

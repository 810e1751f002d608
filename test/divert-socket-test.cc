/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Divert sockets: binding, what is received, reinjection, injection, kernel options.

#define BOOST_TEST_MODULE divert - socket
#include "divert-test-utils.h"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>

using namespace ns3;
using namespace divtest;

namespace
{
Ipv4Header
HeaderOf(const Bytes& datagram)
{
    Ptr<Packet> p = Create<Packet>(datagram.data(), datagram.size());
    Ipv4Header h;
    h.EnableChecksum();
    p->RemoveHeader(h);
    return h;
}

Ptr<Socket>
OpenDivert(Ptr<Node> node, uint16_t port)
{
    Ptr<Socket> s = Socket::CreateSocket(node, DivertSocketFactory::GetTypeId());
    BOOST_REQUIRE_EQUAL(s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)), 0);
    return s;
}

int
SendBytes(Ptr<Socket> s, const Bytes& b, Ipv4Address to, uint16_t port = 0)
{
    return s->SendTo(Create<Packet>(b.data(), b.size()), 0, InetSocketAddress(to, port));
}

/// A datagram with IP options: IHL, total length and checksum set (RFC 791).
Bytes
WithOptions(const Bytes& datagram, const Bytes& options)
{
    Ptr<Packet> p = Create<Packet>(datagram.data(), datagram.size());
    Ipv4Header h;
    p->RemoveHeader(h);
    p->AddHeader(Ipv4WireHeader(h, options));
    return ToBytes(p);
}

/// The options of a datagram as bytes, after checking its header checksum.
Bytes
OptionsOf(const Bytes& datagram)
{
    Ptr<Packet> p = Create<Packet>(datagram.data(), datagram.size());
    Ipv4WireHeader wire;
    const uint32_t read = p->RemoveHeader(wire);
    BOOST_REQUIRE_EQUAL(read, 20 + wire.GetOptions().size());
    BOOST_CHECK(wire.IsChecksumOk());
    BOOST_CHECK_EQUAL(wire.GetHeader().GetPayloadSize(), p->GetSize());
    return wire.GetOptions();
}
} // namespace

BOOST_FIXTURE_TEST_SUITE(socket, SimulatorFixture)

BOOST_AUTO_TEST_CASE(second_bind_fails_with_address_in_use)
{
    Chain c = MakeChain({true, false, false});
    Ptr<Socket> a = OpenDivert(c.H0(), 8000);
    Ptr<Socket> b = Socket::CreateSocket(c.H0(), DivertSocketFactory::GetTypeId());
    BOOST_CHECK_EQUAL(b->Bind(InetSocketAddress(Ipv4Address::GetAny(), 8000)), -1);
    BOOST_CHECK_EQUAL(b->GetErrno(), Socket::ERROR_ADDRINUSE);
    a->Close();
    BOOST_CHECK_EQUAL(b->Bind(InetSocketAddress(Ipv4Address::GetAny(), 8000)), 0);
}

BOOST_AUTO_TEST_CASE(input_diversion_gives_whole_datagram_and_arrival_address)
{
    Chain c = MakeChain({false, false, true});
    Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
    DivertProbe probe(c.H1(), 8000, false);
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u); // never reinjected: gone
    BOOST_REQUIRE_EQUAL(probe.received.size(), 1u);
    const Bytes& d = probe.received[0].datagram;
    BOOST_REQUIRE_EQUAL(d.size(), 20u + 8u + 100u);
    Ipv4Header h = HeaderOf(d);
    BOOST_CHECK(h.IsChecksumOk());
    BOOST_CHECK_EQUAL(h.GetSource(), c.left.GetAddress(0));
    BOOST_CHECK_EQUAL(h.GetDestination(), c.right.GetAddress(1));
    BOOST_CHECK_EQUAL(h.GetTtl(), 63); // one hop
    BOOST_CHECK(Bytes(d.begin() + 28, d.end()) == Pattern(100));
    BOOST_CHECK_EQUAL(probe.received[0].from.GetIpv4(), c.right.GetAddress(1));
    DivertIpv4L3Protocol::DiversionInfo info;
    BOOST_REQUIRE(Stack(c.H1())->LookupDiversion(probe.received[0].from.GetPort(), info));
    BOOST_CHECK_EQUAL(info.hook, Ipchains::INPUT);
    BOOST_CHECK_EQUAL(info.position.back().rule, 1u);
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetDivertStats().delivered, 1u);
}

BOOST_AUTO_TEST_CASE(output_diversion_address_is_any_and_forward_is_arrival)
{
    Chain c = MakeChain({true, true, false});
    Rule(c.H0(), "-A output -p udp -j DIVERT 8000");
    Rule(c.R(), "-A forward -p udp -j DIVERT 8001");
    DivertProbe out(c.H0(), 8000, true);
    DivertProbe fwd(c.R(), 8001, true);
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(50), Seconds(0));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(out.received.size(), 1u);
    BOOST_CHECK_EQUAL(out.received[0].from.GetIpv4(), Ipv4Address::GetAny());
    BOOST_REQUIRE_EQUAL(fwd.received.size(), 1u);
    BOOST_CHECK_EQUAL(fwd.received[0].from.GetIpv4(), c.left.GetAddress(1));
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(50));
}

BOOST_AUTO_TEST_CASE(no_listener_drops_unless_pass_through)
{
    for (bool passThrough : {false, true})
    {
        Chain c = MakeChain({false, true, false}, 1500, 1500, [&](DivertStackHelper& h) {
            h.SetStackAttribute("PassThrough", BooleanValue(passThrough));
        });
        Rule(c.R(), "-A forward -p udp -j DIVERT 8000");
        Rule(c.R(), "-A forward -p udp -l");
        UdpProbe sink(c.H1(), 9);
        SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
        Simulator::Run();
        auto stats = Stack(c.R())->GetDivertStats();
        BOOST_CHECK_EQUAL(sink.received.size(), passThrough ? 1u : 0u);
        BOOST_CHECK_EQUAL(stats.noPort, passThrough ? 0u : 1u);
        BOOST_CHECK_EQUAL(stats.passedThrough, passThrough ? 1u : 0u);
        // Pass-through goes on with the next rule.
        BOOST_CHECK_EQUAL(Stack(c.R())->GetFirewall()->GetRule("forward", 2)->GetPackets(),
                          passThrough ? 1u : 0u);
        Simulator::Destroy();
    }
}

BOOST_AUTO_TEST_CASE(full_receive_queue_drops_and_counts)
{
    Chain c = MakeChain({false, false, true});
    Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
    Ptr<Socket> s = OpenDivert(c.H1(), 8000);
    s->SetAttribute("RcvBufSize", UintegerValue(300));
    for (int i = 0; i < 5; i++)
    {
        SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), MilliSeconds(i));
    }
    Simulator::Run();
    // 128-byte datagrams: two fit in 300 bytes.
    BOOST_CHECK_EQUAL(s->GetRxAvailable(), 256u);
    BOOST_CHECK_EQUAL(DynamicCast<DivertSocket>(s)->GetDropCount(), 3u);
    auto stats = Stack(c.H1())->GetDivertStats();
    BOOST_CHECK_EQUAL(stats.delivered, 2u);
    BOOST_CHECK_EQUAL(stats.queueFull, 3u);
}

namespace
{
/** Router with two DIVERT rules in the forward chain, both listeners echo. */
struct ReinjectResult
{
    size_t first;
    size_t second;
    size_t delivered;
    uint64_t loopDrops;
};

ReinjectResult
RunReinjection(const std::string& mode, uint32_t maxPasses = 16)
{
    Chain c = MakeChain({false, true, false}, 1500, 1500, [&](DivertStackHelper& h) {
        h.SetStackAttribute("ReinjectionMode", StringValue(mode));
        h.SetStackAttribute("MaxDivertPasses", UintegerValue(maxPasses));
    });
    Rule(c.R(), "-A forward -p udp -j DIVERT 100");
    Rule(c.R(), "-A forward -p udp -j DIVERT 200");
    DivertProbe first(c.R(), 100, true);
    DivertProbe second(c.R(), 200, true);
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
    Simulator::Run();
    ReinjectResult r{first.received.size(),
                     second.received.size(),
                     sink.received.size(),
                     Stack(c.R())->GetDivertStats().loopDrops};
    Simulator::Destroy();
    return r;
}
} // namespace

BOOST_AUTO_TEST_CASE(reinjection_resumes_after_the_rule_by_default)
{
    ReinjectResult r = RunReinjection("Resume");
    BOOST_CHECK_EQUAL(r.first, 1u);
    BOOST_CHECK_EQUAL(r.second, 1u);
    BOOST_CHECK_EQUAL(r.delivered, 1u);
}

BOOST_AUTO_TEST_CASE(reinjection_accept_skips_the_rest_of_the_chain)
{
    ReinjectResult r = RunReinjection("Accept");
    BOOST_CHECK_EQUAL(r.first, 1u);
    BOOST_CHECK_EQUAL(r.second, 0u);
    BOOST_CHECK_EQUAL(r.delivered, 1u);
}

BOOST_AUTO_TEST_CASE(reinjection_restart_loops_until_the_guard)
{
    ReinjectResult r = RunReinjection("Restart", 5);
    BOOST_CHECK_EQUAL(r.first, 5u);
    BOOST_CHECK_EQUAL(r.second, 0u);
    BOOST_CHECK_EQUAL(r.delivered, 0u);
    BOOST_CHECK_EQUAL(r.loopDrops, 1u);
}

namespace
{
void
CountLogs(std::vector<std::string>* chains,
          const Ipv4Header& h,
          Ptr<const Packet> p,
          const std::string& chain,
          uint32_t rule)
{
    chains->push_back(chain + ":" + std::to_string(rule));
}
} // namespace

BOOST_AUTO_TEST_CASE(resume_inside_a_user_chain_then_return_to_the_caller)
{
    Chain c = MakeChain({false, true, false});
    Rule(c.R(), "-N sub");
    Rule(c.R(), "-A forward -p udp -j sub");
    Rule(c.R(), "-A forward -p udp -l");
    Rule(c.R(), "-A sub -p udp -l");
    Rule(c.R(), "-A sub -p udp -j DIVERT 100");
    Rule(c.R(), "-A sub -p udp -l");
    std::vector<std::string> logs;
    Stack(c.R())->TraceConnectWithoutContext("Logged", MakeBoundCallback(&CountLogs, &logs));
    DivertProbe probe(c.R(), 100, true);
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(probe.received.size(), 1u);
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    // Before the diversion: sub:1. After reinjection: sub:3, then forward:2.
    std::vector<std::string> expected{"sub:1", "sub:3", "forward:2"};
    BOOST_CHECK_EQUAL_COLLECTIONS(logs.begin(), logs.end(), expected.begin(), expected.end());
    DivertIpv4L3Protocol::DiversionInfo info;
    BOOST_REQUIRE(Stack(c.R())->LookupDiversion(probe.received[0].from.GetPort(), info));
    BOOST_REQUIRE_EQUAL(info.position.size(), 2u);
    BOOST_CHECK_EQUAL(info.position[0].chain, "forward");
    BOOST_CHECK_EQUAL(info.position[1].chain, "sub");
    BOOST_CHECK_EQUAL(info.position[1].rule, 2u);
}

BOOST_AUTO_TEST_CASE(inbound_and_outbound_injection)
{
    Chain c = MakeChain({true, false, true});
    Ptr<Socket> inj0 = OpenDivert(c.H0(), 7000);
    Ptr<Socket> inj1 = OpenDivert(c.H1(), 7000);
    UdpProbe sink0(c.H0(), 9);
    UdpProbe sink1(c.H1(), 9);
    // Out of h0 towards h1, routed by destination; no rule names port 7000.
    Bytes out = MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(20));
    // Into h1 as if received on its interface.
    Bytes in = MakeUdpDatagram(Ipv4Address("192.0.2.1"), c.right.GetAddress(1), 5, 9, Pattern(30));
    At(Seconds(0.1), [&]() {
        BOOST_CHECK_EQUAL(SendBytes(inj0, out, Ipv4Address::GetAny()), int(out.size()));
        BOOST_CHECK_EQUAL(SendBytes(inj1, in, c.right.GetAddress(1)), int(in.size()));
    });
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink1.received.size(), 2u);
    BOOST_CHECK(sink1.received[0] == Pattern(30));
    BOOST_CHECK(sink1.received[1] == Pattern(20));
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetDivertStats().injected, 1u);
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetDivertStats().injected, 1u);
}

BOOST_AUTO_TEST_CASE(header_fixups_length_checksum_and_id)
{
    Chain c = MakeChain({true, false, true});
    Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
    DivertProbe seen(c.H1(), 8000, false);
    Ptr<Socket> inj = OpenDivert(c.H0(), 7000);
    Bytes d = MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(40), 0);
    d[2] = 0x12; // bogus total length
    d[3] = 0x34;
    d[10] = 0; // bogus checksum
    d[11] = 0;
    At(Seconds(0.1),
       [&]() { BOOST_CHECK_EQUAL(SendBytes(inj, d, Ipv4Address::GetAny()), int(d.size())); });
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(seen.received.size(), 1u);
    Ipv4Header h = HeaderOf(seen.received[0].datagram);
    BOOST_CHECK(h.IsChecksumOk());
    BOOST_CHECK_EQUAL(h.GetPayloadSize(), 48u);
    BOOST_CHECK_NE(h.GetIdentification(), 0u);
}

BOOST_AUTO_TEST_CASE(bad_buffers_fail_with_invalid_argument)
{
    Chain c = MakeChain({true, false, false});
    Ptr<Socket> s = OpenDivert(c.H0(), 7000);
    Bytes good = MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(8));
    Bytes shortBuf(good.begin(), good.begin() + 19);
    Bytes v6 = good;
    v6[0] = 0x65;
    Bytes ihlSmall = good;
    ihlSmall[0] = 0x44;
    Bytes ihlLong = good;
    ihlLong[0] = 0x4f; // 60-byte header in a 36-byte buffer
    Bytes tooLong = good;
    tooLong.resize(36);
    for (const Bytes* b : {&shortBuf, &v6, &ihlSmall})
    {
        BOOST_CHECK_EQUAL(SendBytes(s, *b, Ipv4Address::GetAny()), -1);
        BOOST_CHECK_EQUAL(s->GetErrno(), Socket::ERROR_INVAL);
    }
    BOOST_CHECK_EQUAL(SendBytes(s, ihlLong, Ipv4Address::GetAny()), -1);
    BOOST_CHECK_EQUAL(s->GetErrno(), Socket::ERROR_INVAL);
    BOOST_CHECK_EQUAL(SendBytes(s, good, Ipv4Address("10.9.9.9")), -1);
    BOOST_CHECK_EQUAL(s->GetErrno(), Socket::ERROR_ADDRNOTAVAIL);
    auto stats = Stack(c.H0())->GetDivertStats();
    BOOST_CHECK_EQUAL(stats.errors, 5u);
    BOOST_CHECK_EQUAL(stats.sent, 0u);
}

BOOST_AUTO_TEST_CASE(oversize_injection_dropped_unless_always_defragment)
{
    for (bool defrag : {false, true})
    {
        Chain c = MakeChain({true, false, false}, 576, 1500, [&](DivertStackHelper& h) {
            h.SetStackAttribute("AlwaysDefragment", BooleanValue(defrag));
        });
        Ptr<Socket> s = OpenDivert(c.H0(), 7000);
        UdpProbe sink(c.H1(), 9);
        Bytes big =
            MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(1000));
        int r = 0;
        At(Seconds(0.1), [&]() { r = SendBytes(s, big, Ipv4Address::GetAny()); });
        Simulator::Run();
        if (defrag)
        {
            BOOST_CHECK_EQUAL(r, int(big.size()));
            BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
            BOOST_CHECK(sink.received[0] == Pattern(1000));
        }
        else
        {
            BOOST_CHECK_EQUAL(r, -1);
            BOOST_CHECK_EQUAL(s->GetErrno(), Socket::ERROR_MSGSIZE);
            BOOST_CHECK_EQUAL(sink.received.size(), 0u);
            BOOST_CHECK_EQUAL(Stack(c.H0())->GetDivertStats().tooBig, 1u);
        }
        Simulator::Destroy();
    }
}

BOOST_AUTO_TEST_CASE(unfragmentable_forwarded_fragment_is_counted_not_lost)
{
    // Regression: a fragment ending past 65,535 bytes that must be split
    // again on a smaller MTU used to vanish without a trace or a counter.
    Chain c = MakeChain({false, true, false}, 1500, 576);
    Ptr<Socket> inj = OpenDivert(c.R(), 7000);
    std::vector<DivertIpv4L3Protocol::DivertDropReason> reasons;
    Stack(c.R())->TraceConnectWithoutContext(
        "DivertDrop",
        MakeCallback(+[](std::vector<DivertIpv4L3Protocol::DivertDropReason>* r,
                         const Ipv4Header&,
                         Ptr<const Packet>,
                         DivertIpv4L3Protocol::DivertDropReason reason,
                         uint32_t) {
            r->push_back(reason);
        }).Bind(&reasons));
    Bytes d = MakeDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 17, Pattern(1000), 9);
    d[6] = (65120 / 8) >> 8; // last fragment at offset 65120
    d[7] = (65120 / 8) & 0xff;
    At(Seconds(0.1),
       [&]() { BOOST_CHECK_EQUAL(SendBytes(inj, d, c.left.GetAddress(1)), int(d.size())); });
    Simulator::Run();
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().tooBig, 1u);
    BOOST_REQUIRE_EQUAL(reasons.size(), 1u);
    BOOST_CHECK_EQUAL(reasons[0], DivertIpv4L3Protocol::DIVERT_DROP_TOO_BIG);
}

BOOST_AUTO_TEST_CASE(per_fragment_vs_always_defragment_diversion)
{
    for (bool defrag : {false, true})
    {
        Chain c = MakeChain({false, true, false}, 1500, 576, [&](DivertStackHelper& h) {
            h.SetStackAttribute("AlwaysDefragment", BooleanValue(defrag));
        });
        // Fragmented by h0 on a 576 link in this direction? No: the router
        // fragments towards h1; divert on the router's output chain.
        Rule(c.R(), "-A output -d 10.1.2.2 -j DIVERT 100");
        DivertProbe probe(c.R(), 100, true);
        UdpProbe sink(c.H1(), 9);
        SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1400), Seconds(0));
        Simulator::Run();
        BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
        BOOST_CHECK(sink.received[0] == Pattern(1400));
        if (defrag)
        {
            BOOST_REQUIRE_EQUAL(probe.received.size(), 1u);
            BOOST_CHECK_EQUAL(probe.received[0].datagram.size(), 1428u);
        }
        else
        {
            BOOST_REQUIRE_EQUAL(probe.received.size(), 3u);
            for (const auto& item : probe.received)
            {
                BOOST_CHECK_LE(item.datagram.size(), 576u);
            }
        }
        Simulator::Destroy();
    }
}

BOOST_AUTO_TEST_CASE(always_defragment_reassembles_before_input_chain)
{
    Chain c = MakeChain({false, false, true}, 1500, 576, [&](DivertStackHelper& h) {
        h.SetStackAttribute("AlwaysDefragment", BooleanValue(true));
    });
    Rule(c.H1(), "-A input -p udp -j DIVERT 100");
    DivertProbe probe(c.H1(), 100, true);
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(1400), Seconds(0));
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(probe.received.size(), 1u);
    BOOST_CHECK_EQUAL(probe.received[0].datagram.size(), 1428u);
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
}

BOOST_AUTO_TEST_CASE(disabled_divert_sockets_refuse_rules_and_sockets)
{
    Chain c = MakeChain({true, false, false}, 1500, 1500, [](DivertStackHelper& h) {
        h.SetStackAttribute("DivertSockets", BooleanValue(false));
    });
    Ipchains::Result r = Stack(c.H0())->GetFirewall()->Execute("-A input -j DIVERT 100");
    BOOST_CHECK(!r.ok);
    BOOST_CHECK_MESSAGE(r.error.find("DIVERT") != std::string::npos, r.error);
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetFirewall()->GetRuleCount("input"), 0u);
    Ptr<Socket> s = Socket::CreateSocket(c.H0(), DivertSocketFactory::GetTypeId());
    BOOST_CHECK_EQUAL(s->Bind(InetSocketAddress(Ipv4Address::GetAny(), 100)), -1);
    BOOST_CHECK_EQUAL(s->GetErrno(), Socket::ERROR_OPNOTSUPP);
}

namespace
{
/** Rewrites "hello" into "HELLO" in UDP payloads; optionally fixes the UDP checksum. */
DivertInterceptor::Verdict
Uppercase(bool fixChecksum, Ptr<const Packet> datagram, const Address& from)
{
    Ptr<Packet> p = datagram->Copy();
    Ipv4Header ip;
    p->RemoveHeader(ip);
    UdpHeader udp;
    p->RemoveHeader(udp);
    Bytes payload = ToBytes(p);
    for (auto& b : payload)
    {
        b = std::toupper(b);
    }
    Ptr<Packet> out = Create<Packet>(payload.data(), payload.size());
    if (fixChecksum)
    {
        // A deserialised UdpHeader re-emits its old checksum and length unless
        // they are cleared.
        udp.ForceChecksum(0);
        udp.ForcePayloadSize(0);
        udp.EnableChecksums();
        udp.InitializeChecksum(ip.GetSource(), ip.GetDestination(), 17);
    }
    out->AddHeader(udp);
    out->AddHeader(ip);
    DivertInterceptor::Verdict v;
    v.action = DivertInterceptor::MODIFY;
    v.datagram = out;
    return v;
}
} // namespace

BOOST_AUTO_TEST_CASE(mangling_needs_the_l4_checksum_fixed)
{
    for (bool fix : {false, true})
    {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        Chain c = MakeChain({false, true, false});
        Rule(c.R(), "-A forward -p udp -j DIVERT 100");
        DivertInterceptorHelper helper(100);
        helper.SetVerdictCallback(MakeBoundCallback(&Uppercase, fix));
        ApplicationContainer apps = helper.Install(c.R());
        UdpProbe sink(c.H1(), 9);
        Bytes hello{'h', 'e', 'l', 'l', 'o'};
        SendUdp(c.H0(), c.right.GetAddress(1), 9, hello, Seconds(1));
        Simulator::Run();
        auto counters = DynamicCast<DivertInterceptor>(apps.Get(0))->GetCounters();
        BOOST_CHECK_EQUAL(counters.modified, 1u);
        if (fix)
        {
            BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
            BOOST_CHECK(sink.received[0] == (Bytes{'H', 'E', 'L', 'L', 'O'}));
        }
        else
        {
            BOOST_CHECK_EQUAL(sink.received.size(), 0u);
        }
        Simulator::Destroy();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }
}

namespace
{
DivertInterceptor::Verdict
DropEveryOther(uint32_t* n, Ptr<const Packet> datagram, const Address& from)
{
    DivertInterceptor::Verdict v;
    v.action = ((*n)++ % 2) ? DivertInterceptor::DROP : DivertInterceptor::PASS;
    return v;
}
} // namespace

BOOST_AUTO_TEST_CASE(interceptor_drop_pass_and_delay)
{
    Chain c = MakeChain({false, true, false});
    Rule(c.R(), "-A forward -p udp -j DIVERT 100");
    uint32_t n = 0;
    DivertInterceptorHelper helper(100);
    helper.SetAttribute("ProcessingDelay",
                        StringValue("ns3::ConstantRandomVariable[Constant=0.5]"));
    helper.SetVerdictCallback(MakeBoundCallback(&DropEveryOther, &n));
    ApplicationContainer apps = helper.Install(c.R());
    UdpProbe sink(c.H1(), 9);
    for (int i = 0; i < 4; i++)
    {
        SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10, i), MilliSeconds(i));
    }
    Simulator::Stop(Seconds(1.2));
    Simulator::Run();
    // FIFO server with 0.5 s per datagram: only the first passed one left by 1.2 s.
    BOOST_CHECK_EQUAL(sink.received.size(), 1u);
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    auto counters = DynamicCast<DivertInterceptor>(apps.Get(0))->GetCounters();
    BOOST_CHECK_EQUAL(counters.received, 4u);
    BOOST_CHECK_EQUAL(counters.passed, 2u);
    BOOST_CHECK_EQUAL(counters.dropped, 2u);
    BOOST_REQUIRE_EQUAL(sink.received.size(), 2u);
    BOOST_CHECK(sink.received[0] == Pattern(10, 0));
    BOOST_CHECK(sink.received[1] == Pattern(10, 2));
}

BOOST_AUTO_TEST_CASE(interceptor_on_port_in_use_reports_it)
{
    Chain c = MakeChain({false, true, false});
    Ptr<Socket> taken = OpenDivert(c.R(), 100);
    DivertInterceptorHelper helper(100);
    ApplicationContainer apps = helper.Install(c.R());
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    BOOST_CHECK_EQUAL(DynamicCast<DivertInterceptor>(apps.Get(0))->GetSocketError(),
                      Socket::ERROR_ADDRINUSE);
}

BOOST_AUTO_TEST_CASE(interceptor_on_a_plain_node_reports_it)
{
    // Regression: used to dereference the missing divert socket factory.
    Chain c = MakeChain({false, false, false});
    DivertInterceptorHelper helper(100);
    ApplicationContainer apps = helper.Install(c.R());
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    BOOST_CHECK_EQUAL(DynamicCast<DivertInterceptor>(apps.Get(0))->GetSocketError(),
                      Socket::ERROR_OPNOTSUPP);
}

BOOST_AUTO_TEST_CASE(mark_rides_with_the_packet_to_the_socket)
{
    Chain c = MakeChain({false, false, true});
    Rule(c.H1(), "-A input -p udp -m 0x2a");
    Rule(c.H1(), "-A input -p udp -j DIVERT 100");
    Ptr<Socket> s = OpenDivert(c.H1(), 100);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0));
    Simulator::Run();
    Ptr<Packet> p = s->Recv();
    BOOST_REQUIRE(p);
    DivertMarkTag tag;
    BOOST_REQUIRE(p->PeekPacketTag(tag));
    BOOST_CHECK_EQUAL(tag.GetMark(), 0x2au);
}

BOOST_AUTO_TEST_CASE(divert_pcap_reads_back_with_tshark)
{
    {
        Chain c = MakeChain({false, true, false});
        Rule(c.R(), "-A forward -p udp -j DIVERT 100");
        DivertProbe probe(c.R(), 100, true);
        UdpProbe sink(c.H1(), 4242);
        DivertStackHelper helper;
        helper.EnableDivertPcap("divert-socket-test", c.nodes);
        SendUdp(c.H0(), c.right.GetAddress(1), 4242, Pattern(10), Seconds(0));
        Simulator::Run();
        BOOST_CHECK_EQUAL(sink.received.size(), 1u);
        Simulator::Destroy(); // the nodes die with this scope: the file is closed
    }
    FILE* f = popen("tshark -r divert-socket-test-1-100.pcap -T fields -e ip.src -e ip.dst "
                    "-e udp.dstport 2>/dev/null",
                    "r");
    BOOST_REQUIRE(f);
    std::string out;
    char buf[256];
    while (fgets(buf, sizeof(buf), f))
    {
        out += buf;
    }
    pclose(f);
    // One line diverted, one line reinjected.
    BOOST_CHECK_EQUAL(out, "10.1.1.1\t10.1.2.2\t4242\n10.1.1.1\t10.1.2.2\t4242\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(ip_options, SimulatorFixture)

const Bytes OPTIONS = {0x9e, 0x04, 0xaa, 0xaa, 0x1e, 0x04, 0xbb, 0xbb}; // copied, not copied

BOOST_AUTO_TEST_CASE(options_cross_the_wire_and_reach_the_divert_socket)
{
    // h0 injects a datagram with options outbound; r and h1 divert it: each
    // socket reads the header as sent, IHL 7, options and a valid checksum;
    // what r reinjects keeps them, and h1's application gets the payload.
    Chain c = MakeChain({true, true, true});
    Rule(c.R(), "-A forward -p udp -j DIVERT 8000");
    Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
    DivertProbe atRouter(c.R(), 8000, true);
    DivertProbe atHost(c.H1(), 8000, true);
    UdpProbe sink(c.H1(), 9);
    std::vector<Bytes> onWire;
    c.rightDevices.Get(1)->TraceConnectWithoutContext(
        "MacRx",
        MakeCallback(+[](std::vector<Bytes>* v, Ptr<const Packet> p) {
            const Bytes frame = ToBytes(p);
            v->emplace_back(frame.begin() + 2, frame.end()); // after the PPP header
        }).Bind(&onWire));
    Ptr<Socket> inj = OpenDivert(c.H0(), 7000);
    Bytes d = WithOptions(
        MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(100)),
        OPTIONS);
    At(Seconds(0.1),
       [&]() { BOOST_CHECK_EQUAL(SendBytes(inj, d, Ipv4Address::GetAny()), int(d.size())); });
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(atRouter.received.size(), 1u);
    BOOST_CHECK(OptionsOf(atRouter.received[0].datagram) == OPTIONS);
    BOOST_REQUIRE_EQUAL(atHost.received.size(), 1u);
    BOOST_CHECK(OptionsOf(atHost.received[0].datagram) == OPTIONS);
    BOOST_CHECK_EQUAL(atHost.received[0].datagram.size(), 28u + 108u);
    BOOST_REQUIRE_EQUAL(onWire.size(), 1u);
    BOOST_CHECK_EQUAL(onWire[0][0], 0x47); // version 4, IHL 7
    BOOST_CHECK(OptionsOf(onWire[0]) == OPTIONS);
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(100));
}

BOOST_AUTO_TEST_CASE(forwarded_fragments_copy_only_copied_options)
{
    // r fragments a datagram with options for a 300-byte link: the first
    // fragment keeps both options, the later ones the copied one, NOP-filled
    // (default) or alone (Compact); h1's divert socket sees each fragment.
    for (const std::string mode : {"NopFill", "Compact"})
    {
        Chain c = MakeChain({true, true, true}, 1500, 300, [&](DivertStackHelper& h) {
            h.SetStackAttribute("FragmentOptions", StringValue(mode));
        });
        Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
        DivertProbe atHost(c.H1(), 8000, true);
        UdpProbe sink(c.H1(), 9);
        Ptr<Socket> inj = OpenDivert(c.H0(), 7000);
        Bytes d = WithOptions(
            MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(600)),
            OPTIONS);
        At(Seconds(0.1), [&]() { SendBytes(inj, d, Ipv4Address::GetAny()); });
        Simulator::Run();
        const Bytes later = mode == "NopFill" ? Bytes{0x9e, 0x04, 0xaa, 0xaa, 1, 1, 1, 1}
                                              : Bytes{0x9e, 0x04, 0xaa, 0xaa};
        // 608 bytes of UDP in blocks of (300 - 28) / 8 * 8 = 272.
        BOOST_REQUIRE_EQUAL(atHost.received.size(), 3u);
        BOOST_CHECK(OptionsOf(atHost.received[0].datagram) == OPTIONS);
        for (size_t i = 1; i < 3; ++i)
        {
            BOOST_CHECK(OptionsOf(atHost.received[i].datagram) == later);
            BOOST_CHECK_EQUAL(HeaderOf(atHost.received[i].datagram).GetFragmentOffset(), i * 272);
        }
        BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
        BOOST_CHECK(sink.received[0] == Pattern(600));
        Simulator::Destroy();
    }
}

BOOST_AUTO_TEST_CASE(malformed_options_are_refused_and_nothing_is_sent)
{
    Chain c = MakeChain({true, false, true});
    UdpProbe sink(c.H1(), 9);
    Ptr<Socket> inj = OpenDivert(c.H0(), 7000);
    const Bytes base =
        MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(10));
    const std::vector<Bytes> bad = {
        {0x9e, 0x00, 0x00, 0x00}, // length below 2
        {0x9e, 0x08, 0xaa, 0xaa}, // past the end of the options
        {0x01, 0x01, 0x01, 0x9e}, // no length byte
    };
    At(Seconds(0.1), [&]() {
        for (const Bytes& o : bad)
        {
            BOOST_CHECK_EQUAL(SendBytes(inj, WithOptions(base, o), Ipv4Address::GetAny()), -1);
            BOOST_CHECK_EQUAL(inj->GetErrno(), Socket::ERROR_INVAL);
        }
    });
    Simulator::Run();
    BOOST_CHECK(sink.received.empty());
    auto stats = Stack(c.H0())->GetDivertStats();
    BOOST_CHECK_EQUAL(stats.errors, 3u);
    BOOST_CHECK_EQUAL(stats.sent, 0u);
}

/**
 * h0 injects a UDP datagram with OPTIONS towards h1, where a UDP application
 * on port 9 sends back every packet it receives, tags and all.
 * \param divert which nodes get the divert stack
 * \param size UDP payload bytes
 * \param back set to what the UDP socket on h0's port 5 received
 * \return the datagrams h0's IPv4 layer received, header as on the wire
 */
std::vector<Bytes>
EchoDatagramWithOptions(std::vector<bool> divert, uint32_t size, std::vector<Bytes>& back)
{
    Chain c = MakeChain(divert);
    std::vector<Bytes> atH0;
    Stack(c.H0())->TraceConnectWithoutContext(
        "Rx",
        MakeCallback(+[](std::vector<Bytes>* v, Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
            v->push_back(ToBytes(p));
        }).Bind(&atH0));
    Ptr<Socket> echo = Socket::CreateSocket(c.H1(), UdpSocketFactory::GetTypeId());
    echo->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    echo->SetRecvCallback(MakeCallback(+[](Ptr<Socket> s) {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            s->SendTo(p, 0, from);
        }
    }));
    UdpProbe sink(c.H0(), 5);
    Ptr<Socket> inj = OpenDivert(c.H0(), 7000);
    Bytes d = WithOptions(
        MakeUdpDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 5, 9, Pattern(size)),
        OPTIONS);
    At(Seconds(0.1), [&]() { SendBytes(inj, d, Ipv4Address::GetAny()); });
    Simulator::Run();
    back = sink.received;
    return atH0;
}

BOOST_AUTO_TEST_CASE(options_tag_left_by_a_plain_node_is_not_put_back_on_the_wire)
{
    // A plain ns-3 host echoes a datagram that came with options: its stack
    // sends the packet (still tagged) with a 20-byte header. The divert
    // router must not take the stale tag for options and write them.
    std::vector<Bytes> back;
    std::vector<Bytes> atH0 = EchoDatagramWithOptions({true, true, false}, 20, back);
    BOOST_REQUIRE_EQUAL(atH0.size(), 1u);
    BOOST_CHECK_EQUAL(atH0[0][0], 0x45); // IHL 5: no options
    BOOST_CHECK_EQUAL(atH0[0].size(), 20u + 8u + 20u);
    BOOST_REQUIRE_EQUAL(back.size(), 1u);
    BOOST_CHECK(back[0] == Pattern(20));
}

BOOST_AUTO_TEST_CASE(inbound_injection_with_options_reaches_the_application)
{
    // Injected into h1 as if received: the reassembled datagram keeps the
    // first fragment's options, a later fragment's differ.
    Chain c = MakeChain({true, false, true});
    UdpProbe sink(c.H1(), 9);
    std::vector<Bytes> delivered;
    Stack(c.H1())->TraceConnectWithoutContext(
        "LocalDeliver",
        MakeCallback(+[](std::vector<Bytes>* v, const Ipv4Header&, Ptr<const Packet> p, uint32_t) {
            v->push_back(Ipv4OptionsTag::OptionsOf(p));
        }).Bind(&delivered));
    Ptr<Socket> inj = OpenDivert(c.H1(), 7000);
    Bytes whole =
        MakeUdpDatagram(Ipv4Address("192.0.2.1"), c.right.GetAddress(1), 5, 9, Pattern(40));
    // Split by hand: 24 bytes at offset 0 (MF), 24 at offset 24.
    Bytes first(whole.begin(), whole.begin() + 44);
    Bytes second = whole;
    second.erase(second.begin() + 20, second.begin() + 44);
    first[6] = 0x20; // MF
    second[6] = 0x00;
    second[7] = 3; // offset 24
    first = WithOptions(first, OPTIONS);
    second = WithOptions(second, {0x9e, 0x04, 0xaa, 0xaa, 1, 1, 1, 1});
    At(Seconds(0.1), [&]() {
        BOOST_CHECK_EQUAL(SendBytes(inj, second, c.right.GetAddress(1)), int(second.size()));
        BOOST_CHECK_EQUAL(SendBytes(inj, first, c.right.GetAddress(1)), int(first.size()));
    });
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_CHECK(sink.received[0] == Pattern(40));
    BOOST_REQUIRE_EQUAL(delivered.size(), 1u);
    BOOST_CHECK(delivered[0] == OPTIONS);
}

BOOST_AUTO_TEST_CASE(application_echoing_a_received_packet_sends_no_options)
{
    // Regression: a UDP application that sends back the packet it received
    // (tags and all) must not send the options of the datagram it came in.
    std::vector<Bytes> back;
    std::vector<Bytes> atH0 = EchoDatagramWithOptions({true, true, true}, 30, back);
    BOOST_REQUIRE_EQUAL(atH0.size(), 1u);
    BOOST_CHECK_EQUAL(atH0[0][0], 0x45); // IHL 5: no options
    BOOST_CHECK_EQUAL(atH0[0].size(), 20u + 8u + 30u);
    BOOST_REQUIRE_EQUAL(back.size(), 1u);
    BOOST_CHECK(back[0] == Pattern(30));
}

BOOST_AUTO_TEST_SUITE_END()

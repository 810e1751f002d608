/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Fuzz findings of issue 12 (point 3) and "divert drops are never silent"
// (point 6): each finding's regression test, then one test per DivertDrop
// reason that makes the drop happen and checks its counter and trace.

#define BOOST_TEST_MODULE divert - fuzz
#include "divert-test-utils.h"

#include <boost/test/unit_test.hpp>

using namespace ns3;
using namespace divtest;

namespace
{
using Reason = DivertIpv4L3Protocol::DivertDropReason;

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

/** Records the reasons of a stack's "DivertDrop" trace source. */
struct DropLog
{
    std::vector<Reason> reasons; //!< in order

    explicit DropLog(Ptr<DivertIpv4L3Protocol> stack)
    {
        stack->TraceConnectWithoutContext("DivertDrop", MakeCallback(&DropLog::Record, this));
    }

    void Record(const Ipv4Header&, Ptr<const Packet>, Reason reason, uint32_t)
    {
        reasons.push_back(reason);
    }

    size_t Count(Reason reason) const
    {
        return std::count(reasons.begin(), reasons.end(), reason);
    }
};

/** A TCP header (20 bytes plus options) as bytes, checksum 0. */
Bytes
TcpSegment(uint16_t sport, uint16_t dport, const Bytes& options, const Bytes& payload = {})
{
    Bytes options4 = options;
    while (options4.size() % 4 != 0)
    {
        options4.push_back(0); // End of Option List
    }
    const uint8_t dataOffset = static_cast<uint8_t>((20 + options4.size()) / 4);
    Bytes b{static_cast<uint8_t>(sport >> 8),
            static_cast<uint8_t>(sport),
            static_cast<uint8_t>(dport >> 8),
            static_cast<uint8_t>(dport),
            0,
            0,
            0,
            1, // sequence number
            0,
            0,
            0,
            0, // acknowledgement number
            static_cast<uint8_t>(dataOffset << 4),
            0x02, // SYN
            0xff,
            0xff, // window
            0,
            0, // checksum
            0,
            0}; // urgent pointer
    b.insert(b.end(), options4.begin(), options4.end());
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}
} // namespace

BOOST_FIXTURE_TEST_SUITE(fuzz, SimulatorFixture)

// Finding 1: an outbound datagram to a link-local multicast group used to
// reach Ipv4StaticRouting::RouteOutput with no output device, which
// dereferences the interface of a null device (its NS_ASSERT is compiled out
// in release builds).
BOOST_AUTO_TEST_CASE(outbound_link_local_multicast_never_crashes)
{
    Chain c = MakeChain({true, false, false});
    Ptr<Socket> s = OpenDivert(c.H0(), 7000);
    DropLog drops(Stack(c.H0()));
    uint64_t txFrames = 0;
    c.leftDevices.Get(0)->TraceConnectWithoutContext(
        "MacTx",
        MakeCallback(+[](uint64_t* n, Ptr<const Packet>) { (*n)++; }).Bind(&txFrames));
    // From one of h0's addresses: out of that address's interface (Linux
    // ip_route_output_slow: a multicast source picks its device).
    Bytes own = MakeUdpDatagram(c.left.GetAddress(0), Ipv4Address("224.0.0.9"), 520, 520, {1});
    // From an address that is not h0's: no interface to send it on.
    Bytes foreign = MakeUdpDatagram(Ipv4Address("192.0.2.1"), Ipv4Address("224.0.0.9"), 5, 5, {2});
    // A group outside 224.0.0.0/24 is routed by the routing tables.
    int rOwn = 0;
    int rForeign = 0;
    At(Seconds(0.1), [&]() {
        rOwn = SendBytes(s, own, Ipv4Address::GetAny());
        rForeign = SendBytes(s, foreign, Ipv4Address::GetAny());
    });
    Simulator::Run();
    BOOST_CHECK_EQUAL(rOwn, int(own.size()));
    BOOST_CHECK_EQUAL(txFrames, 1u);
    BOOST_CHECK_EQUAL(rForeign, -1);
    BOOST_CHECK_EQUAL(s->GetErrno(), Socket::ERROR_NOROUTETOHOST);
    auto stats = Stack(c.H0())->GetDivertStats();
    BOOST_CHECK_EQUAL(stats.injected, 1u);
    BOOST_CHECK_EQUAL(stats.noRoute, 1u);
    BOOST_CHECK_EQUAL(drops.Count(DivertIpv4L3Protocol::DIVERT_DROP_NO_ROUTE), 1u);
}

// Finding 1, second shape: a multicast datagram the output chain diverted
// is reinjected out of the interface it was leaving by.
BOOST_AUTO_TEST_CASE(reinjected_link_local_multicast_leaves_by_its_interface)
{
    Chain c = MakeChain({true, false, false});
    Rule(c.H0(), "-A output -p udp -d 224.0.0.0/24 -j DIVERT 8000");
    DivertProbe probe(c.H0(), 8000, true);
    uint64_t txFrames = 0;
    c.leftDevices.Get(0)->TraceConnectWithoutContext(
        "MacTx",
        MakeCallback(+[](uint64_t* n, Ptr<const Packet>) { (*n)++; }).Bind(&txFrames));
    At(Seconds(0.1), [&]() {
        Ptr<Socket> u = Socket::CreateSocket(c.H0(), UdpSocketFactory::GetTypeId());
        u->Bind();
        u->BindToNetDevice(c.leftDevices.Get(0));
        u->SendTo(Create<Packet>(10), 0, InetSocketAddress(Ipv4Address("224.0.0.9"), 520));
        u->Close();
    });
    Simulator::Run();
    BOOST_REQUIRE_EQUAL(probe.received.size(), 1u);
    BOOST_CHECK_EQUAL(txFrames, 1u);
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetDivertStats().reinjected, 1u);
}

// Finding 3: an option of unknown kind with length 0 makes ns-3.37's
// TcpHeader::Deserialize loop, appending options until memory runs out.
BOOST_AUTO_TEST_CASE(tcp_option_of_length_zero_is_refused)
{
    Chain c = MakeChain({true, false, true});
    Ptr<Socket> in = OpenDivert(c.H1(), 7000);
    Ptr<Socket> out = OpenDivert(c.H0(), 7000);
    DropLog drops1(Stack(c.H1()));
    Bytes seg = TcpSegment(5, 80, {0x99, 0x00, 0x01, 0x01});
    Bytes d = MakeDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 6, seg);
    // An MSS option of another length than 4 makes TcpOptionMSS abort.
    Bytes mss = MakeDatagram(c.left.GetAddress(0),
                             c.right.GetAddress(1),
                             6,
                             TcpSegment(5, 80, {0x02, 0x03, 0x05, 0x01}));
    int rIn = 0;
    int rOut = 0;
    int rMss = 0;
    Socket::SocketErrno eIn = Socket::ERROR_NOTERROR;
    Socket::SocketErrno eOut = Socket::ERROR_NOTERROR;
    At(Seconds(0.1), [&]() {
        rIn = SendBytes(in, d, c.right.GetAddress(1));
        eIn = in->GetErrno();
        rMss = SendBytes(in, mss, c.right.GetAddress(1));
        rOut = SendBytes(out, d, Ipv4Address::GetAny());
        eOut = out->GetErrno();
    });
    Simulator::Run();
    BOOST_CHECK_EQUAL(rIn, -1);
    BOOST_CHECK_EQUAL(eIn, Socket::ERROR_INVAL);
    BOOST_CHECK_EQUAL(rMss, -1);
    BOOST_CHECK_EQUAL(rOut, -1);
    BOOST_CHECK_EQUAL(eOut, Socket::ERROR_INVAL);
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetDivertStats().badTransport, 2u);
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetDivertStats().badTransport, 1u);
    BOOST_CHECK_EQUAL(drops1.Count(DivertIpv4L3Protocol::DIVERT_DROP_BAD_TRANSPORT), 2u);
    BOOST_CHECK_EQUAL(Stack(c.H0())->GetDivertStats().sent, 0u);
}

// Finding 4: an ICMP echo shorter than its 8 bytes makes ns-3.37's
// Icmpv4Echo::Deserialize allocate (remaining - 4) bytes, about 4 GiB.
BOOST_AUTO_TEST_CASE(short_icmp_echo_is_refused)
{
    Chain c = MakeChain({true, false, true});
    Ptr<Socket> in = OpenDivert(c.H1(), 7000);
    DropLog drops(Stack(c.H1()));
    // Type 8, code 0, checksum, then 2 bytes of the identifier.
    Bytes echo =
        MakeDatagram(c.left.GetAddress(0), c.right.GetAddress(1), 1, {8, 0, 0xf7, 0xff, 0, 0});
    int r = 0;
    At(Seconds(0.1), [&]() { r = SendBytes(in, echo, c.right.GetAddress(1)); });
    Simulator::Run();
    BOOST_CHECK_EQUAL(r, -1);
    BOOST_CHECK_EQUAL(in->GetErrno(), Socket::ERROR_INVAL);
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetDivertStats().badTransport, 1u);
    BOOST_CHECK_EQUAL(drops.Count(DivertIpv4L3Protocol::DIVERT_DROP_BAD_TRANSPORT), 1u);
}

// Finding 5: a forwarded datagram diverted on a router whose egress MTU is
// below 68 went through the verdict 32 times and vanished. Cause: ns-3 keeps
// an interface with such an MTU down (Ipv4L3Protocol::SetUp, RFC 791), and
// says so only in debug builds; global routing then gives r a default route
// back to h0, which routes the datagram back to r: a routing loop, each pass
// a new arrival (diverted once, passes 1), until h0 finds its TTL spent.
BOOST_AUTO_TEST_CASE(egress_mtu_below_68_is_refused_aloud)
{
    std::ostringstream said;
    std::streambuf* old = std::clog.rdbuf(said.rdbuf());
    Chain c = MakeChain({false, true, false}, 1500, 60);
    std::clog.rdbuf(old);
    BOOST_CHECK(!Stack(c.R())->IsUp(2));
    BOOST_CHECK_MESSAGE(said.str().find("interface 2 (eth1) stays down: its device MTU 60 is "
                                        "below the IPv4 minimum of 68 octets") != std::string::npos,
                        said.str());
    Rule(c.R(), "-A forward -p udp -j DIVERT 8000");
    DivertProbe probe(c.R(), 8000, true);
    std::vector<Ipv4L3Protocol::DropReason> h0Drops;
    c.H0()->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Drop",
        MakeCallback(+[](std::vector<Ipv4L3Protocol::DropReason>* v,
                         const Ipv4Header&,
                         Ptr<const Packet>,
                         Ipv4L3Protocol::DropReason r,
                         Ptr<Ipv4>,
                         uint32_t) {
            v->push_back(r);
        }).Bind(&h0Drops));
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    // Each pass is a new arrival on r: one diversion each, never re-diverted.
    BOOST_CHECK_EQUAL(probe.received.size(), 32u);
    for (const auto& item : probe.received)
    {
        DivertIpv4L3Protocol::DiversionInfo info;
        BOOST_REQUIRE(Stack(c.R())->LookupDiversion(item.from.GetPort(), info));
        BOOST_CHECK_EQUAL(info.passes, 1u);
    }
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().reinjected, 32u);
    // Not silent: h0 drops it when its TTL runs out.
    BOOST_REQUIRE_EQUAL(h0Drops.size(), 1u);
    BOOST_CHECK_EQUAL(h0Drops[0], Ipv4L3Protocol::DROP_TTL_EXPIRED);
}

// Finding 5, where the stack can see the MTU: a device MTU lowered below 68
// while the interface is up. One verdict, then a counted, traced drop.
BOOST_AUTO_TEST_CASE(egress_mtu_lowered_below_68_one_verdict_then_too_big)
{
    Chain c = MakeChain({false, true, false});
    c.rightDevices.Get(0)->SetMtu(60);
    Rule(c.R(), "-A forward -p udp -j DIVERT 8000");
    DivertProbe probe(c.R(), 8000, true);
    DropLog drops(Stack(c.R()));
    UdpProbe sink(c.H1(), 9);
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(100), Seconds(0));
    Simulator::Run();
    BOOST_CHECK_EQUAL(probe.received.size(), 1u);
    BOOST_CHECK_EQUAL(sink.received.size(), 0u);
    BOOST_REQUIRE_EQUAL(drops.reasons.size(), 1u);
    BOOST_CHECK_EQUAL(drops.reasons[0], DivertIpv4L3Protocol::DIVERT_DROP_TOO_BIG);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().tooBig, 1u);
}

// Finding 2: fragment 0 with 40 bytes of options and a later fragment
// without any reassembled to 65,575 bytes, and the divert socket read a
// Total Length of 39 (65,575 mod 65,536).
BOOST_AUTO_TEST_CASE(reassembly_counts_the_first_fragments_options_in_the_limit)
{
    for (uint32_t tail : {65507u, 65467u})
    {
        Chain c = MakeChain({false, false, true}, 1500, 1500, [](DivertStackHelper& h) {
            h.SetStackAttribute("AlwaysDefragment", BooleanValue(true));
        });
        Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
        DivertProbe probe(c.H1(), 8000, false);
        Ptr<Socket> inj = OpenDivert(c.H1(), 7000);
        const Ipv4Address src = c.left.GetAddress(0);
        const Ipv4Address dst = c.right.GetAddress(1);
        // Fragment 0: a 60-byte header and 8 bytes; fragment 1: a 20-byte
        // header and the rest, 65,535 bytes on its own with tail 65,507.
        Bytes first = MakeDatagram(src, dst, 17, Pattern(8), 99);
        Ptr<Packet> p = Create<Packet>(first.data(), first.size());
        Ipv4Header h;
        p->RemoveHeader(h);
        h.SetMoreFragments();
        p->AddHeader(Ipv4WireHeader(h, Bytes(40, 1)));
        first = ToBytes(p);
        Bytes last = MakeDatagram(src, dst, 17, Pattern(tail, 1), 99);
        last[6] = 0;
        last[7] = 1; // offset 8 bytes, MF clear
        At(Seconds(0.1), [&]() {
            BOOST_CHECK_EQUAL(SendBytes(inj, first, dst), int(first.size()));
            BOOST_CHECK_EQUAL(SendBytes(inj, last, dst), int(last.size()));
        });
        Simulator::Run();
        const uint32_t whole = 60 + 8 + tail;
        auto counters = Stack(c.H1())->GetReassembler()->GetCounters();
        if (whole > 65535)
        {
            BOOST_CHECK_EQUAL(probe.received.size(), 0u);
            BOOST_CHECK_EQUAL(counters.oversize, 1u);
            BOOST_CHECK_EQUAL(counters.reassembled, 0u);
        }
        else
        {
            BOOST_REQUIRE_EQUAL(probe.received.size(), 1u);
            const Bytes& d = probe.received[0].datagram;
            BOOST_CHECK_EQUAL(d.size(), whole);
            BOOST_CHECK_EQUAL((d[2] << 8) | d[3], int(whole));
            BOOST_CHECK_EQUAL(d[0], 0x4f); // the first fragment's 60-byte header
            BOOST_CHECK_EQUAL(counters.oversize, 0u);
        }
        Simulator::Destroy();
    }
}

// Point 6: datagrams lost on a closed socket and to interceptor verdicts.
BOOST_AUTO_TEST_CASE(closed_socket_and_verdict_drops_are_counted_and_traced)
{
    Chain c = MakeChain({false, true, true});
    Rule(c.H1(), "-A input -p udp -j DIVERT 8000");
    Ptr<Socket> s = OpenDivert(c.H1(), 8000);
    DropLog drops1(Stack(c.H1()));
    Rule(c.R(), "-A forward -p udp -j DIVERT 100");
    DivertInterceptorHelper helper(100);
    helper.SetVerdictCallback(MakeCallback(+[](Ptr<const Packet> d, const Address&) {
        DivertInterceptor::Verdict v;
        v.action = d->GetSize() > 40 ? DivertInterceptor::MODIFY : DivertInterceptor::DROP;
        return v; // MODIFY without a datagram: a bad verdict
    }));
    helper.Install(c.R());
    DropLog dropsR(Stack(c.R()));
    SendUdp(c.H1(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0)); // loopback, queued
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(10), Seconds(0.1));
    SendUdp(c.H0(), c.right.GetAddress(1), 9, Pattern(30), Seconds(0.2));
    At(Seconds(1), [&]() { s->Close(); });
    Simulator::Run();
    BOOST_CHECK_EQUAL(Stack(c.H1())->GetDivertStats().socketClosed, 1u);
    BOOST_CHECK_EQUAL(drops1.Count(DivertIpv4L3Protocol::DIVERT_DROP_SOCKET_CLOSED), 1u);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().verdictDrops, 1u);
    BOOST_CHECK_EQUAL(Stack(c.R())->GetDivertStats().badVerdicts, 1u);
    BOOST_CHECK_EQUAL(dropsR.Count(DivertIpv4L3Protocol::DIVERT_DROP_VERDICT), 1u);
    BOOST_CHECK_EQUAL(dropsR.Count(DivertIpv4L3Protocol::DIVERT_DROP_BAD_VERDICT), 1u);
}

BOOST_AUTO_TEST_SUITE_END()

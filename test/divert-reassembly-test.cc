/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Unit tests of the IPv4 reassembly engine and fragmenter of the divert
// module. The engine is driven directly with fragments; time moves with the
// ns-3 simulator.

#define BOOST_TEST_MODULE divert - reassembly
#include "divert-test-utils.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/ipv4-fragmenter.h"
#include "ns3/ipv4-reassembler.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint8_t PROTO_ICMP = 1;
constexpr uint8_t PROTO_TCP = 6;
constexpr uint8_t PROTO_UDP = 17;

using Policy = Ipv4Reassembler::OverlapPolicy;

const std::vector<Policy> ALL_POLICIES = {Ipv4Reassembler::FIRST,
                                          Ipv4Reassembler::LAST,
                                          Ipv4Reassembler::BSD,
                                          Ipv4Reassembler::BSD_RIGHT,
                                          Ipv4Reassembler::LINUX,
                                          Ipv4Reassembler::WINDOWS,
                                          Ipv4Reassembler::SOLARIS,
                                          Ipv4Reassembler::DROP_ON_OVERLAP};

/// Destroys the simulator after each test, so that no event leaks across.
struct SimulatorFixture
{
    ~SimulatorFixture()
    {
        Simulator::Destroy();
    }
};

/// One fragment of a test train.
struct Frag
{
    uint16_t offset;  //!< payload offset in bytes
    std::string data; //!< payload bytes
    bool mf;          //!< more fragments
};

/// A fragment of `n` copies of `c`.
Frag
Fill(uint16_t offset, char c, uint32_t n, bool mf)
{
    return Frag{offset, std::string(n, c), mf};
}

/// Each letter of `blocks` repeated 8 times: the notation of Suricata's tests.
std::string
Blocks(const std::string& blocks)
{
    std::string out;
    for (char c : blocks)
    {
        out += std::string(8, c);
    }
    return out;
}

Ipv4Header
MakeHeader(uint16_t id,
           uint16_t offset,
           bool mf,
           uint16_t payloadSize,
           uint8_t protocol = PROTO_ICMP)
{
    Ipv4Header h;
    h.SetSource(Ipv4Address("1.1.1.1"));
    h.SetDestination(Ipv4Address("2.2.2.2"));
    h.SetProtocol(protocol);
    h.SetIdentification(id);
    h.SetTtl(64);
    h.SetFragmentOffset(offset);
    if (mf)
    {
        h.SetMoreFragments();
    }
    else
    {
        h.SetLastFragment();
    }
    h.SetPayloadSize(payloadSize);
    return h;
}

Ptr<Packet>
ToPacket(const std::string& s)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string
ToString(Ptr<const Packet> p)
{
    std::string s(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(&s[0]), s.size());
    return s;
}

/// What feeding a train gave.
struct Result
{
    bool done{false};    //!< a datagram completed
    int completedAt{-1}; //!< index of the fragment that completed it
    std::string payload; //!< its bytes
    Ipv4Header header;   //!< its header
};

/// Adds one fragment; returns true on completion.
bool
Add(Ptr<Ipv4Reassembler> r,
    const Frag& f,
    Result& result,
    uint16_t id = 1,
    uint8_t protocol = PROTO_ICMP)
{
    Ptr<Packet> datagram;
    Ipv4Header out;
    Ipv4Header h = MakeHeader(id, f.offset, f.mf, f.data.size(), protocol);
    if (r->AddFragment(ToPacket(f.data), h, 1, datagram, out))
    {
        result.done = true;
        result.payload = ToString(datagram);
        result.header = out;
        return true;
    }
    return false;
}

/// Feeds a train in order and reports the first completion.
Result
Feed(Ptr<Ipv4Reassembler> r,
     const std::vector<Frag>& frags,
     uint16_t id = 1,
     uint8_t protocol = PROTO_ICMP)
{
    Result result;
    for (size_t i = 0; i < frags.size(); ++i)
    {
        if (Add(r, frags[i], result, id, protocol))
        {
            result.completedAt = static_cast<int>(i);
            break;
        }
    }
    return result;
}

Ptr<Ipv4Reassembler>
MakeReassembler(Policy policy)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    r->SetOverlapPolicy(policy);
    return r;
}

/// Records the "Outcome" trace.
struct OutcomeLog
{
    std::vector<Ipv4Reassembler::Outcome> outcomes; //!< outcomes in order
    std::vector<uint16_t> ids;                      //!< identification of each
    std::vector<uint32_t> bytes;                    //!< bytes of each
    std::vector<Time> times;                        //!< when

    void Record(Ipv4Reassembler::Outcome o, const Ipv4Header& h, uint32_t b)
    {
        outcomes.push_back(o);
        ids.push_back(h.GetIdentification());
        bytes.push_back(b);
        times.push_back(Simulator::Now());
    }

    void Attach(Ptr<Ipv4Reassembler> r)
    {
        r->TraceConnectWithoutContext("Outcome", MakeCallback(&OutcomeLog::Record, this));
    }
};

/// Records the time-exceeded callback.
struct TimeExceededLog
{
    int calls{0};        //!< number of calls
    Ipv4Header header;   //!< last header
    std::string payload; //!< last payload
    uint32_t iif{0};     //!< last interface
    Time when;           //!< last call time

    void Record(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i)
    {
        calls++;
        header = h;
        payload = ToString(p);
        iif = i;
        when = Simulator::Now();
    }

    void Attach(Ptr<Ipv4Reassembler> r)
    {
        r->SetTimeExceededCallback(MakeCallback(&TimeExceededLog::Record, this));
    }
};

/// The Sturges/Novak train of Suricata src/defrag.c DefragDoSturgesNovakTest
/// (after Novak, "Target-Based Fragmentation Reassembly", 2005): nine
/// original fragments, then eight overlapping ones, the last with MF clear.
std::vector<Frag>
NovakTrain()
{
    return {
        Fill(0, 'A', 24, true),   // <1>
        Fill(32, 'B', 16, true),  // <2>
        Fill(48, 'C', 24, true),  // <3>
        Fill(80, 'D', 8, true),   // <3_1>
        Fill(104, 'E', 16, true), // <3_2>
        Fill(120, 'F', 24, true), // <3_3>
        Fill(144, 'G', 16, true), // <3_4>
        Fill(160, 'H', 16, true), // <3_5>
        Fill(176, 'I', 8, true),  // <3_6>
        Fill(8, 'J', 32, true),   // <4>
        Fill(48, 'K', 24, true),  // <5>
        Fill(72, 'L', 24, true),  // <6>
        Fill(96, 'M', 24, true),  // <7>
        Fill(128, 'N', 8, true),  // <8>
        Fill(152, 'O', 8, true),  // <9>
        Fill(160, 'P', 8, true),  // <10>
        Fill(176, 'Q', 16, false) // <11>
    };
}

} // namespace

// ---------------------------------------------------------------------------
BOOST_FIXTURE_TEST_SUITE(OverlapPolicies, SimulatorFixture)

// Every overlap shape against a held piece [16, 40), per policy. K keeps the
// held bytes, T takes the new ones, D drops the queue.
BOOST_AUTO_TEST_CASE(ShapeTable)
{
    struct Shape
    {
        const char* name;
        uint32_t start;
        uint32_t end;
    };

    const std::vector<Shape> shapes = {
        {"duplicate", 16, 40},
        {"new inside old", 24, 32},
        {"new covers old", 8, 48},
        {"left partial (new starts before, ends inside)", 8, 24},
        {"right partial (new starts inside, ends after)", 24, 48},
        {"same start, new shorter", 16, 24},
        {"same start, new longer", 16, 48},
        {"same end, new starts later", 24, 40},
        {"same end, new starts earlier", 8, 40},
    };
    // Columns follow `shapes`. FIRST/LAST: Novak; BSD: 4.4BSD ip_reass and
    // Suricata DEFRAG_POLICY_BSD; LINUX: ip_fragment.c and Suricata
    // DEFRAG_POLICY_LINUX; WINDOWS/SOLARIS: Suricata DEFRAG_POLICY_WINDOWS /
    // _SOLARIS; BSD_RIGHT: Snort frag3 FRAG_POLICY_BSD_RIGHT.
    const std::vector<std::pair<Policy, std::string>> table = {
        {Ipv4Reassembler::FIRST, "KKKKKKKKK"},
        {Ipv4Reassembler::LAST, "TTTTTTTTT"},
        {Ipv4Reassembler::BSD, "KKTTKKKKT"},
        {Ipv4Reassembler::BSD_RIGHT, "TKTKTKTKT"},
        {Ipv4Reassembler::LINUX, "TKTTKTTKT"},
        {Ipv4Reassembler::WINDOWS, "KKTKKKKKK"},
        {Ipv4Reassembler::SOLARIS, "KKTKKKKKT"},
        {Ipv4Reassembler::DROP_ON_OVERLAP, "DDDDDDDDD"},
    };
    for (const auto& row : table)
    {
        for (size_t i = 0; i < shapes.size(); ++i)
        {
            BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(row.first)
                               << ", " << shapes[i].name)
            {
                const auto res = Ipv4Reassembler::ResolveOverlap(row.first,
                                                                 shapes[i].start,
                                                                 shapes[i].end,
                                                                 16,
                                                                 40);
                const char got = res == Ipv4Reassembler::KEEP_OLD   ? 'K'
                                 : res == Ipv4Reassembler::TAKE_NEW ? 'T'
                                                                    : 'D';
                BOOST_TEST(got == row.second[i]);
            }
        }
    }
}

// The same shapes through the engine: the held fragment is [16, 40) of 'o',
// the new one of 'n'; the rest of the datagram is '.'. Checks bytes, not
// just the rule.
BOOST_AUTO_TEST_CASE(ShapesThroughEngine)
{
    struct Case
    {
        uint16_t start;
        uint16_t end;
    };

    const std::vector<Case> cases =
        {{16, 40}, {24, 32}, {8, 48}, {8, 24}, {24, 48}, {16, 24}, {16, 48}, {24, 40}, {8, 40}};
    for (Policy policy : ALL_POLICIES)
    {
        for (const Case& c : cases)
        {
            BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(policy)
                               << " new [" << c.start << "," << c.end << ")")
            {
                Ptr<Ipv4Reassembler> r = MakeReassembler(policy);
                std::string expected(56, '.');
                const auto res = Ipv4Reassembler::ResolveOverlap(policy, c.start, c.end, 16, 40);
                for (uint32_t i = 16; i < 40; ++i)
                {
                    expected[i] = 'o';
                }
                for (uint32_t i = c.start; i < c.end; ++i)
                {
                    if (i < 16 || i >= 40 || res == Ipv4Reassembler::TAKE_NEW)
                    {
                        expected[i] = 'n';
                    }
                }
                // Fillers cover exactly what neither fragment does.
                const uint16_t low = std::min<uint16_t>(c.start, 16);
                const uint16_t high = std::max<uint16_t>(c.end, 40);
                Result result = Feed(r,
                                     {Fill(16, 'o', 24, true),
                                      Fill(c.start, 'n', c.end - c.start, true),
                                      Fill(0, '.', low, true),
                                      Fill(high, '.', 56 - high, false)});
                if (policy == Ipv4Reassembler::DROP_ON_OVERLAP)
                {
                    // The overlap dropped the queue; the rest cannot complete.
                    BOOST_TEST(!result.done);
                    // Even the same range is no exact duplicate: other bytes.
                    BOOST_TEST(r->GetCounters().overlapDropped == 1U);
                }
                else
                {
                    BOOST_TEST(result.done);
                    BOOST_TEST(result.payload == expected);
                }
            }
        }
    }
}

/// Deterministic pseudo-random numbers (an LCG), the same on every platform.
class Lcg
{
  public:
    explicit Lcg(uint32_t seed)
        : m_state(seed)
    {
    }

    /// A number in [lo, hi].
    uint32_t Between(uint32_t lo, uint32_t hi)
    {
        m_state = m_state * 1664525U + 1013904223U;
        return lo + (m_state >> 8) % (hi - lo + 1);
    }

  private:
    uint32_t m_state;
};

/// A random train: a partition of the datagram into 8-byte-aligned
/// fragments, plus up to four overlapping ones, shuffled, with one fragment
/// ending the datagram (MF clear, offset > 0) arriving last. Each fragment
/// has its own letter.
std::vector<Frag>
RandomTrain(Lcg& rng)
{
    const uint32_t units = rng.Between(2, 8);
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    uint32_t at = 0;
    while (at < units)
    {
        const uint32_t next = rng.Between(at + 1, units);
        ranges.emplace_back(at, next);
        at = next;
    }
    const uint32_t extra = rng.Between(1, 4);
    for (uint32_t i = 0; i < extra; ++i)
    {
        const uint32_t a = rng.Between(0, units - 1);
        ranges.emplace_back(a, rng.Between(a + 1, units));
    }
    for (size_t i = ranges.size() - 1; i > 0; --i)
    {
        std::swap(ranges[i], ranges[rng.Between(0, i)]);
    }
    size_t lastIndex = ranges.size();
    for (size_t i = 0; i < ranges.size(); ++i)
    {
        if (ranges[i].second == units && ranges[i].first > 0)
        {
            lastIndex = i;
            break;
        }
    }
    if (lastIndex == ranges.size())
    {
        // Make the last partition piece start past 0.
        ranges.emplace_back(units - 1, units);
        lastIndex = ranges.size() - 1;
    }
    std::rotate(ranges.begin() + lastIndex, ranges.begin() + lastIndex + 1, ranges.end());
    std::vector<Frag> train;
    char letter = 'A';
    for (size_t i = 0; i < ranges.size(); ++i)
    {
        train.push_back(Fill(ranges[i].first * 8,
                             letter++,
                             (ranges[i].second - ranges[i].first) * 8,
                             i + 1 != ranges.size()));
    }
    return train;
}

/// The trimming loops of 4.4BSD ip_reass() (bsd = true) and Linux 2.4
/// ip_frag_queue() (bsd = false), written from their descriptions: the
/// fragment before the new one trims the new one, the following ones are
/// trimmed by it. They differ only in where a held fragment with the same
/// offset falls. Returns the datagram, or "" if it never completes.
std::string
KernelReassembly(const std::vector<Frag>& train, bool bsd)
{
    std::vector<std::pair<uint32_t, std::string>> held;
    uint32_t total = 0;
    bool lastSeen = false;
    for (const Frag& f : train)
    {
        uint32_t offset = f.offset;
        std::string data = f.data;
        const uint32_t end = offset + data.size();
        if (!f.mf)
        {
            total = end;
            lastSeen = true;
        }
        size_t i = 0;
        while (i < held.size() && (bsd ? held[i].first <= offset : held[i].first < offset))
        {
            ++i;
        }
        bool drop = false;
        if (i > 0)
        {
            const uint32_t prevEnd = held[i - 1].first + held[i - 1].second.size();
            if (prevEnd > offset)
            {
                drop = prevEnd >= end;
                if (!drop)
                {
                    data.erase(0, prevEnd - offset);
                    offset = prevEnd;
                }
            }
        }
        if (!drop)
        {
            while (i < held.size() && end > held[i].first)
            {
                const uint32_t cut = end - held[i].first;
                if (cut < held[i].second.size())
                {
                    held[i].second.erase(0, cut);
                    held[i].first += cut;
                    break;
                }
                held.erase(held.begin() + i);
            }
            held.insert(held.begin() + i, {offset, data});
        }
        std::string whole;
        for (const auto& h : held)
        {
            if (h.first != whole.size())
            {
                break;
            }
            whole += h.second;
        }
        if (lastSeen && whole.size() >= total)
        {
            return whole.substr(0, total);
        }
    }
    return "";
}

/// FIRST and LAST by definition: each byte from the first (or last)
/// fragment that carried it, once every byte has arrived.
std::string
ByteWiseReassembly(const std::vector<Frag>& train, bool last)
{
    std::string bytes;
    std::vector<bool> have;
    uint32_t total = 0;
    bool lastSeen = false;
    for (const Frag& f : train)
    {
        const uint32_t end = f.offset + f.data.size();
        if (bytes.size() < end)
        {
            bytes.resize(end);
            have.resize(end, false);
        }
        for (uint32_t i = f.offset; i < end; ++i)
        {
            if (last || !have[i])
            {
                bytes[i] = f.data[i - f.offset];
            }
            have[i] = true;
        }
        if (!f.mf)
        {
            total = end;
            lastSeen = true;
        }
        if (lastSeen && std::all_of(have.begin(), have.begin() + total, [](bool b) { return b; }))
        {
            return bytes.substr(0, total);
        }
    }
    return "";
}

// BSD and LINUX are exactly the kernel algorithms, FIRST and LAST exactly
// their definitions, on 2000 random trains of overlapping fragments.
BOOST_AUTO_TEST_CASE(MatchesKernelAlgorithms)
{
    Lcg rng(20050401);
    int bsdDiffersFromLinux = 0;
    int incomplete = 0;
    for (int n = 0; n < 2000; ++n)
    {
        const std::vector<Frag> train = RandomTrain(rng);
        bsdDiffersFromLinux += KernelReassembly(train, true) != KernelReassembly(train, false);
        incomplete += KernelReassembly(train, true).empty();
        const std::vector<std::pair<Policy, std::string>> expected = {
            {Ipv4Reassembler::BSD, KernelReassembly(train, true)},
            {Ipv4Reassembler::LINUX, KernelReassembly(train, false)},
            {Ipv4Reassembler::FIRST, ByteWiseReassembly(train, false)},
            {Ipv4Reassembler::LAST, ByteWiseReassembly(train, true)},
        };
        for (const auto& e : expected)
        {
            Result result = Feed(MakeReassembler(e.first), train);
            BOOST_TEST_CONTEXT("train " << n << ", "
                                        << Ipv4Reassembler::OverlapPolicyToString(e.first))
            {
                BOOST_TEST(result.done == !e.second.empty());
                BOOST_TEST(result.payload == e.second);
            }
        }
    }
    // The trains do tell the policies apart (1467 of 2000 with this seed),
    // and all complete.
    BOOST_TEST(bsdDiffersFromLinux > 1000);
    BOOST_TEST(incomplete == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// The classic overlap train under every policy. Expected strings: Suricata
// src/defrag.c DefragSturgesNovakBsdTest, DefragSturgesNovakLinuxIpv4Test,
// DefragSturgesNovakWindowsIpv4Test, DefragSturgesNovakSolarisTest,
// DefragSturgesNovakFirstTest, DefragSturgesNovakLastTest (one letter per
// 8 bytes, as their D_* macros).
BOOST_FIXTURE_TEST_SUITE(SturgesNovak, SimulatorFixture)

void
CheckNovak(Policy policy, const std::string& blocks)
{
    BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(policy))
    {
        Ptr<Ipv4Reassembler> r = MakeReassembler(policy);
        Result result = Feed(r, NovakTrain());
        BOOST_TEST(result.done);
        BOOST_TEST(result.completedAt == 16);
        BOOST_TEST(result.payload == Blocks(blocks));
        BOOST_TEST(result.header.GetPayloadSize() == 192);
        BOOST_TEST(result.header.IsLastFragment());
        BOOST_TEST(result.header.GetFragmentOffset() == 0);
        // Fragments <4> to <11> overlap held data, <1> to <3_6> do not.
        BOOST_TEST(r->GetCounters().overlaps == 8U);
        BOOST_TEST(r->GetCounters().reassembled == 1U);
        BOOST_TEST(r->GetQueueCount() == 0U);
        BOOST_TEST(r->GetMemoryUsed() == 0U);
    }
}

BOOST_AUTO_TEST_CASE(Bsd)
{
    // DefragSturgesNovakBsdTest
    CheckNovak(Ipv4Reassembler::BSD, "AAAJJBCCCLLLMMMFFFGGHHIQ");
}

BOOST_AUTO_TEST_CASE(Linux)
{
    // DefragSturgesNovakLinuxIpv4Test
    CheckNovak(Ipv4Reassembler::LINUX, "AAAJJBKKKLLLMMMFFFGGPHQQ");
}

BOOST_AUTO_TEST_CASE(Windows)
{
    // DefragSturgesNovakWindowsIpv4Test
    CheckNovak(Ipv4Reassembler::WINDOWS, "AAAJBBCCCLLLMEEFFFGGHHIQ");
}

BOOST_AUTO_TEST_CASE(Solaris)
{
    // DefragSturgesNovakSolarisTest
    CheckNovak(Ipv4Reassembler::SOLARIS, "AAAJBBCCCLLLMMMFFFGGHHIQ");
}

BOOST_AUTO_TEST_CASE(First)
{
    // DefragSturgesNovakFirstTest
    CheckNovak(Ipv4Reassembler::FIRST, "AAAJBBCCCLDLMEEFFFGGHHIQ");
}

BOOST_AUTO_TEST_CASE(Last)
{
    // DefragSturgesNovakLastTest
    CheckNovak(Ipv4Reassembler::LAST, "AJJJJBKKKLLLMMMFNFGOPHQQ");
}

BOOST_AUTO_TEST_CASE(BsdRight)
{
    // Suricata has no bsd-right policy and Snort ships no test for it: this
    // string is what snort3 src/stream/ip/ip_defrag.cc Defrag::insert() builds
    // for the train with FRAG_POLICY_BSD_RIGHT (J replaces A past byte 8
    // because it ends after A; Q replaces I, which it covers; N, O and P end
    // inside F, G and H and lose).
    CheckNovak(Ipv4Reassembler::BSD_RIGHT, "AJJJBBKKKLLLMMMFFFGGHHQQ");
}

BOOST_AUTO_TEST_CASE(DropOnOverlap)
{
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::DROP_ON_OVERLAP);
    OutcomeLog log;
    log.Attach(r);
    Result result = Feed(r, NovakTrain());
    // <4> overlaps <1> and <2>: the queue goes. <5> to <11> then start a new
    // queue and do not overlap one another; without offset 0 it stays open.
    BOOST_TEST(!result.done);
    BOOST_TEST(r->GetCounters().overlapDropped == 1U);
    BOOST_TEST(log.outcomes.size() == 1U);
    BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::OVERLAP_DROPPED);
    // Held were <1> to <3_6> (152 bytes), plus <4>'s 32.
    BOOST_TEST(log.bytes[0] == 152U + 32U);
    BOOST_TEST(r->GetQueueCount() == 1U);
}

BOOST_AUTO_TEST_CASE(EveryPolicyInReverse)
{
    // The same fragments, last one first: every policy still reassembles
    // 192 bytes; FIRST and LAST swap roles with the arrival order.
    std::vector<Frag> train = NovakTrain();
    std::vector<Frag> reversed(train.rbegin(), train.rend());
    Ptr<Ipv4Reassembler> first = MakeReassembler(Ipv4Reassembler::FIRST);
    Ptr<Ipv4Reassembler> last = MakeReassembler(Ipv4Reassembler::LAST);
    Result r1 = Feed(first, reversed);
    Result r2 = Feed(last, train);
    BOOST_TEST(r1.done);
    BOOST_TEST(r1.completedAt == 16);
    BOOST_TEST(r1.payload == r2.payload);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// Other Suricata src/defrag.c unit tests, IPv4 versions.
BOOST_FIXTURE_TEST_SUITE(SuricataCases, SimulatorFixture)

BOOST_AUTO_TEST_CASE(InOrderSimple)
{
    // DefragInOrderSimpleTest: 8 A, 8 B, 3 C; total length 39.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Result result =
        Feed(r, {Fill(0, 'A', 8, true), Fill(8, 'B', 8, true), Fill(16, 'C', 3, false)}, 12);
    BOOST_TEST(result.done);
    BOOST_TEST(result.completedAt == 2);
    BOOST_TEST(result.payload == "AAAAAAAABBBBBBBBCCC");
    BOOST_TEST(result.header.GetSerializedSize() + result.header.GetPayloadSize() == 39U);
}

BOOST_AUTO_TEST_CASE(ReverseSimple)
{
    // DefragReverseSimpleTest
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Result result =
        Feed(r, {Fill(16, 'C', 3, false), Fill(8, 'B', 8, true), Fill(0, 'A', 8, true)}, 12);
    BOOST_TEST(result.done);
    BOOST_TEST(result.completedAt == 2);
    BOOST_TEST(result.payload == "AAAAAAAABBBBBBBBCCC");
    BOOST_TEST(result.header.GetPayloadSize() == 19U);
}

BOOST_AUTO_TEST_CASE(JeremyLinux)
{
    // DefragTestJeremyLinux
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::LINUX);
    Result result = Feed(r,
                         {Fill(0, 'A', 24, true),
                          Fill(40, 'B', 48, true),
                          Fill(24, 'C', 48, true),
                          Fill(88, 'D', 14, false)});
    BOOST_TEST(result.done);
    BOOST_TEST(result.payload == Blocks("AAACCCCCCBB") + "DDDDDDDDDDDDDD");
}

BOOST_AUTO_TEST_CASE(BsdFragmentAfterNoMf)
{
    // DefragBsdFragmentAfterNoMfIpv4Test: the last fragment arrives first.
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::BSD);
    Result result = Feed(r,
                         {Fill(24, 'A', 16, false),
                          Fill(8, 'B', 16, true),
                          Fill(16, 'C', 16, true),
                          Fill(0, 'D', 8, true)},
                         0x96);
    BOOST_TEST(result.done);
    BOOST_TEST(result.payload == Blocks("DBBCA"));
}

BOOST_AUTO_TEST_CASE(BsdSubsequentOverlapsStartOfOriginal)
{
    // DefragBsdSubsequentOverlapsStartOfOriginalIpv4Test
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::BSD);
    Result result = Feed(r, {Fill(8, 'E', 24, false), Fill(0, 'M', 24, true)});
    BOOST_TEST(result.done);
    BOOST_TEST(result.payload == Blocks("MMME"));
}

BOOST_AUTO_TEST_CASE(BsdSubsequentOverlapsStartOfOriginal2)
{
    // DefragBsdSubsequentOverlapsStartOfOriginalIpv4Test_2
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::BSD);
    Result result = Feed(r,
                         {Frag{16, "AABBCCDDAABBDDCC", true},
                          Frag{8, "AACCBBDDAACCDDBB", true},
                          Frag{0, "ZZZZZZZZ", true},
                          Frag{32, "DDCCBBAA", false}},
                         6);
    BOOST_TEST(result.done);
    BOOST_TEST(result.payload == "ZZZZZZZZ"
                                 "AACCBBDD"
                                 "AACCDDBB"
                                 "AABBDDCC"
                                 "DDCCBBAA");
}

BOOST_AUTO_TEST_CASE(BsdMissingFragment)
{
    // DefragBsdMissingFragmentIpv4Test: bytes 32..40 never arrive.
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::BSD);
    Result result = Feed(r,
                         {Frag{16, "AABBCCDDAABBDDCC", true},
                          Frag{40, "AACCBBDD", true},
                          Frag{8, "AACCDDBBAADDBBCC", true},
                          Frag{0, "ZZZZZZZZ", true},
                          Frag{48, "DDCCBBAA", false}},
                         189);
    BOOST_TEST(!result.done);
    BOOST_TEST(r->GetQueueCount() == 1U);
}

BOOST_AUTO_TEST_CASE(TooLarge)
{
    // DefragTooLargeIpv4Test: offset field 8183 (65464 bytes) plus 71 bytes
    // and a 20-byte header pass 65535.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    OutcomeLog log;
    log.Attach(r);
    Result result = Feed(r, {Fill(65464, 'A', 71, false)});
    BOOST_TEST(!result.done);
    BOOST_TEST(r->GetCounters().oversize == 1U);
    BOOST_TEST(r->GetQueueCount() == 0U);
    BOOST_TEST(r->GetMemoryUsed() == 0U);
    BOOST_TEST(log.outcomes.size() == 1U);
    BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::OVERSIZE);
}

BOOST_AUTO_TEST_CASE(NoData)
{
    // DefragNoDataIpv4Test: offset 8, MF clear, no data: ignored.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Result result = Feed(r, {Frag{8, "", false}}, 12);
    BOOST_TEST(!result.done);
    BOOST_TEST(r->GetCounters().invalid == 1U);
    BOOST_TEST(r->GetQueueCount() == 0U);
}

BOOST_AUTO_TEST_CASE(DataBeyondLastFragment)
{
    // DefragMfIpv4Test sends C at 16 (MF), A at 0, then B at 8 with MF
    // clear; Suricata delivers "AAAAAAAABBBBBBBB" and drops C. Here, as in
    // Linux ip_frag_queue() ("If we already have some bits beyond end ... the
    // segment is corrupted"), the last fragment contradicts held data and is
    // dropped, so the queue waits and times out.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    TimeExceededLog icmp;
    icmp.Attach(r);
    Result result =
        Feed(r, {Fill(16, 'C', 8, true), Fill(0, 'A', 8, true), Fill(8, 'B', 8, false)}, 9);
    BOOST_TEST(!result.done);
    BOOST_TEST(r->GetCounters().invalid == 1U);
    Simulator::Run();
    BOOST_TEST(r->GetCounters().timedOut == 1U);
    BOOST_TEST(icmp.calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
BOOST_FIXTURE_TEST_SUITE(Engine, SimulatorFixture)

BOOST_AUTO_TEST_CASE(Defaults)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    StringValue policy;
    r->GetAttribute("OverlapPolicy", policy);
    BOOST_TEST(policy.Get() == "linux");
    BOOST_TEST(r->GetOverlapPolicy() == Ipv4Reassembler::LINUX);
    TimeValue timeout;
    r->GetAttribute("Timeout", timeout);
    BOOST_TEST(timeout.Get() == Seconds(30));
    BooleanValue refresh;
    r->GetAttribute("RefreshTimer", refresh);
    BOOST_TEST(refresh.Get());
    UintegerValue high;
    UintegerValue low;
    r->GetAttribute("HighThreshold", high);
    r->GetAttribute("LowThreshold", low);
    BOOST_TEST(high.Get() == 262144U);
    BOOST_TEST(low.Get() == 196608U);
    BooleanValue tiny;
    r->GetAttribute("TinyFragmentCheck", tiny);
    BOOST_TEST(!tiny.Get());

    r->SetAttribute("OverlapPolicy", StringValue("bsd-right"));
    BOOST_TEST(r->GetOverlapPolicy() == Ipv4Reassembler::BSD_RIGHT);
    r->SetAttribute("OverlapPolicy", StringValue("drop-on-overlap"));
    BOOST_TEST(r->GetOverlapPolicy() == Ipv4Reassembler::DROP_ON_OVERLAP);
    for (Policy p : ALL_POLICIES)
    {
        r->SetAttribute("OverlapPolicy", StringValue(Ipv4Reassembler::OverlapPolicyToString(p)));
        BOOST_TEST(r->GetOverlapPolicy() == p);
    }
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::REASSEMBLED) == "reassembled");
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::TIMED_OUT) == "timed-out");
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::EVICTED) == "evicted");
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::OVERLAP_DROPPED) ==
               "overlap-dropped");
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::OVERSIZE) == "oversize");
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::TINY_FRAGMENT) == "tiny-fragment");
    BOOST_TEST(Ipv4Reassembler::OutcomeToString(Ipv4Reassembler::INVALID) == "invalid");
}

BOOST_AUTO_TEST_CASE(NonFragmentPassesThrough)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Ptr<Packet> datagram;
    Ipv4Header out;
    Ipv4Header h = MakeHeader(5, 0, false, 10);
    BOOST_TEST(r->AddFragment(ToPacket("0123456789"), h, 2, datagram, out));
    BOOST_TEST(ToString(datagram) == "0123456789");
    BOOST_TEST(out.GetIdentification() == 5);
    BOOST_TEST(r->GetCounters().fragments == 0U);
    BOOST_TEST(r->GetQueueCount() == 0U);
}

BOOST_AUTO_TEST_CASE(ReassembledHeader)
{
    // The header is the first fragment's (TTL, TOS, addresses, ID), with MF
    // clear, offset 0 and the whole length, although the fragment that
    // completes the datagram is the middle one, with other TTL and TOS.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    OutcomeLog log;
    log.Attach(r);
    Ptr<Packet> datagram;
    Ipv4Header out;
    Ipv4Header first = MakeHeader(77, 0, true, 16, PROTO_UDP);
    first.SetTtl(10);
    first.SetTos(0x10);
    Ipv4Header middle = MakeHeader(77, 16, true, 16, PROTO_UDP);
    middle.SetTtl(50);
    middle.SetTos(0x08);
    Ipv4Header last = MakeHeader(77, 32, false, 5, PROTO_UDP);
    last.SetTtl(51);
    BOOST_TEST(!r->AddFragment(ToPacket(std::string(16, 'a')), first, 3, datagram, out));
    BOOST_TEST(!r->AddFragment(ToPacket(std::string(5, 'c')), last, 4, datagram, out));
    BOOST_TEST(r->AddFragment(ToPacket(std::string(16, 'b')), middle, 4, datagram, out));
    BOOST_TEST(ToString(datagram) == std::string(16, 'a') + std::string(16, 'b') + "ccccc");
    BOOST_TEST(out.GetTtl() == 10);
    BOOST_TEST(out.GetTos() == 0x10);
    BOOST_TEST(out.GetIdentification() == 77);
    BOOST_TEST(out.GetProtocol() == PROTO_UDP);
    BOOST_TEST(out.GetSource() == Ipv4Address("1.1.1.1"));
    BOOST_TEST(out.GetDestination() == Ipv4Address("2.2.2.2"));
    BOOST_TEST(out.IsLastFragment());
    BOOST_TEST(out.GetFragmentOffset() == 0);
    BOOST_TEST(out.GetPayloadSize() == 37);
    BOOST_TEST(log.outcomes.size() == 1U);
    BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::REASSEMBLED);
    BOOST_TEST(log.bytes[0] == 37U);
}

BOOST_AUTO_TEST_CASE(KeyIsSourceDestinationProtocolId)
{
    // Same ID, different protocol or source: separate datagrams.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Result udp;
    Result icmp;
    Result other;
    Ptr<Packet> datagram;
    Ipv4Header out;
    Ipv4Header otherSource = MakeHeader(9, 0, true, 8);
    otherSource.SetSource(Ipv4Address("3.3.3.3"));
    BOOST_TEST(!Add(r, Fill(0, 'u', 8, true), udp, 9, PROTO_UDP));
    BOOST_TEST(!Add(r, Fill(0, 'i', 8, true), icmp, 9, PROTO_ICMP));
    BOOST_TEST(!r->AddFragment(ToPacket("ssssssss"), otherSource, 1, datagram, out));
    BOOST_TEST(r->GetQueueCount() == 3U);
    BOOST_TEST(Add(r, Fill(8, 'U', 4, false), udp, 9, PROTO_UDP));
    BOOST_TEST(Add(r, Fill(8, 'I', 4, false), icmp, 9, PROTO_ICMP));
    BOOST_TEST(udp.payload == "uuuuuuuuUUUU");
    BOOST_TEST(icmp.payload == "iiiiiiiiIIII");
    BOOST_TEST(r->GetQueueCount() == 1U);
}

BOOST_AUTO_TEST_CASE(Duplicates)
{
    // A retransmitted fragment: every overlap policy reassembles once.
    for (Policy p : ALL_POLICIES)
    {
        BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(p))
        {
            Ptr<Ipv4Reassembler> r = MakeReassembler(p);
            Result result = Feed(r,
                                 {Fill(0, 'A', 16, true),
                                  Fill(0, 'A', 16, true),
                                  Fill(16, 'B', 8, true),
                                  Fill(16, 'B', 8, true),
                                  Fill(24, 'C', 3, false)});
            BOOST_TEST(result.done);
            BOOST_TEST(result.payload == Blocks("AAB") + "CCC");
            BOOST_TEST(r->GetCounters().overlaps == 2U);
            // RFC 5722: exact duplicates are ignored, not overlaps.
            BOOST_TEST(r->GetCounters().duplicates ==
                       (p == Ipv4Reassembler::DROP_ON_OVERLAP ? 2U : 0U));
            BOOST_TEST(r->GetCounters().overlapDropped == 0U);
        }
    }
}

BOOST_AUTO_TEST_CASE(DuplicateRangeWithOtherBytes)
{
    // Same range, other bytes: FIRST keeps the old, LAST takes the new,
    // DROP_ON_OVERLAP drops the queue (not an exact duplicate).
    const std::vector<Frag> train = {Fill(0, 'A', 8, true),
                                     Fill(0, 'X', 8, true),
                                     Fill(8, 'B', 8, false)};
    Result first = Feed(MakeReassembler(Ipv4Reassembler::FIRST), train);
    Result last = Feed(MakeReassembler(Ipv4Reassembler::LAST), train);
    Ptr<Ipv4Reassembler> strict = MakeReassembler(Ipv4Reassembler::DROP_ON_OVERLAP);
    Result dropped = Feed(strict, train);
    BOOST_TEST(first.payload == Blocks("AB"));
    BOOST_TEST(last.payload == Blocks("XB"));
    BOOST_TEST(!dropped.done);
    BOOST_TEST(strict->GetCounters().overlapDropped == 1U);
    BOOST_TEST(strict->GetCounters().duplicates == 0U);
}

BOOST_AUTO_TEST_CASE(HeaderFollowsTheBytesAtOffsetZero)
{
    // Two first fragments with different TTLs: the reassembled header is the
    // one whose bytes the policy kept at offset 0.
    for (Policy p : {Ipv4Reassembler::FIRST, Ipv4Reassembler::LAST})
    {
        Ptr<Ipv4Reassembler> r = MakeReassembler(p);
        Ptr<Packet> datagram;
        Ipv4Header out;
        Ipv4Header a = MakeHeader(1, 0, true, 8);
        a.SetTtl(11);
        Ipv4Header b = MakeHeader(1, 0, true, 8);
        b.SetTtl(22);
        r->AddFragment(ToPacket("aaaaaaaa"), a, 1, datagram, out);
        r->AddFragment(ToPacket("bbbbbbbb"), b, 1, datagram, out);
        BOOST_TEST(r->AddFragment(ToPacket("c"), MakeHeader(1, 8, false, 1), 1, datagram, out));
        BOOST_TEST(out.GetTtl() == (p == Ipv4Reassembler::FIRST ? 11 : 22));
        BOOST_TEST(ToString(datagram) == (p == Ipv4Reassembler::FIRST ? "aaaaaaaac" : "bbbbbbbbc"));
    }
}

BOOST_AUTO_TEST_CASE(PingOfDeath)
{
    // 1480-byte fragments of an ICMP echo: the 45th, at offset 65120, would
    // end at 66600 + 20 bytes of header. It and the whole queue are dropped.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    OutcomeLog log;
    log.Attach(r);
    Result result;
    for (uint16_t k = 0; k < 44; ++k)
    {
        BOOST_TEST(!Add(r, Fill(k * 1480, 'p', 1480, true), result, 4242));
    }
    BOOST_TEST(r->GetQueueCount() == 1U);
    BOOST_TEST(r->GetMemoryUsed() == 44U * (1480U + 192U));
    BOOST_TEST(!Add(r, Fill(65120, 'p', 1480, false), result, 4242));
    BOOST_TEST(r->GetCounters().oversize == 1U);
    BOOST_TEST(r->GetQueueCount() == 0U);
    BOOST_TEST(r->GetMemoryUsed() == 0U);
    BOOST_TEST(log.outcomes.size() == 1U);
    BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::OVERSIZE);
    BOOST_TEST(log.bytes[0] == 45U * 1480U);
    // The largest legal datagram still goes through: 65515 bytes of payload.
    Result big;
    BOOST_TEST(!Add(r, Fill(0, 'x', 65512, true), big, 4243));
    BOOST_TEST(Add(r, Fill(65512, 'y', 3, false), big, 4243));
    BOOST_TEST(big.payload.size() == 65515U);
    BOOST_TEST(big.header.GetPayloadSize() == 65515U);
}

BOOST_AUTO_TEST_CASE(FirstFragmentOptionsCountInTheLimitUnderEveryPolicy)
{
    // RFC 791: the reassembled header is that of the fragment at offset 0.
    // With 40 bytes of options it is 60 bytes: 65,476 payload bytes pass
    // 65,535, though each fragment on its own does not. The fragment whose
    // bytes end at offset 0 decides, so it is checked once the queue is
    // complete, whatever the policy and the order.
    const std::vector<uint8_t> options(40, 1);
    for (Policy p : ALL_POLICIES)
    {
        for (bool firstLast : {false, true})
        {
            for (uint32_t total : {65475u, 65476u})
            {
                Ptr<Ipv4Reassembler> r = MakeReassembler(p);
                OutcomeLog log;
                log.Attach(r);
                Ptr<Packet> head = ToPacket(std::string(1480, 'h'));
                Ipv4OptionsTag::SetOptionsOf(head, options);
                Ptr<Packet> tail = ToPacket(std::string(total - 1480, 't'));
                Ipv4Header headHeader = MakeHeader(5, 0, true, 1480);
                Ipv4Header tailHeader = MakeHeader(5, 1480, false, total - 1480);
                Ptr<Packet> datagram;
                Ipv4Header out;
                bool done = false;
                if (firstLast)
                {
                    BOOST_TEST(!r->AddFragment(tail, tailHeader, 1, datagram, out));
                    done = r->AddFragment(head, headHeader, 1, datagram, out);
                }
                else
                {
                    BOOST_TEST(!r->AddFragment(head, headHeader, 1, datagram, out));
                    done = r->AddFragment(tail, tailHeader, 1, datagram, out);
                }
                BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(p)
                                   << " total " << total << " first last " << firstLast)
                {
                    BOOST_TEST(done == (total == 65475U));
                    BOOST_TEST(r->GetCounters().oversize == (total == 65475U ? 0U : 1U));
                    BOOST_TEST(r->GetQueueCount() == 0U);
                    BOOST_TEST(r->GetMemoryUsed() == 0U);
                    BOOST_TEST_REQUIRE(log.outcomes.size() == 1U);
                    BOOST_TEST(log.outcomes[0] == (total == 65475U ? Ipv4Reassembler::REASSEMBLED
                                                                   : Ipv4Reassembler::OVERSIZE));
                    if (done)
                    {
                        BOOST_TEST(Ipv4OptionsTag::HeaderLengthOf(datagram) + datagram->GetSize() ==
                                   65535U);
                    }
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(OptionsOfTheFragmentThatWinsOffsetZeroCount)
{
    // Two fragments at offset 0, the second with 40 bytes of options: where
    // it wins the overlap, its 60-byte header makes the datagram 65,536
    // bytes and the queue is dropped; where the first stays, the 65,476
    // payload bytes and a 20-byte header are delivered. (Drop-on-overlap
    // drops the queue at the overlap: nothing to decide.)
    for (Policy p : ALL_POLICIES)
    {
        if (p == Ipv4Reassembler::DROP_ON_OVERLAP)
        {
            continue;
        }
        Ptr<Ipv4Reassembler> r = MakeReassembler(p);
        Ptr<Packet> plain = ToPacket(std::string(1480, 'a'));
        Ptr<Packet> withOptions = ToPacket(std::string(1480, 'b'));
        Ipv4OptionsTag::SetOptionsOf(withOptions, std::vector<uint8_t>(40, 1));
        Ptr<Packet> datagram;
        Ipv4Header out;
        r->AddFragment(plain, MakeHeader(6, 0, true, 1480), 1, datagram, out);
        r->AddFragment(withOptions, MakeHeader(6, 0, true, 1480), 1, datagram, out);
        const bool done = r->AddFragment(ToPacket(std::string(65476 - 1480, 't')),
                                         MakeHeader(6, 1480, false, 65476 - 1480),
                                         1,
                                         datagram,
                                         out);
        BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(p))
        {
            BOOST_TEST(r->GetQueueCount() == 0U);
            if (done)
            {
                BOOST_TEST(Ipv4OptionsTag::HeaderLengthOf(datagram) == 20U);
                BOOST_TEST(datagram->GetSize() == 65476U);
            }
            else
            {
                BOOST_TEST(r->GetCounters().oversize == 1U);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(Teardrop)
{
    // teardrop.c: a first fragment of 36 bytes (not a multiple of 8: invalid
    // here) and a last fragment of 4 bytes at offset 24, inside it.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    TimeExceededLog icmp;
    icmp.Attach(r);
    Result result = Feed(r, {Fill(0, 'T', 36, true), Fill(24, 'D', 4, false)}, 242);
    BOOST_TEST(!result.done);
    BOOST_TEST(r->GetCounters().invalid == 1U);
    // With an aligned first fragment, the last one ends inside held data:
    // the Linux "corrupted segment" check drops it, for every policy.
    for (Policy p : ALL_POLICIES)
    {
        BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(p))
        {
            Ptr<Ipv4Reassembler> q = MakeReassembler(p);
            Result aligned = Feed(q, {Fill(0, 'T', 40, true), Fill(24, 'D', 4, false)}, 243);
            BOOST_TEST(!aligned.done);
            BOOST_TEST(q->GetCounters().invalid == 1U);
            BOOST_TEST(q->GetMemoryUsed() == 40U + 192U);
        }
    }
    Simulator::Run();
    // The first queue held only the 4-byte last fragment: no fragment zero,
    // so no ICMP time exceeded.
    BOOST_TEST(r->GetCounters().timedOut == 1U);
    BOOST_TEST(icmp.calls == 0);
}

BOOST_AUTO_TEST_CASE(InconsistentFragments)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    OutcomeLog log;
    log.Attach(r);
    Result result;
    // Non-last fragment whose length is not a multiple of 8.
    BOOST_TEST(!Add(r, Fill(0, 'a', 12, true), result));
    // Zero-length fragment.
    BOOST_TEST(!Add(r, Frag{8, "", true}, result));
    BOOST_TEST(r->GetCounters().invalid == 2U);
    BOOST_TEST(r->GetQueueCount() == 0U);
    // Known end 24, then a non-last fragment past it, then another last
    // fragment with a different end.
    BOOST_TEST(!Add(r, Fill(16, 'c', 8, false), result));
    BOOST_TEST(!Add(r, Fill(16, 'x', 16, true), result));
    BOOST_TEST(!Add(r, Fill(8, 'x', 8, false), result));
    BOOST_TEST(r->GetCounters().invalid == 4U);
    // Truncated: payload shorter than the header says.
    Ptr<Packet> datagram;
    Ipv4Header out;
    BOOST_TEST(!r->AddFragment(ToPacket("bbbb"), MakeHeader(1, 8, true, 8), 1, datagram, out));
    BOOST_TEST(r->GetCounters().invalid == 5U);
    // Link padding after the payload is ignored.
    BOOST_TEST(
        !r->AddFragment(ToPacket("bbbbbbbbPAD"), MakeHeader(1, 8, true, 8), 1, datagram, out));
    BOOST_TEST(r->AddFragment(ToPacket("aaaaaaaa"), MakeHeader(1, 0, true, 8), 1, datagram, out));
    BOOST_TEST(ToString(datagram) == "aaaaaaaabbbbbbbbcccccccc");
    BOOST_TEST(r->GetCounters().fragments == 8U);
    BOOST_TEST(log.outcomes.size() == 6U);
    for (size_t i = 0; i < 5; ++i)
    {
        BOOST_TEST(log.outcomes[i] == Ipv4Reassembler::INVALID);
    }
    BOOST_TEST(log.outcomes[5] == Ipv4Reassembler::REASSEMBLED);
}

BOOST_AUTO_TEST_CASE(TimeoutWithFirstFragment)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    OutcomeLog log;
    log.Attach(r);
    TimeExceededLog icmp;
    icmp.Attach(r);
    Ptr<Packet> datagram;
    Ipv4Header out;
    r->AddFragment(ToPacket("firstfra"), MakeHeader(31, 0, true, 8), 7, datagram, out);
    r->AddFragment(ToPacket("tail"), MakeHeader(31, 16, false, 4), 8, datagram, out);
    Simulator::Run();
    BOOST_TEST(icmp.calls == 1);
    BOOST_TEST(icmp.when == Seconds(30));
    BOOST_TEST(icmp.header.GetFragmentOffset() == 0);
    BOOST_TEST(!icmp.header.IsLastFragment());
    BOOST_TEST(icmp.header.GetIdentification() == 31);
    BOOST_TEST(icmp.payload == "firstfra");
    BOOST_TEST(icmp.iif == 7U);
    BOOST_TEST(r->GetCounters().timedOut == 1U);
    BOOST_TEST(log.outcomes.size() == 1U);
    BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::TIMED_OUT);
    BOOST_TEST(log.bytes[0] == 12U);
    BOOST_TEST(r->GetQueueCount() == 0U);
    BOOST_TEST(r->GetMemoryUsed() == 0U);
}

BOOST_AUTO_TEST_CASE(TimeoutWithoutFirstFragment)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    TimeExceededLog icmp;
    icmp.Attach(r);
    Result result = Feed(r, {Fill(8, 'b', 8, true), Fill(16, 'c', 4, false)}, 32);
    BOOST_TEST(!result.done);
    Simulator::Run();
    BOOST_TEST(icmp.calls == 0);
    BOOST_TEST(r->GetCounters().timedOut == 1U);
    BOOST_TEST(r->GetQueueCount() == 0U);
}

BOOST_AUTO_TEST_CASE(RefreshTimer)
{
    // Fragments at 0 s and 20 s. Linux 2.2 restarts the timer: timeout at
    // 50 s. Without refresh the queue dies 30 s after its creation.
    for (bool refresh : {true, false})
    {
        BOOST_TEST_CONTEXT("refresh " << refresh)
        {
            Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
            r->SetAttribute("RefreshTimer", BooleanValue(refresh));
            r->SetAttribute("Timeout", TimeValue(Seconds(30)));
            OutcomeLog log;
            log.Attach(r);
            Result result;
            Add(r, Fill(0, 'a', 8, true), result);
            divtest::At(Seconds(20), [r, &result]() { Add(r, Fill(16, 'c', 8, false), result); });
            Simulator::Run();
            BOOST_TEST(log.outcomes.size() == 1U);
            BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::TIMED_OUT);
            BOOST_TEST(log.times[0] == (refresh ? Seconds(50) : Seconds(30)));
            Simulator::Destroy();
        }
    }
}

BOOST_AUTO_TEST_CASE(TimeoutThenNewQueue)
{
    // After a timeout the same key starts afresh: no stale data.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Result result;
    Add(r, Fill(0, 'a', 8, true), result);
    divtest::At(Seconds(31), [r, &result]() {
        Add(r, Fill(8, 'b', 8, false), result);
        Add(r, Fill(0, 'z', 8, true), result);
    });
    Simulator::Run();
    BOOST_TEST(result.done);
    BOOST_TEST(result.payload == Blocks("zb"));
    BOOST_TEST(r->GetCounters().timedOut == 1U);
}

BOOST_AUTO_TEST_CASE(MemoryAccounting)
{
    // Each held piece costs its bytes plus FragmentOverhead; a LAST overlap
    // in the middle of a held fragment splits it in three pieces.
    Ptr<Ipv4Reassembler> r = MakeReassembler(Ipv4Reassembler::LAST);
    r->SetAttribute("FragmentOverhead", UintegerValue(100));
    Result result;
    Add(r, Fill(0, 'a', 24, true), result);
    BOOST_TEST(r->GetMemoryUsed() == 24U + 100U);
    Add(r, Fill(8, 'b', 8, true), result);
    BOOST_TEST(r->GetMemoryUsed() == 24U + 3U * 100U);
    Add(r, Fill(0, 'c', 24, true), result);
    BOOST_TEST(r->GetMemoryUsed() == 24U + 100U);
    BOOST_TEST(Add(r, Fill(24, 'd', 1, false), result));
    BOOST_TEST(result.payload == Blocks("ccc") + "d");
    BOOST_TEST(r->GetMemoryUsed() == 0U);
}

BOOST_AUTO_TEST_CASE(EvictionUnderMemoryPressure)
{
    // 1000-byte first fragments cost 1192 bytes each. With 10000 high and
    // 6000 low, the ninth queue (10728 bytes) evicts the four oldest
    // (down to 5960).
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    r->SetAttribute("HighThreshold", UintegerValue(10000));
    r->SetAttribute("LowThreshold", UintegerValue(6000));
    OutcomeLog log;
    log.Attach(r);
    TimeExceededLog icmp;
    icmp.Attach(r);
    Result result;
    for (uint16_t id = 0; id < 8; ++id)
    {
        Add(r, Fill(0, 'a', 1000, true), result, id);
    }
    BOOST_TEST(r->GetMemoryUsed() == 8U * 1192U);
    BOOST_TEST(r->GetCounters().evicted == 0U);
    Add(r, Fill(0, 'a', 1000, true), result, 8);
    BOOST_TEST(r->GetCounters().evicted == 4U);
    BOOST_TEST(r->GetQueueCount() == 5U);
    BOOST_TEST(r->GetMemoryUsed() == 5U * 1192U);
    BOOST_TEST(log.outcomes.size() == 4U);
    for (uint16_t i = 0; i < 4; ++i)
    {
        BOOST_TEST(log.outcomes[i] == Ipv4Reassembler::EVICTED);
        BOOST_TEST(log.ids[i] == i);
        BOOST_TEST(log.bytes[i] == 1000U);
    }
    // Queue 4 survived and completes; queue 0 is gone and does not.
    Result four;
    BOOST_TEST(Add(r, Fill(1000, 'b', 8, false), four, 4));
    BOOST_TEST(four.payload.size() == 1008U);
    Result zero;
    BOOST_TEST(!Add(r, Fill(1000, 'b', 8, false), zero, 0));
    // Evicted queues send no ICMP.
    BOOST_TEST(icmp.calls == 0);
}

BOOST_AUTO_TEST_CASE(TinyFragmentChecks)
{
    // RFC 1858 section 3: TCP fragment at offset 8, and a TCP first fragment
    // with less than 16 bytes of header.
    for (bool check : {true, false})
    {
        BOOST_TEST_CONTEXT("check " << check)
        {
            Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
            r->SetAttribute("TinyFragmentCheck", BooleanValue(check));
            OutcomeLog log;
            log.Attach(r);
            Result tcp;
            BOOST_TEST(!Add(r, Fill(0, 'h', 8, true), tcp, 1, PROTO_TCP));
            BOOST_TEST(!Add(r, Fill(8, 'f', 8, true), tcp, 1, PROTO_TCP));
            BOOST_TEST(r->GetCounters().tinyDropped == (check ? 2U : 0U));
            if (check)
            {
                BOOST_TEST(log.outcomes.size() == 2U);
                BOOST_TEST(log.outcomes[0] == Ipv4Reassembler::TINY_FRAGMENT);
                BOOST_TEST(log.outcomes[1] == Ipv4Reassembler::TINY_FRAGMENT);
            }
            // A 16-byte TCP first fragment and later fragments pass.
            Result ok;
            BOOST_TEST(!Add(r, Fill(0, 'h', 16, true), ok, 2, PROTO_TCP));
            BOOST_TEST(Add(r, Fill(16, 'd', 4, false), ok, 2, PROTO_TCP));
            // UDP is not checked: 8-byte first fragment, fragment at 8.
            Result udp;
            BOOST_TEST(!Add(r, Fill(0, 'u', 8, true), udp, 3, PROTO_UDP));
            BOOST_TEST(Add(r, Fill(8, 'v', 2, false), udp, 3, PROTO_UDP));
            BOOST_TEST(r->GetCounters().tinyDropped == (check ? 2U : 0U));
        }
    }
}

BOOST_AUTO_TEST_CASE(TagsSurvive)
{
    // Packet tags come from the first fragment, byte tags stay on their bytes.
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    Ptr<Packet> datagram;
    Ipv4Header out;
    Ptr<Packet> first = ToPacket("aaaaaaaa");
    SocketIpTtlTag ttl;
    ttl.SetTtl(99);
    first->AddPacketTag(ttl);
    Ptr<Packet> second = ToPacket("bbbb");
    SocketIpTosTag tos;
    tos.SetTos(0x2e);
    second->AddByteTag(tos);
    r->AddFragment(second, MakeHeader(3, 8, false, 4), 1, datagram, out);
    BOOST_TEST(r->AddFragment(first, MakeHeader(3, 0, true, 8), 1, datagram, out));
    SocketIpTtlTag gotTtl;
    BOOST_TEST(datagram->PeekPacketTag(gotTtl));
    BOOST_TEST(gotTtl.GetTtl() == 99);
    SocketIpTosTag gotTos;
    BOOST_TEST(datagram->FindFirstMatchingByteTag(gotTos));
    BOOST_TEST(gotTos.GetTos() == 0x2e);
    ByteTagIterator i = datagram->GetByteTagIterator();
    BOOST_TEST(i.HasNext());
    ByteTagIterator::Item item = i.Next();
    BOOST_TEST(item.GetStart() == 8U);
    BOOST_TEST(item.GetEnd() == 12U);
}

BOOST_AUTO_TEST_CASE(ClearCancelsTimers)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    TimeExceededLog icmp;
    icmp.Attach(r);
    Result result;
    Add(r, Fill(0, 'a', 8, true), result, 1);
    Add(r, Fill(0, 'a', 8, true), result, 2);
    BOOST_TEST(r->GetQueueCount() == 2U);
    r->Clear();
    BOOST_TEST(r->GetQueueCount() == 0U);
    BOOST_TEST(r->GetMemoryUsed() == 0U);
    Simulator::Run();
    BOOST_TEST(r->GetCounters().timedOut == 0U);
    BOOST_TEST(icmp.calls == 0);
}

BOOST_AUTO_TEST_CASE(DisposeCancelsTimers)
{
    Ptr<Ipv4Reassembler> r = CreateObject<Ipv4Reassembler>();
    OutcomeLog log;
    log.Attach(r);
    TimeExceededLog icmp;
    icmp.Attach(r);
    Result result;
    Add(r, Fill(0, 'a', 8, true), result, 1);
    r->Dispose();
    BOOST_TEST(r->GetQueueCount() == 0U);
    Simulator::Run();
    BOOST_TEST(log.outcomes.empty());
    BOOST_TEST(icmp.calls == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
BOOST_FIXTURE_TEST_SUITE(Fragmenter, SimulatorFixture)

std::string
Pattern(uint32_t n)
{
    std::string s(n, '\0');
    for (uint32_t i = 0; i < n; ++i)
    {
        s[i] = static_cast<char>('A' + (i * 7 + i / 251) % 26);
    }
    return s;
}

BOOST_AUTO_TEST_CASE(NeedsFragmentation)
{
    BOOST_TEST(!Ipv4Fragmenter::NeedsFragmentation(Create<Packet>(1480), 1500));
    BOOST_TEST(Ipv4Fragmenter::NeedsFragmentation(Create<Packet>(1481), 1500));
    BOOST_TEST(!Ipv4Fragmenter::NeedsFragmentation(Create<Packet>(48), 68));
    BOOST_TEST(Ipv4Fragmenter::NeedsFragmentation(Create<Packet>(49), 68));
    // Options count in the header: 8 bytes of them leave 1472 for payload.
    Ptr<Packet> withOptions = Create<Packet>(1472);
    withOptions->AddPacketTag(Ipv4OptionsTag({0x94, 0x04, 0, 0, 0x01, 0x01, 0x01, 0x00}));
    BOOST_TEST(!Ipv4Fragmenter::NeedsFragmentation(withOptions, 1500));
    withOptions->AddAtEnd(Create<Packet>(1));
    BOOST_TEST(Ipv4Fragmenter::NeedsFragmentation(withOptions, 1500));
}

BOOST_AUTO_TEST_CASE(SizesAndOffsets)
{
    const std::string payload = Pattern(4000);
    for (uint16_t mtu : {68, 296, 576, 1006, 1500})
    {
        BOOST_TEST_CONTEXT("mtu " << mtu)
        {
            Ipv4Header h = MakeHeader(555, 0, false, 4000, PROTO_UDP);
            h.SetTtl(17);
            auto fragments = Ipv4Fragmenter::Fragment(ToPacket(payload), h, mtu);
            const uint32_t block = ((mtu - 20) / 8) * 8;
            BOOST_TEST(fragments.size() == (4000 + block - 1) / block);
            uint32_t expectedOffset = 0;
            std::string joined;
            size_t index = 0;
            for (const auto& f : fragments)
            {
                const bool lastOne = ++index == fragments.size();
                BOOST_TEST(f.second.GetFragmentOffset() == expectedOffset);
                BOOST_TEST(f.second.GetFragmentOffset() % 8 == 0);
                BOOST_TEST(f.second.GetPayloadSize() == f.first->GetSize());
                BOOST_TEST(f.second.GetSerializedSize() + f.first->GetSize() <= mtu);
                BOOST_TEST(f.second.IsLastFragment() == lastOne);
                if (!lastOne)
                {
                    BOOST_TEST(f.first->GetSize() == block);
                }
                BOOST_TEST(f.second.GetIdentification() == 555);
                BOOST_TEST(f.second.GetTtl() == 17);
                BOOST_TEST(f.second.GetProtocol() == PROTO_UDP);
                expectedOffset += f.first->GetSize();
                joined += ToString(f.first);
            }
            BOOST_TEST(joined == payload);
        }
    }
}

BOOST_AUTO_TEST_CASE(FitsUnchanged)
{
    Ipv4Header h = MakeHeader(2, 0, false, 999);
    auto fragments = Ipv4Fragmenter::Fragment(ToPacket("hello"), h, 1500);
    BOOST_TEST(fragments.size() == 1U);
    BOOST_TEST(ToString(fragments.front().first) == "hello");
    BOOST_TEST(fragments.front().second.GetPayloadSize() == 5);
    BOOST_TEST(fragments.front().second.IsLastFragment());
}

BOOST_AUTO_TEST_CASE(FragmentOfFragment)
{
    // A non-last fragment at offset 1480 refragmented for MTU 576: the pieces
    // start at 1480, are 552 bytes apart, and all keep MF.
    const std::string payload = Pattern(1480);
    Ipv4Header middle = MakeHeader(9, 1480, true, 1480);
    auto pieces = Ipv4Fragmenter::Fragment(ToPacket(payload), middle, 576);
    BOOST_TEST(pieces.size() == 3U);
    std::vector<uint16_t> offsets;
    for (const auto& p : pieces)
    {
        offsets.push_back(p.second.GetFragmentOffset());
        BOOST_TEST(!p.second.IsLastFragment());
    }
    BOOST_TEST(offsets == std::vector<uint16_t>({1480, 2032, 2584}));
    BOOST_TEST(pieces.back().first->GetSize() == 376U);

    // The last fragment of a datagram keeps MF clear on its last piece only.
    Ipv4Header last = MakeHeader(9, 2960, false, 1000);
    auto tail = Ipv4Fragmenter::Fragment(ToPacket(Pattern(1000)), last, 576);
    BOOST_TEST(tail.size() == 2U);
    BOOST_TEST(!tail.front().second.IsLastFragment());
    BOOST_TEST(tail.front().second.GetFragmentOffset() == 2960);
    BOOST_TEST(tail.back().second.IsLastFragment());
    BOOST_TEST(tail.back().second.GetFragmentOffset() == 2960 + 552);
}

BOOST_AUTO_TEST_CASE(Refusals)
{
    Ipv4Header h = MakeHeader(1, 0, false, 100);
    // MTU below 68 (RFC 791).
    BOOST_TEST(Ipv4Fragmenter::Fragment(ToPacket(Pattern(100)), h, 67).empty());
    BOOST_TEST(Ipv4Fragmenter::Fragment(ToPacket(Pattern(100)), h, 0).empty());
    auto at68 = Ipv4Fragmenter::Fragment(ToPacket(Pattern(100)), h, 68);
    BOOST_TEST(at68.size() == 3U);
    BOOST_TEST(at68.front().first->GetSize() == 48U);
    // DF set and too big.
    Ipv4Header df = h;
    df.SetDontFragment();
    BOOST_TEST(Ipv4Fragmenter::Fragment(ToPacket(Pattern(100)), df, 100).empty());
    BOOST_TEST(Ipv4Fragmenter::Fragment(ToPacket(Pattern(100)), df, 120).size() == 1U);
    // Offset plus size past 65535.
    Ipv4Header far = MakeHeader(1, 65000, false, 600);
    BOOST_TEST(Ipv4Fragmenter::Fragment(ToPacket(Pattern(600)), far, 576).empty());
}

BOOST_AUTO_TEST_CASE(TagsOnEveryFragment)
{
    Ptr<Packet> p = ToPacket(Pattern(200));
    SocketIpTtlTag ttl;
    ttl.SetTtl(5);
    p->AddPacketTag(ttl);
    SocketIpTosTag tos;
    tos.SetTos(0x10);
    p->AddByteTag(tos);
    auto fragments = Ipv4Fragmenter::Fragment(p, MakeHeader(1, 0, false, 200), 68);
    BOOST_TEST(fragments.size() == 5U);
    for (const auto& f : fragments)
    {
        SocketIpTtlTag gotTtl;
        BOOST_TEST(f.first->PeekPacketTag(gotTtl));
        BOOST_TEST(gotTtl.GetTtl() == 5);
        SocketIpTosTag gotTos;
        BOOST_TEST(f.first->FindFirstMatchingByteTag(gotTos));
        BOOST_TEST(gotTos.GetTos() == 0x10);
    }
}

BOOST_AUTO_TEST_CASE(RoundTripEveryPolicy)
{
    // Fragment for MTU 1500, refragment the second fragment for MTU 576, and
    // feed everything, last first, to each policy.
    const std::string payload = Pattern(4000);
    Ipv4Header h = MakeHeader(1234, 0, false, 4000, PROTO_UDP);
    auto first = Ipv4Fragmenter::Fragment(ToPacket(payload), h, 1500);
    BOOST_TEST(first.size() == 3U);
    Ipv4Fragmenter::FragmentList all;
    auto it = first.begin();
    all.push_back(*it++);
    auto split = Ipv4Fragmenter::Fragment(it->first, it->second, 576);
    BOOST_TEST(split.size() == 3U);
    all.insert(all.end(), split.begin(), split.end());
    all.push_back(*++it);
    for (Policy p : ALL_POLICIES)
    {
        BOOST_TEST_CONTEXT(Ipv4Reassembler::OverlapPolicyToString(p))
        {
            Ptr<Ipv4Reassembler> r = MakeReassembler(p);
            Ptr<Packet> datagram;
            Ipv4Header out;
            int completions = 0;
            for (auto f = all.rbegin(); f != all.rend(); ++f)
            {
                completions += r->AddFragment(f->first, f->second, 1, datagram, out);
            }
            BOOST_TEST(completions == 1);
            BOOST_TEST(ToString(datagram) == payload);
            BOOST_TEST(out.GetPayloadSize() == 4000);
            BOOST_TEST(out.IsLastFragment());
            BOOST_TEST(r->GetCounters().overlaps == 0U);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// --- IP options: the field's checks, the wire header, copying into fragments

BOOST_FIXTURE_TEST_SUITE(IpOptions, SimulatorFixture)

BOOST_AUTO_TEST_CASE(CheckNamesWhatIsWrong)
{
    std::string error;
    BOOST_TEST(Ipv4OptionsTag::Check({}, error));
    BOOST_TEST(Ipv4OptionsTag::Check({0x94, 0x04, 0, 0}, error));
    BOOST_TEST(Ipv4OptionsTag::Check({1, 1, 1, 0}, error));
    // After End of Option List the rest is padding, whatever it holds.
    BOOST_TEST(Ipv4OptionsTag::Check({0, 0x9e, 0x00, 0x00}, error));
    BOOST_TEST(!Ipv4OptionsTag::Check({0x94, 0x04, 0}, error));
    BOOST_TEST(error.find("multiple of 4") != std::string::npos);
    BOOST_TEST(!Ipv4OptionsTag::Check(std::vector<uint8_t>(44, 1), error));
    BOOST_TEST(!Ipv4OptionsTag::Check({0x9e, 0x01, 0, 0}, error));
    BOOST_TEST(error == "option type 158 at byte 0 has length 1 (at least 2, at most 4)");
    BOOST_TEST(!Ipv4OptionsTag::Check({1, 0x9e, 0x04, 0}, error));
    BOOST_TEST(error == "option type 158 at byte 1 has length 4 (at least 2, at most 3)");
    BOOST_TEST(!Ipv4OptionsTag::Check({1, 1, 1, 0x07}, error));
    BOOST_TEST(error == "option type 7 at byte 3 has no length byte");
}

BOOST_AUTO_TEST_CASE(WireHeaderRoundTrip)
{
    Ipv4Header h = MakeHeader(0x1234, 0, true, 100);
    const std::vector<uint8_t> options = {0x9e, 0x04, 0xaa, 0xbb, 0x01, 0x01, 0x01, 0x00};
    Ptr<Packet> p = Create<Packet>(100);
    p->AddHeader(Ipv4WireHeader(h, options));
    BOOST_TEST(p->GetSize() == 128U);
    uint8_t b[28];
    p->CopyData(b, sizeof(b));
    BOOST_TEST(b[0] == 0x47);                // IHL 7
    BOOST_TEST(((b[2] << 8) | b[3]) == 128); // total length counts the options
    BOOST_TEST(b[20] == 0x9e);
    // ns-3's own header reads it (and skips the options), checksum included.
    Ptr<Packet> copy = p->Copy();
    Ipv4Header ns3Header;
    ns3Header.EnableChecksum();
    copy->RemoveHeader(ns3Header);
    BOOST_TEST(ns3Header.IsChecksumOk());
    BOOST_TEST(copy->GetSize() == 100U);
    BOOST_TEST(ns3Header.GetSerializedSize() == 28U);
    // Normalize gives a 20-byte header with the same fields.
    Ipv4Header n = Ipv4WireHeader::Normalize(ns3Header);
    BOOST_TEST(n.GetSerializedSize() == 20U);
    BOOST_TEST(n.GetPayloadSize() == 100U);
    BOOST_TEST(n.GetIdentification() == 0x1234);
    BOOST_TEST(!n.IsLastFragment());
    // Read back: the same options; a flipped option bit breaks the checksum.
    Ipv4WireHeader wire;
    BOOST_TEST(p->PeekHeader(wire) == 28U);
    BOOST_TEST(wire.GetOptions() == options);
    BOOST_TEST(wire.IsChecksumOk());
    b[21] ^= 0x01;
    Ptr<Packet> bad = Create<Packet>(b, sizeof(b));
    bad->PeekHeader(wire);
    BOOST_TEST(!wire.IsChecksumOk());
}

BOOST_AUTO_TEST_CASE(LaterFragmentsNopFillAndCompact)
{
    // copied 0x9e, not copied 0x1e, NOP, copied Router Alert, EOL, padding
    const std::vector<uint8_t> mixed =
        {0x9e, 4, 0xaa, 0xaa, 0x1e, 4, 0xbb, 0xbb, 1, 0x94, 4, 0, 0, 0, 0, 0};
    const std::vector<uint8_t> nopFill =
        {0x9e, 4, 0xaa, 0xaa, 1, 1, 1, 1, 1, 0x94, 4, 0, 0, 0, 0, 0};
    const std::vector<uint8_t> compact = {0x9e, 4, 0xaa, 0xaa, 1, 0x94, 4, 0, 0, 0, 0, 0};
    BOOST_TEST(Ipv4Fragmenter::OptionsForLaterFragments(mixed, Ipv4Fragmenter::OPTIONS_NOP_FILL) ==
               nopFill);
    BOOST_TEST(Ipv4Fragmenter::OptionsForLaterFragments(mixed, Ipv4Fragmenter::OPTIONS_COMPACT) ==
               compact);
    // Copying twice changes nothing (fragments of fragments).
    BOOST_TEST(
        Ipv4Fragmenter::OptionsForLaterFragments(nopFill, Ipv4Fragmenter::OPTIONS_NOP_FILL) ==
        nopFill);
    BOOST_TEST(Ipv4Fragmenter::OptionsForLaterFragments(compact, Ipv4Fragmenter::OPTIONS_COMPACT) ==
               compact);
    // Nothing copied: no options at all in the BSD way.
    BOOST_TEST(Ipv4Fragmenter::OptionsForLaterFragments({0x1e, 4, 0xbb, 0xbb},
                                                        Ipv4Fragmenter::OPTIONS_COMPACT)
                   .empty());
}

BOOST_AUTO_TEST_CASE(FragmentsCarryTheirOptions)
{
    const std::vector<uint8_t> options = {0x9e, 4, 0xaa, 0xaa, 0x1e, 4, 0xbb, 0xbb};
    Ptr<Packet> payload = Create<Packet>(1000);
    Ipv4OptionsTag::SetOptionsOf(payload, options);
    Ipv4Header h = MakeHeader(7, 0, false, 1000);
    for (auto copy : {Ipv4Fragmenter::OPTIONS_NOP_FILL, Ipv4Fragmenter::OPTIONS_COMPACT})
    {
        auto fragments = Ipv4Fragmenter::Fragment(payload, h, 576, copy);
        BOOST_TEST_REQUIRE(fragments.size() == 2U);
        // Blocks of (576 - 28) / 8 * 8 = 544 bytes for every fragment.
        BOOST_TEST(fragments.front().first->GetSize() == 544U);
        BOOST_TEST(Ipv4OptionsTag::OptionsOf(fragments.front().first) == options);
        BOOST_TEST(fragments.back().second.GetFragmentOffset() == 544U);
        BOOST_TEST(Ipv4OptionsTag::OptionsOf(fragments.back().first) ==
                   Ipv4Fragmenter::OptionsForLaterFragments(options, copy));
    }
    // A datagram that fits keeps its options.
    auto whole = Ipv4Fragmenter::Fragment(payload, h, 1500);
    BOOST_TEST_REQUIRE(whole.size() == 1U);
    BOOST_TEST(Ipv4OptionsTag::OptionsOf(whole.front().first) == options);
    // Options count towards the 65,535-byte limit.
    Ptr<Packet> big = Create<Packet>(65512);
    BOOST_TEST(Ipv4Fragmenter::Fragment(big, MakeHeader(7, 0, false, 65512), 1500).size() > 1U);
    Ipv4OptionsTag::SetOptionsOf(big, {0x94, 4, 0, 0});
    BOOST_TEST(Ipv4Fragmenter::Fragment(big, MakeHeader(7, 0, false, 65512), 1500).empty());
}

BOOST_AUTO_TEST_SUITE_END()

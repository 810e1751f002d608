/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-reassembler.h"

#include "divert-ns3-compat.h"
#include "ipv4-options-tag.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ipv4Reassembler");

NS_OBJECT_ENSURE_REGISTERED(Ipv4Reassembler);

namespace
{
/// Largest IPv4 datagram, header included (RFC 791 Total Length is 16 bits).
constexpr uint32_t MAX_DATAGRAM = 65535;
/// IPv4 protocol number of TCP.
constexpr uint8_t PROTO_TCP = 6;
/// RFC 1858 TMIN for TCP: the ports, sequence and acknowledgment numbers and
/// the word holding the flags; Linux 2.2 ip_fw.c uses the same 16 octets.
constexpr uint32_t TCP_TMIN = 16;
} // namespace

TypeId
Ipv4Reassembler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Ipv4Reassembler")
            .SetParent<Object>()
            .SetGroupName("Divert")
            .AddConstructor<Ipv4Reassembler>()
            .AddAttribute(
                "OverlapPolicy",
                "Whose bytes stay when fragments overlap. The default models a "
                "Linux host (new data wins where it starts at or before held data).",
                EnumValue(Ipv4Reassembler::LINUX),
                divert_compat::MakeEnumMemberAccessor<OverlapPolicy>(&Ipv4Reassembler::m_policy),
                MakeEnumChecker(Ipv4Reassembler::FIRST,
                                "first",
                                Ipv4Reassembler::LAST,
                                "last",
                                Ipv4Reassembler::BSD,
                                "bsd",
                                Ipv4Reassembler::BSD_RIGHT,
                                "bsd-right",
                                Ipv4Reassembler::LINUX,
                                "linux",
                                Ipv4Reassembler::WINDOWS,
                                "windows",
                                Ipv4Reassembler::SOLARIS,
                                "solaris",
                                Ipv4Reassembler::DROP_ON_OVERLAP,
                                "drop-on-overlap"))
            .AddAttribute("Timeout",
                          "How long an incomplete datagram is kept (Linux 2.2 ipfrag_time: 30 s).",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&Ipv4Reassembler::m_timeout),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RefreshTimer",
                          "Restart a queue's timer on every accepted fragment, as Linux 2.2 "
                          "ip_defrag() does (mod_timer on each fragment); false starts it once, "
                          "when the queue is created, as Linux 2.4 and later do.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&Ipv4Reassembler::m_refreshTimer),
                          MakeBooleanChecker())
            .AddAttribute("HighThreshold",
                          "Memory above which the oldest queues are dropped "
                          "(Linux 2.2 ipfrag_high_thresh: 256 KiB).",
                          UintegerValue(262144),
                          MakeUintegerAccessor(&Ipv4Reassembler::m_highThreshold),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("LowThreshold",
                          "Memory that eviction brings the total down to "
                          "(Linux 2.2 ipfrag_low_thresh: 192 KiB).",
                          UintegerValue(196608),
                          MakeUintegerAccessor(&Ipv4Reassembler::m_lowThreshold),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("FragmentOverhead",
                          "Bytes charged for each held piece on top of its payload. 192 stands "
                          "for what Linux 2.2 charges besides the data: struct ipfrag (28 bytes "
                          "on i386) and the struct sk_buff counted in skb->truesize (about 160); "
                          "the slack of the driver's receive buffer is not modelled.",
                          UintegerValue(192),
                          MakeUintegerAccessor(&Ipv4Reassembler::m_overhead),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("TinyFragmentCheck",
                          "Drop the TCP fragments RFC 1858 section 3 describes: a fragment with "
                          "offset field 1 (8 bytes), and a first fragment with fewer than 16 "
                          "bytes of TCP header.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&Ipv4Reassembler::m_tinyFragmentCheck),
                          MakeBooleanChecker())
            .AddTraceSource("Outcome",
                            "A datagram was reassembled, or a queue or a fragment was dropped.",
                            MakeTraceSourceAccessor(&Ipv4Reassembler::m_outcomeTrace),
                            "ns3::Ipv4Reassembler::OutcomeTracedCallback");
    return tid;
}

Ipv4Reassembler::Ipv4Reassembler()
    : m_nextSequence(0),
      m_memoryUsed(0),
      m_policy(LINUX),
      m_timeout(Seconds(30)),
      m_refreshTimer(true),
      m_highThreshold(262144),
      m_lowThreshold(196608),
      m_overhead(192),
      m_tinyFragmentCheck(false)
{
    NS_LOG_FUNCTION(this);
}

Ipv4Reassembler::~Ipv4Reassembler()
{
    NS_LOG_FUNCTION(this);
}

void
Ipv4Reassembler::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Clear();
    m_timeExceeded = MakeNullCallback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t>();
    Object::DoDispose();
}

bool
Ipv4Reassembler::Key::operator<(const Key& o) const
{
    if (source != o.source)
    {
        return source < o.source;
    }
    if (destination != o.destination)
    {
        return destination < o.destination;
    }
    return std::tie(protocol, id) < std::tie(o.protocol, o.id);
}

std::string
Ipv4Reassembler::OutcomeToString(Outcome o)
{
    switch (o)
    {
    case REASSEMBLED:
        return "reassembled";
    case TIMED_OUT:
        return "timed-out";
    case EVICTED:
        return "evicted";
    case OVERLAP_DROPPED:
        return "overlap-dropped";
    case OVERSIZE:
        return "oversize";
    case TINY_FRAGMENT:
        return "tiny-fragment";
    case INVALID:
        return "invalid";
    }
    return "unknown";
}

std::string
Ipv4Reassembler::OverlapPolicyToString(OverlapPolicy p)
{
    switch (p)
    {
    case FIRST:
        return "first";
    case LAST:
        return "last";
    case BSD:
        return "bsd";
    case BSD_RIGHT:
        return "bsd-right";
    case LINUX:
        return "linux";
    case WINDOWS:
        return "windows";
    case SOLARIS:
        return "solaris";
    case DROP_ON_OVERLAP:
        return "drop-on-overlap";
    }
    return "unknown";
}

// The overlap rules. Every branch compares the new fragment as received with
// a held piece as it stands; the classic trains of Suricata's unit tests
// (src/defrag.c, DefragSturgesNovak*Test) check the first six policies.
Ipv4Reassembler::OverlapResolution
Ipv4Reassembler::ResolveOverlap(OverlapPolicy policy,
                                uint32_t newStart,
                                uint32_t newEnd,
                                uint32_t oldStart,
                                uint32_t oldEnd)
{
    switch (policy)
    {
    case FIRST:
        // Novak "First": held data is never replaced. Suricata defrag.c
        // DEFRAG_POLICY_FIRST drops or trims the new fragment; Snort frag3
        // FRAG_POLICY_FIRST truncates it on both sides.
        return KEEP_OLD;
    case LAST:
        // Novak "Last": newer data always wins. Suricata DEFRAG_POLICY_LAST
        // trims the held fragment (prev->ltrim); Snort splits it
        // (dup_frag_node) when the new one lands in its middle.
        return TAKE_NEW;
    case BSD:
        // 4.4BSD ip_reass(): a held fragment starting at or before the new
        // one trims the new one ("it may provide some of our data already");
        // held fragments starting after it are trimmed or dequeued. Suricata
        // DEFRAG_POLICY_BSD: prev->offset <= frag_offset keeps prev's data.
        return newStart < oldStart ? TAKE_NEW : KEEP_OLD;
    case BSD_RIGHT:
        // Snort frag3 FRAG_POLICY_BSD_RIGHT (HP JetDirect): a held fragment
        // starting before the new one keeps the overlap only if it ends at or
        // after it ("favor new fragments with lower/equal offset, EXCEPT when
        // the existing fragment ends with at a higher/equal offset"), else it
        // is truncated; one starting at or after the new one is dumped when
        // covered to its end, and truncates the new one otherwise. Suricata
        // has no bsd-right (see the \todo at the top of defrag.c).
        return (newEnd > oldEnd || (newStart <= oldStart && newEnd >= oldEnd)) ? TAKE_NEW
                                                                               : KEEP_OLD;
    case LINUX:
        // Linux ip_fragment.c (2.2 ip_defrag(), 2.4+ ip_frag_queue()): the
        // last fragment with offset < new offset trims the new one; those
        // with offset >= new offset are trimmed, so a new fragment starting
        // with a held one wins. Suricata DEFRAG_POLICY_LINUX agrees
        // (DefragSturgesNovakLinuxIpv4Test, DefragTestJeremyLinux).
        return newStart <= oldStart ? TAKE_NEW : KEEP_OLD;
    case WINDOWS:
        // Suricata DEFRAG_POLICY_WINDOWS: only a new fragment that "starts
        // before and ends after" the held one replaces it; inside, same
        // start, same end and partial overlaps keep the held bytes. Snort
        // FRAG_POLICY_WINDOWS dumps an old frag only when overlapped on both
        // sides and otherwise treats it as FIRST.
        return (newStart < oldStart && newEnd > oldEnd) ? TAKE_NEW : KEEP_OLD;
    case SOLARIS:
        // Suricata DEFRAG_POLICY_SOLARIS: frag_offset < prev->offset and
        // frag_end >= prev end skips prev; otherwise the new one is trimmed.
        // Snort: "SOLARIS & BSD only", an old frag covered up to its end by
        // one starting before it is dumped.
        return (newStart < oldStart && newEnd >= oldEnd) ? TAKE_NEW : KEEP_OLD;
    case DROP_ON_OVERLAP:
        // RFC 5722 section 4 (IPv6), which Linux applies to IPv4 since 4.19
        // (ip_frag_queue() discards the queue on IPFRAG_OVERLAP).
        return DROP_QUEUE;
    }
    return KEEP_OLD;
}

void
Ipv4Reassembler::SetTimeExceededCallback(TimeExceededCallback cb)
{
    NS_LOG_FUNCTION(this);
    m_timeExceeded = cb;
}

Ipv4Reassembler::Counters
Ipv4Reassembler::GetCounters() const
{
    return m_counters;
}

uint32_t
Ipv4Reassembler::GetMemoryUsed() const
{
    return m_memoryUsed;
}

uint32_t
Ipv4Reassembler::GetQueueCount() const
{
    return static_cast<uint32_t>(m_queues.size());
}

void
Ipv4Reassembler::SetOverlapPolicy(OverlapPolicy policy)
{
    NS_LOG_FUNCTION(this << OverlapPolicyToString(policy));
    m_policy = policy;
}

Ipv4Reassembler::OverlapPolicy
Ipv4Reassembler::GetOverlapPolicy() const
{
    return m_policy;
}

void
Ipv4Reassembler::Clear()
{
    NS_LOG_FUNCTION(this);
    for (auto& entry : m_queues)
    {
        entry.second.timer.Cancel();
    }
    m_queues.clear();
    m_creationOrder.clear();
    m_memoryUsed = 0;
}

void
Ipv4Reassembler::DropFragment(Outcome outcome,
                              const Ipv4Header& header,
                              uint32_t bytes,
                              const std::string& why)
{
    NS_LOG_LOGIC("drop fragment id " << header.GetIdentification() << " offset "
                                     << header.GetFragmentOffset() << " (" << bytes
                                     << " bytes): " << why);
    switch (outcome)
    {
    case INVALID:
        m_counters.invalid++;
        break;
    case TINY_FRAGMENT:
        m_counters.tinyDropped++;
        break;
    case OVERSIZE:
        m_counters.oversize++;
        break;
    default:
        break;
    }
    m_outcomeTrace(outcome, header, bytes);
}

bool
Ipv4Reassembler::AddFragment(Ptr<const Packet> payload,
                             const Ipv4Header& header,
                             uint32_t iif,
                             Ptr<Packet>& datagram,
                             Ipv4Header& outHeader)
{
    NS_LOG_FUNCTION(this << payload << header << iif);
    Ptr<const Packet> received = payload;
    if (!received)
    {
        received = Create<Packet>();
    }
    const uint32_t start = header.GetFragmentOffset();
    const bool moreFragments = !header.IsLastFragment();

    if (!moreFragments && start == 0)
    {
        // Not a fragment: nothing to reassemble.
        datagram = received->Copy();
        outHeader = header;
        return true;
    }
    m_counters.fragments++;

    // RFC 791: Total Length is authoritative; anything after it is link
    // padding, and a payload shorter than it is a truncated fragment.
    const uint32_t length = header.GetPayloadSize();
    if (received->GetSize() < length)
    {
        DropFragment(INVALID, header, received->GetSize(), "payload shorter than Total Length");
        return false;
    }
    Ptr<const Packet> data = received;
    if (received->GetSize() > length)
    {
        data = received->CreateFragment(0, length);
    }
    const uint32_t end = start + length;
    const Key key{header.GetSource(),
                  header.GetDestination(),
                  header.GetProtocol(),
                  header.GetIdentification()};

    // Ping of death: Linux 2.2 ip_defrag() "Attempt to construct an oversize
    // packet" (tot_len + offset > 65535); Suricata IPV4_FRAG_PKT_TOO_LARGE
    // (DefragTooLargeIpv4Test). Such a datagram can never be delivered, so
    // its queue goes too.
    if (Ipv4OptionsTag::HeaderLengthOf(received) + end > MAX_DATAGRAM)
    {
        auto it = m_queues.find(key);
        if (it == m_queues.end())
        {
            DropFragment(OVERSIZE, header, length, "datagram would pass 65535 bytes");
            return false;
        }
        NS_LOG_LOGIC("drop fragment id " << header.GetIdentification() << " offset " << start
                                         << " (" << length
                                         << " bytes): datagram would pass 65535 bytes, "
                                            "queue dropped");
        const Ipv4Header queueHeader = QueueHeader(it->second);
        const uint32_t bytes = it->second.heldBytes + length;
        RemoveQueue(it);
        m_counters.oversize++;
        m_outcomeTrace(OVERSIZE, queueHeader, bytes);
        return false;
    }
    if (!IsWellFormed(header, start, length))
    {
        return false;
    }

    auto it = m_queues.find(key);
    const bool created = it == m_queues.end();
    if (!created && !FitsQueue(it->second, header, end))
    {
        return false;
    }
    if (created)
    {
        Queue q;
        q.sequence = m_nextSequence++;
        q.firstHeader = header;
        it = m_queues.emplace(key, std::move(q)).first;
        m_creationOrder.emplace(it->second.sequence, key);
        NS_LOG_LOGIC("new queue " << header.GetSource() << " > " << header.GetDestination()
                                  << " proto " << +header.GetProtocol() << " id "
                                  << header.GetIdentification());
    }

    Queue& q = it->second;
    auto source = std::make_shared<const Source>(Source{header, data, iif});
    const StoreResult stored = Store(q, start, data, source);
    if (stored == QUEUE_DROPPED)
    {
        const Ipv4Header queueHeader = QueueHeader(q);
        const uint32_t bytes = q.heldBytes + length;
        RemoveQueue(it);
        m_counters.overlapDropped++;
        NS_LOG_LOGIC("overlap: queue id " << header.GetIdentification() << " dropped");
        m_outcomeTrace(OVERLAP_DROPPED, queueHeader, bytes);
        return false;
    }
    if (stored == DUPLICATE)
    {
        m_counters.duplicates++;
    }
    q.maxEnd = std::max(q.maxEnd, end);
    if (!moreFragments)
    {
        q.lastSeen = true;
        q.totalLength = end;
    }
    if (created || m_refreshTimer)
    {
        ArmTimer(key, q);
    }

    // Held pieces are disjoint and inside [0, totalLength): holding that many
    // bytes means there is no hole left (RFC 815).
    if (q.lastSeen && q.heldBytes == q.totalLength)
    {
        // RFC 791: the reassembled datagram's header is the first
        // fragment's, options included, so the 65,535 bytes count that
        // header, not the (often shorter) one of the fragment that completed
        // it (Linux ip_frag_reasm(): ip_hdrlen(head) + len > 65535 is
        // "out_oversize"). The overlap policy decided which fragment's bytes
        // sit at offset 0, hence whose header it is: only now is it known for
        // every policy. Past the limit, the total length field would wrap.
        const uint32_t headerLength = Ipv4OptionsTag::HeaderLengthOf(q.pieces.begin()->second.data);
        if (headerLength + q.totalLength > MAX_DATAGRAM)
        {
            const Ipv4Header queueHeader = QueueHeader(q);
            const uint32_t bytes = q.heldBytes;
            NS_LOG_LOGIC("queue id " << header.GetIdentification() << ": " << headerLength
                                     << "-byte first header and " << q.totalLength
                                     << " bytes would pass 65535 bytes, queue dropped");
            RemoveQueue(it);
            m_counters.oversize++;
            m_outcomeTrace(OVERSIZE, queueHeader, bytes);
            return false;
        }
        Assemble(q, datagram, outHeader);
        RemoveQueue(it);
        m_counters.reassembled++;
        NS_LOG_LOGIC("reassembled id " << outHeader.GetIdentification() << ", "
                                       << datagram->GetSize() << " bytes");
        m_outcomeTrace(REASSEMBLED, outHeader, datagram->GetSize());
        return true;
    }
    EvictIfNeeded();
    return false;
}

bool
Ipv4Reassembler::IsWellFormed(const Ipv4Header& header, uint32_t start, uint32_t length)
{
    const bool moreFragments = !header.IsLastFragment();
    // Zero-length fragments: Linux 2.2 ("0 length frag bug"), 2.4+
    // ip_frag_queue() "if (end == offset) goto err", Snort EventAnomZeroFrag,
    // Suricata DefragNoDataIpv4Test.
    if (length == 0)
    {
        DropFragment(INVALID, header, length, "zero-length fragment");
        return false;
    }
    // RFC 791: every fragment but the last carries a multiple of 8 octets;
    // Snort frag3 flags the others as the Bonk/Boink "short fragment" attack.
    if (moreFragments && length % 8 != 0)
    {
        DropFragment(INVALID, header, length, "non-last fragment not a multiple of 8 bytes");
        return false;
    }
    if (m_tinyFragmentCheck && header.GetProtocol() == PROTO_TCP)
    {
        // RFC 1858 section 3, indirect method: a TCP fragment with FO == 1
        // is what a split of the TCP header at 8 octets (or an overwrite of
        // the flags) needs, and nobody sends it otherwise. Linux 2.2 ip_fw.c:
        // "Suspect TCP fragment".
        if (start == 8)
        {
            DropFragment(TINY_FRAGMENT, header, length, "TCP fragment at offset 8 (RFC 1858)");
            return false;
        }
        // RFC 1858 section 3, direct method: a first fragment with fewer than
        // TMIN octets of TCP header hides the flags from filters. Linux 2.2
        // ip_fw.c: "Suspect short first fragment" (size_req 16).
        if (start == 0 && length < TCP_TMIN)
        {
            DropFragment(TINY_FRAGMENT, header, length, "TCP first fragment too short (RFC 1858)");
            return false;
        }
    }
    return true;
}

bool
Ipv4Reassembler::FitsQueue(const Queue& q, const Ipv4Header& header, uint32_t end)
{
    const bool moreFragments = !header.IsLastFragment();
    const uint32_t length = header.GetPayloadSize();
    // Linux 2.4+ ip_frag_queue(): "If we already have some bits beyond
    // end or have different end, the segment is corrupted", and "Some
    // bits beyond end -> corruption": the fragment is dropped. This also
    // catches the teardrop last fragment that ends inside held data.
    if (!moreFragments && (end < q.maxEnd || (q.lastSeen && end != q.totalLength)))
    {
        DropFragment(INVALID, header, length, "last fragment contradicts the data held");
        return false;
    }
    if (moreFragments && q.lastSeen && end > q.totalLength)
    {
        DropFragment(INVALID, header, length, "fragment past the end of the datagram");
        return false;
    }
    return true;
}

// Overlap handling proper: decide every overlap with ResolveOverlap(), then
// cut the losing bytes out of the held pieces or out of the new fragment.
Ipv4Reassembler::StoreResult
Ipv4Reassembler::Store(Queue& q,
                       uint32_t start,
                       Ptr<const Packet> data,
                       const std::shared_ptr<const Source>& source)
{
    const uint32_t end = start + data->GetSize();

    // The held pieces it overlaps: those starting inside it, and the one
    // starting before it if that one reaches into it.
    auto first = q.pieces.lower_bound(start);
    if (first != q.pieces.begin())
    {
        auto before = std::prev(first);
        if (before->second.end > start)
        {
            first = before;
        }
    }
    std::vector<std::pair<uint32_t, OverlapResolution>> overlaps;
    for (auto it = first; it != q.pieces.end() && it->first < end; ++it)
    {
        overlaps.emplace_back(it->first,
                              ResolveOverlap(m_policy, start, end, it->first, it->second.end));
    }

    if (!overlaps.empty())
    {
        m_counters.overlaps++;
        // RFC 5722 section 4: an implementation "MAY choose to silently drop
        // exact duplicate fragments" rather than treat them as overlaps.
        if (m_policy == DROP_ON_OVERLAP &&
            IsExactDuplicate(q, start, data, !source->header.IsLastFragment()))
        {
            return DUPLICATE;
        }
        for (const auto& overlap : overlaps)
        {
            if (overlap.second == DROP_QUEUE)
            {
                return QUEUE_DROPPED;
            }
        }
    }

    // Ranges of the new fragment that held pieces keep; sorted and disjoint
    // because the pieces are.
    std::vector<std::pair<uint32_t, uint32_t>> blocked;
    for (const auto& overlap : overlaps)
    {
        auto it = q.pieces.find(overlap.first);
        const uint32_t oldStart = it->first;
        const uint32_t oldEnd = it->second.end;
        const uint32_t lo = std::max(start, oldStart);
        const uint32_t hi = std::min(end, oldEnd);
        if (overlap.second == KEEP_OLD)
        {
            blocked.emplace_back(lo, hi);
            continue;
        }
        // TAKE_NEW: the held piece keeps only what lies outside [lo, hi).
        const Piece old = it->second;
        RemovePiece(q, it);
        if (oldStart < lo)
        {
            AddPiece(q,
                     oldStart,
                     Piece{lo, old.data->CreateFragment(0, lo - oldStart), old.source, 0});
        }
        if (hi < oldEnd)
        {
            AddPiece(
                q,
                hi,
                Piece{oldEnd, old.data->CreateFragment(hi - oldStart, oldEnd - hi), old.source, 0});
        }
    }

    uint32_t cursor = start;
    for (const auto& range : blocked)
    {
        if (cursor < range.first)
        {
            AddPiece(q,
                     cursor,
                     Piece{range.first,
                           data->CreateFragment(cursor - start, range.first - cursor),
                           source,
                           0});
        }
        cursor = std::max(cursor, range.second);
    }
    if (cursor < end)
    {
        AddPiece(q,
                 cursor,
                 Piece{end, data->CreateFragment(cursor - start, end - cursor), source, 0});
    }
    return STORED;
}

bool
Ipv4Reassembler::IsExactDuplicate(const Queue& q,
                                  uint32_t start,
                                  Ptr<const Packet> data,
                                  bool mf) const
{
    auto it = q.pieces.find(start);
    if (it == q.pieces.end() || it->second.end != start + data->GetSize() ||
        it->second.source->header.IsLastFragment() == mf)
    {
        return false;
    }
    std::vector<uint8_t> held(data->GetSize());
    std::vector<uint8_t> received(data->GetSize());
    it->second.data->CopyData(held.data(), held.size());
    data->CopyData(received.data(), received.size());
    return held == received;
}

void
Ipv4Reassembler::AddPiece(Queue& q, uint32_t start, Piece piece)
{
    const uint32_t size = piece.end - start;
    piece.charge = size + m_overhead;
    m_memoryUsed += piece.charge;
    q.memory += piece.charge;
    q.heldBytes += size;
    q.pieces.emplace(start, std::move(piece));
}

std::map<uint32_t, Ipv4Reassembler::Piece>::iterator
Ipv4Reassembler::RemovePiece(Queue& q, std::map<uint32_t, Piece>::iterator it)
{
    m_memoryUsed -= it->second.charge;
    q.memory -= it->second.charge;
    q.heldBytes -= it->second.end - it->first;
    return q.pieces.erase(it);
}

void
Ipv4Reassembler::Assemble(const Queue& q, Ptr<Packet>& datagram, Ipv4Header& outHeader) const
{
    // The piece at offset 0 comes from a first fragment: its header (and its
    // packet tags, through CreateFragment) stand for the datagram, as in
    // Linux 2.2 ip_glue(), which copies qp->iph.
    auto it = q.pieces.begin();
    datagram = it->second.data->Copy();
    outHeader = it->second.source->header;
    for (++it; it != q.pieces.end(); ++it)
    {
        datagram->AddAtEnd(it->second.data);
    }
    outHeader.SetFragmentOffset(0);
    outHeader.SetLastFragment();
    outHeader.SetPayloadSize(static_cast<uint16_t>(q.totalLength));
}

const Ipv4Header&
Ipv4Reassembler::QueueHeader(const Queue& q) const
{
    auto it = q.pieces.find(0);
    return it != q.pieces.end() ? it->second.source->header : q.firstHeader;
}

// Queue lifetime: timers and eviction, apart from the overlap logic above.

void
Ipv4Reassembler::ArmTimer(const Key& key, Queue& q)
{
    q.timer.Cancel();
    q.timer = Simulator::Schedule(m_timeout, &Ipv4Reassembler::HandleTimeout, this, key);
}

void
Ipv4Reassembler::HandleTimeout(Key key)
{
    NS_LOG_FUNCTION(this);
    auto it = m_queues.find(key);
    if (it == m_queues.end())
    {
        return;
    }
    // Linux 2.2 ip_expire() sends ICMP time exceeded (fragment reassembly
    // time exceeded) from the first held fragment, and icmp_send() refuses
    // a non-first fragment: only fragment zero triggers it (RFC 792).
    auto zero = it->second.pieces.find(0);
    std::shared_ptr<const Source> first;
    if (zero != it->second.pieces.end())
    {
        first = zero->second.source;
    }
    const Ipv4Header queueHeader = QueueHeader(it->second);
    const uint32_t bytes = it->second.heldBytes;
    RemoveQueue(it);
    m_counters.timedOut++;
    NS_LOG_LOGIC("timeout: queue id " << queueHeader.GetIdentification() << " dropped, "
                                      << (first ? "fragment zero held" : "no fragment zero"));
    m_outcomeTrace(TIMED_OUT, queueHeader, bytes);
    if (first && !m_timeExceeded.IsNull())
    {
        m_timeExceeded(first->header, first->payload, first->iif);
    }
}

void
Ipv4Reassembler::EvictIfNeeded()
{
    if (m_memoryUsed <= m_highThreshold)
    {
        return;
    }
    // Linux 2.2 ip_evictor(): free the oldest queues until at or below the
    // low threshold. It takes the oldest queue of each hash bucket in turn;
    // creation order is the deterministic equivalent. No ICMP is sent.
    while (m_memoryUsed > m_lowThreshold && !m_creationOrder.empty())
    {
        auto it = m_queues.find(m_creationOrder.begin()->second);
        const Ipv4Header queueHeader = QueueHeader(it->second);
        const uint32_t bytes = it->second.heldBytes;
        RemoveQueue(it);
        m_counters.evicted++;
        NS_LOG_LOGIC("evicted queue id " << queueHeader.GetIdentification() << ", memory now "
                                         << m_memoryUsed);
        m_outcomeTrace(EVICTED, queueHeader, bytes);
    }
}

void
Ipv4Reassembler::RemoveQueue(std::map<Key, Queue>::iterator it)
{
    Queue& q = it->second;
    q.timer.Cancel();
    m_memoryUsed -= q.memory;
    m_creationOrder.erase(q.sequence);
    m_queues.erase(it);
}

} // namespace ns3

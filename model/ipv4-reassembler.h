/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPV4_REASSEMBLER_H
#define IPV4_REASSEMBLER_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace ns3
{

class Packet;

/**
 * \ingroup divert
 * \brief IPv4 reassembly engine with target-based overlap policies and
 * kernel-like limits.
 *
 * Fragments are queued per (source, destination, protocol, identification),
 * the key of RFC 791 section 3.2, in ordered containers so that every run is
 * deterministic. A queue is complete when its last fragment (MF clear) has
 * been seen and the held bytes cover the datagram without a hole (RFC 815).
 *
 * Held data is a set of disjoint pieces, each remembering the fragment it
 * came from. When a new fragment overlaps a piece, ResolveOverlap() decides,
 * from the shapes of the new fragment (as received) and of the piece (as
 * held), whose bytes stay: the target-based policies of Novak, "Target-Based
 * Fragmentation Reassembly" (2005), as implemented in Snort frag3 and in
 * Suricata's src/defrag.c. BSD and LINUX are then exactly the 4.4BSD
 * ip_reass() and Linux ip_fragment.c algorithms, and the classic overlap
 * trains of Suricata's unit tests reassemble to the bytes those tests expect.
 *
 * Limits, after Linux 2.2 net/ipv4/ip_fragment.c (v1.40):
 * - memory: each held piece counts its payload bytes plus the
 *   "FragmentOverhead" attribute; when a stored fragment takes the total
 *   above "HighThreshold", the oldest queues (in creation order) are dropped
 *   until the total is at or below "LowThreshold" (ip_evictor());
 * - time: a queue is dropped "Timeout" after its creation, or after its last
 *   accepted fragment when "RefreshTimer" is true (Linux 2.2 restarts the
 *   timer on every fragment); if the fragment at offset 0 had arrived, the
 *   time-exceeded callback is called so that the stack can send ICMP time
 *   exceeded, code 1 (RFC 792; RFC 1122 section 3.3.2);
 * - size: a fragment that would put the datagram past 65,535 bytes drops
 *   itself and its queue ("ping of death"); so does a complete queue whose
 *   data and first header (that of the fragment whose bytes are at offset
 *   0, options included: RFC 791) pass 65,535 bytes (Linux ip_frag_reasm()).
 *
 * Malformed fragments are counted and dropped, never asserted on: zero-length
 * fragments, non-last fragments whose length is not a multiple of 8, and, as
 * in Linux 2.4+ ip_frag_queue(), a fragment that contradicts the known end
 * of its datagram (a last fragment ending before held data or elsewhere than
 * an earlier last fragment, a non-last one reaching past the end). Suricata
 * instead truncates at the first last fragment (DefragMfIpv4Test).
 *
 * Choices where the sources disagree or are silent:
 * - LINUX follows Novak and Linux 2.4+, where a fragment lying inside a
 *   preceding one is discarded; Linux 2.2 would queue it with a negative
 *   length and discard the whole datagram at ip_glue() time.
 * - WINDOWS and SOLARIS are known only from black-box tests (Novak); their
 *   rule is applied to every held piece a fragment overlaps. Snort and
 *   Suricata give the same bytes on the classic train, but differ from it,
 *   and from each other, on some longer trains of multiple overlaps, where
 *   they compare against a fragment already trimmed. BSD_RIGHT gives the
 *   bytes of Snort's algorithm.
 * - DROP_ON_OVERLAP ignores exact duplicates (same offset, length, MF and
 *   bytes), as RFC 5722 allows; Linux ignores any fragment inside held data.
 *
 * IP options travel in an Ipv4OptionsTag on the payload (ns-3's Ipv4Header
 * has none): a fragment's options count in its length for the 65,535-byte
 * limit, the first fragment's options count in the reassembled datagram's
 * length, and the reassembled datagram keeps the tag of the data at offset 0,
 * that is the first fragment's options (Linux 2.2 ip_glue() copies the first
 * fragment's header, options included).
 */
class Ipv4Reassembler : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Create an engine with the default attribute values.
    Ipv4Reassembler();
    /// Destructor; DoDispose() has already released the queues.
    ~Ipv4Reassembler() override;

    /// How overlapping fragment data is resolved (attribute "OverlapPolicy").
    enum OverlapPolicy
    {
        FIRST,          //!< older data always wins ("first")
        LAST,           //!< newer data always wins ("last")
        BSD,            //!< new data wins where it starts before the held piece ("bsd")
        BSD_RIGHT,      //!< new wins where it ends past held data, or covers it ("bsd-right")
        LINUX,          //!< new data wins where it starts at or before the held piece ("linux")
        WINDOWS,        //!< new data wins only over a piece it strictly covers ("windows")
        SOLARIS,        //!< new wins over a piece it covers, starting before it ("solaris")
        DROP_ON_OVERLAP //!< any overlap drops the whole queue, RFC 5722 style ("drop-on-overlap")
    };

    /// What became of a fragment or a queue (trace source "Outcome").
    enum Outcome
    {
        REASSEMBLED,     //!< a datagram was completed and handed back
        TIMED_OUT,       //!< a queue reached its timeout
        EVICTED,         //!< a queue was dropped to bring memory under the low threshold
        OVERLAP_DROPPED, //!< a queue was dropped for an overlap (DROP_ON_OVERLAP)
        OVERSIZE,        //!< a fragment or the complete datagram would pass 65,535 bytes: dropped
        TINY_FRAGMENT,   //!< a TCP fragment was dropped by the RFC 1858 checks
        INVALID          //!< a malformed or inconsistent fragment was dropped
    };

    /// Whose bytes stay where a new fragment overlaps a held piece.
    enum OverlapResolution
    {
        KEEP_OLD,  //!< the held piece keeps the overlapped bytes
        TAKE_NEW,  //!< the new fragment's bytes replace them
        DROP_QUEUE //!< the whole queue is dropped
    };

    /**
     * \brief Signature of the "Outcome" trace source.
     * \param outcome what happened
     * \param header for a dropped fragment, its header; for a queue, the
     *        header of its fragment at offset 0 if it arrived, else of the
     *        first fragment it received; for REASSEMBLED, the reassembled
     *        header
     * \param bytes for a dropped fragment, its payload bytes; for a queue,
     *        the payload bytes it held (plus those of the fragment that
     *        caused the drop); for REASSEMBLED, the datagram's payload size
     */
    typedef void (*OutcomeTracedCallback)(Outcome outcome,
                                          const Ipv4Header& header,
                                          uint32_t bytes);

    /// Callback called when a queue whose first fragment had arrived times out.
    typedef Callback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t> TimeExceededCallback;

    /// Event counters since creation (Clear() does not reset them).
    struct Counters
    {
        uint64_t fragments{0};      //!< fragments handed to AddFragment()
        uint64_t reassembled{0};    //!< datagrams completed
        uint64_t timedOut{0};       //!< queues dropped by their timer
        uint64_t evicted{0};        //!< queues dropped under memory pressure
        uint64_t overlapDropped{0}; //!< queues dropped for an overlap (DROP_ON_OVERLAP)
        uint64_t oversize{0};       //!< fragments or queues dropped for passing 65,535 bytes
        uint64_t tinyDropped{0};    //!< fragments dropped by the RFC 1858 checks
        uint64_t invalid{0};        //!< malformed or inconsistent fragments dropped
        uint64_t overlaps{0};       //!< fragments that overlapped held data (any policy)
        uint64_t duplicates{0};     //!< exact duplicates ignored (DROP_ON_OVERLAP)
    };

    /**
     * \brief Name of an outcome, for logs and traces.
     * \param o the outcome
     * \return its name, e.g. "reassembled", "timed-out"
     */
    static std::string OutcomeToString(Outcome o);

    /**
     * \brief Name of an overlap policy, as the "OverlapPolicy" attribute spells it.
     * \param p the policy
     * \return its name, e.g. "linux", "bsd-right"
     */
    static std::string OverlapPolicyToString(OverlapPolicy p);

    /**
     * \brief The overlap rule of each policy.
     *
     * Both ranges are payload byte offsets, end exclusive, and they overlap.
     * The new fragment's range is as received; the old one is the held
     * piece as it stands after earlier overlaps were resolved, which is what
     * a kernel compares against (it trims the fragments it holds).
     *
     * \param policy the policy
     * \param newStart first byte of the new fragment
     * \param newEnd one past its last byte
     * \param oldStart first byte of the held piece
     * \param oldEnd one past its last byte
     * \return whose bytes stay in the overlap
     */
    static OverlapResolution ResolveOverlap(OverlapPolicy policy,
                                            uint32_t newStart,
                                            uint32_t newEnd,
                                            uint32_t oldStart,
                                            uint32_t oldEnd);

    /**
     * \brief Add one fragment.
     *
     * A packet that is not a fragment (MF clear and offset 0) is handed back
     * at once, unchanged and uncounted. Bytes after the header's payload size
     * (link-layer padding) are ignored; RFC 791's Total Length is
     * authoritative.
     *
     * \param payload the IP payload of the fragment
     * \param header its IPv4 header
     * \param iif index of the interface it arrived on
     * \param datagram set to the whole payload when a datagram completes
     * \param outHeader set to the header of the fragment at offset 0, with MF
     *        cleared, offset 0 and the payload size of the whole datagram
     * \return true when a datagram completed
     */
    bool AddFragment(Ptr<const Packet> payload,
                     const Ipv4Header& header,
                     uint32_t iif,
                     Ptr<Packet>& datagram,
                     Ipv4Header& outHeader);

    /**
     * \brief Set the callback called when a queue times out after its
     * fragment at offset 0 had arrived.
     *
     * It receives that fragment's header and payload (as received) and the
     * index of the interface it arrived on; the stack sends ICMP time
     * exceeded, code 1, from there. RFC 792: without fragment zero no time
     * exceeded message is sent, so the callback is not called then.
     *
     * \param cb the callback
     */
    void SetTimeExceededCallback(TimeExceededCallback cb);

    /**
     * \brief Get the counters.
     * \return a copy of the counters
     */
    Counters GetCounters() const;

    /**
     * \brief Get the memory held now.
     * \return held payload bytes plus the per-piece overhead, in bytes
     */
    uint32_t GetMemoryUsed() const;

    /**
     * \brief Get the number of incomplete datagrams held.
     * \return the number of queues
     */
    uint32_t GetQueueCount() const;

    /**
     * \brief Drop every queue and cancel every timer, without traces.
     *
     * Counters are kept.
     */
    void Clear();

    /**
     * \brief Set the overlap policy (same as the "OverlapPolicy" attribute).
     *
     * Queues already held keep their pieces; the new policy applies to the
     * next fragment.
     *
     * \param policy the policy
     */
    void SetOverlapPolicy(OverlapPolicy policy);

    /**
     * \brief Get the overlap policy.
     * \return the policy
     */
    OverlapPolicy GetOverlapPolicy() const;

  protected:
    /// Drop every queue, cancel every timer and forget the callback.
    void DoDispose() override;

  private:
    /// Queue key: (source, destination, protocol, identification), RFC 791.
    struct Key
    {
        Ipv4Address source;      //!< source address
        Ipv4Address destination; //!< destination address
        uint8_t protocol;        //!< protocol number
        uint16_t id;             //!< identification

        /**
         * \brief Strict ordering, for std::map.
         * \param o the other key
         * \return true if this key sorts before o
         */
        bool operator<(const Key& o) const;
    };

    /// A received fragment some of whose bytes are held.
    struct Source
    {
        Ipv4Header header;         //!< its header
        Ptr<const Packet> payload; //!< its payload, as received (padding removed)
        uint32_t iif;              //!< interface it arrived on
    };

    /// A contiguous run of held bytes, all from one fragment.
    struct Piece
    {
        uint32_t end;                         //!< one past its last byte
        Ptr<Packet> data;                     //!< its bytes
        std::shared_ptr<const Source> source; //!< the fragment they came from
        uint32_t charge;                      //!< memory charged for it (set by AddPiece)
    };

    /// An incomplete datagram.
    struct Queue
    {
        std::map<uint32_t, Piece> pieces; //!< held pieces, by first byte; disjoint
        uint64_t sequence{0};             //!< creation order, for eviction
        Ipv4Header firstHeader;           //!< header of the first fragment received
        uint32_t heldBytes{0};            //!< payload bytes held
        uint32_t memory{0};               //!< memory charged for its pieces
        uint32_t maxEnd{0};               //!< highest end of an accepted fragment
        uint32_t totalLength{0};          //!< payload size, once the last fragment is seen
        bool lastSeen{false};             //!< the last fragment (MF clear) was accepted
        EventId timer;                    //!< the queue's timeout
    };

    /// Result of storing a fragment's bytes in a queue.
    enum StoreResult
    {
        STORED,       //!< bytes stored (possibly none survived the policy)
        DUPLICATE,    //!< exact duplicate ignored
        QUEUE_DROPPED //!< the policy asks to drop the queue
    };

    /**
     * \brief Checks that need no queue: zero length, 8-byte multiples, and
     * the RFC 1858 TCP checks. A failing fragment is counted and traced.
     * \param header the fragment's header
     * \param start its offset in bytes
     * \param length its payload bytes
     * \return true if the fragment may be queued
     */
    bool IsWellFormed(const Ipv4Header& header, uint32_t start, uint32_t length);

    /**
     * \brief Checks a fragment against what its queue knows of the
     * datagram's end. A failing fragment is counted and traced.
     * \param q the queue
     * \param header the fragment's header
     * \param end one past its last byte
     * \return true if the fragment is consistent with the queue
     */
    bool FitsQueue(const Queue& q, const Ipv4Header& header, uint32_t end);

    /**
     * \brief Store a fragment's bytes, resolving overlaps with the policy.
     * \param q the queue
     * \param start first byte of the fragment
     * \param data its payload
     * \param source the fragment
     * \return what happened
     */
    StoreResult Store(Queue& q,
                      uint32_t start,
                      Ptr<const Packet> data,
                      const std::shared_ptr<const Source>& source);

    /**
     * \brief Whether a fragment repeats a held piece byte for byte.
     * \param q the queue
     * \param start first byte of the fragment
     * \param data its payload
     * \param mf its MF flag
     * \return true for an exact duplicate
     */
    bool IsExactDuplicate(const Queue& q, uint32_t start, Ptr<const Packet> data, bool mf) const;

    /**
     * \brief Hold a piece, charging its bytes plus the per-piece overhead.
     * \param q the queue
     * \param start first byte
     * \param piece the piece
     */
    void AddPiece(Queue& q, uint32_t start, Piece piece);

    /**
     * \brief Release a piece, accounting memory.
     * \param q the queue
     * \param it the piece
     * \return the iterator following it
     */
    std::map<uint32_t, Piece>::iterator RemovePiece(Queue& q,
                                                    std::map<uint32_t, Piece>::iterator it);

    /**
     * \brief Build the datagram of a complete queue.
     * \param q the queue
     * \param datagram set to the payload
     * \param outHeader set to the reassembled header
     */
    void Assemble(const Queue& q, Ptr<Packet>& datagram, Ipv4Header& outHeader) const;

    /**
     * \brief The header that stands for a queue in traces.
     * \param q the queue
     * \return the header of the fragment at offset 0 if held, else of the first received
     */
    const Ipv4Header& QueueHeader(const Queue& q) const;

    /**
     * \brief Start or restart a queue's timer.
     * \param key the queue's key
     * \param q the queue
     */
    void ArmTimer(const Key& key, Queue& q);

    /**
     * \brief Timer expiry of a queue.
     * \param key the queue's key
     */
    void HandleTimeout(Key key);

    /**
     * \brief Drop the oldest queues until memory is at or below the low
     * threshold, if it is above the high one.
     */
    void EvictIfNeeded();

    /**
     * \brief Forget a queue: cancel its timer and release its memory.
     * \param it the queue
     */
    void RemoveQueue(std::map<Key, Queue>::iterator it);

    /**
     * \brief Count, trace and log a dropped fragment.
     * \param outcome INVALID, TINY_FRAGMENT or OVERSIZE
     * \param header its header
     * \param bytes its payload bytes
     * \param why a short reason for the log
     */
    void DropFragment(Outcome outcome,
                      const Ipv4Header& header,
                      uint32_t bytes,
                      const std::string& why);

    std::map<Key, Queue> m_queues;           //!< incomplete datagrams
    std::map<uint64_t, Key> m_creationOrder; //!< queue keys by creation order
    uint64_t m_nextSequence;                 //!< next creation number
    uint32_t m_memoryUsed;                   //!< bytes held, overhead included

    OverlapPolicy m_policy;   //!< overlap policy
    Time m_timeout;           //!< queue lifetime
    bool m_refreshTimer;      //!< restart the timer on each accepted fragment
    uint32_t m_highThreshold; //!< start evicting above this many bytes
    uint32_t m_lowThreshold;  //!< evict down to this many bytes
    uint32_t m_overhead;      //!< bytes charged per held piece beyond its payload
    bool m_tinyFragmentCheck; //!< apply the RFC 1858 TCP checks

    Counters m_counters;                 //!< event counters
    TimeExceededCallback m_timeExceeded; //!< called on timeout with fragment zero
    TracedCallback<Outcome, const Ipv4Header&, uint32_t> m_outcomeTrace; //!< "Outcome"
};

} // namespace ns3

#endif /* IPV4_REASSEMBLER_H */

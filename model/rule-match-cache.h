/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RULE_MATCH_CACHE_H
#define RULE_MATCH_CACHE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief A small per-chain memory of which rules matched a flow: the
 * flow cache in front of a RuleClassifier.
 *
 * Traffic comes in flows: a router sees the same source, destination,
 * protocol, ports, flags and interface again and again, and the rules that
 * match such a packet are always the same (no rule test reads anything
 * else). So for each flow seen recently the cache keeps the positions of
 * the rules that matched, in order, and how far down the chain that list
 * is complete. A walk asks it first; only the part of the chain it has not
 * seen yet goes to the classifier's blocks. This is the idea of the
 * connection and flow caches in front of real packet classifiers (the
 * Linux route cache of the 2.2 days, Open vSwitch's exact-match cache,
 * nftables flowtables), but it caches only the *match list*, never a
 * verdict: counters, logging, TOS and mark, jumps, DIVERT pass-through and
 * resumption are all still done by the walk, rule by rule, so the result is
 * exactly the linear walk's whatever the cache holds.
 *
 * The cache is direct-mapped (one slot per hash value, a new flow replaces
 * the old one) and holds at most MAX_MATCHES positions per flow; a flow
 * with more matches keeps its first MAX_MATCHES and asks the classifier
 * past them. Every change to the chain empties it (the positions would
 * change). Copies start empty: Ipchains copies its tables to undo a failed
 * script, and the copy must not pay for entries nobody reads.
 */
class RuleMatchCache
{
  public:
    /// Header fields of a flow's key: the classifier's field values.
    static constexpr std::size_t KEY_FIELDS = 6;
    /// Rule positions kept per flow.
    static constexpr std::size_t MAX_MATCHES = 8;
    /// Largest number of slots (SetCapacity clamps to it).
    static constexpr std::size_t MAX_CAPACITY = 1U << 16;

    /// What is known of one flow.
    struct Entry
    {
        uint64_t stamp{0};               //!< 0: empty; else identifies this filling
        uint32_t key[KEY_FIELDS]{};      //!< the flow's field values
        std::string interface;           //!< the flow's interface name
        uint32_t scanned{0};             //!< positions below this are all known
        uint32_t count{0};               //!< matches held
        uint32_t matches[MAX_MATCHES]{}; //!< matching positions below scanned, ascending
    };

    /** \brief A cache of no slots (disabled) until SetCapacity. */
    RuleMatchCache();
    /**
     * \brief An empty cache with the other's capacity.
     * \param other the cache copied
     */
    RuleMatchCache(const RuleMatchCache& other);
    /**
     * \brief Become empty, with the other's capacity.
     * \param other the cache copied
     * \return this cache
     */
    RuleMatchCache& operator=(const RuleMatchCache& other);

    /**
     * \brief Set the number of slots; 0 disables the cache.
     * \param slots the wanted number, rounded up to a power of two and
     *        clamped to MAX_CAPACITY
     */
    void SetCapacity(std::size_t slots);
    /** \return the number of slots (0: disabled) */
    std::size_t GetCapacity() const;

    /**
     * \brief The entry of a flow; a slot that held another flow is emptied
     * for it.
     * \param key the flow's field values
     * \param interface the flow's interface name
     * \return the entry, or nullptr if the cache is disabled
     */
    Entry* Find(const uint32_t key[KEY_FIELDS], const std::string& interface);

    /** \brief Forget every flow (the chain changed). */
    void Clear();

    /**
     * \brief Bytes the slots take.
     * \return the byte count
     */
    std::size_t GetMemoryUsage() const;

  private:
    std::size_t m_capacity;       //!< slots wanted (a power of two, or 0)
    std::vector<Entry> m_entries; //!< the slots; allocated at the first Find
    uint64_t m_nextStamp;         //!< stamp of the next filling
};

} // namespace ns3

#endif /* RULE_MATCH_CACHE_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RULE_CLASSIFIER_H
#define RULE_CLASSIFIER_H

#include "rule-match-cache.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class FirewallRule;
struct FirewallPacket;

/**
 * \ingroup divert
 * \brief The compiled form of one ipchains chain: for a packet, the next
 * rule at or after a position whose tests all pass.
 *
 * ipchains semantics need every matching rule in order (accounting rules
 * count and pass, -t and -m apply in order, user chains are entered and
 * left), so the classifier answers "the first matching rule from here",
 * and Ipchains walks the chain with it exactly as ip_fw.c walks the list.
 *
 * The structure is the bit-vector scheme of Lakshman and Stiliadis
 * (SIGCOMM 1998), cut into blocks so that a rule change is cheap:
 *
 * - The chain's rules are cut into blocks of at most MAX_BLOCK rules.
 * - In a block, every header field (flags, protocol, source and
 *   destination address, source and destination port, interface) divides
 *   its value range into elementary intervals; each interval holds the
 *   bitset of the block's rules whose test on that field passes for every
 *   value of the interval. Inverted tests, port ranges, "fragments have no
 *   ports" (a port value of 65536 stands for "not known") and the fragment
 *   and SYN flags are all folded into these sets, so they are exact.
 * - A packet looks each of its field values up (binary search), ANDs the
 *   sets, and walks the bits in order. A field no rule of the block tests
 *   is skipped; a value in no rule's set skips the whole block.
 * - The only test not folded in is an address mask that is not a prefix
 *   (e.g. 255.0.255.0): such rules are kept as candidates on that field
 *   and confirmed with FirewallRule::Matches.
 *
 * A change to the chain marks only the blocks it touches; each is rebuilt
 * from the rules the next time a packet needs it, so a script of many
 * changes costs one rebuild, and one change in a long chain costs one
 * block. Compiled blocks are immutable and shared by copies of the
 * classifier (Ipchains copies its tables to undo a failed script).
 *
 * In front of the blocks sits a RuleMatchCache: the matching positions
 * of recent flows, so that a flow's later packets skip the look-ups.
 *
 * The rules themselves stay in the chain (counters and targets are the
 * chain's business); the classifier reads them only to build a block.
 */
class RuleClassifier
{
  public:
    /// Largest number of rules in one block: the cost of a rebuild after a
    /// change, against one set of look-ups per block per packet.
    static constexpr std::size_t MAX_BLOCK = 1024;
    /// 64-bit words of one block's rule bitset.
    static constexpr std::size_t MAX_WORDS = MAX_BLOCK / 64;

    /// Number of header fields a block classifies on (the interface apart).
    static constexpr std::size_t N_FIELDS = 6;

    /// Where a walk over one chain is: the packet's field values, the block
    /// it reads and its candidate rules. One per chain on the walk's stack.
    struct Cursor
    {
        std::size_t block{SIZE_MAX};          //!< slot index; SIZE_MAX: none yet
        bool keyed{false};                    //!< key holds the packet's values
        uint32_t key[N_FIELDS];               //!< the packet's value of each field
        std::size_t first{0};                 //!< position of the block's first rule
        std::size_t count{0};                 //!< rules in the block
        const void* compiled{nullptr};        //!< the block read (identity)
        const uint64_t* residual{nullptr};    //!< rules to confirm with Matches
        uint64_t candidates[MAX_WORDS];       //!< rules whose field tests pass
        RuleMatchCache::Entry* memo{nullptr}; //!< the flow's cache entry, if any
        uint64_t memoStamp{0};                //!< memo's stamp when it was found
    };

    /** \brief An empty chain. */
    RuleClassifier();

    /**
     * \brief A rule was inserted (or appended) at a position.
     * \param position its 0-based index in the chain now
     */
    void NotifyInserted(std::size_t position);
    /**
     * \brief The rule at a position was removed.
     * \param position its 0-based index before the removal
     */
    void NotifyErased(std::size_t position);
    /**
     * \brief The rule at a position was replaced by another.
     * \param position its 0-based index
     */
    void NotifyReplaced(std::size_t position);
    /** \brief Every rule was removed. */
    void NotifyCleared();

    /**
     * \brief The first rule at or after `from` whose every test passes for
     * the packet: the same answer as testing rules[from], rules[from + 1],
     * ... with FirewallRule::Matches.
     *
     * Blocks changed since the last call are rebuilt first.
     * \param rules the chain's rules (the ones every Notify call described)
     * \param packet the packet
     * \param from 0-based position to start at
     * \param cursor the walk's state for this chain (reset it when the
     *        packet or the chain changes)
     * \return the rule's position, or rules.size() if none matches
     */
    std::size_t Next(const std::vector<FirewallRule>& rules,
                     const FirewallPacket& packet,
                     std::size_t from,
                     Cursor& cursor);

    /**
     * \brief Set the number of flows the match cache in front of the
     * blocks remembers (see RuleMatchCache); 0 turns it off. The answers of
     * Next are the same either way; only their cost differs.
     * \param flows the number of slots (rounded up to a power of two)
     */
    void SetFlowCacheSize(std::size_t flows);
    /** \return the number of flow cache slots (0: off) */
    std::size_t GetFlowCacheSize() const;

    /**
     * \brief Compile every block changed since the last call now, rather
     * than when a packet first needs it.
     * \param rules the chain's rules
     */
    void Compile(const std::vector<FirewallRule>& rules);

    /**
     * \brief Bytes the compiled blocks take (shared blocks counted in full).
     * \return the byte count
     */
    std::size_t GetMemoryUsage() const;
    /**
     * \brief Number of blocks the chain is cut into.
     * \return the count
     */
    std::size_t GetBlockCount() const;

  private:
    struct Block;

    /// A block's place in the chain; compiled is null until rebuilt.
    struct Slot
    {
        std::size_t count;                     //!< rules in the block
        std::shared_ptr<const Block> compiled; //!< null: to be rebuilt
    };

    /**
     * \brief The slot holding a position, and the position of its first rule.
     * \param position a 0-based rule position, < m_total
     * \param first set to the position of the slot's first rule
     * \return the slot index
     */
    std::size_t SlotOf(std::size_t position, std::size_t& first) const;
    /**
     * \brief Next without the flow cache: the blocks' answer.
     * \param rules the chain's rules
     * \param packet the packet
     * \param from 0-based position to start at (< m_total)
     * \param cursor the walk's state (keyed)
     * \return the rule's position, or m_total if none matches
     */
    std::size_t Scan(const std::vector<FirewallRule>& rules,
                     const FirewallPacket& packet,
                     std::size_t from,
                     Cursor& cursor);
    /**
     * \brief Fill the cursor with block `slot`'s candidates for the packet.
     * \param rules the chain's rules
     * \param packet the packet
     * \param slot the slot
     * \param first the position of its first rule
     * \param cursor the cursor
     */
    void Load(const std::vector<FirewallRule>& rules,
              const FirewallPacket& packet,
              std::size_t slot,
              std::size_t first,
              Cursor& cursor);
    /**
     * \brief Compile rules[first, first + count).
     * \param rules the chain's rules
     * \param first the first position
     * \param count the number of rules (1 .. MAX_BLOCK)
     * \return the block
     */
    static std::shared_ptr<const Block> CompileBlock(const std::vector<FirewallRule>& rules,
                                                     std::size_t first,
                                                     std::size_t count);

    std::vector<Slot> m_slots; //!< the blocks, in chain order
    std::size_t m_total;       //!< rules in all slots
    RuleMatchCache m_cache;    //!< matches of recent flows; emptied by every change
};

} // namespace ns3

#endif /* RULE_CLASSIFIER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rule-classifier.h"

#include "firewall-packet.h"
#include "firewall-rule.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RuleClassifier");

namespace
{
/// Value that stands for "the packet's port is not known" (a non-first
/// fragment, or a transport header too short): no port test passes it.
constexpr uint32_t PORT_UNKNOWN = 0x10000;

/// An inclusive range of field values.
struct Range
{
    uint64_t lo; //!< first value
    uint64_t hi; //!< last value
};

/// The values of one field for which one rule's test passes: at most four
/// ranges (the flag values), kept inline so that compiling a block does not
/// allocate per rule.
class ValueSet
{
  public:
    /** \brief The empty set. */
    ValueSet() = default;

    /**
     * \brief A set of given ranges.
     * \param ranges the ranges, ascending and disjoint
     */
    ValueSet(std::initializer_list<Range> ranges)
    {
        for (const Range& r : ranges)
        {
            push_back(r);
        }
    }

    /**
     * \brief Add a range above the others.
     * \param r the range
     */
    void push_back(const Range& r)
    {
        NS_ASSERT(m_size < 4);
        m_ranges[m_size++] = r;
    }

    /** \return true if no value is in the set */
    bool empty() const
    {
        return m_size == 0;
    }

    /** \return the number of ranges */
    std::size_t size() const
    {
        return m_size;
    }

    /** \return the last range */
    Range& back()
    {
        return m_ranges[m_size - 1];
    }

    /**
     * \param i index
     * \return range i
     */
    const Range& operator[](std::size_t i) const
    {
        return m_ranges[i];
    }

    /** \return the first range */
    const Range* begin() const
    {
        return m_ranges;
    }

    /** \return past the last range */
    const Range* end() const
    {
        return m_ranges + m_size;
    }

  private:
    Range m_ranges[4]{};   //!< the ranges
    std::size_t m_size{0}; //!< how many are used
};

/**
 * \brief The complement of [lo, hi] within [0, top].
 * \param lo first value
 * \param hi last value (lo > hi: an empty range)
 * \param top the largest value of the domain
 * \return the complement
 */
ValueSet
Complement(uint64_t lo, uint64_t hi, uint64_t top)
{
    if (lo > hi)
    {
        return {{0, top}};
    }
    ValueSet out;
    if (lo > 0)
    {
        out.push_back({0, lo - 1});
    }
    if (hi < top)
    {
        out.push_back({hi + 1, top});
    }
    return out;
}

/**
 * \brief Whether an address mask is a prefix (ones, then zeros).
 * \param mask the mask
 * \return true for /0 ... /32
 */
bool
IsPrefix(uint32_t mask)
{
    const uint32_t host = ~mask;
    return (host & (host + 1)) == 0;
}

/**
 * \brief The addresses an address test passes: (a & mask) == address, or
 * not, as FirewallRule::Matches tests it.
 * \param address the rule's (masked) address
 * \param mask its mask (a prefix)
 * \param inverted `!`
 * \return the set
 */
ValueSet
AddressSet(uint32_t address, uint32_t mask, bool inverted)
{
    const uint64_t top = 0xFFFFFFFFULL;
    if ((address & ~mask) != 0)
    {
        // No masked packet address can equal it.
        return inverted ? ValueSet{{0, top}} : ValueSet{};
    }
    const uint64_t lo = address;
    const uint64_t hi = address | ~mask;
    return inverted ? Complement(lo, hi, top) : ValueSet{{lo, hi}};
}

/**
 * \brief The port values a port test passes (FirewallRule::PortMatch),
 * PORT_UNKNOWN included.
 * \param min first port
 * \param max last port
 * \param inverted `!`
 * \return the set
 */
ValueSet
PortSet(uint16_t min, uint16_t max, bool inverted)
{
    if (min == 0 && max == FirewallRule::PORT_MAX && !inverted)
    {
        return {{0, PORT_UNKNOWN}}; // the rule does not look at this port
    }
    if (!inverted)
    {
        return min <= max ? ValueSet{{min, max}} : ValueSet{};
    }
    return Complement(min, max, FirewallRule::PORT_MAX);
}

/// Packet flags as one small value: the fragment and SYN tests read them.
uint32_t
FlagsOf(bool fragment, bool hasPorts, bool syn)
{
    return (fragment ? 1U : 0U) | (hasPorts ? 2U : 0U) | (syn ? 4U : 0U);
}

/**
 * \brief The flag values the -f and -y tests of a rule pass, with the
 * same tests as FirewallRule::Matches.
 * \param rule the rule
 * \return the set
 */
ValueSet
FlagSet(const FirewallRule& rule)
{
    ValueSet out;
    for (uint32_t v = 0; v < 8; v++)
    {
        const bool fragment = (v & 1) != 0;
        const bool hasPorts = (v & 2) != 0;
        const bool syn = (v & 4) != 0;
        bool pass = true;
        if (rule.GetFragment() == FirewallRule::SET && !fragment)
        {
            pass = false;
        }
        if (rule.GetFragment() == FirewallRule::INVERTED && fragment)
        {
            pass = false;
        }
        if (rule.GetSyn() != FirewallRule::UNSET)
        {
            // "Fragment NEVER passes a SYN test, even an inverted one."
            if (fragment || !hasPorts || (rule.GetSyn() == FirewallRule::SET) != syn)
            {
                pass = false;
            }
        }
        if (pass)
        {
            if (!out.empty() && out.back().hi + 1 == v)
            {
                out.back().hi = v;
            }
            else
            {
                out.push_back({v, v});
            }
        }
    }
    return out;
}

/// Whether a set covers a whole domain.
bool
IsFull(const ValueSet& set, uint64_t top)
{
    return set.size() == 1 && set[0].lo == 0 && set[0].hi == top;
}
} // namespace

/// One compiled block: per field, elementary intervals and their rule sets.
struct RuleClassifier::Block
{
    /// The header fields, in the order a packet looks them up (the ones
    /// most likely to empty the candidate set first).
    enum FieldId
    {
        SOURCE,
        DESTINATION,
        DESTINATION_PORT,
        PROTOCOL,
        SOURCE_PORT,
        FLAGS,
        N_FIELDS
    };

    static_assert(N_FIELDS == RuleClassifier::N_FIELDS, "one key value per field");

    /// One field's elementary intervals.
    struct Field
    {
        std::vector<uint32_t> starts; //!< first value of each interval, ascending, [0] = 0
        std::vector<int32_t> rows;    //!< its rule set: word offset in bits, -1 = no rule
    };

    /// A rule whose interface test is not "any interface".
    struct InterfaceTest
    {
        uint32_t rule;       //!< its index in the block
        std::string pattern; //!< the name, '+' included
        bool wildcard;       //!< a '+' prefix
        bool inverted;       //!< `-i !`
    };

    /// Rule sets of the interfaces seen so far (a cache: a node has few).
    struct InterfaceRow
    {
        std::string name;           //!< the interface
        std::vector<uint64_t> bits; //!< rules whose interface test passes
    };

    std::size_t words{0};                            //!< words of one rule set
    uint32_t active{0};                              //!< bit per FieldId: some rule tests it
    Field fields[N_FIELDS];                          //!< the fields
    std::vector<uint64_t> bits;                      //!< every row of every field
    std::vector<uint64_t> residual;                  //!< rules Matches confirms; empty if none
    std::vector<InterfaceTest> interfaceTests;       //!< rules with an interface test
    mutable std::vector<InterfaceRow> interfaceRows; //!< cache
    mutable std::size_t interfaceNext{0};            //!< next cache entry to reuse

    /**
     * \brief The rule set of one field value.
     * \param field the field
     * \param value the value
     * \return the set, nullptr if no rule passes
     */
    const uint64_t* Row(FieldId field, uint32_t value) const
    {
        // The last interval that starts at or below the value (starts[0]
        // is 0), by a binary search without branches on the data.
        const Field& f = fields[field];
        const uint32_t* base = f.starts.data();
        std::size_t n = f.starts.size();
        while (n > 1)
        {
            const std::size_t half = n / 2;
            base = (base[half] <= value) ? base + half : base;
            n -= half;
        }
        const int32_t row = f.rows[base - f.starts.data()];
        return row < 0 ? nullptr : bits.data() + row;
    }

    /**
     * \brief The rule set of an interface name (computed once per name).
     * \param name the packet's interface
     * \return the set
     */
    const uint64_t* InterfaceRowOf(const std::string& name) const
    {
        for (const InterfaceRow& r : interfaceRows)
        {
            if (r.name == name)
            {
                return r.bits.data();
            }
        }
        // A node has a handful of interfaces; past 16 names, reuse entries
        // in turn (the cache only ever saves work).
        const std::size_t maxRows = 16;
        if (interfaceRows.size() < maxRows)
        {
            interfaceRows.emplace_back();
            interfaceNext = interfaceRows.size() - 1;
        }
        InterfaceRow& r = interfaceRows[interfaceNext];
        interfaceNext = (interfaceNext + 1) % maxRows;
        r.name = name;
        r.bits.assign(words, ~0ULL);
        for (const InterfaceTest& t : interfaceTests)
        {
            if (!Passes(t, name))
            {
                r.bits[t.rule / 64] &= ~(1ULL << (t.rule % 64));
            }
        }
        return r.bits.data();
    }

    /**
     * \brief Whether an interface test passes, as FirewallRule::Matches tests it.
     * \param t the test
     * \param name the packet's interface
     * \return true if it passes
     */
    static bool Passes(const InterfaceTest& t, const std::string& name)
    {
        bool same = true;
        if (t.wildcard)
        {
            const std::size_t n = t.pattern.size() - 1;
            same = name.compare(0, n, t.pattern, 0, n) == 0;
        }
        else if (!t.pattern.empty())
        {
            same = name == t.pattern;
        }
        return same != t.inverted;
    }

    /**
     * \brief Build one field from each rule's value set.
     * \param field the field
     * \param sets one set per rule of the block
     * \param count rules in the block
     */
    void BuildField(FieldId field, const std::vector<ValueSet>& sets, std::size_t count)
    {
        // Sweep the value line: a rule's bit is set where one of its ranges
        // starts and cleared after it ends (clears first at a point, since
        // a rule's ranges never overlap, but one may end where the next
        // begins).
        // An event is one integer, so that sorting them is cheap: the point
        // (at most 2^32, 33 bits), then 1 for a set and 0 for a clear, then
        // the rule (10 bits).
        static_assert(MAX_BLOCK <= 1024, "rule index in 10 bits");
        auto event = [](uint64_t point, bool set, std::size_t rule) {
            return (point << 11) | (set ? 1ULL << 10 : 0) | rule;
        };
        std::vector<uint64_t> events;
        events.reserve(4 * count);
        for (std::size_t r = 0; r < count; r++)
        {
            for (const Range& range : sets[r])
            {
                events.push_back(event(range.lo, true, r));
                events.push_back(event(range.hi + 1, false, r));
            }
        }
        std::sort(events.begin(), events.end());
        auto pointOf = [](uint64_t e) { return e >> 11; };
        Field& f = fields[field];
        std::vector<uint64_t> current(words, 0);
        std::size_t e = 0;
        uint64_t point = 0;
        while (true)
        {
            while (e < events.size() && pointOf(events[e]) == point)
            {
                const uint64_t rule = events[e] & 0x3FF;
                uint64_t& w = current[rule / 64];
                const uint64_t bit = 1ULL << (rule % 64);
                w = (events[e] & (1ULL << 10)) ? (w | bit) : (w & ~bit);
                e++;
            }
            const bool empty =
                std::all_of(current.begin(), current.end(), [](uint64_t w) { return w == 0; });
            const int32_t last = f.rows.empty() ? -2 : f.rows.back();
            const bool same =
                (empty && last == -1) ||
                (!empty && last >= 0 && std::equal(current.begin(), current.end(), &bits[last]));
            if (!same)
            {
                f.starts.push_back(static_cast<uint32_t>(point));
                if (empty)
                {
                    f.rows.push_back(-1);
                }
                else
                {
                    f.rows.push_back(static_cast<int32_t>(bits.size()));
                    bits.insert(bits.end(), current.begin(), current.end());
                }
            }
            // Past the domain (the address domain ends at 2^32 - 1).
            if (e == events.size() || pointOf(events[e]) > 0xFFFFFFFFULL)
            {
                break;
            }
            point = pointOf(events[e]);
        }
        active |= 1U << field;
    }
};

RuleClassifier::RuleClassifier()
    : m_total(0)
{
}

std::size_t
RuleClassifier::SlotOf(std::size_t position, std::size_t& first) const
{
    first = 0;
    for (std::size_t s = 0; s < m_slots.size(); s++)
    {
        if (position < first + m_slots[s].count)
        {
            return s;
        }
        first += m_slots[s].count;
    }
    NS_ASSERT_MSG(false, "rule position " << position << " past the chain");
    return m_slots.size() - 1;
}

void
RuleClassifier::NotifyInserted(std::size_t position)
{
    m_cache.Clear(); // the positions it holds move
    NS_ASSERT(position <= m_total);
    if (m_slots.empty() || (position == m_total && m_slots.back().count >= MAX_BLOCK))
    {
        m_slots.push_back(Slot{1, nullptr});
        m_total++;
        return;
    }
    std::size_t first = 0;
    std::size_t s = (position == m_total) ? m_slots.size() - 1 : SlotOf(position, first);
    Slot& slot = m_slots[s];
    slot.count++;
    slot.compiled.reset();
    if (slot.count > MAX_BLOCK)
    {
        const std::size_t half = slot.count / 2;
        const std::size_t rest = slot.count - half;
        slot.count = half;
        m_slots.insert(m_slots.begin() + s + 1, Slot{rest, nullptr});
    }
    m_total++;
}

void
RuleClassifier::NotifyErased(std::size_t position)
{
    m_cache.Clear(); // the positions it holds move
    NS_ASSERT(position < m_total);
    std::size_t first = 0;
    std::size_t s = SlotOf(position, first);
    m_slots[s].count--;
    m_slots[s].compiled.reset();
    m_total--;
    if (m_slots[s].count == 0)
    {
        m_slots.erase(m_slots.begin() + s);
        return;
    }
    // Keep blocks from crumbling into many small ones (each costs its
    // look-ups on every packet): merge with a neighbour when both fit in
    // half a block.
    for (std::size_t n : {s + 1, s - 1})
    {
        if (n < m_slots.size() && m_slots[s].count + m_slots[n].count <= MAX_BLOCK / 2)
        {
            const std::size_t keep = std::min(s, n);
            m_slots[keep].count = m_slots[s].count + m_slots[n].count;
            m_slots[keep].compiled.reset();
            m_slots.erase(m_slots.begin() + std::max(s, n));
            return;
        }
    }
}

void
RuleClassifier::NotifyReplaced(std::size_t position)
{
    m_cache.Clear(); // the positions it holds move
    NS_ASSERT(position < m_total);
    std::size_t first = 0;
    m_slots[SlotOf(position, first)].compiled.reset();
}

void
RuleClassifier::NotifyCleared()
{
    m_cache.Clear(); // the positions it holds move
    m_slots.clear();
    m_total = 0;
}

std::shared_ptr<const RuleClassifier::Block>
RuleClassifier::CompileBlock(const std::vector<FirewallRule>& rules,
                             std::size_t first,
                             std::size_t count)
{
    NS_LOG_FUNCTION(first << count);
    auto block = std::make_shared<Block>();
    block->words = (count + 63) / 64;

    std::vector<ValueSet> sets[Block::N_FIELDS];
    for (auto& s : sets)
    {
        s.resize(count);
    }
    for (std::size_t r = 0; r < count; r++)
    {
        const FirewallRule& rule = rules[first + r];
        const uint32_t srcMask = rule.GetSourceMask().Get();
        const uint32_t dstMask = rule.GetDestinationMask().Get();
        if (IsPrefix(srcMask))
        {
            sets[Block::SOURCE][r] =
                AddressSet(rule.GetSource().Get(), srcMask, rule.IsSourceInverted());
        }
        else
        {
            sets[Block::SOURCE][r] = {{0, 0xFFFFFFFFULL}};
        }
        if (IsPrefix(dstMask))
        {
            sets[Block::DESTINATION][r] =
                AddressSet(rule.GetDestination().Get(), dstMask, rule.IsDestinationInverted());
        }
        else
        {
            sets[Block::DESTINATION][r] = {{0, 0xFFFFFFFFULL}};
        }
        if (!IsPrefix(srcMask) || !IsPrefix(dstMask))
        {
            if (block->residual.empty())
            {
                block->residual.assign(block->words, 0);
            }
            block->residual[r / 64] |= 1ULL << (r % 64);
        }
        if (rule.GetProtocol() == FirewallRule::PROTO_ALL)
        {
            // No protocol test, and then no port test either (Matches).
            sets[Block::PROTOCOL][r] = {{0, 0xFF}};
            sets[Block::SOURCE_PORT][r] = {{0, PORT_UNKNOWN}};
            sets[Block::DESTINATION_PORT][r] = {{0, PORT_UNKNOWN}};
        }
        else
        {
            const uint8_t p = rule.GetProtocol();
            sets[Block::PROTOCOL][r] =
                rule.IsProtocolInverted() ? Complement(p, p, 0xFF) : ValueSet{{p, p}};
            sets[Block::SOURCE_PORT][r] = PortSet(rule.GetSourcePortMin(),
                                                  rule.GetSourcePortMax(),
                                                  rule.IsSourcePortInverted());
            sets[Block::DESTINATION_PORT][r] = PortSet(rule.GetDestinationPortMin(),
                                                       rule.GetDestinationPortMax(),
                                                       rule.IsDestinationPortInverted());
        }
        sets[Block::FLAGS][r] = FlagSet(rule);
        if (!rule.GetInterface().empty() || rule.IsInterfaceInverted())
        {
            block->interfaceTests.push_back(Block::InterfaceTest{static_cast<uint32_t>(r),
                                                                 rule.GetInterface(),
                                                                 rule.IsInterfaceWildcard(),
                                                                 rule.IsInterfaceInverted()});
        }
    }

    const uint64_t tops[Block::N_FIELDS] =
        {0xFFFFFFFFULL, 0xFFFFFFFFULL, PORT_UNKNOWN, 0xFF, PORT_UNKNOWN, 7};
    for (int f = 0; f < Block::N_FIELDS; f++)
    {
        const bool tested = std::any_of(sets[f].begin(), sets[f].end(), [&](const ValueSet& s) {
            return !IsFull(s, tops[f]);
        });
        if (tested)
        {
            block->BuildField(static_cast<Block::FieldId>(f), sets[f], count);
        }
    }
    block->bits.shrink_to_fit();
    return block;
}

void
RuleClassifier::Load(const std::vector<FirewallRule>& rules,
                     const FirewallPacket& packet,
                     std::size_t slot,
                     std::size_t first,
                     Cursor& cursor)
{
    Slot& s = m_slots[slot];
    if (!s.compiled)
    {
        s.compiled = CompileBlock(rules, first, s.count);
    }
    const Block& b = *s.compiled;
    cursor.block = slot;
    cursor.first = first;
    cursor.count = s.count;
    cursor.compiled = &b;
    cursor.residual = b.residual.empty() ? nullptr : b.residual.data();
    uint64_t* c = cursor.candidates;
    const std::size_t words = b.words;

    NS_ASSERT(cursor.keyed);
    bool started = false;
    for (uint32_t active = b.active; active != 0; active &= active - 1)
    {
        const auto f = static_cast<Block::FieldId>(__builtin_ctz(active));
        const uint64_t* row = b.Row(f, cursor.key[f]);
        if (!row)
        {
            std::fill(c, c + words, 0);
            return; // no rule of the block passes this field
        }
        if (!started)
        {
            std::copy(row, row + words, c);
            started = true;
            continue;
        }
        uint64_t any = 0;
        for (std::size_t w = 0; w < words; w++)
        {
            c[w] &= row[w];
            any |= c[w];
        }
        if (any == 0)
        {
            return;
        }
    }
    if (!b.interfaceTests.empty())
    {
        const uint64_t* row = b.InterfaceRowOf(packet.interface);
        if (!started)
        {
            std::copy(row, row + words, c);
            started = true;
        }
        else
        {
            for (std::size_t w = 0; w < words; w++)
            {
                c[w] &= row[w];
            }
        }
    }
    if (!started)
    {
        // No rule of the block tests anything: every rule matches.
        std::fill(c, c + words, ~0ULL);
    }
    if (s.count % 64 != 0)
    {
        c[words - 1] &= (1ULL << (s.count % 64)) - 1;
    }
}

std::size_t
RuleClassifier::Next(const std::vector<FirewallRule>& rules,
                     const FirewallPacket& packet,
                     std::size_t from,
                     Cursor& cursor)
{
    if (m_total != rules.size())
    {
        // A change nobody told us of: a missed Notify is a bug, but the
        // answer must still be right, so cut the chain into blocks anew.
        NS_ASSERT_MSG(false, "classifier has " << m_total << " rules, chain " << rules.size());
        m_slots.clear();
        for (std::size_t left = rules.size(); left > 0;)
        {
            const std::size_t n = std::min(left, MAX_BLOCK);
            m_slots.push_back(Slot{n, nullptr});
            left -= n;
        }
        m_total = rules.size();
        m_cache.Clear();
        cursor.block = SIZE_MAX;
        cursor.memo = nullptr;
    }
    if (from >= m_total)
    {
        return m_total;
    }
    if (!cursor.keyed)
    {
        // Once per walk of a chain: the packet does not change under it
        // (matches change only tos and mark, which no test reads).
        const bool known = packet.hasPorts && !packet.fragment;
        cursor.key[Block::SOURCE] = packet.source.Get();
        cursor.key[Block::DESTINATION] = packet.destination.Get();
        cursor.key[Block::DESTINATION_PORT] = known ? packet.destinationPort : PORT_UNKNOWN;
        cursor.key[Block::PROTOCOL] = packet.protocol;
        cursor.key[Block::SOURCE_PORT] = known ? packet.sourcePort : PORT_UNKNOWN;
        cursor.key[Block::FLAGS] = FlagsOf(packet.fragment, packet.hasPorts, packet.syn);
        cursor.keyed = true;
        cursor.memo = m_cache.Find(cursor.key, packet.interface);
        cursor.memoStamp = cursor.memo ? cursor.memo->stamp : 0;
    }
    RuleMatchCache::Entry* e = cursor.memo;
    if (!e || e->stamp != cursor.memoStamp || from > e->scanned)
    {
        // No cache, the entry went to another flow or was cleared, or a
        // walk that starts past what the entry knows (resumption).
        return Scan(rules, packet, from, cursor);
    }
    // Every match below e->scanned is in the list, in order.
    for (uint32_t k = 0; k < e->count; k++)
    {
        if (e->matches[k] >= from)
        {
            return e->matches[k];
        }
    }
    if (e->scanned >= m_total)
    {
        return m_total;
    }
    const std::size_t found = Scan(rules, packet, e->scanned, cursor);
    if (found >= m_total)
    {
        e->scanned = static_cast<uint32_t>(m_total);
    }
    else if (e->count < RuleMatchCache::MAX_MATCHES)
    {
        e->matches[e->count++] = static_cast<uint32_t>(found);
        e->scanned = static_cast<uint32_t>(found + 1);
    }
    return found;
}

std::size_t
RuleClassifier::Scan(const std::vector<FirewallRule>& rules,
                     const FirewallPacket& packet,
                     std::size_t from,
                     Cursor& cursor)
{
    if (cursor.block >= m_slots.size() || from < cursor.first ||
        from >= cursor.first + cursor.count ||
        m_slots[cursor.block].compiled.get() != cursor.compiled)
    {
        std::size_t first = 0;
        std::size_t s = SlotOf(from, first);
        Load(rules, packet, s, first, cursor);
    }
    std::size_t local = from - cursor.first;
    while (true)
    {
        const std::size_t words = (cursor.count + 63) / 64;
        std::size_t w = local / 64;
        uint64_t m = cursor.candidates[w] & (~0ULL << (local % 64));
        while (true)
        {
            while (m == 0 && ++w < words)
            {
                m = cursor.candidates[w];
            }
            if (m == 0)
            {
                break;
            }
            const std::size_t index = w * 64 + static_cast<std::size_t>(__builtin_ctzll(m));
            m &= m - 1;
            if (cursor.residual && (cursor.residual[index / 64] & (1ULL << (index % 64))) &&
                !rules[cursor.first + index].Matches(packet))
            {
                continue;
            }
            return cursor.first + index;
        }
        // Nothing more in this block: the next one.
        const std::size_t next = cursor.block + 1;
        if (next >= m_slots.size())
        {
            return m_total;
        }
        Load(rules, packet, next, cursor.first + cursor.count, cursor);
        local = 0;
    }
}

void
RuleClassifier::Compile(const std::vector<FirewallRule>& rules)
{
    NS_ASSERT(m_total == rules.size());
    std::size_t first = 0;
    for (Slot& s : m_slots)
    {
        if (!s.compiled)
        {
            s.compiled = CompileBlock(rules, first, s.count);
        }
        first += s.count;
    }
}

std::size_t
RuleClassifier::GetMemoryUsage() const
{
    std::size_t bytes = m_slots.capacity() * sizeof(Slot) + m_cache.GetMemoryUsage();
    for (const Slot& s : m_slots)
    {
        if (!s.compiled)
        {
            continue;
        }
        const Block& b = *s.compiled;
        bytes += sizeof(Block) + b.bits.capacity() * sizeof(uint64_t) +
                 b.residual.capacity() * sizeof(uint64_t) +
                 b.interfaceTests.capacity() * sizeof(Block::InterfaceTest);
        for (const Block::Field& f : b.fields)
        {
            bytes += f.starts.capacity() * sizeof(uint32_t) + f.rows.capacity() * sizeof(int32_t);
        }
        for (const Block::InterfaceRow& r : b.interfaceRows)
        {
            bytes += sizeof(r) + r.bits.capacity() * sizeof(uint64_t);
        }
    }
    return bytes;
}

void
RuleClassifier::SetFlowCacheSize(std::size_t flows)
{
    m_cache.SetCapacity(flows);
}

std::size_t
RuleClassifier::GetFlowCacheSize() const
{
    return m_cache.GetCapacity();
}

std::size_t
RuleClassifier::GetBlockCount() const
{
    return m_slots.size();
}

} // namespace ns3

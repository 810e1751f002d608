/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rule-match-cache.h"

#include <algorithm>

namespace ns3
{

namespace
{
/// The slot of a flow: a multiplicative hash of its fields, the length and
/// last character of its interface name (a collision only costs a miss:
/// Find compares everything). Deterministic: the cache changes only cost,
/// never output.
std::size_t
SlotOf(const uint32_t key[RuleMatchCache::KEY_FIELDS],
       const std::string& interface,
       std::size_t mask)
{
    static_assert(RuleMatchCache::KEY_FIELDS == 6, "the fields packed below");
    // Addresses; then ports (17 bits each, "unknown" included), protocol,
    // flags (3 bits) and the interface.
    const uint64_t addresses = (static_cast<uint64_t>(key[0]) << 32) | key[1];
    const uint64_t rest =
        key[2] | (static_cast<uint64_t>(key[4]) << 17) | (static_cast<uint64_t>(key[3]) << 34) |
        (static_cast<uint64_t>(key[5]) << 42) |
        (static_cast<uint64_t>(interface.size() & 0xFF) << 45) |
        (static_cast<uint64_t>(interface.empty() ? 0 : static_cast<unsigned char>(interface.back()))
         << 53);
    const uint64_t h = addresses * 0x9E3779B97F4A7C15ULL ^ rest * 0xFF51AFD7ED558CCDULL;
    return static_cast<std::size_t>(h ^ (h >> 32)) & mask;
}
} // namespace

RuleMatchCache::RuleMatchCache()
    : m_capacity(0),
      m_nextStamp(1)
{
}

RuleMatchCache::RuleMatchCache(const RuleMatchCache& other)
    : m_capacity(other.m_capacity),
      m_nextStamp(1)
{
}

RuleMatchCache&
RuleMatchCache::operator=(const RuleMatchCache& other)
{
    if (this != &other)
    {
        m_capacity = other.m_capacity;
        m_entries.clear();
        m_entries.shrink_to_fit();
    }
    return *this;
}

void
RuleMatchCache::SetCapacity(std::size_t slots)
{
    std::size_t capacity = 0;
    if (slots > 0)
    {
        capacity = 1;
        while (capacity < std::min(slots, MAX_CAPACITY))
        {
            capacity *= 2;
        }
    }
    if (capacity != m_capacity)
    {
        m_capacity = capacity;
        m_entries.clear();
        m_entries.shrink_to_fit();
    }
}

std::size_t
RuleMatchCache::GetCapacity() const
{
    return m_capacity;
}

RuleMatchCache::Entry*
RuleMatchCache::Find(const uint32_t key[KEY_FIELDS], const std::string& interface)
{
    if (m_capacity == 0)
    {
        return nullptr;
    }
    if (m_entries.empty())
    {
        m_entries.resize(m_capacity);
    }
    Entry& e = m_entries[SlotOf(key, interface, m_capacity - 1)];
    if (e.stamp != 0 && std::equal(key, key + KEY_FIELDS, e.key) && e.interface == interface)
    {
        return &e;
    }
    e.stamp = m_nextStamp++;
    std::copy(key, key + KEY_FIELDS, e.key);
    e.interface = interface;
    e.scanned = 0;
    e.count = 0;
    return &e;
}

void
RuleMatchCache::Clear()
{
    for (Entry& e : m_entries)
    {
        e.stamp = 0;
    }
}

std::size_t
RuleMatchCache::GetMemoryUsage() const
{
    std::size_t bytes = m_entries.capacity() * sizeof(Entry);
    for (const Entry& e : m_entries)
    {
        bytes += e.interface.capacity() > 15 ? e.interface.capacity() + 1 : 0;
    }
    return bytes;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-mark-tag.h"

#include <atomic>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DivertMarkTag);

namespace
{
/// Set by the first Serialize: a tag was attached to a packet.
std::atomic<bool> g_markTagInUse{false};
} // namespace

bool
DivertMarkTag::IsInUse()
{
    return g_markTagInUse.load(std::memory_order_relaxed);
}

TypeId
DivertMarkTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DivertMarkTag")
                            .SetParent<Tag>()
                            .SetGroupName("Divert")
                            .AddConstructor<DivertMarkTag>();
    return tid;
}

TypeId
DivertMarkTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

DivertMarkTag::DivertMarkTag()
    : m_mark(0)
{
}

DivertMarkTag::DivertMarkTag(uint32_t mark)
    : m_mark(mark)
{
}

void
DivertMarkTag::SetMark(uint32_t mark)
{
    m_mark = mark;
}

uint32_t
DivertMarkTag::GetMark() const
{
    return m_mark;
}

uint32_t
DivertMarkTag::GetSerializedSize() const
{
    return 4;
}

void
DivertMarkTag::Serialize(TagBuffer i) const
{
    g_markTagInUse.store(true, std::memory_order_relaxed);
    i.WriteU32(m_mark);
}

void
DivertMarkTag::Deserialize(TagBuffer i)
{
    m_mark = i.ReadU32();
}

void
DivertMarkTag::Print(std::ostream& os) const
{
    os << "mark=0x" << std::hex << m_mark << std::dec;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-mark-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DivertMarkTag);

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

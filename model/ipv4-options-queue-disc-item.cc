/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-options-queue-disc-item.h"

#include "ipv4-wire-header.h"

#include "ns3/assert.h"
#include "ns3/packet.h"

namespace ns3
{

Ipv4OptionsQueueDiscItem::Ipv4OptionsQueueDiscItem(Ptr<Packet> p,
                                                   const Address& addr,
                                                   uint16_t protocol,
                                                   const Ipv4Header& header,
                                                   const std::vector<uint8_t>& options)
    : Ipv4QueueDiscItem(p, addr, protocol, Ipv4WireHeader::Normalize(header)),
      m_options(options),
      m_wireHeaderAdded(false)
{
}

uint32_t
Ipv4OptionsQueueDiscItem::GetSize() const
{
    uint32_t size = GetPacket()->GetSize();
    if (!m_wireHeaderAdded)
    {
        size += 20 + m_options.size();
    }
    return size;
}

void
Ipv4OptionsQueueDiscItem::AddHeader()
{
    NS_ASSERT_MSG(!m_wireHeaderAdded, "The header has been already added to the packet");
    GetPacket()->AddHeader(Ipv4WireHeader(GetHeader(), m_options));
    m_wireHeaderAdded = true;
}

bool
Ipv4OptionsQueueDiscItem::Mark()
{
    return !m_wireHeaderAdded && Ipv4QueueDiscItem::Mark();
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPV4_OPTIONS_QUEUE_DISC_ITEM_H
#define IPV4_OPTIONS_QUEUE_DISC_ITEM_H

#include "ns3/ipv4-queue-disc-item.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief An Ipv4QueueDiscItem whose header carries IPv4 options.
 *
 * Made by DivertTrafficControlLayer for a datagram whose payload has an
 * Ipv4OptionsTag. Queue discs see it as any IPv4 item (ECN marking, hashing,
 * TOS); its size and the header added before the device sends it include
 * the options, written by Ipv4WireHeader.
 */
class Ipv4OptionsQueueDiscItem : public Ipv4QueueDiscItem
{
  public:
    /**
     * \brief Create an item.
     * \param p the payload
     * \param addr the destination MAC address
     * \param protocol the L3 protocol number
     * \param header the IPv4 header (20 bytes)
     * \param options the options field (a multiple of 4 bytes, at most 40)
     */
    Ipv4OptionsQueueDiscItem(Ptr<Packet> p,
                             const Address& addr,
                             uint16_t protocol,
                             const Ipv4Header& header,
                             const std::vector<uint8_t>& options);

    // Delete default constructor, copy constructor and assignment operator to avoid misuse
    Ipv4OptionsQueueDiscItem() = delete;
    Ipv4OptionsQueueDiscItem(const Ipv4OptionsQueueDiscItem&) = delete;
    Ipv4OptionsQueueDiscItem& operator=(const Ipv4OptionsQueueDiscItem&) = delete;

    /**
     * \return the size of the datagram, header and options included
     */
    uint32_t GetSize() const override;
    /**
     * \brief Add the header, options included, to the packet.
     */
    void AddHeader() override;
    /**
     * \brief Set ECN CE in the header, unless it was already added.
     * \return true if the item was marked
     */
    bool Mark() override;

  private:
    std::vector<uint8_t> m_options; //!< the options field
    bool m_wireHeaderAdded;         //!< AddHeader was called
};

} // namespace ns3

#endif /* IPV4_OPTIONS_QUEUE_DISC_ITEM_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_TRAFFIC_CONTROL_LAYER_H
#define DIVERT_TRAFFIC_CONTROL_LAYER_H

#include "ns3/traffic-control-layer.h"

namespace ns3
{

/**
 * \ingroup divert
 * \brief The traffic control layer of a divert node: puts IPv4 options on
 *        the wire.
 *
 * ns-3's IPv4 items add a 20-byte header when they reach the device. For a
 * datagram whose payload carries an Ipv4OptionsTag, this layer sends an
 * Ipv4OptionsQueueDiscItem instead, so the device (and its pcap) gets the
 * header with its options, IHL above 5. Everything else is the base class's:
 * queue discs, the traffic-control helper and the receive path work as on
 * any node. DivertStackHelper installs it. (In ns-3.37 and earlier the base
 * class reports its own TypeId as the instance's, so find this layer on a
 * node with GetObject<TrafficControlLayer> and DynamicCast.)
 */
class DivertTrafficControlLayer : public TrafficControlLayer
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DivertTrafficControlLayer();

    /**
     * \brief Send an item to a device, through its queue disc if it has one.
     * \param device the device
     * \param item the item; an IPv4 item with options is replaced by one
     *        that writes them
     */
    void Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item) override;
};

} // namespace ns3

#endif /* DIVERT_TRAFFIC_CONTROL_LAYER_H */

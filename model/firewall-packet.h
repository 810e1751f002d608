/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FIREWALL_PACKET_H
#define FIREWALL_PACKET_H

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

class Packet;

/**
 * \ingroup divert
 * \brief What an ipchains rule can see of an IPv4 packet.
 *
 * The firewall never touches ns-3 packets: the stack describes each packet
 * with this value type and the firewall matches rules against it. The same
 * description is what `ipchains -C` builds from its command line, so a check
 * and a real packet are matched by the same code.
 *
 * Like ipchains, the ICMP type travels in the source-port field and the ICMP
 * code in the destination-port field.
 */
struct FirewallPacket
{
    Ipv4Address source;          //!< IPv4 source address
    Ipv4Address destination;     //!< IPv4 destination address
    uint8_t protocol{0};         //!< IPv4 protocol number
    uint8_t tos{0};              //!< type-of-service byte
    bool hasPorts{false};        //!< ports (or ICMP type/code) are known
    uint16_t sourcePort{0};      //!< TCP/UDP source port, or ICMP type
    uint16_t destinationPort{0}; //!< TCP/UDP destination port, or ICMP code
    bool fragment{false};        //!< a non-first fragment (offset != 0)
    bool syn{false};             //!< TCP with SYN set and ACK clear
    std::string interface;       //!< interface name: "lo", "eth0", or a Names name
    uint32_t mark{0};            //!< packet mark (ipchains -m)
    uint32_t size{0};            //!< bytes of the whole IP datagram (for counters)

    /**
     * \brief Describe a packet as the firewall sees it.
     * \param header the IPv4 header
     * \param payload the IPv4 payload (may be a fragment)
     * \param interface the interface name
     * \param mark the packet mark
     * \return the description
     *
     * Ports, ICMP type/code and the SYN flag are read only from a first
     * fragment (or whole datagram) that carries enough bytes of the
     * transport header; a non-first fragment never has them (RFC 1858 and
     * Linux 2.2 ip_fw.c behave the same way).
     */
    static FirewallPacket Describe(const Ipv4Header& header,
                                   Ptr<const Packet> payload,
                                   const std::string& interface,
                                   uint32_t mark);
};

/**
 * \brief Print a one-line description of a firewall packet.
 * \param os the stream
 * \param p the packet description
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const FirewallPacket& p);

} // namespace ns3

#endif /* FIREWALL_PACKET_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPV4_FRAGMENTER_H
#define IPV4_FRAGMENTER_H

#include "ns3/ipv4-header.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <list>
#include <utility>

namespace ns3
{

class Packet;

/**
 * \ingroup divert
 * \brief Splits an IPv4 datagram, or a fragment of one, into fragments that
 * fit an MTU (RFC 791 section 3.2, "An Example Fragmentation Procedure").
 *
 * Each fragment carries a multiple of 8 payload bytes except the last, keeps
 * the identification and every other field of the original header, and has
 * its own payload size, MF flag and offset. Refragmenting a fragment keeps
 * its offset base, and its own MF flag on the last piece, so that the pieces
 * reassemble with the other fragments of the original datagram.
 *
 * Fragments are made with Packet::CreateFragment, so ns-3 byte tags stay on
 * the bytes they mark and packet tags are copied to every fragment.
 *
 * IP options are out of scope: ns-3's Ipv4Header cannot carry them (it always
 * serializes IHL 5), so the RFC 791 rule on copying options to fragments does
 * not arise.
 */
class Ipv4Fragmenter
{
  public:
    /// The smallest MTU an IPv4 link may have (RFC 791: 68 octets).
    static constexpr uint16_t MIN_MTU = 68;

    /// Fragments with their headers, in offset order.
    typedef std::list<std::pair<Ptr<Packet>, Ipv4Header>> FragmentList;

    /**
     * \brief Split a datagram (or a fragment) so that each piece fits the MTU.
     *
     * A datagram that already fits comes back as one piece (a copy, with the
     * header's payload size set). Nothing comes back, and a warning is logged,
     * when the MTU is below 68, when the datagram does not fit and has DF set
     * (RFC 791; Linux ip_fragment() answers with ICMP "fragmentation needed",
     * which is the caller's job), or when its offset and size pass 65,535
     * bytes.
     *
     * \param payload the IP payload
     * \param header its IPv4 header (its payload size is ignored: the payload's
     *        size is used)
     * \param mtu the link MTU, header included
     * \return the fragments with their headers, or an empty list
     */
    static FragmentList Fragment(Ptr<const Packet> payload, const Ipv4Header& header, uint16_t mtu);

    /**
     * \brief Whether a datagram is too large for an MTU.
     * \param payloadSize bytes of IP payload
     * \param header its IPv4 header
     * \param mtu the link MTU, header included
     * \return true if header plus payload exceed the MTU
     */
    static bool NeedsFragmentation(uint32_t payloadSize, const Ipv4Header& header, uint16_t mtu);
};

} // namespace ns3

#endif /* IPV4_FRAGMENTER_H */

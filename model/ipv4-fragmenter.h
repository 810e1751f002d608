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
#include <vector>

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
 * IP options ride on the payload in an Ipv4OptionsTag (ns-3's Ipv4Header
 * cannot carry them): they make the header longer, so the data blocks
 * shorter, and RFC 791's copy rule decides which of them later fragments
 * carry (OptionsCopy).
 */
class Ipv4Fragmenter
{
  public:
    /// The smallest MTU an IPv4 link may have (RFC 791: 68 octets).
    static constexpr uint16_t MIN_MTU = 68;

    /**
     * How the options of a datagram go into its fragments after the first
     * (RFC 791: options with the copied flag are repeated in every fragment,
     * the others only in the first). The two stacks differ in the bytes.
     */
    enum OptionsCopy
    {
        /// Linux ip_options_fragment(): the header keeps its length and the
        /// options without the copied flag are overwritten with No Operation.
        OPTIONS_NOP_FILL,
        /// BSD ip_optcopy(): only the copied options (and No Operations) are
        /// written, padded with End of Option List to a multiple of 4 bytes.
        OPTIONS_COMPACT
    };

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
     * The datagram's IP options are those of its payload's Ipv4OptionsTag.
     * The header length they make is the same for the block size of every
     * piece (Linux ip_fragment(), BSD ip_fragment()); the piece at offset 0
     * keeps them all, the others get OptionsForLaterFragments().
     *
     * \param payload the IP payload
     * \param header its IPv4 header (its payload size is ignored: the payload's
     *        size is used)
     * \param mtu the link MTU, header included
     * \param copy how options go into the pieces after the first
     * \return the fragments with their headers, or an empty list
     */
    static FragmentList Fragment(Ptr<const Packet> payload,
                                 const Ipv4Header& header,
                                 uint16_t mtu,
                                 OptionsCopy copy = OPTIONS_NOP_FILL);

    /**
     * \brief Whether a datagram is too large for an MTU.
     * \param payload its IP payload (its Ipv4OptionsTag counts in the header)
     * \param mtu the link MTU, header included
     * \return true if header, options and payload exceed the MTU
     */
    static bool NeedsFragmentation(Ptr<const Packet> payload, uint16_t mtu);

    /**
     * \brief The options of the fragments after the first.
     * \param options the options field of the datagram
     * \param copy which stack's way
     * \return the options field for a later fragment; may be empty
     */
    static std::vector<uint8_t> OptionsForLaterFragments(const std::vector<uint8_t>& options,
                                                         OptionsCopy copy);
};

} // namespace ns3

#endif /* IPV4_FRAGMENTER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPV4_OPTIONS_TAG_H
#define IPV4_OPTIONS_TAG_H

#include "ns3/ptr.h"
#include "ns3/tag.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup divert
 * \brief The IPv4 options of a datagram, carried beside its payload.
 *
 * ns-3's Ipv4Header has no options: it always serialises a 20-byte header
 * (IHL 5), and Ipv4L3Protocol::Receive discards the options of a header it
 * reads. The divert stack therefore keeps a datagram's options in this
 * packet tag on its payload while the datagram is inside the stack, and puts
 * them back in the header wherever bytes leave the stack: on the wire
 * (DivertTrafficControlLayer), on a divert socket and in the divert pcap
 * (Ipv4WireHeader). The fragmenter repeats them per RFC 791 and the
 * reassembler keeps those of the first fragment.
 *
 * Options are carried, not interpreted: no source routing, record route or
 * timestamp processing. A plain ns-3.37 router cannot forward a datagram
 * with options (its Ipv4Header writes 20 of the bytes it claims); see the
 * module documentation.
 */
class Ipv4OptionsTag : public Tag
{
  public:
    /// Largest options field: IHL 15 is 60 bytes, 20 of them the fixed header.
    static constexpr uint32_t MAX_OPTIONS = 40;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    Ipv4OptionsTag();
    /**
     * \brief Construct with options.
     * \param options the options field (a multiple of 4 bytes, at most 40)
     */
    explicit Ipv4OptionsTag(const std::vector<uint8_t>& options);

    /**
     * \brief Set the options field.
     * \param options the options field (a multiple of 4 bytes, at most 40)
     */
    void SetOptions(const std::vector<uint8_t>& options);
    /**
     * \brief Get the options field.
     * \return the options, padding included
     */
    const std::vector<uint8_t>& GetOptions() const;

    /**
     * \brief The options of a payload.
     * \param payload an IP payload inside the divert stack
     * \return its options, or none
     */
    static std::vector<uint8_t> OptionsOf(const Ptr<const Packet>& payload);
    /**
     * \brief The length of the IPv4 header a payload goes with.
     * \param payload an IP payload inside the divert stack
     * \return 20 plus the length of its options
     */
    static uint32_t HeaderLengthOf(const Ptr<const Packet>& payload);
    /**
     * \brief Set or clear the options of a payload.
     * \param payload an IP payload
     * \param options its options; empty removes the tag
     */
    static void SetOptionsOf(Ptr<Packet> payload, const std::vector<uint8_t>& options);
    /**
     * \brief Whether a packet was ever tagged with options in this process.
     *
     * Until then no packet carries options, and OptionsOf and HeaderLengthOf
     * answer without looking at the packet's tags (a look-up per packet
     * that a simulation without IP options need not pay).
     *
     * \return true once an Ipv4OptionsTag with options was added to a packet
     */
    static bool AnyCarried();

    /**
     * \brief Check that bytes form a valid options field (RFC 791 section 3.1).
     *
     * The field must be a multiple of 4 bytes and at most 40; each option is
     * End of Option List (0, which ends the list: what follows is padding),
     * No Operation (1), or a type byte followed by a length byte of at least
     * 2 that does not pass the end of the field — the checks Linux
     * ip_options_compile() makes before it looks at any particular option.
     *
     * \param options the options field
     * \param error set to what is wrong, naming the offending byte
     * \return true if the field is valid
     */
    static bool Check(const std::vector<uint8_t>& options, std::string& error);

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

  private:
    /**
     * \brief The tag object look-ups read into.
     * \return the same object on every call
     */
    static Ipv4OptionsTag& Scratch();

    std::vector<uint8_t> m_options; //!< the options field
    /// Set by Serialize (which adding the tag to a packet calls) for options.
    static std::atomic<bool> s_anyCarried;
};

} // namespace ns3

#endif /* IPV4_OPTIONS_TAG_H */

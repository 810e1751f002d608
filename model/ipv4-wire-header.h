/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPV4_WIRE_HEADER_H
#define IPV4_WIRE_HEADER_H

#include "ipv4-options-tag.h"

#include "ns3/header.h"
#include "ns3/ipv4-header.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief An IPv4 header as it is on the wire: fixed part and options.
 *
 * ns-3's Ipv4Header always writes IHL 5 and, once it has read a header with
 * options, claims their bytes without writing them back. This header writes
 * and reads the whole thing: IHL, Total Length and the RFC 791 checksum
 * cover the options. The divert stack uses it where bytes leave the stack
 * (the wire, divert sockets, the divert pcap); an application reading a
 * datagram from a divert socket can use it to see the options:
 *
 * \code
 *   Ipv4WireHeader wire;
 *   datagram->RemoveHeader(wire);
 *   const std::vector<uint8_t>& options = wire.GetOptions();
 * \endcode
 *
 * Serialize always writes a valid header checksum.
 */
class Ipv4WireHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    Ipv4WireHeader();
    /**
     * \brief Construct from a header and options.
     * \param header the fixed part (its own serialised size is ignored)
     * \param options the options field (a multiple of 4 bytes, at most 40)
     */
    Ipv4WireHeader(const Ipv4Header& header, const std::vector<uint8_t>& options);

    /**
     * \brief The fixed part, as an ns-3 Ipv4Header of 20 bytes.
     * \return the header; its payload size excludes the options
     */
    const Ipv4Header& GetHeader() const;
    /**
     * \brief The options field.
     * \return the options, padding included; empty when IHL is 5
     */
    const std::vector<uint8_t>& GetOptions() const;
    /**
     * \brief Whether the checksum read by Deserialize was right.
     * \return true if the header checksum (options included) verified
     */
    bool IsChecksumOk() const;

    /**
     * \brief A 20-byte copy of a header that ns-3 read with options.
     *
     * Ipv4Header::Deserialize remembers IHL and would claim the options'
     * bytes again, uninitialised, if the header were added to a packet; the
     * copy has the same fields and serialises to 20 bytes.
     *
     * \param header any IPv4 header
     * \return the same fields in a 20-byte header
     */
    static Ipv4Header Normalize(const Ipv4Header& header);

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

  private:
    Ipv4Header m_header;      //!< fixed part, 20 bytes
    Ipv4OptionsTag m_options; //!< options field (its checks and printing)
    bool m_checksumOk;        //!< checksum verified by Deserialize
};

} // namespace ns3

#endif /* IPV4_WIRE_HEADER_H */

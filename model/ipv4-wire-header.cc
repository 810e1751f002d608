/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-wire-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(Ipv4WireHeader);

TypeId
Ipv4WireHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Ipv4WireHeader")
                            .SetParent<Header>()
                            .SetGroupName("Divert")
                            .AddConstructor<Ipv4WireHeader>();
    return tid;
}

TypeId
Ipv4WireHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

Ipv4WireHeader::Ipv4WireHeader()
    : m_checksumOk(true)
{
}

Ipv4WireHeader::Ipv4WireHeader(const Ipv4Header& header, const std::vector<uint8_t>& options)
    : m_header(Normalize(header)),
      m_options(options),
      m_checksumOk(true)
{
}

const Ipv4Header&
Ipv4WireHeader::GetHeader() const
{
    return m_header;
}

const std::vector<uint8_t>&
Ipv4WireHeader::GetOptions() const
{
    return m_options.GetOptions();
}

bool
Ipv4WireHeader::IsChecksumOk() const
{
    return m_checksumOk;
}

Ipv4Header
Ipv4WireHeader::Normalize(const Ipv4Header& header)
{
    if (header.GetSerializedSize() == 20)
    {
        return header;
    }
    Ipv4Header h;
    h.SetTos(header.GetTos());
    h.SetPayloadSize(header.GetPayloadSize());
    h.SetIdentification(header.GetIdentification());
    if (header.IsDontFragment())
    {
        h.SetDontFragment();
    }
    else
    {
        h.SetMayFragment();
    }
    if (header.IsLastFragment())
    {
        h.SetLastFragment();
    }
    else
    {
        h.SetMoreFragments();
    }
    h.SetFragmentOffset(header.GetFragmentOffset());
    h.SetTtl(header.GetTtl());
    h.SetProtocol(header.GetProtocol());
    h.SetSource(header.GetSource());
    h.SetDestination(header.GetDestination());
    return h;
}

uint32_t
Ipv4WireHeader::GetSerializedSize() const
{
    return 20 + m_options.GetOptions().size();
}

void
Ipv4WireHeader::Serialize(Buffer::Iterator start) const
{
    const uint32_t length = GetSerializedSize();
    Buffer::Iterator i = start;
    m_header.Serialize(i);
    i.Next(20);
    for (uint8_t b : m_options.GetOptions())
    {
        i.WriteU8(b);
    }
    // Fix what Ipv4Header writes for a 20-byte header: IHL, Total Length
    // (the payload size excludes the options) and the checksum over the
    // whole header (RFC 791).
    i = start;
    i.WriteU8(static_cast<uint8_t>((4 << 4) | (length / 4)));
    i.Next(1);
    i.WriteHtonU16(static_cast<uint16_t>(m_header.GetPayloadSize() + length));
    i.Next(6);
    i.WriteU16(0);
    i = start;
    const uint16_t checksum = i.CalculateIpChecksum(static_cast<uint16_t>(length));
    i = start;
    i.Next(10);
    i.WriteU16(checksum);
}

uint32_t
Ipv4WireHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    const uint8_t verIhl = i.ReadU8();
    const uint32_t length = (verIhl & 0x0f) * 4;
    if ((verIhl >> 4) != 4 || length < 20)
    {
        return 0;
    }
    Ipv4Header header;
    if (header.Deserialize(start) == 0)
    {
        return 0;
    }
    m_header = Normalize(header);
    std::vector<uint8_t> options(length - 20);
    i = start;
    i.Next(20);
    for (uint8_t& b : options)
    {
        b = i.ReadU8();
    }
    m_options.SetOptions(options); // IHL makes it a multiple of 4, at most 40
    i = start;
    m_checksumOk = i.CalculateIpChecksum(static_cast<uint16_t>(length)) == 0;
    return length;
}

void
Ipv4WireHeader::Print(std::ostream& os) const
{
    m_header.Print(os);
    if (!m_options.GetOptions().empty())
    {
        os << " ";
        m_options.Print(os);
    }
}

} // namespace ns3

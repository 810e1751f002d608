/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "firewall-packet.h"

#include "ipv4-options-tag.h"

#include "ns3/packet.h"

namespace ns3
{

namespace
{
constexpr uint8_t PROTO_ICMP = 1;
constexpr uint8_t PROTO_TCP = 6;
constexpr uint8_t PROTO_UDP = 17;
constexpr uint8_t TCP_FLAG_SYN = 0x02;
constexpr uint8_t TCP_FLAG_ACK = 0x10;
} // namespace

FirewallPacket
FirewallPacket::Describe(const Ipv4Header& header,
                         Ptr<const Packet> payload,
                         const std::string& interface,
                         uint32_t mark)
{
    FirewallPacket p;
    p.source = header.GetSource();
    p.destination = header.GetDestination();
    p.protocol = header.GetProtocol();
    p.tos = header.GetTos();
    p.fragment = header.GetFragmentOffset() != 0;
    p.interface = interface;
    p.mark = mark;
    p.size = payload ? Ipv4OptionsTag::HeaderLengthOf(payload) + payload->GetSize()
                     : header.GetSerializedSize();
    if (p.fragment || !payload)
    {
        return p;
    }
    // Peek at the transport header bytes without deserialising a header:
    // a first fragment may hold only part of it (RFC 1858 tiny fragments).
    uint8_t bytes[14] = {};
    uint32_t copied = payload->CopyData(bytes, sizeof(bytes));
    switch (p.protocol)
    {
    case PROTO_TCP:
        if (copied >= 4)
        {
            p.hasPorts = true;
            p.sourcePort = (bytes[0] << 8) | bytes[1];
            p.destinationPort = (bytes[2] << 8) | bytes[3];
        }
        if (copied >= 14)
        {
            p.syn = (bytes[13] & TCP_FLAG_SYN) && !(bytes[13] & TCP_FLAG_ACK);
        }
        break;
    case PROTO_UDP:
        if (copied >= 4)
        {
            p.hasPorts = true;
            p.sourcePort = (bytes[0] << 8) | bytes[1];
            p.destinationPort = (bytes[2] << 8) | bytes[3];
        }
        break;
    case PROTO_ICMP:
        if (copied >= 2)
        {
            p.hasPorts = true;
            p.sourcePort = bytes[0];
            p.destinationPort = bytes[1];
        }
        break;
    default:
        break;
    }
    return p;
}

std::ostream&
operator<<(std::ostream& os, const FirewallPacket& p)
{
    os << "proto=" << static_cast<uint32_t>(p.protocol) << " " << p.source;
    if (p.hasPorts)
    {
        os << ":" << p.sourcePort;
    }
    os << " -> " << p.destination;
    if (p.hasPorts)
    {
        os << ":" << p.destinationPort;
    }
    os << " if=" << p.interface << " len=" << p.size;
    if (p.fragment)
    {
        os << " frag";
    }
    if (p.syn)
    {
        os << " syn";
    }
    if (p.mark != 0)
    {
        os << " mark=0x" << std::hex << p.mark << std::dec;
    }
    return os;
}

} // namespace ns3

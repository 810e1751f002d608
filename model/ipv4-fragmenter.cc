/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-fragmenter.h"

#include "ns3/log.h"
#include "ns3/packet.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ipv4Fragmenter");

namespace
{
/// Largest IPv4 datagram, header included (RFC 791 Total Length is 16 bits).
constexpr uint32_t MAX_DATAGRAM = 65535;
} // namespace

bool
Ipv4Fragmenter::NeedsFragmentation(uint32_t payloadSize, const Ipv4Header& header, uint16_t mtu)
{
    return header.GetSerializedSize() + payloadSize > mtu;
}

Ipv4Fragmenter::FragmentList
Ipv4Fragmenter::Fragment(Ptr<const Packet> payload, const Ipv4Header& header, uint16_t mtu)
{
    NS_LOG_FUNCTION(payload << header << mtu);
    FragmentList fragments;
    if (!payload)
    {
        NS_LOG_WARN("no payload to fragment");
        return fragments;
    }
    // RFC 791: "Every internet module must be able to forward a datagram of
    // 68 octets without further fragmentation": no link has a smaller MTU,
    // and below it a 60-byte header would leave no 8-byte block.
    if (mtu < MIN_MTU)
    {
        NS_LOG_WARN("MTU " << mtu << " is below the IPv4 minimum of " << MIN_MTU);
        return fragments;
    }
    const uint32_t headerSize = header.GetSerializedSize();
    const uint32_t size = payload->GetSize();
    const uint32_t base = header.GetFragmentOffset();
    if (headerSize + base + size > MAX_DATAGRAM)
    {
        NS_LOG_WARN("offset " << base << " plus " << size << " bytes passes 65535");
        return fragments;
    }
    if (!NeedsFragmentation(size, header, mtu))
    {
        Ipv4Header whole = header;
        whole.SetPayloadSize(static_cast<uint16_t>(size));
        fragments.emplace_back(payload->Copy(), whole);
        return fragments;
    }
    if (header.IsDontFragment())
    {
        NS_LOG_WARN("datagram of " << headerSize + size << " bytes has DF set, MTU " << mtu);
        return fragments;
    }

    // RFC 791: NFB, the number of 8-octet blocks that fit after the header.
    const uint32_t blockBytes = ((mtu - headerSize) / 8) * 8;
    for (uint32_t offset = 0; offset < size; offset += blockBytes)
    {
        const uint32_t length = std::min(blockBytes, size - offset);
        Ipv4Header fragmentHeader = header;
        fragmentHeader.SetFragmentOffset(static_cast<uint16_t>(base + offset));
        fragmentHeader.SetPayloadSize(static_cast<uint16_t>(length));
        // Every piece but the last has MF set; the last keeps the MF of what
        // is being split, so that a fragment of a fragment stays a non-last
        // fragment of the original datagram (RFC 791).
        const bool lastPiece = offset + length == size;
        if (!lastPiece || !header.IsLastFragment())
        {
            fragmentHeader.SetMoreFragments();
        }
        else
        {
            fragmentHeader.SetLastFragment();
        }
        fragments.emplace_back(payload->CreateFragment(offset, length), fragmentHeader);
    }
    NS_LOG_LOGIC("split " << size << " bytes at offset " << base << " into " << fragments.size()
                          << " fragments for MTU " << mtu);
    return fragments;
}

} // namespace ns3

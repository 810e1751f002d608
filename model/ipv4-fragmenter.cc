/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-fragmenter.h"

#include "ipv4-options-tag.h"

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
Ipv4Fragmenter::NeedsFragmentation(Ptr<const Packet> payload, uint16_t mtu)
{
    const uint32_t size = payload->GetSize();
    if (size + 20 + Ipv4OptionsTag::MAX_OPTIONS <= mtu)
    {
        return false; // fits with any options: no need to look for them
    }
    return Ipv4OptionsTag::HeaderLengthOf(payload) + size > mtu;
}

std::vector<uint8_t>
Ipv4Fragmenter::OptionsForLaterFragments(const std::vector<uint8_t>& options, OptionsCopy copy)
{
    // RFC 791 section 3.1: the high bit of the type octet is the copied flag.
    const uint8_t copied = 0x80;
    std::vector<uint8_t> later;
    if (copy == OPTIONS_NOP_FILL)
    {
        // Linux ip_options_fragment(): walk the options, stop at End of
        // Option List or at a malformed length, overwrite each option
        // without the copied flag with No Operation bytes.
        later = options;
        uint32_t i = 0;
        while (i < later.size() && later[i] != 0)
        {
            if (later[i] == 1)
            {
                ++i;
                continue;
            }
            const uint32_t length = i + 1 < later.size() ? later[i + 1] : 0;
            if (length < 2 || i + length > later.size())
            {
                break;
            }
            if ((later[i] & copied) == 0)
            {
                std::fill(later.begin() + i, later.begin() + i + length, 1);
            }
            i += length;
        }
        return later;
    }
    // BSD ip_optcopy(): keep No Operations (for alignment) and the copied
    // options, stop at End of Option List, pad with End of Option List.
    uint32_t i = 0;
    while (i < options.size() && options[i] != 0)
    {
        if (options[i] == 1)
        {
            later.push_back(1);
            ++i;
            continue;
        }
        uint32_t length = i + 1 < options.size() ? options[i + 1] : 0;
        if (length < 2)
        {
            break;
        }
        length = std::min<uint32_t>(length, options.size() - i);
        if ((options[i] & copied) != 0)
        {
            later.insert(later.end(), options.begin() + i, options.begin() + i + length);
        }
        i += length;
    }
    while (later.size() % 4 != 0)
    {
        later.push_back(0);
    }
    return later;
}

Ipv4Fragmenter::FragmentList
Ipv4Fragmenter::Fragment(Ptr<const Packet> payload,
                         const Ipv4Header& header,
                         uint16_t mtu,
                         OptionsCopy copy)
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
    const uint32_t headerSize = Ipv4OptionsTag::HeaderLengthOf(payload);
    const uint32_t size = payload->GetSize();
    const uint32_t base = header.GetFragmentOffset();
    if (headerSize + base + size > MAX_DATAGRAM)
    {
        NS_LOG_WARN("offset " << base << " plus " << size << " bytes passes 65535");
        return fragments;
    }
    if (!NeedsFragmentation(payload, mtu))
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
    const std::vector<uint8_t> laterOptions =
        headerSize > 20 ? OptionsForLaterFragments(Ipv4OptionsTag::OptionsOf(payload), copy)
                        : std::vector<uint8_t>();
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
        Ptr<Packet> piece = payload->CreateFragment(offset, length);
        if (headerSize > 20 && base + offset != 0)
        {
            // The piece carries the packet tags of the payload, options too.
            Ipv4OptionsTag::SetOptionsOf(piece, laterOptions);
        }
        fragments.emplace_back(piece, fragmentHeader);
    }
    NS_LOG_LOGIC("split " << size << " bytes at offset " << base << " into " << fragments.size()
                          << " fragments for MTU " << mtu);
    return fragments;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Prints the fragments Ipv4Fragmenter::Fragment makes of one datagram, one
// line each, as hex: the IPv4 header (options included, RFC 791 checksum
// filled in) followed by the fragment's payload. test/python/test_fragmenter_oracle.py
// compares them byte for byte with scapy's fragment().
//
// The datagram goes from 192.0.2.1 to 198.51.100.2 (RFC 5737 documentation
// addresses), TOS 0; payload byte i is (i * 7 + 13) mod 256. --offset and
// --mf describe a fragment to be split again (RFC 791: the pieces keep its
// offset base, and the last piece keeps its MF flag). Nothing is printed when
// the fragmenter refuses (DF set and too big, MTU below 68, past 65535 bytes).
//
// --options gives the datagram IP options (hex); --compact copies them into
// later fragments the BSD way instead of Linux's (FragmentOptions).
//
// Run: divert-fragment-dump --size=<payload bytes> --mtu=<bytes> [--id=<n>]
//        [--offset=<bytes>] [--mf] [--df] [--proto=<n>] [--ttl=<n>]
//        [--options=<hex>] [--compact]

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t size = 1000;
    uint32_t mtu = 576;
    uint32_t id = 1;
    uint32_t offset = 0;
    bool mf = false;
    bool df = false;
    uint32_t protocol = 17;
    uint32_t ttl = 64;
    std::string optionsHex;
    bool compact = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("size", "Payload bytes of the datagram (or fragment) to split", size);
    cmd.AddValue("mtu", "Link MTU, header included", mtu);
    cmd.AddValue("id", "IP identification", id);
    cmd.AddValue("offset", "Fragment offset in bytes of what is split (multiple of 8)", offset);
    cmd.AddValue("mf", "What is split is a non-last fragment (MF set)", mf);
    cmd.AddValue("df", "Set DF", df);
    cmd.AddValue("proto", "IP protocol", protocol);
    cmd.AddValue("ttl", "Time to live", ttl);
    cmd.AddValue("options", "IP options, hex (a multiple of 4 bytes, at most 40)", optionsHex);
    cmd.AddValue("compact", "Copy options into later fragments the BSD way", compact);
    cmd.Parse(argc, argv);
    std::vector<uint8_t> options;
    if (!std::all_of(optionsHex.begin(), optionsHex.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        }))
    {
        std::cerr << "bad --options: not hex digits: " << optionsHex << std::endl;
        return 2;
    }
    for (size_t i = 0; i + 1 < optionsHex.size(); i += 2)
    {
        options.push_back(static_cast<uint8_t>(std::stoul(optionsHex.substr(i, 2), nullptr, 16)));
    }
    std::string error;
    if (optionsHex.size() % 2 != 0 || !Ipv4OptionsTag::Check(options, error))
    {
        std::cerr << "bad --options: " << (error.empty() ? "odd number of digits" : error)
                  << std::endl;
        return 2;
    }
    if (size > 65535 || mtu > 65535 || id > 65535 || offset % 8 != 0 || offset > 65528 ||
        protocol > 255 || ttl > 255)
    {
        std::cerr << "argument out of range" << std::endl;
        return 2;
    }

    std::vector<uint8_t> bytes(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        bytes[i] = static_cast<uint8_t>((i * 7 + 13) & 0xff);
    }
    Ptr<Packet> payload = Create<Packet>(bytes.data(), bytes.size());
    Ipv4OptionsTag::SetOptionsOf(payload, options);
    Ipv4Header header;
    header.SetSource(Ipv4Address("192.0.2.1"));
    header.SetDestination(Ipv4Address("198.51.100.2"));
    header.SetProtocol(static_cast<uint8_t>(protocol));
    header.SetIdentification(static_cast<uint16_t>(id));
    header.SetTtl(static_cast<uint8_t>(ttl));
    header.SetTos(0);
    header.SetFragmentOffset(static_cast<uint16_t>(offset));
    if (mf)
    {
        header.SetMoreFragments();
    }
    else
    {
        header.SetLastFragment();
    }
    if (df)
    {
        header.SetDontFragment();
    }
    else
    {
        header.SetMayFragment();
    }
    header.SetPayloadSize(static_cast<uint16_t>(size));

    const auto copy = compact ? Ipv4Fragmenter::OPTIONS_COMPACT : Ipv4Fragmenter::OPTIONS_NOP_FILL;
    for (auto& fragment :
         Ipv4Fragmenter::Fragment(payload, header, static_cast<uint16_t>(mtu), copy))
    {
        Ptr<Packet> p = fragment.first->Copy();
        p->AddHeader(Ipv4WireHeader(fragment.second, Ipv4OptionsTag::OptionsOf(fragment.first)));
        std::vector<uint8_t> out(p->GetSize());
        p->CopyData(out.data(), out.size());
        std::ostringstream line;
        line << std::hex << std::setfill('0');
        for (uint8_t b : out)
        {
            line << std::setw(2) << static_cast<uint32_t>(b);
        }
        std::cout << line.str() << "\n";
    }
    return 0;
}

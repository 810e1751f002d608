/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Prints the fragments Ipv4Fragmenter::Fragment makes of one datagram, one
// line each, as hex: the IPv4 header (20 bytes, RFC 791 checksum filled in)
// followed by the fragment's payload. test/python/test_fragmenter_oracle.py
// compares them byte for byte with scapy's fragment().
//
// The datagram goes from 192.0.2.1 to 198.51.100.2 (RFC 5737 documentation
// addresses), TOS 0; payload byte i is (i * 7 + 13) mod 256. --offset and
// --mf describe a fragment to be split again (RFC 791: the pieces keep its
// offset base, and the last piece keeps its MF flag). Nothing is printed when
// the fragmenter refuses (DF set and too big, MTU below 68, past 65535 bytes).
//
// Run: divert-fragment-dump --size=<payload bytes> --mtu=<bytes> [--id=<n>]
//        [--offset=<bytes>] [--mf] [--df] [--proto=<n>] [--ttl=<n>]

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/network-module.h"

#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
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
    CommandLine cmd(__FILE__);
    cmd.AddValue("size", "Payload bytes of the datagram (or fragment) to split", size);
    cmd.AddValue("mtu", "Link MTU, header included", mtu);
    cmd.AddValue("id", "IP identification", id);
    cmd.AddValue("offset", "Fragment offset in bytes of what is split (multiple of 8)", offset);
    cmd.AddValue("mf", "What is split is a non-last fragment (MF set)", mf);
    cmd.AddValue("df", "Set DF", df);
    cmd.AddValue("proto", "IP protocol", protocol);
    cmd.AddValue("ttl", "Time to live", ttl);
    cmd.Parse(argc, argv);
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

    for (auto& fragment : Ipv4Fragmenter::Fragment(payload, header, static_cast<uint16_t>(mtu)))
    {
        Ptr<Packet> p = fragment.first->Copy();
        Ipv4Header h = fragment.second;
        h.EnableChecksum();
        p->AddHeader(h);
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

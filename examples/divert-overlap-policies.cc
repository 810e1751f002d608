/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// One classic overlap train, every overlap policy, side by side.
//
//   h0 (10.1.1.1) ------ h1 (10.1.1.2, divert stack)
//
// The Sturges/Novak train (Novak, "Target-Based Fragmentation Reassembly",
// 2005; the train of Suricata src/defrag.c DefragDoSturgesNovakTest) is
// injected inbound at h1 through a divert socket, as if h0 had sent it: nine
// fragments, then eight that overlap them, the last with MF clear. For each
// policy of h1's reassembler (DivertIpv4L3Protocol::GetReassembler(),
// attribute "OverlapPolicy") the example prints the datagram h1 hands to its
// transport layer, one letter per 8 bytes: the bytes an IDS must expect on a
// host of that kind.
//
// Run: divert-overlap-policies

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// One fragment of the train: offset in bytes, letter, length, MF.
struct Piece
{
    uint16_t offset; //!< payload offset in bytes
    char letter;     //!< every byte of the fragment
    uint16_t length; //!< payload bytes
    bool mf;         //!< more fragments
};

/// The Sturges/Novak train, in arrival order.
const std::vector<Piece> TRAIN = {
    {0, 'A', 24, true},
    {32, 'B', 16, true},
    {48, 'C', 24, true},
    {80, 'D', 8, true},
    {104, 'E', 16, true},
    {120, 'F', 24, true},
    {144, 'G', 16, true},
    {160, 'H', 16, true},
    {176, 'I', 8, true},
    {8, 'J', 32, true},
    {48, 'K', 24, true},
    {72, 'L', 24, true},
    {96, 'M', 24, true},
    {128, 'N', 8, true},
    {152, 'O', 8, true},
    {160, 'P', 8, true},
    {176, 'Q', 16, false},
};

/// The rule of each policy, in a sentence (see Ipv4Reassembler::ResolveOverlap).
std::string
Rule(Ipv4Reassembler::OverlapPolicy p)
{
    switch (p)
    {
    case Ipv4Reassembler::FIRST:
        return "older data always wins";
    case Ipv4Reassembler::LAST:
        return "newer data always wins";
    case Ipv4Reassembler::BSD:
        return "new wins where it starts before held data (4.4BSD)";
    case Ipv4Reassembler::BSD_RIGHT:
        return "new wins where it ends past held data or covers it (HP JetDirect)";
    case Ipv4Reassembler::LINUX:
        return "new wins where it starts at or before held data (Linux)";
    case Ipv4Reassembler::WINDOWS:
        return "new wins only over data it strictly covers (Windows)";
    case Ipv4Reassembler::SOLARIS:
        return "new wins over data it covers, starting before it (Solaris)";
    case Ipv4Reassembler::DROP_ON_OVERLAP:
        return "any overlap drops the datagram (RFC 5722)";
    }
    return "";
}

/// The train as one row of letters per group of fragments (8 bytes a letter).
std::string
Layout(size_t from, size_t to)
{
    std::string row(24, ' ');
    for (size_t i = from; i < to; ++i)
    {
        for (uint16_t b = TRAIN[i].offset / 8; b < (TRAIN[i].offset + TRAIN[i].length) / 8; ++b)
        {
            row[b] = TRAIN[i].letter;
        }
    }
    return row;
}

/// What h1 delivered in one run.
std::vector<std::string> g_delivered;

void
LocalDeliver(const Ipv4Header& header, Ptr<const Packet> p, uint32_t iif)
{
    std::string bytes(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(&bytes[0]), bytes.size());
    g_delivered.push_back(bytes);
}

/// Inject the train at h1 under one policy; return what h1 delivered.
std::vector<std::string>
RunPolicy(Ipv4Reassembler::OverlapPolicy policy, Ipv4Reassembler::Counters& counters)
{
    g_delivered.clear();
    NodeContainer nodes;
    nodes.Create(2);
    DivertStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(nodes);
    PointToPointHelper p2p;
    NetDeviceContainer devices = p2p.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(devices);

    Ptr<DivertIpv4L3Protocol> h1 = DivertStackHelper::GetStack(nodes.Get(1));
    h1->GetReassembler()->SetAttribute("OverlapPolicy",
                                       StringValue(Ipv4Reassembler::OverlapPolicyToString(policy)));
    h1->TraceConnectWithoutContext("LocalDeliver", MakeCallback(&LocalDeliver));

    Ptr<Socket> divert = Socket::CreateSocket(nodes.Get(1), DivertSocketFactory::GetTypeId());
    divert->Bind();
    for (const Piece& piece : TRAIN)
    {
        Ptr<Packet> p =
            Create<Packet>(std::vector<uint8_t>(piece.length, piece.letter).data(), piece.length);
        Ipv4Header h;
        h.SetSource(interfaces.GetAddress(0));
        h.SetDestination(interfaces.GetAddress(1));
        h.SetProtocol(253); // RFC 3692 experimental: no transport answers
        h.SetIdentification(1);
        h.SetTtl(64);
        h.SetFragmentOffset(piece.offset);
        if (piece.mf)
        {
            h.SetMoreFragments();
        }
        else
        {
            h.SetLastFragment();
        }
        h.SetPayloadSize(piece.length);
        p->AddHeader(h);
        // To one of h1's addresses: the datagram comes in there (SPEC section 4).
        divert->SendTo(p, 0, InetSocketAddress(interfaces.GetAddress(1), 0));
    }
    Simulator::Run();
    counters = h1->GetReassembler()->GetCounters();
    Simulator::Destroy();
    return g_delivered;
}

} // namespace

int
main(int argc, char* argv[])
{
    CommandLine cmd(__FILE__);
    cmd.Parse(argc, argv);

    std::cout << "Sturges/Novak overlap train (Novak 2005; Suricata DefragDoSturgesNovakTest),\n"
              << "injected at h1 through a divert socket; one letter per 8 bytes.\n\n";
    std::cout << std::left << std::setw(18) << "byte offset"
              << "0       64      128     192\n";
    std::cout << std::setw(18) << "fragments 1-9" << Layout(0, 9) << "\n";
    std::cout << std::setw(18) << "fragments 10-17" << Layout(9, TRAIN.size()) << "\n\n";
    std::cout << std::setw(18) << "policy" << std::setw(26) << "reassembled"
              << "rule\n";
    for (int p = Ipv4Reassembler::FIRST; p <= Ipv4Reassembler::DROP_ON_OVERLAP; ++p)
    {
        const auto policy = static_cast<Ipv4Reassembler::OverlapPolicy>(p);
        Ipv4Reassembler::Counters counters;
        const std::vector<std::string> delivered = RunPolicy(policy, counters);
        std::string picture;
        if (delivered.size() == 1)
        {
            for (size_t i = 0; i < delivered[0].size(); i += 8)
            {
                // A block of mixed letters would show as '?': none in this train.
                const std::string block = delivered[0].substr(i, 8);
                picture += block == std::string(block.size(), block[0]) ? block[0] : '?';
            }
        }
        else
        {
            picture = "(dropped: " + std::to_string(counters.overlapDropped) + " overlap)";
        }
        std::cout << std::setw(18) << Ipv4Reassembler::OverlapPolicyToString(policy)
                  << std::setw(26) << picture << Rule(policy) << "\n";
    }
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The divert stack in a distributed (MPI) simulation.
//
//              rank 0                 |                rank 1
//                                     |
//   h0 ------------------ r0 ---------|---------- r1 ------------------ h1
//   10.1.1.1    10.1.1.2    10.1.2.1  |  10.1.2.2    10.1.3.1    10.1.3.2
//   plain       divert stack          |              divert stack      plain
//   echo client ipchains -A forward   |  ipchains -A forward           echo server
//               -p udp -j DIVERT 8000 |  -p udp -j DIVERT 8000
//               interceptor: inverts  |  interceptor: inverts the
//               the payload of what   |  payload of what goes to h0,
//               goes to h1, passes    |  passes the rest
//               the rest              |
//
// h0 sends UDP datagrams to h1's echo server; h1 echoes them back. Both
// routers divert every UDP datagram they forward to a DivertInterceptor.
// r0 inverts every payload byte of the datagrams to h1 (and recomputes the
// UDP checksum: checksums are on), r1 inverts those to h0 back, so h1
// receives inverted payloads and h0 gets its own bytes back. Each router
// passes the other direction unchanged, and so are fragments (--size larger
// than the 1500-byte MTU): the interceptor only rewrites whole datagrams.
//
// With MPI (mpirun -np 2) the r0--r1 link crosses the rank boundary: h0 and
// r0 live on rank 0, r1 and h1 on rank 1, and the diverted, reinjected
// datagrams travel between the ranks as MPI messages. Every rank builds the
// whole topology (same node ids, same routes) but installs applications and
// interceptors only on the nodes it owns, and prints, for those nodes, one
// line per counter set:
//
//   node <name> divstat ...      the stack's divstat counters (routers)
//   node <name> interceptor ...  the interceptor's verdicts (routers)
//   node <name> forward-rule ... packets and bytes the DIVERT rule matched
//   node <name> udp-rx ...       datagrams, bytes and an FNV-1a hash of the
//                                payload bytes the host's application got
//
// With --sequential=1 the same scenario runs without MPI, every node on one
// system and the default simulator, and prints the lines of every node: the
// union of the two ranks' lines equals them (utils/in-tree.sh --mpi checks).
//
// Run: mpirun -np 2 divert-mpi [--count=N] [--size=BYTES] [--nullmsg=0|1]
//      divert-mpi --sequential=1 [--count=N] [--size=BYTES]

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/mpi-interface.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <array>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
/// What a host's application received.
struct Delivered
{
    uint64_t packets{0};                   //!< datagrams
    uint64_t bytes{0};                     //!< payload bytes
    uint64_t hash{1469598103934665603ULL}; //!< FNV-1a over every payload byte, in order
};

std::array<Delivered, 4> g_delivered; //!< by node id

/// A host's application received a datagram.
void
Receive(uint32_t nodeId, Ptr<const Packet> packet)
{
    Delivered& d = g_delivered[nodeId];
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    d.packets++;
    d.bytes += bytes.size();
    for (uint8_t b : bytes)
    {
        d.hash = (d.hash ^ b) * 1099511628211ULL;
    }
}

/**
 * The routers' verdict: invert the payload of a whole UDP datagram bound to
 * `target` (recomputing its UDP checksum), pass everything else unchanged.
 */
DivertInterceptor::Verdict
InvertTowards(Ipv4Address target, Ptr<const Packet> diverted, const Address& from)
{
    Ptr<Packet> copy = diverted->Copy();
    Ipv4Header ip;
    copy->RemoveHeader(ip);
    if (ip.GetDestination() != target || ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER ||
        ip.GetFragmentOffset() != 0 || !ip.IsLastFragment())
    {
        return {}; // PASS
    }
    UdpHeader udp;
    copy->RemoveHeader(udp);
    std::vector<uint8_t> payload(copy->GetSize());
    copy->CopyData(payload.data(), payload.size());
    for (auto& b : payload)
    {
        b = static_cast<uint8_t>(~b);
    }
    Ptr<Packet> out = Create<Packet>(payload.data(), payload.size());
    // Let UdpHeader::Serialize compute length and checksum from the new bytes.
    udp.ForcePayloadSize(0);
    udp.ForceChecksum(0);
    udp.EnableChecksums();
    udp.InitializeChecksum(ip.GetSource(), ip.GetDestination(), UdpL4Protocol::PROT_NUMBER);
    out->AddHeader(udp);
    out->AddHeader(ip); // the divert stack fixes the IP header checksum and length
    return {DivertInterceptor::MODIFY, out};
}

std::string
Hex(uint64_t value)
{
    std::ostringstream os;
    os << "0x" << std::hex << std::setw(16) << std::setfill('0') << value;
    return os.str();
}
} // namespace

int
main(int argc, char* argv[])
{
    bool sequential = false;
    bool nullmsg = false;
    uint32_t count = 20;
    uint32_t size = 512;
    CommandLine cmd(__FILE__);
    cmd.AddValue("sequential", "Run without MPI, every node on one system", sequential);
    cmd.AddValue("nullmsg", "Null-message synchronisation instead of granted time window", nullmsg);
    cmd.AddValue("count", "Datagrams h0 sends", count);
    cmd.AddValue("size", "UDP payload size (bytes)", size);
    cmd.Parse(argc, argv);

    uint32_t systemId = 0;
    if (!sequential)
    {
        GlobalValue::Bind("SimulatorImplementationType",
                          StringValue(nullmsg ? "ns3::NullMessageSimulatorImpl"
                                              : "ns3::DistributedSimulatorImpl"));
        MpiInterface::Enable(&argc, &argv);
        systemId = MpiInterface::GetSystemId();
        if (MpiInterface::GetSize() != 2)
        {
            std::cerr << "divert-mpi needs exactly 2 ranks (mpirun -np 2), or --sequential=1\n";
            MpiInterface::Disable();
            return 1;
        }
    }
    // Real checksums: a mangled datagram with a stale UDP checksum would be dropped.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    // Every rank creates every node, in the same order (same ids); the
    // system id says which rank simulates it.
    const uint32_t leftSystem = 0;
    const uint32_t rightSystem = sequential ? 0 : 1;
    Ptr<Node> h0 = CreateObject<Node>(leftSystem);
    Ptr<Node> r0 = CreateObject<Node>(leftSystem);
    Ptr<Node> r1 = CreateObject<Node>(rightSystem);
    Ptr<Node> h1 = CreateObject<Node>(rightSystem);
    const std::vector<std::pair<std::string, Ptr<Node>>> nodes = {{"h0", h0},
                                                                  {"r0", r0},
                                                                  {"r1", r1},
                                                                  {"h1", h1}};
    auto owned = [&](Ptr<Node> node) { return sequential || node->GetSystemId() == systemId; };

    InternetStackHelper plain;
    plain.SetIpv6StackInstall(false);
    plain.Install(h0);
    plain.Install(h1);
    DivertStackHelper divert;
    divert.SetIpv6StackInstall(false);
    divert.Install(r0);
    divert.Install(r1);

    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    access.SetChannelAttribute("Delay", StringValue("2ms"));
    PointToPointHelper core; // crosses the rank boundary: its delay is the lookahead
    core.SetDeviceAttribute("DataRate", StringValue("5Mbps"));
    core.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer left = access.Install(h0, r0);
    NetDeviceContainer middle = core.Install(r0, r1);
    NetDeviceContainer right = access.Install(r1, h1);

    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer leftIf = addresses.Assign(left);
    addresses.SetBase("10.1.2.0", "255.255.255.0");
    addresses.Assign(middle);
    addresses.SetBase("10.1.3.0", "255.255.255.0");
    Ipv4InterfaceContainer rightIf = addresses.Assign(right);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    const Ipv4Address h0Address = leftIf.GetAddress(0);
    const Ipv4Address h1Address = rightIf.GetAddress(1);

    // Both routers: every forwarded UDP datagram goes to port 8000.
    const uint16_t divertPort = 8000;
    const std::string rule = "-A forward -p udp -j DIVERT 8000";
    std::vector<Ptr<DivertInterceptor>> interceptors(4);
    for (const auto& [router, target] :
         std::vector<std::pair<Ptr<Node>, Ipv4Address>>{{r0, h1Address}, {r1, h0Address}})
    {
        Ipchains::Result r = DivertStackHelper::GetStack(router)->GetFirewall()->Execute(rule);
        NS_ABORT_MSG_UNLESS(r.ok, "ipchains " << rule << ": " << r.error);
        if (owned(router))
        {
            DivertInterceptorHelper helper(divertPort);
            helper.SetAttribute("ProcessingDelay",
                                StringValue("ns3::ConstantRandomVariable[Constant=0.0001]"));
            helper.SetVerdictCallback(MakeBoundCallback(&InvertTowards, target));
            ApplicationContainer apps = helper.Install(router);
            interceptors[router->GetId()] = DynamicCast<DivertInterceptor>(apps.Get(0));
        }
    }

    // UDP from h0 to h1 and back: an echo client on h0, an echo server on h1.
    const uint16_t echoPort = 9;
    if (owned(h1))
    {
        UdpEchoServerHelper server(echoPort);
        ApplicationContainer apps = server.Install(h1);
        apps.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&Receive, h1->GetId()));
        apps.Start(Seconds(0.5));
        apps.Stop(Seconds(3 + 0.01 * count));
    }
    if (owned(h0))
    {
        UdpEchoClientHelper client(h1Address, echoPort);
        client.SetAttribute("MaxPackets", UintegerValue(count));
        client.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
        client.SetAttribute("PacketSize", UintegerValue(size));
        ApplicationContainer apps = client.Install(h0);
        std::string fill = "divert across ranks ";
        client.SetFill(apps.Get(0),
                       reinterpret_cast<uint8_t*>(&fill[0]),
                       fill.size(),
                       size); // the text, repeated over the whole payload
        apps.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&Receive, h0->GetId()));
        apps.Start(Seconds(1));
        apps.Stop(Seconds(2 + 0.01 * count));
    }

    Simulator::Stop(Seconds(4 + 0.01 * count));
    Simulator::Run();

    // One line per node and counter set; mpirun may interleave the ranks'
    // lines, so compare them sorted.
    std::ostringstream out;
    for (const auto& [name, node] : nodes)
    {
        if (!owned(node))
        {
            continue;
        }
        const std::string prefix = "node " + name + " ";
        if (Ptr<DivertIpv4L3Protocol> stack = DivertStackHelper::GetStack(node))
        {
            DivertIpv4L3Protocol::DivertStats s = stack->GetDivertStats();
            out << prefix << "divstat delivered=" << s.delivered << " noPort=" << s.noPort
                << " queueFull=" << s.queueFull << " sent=" << s.sent << " errors=" << s.errors
                << " reinjected=" << s.reinjected << " injected=" << s.injected
                << " loopDrops=" << s.loopDrops << " tooBig=" << s.tooBig
                << " ruleDrops=" << s.ruleDrops << " rejected=" << s.rejected
                << " fragNeeded=" << s.fragNeeded << " passedThrough=" << s.passedThrough << "\n";
            DivertInterceptor::Counters c = interceptors[node->GetId()]->GetCounters();
            out << prefix << "interceptor received=" << c.received << " passed=" << c.passed
                << " modified=" << c.modified << " dropped=" << c.dropped
                << " sendErrors=" << c.sendErrors << "\n";
            const FirewallRule* divertRule = stack->GetFirewall()->GetRule("forward", 1);
            out << prefix << "forward-rule packets=" << divertRule->GetPackets()
                << " bytes=" << divertRule->GetBytes() << "\n";
        }
        else
        {
            const Delivered& d = g_delivered[node->GetId()];
            out << prefix << "udp-rx packets=" << d.packets << " bytes=" << d.bytes
                << " fnv1a=" << Hex(d.hash) << "\n";
        }
    }
    std::cout << out.str() << std::flush;

    Simulator::Destroy();
    if (!sequential)
    {
        MpiInterface::Disable();
    }
    return 0;
}

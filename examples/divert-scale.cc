/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Scale: more than ten thousand nodes and thousands of ipchains firewalls in
// one process.
//
//                                  core
//                     ____________/ |  \____________        region routers:
//                    /              |               \       one per 16 groups,
//               region 0        region 1   ...   region R   routes per group
//              /   |    \         ...                       (a /20 each)
//        group 0  group 1 ... group 15                      group routers:
//       /   |   \                                           one per 16 sites,
//   site 0 site 1 ... site 15                               routes per site
//                                                           (a /24 each)
//   site s (10.a.b.0/24, a = s / 256, b = s % 256):
//
//     server      10.a.b.2 ---eth0--- router 10.a.b.1          (divert stack,
//     workstation 10.a.b.6 ---eth1---        10.a.b.5           ipchains rules)
//                                            10.a.b.9 ---eth2--- group router 10.a.b.10
//
// Every site is one divert router (DivertStackHelper) in front of two plain
// hosts, a server and a workstation, on point-to-point links; its uplink
// goes to the router of its group of 16 sites, 16 groups hang off a region
// router and the region routers off one core router, all plain
// (InternetStackHelper). With the default --sites=3400 that is 10,200 site
// nodes and 228 backbone nodes.
//
// Each site router gets --rules ipchains rules (default 300) written for
// its own addresses, as a site's firewall script would be: about 45% on
// input (an accounting rule, anti-spoofing, a jump to the user chain
// "blocked" for what comes from the backbone, ICMP types in the user chain
// "icmpin", the router's own SSH/SNMP/syslog), 40% on forward (policy DENY;
// ICMP types, the server's and the workstation's service ports, TFTP
// REJECT, NetBIOS DENY, deny rules for networks, egress ACCEPT) and 15% on
// output (two accounting rules, egress anti-spoofing, NetBIOS and other
// outbound ports, destinations denied). The rest of each chain's share is
// deny lists of addresses and subnets drawn at random per site: no two
// routers have the same rules. Rules are loaded with ExecuteScript and
// compiled (Ipchains::Compile) while building, so compilation counts in the
// build time.
//
// Traffic: --flows UDP flows (UdpClient to PacketSink) of --packets
// datagrams each, between hosts of different sites (of different regions
// when there are several), so that each crosses the backbone and two
// firewalls. Every tenth flow in this pattern:
//
//   dns, ntp (to the server's 53, 123), media (to the workstation's 5004):
//       accepted by forward rules of the destination (6 in 10)
//   blocked source: to the server's 53 from a host on the destination's
//       deny list: DENY in the chain "blocked"
//   closed port: to the workstation's 161: the destination's forward policy
//   tftp: to the server's 69: REJECT on forward, an ICMP port unreachable
//       goes back through both firewalls
//   netbios: to the server's 137: DENY in the output chain of the source
//
// Printed (standard output): the topology and rule counts, then per flow
// kind flows, datagrams sent and delivered; per node kind packets forwarded
// and dropped; for the site routers the packets denied by rules (the sum of
// the counters of every DENY and REJECT rule, per chain), by the forward
// policy, the REJECTs, the divstat ruleDrops counter (which must equal
// rules + policy) and the accounting rules' packets and bytes. The last
// lines give the wall-clock times (build, run, teardown) and the peak
// memory (getrusage ru_maxrss and VmHWM); they are the only lines that
// change from one invocation to the next: everything else depends only on
// the arguments (and --RngSeed/--RngRun, which seed the address plan's
// random choices). Progress lines, with wall-clock times, go to standard
// error: every --progress sites while building, every simulated second
// while running (simulated time and events executed so far).
//
// Routing is static, computed from the address plan: hosts have a default
// route to their router, site routers one to their group router, group and
// region routers one route per site (/24) or group (/20) below and a
// default route up, the core one route per region (/16). Global routing
// would run Dijkstra from every node over the whole graph (quadratic in the
// node count, minutes and gigabytes at this size) to find the routes this
// plan states directly. Interfaces are numbered by hand, not with
// Ipv4AddressHelper, and get no queue disc (the devices' own DropTail
// queues are plenty for this traffic).
//
// Run: divert-scale [--sites=N] [--rules=N] [--flows=N] [--packets=N]
//                   [--interval=TIME] [--size=BYTES] [--progress=N] [--list=SITE]

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <tuple>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("DivertScale");

namespace
{
constexpr uint32_t kSitesPerGroup = 16;   //!< a group is a /20 of 10/8
constexpr uint32_t kGroupsPerRegion = 16; //!< a region is a /16
constexpr uint32_t kMaxSites = 65536;     //!< one /24 each in 10/8

using Clock = std::chrono::steady_clock;

/// Seconds since a point in time.
double
Since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Peak resident set size in MiB (getrusage: ru_maxrss is in KiB on Linux).
double
PeakRssMiB()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

/// CPU seconds (user + system) this process has used so far.
double
CpuSeconds()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// VmHWM of /proc/self/status in MiB, 0 if not available.
double
VmHwmMiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
    {
        if (line.rfind("VmHWM:", 0) == 0)
        {
            return std::stod(line.substr(6)) / 1024.0; // "VmHWM:   123456 kB"
        }
    }
    return 0;
}

/// splitmix64: a small deterministic generator for the address plan's choices.
class Rng
{
  public:
    /**
     * \param a first key
     * \param b second key
     * \param c third key
     */
    Rng(uint64_t a, uint64_t b, uint64_t c)
        : m_state(a * 0x9E3779B97F4A7C15ULL ^ b * 0xC2B2AE3D27D4EB4FULL ^ c)
    {
        Next();
    }

    /// \return the next 64 random bits
    uint64_t Next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    /// \param n bound \return a number in [0, n)
    uint32_t Below(uint32_t n)
    {
        return static_cast<uint32_t>(Next() % n);
    }

  private:
    uint64_t m_state; //!< generator state
};

// --- address plan -------------------------------------------------------------

/// \param site site index \return its /24, 10.a.b.0
uint32_t
SitePrefix(uint32_t site)
{
    return (10U << 24) | (site << 8);
}

/// \param site site index \return its server's address, 10.a.b.2
uint32_t
ServerAddress(uint32_t site)
{
    return SitePrefix(site) + 2;
}

/// \param site site index \return its workstation's address, 10.a.b.6
uint32_t
WorkstationAddress(uint32_t site)
{
    return SitePrefix(site) + 6;
}

/// \param n a count \param noun its noun, singular \return e.g. "1 region router", "14 region
/// routers"
std::string
Count(uint64_t n, const std::string& noun)
{
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// \param a an address in host order \return it in dotted-quad notation
std::string
Ip(uint32_t a)
{
    std::ostringstream os;
    os << (a >> 24) << '.' << ((a >> 16) & 255) << '.' << ((a >> 8) & 255) << '.' << (a & 255);
    return os.str();
}

/// \param a an address \param len prefix length \return "a.b.c.d/len" with the host bits cleared
std::string
Net(uint32_t a, uint32_t len)
{
    uint32_t mask = len == 0 ? 0 : ~0U << (32 - len);
    return Ip(a & mask) + "/" + std::to_string(len);
}

/// A random address outside 10/8 and the special ranges, as deny lists hold.
uint32_t
PublicAddress(Rng& rng)
{
    static const uint32_t firstOctets[] = {23,  31,  37,  45,  46,  62,  77,  80,  85,  89,
                                           91,  93,  103, 109, 113, 118, 121, 141, 176, 178,
                                           185, 188, 193, 194, 195, 212, 213, 217, 222};
    const uint32_t first = firstOctets[rng.Below(sizeof(firstOctets) / sizeof(firstOctets[0]))];
    return (first << 24) | (rng.Below(1U << 24));
}

/**
 * Give a device an interface with one address, up, and return its index.
 * Ipv4StaticRouting adds the connected route when the interface comes up.
 */
uint32_t
Attach(Ptr<NetDevice> device, uint32_t address, uint32_t prefixLength)
{
    Ptr<Ipv4> ipv4 = device->GetNode()->GetObject<Ipv4>();
    uint32_t i = ipv4->AddInterface(device);
    ipv4->AddAddress(
        i,
        Ipv4InterfaceAddress(Ipv4Address(address), Ipv4Mask(~0U << (32 - prefixLength))));
    ipv4->SetMetric(i, 1);
    ipv4->SetUp(i);
    return i;
}

/// \param node a node with a static routing protocol \return its Ipv4StaticRouting
Ptr<Ipv4StaticRouting>
StaticRouting(Ptr<Node> node)
{
    Ipv4StaticRoutingHelper helper;
    return helper.GetStaticRouting(node->GetObject<Ipv4>());
}

// --- flows ----------------------------------------------------------------------

/// What a flow meets.
enum FlowKind
{
    DNS,
    NTP,
    MEDIA,
    BLOCKED,
    CLOSED,
    TFTP,
    NETBIOS,
    FLOW_KINDS
};

/// How a kind of flow is made, and what should happen to it.
struct KindInfo
{
    const char* name; //!< as printed
    bool toServer;    //!< destination: the server (else the workstation)
    uint16_t port;    //!< destination port
    bool delivered;   //!< whether its datagrams should arrive
    const char* fate; //!< what the firewalls do with it
};

const KindInfo g_kinds[FLOW_KINDS] = {
    {"dns", true, 53, true, "forward ACCEPT at the destination"},
    {"ntp", true, 123, true, "forward ACCEPT at the destination"},
    {"media", false, 5004, true, "forward ACCEPT at the destination"},
    {"blocked source", true, 53, false, "DENY in chain blocked at the destination"},
    {"closed port", false, 161, false, "forward policy DENY at the destination"},
    {"tftp", true, 69, false, "forward REJECT at the destination"},
    {"netbios", true, 137, false, "output DENY at the source"},
};

/// Every ten flows.
const FlowKind g_pattern[10] = {DNS, NTP, MEDIA, DNS, NTP, MEDIA, BLOCKED, CLOSED, TFTP, NETBIOS};

/// One UDP flow.
struct Flow
{
    FlowKind kind;         //!< what it meets
    uint32_t srcSite;      //!< site of the sender
    uint32_t dstSite;      //!< site of the receiver
    uint32_t src;          //!< sender's address
    uint32_t dst;          //!< receiver's address
    uint32_t sink{0};      //!< index of the receiving PacketSink
    Ptr<UdpClient> client; //!< the sender's application
    uint64_t received{0};  //!< datagrams the sink got from this flow
};

std::vector<Flow> g_flows;                                  //!< every flow
std::map<std::pair<uint32_t, uint32_t>, uint32_t> g_flowOf; //!< (source, sink) -> flow
uint64_t g_unexpected = 0; //!< datagrams a sink got from no flow of its own

/// A sink received a datagram.
void
SinkRx(uint32_t sink, Ptr<const Packet>, const Address& from)
{
    uint32_t source = InetSocketAddress::ConvertFrom(from).GetIpv4().Get();
    auto it = g_flowOf.find({source, sink});
    if (it == g_flowOf.end())
    {
        g_unexpected++;
        return;
    }
    g_flows[it->second].received++;
}

/**
 * Choose the flows: sender and receiver in different sites (different
 * regions when there are several), no two flows with the same sender,
 * receiver and port, and no sender of a blocked flow to a site sending
 * other flows to it (they would meet the deny list too).
 */
void
ChooseFlows(uint32_t count, uint32_t sites, Rng& rng)
{
    const uint32_t sitesPerRegion = kSitesPerGroup * kGroupsPerRegion;
    const bool regions = sites > sitesPerRegion;
    std::set<std::tuple<uint32_t, uint32_t, uint16_t>> used;
    std::map<std::pair<uint32_t, uint32_t>, bool> blocked; // (sender, site) -> on its deny list
    for (uint32_t f = 0; f < count; f++)
    {
        Flow flow;
        flow.kind = g_pattern[f % 10];
        const KindInfo& kind = g_kinds[flow.kind];
        for (uint32_t attempt = 0;; attempt++)
        {
            NS_ABORT_MSG_IF(attempt == 1000, "cannot find " << count << " distinct flows");
            flow.srcSite = rng.Below(sites);
            flow.dstSite = rng.Below(sites);
            if (flow.srcSite == flow.dstSite ||
                (regions && flow.srcSite / sitesPerRegion == flow.dstSite / sitesPerRegion))
            {
                continue;
            }
            flow.src =
                rng.Below(2) ? ServerAddress(flow.srcSite) : WorkstationAddress(flow.srcSite);
            flow.dst =
                kind.toServer ? ServerAddress(flow.dstSite) : WorkstationAddress(flow.dstSite);
            auto b = blocked.find({flow.src, flow.dstSite});
            if ((b != blocked.end() && b->second != (flow.kind == BLOCKED)) ||
                !used.insert({flow.src, flow.dst, kind.port}).second)
            {
                continue;
            }
            blocked[{flow.src, flow.dstSite}] = flow.kind == BLOCKED;
            break;
        }
        NS_LOG_INFO("flow " << f << " (" << kind.name << "): " << Ip(flow.src) << " -> "
                            << Ip(flow.dst) << ":" << kind.port);
        g_flows.push_back(flow);
    }
}

// --- firewall rules -------------------------------------------------------------

/// The rule script of one site.
struct SiteRules
{
    std::vector<std::string> input;   //!< chain input
    std::vector<std::string> icmpin;  //!< user chain: ICMP from the backbone
    std::vector<std::string> blocked; //!< user chain: deny lists
    std::vector<std::string> forward; //!< chain forward
    std::vector<std::string> output;  //!< chain output

    /// \return the script
    std::string Text() const
    {
        std::ostringstream os;
        os << "-P forward DENY\n-N blocked\n-N icmpin\n";
        for (const auto* chain : {&input, &icmpin, &blocked, &forward, &output})
        {
            for (const std::string& line : *chain)
            {
                os << line << '\n';
            }
        }
        return os.str();
    }
};

/**
 * The firewall of site `site`: `rules` rules in all (or the fixed part
 * alone, if that is more), about 45% reached from input, 40% on forward and
 * 15% on output.
 * \param site the site
 * \param sites the number of sites
 * \param rules the number of rules wanted
 * \param blockedSources senders of "blocked source" flows to this site
 * \param flowSources senders of every flow to this site (sorted): never
 *        put on the random deny lists
 * \param rng the site's generator
 * \return the script
 */
std::string
SiteScript(uint32_t site,
           uint32_t sites,
           uint32_t rules,
           const std::vector<uint32_t>& blockedSources,
           const std::vector<uint32_t>& flowSources,
           Rng& rng)
{
    const std::string lan = Net(SitePrefix(site), 24);
    const std::string server = Ip(ServerAddress(site));
    const std::string workstation = Ip(WorkstationAddress(site));
    const std::string self = Ip(SitePrefix(site) + 9); // the router's uplink address
    // The management network the router accepts SSH and SNMP from: another site.
    const std::string noc = Ip(ServerAddress((site + sites / 2) % sites));
    SiteRules r;

    // input: accounting, anti-spoofing, deny lists, ICMP, the router itself.
    r.input = {
        "-A input -i eth2", // accounting: everything from the backbone
        "-A input -i eth2 -s " + lan + " -j DENY",
        "-A input -i eth2 -s 127.0.0.0/8 -j DENY",
        "-A input -i eth2 -s 192.168.0.0/16 -j DENY",
        "-A input -i eth2 -s 169.254.0.0/16 -j DENY",
        "-A input -i eth2 -s 224.0.0.0/3 -j DENY",
        "-A input -i eth2 -j blocked",
        "-A input -p icmp -i eth2 -j icmpin",
        "-A input -p tcp -i eth0 -d " + Ip(SitePrefix(site) + 1) + " 22 -j ACCEPT",
        "-A input -p tcp -s " + noc + " -d " + self + " 22 -j ACCEPT",
        "-A input -p tcp -d " + self + " 22 -j DENY",
        "-A input -p udp -s " + noc + " -d " + self + " 161 -j ACCEPT",
        "-A input -p udp -d " + self + " 161:162 -j DENY",
        "-A input -p udp -d " + self + " 514 -j REJECT",
        "-A input -p tcp -d " + self + " 23 -j REJECT",
        "-A input -p tcp -d " + self + " -y -j DENY",
    };
    for (const char* type : {"echo-request",
                             "echo-reply",
                             "destination-unreachable",
                             "time-exceeded",
                             "parameter-problem"})
    {
        r.icmpin.push_back(std::string("-A icmpin -p icmp --icmp-type ") + type + " -j ACCEPT");
    }
    for (const char* type : {"redirect",
                             "source-quench",
                             "router-advertisement",
                             "timestamp-request",
                             "address-mask-request"})
    {
        r.icmpin.push_back(std::string("-A icmpin -p icmp --icmp-type ") + type + " -j DENY");
    }
    r.icmpin.push_back("-A icmpin -j DENY");

    // forward (policy DENY): ICMP, services, refusals; fillers; egress.
    std::vector<std::string> services = {
        "-A forward -p icmp --icmp-type destination-unreachable -j ACCEPT",
        "-A forward -p icmp --icmp-type time-exceeded -j ACCEPT",
        "-A forward -p icmp --icmp-type echo-reply -j ACCEPT",
        "-A forward -p icmp --icmp-type echo-request -d " + server + " -j ACCEPT",
        "-A forward -p udp -d " + lan + " 69 -j REJECT",
        "-A forward -p udp -d " + lan + " 137:139 -j DENY",
        "-A forward -p tcp -d " + lan + " 137:139 -j DENY",
        "-A forward -p udp -d " + server + " 53 -i eth0 -j ACCEPT",
        "-A forward -p tcp -d " + server + " 53 -i eth0 -j ACCEPT",
        "-A forward -p udp -d " + server + " 123 -i eth0 -j ACCEPT",
        "-A forward -p tcp -d " + server + " 25 -i eth0 -j ACCEPT",
        "-A forward -p tcp -d " + server + " 80 -j ACCEPT",
        "-A forward -p tcp -d " + server + " 443 -j ACCEPT",
        "-A forward -p udp -d " + workstation + " 5004:5005 -i eth1 -j ACCEPT",
        "-A forward -p tcp -d " + workstation + " ! -y -j ACCEPT",
    };
    const std::string egress = "-A forward -s " + lan + " -i eth2 -j ACCEPT";

    // output: accounting, egress filtering.
    r.output = {
        "-A output -i eth2", // accounting: everything to the backbone
        "-A output -i eth0", // accounting: everything to the server
        "-A output -p icmp --icmp-type redirect -j DENY",
        "-A output -i eth2 -s ! " + lan + " -j DENY",
        "-A output -p udp -i eth2 -d 0/0 137:139 -j DENY",
        "-A output -p tcp -i eth2 -d 0/0 137:139 -j DENY",
    };

    // The shares of each chain, filled with the site's own lists.
    const uint32_t inputShare = rules * 45 / 100;
    const uint32_t forwardShare = rules * 40 / 100;
    const uint32_t outputShare = rules - inputShare - forwardShare;
    auto fill = [](uint32_t share, std::size_t fixed) {
        return share > fixed ? share - static_cast<uint32_t>(fixed) : 0;
    };

    // The deny lists: random entries, then the senders of blocked flows
    // anywhere among them.
    const uint32_t blockedCount =
        fill(inputShare, r.input.size() + r.icmpin.size() + blockedSources.size());
    for (uint32_t i = 0; i < blockedCount; i++)
    {
        const uint32_t pick = rng.Below(10);
        const uint32_t other = rng.Below(sites);
        const uint32_t otherHost = rng.Below(2) ? ServerAddress(other) : WorkstationAddress(other);
        if (pick == 9 && other != site &&
            !std::binary_search(flowSources.begin(), flowSources.end(), otherHost))
        {
            // A host of another site (never one that sends to this site).
            r.blocked.push_back("-A blocked -s " + Ip(otherHost) + " -j DENY");
        }
        else if (pick >= 6 && pick <= 8)
        {
            r.blocked.push_back("-A blocked -s " + Net(PublicAddress(rng), 16 + rng.Below(13)) +
                                " -j DENY");
        }
        else if (pick == 5)
        {
            r.blocked.push_back("-A blocked -p udp -s " + Ip(PublicAddress(rng)) + " -j DENY");
        }
        else
        {
            r.blocked.push_back("-A blocked -s " + Ip(PublicAddress(rng)) + " -j DENY");
        }
    }
    for (uint32_t source : blockedSources)
    {
        r.blocked.insert(r.blocked.begin() + rng.Below(r.blocked.size() + 1),
                         "-A blocked -s " + Ip(source) + " -j DENY");
    }

    static const uint16_t serverPorts[] =
        {21, 22, 110, 143, 389, 465, 587, 993, 995, 1433, 3306, 5432, 8080, 8443, 9000};
    static const uint16_t refusedPorts[] = {113, 6000, 6001, 2049, 111, 515, 631};
    static const uint16_t outboundPorts[] = {6667, 6668, 6669, 1080, 4444, 31337, 12345, 27374};
    r.forward = services;
    const uint32_t forwardCount = fill(forwardShare, services.size() + 1);
    for (uint32_t i = 0; i < forwardCount; i++)
    {
        switch (rng.Below(4))
        {
        case 0:
            r.forward.push_back(
                "-A forward -p tcp -d " + server + " " +
                std::to_string(serverPorts[rng.Below(sizeof(serverPorts) / sizeof(uint16_t))]) +
                " -i eth0 -j ACCEPT");
            break;
        case 1:
            r.forward.push_back("-A forward -s " + Net(PublicAddress(rng), 12 + rng.Below(17)) +
                                " -d " + lan + " -j DENY");
            break;
        case 2:
            r.forward.push_back("-A forward -p udp -s " + Ip(PublicAddress(rng)) + " -d " +
                                workstation + " -j DENY");
            break;
        default:
            r.forward.push_back(
                "-A forward -p tcp -d " + workstation + " " +
                std::to_string(refusedPorts[rng.Below(sizeof(refusedPorts) / sizeof(uint16_t))]) +
                " -i eth1 -j REJECT");
            break;
        }
    }
    r.forward.push_back(egress);

    const uint32_t outputCount = fill(outputShare, r.output.size());
    for (uint32_t i = 0; i < outputCount; i++)
    {
        switch (rng.Below(3))
        {
        case 0:
            r.output.push_back("-A output -i eth2 -d " + Ip(PublicAddress(rng)) + " -j DENY");
            break;
        case 1:
            r.output.push_back("-A output -i eth2 -d " +
                               Net(PublicAddress(rng), 16 + rng.Below(9)) + " -j DENY");
            break;
        default:
            r.output.push_back(
                "-A output -p tcp -i eth2 -d 0/0 " +
                std::to_string(outboundPorts[rng.Below(sizeof(outboundPorts) / sizeof(uint16_t))]) +
                " -j DENY");
            break;
        }
    }
    return r.Text();
}

// --- counters -------------------------------------------------------------------

/// The kinds of node, as counted.
enum NodeKind
{
    HOST,
    SITE_ROUTER,
    GROUP_ROUTER,
    REGION_ROUTER,
    CORE_ROUTER,
    NODE_KINDS
};

const char* const g_nodeKindNames[NODE_KINDS] = {"hosts",
                                                 "site routers",
                                                 "group routers",
                                                 "region routers",
                                                 "core router"};

uint64_t g_nodes[NODE_KINDS] = {};     //!< nodes by kind
uint64_t g_forwarded[NODE_KINDS] = {}; //!< UnicastForward, by kind
uint64_t g_dropped[NODE_KINDS] = {};   //!< Ipv4L3Protocol "Drop" (no route, TTL, ...), by kind
uint64_t g_icmpIn = 0;                 //!< ICMP messages delivered to hosts

void
CountForward(uint64_t* counter, const Ipv4Header&, Ptr<const Packet>, uint32_t)
{
    (*counter)++;
}

void
CountDrop(uint64_t* counter,
          const Ipv4Header&,
          Ptr<const Packet>,
          Ipv4L3Protocol::DropReason,
          Ptr<Ipv4>,
          uint32_t)
{
    (*counter)++;
}

void
CountIcmp(const Ipv4Header& header, Ptr<const Packet>, uint32_t)
{
    if (header.GetProtocol() == Icmpv4L4Protocol::PROT_NUMBER)
    {
        g_icmpIn++;
    }
}

/// Trace forwarding and drops of a node's IPv4 stack into the counters of its kind.
void
Watch(Ptr<Node> node, NodeKind kind)
{
    g_nodes[kind]++;
    if (kind == HOST)
    {
        node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext("LocalDeliver",
                                                                      MakeCallback(&CountIcmp));
    }
    else
    {
        node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            MakeBoundCallback(&CountForward, &g_forwarded[kind]));
    }
    node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Drop",
        MakeBoundCallback(&CountDrop, &g_dropped[kind]));
}

/// Add to the counter of `name`, appended if new (keeps the chains in their order).
void
Add(std::vector<std::pair<std::string, uint64_t>>& counters, const std::string& name, uint64_t n)
{
    for (auto& c : counters)
    {
        if (c.first == name)
        {
            c.second += n;
            return;
        }
    }
    counters.emplace_back(name, n);
}

/// Progress while running: simulated time and events so far, every `period`.
void
Tick(Time period, Clock::time_point start)
{
    std::cerr << "  run: " << std::fixed << std::setprecision(0) << Simulator::Now().GetSeconds()
              << " s simulated, " << Simulator::GetEventCount() << " events, "
              << std::setprecision(1) << Since(start) << " s wall" << std::endl;
    Simulator::Schedule(period, &Tick, period, start);
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t sites = 3400;
    uint32_t rules = 300;
    uint32_t flows = 1000;
    uint32_t packets = 100;
    Time interval = MilliSeconds(100);
    uint32_t size = 512;
    uint32_t progress = 500;
    int32_t list = -1;
    CommandLine cmd(__FILE__);
    cmd.AddValue("sites", "Sites: 1 divert router + 2 hosts each (3 nodes a site)", sites);
    cmd.AddValue("rules", "ipchains rules per site router", rules);
    cmd.AddValue("flows", "UDP flows between hosts of different sites", flows);
    cmd.AddValue("packets", "Datagrams each flow sends", packets);
    cmd.AddValue("interval", "Time between two datagrams of a flow", interval);
    cmd.AddValue("size", "UDP payload bytes of a datagram (at least 12: UdpClient's header)", size);
    cmd.AddValue("progress", "Sites between two progress lines while building", progress);
    cmd.AddValue("list", "At the end, print ipchains -L -v of this site (-1: none)", list);
    cmd.Parse(argc, argv);
    NS_ABORT_MSG_UNLESS(sites >= 2 && sites <= kMaxSites, "--sites must be in 2.." << kMaxSites);
    NS_ABORT_MSG_UNLESS(size >= 12, "--size must be at least 12 (UdpClient's header)");
    NS_ABORT_MSG_UNLESS(progress > 0, "--progress must be positive");
    NS_ABORT_MSG_UNLESS(list < static_cast<int64_t>(sites), "--list: no such site");

    const Clock::time_point buildStart = Clock::now();
    const double buildCpuStart = CpuSeconds();
    const uint32_t groups = (sites + kSitesPerGroup - 1) / kSitesPerGroup;
    const uint32_t regions = (groups + kGroupsPerRegion - 1) / kGroupsPerRegion;
    const uint64_t nodeCount = 3ULL * sites + groups + regions + 1;
    std::cout << "divert-scale: " << nodeCount << " nodes: " << Count(sites, "site")
              << " (a divert router, a server, a workstation each), "
              << Count(groups, "group router") << ", " << Count(regions, "region router")
              << ", 1 core router; " << (nodeCount - 1) << " point-to-point links\n"
              << "  " << rules << " ipchains rules per site router, " << flows << " UDP flows of "
              << packets << " datagrams of " << size << " bytes every "
              << interval.GetSeconds() * 1000 << " ms" << std::endl;

    // The flows first: each site's deny lists must know who sends to it.
    Rng flowRng(RngSeedManager::GetSeed(), RngSeedManager::GetRun(), 0xF10F5);
    ChooseFlows(flows, sites, flowRng);
    std::vector<std::vector<uint32_t>> blockedSources(sites);
    std::vector<std::vector<uint32_t>> flowSources(sites);
    for (const Flow& f : g_flows)
    {
        flowSources[f.dstSite].push_back(f.src);
        if (f.kind == BLOCKED)
        {
            blockedSources[f.dstSite].push_back(f.src);
        }
    }
    for (auto& v : flowSources)
    {
        std::sort(v.begin(), v.end());
    }

    Ipv4StaticRoutingHelper staticRouting;
    InternetStackHelper plain;
    plain.SetIpv6StackInstall(false);
    plain.SetRoutingHelper(staticRouting);
    DivertStackHelper divert;
    divert.SetIpv6StackInstall(false);
    divert.SetRoutingHelper(staticRouting);

    PointToPointHelper lanLink;
    lanLink.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lanLink.SetChannelAttribute("Delay", StringValue("500us"));
    PointToPointHelper upLink;
    upLink.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    upLink.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper coreLink;
    coreLink.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    coreLink.SetChannelAttribute("Delay", StringValue("5ms"));

    // Backbone: the core, the regions below it, the groups below them.
    double rulesSeconds = 0;
    double compileSeconds = 0;
    Ptr<Node> core = CreateObject<Node>();
    plain.Install(core);
    Watch(core, CORE_ROUTER);
    NodeContainer regionRouters;
    regionRouters.Create(regions);
    plain.Install(regionRouters);
    for (uint32_t r = 0; r < regions; r++)
    {
        Ptr<Node> region = regionRouters.Get(r);
        Watch(region, REGION_ROUTER);
        NetDeviceContainer d = coreLink.Install(region, core);
        const uint32_t link = (172U << 24 | 31U << 16) + 4 * r; // from 172.31.0.0, a /30 each
        uint32_t up = Attach(d.Get(0), link + 1, 30);
        uint32_t down = Attach(d.Get(1), link + 2, 30);
        StaticRouting(region)->SetDefaultRoute(Ipv4Address(link + 2), up);
        StaticRouting(core)->AddNetworkRouteTo(Ipv4Address((10U << 24) | (r << 16)),
                                               Ipv4Mask("255.255.0.0"),
                                               Ipv4Address(link + 1),
                                               down);
    }
    NodeContainer groupRouters;
    groupRouters.Create(groups);
    plain.Install(groupRouters);
    for (uint32_t g = 0; g < groups; g++)
    {
        Ptr<Node> group = groupRouters.Get(g);
        Ptr<Node> region = regionRouters.Get(g / kGroupsPerRegion);
        Watch(group, GROUP_ROUTER);
        NetDeviceContainer d = upLink.Install(group, region);
        const uint32_t link = (172U << 24 | 16U << 16) + 4 * g; // from 172.16.0.0, a /30 each
        uint32_t up = Attach(d.Get(0), link + 1, 30);
        uint32_t down = Attach(d.Get(1), link + 2, 30);
        StaticRouting(group)->SetDefaultRoute(Ipv4Address(link + 2), up);
        StaticRouting(region)->AddNetworkRouteTo(Ipv4Address(SitePrefix(g * kSitesPerGroup)),
                                                 Ipv4Mask("255.255.240.0"),
                                                 Ipv4Address(link + 1),
                                                 down);
    }

    // Sites.
    NodeContainer siteRouters;
    NodeContainer servers;
    NodeContainer workstations;
    uint64_t rulesInstalled = 0;
    std::vector<std::pair<std::string, uint64_t>> rulesPerChain; // in GetChainNames order
    std::size_t classifierBytes = 0;
    for (uint32_t s = 0; s < sites; s++)
    {
        Ptr<Node> router = CreateObject<Node>();
        Ptr<Node> server = CreateObject<Node>();
        Ptr<Node> workstation = CreateObject<Node>();
        divert.Install(router);
        plain.Install(server);
        plain.Install(workstation);
        siteRouters.Add(router);
        servers.Add(server);
        workstations.Add(workstation);
        Watch(router, SITE_ROUTER);
        Watch(server, HOST);
        Watch(workstation, HOST);

        const uint32_t prefix = SitePrefix(s);
        NetDeviceContainer toServer = lanLink.Install(router, server);           // eth0
        NetDeviceContainer toWorkstation = lanLink.Install(router, workstation); // eth1
        NetDeviceContainer uplink = upLink.Install(router, groupRouters.Get(s / kSitesPerGroup));
        Attach(toServer.Get(0), prefix + 1, 30);
        uint32_t i = Attach(toServer.Get(1), prefix + 2, 30);
        StaticRouting(server)->SetDefaultRoute(Ipv4Address(prefix + 1), i);
        Attach(toWorkstation.Get(0), prefix + 5, 30);
        i = Attach(toWorkstation.Get(1), prefix + 6, 30);
        StaticRouting(workstation)->SetDefaultRoute(Ipv4Address(prefix + 5), i);
        i = Attach(uplink.Get(0), prefix + 9, 30); // eth2
        StaticRouting(router)->SetDefaultRoute(Ipv4Address(prefix + 10), i);
        i = Attach(uplink.Get(1), prefix + 10, 30);
        StaticRouting(groupRouters.Get(s / kSitesPerGroup))
            ->AddNetworkRouteTo(Ipv4Address(prefix),
                                Ipv4Mask("255.255.255.0"),
                                Ipv4Address(prefix + 9),
                                i);

        // The site's firewall, compiled now.
        Clock::time_point t = Clock::now();
        Rng rng(RngSeedManager::GetSeed(), RngSeedManager::GetRun(), s);
        Ptr<Ipchains> fw = DivertStackHelper::GetStack(router)->GetFirewall();
        Ipchains::Result result =
            fw->ExecuteScript(SiteScript(s, sites, rules, blockedSources[s], flowSources[s], rng),
                              "site-" + std::to_string(s));
        NS_ABORT_MSG_UNLESS(result.ok, result.error);
        NS_LOG_INFO("site " << s << ": " << fw->GetRuleCount("blocked") << " deny-list rules");
        Clock::time_point compiled = Clock::now();
        fw->Compile();
        compileSeconds += Since(compiled);
        rulesSeconds += Since(t);
        classifierBytes += fw->GetClassifierMemory();
        for (const std::string& chain : fw->GetChainNames())
        {
            Add(rulesPerChain, chain, fw->GetRuleCount(chain));
            rulesInstalled += fw->GetRuleCount(chain);
        }

        if ((s + 1) % progress == 0 || s + 1 == sites)
        {
            std::cerr << "  build: " << (s + 1) << "/" << sites << " sites, "
                      << NodeList::GetNNodes() << " nodes, " << rulesInstalled << " rules, "
                      << std::fixed << std::setprecision(1) << Since(buildStart) << " s wall, "
                      << std::setprecision(0) << PeakRssMiB() << " MiB peak" << std::endl;
        }
    }
    NS_ABORT_MSG_UNLESS(NodeList::GetNNodes() == nodeCount, "node count");

    // Applications: a sink for every (host, port) a flow goes to, a client per flow.
    Clock::time_point appsStart = Clock::now();
    std::map<std::pair<uint32_t, uint16_t>, uint32_t> sinkOf; // (node id, port) -> sink
    std::vector<Ptr<PacketSink>> sinks;
    const Time firstStart = Seconds(1);
    for (uint32_t f = 0; f < g_flows.size(); f++)
    {
        Flow& flow = g_flows[f];
        const KindInfo& kind = g_kinds[flow.kind];
        Ptr<Node> dstNode =
            kind.toServer ? servers.Get(flow.dstSite) : workstations.Get(flow.dstSite);
        Ptr<Node> srcNode = flow.src == ServerAddress(flow.srcSite)
                                ? servers.Get(flow.srcSite)
                                : workstations.Get(flow.srcSite);
        auto it = sinkOf.find({dstNode->GetId(), kind.port});
        if (it == sinkOf.end())
        {
            PacketSinkHelper helper("ns3::UdpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), kind.port));
            Ptr<PacketSink> sink = DynamicCast<PacketSink>(helper.Install(dstNode).Get(0));
            const uint32_t index = sinks.size();
            sink->TraceConnectWithoutContext("Rx", MakeBoundCallback(&SinkRx, index));
            sinks.push_back(sink);
            it = sinkOf.insert({{dstNode->GetId(), kind.port}, index}).first;
        }
        flow.sink = it->second;
        g_flowOf[{flow.src, flow.sink}] = f;

        UdpClientHelper client(Ipv4Address(flow.dst), kind.port);
        client.SetAttribute("MaxPackets", UintegerValue(packets));
        client.SetAttribute("Interval", TimeValue(interval));
        client.SetAttribute("PacketSize", UintegerValue(size));
        ApplicationContainer app = client.Install(srcNode);
        // Starts spread over one second.
        app.Start(firstStart + NanoSeconds(1000000000ULL * f / g_flows.size()));
        flow.client = DynamicCast<UdpClient>(app.Get(0));
    }
    const Time stop = firstStart + Seconds(1) + interval * packets + Seconds(1);
    const double appsSeconds = Since(appsStart);
    const double buildSeconds = Since(buildStart);
    const double buildCpu = CpuSeconds() - buildCpuStart;

    std::cout << "  rules installed: " << rulesInstalled << " (";
    const char* sep = "";
    for (const auto& chain : rulesPerChain)
    {
        std::cout << sep << chain.first << " " << chain.second;
        sep = ", ";
    }
    std::cout << "), compiled classifiers " << std::fixed << std::setprecision(1)
              << classifierBytes / 1048576.0 << " MiB\n"
              << "  simulated time: " << stop.GetSeconds() << " s" << std::endl;

    Clock::time_point runStart = Clock::now();
    const double runCpuStart = CpuSeconds();
    Simulator::Schedule(Seconds(1), &Tick, Seconds(1), runStart);
    Simulator::Stop(stop);
    Simulator::Run();
    const double runSeconds = Since(runStart);
    const double runCpu = CpuSeconds() - runCpuStart;
    const uint64_t events = Simulator::GetEventCount();

    // Flows.
    struct KindTotals
    {
        uint64_t flows{0};
        uint64_t sent{0};
        uint64_t delivered{0};
    };

    KindTotals kinds[FLOW_KINDS];
    uint64_t hostSent = 0;
    uint64_t hostDelivered = 0;
    for (const Flow& f : g_flows)
    {
        kinds[f.kind].flows++;
        kinds[f.kind].sent += f.client->GetTotalTx() / size;
        kinds[f.kind].delivered += f.received;
        hostSent += f.client->GetTotalTx() / size;
        hostDelivered += f.received;
    }
    std::cout << "\n"
              << "events executed: " << events << "\n\n"
              << std::left << std::setw(31) << "flow kind" << std::right << std::setw(6) << "flows"
              << std::setw(10) << "sent" << std::setw(11) << "delivered"
              << "  what the firewalls do\n";
    for (uint32_t k = 0; k < FLOW_KINDS; k++)
    {
        std::ostringstream name;
        name << "  " << g_kinds[k].name << " -> " << (g_kinds[k].toServer ? "server" : "workst.")
             << ":" << g_kinds[k].port;
        std::cout << std::left << std::setw(31) << name.str() << std::right << std::setw(6)
                  << kinds[k].flows << std::setw(10) << kinds[k].sent << std::setw(11)
                  << kinds[k].delivered << "  " << g_kinds[k].fate
                  << ((kinds[k].delivered == kinds[k].sent) == g_kinds[k].delivered ||
                              kinds[k].flows == 0
                          ? ""
                          : "  (UNEXPECTED)")
                  << "\n";
    }
    if (g_unexpected)
    {
        std::cout << "  datagrams no flow sent: " << g_unexpected << " (UNEXPECTED)\n";
    }

    // Site routers' firewalls.
    std::vector<std::pair<std::string, uint64_t>> deniedPerChain;
    uint64_t denied = 0;
    uint64_t rejected = 0;
    uint64_t policy = 0;
    uint64_t accountingPackets[3] = {};
    uint64_t accountingBytes[3] = {};
    uint64_t ruleDrops = 0;
    uint64_t stackRejected = 0;
    for (uint32_t s = 0; s < sites; s++)
    {
        Ptr<DivertIpv4L3Protocol> stack = DivertStackHelper::GetStack(siteRouters.Get(s));
        Ptr<Ipchains> fw = stack->GetFirewall();
        for (const std::string& chain : fw->GetChainNames())
        {
            for (uint32_t n = 1; n <= fw->GetRuleCount(chain); n++)
            {
                const FirewallRule* rule = fw->GetRule(chain, n);
                if (rule->GetTarget() == FirewallRule::DENY ||
                    rule->GetTarget() == FirewallRule::REJECT)
                {
                    Add(deniedPerChain, chain, rule->GetPackets());
                    denied += rule->GetPackets();
                    if (rule->GetTarget() == FirewallRule::REJECT)
                    {
                        rejected += rule->GetPackets();
                    }
                }
            }
        }
        policy += fw->GetPolicyPackets(Ipchains::FORWARD); // forward's policy is DENY
        int a = 0;
        for (const auto& at : {std::make_pair("input", 1U),
                               std::make_pair("output", 1U),
                               std::make_pair("output", 2U)})
        {
            const FirewallRule* rule = fw->GetRule(at.first, at.second);
            NS_ABORT_MSG_UNLESS(rule->GetTarget() == FirewallRule::NONE, "accounting rule");
            accountingPackets[a] += rule->GetPackets();
            accountingBytes[a] += rule->GetBytes();
            a++;
        }
        DivertIpv4L3Protocol::DivertStats stats = stack->GetDivertStats();
        ruleDrops += stats.ruleDrops;
        stackRejected += stats.rejected;
    }

    std::cout << "\n"
              << "  " << std::left << std::setw(15) << g_nodeKindNames[HOST] << std::right
              << std::setw(6) << g_nodes[HOST] << "  sent " << hostSent << ", delivered "
              << hostDelivered << " datagrams; ICMP messages received " << g_icmpIn << "; dropped "
              << g_dropped[HOST] << "\n";
    std::cout << "  " << std::left << std::setw(15) << g_nodeKindNames[SITE_ROUTER] << std::right
              << std::setw(6) << g_nodes[SITE_ROUTER] << "  forwarded " << g_forwarded[SITE_ROUTER]
              << " (passed the forward chain), dropped " << g_dropped[SITE_ROUTER] << "\n"
              << std::setw(25) << ""
              << "denied by rules " << denied << " (";
    sep = "";
    for (const auto& chain : deniedPerChain)
    {
        std::cout << sep << chain.first << " " << chain.second;
        sep = ", ";
    }
    std::cout << "), of which REJECT " << rejected << "\n"
              << std::setw(25) << ""
              << "denied by the forward policy " << policy << "; divstat ruleDrops " << ruleDrops
              << " (rules + policy: " << (ruleDrops == denied + policy ? "equal" : "DIFFERENT")
              << "), rejected " << stackRejected << "\n"
              << std::setw(25) << ""
              << "accounting: in from the backbone " << accountingPackets[0] << " packets "
              << accountingBytes[0] << " bytes, out to the backbone " << accountingPackets[1]
              << " packets " << accountingBytes[1] << " bytes, to the servers "
              << accountingPackets[2] << " packets " << accountingBytes[2] << " bytes\n";
    for (NodeKind k : {GROUP_ROUTER, REGION_ROUTER, CORE_ROUTER})
    {
        std::cout << "  " << std::left << std::setw(15) << g_nodeKindNames[k] << std::right
                  << std::setw(6) << g_nodes[k] << "  forwarded " << g_forwarded[k] << ", dropped "
                  << g_dropped[k] << "\n";
    }
    if (list >= 0)
    {
        std::cout
            << "\nsite " << list << ": ipchains -L -v\n"
            << DivertStackHelper::GetStack(siteRouters.Get(list))->GetFirewall()->List("", true);
    }
    std::cout << std::flush;

    Clock::time_point destroyStart = Clock::now();
    Simulator::Destroy();
    const double destroySeconds = Since(destroyStart);

    // Wall clock, and the CPU time of this process (less than the wall time
    // on a machine that other processes share).
    std::cout << "\nbuild time: " << std::fixed << std::setprecision(1) << buildSeconds
              << " s wall, " << buildCpu << " s CPU (rules " << rulesSeconds
              << " s, of which compiling " << compileSeconds << " s; applications " << appsSeconds
              << " s)\n"
              << "run time: " << runSeconds << " s wall, " << runCpu << " s CPU ("
              << std::setprecision(0) << events / std::max(runCpu, 1e-9)
              << " events per CPU second); teardown " << std::setprecision(1) << destroySeconds
              << " s\n"
              << "peak memory: " << std::setprecision(0) << PeakRssMiB()
              << " MiB (ru_maxrss), VmHWM " << VmHwmMiB() << " MiB" << std::endl;
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Benchmark: what the divert stack costs against plain ns-3, every figure
// measured in the same run as its plain reference. Speed is never asserted
// anywhere: this program prints its figures.
//
// Packet scenarios, a 3-node UDP chain h0 -> r -> h1 (1000-byte datagrams
// unless said otherwise):
//
//   plain          InternetStackHelper on every node
//   rules=N        DivertStackHelper on every node, N rules per node spread
//                  over input, forward and output (N = 0, 10, 100, 1000,
//                  10000): address, port, ICMP and interface matches of the
//                  kind people write, inverted ones and accounting rules
//                  among them, none deciding for the traffic
//   intercept      no rules but one: every packet diverted on the router
//                  and reinjected by a DivertInterceptor (a C++ verdict)
//   frag/*         4000-byte datagrams over a 1500-byte MTU, diverted on the
//                  router per fragment (default) or whole (always-defragment)
//
// The table's last column is the memory of the compiled rules per node
// (Ipchains::GetClassifierMemory).
//
// Other figures:
//
//   memory         heap bytes per node, 10,000 nodes with the stack and no
//                  links (glibc mallinfo2), plain against divert, both in the
//                  benchmark's configuration (IPv4 only, static routing) and
//                  with the helpers' defaults (IPv6, static + global
//                  routing); --memory-only prints only these, measured
//                  before any Simulator::Run, when ns-3 still records every
//                  Time made (Time::Mark, about 48 bytes each): both figures
//                  are then a little higher than after the packet scenarios
//   nodes=K        K parallel 3-node chains (3K nodes, 100 rules per divert
//                  node, static routes), the same total number of packets:
//                  packets per second against plain ns-3 on the same chains
//   rule change    one -R in the middle of a 10,000-rule chain followed by
//                  one packet on that chain, against the packet alone
//
// Wall clock: each packet scenario runs R times, interleaved with the
// others, and its fastest run counts: on a shared machine a run is only
// ever slowed down, by up to 15% on the 2-core VM this was tuned on, so the
// fastest of several is the figure that repeats from one invocation to the
// next. Instructions: with --instructions (and valgrind installed) every
// packet scenario also runs once under callgrind, counting only
// Simulator::Run, which does not depend on machine load.
//
//   divert-bench [--packets=N] [--repeat=R] [--only=NAME] [--instructions]
//                [--extras=false] [--csv=FILE] [--memory-only]

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <map>
#include <sstream>
#include <unistd.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define DIVERT_BENCH_CALLGRIND 1
#endif

using namespace ns3;

namespace
{
/// One packet scenario.
struct Scenario
{
    std::string name;       //!< as printed, and as --only selects it
    bool divert;            //!< divert stack (else plain)
    uint32_t rules;         //!< rules per divert node
    bool intercept;         //!< divert and reinject every forwarded packet
    uint32_t size;          //!< UDP payload bytes
    bool alwaysDefragment;  //!< the kernel option
    std::string reference;  //!< the plain scenario its ratio is against
    uint32_t flowCache{16}; //!< Ipchains FlowCacheSize (0: every walk asks the blocks)
};

/// What one run measured.
struct Result
{
    double seconds{0};           //!< wall time of Simulator::Run
    uint64_t delivered{0};       //!< datagrams received by the sink
    uint32_t peakReassembly{0};  //!< peak reassembly memory on the router
    uint64_t classifierBytes{0}; //!< compiled rules, all nodes
    uint64_t instructions{0};    //!< callgrind count, 0 if not measured
};

uint64_t g_rx = 0;
uint32_t g_peak = 0;
uint64_t g_classifierBytes = 0;
Ptr<Ipv4Reassembler> g_reassembler;

void
CountRx(Ptr<const Packet>, const Address&)
{
    g_rx++;
}

/// Sampled each time a frame arrives at the router, before it is queued.
void
SamplePeak(Ptr<const Packet>, Ptr<Ipv4>, uint32_t)
{
    if (g_reassembler)
    {
        g_peak = std::max(g_peak, g_reassembler->GetMemoryUsed());
    }
}

/**
 * The benchmark's rule set: `count` ipchains lines spread round-robin over
 * input, forward and output, none of which decides for UDP 10.1.1.1:49153
 * -> 10.1.2.2:9 or its absence of replies. Some match the traffic on every
 * field but one (the source address of the sender, UDP), so the classifier
 * cannot reject them on one field alone.
 */
std::string
RuleScript(uint32_t count)
{
    static const char* const chains[] = {"input", "forward", "output"};
    std::ostringstream os;
    for (uint32_t i = 0; i < count; i++)
    {
        const uint32_t a = (i / 7) % 250 + 1;
        const uint32_t b = (i / 7 / 250) % 250;
        os << "-A " << chains[i % 3] << ' ';
        switch (i % 7)
        {
        case 0:
            os << "-p tcp -s 192.0." << b << '.' << a << " --dport " << (1000 + i % 60000)
               << " -j DENY";
            break;
        case 1:
            os << "-p udp -d 198.51." << b << ".0/24 --dport " << (2000 + i % 50000) << ':'
               << (2010 + i % 50000) << " -j REJECT";
            break;
        case 2:
            os << "-p icmp -s 203.0." << b << '.' << a << " --icmp-type echo-request -j DENY";
            break;
        case 3:
            os << "-s 172.16." << a << ".0/24 -d ! 10.0.0.0/8 -j DENY";
            break;
        case 4:
            // Source and protocol of the traffic; its source port is not privileged.
            os << "-p udp -s 10.1.1.1 --sport 1:1023 -j DENY";
            break;
        case 5:
            os << "-p tcp -i eth+ -d 10." << (100 + b % 100) << '.' << a << ".0/24 -y -j ACCEPT";
            break;
        case 6:
            os << "-p udp -d 192.0." << b << '.' << a << " --dport " << (3000 + i % 60000) << " -l";
            break;
        }
        os << '\n';
    }
    return os.str();
}

void
InstallRules(Ptr<Node> node, uint32_t count, uint32_t flowCache)
{
    if (count == 0)
    {
        return;
    }
    Ptr<Ipchains> fw = DivertStackHelper::GetStack(node)->GetFirewall();
    fw->SetAttribute("FlowCacheSize", UintegerValue(flowCache));
    Ipchains::Result r = fw->ExecuteScript(RuleScript(count), "bench");
    NS_ABORT_MSG_UNLESS(r.ok, r.error);
    fw->Compile(); // building the classifier is set-up, not the run
    g_classifierBytes += fw->GetClassifierMemory();
}

void
InstallStack(NodeContainer nodes, bool divert, bool alwaysDefragment = false)
{
    Ipv4StaticRoutingHelper staticRouting;
    if (divert)
    {
        DivertStackHelper stack;
        stack.SetIpv6StackInstall(false);
        stack.SetRoutingHelper(staticRouting);
        stack.SetStackAttribute("AlwaysDefragment", BooleanValue(alwaysDefragment));
        stack.Install(nodes);
    }
    else
    {
        InternetStackHelper stack;
        stack.SetIpv6StackInstall(false);
        stack.SetRoutingHelper(staticRouting);
        stack.Install(nodes);
    }
}

/**
 * Build `chains` 3-node chains, each with a UDP flow of `packets` datagrams
 * from its h0 to its h1, and static default routes on the hosts.
 */
void
BuildChains(const Scenario& s, uint32_t chains, uint32_t packets)
{
    NodeContainer all;
    all.Create(3 * chains);
    InstallStack(all, s.divert, s.alwaysDefragment);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10us"));
    Ipv4AddressHelper addresses;
    Ipv4StaticRoutingHelper routing;
    for (uint32_t c = 0; c < chains; c++)
    {
        Ptr<Node> h0 = all.Get(3 * c);
        Ptr<Node> r = all.Get(3 * c + 1);
        Ptr<Node> h1 = all.Get(3 * c + 2);
        NetDeviceContainer left = p2p.Install(h0, r);
        NetDeviceContainer right = p2p.Install(r, h1);
        // Chain c's links are the (2c+1)th and (2c+2)th /24 from 10.1.1.0:
        // the first chain is 10.1.1.0/24 - 10.1.2.0/24, as the rules expect.
        auto subnet = [](uint32_t index) {
            return Ipv4Address(
                ("10." + std::to_string(1 + index / 256) + "." + std::to_string(index % 256) + ".0")
                    .c_str());
        };
        addresses.SetBase(subnet(2 * c + 1), "255.255.255.0");
        Ipv4InterfaceContainer leftIf = addresses.Assign(left);
        addresses.SetBase(subnet(2 * c + 2), "255.255.255.0");
        Ipv4InterfaceContainer rightIf = addresses.Assign(right);
        routing.GetStaticRouting(h0->GetObject<Ipv4>())->SetDefaultRoute(leftIf.GetAddress(1), 1);
        routing.GetStaticRouting(h1->GetObject<Ipv4>())->SetDefaultRoute(rightIf.GetAddress(0), 1);
        if (s.divert)
        {
            for (Ptr<Node> n : {h0, r, h1})
            {
                InstallRules(n, s.rules, s.flowCache);
            }
        }
        if (s.intercept)
        {
            Ptr<DivertIpv4L3Protocol> router = DivertStackHelper::GetStack(r);
            NS_ABORT_MSG_UNLESS(
                router->GetFirewall()->Execute("-I forward -p udp -j DIVERT 100").ok,
                "rule");
            DivertInterceptorHelper interceptor(100);
            interceptor.Install(r);
            g_reassembler = router->GetReassembler();
            router->TraceConnectWithoutContext("Rx", MakeCallback(&SamplePeak));
        }
        PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
        ApplicationContainer sinkApp = sink.Install(h1);
        sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&CountRx));
        UdpClientHelper client(rightIf.GetAddress(1), 9);
        client.SetAttribute("MaxPackets", UintegerValue(packets));
        client.SetAttribute("Interval", TimeValue(MicroSeconds(10)));
        client.SetAttribute("PacketSize", UintegerValue(s.size));
        client.Install(h0).Start(Seconds(0.1));
    }
}

Result
Run(const Scenario& s, uint32_t chains, uint32_t packets, bool callgrind)
{
    g_rx = 0;
    g_peak = 0;
    g_classifierBytes = 0;
    BuildChains(s, chains, std::max(1U, packets / chains));
    auto start = std::chrono::steady_clock::now();
#ifdef DIVERT_BENCH_CALLGRIND
    if (callgrind)
    {
        CALLGRIND_START_INSTRUMENTATION;
    }
#endif
    Simulator::Run();
#ifdef DIVERT_BENCH_CALLGRIND
    if (callgrind)
    {
        CALLGRIND_STOP_INSTRUMENTATION;
    }
#endif
    auto stop = std::chrono::steady_clock::now();
    Simulator::Destroy();
    g_reassembler = nullptr;
    Result r;
    r.seconds = std::chrono::duration<double>(stop - start).count();
    r.delivered = g_rx;
    r.peakReassembly = g_peak;
    r.classifierBytes = g_classifierBytes;
    return r;
}

/// Runs one scenario under callgrind in a child process; 0 if that fails.
uint64_t
CountInstructions(const std::string& self, const Scenario& s, uint32_t packets)
{
    const std::string out = "/tmp/divert-bench-callgrind." + std::to_string(getpid());
    const std::string command = "valgrind --tool=callgrind --instr-atstart=no "
                                "--callgrind-out-file=/dev/null " +
                                self + " --child=" + s.name +
                                " --packets=" + std::to_string(packets) + " >/dev/null 2>" + out;
    const int status = std::system(command.c_str());
    // Only Simulator::Run was instrumented: valgrind's "I refs" line is its
    // instruction count.
    uint64_t total = 0;
    std::ifstream is(out);
    for (std::string line; status == 0 && std::getline(is, line);)
    {
        const std::size_t at = line.find("I   refs:");
        if (at != std::string::npos)
        {
            std::string digits;
            for (char c : line.substr(at + 9))
            {
                if (c >= '0' && c <= '9')
                {
                    digits += c;
                }
            }
            total = digits.empty() ? 0 : std::stoull(digits);
        }
    }
    std::remove(out.c_str());
    return total;
}

/// Heap bytes in use (glibc).
std::size_t
HeapInUse()
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/**
 * Heap bytes per node with a stack installed and no links.
 * \param divert DivertStackHelper (else InternetStackHelper)
 * \param n how many nodes
 * \param defaults the helper as users get it (IPv6 on, static + global
 *        routing) instead of the benchmark's IPv4-only static routing
 * \return bytes per node
 */
double
MemoryPerNode(bool divert, uint32_t n, bool defaults)
{
    malloc_trim(0);
    std::size_t before = HeapInUse();
    double perNode;
    {
        NodeContainer nodes;
        nodes.Create(n);
        if (!defaults)
        {
            InstallStack(nodes, divert);
        }
        else if (divert)
        {
            DivertStackHelper().Install(nodes);
        }
        else
        {
            InternetStackHelper().Install(nodes);
        }
        perNode = static_cast<double>(HeapInUse() - before) / n;
    }
    Simulator::Destroy();
    return perNode;
}

/**
 * Print the memory per node, plain against divert, in the benchmark's
 * configuration (IPv4 only, static routing) and with the helpers' defaults.
 */
void
PrintMemory()
{
    const uint32_t memNodes = 10000;
    // A first installation allocates what is made once per program (TypeId
    // tables, attribute defaults, the node list): not counted.
    for (bool defaults : {false, true})
    {
        MemoryPerNode(false, 10, defaults);
        MemoryPerNode(true, 10, defaults);
    }
    for (bool defaults : {false, true})
    {
        double plainMem = MemoryPerNode(false, memNodes, defaults);
        double divertMem = MemoryPerNode(true, memNodes, defaults);
        std::cout << "memory per node (" << memNodes << " nodes, no links"
                  << (defaults ? ", helper defaults: IPv6, static + global routing"
                               : ", IPv4 only, static routing")
                  << "): plain " << std::fixed << std::setprecision(0) << plainMem << " B, divert "
                  << divertMem << " B, ratio " << std::setprecision(3) << divertMem / plainMem
                  << "\n";
    }
}

/**
 * Microseconds of one rule change (a -R of rule 5000) plus the first packet
 * after it on a forward chain of 10,000 rules, and of the packet alone.
 */
std::pair<double, double>
RuleChangeCost(uint32_t changes)
{
    Ptr<Ipchains> fw = CreateObject<Ipchains>();
    std::ostringstream script;
    for (uint32_t i = 0; i < 10000; i++)
    {
        script << "-A forward -p tcp -s 192.0." << (i / 250) % 250 << '.' << i % 250 + 1
               << " --dport " << 1000 + i << " -j DENY\n";
    }
    NS_ABORT_MSG_UNLESS(fw->ExecuteScript(script.str()).ok, "rule change script");
    FirewallPacket p;
    p.source = Ipv4Address("10.1.1.1");
    p.destination = Ipv4Address("10.1.2.2");
    p.protocol = 17;
    p.hasPorts = true;
    p.sourcePort = 49153;
    p.destinationPort = 9;
    p.interface = "eth0";
    p.size = 1028;
    Ipchains::EvaluateOptions options;
    auto timeIt = [&](bool change) {
        auto start = std::chrono::steady_clock::now();
        for (uint32_t k = 0; k < changes; k++)
        {
            if (change)
            {
                std::string rule = "-R forward 5000 -p tcp -s 192.0.99." +
                                   std::to_string(k % 250 + 1) + " --dport 7 -j DENY";
                NS_ABORT_MSG_UNLESS(fw->Execute(rule).ok, "rule change");
            }
            FirewallPacket copy = p;
            fw->Evaluate(Ipchains::FORWARD, copy, options);
        }
        auto stop = std::chrono::steady_clock::now();
        return std::chrono::duration<double, std::micro>(stop - start).count() / changes;
    };
    double packetOnly = timeIt(false);
    double withChange = timeIt(true);
    return {withChange, packetOnly};
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t packets = 50000;
    uint32_t repeat = 5;
    std::string only;
    std::string child;
    std::string csv;
    bool instructions = false;
    bool extras = true;
    bool memoryOnly = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("only", "Run only this scenario (and its plain reference)", only);
    cmd.AddValue("packets", "UDP datagrams per packet scenario", packets);
    cmd.AddValue("repeat", "Runs per scenario (the fastest counts)", repeat);
    cmd.AddValue("instructions", "Count instructions under callgrind as well", instructions);
    cmd.AddValue("csv", "Also write the packet scenarios' figures to this file", csv);
    cmd.AddValue("extras", "Also measure memory, the node sweep and a rule change", extras);
    cmd.AddValue("child", "(internal) run one scenario once under callgrind", child);
    cmd.AddValue("memory-only", "Print only the memory per node", memoryOnly);
    cmd.Parse(argc, argv);
    if (memoryOnly)
    {
        PrintMemory();
        return 0;
    }

    std::vector<Scenario> scenarios{
        {"plain", false, 0, false, 1000, false, "plain"},
        {"rules=0", true, 0, false, 1000, false, "plain"},
        {"rules=10", true, 10, false, 1000, false, "plain"},
        {"rules=100", true, 100, false, 1000, false, "plain"},
        {"rules=1000", true, 1000, false, 1000, false, "plain"},
        {"rules=10000", true, 10000, false, 1000, false, "plain"},
        // The same rules with the flow caches off: a flow's every packet
        // pays the classifier's look-ups (traffic with no flow locality).
        {"rules=100/no-cache", true, 100, false, 1000, false, "plain", 0},
        {"rules=1000/no-cache", true, 1000, false, 1000, false, "plain", 0},
        {"rules=10000/no-cache", true, 10000, false, 1000, false, "plain", 0},
        {"intercept", true, 0, true, 1000, false, "plain"},
        {"frag/plain", false, 0, false, 4000, false, "frag/plain"},
        {"frag/per-fragment", true, 0, true, 4000, false, "frag/plain"},
        {"frag/always-defrag", true, 0, true, 4000, true, "frag/plain"},
    };
    auto packetsOf = [packets](const Scenario& s) { return s.size > 1500 ? packets / 4 : packets; };

    if (!child.empty())
    {
        for (const auto& s : scenarios)
        {
            if (s.name == child)
            {
                Run(s, 1, packetsOf(s), true);
                return 0;
            }
        }
        return 1;
    }

    std::map<std::string, Result> best;
    for (uint32_t r = 0; r < repeat; r++)
    {
        // Interleave the scenarios so that machine noise hits them alike.
        for (const auto& s : scenarios)
        {
            if (!only.empty() && s.name != only && s.name != s.reference && s.name != "plain")
            {
                continue;
            }
            if (!only.empty() && only.rfind("frag/", 0) != 0 && s.name == "frag/plain")
            {
                continue;
            }
            Result res = Run(s, 1, packetsOf(s), false);
            auto it = best.find(s.name);
            if (it == best.end() || res.seconds < it->second.seconds)
            {
                best[s.name] = res;
            }
        }
    }
    if (instructions)
    {
#ifdef DIVERT_BENCH_CALLGRIND
        for (auto& [name, res] : best)
        {
            for (const auto& s : scenarios)
            {
                if (s.name == name)
                {
                    res.instructions = CountInstructions(argv[0], s, packets / 5);
                }
            }
        }
#else
        std::cout << "(built without valgrind/callgrind.h: no instruction counts)\n";
#endif
    }

    std::ofstream csvFile;
    if (!csv.empty())
    {
        csvFile.open(csv);
        csvFile << "scenario,rules_per_node,pkts_per_s,ratio,instr_per_pkt,instr_ratio\n";
    }
    std::cout << std::left << std::setw(20) << "scenario" << std::right << std::setw(10)
              << "delivered" << std::setw(10) << "wall s" << std::setw(11) << "pkts/s"
              << std::setw(8) << "ratio" << std::setw(12) << "instr/pkt" << std::setw(8) << "ratio"
              << std::setw(10) << "reasm B" << std::setw(12) << "rules KB/n"
              << "\n";
    for (const auto& s : scenarios)
    {
        auto it = best.find(s.name);
        if (it == best.end())
        {
            continue;
        }
        const Result& res = it->second;
        const Result& base = best[s.reference];
        double pps = res.delivered / res.seconds;
        double ratio = pps / (base.delivered / base.seconds);
        // callgrind ran packets/5 datagrams, but per-packet figures compare alike.
        double ipp =
            res.instructions ? static_cast<double>(res.instructions) / (packetsOf(s) / 5) : 0;
        double baseIpp =
            base.instructions ? static_cast<double>(base.instructions) / (packetsOf(s) / 5) : 0;
        double iratio = (ipp > 0 && baseIpp > 0) ? baseIpp / ipp : 0;
        std::cout << std::left << std::setw(20) << s.name << std::right << std::setw(10)
                  << res.delivered << std::setw(10) << std::fixed << std::setprecision(3)
                  << res.seconds << std::setw(11) << std::setprecision(0) << pps << std::setw(8)
                  << std::setprecision(3) << ratio << std::setw(12) << std::setprecision(0) << ipp
                  << std::setw(8) << std::setprecision(3) << iratio << std::setw(10)
                  << res.peakReassembly << std::setw(12) << std::setprecision(1)
                  << res.classifierBytes / 1024.0 / 3 << "\n";
        if (csvFile.is_open())
        {
            csvFile << s.name << ',' << s.rules << ',' << std::setprecision(0) << pps << ','
                    << std::setprecision(4) << ratio << ',' << std::setprecision(0) << ipp << ','
                    << std::setprecision(4) << iratio << "\n";
        }
    }
    std::cout << "(ratio: plain ns-3 cost over this scenario's, same run; wall: best of " << repeat
              << " runs; instructions: inside Simulator::Run)\n";
    if (!only.empty() || !extras)
    {
        return 0;
    }

    // Memory per node.
    std::cout << "\n";
    PrintMemory();

    // Node-count sweep: K chains, the same total number of datagrams.
    std::cout << "\nnode sweep (K 3-node chains, " << packets
              << " datagrams in all or 50 a chain, 100 rules per divert node)\n"
              << std::setw(8) << "nodes" << std::setw(14) << "plain pkts/s" << std::setw(15)
              << "divert pkts/s" << std::setw(8) << "ratio\n";
    for (uint32_t k : {1U, 10U, 100U, 1000U})
    {
        Scenario plain{"plain", false, 0, false, 1000, false, "plain"};
        Scenario divert{"rules=100", true, 100, false, 1000, false, "plain"};
        double bestPlain = 0;
        double bestDivert = 0;
        for (uint32_t r = 0; r < std::max(1U, repeat / 2); r++)
        {
            // At least 50 datagrams a chain, so that start-up (ARP, the
            // first packet of each flow) does not dominate.
            const uint32_t total = std::max(packets, 50 * k);
            Result a = Run(plain, k, total, false);
            Result b = Run(divert, k, total, false);
            bestPlain = std::max(bestPlain, a.delivered / a.seconds);
            bestDivert = std::max(bestDivert, b.delivered / b.seconds);
        }
        std::cout << std::setw(8) << 3 * k << std::setw(14) << std::setprecision(0) << bestPlain
                  << std::setw(15) << bestDivert << std::setw(8) << std::setprecision(3)
                  << bestDivert / bestPlain << "\n";
    }

    // Rule change.
    auto [withChange, packetOnly] = RuleChangeCost(200);
    const Result& plain = best["plain"];
    double plainPacketUs = 1e6 * plain.seconds / plain.delivered;
    std::cout << "\nrule change in a 10,000-rule chain (-R 5000, then one packet): "
              << std::setprecision(1) << withChange << " us; the packet alone " << packetOnly
              << " us; one packet through plain ns-3's 3-node chain " << plainPacketUs << " us\n";
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The compiled rule classifier against a plain linear evaluator: random
// rule sets (user chains, jumps, RETURN, inversions, '+' interfaces,
// fragments, SYN, non-prefix masks, TOS and mark changes, -l, DIVERT with
// and without listeners, pass-through, resumed walks, loops) and random
// packets, with rules changed between packets. Every verdict, position,
// mark, TOS, log record and counter must be the same. Deterministic seeds.

// clang-format off
#define BOOST_TEST_MODULE divert_classifier_test
#include <boost/test/unit_test.hpp>
// clang-format on

#include "ns3/boolean.h"
#include "ns3/callback.h"
#include "ns3/firewall-packet.h"
#include "ns3/firewall-rule.h"
#include "ns3/ipchains.h"
#include "ns3/rule-classifier.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// A deterministic generator whose draws do not depend on the standard
/// library's distributions (they differ between implementations).
class Draw
{
  public:
    /**
     * \brief Seed it.
     * \param seed the seed
     */
    explicit Draw(uint32_t seed)
        : m_engine(seed)
    {
    }

    /**
     * \brief A number in [0, n).
     * \param n the bound
     * \return the number
     */
    uint32_t Below(uint32_t n)
    {
        return static_cast<uint32_t>(m_engine() % n);
    }

    /**
     * \brief True with probability num/den.
     * \param num numerator
     * \param den denominator
     * \return the draw
     */
    bool Chance(uint32_t num, uint32_t den)
    {
        return Below(den) < num;
    }

    /**
     * \brief One element of a list.
     * \param list the list
     * \return the element
     */
    template <typename T>
    const T& Pick(const std::vector<T>& list)
    {
        return list[Below(static_cast<uint32_t>(list.size()))];
    }

  private:
    std::mt19937 m_engine; //!< the engine
};

const std::vector<std::string> USER_CHAINS{"u1", "u2", "u3"};
const std::vector<std::string> BUILTIN{"input", "forward", "output"};

/**
 * \brief A random ipchains rule specification (no -A or chain).
 * \param d the generator
 * \param jumps user chains this rule may jump to
 * \return the specification
 */
std::string
RandomRule(Draw& d, const std::vector<std::string>& jumps)
{
    static const std::vector<std::string> addresses{"10.1.1.1",
                                                    "10.1.1.0/24",
                                                    "10.1.0.0/16",
                                                    "10.0.0.0/8",
                                                    "0/0",
                                                    "10.1.2.2",
                                                    "10.1.2.0/25",
                                                    "192.168.0.0/16",
                                                    "10.0.1.0/255.0.255.0",
                                                    "10.1.1.128/25"};
    static const std::vector<std::string>
        ports{"80", "9", "1000:2000", "2000:1000", ":1023", "1024:", "0:65535", "53"};
    static const std::vector<std::string> icmp{"0", "8", "3", "0:8", "8:8"};
    static const std::vector<std::string> interfaces{"eth0", "eth1", "eth+", "e+", "lo", "ppp+"};
    std::ostringstream os;
    std::string proto;
    switch (d.Below(7))
    {
    case 0:
        proto = "tcp";
        break;
    case 1:
        proto = "udp";
        break;
    case 2:
        proto = "icmp";
        break;
    case 3:
        proto = "! tcp";
        break;
    case 4:
        proto = "47";
        break;
    default:
        break; // all
    }
    if (!proto.empty())
    {
        os << " -p " << proto;
    }
    const bool withPorts = proto == "tcp" || proto == "udp" || proto == "icmp";
    bool anyPort = false;
    for (const char* opt : {" -s ", " -d "})
    {
        if (d.Chance(2, 3))
        {
            os << opt << (d.Chance(1, 4) ? "! " : "") << d.Pick(addresses);
            if (withPorts && d.Chance(1, 2))
            {
                os << ' ' << (d.Chance(1, 4) ? "! " : "")
                   << (proto == "icmp" ? d.Pick(icmp) : d.Pick(ports));
                anyPort = true;
            }
        }
    }
    if (d.Chance(1, 3))
    {
        os << " -i " << (d.Chance(1, 4) ? "! " : "") << d.Pick(interfaces);
    }
    if (proto == "tcp" && d.Chance(1, 4))
    {
        os << (d.Chance(1, 2) ? " ! -y" : " -y");
    }
    else if (!anyPort && d.Chance(1, 5))
    {
        os << (d.Chance(1, 2) ? " ! -f" : " -f");
    }
    if (d.Chance(1, 6))
    {
        os << (d.Chance(1, 2) ? " -t 0xFE 0x00" : " -t 0xFF 0x10");
    }
    if (d.Chance(1, 6))
    {
        os << " -m " << (d.Chance(1, 2) ? "+3" : "7");
    }
    if (d.Chance(1, 6))
    {
        os << " -l";
    }
    switch (d.Below(10))
    {
    case 0:
    case 1:
        break; // accounting
    case 2:
        os << " -j ACCEPT";
        break;
    case 3:
        os << " -j DENY";
        break;
    case 4:
        os << " -j REJECT";
        break;
    case 5:
        os << " -j RETURN";
        break;
    case 6:
    case 7:
        if (!jumps.empty())
        {
            os << " -j " << d.Pick(jumps);
        }
        break;
    default:
        os << " -j DIVERT " << (1000 + d.Below(3));
        break;
    }
    return os.str();
}

/**
 * \brief A random packet, from the same pools as the rules.
 * \param d the generator
 * \return the packet
 */
FirewallPacket
RandomPacket(Draw& d)
{
    static const std::vector<std::string> addresses{"10.1.1.1",
                                                    "10.1.1.2",
                                                    "10.1.2.2",
                                                    "10.1.1.200",
                                                    "10.2.1.1",
                                                    "10.9.1.9",
                                                    "192.168.3.4",
                                                    "172.16.0.1",
                                                    "0.0.0.0",
                                                    "255.255.255.255"};
    static const std::vector<uint16_t> ports{80, 9, 1000, 1500, 2000, 1023, 1024, 53, 0, 65535};
    static const std::vector<std::string> interfaces{"eth0", "eth1", "lo", "ppp0", "e", "eth"};
    static const std::vector<uint8_t> protocols{1, 6, 17, 47, 6, 17};
    FirewallPacket p;
    p.protocol = d.Pick(protocols);
    p.source = Ipv4Address(d.Pick(addresses).c_str());
    p.destination = Ipv4Address(d.Pick(addresses).c_str());
    p.fragment = d.Chance(1, 6);
    p.hasPorts = !p.fragment && d.Chance(9, 10);
    if (p.hasPorts)
    {
        p.sourcePort = p.protocol == 1 ? d.Below(10) : d.Pick(ports);
        p.destinationPort = p.protocol == 1 ? d.Below(4) : d.Pick(ports);
        p.syn = p.protocol == 6 && d.Chance(1, 2);
    }
    p.interface = d.Pick(interfaces);
    p.tos = d.Chance(1, 2) ? 0x00 : 0x10;
    p.mark = d.Below(3);
    p.size = 40 + d.Below(1500);
    return p;
}

/// The chains as the public API shows them: the oracle's input.
struct Snapshot
{
    std::map<std::string, std::vector<FirewallRule>> rules; //!< per chain
    std::map<std::string, std::string> policy;              //!< built-in policies
    uint64_t policyPackets[3];                              //!< per hook
    uint64_t policyBytes[3];                                //!< per hook

    /**
     * \brief Copy everything out of a firewall.
     * \param fw the firewall
     */
    explicit Snapshot(const Ipchains& fw)
    {
        for (const std::string& c : fw.GetChainNames())
        {
            std::vector<FirewallRule>& v = rules[c];
            for (uint32_t i = 1; i <= fw.GetRuleCount(c); i++)
            {
                v.push_back(*fw.GetRule(c, i));
            }
            policy[c] = fw.GetPolicy(c);
        }
        for (int h = 0; h < 3; h++)
        {
            policyPackets[h] = fw.GetPolicyPackets(static_cast<Ipchains::Hook>(h));
            policyBytes[h] = fw.GetPolicyBytes(static_cast<Ipchains::Hook>(h));
        }
    }
};

/// What the linear oracle expects of one evaluation.
struct Expected
{
    Ipchains::Verdict verdict;                                      //!< verdict (mark included)
    uint8_t tos{0};                                                 //!< packet TOS after the walk
    std::vector<std::pair<std::string, uint32_t>> logs;             //!< -l rules, in order
    std::vector<FirewallPacket> logPackets;                         //!< the packet at each -l match
    std::map<std::pair<std::string, std::size_t>, uint64_t> counts; //!< matches per rule
    bool policyCounted{false};                                      //!< the hook's policy decided
};

/**
 * \brief The linear evaluator: ip_fw.c ip_fw_check written again, plainly,
 * over a snapshot, testing every rule with FirewallRule::Matches.
 * \param s the chains
 * \param hook the hook
 * \param packet the packet (a copy is changed)
 * \param resume frames to resume after, or nullptr
 * \param listener divert listeners
 * \param passThrough the pass-through option
 * \return what must happen
 */
Expected
Oracle(const Snapshot& s,
       Ipchains::Hook hook,
       FirewallPacket packet,
       const std::vector<Ipchains::Frame>* resume,
       const std::function<bool(uint16_t)>& listener,
       bool passThrough)
{
    struct Level
    {
        std::string chain;
        std::size_t next;
    };

    Expected e;
    const std::string start = BUILTIN[hook];
    std::vector<Level> stack;
    auto onStack = [&stack](const std::string& c) {
        for (const Level& l : stack)
        {
            if (l.chain == c)
            {
                return true;
            }
        }
        return false;
    };
    if (resume && !resume->empty() && resume->front().chain == start)
    {
        for (std::size_t k = 0; k < resume->size(); k++)
        {
            const Ipchains::Frame& f = (*resume)[k];
            if (s.rules.count(f.chain) == 0 || onStack(f.chain))
            {
                break;
            }
            if (k > 0)
            {
                const std::vector<FirewallRule>& outer = s.rules.at(stack.back().chain);
                const std::size_t jump = stack.back().next;
                if (jump == 0 || jump > outer.size() ||
                    outer[jump - 1].GetTarget() != FirewallRule::CHAIN ||
                    outer[jump - 1].GetTargetChain() != f.chain)
                {
                    break;
                }
            }
            stack.push_back(Level{f.chain, f.rule});
        }
    }
    if (stack.empty())
    {
        stack.push_back(Level{start, 0});
    }
    auto frames = [&stack](std::size_t innermost) {
        std::vector<Ipchains::Frame> out;
        for (std::size_t k = 0; k < stack.size(); k++)
        {
            out.push_back(Ipchains::Frame{
                stack[k].chain,
                static_cast<uint32_t>(k + 1 == stack.size() ? innermost : stack[k].next)});
        }
        return out;
    };
    while (true)
    {
        const std::string chain = stack.back().chain;
        const std::vector<FirewallRule>& rules = s.rules.at(chain);
        bool decided = false;
        bool jumped = false;
        std::size_t i = stack.back().next;
        for (; i < rules.size(); i++)
        {
            const FirewallRule& r = rules[i];
            if (!r.Matches(packet))
            {
                continue;
            }
            e.counts[{chain, i}]++;
            if (r.GetLog())
            {
                e.logs.emplace_back(chain, i + 1);
                e.logPackets.push_back(packet);
            }
            r.Apply(packet);
            const FirewallRule::Target t = r.GetTarget();
            if (t == FirewallRule::NONE)
            {
                continue;
            }
            if (t == FirewallRule::DIVERT && !(listener && listener(r.GetTargetPort())) &&
                passThrough)
            {
                continue;
            }
            if (t == FirewallRule::RETURN)
            {
                break;
            }
            if (t == FirewallRule::CHAIN)
            {
                if (onStack(r.GetTargetChain()))
                {
                    e.verdict.action = Ipchains::Verdict::DENY;
                    e.verdict.loop = true;
                    e.verdict.position = frames(i + 1);
                    decided = true;
                    break;
                }
                stack.back().next = i + 1;
                stack.push_back(Level{r.GetTargetChain(), 0});
                jumped = true;
                break;
            }
            e.verdict.action = t == FirewallRule::ACCEPT   ? Ipchains::Verdict::ACCEPT
                               : t == FirewallRule::DENY   ? Ipchains::Verdict::DENY
                               : t == FirewallRule::REJECT ? Ipchains::Verdict::REJECT
                                                           : Ipchains::Verdict::DIVERT;
            e.verdict.port = t == FirewallRule::DIVERT ? r.GetTargetPort() : 0;
            e.verdict.position = frames(i + 1);
            decided = true;
            break;
        }
        if (decided)
        {
            break;
        }
        if (jumped)
        {
            continue;
        }
        if (stack.size() > 1)
        {
            stack.pop_back();
            continue;
        }
        const std::string& policy = s.policy.at(chain);
        e.verdict.action = policy == "DENY"     ? Ipchains::Verdict::DENY
                           : policy == "REJECT" ? Ipchains::Verdict::REJECT
                                                : Ipchains::Verdict::ACCEPT;
        e.policyCounted = true;
        break;
    }
    e.verdict.mark = packet.mark;
    e.tos = packet.tos;
    return e;
}

std::vector<std::pair<std::string, uint32_t>> g_logs; //!< Log trace records
std::vector<FirewallPacket> g_logPackets;             //!< their packets

/**
 * \brief Sink of the "Log" trace source.
 * \param chain chain
 * \param rule rule number
 * \param packet packet
 */
void
LogSink(const std::string& chain, uint32_t rule, const FirewallPacket& packet)
{
    g_logs.emplace_back(chain, rule);
    g_logPackets.push_back(packet);
}

/**
 * \brief Frames as text, for messages.
 * \param frames the frames
 * \return "chain:rule chain:rule"
 */
std::string
Text(const std::vector<Ipchains::Frame>& frames)
{
    std::ostringstream os;
    for (const auto& f : frames)
    {
        os << f.chain << ':' << f.rule << ' ';
    }
    return os.str();
}

/**
 * \brief Evaluate one packet on the firewall and compare everything with
 * the oracle.
 * \param fw the firewall
 * \param hook the hook
 * \param packet the packet
 * \param resume resume frames or nullptr
 * \param passThrough the option
 * \param context what to print on a difference
 * \return the verdict
 */
Ipchains::Verdict
EvaluateAndCompare(Ptr<Ipchains> fw,
                   Ipchains::Hook hook,
                   const FirewallPacket& packet,
                   const std::vector<Ipchains::Frame>* resume,
                   bool passThrough,
                   const std::string& context)
{
    const Snapshot before(*fw);
    std::function<bool(uint16_t)> listener = [](uint16_t port) { return port != 1002; };
    Expected e = Oracle(before, hook, packet, resume, listener, passThrough);

    Ipchains::EvaluateOptions options;
    options.resumeAfter = resume;
    options.divertListener = listener;
    options.passThrough = passThrough;
    FirewallPacket p = packet;
    g_logs.clear();
    g_logPackets.clear();
    Ipchains::Verdict v = fw->Evaluate(hook, p, options);

    BOOST_TEST_CONTEXT(context << "\npacket " << packet << " on " << BUILTIN[hook])
    {
        BOOST_REQUIRE_EQUAL(Ipchains::ActionToString(v.action),
                            Ipchains::ActionToString(e.verdict.action));
        BOOST_REQUIRE_EQUAL(v.port, e.verdict.port);
        BOOST_REQUIRE_EQUAL(v.loop, e.verdict.loop);
        BOOST_REQUIRE_EQUAL(Text(v.position), Text(e.verdict.position));
        BOOST_REQUIRE_EQUAL(v.mark, e.verdict.mark);
        BOOST_REQUIRE_EQUAL(+p.tos, +e.tos);
        BOOST_REQUIRE_EQUAL(v.logged.size(), e.logs.size());
        for (std::size_t k = 0; k < e.logs.size(); k++)
        {
            BOOST_REQUIRE_EQUAL(v.logged[k].chain, e.logs[k].first);
            BOOST_REQUIRE_EQUAL(v.logged[k].rule, e.logs[k].second);
        }
        BOOST_REQUIRE(g_logs == e.logs);
        for (std::size_t k = 0; k < e.logPackets.size(); k++)
        {
            BOOST_REQUIRE_EQUAL(+g_logPackets[k].tos, +e.logPackets[k].tos);
            BOOST_REQUIRE_EQUAL(g_logPackets[k].mark, e.logPackets[k].mark);
        }
        for (const auto& [chain, rules] : before.rules)
        {
            for (std::size_t i = 0; i < rules.size(); i++)
            {
                auto it = e.counts.find({chain, i});
                const uint64_t n = it == e.counts.end() ? 0 : it->second;
                const FirewallRule* now = fw->GetRule(chain, static_cast<uint32_t>(i + 1));
                // One check per rule would make the long chains slow: test
                // plainly, report through Boost only on a difference.
                if (now->GetPackets() != rules[i].GetPackets() + n ||
                    now->GetBytes() != rules[i].GetBytes() + n * packet.size)
                {
                    BOOST_FAIL("counters of " << chain << ":" << i + 1 << " " << rules[i] << ": "
                                              << now->GetPackets() << " packets, "
                                              << now->GetBytes() << " bytes; expected "
                                              << rules[i].GetPackets() + n << ", "
                                              << rules[i].GetBytes() + n * packet.size);
                }
            }
        }
        for (int h = 0; h < 3; h++)
        {
            const bool counted = e.policyCounted && h == hook;
            const Ipchains::Hook other = static_cast<Ipchains::Hook>(h);
            BOOST_REQUIRE_EQUAL(fw->GetPolicyPackets(other), before.policyPackets[h] + counted);
            BOOST_REQUIRE_EQUAL(fw->GetPolicyBytes(other),
                                before.policyBytes[h] + (counted ? packet.size : 0));
        }
    }
    return v;
}

/**
 * \brief Make one random change to the chains (a refused one is fine:
 * it must change nothing, which the next comparison checks).
 * \param fw the firewall
 * \param d the generator
 * \param log the commands so far, for messages
 */
void
RandomChange(Ptr<Ipchains> fw, Draw& d, std::string& log)
{
    std::vector<std::string> names = fw->GetChainNames();
    const std::string chain = d.Pick(names);
    std::vector<std::string> jumps;
    for (const std::string& u : USER_CHAINS)
    {
        if (fw->HasChain(u) && u != chain)
        {
            jumps.push_back(u);
        }
    }
    const uint32_t n = fw->GetRuleCount(chain);
    std::ostringstream cmd;
    switch (d.Below(12))
    {
    case 0:
    case 1:
    case 2:
    case 3:
        cmd << "-A " << chain << RandomRule(d, jumps);
        break;
    case 4:
    case 5:
        cmd << "-I " << chain << ' ' << (1 + d.Below(n + 1)) << RandomRule(d, jumps);
        break;
    case 6:
    case 7:
        cmd << "-D " << chain << ' ' << (1 + d.Below(n + 1));
        break;
    case 8:
        cmd << "-R " << chain << ' ' << (1 + d.Below(n + 1)) << RandomRule(d, jumps);
        break;
    case 9:
        cmd << (d.Chance(1, 8) ? "-F " : "-Z ") << chain;
        break;
    case 10:
        if (chain == "input" || chain == "forward" || chain == "output")
        {
            const char* policies[] = {"ACCEPT", "DENY", "REJECT"};
            cmd << "-P " << chain << ' ' << policies[d.Below(3)];
        }
        else
        {
            cmd << "-Z";
        }
        break;
    default:
        // -D by value of an existing rule.
        if (n > 0)
        {
            cmd << "-D " << chain << ' ' << fw->GetRule(chain, 1 + d.Below(n))->ToString();
        }
        else
        {
            cmd << "-Z " << chain;
        }
        break;
    }
    Ipchains::Result r = fw->Execute(cmd.str());
    log += cmd.str() + (r.ok ? "\n" : "  (refused)\n");
}

/**
 * \brief One random trial: build chains, then alternate packets and changes.
 * \param seed the seed
 * \param rulesPerChain rules appended to each chain at the start
 * \param packets packets to evaluate
 * \param refuseLoops the RefuseLoops attribute (false lets loops in)
 * \param flowCache the FlowCacheSize attribute
 * \param flows 0: every packet drawn anew; else packets of at most this
 *        many flows
 */
void
Trial(uint32_t seed,
      uint32_t rulesPerChain,
      uint32_t packets,
      bool refuseLoops,
      uint32_t flowCache = 16,
      uint32_t flows = 0)
{
    Draw d(seed);
    Ptr<Ipchains> fw = CreateObject<Ipchains>();
    fw->SetAttribute("RefuseLoops", BooleanValue(refuseLoops));
    fw->SetAttribute("FlowCacheSize", UintegerValue(flowCache));
    fw->TraceConnectWithoutContext("Log", MakeCallback(&LogSink));
    std::string log;
    for (const std::string& u : USER_CHAINS)
    {
        BOOST_REQUIRE(fw->NewChain(u).ok);
    }
    for (const std::string& chain : fw->GetChainNames())
    {
        std::vector<std::string> jumps;
        for (const std::string& u : USER_CHAINS)
        {
            // Without loop refusal any jump goes in; with it, jumps go
            // "down" only, or would be refused anyway.
            if (u != chain && (!refuseLoops || chain[0] != 'u' || u > chain))
            {
                jumps.push_back(u);
            }
        }
        const uint32_t count = chain[0] == 'u' ? rulesPerChain / 2 + 1 : rulesPerChain;
        std::string script;
        for (uint32_t i = 0; i < count; i++)
        {
            script += "-A " + chain + RandomRule(d, jumps) + "\n";
        }
        for (const std::string& line : [&script] {
                 std::vector<std::string> lines;
                 std::istringstream is(script);
                 for (std::string l; std::getline(is, l);)
                 {
                     lines.push_back(l);
                 }
                 return lines;
             }())
        {
            Ipchains::Result r = fw->Execute(line);
            log += line + (r.ok ? "\n" : "  (refused)\n");
        }
    }
    std::vector<Ipchains::Frame> lastDivert;
    std::vector<FirewallPacket> pool;
    for (uint32_t k = 0; k < packets; k++)
    {
        const Ipchains::Hook hook = static_cast<Ipchains::Hook>(d.Below(3));
        FirewallPacket p = RandomPacket(d);
        if (flows > 0)
        {
            // Packets of a few flows, so that the flow caches are hit and
            // collide; tos, mark and size still vary (no test reads them).
            if (pool.size() < flows)
            {
                pool.push_back(p);
            }
            const FirewallPacket& flow = pool[d.Below(static_cast<uint32_t>(pool.size()))];
            const FirewallPacket fresh = p;
            p = flow;
            p.tos = fresh.tos;
            p.mark = fresh.mark;
            p.size = fresh.size;
        }
        const bool passThrough = d.Chance(1, 3);
        const bool resume = !lastDivert.empty() && d.Chance(1, 3);
        std::ostringstream context;
        context << "seed " << seed << ", packet " << k
                << (resume ? ", resuming after " + Text(lastDivert) : std::string())
                << (passThrough ? ", pass-through" : "") << "\nrules:\n"
                << (log.size() > 6000 ? "..." + log.substr(log.size() - 6000) : log);
        Ipchains::Verdict v = EvaluateAndCompare(fw,
                                                 hook,
                                                 p,
                                                 resume ? &lastDivert : nullptr,
                                                 passThrough,
                                                 context.str());
        if (v.action == Ipchains::Verdict::DIVERT)
        {
            lastDivert = v.position;
        }
        if (d.Chance(1, 4))
        {
            RandomChange(fw, d, log);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(small_random_rule_sets_decide_exactly_as_a_linear_walk)
{
    for (uint32_t seed = 1; seed <= 500; seed++)
    {
        Trial(seed, 3 + seed % 12, 60, true);
    }
}

BOOST_AUTO_TEST_CASE(rule_sets_with_loops_let_in_are_caught_exactly_as_a_linear_walk)
{
    for (uint32_t seed = 1001; seed <= 1200; seed++)
    {
        Trial(seed, 4 + seed % 8, 60, false);
    }
}

BOOST_AUTO_TEST_CASE(chains_longer_than_a_block_decide_exactly_as_a_linear_walk)
{
    // Several blocks per chain, and changes that split and merge them.
    for (uint32_t seed = 2001; seed <= 2006; seed++)
    {
        Trial(seed, 600 + 150 * (seed % 4), 400, true);
    }
}

BOOST_AUTO_TEST_CASE(packets_of_few_flows_hit_the_flow_caches_and_decide_as_a_linear_walk)
{
    // Few flows: the caches answer most look-ups, and are emptied by the
    // changes between packets. One slot makes flows evict each other.
    for (uint32_t seed = 3001; seed <= 3300; seed++)
    {
        Trial(seed, 3 + seed % 12, 80, seed % 2 == 0, seed % 3 == 0 ? 1 : 16, 1 + seed % 5);
    }
    for (uint32_t seed = 3401; seed <= 3403; seed++)
    {
        Trial(seed, 700 + 200 * (seed % 2), 300, true, 2, 4);
    }
}

BOOST_AUTO_TEST_CASE(without_flow_caches_rule_sets_decide_exactly_as_a_linear_walk)
{
    for (uint32_t seed = 4001; seed <= 4100; seed++)
    {
        Trial(seed, 3 + seed % 12, 60, true, 0, seed % 2 == 0 ? 0 : 3);
    }
}

BOOST_AUTO_TEST_CASE(a_flow_matching_more_rules_than_its_cache_entry_holds_counts_every_one)
{
    // Twenty accounting rules and jumps all match the flow: more than
    // RuleMatchCache::MAX_MATCHES, so the walk goes past the entry.
    Ptr<Ipchains> fw = CreateObject<Ipchains>();
    BOOST_REQUIRE(fw->NewChain("acct").ok);
    for (int i = 0; i < 20; i++)
    {
        BOOST_REQUIRE(fw->Execute(i % 7 == 3 ? "-A input -p udp -j acct" : "-A input -p udp").ok);
        BOOST_REQUIRE(fw->Execute("-A acct -s 10.1.1.1").ok);
    }
    BOOST_REQUIRE(fw->Execute("-A input -p udp -d 10.1.2.2 -j DENY").ok);
    BOOST_REQUIRE(fw->Execute("-A acct -p udp --dport 53 -j RETURN").ok);
    FirewallPacket a;
    a.protocol = 17;
    a.source = Ipv4Address("10.1.1.1");
    a.destination = Ipv4Address("10.1.2.2");
    a.hasPorts = true;
    a.sourcePort = 1000;
    a.destinationPort = 53;
    a.interface = "eth0";
    a.size = 100;
    FirewallPacket b = a;
    b.destination = Ipv4Address("10.1.2.9");
    for (int k = 0; k < 10; k++)
    {
        EvaluateAndCompare(fw, Ipchains::INPUT, k % 3 == 0 ? b : a, nullptr, false, "many matches");
    }
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 10U);
    BOOST_TEST(fw->GetRule("input", 21)->GetPackets() == 6U);
    BOOST_TEST(fw->GetRule("acct", 20)->GetPackets() == 10U * 3);
}

BOOST_AUTO_TEST_CASE(next_match_equals_testing_every_rule_from_any_position)
{
    // The classifier alone, told of changes directly, against Matches.
    Draw d(77);
    std::vector<FirewallRule> rules;
    RuleClassifier classifier;
    classifier.SetFlowCacheSize(4);
    std::vector<FirewallPacket> flows;
    for (int k = 0; k < 6; k++)
    {
        flows.push_back(RandomPacket(d));
    }
    std::size_t maxBlocks = 0;
    Ptr<Ipchains> parser = CreateObject<Ipchains>();
    auto randomRule = [&]() {
        parser->Flush("forward");
        BOOST_REQUIRE(parser->Execute("-A forward" + RandomRule(d, {})).ok ||
                      parser->Execute("-A forward -j ACCEPT").ok);
        return *parser->GetRule("forward", 1);
    };
    for (uint32_t step = 0; step < 8000; step++)
    {
        const uint32_t op = d.Below(10);
        if (step == 5999)
        {
            rules.clear();
            classifier.NotifyCleared();
        }
        else if (op < 5 || rules.empty())
        {
            const std::size_t at = d.Below(static_cast<uint32_t>(rules.size() + 1));
            rules.insert(rules.begin() + at, randomRule());
            classifier.NotifyInserted(at);
        }
        else if (op < 7)
        {
            const std::size_t at = d.Below(static_cast<uint32_t>(rules.size()));
            rules.erase(rules.begin() + at);
            classifier.NotifyErased(at);
        }
        else if (op < 8)
        {
            const std::size_t at = d.Below(static_cast<uint32_t>(rules.size()));
            rules[at] = randomRule();
            classifier.NotifyReplaced(at);
        }
        if (step % 10 != 0)
        {
            continue;
        }
        maxBlocks = std::max(maxBlocks, classifier.GetBlockCount());
        for (int k = 0; k < 5; k++)
        {
            // Half from a few flows (the cache answers, or a walk that
            // starts past what it knows), half anew.
            const FirewallPacket p = d.Chance(1, 2) ? RandomPacket(d) : d.Pick(flows);
            RuleClassifier::Cursor cursor;
            std::size_t from = rules.empty() ? 0 : d.Below(static_cast<uint32_t>(rules.size()));
            // Walk the whole rest of the chain, as an accounting-only walk would.
            while (true)
            {
                std::size_t expected = from;
                while (expected < rules.size() && !rules[expected].Matches(p))
                {
                    expected++;
                }
                const std::size_t got = classifier.Next(rules, p, from, cursor);
                BOOST_TEST_INFO("step " << step << ", " << rules.size() << " rules, from " << from
                                        << ", packet " << p);
                BOOST_REQUIRE_EQUAL(got, expected);
                if (got >= rules.size())
                {
                    break;
                }
                from = got + 1;
            }
        }
    }
    // The chain grew past one block (RuleClassifier::MAX_BLOCK rules), so
    // splits and merges were crossed.
    BOOST_TEST(maxBlocks >= 2);
}

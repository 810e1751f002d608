/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The ipchains firewall as a user sees it: listings, counters, verdicts of
// Evaluate() and -C, every command, match option and target, user chains,
// loops, DIVERT, pass-through and resume.

// clang-format off
#define BOOST_TEST_MODULE divert_firewall_test
#include <boost/test/unit_test.hpp>
// clang-format on

#include "ns3/boolean.h"
#include "ns3/callback.h"
#include "ns3/firewall-packet.h"
#include "ns3/firewall-rule.h"
#include "ns3/ipchains.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint8_t ICMP = 1; //!< IP protocol ICMP
constexpr uint8_t TCP = 6;  //!< IP protocol TCP
constexpr uint8_t UDP = 17; //!< IP protocol UDP

/**
 * \brief A packet with ports (or ICMP type/code).
 * \param protocol the protocol
 * \param src source address
 * \param sport source port or ICMP type
 * \param dst destination address
 * \param dport destination port or ICMP code
 * \param interface the interface
 * \param size datagram bytes
 * \return the description
 */
FirewallPacket
Pkt(uint8_t protocol,
    const char* src,
    uint16_t sport,
    const char* dst,
    uint16_t dport,
    const std::string& interface = "eth0",
    uint32_t size = 100)
{
    FirewallPacket p;
    p.protocol = protocol;
    p.source = Ipv4Address(src);
    p.destination = Ipv4Address(dst);
    p.hasPorts = true;
    p.sourcePort = sport;
    p.destinationPort = dport;
    p.interface = interface;
    p.size = size;
    return p;
}

/**
 * \brief A second or later fragment: no ports, no SYN flag.
 * \param protocol the protocol
 * \param src source address
 * \param dst destination address
 * \param interface the interface
 * \param size fragment bytes
 * \return the description
 */
FirewallPacket
Fragment(uint8_t protocol,
         const char* src,
         const char* dst,
         const std::string& interface = "eth0",
         uint32_t size = 100)
{
    FirewallPacket p;
    p.protocol = protocol;
    p.source = Ipv4Address(src);
    p.destination = Ipv4Address(dst);
    p.fragment = true;
    p.interface = interface;
    p.size = size;
    return p;
}

/// What the "Log" trace source reported.
struct LogRecord
{
    std::string chain;     //!< chain
    uint32_t rule;         //!< rule number
    FirewallPacket packet; //!< packet
};

std::vector<LogRecord> g_logs; //!< filled by LogSink

/**
 * \brief Sink of the "Log" trace source.
 * \param chain chain
 * \param rule rule number
 * \param packet packet
 */
void
LogSink(const std::string& chain, uint32_t rule, const FirewallPacket& packet)
{
    g_logs.push_back(LogRecord{chain, rule, packet});
}

/// A fresh firewall and shorthands.
struct Fixture
{
    Ptr<Ipchains> fw;                  //!< the firewall
    Ipchains::EvaluateOptions options; //!< default: nobody listens, no pass-through

    Fixture()
        : fw(CreateObject<Ipchains>())
    {
        g_logs.clear();
    }

    /**
     * \brief Run commands that must succeed.
     * \param lines the commands
     */
    void Run(std::initializer_list<const char*> lines)
    {
        for (const char* line : lines)
        {
            Ipchains::Result r = fw->Execute(line);
            BOOST_REQUIRE_MESSAGE(r.ok, line << ": " << r.error);
        }
    }

    /**
     * \brief Output of a command that must succeed.
     * \param line the command
     * \return its output
     */
    std::string Out(const std::string& line)
    {
        Ipchains::Result r = fw->Execute(line);
        BOOST_REQUIRE_MESSAGE(r.ok, line << ": " << r.error);
        return r.output;
    }

    /**
     * \brief Evaluate a packet (a copy) at a hook.
     * \param hook the hook
     * \param p the packet
     * \return the verdict
     */
    Ipchains::Verdict Eval(Ipchains::Hook hook, FirewallPacket p)
    {
        return fw->Evaluate(hook, p, options);
    }

    /**
     * \brief The action for a packet at the input hook.
     * \param p the packet
     * \return the action
     */
    Ipchains::Verdict::Action In(const FirewallPacket& p)
    {
        return Eval(Ipchains::INPUT, p).action;
    }

    /**
     * \brief Whether rule 1 of input matches a packet: rule 1 accepts,
     * the policy denies.
     * \param rule the rule options, e.g. "-p tcp -y"
     * \param p the packet
     * \return true if the rule matched
     */
    bool Matches(const std::string& rule, const FirewallPacket& p)
    {
        Run({"-F input", "-P input DENY"});
        Ipchains::Result r = fw->Execute("-A input " + rule + " -j ACCEPT");
        BOOST_REQUIRE_MESSAGE(r.ok, rule << ": " << r.error);
        bool model = fw->GetRule("input", 1)->Matches(p);
        bool walked = In(p) == Ipchains::Verdict::ACCEPT;
        BOOST_TEST(model == walked, rule);
        return walked;
    }
};

/**
 * \brief Frames as text, for comparisons.
 * \param frames the frames
 * \return "input:2 sub:1"
 */
std::string
Str(const std::vector<Ipchains::Frame>& frames)
{
    std::string s;
    for (const auto& f : frames)
    {
        s += (s.empty() ? "" : " ") + f.chain + ":" + std::to_string(f.rule);
    }
    return s;
}

} // namespace

// ---------------------------------------------------------------------------
// Listings

BOOST_FIXTURE_TEST_SUITE(listing, Fixture)

BOOST_AUTO_TEST_CASE(initial_tables)
{
    BOOST_TEST(Out("ipchains -L") == "Chain input (policy ACCEPT):\n"
                                     "Chain forward (policy ACCEPT):\n"
                                     "Chain output (policy ACCEPT):\n");
    BOOST_TEST(Out("ipchains -L -v") == "Chain input (policy ACCEPT: 0 packets, 0 bytes):\n"
                                        "Chain forward (policy ACCEPT: 0 packets, 0 bytes):\n"
                                        "Chain output (policy ACCEPT: 0 packets, 0 bytes):\n");
    BOOST_TEST(fw->GetChainNames() == std::vector<std::string>({"input", "forward", "output"}));
    BOOST_TEST(Ipchains::GetHookChainName(Ipchains::INPUT) == "input");
    BOOST_TEST(Ipchains::GetHookChainName(Ipchains::FORWARD) == "forward");
    BOOST_TEST(Ipchains::GetHookChainName(Ipchains::OUTPUT) == "output");
    BOOST_TEST(fw->GetPolicy("input") == "ACCEPT");
    BOOST_TEST(fw->GetRuleCount("input") == 0u);
    BOOST_TEST(fw->GetRule("input", 1) == nullptr);
    BOOST_TEST(fw->List() == Out("-L -n"));
}

BOOST_AUTO_TEST_CASE(plain_listing_reads_like_ipchains)
{
    Run({"-A input -p icmp -j DIVERT 4321",
         "-A input -p tcp -s 10.0.0.0/8 1024:65535 -d ! 192.168.1.1 www -j ACCEPT -l",
         "-A input -p udp -i eth+ -d 0/0 53 -j DENY",
         "-A input -f -j DENY",
         "-A input -p icmp --icmp-type echo-request -j ACCEPT",
         "-A input -p tcp -j REDIRECT 8080",
         "-A input -p tcp -j REDIRECT",
         "-N sub",
         "-A forward -j sub",
         "-A forward -s 1.2.3.0/255.0.255.0 -j MASQ",
         "-A sub -p tcp -y -j REJECT",
         "-A sub -p tcp ! -y",
         "-A sub -p tcp --dport ! 2222 -j RETURN",
         "-P forward DENY"});
    // Names where ipchains would look them up: anywhere, any, services,
    // ICMP names. The header comes with the first rule of a chain only.
    BOOST_TEST(
        Out("ipchains -L") ==
        "Chain input (policy ACCEPT):\n"
        "target     prot opt     source                destination           ports\n"
        "DIVERT     icmp ------  anywhere             anywhere              any ->   any => "
        "4321\n"
        "ACCEPT     tcp  ----l-  10.0.0.0/8           !192.168.1.1           1024:65535 ->  "
        " www\n"
        "DENY       udp  ------  anywhere             anywhere              any ->   domain\n"
        "DENY       all  ---f--  anywhere             anywhere              n/a\n"
        "ACCEPT     icmp ------  anywhere             anywhere              echo-request\n"
        "REDIRECT   tcp  ------  anywhere             anywhere              any ->   any => "
        "8080\n"
        "REDIRECT   tcp  ------  anywhere             anywhere              any ->   any =>  "
        "any\n"
        "Chain forward (policy DENY):\n"
        "target     prot opt     source                destination           ports\n"
        "sub        all  ------  anywhere             anywhere              n/a\n"
        "MASQ       all  ------  1.0.3.0/255.0.255.0  anywhere              n/a\n"
        "Chain output (policy ACCEPT):\n"
        "Chain sub (1 references):\n"
        "target     prot opt     source                destination           ports\n"
        "REJECT     tcp  -y----  anywhere             anywhere              any ->   any\n"
        "-          tcp  !y----  anywhere             anywhere              any ->   any\n"
        "RETURN     tcp  ------  anywhere             anywhere              any ->  !2222\n");
    BOOST_TEST(
        Out("ipchains -L input -n") ==
        "Chain input (policy ACCEPT):\n"
        "target     prot opt     source                destination           ports\n"
        "DIVERT     icmp ------  0.0.0.0/0            0.0.0.0/0             * ->   * => "
        "4321\n"
        "ACCEPT     tcp  ----l-  10.0.0.0/8           !192.168.1.1           1024:65535 ->  "
        " 80\n"
        "DENY       udp  ------  0.0.0.0/0            0.0.0.0/0             * ->   53\n"
        "DENY       all  ---f--  0.0.0.0/0            0.0.0.0/0             n/a\n"
        "ACCEPT     icmp ------  0.0.0.0/0            0.0.0.0/0             8 ->   *\n"
        "REDIRECT   tcp  ------  0.0.0.0/0            0.0.0.0/0             * ->   * => "
        "8080\n"
        "REDIRECT   tcp  ------  0.0.0.0/0            0.0.0.0/0             * ->   * =>  *\n");
    BOOST_TEST(fw->List("input") == Out("-L input -n"));
    BOOST_TEST(fw->List("sub", false, false) == Out("-L sub"));
    BOOST_TEST(fw->List("nochain") == "");
}

BOOST_AUTO_TEST_CASE(verbose_listing_columns)
{
    Run({"-A input -p udp -s ! 9.9.9.0/24 -i ! lo -m -1 -t 0x01 0x10 -l",
         "-A input -p tcp -i eth+ -m 0x20 -j ACCEPT",
         "-A input -p tcp -i ppp0 -m +3 -j DENY"});
    BOOST_TEST(
        Out("ipchains -L input -v -n") ==
        "Chain input (policy ACCEPT: 0 packets, 0 bytes):\n"
        " pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  source       "
        "         destination           ports\n"
        // The mark is printed "0x%-10x ", two wider than its header, as
        // in ipchains 1.3.9.
        "    0     0 -          udp  ----l- 0x01 0x10 !lo         0xffffffff           "
        "!9.9.9.0/24           0.0.0.0/0             * ->   *\n"
        "    0     0 ACCEPT     tcp  ------ 0xFF 0x00  eth+       0x20                  "
        "0.0.0.0/0            0.0.0.0/0             * ->   *\n"
        "    0     0 DENY       tcp  ------ 0xFF 0x00  ppp0       0x3                   "
        "0.0.0.0/0            0.0.0.0/0             * ->   *\n");
    BOOST_TEST(Out("ipchains -L input -v -x --line-numbers")
                   .find("num      pkts      bytes target     prot opt    tosa tosx  ifname") ==
               49u);
    BOOST_TEST(
        Out("ipchains -L input --line-numbers -n") ==
        "Chain input (policy ACCEPT):\n"
        "num  target     prot opt     source                destination           ports\n"
        "1    -          udp  ----l- !9.9.9.0/24           0.0.0.0/0             * ->   *\n"
        "2    ACCEPT     tcp  ------  0.0.0.0/0            0.0.0.0/0             * ->   *\n"
        "3    DENY       tcp  ------  0.0.0.0/0            0.0.0.0/0             * ->   *\n");
    BOOST_TEST(fw->List("input", true, true, false, true) == Out("-L input -v -n --line-numbers"));
}

BOOST_AUTO_TEST_CASE(counters_rounded_unless_exact)
{
    Run({"-A output -p udp --dport 1", "-A output -p udp --dport 2", "-A output -p udp --dport 3"});
    for (int i = 0; i < 3; i++)
    {
        Eval(Ipchains::OUTPUT, Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 1, "eth0", 40000));
    }
    for (int i = 0; i < 2; i++)
    {
        Eval(Ipchains::OUTPUT, Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 2, "eth0", 30000000));
    }
    for (int i = 0; i < 5; i++)
    {
        Eval(Ipchains::OUTPUT, Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 3, "eth0", 4000000000U));
    }
    // K, M and G are powers of 1000, rounded (ipchains(8) -v).
    BOOST_TEST(Out("-L output -v -n") ==
               "Chain output (policy ACCEPT: 10 packets, 20060120000 bytes):\n"
               " pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  "
               "source                destination           ports\n"
               "    3  120K -          udp  ------ 0xFF 0x00  *                              "
               "0.0.0.0/0            0.0.0.0/0             * ->   1\n"
               "    2   60M -          udp  ------ 0xFF 0x00  *                              "
               "0.0.0.0/0            0.0.0.0/0             * ->   2\n"
               "    5   20G -          udp  ------ 0xFF 0x00  *                              "
               "0.0.0.0/0            0.0.0.0/0             * ->   3\n");
    BOOST_TEST(
        Out("-L output -v -x -n") ==
        "Chain output (policy ACCEPT: 10 packets, 20060120000 bytes):\n"
        "    pkts      bytes target     prot opt    tosa tosx  ifname     mark       outsize "
        " source                destination           ports\n"
        "       3     120000 -          udp  ------ 0xFF 0x00  *                              "
        "0.0.0.0/0            0.0.0.0/0             * ->   1\n"
        "       2   60000000 -          udp  ------ 0xFF 0x00  *                              "
        "0.0.0.0/0            0.0.0.0/0             * ->   2\n"
        "       5 20000000000 -          udp  ------ 0xFF 0x00  *                             "
        " 0.0.0.0/0            0.0.0.0/0             * ->   3\n");
    BOOST_TEST(fw->GetRule("output", 3)->GetBytes() == 20000000000ULL);
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::OUTPUT) == 10u);
    BOOST_TEST(fw->GetPolicyBytes(Ipchains::OUTPUT) == 20060120000ULL);
}

BOOST_AUTO_TEST_CASE(user_chains_in_creation_order_with_references)
{
    Run({"-N zeta",
         "-N alpha",
         "-N mid",
         "-A input -j alpha",
         "-A forward -j alpha",
         "-A output -j zeta"});
    BOOST_TEST(fw->GetChainNames() ==
               std::vector<std::string>({"input", "forward", "output", "zeta", "alpha", "mid"}));
    std::string listing = Out("-L -n");
    BOOST_TEST(listing.find("Chain zeta (1 references):\nChain alpha (2 references):\n"
                            "Chain mid (0 references):\n") != std::string::npos);
    BOOST_TEST(fw->GetReferenceCount("alpha") == 2u);
    BOOST_TEST(fw->GetPolicy("alpha") == "");
}

BOOST_AUTO_TEST_CASE(verbose_commands_print_what_they_do)
{
    BOOST_TEST(
        Out("-A output -p tcp -d 1.2.3.4 80 -j ACCEPT -v") ==
        "ACCEPT  tcp opt    ------ tos 0xFF 0x00  via *    0.0.0.0/0 -> 1.2.3.4    * ->   80\n");
    BOOST_TEST(Out("-A output -p udp -s ! 9.9.9.0/24 -i ! lo -m -1 -t 0x01 0x10 -l -v") ==
               "-  udp opt    ----l- tos 0x01 0x10 !via lo mark 0xffffffff   !9.9.9.0/24 -> "
               "0.0.0.0/0    * ->   *\n");
    BOOST_TEST(
        Out("-D output -p tcp -d 1.2.3.4 80 -j ACCEPT -v") ==
        "ACCEPT  tcp opt    ------ tos 0xFF 0x00  via *    0.0.0.0/0 -> 1.2.3.4    * ->   80\n");
    Run({"-N sub"});
    BOOST_TEST(Out("-F -v") == "Flushing chain `input'\nFlushing chain `forward'\n"
                               "Flushing chain `output'\nFlushing chain `sub'\n");
    BOOST_TEST(Out("-Z input -v") == "Zeroing chain `input'\n");
    BOOST_TEST(Out("-X -v") == "Deleting chain `sub'\n");
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// Commands

BOOST_FIXTURE_TEST_SUITE(commands, Fixture)

BOOST_AUTO_TEST_CASE(append_insert_delete_replace)
{
    Run({"-A input -p tcp -j ACCEPT", "-A input -p udp -j DENY"});
    Run({"-I input -p icmp -j REJECT"}); // default position 1
    Run({"-I input 3 -p 47 -j DENY"});
    Run({"-I input 5 -s 1.1.1.1 -j ACCEPT"}); // count + 1: the end
    BOOST_TEST(fw->GetRuleCount("input") == 5u);
    BOOST_TEST(fw->GetRule("input", 1)->GetProtocol() == ICMP);
    BOOST_TEST(fw->GetRule("input", 2)->GetProtocol() == TCP);
    BOOST_TEST(fw->GetRule("input", 3)->GetProtocol() == 47);
    BOOST_TEST(fw->GetRule("input", 4)->GetProtocol() == UDP);
    BOOST_TEST(fw->GetRule("input", 5)->GetSource() == Ipv4Address("1.1.1.1"));

    Run({"-D input 3"});
    BOOST_TEST(fw->GetRuleCount("input") == 4u);
    BOOST_TEST(fw->GetRule("input", 3)->GetProtocol() == UDP);
    Run({"-D input -p tcp -j ACCEPT"});
    BOOST_TEST(fw->GetRuleCount("input") == 3u);
    BOOST_TEST(fw->GetRule("input", 2)->GetProtocol() == UDP);

    // -R puts the new rule in place; its counters start again.
    In(Pkt(UDP, "2.2.2.2", 1, "3.3.3.3", 2));
    BOOST_TEST(fw->GetRule("input", 2)->GetPackets() == 1u);
    Run({"-R input 2 -p udp -j ACCEPT"});
    BOOST_TEST(fw->GetRule("input", 2)->GetTarget() == FirewallRule::ACCEPT);
    BOOST_TEST(fw->GetRule("input", 2)->GetPackets() == 0u);
}

BOOST_AUTO_TEST_CASE(delete_by_value_removes_the_first_same_rule_only)
{
    Run({"-A input -p tcp -j DENY -m 1",
         "-A input -p tcp -j DENY -m 2",
         "-A input -p tcp -j DENY"});
    // ip_fw.c compares everything but counters, mark and TOS masks.
    Run({"-D input -p tcp -j DENY"});
    BOOST_TEST(fw->GetRuleCount("input") == 2u);
    BOOST_TEST(fw->GetRule("input", 1)->GetMarkValue() == 2u);
    BOOST_TEST(!fw->Execute("-D input -p tcp -j ACCEPT").ok);
    BOOST_TEST(!fw->Execute("-D input -p tcp -i eth0 -j DENY").ok);
    FirewallRule r;
    r.SetProtocol(TCP);
    r.SetTarget(FirewallRule::DENY);
    BOOST_TEST(fw->DeleteRule("input", r).ok);
    BOOST_TEST(fw->DeleteRule("input", 1).ok);
    BOOST_TEST(fw->GetRuleCount("input") == 0u);
}

BOOST_AUTO_TEST_CASE(flush_one_or_all)
{
    Run({"-N sub", "-A input -j sub", "-A forward -j ACCEPT", "-A sub -j ACCEPT"});
    Run({"-F forward"});
    BOOST_TEST(fw->GetRuleCount("forward") == 0u);
    BOOST_TEST(fw->GetRuleCount("input") == 1u);
    Run({"-F"});
    BOOST_TEST(fw->GetRuleCount("input") == 0u);
    BOOST_TEST(fw->GetRuleCount("sub") == 0u);
    BOOST_TEST(fw->HasChain("sub")); // -F keeps chains
    BOOST_TEST(fw->GetReferenceCount("sub") == 0u);
}

BOOST_AUTO_TEST_CASE(zero_one_or_all_and_list_then_zero)
{
    Run({"-A input -p tcp", "-A output -p tcp", "-P output DENY"});
    In(Pkt(TCP, "1.1.1.1", 1, "2.2.2.2", 2, "eth0", 60));
    Eval(Ipchains::OUTPUT, Pkt(TCP, "1.1.1.1", 1, "2.2.2.2", 2, "eth0", 70));
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::INPUT) == 1u);
    Run({"-Z input"});
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 0u);
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::INPUT) == 0u); // policy counters too
    BOOST_TEST(fw->GetRule("output", 1)->GetBytes() == 70u);
    // -L -Z shows the counters, then zeroes them all.
    std::string shown = Out("-L -Z -v -x -n");
    BOOST_TEST(shown.find("Chain output (policy DENY: 1 packets, 70 bytes):") != std::string::npos);
    BOOST_TEST(fw->GetRule("output", 1)->GetPackets() == 0u);
    BOOST_TEST(fw->GetPolicyBytes(Ipchains::OUTPUT) == 0u);
    Eval(Ipchains::OUTPUT, Pkt(TCP, "1.1.1.1", 1, "2.2.2.2", 2, "eth0", 70));
    Run({"-Z"});
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::OUTPUT) == 0u);
    BOOST_TEST(fw->GetRule("output", 1)->GetPackets() == 0u);
}

BOOST_AUTO_TEST_CASE(new_and_delete_chains)
{
    Run({"-N a", "-N B", "-N abcdefgh"}); // 8 characters is the limit
    BOOST_TEST(fw->HasChain("a"));
    BOOST_TEST(fw->HasChain("B"));
    BOOST_TEST(!fw->HasChain("b")); // case-sensitive
    Run({"-X B"});
    BOOST_TEST(!fw->HasChain("B"));
    Run({"-A input -j a"});
    BOOST_TEST(!fw->Execute("-X").ok); // `a' is referenced: nothing deleted
    BOOST_TEST(fw->HasChain("abcdefgh"));
    Run({"-D input 1", "-X"});
    BOOST_TEST(fw->GetChainNames() == std::vector<std::string>({"input", "forward", "output"}));
    BOOST_TEST(fw->NewChain("x").ok);
    BOOST_TEST(fw->DeleteChain("x").ok);
}

BOOST_AUTO_TEST_CASE(jumps_follow_chains_that_moved_and_builtins_stay_reserved)
{
    // The index keeps entries for user chains only: deleting one moves the
    // others, and the built-in names are still known and reserved.
    Run({"-N a", "-N b", "-N c", "-A c -j DENY", "-A b -j c", "-A input -j b"});
    Run({"-X a"});
    Ipchains::Verdict v = Eval(Ipchains::INPUT, Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2));
    BOOST_TEST(v.action == Ipchains::Verdict::DENY);
    BOOST_REQUIRE(v.position.size() == 3u);
    BOOST_TEST(v.position[0].chain == "input");
    BOOST_TEST(v.position[1].chain == "b");
    BOOST_TEST(v.position[2].chain == "c");
    BOOST_TEST(fw->GetReferenceCount("c") == 1u);
    BOOST_TEST(!fw->Execute("-N input").ok);
    BOOST_TEST(!fw->Execute("-X forward").ok);
    BOOST_TEST(fw->GetChainNames() ==
               std::vector<std::string>({"input", "forward", "output", "b", "c"}));
    BOOST_TEST(fw->Check("output", Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2)).output == "accepted\n");
    BOOST_TEST(fw->Check("c", Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2)).output == "denied\n");
    BOOST_TEST(!fw->Check("a", Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2)).ok);
}

BOOST_AUTO_TEST_CASE(policies_decide_when_a_packet_falls_off)
{
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2, "eth0", 50);
    Run({"-P input DENY", "-P forward REJECT", "-P output ACCEPT"});
    Ipchains::Verdict v = Eval(Ipchains::INPUT, p);
    BOOST_TEST(v.action == Ipchains::Verdict::DENY);
    BOOST_TEST(v.position.empty());
    BOOST_TEST(Eval(Ipchains::FORWARD, p).action == Ipchains::Verdict::REJECT);
    BOOST_TEST(Eval(Ipchains::OUTPUT, p).action == Ipchains::Verdict::ACCEPT);
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::FORWARD) == 1u);
    BOOST_TEST(fw->GetPolicyBytes(Ipchains::FORWARD) == 50u);
    Run({"-P forward MASQ"}); // ipchains accepts MASQ as the forward policy
    BOOST_TEST(Eval(Ipchains::FORWARD, p).action == Ipchains::Verdict::MASQ);
    BOOST_TEST(fw->GetPolicy("forward") == "MASQ");
    BOOST_TEST(fw->SetPolicy("input", "ACCEPT").ok);
    BOOST_TEST(Eval(Ipchains::INPUT, p).action == Ipchains::Verdict::ACCEPT);
    // RETURN in a built-in chain also hands the packet to the policy.
    Run({"-P input REJECT", "-A input -j RETURN", "-A input -j ACCEPT"});
    BOOST_TEST(Eval(Ipchains::INPUT, p).action == Ipchains::Verdict::REJECT);
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 1u);
    BOOST_TEST(fw->GetRule("input", 2)->GetPackets() == 0u);
}

BOOST_AUTO_TEST_CASE(bidirectional_rules)
{
    Run({"-A input -b -p tcp -s 1.1.1.1 1000 -d 2.2.2.2 80 -j ACCEPT"});
    BOOST_TEST(fw->GetRuleCount("input") == 2u);
    const FirewallRule* back = fw->GetRule("input", 2);
    BOOST_TEST(back->GetSource() == Ipv4Address("2.2.2.2"));
    BOOST_TEST(back->GetSourcePortMin() == 80);
    BOOST_TEST(back->GetDestination() == Ipv4Address("1.1.1.1"));
    BOOST_TEST(back->GetDestinationPortMin() == 1000);
    // -I -b puts the mirror at the number, the rule after it (ipchains.c).
    Run({"-I input 1 -b -p udp -s 3.3.3.3 -d ! 4.4.4.4 53 -j DENY"});
    BOOST_TEST(fw->GetRule("input", 1)->GetSource() == Ipv4Address("4.4.4.4"));
    BOOST_TEST(fw->GetRule("input", 1)->IsSourceInverted());
    BOOST_TEST(fw->GetRule("input", 1)->GetSourcePortMin() == 53);
    BOOST_TEST(fw->GetRule("input", 2)->GetSource() == Ipv4Address("3.3.3.3"));
    BOOST_TEST(fw->GetRule("input", 2)->IsDestinationInverted());
    // ICMP type and code are not swapped.
    Run({"-A output -b -p icmp -s 5.5.5.5 -d 6.6.6.6 --icmp-type echo-request -j ACCEPT"});
    const FirewallRule* icmp = fw->GetRule("output", 2);
    BOOST_TEST(icmp->GetSource() == Ipv4Address("6.6.6.6"));
    BOOST_TEST(icmp->GetSourcePortMin() == 8);
    BOOST_TEST(icmp->GetDestinationPortMax() == 65535);
    // -D -b deletes both; -C -b checks both directions.
    BOOST_TEST(Out("-C input -b -p tcp -s 1.1.1.1 1000 -d 2.2.2.2 80 -i eth0") ==
               "accepted\naccepted\n");
    Run({"-D input -b -p tcp -s 1.1.1.1 1000 -d 2.2.2.2 80 -j ACCEPT"});
    BOOST_TEST(fw->GetRuleCount("input") == 2u);
    BOOST_TEST(Out("-C input -b -p tcp -s 1.1.1.1 1000 -d 2.2.2.2 80 -i eth0") ==
               "accepted\naccepted\n");
    Run({"-P input DENY"});
    BOOST_TEST(Out("-C input -b -p udp -s 3.3.3.3 1 -d 5.5.5.5 53 -i eth0") == "denied\ndenied\n");
    // The mirror of 3.3.3.3 -> !4.4.4.4:53 is !4.4.4.4:53 -> 3.3.3.3.
    BOOST_TEST(Out("-C input -p udp -s 5.5.5.5 53 -d 3.3.3.3 1 -i eth0") == "denied\n");
    BOOST_TEST(fw->GetRule("input", 1)->Matches(Pkt(UDP, "5.5.5.5", 53, "3.3.3.3", 1)));
}

BOOST_AUTO_TEST_CASE(scripts_are_all_or_nothing)
{
    Run({"-N keep", "-A input -p udp -j keep", "-A keep -j ACCEPT"});
    In(Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2, "eth0", 80));
    std::string before = Out("-L -v -x");
    Ipchains::Result bad = fw->ExecuteScript("# build more\n"
                                             "-N more\n"
                                             "\n"
                                             "-A more -j DENY   # comment\n"
                                             "-Z\n"
                                             "-P input DENY\n"
                                             "-A input -j nochain\n"
                                             "-A input -j ACCEPT\n",
                                             "rules.fw");
    BOOST_TEST(!bad.ok);
    BOOST_TEST(bad.error == "rules.fw:7: No target by that name");
    BOOST_TEST(Out("-L -v -x") == before); // chains, policy and counters restored
    BOOST_TEST(!fw->HasChain("more"));

    Ipchains::Result good = fw->ExecuteScript("ipchains -N more\n"
                                              "  # indented comment\n"
                                              "ipchains -A more -j DENY\r\n"
                                              "ipchains -L more -n\n");
    BOOST_TEST(good.ok);
    BOOST_TEST(good.output ==
               "Chain more (0 references):\n"
               "target     prot opt     source                destination           ports\n"
               "DENY       all  ------  0.0.0.0/0            0.0.0.0/0             n/a\n");
    Ipchains::Result defaultOrigin = fw->ExecuteScript("-N more");
    BOOST_TEST(defaultOrigin.error == "<script>:1: Chain already exists");
}

BOOST_AUTO_TEST_CASE(files)
{
    Ipchains::Result missing = fw->ExecuteFile("/nonexistent/divert-rules.fw");
    BOOST_TEST(!missing.ok);
    BOOST_TEST(missing.error == "cannot open file `/nonexistent/divert-rules.fw'");
    const std::string path = "divert-firewall-test-rules.tmp";
    {
        std::ofstream out(path.c_str());
        out << "-N web\n-A web -p tcp --dport 80 -j ACCEPT\n-A input -j web\n";
    }
    BOOST_TEST(fw->ExecuteFile(path).ok);
    BOOST_TEST(fw->GetRuleCount("web") == 1u);
    {
        std::ofstream out(path.c_str());
        out << "-F web\n-A web -p tcp --dport 80 -j ACCEPT -y -f\n";
    }
    Ipchains::Result bad = fw->ExecuteFile(path);
    BOOST_TEST(bad.error == path + ":2: no ports allowed with -f");
    BOOST_TEST(fw->GetRuleCount("web") == 1u);
    std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(typed_api_and_command_lines_build_the_same_tables)
{
    Ptr<Ipchains> typed = CreateObject<Ipchains>();
    BOOST_TEST(typed->NewChain("web").ok);
    FirewallRule jump;
    jump.SetProtocol(TCP);
    jump.SetDestination(Ipv4Address("10.0.0.1"), Ipv4Mask("255.255.255.255"));
    jump.SetDestinationPorts(80, 80);
    jump.SetJump("web");
    BOOST_TEST(typed->AppendRule("input", jump).ok);
    FirewallRule divert;
    divert.SetProtocol(ICMP);
    divert.SetIcmpType(8);
    divert.SetInterface("eth+");
    divert.SetLog(true);
    divert.SetMark(FirewallRule::MARK_ADD, 2);
    divert.SetDivert(4321);
    BOOST_TEST(typed->InsertRule("input", 1, divert).ok);
    FirewallRule accept;
    accept.SetSource(Ipv4Address("192.168.7.7"), Ipv4Mask("255.255.0.0"), true);
    accept.SetTos(0xFF, 0x10);
    accept.SetTarget(FirewallRule::ACCEPT);
    BOOST_TEST(typed->AppendRule("web", accept).ok);
    FirewallRule frag;
    frag.SetFragment(FirewallRule::SET);
    frag.SetTarget(FirewallRule::DENY);
    BOOST_TEST(typed->AppendRule("web", frag).ok);
    BOOST_TEST(typed->SetPolicy("output", "REJECT").ok);

    Run({"-N web",
         "-A input -p tcp -d 10.0.0.1 80 -j web",
         "-I input -p icmp --icmp-type 8 -i eth+ -l -m +2 -j DIVERT 4321",
         "-A web -s ! 192.168.0.0/16 -t 0xFF 0x10 -j ACCEPT",
         "-A web -f -j DENY",
         "-P output REJECT"});
    BOOST_TEST(typed->List("", true, false, true, true) == Out("-L -v -x --line-numbers"));
    for (uint32_t n = 1; n <= 2; n++)
    {
        BOOST_TEST(typed->GetRule("input", n)->ToString() == fw->GetRule("input", n)->ToString());
    }
}

BOOST_AUTO_TEST_CASE(same_commands_same_packets_same_results)
{
    Ptr<Ipchains> other = CreateObject<Ipchains>();
    const char* rules[] = {"-N b",
                           "-N a",
                           "-A input -p udp -j b",
                           "-A b -p udp --dport 1:10 -j a",
                           "-A a -m +1 -l",
                           "-A b -j DENY"};
    for (const char* r : rules)
    {
        BOOST_TEST(fw->Execute(r).ok);
        BOOST_TEST(other->Execute(r).ok);
    }
    for (uint16_t port = 0; port < 20; port++)
    {
        FirewallPacket p = Pkt(UDP, "1.1.1.1", 5, "2.2.2.2", port, "eth0", 100 + port);
        FirewallPacket q = p;
        Ipchains::Verdict a = fw->Evaluate(Ipchains::INPUT, p, options);
        Ipchains::Verdict b = other->Evaluate(Ipchains::INPUT, q, options);
        BOOST_TEST(a.action == b.action);
        BOOST_TEST(Str(a.position) == Str(b.position));
        BOOST_TEST(a.mark == b.mark);
    }
    BOOST_TEST(fw->List("", true, true, true, true) == other->List("", true, true, true, true));
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// Match options

BOOST_FIXTURE_TEST_SUITE(matching, Fixture)

BOOST_AUTO_TEST_CASE(protocol)
{
    FirewallPacket tcp = Pkt(TCP, "1.1.1.1", 1, "2.2.2.2", 2);
    FirewallPacket udp = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    FirewallPacket gre = Pkt(47, "1.1.1.1", 0, "2.2.2.2", 0);
    gre.hasPorts = false;
    BOOST_TEST(Matches("", tcp));
    BOOST_TEST(Matches("-p all", gre));
    BOOST_TEST(Matches("-p tcp", tcp));
    BOOST_TEST(!Matches("-p tcp", udp));
    BOOST_TEST(Matches("-p 47", gre));
    BOOST_TEST(!Matches("-p ! tcp", tcp));
    BOOST_TEST(Matches("-p ! tcp", udp));
    BOOST_TEST(Matches("-p ! tcp", gre));
}

BOOST_AUTO_TEST_CASE(addresses_masks_and_inversion)
{
    FirewallPacket p = Pkt(UDP, "10.1.2.3", 1, "192.168.5.6", 2);
    BOOST_TEST(Matches("-s 10.1.2.3", p));
    BOOST_TEST(!Matches("-s 10.1.2.4", p));
    BOOST_TEST(Matches("-s 10.0.0.0/8", p));
    BOOST_TEST(Matches("-s 10.1.0.0/255.255.0.0", p));
    BOOST_TEST(!Matches("-s 10.2.0.0/16", p));
    BOOST_TEST(Matches("-s 10.0.2.0/255.0.255.0", p)); // non-contiguous mask
    BOOST_TEST(Matches("-s 0/0", p));
    BOOST_TEST(!Matches("-s ! 10.0.0.0/8", p));
    BOOST_TEST(Matches("-s ! 11.0.0.0/8", p));
    BOOST_TEST(Matches("-d 192.168.0.0/16", p));
    BOOST_TEST(!Matches("-d ! 192.168.0.0/16", p));
    BOOST_TEST(!Matches("-d 192.168.5.7", p));
    BOOST_TEST(Matches("-s 10.1.2.3 -d 192.168.5.6", p));
}

BOOST_AUTO_TEST_CASE(ports_ranges_and_inversion)
{
    FirewallPacket p = Pkt(TCP, "1.1.1.1", 1025, "2.2.2.2", 80);
    BOOST_TEST(Matches("-p tcp --dport 80", p));
    BOOST_TEST(Matches("-p tcp --dport www", p));
    BOOST_TEST(!Matches("-p tcp --dport 81", p));
    BOOST_TEST(Matches("-p tcp --dport 1:80", p));
    BOOST_TEST(Matches("-p tcp --dport 80:", p));
    BOOST_TEST(!Matches("-p tcp --dport :79", p));
    BOOST_TEST(Matches("-p tcp --sport 1024:65535", p));
    BOOST_TEST(!Matches("-p tcp --sport ! 1024:65535", p));
    BOOST_TEST(Matches("-p tcp --dport ! 22", p));
    BOOST_TEST(Matches("-p tcp -s 1.1.1.1 1025 -d 2.2.2.2 80", p));
    BOOST_TEST(!Matches("-p tcp --dport 90:70", p)); // reversed: never matches
    BOOST_TEST(!Matches("-p udp --dport 80", p));
}

BOOST_AUTO_TEST_CASE(icmp_type_and_code)
{
    FirewallPacket ping = Pkt(ICMP, "1.1.1.1", 8, "2.2.2.2", 0);
    FirewallPacket unreach = Pkt(ICMP, "2.2.2.2", 3, "1.1.1.1", 3);
    BOOST_TEST(Matches("-p icmp --icmp-type echo-request", ping));
    BOOST_TEST(!Matches("-p icmp --icmp-type echo-reply", ping));
    BOOST_TEST(Matches("-p icmp --icmp-type destination-unreachable", unreach));
    BOOST_TEST(Matches("-p icmp --icmp-type port-unreachable", unreach));
    BOOST_TEST(!Matches("-p icmp --icmp-type host-unreachable", unreach));
    BOOST_TEST(Matches("-p icmp -s 0/0 3 -d 0/0 3", unreach));
    BOOST_TEST(!Matches("-p icmp -s 0/0 3 -d 0/0 1", unreach));
    BOOST_TEST(Matches("-p icmp --icmp-type ! 8", unreach));
    BOOST_TEST(!Matches("-p icmp --icmp-type ! 8", ping));
}

BOOST_AUTO_TEST_CASE(interfaces_and_wildcards)
{
    FirewallPacket eth0 = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2, "eth0");
    FirewallPacket eth12 = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2, "eth12");
    FirewallPacket lo = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2, "lo");
    FirewallPacket named = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2, "uplink"); // ns-3 Names
    BOOST_TEST(Matches("-i eth0", eth0));
    BOOST_TEST(!Matches("-i eth0", eth12));
    BOOST_TEST(!Matches("-i eth", eth0)); // no '+': the whole name
    BOOST_TEST(Matches("-i eth+", eth0));
    BOOST_TEST(Matches("-i eth+", eth12));
    BOOST_TEST(!Matches("-i eth+", lo));
    BOOST_TEST(Matches("-i eth1+", eth12));
    BOOST_TEST(Matches("-i ! eth+", lo));
    BOOST_TEST(!Matches("-i ! eth+", eth0));
    BOOST_TEST(Matches("-i ! eth0", eth12));
    BOOST_TEST(Matches("-i +", lo)); // an empty prefix: every interface
    BOOST_TEST(Matches("-i lo", lo));
    BOOST_TEST(Matches("-i uplink", named));
    BOOST_TEST(Matches("-i up+", named));
    BOOST_TEST(Matches("", named));
}

BOOST_AUTO_TEST_CASE(fragment_flag)
{
    FirewallPacket first = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    FirewallPacket later = Fragment(UDP, "1.1.1.1", "2.2.2.2");
    BOOST_TEST(Matches("-f", later));
    BOOST_TEST(!Matches("-f", first));
    BOOST_TEST(Matches("! -f", first));
    BOOST_TEST(!Matches("! -f", later));
    BOOST_TEST(Matches("-p udp -f", later));
    BOOST_TEST(Matches("", later));
}

BOOST_AUTO_TEST_CASE(syn_flag)
{
    FirewallPacket syn = Pkt(TCP, "1.1.1.1", 1025, "2.2.2.2", 80);
    syn.syn = true;
    FirewallPacket ack = Pkt(TCP, "1.1.1.1", 1025, "2.2.2.2", 80);
    BOOST_TEST(Matches("-p tcp -y", syn));
    BOOST_TEST(!Matches("-p tcp -y", ack));
    BOOST_TEST(Matches("-p tcp ! -y", ack));
    BOOST_TEST(!Matches("-p tcp ! -y", syn));
    BOOST_TEST(Matches("-p tcp -y --dport 80", syn));
}

BOOST_AUTO_TEST_CASE(fragments_never_match_port_icmp_or_syn_rules)
{
    FirewallPacket tcp = Fragment(TCP, "1.1.1.1", "2.2.2.2");
    FirewallPacket icmp = Fragment(ICMP, "1.1.1.1", "2.2.2.2");
    // Linux 2.2 ip_fw.c: a non-first fragment carries no ports, type or
    // SYN flag, so no rule that asks for them matches it, even inverted.
    BOOST_TEST(!Matches("-p tcp --dport 80", tcp));
    BOOST_TEST(!Matches("-p tcp --dport ! 80", tcp));
    BOOST_TEST(!Matches("-p tcp --sport 0:1023", tcp));
    BOOST_TEST(!Matches("-p tcp -y", tcp));
    BOOST_TEST(!Matches("-p tcp ! -y", tcp));
    BOOST_TEST(!Matches("-p icmp --icmp-type echo-request", icmp));
    BOOST_TEST(!Matches("-p icmp --icmp-type ! 8", icmp));
    BOOST_TEST(!Matches("-p icmp -s 0/0 0:255", icmp));
    BOOST_TEST(Matches("-p tcp", tcp));
    BOOST_TEST(Matches("-p icmp", icmp));
    BOOST_TEST(Matches("-p tcp -s 1.1.1.1 -d 2.2.2.2 -i eth0", tcp));
    // A first fragment too short to show its ports is treated the same way.
    FirewallPacket tiny = Pkt(TCP, "1.1.1.1", 0, "2.2.2.2", 0);
    tiny.hasPorts = false;
    BOOST_TEST(!Matches("-p tcp --dport 0:1023", tiny));
    BOOST_TEST(!Matches("-p tcp ! -y", tiny));
    BOOST_TEST(Matches("-p tcp ! -f", tiny));
    // The -f rule a Linux 2.2 user writes to stop later fragments works.
    Run({"-F input",
         "-P input ACCEPT",
         "-A input -p tcp --dport 23 -j DENY",
         "-A input -p tcp -f -d 2.2.2.2 -j DENY"});
    BOOST_TEST(In(tcp) == Ipchains::Verdict::DENY);
    BOOST_TEST(Str(Eval(Ipchains::INPUT, tcp).position) == "input:2");
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 0u);
}

BOOST_AUTO_TEST_CASE(tos_masks_change_the_packet)
{
    Run({"-A output -p udp -t 0x01 0x10", "-A output -p udp -t 0xFF 0x08 -j ACCEPT"});
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    p.tos = 0x04;
    Ipchains::Verdict v = fw->Evaluate(Ipchains::OUTPUT, p, options);
    // (0x04 & 0x01) ^ 0x10 = 0x10, then (0x10 & 0xFF) ^ 0x08 = 0x18.
    BOOST_TEST(v.action == Ipchains::Verdict::ACCEPT);
    BOOST_TEST(p.tos == 0x18);
    // -C leaves the packet alone.
    FirewallPacket q = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    q.tos = 0x04;
    BOOST_TEST(fw->Check("output", q).output == "accepted\n");
    BOOST_TEST(q.tos == 0x04);
}

BOOST_AUTO_TEST_CASE(marks_set_add_and_subtract)
{
    Run({"-A input -p udp -m 100",
         "-A input -p udp --dport 2 -m +5",
         "-A input -p udp -m -1",
         "-A input -p udp --dport 3 -m 7 -j DENY"});
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    p.mark = 42;
    Ipchains::Verdict v = fw->Evaluate(Ipchains::INPUT, p, options);
    BOOST_TEST(v.mark == 104u);
    BOOST_TEST(p.mark == 104u);
    BOOST_TEST(v.action == Ipchains::Verdict::ACCEPT);
    FirewallPacket q = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 3);
    v = fw->Evaluate(Ipchains::INPUT, q, options);
    BOOST_TEST(v.mark == 7u);
    BOOST_TEST(v.action == Ipchains::Verdict::DENY);
    // Subtraction wraps like the kernel's 32-bit mark.
    Run({"-F input", "-A input -m -3"});
    FirewallPacket r = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 3);
    r.mark = 1;
    BOOST_TEST(fw->Evaluate(Ipchains::INPUT, r, options).mark == 0xFFFFFFFEu);
}

BOOST_AUTO_TEST_CASE(log_rules_fire_the_trace_source)
{
    BOOST_TEST(fw->TraceConnectWithoutContext("Log", MakeCallback(&LogSink)));
    Run({"-N sub",
         "-A input -p udp -l -m 9",
         "-A input -j sub",
         "-A sub -l -j RETURN",
         "-A input -p tcp -l",
         "-A input -l -j ACCEPT"});
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    p.mark = 1;
    Ipchains::Verdict v = fw->Evaluate(Ipchains::INPUT, p, options);
    BOOST_TEST(Str(v.logged) == "input:1 sub:1 input:4");
    BOOST_REQUIRE(g_logs.size() == 3u);
    BOOST_TEST(g_logs[0].chain == "input");
    BOOST_TEST(g_logs[0].rule == 1u);
    BOOST_TEST(g_logs[0].packet.mark == 1u); // logged before the rule's -m
    BOOST_TEST(g_logs[1].chain == "sub");
    BOOST_TEST(g_logs[1].packet.mark == 9u);
    BOOST_TEST(g_logs[2].rule == 4u);
    // -C never logs.
    g_logs.clear();
    BOOST_TEST(Out("-C input -p udp -s 1.1.1.1 1 -d 2.2.2.2 2 -i eth0") == "accepted\n");
    BOOST_TEST(g_logs.empty());
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// Targets, chains, verdicts

BOOST_FIXTURE_TEST_SUITE(targets, Fixture)

BOOST_AUTO_TEST_CASE(every_target)
{
    Run({"-A input -p udp --dport 1 -j ACCEPT",
         "-A input -p udp --dport 2 -j DENY",
         "-A input -p udp --dport 3 -j REJECT",
         "-A input -p udp --dport 4 -j REDIRECT 8080",
         "-A input -p udp --dport 5 -j REDIRECT",
         "-A input -p udp --dport 6 -j DIVERT 6000",
         "-A forward -p udp --dport 7 -j MASQ",
         "-P input DENY",
         "-P forward DENY"});
    auto at = [this](uint16_t port) {
        return Eval(Ipchains::INPUT, Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", port));
    };
    BOOST_TEST(at(1).action == Ipchains::Verdict::ACCEPT);
    BOOST_TEST(Str(at(1).position) == "input:1");
    BOOST_TEST(at(2).action == Ipchains::Verdict::DENY);
    BOOST_TEST(at(3).action == Ipchains::Verdict::REJECT);
    BOOST_TEST(at(4).action == Ipchains::Verdict::REDIRECT);
    BOOST_TEST(at(4).port == 8080);
    BOOST_TEST(at(5).action == Ipchains::Verdict::REDIRECT);
    BOOST_TEST(at(5).port == 0);
    BOOST_TEST(at(6).action == Ipchains::Verdict::DIVERT);
    BOOST_TEST(at(6).port == 6000);
    BOOST_TEST(Str(at(6).position) == "input:6");
    Ipchains::Verdict masq = Eval(Ipchains::FORWARD, Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 7));
    BOOST_TEST(masq.action == Ipchains::Verdict::MASQ);
    BOOST_TEST(Ipchains::ActionToString(masq.action) == "MASQ");
    BOOST_TEST(at(9).action == Ipchains::Verdict::DENY);
    BOOST_TEST(at(9).position.empty());
}

BOOST_AUTO_TEST_CASE(rule_without_target_counts_and_goes_on)
{
    Run({"-A input -p udp", "-A input -s 1.1.1.1", "-A input -p udp -j DENY"});
    Ipchains::Verdict v = Eval(Ipchains::INPUT, Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 1, "eth0", 33));
    BOOST_TEST(v.action == Ipchains::Verdict::DENY);
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 1u);
    BOOST_TEST(fw->GetRule("input", 1)->GetBytes() == 33u);
    BOOST_TEST(fw->GetRule("input", 2)->GetPackets() == 1u);
    BOOST_TEST(fw->GetRule("input", 3)->GetPackets() == 1u);
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::INPUT) == 0u);
}

BOOST_AUTO_TEST_CASE(user_chains_jump_return_and_fall_off)
{
    Run({"-N web",
         "-N deep",
         "-A input -p tcp --dport 80 -j web",    // input:1
         "-A input -p tcp -j DENY",              // input:2
         "-A web -s 10.0.0.0/8 -j RETURN",       // web:1
         "-A web -j deep",                       // web:2
         "-A web -j REJECT",                     // web:3
         "-A deep -s 192.168.0.0/16 -j ACCEPT",  // deep:1
         "-A deep -s 172.16.0.0/12 -j RETURN"}); // deep:2
    Ipchains::Verdict lan = Eval(Ipchains::INPUT, Pkt(TCP, "192.168.1.1", 1, "9.9.9.9", 80));
    BOOST_TEST(lan.action == Ipchains::Verdict::ACCEPT);
    BOOST_TEST(Str(lan.position) == "input:1 web:2 deep:1");
    // RETURN from web: back to input after the jump.
    Ipchains::Verdict ten = Eval(Ipchains::INPUT, Pkt(TCP, "10.1.1.1", 1, "9.9.9.9", 80));
    BOOST_TEST(ten.action == Ipchains::Verdict::DENY);
    BOOST_TEST(Str(ten.position) == "input:2");
    // RETURN from deep, and falling off deep: both go on in web.
    Ipchains::Verdict dmz = Eval(Ipchains::INPUT, Pkt(TCP, "172.16.1.1", 1, "9.9.9.9", 80));
    BOOST_TEST(dmz.action == Ipchains::Verdict::REJECT);
    BOOST_TEST(Str(dmz.position) == "input:1 web:3");
    Ipchains::Verdict far = Eval(Ipchains::INPUT, Pkt(TCP, "8.8.8.8", 1, "9.9.9.9", 80));
    BOOST_TEST(Str(far.position) == "input:1 web:3");
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 4u);
    BOOST_TEST(fw->GetRule("web", 2)->GetPackets() == 3u);
    BOOST_TEST(fw->GetRule("deep", 2)->GetPackets() == 1u);
    // A user chain may be entered from several places.
    Run({"-A output -j deep"});
    BOOST_TEST(Str(Eval(Ipchains::OUTPUT, Pkt(TCP, "192.168.1.1", 1, "9.9.9.9", 80)).position) ==
               "output:1 deep:1");
}

BOOST_AUTO_TEST_CASE(check_answers_with_a_bare_verdict)
{
    Run({"-N sub",
         "-A input -p udp --dport 1 -j ACCEPT",
         "-A input -p udp --dport 2 -j DENY",
         "-A input -p udp --dport 3 -j REJECT",
         "-A input -p tcp --dport 4 -j REDIRECT 3128",
         "-A input -p udp --dport 5 -j DIVERT 5000",
         "-A input -p udp --dport 6 -j sub",
         "-A forward -p udp -j MASQ",
         "-A sub -p udp --sport 7 -j ACCEPT",
         "-P input REJECT"});
    In(Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 1));
    std::string before = Out("-L -v -x");
    auto check = [this](const std::string& chain, const std::string& proto, int sport, int dport) {
        return Out("ipchains -C " + chain + " -p " + proto + " -s 1.1.1.1 " +
                   std::to_string(sport) + " -d 2.2.2.2 " + std::to_string(dport) + " -i eth0");
    };
    BOOST_TEST(check("input", "udp", 9, 1) == "accepted\n");
    BOOST_TEST(check("input", "udp", 9, 2) == "denied\n");
    BOOST_TEST(check("input", "udp", 9, 3) == "rejected\n");
    BOOST_TEST(check("input", "tcp", 9, 4) == "redirected\n");
    BOOST_TEST(check("input", "udp", 9, 5) == "diverted\n");
    BOOST_TEST(check("forward", "udp", 9, 5) == "masqueraded\n");
    BOOST_TEST(check("input", "udp", 7, 6) == "accepted\n");
    BOOST_TEST(check("input", "udp", 8, 6) == "rejected\n"); // policy
    BOOST_TEST(check("sub", "udp", 8, 6) == "passed through chain\n");
    BOOST_TEST(check("sub", "udp", 7, 6) == "accepted\n");
    BOOST_TEST(check("output", "udp", 7, 6) == "accepted\n");
    BOOST_TEST(Out("-C input -p udp -s 1.1.1.1 -d 2.2.2.2 -i eth0 -f") == "rejected\n");
    BOOST_TEST(Out("-C input -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type ping -i eth0") ==
               "rejected\n");
    // The typed door gives the same answer, and neither counts.
    BOOST_TEST(fw->Check("input", Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 3)).output == "rejected\n");
    BOOST_TEST(!fw->Check("nochain", Pkt(UDP, "1.1.1.1", 9, "2.2.2.2", 3)).ok);
    BOOST_TEST(Out("-L -v -x") == before);
}

BOOST_AUTO_TEST_CASE(loops_are_refused_or_caught)
{
    Run({"-N a", "-N b", "-A input -p udp -j a", "-A a -j b"});
    BOOST_TEST(fw->Execute("-A b -j a").error == "jump to `a' would create a loop: b -> a -> b");
    // With RefuseLoops off the jump goes in, as with the Linux 2.2 kernel,
    // and a packet that walks into the loop is denied.
    fw->SetAttribute("RefuseLoops", BooleanValue(false));
    Run({"-A b -j a", "-P input ACCEPT"});
    Ipchains::Verdict v = Eval(Ipchains::INPUT, Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2));
    BOOST_TEST(v.action == Ipchains::Verdict::DENY);
    BOOST_TEST(v.loop);
    BOOST_TEST(Str(v.position) == "input:1 a:1 b:1");
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::INPUT) == 0u);
    BOOST_TEST(Out("-C input -p udp -s 1.1.1.1 1 -d 2.2.2.2 2 -i eth0") == "caught in loop\n");
    BOOST_TEST(Out("-C input -p tcp -s 1.1.1.1 1 -d 2.2.2.2 2 -i eth0") == "accepted\n");
    fw->SetAttribute("RefuseLoops", BooleanValue(true));
    BOOST_TEST(!fw->Execute("-A a -j a").ok);
}

BOOST_AUTO_TEST_CASE(divert_refused_when_divert_sockets_are_off)
{
    Run({"-A input -p icmp -j DIVERT 1000"});
    BooleanValue allowed;
    fw->GetAttribute("DivertAllowed", allowed);
    BOOST_TEST(allowed.Get());
    fw->SetAttribute("DivertAllowed", BooleanValue(false));
    BOOST_TEST(!fw->IsDivertAllowed());
    std::string before = Out("-L -v -x");
    Ipchains::Result r = fw->Execute("-A input -p udp -j DIVERT 2000");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.error == "No target by that name (divert sockets are disabled on this node: "
                          "DIVERT is refused)");
    FirewallRule rule;
    rule.SetDivert(2000);
    BOOST_TEST(fw->AppendRule("input", rule).error == r.error);
    BOOST_TEST(fw->ReplaceRule("input", 1, rule).error == r.error);
    BOOST_TEST(Out("-L -v -x") == before);
    // A rule already in place stays; it can still be deleted.
    BOOST_TEST(Eval(Ipchains::INPUT, Pkt(ICMP, "1.1.1.1", 8, "2.2.2.2", 0)).action ==
               Ipchains::Verdict::DIVERT);
    Run({"-D input -p icmp -j DIVERT 1000"});
    fw->SetDivertAllowed(true);
    Run({"-A input -p udp -j DIVERT 2000"});
}

BOOST_AUTO_TEST_CASE(divert_listener_and_pass_through)
{
    Run({"-A input -p udp -j DIVERT 1000", "-A input -p udp -j DENY"});
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    // Nobody listens, no pass-through: DIVERT anyway (the stack drops it).
    Ipchains::Verdict v = Eval(Ipchains::INPUT, p);
    BOOST_TEST(v.action == Ipchains::Verdict::DIVERT);
    BOOST_TEST(v.port == 1000);
    // Pass-through: as if the rule had not matched; it still counts.
    options.passThrough = true;
    v = Eval(Ipchains::INPUT, p);
    BOOST_TEST(v.action == Ipchains::Verdict::DENY);
    BOOST_TEST(Str(v.position) == "input:2");
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 2u);
    // A listener on another port does not help; one on the port does.
    options.divertListener = [](uint16_t port) { return port == 999; };
    BOOST_TEST(Eval(Ipchains::INPUT, p).action == Ipchains::Verdict::DENY);
    options.divertListener = [](uint16_t port) { return port == 1000; };
    v = Eval(Ipchains::INPUT, p);
    BOOST_TEST(v.action == Ipchains::Verdict::DIVERT);
    BOOST_TEST(Str(v.position) == "input:1");
}

BOOST_AUTO_TEST_CASE(resume_after_a_diversion)
{
    Run({"-N sub",
         "-A input -p udp -j sub",         // input:1
         "-A input -p udp -m +10",         // input:2
         "-A input -p udp -j DIVERT 3000", // input:3
         "-A sub -p udp -m +1",            // sub:1
         "-A sub -p udp -j DIVERT 1000",   // sub:2
         "-A sub -p udp -m +2",            // sub:3
         "-A sub -p udp -j DIVERT 2000",   // sub:4
         "-P input REJECT"});
    options.divertListener = [](uint16_t) { return true; };
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    Ipchains::Verdict v = fw->Evaluate(Ipchains::INPUT, p, options);
    BOOST_TEST(v.port == 1000);
    BOOST_TEST(Str(v.position) == "input:1 sub:2");
    BOOST_TEST(v.mark == 1u);

    std::vector<Ipchains::Frame> at = v.position;
    Ipchains::EvaluateOptions resume = options;
    resume.resumeAfter = &at;
    v = fw->Evaluate(Ipchains::INPUT, p, resume); // the rule after sub:2
    BOOST_TEST(v.port == 2000);
    BOOST_TEST(Str(v.position) == "input:1 sub:4");
    BOOST_TEST(v.mark == 3u);

    at = v.position; // sub ends: on after the jump in input
    v = fw->Evaluate(Ipchains::INPUT, p, resume);
    BOOST_TEST(v.port == 3000);
    BOOST_TEST(Str(v.position) == "input:3");
    BOOST_TEST(v.mark == 13u);

    at = v.position; // input ends: the policy
    v = fw->Evaluate(Ipchains::INPUT, p, resume);
    BOOST_TEST(v.action == Ipchains::Verdict::REJECT);
    BOOST_TEST(v.position.empty());

    // Each rule counted the packet once.
    BOOST_TEST(fw->GetRule("input", 1)->GetPackets() == 1u);
    BOOST_TEST(fw->GetRule("sub", 1)->GetPackets() == 1u);
    BOOST_TEST(fw->GetRule("sub", 3)->GetPackets() == 1u);
    BOOST_TEST(fw->GetRule("input", 3)->GetPackets() == 1u);
    BOOST_TEST(fw->GetPolicyPackets(Ipchains::INPUT) == 1u);
}

BOOST_AUTO_TEST_CASE(resume_when_the_chains_changed)
{
    Run({"-N sub",
         "-A input -p udp -j sub",
         "-A input -p udp -j DENY",
         "-A sub -p udp -j DIVERT 1000",
         "-A sub -p udp -j ACCEPT"});
    options.divertListener = [](uint16_t) { return true; };
    FirewallPacket p = Pkt(UDP, "1.1.1.1", 1, "2.2.2.2", 2);
    Ipchains::EvaluateOptions resume = options;
    std::vector<Ipchains::Frame> at = {{"input", 1}, {"sub", 1}};
    resume.resumeAfter = &at;
    BOOST_TEST(Str(fw->Evaluate(Ipchains::INPUT, p, resume).position) == "input:1 sub:2");
    // The jump rule was replaced: the frame of sub no longer holds, so the
    // walk goes on after input:1.
    Run({"-R input 1 -p udp"});
    BOOST_TEST(Str(fw->Evaluate(Ipchains::INPUT, p, resume).position) == "input:2");
    // A rule number past the end of the chain: the chain has ended.
    at = {{"input", 7}};
    BOOST_TEST(fw->Evaluate(Ipchains::INPUT, p, resume).position.empty());
    // A resume point from another hook: walk from the top.
    at = {{"output", 1}};
    BOOST_TEST(Str(fw->Evaluate(Ipchains::INPUT, p, resume).position) == "input:2");
    at = {{"input", 0}};
    BOOST_TEST(Str(fw->Evaluate(Ipchains::INPUT, p, resume).position) == "input:2");
}

BOOST_AUTO_TEST_SUITE_END()

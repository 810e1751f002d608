/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The ipchains command-line language: what is accepted and what it means,
// and for every kind of mistake the exact ipchains message and tables left
// byte for byte as they were.

// clang-format off
#define BOOST_TEST_MODULE divert_parser_test
#include <boost/test/unit_test.hpp>
// clang-format on

#include "ns3/firewall-packet.h"
#include "ns3/firewall-rule.h"
#include "ns3/ipchains-names.h"
#include "ns3/ipchains-parser.h"
#include "ns3/ipchains.h"

#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * \brief Parse a line that must be accepted.
 * \param line the command line
 * \return the command
 */
IpchainsCommand
MustParse(const std::string& line)
{
    IpchainsCommand command;
    std::string error;
    bool ok = IpchainsParser::Parse(line, command, error);
    BOOST_TEST(ok, "refused: " << line << ": " << error);
    return command;
}

/**
 * \brief The parser's error for a line that must be refused.
 * \param line the command line
 * \return the message
 */
std::string
ParseError(const std::string& line)
{
    IpchainsCommand command;
    std::string error;
    bool ok = IpchainsParser::Parse(line, command, error);
    BOOST_TEST(!ok, "accepted: " << line);
    return error;
}

/**
 * \brief Tables with some of everything: user chains, rules of several
 * kinds, a policy, and non-zero counters, so that a refused command that
 * touched anything would show in the listing.
 */
struct RefusalFixture
{
    Ptr<Ipchains> fw; //!< the firewall

    RefusalFixture()
        : fw(CreateObject<Ipchains>())
    {
        const char* setup[] = {
            "ipchains -N web",
            "ipchains -N log",
            "ipchains -A input -p tcp -d 10.0.0.1 80 -j web",
            "ipchains -A input -p icmp -j DIVERT 4321",
            "ipchains -A web -s 192.168.0.0/16 -j ACCEPT",
            "ipchains -A web -j log",
            "ipchains -A log -l",
            "ipchains -A forward -i eth+ -j MASQ",
            "ipchains -P output REJECT",
        };
        for (const char* line : setup)
        {
            Ipchains::Result r = fw->Execute(line);
            BOOST_REQUIRE_MESSAGE(r.ok, line << ": " << r.error);
        }
        FirewallPacket p;
        p.protocol = 6;
        p.source = Ipv4Address("192.168.1.1");
        p.destination = Ipv4Address("10.0.0.1");
        p.hasPorts = true;
        p.sourcePort = 1025;
        p.destinationPort = 80;
        p.interface = "eth0";
        p.size = 60;
        Ipchains::EvaluateOptions options;
        fw->Evaluate(Ipchains::INPUT, p, options);
        fw->Evaluate(Ipchains::OUTPUT, p, options);
    }

    /**
     * \brief The listing a refused command must leave untouched.
     * \return `ipchains -L -v -x`
     */
    std::string Tables()
    {
        Ipchains::Result r = fw->Execute("ipchains -L -v -x");
        BOOST_REQUIRE(r.ok);
        return r.output;
    }

    /**
     * \brief Run a command that must be refused with exactly `message`,
     * changing nothing.
     * \param line the command line
     * \param message the expected error
     */
    void Refused(const std::string& line, const std::string& message)
    {
        std::string before = Tables();
        Ipchains::Result r = fw->Execute(line);
        BOOST_TEST(!r.ok, "accepted: " << line);
        BOOST_TEST(r.error == message, line << ": got \"" << r.error << "\"");
        BOOST_TEST(r.output.empty());
        BOOST_TEST(Tables() == before, "tables changed by: " << line);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(accepted_language)

BOOST_AUTO_TEST_CASE(leading_program_word_is_optional)
{
    BOOST_TEST(IpchainsParser::Tokenize("ipchains -L") == std::vector<std::string>({"-L"}));
    BOOST_TEST(IpchainsParser::Tokenize("/sbin/ipchains  -L\t-n ") ==
               std::vector<std::string>({"-L", "-n"}));
    BOOST_TEST(IpchainsParser::Tokenize("-A input") == std::vector<std::string>({"-A", "input"}));
    BOOST_TEST(MustParse("-L").kind == IpchainsCommand::LIST);
}

BOOST_AUTO_TEST_CASE(every_command_kind)
{
    BOOST_TEST(MustParse("-A input").kind == IpchainsCommand::APPEND);
    IpchainsCommand insert = MustParse("-I input");
    BOOST_TEST(insert.kind == IpchainsCommand::INSERT);
    BOOST_TEST(insert.ruleNumber == 1u); // ipchains(8): default 1
    BOOST_TEST(MustParse("-I input 3").ruleNumber == 3u);
    BOOST_TEST(MustParse("-D input -p tcp").kind == IpchainsCommand::DELETE);
    IpchainsCommand deleteNum = MustParse("-D input 2");
    BOOST_TEST(deleteNum.kind == IpchainsCommand::DELETE_NUM);
    BOOST_TEST(deleteNum.ruleNumber == 2u);
    IpchainsCommand replace = MustParse("-R input 4 -j DENY");
    BOOST_TEST(replace.kind == IpchainsCommand::REPLACE);
    BOOST_TEST(replace.ruleNumber == 4u);
    BOOST_TEST(MustParse("-F").kind == IpchainsCommand::FLUSH);
    BOOST_TEST(MustParse("-F").chain == "");
    BOOST_TEST(MustParse("-F input").chain == "input");
    BOOST_TEST(MustParse("-Z output").kind == IpchainsCommand::ZERO);
    BOOST_TEST(MustParse("-N mine").kind == IpchainsCommand::NEW_CHAIN);
    BOOST_TEST(MustParse("-X").kind == IpchainsCommand::DELETE_CHAIN);
    BOOST_TEST(MustParse("-X mine").chain == "mine");
    IpchainsCommand policy = MustParse("-P forward DENY");
    BOOST_TEST(policy.kind == IpchainsCommand::SET_POLICY);
    BOOST_TEST(policy.policy == "DENY");
    BOOST_TEST(MustParse("-C input -p udp -s 1.1.1.1 5 -d 2.2.2.2 53 -i eth0").kind ==
               IpchainsCommand::CHECK);
    BOOST_TEST(MustParse("-V").kind == IpchainsCommand::VERSION);
    BOOST_TEST(MustParse("-h").kind == IpchainsCommand::HELP);
    BOOST_TEST(MustParse("-h icmp").icmpHelp);
}

BOOST_AUTO_TEST_CASE(list_flags_and_list_with_zero)
{
    IpchainsCommand c = MustParse("-L input -v -n -x --line-numbers");
    BOOST_TEST(c.kind == IpchainsCommand::LIST);
    BOOST_TEST(c.chain == "input");
    BOOST_TEST((c.verbose && c.numeric && c.exact && c.lineNumbers));
    BOOST_TEST(!c.zero);
    IpchainsCommand lz = MustParse("-L -Z");
    BOOST_TEST(lz.kind == IpchainsCommand::LIST);
    BOOST_TEST(lz.zero);
    BOOST_TEST(MustParse("-Z -L").zero);
}

BOOST_AUTO_TEST_CASE(bundled_attached_and_long_options)
{
    IpchainsCommand c = MustParse("-nvxL");
    BOOST_TEST((c.kind == IpchainsCommand::LIST && c.numeric && c.verbose && c.exact));
    IpchainsCommand a = MustParse("-Ainput -ptcp -s10.0.0.0/8 -jACCEPT");
    BOOST_TEST(a.chain == "input");
    BOOST_TEST(a.rule.GetProtocol() == 6);
    BOOST_TEST(a.rule.GetSource() == Ipv4Address("10.0.0.0"));
    BOOST_TEST(a.rule.GetTarget() == FirewallRule::ACCEPT);
    IpchainsCommand l = MustParse("--append input --protocol udp --destination-port=53 "
                                  "--jump DENY --interface eth0 --log");
    BOOST_TEST(l.rule.GetProtocol() == 17);
    BOOST_TEST(l.rule.GetDestinationPortMin() == 53);
    BOOST_TEST(l.rule.GetDestinationPortMax() == 53);
    BOOST_TEST(l.rule.GetInterface() == "eth0");
    BOOST_TEST(l.rule.GetLog());
    // Any unique prefix of a long option will do (ipchains(8)).
    IpchainsCommand p = MustParse("--app input --proto tcp --dport 80 --syn --ju REJECT");
    BOOST_TEST(p.rule.GetSyn() == FirewallRule::SET);
    BOOST_TEST(p.rule.GetTarget() == FirewallRule::REJECT);
    BOOST_TEST(MustParse("--list --numeric --line-numbers").lineNumbers);
    BOOST_TEST(MustParse("--new-chain abc").kind == IpchainsCommand::NEW_CHAIN);
    BOOST_TEST(MustParse("--delete-chain").kind == IpchainsCommand::DELETE_CHAIN);
    BOOST_TEST(MustParse("--policy input DENY").kind == IpchainsCommand::SET_POLICY);
    BOOST_TEST(MustParse("--src 1.2.3.4 --dst 5.6.7.8 --append input").rule.GetDestination() ==
               Ipv4Address("5.6.7.8"));
}

BOOST_AUTO_TEST_CASE(protocols_by_name_and_number)
{
    BOOST_TEST(MustParse("-A input").rule.GetProtocol() == 0);
    BOOST_TEST(MustParse("-A input -p all").rule.GetProtocol() == 0);
    BOOST_TEST(MustParse("-A input -p TCP").rule.GetProtocol() == 6);
    BOOST_TEST(MustParse("-A input -p icmp").rule.GetProtocol() == 1);
    BOOST_TEST(MustParse("-A input -p gre").rule.GetProtocol() == 47);
    BOOST_TEST(MustParse("-A input -p 89").rule.GetProtocol() == 89);
    FirewallRule inv = MustParse("-A input -p ! udp").rule;
    BOOST_TEST(inv.GetProtocol() == 17);
    BOOST_TEST(inv.IsProtocolInverted());
    BOOST_TEST(MustParse("-A input ! -p udp").rule.IsProtocolInverted());
    BOOST_TEST(IpchainsParser::ProtocolToName(6) == "tcp");
    BOOST_TEST(IpchainsParser::ProtocolToName(0) == "all");
    BOOST_TEST(IpchainsParser::ProtocolToName(253) == "253");
}

BOOST_AUTO_TEST_CASE(addresses_and_masks)
{
    FirewallRule r = MustParse("-A input -s 10.1.2.3/8 -d 192.168.7.9/255.255.0.0").rule;
    BOOST_TEST(r.GetSource() == Ipv4Address("10.0.0.0")); // stored masked
    BOOST_TEST(r.GetSourceMask() == Ipv4Mask("255.0.0.0"));
    BOOST_TEST(r.GetDestination() == Ipv4Address("192.168.0.0"));
    BOOST_TEST(r.GetDestinationMask() == Ipv4Mask("255.255.0.0"));
    FirewallRule host = MustParse("-A input -s 1.2.3.4").rule;
    BOOST_TEST(host.GetSourceMask() == Ipv4Mask("255.255.255.255"));
    FirewallRule any = MustParse("-A input -s anything/0").rule; // name ignored with /0
    BOOST_TEST(any.GetSourceMask().Get() == 0u);
    BOOST_TEST(any.GetSource() == Ipv4Address("0.0.0.0"));
    BOOST_TEST(MustParse("-A input -d localhost").rule.GetDestination() ==
               Ipv4Address("127.0.0.1"));
    FirewallRule odd = MustParse("-A input -s 1.2.3.4/255.0.255.0").rule;
    BOOST_TEST(odd.GetSource() == Ipv4Address("1.0.3.0"));
    FirewallRule inv = MustParse("-A input -s ! 10.0.0.0/8 -d ! 10.0.0.1").rule;
    BOOST_TEST(inv.IsSourceInverted());
    BOOST_TEST(inv.IsDestinationInverted());
    Ipv4Address a;
    Ipv4Mask m;
    std::string error;
    BOOST_TEST(IpchainsParser::ParseHostNetworkMask("0/0", a, m, error));
    BOOST_TEST(!IpchainsParser::ParseHostNetworkMask("1.2.3", a, m, error));
    BOOST_TEST(error == "host/network `1.2.3' not found");
}

BOOST_AUTO_TEST_CASE(ports_ranges_services_and_inversion)
{
    FirewallRule r = MustParse("-A input -p tcp -s 0/0 1024: -d 0/0 :1023").rule;
    BOOST_TEST(r.GetSourcePortMin() == 1024);
    BOOST_TEST(r.GetSourcePortMax() == 65535);
    BOOST_TEST(r.GetDestinationPortMin() == 0);
    BOOST_TEST(r.GetDestinationPortMax() == 1023);
    FirewallRule s = MustParse("-A input -p tcp --dport www --sport ftp-data:ftp").rule;
    BOOST_TEST(s.GetDestinationPortMin() == 80);
    BOOST_TEST(s.GetSourcePortMin() == 20);
    BOOST_TEST(s.GetSourcePortMax() == 21);
    BOOST_TEST(MustParse("-A input -p udp --dport domain").rule.GetDestinationPortMin() == 53);
    // Inversion in every place ipchains 1.3.9 accepts it.
    BOOST_TEST(MustParse("-A input -p tcp --sport ! 53").rule.IsSourcePortInverted());
    BOOST_TEST(MustParse("-A input -p tcp ! --sport 53").rule.IsSourcePortInverted());
    FirewallRule d = MustParse("-A input -p tcp -d 1.2.3.4 ! 80").rule;
    BOOST_TEST(d.IsDestinationPortInverted());
    BOOST_TEST(!d.IsDestinationInverted());
    FirewallRule both = MustParse("-A input -p tcp -d ! 1.2.3.4 ! 80").rule;
    BOOST_TEST(both.IsDestinationPortInverted());
    BOOST_TEST(both.IsDestinationInverted());
    // A `!` after an address that is not followed by a port applies to
    // the next option.
    FirewallRule next = MustParse("-A input -p tcp -s 1.2.3.4 ! -y").rule;
    BOOST_TEST(next.GetSyn() == FirewallRule::INVERTED);
    BOOST_TEST(!next.HasSourcePorts());
    // A reversed range is accepted (it never matches).
    FirewallRule rev = MustParse("-A input -p tcp --dport 90:80").rule;
    BOOST_TEST(rev.GetDestinationPortMin() == 90);
    BOOST_TEST(rev.GetDestinationPortMax() == 80);
}

BOOST_AUTO_TEST_CASE(icmp_types_and_codes)
{
    FirewallRule ping = MustParse("-A input -p icmp --icmp-type echo-request").rule;
    BOOST_TEST(ping.GetSourcePortMin() == 8);
    BOOST_TEST(ping.GetSourcePortMax() == 8);
    BOOST_TEST(ping.GetDestinationPortMin() == 0);
    BOOST_TEST(ping.GetDestinationPortMax() == 65535);
    FirewallRule port = MustParse("-A input -p icmp --icmp-type port-unr").rule; // a prefix
    BOOST_TEST(port.GetSourcePortMin() == 3);
    BOOST_TEST(port.GetDestinationPortMin() == 3);
    BOOST_TEST(port.GetDestinationPortMax() == 3);
    FirewallRule num = MustParse("-A input -p icmp -s 0/0 3 -d 0/0 4").rule;
    BOOST_TEST(num.GetSourcePortMin() == 3);
    BOOST_TEST(num.GetDestinationPortMin() == 4);
    BOOST_TEST(MustParse("-A input -p icmp --icmp-type ! 8").rule.IsSourcePortInverted());
    BOOST_TEST(MustParse("-A input -p icmp --icmp-type PING").rule.GetSourcePortMin() == 8);
    BOOST_TEST(IpchainsParser::IcmpToName(8, 8, 0, 65535) == "echo-request");
    BOOST_TEST(IpchainsParser::IcmpToName(3, 3, 1, 1) == "host-unreachable");
    BOOST_TEST(IpchainsParser::IcmpToName(8, 8, 0, 0) == "");
    BOOST_TEST(IpchainsParser::IcmpHelp().find("echo-request (ping)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(interface_fragment_syn_tos_log_mark)
{
    FirewallRule r = MustParse("-A input -p tcp -i ! ppp+ ! -f ! -y -t 0xFF 0x10 -l -m 0x20").rule;
    BOOST_TEST(r.GetInterface() == "ppp+");
    BOOST_TEST(r.IsInterfaceWildcard());
    BOOST_TEST(r.IsInterfaceInverted());
    BOOST_TEST(r.GetFragment() == FirewallRule::INVERTED);
    BOOST_TEST(r.GetSyn() == FirewallRule::INVERTED);
    BOOST_TEST(r.GetTosAnd() == 0xFF);
    BOOST_TEST(r.GetTosXor() == 0x10);
    BOOST_TEST(r.GetLog());
    BOOST_TEST(r.GetMarkOp() == FirewallRule::MARK_SET);
    BOOST_TEST(r.GetMarkValue() == 0x20u);
    BOOST_TEST(MustParse("-A input -f").rule.GetFragment() == FirewallRule::SET);
    FirewallRule add = MustParse("-A input -m +5").rule;
    BOOST_TEST(add.GetMarkOp() == FirewallRule::MARK_ADD);
    BOOST_TEST(add.GetMarkValue() == 5u);
    FirewallRule sub = MustParse("-A input -m -1").rule;
    BOOST_TEST(sub.GetMarkOp() == FirewallRule::MARK_ADD);
    BOOST_TEST(sub.GetMarkValue() == 0xFFFFFFFFu);
    BOOST_TEST(MustParse("-A input -m 010").rule.GetMarkValue() == 8u); // strtoul base 0
}

BOOST_AUTO_TEST_CASE(targets)
{
    BOOST_TEST(MustParse("-A input").rule.GetTarget() == FirewallRule::NONE);
    BOOST_TEST(MustParse("-A input -j ACCEPT").rule.GetTarget() == FirewallRule::ACCEPT);
    BOOST_TEST(MustParse("-A input -j DENY").rule.GetTarget() == FirewallRule::DENY);
    BOOST_TEST(MustParse("-A input -j REJECT").rule.GetTarget() == FirewallRule::REJECT);
    BOOST_TEST(MustParse("-A input -j RETURN").rule.GetTarget() == FirewallRule::RETURN);
    BOOST_TEST(MustParse("-A forward -j MASQ").rule.GetTarget() == FirewallRule::MASQ);
    FirewallRule jump = MustParse("-A input -j mychain").rule;
    BOOST_TEST(jump.GetTarget() == FirewallRule::CHAIN);
    BOOST_TEST(jump.GetTargetChain() == "mychain");
    // Target names are case-sensitive: "accept" is a chain name.
    BOOST_TEST(MustParse("-A input -j accept").rule.GetTarget() == FirewallRule::CHAIN);
    FirewallRule divert = MustParse("-A input -p icmp -j DIVERT 4321").rule;
    BOOST_TEST(divert.GetTarget() == FirewallRule::DIVERT);
    BOOST_TEST(divert.GetTargetPort() == 4321);
    FirewallRule redir = MustParse("-A input -p tcp -j REDIRECT 8080").rule;
    BOOST_TEST(redir.GetTarget() == FirewallRule::REDIRECT);
    BOOST_TEST(redir.GetTargetPort() == 8080);
    BOOST_TEST(MustParse("-A input -p tcp -j REDIRECT").rule.GetTargetPort() == 0);
    BOOST_TEST(MustParse("-A input -p tcp -j REDIRECT www").rule.GetTargetPort() == 80);
}

BOOST_AUTO_TEST_CASE(check_packet_description)
{
    IpchainsCommand c = MustParse("-C input -p tcp -s 1.2.3.4 1025 -d 5.6.7.8 80 -i eth0 -y");
    BOOST_TEST(c.packet.source == Ipv4Address("1.2.3.4"));
    BOOST_TEST(c.packet.destination == Ipv4Address("5.6.7.8"));
    BOOST_TEST(c.packet.protocol == 6);
    BOOST_TEST(c.packet.hasPorts);
    BOOST_TEST(c.packet.sourcePort == 1025);
    BOOST_TEST(c.packet.destinationPort == 80);
    BOOST_TEST(c.packet.syn);
    BOOST_TEST(!c.packet.fragment);
    BOOST_TEST(c.packet.interface == "eth0");
    IpchainsCommand f = MustParse("-C input -p udp -s 1.2.3.4 -d 5.6.7.8 -i eth0 -f");
    BOOST_TEST(f.packet.fragment);
    BOOST_TEST(!f.packet.hasPorts);
    // A named ICMP type gives its type and, for testing, its first code.
    IpchainsCommand i =
        MustParse("-C input -p icmp -s 1.2.3.4 -d 5.6.7.8 --icmp-type host-unreachable -i lo");
    BOOST_TEST(i.packet.sourcePort == 3);
    BOOST_TEST(i.packet.destinationPort == 1);
    IpchainsCommand e = MustParse("-C input -p icmp -s 1.2.3.4 -d 5.6.7.8 --icmp-type ping -i lo");
    BOOST_TEST(e.packet.sourcePort == 8);
    BOOST_TEST(e.packet.destinationPort == 0);
}

BOOST_AUTO_TEST_CASE(rule_text_round_trips)
{
    const char* rules[] = {
        "-j ACCEPT",
        "-p tcp -s 10.0.0.0/8 --sport 1024:65535 -d 192.168.1.1 --dport 80 -j ACCEPT",
        "-p ! udp -s ! 1.0.3.0/255.0.255.0 -i ! eth+ -j DENY",
        "-p tcp --dport ! 22 -i lo ! -f ! -y -t 0xFF 0x10 -l -m -7 -j REJECT",
        "-p icmp --sport 8 --dport 0 -m 4096 -j DIVERT 4321",
        "-p udp -d 10.0.0.0/16 -f -m +3",
        "-p tcp -j REDIRECT 3128",
        "-p gre -j mychain",
        "-p 253 -l",
    };
    for (const char* text : rules)
    {
        FirewallRule r = MustParse(std::string("-A input ") + text).rule;
        BOOST_TEST(r.ToString() == text);
        FirewallRule again = MustParse("-A input " + r.ToString()).rule;
        BOOST_TEST(again.IsSameRule(r), text);
        BOOST_TEST(again.GetMarkValue() == r.GetMarkValue());
        BOOST_TEST(again.GetTosXor() == r.GetTosXor());
    }
}

BOOST_AUTO_TEST_CASE(version_and_help_output)
{
    Ptr<Ipchains> fw = CreateObject<Ipchains>();
    Ipchains::Result v = fw->Execute("ipchains -V");
    BOOST_TEST(v.ok);
    BOOST_TEST(v.output.find("ipchains 1.3.9") == 0u);
    Ipchains::Result h = fw->Execute("ipchains -h");
    BOOST_TEST(h.output.find("Usage: ipchains") == 0u);
    Ipchains::Result icmp = fw->Execute("ipchains -h icmp");
    BOOST_TEST(icmp.output.find("Valid ICMP Types:\necho-reply (pong)\n") == 0u);
}

BOOST_AUTO_TEST_CASE(no_warnings_silences_tos_warnings)
{
    Ptr<Ipchains> fw = CreateObject<Ipchains>();
    // And 0xFF, xor 0x02: "Minimize Delay" (0x10) would become 0x12.
    Ipchains::Result w = fw->Execute("-A input -t 0xFF 0x02");
    BOOST_TEST(w.ok);
    BOOST_TEST(w.output.find("Warning: TOS manipulation may set multiple TOS bits for "
                             "Minimize Delay TOS (0x10)\n") != std::string::npos);
    Ipchains::Result quiet = fw->Execute("-A input -t 0xFF 0x02 --no-warnings");
    BOOST_TEST(quiet.ok);
    BOOST_TEST(quiet.output == "");
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// The name tables on their own (IpchainsNames), both ways.

BOOST_AUTO_TEST_SUITE(name_tables)

BOOST_AUTO_TEST_CASE(protocol_names_round_trip)
{
    uint8_t protocol = 255;
    BOOST_TEST(IpchainsNames::ProtocolToName(6) == "tcp");
    BOOST_TEST(IpchainsNames::NameToProtocol("tcp", protocol));
    BOOST_TEST(protocol == 6);
    BOOST_TEST(IpchainsNames::ProtocolToName(0) == "all");
    BOOST_TEST(IpchainsNames::NameToProtocol("ALL", protocol)); // any case
    BOOST_TEST(protocol == 0);
    BOOST_TEST(IpchainsNames::ProtocolToName(253) == "253"); // no name: the number
    protocol = 7;
    BOOST_TEST(!IpchainsNames::NameToProtocol("253", protocol)); // numbers are not names
    BOOST_TEST(!IpchainsNames::NameToProtocol("tc", protocol));  // nor are prefixes
    BOOST_TEST(protocol == 7);                                   // untouched on failure
    for (unsigned p = 0; p < 256; p++)
    {
        std::string name = IpchainsNames::ProtocolToName(p);
        BOOST_TEST(IpchainsParser::ProtocolToName(p) == name);
        if (IpchainsNames::NameToProtocol(name, protocol))
        {
            BOOST_TEST(protocol == p, name);
        }
    }
}

BOOST_AUTO_TEST_CASE(service_names_and_ports)
{
    uint16_t port = 0;
    BOOST_TEST(IpchainsNames::PortToService(22, FirewallRule::PROTO_TCP) == "ssh");
    BOOST_TEST(IpchainsNames::ServiceToPort("ssh", FirewallRule::PROTO_TCP, port));
    BOOST_TEST(port == 22);
    BOOST_TEST(IpchainsNames::PortToService(80, FirewallRule::PROTO_UDP) == "www"); // the first
    BOOST_TEST(IpchainsNames::ServiceToPort("http", FirewallRule::PROTO_UDP, port));
    BOOST_TEST(port == 80);
    BOOST_TEST(IpchainsNames::PortToService(513, FirewallRule::PROTO_UDP) == "who");
    BOOST_TEST(IpchainsParser::PortToService(513, FirewallRule::PROTO_TCP) == "login");
    BOOST_TEST(IpchainsNames::PortToService(22, FirewallRule::PROTO_ICMP) == "");
    BOOST_TEST(IpchainsNames::PortToService(5, FirewallRule::PROTO_TCP) == "");
    port = 1;
    BOOST_TEST(!IpchainsNames::ServiceToPort("tftp", FirewallRule::PROTO_TCP, port)); // udp only
    BOOST_TEST(!IpchainsNames::ServiceToPort("SSH", FirewallRule::PROTO_TCP, port));  // exact case
    BOOST_TEST(!IpchainsNames::ServiceToPort("22", FirewallRule::PROTO_TCP, port));
    BOOST_TEST(port == 1);
}

BOOST_AUTO_TEST_CASE(icmp_names_by_type_and_code_and_back)
{
    BOOST_TEST(IpchainsNames::IcmpToName(3, 3, 3, 3) == "port-unreachable");
    BOOST_TEST(IpchainsNames::IcmpToName(0, 0, 0, 65535) == "echo-reply"); // not its alias pong
    BOOST_TEST(IpchainsNames::IcmpToName(3, 3, 8, 8) == "");
    auto exact = IpchainsNames::NameToIcmp("Port-Unreachable"); // any case
    BOOST_REQUIRE(exact.size() == 1);
    BOOST_TEST(std::string(exact[0].name) == "port-unreachable");
    BOOST_TEST(exact[0].type == 3);
    BOOST_TEST(exact[0].codeMin == 3);
    BOOST_TEST(exact[0].codeMax == 3);
    auto ambiguous = IpchainsNames::NameToIcmp("host-");
    BOOST_REQUIRE(ambiguous.size() > 1);
    BOOST_TEST(std::string(ambiguous[0].name) == "host-unreachable"); // table order
    BOOST_TEST(std::string(ambiguous[1].name) == "host-unknown");
    BOOST_TEST(IpchainsNames::NameToIcmp("bogus").empty());
    // Every name finds itself, and its type/code selection prints as a name
    // of the same selection.
    auto all = IpchainsNames::NameToIcmp("");
    BOOST_TEST(all.size() == 39);
    for (const auto& n : all)
    {
        auto found = IpchainsNames::NameToIcmp(n.name);
        BOOST_REQUIRE(!found.empty());
        BOOST_TEST(std::string(found[0].name) == n.name);
        std::string printed = IpchainsNames::IcmpToName(n.type, n.type, n.codeMin, n.codeMax);
        auto back = IpchainsNames::NameToIcmp(printed);
        BOOST_REQUIRE(!back.empty());
        BOOST_TEST(back[0].type == n.type);
        BOOST_TEST(back[0].codeMin == n.codeMin);
        BOOST_TEST(back[0].codeMax == n.codeMax);
    }
    BOOST_TEST(IpchainsNames::IcmpHelp() == IpchainsParser::IcmpHelp());
    BOOST_TEST(IpchainsParser::IcmpToName(3, 3, 3, 3) == "port-unreachable");
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// One test per kind of mistake: the ipchains message, nothing changed.

BOOST_FIXTURE_TEST_SUITE(mistakes, RefusalFixture)

BOOST_AUTO_TEST_CASE(stray_word)
{
    Refused("ipchains -A input foo", "Bad argument `foo'");
    Refused("ipchains -L -n input", "Bad argument `input'"); // as ipchains: chain first
    Refused("ipchains -A input -", "Bad argument `-'");
}

BOOST_AUTO_TEST_CASE(unknown_host_or_network)
{
    Refused("ipchains -A input -s 1.2.3.999", "host/network `1.2.3.999' not found");
    Refused("ipchains -A input -d www.example.com/24", "host/network `www.example.com' not found");
}

BOOST_AUTO_TEST_CASE(bad_mask)
{
    Refused("ipchains -A input -s 10.0.0.0/33", "invalid mask `33' specified");
    Refused("ipchains -A input -d 10.0.0.0/a.b", "invalid mask `a.b' specified");
}

BOOST_AUTO_TEST_CASE(bad_port_or_service)
{
    Refused("ipchains -A input -p tcp --dport abc", "invalid port/service `abc' specified");
    Refused("ipchains -A input -p udp -s 0/0 70000", "invalid port/service `70000' specified");
    Refused("ipchains -A input -p udp --sport 1:2:3", "invalid port/service `2:3' specified");
}

BOOST_AUTO_TEST_CASE(bad_icmp_type)
{
    Refused("ipchains -A input -p icmp --icmp-type bogus", "invalid ICMP type `bogus' specified");
    Refused("ipchains -A input -p icmp -s 0/0 8 -d 0/0 zero", "invalid ICMP type `zero' specified");
}

BOOST_AUTO_TEST_CASE(ambiguous_icmp_name)
{
    Refused("ipchains -A input -p icmp --icmp-type echo",
            "Ambiguous ICMP `echo' : `echo-reply' or `echo-request'?");
}

BOOST_AUTO_TEST_CASE(icmp_name_with_code)
{
    Refused("ipchains -A input -p icmp --icmp-type echo-request -d 0/0 0",
            "Can't use ICMP name and destination port together");
}

BOOST_AUTO_TEST_CASE(inverted_icmp_name)
{
    Refused("ipchains -A input -p icmp --icmp-type ! echo-request",
            "Can't invert named ICMP types");
}

BOOST_AUTO_TEST_CASE(unknown_protocol)
{
    Refused("ipchains -A input -p foo", "unknown protocol `foo' specified");
    Refused("ipchains -A input -p 256", "unknown protocol `256' specified");
}

BOOST_AUTO_TEST_CASE(protocol_that_never_matches)
{
    Refused("ipchains -A input -p ! all", "rule would never match protocol");
}

BOOST_AUTO_TEST_CASE(ports_without_tcp_udp_icmp)
{
    Refused("ipchains -A input --dport 80", "can only specify ports for icmp, tcp or udp");
    Refused("ipchains -A input -p gre -d 0/0 80", "can only specify ports for icmp, tcp or udp");
}

BOOST_AUTO_TEST_CASE(ports_with_inverted_protocol)
{
    Refused("ipchains -A input -p ! tcp --dport 80", "no ports allowed without specific protocol");
    Refused("ipchains -A input --dport :", "no ports allowed without specific protocol");
}

BOOST_AUTO_TEST_CASE(syn_without_tcp)
{
    Refused("ipchains -A input -p udp -y", "-y only allowed with TCP protocol");
    Refused("ipchains -A input -y", "-y only allowed with TCP protocol");
    Refused("ipchains -A input -p ! tcp ! -y", "-y only allowed with TCP protocol");
}

BOOST_AUTO_TEST_CASE(ports_with_fragment)
{
    Refused("ipchains -A input -p tcp -f --dport 80", "no ports allowed with -f");
    Refused("ipchains -A input -p icmp -f --icmp-type ping", "no ports allowed with -f");
    Refused("ipchains -A input -p tcp -f --dport 0:65535", "no ports allowed with -f");
}

BOOST_AUTO_TEST_CASE(syn_with_fragment)
{
    Refused("ipchains -A input -p tcp -f -y", "-y not allowed with -f");
}

BOOST_AUTO_TEST_CASE(chain_name_too_long)
{
    Refused("ipchains -A verylongname -j ACCEPT",
            "chain name `verylongname' too long (must be under 8 chars)");
    Refused("ipchains -N ninechars", "chain name `ninechars' too long (must be under 8 chars)");
}

BOOST_AUTO_TEST_CASE(target_name_too_long)
{
    Refused("ipchains -A input -j ABCDEFGHI", "Invalid target name `ABCDEFGHI' (8 chars max)");
}

BOOST_AUTO_TEST_CASE(unknown_target)
{
    Refused("ipchains -A input -j FOO", "No target by that name");
    Refused("ipchains -A input -j accept", "No target by that name"); // case-sensitive
}

BOOST_AUTO_TEST_CASE(jump_to_builtin_chain)
{
    Refused("ipchains -A web -j input",
            "No target by that name (cannot jump to built-in chain `input')");
}

BOOST_AUTO_TEST_CASE(missing_argument)
{
    Refused("ipchains -A input -j", "option `-j' requires an argument");
    Refused("ipchains -A input -s", "option `-s' requires an argument");
    Refused("ipchains -A", "option `-A' requires an argument");
    Refused("ipchains -A input -p !", "option `-p' requires an argument");
    Refused("ipchains --append input --dport", "option `--dport' requires an argument");
}

BOOST_AUTO_TEST_CASE(repeated_option)
{
    Refused("ipchains -A input -p tcp -p udp", "multiple -p flags not allowed");
    Refused("ipchains -A input -p tcp --sport 1 --sport 2", "multiple --sport flags not allowed");
    Refused("ipchains -A input -p tcp -s 0/0 80 --sport 81", "multiple --sport flags not allowed");
}

BOOST_AUTO_TEST_CASE(inversion_where_none_is_allowed)
{
    Refused("ipchains -A input ! -j ACCEPT", "cannot have ! before -j");
    Refused("ipchains -A input ! -l", "cannot have ! before -l");
    Refused("ipchains -L ! --line-numbers", "cannot have ! before --line-numbers");
}

BOOST_AUTO_TEST_CASE(double_inversion)
{
    Refused("ipchains -A input ! ! -f", "multiple consecutive ! not allowed");
    Refused("ipchains -A input ! -p ! tcp", "Multiple `!' flags not allowed");
}

BOOST_AUTO_TEST_CASE(dangling_inversion)
{
    Refused("ipchains -A input -p tcp !", "nothing appropriate following !");
}

BOOST_AUTO_TEST_CASE(no_command)
{
    Refused("ipchains -p tcp", "no command specified");
    Refused("", "no command specified");
}

BOOST_AUTO_TEST_CASE(two_commands)
{
    Refused("ipchains -A input -D input", "Can't use -D with -A");
    Refused("ipchains -L -F", "Can't use -F with -L");
}

BOOST_AUTO_TEST_CASE(inverted_command)
{
    Refused("ipchains ! -A input", "unexpected ! flag");
}

BOOST_AUTO_TEST_CASE(bad_rule_number)
{
    Refused("ipchains -D input 0", "Invalid rule number `0'");
    Refused("ipchains -I input 1x", "Invalid rule number `1x'");
    Refused("ipchains -R input abc -j ACCEPT", "Invalid rule number `abc'");
}

BOOST_AUTO_TEST_CASE(replace_without_number)
{
    Refused("ipchains -R input -j ACCEPT", "-R requires a rule number");
}

BOOST_AUTO_TEST_CASE(policy_without_target)
{
    Refused("ipchains -P input", "-P requires a chain and a policy");
}

BOOST_AUTO_TEST_CASE(bad_policy)
{
    Refused("ipchains -P input FOO", "Invalid policy `FOO' for -P");
    Refused("ipchains -P input RETURN", "Invalid policy `RETURN' for -P");
    Refused("ipchains -P web ACCEPT", "Can only set policy in built-in chains.");
    Refused("ipchains -P input MASQ", "`-P MASQ' only valid for `forward' chain.");
}

BOOST_AUTO_TEST_CASE(option_illegal_with_command)
{
    Refused("ipchains -L -s 1.2.3.4", "Illegal option `-s' with this command");
    Refused("ipchains -D input 1 -p tcp", "Illegal option `-p' with this command");
    Refused("ipchains -A input -n", "Illegal option `-n' with this command");
    Refused("ipchains -R input 1 -b", "Illegal option `-b' with this command");
    Refused("ipchains -F input -j ACCEPT", "Illegal option `-j' with this command");
    Refused("ipchains -A input --line-numbers",
            "Illegal option `--line-numbers' with this command");
}

BOOST_AUTO_TEST_CASE(check_without_compulsory_option)
{
    Refused("ipchains -C input -p tcp -s 1.1.1.1 1 -d 2.2.2.2 2",
            "You need to supply the `-i' option for this command");
    Refused("ipchains -C input -s 1.1.1.1 -d 2.2.2.2 -i eth0",
            "You need to supply the `-p' option for this command");
    Refused("ipchains -C input -p udp -d 2.2.2.2 2 -i eth0",
            "You need to supply the `-s' option for this command");
}

BOOST_AUTO_TEST_CASE(check_without_one_port)
{
    Refused("ipchains -C input -p tcp -s 1.1.1.1 -d 2.2.2.2 80 -i eth0",
            "one port required with source/destination address for -C");
    Refused("ipchains -C input -p udp -s 1.1.1.1 1:5 -d 2.2.2.2 80 -i eth0",
            "one port required with source/destination address for -C");
}

BOOST_AUTO_TEST_CASE(check_with_inversion)
{
    Refused("ipchains -C input -p udp -s ! 1.1.1.1 1 -d 2.2.2.2 2 -i eth0",
            "! not allowed with -C");
}

BOOST_AUTO_TEST_CASE(check_with_protocol_all)
{
    Refused("ipchains -C input -p all -s 1.1.1.1 -d 2.2.2.2 -i eth0",
            "protocol `all' may not be used with -C");
}

BOOST_AUTO_TEST_CASE(check_with_icmp_range_name)
{
    Refused("ipchains -C input -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type redirect -i eth0",
            "Must specify exact ICMP type for testing");
}

BOOST_AUTO_TEST_CASE(tos_altering_bit_zero)
{
    Refused("ipchains -A input -t 0xFE 0x00", "TOS manipulation cannot alter bit 0 (RFC1349)");
    Refused("ipchains -A input -t 0xFF 0x01", "TOS manipulation cannot alter bit 0 (RFC1349)");
}

BOOST_AUTO_TEST_CASE(tos_setting_many_bits)
{
    Refused("ipchains -A input -t 0x01 0x06",
            "TOS manipulation cannot set multiple TOS bits (RFC1349)");
    Refused("ipchains -A input -t 0x01 0x18",
            "TOS manipulation cannot set multiple TOS bits (RFC1349)");
}

BOOST_AUTO_TEST_CASE(tos_with_one_mask)
{
    Refused("ipchains -A input -t 0xFF", "-t requires 2 hexbyte arguments");
}

BOOST_AUTO_TEST_CASE(tos_not_hex)
{
    Refused("ipchains -A input -t 0xFF zz", "invalid hexbyte `zz' specified");
    Refused("ipchains -A input -t 100 0", "invalid hexbyte `100' specified");
}

BOOST_AUTO_TEST_CASE(bad_mark)
{
    Refused("ipchains -A input -m abc", "Bad value `abc' for -m.");
    Refused("ipchains -A input -m +", "Bad value `+' for -m.");
    Refused("ipchains -A input -m 4294967296", "Bad value `4294967296' for -m.");
}

BOOST_AUTO_TEST_CASE(redirect_without_tcp_or_udp)
{
    Refused("ipchains -A input -p icmp -j REDIRECT", "redirecting only allowed with TCP or UDP");
    Refused("ipchains -A input -j REDIRECT 80", "redirecting only allowed with TCP or UDP");
}

BOOST_AUTO_TEST_CASE(masquerade_in_input_or_output)
{
    Refused("ipchains -A input -j MASQ", "masquerading not allowed for input and output chains");
    Refused("ipchains -A output -j MASQ", "masquerading not allowed for input and output chains");
}

BOOST_AUTO_TEST_CASE(redirect_in_output_or_forward)
{
    Refused("ipchains -A forward -p tcp -j REDIRECT 8080",
            "redirect not allowed for output and forward chains");
}

BOOST_AUTO_TEST_CASE(divert_without_good_port)
{
    Refused("ipchains -A input -j DIVERT", "-j DIVERT requires a port number");
    Refused("ipchains -A input -j DIVERT 0", "invalid divert port `0' specified");
    Refused("ipchains -A input -j DIVERT 65536", "invalid divert port `65536' specified");
    Refused("ipchains -A input -j DIVERT http", "invalid divert port `http' specified");
}

BOOST_AUTO_TEST_CASE(divert_when_divert_sockets_are_off)
{
    fw->SetDivertAllowed(false);
    Refused("ipchains -A input -p icmp -j DIVERT 1234",
            "No target by that name (divert sockets are disabled on this node: DIVERT is "
            "refused)");
}

BOOST_AUTO_TEST_CASE(interface_name_too_long)
{
    Refused("ipchains -A input -i abcdefghijklmnopq",
            "interface name `abcdefghijklmnopq' must be shorter than IFNAMSIZ (16)");
}

BOOST_AUTO_TEST_CASE(unknown_options)
{
    Refused("ipchains -A input --foo", "unrecognized option `--foo'");
    Refused("ipchains --de input", "option `--de' is ambiguous");
    Refused("ipchains -A input -q", "invalid option `-q'");
    Refused("ipchains -A input --log=yes", "option `--log' doesn't allow an argument");
}

BOOST_AUTO_TEST_CASE(features_not_simulated)
{
    Refused("ipchains -M -L", "masquerading (-M, -S) is not simulated");
    Refused("ipchains -A input -o", "netlink output (-o) is not simulated");
}

BOOST_AUTO_TEST_CASE(list_and_zero_with_chain)
{
    Refused("ipchains -L input -Z", "-L with -Z does not allow chain to be specified");
    Refused("ipchains -Z input -L", "-L with -Z does not allow chain to be specified");
}

BOOST_AUTO_TEST_CASE(no_such_chain)
{
    Refused("ipchains -A nochain -j ACCEPT", "No chain by that name");
    Refused("ipchains -L nochain", "No chain by that name");
    Refused("ipchains -F nochain", "No chain by that name");
    Refused("ipchains -Z nochain", "No chain by that name");
    Refused("ipchains -X nochain", "No chain by that name");
    Refused("ipchains -D nochain 1", "No chain by that name");
    Refused("ipchains -C nochain -p udp -s 1.1.1.1 1 -d 2.2.2.2 2 -i eth0",
            "No chain by that name");
    Refused("ipchains -A Input -j ACCEPT", "No chain by that name"); // case-sensitive
}

BOOST_AUTO_TEST_CASE(no_such_rule)
{
    Refused("ipchains -D input -p udp -j ACCEPT",
            "bad rule (does a matching rule exist in that chain?)");
    Refused("ipchains -D input 3", "bad rule (does a matching rule exist in that chain?)");
    Refused("ipchains -R input 3 -j ACCEPT",
            "bad rule (does a matching rule exist in that chain?)");
    Refused("ipchains -I input 4 -j ACCEPT",
            "bad rule (does a matching rule exist in that chain?)");
    // -D -b needs the mirror too.
    Refused("ipchains -D input -p icmp -j DIVERT 4321 -b",
            "bad rule (does a matching rule exist in that chain?)");
}

BOOST_AUTO_TEST_CASE(chain_exists_or_bad_name)
{
    Refused("ipchains -N web", "Chain already exists");
    Refused("ipchains -N input", "Chain already exists");
    Refused("ipchains -N ACCEPT", "Invalid chain name `ACCEPT' (a built-in target has that name)");
    Refused("ipchains -N DIVERT", "Invalid chain name `DIVERT' (a built-in target has that name)");
}

BOOST_AUTO_TEST_CASE(chain_cannot_be_deleted)
{
    Refused("ipchains -X input",
            "Device or resource busy (built-in chain `input' cannot be deleted)");
    Refused("ipchains -X web", "Device or resource busy (chain `web' has 1 reference)");
    Refused("ipchains -X log", "Device or resource busy (chain `log' has 1 reference)");
    // -X without a name deletes every user chain or none.
    Refused("ipchains -X", "Device or resource busy (chain `web' has 1 reference)");
    fw->Execute("ipchains -N empty");
    fw->Execute("ipchains -A empty -j ACCEPT");
    Refused("ipchains -X empty", "Chain is not empty");
}

BOOST_AUTO_TEST_CASE(jump_that_closes_a_loop)
{
    Refused("ipchains -A log -j web", "jump to `web' would create a loop: log -> web -> log");
    Refused("ipchains -A web -j web", "jump to `web' would create a loop: web -> web");
    Refused("ipchains -I log -j web", "jump to `web' would create a loop: log -> web -> log");
    Refused("ipchains -R log 1 -j web", "jump to `web' would create a loop: log -> web -> log");
}

BOOST_AUTO_TEST_CASE(typed_api_gives_the_same_errors)
{
    std::string before = Tables();
    FirewallRule syn;
    syn.SetProtocol(17);
    syn.SetSyn(FirewallRule::SET);
    BOOST_TEST(fw->AppendRule("input", syn).error == ParseError("-A input -p udp -y"));
    FirewallRule ports;
    ports.SetDestinationPorts(80, 80);
    BOOST_TEST(fw->InsertRule("input", 1, ports).error == ParseError("-A input --dport 80"));
    FirewallRule jump;
    jump.SetJump("FOO");
    BOOST_TEST(fw->AppendRule("input", jump).error == fw->Execute("-A input -j FOO").error);
    FirewallRule masq;
    masq.SetTarget(FirewallRule::MASQ);
    BOOST_TEST(fw->ReplaceRule("output", 1, masq).error == fw->Execute("-A output -j MASQ").error);
    FirewallRule loop;
    loop.SetJump("web");
    BOOST_TEST(fw->AppendRule("log", loop).error == fw->Execute("-A log -j web").error);
    BOOST_TEST(fw->DeleteRule("input", 9).error == fw->Execute("-D input 9").error);
    BOOST_TEST(fw->DeleteChain("web").error == fw->Execute("-X web").error);
    BOOST_TEST(fw->NewChain("web").error == fw->Execute("-N web").error);
    BOOST_TEST(fw->SetPolicy("web", "DENY").error == fw->Execute("-P web DENY").error);
    BOOST_TEST(fw->Flush("nochain").error == fw->Execute("-F nochain").error);
    BOOST_TEST(fw->Zero("nochain").error == fw->Execute("-Z nochain").error);
    FirewallRule divert;
    divert.SetDivert(0);
    BOOST_TEST(fw->AppendRule("input", divert).error == "invalid divert port `0' specified");
    FirewallRule tos;
    tos.SetTos(0xFE, 0);
    BOOST_TEST(fw->AppendRule("input", tos).error == ParseError("-A input -t 0xFE 0"));
    BOOST_TEST(fw->InsertRule("input", 0, FirewallRule()).error == "Invalid rule number `0'");
    BOOST_TEST(Tables() == before);
}

BOOST_AUTO_TEST_SUITE_END()

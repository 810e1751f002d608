/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipchains-names.h"

#include "firewall-rule.h"

#include <cctype>
#include <sstream>

namespace ns3
{

namespace
{

/// ICMP type names accepted by --icmp-type (ipchains.c icmp_codes).
const IpchainsNames::IcmpName ICMP_NAMES[] = {
    {"echo-reply", 0, 0, 0xFFFF, true},
    {"pong", 0, 0, 0xFFFF, true},
    {"destination-unreachable", 3, 0, 0xFFFF, false},
    {"network-unreachable", 3, 0, 0, true},
    {"host-unreachable", 3, 1, 1, true},
    {"protocol-unreachable", 3, 2, 2, true},
    {"port-unreachable", 3, 3, 3, true},
    {"fragmentation-needed", 3, 4, 4, true},
    {"source-route-failed", 3, 5, 5, true},
    {"network-unknown", 3, 6, 6, true},
    {"host-unknown", 3, 7, 7, true},
    {"network-prohibited", 3, 9, 9, true},
    {"host-prohibited", 3, 10, 10, true},
    {"TOS-network-unreachable", 3, 11, 11, true},
    {"TOS-host-unreachable", 3, 12, 12, true},
    {"communication-prohibited", 3, 13, 13, true},
    {"host-precedence-violation", 3, 14, 14, true},
    {"precedence-cutoff", 3, 15, 15, true},
    {"source-quench", 4, 0, 0xFFFF, true},
    {"redirect", 5, 0, 0xFFFF, false},
    {"network-redirect", 5, 0, 0, true},
    {"host-redirect", 5, 1, 1, true},
    {"TOS-network-redirect", 5, 2, 2, true},
    {"TOS-host-redirect", 5, 3, 3, true},
    {"echo-request", 8, 0, 0xFFFF, true},
    {"ping", 8, 0, 0xFFFF, true},
    {"router-advertisement", 9, 0, 0xFFFF, true},
    {"router-solicitation", 10, 0, 0xFFFF, true},
    {"time-exceeded", 11, 0, 0xFFFF, false},
    {"ttl-exceeded", 11, 0, 0xFFFF, false},
    {"ttl-zero-during-transit", 11, 0, 0, true},
    {"ttl-zero-during-reassembly", 11, 1, 1, true},
    {"parameter-problem", 12, 0, 0xFFFF, false},
    {"ip-header-bad", 12, 0, 0, true},
    {"required-option-missing", 12, 1, 1, true},
    {"timestamp-request", 13, 0, 0xFFFF, true},
    {"timestamp-reply", 14, 0, 0xFFFF, true},
    {"address-mask-request", 17, 0, 0xFFFF, true},
    {"address-mask-reply", 18, 0, 0xFFFF, true},
};

/// A protocol name (stands in for /etc/protocols).
struct ProtocolName
{
    const char* name; //!< canonical lower-case name
    uint8_t number;   //!< IP protocol number
};

/// Built-in protocol table; "all" is protocol 0 as in ipchains.c chain_protos.
const ProtocolName PROTOCOLS[] = {
    {"all", 0},
    {"icmp", 1},
    {"igmp", 2},
    {"ipencap", 4},
    {"tcp", 6},
    {"egp", 8},
    {"udp", 17},
    {"ipv6", 41},
    {"rsvp", 46},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"ospf", 89},
    {"ipip", 94},
    {"pim", 103},
    {"vrrp", 112},
    {"sctp", 132},
};

/// A service name (stands in for /etc/services).
struct ServiceName
{
    const char* name; //!< service name
    uint16_t port;    //!< port number
    bool tcp;         //!< known for TCP
    bool udp;         //!< known for UDP
};

/// Built-in service table: the first name of a port is the one listed.
const ServiceName SERVICES[] = {
    {"echo", 7, true, true},          {"discard", 9, true, true},
    {"daytime", 13, true, true},      {"ftp-data", 20, true, false},
    {"ftp", 21, true, false},         {"ssh", 22, true, true},
    {"telnet", 23, true, false},      {"smtp", 25, true, false},
    {"time", 37, true, true},         {"domain", 53, true, true},
    {"bootps", 67, false, true},      {"bootpc", 68, false, true},
    {"tftp", 69, false, true},        {"finger", 79, true, false},
    {"www", 80, true, true},          {"http", 80, true, true},
    {"pop3", 110, true, true},        {"sunrpc", 111, true, true},
    {"auth", 113, true, false},       {"nntp", 119, true, false},
    {"ntp", 123, true, true},         {"netbios-ns", 137, true, true},
    {"netbios-dgm", 138, true, true}, {"netbios-ssn", 139, true, true},
    {"imap2", 143, true, true},       {"imap", 143, true, true},
    {"snmp", 161, true, true},        {"snmp-trap", 162, true, true},
    {"bgp", 179, true, true},         {"irc", 194, true, true},
    {"ldap", 389, true, true},        {"https", 443, true, true},
    {"login", 513, true, false},      {"who", 513, false, true},
    {"shell", 514, true, false},      {"syslog", 514, false, true},
    {"printer", 515, true, false},    {"talk", 517, false, true},
    {"route", 520, false, true},      {"nfs", 2049, true, true},
    {"x11", 6000, true, false},
};

/**
 * \brief Whether a service of the table is known for a protocol.
 * \param s the service
 * \param protocol tcp or udp (any other protocol has no services)
 * \return true if the service has a port for the protocol
 */
bool
IsServiceOf(const ServiceName& s, uint8_t protocol)
{
    return (protocol == FirewallRule::PROTO_TCP && s.tcp) ||
           (protocol == FirewallRule::PROTO_UDP && s.udp);
}

/**
 * \brief Case-insensitive test that `prefix` begins `name` (strncasecmp
 * with the length of the prefix, as ipchains.c parse_icmp).
 * \param name the table name
 * \param prefix the user's word
 * \return true if the word is a prefix of the name
 */
bool
IsCasePrefix(const std::string& name, const std::string& prefix)
{
    if (prefix.size() > name.size())
    {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); i++)
    {
        if (std::tolower(static_cast<unsigned char>(name[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i])))
        {
            return false;
        }
    }
    return true;
}

} // namespace

std::string
IpchainsNames::ProtocolToName(uint8_t protocol)
{
    for (const auto& p : PROTOCOLS)
    {
        if (p.number == protocol)
        {
            return p.name;
        }
    }
    return std::to_string(protocol);
}

bool
IpchainsNames::NameToProtocol(const std::string& name, uint8_t& protocol)
{
    for (const auto& p : PROTOCOLS)
    {
        if (IsCasePrefix(p.name, name) && name.size() == std::string(p.name).size())
        {
            protocol = p.number;
            return true;
        }
    }
    return false;
}

std::string
IpchainsNames::PortToService(uint16_t port, uint8_t protocol)
{
    for (const auto& s : SERVICES)
    {
        if (s.port == port && IsServiceOf(s, protocol))
        {
            return s.name;
        }
    }
    return "";
}

bool
IpchainsNames::ServiceToPort(const std::string& name, uint8_t protocol, uint16_t& port)
{
    for (const auto& s : SERVICES)
    {
        if (name == s.name && IsServiceOf(s, protocol))
        {
            port = s.port;
            return true;
        }
    }
    return false;
}

std::string
IpchainsNames::IcmpToName(uint16_t typeMin, uint16_t typeMax, uint16_t codeMin, uint16_t codeMax)
{
    for (const auto& n : ICMP_NAMES)
    {
        if (n.type == typeMin && n.type == typeMax && n.codeMin == codeMin && n.codeMax == codeMax)
        {
            return n.name;
        }
    }
    return "";
}

std::vector<IpchainsNames::IcmpName>
IpchainsNames::NameToIcmp(const std::string& prefix)
{
    std::vector<IcmpName> matches;
    for (const auto& n : ICMP_NAMES)
    {
        if (IsCasePrefix(n.name, prefix))
        {
            matches.push_back(n);
        }
    }
    return matches;
}

std::string
IpchainsNames::IcmpHelp()
{
    // Same layout as `ipchains -h icmp`: a type on its own line, its codes
    // indented below it, aliases in parentheses.
    std::ostringstream os;
    os << "Valid ICMP Types:";
    const IcmpName* previous = nullptr;
    for (const auto& n : ICMP_NAMES)
    {
        if (previous && n.type == previous->type)
        {
            if (n.codeMin == previous->codeMin && n.codeMax == previous->codeMax)
            {
                os << " (" << n.name << ")";
            }
            else
            {
                os << "\n   " << n.name;
            }
        }
        else
        {
            os << "\n" << n.name;
        }
        previous = &n;
    }
    os << "\n";
    return os.str();
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "firewall-rule.h"

#include "ipchains-names.h"

#include "ns3/log.h"

#include <cctype>
#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FirewallRule");

namespace
{
/// Longest interface name ipchains accepts (IFNAMSIZ of Linux 2.2).
constexpr std::size_t IFNAMSIZ_LINUX = 16;
/// Longest chain label (IP_FW_MAX_LABEL_LENGTH of Linux 2.2).
constexpr std::size_t MAX_LABEL_LENGTH = 8;

/**
 * \brief Count the TOS bits (RFC 1349 section 4: bits 0x1E) set in a byte.
 * \param pattern the byte
 * \return the number of TOS bits set
 *
 * ipchains 1.3.9 masks with 0x0E, which forgets the "minimize delay" bit
 * 0x10; the four RFC 1349 bits are counted here.
 */
int
CountTosBits(uint8_t pattern)
{
    int bits = 0;
    for (uint8_t b = pattern & 0x1E; b != 0; b >>= 1)
    {
        bits += b & 0x01;
    }
    return bits;
}

/**
 * \brief Print a port range as ipchains takes it on the command line.
 * \param min first port
 * \param max last port
 * \return "80" or "1024:65535"
 */
std::string
RangeToString(uint16_t min, uint16_t max)
{
    std::ostringstream os;
    os << min;
    if (min != max)
    {
        os << ":" << max;
    }
    return os.str();
}

/**
 * \brief Print an address and mask the way ipchains -L -n does.
 * \param address the address
 * \param mask the mask
 * \return "10.0.0.0/8", "1.2.3.4", "1.2.0.0/255.0.255.0"
 */
std::string
AddressToString(Ipv4Address address, Ipv4Mask mask)
{
    std::ostringstream os;
    address.Print(os);
    uint16_t prefix = mask.GetPrefixLength();
    if (mask.Get() == 0xFFFFFFFF)
    {
        return os.str();
    }
    uint32_t contiguous = (prefix == 0) ? 0 : (0xFFFFFFFFU << (32 - prefix));
    if (contiguous == mask.Get())
    {
        os << "/" << prefix;
    }
    else
    {
        os << "/";
        mask.Print(os);
    }
    return os.str();
}
} // namespace

FirewallRule::FirewallRule()
    : m_protocol(PROTO_ALL),
      m_protocolInverted(false),
      m_source(Ipv4Address::GetAny()),
      m_sourceMask(Ipv4Mask::GetZero()),
      m_sourceInverted(false),
      m_destination(Ipv4Address::GetAny()),
      m_destinationMask(Ipv4Mask::GetZero()),
      m_destinationInverted(false),
      m_sourcePortMin(0),
      m_sourcePortMax(PORT_MAX),
      m_sourcePortInverted(false),
      m_destinationPortMin(0),
      m_destinationPortMax(PORT_MAX),
      m_destinationPortInverted(false),
      m_interfaceInverted(false),
      m_fragment(UNSET),
      m_syn(UNSET),
      m_tosAnd(0xFF),
      m_tosXor(0x00),
      m_log(false),
      m_markOp(MARK_NONE),
      m_markValue(0),
      m_target(NONE),
      m_targetPort(0),
      m_packets(0),
      m_bytes(0)
{
}

void
FirewallRule::SetProtocol(uint8_t protocol, bool inverted)
{
    m_protocol = protocol;
    m_protocolInverted = inverted;
}

uint8_t
FirewallRule::GetProtocol() const
{
    return m_protocol;
}

bool
FirewallRule::IsProtocolInverted() const
{
    return m_protocolInverted;
}

void
FirewallRule::SetSource(Ipv4Address address, Ipv4Mask mask, bool inverted)
{
    // ipchains stores the address masked (parse_hostnetworkmask).
    m_source = address.CombineMask(mask);
    m_sourceMask = mask;
    m_sourceInverted = inverted;
}

Ipv4Address
FirewallRule::GetSource() const
{
    return m_source;
}

Ipv4Mask
FirewallRule::GetSourceMask() const
{
    return m_sourceMask;
}

bool
FirewallRule::IsSourceInverted() const
{
    return m_sourceInverted;
}

void
FirewallRule::SetDestination(Ipv4Address address, Ipv4Mask mask, bool inverted)
{
    m_destination = address.CombineMask(mask);
    m_destinationMask = mask;
    m_destinationInverted = inverted;
}

Ipv4Address
FirewallRule::GetDestination() const
{
    return m_destination;
}

Ipv4Mask
FirewallRule::GetDestinationMask() const
{
    return m_destinationMask;
}

bool
FirewallRule::IsDestinationInverted() const
{
    return m_destinationInverted;
}

void
FirewallRule::SetSourcePorts(uint16_t min, uint16_t max, bool inverted)
{
    m_sourcePortMin = min;
    m_sourcePortMax = max;
    m_sourcePortInverted = inverted;
}

uint16_t
FirewallRule::GetSourcePortMin() const
{
    return m_sourcePortMin;
}

uint16_t
FirewallRule::GetSourcePortMax() const
{
    return m_sourcePortMax;
}

bool
FirewallRule::IsSourcePortInverted() const
{
    return m_sourcePortInverted;
}

bool
FirewallRule::HasSourcePorts() const
{
    return m_sourcePortMin != 0 || m_sourcePortMax != PORT_MAX || m_sourcePortInverted;
}

void
FirewallRule::SetDestinationPorts(uint16_t min, uint16_t max, bool inverted)
{
    m_destinationPortMin = min;
    m_destinationPortMax = max;
    m_destinationPortInverted = inverted;
}

uint16_t
FirewallRule::GetDestinationPortMin() const
{
    return m_destinationPortMin;
}

uint16_t
FirewallRule::GetDestinationPortMax() const
{
    return m_destinationPortMax;
}

bool
FirewallRule::IsDestinationPortInverted() const
{
    return m_destinationPortInverted;
}

bool
FirewallRule::HasDestinationPorts() const
{
    return m_destinationPortMin != 0 || m_destinationPortMax != PORT_MAX ||
           m_destinationPortInverted;
}

void
FirewallRule::SetIcmpType(uint8_t type, bool inverted)
{
    SetSourcePorts(type, type, inverted);
    SetDestinationPorts(0, PORT_MAX, false);
}

void
FirewallRule::SetIcmpTypeCode(uint8_t type, uint8_t code)
{
    SetSourcePorts(type, type, false);
    SetDestinationPorts(code, code, false);
}

void
FirewallRule::SetInterface(const std::string& name, bool inverted)
{
    m_interface = name;
    m_interfaceInverted = inverted;
}

std::string
FirewallRule::GetInterface() const
{
    return m_interface;
}

bool
FirewallRule::IsInterfaceInverted() const
{
    return m_interfaceInverted;
}

bool
FirewallRule::IsInterfaceWildcard() const
{
    return !m_interface.empty() && m_interface.back() == '+';
}

void
FirewallRule::SetFragment(Flag flag)
{
    m_fragment = flag;
}

FirewallRule::Flag
FirewallRule::GetFragment() const
{
    return m_fragment;
}

void
FirewallRule::SetSyn(Flag flag)
{
    m_syn = flag;
}

FirewallRule::Flag
FirewallRule::GetSyn() const
{
    return m_syn;
}

void
FirewallRule::SetTos(uint8_t andMask, uint8_t xorMask)
{
    m_tosAnd = andMask;
    m_tosXor = xorMask;
}

uint8_t
FirewallRule::GetTosAnd() const
{
    return m_tosAnd;
}

uint8_t
FirewallRule::GetTosXor() const
{
    return m_tosXor;
}

void
FirewallRule::SetLog(bool log)
{
    m_log = log;
}

bool
FirewallRule::GetLog() const
{
    return m_log;
}

void
FirewallRule::SetMark(MarkOp op, uint32_t value)
{
    m_markOp = op;
    m_markValue = (op == MARK_NONE) ? 0 : value;
}

FirewallRule::MarkOp
FirewallRule::GetMarkOp() const
{
    return m_markOp;
}

uint32_t
FirewallRule::GetMarkValue() const
{
    return m_markValue;
}

void
FirewallRule::SetTarget(Target target)
{
    m_target = target;
    if (target != CHAIN)
    {
        m_targetChain.clear();
    }
    if (target != DIVERT && target != REDIRECT)
    {
        m_targetPort = 0;
    }
}

void
FirewallRule::SetJump(const std::string& chain)
{
    m_target = CHAIN;
    m_targetChain = chain;
    m_targetPort = 0;
}

void
FirewallRule::SetDivert(uint16_t port)
{
    m_target = DIVERT;
    m_targetChain.clear();
    m_targetPort = port;
}

void
FirewallRule::SetRedirect(uint16_t port)
{
    m_target = REDIRECT;
    m_targetChain.clear();
    m_targetPort = port;
}

void
FirewallRule::SetTargetName(const std::string& name, uint16_t port)
{
    // Target names are case-sensitive (ip_fw.c find_special uses strcmp).
    if (name.empty())
    {
        SetTarget(NONE);
    }
    else if (name == "ACCEPT")
    {
        SetTarget(ACCEPT);
    }
    else if (name == "DENY")
    {
        SetTarget(DENY);
    }
    else if (name == "REJECT")
    {
        SetTarget(REJECT);
    }
    else if (name == "RETURN")
    {
        SetTarget(RETURN);
    }
    else if (name == "MASQ")
    {
        SetTarget(MASQ);
    }
    else if (name == "REDIRECT")
    {
        SetRedirect(port);
    }
    else if (name == "DIVERT")
    {
        SetDivert(port);
    }
    else
    {
        SetJump(name);
    }
}

FirewallRule::Target
FirewallRule::GetTarget() const
{
    return m_target;
}

std::string
FirewallRule::GetTargetChain() const
{
    return m_targetChain;
}

uint16_t
FirewallRule::GetTargetPort() const
{
    return m_targetPort;
}

std::string
FirewallRule::GetTargetName() const
{
    if (m_target == CHAIN)
    {
        return m_targetChain;
    }
    return TargetToString(m_target);
}

std::string
FirewallRule::TargetToString(Target target)
{
    switch (target)
    {
    case NONE:
        return "";
    case ACCEPT:
        return "ACCEPT";
    case DENY:
        return "DENY";
    case REJECT:
        return "REJECT";
    case RETURN:
        return "RETURN";
    case CHAIN:
        return "CHAIN";
    case DIVERT:
        return "DIVERT";
    case MASQ:
        return "MASQ";
    case REDIRECT:
        return "REDIRECT";
    }
    return "";
}

uint64_t
FirewallRule::GetPackets() const
{
    return m_packets;
}

uint64_t
FirewallRule::GetBytes() const
{
    return m_bytes;
}

void
FirewallRule::Count(uint32_t bytes)
{
    m_packets++;
    m_bytes += bytes;
}

void
FirewallRule::SetCounters(uint64_t packets, uint64_t bytes)
{
    m_packets = packets;
    m_bytes = bytes;
}

void
FirewallRule::ResetCounters()
{
    m_packets = 0;
    m_bytes = 0;
}

bool
FirewallRule::PortMatch(uint16_t min, uint16_t max, bool inverted, bool known, uint16_t port)
{
    if (min == 0 && max == PORT_MAX && !inverted)
    {
        return true; // the rule does not look at this port
    }
    if (!known)
    {
        // ip_fw.c port_match: "Fragments fail ANY port test."  A reversed
        // or inverted range is still a port test, so it fails too.
        return false;
    }
    return (port >= min && port <= max) != inverted;
}

bool
FirewallRule::Matches(const FirewallPacket& packet) const
{
    // No NS_LOG_FUNCTION: this runs for every rule on every packet.
    // Each test is (mismatch XOR inverted), the FWINV macro of ip_fw.c.
    if ((packet.source.CombineMask(m_sourceMask) != m_source) != m_sourceInverted)
    {
        return false;
    }
    if ((packet.destination.CombineMask(m_destinationMask) != m_destination) !=
        m_destinationInverted)
    {
        return false;
    }

    bool sameInterface = true;
    if (IsInterfaceWildcard())
    {
        std::string prefix = m_interface.substr(0, m_interface.size() - 1);
        sameInterface = packet.interface.compare(0, prefix.size(), prefix) == 0;
    }
    else if (!m_interface.empty())
    {
        sameInterface = packet.interface == m_interface;
    }
    // An empty name is a wildcard (ip_fw.c convert_ipfw sets IP_FW_F_WILDIF).
    if (sameInterface == m_interfaceInverted)
    {
        return false;
    }

    if (m_fragment == SET && !packet.fragment)
    {
        return false;
    }
    if (m_fragment == INVERTED && packet.fragment)
    {
        return false;
    }

    if (m_syn != UNSET)
    {
        // ip_fw.c: "Fragment NEVER passes a SYN test, even an inverted one."
        if (packet.fragment || !packet.hasPorts)
        {
            return false;
        }
        if ((m_syn == SET) != packet.syn)
        {
            return false;
        }
    }

    if (m_protocol != PROTO_ALL)
    {
        if ((packet.protocol != m_protocol) != m_protocolInverted)
        {
            return false;
        }
        bool known = packet.hasPorts && !packet.fragment;
        if (!PortMatch(m_sourcePortMin,
                       m_sourcePortMax,
                       m_sourcePortInverted,
                       known,
                       packet.sourcePort) ||
            !PortMatch(m_destinationPortMin,
                       m_destinationPortMax,
                       m_destinationPortInverted,
                       known,
                       packet.destinationPort))
        {
            return false;
        }
    }
    return true;
}

void
FirewallRule::Apply(FirewallPacket& packet) const
{
    packet.tos = (packet.tos & m_tosAnd) ^ m_tosXor;
    if (m_markOp == MARK_SET)
    {
        packet.mark = m_markValue;
    }
    else if (m_markOp == MARK_ADD)
    {
        packet.mark += m_markValue; // wraps modulo 2^32, like skb->nfmark
    }
}

FirewallRule
FirewallRule::GetMirror() const
{
    FirewallRule mirror = *this;
    mirror.m_source = m_destination;
    mirror.m_sourceMask = m_destinationMask;
    mirror.m_sourceInverted = m_destinationInverted;
    mirror.m_destination = m_source;
    mirror.m_destinationMask = m_sourceMask;
    mirror.m_destinationInverted = m_sourceInverted;
    // ICMP type and code are not a source/destination pair: swap_info
    // leaves them where they are.
    if (m_protocol != PROTO_ICMP)
    {
        mirror.m_sourcePortMin = m_destinationPortMin;
        mirror.m_sourcePortMax = m_destinationPortMax;
        mirror.m_sourcePortInverted = m_destinationPortInverted;
        mirror.m_destinationPortMin = m_sourcePortMin;
        mirror.m_destinationPortMax = m_sourcePortMax;
        mirror.m_destinationPortInverted = m_sourcePortInverted;
    }
    mirror.ResetCounters();
    return mirror;
}

bool
FirewallRule::IsSameRule(const FirewallRule& o) const
{
    return m_protocol == o.m_protocol && m_protocolInverted == o.m_protocolInverted &&
           m_source == o.m_source && m_sourceMask == o.m_sourceMask &&
           m_sourceInverted == o.m_sourceInverted && m_destination == o.m_destination &&
           m_destinationMask == o.m_destinationMask &&
           m_destinationInverted == o.m_destinationInverted &&
           m_sourcePortMin == o.m_sourcePortMin && m_sourcePortMax == o.m_sourcePortMax &&
           m_sourcePortInverted == o.m_sourcePortInverted &&
           m_destinationPortMin == o.m_destinationPortMin &&
           m_destinationPortMax == o.m_destinationPortMax &&
           m_destinationPortInverted == o.m_destinationPortInverted &&
           m_interface == o.m_interface && m_interfaceInverted == o.m_interfaceInverted &&
           m_fragment == o.m_fragment && m_syn == o.m_syn && m_log == o.m_log &&
           m_target == o.m_target && m_targetChain == o.m_targetChain &&
           m_targetPort == o.m_targetPort;
}

std::string
FirewallRule::Validate() const
{
    bool tcpUdpIcmp =
        m_protocol == PROTO_TCP || m_protocol == PROTO_UDP || m_protocol == PROTO_ICMP;
    bool ports = HasSourcePorts() || HasDestinationPorts();

    // The order of the checks is that of ipchains.c main().
    if (m_protocolInverted && m_protocol == PROTO_ALL)
    {
        return "rule would never match protocol";
    }
    if (ports && !tcpUdpIcmp)
    {
        return "can only specify ports for icmp, tcp or udp";
    }
    if (ports && m_protocolInverted)
    {
        return "no ports allowed without specific protocol";
    }
    if (m_syn != UNSET && (m_protocol != PROTO_TCP || m_protocolInverted))
    {
        return "-y only allowed with TCP protocol";
    }
    if (m_fragment == SET && ports)
    {
        return "no ports allowed with -f";
    }
    if (m_fragment == SET && m_syn != UNSET)
    {
        return "-y not allowed with -f";
    }
    if (m_target == REDIRECT &&
        ((m_protocol != PROTO_TCP && m_protocol != PROTO_UDP) || m_protocolInverted))
    {
        return "redirecting only allowed with TCP or UDP";
    }
    if (m_interface.size() > IFNAMSIZ_LINUX)
    {
        return "interface name `" + m_interface + "' must be shorter than IFNAMSIZ (16)";
    }
    if (m_target == CHAIN)
    {
        if (m_targetChain.empty())
        {
            return "Invalid target name (too short)";
        }
        if (m_targetChain.size() > MAX_LABEL_LENGTH)
        {
            return "Invalid target name `" + m_targetChain + "' (8 chars max)";
        }
        for (char c : m_targetChain)
        {
            if (std::isspace(static_cast<unsigned char>(c)))
            {
                return "Invalid target name `" + m_targetChain + "'";
            }
        }
    }
    if (m_target == DIVERT && m_targetPort == 0)
    {
        return "invalid divert port `0' specified";
    }
    // ipchains.c check_tos: the LSB must be untouched and no rule may
    // always set more than one TOS bit (RFC 1349).
    if (!(m_tosAnd & 0x01) || (m_tosXor & 0x01))
    {
        return "TOS manipulation cannot alter bit 0 (RFC1349)";
    }
    if (CountTosBits((~m_tosAnd) & m_tosXor) > 1)
    {
        return "TOS manipulation cannot set multiple TOS bits (RFC1349)";
    }
    return "";
}

std::vector<std::string>
FirewallRule::GetTosWarnings() const
{
    static const struct
    {
        uint8_t tos;
        const char* name;
    } tosValues[] = {
        {0x10, "Minimize Delay"},
        {0x08, "Minimize Throughput"},
        {0x04, "Maximize Reliability"},
        {0x02, "Minimize Cost"},
        {0x00, "Normal Service"},
    };

    std::vector<std::string> warnings;
    for (const auto& v : tosValues)
    {
        if (CountTosBits((v.tos & m_tosAnd) ^ m_tosXor) > 1)
        {
            char buf[16];
            std::snprintf(buf, sizeof(buf), "0x%02x", v.tos);
            warnings.push_back(
                std::string("Warning: TOS manipulation may set multiple TOS bits for ") + v.name +
                " TOS (" + buf + ")");
        }
    }
    return warnings;
}

std::string
FirewallRule::ToString() const
{
    std::ostringstream os;
    auto sep = [&os]() {
        if (os.tellp() > 0)
        {
            os << " ";
        }
    };
    if (m_protocol != PROTO_ALL || m_protocolInverted)
    {
        sep();
        os << "-p " << (m_protocolInverted ? "! " : "")
           << IpchainsNames::ProtocolToName(m_protocol);
    }
    if (m_sourceMask.Get() != 0 || m_sourceInverted)
    {
        sep();
        os << "-s " << (m_sourceInverted ? "! " : "") << AddressToString(m_source, m_sourceMask);
    }
    if (HasSourcePorts())
    {
        sep();
        os << "--sport " << (m_sourcePortInverted ? "! " : "")
           << RangeToString(m_sourcePortMin, m_sourcePortMax);
    }
    if (m_destinationMask.Get() != 0 || m_destinationInverted)
    {
        sep();
        os << "-d " << (m_destinationInverted ? "! " : "")
           << AddressToString(m_destination, m_destinationMask);
    }
    if (HasDestinationPorts())
    {
        sep();
        os << "--dport " << (m_destinationPortInverted ? "! " : "")
           << RangeToString(m_destinationPortMin, m_destinationPortMax);
    }
    if (!m_interface.empty() || m_interfaceInverted)
    {
        sep();
        // An empty name and "+" both match every interface; "+" survives
        // the round trip through the command line.
        os << "-i " << (m_interfaceInverted ? "! " : "")
           << (m_interface.empty() ? std::string("+") : m_interface);
    }
    if (m_fragment != UNSET)
    {
        sep();
        os << (m_fragment == INVERTED ? "! -f" : "-f");
    }
    if (m_syn != UNSET)
    {
        sep();
        os << (m_syn == INVERTED ? "! -y" : "-y");
    }
    if (m_tosAnd != 0xFF || m_tosXor != 0x00)
    {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "-t 0x%02X 0x%02X", m_tosAnd, m_tosXor);
        sep();
        os << buf;
    }
    if (m_log)
    {
        sep();
        os << "-l";
    }
    if (m_markOp == MARK_SET)
    {
        sep();
        os << "-m " << m_markValue;
    }
    else if (m_markOp == MARK_ADD)
    {
        sep();
        if (m_markValue > 0x7FFFFFFFU)
        {
            os << "-m -" << static_cast<uint32_t>(0U - m_markValue);
        }
        else
        {
            os << "-m +" << m_markValue;
        }
    }
    if (m_target != NONE)
    {
        sep();
        os << "-j " << GetTargetName();
        if (m_target == DIVERT || (m_target == REDIRECT && m_targetPort != 0))
        {
            os << " " << m_targetPort;
        }
    }
    return os.str();
}

std::ostream&
operator<<(std::ostream& os, const FirewallRule& rule)
{
    os << rule.ToString();
    return os;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FIREWALL_RULE_H
#define FIREWALL_RULE_H

#include "firewall-packet.h"

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief One ipchains rule: what it matches, what it does, and its counters.
 *
 * A value type. The same model is filled by the command-line parser
 * (IpchainsParser) and by the typed API of Ipchains, and both go through
 * Validate() and the chain checks of Ipchains, so a rule means the same
 * thing whichever door it came in by.
 *
 * The fields follow struct ip_fw of Linux 2.2 (include/linux/ip_fw.h):
 * - addresses are stored already masked, as ipchains stores them;
 * - port ranges are inclusive; a reversed range (min > max) is kept and
 *   simply never matches, as in ip_fw.c;
 * - for ICMP the type travels in the source port range and the code in the
 *   destination port range (ipchains(8), "-d ... For ICMP ... a destination
 *   port refers to the numeric ICMP code");
 * - an empty interface name matches every interface; a trailing '+' makes
 *   the name a prefix (ipchains 1.2 wildcard interfaces).
 */
class FirewallRule
{
  public:
    /** \brief What a matching packet is handed to (ipchains -j). */
    enum Target
    {
        NONE,    //!< no -j: the rule only counts (listed as "-")
        ACCEPT,  //!< let the packet through
        DENY,    //!< drop silently
        REJECT,  //!< drop and answer with ICMP destination unreachable
        RETURN,  //!< go back to the calling chain (or the policy)
        CHAIN,   //!< jump to a user-defined chain
        DIVERT,  //!< hand the packet to the divert socket bound to a port
        MASQ,    //!< masquerade (forward and user chains)
        REDIRECT //!< transparent proxy redirection (input and user chains)
    };

    /**
     * \brief A flag that can be required, required absent, or ignored:
     * `-f` / `! -f` and `-y` / `! -y`.
     */
    enum Flag
    {
        UNSET,   //!< option not given: the rule does not look
        SET,     //!< `-f` or `-y`
        INVERTED //!< `! -f` or `! -y`
    };

    /** \brief What `-m` does to the packet mark. */
    enum MarkOp
    {
        MARK_NONE, //!< no -m
        MARK_SET,  //!< `-m N`: the mark becomes N
        MARK_ADD   //!< `-m +N` / `-m -N`: N is added (modulo 2^32)
    };

    /** \brief IP protocol numbers ipchains treats specially. */
    static constexpr uint8_t PROTO_ALL = 0;      //!< "all": every protocol
    static constexpr uint8_t PROTO_ICMP = 1;     //!< ICMP
    static constexpr uint8_t PROTO_TCP = 6;      //!< TCP
    static constexpr uint8_t PROTO_UDP = 17;     //!< UDP
    static constexpr uint16_t PORT_MAX = 0xFFFF; //!< top of the full port range

    /** \brief A rule that matches every packet and only counts it. */
    FirewallRule();

    /**
     * \brief Set the protocol to match (ipchains -p).
     * \param protocol IP protocol number; 0 means all protocols
     * \param inverted true for `-p ! proto`
     */
    void SetProtocol(uint8_t protocol, bool inverted = false);
    /** \brief Get the protocol. \return the IP protocol number, 0 for all */
    uint8_t GetProtocol() const;
    /** \brief Whether the protocol test is inverted. \return true for `-p !` */
    bool IsProtocolInverted() const;

    /**
     * \brief Set the source address test (ipchains -s).
     * \param address the address; it is stored masked
     * \param mask the mask; 0.0.0.0 matches anything
     * \param inverted true for `-s ! addr`
     */
    void SetSource(Ipv4Address address, Ipv4Mask mask, bool inverted = false);
    /** \brief Get the (masked) source address. \return the address */
    Ipv4Address GetSource() const;
    /** \brief Get the source mask. \return the mask */
    Ipv4Mask GetSourceMask() const;
    /** \brief Whether the source test is inverted. \return true for `-s !` */
    bool IsSourceInverted() const;

    /**
     * \brief Set the destination address test (ipchains -d).
     * \param address the address; it is stored masked
     * \param mask the mask; 0.0.0.0 matches anything
     * \param inverted true for `-d ! addr`
     */
    void SetDestination(Ipv4Address address, Ipv4Mask mask, bool inverted = false);
    /** \brief Get the (masked) destination address. \return the address */
    Ipv4Address GetDestination() const;
    /** \brief Get the destination mask. \return the mask */
    Ipv4Mask GetDestinationMask() const;
    /** \brief Whether the destination test is inverted. \return true for `-d !` */
    bool IsDestinationInverted() const;

    /**
     * \brief Set the source port range, or the ICMP type range (--sport).
     * \param min first port of the inclusive range
     * \param max last port of the inclusive range
     * \param inverted true for `--sport ! range`
     */
    void SetSourcePorts(uint16_t min, uint16_t max, bool inverted = false);
    /** \brief Get the first source port. \return the port */
    uint16_t GetSourcePortMin() const;
    /** \brief Get the last source port. \return the port */
    uint16_t GetSourcePortMax() const;
    /** \brief Whether the source port test is inverted. \return true if inverted */
    bool IsSourcePortInverted() const;
    /**
     * \brief Whether the rule asks anything of the source port.
     * \return false for the full range 0:65535 not inverted
     */
    bool HasSourcePorts() const;

    /**
     * \brief Set the destination port range, or the ICMP code range (--dport).
     * \param min first port of the inclusive range
     * \param max last port of the inclusive range
     * \param inverted true for `--dport ! range`
     */
    void SetDestinationPorts(uint16_t min, uint16_t max, bool inverted = false);
    /** \brief Get the first destination port. \return the port */
    uint16_t GetDestinationPortMin() const;
    /** \brief Get the last destination port. \return the port */
    uint16_t GetDestinationPortMax() const;
    /** \brief Whether the destination port test is inverted. \return true if inverted */
    bool IsDestinationPortInverted() const;
    /**
     * \brief Whether the rule asks anything of the destination port.
     * \return false for the full range 0:65535 not inverted
     */
    bool HasDestinationPorts() const;

    /**
     * \brief Match one ICMP type (any code), as `--icmp-type N` does.
     * \param type the ICMP type, kept in the source port range
     * \param inverted true for `--icmp-type ! N`
     */
    void SetIcmpType(uint8_t type, bool inverted = false);
    /**
     * \brief Match one ICMP type and code, as `-s 0/0 T -d 0/0 C` does.
     * \param type the ICMP type (source port range)
     * \param code the ICMP code (destination port range)
     */
    void SetIcmpTypeCode(uint8_t type, uint8_t code);

    /**
     * \brief Set the interface test (ipchains -i).
     * \param name interface name; "" matches all; a trailing '+' matches
     *        every name that begins with the rest
     * \param inverted true for `-i ! name`
     */
    void SetInterface(const std::string& name, bool inverted = false);
    /** \brief Get the interface as given, '+' included. \return the name */
    std::string GetInterface() const;
    /** \brief Whether the interface test is inverted. \return true for `-i !` */
    bool IsInterfaceInverted() const;
    /** \brief Whether the interface name is a '+' wildcard. \return true if so */
    bool IsInterfaceWildcard() const;

    /**
     * \brief Set the fragment test: `-f` matches only second and further
     * fragments, `! -f` only unfragmented packets and first fragments.
     * \param flag the test
     */
    void SetFragment(Flag flag);
    /** \brief Get the fragment test. \return the test */
    Flag GetFragment() const;

    /**
     * \brief Set the SYN test: `-y` matches only TCP packets with SYN set
     * and ACK (and RST) clear, `! -y` only the others.
     * \param flag the test
     */
    void SetSyn(Flag flag);
    /** \brief Get the SYN test. \return the test */
    Flag GetSyn() const;

    /**
     * \brief Set the TOS masks (ipchains -t): a matching packet's TOS
     * becomes (tos AND andMask) XOR xorMask (ip_fw.c ip_fw_domatch).
     * \param andMask the and mask (0xFF leaves every bit)
     * \param xorMask the xor mask (0x00 flips nothing)
     */
    void SetTos(uint8_t andMask, uint8_t xorMask);
    /** \brief Get the TOS and mask. \return the mask */
    uint8_t GetTosAnd() const;
    /** \brief Get the TOS xor mask. \return the mask */
    uint8_t GetTosXor() const;

    /**
     * \brief Set logging (ipchains -l): a matching packet fires the
     * Ipchains "Log" trace source.
     * \param log true to log
     */
    void SetLog(bool log);
    /** \brief Whether the rule logs. \return true if -l */
    bool GetLog() const;

    /**
     * \brief Set the mark operation (ipchains -m).
     * \param op set, add, or none
     * \param value the mark to set, or the amount to add (a subtraction
     *        is the two's complement, as ipchains passes it to the kernel)
     */
    void SetMark(MarkOp op, uint32_t value);
    /** \brief Get the mark operation. \return the operation */
    MarkOp GetMarkOp() const;
    /** \brief Get the mark value. \return the value */
    uint32_t GetMarkValue() const;

    /**
     * \brief Set a target that takes no argument.
     * \param target NONE, ACCEPT, DENY, REJECT, RETURN or MASQ; CHAIN,
     *        DIVERT and REDIRECT have their own setters (given here they
     *        keep the current chain name or port)
     */
    void SetTarget(Target target);
    /**
     * \brief Jump to a user-defined chain.
     * \param chain the chain name (case-sensitive, at most 8 characters)
     */
    void SetJump(const std::string& chain);
    /**
     * \brief Divert matching packets to a divert socket.
     * \param port the divert port (1..65535)
     */
    void SetDivert(uint16_t port);
    /**
     * \brief Redirect matching packets to a local port.
     * \param port the port; 0 keeps the packet's destination port
     */
    void SetRedirect(uint16_t port = 0);
    /**
     * \brief Set the target from an ipchains target name: ACCEPT, DENY,
     * REJECT, RETURN, MASQ, REDIRECT, DIVERT, or any other word as a user
     * chain. Case-sensitive, like ipchains. "" means no target.
     * \param name the target name
     * \param port the DIVERT or REDIRECT port (ignored otherwise)
     */
    void SetTargetName(const std::string& name, uint16_t port = 0);
    /** \brief Get the target kind. \return the target */
    Target GetTarget() const;
    /** \brief Get the user chain of a CHAIN target. \return the name, or "" */
    std::string GetTargetChain() const;
    /** \brief Get the DIVERT or REDIRECT port. \return the port, or 0 */
    uint16_t GetTargetPort() const;
    /**
     * \brief Get the target as ipchains names it.
     * \return "ACCEPT", "DIVERT", a chain name, ... or "" for no target
     */
    std::string GetTargetName() const;

    /** \brief Packets counted by this rule. \return the count */
    uint64_t GetPackets() const;
    /** \brief Bytes counted by this rule. \return the count */
    uint64_t GetBytes() const;
    /**
     * \brief Count one matching packet.
     * \param bytes the size of the IP datagram
     */
    void Count(uint32_t bytes);
    /**
     * \brief Set both counters.
     * \param packets the packet count
     * \param bytes the byte count
     */
    void SetCounters(uint64_t packets, uint64_t bytes);
    /** \brief Zero both counters (ipchains -Z). */
    void ResetCounters();

    /**
     * \brief Whether a packet matches this rule (ip_fw.c ip_rule_match).
     *
     * A non-first fragment, or a packet whose transport header is not
     * known (FirewallPacket::hasPorts false), never matches a rule that
     * asks for ports, an ICMP type/code or the SYN flag, even inverted.
     * \param packet the packet description
     * \return true if every test of the rule passes
     */
    bool Matches(const FirewallPacket& packet) const;
    /**
     * \brief Apply what a match does to the packet itself: the TOS masks
     * and the mark (ip_fw.c ip_fw_domatch).
     * \param packet the packet description, changed in place
     */
    void Apply(FirewallPacket& packet) const;

    /**
     * \brief The mirror rule that `-b` adds: source and destination
     * swapped with their masks and inversions, and for every protocol but
     * ICMP the port ranges too (ipchains.c swap_info).
     * \return the mirrored rule, counters zero
     */
    FirewallRule GetMirror() const;

    /**
     * \brief Whether `-D chain rule` would delete this rule, given
     * `other` as the rule on the command line. Like ip_fw.c
     * del_rule_from_chain, every field counts except the counters, the mark
     * and the TOS masks.
     * \param other the rule to compare
     * \return true if they are the same rule for deletion
     */
    bool IsSameRule(const FirewallRule& other) const;

    /**
     * \brief Check the rule on its own, as ipchains 1.3.9 does before it
     * talks to the kernel.
     * \return "" if the rule is valid, otherwise the ipchains error message
     */
    std::string Validate() const;

    /**
     * \brief Warnings ipchains prints (to standard output) for TOS masks that
     * might set more than one TOS bit on some packets.
     * \return one line per warning, no newline
     */
    std::vector<std::string> GetTosWarnings() const;

    /**
     * \brief The rule as ipchains arguments, e.g.
     * "-p tcp -s 10.0.0.0/8 -d 0.0.0.0/0 80 -j ACCEPT"; parsing it gives the
     * same rule back.
     * \return the rule specification
     */
    std::string ToString() const;

    /**
     * \brief Name of a target kind.
     * \param target the target
     * \return "ACCEPT", ..., "" for NONE, "CHAIN" for CHAIN
     */
    static std::string TargetToString(Target target);

  private:
    /**
     * \brief Test one port against a range, ip_fw.c port_match with the
     * stricter rule for unknown ports described at Matches().
     * \param min first port
     * \param max last port
     * \param inverted whether the test is inverted
     * \param known whether the packet's port is known
     * \param port the packet's port
     * \return true if the test passes
     */
    static bool PortMatch(uint16_t min, uint16_t max, bool inverted, bool known, uint16_t port);

    uint8_t m_protocol;             //!< IP protocol, 0 = all
    bool m_protocolInverted;        //!< -p !
    Ipv4Address m_source;           //!< masked source address
    Ipv4Mask m_sourceMask;          //!< source mask
    bool m_sourceInverted;          //!< -s !
    Ipv4Address m_destination;      //!< masked destination address
    Ipv4Mask m_destinationMask;     //!< destination mask
    bool m_destinationInverted;     //!< -d !
    uint16_t m_sourcePortMin;       //!< first source port / ICMP type
    uint16_t m_sourcePortMax;       //!< last source port / ICMP type
    bool m_sourcePortInverted;      //!< --sport !
    uint16_t m_destinationPortMin;  //!< first destination port / ICMP code
    uint16_t m_destinationPortMax;  //!< last destination port / ICMP code
    bool m_destinationPortInverted; //!< --dport !
    std::string m_interface;        //!< interface name as given ('+' kept)
    bool m_interfaceInverted;       //!< -i !
    Flag m_fragment;                //!< -f test
    Flag m_syn;                     //!< -y test
    uint8_t m_tosAnd;               //!< TOS and mask
    uint8_t m_tosXor;               //!< TOS xor mask
    bool m_log;                     //!< -l
    MarkOp m_markOp;                //!< -m operation
    uint32_t m_markValue;           //!< -m value
    Target m_target;                //!< -j kind
    std::string m_targetChain;      //!< user chain for CHAIN
    uint16_t m_targetPort;          //!< DIVERT / REDIRECT port
    uint64_t m_packets;             //!< packet counter
    uint64_t m_bytes;               //!< byte counter
};

/**
 * \brief Print a rule as ipchains arguments (FirewallRule::ToString).
 * \param os the stream
 * \param rule the rule
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const FirewallRule& rule);

} // namespace ns3

#endif /* FIREWALL_RULE_H */

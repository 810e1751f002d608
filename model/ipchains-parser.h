/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPCHAINS_PARSER_H
#define IPCHAINS_PARSER_H

#include "firewall-packet.h"
#include "firewall-rule.h"

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief One ipchains command line, parsed.
 *
 * Produced by IpchainsParser and carried out by Ipchains::Execute. The
 * rule is a FirewallRule, the same model the typed API of Ipchains takes.
 */
struct IpchainsCommand
{
    /** \brief The command (ipchains(8) COMMANDS). */
    enum Kind
    {
        NONE,         //!< nothing parsed yet
        APPEND,       //!< -A chain rule
        INSERT,       //!< -I chain [n] rule
        DELETE,       //!< -D chain rule
        DELETE_NUM,   //!< -D chain n
        REPLACE,      //!< -R chain n rule
        LIST,         //!< -L [chain] (with -Z: list, then zero)
        FLUSH,        //!< -F [chain]
        ZERO,         //!< -Z [chain]
        NEW_CHAIN,    //!< -N chain
        DELETE_CHAIN, //!< -X [chain]
        SET_POLICY,   //!< -P chain target
        CHECK,        //!< -C chain packet
        VERSION,      //!< -V
        HELP          //!< -h [icmp]
    };

    Kind kind{NONE};           //!< the command
    std::string chain;         //!< chain name; "" = every chain (-L, -F, -Z, -X)
    uint32_t ruleNumber{0};    //!< 1-based rule number (-I, -R, -D n)
    FirewallRule rule;         //!< the rule (-A, -I, -D, -R) or packet spec (-C)
    bool bidirectional{false}; //!< -b: the mirror rule too
    bool verbose{false};       //!< -v
    bool numeric{false};       //!< -n
    bool exact{false};         //!< -x
    bool lineNumbers{false};   //!< --line-numbers
    bool zero{false};          //!< -L with -Z: zero the counters after listing
    bool icmpHelp{false};      //!< -h icmp: list the ICMP type names
    bool noWarnings{false};    //!< --no-warnings: no TOS warnings
    std::string policy;        //!< -P target
    FirewallPacket packet;     //!< -C: the packet to check
};

/**
 * \ingroup divert
 * \brief Parser of ipchains 1.3.9 command lines (with the divert patch).
 *
 * The command line is split at whitespace (no shell quoting); a leading
 * `ipchains` word is optional. Options follow ipchains(8) and ipchains.c:
 * short options may be bundled (`-nvL`) and take their argument attached
 * or as the next word, long options may be abbreviated to any unique
 * prefix and take `--opt=value` or `--opt value`, `!` inverts the next
 * test (`-s ! addr`, `! -f`, `--dport ! 80`).
 *
 * Errors are the messages ipchains prints, without the program name and
 * the "Try `ipchains -h'" line, and quote the offending word the way
 * ipchains does ("host/network `1.2.3.999' not found"). A few situations
 * ipchains leaves to getopt or handles silently get a message here:
 * stray words ("Bad argument `foo'"), unknown options, missing arguments.
 *
 * Names are resolved without any system database, so that a simulation
 * gives the same answer on every machine: protocols, services and ICMP
 * types come from the built-in tables of IpchainsNames, the only host
 * name known is `localhost`.
 */
class IpchainsParser
{
  public:
    /// Longest chain name (IP_FW_MAX_LABEL_LENGTH of Linux 2.2).
    static constexpr std::size_t MAX_CHAIN_NAME = 8;

    /**
     * \brief Parse one command line.
     * \param line the command line, e.g. "ipchains -A input -p tcp -j DENY"
     * \param command the parsed command (valid only on success)
     * \param error the ipchains error message on failure
     * \return true on success
     */
    static bool Parse(const std::string& line, IpchainsCommand& command, std::string& error);

    /**
     * \brief Parse a command already split into words (no `ipchains` word).
     * \param args the words
     * \param command the parsed command (valid only on success)
     * \param error the ipchains error message on failure
     * \return true on success
     */
    static bool ParseArguments(const std::vector<std::string>& args,
                               IpchainsCommand& command,
                               std::string& error);

    /**
     * \brief Split a command line into words, dropping a leading
     * `ipchains` (or `/sbin/ipchains`) word.
     * \param line the line
     * \return the words
     */
    static std::vector<std::string> Tokenize(const std::string& line);

    /**
     * \brief Parse `addr[/mask]` as ipchains does: the mask is a prefix
     * length or a dotted quad; with a zero mask the address is ignored
     * ("any/0"); the address is returned masked.
     * \param text the word
     * \param address the address
     * \param mask the mask
     * \param error the message on failure
     * \return true on success
     */
    static bool ParseHostNetworkMask(const std::string& text,
                                     Ipv4Address& address,
                                     Ipv4Mask& mask,
                                     std::string& error);

    /**
     * \brief Parse a protocol: a number 0..255, `all`, or a name of the
     * built-in protocol table (case-insensitive).
     * \param text the word
     * \param protocol the protocol number
     * \param error the message on failure
     * \return true on success
     */
    static bool ParseProtocol(const std::string& text, uint8_t& protocol, std::string& error);

    /**
     * \brief Parse `port`, `port:port`, `:port` or `port:` for a protocol.
     * \param text the word
     * \param protocol tcp, udp or icmp (ports need one of them)
     * \param min first port
     * \param max last port
     * \param error the message on failure
     * \return true on success
     */
    static bool ParsePorts(const std::string& text,
                           uint8_t protocol,
                           uint16_t& min,
                           uint16_t& max,
                           std::string& error);

    /**
     * \brief Name of a protocol for listings; same as
     * IpchainsNames::ProtocolToName.
     * \param protocol the protocol number
     * \return "all", "tcp", ... or the number in decimal
     */
    static std::string ProtocolToName(uint8_t protocol);

    /**
     * \brief Service name of a port, from the built-in table; same as
     * IpchainsNames::PortToService.
     * \param port the port
     * \param protocol tcp or udp
     * \return the name, or "" if the table has none
     */
    static std::string PortToService(uint16_t port, uint8_t protocol);

    /**
     * \brief ICMP name of a type/code selection, as `ipchains -L` prints
     * it; same as IpchainsNames::IcmpToName.
     * \param typeMin first type
     * \param typeMax last type
     * \param codeMin first code
     * \param codeMax last code
     * \return the first name of the ICMP table that has exactly this
     *         selection, or ""
     */
    static std::string IcmpToName(uint16_t typeMin,
                                  uint16_t typeMax,
                                  uint16_t codeMin,
                                  uint16_t codeMax);

    /**
     * \brief The ICMP type names, one per line, grouped by type (`-h icmp`);
     * same as IpchainsNames::IcmpHelp.
     * \return the text
     */
    static std::string IcmpHelp();

    /**
     * \brief A short usage text (`-h`).
     * \return the text
     */
    static std::string Usage();
};

} // namespace ns3

#endif /* IPCHAINS_PARSER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPCHAINS_NAMES_H
#define IPCHAINS_NAMES_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief The name tables of ipchains: protocols, services and ICMP
 * types, both ways.
 *
 * The firewall's listings and rule printing (Ipchains, FirewallRule) and
 * the command-line parser (IpchainsParser) read the same tables. Names
 * are resolved without any system database, so that a simulation gives
 * the same answer on every machine: protocols and services come from
 * small built-in tables standing in for /etc/protocols and /etc/services,
 * the ICMP names are those of ipchains.c (`ipchains -h icmp`).
 */
class IpchainsNames
{
  public:
    /**
     * \brief One ICMP name of the ipchains table: a type and a range of
     * codes.
     */
    struct IcmpName
    {
        const char* name;          //!< the name
        uint16_t type;             //!< ICMP type
        uint16_t codeMin;          //!< first code
        uint16_t codeMax;          //!< last code
        bool useCodeMinForTesting; //!< -C may use codeMin as the packet's code
    };

    /**
     * \brief Name of a protocol for listings.
     * \param protocol the protocol number
     * \return "all", "tcp", ... or the number in decimal
     */
    static std::string ProtocolToName(uint8_t protocol);

    /**
     * \brief Protocol of a name of the built-in protocol table
     * (case-insensitive; "all" is 0). Numbers are not names.
     * \param name the name
     * \param protocol the protocol number (set only on success)
     * \return true if the table has the name
     */
    static bool NameToProtocol(const std::string& name, uint8_t& protocol);

    /**
     * \brief Service name of a port, from the built-in table.
     * \param port the port
     * \param protocol tcp or udp
     * \return the name, or "" if the table has none
     */
    static std::string PortToService(uint16_t port, uint8_t protocol);

    /**
     * \brief Port of a service name of the built-in table (case-sensitive,
     * as /etc/services). Numbers are not names.
     * \param name the service name
     * \param protocol tcp or udp
     * \param port the port (set only on success)
     * \return true if the table has the name for that protocol
     */
    static bool ServiceToPort(const std::string& name, uint8_t protocol, uint16_t& port);

    /**
     * \brief ICMP name of a type/code selection, as `ipchains -L` prints it.
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
     * \brief ICMP type and codes of a name, as --icmp-type takes it: any
     * case-insensitive prefix of a name of the table (ipchains.c
     * parse_icmp).
     * \param prefix the name or a prefix of it
     * \return the entries whose name begins with the prefix, in table
     *         order: none if the name is unknown, more than one if it is
     *         ambiguous
     */
    static std::vector<IcmpName> NameToIcmp(const std::string& prefix);

    /**
     * \brief The ICMP type names, one per line, grouped by type (`-h icmp`).
     * \return the text
     */
    static std::string IcmpHelp();
};

} // namespace ns3

#endif /* IPCHAINS_NAMES_H */

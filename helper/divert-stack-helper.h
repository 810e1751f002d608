/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_STACK_HELPER_H
#define DIVERT_STACK_HELPER_H

#include "ns3/divert-ipv4-l3-protocol.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/internet-trace-helper.h"
#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv6-routing-helper.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <memory>
#include <string>

namespace ns3
{

/**
 * \ingroup divert
 * \brief Installs the divert IPv4 stack on nodes, as InternetStackHelper installs the plain one.
 *
 * On each node: ARP, DivertIpv4L3Protocol (configured with the attributes
 * given through SetStackAttribute, e.g. the kernel options "PassThrough" and
 * "AlwaysDefragment"), ICMPv4, the IPv4 routing protocol made by the routing
 * helper (by default static + global routing, like InternetStackHelper),
 * optionally a plain IPv6 stack, traffic control, UDP, TCP, the packet socket
 * factory and the divert socket factory. Plain and divert nodes can be mixed
 * freely in one topology.
 *
 * Device-level and IPv4 pcap/ascii tracing work as with InternetStackHelper;
 * EnableDivertPcap additionally writes what crossed each divert socket.
 */
class DivertStackHelper : public PcapHelperForIpv4, public AsciiTraceHelperForIpv4
{
  public:
    DivertStackHelper();
    ~DivertStackHelper() override;

    /**
     * \brief Copy constructor.
     * \param o the helper to copy
     */
    DivertStackHelper(const DivertStackHelper& o);
    /**
     * \brief Copy assignment.
     * \param o the helper to copy
     * \return this helper
     */
    DivertStackHelper& operator=(const DivertStackHelper& o);

    /**
     * \brief Set the IPv4 routing helper (copied).
     * \param routing the routing helper
     */
    void SetRoutingHelper(const Ipv4RoutingHelper& routing);

    /**
     * \brief Set an attribute of every DivertIpv4L3Protocol installed from now on.
     * \param name attribute name, e.g. "PassThrough", "AlwaysDefragment", "ReinjectionMode"
     * \param value its value
     *
     * A wrong name or value is a fatal configuration error, as in every ns-3 helper.
     */
    void SetStackAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set the TCP implementation.
     * \param tid the TypeId name of the TCP L4 protocol
     */
    void SetTcp(const std::string& tid);

    /**
     * \brief Also install a plain ns-3 IPv6 stack (default: true, like InternetStackHelper).
     * \param enable true to install IPv6
     */
    void SetIpv6StackInstall(bool enable);

    /**
     * \brief Enable or disable ARP request (and IPv6 solicitation) jitter.
     * \param enable false makes ARP requests and solicitations leave at once
     */
    void SetIpv4ArpJitter(bool enable);

    /**
     * \brief Install the stack on a node.
     * \param node the node (must have no IPv4 stack yet)
     */
    void Install(Ptr<Node> node) const;
    /**
     * \brief Install the stack on a node known by name.
     * \param nodeName the name given with Names
     */
    void Install(std::string nodeName) const;
    /**
     * \brief Install the stack on every node of a container.
     * \param c the nodes
     */
    void Install(NodeContainer c) const;
    /**
     * \brief Install the stack on every node of the simulation.
     */
    void InstallAll() const;

    /**
     * \brief Assign fixed random variable streams.
     * \param c the nodes
     * \param stream the first stream index
     * \return the number of streams assigned
     */
    int64_t AssignStreams(NodeContainer c, int64_t stream);

    /**
     * \brief The divert stack of a node.
     * \param node the node
     * \return the stack, nullptr if the node has none
     */
    static Ptr<DivertIpv4L3Protocol> GetStack(Ptr<Node> node);

    /**
     * \brief Write a pcap file (raw IPv4 link type) of what crosses each divert socket.
     *
     * One file per node and divert port, `<prefix>-<node>-<port>.pcap`,
     * created when the first packet crosses the port: each datagram the
     * stack diverts to the port and each datagram the socket sends.
     * \param prefix file name prefix
     * \param c the nodes (nodes without a divert stack are skipped)
     */
    void EnableDivertPcap(const std::string& prefix, NodeContainer c);

  private:
    void EnablePcapIpv4Internal(std::string prefix,
                                Ptr<Ipv4> ipv4,
                                uint32_t interface,
                                bool explicitFilename) override;
    void EnableAsciiIpv4Internal(Ptr<OutputStreamWrapper> stream,
                                 std::string prefix,
                                 Ptr<Ipv4> ipv4,
                                 uint32_t interface,
                                 bool explicitFilename) override;

    std::unique_ptr<Ipv4RoutingHelper> m_routing;   //!< IPv4 routing helper
    std::unique_ptr<Ipv6RoutingHelper> m_routingv6; //!< IPv6 routing helper (static)
    ObjectFactory m_stackFactory;                   //!< makes DivertIpv4L3Protocol
    ObjectFactory m_tcpFactory;                     //!< makes the TCP L4 protocol
    bool m_ipv6Enabled;                             //!< install IPv6 too
    bool m_arpJitter;                               //!< ARP request jitter
    InternetStackHelper m_tracer;                   //!< pcap/ascii tracing of IPv4
};

} // namespace ns3

#endif /* DIVERT_STACK_HELPER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_IPV4_L3_PROTOCOL_H
#define DIVERT_IPV4_L3_PROTOCOL_H

#include "divert-lazy.h"
#include "ipchains.h"
#include "ipv4-fragmenter.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <list>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class DivertSocket;
class DivertRoutingShim;
class Ipv4Reassembler;

/**
 * \defgroup divert Divert sockets and ipchains firewall
 *
 * An IPv4 stack in which every packet walks the ipchains input, forward and
 * output chains of Linux 2.2, a `DIVERT port` rule hands packets to a
 * divert socket, and the application can reinject, mangle, inject or drop
 * them. Models the Linux Divert Sockets mini-HOWTO, including its three
 * kernel options.
 */

/**
 * \ingroup divert
 * \brief IPv4 layer with ipchains firewall chains and divert sockets.
 *
 * A subclass of Ipv4L3Protocol, so that ARP, pcap/ascii tracing,
 * FlowMonitor and routing protocols that look up Ipv4L3Protocol keep working.
 *
 * Where a packet meets the firewall (Linux 2.2 ipchains):
 * - input: in the routing protocol's RouteInput, which this stack wraps
 *   (DivertRoutingShim): every received packet or fragment, including those
 *   that arrive on the loopback and those that will be forwarded;
 * - forward: after the routing decision chose another interface, after the
 *   TTL was checked and decremented;
 * - output: for every packet that leaves on an interface (locally generated
 *   and forwarded); by default each fragment walks it on its own.
 *
 * Sending is done by this class (Send, SendWithHeader and forwarding are
 * taken over so that DF is honoured, fragments are built by Ipv4Fragmenter
 * and every fragment walks the output chain); each finished frame leaves
 * through the base class, so its "Tx" trace (used by pcap) still fires.
 * Local delivery of fragments uses Ipv4Reassembler, not the ns-3 one.
 *
 * The base class's trace sources keep their meaning: "Tx" and "Rx" (pcap),
 * "LocalDeliver" fire from the base class; "SendOutgoing", "UnicastForward"
 * and "Drop" are fired by this class where the base class would fire them,
 * so FlowMonitor and ascii tracing see divert nodes like plain ones.
 */
class DivertIpv4L3Protocol : public Ipv4L3Protocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DivertIpv4L3Protocol();
    ~DivertIpv4L3Protocol() override;

    /** Where a reinjected packet re-enters the chain that diverted it (SPEC §4). */
    enum ReinjectionMode
    {
        REINJECT_RESUME,  //!< at the rule after the diverting one (FreeBSD)
        REINJECT_ACCEPT,  //!< the diverting chain accepts it (OpenBSD)
        REINJECT_RESTART, //!< the diverting chain is walked again from its first rule
    };

    /** Which fragments the firewall looks at (SPEC §1). */
    enum FragmentFiltering
    {
        FILTER_EVERY_FRAGMENT,      //!< Linux 2.2: every fragment walks the chains
        FILTER_FIRST_FRAGMENT_ONLY, //!< Linux 2.0: later fragments pass unchecked
    };

    /** Why the divert stack dropped a packet (trace source "DivertDrop"). */
    enum DivertDropReason
    {
        DIVERT_DROP_RULE = 1,      //!< DENY or REJECT target, or a DENY/REJECT policy
        DIVERT_DROP_NO_LISTENER,   //!< DIVERT rule and no socket bound to the port
        DIVERT_DROP_QUEUE_FULL,    //!< the divert socket's receive queue was full
        DIVERT_DROP_TOO_BIG,       //!< larger than the MTU and may not be fragmented
        DIVERT_DROP_LOOP,          //!< diverted more than MaxDivertPasses times
        DIVERT_DROP_BAD_HEADER,    //!< a buffer sent on a divert socket was not IPv4
        DIVERT_DROP_FIREWALL_LOOP, //!< the firewall walk was caught in a loop
        /// a send found no route: 0.0.0.0 and the routing protocol has none,
        /// or a link-local multicast or broadcast with no interface to leave by
        DIVERT_DROP_NO_ROUTE,
        /// a send to an address that is not the node's, or not an IPv4 one
        DIVERT_DROP_BAD_ADDRESS,
        /// a transport header ns-3's own deserialisers cannot survive (a TCP
        /// option of length 0, a TCP MSS option not 4 bytes long, an ICMP
        /// message shorter than its fixed part): refused on a send, dropped
        /// when the stack's reassembly makes one
        DIVERT_DROP_BAD_TRANSPORT,
        /// queued on a divert socket that was closed or shut down for reading
        DIVERT_DROP_SOCKET_CLOSED,
        /// queued on a divert socket when the socket or the stack was disposed
        DIVERT_DROP_DISPOSED,
        /// a DivertInterceptor's verdict was DROP
        DIVERT_DROP_VERDICT,
        /// a DivertInterceptor's verdict was MODIFY without a datagram
        DIVERT_DROP_BAD_VERDICT,
        /// held by a DivertInterceptor (its processing delay) when it stopped
        DIVERT_DROP_APP_STOPPED,
        /// sent in on an interface that is down
        DIVERT_DROP_INTERFACE_DOWN,
    };

    /** Counters like OpenBSD's divstat, plus what this model adds. */
    struct DivertStats
    {
        uint64_t delivered{0};     //!< packets handed to a divert socket (divs_ipackets)
        uint64_t noPort{0};        //!< DIVERT rule matched, no socket bound (divs_noport)
        uint64_t queueFull{0};     //!< receive queue full (divs_fullsock)
        uint64_t sent{0};          //!< packets sent on divert sockets (divs_opackets)
        uint64_t errors{0};        //!< sends refused with an error (divs_errors)
        uint64_t reinjected{0};    //!< sent packets that had been diverted
        uint64_t injected{0};      //!< sent packets with no diversion history
        uint64_t loopDrops{0};     //!< dropped by the loop guard
        uint64_t tooBig{0};        //!< dropped: larger than the MTU, not fragmented
        uint64_t ruleDrops{0};     //!< dropped by DENY/REJECT rules and policies
        uint64_t rejected{0};      //!< of those, REJECT (an ICMP error may follow)
        uint64_t fragNeeded{0};    //!< DF set and too big: ICMP fragmentation needed
        uint64_t passedThrough{0}; //!< DIVERT with no listener, passed on (pass-through)
        uint64_t noRoute{0};       //!< sends refused: no route (DIVERT_DROP_NO_ROUTE)
        uint64_t badAddress{0};    //!< sends refused: not the node's address
        uint64_t badHeader{0};     //!< sends refused: not an IPv4 datagram, bad IP options
        uint64_t badTransport{0};  //!< refused or dropped: DIVERT_DROP_BAD_TRANSPORT
        uint64_t socketClosed{0};  //!< queued datagrams lost to Close or ShutdownRecv
        uint64_t disposed{0};      //!< queued datagrams lost to disposal
        uint64_t verdictDrops{0};  //!< DROP verdicts of interceptors
        uint64_t badVerdicts{0};   //!< MODIFY verdicts without a datagram
        uint64_t appStopped{0};    //!< datagrams an interceptor held when it stopped
        uint64_t interfaceDown{0}; //!< sent in on an interface that is down
    };

    /** What the stack remembers of a diversion (the port of the address). */
    struct DiversionInfo
    {
        Ipchains::Hook hook{Ipchains::INPUT};  //!< built-in chain the packet was walking
        std::vector<Ipchains::Frame> position; //!< diverting rule, with the chains above it
        uint32_t passes{0};                    //!< how many times it has been diverted
        uint32_t mark{0};                      //!< packet mark at diversion time
        uint32_t interface {
            0
        };                       //!< interface index of the chain walk (as `-i` saw it)
        uint32_t inInterface{0}; //!< interface index the packet arrived on
        uint16_t port{0};        //!< divert port of the rule
    };

    /**
     * \brief The firewall of this node.
     *
     * Made on first use (this call, or the first packet to reach a chain),
     * with the Ipchains attribute defaults in force when the stack was made.
     * \return the ipchains tables (nullptr once the stack is disposed)
     */
    Ptr<Ipchains> GetFirewall() const;

    /**
     * \brief The reassembly engine of this node (local delivery and always-defragment).
     *
     * Made on first use (this call, or the first fragment), with the
     * Ipv4Reassembler attribute defaults in force when the stack was made.
     * \return the reassembler (nullptr once the stack is disposed)
     */
    Ptr<Ipv4Reassembler> GetReassembler() const;

    /**
     * \brief The name of an interface as rules see it (`-i`).
     * \param interface the interface index
     * \return "lo", "eth0", ... or the name given to the device with Names
     */
    std::string GetInterfaceName(uint32_t interface) const;

    /**
     * \brief Read the interface names the firewall matches `-i` against
     * again.
     *
     * The firewall reads the name of an interface (GetInterfaceName) once,
     * when the first packet crosses it, because a Names look-up for every
     * packet would cost more than the rules. Names given to a device with
     * Names::Add before that are seen; after a device is named or renamed
     * during the run, call this.
     */
    void RefreshInterfaceNames();

    /**
     * \brief The divstat-like counters.
     * \return the counters
     */
    DivertStats GetDivertStats() const;

    /**
     * \brief Look up a diversion by the port field of the address a divert socket returned.
     * \param handle the port of the address handed back with a diverted packet
     * \param info filled in when found
     * \return true if the stack still remembers that diversion
     */
    bool LookupDiversion(uint16_t handle, DiversionInfo& info) const;

    /**
     * \brief Whether divert sockets are compiled in (the "DivertSockets" kernel option).
     * \return the option's value
     */
    bool IsDivertEnabled() const;

    // Divert socket plumbing, used by DivertSocket and its factory.

    /**
     * \brief Create a divert socket on this node.
     * \return the socket (in an error state if divert sockets are disabled)
     */
    Ptr<DivertSocket> CreateDivertSocket();

    /**
     * \brief Forget a closed divert socket.
     * \param socket the socket
     */
    void DeleteDivertSocket(Ptr<DivertSocket> socket);

    /**
     * \brief Bind a divert port.
     * \param socket the socket
     * \param port the port; 0 picks a free one
     * \return the port bound, or 0 if it was in use (or none was free)
     */
    uint16_t BindDivertPort(Ptr<DivertSocket> socket, uint16_t port);

    /**
     * \brief Release a divert port.
     * \param port the port
     */
    void UnbindDivertPort(uint16_t port);

    /**
     * \brief Send a whole IPv4 datagram given by a divert socket (SPEC §4).
     * \param datagram the datagram, IPv4 header included
     * \param to 0.0.0.0 to send it out, an interface address to receive it there;
     *           the port is the handle of its diversion (0: none)
     * \param socketPort the divert port of the sending socket
     * \return ERROR_NOTERROR, or the reason the send failed (nothing was sent then)
     */
    Socket::SocketErrno DivertSend(Ptr<const Packet> datagram,
                                   const InetSocketAddress& to,
                                   uint16_t socketPort);

    /**
     * \brief Report a datagram that divert machinery outside the stack
     * discarded: count it and fire "DivertDrop".
     *
     * DivertSocket calls it for datagrams queued when it is closed or
     * disposed, DivertInterceptor for its DROP verdicts, bad verdicts and the
     * datagrams it held when it stopped.
     * \param datagram the whole datagram, IPv4 header first (other bytes are
     *        reported with an empty header)
     * \param reason why
     * \param interface the interface index it was diverted on (0 if unknown)
     */
    void DropDatagram(Ptr<const Packet> datagram, DivertDropReason reason, uint32_t interface);

    /**
     * \brief Whether ns-3's own transport deserialisers survive a datagram.
     *
     * ns-3.37 cannot parse some transport headers a divert socket can send:
     * TcpHeader::Deserialize loops forever (allocating) on an option of
     * unknown kind and length 0 and aborts on an MSS option not 4 bytes
     * long, Icmpv4Echo::Deserialize allocates about 4 GiB for an echo shorter
     * than 8 bytes, and the ICMP error, TCP and UDP header classes read past
     * a message shorter than what they read. Checked: the TCP header and
     * option list (RFC 9293 3.1: EOL and NOP are one byte, every other option
     * has a length of at least 2 that stays inside the data offset; MSS is 4
     * bytes) of a whole datagram or, on the bytes it holds, of a first
     * fragment; the length of whole ICMP messages (echo and echo reply 8,
     * destination unreachable and time exceeded 8 + quoted header + 8) and
     * UDP datagrams (8). Later fragments always pass.
     * \param header the IPv4 header
     * \param payload the IPv4 payload
     * \param error set to what is wrong, when it is
     * \return true if ns-3 can parse it
     */
    static bool CheckTransport(const Ipv4Header& header,
                               Ptr<const Packet> payload,
                               std::string& error);

    // Ipv4L3Protocol

    void SetRoutingProtocol(Ptr<Ipv4RoutingProtocol> routingProtocol) override;
    /**
     * \brief The routing protocol the user installed (not the shim around it).
     * \return the routing protocol
     */
    Ptr<Ipv4RoutingProtocol> GetRoutingProtocol() const override;
    void Send(Ptr<Packet> packet,
              Ipv4Address source,
              Ipv4Address destination,
              uint8_t protocol,
              Ptr<Ipv4Route> route) override;
    void SendWithHeader(Ptr<Packet> packet, Ipv4Header ipHeader, Ptr<Ipv4Route> route) override;
    /**
     * \brief Bring an interface up, as Ipv4L3Protocol::SetUp does, and say
     * so when it refuses.
     *
     * ns-3 keeps an interface whose device MTU is below 68 octets down (RFC
     * 791: every IPv4 link carries 68-octet datagrams; Linux removes IPv4
     * from such a device), with a log message only debug builds print. The
     * routing protocol then sends that link's traffic elsewhere, often back
     * where it came from. This stack writes the refusal to std::clog.
     * \param i the interface index
     */
    void SetUp(uint32_t i) override;
    bool AddAddress(uint32_t i, Ipv4InterfaceAddress address) override;
    bool RemoveAddress(uint32_t interfaceIndex, uint32_t addressIndex) override;
    bool RemoveAddress(uint32_t interface, Ipv4Address address) override;

    /**
     * \brief Input hook, called by DivertRoutingShim for every received packet.
     *
     * Arguments as Ipv4RoutingProtocol::RouteInput.
     * \param p the packet
     * \param header its IPv4 header
     * \param idev the device it arrived on
     * \param ucb unicast forward callback
     * \param mcb multicast forward callback
     * \param lcb local delivery callback
     * \param ecb error callback
     * \return true if the packet was taken care of
     */
    bool RouteInputHook(Ptr<const Packet> p,
                        const Ipv4Header& header,
                        Ptr<const NetDevice> idev,
                        const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                        const Ipv4RoutingProtocol::MulticastForwardCallback& mcb,
                        const Ipv4RoutingProtocol::LocalDeliverCallback& lcb,
                        const Ipv4RoutingProtocol::ErrorCallback& ecb);

    /**
     * TracedCallback signature for diverted, reinjected and injected packets.
     * \param [in] datagram the whole IPv4 datagram, header included
     * \param [in] port the divert port
     * \param [in] interface the interface index it arrived on or leaves by
     */
    typedef void (*DivertTracedCallback)(Ptr<const Packet> datagram,
                                         uint16_t port,
                                         uint32_t interface);

    /**
     * TracedCallback signature for packets the divert stack drops.
     * \param [in] header the IPv4 header
     * \param [in] payload the IPv4 payload
     * \param [in] reason why
     * \param [in] interface the interface index
     */
    typedef void (*DivertDropTracedCallback)(const Ipv4Header& header,
                                             Ptr<const Packet> payload,
                                             DivertDropReason reason,
                                             uint32_t interface);

    /**
     * TracedCallback signature for packets a rule logs (`-l`) or rejects.
     * \param [in] header the IPv4 header
     * \param [in] payload the IPv4 payload
     * \param [in] chain the chain of the rule
     * \param [in] rule the rule number (0 for a policy)
     */
    typedef void (*RuleTracedCallback)(const Ipv4Header& header,
                                       Ptr<const Packet> payload,
                                       const std::string& chain,
                                       uint32_t rule);

  protected:
    void DoDispose() override;

  private:
    /** Where a packet comes from, for the output stage. */
    enum Origin
    {
        ORIGIN_LOCAL,   //!< generated on this node
        ORIGIN_FORWARD, //!< forwarded
        ORIGIN_DIVERT,  //!< sent out by a divert socket
    };

    /** Diversion history of a reinjected packet, carried through the pipeline. */
    struct History
    {
        bool valid{false};  //!< true if the chains' walk starts from the diversion
        DiversionInfo info; //!< where (passes and mark count even when not valid)

        /**
         * Needed to bind a History to an ns-3 Callback.
         * \param o the other history
         * \return true if they differ
         */
        bool operator!=(const History& o) const;
    };

    /// The history of a packet that was never diverted.
    static const History s_noHistory;

    /** What a chain walk decided. */
    enum ChainResult
    {
        CHAIN_PASS,   //!< go on
        CHAIN_STOLEN, //!< dropped, rejected or diverted: the caller stops
    };

    /**
     * Whether a packet goes through a chain without being described or
     * walked: not filtered (legacy fragments), or an empty ACCEPT chain that
     * the packet does not resume in (counted on the policy).
     * \param hook the chain
     * \param header the IPv4 header
     * \param payload the IPv4 payload
     * \param history diversion history
     * \return true if the packet passes without a walk
     */
    bool PassesUnwalked(Ipchains::Hook hook,
                        const Ipv4Header& header,
                        Ptr<const Packet> payload,
                        const History& history);

    /**
     * Walk one built-in chain, applying the verdict.
     * \param hook the chain
     * \param payload the IPv4 payload (its mark tag is updated)
     * \param header the IPv4 header (its TOS is updated by `-t`)
     * \param interface interface index as `-i` sees it: arrival for input,
     *        departure for forward and output (ipchains(8))
     * \param inInterface arrival interface (for the divert address of forward)
     * \param history diversion history
     * \return whether the packet goes on
     */
    ChainResult RunChain(Ipchains::Hook hook,
                         Ptr<Packet> payload,
                         Ipv4Header& header,
                         uint32_t interface,
                         uint32_t inInterface,
                         const History& history);

    /**
     * Hand a packet to the divert socket of `port`.
     * \param hook the chain
     * \param verdict the firewall verdict
     * \param payload the IPv4 payload
     * \param header the IPv4 header
     * \param interface interface index of the chain walk
     * \param inInterface arrival interface
     * \param history diversion history
     */
    void Divert(Ipchains::Hook hook,
                const Ipchains::Verdict& verdict,
                Ptr<Packet> payload,
                const Ipv4Header& header,
                uint32_t interface,
                uint32_t inInterface,
                const History& history);

    /**
     * Send an ICMP error for a REJECT verdict (SPEC §2).
     * \param hook the chain
     * \param payload the rejected payload
     * \param header the rejected header
     */
    void SendReject(Ipchains::Hook hook, Ptr<const Packet> payload, const Ipv4Header& header);

    /**
     * Forwarding (replaces Ipv4L3Protocol::IpForward).
     * \param history diversion history
     * \param inInterface arrival interface index
     * \param route the route chosen by the routing protocol
     * \param p the packet
     * \param header its header
     */
    void ForwardHook(const History& history,
                     uint32_t inInterface,
                     const Ptr<Ipv4Route>& route,
                     const Ptr<const Packet>& p,
                     const Ipv4Header& header);

    /**
     * The unicast-forward callback of a packet with no diversion history
     * (bound to its arrival interface): ForwardHook with an empty history.
     * \param inInterface arrival interface index
     * \param route the route chosen by the routing protocol
     * \param p the packet
     * \param header its header
     */
    void ForwardArrived(uint32_t inInterface,
                        Ptr<Ipv4Route> route,
                        Ptr<const Packet> p,
                        const Ipv4Header& header);

    /**
     * The unicast-forward callback of a packet with a diversion history
     * (bound to it and to the arrival interface): ForwardHook.
     * \param history diversion history
     * \param inInterface arrival interface index
     * \param route the route chosen by the routing protocol
     * \param p the packet
     * \param header its header
     */
    void ForwardReinjected(History history,
                           uint32_t inInterface,
                           Ptr<Ipv4Route> route,
                           Ptr<const Packet> p,
                           const Ipv4Header& header);

    /**
     * Forward chain, then output stage; no TTL processing.
     * \param history diversion history
     * \param inInterface arrival interface index
     * \param route route
     * \param outIf the interface index of the route's device
     * \param packet payload
     * \param header header (TTL already decremented); the forward chain may
     *        rewrite its TOS
     * \param checksumSet as OutputStage
     */
    void ForwardChainAndSend(const History& history,
                             uint32_t inInterface,
                             const Ptr<Ipv4Route>& route,
                             int32_t outIf,
                             const Ptr<Packet>& packet,
                             Ipv4Header& header,
                             bool checksumSet);

    /**
     * The unicast-forward callback given to the routing protocol.
     * \param history diversion history of the packet
     * \param iif arrival interface index
     * \return ForwardArrived or ForwardReinjected bound to them
     */
    Ipv4RoutingProtocol::UnicastForwardCallback ForwardCallback(const History& history,
                                                                uint32_t iif);

    /**
     * Local delivery: reassemble fragments, then hand to the base class.
     * \param p the packet
     * \param header its header
     * \param iif the interface index
     */
    void LocalDeliverHook(Ptr<const Packet> p, const Ipv4Header& header, uint32_t iif);

    /**
     * RouteInputHook for a header that had options, or a payload that may
     * carry a stale options tag: a 20-byte header and the right tag, then
     * InputStage.
     * \param p the packet
     * \param header its header, as the base class read it
     * \param idev the arrival device
     * \return as RouteInput
     */
    bool RouteInputOptions(const Ptr<const Packet>& p,
                           const Ipv4Header& header,
                           const Ptr<const NetDevice>& idev);

    /**
     * A received packet with a 20-byte header: take the diversion history
     * DivertSend left for it, reassemble it first with always-defragment,
     * then InputChainAndRoute.
     * \param p the packet
     * \param header its header
     * \param idev the arrival device
     * \return as RouteInput
     */
    bool InputStage(const Ptr<const Packet>& p,
                    const Ipv4Header& header,
                    const Ptr<const NetDevice>& idev);

    /**
     * Always-defragment: add a received fragment to the reassembler, and
     * send the datagram it completes (if any) through InputChainAndRoute.
     * \param fragment the fragment
     * \param header its header
     * \param idev the arrival device
     * \param iif its interface index
     * \param history diversion history
     * \return as RouteInput
     */
    bool DefragmentAndInput(const Ptr<const Packet>& fragment,
                            const Ipv4Header& header,
                            const Ptr<const NetDevice>& idev,
                            uint32_t iif,
                            const History& history);

    /**
     * Drop a forwarded packet whose TTL ran out, with ICMP time exceeded
     * (RFC 1812 5.3.1).
     * \param header its header
     * \param packet its payload
     * \param outIf the interface it would have left by
     */
    void TtlExpired(const Ipv4Header& header, const Ptr<Packet>& packet, int32_t outIf);

    /**
     * Input chain, then the routing protocol, for a whole datagram or a fragment.
     * \param packet the packet
     * \param header its header
     * \param idev the arrival device
     * \param iif its interface index
     * \param history diversion history
     * \param checksumSet true if the base class's Receive set the header's
     *        checksum flag from the global value in this call (false for a
     *        reassembled datagram)
     * \return as RouteInput
     */
    bool InputChainAndRoute(const Ptr<const Packet>& packet,
                            const Ipv4Header& header,
                            const Ptr<const NetDevice>& idev,
                            uint32_t iif,
                            const History& history,
                            bool checksumSet);

    /**
     * Hand a packet to the user's routing protocol, noting which packet is
     * being routed (m_routedPacket) while it runs.
     * \param packet the packet
     * \param header its header
     * \param idev the arrival device
     * \param iif its interface index
     * \param history diversion history
     * \param checksumSet as InputChainAndRoute
     * \return as RouteInput
     */
    bool Route(const Ptr<const Packet>& packet,
               const Ipv4Header& header,
               const Ptr<const NetDevice>& idev,
               uint32_t iif,
               const History& history,
               bool checksumSet);

    /**
     * Output stage: MTU and DF, fragmentation, output chain, transmission.
     * \param route the route
     * \param packet payload
     * \param header header
     * \param history diversion history
     * \param origin where the packet comes from
     * \param outIf the interface index of the route's device (-1: none, dropped)
     * \param checksumSet true if the header's checksum flag was set from the
     *        ChecksumEnabled global value in this same call (when it was
     *        built or received); false to have the base class's
     *        SendWithHeader set it on each frame
     */
    void OutputStage(const Ptr<Ipv4Route>& route,
                     const Ptr<Packet>& packet,
                     const Ipv4Header& header,
                     const History& history,
                     Origin origin,
                     int32_t outIf,
                     bool checksumSet);

    /**
     * OutputStage for a datagram above the MTU: dropped if it came from a
     * divert socket (unless always-defragment) or has DF (with ICMP
     * fragmentation needed when forwarded), else fragmented before the
     * output chain, or after it with always-defragment.
     * \param route the route
     * \param packet payload
     * \param header header
     * \param history diversion history
     * \param origin where the packet comes from
     * \param outIf the interface index of the route's device
     * \param mtu the MTU of that device
     * \param checksumSet as OutputStage
     */
    void OutputOversize(const Ptr<Ipv4Route>& route,
                        const Ptr<Packet>& packet,
                        const Ipv4Header& header,
                        const History& history,
                        Origin origin,
                        int32_t outIf,
                        uint16_t mtu,
                        bool checksumSet);

    /**
     * Output chain for one frame, then transmission.
     * \param route the route
     * \param packet payload
     * \param header header (the chain may rewrite its TOS)
     * \param history diversion history
     * \param outIf the interface index of the route
     * \param mtu its MTU
     * \param checksumSet as OutputStage
     */
    void OutputChainAndTransmit(const Ptr<Ipv4Route>& route,
                                const Ptr<Packet>& packet,
                                Ipv4Header& header,
                                const History& history,
                                uint32_t outIf,
                                uint16_t mtu,
                                bool checksumSet);

    /**
     * Send a frame that passed the output chain; a datagram still larger
     * than the MTU (always defragment) is fragmented first.
     * \param route the route
     * \param packet payload
     * \param header header
     * \param outIf the interface index of the route
     * \param mtu its MTU
     * \param checksumSet as OutputStage
     */
    void Transmit(const Ptr<Ipv4Route>& route,
                  const Ptr<Packet>& packet,
                  const Ipv4Header& header,
                  uint32_t outIf,
                  uint16_t mtu,
                  bool checksumSet);

    /**
     * Hand one frame to the base class, which fires "Tx" (pcap) and gives it
     * to the interface: through SendWithHeader, or straight to SendRealOut
     * when SendWithHeader would have nothing to add.
     * \param route the route
     * \param packet payload
     * \param header header
     * \param checksumSet as OutputStage
     */
    void SendFrame(const Ptr<Ipv4Route>& route,
                   const Ptr<Packet>& packet,
                   const Ipv4Header& header,
                   bool checksumSet);

    /**
     * The loopback route to one of this node's own addresses.
     * \param source source address (any: the destination)
     * \param destination destination address
     * \return the route, or nullptr if the destination is not local
     */
    Ptr<Ipv4Route> LocalRoute(Ipv4Address source, Ipv4Address destination) const;

    /**
     * Whether an address is one of this node's (Linux's local routing
     * table): GetInterfaceForAddress(address) >= 0, from a copy of the
     * interfaces' addresses that AddAddress and RemoveAddress refresh.
     * \param address the address
     * \return true if an interface has it
     */
    bool IsLocalAddress(Ipv4Address address) const;

    /**
     * GetInterfaceForDevice, from a copy of the device-to-interface map
     * (interfaces are never removed, so an entry never goes stale).
     * \param device a device of this node
     * \return its interface index, or -1
     */
    int32_t InterfaceOf(const Ptr<const NetDevice>& device) const;
    /**
     * \brief The name rules see for an interface, read once (see
     * RefreshInterfaceNames).
     * \param interface the interface index
     * \return the name
     */
    const std::string& RuleInterfaceName(uint32_t interface) const;

    /**
     * Send with no route given (raw sockets, ICMP): out of every matching
     * interface for a broadcast or link-local multicast, on the subnet's
     * interface for a subnet-directed broadcast, else on the route the
     * routing protocol gives.
     * \param packet payload
     * \param withTags the payload as Send got it, tags included (for RouteOutput)
     * \param source source address
     * \param destination destination address
     * \param header its header
     */
    void SendUnrouted(const Ptr<Packet>& packet,
                      const Ptr<Packet>& withTags,
                      Ipv4Address source,
                      Ipv4Address destination,
                      const Ipv4Header& header);

    /**
     * Send a locally generated packet with a known header over a route,
     * firing SendOutgoing.
     * \param route the route
     * \param packet payload
     * \param header header
     */
    void SendLocal(const Ptr<Ipv4Route>& route,
                   const Ptr<Packet>& packet,
                   const Ipv4Header& header);

    /**
     * Build the header of a locally generated packet (replaces the private BuildHeader).
     * \param source source
     * \param destination destination
     * \param protocol protocol
     * \param payloadSize payload size
     * \param ttl TTL
     * \param tos TOS
     * \param mayFragment false sets DF
     * \return the header
     */
    Ipv4Header MakeHeader(Ipv4Address source,
                          Ipv4Address destination,
                          uint8_t protocol,
                          uint16_t payloadSize,
                          uint8_t ttl,
                          uint8_t tos,
                          bool mayFragment);

    /**
     * Next IP identification for (source, destination, protocol).
     * \param header source, destination and protocol are read from it
     * \return the ID
     */
    uint16_t NextIdentification(const Ipv4Header& header);

    /**
     * Send an ICMP "host unreachable" (forward-chain REJECT).
     * \param header the offending header
     * \param payload the offending payload
     */
    void SendHostUnreachable(const Ipv4Header& header, Ptr<const Packet> payload);

    /**
     * Reassembly timed out with the first fragment present: ICMP 11/1.
     * \param header first fragment's header
     * \param payload first fragment's payload
     * \param iif interface index
     */
    void ReassemblyTimeExceeded(const Ipv4Header& header, Ptr<const Packet> payload, uint32_t iif);

    /**
     * Fire the base class's "SendOutgoing" trace source.
     * \param header header
     * \param packet payload
     * \param interface interface index
     */
    void FireSendOutgoing(const Ipv4Header& header, Ptr<const Packet> packet, uint32_t interface);

    /**
     * Fire the base class's "UnicastForward" trace source.
     * \param header header
     * \param packet payload
     * \param interface interface index
     */
    void FireUnicastForward(const Ipv4Header& header, Ptr<const Packet> packet, uint32_t interface);

    /**
     * Fire the base class's "Drop" trace source.
     * \param header header
     * \param packet payload
     * \param reason reason
     * \param interface interface index
     */
    void FireDrop(const Ipv4Header& header,
                  Ptr<const Packet> packet,
                  DropReason reason,
                  uint32_t interface);

    /**
     * Report a drop of the divert stack: count it and fire "DivertDrop".
     * \param header header
     * \param payload payload
     * \param reason why
     * \param interface interface index
     */
    void DivertDrop(const Ipv4Header& header,
                    Ptr<const Packet> payload,
                    DivertDropReason reason,
                    uint32_t interface);

    /**
     * Refuse a datagram sent on a divert socket: count it in errors and by
     * its reason, and fire "DivertDrop".
     * \param header its header (empty if it had none)
     * \param payload its payload
     * \param reason why
     * \param interface the interface index concerned (0 if none)
     * \param error the socket error to return
     * \return error
     */
    Socket::SocketErrno RefuseSend(const Ipv4Header& header,
                                   Ptr<const Packet> payload,
                                   DivertDropReason reason,
                                   uint32_t interface,
                                   Socket::SocketErrno error);

    /**
     * The route of a link-local multicast or limited broadcast datagram sent
     * out on a divert socket: the interface the diverting output or forward
     * chain saw, else the interface that has its source address.
     * \param header the datagram's header
     * \param diversion its diversion, if known
     * \return the route, or nullptr if no interface fits
     */
    Ptr<Ipv4Route> InterfaceRoute(const Ipv4Header& header, const DiversionInfo* diversion);

    /**
     * CheckTransport for a datagram this stack reassembled; a failing one is
     * dropped (DIVERT_DROP_BAD_TRANSPORT).
     * \param header the reassembled header
     * \param datagram its payload
     * \param iif the arrival interface
     * \return true if it goes on
     */
    bool CheckReassembled(const Ipv4Header& header, const Ptr<Packet>& datagram, uint32_t iif);

    /**
     * Count a datagram a divert socket sent and fire Reinjected or Injected.
     * \param datagram the whole datagram
     * \param socketPort the divert port of the socket
     * \param interface the interface it leaves by or arrives on
     * \param reinjected true if it had been diverted
     */
    void CountSent(Ptr<const Packet> datagram,
                   uint16_t socketPort,
                   uint32_t interface,
                   bool reinjected);

    /**
     * Whether an ICMP error may be sent about this packet (RFC 1122 3.2.2).
     * \param header header
     * \param payload payload
     * \return true if allowed
     */
    bool MayReplyWithIcmpError(const Ipv4Header& header, Ptr<const Packet> payload) const;

    /**
     * Whether the firewall looks at this packet (legacy first-fragment-only mode).
     * \param header header
     * \return true if it walks the chains
     */
    bool IsFiltered(const Ipv4Header& header) const;

    /**
     * Apply the kernel option to the firewall (DIVERT rules allowed or not).
     * \param enabled the option
     */
    void SetDivertEnabled(bool enabled);

    /**
     * The firewall, made on first use (inline: every packet at a chain asks).
     * \return the firewall
     */
    Ipchains* Firewall() const
    {
        return m_firewall ? PeekPointer(m_firewall) : MakeFirewall();
    }

    /**
     * Make the firewall (the first use of Firewall).
     * \return the firewall
     */
    Ipchains* MakeFirewall() const;

    /**
     * The reassembler, made on first use.
     * \return the reassembler
     */
    Ipv4Reassembler* Reassembler() const;

    /**
     * The local delivery callback handed to the routing protocol, made on
     * first use.
     * \return the callback
     */
    const Ipv4RoutingProtocol::LocalDeliverCallback& LocalDeliverCallback();

    // What every packet reads comes first, close together.
    mutable Ptr<Ipchains> m_firewall;   //!< the chains (Firewall() makes them)
    Ptr<Ipv4RoutingProtocol> m_routing; //!< the user's routing protocol
    const History* m_inboundHistory;    //!< history of a packet DivertSend is reinjecting inbound
    const Packet* m_routedPacket;       //!< the packet the routing protocol is routing for Route()
    bool m_alwaysDefragment;            //!< kernel option: always defragment
    mutable bool m_localAddressesValid; //!< m_localAddresses is up to date
    FragmentFiltering m_fragmentFiltering; //!< which fragments are filtered
    Ipv4RoutingProtocol::MulticastForwardCallback m_baseMulticastForward; //!< base multicast
    Ipv4RoutingProtocol::ErrorCallback m_baseRouteInputError;             //!< base error cb
    Ipv4RoutingProtocol::LocalDeliverCallback
        m_localDeliverHook; //!< LocalDeliverHook, on first use
    // Containers take one pointer and allocate nothing until first changed:
    // a node that never uses one pays 8 bytes for it (issue 11).
    LazyContainer<std::vector<Ipv4RoutingProtocol::UnicastForwardCallback>>
        m_forwardCallbacks; //!< ForwardArrived per arrival interface
    mutable LazyContainer<std::vector<std::pair<const NetDevice*, int32_t>>>
        m_deviceInterfaces;                                           //!< InterfaceOf's copy
    mutable LazyContainer<std::vector<Ipv4Address>> m_localAddresses; //!< IsLocalAddress's copy
    mutable LazyContainer<std::vector<std::string>> m_interfaceNames; //!< RuleInterfaceName's copy
    mutable LazyContainer<std::vector<bool>> m_interfaceNamesRead;    //!< which of them were read
    LazyContainer<std::map<std::pair<uint64_t, uint8_t>, uint16_t>> m_identification; //!< IP IDs

    mutable Ptr<Ipv4Reassembler> m_reassembler; //!< reassembly engine (Reassembler() makes it)
    Ptr<DivertRoutingShim> m_shim;              //!< wraps the user's routing protocol
    /// Attribute defaults of the firewall and the reassembler at construction
    Ptr<const LazyDefaults> m_lazyDefaults;
    bool m_disposed; //!< DoDispose ran: nothing is made on first use any more

    bool m_divertEnabled;                          //!< kernel option: divert sockets
    bool m_passThrough;                            //!< kernel option: pass-through
    ReinjectionMode m_reinjectionMode;             //!< re-entry of reinjected packets
    Ipv4Fragmenter::OptionsCopy m_fragmentOptions; //!< options in later fragments
    uint32_t m_maxDivertPasses;                    //!< loop guard
    uint32_t m_diversionTableSize;                 //!< how many diversions are remembered

    LazyContainer<std::map<uint16_t, Ptr<DivertSocket>>> m_divertPorts; //!< bound divert ports
    LazyContainer<std::list<Ptr<DivertSocket>>> m_divertSockets;   //!< every open divert socket
    LazyContainer<std::map<uint16_t, DiversionInfo>> m_diversions; //!< handle -> diversion
    LazyContainer<std::deque<uint16_t>> m_diversionOrder;          //!< handles, oldest first
    uint16_t m_nextHandle;                                         //!< next diversion handle

    LazyValue<DivertStats> m_stats; //!< counters, allocated when one first moves

    // Trace sources allocate nothing until a sink connects.
    LazyTracedCallback<Ptr<const Packet>, uint16_t, uint32_t> m_divertedTrace;   //!< trace
    LazyTracedCallback<Ptr<const Packet>, uint16_t, uint32_t> m_reinjectedTrace; //!< trace
    LazyTracedCallback<Ptr<const Packet>, uint16_t, uint32_t> m_injectedTrace;   //!< trace
    LazyTracedCallback<const Ipv4Header&, Ptr<const Packet>, DivertDropReason, uint32_t>
        m_divertDropTrace; //!< trace
    LazyTracedCallback<const Ipv4Header&, Ptr<const Packet>, const std::string&, uint32_t>
        m_rejectedTrace; //!< trace
    LazyTracedCallback<const Ipv4Header&, Ptr<const Packet>, const std::string&, uint32_t>
        m_loggedTrace; //!< trace
};

/**
 * \brief Stream a drop reason by name.
 * \param os the stream
 * \param reason the reason
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, DivertIpv4L3Protocol::DivertDropReason reason);

} // namespace ns3

#endif /* DIVERT_IPV4_L3_PROTOCOL_H */

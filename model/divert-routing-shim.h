/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_ROUTING_SHIM_H
#define DIVERT_ROUTING_SHIM_H

#include "ns3/ipv4-routing-protocol.h"

#include <tuple>

namespace ns3
{

/**
 * \ingroup divert
 * \brief The parameter types of Ipv4RoutingProtocol::RouteInput, as this ns-3 declares them.
 *
 * ns-3.37 passes the four callbacks by value, later releases by const
 * reference. Overriding needs the exact types; reading them from the base
 * declaration keeps the module source the same for every release (the one
 * version shim of the module).
 * \tparam T the type of &Ipv4RoutingProtocol::RouteInput
 */
template <typename T>
struct RouteInputSignature;

/**
 * \ingroup divert
 * \brief Specialisation for a member function pointer.
 * \tparam R return type
 * \tparam C class
 * \tparam Args parameter types
 */
template <typename R, typename C, typename... Args>
struct RouteInputSignature<R (C::*)(Args...)>
{
    /// The type of parameter I.
    template <std::size_t I>
    using Arg = std::tuple_element_t<I, std::tuple<Args...>>;
};

/// The parameter types of this ns-3's RouteInput.
using RouteInputArgs = RouteInputSignature<decltype(&Ipv4RoutingProtocol::RouteInput)>;

class DivertIpv4L3Protocol;

/**
 * \ingroup divert
 * \brief Wraps the user's routing protocol to give the divert stack its input hook.
 *
 * Ipv4L3Protocol::Receive is not virtual; the one place where every received
 * packet can be taken over without patching ns-3 is the routing protocol's
 * RouteInput. DivertIpv4L3Protocol::SetRoutingProtocol puts this shim in front
 * of the protocol the user installed: RouteInput goes to the stack's input
 * chain, everything else is passed to the wrapped protocol unchanged.
 * Ipv4::GetRoutingProtocol still returns the user's protocol.
 */
class DivertRoutingShim : public Ipv4RoutingProtocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DivertRoutingShim();
    ~DivertRoutingShim() override;

    /**
     * \brief Set the stack and the protocol to wrap.
     * \param stack the divert stack (input hook)
     * \param inner the user's routing protocol
     */
    void Setup(Ptr<DivertIpv4L3Protocol> stack, Ptr<Ipv4RoutingProtocol> inner);

    /**
     * \brief The wrapped protocol.
     * \return the user's routing protocol
     */
    Ptr<Ipv4RoutingProtocol> GetInner() const;

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    /**
     * \brief Route an input packet: runs the divert stack's input chain first.
     * \param p received packet
     * \param header its IPv4 header
     * \param idev ingress device
     * \param ucb unicast forward callback
     * \param mcb multicast forward callback
     * \param lcb local delivery callback
     * \param ecb error callback
     * \return true if the packet was taken care of
     */
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    RouteInputArgs::Arg<3> ucb,
                    RouteInputArgs::Arg<4> mcb,
                    RouteInputArgs::Arg<5> lcb,
                    RouteInputArgs::Arg<6> ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<DivertIpv4L3Protocol> m_stack; //!< the divert stack
    Ptr<Ipv4RoutingProtocol> m_inner;  //!< the user's protocol
};

} // namespace ns3

#endif /* DIVERT_ROUTING_SHIM_H */

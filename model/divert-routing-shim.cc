/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-routing-shim.h"

#include "divert-ipv4-l3-protocol.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertRoutingShim");

NS_OBJECT_ENSURE_REGISTERED(DivertRoutingShim);

TypeId
DivertRoutingShim::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DivertRoutingShim")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Divert")
                            .AddConstructor<DivertRoutingShim>();
    return tid;
}

DivertRoutingShim::DivertRoutingShim()
{
    NS_LOG_FUNCTION(this);
}

DivertRoutingShim::~DivertRoutingShim()
{
    NS_LOG_FUNCTION(this);
}

void
DivertRoutingShim::Setup(Ptr<DivertIpv4L3Protocol> stack, Ptr<Ipv4RoutingProtocol> inner)
{
    NS_LOG_FUNCTION(this << stack << inner);
    m_stack = stack;
    m_inner = inner;
}

Ptr<Ipv4RoutingProtocol>
DivertRoutingShim::GetInner() const
{
    return m_inner;
}

Ptr<Ipv4Route>
DivertRoutingShim::RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr)
{
    return m_inner->RouteOutput(p, header, oif, sockerr);
}

bool
DivertRoutingShim::RouteInput(Ptr<const Packet> p,
                              const Ipv4Header& header,
                              Ptr<const NetDevice> idev,
                              RouteInputArgs::Arg<3> ucb,
                              RouteInputArgs::Arg<4> mcb,
                              RouteInputArgs::Arg<5> lcb,
                              RouteInputArgs::Arg<6> ecb)
{
    return m_stack->RouteInputHook(p, header, idev, ucb, mcb, lcb, ecb);
}

void
DivertRoutingShim::NotifyInterfaceUp(uint32_t interface)
{
    m_inner->NotifyInterfaceUp(interface);
}

void
DivertRoutingShim::NotifyInterfaceDown(uint32_t interface)
{
    m_inner->NotifyInterfaceDown(interface);
}

void
DivertRoutingShim::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_inner->NotifyAddAddress(interface, address);
}

void
DivertRoutingShim::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_inner->NotifyRemoveAddress(interface, address);
}

void
DivertRoutingShim::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_inner->SetIpv4(ipv4);
}

void
DivertRoutingShim::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    m_inner->PrintRoutingTable(stream, unit);
}

void
DivertRoutingShim::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_stack = nullptr;
    m_inner = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

} // namespace ns3

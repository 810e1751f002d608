/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-stack-helper.h"

#include "ns3/arp-l3-protocol.h"
#include "ns3/boolean.h"
#include "ns3/divert-socket-factory-impl.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/icmpv6-l4-protocol.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-list-routing-helper.h"
#include "ns3/ipv6-static-routing-helper.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/node-list.h"
#include "ns3/packet-socket-factory.h"
#include "ns3/pcap-file-wrapper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-helper.h"
#include "ns3/traffic-control-layer.h"

#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertStackHelper");

namespace
{
/**
 * Writes the datagrams crossing the divert sockets of one node, one pcap
 * file per divert port, created on first use.
 */
class DivertPcapWriter : public SimpleRefCount<DivertPcapWriter>
{
  public:
    /**
     * \param prefix file name prefix
     * \param nodeId the node
     */
    DivertPcapWriter(const std::string& prefix, uint32_t nodeId)
        : m_prefix(prefix),
          m_nodeId(nodeId)
    {
    }

    /**
     * Write one datagram.
     * \param datagram whole IPv4 datagram
     * \param port divert port
     * \param interface unused
     */
    void Write(Ptr<const Packet> datagram, uint16_t port, uint32_t interface)
    {
        auto it = m_files.find(port);
        if (it == m_files.end())
        {
            std::ostringstream name;
            name << m_prefix << "-" << m_nodeId << "-" << port << ".pcap";
            PcapHelper helper;
            Ptr<PcapFileWrapper> file =
                helper.CreateFile(name.str(), std::ios::out, PcapHelper::DLT_RAW);
            it = m_files.emplace(port, file).first;
        }
        it->second->Write(Simulator::Now(), datagram);
    }

  private:
    std::string m_prefix;                             //!< file name prefix
    uint32_t m_nodeId;                                //!< node id
    std::map<uint16_t, Ptr<PcapFileWrapper>> m_files; //!< one file per port
};

/**
 * Create an object by TypeId name and aggregate it to a node.
 * \param node the node
 * \param typeId the TypeId name
 */
void
CreateAndAggregate(Ptr<Node> node, const std::string& typeId)
{
    ObjectFactory factory;
    factory.SetTypeId(typeId);
    node->AggregateObject(factory.Create<Object>());
}
} // namespace

DivertStackHelper::DivertStackHelper()
    : m_ipv6Enabled(true),
      m_arpJitter(true)
{
    // The same default routing as InternetStackHelper::Initialize.
    Ipv4StaticRoutingHelper staticRouting;
    Ipv4GlobalRoutingHelper globalRouting;
    Ipv4ListRoutingHelper listRouting;
    listRouting.Add(staticRouting, 0);
    listRouting.Add(globalRouting, -10);
    SetRoutingHelper(listRouting);
    Ipv6StaticRoutingHelper staticRoutingv6;
    Ipv6ListRoutingHelper listRoutingv6;
    listRoutingv6.Add(staticRoutingv6, 0);
    m_routingv6.reset(listRoutingv6.Copy());
    m_stackFactory.SetTypeId(DivertIpv4L3Protocol::GetTypeId());
    SetTcp("ns3::TcpL4Protocol");
}

DivertStackHelper::~DivertStackHelper()
{
}

DivertStackHelper::DivertStackHelper(const DivertStackHelper& o)
    : m_routing(o.m_routing->Copy()),
      m_routingv6(o.m_routingv6->Copy()),
      m_stackFactory(o.m_stackFactory),
      m_tcpFactory(o.m_tcpFactory),
      m_ipv6Enabled(o.m_ipv6Enabled),
      m_arpJitter(o.m_arpJitter),
      m_tracer(o.m_tracer)
{
}

DivertStackHelper&
DivertStackHelper::operator=(const DivertStackHelper& o)
{
    if (this != &o)
    {
        m_routing.reset(o.m_routing->Copy());
        m_routingv6.reset(o.m_routingv6->Copy());
        m_stackFactory = o.m_stackFactory;
        m_tcpFactory = o.m_tcpFactory;
        m_ipv6Enabled = o.m_ipv6Enabled;
        m_arpJitter = o.m_arpJitter;
        m_tracer = o.m_tracer;
    }
    return *this;
}

void
DivertStackHelper::SetRoutingHelper(const Ipv4RoutingHelper& routing)
{
    m_routing.reset(routing.Copy());
}

void
DivertStackHelper::SetStackAttribute(const std::string& name, const AttributeValue& value)
{
    m_stackFactory.Set(name, value);
}

void
DivertStackHelper::SetTcp(const std::string& tid)
{
    m_tcpFactory.SetTypeId(tid);
}

void
DivertStackHelper::SetIpv6StackInstall(bool enable)
{
    m_ipv6Enabled = enable;
}

void
DivertStackHelper::SetIpv4ArpJitter(bool enable)
{
    m_arpJitter = enable;
}

void
DivertStackHelper::Install(Ptr<Node> node) const
{
    if (node->GetObject<Ipv4>())
    {
        NS_FATAL_ERROR("DivertStackHelper::Install(): node " << node->GetId()
                                                             << " already has an IPv4 stack");
    }
    // The steps of InternetStackHelper::Install, with DivertIpv4L3Protocol.
    CreateAndAggregate(node, "ns3::ArpL3Protocol");
    Ptr<DivertIpv4L3Protocol> ipv4 = m_stackFactory.Create<DivertIpv4L3Protocol>();
    node->AggregateObject(ipv4);
    CreateAndAggregate(node, "ns3::Icmpv4L4Protocol");
    if (!m_arpJitter)
    {
        node->GetObject<ArpL3Protocol>()->SetAttribute(
            "RequestJitter",
            StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
    }
    ipv4->SetRoutingProtocol(m_routing->Create(node));

    if (m_ipv6Enabled)
    {
        // IPv6 stays the plain ns-3 one (no firewall), installed as
        // InternetStackHelper installs it.
        CreateAndAggregate(node, "ns3::Ipv6L3Protocol");
        CreateAndAggregate(node, "ns3::Icmpv6L4Protocol");
        if (!m_arpJitter)
        {
            node->GetObject<Icmpv6L4Protocol>()->SetAttribute(
                "SolicitationJitter",
                StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
        }
        Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
        ipv6->SetRoutingProtocol(m_routingv6->Create(node));
        ipv6->RegisterExtensions();
        ipv6->RegisterOptions();
    }
    // Puts the IPv4 options the divert stack carries on the wire.
    CreateAndAggregate(node, "ns3::DivertTrafficControlLayer");
    CreateAndAggregate(node, "ns3::UdpL4Protocol");
    node->AggregateObject(m_tcpFactory.Create<Object>());
    node->AggregateObject(CreateObject<PacketSocketFactory>());
    Ptr<ArpL3Protocol> arp = node->GetObject<ArpL3Protocol>();
    arp->SetTrafficControl(node->GetObject<TrafficControlLayer>());

    Ptr<DivertSocketFactoryImpl> divertFactory = CreateObject<DivertSocketFactoryImpl>();
    divertFactory->SetStack(ipv4);
    node->AggregateObject(divertFactory);
}

void
DivertStackHelper::Install(std::string nodeName) const
{
    Install(Names::Find<Node>(nodeName));
}

void
DivertStackHelper::Install(NodeContainer c) const
{
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        Install(*i);
    }
}

void
DivertStackHelper::InstallAll() const
{
    Install(NodeContainer::GetGlobal());
}

int64_t
DivertStackHelper::AssignStreams(NodeContainer c, int64_t stream)
{
    return m_tracer.AssignStreams(c, stream);
}

Ptr<DivertIpv4L3Protocol>
DivertStackHelper::GetStack(Ptr<Node> node)
{
    return node->GetObject<DivertIpv4L3Protocol>();
}

void
DivertStackHelper::EnableDivertPcap(const std::string& prefix, NodeContainer c)
{
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        Ptr<DivertIpv4L3Protocol> stack = GetStack(*i);
        if (!stack)
        {
            continue;
        }
        Ptr<DivertPcapWriter> writer = Create<DivertPcapWriter>(prefix, (*i)->GetId());
        for (const char* source : {"Diverted", "Reinjected", "Injected"})
        {
            stack->TraceConnectWithoutContext(source,
                                              MakeCallback(&DivertPcapWriter::Write, writer));
        }
    }
}

void
DivertStackHelper::EnablePcapIpv4Internal(std::string prefix,
                                          Ptr<Ipv4> ipv4,
                                          uint32_t interface,
                                          bool explicitFilename)
{
    // The divert stack keeps the base class's "Tx" and "Rx": the plain helper's
    // tracing works unchanged.
    m_tracer.EnablePcapIpv4(prefix, ipv4, interface, explicitFilename);
}

void
DivertStackHelper::EnableAsciiIpv4Internal(Ptr<OutputStreamWrapper> stream,
                                           std::string prefix,
                                           Ptr<Ipv4> ipv4,
                                           uint32_t interface,
                                           bool explicitFilename)
{
    if (stream)
    {
        m_tracer.EnableAsciiIpv4(stream, ipv4, interface);
    }
    else
    {
        m_tracer.EnableAsciiIpv4(prefix, ipv4, interface, explicitFilename);
    }
}

} // namespace ns3

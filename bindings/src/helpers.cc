/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Topology and application helpers: PointToPointHelper, CsmaHelper,
// UdpEchoServer/ClientHelper, OnOffHelper, PacketSinkHelper, BulkSendHelper
// and PacketSink. Every attribute is checked against the TypeId it is meant
// for before ns-3 sees it (ns-3 helpers abort on unknown attributes).

#include "ns3divert.h"

#include "ns3/application-container.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/csma-helper.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4.h"
#include "ns3/on-off-helper.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/queue.h"
#include "ns3/socket-factory.h"
#include "ns3/udp-echo-client.h"
#include "ns3/udp-echo-helper.h"
#include "ns3/udp-socket-factory.h"

namespace ns3py
{

using namespace ns3;

namespace
{

/// Checked attribute for a TypeId given by name.
Ptr<AttributeValue>
Attr(const char* tid, const std::string& name, py::handle value)
{
    return MakeAttributeValue(LookupTypeId(tid), name, value);
}

/// Raise unless every node can create sockets of a factory.
void
CheckFactory(const NodeContainer& c, const TypeId& tid)
{
    for (uint32_t i = 0; i < c.GetN(); i++)
    {
        if (!c.Get(i)->GetObject<SocketFactory>(tid))
        {
            throw py::value_error("node " + std::to_string(c.Get(i)->GetId()) + " has no " +
                                  tid.GetName() + ": install a stack before the applications");
        }
    }
}

/// A NodeContainer from a node, a container or a name.
NodeContainer
Nodes(py::handle what)
{
    if (py::isinstance<NodeContainer>(what))
    {
        return what.cast<NodeContainer>();
    }
    if (py::isinstance<py::str>(what))
    {
        return NodeContainer(py::str(what).cast<std::string>());
    }
    return NodeContainer(what.cast<Ptr<Node>>());
}

/**
 * Bind Install(node | nodes) for an application helper, checking that the
 * nodes can create the sockets the application will need.
 */
template <typename H, typename C>
void
DefInstall(C& cls, std::function<TypeId(const H&)> factory)
{
    cls.def(
        "Install",
        [factory](const H& h, py::handle what) {
            NodeContainer c = Nodes(what);
            CheckFactory(c, factory(h));
            return h.Install(c);
        },
        py::arg("nodes"),
        "Install on a node, a NodeContainer or a named node; returns the applications.");
}

/// Socket factory TypeId from a protocol name, checked.
TypeId
Protocol(const std::string& protocol)
{
    TypeId tid = LookupTypeId(protocol);
    if (!tid.IsChildOf(SocketFactory::GetTypeId()))
    {
        throw py::value_error(protocol + " is not a socket factory");
    }
    return tid;
}

/**
 * Application helpers remember their protocol: ns-3 keeps it in a private
 * ObjectFactory attribute, so the binding keeps it too.
 */
template <typename H>
struct WithProtocol : public H
{
    WithProtocol(const std::string& protocol, const Address& address)
        : H(CheckedName(protocol), address), // checked before ns-3 sees it
          protocolTid(Protocol(protocol))
    {
    }

    /// The protocol name, once checked (ns-3 aborts on an unknown one).
    static const std::string& CheckedName(const std::string& protocol)
    {
        Protocol(protocol);
        return protocol;
    }

    TypeId protocolTid; //!< the socket factory the application uses
};

/// A queue type with "<Packet>" appended as ns-3 does, checked.
std::string
QueueType(std::string type)
{
    QueueBase::AppendItemTypeIfNotPresent(type, "Packet");
    TypeId tid = LookupTypeId(type);
    if (!tid.IsChildOf(QueueBase::GetTypeId()))
    {
        throw py::value_error(type + " is not a queue");
    }
    return type;
}

/// SetQueue(type, **attributes) with up to three attributes (ns-3 takes them as varargs).
template <typename H>
void
SetQueue(H& h, const std::string& queueType, const py::kwargs& kwargs)
{
    std::string type = QueueType(queueType);
    TypeId tid = LookupTypeId(type);
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> a;
    for (auto item : kwargs)
    {
        std::string name = item.first.cast<std::string>();
        a.emplace_back(name, MakeAttributeValue(tid, name, item.second));
    }
    switch (a.size())
    {
    case 0:
        h.SetQueue(type);
        break;
    case 1:
        h.SetQueue(type, a[0].first, *a[0].second);
        break;
    case 2:
        h.SetQueue(type, a[0].first, *a[0].second, a[1].first, *a[1].second);
        break;
    case 3:
        h.SetQueue(type,
                   a[0].first,
                   *a[0].second,
                   a[1].first,
                   *a[1].second,
                   a[2].first,
                   *a[2].second);
        break;
    default:
        throw py::value_error("SetQueue takes at most three attributes");
    }
}

} // namespace

void
BindHelpers(py::module_& m)
{
    // --- PointToPointHelper -------------------------------------------------------
    py::class_<PointToPointHelper, PcapHelperForDevice, AsciiTraceHelperForDevice>(
        m,
        "PointToPointHelper",
        "Builds point-to-point links.")
        .def(py::init<>())
        .def(
            "SetDeviceAttribute",
            [](PointToPointHelper& h, const std::string& name, py::handle v) {
                h.SetDeviceAttribute(name, *Attr("ns3::PointToPointNetDevice", name, v));
            },
            py::arg("name"),
            py::arg("value"),
            "An attribute of ns3::PointToPointNetDevice, e.g. ('DataRate', '10Mbps').")
        .def(
            "SetChannelAttribute",
            [](PointToPointHelper& h, const std::string& name, py::handle v) {
                h.SetChannelAttribute(name, *Attr("ns3::PointToPointChannel", name, v));
            },
            py::arg("name"),
            py::arg("value"),
            "An attribute of ns3::PointToPointChannel, e.g. ('Delay', '2ms').")
        .def(
            "SetQueue",
            [](PointToPointHelper& h, const std::string& type, py::kwargs kwargs) {
                SetQueue(h, type, kwargs);
            },
            py::arg("type"),
            "The device queue, e.g. SetQueue('ns3::DropTailQueue', MaxSize='10p').")
        .def("DisableFlowControl", &PointToPointHelper::DisableFlowControl)
        .def(
            "Install",
            [](PointToPointHelper& h, const NodeContainer& c) {
                if (c.GetN() != 2)
                {
                    throw py::value_error("a point-to-point link joins exactly two nodes");
                }
                return h.Install(c);
            },
            py::arg("nodes"))
        .def(
            "Install",
            [](PointToPointHelper& h, Ptr<Node> a, Ptr<Node> b) { return h.Install(a, b); },
            py::arg("a"),
            py::arg("b"));

    // --- CsmaHelper --------------------------------------------------------------------
    py::class_<CsmaHelper, PcapHelperForDevice, AsciiTraceHelperForDevice>(
        m,
        "CsmaHelper",
        "Builds CSMA (Ethernet-like) segments.")
        .def(py::init<>())
        .def(
            "SetDeviceAttribute",
            [](CsmaHelper& h, const std::string& name, py::handle v) {
                h.SetDeviceAttribute(name, *Attr("ns3::CsmaNetDevice", name, v));
            },
            py::arg("name"),
            py::arg("value"),
            "An attribute of ns3::CsmaNetDevice, e.g. ('Mtu', 1500).")
        .def(
            "SetChannelAttribute",
            [](CsmaHelper& h, const std::string& name, py::handle v) {
                h.SetChannelAttribute(name, *Attr("ns3::CsmaChannel", name, v));
            },
            py::arg("name"),
            py::arg("value"),
            "An attribute of ns3::CsmaChannel, e.g. ('DataRate', '100Mbps').")
        .def(
            "SetQueue",
            [](CsmaHelper& h, const std::string& type, py::kwargs kwargs) {
                SetQueue(h, type, kwargs);
            },
            py::arg("type"))
        .def("DisableFlowControl", &CsmaHelper::DisableFlowControl)
        .def(
            "Install",
            [](const CsmaHelper& h, py::handle what) { return h.Install(Nodes(what)); },
            py::arg("nodes"),
            "One segment joining the nodes (a node, a container or a name).")
        .def("AssignStreams", &CsmaHelper::AssignStreams, py::arg("devices"), py::arg("stream"));

    // --- applications --------------------------------------------------------------------
    py::class_<PacketSink, Application, Ptr<PacketSink>>(m,
                                                         "PacketSink",
                                                         "Receives and counts traffic.")
        .def("GetTotalRx", &PacketSink::GetTotalRx, "Bytes received so far.")
        .def("GetListeningSocket", &PacketSink::GetListeningSocket)
        .def("GetAcceptedSockets", [](const PacketSink& s) {
            auto l = s.GetAcceptedSockets();
            return std::vector<Ptr<Socket>>(l.begin(), l.end());
        });

    py::class_<UdpEchoServerHelper> echoServer(m,
                                               "UdpEchoServerHelper",
                                               "Installs UDP echo servers.");
    echoServer.def(py::init<uint16_t>(), py::arg("port"))
        .def(
            "SetAttribute",
            [](UdpEchoServerHelper& h, const std::string& name, py::handle v) {
                h.SetAttribute(name, *Attr("ns3::UdpEchoServer", name, v));
            },
            py::arg("name"),
            py::arg("value"));
    DefInstall<UdpEchoServerHelper>(echoServer, [](const UdpEchoServerHelper&) {
        return UdpSocketFactory::GetTypeId();
    });

    py::class_<UdpEchoClientHelper> echoClient(m,
                                               "UdpEchoClientHelper",
                                               "Installs UDP echo clients.");
    echoClient
        .def(py::init([](py::handle ip, uint16_t port) {
                 return UdpEchoClientHelper(Address(ToIpv4Address(ip)), port);
             }),
             py::arg("address"),
             py::arg("port"),
             "Echo to address:port.")
        .def(py::init([](py::handle addr) { return UdpEchoClientHelper(ToAddress(addr)); }),
             py::arg("address"),
             "Echo to an (address, port) socket address.")
        .def(
            "SetAttribute",
            [](UdpEchoClientHelper& h, const std::string& name, py::handle v) {
                h.SetAttribute(name, *Attr("ns3::UdpEchoClient", name, v));
            },
            py::arg("name"),
            py::arg("value"),
            "e.g. ('MaxPackets', 3), ('Interval', Seconds(1)), ('PacketSize', 1024).")
        .def(
            "SetFill",
            [](UdpEchoClientHelper& h, Ptr<Application> app, const std::string& fill) {
                if (!app || !app->GetObject<UdpEchoClient>())
                {
                    throw py::type_error("SetFill needs a UdpEchoClient application");
                }
                h.SetFill(app, fill);
            },
            py::arg("app"),
            py::arg("fill"),
            "The payload of the echo requests (a string, NUL-terminated).");
    DefInstall<UdpEchoClientHelper>(echoClient, [](const UdpEchoClientHelper&) {
        return UdpSocketFactory::GetTypeId();
    });

    using OnOff = WithProtocol<OnOffHelper>;
    py::class_<OnOff> onoff(m, "OnOffHelper", "Installs on/off traffic sources.");
    onoff
        .def(py::init([](const std::string& protocol, py::handle addr) {
                 return OnOff(protocol, ToAddress(addr));
             }),
             py::arg("protocol"),
             py::arg("address"),
             "Protocol 'ns3::UdpSocketFactory' or 'ns3::TcpSocketFactory', remote (host, port).")
        .def(
            "SetAttribute",
            [](OnOff& h, const std::string& name, py::handle v) {
                h.SetAttribute(name, *Attr("ns3::OnOffApplication", name, v));
            },
            py::arg("name"),
            py::arg("value"))
        .def(
            "SetConstantRate",
            [](OnOff& h, py::handle rate, uint32_t size) {
                Ptr<AttributeValue> v = MakeAttributeValue(MakeDataRateChecker(), rate, "rate");
                h.SetConstantRate(DynamicCast<DataRateValue>(v)->Get(), size);
            },
            py::arg("rate"),
            py::arg("packetSize") = 512,
            "Always on at `rate` (DataRate or '1Mbps') with packets of `packetSize`.")
        .def("AssignStreams", &OnOff::AssignStreams, py::arg("nodes"), py::arg("stream"));
    DefInstall<OnOff>(onoff, [](const OnOff& h) { return h.protocolTid; });

    using Sink = WithProtocol<PacketSinkHelper>;
    py::class_<Sink> sink(m, "PacketSinkHelper", "Installs packet sinks.");
    sink.def(py::init([](const std::string& protocol, py::handle addr) {
                 return Sink(protocol, ToAddress(addr));
             }),
             py::arg("protocol"),
             py::arg("address"),
             "Protocol factory name and local (host, port), e.g. ('0.0.0.0', 9).")
        .def(
            "SetAttribute",
            [](Sink& h, const std::string& name, py::handle v) {
                h.SetAttribute(name, *Attr("ns3::PacketSink", name, v));
            },
            py::arg("name"),
            py::arg("value"));
    DefInstall<Sink>(sink, [](const Sink& h) { return h.protocolTid; });

    using Bulk = WithProtocol<BulkSendHelper>;
    py::class_<Bulk> bulk(m, "BulkSendHelper", "Installs bulk (TCP) senders.");
    bulk.def(py::init([](const std::string& protocol, py::handle addr) {
                 return Bulk(protocol, ToAddress(addr));
             }),
             py::arg("protocol"),
             py::arg("address"))
        .def(
            "SetAttribute",
            [](Bulk& h, const std::string& name, py::handle v) {
                h.SetAttribute(name, *Attr("ns3::BulkSendApplication", name, v));
            },
            py::arg("name"),
            py::arg("value"),
            "e.g. ('MaxBytes', 100000), ('SendSize', 512).");
    DefInstall<Bulk>(bulk, [](const Bulk& h) { return h.protocolTid; });

    // Objects reach Python as their nearest bound class.
    RegisterObjectType<PacketSink>();
}

} // namespace ns3py

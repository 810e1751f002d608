/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ns-3 network: Packet and Header, addresses, Node, NetDevice, Channel,
// their containers, Socket, Application, Names and the device-level
// pcap/ascii tracing helpers.

#include "ns3divert.h"

#include "ns3/application-container.h"
#include "ns3/application.h"
#include "ns3/channel.h"
#include "ns3/header.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/names.h"
#include "ns3/net-device-container.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/socket-factory.h"
#include "ns3/trace-helper.h"

#include <pybind11/operators.h>
#include <sstream>

namespace ns3py
{

using namespace ns3;

namespace
{

/// Python-style index into a container of size n (negative from the end).
uint32_t
Index(int64_t i, uint32_t n)
{
    if (i < 0)
    {
        i += n;
    }
    if (i < 0 || i >= static_cast<int64_t>(n))
    {
        throw py::index_error("index out of range");
    }
    return static_cast<uint32_t>(i);
}

/// operator<< as a string.
template <typename T>
std::string
Str(const T& v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

/// The bytes of a header, as Packet::AddHeader serializes it.
py::bytes
HeaderBytes(const Header& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    return PacketBytes(p);
}

/**
 * Deserialize a header from bytes into h; ValueError when the bytes are too
 * short or the header refuses them.
 */
uint32_t
HeaderFromBytes(Header& h, py::handle data)
{
    Ptr<Packet> p = ToPacket(data);
    if (p->GetSize() < h.GetSerializedSize())
    {
        throw py::value_error("too few bytes for " + h.GetInstanceTypeId().GetName() + ": " +
                              std::to_string(p->GetSize()));
    }
    uint32_t n = p->RemoveHeader(h);
    if (n == 0)
    {
        throw py::value_error("not a valid " + h.GetInstanceTypeId().GetName());
    }
    return n;
}

/// Guard against reading a header past the end of a packet (no check in a release ns-3).
void
CheckRoom(const Packet& p, const Header& h)
{
    if (p.GetSize() < h.GetSerializedSize())
    {
        throw py::value_error("packet of " + std::to_string(p.GetSize()) +
                              " bytes is too short for " + h.GetInstanceTypeId().GetName());
    }
}

/// Raise OSError if an ns-3 socket call returned an error (or what a callback raised).
int
CheckSocket(Socket& s, int r)
{
    RaisePendingError();
    if (r < 0)
    {
        RaiseSocketError(s.GetErrno());
    }
    return r;
}

/// Socket.Recv(From) result: None when nothing is queued, OSError on a real error.
bool
ReceivedOrRaise(Socket& s, const Ptr<Packet>& p)
{
    if (p)
    {
        return true;
    }
    Socket::SocketErrno err = s.GetErrno();
    if (err != Socket::ERROR_AGAIN && err != Socket::ERROR_NOTERROR)
    {
        RaiseSocketError(err);
    }
    return false;
}

} // namespace

void
BindNetwork(py::module_& m)
{
    // Classes that refer to each other are declared first, so that every
    // signature names Python classes (help() and the type stubs).
    py::class_<Ipv4Mask> ipv4Mask(m, "Ipv4Mask", "An IPv4 network mask.");
    py::class_<Node, Object, Ptr<Node>> node(m, "Node", "A network node.");
    py::class_<Channel, Object, Ptr<Channel>> channel(m, "Channel", "A channel between devices.");
    py::class_<NetDevice, Object, Ptr<NetDevice>> netDevice(m,
                                                            "NetDevice",
                                                            "A network interface card.");
    py::class_<Application, Object, Ptr<Application>> application(m,
                                                                  "Application",
                                                                  "An application on a node.");

    // --- addresses ----------------------------------------------------------------
    py::class_<Address>(m, "Address", "A generic ns-3 address (ns3::Address).")
        .def(py::init([](py::handle o) { return ToAddress(o); }),
             py::arg("address"),
             "From (host, port), an InetSocketAddress, an Ipv4Address or a dotted string.")
        .def("IsInvalid", &Address::IsInvalid)
        .def(
            "ToPython",
            [](const Address& a) { return AddressToPy(a); },
            "(host, port), a dotted string, or the Address itself.")
        .def(py::self == py::self)
        .def("__repr__", [](const Address& a) { return "Address('" + Str(a) + "')"; });

    py::class_<Ipv4Address>(m, "Ipv4Address", "An IPv4 address.")
        .def(py::init<>(), "The uninitialized address 102.102.102.102, as ns-3 has it.")
        .def(py::init([](const std::string& s) { return ParseIpv4(s); }),
             py::arg("text"),
             "Parse a dotted quad (ValueError if malformed).")
        .def(py::init<uint32_t>(), py::arg("value"), "From a host-order integer.")
        .def("Get", &Ipv4Address::Get, "The address as a host-order integer.")
        .def_static("GetAny", &Ipv4Address::GetAny, "0.0.0.0")
        .def_static("GetLoopback", &Ipv4Address::GetLoopback, "127.0.0.1")
        .def_static("GetBroadcast", &Ipv4Address::GetBroadcast, "255.255.255.255")
        .def("IsAny", &Ipv4Address::IsAny)
        .def("IsBroadcast", &Ipv4Address::IsBroadcast)
        .def("IsMulticast", &Ipv4Address::IsMulticast)
        .def("IsLocalhost", &Ipv4Address::IsLocalhost)
        .def("CombineMask", &Ipv4Address::CombineMask, py::arg("mask"))
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def(py::self < py::self)
        .def("__hash__", [](const Ipv4Address& a) { return a.Get(); })
        .def("__str__", &Str<Ipv4Address>)
        .def("__repr__", [](const Ipv4Address& a) { return "Ipv4Address('" + Str(a) + "')"; });
    py::implicitly_convertible<py::str, Ipv4Address>();
    py::implicitly_convertible<Ipv4Address, Address>();

    ipv4Mask
        .def(py::init([](const std::string& s) {
                 if (!s.empty() && s[0] == '/')
                 {
                     int len = -1;
                     try
                     {
                         std::size_t used = 0;
                         len = std::stoi(s.substr(1), &used);
                         if (used + 1 != s.size())
                         {
                             len = -1;
                         }
                     }
                     catch (const std::exception&)
                     {
                         len = -1;
                     }
                     if (len < 0 || len > 32)
                     {
                         throw py::value_error("invalid IPv4 mask: '" + s + "'");
                     }
                     return Ipv4Mask(s.c_str());
                 }
                 return Ipv4Mask(ParseIpv4(s).Get());
             }),
             py::arg("text"),
             "'255.255.255.0' or '/24'.")
        .def(py::init<uint32_t>(), py::arg("value"))
        .def("Get", &Ipv4Mask::Get)
        .def("GetPrefixLength", &Ipv4Mask::GetPrefixLength)
        .def("IsMatch", &Ipv4Mask::IsMatch, py::arg("a"), py::arg("b"))
        .def(py::self == py::self)
        .def("__str__", &Str<Ipv4Mask>)
        .def("__repr__", [](const Ipv4Mask& a) { return "Ipv4Mask('" + Str(a) + "')"; });
    py::implicitly_convertible<py::str, Ipv4Mask>();

    py::class_<InetSocketAddress>(m, "InetSocketAddress", "An IPv4 address and a port.")
        .def(py::init([](py::handle ip, uint16_t port) {
                 return InetSocketAddress(ToIpv4Address(ip), port);
             }),
             py::arg("ipv4"),
             py::arg("port") = 0)
        .def("GetIpv4", &InetSocketAddress::GetIpv4)
        .def("GetPort", &InetSocketAddress::GetPort)
        .def("SetIpv4", &InetSocketAddress::SetIpv4)
        .def("SetPort", &InetSocketAddress::SetPort)
        .def_static("IsMatchingType", &InetSocketAddress::IsMatchingType, py::arg("address"))
        .def_static(
            "ConvertFrom",
            [](const Address& a) {
                if (!InetSocketAddress::IsMatchingType(a))
                {
                    throw py::value_error("not an InetSocketAddress");
                }
                return InetSocketAddress::ConvertFrom(a);
            },
            py::arg("address"))
        .def(
            "ToTuple",
            [](const InetSocketAddress& a) {
                return py::make_tuple(Str(a.GetIpv4()), a.GetPort());
            },
            "(host, port)")
        .def("__eq__",
             [](const InetSocketAddress& a, const InetSocketAddress& b) {
                 return a.GetIpv4() == b.GetIpv4() && a.GetPort() == b.GetPort();
             })
        .def("__repr__", [](const InetSocketAddress& a) {
            return "InetSocketAddress('" + Str(a.GetIpv4()) + "', " + std::to_string(a.GetPort()) +
                   ")";
        });
    py::implicitly_convertible<InetSocketAddress, Address>();

    // --- Packet and headers --------------------------------------------------------
    py::class_<Header>(m, "Header", "Base of protocol headers (serializable).")
        .def("GetSerializedSize", &Header::GetSerializedSize)
        .def("ToBytes", &HeaderBytes, "The header's bytes, as it is serialized in a packet.")
        .def("__bytes__", &HeaderBytes)
        .def("Deserialize",
             &HeaderFromBytes,
             py::arg("data"),
             "Read the header from the start of `data`; returns the bytes read.\n"
             "ValueError if `data` is too short or not such a header.")
        .def("GetInstanceTypeId", &Header::GetInstanceTypeId)
        .def("__str__", [](const Header& h) {
            std::ostringstream os;
            h.Print(os);
            return os.str();
        });

    py::class_<Packet, Ptr<Packet>>(m, "Packet", "An ns-3 packet: bytes, headers and tags.")
        .def(py::init([]() { return Create<Packet>(); }), "An empty packet.")
        .def(py::init([](uint32_t size) { return Create<Packet>(size); }),
             py::arg("size"),
             "A packet of `size` zero bytes.")
        .def(py::init([](py::buffer data) { return ToPacket(data); }),
             py::arg("data"),
             "A packet holding a copy of `data` (bytes, bytearray, memoryview).")
        .def("GetSize", &Packet::GetSize)
        .def("__len__", &Packet::GetSize)
        .def("GetUid", &Packet::GetUid)
        .def(
            "Copy",
            [](const Packet& p) { return p.Copy(); },
            "A copy (copy-on-write).")
        .def(
            "ToBytes",
            [](const Packet& p) { return PacketBytes(Ptr<const Packet>(&p)); },
            "The packet's bytes, headers included.")
        .def("__bytes__", [](const Packet& p) { return PacketBytes(Ptr<const Packet>(&p)); })
        .def("AddHeader", &Packet::AddHeader, py::arg("header"), "Prepend a header.")
        .def(
            "RemoveHeader",
            [](Packet& p, Header& h) {
                CheckRoom(p, h);
                return p.RemoveHeader(h);
            },
            py::arg("header"),
            "Read and remove a header into `header` (in place); returns its size.")
        .def(
            "PeekHeader",
            [](const Packet& p, Header& h) {
                CheckRoom(p, h);
                return p.PeekHeader(h);
            },
            py::arg("header"),
            "Read a header into `header` without removing it; returns its size.")
        .def(
            "AddAtEnd",
            [](Packet& p, py::handle other) { p.AddAtEnd(ToPacket(other)); },
            py::arg("data"),
            "Append another packet or bytes.")
        .def("AddPaddingAtEnd", &Packet::AddPaddingAtEnd, py::arg("size"))
        .def(
            "RemoveAtStart",
            [](Packet& p, uint32_t n) {
                if (n > p.GetSize())
                {
                    throw py::value_error("packet too short");
                }
                p.RemoveAtStart(n);
            },
            py::arg("size"))
        .def(
            "RemoveAtEnd",
            [](Packet& p, uint32_t n) {
                if (n > p.GetSize())
                {
                    throw py::value_error("packet too short");
                }
                p.RemoveAtEnd(n);
            },
            py::arg("size"))
        .def(
            "CreateFragment",
            [](const Packet& p, uint32_t start, uint32_t length) {
                if (static_cast<uint64_t>(start) + length > p.GetSize())
                {
                    throw py::value_error("fragment out of the packet");
                }
                return p.CreateFragment(start, length);
            },
            py::arg("start"),
            py::arg("length"))
        .def("ToString", &Packet::ToString, "Packet::Print (needs Packet.EnablePrinting()).")
        .def_static("EnablePrinting", &Packet::EnablePrinting)
        .def("__repr__", [](const Packet& p) {
            return "<Packet uid=" + std::to_string(p.GetUid()) +
                   " size=" + std::to_string(p.GetSize()) + ">";
        });

    // --- Node, NetDevice, Channel ---------------------------------------------------
    node.def(py::init([]() { return CreateObject<Node>(); }))
        .def("GetId", &Node::GetId)
        .def("GetNDevices", &Node::GetNDevices)
        .def(
            "GetDevice",
            [](const Node& n, uint32_t i) {
                if (i >= n.GetNDevices())
                {
                    throw py::index_error("no device " + std::to_string(i));
                }
                return n.GetDevice(i);
            },
            py::arg("index"))
        .def("AddDevice", &Node::AddDevice, py::arg("device"))
        .def("GetNApplications", &Node::GetNApplications)
        .def(
            "GetApplication",
            [](const Node& n, uint32_t i) {
                if (i >= n.GetNApplications())
                {
                    throw py::index_error("no application " + std::to_string(i));
                }
                return n.GetApplication(i);
            },
            py::arg("index"))
        .def(
            "AddApplication",
            [](Node& n, Ptr<Application> app) {
                // A DivertInterceptor on a node without the divert stack crashes
                // when it starts (its socket factory is missing): refuse it here.
                TypeId interceptor = LookupTypeId("ns3::DivertInterceptor");
                if (app->GetInstanceTypeId() == interceptor &&
                    !n.GetObject<Object>(LookupTypeId("ns3::DivertSocketFactory")))
                {
                    throw py::value_error("node " + std::to_string(n.GetId()) +
                                          " has no divert stack (install DivertStackHelper)");
                }
                return n.AddApplication(app);
            },
            py::arg("application"));

    channel.def("GetId", &Channel::GetId)
        .def("GetNDevices", &Channel::GetNDevices)
        .def(
            "GetDevice",
            [](const Channel& c, std::size_t i) {
                if (i >= c.GetNDevices())
                {
                    throw py::index_error("no device " + std::to_string(i));
                }
                return c.GetDevice(i);
            },
            py::arg("index"));

    netDevice.def("GetIfIndex", &NetDevice::GetIfIndex)
        .def("GetNode", &NetDevice::GetNode)
        .def("GetChannel", &NetDevice::GetChannel)
        .def("GetMtu", &NetDevice::GetMtu)
        .def("SetMtu", &NetDevice::SetMtu, py::arg("mtu"), "Set the MTU; False if refused.")
        .def(
            "GetAddress",
            [](const NetDevice& d) { return AddressToPy(d.GetAddress()); },
            "The link-layer address as a string.")
        .def("IsLinkUp", &NetDevice::IsLinkUp)
        .def("IsPointToPoint", &NetDevice::IsPointToPoint);

    // --- containers ------------------------------------------------------------------
    py::class_<NodeContainer>(m, "NodeContainer", "A list of nodes.")
        .def(py::init([](py::args parts) {
                 NodeContainer c;
                 for (py::handle part : parts)
                 {
                     if (py::isinstance<py::int_>(part))
                     {
                         c.Create(part.cast<uint32_t>());
                     }
                     else if (py::isinstance<NodeContainer>(part))
                     {
                         c.Add(part.cast<NodeContainer>());
                     }
                     else if (py::isinstance<py::str>(part))
                     {
                         Ptr<Node> n = Names::Find<Node>(part.cast<std::string>());
                         if (!n)
                         {
                             throw py::value_error("no node named '" + part.cast<std::string>() +
                                                   "'");
                         }
                         c.Add(n);
                     }
                     else
                     {
                         c.Add(part.cast<Ptr<Node>>());
                     }
                 }
                 return c;
             }),
             "NodeContainer(), NodeContainer(n) creates n nodes, or the nodes of\n"
             "the arguments (nodes, containers, names) in order.")
        .def("Create", py::overload_cast<uint32_t>(&NodeContainer::Create), py::arg("n"))
        .def(
            "Add",
            [](NodeContainer& c, const NodeContainer& other) { c.Add(other); },
            py::arg("other"))
        .def(
            "Add",
            [](NodeContainer& c, Ptr<Node> node) { c.Add(node); },
            py::arg("node"))
        .def(
            "Get",
            [](const NodeContainer& c, int64_t i) { return c.Get(Index(i, c.GetN())); },
            py::arg("index"))
        .def("GetN", &NodeContainer::GetN)
        .def("Contains", &NodeContainer::Contains, py::arg("id"))
        .def_static("GetGlobal", &NodeContainer::GetGlobal, "Every node of the simulation.")
        .def("__len__", &NodeContainer::GetN)
        .def("__getitem__",
             [](const NodeContainer& c, int64_t i) { return c.Get(Index(i, c.GetN())); })
        .def(
            "__iter__",
            [](const NodeContainer& c) {
                return py::make_iterator<py::return_value_policy::copy>(c.Begin(), c.End());
            },
            py::keep_alive<0, 1>());

    py::class_<NetDeviceContainer>(m, "NetDeviceContainer", "A list of net devices.")
        .def(py::init<>())
        .def(py::init<const NetDeviceContainer&, const NetDeviceContainer&>())
        .def(py::init<Ptr<NetDevice>>())
        .def("Add",
             py::overload_cast<NetDeviceContainer>(&NetDeviceContainer::Add),
             py::arg("other"))
        .def("Add", py::overload_cast<Ptr<NetDevice>>(&NetDeviceContainer::Add), py::arg("device"))
        .def(
            "Get",
            [](const NetDeviceContainer& c, int64_t i) { return c.Get(Index(i, c.GetN())); },
            py::arg("index"))
        .def("GetN", &NetDeviceContainer::GetN)
        .def("__len__", &NetDeviceContainer::GetN)
        .def("__getitem__",
             [](const NetDeviceContainer& c, int64_t i) { return c.Get(Index(i, c.GetN())); })
        .def(
            "__iter__",
            [](const NetDeviceContainer& c) {
                return py::make_iterator<py::return_value_policy::copy>(c.Begin(), c.End());
            },
            py::keep_alive<0, 1>());

    // --- applications ---------------------------------------------------------------
    application.def("SetStartTime", &Application::SetStartTime, py::arg("start"))
        .def("SetStopTime", &Application::SetStopTime, py::arg("stop"))
        .def("GetNode", &Application::GetNode);

    py::class_<ApplicationContainer>(m, "ApplicationContainer", "A list of applications.")
        .def(py::init<>())
        .def(py::init<Ptr<Application>>())
        .def("Add",
             py::overload_cast<ApplicationContainer>(&ApplicationContainer::Add),
             py::arg("other"))
        .def("Add",
             py::overload_cast<Ptr<Application>>(&ApplicationContainer::Add),
             py::arg("application"))
        .def(
            "Get",
            [](const ApplicationContainer& c, int64_t i) { return c.Get(Index(i, c.GetN())); },
            py::arg("index"))
        .def("GetN", &ApplicationContainer::GetN)
        .def("Start", &ApplicationContainer::Start, py::arg("start"), "Start every application.")
        .def("Stop", &ApplicationContainer::Stop, py::arg("stop"), "Stop every application.")
        .def("__len__", &ApplicationContainer::GetN)
        .def("__getitem__",
             [](const ApplicationContainer& c, int64_t i) { return c.Get(Index(i, c.GetN())); })
        .def(
            "__iter__",
            [](const ApplicationContainer& c) {
                return py::make_iterator<py::return_value_policy::copy>(c.Begin(), c.End());
            },
            py::keep_alive<0, 1>());

    // --- sockets ----------------------------------------------------------------------
    py::class_<Socket, Object, Ptr<Socket>> socket(
        m,
        "Socket",
        "An ns-3 socket. The ns-3 methods (Bind, SendTo, RecvFrom, ...) return\n"
        "-1/None and set GetErrno(); the lower-case methods (bind, sendto,\n"
        "recvfrom, ...) behave like Python's socket module and raise OSError\n"
        "whose strerror is the ns-3 error name (e.g. 'ERROR_INVAL').");
    py::enum_<Socket::SocketErrno>(socket, "SocketErrno", "ns-3 socket errors.")
        .value("ERROR_NOTERROR", Socket::ERROR_NOTERROR)
        .value("ERROR_ISCONN", Socket::ERROR_ISCONN)
        .value("ERROR_NOTCONN", Socket::ERROR_NOTCONN)
        .value("ERROR_MSGSIZE", Socket::ERROR_MSGSIZE)
        .value("ERROR_AGAIN", Socket::ERROR_AGAIN)
        .value("ERROR_SHUTDOWN", Socket::ERROR_SHUTDOWN)
        .value("ERROR_OPNOTSUPP", Socket::ERROR_OPNOTSUPP)
        .value("ERROR_AFNOSUPPORT", Socket::ERROR_AFNOSUPPORT)
        .value("ERROR_INVAL", Socket::ERROR_INVAL)
        .value("ERROR_BADF", Socket::ERROR_BADF)
        .value("ERROR_NOROUTETOHOST", Socket::ERROR_NOROUTETOHOST)
        .value("ERROR_NODEV", Socket::ERROR_NODEV)
        .value("ERROR_ADDRNOTAVAIL", Socket::ERROR_ADDRNOTAVAIL)
        .value("ERROR_ADDRINUSE", Socket::ERROR_ADDRINUSE)
        .export_values();
    socket
        .def_static(
            "CreateSocket",
            [](Ptr<Node> node, py::handle tid) {
                TypeId t = ToTypeId(tid);
                if (!node->GetObject<SocketFactory>(t))
                {
                    throw py::value_error("node " + std::to_string(node->GetId()) + " has no " +
                                          t.GetName() + " (install a stack first)");
                }
                return Socket::CreateSocket(node, t);
            },
            py::arg("node"),
            py::arg("tid"),
            "Create a socket from a factory aggregated to the node, e.g.\n"
            "Socket.CreateSocket(node, 'ns3::UdpSocketFactory').")
        .def("GetErrno", &Socket::GetErrno, "The last error.")
        .def("GetNode", &Socket::GetNode)
        .def(
            "Bind",
            [](Socket& s, py::object addr) {
                int r = addr.is_none() ? s.Bind() : s.Bind(ToAddress(addr));
                RaisePendingError();
                return r;
            },
            py::arg("address") = py::none(),
            "Bind (to any address/port if None); 0 or -1.")
        .def(
            "Connect",
            [](Socket& s, py::handle addr) {
                int r = s.Connect(ToAddress(addr));
                RaisePendingError();
                return r;
            },
            py::arg("address"))
        .def("Listen", &Socket::Listen)
        .def("Close",
             [](Socket& s) {
                 int r = s.Close();
                 RaisePendingError();
                 return r;
             })
        .def("ShutdownSend", &Socket::ShutdownSend)
        .def("ShutdownRecv", &Socket::ShutdownRecv)
        .def("GetRxAvailable", &Socket::GetRxAvailable)
        .def("GetTxAvailable", &Socket::GetTxAvailable)
        .def("SetAllowBroadcast", &Socket::SetAllowBroadcast, py::arg("allow"))
        .def("SetIpTos", &Socket::SetIpTos, py::arg("tos"))
        .def("SetIpTtl", &Socket::SetIpTtl, py::arg("ttl"))
        .def(
            "Send",
            [](Socket& s, py::handle data, uint32_t flags) {
                int r = s.Send(ToPacket(data), flags);
                RaisePendingError();
                return r;
            },
            py::arg("data"),
            py::arg("flags") = 0,
            "Send a Packet or bytes; the bytes sent or -1.")
        .def(
            "SendTo",
            [](Socket& s, py::handle data, uint32_t flags, py::handle addr) {
                int r = s.SendTo(ToPacket(data), flags, ToAddress(addr));
                RaisePendingError();
                return r;
            },
            py::arg("data"),
            py::arg("flags"),
            py::arg("address"),
            "Send to an address; the bytes sent or -1.")
        .def(
            "Recv",
            [](Socket& s, uint32_t maxSize, uint32_t flags) -> py::object {
                Ptr<Packet> p = s.Recv(maxSize, flags);
                return p ? py::cast(p) : py::none();
            },
            py::arg("maxSize") = std::numeric_limits<uint32_t>::max(),
            py::arg("flags") = 0,
            "The next packet, or None.")
        .def(
            "RecvFrom",
            [](Socket& s, uint32_t maxSize, uint32_t flags) -> py::object {
                Address from;
                Ptr<Packet> p = s.RecvFrom(maxSize, flags, from);
                if (!p)
                {
                    return py::none();
                }
                return py::make_tuple(p, AddressToPy(from));
            },
            py::arg("maxSize") = std::numeric_limits<uint32_t>::max(),
            py::arg("flags") = 0,
            "(Packet, address) or None.")
        .def("GetSockName",
             [](const Socket& s) {
                 Address a;
                 s.GetSockName(a);
                 return AddressToPy(a);
             })
        .def("GetPeerName",
             [](const Socket& s) -> py::object {
                 Address a;
                 if (s.GetPeerName(a) < 0)
                 {
                     return py::none();
                 }
                 return AddressToPy(a);
             })
        .def(
            "SetRecvCallback",
            [](Socket& s, py::object fn) {
                if (fn.is_none())
                {
                    s.SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
                    return;
                }
                s.SetRecvCallback(MakeVoidCallback<Ptr<Socket>>(fn));
            },
            py::arg("fn"),
            "fn(socket) is called when data can be read (None removes it).")
        .def(
            "SetSendCallback",
            [](Socket& s, py::function fn) {
                s.SetSendCallback(MakeVoidCallback<Ptr<Socket>, uint32_t>(fn));
            },
            py::arg("fn"),
            "fn(socket, available) is called when room to send frees up.")
        .def(
            "SetDataSentCallback",
            [](Socket& s, py::function fn) {
                s.SetDataSentCallback(MakeVoidCallback<Ptr<Socket>, uint32_t>(fn));
            },
            py::arg("fn"),
            "fn(socket, bytes) is called when data was sent.")
        // Python socket module style
        .def(
            "bind",
            [](Socket& s, py::handle addr) { CheckSocket(s, s.Bind(ToAddress(addr))); },
            py::arg("address"),
            "Bind to (host, port); OSError on failure (e.g. ERROR_ADDRINUSE).")
        .def(
            "connect",
            [](Socket& s, py::handle addr) { CheckSocket(s, s.Connect(ToAddress(addr))); },
            py::arg("address"))
        .def(
            "close",
            [](Socket& s) { CheckSocket(s, s.Close()); },
            "Close; OSError if already closed.")
        .def(
            "send",
            [](Socket& s, py::handle data) { return CheckSocket(s, s.Send(ToPacket(data), 0)); },
            py::arg("data"),
            "Send bytes; the count sent, OSError on failure.")
        .def(
            "sendto",
            [](Socket& s, py::handle data, py::handle addr) {
                return CheckSocket(s, s.SendTo(ToPacket(data), 0, ToAddress(addr)));
            },
            py::arg("data"),
            py::arg("address"),
            "Send bytes to (host, port); the count sent, OSError on failure\n"
            "(strerror and ns3_error are the ns-3 error name).")
        .def(
            "recv",
            [](Socket& s, uint32_t bufsize) -> py::object {
                Ptr<Packet> p = s.Recv(bufsize, 0);
                if (!ReceivedOrRaise(s, p))
                {
                    return py::none();
                }
                return PacketBytes(p);
            },
            py::arg("bufsize") = 65535,
            "The next datagram's bytes, or None if none is queued.")
        .def(
            "recvfrom",
            [](Socket& s, uint32_t bufsize) -> py::object {
                Address from;
                Ptr<Packet> p = s.RecvFrom(bufsize, 0, from);
                if (!ReceivedOrRaise(s, p))
                {
                    return py::none();
                }
                return py::make_tuple(PacketBytes(p), AddressToPy(from));
            },
            py::arg("bufsize") = 65535,
            "(bytes, (host, port)) of the next datagram, or None if none is queued.")
        .def("getsockname", [](const Socket& s) {
            Address a;
            s.GetSockName(a);
            return AddressToPy(a);
        });

    // --- Names ----------------------------------------------------------------------
    py::class_<Names, std::unique_ptr<Names, py::nodelete>>(m, "Names", "Object names.")
        .def_static(
            "Add",
            [](const std::string& name, Ptr<Object> object) {
                if (name.empty() || name.find('/') != std::string::npos)
                {
                    throw py::value_error("invalid name '" + name + "'");
                }
                if (Names::Find<Object>(name))
                {
                    throw py::value_error("name '" + name + "' is already in use");
                }
                if (!Names::FindName(object).empty())
                {
                    throw py::value_error("object already named '" + Names::FindName(object) + "'");
                }
                Names::Add(name, object);
            },
            py::arg("name"),
            py::arg("object"),
            "Name an object (interfaces of named devices take the name in ipchains -i).")
        .def_static(
            "Find",
            [](const std::string& name) -> py::object {
                Ptr<Object> o = Names::Find<Object>(name);
                return o ? py::cast(o) : py::none();
            },
            py::arg("name"))
        .def_static("FindName", &Names::FindName, py::arg("object"))
        .def_static("Clear", &Names::Clear, "Forget every name (global state).");

    // --- tracing helpers (device level) --------------------------------------------
    py::class_<OutputStreamWrapper, Ptr<OutputStreamWrapper>>(m,
                                                              "OutputStreamWrapper",
                                                              "A file stream for ascii traces.");
    py::class_<AsciiTraceHelper>(m, "AsciiTraceHelper", "Creates ascii trace files.")
        .def(py::init<>())
        .def(
            "CreateFileStream",
            [](AsciiTraceHelper& h, const std::string& name) { return h.CreateFileStream(name); },
            py::arg("filename"));

    py::class_<PcapHelperForDevice>(m, "PcapHelperForDevice", "pcap tracing of devices.")
        .def("EnablePcap",
             py::overload_cast<std::string, Ptr<NetDevice>, bool, bool>(
                 &PcapHelperForDevice::EnablePcap),
             py::arg("prefix"),
             py::arg("device"),
             py::arg("promiscuous") = false,
             py::arg("explicitFilename") = false)
        .def("EnablePcap",
             py::overload_cast<std::string, NetDeviceContainer, bool>(
                 &PcapHelperForDevice::EnablePcap),
             py::arg("prefix"),
             py::arg("devices"),
             py::arg("promiscuous") = false)
        .def("EnablePcap",
             py::overload_cast<std::string, NodeContainer, bool>(&PcapHelperForDevice::EnablePcap),
             py::arg("prefix"),
             py::arg("nodes"),
             py::arg("promiscuous") = false)
        .def(
            "EnablePcap",
            [](PcapHelperForDevice& h,
               const std::string& prefix,
               uint32_t nodeid,
               uint32_t deviceid,
               bool promiscuous) {
                // ns-3 aborts on an unknown device.
                NodeContainer all = NodeContainer::GetGlobal();
                if (nodeid >= all.GetN() || deviceid >= all.Get(nodeid)->GetNDevices())
                {
                    throw py::index_error("no device " + std::to_string(deviceid) + " on node " +
                                          std::to_string(nodeid));
                }
                h.EnablePcap(prefix, nodeid, deviceid, promiscuous);
            },
            py::arg("prefix"),
            py::arg("nodeid"),
            py::arg("deviceid"),
            py::arg("promiscuous") = false)
        .def("EnablePcapAll",
             &PcapHelperForDevice::EnablePcapAll,
             py::arg("prefix"),
             py::arg("promiscuous") = false,
             "One pcap file per device: <prefix>-<node>-<device>.pcap");

    py::class_<AsciiTraceHelperForDevice>(m, "AsciiTraceHelperForDevice", "ascii tracing.")
        .def("EnableAscii",
             py::overload_cast<std::string, Ptr<NetDevice>, bool>(
                 &AsciiTraceHelperForDevice::EnableAscii),
             py::arg("prefix"),
             py::arg("device"),
             py::arg("explicitFilename") = false)
        .def("EnableAscii",
             py::overload_cast<Ptr<OutputStreamWrapper>, Ptr<NetDevice>>(
                 &AsciiTraceHelperForDevice::EnableAscii),
             py::arg("stream"),
             py::arg("device"))
        .def("EnableAscii",
             py::overload_cast<std::string, NetDeviceContainer>(
                 &AsciiTraceHelperForDevice::EnableAscii),
             py::arg("prefix"),
             py::arg("devices"))
        .def("EnableAscii",
             py::overload_cast<Ptr<OutputStreamWrapper>, NetDeviceContainer>(
                 &AsciiTraceHelperForDevice::EnableAscii),
             py::arg("stream"),
             py::arg("devices"))
        .def("EnableAscii",
             py::overload_cast<std::string, NodeContainer>(&AsciiTraceHelperForDevice::EnableAscii),
             py::arg("prefix"),
             py::arg("nodes"))
        .def("EnableAscii",
             py::overload_cast<Ptr<OutputStreamWrapper>, NodeContainer>(
                 &AsciiTraceHelperForDevice::EnableAscii),
             py::arg("stream"),
             py::arg("nodes"))
        .def("EnableAsciiAll",
             py::overload_cast<std::string>(&AsciiTraceHelperForDevice::EnableAsciiAll),
             py::arg("prefix"))
        .def(
            "EnableAsciiAll",
            py::overload_cast<Ptr<OutputStreamWrapper>>(&AsciiTraceHelperForDevice::EnableAsciiAll),
            py::arg("stream"));

    // Objects reach Python as their nearest bound class.
    RegisterObjectType<Node>();
    RegisterObjectType<Channel>();
    RegisterObjectType<NetDevice>();
    RegisterObjectType<Application>();
    RegisterObjectType<Socket>();
}

} // namespace ns3py

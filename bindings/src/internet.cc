/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ns-3 internet: headers (IPv4, ICMPv4, UDP, TCP), the Ipv4 object and its
// interface addresses, InternetStackHelper, Ipv4AddressHelper, routing
// helpers and IPv4-level pcap/ascii tracing.

#include "ns3divert.h"

#include "ns3/icmpv4.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/internet-trace-helper.h"
#include "ns3/ipv4-address-generator.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-interface-container.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/net-device-container.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"

#include <pybind11/operators.h>
#include <sstream>

namespace ns3py
{

using namespace ns3;

namespace
{

/// Raise unless interface i exists.
void
CheckInterface(const Ipv4& ipv4, uint32_t i)
{
    if (i >= ipv4.GetNInterfaces())
    {
        throw py::index_error("no interface " + std::to_string(i));
    }
}

/**
 * Raise unless `interface` exists on the Ipv4 the routing was obtained for
 * (GetStaticRouting remembers it on the Python object): a route through a
 * missing interface makes ns-3 dereference a null interface when it is used.
 */
void
CheckRouteInterface(Ipv4StaticRouting& r, uint32_t interface)
{
    py::object self = py::cast(&r, py::return_value_policy::reference);
    if (py::hasattr(self, "_ipv4"))
    {
        Ptr<Ipv4> ipv4 = self.attr("_ipv4").cast<Ptr<Ipv4>>();
        if (interface >= ipv4->GetNInterfaces())
        {
            throw py::index_error("no interface " + std::to_string(interface));
        }
    }
}

/// Raise unless a node may receive an internet stack.
void
CheckNoStack(Ptr<Node> node)
{
    if (node->GetObject<Ipv4>())
    {
        throw py::value_error("node " + std::to_string(node->GetId()) +
                              " already has an IPv4 stack");
    }
}

/// Header deserialized from bytes (ValueError if they are not one).
template <typename H>
H
HeaderFrom(py::handle data)
{
    H h;
    Ptr<Packet> p = ToPacket(data);
    if (p->GetSize() < h.GetSerializedSize())
    {
        throw py::value_error("too few bytes for " + h.GetInstanceTypeId().GetName() + ": " +
                              std::to_string(p->GetSize()));
    }
    if (p->RemoveHeader(h) == 0)
    {
        throw py::value_error("not a valid " + h.GetInstanceTypeId().GetName());
    }
    return h;
}

/**
 * Ipv4AddressHelper with the checks ns-3 only makes with asserts (absent
 * from Debian's release build) or with a fatal error: a bad base, address
 * overflow, collisions with addresses already given, nodes without a stack.
 */
class SafeIpv4AddressHelper
{
  public:
    SafeIpv4AddressHelper() = default;

    void SetBase(Ipv4Address network, Ipv4Mask mask, Ipv4Address base)
    {
        uint32_t m = mask.Get();
        if ((~m & (~m + 1)) != 0)
        {
            throw py::value_error("non-contiguous mask");
        }
        if ((network.Get() & ~m) != 0)
        {
            throw py::value_error("network address has host bits set for this mask");
        }
        if (base.Get() & m || base.Get() == 0)
        {
            throw py::value_error("base must be a non-zero host part, e.g. 0.0.0.1");
        }
        m_helper.SetBase(network, mask, base);
        m_network = network.Get();
        m_mask = m;
        m_base = base.Get();
        m_next = m_base;
        m_set = true;
    }

    Ipv4Address NewNetwork()
    {
        CheckSet();
        Ipv4Address net = m_helper.NewNetwork();
        m_network = net.Get();
        m_next = m_base;
        return net;
    }

    Ipv4Address NewAddress()
    {
        CheckSet();
        Check(1);
        m_next++;
        return m_helper.NewAddress();
    }

    Ipv4InterfaceContainer Assign(const NetDeviceContainer& c)
    {
        CheckSet();
        for (uint32_t i = 0; i < c.GetN(); i++)
        {
            Ptr<Node> node = c.Get(i)->GetNode();
            if (!node || !node->GetObject<Ipv4>())
            {
                throw py::value_error("device " + std::to_string(i) +
                                      " is on a node without an IPv4 stack");
            }
        }
        Check(c.GetN());
        m_next += c.GetN();
        return m_helper.Assign(c);
    }

  private:
    void CheckSet() const
    {
        if (!m_set)
        {
            throw py::value_error("Ipv4AddressHelper: call SetBase first");
        }
    }

    /// Raise unless n more addresses fit the network and are free.
    void Check(uint32_t n) const
    {
        uint64_t last = static_cast<uint64_t>(m_next) + n; // one past
        uint64_t hostMax = static_cast<uint64_t>(~m_mask); // broadcast host part
        if (n > 0 && last > hostMax)
        {
            throw py::value_error("address overflow in network " +
                                  AddressText(Ipv4Address(m_network)));
        }
        for (uint32_t k = 0; k < n; k++)
        {
            Ipv4Address a(m_network | (m_next + k));
            // ns-3.37's IsAddressAllocated returns false when the address IS
            // allocated (ipv4-address-generator.cc), despite its name.
            if (!Ipv4AddressGenerator::IsAddressAllocated(a))
            {
                throw py::value_error("address collision: " + AddressText(a) +
                                      " is already assigned");
            }
        }
    }

    static std::string AddressText(Ipv4Address a)
    {
        std::ostringstream os;
        os << a;
        return os.str();
    }

    Ipv4AddressHelper m_helper; //!< the ns-3 helper
    uint32_t m_network{0};      //!< network address
    uint32_t m_mask{0};         //!< mask
    uint32_t m_base{1};         //!< first host part
    uint32_t m_next{1};         //!< next host part
    bool m_set{false};          //!< SetBase was called
};

} // namespace

void
BindInternet(py::module_& m)
{
    // --- headers ------------------------------------------------------------------------
    py::class_<Ipv4Header, Header>(m, "Ipv4Header", "The IPv4 header (20 bytes, no options).")
        .def(py::init<>())
        .def_static("FromBytes",
                    &HeaderFrom<Ipv4Header>,
                    py::arg("data"),
                    "Deserialize from the first 20 bytes of `data` (ValueError if not IPv4).")
        .def("EnableChecksum",
             &Ipv4Header::EnableChecksum,
             "Compute the checksum when serializing (ns-3 leaves it 0 unless\n"
             "GlobalValue ChecksumEnabled is true).")
        .def("IsChecksumOk", &Ipv4Header::IsChecksumOk)
        .def("SetPayloadSize", &Ipv4Header::SetPayloadSize, py::arg("size"))
        .def("GetPayloadSize", &Ipv4Header::GetPayloadSize)
        .def("SetIdentification", &Ipv4Header::SetIdentification, py::arg("id"))
        .def("GetIdentification", &Ipv4Header::GetIdentification)
        .def("SetTos", &Ipv4Header::SetTos, py::arg("tos"))
        .def("GetTos", &Ipv4Header::GetTos)
        .def("SetTtl", &Ipv4Header::SetTtl, py::arg("ttl"))
        .def("GetTtl", &Ipv4Header::GetTtl)
        .def("SetProtocol", &Ipv4Header::SetProtocol, py::arg("protocol"))
        .def("GetProtocol", &Ipv4Header::GetProtocol)
        .def("SetSource", &Ipv4Header::SetSource, py::arg("source"))
        .def("GetSource", &Ipv4Header::GetSource)
        .def("SetDestination", &Ipv4Header::SetDestination, py::arg("destination"))
        .def("GetDestination", &Ipv4Header::GetDestination)
        .def("SetMoreFragments", &Ipv4Header::SetMoreFragments)
        .def("SetLastFragment", &Ipv4Header::SetLastFragment)
        .def("IsLastFragment", &Ipv4Header::IsLastFragment)
        .def("SetDontFragment", &Ipv4Header::SetDontFragment)
        .def("SetMayFragment", &Ipv4Header::SetMayFragment)
        .def("IsDontFragment", &Ipv4Header::IsDontFragment)
        .def("SetFragmentOffset", &Ipv4Header::SetFragmentOffset, py::arg("offsetBytes"))
        .def("GetFragmentOffset", &Ipv4Header::GetFragmentOffset);

    py::class_<Icmpv4Header, Header> icmp(m, "Icmpv4Header", "The ICMPv4 header (type, code).");
    icmp.def(py::init<>())
        .def_static("FromBytes", &HeaderFrom<Icmpv4Header>, py::arg("data"))
        .def("EnableChecksum", &Icmpv4Header::EnableChecksum)
        .def("SetType", &Icmpv4Header::SetType, py::arg("type"))
        .def("GetType", &Icmpv4Header::GetType)
        .def("SetCode", &Icmpv4Header::SetCode, py::arg("code"))
        .def("GetCode", &Icmpv4Header::GetCode);
    icmp.attr("ICMPV4_ECHO_REPLY") = static_cast<int>(Icmpv4Header::ICMPV4_ECHO_REPLY);
    icmp.attr("ICMPV4_DEST_UNREACH") = static_cast<int>(Icmpv4Header::ICMPV4_DEST_UNREACH);
    icmp.attr("ICMPV4_ECHO") = static_cast<int>(Icmpv4Header::ICMPV4_ECHO);
    icmp.attr("ICMPV4_TIME_EXCEEDED") = static_cast<int>(Icmpv4Header::ICMPV4_TIME_EXCEEDED);

    py::class_<Icmpv4Echo, Header>(m, "Icmpv4Echo", "ICMPv4 echo request/reply body.")
        .def(py::init<>())
        .def("SetIdentifier", &Icmpv4Echo::SetIdentifier, py::arg("id"))
        .def("GetIdentifier", &Icmpv4Echo::GetIdentifier)
        .def("SetSequenceNumber", &Icmpv4Echo::SetSequenceNumber, py::arg("seq"))
        .def("GetSequenceNumber", &Icmpv4Echo::GetSequenceNumber)
        .def(
            "SetData",
            [](Icmpv4Echo& e, py::handle data) { e.SetData(ToPacket(data)); },
            py::arg("data"),
            "The echo payload (bytes or Packet).")
        .def("GetDataSize", &Icmpv4Echo::GetDataSize)
        .def(
            "GetData",
            [](const Icmpv4Echo& e) {
                std::string buf(e.GetDataSize(), '\0');
                e.GetData(reinterpret_cast<uint8_t*>(buf.data()));
                return py::bytes(buf);
            },
            "The echo payload as bytes.");

    py::class_<UdpHeader, Header>(m, "UdpHeader", "The UDP header.")
        .def(py::init<>())
        .def_static("FromBytes", &HeaderFrom<UdpHeader>, py::arg("data"))
        .def("EnableChecksums", &UdpHeader::EnableChecksums)
        .def("SetSourcePort", &UdpHeader::SetSourcePort, py::arg("port"))
        .def("GetSourcePort", &UdpHeader::GetSourcePort)
        .def("SetDestinationPort", &UdpHeader::SetDestinationPort, py::arg("port"))
        .def("GetDestinationPort", &UdpHeader::GetDestinationPort)
        .def("InitializeChecksum",
             py::overload_cast<Ipv4Address, Ipv4Address, uint8_t>(&UdpHeader::InitializeChecksum),
             py::arg("source"),
             py::arg("destination"),
             py::arg("protocol") = 17)
        .def("IsChecksumOk", &UdpHeader::IsChecksumOk);

    py::class_<TcpHeader, Header>(m, "TcpHeader", "The TCP header.")
        .def(py::init<>())
        .def_static("FromBytes", &HeaderFrom<TcpHeader>, py::arg("data"))
        .def("GetSourcePort", &TcpHeader::GetSourcePort)
        .def("GetDestinationPort", &TcpHeader::GetDestinationPort)
        .def("SetSourcePort", &TcpHeader::SetSourcePort, py::arg("port"))
        .def("SetDestinationPort", &TcpHeader::SetDestinationPort, py::arg("port"))
        .def("GetFlags", &TcpHeader::GetFlags)
        .def("SetFlags", &TcpHeader::SetFlags, py::arg("flags"))
        .def("GetSequenceNumber",
             [](const TcpHeader& h) { return h.GetSequenceNumber().GetValue(); })
        .def("GetAckNumber", [](const TcpHeader& h) { return h.GetAckNumber().GetValue(); });

    // --- the IPv4 object ------------------------------------------------------------
    py::class_<Ipv4InterfaceAddress>(m, "Ipv4InterfaceAddress", "An address of an interface.")
        .def(py::init<Ipv4Address, Ipv4Mask>(), py::arg("local"), py::arg("mask"))
        .def("GetLocal", &Ipv4InterfaceAddress::GetLocal)
        .def("GetMask", &Ipv4InterfaceAddress::GetMask)
        .def("GetBroadcast", &Ipv4InterfaceAddress::GetBroadcast)
        .def("__repr__", [](const Ipv4InterfaceAddress& a) {
            std::ostringstream os;
            os << "<Ipv4InterfaceAddress " << a.GetLocal() << " mask " << a.GetMask() << ">";
            return os.str();
        });

    py::class_<Ipv4RoutingProtocol, Object, Ptr<Ipv4RoutingProtocol>>(m,
                                                                      "Ipv4RoutingProtocol",
                                                                      "An IPv4 routing protocol.")
        .def(
            "PrintRoutingTable",
            [](const Ipv4RoutingProtocol& r) {
                std::ostringstream os;
                Ptr<OutputStreamWrapper> stream = Create<OutputStreamWrapper>(&os);
                r.PrintRoutingTable(stream, Time::S);
                return os.str();
            },
            "The routing table as text.");

    py::class_<Ipv4StaticRouting, Ipv4RoutingProtocol, Ptr<Ipv4StaticRouting>>(
        m,
        "Ipv4StaticRouting",
        "Static IPv4 routes.")
        .def(
            "AddHostRouteTo",
            [](Ipv4StaticRouting& r, Ipv4Address dest, Ipv4Address next, uint32_t i, uint32_t m) {
                CheckRouteInterface(r, i);
                r.AddHostRouteTo(dest, next, i, m);
            },
            py::arg("dest"),
            py::arg("nextHop"),
            py::arg("interface"),
            py::arg("metric") = 0,
            "A route to one host through a gateway.")
        .def(
            "AddHostRouteTo",
            [](Ipv4StaticRouting& r, Ipv4Address dest, uint32_t i, uint32_t m) {
                CheckRouteInterface(r, i);
                r.AddHostRouteTo(dest, i, m);
            },
            py::arg("dest"),
            py::arg("interface"),
            py::arg("metric") = 0,
            "A route to one host on a directly connected interface.")
        .def(
            "AddNetworkRouteTo",
            [](Ipv4StaticRouting& r,
               Ipv4Address net,
               Ipv4Mask mask,
               Ipv4Address next,
               uint32_t i,
               uint32_t m) {
                CheckRouteInterface(r, i);
                r.AddNetworkRouteTo(net, mask, next, i, m);
            },
            py::arg("network"),
            py::arg("networkMask"),
            py::arg("nextHop"),
            py::arg("interface"),
            py::arg("metric") = 0,
            "A route to a network through a gateway.")
        .def(
            "AddNetworkRouteTo",
            [](Ipv4StaticRouting& r, Ipv4Address net, Ipv4Mask mask, uint32_t i, uint32_t m) {
                CheckRouteInterface(r, i);
                r.AddNetworkRouteTo(net, mask, i, m);
            },
            py::arg("network"),
            py::arg("networkMask"),
            py::arg("interface"),
            py::arg("metric") = 0,
            "A route to a directly connected network.")
        .def(
            "SetDefaultRoute",
            [](Ipv4StaticRouting& r, Ipv4Address next, uint32_t i, uint32_t m) {
                CheckRouteInterface(r, i);
                r.SetDefaultRoute(next, i, m);
            },
            py::arg("nextHop"),
            py::arg("interface"),
            py::arg("metric") = 0,
            "The default route.")
        .def("GetNRoutes", &Ipv4StaticRouting::GetNRoutes);

    py::class_<Ipv4, Object, Ptr<Ipv4>>(m, "Ipv4", "A node's IPv4 stack (interfaces, addresses).")
        .def("GetNInterfaces", &Ipv4::GetNInterfaces)
        .def("GetInterfaceForAddress", &Ipv4::GetInterfaceForAddress, py::arg("address"))
        .def(
            "GetInterfaceForDevice",
            [](const Ipv4& ipv4, Ptr<NetDevice> d) { return ipv4.GetInterfaceForDevice(d); },
            py::arg("device"),
            "The interface of a device, -1 if none.")
        .def(
            "GetNetDevice",
            [](Ipv4& ipv4, uint32_t i) {
                CheckInterface(ipv4, i);
                return ipv4.GetNetDevice(i);
            },
            py::arg("interface"))
        .def(
            "GetNAddresses",
            [](const Ipv4& ipv4, uint32_t i) {
                CheckInterface(ipv4, i);
                return ipv4.GetNAddresses(i);
            },
            py::arg("interface"))
        .def(
            "GetAddress",
            [](const Ipv4& ipv4, uint32_t i, uint32_t j) {
                CheckInterface(ipv4, i);
                if (j >= ipv4.GetNAddresses(i))
                {
                    throw py::index_error("no address " + std::to_string(j));
                }
                return ipv4.GetAddress(i, j);
            },
            py::arg("interface"),
            py::arg("addressIndex") = 0)
        .def(
            "AddAddress",
            [](Ipv4& ipv4, uint32_t i, const Ipv4InterfaceAddress& a) {
                CheckInterface(ipv4, i);
                return ipv4.AddAddress(i, a);
            },
            py::arg("interface"),
            py::arg("address"))
        .def(
            "GetMtu",
            [](const Ipv4& ipv4, uint32_t i) {
                CheckInterface(ipv4, i);
                return ipv4.GetMtu(i);
            },
            py::arg("interface"))
        .def(
            "IsUp",
            [](const Ipv4& ipv4, uint32_t i) {
                CheckInterface(ipv4, i);
                return ipv4.IsUp(i);
            },
            py::arg("interface"))
        .def(
            "SetUp",
            [](Ipv4& ipv4, uint32_t i) {
                CheckInterface(ipv4, i);
                ipv4.SetUp(i);
            },
            py::arg("interface"))
        .def(
            "SetDown",
            [](Ipv4& ipv4, uint32_t i) {
                CheckInterface(ipv4, i);
                ipv4.SetDown(i);
            },
            py::arg("interface"))
        .def(
            "SetForwarding",
            [](Ipv4& ipv4, uint32_t i, bool on) {
                CheckInterface(ipv4, i);
                ipv4.SetForwarding(i, on);
            },
            py::arg("interface"),
            py::arg("forwarding"))
        .def(
            "SetMetric",
            [](Ipv4& ipv4, uint32_t i, uint16_t metric) {
                CheckInterface(ipv4, i);
                ipv4.SetMetric(i, metric);
            },
            py::arg("interface"),
            py::arg("metric"))
        .def("GetRoutingProtocol", &Ipv4::GetRoutingProtocol);

    py::class_<Ipv4L3Protocol, Ipv4, Ptr<Ipv4L3Protocol>> l3(
        m,
        "Ipv4L3Protocol",
        "ns-3's IPv4 implementation. Trace sources: Tx, Rx (packet, ipv4,\n"
        "interface), SendOutgoing, UnicastForward, LocalDeliver (header,\n"
        "payload, interface), Drop (header, payload, reason, ipv4, interface).");
    py::enum_<Ipv4L3Protocol::DropReason>(l3, "DropReason")
        .value("DROP_TTL_EXPIRED", Ipv4L3Protocol::DROP_TTL_EXPIRED)
        .value("DROP_NO_ROUTE", Ipv4L3Protocol::DROP_NO_ROUTE)
        .value("DROP_BAD_CHECKSUM", Ipv4L3Protocol::DROP_BAD_CHECKSUM)
        .value("DROP_INTERFACE_DOWN", Ipv4L3Protocol::DROP_INTERFACE_DOWN)
        .value("DROP_ROUTE_ERROR", Ipv4L3Protocol::DROP_ROUTE_ERROR)
        .value("DROP_FRAGMENT_TIMEOUT", Ipv4L3Protocol::DROP_FRAGMENT_TIMEOUT)
        .value("DROP_DUPLICATE", Ipv4L3Protocol::DROP_DUPLICATE)
        .export_values();

    m.def(
        "GetIpv4",
        [](Ptr<Node> node) -> py::object {
            Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
            return ipv4 ? py::cast(ipv4) : py::none();
        },
        py::arg("node"),
        "The IPv4 stack of a node (a DivertIpv4L3Protocol on divert nodes), or None.");

    py::class_<Ipv4InterfaceContainer>(m,
                                       "Ipv4InterfaceContainer",
                                       "(Ipv4, interface) pairs, as Ipv4AddressHelper.Assign "
                                       "returns them.")
        .def(py::init<>())
        .def(
            "GetAddress",
            [](const Ipv4InterfaceContainer& c, uint32_t i, uint32_t j) {
                if (i >= c.GetN())
                {
                    throw py::index_error("index out of range");
                }
                auto [ipv4, iface] = c.Get(i);
                if (j >= ipv4->GetNAddresses(iface))
                {
                    throw py::index_error("no address " + std::to_string(j));
                }
                return c.GetAddress(i, j);
            },
            py::arg("i"),
            py::arg("j") = 0,
            "Address j of the i-th interface.")
        .def(
            "Get",
            [](const Ipv4InterfaceContainer& c, uint32_t i) {
                if (i >= c.GetN())
                {
                    throw py::index_error("index out of range");
                }
                auto [ipv4, iface] = c.Get(i);
                return py::make_tuple(ipv4, iface);
            },
            py::arg("i"),
            "(Ipv4, interface index)")
        .def("GetN", &Ipv4InterfaceContainer::GetN)
        .def("__len__", &Ipv4InterfaceContainer::GetN)
        .def("Add",
             py::overload_cast<const Ipv4InterfaceContainer&>(&Ipv4InterfaceContainer::Add),
             py::arg("other"))
        .def("Add",
             py::overload_cast<Ptr<Ipv4>, uint32_t>(&Ipv4InterfaceContainer::Add),
             py::arg("ipv4"),
             py::arg("interface"))
        .def(
            "SetMetric",
            [](Ipv4InterfaceContainer& c, uint32_t i, uint16_t metric) {
                if (i >= c.GetN())
                {
                    throw py::index_error("index out of range");
                }
                c.SetMetric(i, metric);
            },
            py::arg("i"),
            py::arg("metric"));

    // --- helpers ----------------------------------------------------------------------
    py::class_<SafeIpv4AddressHelper>(m, "Ipv4AddressHelper", "Assigns IPv4 addresses to devices.")
        .def(py::init<>())
        .def(py::init([](Ipv4Address network, Ipv4Mask mask, Ipv4Address base) {
                 SafeIpv4AddressHelper h;
                 h.SetBase(network, mask, base);
                 return h;
             }),
             py::arg("network"),
             py::arg("mask"),
             py::arg("base") = Ipv4Address("0.0.0.1"))
        .def("SetBase",
             &SafeIpv4AddressHelper::SetBase,
             py::arg("network"),
             py::arg("mask"),
             py::arg("base") = Ipv4Address("0.0.0.1"),
             "Network, mask and first host part, e.g. SetBase('10.1.1.0', '255.255.255.0').")
        .def("NewNetwork", &SafeIpv4AddressHelper::NewNetwork, "Move to the next network.")
        .def("NewAddress", &SafeIpv4AddressHelper::NewAddress, "Allocate the next address.")
        .def("Assign",
             &SafeIpv4AddressHelper::Assign,
             py::arg("devices"),
             "Give each device the next address; ValueError on overflow or collision.");

    py::class_<PcapHelperForIpv4>(m, "PcapHelperForIpv4", "pcap tracing at the IPv4 level.")
        .def("EnablePcapIpv4",
             py::overload_cast<std::string, Ptr<Ipv4>, uint32_t, bool>(
                 &PcapHelperForIpv4::EnablePcapIpv4),
             py::arg("prefix"),
             py::arg("ipv4"),
             py::arg("interface"),
             py::arg("explicitFilename") = false)
        .def("EnablePcapIpv4",
             py::overload_cast<std::string, Ipv4InterfaceContainer>(
                 &PcapHelperForIpv4::EnablePcapIpv4),
             py::arg("prefix"),
             py::arg("interfaces"))
        .def("EnablePcapIpv4",
             py::overload_cast<std::string, NodeContainer>(&PcapHelperForIpv4::EnablePcapIpv4),
             py::arg("prefix"),
             py::arg("nodes"))
        .def("EnablePcapIpv4All", &PcapHelperForIpv4::EnablePcapIpv4All, py::arg("prefix"));

    py::class_<AsciiTraceHelperForIpv4>(m, "AsciiTraceHelperForIpv4", "ascii tracing of IPv4.")
        .def("EnableAsciiIpv4",
             py::overload_cast<std::string, NodeContainer>(
                 &AsciiTraceHelperForIpv4::EnableAsciiIpv4),
             py::arg("prefix"),
             py::arg("nodes"))
        .def("EnableAsciiIpv4",
             py::overload_cast<Ptr<OutputStreamWrapper>, NodeContainer>(
                 &AsciiTraceHelperForIpv4::EnableAsciiIpv4),
             py::arg("stream"),
             py::arg("nodes"))
        .def("EnableAsciiIpv4",
             py::overload_cast<std::string, Ipv4InterfaceContainer>(
                 &AsciiTraceHelperForIpv4::EnableAsciiIpv4),
             py::arg("prefix"),
             py::arg("interfaces"))
        .def("EnableAsciiIpv4All",
             py::overload_cast<std::string>(&AsciiTraceHelperForIpv4::EnableAsciiIpv4All),
             py::arg("prefix"))
        .def("EnableAsciiIpv4All",
             py::overload_cast<Ptr<OutputStreamWrapper>>(
                 &AsciiTraceHelperForIpv4::EnableAsciiIpv4All),
             py::arg("stream"));

    py::class_<Ipv4RoutingHelper>(m, "Ipv4RoutingHelper", "Base of IPv4 routing helpers.");
    py::class_<Ipv4ListRoutingHelper, Ipv4RoutingHelper>(m,
                                                         "Ipv4ListRoutingHelper",
                                                         "Routing protocols by priority.")
        .def(py::init<>())
        .def("Add",
             &Ipv4ListRoutingHelper::Add,
             py::arg("routing"),
             py::arg("priority"),
             "Add a routing helper; higher priority is asked first.");

    py::class_<InternetStackHelper, PcapHelperForIpv4, AsciiTraceHelperForIpv4>(
        m,
        "InternetStackHelper",
        "Installs ns-3's plain internet stack (IPv4, IPv6, UDP, TCP, ...).")
        .def(py::init<>())
        .def(
            "Install",
            [](const InternetStackHelper& h, Ptr<Node> node) {
                CheckNoStack(node);
                h.Install(node);
            },
            py::arg("node"))
        .def(
            "Install",
            [](const InternetStackHelper& h, const NodeContainer& c) {
                for (uint32_t i = 0; i < c.GetN(); i++)
                {
                    CheckNoStack(c.Get(i));
                }
                h.Install(c);
            },
            py::arg("nodes"))
        .def("InstallAll",
             [](const InternetStackHelper& h) {
                 NodeContainer c = NodeContainer::GetGlobal();
                 for (uint32_t i = 0; i < c.GetN(); i++)
                 {
                     CheckNoStack(c.Get(i));
                 }
                 h.InstallAll();
             })
        .def("SetRoutingHelper",
             py::overload_cast<const Ipv4RoutingHelper&>(&InternetStackHelper::SetRoutingHelper),
             py::arg("routing"))
        .def("SetIpv4StackInstall", &InternetStackHelper::SetIpv4StackInstall, py::arg("enable"))
        .def("SetIpv6StackInstall", &InternetStackHelper::SetIpv6StackInstall, py::arg("enable"))
        .def("SetIpv4ArpJitter", &InternetStackHelper::SetIpv4ArpJitter, py::arg("enable"))
        .def(
            "SetTcp",
            [](InternetStackHelper& h, const std::string& tid) {
                LookupTypeId(tid);
                h.SetTcp(tid);
            },
            py::arg("tid"))
        .def("AssignStreams",
             &InternetStackHelper::AssignStreams,
             py::arg("nodes"),
             py::arg("stream"));

    py::class_<Ipv4GlobalRoutingHelper, Ipv4RoutingHelper>(m,
                                                           "Ipv4GlobalRoutingHelper",
                                                           "Global (shortest path) routing.")
        .def(py::init<>())
        .def_static("PopulateRoutingTables",
                    &Ipv4GlobalRoutingHelper::PopulateRoutingTables,
                    "Compute the routes of every node (after addresses are assigned).")
        .def_static("RecomputeRoutingTables", &Ipv4GlobalRoutingHelper::RecomputeRoutingTables);

    py::class_<Ipv4StaticRoutingHelper, Ipv4RoutingHelper>(m,
                                                           "Ipv4StaticRoutingHelper",
                                                           "Static routing.")
        .def(py::init<>())
        .def(
            "GetStaticRouting",
            [](const Ipv4StaticRoutingHelper& h, py::handle what) -> py::object {
                Ptr<Ipv4> ipv4;
                if (py::isinstance<Node>(what))
                {
                    ipv4 = what.cast<Ptr<Node>>()->GetObject<Ipv4>();
                }
                else
                {
                    ipv4 = what.cast<Ptr<Ipv4>>();
                }
                if (!ipv4)
                {
                    throw py::value_error("no IPv4 stack");
                }
                Ptr<Ipv4StaticRouting> r = h.GetStaticRouting(ipv4);
                if (!r)
                {
                    return py::none();
                }
                py::object routing = py::cast(r);
                routing.attr("_ipv4") = py::cast(ipv4); // for the interface checks
                return routing;
            },
            py::arg("ipv4"),
            "The static routing of an Ipv4 (or of a node's), None if it has none.\n"
            "Add routes with AddHostRouteTo / AddNetworkRouteTo / SetDefaultRoute.");

    // Objects reach Python as their nearest bound class.
    RegisterObjectType<Ipv4RoutingProtocol>();
    RegisterObjectType<Ipv4StaticRouting>();
    RegisterObjectType<Ipv4>();
    RegisterObjectType<Ipv4L3Protocol>();
}

} // namespace ns3py

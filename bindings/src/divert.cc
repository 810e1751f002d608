/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The divert module: DivertStackHelper, DivertIpv4L3Protocol, Ipchains,
// IpchainsNames, FirewallRule, FirewallPacket, DivertSocket,
// DivertInterceptor (with a Python verdict function) and its helper,
// Ipv4Reassembler, Ipv4Fragmenter.

#include "ns3divert.h"

#include "ns3/divert-module.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/names.h"
#include "ns3/node.h"
#include "ns3/uinteger.h"

#include <optional>
#include <pybind11/operators.h>
#include <sstream>

namespace ns3py
{

using namespace ns3;

namespace
{

/// operator<< as a string.
template <typename T>
std::string
Str(const T& v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

/// The output of a command, or ValueError with ipchains's message.
std::string
Checked(const Ipchains::Result& r)
{
    if (!r.ok)
    {
        throw py::value_error(r.error);
    }
    return r.output;
}

/// A hook from a Hook value or a built-in chain name.
Ipchains::Hook
ToHook(py::handle h)
{
    if (py::isinstance<py::str>(h))
    {
        std::string name = h.cast<std::string>();
        for (Ipchains::Hook hook : {Ipchains::INPUT, Ipchains::FORWARD, Ipchains::OUTPUT})
        {
            if (Ipchains::GetHookChainName(hook) == name)
            {
                return hook;
            }
        }
        throw py::value_error("not a built-in chain: '" + name + "'");
    }
    return h.cast<Ipchains::Hook>();
}

/// Raise unless a node may receive a stack.
void
CheckNoStack(Ptr<Node> node)
{
    if (node->GetObject<Ipv4>())
    {
        throw py::value_error("node " + std::to_string(node->GetId()) +
                              " already has an IPv4 stack");
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
        Ptr<Node> n = Names::Find<Node>(what.cast<std::string>());
        if (!n)
        {
            throw py::value_error("no node named '" + what.cast<std::string>() + "'");
        }
        return NodeContainer(n);
    }
    return NodeContainer(what.cast<Ptr<Node>>());
}

/// How many positional arguments a Python callable takes (1 or 2; 2 if unknown).
int
PositionalArity(py::handle fn)
{
    try
    {
        py::module_ inspect = py::module_::import("inspect");
        py::object parameter = inspect.attr("Parameter");
        py::object sig = inspect.attr("signature")(fn);
        int n = 0;
        for (py::handle p : sig.attr("parameters").attr("values")())
        {
            py::object kind = p.attr("kind");
            if (kind.equal(parameter.attr("VAR_POSITIONAL")))
            {
                return 2;
            }
            if (kind.equal(parameter.attr("POSITIONAL_ONLY")) ||
                kind.equal(parameter.attr("POSITIONAL_OR_KEYWORD")))
            {
                n++;
            }
        }
        return n >= 2 ? 2 : 1;
    }
    catch (py::error_already_set&)
    {
        return 2;
    }
}

/**
 * The verdict callback of a DivertInterceptor calling a Python function
 * fn(datagram: bytes[, address: (host, port)]) that returns None or True
 * (pass), False (drop), bytes-like or Packet (modify: these bytes are sent
 * instead), or a DivertInterceptor.Action.
 */
DivertInterceptor::VerdictCallback
MakeVerdictCallback(py::object fn)
{
    if (!PyCallable_Check(fn.ptr()))
    {
        throw py::type_error("the verdict function must be callable");
    }
    int arity = PositionalArity(fn);
    Ptr<PyCallable> h = Create<PyCallable>(std::move(fn));
    return DivertInterceptor::VerdictCallback([h, arity](Ptr<const Packet> datagram,
                                                         const Address& from) {
        DivertInterceptor::Verdict verdict;
        py::gil_scoped_acquire gil;
        if (!h->IsAlive() || HasPendingError())
        {
            return verdict;
        }
        try
        {
            py::object data = PacketBytes(datagram);
            py::object r = arity == 1 ? h->Get()(data) : h->Get()(data, AddressToPy(from));
            if (r.is_none())
            {
                verdict.action = DivertInterceptor::PASS;
            }
            else if (py::isinstance<py::bool_>(r))
            {
                verdict.action = r.cast<bool>() ? DivertInterceptor::PASS : DivertInterceptor::DROP;
            }
            else if (py::isinstance<DivertInterceptor::Action>(r))
            {
                verdict.action = r.cast<DivertInterceptor::Action>();
                if (verdict.action == DivertInterceptor::MODIFY)
                {
                    throw py::value_error("return the new bytes for a MODIFY verdict");
                }
            }
            else if (py::isinstance<Packet>(r) || PyObject_CheckBuffer(r.ptr()))
            {
                verdict.action = DivertInterceptor::MODIFY;
                verdict.datagram = ToPacket(r);
            }
            else
            {
                throw py::type_error(
                    "a verdict is None/True (pass), False (drop) or bytes (modify), not " +
                    std::string(py::str(py::type::of(r).attr("__name__"))));
            }
        }
        catch (py::error_already_set& e)
        {
            verdict.action = DivertInterceptor::DROP;
            HandleCallbackError(e);
        }
        catch (py::builtin_exception& e)
        {
            verdict.action = DivertInterceptor::DROP;
            e.set_error();
            py::error_already_set err;
            HandleCallbackError(err);
        }
        return verdict;
    });
}

/**
 * DivertInterceptorHelper for Python: the verdict function stays on the
 * Python side and each installed interceptor gets its own callback, so that
 * the helper can be used again after Simulator.Destroy().
 */
class PyInterceptorHelper
{
  public:
    explicit PyInterceptorHelper(uint16_t port)
        : m_helper(port)
    {
    }

    void SetAttribute(const std::string& name, py::handle value)
    {
        m_helper.SetAttribute(name,
                              *MakeAttributeValue(DivertInterceptor::GetTypeId(), name, value));
    }

    void SetVerdictCallback(py::object fn)
    {
        if (!fn.is_none() && !PyCallable_Check(fn.ptr()))
        {
            throw py::type_error("the verdict function must be callable");
        }
        m_verdict = std::move(fn);
    }

    py::object GetVerdictCallback() const
    {
        return m_verdict;
    }

    ApplicationContainer Install(py::handle what) const
    {
        NodeContainer c = Nodes(what);
        for (uint32_t i = 0; i < c.GetN(); i++)
        {
            if (!c.Get(i)->GetObject<DivertSocketFactory>())
            {
                throw py::value_error("node " + std::to_string(c.Get(i)->GetId()) +
                                      " has no divert stack (install DivertStackHelper first)");
            }
        }
        ApplicationContainer apps = m_helper.Install(c);
        if (!m_verdict.is_none())
        {
            for (uint32_t i = 0; i < apps.GetN(); i++)
            {
                DynamicCast<DivertInterceptor>(apps.Get(i))
                    ->SetVerdictCallback(MakeVerdictCallback(m_verdict));
            }
        }
        return apps;
    }

  private:
    DivertInterceptorHelper m_helper; //!< the C++ helper (no callback)
    py::object m_verdict{py::none()}; //!< the Python verdict function
};

/// DivertStats as a dict.
py::dict
StatsDict(const DivertIpv4L3Protocol::DivertStats& s)
{
    py::dict d;
    d["delivered"] = s.delivered;
    d["noPort"] = s.noPort;
    d["queueFull"] = s.queueFull;
    d["sent"] = s.sent;
    d["errors"] = s.errors;
    d["reinjected"] = s.reinjected;
    d["injected"] = s.injected;
    d["loopDrops"] = s.loopDrops;
    d["tooBig"] = s.tooBig;
    d["ruleDrops"] = s.ruleDrops;
    d["rejected"] = s.rejected;
    d["fragNeeded"] = s.fragNeeded;
    d["passedThrough"] = s.passedThrough;
    d["noRoute"] = s.noRoute;
    d["badAddress"] = s.badAddress;
    d["badHeader"] = s.badHeader;
    d["badTransport"] = s.badTransport;
    d["socketClosed"] = s.socketClosed;
    d["disposed"] = s.disposed;
    d["verdictDrops"] = s.verdictDrops;
    d["badVerdicts"] = s.badVerdicts;
    d["appStopped"] = s.appStopped;
    d["interfaceDown"] = s.interfaceDown;
    return d;
}

/// Interceptor counters as a dict.
py::dict
CountersDict(const DivertInterceptor::Counters& c)
{
    py::dict d;
    d["received"] = c.received;
    d["passed"] = c.passed;
    d["modified"] = c.modified;
    d["dropped"] = c.dropped;
    d["sendErrors"] = c.sendErrors;
    return d;
}

/// Reassembler counters as a dict.
py::dict
ReassemblyDict(const Ipv4Reassembler::Counters& c)
{
    py::dict d;
    d["fragments"] = c.fragments;
    d["reassembled"] = c.reassembled;
    d["timedOut"] = c.timedOut;
    d["evicted"] = c.evicted;
    d["overlapDropped"] = c.overlapDropped;
    d["oversize"] = c.oversize;
    d["tinyDropped"] = c.tinyDropped;
    d["invalid"] = c.invalid;
    d["overlaps"] = c.overlaps;
    d["duplicates"] = c.duplicates;
    return d;
}

/// "Name(a=1, b=2)" from a dict.
std::string
ReprOf(const std::string& name, const py::dict& d)
{
    std::string s = name + "(";
    bool first = true;
    for (auto item : d)
    {
        s += (first ? "" : ", ") + item.first.cast<std::string>() + "=" +
             py::repr(item.second).cast<std::string>();
        first = false;
    }
    return s + ")";
}

} // namespace

void
BindDivert(py::module_& m)
{
    // Classes that refer to each other are declared first, so that every
    // signature names Python classes (help() and the type stubs).
    py::class_<Ipv4Reassembler, Object, Ptr<Ipv4Reassembler>> reassembler(
        m,
        "Ipv4Reassembler",
        "IPv4 reassembly with target-based overlap policies.");
    py::class_<DivertSocket, Socket, Ptr<DivertSocket>> divertSocket(
        m,
        "DivertSocket",
        "A divert socket: bind(('0.0.0.0', port)), recvfrom() -> (datagram,\n"
        "(address, handle)), sendto(datagram, address) reinjects (the address a\n"
        "packet came with) or injects (('0.0.0.0', 0): out; an interface\n"
        "address: in). Errors raise OSError whose strerror is the ns-3 name.");

    // --- FirewallPacket --------------------------------------------------------------
    py::class_<FirewallPacket>(m,
                               "FirewallPacket",
                               "What the firewall sees of a packet (ipchains -C takes one).")
        .def(py::init<>())
        .def_readwrite("source", &FirewallPacket::source)
        .def_readwrite("destination", &FirewallPacket::destination)
        .def_readwrite("protocol", &FirewallPacket::protocol)
        .def_readwrite("tos", &FirewallPacket::tos)
        .def_readwrite("hasPorts", &FirewallPacket::hasPorts)
        .def_readwrite("sourcePort", &FirewallPacket::sourcePort)
        .def_readwrite("destinationPort", &FirewallPacket::destinationPort)
        .def_readwrite("fragment", &FirewallPacket::fragment)
        .def_readwrite("syn", &FirewallPacket::syn)
        .def_readwrite("interface", &FirewallPacket::interface)
        .def_readwrite("mark", &FirewallPacket::mark)
        .def_readwrite("size", &FirewallPacket::size)
        .def_static(
            "Describe",
            [](const Ipv4Header& header,
               py::handle payload,
               const std::string& interface,
               uint32_t mark) {
                return FirewallPacket::Describe(header, ToPacket(payload), interface, mark);
            },
            py::arg("header"),
            py::arg("payload"),
            py::arg("interface") = "",
            py::arg("mark") = 0,
            "Describe a packet from its header and payload (bytes or Packet).")
        .def_static(
            "FromBytes",
            [](py::handle datagram, const std::string& interface, uint32_t mark) {
                Ptr<Packet> p = ToPacket(datagram);
                Ipv4Header h;
                if (p->GetSize() < h.GetSerializedSize() || p->RemoveHeader(h) == 0)
                {
                    throw py::value_error("not an IPv4 datagram");
                }
                return FirewallPacket::Describe(h, p, interface, mark);
            },
            py::arg("datagram"),
            py::arg("interface") = "",
            py::arg("mark") = 0,
            "Describe a whole IPv4 datagram given as bytes (e.g. bytes(scapy_pkt)).")
        .def("__repr__", [](const FirewallPacket& p) { return "<FirewallPacket " + Str(p) + ">"; });

    // --- FirewallRule --------------------------------------------------------------------
    py::class_<FirewallRule> rule(m,
                                  "FirewallRule",
                                  "An ipchains rule: match options, target and counters.");
    py::enum_<FirewallRule::Target>(rule, "Target")
        .value("NONE", FirewallRule::NONE)
        .value("ACCEPT", FirewallRule::ACCEPT)
        .value("DENY", FirewallRule::DENY)
        .value("REJECT", FirewallRule::REJECT)
        .value("RETURN", FirewallRule::RETURN)
        .value("CHAIN", FirewallRule::CHAIN)
        .value("DIVERT", FirewallRule::DIVERT)
        .value("MASQ", FirewallRule::MASQ)
        .value("REDIRECT", FirewallRule::REDIRECT)
        .export_values();
    py::enum_<FirewallRule::Flag>(rule, "Flag")
        .value("UNSET", FirewallRule::UNSET)
        .value("SET", FirewallRule::SET)
        .value("INVERTED", FirewallRule::INVERTED)
        .export_values();
    py::enum_<FirewallRule::MarkOp>(rule, "MarkOp")
        .value("MARK_NONE", FirewallRule::MARK_NONE)
        .value("MARK_SET", FirewallRule::MARK_SET)
        .value("MARK_ADD", FirewallRule::MARK_ADD)
        .export_values();
    rule.attr("PROTO_ALL") = FirewallRule::PROTO_ALL;
    rule.attr("PROTO_ICMP") = FirewallRule::PROTO_ICMP;
    rule.attr("PROTO_TCP") = FirewallRule::PROTO_TCP;
    rule.attr("PROTO_UDP") = FirewallRule::PROTO_UDP;
    rule.def(py::init<>(), "A rule that matches every packet and only counts it.")
        .def_static(
            "FromString",
            [](const std::string& spec) {
                IpchainsCommand command;
                std::string error;
                if (!IpchainsParser::Parse("-A input " + spec, command, error))
                {
                    throw py::value_error(error);
                }
                return command.rule;
            },
            py::arg("spec"),
            "Parse a rule specification as ipchains takes it after -A chain,\n"
            "e.g. '-p udp -d 10.1.2.0/24 -j DIVERT 8000' (ValueError with ipchains's message).")
        .def("SetProtocol",
             &FirewallRule::SetProtocol,
             py::arg("protocol"),
             py::arg("inverted") = false)
        .def("GetProtocol", &FirewallRule::GetProtocol)
        .def("IsProtocolInverted", &FirewallRule::IsProtocolInverted)
        .def("SetSource",
             &FirewallRule::SetSource,
             py::arg("address"),
             py::arg("mask"),
             py::arg("inverted") = false)
        .def("GetSource", &FirewallRule::GetSource)
        .def("GetSourceMask", &FirewallRule::GetSourceMask)
        .def("IsSourceInverted", &FirewallRule::IsSourceInverted)
        .def("SetDestination",
             &FirewallRule::SetDestination,
             py::arg("address"),
             py::arg("mask"),
             py::arg("inverted") = false)
        .def("GetDestination", &FirewallRule::GetDestination)
        .def("GetDestinationMask", &FirewallRule::GetDestinationMask)
        .def("IsDestinationInverted", &FirewallRule::IsDestinationInverted)
        .def("SetSourcePorts",
             &FirewallRule::SetSourcePorts,
             py::arg("min"),
             py::arg("max"),
             py::arg("inverted") = false)
        .def("GetSourcePortMin", &FirewallRule::GetSourcePortMin)
        .def("GetSourcePortMax", &FirewallRule::GetSourcePortMax)
        .def("IsSourcePortInverted", &FirewallRule::IsSourcePortInverted)
        .def("HasSourcePorts", &FirewallRule::HasSourcePorts)
        .def("SetDestinationPorts",
             &FirewallRule::SetDestinationPorts,
             py::arg("min"),
             py::arg("max"),
             py::arg("inverted") = false)
        .def("GetDestinationPortMin", &FirewallRule::GetDestinationPortMin)
        .def("GetDestinationPortMax", &FirewallRule::GetDestinationPortMax)
        .def("IsDestinationPortInverted", &FirewallRule::IsDestinationPortInverted)
        .def("HasDestinationPorts", &FirewallRule::HasDestinationPorts)
        .def("SetIcmpType",
             &FirewallRule::SetIcmpType,
             py::arg("type"),
             py::arg("inverted") = false)
        .def("SetIcmpTypeCode", &FirewallRule::SetIcmpTypeCode, py::arg("type"), py::arg("code"))
        .def("SetInterface",
             &FirewallRule::SetInterface,
             py::arg("name"),
             py::arg("inverted") = false)
        .def("GetInterface", &FirewallRule::GetInterface)
        .def("IsInterfaceInverted", &FirewallRule::IsInterfaceInverted)
        .def("IsInterfaceWildcard", &FirewallRule::IsInterfaceWildcard)
        .def("SetFragment", &FirewallRule::SetFragment, py::arg("flag"))
        .def("GetFragment", &FirewallRule::GetFragment)
        .def("SetSyn", &FirewallRule::SetSyn, py::arg("flag"))
        .def("GetSyn", &FirewallRule::GetSyn)
        .def("SetTos", &FirewallRule::SetTos, py::arg("andMask"), py::arg("xorMask"))
        .def("GetTosAnd", &FirewallRule::GetTosAnd)
        .def("GetTosXor", &FirewallRule::GetTosXor)
        .def("SetLog", &FirewallRule::SetLog, py::arg("log"))
        .def("GetLog", &FirewallRule::GetLog)
        .def("SetMark", &FirewallRule::SetMark, py::arg("op"), py::arg("value"))
        .def("GetMarkOp", &FirewallRule::GetMarkOp)
        .def("GetMarkValue", &FirewallRule::GetMarkValue)
        .def("SetTarget", &FirewallRule::SetTarget, py::arg("target"))
        .def("SetJump", &FirewallRule::SetJump, py::arg("chain"))
        .def("SetDivert", &FirewallRule::SetDivert, py::arg("port"))
        .def("SetRedirect", &FirewallRule::SetRedirect, py::arg("port") = 0)
        .def("SetTargetName", &FirewallRule::SetTargetName, py::arg("name"), py::arg("port") = 0)
        .def("GetTarget", &FirewallRule::GetTarget)
        .def("GetTargetChain", &FirewallRule::GetTargetChain)
        .def("GetTargetPort", &FirewallRule::GetTargetPort)
        .def("GetTargetName", &FirewallRule::GetTargetName)
        .def("GetPackets", &FirewallRule::GetPackets, "Packets counted by the rule.")
        .def("GetBytes", &FirewallRule::GetBytes, "Bytes counted by the rule.")
        .def("SetCounters", &FirewallRule::SetCounters, py::arg("packets"), py::arg("bytes"))
        .def("ResetCounters", &FirewallRule::ResetCounters)
        .def("Matches", &FirewallRule::Matches, py::arg("packet"))
        .def("GetMirror", &FirewallRule::GetMirror, "The mirror rule -b adds.")
        .def("IsSameRule", &FirewallRule::IsSameRule, py::arg("other"))
        .def("Validate", &FirewallRule::Validate, "'' if valid, else the ipchains error message.")
        .def("GetTosWarnings", &FirewallRule::GetTosWarnings)
        .def("ToString", &FirewallRule::ToString, "The rule as ipchains arguments.")
        .def_static("TargetToString", &FirewallRule::TargetToString, py::arg("target"))
        .def("__str__", &FirewallRule::ToString)
        .def("__repr__", [](const FirewallRule& r) {
            return "FirewallRule.FromString('" + r.ToString() + "')";
        });

    // --- IpchainsNames -------------------------------------------------------------------
    py::class_<IpchainsNames> names(
        m,
        "IpchainsNames",
        "The built-in name tables of ipchains (protocols, services, ICMP types), both ways.");
    using IcmpName = IpchainsNames::IcmpName;
    py::class_<IcmpName>(names, "IcmpName", "One ICMP name: a type and a range of codes.")
        .def_readonly("name", &IcmpName::name, "the name")
        .def_readonly("type", &IcmpName::type, "ICMP type")
        .def_readonly("codeMin", &IcmpName::codeMin, "first code")
        .def_readonly("codeMax", &IcmpName::codeMax, "last code")
        .def_readonly("useCodeMinForTesting",
                      &IcmpName::useCodeMinForTesting,
                      "-C may use codeMin as the packet's code")
        .def("__repr__", [](const IcmpName& n) {
            return "<IcmpName " + std::string(n.name) + " type " + std::to_string(n.type) +
                   " codes " + std::to_string(n.codeMin) + ":" + std::to_string(n.codeMax) + ">";
        });
    names
        .def_static("ProtocolToName",
                    &IpchainsNames::ProtocolToName,
                    py::arg("protocol"),
                    "'all', 'tcp', ... or the number in decimal.")
        .def_static(
            "NameToProtocol",
            [](const std::string& name) -> std::optional<uint8_t> {
                uint8_t protocol = 0;
                if (!IpchainsNames::NameToProtocol(name, protocol))
                {
                    return std::nullopt;
                }
                return protocol;
            },
            py::arg("name"),
            "The number of a protocol name (case-insensitive), or None.")
        .def_static("PortToService",
                    &IpchainsNames::PortToService,
                    py::arg("port"),
                    py::arg("protocol"),
                    "The service name of a tcp or udp port, or ''.")
        .def_static(
            "ServiceToPort",
            [](const std::string& name, uint8_t protocol) -> std::optional<uint16_t> {
                uint16_t port = 0;
                if (!IpchainsNames::ServiceToPort(name, protocol, port))
                {
                    return std::nullopt;
                }
                return port;
            },
            py::arg("name"),
            py::arg("protocol"),
            "The port of a tcp or udp service name, or None.")
        .def_static("IcmpToName",
                    &IpchainsNames::IcmpToName,
                    py::arg("typeMin"),
                    py::arg("typeMax"),
                    py::arg("codeMin"),
                    py::arg("codeMax"),
                    "The ICMP name ipchains -L prints for a type/code selection, or ''.")
        .def_static("NameToIcmp",
                    &IpchainsNames::NameToIcmp,
                    py::arg("prefix"),
                    "The ICMP names that begin with a prefix (case-insensitive), in table\n"
                    "order: none if unknown, more than one if ambiguous.")
        .def_static("IcmpHelp", &IpchainsNames::IcmpHelp, "The text of ipchains -h icmp.");

    // --- Ipchains ----------------------------------------------------------------------
    py::class_<Ipchains, Object, Ptr<Ipchains>> chains(
        m,
        "Ipchains",
        "The firewall chains of a node (Linux 2.2 ipchains). Commands return\n"
        "ipchains's output and raise ValueError with ipchains's message when\n"
        "refused (nothing changes then).");
    py::enum_<Ipchains::Hook>(chains, "Hook")
        .value("INPUT", Ipchains::INPUT)
        .value("FORWARD", Ipchains::FORWARD)
        .value("OUTPUT", Ipchains::OUTPUT)
        .export_values();
    chains.def(py::init([]() { return CreateObject<Ipchains>(); }), "Standalone tables.")
        .def("Compile",
             &Ipchains::Compile,
             "Compile the changed chains now instead of at their next packet.")
        .def("GetClassifierMemory",
             &Ipchains::GetClassifierMemory,
             "Bytes the compiled classifiers of every chain take.")
        .def(
            "Execute",
            [](Ipchains& c, const std::string& line) { return Checked(c.Execute(line)); },
            py::arg("commandLine"),
            "Run one ipchains command line, e.g. '-A input -p icmp -j DIVERT 1234';\n"
            "returns its output.")
        .def(
            "ExecuteScript",
            [](Ipchains& c, const std::string& text, const std::string& origin) {
                return Checked(c.ExecuteScript(text, origin));
            },
            py::arg("text"),
            py::arg("origin") = "<script>",
            "Run many lines, all or nothing ('#' comments); the error reads\n"
            "'<origin>:<line>: <message>'.")
        .def(
            "ExecuteFile",
            [](Ipchains& c, const std::string& path) { return Checked(c.ExecuteFile(path)); },
            py::arg("path"),
            "ExecuteScript on a file's contents.")
        .def(
            "AppendRule",
            [](Ipchains& c, const std::string& chain, const FirewallRule& r) {
                return Checked(c.AppendRule(chain, r));
            },
            py::arg("chain"),
            py::arg("rule"))
        .def(
            "InsertRule",
            [](Ipchains& c, const std::string& chain, uint32_t n, const FirewallRule& r) {
                return Checked(c.InsertRule(chain, n, r));
            },
            py::arg("chain"),
            py::arg("number"),
            py::arg("rule"))
        .def(
            "DeleteRule",
            [](Ipchains& c, const std::string& chain, const FirewallRule& r) {
                return Checked(c.DeleteRule(chain, r));
            },
            py::arg("chain"),
            py::arg("rule"))
        .def(
            "DeleteRule",
            [](Ipchains& c, const std::string& chain, uint32_t n) {
                return Checked(c.DeleteRule(chain, n));
            },
            py::arg("chain"),
            py::arg("number"))
        .def(
            "ReplaceRule",
            [](Ipchains& c, const std::string& chain, uint32_t n, const FirewallRule& r) {
                return Checked(c.ReplaceRule(chain, n, r));
            },
            py::arg("chain"),
            py::arg("number"),
            py::arg("rule"))
        .def(
            "Flush",
            [](Ipchains& c, const std::string& chain) { return Checked(c.Flush(chain)); },
            py::arg("chain") = "")
        .def(
            "Zero",
            [](Ipchains& c, const std::string& chain) { return Checked(c.Zero(chain)); },
            py::arg("chain") = "")
        .def(
            "NewChain",
            [](Ipchains& c, const std::string& chain) { return Checked(c.NewChain(chain)); },
            py::arg("chain"))
        .def(
            "DeleteChain",
            [](Ipchains& c, const std::string& chain) { return Checked(c.DeleteChain(chain)); },
            py::arg("chain") = "")
        .def(
            "SetPolicy",
            [](Ipchains& c, const std::string& chain, const std::string& target) {
                return Checked(c.SetPolicy(chain, target));
            },
            py::arg("chain"),
            py::arg("target"))
        .def("List",
             &Ipchains::List,
             py::arg("chain") = "",
             py::arg("verbose") = false,
             py::arg("numeric") = true,
             py::arg("exact") = false,
             py::arg("lineNumbers") = false,
             "The listing ipchains -L prints ('' for an unknown chain).")
        .def(
            "Check",
            [](Ipchains& c, const std::string& chain, const FirewallPacket& p) {
                return Checked(c.Check(chain, p));
            },
            py::arg("chain"),
            py::arg("packet"),
            "ipchains -C: 'accepted\\n', 'denied\\n', 'diverted\\n', ... (no counter changes).")
        .def("SetDivertAllowed", &Ipchains::SetDivertAllowed, py::arg("allowed"))
        .def("IsDivertAllowed", &Ipchains::IsDivertAllowed)
        .def("GetRuleCount", &Ipchains::GetRuleCount, py::arg("chain"))
        .def(
            "GetRule",
            [](const Ipchains& c, const std::string& chain, uint32_t n) -> py::object {
                const FirewallRule* r = c.GetRule(chain, n);
                return r ? py::cast(*r) : py::none(); // a copy, counters included
            },
            py::arg("chain"),
            py::arg("number"),
            "A copy of rule `number` (1-based) with its counters, or None.")
        .def(
            "GetPolicyPackets",
            [](const Ipchains& c, py::handle hook) { return c.GetPolicyPackets(ToHook(hook)); },
            py::arg("hook"),
            "Packets decided by a built-in chain's policy (Hook or 'input', ...).")
        .def(
            "GetPolicyBytes",
            [](const Ipchains& c, py::handle hook) { return c.GetPolicyBytes(ToHook(hook)); },
            py::arg("hook"))
        .def("HasChain", &Ipchains::HasChain, py::arg("chain"))
        .def("GetChainNames", &Ipchains::GetChainNames)
        .def("GetPolicy", &Ipchains::GetPolicy, py::arg("chain"))
        .def("GetReferenceCount", &Ipchains::GetReferenceCount, py::arg("chain"))
        .def_static("GetHookChainName", &Ipchains::GetHookChainName, py::arg("hook"));

    // --- DivertIpv4L3Protocol --------------------------------------------------------------
    py::class_<DivertIpv4L3Protocol, Ipv4L3Protocol, Ptr<DivertIpv4L3Protocol>> stack(
        m,
        "DivertIpv4L3Protocol",
        "The divert IPv4 stack of a node (DivertStackHelper.GetStack(node)).\n"
        "Trace sources: Diverted, Reinjected, Injected (packet, port, interface),\n"
        "DivertDrop (header, payload, reason, interface), Logged and Rejected\n"
        "(header, payload, chain, rule), plus Ipv4L3Protocol's.");
    py::enum_<DivertIpv4L3Protocol::ReinjectionMode>(stack, "ReinjectionMode")
        .value("REINJECT_RESUME", DivertIpv4L3Protocol::REINJECT_RESUME)
        .value("REINJECT_ACCEPT", DivertIpv4L3Protocol::REINJECT_ACCEPT)
        .value("REINJECT_RESTART", DivertIpv4L3Protocol::REINJECT_RESTART)
        .export_values();
    py::enum_<DivertIpv4L3Protocol::FragmentFiltering>(stack, "FragmentFiltering")
        .value("FILTER_EVERY_FRAGMENT", DivertIpv4L3Protocol::FILTER_EVERY_FRAGMENT)
        .value("FILTER_FIRST_FRAGMENT_ONLY", DivertIpv4L3Protocol::FILTER_FIRST_FRAGMENT_ONLY)
        .export_values();
    py::enum_<DivertIpv4L3Protocol::DivertDropReason>(stack, "DivertDropReason")
        .value("DIVERT_DROP_RULE", DivertIpv4L3Protocol::DIVERT_DROP_RULE)
        .value("DIVERT_DROP_NO_LISTENER", DivertIpv4L3Protocol::DIVERT_DROP_NO_LISTENER)
        .value("DIVERT_DROP_QUEUE_FULL", DivertIpv4L3Protocol::DIVERT_DROP_QUEUE_FULL)
        .value("DIVERT_DROP_TOO_BIG", DivertIpv4L3Protocol::DIVERT_DROP_TOO_BIG)
        .value("DIVERT_DROP_LOOP", DivertIpv4L3Protocol::DIVERT_DROP_LOOP)
        .value("DIVERT_DROP_BAD_HEADER", DivertIpv4L3Protocol::DIVERT_DROP_BAD_HEADER)
        .value("DIVERT_DROP_FIREWALL_LOOP", DivertIpv4L3Protocol::DIVERT_DROP_FIREWALL_LOOP)
        .value("DIVERT_DROP_NO_ROUTE", DivertIpv4L3Protocol::DIVERT_DROP_NO_ROUTE)
        .value("DIVERT_DROP_BAD_ADDRESS", DivertIpv4L3Protocol::DIVERT_DROP_BAD_ADDRESS)
        .value("DIVERT_DROP_BAD_TRANSPORT", DivertIpv4L3Protocol::DIVERT_DROP_BAD_TRANSPORT)
        .value("DIVERT_DROP_SOCKET_CLOSED", DivertIpv4L3Protocol::DIVERT_DROP_SOCKET_CLOSED)
        .value("DIVERT_DROP_DISPOSED", DivertIpv4L3Protocol::DIVERT_DROP_DISPOSED)
        .value("DIVERT_DROP_VERDICT", DivertIpv4L3Protocol::DIVERT_DROP_VERDICT)
        .value("DIVERT_DROP_BAD_VERDICT", DivertIpv4L3Protocol::DIVERT_DROP_BAD_VERDICT)
        .value("DIVERT_DROP_APP_STOPPED", DivertIpv4L3Protocol::DIVERT_DROP_APP_STOPPED)
        .value("DIVERT_DROP_INTERFACE_DOWN", DivertIpv4L3Protocol::DIVERT_DROP_INTERFACE_DOWN)
        .export_values()
        .def(
            "ToString",
            [](DivertIpv4L3Protocol::DivertDropReason r) { return Str(r); },
            "The reason as the C++ operator<< prints it (\"no listener\", ...).");

    using Stats = DivertIpv4L3Protocol::DivertStats;
    py::class_<Stats>(stack, "DivertStats", "divstat-like counters of a divert stack.")
        .def_readonly("delivered", &Stats::delivered, "packets handed to a divert socket")
        .def_readonly("noPort", &Stats::noPort, "DIVERT rule matched, no socket bound")
        .def_readonly("queueFull", &Stats::queueFull, "receive queue full")
        .def_readonly("sent", &Stats::sent, "packets sent on divert sockets")
        .def_readonly("errors", &Stats::errors, "sends refused with an error")
        .def_readonly("reinjected", &Stats::reinjected, "sent packets that had been diverted")
        .def_readonly("injected", &Stats::injected, "sent packets with no diversion history")
        .def_readonly("loopDrops", &Stats::loopDrops, "dropped by the loop guard")
        .def_readonly("tooBig", &Stats::tooBig, "larger than the MTU, not fragmented")
        .def_readonly("ruleDrops", &Stats::ruleDrops, "dropped by DENY/REJECT")
        .def_readonly("rejected", &Stats::rejected, "of those, REJECT")
        .def_readonly("fragNeeded", &Stats::fragNeeded, "ICMP fragmentation needed sent")
        .def_readonly("passedThrough", &Stats::passedThrough, "DIVERT, no listener, passed on")
        .def_readonly("noRoute", &Stats::noRoute, "sends refused: no route")
        .def_readonly("badAddress", &Stats::badAddress, "sends refused: not the node's address")
        .def_readonly("badHeader", &Stats::badHeader, "sends refused: not IPv4, bad IP options")
        .def_readonly("badTransport", &Stats::badTransport, "transport header ns-3 cannot parse")
        .def_readonly("socketClosed", &Stats::socketClosed, "queued datagrams lost to Close")
        .def_readonly("disposed", &Stats::disposed, "queued datagrams lost to disposal")
        .def_readonly("verdictDrops", &Stats::verdictDrops, "DROP verdicts of interceptors")
        .def_readonly("badVerdicts", &Stats::badVerdicts, "MODIFY verdicts without a datagram")
        .def_readonly("appStopped", &Stats::appStopped, "held by an interceptor when it stopped")
        .def_readonly("interfaceDown",
                      &Stats::interfaceDown,
                      "sent in on an interface that is down")
        .def("AsDict", &StatsDict, "The counters as a dict.")
        .def("__eq__",
             [](const Stats& a, const Stats& b) { return StatsDict(a).equal(StatsDict(b)); })
        .def("__repr__", [](const Stats& s) { return ReprOf("DivertStats", StatsDict(s)); });

    py::class_<Ipchains::Frame>(chains, "Frame", "A rule of a chain.")
        .def_readonly("chain", &Ipchains::Frame::chain)
        .def_readonly("rule", &Ipchains::Frame::rule)
        .def("__eq__",
             [](const Ipchains::Frame& a, const Ipchains::Frame& b) {
                 return a.chain == b.chain && a.rule == b.rule;
             })
        .def("__repr__", [](const Ipchains::Frame& f) {
            return "Frame('" + f.chain + "', " + std::to_string(f.rule) + ")";
        });

    using Info = DivertIpv4L3Protocol::DiversionInfo;
    py::class_<Info>(stack, "DiversionInfo", "What the stack remembers of a diversion.")
        .def_readonly("hook", &Info::hook, "built-in chain the packet was walking")
        .def_readonly("position", &Info::position, "diverting rule, with the chains above it")
        .def_readonly("passes", &Info::passes)
        .def_readonly("mark", &Info::mark)
        .def_readonly("interface", &Info::interface)
        .def_readonly("inInterface", &Info::inInterface)
        .def_readonly("port", &Info::port)
        .def("__repr__", [](const Info& i) {
            std::ostringstream os;
            os << "<DiversionInfo " << Ipchains::GetHookChainName(i.hook) << " port " << i.port
               << " passes " << i.passes << " at";
            for (const auto& f : i.position)
            {
                os << " " << f.chain << ":" << f.rule;
            }
            os << ">";
            return os.str();
        });

    stack.def("GetFirewall", &DivertIpv4L3Protocol::GetFirewall, "The node's ipchains tables.")
        .def("GetReassembler", &DivertIpv4L3Protocol::GetReassembler, "The reassembly engine.")
        .def(
            "GetInterfaceName",
            [](const DivertIpv4L3Protocol& s, uint32_t i) {
                if (i >= s.GetNInterfaces())
                {
                    throw py::index_error("no interface " + std::to_string(i));
                }
                return s.GetInterfaceName(i);
            },
            py::arg("interface"),
            "'lo', 'eth0', ... or the device's Names name, as -i sees it.")
        .def("RefreshInterfaceNames",
             &DivertIpv4L3Protocol::RefreshInterfaceNames,
             "Read the names -i matches again (after Names renamed a device during the run).")
        .def("GetDivertStats", &DivertIpv4L3Protocol::GetDivertStats, "The divstat counters.")
        .def(
            "LookupDiversion",
            [](const DivertIpv4L3Protocol& s, uint16_t handle) -> py::object {
                Info info;
                if (!s.LookupDiversion(handle, info))
                {
                    return py::none();
                }
                return py::cast(info);
            },
            py::arg("handle"),
            "The diversion named by the port of a divert address, or None.")
        .def("IsDivertEnabled", &DivertIpv4L3Protocol::IsDivertEnabled)
        .def("CreateDivertSocket", &DivertIpv4L3Protocol::CreateDivertSocket);

    // --- sockets ---------------------------------------------------------------------------
    py::class_<DivertSocketFactory, Object, Ptr<DivertSocketFactory>>(m, "DivertSocketFactory")
        .def_static("GetTypeId", &DivertSocketFactory::GetTypeId);

    divertSocket
        .def_static(
            "Create",
            [](Ptr<Node> node) {
                if (!node->GetObject<DivertSocketFactory>())
                {
                    throw py::value_error("node " + std::to_string(node->GetId()) +
                                          " has no divert stack (install DivertStackHelper)");
                }
                return DynamicCast<DivertSocket>(
                    Socket::CreateSocket(node, DivertSocketFactory::GetTypeId()));
            },
            py::arg("node"),
            "A new divert socket on a node with a divert stack.")
        .def("GetPort", &DivertSocket::GetPort, "The bound divert port, 0 if not bound.")
        .def("GetDropCount", &DivertSocket::GetDropCount, "Datagrams dropped: queue full.");

    // --- DivertInterceptor -----------------------------------------------------------------
    py::class_<DivertInterceptor, Application, Ptr<DivertInterceptor>> interceptor(
        m,
        "DivertInterceptor",
        "An application that reads a divert port and gives each datagram a verdict.");
    py::enum_<DivertInterceptor::Action>(interceptor, "Action")
        .value("PASS", DivertInterceptor::PASS)
        .value("DROP", DivertInterceptor::DROP)
        .value("MODIFY", DivertInterceptor::MODIFY)
        .export_values();
    using Counters = DivertInterceptor::Counters;
    py::class_<Counters>(interceptor, "Counters", "Counters of an interceptor.")
        .def_readonly("received", &Counters::received)
        .def_readonly("passed", &Counters::passed)
        .def_readonly("modified", &Counters::modified)
        .def_readonly("dropped", &Counters::dropped)
        .def_readonly("sendErrors", &Counters::sendErrors)
        .def("AsDict", &CountersDict)
        .def("__eq__",
             [](const Counters& a, const Counters& b) {
                 return CountersDict(a).equal(CountersDict(b));
             })
        .def("__repr__", [](const Counters& c) { return ReprOf("Counters", CountersDict(c)); });
    interceptor.def(py::init([]() { return CreateObject<DivertInterceptor>(); }))
        .def(
            "SetVerdictCallback",
            [](DivertInterceptor& i, py::object fn) {
                if (fn.is_none())
                {
                    i.SetVerdictCallback(DivertInterceptor::VerdictCallback());
                    return;
                }
                i.SetVerdictCallback(MakeVerdictCallback(fn));
            },
            py::arg("fn"),
            "fn(datagram: bytes[, address]) -> None/True: pass, False: drop,\n"
            "bytes: send these bytes instead. None removes the function (all pass).")
        .def("GetCounters", &DivertInterceptor::GetCounters)
        .def("GetSocketError", &DivertInterceptor::GetSocketError)
        .def("GetSocket", &DivertInterceptor::GetSocket)
        .def("AssignStreams", &DivertInterceptor::AssignStreams, py::arg("stream"));

    py::class_<PyInterceptorHelper>(m,
                                    "DivertInterceptorHelper",
                                    "Installs DivertInterceptor applications.")
        .def(py::init<uint16_t>(), py::arg("port"))
        .def("SetAttribute",
             &PyInterceptorHelper::SetAttribute,
             py::arg("name"),
             py::arg("value"),
             "'Port' or 'ProcessingDelay' (e.g. 'ns3::ConstantRandomVariable[Constant=0.001]').")
        .def("SetVerdictCallback",
             &PyInterceptorHelper::SetVerdictCallback,
             py::arg("fn"),
             "The verdict function given to the interceptors installed from now on.")
        .def("GetVerdictCallback", &PyInterceptorHelper::GetVerdictCallback)
        .def("Install",
             &PyInterceptorHelper::Install,
             py::arg("nodes"),
             "Install on a node, a NodeContainer or a named node.");

    // --- DivertStackHelper ---------------------------------------------------------------
    py::class_<DivertStackHelper, PcapHelperForIpv4, AsciiTraceHelperForIpv4>(
        m,
        "DivertStackHelper",
        "Installs the divert IPv4 stack (instead of InternetStackHelper).")
        .def(py::init<>())
        .def(
            "SetStackAttribute",
            [](DivertStackHelper& h, const std::string& name, py::handle value) {
                h.SetStackAttribute(
                    name,
                    *MakeAttributeValue(DivertIpv4L3Protocol::GetTypeId(), name, value));
            },
            py::arg("name"),
            py::arg("value"),
            "An attribute of the stacks installed from now on, e.g.\n"
            "('PassThrough', True), ('ReinjectionMode', 'Accept');\n"
            "ValueError for an unknown name or a refused value.")
        .def("SetRoutingHelper",
             &DivertStackHelper::SetRoutingHelper,
             py::arg("routing"),
             "The IPv4 routing helper (default: static + global, like ns-3).")
        .def(
            "SetTcp",
            [](DivertStackHelper& h, const std::string& tid) {
                LookupTypeId(tid);
                h.SetTcp(tid);
            },
            py::arg("tid"))
        .def("SetIpv6StackInstall",
             &DivertStackHelper::SetIpv6StackInstall,
             py::arg("enable"),
             "Also install ns-3's plain IPv6 (default True).")
        .def("SetIpv4ArpJitter", &DivertStackHelper::SetIpv4ArpJitter, py::arg("enable"))
        .def(
            "Install",
            [](const DivertStackHelper& h, py::handle what) {
                NodeContainer c = Nodes(what);
                for (uint32_t i = 0; i < c.GetN(); i++)
                {
                    CheckNoStack(c.Get(i));
                }
                h.Install(c);
            },
            py::arg("nodes"),
            "Install on a node, a NodeContainer or a named node.")
        .def("InstallAll",
             [](const DivertStackHelper& h) {
                 NodeContainer c = NodeContainer::GetGlobal();
                 for (uint32_t i = 0; i < c.GetN(); i++)
                 {
                     CheckNoStack(c.Get(i));
                 }
                 h.InstallAll();
             })
        .def("AssignStreams",
             &DivertStackHelper::AssignStreams,
             py::arg("nodes"),
             py::arg("stream"))
        .def_static(
            "GetStack",
            [](Ptr<Node> node) -> py::object {
                Ptr<DivertIpv4L3Protocol> s = DivertStackHelper::GetStack(node);
                return s ? py::cast(s) : py::none();
            },
            py::arg("node"),
            "The divert stack of a node, or None.")
        .def("EnableDivertPcap",
             &DivertStackHelper::EnableDivertPcap,
             py::arg("prefix"),
             py::arg("nodes"),
             "pcap (raw IPv4) of what crosses each divert socket:\n"
             "<prefix>-<node>-<port>.pcap");

    // --- reassembly and fragmentation -----------------------------------------------
    py::enum_<Ipv4Reassembler::OverlapPolicy>(reassembler, "OverlapPolicy")
        .value("FIRST", Ipv4Reassembler::FIRST)
        .value("LAST", Ipv4Reassembler::LAST)
        .value("BSD", Ipv4Reassembler::BSD)
        .value("BSD_RIGHT", Ipv4Reassembler::BSD_RIGHT)
        .value("LINUX", Ipv4Reassembler::LINUX)
        .value("WINDOWS", Ipv4Reassembler::WINDOWS)
        .value("SOLARIS", Ipv4Reassembler::SOLARIS)
        .value("DROP_ON_OVERLAP", Ipv4Reassembler::DROP_ON_OVERLAP)
        .export_values();
    py::enum_<Ipv4Reassembler::Outcome>(reassembler, "Outcome")
        .value("REASSEMBLED", Ipv4Reassembler::REASSEMBLED)
        .value("TIMED_OUT", Ipv4Reassembler::TIMED_OUT)
        .value("EVICTED", Ipv4Reassembler::EVICTED)
        .value("OVERLAP_DROPPED", Ipv4Reassembler::OVERLAP_DROPPED)
        .value("OVERSIZE", Ipv4Reassembler::OVERSIZE)
        .value("TINY_FRAGMENT", Ipv4Reassembler::TINY_FRAGMENT)
        .value("INVALID", Ipv4Reassembler::INVALID)
        .export_values();
    using RCounters = Ipv4Reassembler::Counters;
    py::class_<RCounters>(reassembler, "Counters", "Reassembly event counters.")
        .def_readonly("fragments", &RCounters::fragments)
        .def_readonly("reassembled", &RCounters::reassembled)
        .def_readonly("timedOut", &RCounters::timedOut)
        .def_readonly("evicted", &RCounters::evicted)
        .def_readonly("overlapDropped", &RCounters::overlapDropped)
        .def_readonly("oversize", &RCounters::oversize)
        .def_readonly("tinyDropped", &RCounters::tinyDropped)
        .def_readonly("invalid", &RCounters::invalid)
        .def_readonly("overlaps", &RCounters::overlaps)
        .def_readonly("duplicates", &RCounters::duplicates)
        .def("AsDict", &ReassemblyDict)
        .def("__repr__", [](const RCounters& c) { return ReprOf("Counters", ReassemblyDict(c)); });
    reassembler.def(py::init([]() { return CreateObject<Ipv4Reassembler>(); }))
        .def("GetCounters", &Ipv4Reassembler::GetCounters)
        .def("GetMemoryUsed", &Ipv4Reassembler::GetMemoryUsed)
        .def("GetQueueCount", &Ipv4Reassembler::GetQueueCount)
        .def("Clear", &Ipv4Reassembler::Clear)
        .def("SetOverlapPolicy", &Ipv4Reassembler::SetOverlapPolicy, py::arg("policy"))
        .def("GetOverlapPolicy", &Ipv4Reassembler::GetOverlapPolicy)
        .def(
            "AddFragment",
            [](Ipv4Reassembler& r, py::handle payload, const Ipv4Header& header, uint32_t iif)
                -> py::object {
                Ptr<Packet> datagram;
                Ipv4Header out;
                if (!r.AddFragment(ToPacket(payload), header, iif, datagram, out))
                {
                    return py::none();
                }
                return py::make_tuple(datagram, out);
            },
            py::arg("payload"),
            py::arg("header"),
            py::arg("iif") = 0,
            "Add a fragment; (payload, header) when a datagram completes, else None.")
        .def_static("OutcomeToString", &Ipv4Reassembler::OutcomeToString, py::arg("outcome"))
        .def_static("OverlapPolicyToString",
                    &Ipv4Reassembler::OverlapPolicyToString,
                    py::arg("policy"));

    m.def(
        "Fragment",
        [](py::handle payload, const Ipv4Header& header, uint16_t mtu, bool compact) {
            if (mtu < Ipv4Fragmenter::MIN_MTU)
            {
                throw py::value_error("MTU below 68");
            }
            py::list out;
            const auto copy =
                compact ? Ipv4Fragmenter::OPTIONS_COMPACT : Ipv4Fragmenter::OPTIONS_NOP_FILL;
            for (auto& [p, h] : Ipv4Fragmenter::Fragment(ToPacket(payload), header, mtu, copy))
            {
                out.append(py::make_tuple(p, h));
            }
            return out;
        },
        py::arg("payload"),
        py::arg("header"),
        py::arg("mtu"),
        py::arg("compact") = false,
        "Ipv4Fragmenter: the fragments (payload, header) of a datagram for an MTU.\n"
        "IP options set with SetIpOptions on the payload go into the fragments per\n"
        "RFC 791: NOP-filled the Linux way, or compact=True the BSD way.");

    m.def(
        "SetIpOptions",
        [](const Ptr<Packet>& p, const py::bytes& options) {
            const std::string s = options;
            const std::vector<uint8_t> bytes(s.begin(), s.end());
            std::string error;
            if (!Ipv4OptionsTag::Check(bytes, error))
            {
                throw py::value_error("malformed IP options: " + error);
            }
            Ipv4OptionsTag::SetOptionsOf(p, bytes);
        },
        py::arg("payload"),
        py::arg("options"),
        "Give an IP payload the IP options of its datagram (empty: none); a\n"
        "malformed options field raises ValueError.");

    m.def(
        "GetIpOptions",
        [](const Ptr<Packet>& p) {
            const std::vector<uint8_t> o = Ipv4OptionsTag::OptionsOf(p);
            return py::bytes(reinterpret_cast<const char*>(o.data()), o.size());
        },
        py::arg("payload"),
        "The IP options an IP payload carries inside the divert stack (b'' if none).");

    m.def(
        "PeekDivertMark",
        [](const Ptr<Packet>& p) -> py::object {
            DivertMarkTag tag;
            if (!p->PeekPacketTag(tag))
            {
                return py::none();
            }
            return py::int_(tag.GetMark());
        },
        py::arg("packet"),
        "The firewall mark (ipchains -m) a packet carries, or None.");

    // Objects reach Python as their nearest bound class.
    RegisterObjectType<Ipchains>();
    RegisterObjectType<DivertIpv4L3Protocol>();
    RegisterObjectType<DivertSocketFactory>();
    RegisterObjectType<DivertSocket>();
    RegisterObjectType<DivertInterceptor>();
    RegisterObjectType<Ipv4Reassembler>();
}

} // namespace ns3py

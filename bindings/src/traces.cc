/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Trace sources connected to Python callables.
//
// ns-3 checks a callback's C++ type when it is connected (a wrong type is a
// fatal error), so a Python callable must be wrapped in a callback of the
// trace source's exact signature. The signature is taken from the type name
// the trace source declares (TraceSourceInformation::callback), through the
// table below; a trace source whose signature is not in the table is refused
// with ValueError rather than risking an abort.

#include "ns3divert.h"

#include "ns3/divert-interceptor.h"
#include "ns3/divert-ipv4-l3-protocol.h"
#include "ns3/ipchains.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-reassembler.h"
#include "ns3/nstime.h"

#include <functional>
#include <map>

namespace ns3py
{

using namespace ns3;

namespace
{

/// Makes the callback of one signature, with or without a context argument.
struct Signature
{
    std::function<CallbackBase(py::object)> plain;       //!< Callback<void, A...>
    std::function<CallbackBase(py::object)> withContext; //!< Callback<void, std::string, A...>
};

/// Table entry for the C++ argument types A...
template <typename... A>
Signature
Make()
{
    return Signature{
        [](py::object fn) -> CallbackBase { return MakeVoidCallback<A...>(fn); },
        [](py::object fn) -> CallbackBase { return MakeVoidCallback<std::string, A...>(fn); }};
}

/// Signature type name -> callback factories.
const std::map<std::string, Signature>&
Table()
{
    static const std::map<std::string, Signature> table = {
        // divert module
        {"ns3::DivertIpv4L3Protocol::DivertTracedCallback",
         Make<Ptr<const Packet>, uint16_t, uint32_t>()},
        {"ns3::DivertIpv4L3Protocol::DivertDropTracedCallback",
         Make<const Ipv4Header&,
              Ptr<const Packet>,
              DivertIpv4L3Protocol::DivertDropReason,
              uint32_t>()},
        {"ns3::DivertIpv4L3Protocol::RuleTracedCallback",
         Make<const Ipv4Header&, Ptr<const Packet>, const std::string&, uint32_t>()},
        {"ns3::DivertInterceptor::VerdictTracedCallback",
         Make<Ptr<const Packet>, DivertInterceptor::Action>()},
        {"ns3::Ipchains::LogTracedCallback",
         Make<const std::string&, uint32_t, const FirewallPacket&>()},
        {"ns3::Ipv4Reassembler::OutcomeTracedCallback",
         Make<Ipv4Reassembler::Outcome, const Ipv4Header&, uint32_t>()},
        // network and applications
        {"ns3::Packet::TracedCallback", Make<Ptr<const Packet>>()},
        {"ns3::Packet::AddressTracedCallback", Make<Ptr<const Packet>, const Address&>()},
        {"ns3::Packet::TwoAddressTracedCallback",
         Make<Ptr<const Packet>, const Address&, const Address&>()},
        // internet
        {"ns3::Ipv4L3Protocol::TxRxTracedCallback", Make<Ptr<const Packet>, Ptr<Ipv4>, uint32_t>()},
        {"ns3::Ipv4L3Protocol::SentTracedCallback",
         Make<const Ipv4Header&, Ptr<const Packet>, uint32_t>()},
        {"ns3::Ipv4L3Protocol::DropTracedCallback",
         Make<const Ipv4Header&,
              Ptr<const Packet>,
              Ipv4L3Protocol::DropReason,
              Ptr<Ipv4>,
              uint32_t>()},
        // traced values: (old, new)
        {"ns3::TracedValueCallback::Bool", Make<bool, bool>()},
        {"ns3::TracedValueCallback::Uint8", Make<uint8_t, uint8_t>()},
        {"ns3::TracedValueCallback::Uint16", Make<uint16_t, uint16_t>()},
        {"ns3::TracedValueCallback::Uint32", Make<uint32_t, uint32_t>()},
        {"ns3::TracedValueCallback::Int32", Make<int32_t, int32_t>()},
        {"ns3::TracedValueCallback::Double", Make<double, double>()},
        {"ns3::TracedValueCallback::Time", Make<Time, Time>()},
    };
    return table;
}

} // namespace

std::vector<std::string>
SupportedTraceSignatures()
{
    std::vector<std::string> names;
    for (const auto& entry : Table())
    {
        names.push_back(entry.first);
    }
    return names;
}

bool
TraceConnectPy(Ptr<Object> object,
               const std::string& name,
               py::object fn,
               const std::string& context,
               bool withContext)
{
    if (!PyCallable_Check(fn.ptr()))
    {
        throw py::type_error("the trace sink must be callable");
    }
    TypeId tid = object->GetInstanceTypeId();
    TypeId::TraceSourceInformation info;
    if (!tid.LookupTraceSourceByName(name, &info))
    {
        throw py::value_error("trace source '" + name + "' not found in " + tid.GetName());
    }
    auto it = Table().find(info.callback);
    if (it == Table().end())
    {
        throw py::value_error("trace source '" + name + "' of " + tid.GetName() +
                              " has signature " + info.callback +
                              ", which the Python bindings do not support");
    }
    if (withContext)
    {
        return object->TraceConnect(name, context, it->second.withContext(fn));
    }
    return object->TraceConnectWithoutContext(name, it->second.plain(fn));
}

void
BindTraces(py::module_& m)
{
    m.def("SupportedTraceSignatures",
          &SupportedTraceSignatures,
          "The trace source signatures (ns-3 callback type names) Python can connect to.");
}

} // namespace ns3py

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-ipv4-l3-protocol.h"

#include "divert-mark-tag.h"
#include "divert-ns3-compat.h"
#include "divert-routing-shim.h"
#include "divert-socket.h"
#include "ipv4-fragmenter.h"
#include "ipv4-options-tag.h"
#include "ipv4-reassembler.h"
#include "ipv4-wire-header.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/icmpv4.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/names.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <iostream>
#include <sstream>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertIpv4L3Protocol");

NS_OBJECT_ENSURE_REGISTERED(DivertIpv4L3Protocol);

namespace
{
/**
 * \brief A datagram as bytes leaving the stack show it: its header, options
 *        included, with a valid checksum, then the payload.
 *
 * What a kernel hands to a divert socket always carries a valid IP header
 * checksum. The options tag is not kept: the options are in the bytes.
 *
 * \param payload the IP payload (with its options tag, if any)
 * \param header its IPv4 header
 * \return a new packet
 */
Ptr<Packet>
WireDatagram(Ptr<const Packet> payload, const Ipv4Header& header)
{
    Ptr<Packet> datagram = payload->Copy();
    Ipv4OptionsTag options;
    if (datagram->RemovePacketTag(options))
    {
        datagram->AddHeader(Ipv4WireHeader(header, options.GetOptions()));
        return datagram;
    }
    Ipv4Header h = header;
    h.EnableChecksum();
    datagram->AddHeader(h);
    return datagram;
}
} // namespace

namespace
{
/*
 * The base class fires "SendOutgoing", "UnicastForward" and "Drop" from
 * private members, and its Send/IpForward are replaced by this class (to put
 * the output chain, DF handling and Ipv4Fragmenter on the path). FlowMonitor,
 * ascii tracing and Config paths connect to those sources by name, so this
 * class must fire the base class's own TracedCallbacks: a TypeId cannot
 * redeclare a trace source of its parent. C++ lets an explicit template
 * instantiation name a private member ([temp.spec.general] "usual access
 * checking rules do not apply"); that is the one place where this module
 * reaches into Ipv4L3Protocol. Besides those sources, it reads m_defaultTtl
 * and calls SendRealOut (below); nothing else of the base class is touched.
 */

/// TracedCallback of "SendOutgoing" and "UnicastForward".
using SentTrace = TracedCallback<const Ipv4Header&, Ptr<const Packet>, uint32_t>;
/// TracedCallback of "Drop".
using DropTrace = TracedCallback<const Ipv4Header&,
                                 Ptr<const Packet>,
                                 Ipv4L3Protocol::DropReason,
                                 Ptr<Ipv4>,
                                 uint32_t>;

/**
 * Gives the value of a member pointer through a friend function of a tag.
 * \tparam Tag the tag type
 * \tparam Member the member pointer
 */
template <typename Tag, typename Tag::Type Member>
struct MemberAccess
{
    /**
     * \return the member pointer
     */
    friend typename Tag::Type Get(Tag)
    {
        return Member;
    }
};

/// Tag of Ipv4L3Protocol::m_sendOutgoingTrace.
struct SendOutgoingMember
{
    using Type = SentTrace Ipv4L3Protocol::*; //!< member pointer type
    friend Type Get(SendOutgoingMember);      //!< \return the member pointer
};

/// Tag of Ipv4L3Protocol::m_unicastForwardTrace.
struct UnicastForwardMember
{
    using Type = SentTrace Ipv4L3Protocol::*; //!< member pointer type
    friend Type Get(UnicastForwardMember);    //!< \return the member pointer
};

/// Tag of Ipv4L3Protocol::m_dropTrace.
struct DropMember
{
    using Type = DropTrace Ipv4L3Protocol::*; //!< member pointer type
    friend Type Get(DropMember);              //!< \return the member pointer
};

template struct MemberAccess<SendOutgoingMember, &Ipv4L3Protocol::m_sendOutgoingTrace>;
template struct MemberAccess<UnicastForwardMember, &Ipv4L3Protocol::m_unicastForwardTrace>;
template struct MemberAccess<DropMember, &Ipv4L3Protocol::m_dropTrace>;

/// Tag of Ipv4L3Protocol::m_defaultTtl (read per packet: attribute look-ups are slow).
struct DefaultTtlMember
{
    using Type = uint8_t Ipv4L3Protocol::*; //!< member pointer type
    friend Type Get(DefaultTtlMember);      //!< \return the member pointer
};

template struct MemberAccess<DefaultTtlMember, &Ipv4L3Protocol::m_defaultTtl>;

/*
 * Ipv4L3Protocol::SendWithHeader is "if (Node::ChecksumEnabled())
 * header.EnableChecksum(); SendRealOut(route, packet, header);". Looking up
 * that global value costs more than the rest of the divert stack's own work
 * on a packet (an attribute copy and dynamic_casts), and the stack has already
 * looked it up when it built or received the header, in the same call (as
 * ns-3's own Send and IpForward rely on): such frames go straight to
 * SendRealOut, which fires "Tx" and hands them to the interface. The
 * signature of SendRealOut is the same from ns-3.35 to ns-3.48.
 */

/// Tag of Ipv4L3Protocol::SendRealOut.
struct SendRealOutMember
{
    /// member pointer type
    using Type = void (Ipv4L3Protocol::*)(Ptr<Ipv4Route>, Ptr<Packet>, const Ipv4Header&);
    friend Type Get(SendRealOutMember); //!< \return the member pointer
};

template struct MemberAccess<SendRealOutMember, &Ipv4L3Protocol::SendRealOut>;

/// Tag of Ipv4L3Protocol::LocalDeliver (the same signature from ns-3.35 to
/// ns-3.48): the stack calls it directly rather than through the callback
/// the base class hands to RouteInput, which holds nothing else.
struct LocalDeliverMember
{
    /// member pointer type
    using Type = void (Ipv4L3Protocol::*)(Ptr<const Packet>, const Ipv4Header&, uint32_t);
    friend Type Get(LocalDeliverMember); //!< \return the member pointer
};

template struct MemberAccess<LocalDeliverMember, &Ipv4L3Protocol::LocalDeliver>;

/// First port tried when a divert socket binds port 0 (the IANA ephemeral range).
constexpr uint16_t EPHEMERAL_FIRST = 49152;

/**
 * \param header an IPv4 header
 * \return true if it is a fragment (first or later)
 */
bool
IsFragment(const Ipv4Header& header)
{
    return !header.IsLastFragment() || header.GetFragmentOffset() != 0;
}

/**
 * \param payload an IPv4 payload
 * \return the packet mark (0 when unmarked)
 */
uint32_t
GetMark(Ptr<const Packet> payload)
{
    if (!DivertMarkTag::IsInUse())
    {
        return 0; // no packet carries one: spare the tag-list search
    }
    DivertMarkTag tag;
    return payload->PeekPacketTag(tag) ? tag.GetMark() : 0;
}

/**
 * \param payload an IPv4 payload
 * \param mark the mark to set (0 removes it)
 */
void
SetMark(Ptr<Packet> payload, uint32_t mark)
{
    DivertMarkTag tag;
    payload->RemovePacketTag(tag);
    if (mark != 0)
    {
        payload->AddPacketTag(DivertMarkTag(mark));
    }
}
} // namespace

TypeId
DivertIpv4L3Protocol::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DivertIpv4L3Protocol")
            .SetParent<Ipv4L3Protocol>()
            .SetGroupName("Divert")
            .AddConstructor<DivertIpv4L3Protocol>()
            .AddAttribute("DivertSockets",
                          "Kernel option CONFIG_IP_FIREWALL_DIVERT: divert sockets are "
                          "available. When false, DIVERT rules are refused and divert "
                          "sockets fail with ERROR_OPNOTSUPP.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&DivertIpv4L3Protocol::SetDivertEnabled,
                                              &DivertIpv4L3Protocol::IsDivertEnabled),
                          MakeBooleanChecker())
            .AddAttribute("PassThrough",
                          "Kernel option: a DIVERT rule whose port has no listener lets the "
                          "packet go on with the next rule, instead of dropping it.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&DivertIpv4L3Protocol::m_passThrough),
                          MakeBooleanChecker())
            .AddAttribute("AlwaysDefragment",
                          "Kernel option: fragments are reassembled before the firewall sees "
                          "them, so divert sockets receive whole datagrams, and datagrams "
                          "larger than the MTU sent on a divert socket are fragmented again.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&DivertIpv4L3Protocol::m_alwaysDefragment),
                          MakeBooleanChecker())
            .AddAttribute("ReinjectionMode",
                          "Where a packet sent back on a divert socket re-enters the chain "
                          "that diverted it: after the diverting rule (Resume, FreeBSD), "
                          "accepted by that chain (Accept, OpenBSD) or from the chain's first "
                          "rule (Restart).",
                          EnumValue(REINJECT_RESUME),
                          divert_compat::MakeEnumMemberAccessor<ReinjectionMode>(
                              &DivertIpv4L3Protocol::m_reinjectionMode),
                          MakeEnumChecker(REINJECT_RESUME,
                                          "Resume",
                                          REINJECT_ACCEPT,
                                          "Accept",
                                          REINJECT_RESTART,
                                          "Restart"))
            .AddAttribute("FragmentFiltering",
                          "Which fragments walk the chains: every fragment (Linux 2.2) or "
                          "only first fragments, later ones passing unchecked (Linux 2.0).",
                          EnumValue(FILTER_EVERY_FRAGMENT),
                          divert_compat::MakeEnumMemberAccessor<FragmentFiltering>(
                              &DivertIpv4L3Protocol::m_fragmentFiltering),
                          MakeEnumChecker(FILTER_EVERY_FRAGMENT,
                                          "EveryFragment",
                                          FILTER_FIRST_FRAGMENT_ONLY,
                                          "FirstFragmentOnly"))
            .AddAttribute("FragmentOptions",
                          "How the IP options of a datagram go into its fragments after the "
                          "first (RFC 791: only options with the copied flag are repeated): "
                          "NopFill keeps the header length and overwrites the others with "
                          "No Operation (Linux ip_options_fragment), Compact writes only the "
                          "copied options, padded to 4 bytes (BSD ip_optcopy).",
                          EnumValue(Ipv4Fragmenter::OPTIONS_NOP_FILL),
                          divert_compat::MakeEnumMemberAccessor<Ipv4Fragmenter::OptionsCopy>(
                              &DivertIpv4L3Protocol::m_fragmentOptions),
                          MakeEnumChecker(Ipv4Fragmenter::OPTIONS_NOP_FILL,
                                          "NopFill",
                                          Ipv4Fragmenter::OPTIONS_COMPACT,
                                          "Compact"))
            .AddAttribute("MaxDivertPasses",
                          "Loop guard: a packet diverted more than this many times is "
                          "dropped and counted.",
                          UintegerValue(16),
                          MakeUintegerAccessor(&DivertIpv4L3Protocol::m_maxDivertPasses),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("DiversionTableSize",
                          "How many diversions the stack remembers for reinjection (the "
                          "oldest is forgotten first); a packet sent back after its "
                          "diversion was forgotten is treated as a new injection.",
                          UintegerValue(4096),
                          MakeUintegerAccessor(&DivertIpv4L3Protocol::m_diversionTableSize),
                          MakeUintegerChecker<uint32_t>(1, 65535))
            // Divert sources.
            .AddTraceSource("Diverted",
                            "A datagram was handed to a divert socket.",
                            MakeTraceSourceAccessor(&DivertIpv4L3Protocol::m_divertedTrace),
                            "ns3::DivertIpv4L3Protocol::DivertTracedCallback")
            .AddTraceSource("Reinjected",
                            "A diverted datagram was sent back on a divert socket.",
                            MakeTraceSourceAccessor(&DivertIpv4L3Protocol::m_reinjectedTrace),
                            "ns3::DivertIpv4L3Protocol::DivertTracedCallback")
            .AddTraceSource("Injected",
                            "A datagram with no diversion history was sent on a divert socket.",
                            MakeTraceSourceAccessor(&DivertIpv4L3Protocol::m_injectedTrace),
                            "ns3::DivertIpv4L3Protocol::DivertTracedCallback")
            .AddTraceSource("DivertDrop",
                            "The divert stack dropped a packet (rule, no listener, queue full, "
                            "too big, loop, bad header).",
                            MakeTraceSourceAccessor(&DivertIpv4L3Protocol::m_divertDropTrace),
                            "ns3::DivertIpv4L3Protocol::DivertDropTracedCallback")
            .AddTraceSource("Rejected",
                            "A REJECT rule or policy refused a packet.",
                            MakeTraceSourceAccessor(&DivertIpv4L3Protocol::m_rejectedTrace),
                            "ns3::DivertIpv4L3Protocol::RuleTracedCallback")
            .AddTraceSource("Logged",
                            "A rule with -l matched a packet.",
                            MakeTraceSourceAccessor(&DivertIpv4L3Protocol::m_loggedTrace),
                            "ns3::DivertIpv4L3Protocol::RuleTracedCallback");
    return tid;
}

const DivertIpv4L3Protocol::History DivertIpv4L3Protocol::s_noHistory;

DivertIpv4L3Protocol::DivertIpv4L3Protocol()
    : m_inboundHistory(nullptr),
      m_routedPacket(nullptr),
      m_alwaysDefragment(false),
      m_localAddressesValid(false),
      m_fragmentFiltering(FILTER_EVERY_FRAGMENT),
      m_divertEnabled(true),
      m_passThrough(false),
      m_reinjectionMode(REINJECT_RESUME),
      m_fragmentOptions(Ipv4Fragmenter::OPTIONS_NOP_FILL),
      m_maxDivertPasses(16),
      m_diversionTableSize(4096),
      m_nextHandle(1)
{
    NS_LOG_FUNCTION(this);
    // The firewall, the reassembler and the local delivery callback are made
    // on first use: a node that never uses them does not pay for them (issue
    // 11). The defaults they would have been made with now are kept.
    m_lazyDefaults = LazyDefaults::Now({Ipchains::GetTypeId(), Ipv4Reassembler::GetTypeId()});
    m_disposed = false;
}

DivertIpv4L3Protocol::~DivertIpv4L3Protocol()
{
    NS_LOG_FUNCTION(this);
}

void
DivertIpv4L3Protocol::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& socket : m_divertSockets)
    {
        socket->Dispose();
    }
    m_divertSockets.clear();
    m_divertPorts.clear();
    m_diversions.clear();
    m_diversionOrder.clear();
    if (m_reassembler)
    {
        m_reassembler->Clear();
        m_reassembler->Dispose();
        m_reassembler = nullptr;
    }
    if (m_firewall)
    {
        m_firewall->Dispose();
        m_firewall = nullptr;
    }
    m_shim = nullptr;
    m_routing = nullptr;
    m_lazyDefaults = nullptr;
    m_disposed = true;
    m_localDeliverHook.Nullify();
    m_forwardCallbacks.clear();
    m_deviceInterfaces.clear();
    m_localAddresses.clear();
    m_baseMulticastForward.Nullify();
    m_baseRouteInputError.Nullify();
    Ipv4L3Protocol::DoDispose();
}

Ptr<Ipchains>
DivertIpv4L3Protocol::GetFirewall() const
{
    return m_disposed ? m_firewall : Ptr<Ipchains>(Firewall());
}

Ptr<Ipv4Reassembler>
DivertIpv4L3Protocol::GetReassembler() const
{
    return m_disposed ? m_reassembler : Ptr<Ipv4Reassembler>(Reassembler());
}

Ipchains*
DivertIpv4L3Protocol::MakeFirewall() const
{
    NS_LOG_FUNCTION(this);
    m_firewall = m_lazyDefaults->Create<Ipchains>();
    // Masquerading and redirection are not modelled: refuse such rules.
    m_firewall->SetAttribute("NatAllowed", BooleanValue(false));
    m_firewall->SetDivertAllowed(m_divertEnabled);
    return PeekPointer(m_firewall);
}

Ipv4Reassembler*
DivertIpv4L3Protocol::Reassembler() const
{
    if (!m_reassembler)
    {
        NS_LOG_FUNCTION(this);
        m_reassembler = m_lazyDefaults->Create<Ipv4Reassembler>();
        auto self = const_cast<DivertIpv4L3Protocol*>(this);
        m_reassembler->SetTimeExceededCallback(
            MakeCallback(&DivertIpv4L3Protocol::ReassemblyTimeExceeded, self));
    }
    return PeekPointer(m_reassembler);
}

const Ipv4RoutingProtocol::LocalDeliverCallback&
DivertIpv4L3Protocol::LocalDeliverCallback()
{
    if (m_localDeliverHook.IsNull())
    {
        m_localDeliverHook = MakeCallback(&DivertIpv4L3Protocol::LocalDeliverHook, this);
    }
    return m_localDeliverHook;
}

DivertIpv4L3Protocol::DivertStats
DivertIpv4L3Protocol::GetDivertStats() const
{
    return *m_stats;
}

bool
DivertIpv4L3Protocol::IsDivertEnabled() const
{
    return m_divertEnabled;
}

void
DivertIpv4L3Protocol::SetDivertEnabled(bool enabled)
{
    NS_LOG_FUNCTION(this << enabled);
    m_divertEnabled = enabled;
    if (m_firewall)
    {
        m_firewall->SetDivertAllowed(enabled);
    }
}

std::string
DivertIpv4L3Protocol::GetInterfaceName(uint32_t interface) const
{
    if (interface >= GetNInterfaces())
    {
        return "";
    }
    Ptr<NetDevice> device = GetInterface(interface)->GetDevice();
    std::string name = Names::FindName(device);
    if (!name.empty())
    {
        return name;
    }
    if (DynamicCast<LoopbackNetDevice>(device))
    {
        return "lo";
    }
    // Interface 0 is the loopback (Ipv4L3Protocol::SetupLoopback): eth0 is interface 1.
    return "eth" + std::to_string(interface - 1);
}

const std::string&
DivertIpv4L3Protocol::RuleInterfaceName(uint32_t interface) const
{
    // Names::FindName is a map look-up of its own: read each name once.
    if (interface >= m_interfaceNames.size())
    {
        m_interfaceNames.resize(interface + 1);
        m_interfaceNamesRead.resize(interface + 1, false);
    }
    if (!m_interfaceNamesRead[interface])
    {
        m_interfaceNames[interface] = GetInterfaceName(interface);
        m_interfaceNamesRead[interface] = interface < GetNInterfaces();
    }
    return m_interfaceNames[interface];
}

void
DivertIpv4L3Protocol::RefreshInterfaceNames()
{
    NS_LOG_FUNCTION(this);
    m_interfaceNames.clear();
    m_interfaceNamesRead.clear();
}

bool
DivertIpv4L3Protocol::LookupDiversion(uint16_t handle, DiversionInfo& info) const
{
    auto it = m_diversions.find(handle);
    if (it == m_diversions.end())
    {
        return false;
    }
    info = it->second;
    return true;
}

bool
DivertIpv4L3Protocol::History::operator!=(const History& o) const
{
    auto samePosition = [](const std::vector<Ipchains::Frame>& a,
                           const std::vector<Ipchains::Frame>& b) {
        return std::equal(a.begin(),
                          a.end(),
                          b.begin(),
                          b.end(),
                          [](const Ipchains::Frame& x, const Ipchains::Frame& y) {
                              return x.chain == y.chain && x.rule == y.rule;
                          });
    };
    return valid != o.valid || info.hook != o.info.hook || info.passes != o.info.passes ||
           info.mark != o.info.mark || info.interface != o.info.interface ||
           info.inInterface != o.info.inInterface || info.port != o.info.port ||
           !samePosition(info.position, o.info.position);
}

void
DivertIpv4L3Protocol::FireSendOutgoing(const Ipv4Header& header,
                                       Ptr<const Packet> packet,
                                       uint32_t interface)
{
    (this->*Get(SendOutgoingMember()))(header, packet, interface);
}

void
DivertIpv4L3Protocol::FireUnicastForward(const Ipv4Header& header,
                                         Ptr<const Packet> packet,
                                         uint32_t interface)
{
    (this->*Get(UnicastForwardMember()))(header, packet, interface);
}

void
DivertIpv4L3Protocol::FireDrop(const Ipv4Header& header,
                               Ptr<const Packet> packet,
                               DropReason reason,
                               uint32_t interface)
{
    (this->*Get(DropMember()))(header, packet, reason, this, interface);
}

// --- Routing protocol wrapping ---------------------------------------------

void
DivertIpv4L3Protocol::SetRoutingProtocol(Ptr<Ipv4RoutingProtocol> routingProtocol)
{
    NS_LOG_FUNCTION(this << routingProtocol);
    m_routing = routingProtocol;
    m_shim = CreateObject<DivertRoutingShim>();
    m_shim->Setup(this, routingProtocol);
    Ipv4L3Protocol::SetRoutingProtocol(m_shim);
}

Ptr<Ipv4RoutingProtocol>
DivertIpv4L3Protocol::GetRoutingProtocol() const
{
    return m_routing;
}

// --- Firewall --------------------------------------------------------------

bool
DivertIpv4L3Protocol::IsFiltered(const Ipv4Header& header) const
{
    // Linux 2.0 looked at first fragments only (Divert Sockets mini-HOWTO, section 5).
    return m_fragmentFiltering == FILTER_EVERY_FRAGMENT || header.GetFragmentOffset() == 0;
}

bool
DivertIpv4L3Protocol::PassesUnwalked(Ipchains::Hook hook,
                                     const Ipv4Header& header,
                                     Ptr<const Packet> payload,
                                     const History& history)
{
    if (!IsFiltered(header))
    {
        return true;
    }
    const bool resuming = history.valid && hook == history.info.hook;
    // An empty chain with an ACCEPT policy: nothing to describe or walk (the
    // policy counters still count the packet). The first packet here makes
    // the firewall; RunChain walks it only after this, or for a packet with a
    // diversion history, which a firewall rule gave.
    return !resuming && !(history.valid && hook < history.info.hook) &&
           Firewall()->AcceptIfEmpty(hook,
                                     Ipv4OptionsTag::HeaderLengthOf(payload) + payload->GetSize());
}

DivertIpv4L3Protocol::ChainResult
DivertIpv4L3Protocol::RunChain(Ipchains::Hook hook,
                               Ptr<Packet> payload,
                               Ipv4Header& header,
                               uint32_t interface,
                               uint32_t inInterface,
                               const History& history)
{
    if (PassesUnwalked(hook, header, payload, history))
    {
        return CHAIN_PASS;
    }
    Ipchains::EvaluateOptions options;
    if (history.valid)
    {
        // The packet already passed the chains before the one that diverted it.
        if (hook < history.info.hook)
        {
            return CHAIN_PASS;
        }
        if (hook == history.info.hook)
        {
            switch (m_reinjectionMode)
            {
            case REINJECT_ACCEPT:
                return CHAIN_PASS;
            case REINJECT_RESUME:
                options.resumeAfter = &history.info.position;
                break;
            case REINJECT_RESTART:
                break;
            }
        }
    }
    options.passThrough = m_passThrough;
    options.divertListener = [this](uint16_t port) {
        bool listening = m_divertPorts.find(port) != m_divertPorts.end();
        if (!listening && m_passThrough)
        {
            m_stats->passedThrough++;
        }
        return listening;
    };

    uint32_t mark = GetMark(payload);
    FirewallPacket fp =
        FirewallPacket::Describe(header, payload, RuleInterfaceName(interface), mark);
    const uint8_t tos = fp.tos;
    Ipchains::Verdict verdict = m_firewall->Evaluate(hook, fp, options);

    for (const auto& frame : verdict.logged)
    {
        m_loggedTrace(header, payload, frame.chain, frame.rule);
    }
    if (verdict.mark != mark)
    {
        SetMark(payload, verdict.mark);
    }
    if (fp.tos != tos)
    {
        // ipchains -t: the kernel rewrites the TOS byte (ip_fw.c, tosand/tosxor).
        header.SetTos(fp.tos);
    }

    if (verdict.action == Ipchains::Verdict::ACCEPT)
    {
        return CHAIN_PASS;
    }
    const std::string chain =
        verdict.position.empty() ? Ipchains::GetHookChainName(hook) : verdict.position.back().chain;
    const uint32_t rule = verdict.position.empty() ? 0 : verdict.position.back().rule;
    switch (verdict.action)
    {
    case Ipchains::Verdict::ACCEPT:
        return CHAIN_PASS;
    case Ipchains::Verdict::MASQ:
    case Ipchains::Verdict::REDIRECT:
        // Refused at rule insertion (Ipchains "NatAllowed" is false on this stack).
        NS_ASSERT_MSG(false, "MASQ/REDIRECT verdict on a divert stack");
        return CHAIN_PASS;
    case Ipchains::Verdict::DENY:
        NS_LOG_LOGIC("denied by " << chain << " rule " << rule);
        DivertDrop(header,
                   payload,
                   verdict.loop ? DIVERT_DROP_FIREWALL_LOOP : DIVERT_DROP_RULE,
                   interface);
        return CHAIN_STOLEN;
    case Ipchains::Verdict::REJECT:
        NS_LOG_LOGIC("rejected by " << chain << " rule " << rule);
        m_stats->rejected++;
        m_rejectedTrace(header, payload, chain, rule);
        DivertDrop(header, payload, DIVERT_DROP_RULE, interface);
        SendReject(hook, payload, header);
        return CHAIN_STOLEN;
    case Ipchains::Verdict::DIVERT:
        Divert(hook, verdict, payload, header, interface, inInterface, history);
        return CHAIN_STOLEN;
    }
    return CHAIN_PASS;
}

void
DivertIpv4L3Protocol::Divert(Ipchains::Hook hook,
                             const Ipchains::Verdict& verdict,
                             Ptr<Packet> payload,
                             const Ipv4Header& header,
                             uint32_t interface,
                             uint32_t inInterface,
                             const History& history)
{
    NS_LOG_FUNCTION(this << hook << verdict.port << header);
    uint32_t passes = history.info.passes + 1;
    if (passes > m_maxDivertPasses)
    {
        NS_LOG_LOGIC("loop guard: diverted " << history.info.passes << " times already");
        DivertDrop(header, payload, DIVERT_DROP_LOOP, interface);
        return;
    }
    auto socket = m_divertPorts.find(verdict.port);
    if (socket == m_divertPorts.end())
    {
        // Divert Sockets mini-HOWTO section 5: no listener, dropped as by DENY.
        DivertDrop(header, payload, DIVERT_DROP_NO_LISTENER, interface);
        return;
    }

    Ptr<Packet> datagram = WireDatagram(payload, header);

    DiversionInfo info;
    info.hook = hook;
    info.position = verdict.position;
    info.passes = passes;
    info.mark = verdict.mark;
    info.interface = interface;
    info.inInterface = inInterface;
    info.port = verdict.port;
    uint16_t handle = m_nextHandle;
    m_nextHandle = (m_nextHandle == 0xffff) ? 1 : m_nextHandle + 1;
    if (m_diversions.erase(handle) > 0)
    {
        m_diversionOrder.erase(std::find(m_diversionOrder.begin(), m_diversionOrder.end(), handle));
    }
    while (m_diversionOrder.size() >= m_diversionTableSize)
    {
        m_diversions.erase(m_diversionOrder.front());
        m_diversionOrder.pop_front();
    }
    m_diversions[handle] = info;
    m_diversionOrder.push_back(handle);

    // SPEC §3: the arrival interface's address for input and forward, 0.0.0.0 for output.
    Ipv4Address address = Ipv4Address::GetAny();
    if (hook != Ipchains::OUTPUT && GetNAddresses(inInterface) > 0)
    {
        address = GetAddress(inInterface, 0).GetLocal();
    }
    if (!socket->second->Deliver(datagram, InetSocketAddress(address, handle)))
    {
        DivertDrop(header, payload, DIVERT_DROP_QUEUE_FULL, interface);
        return;
    }
    m_stats->delivered++;
    m_divertedTrace(datagram, verdict.port, interface);
}

bool
DivertIpv4L3Protocol::MayReplyWithIcmpError(const Ipv4Header& header,
                                            Ptr<const Packet> payload) const
{
    // RFC 1122 3.2.2: never about an ICMP error, a broadcast or multicast
    // datagram, a non-initial fragment, or a datagram whose source does not
    // name a single host.
    if (header.GetFragmentOffset() != 0)
    {
        return false;
    }
    Ipv4Address dst = header.GetDestination();
    Ipv4Address src = header.GetSource();
    if (dst.IsBroadcast() || dst.IsMulticast() || !IsUnicast(dst))
    {
        return false;
    }
    if (src.IsAny() || src.IsBroadcast() || src.IsMulticast())
    {
        return false;
    }
    if (header.GetProtocol() == Icmpv4L4Protocol::PROT_NUMBER)
    {
        uint8_t type = 0;
        if (payload->CopyData(&type, 1) == 1)
        {
            switch (type)
            {
            case Icmpv4Header::ICMPV4_DEST_UNREACH:
            case Icmpv4Header::ICMPV4_TIME_EXCEEDED:
            case 4:  // source quench
            case 5:  // redirect
            case 12: // parameter problem
                return false;
            default:
                break;
            }
        }
    }
    return true;
}

void
DivertIpv4L3Protocol::SendReject(Ipchains::Hook hook,
                                 Ptr<const Packet> payload,
                                 const Ipv4Header& header)
{
    if (!MayReplyWithIcmpError(header, payload))
    {
        return;
    }
    if (hook == Ipchains::FORWARD)
    {
        SendHostUnreachable(header, payload);
        return;
    }
    Ptr<Icmpv4L4Protocol> icmp = GetObject<Icmpv4L4Protocol>();
    if (icmp)
    {
        icmp->SendDestUnreachPort(header, payload);
    }
}

void
DivertIpv4L3Protocol::SendHostUnreachable(const Ipv4Header& header, Ptr<const Packet> payload)
{
    // Icmpv4L4Protocol::SendDestUnreach is private: build the message here.
    Ptr<Packet> p = Create<Packet>();
    Icmpv4DestinationUnreachable unreach;
    unreach.SetNextHopMtu(0);
    unreach.SetHeader(header);
    unreach.SetData(payload);
    p->AddHeader(unreach);
    Icmpv4Header icmp;
    icmp.SetType(Icmpv4Header::ICMPV4_DEST_UNREACH);
    icmp.SetCode(Icmpv4DestinationUnreachable::ICMPV4_HOST_UNREACHABLE);
    if (Node::ChecksumEnabled())
    {
        icmp.EnableChecksum();
    }
    p->AddHeader(icmp);

    Ipv4Header probe;
    probe.SetDestination(header.GetSource());
    probe.SetProtocol(Icmpv4L4Protocol::PROT_NUMBER);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = m_routing->RouteOutput(p, probe, nullptr, err);
    if (!route)
    {
        NS_LOG_LOGIC("no route back to " << header.GetSource() << " for ICMP host unreachable");
        return;
    }
    Send(p, route->GetSource(), header.GetSource(), Icmpv4L4Protocol::PROT_NUMBER, route);
}

void
DivertIpv4L3Protocol::ReassemblyTimeExceeded(const Ipv4Header& header,
                                             Ptr<const Packet> payload,
                                             uint32_t iif)
{
    NS_LOG_FUNCTION(this << header << iif);
    FireDrop(header, payload, DROP_FRAGMENT_TIMEOUT, iif);
    // RFC 792 / RFC 1122 3.3.2: time exceeded (code 1) only when fragment zero arrived.
    if (MayReplyWithIcmpError(header, payload))
    {
        Ptr<Icmpv4L4Protocol> icmp = GetObject<Icmpv4L4Protocol>();
        if (icmp)
        {
            icmp->SendTimeExceededTtl(header, payload, true);
        }
    }
}

void
DivertIpv4L3Protocol::DivertDrop(const Ipv4Header& header,
                                 Ptr<const Packet> payload,
                                 DivertDropReason reason,
                                 uint32_t interface)
{
    NS_LOG_LOGIC("divert drop (" << reason << ") " << header);
    // Each reason has its own counter; refused sends are also counted in
    // errors (divs_errors) by RefuseSend.
    switch (reason)
    {
    case DIVERT_DROP_RULE:
    case DIVERT_DROP_FIREWALL_LOOP:
        m_stats->ruleDrops++;
        break;
    case DIVERT_DROP_NO_LISTENER:
        m_stats->noPort++;
        break;
    case DIVERT_DROP_QUEUE_FULL:
        m_stats->queueFull++;
        break;
    case DIVERT_DROP_TOO_BIG:
        m_stats->tooBig++;
        break;
    case DIVERT_DROP_LOOP:
        m_stats->loopDrops++;
        break;
    case DIVERT_DROP_BAD_HEADER:
        m_stats->badHeader++;
        break;
    case DIVERT_DROP_NO_ROUTE:
        m_stats->noRoute++;
        break;
    case DIVERT_DROP_BAD_ADDRESS:
        m_stats->badAddress++;
        break;
    case DIVERT_DROP_BAD_TRANSPORT:
        m_stats->badTransport++;
        break;
    case DIVERT_DROP_SOCKET_CLOSED:
        m_stats->socketClosed++;
        break;
    case DIVERT_DROP_DISPOSED:
        m_stats->disposed++;
        break;
    case DIVERT_DROP_VERDICT:
        m_stats->verdictDrops++;
        break;
    case DIVERT_DROP_BAD_VERDICT:
        m_stats->badVerdicts++;
        break;
    case DIVERT_DROP_APP_STOPPED:
        m_stats->appStopped++;
        break;
    case DIVERT_DROP_INTERFACE_DOWN:
        m_stats->interfaceDown++;
        break;
    }
    m_divertDropTrace(header, payload, reason, interface);
}

bool
DivertIpv4L3Protocol::CheckTransport(const Ipv4Header& header,
                                     Ptr<const Packet> payload,
                                     std::string& error)
{
    // Only a datagram's first bytes hold its transport header; later
    // fragments are never parsed by ns-3 (Ipv4QueueDiscItem::Hash looks at
    // offset 0 only, transport protocols at whole datagrams only).
    if (header.GetFragmentOffset() != 0)
    {
        return true;
    }
    const bool whole = header.IsLastFragment();
    const uint32_t size = payload->GetSize();
    uint8_t bytes[60] = {0};
    const uint32_t held = std::min<uint32_t>(size, sizeof(bytes));
    payload->CopyData(bytes, held);
    std::ostringstream why;
    switch (header.GetProtocol())
    {
    case 6: {
        // TCP. ns-3.37's TcpHeader::Deserialize (TcpL4Protocol::Receive, and
        // Ipv4QueueDiscItem::Hash, which FqCoDel calls on every whole datagram
        // and first fragment) reads the options up to the data offset:
        // - an option of a kind it does not know with length 0 is "read" as
        //   0 bytes that match its size 0, so the loop never advances and
        //   appends options until memory runs out;
        // - TcpOptionMSS::Deserialize aborts (NS_ABORT_IF) unless the length is 4;
        // - an option running past the header makes it read past it.
        // A first fragment is checked on the bytes it holds (RFC 1858 tiny
        // fragments stay possible).
        if (whole && size < 20)
        {
            why << "TCP segment of " << size << " bytes is shorter than its 20-byte header";
            break;
        }
        if (held < 20)
        {
            return true;
        }
        const uint32_t dataOffset = (bytes[12] >> 4) * 4;
        if (dataOffset < 20)
        {
            why << "TCP data offset " << dataOffset << " is below 20 bytes";
            break;
        }
        if (whole && dataOffset > size)
        {
            why << "TCP data offset " << dataOffset << " passes the " << size << "-byte segment";
            break;
        }
        const uint32_t end = std::min(dataOffset, held);
        for (uint32_t i = 20; i < end && why.tellp() == 0;)
        {
            const uint8_t kind = bytes[i];
            if (kind == 0) // End of Option List (RFC 9293 3.2)
            {
                break;
            }
            if (kind == 1) // No-Operation
            {
                i++;
                continue;
            }
            if (i + 1 >= end)
            {
                if (end == dataOffset)
                {
                    why << "TCP option kind " << +kind << " at byte " << i
                        << " has no length byte before the end of the header";
                }
                break;
            }
            const uint8_t length = bytes[i + 1];
            if (length < 2)
            {
                why << "TCP option kind " << +kind << " has length " << +length
                    << " (at least 2; ns-3.37 loops forever on length 0)";
            }
            else if (kind == 2 && length != 4)
            {
                why << "TCP MSS option has length " << +length << " (4; ns-3.37 aborts)";
            }
            else if (i + length > dataOffset)
            {
                why << "TCP option kind " << +kind << " of length " << +length << " at byte " << i
                    << " runs past the " << dataOffset << "-byte header";
            }
            i += length;
        }
        break;
    }
    case 1: {
        // ICMP, whole datagrams only (Icmpv4L4Protocol sees nothing else).
        if (!whole)
        {
            return true;
        }
        const uint8_t type = size > 0 ? bytes[0] : 0;
        if (size < 4)
        {
            why << "ICMP message of " << size << " bytes is shorter than its 4-byte header";
        }
        else if ((type == Icmpv4Header::ICMPV4_ECHO || type == Icmpv4Header::ICMPV4_ECHO_REPLY) &&
                 size < 8)
        {
            // Icmpv4Echo::Deserialize allocates (remaining - 4) bytes: about 4 GiB.
            why << "ICMP echo of " << size << " bytes is shorter than its 8-byte header";
        }
        else if (type == Icmpv4Header::ICMPV4_DEST_UNREACH ||
                 type == Icmpv4Header::ICMPV4_TIME_EXCEEDED)
        {
            // Icmpv4DestinationUnreachable and Icmpv4TimeExceeded read 4
            // bytes, the quoted IPv4 header and 8 bytes of its data.
            const uint32_t quoted = size > 8 ? std::max<uint32_t>((bytes[8] & 0x0f) * 4, 20) : 20;
            if (size < 8 + quoted + 8)
            {
                why << "ICMP " << (type == 3 ? "destination unreachable" : "time exceeded")
                    << " of " << size << " bytes is shorter than the " << 8 + quoted + 8
                    << " bytes of its header, quoted IPv4 header and 8 data bytes";
            }
        }
        break;
    }
    case 17:
        // UdpHeader::Deserialize reads 8 bytes (UdpL4Protocol, Ipv4QueueDiscItem::Hash).
        if (whole && size < 8)
        {
            why << "UDP datagram of " << size << " bytes is shorter than its 8-byte header";
        }
        break;
    default:
        break;
    }
    error = why.str();
    return error.empty();
}

bool
DivertIpv4L3Protocol::CheckReassembled(const Ipv4Header& header,
                                       const Ptr<Packet>& datagram,
                                       uint32_t iif)
{
    // Fragments that each pass CheckTransport can still reassemble into a
    // datagram that does not (an overlap rewriting TCP options, an ICMP
    // message cut short): ns-3's transport protocols see it only after this.
    std::string error;
    if (CheckTransport(header, datagram, error))
    {
        return true;
    }
    NS_LOG_WARN("reassembled datagram dropped: " << error);
    DivertDrop(header, datagram, DIVERT_DROP_BAD_TRANSPORT, iif);
    return false;
}

void
DivertIpv4L3Protocol::DropDatagram(Ptr<const Packet> datagram,
                                   DivertDropReason reason,
                                   uint32_t interface)
{
    NS_LOG_FUNCTION(this << datagram << reason << interface);
    // The trace gives a header and a payload: read the header back, or give
    // an empty header and the bytes as they are if they are not IPv4.
    Ptr<Packet> payload = datagram->Copy();
    Ipv4Header header;
    uint8_t first = 0;
    payload->CopyData(&first, 1);
    if (payload->GetSize() >= 20 && (first >> 4) == 4 && (first & 0x0f) >= 5 &&
        static_cast<uint32_t>(first & 0x0f) * 4 <= payload->GetSize())
    {
        Ipv4WireHeader wire;
        payload->RemoveHeader(wire);
        header = wire.GetHeader();
        Ipv4OptionsTag::SetOptionsOf(payload, wire.GetOptions());
    }
    DivertDrop(header, payload, reason, interface);
}

// --- Input ------------------------------------------------------------------

bool
DivertIpv4L3Protocol::RouteInputHook(Ptr<const Packet> p,
                                     const Ipv4Header& header,
                                     Ptr<const NetDevice> idev,
                                     const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                                     const Ipv4RoutingProtocol::MulticastForwardCallback& mcb,
                                     const Ipv4RoutingProtocol::LocalDeliverCallback& lcb,
                                     const Ipv4RoutingProtocol::ErrorCallback& ecb)
{
    NS_LOG_FUNCTION(this << p << header << idev);
    // The base class always passes the same callbacks (bound to its private
    // IpMulticastForward and RouteInputError): keep them, the stack hands
    // packets back to them later. Unicast forwarding is this class's own
    // (ForwardHook); local delivery calls LocalDeliver directly.
    if (m_baseMulticastForward.IsNull())
    {
        m_baseMulticastForward = mcb;
        m_baseRouteInputError = ecb;
    }
    // ns-3 headers have no options: Receive read them (and their bytes are
    // gone from the packet) or there were none. A packet can carry an
    // options tag only once some packet did.
    if (header.GetSerializedSize() != 20 || Ipv4OptionsTag::AnyCarried())
    {
        return RouteInputOptions(p, header, idev);
    }
    return InputStage(p, header, idev);
}

bool
DivertIpv4L3Protocol::RouteInputOptions(const Ptr<const Packet>& p,
                                        const Ipv4Header& header,
                                        const Ptr<const NetDevice>& idev)
{
    if (header.GetSerializedSize() != 20)
    {
        // The options tag the sender's divert stack put on the payload holds
        // them. Keep a 20-byte header from here on (Normalize does not copy
        // the checksum flag Receive set).
        Ipv4Header withoutOptions = Ipv4WireHeader::Normalize(header);
        if (Node::ChecksumEnabled())
        {
            withoutOptions.EnableChecksum();
        }
        return InputStage(p, withoutOptions, idev);
    }
    if (Ipv4OptionsTag::HeaderLengthOf(p) != 20 && !DynamicCast<const LoopbackNetDevice>(idev))
    {
        // The header came without options (a plain ns-3 node sent or
        // forwarded the packet): the tag is stale.
        Ptr<Packet> copy = p->Copy();
        Ipv4OptionsTag::SetOptionsOf(copy, {});
        return InputStage(copy, header, idev);
    }
    return InputStage(p, header, idev);
}

bool
DivertIpv4L3Protocol::InputStage(const Ptr<const Packet>& p,
                                 const Ipv4Header& header,
                                 const Ptr<const NetDevice>& idev)
{
    // A datagram that DivertSend hands to Receive brings its diversion
    // history (this first RouteInput after it takes it); others have none.
    const History* inbound = m_inboundHistory;
    m_inboundHistory = nullptr;
    const History& history = inbound ? *inbound : s_noHistory;
    int32_t iif = InterfaceOf(idev);
    NS_ASSERT(iif >= 0);
    if (m_alwaysDefragment && IsFragment(header))
    {
        return DefragmentAndInput(p, header, idev, iif, history);
    }
    return InputChainAndRoute(p, header, idev, iif, history, true);
}

bool
DivertIpv4L3Protocol::DefragmentAndInput(const Ptr<const Packet>& fragment,
                                         const Ipv4Header& header,
                                         const Ptr<const NetDevice>& idev,
                                         uint32_t iif,
                                         const History& history)
{
    // Kernel option "always defragment": reassemble before the firewall.
    Ptr<Packet> whole;
    Ipv4Header wholeHeader;
    if (!Reassembler()->AddFragment(fragment, header, iif, whole, wholeHeader))
    {
        return true;
    }
    if (!CheckReassembled(wholeHeader, whole, iif))
    {
        return true;
    }
    // Its header is that of a fragment received earlier.
    return InputChainAndRoute(whole, wholeHeader, idev, iif, history, false);
}

bool
DivertIpv4L3Protocol::InputChainAndRoute(const Ptr<const Packet>& packet,
                                         const Ipv4Header& header,
                                         const Ptr<const NetDevice>& idev,
                                         uint32_t iif,
                                         const History& history,
                                         bool checksumSet)
{
    if (PassesUnwalked(Ipchains::INPUT, header, packet, history))
    {
        return Route(packet, header, idev, iif, history, checksumSet);
    }
    // The walk may set a mark tag and rewrite the TOS: work on copies of the
    // base class's packet and header.
    Ptr<Packet> copy = packet->Copy();
    Ipv4Header h = header;
    if (RunChain(Ipchains::INPUT, copy, h, iif, iif, history) == CHAIN_STOLEN)
    {
        return true;
    }
    return Route(copy, h, idev, iif, history, checksumSet);
}

bool
DivertIpv4L3Protocol::Route(const Ptr<const Packet>& packet,
                            const Ipv4Header& header,
                            const Ptr<const NetDevice>& idev,
                            uint32_t iif,
                            const History& history,
                            bool checksumSet)
{
    // Which packet this call routes, for ForwardHook; calls nest when a
    // packet is received while another is being routed.
    const Packet* outer = m_routedPacket;
    m_routedPacket = checksumSet ? PeekPointer(packet) : nullptr;
    bool routed = m_routing->RouteInput(packet,
                                        header,
                                        idev,
                                        ForwardCallback(history, iif),
                                        m_baseMulticastForward,
                                        LocalDeliverCallback(),
                                        m_baseRouteInputError);
    m_routedPacket = outer;
    return routed;
}

Ipv4RoutingProtocol::UnicastForwardCallback
DivertIpv4L3Protocol::ForwardCallback(const History& history, uint32_t iif)
{
    if (history.valid || history.info.passes != 0)
    {
        return MakeCallback(&DivertIpv4L3Protocol::ForwardReinjected, this).Bind(history).Bind(iif);
    }
    // The common case, a packet with no diversion history: one callback per
    // interface, built once, instead of a bound callback per packet, and with
    // no history to copy on each call.
    if (m_forwardCallbacks.size() <= iif)
    {
        m_forwardCallbacks.resize(iif + 1);
    }
    if (m_forwardCallbacks[iif].IsNull())
    {
        m_forwardCallbacks[iif] =
            MakeCallback(&DivertIpv4L3Protocol::ForwardArrived, this).Bind(iif);
    }
    return m_forwardCallbacks[iif];
}

void
DivertIpv4L3Protocol::LocalDeliverHook(Ptr<const Packet> p, const Ipv4Header& header, uint32_t iif)
{
    NS_LOG_FUNCTION(this << p << header << iif);
    if (!IsFragment(header))
    {
        (this->*Get(LocalDeliverMember()))(p, header, iif);
        return;
    }
    // The base class's reassembly is bypassed: only whole datagrams reach it.
    Ptr<Packet> whole;
    Ipv4Header wholeHeader;
    if (Reassembler()->AddFragment(p, header, iif, whole, wholeHeader) &&
        CheckReassembled(wholeHeader, whole, iif))
    {
        (this->*Get(LocalDeliverMember()))(whole, wholeHeader, iif);
    }
}

// --- Forwarding -------------------------------------------------------------

void
DivertIpv4L3Protocol::ForwardArrived(uint32_t inInterface,
                                     Ptr<Ipv4Route> route,
                                     Ptr<const Packet> p,
                                     const Ipv4Header& header)
{
    ForwardHook(s_noHistory, inInterface, route, p, header);
}

void
DivertIpv4L3Protocol::ForwardReinjected(History history,
                                        uint32_t inInterface,
                                        Ptr<Ipv4Route> route,
                                        Ptr<const Packet> p,
                                        const Ipv4Header& header)
{
    ForwardHook(history, inInterface, route, p, header);
}

void
DivertIpv4L3Protocol::ForwardHook(const History& history,
                                  uint32_t inInterface,
                                  const Ptr<Ipv4Route>& route,
                                  const Ptr<const Packet>& p,
                                  const Ipv4Header& header)
{
    NS_LOG_FUNCTION(this << route << p << header);
    Ptr<Packet> packet = p->Copy();
    Ipv4Header h = header;
    int32_t outIf = InterfaceOf(route->GetOutputDevice());
    // A packet diverted by the forward chain had its TTL handled before.
    bool ttlDone = history.valid && history.info.hook == Ipchains::FORWARD;
    if (!ttlDone)
    {
        // RFC 1812 5.3.1 (ns-3.37's IpForward lets TTL 0 wrap to 255).
        if (h.GetTtl() <= 1)
        {
            TtlExpired(h, packet, outIf);
            return;
        }
        h.SetTtl(h.GetTtl() - 1);
    }
    // The header comes from the RouteInput call that Route is making
    // for this very packet (the base class's Receive set its checksum flag),
    // unless the routing protocol held the packet (or it was reassembled).
    bool checksumSet = PeekPointer(p) == m_routedPacket;
    ForwardChainAndSend(history, inInterface, route, outIf, packet, h, checksumSet);
}

void
DivertIpv4L3Protocol::TtlExpired(const Ipv4Header& header, const Ptr<Packet>& packet, int32_t outIf)
{
    if (MayReplyWithIcmpError(header, packet))
    {
        Ptr<Icmpv4L4Protocol> icmp = GetObject<Icmpv4L4Protocol>();
        if (icmp)
        {
            icmp->SendTimeExceededTtl(header, packet, false);
        }
    }
    FireDrop(header, packet, DROP_TTL_EXPIRED, outIf);
}

void
DivertIpv4L3Protocol::ForwardChainAndSend(const History& history,
                                          uint32_t inInterface,
                                          const Ptr<Ipv4Route>& route,
                                          int32_t outIf,
                                          const Ptr<Packet>& packet,
                                          Ipv4Header& header,
                                          bool checksumSet)
{
    // ipchains(8): for the forward chain, -i names the interface the packet leaves by.
    // RunChain lets an unwalked packet pass.
    if (RunChain(Ipchains::FORWARD, packet, header, outIf, inInterface, history) == CHAIN_STOLEN)
    {
        return;
    }
    // As Ipv4L3Protocol::IpForward: the priority follows the TOS of the header.
    SocketPriorityTag priorityTag;
    packet->RemovePacketTag(priorityTag);
    uint8_t priority = Socket::IpTos2Priority(header.GetTos());
    if (priority)
    {
        priorityTag.SetPriority(priority);
        packet->AddPacketTag(priorityTag);
    }
    FireUnicastForward(header, packet, outIf);
    OutputStage(route, packet, header, history, ORIGIN_FORWARD, outIf, checksumSet);
}

// --- Output -----------------------------------------------------------------

void
DivertIpv4L3Protocol::OutputStage(const Ptr<Ipv4Route>& route,
                                  const Ptr<Packet>& packet,
                                  const Ipv4Header& header,
                                  const History& history,
                                  Origin origin,
                                  int32_t outIf,
                                  bool checksumSet)
{
    NS_LOG_FUNCTION(this << route << packet << header << origin << outIf);
    if (outIf < 0)
    {
        FireDrop(header, packet, DROP_NO_ROUTE, 0);
        return;
    }
    // Ipv4L3Protocol::GetMtu(outIf) asks the device of that interface, which
    // is the route's device: ask it directly.
    uint16_t mtu = route->GetOutputDevice()->GetMtu();
    if (Ipv4Fragmenter::NeedsFragmentation(packet, mtu))
    {
        OutputOversize(route, packet, header, history, origin, outIf, mtu, checksumSet);
        return;
    }
    if (PassesUnwalked(Ipchains::OUTPUT, header, packet, history))
    {
        // The common case: nothing to fragment, no output chain to walk.
        SendFrame(route, packet, header, checksumSet);
        return;
    }
    // The walk may rewrite the TOS (-t): on a copy, the caller's header may
    // be sent again (one per interface for a broadcast).
    Ipv4Header walked = header;
    OutputChainAndTransmit(route, packet, walked, history, outIf, mtu, checksumSet);
}

void
DivertIpv4L3Protocol::OutputOversize(const Ptr<Ipv4Route>& route,
                                     const Ptr<Packet>& packet,
                                     const Ipv4Header& header,
                                     const History& history,
                                     Origin origin,
                                     int32_t outIf,
                                     uint16_t mtu,
                                     bool checksumSet)
{
    if (origin == ORIGIN_DIVERT && !m_alwaysDefragment)
    {
        // Linux 2.2 does not fragment raw packets with their own header
        // (Divert Sockets mini-HOWTO section 5).
        DivertDrop(header, packet, DIVERT_DROP_TOO_BIG, outIf);
        return;
    }
    if (header.IsDontFragment())
    {
        if (origin == ORIGIN_FORWARD && MayReplyWithIcmpError(header, packet))
        {
            // RFC 1191: fragmentation needed, with the next-hop MTU.
            m_stats->fragNeeded++;
            Ptr<Icmpv4L4Protocol> icmp = GetObject<Icmpv4L4Protocol>();
            if (icmp)
            {
                icmp->SendDestUnreachFragNeeded(header, packet, mtu);
            }
        }
        DivertDrop(header, packet, DIVERT_DROP_TOO_BIG, outIf);
        return;
    }
    if (!m_alwaysDefragment)
    {
        // Linux 2.2 ip_build_xmit_slow / ip_fragment: each fragment meets the
        // output firewall on its own.
        Ipv4Fragmenter::FragmentList fragments =
            Ipv4Fragmenter::Fragment(packet, header, mtu, m_fragmentOptions);
        if (fragments.empty())
        {
            // Cannot be fragmented (MTU below 68, or past 65,535 bytes).
            DivertDrop(header, packet, DIVERT_DROP_TOO_BIG, outIf);
            return;
        }
        for (auto& fragment : fragments)
        {
            OutputChainAndTransmit(route,
                                   fragment.first,
                                   fragment.second,
                                   history,
                                   outIf,
                                   mtu,
                                   checksumSet);
        }
        return;
    }
    // Always-defragment: the output chain sees the whole datagram, Transmit
    // fragments it. The walk may rewrite the TOS: on a copy, as above.
    Ipv4Header walked = header;
    OutputChainAndTransmit(route, packet, walked, history, outIf, mtu, checksumSet);
}

void
DivertIpv4L3Protocol::OutputChainAndTransmit(const Ptr<Ipv4Route>& route,
                                             const Ptr<Packet>& packet,
                                             Ipv4Header& header,
                                             const History& history,
                                             uint32_t outIf,
                                             uint16_t mtu,
                                             bool checksumSet)
{
    if (RunChain(Ipchains::OUTPUT, packet, header, outIf, outIf, history) == CHAIN_STOLEN)
    {
        return;
    }
    Transmit(route, packet, header, outIf, mtu, checksumSet);
}

void
DivertIpv4L3Protocol::Transmit(const Ptr<Ipv4Route>& route,
                               const Ptr<Packet>& packet,
                               const Ipv4Header& header,
                               uint32_t outIf,
                               uint16_t mtu,
                               bool checksumSet)
{
    if (!Ipv4Fragmenter::NeedsFragmentation(packet, mtu))
    {
        SendFrame(route, packet, header, checksumSet);
        return;
    }
    // Always-defragment: the firewall saw the whole datagram; fragment it now.
    Ipv4Fragmenter::FragmentList fragments =
        Ipv4Fragmenter::Fragment(packet, header, mtu, m_fragmentOptions);
    if (fragments.empty())
    {
        DivertDrop(header, packet, DIVERT_DROP_TOO_BIG, outIf);
        return;
    }
    for (auto& fragment : fragments)
    {
        SendFrame(route, fragment.first, fragment.second, checksumSet);
    }
}

void
DivertIpv4L3Protocol::SendFrame(const Ptr<Ipv4Route>& route,
                                const Ptr<Packet>& packet,
                                const Ipv4Header& header,
                                bool checksumSet)
{
    if (!checksumSet)
    {
        // The base class sets the checksum flag from the global value, then
        // fires "Tx" (pcap) and hands the frame to the interface.
        Ipv4L3Protocol::SendWithHeader(packet, header, route);
        return;
    }
    // The flag was set from the global value when this header was built or
    // received, in this same call: what SendWithHeader would do but that.
    (this->*Get(SendRealOutMember()))(route, packet, header);
}

uint16_t
DivertIpv4L3Protocol::NextIdentification(const Ipv4Header& header)
{
    uint64_t src = header.GetSource().Get();
    uint64_t dst = header.GetDestination().Get();
    auto key = std::make_pair(dst | (src << 32), header.GetProtocol());
    return m_identification[key]++;
}

Ipv4Header
DivertIpv4L3Protocol::MakeHeader(Ipv4Address source,
                                 Ipv4Address destination,
                                 uint8_t protocol,
                                 uint16_t payloadSize,
                                 uint8_t ttl,
                                 uint8_t tos,
                                 bool mayFragment)
{
    Ipv4Header h;
    h.SetSource(source);
    h.SetDestination(destination);
    h.SetProtocol(protocol);
    h.SetPayloadSize(payloadSize);
    h.SetTtl(ttl);
    h.SetTos(tos);
    if (mayFragment)
    {
        h.SetMayFragment();
    }
    else
    {
        h.SetDontFragment();
    }
    h.SetIdentification(NextIdentification(h));
    if (Node::ChecksumEnabled())
    {
        h.EnableChecksum();
    }
    return h;
}

Ptr<Ipv4Route>
DivertIpv4L3Protocol::LocalRoute(Ipv4Address source, Ipv4Address destination) const
{
    if (destination.IsBroadcast() || destination.IsMulticast() || !IsLocalAddress(destination))
    {
        return nullptr;
    }
    Ptr<Ipv4Route> route = Create<Ipv4Route>();
    route->SetDestination(destination);
    route->SetSource(source.IsAny() ? destination : source);
    route->SetGateway(Ipv4Address::GetAny());
    // Interface 0 is the loopback (Ipv4L3Protocol::SetupLoopback).
    route->SetOutputDevice(GetInterface(0)->GetDevice());
    return route;
}

bool
DivertIpv4L3Protocol::IsLocalAddress(Ipv4Address address) const
{
    if (!m_localAddressesValid)
    {
        // Addresses reach an interface through AddAddress, except the
        // loopback's 127.0.0.1, which SetupLoopback adds when the stack is
        // aggregated to its node (before any packet).
        m_localAddresses.clear();
        for (uint32_t i = 0; i < GetNInterfaces(); i++)
        {
            for (uint32_t j = 0; j < GetNAddresses(i); j++)
            {
                m_localAddresses.push_back(GetAddress(i, j).GetLocal());
            }
        }
        m_localAddressesValid = true;
    }
    return std::find(m_localAddresses.begin(), m_localAddresses.end(), address) !=
           m_localAddresses.end();
}

int32_t
DivertIpv4L3Protocol::InterfaceOf(const Ptr<const NetDevice>& device) const
{
    const NetDevice* key = PeekPointer(device);
    for (const auto& entry : m_deviceInterfaces)
    {
        if (entry.first == key)
        {
            return entry.second;
        }
    }
    int32_t interface = GetInterfaceForDevice(device);
    if (interface >= 0)
    {
        m_deviceInterfaces.emplace_back(key, interface);
    }
    return interface;
}

void
DivertIpv4L3Protocol::SetUp(uint32_t i)
{
    NS_LOG_FUNCTION(this << i);
    Ipv4L3Protocol::SetUp(i);
    Ptr<NetDevice> device = i < GetNInterfaces() ? GetNetDevice(i) : nullptr;
    if (device && !IsUp(i) && device->GetMtu() < Ipv4Fragmenter::MIN_MTU)
    {
        // Ipv4L3Protocol::SetUp refused it (RFC 791's 68-octet minimum) with
        // an NS_LOG_LOGIC message: a user of a release build would only see
        // the traffic of that link take another route.
        Ptr<Node> node = GetObject<Node>();
        std::clog << "DivertIpv4L3Protocol on node " << (node ? node->GetId() : 0) << ": interface "
                  << i << " (" << GetInterfaceName(i) << ") stays down: its device MTU "
                  << device->GetMtu() << " is below the IPv4 minimum of " << Ipv4Fragmenter::MIN_MTU
                  << " octets (RFC 791)" << std::endl;
    }
}

bool
DivertIpv4L3Protocol::AddAddress(uint32_t i, Ipv4InterfaceAddress address)
{
    m_localAddressesValid = false;
    return Ipv4L3Protocol::AddAddress(i, address);
}

bool
DivertIpv4L3Protocol::RemoveAddress(uint32_t interfaceIndex, uint32_t addressIndex)
{
    m_localAddressesValid = false;
    return Ipv4L3Protocol::RemoveAddress(interfaceIndex, addressIndex);
}

bool
DivertIpv4L3Protocol::RemoveAddress(uint32_t interface, Ipv4Address address)
{
    m_localAddressesValid = false;
    return Ipv4L3Protocol::RemoveAddress(interface, address);
}

void
DivertIpv4L3Protocol::SendLocal(const Ptr<Ipv4Route>& route,
                                const Ptr<Packet>& packet,
                                const Ipv4Header& header)
{
    int32_t interface = InterfaceOf(route->GetOutputDevice());
    FireSendOutgoing(header, packet, interface);
    OutputStage(route, packet, header, s_noHistory, ORIGIN_LOCAL, interface, true);
}

void
DivertIpv4L3Protocol::Send(Ptr<Packet> packet,
                           Ipv4Address source,
                           Ipv4Address destination,
                           uint8_t protocol,
                           Ptr<Ipv4Route> route)
{
    NS_LOG_FUNCTION(this << packet << source << destination << uint32_t(protocol) << route);
    // The routing protocol is asked (below) only when no route is given, with
    // the packet as it came, tags included.
    Ptr<Packet> withTags = route ? nullptr : packet->Copy();

    uint8_t ttl = this->*Get(DefaultTtlMember());
    SocketIpTtlTag ttlTag;
    if (packet->RemovePacketTag(ttlTag))
    {
        ttl = ttlTag.GetTtl();
    }
    uint8_t tos = 0;
    SocketIpTosTag tosTag;
    if (packet->RemovePacketTag(tosTag))
    {
        tos = tosTag.GetTos();
    }
    // Transport protocols send no IP options: an options tag on the packet
    // was left by a datagram the application received and sends on again.
    if (Ipv4OptionsTag::HeaderLengthOf(packet) != 20)
    {
        Ipv4OptionsTag::SetOptionsOf(packet, {});
    }
    // Unlike ns-3.37's Ipv4L3Protocol, honour the socket's request for DF
    // (UdpSocketImpl's MtuDiscover attribute adds this tag).
    bool mayFragment = true;
    SocketSetDontFragmentTag dfTag;
    if (packet->PeekPacketTag(dfTag) && dfTag.IsEnabled())
    {
        mayFragment = false;
    }
    Ipv4Header header =
        MakeHeader(source, destination, protocol, packet->GetSize(), ttl, tos, mayFragment);

    // Linux's local routing table: a datagram to one of this node's own
    // addresses leaves on the loopback (ns-3.37 would send it on the wire).
    if (Ptr<Ipv4Route> local = LocalRoute(source, destination))
    {
        route = local;
    }
    if (route)
    {
        if (!route->GetGateway().IsInitialized())
        {
            // ns-3.37 aborts here (Send case 1a); a drop is enough.
            NS_LOG_ERROR("route without gateway for " << destination << "; dropping");
            FireDrop(header, packet, DROP_ROUTE_ERROR, 0);
            return;
        }
        SendLocal(route, packet->Copy(), header);
        return;
    }

    SendUnrouted(packet, withTags, source, destination, header);
}

void
DivertIpv4L3Protocol::SendUnrouted(const Ptr<Packet>& packet,
                                   const Ptr<Packet>& withTags,
                                   Ipv4Address source,
                                   Ipv4Address destination,
                                   const Ipv4Header& header)
{
    // Limited broadcast or link-local multicast: out of every matching interface.
    if (destination.IsBroadcast() || destination.IsLocalMulticast())
    {
        for (uint32_t i = 0; i < GetNInterfaces(); i++)
        {
            Ptr<Ipv4Interface> outInterface = GetInterface(i);
            bool sendIt = source.IsAny();
            for (uint32_t j = 0; !sendIt && j < outInterface->GetNAddresses(); j++)
            {
                sendIt = outInterface->GetAddress(j).GetLocal() == source;
            }
            if (sendIt)
            {
                Ptr<Ipv4Route> proxy = Create<Ipv4Route>();
                proxy->SetDestination(destination);
                proxy->SetGateway(Ipv4Address::GetAny());
                proxy->SetSource(source);
                proxy->SetOutputDevice(outInterface->GetDevice());
                SendLocal(proxy, packet->Copy(), header);
            }
        }
        return;
    }

    // Subnet-directed broadcast.
    for (uint32_t i = 0; i < GetNInterfaces(); i++)
    {
        for (uint32_t j = 0; j < GetNAddresses(i); j++)
        {
            Ipv4InterfaceAddress ifAddr = GetAddress(i, j);
            if (destination.IsSubnetDirectedBroadcast(ifAddr.GetMask()) &&
                destination.CombineMask(ifAddr.GetMask()) ==
                    ifAddr.GetLocal().CombineMask(ifAddr.GetMask()))
            {
                Ptr<Ipv4Route> proxy = Create<Ipv4Route>();
                proxy->SetDestination(destination);
                proxy->SetGateway(Ipv4Address::GetAny());
                proxy->SetSource(source);
                proxy->SetOutputDevice(GetNetDevice(i));
                SendLocal(proxy, packet->Copy(), header);
                return;
            }
        }
    }

    // No route given (raw sockets, ICMP): ask the routing protocol.
    Socket::SocketErrno err;
    Ptr<Ipv4Route> newRoute =
        m_routing ? m_routing->RouteOutput(withTags, header, nullptr, err) : nullptr;
    if (!newRoute)
    {
        NS_LOG_WARN("No route to host " << destination << ". Drop.");
        FireDrop(header, packet, DROP_NO_ROUTE, 0);
        return;
    }
    SendLocal(newRoute, packet->Copy(), header);
}

void
DivertIpv4L3Protocol::SendWithHeader(Ptr<Packet> packet, Ipv4Header ipHeader, Ptr<Ipv4Route> route)
{
    NS_LOG_FUNCTION(this << packet << ipHeader << route);
    if (!route)
    {
        FireDrop(ipHeader, packet, DROP_NO_ROUTE, 0);
        return;
    }
    if (Node::ChecksumEnabled())
    {
        ipHeader.EnableChecksum();
    }
    // As in Send: a header given by a raw socket has no options.
    if (Ipv4OptionsTag::HeaderLengthOf(packet) != 20)
    {
        Ipv4OptionsTag::SetOptionsOf(packet, {});
    }
    OutputStage(route,
                packet,
                ipHeader,
                s_noHistory,
                ORIGIN_LOCAL,
                InterfaceOf(route->GetOutputDevice()),
                true);
}

// --- Divert sockets ---------------------------------------------------------

Ptr<DivertSocket>
DivertIpv4L3Protocol::CreateDivertSocket()
{
    NS_LOG_FUNCTION(this);
    Ptr<DivertSocket> socket = CreateObject<DivertSocket>();
    socket->SetStack(GetObject<Node>(), this);
    if (!m_divertEnabled)
    {
        NS_LOG_WARN("divert sockets are disabled on node "
                    << GetObject<Node>()->GetId()
                    << " (ns3::DivertIpv4L3Protocol::DivertSockets=false)");
        socket->SetDisabled(Socket::ERROR_OPNOTSUPP);
        return socket;
    }
    m_divertSockets.push_back(socket);
    return socket;
}

void
DivertIpv4L3Protocol::DeleteDivertSocket(Ptr<DivertSocket> socket)
{
    m_divertSockets.remove(socket);
}

uint16_t
DivertIpv4L3Protocol::BindDivertPort(Ptr<DivertSocket> socket, uint16_t port)
{
    NS_LOG_FUNCTION(this << socket << port);
    if (port != 0)
    {
        if (m_divertPorts.find(port) != m_divertPorts.end())
        {
            return 0;
        }
        m_divertPorts[port] = socket;
        return port;
    }
    for (uint32_t candidate = EPHEMERAL_FIRST; candidate <= 0xffff; candidate++)
    {
        if (m_divertPorts.find(candidate) == m_divertPorts.end())
        {
            m_divertPorts[candidate] = socket;
            return candidate;
        }
    }
    return 0;
}

void
DivertIpv4L3Protocol::UnbindDivertPort(uint16_t port)
{
    m_divertPorts.erase(port);
}

Socket::SocketErrno
DivertIpv4L3Protocol::RefuseSend(const Ipv4Header& header,
                                 Ptr<const Packet> payload,
                                 DivertDropReason reason,
                                 uint32_t interface,
                                 Socket::SocketErrno error)
{
    // divs_errors counts every refused send; the reason has its own counter.
    m_stats->errors++;
    DivertDrop(header, payload, reason, interface);
    return error;
}

Ptr<Ipv4Route>
DivertIpv4L3Protocol::InterfaceRoute(const Ipv4Header& header, const DiversionInfo* diversion)
{
    // A link-local multicast or limited broadcast datagram names no
    // interface by its destination. A datagram the output or forward chain
    // diverted goes on out of the interface it was leaving by; another one
    // leaves by the interface that has its source address (Linux
    // ip_route_output_slow(): "user can direct multicasts and limited
    // broadcast via necessary interface" by the source address).
    int32_t interface = -1;
    if (diversion && diversion->hook != Ipchains::INPUT)
    {
        interface = static_cast<int32_t>(diversion->interface);
    }
    else if (!header.GetSource().IsAny())
    {
        interface = GetInterfaceForAddress(header.GetSource());
    }
    if (interface < 0 || static_cast<uint32_t>(interface) >= GetNInterfaces())
    {
        return nullptr;
    }
    Ptr<Ipv4Route> route = Create<Ipv4Route>();
    route->SetDestination(header.GetDestination());
    route->SetGateway(Ipv4Address::GetAny());
    route->SetSource(header.GetSource());
    route->SetOutputDevice(GetNetDevice(interface));
    return route;
}

Socket::SocketErrno
DivertIpv4L3Protocol::DivertSend(Ptr<const Packet> datagram,
                                 const InetSocketAddress& to,
                                 uint16_t socketPort)
{
    NS_LOG_FUNCTION(this << datagram << to.GetIpv4() << to.GetPort() << socketPort);
    const uint32_t size = datagram->GetSize();
    uint8_t first = 0;
    datagram->CopyData(&first, 1);
    const uint32_t headerLength = (first & 0x0f) * 4;
    if (size < 20 || (first >> 4) != 4 || headerLength < 20 || headerLength > size || size > 65535)
    {
        NS_LOG_WARN("divert send: not an IPv4 datagram (" << size << " bytes, version "
                                                          << (first >> 4) << ", header length "
                                                          << headerLength << ")");
        return RefuseSend(Ipv4Header(), datagram, DIVERT_DROP_BAD_HEADER, 0, Socket::ERROR_INVAL);
    }

    Ptr<Packet> packet = datagram->Copy();
    Ipv4WireHeader wire;
    packet->RemoveHeader(wire);
    std::string optionsError;
    if (!Ipv4OptionsTag::Check(wire.GetOptions(), optionsError))
    {
        NS_LOG_WARN("divert send: malformed IP options: " << optionsError);
        return RefuseSend(wire.GetHeader(), packet, DIVERT_DROP_BAD_HEADER, 0, Socket::ERROR_INVAL);
    }
    // Inside the stack the options travel with the payload (ns-3's
    // Ipv4Header has none); an options tag the application left is replaced.
    Ipv4OptionsTag::SetOptionsOf(packet, wire.GetOptions());
    Ipv4Header header = wire.GetHeader();
    // Linux raw sockets with their own header: total length and checksum are
    // the kernel's, and an ID of 0 is replaced (raw_send_hdrinc / ip_select_ident).
    // Not on a fragment: its ID ties it to its siblings, and 0 is a valid ID.
    header.SetPayloadSize(packet->GetSize());
    while (header.GetIdentification() == 0 && !IsFragment(header))
    {
        header.SetIdentification(NextIdentification(header));
    }
    if (Node::ChecksumEnabled())
    {
        header.EnableChecksum();
    }
    // Whatever leaves here, in or out, reaches ns-3's transport deserialisers
    // (on this node or the next): refuse what they cannot survive.
    std::string transportError;
    if (!CheckTransport(header, packet, transportError))
    {
        NS_LOG_WARN("divert send: " << transportError);
        return RefuseSend(header, packet, DIVERT_DROP_BAD_TRANSPORT, 0, Socket::ERROR_INVAL);
    }

    History history;
    bool known = to.GetPort() != 0 && LookupDiversion(to.GetPort(), history.info);
    if (known)
    {
        DivertMarkTag appMark;
        if (!packet->PeekPacketTag(appMark))
        {
            SetMark(packet, history.info.mark);
        }
    }

    Ipv4Address destination = to.GetIpv4();
    if (destination.IsAny())
    {
        Socket::SocketErrno err = Socket::ERROR_NOTERROR;
        Ptr<Ipv4Route> route = LocalRoute(header.GetSource(), header.GetDestination());
        const Ipv4Address dst = header.GetDestination();
        if (!route && (dst.IsLocalMulticast() || dst.IsBroadcast()))
        {
            route = InterfaceRoute(header, known ? &history.info : nullptr);
            if (!route && dst.IsLocalMulticast())
            {
                // ns-3.37's Ipv4StaticRouting::LookupStatic cannot route a
                // link-local group without an output device (it dereferences
                // the interface of a null device): never ask it.
                NS_LOG_WARN("divert send: link-local multicast to "
                            << dst << " from " << header.GetSource()
                            << ", which is no address of this node: no interface to send it on");
                return RefuseSend(header,
                                  packet,
                                  DIVERT_DROP_NO_ROUTE,
                                  0,
                                  Socket::ERROR_NOROUTETOHOST);
            }
        }
        if (!route)
        {
            route = m_routing->RouteOutput(packet, header, nullptr, err);
        }
        if (!route)
        {
            NS_LOG_WARN("divert send: no route to " << dst);
            return RefuseSend(header, packet, DIVERT_DROP_NO_ROUTE, 0, Socket::ERROR_NOROUTETOHOST);
        }
        int32_t outIf = InterfaceOf(route->GetOutputDevice());
        if (outIf < 0)
        {
            return RefuseSend(header, packet, DIVERT_DROP_NO_ROUTE, 0, Socket::ERROR_NOROUTETOHOST);
        }
        if (!IsUp(outIf))
        {
            NS_LOG_WARN("divert send: interface " << outIf << " is down");
            return RefuseSend(header,
                              packet,
                              DIVERT_DROP_INTERFACE_DOWN,
                              outIf,
                              Socket::ERROR_NODEV);
        }
        if (!m_alwaysDefragment && size > GetMtu(outIf))
        {
            return RefuseSend(header, packet, DIVERT_DROP_TOO_BIG, outIf, Socket::ERROR_MSGSIZE);
        }
        CountSent(WireDatagram(packet, header), socketPort, outIf, known);
        // The history applies only to the chains a packet going out walks.
        history.valid = known && history.info.hook != Ipchains::INPUT;
        if (history.valid && history.info.hook == Ipchains::FORWARD)
        {
            ForwardChainAndSend(history,
                                history.info.inInterface,
                                route,
                                outIf,
                                packet,
                                header,
                                true);
        }
        else
        {
            OutputStage(route, packet, header, history, ORIGIN_DIVERT, outIf, true);
        }
        return Socket::ERROR_NOTERROR;
    }

    int32_t iif = GetInterfaceForAddress(destination);
    if (iif < 0)
    {
        NS_LOG_WARN("divert send: " << destination << " is no address of this node");
        return RefuseSend(header, packet, DIVERT_DROP_BAD_ADDRESS, 0, Socket::ERROR_ADDRNOTAVAIL);
    }
    if (!IsUp(iif))
    {
        // Ipv4L3Protocol::Receive would drop it (DROP_INTERFACE_DOWN).
        NS_LOG_WARN("divert send: interface " << iif << " is down");
        return RefuseSend(header, packet, DIVERT_DROP_INTERFACE_DOWN, iif, Socket::ERROR_NODEV);
    }
    Ptr<Packet> sent = WireDatagram(packet, header);
    CountSent(sent, socketPort, iif, known);
    // It arrives with its options in the header; they also stay with the
    // payload, as on any divert node (Receive drops them from the header).
    Ptr<Packet> arriving = sent->Copy();
    Ipv4OptionsTag::SetOptionsOf(arriving, Ipv4OptionsTag::OptionsOf(packet));
    // Received as if it arrived on that interface: the base class's Receive
    // runs (Rx trace, checksum, raw sockets) and calls the routing shim, which
    // picks up the history from m_inboundHistory.
    history.valid = known && history.info.hook != Ipchains::OUTPUT;
    m_inboundHistory = &history;
    Ptr<NetDevice> device = GetNetDevice(iif);
    Ipv4L3Protocol::Receive(device,
                            arriving,
                            Ipv4L3Protocol::PROT_NUMBER,
                            device->GetAddress(),
                            device->GetAddress(),
                            NetDevice::PACKET_HOST);
    m_inboundHistory = nullptr;
    return Socket::ERROR_NOTERROR;
}

void
DivertIpv4L3Protocol::CountSent(Ptr<const Packet> datagram,
                                uint16_t socketPort,
                                uint32_t interface,
                                bool reinjected)
{
    m_stats->sent++;
    if (reinjected)
    {
        m_stats->reinjected++;
        m_reinjectedTrace(datagram, socketPort, interface);
    }
    else
    {
        m_stats->injected++;
        m_injectedTrace(datagram, socketPort, interface);
    }
}

std::ostream&
operator<<(std::ostream& os, DivertIpv4L3Protocol::DivertDropReason reason)
{
    switch (reason)
    {
    case DivertIpv4L3Protocol::DIVERT_DROP_RULE:
        return os << "rule";
    case DivertIpv4L3Protocol::DIVERT_DROP_NO_LISTENER:
        return os << "no listener";
    case DivertIpv4L3Protocol::DIVERT_DROP_QUEUE_FULL:
        return os << "queue full";
    case DivertIpv4L3Protocol::DIVERT_DROP_TOO_BIG:
        return os << "too big";
    case DivertIpv4L3Protocol::DIVERT_DROP_LOOP:
        return os << "loop";
    case DivertIpv4L3Protocol::DIVERT_DROP_BAD_HEADER:
        return os << "bad header";
    case DivertIpv4L3Protocol::DIVERT_DROP_FIREWALL_LOOP:
        return os << "caught in loop";
    case DivertIpv4L3Protocol::DIVERT_DROP_NO_ROUTE:
        return os << "no route";
    case DivertIpv4L3Protocol::DIVERT_DROP_BAD_ADDRESS:
        return os << "bad address";
    case DivertIpv4L3Protocol::DIVERT_DROP_BAD_TRANSPORT:
        return os << "bad transport header";
    case DivertIpv4L3Protocol::DIVERT_DROP_SOCKET_CLOSED:
        return os << "socket closed";
    case DivertIpv4L3Protocol::DIVERT_DROP_DISPOSED:
        return os << "disposed";
    case DivertIpv4L3Protocol::DIVERT_DROP_VERDICT:
        return os << "verdict";
    case DivertIpv4L3Protocol::DIVERT_DROP_BAD_VERDICT:
        return os << "bad verdict";
    case DivertIpv4L3Protocol::DIVERT_DROP_APP_STOPPED:
        return os << "application stopped";
    case DivertIpv4L3Protocol::DIVERT_DROP_INTERFACE_DOWN:
        return os << "interface down";
    }
    return os << "unknown";
}

} // namespace ns3

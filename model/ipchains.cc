/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipchains.h"

#include "ipchains-names.h"
#include "ipchains-parser.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ipchains");

NS_OBJECT_ENSURE_REGISTERED(Ipchains);

namespace
{

/// Names of the built-in chains, in the order of ip_fw.c ip_fw_chains.
const char* const BUILTIN_CHAINS[3] = {"input", "forward", "output"};

/// Listing format bits (the FMT_* flags of ipchains.c print_firewall).
enum Format : unsigned
{
    FMT_NUMERIC = 0x0001,
    FMT_NOCOUNTS = 0x0002,
    FMT_KILOMEGAGIGA = 0x0004,
    FMT_OPTIONS = 0x0008,
    FMT_NOTABLE = 0x0010,
    FMT_HEADER = 0x0020,
    FMT_NOTARGET = 0x0040,
    FMT_VIA = 0x0080,
    FMT_NONEWLINE = 0x0100,
    FMT_TOS = 0x0400,
    FMT_MARK = 0x0800,
    FMT_NETLINK = 0x1000,
    FMT_LINENUMBERS = 0x2000,
};

/// How ipchains -v prints a rule it adds, deletes or replaces.
constexpr unsigned FMT_PRINT_RULE = FMT_NOCOUNTS | FMT_OPTIONS | FMT_TOS | FMT_VIA | FMT_NUMERIC |
                                    FMT_NOTABLE | FMT_MARK | FMT_NETLINK;

/**
 * \brief Append printf-formatted text to a string.
 * \param out the string
 * \param format the printf format
 */
void
Append(std::string& out, const char* format, ...)
{
    char buf[256];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof(buf), format, args);
    va_end(args);
    out += buf;
}

/**
 * \brief One of two formats, table or one-line (the FMT macro of
 * print_firewall).
 * \param format the format bits
 * \param tab the table format
 * \param notab the one-line format
 * \return the format to use
 */
const char*
Fmt(unsigned format, const char* tab, const char* notab)
{
    return (format & FMT_NOTABLE) ? notab : tab;
}

/**
 * \brief Print a counter, rounded to K, M or G unless -x.
 * \param out the text
 * \param count the counter
 * \param format the format bits
 * \param exactWidth the column width with -x (8 packets, 10 bytes)
 */
void
PrintCount(std::string& out, uint64_t count, unsigned format, int exactWidth)
{
    unsigned long long cnt = count;
    if (format & FMT_KILOMEGAGIGA)
    {
        if (cnt > 99999)
        {
            unsigned long long kb = (cnt + 500) / 1000;
            if (kb > 9999)
            {
                unsigned long long mb = (cnt + 500000) / 1000000;
                if (mb > 9999)
                {
                    unsigned long long gb = (mb + 500) / 1000;
                    Append(out, Fmt(format, "%4lluG ", "%lluG "), gb);
                }
                else
                {
                    Append(out, Fmt(format, "%4lluM ", "%lluM "), mb);
                }
            }
            else
            {
                Append(out, Fmt(format, "%4lluK ", "%lluK "), kb);
            }
        }
        else
        {
            Append(out, Fmt(format, "%5llu ", "%llu "), cnt);
        }
    }
    else if (format & FMT_NOTABLE)
    {
        Append(out, "%llu ", cnt);
    }
    else
    {
        Append(out, "%*llu ", exactWidth, cnt);
    }
}

/**
 * \brief Dotted quad of an address.
 * \param address the address
 * \return "a.b.c.d"
 */
std::string
Dotted(uint32_t address)
{
    char buf[20];
    std::snprintf(buf,
                  sizeof(buf),
                  "%u.%u.%u.%u",
                  (address >> 24) & 0xFF,
                  (address >> 16) & 0xFF,
                  (address >> 8) & 0xFF,
                  address & 0xFF);
    return buf;
}

/**
 * \brief ipchains.c mask_to_dotted: "" for /32, "/N" for a prefix,
 * "/a.b.c.d" otherwise.
 * \param mask the mask
 * \return the suffix
 */
std::string
MaskSuffix(uint32_t mask)
{
    if (mask == 0xFFFFFFFF)
    {
        return "";
    }
    for (int bits = 31; bits >= 0; bits--)
    {
        uint32_t prefix = (bits == 0) ? 0 : (0xFFFFFFFFU << (32 - bits));
        if (prefix == mask)
        {
            return "/" + std::to_string(bits);
        }
    }
    return "/" + Dotted(mask);
}

/**
 * \brief Print a port, by service name unless numeric.
 * \param out the text
 * \param numeric -n
 * \param port the port
 * \param protocol the protocol
 */
void
PrintPort(std::string& out, bool numeric, uint16_t port, uint8_t protocol)
{
    std::string service = numeric ? "" : IpchainsNames::PortToService(port, protocol);
    if (service.empty())
    {
        Append(out, "%u", static_cast<unsigned>(port));
    }
    else
    {
        out += service;
    }
}

/**
 * \brief Print a port range the way the ports column shows it.
 * \param out the text
 * \param format the format bits
 * \param min first port
 * \param max last port
 * \param protocol the protocol
 */
void
PrintRange(std::string& out, unsigned format, uint16_t min, uint16_t max, uint8_t protocol)
{
    bool numeric = format & FMT_NUMERIC;
    if (min == 0 && max == FirewallRule::PORT_MAX)
    {
        out += numeric ? "*" : "any";
    }
    else if (min == max)
    {
        PrintPort(out, numeric, min, protocol);
    }
    else
    {
        PrintPort(out, numeric, min, protocol);
        out += ":";
        PrintPort(out, numeric, max, protocol);
    }
}

/**
 * \brief The column layout of ipchains.c print_firewall, header and rule.
 * \param rule the rule
 * \param num its number (for --line-numbers)
 * \param format the format bits
 * \return the text, ending in '\\n' unless FMT_NONEWLINE
 */
std::string
FormatRule(const FirewallRule& rule, uint32_t num, unsigned format)
{
    std::string out;
    uint8_t proto = rule.GetProtocol();

    if (format & FMT_HEADER)
    {
        if (format & FMT_LINENUMBERS)
        {
            Append(out, Fmt(format, "%-4s ", "%s "), "num");
        }
        if (!(format & FMT_NOCOUNTS))
        {
            if (format & FMT_KILOMEGAGIGA)
            {
                Append(out, Fmt(format, "%5s ", "%s "), "pkts");
                Append(out, Fmt(format, "%5s ", "%s "), "bytes");
            }
            else
            {
                Append(out, Fmt(format, "%8s ", "%s "), "pkts");
                Append(out, Fmt(format, "%10s ", "%s "), "bytes");
            }
        }
        if (!(format & FMT_NOTARGET))
        {
            Append(out, Fmt(format, "%-9s ", "%s "), "target");
        }
        out += " prot ";
        if (format & FMT_OPTIONS)
        {
            out += "opt    ";
        }
        if (format & FMT_TOS)
        {
            out += "tosa tosx ";
        }
        if (format & FMT_VIA)
        {
            Append(out, Fmt(format, " %-10s ", "%s "), "ifname");
        }
        if (format & FMT_MARK)
        {
            Append(out, Fmt(format, "%-10s ", "%s "), "mark");
        }
        if (format & FMT_NETLINK)
        {
            Append(out, Fmt(format, "%-7s ", "%s "), "outsize");
        }
        Append(out, Fmt(format, " %-20s ", "%s "), "source");
        Append(out, Fmt(format, " %-20s ", "%s "), "destination");
        out += " ports\n";
    }

    if (format & FMT_LINENUMBERS)
    {
        Append(out, Fmt(format, "%-4u ", "%u "), num);
    }
    if (!(format & FMT_NOCOUNTS))
    {
        PrintCount(out, rule.GetPackets(), format, 8);
        PrintCount(out, rule.GetBytes(), format, 10);
    }
    if (!(format & FMT_NOTARGET))
    {
        std::string label = rule.GetTargetName();
        Append(out, Fmt(format, "%-9s ", "%s "), label.empty() ? "-" : label.c_str());
    }

    out += rule.IsProtocolInverted() ? '!' : ' ';
    Append(out, Fmt(format, "%-5s", "%s "), IpchainsNames::ProtocolToName(proto).c_str());

    if (format & FMT_OPTIONS)
    {
        if (format & FMT_NOTABLE)
        {
            out += "opt    ";
        }
        out += (rule.GetSyn() == FirewallRule::INVERTED) ? '!' : '-';
        out += (rule.GetSyn() != FirewallRule::UNSET) ? 'y' : '-';
        out += (rule.GetFragment() == FirewallRule::INVERTED) ? '!' : '-';
        out += (rule.GetFragment() != FirewallRule::UNSET) ? 'f' : '-';
        out += rule.GetLog() ? 'l' : '-';
        out += '-'; // -o (netlink) is not simulated
        out += ' ';
    }

    if (format & FMT_TOS)
    {
        if (format & FMT_NOTABLE)
        {
            out += "tos ";
        }
        Append(out, "0x%02X 0x%02X ", rule.GetTosAnd(), rule.GetTosXor());
    }

    if (format & FMT_VIA)
    {
        out += rule.IsInterfaceInverted() ? '!' : ' ';
        std::string name = rule.GetInterface();
        if (name.empty())
        {
            name = (format & FMT_NUMERIC) ? "*" : "any";
        }
        Append(out, Fmt(format, "%-10.16s ", "via %.16s "), name.c_str());
    }

    if (format & FMT_MARK)
    {
        // A relative mark is printed as the unsigned value the kernel keeps
        // (ipchains prints it with "%+x", and '+' does nothing to %x).
        if (rule.GetMarkOp() == FirewallRule::MARK_SET)
        {
            Append(out, Fmt(format, "0x%-10x ", "mark 0x%x "), rule.GetMarkValue());
        }
        else if (rule.GetMarkValue() == 0)
        {
            out += Fmt(format, "           ", "");
        }
        else
        {
            Append(out, Fmt(format, "0x%-10x ", "mark 0x%x "), rule.GetMarkValue());
        }
    }

    if (format & FMT_NETLINK)
    {
        out += Fmt(format, "        ", "");
    }

    if (format & FMT_NOTABLE)
    {
        out += "  ";
    }

    out += rule.IsSourceInverted() ? '!' : ' ';
    if (rule.GetSourceMask().Get() == 0 && !(format & FMT_NUMERIC))
    {
        Append(out, Fmt(format, "%-20s ", "%s "), "anywhere");
    }
    else
    {
        std::string buf = Dotted(rule.GetSource().Get()) + MaskSuffix(rule.GetSourceMask().Get());
        Append(out, Fmt(format, "%-20s ", "%s "), buf.c_str());
    }

    const char* dstInv = rule.IsDestinationInverted() ? "!" : "";
    if (rule.GetDestinationMask().Get() == 0 && !(format & FMT_NUMERIC))
    {
        Append(out, Fmt(format, "%s%-20s", "-> %s%s"), dstInv, "anywhere");
    }
    else
    {
        std::string buf =
            Dotted(rule.GetDestination().Get()) + MaskSuffix(rule.GetDestinationMask().Get());
        Append(out, Fmt(format, "%s%-20s", "-> %s%s"), dstInv, buf.c_str());
    }

    if (format & FMT_NOTABLE)
    {
        out += "  ";
    }

    // The divert patch shows the divert port after the ports, the way
    // REDIRECT shows its port: "=> 4321".
    std::string divert;
    if (rule.GetTarget() == FirewallRule::DIVERT)
    {
        divert = " => " + std::to_string(rule.GetTargetPort());
    }
    const char* newline = (format & FMT_NONEWLINE) ? "" : "\n";

    if (proto != FirewallRule::PROTO_TCP && proto != FirewallRule::PROTO_UDP &&
        proto != FirewallRule::PROTO_ICMP)
    {
        out += "  n/a" + divert + newline;
        return out;
    }

    if (proto == FirewallRule::PROTO_ICMP && !rule.IsSourcePortInverted() &&
        !rule.IsDestinationPortInverted() && !(format & FMT_NUMERIC))
    {
        std::string name = IpchainsNames::IcmpToName(rule.GetSourcePortMin(),
                                                     rule.GetSourcePortMax(),
                                                     rule.GetDestinationPortMin(),
                                                     rule.GetDestinationPortMax());
        if (!name.empty())
        {
            out += "  " + name + divert + newline;
            return out;
        }
    }

    out += rule.IsSourcePortInverted() ? " !" : "  ";
    PrintRange(out, format, rule.GetSourcePortMin(), rule.GetSourcePortMax(), proto);
    out += " -> ";
    out += rule.IsDestinationPortInverted() ? " !" : "  ";
    PrintRange(out, format, rule.GetDestinationPortMin(), rule.GetDestinationPortMax(), proto);

    if (rule.GetTarget() == FirewallRule::REDIRECT)
    {
        out += Fmt(format, " => ", "");
        if (rule.GetTargetPort() == 0)
        {
            out += (format & FMT_NUMERIC) ? " *" : " any";
        }
        else
        {
            PrintPort(out, format & FMT_NUMERIC, rule.GetTargetPort(), proto);
        }
    }
    out += divert + newline;
    return out;
}

/**
 * \brief The verdict words of libipfwc ipfwc_check_packet.
 * \param verdict the verdict
 * \param passedThrough a user chain was left at its end
 * \return the word, without newline
 */
std::string
CheckText(const Ipchains::Verdict& verdict, bool passedThrough)
{
    if (passedThrough)
    {
        return "passed through chain";
    }
    if (verdict.loop)
    {
        return "caught in loop";
    }
    switch (verdict.action)
    {
    case Ipchains::Verdict::ACCEPT:
        return "accepted";
    case Ipchains::Verdict::DENY:
        return "denied";
    case Ipchains::Verdict::REJECT:
        return "rejected";
    case Ipchains::Verdict::MASQ:
        return "masqueraded";
    case Ipchains::Verdict::REDIRECT:
        return "redirected";
    case Ipchains::Verdict::DIVERT:
        return "diverted";
    }
    return "accepted";
}

/**
 * \brief Whether a name is a target of its own, so cannot be a chain.
 * \param name the name
 * \return true for ACCEPT, DENY, REJECT, RETURN, MASQ, REDIRECT, DIVERT
 */
bool
IsSpecialTarget(const std::string& name)
{
    return name == "ACCEPT" || name == "DENY" || name == "REJECT" || name == "RETURN" ||
           name == "MASQ" || name == "REDIRECT" || name == "DIVERT";
}

/**
 * \brief Whether a name is a built-in chain.
 * \param name the name
 * \return true for input, forward and output
 */
bool
IsBuiltinChain(const std::string& name)
{
    return name == "input" || name == "forward" || name == "output";
}

/// The kernel answer when a rule number is past the end of the chain.
const char* const BAD_RULE = "bad rule (does a matching rule exist in that chain?)";

} // namespace

TypeId
Ipchains::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Ipchains")
            .SetParent<Object>()
            .SetGroupName("Divert")
            .AddConstructor<Ipchains>()
            .AddAttribute(
                "DivertAllowed",
                "The kernel option \"divert sockets\": when false, rules with "
                "target DIVERT are refused (rules already in place stay).",
                BooleanValue(true),
                MakeBooleanAccessor(&Ipchains::SetDivertAllowed, &Ipchains::IsDivertAllowed),
                MakeBooleanChecker())
            .AddAttribute("NatAllowed",
                          "Accept the MASQ and REDIRECT targets. The divert stack sets it "
                          "to false: it does not model masquerading or redirection, so such "
                          "rules are refused rather than silently acting as ACCEPT.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&Ipchains::m_natAllowed),
                          MakeBooleanChecker())
            .AddAttribute("RefuseLoops",
                          "Refuse a jump that would close a loop of chains. When false the "
                          "jump is accepted, as the Linux 2.2 kernel did, and a packet that "
                          "walks into the loop is denied (ipchains -C: \"caught in loop\").",
                          BooleanValue(true),
                          MakeBooleanAccessor(&Ipchains::m_refuseLoops),
                          MakeBooleanChecker())
            .AddAttribute(
                "FlowCacheSize",
                "Flows each chain remembers the matching rules of (a direct-mapped "
                "cache in front of the rule classifier, rounded up to a power of "
                "two). It changes only the cost of a walk, never a verdict, counter "
                "or log; 0 turns it off.",
                UintegerValue(16),
                MakeUintegerAccessor(&Ipchains::SetFlowCacheSize, &Ipchains::GetFlowCacheSize),
                MakeUintegerChecker<uint32_t>(0, RuleMatchCache::MAX_CAPACITY))
            .AddTraceSource("Log",
                            "A packet matched a rule with -l (ipchains --log).",
                            MakeTraceSourceAccessor(&Ipchains::m_logTrace),
                            "ns3::Ipchains::LogTracedCallback");
    return tid;
}

Ipchains::Ipchains()
    : m_divertAllowed(true),
      m_natAllowed(true),
      m_refuseLoops(true),
      m_flowCacheSize(16)
{
    NS_LOG_FUNCTION(this);
    m_tables.chains.reserve(3);
    for (const char* name : BUILTIN_CHAINS)
    {
        Chain chain;
        chain.name = name;
        chain.builtin = true;
        chain.policy = FirewallRule::ACCEPT;
        chain.classifier.SetFlowCacheSize(m_flowCacheSize);
        m_tables.chains.push_back(chain);
    }
    Reindex();
}

Ipchains::~Ipchains()
{
    NS_LOG_FUNCTION(this);
}

std::string
Ipchains::GetHookChainName(Hook hook)
{
    switch (hook)
    {
    case INPUT:
        return "input";
    case FORWARD:
        return "forward";
    case OUTPUT:
        return "output";
    }
    return "input";
}

std::string
Ipchains::ActionToString(Verdict::Action action)
{
    switch (action)
    {
    case Verdict::ACCEPT:
        return "ACCEPT";
    case Verdict::DENY:
        return "DENY";
    case Verdict::REJECT:
        return "REJECT";
    case Verdict::DIVERT:
        return "DIVERT";
    case Verdict::MASQ:
        return "MASQ";
    case Verdict::REDIRECT:
        return "REDIRECT";
    }
    return "ACCEPT";
}

void
Ipchains::Reindex()
{
    m_tables.index.clear();
    for (std::size_t i = 0; i < m_tables.chains.size(); i++)
    {
        m_tables.index.Set(m_tables.chains[i].name, i);
    }
}

namespace
{
/// The index entries of the built-in chains, at their hooks' positions.
using BuiltinEntry = std::pair<const std::string, std::size_t>;

/// \return the entries of input, forward and output
const BuiltinEntry*
BuiltinEntries()
{
    static const BuiltinEntry entries[3] = {{BUILTIN_CHAINS[0], 0},
                                            {BUILTIN_CHAINS[1], 1},
                                            {BUILTIN_CHAINS[2], 2}};
    return entries;
}
} // namespace

Ipchains::ChainIndex::Entry
Ipchains::ChainIndex::find(const std::string& name) const
{
    const BuiltinEntry* builtins = BuiltinEntries();
    for (std::size_t i = 0; i < 3; i++)
    {
        if (builtins[i].first == name)
        {
            return &builtins[i];
        }
    }
    auto it = m_user.find(name);
    return it == m_user.end() ? end() : &*it;
}

std::size_t
Ipchains::ChainIndex::operator[](const std::string& name) const
{
    Entry e = find(name);
    NS_ASSERT_MSG(e, "no chain " << name);
    return e ? e->second : 0;
}

void
Ipchains::ChainIndex::clear()
{
    m_user.clear();
}

void
Ipchains::ChainIndex::Set(const std::string& name, std::size_t position)
{
    for (std::size_t i = 0; i < 3; i++)
    {
        if (name == BUILTIN_CHAINS[i])
        {
            NS_ASSERT_MSG(position == i, "built-in chain " << name << " moved");
            return;
        }
    }
    m_user[name] = position;
}

Ipchains::Chain*
Ipchains::FindChain(const std::string& chain)
{
    auto it = m_tables.index.find(chain);
    return (it == m_tables.index.end()) ? nullptr : &m_tables.chains[it->second];
}

const Ipchains::Chain*
Ipchains::FindChain(const std::string& chain) const
{
    auto it = m_tables.index.find(chain);
    return (it == m_tables.index.end()) ? nullptr : &m_tables.chains[it->second];
}

Ipchains::Result
Ipchains::Fail(const std::string& error)
{
    Result r;
    r.ok = false;
    r.error = error;
    return r;
}

void
Ipchains::SetDivertAllowed(bool allowed)
{
    NS_LOG_FUNCTION(this << allowed);
    m_divertAllowed = allowed;
}

bool
Ipchains::IsDivertAllowed() const
{
    return m_divertAllowed;
}

void
Ipchains::SetFlowCacheSize(uint32_t flows)
{
    NS_LOG_FUNCTION(this << flows);
    m_flowCacheSize = flows;
    for (Chain& c : m_tables.chains)
    {
        c.classifier.SetFlowCacheSize(flows);
    }
}

uint32_t
Ipchains::GetFlowCacheSize() const
{
    return m_flowCacheSize;
}

// ---------------------------------------------------------------------------
// Evaluation

Ipchains::Verdict
Ipchains::Evaluate(Hook hook, FirewallPacket& packet, const EvaluateOptions& options)
{
    NS_LOG_FUNCTION(this << GetHookChainName(hook) << packet);
    bool passedThrough = false;
    Verdict v = Walk(static_cast<std::size_t>(hook),
                     options.resumeAfter,
                     packet,
                     false,
                     options,
                     passedThrough);
    NS_LOG_LOGIC(GetHookChainName(hook)
                 << ": " << ActionToString(v.action) << (v.loop ? " (loop)" : ""));
    return v;
}

void
Ipchains::Compile()
{
    NS_LOG_FUNCTION(this);
    for (Chain& c : m_tables.chains)
    {
        c.classifier.Compile(c.rules);
    }
}

std::size_t
Ipchains::GetClassifierMemory() const
{
    std::size_t bytes = 0;
    for (const Chain& c : m_tables.chains)
    {
        bytes += c.classifier.GetMemoryUsage();
    }
    return bytes;
}

bool
Ipchains::AcceptIfEmpty(Hook hook, uint32_t bytes)
{
    Chain& chain = m_tables.chains[static_cast<std::size_t>(hook)];
    if (!chain.rules.empty() || chain.policy != FirewallRule::ACCEPT)
    {
        return false;
    }
    chain.policyPackets++;
    chain.policyBytes += bytes;
    return true;
}

Ipchains::Verdict
Ipchains::Walk(std::size_t start,
               const std::vector<Frame>* resume,
               FirewallPacket& packet,
               bool testing,
               const EvaluateOptions& options,
               bool& passedThrough)
{
    // The call stack of the previous walk, emptied: no allocation once it
    // has grown to the depth of the chains. (A walk never starts inside
    // another one; if one ever did, it would find m_levels empty.)
    std::vector<Level> stack;
    stack.swap(m_levels);
    stack.clear();
    std::vector<PendingLog> logs;
    Verdict verdict;
    passedThrough = false;

    if (resume && !resume->empty() && resume->front().chain == m_tables.chains[start].name)
    {
        // Rebuild the call stack; drop frames that no longer describe the
        // chains, so the walk resumes as if the inner chain had ended.
        for (std::size_t k = 0; k < resume->size(); k++)
        {
            const Frame& f = (*resume)[k];
            const Chain* c = FindChain(f.chain);
            if (!c)
            {
                break;
            }
            std::size_t index = m_tables.index[f.chain];
            bool repeated = false;
            for (const Level& l : stack)
            {
                repeated = repeated || l.chain == index;
            }
            if (repeated)
            {
                break;
            }
            if (k > 0)
            {
                const Level& outer = stack.back();
                const Chain& oc = m_tables.chains[outer.chain];
                std::size_t jump = outer.next; // 1-based jump rule number
                if (jump == 0 || jump > oc.rules.size() ||
                    oc.rules[jump - 1].GetTarget() != FirewallRule::CHAIN ||
                    oc.rules[jump - 1].GetTargetChain() != f.chain)
                {
                    break;
                }
            }
            stack.push_back(Level{index, f.rule, {}});
        }
    }
    else if (resume && !resume->empty())
    {
        NS_LOG_WARN("resume point starts in chain " << resume->front().chain << ", not "
                                                    << m_tables.chains[start].name
                                                    << ": walking from the top");
    }
    if (stack.empty())
    {
        stack.push_back(Level{start, 0, {}});
    }

    auto frames = [this, &stack](std::size_t innermostRule) {
        std::vector<Frame> out;
        for (std::size_t k = 0; k < stack.size(); k++)
        {
            uint32_t rule =
                static_cast<uint32_t>((k + 1 == stack.size()) ? innermostRule : stack[k].next);
            out.push_back(Frame{m_tables.chains[stack[k].chain].name, rule});
        }
        return out;
    };

    bool decided = false;
    while (!decided)
    {
        Level& top = stack.back();
        Chain& chain = m_tables.chains[top.chain];
        bool fallOff = true;
        // The classifier gives the matching rules in order, as a test of
        // every rule with FirewallRule::Matches would: the rest of the walk
        // is ip_fw.c's. No test reads tos or mark, which matches change.
        const std::size_t end = chain.rules.size();
        for (std::size_t i = chain.classifier.Next(chain.rules, packet, top.next, top.cursor);
             i < end;
             i = chain.classifier.Next(chain.rules, packet, i + 1, top.cursor))
        {
            FirewallRule& rule = chain.rules[i];
            if (!testing)
            {
                // ip_fw.c ip_fw_domatch: count, log, then TOS and mark.
                rule.Count(packet.size);
                if (rule.GetLog())
                {
                    verdict.logged.push_back(Frame{chain.name, static_cast<uint32_t>(i + 1)});
                    logs.push_back(PendingLog{chain.name, static_cast<uint32_t>(i + 1), packet});
                }
                rule.Apply(packet);
            }

            FirewallRule::Target target = rule.GetTarget();
            if (target == FirewallRule::NONE)
            {
                continue; // an accounting rule: count and go on
            }
            if (target == FirewallRule::DIVERT && !testing)
            {
                bool listening =
                    options.divertListener && options.divertListener(rule.GetTargetPort());
                if (!listening && options.passThrough)
                {
                    // Pass-through kernel option: as if the rule had not matched.
                    continue;
                }
            }
            if (target == FirewallRule::RETURN)
            {
                break; // "Just like falling off the chain" (ip_fw.c)
            }
            if (target == FirewallRule::CHAIN)
            {
                auto it = m_tables.index.find(rule.GetTargetChain());
                if (it == m_tables.index.end())
                {
                    continue; // cannot happen: a referenced chain cannot be deleted
                }
                bool onStack = false;
                for (const Level& l : stack)
                {
                    onStack = onStack || l.chain == it->second;
                }
                if (onStack)
                {
                    // ip_fw.c: "Loop detected"; the packet is blocked.
                    verdict.action = Verdict::DENY;
                    verdict.loop = true;
                    verdict.position = frames(i + 1);
                    decided = true;
                    fallOff = false;
                    break;
                }
                top.next = i + 1;
                stack.push_back(Level{it->second, 0, {}});
                fallOff = false;
                break;
            }
            switch (target)
            {
            case FirewallRule::ACCEPT:
                verdict.action = Verdict::ACCEPT;
                break;
            case FirewallRule::DENY:
                verdict.action = Verdict::DENY;
                break;
            case FirewallRule::REJECT:
                verdict.action = Verdict::REJECT;
                break;
            case FirewallRule::MASQ:
                verdict.action = Verdict::MASQ;
                break;
            case FirewallRule::REDIRECT:
                verdict.action = Verdict::REDIRECT;
                verdict.port = rule.GetTargetPort();
                break;
            case FirewallRule::DIVERT:
                verdict.action = Verdict::DIVERT;
                verdict.port = rule.GetTargetPort();
                break;
            default:
                break;
            }
            verdict.position = frames(i + 1);
            decided = true;
            fallOff = false;
            break;
        }
        if (decided || !fallOff)
        {
            continue;
        }
        // Fell off the end of the chain, or RETURN.
        if (stack.size() > 1)
        {
            stack.pop_back();
            continue;
        }
        if (chain.builtin)
        {
            switch (chain.policy)
            {
            case FirewallRule::DENY:
                verdict.action = Verdict::DENY;
                break;
            case FirewallRule::REJECT:
                verdict.action = Verdict::REJECT;
                break;
            case FirewallRule::MASQ:
                verdict.action = Verdict::MASQ;
                break;
            default:
                verdict.action = Verdict::ACCEPT;
                break;
            }
            if (!testing)
            {
                chain.policyPackets++;
                chain.policyBytes += packet.size;
            }
        }
        else
        {
            // Only -C starts in a user chain: "passed through chain".
            passedThrough = true;
        }
        verdict.position.clear();
        decided = true;
    }
    verdict.mark = packet.mark;

    stack.swap(m_levels);

    // Trace after the walk, so that a sink that changes the chains cannot
    // pull them from under the loop above.
    for (const PendingLog& l : logs)
    {
        m_logTrace(l.chain, l.rule, l.packet);
    }
    return verdict;
}

Ipchains::Result
Ipchains::Check(const std::string& chain, const FirewallPacket& packet)
{
    NS_LOG_FUNCTION(this << chain << packet);
    std::string error = CheckChain(chain);
    if (!error.empty())
    {
        return Fail(error);
    }
    FirewallPacket copy = packet;
    EvaluateOptions options;
    bool passedThrough = false;
    Verdict v = Walk(m_tables.index[chain], nullptr, copy, true, options, passedThrough);
    Result r;
    r.output = CheckText(v, passedThrough) + "\n";
    return r;
}

// ---------------------------------------------------------------------------
// Checks shared by both front doors

std::string
Ipchains::CheckChain(const std::string& chain) const
{
    if (chain.size() > IpchainsParser::MAX_CHAIN_NAME)
    {
        return "chain name `" + chain + "' too long (must be under 8 chars)";
    }
    if (!FindChain(chain))
    {
        return "No chain by that name";
    }
    return "";
}

std::string
Ipchains::CheckRule(const std::string& chain, const FirewallRule& rule) const
{
    std::string error = rule.Validate();
    if (!error.empty())
    {
        return error;
    }
    // ipchains.c refuses these before it asks the kernel.
    if (rule.GetTarget() == FirewallRule::MASQ && (chain == "input" || chain == "output"))
    {
        return "masquerading not allowed for input and output chains";
    }
    if (rule.GetTarget() == FirewallRule::REDIRECT && (chain == "output" || chain == "forward"))
    {
        return "redirect not allowed for output and forward chains";
    }
    error = CheckChain(chain);
    if (!error.empty())
    {
        return error;
    }
    if (rule.GetTarget() == FirewallRule::CHAIN)
    {
        // ip_fw.c convert_ipfw answers ENOENT for both cases.
        if (IsBuiltinChain(rule.GetTargetChain()))
        {
            return "No target by that name (cannot jump to built-in chain `" +
                   rule.GetTargetChain() + "')";
        }
        if (!FindChain(rule.GetTargetChain()))
        {
            return "No target by that name";
        }
    }
    if ((rule.GetTarget() == FirewallRule::MASQ || rule.GetTarget() == FirewallRule::REDIRECT) &&
        !m_natAllowed)
    {
        return "No target by that name (MASQ and REDIRECT are not modelled on this node)";
    }
    if (rule.GetTarget() == FirewallRule::DIVERT && !m_divertAllowed)
    {
        return "No target by that name (divert sockets are disabled on this node: "
               "DIVERT is refused)";
    }
    return "";
}

std::string
Ipchains::CheckLoop(const std::string& chain, const FirewallRule& rule) const
{
    if (!m_refuseLoops || rule.GetTarget() != FirewallRule::CHAIN)
    {
        return "";
    }
    // A jump from `chain` to T closes a loop if `chain` can be reached
    // from T. Breadth-first over the jumps, in chain and rule order, so the
    // path in the message is the same on every run.
    const std::string& target = rule.GetTargetChain();
    std::map<std::string, std::string> parent;
    std::vector<std::string> queue{target};
    parent[target] = "";
    bool found = (target == chain);
    for (std::size_t q = 0; q < queue.size() && !found; q++)
    {
        const Chain* c = FindChain(queue[q]);
        if (!c)
        {
            continue;
        }
        for (const FirewallRule& r : c->rules)
        {
            if (r.GetTarget() != FirewallRule::CHAIN || parent.count(r.GetTargetChain()))
            {
                continue;
            }
            parent[r.GetTargetChain()] = queue[q];
            queue.push_back(r.GetTargetChain());
            if (r.GetTargetChain() == chain)
            {
                found = true;
                break;
            }
        }
    }
    if (!found)
    {
        return "";
    }
    std::vector<std::string> path;
    for (std::string n = chain; !n.empty(); n = parent[n])
    {
        path.insert(path.begin(), n);
        if (n == target)
        {
            break;
        }
    }
    std::string text = chain;
    for (const std::string& n : path)
    {
        text += " -> " + n;
    }
    return "jump to `" + target + "' would create a loop: " + text;
}

// ---------------------------------------------------------------------------
// Commands

Ipchains::Result
Ipchains::AddRules(const std::string& chain,
                   uint32_t number,
                   const FirewallRule& rule,
                   bool bidirectional,
                   bool verbose,
                   bool warnings)
{
    NS_LOG_FUNCTION(this << chain << number << rule << bidirectional);
    std::vector<FirewallRule> rules{rule};
    if (bidirectional)
    {
        rules.push_back(rule.GetMirror());
    }
    for (const FirewallRule& r : rules)
    {
        std::string error = CheckRule(chain, r);
        if (error.empty())
        {
            error = CheckLoop(chain, r);
        }
        if (!error.empty())
        {
            return Fail(error);
        }
    }
    Chain* c = FindChain(chain);
    if (number != 0 && number > c->rules.size() + 1)
    {
        return Fail(BAD_RULE);
    }
    Result result;
    if (warnings)
    {
        for (const std::string& w : rule.GetTosWarnings())
        {
            result.output += w + "\n";
        }
    }
    for (FirewallRule r : rules)
    {
        r.ResetCounters();
        if (verbose)
        {
            result.output += FormatRule(r, number, FMT_PRINT_RULE);
        }
        if (number == 0)
        {
            c->rules.push_back(r);
            c->classifier.NotifyInserted(c->rules.size() - 1);
        }
        else
        {
            // ipchains.c insert_entry inserts the mirror at the same
            // number, so it ends up in front of the rule.
            c->rules.insert(c->rules.begin() + (number - 1), r);
            c->classifier.NotifyInserted(number - 1);
        }
    }
    return result;
}

Ipchains::Result
Ipchains::AppendRule(const std::string& chain, const FirewallRule& rule)
{
    return AddRules(chain, 0, rule, false, false, true);
}

Ipchains::Result
Ipchains::InsertRule(const std::string& chain, uint32_t number, const FirewallRule& rule)
{
    if (number == 0)
    {
        return Fail("Invalid rule number `0'");
    }
    return AddRules(chain, number, rule, false, false, true);
}

Ipchains::Result
Ipchains::DeleteRules(const std::string& chain,
                      const FirewallRule& rule,
                      bool bidirectional,
                      bool verbose)
{
    NS_LOG_FUNCTION(this << chain << rule << bidirectional);
    std::string error = rule.Validate();
    if (error.empty())
    {
        error = CheckChain(chain);
    }
    if (!error.empty())
    {
        return Fail(error);
    }
    std::vector<FirewallRule> rules{rule};
    if (bidirectional)
    {
        rules.push_back(rule.GetMirror());
    }
    Chain* c = FindChain(chain);
    // Find every rule first (the mirror among the rules left once the
    // first is gone), so that a miss changes nothing.
    std::vector<std::size_t> victims;
    Result result;
    for (const FirewallRule& r : rules)
    {
        if (verbose)
        {
            result.output += FormatRule(r, 0, FMT_PRINT_RULE);
        }
        std::size_t found = c->rules.size();
        for (std::size_t i = 0; i < c->rules.size() && found == c->rules.size(); i++)
        {
            if (std::find(victims.begin(), victims.end(), i) == victims.end() &&
                c->rules[i].IsSameRule(r))
            {
                found = i;
            }
        }
        if (found == c->rules.size())
        {
            return Fail(BAD_RULE);
        }
        victims.push_back(found);
    }
    // Erase from the back, so that the positions stay right.
    std::sort(victims.rbegin(), victims.rend());
    for (std::size_t i : victims)
    {
        c->rules.erase(c->rules.begin() + i);
        c->classifier.NotifyErased(i);
    }
    return result;
}

Ipchains::Result
Ipchains::DeleteRule(const std::string& chain, const FirewallRule& rule)
{
    return DeleteRules(chain, rule, false, false);
}

Ipchains::Result
Ipchains::DeleteRule(const std::string& chain, uint32_t number)
{
    NS_LOG_FUNCTION(this << chain << number);
    if (number == 0)
    {
        return Fail("Invalid rule number `0'");
    }
    std::string error = CheckChain(chain);
    if (!error.empty())
    {
        return Fail(error);
    }
    Chain* c = FindChain(chain);
    if (number > c->rules.size())
    {
        return Fail(BAD_RULE);
    }
    c->rules.erase(c->rules.begin() + (number - 1));
    c->classifier.NotifyErased(number - 1);
    return Result();
}

Ipchains::Result
Ipchains::DoReplace(const std::string& chain,
                    uint32_t number,
                    const FirewallRule& rule,
                    bool verbose,
                    bool warnings)
{
    NS_LOG_FUNCTION(this << chain << number << rule);
    if (number == 0)
    {
        return Fail("Invalid rule number `0'");
    }
    std::string error = CheckRule(chain, rule);
    if (error.empty())
    {
        error = CheckLoop(chain, rule);
    }
    if (!error.empty())
    {
        return Fail(error);
    }
    Chain* c = FindChain(chain);
    if (number > c->rules.size())
    {
        return Fail(BAD_RULE);
    }
    Result result;
    if (warnings)
    {
        for (const std::string& w : rule.GetTosWarnings())
        {
            result.output += w + "\n";
        }
    }
    FirewallRule r = rule;
    r.ResetCounters();
    if (verbose)
    {
        result.output += FormatRule(r, number, FMT_PRINT_RULE);
    }
    c->rules[number - 1] = r;
    c->classifier.NotifyReplaced(number - 1);
    return result;
}

Ipchains::Result
Ipchains::ReplaceRule(const std::string& chain, uint32_t number, const FirewallRule& rule)
{
    return DoReplace(chain, number, rule, false, true);
}

Ipchains::Result
Ipchains::ForEachChain(const std::string& chain,
                       bool verbose,
                       const std::string& verb,
                       const std::function<void(Chain&)>& apply)
{
    if (!chain.empty())
    {
        std::string error = CheckChain(chain);
        if (!error.empty())
        {
            return Fail(error);
        }
    }
    Result result;
    for (Chain& c : m_tables.chains)
    {
        if (chain.empty() || c.name == chain)
        {
            if (verbose)
            {
                result.output += verb + " chain `" + c.name + "'\n";
            }
            apply(c);
        }
    }
    return result;
}

Ipchains::Result
Ipchains::DoFlush(const std::string& chain, bool verbose)
{
    NS_LOG_FUNCTION(this << chain);
    return ForEachChain(chain, verbose, "Flushing", [](Chain& c) {
        c.rules.clear();
        c.classifier.NotifyCleared();
    });
}

Ipchains::Result
Ipchains::Flush(const std::string& chain)
{
    return DoFlush(chain, false);
}

Ipchains::Result
Ipchains::DoZero(const std::string& chain, bool verbose)
{
    NS_LOG_FUNCTION(this << chain);
    return ForEachChain(chain, verbose, "Zeroing", [](Chain& c) {
        for (FirewallRule& r : c.rules)
        {
            r.ResetCounters();
        }
        // Choice: the policy counters are zeroed too (ip_fw.c
        // zero_fw_chain left them), so that -Z starts every count
        // `ipchains -L -v` shows from zero.
        c.policyPackets = 0;
        c.policyBytes = 0;
    });
}

Ipchains::Result
Ipchains::Zero(const std::string& chain)
{
    return DoZero(chain, false);
}

Ipchains::Result
Ipchains::NewChain(const std::string& chain)
{
    NS_LOG_FUNCTION(this << chain);
    if (chain.size() > IpchainsParser::MAX_CHAIN_NAME)
    {
        return Fail("chain name `" + chain + "' too long (must be under 8 chars)");
    }
    bool badCharacter = chain.empty() || chain[0] == '-' || chain[0] == '!';
    for (char ch : chain)
    {
        badCharacter = badCharacter || std::isspace(static_cast<unsigned char>(ch)) ||
                       !std::isprint(static_cast<unsigned char>(ch));
    }
    if (badCharacter)
    {
        return Fail("Invalid chain name `" + chain + "'");
    }
    if (IsSpecialTarget(chain))
    {
        // ipchains(8) -N: "There must be no target of that name already."
        return Fail("Invalid chain name `" + chain + "' (a built-in target has that name)");
    }
    if (FindChain(chain))
    {
        return Fail("Chain already exists");
    }
    Chain c;
    c.name = chain;
    c.builtin = false;
    c.policy = FirewallRule::NONE;
    c.classifier.SetFlowCacheSize(m_flowCacheSize);
    m_tables.chains.push_back(c);
    Reindex();
    return Result();
}

Ipchains::Result
Ipchains::DoDeleteChain(const std::string& chain, bool verbose)
{
    NS_LOG_FUNCTION(this << chain);
    std::vector<std::string> victims;
    if (chain.empty())
    {
        for (const Chain& c : m_tables.chains)
        {
            if (!c.builtin)
            {
                victims.push_back(c.name);
            }
        }
    }
    else
    {
        std::string error = CheckChain(chain);
        if (!error.empty())
        {
            return Fail(error);
        }
        victims.push_back(chain);
    }
    // All or nothing: check every chain before deleting any. The kernel
    // answers EBUSY for a built-in or referenced chain, ENOTEMPTY for a
    // chain with rules (ip_fw.c del_chain).
    for (const std::string& name : victims)
    {
        const Chain* c = FindChain(name);
        if (c->builtin)
        {
            return Fail("Device or resource busy (built-in chain `" + name +
                        "' cannot be deleted)");
        }
        uint32_t refs = GetReferenceCount(name);
        if (refs > 0)
        {
            return Fail("Device or resource busy (chain `" + name + "' has " +
                        std::to_string(refs) + (refs == 1 ? " reference)" : " references)"));
        }
        if (!c->rules.empty())
        {
            return Fail("Chain is not empty");
        }
    }
    Result result;
    for (const std::string& name : victims)
    {
        if (verbose)
        {
            result.output += "Deleting chain `" + name + "'\n";
        }
        for (auto it = m_tables.chains.begin(); it != m_tables.chains.end(); ++it)
        {
            if (it->name == name)
            {
                m_tables.chains.erase(it);
                break;
            }
        }
    }
    Reindex();
    return result;
}

Ipchains::Result
Ipchains::DeleteChain(const std::string& chain)
{
    return DoDeleteChain(chain, false);
}

Ipchains::Result
Ipchains::SetPolicy(const std::string& chain, const std::string& target)
{
    NS_LOG_FUNCTION(this << chain << target);
    // The checks and messages of ipchains.c parse_policy.
    FirewallRule::Target policy = FirewallRule::NONE;
    if (target == "MASQ")
    {
        if (chain != "forward")
        {
            return Fail("`-P MASQ' only valid for `forward' chain.");
        }
        if (!m_natAllowed)
        {
            return Fail("Bad policy name (MASQ is not modelled on this node)");
        }
        policy = FirewallRule::MASQ;
    }
    else
    {
        if (!IsBuiltinChain(chain))
        {
            return Fail("Can only set policy in built-in chains.");
        }
        if (target == "ACCEPT")
        {
            policy = FirewallRule::ACCEPT;
        }
        else if (target == "DENY")
        {
            policy = FirewallRule::DENY;
        }
        else if (target == "REJECT")
        {
            policy = FirewallRule::REJECT;
        }
        else
        {
            return Fail("Invalid policy `" + target + "' for -P");
        }
    }
    FindChain(chain)->policy = policy;
    return Result();
}

// ---------------------------------------------------------------------------
// Listing and queries

std::string
Ipchains::List(const std::string& chain, bool verbose, bool numeric, bool exact, bool lineNumbers)
    const
{
    if (!chain.empty() && !FindChain(chain))
    {
        return "";
    }
    // ipchains.c list_entries.
    unsigned format = FMT_OPTIONS;
    if (!verbose)
    {
        format |= FMT_NOCOUNTS;
    }
    else
    {
        format |= FMT_TOS | FMT_VIA | FMT_MARK | FMT_NETLINK;
    }
    if (numeric)
    {
        format |= FMT_NUMERIC;
    }
    if (!exact)
    {
        format |= FMT_KILOMEGAGIGA;
    }
    if (lineNumbers)
    {
        format |= FMT_LINENUMBERS;
    }
    std::string out;
    for (const Chain& c : m_tables.chains)
    {
        if (!chain.empty() && c.name != chain)
        {
            continue;
        }
        out += "Chain " + c.name + " ";
        if (!c.builtin)
        {
            Append(out, "(%u references):", GetReferenceCount(c.name));
        }
        else
        {
            out += "(policy " + FirewallRule::TargetToString(c.policy);
            if (verbose)
            {
                Append(out,
                       ": %llu packets, %llu bytes",
                       static_cast<unsigned long long>(c.policyPackets),
                       static_cast<unsigned long long>(c.policyBytes));
            }
            out += "):";
        }
        out += "\n";
        // The column header comes with the first rule of each chain.
        unsigned f = format | FMT_HEADER;
        uint32_t num = 1;
        for (const FirewallRule& r : c.rules)
        {
            out += FormatRule(r, num++, f);
            f &= ~FMT_HEADER;
        }
    }
    return out;
}

uint32_t
Ipchains::GetRuleCount(const std::string& chain) const
{
    const Chain* c = FindChain(chain);
    return c ? static_cast<uint32_t>(c->rules.size()) : 0;
}

const FirewallRule*
Ipchains::GetRule(const std::string& chain, uint32_t number) const
{
    const Chain* c = FindChain(chain);
    if (!c || number == 0 || number > c->rules.size())
    {
        return nullptr;
    }
    return &c->rules[number - 1];
}

uint64_t
Ipchains::GetPolicyPackets(Hook hook) const
{
    return m_tables.chains[static_cast<std::size_t>(hook)].policyPackets;
}

uint64_t
Ipchains::GetPolicyBytes(Hook hook) const
{
    return m_tables.chains[static_cast<std::size_t>(hook)].policyBytes;
}

bool
Ipchains::HasChain(const std::string& chain) const
{
    return FindChain(chain) != nullptr;
}

std::vector<std::string>
Ipchains::GetChainNames() const
{
    std::vector<std::string> names;
    for (const Chain& c : m_tables.chains)
    {
        names.push_back(c.name);
    }
    return names;
}

std::string
Ipchains::GetPolicy(const std::string& chain) const
{
    const Chain* c = FindChain(chain);
    if (!c || !c->builtin)
    {
        return "";
    }
    return FirewallRule::TargetToString(c->policy);
}

uint32_t
Ipchains::GetReferenceCount(const std::string& chain) const
{
    uint32_t refs = 0;
    for (const Chain& c : m_tables.chains)
    {
        for (const FirewallRule& r : c.rules)
        {
            if (r.GetTarget() == FirewallRule::CHAIN && r.GetTargetChain() == chain)
            {
                refs++;
            }
        }
    }
    return refs;
}

// ---------------------------------------------------------------------------
// Command lines

Ipchains::Result
Ipchains::Execute(const std::string& commandLine)
{
    NS_LOG_FUNCTION(this << commandLine);
    // Every command checks everything before it changes anything, so a
    // refused command leaves the tables as they were without a copy of
    // them (a script of thousands of rules stays linear).
    try
    {
        IpchainsCommand command;
        std::string error;
        if (!IpchainsParser::Parse(commandLine, command, error))
        {
            return Fail(error);
        }
        return Run(command);
    }
    catch (const std::exception& e)
    {
        return Fail(std::string("internal error: ") + e.what());
    }
}

Ipchains::Result
Ipchains::Run(const IpchainsCommand& cmd)
{
    bool warnings = !cmd.noWarnings;
    switch (cmd.kind)
    {
    case IpchainsCommand::APPEND:
        return AddRules(cmd.chain, 0, cmd.rule, cmd.bidirectional, cmd.verbose, warnings);
    case IpchainsCommand::INSERT:
        return AddRules(cmd.chain,
                        cmd.ruleNumber,
                        cmd.rule,
                        cmd.bidirectional,
                        cmd.verbose,
                        warnings);
    case IpchainsCommand::DELETE:
        return DeleteRules(cmd.chain, cmd.rule, cmd.bidirectional, cmd.verbose);
    case IpchainsCommand::DELETE_NUM:
        return DeleteRule(cmd.chain, cmd.ruleNumber);
    case IpchainsCommand::REPLACE:
        return DoReplace(cmd.chain, cmd.ruleNumber, cmd.rule, cmd.verbose, warnings);
    case IpchainsCommand::LIST: {
        if (!cmd.chain.empty())
        {
            std::string error = CheckChain(cmd.chain);
            if (!error.empty())
            {
                return Fail(error);
            }
        }
        Result r;
        r.output = List(cmd.chain, cmd.verbose, cmd.numeric, cmd.exact, cmd.lineNumbers);
        if (cmd.zero)
        {
            DoZero("", false);
        }
        return r;
    }
    case IpchainsCommand::FLUSH:
        return DoFlush(cmd.chain, cmd.verbose);
    case IpchainsCommand::ZERO:
        return DoZero(cmd.chain, cmd.verbose);
    case IpchainsCommand::NEW_CHAIN:
        return NewChain(cmd.chain);
    case IpchainsCommand::DELETE_CHAIN:
        return DoDeleteChain(cmd.chain, cmd.verbose);
    case IpchainsCommand::SET_POLICY:
        return SetPolicy(cmd.chain, cmd.policy);
    case IpchainsCommand::CHECK: {
        Result r;
        std::vector<FirewallPacket> packets{cmd.packet};
        if (cmd.bidirectional)
        {
            // -b checks the reversed packet too (ipchains.c check_packet);
            // ICMP type and code stay where they are.
            FirewallPacket back = cmd.packet;
            std::swap(back.source, back.destination);
            if (back.protocol != FirewallRule::PROTO_ICMP)
            {
                std::swap(back.sourcePort, back.destinationPort);
            }
            packets.push_back(back);
        }
        std::vector<FirewallRule> specs{cmd.rule};
        if (cmd.bidirectional)
        {
            specs.push_back(cmd.rule.GetMirror());
        }
        for (std::size_t k = 0; k < packets.size(); k++)
        {
            if (cmd.verbose)
            {
                r.output += FormatRule(specs[k], 0, FMT_PRINT_RULE);
            }
            Result one = Check(cmd.chain, packets[k]);
            if (!one.ok)
            {
                return one;
            }
            r.output += one.output;
        }
        return r;
    }
    case IpchainsCommand::VERSION: {
        Result r;
        r.output = "ipchains 1.3.9 with the divert patch (ns-3 simulation)\n";
        return r;
    }
    case IpchainsCommand::HELP: {
        Result r;
        r.output = cmd.icmpHelp ? IpchainsNames::IcmpHelp() : IpchainsParser::Usage();
        return r;
    }
    case IpchainsCommand::NONE:
        break;
    }
    return Fail("no command specified");
}

Ipchains::Result
Ipchains::ExecuteScript(const std::string& text, const std::string& origin)
{
    NS_LOG_FUNCTION(this << origin);
    Tables saved = m_tables;
    Result result;
    std::istringstream is(text);
    std::string line;
    uint32_t lineNumber = 0;
    while (std::getline(is, line))
    {
        lineNumber++;
        std::size_t hash = line.find('#');
        if (hash != std::string::npos)
        {
            line.erase(hash);
        }
        if (line.find_first_not_of(" \t\r\f\v") == std::string::npos)
        {
            continue;
        }
        Result r = Execute(line);
        result.output += r.output;
        if (!r.ok)
        {
            m_tables = saved;
            result.ok = false;
            result.error = origin + ":" + std::to_string(lineNumber) + ": " + r.error;
            NS_LOG_LOGIC("script refused: " << result.error);
            return result;
        }
    }
    return result;
}

Ipchains::Result
Ipchains::ExecuteFile(const std::string& path)
{
    NS_LOG_FUNCTION(this << path);
    std::ifstream file(path.c_str(), std::ios::in | std::ios::binary);
    if (!file)
    {
        return Fail("cannot open file `" + path + "'");
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad())
    {
        return Fail("cannot read file `" + path + "'");
    }
    return ExecuteScript(text.str(), path);
}

} // namespace ns3

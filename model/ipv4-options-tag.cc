/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-options-tag.h"

#include "ns3/abort.h"
#include "ns3/packet.h"

#include <iomanip>
#include <string>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(Ipv4OptionsTag);

std::atomic<bool> Ipv4OptionsTag::s_anyCarried{false};

TypeId
Ipv4OptionsTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Ipv4OptionsTag")
                            .SetParent<Tag>()
                            .SetGroupName("Divert")
                            .AddConstructor<Ipv4OptionsTag>();
    return tid;
}

TypeId
Ipv4OptionsTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

Ipv4OptionsTag::Ipv4OptionsTag() = default;

Ipv4OptionsTag::Ipv4OptionsTag(const std::vector<uint8_t>& options)
{
    SetOptions(options);
}

void
Ipv4OptionsTag::SetOptions(const std::vector<uint8_t>& options)
{
    NS_ABORT_MSG_IF(options.size() % 4 != 0 || options.size() > MAX_OPTIONS,
                    "IPv4 options of " << options.size()
                                       << " bytes: a multiple of 4, at most 40 (RFC 791)");
    m_options = options;
}

const std::vector<uint8_t>&
Ipv4OptionsTag::GetOptions() const
{
    return m_options;
}

Ipv4OptionsTag&
Ipv4OptionsTag::Scratch()
{
    // Every packet meets several look-ups on its way through a divert node:
    // one tag object for all of them spares constructing and destroying one
    // each time. Never destroyed, so usable until the program ends.
    static Ipv4OptionsTag* scratch = new Ipv4OptionsTag();
    return *scratch;
}

bool
Ipv4OptionsTag::AnyCarried()
{
    return s_anyCarried.load(std::memory_order_relaxed);
}

std::vector<uint8_t>
Ipv4OptionsTag::OptionsOf(const Ptr<const Packet>& payload)
{
    if (!AnyCarried())
    {
        return {};
    }
    Ipv4OptionsTag& tag = Scratch();
    if (payload && payload->PeekPacketTag(tag))
    {
        return tag.m_options;
    }
    return {};
}

uint32_t
Ipv4OptionsTag::HeaderLengthOf(const Ptr<const Packet>& payload)
{
    if (!AnyCarried())
    {
        return 20;
    }
    Ipv4OptionsTag& tag = Scratch();
    if (payload && payload->PeekPacketTag(tag))
    {
        return 20 + tag.m_options.size();
    }
    return 20;
}

void
Ipv4OptionsTag::SetOptionsOf(Ptr<Packet> payload, const std::vector<uint8_t>& options)
{
    Ipv4OptionsTag tag;
    payload->RemovePacketTag(tag);
    if (!options.empty())
    {
        payload->AddPacketTag(Ipv4OptionsTag(options));
    }
}

bool
Ipv4OptionsTag::Check(const std::vector<uint8_t>& options, std::string& error)
{
    // The message is built only for a refusal: a string stream costs more
    // than the check, and every datagram a divert socket sends is checked.
    if (options.size() % 4 != 0 || options.size() > MAX_OPTIONS)
    {
        error = std::to_string(options.size()) + " bytes of options: a multiple of 4, at most 40";
        return false;
    }
    // RFC 791 section 3.1, case 1 (one type octet) and case 2 (type, length,
    // data); Linux ip_options_compile() refuses a length below 2 or past the
    // end with ICMP parameter problem.
    uint32_t i = 0;
    while (i < options.size())
    {
        const uint8_t type = options[i];
        if (type == 0)
        {
            break; // End of Option List: the rest is padding.
        }
        if (type == 1)
        {
            ++i;
            continue;
        }
        if (i + 1 >= options.size())
        {
            error = "option type " + std::to_string(type) + " at byte " + std::to_string(i) +
                    " has no length byte";
            return false;
        }
        const uint8_t length = options[i + 1];
        if (length < 2 || i + length > options.size())
        {
            error = "option type " + std::to_string(type) + " at byte " + std::to_string(i) +
                    " has length " + std::to_string(length) + " (at least 2, at most " +
                    std::to_string(options.size() - i) + ")";
            return false;
        }
        i += length;
    }
    return true;
}

uint32_t
Ipv4OptionsTag::GetSerializedSize() const
{
    return 1 + m_options.size();
}

void
Ipv4OptionsTag::Serialize(TagBuffer i) const
{
    i.WriteU8(static_cast<uint8_t>(m_options.size()));
    if (!m_options.empty())
    {
        s_anyCarried.store(true, std::memory_order_relaxed);
        i.Write(m_options.data(), m_options.size());
    }
}

void
Ipv4OptionsTag::Deserialize(TagBuffer i)
{
    m_options.resize(i.ReadU8());
    if (!m_options.empty())
    {
        i.Read(m_options.data(), m_options.size());
    }
}

void
Ipv4OptionsTag::Print(std::ostream& os) const
{
    os << "options=";
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << std::hex << std::setfill('0');
    for (uint8_t b : m_options)
    {
        os << std::setw(2) << +b;
    }
    os.flags(flags);
    os.fill(fill);
}

} // namespace ns3

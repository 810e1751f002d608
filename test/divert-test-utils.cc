/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-test-utils.h"

#include "ns3/point-to-point-module.h"

#include <boost/test/unit_test.hpp>

using namespace ns3;

namespace divtest
{

SimulatorFixture::SimulatorFixture()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
}

SimulatorFixture::~SimulatorFixture()
{
    Simulator::Destroy();
    Names::Clear();
    Config::Reset();
}

Chain
MakeChain(std::vector<bool> divert,
          uint16_t leftMtu,
          uint16_t rightMtu,
          std::function<void(DivertStackHelper&)> configure)
{
    Chain c;
    c.nodes.Create(3);
    DivertStackHelper divertStack;
    divertStack.SetIpv6StackInstall(false);
    divertStack.SetIpv4ArpJitter(false);
    if (configure)
    {
        configure(divertStack);
    }
    InternetStackHelper plainStack;
    plainStack.SetIpv6StackInstall(false);
    plainStack.SetIpv4ArpJitter(false);
    for (uint32_t i = 0; i < 3; i++)
    {
        if (i < divert.size() && divert[i])
        {
            divertStack.Install(c.nodes.Get(i));
        }
        else
        {
            plainStack.Install(c.nodes.Get(i));
        }
    }
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(leftMtu));
    c.leftDevices = p2p.Install(c.nodes.Get(0), c.nodes.Get(1));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(rightMtu));
    c.rightDevices = p2p.Install(c.nodes.Get(1), c.nodes.Get(2));
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    c.left = addresses.Assign(c.leftDevices);
    addresses.SetBase("10.1.2.0", "255.255.255.0");
    c.right = addresses.Assign(c.rightDevices);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    return c;
}

Ptr<DivertIpv4L3Protocol>
Stack(Ptr<Node> node)
{
    Ptr<DivertIpv4L3Protocol> stack = DivertStackHelper::GetStack(node);
    BOOST_REQUIRE_MESSAGE(stack, "node " << node->GetId() << " has no divert stack");
    return stack;
}

void
Rule(Ptr<Node> node, const std::string& command)
{
    Ipchains::Result r = Stack(node)->GetFirewall()->Execute(command);
    BOOST_REQUIRE_MESSAGE(r.ok, "ipchains " << command << ": " << r.error);
}

namespace
{
void
RunFunction(std::function<void()> f)
{
    f();
}
} // namespace

void
At(Time at, std::function<void()> f)
{
    Simulator::Schedule(at, &RunFunction, f);
}

Bytes
Pattern(uint32_t size, uint8_t seed)
{
    Bytes b(size);
    for (uint32_t i = 0; i < size; i++)
    {
        b[i] = static_cast<uint8_t>((i * 7 + seed) & 0xff);
    }
    return b;
}

Bytes
ToBytes(Ptr<const Packet> p)
{
    Bytes b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

UdpProbe::UdpProbe(Ptr<Node> node, uint16_t port)
{
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    m_socket->SetRecvCallback(MakeCallback(&UdpProbe::Read, this));
}

uint64_t
UdpProbe::TotalBytes() const
{
    uint64_t n = 0;
    for (const auto& b : received)
    {
        n += b.size();
    }
    return n;
}

void
UdpProbe::Read(Ptr<Socket> s)
{
    while (Ptr<Packet> p = s->Recv())
    {
        received.push_back(ToBytes(p));
    }
}

namespace
{
void
DoSendUdp(Ptr<Node> from, Ipv4Address to, uint16_t port, Bytes payload, bool dontFragment)
{
    Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
    s->SetAttribute("MtuDiscover", BooleanValue(dontFragment));
    s->Bind();
    s->SendTo(Create<Packet>(payload.data(), payload.size()), 0, InetSocketAddress(to, port));
    s->Close();
}
} // namespace

void
SendUdp(Ptr<Node> from,
        Ipv4Address to,
        uint16_t port,
        const Bytes& payload,
        Time at,
        bool dontFragment)
{
    Simulator::Schedule(at, &DoSendUdp, from, to, port, payload, dontFragment);
}

IcmpProbe::IcmpProbe(Ptr<Node> node)
{
    m_socket = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
    m_socket->SetAttribute("Protocol", UintegerValue(1));
    m_socket->SetRecvCallback(MakeCallback(&IcmpProbe::Read, this));
}

uint32_t
IcmpProbe::Count(uint8_t type, uint8_t code) const
{
    uint32_t n = 0;
    for (const auto& m : messages)
    {
        n += (m.type == type && m.code == code) ? 1 : 0;
    }
    return n;
}

void
IcmpProbe::Read(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        Ipv4Header ip;
        p->RemoveHeader(ip);
        Bytes b = ToBytes(p);
        if (b.size() < 8)
        {
            continue;
        }
        messages.push_back(
            Message{b[0], b[1], static_cast<uint16_t>((b[6] << 8) | b[7]), ip.GetSource()});
    }
}

DivertProbe::DivertProbe(Ptr<Node> node, uint16_t port, bool echo)
    : m_echo(echo)
{
    socket = Socket::CreateSocket(node, DivertSocketFactory::GetTypeId());
    BOOST_REQUIRE_EQUAL(socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)), 0);
    socket->SetRecvCallback(MakeCallback(&DivertProbe::Read, this));
}

void
DivertProbe::Read(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        InetSocketAddress inet = InetSocketAddress::ConvertFrom(from);
        received.push_back(Item{ToBytes(p), inet});
        if (m_echo)
        {
            s->SendTo(p, 0, from);
        }
    }
}

Bytes
MakeDatagram(Ipv4Address src,
             Ipv4Address dst,
             uint8_t protocol,
             const Bytes& payload,
             uint16_t id,
             uint8_t ttl)
{
    Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
    Ipv4Header h;
    h.SetSource(src);
    h.SetDestination(dst);
    h.SetProtocol(protocol);
    h.SetPayloadSize(payload.size());
    h.SetIdentification(id);
    h.SetTtl(ttl);
    h.EnableChecksum();
    p->AddHeader(h);
    return ToBytes(p);
}

Bytes
MakeUdpDatagram(Ipv4Address src,
                Ipv4Address dst,
                uint16_t sport,
                uint16_t dport,
                const Bytes& payload,
                uint16_t id)
{
    Bytes udp(8 + payload.size());
    udp[0] = sport >> 8;
    udp[1] = sport & 0xff;
    udp[2] = dport >> 8;
    udp[3] = dport & 0xff;
    udp[4] = udp.size() >> 8;
    udp[5] = udp.size() & 0xff;
    std::copy(payload.begin(), payload.end(), udp.begin() + 8);
    return MakeDatagram(src, dst, 17, udp, id);
}

} // namespace divtest

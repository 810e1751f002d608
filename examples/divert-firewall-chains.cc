/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// An ipchains firewall with user chains, DENY and REJECT, and policies.
//
//   client (10.1.1.1) ---eth0--- fw (10.1.1.2 | 10.1.2.1) ---eth1--- server (10.1.2.2)
//   plain stack                  divert stack, ipchains rules        plain stack, UDP
//                                                                    sockets on every port
//
// The rules are loaded with ExecuteScript from the script below. The client
// sends two UDP datagrams to each of six destinations; each meets another
// part of the firewall. A raw ICMP socket on the client counts the ICMP
// errors that come back for each destination: REJECT answers (host
// unreachable from the forward chain, port unreachable from the input
// chain), DENY and a DENY policy stay silent.
//
// At the end: the `ipchains -L -v` listing (its counters tell where each
// datagram went) and a few `ipchains -C` checks.
//
// Run: divert-firewall-chains [--count=N]

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
// '#' starts a comment, as in a shell script of ipchains commands.
const char* g_script = R"(
# fw forwards between the client LAN (eth0) and the server LAN (eth1).
-P forward DENY                           # forward nothing unless a rule says so
-N udpin                                  # UDP from the client LAN
-N quiet                                  # what we drop without a word
-A forward -p tcp -d 10.1.2.2 80 -j ACCEPT                # web server, both ways
-A forward -p tcp -s 10.1.2.2 80 -j ACCEPT
-A forward -p udp -s 10.1.1.0/24 -i eth1 -j udpin
-A udpin -p udp -d 0/0 53 -j ACCEPT                       # DNS
-A udpin -p udp -d 0/0 137:139 -j quiet                   # NetBIOS chatter
-A udpin -p udp -d 0/0 69 -j REJECT                       # TFTP: refused, and say so
-A quiet -j DENY
# fw itself
-A input -p udp -d 10.1.1.2 161 -j DENY                   # SNMP: silence
-A input -p udp -d 10.1.1.2 514 -j REJECT                 # syslog: refused, and say so
)";

/// One destination the client sends to.
struct Flow
{
    Ipv4Address to;       //!< destination address
    uint16_t port;        //!< destination port
    std::string expected; //!< what the firewall does with it
};

std::map<uint16_t, uint32_t> g_delivered;    //!< datagrams received, by destination port
std::map<uint16_t, uint32_t> g_icmpErrors;   //!< ICMP errors about a port, by destination port
std::map<std::string, uint32_t> g_icmpKinds; //!< ICMP errors by kind

void
Receive(Ptr<Socket> socket)
{
    Address local;
    socket->GetSockName(local);
    while (socket->Recv())
    {
        g_delivered[InetSocketAddress::ConvertFrom(local).GetPort()]++;
    }
}

/// Reads every ICMP message the client receives (as the tests' IcmpProbe does).
void
ReceiveIcmp(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        Ipv4Header ip;
        p->RemoveHeader(ip);
        // ICMP header (8 bytes), then the offending IPv4 header (20) and 8 bytes of UDP.
        uint8_t b[36];
        if (p->GetSize() < sizeof(b))
        {
            continue;
        }
        p->CopyData(b, sizeof(b));
        if (b[0] != Icmpv4Header::ICMPV4_DEST_UNREACH)
        {
            continue;
        }
        uint16_t port = (b[30] << 8) | b[31];
        g_icmpErrors[port]++;
        g_icmpKinds[b[1] == Icmpv4DestinationUnreachable::ICMPV4_HOST_UNREACHABLE
                        ? "host unreachable"
                        : (b[1] == Icmpv4DestinationUnreachable::ICMPV4_PORT_UNREACHABLE
                               ? "port unreachable"
                               : "other unreachable")]++;
    }
}

void
SendDatagram(Ptr<Socket> socket, Ipv4Address to, uint16_t port)
{
    socket->SendTo(Create<Packet>(64), 0, InetSocketAddress(to, port));
}

void
Check(Ptr<Ipchains> firewall, const std::string& command)
{
    Ipchains::Result r = firewall->Execute(command);
    std::cout << "ipchains " << command << "\n  " << (r.ok ? r.output : r.error + "\n");
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t count = 2;
    CommandLine cmd(__FILE__);
    cmd.AddValue("count", "UDP datagrams sent to each destination", count);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(3);
    InternetStackHelper plain;
    plain.SetIpv6StackInstall(false);
    plain.Install(nodes.Get(0));
    plain.Install(nodes.Get(2));
    DivertStackHelper divert;
    divert.SetIpv6StackInstall(false);
    divert.Install(nodes.Get(1));

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer left = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer right = p2p.Install(nodes.Get(1), nodes.Get(2));
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer leftIf = addresses.Assign(left);
    addresses.SetBase("10.1.2.0", "255.255.255.0");
    Ipv4InterfaceContainer rightIf = addresses.Assign(right);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    Ptr<Ipchains> firewall = DivertStackHelper::GetStack(nodes.Get(1))->GetFirewall();
    Ipchains::Result r = firewall->ExecuteScript(g_script, "fw-rules");
    NS_ABORT_MSG_UNLESS(r.ok, r.error);

    const Ipv4Address server = rightIf.GetAddress(1);
    const Ipv4Address fw = leftIf.GetAddress(1);
    const std::vector<Flow> flows{
        {server, 53, "udpin rule 1: ACCEPT"},
        {server, 137, "udpin -> quiet: DENY"},
        {server, 69, "udpin rule 3: REJECT"},
        {server, 5000, "falls off udpin: policy DENY"},
        {fw, 161, "input rule 1: DENY"},
        {fw, 514, "input rule 2: REJECT"},
    };

    // The server listens on every port used, so that whatever the firewall
    // lets through is delivered. fw itself has no socket on 161 or 514: without
    // the DENY rule its UDP layer would answer 161 with a port unreachable.
    for (const Flow& f : flows)
    {
        if (f.to == server)
        {
            Ptr<Socket> s = Socket::CreateSocket(nodes.Get(2), UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(Ipv4Address::GetAny(), f.port));
            s->SetRecvCallback(MakeCallback(&Receive));
        }
    }
    Ptr<Socket> icmp = Socket::CreateSocket(nodes.Get(0), Ipv4RawSocketFactory::GetTypeId());
    icmp->SetAttribute("Protocol", UintegerValue(Icmpv4L4Protocol::PROT_NUMBER));
    icmp->SetRecvCallback(MakeCallback(&ReceiveIcmp));
    Ptr<Socket> client = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
    client->Bind(InetSocketAddress(Ipv4Address::GetAny(), 1025));
    for (uint32_t i = 0; i < count; i++)
    {
        for (uint32_t k = 0; k < flows.size(); k++)
        {
            Simulator::Schedule(Seconds(1 + i + 0.1 * k),
                                &SendDatagram,
                                client,
                                flows[k].to,
                                flows[k].port);
        }
    }

    Simulator::Stop(Seconds(2 + count));
    Simulator::Run();

    std::cout << "client 10.1.1.1:1025 sends " << count << " UDP datagrams to each:\n"
              << std::left << std::setw(18) << "  destination" << std::setw(31) << "firewall"
              << std::right << std::setw(10) << "delivered" << std::setw(13) << "ICMP errors"
              << "\n";
    for (const Flow& f : flows)
    {
        std::ostringstream to;
        to << "  " << f.to << ":" << f.port;
        std::cout << std::left << std::setw(18) << to.str() << std::setw(31) << f.expected
                  << std::right << std::setw(10) << g_delivered[f.port] << std::setw(13)
                  << g_icmpErrors[f.port] << "\n";
    }
    DivertIpv4L3Protocol::DivertStats s =
        DivertStackHelper::GetStack(nodes.Get(1))->GetDivertStats();
    std::cout << "ICMP errors at the client:";
    const char* sep = " ";
    for (const auto& kind : g_icmpKinds)
    {
        std::cout << sep << kind.second << " " << kind.first;
        sep = ", ";
    }
    std::cout << (g_icmpKinds.empty() ? " none" : "") << ".\n"
              << "fw dropped " << s.ruleDrops << " datagrams (rules and policies), " << s.rejected
              << " of them by REJECT.\n"
              << "REJECT tells the sender; DENY, as a rule or a policy, drops without a word.\n\n";

    std::cout << "ipchains -L -v\n" << firewall->List("", true);

    std::cout << "\n";
    Check(firewall, "-C input -p tcp -s 10.1.1.1 1025 -d 10.1.1.2 80 -i eth0");
    Check(firewall, "-C forward -p tcp -s 10.1.1.1 1025 -d 10.1.2.2 80 -i eth1");
    Check(firewall, "-C forward -p tcp -s 10.1.1.1 1025 -d 10.1.2.2 23 -i eth1");
    Check(firewall, "-C forward -p udp -s 10.1.1.1 1025 -d 10.1.2.2 69 -i eth1");
    Check(firewall, "-C udpin -p udp -s 10.1.1.1 1025 -d 10.1.2.2 5000 -i eth1");
    Simulator::Destroy();
    return 0;
}

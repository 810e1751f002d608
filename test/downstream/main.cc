// SPDX-License-Identifier: GPL-2.0-only
// Built against the installed module by test/downstream/run.sh.

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

int
main()
{
    NodeContainer nodes;
    nodes.Create(2);
    DivertStackHelper stack;
    stack.Install(nodes);
    PointToPointHelper p2p;
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addresses.Assign(p2p.Install(nodes));
    Ptr<Ipchains> fw = DivertStackHelper::GetStack(nodes.Get(1))->GetFirewall();
    Ipchains::Result bad = fw->Execute("-A input -p udpp");
    Ipchains::Result good = fw->Execute("-A input -p udp -j DENY");
    Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(1), UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    Ptr<Socket> source = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
    Simulator::Schedule(Seconds(1), [&]() {
        source->SendTo(Create<Packet>(100), 0, InetSocketAddress(ifs.GetAddress(1), 9));
    });
    Simulator::Run();
    std::cout << "refused: " << bad.error << "\n"
              << "denied by rule 1: " << fw->GetRule("input", 1)->GetPackets() << " packet(s)\n"
              << "received: " << sink->GetRxAvailable() << " bytes\n";
    Simulator::Destroy();
    return (!bad.ok && good.ok) ? 0 : 1;
}

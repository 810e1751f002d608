"""Bound classes met mostly as return values, checked by name; a few smaller APIs."""

import pytest

import ns3divert as ns
from topo import Line


def test_types_of_returned_objects():
    line = Line()
    assert isinstance(line.left_if, ns.Ipv4InterfaceContainer)
    assert isinstance(line.right_if.GetAddress(0), ns.Ipv4Address)
    apps = ns.UdpEchoServerHelper(9).Install(line.h1)
    assert isinstance(apps, ns.ApplicationContainer) and len(apps) == 1
    assert isinstance(apps[0], ns.Application) and apps[0].GetNode() is line.h1
    assert isinstance(ns.Simulator.Schedule(ns.Seconds(1), print), ns.EventId)
    assert isinstance(ns.Ipv4StaticRoutingHelper(), ns.Ipv4RoutingHelper)
    assert isinstance(line.stack.GetRoutingProtocol(), ns.Ipv4RoutingProtocol)
    assert isinstance(line.p2p, ns.PcapHelperForDevice)
    assert isinstance(line.p2p, ns.AsciiTraceHelperForDevice)
    assert isinstance(line.divert, ns.PcapHelperForIpv4)
    assert isinstance(line.divert, ns.AsciiTraceHelperForIpv4)
    assert isinstance(ns.AsciiTraceHelper().CreateFileStream("s.tr"), ns.OutputStreamWrapper)
    assert isinstance(ns.LOG_LEVEL_INFO, ns.LogLevel)


def test_interface_addresses_and_divert_socket_from_the_stack():
    line = Line()
    ipv4 = ns.GetIpv4(line.r)
    assert ipv4.AddAddress(1, ns.Ipv4InterfaceAddress("10.1.1.20", "255.255.255.0"))
    assert ipv4.GetNAddresses(1) == 2
    assert ipv4.GetAddress(1, 1).GetLocal() == ns.Ipv4Address("10.1.1.20")
    assert ipv4.GetInterfaceForAddress("10.1.1.20") == 1
    assert ipv4.GetInterfaceForDevice(line.left[1]) == 1
    assert ipv4.IsUp(1) and ipv4.GetMtu(1) == 1500
    sock = line.stack.CreateDivertSocket()
    assert isinstance(sock, ns.DivertSocket)
    sock.bind(("0.0.0.0", 0))
    assert sock.GetPort() != 0 and sock.GetDropCount() == 0


def test_tcp_header_and_firewall_packet_from_bytes():
    tcp = ns.TcpHeader()
    tcp.SetSourcePort(1234)
    tcp.SetDestinationPort(80)
    tcp.SetFlags(0x02)  # SYN
    raw = bytes(tcp)
    back = ns.TcpHeader.FromBytes(raw)
    assert (back.GetSourcePort(), back.GetDestinationPort(), back.GetFlags()) == (1234, 80, 2)
    ip = ns.Ipv4Header()
    ip.SetSource("10.0.0.1")
    ip.SetDestination("10.0.0.2")
    ip.SetProtocol(6)
    ip.SetPayloadSize(len(raw))
    described = ns.FirewallPacket.FromBytes(bytes(ip) + raw, "eth0", 5)
    assert (described.sourcePort, described.destinationPort, described.syn) == (1234, 80, True)
    assert (described.interface, described.mark, described.size) == ("eth0", 5, 40)
    same = ns.FirewallPacket.Describe(ip, raw, "eth0", 5)
    assert same.sourcePort == 1234 and "10.0.0.1" in repr(same)
    rule = ns.FirewallRule.FromString("-p tcp -y -d 10.0.0.2 80 -j DENY")
    assert rule.Matches(described)
    chains = ns.Ipchains()
    chains.AppendRule("input", rule)
    assert chains.Check("input", described) == "denied\n"
    with pytest.raises(ValueError):
        ns.FirewallPacket.FromBytes(b"\x45")


def test_config_set_global_and_logging_switches():
    ns.Config.SetGlobal("ChecksumEnabled", True)
    assert ns.GlobalValue.GetValueByName("ChecksumEnabled") is True
    ns.LogComponentEnableAll(ns.LOG_NONE)
    ns.LogComponentDisableAll(ns.LOG_LEVEL_ALL)

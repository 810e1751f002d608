"""Internet: stacks, addressing, routing, applications, tracing helpers."""

import glob
import os

import pytest

import ns3divert as ns
from ns3divert import pcap
from topo import Line


def test_address_helper_checks_instead_of_aborting():
    nodes = ns.NodeContainer(2)
    devices = ns.PointToPointHelper().Install(nodes)
    helper = ns.Ipv4AddressHelper()
    with pytest.raises(ValueError, match="SetBase"):
        helper.Assign(devices)
    helper.SetBase("10.1.1.0", "255.255.255.0")
    with pytest.raises(ValueError, match="without an IPv4 stack"):
        helper.Assign(devices)
    ns.InternetStackHelper().Install(nodes)
    with pytest.raises(ValueError, match="already has an IPv4 stack"):
        ns.InternetStackHelper().Install(nodes[0])
    with pytest.raises(ValueError, match="already has an IPv4 stack"):
        ns.DivertStackHelper().Install(nodes[0])
    interfaces = helper.Assign(devices)
    assert [str(interfaces.GetAddress(i)) for i in range(2)] == ["10.1.1.1", "10.1.1.2"]
    again = ns.Ipv4AddressHelper("10.1.1.0", "255.255.255.0")
    with pytest.raises(ValueError, match="collision: 10.1.1.1"):
        again.Assign(devices)
    tiny = ns.Ipv4AddressHelper("10.9.9.0", "255.255.255.252")
    tiny.NewAddress()
    tiny.NewAddress()
    with pytest.raises(ValueError, match="overflow"):
        tiny.NewAddress()
    with pytest.raises(ValueError):
        ns.Ipv4AddressHelper("10.1.1.1", "255.255.255.0")  # host bits set
    ipv4, iface = interfaces.Get(0)
    assert isinstance(ipv4, ns.Ipv4L3Protocol)
    assert ipv4.GetAddress(iface).GetLocal() == ns.Ipv4Address("10.1.1.1")
    assert ipv4.GetAddress(iface, 0).GetMask() == ns.Ipv4Mask("/24")
    assert ipv4.GetNInterfaces() == 2  # loopback + the device
    with pytest.raises(IndexError):
        ipv4.GetAddress(5)


def test_echo_applications_and_global_routing():
    line = Line()
    server = ns.UdpEchoServerHelper(9).Install(line.h1)
    server.Start(ns.Seconds(0.5))
    client_helper = ns.UdpEchoClientHelper(line.right_if.GetAddress(1), 9)
    client_helper.SetAttribute("MaxPackets", 3)
    client_helper.SetAttribute("Interval", ns.Seconds(0.5))
    client_helper.SetAttribute("PacketSize", 100)
    client = client_helper.Install(line.h0)
    client.Start(ns.Seconds(1))
    client.Stop(ns.Seconds(5))
    tx, rx = [], []
    client.Get(0).TraceConnectWithoutContext("Tx", lambda p: tx.append(len(p)))
    client.Get(0).TraceConnectWithoutContext("Rx", lambda p: rx.append(ns.Simulator.Now()))
    with pytest.raises(ValueError, match="not found in ns3::UdpEchoClient"):
        client_helper.SetAttribute("MaxPacket", 3)
    ns.Simulator.Run()
    assert tx == [100, 100, 100]
    assert len(rx) == 3 and rx[0] > ns.Seconds(1)


def test_onoff_packet_sink_rx_trace_and_total_rx():
    line = Line()
    sink_apps = ns.PacketSinkHelper("ns3::UdpSocketFactory", ("0.0.0.0", 9)).Install(line.h1)
    sink = sink_apps.Get(0)
    assert isinstance(sink, ns.PacketSink)
    received = []
    sink.TraceConnectWithoutContext("Rx", lambda p, addr: received.append((len(p), addr)))
    onoff = ns.OnOffHelper("ns3::UdpSocketFactory", ("10.1.2.2", 9))
    onoff.SetConstantRate("800kbps", 100)
    onoff.SetAttribute("MaxBytes", 1000)
    apps = onoff.Install(line.nodes.Get(0))
    apps.Start(ns.Seconds(1))
    apps.Stop(ns.Seconds(3))
    ns.Simulator.Stop(ns.Seconds(4))
    ns.Simulator.Run()
    assert sink.GetTotalRx() == 1000
    assert len(received) == 10 and received[0] == (100, ("10.1.1.1", 49153))


def test_bulk_send_over_tcp_through_divert_router():
    line = Line()
    sink = ns.PacketSinkHelper("ns3::TcpSocketFactory", ("0.0.0.0", 5000)).Install(line.h1)
    bulk = ns.BulkSendHelper("ns3::TcpSocketFactory", ("10.1.2.2", 5000))
    bulk.SetAttribute("MaxBytes", 50000)
    bulk.Install(line.h0).Start(ns.Seconds(1))
    line.firewall.Execute("-A forward -p tcp -j DIVERT 7000")
    interceptor = ns.DivertInterceptorHelper(7000).Install(line.r)
    ns.Simulator.Stop(ns.Seconds(10))
    ns.Simulator.Run()
    assert sink.Get(0).GetTotalRx() == 50000
    counters = interceptor.Get(0).GetCounters()
    assert counters.received == counters.passed > 30


def test_application_helpers_check_the_stack_first():
    nodes = ns.NodeContainer(1)
    with pytest.raises(ValueError, match="install a stack"):
        ns.PacketSinkHelper("ns3::UdpSocketFactory", ("0.0.0.0", 9)).Install(nodes)
    with pytest.raises(ValueError, match="not a socket factory"):
        ns.OnOffHelper("ns3::Node", ("10.0.0.1", 9))
    with pytest.raises(ValueError, match="unknown TypeId"):
        ns.BulkSendHelper("ns3::TcpSocketFactori", ("10.0.0.1", 9))


def test_static_host_and_network_routes():
    # h0 -- r -- h1 without global routing: static routes only.
    nodes = ns.NodeContainer(3)
    ns.InternetStackHelper().Install(ns.NodeContainer(nodes[0], nodes[2]))
    ns.DivertStackHelper().Install(nodes[1])
    p2p = ns.PointToPointHelper()
    left = p2p.Install(nodes[0], nodes[1])
    right = p2p.Install(nodes[1], nodes[2])
    addresses = ns.Ipv4AddressHelper("10.1.1.0", "255.255.255.0")
    addresses.Assign(left)
    addresses.SetBase("10.1.2.0", "255.255.255.0")
    addresses.Assign(right)
    static = ns.Ipv4StaticRoutingHelper()
    h0 = static.GetStaticRouting(nodes[0])
    h0.AddHostRouteTo("10.1.2.2", "10.1.1.2", 1)
    h1 = static.GetStaticRouting(ns.GetIpv4(nodes[2]))
    h1.AddNetworkRouteTo("10.1.1.0", "255.255.255.0", "10.1.2.1", 1)
    assert "10.1.2.2" in h0.PrintRoutingTable()
    with pytest.raises(IndexError):
        h0.AddHostRouteTo("10.1.2.2", "10.1.1.2", 7)  # h0 has interfaces 0 and 1 only
    with pytest.raises(IndexError):
        h0.SetDefaultRoute("10.1.1.2", 2)
    assert isinstance(h0, ns.Ipv4StaticRouting) and h0.GetNRoutes() >= 2

    sink = ns.Socket.CreateSocket(nodes[2], "ns3::UdpSocketFactory")
    sink.bind(("0.0.0.0", 9))
    got = []
    sink.SetRecvCallback(lambda s: got.append(s.recvfrom()))
    src = ns.Socket.CreateSocket(nodes[0], "ns3::UdpSocketFactory")
    ns.Simulator.Schedule(ns.Seconds(1), src.sendto, b"routed", ("10.1.2.2", 9))
    ns.Simulator.Run()
    assert got[0][0] == b"routed"


def traced_scenario():
    """A Line with every kind of pcap/ascii tracing; returns what h1 received."""
    line = Line()
    line.p2p.EnablePcapAll("all")
    line.p2p.EnablePcap("one", line.right.Get(1), False, True)
    line.p2p.EnablePcap("nodes", ns.NodeContainer(line.h0))
    line.p2p.EnableAsciiAll("ascii")
    stream = ns.AsciiTraceHelper().CreateFileStream("stream.tr")
    line.p2p.EnableAscii(stream, line.left)
    line.divert.EnablePcapIpv4("ipv4", ns.NodeContainer(line.r))
    line.divert.EnableAsciiIpv4("ipv4ascii", ns.NodeContainer(line.r))
    sink = line.udp_sink()
    line.send_udp(line.udp_source(), [b"a" * 50, b"b" * 60])
    ns.Simulator.Run()
    return [data for data, _ in sink.received]


def test_pcap_and_ascii_tracing_helpers():
    assert traced_scenario() == [b"a" * 50, b"b" * 60]
    # The files are complete once their writers are gone: Destroy() disposes
    # the nodes, and the Python references to devices went with the function.
    ns.Simulator.Destroy()
    # Device 0 of each node is its loopback (the stacks went in first).
    assert sorted(glob.glob("all-*.pcap")) == ["all-0-1.pcap", "all-1-1.pcap", "all-1-2.pcap",
                                               "all-2-1.pcap"]
    capture = pcap.read("one")
    assert capture.linktype == pcap.DLT_PPP
    payloads = [pcap.strip_link_header(capture, r.data)[28:] for r in capture.records]
    assert payloads == [b"a" * 50, b"b" * 60]
    assert pcap.read("all-2-1.pcap") == capture
    assert os.path.getsize("nodes-0-1.pcap") > 24
    assert os.path.getsize("ascii-1-1.tr") > 0 and os.path.getsize("stream.tr") > 0
    assert glob.glob("ipv4-n1-i*.pcap") and glob.glob("ipv4ascii-n1-i*.tr")


def test_csma_segment():
    nodes = ns.NodeContainer(3)
    csma = ns.CsmaHelper()
    csma.SetChannelAttribute("DataRate", "100Mbps")
    csma.SetChannelAttribute("Delay", ns.MicroSeconds(5))
    csma.SetDeviceAttribute("Mtu", 1400)
    with pytest.raises(ValueError):
        csma.SetChannelAttribute("Mtu", 1400)
    devices = csma.Install(nodes)
    ns.DivertStackHelper().Install(nodes)
    interfaces = ns.Ipv4AddressHelper("192.168.0.0", "255.255.255.0").Assign(devices)
    csma.EnablePcapAll("lan")
    sink = ns.Socket.CreateSocket(nodes[2], "ns3::UdpSocketFactory")
    sink.bind(("0.0.0.0", 9))
    got = []
    sink.SetRecvCallback(lambda s: got.append(s.recvfrom()[0]))
    src = ns.Socket.CreateSocket(nodes[0], "ns3::UdpSocketFactory")
    ns.Simulator.Schedule(ns.Seconds(1), src.sendto, b"lan", (str(interfaces.GetAddress(2)), 9))
    ns.Simulator.Run()
    assert got == [b"lan"] and devices[0].GetMtu() == 1400
    assert ns.DivertStackHelper.GetStack(nodes[1]).GetInterfaceName(1) == "eth0"


def test_queue_and_routing_helpers():
    p2p = ns.PointToPointHelper()
    p2p.SetQueue("ns3::DropTailQueue", MaxSize="5p")
    with pytest.raises(ValueError):
        p2p.SetQueue("ns3::DropTailQueue", MaxSize="lots")
    with pytest.raises(ValueError):
        p2p.SetQueue("ns3::NoSuchQueue")
    listed = ns.Ipv4ListRoutingHelper()
    listed.Add(ns.Ipv4StaticRoutingHelper(), 0)
    divert = ns.DivertStackHelper()
    divert.SetRoutingHelper(listed)
    nodes = ns.NodeContainer(2)
    divert.Install(nodes)
    devices = p2p.Install(nodes)
    assert devices[0].GetAttribute("TxQueue") is not None


def test_traced_value_congestion_window():
    line = Line()
    ns.PacketSinkHelper("ns3::TcpSocketFactory", ("0.0.0.0", 5000)).Install(line.h1)
    bulk = ns.BulkSendHelper("ns3::TcpSocketFactory", ("10.1.2.2", 5000))
    bulk.SetAttribute("MaxBytes", 200000)
    bulk.Install(line.h0).Start(ns.Seconds(1))
    windows = []

    def connect():
        n = ns.Config.ConnectWithoutContext(
            "/NodeList/0/$ns3::TcpL4Protocol/SocketList/*/CongestionWindow",
            lambda old, new: windows.append(new))
        assert n == 1

    ns.Simulator.Schedule(ns.Seconds(1.001), connect)
    ns.Simulator.Stop(ns.Seconds(5))
    ns.Simulator.Run()
    assert len(windows) > 5 and max(windows) > windows[0]

"""Network: packets, headers, addresses, containers, sockets, names."""

import errno

import pytest

import ns3divert as ns
from topo import Line


def test_packet_bytes_round_trip():
    data = bytes(range(256)) * 3
    p = ns.Packet(data)
    assert len(p) == p.GetSize() == 768
    assert bytes(p) == p.ToBytes() == data
    assert bytes(ns.Packet(bytearray(b"abc"))) == b"abc"
    assert bytes(ns.Packet(memoryview(b"xyz"))) == b"xyz"
    assert bytes(ns.Packet(4)) == b"\0\0\0\0"
    assert len(ns.Packet()) == 0
    q = p.Copy()
    q.RemoveAtStart(10)
    assert len(p) == 768 and bytes(q) == data[10:]
    q.AddAtEnd(b"!!")
    assert bytes(q)[-2:] == b"!!"
    assert bytes(p.CreateFragment(5, 3)) == data[5:8]
    with pytest.raises(ValueError):
        p.CreateFragment(760, 10)
    with pytest.raises(TypeError):
        ns.Packet("text is not bytes")


def test_ipv4_header_serialize_deserialize():
    h = ns.Ipv4Header()
    h.SetSource("10.1.1.1")
    h.SetDestination(ns.Ipv4Address("10.1.2.2"))
    h.SetProtocol(17)
    h.SetTtl(33)
    h.SetIdentification(0x1234)
    h.SetPayloadSize(8)
    h.SetDontFragment()
    h.EnableChecksum()
    raw = bytes(h)
    assert len(raw) == h.GetSerializedSize() == 20
    assert raw[0] == 0x45 and raw[2:4] == b"\x00\x1c" and raw[8] == 33 and raw[9] == 17
    assert raw[6] & 0x40
    back = ns.Ipv4Header.FromBytes(raw + b"payload")
    assert str(back.GetSource()) == "10.1.1.1"
    assert back.GetDestination() == ns.Ipv4Address("10.1.2.2")
    assert back.GetIdentification() == 0x1234
    assert back.IsDontFragment() and back.IsLastFragment()
    assert back.IsChecksumOk()
    other = ns.Ipv4Header()
    assert other.Deserialize(raw) == 20 and other.GetTtl() == 33
    with pytest.raises(ValueError):
        ns.Ipv4Header.FromBytes(b"\x45\x00")
    with pytest.raises(ValueError):
        ns.Ipv4Header.FromBytes(b"\x60" + bytes(39))  # IPv6


def test_headers_in_packets():
    p = ns.Packet(b"data")
    udp = ns.UdpHeader()
    udp.SetSourcePort(1000)
    udp.SetDestinationPort(9)
    p.AddHeader(udp)
    ip = ns.Ipv4Header()
    ip.SetPayloadSize(len(p))
    p.AddHeader(ip)
    assert len(p) == 32
    seen = ns.Ipv4Header()
    assert p.PeekHeader(seen) == 20 and len(p) == 32
    assert p.RemoveHeader(seen) == 20
    got = ns.UdpHeader()
    p.RemoveHeader(got)
    assert (got.GetSourcePort(), got.GetDestinationPort()) == (1000, 9)
    assert bytes(p) == b"data"
    with pytest.raises(ValueError):
        p.RemoveHeader(ns.Ipv4Header())  # 4 bytes left: no room for a header
    icmp = ns.Icmpv4Header()
    icmp.SetType(ns.Icmpv4Header.ICMPV4_ECHO)
    echo = ns.Icmpv4Echo()
    echo.SetIdentifier(7)
    echo.SetSequenceNumber(3)
    echo.SetData(b"ping")
    q = ns.Packet()
    q.AddHeader(echo)
    q.AddHeader(icmp)
    assert bytes(q)[0] == 8
    e2 = ns.Icmpv4Echo()
    q.RemoveHeader(ns.Icmpv4Header())
    q.RemoveHeader(e2)
    assert (e2.GetIdentifier(), e2.GetSequenceNumber(), e2.GetData()) == (7, 3, b"ping")
    assert "ns3::Ipv4Header" in repr(ip.GetInstanceTypeId())


def test_addresses():
    a = ns.Ipv4Address("192.168.1.7")
    assert str(a) == "192.168.1.7" and a.Get() == 0xC0A80107
    assert ns.Ipv4Address(0xC0A80107) == a
    assert a.CombineMask(ns.Ipv4Mask("255.255.255.0")) == ns.Ipv4Address("192.168.1.0")
    assert ns.Ipv4Mask("/24") == ns.Ipv4Mask("255.255.255.0")
    assert ns.Ipv4Mask("/24").GetPrefixLength() == 24
    assert ns.Ipv4Address.GetAny() == ns.Ipv4Address("0.0.0.0")
    for bad in ("1.2.3", "1.2.3.256", "host", ""):
        with pytest.raises(ValueError):
            ns.Ipv4Address(bad)
    with pytest.raises(ValueError):
        ns.Ipv4Mask("/33")
    s = ns.InetSocketAddress("10.0.0.1", 80)
    assert s.ToTuple() == ("10.0.0.1", 80)
    assert s == ns.InetSocketAddress(ns.Ipv4Address("10.0.0.1"), 80)
    assert ns.Address(("10.0.0.1", 80)).ToPython() == ("10.0.0.1", 80)
    assert ns.InetSocketAddress.ConvertFrom(ns.Address(s)).GetPort() == 80
    assert ns.Address("10.0.0.1").ToPython() == "10.0.0.1"
    with pytest.raises(ValueError):
        ns.Address(("10.0.0.1", 70000))


def test_containers_behave_like_sequences():
    nodes = ns.NodeContainer(3)
    assert len(nodes) == nodes.GetN() == 3
    assert [n.GetId() for n in nodes] == [0, 1, 2]
    assert nodes[-1].GetId() == 2 and nodes.Get(0) is nodes[0]
    with pytest.raises(IndexError):
        nodes[3]
    both = ns.NodeContainer(nodes[0], ns.NodeContainer(nodes[2]))
    assert [n.GetId() for n in both] == [0, 2]
    both.Add(nodes[1])
    assert len(both) == 3
    more = ns.NodeContainer()
    more.Create(2)
    assert len(ns.NodeContainer.GetGlobal()) == 5
    devices = ns.PointToPointHelper().Install(nodes[0], nodes[1])
    assert len(devices) == 2 and devices[1].GetNode() is nodes[1]
    assert devices[0].GetIfIndex() == 0 and nodes[0].GetNDevices() == 1
    assert devices[0].GetChannel().GetNDevices() == 2
    assert devices[0].GetChannel().GetDevice(1) is devices[1]
    with pytest.raises(IndexError):
        devices[0].GetChannel().GetDevice(2)
    with pytest.raises(IndexError):
        ns.PointToPointHelper().EnablePcap("x", 0, 9)
    assert devices[0].SetMtu(1000) and devices[0].GetMtu() == 1000
    assert devices[0].GetAttribute("Mtu") == 1000
    assert len(devices[0].GetAddress()) == 17  # a MAC address
    joined = ns.NetDeviceContainer(devices, ns.NetDeviceContainer(devices[0]))
    assert len(joined) == 3
    with pytest.raises(ValueError, match="exactly two nodes"):
        ns.PointToPointHelper().Install(nodes)


def test_names():
    nodes = ns.NodeContainer(2)
    ns.Names.Add("router", nodes[1])
    assert ns.Names.Find("router") is nodes[1]
    assert ns.Names.FindName(nodes[1]) == "router"
    assert ns.Names.Find("nobody") is None
    assert len(ns.NodeContainer("router")) == 1
    with pytest.raises(ValueError):
        ns.Names.Add("router", nodes[0])
    with pytest.raises(ValueError):
        ns.Names.Add("other", nodes[1])


def test_udp_sockets_python_style():
    line = Line()
    sink = line.udp_sink(port=9)
    src = line.udp_source()
    line.send_udp(src, [b"one", b"two"])
    ns.Simulator.Run()
    assert [data for data, _ in sink.received] == [b"one", b"two"]
    assert sink.received[0][1] == ("10.1.1.1", src.getsockname()[1])


def test_socket_errors_raise_oserror_with_ns3_name():
    line = Line()
    first = ns.Socket.CreateSocket(line.h1, "ns3::UdpSocketFactory")
    first.bind(("0.0.0.0", 9))
    second = ns.Socket.CreateSocket(line.h1, "ns3::UdpSocketFactory")
    with pytest.raises(OSError) as info:
        second.bind(("0.0.0.0", 9))
    assert info.value.errno == errno.EADDRINUSE
    assert info.value.strerror == "ERROR_ADDRINUSE"
    assert info.value.ns3_error == "ERROR_ADDRINUSE"
    assert second.Bind(("0.0.0.0", 9)) == -1
    assert second.GetErrno() == ns.Socket.ERROR_ADDRINUSE
    assert first.recvfrom() is None  # nothing queued: None, no exception
    with pytest.raises(ValueError, match="has no ns3::DivertSocketFactory"):
        ns.Socket.CreateSocket(line.h0, "ns3::DivertSocketFactory")
    with pytest.raises(ValueError, match="unknown TypeId"):
        ns.Socket.CreateSocket(line.h0, "ns3::NoSuchFactory")


def test_socket_callbacks_hold_python_state():
    line = Line()
    sink = ns.Socket.CreateSocket(line.h1, "ns3::UdpSocketFactory")
    sink.bind(("0.0.0.0", 9))
    got = []
    sink.SetRecvCallback(lambda s: got.append((s is sink, s.Recv().ToBytes())))
    src = line.udp_source()
    sent = []
    src.SetDataSentCallback(lambda s, n: sent.append(n))
    line.send_udp(src, [b"x" * 10])
    ns.Simulator.Run()
    assert got == [(True, b"x" * 10)]
    assert sent == [10]

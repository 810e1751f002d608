"""scapy interop: diverted bytes open with IP(bytes); scapy-built packets can be injected."""

import pytest

import ns3divert as ns
from topo import Line

scapy_inet = pytest.importorskip("scapy.layers.inet")
IP, UDP, ICMP = scapy_inet.IP, scapy_inet.UDP, scapy_inet.ICMP


def checksum_ok(pkt, layer):
    """Whether scapy computes the same checksum as the one in pkt[layer]."""
    again = pkt.copy()
    del again[layer].chksum
    return IP(bytes(again))[layer].chksum == pkt[layer].chksum


def test_diverted_bytes_open_with_scapy():
    ns.GlobalValue.Bind("ChecksumEnabled", True)
    line = Line()
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    opened = []

    def verdict(datagram):
        opened.append(IP(datagram))
        return None

    helper = ns.DivertInterceptorHelper(8000)
    helper.SetVerdictCallback(verdict)
    helper.Install(line.r)
    sink = line.udp_sink()
    line.send_udp(line.udp_source(), [b"scapy reads this"])
    ns.Simulator.Run()
    pkt = opened[0]
    assert (pkt.src, pkt.dst, pkt.proto, pkt.ttl) == ("10.1.1.1", "10.1.2.2", 17, 63)
    assert pkt[UDP].dport == 9 and bytes(pkt[UDP].payload) == b"scapy reads this"
    assert checksum_ok(pkt, IP) and checksum_ok(pkt, UDP)
    assert len(sink.received) == 1


def test_scapy_packets_injected_out_and_in():
    ns.GlobalValue.Bind("ChecksumEnabled", True)
    line = Line()
    sink = line.udp_sink()
    sock = ns.DivertSocket.Create(line.r)
    out = IP(src="10.1.1.1", dst="10.1.2.2", id=100) / UDP(sport=1234, dport=9) / b"out"
    inbound = IP(src="10.1.1.1", dst="10.1.2.2", id=101) / UDP(sport=1234, dport=9) / b"in"
    ns.Simulator.Schedule(ns.Seconds(1), sock.sendto, bytes(out), ("0.0.0.0", 0))
    ns.Simulator.Schedule(ns.Seconds(2), sock.sendto, bytes(inbound), ("10.1.1.2", 0))
    ns.Simulator.Run()
    assert sink.received == [(b"out", ("10.1.1.1", 1234)), (b"in", ("10.1.1.1", 1234))]


def test_scapy_icmp_echo_injected_gets_a_reply():
    line = Line(divert_all=True)
    h0 = ns.DivertStackHelper.GetStack(line.h0)
    h0.GetFirewall().Execute("-A input -p icmp --icmp-type echo-reply -j DIVERT 4000")
    replies = []
    sock = ns.DivertSocket.Create(line.h0)
    sock.bind(("0.0.0.0", 4000))
    sock.SetRecvCallback(lambda s: replies.append(IP(s.recvfrom()[0])))
    ping = IP(src="10.1.1.1", dst="10.1.2.2", ttl=9) / ICMP(id=5, seq=1) / b"ping"
    ns.Simulator.Schedule(ns.Seconds(1), sock.sendto, bytes(ping), ("0.0.0.0", 0))
    ns.Simulator.Run()
    assert len(replies) == 1
    reply = replies[0]
    assert reply[ICMP].type == 0 and reply[ICMP].id == 5 and reply.src == "10.1.2.2"
    assert bytes(reply[ICMP].payload) == b"ping"


def test_scapy_verdict_rewrites_ttl_and_tos():
    line = Line()
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")

    def verdict(datagram):
        pkt = IP(datagram)
        pkt.ttl = 5
        pkt.tos = 0x10
        del pkt.chksum
        return bytes(pkt)

    helper = ns.DivertInterceptorHelper(8000)
    helper.SetVerdictCallback(verdict)
    helper.Install(line.r)
    seen = []
    ns.GetIpv4(line.h1).TraceConnectWithoutContext(
        "LocalDeliver", lambda h, p, i: seen.append((h.GetTtl(), h.GetTos())))
    line.udp_sink()
    line.send_udp(line.udp_source(), [b"x"])
    ns.Simulator.Run()
    assert seen == [(5, 0x10)]

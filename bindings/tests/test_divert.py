"""The divert module from Python: stack, firewall, divert sockets, interceptor, traces."""

import errno
import glob

import pytest

import ns3divert as ns
from ns3divert import pcap
from topo import Line

D = ns.DivertIpv4L3Protocol


def ipv4_datagram(payload=b"x" * 8, src="10.1.1.1", dst="10.1.2.2", proto=253, ident=7):
    """A whole IPv4 datagram as bytes (ns-3 headers)."""
    h = ns.Ipv4Header()
    h.SetSource(src)
    h.SetDestination(dst)
    h.SetProtocol(proto)
    h.SetTtl(64)
    h.SetIdentification(ident)
    h.SetPayloadSize(len(payload))
    h.EnableChecksum()
    return bytes(h) + payload


# --- stack helper --------------------------------------------------------------------


def test_stack_helper_attributes_and_get_stack():
    nodes = ns.NodeContainer(3)
    helper = ns.DivertStackHelper()
    helper.SetStackAttribute("PassThrough", True)
    helper.SetStackAttribute("AlwaysDefragment", 1)
    helper.SetStackAttribute("ReinjectionMode", "Accept")
    helper.SetStackAttribute("MaxDivertPasses", 4)
    helper.SetIpv6StackInstall(False)
    with pytest.raises(ValueError, match="attribute 'Passthrough' not found"):
        helper.SetStackAttribute("Passthrough", True)
    with pytest.raises(ValueError, match="ReinjectionMode"):
        helper.SetStackAttribute("ReinjectionMode", "Somewhere")
    ns.Names.Add("box", nodes[2])
    helper.Install(ns.NodeContainer(nodes[0], nodes[1]))
    helper.Install("box")
    ns.InternetStackHelper().Install(ns.NodeContainer(2))
    stack = ns.DivertStackHelper.GetStack(nodes[0])
    assert isinstance(stack, ns.DivertIpv4L3Protocol)
    assert isinstance(stack, ns.Ipv4L3Protocol) and isinstance(stack, ns.Ipv4)
    assert ns.GetIpv4(nodes[0]) is stack
    assert stack.GetAttribute("PassThrough") is True
    assert stack.GetAttribute("AlwaysDefragment") is True
    assert stack.GetAttribute("ReinjectionMode") == "Accept"
    assert stack.GetAttribute("MaxDivertPasses") == 4
    assert stack.IsDivertEnabled()
    assert nodes[0].GetObject("ns3::Ipv6") is None
    assert nodes[0].GetObject("ns3::DivertSocketFactory") is not None
    plain = ns.NodeContainer.GetGlobal()[3]
    assert ns.DivertStackHelper.GetStack(plain) is None
    assert isinstance(ns.GetIpv4(plain), ns.Ipv4L3Protocol)
    assert not isinstance(ns.GetIpv4(plain), ns.DivertIpv4L3Protocol)


def test_interface_names():
    line = Line()
    assert [line.stack.GetInterfaceName(i) for i in range(3)] == ["lo", "eth0", "eth1"]
    with pytest.raises(IndexError):
        line.stack.GetInterfaceName(3)


def test_named_devices_give_interface_names():
    nodes = ns.NodeContainer(2)
    ns.DivertStackHelper().Install(nodes)
    devices = ns.PointToPointHelper().Install(nodes)
    ns.Names.Add("uplink", devices[0])
    ns.Ipv4AddressHelper("10.0.0.0", "255.255.255.0").Assign(devices)
    assert ns.DivertStackHelper.GetStack(nodes[0]).GetInterfaceName(1) == "uplink"


# --- ipchains ------------------------------------------------------------------------


def test_execute_output_and_errors():
    fw = ns.Ipchains()
    assert fw.Execute("-A input -p icmp -j DIVERT 1234") == ""
    assert fw.Execute("ipchains -N mine") == ""
    before = fw.List()
    with pytest.raises(ValueError) as info:
        fw.Execute("-A input -p icmpx -j ACCEPT")
    assert str(info.value) == "unknown protocol `icmpx' specified"
    with pytest.raises(ValueError, match="host/network `1.2.3.999' not found"):
        fw.Execute("-A input -s 1.2.3.999 -j DENY")
    assert fw.List() == before  # a refused command changes nothing
    assert fw.GetRuleCount("input") == 1
    assert fw.GetChainNames() == ["input", "forward", "output", "mine"]
    assert fw.GetPolicy("input") == "ACCEPT"
    assert fw.HasChain("mine") and not fw.HasChain("yours")
    assert "ipchains" in fw.Execute("-V").lower()


def test_execute_script_is_all_or_nothing_with_origin_and_line():
    fw = ns.Ipchains()
    script = "# rules\n-A input -p tcp -j ACCEPT\n\n-A input -p bogus -j DENY\n"
    with pytest.raises(ValueError) as info:
        fw.ExecuteScript(script, "rules.txt")
    assert str(info.value) == "rules.txt:4: unknown protocol `bogus' specified"
    assert fw.GetRuleCount("input") == 0
    fw.ExecuteScript("-A input -p tcp -j ACCEPT\n-P forward DENY\n")
    assert fw.GetRuleCount("input") == 1 and fw.GetPolicy("forward") == "DENY"
    with open("fw.rules", "w") as f:
        f.write("-A output -p udp -j DIVERT 9000\n-A output -j what\n")
    with pytest.raises(ValueError, match=r"^fw.rules:2: "):
        fw.ExecuteFile("fw.rules")
    with pytest.raises(ValueError, match="cannot open file `missing.rules'"):
        fw.ExecuteFile("missing.rules")


def test_name_tables_both_ways():
    names = ns.IpchainsNames
    tcp, udp = ns.FirewallRule.PROTO_TCP, ns.FirewallRule.PROTO_UDP
    assert names.ProtocolToName(6) == "tcp" and names.ProtocolToName(253) == "253"
    assert names.NameToProtocol("TCP") == 6 and names.NameToProtocol("all") == 0
    assert names.NameToProtocol("253") is None
    assert names.PortToService(22, tcp) == "ssh" and names.PortToService(5, tcp) == ""
    assert names.ServiceToPort("http", udp) == 80 and names.ServiceToPort("tftp", tcp) is None
    assert names.IcmpToName(3, 3, 3, 3) == "port-unreachable"
    (match,) = names.NameToIcmp("port-unr")
    assert (match.name, match.type, match.codeMin, match.codeMax) == ("port-unreachable", 3, 3, 3)
    assert match.useCodeMinForTesting and "port-unreachable" in repr(match)
    assert isinstance(match, ns.IpchainsNames.IcmpName)
    assert [n.name for n in names.NameToIcmp("host-")][:2] == ["host-unreachable", "host-unknown"]
    assert names.IcmpHelp().startswith("Valid ICMP Types:\necho-reply (pong)\n")
    assert ns.Ipchains().Execute("-h icmp") == names.IcmpHelp()

def test_typed_rules_check_list_and_counters():
    fw = ns.Ipchains()
    rule = ns.FirewallRule()
    rule.SetProtocol(ns.FirewallRule.PROTO_UDP)
    rule.SetDestination("10.1.2.0", "255.255.255.0")
    rule.SetDestinationPorts(9, 9)
    rule.SetDivert(8000)
    assert rule.Validate() == ""
    assert str(rule) == "-p udp -d 10.1.2.0/24 --dport 9 -j DIVERT 8000"
    assert ns.FirewallRule.FromString(str(rule)).IsSameRule(rule)
    fw.AppendRule("forward", rule)
    fw.InsertRule("forward", 1, ns.FirewallRule.FromString("-p icmp -j ACCEPT"))
    assert fw.GetRule("forward", 2).GetTargetPort() == 8000
    assert fw.GetRule("forward", 3) is None
    assert fw.GetRule("forward", 1).GetTarget() == ns.FirewallRule.Target.ACCEPT
    packet = ns.FirewallPacket()
    packet.source = ns.Ipv4Address("10.1.1.1")
    packet.destination = ns.Ipv4Address("10.1.2.2")
    packet.protocol = 17
    packet.hasPorts = True
    packet.sourcePort = 1000
    packet.destinationPort = 9
    packet.interface = "eth1"
    assert fw.Check("forward", packet) == "diverted\n"
    packet.destinationPort = 10
    assert fw.Check("forward", packet) == "accepted\n"
    assert fw.GetRule("forward", 2).GetPackets() == 0  # -C counts nothing
    with pytest.raises(ValueError, match="^invalid divert port `0' specified$"):
        ns.FirewallRule.FromString("-p udp -j DIVERT 0")
    bad = ns.FirewallRule()
    bad.SetDivert(0)
    assert bad.Validate() != ""
    with pytest.raises(ValueError, match=bad.Validate()):
        fw.AppendRule("forward", bad)
    with pytest.raises(ValueError):
        ns.FirewallRule.FromString("-p udp --dport 99999")
    fw.DeleteRule("forward", rule)
    assert fw.GetRuleCount("forward") == 1
    fw.DeleteRule("forward", 1)
    with pytest.raises(ValueError):
        fw.DeleteRule("forward", 1)
    listing = fw.List("forward", verbose=True, lineNumbers=True)
    assert listing.startswith("Chain forward (policy ACCEPT")


def test_firewall_counters_after_traffic():
    line = Line()
    fw = line.firewall
    fw.Execute("-A forward -p udp -d 10.1.2.2 9 -j ACCEPT")
    fw.Execute("-A forward -p udp -j DENY")
    sink = line.udp_sink(port=9)
    line.udp_sink(port=10)
    src = line.udp_source()
    line.send_udp(src, [b"a" * 10] * 3)
    line.send_udp(src, [b"b" * 20] * 2, to=("10.1.2.2", 10), start=2)
    ns.Simulator.Run()
    assert len(sink.received) == 3
    accept, deny = fw.GetRule("forward", 1), fw.GetRule("forward", 2)
    assert (accept.GetPackets(), accept.GetBytes()) == (3, 3 * 38)
    assert (deny.GetPackets(), deny.GetBytes()) == (2, 2 * 48)
    assert fw.GetPolicyPackets("forward") == 0
    assert fw.GetPolicyPackets(ns.Ipchains.INPUT) >= 5
    assert fw.GetPolicyBytes(ns.Ipchains.Hook.OUTPUT) >= 0
    assert line.stack.GetDivertStats().ruleDrops == 2
    with pytest.raises(ValueError):
        fw.GetPolicyPackets("mine")


def test_divert_rules_refused_when_divert_sockets_are_off():
    line = Line(stack_attributes={"DivertSockets": False})
    assert not line.stack.IsDivertEnabled()
    with pytest.raises(ValueError):
        line.firewall.Execute("-A input -j DIVERT 1")
    sock = ns.DivertSocket.Create(line.r)
    with pytest.raises(OSError) as info:
        sock.bind(("0.0.0.0", 1))
    assert info.value.strerror == "ERROR_OPNOTSUPP"


# --- divert sockets ---------------------------------------------------------------------


def test_divert_socket_receive_lookup_and_reinject():
    line = Line()
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    sock = ns.DivertSocket.Create(line.r)
    sock.bind(("0.0.0.0", 8000))
    assert sock.GetPort() == 8000 and sock.getsockname() == ("0.0.0.0", 8000)
    seen = []

    def on_divert(s):
        assert s is sock
        while (item := s.recvfrom()) is not None:
            datagram, address = item
            info = line.stack.LookupDiversion(address[1])
            seen.append((datagram, address, info))
            s.sendto(datagram, address)

    sock.SetRecvCallback(on_divert)
    sink = line.udp_sink()
    line.send_udp(line.udp_source(), [b"hello"])
    ns.Simulator.Run()
    datagram, address, info = seen[0]
    ip = ns.Ipv4Header.FromBytes(datagram)
    assert str(ip.GetSource()) == "10.1.1.1" and ip.GetProtocol() == 17
    assert datagram.endswith(b"hello") and len(datagram) == 33
    assert address[0] == "10.1.1.2"  # arrived on r's left interface
    assert info.hook == ns.Ipchains.FORWARD and info.port == 8000 and info.passes == 1
    assert info.position == [] or info.position[0].chain == "forward"
    assert [f.rule for f in info.position] == [1]
    assert [d for d, _ in sink.received] == [b"hello"]
    stats = line.stack.GetDivertStats()
    assert (stats.delivered, stats.sent, stats.reinjected, stats.errors) == (1, 1, 1, 0)
    assert stats.AsDict()["delivered"] == 1
    assert line.stack.LookupDiversion(65000) is None


def test_divert_socket_errors_raise_oserror():
    line = Line(mtu=600)
    sock = ns.DivertSocket.Create(line.r)
    sock.bind(("0.0.0.0", 5000))
    other = ns.DivertSocket.Create(line.r)
    cases = [
        (lambda: other.bind(("0.0.0.0", 5000)), "ERROR_ADDRINUSE", errno.EADDRINUSE),
        (lambda: sock.bind(("0.0.0.0", 5001)), "ERROR_INVAL", errno.EINVAL),
        (lambda: sock.sendto(b"\x45short", ("0.0.0.0", 0)), "ERROR_INVAL", errno.EINVAL),
        (lambda: sock.sendto(ipv4_datagram(), ("10.9.9.9", 0)), "ERROR_ADDRNOTAVAIL",
         errno.EADDRNOTAVAIL),
        (lambda: sock.sendto(ipv4_datagram(b"z" * 1000), ("0.0.0.0", 0)), "ERROR_MSGSIZE",
         errno.EMSGSIZE),
        (lambda: sock.sendto(ipv4_datagram(dst="192.168.7.7"), ("0.0.0.0", 0)),
         "ERROR_NOROUTETOHOST", errno.EHOSTUNREACH),
        (lambda: sock.connect(("10.1.2.2", 1)), "ERROR_OPNOTSUPP", errno.EOPNOTSUPP),
    ]
    for call, name, code in cases:
        with pytest.raises(OSError) as info:
            call()
        assert (info.value.strerror, info.value.errno, info.value.ns3_error) == (name, code, name)
        assert str(info.value) == f"[Errno {code}] {name}"
    # The ns-3 style calls report the same through GetErrno().
    assert sock.SendTo(b"\x45short", 0, ("0.0.0.0", 0)) == -1
    assert sock.GetErrno() == ns.Socket.ERROR_INVAL
    sock.close()
    with pytest.raises(OSError, match="ERROR_BADF"):
        sock.sendto(ipv4_datagram(), ("0.0.0.0", 0))
    assert line.stack.GetDivertStats().errors >= 4
    with pytest.raises(ValueError, match="no divert stack"):
        ns.DivertSocket.Create(line.h0)


def test_injection_inbound_and_outbound():
    line = Line()
    sink = line.udp_sink()
    injected = []
    line.stack.TraceConnectWithoutContext(
        "Injected", lambda p, port, iface: injected.append((len(p), port, iface)))
    sock = ns.DivertSocket.Create(line.r)
    udp = bytes.fromhex("04d20009000d0000") + b"hello"
    # Out: routed by its destination.
    ns.Simulator.Schedule(ns.Seconds(1), sock.sendto, ipv4_datagram(udp, proto=17),
                          ("0.0.0.0", 0))
    # In: as if it arrived on r's left interface, then forwarded.
    ns.Simulator.Schedule(ns.Seconds(2), sock.sendto, ipv4_datagram(udp, proto=17, ident=8),
                          ("10.1.1.2", 0))
    ns.Simulator.Run()
    assert [d for d, _ in sink.received] == [b"hello", b"hello"]
    assert injected[0][0] == 33 and injected[0][2] == 2 and injected[1][2] == 1
    assert sock.GetPort() != 0  # sending bound a free port
    assert line.stack.GetDivertStats().injected == 2


# --- interceptor ------------------------------------------------------------------


def interceptor_line(verdict, count=4):
    """A Line whose router diverts forwarded UDP to an interceptor with `verdict`."""
    line = Line()
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    helper = ns.DivertInterceptorHelper(8000)
    helper.SetVerdictCallback(verdict)
    app = helper.Install(line.r).Get(0)
    sink = line.udp_sink()
    line.send_udp(line.udp_source(), [bytes([65 + i]) * 4 for i in range(count)])
    return line, app, sink


def test_interceptor_python_verdicts():
    def verdict(datagram, address):
        payload = datagram[28:]
        if payload == b"AAAA":
            return None  # pass
        if payload == b"BBBB":
            return False  # drop
        if payload == b"CCCC":
            return datagram[:28] + b"cccc"  # modify (same length: UDP checksums are off)
        return True

    line, app, sink = interceptor_line(verdict)
    verdicts = []
    app.TraceConnectWithoutContext("Verdict", lambda p, action: verdicts.append(action))
    ns.Simulator.Run()
    assert [d for d, _ in sink.received] == [b"AAAA", b"cccc", b"DDDD"]
    c = app.GetCounters()
    assert (c.received, c.passed, c.modified, c.dropped, c.sendErrors) == (4, 2, 1, 1, 0)
    assert c.AsDict() == {"received": 4, "passed": 2, "modified": 1, "dropped": 1,
                          "sendErrors": 0}
    A = ns.DivertInterceptor.Action
    assert verdicts == [A.PASS, A.DROP, A.MODIFY, A.PASS]
    assert app.GetSocketError() == ns.Socket.ERROR_NOTERROR
    assert isinstance(app.GetSocket(), ns.DivertSocket)


def test_interceptor_one_argument_verdict_actions_and_packets():
    def verdict(datagram):
        if datagram.endswith(b"BBBB"):
            return ns.DivertInterceptor.DROP
        if datagram.endswith(b"CCCC"):
            return ns.Packet(datagram[:28] + b"zzzz")
        return ns.DivertInterceptor.PASS

    _, app, sink = interceptor_line(verdict, count=3)
    ns.Simulator.Run()
    assert [d for d, _ in sink.received] == [b"AAAA", b"zzzz"]
    assert app.GetCounters().modified == 1


def test_interceptor_without_verdict_passes_everything():
    line, app, sink = interceptor_line(None)
    ns.Simulator.Run()
    assert len(sink.received) == 4 and app.GetCounters().passed == 4


def test_bad_verdict_raises_from_run():
    _, _, sink = interceptor_line(lambda d: 42)
    with pytest.raises(TypeError, match="a verdict is None/True"):
        ns.Simulator.Run()
    assert sink.received == []


def test_exception_in_verdict_raises_from_run():
    def verdict(datagram):
        raise KeyError("verdict failed")

    interceptor_line(verdict)
    with pytest.raises(KeyError, match="verdict failed"):
        ns.Simulator.Run()
    assert ns.Simulator.Now() < ns.Seconds(1.01)


def test_interceptor_helper_checks_and_attributes():
    line = Line()
    helper = ns.DivertInterceptorHelper(8000)
    helper.SetAttribute("ProcessingDelay", "ns3::ConstantRandomVariable[Constant=0.25]")
    with pytest.raises(ValueError, match="Constant"):
        helper.SetAttribute("ProcessingDelay", "ns3::ConstantRandomVariable[Constant=abc]")
    with pytest.raises(ValueError):
        helper.SetAttribute("Speed", 1)
    with pytest.raises(TypeError):
        helper.SetVerdictCallback("not callable")
    with pytest.raises(ValueError, match="no divert stack"):
        helper.Install(line.h0)
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    app = helper.Install(line.r).Get(0)
    sink = line.udp_sink()
    line.send_udp(line.udp_source(), [b"slow"])
    ns.Simulator.Run()
    assert sink.received and app.GetAttribute("Port") == 8000
    # Sent at 1 s, 2 x 1 ms of links, 0.25 s in the interceptor.
    # (The processing delay shows in the arrival time.)


def test_two_interceptors_on_one_port_report_the_error():
    line = Line()
    helper = ns.DivertInterceptorHelper(8000)
    apps = helper.Install(ns.NodeContainer(line.r, line.r))
    ns.Simulator.Stop(ns.Seconds(1))
    ns.Simulator.Run()
    errors = sorted(int(a.GetSocketError()) for a in apps)
    assert errors == [int(ns.Socket.ERROR_NOTERROR), int(ns.Socket.ERROR_ADDRINUSE)]


# --- traces -------------------------------------------------------------------------


def test_divert_stack_trace_sources():
    line = Line()
    fw = line.firewall
    fw.Execute("-A forward -p udp -d 10.1.2.2 9 -l -j DIVERT 8000")
    fw.Execute("-A forward -p udp -d 10.1.2.2 10 -j DIVERT 8001")  # nobody listens
    fw.Execute("-A forward -p udp -d 10.1.2.2 11 -j REJECT")
    events = {name: [] for name in ("Diverted", "Reinjected", "Injected", "DivertDrop",
                                    "Logged", "Rejected")}
    stack = line.stack
    stack.TraceConnectWithoutContext(
        "Diverted", lambda p, port, iface: events["Diverted"].append((len(p), port, iface)))
    stack.TraceConnectWithoutContext(
        "Reinjected", lambda p, port, iface: events["Reinjected"].append((port, iface)))
    stack.TraceConnectWithoutContext(
        "Injected", lambda p, port, iface: events["Injected"].append((port, iface)))
    stack.TraceConnectWithoutContext(
        "DivertDrop", lambda h, p, reason, iface: events["DivertDrop"].append(
            (str(h.GetDestination()), reason, reason.ToString())))
    stack.TraceConnectWithoutContext(
        "Logged", lambda h, p, chain, rule: events["Logged"].append((chain, rule)))
    stack.TraceConnect(
        "Rejected", "ctx", lambda ctx, h, p, chain, rule: events["Rejected"].append(
            (ctx, chain, rule, len(p))))
    ns.DivertInterceptorHelper(8000).Install(line.r)
    line.udp_sink(port=9)
    src = line.udp_source()
    for port in (9, 10, 11):
        line.send_udp(src, [b"data"], to=("10.1.2.2", port), start=port / 10)
    inject = ns.DivertSocket.Create(line.r)
    ns.Simulator.Schedule(ns.Seconds(2), inject.sendto,
                          ipv4_datagram(b"\0" * 8, dst="10.1.2.2"), ("0.0.0.0", 0))
    ns.Simulator.Run()
    # Linux 2.2: the forward chain's interface (-i) is the one the packet leaves by.
    assert events["Diverted"] == [(32, 8000, 2)]
    # Sent back to the address it came with: it comes in again on interface 1.
    assert events["Reinjected"] == [(8000, 1)]
    assert events["Injected"] == [(inject.GetPort(), 2)]
    assert events["DivertDrop"][0][:2] == ("10.1.2.2", D.DIVERT_DROP_NO_LISTENER)
    assert events["DivertDrop"][0][2] == "no listener"
    assert [e[1] for e in events["DivertDrop"]].count(D.DIVERT_DROP_RULE) == 1
    assert events["Logged"] == [("forward", 1)]
    assert events["Rejected"] == [("ctx", "forward", 3, 12)]
    stats = stack.GetDivertStats()
    assert (stats.noPort, stats.rejected, stats.injected) == (1, 1, 1)


def test_firewall_log_and_mark():
    line = Line()
    line.firewall.Execute("-A forward -p udp -m 77 -l")
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    logs, marks = [], []
    line.firewall.TraceConnectWithoutContext(
        "Log", lambda chain, rule, packet: logs.append((chain, rule, packet.destinationPort,
                                                       packet.interface)))
    line.stack.TraceConnectWithoutContext(
        "Diverted", lambda p, port, iface: marks.append(ns.PeekDivertMark(p)))
    ns.DivertInterceptorHelper(8000).Install(line.r)
    line.udp_sink()
    line.send_udp(line.udp_source(), [b"m"])
    ns.Simulator.Run()
    assert logs == [("forward", 1, 9, "eth1")]  # forward: -i is the outgoing interface
    assert marks == [77]
    assert ns.PeekDivertMark(ns.Packet(b"no tag")) is None


def test_unsupported_trace_signature_is_refused_not_fatal():
    line = Line()
    with pytest.raises(ValueError, match="do not support"):
        ns.PacketSinkHelper("ns3::UdpSocketFactory", ("0.0.0.0", 9)).Install(
            line.h1).Get(0).TraceConnectWithoutContext("RxWithSeqTsSize", print)
    assert "ns3::DivertIpv4L3Protocol::DivertTracedCallback" in ns.SupportedTraceSignatures()


# --- reassembly, fragmentation, divert pcap ---------------------------------------------


def test_reassembler_counters_and_standalone_use():
    line = Line(divert_all=True, mtu=576)
    sink = line.udp_sink()
    line.send_udp(line.udp_source(), [bytes(2000)])
    outcomes = []
    h1_stack = ns.DivertStackHelper.GetStack(line.h1)
    reassembler = h1_stack.GetReassembler()
    reassembler.TraceConnectWithoutContext(
        "Outcome", lambda outcome, header, size: outcomes.append((outcome, size)))
    ns.Simulator.Run()
    assert [len(d) for d, _ in sink.received] == [2000]
    c = reassembler.GetCounters()
    assert (c.fragments, c.reassembled) == (4, 1)
    assert outcomes == [(ns.Ipv4Reassembler.Outcome.REASSEMBLED, 2008)]
    assert reassembler.GetQueueCount() == 0 and reassembler.GetMemoryUsed() == 0
    assert ns.Ipv4Reassembler.OutcomeToString(ns.Ipv4Reassembler.Outcome.TIMED_OUT) == "timed-out"

    standalone = ns.Ipv4Reassembler()
    standalone.SetOverlapPolicy(ns.Ipv4Reassembler.OverlapPolicy.BSD)
    header = ns.Ipv4Header()
    header.SetSource("1.1.1.1")
    header.SetDestination("2.2.2.2")
    header.SetProtocol(253)
    header.SetIdentification(5)
    header.SetPayloadSize(100)
    pieces = ns.Fragment(bytes(range(100)), header, 68)
    assert len(pieces) == 3 and not pieces[0][1].IsLastFragment()
    results = [standalone.AddFragment(p, h) for p, h in reversed(pieces)]
    assert results[:2] == [None, None]
    payload, whole = results[2]
    assert bytes(payload) == bytes(range(100)) and whole.GetPayloadSize() == 100
    assert standalone.GetOverlapPolicy() == ns.Ipv4Reassembler.OverlapPolicy.BSD


def test_fragment_copies_ip_options():
    # RFC 791: the first fragment keeps every option, later ones those with
    # the copied flag (0x9e), NOP-filled (Linux) or alone (compact, BSD).
    header = ns.Ipv4Header()
    header.SetSource("1.1.1.1")
    header.SetDestination("2.2.2.2")
    header.SetProtocol(253)
    payload = ns.Packet(bytes(range(200)))
    options = bytes.fromhex("9e04aaaa1e04bbbb")
    ns.SetIpOptions(payload, options)
    assert ns.GetIpOptions(payload) == options
    pieces = ns.Fragment(payload, header, 100)
    assert [len(bytes(p)) for p, _ in pieces] == [72, 72, 56]
    assert [ns.GetIpOptions(p) for p, _ in pieces] == [options] + [bytes.fromhex("9e04aaaa01010101")] * 2
    compact = ns.Fragment(payload, header, 100, compact=True)
    assert [ns.GetIpOptions(p) for p, _ in compact][1:] == [bytes.fromhex("9e04aaaa")] * 2
    with pytest.raises(ValueError, match="length 8"):
        ns.SetIpOptions(payload, bytes.fromhex("9e08aaaa"))
    assert ns.GetIpOptions(payload) == options
    ns.SetIpOptions(payload, b"")
    assert ns.GetIpOptions(payload) == b""


def test_enable_divert_pcap_writes_raw_ipv4():
    def scenario():
        line = Line()
        line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
        line.divert.EnableDivertPcap("div", ns.NodeContainer(line.r))
        ns.DivertInterceptorHelper(8000).Install(line.r)
        sink = line.udp_sink()
        line.send_udp(line.udp_source(), [b"p1", b"p2"])
        ns.Simulator.Run()
        return len(sink.received)

    assert scenario() == 2
    ns.Simulator.Destroy()
    assert glob.glob("div-*.pcap") == ["div-1-8000.pcap"]
    capture = pcap.read("div-1-8000.pcap")
    assert capture.linktype == pcap.DLT_RAW
    # Each datagram twice: diverted, then reinjected.
    assert [r.data[-2:] for r in capture.records] == [b"p1", b"p1", b"p2", b"p2"]


def test_error_in_callback_during_a_call_outside_run():
    """A callback that fails during a call made outside Run(): that call raises, ns-3 is intact."""
    line = Line()
    line.firewall.Execute("-A input -p 253 -j DIVERT 6000")
    listener = ns.DivertSocket.Create(line.r)
    listener.bind(("0.0.0.0", 6000))
    calls = []

    def fails(sock):
        calls.append(sock.recvfrom())
        if len(calls) == 1:
            raise RuntimeError("callback failed")

    listener.SetRecvCallback(fails)
    inject = ns.DivertSocket.Create(line.r)
    with pytest.raises(RuntimeError, match="callback failed"):
        inject.sendto(ipv4_datagram(dst="10.1.1.2"), ("10.1.1.2", 0))  # inbound, diverted
    # The stack finished its work: the next datagram goes the same way.
    assert inject.sendto(ipv4_datagram(dst="10.1.1.2", ident=8), ("10.1.1.2", 0)) == 28
    assert len(calls) == 2 and calls[1][1][0] == "10.1.1.2"
    ns.Simulator.Run()
    assert line.stack.GetDivertStats().delivered == 2


def test_error_in_trace_callback_stops_the_run():
    line = Line()
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    ns.DivertInterceptorHelper(8000).Install(line.r)
    seen = []

    def trace(p, port, iface):
        seen.append(ns.Simulator.Now())
        raise ValueError("bad trace sink")

    line.stack.TraceConnectWithoutContext("Diverted", trace)
    line.udp_sink()
    line.send_udp(line.udp_source(), [b"1", b"2", b"3"])
    with pytest.raises(ValueError, match="bad trace sink"):
        ns.Simulator.Run()
    assert len(seen) == 1

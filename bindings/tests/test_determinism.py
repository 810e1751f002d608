"""Determinism: the same script gives the same bytes; the run number changes random draws."""

import glob
import io
import os

import pytest

import ns3divert as ns
from topo import Line


def random_scenario(tag, run):
    """Random processing delays and on/off traffic; returns its counters and timings."""
    ns.GlobalValue.Bind("ChecksumEnabled", True)
    ns.RngSeedManager.SetSeed(12)
    ns.RngSeedManager.SetRun(run)
    line = Line()
    line.p2p.EnablePcapAll(tag)
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    helper = ns.DivertInterceptorHelper(8000)
    helper.SetAttribute("ProcessingDelay", "ns3::UniformRandomVariable[Min=0.0|Max=0.002]")
    helper.SetVerdictCallback(lambda d: d[5] % 5 != 0)  # drop some (by IP identification)
    app = helper.Install(line.r).Get(0)
    # Streams are numbered automatically, and the numbers keep growing from one
    # simulation to the next in a process: fix them, as in C++.
    app.AssignStreams(100)
    sink = ns.PacketSinkHelper("ns3::UdpSocketFactory", ("0.0.0.0", 9)).Install(line.h1)
    arrivals = []
    sink.Get(0).TraceConnectWithoutContext(
        "Rx", lambda p, a: arrivals.append((ns.Simulator.Now().GetTimeStep(), bytes(p)[-1])))
    onoff = ns.OnOffHelper("ns3::UdpSocketFactory", ("10.1.2.2", 9))
    onoff.SetAttribute("OnTime", "ns3::ExponentialRandomVariable[Mean=0.05]")
    onoff.SetAttribute("OffTime", "ns3::ExponentialRandomVariable[Mean=0.05]")
    onoff.SetAttribute("DataRate", "2Mbps")
    onoff.SetAttribute("PacketSize", 201)
    apps = onoff.Install(line.h0)
    onoff.AssignStreams(ns.NodeContainer(line.h0), 200)
    line.divert.AssignStreams(line.nodes, 300)
    apps.Start(ns.Seconds(1))
    apps.Stop(ns.Seconds(2))
    ns.Simulator.Stop(ns.Seconds(3))
    ns.Simulator.Run()
    result = (app.GetCounters().AsDict(), line.stack.GetDivertStats().AsDict(), arrivals)
    ns.Simulator.Destroy()
    ns.Config.Reset()
    return result


def pcap_bytes(tag):
    """The bytes of every pcap file of a tag, by name."""
    out = {}
    for path in sorted(glob.glob(f"{tag}-*.pcap")):
        with open(path, "rb") as f:
            out[path[len(tag):]] = f.read()
    return out


def test_same_seed_and_run_same_results_and_pcap_bytes():
    first = random_scenario("a", run=1)
    second = random_scenario("b", run=1)
    assert first == second
    assert first[0]["received"] > 20 and first[0]["dropped"] > 0 and first[0]["passed"] > 0
    assert len(first[2]) == first[0]["passed"]
    a, b = pcap_bytes("a"), pcap_bytes("b")
    assert a and a == b


def test_other_run_other_results():
    assert random_scenario("a", run=1) != random_scenario("b", run=2)


def test_examples_are_deterministic():
    pytest.importorskip("scapy")
    from divert_howto_ping import HowtoPing
    from divert_mangling_middlebox import ManglingMiddlebox

    outputs = []
    for tag in ("x", "y"):
        out = io.StringIO()
        HowtoPing(pcap=tag + "ping", out=out).run()
        ns.Simulator.Destroy()
        ManglingMiddlebox(pcap=tag + "mangle", out=out).run()
        ns.Simulator.Destroy()
        ns.Config.Reset()  # the middlebox turned ChecksumEnabled on: global state
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    for name in ("ping", "mangle", "ping-divert", "mangle-divert"):
        x, y = pcap_bytes("x" + name), pcap_bytes("y" + name)
        assert x and x == y, name
    assert os.path.exists("xping-divert-1-1234.pcap")


def test_separate_processes_same_bytes(tmp_path):
    """The documented command line, twice: same output, same pcap files."""
    import subprocess
    import sys
    from conftest import EXAMPLES
    script = os.path.join(EXAMPLES, "divert_howto_ping.py")
    outs = []
    for tag in ("p", "q"):
        outs.append(subprocess.run([sys.executable, script, "--count=4", f"--pcap={tag}"],
                                   capture_output=True, text=True, check=True,
                                   cwd=tmp_path).stdout)
    assert outs[0] == outs[1] and "Summary: 4 pings, 4 replies" in outs[0]
    os.chdir(tmp_path)
    assert pcap_bytes("p") == pcap_bytes("q") != {}

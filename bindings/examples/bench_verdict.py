#!/usr/bin/python3
"""Benchmark: packets per second through a DivertInterceptor, verdict in Python vs C++.

    h0 ---- router ---- h1        ipchains -A forward -p udp -j DIVERT 8000
                                  DivertInterceptor on port 8000

h0 sends small UDP datagrams as fast as the links take them; the router
diverts each one to an interceptor. The same scenario runs with

- the C++ verdict: the interceptor without a verdict callback passes every
  datagram (the mini-HOWTO's program, all in C++);
- a Python verdict function that passes every datagram (``return None``);
  each datagram crosses into Python as bytes and back;
- optionally (--scapy) a Python verdict that opens each datagram with scapy.

and prints the packets diverted per wall-clock second of Simulator.Run()
for each, and the ratio. Best of --repeat runs.

Run (from the repository, after building):

    PYTHONPATH=build/bindings /usr/bin/python3 bindings/examples/bench_verdict.py \\
        [--packets=N] [--repeat=R] [--scapy]
"""

import argparse
import sys
import time

from ns3divert import (DivertInterceptorHelper, DivertStackHelper,
                       InternetStackHelper, Ipv4AddressHelper,
                       Ipv4GlobalRoutingHelper, NodeContainer, OnOffHelper,
                       PacketSinkHelper, PointToPointHelper, Seconds,
                       Simulator)


def python_pass(datagram):
    """The Python verdict: pass every datagram unchanged."""
    return None


def scapy_verdict():
    """A Python verdict that parses every datagram with scapy (and passes it)."""
    from scapy.layers.inet import IP, UDP

    def verdict(datagram):
        return UDP in IP(datagram)

    return verdict


def run_once(packets, verdict):
    """One simulation; returns (datagrams the interceptor handled, wall seconds of Run())."""
    nodes = NodeContainer(3)
    plain = InternetStackHelper()
    plain.SetIpv6StackInstall(False)
    plain.Install(NodeContainer(nodes[0], nodes[2]))
    divert = DivertStackHelper()
    divert.SetIpv6StackInstall(False)
    divert.Install(nodes[1])
    p2p = PointToPointHelper()
    p2p.SetDeviceAttribute("DataRate", "10Gbps")
    p2p.SetChannelAttribute("Delay", "10us")
    p2p.SetQueue("ns3::DropTailQueue", MaxSize="100000p")
    left = p2p.Install(nodes[0], nodes[1])
    right = p2p.Install(nodes[1], nodes[2])
    addresses = Ipv4AddressHelper("10.1.1.0", "255.255.255.0")
    addresses.Assign(left)
    addresses.SetBase("10.1.2.0", "255.255.255.0")
    addresses.Assign(right)
    Ipv4GlobalRoutingHelper.PopulateRoutingTables()

    DivertStackHelper.GetStack(nodes[1]).GetFirewall().Execute("-A forward -p udp -j DIVERT 8000")
    helper = DivertInterceptorHelper(8000)
    helper.SetVerdictCallback(verdict)
    interceptor = helper.Install(nodes[1]).Get(0)

    sink = PacketSinkHelper("ns3::UdpSocketFactory", ("0.0.0.0", 9)).Install(nodes[2]).Get(0)
    size = 64
    onoff = OnOffHelper("ns3::UdpSocketFactory", ("10.1.2.2", 9))
    onoff.SetConstantRate("1Gbps", size)
    onoff.SetAttribute("MaxBytes", packets * size)
    onoff.Install(nodes[0]).Start(Seconds(0.1))

    start = time.perf_counter()
    Simulator.Run()
    wall = time.perf_counter() - start
    handled = interceptor.GetCounters().received
    delivered = sink.GetTotalRx() // size
    Simulator.Destroy()
    if handled != packets or delivered != packets:
        raise RuntimeError(f"expected {packets} datagrams, interceptor saw {handled}, "
                           f"sink got {delivered}")
    return handled, wall


def best_rate(packets, verdict, repeat):
    """Packets per second, best of `repeat` runs."""
    return max(n / wall for n, wall in (run_once(packets, verdict) for _ in range(repeat)))


def main(argv=None):
    """Run both variants and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=50000, help="datagrams per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant (best kept)")
    parser.add_argument("--scapy", action="store_true", help="also a scapy-parsing verdict")
    args = parser.parse_args(argv)

    cxx = best_rate(args.packets, None, args.repeat)
    py = best_rate(args.packets, python_pass, args.repeat)
    print(f"packets per run: {args.packets}, best of {args.repeat}")
    print(f"C++ verdict (no callback):       {cxx:12,.0f} packets/s")
    print(f"Python verdict (return None):    {py:12,.0f} packets/s")
    print(f"ratio Python/C++:                {py / cxx:12.3f}")
    print(f"Python verdict cost per packet:  {(1 / py - 1 / cxx) * 1e6:12.2f} us")
    if args.scapy:
        sc = best_rate(args.packets, scapy_verdict(), args.repeat)
        print(f"Python verdict (scapy IP parse): {sc:12,.0f} packets/s")
        print(f"ratio scapy/C++:                 {sc / cxx:12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

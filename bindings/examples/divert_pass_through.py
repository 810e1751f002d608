#!/usr/bin/python3
"""The "pass-through" kernel option of the Divert Sockets mini-HOWTO, in Python.

The Python twin of examples/divert-pass-through.cc: what happens to a packet
that a DIVERT rule catches when no program listens on the divert port.

    client (10.1.1.1) ------ host (10.1.1.2)
      plain ns-3 stack         divert stack, UDP socket on port 9

On the host:

    ipchains -A input -p udp -d 10.1.1.2 9 -j DIVERT 1234   (nobody listens on 1234)
    ipchains -A input -p udp -d 10.1.1.2 9                   (no target: only counts)

The client sends the same UDP datagrams in two runs, PassThrough off (the
DIVERT rule drops them, divstat "no port") and on (they go on with the
next rule). The output is the C++ example's, line for line.

Run (from the repository, after building):

    PYTHONPATH=build/bindings /usr/bin/python3 bindings/examples/divert_pass_through.py \\
        [--count=N] [--size=BYTES]
"""

import argparse
import sys

from ns3divert import (DivertStackHelper, InternetStackHelper,
                       Ipv4AddressHelper, NodeContainer, Packet,
                       PointToPointHelper, Seconds, Simulator, Socket)


def run_once(pass_through, count, size):
    """One run; returns (delivered, divstat, DIVERT rule hits, next rule hits)."""
    delivered = 0

    def receive(socket):
        nonlocal delivered
        while socket.Recv() is not None:
            delivered += 1

    nodes = NodeContainer(2)
    plain = InternetStackHelper()
    plain.SetIpv6StackInstall(False)
    plain.Install(nodes.Get(0))
    divert = DivertStackHelper()
    divert.SetIpv6StackInstall(False)
    divert.SetStackAttribute("PassThrough", pass_through)
    divert.Install(nodes.Get(1))

    p2p = PointToPointHelper()
    p2p.SetDeviceAttribute("DataRate", "10Mbps")
    p2p.SetChannelAttribute("Delay", "2ms")
    devices = p2p.Install(nodes)
    addresses = Ipv4AddressHelper()
    addresses.SetBase("10.1.1.0", "255.255.255.0")
    interfaces = addresses.Assign(devices)

    firewall = DivertStackHelper.GetStack(nodes.Get(1)).GetFirewall()
    for rule in ("-A input -p udp -d 10.1.1.2 9 -j DIVERT 1234", "-A input -p udp -d 10.1.1.2 9"):
        firewall.Execute(rule)
    # Deliberately no divert socket on port 1234.

    sink = Socket.CreateSocket(nodes.Get(1), "ns3::UdpSocketFactory")
    sink.bind(("0.0.0.0", 9))
    sink.SetRecvCallback(receive)

    source = Socket.CreateSocket(nodes.Get(0), "ns3::UdpSocketFactory")
    source.Bind()
    to = (str(interfaces.GetAddress(1)), 9)
    for i in range(count):
        Simulator.Schedule(Seconds(1 + 0.1 * i), source.SendTo, Packet(size), 0, to)

    Simulator.Stop(Seconds(2 + 0.1 * count))
    Simulator.Run()

    stats = DivertStackHelper.GetStack(nodes.Get(1)).GetDivertStats()
    outcome = (delivered, stats, firewall.GetRule("input", 1).GetPackets(),
               firewall.GetRule("input", 2).GetPackets())
    Simulator.Destroy()
    return outcome


def main(argv=None, out=sys.stdout):
    """Command line as the C++ example's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5, help="UDP datagrams sent in each run")
    parser.add_argument("--size", type=int, default=100, help="UDP payload bytes")
    args = parser.parse_args(argv)

    print("host 10.1.1.2:  ipchains -A input -p udp -d 10.1.1.2 9 -j DIVERT 1234\n"
          "                ipchains -A input -p udp -d 10.1.1.2 9    (counts only)\n"
          f"No program listens on divert port 1234. The client sends {args.count}"
          " UDP datagrams to 10.1.1.2:9 in each run.\n", file=out)
    print(f"{'PassThrough':<13}{'sent':>6}{'delivered':>11}{'DIVERT rule':>13}"
          f"{'next rule':>11}{'noPort':>9}{'passedThrough':>15}", file=out)
    for pass_through in (False, True):
        delivered, s, divert_hits, next_hits = run_once(pass_through, args.count, args.size)
        print(f"{'on' if pass_through else 'off':<13}{args.count:>6}{delivered:>11}"
              f"{divert_hits:>13}{next_hits:>11}{s.noPort:>9}{s.passedThrough:>15}", file=out)
    print("\noff: DIVERT with no listener drops the packet, as DENY would (divstat noPort).\n"
          "on:  the packet goes on with the next rule, as if DIVERT had not matched.", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

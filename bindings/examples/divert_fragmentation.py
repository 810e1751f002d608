#!/usr/bin/python3
"""Fragments and divert sockets: the "always defragment" kernel option, in Python.

The Python twin of examples/divert-fragmentation.cc:

    h0 (10.1.1.1) ------ router (10.1.1.2 | 10.1.2.1) ------ h1 (10.1.2.2)
    plain stack   MTU 576  divert stack             MTU 576  divert stack, no rules
                           ipchains -A forward -p udp -j DIVERT 8000
                           DivertInterceptor on port 8000 (a Python verdict that counts)

h0 sends big UDP datagrams; both links have a small MTU. The same traffic
runs with AlwaysDefragment off (the divert socket gets each fragment) and
on (the router reassembles first and fragments again on the way out). The
output is the C++ example's, line for line.

Run (from the repository, after building):

    PYTHONPATH=build/bindings /usr/bin/python3 bindings/examples/divert_fragmentation.py \\
        [--count=N] [--size=BYTES] [--mtu=BYTES]
"""

import argparse
import sys

from ns3divert import (DivertInterceptorHelper, DivertStackHelper,
                       InternetStackHelper, Ipv4AddressHelper,
                       Ipv4GlobalRoutingHelper, Ipv4Header, NodeContainer,
                       Packet, PointToPointHelper, Seconds, Simulator, Socket)


class Outcome:
    """What one run observed."""

    def __init__(self):
        self.diverted_datagrams = 0
        self.diverted_fragments = 0
        self.diverted_bytes = 0
        self.delivered_datagrams = 0
        self.delivered_bytes = 0
        self.router_reassembly = None
        self.h1_reassembly = None

    def count(self, datagram):
        """The verdict function: count, and pass (None) unchanged."""
        ip = Ipv4Header.FromBytes(datagram)
        self.diverted_datagrams += 1
        self.diverted_bytes += len(datagram)
        if ip.GetFragmentOffset() != 0 or not ip.IsLastFragment():
            self.diverted_fragments += 1
        return None

    def receive(self, socket):
        """h1's application."""
        while (p := socket.Recv()) is not None:
            self.delivered_datagrams += 1
            self.delivered_bytes += len(p)


def run_once(always_defragment, count, size, mtu):
    """One run."""
    o = Outcome()
    nodes = NodeContainer(3)
    plain = InternetStackHelper()
    plain.SetIpv6StackInstall(False)
    plain.Install(nodes.Get(0))
    divert = DivertStackHelper()
    divert.SetIpv6StackInstall(False)
    divert.SetStackAttribute("AlwaysDefragment", always_defragment)
    divert.Install(nodes.Get(1))
    # h1 gets the divert stack too (with no rules) only to read its reassembler's counters.
    divert.SetStackAttribute("AlwaysDefragment", False)
    divert.Install(nodes.Get(2))

    p2p = PointToPointHelper()
    p2p.SetDeviceAttribute("DataRate", "10Mbps")
    p2p.SetDeviceAttribute("Mtu", mtu)
    p2p.SetChannelAttribute("Delay", "2ms")
    left = p2p.Install(nodes.Get(0), nodes.Get(1))
    right = p2p.Install(nodes.Get(1), nodes.Get(2))
    addresses = Ipv4AddressHelper()
    addresses.SetBase("10.1.1.0", "255.255.255.0")
    addresses.Assign(left)
    addresses.SetBase("10.1.2.0", "255.255.255.0")
    right_if = addresses.Assign(right)
    Ipv4GlobalRoutingHelper.PopulateRoutingTables()

    router = DivertStackHelper.GetStack(nodes.Get(1))
    router.GetFirewall().Execute("-A forward -p udp -j DIVERT 8000")
    interceptor = DivertInterceptorHelper(8000)
    interceptor.SetVerdictCallback(o.count)
    interceptor.Install(nodes.Get(1))

    sink = Socket.CreateSocket(nodes.Get(2), "ns3::UdpSocketFactory")
    sink.bind(("0.0.0.0", 9))
    sink.SetRecvCallback(o.receive)
    source = Socket.CreateSocket(nodes.Get(0), "ns3::UdpSocketFactory")
    source.Bind()
    to = (str(right_if.GetAddress(1)), 9)
    for i in range(count):
        Simulator.Schedule(Seconds(1 + 0.1 * i), source.SendTo, Packet(size), 0, to)

    Simulator.Stop(Seconds(2 + 0.1 * count))
    Simulator.Run()
    o.router_reassembly = router.GetReassembler().GetCounters()
    o.h1_reassembly = DivertStackHelper.GetStack(nodes.Get(2)).GetReassembler().GetCounters()
    Simulator.Destroy()
    return o


def main(argv=None, out=sys.stdout):
    """Command line as the C++ example's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3, help="UDP datagrams sent in each run")
    parser.add_argument("--size", type=int, default=4000,
                        help="UDP payload bytes of each datagram")
    parser.add_argument("--mtu", type=int, default=576, help="MTU of both links")
    args = parser.parse_args(argv)

    print(f"h0 sends {args.count} UDP datagrams of {args.size} bytes to h1 over links with MTU "
          f"{args.mtu};\nthe router diverts what it forwards (ipchains -A forward -p udp -j "
          "DIVERT 8000) and passes it back.\n", file=out)
    print(f"{'':<18}{'divert socket saw':>28}{'h1 received':>20}{'reassembled/frags':>21}\n"
          f"{'AlwaysDefragment':<18}{'datagrams':>11}{'frags':>8}{'bytes':>9}{'datagrams':>11}"
          f"{'bytes':>9}{'router':>10}{'h1':>11}", file=out)
    for always in (False, True):
        o = run_once(always, args.count, args.size, args.mtu)

        def ratio(c):
            return f"{c.reassembled}/{c.fragments}"

        print(f"{'on' if always else 'off (default)':<18}{o.diverted_datagrams:>11}"
              f"{o.diverted_fragments:>8}{o.diverted_bytes:>9}{o.delivered_datagrams:>11}"
              f"{o.delivered_bytes:>9}{ratio(o.router_reassembly):>10}"
              f"{ratio(o.h1_reassembly):>11}", file=out)
    print("\noff: the divert socket gets each fragment on its own (a non-first fragment has no\n"
          "     UDP header); only h1 reassembles.\n"
          "on:  the router reassembles first, the socket gets whole datagrams, and the router\n"
          "     fragments them again on the way out; h1 reassembles them once more.", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

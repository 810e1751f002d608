#!/usr/bin/python3
"""A middlebox that rewrites what it forwards, in Python with scapy.

The Python twin of examples/divert-mangling-middlebox.cc:

    h0 (10.1.1.1) ------ router (10.1.1.2 | 10.1.2.1) ------ h1 (10.1.2.2)
    plain stack          divert stack                        plain stack
                         ipchains -A forward -p udp -j DIVERT 8000
                         DivertInterceptor on port 8000

h0 sends UDP datagrams to h1. The router diverts each one to a
DivertInterceptor whose Python verdict function opens the datagram with
scapy (IP(bytes)), upper-cases the UDP payload ("hello" -> "HELLO") and
returns the new bytes (bytes(pkt)), which the interceptor sends back.

ns-3 checksums are on, so h1's UDP layer checks the UDP checksum. The
divert stack fixes the IP header checksum of what a divert socket sends,
never the UDP one: the middlebox must recompute it (scapy does when the
field is deleted). With --fixChecksum=0 it keeps the stale one, and h1
drops every datagram.

The output is the C++ example's, line for line.

Run (from the repository, after building):

    PYTHONPATH=build/bindings /usr/bin/python3 bindings/examples/divert_mangling_middlebox.py \\
        [--message=TEXT] [--count=N] [--fixChecksum=0|1] [--pcap=PREFIX]
"""

import argparse
import sys

from scapy.layers.inet import IP, UDP
from scapy.packet import Raw

from ns3divert import (DivertInterceptorHelper, DivertStackHelper, GetIpv4,
                       GlobalValue, InternetStackHelper, Ipv4AddressHelper,
                       Ipv4GlobalRoutingHelper, NodeContainer,
                       PointToPointHelper, Seconds, Simulator, Socket)


def ns3_bool(text):
    """A boolean the way ns-3's CommandLine reads it."""
    value = text.strip().lower()
    if value in ("1", "true", "t", "yes", "on"):
        return True
    if value in ("0", "false", "f", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"not a boolean: {text!r}")


def now():
    """The simulation time as the C++ example prints it."""
    return f"{Simulator.Now().GetSeconds():.4f}s  "


def udp_checksum_field(datagram):
    """The UDP checksum field of a whole IPv4 datagram with a 20-byte header."""
    return (datagram[26] << 8) | datagram[27]


class ManglingMiddlebox:
    """The scenario; run() returns the interceptor's counters."""

    def __init__(self, message="hello", count=3, fix_checksum=True, pcap=None, out=sys.stdout):
        self.message = message
        self.count = count
        self.fix_checksum = fix_checksum
        self.pcap = pcap
        self.out = out
        self.received = 0
        self.delivered_to_udp = 0

    def print(self, *args, **kwargs):
        """Print to the scenario's output."""
        print(*args, file=self.out, **kwargs)

    def upper_case(self, datagram):
        """The verdict function: bytes in, bytes out (None: pass unchanged)."""
        pkt = IP(datagram)
        if UDP not in pkt or pkt.frag != 0 or pkt.flags.MF:
            return None  # not a whole UDP datagram: pass it unchanged
        text = bytes(pkt[UDP].payload)
        upper = text.upper()
        pkt[UDP].remove_payload()
        pkt[UDP].add_payload(Raw(upper))
        # scapy recomputes the lengths and checksums it is asked to: the IP
        # checksum (the divert stack would fix it anyway) and, with
        # --fixChecksum, the UDP one.
        del pkt[IP].len
        del pkt[IP].chksum
        del pkt[UDP].len
        if self.fix_checksum:
            del pkt[UDP].chksum
        out = bytes(pkt)
        self.print(f'{now()}router diverted "{text.decode()}", sends back "{upper.decode()}"'
                   f"  UDP checksum 0x{udp_checksum_field(datagram):04x}"
                   f" -> 0x{udp_checksum_field(out):04x}"
                   f'{"" if self.fix_checksum else " (stale)"}')
        return out

    def send(self, socket, to):
        """h0 sends the message to h1's port 9."""
        self.print(f'{now()}h0 sends "{self.message}" to {to}:9')
        socket.sendto(self.message.encode(), (str(to), 9))

    def receive(self, socket):
        """h1's application."""
        while True:
            item = socket.recvfrom()
            if item is None:
                return
            data, (host, _port) = item
            self.received += 1
            self.print(f'{now()}h1 received "{data.decode()}" from {host}')

    def local_deliver(self, header, payload, interface):
        """h1's IP layer hands a datagram to UDP (before UDP checks its checksum)."""
        if header.GetProtocol() == 17:
            self.delivered_to_udp += 1

    def run(self):
        """Build, run and summarize; the caller calls Simulator.Destroy()."""
        # Real checksums everywhere: h1 drops a UDP datagram whose checksum is wrong.
        GlobalValue.Bind("ChecksumEnabled", True)

        nodes = NodeContainer(3)
        plain = InternetStackHelper()
        plain.SetIpv6StackInstall(False)
        plain.Install(nodes.Get(0))
        plain.Install(nodes.Get(2))
        divert = DivertStackHelper()
        divert.SetIpv6StackInstall(False)
        divert.Install(nodes.Get(1))

        p2p = PointToPointHelper()
        p2p.SetDeviceAttribute("DataRate", "10Mbps")
        p2p.SetChannelAttribute("Delay", "2ms")
        left = p2p.Install(nodes.Get(0), nodes.Get(1))
        right = p2p.Install(nodes.Get(1), nodes.Get(2))
        addresses = Ipv4AddressHelper()
        addresses.SetBase("10.1.1.0", "255.255.255.0")
        addresses.Assign(left)
        addresses.SetBase("10.1.2.0", "255.255.255.0")
        right_if = addresses.Assign(right)
        Ipv4GlobalRoutingHelper.PopulateRoutingTables()
        if self.pcap:
            p2p.EnablePcapAll(self.pcap)
            divert.EnableDivertPcap(self.pcap + "-divert", NodeContainer(nodes.Get(1)))

        rule = "-A forward -p udp -j DIVERT 8000"
        DivertStackHelper.GetStack(nodes.Get(1)).GetFirewall().Execute(rule)
        self.print(f"router: ipchains {rule}  (interceptor upper-cases UDP payloads, "
                   f"{'fixes' if self.fix_checksum else 'does NOT fix'} the UDP checksum)")

        helper = DivertInterceptorHelper(8000)
        helper.SetVerdictCallback(self.upper_case)
        interceptor = helper.Install(nodes.Get(1)).Get(0)

        sink = Socket.CreateSocket(nodes.Get(2), "ns3::UdpSocketFactory")
        sink.bind(("0.0.0.0", 9))
        sink.SetRecvCallback(self.receive)
        GetIpv4(nodes.Get(2)).TraceConnectWithoutContext("LocalDeliver", self.local_deliver)

        source = Socket.CreateSocket(nodes.Get(0), "ns3::UdpSocketFactory")
        source.Bind()
        for i in range(self.count):
            Simulator.Schedule(Seconds(1 + i), self.send, source, right_if.GetAddress(1))

        Simulator.Stop(Seconds(2 + self.count))
        Simulator.Run()

        c = interceptor.GetCounters()
        self.print(f"\nSummary: h0 sent {self.count}, router modified {c.modified}, "
                   f"h1's IP layer delivered {self.delivered_to_udp} to UDP, "
                   f"h1's socket got {self.received}")
        if self.received < self.delivered_to_udp:
            self.print(f"h1's UDP layer dropped {self.delivered_to_udp - self.received} "
                       "datagrams with a wrong checksum (run with --fixChecksum=1).")
        return c


def main(argv=None):
    """Command line as the C++ example's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--message", default="hello", help="UDP payload h0 sends (one word)")
    parser.add_argument("--count", type=int, default=3, help="Number of datagrams")
    parser.add_argument("--fixChecksum", type=ns3_bool, default=True,
                        help="The middlebox recomputes the UDP checksum")
    parser.add_argument("--pcap", default=None,
                        help="Write device pcaps (PREFIX-<node>-<dev>.pcap) and divert pcaps")
    args = parser.parse_args(argv)
    ManglingMiddlebox(args.message, args.count, args.fixChecksum, args.pcap).run()
    Simulator.Destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())

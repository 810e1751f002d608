#!/usr/bin/python3
"""The Divert Sockets mini-HOWTO's example, in Python (examples/divert-howto-ping.cc).

    client (10.1.1.1) ------ host (10.1.1.2)

On the host, two rules send every ICMP packet that comes in or goes out
to divert port 1234:

    ipchains -A input  -p icmp -j DIVERT 1234
    ipchains -A output -p icmp -j DIVERT 1234

A program on the host reads each packet from the divert socket, prints
it, and writes it back unchanged. The client pings the host: the replies
still come back, each request and reply having crossed the divert socket.

The output is the C++ example's, line for line.

Run (from the repository, after building):

    PYTHONPATH=build/bindings /usr/bin/python3 bindings/examples/divert_howto_ping.py \\
        [--count=N] [--passThrough=0|1] [--listen=0|1] [--pcap=PREFIX]
"""

import argparse
import sys

from ns3divert import (DivertSocket, DivertStackHelper, Icmpv4Echo,
                       Icmpv4Header, InternetStackHelper, Ipv4AddressHelper,
                       Ipv4Header, NodeContainer, Packet, PointToPointHelper,
                       Seconds, Simulator, Socket)


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
    return f"{Simulator.Now().GetSeconds():.3f}s"


class HowtoPing:
    """The scenario; run() returns the host's divert stack."""

    def __init__(self, count=3, pass_through=False, listen=True, pcap=None, out=sys.stdout):
        self.count = count
        self.pass_through = pass_through
        self.listen = listen
        self.pcap = pcap
        self.out = out
        self.replies = 0

    def print(self, *args):
        """Print to the scenario's output."""
        print(*args, file=self.out)

    def print_and_reinject(self, socket):
        """The HOWTO's program: print each diverted packet, write it back."""
        while True:
            item = socket.recvfrom()
            if item is None:
                return
            datagram, address = item
            ip = Ipv4Header.FromBytes(datagram)
            icmp = Icmpv4Header.FromBytes(datagram[20:])
            self.print(f"{now()}  diverted {ip.GetSource()} -> {ip.GetDestination()}"
                       f"  icmp type {icmp.GetType()}  {len(datagram)} bytes"
                       f"  (divert address {address[0]})")
            socket.sendto(datagram, address)

    def send_echo(self, socket, to, seq):
        """A minimal ping on a raw ICMP socket."""
        echo = Icmpv4Echo()
        echo.SetIdentifier(1)
        echo.SetSequenceNumber(seq)
        echo.SetData(bytes(56))
        p = Packet()
        p.AddHeader(echo)
        icmp = Icmpv4Header()
        icmp.SetType(Icmpv4Header.ICMPV4_ECHO)
        icmp.SetCode(0)
        p.AddHeader(icmp)
        socket.SendTo(p, 0, (str(to), 0))
        self.print(f"{now()}  client sends echo request seq={seq}")

    def receive_echo(self, socket):
        """Count and print the echo replies."""
        while True:
            p = socket.Recv()
            if p is None:
                return
            ip = Ipv4Header()
            p.RemoveHeader(ip)
            icmp = Icmpv4Header()
            p.RemoveHeader(icmp)
            if icmp.GetType() == Icmpv4Header.ICMPV4_ECHO_REPLY:
                echo = Icmpv4Echo()
                p.RemoveHeader(echo)
                self.replies += 1
                self.print(f"{now()}  client got echo reply seq={echo.GetSequenceNumber()}"
                           f" from {ip.GetSource()}")

    def run(self):
        """Build, run and summarize; the caller calls Simulator.Destroy()."""
        nodes = NodeContainer(2)
        InternetStackHelper().Install(nodes.Get(0))
        divert = DivertStackHelper()
        divert.SetStackAttribute("PassThrough", self.pass_through)
        divert.Install(nodes.Get(1))

        p2p = PointToPointHelper()
        p2p.SetDeviceAttribute("DataRate", "10Mbps")
        p2p.SetChannelAttribute("Delay", "2ms")
        devices = p2p.Install(nodes)
        addresses = Ipv4AddressHelper()
        addresses.SetBase("10.1.1.0", "255.255.255.0")
        interfaces = addresses.Assign(devices)
        if self.pcap:
            p2p.EnablePcapAll(self.pcap)
            divert.EnableDivertPcap(self.pcap + "-divert", NodeContainer(nodes.Get(1)))

        host = DivertStackHelper.GetStack(nodes.Get(1))
        for rule in ("-A input -p icmp -j DIVERT 1234", "-A output -p icmp -j DIVERT 1234"):
            host.GetFirewall().Execute(rule)  # ValueError with ipchains's message if refused
            self.print(f"ipchains {rule}")

        if self.listen:
            self.socket = DivertSocket.Create(nodes.Get(1))
            self.socket.bind(("0.0.0.0", 1234))
            self.socket.SetRecvCallback(self.print_and_reinject)

        pinger = Socket.CreateSocket(nodes.Get(0), "ns3::Ipv4RawSocketFactory")
        pinger.SetAttribute("Protocol", 1)
        pinger.SetRecvCallback(self.receive_echo)
        for i in range(self.count):
            Simulator.Schedule(Seconds(1 + i), self.send_echo, pinger,
                               interfaces.GetAddress(1), i)

        Simulator.Stop(Seconds(2 + self.count))
        Simulator.Run()

        s = host.GetDivertStats()
        self.print(f"\nSummary: {self.count} pings, {self.replies} replies\n"
                   f"  divstat: delivered {s.delivered}, no port {s.noPort}, "
                   f"queue full {s.queueFull}, sent {s.sent} (reinjected {s.reinjected}), "
                   f"errors {s.errors}\n")
        self.print(host.GetFirewall().List("", True))
        return host


def main(argv=None):
    """Command line as the C++ example's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3, help="Number of pings")
    parser.add_argument("--passThrough", type=ns3_bool, default=False,
                        help="Kernel option: DIVERT with no listener passes")
    parser.add_argument("--listen", type=ns3_bool, default=True,
                        help="Run the program that listens on the divert port")
    parser.add_argument("--pcap", default=None,
                        help="Write device pcaps (PREFIX-<node>-<dev>.pcap) and divert pcaps")
    args = parser.parse_args(argv)
    HowtoPing(args.count, args.passThrough, args.listen, args.pcap).run()
    Simulator.Destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())

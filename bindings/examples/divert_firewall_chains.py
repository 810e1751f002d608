#!/usr/bin/python3
"""An ipchains firewall with user chains, DENY and REJECT, and policies, in Python.

The Python twin of examples/divert-firewall-chains.cc:

    client (10.1.1.1) ---eth0--- fw (10.1.1.2 | 10.1.2.1) ---eth1--- server (10.1.2.2)
    plain stack                  divert stack, ipchains rules        plain stack, UDP
                                                                     sockets on every port

The rules are loaded with ExecuteScript. The client sends UDP datagrams to
six destinations, each meeting another part of the firewall; a raw ICMP
socket on the client counts the ICMP errors. At the end: the ipchains -L -v
listing and a few ipchains -C checks. The output is the C++ example's,
line for line.

Run (from the repository, after building):

    PYTHONPATH=build/bindings /usr/bin/python3 bindings/examples/divert_firewall_chains.py \\
        [--count=N]
"""

import argparse
import sys
from collections import defaultdict

from ns3divert import (DivertStackHelper, InternetStackHelper,
                       Ipv4AddressHelper, Ipv4GlobalRoutingHelper,
                       NodeContainer, Packet, PointToPointHelper, Seconds,
                       Simulator, Socket)

# '#' starts a comment, as in a shell script of ipchains commands.
SCRIPT = """
# fw forwards between the client LAN (eth0) and the server LAN (eth1).
-P forward DENY                           # forward nothing unless a rule says so
-N udpin                                  # UDP from the client LAN
-N quiet                                  # what we drop without a word
-A forward -p tcp -d 10.1.2.2 80 -j ACCEPT                # web server, both ways
-A forward -p tcp -s 10.1.2.2 80 -j ACCEPT
-A forward -p udp -s 10.1.1.0/24 -i eth1 -j udpin
-A udpin -p udp -d 0/0 53 -j ACCEPT                       # DNS
-A udpin -p udp -d 0/0 137:139 -j quiet                   # NetBIOS chatter
-A udpin -p udp -d 0/0 69 -j REJECT                       # TFTP: refused, and say so
-A quiet -j DENY
# fw itself
-A input -p udp -d 10.1.1.2 161 -j DENY                   # SNMP: silence
-A input -p udp -d 10.1.1.2 514 -j REJECT                 # syslog: refused, and say so
"""

ICMPV4_DEST_UNREACH = 3
HOST_UNREACHABLE, PORT_UNREACHABLE = 1, 3


def main(argv=None, out=sys.stdout):
    """Build, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2,
                        help="UDP datagrams sent to each destination")
    count = parser.parse_args(argv).count

    delivered = defaultdict(int)    # by destination port
    icmp_errors = defaultdict(int)  # ICMP errors about a port, by destination port
    icmp_kinds = defaultdict(int)   # ICMP errors by kind

    def receive(socket):
        port = socket.getsockname()[1]
        while socket.Recv() is not None:
            delivered[port] += 1

    def receive_icmp(socket):
        while (p := socket.Recv()) is not None:
            b = bytes(p)[20:]  # ICMP (8), then the offending IPv4 header (20) and UDP (8)
            if len(b) < 36 or b[0] != ICMPV4_DEST_UNREACH:
                continue
            icmp_errors[(b[30] << 8) | b[31]] += 1
            icmp_kinds[{HOST_UNREACHABLE: "host unreachable",
                        PORT_UNREACHABLE: "port unreachable"}.get(b[1],
                                                                  "other unreachable")] += 1

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
    left_if = addresses.Assign(left)
    addresses.SetBase("10.1.2.0", "255.255.255.0")
    right_if = addresses.Assign(right)
    Ipv4GlobalRoutingHelper.PopulateRoutingTables()

    firewall = DivertStackHelper.GetStack(nodes.Get(1)).GetFirewall()
    firewall.ExecuteScript(SCRIPT, "fw-rules")  # ValueError "fw-rules:<line>: ..." if refused

    server = str(right_if.GetAddress(1))
    fw = str(left_if.GetAddress(1))
    flows = [
        (server, 53, "udpin rule 1: ACCEPT"),
        (server, 137, "udpin -> quiet: DENY"),
        (server, 69, "udpin rule 3: REJECT"),
        (server, 5000, "falls off udpin: policy DENY"),
        (fw, 161, "input rule 1: DENY"),
        (fw, 514, "input rule 2: REJECT"),
    ]

    # The server listens on every port used; fw itself has no socket on 161 or 514.
    sockets = []
    for to, port, _ in flows:
        if to == server:
            s = Socket.CreateSocket(nodes.Get(2), "ns3::UdpSocketFactory")
            s.bind(("0.0.0.0", port))
            s.SetRecvCallback(receive)
            sockets.append(s)
    icmp = Socket.CreateSocket(nodes.Get(0), "ns3::Ipv4RawSocketFactory")
    icmp.SetAttribute("Protocol", 1)
    icmp.SetRecvCallback(receive_icmp)
    client = Socket.CreateSocket(nodes.Get(0), "ns3::UdpSocketFactory")
    client.bind(("0.0.0.0", 1025))
    for i in range(count):
        for k, (to, port, _) in enumerate(flows):
            Simulator.Schedule(Seconds(1 + i + 0.1 * k), client.SendTo, Packet(64), 0,
                               (to, port))

    Simulator.Stop(Seconds(2 + count))
    Simulator.Run()

    print(f"client 10.1.1.1:1025 sends {count} UDP datagrams to each:\n"
          f"{'  destination':<18}{'firewall':<31}{'delivered':>10}{'ICMP errors':>13}", file=out)
    for to, port, expected in flows:
        print(f"{'  ' + to + ':' + str(port):<18}{expected:<31}{delivered[port]:>10}"
              f"{icmp_errors[port]:>13}", file=out)
    s = DivertStackHelper.GetStack(nodes.Get(1)).GetDivertStats()
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(icmp_kinds.items()))
    print(f"ICMP errors at the client: {kinds or 'none'}.\n"
          f"fw dropped {s.ruleDrops} datagrams (rules and policies), {s.rejected}"
          " of them by REJECT.\n"
          "REJECT tells the sender; DENY, as a rule or a policy, drops without a word.\n",
          file=out)
    print("ipchains -L -v\n" + firewall.List("", True), file=out)

    for command in ("-C input -p tcp -s 10.1.1.1 1025 -d 10.1.1.2 80 -i eth0",
                    "-C forward -p tcp -s 10.1.1.1 1025 -d 10.1.2.2 80 -i eth1",
                    "-C forward -p tcp -s 10.1.1.1 1025 -d 10.1.2.2 23 -i eth1",
                    "-C forward -p udp -s 10.1.1.1 1025 -d 10.1.2.2 69 -i eth1",
                    "-C udpin -p udp -s 10.1.1.1 1025 -d 10.1.2.2 5000 -i eth1"):
        try:
            result = firewall.Execute(command)
        except ValueError as error:
            result = f"{error}\n"
        print(f"ipchains {command}\n  {result}", end="", file=out)
    Simulator.Destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Small topologies shared by the tests."""

import ns3divert as ns


class Line:
    """h0 (10.1.1.1) -- r (10.1.1.2 | 10.1.2.1) -- h1 (10.1.2.2), divert stack on r.

    Options: ``divert_all`` puts the divert stack on every node,
    ``stack_attributes`` are given to DivertStackHelper.SetStackAttribute,
    ``mtu`` is the MTU of the right link.
    """

    def __init__(self, divert_all=False, stack_attributes=None, mtu=1500, ipv6=False):
        self.nodes = ns.NodeContainer(3)
        self.h0, self.r, self.h1 = self.nodes[0], self.nodes[1], self.nodes[2]
        self.divert = ns.DivertStackHelper()
        self.divert.SetIpv6StackInstall(ipv6)
        for name, value in (stack_attributes or {}).items():
            self.divert.SetStackAttribute(name, value)
        if divert_all:
            self.divert.Install(self.nodes)
        else:
            plain = ns.InternetStackHelper()
            plain.SetIpv6StackInstall(ipv6)
            plain.Install(ns.NodeContainer(self.h0, self.h1))
            self.divert.Install(self.r)
        self.p2p = ns.PointToPointHelper()
        self.p2p.SetDeviceAttribute("DataRate", "100Mbps")
        self.p2p.SetChannelAttribute("Delay", "1ms")
        self.left = self.p2p.Install(self.h0, self.r)
        self.p2p.SetDeviceAttribute("Mtu", mtu)
        self.right = self.p2p.Install(self.r, self.h1)
        addresses = ns.Ipv4AddressHelper()
        addresses.SetBase("10.1.1.0", "255.255.255.0")
        self.left_if = addresses.Assign(self.left)
        addresses.SetBase("10.1.2.0", "255.255.255.0")
        self.right_if = addresses.Assign(self.right)
        ns.Ipv4GlobalRoutingHelper.PopulateRoutingTables()
        self.stack = ns.DivertStackHelper.GetStack(self.r)
        self.firewall = self.stack.GetFirewall()

    def udp_sink(self, node=None, port=9):
        """A UDP socket on h1 (or node) that keeps what it receives."""
        node = node or self.h1
        sock = ns.Socket.CreateSocket(node, "ns3::UdpSocketFactory")
        sock.bind(("0.0.0.0", port))
        sock.received = []

        def on_receive(s):
            while True:
                item = s.recvfrom()
                if item is None:
                    return
                sock.received.append(item)

        sock.SetRecvCallback(on_receive)
        return sock

    def udp_source(self, node=None):
        """An unconnected UDP socket on h0 (or node)."""
        sock = ns.Socket.CreateSocket(node or self.h0, "ns3::UdpSocketFactory")
        sock.Bind()
        return sock

    def send_udp(self, sock, payloads, to=("10.1.2.2", 9), start=1.0, interval=0.1):
        """Schedule one UDP datagram per payload."""
        for i, data in enumerate(payloads):
            ns.Simulator.Schedule(ns.Seconds(start + i * interval), sock.sendto, data, to)

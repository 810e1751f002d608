"""The fragment suite runner's scenario, written again in Python.

examples/divert-fragment-suite-runner.cc runs the cases of
test/fragment-suite/*.txt; this module reads the same case (a subset of the
suite syntax: no IP options) and builds the same simulation through the
Python bindings, so that a test can compare the two byte for byte: the
device pcap files of both links, the datagrams injected and delivered, and
the counters.

    h0 (10.1.1.1) ---- r (10.1.1.2 | 10.1.2.1) ---- h1 (10.1.2.2)
         left link, MTU 1500           right link, MTU of the case
"""

from decimal import Decimal

import ns3divert as ns

H0, R_LEFT, H1 = "10.1.1.1", "10.1.1.2", "10.1.2.2"
DROP_REASONS = ("overlap", "oversize", "timeout", "evicted", "tiny", "invalid", "toobig")
ERRNO_NAMES = {
    "ERROR_OPNOTSUPP": "opnotsupp",
    "ERROR_INVAL": "inval",
    "ERROR_MSGSIZE": "msgsize",
    "ERROR_ADDRNOTAVAIL": "addrnotavail",
    "ERROR_NOROUTETOHOST": "noroutetohost",
}


def parse_time(word):
    """A suite time in nanoseconds (exact, as the C++ runner computes it)."""
    if word == "0":
        return 0
    for suffix, scale in (("ms", 10**6), ("us", 10**3), ("s", 10**9)):
        if word.endswith(suffix):
            return int(Decimal(word[:-len(suffix)]) * scale)
    raise ValueError(f"bad time {word!r}")


def parse_payload(word):
    """A payload in the suite's notation."""
    if word == "empty":
        return b""
    out = bytearray()
    for item in word.split("+"):
        if item.startswith("hex:"):
            digits, _, repeat = item[4:].partition("*")
            out += bytes.fromhex(digits) * int(repeat or 1)
        elif item.startswith("text:"):
            out += item[5:].encode()
        elif item.startswith("seq:"):
            out += bytes(i & 0xFF for i in range(int(item[4:])))
        elif item.startswith("blocks:"):
            for ch in item[7:]:
                out += ch.encode() * 8
        elif len(item) >= 3 and item[1] == "*":
            out += item[0].encode() * int(item[2:])
        else:
            raise ValueError(f"bad payload item {item!r}")
    return bytes(out)


class Case:
    """One case of a suite file (settings and fragments; expectations are ignored)."""

    def __init__(self, name):
        self.name = name
        self.timeout = parse_time("30s")
        self.refresh_timer = True
        self.high, self.low, self.overhead = 262144, 196608, 192
        self.tiny_check = False
        self.always_defragment = False
        self.mtu = 1500
        self.defaults = {}
        self.fragments = []

    def add_fragment(self, keys):
        """A fragment from key=value words over the defaults."""
        f = {"mf": "0", "df": "0", "id": "1", "ttl": "64", "proto": "253", "time": "0",
             "at": "host"}
        f.update(self.defaults)
        f.update(keys)
        if "options" in f:
            raise NotImplementedError("IP options are not mirrored")
        self.fragments.append({
            "offset": int(f["offset"]), "data": parse_payload(f["data"]),
            "mf": f["mf"] == "1", "df": f["df"] == "1", "id": int(f["id"]),
            "ttl": int(f["ttl"]), "proto": int(f["proto"]), "time": parse_time(f["time"]),
            "router": f["at"] == "router"})


def load_case(path, name):
    """Read case `name` of a suite file."""
    case = None
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            keyword, args = words[0], words[1:]
            if keyword == "case":
                case = Case(args[0]) if args[0] == name else None
                continue
            if case is None:
                continue
            if keyword == "end":
                return case
            kv = dict(a.split("=", 1) for a in args if "=" in a)
            if keyword == "timeout":
                case.timeout = parse_time(args[0])
            elif keyword == "refresh-timer":
                case.refresh_timer = args[0] == "on"
            elif keyword == "memory":
                case.high = int(kv.get("high", case.high))
                case.low = int(kv.get("low", case.low))
                case.overhead = int(kv.get("overhead", case.overhead))
            elif keyword == "tiny-check":
                case.tiny_check = args[0] == "on"
            elif keyword == "always-defragment":
                case.always_defragment = args[0] == "on"
            elif keyword == "mtu":
                case.mtu = int(args[0])
            elif keyword == "defaults":
                case.defaults.update(kv)
            elif keyword == "frag":
                case.add_fragment(kv)
            elif keyword == "frags":
                n, step = int(kv.pop("n")), int(kv.pop("step"))
                id_step = int(kv.pop("id-step", 0))
                time_step = parse_time(kv.pop("time-step", "0"))
                for k in range(n):
                    keys = dict(kv)
                    base = dict(case.defaults, **kv)
                    keys["offset"] = str(int(base["offset"]) + k * step)
                    keys["id"] = str(int(base.get("id", "1")) + k * id_step)
                    keys["time"] = f"{parse_time(base.get('time', '0')) + k * time_step}"
                    keys["time"] = "0" if keys["time"] == "0" else keys["time"] + "ns"
                    case.add_fragment(keys)
    raise KeyError(f"no case {name!r} in {path}")


def build_datagram(f):
    """The fragment as the runner builds it: 20-byte header (RFC 791 checksum) and payload."""
    h = ns.Ipv4Header()
    h.SetSource(H0)
    h.SetDestination(H1)
    h.SetProtocol(f["proto"])
    h.SetTtl(f["ttl"])
    h.SetIdentification(f["id"])
    h.SetPayloadSize(len(f["data"]))
    h.SetFragmentOffset(f["offset"])
    if f["mf"]:
        h.SetMoreFragments()
    if f["df"]:
        h.SetDontFragment()
    h.EnableChecksum()
    return bytes(h) + f["data"]


def icmp_list(items):
    """ICMP messages as the runner prints them (runs as t/c*n, mtu= for 3/4)."""
    if not items:
        return "none"
    out, i = [], 0
    while i < len(items):
        t, c, mtu = items[i]
        show = t == 3 and c == 4
        j = i
        while j < len(items) and items[j][:2] == (t, c) and (not show or items[j][2] == mtu):
            j += 1
        text = f"{t}/{c}" + (f"*{j - i}" if j - i > 1 else "") + (f" mtu={mtu}" if show else "")
        out.append(text)
        i = j
    return " ".join(out)


def run(case, policy, pcap_prefix=None):
    """Run one case under one policy; returns the lines the runner prints for it.

    Lines: the verbose block (without the 'delivered #' lines, whose payload
    notation is the runner's) and the --hex lines.
    """
    ns.RngSeedManager.SetSeed(1)
    ns.RngSeedManager.SetRun(1)
    nodes = ns.NodeContainer(3)
    stack = ns.DivertStackHelper()
    stack.SetIpv6StackInstall(False)
    stack.SetIpv4ArpJitter(False)
    stack.Install(nodes)

    p2p = ns.PointToPointHelper()
    p2p.SetDeviceAttribute("DataRate", "100Mbps")
    p2p.SetChannelAttribute("Delay", "1ms")
    p2p.SetDeviceAttribute("Mtu", 1500)
    left = p2p.Install(nodes[0], nodes[1])
    p2p.SetDeviceAttribute("Mtu", case.mtu)
    right = p2p.Install(nodes[1], nodes[2])
    addresses = ns.Ipv4AddressHelper()
    addresses.SetBase("10.1.1.0", "255.255.255.0")
    addresses.Assign(left)
    addresses.SetBase("10.1.2.0", "255.255.255.0")
    addresses.Assign(right)
    ns.Ipv4GlobalRoutingHelper.PopulateRoutingTables()
    if pcap_prefix:
        base = f"{pcap_prefix}-{case.name}-{policy}"
        p2p.EnablePcap(base + "-left.pcap", left.Get(0), False, True)
        p2p.EnablePcap(base + "-right.pcap", right.Get(0), False, True)

    for node in nodes:
        s = ns.DivertStackHelper.GetStack(node)
        s.SetAttribute("AlwaysDefragment", case.always_defragment)
        r = s.GetReassembler()
        r.SetAttribute("OverlapPolicy", policy)
        r.SetAttribute("Timeout", ns.NanoSeconds(case.timeout))
        r.SetAttribute("RefreshTimer", case.refresh_timer)
        r.SetAttribute("HighThreshold", case.high)
        r.SetAttribute("LowThreshold", case.low)
        r.SetAttribute("FragmentOverhead", case.overhead)
        r.SetAttribute("TinyFragmentCheck", case.tiny_check)

    h0, router, h1 = nodes[0], nodes[1], nodes[2]
    h1_stack = ns.DivertStackHelper.GetStack(h1)
    delivered, injected, refusals, icmp = [], [], [], []

    def on_local_deliver(header, payload, iif):
        delivered.append((header, bytes(payload)))

    h1_stack.TraceConnectWithoutContext("LocalDeliver", on_local_deliver)
    host_divert = ns.Socket.CreateSocket(h1, ns.DivertSocketFactory.GetTypeId())
    router_divert = ns.Socket.CreateSocket(router, ns.DivertSocketFactory.GetTypeId())
    assert host_divert.Bind() == 0 and router_divert.Bind() == 0

    ports = sorted({(f["data"][2] << 8) | f["data"][3] for f in case.fragments
                    if f["proto"] == 17 and f["offset"] == 0 and len(f["data"]) >= 4})
    udp = []
    for port in ports:
        s = ns.Socket.CreateSocket(h1, "ns3::UdpSocketFactory")
        s.Bind(("0.0.0.0", port))
        s.SetRecvCallback(lambda sock: sock.RecvFrom() and None)
        udp.append(s)
    icmp_socket = ns.Socket.CreateSocket(h0, "ns3::Ipv4RawSocketFactory")
    icmp_socket.SetAttribute("Protocol", 1)

    def on_icmp(sock):
        while (p := sock.Recv()) is not None:
            b = bytes(p)[20:]
            if len(b) >= 8:
                icmp.append((b[0], b[1], (b[6] << 8) | b[7]))

    icmp_socket.SetRecvCallback(on_icmp)

    def inject(f):
        data = build_datagram(f)
        injected.append((f["router"], data))
        sock = router_divert if f["router"] else host_divert
        to = R_LEFT if f["router"] else H1
        if sock.SendTo(data, 0, (to, 0)) < 0:
            refusals.append(sock.GetErrno())

    last = 0
    for f in case.fragments:
        ns.Simulator.Schedule(ns.NanoSeconds(f["time"]), inject, f)
        last = max(last, f["time"])
    ns.Simulator.Stop(ns.NanoSeconds(last + case.timeout) + ns.Seconds(10))
    ns.Simulator.Run()

    dropped = dict.fromkeys(DROP_REASONS, 0)
    for node in (router, h1):
        s = ns.DivertStackHelper.GetStack(node)
        k = s.GetReassembler().GetCounters()
        dropped["overlap"] += k.overlapDropped
        dropped["oversize"] += k.oversize
        dropped["timeout"] += k.timedOut
        dropped["evicted"] += k.evicted
        dropped["tiny"] += k.tinyDropped
        dropped["invalid"] += k.invalid
        dropped["toobig"] += s.GetDivertStats().tooBig
    counters = h1_stack.GetReassembler().GetCounters()

    lines = []
    drops = "".join(f" {r}*{n}" for r, n in sorted(dropped.items()) if n)
    lines.append("      dropped:" + (drops or " none"))
    lines.append("      icmp: " + icmp_list(icmp))
    lines.append(f"      counters (h1): fragments {counters.fragments}, reassembled "
                 f"{counters.reassembled}, overlaps {counters.overlaps}, duplicates "
                 f"{counters.duplicates}")
    for err in refusals:
        lines.append("      refused: " + ERRNO_NAMES.get(err.name, f"errno{int(err)}"))
    for i, (at_router, data) in enumerate(injected):
        lines.append(f"  {policy} inject {i} {'router' if at_router else 'host'} {data.hex()}")
    for i, (header, payload) in enumerate(delivered):
        header.EnableChecksum()
        lines.append(f"  {policy} deliver {i} {(bytes(header) + payload).hex()}")
    ns.Simulator.Destroy()
    return lines


def runner_lines(stdout, policy):
    """The runner's lines for one policy, in the same subset as run() returns."""
    lines = []
    for line in stdout.splitlines():
        if line.startswith(("      dropped:", "      icmp:", "      counters (h1):",
                            "      refused:")):
            lines.append(line)
        elif line.startswith((f"  {policy} inject ", f"  {policy} deliver ")):
            lines.append(line)
    return lines

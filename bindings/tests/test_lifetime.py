"""Lifetime: Ptr holders, callables held by ns-3, memory across simulations."""

import gc
import os
import threading
import weakref

import ns3divert as ns
from topo import Line

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss():
    """Resident set size in bytes (/proc/self/statm)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def test_ptr_holder_frees_objects():
    """PeekPointer, not GetPointer: dropping the wrapper frees the C++ object."""
    data = bytes(range(256)) * 400  # 100 kB
    for _ in range(200):
        p = ns.Packet(data)
    gc.collect()
    before = rss()
    for _ in range(3000):
        p = ns.Packet(data)  # a real 100 kB buffer each time
        q = p.Copy()
        q.AddAtEnd(b"x")
        assert len(bytes(q)) == 102401
        ns.Ipchains().Execute("-A input -j ACCEPT")
        ns.NodeContainer(1)
    del p, q
    gc.collect()
    # 3000 leaked 100 kB buffers would be 300 MB.
    assert rss() - before < 8 * 1024 * 1024


def test_same_cpp_object_same_python_object():
    nodes = ns.NodeContainer(2)
    ns.DivertStackHelper().Install(nodes)
    a = ns.DivertStackHelper.GetStack(nodes[0])
    b = ns.GetIpv4(nodes[0])
    assert a is b
    fw = a.GetFirewall()
    del a, b
    gc.collect()
    assert ns.DivertStackHelper.GetStack(nodes[0]).GetFirewall() is fw
    assert ns.NodeContainer.GetGlobal()[1] is nodes[1]


class Verdict:
    """A callable verdict that refers to the application it is given to (a cycle)."""

    def __init__(self):
        self.app = None
        self.calls = 0

    def __call__(self, datagram):
        self.calls += 1
        return self.app is not None  # True: pass


def scenario(packets=30):
    """A full scenario with Python callables everywhere; returns what it counted."""
    line = Line()
    line.firewall.Execute("-A forward -p udp -j DIVERT 8000")
    verdict = Verdict()
    helper = ns.DivertInterceptorHelper(8000)
    helper.SetVerdictCallback(verdict)
    verdict.app = helper.Install(line.r).Get(0)
    diverted = []
    line.stack.TraceConnectWithoutContext("Diverted", lambda p, port, i: diverted.append(len(p)))
    sink = line.udp_sink()
    src = line.udp_source()
    src.owner = line  # Python state hung on an ns-3 object, referring back to it
    line.send_udp(src, [b"y" * 100] * packets, interval=0.01)
    ns.Simulator.Schedule(ns.Seconds(0.5), lambda: diverted.append(line))
    ns.Simulator.Run()
    result = (len(sink.received), verdict.calls, len(diverted))
    return result, weakref.ref(verdict)


def test_destroy_releases_python_callables_and_cycles():
    (received, calls, diverted), verdict = scenario()
    assert (received, calls, diverted) == (30, 30, 31)
    assert ns._LiveCallableCount() > 0
    ns.Simulator.Destroy()
    assert ns._LiveCallableCount() == 0
    gc.collect()
    assert verdict() is None


def test_memory_stays_flat_over_many_simulations():
    for _ in range(5):
        scenario()
        ns.Simulator.Destroy()
    gc.collect()
    before = rss()
    objects_before = len(gc.get_objects())
    for _ in range(100):
        result, _ = scenario()
        assert result == ((30, 30, 31))
        ns.Simulator.Destroy()
    gc.collect()
    growth = rss() - before
    # A leaked node, stack or packet per run would show: the scenarios
    # allocate a few MB each.
    assert growth < 2 * 1024 * 1024, f"RSS grew by {growth} bytes over 100 simulations"
    assert len(gc.get_objects()) - objects_before < 200
    assert ns._LiveCallableCount() == 0


def test_callbacks_from_a_worker_thread():
    """The GIL is taken in every trampoline: a simulation may run in another thread."""
    results = {}

    def work():
        results["value"] = scenario(packets=10)[0]

    other = []
    t = threading.Thread(target=work)
    t.start()
    for i in range(1000):
        other.append(i * i)  # the main thread keeps running Python meanwhile
    t.join(60)
    assert not t.is_alive()
    assert results["value"] == (10, 10, 11)
    assert len(other) == 1000

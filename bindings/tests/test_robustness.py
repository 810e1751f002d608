"""Robustness: random bytes sent on divert sockets give exceptions, never crashes."""

import random

import pytest

import ns3divert as ns
from topo import Line

TARGETS = ["0.0.0.0", "10.1.1.1", "10.1.1.2", "10.1.2.1", "10.1.2.2", "127.0.0.1", "9.9.9.9"]
KNOWN_ERRORS = {"ERROR_INVAL", "ERROR_ADDRNOTAVAIL", "ERROR_MSGSIZE", "ERROR_NOROUTETOHOST",
                "ERROR_OPNOTSUPP"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_datagrams_on_divert_sockets(seed):
    rng = random.Random(seed)
    ns.GlobalValue.Bind("ChecksumEnabled", seed % 2 == 0)
    line = Line(divert_all=True, mtu=rng.choice([68, 576, 1500]),
                stack_attributes={"AlwaysDefragment": seed == 3})
    for node in (line.r, line.h1):
        fw = ns.DivertStackHelper.GetStack(node).GetFirewall()
        fw.ExecuteScript("-A input -p udp -j DIVERT 7000\n-A forward -j DIVERT 7001\n"
                         "-A output -p icmp -j DIVERT 7002\n")
        for port in (7000, 7001, 7002):
            ns.DivertInterceptorHelper(port).Install(node)
    sockets = [ns.DivertSocket.Create(n) for n in line.nodes]
    errors = {}

    def send():
        size = rng.choice([0, 1, 19, 20, 21, 28, 100, 600, 1500, 4000])
        b = bytearray(rng.getrandbits(8) for _ in range(size))
        if size >= 20 and rng.random() < 0.9:
            b[0] = 0x45 if rng.random() < 0.9 else rng.getrandbits(8)
            b[12:20] = bytes([10, 1, rng.choice([1, 2]), rng.choice([1, 2]),
                              10, 1, rng.choice([1, 2]), rng.choice([1, 2])])
            b[9] = rng.choice([1, 6, 17, 253])
            if rng.random() < 0.5:
                b[6] &= 0x3F
        try:
            rng.choice(sockets).sendto(bytes(b), (rng.choice(TARGETS),
                                                  rng.choice([0, rng.getrandbits(16)])))
        except OSError as e:
            errors[e.strerror] = errors.get(e.strerror, 0) + 1

    for _ in range(600):
        ns.Simulator.Schedule(ns.MicroSeconds(rng.randint(1, 2000000)), send)
    ns.Simulator.Stop(ns.Seconds(40))
    ns.Simulator.Run()
    assert set(errors) <= KNOWN_ERRORS
    assert errors.get("ERROR_INVAL", 0) > 0 and errors.get("ERROR_ADDRNOTAVAIL", 0) > 0


def test_interceptor_application_on_a_plain_node_is_refused():
    nodes = ns.NodeContainer(1)
    ns.InternetStackHelper().Install(nodes)
    with pytest.raises(ValueError, match="no divert stack"):
        nodes[0].AddApplication(ns.DivertInterceptor())

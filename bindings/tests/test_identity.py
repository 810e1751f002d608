"""The same scenarios in C++ and in Python give the same counters and the same bytes.

The C++ programs are the examples of the build tree (examples/*.cc), run
with fixed options; the Python versions are bindings/examples/*.py and
suite_mirror.py. Compared:

- every example (divert-howto-ping, -mangling-middlebox, -pass-through,
  -firewall-chains, -fragmentation): the whole output, which carries every
  counter (divstat, interceptor, reassembler, rule and policy counters,
  checksums, times);
- divert-fragment-suite-runner: the device pcap files of both links, byte
  for byte, and the injected and delivered datagrams (hex), the reassembly
  counters, drops and ICMP messages.
"""

import io
import os
import subprocess

import pytest

import ns3divert as ns
import suite_mirror
from conftest import ROOT, build_dir


def cxx(name, *args):
    """Run a C++ example of the build tree; returns its standard output."""
    path = os.path.join(build_dir(), name)
    if not os.path.exists(path):
        pytest.skip(f"{path} is not built (DIVERT_ENABLE_EXAMPLES=OFF?)")
    result = subprocess.run([path, *args], capture_output=True, text=True, timeout=300,
                            check=True)
    return result.stdout


@pytest.mark.parametrize("args", [
    [],
    ["--count=5"],
    ["--count=2", "--listen=0"],
    ["--count=4", "--passThrough=1", "--listen=0"],
])
def test_howto_ping_same_output(args):
    from divert_howto_ping import HowtoPing
    expected = cxx("divert-howto-ping", *args)
    out = io.StringIO()
    opts = {"count": 3, "pass_through": False, "listen": True}
    for a in args:
        key, value = a[2:].split("=")
        if key == "count":
            opts["count"] = int(value)
        elif key == "passThrough":
            opts["pass_through"] = value == "1"
        elif key == "listen":
            opts["listen"] = value == "1"
    HowtoPing(out=out, **opts).run()
    ns.Simulator.Destroy()
    assert out.getvalue() == expected


@pytest.mark.parametrize("args", [
    [],
    ["--fixChecksum=0"],
    ["--message=Divert", "--count=2"],
])
def test_mangling_middlebox_same_output(args):
    pytest.importorskip("scapy.layers.inet")
    from divert_mangling_middlebox import ManglingMiddlebox
    expected = cxx("divert-mangling-middlebox", *args)
    opts = {}
    for a in args:
        key, value = a[2:].split("=")
        if key == "fixChecksum":
            opts["fix_checksum"] = value == "1"
        elif key == "count":
            opts["count"] = int(value)
        else:
            opts["message"] = value
    out = io.StringIO()
    ManglingMiddlebox(out=out, **opts).run()
    ns.Simulator.Destroy()
    assert out.getvalue() == expected


@pytest.mark.parametrize("module, program, args", [
    ("divert_pass_through", "divert-pass-through", []),
    ("divert_pass_through", "divert-pass-through", ["--count=3", "--size=700"]),
    ("divert_firewall_chains", "divert-firewall-chains", []),
    ("divert_firewall_chains", "divert-firewall-chains", ["--count=3"]),
    ("divert_fragmentation", "divert-fragmentation", []),
    ("divert_fragmentation", "divert-fragmentation", ["--count=2", "--size=3000", "--mtu=1000"]),
])
def test_other_examples_same_output(module, program, args):
    expected = cxx(program, *args)
    out = io.StringIO()
    __import__(module).main(args, out=out)
    ns.Simulator.Destroy()
    assert out.getvalue() == expected


SUITE = os.path.join(ROOT, "test", "fragment-suite")

# (file, case, policy): forwarding and fragmentation at the router (right-link
# pcap full of fragments the divert stack made), DF refusal with ICMP back
# on the left link, reassembly at the host, a timeout with ICMP time exceeded.
SUITE_RUNS = [
    ("forward.txt", "forward-fragmented", "linux"),
    ("forward.txt", "forward-minimum-mtu", "bsd"),
    ("forward.txt", "df-forward-too-big", "first"),
    ("forward.txt", "fragments-of-fragments", "windows"),
    ("forward.txt", "always-defragment-at-router", "last"),
    ("basic.txt", "icmp-echo-fragmented", "linux"),
    ("shapes.txt", "shape-covering", "drop-on-overlap"),
    ("limits.txt", "timeout-with-first-fragment", "solaris"),
]


@pytest.mark.parametrize("suite, case, policy", SUITE_RUNS)
def test_fragment_suite_case_same_pcap_bytes(suite, case, policy):
    path = os.path.join(SUITE, suite)
    if not os.path.exists(path):
        pytest.skip(f"{path} is missing")
    stdout = cxx("divert-fragment-suite-runner", f"--suite={path}", f"--case={case}",
                 f"--policy={policy}", "--verbose", "--hex", "--pcap=cxx")
    expected = suite_mirror.runner_lines(stdout, policy)
    assert any(" inject " in line for line in expected), stdout

    lines = suite_mirror.run(suite_mirror.load_case(path, case), policy, pcap_prefix="py")
    assert lines == expected

    captured = 0
    for link in ("left", "right"):
        with open(f"cxx-{case}-{policy}-{link}.pcap", "rb") as f:
            cxx_bytes = f.read()
        with open(f"py-{case}-{policy}-{link}.pcap", "rb") as f:
            py_bytes = f.read()
        assert py_bytes == cxx_bytes, f"{link} link pcap differs"
        captured += len(cxx_bytes) - 24  # 24: the pcap file header
    assert captured > 0, "nothing crossed either link: a useless comparison"

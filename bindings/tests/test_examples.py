"""The Python examples run as scripts, with the documented command line."""

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES


def run(script, *args):
    """Run an example; returns its standard output."""
    result = subprocess.run([sys.executable, os.path.join(EXAMPLES, script), *args],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_howto_ping_script():
    out = run("divert_howto_ping.py", "--count=2", "--pcap=ping")
    assert "Summary: 2 pings, 2 replies" in out
    assert "divstat: delivered 4, no port 0, queue full 0, sent 4 (reinjected 4)" in out
    assert sorted(f for f in os.listdir(".") if f.endswith(".pcap")) == [
        "ping-0-1.pcap", "ping-1-1.pcap", "ping-divert-1-1234.pcap"]


def test_mangling_middlebox_script():
    pytest.importorskip("scapy")
    out = run("divert_mangling_middlebox.py", "--count=2", "--message=abc")
    assert 'router diverted "abc", sends back "ABC"' in out
    assert "h1's socket got 2" in out
    stale = run("divert_mangling_middlebox.py", "--count=1", "--fixChecksum=0")
    assert "(stale)" in stale and "h1's socket got 0" in stale


def test_bench_verdict_script():
    out = run("bench_verdict.py", "--packets=2000", "--repeat=1")
    lines = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    assert float(lines["C++ verdict (no callback)"].split()[0].replace(",", "")) > 0
    assert float(lines["Python verdict (return None)"].split()[0].replace(",", "")) > 0
    assert 0 < float(lines["ratio Python/C++"]) < 2


def test_every_example_has_a_docstring_and_main():
    for name in os.listdir(EXAMPLES):
        if name.endswith(".py"):
            with open(os.path.join(EXAMPLES, name)) as f:
                text = f.read()
            assert text.startswith("#!/usr/bin/python3\n\"\"\""), name
            assert "def main(" in text and 'if __name__ == "__main__":' in text, name


def test_readme_scenario_runs():
    """The scenario of bindings/README.md works as written."""
    from conftest import ROOT
    with open(os.path.join(ROOT, "bindings", "README.md")) as f:
        text = f.read()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "(b'HELLO', ('10.1.1.1', 49153))" in result.stdout
    assert "DivertStats(delivered=1" in result.stdout

# SPDX-License-Identifier: GPL-2.0-only
"""Outside oracle for fragments on the wire: tshark's reassembly.

The fragment-suite runner runs a forwarding case of test/fragment-suite with
device pcaps (PointToPointHelper::EnablePcap): a whole datagram enters the
router r, which fragments it for the 576-byte (or 68-byte) link towards h1,
where the divert stack reassembles it. This test checks that

- tshark, with IPv4 defragmentation on, reassembles the fragments captured on
  r's device to the datagram that was injected (same total length, same
  payload bytes), which is also what h1 delivered;
- every captured fragment is, byte for byte, what scapy's fragment() makes of
  the injected datagram (TTL one less: r forwarded it; the header checksum is
  left out: ns-3 writes 0 unless checksums are enabled).

The build directory comes from DIVERT_BUILD (set by the CTest entry); run
with `pytest -p no:cacheprovider`.
"""

import os
import struct
import subprocess

import pytest
from scapy.layers.inet import IP, fragment

BUILD = os.environ.get("DIVERT_BUILD", "")
RUNNER = os.path.join(BUILD, "divert-fragment-suite-runner")
SUITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fragment-suite")


def run_case(tmp_path, case):
    """Run one case (policy linux) with pcaps; return (injected, delivered) datagrams."""
    if not os.access(RUNNER, os.X_OK):
        pytest.fail(f"{RUNNER} not built (set DIVERT_BUILD to the build directory)")
    prefix = str(tmp_path / "cap")
    out = subprocess.run([RUNNER, f"--suite={SUITE}", f"--case={case}", "--policy=linux",
                          f"--pcap={prefix}", "--hex"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    injected, delivered = [], []
    for line in out.stdout.splitlines():
        words = line.split()
        if len(words) == 5 and words[1] == "inject":
            injected.append(bytes.fromhex(words[4]))
        elif len(words) == 4 and words[1] == "deliver":
            delivered.append(bytes.fromhex(words[3]))
    pcap = f"{prefix}-{case}-linux-right.pcap"
    assert os.path.exists(pcap), f"no capture {pcap}"
    return injected, delivered, pcap


def tshark_reassembled(pcap):
    """(reassembled length, reassembled payload) of each datagram tshark completes."""
    out = subprocess.run(["tshark", "-r", pcap, "-o", "ip.defragment:TRUE", "-Y",
                          "ip.reassembled.length", "-T", "fields", "-e",
                          "ip.reassembled.length", "-e", "ip.reassembled.data"],
                         capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines():
        length, data = line.split("\t")
        rows.append((int(length), bytes.fromhex(data.replace(":", ""))))
    return rows


def wire_datagrams(pcap):
    """IPv4 datagrams of a pcap of ns-3 point-to-point frames (link type 9,
    PPP: a 2-byte protocol field, 0x0021 for IPv4, before each datagram)."""
    with open(pcap, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
    assert magic == 0xA1B2C3D4 and linktype == 9, "not a little-endian PPP pcap"
    at, out = 24, []
    while at < len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[at:at + 16])
        frame = data[at + 16:at + 16 + caplen]
        at += 16 + caplen
        if frame[:2] == b"\x00\x21":
            out.append(frame[2:])
    return out


def without_checksum(ip_bytes):
    return ip_bytes[:10] + b"\0\0" + ip_bytes[12:]


@pytest.mark.parametrize("case,mtu", [("forward-fragmented", 576),
                                      ("forward-minimum-mtu", 68)])
def test_tshark_reassembles_the_injected_datagram(tmp_path, case, mtu):
    injected, delivered, pcap = run_case(tmp_path, case)
    assert len(injected) == 1 and len(delivered) == 1
    sent = injected[0]
    total = int.from_bytes(sent[2:4], "big")

    rows = tshark_reassembled(pcap)
    assert len(rows) == 1, f"tshark reassembled {len(rows)} datagrams"
    length, data = rows[0]
    assert 20 + length == total == len(sent)
    assert data == sent[20:]
    # h1 delivered the same datagram: same total length, same payload.
    assert int.from_bytes(delivered[0][2:4], "big") == total
    assert delivered[0][20:] == sent[20:]

    # The fragments on the wire are RFC 791's: scapy's fragment() of the
    # datagram r forwarded (TTL decremented).
    wire = wire_datagrams(pcap)
    forwarded = IP(sent)
    forwarded.ttl -= 1
    del forwarded.chksum
    expected = [bytes(f) for f in fragment(IP(bytes(forwarded)), fragsize=(mtu - 20) // 8 * 8)]
    assert len(wire) == len(expected)
    for i, (a, b) in enumerate(zip(wire, expected)):
        assert without_checksum(a) == without_checksum(b), f"fragment {i} differs from scapy's"


def test_tshark_reassembles_fragments_of_fragments(tmp_path):
    # Two fragments for a 1500-byte MTU split again by r for 576 bytes: the
    # pieces on the wire still reassemble to one datagram (RFC 791).
    injected, delivered, pcap = run_case(tmp_path, "fragments-of-fragments")
    assert len(injected) == 2 and len(delivered) == 1
    payload = b"".join(d[20:] for d in injected)
    rows = tshark_reassembled(pcap)
    assert len(rows) == 1
    length, data = rows[0]
    assert length == len(payload) == 2000
    assert data == payload == delivered[0][20:]
    assert int.from_bytes(delivered[0][2:4], "big") == 20 + length


def ip_options(datagram):
    """The options field of an IPv4 datagram (IHL above 5)."""
    return datagram[20:(datagram[0] & 0x0F) * 4]


@pytest.mark.parametrize("case,later", [("options-copying-at-router", "9e04aaaa01010101"),
                                        ("options-copying-compact", "9e04aaaa")])
def test_options_on_the_wire(tmp_path, case, later):
    # RFC 791 options copying, as tshark decodes the device capture: the
    # first fragment has both options, the second only the copied one (NOP
    # filled the Linux way, or compacted the BSD way); each header checksum,
    # options included, verifies; tshark reassembles the datagram, and scapy
    # reads the same options.
    injected, delivered, pcap = run_case(tmp_path, case)
    assert len(injected) == 1 and len(delivered) == 1
    sent = injected[0]
    out = subprocess.run(["tshark", "-r", pcap, "-o", "ip.check_checksum:TRUE", "-T", "fields",
                          "-e", "ip.hdr_len", "-e", "ip.checksum.status", "-e", "ip.opt.type"],
                         capture_output=True, text=True, check=True)
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    later_len = 20 + len(later) // 2
    assert [r[0] for r in rows] == ["28", str(later_len)]
    assert [r[1] for r in rows] == ["1", "1"], "header checksum not good"
    wire = wire_datagrams(pcap)
    assert ip_options(wire[0]).hex() == "9e04aaaa1e04bbbb"
    assert ip_options(wire[1]).hex() == later
    assert [o.option for o in IP(wire[0]).options] == [30, 30]
    assert [o.copy_flag for o in IP(wire[0]).options] == [1, 0]
    # Every fragment's data block is the one the 28-byte first header leaves.
    assert int.from_bytes(wire[1][6:8], "big") & 0x1FFF == (576 - 28) // 8
    rows = tshark_reassembled(pcap)
    assert len(rows) == 1 and rows[0][1] == sent[28:]
    # h1 delivered the datagram with the first fragment's options.
    assert ip_options(delivered[0]) == ip_options(sent)
    assert delivered[0][28:] == sent[28:]

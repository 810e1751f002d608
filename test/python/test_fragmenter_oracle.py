# SPDX-License-Identifier: GPL-2.0-only
"""Outside oracle for the divert module's fragmenter.

The C++ program divert-fragment-dump prints the fragments that
ns3::Ipv4Fragmenter::Fragment makes of a datagram (one hex line each, IPv4
header with its checksum, then payload). This test builds the same datagram
with scapy and compares, byte for byte, with what scapy's fragment() makes
(scapy's fragsize is payload bytes per fragment: the MTU minus the 20-byte
header, rounded down to a multiple of 8, as RFC 791 prescribes).

The build directory comes from the environment variable DIVERT_BUILD (set by
the CTest entry); run with `pytest -p no:cacheprovider`.
"""

import os
import subprocess

import pytest
from scapy.layers.inet import IP, fragment
from scapy.packet import Raw

BUILD = os.environ.get("DIVERT_BUILD", "")
DUMP = os.path.join(BUILD, "divert-fragment-dump")
SRC = "192.0.2.1"
DST = "198.51.100.2"

SIZES = [1, 7, 8, 9, 100, 548, 549, 556, 557, 984, 985, 1472, 1473, 1480, 1481, 2000, 4000,
         65515]
MTUS = [68, 296, 576, 1006, 1500, 9000]


def payload(size):
    """The payload divert-fragment-dump uses: byte i is (i * 7 + 13) mod 256."""
    return bytes((i * 7 + 13) & 0xFF for i in range(size))


def dump(size, mtu, ident=1, offset=0, mf=False, df=False, proto=17, ttl=64):
    """Fragments from the module, as bytes."""
    if not os.access(DUMP, os.X_OK):
        pytest.fail(f"{DUMP} not built (set DIVERT_BUILD to the build directory)")
    args = [DUMP, f"--size={size}", f"--mtu={mtu}", f"--id={ident}", f"--offset={offset}",
            f"--mf={int(mf)}", f"--df={int(df)}", f"--proto={proto}", f"--ttl={ttl}"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [bytes.fromhex(line) for line in out.split()]


def datagram(size, ident=1, offset=0, mf=False, proto=17, ttl=64):
    """The same datagram (or fragment) in scapy."""
    return IP(src=SRC, dst=DST, id=ident, ttl=ttl, proto=proto, tos=0, frag=offset // 8,
              flags="MF" if mf else 0) / Raw(payload(size))


def scapy_fragments(size, mtu, **kw):
    """What scapy makes of it. scapy's fragment() splits even a datagram that
    fits (its block size is rounded down); RFC 791 sends that one whole."""
    pkt = datagram(size, **kw)
    if size + 20 <= mtu:
        return [bytes(pkt)]
    return [bytes(f) for f in fragment(pkt, fragsize=(mtu - 20) // 8 * 8)]


def compare(ours, theirs):
    assert len(ours) == len(theirs), f"{len(ours)} fragments, scapy makes {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a[:20] == b[:20], f"fragment {i}: header {a[:20].hex()} != scapy {b[:20].hex()}"
        assert a == b, f"fragment {i}: payload differs from scapy's"


@pytest.mark.parametrize("mtu", MTUS)
@pytest.mark.parametrize("size", SIZES)
def test_datagram_matches_scapy(size, mtu):
    ident = (size * 31 + mtu) & 0xFFFF
    compare(dump(size, mtu, ident), scapy_fragments(size, mtu, ident=ident))


@pytest.mark.parametrize("proto,ttl", [(1, 1), (6, 128), (253, 255)])
def test_other_header_fields(proto, ttl):
    compare(dump(3000, 576, 0xBEEF, proto=proto, ttl=ttl),
            scapy_fragments(3000, 576, ident=0xBEEF, proto=proto, ttl=ttl))


@pytest.mark.parametrize("offset,mf,size,mtu", [
    (1480, True, 1480, 576),    # a middle fragment: every piece keeps MF
    (2960, False, 1000, 576),   # a last fragment: only its last piece clears MF
    (0, True, 1480, 68),        # a first fragment on the smallest MTU
    (8, True, 96, 68),          # offset base of one block
    (64000, False, 1400, 576),  # close to the 65535-byte end
])
def test_fragment_of_fragment_matches_scapy(offset, mf, size, mtu):
    # RFC 791: refragmenting keeps the offset base and the MF of the last piece.
    compare(dump(size, mtu, 99, offset=offset, mf=mf),
            scapy_fragments(size, mtu, ident=99, offset=offset, mf=mf))


def test_refusals():
    # DF and too big (the caller sends ICMP 3/4, RFC 1191), MTU below 68
    # (RFC 791), and pieces that would pass 65535 bytes: no fragments.
    assert dump(1000, 576, df=True) == []
    assert len(dump(556, 576, df=True)) == 1
    assert dump(100, 67) == []
    assert dump(1000, 576, offset=65000) == []


def dump_options(size, mtu, options, compact=False):
    """Fragments from the module for a datagram with IP options, as bytes."""
    args = [DUMP, f"--size={size}", f"--mtu={mtu}", f"--options={options.hex()}",
            f"--compact={int(compact)}"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [bytes.fromhex(line) for line in out.split()]


# Options whose copied flag is set (RFC 791): scapy's fragment() repeats every
# option in every fragment, so for these both stacks' bytes are scapy's.
COPIED_OPTIONS = [bytes.fromhex("94040000"),                      # Router Alert (RFC 2113)
                  bytes.fromhex("9e04aaaa"),                      # RFC 4727 experiment, copied
                  bytes.fromhex("83070400000000" + "00"),         # LSRR, one empty slot, EOL
                  bytes.fromhex("9e28") + b"\xaa" * 38]           # one of 40 bytes, IHL 15


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("options", COPIED_OPTIONS, ids=lambda o: o.hex()[:8] + f"-{len(o)}")
@pytest.mark.parametrize("size,mtu", [(1000, 576), (4000, 1500), (100, 68), (3000, 296)])
def test_copied_options_match_scapy(size, mtu, options, compact):
    hlen = 20 + len(options)
    ours = dump_options(size, mtu, options, compact)
    pkt = IP(src=SRC, dst=DST, id=1, ttl=64, proto=17, tos=0, options=options) / Raw(payload(size))
    theirs = [bytes(pkt)] if size + hlen <= mtu else \
        [bytes(f) for f in fragment(pkt, fragsize=(mtu - hlen) // 8 * 8)]
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"fragment {i}: {a[:hlen].hex()} != scapy {b[:hlen].hex()}"


# copied, not copied, NOP, copied (Router Alert), EOL and padding: 16 bytes
MIXED = bytes.fromhex("9e04aaaa" "1e04bbbb" "01" "94040000" "000000")


@pytest.mark.parametrize("compact", [False, True])
def test_non_copied_options_only_in_first_fragment(compact):
    # scapy decodes each fragment; the first keeps every option, the later
    # ones only those with the copied flag: in place of the others, No
    # Operation bytes (Linux ip_options_fragment) or nothing (BSD ip_optcopy,
    # padded with End of Option List to 4 bytes).
    frags = dump_options(2000, 576, MIXED, compact)
    assert len(frags) == 4
    first = IP(frags[0])
    assert first.ihl * 4 == 36 and bytes(frags[0][20:36]) == MIXED
    block = (576 - 36) // 8 * 8
    for i, f in enumerate(frags[1:], start=1):
        ip = IP(f)
        kinds = [(o.copy_flag, o.option) for o in ip.options]
        if compact:
            assert ip.ihl * 4 == 32
            assert bytes(f[20:32]) == bytes.fromhex("9e04aaaa" "01" "94040000" "000000")
            assert (0, 30) not in kinds
        else:
            assert ip.ihl * 4 == 36
            assert bytes(f[20:36]) == bytes.fromhex("9e04aaaa" "01010101" "01" "94040000" "000000")
        assert (1, 30) in kinds and (1, 20) in kinds
        # The data of every fragment is the block the first header leaves.
        assert ip.frag * 8 == i * block
        assert ip.len - ip.ihl * 4 == (block if i < 3 else 2000 - 3 * block)
    # The header checksum covers the options: a recomputed one is the same.
    for f in frags:
        ip = IP(f)
        written = ip.chksum
        del ip.chksum
        assert IP(bytes(ip)).chksum == written

"""Read pcap files (as ns-3 writes them) without any dependency.

Used by the examples and the tests to compare traces; scapy's rdpcap
works as well.
"""

import struct
from typing import List, NamedTuple

#: Link types ns-3 writes.
DLT_RAW = 101
DLT_PPP = 9
DLT_EN10MB = 1


class Record(NamedTuple):
    """One captured frame."""

    seconds: int
    microseconds: int
    data: bytes


class Capture(NamedTuple):
    """A whole pcap file."""

    linktype: int
    snaplen: int
    records: List[Record]


def read(path: str) -> Capture:
    """Read a pcap file (microsecond resolution, either byte order)."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 24:
        raise ValueError(f"{path}: not a pcap file")
    magic = struct.unpack("<I", raw[:4])[0]
    if magic == 0xA1B2C3D4:
        order = "<"
    elif magic == 0xD4C3B2A1:
        order = ">"
    else:
        raise ValueError(f"{path}: not a pcap file (magic {magic:#x})")
    _, _, _, _, snaplen, linktype = struct.unpack(order + "HHiIII", raw[4:24])
    records = []
    pos = 24
    while pos + 16 <= len(raw):
        sec, usec, incl, _orig = struct.unpack(order + "IIII", raw[pos:pos + 16])
        pos += 16
        records.append(Record(sec, usec, raw[pos:pos + incl]))
        pos += incl
    return Capture(linktype, snaplen, records)


def strip_link_header(capture: Capture, frame: bytes) -> bytes:
    """The IPv4 datagram of a frame of a capture (PPP, Ethernet or raw)."""
    if capture.linktype == DLT_PPP:
        return frame[2:]
    if capture.linktype == DLT_EN10MB:
        return frame[14:]
    return frame

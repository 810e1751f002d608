"""ns-3 and the divert module, scripted from Python.

Debian's ns-3.37 ships no Python bindings; this package binds, with
pybind11, the part of ns-3 a divert scenario needs (simulator, time,
attributes, nodes, point-to-point and CSMA links, the internet stack,
addresses and routing, a few applications, sockets, packets and headers,
pcap/ascii tracing) and the whole divert module (DivertStackHelper,
DivertIpv4L3Protocol, Ipchains, FirewallRule, DivertSocket,
DivertInterceptor, Ipv4Reassembler).

Names follow the C++ API::

    from ns3divert import *

    nodes = NodeContainer(2)
    DivertStackHelper().Install(nodes)
    ...
    Simulator.Stop(Seconds(5))
    Simulator.Run()
    Simulator.Destroy()

Python values stand for ns-3 attribute values (True, 3, 0.5, "10Mbps",
Seconds(1)); addresses are "10.1.1.1" or ("10.1.1.1", 9); packets are
Packet objects or bytes. Errors raise: ValueError (unknown attribute,
refused ipchains command, with ipchains's message), OSError (socket
errors, strerror is the ns-3 error name such as "ERROR_INVAL").

Run a script from the build tree with Debian's interpreter::

    PYTHONPATH=build/bindings /usr/bin/python3 script.py
"""

from ._ns3divert import *  # noqa: F401,F403
from ._ns3divert import _LiveCallableCount  # noqa: F401
from . import _ns3divert as _ext
from . import pcap  # noqa: F401

__version__ = "0.1.0"

#: Names exported by ``from ns3divert import *``.
__all__ = sorted(n for n in dir(_ext) if not n.startswith("_")) + ["pcap"]

"""Docstrings and type stubs: help() and editors see the API."""

import ast
import os
import pydoc

import pytest

import ns3divert as ns
from conftest import ROOT

STUB = os.path.join(ROOT, "bindings", "ns3divert", "__init__.pyi")


def stub_tree():
    """The parsed stub."""
    with open(STUB) as f:
        return ast.parse(f.read(), STUB)


def test_stub_is_up_to_date():
    import sys
    sys.path.insert(0, os.path.join(ROOT, "bindings", "tools"))
    import make_stubs
    with open(STUB) as f:
        assert f.read() == make_stubs.generate(), \
            "stale stub: run PYTHONPATH=build/bindings /usr/bin/python3 " \
            "bindings/tools/make_stubs.py"


def test_stub_covers_every_public_name():
    tree = stub_tree()
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            declared.update(alias.asname or alias.name for alias in node.names)
    missing = set(ns.__all__) - declared
    assert not missing


def test_stub_methods_match_the_classes():
    tree = stub_tree()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in ns.__all__ and node.name != "Config":
            cls = getattr(ns, node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("__"):
                    assert hasattr(cls, item.name), f"{node.name}.{item.name}"


def test_help_shows_signatures_and_docstrings():
    text = pydoc.render_doc(ns.DivertSocket, renderer=pydoc.plaintext)
    assert "recvfrom(self: ns3divert._ns3divert.Socket, bufsize: int = 65535)" in text
    assert "(bytes, (host, port)) of the next datagram" in text
    assert "ERROR_INVAL" in text
    assert "Set an attribute from a Python value" in pydoc.render_doc(ns.Object.SetAttribute)
    for fn in (ns.Simulator.Run, ns.Simulator.Schedule, ns.Ipchains.Execute,
               ns.DivertStackHelper.SetStackAttribute, ns.DivertInterceptor.SetVerdictCallback,
               ns.Config.SetDefault, ns.GlobalValue.Bind, ns.Seconds, ns.Packet.__init__,
               ns.DivertIpv4L3Protocol.GetDivertStats, ns.Ipchains.GetRule):
        # pybind11 docstrings: the signature(s), then our text for each overload.
        lines = [ln for ln in (fn.__doc__ or "").splitlines() if ln.strip()]
        text = [ln for ln in lines if "(" not in ln.split(" ")[0] and
                not ln[0].isdigit() and ln != "Overloaded function."]
        assert text, f"{fn.__qualname__} has no docstring"
    assert ns.__doc__ and "PYTHONPATH=build/bindings /usr/bin/python3" in ns.__doc__


def test_stub_and_examples_type_check(tmp_path):
    """mypy accepts the stub, and the examples against it (if mypy is installed)."""
    api = pytest.importorskip("mypy.api")
    import shutil
    from conftest import EXAMPLES
    package = tmp_path / "ns3divert"
    package.mkdir()
    shutil.copy(STUB, package / "__init__.pyi")
    shutil.copy(os.path.join(ROOT, "bindings", "ns3divert", "pcap.py"), package / "pcap.py")
    examples = sorted(os.path.join(EXAMPLES, n) for n in os.listdir(EXAMPLES)
                      if n.endswith(".py"))
    out, err, status = api.run(["--ignore-missing-imports", "--no-incremental",
                                "--cache-dir", str(tmp_path / "cache"),
                                str(package / "__init__.pyi"), *examples])
    assert status == 0, out + err

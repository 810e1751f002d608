"""Every public class and function of ns3divert is used by some test."""

import glob
import inspect
import os

import ns3divert as ns

HERE = os.path.dirname(os.path.abspath(__file__))


def test_every_public_name_is_exercised():
    text = ""
    for path in glob.glob(os.path.join(HERE, "*.py")):
        if not path.endswith("test_coverage.py"):
            with open(path) as f:
                text += f.read()
    unused = []
    for name in ns.__all__:
        obj = getattr(ns, name)
        if name.isupper() or name.startswith("LOG_"):
            continue  # enum values exported at module level
        if inspect.ismodule(obj) and name != "Config":
            continue
        if name not in text:
            unused.append(name)
    assert not unused, f"not used by any test: {unused}"

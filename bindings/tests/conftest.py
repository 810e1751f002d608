"""Shared fixtures of the ns3divert tests.

Run through CTest (``ctest -R divert-python``) or directly:

    PYTHONPATH=build/bindings DIVERT_BUILD=build /usr/bin/python3 -m pytest -q bindings/tests
"""

import os
import sys

import pytest

import ns3divert as ns

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.path.join(ROOT, "bindings", "examples")
sys.path.insert(0, HERE)
sys.path.insert(0, EXAMPLES)


# Absolute: the tests run in their own temporary directories.
BUILD = os.path.abspath(os.environ.get("DIVERT_BUILD", os.path.join(ROOT, "build")))


def build_dir():
    """The CMake build tree (DIVERT_BUILD, else ./build of the repository)."""
    return BUILD


# Subprocesses (examples run as scripts) find the same package, from any directory.
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(ns.__file__)))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [_PACKAGE_PARENT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])


@pytest.fixture(autouse=True)
def clean_simulation(tmp_path, monkeypatch):
    """Every test runs in its own directory and leaves no simulation behind."""
    monkeypatch.chdir(tmp_path)
    yield
    ns.Simulator.Destroy()
    ns.Config.Reset()
    ns.Names.Clear()
    ns.RngSeedManager.SetSeed(1)
    ns.RngSeedManager.SetRun(1)


@pytest.fixture
def build():
    """Path of the build tree."""
    return build_dir()

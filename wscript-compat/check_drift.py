#!/usr/bin/env python3
"""Fails when wscript-compat/wscript and CMakeLists.txt list different files.

The CMake lists are the source of truth; the waf wscript keeps its own copy
(waf-era ns-3 expects plain lists in a wscript). Run by CTest as
"divert-wscript-drift".
"""

import os
import re
import sys
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PAIRS = [
    ("divert_model_sources", "MODEL_SOURCES", None),
    ("divert_helper_sources", "HELPER_SOURCES", None),
    ("divert_headers", "HEADERS", None),
    ("divert_test_suites", "TEST_SUITES", None),
    ("divert_test_support", "TEST_SUPPORT", None),
    ("divert_examples", "EXAMPLES", None),
    ("divert_mpi_examples", "MPI_EXAMPLES", None),
    ("divert_benchmarks", "BENCHMARKS", None),
    ("divert_ns3_libraries", "LIBRARY_DEPENDENCIES", None),
]


def cmake_list(text, name):
    """The items of set(<name> ...) in a CMakeLists.txt."""
    match = re.search(r"set\(%s\b(.*?)\)" % re.escape(name), text, re.S)
    if not match:
        raise SystemExit("CMakeLists.txt has no set(%s ...)" % name)
    return [word for word in match.group(1).split() if not word.startswith("#")]


def wscript_lists(path):
    """The module-level lists of the wscript, without running waf."""
    module = types.ModuleType("divert_wscript")
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), module.__dict__)
    return module


def main():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        cmake = f.read()
    wscript = wscript_lists(os.path.join(ROOT, "wscript-compat", "wscript"))
    failures = 0
    for cmake_name, waf_name, _ in PAIRS:
        left = sorted(cmake_list(cmake, cmake_name))
        right = sorted(getattr(wscript, waf_name))
        if left != right:
            failures += 1
            print("drift: %s vs %s" % (cmake_name, waf_name))
            for item in sorted(set(left) - set(right)):
                print("  only in CMakeLists.txt: %s" % item)
            for item in sorted(set(right) - set(left)):
                print("  only in the wscript:    %s" % item)
    # Every file named must exist.
    for _, waf_name, _ in PAIRS:
        for item in getattr(wscript, waf_name):
            if "/" in item and not os.path.exists(os.path.join(ROOT, item)):
                failures += 1
                print("missing file: %s" % item)
    if failures:
        return 1
    print("wscript and CMakeLists.txt list the same %d sources, headers, tests and examples"
          % sum(len(getattr(wscript, w)) for _, w, _ in PAIRS))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Installs the module from a build tree into a scratch prefix, then builds and
# runs a downstream project against it with find_package(ns3-divert).
#   run.sh <divert build dir>
set -euo pipefail
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work="$build/downstream-test"
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
cmake -S "$here" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log"
cmake --build "$work/build" >"$work/build.log"
out=$(LD_LIBRARY_PATH="$work/prefix/lib" "$work/build/downstream")
echo "$out"
echo "$out" | grep -q "refused: unknown protocol .udpp. specified" || { echo "unexpected output" >&2; exit 1; }
echo "$out" | grep -q "denied by rule 1: 1 packet" || { echo "unexpected output" >&2; exit 1; }
echo "$out" | grep -q "received: 0 bytes"
test -f "$work/prefix/include/ns3/divert-module.h"

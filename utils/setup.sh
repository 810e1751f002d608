#!/usr/bin/env bash
# Installs what the divert module needs (Debian packages), configures and
# builds it in ./build. Idempotent and quiet when there is nothing to do.
# Sourced by utils/demo.sh and utils/test.sh.
set -euo pipefail

DIVERT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIVERT_BUILD=${DIVERT_BUILD:-$DIVERT_ROOT/build}
# Everything the build, the demo and the tests use; test/python/test_packages.py
# (CTest: divert-packages) fails when a tool or Python import is not covered.
# libxml2-dev and libsqlite3-dev: Debian's ns-3 CMake config names their
# headers and libraries, but libns3-dev does not depend on them.
packages=(cmake g++ make ns3 libns3-dev libgsl-dev libxml2-dev libsqlite3-dev libboost-test-dev
  python3-pytest pybind11-dev python3-dev python3-scapy python3-matplotlib tshark doxygen
  python3-sphinx)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$DIVERT_BUILD"
log="$DIVERT_BUILD/build.log"
if [ ! -f "$DIVERT_BUILD/CMakeCache.txt" ]; then
  if ! cmake -S "$DIVERT_ROOT" -B "$DIVERT_BUILD" -DPython3_EXECUTABLE=/usr/bin/python3 \
      >"$log" 2>&1; then
    cat "$log"
    echo "configure failed (log: $log)" >&2
    exit 1
  fi
fi
if ! cmake --build "$DIVERT_BUILD" -j "$(nproc)" >"$log" 2>&1; then
  grep -E "error|Error" "$log" | head -40
  echo "build failed (log: $log)" >&2
  exit 1
fi

#!/usr/bin/env bash
# Runs Doxygen on the module's headers (with the ns-3 base classes they
# override) and fails on any warning about the module's own files.
#   check_doxygen.sh <output dir>
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
ns3=/usr/include/ns3
bases="$ns3/object.h $ns3/object-base.h $ns3/socket.h $ns3/socket-factory.h $ns3/tag.h"
bases="$bases $ns3/application.h $ns3/ipv4.h $ns3/ipv4-l3-protocol.h $ns3/ipv4-routing-protocol.h"
bases="$bases $ns3/trace-helper.h $ns3/internet-trace-helper.h $ns3/header.h $ns3/chunk.h"
cd "$root"
(cat doc/Doxyfile; echo "INPUT = model helper $bases"; echo "OUTPUT_DIRECTORY = $out") |
  doxygen - >"$out/doxygen.log" 2>&1 || { cat "$out/doxygen.log"; exit 1; }
ours=$(grep -E "^$root/(model|helper)/" "$out/doxygen.log" | sort -u || true)
if [ -n "$ours" ]; then
  echo "$ours"
  echo "Doxygen: $(echo "$ours" | wc -l) warning(s) about the module's headers" >&2
  exit 1
fi
echo "Doxygen: every public declaration of model/ and helper/ is documented"

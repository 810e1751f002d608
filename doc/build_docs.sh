#!/usr/bin/env bash
# Builds the module documentation with Sphinx, warnings as errors, including
# the charts that utils/plot.py draws from the programs of a build tree.
#   build_docs.sh <divert build dir>
# DIVERT_DOC_PACKETS sets how many packets the benchmark chart runs (5000).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd)
packets=${DIVERT_DOC_PACKETS:-5000}
src="$build/doc-src"
rm -rf "$src"
cp -r "$root/doc" "$src"
/usr/bin/python3 "$root/utils/plot.py" --build "$build" --out "$src/figures" \
  --packets "$packets" --repeat 1 >/dev/null
sphinx-build -W -q -b html "$src" "$build/doc-html"
echo "documentation: $build/doc-html/index.html"

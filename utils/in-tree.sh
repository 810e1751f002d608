#!/usr/bin/env bash
# Builds the divert module inside an ns-3 source tree, as contrib/divert, with
# ns-3's own build system, then runs the module's tests and one example there.
#
#   bash utils/in-tree.sh <ns-3 source tree or ns-3.X.tar.xz> [--mpi] [--jobs N]
#
# A tarball is unpacked under $DIVERT_INTREE_DIR (default /tmp/divert-intree).
# CMake-era trees (ns-3.36+) use the module's CMakeLists.txt (build_lib);
# waf-era trees (ns-3.35 and older) use wscript-compat/wscript.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source_arg=""
mpi=0
jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --mpi) mpi=1 ;;
    --jobs) jobs=$2; shift ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) source_arg=$1 ;;
  esac
  shift
done
[ -n "$source_arg" ] || { echo "usage: $0 <ns-3 tree or tarball> [--mpi] [--jobs N]" >&2; exit 2; }

if [ -f "$source_arg" ]; then
  work=${DIVERT_INTREE_DIR:-/tmp/divert-intree}
  mkdir -p "$work"
  top=$(set +o pipefail; tar tf "$source_arg" | head -1 | cut -d/ -f1)
  [ -d "$work/$top" ] || tar xf "$source_arg" -C "$work"
  tree="$work/$top"
else
  tree=$(cd "$source_arg" && pwd)
fi
start=$(date +%s)
echo "ns-3 tree: $tree"

modules="divert point-to-point applications flow-monitor"
if [ -f "$tree/CMakeLists.txt" ] && [ ! -f "$tree/waf" ]; then
  ln -sfn "$repo" "$tree/contrib/divert"
  build="$tree/cmake-cache"
  extra=()
  [ $mpi -eq 1 ] && extra+=(-DNS3_MPI=ON) && modules="$modules mpi"
  cmake -S "$tree" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNS3_EXAMPLES=ON -DNS3_TESTS=OFF \
    -DNS3_WARNINGS_AS_ERRORS=OFF -DNS3_ENABLED_MODULES="${modules// /;}" \
    -DNS3_FILTER_MODULE_EXAMPLES_AND_TESTS=divert "${extra[@]}" \
    >"$tree/divert-configure.log" 2>&1 || { tail -30 "$tree/divert-configure.log"; exit 1; }
  cmake --build "$build" -j "$jobs" >"$tree/divert-build.log" 2>&1 ||
    { grep -E "error|Error" "$tree/divert-build.log" | head -30; exit 1; }
  (cd "$build/contrib/divert" && ctest --output-on-failure)
  example=$(ls "$tree"/build/contrib/divert/examples/*divert-howto-ping* 2>/dev/null | head -1 ||
    true)
  [ -n "$example" ] || example=$(find "$tree/build" -name "*divert-howto-ping*" -type f | head -1)
  (cd "$tree" && LD_LIBRARY_PATH="$tree/build/lib" "$example" --count=2)
  # With --mpi, the distributed example divert-mpi runs once either build
  # system's branch is done (after this if/else): sequentially, then on two MPI
  # processes; the union of the two ranks' "node ..." lines must equal the
  # sequential run's, sorted.
else
  # waf era: contrib/divert is a directory of links, with the waf wscript.
  mkdir -p "$tree/contrib/divert"
  for d in model helper examples bench test; do ln -sfn "$repo/$d" "$tree/contrib/divert/$d"; done
  ln -sfn "$repo/wscript-compat/wscript" "$tree/contrib/divert/wscript"
  cd "$tree"
  extra=""
  [ $mpi -eq 1 ] && extra="--enable-mpi"
  python3 ./waf configure --disable-werror --enable-examples --build-profile=optimized \
    --enable-modules="${modules// /,}" $extra >"$tree/divert-configure.log" 2>&1 ||
    { tail -30 "$tree/divert-configure.log"; exit 1; }
  python3 ./waf build -j "$jobs" >"$tree/divert-build.log" 2>&1 ||
    { grep -E "error|Error" "$tree/divert-build.log" | head -30; exit 1; }
  for t in $(python3 -c "exec(open('$repo/wscript-compat/wscript').read()); print(' '.join(TEST_SUITES))"); do
    exe=$(find build -name "*$t*" -type f -perm -u+x | head -1)
    [ -n "$exe" ] || { echo "test program $t was not built" >&2; exit 1; }
    echo "$t:"
    (cd build && LD_LIBRARY_PATH="$tree/build/lib" "../$exe" --report_level=short)
  done
  example=$(find build -name "*divert-howto-ping*" -type f -perm -u+x | head -1)
  (cd build && LD_LIBRARY_PATH="$tree/build/lib" "../$example" --count=2)
fi
if [ $mpi -eq 1 ]; then
  mpi_example=$(find "$tree/build" -name "*divert-mpi*" -type f -perm -u+x | head -1)
  [ -n "$mpi_example" ] || { echo "divert-mpi was not built (mpi module enabled?)" >&2; exit 1; }
  seq_out=$(cd "$tree" && LD_LIBRARY_PATH="$tree/build/lib" "$mpi_example" --sequential=1)
  echo "divert-mpi --sequential=1:"
  echo "$seq_out"
  mpi_out=$(cd "$tree" && LD_LIBRARY_PATH="$tree/build/lib" mpirun --allow-run-as-root \
    --oversubscribe -x LD_LIBRARY_PATH -np 2 "$mpi_example")
  echo "mpirun -np 2 divert-mpi:"
  echo "$mpi_out"
  grep -q '^node ' <<<"$seq_out" || { echo "divert-mpi printed no counters" >&2; exit 1; }
  if ! diff <(grep '^node ' <<<"$seq_out" | sort) <(grep '^node ' <<<"$mpi_out" | sort); then
    echo "divert-mpi: the two ranks' lines differ from the sequential run's (diff above)" >&2
    exit 1
  fi
  echo "divert-mpi: the two ranks' $(grep -c '^node ' <<<"$mpi_out") lines equal the sequential run's"
fi
echo "in-tree build and tests passed in $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Runs every test of the divert module (installing and building first if needed).
# In CI (CI=true), or with DIVERT_FRESH_ROOT=1, then runs the README's two
# commands again in a fresh Debian 12 root (utils/fresh-root.sh);
# DIVERT_FRESH_ROOT=0 leaves that out, as inside that root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$DIVERT_BUILD"
ctest --output-on-failure -j "$(nproc)"
fresh=${DIVERT_FRESH_ROOT:-}
if [ "$fresh" = 1 ] || { [ "${CI:-}" = true ] && [ "$fresh" != 0 ]; }; then
  bash "$DIVERT_ROOT/utils/fresh-root.sh"
fi

#!/usr/bin/env bash
# Runs every test of the divert module (installing and building first if needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$DIVERT_BUILD"
ctest --output-on-failure -j "$(nproc)"

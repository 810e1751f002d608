#!/usr/bin/env bash
# Runs the main demonstration: the Divert Sockets mini-HOWTO example.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$DIVERT_BUILD/divert-howto-ping" "$@"

#!/usr/bin/env bash
# A small run of the divert-scale example (CTest "divert-scale-small"): 20
# sites instead of 3400. It must finish, every flow must meet the fate its
# kind says, and two runs must print the same thing apart from the
# wall-clock and memory lines. The full-size run is never a test.
#   divert-scale-smoke.sh <path of divert-scale>
set -euo pipefail
program=$1
args=(--sites=20 --flows=100 --packets=20 --list=0)
first=$("$program" "${args[@]}" 2>/dev/null)
second=$("$program" "${args[@]}" 2>/dev/null)
echo "$first"
fail() { echo "divert-scale-smoke: $*" >&2; exit 1; }
echo "$first" | grep -q "^divert-scale: 64 nodes" || fail "unexpected topology"
echo "$first" | grep -q "dns -> server:53 *20 *400 *400" || fail "dns flows not delivered"
echo "$first" | grep -q "rules + policy: equal" || fail "divstat ruleDrops differs from the rule counters"
! echo "$first" | grep -q "UNEXPECTED" || fail "a flow met the wrong fate"
strip() { grep -v -e "^build time:" -e "^run time:" -e "^peak memory:"; }
diff <(echo "$first" | strip) <(echo "$second" | strip) || fail "two runs differ"

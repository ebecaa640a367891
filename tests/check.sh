#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check: unit tests, the local KVM smoke test, then the nested rig.
# Every stage runs even if an earlier one failed, so one log shows all.
#   check.sh OBJTREE UNIT_BINARIES...
objtree=$1
shift
src=$(cd "$(dirname "$0")/.." && pwd)
failed=

"$src/tests/unit/run.sh" "$@" || failed="$failed unit"
"$src/tests/smoke/run.sh" "$objtree/knit" "$objtree/tests/build/guest" ||
	failed="$failed smoke"
if "$src/scripts/deps.sh" rig; then
	"$src/tests/rig/run.sh" "$objtree" scenarios || failed="$failed rig"
else
	failed="$failed rig"
fi

if [ -n "$failed" ]; then
	echo "check: FAILED:$failed"
	exit 1
fi
echo "check: all stages passed"

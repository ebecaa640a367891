#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot a stock Debian kernel under knit, with its console on screen. The
# local /dev/kvm cannot boot Linux (see /work/shared/docs/rig.md), so this
# runs knit inside the nested rig's L1 (tests/rig/run.sh OBJTREE demo).
#   scripts/demo.sh OBJTREE          L2 prints uname -a, CPUs, powers off
#   scripts/demo.sh OBJTREE shell    L2 gives a shell; `exit` powers off
case "$#:${2:-}" in
1:|2:shell) ;;
*) echo "usage: $0 OBJTREE [shell]" >&2; exit 2 ;;
esac
[ "${2:-}" = shell ] && export RIG_DEMO=shell
exec "$(dirname "$0")/../tests/rig/run.sh" "$1" demo

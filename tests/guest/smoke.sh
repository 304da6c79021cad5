#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside a guest on Debian's own kernel: the modules built against
# linux-headers-amd64, as users build them, load, pass traffic and unload.
#
#   tests/guest/smoke.sh MODULE_DIR

repo=$(cd "$(dirname "$0")/../.." && pwd)
moddir=${1:?module directory}
echo "# $(uname -r)"
for m in vnif crak; do
	if out=$(insmod "$moddir/$m.ko" 2>&1); then
		echo "ok - stock: load $m.ko"
	else
		echo "not ok - stock: load $m.ko: $out"
		exit 1
	fi
done
bash "$repo/tests/selftests/vnif-pair.sh" | sed 's/^\(\(not \)\{0,1\}ok - \)/\1stock: /'
rc=${PIPESTATUS[0]}
for m in crak vnif; do
	if out=$(rmmod "$m" 2>&1); then
		echo "ok - stock: unload $m"
	else
		echo "not ok - stock: unload $m: $out"
		rc=1
	fi
done
exit "$rc"

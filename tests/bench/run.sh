#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boots Debian's stock kernel (the kernel users run) and runs
# tests/bench/bench.py in it. Every figure is measured against a peer in the
# same run: holding against an nftables DROP lock of the same length, vnif
# against veth. Then tests/bench/crak_bench.py: crak's checkpoint and
# restart against connections and queued bytes, and a live migration's
# pause against a drop lock's. Prints tables; saves build/bench/results.json.
# Not a test: nothing here passes or fails on a number.

set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
scripts/deps.sh
make -s modules tools
kdir=build/ko/$(basename "$(make -s print-kdir)")
mkdir -p build/bench
# VNIF_BENCH_ONLY=vnif|crak runs one of the two; CRAK_BENCH_ARGS goes to
# crak_bench.py (for instance --cases n1,n10-drop).
only=${VNIF_BENCH_ONLY:-}
cmd="insmod $kdir/vnif.ko && insmod $kdir/crak.ko"
[[ $only == crak ]] ||
	cmd+=" && /usr/bin/python3 tests/bench/bench.py --json build/bench/results.json.guest $*"
[[ $only == vnif ]] ||
	cmd+=" && /usr/bin/python3 tests/bench/crak_bench.py ${CRAK_BENCH_ARGS:-}"
VNIF_VM_MEM=${VNIF_VM_MEM:-2048} tests/vm/run.sh --kernel stock \
	--timeout "${VNIF_BENCH_TIMEOUT:-2400}" --name bench -- bash -c "$cmd"
# The guest writes into its overlay; the results come back on stdout:
# bench.py's object, with crak_bench.py's under "crak".
/usr/bin/python3 - build/logs/bench.output.log >build/bench/results.json <<'EOF'
import json, sys
res = {}
for line in open(sys.argv[1]):
    if line.startswith('RESULT-JSON '):
        res.update(json.loads(line[len('RESULT-JSON '):]))
    elif line.startswith('CRAK-RESULT-JSON '):
        res['crak'] = json.loads(line[len('CRAK-RESULT-JSON '):])
json.dump(res, sys.stdout)
EOF
echo "bench: results in build/bench/results.json"

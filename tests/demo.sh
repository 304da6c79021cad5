#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boots Debian's own kernel in QEMU (nothing is loaded into the
# kernel you run) and shows a vnif at work: a container gets its own
# interface, a peer streams into it, the pair is frozen for a second while
# the peer keeps sending, the held frames are shown and dumped as pcap,
# and after the thaw every byte has arrived, in order.

set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/deps.sh
echo "demo: building the modules against $(make -s print-kdir) and the tools"
make -s modules tools 2>&1 | grep -v "Skipping BTF" || true
kdir=build/ko/$(basename "$(make -s print-kdir)")
echo "demo: booting Debian's kernel in QEMU"
exec tests/vm/run.sh --kernel stock --timeout 600 --name demo -- \
	tests/guest/demo.sh "$kdir"

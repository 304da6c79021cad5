#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nlfuzz: the kernel interfaces of vnif.ko and crak.ko under a bounded,
# seeded random fuzzer (nlfuzz.c): rtnetlink of kind vnif, the genl family
# vnif with freeze/delete races across two threads and short deadlines,
# frames into frozen pairs, and /dev/crak with valid, mutated and random
# images and bad pointers. Then:
#
#   - both modules can still be removed and loaded again, and a short run
#     passes against the fresh modules;
#   - the kernel log has no WARNING, BUG, KASAN, UBSAN, lockdep or kmemleak
#     report since the start (the VM runner checks the console too; this
#     gives the failure a name).
#
# Environment: NLFUZZ_SEED (default: from the date, printed), NLFUZZ_SECONDS
# (default 60), NLFUZZ_THREADS (default 2), NLFUZZ_ARGS (more options, e.g.
# --verbose or --max-frame BYTES). To reproduce a run, give its seed: the
# choices of each iteration of each thread follow from it; the kernel's
# answers and the interleaving of the two threads do not.

source "$(dirname "$0")/lib.sh"

NLFUZZ=$VT_REPO/tests/selftests/nlfuzz
seed=${NLFUZZ_SEED:-$(date +%s)}
secs=${NLFUZZ_SECONDS:-60}
threads=${NLFUZZ_THREADS:-2}
read -r -a args <<<"${NLFUZZ_ARGS:-}"
moddir=${VNIF_MODDIR:-}
[[ -z $moddir && -r $VT_REPO/build/ko/debug/vnif.ko ]] &&
	[[ -d /sys/kernel/debug/kunit ]] && moddir=$VT_REPO/build/ko/debug

# What the kernel must not print (as tests/vm/run.sh looks for it).
REPORTS='WARNING:|BUG:|BUG |KASAN|UBSAN|Oops|general protection|circular locking|recursive locking|inconsistent lock state|suspicious RCU usage|blocked for more than|unreferenced object|Kernel panic'
marker="nlfuzz-selftest: start, seed $seed, pid $$"
echo "$marker" >/dev/kmsg

if [[ ! -x $NLFUZZ ]]; then
	vt_fail "nlfuzz built" "$NLFUZZ missing: make -C tests/selftests"
	vt_done
fi

# The fuzzer's own lines pass through: "# ..." and one ok/not ok line.
vt_log "seed $seed, $secs s, $threads thread(s) ${args[*]}"
"$NLFUZZ" --seed "$seed" --seconds "$secs" --threads "$threads" "${args[@]}" 2>&1 |
	tee "$VT_TMP/out"
rc=${PIPESTATUS[0]}
if grep -q '^not ok - ' "$VT_TMP/out"; then
	VT_FAIL=$((VT_FAIL + 1))
elif [[ $rc != 0 ]] || ! grep -q '^ok - nlfuzz: ' "$VT_TMP/out"; then
	vt_fail "the fuzzer ran to its end" "exited $rc without a verdict (killed?)"
else
	VT_PASS=$((VT_PASS + 1))
fi

# The modules survive it: out, in again, and still working.
if [[ -n $moddir ]]; then
	vt_check "rmmod crak after the fuzzer" rmmod crak
	vt_check "rmmod vnif after the fuzzer" rmmod vnif
	vt_check "insmod vnif again" insmod "$moddir/vnif.ko"
	vt_check "insmod crak again" insmod "$moddir/crak.ko"
	out=$("$NLFUZZ" --seed "$((seed + 1))" --seconds 3 --threads "$threads" \
		"${args[@]}" 2>&1)
	if grep -q '^ok - nlfuzz: ' <<<"$out"; then
		vt_ok "a short run on the reloaded modules"
	else
		vt_fail "a short run on the reloaded modules" \
			"$(grep -E '^(not ok|# FAIL)' <<<"$out" | head -3 | tr '\n' ' ')"
		sed 's/^/#   /' <<<"$out" | tail -20
	fi
else
	vt_log "no VNIF_MODDIR: the modules are not reloaded"
fi

# The kernel log since the marker (all of it, if the marker scrolled away).
log=$(dmesg 2>/dev/null)
if grep -qF -- "$marker" <<<"$log"; then
	log=$(awk -v m="$marker" 'index($0, m) { f = 1 } f' <<<"$log")
else
	vt_log "the start marker left the kernel log; checking all of it"
fi
found=$(grep -E -- "$REPORTS" <<<"$log" | grep -vF -- "$marker")
if [[ -z $found ]]; then
	vt_ok "no kernel report in the log (seed $seed)"
else
	vt_fail "no kernel report in the log (seed $seed)" \
		"$(head -1 <<<"$found")"
	grep -E -A20 -- "$REPORTS" <<<"$log" | head -60 | sed 's/^/#   /'
fi
vt_log "deadline expiries logged: $(grep -c 'hold deadline of' <<<"$log")"

vt_done

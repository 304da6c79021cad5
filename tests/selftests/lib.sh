#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every selftest. Runs inside the test guest, as root, with
# vnif.ko and crak.ko loaded by tests/guest/run-tests.sh.
#
# Each check prints one line, "ok - NAME" or "not ok - NAME: why", which
# the runner counts. vt_done ends the script: exit 1 if anything failed.
# Objects are created under unique names and registered with vt_defer; the
# EXIT trap undoes them in reverse order, so a failing test cleans up too.

set -u

VT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VT_TEST=$(basename "$0" .sh)
VNIF=${VNIF:-$VT_REPO/userspace/vnif}
CRAK=${CRAK:-$VT_REPO/userspace/crak}
VT_PY=/usr/bin/python3	# Debian's, with python3-scapy
VT_PASS=0
VT_FAIL=0
VT_CLEANUP=()
VT_ID=$$
VT_TMP=$(mktemp -d "/tmp/$VT_TEST.XXXXXX")

vt_log() { echo "# $VT_TEST: $*"; }

vt_ok() {
	VT_PASS=$((VT_PASS + 1))
	echo "ok - $VT_TEST: $1"
}

vt_fail() {
	VT_FAIL=$((VT_FAIL + 1))
	echo "not ok - $VT_TEST: $1${2:+: $2}"
}

# vt_check NAME CMD...: ok when CMD exits 0; its output is shown on failure.
vt_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		vt_ok "$name"
	else
		vt_fail "$name" "'$*' exited $?"
		sed 's/^/#   /' <<<"$out"
	fi
}

# vt_refuse NAME PATTERN CMD...: ok when CMD fails and its output matches
# the extended regular expression PATTERN (the error the user would see).
vt_refuse() {
	local name=$1 pattern=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [[ $rc == 0 ]]; then
		vt_fail "$name" "'$*' succeeded"
	elif ! grep -Eq -- "$pattern" <<<"$out"; then
		vt_fail "$name" "'$*' exited $rc without /$pattern/"
		sed 's/^/#   /' <<<"$out"
	else
		vt_ok "$name"
	fi
}

# vt_eq NAME EXPECTED ACTUAL
vt_eq() {
	if [[ "$2" == "$3" ]]; then
		vt_ok "$1"
	else
		vt_fail "$1" "expected '$2', got '$3'"
	fi
}

vt_defer() { VT_CLEANUP+=("$*"); }

vt_cleanup() {
	local i
	for ((i = ${#VT_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${VT_CLEANUP[i]}" >/dev/null 2>&1
	done
	rm -rf "$VT_TMP"
}
trap vt_cleanup EXIT

# vt_netns NAME: a fresh network namespace, deleted on exit.
vt_netns() {
	ip netns add "$1" && ip -n "$1" link set lo up && vt_defer "ip netns del $1"
}

vt_done() {
	vt_log "$VT_PASS passed, $VT_FAIL failed"
	[[ $VT_FAIL == 0 ]]
	exit
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates the input captures of the pcap suite: runs the gen.py of
# every case (tests/pcap/*/gen.py), or of the cases named, with Debian's
# /usr/bin/python3 (it has scapy), then reports what git sees changed in
# those cases' directories. A generator is deterministic: rerun unedited,
# it must leave its captures byte for byte as committed.
#
#   tests/pcap/regen.sh [CASE...]
#
# CASE is a case directory's name (01-tcp-handshake-data-close), its path,
# or the path of its gen.py. Exit status: 0 when no committed capture
# changed, 1 when a generator failed or a committed capture changed (an
# edited generator, or one that is not deterministic), 2 on a usage error.
# New, not yet committed captures are listed but are no failure. A
# changed capture means the case's goldens must be made again
# (tests/pcap/run --update in the test guest).

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-/usr/bin/python3}

usage() {
	echo "usage: tests/pcap/regen.sh [CASE...]" >&2
	exit 2
}

case "${1:-}" in
-h|--help) usage ;;
esac

if ! "$python" -c 'import scapy' 2>/dev/null; then
	echo "regen: $python has no scapy (apt-get install python3-scapy)" >&2
	exit 2
fi

gens=()
if [ $# -eq 0 ]; then
	for g in "$here"/*/gen.py; do
		[ -e "$g" ] && gens+=("$g")
	done
else
	for arg; do
		arg=${arg%/}
		arg=${arg%/gen.py}
		name=$(basename "$arg")
		if [ ! -f "$here/$name/gen.py" ]; then
			echo "regen: no case '$name' (tests/pcap/$name/gen.py)" >&2
			exit 2
		fi
		gens+=("$here/$name/gen.py")
	done
fi
if [ ${#gens[@]} -eq 0 ]; then
	echo "regen: no generators under $here" >&2
	exit 2
fi

failed=0
files=()
for g in "${gens[@]}"; do
	d=$(dirname "$g")
	if ! out=$("$python" "$g" 2>&1); then
		echo "regen: $(basename "$d"): gen.py failed:" >&2
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		failed=1
		continue
	fi
	# pcapcase.write() prints "PATH: N frames" for each capture written.
	printf '%s\n' "$out" | sed "s|^$here/||"
	while IFS= read -r f; do
		files+=("$f")
	done < <(printf '%s\n' "$out" | sed -n 's/: [0-9]* frames$//p')
done
if [ ${#files[@]} -eq 0 ]; then
	echo "regen: no capture was written" >&2
	exit 1
fi

if ! git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "regen: ${#gens[@]} generators run; not a git checkout:" \
		"cannot tell what changed"
	exit $failed
fi

changed=0
new=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	st=${line:0:2}
	path=${line:3}
	if [ "$st" = "??" ]; then
		echo "new (not in git yet): $path"
		new=$((new + 1))
	else
		echo "changed: $path"
		changed=$((changed + 1))
	fi
done < <(git -C "$here" status --porcelain --untracked-files=all -- \
	"${files[@]}")

echo "regen: ${#gens[@]} generators run; $changed committed captures" \
	"changed, $new new"
if [ $changed -gt 0 ]; then
	echo "regen: run 'tests/pcap/run --update' on the changed cases in" \
		"the test guest, and look at why they changed" >&2
	exit 1
fi
exit $failed

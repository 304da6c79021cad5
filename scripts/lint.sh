#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch.pl --strict (from Debian's linux-source-6.1) on the
# kernel sources and, with the few kernel-only checks turned off, on the
# userspace C; sparse (C=2) on the modules against KDIR; the userspace
# tools built with -Wall -Wextra -Werror. Fails on any finding.

set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
lint=$repo/build/lint
mkdir -p "$lint"
fail=0

# checkpatch and the data files it reads, taken once from the tarball.
cp_dir=$lint/checkpatch
if [[ ! -x $cp_dir/scripts/checkpatch.pl ]]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	[[ -r $tarball ]] || { echo "lint: $tarball missing (scripts/deps.sh)"; exit 1; }
	rm -rf "$cp_dir.tmp"
	mkdir -p "$cp_dir.tmp"
	tar -C "$cp_dir.tmp" -xJf "$tarball" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	mv "$cp_dir.tmp" "$cp_dir"
fi
checkpatch=(perl "$cp_dir/scripts/checkpatch.pl" --no-tree --strict --terse
	    --show-types --color=never
	    --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG)

kernel_src=$(git ls-files -co --exclude-standard -- 'vnif/*.[ch]' 'ckpt/*.[ch]' \
	     'include/uapi/linux/*.h' 'include/net/*.h' 'tests/kunit/*.c')
# Userspace: kernel style, minus what only makes sense in the kernel.
user_src=$(git ls-files -co --exclude-standard -- 'userspace/*.[ch]' \
	   'tests/host/*.[ch]' 'tests/selftests/*.c' 'tests/fuzz/*.[ch]')

echo "lint: checkpatch --strict: $(wc -w <<<"$kernel_src") kernel files"
if ! "${checkpatch[@]}" -f $kernel_src >"$lint/checkpatch.log" 2>&1; then
	cat "$lint/checkpatch.log"
	fail=1
fi
if [[ -n $user_src ]]; then
	echo "lint: checkpatch --strict: $(wc -w <<<"$user_src") userspace files"
	if ! "${checkpatch[@]}" --ignore PREFER_KERNEL_TYPES,NEW_TYPEDEFS,SSCANF_TO_KSTRTO,PREFER_PR_LEVEL,PREFER_DEFINED_ATTRIBUTE_MACRO,EMBEDDED_FUNCTION_NAME,LONG_LINE_STRING,CAMELCASE \
		-f $user_src >"$lint/checkpatch-user.log" 2>&1; then
		cat "$lint/checkpatch-user.log"
		fail=1
	fi
fi

kdir=$(make -s print-kdir)
echo "lint: sparse (C=2) against $kdir"
sp=$lint/sparse
mkdir -p "$sp"
cp -a --parents Kbuild vnif ckpt include tests/kunit "$sp"/
if ! make -s -C "$kdir" M="$sp" C=2 CHECK="sparse -Wno-decl" modules \
	>"$lint/sparse.log" 2>&1; then
	cat "$lint/sparse.log"
	fail=1
fi
if grep -E "warning:|error:" "$lint/sparse.log" | sed "s|$sp/||"; then
	fail=1
fi

echo "lint: userspace with -Wall -Wextra -Werror"
if ! { make -s -C userspace && make -s -C tests/selftests; } >"$lint/userspace.log" 2>&1; then
	cat "$lint/userspace.log"
	fail=1
fi

if [[ $fail == 0 ]]; then
	echo "lint: clean"
else
	echo "lint: FAILED"
fi
exit $fail

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug test kernel from Debian's linux-source-6.1 with the
# fragment tests/vm/kernel.config, and print the path of the built tree.
#
# The tree is cached outside the checkout, keyed by a hash of the fragment,
# of the linux-source package version and of RECIPE (bump it when the way
# the tree is built changes). It is built in a temporary directory and
# renamed into place only once complete, so an interrupted build is never
# reused; a lock makes a second caller wait for the first one's build.
#
#   tests/vm/build-kernel.sh [--print-key]
#
# Environment: VNIF_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/vnif-crak),
# JOBS (default: nproc).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/kernel.config
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${VNIF_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/vnif-crak}
jobs=${JOBS:-$(nproc)}

log() { echo "build-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ -r $tarball ]] || die "$tarball missing: install linux-source-6.1"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "linux-source-6.1 is not installed"
RECIPE=1
key=$( { cat "$fragment"; echo "$srcver recipe $RECIPE"; } | sha256sum | cut -c1-16)
[[ ${1:-} == --print-key ]] && { echo "$key"; exit 0; }

dest=$cache/kernel-$key
if [[ -f $dest/arch/x86/boot/bzImage && -f $dest/Module.symvers ]]; then
	log "cached: $dest"
	echo "$dest"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
if ! flock -n 9; then
	log "another build is running; waiting for it"
	flock 9
fi
if [[ -f $dest/arch/x86/boot/bzImage && -f $dest/Module.symvers ]]; then
	log "cached: $dest"
	echo "$dest"
	exit 0
fi
# Left-overs of interrupted builds are never reused.
rm -rf "$cache"/build-*.tmp
tmp=$(mktemp -d "$cache/build-XXXXXX.tmp")
trap 'rm -rf "$tmp"' EXIT

log "building linux-source $srcver with $(basename "$fragment") in $tmp (-j$jobs); about 10 minutes on 2 cores"
start=$SECONDS
tar -C "$tmp" -xf "$tarball" --strip-components=1
cd "$tmp"
make -s tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null
make -s olddefconfig >/dev/null

# olddefconfig silently drops an option whose dependencies are missing:
# every option of the fragment must really have the value it asks for.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) ;;
	*) continue ;;
	esac
	if ! grep -qxF "$line" .config; then
		have=$(grep -E "^(# )?${line%%=*}[= ]" .config || echo "absent")
		log "option not set: want $line, have: $have"
		missing=1
	fi
done <"$fragment"
[[ $missing == 0 ]] || die "the fragment did not apply; fix tests/vm/kernel.config"

make -s -j"$jobs" bzImage modules >build.log 2>&1 ||
	{ tail -40 build.log >&2; die "kernel build failed (log above)"; }
cd /
trap - EXIT
rm -rf "$dest"
mv "$tmp" "$dest"
log "built in $((SECONDS - start)) s: $dest"
echo "$dest"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs, with apt-get, the Debian 12 packages that building, testing and
# the demo need, saying what it installs. Without root it names them and
# fails. Nothing else is fetched: the test kernel is built from
# linux-source-6.1, the guest runs the host's own userland.
#
#   scripts/deps.sh [--list]

set -euo pipefail

pkgs=(
	# modules and tools
	gcc make pkg-config libc6-dev
	linux-headers-amd64
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev
	# the debug test kernel
	linux-source-6.1 bc bison flex libelf-dev libssl-dev dwarves xz-utils
	cpio kmod
	# the guests
	qemu-system-x86 linux-image-amd64 busybox-static
	# tests, lint and benchmarks
	iproute2 util-linux procps jq python3 python3-scapy python3-nftables tcpdump
	tshark sparse
	iptables nftables iperf3 ethtool clang libclang-rt-14-dev
)

if [[ ${1:-} == --list ]]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi

if [[ $(id -u) != 0 ]]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: as root: apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${#missing[@]} packages"

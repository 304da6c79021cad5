#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a test guest under QEMU, run one command in it, return its status.
#
#   tests/vm/run.sh [--kernel debug|stock] [--timeout SECONDS] [--log-dir DIR]
#                   [--name NAME] [--rw DIR] -- COMMAND [ARGS...]
#
# The guest sees the host's root filesystem read-only over virtio-9p, under a
# tmpfs overlay: it can write anywhere and nothing reaches the host, except
# in the one directory given with --rw, shared read-write at the same path
# (tests/pcap/run --update writes its goldens there). It has no
# network device: no traffic leaves it. COMMAND runs as root in the current
# directory; its output streams to stdout and to DIR/NAME.output.log, the
# kernel console goes to DIR/NAME.console.log.
#
# The run fails, and says why, when COMMAND fails, when the kernel prints an
# oops, a WARN, a BUG, a KASAN, UBSAN or lockdep report, or a hung-task or RCU
# stall warning, when kmemleak finds an unreferenced object (debug kernel),
# or when the guest does not finish within the timeout.
#
# Kernels: "debug" is the kernel tests/vm/build-kernel.sh builds (KASAN,
# lockdep, kmemleak, UBSAN, KUnit); "stock" is Debian's linux-image-amd64,
# the kernel users run, booted through a small initramfs.
#
# Environment: VNIF_VM_ACCEL=kvm|tcg (default tcg),
# VNIF_VM_MEM (MiB, default 2048), VNIF_VM_CPUS (default 2), KDIR_DEBUG
# (a built debug tree; default: build it or take it from the cache).

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
kernel=debug
timeout=900
logdir=$repo/build/logs
name=
rwdir=

die() { echo "vm: error: $*" >&2; exit 2; }
usage() { sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while (($#)); do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log-dir) logdir=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--rw) rwdir=$(cd "$2" && pwd) || die "--rw: no directory '$2'"; shift 2 ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) break ;;
	esac
done
(($#)) || usage
name=${name:-vm-$kernel}

append="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic"
case $kernel in
debug)
	kdir=${KDIR_DEBUG:-$("$here/build-kernel.sh")} || die "no debug kernel"
	bzimage=$kdir/arch/x86/boot/bzImage
	initrd=()
	append+=" root=rootfs rootfstype=9p rootflags=trans=virtio,version=9p2000.L,cache=loose ro"
	append+=" init=$here/guest-init.sh"
	;;
stock)
	release=$(ls /lib/modules | grep -E -- '-amd64$' | sort -V | tail -1)
	[[ -n $release && -r /boot/vmlinuz-$release ]] ||
		die "no Debian kernel: install linux-image-amd64"
	bzimage=/boot/vmlinuz-$release
	mkdir -p "$repo/build/vm"
	ird=$repo/build/vm/initramfs-$release.cpio.gz
	if [[ ! -s $ird || $ird -ot $here/mkinitramfs.sh ]]; then
		"$here/mkinitramfs.sh" "$release" "$ird" || die "initramfs"
	fi
	initrd=(-initrd "$ird")
	append+=" vminit=$here/guest-init.sh"
	;;
*) die "unknown kernel '$kernel' (debug or stock)" ;;
esac
[[ -r $bzimage ]] || die "$bzimage missing"

# TCG by default: on our machines /dev/kvm exists but nested KVM never gets
# a guest past its first instruction, and a probe would cost a hang.
accel=${VNIF_VM_ACCEL:-tcg}
case $accel in
kvm) accel_args=(-enable-kvm -cpu host) ;;
tcg) accel_args=(-accel tcg -cpu max) ;;
*) die "VNIF_VM_ACCEL must be kvm or tcg" ;;
esac

mkdir -p "$logdir"
console=$logdir/$name.console.log
outlog=$logdir/$name.output.log
rundir=$(mktemp -d "${TMPDIR:-/tmp}/vnif-vm.XXXXXX")
trap 'rm -rf "$rundir"' EXIT
rw_args=()
if [[ -n $rwdir ]]; then
	rw_args=(-fsdev "local,id=rw,path=$rwdir,security_model=none"
		-device virtio-9p-pci,fsdev=rw,mount_tag=rwshare)
fi
{
	[[ -n $rwdir ]] &&
		echo "mount -t 9p -o trans=virtio,version=9p2000.L rwshare $(printf %q "$rwdir") || exit 1"
	echo "cd $(printf %q "$PWD")"
	for v in V VERBOSE VNIF_FAULT; do
		[[ -n ${!v:-} ]] && echo "export $v=$(printf %q "${!v}")"
	done
	printf '%q ' "$@"
	echo
} >"$rundir/cmd"
: >"$rundir/result"
: >"$console"

: >"$outlog"
start=$SECONDS
timeout -k 10 "$timeout" qemu-system-x86_64 \
	"${accel_args[@]}" -m "${VNIF_VM_MEM:-2048}" -smp "${VNIF_VM_CPUS:-2}" \
	-nodefaults -display none -no-reboot -monitor none \
	-serial "file:$console" \
	-kernel "$bzimage" "${initrd[@]}" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=rootfs "${rw_args[@]}" \
	-device virtio-serial-pci \
	-chardev "file,path=$rundir/result,id=result" \
	-device virtserialport,chardev=result,name=result \
	-chardev "file,path=$outlog,id=output" \
	-device virtserialport,chardev=output,name=output \
	-device virtio-rng-pci \
	-append "$append vmrun=$rundir" </dev/null &
qemu_pid=$!
# The command's output streams to stdout while the guest runs; tail drains
# the file and ends by itself once QEMU is gone.
tail -n +1 -s 0.2 --pid="$qemu_pid" -f "$outlog"
wait "$qemu_pid"
qemu_status=$?
elapsed=$((SECONDS - start))

reasons=()
if [[ $qemu_status == 124 || $qemu_status == 137 ]]; then
	reasons+=("hang: the guest did not finish within ${timeout} s")
fi
status=$(sed -n 's/^exit //p' "$rundir/result")
leaks=$(sed -n 's/^kmemleak //p' "$rundir/result")
if [[ -z $status ]]; then
	[[ ${#reasons[@]} == 0 ]] &&
		reasons+=("the guest ended without reporting an exit status (crash)")
	status=1
fi
[[ -n $leaks && $leaks != 0 && $leaks != - ]] &&
	reasons+=("kmemleak: $leaks unreferenced object(s)")

# What the kernel may print when something of ours is wrong.
declare -A report=(
	['BUG: KASAN']='KASAN report'
	['UBSAN:']='UBSAN report'
	['possible circular locking']='lockdep report'
	['possible recursive locking']='lockdep report'
	['inconsistent lock state']='lockdep report'
	['suspicious RCU usage']='lockdep (RCU) report'
	['WARNING:']='kernel WARN'
	['BUG:']='kernel BUG'
	['Oops']='kernel oops'
	['general protection fault']='kernel oops'
	['Kernel panic']='kernel panic'
	['blocked for more than']='hung task'
	['detected stalls']='RCU stall'
	['unreferenced object']='kmemleak report'
)
first=
for pat in "${!report[@]}"; do
	line=$(grep -n -m1 -F -- "$pat" "$console" | cut -d: -f1)
	if [[ -n $line ]]; then
		reasons+=("${report[$pat]} (console line $line)")
		if [[ -z $first || $line -lt $first ]]; then first=$line; fi
	fi
done

if ((${#reasons[@]})); then
	# The same report may match several patterns: say each reason once.
	printf '%s\n' "${reasons[@]}" | sort -u | while read -r r; do
		echo "vm: FAIL: $r"
	done >&2
	if [[ -n $first ]]; then
		echo "vm: ---- $console from line $first ----" >&2
		sed -n "${first},$((first + 40))p" "$console" >&2
		echo "vm: ----" >&2
	elif [[ -s $console ]]; then
		echo "vm: ---- last lines of $console ----" >&2
		tail -20 "$console" >&2
	fi
	[[ $status == 0 ]] && status=1
fi
echo "vm: $kernel kernel, $accel, ${elapsed} s, command exit $status; console: $console" >&2
exit "$status"

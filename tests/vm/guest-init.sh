#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test guest (see tests/vm/run.sh). The host's root filesystem
# is mounted read-only over 9p; this script lays a tmpfs overlay on it so that
# the guest can write anywhere without touching the host, runs the command
# that run.sh left in the run directory named by vmrun= on the kernel command
# line, reports its exit status and the kmemleak result on the virtio-serial
# port "result", and powers the guest off.

exec </dev/console >/dev/console 2>&1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb

arg() { sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }

if [[ ${1:-} != stage2 ]]; then
	mount -t proc proc /proc
	mount -t tmpfs -o mode=0755 overlay-upper /mnt
	mkdir -p /mnt/upper /mnt/work /mnt/root
	mount -t overlay -o lowerdir=/,upperdir=/mnt/upper,workdir=/mnt/work \
		overlay /mnt/root || { echo "guest-init: overlay failed"; exec /bin/sh; }
	umount /proc
	exec chroot /mnt/root "$0" stage2
fi

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/tmp
mkdir -p /run/netns /run/lock
mount --make-rshared /
ip link set lo up
hostname vnif-guest 2>/dev/null

rundir=$(arg vmrun)
# The virtio-serial ports, found by the names run.sh gave them.
port() {
	local d
	for d in /sys/class/virtio-ports/*; do
		[[ $(cat "$d/name" 2>/dev/null) == "$1" ]] && echo "/dev/${d##*/}" && return
	done
	echo /dev/console
}
for i in $(seq 50); do [[ -e /sys/class/virtio-ports ]] && break; sleep 0.1; done
result=$(port result)
output=$(port output)

status=255
if [[ -r $rundir/cmd ]]; then
	bash "$rundir/cmd" >"$output" 2>&1 </dev/null
	status=$?
else
	echo "guest-init: no command in '$rundir'" >"$output"
fi

leaks=0
if [[ -w /sys/kernel/debug/kmemleak ]]; then
	# Objects younger than 5 s are not reported, and an object must look
	# unreferenced in two scans.
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	if [[ $leaks != 0 ]]; then
		echo "kmemleak: $leaks unreferenced objects" >/dev/kmsg
		cat /sys/kernel/debug/kmemleak >/dev/console
	fi
else
	leaks=-
fi

{ echo "exit $status"; echo "kmemleak $leaks"; } >"$result"
sync
echo b >/proc/sysrq-trigger 2>/dev/null
busybox reboot -f

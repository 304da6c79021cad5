#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the small initramfs with which Debian's stock kernel boots the test
# guest: busybox and the modules that reach the 9p root, which it mounts
# before it hands over to tests/vm/guest-init.sh.
#
#   tests/vm/mkinitramfs.sh KERNEL_RELEASE OUTPUT

set -euo pipefail
release=$1
out=$2
moddir=/lib/modules/$release
mods="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
      virtio_console netfs fscache 9pnet 9pnet_virtio 9p overlay"

[[ -d $moddir ]] || { echo "mkinitramfs: $moddir missing" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,newroot,lib/modules}
cp /bin/busybox "$work/bin/busybox"
for m in $mods; do
	f=$(find "$moddir/kernel" -name "$m.ko*" | head -1)
	[[ -n $f ]] || { echo "mkinitramfs: module $m missing" >&2; exit 1; }
	cp "$f" "$work/lib/modules/"
	echo "$(basename "$f")" >>"$work/lib/modules/order"
done
cat >"$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
for m in $(/bin/busybox cat /lib/modules/order); do
	/bin/busybox insmod /lib/modules/$m || echo "initramfs: insmod $m failed"
done
init=$(/bin/busybox sed -n 's/.*\<vminit=\([^ ]*\).*/\1/p' /proc/cmdline)
/bin/busybox mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose rootfs /newroot ||
	exec /bin/busybox sh
/bin/busybox umount /proc
exec /bin/busybox switch_root /newroot "$init"
INIT
chmod +x "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"

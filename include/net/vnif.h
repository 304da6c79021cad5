/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API of vnif.ko, for crak.ko: freeze and thaw a pair, read its
 * held frames out, load frames into it. Every function takes either end of
 * a pair, which the caller holds a reference to, applies to the whole pair,
 * and may sleep. See Documentation/vnif.md.
 */
#ifndef _NET_VNIF_H
#define _NET_VNIF_H

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/vnif.h>

struct vnif_frame {
	enum vnif_direction dir;
	u64 tstamp_ns;		/* arrival, CLOCK_REALTIME */
	u32 len;
	const u8 *data;		/* an Ethernet frame, ETH_HLEN..VNIF_PKT_MAX */
};

/*
 * Called for each held frame by vnif_queue_export(), under the pair's lock
 * with bottom halves off: must not sleep. frame->data lives only for the
 * call. A non-zero return stops the export and is returned by it.
 */
typedef int (*vnif_frame_fn)(void *arg, const struct vnif_frame *frame);

/* What a checkpoint records of a pair and of one of its ends. */
struct vnif_dev_info {
	bool inner;		/* the end made as IFLA_VNIF_PEER (a container's) */
	enum vnif_state state;
	u32 limit_packets;
	u32 limit_bytes;
	u32 deadline_ms;	/* 0: none */
	u8 deadline_policy;	/* enum vnif_deadline_policy */
};

bool vnif_dev_is_vnif(const struct net_device *dev);
int vnif_dev_info(struct net_device *dev, struct vnif_dev_info *info);
enum vnif_state vnif_state(struct net_device *dev);
int vnif_freeze(struct net_device *dev, struct netlink_ext_ack *extack);
int vnif_thaw(struct net_device *dev, struct netlink_ext_ack *extack);
int vnif_queue_export(struct net_device *dev, vnif_frame_fn fn, void *arg);
int vnif_queue_load(struct net_device *dev, const struct vnif_frame *frames,
		    unsigned int n, struct netlink_ext_ack *extack);
/*
 * Removes the first n[dir] held frames of each direction: a checkpoint
 * image carries them now. check() sees each of them first, as
 * vnif_queue_export() shows frames, and must return 0 for every one;
 * check and removal happen under the pair's lock in one go. If fewer
 * frames are held, or check() refuses one, nothing is removed: -ESTALE.
 * Removed frames are counted in VNIF_STATS_MOVED, not as drops.
 */
int vnif_queue_trim(struct net_device *dev, const u32 n[__VNIF_DIR_MAX],
		    vnif_frame_fn check, void *arg,
		    struct netlink_ext_ack *extack);

#endif /* _NET_VNIF_H */

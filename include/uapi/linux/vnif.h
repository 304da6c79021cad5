/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vnif: a virtual network device pair whose traffic can be held, in order,
 * while the process behind it is checkpointed, and carried to another host.
 *
 * A pair has two ends. The end named at creation is the OUTER end: it stays
 * in the host's namespace (routed, or on a bridge). Its peer is the INNER
 * end: it lives in the container's namespace and carries the process's MAC
 * and addresses. Traffic from the outer end to the inner end is INGRESS,
 * from the inner end to the outer end is EGRESS.
 *
 * Each pair has one gate:
 *   PASS     frames cross the pair as on veth;
 *   HOLD     every frame that would cross, either direction, is appended to
 *            that direction's hold queue; drop-tail over the pair's limits;
 *   RELEASE  the queues are delivered in order, before any frame that
 *            arrives after the release, then the gate returns to PASS.
 *
 * rtnetlink (RTM_NEWLINK, IFLA_INFO_KIND "vnif"), IFLA_INFO_DATA:
 *
 *   IFLA_VNIF_PEER             nested: struct ifinfomsg followed by IFLA_*
 *                              attributes of the inner end (name, address,
 *                              IFLA_NET_NS_PID / IFLA_NET_NS_FD, ...)
 *   IFLA_VNIF_LIMIT_PACKETS    u32, 1..VNIF_LIMIT_PACKETS_MAX
 *   IFLA_VNIF_LIMIT_BYTES      u32, VNIF_LIMIT_BYTES_MIN..VNIF_LIMIT_BYTES_MAX
 *   IFLA_VNIF_DEADLINE_MS      u32, 0 (none) ..VNIF_DEADLINE_MS_MAX
 *   IFLA_VNIF_DEADLINE_POLICY  u8, enum vnif_deadline_policy
 *   IFLA_VNIF_STATE            u8, enum vnif_state (reported only)
 *   IFLA_VNIF_INNER            u8, 1 on the inner end (reported only)
 *   IFLA_VNIF_STATS_INGRESS    nested, VNIF_STATS_* (reported only)
 *   IFLA_VNIF_STATS_EGRESS     nested, VNIF_STATS_* (reported only)
 *
 * Only the limits and the deadline can be changed after creation.
 *
 * Generic netlink family VNIF_GENL_NAME, version VNIF_GENL_VERSION. Every
 * command names one end of a pair by VNIF_A_IFINDEX or VNIF_A_IFNAME (not
 * both), in the namespace of the netlink socket; the command applies to the
 * pair. All but VNIF_CMD_GET need CAP_NET_ADMIN in the user namespace that
 * owns that network namespace.
 *
 *   VNIF_CMD_GET (do, or dump of every pair's ends in the namespace)
 *     reply:
 *       VNIF_A_IFINDEX             u32
 *       VNIF_A_IFNAME              string
 *       VNIF_A_PEER_IFINDEX        u32 (0 when the peer is in another netns)
 *       VNIF_A_INNER               u8
 *       VNIF_A_STATE               u8, enum vnif_state
 *       VNIF_A_LIMIT_PACKETS       u32
 *       VNIF_A_LIMIT_BYTES         u32
 *       VNIF_A_DEADLINE_MS         u32
 *       VNIF_A_DEADLINE_POLICY     u8
 *       VNIF_A_DEADLINE_LEFT_MS    u32, while a deadline is armed
 *       VNIF_A_STATS_INGRESS       nested, VNIF_STATS_*
 *       VNIF_A_STATS_EGRESS        nested, VNIF_STATS_*
 *
 *   VNIF_CMD_FREEZE
 *     VNIF_A_IFINDEX | VNIF_A_IFNAME
 *     VNIF_A_LIMIT_PACKETS, VNIF_A_LIMIT_BYTES, VNIF_A_DEADLINE_MS,
 *     VNIF_A_DEADLINE_POLICY      optional: set before the gate closes
 *     VNIF_A_FLAGS                u32, VNIF_FREEZE_F_*; unknown bits rejected
 *     The gate goes from PASS to HOLD, or from RELEASE to HOLD: the release
 *     stops after the batch it is delivering (the call waits for it), what
 *     it had not delivered stays held, in order. -EBUSY when it is holding.
 *
 *   VNIF_CMD_THAW
 *     VNIF_A_IFINDEX | VNIF_A_IFNAME
 *     The gate goes from HOLD to RELEASE, then by itself to PASS once both
 *     queues are delivered. -EINVAL when it is not holding.
 *
 *   VNIF_CMD_QUEUE_GET (dump)
 *     VNIF_A_IFINDEX | VNIF_A_IFNAME
 *     One message per held frame, ingress queue first, each in queue
 *     order: VNIF_A_PKT nested, VNIF_PKT_*. The dump is consistent: it
 *     fails with -EAGAIN if a frame leaves a queue while it runs (frames
 *     that join the tail meanwhile may or may not be in it).
 *
 *   VNIF_CMD_QUEUE_LOAD
 *     VNIF_A_IFINDEX | VNIF_A_IFNAME
 *     VNIF_A_PKT nested, VNIF_PKT_*, one or more: appended in message order
 *     to the hold queue of their direction. The gate must be in HOLD; the
 *     pair's limits apply (-ENOBUFS, nothing of the message is loaded).
 *
 * VNIF_PKT_*:
 *   VNIF_PKT_DIRECTION  u8, enum vnif_direction
 *   VNIF_PKT_TSTAMP_NS  u64, arrival time, CLOCK_REALTIME nanoseconds
 *   VNIF_PKT_LEN        u32, frame length (reported only)
 *   VNIF_PKT_PROTOCOL   u16, ethertype, network order (reported only)
 *   VNIF_PKT_DATA       binary, the Ethernet frame, ETH_HLEN..VNIF_PKT_MAX
 *
 * VNIF_STATS_* (all u64):
 *   HELD          frames in the queue now
 *   HELD_BYTES    bytes in the queue now
 *   HELD_TOTAL    frames ever held
 *   RELEASED      frames delivered from the queue
 *   LOADED        frames loaded by VNIF_CMD_QUEUE_LOAD
 *   DROP_LIMIT    frames dropped over a limit (drop-tail), or that could
 *                 not be made into wire frames (segmented, checksummed)
 *   DROP_DEADLINE frames dropped when a deadline expired with policy DROP
 *   DROP_DOWN     frames dropped on release because the receiving end was
 *                 down, or purged when the pair was deleted
 *   DROP_REFUSED  frames the receiving end refused on release (longer
 *                 than its MTU allows); also in its rx_dropped
 *   MOVED         frames a checkpoint image took over (crak.ko's
 *                 CRAK_NET_TRIM): no longer held here, not dropped
 *   HIGH_WATER    most frames in the queue at once
 *   DEADLINES     deadlines expired
 */
#ifndef _UAPI_LINUX_VNIF_H
#define _UAPI_LINUX_VNIF_H

#include <linux/types.h>

#define VNIF_GENL_NAME		"vnif"
#define VNIF_GENL_VERSION	1

#define VNIF_LIMIT_PACKETS_DEFAULT	65536
#define VNIF_LIMIT_PACKETS_MAX		(1U << 22)
#define VNIF_LIMIT_BYTES_DEFAULT	(64U << 20)
#define VNIF_LIMIT_BYTES_MIN		2048
#define VNIF_LIMIT_BYTES_MAX		(1U << 31)
#define VNIF_DEADLINE_MS_MAX		(3600U * 1000)
/*
 * The longest frame vnif holds, exports or loads: the whole VNIF_A_PKT nest
 * must fit the 16-bit length of a netlink attribute. 65535, less the nest's
 * header (4), DIRECTION (8), TSTAMP_NS with its pad (16), LEN (8),
 * PROTOCOL (8), the header of DATA (4) and the alignment of DATA (3),
 * rounded down to 4.
 */
#define VNIF_PKT_MAX			65484

enum vnif_state {
	VNIF_STATE_PASS,
	VNIF_STATE_HOLD,
	VNIF_STATE_RELEASE,
	__VNIF_STATE_MAX
};

enum vnif_direction {
	VNIF_DIR_INGRESS,	/* outer end -> inner end */
	VNIF_DIR_EGRESS,	/* inner end -> outer end */
	__VNIF_DIR_MAX
};

enum vnif_deadline_policy {
	VNIF_DEADLINE_RELEASE,	/* deliver what is held, then pass */
	VNIF_DEADLINE_DROP,	/* drop what is held, then pass */
	__VNIF_DEADLINE_MAX
};

/* rtnetlink IFLA_INFO_DATA */
enum {
	IFLA_VNIF_UNSPEC,
	IFLA_VNIF_PEER,
	IFLA_VNIF_LIMIT_PACKETS,
	IFLA_VNIF_LIMIT_BYTES,
	IFLA_VNIF_DEADLINE_MS,
	IFLA_VNIF_DEADLINE_POLICY,
	IFLA_VNIF_STATE,
	IFLA_VNIF_INNER,
	IFLA_VNIF_STATS_INGRESS,
	IFLA_VNIF_STATS_EGRESS,
	__IFLA_VNIF_MAX
};

#define IFLA_VNIF_MAX (__IFLA_VNIF_MAX - 1)

/* generic netlink */
enum vnif_cmd {
	VNIF_CMD_UNSPEC,
	VNIF_CMD_GET,
	VNIF_CMD_FREEZE,
	VNIF_CMD_THAW,
	VNIF_CMD_QUEUE_GET,
	VNIF_CMD_QUEUE_LOAD,
	__VNIF_CMD_MAX
};

#define VNIF_CMD_MAX (__VNIF_CMD_MAX - 1)

enum vnif_attr {
	VNIF_A_UNSPEC,
	VNIF_A_IFINDEX,
	VNIF_A_IFNAME,
	VNIF_A_PEER_IFINDEX,
	VNIF_A_INNER,
	VNIF_A_STATE,
	VNIF_A_LIMIT_PACKETS,
	VNIF_A_LIMIT_BYTES,
	VNIF_A_DEADLINE_MS,
	VNIF_A_DEADLINE_POLICY,
	VNIF_A_DEADLINE_LEFT_MS,
	VNIF_A_FLAGS,
	VNIF_A_STATS_INGRESS,
	VNIF_A_STATS_EGRESS,
	VNIF_A_PKT,
	VNIF_A_PAD,
	__VNIF_A_MAX
};

#define VNIF_A_MAX (__VNIF_A_MAX - 1)

enum vnif_freeze_flags {
	/* Fail with -EBUSY instead of freezing a pair with an end down. */
	VNIF_FREEZE_F_REQUIRE_UP = 1U << 0,
	__VNIF_FREEZE_F_ALL = VNIF_FREEZE_F_REQUIRE_UP
};

enum vnif_pkt_attr {
	VNIF_PKT_UNSPEC,
	VNIF_PKT_DIRECTION,
	VNIF_PKT_TSTAMP_NS,
	VNIF_PKT_LEN,
	VNIF_PKT_PROTOCOL,
	VNIF_PKT_DATA,
	VNIF_PKT_PAD,
	__VNIF_PKT_MAX
};

#define VNIF_PKT_MAX_ATTR (__VNIF_PKT_MAX - 1)

enum vnif_stats_attr {
	VNIF_STATS_UNSPEC,
	VNIF_STATS_HELD,
	VNIF_STATS_HELD_BYTES,
	VNIF_STATS_HELD_TOTAL,
	VNIF_STATS_RELEASED,
	VNIF_STATS_LOADED,
	VNIF_STATS_DROP_LIMIT,
	VNIF_STATS_DROP_DEADLINE,
	VNIF_STATS_DROP_DOWN,
	VNIF_STATS_HIGH_WATER,
	VNIF_STATS_DEADLINES,
	VNIF_STATS_PAD,
	VNIF_STATS_DROP_REFUSED,
	VNIF_STATS_MOVED,
	__VNIF_STATS_MAX
};

#define VNIF_STATS_MAX (__VNIF_STATS_MAX - 1)

#endif /* _UAPI_LINUX_VNIF_H */

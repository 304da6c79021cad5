/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnif internals. Prototypes are grouped by the file that defines them.
 */
#ifndef _VNIF_H
#define _VNIF_H

#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/vnif.h>

#define VNIF_DRV_NAME		"vnif"

/* The KUnit suites in tests/kunit/ drive the gate and the queues directly. */
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_FOR_VNIF_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, VNIF_KUNIT)
#else
#define EXPORT_SYMBOL_FOR_VNIF_KUNIT(sym)
#endif
#define VNIF_RELEASE_BATCH	64

enum vnif_end {
	VNIF_END_OUTER,
	VNIF_END_INNER,
	__VNIF_END_MAX
};

struct vnif_queue_stats {
	u64 held_total;
	u64 released;
	u64 loaded;
	u64 drop_limit;
	u64 drop_deadline;
	u64 drop_down;
	u64 drop_refused;
	u64 moved;
	u64 high_water;
	u64 deadlines;
};

/* One direction's hold queue. The caller serialises every access. */
struct vnif_queue {
	struct sk_buff_head skbs;
	u64 bytes;
	struct vnif_queue_stats stats;
};

struct vnif_limits {
	u32 packets;
	u32 bytes;
};

/* Both directions of a pair, with the pair's limits. */
struct vnif_hold {
	struct vnif_queue q[__VNIF_DIR_MAX];
	struct vnif_limits limits;
};

/* What travels with a held frame while it sits in a queue. */
struct vnif_skb_cb {
	u64 tstamp_ns;	/* arrival, CLOCK_REALTIME */
	u8 dir;		/* enum vnif_direction, for frames being loaded */
};

static inline struct vnif_skb_cb *vnif_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct vnif_skb_cb) > sizeof(skb->cb));
	return (struct vnif_skb_cb *)skb->cb;
}

struct vnif_gate;

/*
 * Delivers one frame of direction @dir that the gate lets through. Called
 * with BH disabled and under rcu_read_lock(); consumes @skb. @from_queue is
 * true for held frames, which must be fully received before the gate lets
 * a new frame pass. Returns 0, -ENETDOWN when the receiving end is down or
 * gone, another negative error when the frame was dropped for another
 * reason (counted by the receiving device).
 */
typedef int (*vnif_deliver_t)(struct vnif_gate *gate, enum vnif_direction dir,
			       struct sk_buff *skb, bool from_queue);

struct vnif_gate {
	/* Protects state, hold, the deadline settings and seq. */
	spinlock_t lock;
	enum vnif_state state;
	bool dead;
	struct vnif_hold hold;
	u32 deadline_ms;
	u8 deadline_policy;
	unsigned long deadline_at;
	/* Bumped whenever a held frame leaves a queue: dumps check it. */
	u32 seq;
	struct delayed_work deadline_work;
	struct work_struct release_work;
	vnif_deliver_t deliver;
	/* The two ends; NULL once the pair is being deleted. */
	struct net_device __rcu *end[__VNIF_END_MAX];
	refcount_t refs;
	struct rcu_head rcu;
};

struct vnif_priv {
	struct vnif_gate *gate;
	enum vnif_end end;
};

/* queue.c */
void vnif_hold_init(struct vnif_hold *hold);
u32 vnif_hold_packets(const struct vnif_hold *hold);
u64 vnif_hold_bytes(const struct vnif_hold *hold);
bool vnif_hold_fits(const struct vnif_hold *hold, u32 packets, u64 bytes);
int vnif_hold_add(struct vnif_hold *hold, enum vnif_direction dir,
		  struct sk_buff *skb);
struct sk_buff *vnif_hold_pop(struct vnif_hold *hold, enum vnif_direction dir);
u32 vnif_hold_purge(struct vnif_hold *hold, enum vnif_direction dir,
		    u64 *counter);

/* gate.c */
struct vnif_gate *vnif_gate_create(vnif_deliver_t deliver, gfp_t gfp);
void vnif_gate_get(struct vnif_gate *gate);
void vnif_gate_put(struct vnif_gate *gate);
void vnif_gate_kill(struct vnif_gate *gate);
bool vnif_gate_hold_skb(struct vnif_gate *gate, enum vnif_direction dir,
			struct sk_buff *skb, unsigned int *dropped);
int vnif_gate_freeze(struct vnif_gate *gate, const struct vnif_limits *limits,
		     const u32 *deadline_ms, const u8 *deadline_policy,
		     struct netlink_ext_ack *extack);
int vnif_gate_thaw(struct vnif_gate *gate, struct netlink_ext_ack *extack);
int vnif_gate_set_limits(struct vnif_gate *gate,
			 const struct vnif_limits *limits,
			 const u32 *deadline_ms, const u8 *deadline_policy,
			 struct netlink_ext_ack *extack);
int vnif_gate_load(struct vnif_gate *gate, struct sk_buff_head *frames,
		   struct netlink_ext_ack *extack);
typedef int (*vnif_export_t)(void *arg, enum vnif_direction dir,
			     const struct sk_buff *skb, u64 tstamp_ns);
int vnif_gate_export(struct vnif_gate *gate, vnif_export_t fn, void *arg);
int vnif_gate_trim(struct vnif_gate *gate, const u32 n[__VNIF_DIR_MAX],
		   vnif_export_t check, void *arg,
		   struct netlink_ext_ack *extack);
void vnif_gate_stats(struct vnif_gate *gate, enum vnif_direction dir,
		     struct vnif_queue_stats *stats, u32 *held, u64 *bytes);
enum vnif_state vnif_gate_state(struct vnif_gate *gate);
u32 vnif_gate_deadline_left_ms(struct vnif_gate *gate);

/* device.c */
extern struct rtnl_link_ops vnif_link_ops;
bool vnif_is_vnif(const struct net_device *dev);
struct vnif_gate *vnif_dev_gate(const struct net_device *dev);
int vnif_device_init(void);
void vnif_device_uninit(void);

/* api.c (the exported API itself is in include/net/vnif.h) */
struct vnif_frame;
struct sk_buff *vnif_frame_skb(const struct vnif_frame *frame, gfp_t gfp);

/* netlink.c */
extern struct netlink_range_validation vnif_range_packets;
extern struct netlink_range_validation vnif_range_bytes;
extern struct netlink_range_validation vnif_range_deadline;
int vnif_nla_put_stats(struct sk_buff *skb, int attrtype,
		       struct vnif_gate *gate, enum vnif_direction dir);
int vnif_genl_init(void);
void vnif_genl_uninit(void);

#endif /* _VNIF_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for vnif: the hold queues (vnif_queue), the gate
 * (vnif_gate: order, release before new, limits, deadline, export/import,
 * purge, trim), the rtnetlink attribute validation (vnif_attrs), and real pairs
 * driven through the exported kernel API (vnif_dev).
 *
 * The gate is driven without net devices: a recording deliver function
 * stands in for the pair, so every frame's order and fate is exact.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include <net/sch_generic.h>
#include <net/vnif.h>

#include "vnif.h"

MODULE_IMPORT_NS(VNIF_KUNIT);

#define VT_FRAME_LEN	100
#define VT_MAX_RECORD	1024

/* A test frame: Ethernet header, then a u32 sequence number. */
static struct sk_buff *vt_frame(struct kunit *test, u32 seq, u32 len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	struct ethhdr *eth;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	eth = skb_put_zero(skb, len);
	eth->h_proto = htons(ETH_P_IP);
	memcpy(skb->data + ETH_HLEN, &seq, sizeof(seq));
	skb_reset_mac_header(skb);
	return skb;
}

static u32 vt_seq(const struct sk_buff *skb)
{
	u32 seq;

	WARN_ON(skb_copy_bits(skb, ETH_HLEN, &seq, sizeof(seq)));
	return seq;
}

/* ---- vnif_queue ---- */

static void vnif_queue_order_per_direction(struct kunit *test)
{
	struct vnif_hold hold;
	struct sk_buff *skb;
	u32 i;

	vnif_hold_init(&hold);
	for (i = 0; i < 10; i++) {
		KUNIT_EXPECT_EQ(test, 0, vnif_hold_add(&hold, VNIF_DIR_INGRESS,
						       vt_frame(test, i, VT_FRAME_LEN)));
		KUNIT_EXPECT_EQ(test, 0, vnif_hold_add(&hold, VNIF_DIR_EGRESS,
						       vt_frame(test, 100 + i, VT_FRAME_LEN)));
	}
	KUNIT_EXPECT_EQ(test, 20U, vnif_hold_packets(&hold));
	KUNIT_EXPECT_EQ(test, 20ULL * VT_FRAME_LEN, vnif_hold_bytes(&hold));
	for (i = 0; i < 10; i++) {
		skb = vnif_hold_pop(&hold, VNIF_DIR_EGRESS);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, 100 + i, vt_seq(skb));
		kfree_skb(skb);
	}
	KUNIT_EXPECT_NULL(test, vnif_hold_pop(&hold, VNIF_DIR_EGRESS));
	for (i = 0; i < 10; i++) {
		skb = vnif_hold_pop(&hold, VNIF_DIR_INGRESS);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, i, vt_seq(skb));
		kfree_skb(skb);
	}
	KUNIT_EXPECT_EQ(test, 0ULL, vnif_hold_bytes(&hold));
	KUNIT_EXPECT_EQ(test, 10ULL, hold.q[VNIF_DIR_INGRESS].stats.held_total);
	KUNIT_EXPECT_EQ(test, 10ULL, hold.q[VNIF_DIR_INGRESS].stats.high_water);
}

struct vnif_limit_case {
	const char *name;
	u32 limit_packets;
	u32 limit_bytes;
	u32 ingress, egress;	/* frames offered, ingress first */
	u32 frame_len;
	u32 held_ingress, held_egress;
	u32 drop_ingress, drop_egress;
};

static const struct vnif_limit_case vnif_limit_cases[] = {
	{ "under both limits", 100, 1 << 20, 10, 10, 100, 10, 10, 0, 0 },
	{ "packet limit, one direction", 5, 1 << 20, 7, 0, 100, 5, 0, 2, 0 },
	{ "packet limit shared", 4, 1 << 20, 3, 2, 100, 3, 1, 0, 1 },
	{ "byte limit", 100, 3000, 4, 0, 1000, 3, 0, 1, 0 },
	{ "byte limit shared", 100, 2500, 2, 2, 1000, 2, 0, 0, 2 },
	{ "exactly at the byte limit", 100, 3000, 3, 0, 1000, 3, 0, 0, 0 },
};

static void vnif_limit_case_desc(const struct vnif_limit_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vnif_limit, vnif_limit_cases, vnif_limit_case_desc);

static void vnif_queue_limits(struct kunit *test)
{
	const struct vnif_limit_case *c = test->param_value;
	struct vnif_hold hold;
	u64 purged = 0;
	u32 i;

	vnif_hold_init(&hold);
	hold.limits.packets = c->limit_packets;
	hold.limits.bytes = c->limit_bytes;
	for (i = 0; i < c->ingress; i++)
		vnif_hold_add(&hold, VNIF_DIR_INGRESS, vt_frame(test, i, c->frame_len));
	for (i = 0; i < c->egress; i++)
		vnif_hold_add(&hold, VNIF_DIR_EGRESS, vt_frame(test, i, c->frame_len));

	KUNIT_EXPECT_EQ(test, c->held_ingress,
			skb_queue_len(&hold.q[VNIF_DIR_INGRESS].skbs));
	KUNIT_EXPECT_EQ(test, c->held_egress,
			skb_queue_len(&hold.q[VNIF_DIR_EGRESS].skbs));
	KUNIT_EXPECT_EQ(test, (u64)c->drop_ingress,
			hold.q[VNIF_DIR_INGRESS].stats.drop_limit);
	KUNIT_EXPECT_EQ(test, (u64)c->drop_egress,
			hold.q[VNIF_DIR_EGRESS].stats.drop_limit);
	KUNIT_EXPECT_EQ(test, (u64)c->held_ingress,
			hold.q[VNIF_DIR_INGRESS].stats.held_total);
	KUNIT_EXPECT_LE(test, vnif_hold_bytes(&hold), (u64)c->limit_bytes);
	KUNIT_EXPECT_LE(test, vnif_hold_packets(&hold), c->limit_packets);

	KUNIT_EXPECT_EQ(test, c->held_ingress,
			vnif_hold_purge(&hold, VNIF_DIR_INGRESS, &purged));
	KUNIT_EXPECT_EQ(test, c->held_egress,
			vnif_hold_purge(&hold, VNIF_DIR_EGRESS, &purged));
	KUNIT_EXPECT_EQ(test, (u64)(c->held_ingress + c->held_egress), purged);
	KUNIT_EXPECT_EQ(test, 0U, vnif_hold_packets(&hold));
	KUNIT_EXPECT_EQ(test, 0ULL, vnif_hold_bytes(&hold));
}

static void vnif_queue_high_water(struct kunit *test)
{
	struct vnif_hold hold;
	u64 purged = 0;
	u32 i;

	vnif_hold_init(&hold);
	for (i = 0; i < 6; i++)
		vnif_hold_add(&hold, VNIF_DIR_INGRESS, vt_frame(test, i, 64));
	for (i = 0; i < 4; i++)
		kfree_skb(vnif_hold_pop(&hold, VNIF_DIR_INGRESS));
	for (i = 0; i < 3; i++)
		vnif_hold_add(&hold, VNIF_DIR_INGRESS, vt_frame(test, i, 64));
	KUNIT_EXPECT_EQ(test, 6ULL, hold.q[VNIF_DIR_INGRESS].stats.high_water);
	KUNIT_EXPECT_EQ(test, 9ULL, hold.q[VNIF_DIR_INGRESS].stats.held_total);
	vnif_hold_purge(&hold, VNIF_DIR_INGRESS, &purged);
	KUNIT_EXPECT_EQ(test, 5ULL, purged);
}

static struct kunit_case vnif_queue_cases[] = {
	KUNIT_CASE(vnif_queue_order_per_direction),
	KUNIT_CASE_PARAM(vnif_queue_limits, vnif_limit_gen_params),
	KUNIT_CASE(vnif_queue_high_water),
	{}
};

static struct kunit_suite vnif_queue_suite = {
	.name = "vnif_queue",
	.test_cases = vnif_queue_cases,
};

/* ---- vnif_gate ---- */

struct vt_record {
	spinlock_t lock;	/* the release worker records concurrently */
	u32 n[__VNIF_DIR_MAX];
	u32 seq[__VNIF_DIR_MAX][VT_MAX_RECORD];
	u32 from_queue;
	bool receiver_down;
	u32 refuse_odd;		/* frames with an odd seq the receiver refuses */
	struct sk_buff_head frames;	/* kept when keep is set */
	bool keep;
	/*
	 * Frame block_at + 1 (0: none) waits, mid-batch, until the gate is
	 * frozen again; blocked says it is waiting.
	 */
	u32 block_at;
	bool blocked;
};

/* The release worker has no current test: the record is reached from here. */
static struct vt_record *vt_current;

static struct vt_record *vt_rec(void)
{
	return vt_current;
}

static int vt_deliver(struct vnif_gate *gate, enum vnif_direction dir,
		      struct sk_buff *skb, bool from_queue)
{
	struct vt_record *rec = vt_rec();

	if (rec->receiver_down) {
		kfree_skb(skb);
		return -ENETDOWN;
	}
	if (rec->refuse_odd && (vt_seq(skb) & 1)) {
		kfree_skb(skb);
		return -EINVAL;
	}
	if (rec->block_at && vt_seq(skb) + 1 == rec->block_at) {
		unsigned long end = jiffies + 2 * HZ;

		/* Bottom halves are off here: spin, bounded. */
		WRITE_ONCE(rec->blocked, true);
		while (vnif_gate_state(gate) != VNIF_STATE_HOLD &&
		       time_before(jiffies, end))
			cpu_relax();
	}
	spin_lock_bh(&rec->lock);
	if (rec->n[dir] < VT_MAX_RECORD)
		rec->seq[dir][rec->n[dir]++] = vt_seq(skb);
	rec->from_queue += from_queue;
	spin_unlock_bh(&rec->lock);
	if (rec->keep)
		skb_queue_tail(&rec->frames, skb);
	else
		consume_skb(skb);
	return 0;
}

static int vnif_gate_test_init(struct kunit *test)
{
	struct vt_record *rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);

	if (!rec)
		return -ENOMEM;
	spin_lock_init(&rec->lock);
	skb_queue_head_init(&rec->frames);
	test->priv = rec;
	vt_current = rec;
	return 0;
}

static void vnif_gate_test_exit(struct kunit *test)
{
	struct vt_record *rec = test->priv;

	skb_queue_purge(&rec->frames);
	vt_current = NULL;
}

static struct vnif_gate *vt_gate(struct kunit *test)
{
	struct vnif_gate *gate = vnif_gate_create(vt_deliver, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, gate);
	return gate;
}

/* What vnif_xmit() does with a frame, minus the device. */
static void vt_xmit(struct vnif_gate *gate, enum vnif_direction dir,
		    struct sk_buff *skb)
{
	unsigned int dropped;

	if (vnif_gate_state(gate) != VNIF_STATE_PASS &&
	    vnif_gate_hold_skb(gate, dir, skb, &dropped))
		return;
	local_bh_disable();
	rcu_read_lock();
	vt_deliver(gate, dir, skb, false);
	rcu_read_unlock();
	local_bh_enable();
}

static void vt_wait_pass(struct kunit *test, struct vnif_gate *gate)
{
	unsigned long end = jiffies + 5 * HZ;

	while (vnif_gate_state(gate) != VNIF_STATE_PASS &&
	       time_before(jiffies, end))
		usleep_range(5000, 10000);
	KUNIT_ASSERT_EQ(test, VNIF_STATE_PASS, vnif_gate_state(gate));
}

static struct vnif_queue_stats vt_stats(struct vnif_gate *gate,
					enum vnif_direction dir, u32 *held)
{
	struct vnif_queue_stats s;
	u64 bytes;

	vnif_gate_stats(gate, dir, &s, held, &bytes);
	return s;
}

/*
 * Every frame queued is accounted for: held_total = released + moved +
 * drop_deadline + drop_down + drop_refused + held, in each direction.
 */
static void vt_expect_balanced(struct kunit *test, struct vnif_gate *gate)
{
	enum vnif_direction dir;
	struct vnif_queue_stats s;
	u32 held;

	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		s = vt_stats(gate, dir, &held);
		KUNIT_EXPECT_EQ_MSG(test, s.held_total,
				    s.released + s.moved + s.drop_deadline +
				    s.drop_down + s.drop_refused + held,
				    "direction %d", dir);
	}
}

static void vnif_gate_pass_delivers(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;

	vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, 7, 64));
	KUNIT_EXPECT_EQ(test, 1U, rec->n[VNIF_DIR_INGRESS]);
	KUNIT_EXPECT_EQ(test, 0U, rec->from_queue);
	vnif_gate_put(gate);
}

static void vnif_gate_hold_then_release_in_order(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	u32 i, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 300; i++)
		vt_xmit(gate, i % 3 ? VNIF_DIR_INGRESS : VNIF_DIR_EGRESS,
			vt_frame(test, i, VT_FRAME_LEN));
	/* Nothing crosses while held. */
	KUNIT_EXPECT_EQ(test, 0U, rec->n[VNIF_DIR_INGRESS] + rec->n[VNIF_DIR_EGRESS]);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 200U, held);
	KUNIT_EXPECT_EQ(test, 200ULL, s.held_total);

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	KUNIT_ASSERT_EQ(test, 200U, rec->n[VNIF_DIR_INGRESS]);
	KUNIT_ASSERT_EQ(test, 100U, rec->n[VNIF_DIR_EGRESS]);
	for (i = 1; i < 200; i++)
		KUNIT_EXPECT_LT(test, rec->seq[VNIF_DIR_INGRESS][i - 1],
				rec->seq[VNIF_DIR_INGRESS][i]);
	for (i = 1; i < 100; i++)
		KUNIT_EXPECT_LT(test, rec->seq[VNIF_DIR_EGRESS][i - 1],
				rec->seq[VNIF_DIR_EGRESS][i]);
	KUNIT_EXPECT_EQ(test, 300U, rec->from_queue);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 0U, held);
	KUNIT_EXPECT_EQ(test, 200ULL, s.released);
	KUNIT_EXPECT_EQ(test, 200ULL, s.high_water);
	KUNIT_EXPECT_EQ(test, 0ULL, s.drop_limit);
	s = vt_stats(gate, VNIF_DIR_EGRESS, &held);
	KUNIT_EXPECT_EQ(test, 100ULL, s.released);
	vnif_gate_put(gate);
}

/*
 * A freeze during the release: the batch being delivered completes, the
 * rest stays held in order, ahead of what comes next; a thaw delivers it
 * all, in order.
 */
static void vnif_gate_freeze_during_release(struct kunit *test)
{
	struct vt_record *rec = test->priv;
	struct vnif_gate *gate;
	unsigned long end;
	u32 i, held, done;

	/*
	 * With one CPU (the test guest's), the worker's spin gives up after
	 * 2 s, it ends the batch, and the freeze comes in at its
	 * cond_resched(), before the next batch: the same outcome.
	 */
	gate = vt_gate(test);
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 300; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
	/* Frame 100 is in the second batch: it waits for the freeze. */
	rec->block_at = 101;
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	end = jiffies + 5 * HZ;
	while (!READ_ONCE(rec->blocked) && time_before(jiffies, end))
		usleep_range(1000, 2000);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(rec->blocked));
	KUNIT_ASSERT_EQ(test, VNIF_STATE_RELEASE, vnif_gate_state(gate));

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	/* Returned after that batch, and the release went no further. */
	done = 2 * VNIF_RELEASE_BATCH;
	KUNIT_EXPECT_EQ(test, VNIF_STATE_HOLD, vnif_gate_state(gate));
	KUNIT_EXPECT_EQ(test, done, rec->n[VNIF_DIR_INGRESS]);
	vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 300 - done, held);
	for (i = 300; i < 310; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
	msleep(50);
	KUNIT_EXPECT_EQ(test, done, rec->n[VNIF_DIR_INGRESS]);
	vt_expect_balanced(test, gate);

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	KUNIT_ASSERT_EQ(test, 310U, rec->n[VNIF_DIR_INGRESS]);
	for (i = 0; i < 310; i++)
		KUNIT_EXPECT_EQ(test, i, rec->seq[VNIF_DIR_INGRESS][i]);
	vt_expect_balanced(test, gate);
	vnif_gate_put(gate);
}

/* Frames sent during the release never overtake held ones. */
static void vnif_gate_release_before_new(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	u32 i, n;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 500; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	for (; i < 1000; i++) {
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
		if (i % 16 == 0)
			cond_resched();
	}
	vt_wait_pass(test, gate);
	n = rec->n[VNIF_DIR_INGRESS];
	KUNIT_ASSERT_EQ(test, 1000U, n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, i, rec->seq[VNIF_DIR_INGRESS][i]);
	KUNIT_EXPECT_GE(test, rec->from_queue, 500U);
	vnif_gate_put(gate);
}

static void vnif_gate_limits_drop_tail(struct kunit *test)
{
	struct vnif_limits limits = { .packets = 3 };
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	u32 i, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, &limits, NULL, NULL, NULL));
	for (i = 0; i < 5; i++)
		vt_xmit(gate, VNIF_DIR_EGRESS, vt_frame(test, i, VT_FRAME_LEN));
	s = vt_stats(gate, VNIF_DIR_EGRESS, &held);
	KUNIT_EXPECT_EQ(test, 3U, held);
	KUNIT_EXPECT_EQ(test, 2ULL, s.drop_limit);
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	/* Drop-tail: the oldest frames are the ones kept. */
	KUNIT_ASSERT_EQ(test, 3U, rec->n[VNIF_DIR_EGRESS]);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, i, rec->seq[VNIF_DIR_EGRESS][i]);
	vnif_gate_put(gate);
}

struct vnif_deadline_case {
	const char *name;
	u8 policy;
	u32 released, dropped;
};

static const struct vnif_deadline_case vnif_deadline_cases[] = {
	{ "policy release", VNIF_DEADLINE_RELEASE, 4, 0 },
	{ "policy drop", VNIF_DEADLINE_DROP, 0, 4 },
};

static void vnif_deadline_case_desc(const struct vnif_deadline_case *c,
				    char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vnif_deadline, vnif_deadline_cases, vnif_deadline_case_desc);

static void vnif_gate_deadline(struct kunit *test)
{
	const struct vnif_deadline_case *c = test->param_value;
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	u32 deadline_ms = 200, i, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, &deadline_ms,
						  &c->policy, NULL));
	KUNIT_EXPECT_GT(test, vnif_gate_deadline_left_ms(gate), 0U);
	for (i = 0; i < 4; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
	vt_wait_pass(test, gate);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 1ULL, s.deadlines);
	KUNIT_EXPECT_EQ(test, (u64)c->released, s.released);
	KUNIT_EXPECT_EQ(test, (u64)c->dropped, s.drop_deadline);
	KUNIT_EXPECT_EQ(test, c->released, rec->n[VNIF_DIR_INGRESS]);
	KUNIT_EXPECT_EQ(test, 0U, held);
	KUNIT_EXPECT_EQ(test, 0U, vnif_gate_deadline_left_ms(gate));
	vnif_gate_put(gate);
}

static void vnif_gate_thaw_cancels_deadline(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vnif_queue_stats s;
	u32 deadline_ms = 100, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, &deadline_ms,
						  NULL, NULL));
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	msleep(200);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 0ULL, s.deadlines);
	vnif_gate_put(gate);
}

static void vnif_gate_state_errors(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct sk_buff_head frames;

	KUNIT_EXPECT_EQ(test, -EINVAL, vnif_gate_thaw(gate, NULL));
	__skb_queue_head_init(&frames);
	__skb_queue_tail(&frames, vt_frame(test, 1, 64));
	KUNIT_EXPECT_EQ(test, -EINVAL, vnif_gate_load(gate, &frames, NULL));
	KUNIT_EXPECT_EQ(test, 1U, skb_queue_len(&frames));
	__skb_queue_purge(&frames);
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	KUNIT_EXPECT_EQ(test, -EBUSY, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	KUNIT_EXPECT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	vnif_gate_put(gate);
}

struct vt_export {
	struct sk_buff_head frames;
	u32 n;
};

static int vt_export_one(void *arg, enum vnif_direction dir,
			 const struct sk_buff *skb, u64 tstamp_ns)
{
	struct vt_export *ex = arg;
	struct sk_buff *copy = skb_copy(skb, GFP_ATOMIC);

	if (!copy)
		return -ENOMEM;
	vnif_cb(copy)->dir = dir;
	vnif_cb(copy)->tstamp_ns = tstamp_ns;
	__skb_queue_tail(&ex->frames, copy);
	ex->n++;
	return 0;
}

/* The queue of one gate, exported and loaded into another, comes out whole. */
static void vnif_gate_export_import(struct kunit *test)
{
	struct vnif_gate *a = vt_gate(test), *b = vt_gate(test);
	struct vnif_limits small = { .packets = 5 };
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	struct vt_export ex = {};
	struct sk_buff *skb;
	u32 i, held;
	u64 t0;

	__skb_queue_head_init(&ex.frames);
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(a, NULL, NULL, NULL, NULL));
	for (i = 0; i < 12; i++)
		vt_xmit(a, i & 1 ? VNIF_DIR_EGRESS : VNIF_DIR_INGRESS,
			vt_frame(test, i, 60 + i));
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_export(a, vt_export_one, &ex));
	KUNIT_ASSERT_EQ(test, 12U, ex.n);
	/* Export leaves the queue as it was. */
	vt_stats(a, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 6U, held);
	t0 = vnif_cb(skb_peek(&ex.frames))->tstamp_ns;
	KUNIT_EXPECT_GT(test, t0, 0ULL);

	/* All or nothing: over the limits, nothing is loaded. */
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(b, &small, NULL, NULL, NULL));
	KUNIT_EXPECT_EQ(test, -ENOBUFS, vnif_gate_load(b, &ex.frames, NULL));
	KUNIT_EXPECT_EQ(test, 12U, skb_queue_len(&ex.frames));
	vt_stats(b, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 0U, held);
	small.packets = 100;
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_set_limits(b, &small, NULL, NULL, NULL));
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_load(b, &ex.frames, NULL));
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&ex.frames));
	s = vt_stats(b, VNIF_DIR_EGRESS, &held);
	KUNIT_EXPECT_EQ(test, 6U, held);
	KUNIT_EXPECT_EQ(test, 6ULL, s.loaded);

	rec->keep = true;
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(b, NULL));
	vt_wait_pass(test, b);
	KUNIT_ASSERT_EQ(test, 12U, skb_queue_len(&rec->frames));
	for (i = 0; i < 6; i++) {
		KUNIT_EXPECT_EQ(test, 2 * i, rec->seq[VNIF_DIR_INGRESS][i]);
		KUNIT_EXPECT_EQ(test, 2 * i + 1, rec->seq[VNIF_DIR_EGRESS][i]);
	}
	/* Byte for byte, lengths included; arrival times kept. */
	i = 0;
	skb_queue_walk(&rec->frames, skb) {
		u32 seq = vt_seq(skb);

		KUNIT_EXPECT_EQ(test, 60 + seq, skb->len);
		KUNIT_EXPECT_EQ(test, seq & 1 ? VNIF_DIR_EGRESS : VNIF_DIR_INGRESS,
				(enum vnif_direction)vnif_cb(skb)->dir);
		i++;
	}
	vnif_gate_put(b);
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(a, NULL));
	vt_wait_pass(test, a);
	vnif_gate_put(a);
}

/* Deleting the pair while it holds: everything is freed and counted. */
static void vnif_gate_kill_purges(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	u32 i, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 4; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
	vnif_gate_kill(gate);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 0U, held);
	KUNIT_EXPECT_EQ(test, 4ULL, s.drop_down);
	/* A dead gate holds nothing more and refuses every command. */
	vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, 9, VT_FRAME_LEN));
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 5ULL, s.drop_down);
	KUNIT_EXPECT_EQ(test, 0U, rec->n[VNIF_DIR_INGRESS]);
	KUNIT_EXPECT_EQ(test, -ENODEV, vnif_gate_thaw(gate, NULL));
	vnif_gate_put(gate);
}

/* Release into an end that is down: counted, not lost silently. */
static void vnif_gate_release_to_down_end(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	u32 i, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 3; i++)
		vt_xmit(gate, VNIF_DIR_EGRESS, vt_frame(test, i, VT_FRAME_LEN));
	rec->receiver_down = true;
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	s = vt_stats(gate, VNIF_DIR_EGRESS, &held);
	KUNIT_EXPECT_EQ(test, 3ULL, s.drop_down);
	KUNIT_EXPECT_EQ(test, 0ULL, s.released);
	vnif_gate_put(gate);
}

/*
 * A receiver that refuses some frames on release (too long for its MTU):
 * counted as refused, the others released in order, and every frame
 * queued is accounted for.
 */
static void vnif_gate_release_refused(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	struct vt_record *rec = test->priv;
	struct vnif_queue_stats s;
	u32 i, held;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 6; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, VT_FRAME_LEN));
	rec->refuse_odd = 1;
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 3ULL, s.drop_refused);
	KUNIT_EXPECT_EQ(test, 3ULL, s.released);
	vt_expect_balanced(test, gate);
	KUNIT_ASSERT_EQ(test, 3U, rec->n[VNIF_DIR_INGRESS]);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, 2 * i, rec->seq[VNIF_DIR_INGRESS][i]);
	vnif_gate_put(gate);
}

/* ---- vnif_gate: trim, the frames a checkpoint image took over ---- */

#define VT_TRIM_MAX	16
#define VT_ACCEPT_ALL	U32_MAX

struct vt_trim_check {
	u32 refuse_at;		/* the call (0-based) refused, or VT_ACCEPT_ALL */
	u32 calls;
	u32 seq[VT_TRIM_MAX];
	enum vnif_direction dir[VT_TRIM_MAX];
	u64 tstamp[VT_TRIM_MAX];
};

static int vt_trim_check(void *arg, enum vnif_direction dir,
			 const struct sk_buff *skb, u64 tstamp_ns)
{
	struct vt_trim_check *c = arg;
	u32 i = c->calls++;

	if (i < VT_TRIM_MAX) {
		c->seq[i] = vt_seq(skb);
		c->dir[i] = dir;
		c->tstamp[i] = tstamp_ns;
	}
	return i == c->refuse_at ? -EINVAL : 0;
}

/*
 * A frozen gate holding ingress frames 0..4 (60..64 bytes) and egress
 * frames 100..102 (80..82 bytes).
 */
static struct vnif_gate *vt_trim_gate(struct kunit *test)
{
	struct vnif_gate *gate = vt_gate(test);
	u32 i;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	for (i = 0; i < 5; i++)
		vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, i, 60 + i));
	for (i = 0; i < 3; i++)
		vt_xmit(gate, VNIF_DIR_EGRESS, vt_frame(test, 100 + i, 80 + i));
	return gate;
}

/* Held frames and bytes, and moved frames, of both directions. */
static void vt_expect_held(struct kunit *test, struct vnif_gate *gate,
			   u32 in, u64 in_bytes, u64 in_moved,
			   u32 eg, u64 eg_bytes, u64 eg_moved)
{
	struct vnif_queue_stats s;
	u64 bytes;
	u32 held;

	vnif_gate_stats(gate, VNIF_DIR_INGRESS, &s, &held, &bytes);
	KUNIT_EXPECT_EQ(test, in, held);
	KUNIT_EXPECT_EQ(test, in_bytes, bytes);
	KUNIT_EXPECT_EQ(test, in_moved, s.moved);
	vnif_gate_stats(gate, VNIF_DIR_EGRESS, &s, &held, &bytes);
	KUNIT_EXPECT_EQ(test, eg, held);
	KUNIT_EXPECT_EQ(test, eg_bytes, bytes);
	KUNIT_EXPECT_EQ(test, eg_moved, s.moved);
	vt_expect_balanced(test, gate);
}

/* Thaws @gate and expects these frames, and only them, to be released. */
static void vt_expect_released(struct kunit *test, struct vnif_gate *gate,
			       u32 in_first, u32 in_n, u32 eg_first, u32 eg_n)
{
	struct vt_record *rec = test->priv;
	u32 i;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_thaw(gate, NULL));
	vt_wait_pass(test, gate);
	KUNIT_ASSERT_EQ(test, in_n, rec->n[VNIF_DIR_INGRESS]);
	KUNIT_ASSERT_EQ(test, eg_n, rec->n[VNIF_DIR_EGRESS]);
	for (i = 0; i < in_n; i++)
		KUNIT_EXPECT_EQ(test, in_first + i, rec->seq[VNIF_DIR_INGRESS][i]);
	for (i = 0; i < eg_n; i++)
		KUNIT_EXPECT_EQ(test, eg_first + i, rec->seq[VNIF_DIR_EGRESS][i]);
	vt_expect_balanced(test, gate);
}

/*
 * The first n of each direction go, after check saw exactly them, in
 * export order; they count as moved, the rest is released as usual.
 */
static void vnif_gate_trim_moves_head(struct kunit *test)
{
	static const u32 want_seq[] = { 0, 1, 2, 100, 101 };
	struct vt_trim_check c = { .refuse_at = VT_ACCEPT_ALL };
	struct vnif_gate *gate = vt_trim_gate(test);
	const u32 n[__VNIF_DIR_MAX] = { 3, 2 }, one[__VNIF_DIR_MAX] = { 1, 0 };
	struct vnif_queue_stats s;
	u32 i, held, seq = gate->seq;

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_trim(gate, n, vt_trim_check, &c, NULL));
	KUNIT_ASSERT_EQ(test, 5U, c.calls);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, want_seq[i], c.seq[i]);
		KUNIT_EXPECT_EQ(test, i < 3 ? VNIF_DIR_INGRESS : VNIF_DIR_EGRESS,
				c.dir[i]);
		KUNIT_EXPECT_GT(test, c.tstamp[i], 0ULL);
	}
	/* 63 + 64 and 82 bytes are left. */
	vt_expect_held(test, gate, 2, 127, 3, 1, 82, 2);
	/* A dump running meanwhile sees that frames left the queue. */
	KUNIT_EXPECT_NE(test, seq, gate->seq);
	s = vt_stats(gate, VNIF_DIR_INGRESS, &held);
	KUNIT_EXPECT_EQ(test, 5ULL, s.held_total);
	KUNIT_EXPECT_EQ(test, 0ULL, s.drop_limit + s.drop_down);

	/* Without check, on what is left. */
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_trim(gate, one, NULL, NULL, NULL));
	vt_expect_held(test, gate, 1, 64, 4, 1, 82, 2);
	vt_expect_released(test, gate, 4, 1, 102, 1);
	s = vt_stats(gate, VNIF_DIR_EGRESS, &held);
	KUNIT_EXPECT_EQ(test, 1ULL, s.released);
	KUNIT_EXPECT_EQ(test, 2ULL, s.moved);
	vnif_gate_put(gate);
}

struct vt_refuse_case {
	const char *name;
	u32 refuse_at;
};

static const struct vt_refuse_case vt_refuse_cases[] = {
	{ "the first ingress frame refused", 0 },
	{ "the last ingress frame refused", 2 },
	{ "the first egress frame refused", 3 },
	{ "the last egress frame refused", 4 },
};

static void vt_refuse_case_desc(const struct vt_refuse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vt_refuse, vt_refuse_cases, vt_refuse_case_desc);

/* check() refusing any one frame: nothing is removed, -ESTALE. */
static void vnif_gate_trim_check_refuses(struct kunit *test)
{
	const struct vt_refuse_case *rc = test->param_value;
	struct vt_trim_check c = { .refuse_at = rc->refuse_at };
	struct vnif_gate *gate = vt_trim_gate(test);
	const u32 n[__VNIF_DIR_MAX] = { 3, 2 };
	struct netlink_ext_ack extack = {};
	u32 seq = gate->seq;

	KUNIT_EXPECT_EQ(test, -ESTALE,
			vnif_gate_trim(gate, n, vt_trim_check, &c, &extack));
	KUNIT_EXPECT_STREQ(test, "a held frame differs from the image's",
			   extack._msg);
	/* It stopped at the refused frame. */
	KUNIT_EXPECT_EQ(test, rc->refuse_at + 1, c.calls);
	vt_expect_held(test, gate, 5, 310, 0, 3, 243, 0);
	KUNIT_EXPECT_EQ(test, seq, gate->seq);
	vt_expect_released(test, gate, 0, 5, 100, 3);
	vnif_gate_put(gate);
}

/* Fewer frames held than asked for, in either direction: -ESTALE. */
static void vnif_gate_trim_too_few(struct kunit *test)
{
	struct vt_trim_check c = { .refuse_at = VT_ACCEPT_ALL };
	struct vnif_gate *gate = vt_trim_gate(test);
	const u32 in[__VNIF_DIR_MAX] = { 6, 0 }, eg[__VNIF_DIR_MAX] = { 5, 4 };
	const u32 huge[__VNIF_DIR_MAX] = { U32_MAX, U32_MAX };
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, -ESTALE,
			vnif_gate_trim(gate, in, vt_trim_check, &c, &extack));
	KUNIT_EXPECT_STREQ(test, "the pair holds fewer frames than the image carries",
			   extack._msg);
	KUNIT_EXPECT_EQ(test, -ESTALE,
			vnif_gate_trim(gate, eg, vt_trim_check, &c, NULL));
	KUNIT_EXPECT_EQ(test, -ESTALE, vnif_gate_trim(gate, huge, NULL, NULL, NULL));
	/* Counted before check sees a frame. */
	KUNIT_EXPECT_EQ(test, 0U, c.calls);
	vt_expect_held(test, gate, 5, 310, 0, 3, 243, 0);
	vt_expect_released(test, gate, 0, 5, 100, 3);
	vnif_gate_put(gate);
}

/* n all zero does nothing, and succeeds, whatever the state. */
static void vnif_gate_trim_nothing(struct kunit *test)
{
	struct vt_trim_check c = { .refuse_at = 0 };
	const u32 zero[__VNIF_DIR_MAX] = {};
	struct vnif_gate *gate = vt_gate(test);

	KUNIT_EXPECT_EQ(test, 0, vnif_gate_trim(gate, zero, vt_trim_check, &c, NULL));
	vnif_gate_put(gate);

	gate = vt_trim_gate(test);
	KUNIT_EXPECT_EQ(test, 0, vnif_gate_trim(gate, zero, vt_trim_check, &c, NULL));
	KUNIT_EXPECT_EQ(test, 0U, c.calls);
	vt_expect_held(test, gate, 5, 310, 0, 3, 243, 0);
	vt_expect_released(test, gate, 0, 5, 100, 3);
	KUNIT_EXPECT_EQ(test, 0, vnif_gate_trim(gate, zero, vt_trim_check, &c, NULL));
	vnif_gate_put(gate);
}

/*
 * A pair that is not frozen (released since: its frames were delivered,
 * an image of them is stale) or that is being deleted: nothing to trim.
 */
static void vnif_gate_trim_not_frozen(struct kunit *test)
{
	struct vt_trim_check c = { .refuse_at = VT_ACCEPT_ALL };
	const u32 n[__VNIF_DIR_MAX] = { 1, 0 };
	struct vnif_gate *gate = vt_trim_gate(test);
	struct netlink_ext_ack extack = {};

	vt_expect_released(test, gate, 0, 5, 100, 3);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vnif_gate_trim(gate, n, vt_trim_check, &c, &extack));
	KUNIT_EXPECT_STREQ(test, "the pair must be frozen to trim its queues",
			   extack._msg);
	/* Frames that pass now are not held, and cannot be trimmed. */
	vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, 5, VT_FRAME_LEN));
	KUNIT_EXPECT_EQ(test, -EINVAL, vnif_gate_trim(gate, n, NULL, NULL, NULL));
	KUNIT_EXPECT_EQ(test, 0U, c.calls);
	vt_expect_held(test, gate, 0, 0, 0, 0, 0, 0);

	KUNIT_ASSERT_EQ(test, 0, vnif_gate_freeze(gate, NULL, NULL, NULL, NULL));
	vt_xmit(gate, VNIF_DIR_INGRESS, vt_frame(test, 6, VT_FRAME_LEN));
	vnif_gate_kill(gate);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, -ENODEV,
			vnif_gate_trim(gate, n, vt_trim_check, &c, &extack));
	KUNIT_EXPECT_STREQ(test, "the pair is being deleted", extack._msg);
	KUNIT_EXPECT_EQ(test, 0U, c.calls);
	vt_expect_held(test, gate, 0, 0, 0, 0, 0, 0);
	vnif_gate_put(gate);
}

static struct kunit_case vnif_gate_cases[] = {
	KUNIT_CASE(vnif_gate_pass_delivers),
	KUNIT_CASE(vnif_gate_hold_then_release_in_order),
	KUNIT_CASE(vnif_gate_freeze_during_release),
	KUNIT_CASE(vnif_gate_release_before_new),
	KUNIT_CASE(vnif_gate_limits_drop_tail),
	KUNIT_CASE_PARAM(vnif_gate_deadline, vnif_deadline_gen_params),
	KUNIT_CASE(vnif_gate_thaw_cancels_deadline),
	KUNIT_CASE(vnif_gate_state_errors),
	KUNIT_CASE(vnif_gate_export_import),
	KUNIT_CASE(vnif_gate_kill_purges),
	KUNIT_CASE(vnif_gate_release_to_down_end),
	KUNIT_CASE(vnif_gate_release_refused),
	KUNIT_CASE(vnif_gate_trim_moves_head),
	KUNIT_CASE_PARAM(vnif_gate_trim_check_refuses, vt_refuse_gen_params),
	KUNIT_CASE(vnif_gate_trim_too_few),
	KUNIT_CASE(vnif_gate_trim_nothing),
	KUNIT_CASE(vnif_gate_trim_not_frozen),
	{}
};

static struct kunit_suite vnif_gate_suite = {
	.name = "vnif_gate",
	.init = vnif_gate_test_init,
	.exit = vnif_gate_test_exit,
	.test_cases = vnif_gate_cases,
};

/* ---- vnif_attrs: rtnetlink validation of IFLA_INFO_DATA ---- */

enum vt_attr_value { VT_U8, VT_U32, VT_MAC, VT_PEER, VT_PEER_NESTED, VT_SHORT };

struct vnif_attr_case {
	const char *name;
	int ifla;		/* 0: a vnif attribute; else a top-level IFLA_* */
	int type;
	enum vt_attr_value kind;
	u32 value;
	int err;
};

static const struct vnif_attr_case vnif_attr_cases[] = {
	{ "limit packets 1 ok", 0, IFLA_VNIF_LIMIT_PACKETS, VT_U32, 1, 0 },
	{ "limit packets 0", 0, IFLA_VNIF_LIMIT_PACKETS, VT_U32, 0, -ERANGE },
	{ "limit packets over max", 0, IFLA_VNIF_LIMIT_PACKETS, VT_U32,
	  VNIF_LIMIT_PACKETS_MAX + 1, -ERANGE },
	{ "limit bytes under min", 0, IFLA_VNIF_LIMIT_BYTES, VT_U32, 100, -ERANGE },
	{ "limit bytes max ok", 0, IFLA_VNIF_LIMIT_BYTES, VT_U32,
	  VNIF_LIMIT_BYTES_MAX, 0 },
	{ "deadline over max", 0, IFLA_VNIF_DEADLINE_MS, VT_U32,
	  VNIF_DEADLINE_MS_MAX + 1, -ERANGE },
	{ "deadline policy unknown", 0, IFLA_VNIF_DEADLINE_POLICY, VT_U8, 2, -ERANGE },
	{ "limit as u8", 0, IFLA_VNIF_LIMIT_PACKETS, VT_U8, 1, -EINVAL },
	{ "state is read-only", 0, IFLA_VNIF_STATE, VT_U8, 1, -EINVAL },
	{ "inner is read-only", 0, IFLA_VNIF_INNER, VT_U8, 1, -EINVAL },
	{ "unknown attribute", 0, IFLA_VNIF_MAX + 1, VT_U32, 1, -EINVAL },
	{ "attribute type 0", 0, IFLA_VNIF_UNSPEC, VT_U32, 1, -EINVAL },
	{ "peer as iproute2 sends it", 0, IFLA_VNIF_PEER, VT_PEER, 0, 0 },
	{ "peer with NLA_F_NESTED", 0, IFLA_VNIF_PEER, VT_PEER_NESTED, 0, 0 },
	{ "peer shorter than ifinfomsg", 0, IFLA_VNIF_PEER, VT_SHORT, 0, -ERANGE },
	{ "multicast MAC", IFLA_ADDRESS, 0, VT_MAC, 1, -EADDRNOTAVAIL },
	{ "unicast MAC ok", IFLA_ADDRESS, 0, VT_MAC, 0, 0 },
	{ "MTU too small", IFLA_MTU, 0, VT_U32, 67, -EINVAL },
	{ "MTU ok", IFLA_MTU, 0, VT_U32, 9000, 0 },
};

static void vnif_attr_case_desc(const struct vnif_attr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vnif_attr, vnif_attr_cases, vnif_attr_case_desc);

static int vt_put(struct sk_buff *skb, int type, const struct vnif_attr_case *c)
{
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };

	switch (c->kind) {
	case VT_U8:
		return nla_put_u8(skb, type, c->value);
	case VT_U32:
		return nla_put_u32(skb, type, c->value);
	case VT_MAC:
		if (c->value)
			mac[0] = 0x01;
		return nla_put(skb, type, ETH_ALEN, mac);
	case VT_PEER:
	case VT_PEER_NESTED: {
		/* struct ifinfomsg, then the peer's IFLA_IFNAME. */
		struct ifinfomsg ifm = {};
		struct nlattr *peer;

		peer = nla_nest_start_noflag(skb, type);
		if (!peer)
			return -EMSGSIZE;
		skb_put_data(skb, &ifm, sizeof(ifm));
		if (nla_put_string(skb, IFLA_IFNAME, "eth0"))
			return -EMSGSIZE;
		nla_nest_end(skb, peer);
		if (c->kind == VT_PEER_NESTED)
			peer->nla_type |= NLA_F_NESTED;
		return 0;
	}
	case VT_SHORT: {
		u8 ifm[sizeof(struct ifinfomsg)] = {};

		return nla_put(skb, type, sizeof(ifm) - 1, ifm);
	}
	}
	return -EINVAL;
}

static void vnif_attrs_validate(struct kunit *test)
{
	const struct vnif_attr_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct nlattr *linkinfo, *data;
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	linkinfo = nla_nest_start(skb, IFLA_LINKINFO);
	KUNIT_ASSERT_EQ(test, 0, nla_put_string(skb, IFLA_INFO_KIND, "vnif"));
	data = nla_nest_start(skb, IFLA_INFO_DATA);
	if (!c->ifla)
		KUNIT_ASSERT_EQ(test, 0, vt_put(skb, c->type, c));
	nla_nest_end(skb, data);
	nla_nest_end(skb, linkinfo);
	tb[IFLA_LINKINFO] = linkinfo;
	if (c->ifla) {
		tb[c->ifla] = (struct nlattr *)skb_tail_pointer(skb);
		KUNIT_ASSERT_EQ(test, 0, vt_put(skb, c->ifla, c));
	}

	err = vnif_link_ops.validate(tb, NULL, &extack);
	KUNIT_EXPECT_EQ(test, c->err, err);
	if (c->err)
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	kfree_skb(skb);
}

static struct kunit_case vnif_attrs_cases[] = {
	KUNIT_CASE_PARAM(vnif_attrs_validate, vnif_attr_gen_params),
	{}
};

static struct kunit_suite vnif_attrs_suite = {
	.name = "vnif_attrs",
	.test_cases = vnif_attrs_cases,
};

/* ---- vnif_dev: real pairs, the exported API (include/net/vnif.h) ---- */

#define VT_ETH_P	0x88b5	/* IEEE local experimental */

struct vt_tap {
	struct packet_type pt;
	spinlock_t lock;	/* taps run in softirq and in the release worker */
	u32 n;
	u32 seq[VT_MAX_RECORD];
	u32 len[VT_MAX_RECORD];
};

static int vt_tap_rcv(struct sk_buff *skb, struct net_device *dev,
		      struct packet_type *pt, struct net_device *orig)
{
	struct vt_tap *tap = container_of(pt, struct vt_tap, pt);
	u32 seq;

	/* Received: skb->data is past the Ethernet header. */
	if (skb->protocol == htons(VT_ETH_P) &&
	    !skb_copy_bits(skb, 0, &seq, sizeof(seq))) {
		spin_lock_bh(&tap->lock);
		if (tap->n < VT_MAX_RECORD) {
			tap->len[tap->n] = skb->len + ETH_HLEN;
			tap->seq[tap->n++] = seq;
		}
		spin_unlock_bh(&tap->lock);
	}
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

struct vt_pair {
	struct net_device *outer, *inner;
	struct vt_tap *tap;	/* on the inner end */
	bool tapped;
};

static void vt_pair_del(struct vt_pair *p)
{
	LIST_HEAD(list);

	if (p->tapped)
		dev_remove_pack(&p->tap->pt);
	p->tapped = false;
	if (!p->outer)
		return;
	rtnl_lock();
	vnif_link_ops.dellink(p->outer, &list);
	unregister_netdevice_many(&list);
	rtnl_unlock();
	p->outer = NULL;
}

static void vt_pair_release(struct kunit_resource *res)
{
	vt_pair_del(res->data);
}

/*
 * Until linkwatch has seen the carrier, an open device transmits into the
 * noop qdisc, which drops.
 */
static void vt_wait_oper_up(struct kunit *test, struct vt_pair *p)
{
	unsigned long end = jiffies + 5 * HZ;

	while ((qdisc_tx_is_noop(p->outer) || qdisc_tx_is_noop(p->inner)) &&
	       time_before(jiffies, end))
		usleep_range(10000, 20000);
	KUNIT_ASSERT_FALSE(test, qdisc_tx_is_noop(p->outer) || qdisc_tx_is_noop(p->inner));
}

/* A pair in init_net made as rtnl_newlink() would, both ends up. */
static struct vt_pair *vt_pair_new(struct kunit *test)
{
	struct vt_pair *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct net_device *dev;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, p);
	/* Before the pair's cleanup is registered: freed after it runs. */
	p->tap = kunit_kzalloc(test, sizeof(*p->tap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->tap);
	rtnl_lock();
	dev = rtnl_create_link(&init_net, "vnif%d", NET_NAME_ENUM,
			       &vnif_link_ops, tb, NULL);
	if (IS_ERR(dev)) {
		rtnl_unlock();
		KUNIT_ASSERT_FAILURE(test, "rtnl_create_link: %ld", PTR_ERR(dev));
	}
	err = vnif_link_ops.newlink(&init_net, dev, tb, NULL, NULL);
	if (err) {
		free_netdev(dev);
		rtnl_unlock();
		KUNIT_ASSERT_FAILURE(test, "newlink: %d", err);
	}
	p->outer = dev;
	p->inner = rtnl_dereference(vnif_dev_gate(dev)->end[VNIF_END_INNER]);
	KUNIT_EXPECT_EQ(test, 0, dev_open(p->outer, NULL));
	KUNIT_EXPECT_EQ(test, 0, dev_open(p->inner, NULL));
	rtnl_unlock();
	vt_wait_oper_up(test, p);
	/* Deleted at the end of the test, whatever happens. */
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, NULL, vt_pair_release,
							 GFP_KERNEL, p));

	spin_lock_init(&p->tap->lock);
	p->tap->pt.type = htons(ETH_P_ALL);
	p->tap->pt.dev = p->inner;
	p->tap->pt.func = vt_tap_rcv;
	dev_add_pack(&p->tap->pt);
	p->tapped = true;
	return p;
}

/* Sends frame @seq of @len bytes from the outer end to the inner end. */
static void vt_send(struct kunit *test, struct vt_pair *p, u32 seq, u32 len)
{
	struct sk_buff *skb = vt_frame(test, seq, len);
	struct ethhdr *eth = eth_hdr(skb);

	ether_addr_copy(eth->h_dest, p->inner->dev_addr);
	ether_addr_copy(eth->h_source, p->outer->dev_addr);
	eth->h_proto = htons(VT_ETH_P);
	skb->dev = p->outer;
	skb->protocol = htons(VT_ETH_P);
	KUNIT_EXPECT_EQ(test, NET_XMIT_SUCCESS, dev_queue_xmit(skb));
}

static void vt_wait_n(struct kunit *test, struct vt_pair *p, u32 n)
{
	unsigned long end = jiffies + 5 * HZ;

	u32 got;

	while ((READ_ONCE(p->tap->n) < n ||
		vnif_state(p->outer) != VNIF_STATE_PASS) &&
	       time_before(jiffies, end))
		usleep_range(5000, 10000);
	got = READ_ONCE(p->tap->n);
	KUNIT_ASSERT_EQ(test, n, got);
}

static void vnif_dev_pass_and_hold(struct kunit *test)
{
	struct vt_pair *p = vt_pair_new(test);
	u32 i;

	for (i = 0; i < 10; i++)
		vt_send(test, p, i, 100);
	vt_wait_n(test, p, 10);
	KUNIT_ASSERT_EQ(test, 0, vnif_freeze(p->inner, NULL));
	KUNIT_EXPECT_EQ(test, VNIF_STATE_HOLD, vnif_state(p->outer));
	for (; i < 110; i++)
		vt_send(test, p, i, 100);
	/* Nothing crosses a frozen pair. */
	usleep_range(50000, 60000);
	KUNIT_EXPECT_EQ(test, 10U, READ_ONCE(p->tap->n));
	KUNIT_ASSERT_EQ(test, 0, vnif_thaw(p->outer, NULL));
	for (; i < 400; i++)
		vt_send(test, p, i, 100);
	vt_wait_n(test, p, 400);
	/* Held frames first, then the ones sent during the release. */
	for (i = 0; i < 400; i++)
		KUNIT_EXPECT_EQ(test, i, p->tap->seq[i]);
}

struct vt_collect {
	struct vnif_frame frames[64];
	u8 data[64][128];
	u32 n;
	bool ours_only;		/* skip what the stack sent (IPv6 on the ends) */
};

static int vt_collect_one(void *arg, const struct vnif_frame *f)
{
	struct vt_collect *c = arg;
	const struct ethhdr *eth = (const struct ethhdr *)f->data;

	if (c->ours_only && eth->h_proto != htons(VT_ETH_P))
		return 0;
	if (c->n == ARRAY_SIZE(c->frames) || f->len > sizeof(c->data[0]))
		return -ENOSPC;
	memcpy(c->data[c->n], f->data, f->len);
	c->frames[c->n] = *f;
	c->frames[c->n].data = c->data[c->n];
	c->n++;
	return 0;
}

/* Export from one pair, load into another, release there: the same frames. */
static void vnif_dev_export_load(struct kunit *test)
{
	struct vt_pair *a = vt_pair_new(test), *b = vt_pair_new(test);
	struct vt_collect *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	/* Both ends are up: IPv6 may hold frames of its own too. */
	c->ours_only = true;
	KUNIT_ASSERT_EQ(test, 0, vnif_freeze(a->outer, NULL));
	for (i = 0; i < 20; i++)
		vt_send(test, a, i, 60 + i);
	KUNIT_ASSERT_EQ(test, 0, vnif_queue_export(a->outer, vt_collect_one, c));
	KUNIT_ASSERT_EQ(test, 20U, c->n);
	for (i = 0; i < 20; i++) {
		KUNIT_EXPECT_EQ(test, VNIF_DIR_INGRESS, c->frames[i].dir);
		KUNIT_EXPECT_EQ(test, 60 + i, c->frames[i].len);
		KUNIT_EXPECT_GT(test, c->frames[i].tstamp_ns, 0ULL);
	}
	/* Loading needs a frozen pair; a bad frame loads nothing. */
	KUNIT_EXPECT_EQ(test, -EINVAL, vnif_queue_load(b->outer, c->frames, c->n, NULL));
	KUNIT_ASSERT_EQ(test, 0, vnif_freeze(b->outer, NULL));
	c->frames[5].len = 3;
	KUNIT_EXPECT_EQ(test, -EINVAL, vnif_queue_load(b->outer, c->frames, c->n, NULL));
	c->frames[5].len = 65;
	/* The frames were addressed to a's inner end: readdress them to b's. */
	for (i = 0; i < c->n; i++)
		ether_addr_copy(c->data[i], b->inner->dev_addr);
	KUNIT_ASSERT_EQ(test, 0, vnif_queue_load(b->outer, c->frames, c->n, NULL));
	KUNIT_ASSERT_EQ(test, 0, vnif_thaw(b->outer, NULL));
	vt_wait_n(test, b, 20);
	for (i = 0; i < 20; i++) {
		KUNIT_EXPECT_EQ(test, i, b->tap->seq[i]);
		KUNIT_EXPECT_EQ(test, 60 + i, b->tap->len[i]);
	}
	/* a still holds its own: export leaves the queue as it was. */
	KUNIT_EXPECT_EQ(test, 0U, READ_ONCE(a->tap->n));
	KUNIT_ASSERT_EQ(test, 0, vnif_thaw(a->outer, NULL));
	vt_wait_n(test, a, 20);
}

/* Compares each frame check() is given with the exported ones, in order. */
struct vt_same {
	const struct vt_collect *c;
	u32 next;
	u32 calls;
};

static int vt_same_one(void *arg, const struct vnif_frame *f)
{
	struct vt_same *e = arg;
	const struct vnif_frame *want;

	e->calls++;
	if (e->next >= e->c->n)
		return -ENOENT;
	want = &e->c->frames[e->next++];
	if (f->dir != want->dir || f->len != want->len ||
	    f->tstamp_ns != want->tstamp_ns ||
	    memcmp(f->data, want->data, f->len))
		return -ESTALE;
	return 0;
}

/* VNIF_STATS_MOVED of @dir as rtnetlink reports it (IFLA_VNIF_STATS_*). */
static u64 vt_nl_moved(struct kunit *test, struct net_device *dev,
		       enum vnif_direction dir)
{
	int type = dir == VNIF_DIR_INGRESS ? IFLA_VNIF_STATS_INGRESS :
					     IFLA_VNIF_STATS_EGRESS;
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	const struct nlattr *nest, *a;
	u64 moved = U64_MAX;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, 0, vnif_link_ops.fill_info(skb, dev));
	nest = nla_find((const struct nlattr *)skb->data, skb->len, type);
	a = nest ? nla_find(nla_data(nest), nla_len(nest), VNIF_STATS_MOVED) : NULL;
	KUNIT_EXPECT_NOT_NULL(test, a);
	if (a)
		moved = nla_get_u64(a);
	kfree_skb(skb);
	return moved;
}

/*
 * Trim through the exported API, as crak.ko does after a checkpoint: the
 * frames check() is given are the exported ones; the tail stays held.
 * Both ends are up, so IPv6 may put frames of its own in either queue:
 * the image is whatever the export gave.
 */
static void vnif_dev_trim(struct kunit *test)
{
	struct vt_pair *p = vt_pair_new(test);
	struct vt_collect *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	const u32 one[__VNIF_DIR_MAX] = { 1, 0 };
	struct vnif_gate *gate = vnif_dev_gate(p->outer);
	u32 n[__VNIF_DIR_MAX] = {}, before[__VNIF_DIR_MAX], held;
	struct netlink_ext_ack extack = {};
	struct vt_same e = { .c = c };
	enum vnif_direction dir;
	struct vnif_queue_stats s;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, 0, vnif_freeze(p->inner, NULL));
	for (i = 0; i < 12; i++)
		vt_send(test, p, i, 60 + i);
	KUNIT_ASSERT_EQ(test, 0, vnif_queue_export(p->outer, vt_collect_one, c));
	KUNIT_ASSERT_GE(test, c->n, 12U);
	for (i = 0; i < c->n; i++)
		n[c->frames[i].dir]++;
	/* The tail: arrived after the image was taken. */
	for (i = 12; i < 20; i++)
		vt_send(test, p, i, 60 + i);
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++)
		vt_stats(gate, dir, &before[dir]);

	KUNIT_ASSERT_EQ(test, 0, vnif_queue_trim(p->outer, n, vt_same_one, &e, NULL));
	KUNIT_EXPECT_EQ(test, c->n, e.calls);
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		s = vt_stats(gate, dir, &held);
		KUNIT_EXPECT_EQ(test, before[dir] - n[dir], held);
		KUNIT_EXPECT_EQ(test, (u64)n[dir], s.moved);
		KUNIT_EXPECT_EQ(test, (u64)n[dir], vt_nl_moved(test, p->outer, dir));
		KUNIT_EXPECT_EQ(test, (u64)n[dir], vt_nl_moved(test, p->inner, dir));
	}
	vt_expect_balanced(test, gate);

	/* What is held now is not what the image carries: stale. */
	e.next = 0;
	e.calls = 0;
	KUNIT_EXPECT_EQ(test, -ESTALE,
			vnif_queue_trim(p->inner, one, vt_same_one, &e, &extack));
	KUNIT_EXPECT_STREQ(test, "a held frame differs from the image's", extack._msg);
	KUNIT_EXPECT_EQ(test, 1U, e.calls);
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		s = vt_stats(gate, dir, &held);
		KUNIT_EXPECT_EQ(test, before[dir] - n[dir], held);
		KUNIT_EXPECT_EQ(test, (u64)n[dir], s.moved);
	}
	vt_expect_balanced(test, gate);

	/* Only the tail crosses on release. */
	KUNIT_ASSERT_EQ(test, 0, vnif_thaw(p->outer, NULL));
	vt_wait_n(test, p, 8);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test, 12 + i, p->tap->seq[i]);
		KUNIT_EXPECT_EQ(test, 72 + i, p->tap->len[i]);
	}
	vt_expect_balanced(test, gate);
	/* Not frozen any more. */
	KUNIT_EXPECT_EQ(test, -EINVAL, vnif_queue_trim(p->outer, one, NULL, NULL, NULL));
}

static void vt_expect_info(struct kunit *test, struct net_device *dev,
			   bool inner, enum vnif_state state, u32 packets,
			   u32 bytes, u32 deadline_ms, u8 policy)
{
	struct vnif_dev_info info;

	memset(&info, 0xa5, sizeof(info));
	KUNIT_ASSERT_EQ(test, 0, vnif_dev_info(dev, &info));
	KUNIT_EXPECT_EQ(test, inner, info.inner);
	KUNIT_EXPECT_EQ(test, state, info.state);
	KUNIT_EXPECT_EQ(test, packets, info.limit_packets);
	KUNIT_EXPECT_EQ(test, bytes, info.limit_bytes);
	KUNIT_EXPECT_EQ(test, deadline_ms, info.deadline_ms);
	KUNIT_EXPECT_EQ(test, policy, info.deadline_policy);
}

/* Both ends report the pair's settings; only the inner end says inner. */
static void vnif_dev_info_ends(struct kunit *test)
{
	struct vt_pair *p = vt_pair_new(test);
	struct vnif_limits limits = { .packets = 1000, .bytes = 1000000 };
	u32 deadline_ms = 300000;
	u8 policy = VNIF_DEADLINE_DROP;

	vt_expect_info(test, p->outer, false, VNIF_STATE_PASS,
		       VNIF_LIMIT_PACKETS_DEFAULT, VNIF_LIMIT_BYTES_DEFAULT, 0,
		       VNIF_DEADLINE_RELEASE);
	vt_expect_info(test, p->inner, true, VNIF_STATE_PASS,
		       VNIF_LIMIT_PACKETS_DEFAULT, VNIF_LIMIT_BYTES_DEFAULT, 0,
		       VNIF_DEADLINE_RELEASE);
	KUNIT_ASSERT_EQ(test, 0, vnif_gate_set_limits(vnif_dev_gate(p->inner),
						      &limits, &deadline_ms,
						      &policy, NULL));
	KUNIT_ASSERT_EQ(test, 0, vnif_freeze(p->outer, NULL));
	vt_expect_info(test, p->outer, false, VNIF_STATE_HOLD, 1000, 1000000,
		       300000, VNIF_DEADLINE_DROP);
	vt_expect_info(test, p->inner, true, VNIF_STATE_HOLD, 1000, 1000000,
		       300000, VNIF_DEADLINE_DROP);
	KUNIT_ASSERT_EQ(test, 0, vnif_thaw(p->inner, NULL));
	vt_wait_n(test, p, 0);
	vt_expect_info(test, p->inner, true, VNIF_STATE_PASS, 1000, 1000000,
		       300000, VNIF_DEADLINE_DROP);
}

/* Deleting a pair that holds frames frees them all (kmemleak checks). */
static void vnif_dev_delete_while_holding(struct kunit *test)
{
	struct vt_pair *p = vt_pair_new(test);
	u32 i;

	KUNIT_ASSERT_EQ(test, 0, vnif_freeze(p->outer, NULL));
	for (i = 0; i < 50; i++)
		vt_send(test, p, i, 1000);
	vt_pair_del(p);
	KUNIT_EXPECT_EQ(test, 0U, READ_ONCE(p->tap->n));
}

static void vnif_dev_not_a_vnif(struct kunit *test)
{
	struct net_device *lo = init_net.loopback_dev;
	const u32 n[__VNIF_DIR_MAX] = { 1, 1 };
	struct netlink_ext_ack extack = {};
	struct vnif_dev_info info;

	KUNIT_EXPECT_FALSE(test, vnif_dev_is_vnif(lo));
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, vnif_freeze(lo, &extack));
	KUNIT_EXPECT_STREQ(test, "not a vnif device", extack._msg);
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, vnif_thaw(lo, NULL));
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, vnif_queue_export(lo, vt_collect_one, NULL));
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, vnif_dev_info(lo, &info));
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, vnif_queue_trim(lo, n, NULL, NULL, &extack));
	KUNIT_EXPECT_STREQ(test, "not a vnif device", extack._msg);
}

static struct kunit_case vnif_dev_cases[] = {
	KUNIT_CASE(vnif_dev_pass_and_hold),
	KUNIT_CASE(vnif_dev_export_load),
	KUNIT_CASE(vnif_dev_delete_while_holding),
	KUNIT_CASE(vnif_dev_not_a_vnif),
	KUNIT_CASE(vnif_dev_trim),
	KUNIT_CASE(vnif_dev_info_ends),
	{}
};

static struct kunit_suite vnif_dev_suite = {
	.name = "vnif_dev",
	.test_cases = vnif_dev_cases,
};

kunit_test_suites(&vnif_queue_suite, &vnif_gate_suite, &vnif_attrs_suite,
		  &vnif_dev_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for vnif");

// SPDX-License-Identifier: GPL-2.0
/*
 * The gate of a pair: PASS, HOLD, RELEASE.
 *
 * In HOLD every frame that would cross the pair is appended to its
 * direction's queue. THAW moves the gate to RELEASE: a work item delivers
 * the queues in batches, each frame received synchronously by the stack,
 * and frames that arrive meanwhile join the tail of the queue, so nothing
 * overtakes a held frame. The gate returns to PASS under the lock once both
 * queues are empty: every frame after that point is newer than every frame
 * delivered from the queue.
 *
 * The gate knows nothing of net devices: the pair gives it a deliver
 * function. That keeps it testable on its own (tests/kunit/vnif_gate_test.c).
 */

#include <linux/netdevice.h>
#include <linux/slab.h>

#include "vnif.h"

static void vnif_gate_release_work(struct work_struct *work);
static void vnif_gate_deadline_work(struct work_struct *work);

struct vnif_gate *vnif_gate_create(vnif_deliver_t deliver, gfp_t gfp)
{
	struct vnif_gate *gate;

	gate = kzalloc(sizeof(*gate), gfp);
	if (!gate)
		return NULL;
	spin_lock_init(&gate->lock);
	gate->state = VNIF_STATE_PASS;
	gate->deadline_policy = VNIF_DEADLINE_RELEASE;
	vnif_hold_init(&gate->hold);
	INIT_DELAYED_WORK(&gate->deadline_work, vnif_gate_deadline_work);
	INIT_WORK(&gate->release_work, vnif_gate_release_work);
	gate->deliver = deliver;
	refcount_set(&gate->refs, 1);
	return gate;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_create);

void vnif_gate_get(struct vnif_gate *gate)
{
	refcount_inc(&gate->refs);
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_get);

/*
 * The pair is going away: drop what is held (counted as DROP_DOWN), and
 * make sure neither work item runs again. Idempotent. Might sleep.
 */
void vnif_gate_kill(struct vnif_gate *gate)
{
	enum vnif_direction dir;

	might_sleep();
	spin_lock_bh(&gate->lock);
	gate->dead = true;
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++)
		vnif_hold_purge(&gate->hold, dir,
				&gate->hold.q[dir].stats.drop_down);
	gate->seq++;
	spin_unlock_bh(&gate->lock);
	/* Neither work re-arms the other once dead is set. */
	cancel_delayed_work_sync(&gate->deadline_work);
	cancel_work_sync(&gate->release_work);
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_kill);

/* Might sleep: the last reference kills the gate. */
void vnif_gate_put(struct vnif_gate *gate)
{
	if (!refcount_dec_and_test(&gate->refs))
		return;
	vnif_gate_kill(gate);
	/* Lookups take a reference under RCU: see vnif_genl_lookup(). */
	kfree_rcu(gate, rcu);
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_put);

enum vnif_state vnif_gate_state(struct vnif_gate *gate)
{
	return READ_ONCE(gate->state);
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_state);

/*
 * Frames are held as they would go on the wire, so that the queue can be
 * exported as is: a GSO frame is segmented and a partial checksum is
 * completed. The cost is paid only while the gate is closed.
 */
static unsigned int vnif_gate_enqueue(struct vnif_gate *gate,
				      enum vnif_direction dir,
				      struct sk_buff *skb)
{
	struct sk_buff *segs, *next;
	unsigned int dropped = 0;
	u64 now = ktime_get_real_ns();

	lockdep_assert_held(&gate->lock);

	/*
	 * A held frame stays charged to the socket that sent it, as in a
	 * full device queue: a local sender is held back by its own send
	 * buffer, and TCP, seeing its segment still in the host, does not
	 * retransmit it into the queue. Zero-copy pages are copied, so that
	 * a long freeze pins no user memory.
	 */
	if (unlikely(skb_orphan_frags(skb, GFP_ATOMIC))) {
		gate->hold.q[dir].stats.drop_limit++;
		kfree_skb(skb);
		return 1;
	}
	skb_scrub_packet(skb, true);
	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			gate->hold.q[dir].stats.drop_limit++;
			kfree_skb(skb);
			return 1;
		}
		consume_skb(skb);
	} else {
		segs = skb;
		skb_mark_not_on_list(skb);
	}

	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		if (skb->ip_summed == CHECKSUM_PARTIAL &&
		    skb_checksum_help(skb)) {
			gate->hold.q[dir].stats.drop_limit++;
			kfree_skb(skb);
			dropped++;
			continue;
		}
		if (unlikely(skb->len > VNIF_PKT_MAX)) {
			/* Could be neither exported nor loaded again. */
			gate->hold.q[dir].stats.drop_limit++;
			kfree_skb(skb);
			dropped++;
			continue;
		}
		vnif_cb(skb)->tstamp_ns = now;
		vnif_cb(skb)->dir = dir;
		if (vnif_hold_add(&gate->hold, dir, skb))
			dropped++;
	}
	return dropped;
}

/*
 * Called by transmit when the gate was not seen in PASS. Returns false when
 * the gate is in PASS after all: the caller delivers the frame. Otherwise
 * the frame is held, or dropped and counted; *dropped says how many of its
 * segments were dropped.
 */
bool vnif_gate_hold_skb(struct vnif_gate *gate, enum vnif_direction dir,
			struct sk_buff *skb, unsigned int *dropped)
{
	spin_lock_bh(&gate->lock);
	if (gate->dead) {
		gate->hold.q[dir].stats.drop_down++;
		spin_unlock_bh(&gate->lock);
		kfree_skb(skb);
		*dropped = 1;
		return true;
	}
	if (gate->state == VNIF_STATE_PASS) {
		spin_unlock_bh(&gate->lock);
		return false;
	}
	*dropped = vnif_gate_enqueue(gate, dir, skb);
	spin_unlock_bh(&gate->lock);
	return true;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_hold_skb);

static int vnif_gate_apply(struct vnif_gate *gate,
			   const struct vnif_limits *limits,
			   const u32 *deadline_ms, const u8 *deadline_policy,
			   struct netlink_ext_ack *extack)
{
	struct vnif_limits want = gate->hold.limits;

	lockdep_assert_held(&gate->lock);

	if (limits && limits->packets)
		want.packets = limits->packets;
	if (limits && limits->bytes)
		want.bytes = limits->bytes;
	if (vnif_hold_packets(&gate->hold) > want.packets ||
	    vnif_hold_bytes(&gate->hold) > want.bytes) {
		NL_SET_ERR_MSG(extack,
			       "limit below what the pair holds now");
		return -EBUSY;
	}
	gate->hold.limits = want;
	if (deadline_ms)
		gate->deadline_ms = *deadline_ms;
	if (deadline_policy)
		gate->deadline_policy = *deadline_policy;
	return 0;
}

int vnif_gate_set_limits(struct vnif_gate *gate,
			 const struct vnif_limits *limits,
			 const u32 *deadline_ms, const u8 *deadline_policy,
			 struct netlink_ext_ack *extack)
{
	int err;

	spin_lock_bh(&gate->lock);
	err = vnif_gate_apply(gate, limits, deadline_ms, deadline_policy,
			      extack);
	spin_unlock_bh(&gate->lock);
	return err;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_set_limits);

/*
 * PASS or RELEASE -> HOLD. Returns once no frame that saw the gate open is
 * still on its way through transmit, so the caller may take the state of
 * the sockets behind the pair. A release under way stops after the batch it
 * is delivering, waited for here; what it had not taken yet stays held, at
 * the head of its queue, in order. Might sleep.
 */
int vnif_gate_freeze(struct vnif_gate *gate, const struct vnif_limits *limits,
		     const u32 *deadline_ms, const u8 *deadline_policy,
		     struct netlink_ext_ack *extack)
{
	int err;

	might_sleep();
	spin_lock_bh(&gate->lock);
	if (gate->dead) {
		NL_SET_ERR_MSG(extack, "the pair is being deleted");
		err = -ENODEV;
		goto out_unlock;
	}
	if (gate->state == VNIF_STATE_HOLD) {
		NL_SET_ERR_MSG(extack, "the pair is already frozen");
		err = -EBUSY;
		goto out_unlock;
	}
	err = vnif_gate_apply(gate, limits, deadline_ms, deadline_policy,
			      extack);
	if (err)
		goto out_unlock;
	WRITE_ONCE(gate->state, VNIF_STATE_HOLD);
	if (gate->deadline_ms) {
		unsigned long delay = msecs_to_jiffies(gate->deadline_ms);

		gate->deadline_at = jiffies + delay;
		mod_delayed_work(system_wq, &gate->deadline_work, delay);
	}
	spin_unlock_bh(&gate->lock);
	/*
	 * Transmit reads the state under rcu_read_lock_bh(), the release
	 * work takes and delivers each batch in one RCU section too: once
	 * this returns, neither has a frame on its way, and the work, next
	 * time round, sees HOLD and stops.
	 */
	synchronize_net();
	return 0;

out_unlock:
	spin_unlock_bh(&gate->lock);
	return err;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_freeze);

static void vnif_gate_start_release(struct vnif_gate *gate)
{
	lockdep_assert_held(&gate->lock);
	WRITE_ONCE(gate->state, VNIF_STATE_RELEASE);
	queue_work(system_wq, &gate->release_work);
}

/* HOLD -> RELEASE; the gate reaches PASS by itself. */
int vnif_gate_thaw(struct vnif_gate *gate, struct netlink_ext_ack *extack)
{
	int err = 0;

	spin_lock_bh(&gate->lock);
	if (gate->dead) {
		NL_SET_ERR_MSG(extack, "the pair is being deleted");
		err = -ENODEV;
	} else if (gate->state == VNIF_STATE_PASS) {
		NL_SET_ERR_MSG(extack, "the pair is not frozen");
		err = -EINVAL;
	} else if (gate->state == VNIF_STATE_HOLD) {
		cancel_delayed_work(&gate->deadline_work);
		vnif_gate_start_release(gate);
	}
	spin_unlock_bh(&gate->lock);
	return err;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_thaw);

static void vnif_gate_release_work(struct work_struct *work)
{
	struct vnif_gate *gate = container_of(work, struct vnif_gate,
					      release_work);
	u32 released[__VNIF_DIR_MAX] = {}, down[__VNIF_DIR_MAX] = {};
	u32 refused[__VNIF_DIR_MAX] = {};
	struct sk_buff *batch[VNIF_RELEASE_BATCH];
	enum vnif_direction dir;
	int i, n, err;

	for (;;) {
		/*
		 * The state is read and the batch taken in the same RCU
		 * section as the batch is delivered in: a freeze's
		 * synchronize_net() waits for a batch taken before it.
		 */
		local_bh_disable();
		rcu_read_lock();
		spin_lock(&gate->lock);
		for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
			gate->hold.q[dir].stats.released += released[dir];
			gate->hold.q[dir].stats.drop_down += down[dir];
			gate->hold.q[dir].stats.drop_refused += refused[dir];
			released[dir] = 0;
			down[dir] = 0;
			refused[dir] = 0;
		}
		if (gate->dead || gate->state != VNIF_STATE_RELEASE) {
			spin_unlock(&gate->lock);
			goto out_unlock_rcu;
		}
		/* Both directions in one batch: neither starves the other. */
		n = 0;
		while (n < VNIF_RELEASE_BATCH) {
			int before = n;

			for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
				batch[n] = vnif_hold_pop(&gate->hold, dir);
				if (batch[n])
					n++;
				if (n == VNIF_RELEASE_BATCH)
					break;
			}
			if (n == before)
				break;
		}
		if (!n) {
			WRITE_ONCE(gate->state, VNIF_STATE_PASS);
			gate->seq++;
			spin_unlock(&gate->lock);
			goto out_unlock_rcu;
		}
		gate->seq++;
		spin_unlock(&gate->lock);

		/* Received synchronously, in queue order, BH off per batch. */
		for (i = 0; i < n; i++) {
			dir = vnif_cb(batch[i])->dir;
			err = gate->deliver(gate, dir, batch[i], true);
			if (!err)
				released[dir]++;
			else if (err == -ENETDOWN)
				down[dir]++;
			else
				refused[dir]++;
		}
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
out_unlock_rcu:
	rcu_read_unlock();
	local_bh_enable();
}

static void vnif_gate_deadline_work(struct work_struct *work)
{
	struct vnif_gate *gate = container_of(to_delayed_work(work),
					      struct vnif_gate, deadline_work);
	u32 held, dropped = 0;
	enum vnif_direction dir;
	bool drop;

	spin_lock_bh(&gate->lock);
	if (gate->dead || gate->state != VNIF_STATE_HOLD) {
		spin_unlock_bh(&gate->lock);
		return;
	}
	held = vnif_hold_packets(&gate->hold);
	drop = gate->deadline_policy == VNIF_DEADLINE_DROP;
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		gate->hold.q[dir].stats.deadlines++;
		if (drop)
			dropped += vnif_hold_purge(&gate->hold, dir,
						   &gate->hold.q[dir].stats.drop_deadline);
	}
	if (drop) {
		gate->seq++;
		WRITE_ONCE(gate->state, VNIF_STATE_PASS);
	} else {
		vnif_gate_start_release(gate);
	}
	spin_unlock_bh(&gate->lock);

	pr_warn("vnif: hold deadline of %u ms expired with %u frames held: %s\n",
		gate->deadline_ms, held, drop ? "dropped" : "released");
}

/*
 * Appends @frames, each with its direction in vnif_cb(), to the queues.
 * All or nothing: the gate must hold and the frames must fit the limits.
 */
int vnif_gate_load(struct vnif_gate *gate, struct sk_buff_head *frames,
		   struct netlink_ext_ack *extack)
{
	struct sk_buff *skb;
	u64 bytes = 0;
	int err = 0;

	skb_queue_walk(frames, skb)
		bytes += skb->len;

	spin_lock_bh(&gate->lock);
	if (gate->dead) {
		NL_SET_ERR_MSG(extack, "the pair is being deleted");
		err = -ENODEV;
	} else if (gate->state != VNIF_STATE_HOLD) {
		NL_SET_ERR_MSG(extack, "the pair must be frozen to load frames");
		err = -EINVAL;
	} else if (!vnif_hold_fits(&gate->hold, skb_queue_len(frames), bytes)) {
		NL_SET_ERR_MSG(extack, "the frames exceed the pair's hold limits");
		err = -ENOBUFS;
	}
	if (err) {
		spin_unlock_bh(&gate->lock);
		return err;
	}
	while ((skb = __skb_dequeue(frames))) {
		enum vnif_direction dir = vnif_cb(skb)->dir;

		/* Cannot fail: the whole set fits. */
		vnif_hold_add(&gate->hold, dir, skb);
		gate->hold.q[dir].stats.loaded++;
	}
	spin_unlock_bh(&gate->lock);
	return 0;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_load);

/*
 * Calls @fn for every held frame, ingress queue first, each in queue order,
 * under the gate's lock (so @fn must not sleep). Stops at the first error
 * @fn returns, and returns it. The queues are left as they are.
 */
int vnif_gate_export(struct vnif_gate *gate, vnif_export_t fn, void *arg)
{
	enum vnif_direction dir;
	struct sk_buff *skb;
	int err = 0;

	spin_lock_bh(&gate->lock);
	for (dir = 0; dir < __VNIF_DIR_MAX && !err; dir++) {
		skb_queue_walk(&gate->hold.q[dir].skbs, skb) {
			err = fn(arg, dir, skb, vnif_cb(skb)->tstamp_ns);
			if (err)
				break;
		}
	}
	spin_unlock_bh(&gate->lock);
	return err;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_export);

/*
 * Removes the first @n[dir] frames of each direction, once @check (if not
 * NULL) has accepted every one of them, in the order vnif_gate_export()
 * shows them. All under the gate's lock, all or nothing: if a queue holds
 * fewer frames, or @check refuses one, nothing is removed (-ESTALE). The
 * frames are counted in MOVED: a checkpoint image carries them now. The
 * gate must hold; @n all zero is a no-op whatever the state.
 */
int vnif_gate_trim(struct vnif_gate *gate, const u32 n[__VNIF_DIR_MAX],
		   vnif_export_t check, void *arg,
		   struct netlink_ext_ack *extack)
{
	struct sk_buff_head moved;
	enum vnif_direction dir;
	struct sk_buff *skb;
	int err = 0;
	u32 i;

	if (!n[VNIF_DIR_INGRESS] && !n[VNIF_DIR_EGRESS])
		return 0;
	__skb_queue_head_init(&moved);

	spin_lock_bh(&gate->lock);
	if (gate->dead) {
		NL_SET_ERR_MSG(extack, "the pair is being deleted");
		err = -ENODEV;
		goto out_unlock;
	}
	if (gate->state != VNIF_STATE_HOLD) {
		NL_SET_ERR_MSG(extack, "the pair must be frozen to trim its queues");
		err = -EINVAL;
		goto out_unlock;
	}
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		if (skb_queue_len(&gate->hold.q[dir].skbs) < n[dir]) {
			NL_SET_ERR_MSG(extack,
				       "the pair holds fewer frames than the image carries");
			err = -ESTALE;
			goto out_unlock;
		}
	}
	for (dir = 0; dir < __VNIF_DIR_MAX && check; dir++) {
		i = 0;
		skb_queue_walk(&gate->hold.q[dir].skbs, skb) {
			if (i++ == n[dir])
				break;
			if (check(arg, dir, skb, vnif_cb(skb)->tstamp_ns)) {
				NL_SET_ERR_MSG(extack,
					       "a held frame differs from the image's");
				err = -ESTALE;
				goto out_unlock;
			}
		}
	}
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		for (i = 0; i < n[dir]; i++)
			__skb_queue_tail(&moved, vnif_hold_pop(&gate->hold, dir));
		gate->hold.q[dir].stats.moved += n[dir];
	}
	gate->seq++;
out_unlock:
	spin_unlock_bh(&gate->lock);
	/* Not dropped: the frames live on in the image. */
	while ((skb = __skb_dequeue(&moved)))
		consume_skb(skb);
	return err;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_trim);

void vnif_gate_stats(struct vnif_gate *gate, enum vnif_direction dir,
		     struct vnif_queue_stats *stats, u32 *held, u64 *bytes)
{
	spin_lock_bh(&gate->lock);
	*stats = gate->hold.q[dir].stats;
	*held = skb_queue_len(&gate->hold.q[dir].skbs);
	*bytes = gate->hold.q[dir].bytes;
	spin_unlock_bh(&gate->lock);
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_stats);

u32 vnif_gate_deadline_left_ms(struct vnif_gate *gate)
{
	u32 left = 0;

	spin_lock_bh(&gate->lock);
	if (gate->state == VNIF_STATE_HOLD && gate->deadline_ms &&
	    time_before(jiffies, gate->deadline_at))
		left = jiffies_to_msecs(gate->deadline_at - jiffies);
	spin_unlock_bh(&gate->lock);
	return left;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_gate_deadline_left_ms);

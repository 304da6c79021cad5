// SPDX-License-Identifier: GPL-2.0
/*
 * The hold queues of a pair: one per direction, drop-tail over limits that
 * the two directions share. Nothing here locks: the gate serialises.
 */

#include "vnif.h"

static void vnif_queue_init(struct vnif_queue *q)
{
	__skb_queue_head_init(&q->skbs);
	q->bytes = 0;
	memset(&q->stats, 0, sizeof(q->stats));
}

void vnif_hold_init(struct vnif_hold *hold)
{
	enum vnif_direction dir;

	for (dir = 0; dir < __VNIF_DIR_MAX; dir++)
		vnif_queue_init(&hold->q[dir]);
	hold->limits.packets = VNIF_LIMIT_PACKETS_DEFAULT;
	hold->limits.bytes = VNIF_LIMIT_BYTES_DEFAULT;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_init);

u32 vnif_hold_packets(const struct vnif_hold *hold)
{
	return skb_queue_len(&hold->q[VNIF_DIR_INGRESS].skbs) +
	       skb_queue_len(&hold->q[VNIF_DIR_EGRESS].skbs);
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_packets);

u64 vnif_hold_bytes(const struct vnif_hold *hold)
{
	return hold->q[VNIF_DIR_INGRESS].bytes + hold->q[VNIF_DIR_EGRESS].bytes;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_bytes);

/* Would @packets more frames of @bytes in all stay within the limits? */
bool vnif_hold_fits(const struct vnif_hold *hold, u32 packets, u64 bytes)
{
	return (u64)vnif_hold_packets(hold) + packets <= hold->limits.packets &&
	       vnif_hold_bytes(hold) + bytes <= hold->limits.bytes;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_fits);

/*
 * Appends @skb to the queue of @dir. Over a limit the frame is freed and
 * counted (drop-tail): the frames already held are the older ones, and the
 * peer retransmits what it sent last.
 */
int vnif_hold_add(struct vnif_hold *hold, enum vnif_direction dir,
		  struct sk_buff *skb)
{
	struct vnif_queue *q = &hold->q[dir];
	u32 len;

	if (!vnif_hold_fits(hold, 1, skb->len)) {
		q->stats.drop_limit++;
		kfree_skb(skb);
		return -ENOBUFS;
	}
	__skb_queue_tail(&q->skbs, skb);
	q->bytes += skb->len;
	q->stats.held_total++;
	len = skb_queue_len(&q->skbs);
	if (len > q->stats.high_water)
		q->stats.high_water = len;
	return 0;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_add);

struct sk_buff *vnif_hold_pop(struct vnif_hold *hold, enum vnif_direction dir)
{
	struct vnif_queue *q = &hold->q[dir];
	struct sk_buff *skb;

	skb = __skb_dequeue(&q->skbs);
	if (skb)
		q->bytes -= skb->len;
	return skb;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_pop);

/* Frees every frame of @dir, adds their number to @counter, returns it. */
u32 vnif_hold_purge(struct vnif_hold *hold, enum vnif_direction dir,
		    u64 *counter)
{
	struct vnif_queue *q = &hold->q[dir];
	u32 n = skb_queue_len(&q->skbs);

	__skb_queue_purge(&q->skbs);
	q->bytes = 0;
	*counter += n;
	return n;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_hold_purge);

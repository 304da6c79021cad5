// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel API of vnif.ko (include/net/vnif.h), on net devices. The
 * generic netlink family loads frames through vnif_frame_skb() too.
 */

#include <linux/slab.h>
#include <net/vnif.h>

#include "vnif.h"

bool vnif_dev_is_vnif(const struct net_device *dev)
{
	return vnif_is_vnif(dev);
}
EXPORT_SYMBOL_GPL(vnif_dev_is_vnif);

/* The gate of @dev, or NULL with an extack message if @dev is no vnif. */
static struct vnif_gate *vnif_api_gate(struct net_device *dev,
				       struct netlink_ext_ack *extack)
{
	struct vnif_gate *gate = vnif_dev_gate(dev);

	if (!gate)
		NL_SET_ERR_MSG(extack, "not a vnif device");
	return gate;
}

int vnif_dev_info(struct net_device *dev, struct vnif_dev_info *info)
{
	struct vnif_gate *gate = vnif_api_gate(dev, NULL);
	struct vnif_priv *priv = netdev_priv(dev);

	if (!gate)
		return -EOPNOTSUPP;
	memset(info, 0, sizeof(*info));
	info->inner = priv->end == VNIF_END_INNER;
	spin_lock_bh(&gate->lock);
	info->state = gate->state;
	info->limit_packets = gate->hold.limits.packets;
	info->limit_bytes = gate->hold.limits.bytes;
	info->deadline_ms = gate->deadline_ms;
	info->deadline_policy = gate->deadline_policy;
	spin_unlock_bh(&gate->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vnif_dev_info);

enum vnif_state vnif_state(struct net_device *dev)
{
	struct vnif_gate *gate = vnif_dev_gate(dev);

	return gate ? vnif_gate_state(gate) : VNIF_STATE_PASS;
}
EXPORT_SYMBOL_GPL(vnif_state);

int vnif_freeze(struct net_device *dev, struct netlink_ext_ack *extack)
{
	struct vnif_gate *gate = vnif_api_gate(dev, extack);

	if (!gate)
		return -EOPNOTSUPP;
	return vnif_gate_freeze(gate, NULL, NULL, NULL, extack);
}
EXPORT_SYMBOL_GPL(vnif_freeze);

int vnif_thaw(struct net_device *dev, struct netlink_ext_ack *extack)
{
	struct vnif_gate *gate = vnif_api_gate(dev, extack);

	if (!gate)
		return -EOPNOTSUPP;
	return vnif_gate_thaw(gate, extack);
}
EXPORT_SYMBOL_GPL(vnif_thaw);

struct vnif_export_ctx {
	vnif_frame_fn fn;
	void *arg;
	u8 *bounce;
};

static int vnif_export_one(void *arg, enum vnif_direction dir,
			   const struct sk_buff *skb, u64 tstamp_ns)
{
	struct vnif_export_ctx *ctx = arg;
	struct vnif_frame frame = {
		.dir = dir,
		.tstamp_ns = tstamp_ns,
		.len = skb->len,
		.data = ctx->bounce,
	};

	/* Held frames are at most VNIF_PKT_MAX long: see vnif_gate_enqueue(). */
	if (WARN_ON_ONCE(skb->len > VNIF_PKT_MAX) ||
	    skb_copy_bits(skb, 0, ctx->bounce, skb->len))
		return -EINVAL;
	return ctx->fn(ctx->arg, &frame);
}

int vnif_queue_export(struct net_device *dev, vnif_frame_fn fn, void *arg)
{
	struct vnif_gate *gate = vnif_api_gate(dev, NULL);
	struct vnif_export_ctx ctx = { .fn = fn, .arg = arg };
	int err;

	if (!gate)
		return -EOPNOTSUPP;
	ctx.bounce = kvmalloc(VNIF_PKT_MAX, GFP_KERNEL);
	if (!ctx.bounce)
		return -ENOMEM;
	err = vnif_gate_export(gate, vnif_export_one, &ctx);
	kvfree(ctx.bounce);
	return err;
}
EXPORT_SYMBOL_GPL(vnif_queue_export);

int vnif_queue_trim(struct net_device *dev, const u32 n[__VNIF_DIR_MAX],
		    vnif_frame_fn check, void *arg,
		    struct netlink_ext_ack *extack)
{
	struct vnif_gate *gate = vnif_api_gate(dev, extack);
	struct vnif_export_ctx ctx = { .fn = check, .arg = arg };
	int err;

	if (!gate)
		return -EOPNOTSUPP;
	if (!check)
		return vnif_gate_trim(gate, n, NULL, NULL, extack);
	ctx.bounce = kvmalloc(VNIF_PKT_MAX, GFP_KERNEL);
	if (!ctx.bounce)
		return -ENOMEM;
	err = vnif_gate_trim(gate, n, vnif_export_one, &ctx, extack);
	kvfree(ctx.bounce);
	return err;
}
EXPORT_SYMBOL_GPL(vnif_queue_trim);

/* A frame as the gate holds it: linear, MAC header first, cb filled in. */
struct sk_buff *vnif_frame_skb(const struct vnif_frame *frame, gfp_t gfp)
{
	struct sk_buff *skb;

	if (frame->dir >= __VNIF_DIR_MAX || frame->len < ETH_HLEN ||
	    frame->len > VNIF_PKT_MAX)
		return ERR_PTR(-EINVAL);
	skb = alloc_skb(NET_SKB_PAD + NET_IP_ALIGN + frame->len, gfp);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
	skb_put_data(skb, frame->data, frame->len);
	skb_reset_mac_header(skb);
	vnif_cb(skb)->dir = frame->dir;
	vnif_cb(skb)->tstamp_ns = frame->tstamp_ns;
	return skb;
}

int vnif_queue_load(struct net_device *dev, const struct vnif_frame *frames,
		    unsigned int n, struct netlink_ext_ack *extack)
{
	struct vnif_gate *gate = vnif_api_gate(dev, extack);
	struct sk_buff_head list;
	struct sk_buff *skb;
	unsigned int i;
	int err;

	if (!gate)
		return -EOPNOTSUPP;
	__skb_queue_head_init(&list);
	for (i = 0; i < n; i++) {
		skb = vnif_frame_skb(&frames[i], GFP_KERNEL);
		if (IS_ERR(skb)) {
			NL_SET_ERR_MSG(extack, "a frame has a bad direction or length");
			err = PTR_ERR(skb);
			goto out_purge;
		}
		__skb_queue_tail(&list, skb);
	}
	err = vnif_gate_load(gate, &list, extack);
out_purge:
	__skb_queue_purge(&list);
	return err;
}
EXPORT_SYMBOL_GPL(vnif_queue_load);

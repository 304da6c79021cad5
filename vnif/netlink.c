// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "vnif": get, freeze, thaw, queue dump and
 * queue load. The attribute tree is documented in include/uapi/linux/vnif.h.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/vnif.h>

#include "vnif.h"

static struct genl_family vnif_genl_family;

/* The limits' ranges, for this family's policy and for rtnetlink's. */
struct netlink_range_validation vnif_range_packets = {
	.min = 1,
	.max = VNIF_LIMIT_PACKETS_MAX,
};

struct netlink_range_validation vnif_range_bytes = {
	.min = VNIF_LIMIT_BYTES_MIN,
	.max = VNIF_LIMIT_BYTES_MAX,
};

struct netlink_range_validation vnif_range_deadline = {
	.min = 0,
	.max = VNIF_DEADLINE_MS_MAX,
};

/* A frame's length: NLA_POLICY_RANGE's bounds are s16, too small here. */
static struct netlink_range_validation vnif_pkt_len_range = {
	.min = ETH_HLEN,
	.max = VNIF_PKT_MAX,
};

static const struct nla_policy vnif_pkt_policy[VNIF_PKT_MAX_ATTR + 1] = {
	[VNIF_PKT_DIRECTION]	= NLA_POLICY_MAX(NLA_U8, __VNIF_DIR_MAX - 1),
	[VNIF_PKT_TSTAMP_NS]	= { .type = NLA_U64 },
	[VNIF_PKT_LEN]		= { .type = NLA_REJECT },
	[VNIF_PKT_PROTOCOL]	= { .type = NLA_REJECT },
	[VNIF_PKT_DATA]		= NLA_POLICY_FULL_RANGE(NLA_BINARY,
							&vnif_pkt_len_range),
};

static const struct nla_policy vnif_genl_policy[VNIF_A_MAX + 1] = {
	[VNIF_A_IFINDEX]	= { .type = NLA_U32 },
	[VNIF_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VNIF_A_PEER_IFINDEX]	= { .type = NLA_REJECT },
	[VNIF_A_INNER]		= { .type = NLA_REJECT },
	[VNIF_A_STATE]		= { .type = NLA_REJECT },
	[VNIF_A_LIMIT_PACKETS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
						&vnif_range_packets),
	[VNIF_A_LIMIT_BYTES]	= NLA_POLICY_FULL_RANGE(NLA_U32,
						&vnif_range_bytes),
	[VNIF_A_DEADLINE_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
						&vnif_range_deadline),
	[VNIF_A_DEADLINE_POLICY] = NLA_POLICY_MAX(NLA_U8,
						  __VNIF_DEADLINE_MAX - 1),
	[VNIF_A_DEADLINE_LEFT_MS] = { .type = NLA_REJECT },
	[VNIF_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, __VNIF_FREEZE_F_ALL),
	[VNIF_A_STATS_INGRESS]	= { .type = NLA_REJECT },
	[VNIF_A_STATS_EGRESS]	= { .type = NLA_REJECT },
	[VNIF_A_PKT]		= NLA_POLICY_NESTED(vnif_pkt_policy),
};

int vnif_nla_put_stats(struct sk_buff *skb, int attrtype,
		       struct vnif_gate *gate, enum vnif_direction dir)
{
	struct vnif_queue_stats s;
	struct nlattr *nest;
	u64 bytes;
	u32 held;

	vnif_gate_stats(gate, dir, &s, &held, &bytes);
	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VNIF_STATS_HELD, held, VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_HELD_BYTES, bytes, VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_HELD_TOTAL, s.held_total,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_RELEASED, s.released,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_LOADED, s.loaded, VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_DROP_LIMIT, s.drop_limit,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_DROP_DEADLINE, s.drop_deadline,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_DROP_DOWN, s.drop_down,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_DROP_REFUSED, s.drop_refused,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_MOVED, s.moved, VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_HIGH_WATER, s.high_water,
			      VNIF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VNIF_STATS_DEADLINES, s.deadlines,
			      VNIF_STATS_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The pair named by VNIF_A_IFINDEX xor VNIF_A_IFNAME in @net, with a
 * reference on its gate (vnif_gate_put() when done) and, in *@devp, on the
 * device (netdev_put()).
 */
static struct vnif_gate *vnif_genl_lookup(struct net *net, struct nlattr **attrs,
					  struct net_device **devp,
					  netdevice_tracker *tracker,
					  struct netlink_ext_ack *extack)
{
	struct vnif_gate *gate = NULL;
	struct net_device *dev;

	if (!attrs[VNIF_A_IFINDEX] == !attrs[VNIF_A_IFNAME]) {
		NL_SET_ERR_MSG(extack,
			       "name the device by VNIF_A_IFINDEX or VNIF_A_IFNAME, exactly one");
		return ERR_PTR(-EINVAL);
	}
	rcu_read_lock();
	if (attrs[VNIF_A_IFINDEX])
		dev = dev_get_by_index_rcu(net, nla_get_u32(attrs[VNIF_A_IFINDEX]));
	else
		dev = dev_get_by_name_rcu(net, nla_data(attrs[VNIF_A_IFNAME]));
	if (!dev) {
		rcu_read_unlock();
		NL_SET_BAD_ATTR(extack, attrs[VNIF_A_IFINDEX] ?: attrs[VNIF_A_IFNAME]);
		NL_SET_ERR_MSG(extack, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!vnif_is_vnif(dev)) {
		rcu_read_unlock();
		NL_SET_BAD_ATTR(extack, attrs[VNIF_A_IFINDEX] ?: attrs[VNIF_A_IFNAME]);
		NL_SET_ERR_MSG(extack, "not a vnif device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	/* The gate outlives the device by an RCU grace period at least. */
	gate = vnif_dev_gate(dev);
	if (!refcount_inc_not_zero(&gate->refs)) {
		rcu_read_unlock();
		NL_SET_ERR_MSG(extack, "the pair is being deleted");
		return ERR_PTR(-ENODEV);
	}
	netdev_hold(dev, tracker, GFP_ATOMIC);
	rcu_read_unlock();
	*devp = dev;
	return gate;
}

static int vnif_genl_fill(struct sk_buff *skb, struct net_device *dev,
			  u32 portid, u32 seq, int flags,
			  struct netlink_callback *cb)
{
	struct vnif_priv *priv = netdev_priv(dev);
	struct vnif_gate *gate = priv->gate;
	struct net_device *peer;
	struct vnif_limits limits;
	u32 deadline_ms, left;
	u8 state, policy;
	int peer_ifindex;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vnif_genl_family, flags,
			  VNIF_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	spin_lock_bh(&gate->lock);
	state = gate->state;
	limits = gate->hold.limits;
	deadline_ms = gate->deadline_ms;
	policy = gate->deadline_policy;
	spin_unlock_bh(&gate->lock);
	left = vnif_gate_deadline_left_ms(gate);

	rcu_read_lock();
	peer = rcu_dereference(gate->end[!priv->end]);
	peer_ifindex = peer && net_eq(dev_net(peer), dev_net(dev)) ?
		       peer->ifindex : 0;
	rcu_read_unlock();

	if (nla_put_u32(skb, VNIF_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VNIF_A_IFNAME, dev->name) ||
	    nla_put_u32(skb, VNIF_A_PEER_IFINDEX, peer_ifindex) ||
	    nla_put_u8(skb, VNIF_A_INNER, priv->end == VNIF_END_INNER) ||
	    nla_put_u8(skb, VNIF_A_STATE, state) ||
	    nla_put_u32(skb, VNIF_A_LIMIT_PACKETS, limits.packets) ||
	    nla_put_u32(skb, VNIF_A_LIMIT_BYTES, limits.bytes) ||
	    nla_put_u32(skb, VNIF_A_DEADLINE_MS, deadline_ms) ||
	    nla_put_u8(skb, VNIF_A_DEADLINE_POLICY, policy) ||
	    (left && nla_put_u32(skb, VNIF_A_DEADLINE_LEFT_MS, left)) ||
	    vnif_nla_put_stats(skb, VNIF_A_STATS_INGRESS, gate,
			       VNIF_DIR_INGRESS) ||
	    vnif_nla_put_stats(skb, VNIF_A_STATS_EGRESS, gate,
			       VNIF_DIR_EGRESS)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vnif_genl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	netdevice_tracker tracker;
	struct vnif_gate *gate;
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	gate = vnif_genl_lookup(genl_info_net(info), info->attrs, &dev,
				&tracker, info->extack);
	if (IS_ERR(gate))
		return PTR_ERR(gate);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	err = vnif_genl_fill(msg, dev, info->snd_portid, info->snd_seq, 0,
			     NULL);
	if (err) {
		nlmsg_free(msg);
		goto out_put;
	}
	err = genlmsg_reply(msg, info);
out_put:
	netdev_put(dev, &tracker);
	vnif_gate_put(gate);
	return err;
}

static int vnif_genl_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long skip = cb->args[0], idx = 0;
	struct net_device *dev;
	int err = 0;

	rcu_read_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev_rcu(net, dev) {
		if (!vnif_is_vnif(dev))
			continue;
		if (idx++ < skip)
			continue;
		err = vnif_genl_fill(skb, dev, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			/* Full: this device goes first in the next skb. */
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static void vnif_genl_settings(struct nlattr **attrs, struct vnif_limits *limits,
			       u32 *deadline_ms, u8 *policy)
{
	limits->packets = attrs[VNIF_A_LIMIT_PACKETS] ?
			  nla_get_u32(attrs[VNIF_A_LIMIT_PACKETS]) : 0;
	limits->bytes = attrs[VNIF_A_LIMIT_BYTES] ?
			nla_get_u32(attrs[VNIF_A_LIMIT_BYTES]) : 0;
	if (attrs[VNIF_A_DEADLINE_MS])
		*deadline_ms = nla_get_u32(attrs[VNIF_A_DEADLINE_MS]);
	if (attrs[VNIF_A_DEADLINE_POLICY])
		*policy = nla_get_u8(attrs[VNIF_A_DEADLINE_POLICY]);
}

static int vnif_genl_freeze(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	netdevice_tracker tracker;
	struct vnif_limits limits;
	struct vnif_gate *gate;
	struct net_device *dev;
	u32 deadline_ms = 0;
	u8 policy = 0;
	u32 flags;
	int err;

	gate = vnif_genl_lookup(genl_info_net(info), attrs, &dev, &tracker,
				info->extack);
	if (IS_ERR(gate))
		return PTR_ERR(gate);
	flags = attrs[VNIF_A_FLAGS] ? nla_get_u32(attrs[VNIF_A_FLAGS]) : 0;
	if (flags & VNIF_FREEZE_F_REQUIRE_UP) {
		struct net_device *peer;
		bool up;

		rcu_read_lock();
		peer = rcu_dereference(gate->end[VNIF_END_INNER]);
		up = peer && (peer->flags & IFF_UP);
		peer = rcu_dereference(gate->end[VNIF_END_OUTER]);
		up = up && peer && (peer->flags & IFF_UP);
		rcu_read_unlock();
		if (!up) {
			NL_SET_ERR_MSG(info->extack, "an end of the pair is down");
			err = -ENETDOWN;
			goto out_put;
		}
	}
	vnif_genl_settings(attrs, &limits, &deadline_ms, &policy);
	err = vnif_gate_freeze(gate, &limits,
			       attrs[VNIF_A_DEADLINE_MS] ? &deadline_ms : NULL,
			       attrs[VNIF_A_DEADLINE_POLICY] ? &policy : NULL,
			       info->extack);
out_put:
	netdev_put(dev, &tracker);
	vnif_gate_put(gate);
	return err;
}

static int vnif_genl_thaw(struct sk_buff *skb, struct genl_info *info)
{
	netdevice_tracker tracker;
	struct vnif_gate *gate;
	struct net_device *dev;
	int err;

	gate = vnif_genl_lookup(genl_info_net(info), info->attrs, &dev,
				&tracker, info->extack);
	if (IS_ERR(gate))
		return PTR_ERR(gate);
	err = vnif_gate_thaw(gate, info->extack);
	netdev_put(dev, &tracker);
	vnif_gate_put(gate);
	return err;
}

/* cb->args of a queue dump. */
enum {
	VNIF_QD_GATE,	/* struct vnif_gate *, referenced */
	VNIF_QD_DIR,	/* direction being dumped */
	VNIF_QD_LAST,	/* last frame sent, or 0 */
	VNIF_QD_SEQ,	/* gate->seq when the dump started */
	VNIF_QD_DONE,
};

static int vnif_genl_queue_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	netdevice_tracker tracker;
	struct vnif_gate *gate;
	struct net_device *dev;

	gate = vnif_genl_lookup(sock_net(cb->skb->sk), info->attrs, &dev,
				&tracker, cb->extack);
	if (IS_ERR(gate))
		return PTR_ERR(gate);
	netdev_put(dev, &tracker);
	cb->args[VNIF_QD_GATE] = (long)gate;
	cb->args[VNIF_QD_DIR] = VNIF_DIR_INGRESS;
	cb->args[VNIF_QD_LAST] = 0;
	spin_lock_bh(&gate->lock);
	cb->args[VNIF_QD_SEQ] = gate->seq;
	spin_unlock_bh(&gate->lock);
	cb->args[VNIF_QD_DONE] = 0;
	/* One frame must always fit in one message. */
	cb->min_dump_alloc = NLMSG_ALIGN(VNIF_PKT_MAX) + 512;
	return 0;
}

static int vnif_genl_queue_done(struct netlink_callback *cb)
{
	struct vnif_gate *gate = (struct vnif_gate *)cb->args[VNIF_QD_GATE];

	if (gate)
		vnif_gate_put(gate);
	return 0;
}

static int vnif_genl_put_frame(struct sk_buff *msg, struct netlink_callback *cb,
			       struct sk_buff *skb, enum vnif_direction dir)
{
	struct nlattr *nest, *data;
	__be16 proto = 0;
	void *hdr;

	hdr = genlmsg_put(msg, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vnif_genl_family, NLM_F_MULTI, VNIF_CMD_QUEUE_GET);
	if (!hdr)
		return -EMSGSIZE;
	/* The nest's length is 16 bits: the longest frame must fit. */
	BUILD_BUG_ON(NLA_HDRLEN + nla_total_size(1) + nla_total_size_64bit(8) +
		     NLA_HDRLEN + nla_total_size(4) + nla_total_size(2) +
		     nla_total_size(VNIF_PKT_MAX) > U16_MAX);
	nest = nla_nest_start(msg, VNIF_A_PKT);
	if (!nest)
		goto err_cancel;
	skb_copy_bits(skb, offsetof(struct ethhdr, h_proto), &proto,
		      sizeof(proto));
	if (nla_put_u8(msg, VNIF_PKT_DIRECTION, dir) ||
	    nla_put_u64_64bit(msg, VNIF_PKT_TSTAMP_NS, vnif_cb(skb)->tstamp_ns,
			      VNIF_PKT_PAD) ||
	    nla_put_u32(msg, VNIF_PKT_LEN, skb->len) ||
	    nla_put_be16(msg, VNIF_PKT_PROTOCOL, proto))
		goto err_cancel;
	data = nla_reserve(msg, VNIF_PKT_DATA, skb->len);
	if (!data || skb_copy_bits(skb, 0, nla_data(data), skb->len))
		goto err_cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/*
 * Frames leave a queue only under the gate's lock, and every removal bumps
 * gate->seq: while seq is unchanged, the last frame sent is still queued
 * and the dump goes on from it. New frames joining the tail do not disturb
 * it. When seq changed, the dump ends with -EAGAIN: the caller retries.
 */
static int vnif_genl_queue_dumpit(struct sk_buff *msg,
				  struct netlink_callback *cb)
{
	struct vnif_gate *gate = (struct vnif_gate *)cb->args[VNIF_QD_GATE];
	struct sk_buff *last = (struct sk_buff *)cb->args[VNIF_QD_LAST];
	enum vnif_direction dir = cb->args[VNIF_QD_DIR];
	struct sk_buff_head *q;
	struct sk_buff *skb;
	int sent = 0;

	if (cb->args[VNIF_QD_DONE])
		return 0;
	spin_lock_bh(&gate->lock);
	if (gate->seq != (u32)cb->args[VNIF_QD_SEQ]) {
		spin_unlock_bh(&gate->lock);
		NL_SET_ERR_MSG(cb->extack,
			       "a frame left the queue during the dump; retry");
		return -EAGAIN;
	}
	for (; dir < __VNIF_DIR_MAX; dir++, last = NULL) {
		q = &gate->hold.q[dir].skbs;
		skb = last ? skb_peek_next(last, q) : skb_peek(q);
		for (; skb; skb = skb_peek_next(skb, q)) {
			if (vnif_genl_put_frame(msg, cb, skb, dir))
				goto out_full;
			last = skb;
			sent++;
		}
	}
	cb->args[VNIF_QD_DONE] = 1;
out_full:
	cb->args[VNIF_QD_DIR] = dir;
	cb->args[VNIF_QD_LAST] = (long)last;
	spin_unlock_bh(&gate->lock);
	if (!sent && !cb->args[VNIF_QD_DONE])
		return -EMSGSIZE;
	return msg->len;
}

static struct sk_buff *vnif_genl_frame(struct nlattr *nla,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VNIF_PKT_MAX_ATTR + 1];
	struct vnif_frame frame;
	int err;

	err = nla_parse_nested(tb, VNIF_PKT_MAX_ATTR, nla, vnif_pkt_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[VNIF_PKT_DIRECTION] || !tb[VNIF_PKT_DATA]) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "a frame needs VNIF_PKT_DIRECTION and VNIF_PKT_DATA");
		return ERR_PTR(-EINVAL);
	}
	frame.dir = nla_get_u8(tb[VNIF_PKT_DIRECTION]);
	frame.tstamp_ns = tb[VNIF_PKT_TSTAMP_NS] ?
			  nla_get_u64(tb[VNIF_PKT_TSTAMP_NS]) : ktime_get_real_ns();
	frame.len = nla_len(tb[VNIF_PKT_DATA]);
	frame.data = nla_data(tb[VNIF_PKT_DATA]);
	/* The policy has checked direction and length already. */
	return vnif_frame_skb(&frame, GFP_KERNEL);
}

static int vnif_genl_queue_load(struct sk_buff *skb, struct genl_info *info)
{
	netdevice_tracker tracker;
	struct sk_buff_head frames;
	struct vnif_gate *gate;
	struct net_device *dev;
	struct sk_buff *frame;
	struct nlattr *nla;
	int rem, err = 0;

	gate = vnif_genl_lookup(genl_info_net(info), info->attrs, &dev,
				&tracker, info->extack);
	if (IS_ERR(gate))
		return PTR_ERR(gate);
	__skb_queue_head_init(&frames);
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != VNIF_A_PKT)
			continue;
		frame = vnif_genl_frame(nla, info->extack);
		if (IS_ERR(frame)) {
			err = PTR_ERR(frame);
			goto out_purge;
		}
		__skb_queue_tail(&frames, frame);
	}
	if (skb_queue_empty(&frames)) {
		NL_SET_ERR_MSG(info->extack, "no VNIF_A_PKT to load");
		err = -EINVAL;
		goto out_purge;
	}
	err = vnif_gate_load(gate, &frames, info->extack);
out_purge:
	__skb_queue_purge(&frames);
	netdev_put(dev, &tracker);
	vnif_gate_put(gate);
	return err;
}

static const struct genl_ops vnif_genl_ops[] = {
	{
		.cmd	= VNIF_CMD_GET,
		.doit	= vnif_genl_get_doit,
		.dumpit	= vnif_genl_get_dumpit,
	},
	{
		.cmd	= VNIF_CMD_FREEZE,
		.doit	= vnif_genl_freeze,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= VNIF_CMD_THAW,
		.doit	= vnif_genl_thaw,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= VNIF_CMD_QUEUE_GET,
		.start	= vnif_genl_queue_start,
		.dumpit	= vnif_genl_queue_dumpit,
		.done	= vnif_genl_queue_done,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= VNIF_CMD_QUEUE_LOAD,
		.doit	= vnif_genl_queue_load,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vnif_genl_family = {
	.name		= VNIF_GENL_NAME,
	.version	= VNIF_GENL_VERSION,
	.maxattr	= VNIF_A_MAX,
	.policy		= vnif_genl_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= vnif_genl_ops,
	.n_ops		= ARRAY_SIZE(vnif_genl_ops),
	.resv_start_op	= VNIF_CMD_QUEUE_LOAD + 1,
};

int __init vnif_genl_init(void)
{
	return genl_register_family(&vnif_genl_family);
}

void vnif_genl_uninit(void)
{
	genl_unregister_family(&vnif_genl_family);
}

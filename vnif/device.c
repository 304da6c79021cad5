// SPDX-License-Identifier: GPL-2.0
/*
 * The vnif pair: net device and rtnl_link_ops.
 *
 * The device named at creation is the outer end, its peer the inner end
 * (see include/uapi/linux/vnif.h). Both ends share one gate. Open, the pair
 * behaves like veth: transmit on one end is received on the other, scrubbed
 * when it crosses namespaces, counted per cpu.
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "vnif.h"

#define VNIF_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
		       NETIF_F_RXCSUM | NETIF_F_SCTP_CRC | NETIF_F_HIGHDMA | \
		       NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ENCAP_ALL | \
		       NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX | \
		       NETIF_F_HW_VLAN_STAG_TX | NETIF_F_HW_VLAN_STAG_RX)

static enum vnif_direction vnif_dir_from(enum vnif_end end)
{
	return end == VNIF_END_OUTER ? VNIF_DIR_INGRESS : VNIF_DIR_EGRESS;
}

static enum vnif_end vnif_dir_target(enum vnif_direction dir)
{
	return dir == VNIF_DIR_INGRESS ? VNIF_END_INNER : VNIF_END_OUTER;
}

static int vnif_deliver(struct vnif_gate *gate, enum vnif_direction dir,
			struct sk_buff *skb, bool from_queue)
{
	struct net_device *to = rcu_dereference(gate->end[vnif_dir_target(dir)]);
	unsigned int len = skb->len;

	if (unlikely(!to || !(to->flags & IFF_UP))) {
		kfree_skb(skb);
		return -ENETDOWN;
	}
	if (from_queue) {
		struct net_device *from;

		/* Held frames were scrubbed; skb->dev decides the next one. */
		from = rcu_dereference(gate->end[!vnif_dir_target(dir)]);
		skb->dev = from ?: to;
	}
	/* Frees the frame and counts it on @to when it cannot be received. */
	if (__dev_forward_skb(to, skb) != NET_RX_SUCCESS)
		return -EINVAL;
	dev_sw_netstats_rx_add(to, len);
	/*
	 * A held frame is received before the next one leaves the queue;
	 * an open gate hands frames to the backlog, as veth does.
	 */
	if (from_queue)
		netif_receive_skb(skb);
	else
		__netif_rx(skb);
	return 0;
}

static netdev_tx_t vnif_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vnif_priv *priv = netdev_priv(dev);
	enum vnif_direction dir = vnif_dir_from(priv->end);
	struct vnif_gate *gate = priv->gate;
	unsigned int dropped, len = skb->len;

	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		kfree_skb(skb);
		dev_core_stats_tx_dropped_inc(dev);
		return NETDEV_TX_OK;
	}

	if (unlikely(vnif_gate_state(gate) != VNIF_STATE_PASS) &&
	    vnif_gate_hold_skb(gate, dir, skb, &dropped)) {
		if (dropped)
			dev_core_stats_tx_dropped_inc(dev);
		else
			dev_sw_netstats_tx_add(dev, 1, len);
		return NETDEV_TX_OK;
	}

	rcu_read_lock();
	skb_tx_timestamp(skb);
	if (likely(!vnif_deliver(gate, dir, skb, false)))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		dev_core_stats_tx_dropped_inc(dev);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static struct net_device *vnif_peer_rtnl(const struct net_device *dev)
{
	const struct vnif_priv *priv = netdev_priv(dev);

	return rtnl_dereference(priv->gate->end[!priv->end]);
}

static int vnif_open(struct net_device *dev)
{
	struct net_device *peer = vnif_peer_rtnl(dev);

	if (!peer)
		return -ENOTCONN;
	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int vnif_close(struct net_device *dev)
{
	struct net_device *peer = vnif_peer_rtnl(dev);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return 0;
}

static int vnif_dev_init(struct net_device *dev)
{
	struct vnif_priv *priv = netdev_priv(dev);

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	/*
	 * Each registered end holds the gate until the device itself is
	 * freed (vnif_dev_free()), not merely unregistered: whoever holds a
	 * reference to an end can always reach its gate.
	 */
	vnif_gate_get(priv->gate);
	return 0;
}

/* Also called by register_netdevice() when it fails after ndo_init. */
static void vnif_dev_free(struct net_device *dev)
{
	struct vnif_priv *priv = netdev_priv(dev);

	free_percpu(dev->tstats);
	vnif_gate_put(priv->gate);
}

static int vnif_get_iflink(const struct net_device *dev)
{
	struct vnif_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(priv->gate->end[!priv->end]);
	iflink = peer ? peer->ifindex : 0;
	rcu_read_unlock();
	return iflink;
}

static const struct net_device_ops vnif_netdev_ops = {
	.ndo_init		= vnif_dev_init,
	.ndo_open		= vnif_open,
	.ndo_stop		= vnif_close,
	.ndo_start_xmit		= vnif_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_get_iflink		= vnif_get_iflink,
	.ndo_features_check	= passthru_features_check,
};

static void vnif_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, VNIF_DRV_NAME, sizeof(info->driver));
}

static const struct ethtool_ops vnif_ethtool_ops = {
	.get_drvinfo	= vnif_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

static void vnif_setup(struct net_device *dev)
{
	ether_setup(dev);

	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->netdev_ops = &vnif_netdev_ops;
	dev->ethtool_ops = &vnif_ethtool_ops;
	dev->features |= NETIF_F_LLTX | VNIF_FEATURES;
	dev->vlan_features = dev->features &
			     ~(NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX |
			       NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_STAG_RX);
	dev->hw_features = VNIF_FEATURES;
	dev->hw_enc_features = VNIF_FEATURES;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vnif_dev_free;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	netif_set_tso_max_size(dev, GSO_MAX_SIZE);
}

/*
 * IFLA_VNIF_PEER is a struct ifinfomsg followed by IFLA_* attributes, as
 * veth's VETH_INFO_PEER: not a plain nested attribute set, so its policy
 * is a minimum length (NLA_UNSPEC), with or without NLA_F_NESTED.
 */
static const struct nla_policy vnif_policy[IFLA_VNIF_MAX + 1] = {
	[IFLA_VNIF_UNSPEC]		= { .type = NLA_REJECT },
	[IFLA_VNIF_PEER]		= { .len = sizeof(struct ifinfomsg) },
	[IFLA_VNIF_LIMIT_PACKETS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&vnif_range_packets),
	[IFLA_VNIF_LIMIT_BYTES]		= NLA_POLICY_FULL_RANGE(NLA_U32,
							&vnif_range_bytes),
	[IFLA_VNIF_DEADLINE_MS]		= NLA_POLICY_FULL_RANGE(NLA_U32,
							&vnif_range_deadline),
	[IFLA_VNIF_DEADLINE_POLICY]	= NLA_POLICY_MAX(NLA_U8,
							 __VNIF_DEADLINE_MAX - 1),
	[IFLA_VNIF_STATE]		= { .type = NLA_REJECT },
	[IFLA_VNIF_INNER]		= { .type = NLA_REJECT },
	[IFLA_VNIF_STATS_INGRESS]	= { .type = NLA_REJECT },
	[IFLA_VNIF_STATS_EGRESS]	= { .type = NLA_REJECT },
};

static int vnif_validate_ifla(struct nlattr *tb[],
			      struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address is multicast or zero");
			return -EADDRNOTAVAIL;
		}
	}
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		if (mtu < ETH_MIN_MTU || mtu > ETH_MAX_MTU) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
					    "MTU out of range (68..65535)");
			return -EINVAL;
		}
	}
	return 0;
}

static int vnif_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct nlattr *info_data = NULL;
	int err;

	err = vnif_validate_ifla(tb, extack);
	if (err)
		return err;
	/*
	 * rtnetlink parses IFLA_INFO_DATA leniently and drops attributes it
	 * does not know; validate it again, strictly, so that an attribute
	 * from a newer uapi is refused instead of ignored. Strictly but for
	 * NL_VALIDATE_UNSPEC, which would refuse IFLA_VNIF_PEER.
	 */
	if (tb[IFLA_LINKINFO])
		info_data = nla_find_nested(tb[IFLA_LINKINFO], IFLA_INFO_DATA);
	if (info_data)
		return __nla_validate(nla_data(info_data), nla_len(info_data),
				      IFLA_VNIF_MAX, vnif_policy,
				      NL_VALIDATE_STRICT & ~NL_VALIDATE_UNSPEC,
				      extack);
	return 0;
}

static int vnif_configure(struct vnif_gate *gate, struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct vnif_limits limits = {};
	u32 deadline_ms;
	u8 policy;

	if (!data)
		return 0;
	if (data[IFLA_VNIF_LIMIT_PACKETS])
		limits.packets = nla_get_u32(data[IFLA_VNIF_LIMIT_PACKETS]);
	if (data[IFLA_VNIF_LIMIT_BYTES])
		limits.bytes = nla_get_u32(data[IFLA_VNIF_LIMIT_BYTES]);
	if (data[IFLA_VNIF_DEADLINE_MS])
		deadline_ms = nla_get_u32(data[IFLA_VNIF_DEADLINE_MS]);
	if (data[IFLA_VNIF_DEADLINE_POLICY])
		policy = nla_get_u8(data[IFLA_VNIF_DEADLINE_POLICY]);
	return vnif_gate_set_limits(gate, &limits,
				    data[IFLA_VNIF_DEADLINE_MS] ? &deadline_ms : NULL,
				    data[IFLA_VNIF_DEADLINE_POLICY] ? &policy : NULL,
				    extack);
}

static void vnif_disable_gro(struct net_device *dev)
{
	dev->features &= ~NETIF_F_GRO;
	dev->wanted_features &= ~NETIF_F_GRO;
	netdev_update_features(dev);
}

static int vnif_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct vnif_priv *priv = netdev_priv(dev), *peer_priv;
	struct nlattr *peer_tb[IFLA_MAX + 1], **tbp = tb;
	unsigned char name_assign_type;
	struct ifinfomsg *ifmp = NULL;
	struct net_device *peer;
	struct vnif_gate *gate;
	char ifname[IFNAMSIZ];
	struct net *net;
	int err;

	if (data && data[IFLA_VNIF_PEER]) {
		ifmp = nla_data(data[IFLA_VNIF_PEER]);
		err = rtnl_nla_parse_ifinfomsg(peer_tb, data[IFLA_VNIF_PEER],
					       extack);
		if (err < 0)
			return err;
		err = vnif_validate_ifla(peer_tb, extack);
		if (err < 0)
			return err;
		tbp = peer_tb;
	}

	if (ifmp && tbp[IFLA_IFNAME]) {
		nla_strscpy(ifname, tbp[IFLA_IFNAME], IFNAMSIZ);
		name_assign_type = NET_NAME_USER;
	} else {
		snprintf(ifname, IFNAMSIZ, VNIF_DRV_NAME "%%d");
		name_assign_type = NET_NAME_ENUM;
	}

	gate = vnif_gate_create(vnif_deliver, GFP_KERNEL);
	if (!gate)
		return -ENOMEM;
	err = vnif_configure(gate, data, extack);
	if (err)
		goto err_put_gate;

	net = rtnl_link_get_net(src_net, tbp);
	if (IS_ERR(net)) {
		err = PTR_ERR(net);
		goto err_put_gate;
	}
	peer = rtnl_create_link(net, ifname, name_assign_type, &vnif_link_ops,
				tbp, extack);
	if (IS_ERR(peer)) {
		put_net(net);
		err = PTR_ERR(peer);
		goto err_put_gate;
	}
	peer_priv = netdev_priv(peer);
	peer_priv->gate = gate;
	peer_priv->end = VNIF_END_INNER;
	if (!ifmp || !tbp[IFLA_ADDRESS])
		eth_hw_addr_random(peer);
	if (ifmp && dev->ifindex)
		peer->ifindex = ifmp->ifi_index;
	netif_inherit_tso_max(peer, dev);

	/* The peer first, as veth does: dev's name may depend on it. */
	err = register_netdevice(peer);
	put_net(net);
	if (err < 0)
		goto err_free_peer;
	netif_carrier_off(peer);
	err = rtnl_configure_link(peer, ifmp, 0, NULL);
	if (err < 0)
		goto err_unregister_peer;

	priv->gate = gate;
	priv->end = VNIF_END_OUTER;
	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	if (tb[IFLA_IFNAME])
		nla_strscpy(dev->name, tb[IFLA_IFNAME], IFNAMSIZ);
	else
		snprintf(dev->name, IFNAMSIZ, VNIF_DRV_NAME "%%d");
	err = register_netdevice(dev);
	if (err < 0)
		goto err_unregister_peer;
	netif_carrier_off(dev);

	/* GRO off by default, as on veth: an open pair behaves like one. */
	vnif_disable_gro(dev);
	vnif_disable_gro(peer);
	/* Tie the ends together only once both exist. */
	rcu_assign_pointer(gate->end[VNIF_END_OUTER], dev);
	rcu_assign_pointer(gate->end[VNIF_END_INNER], peer);
	vnif_gate_put(gate);
	return 0;

err_unregister_peer:
	unregister_netdevice(peer);
	goto err_put_gate;
err_free_peer:
	free_netdev(peer);
err_put_gate:
	vnif_gate_put(gate);
	return err;
}

/*
 * Deleting either end deletes the pair. Whatever is held is dropped and
 * counted: the queue belongs to the pair and dies with it.
 */
static void vnif_dellink(struct net_device *dev, struct list_head *head)
{
	struct vnif_priv *priv = netdev_priv(dev);
	struct vnif_gate *gate = priv->gate;
	struct net_device *peer;

	vnif_gate_kill(gate);
	peer = rtnl_dereference(gate->end[!priv->end]);
	/* Devices are freed only after an RCU grace period. */
	RCU_INIT_POINTER(gate->end[VNIF_END_OUTER], NULL);
	RCU_INIT_POINTER(gate->end[VNIF_END_INNER], NULL);
	unregister_netdevice_queue(dev, head);
	if (peer)
		unregister_netdevice_queue(peer, head);
}

static int vnif_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct vnif_priv *priv = netdev_priv(dev);

	if (data && data[IFLA_VNIF_PEER]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_VNIF_PEER],
				    "the peer of an existing pair cannot be changed");
		return -EOPNOTSUPP;
	}
	return vnif_configure(priv->gate, data, extack);
}

static size_t vnif_stats_size(void)
{
	return nla_total_size(0) +
	       (VNIF_STATS_MAX - 1) * nla_total_size_64bit(sizeof(u64));
}

static size_t vnif_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u8)) +	/* STATE */
	       nla_total_size(sizeof(u8)) +	/* INNER */
	       nla_total_size(sizeof(u32)) +	/* LIMIT_PACKETS */
	       nla_total_size(sizeof(u32)) +	/* LIMIT_BYTES */
	       nla_total_size(sizeof(u32)) +	/* DEADLINE_MS */
	       nla_total_size(sizeof(u8)) +	/* DEADLINE_POLICY */
	       2 * vnif_stats_size();
}

static int vnif_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct vnif_priv *priv = netdev_priv(dev);
	struct vnif_gate *gate = priv->gate;
	struct vnif_limits limits;
	u32 deadline_ms;
	u8 state, policy;

	spin_lock_bh(&gate->lock);
	state = gate->state;
	limits = gate->hold.limits;
	deadline_ms = gate->deadline_ms;
	policy = gate->deadline_policy;
	spin_unlock_bh(&gate->lock);

	if (nla_put_u8(skb, IFLA_VNIF_STATE, state) ||
	    nla_put_u8(skb, IFLA_VNIF_INNER, priv->end == VNIF_END_INNER) ||
	    nla_put_u32(skb, IFLA_VNIF_LIMIT_PACKETS, limits.packets) ||
	    nla_put_u32(skb, IFLA_VNIF_LIMIT_BYTES, limits.bytes) ||
	    nla_put_u32(skb, IFLA_VNIF_DEADLINE_MS, deadline_ms) ||
	    nla_put_u8(skb, IFLA_VNIF_DEADLINE_POLICY, policy) ||
	    vnif_nla_put_stats(skb, IFLA_VNIF_STATS_INGRESS, gate,
			       VNIF_DIR_INGRESS) ||
	    vnif_nla_put_stats(skb, IFLA_VNIF_STATS_EGRESS, gate,
			       VNIF_DIR_EGRESS))
		return -EMSGSIZE;
	return 0;
}

static struct net *vnif_get_link_net(const struct net_device *dev)
{
	struct net_device *peer = vnif_peer_rtnl(dev);

	return peer ? dev_net(peer) : dev_net(dev);
}

struct rtnl_link_ops vnif_link_ops = {
	.kind		= VNIF_DRV_NAME,
	.priv_size	= sizeof(struct vnif_priv),
	.setup		= vnif_setup,
	.validate	= vnif_validate,
	.newlink	= vnif_newlink,
	.changelink	= vnif_changelink,
	.dellink	= vnif_dellink,
	.policy		= vnif_policy,
	.maxtype	= IFLA_VNIF_MAX,
	.get_size	= vnif_get_size,
	.fill_info	= vnif_fill_info,
	.get_link_net	= vnif_get_link_net,
};
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_link_ops);

bool vnif_is_vnif(const struct net_device *dev)
{
	return dev->netdev_ops == &vnif_netdev_ops;
}

struct vnif_gate *vnif_dev_gate(const struct net_device *dev)
{
	struct vnif_priv *priv = netdev_priv(dev);

	return vnif_is_vnif(dev) ? priv->gate : NULL;
}
EXPORT_SYMBOL_FOR_VNIF_KUNIT(vnif_dev_gate);

int vnif_device_init(void)
{
	return rtnl_link_register(&vnif_link_ops);
}

void vnif_device_uninit(void)
{
	rtnl_link_unregister(&vnif_link_ops);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * crak: what CRAK_IOC_CHECKPOINT records of the vnif devices of the
 * target's network namespace (Documentation/image.md): for each end of a
 * pair that is the inner one, a VNIF section (its link, its addresses, the
 * routes through it, the pair's hold settings) and a VNIF_QUEUE section
 * (a copy of the frames the pair holds, both directions).
 *
 * Nothing here changes a pair: the frames are copied, not taken; the tool
 * removes them afterwards with CRAK_NET_TRIM (net.c) once the image is
 * safe. The devices are held by reference; the link and the addresses are
 * read under RTNL, the frames under the pair's lock, the routes with an
 * RTM_GETROUTE dump. Each part is consistent in itself; like the set of
 * sockets, the whole is not a snapshot, which is why `crak checkpoint`
 * freezes the pairs first.
 */

#include <linux/inetdevice.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/nexthop.h>
#include <net/rtnh.h>
#include <net/vnif.h>

#include "crak.h"
#include "image.h"

/* Attempts at copying the held frames while the queues keep changing. */
#define CRAK_VNIF_COPY_TRIES	8
/* Room for one message of the route dump (netlink caps its skbs at 32 KiB). */
#define CRAK_RT_BUF		32768

/* One inner end being taken, then its two payloads. */
struct crak_vnif_dev {
	struct list_head list;
	struct net_device *dev;		/* while taken: held by the caller */
	int ifindex;
	struct crak_vnif v;
	struct crak_vnif_addr *addrs;	/* CRAK_VNIF_MAX_ADDRS, while taken */
	struct crak_vnif_route *routes;	/* CRAK_VNIF_MAX_ROUTES, while taken */
	u8 *sec;			/* the VNIF payload */
	u32 sec_len;
	u8 *queue;			/* the VNIF_QUEUE payload */
	u32 queue_len;
};

struct crak_vnif_take {
	struct net *net;
	struct list_head *list;
	char *error;
	size_t errlen;
};

static __printf(3, 4) int crak_vnif_refuse(struct crak_vnif_take *t, int err,
					    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(t->error, t->errlen, fmt, ap);
	va_end(ap);
	return err;
}

/* One end off its list, with all it holds. */
static void crak_vnif_dev_free(struct crak_vnif_dev *d)
{
	list_del(&d->list);
	kvfree(d->sec);
	kvfree(d->queue);
	kvfree(d->addrs);
	kvfree(d->routes);
	kfree(d);
}

/* What the first pass over the held frames saw, per direction. */
struct crak_frame_tally {
	u32 n[__VNIF_DIR_MAX];
	u64 first_ns[__VNIF_DIR_MAX];
	u64 last_ns[__VNIF_DIR_MAX];
	u64 bytes;	/* frame bytes */
	u64 size;	/* frame record bytes */
};

static bool crak_frame_ok(const struct vnif_frame *f)
{
	return f->dir < __VNIF_DIR_MAX && f->len >= CRAK_FRAME_MIN_LEN &&
	       f->len <= CRAK_FRAME_MAX_LEN;
}

/* vnif_frame_fn, under the pair's lock. */
static int crak_frame_tally(void *arg, const struct vnif_frame *f)
{
	struct crak_frame_tally *t = arg;

	if (!crak_frame_ok(f))
		return -EINVAL;
	if (!t->n[f->dir])
		t->first_ns[f->dir] = f->tstamp_ns;
	t->last_ns[f->dir] = f->tstamp_ns;
	t->n[f->dir]++;
	t->bytes += f->len;
	t->size += crak_frame_size(f->len);
	return 0;
}

struct crak_frame_copy {
	const struct crak_frame_tally *want;
	struct crak_frame_tally got;
	u8 *p, *end;
};

/*
 * vnif_frame_fn, under the pair's lock: the frames the tally counted, no
 * more. Frames leave a queue at its head only and join at its tail, so
 * the same first and n-th frame of a direction mean the same n frames;
 * -EAGAIN when the head moved since the tally.
 */
static int crak_frame_copy(void *arg, const struct vnif_frame *f)
{
	struct crak_frame_copy *c = arg;
	struct crak_frame fr = {
		.dir = f->dir == VNIF_DIR_EGRESS ? CRAK_FRAME_EGRESS :
						   CRAK_FRAME_INGRESS,
		.len = f->len,
		.tstamp_ns = f->tstamp_ns,
	};
	u32 i;

	if (!crak_frame_ok(f))
		return -EINVAL;
	i = c->got.n[f->dir];
	if (i == c->want->n[f->dir])
		return 0;	/* joined after the tally */
	if ((!i && f->tstamp_ns != c->want->first_ns[f->dir]) ||
	    (i + 1 == c->want->n[f->dir] &&
	     f->tstamp_ns != c->want->last_ns[f->dir]) ||
	    crak_frame_size(f->len) > (u64)(c->end - c->p))
		return -EAGAIN;
	memcpy(c->p + CRAK_FRAME_HDR_LEN, f->data, f->len);
	c->p += crak_frame_put_hdr(c->p, &fr);
	return crak_frame_tally(&c->got, f);
}

/*
 * The VNIF_QUEUE payload: a copy of the frames the pair holds. *room is
 * what the image takes so far: the copies of all ends together stay
 * within an image's size, refused before they are made.
 */
static int crak_vnif_frames(struct crak_vnif_take *t, struct crak_vnif_dev *d,
			    u64 *room)
{
	struct crak_frame_tally want;
	struct crak_frame_copy c;
	u64 len;
	u32 tries;
	int err;

	for (tries = 0; tries < CRAK_VNIF_COPY_TRIES; tries++) {
		memset(&want, 0, sizeof(want));
		err = vnif_queue_export(d->dev, crak_frame_tally, &want);
		if (err)
			return crak_vnif_refuse(t, err, "vnif %s: cannot read its held frames",
						d->v.ifname);
		len = CRAK_VNIF_QUEUE_HDR_LEN + want.size;
		if (len > CRAK_IMAGE_MAX_LEN ||
		    *room + crak_section_size(len) > CRAK_IMAGE_MAX_LEN)
			return crak_vnif_refuse(t, -EFBIG,
						"vnif %s: held frames too large for an image",
						d->v.ifname);
		d->queue = kvmalloc(len, GFP_KERNEL_ACCOUNT);
		if (!d->queue)
			return -ENOMEM;
		memset(&c, 0, sizeof(c));
		c.want = &want;
		c.p = d->queue + crak_vnif_queue_put_hdr(d->queue,
							  want.n[0] + want.n[1]);
		c.end = d->queue + len;
		err = vnif_queue_export(d->dev, crak_frame_copy, &c);
		if (!err && !memcmp(&c.got, &want, sizeof(want))) {
			d->queue_len = len;
			*room += crak_section_size(len);
			d->v.nframes = want.n[0] + want.n[1];
			d->v.frame_bytes = want.bytes;
			return 0;
		}
		kvfree(d->queue);
		d->queue = NULL;
		if (err && err != -EAGAIN)
			return crak_vnif_refuse(t, err, "vnif %s: cannot read its held frames",
						d->v.ifname);
		cond_resched();
	}
	return crak_vnif_refuse(t, -EAGAIN,
				"vnif %s: held frames kept leaving while read",
				d->v.ifname);
}

static int crak_vnif_addr_full(struct crak_vnif_take *t,
			       struct crak_vnif_dev *d)
{
	return crak_vnif_refuse(t, -E2BIG, "vnif %s: more than %u addresses",
				d->v.ifname, CRAK_VNIF_MAX_ADDRS);
}

/* Under RTNL. */
static int crak_vnif_addrs4(struct crak_vnif_take *t, struct crak_vnif_dev *d)
{
	struct in_device *in_dev = __in_dev_get_rtnl(d->dev);
	const struct in_ifaddr *ifa;
	struct crak_vnif_addr *a;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rtnl(ifa, in_dev) {
		if (d->v.naddrs == CRAK_VNIF_MAX_ADDRS)
			return crak_vnif_addr_full(t, d);
		a = &d->addrs[d->v.naddrs++];
		a->family = AF_INET;
		a->prefixlen = ifa->ifa_prefixlen;
		a->scope = ifa->ifa_scope;
		a->flags = ifa->ifa_flags;
		memcpy(a->addr, &ifa->ifa_local, 4);
	}
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
/* The RT_SCOPE_* that rtnetlink reports for an IPv6 address's scope. */
static u8 crak_ipv6_rt_scope(u16 scope)
{
	if (scope & IFA_HOST)
		return RT_SCOPE_HOST;
	if (scope & IFA_LINK)
		return RT_SCOPE_LINK;
	if (scope & IFA_SITE)
		return RT_SCOPE_SITE;
	return RT_SCOPE_UNIVERSE;
}

/*
 * Under RTNL. Link-local addresses are left out: the inner end makes its
 * own from the MAC, which the image carries, when it comes up.
 */
static int crak_vnif_addrs6(struct crak_vnif_take *t, struct crak_vnif_dev *d)
{
	struct inet6_dev *idev = __in6_dev_get(d->dev);
	const struct inet6_ifaddr *ifp;
	struct crak_vnif_addr *a;
	int err = 0;

	if (!idev)
		return 0;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		if (ifp->scope & IFA_LINK)
			continue;
		if (d->v.naddrs == CRAK_VNIF_MAX_ADDRS) {
			err = crak_vnif_addr_full(t, d);
			break;
		}
		a = &d->addrs[d->v.naddrs++];
		a->family = AF_INET6;
		a->prefixlen = ifp->prefix_len;
		a->scope = crak_ipv6_rt_scope(ifp->scope);
		a->flags = ifp->flags;
		memcpy(a->addr, &ifp->addr, 16);
	}
	read_unlock_bh(&idev->lock);
	return err;
}
#else
static int crak_vnif_addrs6(struct crak_vnif_take *t, struct crak_vnif_dev *d)
{
	return 0;
}
#endif

/*
 * The link and the addresses of each end, under RTNL. An end that left
 * the namespace, or is going away, since it was found is left out.
 */
static int crak_vnif_links(struct crak_vnif_take *t)
{
	struct crak_vnif_dev *d, *tmp;
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	list_for_each_entry_safe(d, tmp, t->list, list) {
		dev = d->dev;
		if (dev->reg_state != NETREG_REGISTERED ||
		    !net_eq(dev_net(dev), t->net)) {
			crak_vnif_dev_free(d);
			continue;
		}
		d->ifindex = dev->ifindex;
		strscpy(d->v.ifname, dev->name, sizeof(d->v.ifname));
		memcpy(d->v.mac, dev->dev_addr, ETH_ALEN);
		d->v.mtu = dev->mtu;
		if (dev->flags & IFF_UP)
			d->v.flags |= CRAK_VNIF_UP;
		err = crak_vnif_addrs4(t, d);
		if (!err)
			err = crak_vnif_addrs6(t, d);
		if (err)
			break;
	}
	rtnl_unlock();
	return err;
}

static struct crak_vnif_dev *crak_vnif_by_index(struct crak_vnif_take *t,
						int ifindex)
{
	struct crak_vnif_dev *d;

	list_for_each_entry(d, t->list, list)
		if (d->ifindex == ifindex)
			return d;
	return NULL;
}

/* A route of the dump that cannot be recorded, named in the error. */
static int crak_route_refuse(struct crak_vnif_take *t, const char *ifname,
			     const struct rtmsg *rtm, struct nlattr **tb,
			     const char *why)
{
	static const u8 any[16];
	const void *dst = tb[RTA_DST] ? nla_data(tb[RTA_DST]) : any;

	if (rtm->rtm_family == AF_INET)
		return crak_vnif_refuse(t, -EOPNOTSUPP, "vnif %s: route %pI4/%u: %s",
					ifname, dst, rtm->rtm_dst_len, why);
	return crak_vnif_refuse(t, -EOPNOTSUPP, "vnif %s: route %pI6c/%u: %s",
				ifname, dst, rtm->rtm_dst_len, why);
}

/*
 * A multipath route through one of the ends is refused, not cut down to
 * its first nexthop: restarted so, it would route differently.
 */
static int crak_route_multipath(struct crak_vnif_take *t,
				const struct rtmsg *rtm, struct nlattr **tb)
{
	const struct rtnexthop *nh = nla_data(tb[RTA_MULTIPATH]);
	int rem = nla_len(tb[RTA_MULTIPATH]);
	struct crak_vnif_dev *d;

	for (; rtnh_ok(nh, rem); nh = rtnh_next(nh, &rem)) {
		d = crak_vnif_by_index(t, nh->rtnh_ifindex);
		if (d)
			return crak_route_refuse(t, d->v.ifname, rtm, tb,
						 "multipath routes not supported");
	}
	return 0;
}

/* The end a nexthop, not a group, goes through, or NULL. Under RCU. */
static struct crak_vnif_dev *crak_vnif_by_nh_info(struct crak_vnif_take *t,
						  struct nexthop *nh)
{
	const struct nh_info *nhi = rcu_dereference(nh->nh_info);
	const struct net_device *dev = nhi ? nhi->fib_nhc.nhc_dev : NULL;

	return dev ? crak_vnif_by_index(t, dev->ifindex) : NULL;
}

/*
 * The end the nexthop object id, or one nexthop of the group id, goes
 * through, or NULL. For a route dumped with net.ipv4.nexthop_compat_mode
 * 0: then it has RTA_NH_ID alone, neither RTA_OIF nor RTA_MULTIPATH.
 */
static struct crak_vnif_dev *crak_vnif_by_nh(struct crak_vnif_take *t, u32 id)
{
	struct crak_vnif_dev *d = NULL;
	const struct nh_group *nhg;
	struct nexthop *nh;
	u16 i;

	rcu_read_lock();
	nh = nexthop_find_by_id(t->net, id);
	if (nh && !nh->is_group) {
		d = crak_vnif_by_nh_info(t, nh);
	} else if (nh) {
		nhg = rcu_dereference(nh->nh_grp);
		for (i = 0; !d && i < nhg->num_nh; i++)
			d = crak_vnif_by_nh_info(t, nhg->nh_entries[i].nh);
	}
	rcu_read_unlock();
	return d;
}

/*
 * One RTM_NEWROUTE of the dump: recorded if its device is one of the
 * ends, unless the kernel made it for an address (RTPROT_KERNEL: the
 * address makes it again) or it is in the local table (addresses again).
 */
static int crak_route_msg(struct crak_vnif_take *t, const struct nlmsghdr *nlh,
			  u8 family)
{
	u32 alen = family == AF_INET ? 4 : 16;
	struct nlattr *tb[RTA_MAX + 1];
	struct crak_vnif_route *r;
	struct crak_vnif_dev *d;
	const struct rtmsg *rtm;
	u32 table;
	int err;

	if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(*rtm)))
		return -EINVAL;
	rtm = nlmsg_data(nlh);
	/* A family without a dump of its own answers with every family's. */
	if (rtm->rtm_family != family || (rtm->rtm_flags & RTM_F_CLONED))
		return 0;
	err = nlmsg_parse_deprecated(nlh, sizeof(*rtm), tb, RTA_MAX, NULL, NULL);
	if (err)
		return err;
	table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (table == RT_TABLE_LOCAL || rtm->rtm_protocol == RTPROT_KERNEL)
		return 0;
	if (tb[RTA_MULTIPATH])
		return crak_route_multipath(t, rtm, tb);
	if (tb[RTA_NH_ID] && !tb[RTA_OIF]) {
		d = crak_vnif_by_nh(t, nla_get_u32(tb[RTA_NH_ID]));
		return d ? crak_route_refuse(t, d->v.ifname, rtm, tb,
					     "nexthop objects not supported") : 0;
	}
	if (!tb[RTA_OIF])
		return 0;
	d = crak_vnif_by_index(t, nla_get_u32(tb[RTA_OIF]));
	if (!d)
		return 0;
	/*
	 * What the record cannot say is refused rather than lost, except a
	 * preferred source and the route metrics, which are left out
	 * (Documentation/image.md).
	 */
	if (tb[RTA_NH_ID])
		return crak_route_refuse(t, d->v.ifname, rtm, tb,
					 "nexthop objects not supported");
	if (tb[RTA_VIA])
		return crak_route_refuse(t, d->v.ifname, rtm, tb,
					 "a gateway of another family not supported");
	if (rtm->rtm_src_len)
		return crak_route_refuse(t, d->v.ifname, rtm, tb,
					 "source-specific routes not supported");
	if (rtm->rtm_tos)
		return crak_route_refuse(t, d->v.ifname, rtm, tb,
					 "routes by TOS not supported");
	if (rtm->rtm_flags & RTNH_F_ONLINK)
		return crak_route_refuse(t, d->v.ifname, rtm, tb,
					 "onlink routes not supported");
	if ((tb[RTA_DST] && nla_len(tb[RTA_DST]) != alen) ||
	    (tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) != alen) ||
	    rtm->rtm_dst_len > alen * 8)
		return -EINVAL;
	if (d->v.nroutes == CRAK_VNIF_MAX_ROUTES)
		return crak_vnif_refuse(t, -E2BIG, "vnif %s: more than %u routes",
					d->v.ifname, CRAK_VNIF_MAX_ROUTES);
	r = &d->routes[d->v.nroutes++];
	r->family = family;
	r->dst_len = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	r->table = table;
	r->metric = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	if (tb[RTA_DST])
		memcpy(r->dst, nla_data(tb[RTA_DST]), alen);
	if (tb[RTA_GATEWAY]) {
		memcpy(r->gw, nla_data(tb[RTA_GATEWAY]), alen);
		r->flags |= CRAK_ROUTE_GATEWAY;
	}
	return 0;
}

/*
 * The routes of one family through the ends, from an RTM_GETROUTE dump on
 * a kernel netlink socket of the namespace, read as `ip route show table
 * all` reads it. register_fib_notifier() would replay only the route of
 * each prefix that forwards (the first of a prefix length in an IPv4
 * leaf, the first of an IPv6 node), so a second default route with a
 * higher metric would be lost; the dump lists every route.
 */
static int crak_vnif_routes(struct crak_vnif_take *t, u8 family)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETROUTE,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.rtm.rtm_family = family,
	};
	const struct nlmsghdr *nlh;
	struct msghdr msg = {};
	struct socket *sock;
	bool done = false;
	struct kvec iov;
	int err, len;
	void *buf;

	buf = kvmalloc(CRAK_RT_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = sock_create_kern(t->net, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			       &sock);
	if (err)
		goto out_free;
	iov.iov_base = &req;
	iov.iov_len = sizeof(req);
	err = kernel_sendmsg(sock, &msg, &iov, 1, sizeof(req));
	if (err < 0)
		goto out_release;
	err = 0;
	/* Each read has the next part of the dump made before it returns. */
	while (!done && !err) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = CRAK_RT_BUF;
		len = kernel_recvmsg(sock, &msg, &iov, 1, CRAK_RT_BUF,
				     MSG_DONTWAIT);
		if (len < 0) {
			err = len;
			break;
		}
		if (msg.msg_flags & MSG_TRUNC) {
			err = -EMSGSIZE;
			break;
		}
		for (nlh = buf; !err && nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = nlmsg_data(nlh);

				err = nlh->nlmsg_len >= nlmsg_msg_size(sizeof(*e)) &&
				      e->error ? e->error : -EIO;
			} else if (nlh->nlmsg_type == RTM_NEWROUTE) {
				err = crak_route_msg(t, nlh, family);
			}
		}
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	if (err && !t->error[0])
		crak_vnif_refuse(t, err, "cannot list the %s routes of the namespace",
				 family == AF_INET ? "IPv4" : "IPv6");
out_release:
	sock_release(sock);
out_free:
	kvfree(buf);
	return err;
}

/* The VNIF payload of d, and the room its two sections take. */
static int crak_vnif_payload(struct crak_vnif_take *t, struct crak_vnif_dev *d,
			     u64 *size)
{
	d->sec_len = crak_vnif_len(&d->v);
	d->sec = kvmalloc(d->sec_len, GFP_KERNEL_ACCOUNT);
	if (!d->sec)
		return -ENOMEM;
	crak_vnif_put(d->sec, &d->v, d->addrs, d->routes);
	kvfree(d->addrs);
	d->addrs = NULL;
	kvfree(d->routes);
	d->routes = NULL;
	*size += crak_section_size(d->sec_len) + crak_section_size(d->queue_len);
	if (*size > CRAK_IMAGE_MAX_LEN)
		return crak_vnif_refuse(t, -EFBIG, "vnif %s: the image would be too large",
					d->v.ifname);
	return 0;
}

static struct crak_vnif_dev *crak_vnif_new(struct net_device *dev,
					   const struct vnif_dev_info *info)
{
	struct crak_vnif_dev *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return NULL;
	d->addrs = kvcalloc(CRAK_VNIF_MAX_ADDRS, sizeof(*d->addrs),
			    GFP_KERNEL_ACCOUNT);
	d->routes = kvcalloc(CRAK_VNIF_MAX_ROUTES, sizeof(*d->routes),
			     GFP_KERNEL_ACCOUNT);
	if (!d->addrs || !d->routes) {
		kvfree(d->addrs);
		kvfree(d->routes);
		kfree(d);
		return NULL;
	}
	d->dev = dev;
	/* Named already, for messages before the link is read under RTNL. */
	strscpy(d->v.ifname, netdev_name(dev), sizeof(d->v.ifname));
	if (info->state == VNIF_STATE_HOLD)
		d->v.flags |= CRAK_VNIF_FROZEN;
	d->v.limit_packets = info->limit_packets;
	d->v.limit_bytes = info->limit_bytes;
	d->v.deadline_ms = info->deadline_ms;
	d->v.deadline_policy = info->deadline_policy;
	return d;
}

int crak_vnif_take(struct net *net, struct list_head *list, u64 *size,
		   char *error, size_t errlen)
{
	struct crak_vnif_take t = {
		.net = net,
		.list = list,
		.error = error,
		.errlen = errlen,
	};
	struct vnif_dev_info info;
	struct crak_net_dev *devs;
	struct crak_vnif_dev *d;
	u64 room = *size;
	u32 n = 0, i;
	int err;

	devs = kcalloc(CRAK_NET_VNIF_MAX, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	err = crak_net_collect(net, devs, &n);
	if (err) {
		crak_vnif_refuse(&t, err, "more vnif devices than CRAK_NET_VNIF_MAX");
		goto out_put;
	}
	for (i = 0; i < n; i++) {
		if (vnif_dev_info(devs[i].dev, &info) || !info.inner)
			continue;
		d = crak_vnif_new(devs[i].dev, &info);
		if (!d) {
			err = -ENOMEM;
			goto out_put;
		}
		list_add_tail(&d->list, list);
		err = crak_vnif_frames(&t, d, &room);
		if (err)
			goto out_put;
		cond_resched();
	}
	err = crak_vnif_links(&t);
	if (!err)
		err = crak_vnif_routes(&t, AF_INET);
	if (!err && IS_ENABLED(CONFIG_IPV6))
		err = crak_vnif_routes(&t, AF_INET6);
	list_for_each_entry(d, list, list) {
		if (!err)
			err = crak_vnif_payload(&t, d, size);
		d->dev = NULL;
	}
out_put:
	crak_net_release(devs, n);
	kfree(devs);
	return err;
}

int crak_vnif_write(struct crak_image_writer *w, struct list_head *list)
{
	struct crak_vnif_dev *d;
	int err = 0;

	list_for_each_entry(d, list, list) {
		err = crak_image_add(w, CRAK_SEC_VNIF, d->sec, d->sec_len);
		if (!err)
			err = crak_image_add(w, CRAK_SEC_VNIF_QUEUE, d->queue,
					     d->queue_len);
		if (err)
			break;
	}
	return err;
}

void crak_vnif_free(struct list_head *list)
{
	struct crak_vnif_dev *d, *tmp;

	list_for_each_entry_safe(d, tmp, list, list)
		crak_vnif_dev_free(d);
}

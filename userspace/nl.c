// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink for the tools (see nl.h): what `vnif` and `crak restart` both
 * need to build, drive and remove vnif pairs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/rtnetlink.h>
#include <linux/vnif.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "nl.h"

/* Socket buffers: a dump message carries a frame of up to 64 KiB. */
#define NL_BUF_SIZE	(1024 * 1024)
/* A load message: its frames, one more that did not fit, the headers. */
#define LOAD_MSG_ALLOC	(VNL_LOAD_MSG_BYTES + VNIF_PKT_MAX + 4096)

void vnl_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);	/* keep stdout and stderr lines in order */
	fprintf(stderr, "%s: ", vnl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void vnl_oom(void)
{
	vnl_err("out of memory");
	exit(1);
}

/* NLMSGERR_ATTR_MSG from the TLVs at @off of @nlh, into q->ext. */
static void req_extack(struct vnl_req *q, const struct nlmsghdr *nlh,
		       size_t off)
{
	const struct nlattr *a;
	size_t len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= nlh->nlmsg_len)
		return;
	a = nla_find((const struct nlattr *)((const char *)nlh + off),
		     nlh->nlmsg_len - off, NLMSGERR_ATTR_MSG);
	if (!a || nla_len(a) <= 0)
		return;
	len = strnlen(nla_data(a), nla_len(a));
	if (len >= sizeof(q->ext))
		len = sizeof(q->ext) - 1;
	memcpy(q->ext, nla_data(a), len);
	q->ext[len] = 0;
	while (len && q->ext[len - 1] == '\n')
		q->ext[--len] = 0;
}

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct vnl_req *q = arg;
	int ret;

	if (!q->parse)
		return NL_OK;
	ret = q->parse(msg, q->arg);
	if (ret < 0) {
		q->parse_err = -ret;
		q->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int req_ack(struct nl_msg *msg, void *arg)
{
	struct vnl_req *q = arg;

	(void)msg;
	q->done = true;
	return NL_STOP;
}

/* The end of a dump: its status, and why it failed. */
static int req_finish(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct vnl_req *q = arg;
	int status = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(status)))
		memcpy(&status, NLMSG_DATA(nlh), sizeof(status));
	if (status < 0) {
		q->error = -status;
		req_extack(q, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(status)));
	}
	q->done = true;
	return NL_STOP;
}

static int req_err(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload: the header is just before it. */
	const struct nlmsghdr *nlh = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct vnl_req *q = arg;
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)who;
	q->error = e->error < 0 ? -e->error : e->error;
	/* The request is echoed before the TLVs unless it was capped. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	req_extack(q, nlh, off);
	q->done = true;
	return NL_STOP;
}

int vnl_talk(struct nl_sock *sk, struct nl_msg *msg, struct vnl_req *q)
{
	struct nl_cb *cb;
	int ret;

	q->done = false;
	q->error = 0;
	q->parse_err = 0;
	q->ext[0] = 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		vnl_oom();
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, q);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_ack, q);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish, q);
	nl_cb_err(cb, NL_CB_CUSTOM, req_err, q);

	errno = 0;
	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		q->error = errno ? errno : EIO;
		if (!errno)
			snprintf(q->ext, sizeof(q->ext), "netlink send: %s",
				 nl_geterror(ret));
		q->done = true;
	}
	while (!q->done) {
		ret = nl_recvmsgs(sk, cb);
		if (ret == -NLE_DUMP_INTR && !q->done) {
			/* Devices came or went while a GET dump ran. */
			q->error = EAGAIN;
			snprintf(q->ext, sizeof(q->ext),
				 "the devices changed during the dump; try again");
			break;
		}
		if (ret < 0 && !q->done) {
			q->error = EIO;
			snprintf(q->ext, sizeof(q->ext), "netlink receive: %s",
				 nl_geterror(ret));
			break;
		}
	}
	nl_cb_put(cb);
	return q->error || q->parse_err ? -1 : 0;
}

void vnl_report(const char *what, const struct vnl_req *q)
{
	int e = q->error ? q->error : q->parse_err;

	if (q->ext[0])
		vnl_err("%s: %s (%s)", what, q->ext, strerror(e));
	else
		vnl_err("%s: %s", what, strerror(e));
}

void vnl_check(int ret)
{
	if (ret < 0) {
		vnl_err("internal error: netlink message too small");
		exit(1);
	}
}

struct nl_sock *vnl_open(int proto)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, ret;

	if (!sk)
		vnl_oom();
	ret = nl_connect(sk, proto);
	if (ret < 0) {
		vnl_err("cannot open a netlink socket: %s", nl_geterror(ret));
		nl_socket_free(sk);
		return NULL;
	}
	/* Never to reach a program the tool execs (crak restart's COMMAND). */
	fcntl(nl_socket_get_fd(sk), F_SETFD, FD_CLOEXEC);
	/* Without it the kernel says why it refused nothing but an errno. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	/* A queue dump message may be 64 KiB, a load message about 100. */
	nl_socket_set_buffer_size(sk, NL_BUF_SIZE, NL_BUF_SIZE);
	nl_socket_enable_msg_peek(sk);
	return sk;
}

/*
 * A socket stays in the netns it was made in, so only its creation
 * happens there. Nothing else may run in the wrong netns: if it cannot
 * come back, the tool ends.
 */
struct nl_sock *vnl_open_in(int nsfd, int proto, const char *what,
			    const char *ns)
{
	struct nl_sock *sk;
	int self;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		vnl_err("%s: cannot open /proc/self/ns/net: %s", what,
			strerror(errno));
		return NULL;
	}
	if (setns(nsfd, CLONE_NEWNET)) {
		vnl_err("%s: cannot enter netns %s: %s", what, ns,
			errno == EINVAL ? "not a network namespace" :
			strerror(errno));
		close(self);
		return NULL;
	}
	sk = vnl_open(proto);
	if (setns(self, CLONE_NEWNET)) {
		vnl_err("%s: cannot return to the original netns: %s", what,
			strerror(errno));
		exit(1);
	}
	close(self);
	return sk;
}

static int genl_family;

struct nl_sock *vnl_genl_open(void)
{
	struct nl_sock *sk = vnl_open(NETLINK_GENERIC);
	int id;

	if (!sk)
		return NULL;
	id = genl_ctrl_resolve(sk, VNIF_GENL_NAME);
	if (id < 0) {
		if (id == -NLE_OBJ_NOTFOUND)
			vnl_err("vnif module not loaded (modprobe vnif)");
		else
			vnl_err("cannot resolve the generic netlink family '%s': %s",
				VNIF_GENL_NAME, nl_geterror(id));
		nl_socket_free(sk);
		return NULL;
	}
	genl_family = id;
	return sk;
}

struct nl_msg *vnl_genl_msg(uint8_t cmd, int flags, const char *ifname,
			    size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		vnl_oom();
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, genl_family, 0, flags,
			 cmd, VNIF_GENL_VERSION))
		vnl_check(-1);
	if (ifname)
		vnl_check(nla_put_string(msg, VNIF_A_IFNAME, ifname));
	return msg;
}

/* load */

int vnl_load_flush(struct vnl_load *lc)
{
	struct vnl_req q = {};
	size_t n = lc->msg_frames;

	if (!lc->msg)
		return 0;
	lc->msg_frames = 0;
	lc->msg_bytes = 0;
	if (vnl_talk(lc->sk, lc->msg, &q)) {
		lc->msg = NULL;
		vnl_report(lc->what, &q);
		if (lc->loaded)
			vnl_err("%s: %llu of %llu frames were loaded before the error",
				lc->what, lc->loaded, lc->total);
		else
			vnl_err("%s: nothing was loaded", lc->what);
		return -1;
	}
	lc->msg = NULL;
	lc->loaded += n;
	return 0;
}

int vnl_load_add(struct vnl_load *lc, uint8_t dir, bool has_tstamp,
		 uint64_t tstamp_ns, const void *data, uint32_t len)
{
	struct nlattr *nest;

	/* Up to VNL_LOAD_MSG_BYTES of frames per message, at least one. */
	if (lc->msg && lc->msg_bytes + len > VNL_LOAD_MSG_BYTES &&
	    vnl_load_flush(lc))
		return -1;
	if (!lc->msg)
		lc->msg = vnl_genl_msg(VNIF_CMD_QUEUE_LOAD, 0, lc->ifname,
				       LOAD_MSG_ALLOC);
	nest = nla_nest_start(lc->msg, VNIF_A_PKT);
	if (!nest)
		vnl_check(-1);
	vnl_check(nla_put_u8(lc->msg, VNIF_PKT_DIRECTION, dir));
	if (has_tstamp)
		vnl_check(nla_put_u64(lc->msg, VNIF_PKT_TSTAMP_NS, tstamp_ns));
	vnl_check(nla_put(lc->msg, VNIF_PKT_DATA, len, data));
	vnl_check(nla_nest_end(lc->msg, nest));
	lc->msg_frames++;
	lc->msg_bytes += len;
	return 0;
}

void vnl_load_end(struct vnl_load *lc)
{
	if (lc->msg)
		nlmsg_free(lc->msg);
	lc->msg = NULL;
}

/* rtnetlink */

struct nl_msg *vnl_rt_msg(int type, int flags, const void *hdr, size_t len)
{
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	if (!msg)
		vnl_oom();
	vnl_check(nlmsg_append(msg, (void *)hdr, len, NLMSG_ALIGNTO));
	return msg;
}

static int link_parse(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct vnl_link *li = arg;
	struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return -EPROTO;
	ifi = nlmsg_data(nlh);
	li->ifindex = ifi->ifi_index;
	if (tb[IFLA_LINK] && nla_len(tb[IFLA_LINK]) >= 4)
		li->link = nla_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_IFNAME])
		snprintf(li->name, sizeof(li->name), "%.*s",
			 nla_len(tb[IFLA_IFNAME]), (char *)nla_data(tb[IFLA_IFNAME]));
	return 0;
}

int vnl_getlink(struct nl_sock *sk, int ifindex, const char *name,
		struct vnl_link *li, struct vnl_req *q)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *msg = vnl_rt_msg(RTM_GETLINK, 0, &ifi, sizeof(ifi));

	if (!ifindex)
		vnl_check(nla_put_string(msg, IFLA_IFNAME, name));
	vnl_check(nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS));
	memset(li, 0, sizeof(*li));
	q->parse = link_parse;
	q->arg = li;
	if (vnl_talk(sk, msg, q))
		return -1;
	if (!li->ifindex) {
		q->parse_err = EPROTO;
		return -1;
	}
	return 0;
}

int vnl_setlink(struct nl_sock *sk, int ifindex, bool up, int master,
		struct vnl_req *q)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = up ? IFF_UP : 0,
		.ifi_change = up ? IFF_UP : 0,
	};
	struct nl_msg *msg = vnl_rt_msg(RTM_NEWLINK, 0, &ifi, sizeof(ifi));

	if (master)
		vnl_check(nla_put_u32(msg, IFLA_MASTER, master));
	q->parse = NULL;
	return vnl_talk(sk, msg, q);
}

int vnl_dellink(struct nl_sock *sk, int ifindex, const char *name,
		struct vnl_req *q)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *msg = vnl_rt_msg(RTM_DELLINK, 0, &ifi, sizeof(ifi));

	if (!ifindex)
		vnl_check(nla_put_string(msg, IFLA_IFNAME, name));
	q->parse = NULL;
	return vnl_talk(sk, msg, q);
}

struct nl_msg *vnl_newpair_msg(const struct vnl_pair *p)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *linkinfo, *data, *peer;
	struct nl_msg *msg;

	msg = vnl_rt_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
			 sizeof(ifi));
	if (p->outer)
		vnl_check(nla_put_string(msg, IFLA_IFNAME, p->outer));
	if (p->mtu)
		vnl_check(nla_put_u32(msg, IFLA_MTU, p->mtu));
	linkinfo = nla_nest_start(msg, IFLA_LINKINFO);
	if (!linkinfo)
		vnl_check(-1);
	vnl_check(nla_put_string(msg, IFLA_INFO_KIND, "vnif"));
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (!data)
		vnl_check(-1);

	/*
	 * The inner end: struct ifinfomsg, then its own IFLA_* attributes.
	 * Not a plain nest, so not flagged NLA_F_NESTED, which libnl's
	 * nla_nest_start() would add: started by hand, closed as a nest.
	 */
	peer = nlmsg_tail(nlmsg_hdr(msg));
	vnl_check(nla_put(msg, IFLA_VNIF_PEER, 0, NULL));
	vnl_check(nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO));
	vnl_check(nla_put_string(msg, IFLA_IFNAME, p->inner));
	if (p->mac)
		vnl_check(nla_put(msg, IFLA_ADDRESS, ETH_ALEN, p->mac));
	if (p->mtu)
		vnl_check(nla_put_u32(msg, IFLA_MTU, p->mtu));
	vnl_check(nla_put_u32(msg, IFLA_NET_NS_FD, p->nsfd));
	vnl_check(nla_nest_end(msg, peer));

	if (p->limit_packets)
		vnl_check(nla_put_u32(msg, IFLA_VNIF_LIMIT_PACKETS,
				      p->limit_packets));
	if (p->limit_bytes)
		vnl_check(nla_put_u32(msg, IFLA_VNIF_LIMIT_BYTES,
				      p->limit_bytes));
	if (p->has_deadline)
		vnl_check(nla_put_u32(msg, IFLA_VNIF_DEADLINE_MS,
				      p->deadline_ms));
	if (p->has_policy)
		vnl_check(nla_put_u8(msg, IFLA_VNIF_DEADLINE_POLICY, p->policy));
	vnl_check(nla_nest_end(msg, data));
	vnl_check(nla_nest_end(msg, linkinfo));
	return msg;
}

/* Pairs: the steps of `vnif attach` and `crak restart`. */

/* A step's name, for its message: the steps are said as "WHAT: STEP". */
#define STEP_LEN	192

int vnl_rt_open(struct vnl_rt *rt, int nsfd, const char *ns,
		const char *what)
{
	rt->ns = ns;
	rt->inner = vnl_open_in(nsfd, NETLINK_ROUTE, what, ns);
	if (!rt->inner)
		return -1;
	rt->host = vnl_open(NETLINK_ROUTE);
	if (!rt->host)
		return -1;
	return 0;
}

int vnl_rt_bridge(struct vnl_rt *rt, const char *bridge, const char *what)
{
	struct vnl_req q = {};
	struct vnl_link br;
	char step[STEP_LEN];

	if (vnl_getlink(rt->host, 0, bridge, &br, &q)) {
		snprintf(step, sizeof(step), "%s: bridge %s", what, bridge);
		vnl_report(step, &q);
		return -1;
	}
	rt->bridge = bridge;
	rt->bridge_index = br.ifindex;
	return 0;
}

void vnl_rt_close(struct vnl_rt *rt)
{
	if (rt->inner)
		nl_socket_free(rt->inner);
	if (rt->host)
		nl_socket_free(rt->host);
	rt->inner = NULL;
	rt->host = NULL;
}

int vnl_pair_new(struct vnl_rt *rt, const struct vnl_pair *p,
		 struct vnl_ends *e)
{
	const char *outer = p->outer ? p->outer : "vnif%d";
	struct vnl_req q = {};
	char step[STEP_LEN];

	e->name = p->inner;
	e->inner = 0;
	e->outer = 0;
	e->outer_name[0] = 0;
	if (!vnl_talk(rt->host, vnl_newpair_msg(p), &q)) {
		e->made = true;
		return 0;
	}
	if (e->named)
		snprintf(step, sizeof(step), "%s: create the pair (%s in netns %s, %s here)",
			 e->what, p->inner, rt->ns, outer);
	else
		snprintf(step, sizeof(step), "%s: create %s <-> %s in netns %s",
			 e->what, outer, p->inner, rt->ns);
	vnl_report(step, &q);
	return -1;
}

int vnl_pair_find(struct vnl_rt *rt, struct vnl_ends *e)
{
	const char *self = e->named ? "it" : e->name;
	struct vnl_link in, out;
	struct vnl_req q = {};
	char step[STEP_LEN];

	snprintf(step, sizeof(step), "%s: find %s in netns %s", e->what, self,
		 rt->ns);
	if (vnl_getlink(rt->inner, 0, e->name, &in, &q))
		goto fail;
	e->inner = in.ifindex;
	/* The inner end's link is the outer end: its name, if the kernel chose. */
	if (e->named)
		snprintf(step, sizeof(step), "%s: find its outer end", e->what);
	else
		snprintf(step, sizeof(step), "%s: find the outer end of %s",
			 e->what, e->name);
	if (!in.link) {
		q.parse_err = ENOENT;
		goto fail;
	}
	if (vnl_getlink(rt->host, in.link, NULL, &out, &q))
		goto fail;
	e->outer = out.ifindex;
	snprintf(e->outer_name, sizeof(e->outer_name), "%s", out.name);
	return 0;
fail:
	vnl_report(step, &q);
	return -1;
}

int vnl_pair_up(struct vnl_rt *rt, const struct vnl_ends *e, bool inner_up)
{
	struct vnl_req q = {};
	char step[STEP_LEN];

	if (rt->bridge) {
		snprintf(step, sizeof(step), "%s: enslave %s to %s", e->what,
			 e->outer_name, rt->bridge);
		if (vnl_setlink(rt->host, e->outer, false, rt->bridge_index,
				&q))
			goto fail;
	}
	snprintf(step, sizeof(step), "%s: set %s up", e->what, e->outer_name);
	if (vnl_setlink(rt->host, e->outer, true, 0, &q))
		goto fail;
	snprintf(step, sizeof(step), "%s: set lo up in netns %s", e->what,
		 rt->ns);
	/* lo is ifindex 1 (LOOPBACK_IFINDEX) in every netns. */
	if (vnl_setlink(rt->inner, 1, true, 0, &q))
		goto fail;
	if (!inner_up)
		return 0;
	snprintf(step, sizeof(step), "%s: set %s up in netns %s", e->what,
		 e->named ? "it" : e->name, rt->ns);
	if (vnl_setlink(rt->inner, e->inner, true, 0, &q))
		goto fail;
	return 0;
fail:
	vnl_report(step, &q);
	return -1;
}

/*
 * Deleting either end deletes the pair: the outer end if it was found,
 * else the inner end, by index or by the name it was made with.
 */
int vnl_pair_del(struct vnl_rt *rt, struct vnl_ends *e)
{
	struct vnl_req q = {};
	char step[STEP_LEN];
	int ret;

	if (e->outer)
		ret = vnl_dellink(rt->host, e->outer, NULL, &q);
	else
		ret = vnl_dellink(rt->inner, e->inner, e->name, &q);
	if (ret) {
		snprintf(step, sizeof(step), "%s: could not remove the pair again",
			 e->what);
		vnl_report(step, &q);
		return -1;
	}
	e->made = false;
	return 0;
}

static int addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/*
 * The IFA_F_ flags an address is given: those that say how it is used.
 * The others are the kernel's to set (SECONDARY, PERMANENT, TENTATIVE,
 * DADFAILED, DEPRECATED, STABLE_PRIVACY) or need what is not carried
 * (OPTIMISTIC).
 */
#define ADDR_FLAGS_KEPT	(IFA_F_NODAD | IFA_F_HOMEADDRESS | \
			 IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | \
			 IFA_F_MCAUTOJOIN)

int vnl_addaddr(struct nl_sock *sk, int ifindex, const struct vnl_addr *a,
		struct vnl_req *q)
{
	uint32_t flags = a->flags & ADDR_FLAGS_KEPT;
	struct ifaddrmsg ifa = {
		.ifa_family = a->family,
		.ifa_prefixlen = a->plen,
		.ifa_scope = a->scope,
		.ifa_index = ifindex,
	};
	struct nl_msg *msg;

	if (a->family == AF_INET6)
		flags |= IFA_F_NODAD;
	ifa.ifa_flags = flags & 0xff;
	msg = vnl_rt_msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa,
			 sizeof(ifa));
	vnl_check(nla_put(msg, IFA_LOCAL, addr_len(a->family), a->addr));
	vnl_check(nla_put(msg, IFA_ADDRESS, addr_len(a->family), a->addr));
	if (flags > 0xff)
		vnl_check(nla_put_u32(msg, IFA_FLAGS, flags));
	q->parse = NULL;
	return vnl_talk(sk, msg, q);
}

int vnl_addroute(struct nl_sock *sk, int ifindex, const struct vnl_route *r,
		 struct vnl_req *q)
{
	struct rtmsg rtm = {
		.rtm_family = r->family,
		.rtm_dst_len = r->dst_len,
		.rtm_table = r->table < 256 ? r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = r->protocol,
		.rtm_scope = r->scope,
		.rtm_type = r->type,
	};
	struct nl_msg *msg = vnl_rt_msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
					&rtm, sizeof(rtm));

	if (r->table >= 256)
		vnl_check(nla_put_u32(msg, RTA_TABLE, r->table));
	if (r->dst_len)
		vnl_check(nla_put(msg, RTA_DST, addr_len(r->family), r->dst));
	if (r->has_gw)
		vnl_check(nla_put(msg, RTA_GATEWAY, addr_len(r->family), r->gw));
	if (r->metric)
		vnl_check(nla_put_u32(msg, RTA_PRIORITY, r->metric));
	vnl_check(nla_put_u32(msg, RTA_OIF, ifindex));
	q->parse = NULL;
	return vnl_talk(sk, msg, q);
}

void vnl_ntop(int family, const uint8_t *addr, int plen, char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "?");
	if (plen >= 0)
		snprintf(s, n, "%s/%d", buf, plen);
	else
		snprintf(s, n, "%s", buf);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink for the tools (vnif, crak), on libnl-3: requests with extended
 * acks, the vnif generic netlink family, and the rtnetlink requests that
 * build a vnif pair (links, addresses, routes).
 *
 * Every function that fails fills a struct vnl_req with the errno and the
 * kernel's extended ack message; vnl_report() says them, after the
 * caller's WHAT, as "PROG: WHAT: MESSAGE (strerror)".
 */
#ifndef _VNIF_TOOLS_NL_H
#define _VNIF_TOOLS_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

/* The tool's name, for its messages: each tool defines it. */
extern const char *const vnl_prog;

__attribute__((format(printf, 1, 2)))
void vnl_err(const char *fmt, ...);
__attribute__((noreturn))
void vnl_oom(void);

/* One request and what came back. */
struct vnl_req {
	/* Called for each reply message; returns 0 or a negative errno. */
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
	bool done;
	int error;		/* errno the kernel (or the socket) reported */
	int parse_err;		/* errno of the first failed parse */
	char ext[256];		/* the kernel's extended ack message */
};

/*
 * Sends @msg (freed here) on @sk and reads until its ack, its error or the
 * end of its dump. 0, or -1 with q->error or q->parse_err set.
 */
int vnl_talk(struct nl_sock *sk, struct nl_msg *msg, struct vnl_req *q);
/* "PROG: WHAT: MESSAGE (strerror)" for a failed request. */
void vnl_report(const char *what, const struct vnl_req *q);
/* Messages are sized for what goes in: exits if one is too small. */
void vnl_check(int ret);

/* A socket of @proto in the current netns, with extended acks. */
struct nl_sock *vnl_open(int proto);
/*
 * The same in the netns of @nsfd (named @ns in messages, after @what);
 * exits if it cannot come back to the current one.
 */
struct nl_sock *vnl_open_in(int nsfd, int proto, const char *what,
			    const char *ns);

/* Generic netlink: the vnif family, resolved by vnl_genl_open(). */
struct nl_sock *vnl_genl_open(void);
/* A vnif request naming @ifname, of @size bytes (0: the default). */
struct nl_msg *vnl_genl_msg(uint8_t cmd, int flags, const char *ifname,
			    size_t size);

/* Frames into VNIF_CMD_QUEUE_LOAD messages, sent as they fill. */
#define VNL_LOAD_MSG_BYTES	(32 * 1024)

struct vnl_load {
	struct nl_sock *sk;	/* from vnl_genl_open() */
	const char *ifname;
	const char *what;	/* for messages */
	struct nl_msg *msg;
	size_t msg_frames;
	size_t msg_bytes;
	unsigned long long loaded;
	unsigned long long total;	/* frames to load, for messages */
};

/* Adds one frame; 0, or -1 after saying why a message was refused. */
int vnl_load_add(struct vnl_load *lc, uint8_t dir, bool has_tstamp,
		 uint64_t tstamp_ns, const void *data, uint32_t len);
/* Sends the message being built; 0, or -1 after saying why. */
int vnl_load_flush(struct vnl_load *lc);
/* Frees a message not sent (after a failure). */
void vnl_load_end(struct vnl_load *lc);

/* rtnetlink */
struct nl_msg *vnl_rt_msg(int type, int flags, const void *hdr, size_t len);

struct vnl_link {
	int ifindex;
	int link;		/* IFLA_LINK: the peer's ifindex */
	char name[IFNAMSIZ];
};

/* RTM_GETLINK by @ifindex or, when it is 0, by @name. */
int vnl_getlink(struct nl_sock *sk, int ifindex, const char *name,
		struct vnl_link *li, struct vnl_req *q);
/* Up (or left as it is), and into @master when it is not 0. */
int vnl_setlink(struct nl_sock *sk, int ifindex, bool up, int master,
		struct vnl_req *q);
/* RTM_DELLINK of @ifindex or, when it is 0, of @name. */
int vnl_dellink(struct nl_sock *sk, int ifindex, const char *name,
		struct vnl_req *q);

/* A vnif pair: the outer end here, the inner end in @nsfd. */
struct vnl_pair {
	const char *outer;	/* NULL: the kernel names it (vnif%d) */
	const char *inner;
	const uint8_t *mac;	/* of the inner end; NULL: random */
	uint32_t mtu;		/* of both ends; 0: the default */
	int nsfd;
	uint32_t limit_packets, limit_bytes;	/* 0: the default */
	uint32_t deadline_ms;
	bool has_deadline;
	uint8_t policy;
	bool has_policy;
};

/* The RTM_NEWLINK that makes the pair. */
struct nl_msg *vnl_newpair_msg(const struct vnl_pair *p);

/*
 * Making pairs, as `vnif attach` and `crak restart` do: rtnetlink here
 * and in the netns of the inner ends, and the bridge of the outer ends.
 */
struct vnl_rt {
	struct nl_sock *host;	/* in the current netns */
	struct nl_sock *inner;	/* in the netns */
	const char *ns;		/* the netns, as named in messages */
	const char *bridge;	/* NULL: none */
	int bridge_index;
};

/* Opens both sockets; 0, or -1 said (after @what). */
int vnl_rt_open(struct vnl_rt *rt, int nsfd, const char *ns,
		const char *what);
/* Finds @bridge before anything is made; 0, or -1 said as "WHAT: bridge BR". */
int vnl_rt_bridge(struct vnl_rt *rt, const char *bridge, const char *what);
void vnl_rt_close(struct vnl_rt *rt);

/*
 * One pair being made. Each step that fails is said as "WHAT: STEP:
 * MESSAGE (strerror)"; when WHAT names the pair already ("restart: vnif
 * eth0"), the steps call the inner end "it".
 */
struct vnl_ends {
	const char *what;
	bool named;		/* WHAT names the pair */
	const char *name;	/* of the inner end, as it was made */
	bool made;		/* the pair exists: vnl_pair_del() removes it */
	int inner;		/* ifindex of the inner end; 0: not found */
	int outer;		/* of the outer end; 0: not found */
	char outer_name[IFNAMSIZ];
};

/* Makes the pair @p (its RTM_NEWLINK); 0, or -1 said. */
int vnl_pair_new(struct vnl_rt *rt, const struct vnl_pair *p,
		 struct vnl_ends *e);
/* Finds both ends: the inner one by name, the outer one as its link. */
int vnl_pair_find(struct vnl_rt *rt, struct vnl_ends *e);
/*
 * The outer end into the bridge (if any) and up; lo of the netns up, and
 * the inner end if @inner_up. 0, or -1 said.
 */
int vnl_pair_up(struct vnl_rt *rt, const struct vnl_ends *e, bool inner_up);
/*
 * Deletes the pair made, by either end; 0, or -1 said as "WHAT: could not
 * remove the pair again".
 */
int vnl_pair_del(struct vnl_rt *rt, struct vnl_ends *e);

struct vnl_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;
	uint8_t scope;		/* RT_SCOPE_* */
	uint32_t flags;		/* IFA_F_*: those an address may be given */
};

/*
 * RTM_NEWADDR, IFA_LOCAL and IFA_ADDRESS both @a. An IPv6 address gets
 * IFA_F_NODAD: it is a process's own address that moves with it, usable
 * at once, not a new one (and DAD could not finish on a frozen pair).
 */
int vnl_addaddr(struct nl_sock *sk, int ifindex, const struct vnl_addr *a,
		struct vnl_req *q);

struct vnl_route {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t dst[16];
	uint8_t dst_len;	/* 0: a default route */
	uint8_t gw[16];
	bool has_gw;		/* else on-link */
	uint8_t protocol;	/* RTPROT_* */
	uint8_t scope;		/* RT_SCOPE_* */
	uint8_t type;		/* RTN_* */
	uint32_t table;		/* RT_TABLE_* or a number */
	uint32_t metric;	/* 0: none given */
};

/* RTM_NEWROUTE of @r through @ifindex. */
int vnl_addroute(struct nl_sock *sk, int ifindex, const struct vnl_route *r,
		 struct vnl_req *q);

/* An address as text, for messages: "10.0.0.2/24", "fd00::/64". */
void vnl_ntop(int family, const uint8_t *addr, int plen, char *s, size_t n);

#endif /* _VNIF_TOOLS_NL_H */

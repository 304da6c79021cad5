// SPDX-License-Identifier: GPL-2.0
/*
 * crak: CRAK_IOC_RESTORE, the sockets of an image built again in the
 * caller's network namespace and handed to the caller as descriptors.
 *
 * The image is copied in and checked whole before anything is built. The
 * sockets are then built one after the other, the listeners (each with its
 * accept queue) first, then the others, each in the order of the image:
 * created as a process creates them (__sock_create() with kern = 0: they
 * hold a reference on the namespace and are charged to the caller) with
 * their file, given their options, bound, connected and filled. A TCP
 * connection, an accept queue child too, is built in repair mode and stays
 * in it (tcp.c): up to there nothing of the image has reached a peer.
 * Only when every socket is built are descriptors reserved and the list
 * copied to the caller; then the last pass takes every TCP connection out
 * of repair mode, the children first, then the others in image order
 * (crak_tcp_live(): window probe, closing state, bytes never sent, FIN,
 * options); the descriptors are installed last, when nothing can fail
 * any more. Until then a failure releases what was built: no socket and
 * no descriptor is left behind, and a TCP socket is released in repair
 * mode, put back into it if it had left it, so that it sends neither FIN
 * nor RST. A failure before the last pass (a missing address, data the
 * stack refuses, memory, a descriptor) so sends nothing to any peer. The
 * last pass itself can still fail, on memory while it sends a
 * connection's bytes never sent (or on a reset from the peer in the
 * middle): then the connections it had taken out of repair mode before,
 * and the one that failed, have sent their window probe (an ACK), part or
 * all of their bytes never sent, and the FIN of those shut down for
 * writing; the peer's answers to that find no socket any more and get a
 * reset from the stack, unless a frozen vnif pair holds them (a
 * migration), where they stay. What the peers send meanwhile is answered
 * as the stack answers any segment, by a connection in repair mode too;
 * and an ACK from a peer for part of a connection's bytes in flight arms
 * its retransmission timer again, which, firing before the last pass,
 * sends bytes that peer was sent already.
 *
 * A UDP datagram is queued again as an skb that looks like one the stack
 * received: its IP and UDP headers in front of the data, the data pulled
 * to the payload, queued by __udp_enqueue_schedule_skb(), the function
 * udp_queue_rcv_skb() ends in, which sets up what udp_recvmsg() relies on
 * and charges the socket's receive memory as UDP does. They are queued
 * before the socket is bound, so that every datagram that arrives for it
 * here comes after them.
 */

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/nsproxy.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/udp.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <net/udp.h>

#include "crak.h"
#include "image.h"

/*
 * One socket built: its record, then its file and descriptor. A TCP
 * connection waits in repair mode for the last pass, which needs its
 * record and its bytes never sent: these are in the image copied in, which
 * lives until the ioctl returns.
 */
struct crak_rst_sock {
	struct socket *sock;	/* owned by file */
	struct file *file;	/* made with the socket, as socket(2) does */
	int fd;			/* reserved in the caller, or -1 */
	u32 target_fd;
	u32 fd_flags;
	bool repair;		/* a TCP connection, for the last pass */
	u32 nunsent;
	const u8 *unsent;	/* in the image */
	struct crak_sock s;	/* its record, for the last pass */
};

/*
 * One accept queue child: a socket until it joins its listener's queue,
 * in repair mode until the last pass.
 */
struct crak_rst_kid {
	struct socket *sock;	/* owned until attached to the listener */
	struct sock *sk;	/* held, for the last pass and to silence it */
	struct crak_sock s;	/* its record, for the last pass */
};

struct crak_rst {
	struct crak_restore arg;
	struct net *net;
	const u8 *image;
	struct crak_rst_sock *socks;	/* one per SOCK section, image order */
	u32 nsocks;
	struct socket *listener;	/* the one the next SOCK_CHILD joins */
	struct crak_rst_kid *kids;
	u32 nkids, maxkids;
};

int crak_rst_refuse(struct crak_rst *r, u32 fd, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	r->arg.error_fd = fd;
	n = scnprintf(r->arg.error, sizeof(r->arg.error), "fd %u: ", fd);
	va_start(ap, fmt);
	vscnprintf(r->arg.error + n, sizeof(r->arg.error) - n, fmt, ap);
	va_end(ap);
	return err;
}

void crak_rst_count(struct crak_rst *r, u32 datagrams, u64 bytes)
{
	r->arg.datagrams += datagrams;
	r->arg.bytes += bytes;
}

int crak_rst_sockopts(struct crak_rst *r, struct socket *sock,
		      const struct crak_sock *s)
{
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	lock_sock(sk);
	sk->sk_reuse = s->opts & CRAK_SO_REUSEADDR ? SK_CAN_REUSE : SK_NO_REUSE;
	sk->sk_reuseport = !!(s->opts & CRAK_SO_REUSEPORT);
	if (s->opts & CRAK_SO_BROADCAST)
		sock_set_flag(sk, SOCK_BROADCAST);
	/* As the kernel held them: doubled already, no sysctl cap applies. */
	if (s->opts & CRAK_SO_SNDBUF_SET) {
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		WRITE_ONCE(sk->sk_sndbuf, max_t(u32, s->sndbuf, SOCK_MIN_SNDBUF));
	}
	if (s->opts & CRAK_SO_RCVBUF_SET) {
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
		WRITE_ONCE(sk->sk_rcvbuf, max_t(u32, s->rcvbuf, SOCK_MIN_RCVBUF));
	}
	WRITE_ONCE(sk->sk_priority, s->priority);
	WRITE_ONCE(sk->sk_mark, s->mark);
	WRITE_ONCE(sk->sk_rcvlowat, s->rcvlowat ? : 1);
	inet->tos = s->tos;
	inet->uc_ttl = s->ttl == CRAK_TTL_DEFAULT ? -1 : s->ttl;
	inet->freebind = !!(s->opts & CRAK_SO_FREEBIND);
	inet->transparent = !!(s->opts & CRAK_SO_TRANSPARENT);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct ipv6_pinfo *np = inet6_sk(sk);

		np->tclass = s->tclass;
		np->hop_limit = s->hops == CRAK_TTL_DEFAULT ? -1 : s->hops;
		sk->sk_ipv6only = !!(s->opts & CRAK_SO_V6ONLY);
	}
#endif
	sk_dst_reset(sk);
	release_sock(sk);
	return 0;
}

static int crak_rst_sockaddr(const struct crak_sock *s, const u8 *addr,
			     u16 port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6;

	memset(ss, 0, sizeof(*ss));
	if (s->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr, 4);
		return sizeof(*sin);
	}
	sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, addr, 16);
	return sizeof(*sin6);
}

int crak_rst_bind(struct crak_rst *r, struct socket *sock,
		  const struct crak_sock *s)
{
	struct sockaddr_storage ss;
	int len, err;

	len = crak_rst_sockaddr(s, s->local_addr, s->local_port, &ss);
	err = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (err)
		return crak_rst_refuse(r, s->fd, err, "bind to %s port %u: error %d",
				       s->family == AF_INET ? "its IPv4 address" :
				       "its IPv6 address", s->local_port, err);
	return 0;
}

/* One datagram as the stack would have queued it, headers in front. */
static struct sk_buff *crak_udp_skb(const struct crak_sock *s,
				    const struct crak_dgram *d)
{
	u32 hlen = (d->family == AF_INET ? sizeof(struct iphdr) :
		    sizeof(struct ipv6hdr)) + sizeof(struct udphdr);
	struct sk_buff *skb;
	struct udphdr *uh;

	skb = alloc_skb(MAX_HEADER + hlen + d->len, GFP_KERNEL_ACCOUNT);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	skb_reset_network_header(skb);
	if (d->family == AF_INET) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = IPPROTO_UDP;
		iph->tot_len = htons(hlen + d->len);
		memcpy(&iph->saddr, d->saddr, 4);
		memcpy(&iph->daddr, d->daddr, 4);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6h->version = 6;
		ip6h->hop_limit = 64;
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->payload_len = htons(sizeof(*uh) + d->len);
		memcpy(&ip6h->saddr, d->saddr, 16);
		memcpy(&ip6h->daddr, d->daddr, 16);
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(skb, skb->len);
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(d->sport);
	uh->dest = htons(d->dport);
	uh->len = htons(sizeof(*uh) + d->len);
	skb_put_data(skb, d->data, d->len);
	__skb_pull(skb, hlen);
	/*
	 * Verified at checkpoint (an unverified one is refused), carried by
	 * the image's own CRC since.
	 */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	return skb;
}

/*
 * The datagrams of the socket's SOCK_QUEUE, in their order. The receive
 * buffer is lifted while they are queued: they fitted on the old host,
 * where an skb may have had another truesize; what comes next is held to
 * the recorded limit again.
 */
static int crak_udp_fill(struct crak_rst *r, struct socket *sock,
			 const struct crak_sock *s, const struct crak_section *q)
{
	struct sock *sk = sock->sk;
	struct crak_queue cq;
	struct crak_dgram d;
	int rcvbuf, err;
	u64 bytes = 0;
	u32 n = 0;

	err = crak_queue_get(q, &cq);
	if (err)
		return err;
	rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	WRITE_ONCE(sk->sk_rcvbuf, INT_MAX / 2);
	while ((err = crak_queue_next(&cq, &d)) > 0) {
		struct sk_buff *skb;

		/* Queued as verified: one that was not could be corrupt. */
		if (d.flags & CRAK_DGRAM_CSUM_UNVERIFIED) {
			err = crak_rst_refuse(r, s->fd, -EOPNOTSUPP,
					      "datagram %u: checksum never verified",
					      n);
			break;
		}
		skb = crak_udp_skb(s, &d);
		if (!skb) {
			err = -ENOMEM;
			break;
		}
		/* Its queue lock is taken in softirq too: bottom halves off. */
		local_bh_disable();
		err = __udp_enqueue_schedule_skb(sk, skb);
		local_bh_enable();
		if (err) {
			kfree_skb(skb);
			err = crak_rst_refuse(r, s->fd, err,
					      "datagram %u not queued: error %d",
					      n, err);
			break;
		}
		n++;
		bytes += d.len;
	}
	WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
	if (err)
		return err;
	crak_rst_count(r, n, bytes);
	return 0;
}

static int crak_udp_restore(struct crak_rst *r, struct socket *sock,
			    const struct crak_sock *s,
			    const struct crak_section *q, u32 nq)
{
	struct sock *sk = sock->sk;
	struct sockaddr_storage ss;
	int err, len;

	if (WARN_ON_ONCE(nq != 1))
		return -EINVAL;
	if (s->udp_gso_size)
		return crak_rst_refuse(r, s->fd, -EOPNOTSUPP,
				       "UDP_SEGMENT not restored yet");
	err = crak_rst_sockopts(r, sock, s);
	if (err)
		return err;
	/*
	 * The recorded datagrams first, while the socket is in no hash table
	 * and nothing else can reach its queue: bound, it would take new
	 * datagrams at once, and one could come before the old ones.
	 */
	err = crak_udp_fill(r, sock, s, q);
	if (err)
		return err;
	/* An autobound port is bound again, so that the peer sees no change. */
	if (s->local_port || (s->opts & CRAK_SO_ADDR_BOUND)) {
		err = crak_rst_bind(r, sock, s);
		if (err)
			return err;
	}
	if (s->state == TCP_ESTABLISHED) {
		len = crak_rst_sockaddr(s, s->peer_addr, s->peer_port, &ss);
		err = kernel_connect(sock, (struct sockaddr *)&ss, len, 0);
		if (err)
			return crak_rst_refuse(r, s->fd, err,
					       "connect to its peer: error %d", err);
	}
	lock_sock(sk);
	sk->sk_userlocks &= ~(SOCK_BINDADDR_LOCK | SOCK_BINDPORT_LOCK);
	if (s->opts & CRAK_SO_ADDR_BOUND)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (s->opts & CRAK_SO_PORT_BOUND)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	if (s->udp_flags & CRAK_UDP_NO_CHECK6_TX)
		udp_set_bit(NO_CHECK6_TX, sk);
	if (s->udp_flags & CRAK_UDP_NO_CHECK6_RX)
		udp_set_bit(NO_CHECK6_RX, sk);
	release_sock(sk);
	return 0;
}

/*
 * A SOCK_CHILD: an established socket built as any, then put into the
 * accept queue of the listener just built before it (listen.c), in repair
 * mode still: no one can accept it before its listener's descriptor is
 * installed, after the last pass.
 */
static int crak_rst_child(struct crak_rst *r, const struct crak_sock *s,
			  const struct crak_section *q, u32 nq)
{
	struct crak_rst_kid *k;
	const u8 *unsent;
	u32 nunsent;
	int err;

	if (!r->listener || r->nkids >= r->maxkids)
		return -EINVAL;
	k = &r->kids[r->nkids];
	err = __sock_create(r->net, s->family, s->type, s->protocol,
			    &k->sock, 0);
	if (err)
		return crak_rst_refuse(r, s->fd, err,
				       "accept queue child: socket(): error %d",
				       err);
	r->nkids++;
	k->sk = k->sock->sk;
	k->s = *s;
	sock_hold(k->sk);
	crak_listen_child_uncharge(k->sk);
	err = crak_tcp_restore(r, k->sock, s, q, nq, &unsent, &nunsent);
	if (err)
		return err;
	/* The last pass has no socket to send them with: image.c refuses. */
	if (WARN_ON_ONCE(nunsent))
		return -EINVAL;
	return crak_listen_attach(r, r->listener, &k->sock, s);
}

/* One socket of a SOCK section, in its entry e: a file, then the rest. */
static int crak_rst_sock(struct crak_rst *r, struct crak_rst_sock *e,
			 const struct crak_sock *s, const struct crak_section *q,
			 u32 nq)
{
	struct socket *sock;
	struct file *file;
	int err;

	err = __sock_create(r->net, s->family, s->type, s->protocol, &sock, 0);
	if (err)
		return crak_rst_refuse(r, s->fd, err, "socket(): error %d", err);
	/*
	 * Its file at once, while a failure releases an empty socket: later,
	 * sock_alloc_file() would release a live connection.
	 */
	file = sock_alloc_file(sock, s->fd_flags & CRAK_FD_NONBLOCK ?
			       O_NONBLOCK : 0, NULL);
	if (IS_ERR(file))
		return crak_rst_refuse(r, s->fd, PTR_ERR(file),
				       "no file for it: error %ld", PTR_ERR(file));
	e->sock = sock;
	e->file = file;
	e->fd = -1;
	e->target_fd = s->fd;
	e->fd_flags = s->fd_flags;
	if (s->protocol == IPPROTO_UDP)
		return crak_udp_restore(r, sock, s, q, nq);
	if (s->state == TCP_LISTEN)
		return crak_listen_restore(r, sock, s);
	err = crak_tcp_restore(r, sock, s, q, nq, &e->unsent, &e->nunsent);
	if (err)
		return err;
	e->repair = true;
	e->s = *s;
	return 0;
}

/*
 * The last pass, once every socket is built: each TCP connection out of
 * repair mode. Not stopped by a signal: it sends at most what the
 * connections have queued, without waiting, and one that stopped in the
 * middle would have spoken for nothing.
 */
static int crak_rst_live(struct crak_rst *r)
{
	u32 i;
	int err;

	for (i = 0; i < r->nkids; i++) {
		struct crak_rst_kid *k = &r->kids[i];

		err = crak_tcp_live(r, k->sk, NULL, &k->s, NULL, 0);
		if (err)
			return err;
		cond_resched();
	}
	for (i = 0; i < r->nsocks; i++) {
		struct crak_rst_sock *e = &r->socks[i];

		if (!e->repair)
			continue;
		err = crak_tcp_live(r, e->sock->sk, e->sock, &e->s, e->unsent,
				    e->nunsent);
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

/*
 * Sockets of the image, each with the SOCK_QUEUE sections that follow it:
 * one pass builds the listeners, with the children that follow each, the
 * other pass every other socket. Listeners go first: a connection on a
 * listener's port, built before it, holds the port, and the listener's
 * bind would fail unless both had SO_REUSEADDR; the other way round, a
 * connection is bound in repair mode, which may share any port. Each
 * socket keeps the entry of its SOCK section's rank, so that the caller
 * still gets the list in the image's order.
 */
static int crak_rst_build(struct crak_rst *r,
			  const struct crak_image_reader *rd0, bool listeners)
{
	struct crak_image_reader rd = *rd0;
	struct crak_section sec, q[4];
	struct crak_sock s;
	u32 nq, rank = 0;
	int more, err;

	r->listener = NULL;
	more = crak_image_next(&rd, &sec);
	while (more > 0) {
		bool child = sec.type == CRAK_SEC_SOCK_CHILD;
		struct crak_rst_sock *e;
		bool listen;

		if (sec.type != CRAK_SEC_SOCK && !child) {
			more = crak_image_next(&rd, &sec);
			continue;
		}
		err = crak_sock_get(&sec, &s);
		if (err)
			return err;
		/* Its queues; sec is then the section after them, if any. */
		for (nq = 0; (more = crak_image_next(&rd, &sec)) > 0 &&
		     sec.type == CRAK_SEC_SOCK_QUEUE; nq++) {
			if (nq == ARRAY_SIZE(q))
				return -EINVAL;
			q[nq] = sec;
		}
		if (more < 0)
			return more;
		if (child) {
			if (listeners) {
				err = crak_rst_child(r, &s, q, nq);
				if (err)
					return err;
			}
			continue;
		}

		if (rank >= r->nsocks)
			return -EINVAL;
		e = &r->socks[rank++];
		listen = s.protocol == IPPROTO_TCP && s.state == TCP_LISTEN;
		r->listener = NULL;
		if (listen != listeners)
			continue;
		err = crak_rst_sock(r, e, &s, q, nq);
		if (err)
			return err;
		if (listen)
			r->listener = e->sock;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return more;
}

/*
 * The number of SOCK sections (every one needs an entry at fds) and of
 * SOCK_CHILD sections.
 */
static u32 crak_rst_count_socks(const struct crak_image_reader *rd0,
				u32 *kids)
{
	struct crak_image_reader rd = *rd0;
	struct crak_section sec;
	u32 n = 0;

	*kids = 0;
	while (crak_image_next(&rd, &sec) > 0) {
		n += sec.type == CRAK_SEC_SOCK;
		*kids += sec.type == CRAK_SEC_SOCK_CHILD;
	}
	return n;
}

/* A descriptor for every socket, then the list to the caller. */
static int crak_rst_hand_over(struct crak_rst *r)
{
	struct crak_restore_fd __user *ufds = u64_to_user_ptr(r->arg.fds);
	struct crak_restore_fd rfd = {};
	u32 i;

	for (i = 0; i < r->nsocks; i++) {
		struct crak_rst_sock *e = &r->socks[i];

		if (WARN_ON_ONCE(!e->file))
			return -EINVAL;
		e->fd = get_unused_fd_flags(O_CLOEXEC);
		if (e->fd < 0)
			return e->fd;
		rfd.fd = e->fd;
		rfd.target_fd = e->target_fd;
		rfd.fd_flags = e->fd_flags;
		if (copy_to_user(&ufds[i], &rfd, sizeof(rfd)))
			return -EFAULT;
	}
	return 0;
}

static void crak_rst_release(struct crak_rst *r, bool installed)
{
	u32 i;

	/*
	 * Children first: silenced before their listener's release drops
	 * them from its queue, or released here if they never joined it.
	 */
	for (i = 0; i < r->nkids; i++) {
		struct crak_rst_kid *k = &r->kids[i];

		if (!installed)
			crak_tcp_quiet(k->sk);
		if (k->sock)
			sock_release(k->sock);
		sock_put(k->sk);
	}
	for (i = 0; i < r->nsocks; i++) {
		struct crak_rst_sock *e = &r->socks[i];
		struct socket *sock;

		if (!e->file)
			continue;	/* not built */
		if (installed) {
			fd_install(e->fd, e->file);
			continue;
		}
		/* A TCP socket in repair mode or live: it must go silently. */
		sock = e->sock;
		if (sock->sk && sock->sk->sk_protocol == IPPROTO_TCP)
			crak_tcp_quiet(sock->sk);
		fput(e->file);
		if (e->fd >= 0)
			put_unused_fd(e->fd);
	}
}

long crak_ioc_restore(struct crak_restore __user *uarg)
{
	struct crak_image_error ierr = {};
	struct crak_image_reader rd;
	struct crak_rst *r;
	bool replied = false;
	u8 *image = NULL;
	u32 need;
	long err;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	if (copy_from_user(&r->arg, uarg, sizeof(r->arg))) {
		err = -EFAULT;
		goto out_free;
	}
	r->arg.sockets = 0;
	r->arg.datagrams = 0;
	r->arg.bytes = 0;
	r->arg.error_fd = -1;
	r->arg.error_section = 0;
	r->arg.error_offset = 0;
	memset(r->arg.error, 0, sizeof(r->arg.error));
	if (r->arg.flags || r->arg.max > CRAK_RESTORE_MAX_FDS) {
		err = -EINVAL;
		goto out_reply;
	}
	if (r->arg.len > CRAK_IMAGE_MAX_LEN) {
		err = -EFBIG;
		goto out_reply;
	}
	r->net = current->nsproxy->net_ns;
	if (!ns_capable(r->net->user_ns, CAP_NET_ADMIN)) {
		err = -EPERM;
		goto out_reply;
	}

	image = kvmalloc(r->arg.len ? : 1, GFP_KERNEL_ACCOUNT);
	if (!image) {
		err = -ENOMEM;
		goto out_reply;
	}
	if (copy_from_user(image, u64_to_user_ptr(r->arg.buf), r->arg.len)) {
		err = -EFAULT;
		goto out_image;
	}
	err = crak_image_open(&rd, image, r->arg.len, &ierr);
	if (err) {
		r->arg.error_section = ierr.section;
		r->arg.error_offset = ierr.offset;
		strscpy(r->arg.error, ierr.what, sizeof(r->arg.error));
		goto out_image;
	}
	need = crak_rst_count_socks(&rd, &r->maxkids);
	if (need > r->arg.max) {
		r->arg.sockets = need;
		strscpy(r->arg.error, "more sockets than entries at fds",
			sizeof(r->arg.error));
		err = -ENOSPC;
		goto out_image;
	}
	r->socks = kvcalloc(need ? : 1, sizeof(*r->socks), GFP_KERNEL_ACCOUNT);
	r->kids = kvcalloc(r->maxkids ? : 1, sizeof(*r->kids), GFP_KERNEL_ACCOUNT);
	if (!r->socks || !r->kids) {
		err = -ENOMEM;
		goto out_socks;
	}

	r->nsocks = need;
	err = crak_rst_build(r, &rd, true);
	if (!err)
		err = crak_rst_build(r, &rd, false);
	/* All that can fail without a word to a peer, before the last pass. */
	if (!err)
		err = crak_rst_hand_over(r);
	if (!err) {
		r->arg.sockets = r->nsocks;
		replied = true;
		if (copy_to_user(uarg, &r->arg, sizeof(r->arg)))
			err = -EFAULT;
	}
	if (!err) {
		err = crak_rst_live(r);
		if (err) {
			r->arg.sockets = 0;
			replied = false;
		}
	}
	/* Installed only now: from here on the caller may close them. */
	crak_rst_release(r, !err);
out_socks:
	kvfree(r->kids);
	kvfree(r->socks);
out_image:
	kvfree(image);
out_reply:
	/* The caller learns why: error_fd and error, or where the image is bad. */
	if (!replied && copy_to_user(uarg, &r->arg, sizeof(r->arg)))
		err = -EFAULT;
out_free:
	kfree(r);
	return err;
}

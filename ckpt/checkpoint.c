// SPDX-License-Identifier: GPL-2.0
/*
 * crak: CRAK_IOC_CHECKPOINT, the sockets of a running process as an image
 * (Documentation/image.md): a TASK section, then per UDP socket a SOCK and
 * a SOCK_QUEUE section, per TCP socket a SOCK and two SOCK_QUEUE sections
 * (tcp.c reads them).
 *
 * The target is not stopped. Each socket is read under its lock, so its
 * addresses and options are consistent in themselves; its receive queue is
 * walked under the queue locks that udp_recvmsg() takes, in the order it
 * reads them (reader_queue, then sk_receive_queue), and each datagram is
 * pinned with a reference, not removed: the target keeps every datagram.
 * The payloads are copied after the queue locks are dropped, into kernel
 * memory; the image is built there and copied to the caller once, with no
 * lock held.
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
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

/* Attempts at pinning a queue that keeps growing past the room counted. */
#define CRAK_PIN_TRIES	8

/* One socket taken: its SOCK payload and its SOCK_QUEUE payloads. */
struct crak_ckpt_sock {
	struct list_head list;
	struct file *file;	/* held: a second fd of it is recognised */
	struct sock *child;	/* held: instead of file, an accept queue child */
	struct crak_sock s;
	u8 *queue[2];		/* kvmalloc'ed; UDP: one, TCP: send, receive */
	u32 queue_len[2];
	u32 nqueues;
	u32 csum_bad[2];	/* UDP: left out, bad checksum: IPv4, IPv6 */
};

struct crak_ckpt {
	struct crak_checkpoint arg;
	struct task_struct *task;
	struct list_head socks;
	struct list_head vnifs;	/* vnif.c's: the VNIF sections */
	bool locked;		/* task's exec_update_lock: crak_target_get() */
	u64 size;		/* of the image so far, headers included */
};

static bool crak_fd_cloexec(struct task_struct *task, unsigned int fd)
{
	struct fdtable *fdt;
	bool ret = false;

	task_lock(task);
	if (task->files) {
		rcu_read_lock();
		fdt = files_fdtable(task->files);
		if (fd < fdt->max_fds)
			ret = close_on_exec(fd, fdt);
		rcu_read_unlock();
	}
	task_unlock(task);
	return ret;
}

static __printf(3, 4) int crak_refuse(struct crak_ckpt *c, int fd,
				       const char *fmt, ...)
{
	va_list ap;
	int n;

	c->arg.error_fd = fd;
	n = scnprintf(c->arg.error, sizeof(c->arg.error), "fd %d: ", fd);
	va_start(ap, fmt);
	vscnprintf(c->arg.error + n, sizeof(c->arg.error) - n, fmt, ap);
	va_end(ap);
	return -EOPNOTSUPP;
}

/* CRAK_CKPT_KILL of a target that is not stopped. */
static int crak_refuse_busy(struct crak_ckpt *c)
{
	c->arg.error_fd = -1;
	strscpy(c->arg.error, "--kill of a target that runs: stop it first (SIGSTOP, ptrace)",
		sizeof(c->arg.error));
	return -EBUSY;
}

/* Addresses, state and options of the common part; under lock_sock. */
static void crak_sock_describe(struct sock *sk, struct crak_sock *s)
{
	const struct inet_sock *inet = inet_sk(sk);
	u32 opts = 0;

	s->family = sk->sk_family;
	s->type = sk->sk_type;
	s->protocol = sk->sk_protocol;
	s->state = sk->sk_state == TCP_ESTABLISHED ? TCP_ESTABLISHED : TCP_CLOSE;
	s->local_port = ntohs(inet->inet_sport);
	s->peer_port = ntohs(inet->inet_dport);
	memcpy(s->local_addr, &inet->inet_rcv_saddr, 4);
	memcpy(s->peer_addr, &inet->inet_daddr, 4);
	s->hops = CRAK_TTL_DEFAULT;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		const struct ipv6_pinfo *np = inet6_sk(sk);

		memcpy(s->local_addr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(s->peer_addr, &sk->sk_v6_daddr, 16);
		s->tclass = np->tclass;
		if (np->hop_limit >= 0)
			s->hops = np->hop_limit;
		if (sk->sk_ipv6only)
			opts |= CRAK_SO_V6ONLY;
	}
#endif
	s->tos = inet->tos;
	s->ttl = inet->uc_ttl < 0 ? CRAK_TTL_DEFAULT : inet->uc_ttl;

	if (sk->sk_reuse)
		opts |= CRAK_SO_REUSEADDR;
	if (sk->sk_reuseport)
		opts |= CRAK_SO_REUSEPORT;
	if (sock_flag(sk, SOCK_BROADCAST))
		opts |= CRAK_SO_BROADCAST;
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		opts |= CRAK_SO_SNDBUF_SET;
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK)
		opts |= CRAK_SO_RCVBUF_SET;
	if (sk->sk_userlocks & SOCK_BINDADDR_LOCK)
		opts |= CRAK_SO_ADDR_BOUND;
	if (sk->sk_userlocks & SOCK_BINDPORT_LOCK)
		opts |= CRAK_SO_PORT_BOUND;
	if (inet->freebind)
		opts |= CRAK_SO_FREEBIND;
	if (inet->transparent)
		opts |= CRAK_SO_TRANSPARENT;
	s->opts = opts;
	s->sndbuf = READ_ONCE(sk->sk_sndbuf);
	s->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	s->priority = READ_ONCE(sk->sk_priority);
	s->mark = READ_ONCE(sk->sk_mark);
	s->rcvlowat = READ_ONCE(sk->sk_rcvlowat);
}

/* Why a UDP socket cannot be taken, or NULL; under lock_sock. */
static const char *crak_udp_refusal(struct sock *sk)
{
	const char *why = crak_sock_device(sk);

	if (why)
		return why;
	if (READ_ONCE(udp_sk(sk)->pending))
		return "with corked output pending (UDP_CORK or MSG_MORE)";
	if (udp_sk(sk)->encap_type || udp_test_bit(ENCAP_ENABLED, sk))
		return "with an encapsulation socket";
	if (udp_test_bit(GRO_ENABLED, sk))
		return "with UDP_GRO not supported";
	if (READ_ONCE(udp_sk(sk)->gso_size))
		return "with UDP_SEGMENT not supported";
	return NULL;
}

/* The UDP part; under lock_sock. */
static void crak_udp_describe(struct sock *sk, struct crak_sock *s)
{
	if (udp_test_bit(NO_CHECK6_TX, sk))
		s->udp_flags |= CRAK_UDP_NO_CHECK6_TX;
	if (udp_test_bit(NO_CHECK6_RX, sk))
		s->udp_flags |= CRAK_UDP_NO_CHECK6_RX;
	s->udp_gso_size = READ_ONCE(udp_sk(sk)->gso_size);
}

static void crak_put_skbs(struct sk_buff **skbs, u32 n)
{
	while (n--)
		consume_skb(skbs[n]);
	kvfree(skbs);
}

/*
 * Pins the datagrams of both receive queues, in the order udp_recvmsg()
 * returns them, without taking them off: *skbs holds a reference to each.
 */
static int crak_udp_pin(struct sock *sk, struct sk_buff ***skbs, u32 *n)
{
	struct sk_buff_head *rq = &udp_sk(sk)->reader_queue;
	struct sk_buff_head *sq = &sk->sk_receive_queue;
	struct sk_buff **arr, *skb;
	u32 room, i, tries;
	bool full;

	for (tries = 0; tries < CRAK_PIN_TRIES; tries++) {
		room = skb_queue_len_lockless(rq) + skb_queue_len_lockless(sq) + 16;
		arr = kvmalloc_array(room, sizeof(*arr), GFP_KERNEL);
		if (!arr)
			return -ENOMEM;
		i = 0;
		full = false;
		spin_lock_bh(&rq->lock);
		spin_lock(&sq->lock);
		skb_queue_walk(rq, skb) {
			if (i == room) {
				full = true;
				break;
			}
			arr[i++] = skb_get(skb);
		}
		if (!full) {
			skb_queue_walk(sq, skb) {
				if (i == room) {
					full = true;
					break;
				}
				arr[i++] = skb_get(skb);
			}
		}
		spin_unlock(&sq->lock);
		spin_unlock_bh(&rq->lock);
		if (!full) {
			*skbs = arr;
			*n = i;
			return 0;
		}
		crak_put_skbs(arr, i);
	}
	return -EAGAIN;
}

/*
 * Whether udp_recvmsg() would drop the datagram for a bad checksum. It
 * verifies, when the device did not, the sum over the payload added to
 * skb->csum (what udp_csum_pull_header() left: the pseudo-header and the
 * UDP header). The same sum is taken here without writing to the skb,
 * which is shared: the target's own reads leave it as it is too.
 */
static bool crak_dgram_csum_bad(struct sk_buff *skb)
{
	if (udp_skb_csum_unnecessary(skb))
		return false;
	return !!csum_fold(csum_add(skb->csum, skb_checksum(skb, 0, skb->len, 0)));
}

/*
 * Datagrams with a bad checksum are left out of the image, as reading
 * would drop them: an image only holds verified datagrams. They stay in
 * the target's queue; counted in e->csum_bad for crak_kill().
 */
static u32 crak_udp_drop_bad(struct crak_ckpt_sock *e, struct sk_buff **skbs,
			     u32 n)
{
	u32 i, kept = 0;

	for (i = 0; i < n; i++) {
		struct sk_buff *skb = skbs[i];

		if (crak_dgram_csum_bad(skb)) {
			e->csum_bad[skb->protocol != htons(ETH_P_IP)]++;
			consume_skb(skb);
			continue;
		}
		skbs[kept++] = skb;
	}
	return kept;
}

/* Whether a queued datagram came from an IPv6 link-local address. */
static bool crak_dgram_linklocal(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (skb->protocol == htons(ETH_P_IPV6))
		return ipv6_addr_type(&ipv6_hdr(skb)->saddr) & IPV6_ADDR_LINKLOCAL;
#endif
	return false;
}

/* Source and destination of a queued datagram, as udp_recvmsg() sees them. */
static void crak_dgram_addrs(struct sk_buff *skb, struct crak_dgram *d)
{
	const struct udphdr *uh = udp_hdr(skb);

	d->sport = ntohs(uh->source);
	d->dport = ntohs(uh->dest);
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		d->family = AF_INET;
		memcpy(d->saddr, &iph->saddr, 4);
		memcpy(d->daddr, &iph->daddr, 4);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		d->family = AF_INET6;
		memcpy(d->saddr, &ip6h->saddr, 16);
		memcpy(d->daddr, &ip6h->daddr, 16);
	}
}

/* The SOCK_QUEUE payload of the pinned datagrams. */
static int crak_udp_queue(struct crak_ckpt *c, struct crak_ckpt_sock *e,
			  struct sk_buff **skbs, u32 n)
{
	u64 len = CRAK_QUEUE_HDR_LEN, bytes = 0, off;
	struct crak_dgram d;
	u32 i;
	int err;

	for (i = 0; i < n; i++) {
		len += crak_dgram_size(skbs[i]->len);
		bytes += skbs[i]->len;
	}
	if (len > U32_MAX || c->size + crak_section_size(crak_sock_len(&e->s)) +
	    crak_section_size((u32)len) > CRAK_IMAGE_MAX_LEN)
		return -EFBIG;
	e->queue[0] = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!e->queue[0])
		return -ENOMEM;
	e->queue_len[0] = len;
	e->nqueues = 1;
	off = crak_queue_put_hdr(e->queue[0], e->s.fd, CRAK_QUEUE_UDP_RECV, n);
	for (i = 0; i < n; i++) {
		struct sk_buff *skb = skbs[i];

		memset(&d, 0, sizeof(d));
		crak_dgram_addrs(skb, &d);
		d.len = skb->len;
		/* udp_queue_rcv_one_skb() pulled the UDP header: data is payload. */
		err = skb_copy_bits(skb, 0, e->queue[0] + off + CRAK_DGRAM_HDR_LEN,
				    skb->len);
		if (err)
			return err;
		off += crak_dgram_put_hdr(e->queue[0] + off, &d);
	}
	e->s.udp_ndgrams = n;
	e->s.udp_bytes = bytes;
	c->arg.datagrams += n;
	return 0;
}

static void crak_free_sock(struct crak_ckpt_sock *e)
{
	if (e->child)
		sock_put(e->child);
	kvfree(e->queue[0]);
	kvfree(e->queue[1]);
	kfree(e);
}

/*
 * A socket taken joins the image, unless the image would grow too big; an
 * accept queue child (file NULL) has no descriptor and is not counted.
 */
static int crak_add_sock(struct crak_ckpt *c, struct crak_ckpt_sock *e,
			 struct file *file)
{
	u64 size = crak_section_size(crak_sock_len(&e->s));
	u32 i;

	for (i = 0; i < e->nqueues; i++)
		size += crak_section_size(e->queue_len[i]);
	if (c->size + size > CRAK_IMAGE_MAX_LEN) {
		crak_free_sock(e);
		return -EFBIG;
	}
	if (file) {
		e->file = get_file(file);
		c->arg.sockets++;
	}
	list_add_tail(&e->list, &c->socks);
	c->size += size;
	return 0;
}

static struct crak_ckpt_sock *crak_new_sock(struct crak_ckpt *c,
					    struct file *file, int fd)
{
	struct crak_ckpt_sock *e;

	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return NULL;
	e->s.fd = fd;
	if (file->f_flags & O_NONBLOCK)
		e->s.fd_flags |= CRAK_FD_NONBLOCK;
	if (crak_fd_cloexec(c->task, fd))
		e->s.fd_flags |= CRAK_FD_CLOEXEC;
	return e;
}

/*
 * Child n of the listener on fd, pinned by listen.c: its state and both
 * queues, under its own lock (the listener's is not held).
 */
static int crak_take_child(struct crak_ckpt *c, struct sock *sk, int fd,
			   u32 n, struct crak_ckpt_sock **ep)
{
	struct crak_ckpt_sock *e;
	const char *why = NULL;
	int err;

	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->s.fd = fd;
	lock_sock(sk);
	crak_sock_describe(sk, &e->s);
	err = crak_tcp_dump(sk, &e->s, e->queue, e->queue_len, &why);
	if (!err && e->s.state != TCP_ESTABLISHED &&
	    e->s.state != TCP_CLOSE_WAIT) {
		why = "closing its side already";
		err = -EOPNOTSUPP;
	}
	/* A link-local peer binds the child to the device it came in on. */
	if (!err) {
		why = crak_sock_device(sk);
		if (why)
			err = -EOPNOTSUPP;
	}
	release_sock(sk);
	if (err) {
		crak_free_sock(e);
		return why ? crak_refuse(c, fd, "connection %u not accepted yet: %s",
					 n, why) : err;
	}
	sock_hold(sk);
	e->child = sk;
	e->nqueues = 2;
	*ep = e;
	return 0;
}

/* A listener's children, taken one by one, join the image after it. */
static int crak_take_children(struct crak_ckpt *c, struct crak_ckpt_sock *e,
			      struct file *file, struct sock **kids, u32 n)
{
	struct crak_ckpt_sock *k, *tmp;
	LIST_HEAD(taken);
	int err = 0;
	u32 i;

	for (i = 0; i < n && !err; i++) {
		err = crak_take_child(c, kids[i], e->s.fd, i, &k);
		if (!err)
			list_add_tail(&k->list, &taken);
		cond_resched();
	}
	if (err)
		crak_free_sock(e);
	else
		err = crak_add_sock(c, e, file);
	list_for_each_entry_safe(k, tmp, &taken, list) {
		list_del(&k->list);
		if (err)
			crak_free_sock(k);
		else
			err = crak_add_sock(c, k, NULL);
	}
	return err;
}

/* A TCP socket: its state and both queues, read under its lock. */
static int crak_take_tcp(struct crak_ckpt *c, struct file *file,
			 struct sock *sk, int fd)
{
	struct crak_ckpt_sock *e;
	struct sock **kids = NULL;
	const char *why = NULL;
	u32 nkids = 0;
	int err;

	e = crak_new_sock(c, file, fd);
	if (!e)
		return -ENOMEM;
	lock_sock(sk);
	crak_sock_describe(sk, &e->s);
	/* The state is refused first, as CRAK_IOC_INSPECT's verdict has it. */
	if (sk->sk_state == TCP_LISTEN) {
		why = crak_sock_device(sk);
		err = why ? -EOPNOTSUPP :
		      crak_listen_dump(sk, &e->s, &kids, &nkids, &why);
	} else {
		err = crak_tcp_dump(sk, &e->s, e->queue, e->queue_len, &why);
		if (!err) {
			why = crak_sock_device(sk);
			if (why)
				err = -EOPNOTSUPP;
		}
	}
	release_sock(sk);
	if (err) {
		crak_free_sock(e);
		return why ? crak_refuse(c, fd, "%s", why) : err;
	}
	if (e->s.state == TCP_LISTEN) {
		err = crak_take_children(c, e, file, kids, nkids);
		crak_listen_put(kids, nkids);
		return err;
	}
	e->nqueues = 2;
	return crak_add_sock(c, e, file);
}

/* Takes one socket: 0, -EOPNOTSUPP (message in c->arg) or an error. */
static int crak_take_sock(struct crak_ckpt *c, struct file *file,
			  struct socket *sock, int fd)
{
	struct crak_ckpt_sock *e, *prev;
	struct sk_buff **skbs = NULL;
	struct sock *sk = sock->sk;
	const char *why = NULL;
	u32 n = 0, i;
	int err = 0;

	list_for_each_entry(prev, &c->socks, list) {
		if (prev->file && prev->file->private_data == sock)
			return crak_refuse(c, fd, "same socket as fd %u (shared: not yet)",
					   prev->s.fd);
		/* A running target accepted it since its listener was read. */
		if (prev->child && prev->child == sk)
			return crak_refuse(c, fd,
					   "accepted during the checkpoint, as a child of fd %u",
					   prev->s.fd);
	}
	if (!sk)
		return crak_refuse(c, fd, "socket being closed");
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return crak_refuse(c, fd, "not an IPv4 or IPv6 socket (family %u)",
				   sk->sk_family);
	if (sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP) {
		/*
		 * --kill silences the connection, or a listener's children:
		 * another process that has the socket too would be left with
		 * a dead one. Held once by the target's descriptor table and
		 * once by crak_walk_fds(); more is another table (fork,
		 * pidfd_getfd()), a descriptor in flight (SCM_RIGHTS), an
		 * io_uring, or a second descriptor of the target.
		 */
		if ((c->arg.flags & CRAK_CKPT_KILL) && file_count(file) > 2)
			return crak_refuse(c, fd,
					   "TCP socket open elsewhere too: --kill would break it");
		return crak_take_tcp(c, file, sk, fd);
	}
	if (sk->sk_type != SOCK_DGRAM || sk->sk_protocol != IPPROTO_UDP)
		return crak_refuse(c, fd, "neither UDP nor TCP (type %u, protocol %u)",
				   sk->sk_type, sk->sk_protocol);

	e = crak_new_sock(c, file, fd);
	if (!e)
		return -ENOMEM;

	lock_sock(sk);
	why = crak_udp_refusal(sk);
	if (!why) {
		crak_sock_describe(sk, &e->s);
		crak_udp_describe(sk, &e->s);
		err = crak_udp_pin(sk, &skbs, &n);
	}
	release_sock(sk);
	if (why) {
		kfree(e);
		return crak_refuse(c, fd, "UDP socket %s", why);
	}
	if (err) {
		kfree(e);
		return err;
	}
	for (i = 0; i < n; i++)
		if (skb_is_gso(skbs[i]) || skbs[i]->len > CRAK_DGRAM_MAX_LEN)
			break;
	if (i < n) {
		crak_put_skbs(skbs, n);
		kfree(e);
		return crak_refuse(c, fd, "UDP socket with an aggregated (GRO) datagram queued");
	}
	/* recvfrom() gives such a source its interface, as the scope id. */
	for (i = 0; i < n; i++)
		if (crak_dgram_linklocal(skbs[i]))
			break;
	if (i < n) {
		crak_put_skbs(skbs, n);
		kfree(e);
		return crak_refuse(c, fd, "UDP socket with a datagram from a link-local source");
	}
	n = crak_udp_drop_bad(e, skbs, n);
	err = crak_udp_queue(c, e, skbs, n);
	crak_put_skbs(skbs, n);
	if (err) {
		crak_free_sock(e);
		return err;
	}
	return crak_add_sock(c, e, file);
}

static int crak_walk_fds(struct crak_ckpt *c)
{
	unsigned int fd;
	int err = 0;

	for (fd = 0;; fd++) {
		struct socket *sock;
		struct file *file;

		file = crak_next_file(c->task, &fd);
		if (!file)
			break;
		sock = sock_from_file(file);
		if (sock) {
			err = crak_take_sock(c, file, sock, fd);
			if (err == -EOPNOTSUPP &&
			    (c->arg.flags & CRAK_CKPT_SKIP_UNSUPPORTED)) {
				c->arg.skipped++;
				c->arg.error_fd = -1;
				memset(c->arg.error, 0, sizeof(c->arg.error));
				err = 0;
			}
		}
		fput(file);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		if (err)
			break;
		cond_resched();
	}
	return err;
}

/*
 * After the sockets, the inner vnif ends of the target's namespace
 * (vnif.c): what they are and a copy of what their pairs hold.
 */
static int crak_take_vnifs(struct crak_ckpt *c)
{
	struct net *net;
	int err;

	net = crak_task_net(c->task);
	if (!net)
		return -ESRCH;
	err = crak_vnif_take(net, &c->vnifs, &c->size, c->arg.error,
			     sizeof(c->arg.error));
	put_net(net);
	return err;
}

static int crak_build(struct crak_ckpt *c, u8 **imagep)
{
	struct crak_image_writer w;
	struct crak_ckpt_sock *e;
	u8 sbuf[CRAK_SOCK_COMMON_LEN + CRAK_SOCK_TCP_LEN];
	u32 i;
	u8 tbuf[CRAK_TASK_LEN];
	struct crak_task t = {};
	u8 *image;
	int err;

	image = kvmalloc(c->size, GFP_KERNEL_ACCOUNT);
	if (!image)
		return -ENOMEM;
	t.pid = c->arg.pid;
	t.nsockets = c->arg.sockets;
	t.start_time = c->task->start_boottime;
	__get_task_comm(t.comm, sizeof(t.comm), c->task);
	crak_image_writer_init(&w, image, c->size);
	err = crak_image_add(&w, CRAK_SEC_TASK, tbuf, crak_task_put(tbuf, &t));
	list_for_each_entry(e, &c->socks, list) {
		if (err)
			break;
		err = crak_image_add(&w, e->child ? CRAK_SEC_SOCK_CHILD :
				     CRAK_SEC_SOCK, sbuf,
				     crak_sock_put(sbuf, &e->s));
		for (i = 0; !err && i < e->nqueues; i++)
			err = crak_image_add(&w, CRAK_SEC_SOCK_QUEUE, e->queue[i],
					     e->queue_len[i]);
	}
	if (!err)
		err = crak_vnif_write(&w, &c->vnifs);
	if (!err)
		err = crak_image_finish(&w);
	if (!err && WARN_ON_ONCE(w.len != c->size))
		err = -EINVAL;
	if (err) {
		kvfree(image);
		return err;
	}
	*imagep = image;
	return 0;
}

/*
 * The datagrams a checkpoint left out for a bad checksum die with the
 * target: counted as udp_recvmsg() would have counted them.
 */
static void crak_count_csum_bad(struct sock *sk, const struct crak_ckpt_sock *e)
{
	struct net *net = sock_net(sk);
	u32 i;

	for (i = 0; i < e->csum_bad[0]; i++) {
		UDP_INC_STATS(net, UDP_MIB_CSUMERRORS, 0);
		UDP_INC_STATS(net, UDP_MIB_INERRORS, 0);
	}
#if IS_ENABLED(CONFIG_IPV6)
	for (i = 0; i < e->csum_bad[1]; i++) {
		UDP6_INC_STATS(net, UDP_MIB_CSUMERRORS, 0);
		UDP6_INC_STATS(net, UDP_MIB_INERRORS, 0);
	}
#endif
}

/*
 * CRAK_CKPT_KILL: the image is with the caller. Every TCP connection
 * taken, the children of listeners included, goes into repair mode, so
 * that closing it, when the target dies, sends neither FIN nor RST: the
 * connection lives on in the restored socket. A listener is left as it is:
 * its close drops its children silently then. Then the whole target is
 * killed.
 */
static void crak_kill(struct crak_ckpt *c)
{
	struct crak_ckpt_sock *e;
	struct socket *sock;

	list_for_each_entry(e, &c->socks, list) {
		if (e->child) {
			crak_tcp_quiet(e->child);
			continue;
		}
		sock = sock_from_file(e->file);
		if (e->s.protocol == IPPROTO_UDP && sock && sock->sk)
			crak_count_csum_bad(sock->sk, e);
		if (e->s.protocol == IPPROTO_TCP && e->s.state != TCP_LISTEN &&
		    sock && sock->sk)
			crak_tcp_quiet(sock->sk);
	}
	kill_pid(task_tgid(c->task), SIGKILL, 1);
}

long crak_ioc_checkpoint(struct crak_checkpoint __user *uarg)
{
	struct crak_ckpt_sock *e, *tmp;
	struct crak_ckpt *c;
	u8 *image = NULL;
	long err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	INIT_LIST_HEAD(&c->socks);
	INIT_LIST_HEAD(&c->vnifs);
	if (copy_from_user(&c->arg, uarg, sizeof(c->arg))) {
		err = -EFAULT;
		goto out_free;
	}
	if (c->arg.flags & ~CRAK_CKPT_ALL) {
		err = -EINVAL;
		goto out_free;
	}
	c->arg.error_fd = -1;
	c->arg.sockets = 0;
	c->arg.skipped = 0;
	c->arg.datagrams = 0;
	memset(c->arg.error, 0, sizeof(c->arg.error));

	c->task = crak_target_get(c->arg.pid, c->arg.start_time);
	if (IS_ERR(c->task)) {
		err = PTR_ERR(c->task);
		goto out_free;
	}
	c->locked = true;
	c->arg.start_time = c->task->start_boottime;
	c->size = CRAK_IMAGE_HDR_LEN + crak_section_size(CRAK_TASK_LEN);
	/* SIGKILL to the first process would take the machine down with it. */
	if ((c->arg.flags & CRAK_CKPT_KILL) && is_global_init(c->task)) {
		err = -EPERM;
		goto out;
	}
	/*
	 * A target that runs may write to a socket already read, or accept
	 * a connection the image has in its listener's queue: killed, what
	 * it did in between would be lost.
	 */
	if ((c->arg.flags & CRAK_CKPT_KILL) && !crak_target_stopped(c->task)) {
		err = crak_refuse_busy(c);
		goto out;
	}

	err = crak_walk_fds(c);
	if (err)
		goto out;
	err = crak_take_vnifs(c);
	/*
	 * What the access check allowed is read: the build, the copy to a
	 * buffer the caller chose (it may fault for as long as the caller
	 * likes) and the kill need the task, not its exec to wait.
	 */
	crak_target_unlock(c->task);
	c->locked = false;
	if (err)
		goto out;
	if (c->size > c->arg.len) {
		c->arg.len = c->size;
		err = -ENOSPC;
		goto out;
	}
	err = crak_build(c, &image);
	if (err)
		goto out;
	if (copy_to_user(u64_to_user_ptr(c->arg.buf), image, c->size))
		err = -EFAULT;
	else
		c->arg.len = c->size;
	kvfree(image);
	/* Resumed meanwhile? Then the image may miss what it did: no kill. */
	if (!err && (c->arg.flags & CRAK_CKPT_KILL)) {
		if (crak_target_stopped(c->task))
			crak_kill(c);
		else
			err = crak_refuse_busy(c);
	}

out:
	if (c->locked)
		crak_target_unlock(c->task);
	put_task_struct(c->task);
	list_for_each_entry_safe(e, tmp, &c->socks, list) {
		if (e->file)
			fput(e->file);
		crak_free_sock(e);
	}
	crak_vnif_free(&c->vnifs);
	/* The caller learns why too: error_fd, error, or the length needed. */
	if (err != -EFAULT && copy_to_user(uarg, &c->arg, sizeof(c->arg)))
		err = -EFAULT;
out_free:
	kfree(c);
	return err;
}

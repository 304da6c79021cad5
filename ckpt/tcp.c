// SPDX-License-Identifier: GPL-2.0
/*
 * crak: TCP sockets, taken into an image and built again from one.
 *
 * Checkpoint reads a socket under its lock: while the caller owns it, the
 * stack queues incoming segments on the backlog and defers its timers, so
 * the sequence numbers and the queues hold still. The send queue is the
 * retransmission tree then the write queue, from snd_una (the first skb
 * may start before it: a partly acknowledged skb is not trimmed); the
 * receive queue is read from copied_seq to rcv_nxt. The out-of-order queue
 * is only counted (Documentation/image.md says why that is safe).
 *
 * Restore drives the kernel's own TCP_REPAIR through the socket's
 * setsockopt with kernel pointers, which needs CAP_NET_ADMIN in the
 * namespace, as restore.c checks. In repair mode nothing reaches the peer:
 * bind and connect build the connection without a handshake, the receive
 * queue and the sent bytes are queued without being transmitted. It is
 * done in two steps, so that restore.c can build every socket of an image
 * before any of them speaks. crak_tcp_restore() builds the connection up
 * to TCP_REPAIR_WINDOW and leaves it in repair mode, its retransmission
 * timer disarmed (queuing the sent bytes arms it, and it would retransmit
 * in repair mode too); it says where its bytes never sent are in the
 * image. crak_tcp_live(), restore.c's last pass, turns repair off (that
 * sends one window probe, an ACK, in ESTABLISHED), arms the timer again
 * for the bytes in flight, sets the closing state, sends the bytes never
 * sent like any write, and the FIN of a socket shut down for writing after
 * them, then the options. It works on the sock, not its socket: an accept
 * queue child has lost its socket to the listener by then, and has
 * nothing to send (image.c refuses a child with bytes to send or a FIN).
 *
 * A restore that fails leaves the socket in repair mode, turning it on
 * again if it was already off, before restore.c releases it: tcp_close()
 * of a socket in repair mode disconnects it silently, so a failed restore
 * sends neither FIN nor RST to the peer.
 */

#include <linux/errno.h>
#include <linux/in.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sockptr.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "crak.h"
#include "image.h"

/* What tcp_send_rcvq() takes at once; more would be refused as too big. */
#define CRAK_TCP_CHUNK	(64U << 10)

static bool crak_tcp_fin_rcvd(u8 state)
{
	return state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK ||
	       state == TCP_CLOSING;
}

static bool crak_tcp_fin_unacked(u8 state)
{
	return state == TCP_FIN_WAIT1 || state == TCP_LAST_ACK ||
	       state == TCP_CLOSING;
}

/*
 * Copies the data bytes [seq, seq + len) of the skbs walked in sequence
 * order; returns the bytes copied so far, in *done.
 */
static int crak_tcp_copy_skb(struct sk_buff *skb, u32 *seq, u8 *buf,
			     u32 len, u32 *done)
{
	u32 start = TCP_SKB_CB(skb)->seq, off, n;

	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)
		start++;
	if (!skb->len || !after(start + skb->len, *seq) || *done == len)
		return 0;
	if (after(start, *seq))
		return -EIO;	/* a hole where the sequence numbers say data */
	off = *seq - start;
	n = min(skb->len - off, len - *done);
	if (skb_copy_bits(skb, off, buf + *done, n))
		return -EIO;
	*done += n;
	*seq += n;
	return 0;
}

static int crak_tcp_copy_sndq(struct sock *sk, u32 seq, u8 *buf, u32 len)
{
	struct sk_buff *skb;
	u32 done = 0;
	int err;

	skb_rbtree_walk(skb, &sk->tcp_rtx_queue) {
		err = crak_tcp_copy_skb(skb, &seq, buf, len, &done);
		if (err)
			return err;
	}
	skb_queue_walk(&sk->sk_write_queue, skb) {
		err = crak_tcp_copy_skb(skb, &seq, buf, len, &done);
		if (err)
			return err;
	}
	return done == len ? 0 : -EIO;
}

static int crak_tcp_copy_rcvq(struct sock *sk, u32 seq, u8 *buf, u32 len)
{
	struct sk_buff *skb;
	u32 done = 0;
	int err;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		err = crak_tcp_copy_skb(skb, &seq, buf, len, &done);
		if (err)
			return err;
	}
	return done == len ? 0 : -EIO;
}

/* A queue's SOCK_QUEUE payload: its header, then its bytes. */
static u8 *crak_tcp_queue_alloc(u32 fd, u16 kind, u32 n, u32 *len)
{
	u8 *p;

	if (n > U32_MAX - CRAK_QUEUE_HDR_LEN)
		return NULL;
	p = kvmalloc(CRAK_QUEUE_HDR_LEN + n, GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	crak_queue_put_hdr(p, fd, kind, n);
	*len = CRAK_QUEUE_HDR_LEN + n;
	return p;
}

/* Why a TCP socket cannot be taken, or NULL; under lock_sock. */
static const char *crak_tcp_refusal(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
	case TCP_CLOSE_WAIT:
	case TCP_LAST_ACK:
	case TCP_CLOSING:
		break;
	case TCP_LISTEN:
		return "TCP LISTEN not yet";
	case TCP_CLOSE:
		return "TCP socket not connected (CLOSE)";
	default:
		return "TCP socket in the middle of a handshake or in TIME_WAIT";
	}
	if (tp->repair)
		return "TCP socket already in repair mode";
	if (tp->urg_data)
		return "TCP socket with urgent data";
	if (inet_csk(sk)->icsk_ulp_ops)
		return "TCP socket with an upper layer protocol (kTLS...)";
	if (rcu_access_pointer(tp->fastopen_rsk) || tp->fastopen_req)
		return "TCP socket with Fast Open under way";
#ifdef CONFIG_TCP_MD5SIG
	if (rcu_access_pointer(tp->md5sig_info))
		return "TCP socket with MD5 signatures";
#endif
	return NULL;
}

/* The TCP part of s, from the socket; under lock_sock. */
static void crak_tcp_describe(struct sock *sk, struct crak_sock *s)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	struct crak_tcp *t = &s->tcp;
	struct sk_buff *skb;

	s->state = sk->sk_state;
	t->snd_una = tp->snd_una;
	t->snd_nxt = tp->snd_nxt;
	t->write_seq = tp->write_seq;
	t->rcv_nxt = tp->rcv_nxt;
	t->copied_seq = tp->copied_seq;
	t->snd_wl1 = tp->snd_wl1;
	t->snd_wnd = tp->snd_wnd;
	t->max_window = tp->max_window;
	t->rcv_wnd = tp->rcv_wnd;
	t->rcv_wup = tp->rcv_wup;
	t->mss_clamp = tp->rx_opt.mss_clamp;
	if (tp->rx_opt.wscale_ok) {
		t->opts |= CRAK_TCP_WSCALE;
		t->snd_wscale = tp->rx_opt.snd_wscale;
		t->rcv_wscale = tp->rx_opt.rcv_wscale;
	}
	if (tp->rx_opt.sack_ok & TCP_SACK_SEEN)
		t->opts |= CRAK_TCP_SACK;
	if (tp->rx_opt.tstamp_ok)
		t->opts |= CRAK_TCP_TIMESTAMPS;
	if (tp->nonagle & TCP_NAGLE_OFF)
		t->opts |= CRAK_TCP_NODELAY;
	if (tp->nonagle & TCP_NAGLE_CORK)
		t->opts |= CRAK_TCP_CORK;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		t->opts |= CRAK_TCP_KEEPALIVE;
	if (sock_flag(sk, SOCK_LINGER)) {
		t->opts |= CRAK_TCP_LINGER;
		t->linger = min_t(unsigned long, sk->sk_lingertime / HZ,
				  0x7fffffff);
	}
	t->ts_val = tcp_time_stamp_raw() + tp->tsoffset;
	t->ts_recent = tp->rx_opt.ts_recent;
	t->srtt_us = tp->srtt_us;
	t->mdev_us = tp->mdev_us;
	t->rto_ms = jiffies_to_msecs(icsk->icsk_rto);
	t->cwnd = tcp_snd_cwnd(tp);
	t->ssthresh = tp->snd_ssthresh;
	t->keepidle = tp->keepalive_time / HZ;
	t->keepintvl = tp->keepalive_intvl / HZ;
	t->keepcnt = tp->keepalive_probes;
	t->user_timeout = min_t(u32, icsk->icsk_user_timeout, 0x7fffffff);
	t->notsent_lowat = tp->notsent_lowat;
	t->send_bytes = crak_tcp_send_bytes(s);
	t->recv_bytes = crak_tcp_recv_bytes(s);
	skb_rbtree_walk(skb, &tp->out_of_order_queue)
		t->ofo_bytes += skb->len;
}

int crak_tcp_dump(struct sock *sk, struct crak_sock *s, u8 **queue,
		  u32 *queue_len, const char **why)
{
	int err;

	*why = crak_tcp_refusal(sk);
	if (*why)
		return -EOPNOTSUPP;
	crak_tcp_describe(sk, s);
	queue[0] = crak_tcp_queue_alloc(s->fd, CRAK_QUEUE_TCP_SEND,
					s->tcp.send_bytes, &queue_len[0]);
	queue[1] = crak_tcp_queue_alloc(s->fd, CRAK_QUEUE_TCP_RECV,
					s->tcp.recv_bytes, &queue_len[1]);
	if (!queue[0] || !queue[1]) {
		err = -ENOMEM;
		goto free_queues;
	}
	err = crak_tcp_copy_sndq(sk, s->tcp.snd_una,
				 queue[0] + CRAK_QUEUE_HDR_LEN,
				 s->tcp.send_bytes);
	if (!err)
		err = crak_tcp_copy_rcvq(sk, s->tcp.copied_seq,
					 queue[1] + CRAK_QUEUE_HDR_LEN,
					 s->tcp.recv_bytes);
	if (err) {
		*why = "TCP queues do not match their sequence numbers";
		err = -EOPNOTSUPP;
		goto free_queues;
	}
	return 0;

free_queues:
	kvfree(queue[0]);
	kvfree(queue[1]);
	queue[0] = NULL;
	queue[1] = NULL;
	return err;
}

void crak_tcp_quiet(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	lock_sock(sk);
	tp->repair = 1;
	tp->repair_queue = TCP_NO_QUEUE;
	release_sock(sk);
}

/* Restore */

static int crak_tcp_set(struct socket *sock, int opt, const void *val,
			unsigned int len)
{
	return sock->ops->setsockopt(sock, SOL_TCP, opt,
				     KERNEL_SOCKPTR((void *)val), len);
}

static int crak_tcp_set_int(struct socket *sock, int opt, int val)
{
	return crak_tcp_set(sock, opt, &val, sizeof(val));
}

/* Sends len bytes of buf in chunks; in repair mode, into the queue chosen. */
static int crak_tcp_send(struct socket *sock, const u8 *buf, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec;
	u32 done = 0;
	int n;

	while (done < len) {
		vec.iov_base = (void *)(buf + done);
		vec.iov_len = min(len - done, CRAK_TCP_CHUNK);
		n = kernel_sendmsg(sock, &msg, &vec, 1, vec.iov_len);
		if (n < 0)
			return n;
		if (!n)
			return -EIO;
		done += n;
	}
	return 0;
}

/*
 * The bytes sent already, into the retransmission queue (repair mode, send
 * queue), under one hold of the socket's lock: queuing them arms the
 * retransmission and loss probe timer, which would send the last of them
 * to the peer in repair mode too, and the socket waits for the last pass
 * (crak_tcp_live()) in repair mode. The timer is disarmed before the lock
 * is let go, so that it finds nothing to do when it runs;
 * crak_tcp_live() arms it again once repair mode is off.
 */
static int crak_tcp_queue_sent(struct sock *sk, const u8 *buf, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };
	int n = 0;

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &vec, 1, len);
	lock_sock(sk);
	while (msg_data_left(&msg)) {
		n = tcp_sendmsg_locked(sk, &msg, msg_data_left(&msg));
		if (n <= 0)
			break;
	}
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	release_sock(sk);
	if (n < 0)
		return n;
	return msg_data_left(&msg) ? -EIO : 0;
}

/* The peer's FIN, not read yet: queued after the data, as tcp_fin() does. */
static int crak_tcp_queue_fin(struct sock *sk, u32 seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	int err = 0;

	skb = alloc_skb(0, GFP_KERNEL_ACCOUNT);
	if (!skb)
		return -ENOMEM;
	lock_sock(sk);
	if (tp->rcv_nxt != seq) {
		err = -EIO;
	} else if (!sk_rmem_schedule(sk, skb, skb->truesize)) {
		err = -ENOBUFS;
	} else {
		TCP_SKB_CB(skb)->seq = seq;
		TCP_SKB_CB(skb)->end_seq = seq + 1;
		TCP_SKB_CB(skb)->tcp_flags = TCPHDR_FIN | TCPHDR_ACK;
		skb_set_owner_r(skb, sk);
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		WRITE_ONCE(tp->rcv_nxt, seq + 1);
		skb = NULL;
	}
	release_sock(sk);
	kfree_skb(skb);
	return err;
}

/* What TCP_REPAIR does not restore, written as the stack keeps it. */
static void crak_tcp_set_fields(struct sock *sk, const struct crak_tcp *t)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 rto;

	lock_sock(sk);
	if (t->opts & CRAK_TCP_TIMESTAMPS) {
		tp->rx_opt.ts_recent = t->ts_recent;
		tp->rx_opt.ts_recent_stamp = ktime_get_seconds();
	}
	if (t->srtt_us) {
		tp->srtt_us = t->srtt_us;
		tp->mdev_us = t->mdev_us;
		tp->mdev_max_us = max_t(u32, t->mdev_us,
					jiffies_to_usecs(TCP_RTO_MIN));
		tp->rttvar_us = tp->mdev_max_us;
	}
	rto = msecs_to_jiffies(t->rto_ms);
	if (t->rto_ms)
		icsk->icsk_rto = clamp_t(u32, rto, TCP_RTO_MIN, TCP_RTO_MAX);
	if (t->cwnd)
		tcp_snd_cwnd_set(tp, t->cwnd);
	if (t->ssthresh)
		tp->snd_ssthresh = t->ssthresh;
	release_sock(sk);
}

/*
 * Room for the queues: they fitted on the old host, they must fit here,
 * where an skb may hold the same bytes with another truesize. Raised only
 * while they are queued: crak_tcp_settle_room() sets the buffers back.
 */
static void crak_tcp_make_room(struct sock *sk, const struct crak_sock *s)
{
	u32 snd = max_t(u32, s->sndbuf, 2 * s->tcp.send_bytes + SOCK_MIN_SNDBUF);
	u32 rcv = max_t(u32, s->rcvbuf, 2 * s->tcp.recv_bytes + SOCK_MIN_RCVBUF);

	lock_sock(sk);
	if (snd > READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, min_t(u32, snd, INT_MAX));
	if (rcv > READ_ONCE(sk->sk_rcvbuf))
		WRITE_ONCE(sk->sk_rcvbuf, min_t(u32, rcv, INT_MAX));
	release_sock(sk);
}

/*
 * Once the queues are in, each buffer as it was recorded. A size the user
 * set (SO_SNDBUF, SO_RCVBUF) is his, and stays locked. One he did not set
 * is what the kernel's auto-tuning had reached for this connection: kept
 * too, capped by this namespace's tcp_wmem[2] / tcp_rmem[2] as auto-tuning
 * is, and left to it from there. Not the sysctl's initial size: a receive
 * buffer smaller than the window already offered to the peer would make
 * the stack prune bytes the peer was allowed to send. The window clamp
 * follows the receive buffer, as tcp_init_buffer_space() has it.
 */
static void crak_tcp_settle_room(struct sock *sk, const struct crak_sock *s)
{
	const struct net *net = sock_net(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 snd = s->sndbuf, rcv = s->rcvbuf;

	if (!(s->opts & CRAK_SO_SNDBUF_SET))
		snd = min_t(u32, snd, READ_ONCE(net->ipv4.sysctl_tcp_wmem[2]));
	if (!(s->opts & CRAK_SO_RCVBUF_SET))
		rcv = min_t(u32, rcv, READ_ONCE(net->ipv4.sysctl_tcp_rmem[2]));
	lock_sock(sk);
	WRITE_ONCE(sk->sk_sndbuf, clamp_t(u32, snd, SOCK_MIN_SNDBUF, INT_MAX));
	WRITE_ONCE(sk->sk_rcvbuf, clamp_t(u32, rcv, SOCK_MIN_RCVBUF, INT_MAX));
	tp->window_clamp = min_t(u32, tp->window_clamp, tcp_full_space(sk));
	tp->rcv_ssthresh = min(tp->rcv_ssthresh, tp->window_clamp);
	release_sock(sk);
}

static int crak_tcp_connect(struct socket *sock, const struct crak_sock *s)
{
	struct sockaddr_storage ss = {};
	int len;

	if (s->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(s->peer_port);
		memcpy(&sin->sin_addr, s->peer_addr, 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(s->peer_port);
		memcpy(&sin6->sin6_addr, s->peer_addr, 16);
		len = sizeof(*sin6);
	}
	return kernel_connect(sock, (struct sockaddr *)&ss, len, 0);
}

static int crak_tcp_repair_options(struct socket *sock,
				   const struct crak_tcp *t)
{
	struct tcp_repair_opt opts[4];
	int n = 0;

	opts[n].opt_code = TCPOPT_MSS;
	opts[n++].opt_val = t->mss_clamp;
	if (t->opts & CRAK_TCP_WSCALE) {
		opts[n].opt_code = TCPOPT_WINDOW;
		opts[n++].opt_val = t->snd_wscale | (u32)t->rcv_wscale << 16;
	}
	if (t->opts & CRAK_TCP_SACK) {
		opts[n].opt_code = TCPOPT_SACK_PERM;
		opts[n++].opt_val = 0;
	}
	if (t->opts & CRAK_TCP_TIMESTAMPS) {
		opts[n].opt_code = TCPOPT_TIMESTAMP;
		opts[n++].opt_val = 0;
	}
	return crak_tcp_set(sock, TCP_REPAIR_OPTIONS, opts, n * sizeof(opts[0]));
}

/* The state the socket had, once its queues and windows are back. */
static void crak_tcp_close_state(struct sock *sk, u8 state)
{
	lock_sock(sk);
	if (crak_tcp_fin_rcvd(state) && sk->sk_state == TCP_ESTABLISHED) {
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sock_set_flag(sk, SOCK_DONE);
		tcp_set_state(sk, TCP_CLOSE_WAIT);
	}
	if (state == TCP_FIN_WAIT2) {
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | SEND_SHUTDOWN);
		tcp_set_state(sk, TCP_FIN_WAIT2);
	}
	release_sock(sk);
}

/* The options of the TCP part, last, as the application had set them. */
static int crak_tcp_options(struct sock *sk, const struct crak_tcp *t)
{
	int err = 0;

	if (t->opts & CRAK_TCP_NODELAY)
		tcp_sock_set_nodelay(sk);
	if (t->opts & CRAK_TCP_CORK)
		tcp_sock_set_cork(sk, true);
	if (t->opts & CRAK_TCP_KEEPALIVE)
		sock_set_keepalive(sk);
	if (t->keepidle)
		err = tcp_sock_set_keepidle(sk, t->keepidle);
	if (!err && t->keepintvl)
		err = tcp_sock_set_keepintvl(sk, t->keepintvl);
	if (!err && t->keepcnt)
		err = tcp_sock_set_keepcnt(sk, t->keepcnt);
	if (err)
		return err;
	if (t->user_timeout)
		tcp_sock_set_user_timeout(sk, t->user_timeout);
	lock_sock(sk);
	if (t->opts & CRAK_TCP_LINGER) {
		/* 0x7fffffff s: a linger without end, as SO_LINGER records it. */
		sk->sk_lingertime = t->linger == 0x7fffffff ?
				    MAX_SCHEDULE_TIMEOUT :
				    (unsigned long)t->linger * HZ;
		sock_set_flag(sk, SOCK_LINGER);
	}
	WRITE_ONCE(tcp_sk(sk)->notsent_lowat, t->notsent_lowat);
	release_sock(sk);
	return 0;
}

int crak_tcp_restore(struct crak_rst *r, struct socket *sock,
		     const struct crak_sock *s, const struct crak_section *q,
		     u32 nq, const u8 **unsent, u32 *nunsent)
{
	const struct crak_tcp *t = &s->tcp;
	struct tcp_repair_window win = {
		.snd_wl1 = t->snd_wl1,
		.snd_wnd = t->snd_wnd,
		.max_window = t->max_window,
		.rcv_wnd = t->rcv_wnd,
		.rcv_wup = t->rcv_wup,
	};
	struct sock *sk = sock->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	struct crak_queue sq, rq;
	const char *step;
	u32 sent;
	int err;

	if (WARN_ON_ONCE(nq != 2) || crak_queue_get(&q[0], &sq) ||
	    crak_queue_get(&q[1], &rq))
		return -EINVAL;
	sent = crak_tcp_sent_bytes(s);

	err = crak_rst_sockopts(r, sock, s);
	if (err)
		return err;
	crak_tcp_make_room(sk, s);
	step = "TCP_REPAIR on";
	err = crak_tcp_set_int(sock, TCP_REPAIR, TCP_REPAIR_ON);
	if (err)
		goto refuse;
	err = crak_rst_bind(r, sock, s);
	if (err)
		return err;

	step = "receive queue sequence";
	err = crak_tcp_set_int(sock, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE);
	if (!err)
		err = crak_tcp_set_int(sock, TCP_QUEUE_SEQ, t->copied_seq);
	if (err)
		goto refuse;
	step = "send queue sequence";
	err = crak_tcp_set_int(sock, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE);
	if (!err)
		err = crak_tcp_set_int(sock, TCP_QUEUE_SEQ, t->snd_una);
	if (err)
		goto refuse;
	step = "connect (is there a route to the peer?)";
	err = crak_tcp_connect(sock, s);
	if (err)
		goto refuse;
	step = "TCP_REPAIR_OPTIONS";
	err = crak_tcp_repair_options(sock, t);
	if (err)
		goto refuse;
	if (t->opts & CRAK_TCP_TIMESTAMPS) {
		step = "TCP_TIMESTAMP";
		err = crak_tcp_set_int(sock, TCP_TIMESTAMP, t->ts_val);
		if (err)
			goto refuse;
	}
	crak_tcp_set_fields(sk, t);

	step = "receive queue";
	err = crak_tcp_set_int(sock, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE);
	if (!err)
		err = crak_tcp_send(sock, rq.data, rq.count);
	if (!err && crak_tcp_fin_rcvd(s->state) && t->copied_seq != t->rcv_nxt)
		err = crak_tcp_queue_fin(sk, t->rcv_nxt - 1);
	if (!err && READ_ONCE(tp->rcv_nxt) != t->rcv_nxt)
		err = -EIO;
	if (err)
		goto refuse;
	step = "sent bytes";
	err = crak_tcp_set_int(sock, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE);
	if (!err)
		err = crak_tcp_queue_sent(sk, sq.data, sent);
	if (!err && (READ_ONCE(tp->snd_nxt) != t->snd_una + sent ||
		     READ_ONCE(tp->write_seq) != t->snd_una + sent))
		err = -EIO;
	if (err)
		goto refuse;
	step = "TCP_REPAIR_WINDOW";
	err = crak_tcp_set(sock, TCP_REPAIR_WINDOW, &win, sizeof(win));
	if (err)
		goto refuse;
	*unsent = sq.data + sent;
	*nunsent = sq.count - sent;
	crak_rst_count(r, 0, (u64)sq.count + rq.count);
	return 0;

refuse:
	return crak_rst_refuse(r, s->fd, err, "TCP restore: %s: error %d",
			       step, err);
}

int crak_tcp_live(struct crak_rst *r, struct sock *sk, struct socket *sock,
		  const struct crak_sock *s, const u8 *unsent, u32 nunsent)
{
	const struct crak_tcp *t = &s->tcp;
	int off = TCP_REPAIR_OFF;
	const char *step;
	int err;

	/* A child has no socket: never written to, nor shut down (image.c). */
	if (WARN_ON_ONCE(!sock && (nunsent || crak_tcp_fin_unacked(s->state))))
		return -EINVAL;
	/* Through the protocol: a child has no socket to take the call. */
	step = "TCP_REPAIR off";
	err = sk->sk_prot->setsockopt(sk, SOL_TCP, TCP_REPAIR,
				      KERNEL_SOCKPTR(&off), sizeof(off));
	if (err)
		goto quiet;
	lock_sock(sk);
	/* The timer crak_tcp_queue_sent() disarmed, for the bytes in flight. */
	if (tcp_sk(sk)->packets_out && !inet_csk(sk)->icsk_pending)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
					  inet_csk(sk)->icsk_rto, TCP_RTO_MAX);
	release_sock(sk);
	if (s->opts & CRAK_SO_REUSEADDR)
		sock_set_reuseaddr(sk);
	crak_tcp_close_state(sk, s->state);
	step = "unsent bytes";
	if (nunsent) {
		err = crak_tcp_send(sock, unsent, nunsent);
		if (err)
			goto quiet;
	}
	if (crak_tcp_fin_unacked(s->state)) {
		step = "shutdown for writing";
		err = kernel_sock_shutdown(sock, SHUT_WR);
		if (err)
			goto quiet;
		if (s->state == TCP_CLOSING) {
			lock_sock(sk);
			if (sk->sk_state == TCP_LAST_ACK)
				tcp_set_state(sk, TCP_CLOSING);
			release_sock(sk);
		}
	}
	step = "options";
	err = crak_tcp_options(sk, t);
	if (err)
		goto quiet;
	crak_tcp_settle_room(sk, s);
	if (sk->sk_state != s->state) {
		step = "state";
		err = -EIO;
		goto quiet;
	}
	return 0;

quiet:
	crak_tcp_quiet(sk);
	return crak_rst_refuse(r, s->fd, err, "TCP restore: %s: error %d",
			       step, err);
}

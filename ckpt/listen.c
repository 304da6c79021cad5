// SPDX-License-Identifier: GPL-2.0
/*
 * crak: TCP sockets in LISTEN, with the connections they have not handed
 * to accept() yet.
 *
 * Checkpoint takes the listener's settings under its lock, then the
 * accept queue under rskq_lock, with bottom halves off (the stack adds
 * children from softirq): each child is pinned with a reference, in the
 * order accept() would return it. The locks are dropped before any child
 * is read; checkpoint.c reads each under its own lock_sock(), so that two
 * socket locks are never held at once. A Fast Open child still in the
 * handshake is refused. Request socks still in the three-way handshake
 * (TCP_NEW_SYN_RECV, in the established hash, not in the queue) cannot be
 * moved: they are counted in the image, and their peers see the final ACK
 * reach a listener that does not know them.
 *
 * Restore makes the listener as a process does (bind, then listen with
 * the backlog), then each child as an established socket through
 * tcp.c's repair sequence, and hands it to the listener the way the stack
 * does once a handshake is complete: the sock is taken off its struct
 * socket (an un-accepted child has none, nor a wait queue), a request sock
 * of the listener's protocol is made for it, and both go to the tail of
 * the accept queue. accept() then grafts it like any child.
 *
 * A child must not be charged to a memory cgroup before it is accepted:
 * inet_csk_accept() assigns the accepting task's cgroup and charges what
 * the socket holds then, as it does for a child cloned from the listener,
 * which has none. So the cgroup sk_alloc() gave the new socket is dropped
 * at once, before the repair sequence queues any byte.
 */

#include <linux/errno.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/sockptr.h>
#include <linux/tcp.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "crak.h"
#include "image.h"

/* Attempts at pinning an accept queue that outgrows the room counted. */
#define CRAK_LISTEN_TRIES	8

/* Why a listener cannot be taken, or NULL; under lock_sock. */
static const char *crak_listen_refusal(struct sock *sk)
{
	if (inet_csk(sk)->icsk_ulp_ops)
		return "TCP listener with an upper layer protocol";
#ifdef CONFIG_TCP_MD5SIG
	if (rcu_access_pointer(tcp_sk(sk)->md5sig_info))
		return "TCP listener with MD5 signatures";
#endif
	return NULL;
}

void crak_listen_put(struct sock **children, u32 n)
{
	while (n--)
		sock_put(children[n]);
	kvfree(children);
}

/* The accept queue, in order, each child held; -EAGAIN if it kept growing. */
static int crak_listen_pin(struct sock *sk, struct sock ***childp, u32 *np,
			   const char **why)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req;
	struct sock **kids;
	u32 room, n, tries;
	bool full;

	for (tries = 0; tries < CRAK_LISTEN_TRIES; tries++) {
		room = READ_ONCE(sk->sk_ack_backlog) + 16;
		kids = kvmalloc_array(room, sizeof(*kids), GFP_KERNEL);
		if (!kids)
			return -ENOMEM;
		n = 0;
		full = false;
		spin_lock_bh(&queue->rskq_lock);
		for (req = queue->rskq_accept_head; req; req = req->dl_next) {
			if (tcp_rsk(req)->tfo_listener || !req->sk) {
				*why = "TCP listener with a Fast Open child in the handshake";
				break;
			}
			if (n == room) {
				full = true;
				break;
			}
			sock_hold(req->sk);
			kids[n++] = req->sk;
		}
		spin_unlock_bh(&queue->rskq_lock);
		if (!full && !*why) {
			*childp = kids;
			*np = n;
			return 0;
		}
		crak_listen_put(kids, n);
		if (*why)
			return -EOPNOTSUPP;
	}
	return -EAGAIN;
}

int crak_listen_dump(struct sock *sk, struct crak_sock *s,
		     struct sock ***childp, u32 *np, const char **why)
{
	const struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct crak_listen *l = &s->listen;
	int err;

	*why = crak_listen_refusal(sk);
	if (*why)
		return -EOPNOTSUPP;
	s->state = TCP_LISTEN;
	l->backlog = min_t(u32, READ_ONCE(sk->sk_max_ack_backlog), 0x7fffffff);
	l->defer_accept = READ_ONCE(queue->rskq_defer_accept);
	l->fastopen_qlen = min_t(u32, queue->fastopenq.max_qlen, 0x7fffffff);
	if (tcp_sk(sk)->nonagle & TCP_NAGLE_OFF)
		l->opts |= CRAK_TCP_NODELAY;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		l->opts |= CRAK_TCP_KEEPALIVE;
	err = crak_listen_pin(sk, childp, np, why);
	if (err)
		return err;
	l->children = *np;
	/* Counted after the queue: a child may have completed in between. */
	l->in_handshake = inet_csk_reqsk_queue_len(sk);
	return 0;
}

/* Restore */

int crak_listen_restore(struct crak_rst *r, struct socket *sock,
			const struct crak_sock *s)
{
	const struct crak_listen *l = &s->listen;
	struct sock *sk = sock->sk;
	int err, qlen;

	err = crak_rst_sockopts(r, sock, s);
	if (err)
		return err;
	err = crak_rst_bind(r, sock, s);
	if (err)
		return err;
	if (l->fastopen_qlen) {
		qlen = l->fastopen_qlen;
		err = sock->ops->setsockopt(sock, SOL_TCP, TCP_FASTOPEN,
					    KERNEL_SOCKPTR(&qlen), sizeof(qlen));
		if (err)
			return crak_rst_refuse(r, s->fd, err,
					       "TCP_FASTOPEN: error %d", err);
	}
	if (l->opts & CRAK_TCP_NODELAY)
		tcp_sock_set_nodelay(sk);
	if (l->opts & CRAK_TCP_KEEPALIVE)
		sock_set_keepalive(sk);
	lock_sock(sk);
	WRITE_ONCE(inet_csk(sk)->icsk_accept_queue.rskq_defer_accept,
		   l->defer_accept);
	release_sock(sk);
	/* Capped as listen(2) caps it, by the namespace's somaxconn. */
	err = kernel_listen(sock, min_t(u32, l->backlog,
					READ_ONCE(sock_net(sk)->core.sysctl_somaxconn)));
	if (err)
		return crak_rst_refuse(r, s->fd, err, "listen: error %d", err);
	return 0;
}

void crak_listen_child_uncharge(struct sock *sk)
{
	mem_cgroup_put(sk->sk_memcg);
	sk->sk_memcg = NULL;
}

int crak_listen_attach(struct crak_rst *r, struct socket *listener,
		       struct socket **childp, const struct crak_sock *s)
{
	struct sock *lsk = listener->sk, *sk = (*childp)->sk, *added;
	struct request_sock *req;

	if (lsk->sk_state != TCP_LISTEN)
		return crak_rst_refuse(r, s->fd, -EINVAL,
				       "accept queue child without a listener");
	req = inet_reqsk_alloc(lsk->sk_prot->rsk_prot, lsk, false);
	if (!req)
		return -ENOMEM;
	/* What reqsk_alloc() leaves unset and accept() or its release reads. */
	tcp_rsk(req)->tfo_listener = false;
	refcount_set(&req->rsk_refcnt, 1);

	/* The sock leaves its socket; the socket's reference goes with it. */
	write_lock_bh(&sk->sk_callback_lock);
	RCU_INIT_POINTER(sk->sk_wq, NULL);
	sk_set_socket(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	(*childp)->sk = NULL;
	sock_release(*childp);
	*childp = NULL;

	local_bh_disable();
	bh_lock_sock(sk);
	added = inet_csk_reqsk_queue_add(lsk, req, sk);
	bh_unlock_sock(sk);
	local_bh_enable();
	if (!added) {
		/*
		 * The listener left LISTEN: the stack dropped the child and
		 * the reference its socket had; crak's own is put on release.
		 */
		reqsk_put(req);
		return crak_rst_refuse(r, s->fd, -EINVAL,
				       "accept queue child: listener closed");
	}
	return 0;
}

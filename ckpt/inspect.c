// SPDX-License-Identifier: GPL-2.0
/*
 * crak: CRAK_IOC_INSPECT, the sockets of a process as a checkpoint sees
 * them. Each descriptor of the target is looked up under RCU and pinned;
 * a socket is read under its lock, so each entry is consistent in itself
 * (the target keeps running: the set is not a snapshot).
 */

#include <linux/file.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tcp_states.h>

#include "crak.h"

/**
 * crak_sock_device - why an inet socket is tied to a device, or NULL
 * @sk: an AF_INET or AF_INET6 socket, locked
 *
 * An image records neither SO_BINDTODEVICE nor the scope of an IPv6
 * link-local address: such a socket would come back bound to no device,
 * or not at all. The kernel binds a socket to the device of a link-local
 * address or peer, so sk_bound_dev_if says both; the addresses are looked
 * at too, should one ever be link-local without it.
 */
const char *crak_sock_device(const struct sock *sk)
{
	if (READ_ONCE(sk->sk_bound_dev_if))
		return "bound to a device, not recorded (SO_BINDTODEVICE or link-local)";
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 &&
	    ((ipv6_addr_type(&sk->sk_v6_rcv_saddr) & IPV6_ADDR_LINKLOCAL) ||
	     (ipv6_addr_type(&sk->sk_v6_daddr) & IPV6_ADDR_LINKLOCAL)))
		return "bound to a device, not recorded (a link-local address)";
#endif
	return NULL;
}

/*
 * Whether a checkpoint can take @sk, from its family, protocol, state and
 * device binding.
 */
static u8 crak_sock_verdict(const struct sock *sk, u8 state)
{
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return CRAK_SOCK_FAMILY;
	if (sk->sk_type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP)
		goto device;
	if (sk->sk_type != SOCK_STREAM || sk->sk_protocol != IPPROTO_TCP)
		return CRAK_SOCK_PROTOCOL;
	switch (state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
	case TCP_CLOSE_WAIT:
	case TCP_LAST_ACK:
	case TCP_LISTEN:
	case TCP_CLOSING:
		break;
	default:
		return CRAK_SOCK_STATE;
	}
device:
	return crak_sock_device(sk) ? CRAK_SOCK_DEVICE : CRAK_SOCK_OK;
}

static void crak_sock_addrs(const struct sock *sk, struct crak_sock_info *si)
{
	const struct inet_sock *inet = inet_sk(sk);

	si->src_port = inet->inet_sport;
	si->dst_port = inet->inet_dport;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(si->src_addr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(si->dst_addr, &sk->sk_v6_daddr, 16);
		return;
	}
#endif
	memcpy(si->src_addr, &inet->inet_rcv_saddr, 4);
	memcpy(si->dst_addr, &inet->inet_daddr, 4);
}

static void crak_sock_describe(struct socket *sock, int fd,
			       struct crak_sock_info *si)
{
	struct sock *sk = sock->sk;

	memset(si, 0, sizeof(*si));
	si->fd = fd;
	if (!sk) {
		/* A socket being torn down: nothing a checkpoint could take. */
		si->type = sock->type;
		si->verdict = CRAK_SOCK_FAMILY;
		return;
	}

	lock_sock(sk);
	si->family = sk->sk_family;
	si->type = sk->sk_type;
	si->protocol = sk->sk_protocol;
	si->state = sk->sk_state;
	si->verdict = crak_sock_verdict(sk, si->state);
	if (sk->sk_family == AF_INET || sk->sk_family == AF_INET6)
		crak_sock_addrs(sk, si);
	if (si->verdict == CRAK_SOCK_OK && sk->sk_protocol == IPPROTO_TCP) {
		const struct tcp_sock *tp = tcp_sk(sk);

		if (si->state == TCP_LISTEN) {
			si->backlog = READ_ONCE(sk->sk_ack_backlog);
		} else {
			si->rx_queue = tp->rcv_nxt - tp->copied_seq;
			si->tx_queue = tp->write_seq - tp->snd_una;
		}
	} else if (si->verdict == CRAK_SOCK_OK) {
		si->rx_queue = sk_rmem_alloc_get(sk);
	}
	release_sock(sk);
}

long crak_ioc_inspect(struct crak_inspect __user *uarg)
{
	struct crak_sock_info __user *ubuf;
	struct crak_inspect arg;
	struct crak_sock_info si;
	struct task_struct *task;
	unsigned int fd;
	long err = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.max > CRAK_INSPECT_MAX)
		return -EINVAL;
	ubuf = u64_to_user_ptr(arg.buf);

	task = crak_target_get(arg.pid, arg.start_time);
	if (IS_ERR(task))
		return PTR_ERR(task);
	arg.start_time = task->start_boottime;
	arg.count = 0;
	arg.fds = 0;

	for (fd = 0;; fd++) {
		struct socket *sock;
		struct file *file;

		file = crak_next_file(task, &fd);
		if (!file)
			break;

		arg.fds++;
		sock = sock_from_file(file);
		if (sock) {
			crak_sock_describe(sock, fd, &si);
			if (arg.count < arg.max &&
			    copy_to_user(&ubuf[arg.count], &si, sizeof(si)))
				err = -EFAULT;
			arg.count++;
		}
		fput(file);
		if (err)
			break;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	crak_target_put(task);
	if (err)
		return err;
	return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT : 0;
}

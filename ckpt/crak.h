/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crak.ko's internal interfaces between its files.
 */
#ifndef _CRAK_H
#define _CRAK_H

#include <linux/netdevice.h>
#include <linux/types.h>
#include <uapi/linux/crak.h>

struct crak_image_writer;
struct crak_section;
struct crak_sock;
struct file;
struct net;
struct sock;
struct socket;
struct task_struct;

/* target.c */
struct task_struct *crak_target_get(u32 nr, u64 start_time);
void crak_target_unlock(struct task_struct *task);
void crak_target_put(struct task_struct *task);
bool crak_target_stopped(struct task_struct *task);
struct file *crak_next_file(struct task_struct *task, unsigned int *fd);

/* inspect.c */
long crak_ioc_inspect(struct crak_inspect __user *uarg);
const char *crak_sock_device(const struct sock *sk);

/* checkpoint.c */
long crak_ioc_checkpoint(struct crak_checkpoint __user *uarg);

/* net.c */
long crak_ioc_net(struct crak_net __user *uarg);
/* The network namespace of a task, held; NULL once it is exiting. */
struct net *crak_task_net(struct task_struct *task);

/* A vnif device of a namespace, held. */
struct crak_net_dev {
	struct net_device *dev;
	netdevice_tracker tracker;
	bool changed;
};

/*
 * The vnif devices of @net into devs[CRAK_NET_VNIF_MAX], each held;
 * -E2BIG if there are more (those found are held still).
 */
int crak_net_collect(struct net *net, struct crak_net_dev *devs, u32 *n);
void crak_net_release(struct crak_net_dev *devs, u32 n);

/*
 * vnif.c: for each inner vnif end of @net, its VNIF and VNIF_QUEUE
 * payloads (a copy of the frames its pair holds) appended to @list;
 * *size grows by their sections. A device that cannot be recorded fails
 * the call with a message in error (errlen bytes): -EOPNOTSUPP, -E2BIG,
 * -EFBIG, -EAGAIN. The list is freed with crak_vnif_free(), also on error.
 */
int crak_vnif_take(struct net *net, struct list_head *list, u64 *size,
		   char *error, size_t errlen);
/* Their sections, in the order taken. */
int crak_vnif_write(struct crak_image_writer *w, struct list_head *list);
void crak_vnif_free(struct list_head *list);

/* restore.c: CRAK_IOC_RESTORE, and what its protocol parts share. */
struct crak_rst;
long crak_ioc_restore(struct crak_restore __user *uarg);
/* Names the socket at fault in the caller's error; returns err. */
__printf(4, 5) int crak_rst_refuse(struct crak_rst *r, u32 fd, int err,
				   const char *fmt, ...);
/* The options of the SOCK common part that are set before bind. */
int crak_rst_sockopts(struct crak_rst *r, struct socket *sock,
		      const struct crak_sock *s);
/* Binds to the recorded local address and port. */
int crak_rst_bind(struct crak_rst *r, struct socket *sock,
		  const struct crak_sock *s);
/* Counts what was queued again, for struct crak_restore. */
void crak_rst_count(struct crak_rst *r, u32 datagrams, u64 bytes);

/*
 * tcp.c: a TCP socket taken, under lock_sock, into the TCP part of s and
 * its two SOCK_QUEUE payloads (kvmalloc'ed, the caller frees them);
 * -EOPNOTSUPP with *why when it cannot be.
 */
int crak_tcp_dump(struct sock *sk, struct crak_sock *s, u8 **queue,
		  u32 *queue_len, const char **why);
/* Repair mode on, without a capability check: closing it sends nothing. */
void crak_tcp_quiet(struct sock *sk);
/*
 * tcp.c: a TCP socket of the image rebuilt on sock, a fresh socket of its
 * family; q[0..nq) are the SOCK_QUEUE sections that follow its SOCK. It is
 * left in repair mode, silent, for crak_tcp_live(); *unsent and *nunsent
 * say where its bytes never sent are, in the image.
 */
int crak_tcp_restore(struct crak_rst *r, struct socket *sock,
		     const struct crak_sock *s, const struct crak_section *q,
		     u32 nq, const u8 **unsent, u32 *nunsent);
/*
 * tcp.c: a connection crak_tcp_restore() built, out of repair mode, live:
 * its closing state, its nunsent bytes at unsent sent, its options. sock
 * is NULL for an accept queue child (it has nothing to send). On failure
 * it is back in repair mode.
 */
int crak_tcp_live(struct crak_rst *r, struct sock *sk, struct socket *sock,
		  const struct crak_sock *s, const u8 *unsent, u32 nunsent);

/*
 * listen.c: a TCP listener taken, under lock_sock, into the listener part
 * of s, with its accept queue in order, each child held (put them with
 * crak_listen_put()); -EOPNOTSUPP with *why when it cannot be.
 */
int crak_listen_dump(struct sock *sk, struct crak_sock *s,
		     struct sock ***childp, u32 *np, const char **why);
void crak_listen_put(struct sock **children, u32 n);
/* listen.c: a listener of the image rebuilt on sock: bound, listening. */
int crak_listen_restore(struct crak_rst *r, struct socket *sock,
			const struct crak_sock *s);
/* A new socket that will be a child: no memory cgroup until accept(). */
void crak_listen_child_uncharge(struct sock *sk);
/*
 * The child socket *childp, restored whole, put at the tail of listener's
 * accept queue; its struct socket is released then and *childp cleared.
 */
int crak_listen_attach(struct crak_rst *r, struct socket *listener,
		       struct socket **childp, const struct crak_sock *s);

#endif /* _CRAK_H */

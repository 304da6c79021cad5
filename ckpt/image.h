/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crak image codec: one portable C source (image.c) compiled into
 * crak.ko and into the userspace tools and their host tests.
 */
#ifndef _CRAK_IMAGE_H
#define _CRAK_IMAGE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
/* The kernel's stack frame limit, which noinline helps keep, is not ours. */
#define noinline
#endif

#include <linux/crak.h>

/*
 * The KUnit suite drives the codec inside the kernel; in userspace, and in
 * a kernel without KUnit, the macro exports nothing.
 */
#ifdef __KERNEL__
#if IS_ENABLED(CONFIG_KUNIT)
#include <linux/export.h>
#define EXPORT_SYMBOL_FOR_CRAK_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, CRAK_KUNIT)
#endif
#endif
#ifndef EXPORT_SYMBOL_FOR_CRAK_KUNIT
#define EXPORT_SYMBOL_FOR_CRAK_KUNIT(sym)
#endif

/* Where decoding stopped, and why: a static string, never NULL on error. */
struct crak_image_error {
	const char *what;
	u64 offset;
	u32 section;
};

struct crak_section {
	u16 type;
	u16 flags;
	u32 len;
	const u8 *data;
	u64 offset;	/* of the section header in the image */
};

struct crak_image_reader {
	const u8 *buf;
	u64 len;
	u32 nsections;
	u32 next;
	u64 off;
};

struct crak_image_writer {
	u8 *buf;
	u64 cap;
	u64 len;
	u32 nsections;
};

/* TASK: the checkpointed process. */
struct crak_task {
	u32 pid;
	u32 nsockets;		/* SOCK sections in the image */
	u64 start_time;		/* ns since boot */
	char comm[CRAK_TASK_COMM_LEN];	/* NUL-padded, comm[15] is NUL */
};

/*
 * SOCK, TCP part: sequence numbers as the kernel holds them (a FIN counts
 * one in write_seq and rcv_nxt); srtt and mdev as the kernel keeps them
 * (<< 3, << 2, in us).
 */
struct crak_tcp {
	u32 snd_una, snd_nxt, write_seq, rcv_nxt, copied_seq;
	u32 snd_wl1, snd_wnd, max_window, rcv_wnd, rcv_wup;
	u32 opts;		/* CRAK_TCP_* */
	u16 mss_clamp;
	u8 snd_wscale, rcv_wscale;
	u32 ts_val;		/* tcp_time_stamp_raw() + tsoffset */
	u32 ts_recent;
	u32 srtt_us, mdev_us, rto_ms, cwnd, ssthresh;
	u32 keepidle, keepintvl, keepcnt;	/* 0: the system's default */
	u32 user_timeout;	/* ms */
	u32 linger;		/* s, with CRAK_TCP_LINGER */
	u32 notsent_lowat;
	u32 send_bytes;		/* data bytes of the send queue */
	u32 recv_bytes;		/* data bytes of the receive queue */
	u32 ofo_bytes;		/* out-of-order bytes left out */
};

/*
 * SOCK, the TCP part of a socket in LISTEN: its SOCK_CHILD sections, the
 * connections not accepted yet, follow it.
 */
struct crak_listen {
	u32 backlog;		/* sk_max_ack_backlog */
	u32 defer_accept;	/* TCP_DEFER_ACCEPT, as SYN-ACK retransmissions */
	u32 children;		/* SOCK_CHILD sections that follow */
	u32 in_handshake;	/* request socks left out (information) */
	u32 fastopen_qlen;	/* TCP_FASTOPEN; 0: off */
	u32 opts;		/* CRAK_LISTEN_OPTS */
};

/* SOCK: the common part, then the protocol's. Ports in host order. */
struct crak_sock {
	u32 fd;
	u16 family;		/* AF_INET, AF_INET6 */
	u16 type;		/* SOCK_DGRAM, SOCK_STREAM */
	u16 protocol;		/* IPPROTO_UDP, IPPROTO_TCP */
	/* UDP: TCP_ESTABLISHED (connected) or TCP_CLOSE; TCP: its state */
	u8 state;
	u32 fd_flags;		/* CRAK_FD_* */
	u32 opts;		/* CRAK_SO_* */
	u32 sndbuf, rcvbuf;	/* as the kernel holds them (twice SO_*BUF) */
	u32 priority, mark, rcvlowat;
	u8 tos, tclass;
	u16 ttl, hops;		/* 0..255, or CRAK_TTL_DEFAULT */
	u16 local_port, peer_port;
	u8 local_addr[16], peer_addr[16];	/* AF_INET: the first 4 bytes */
	/* UDP part */
	u32 udp_ndgrams;	/* datagrams in the SOCK_QUEUE that follows */
	u32 udp_flags;		/* CRAK_UDP_* */
	u64 udp_bytes;		/* their payload bytes */
	u16 udp_gso_size;	/* UDP_SEGMENT */
	/* TCP part: tcp, or listen in state TCP_LISTEN */
	struct crak_tcp tcp;
	struct crak_listen listen;
};

/* One datagram of a SOCK_QUEUE of kind CRAK_QUEUE_UDP_RECV. */
struct crak_dgram {
	u16 family;		/* of the packet: AF_INET, AF_INET6 */
	u16 flags;		/* CRAK_DGRAM_* */
	u16 sport, dport;
	u32 len;
	u8 saddr[16], daddr[16];	/* AF_INET: the first 4 bytes */
	const u8 *data;		/* decoding: len bytes in the image */
};

/*
 * A SOCK_QUEUE. UDP_RECV: count datagram records, read with
 * crak_queue_next(). TCP_SEND, TCP_RECV: count bytes at data.
 */
struct crak_queue {
	u32 fd;
	u16 kind;		/* CRAK_QUEUE_* */
	u32 count;		/* records, or bytes */
	const u8 *data;		/* TCP: the bytes */
	/* iteration */
	const u8 *p;
	u32 len, off, next;
};

/*
 * VNIF: the inner end of a vnif pair of the target's namespace, with the
 * pair's hold limits, the end's addresses and the routes through it.
 */
struct crak_vnif {
	char ifname[CRAK_IFNAMSIZ];	/* NUL-padded, ifname[15] is NUL */
	u8 mac[6];
	u16 flags;		/* CRAK_VNIF_* */
	u32 mtu;
	u32 limit_packets, limit_bytes;	/* the pair's hold limits */
	u32 deadline_ms;	/* 0: none */
	u8 deadline_policy;	/* enum vnif_deadline_policy */
	u16 naddrs, nroutes;	/* records that follow the 64 bytes */
	u32 nframes;		/* frames in the VNIF_QUEUE that follows */
	u64 frame_bytes;	/* their bytes */
	const u8 *records;	/* decoding: the address, then route records */
};

struct crak_vnif_addr {
	u16 family;		/* AF_INET, AF_INET6 */
	u8 prefixlen;
	u8 scope;		/* RT_SCOPE_* */
	u32 flags;		/* IFA_F_* as the kernel reported them */
	u8 addr[16];		/* AF_INET: the first 4 bytes */
};

struct crak_vnif_route {
	u16 family;		/* AF_INET, AF_INET6 */
	u8 dst_len;
	u8 protocol;		/* RTPROT_* */
	u8 scope;		/* RT_SCOPE_* */
	u8 type;		/* RTN_* */
	u16 flags;		/* CRAK_ROUTE_* */
	u32 table;		/* RT_TABLE_* or a number */
	u32 metric;		/* priority */
	u8 dst[16], gw[16];	/* AF_INET: the first 4 bytes */
};

/* One held frame of a VNIF_QUEUE. */
struct crak_frame {
	u8 dir;			/* CRAK_FRAME_INGRESS, CRAK_FRAME_EGRESS */
	u32 len;		/* CRAK_FRAME_MIN_LEN..CRAK_FRAME_MAX_LEN */
	u64 tstamp_ns;		/* arrival, CLOCK_REALTIME */
	const u8 *data;		/* decoding: len bytes in the image */
};

u32 crak_crc32c(u32 crc, const void *data, u64 len);

int crak_image_open(struct crak_image_reader *r, const void *buf, u64 len,
		    struct crak_image_error *err);
int crak_image_next(struct crak_image_reader *r, struct crak_section *sec);

void crak_image_writer_init(struct crak_image_writer *w, void *buf, u64 cap);
int crak_image_add(struct crak_image_writer *w, u16 type, const void *data,
		   u32 len);
int crak_image_finish(struct crak_image_writer *w);
u64 crak_section_size(u32 len);

/*
 * Payload codecs of TASK, SOCK and SOCK_QUEUE. The _put functions write a
 * payload into p, which must have room for it, and return its length; the
 * _get functions decode a section of crak_image_open(), which validated it
 * already, and return 0 or -EINVAL.
 */
u32 crak_task_put(u8 *p, const struct crak_task *t);
int crak_task_get(const struct crak_section *sec, struct crak_task *t);
u32 crak_sock_len(const struct crak_sock *s);
u32 crak_sock_put(u8 *p, const struct crak_sock *s);
/* A SOCK or a SOCK_CHILD section (same payload). */
int crak_sock_get(const struct crak_section *sec, struct crak_sock *s);
u32 crak_queue_put_hdr(u8 *p, u32 fd, u16 kind, u32 count);
u64 crak_dgram_size(u32 len);
/* Writes the record header and the padding: the payload goes at p + 48. */
u64 crak_dgram_put_hdr(u8 *p, const struct crak_dgram *d);
/* TCP: the data bytes of each queue, and which bytes snd_nxt says sent. */
u32 crak_tcp_send_bytes(const struct crak_sock *s);
u32 crak_tcp_sent_bytes(const struct crak_sock *s);
u32 crak_tcp_recv_bytes(const struct crak_sock *s);
int crak_queue_get(const struct crak_section *sec, struct crak_queue *q);
int crak_queue_next(struct crak_queue *q, struct crak_dgram *d);

/*
 * VNIF and VNIF_QUEUE. crak_vnif_put() writes the 64 bytes and the
 * records (v->naddrs of a, v->nroutes of r); crak_vnif_len() says how
 * long that is. A VNIF_QUEUE is crak_vnif_queue_put_hdr(), then for each
 * frame crak_frame_put_hdr() with the frame at p + CRAK_FRAME_HDR_LEN.
 */
u32 crak_vnif_len(const struct crak_vnif *v);
u32 crak_vnif_put(u8 *p, const struct crak_vnif *v,
		  const struct crak_vnif_addr *a,
		  const struct crak_vnif_route *r);
int crak_vnif_get(const struct crak_section *sec, struct crak_vnif *v);
/* Record i of a VNIF decoded by crak_vnif_get(): 0 or -EINVAL. */
int crak_vnif_addr_get(const struct crak_vnif *v, u32 i,
		       struct crak_vnif_addr *a);
int crak_vnif_route_get(const struct crak_vnif *v, u32 i,
			struct crak_vnif_route *r);
u32 crak_vnif_queue_put_hdr(u8 *p, u32 count);
u64 crak_frame_size(u32 len);
u64 crak_frame_put_hdr(u8 *p, const struct crak_frame *fr);
/* count is the number of frames; iterate with crak_vnif_queue_next(). */
int crak_vnif_queue_get(const struct crak_section *sec, struct crak_queue *q);
/* Returns 1 and the next frame, 0 after the last, or -EINVAL. */
int crak_vnif_queue_next(struct crak_queue *q, struct crak_frame *fr);

#endif /* _CRAK_IMAGE_H */

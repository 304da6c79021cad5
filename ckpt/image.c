// SPDX-License-Identifier: GPL-2.0
/*
 * The crak image codec, shared by crak.ko and the userspace tools: no
 * allocation, no I/O, explicit little-endian access, every length checked
 * against what is left before it is used. Documentation/image.md has the
 * layout.
 *
 * Decoding checks the whole image before the caller sees a section: a
 * truncated, corrupt, oversized or foreign image is refused as a whole.
 */

#include <linux/vnif.h>

#include "image.h"

/* CRC-32C (Castagnoli), reflected, four bits at a time. */
static const u32 crak_crc32c_tab[16] = {
	0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1,
	0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
	0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9,
	0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
};

u32 crak_crc32c(u32 crc, const void *data, u64 len)
{
	const u8 *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crak_crc32c_tab[crc & 15];
		crc = (crc >> 4) ^ crak_crc32c_tab[crc & 15];
	}
	return ~crc;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_crc32c);

static u16 crak_get16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 crak_get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 crak_get64(const u8 *p)
{
	return (u64)crak_get32(p) | (u64)crak_get32(p + 4) << 32;
}

static void crak_put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void crak_put32(u8 *p, u32 v)
{
	crak_put16(p, (u16)v);
	crak_put16(p + 2, (u16)(v >> 16));
}

static void crak_put64(u8 *p, u64 v)
{
	crak_put32(p, (u32)v);
	crak_put32(p + 4, (u32)(v >> 32));
}

static u64 crak_pad(u64 len)
{
	return (len + CRAK_SECTION_ALIGN - 1) & ~(u64)(CRAK_SECTION_ALIGN - 1);
}

u64 crak_section_size(u32 len)
{
	return CRAK_SECTION_HDR_LEN + crak_pad(len);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_section_size);

static int crak_fail(struct crak_image_error *err, int code, const char *what,
		     u64 offset, u32 section)
{
	err->what = what;
	err->offset = offset;
	err->section = section;
	return code;
}

static int crak_check_header(const u8 *p, u64 len, struct crak_image_error *err)
{
	u64 image_len;

	if (len < CRAK_IMAGE_HDR_LEN)
		return crak_fail(err, -EINVAL,
				 "truncated: shorter than the image header", len, 0);
	if (memcmp(p, CRAK_IMAGE_MAGIC, CRAK_IMAGE_MAGIC_LEN))
		return crak_fail(err, -EINVAL, "not a crak image (bad magic)", 0, 0);
	if (crak_get16(p + 8) != CRAK_IMAGE_VERSION)
		return crak_fail(err, -EPROTONOSUPPORT,
				 "unsupported image format version", 8, 0);
	if (crak_crc32c(0, p, 28) != crak_get32(p + 28))
		return crak_fail(err, -EBADMSG, "header checksum mismatch", 28, 0);
	if (crak_get16(p + 10) != CRAK_IMAGE_HDR_LEN)
		return crak_fail(err, -EINVAL, "bad header length", 10, 0);
	if (crak_get32(p + 12))
		return crak_fail(err, -EINVAL, "unknown header flags", 12, 0);
	image_len = crak_get64(p + 16);
	if (image_len > CRAK_IMAGE_MAX_LEN)
		return crak_fail(err, -EFBIG, "image larger than the format allows",
				 16, 0);
	if (image_len > len)
		return crak_fail(err, -EINVAL,
				 "truncated: shorter than the header says", len, 0);
	if (image_len < len)
		return crak_fail(err, -EINVAL, "trailing bytes after the image",
				 image_len, 0);
	if (crak_get32(p + 24) > CRAK_IMAGE_MAX_SECTIONS)
		return crak_fail(err, -EFBIG, "too many sections", 24, 0);
	return 0;
}

/*
 * The payloads of TASK, SOCK and SOCK_QUEUE. Socket constants are Linux's
 * values, spelt out here so that the codec needs no system header.
 */
#define CRAK_AF_INET		2
#define CRAK_AF_INET6		10
#define CRAK_SOCK_STREAM	1
#define CRAK_SOCK_DGRAM		2
#define CRAK_IPPROTO_TCP	6
#define CRAK_IPPROTO_UDP	17
#define CRAK_TCP_ESTABLISHED	1
#define CRAK_TCP_FIN_WAIT1	4
#define CRAK_TCP_FIN_WAIT2	5
#define CRAK_TCP_CLOSE		7
#define CRAK_TCP_CLOSE_WAIT	8
#define CRAK_TCP_LISTEN		10
#define CRAK_TCP_LAST_ACK	9
#define CRAK_TCP_CLOSING	11

/* Where the TCP part's fields are, from the start of the SOCK payload. */
#define CRAK_TCP_OFF(n)		(CRAK_SOCK_COMMON_LEN + (n))

/* A fault in a payload: what, and where from the start of the payload. */
struct crak_fault {
	const char *what;
	u32 off;
};

static int crak_bad(struct crak_fault *f, const char *what, u32 off)
{
	f->what = what;
	f->off = off;
	return -EINVAL;
}

static bool crak_zero(const u8 *p, u32 n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* An IPv4 address takes the first 4 of the 16 bytes; the rest is zero. */
static bool crak_addr_ok(u16 family, const u8 *a)
{
	return family == CRAK_AF_INET6 || crak_zero(a + 4, 12);
}

static int crak_task_parse(const u8 *p, u32 len, struct crak_task *t,
			   struct crak_fault *f)
{
	u32 i, n;

	if (len != CRAK_TASK_LEN)
		return crak_bad(f, "TASK section of the wrong length", 0);
	t->pid = crak_get32(p);
	t->nsockets = crak_get32(p + 4);
	t->start_time = crak_get64(p + 8);
	memcpy(t->comm, p + 16, CRAK_TASK_COMM_LEN);
	if (!t->pid)
		return crak_bad(f, "TASK pid is 0", 0);
	if (p[16 + CRAK_TASK_COMM_LEN - 1])
		return crak_bad(f, "TASK command name not NUL-terminated",
				16 + CRAK_TASK_COMM_LEN - 1);
	for (n = 0; p[16 + n]; n++)
		;
	for (i = n; i < CRAK_TASK_COMM_LEN; i++)
		if (p[16 + i])
			return crak_bad(f, "TASK command name not NUL-padded",
					16 + i);
	if (!crak_zero(p + 32, 8))
		return crak_bad(f, "TASK reserved bytes not zero", 32);
	return 0;
}

u32 crak_task_put(u8 *p, const struct crak_task *t)
{
	memset(p, 0, CRAK_TASK_LEN);
	crak_put32(p, t->pid);
	crak_put32(p + 4, t->nsockets);
	crak_put64(p + 8, t->start_time);
	memcpy(p + 16, t->comm, CRAK_TASK_COMM_LEN - 1);
	return CRAK_TASK_LEN;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_task_put);

int crak_task_get(const struct crak_section *sec, struct crak_task *t)
{
	struct crak_fault f;

	if (sec->type != CRAK_SEC_TASK)
		return -EINVAL;
	return crak_task_parse(sec->data, sec->len, t, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_task_get);

static bool crak_tcp_state_ok(u8 state)
{
	return state == CRAK_TCP_ESTABLISHED || state == CRAK_TCP_FIN_WAIT1 ||
	       state == CRAK_TCP_FIN_WAIT2 || state == CRAK_TCP_CLOSE_WAIT ||
	       state == CRAK_TCP_LAST_ACK || state == CRAK_TCP_CLOSING;
}

/* Our FIN is in write_seq; it is acknowledged in FIN_WAIT2 only. */
static bool crak_tcp_fin_sent(u8 state)
{
	return state == CRAK_TCP_FIN_WAIT1 || state == CRAK_TCP_FIN_WAIT2 ||
	       state == CRAK_TCP_LAST_ACK || state == CRAK_TCP_CLOSING;
}

/* The peer's FIN is in rcv_nxt. */
static bool crak_tcp_fin_rcvd(u8 state)
{
	return state == CRAK_TCP_CLOSE_WAIT || state == CRAK_TCP_LAST_ACK ||
	       state == CRAK_TCP_CLOSING;
}

u32 crak_tcp_send_bytes(const struct crak_sock *s)
{
	u32 n = s->tcp.write_seq - s->tcp.snd_una;

	if (crak_tcp_fin_sent(s->state) && s->state != CRAK_TCP_FIN_WAIT2)
		n--;
	return n;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_tcp_send_bytes);

u32 crak_tcp_sent_bytes(const struct crak_sock *s)
{
	u32 n = s->tcp.snd_nxt - s->tcp.snd_una, all = crak_tcp_send_bytes(s);

	return n < all ? n : all;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_tcp_sent_bytes);

u32 crak_tcp_recv_bytes(const struct crak_sock *s)
{
	u32 n = s->tcp.rcv_nxt - s->tcp.copied_seq;

	/* Once the application has read the FIN, copied_seq is past it. */
	if (crak_tcp_fin_rcvd(s->state) && n)
		n--;
	return n;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_tcp_recv_bytes);

/* The TCP part, at q; s has the common part already. */
static int crak_tcp_parse(const u8 *q, u32 plen, struct crak_sock *s,
			  struct crak_fault *f)
{
	struct crak_tcp *t = &s->tcp;
	u32 una_end;

	if (plen != CRAK_SOCK_TCP_LEN)
		return crak_bad(f, "bad TCP part length", 52);
	t->snd_una = crak_get32(q);
	t->snd_nxt = crak_get32(q + 4);
	t->write_seq = crak_get32(q + 8);
	t->rcv_nxt = crak_get32(q + 12);
	t->copied_seq = crak_get32(q + 16);
	t->snd_wl1 = crak_get32(q + 20);
	t->snd_wnd = crak_get32(q + 24);
	t->max_window = crak_get32(q + 28);
	t->rcv_wnd = crak_get32(q + 32);
	t->rcv_wup = crak_get32(q + 36);
	t->opts = crak_get32(q + 40);
	t->mss_clamp = crak_get16(q + 44);
	t->snd_wscale = q[46];
	t->rcv_wscale = q[47];
	t->ts_val = crak_get32(q + 48);
	t->ts_recent = crak_get32(q + 52);
	t->srtt_us = crak_get32(q + 56);
	t->mdev_us = crak_get32(q + 60);
	t->rto_ms = crak_get32(q + 64);
	t->cwnd = crak_get32(q + 68);
	t->ssthresh = crak_get32(q + 72);
	t->keepidle = crak_get32(q + 76);
	t->keepintvl = crak_get32(q + 80);
	t->keepcnt = crak_get32(q + 84);
	t->user_timeout = crak_get32(q + 88);
	t->linger = crak_get32(q + 92);
	t->notsent_lowat = crak_get32(q + 96);
	t->send_bytes = crak_get32(q + 100);
	t->recv_bytes = crak_get32(q + 104);
	t->ofo_bytes = crak_get32(q + 108);

	if (t->snd_nxt - t->snd_una > t->write_seq - t->snd_una)
		return crak_bad(f, "TCP send sequence numbers out of order",
				CRAK_TCP_OFF(4));
	una_end = t->write_seq - t->snd_una;
	if (s->state == CRAK_TCP_FIN_WAIT2 ? una_end != 0 :
	    crak_tcp_fin_sent(s->state) && una_end == 0)
		return crak_bad(f, "TCP FIN not where the state says",
				CRAK_TCP_OFF(8));
	if (t->opts & ~CRAK_TCP_ALL)
		return crak_bad(f, "unknown TCP option flags", CRAK_TCP_OFF(40));
	if (!t->mss_clamp)
		return crak_bad(f, "TCP MSS is 0", CRAK_TCP_OFF(44));
	if (t->snd_wscale > CRAK_TCP_MAX_WSCALE ||
	    (!(t->opts & CRAK_TCP_WSCALE) && t->snd_wscale))
		return crak_bad(f, "TCP window scale out of range",
				CRAK_TCP_OFF(46));
	if (t->rcv_wscale > CRAK_TCP_MAX_WSCALE ||
	    (!(t->opts & CRAK_TCP_WSCALE) && t->rcv_wscale))
		return crak_bad(f, "TCP window scale out of range",
				CRAK_TCP_OFF(47));
	if (t->keepidle > CRAK_TCP_MAX_KEEPIDLE)
		return crak_bad(f, "TCP keepalive setting out of range",
				CRAK_TCP_OFF(76));
	if (t->keepintvl > CRAK_TCP_MAX_KEEPINTVL)
		return crak_bad(f, "TCP keepalive setting out of range",
				CRAK_TCP_OFF(80));
	if (t->keepcnt > CRAK_TCP_MAX_KEEPCNT)
		return crak_bad(f, "TCP keepalive setting out of range",
				CRAK_TCP_OFF(84));
	if (t->user_timeout > 0x7fffffff)
		return crak_bad(f, "TCP user timeout out of range",
				CRAK_TCP_OFF(88));
	if (t->cwnd > 0x7fffffff)
		return crak_bad(f, "TCP congestion window out of range",
				CRAK_TCP_OFF(68));
	if (t->linger > 0x7fffffff || (!(t->opts & CRAK_TCP_LINGER) && t->linger))
		return crak_bad(f, "TCP linger time out of range",
				CRAK_TCP_OFF(92));
	if (t->send_bytes != crak_tcp_send_bytes(s))
		return crak_bad(f, "TCP send bytes differ from the sequence numbers",
				CRAK_TCP_OFF(100));
	if (t->recv_bytes != crak_tcp_recv_bytes(s))
		return crak_bad(f, "TCP receive bytes differ from the sequence numbers",
				CRAK_TCP_OFF(104));
	return 0;
}

/* The TCP part of a socket in LISTEN, at q. */
static int crak_listen_parse(const u8 *q, u32 plen, struct crak_sock *s,
			     struct crak_fault *f)
{
	struct crak_listen *l = &s->listen;

	if (plen != CRAK_SOCK_LISTEN_LEN)
		return crak_bad(f, "bad TCP listener part length", 52);
	l->backlog = crak_get32(q);
	l->defer_accept = crak_get32(q + 4);
	l->children = crak_get32(q + 8);
	l->in_handshake = crak_get32(q + 12);
	l->fastopen_qlen = crak_get32(q + 16);
	l->opts = crak_get32(q + 20);
	if (l->backlog > 0x7fffffff)
		return crak_bad(f, "TCP listen backlog out of range",
				CRAK_TCP_OFF(0));
	if (l->defer_accept > CRAK_LISTEN_MAX_DEFER)
		return crak_bad(f, "TCP defer accept out of range",
				CRAK_TCP_OFF(4));
	if (l->children > CRAK_IMAGE_MAX_SECTIONS)
		return crak_bad(f, "more accept queue children than an image holds",
				CRAK_TCP_OFF(8));
	if (l->fastopen_qlen > 0x7fffffff)
		return crak_bad(f, "TCP Fast Open queue length out of range",
				CRAK_TCP_OFF(16));
	if (l->opts & ~CRAK_LISTEN_OPTS)
		return crak_bad(f, "unknown TCP listener option flags",
				CRAK_TCP_OFF(20));
	return 0;
}

static int crak_sock_parse(const u8 *p, u32 len, struct crak_sock *s,
			   struct crak_fault *f)
{
	const u8 *q = p + CRAK_SOCK_COMMON_LEN;
	u32 plen;

	memset(s, 0, sizeof(*s));
	if (len < CRAK_SOCK_COMMON_LEN)
		return crak_bad(f, "SOCK section too short", 0);
	s->fd = crak_get32(p);
	s->family = crak_get16(p + 4);
	s->type = crak_get16(p + 6);
	s->protocol = crak_get16(p + 8);
	s->state = p[10];
	s->fd_flags = crak_get32(p + 12);
	s->opts = crak_get32(p + 16);
	s->sndbuf = crak_get32(p + 20);
	s->rcvbuf = crak_get32(p + 24);
	s->priority = crak_get32(p + 28);
	s->mark = crak_get32(p + 32);
	s->rcvlowat = crak_get32(p + 36);
	s->tos = p[40];
	s->tclass = p[41];
	s->ttl = crak_get16(p + 42);
	s->hops = crak_get16(p + 44);
	s->local_port = crak_get16(p + 46);
	s->peer_port = crak_get16(p + 48);
	plen = crak_get32(p + 52);
	memcpy(s->local_addr, p + 56, 16);
	memcpy(s->peer_addr, p + 72, 16);

	if (s->fd > 0x7fffffff)
		return crak_bad(f, "socket descriptor out of range", 0);
	if (s->family != CRAK_AF_INET && s->family != CRAK_AF_INET6)
		return crak_bad(f, "unknown socket family", 4);
	if (!(s->type == CRAK_SOCK_DGRAM && s->protocol == CRAK_IPPROTO_UDP) &&
	    !(s->type == CRAK_SOCK_STREAM && s->protocol == CRAK_IPPROTO_TCP))
		return crak_bad(f, "unsupported socket type or protocol", 6);
	if (s->protocol == CRAK_IPPROTO_UDP && s->state != CRAK_TCP_ESTABLISHED &&
	    s->state != CRAK_TCP_CLOSE)
		return crak_bad(f, "bad UDP socket state", 10);
	if (s->protocol == CRAK_IPPROTO_TCP && !crak_tcp_state_ok(s->state) &&
	    s->state != CRAK_TCP_LISTEN)
		return crak_bad(f, "bad TCP socket state", 10);
	if (p[11])
		return crak_bad(f, "SOCK reserved bytes not zero", 11);
	if (s->fd_flags & ~CRAK_FD_ALL)
		return crak_bad(f, "unknown descriptor flags", 12);
	if (s->opts & ~CRAK_SO_ALL)
		return crak_bad(f, "unknown socket option flags", 16);
	if ((s->opts & CRAK_SO_V6ONLY) && s->family != CRAK_AF_INET6)
		return crak_bad(f, "IPV6_V6ONLY on an IPv4 socket", 16);
	/* The kernel keeps them in ints, never above INT_MAX. */
	if (s->sndbuf > 0x7fffffff)
		return crak_bad(f, "send buffer size out of range", 20);
	if (s->rcvbuf > 0x7fffffff)
		return crak_bad(f, "receive buffer size out of range", 24);
	if (s->rcvlowat > 0x7fffffff)
		return crak_bad(f, "SO_RCVLOWAT out of range", 36);
	if (s->ttl > 255 && s->ttl != CRAK_TTL_DEFAULT)
		return crak_bad(f, "TTL out of range", 42);
	if (s->hops > 255 && s->hops != CRAK_TTL_DEFAULT)
		return crak_bad(f, "hop limit out of range", 44);
	if (s->protocol == CRAK_IPPROTO_TCP && !s->local_port)
		return crak_bad(f, "TCP socket without a local port", 46);
	if (crak_get16(p + 50))
		return crak_bad(f, "SOCK reserved bytes not zero", 50);
	if (!crak_addr_ok(s->family, s->local_addr))
		return crak_bad(f, "IPv4 address with bytes past the fourth", 56);
	if (!crak_addr_ok(s->family, s->peer_addr))
		return crak_bad(f, "IPv4 address with bytes past the fourth", 72);
	if (s->state == CRAK_TCP_LISTEN) {
		if (s->peer_port)
			return crak_bad(f, "listening socket with a peer", 48);
		if (!crak_zero(s->peer_addr, 16))
			return crak_bad(f, "listening socket with a peer", 72);
	} else if ((s->state == CRAK_TCP_ESTABLISHED ||
		    s->protocol == CRAK_IPPROTO_TCP) && !s->peer_port) {
		return crak_bad(f, "connected socket without a peer port", 48);
	}
	if (plen != len - CRAK_SOCK_COMMON_LEN)
		return crak_bad(f, "SOCK protocol part length does not match", 52);
	if (s->state == CRAK_TCP_LISTEN)
		return crak_listen_parse(q, plen, s, f);
	if (s->protocol == CRAK_IPPROTO_TCP)
		return crak_tcp_parse(q, plen, s, f);
	if (plen != CRAK_SOCK_UDP_LEN)
		return crak_bad(f, "bad UDP part length", 52);

	s->udp_ndgrams = crak_get32(q);
	s->udp_flags = crak_get32(q + 4);
	s->udp_bytes = crak_get64(q + 8);
	s->udp_gso_size = crak_get16(q + 16);
	if (s->udp_flags & ~CRAK_UDP_ALL)
		return crak_bad(f, "unknown UDP flags", CRAK_SOCK_COMMON_LEN + 4);
	if (s->udp_bytes > (u64)s->udp_ndgrams * CRAK_DGRAM_MAX_LEN)
		return crak_bad(f, "more UDP payload bytes than its datagrams hold",
				CRAK_SOCK_COMMON_LEN + 8);
	if (!crak_zero(q + 18, 6))
		return crak_bad(f, "SOCK reserved bytes not zero",
				CRAK_SOCK_COMMON_LEN + 18);
	return 0;
}

u32 crak_sock_len(const struct crak_sock *s)
{
	if (s->protocol == CRAK_IPPROTO_TCP && s->state == CRAK_TCP_LISTEN)
		return CRAK_SOCK_COMMON_LEN + CRAK_SOCK_LISTEN_LEN;
	if (s->protocol == CRAK_IPPROTO_TCP)
		return CRAK_SOCK_COMMON_LEN + CRAK_SOCK_TCP_LEN;
	return CRAK_SOCK_COMMON_LEN + CRAK_SOCK_UDP_LEN;
}

static void crak_tcp_put(u8 *q, const struct crak_tcp *t)
{
	crak_put32(q, t->snd_una);
	crak_put32(q + 4, t->snd_nxt);
	crak_put32(q + 8, t->write_seq);
	crak_put32(q + 12, t->rcv_nxt);
	crak_put32(q + 16, t->copied_seq);
	crak_put32(q + 20, t->snd_wl1);
	crak_put32(q + 24, t->snd_wnd);
	crak_put32(q + 28, t->max_window);
	crak_put32(q + 32, t->rcv_wnd);
	crak_put32(q + 36, t->rcv_wup);
	crak_put32(q + 40, t->opts);
	crak_put16(q + 44, t->mss_clamp);
	q[46] = t->snd_wscale;
	q[47] = t->rcv_wscale;
	crak_put32(q + 48, t->ts_val);
	crak_put32(q + 52, t->ts_recent);
	crak_put32(q + 56, t->srtt_us);
	crak_put32(q + 60, t->mdev_us);
	crak_put32(q + 64, t->rto_ms);
	crak_put32(q + 68, t->cwnd);
	crak_put32(q + 72, t->ssthresh);
	crak_put32(q + 76, t->keepidle);
	crak_put32(q + 80, t->keepintvl);
	crak_put32(q + 84, t->keepcnt);
	crak_put32(q + 88, t->user_timeout);
	crak_put32(q + 92, t->linger);
	crak_put32(q + 96, t->notsent_lowat);
	crak_put32(q + 100, t->send_bytes);
	crak_put32(q + 104, t->recv_bytes);
	crak_put32(q + 108, t->ofo_bytes);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_sock_len);

u32 crak_sock_put(u8 *p, const struct crak_sock *s)
{
	u8 *q = p + CRAK_SOCK_COMMON_LEN;
	u32 len = crak_sock_len(s);

	memset(p, 0, len);
	crak_put32(p, s->fd);
	crak_put16(p + 4, s->family);
	crak_put16(p + 6, s->type);
	crak_put16(p + 8, s->protocol);
	p[10] = s->state;
	crak_put32(p + 12, s->fd_flags);
	crak_put32(p + 16, s->opts);
	crak_put32(p + 20, s->sndbuf);
	crak_put32(p + 24, s->rcvbuf);
	crak_put32(p + 28, s->priority);
	crak_put32(p + 32, s->mark);
	crak_put32(p + 36, s->rcvlowat);
	p[40] = s->tos;
	p[41] = s->tclass;
	crak_put16(p + 42, s->ttl);
	crak_put16(p + 44, s->hops);
	crak_put16(p + 46, s->local_port);
	crak_put16(p + 48, s->peer_port);
	crak_put32(p + 52, len - CRAK_SOCK_COMMON_LEN);
	memcpy(p + 56, s->local_addr, 16);
	memcpy(p + 72, s->peer_addr, 16);
	if (s->protocol == CRAK_IPPROTO_TCP && s->state == CRAK_TCP_LISTEN) {
		crak_put32(q, s->listen.backlog);
		crak_put32(q + 4, s->listen.defer_accept);
		crak_put32(q + 8, s->listen.children);
		crak_put32(q + 12, s->listen.in_handshake);
		crak_put32(q + 16, s->listen.fastopen_qlen);
		crak_put32(q + 20, s->listen.opts);
		return len;
	}
	if (s->protocol == CRAK_IPPROTO_TCP) {
		crak_tcp_put(q, &s->tcp);
		return len;
	}
	crak_put32(q, s->udp_ndgrams);
	crak_put32(q + 4, s->udp_flags);
	crak_put64(q + 8, s->udp_bytes);
	crak_put16(q + 16, s->udp_gso_size);
	return len;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_sock_put);

int crak_sock_get(const struct crak_section *sec, struct crak_sock *s)
{
	struct crak_fault f;

	if (sec->type != CRAK_SEC_SOCK && sec->type != CRAK_SEC_SOCK_CHILD)
		return -EINVAL;
	return crak_sock_parse(sec->data, sec->len, s, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_sock_get);

static int crak_queue_parse(const u8 *p, u32 len, struct crak_queue *q,
			    struct crak_fault *f)
{
	memset(q, 0, sizeof(*q));
	if (len < CRAK_QUEUE_HDR_LEN)
		return crak_bad(f, "SOCK_QUEUE section too short", 0);
	q->fd = crak_get32(p);
	q->kind = crak_get16(p + 4);
	q->count = crak_get32(p + 8);
	if (q->kind != CRAK_QUEUE_UDP_RECV && q->kind != CRAK_QUEUE_TCP_SEND &&
	    q->kind != CRAK_QUEUE_TCP_RECV)
		return crak_bad(f, "unknown queue kind", 4);
	if (crak_get16(p + 6))
		return crak_bad(f, "SOCK_QUEUE reserved bytes not zero", 6);
	if (q->kind != CRAK_QUEUE_UDP_RECV &&
	    q->count != len - CRAK_QUEUE_HDR_LEN)
		return crak_bad(f, "TCP queue length differs from its byte count",
				8);
	if (crak_get32(p + 12))
		return crak_bad(f, "SOCK_QUEUE reserved bytes not zero", 12);
	q->data = p + CRAK_QUEUE_HDR_LEN;
	q->p = p;
	q->len = len;
	q->off = CRAK_QUEUE_HDR_LEN;
	return 0;
}

/* The record at q->off: checked, decoded, and q->off moved past it. */
static int crak_dgram_parse(struct crak_queue *q, struct crak_dgram *d,
			    struct crak_fault *f)
{
	const u8 *p = q->p + q->off;
	u32 off = q->off, k;
	u64 body;

	if (q->len - off < CRAK_DGRAM_HDR_LEN)
		return crak_bad(f, "datagram header cut short", off);
	d->family = crak_get16(p);
	d->flags = crak_get16(p + 2);
	d->sport = crak_get16(p + 4);
	d->dport = crak_get16(p + 6);
	d->len = crak_get32(p + 8);
	memcpy(d->saddr, p + 16, 16);
	memcpy(d->daddr, p + 32, 16);
	d->data = p + CRAK_DGRAM_HDR_LEN;
	if (d->family != CRAK_AF_INET && d->family != CRAK_AF_INET6)
		return crak_bad(f, "unknown datagram family", off);
	if (d->flags & ~CRAK_DGRAM_ALL)
		return crak_bad(f, "unknown datagram flags", off + 2);
	if (d->len > CRAK_DGRAM_MAX_LEN)
		return crak_bad(f, "datagram longer than 65535 bytes", off + 8);
	if (crak_get32(p + 12))
		return crak_bad(f, "datagram reserved bytes not zero", off + 12);
	if (!crak_addr_ok(d->family, d->saddr))
		return crak_bad(f, "IPv4 address with bytes past the fourth",
				off + 16);
	if (!crak_addr_ok(d->family, d->daddr))
		return crak_bad(f, "IPv4 address with bytes past the fourth",
				off + 32);
	body = crak_pad(d->len);
	if (body > q->len - off - CRAK_DGRAM_HDR_LEN)
		return crak_bad(f, "datagram runs past the end of its queue",
				off + 8);
	for (k = d->len; k < body; k++)
		if (p[CRAK_DGRAM_HDR_LEN + k])
			return crak_bad(f, "datagram padding not zero",
					off + CRAK_DGRAM_HDR_LEN + k);
	q->off += CRAK_DGRAM_HDR_LEN + (u32)body;
	q->next++;
	return 0;
}

u32 crak_queue_put_hdr(u8 *p, u32 fd, u16 kind, u32 count)
{
	memset(p, 0, CRAK_QUEUE_HDR_LEN);
	crak_put32(p, fd);
	crak_put16(p + 4, kind);
	crak_put32(p + 8, count);
	return CRAK_QUEUE_HDR_LEN;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_queue_put_hdr);

u64 crak_dgram_size(u32 len)
{
	return CRAK_DGRAM_HDR_LEN + crak_pad(len);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_dgram_size);

u64 crak_dgram_put_hdr(u8 *p, const struct crak_dgram *d)
{
	u64 size = crak_dgram_size(d->len);

	memset(p, 0, CRAK_DGRAM_HDR_LEN);
	crak_put16(p, d->family);
	crak_put16(p + 2, d->flags);
	crak_put16(p + 4, d->sport);
	crak_put16(p + 6, d->dport);
	crak_put32(p + 8, d->len);
	memcpy(p + 16, d->saddr, 16);
	memcpy(p + 32, d->daddr, 16);
	memset(p + CRAK_DGRAM_HDR_LEN + d->len, 0,
	       size - CRAK_DGRAM_HDR_LEN - d->len);
	return size;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_dgram_put_hdr);

int crak_queue_get(const struct crak_section *sec, struct crak_queue *q)
{
	struct crak_fault f;

	if (sec->type != CRAK_SEC_SOCK_QUEUE)
		return -EINVAL;
	return crak_queue_parse(sec->data, sec->len, q, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_queue_get);

/* Returns 1 and the next datagram, 0 after the last, or -EINVAL. */
int crak_queue_next(struct crak_queue *q, struct crak_dgram *d)
{
	struct crak_fault f;

	if (q->kind != CRAK_QUEUE_UDP_RECV || q->next >= q->count)
		return 0;
	return crak_dgram_parse(q, d, &f) ? -EINVAL : 1;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_queue_next);

/*
 * VNIF and VNIF_QUEUE. The limits are vnif.ko's, from its uapi header;
 * the route and address constants are Linux's, spelt out as above.
 */
#define CRAK_ETH_MIN_MTU	68
#define CRAK_ETH_MAX_MTU	65535
#define CRAK_RTN_MAX		11	/* RTN_XRESOLVE */
#define CRAK_RT_TABLE_UNSPEC	0

static u8 crak_addr_bits(u16 family)
{
	return family == CRAK_AF_INET ? 32 : 128;
}

/* No bit set past the first @plen of the address: a clean prefix. */
static bool crak_prefix_clean(const u8 *a, u8 plen, u8 bits)
{
	u32 i;

	for (i = plen; i < bits; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* What dev_valid_name() would refuse: empty, ".", "..", '/', ':', space. */
static bool crak_ifname_ok(const char *name)
{
	u32 i;

	if (!name[0] || (name[0] == '.' && (!name[1] ||
					    (name[1] == '.' && !name[2]))))
		return false;
	for (i = 0; name[i]; i++)
		if (name[i] == '/' || name[i] == ':' || name[i] == ' ' ||
		    (name[i] >= '\t' && name[i] <= '\r'))
			return false;
	return true;
}

static int crak_vnif_addr_parse(const u8 *p, u32 off,
				struct crak_vnif_addr *a, struct crak_fault *f)
{
	a->family = crak_get16(p);
	a->prefixlen = p[2];
	a->scope = p[3];
	a->flags = crak_get32(p + 4);
	memcpy(a->addr, p + 8, 16);
	if (a->family != CRAK_AF_INET && a->family != CRAK_AF_INET6)
		return crak_bad(f, "unknown address family", off);
	if (a->prefixlen > crak_addr_bits(a->family))
		return crak_bad(f, "address prefix longer than the address",
				off + 2);
	if (!crak_addr_ok(a->family, a->addr))
		return crak_bad(f, "IPv4 address with bytes past the fourth",
				off + 8);
	return 0;
}

static int crak_vnif_route_parse(const u8 *p, u32 off,
				 struct crak_vnif_route *r,
				 struct crak_fault *f)
{
	r->family = crak_get16(p);
	r->dst_len = p[2];
	r->protocol = p[3];
	r->scope = p[4];
	r->type = p[5];
	r->flags = crak_get16(p + 6);
	r->table = crak_get32(p + 8);
	r->metric = crak_get32(p + 12);
	memcpy(r->dst, p + 16, 16);
	memcpy(r->gw, p + 32, 16);
	if (r->family != CRAK_AF_INET && r->family != CRAK_AF_INET6)
		return crak_bad(f, "unknown route family", off);
	if (r->dst_len > crak_addr_bits(r->family))
		return crak_bad(f, "route prefix longer than the address",
				off + 2);
	if (!r->type || r->type > CRAK_RTN_MAX)
		return crak_bad(f, "unknown route type", off + 5);
	if (r->flags & ~CRAK_ROUTE_ALL)
		return crak_bad(f, "unknown route flags", off + 6);
	if (r->table == CRAK_RT_TABLE_UNSPEC)
		return crak_bad(f, "route table 0", off + 8);
	if (!crak_addr_ok(r->family, r->dst) ||
	    !crak_prefix_clean(r->dst, r->dst_len, crak_addr_bits(r->family)))
		return crak_bad(f, "route destination with bits past its prefix",
				off + 16);
	if (!crak_addr_ok(r->family, r->gw) ||
	    (!(r->flags & CRAK_ROUTE_GATEWAY) && !crak_zero(r->gw, 16)))
		return crak_bad(f, "route gateway bytes not allowed", off + 32);
	return 0;
}

static int crak_vnif_parse(const u8 *p, u32 len, struct crak_vnif *v,
			   struct crak_fault *f)
{
	struct crak_vnif_addr a;
	struct crak_vnif_route r;
	u32 i, n, off;
	int ret;

	memset(v, 0, sizeof(*v));
	if (len < CRAK_VNIF_LEN)
		return crak_bad(f, "VNIF section too short", 0);
	memcpy(v->ifname, p, CRAK_IFNAMSIZ);
	memcpy(v->mac, p + 16, 6);
	v->flags = crak_get16(p + 22);
	v->mtu = crak_get32(p + 24);
	v->limit_packets = crak_get32(p + 28);
	v->limit_bytes = crak_get32(p + 32);
	v->deadline_ms = crak_get32(p + 36);
	v->deadline_policy = p[40];
	v->naddrs = crak_get16(p + 42);
	v->nroutes = crak_get16(p + 44);
	v->nframes = crak_get32(p + 48);
	v->frame_bytes = crak_get64(p + 56);
	v->records = p + CRAK_VNIF_LEN;

	if (p[CRAK_IFNAMSIZ - 1])
		return crak_bad(f, "VNIF name not NUL-terminated",
				CRAK_IFNAMSIZ - 1);
	for (n = 0; p[n]; n++)
		;
	for (i = n; i < CRAK_IFNAMSIZ; i++)
		if (p[i])
			return crak_bad(f, "VNIF name not NUL-padded", i);
	if (!crak_ifname_ok(v->ifname))
		return crak_bad(f, "VNIF name not a valid interface name", 0);
	if ((v->mac[0] & 1) || crak_zero(v->mac, 6))
		return crak_bad(f, "VNIF MAC address not a unicast address", 16);
	if (v->flags & ~CRAK_VNIF_ALL)
		return crak_bad(f, "unknown VNIF flags", 22);
	if (v->mtu < CRAK_ETH_MIN_MTU || v->mtu > CRAK_ETH_MAX_MTU)
		return crak_bad(f, "VNIF MTU out of range", 24);
	if (!v->limit_packets || v->limit_packets > VNIF_LIMIT_PACKETS_MAX)
		return crak_bad(f, "VNIF packet limit out of range", 28);
	if (v->limit_bytes < VNIF_LIMIT_BYTES_MIN ||
	    v->limit_bytes > VNIF_LIMIT_BYTES_MAX)
		return crak_bad(f, "VNIF byte limit out of range", 32);
	if (v->deadline_ms > VNIF_DEADLINE_MS_MAX)
		return crak_bad(f, "VNIF deadline out of range", 36);
	if (v->deadline_policy >= __VNIF_DEADLINE_MAX)
		return crak_bad(f, "unknown VNIF deadline policy", 40);
	if (p[41] || crak_get16(p + 46) || crak_get32(p + 52))
		return crak_bad(f, "VNIF reserved bytes not zero",
				p[41] ? 41 : crak_get16(p + 46) ? 46 : 52);
	if (v->naddrs > CRAK_VNIF_MAX_ADDRS)
		return crak_bad(f, "too many VNIF addresses", 42);
	if (v->nroutes > CRAK_VNIF_MAX_ROUTES)
		return crak_bad(f, "too many VNIF routes", 44);
	if (len != crak_vnif_len(v))
		return crak_bad(f, "VNIF length differs from its record counts",
				42);
	off = CRAK_VNIF_LEN;
	for (i = 0; i < v->naddrs; i++, off += CRAK_VNIF_ADDR_LEN) {
		ret = crak_vnif_addr_parse(p + off, off, &a, f);
		if (ret)
			return ret;
	}
	for (i = 0; i < v->nroutes; i++, off += CRAK_VNIF_ROUTE_LEN) {
		ret = crak_vnif_route_parse(p + off, off, &r, f);
		if (ret)
			return ret;
	}
	return 0;
}

u32 crak_vnif_len(const struct crak_vnif *v)
{
	return CRAK_VNIF_LEN + (u32)v->naddrs * CRAK_VNIF_ADDR_LEN +
	       (u32)v->nroutes * CRAK_VNIF_ROUTE_LEN;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_len);

u32 crak_vnif_put(u8 *p, const struct crak_vnif *v,
		  const struct crak_vnif_addr *a,
		  const struct crak_vnif_route *r)
{
	u32 i, len = crak_vnif_len(v);
	u8 *q;

	memset(p, 0, len);
	memcpy(p, v->ifname, CRAK_IFNAMSIZ - 1);
	memcpy(p + 16, v->mac, 6);
	crak_put16(p + 22, v->flags);
	crak_put32(p + 24, v->mtu);
	crak_put32(p + 28, v->limit_packets);
	crak_put32(p + 32, v->limit_bytes);
	crak_put32(p + 36, v->deadline_ms);
	p[40] = v->deadline_policy;
	crak_put16(p + 42, v->naddrs);
	crak_put16(p + 44, v->nroutes);
	crak_put32(p + 48, v->nframes);
	crak_put64(p + 56, v->frame_bytes);
	q = p + CRAK_VNIF_LEN;
	for (i = 0; i < v->naddrs; i++, q += CRAK_VNIF_ADDR_LEN) {
		crak_put16(q, a[i].family);
		q[2] = a[i].prefixlen;
		q[3] = a[i].scope;
		crak_put32(q + 4, a[i].flags);
		memcpy(q + 8, a[i].addr, 16);
	}
	for (i = 0; i < v->nroutes; i++, q += CRAK_VNIF_ROUTE_LEN) {
		crak_put16(q, r[i].family);
		q[2] = r[i].dst_len;
		q[3] = r[i].protocol;
		q[4] = r[i].scope;
		q[5] = r[i].type;
		crak_put16(q + 6, r[i].flags);
		crak_put32(q + 8, r[i].table);
		crak_put32(q + 12, r[i].metric);
		memcpy(q + 16, r[i].dst, 16);
		memcpy(q + 32, r[i].gw, 16);
	}
	return len;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_put);

int crak_vnif_get(const struct crak_section *sec, struct crak_vnif *v)
{
	struct crak_fault f;

	if (sec->type != CRAK_SEC_VNIF)
		return -EINVAL;
	return crak_vnif_parse(sec->data, sec->len, v, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_get);

int crak_vnif_addr_get(const struct crak_vnif *v, u32 i,
		       struct crak_vnif_addr *a)
{
	struct crak_fault f;

	if (i >= v->naddrs)
		return -EINVAL;
	return crak_vnif_addr_parse(v->records + i * CRAK_VNIF_ADDR_LEN, 0,
				    a, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_addr_get);

int crak_vnif_route_get(const struct crak_vnif *v, u32 i,
			struct crak_vnif_route *r)
{
	struct crak_fault f;

	if (i >= v->nroutes)
		return -EINVAL;
	return crak_vnif_route_parse(v->records +
				     (u32)v->naddrs * CRAK_VNIF_ADDR_LEN +
				     i * CRAK_VNIF_ROUTE_LEN, 0, r, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_route_get);

static int crak_vnif_queue_parse(const u8 *p, u32 len, struct crak_queue *q,
				 struct crak_fault *f)
{
	memset(q, 0, sizeof(*q));
	if (len < CRAK_VNIF_QUEUE_HDR_LEN)
		return crak_bad(f, "VNIF_QUEUE section too short", 0);
	q->count = crak_get32(p);
	if (crak_get32(p + 4))
		return crak_bad(f, "VNIF_QUEUE reserved bytes not zero", 4);
	q->data = p + CRAK_VNIF_QUEUE_HDR_LEN;
	q->p = p;
	q->len = len;
	q->off = CRAK_VNIF_QUEUE_HDR_LEN;
	return 0;
}

/* The frame record at q->off: checked, decoded, q->off moved past it. */
static int crak_frame_parse(struct crak_queue *q, struct crak_frame *fr,
			    struct crak_fault *f)
{
	const u8 *p = q->p + q->off;
	u32 off = q->off, k;
	u64 body;

	if (q->len - off < CRAK_FRAME_HDR_LEN)
		return crak_bad(f, "frame header cut short", off);
	fr->dir = p[0];
	fr->len = crak_get32(p + 4);
	fr->tstamp_ns = crak_get64(p + 8);
	fr->data = p + CRAK_FRAME_HDR_LEN;
	if (fr->dir != CRAK_FRAME_INGRESS && fr->dir != CRAK_FRAME_EGRESS)
		return crak_bad(f, "unknown frame direction", off);
	if (p[1] || p[2] || p[3])
		return crak_bad(f, "frame reserved bytes not zero", off + 1);
	if (fr->len < CRAK_FRAME_MIN_LEN || fr->len > CRAK_FRAME_MAX_LEN)
		return crak_bad(f, "frame length out of range", off + 4);
	body = crak_pad(fr->len);
	if (body > q->len - off - CRAK_FRAME_HDR_LEN)
		return crak_bad(f, "frame runs past the end of its queue",
				off + 4);
	for (k = fr->len; k < body; k++)
		if (p[CRAK_FRAME_HDR_LEN + k])
			return crak_bad(f, "frame padding not zero",
					off + CRAK_FRAME_HDR_LEN + k);
	q->off += CRAK_FRAME_HDR_LEN + (u32)body;
	q->next++;
	return 0;
}

u32 crak_vnif_queue_put_hdr(u8 *p, u32 count)
{
	memset(p, 0, CRAK_VNIF_QUEUE_HDR_LEN);
	crak_put32(p, count);
	return CRAK_VNIF_QUEUE_HDR_LEN;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_queue_put_hdr);

u64 crak_frame_size(u32 len)
{
	return CRAK_FRAME_HDR_LEN + crak_pad(len);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_frame_size);

u64 crak_frame_put_hdr(u8 *p, const struct crak_frame *fr)
{
	u64 size = crak_frame_size(fr->len);

	memset(p, 0, CRAK_FRAME_HDR_LEN);
	p[0] = fr->dir;
	crak_put32(p + 4, fr->len);
	crak_put64(p + 8, fr->tstamp_ns);
	memset(p + CRAK_FRAME_HDR_LEN + fr->len, 0,
	       size - CRAK_FRAME_HDR_LEN - fr->len);
	return size;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_frame_put_hdr);

int crak_vnif_queue_get(const struct crak_section *sec, struct crak_queue *q)
{
	struct crak_fault f;

	if (sec->type != CRAK_SEC_VNIF_QUEUE)
		return -EINVAL;
	return crak_vnif_queue_parse(sec->data, sec->len, q, &f);
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_queue_get);

int crak_vnif_queue_next(struct crak_queue *q, struct crak_frame *fr)
{
	struct crak_fault f;

	if (q->next >= q->count)
		return 0;
	return crak_frame_parse(q, fr, &f) ? -EINVAL : 1;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_vnif_queue_next);

/*
 * A VNIF_QUEUE at payload pay of section i, after the VNIF v: every frame
 * valid, as many and as long as v says.
 */
static noinline int crak_check_vnif_queue(const u8 *p, u32 slen, u64 pay,
					  u32 i, const struct crak_vnif *v,
					  struct crak_image_error *err)
{
	struct crak_fault f = { 0 };
	struct crak_frame fr;
	struct crak_queue q;
	u64 bytes = 0;

	if (crak_vnif_queue_parse(p + pay, slen, &q, &f))
		return crak_fail(err, -EINVAL, f.what, pay + f.off, i);
	if (q.count != v->nframes)
		return crak_fail(err, -EINVAL,
				 "frame count differs from its VNIF's", pay, i);
	while (q.next < q.count) {
		if (crak_frame_parse(&q, &fr, &f))
			return crak_fail(err, -EINVAL, f.what, pay + f.off, i);
		bytes += fr.len;
	}
	if (q.off != slen)
		return crak_fail(err, -EINVAL,
				 "trailing bytes after the last frame",
				 pay + q.off, i);
	if (bytes != v->frame_bytes)
		return crak_fail(err, -EINVAL,
				 "frame bytes differ from its VNIF's", pay, i);
	return 0;
}

/*
 * A SOCK_CHILD section, with the listener it follows, at payload pay of
 * section i: rule 26. On success it is the socket its queues belong to.
 */
static int crak_check_child(const u8 *p, u32 slen, u64 pay, u32 i,
			    const struct crak_sock *l, struct crak_sock *s,
			    struct crak_image_error *err)
{
	struct crak_fault f = { 0 };

	if (crak_sock_parse(p + pay, slen, s, &f))
		return crak_fail(err, -EINVAL, f.what, pay + f.off, i);
	if (s->fd != l->fd)
		return crak_fail(err, -EINVAL,
				 "accept queue child of another descriptor than its listener",
				 pay, i);
	if (s->family != l->family)
		return crak_fail(err, -EINVAL,
				 "accept queue child of another family than its listener",
				 pay + 4, i);
	if (s->protocol != CRAK_IPPROTO_TCP)
		return crak_fail(err, -EINVAL,
				 "accept queue child not a TCP connection",
				 pay + 6, i);
	if (s->state != CRAK_TCP_ESTABLISHED && s->state != CRAK_TCP_CLOSE_WAIT)
		return crak_fail(err, -EINVAL, "bad accept queue child state",
				 pay + 10, i);
	if (s->fd_flags)
		return crak_fail(err, -EINVAL,
				 "descriptor flags on an accept queue child",
				 pay + 12, i);
	/* Never written to: its memory is charged at accept, not before. */
	if (s->tcp.send_bytes)
		return crak_fail(err, -EINVAL,
				 "accept queue child with bytes to send",
				 pay + CRAK_SOCK_COMMON_LEN + 100, i);
	if (s->local_port != l->local_port)
		return crak_fail(err, -EINVAL,
				 "accept queue child on another port than its listener",
				 pay + 46, i);
	return 0;
}

static const char *crak_missing_queue(const struct crak_sock *s)
{
	if (s->protocol == CRAK_IPPROTO_TCP)
		return "TCP socket without its two SOCK_QUEUE sections";
	return "UDP socket without its SOCK_QUEUE section";
}

/*
 * What the framing cannot say: each payload valid, and the sections in
 * the order Documentation/image.md gives (rules 18 to 25).
 */
static int crak_check_contents(const u8 *p, u32 n,
			       struct crak_image_error *err)
{
	u64 off = CRAK_IMAGE_HDR_LEN, pay, task_off = 0;
	struct crak_sock s = { 0 }, l = { 0 };
	u32 children = 0;	/* SOCK_CHILD sections still due to l */
	int ret;
	struct crak_fault f = { 0 };
	struct crak_task t = { 0 };
	bool task = false;
	u32 i, task_idx = 0, socks = 0, slen, want_queue = 0, expect;
	struct crak_queue q;
	struct crak_dgram d;
	struct crak_vnif v;
	u32 vnifs = 0;
	bool want_vq = false;	/* a VNIF's VNIF_QUEUE is due */
	u64 bytes;
	u16 type;

	for (i = 0; i < n; i++, off += crak_section_size(slen)) {
		type = crak_get16(p + off);
		slen = crak_get32(p + off + 4);
		pay = off + CRAK_SECTION_HDR_LEN;
		if (want_vq && type != CRAK_SEC_VNIF_QUEUE)
			return crak_fail(err, -EINVAL,
					 "VNIF without its VNIF_QUEUE section",
					 off, i);
		if (want_queue && type != CRAK_SEC_SOCK_QUEUE)
			return crak_fail(err, -EINVAL, crak_missing_queue(&s),
					 off, i);
		if (!want_queue && children && type != CRAK_SEC_SOCK_CHILD)
			return crak_fail(err, -EINVAL,
					 "listening socket without all its accept queue children",
					 off, i);
		switch (type) {
		case CRAK_SEC_TASK:
			if (task)
				return crak_fail(err, -EINVAL,
						 "more than one TASK section", off, i);
			if (crak_task_parse(p + pay, slen, &t, &f))
				goto bad;
			task = true;
			task_idx = i;
			task_off = pay;
			break;
		case CRAK_SEC_SOCK:
			if (!task)
				return crak_fail(err, -EINVAL,
						 "SOCK section before the TASK section",
						 off, i);
			if (vnifs)
				return crak_fail(err, -EINVAL,
						 "SOCK section after a VNIF section",
						 off, i);
			/* A section too short for its fd is refused by the parse. */
			if (socks && slen >= 4 && crak_get32(p + pay) <= s.fd)
				return crak_fail(err, -EINVAL,
						 "socket descriptors not in increasing order",
						 pay, i);
			if (crak_sock_parse(p + pay, slen, &s, &f))
				goto bad;
			socks++;
			want_queue = s.protocol == CRAK_IPPROTO_TCP ? 2 : 1;
			if (s.state == CRAK_TCP_LISTEN &&
			    s.protocol == CRAK_IPPROTO_TCP) {
				want_queue = 0;
				children = s.listen.children;
				l = s;
			}
			break;
		case CRAK_SEC_SOCK_CHILD:
			if (!children)
				return crak_fail(err, -EINVAL,
						 "SOCK_CHILD section without its listener before it",
						 off, i);
			ret = crak_check_child(p, slen, pay, i, &l, &s, err);
			if (ret)
				return ret;
			children--;
			want_queue = 2;
			break;
		case CRAK_SEC_SOCK_QUEUE:
			if (!want_queue)
				return crak_fail(err, -EINVAL,
						 "SOCK_QUEUE section without its socket before it",
						 off, i);
			if (crak_queue_parse(p + pay, slen, &q, &f))
				goto bad;
			if (q.fd != s.fd)
				return crak_fail(err, -EINVAL,
						 "SOCK_QUEUE of another descriptor than its socket",
						 pay, i);
			if (s.protocol != CRAK_IPPROTO_TCP)
				expect = CRAK_QUEUE_UDP_RECV;
			else if (want_queue == 2)
				expect = CRAK_QUEUE_TCP_SEND;
			else
				expect = CRAK_QUEUE_TCP_RECV;
			want_queue--;
			if (q.kind != expect)
				return crak_fail(err, -EINVAL,
						 "SOCK_QUEUE of the wrong kind for its socket",
						 pay + 4, i);
			if (expect != CRAK_QUEUE_UDP_RECV) {
				if (q.count != (expect == CRAK_QUEUE_TCP_SEND ?
						s.tcp.send_bytes : s.tcp.recv_bytes))
					return crak_fail(err, -EINVAL,
							 "TCP queue bytes differ from its socket's",
							 pay + 8, i);
				break;
			}
			if (q.count != s.udp_ndgrams)
				return crak_fail(err, -EINVAL,
						 "datagram count differs from its socket's",
						 pay + 8, i);
			bytes = 0;
			while (q.next < q.count) {
				u32 at = q.off;

				if (crak_dgram_parse(&q, &d, &f))
					goto bad;
				if (s.family == CRAK_AF_INET &&
				    d.family != CRAK_AF_INET)
					return crak_fail(err, -EINVAL,
							 "IPv6 datagram on an IPv4 socket",
							 pay + at, i);
				bytes += d.len;
			}
			if (q.off != slen)
				return crak_fail(err, -EINVAL,
						 "trailing bytes after the last datagram",
						 pay + q.off, i);
			if (bytes != s.udp_bytes)
				return crak_fail(err, -EINVAL,
						 "datagram bytes differ from its socket's",
						 pay, i);
			break;
		case CRAK_SEC_VNIF:
			if (!task)
				return crak_fail(err, -EINVAL,
						 "VNIF section before the TASK section",
						 off, i);
			if (vnifs == CRAK_VNIF_MAX)
				return crak_fail(err, -EINVAL,
						 "more VNIF sections than CRAK_VNIF_MAX",
						 off, i);
			if (crak_vnif_parse(p + pay, slen, &v, &f))
				goto bad;
			vnifs++;
			want_vq = true;
			break;
		case CRAK_SEC_VNIF_QUEUE:
			if (!want_vq)
				return crak_fail(err, -EINVAL,
						 "VNIF_QUEUE section without its VNIF before it",
						 off, i);
			ret = crak_check_vnif_queue(p, slen, pay, i, &v, err);
			if (ret)
				return ret;
			want_vq = false;
			break;
		default:
			break;
		}
	}
	if (want_vq)
		return crak_fail(err, -EINVAL,
				 "VNIF without its VNIF_QUEUE section", off, n);
	if (want_queue)
		return crak_fail(err, -EINVAL, crak_missing_queue(&s), off, n);
	if (children)
		return crak_fail(err, -EINVAL,
				 "listening socket without all its accept queue children",
				 off, n);
	if (task && t.nsockets != socks)
		return crak_fail(err, -EINVAL,
				 "TASK socket count differs from the SOCK sections",
				 task_off + 4, task_idx);
	return 0;

bad:
	return crak_fail(err, -EINVAL, f.what, pay + f.off, i);
}

int crak_image_open(struct crak_image_reader *r, const void *buf, u64 len,
		    struct crak_image_error *err)
{
	const u8 *p = buf;
	u32 i, n, slen;
	u64 off, body, k;
	u16 type;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = crak_check_header(p, len, err);
	if (ret)
		return ret;
	n = crak_get32(p + 24);
	off = CRAK_IMAGE_HDR_LEN;
	for (i = 0; i < n; i++) {
		if (len - off < CRAK_SECTION_HDR_LEN)
			return crak_fail(err, -EINVAL,
					 "truncated: section header cut short", off, i);
		slen = crak_get32(p + off + 4);
		body = crak_pad(slen);
		if (body > len - off - CRAK_SECTION_HDR_LEN)
			return crak_fail(err, -EINVAL,
					 "truncated: section runs past the end", off, i);
		if (crak_crc32c(crak_crc32c(0, p + off, 12),
				p + off + CRAK_SECTION_HDR_LEN, body) !=
		    crak_get32(p + off + 12))
			return crak_fail(err, -EBADMSG, "section checksum mismatch",
					 off, i);
		type = crak_get16(p + off);
		if (type == CRAK_SEC_INVALID || type >= __CRAK_SEC_MAX)
			return crak_fail(err, -EINVAL, "unknown section type",
					 off, i);
		if (crak_get16(p + off + 2) || crak_get32(p + off + 8))
			return crak_fail(err, -EINVAL,
					 "unknown section flags or reserved bits",
					 off + 2, i);
		for (k = slen; k < body; k++)
			if (p[off + CRAK_SECTION_HDR_LEN + k])
				return crak_fail(err, -EINVAL,
						 "section padding not zero",
						 off + CRAK_SECTION_HDR_LEN + k, i);
		off += CRAK_SECTION_HDR_LEN + body;
	}
	if (off != len)
		return crak_fail(err, -EINVAL, "trailing bytes after the last section",
				 off, n);
	ret = crak_check_contents(p, n, err);
	if (ret)
		return ret;
	r->buf = p;
	r->len = len;
	r->nsections = n;
	r->off = CRAK_IMAGE_HDR_LEN;
	return 0;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_image_open);

/* Returns 1 and the next section, or 0 after the last. */
int crak_image_next(struct crak_image_reader *r, struct crak_section *sec)
{
	const u8 *p;

	if (r->next >= r->nsections)
		return 0;
	p = r->buf + r->off;
	sec->type = crak_get16(p);
	sec->flags = crak_get16(p + 2);
	sec->len = crak_get32(p + 4);
	sec->data = p + CRAK_SECTION_HDR_LEN;
	sec->offset = r->off;
	r->off += crak_section_size(sec->len);
	r->next++;
	return 1;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_image_next);

void crak_image_writer_init(struct crak_image_writer *w, void *buf, u64 cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = CRAK_IMAGE_HDR_LEN;
	w->nsections = 0;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_image_writer_init);

int crak_image_add(struct crak_image_writer *w, u16 type, const void *data,
		   u32 len)
{
	u64 need = crak_section_size(len);
	u8 *p;
	u32 crc;

	if (type == CRAK_SEC_INVALID || type >= __CRAK_SEC_MAX)
		return -EINVAL;
	if (w->nsections >= CRAK_IMAGE_MAX_SECTIONS)
		return -E2BIG;
	if (w->len > w->cap || need > w->cap - w->len ||
	    w->len + need > CRAK_IMAGE_MAX_LEN)
		return -ENOSPC;
	p = w->buf + w->len;
	crak_put16(p, type);
	crak_put16(p + 2, 0);
	crak_put32(p + 4, len);
	crak_put32(p + 8, 0);
	if (len)
		memcpy(p + CRAK_SECTION_HDR_LEN, data, len);
	memset(p + CRAK_SECTION_HDR_LEN + len, 0, need - CRAK_SECTION_HDR_LEN - len);
	crc = crak_crc32c(crak_crc32c(0, p, 12), p + CRAK_SECTION_HDR_LEN,
			  need - CRAK_SECTION_HDR_LEN);
	crak_put32(p + 12, crc);
	w->len += need;
	w->nsections++;
	return 0;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_image_add);

/* Writes the header; the image is then w->buf[0 .. w->len). */
int crak_image_finish(struct crak_image_writer *w)
{
	u8 *p = w->buf;

	if (w->cap < CRAK_IMAGE_HDR_LEN)
		return -ENOSPC;
	memcpy(p, CRAK_IMAGE_MAGIC, CRAK_IMAGE_MAGIC_LEN);
	crak_put16(p + 8, CRAK_IMAGE_VERSION);
	crak_put16(p + 10, CRAK_IMAGE_HDR_LEN);
	crak_put32(p + 12, 0);
	crak_put64(p + 16, w->len);
	crak_put32(p + 24, w->nsections);
	crak_put32(p + 28, crak_crc32c(0, p, 28));
	return 0;
}
EXPORT_SYMBOL_FOR_CRAK_KUNIT(crak_image_finish);

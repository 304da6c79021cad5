// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a bounded, seeded, randomised fuzzer of the kernel interfaces of
 * vnif.ko and crak.ko, for the debug guest (tests/selftests/nlfuzz.sh).
 *
 *   nlfuzz [--seed N] [--iterations N] [--seconds S] [--threads T]
 *          [--max-frame BYTES] [--verbose]
 *
 * It works in two network namespaces of its own, "home" and "away", so that
 * nothing else on the system is touched, and sends:
 *
 *   rtnetlink   RTM_NEWLINK of kind "vnif", valid and with random, boundary
 *               and garbage IFLA_INFO_DATA: every IFLA_VNIF_* type with
 *               random lengths and boundary values, unknown types, and
 *               IFLA_VNIF_PEER with nested garbage (short ifinfomsg, bad
 *               names, addresses, MTUs, IFLA_NET_NS_FD / _PID, queues);
 *               changes of existing pairs (no NLM_F_CREATE), up and down,
 *               moves of an end to the other namespace and back, deletions,
 *               RTM_GETLINK and dumps; and pairs deleted by the namespace
 *               of their inner end going away, frozen with frames held;
 *   genetlink   family "vnif": GET (do and dump), FREEZE with random limits
 *               and deadlines of mostly 1 to 50 ms (they expire during the
 *               run), THAW, QUEUE_GET dumps (read to the end, and sometimes
 *               abandoned half way), QUEUE_LOAD of random frames, random
 *               commands, flags and attributes, the family's policy dump;
 *   frames      Ethernet frames sent into the pairs through an AF_PACKET
 *               socket, frozen or not, so that queues hold frames when the
 *               pairs are deleted;
 *   /dev/crak   CRAK_IOC_VERSION; CRAK_IOC_IMAGE_CHECK of valid images made
 *               with ckpt/image.c, of mutated ones (bit flips, truncations,
 *               boundary lengths, resealed checksums) and of random bytes,
 *               each verdict compared with the one of the same codec here;
 *               bad pointers, lengths and ioctl numbers; CRAK_IOC_INSPECT
 *               of itself, its threads, init, random and impossible PIDs,
 *               exited children, and a child of its own holding sockets it
 *               knows (compared field by field), with random max, buffers
 *               (short ones, bad ones) and start times (right, wrong),
 *               while the child or a thread opens and closes sockets.
 *
 * With two threads or more, even threads freeze, thaw, load, dump and send
 * frames while odd threads delete and re-create the same pairs, which races
 * freeze, delete and the deadline work. Every request asks for an ACK and
 * every reply is read and parsed. Thread 0 also checks a private pair
 * exactly from time to time: the frames it holds, byte for byte and in
 * order (frames up to VNIF_PKT_MAX included), its counters after release,
 * down-drop and deadline expiry, and a queue dump in parts while the queue
 * changes (EAGAIN when frames leave, consistent when frames join).
 *
 * Options: --seed (default: from the time; printed first), --seconds
 * (default 60) and --iterations (default 1000000, all threads together):
 * it stops at whichever comes first. --threads (default 2). --max-frame
 * caps the length of the frames it sends and loads (to tell whether a
 * failure needs big frames). --verbose prints every request and its
 * outcome: with --threads 1 and the seed of a failed run, the trace that
 * led to it.
 *
 * The choices of each iteration of each thread follow from the seed, the
 * thread and the iteration number alone; what the kernel answers, and how
 * two threads' requests meet, do not. Exit status 1 on anything
 * it can tell is wrong: a request that must succeed failing, a reply that
 * does not parse, the kernel and userspace codecs disagreeing on an image,
 * a kernel-internal errno, a device left over, a request that hangs. The
 * kernel's own reports (KASAN, lockdep, WARN...) are for the caller to
 * check. The last line is "ok - nlfuzz: ..." or "not ok - nlfuzz: ...".
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vnif.h>

#include "image.h"

/* SO_SNDBUFFORCE of the frame socket: 64 MiB. */
static const int pkt_sndbuf = 64 << 20;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NSLOTS		4		/* pairs the threads fight over */
#define RBUF_LEN	(1024 * 1024)	/* one netlink datagram, at most */
#define MSG_CAP		(256 * 1024)	/* one request, at most */
#define FRAME_MAX	65600
#define MAX_ERRNO	1024
#define REPLY_TIMEOUT_S	60		/* no reply for so long: a hang */
#define HANG_S		150		/* one operation for so long: a hang */
#define IMG_MAX		4096
#define PROBE_MAX	128		/* frames the probe follows */
#define NAME_LEN	32
#define HOME		0
#define AWAY		1

enum role { ROLE_ALL, ROLE_GATE, ROLE_LINK };

enum optype {
	OP_CREATE,
	OP_CREATE_FUZZ,
	OP_CHANGE,
	OP_SETLINK,
	OP_MOVE,
	OP_DELETE,
	OP_DELETE_FUZZ,
	OP_NETNS_GONE,
	OP_GETLINK,
	OP_LINKDUMP,
	OP_GET,
	OP_GETDUMP,
	OP_FREEZE,
	OP_THAW,
	OP_QGET,
	OP_QGET_ABANDON,
	OP_QLOAD,
	OP_GENL_FUZZ,
	OP_POLICY,
	OP_SEND,
	OP_CRAK_VERSION,
	OP_CRAK_VALID,
	OP_CRAK_MUTATED,
	OP_CRAK_RANDOM,
	OP_CRAK_BADPTR,
	OP_CRAK_BADIOCTL,
	OP_CRAK_INSPECT,
	OP_PROBE,
	OP_CHECK,
	__OP_MAX
};

static const char * const op_names[__OP_MAX] = {
	[OP_CREATE]		= "rtnl.newlink-valid",
	[OP_CREATE_FUZZ]	= "rtnl.newlink-fuzz",
	[OP_CHANGE]		= "rtnl.newlink-change",
	[OP_SETLINK]		= "rtnl.setlink-updown",
	[OP_MOVE]		= "rtnl.setlink-netns",
	[OP_DELETE]		= "rtnl.dellink",
	[OP_DELETE_FUZZ]	= "rtnl.dellink-fuzz",
	[OP_NETNS_GONE]		= "netns.pair-deleted-with-its-netns",
	[OP_GETLINK]		= "rtnl.getlink",
	[OP_LINKDUMP]		= "rtnl.getlink-dump",
	[OP_GET]		= "genl.get",
	[OP_GETDUMP]		= "genl.get-dump",
	[OP_FREEZE]		= "genl.freeze",
	[OP_THAW]		= "genl.thaw",
	[OP_QGET]		= "genl.queue-get",
	[OP_QGET_ABANDON]	= "genl.queue-get-abandoned",
	[OP_QLOAD]		= "genl.queue-load",
	[OP_GENL_FUZZ]		= "genl.fuzz",
	[OP_POLICY]		= "genl.policy-dump",
	[OP_SEND]		= "packet.send",
	[OP_CRAK_VERSION]	= "crak.version",
	[OP_CRAK_VALID]		= "crak.check-valid",
	[OP_CRAK_MUTATED]	= "crak.check-mutated",
	[OP_CRAK_RANDOM]	= "crak.check-random",
	[OP_CRAK_BADPTR]	= "crak.bad-pointer",
	[OP_CRAK_BADIOCTL]	= "crak.bad-ioctl",
	[OP_CRAK_INSPECT]	= "crak.inspect",
	[OP_PROBE]		= "probe (private pair)",
	[OP_CHECK]		= "checks (lookups after changes)",
};

struct op_stat {
	unsigned long sent;
	unsigned long ok;
	unsigned long err[MAX_ERRNO];
};

/* xorshift64*, seeded through splitmix64. */
struct rng {
	uint64_t s;
};

struct nl {
	int fd;
	uint32_t portid;
	uint32_t seq;
	const char *name;
	uint8_t *rbuf;
};

struct msg {
	uint8_t *buf;
	size_t len;
	int full;
};

/* One pair: its outer end stays home, its inner end moves. */
struct slot {
	pthread_mutex_t lock;	/* held by whoever creates, moves, deletes */
	atomic_int outer;	/* ifindex at home, 0 without a pair */
	atomic_int inner;	/* ifindex in its namespace */
	atomic_int inner_away;
	char oname[IFNAMSIZ];
	char iname[IFNAMSIZ];
};

struct worker {
	int id;
	enum role role;
	pthread_t thread;
	struct rng r;
	struct nl rt[2];	/* rtnetlink, home and away */
	struct nl ge[2];	/* generic netlink, home and away */
	int pkt;		/* AF_PACKET, home */
	struct msg m;
	uint8_t *frame;
	unsigned long iter;
	char desc[512];		/* the request being built */
	size_t dlen;
	char now[600];		/* the request in flight */
	char last[600];		/* the last request sent */
	char emsg[160];		/* its extended ACK message */
	atomic_int op;
	atomic_llong since_ms;	/* when the current operation began, 0 idle */
	atomic_int tid;		/* its thread id while it runs */
	atomic_ullong tid_start;	/* its start time, once inspected */
	struct kid *kid;	/* its child for CRAK_IOC_INSPECT */
	atomic_int kid_pid;	/* the child's PID, 0 without */
	uint8_t *ibuf;		/* CRAK_IOC_INSPECT buffers (insp_setup()) */
};

struct vstats {
	uint64_t v[__VNIF_STATS_MAX];
};

struct vinfo {
	uint32_t ifindex;
	uint32_t peer_ifindex;
	uint32_t limit_packets;
	uint32_t limit_bytes;
	uint32_t deadline_ms;
	uint32_t left_ms;
	uint8_t inner;
	uint8_t state;
	uint8_t policy;
	char name[IFNAMSIZ];
	struct vstats st[__VNIF_DIR_MAX];
};

struct linfo {
	int ifindex;
	unsigned int flags;
	char name[IFNAMSIZ];
	int link;
	int link_netnsid;	/* IFLA_LINK_NETNSID present */
	uint32_t mtu;
	int vnif;
	uint8_t inner;
	uint8_t state;
	uint32_t limit_packets;
	uint32_t limit_bytes;
	uint32_t deadline_ms;
	uint8_t policy;
};

struct qframe {
	uint8_t dir;
	uint64_t tstamp;
	uint32_t len;
	uint8_t *data;
};

/* Frames of a queue dump; kept (copied) only when keep is set. */
struct qlist {
	int keep;
	unsigned int n;
	struct qframe f[PROBE_MAX];
};

/* What a reply callback is given. */
struct reply {
	int (*cb)(struct worker *w, const struct nlmsghdr *nh, void *arg);
	void *arg;
	unsigned int msgs;
	size_t reqlen;	/* of the request */
	int end;	/* the reply has ended */
	int bad;	/* a message of it did not parse */
	int err;	/* its errno */
};

static struct {
	uint64_t seed;
	unsigned long iterations;
	unsigned int seconds;
	unsigned int threads;
	size_t max_frame;
	int verbose;
} opt = {
	.iterations = 1000000,
	.seconds = 60,
	.threads = 2,
};

static struct op_stat stats[__OP_MAX];
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stop;
static atomic_int failures;
static atomic_ulong iterations;
static atomic_ulong frames_dumped;	/* held frames seen in queue dumps */
static char first_failure[1024];
static uint64_t t_start;
static uint16_t genl_family;
static int ns_fd[2] = { -1, -1 };
static int uts_fd = -1;		/* an nsfs file that is no network namespace */
static int null_fd = -1;
static int crak_fd = -1;
static struct slot slots[NSLOTS + 1];
#define PROBE_SLOT	(&slots[NSLOTS])
static struct worker *workers;
static struct worker main_w;
static __thread struct worker *self;
static __thread char why_buf[256];	/* a parser's detailed complaint */

/* Three pages: read-write, inaccessible, read-only. */
static uint8_t *guard;
static long page_size;
static atomic_int did_max_check;
/* Other threads may change any shared pair at any time. */
static int racing;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int open_ns(void)
{
	return open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

static double elapsed_s(void)
{
	return (now_ms() - t_start) / 1000.0;
}

static const char *errname(int e, char *buf, size_t len)
{
	const char *n = e > 0 ? strerrorname_np(e) : NULL;

	if (e == 0)
		return "ok";
	if (n)
		return n;
	snprintf(buf, len, "E%d", e);
	return buf;
}

/* ---- random numbers ---- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);

	r->s = splitmix(&x) | 1;
}

static uint64_t rnd64(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* 0 .. n - 1 */
static uint32_t rnd(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd64(r) >> 32) * n) >> 32);
}

/* lo .. hi */
static uint32_t rnd_in(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(((rnd64(r) >> 32) * ((uint64_t)hi - lo + 1)) >> 32);
}

static int pct(struct rng *r, unsigned int p)
{
	return rnd(r, 100) < p;
}

static void rnd_bytes(struct rng *r, void *buf, size_t len)
{
	uint8_t *p = buf;
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			x = rnd64(r);
		p[i] = (uint8_t)x;
		x >>= 8;
	}
}

/* Mostly the boundaries of [min, max], else anything in it. */
static uint32_t pick_u32(struct rng *r, uint32_t min, uint32_t max)
{
	const uint32_t v[] = {
		0, 1, min - 1, min, min + 1, max - 1, max, max + 1,
		UINT32_MAX, 0x7fffffff, 0x80000000, 0xffff, 0x10000,
	};

	if (pct(r, 35))
		return rnd_in(r, min, max);
	return v[rnd(r, ARRAY_SIZE(v))];
}

/* ---- results, failures, log ---- */

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	n = self ? snprintf(buf, sizeof(buf), "thread %d, iteration %lu: ",
			    self->id, self->iter) : 0;
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&out_lock);
	if (!atomic_fetch_add(&failures, 1))
		snprintf(first_failure, sizeof(first_failure), "%s", buf);
	printf("# FAIL: %s\n", buf);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	atomic_store(&stop, 1);
}

static void note(struct worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends to the description of the request being built. */
static void note(struct worker *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->dlen >= sizeof(w->desc) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->desc + w->dlen, sizeof(w->desc) - w->dlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->dlen += (size_t)n;
	if (w->dlen >= sizeof(w->desc))
		w->dlen = sizeof(w->desc) - 1;
}

/* Counts one request of @op that ended with @err (0 or an errno). */
static void record(struct worker *w, enum optype op, int err)
{
	char eb[16];

	snprintf(w->last, sizeof(w->last), "%s:%s", op_names[op], w->desc);
	pthread_mutex_lock(&stats_lock);
	stats[op].sent++;
	if (!err)
		stats[op].ok++;
	else
		stats[op].err[err < MAX_ERRNO ? err : MAX_ERRNO - 1]++;
	pthread_mutex_unlock(&stats_lock);
	if (opt.verbose)
		printf("# t%d #%lu %s -> %s%s%s%s\n", w->id, w->iter, w->last,
		       errname(err, eb, sizeof(eb)), w->emsg[0] ? " (" : "",
		       w->emsg, w->emsg[0] ? ")" : "");
	w->dlen = 0;
	w->desc[0] = '\0';
	/* errno values from 512 up are the kernel's own, never for users. */
	if (err >= 512)
		fail("%s returned the kernel-internal errno %d", w->last, err);
}

/* A request that had to succeed: fails the run if it did not. */
static int must(struct worker *w, int err, const char *what)
{
	char eb[16];

	if (err > 0)
		fail("%s failed: %s%s%s%s [%s]", what, errname(err, eb, sizeof(eb)),
		     w->emsg[0] ? " (" : "", w->emsg, w->emsg[0] ? ")" : "", w->last);
	return err;
}

/* ---- netlink messages ---- */

static void *msg_grow(struct msg *m, size_t len)
{
	size_t alen = NLMSG_ALIGN(len);
	void *p;

	if (m->full || alen > MSG_CAP - m->len) {
		m->full = 1;
		return NULL;
	}
	p = m->buf + m->len;
	memset(p, 0, alen);
	m->len += alen;
	return p;
}

static void msg_start(struct msg *m, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nh;

	m->len = 0;
	m->full = 0;
	nh = msg_grow(m, sizeof(*nh));
	nh->nlmsg_type = type;
	nh->nlmsg_flags = flags;
}

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

/* An attribute whose header claims @claim bytes of payload; @len follow. */
static void attr_claim(struct msg *m, uint16_t type, size_t claim,
		       const void *data, size_t len)
{
	struct nlattr *a = msg_grow(m, NLA_HDRLEN + len);

	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + claim);
	if (len && data)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
}

static void attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	if (NLA_HDRLEN + len > 0xffff) {
		m->full = 1;
		return;
	}
	attr_claim(m, type, len, data, len);
}

static void attr_u8(struct msg *m, uint16_t type, uint8_t v)
{
	attr(m, type, &v, sizeof(v));
}

static void attr_u16(struct msg *m, uint16_t type, uint16_t v)
{
	attr(m, type, &v, sizeof(v));
}

static void attr_u32(struct msg *m, uint16_t type, uint32_t v)
{
	attr(m, type, &v, sizeof(v));
}

static void attr_u64(struct msg *m, uint16_t type, uint64_t v)
{
	attr(m, type, &v, sizeof(v));
}

static void attr_str(struct msg *m, uint16_t type, const char *s)
{
	attr(m, type, s, strlen(s) + 1);
}

static size_t nest_start(struct msg *m, uint16_t type)
{
	size_t off = m->len;
	struct nlattr *a = msg_grow(m, NLA_HDRLEN);

	if (a)
		a->nla_type = type;
	return off;
}

static void nest_end(struct msg *m, size_t off)
{
	struct nlattr *a;

	if (m->full)
		return;
	if (m->len - off > 0xffff) {
		m->full = 1;
		return;
	}
	a = (struct nlattr *)(m->buf + off);
	a->nla_len = (uint16_t)(m->len - off);
}

/* ---- parsing what the kernel sends ---- */

static const void *adata(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t alen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/*
 * Indexes the attributes in [data, data + len) by type into tb[0..max]
 * (the last of each). Returns -1 when they do not tile the space exactly.
 */
static int attrs_parse(const void *data, size_t len, const struct nlattr **tb,
		       unsigned int max, unsigned int *unknown, unsigned int *dups)
{
	const uint8_t *p = data;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (unknown)
		*unknown = 0;
	if (dups)
		*dups = 0;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t step = NLA_ALIGN(a->nla_len);
		unsigned int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -1;
		if (type > max) {
			if (unknown)
				(*unknown)++;
		} else {
			if (tb[type] && dups)
				(*dups)++;
			tb[type] = a;
		}
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return len ? -1 : 0;
}

/* Every attribute flagged NLA_F_NESTED holds well-formed attributes too. */
static int wellformed(const void *data, size_t len, int depth)
{
	const uint8_t *p = data;

	if (depth > 16)
		return -1;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t step = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -1;
		if ((a->nla_type & NLA_F_NESTED) &&
		    wellformed(adata(a), alen(a), depth + 1))
			return -1;
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return len ? -1 : 0;
}

static int get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || alen(a) != sizeof(*v))
		return -1;
	memcpy(v, adata(a), sizeof(*v));
	return 0;
}

static int get_u16(const struct nlattr *a, uint16_t *v)
{
	if (!a || alen(a) != sizeof(*v))
		return -1;
	memcpy(v, adata(a), sizeof(*v));
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || alen(a) != sizeof(*v))
		return -1;
	memcpy(v, adata(a), sizeof(*v));
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || alen(a) != sizeof(*v))
		return -1;
	memcpy(v, adata(a), sizeof(*v));
	return 0;
}

/* A NUL-terminated string that fills its attribute and @size. */
static int get_str(const struct nlattr *a, char *buf, size_t size)
{
	size_t n;

	if (!a || alen(a) < 1 || alen(a) > size)
		return -1;
	n = strnlen(adata(a), alen(a));
	if (n != alen(a) - 1)
		return -1;
	memcpy(buf, adata(a), n + 1);
	return 0;
}

static const char *parse_stats(const struct nlattr *nest, struct vstats *vs)
{
	const struct nlattr *tb[VNIF_STATS_MAX + 1];
	unsigned int unknown, dups, t;

	if (!nest || !(nest->nla_type & NLA_F_NESTED))
		return "stats: missing, or not flagged nested";
	if (attrs_parse(adata(nest), alen(nest), tb, VNIF_STATS_MAX, &unknown,
			&dups) || unknown || dups)
		return "stats: malformed, unknown or repeated attributes";
	for (t = VNIF_STATS_HELD; t <= VNIF_STATS_MAX; t++)
		if (t != VNIF_STATS_PAD && get_u64(tb[t], &vs->v[t]))
			return "stats: a counter is missing or not a u64";
	if (vs->v[VNIF_STATS_HELD] > vs->v[VNIF_STATS_HIGH_WATER])
		return "stats: more frames held than the high water mark";
	if (!vs->v[VNIF_STATS_HELD] && vs->v[VNIF_STATS_HELD_BYTES])
		return "stats: bytes held without frames";
	return NULL;
}

static const char *parse_genl(const struct nlmsghdr *nh, uint8_t cmd,
			      const struct nlattr **tb, unsigned int max)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	size_t len = nh->nlmsg_len - NLMSG_HDRLEN;
	unsigned int unknown, dups;

	if (nh->nlmsg_type != genl_family)
		return "not of the vnif family";
	if (len < GENL_HDRLEN)
		return "shorter than a genl header";
	if (gh->cmd != cmd || gh->version != VNIF_GENL_VERSION)
		return "unexpected command or version";
	if (attrs_parse((const uint8_t *)gh + GENL_HDRLEN, len - GENL_HDRLEN,
			tb, max, &unknown, &dups))
		return "attributes do not parse";
	if (unknown || dups)
		return "unknown or repeated attributes";
	return NULL;
}

/* A VNIF_CMD_GET reply: every attribute there, each in range. */
static const char *parse_vinfo(const struct nlmsghdr *nh, struct vinfo *vi)
{
	const struct nlattr *tb[VNIF_A_MAX + 1];
	const char *why;

	memset(vi, 0, sizeof(*vi));
	why = parse_genl(nh, VNIF_CMD_GET, tb, VNIF_A_MAX);
	if (why)
		return why;
	if (get_u32(tb[VNIF_A_IFINDEX], &vi->ifindex) ||
	    get_str(tb[VNIF_A_IFNAME], vi->name, sizeof(vi->name)) ||
	    get_u32(tb[VNIF_A_PEER_IFINDEX], &vi->peer_ifindex) ||
	    get_u8(tb[VNIF_A_INNER], &vi->inner) ||
	    get_u8(tb[VNIF_A_STATE], &vi->state) ||
	    get_u32(tb[VNIF_A_LIMIT_PACKETS], &vi->limit_packets) ||
	    get_u32(tb[VNIF_A_LIMIT_BYTES], &vi->limit_bytes) ||
	    get_u32(tb[VNIF_A_DEADLINE_MS], &vi->deadline_ms) ||
	    get_u8(tb[VNIF_A_DEADLINE_POLICY], &vi->policy))
		return "GET: an attribute is missing or has a bad length";
	if (tb[VNIF_A_DEADLINE_LEFT_MS] &&
	    (get_u32(tb[VNIF_A_DEADLINE_LEFT_MS], &vi->left_ms) || !vi->left_ms))
		return "GET: bad VNIF_A_DEADLINE_LEFT_MS";
	if (tb[VNIF_A_FLAGS] || tb[VNIF_A_PKT] || tb[VNIF_A_UNSPEC])
		return "GET: unexpected attribute";
	if (!vi->ifindex || vi->inner > 1 || vi->state >= __VNIF_STATE_MAX ||
	    vi->policy >= __VNIF_DEADLINE_MAX ||
	    vi->limit_packets < 1 || vi->limit_packets > VNIF_LIMIT_PACKETS_MAX ||
	    vi->limit_bytes < VNIF_LIMIT_BYTES_MIN ||
	    vi->limit_bytes > VNIF_LIMIT_BYTES_MAX ||
	    vi->deadline_ms > VNIF_DEADLINE_MS_MAX)
		return "GET: a value out of range";
	if (vi->left_ms && vi->state != VNIF_STATE_HOLD)
		return "GET: deadline time left while not holding";
	why = parse_stats(tb[VNIF_A_STATS_INGRESS], &vi->st[VNIF_DIR_INGRESS]);
	if (!why)
		why = parse_stats(tb[VNIF_A_STATS_EGRESS], &vi->st[VNIF_DIR_EGRESS]);
	return why;
}

/* A VNIF_CMD_QUEUE_GET message: one held frame. */
static const char *parse_qframe(const struct nlmsghdr *nh, struct qframe *f)
{
	const struct nlattr *tb[VNIF_A_MAX + 1], *pt[VNIF_PKT_MAX_ATTR + 1];
	const struct nlattr *pkt;
	unsigned int unknown, dups;
	uint16_t proto;
	const char *why;

	why = parse_genl(nh, VNIF_CMD_QUEUE_GET, tb, VNIF_A_MAX);
	if (why)
		return why;
	pkt = tb[VNIF_A_PKT];
	if (!pkt || !(pkt->nla_type & NLA_F_NESTED))
		return "QUEUE_GET: no nested VNIF_A_PKT";
	if (attrs_parse(adata(pkt), alen(pkt), pt, VNIF_PKT_MAX_ATTR, &unknown,
			&dups))
		return "QUEUE_GET: VNIF_A_PKT does not parse (nla_len?)";
	if (unknown || dups)
		return "QUEUE_GET: unknown or repeated attributes in VNIF_A_PKT";
	if (get_u8(pt[VNIF_PKT_DIRECTION], &f->dir) ||
	    get_u64(pt[VNIF_PKT_TSTAMP_NS], &f->tstamp) ||
	    get_u32(pt[VNIF_PKT_LEN], &f->len) ||
	    get_u16(pt[VNIF_PKT_PROTOCOL], &proto) || !pt[VNIF_PKT_DATA]) {
		snprintf(why_buf, sizeof(why_buf),
			 "QUEUE_GET: a VNIF_PKT_* attribute is missing or has a bad length: VNIF_A_PKT has nla_len %u in a message of %u bytes%s",
			 pkt->nla_len, nh->nlmsg_len,
			 nh->nlmsg_len > 0xffff ? " (a nest longer than 65535 bytes?)" : "");
		return why_buf;
	}
	if (f->dir >= __VNIF_DIR_MAX)
		return "QUEUE_GET: bad direction";
	if (alen(pt[VNIF_PKT_DATA]) != f->len || f->len < ETH_HLEN ||
	    f->len > VNIF_PKT_MAX) {
		snprintf(why_buf, sizeof(why_buf),
			 "QUEUE_GET: VNIF_PKT_LEN %u and VNIF_PKT_DATA of %zu bytes disagree, or are out of range",
			 f->len, alen(pt[VNIF_PKT_DATA]));
		return why_buf;
	}
	f->data = (uint8_t *)adata(pt[VNIF_PKT_DATA]);
	if (memcmp(&proto, f->data + 12, 2))
		return "QUEUE_GET: VNIF_PKT_PROTOCOL is not the frame's ethertype";
	return NULL;
}

/* An RTM_NEWLINK message; of a vnif end, its IFLA_INFO_DATA too. */
static const char *parse_link(const struct nlmsghdr *nh, struct linfo *li)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct nlattr *vd[IFLA_VNIF_MAX + 1];
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	size_t len = nh->nlmsg_len - NLMSG_HDRLEN;
	unsigned int unknown;
	struct vstats vs;
	char kind[32];
	const char *why;

	memset(li, 0, sizeof(*li));
	if (nh->nlmsg_type != RTM_NEWLINK || len < sizeof(*ifi))
		return "not an RTM_NEWLINK message";
	if (attrs_parse((const uint8_t *)ifi + NLMSG_ALIGN(sizeof(*ifi)),
			len - NLMSG_ALIGN(sizeof(*ifi)), tb, IFLA_MAX, NULL, NULL))
		return "link: attributes do not parse";
	li->ifindex = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	if (get_str(tb[IFLA_IFNAME], li->name, sizeof(li->name)))
		return "link: bad IFLA_IFNAME";
	if (tb[IFLA_MTU] && get_u32(tb[IFLA_MTU], &li->mtu))
		return "link: bad IFLA_MTU";
	if (tb[IFLA_LINK] && get_u32(tb[IFLA_LINK], (uint32_t *)&li->link))
		return "link: bad IFLA_LINK";
	li->link_netnsid = !!tb[IFLA_LINK_NETNSID];
	if (!tb[IFLA_LINKINFO])
		return NULL;
	if (attrs_parse(adata(tb[IFLA_LINKINFO]), alen(tb[IFLA_LINKINFO]), info,
			IFLA_INFO_MAX, NULL, NULL))
		return "link: IFLA_LINKINFO does not parse";
	if (!info[IFLA_INFO_KIND] ||
	    get_str(info[IFLA_INFO_KIND], kind, sizeof(kind)) ||
	    strcmp(kind, "vnif"))
		return NULL;
	li->vnif = 1;
	if (!info[IFLA_INFO_DATA])
		return "vnif link: no IFLA_INFO_DATA";
	if (attrs_parse(adata(info[IFLA_INFO_DATA]), alen(info[IFLA_INFO_DATA]),
			vd, IFLA_VNIF_MAX, &unknown, NULL) || unknown)
		return "vnif link: IFLA_INFO_DATA does not parse";
	if (vd[IFLA_VNIF_PEER])
		return "vnif link: IFLA_VNIF_PEER reported";
	if (get_u8(vd[IFLA_VNIF_STATE], &li->state) ||
	    get_u8(vd[IFLA_VNIF_INNER], &li->inner) ||
	    get_u32(vd[IFLA_VNIF_LIMIT_PACKETS], &li->limit_packets) ||
	    get_u32(vd[IFLA_VNIF_LIMIT_BYTES], &li->limit_bytes) ||
	    get_u32(vd[IFLA_VNIF_DEADLINE_MS], &li->deadline_ms) ||
	    get_u8(vd[IFLA_VNIF_DEADLINE_POLICY], &li->policy))
		return "vnif link: an IFLA_VNIF_* attribute is missing or has a bad length";
	if (li->state >= __VNIF_STATE_MAX || li->inner > 1 ||
	    li->limit_packets < 1 || li->limit_packets > VNIF_LIMIT_PACKETS_MAX ||
	    li->limit_bytes < VNIF_LIMIT_BYTES_MIN ||
	    li->limit_bytes > VNIF_LIMIT_BYTES_MAX ||
	    li->deadline_ms > VNIF_DEADLINE_MS_MAX ||
	    li->policy >= __VNIF_DEADLINE_MAX)
		return "vnif link: a value out of range";
	why = parse_stats(vd[IFLA_VNIF_STATS_INGRESS], &vs);
	if (!why)
		why = parse_stats(vd[IFLA_VNIF_STATS_EGRESS], &vs);
	return why;
}

/* ---- talking to the kernel ---- */

static int nl_open(struct nl *s, int proto, const char *name, int strict)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int one = 1, rcv = 4 << 20, snd = 1 << 20;
	socklen_t sl = sizeof(sa);

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd < 0)
		return -1;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &sl))
		return -1;
	s->portid = sa.nl_pid;
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (strict)
		setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
			   sizeof(one));
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)))
		setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (setsockopt(s->fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)))
		setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	s->rbuf = malloc(RBUF_LEN);
	return s->rbuf ? 0 : -1;
}

/* The extended ACK attributes after an error or NLMSG_DONE. */
static int parse_tlvs(struct worker *w, const uint8_t *p, size_t len,
		      size_t reqlen, const char *what)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	uint32_t offs;

	if (attrs_parse(p, len, tb, NLMSGERR_ATTR_MAX, NULL, NULL) ||
	    wellformed(p, len, 0)) {
		fail("%s: malformed extended ACK attributes [%s]", what, w->now);
		return -1;
	}
	if (tb[NLMSGERR_ATTR_MSG] &&
	    get_str(tb[NLMSGERR_ATTR_MSG], w->emsg, sizeof(w->emsg))) {
		fail("%s: extended ACK message not a string [%s]", what, w->now);
		return -1;
	}
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    (get_u32(tb[NLMSGERR_ATTR_OFFS], &offs) || offs >= reqlen)) {
		fail("%s: extended ACK offset out of the request [%s]", what,
		     w->now);
		return -1;
	}
	return 0;
}

/* Sends w->m on @s as a new request: 0, or the errno of sendto(). */
static int nl_send(struct worker *w, struct nl *s, struct reply *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *req = msg_hdr(&w->m);

	w->emsg[0] = '\0';
	r->msgs = 0;
	r->end = 0;
	r->bad = 0;
	r->err = 0;
	r->reqlen = w->m.len;
	req->nlmsg_seq = ++s->seq;
	req->nlmsg_len = (uint32_t)w->m.len;
	if (sendto(s->fd, w->m.buf, w->m.len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return errno;
	return 0;
}

/*
 * Reads one datagram of the replies to the request in flight on @s: data
 * messages go to r->cb; NLMSG_ERROR (the ACK) or NLMSG_DONE ends the
 * reply, with its errno in r->err. Returns 1 once the reply has ended, 0
 * when more is to come, -1 when the exchange went wrong (fail() says how).
 */
static int nl_recv_one(struct worker *w, struct nl *s, struct reply *r)
{
	const struct nlmsghdr *nh = (const struct nlmsghdr *)s->rbuf;
	uint32_t seq = s->seq;
	size_t rem;
	ssize_t n;

	do {
		n = recv(s->fd, s->rbuf, RBUF_LEN, MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		fail("%s: %s waiting for the reply [%s]", s->name,
		     errno == EAGAIN ? "nothing in 60 s" : strerror(errno),
		     w->now);
		return -1;
	}
	if (n > RBUF_LEN) {
		fail("%s: a reply of %zd bytes [%s]", s->name, n, w->now);
		return -1;
	}
	for (rem = (size_t)n; rem > 0;) {
		size_t plen, step;

		if (rem < NLMSG_HDRLEN || nh->nlmsg_len < NLMSG_HDRLEN ||
		    nh->nlmsg_len > rem) {
			fail("%s: a reply message of %u bytes in %zu [%s]",
			     s->name, rem >= NLMSG_HDRLEN ? nh->nlmsg_len : 0,
			     rem, w->now);
			return -1;
		}
		if (r->end) {
			fail("%s: a message after the end of the reply [%s]",
			     s->name, w->now);
			return -1;
		}
		if (nh->nlmsg_seq != seq || nh->nlmsg_pid != s->portid) {
			fail("%s: a reply of seq %u to port %u, expected %u to %u [%s]",
			     s->name, nh->nlmsg_seq, nh->nlmsg_pid, seq,
			     s->portid, w->now);
			return -1;
		}
		plen = nh->nlmsg_len - NLMSG_HDRLEN;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);
			size_t off = sizeof(*e);

			r->end = 1;
			if (plen < sizeof(*e) || e->error > 0 ||
			    e->error < -4095 || e->msg.nlmsg_seq != seq) {
				fail("%s: a malformed NLMSG_ERROR [%s]",
				     s->name, w->now);
				return -1;
			}
			r->err = -e->error;
			if (!(nh->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - NLMSG_HDRLEN;
			if ((nh->nlmsg_flags & NLM_F_ACK_TLVS) &&
			    (off > plen ||
			     parse_tlvs(w, (const uint8_t *)e + off,
					plen - off, r->reqlen, s->name)))
				r->bad = 1;
		} else if (nh->nlmsg_type == NLMSG_DONE) {
			int e;

			r->end = 1;
			if (plen < sizeof(e)) {
				fail("%s: a short NLMSG_DONE [%s]", s->name,
				     w->now);
				return -1;
			}
			memcpy(&e, NLMSG_DATA(nh), sizeof(e));
			if (e > 0 || e < -4095) {
				fail("%s: NLMSG_DONE with error %d [%s]",
				     s->name, e, w->now);
				return -1;
			}
			r->err = -e;
			if ((nh->nlmsg_flags & NLM_F_ACK_TLVS) &&
			    parse_tlvs(w, (const uint8_t *)NLMSG_DATA(nh) +
				       sizeof(e), plen - sizeof(e),
				       r->reqlen, s->name))
				r->bad = 1;
		} else if (nh->nlmsg_type < NLMSG_MIN_TYPE) {
			fail("%s: a reply of type %u [%s]", s->name,
			     nh->nlmsg_type, w->now);
			r->bad = 1;
		} else {
			r->msgs++;
			if (!r->cb) {
				fail("%s: an unexpected reply of type %u [%s]",
				     s->name, nh->nlmsg_type, w->now);
				r->bad = 1;
			} else if (r->cb(w, nh, r->arg)) {
				r->bad = 1;
			}
		}
		step = NLMSG_ALIGN(nh->nlmsg_len);
		if (step > rem)
			step = rem;
		rem -= step;
		nh = (const struct nlmsghdr *)((const uint8_t *)nh + step);
	}
	return r->end;
}

/*
 * Sends the request in w->m on @s and reads every reply to it. Returns 0
 * or the errno of the kernel's answer, or -1 when the exchange itself went
 * wrong (reported with fail()).
 */
static int nl_talk(struct worker *w, struct nl *s, struct reply *r)
{
	int ret = nl_send(w, s, r);

	if (ret)
		return ret;
	do {
		ret = nl_recv_one(w, s, r);
	} while (!ret);
	if (ret < 0 || r->bad)
		return -1;
	return r->err;
}

/* Sends w->m as one request of @op, counts and logs its outcome. */
static int req(struct worker *w, struct nl *s, enum optype op, struct reply *r)
{
	struct reply none = { 0 };
	int err;

	if (w->m.full) {
		/* Too big to build: not sent, not counted. */
		w->dlen = 0;
		w->now[0] = '\0';
		return -2;
	}
	snprintf(w->now, sizeof(w->now), "%s:%s", op_names[op], w->desc);
	err = nl_talk(w, s, r ? r : &none);
	if (err >= 0)
		record(w, op, err);
	return err;
}

static int cb_vinfo(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	struct vinfo vi, *out = arg;
	const char *why = parse_vinfo(nh, &vi);

	if (why) {
		fail("%s [%s]", why, w->now);
		return -1;
	}
	if (out)
		*out = vi;
	return 0;
}

static int cb_qframe(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	struct qlist *ql = arg;
	struct qframe f;
	const char *why = parse_qframe(nh, &f);
	uint8_t *copy;

	if (why) {
		fail("%s [%s]", why, w->now);
		return -1;
	}
	if (ql && ql->keep && ql->n < PROBE_MAX) {
		copy = malloc(f.len);
		if (!copy)
			abort();
		memcpy(copy, f.data, f.len);
		f.data = copy;
		ql->f[ql->n] = f;
	}
	if (ql)
		ql->n++;
	atomic_fetch_add(&frames_dumped, 1);
	return 0;
}

static int cb_link(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	struct linfo li, *out = arg;
	const char *why = parse_link(nh, &li);

	if (why) {
		fail("%s [%s]", why, w->now);
		return -1;
	}
	if (out)
		*out = li;
	return 0;
}

/* Any vnif genl reply, as the fuzzed command may produce. */
static int cb_any_vnif(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);

	(void)arg;
	if (nh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
	    gh->cmd == VNIF_CMD_QUEUE_GET)
		return cb_qframe(w, nh, NULL);
	return cb_vinfo(w, nh, NULL);
}

/* The controller's replies: well-formed, nothing more is checked. */
static int cb_ctrl(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	size_t len = nh->nlmsg_len - NLMSG_HDRLEN;

	(void)arg;
	if (nh->nlmsg_type != GENL_ID_CTRL || len < GENL_HDRLEN ||
	    wellformed((const uint8_t *)gh + GENL_HDRLEN, len - GENL_HDRLEN, 0)) {
		fail("a malformed controller reply [%s]", w->now);
		return -1;
	}
	return 0;
}

/* ---- rtnetlink helpers ---- */

static struct ifinfomsg *link_start(struct worker *w, uint16_t type,
				    uint16_t flags, int ifindex)
{
	struct ifinfomsg *ifi;

	msg_start(&w->m, type, NLM_F_REQUEST | NLM_F_ACK | flags);
	ifi = msg_grow(&w->m, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

static int getlink(struct worker *w, int ns, enum optype op, int ifindex,
		   const char *name, struct linfo *li)
{
	struct reply r = { .cb = cb_link, .arg = li };
	int err;

	link_start(w, RTM_GETLINK, 0, ifindex);
	if (name)
		attr_str(&w->m, IFLA_IFNAME, name);
	note(w, " %s %d %s", w->rt[ns].name, ifindex, name ? name : "");
	err = req(w, &w->rt[ns], op, &r);
	if (!err && r.msgs != 1) {
		fail("RTM_GETLINK: %u replies [%s]", r.msgs, w->last);
		return -1;
	}
	return err;
}

static int setlink_flags(struct worker *w, int ns, enum optype op, int ifindex,
			 unsigned int flags, unsigned int change)
{
	struct ifinfomsg *ifi = link_start(w, RTM_SETLINK, 0, ifindex);

	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	note(w, " %s %d flags %#x change %#x", w->rt[ns].name, ifindex, flags,
	     change);
	return req(w, &w->rt[ns], op, NULL);
}

static int dellink(struct worker *w, int ns, enum optype op, int ifindex,
		   const char *name)
{
	link_start(w, RTM_DELLINK, 0, ifindex);
	if (name)
		attr_str(&w->m, IFLA_IFNAME, name);
	note(w, " %s %d %s", w->rt[ns].name, ifindex, name ? name : "");
	return req(w, &w->rt[ns], op, NULL);
}

static int move_link(struct worker *w, int ns, enum optype op, int ifindex,
		     int to_fd)
{
	link_start(w, RTM_SETLINK, 0, ifindex);
	attr_u32(&w->m, IFLA_NET_NS_FD, (uint32_t)to_fd);
	note(w, " %s %d to netns fd %d", w->rt[ns].name, ifindex, to_fd);
	return req(w, &w->rt[ns], op, NULL);
}

/* A unicast, locally administered address. */
static void rnd_mac(struct rng *r, uint8_t *mac)
{
	rnd_bytes(r, mac, ETH_ALEN);
	mac[0] = (mac[0] & 0xfc) | 0x02;
}

struct pairspec {
	const char *oname;
	const char *iname;
	int inner_away;
	uint32_t packets;	/* 0: not given */
	uint32_t bytes;		/* 0: not given */
	int deadline;		/* -1: not given */
	int policy;		/* -1: not given */
	uint32_t omtu;		/* 0: not given */
	uint32_t imtu;
	int omac;
	int imac;
};

static int newpair(struct worker *w, enum optype op, const struct pairspec *ps)
{
	struct ifinfomsg *pi;
	size_t li, d, p;
	uint8_t mac[ETH_ALEN];

	link_start(w, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	attr_str(&w->m, IFLA_IFNAME, ps->oname);
	note(w, " %s", ps->oname);
	if (ps->omtu) {
		attr_u32(&w->m, IFLA_MTU, ps->omtu);
		note(w, " mtu %u", ps->omtu);
	}
	if (ps->omac) {
		rnd_mac(&w->r, mac);
		attr(&w->m, IFLA_ADDRESS, mac, ETH_ALEN);
		note(w, " address");
	}
	li = nest_start(&w->m, IFLA_LINKINFO);
	attr_str(&w->m, IFLA_INFO_KIND, "vnif");
	d = nest_start(&w->m, IFLA_INFO_DATA);
	p = nest_start(&w->m, IFLA_VNIF_PEER);
	pi = msg_grow(&w->m, sizeof(*pi));
	if (pi)
		pi->ifi_family = AF_UNSPEC;
	attr_str(&w->m, IFLA_IFNAME, ps->iname);
	note(w, " peer %s", ps->iname);
	if (ps->inner_away) {
		attr_u32(&w->m, IFLA_NET_NS_FD, (uint32_t)ns_fd[AWAY]);
		note(w, " away");
	}
	if (ps->imtu) {
		attr_u32(&w->m, IFLA_MTU, ps->imtu);
		note(w, " mtu %u", ps->imtu);
	}
	if (ps->imac) {
		rnd_mac(&w->r, mac);
		attr(&w->m, IFLA_ADDRESS, mac, ETH_ALEN);
		note(w, " address");
	}
	nest_end(&w->m, p);
	if (ps->packets) {
		attr_u32(&w->m, IFLA_VNIF_LIMIT_PACKETS, ps->packets);
		note(w, " packets %u", ps->packets);
	}
	if (ps->bytes) {
		attr_u32(&w->m, IFLA_VNIF_LIMIT_BYTES, ps->bytes);
		note(w, " bytes %u", ps->bytes);
	}
	if (ps->deadline >= 0) {
		attr_u32(&w->m, IFLA_VNIF_DEADLINE_MS, (uint32_t)ps->deadline);
		note(w, " deadline %d", ps->deadline);
	}
	if (ps->policy >= 0) {
		attr_u8(&w->m, IFLA_VNIF_DEADLINE_POLICY, (uint8_t)ps->policy);
		note(w, " policy %d", ps->policy);
	}
	nest_end(&w->m, d);
	nest_end(&w->m, li);
	return req(w, &w->rt[HOME], op, NULL);
}

/* ---- generic netlink helpers ---- */

static void genl_start(struct worker *w, uint16_t family, uint8_t cmd,
		       uint16_t flags)
{
	struct genlmsghdr *gh;

	msg_start(&w->m, family, NLM_F_REQUEST | NLM_F_ACK | flags);
	gh = msg_grow(&w->m, GENL_HDRLEN);
	gh->cmd = cmd;
	gh->version = VNIF_GENL_VERSION;
}

static int vnif_get(struct worker *w, int ns, enum optype op, uint32_t ifindex,
		    const char *name, struct vinfo *vi)
{
	struct reply r = { .cb = cb_vinfo, .arg = vi };
	int err;

	genl_start(w, genl_family, VNIF_CMD_GET, 0);
	if (ifindex)
		attr_u32(&w->m, VNIF_A_IFINDEX, ifindex);
	if (name)
		attr_str(&w->m, VNIF_A_IFNAME, name);
	note(w, " %s %u %s", w->ge[ns].name, ifindex, name ? name : "");
	err = req(w, &w->ge[ns], op, &r);
	if (!err && r.msgs != 1) {
		fail("VNIF_CMD_GET: %u replies [%s]", r.msgs, w->last);
		return -1;
	}
	if (!err && ifindex && vi && vi->ifindex != ifindex) {
		fail("VNIF_CMD_GET of %u answered for %u [%s]", ifindex,
		     vi->ifindex, w->last);
		return -1;
	}
	if (!err && name && vi && strcmp(vi->name, name)) {
		fail("VNIF_CMD_GET of %s answered for %s [%s]", name, vi->name,
		     w->last);
		return -1;
	}
	return err;
}

static int vnif_thaw(struct worker *w, int ns, enum optype op, uint32_t ifindex)
{
	genl_start(w, genl_family, VNIF_CMD_THAW, 0);
	attr_u32(&w->m, VNIF_A_IFINDEX, ifindex);
	note(w, " %s %u", w->ge[ns].name, ifindex);
	return req(w, &w->ge[ns], op, NULL);
}

/* -1 in a setting leaves it out. */
static int vnif_freeze(struct worker *w, enum optype op, uint32_t ifindex,
		       int64_t packets, int64_t bytes, int64_t deadline,
		       int policy, int64_t flags)
{
	genl_start(w, genl_family, VNIF_CMD_FREEZE, 0);
	attr_u32(&w->m, VNIF_A_IFINDEX, ifindex);
	note(w, " %s %u", w->ge[HOME].name, ifindex);
	if (packets >= 0) {
		attr_u32(&w->m, VNIF_A_LIMIT_PACKETS, (uint32_t)packets);
		note(w, " packets %u", (uint32_t)packets);
	}
	if (bytes >= 0) {
		attr_u32(&w->m, VNIF_A_LIMIT_BYTES, (uint32_t)bytes);
		note(w, " bytes %u", (uint32_t)bytes);
	}
	if (deadline >= 0) {
		attr_u32(&w->m, VNIF_A_DEADLINE_MS, (uint32_t)deadline);
		note(w, " deadline %u", (uint32_t)deadline);
	}
	if (policy >= 0) {
		attr_u8(&w->m, VNIF_A_DEADLINE_POLICY, (uint8_t)policy);
		note(w, " policy %d", policy);
	}
	if (flags >= 0) {
		attr_u32(&w->m, VNIF_A_FLAGS, (uint32_t)flags);
		note(w, " flags %#x", (uint32_t)flags);
	}
	return req(w, &w->ge[HOME], op, NULL);
}

static int queue_dump(struct worker *w, int ns, enum optype op, uint32_t ifindex,
		      struct qlist *ql)
{
	struct reply r = { .cb = cb_qframe, .arg = ql };

	genl_start(w, genl_family, VNIF_CMD_QUEUE_GET, NLM_F_DUMP);
	attr_u32(&w->m, VNIF_A_IFINDEX, ifindex);
	note(w, " %s %u", w->ge[ns].name, ifindex);
	return req(w, &w->ge[ns], op, &r);
}

static void qlist_free(struct qlist *ql)
{
	unsigned int i;

	for (i = 0; i < ql->n && i < PROBE_MAX; i++)
		free(ql->f[i].data);
	ql->n = 0;
}

/* ---- frames ---- */

static const uint16_t ethertypes[] = {
	0x88b5, 0x88b6, 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x0000, 0xffff,
};

/*
 * An Ethernet frame of @len random bytes: unicast source, mostly unicast
 * destination, and mostly an ethertype for local experiments, which the
 * stack drops at once (@sane: always).
 */
static void make_frame(struct rng *r, uint8_t *f, size_t len, int sane)
{
	uint16_t type;

	rnd_bytes(r, f, len);
	if (len < ETH_HLEN)
		return;
	if (!sane && pct(r, 10))
		f[0] |= 0x01;
	else
		f[0] = (f[0] & 0xfc) | 0x02;
	f[6] = (f[6] & 0xfc) | 0x02;
	if (sane || pct(r, 80))
		type = ethertypes[rnd(r, 2)];
	else
		type = ethertypes[rnd(r, ARRAY_SIZE(ethertypes))];
	f[12] = type >> 8;
	f[13] = (uint8_t)type;
}

/* Lengths either side of the limits: ETH_HLEN, the MTUs, VNIF_PKT_MAX. */
static const uint32_t big_lens[] = {
	VNIF_PKT_MAX - 1, VNIF_PKT_MAX, VNIF_PKT_MAX + 1,
	65488, 65489,		/* the largest frame a dump nest holds, and one more */
	65535 + ETH_HLEN, 65535 + ETH_HLEN + 1,
};

static size_t frame_len(struct rng *r)
{
	unsigned int x = rnd(r, 100);
	size_t len;

	if (x < 80)
		len = rnd_in(r, 60, 1514);
	else if (x < 85)
		len = rnd_in(r, ETH_HLEN, 59);
	else if (x < 88)
		len = rnd(r, ETH_HLEN);
	else if (x < 92)
		len = rnd_in(r, 1515, 1600);
	else if (x < 96)
		len = big_lens[rnd(r, ARRAY_SIZE(big_lens))];
	else
		len = rnd_in(r, 65400, 65549);	/* a pair with a large MTU */
	if (opt.max_frame && len > opt.max_frame)
		len = opt.max_frame;
	return len;
}

static int send_frame(struct worker *w, int ifindex, const uint8_t *f,
		      size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_protocol = htons(ETH_P_802_EX1),
	};

	note(w, " ifindex %d len %zu", ifindex, len);
	if (sendto(w->pkt, f, len, MSG_DONTWAIT, (struct sockaddr *)&sll,
		   sizeof(sll)) < 0)
		return errno;
	return 0;
}

/* ---- choosing what to work on ---- */

static int slot_end(struct slot *sl, int inner, int *ns)
{
	if (!inner) {
		*ns = HOME;
		return atomic_load(&sl->outer);
	}
	*ns = atomic_load(&sl->inner_away) ? AWAY : HOME;
	return atomic_load(&sl->inner);
}

/*
 * A device for a genl command: mostly an end of one of the shared pairs
 * (current or stale), named by index or name, in its namespace; else
 * something wrong. Never the probe's pair.
 */
static int put_target_slot(struct worker *w, int *ns, struct slot **slp)
{
	struct slot *sl = &slots[rnd(&w->r, NSLOTS)];
	int inner = pct(&w->r, 40), ifindex;
	unsigned int x = rnd(&w->r, 100);
	char bad[IFNAMSIZ + 4];

	ifindex = slot_end(sl, inner, ns);
	if (slp)
		*slp = x < 85 ? sl : NULL;
	if (x < 65) {
		attr_u32(&w->m, VNIF_A_IFINDEX, (uint32_t)ifindex);
		note(w, " %s %d", w->ge[*ns].name, ifindex);
	} else if (x < 85) {
		attr_str(&w->m, VNIF_A_IFNAME, inner ? sl->iname : sl->oname);
		note(w, " %s %s", w->ge[*ns].name, inner ? sl->iname : sl->oname);
	} else {
		*ns = HOME;
		switch (rnd(&w->r, 8)) {
		case 0:
			attr_u32(&w->m, VNIF_A_IFINDEX, 1);
			note(w, " lo");
			break;
		case 1:
			attr_u32(&w->m, VNIF_A_IFINDEX, pick_u32(&w->r, 0, 100));
			note(w, " a random index");
			break;
		case 2:
			attr_str(&w->m, VNIF_A_IFNAME, "nfnone");
			note(w, " nfnone");
			break;
		case 3:
			memset(bad, 'n', sizeof(bad));
			attr(&w->m, VNIF_A_IFNAME, bad, rnd_in(&w->r, 14, 18));
			note(w, " an unterminated name");
			break;
		case 4:
			attr(&w->m, VNIF_A_IFNAME, "", 1);
			note(w, " an empty name");
			break;
		case 5:
			attr_u32(&w->m, VNIF_A_IFINDEX, (uint32_t)ifindex);
			attr_str(&w->m, VNIF_A_IFNAME, sl->oname);
			note(w, " index and name");
			break;
		case 6:
			note(w, " no device");
			break;
		default:
			attr(&w->m, VNIF_A_IFINDEX, &ifindex, rnd(&w->r, 8));
			note(w, " an index of a random length");
			break;
		}
	}
	return ifindex;
}

static int put_target(struct worker *w, int *ns)
{
	return put_target_slot(w, ns, NULL);
}

/* ---- fuzzed attributes ---- */

static void fuzz_u32(struct worker *w, uint16_t type, uint32_t min,
		     uint32_t max)
{
	uint8_t b[12];

	if (pct(&w->r, 80)) {
		uint32_t v = pick_u32(&w->r, min, max);

		attr_u32(&w->m, type, v);
		note(w, " %u=%u", type & NLA_TYPE_MASK, v);
		return;
	}
	rnd_bytes(&w->r, b, sizeof(b));
	attr(&w->m, type, b, rnd(&w->r, 10));
	note(w, " %u=junk", type & NLA_TYPE_MASK);
}

static void fuzz_u8(struct worker *w, uint16_t type, uint8_t max)
{
	const uint8_t v[] = { 0, 1, 2, 3, 0x7f, 0x80, 0xff };
	uint8_t b[8];

	if (pct(&w->r, 85)) {
		uint8_t x = pct(&w->r, 50) ? (uint8_t)rnd(&w->r, max + 1u) :
			    v[rnd(&w->r, ARRAY_SIZE(v))];

		attr_u8(&w->m, type, x);
		note(w, " %u=%u", type & NLA_TYPE_MASK, x);
		return;
	}
	rnd_bytes(&w->r, b, sizeof(b));
	attr(&w->m, type, b, rnd(&w->r, 9));
	note(w, " %u=junk", type & NLA_TYPE_MASK);
}

static void fuzz_junk(struct worker *w, uint16_t type, size_t max)
{
	uint8_t b[64];
	size_t len = rnd(&w->r, (uint32_t)(max < sizeof(b) ? max : sizeof(b)) + 1);

	rnd_bytes(&w->r, b, len);
	if (pct(&w->r, 5)) {
		/* The header claims more than there is. */
		attr_claim(&w->m, type, len + rnd_in(&w->r, 1, 64), b, len);
		note(w, " %u=overlong", type & NLA_TYPE_MASK);
		return;
	}
	attr(&w->m, type, b, len);
	note(w, " %u=junk[%zu]", type & NLA_TYPE_MASK, len);
}

/* A name of the wrong kind, or "nfz<id>p". */
static void fuzz_name(struct worker *w, uint16_t type)
{
	char b[24];
	size_t len;

	switch (rnd(&w->r, 12)) {
	case 0:
		attr(&w->m, type, "", 1);
		break;
	case 1:
		attr(&w->m, type, "", 0);
		break;
	case 2:
		memset(b, 'x', sizeof(b));
		b[15] = '\0';
		attr(&w->m, type, b, 16);	/* the longest name */
		break;
	case 3:
		memset(b, 'x', sizeof(b));
		b[16] = '\0';
		attr(&w->m, type, b, 17);	/* one too long */
		break;
	case 4:
		memset(b, 'y', sizeof(b));
		attr(&w->m, type, b, rnd_in(&w->r, 1, 20));	/* no NUL */
		break;
	case 5:
		attr_str(&w->m, type, pct(&w->r, 50) ? "." : "..");
		break;
	case 6:
		attr_str(&w->m, type, pct(&w->r, 50) ? "a/b" : "a b");
		break;
	case 7:
		snprintf(b, sizeof(b), "nfz%dx%%d", w->id);
		attr_str(&w->m, type, b);
		break;
	case 8:
		snprintf(b, sizeof(b), "nfz%d", w->id);	/* the outer's */
		attr_str(&w->m, type, b);
		break;
	case 9:
		len = rnd_in(&w->r, 1, 16);
		rnd_bytes(&w->r, b, len);
		b[0] = (uint8_t)b[0] | 0x80;
		attr(&w->m, type, b, len);
		break;
	default:
		snprintf(b, sizeof(b), "nfz%dp", w->id);
		attr_str(&w->m, type, b);
		break;
	}
	note(w, " name");
}

static void fuzz_addr(struct worker *w, uint16_t type)
{
	const uint8_t lens[] = { 0, 1, 5, 6, 6, 6, 7, 8, 32 };
	uint8_t a[32];
	size_t len = lens[rnd(&w->r, ARRAY_SIZE(lens))];

	rnd_bytes(&w->r, a, sizeof(a));
	switch (rnd(&w->r, 4)) {
	case 0:
		a[0] |= 0x01;				/* multicast */
		break;
	case 1:
		memset(a, 0, ETH_ALEN);
		break;
	default:
		a[0] = (a[0] & 0xfc) | 0x02;
		break;
	}
	attr(&w->m, type, a, len);
	note(w, " address[%zu]", len);
}

static uint32_t fuzz_fd(struct worker *w)
{
	const int fds[] = {
		ns_fd[AWAY], ns_fd[HOME], -1, 99999, INT_MAX, uts_fd, null_fd,
		w->rt[HOME].fd, 0,
	};

	return (uint32_t)fds[rnd(&w->r, ARRAY_SIZE(fds))];
}

/*
 * IFLA_VNIF_PEER: a struct ifinfomsg (sometimes short or odd) and the
 * attributes of the inner end, valid or not.
 */
static void fuzz_peer(struct worker *w, uint16_t type)
{
	struct ifinfomsg *ifi;
	unsigned int i, n;
	size_t p;

	if (pct(&w->r, 6)) {
		uint8_t b[sizeof(struct ifinfomsg)];
		size_t len = rnd(&w->r, sizeof(b));

		rnd_bytes(&w->r, b, sizeof(b));
		attr(&w->m, type, b, len);
		note(w, " peer{ifinfomsg of %zu bytes}", len);
		return;
	}
	p = nest_start(&w->m, type);
	note(w, " peer{");
	ifi = msg_grow(&w->m, sizeof(*ifi));
	if (ifi && pct(&w->r, 15)) {
		ifi->ifi_family = pct(&w->r, 50) ? AF_UNSPEC : (uint8_t)rnd64(&w->r);
		ifi->ifi_index = pct(&w->r, 50) ?
				 atomic_load(&slots[rnd(&w->r, NSLOTS)].outer) :
				 (int)pick_u32(&w->r, 1, 1000);
		ifi->ifi_flags = pct(&w->r, 50) ? IFF_UP : (uint32_t)rnd64(&w->r);
		ifi->ifi_change = (uint32_t)rnd64(&w->r);
		note(w, " ifi index %d flags %#x", ifi->ifi_index, ifi->ifi_flags);
	}
	n = rnd(&w->r, 6);
	for (i = 0; i < n; i++) {
		switch (rnd(&w->r, 12)) {
		case 0:
		case 1:
			fuzz_name(w, IFLA_IFNAME);
			break;
		case 2:
			fuzz_addr(w, IFLA_ADDRESS);
			break;
		case 3:
			fuzz_u32(w, IFLA_MTU, 68, 65535);
			break;
		case 4:
			if (pct(&w->r, 85)) {
				uint32_t fd = fuzz_fd(w);

				attr_u32(&w->m, IFLA_NET_NS_FD, fd);
				note(w, " netns_fd %d", (int)fd);
			} else {
				fuzz_junk(w, IFLA_NET_NS_FD, 8);
			}
			break;
		case 5: {
			const uint32_t pids[] = {
				(uint32_t)getpid(), 0, UINT32_MAX, 0x7fffffff,
			};
			uint32_t pid = pids[rnd(&w->r, ARRAY_SIZE(pids))];

			attr_u32(&w->m, IFLA_NET_NS_PID, pid);
			note(w, " netns_pid %d", (int)pid);
			break;
		}
		case 6:
			attr_u32(&w->m, IFLA_TARGET_NETNSID, (uint32_t)pick_u32(&w->r, 0, 2));
			note(w, " target_netnsid");
			break;
		case 7: {
			const uint32_t q[] = { 0, 1, 2, 4097, UINT32_MAX };
			uint16_t t = pct(&w->r, 50) ? IFLA_NUM_TX_QUEUES :
				     IFLA_NUM_RX_QUEUES;

			attr_u32(&w->m, t, q[rnd(&w->r, ARRAY_SIZE(q))]);
			note(w, " queues");
			break;
		}
		case 8:
			fuzz_u32(w, IFLA_TXQLEN, 0, 10000);
			break;
		case 9: {
			size_t li = nest_start(&w->m, IFLA_LINKINFO);

			fuzz_junk(w, IFLA_INFO_KIND, 16);
			fuzz_junk(w, IFLA_INFO_DATA, 32);
			nest_end(&w->m, li);
			break;
		}
		case 10:
			fuzz_junk(w, (uint16_t)rnd_in(&w->r, IFLA_MAX + 1, 0x3fff), 16);
			break;
		default:
			fuzz_junk(w, (uint16_t)rnd(&w->r, IFLA_MAX + 1), 16);
			break;
		}
	}
	note(w, " }");
	nest_end(&w->m, p);
}

/* IFLA_INFO_DATA of random, boundary and garbage IFLA_VNIF_* attributes. */
static void fuzz_vnif_data(struct worker *w, int peer_ok)
{
	size_t d = nest_start(&w->m, IFLA_INFO_DATA);
	unsigned int i, n = rnd(&w->r, 7);

	note(w, " data{");
	for (i = 0; i < n; i++) {
		uint16_t type;
		unsigned int x = rnd(&w->r, 100);

		if (x < 82)
			type = (uint16_t)rnd(&w->r, IFLA_VNIF_MAX + 1);
		else if (x < 90)
			type = (uint16_t)rnd_in(&w->r, IFLA_VNIF_MAX + 1, IFLA_VNIF_MAX + 4);
		else if (x < 95)
			type = (uint16_t)rnd(&w->r, NLA_TYPE_MASK + 1);
		else
			type = (uint16_t)rnd(&w->r, IFLA_VNIF_MAX + 1) |
			       (pct(&w->r, 50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER);
		switch (type & NLA_TYPE_MASK) {
		case IFLA_VNIF_PEER:
			if (peer_ok || pct(&w->r, 10))
				fuzz_peer(w, type);
			else
				fuzz_junk(w, type, 20);
			break;
		case IFLA_VNIF_LIMIT_PACKETS:
			fuzz_u32(w, type, 1, VNIF_LIMIT_PACKETS_MAX);
			break;
		case IFLA_VNIF_LIMIT_BYTES:
			fuzz_u32(w, type, VNIF_LIMIT_BYTES_MIN, VNIF_LIMIT_BYTES_MAX);
			break;
		case IFLA_VNIF_DEADLINE_MS:
			if (pct(&w->r, 50)) {
				uint32_t ms = rnd_in(&w->r, 1, 50);

				attr_u32(&w->m, type, ms);
				note(w, " deadline=%u", ms);
			} else {
				fuzz_u32(w, type, 0, VNIF_DEADLINE_MS_MAX);
			}
			break;
		case IFLA_VNIF_DEADLINE_POLICY:
			fuzz_u8(w, type, __VNIF_DEADLINE_MAX - 1);
			break;
		case IFLA_VNIF_STATE:
		case IFLA_VNIF_INNER:
			fuzz_u8(w, type, 2);
			break;
		case IFLA_VNIF_STATS_INGRESS:
		case IFLA_VNIF_STATS_EGRESS: {
			size_t s = nest_start(&w->m, type | NLA_F_NESTED);

			attr_u64(&w->m, (uint16_t)rnd_in(&w->r, 0, VNIF_STATS_MAX + 1),
				 rnd64(&w->r));
			nest_end(&w->m, s);
			note(w, " stats");
			break;
		}
		default:
			fuzz_junk(w, type, 40);
			break;
		}
	}
	note(w, " }");
	nest_end(&w->m, d);
}

/* ---- rtnetlink operations ---- */

static void random_limits(struct worker *w, struct pairspec *ps)
{
	ps->packets = pct(&w->r, 50) ? rnd_in(&w->r, 1, 256) : 0;
	if (ps->packets && pct(&w->r, 10))
		ps->packets = VNIF_LIMIT_PACKETS_MAX;
	ps->bytes = pct(&w->r, 30) ?
		    rnd_in(&w->r, VNIF_LIMIT_BYTES_MIN, 1 << 20) : 0;
	if (ps->bytes && pct(&w->r, 10))
		ps->bytes = VNIF_LIMIT_BYTES_MAX;
	ps->deadline = pct(&w->r, 40) ? (int)rnd(&w->r, 51) : -1;
	ps->policy = pct(&w->r, 40) ? (int)rnd(&w->r, 2) : -1;
}

/*
 * Finds both ends of a pair just made, and checks what rtnetlink and the
 * genl family say of them. All of it must work: nobody else deletes it.
 */
static int pair_lookup(struct worker *w, struct slot *sl,
		       const struct pairspec *ps)
{
	int ins = ps->inner_away ? AWAY : HOME, exact;
	struct linfo lo, li;
	struct vinfo vi;

	if (must(w, getlink(w, HOME, OP_CHECK, 0, ps->oname, &lo),
		 "looking up the outer end of a new pair") ||
	    must(w, getlink(w, ins, OP_CHECK, 0, ps->iname, &li),
		 "looking up the inner end of a new pair"))
		return -1;
	/* Known from here on: deleted at the end whatever happens. */
	if (sl) {
		atomic_store(&sl->inner_away, ps->inner_away);
		atomic_store(&sl->inner, li.ifindex);
		atomic_store(&sl->outer, lo.ifindex);
	}
	if (!lo.vnif || !li.vnif || lo.inner || !li.inner ||
	    (!racing && lo.state != VNIF_STATE_PASS)) {
		fail("new pair %s/%s: not reported as the ends of a vnif pair [%s]",
		     ps->oname, ps->iname, w->last);
		return -1;
	}
	/*
	 * IFLA_LINK names the peer, but is left out when the peer's index
	 * (in the other namespace) equals the device's own.
	 */
	if ((lo.link != li.ifindex && !(lo.ifindex == li.ifindex && !lo.link)) ||
	    (li.link != lo.ifindex && !(lo.ifindex == li.ifindex && !li.link)) ||
	    lo.link_netnsid != ps->inner_away || li.link_netnsid != ps->inner_away) {
		fail("new pair %s (%d, link %d)/%s (%d, link %d): IFLA_LINK or IFLA_LINK_NETNSID wrong [%s]",
		     ps->oname, lo.ifindex, lo.link, ps->iname, li.ifindex, li.link,
		     w->last);
		return -1;
	}
	if ((ps->omtu && lo.mtu != ps->omtu) || (ps->imtu && li.mtu != ps->imtu)) {
		fail("new pair %s/%s: MTU %u/%u, asked for %u/%u [%s]", ps->oname,
		     ps->iname, lo.mtu, li.mtu, ps->omtu, ps->imtu, w->last);
		return -1;
	}
	if (must(w, vnif_get(w, HOME, OP_CHECK, (uint32_t)lo.ifindex, NULL, &vi),
		 "VNIF_CMD_GET of a new pair"))
		return -1;
	/* Another thread may have frozen it by name already. */
	if (vi.inner || vi.ifindex != (uint32_t)lo.ifindex ||
	    vi.peer_ifindex != (ps->inner_away ? 0u : (uint32_t)li.ifindex)) {
		fail("new pair %s: VNIF_CMD_GET reports the wrong end or peer [%s]",
		     ps->oname, w->last);
		return -1;
	}
	exact = vi.state == VNIF_STATE_PASS &&
		vi.limit_packets == (ps->packets ? ps->packets : VNIF_LIMIT_PACKETS_DEFAULT) &&
		vi.limit_bytes == (ps->bytes ? ps->bytes : VNIF_LIMIT_BYTES_DEFAULT) &&
		vi.deadline_ms == (uint32_t)(ps->deadline > 0 ? ps->deadline : 0) &&
		vi.policy == (ps->policy > 0 ? ps->policy : 0) &&
		!vi.st[0].v[VNIF_STATS_HELD_TOTAL] && !vi.st[1].v[VNIF_STATS_HELD_TOTAL];
	if (!racing && !exact) {
		fail("new pair %s: VNIF_CMD_GET does not report what was asked [%s]",
		     ps->oname, w->last);
		return -1;
	}
	if (must(w, setlink_flags(w, HOME, OP_CHECK, lo.ifindex, IFF_UP, IFF_UP),
		 "setting a new outer end up") ||
	    must(w, setlink_flags(w, ins, OP_CHECK, li.ifindex, IFF_UP, IFF_UP),
		 "setting a new inner end up"))
		return -1;
	return 0;
}

/* A valid pair in an empty slot: must work. Called with the slot locked. */
static void op_create(struct worker *w, struct slot *sl)
{
	struct pairspec ps = {
		.oname = sl->oname,
		.iname = sl->iname,
		.inner_away = pct(&w->r, 20),
	};

	random_limits(w, &ps);
	if (pct(&w->r, 15))
		ps.omtu = pct(&w->r, 40) ? 65535 : rnd_in(&w->r, 68, 65535);
	if (pct(&w->r, 15))
		ps.imtu = pct(&w->r, 40) ? 65535 : rnd_in(&w->r, 68, 65535);
	ps.omac = pct(&w->r, 10);
	ps.imac = pct(&w->r, 10);
	if (must(w, newpair(w, OP_CREATE, &ps), "creating a valid pair"))
		return;
	pair_lookup(w, sl, &ps);
}

static void op_delete(struct worker *w, struct slot *sl)
{
	int ns, inner = pct(&w->r, 40);
	int ifindex = slot_end(sl, inner, &ns);
	int outer = atomic_load(&sl->outer);
	struct vinfo vi;
	struct linfo li;

	if (must(w, dellink(w, ns, OP_DELETE, ifindex, NULL),
		 "deleting a pair"))
		return;
	atomic_store(&sl->outer, 0);
	atomic_store(&sl->inner, 0);
	atomic_store(&sl->inner_away, 0);
	if (!pct(&w->r, 25))
		return;
	if (getlink(w, HOME, OP_CHECK, 0, sl->oname, &li) != ENODEV ||
	    vnif_get(w, HOME, OP_CHECK, (uint32_t)outer, NULL, &vi) != ENODEV)
		fail("pair %s still there after its deletion [%s]", sl->oname,
		     w->last);
}

/* RTM_NEWLINK without NLM_F_CREATE on an end: change what can change. */
static void op_change(struct worker *w, struct slot *sl)
{
	int ns, inner = pct(&w->r, 30);
	int ifindex = slot_end(sl, inner, &ns);
	uint16_t flags = 0;
	size_t li;

	if (pct(&w->r, 8))
		flags = NLM_F_CREATE;
	else if (pct(&w->r, 5))
		flags = NLM_F_CREATE | NLM_F_EXCL;
	else if (pct(&w->r, 5))
		flags = NLM_F_REPLACE;
	if (pct(&w->r, 20)) {
		link_start(w, RTM_NEWLINK, flags, 0);
		attr_str(&w->m, IFLA_IFNAME, inner ? sl->iname : sl->oname);
	} else {
		link_start(w, RTM_NEWLINK, flags, ifindex);
	}
	note(w, " %s %d flags %#x", w->rt[ns].name, ifindex, flags);
	if (pct(&w->r, 15))
		fuzz_u32(w, IFLA_MTU, 68, 65535);
	if (pct(&w->r, 8))
		fuzz_addr(w, IFLA_ADDRESS);
	if (pct(&w->r, 5))
		fuzz_u32(w, IFLA_TXQLEN, 0, 10000);
	if (pct(&w->r, 75)) {
		li = nest_start(&w->m, IFLA_LINKINFO);
		if (pct(&w->r, 95)) {
			attr_str(&w->m, IFLA_INFO_KIND, "vnif");
		} else {
			attr_str(&w->m, IFLA_INFO_KIND, pct(&w->r, 50) ? "veth" : "vnif2");
			note(w, " other kind");
		}
		if (pct(&w->r, 95))
			fuzz_vnif_data(w, 0);
		else
			fuzz_junk(w, IFLA_INFO_DATA, 40);
		nest_end(&w->m, li);
	}
	req(w, &w->rt[ns], OP_CHANGE, NULL);
}

static void op_setlink(struct worker *w, struct slot *sl)
{
	int ns, inner = pct(&w->r, 50);
	int ifindex = slot_end(sl, inner, &ns);
	unsigned int flags = pct(&w->r, 70) ? IFF_UP : 0;

	if (pct(&w->r, 10)) {
		setlink_flags(w, ns, OP_SETLINK, ifindex,
			      (uint32_t)rnd64(&w->r) & (IFF_UP | IFF_NOARP | IFF_PROMISC |
							IFF_ALLMULTI),
			      IFF_NOARP | IFF_PROMISC | IFF_ALLMULTI);
		return;
	}
	must(w, setlink_flags(w, ns, OP_SETLINK, ifindex, flags, IFF_UP),
	     "setting an end up or down");
}

/* The inner end to the other namespace (or a bad one); the outer and back. */
static void op_move(struct worker *w, struct slot *sl)
{
	int away = atomic_load(&sl->inner_away), from = away ? AWAY : HOME;
	int to = away ? HOME : AWAY, ifindex = atomic_load(&sl->inner);
	struct linfo li;
	int err;

	if (pct(&w->r, 12)) {
		uint32_t fd = fuzz_fd(w);

		if ((int)fd == ns_fd[HOME] || (int)fd == ns_fd[AWAY])
			fd = (uint32_t)null_fd;
		move_link(w, from, OP_MOVE, ifindex, (int)fd);
		return;
	}
	if (pct(&w->r, 10)) {
		/* The outer end away and back: a pair across namespaces. */
		int outer = atomic_load(&sl->outer);

		if (must(w, move_link(w, HOME, OP_MOVE, outer, ns_fd[AWAY]),
			 "moving an outer end away") ||
		    must(w, getlink(w, AWAY, OP_CHECK, 0, sl->oname, &li),
			 "finding a moved outer end"))
			return;
		if (must(w, move_link(w, AWAY, OP_MOVE, li.ifindex, ns_fd[HOME]),
			 "moving an outer end back home") ||
		    must(w, getlink(w, HOME, OP_CHECK, 0, sl->oname, &li),
			 "finding an outer end moved back"))
			return;
		atomic_store(&sl->outer, li.ifindex);
		return;
	}
	if (away && pct(&w->r, 30)) {
		link_start(w, RTM_SETLINK, 0, ifindex);
		attr_u32(&w->m, IFLA_NET_NS_PID, (uint32_t)getpid());
		note(w, " %s %d to the netns of pid %d", w->rt[from].name, ifindex,
		     (int)getpid());
		err = req(w, &w->rt[from], OP_MOVE, NULL);
	} else {
		err = move_link(w, from, OP_MOVE, ifindex, ns_fd[to]);
	}
	if (must(w, err, "moving an inner end") ||
	    must(w, getlink(w, to, OP_CHECK, 0, sl->iname, &li),
		 "finding a moved inner end"))
		return;
	if (!li.vnif || !li.inner) {
		fail("moved inner end %s: not reported as one [%s]", sl->iname,
		     w->last);
		return;
	}
	atomic_store(&sl->inner, li.ifindex);
	atomic_store(&sl->inner_away, to == AWAY);
	if (pct(&w->r, 60))
		must(w, setlink_flags(w, to, OP_CHECK, li.ifindex, IFF_UP, IFF_UP),
		     "setting a moved inner end up");
}

/* Must be there; its reply must parse and agree with what we know. */
static void op_getlink(struct worker *w, struct slot *sl)
{
	int ns, inner = pct(&w->r, 50);
	int ifindex = slot_end(sl, inner, &ns);
	struct linfo li;

	if (must(w, getlink(w, ns, OP_GETLINK, ifindex, NULL, &li),
		 "RTM_GETLINK of a pair's end"))
		return;
	if (!li.vnif || li.inner != inner || li.ifindex != ifindex)
		fail("RTM_GETLINK of %d: not the vnif end asked for [%s]", ifindex,
		     w->last);
}

struct dumpcount {
	unsigned int links;
	unsigned int vnif;
	unsigned int nf;	/* named nf... */
	char example[IFNAMSIZ];
};

static int cb_count_link(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	struct dumpcount *dc = arg;
	struct linfo li;

	if (cb_link(w, nh, &li))
		return -1;
	dc->links++;
	if (li.vnif || !strncmp(li.name, "nf", 2)) {
		dc->vnif += li.vnif;
		dc->nf += !strncmp(li.name, "nf", 2);
		memcpy(dc->example, li.name, sizeof(dc->example));
	}
	return 0;
}

static int link_dump(struct worker *w, int ns, enum optype op, struct dumpcount *dc)
{
	struct reply r = { .cb = cb_count_link, .arg = dc };
	size_t li;

	memset(dc, 0, sizeof(*dc));
	link_start(w, RTM_GETLINK, NLM_F_DUMP, 0);
	if (ns == AWAY && pct(&w->r, 50)) {
		/* A kind filter: the away socket checks dumps strictly. */
		li = nest_start(&w->m, IFLA_LINKINFO);
		attr_str(&w->m, IFLA_INFO_KIND, "vnif");
		nest_end(&w->m, li);
		note(w, " kind vnif");
	}
	note(w, " %s", w->rt[ns].name);
	return req(w, &w->rt[ns], op, &r);
}

static void op_linkdump(struct worker *w)
{
	struct dumpcount dc;

	must(w, link_dump(w, pct(&w->r, 50) ? AWAY : HOME, OP_LINKDUMP, &dc),
	     "dumping the links");
}

/* Nothing of a creation that failed may be left: neither end. */
static void check_nothing_left(struct worker *w, const char *oname,
			       const char *iname)
{
	struct linfo li;
	int ns;

	for (ns = HOME; ns <= AWAY; ns++) {
		if (getlink(w, ns, OP_CHECK, 0, oname, &li) == 0 ||
		    getlink(w, ns, OP_CHECK, 0, iname, &li) == 0) {
			fail("a failed RTM_NEWLINK left %s behind [%s]", li.name,
			     w->last);
			return;
		}
	}
}

/* RTM_NEWLINK of kind vnif with anything in it; undone if it worked. */
static void op_create_fuzz(struct worker *w)
{
	char oname[NAME_LEN], iname[NAME_LEN];
	struct ifinfomsg *ifi;
	int err;
	size_t li;

	snprintf(oname, sizeof(oname), "nfz%d", w->id);
	snprintf(iname, sizeof(iname), "nfz%dp", w->id);
	ifi = link_start(w, RTM_NEWLINK, pct(&w->r, 95) ?
			 NLM_F_CREATE | NLM_F_EXCL : NLM_F_CREATE, 0);
	if (pct(&w->r, 8)) {
		ifi->ifi_index = (int)pick_u32(&w->r, 1, 1000);
		ifi->ifi_flags = (uint32_t)rnd64(&w->r);
		ifi->ifi_change = (uint32_t)rnd64(&w->r);
		note(w, " ifi index %d flags %#x", ifi->ifi_index, ifi->ifi_flags);
	}
	attr_str(&w->m, IFLA_IFNAME, oname);
	note(w, " %s", oname);
	if (pct(&w->r, 10))
		fuzz_u32(w, IFLA_MTU, 68, 65535);
	if (pct(&w->r, 10))
		fuzz_addr(w, IFLA_ADDRESS);
	if (pct(&w->r, 5))
		fuzz_u32(w, IFLA_TXQLEN, 0, 10000);
	if (pct(&w->r, 95)) {
		li = nest_start(&w->m, IFLA_LINKINFO);
		attr_str(&w->m, IFLA_INFO_KIND, "vnif");
		if (pct(&w->r, 92)) {
			fuzz_vnif_data(w, 1);
		} else if (pct(&w->r, 50)) {
			fuzz_junk(w, IFLA_INFO_DATA, 60);
		} else {
			fuzz_junk(w, IFLA_INFO_SLAVE_DATA, 30);
			note(w, " slave data");
		}
		nest_end(&w->m, li);
	} else {
		note(w, " no linkinfo");
	}
	err = req(w, &w->rt[HOME], OP_CREATE_FUZZ, NULL);
	if (err > 0) {
		if (pct(&w->r, 30))
			check_nothing_left(w, oname, iname);
		return;
	}
	if (err)
		return;
	/* It worked: deleting the outer end deletes the peer, wherever. */
	must(w, dellink(w, HOME, OP_CHECK, 0, oname),
	     "deleting a pair made of fuzzed attributes");
	if (pct(&w->r, 30))
		check_nothing_left(w, oname, iname);
}

static void op_delete_fuzz(struct worker *w)
{
	char b[20];
	int ns = pct(&w->r, 50) ? AWAY : HOME;

	link_start(w, RTM_DELLINK, 0, 0);
	switch (rnd(&w->r, 7)) {
	case 0:
		note(w, " nothing named");
		break;
	case 1:
		((struct ifinfomsg *)NLMSG_DATA(msg_hdr(&w->m)))->ifi_index = 1;
		note(w, " lo");
		break;
	case 2:
		((struct ifinfomsg *)NLMSG_DATA(msg_hdr(&w->m)))->ifi_index =
			(int)pick_u32(&w->r, 100000, INT_MAX);
		note(w, " a missing index");
		break;
	case 3:
		attr_str(&w->m, IFLA_IFNAME, "nfnone");
		note(w, " nfnone");
		break;
	case 4:
		memset(b, 'n', sizeof(b));
		attr(&w->m, IFLA_IFNAME, b, rnd_in(&w->r, 16, 20));
		note(w, " a long name");
		break;
	case 5:
		attr_str(&w->m, IFLA_ALT_IFNAME, "nfnone");
		note(w, " altname nfnone");
		break;
	default:
		/* Kind only: a dellink that names no device. */
		attr_str(&w->m, IFLA_IFNAME, "");
		note(w, " an empty name");
		break;
	}
	note(w, " %s", w->rt[ns].name);
	req(w, &w->rt[ns], OP_DELETE_FUZZ, NULL);
}

/*
 * A pair whose inner end lives in a namespace of its own, frozen with
 * frames held and maybe a deadline armed, deleted by the namespace going
 * away (asynchronously, in cleanup_net) while this thread goes on.
 */
static void op_netns_gone(struct worker *w)
{
	char oname[NAME_LEN], iname[NAME_LEN];
	unsigned int i, n;
	struct linfo lo;
	struct nl gone;
	size_t li, d, p;
	uint64_t until;
	int tmp, err;

	snprintf(oname, sizeof(oname), "nfx%d", w->id);
	snprintf(iname, sizeof(iname), "nfx%dp", w->id);
	/* A namespace is a thread's own: this one's, for a moment. */
	if (unshare(CLONE_NEWNET)) {
		fail("unshare(CLONE_NEWNET): %s", strerror(errno));
		return;
	}
	tmp = open_ns();
	err = nl_open(&gone, NETLINK_ROUTE, "rtnl@gone", 0);
	if (setns(ns_fd[HOME], CLONE_NEWNET) || tmp < 0 || err) {
		fail("a namespace of its own: %s", strerror(errno));
		return;
	}
	link_start(w, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	attr_str(&w->m, IFLA_IFNAME, oname);
	li = nest_start(&w->m, IFLA_LINKINFO);
	attr_str(&w->m, IFLA_INFO_KIND, "vnif");
	d = nest_start(&w->m, IFLA_INFO_DATA);
	p = nest_start(&w->m, IFLA_VNIF_PEER);
	msg_grow(&w->m, sizeof(struct ifinfomsg));
	attr_str(&w->m, IFLA_IFNAME, iname);
	attr_u32(&w->m, IFLA_NET_NS_FD, (uint32_t)tmp);
	nest_end(&w->m, p);
	nest_end(&w->m, d);
	nest_end(&w->m, li);
	note(w, " %s, peer %s in a namespace of its own", oname, iname);
	if (must(w, req(w, &w->rt[HOME], OP_NETNS_GONE, NULL),
		 "creating a pair into a new namespace") ||
	    must(w, getlink(w, HOME, OP_CHECK, 0, oname, &lo),
		 "finding a pair's outer end") ||
	    must(w, setlink_flags(w, HOME, OP_CHECK, lo.ifindex, IFF_UP, IFF_UP),
		 "setting an outer end up"))
		goto out;
	link_start(w, RTM_SETLINK, 0, 0)->ifi_flags = IFF_UP;
	((struct ifinfomsg *)NLMSG_DATA(msg_hdr(&w->m)))->ifi_change = IFF_UP;
	attr_str(&w->m, IFLA_IFNAME, iname);
	note(w, " %s %s up", gone.name, iname);
	if (must(w, req(w, &gone, OP_CHECK, NULL), "setting an inner end up"))
		goto out;
	if (pct(&w->r, 80)) {
		must(w, vnif_freeze(w, OP_NETNS_GONE, (uint32_t)lo.ifindex, -1, -1,
				    pct(&w->r, 40) ? (int)rnd_in(&w->r, 1, 20) : 0,
				    (int)rnd(&w->r, 2), -1),
		     "freezing a pair whose namespace goes");
		n = rnd_in(&w->r, 1, 30);
		for (i = 0; i < n; i++) {
			size_t len = rnd_in(&w->r, 60, 1514);

			make_frame(&w->r, w->frame, len, 1);
			record(w, OP_SEND, send_frame(w, lo.ifindex, w->frame, len));
		}
	}
	close(gone.fd);
	free(gone.rbuf);
	close(tmp);
	note(w, " namespace closed");
	record(w, OP_NETNS_GONE, 0);
	if (pct(&w->r, 50)) {
		/* Meanwhile, on the outer end. */
		vnif_get(w, HOME, OP_NETNS_GONE, (uint32_t)lo.ifindex, NULL, NULL);
		queue_dump(w, HOME, OP_NETNS_GONE, (uint32_t)lo.ifindex, NULL);
		vnif_thaw(w, HOME, OP_NETNS_GONE, (uint32_t)lo.ifindex);
	}
	/* Gone with the namespace, within 30 s. */
	for (until = now_ms() + 30000;;) {
		err = getlink(w, HOME, OP_CHECK, lo.ifindex, NULL, NULL);
		if (err == ENODEV || err < 0)
			return;
		if (now_ms() > until) {
			fail("%s still there 30 s after its peer's namespace was closed",
			     oname);
			return;
		}
		sleep_ms(20);
	}
out:
	close(gone.fd);
	free(gone.rbuf);
	close(tmp);
}

/* ---- generic netlink operations ---- */

/* Frames into a pair, through whichever end is at home. */
static void send_into(struct worker *w, struct slot *sl, unsigned int n)
{
	int ns, ifindex = slot_end(sl, pct(&w->r, 40), &ns);
	unsigned int i;
	size_t len;

	/* The packet socket is at home. */
	if (ns != HOME)
		ifindex = atomic_load(&sl->outer);
	/* No pair there now: mostly, another one. */
	for (i = 0; i < NSLOTS && !ifindex && pct(&w->r, 90); i++)
		ifindex = atomic_load(&slots[i].outer);
	for (i = 0; i < n; i++) {
		len = frame_len(&w->r);
		make_frame(&w->r, w->frame, len, 0);
		record(w, OP_SEND, send_frame(w, ifindex, w->frame, len));
	}
}

static void op_send(struct worker *w)
{
	send_into(w, &slots[rnd(&w->r, NSLOTS)], rnd_in(&w->r, 1, 8));
}

/* Valid frames loaded into a pair, named by its outer end. */
static void load_into(struct worker *w, struct slot *sl)
{
	unsigned int i, n = rnd_in(&w->r, 1, 4);
	size_t p, len;

	genl_start(w, genl_family, VNIF_CMD_QUEUE_LOAD, 0);
	attr_u32(&w->m, VNIF_A_IFINDEX, (uint32_t)atomic_load(&sl->outer));
	note(w, " %s %s", w->ge[HOME].name, sl->oname);
	for (i = 0; i < n; i++) {
		len = rnd_in(&w->r, 60, 1514);
		p = nest_start(&w->m, VNIF_A_PKT | NLA_F_NESTED);
		attr_u8(&w->m, VNIF_PKT_DIRECTION, (uint8_t)rnd(&w->r, 2));
		make_frame(&w->r, w->frame, len, 1);
		attr(&w->m, VNIF_PKT_DATA, w->frame, len);
		nest_end(&w->m, p);
		note(w, " pkt[%zu]", len);
	}
	req(w, &w->ge[HOME], OP_QLOAD, NULL);
}

/* Then, mostly, frames into the frozen pair: its queues are not empty. */
static void op_freeze(struct worker *w)
{
	const uint32_t fl[] = { 0, VNIF_FREEZE_F_REQUIRE_UP, 2, 3, UINT32_MAX };
	struct slot *sl;
	int ns;

	genl_start(w, genl_family, VNIF_CMD_FREEZE, 0);
	put_target_slot(w, &ns, &sl);
	if (pct(&w->r, 40))
		fuzz_u32(w, VNIF_A_LIMIT_PACKETS, 1, VNIF_LIMIT_PACKETS_MAX);
	if (pct(&w->r, 25))
		fuzz_u32(w, VNIF_A_LIMIT_BYTES, VNIF_LIMIT_BYTES_MIN,
			 VNIF_LIMIT_BYTES_MAX);
	if (pct(&w->r, 70)) {
		if (pct(&w->r, 85)) {
			uint32_t ms = rnd_in(&w->r, 1, 50);

			attr_u32(&w->m, VNIF_A_DEADLINE_MS, ms);
			note(w, " deadline %u", ms);
		} else {
			fuzz_u32(w, VNIF_A_DEADLINE_MS, 0, VNIF_DEADLINE_MS_MAX);
		}
	}
	if (pct(&w->r, 40))
		fuzz_u8(w, VNIF_A_DEADLINE_POLICY, __VNIF_DEADLINE_MAX - 1);
	if (pct(&w->r, 20)) {
		uint32_t f = fl[rnd(&w->r, ARRAY_SIZE(fl))];

		attr_u32(&w->m, VNIF_A_FLAGS, f);
		note(w, " flags %#x", f);
	}
	if (pct(&w->r, 5))
		fuzz_junk(w, (uint16_t)rnd(&w->r, VNIF_A_MAX + 3), 12);
	if (req(w, &w->ge[ns], OP_FREEZE, NULL) || !sl || !pct(&w->r, 75))
		return;
	/* Sometimes more than one dump message holds: dumps in parts. */
	send_into(w, sl, pct(&w->r, 15) ? rnd_in(&w->r, 30, 90) : rnd_in(&w->r, 1, 6));
	if (pct(&w->r, 50))
		load_into(w, sl);
}

static void op_thaw(struct worker *w)
{
	int ns;

	genl_start(w, genl_family, VNIF_CMD_THAW, 0);
	put_target(w, &ns);
	if (pct(&w->r, 4))
		fuzz_junk(w, (uint16_t)rnd(&w->r, VNIF_A_MAX + 3), 12);
	req(w, &w->ge[ns], OP_THAW, NULL);
}

static void op_get(struct worker *w)
{
	struct reply r = { .cb = cb_vinfo };
	int ns;

	genl_start(w, genl_family, VNIF_CMD_GET, 0);
	put_target(w, &ns);
	if (!req(w, &w->ge[ns], OP_GET, &r) && r.msgs != 1)
		fail("VNIF_CMD_GET: %u replies [%s]", r.msgs, w->last);
}

static void op_getdump(struct worker *w)
{
	struct reply r = { .cb = cb_vinfo };
	int ns = pct(&w->r, 30) ? AWAY : HOME;

	genl_start(w, genl_family, VNIF_CMD_GET, NLM_F_DUMP);
	note(w, " %s", w->ge[ns].name);
	req(w, &w->ge[ns], OP_GETDUMP, &r);
}

static void op_qget(struct worker *w)
{
	struct reply r = { .cb = cb_qframe };
	int ns;

	genl_start(w, genl_family, VNIF_CMD_QUEUE_GET, NLM_F_DUMP);
	put_target(w, &ns);
	req(w, &w->ge[ns], OP_QGET, &r);
}

/*
 * A queue dump on a socket of its own, read once or not at all, and
 * closed: the kernel ends the dump when the socket goes.
 */
static void op_qget_abandon(struct worker *w)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, ns, reads = (int)rnd(&w->r, 3);
	uint8_t *buf = w->rt[HOME].rbuf;	/* free while this runs */

	genl_start(w, genl_family, VNIF_CMD_QUEUE_GET, NLM_F_DUMP);
	put_target(w, &ns);
	msg_hdr(&w->m)->nlmsg_len = (uint32_t)w->m.len;
	msg_hdr(&w->m)->nlmsg_seq = 1;
	note(w, " (home only), %d reads", reads);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		fail("socket(AF_NETLINK): %s", strerror(errno));
		return;
	}
	if (sendto(fd, w->m.buf, w->m.len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		record(w, OP_QGET_ABANDON, errno);
	} else {
		while (reads-- > 0 &&
		       recv(fd, buf, RBUF_LEN, MSG_DONTWAIT) > 0)
			;
		record(w, OP_QGET_ABANDON, 0);
	}
	close(fd);
}

/* One VNIF_A_PKT: valid, or wrong in one of many ways. */
static void fuzz_pkt(struct worker *w, size_t *room)
{
	uint16_t type = VNIF_A_PKT | (pct(&w->r, 70) ? NLA_F_NESTED : 0);
	size_t p, len;
	unsigned int x = rnd(&w->r, 100);

	if (x < 3) {
		fuzz_junk(w, type, 40);
		return;
	}
	p = nest_start(&w->m, type);
	if (x < 96 || pct(&w->r, 50)) {
		if (pct(&w->r, 95))
			attr_u8(&w->m, VNIF_PKT_DIRECTION, (uint8_t)rnd(&w->r, 2));
		else
			fuzz_u8(w, VNIF_PKT_DIRECTION, 1);
	}
	if (pct(&w->r, 40)) {
		const uint64_t ts[] = { 0, 1, UINT64_MAX, rnd64(&w->r) };

		attr_u64(&w->m, VNIF_PKT_TSTAMP_NS, ts[rnd(&w->r, ARRAY_SIZE(ts))]);
	}
	if (pct(&w->r, 3))
		attr_u32(&w->m, VNIF_PKT_LEN, (uint32_t)rnd64(&w->r));
	if (pct(&w->r, 3))
		attr_u16(&w->m, VNIF_PKT_PROTOCOL, 0x0008);
	if (pct(&w->r, 3))
		fuzz_junk(w, (uint16_t)rnd_in(&w->r, VNIF_PKT_PAD, VNIF_PKT_MAX_ATTR + 3), 8);
	x = rnd(&w->r, 100);
	if (x < 80)
		len = rnd_in(&w->r, 60, 1514);
	else if (x < 86)
		len = rnd_in(&w->r, 0, ETH_HLEN);
	else if (x < 92)
		len = rnd_in(&w->r, 1515, 9000);
	else if (x < 96)
		len = big_lens[rnd(&w->r, ARRAY_SIZE(big_lens))];
	else
		len = rnd_in(&w->r, 65400, 65531);
	if (opt.max_frame && len > opt.max_frame)
		len = opt.max_frame;
	/* No more than the nest's 16-bit length still holds, with padding. */
	if (!w->m.full && len + NLA_HDRLEN + 3 + (w->m.len - p) > 0xffff)
		len = 0xffff - NLA_HDRLEN - 3 - (w->m.len - p);
	if (len > *room)
		len = *room;
	if (pct(&w->r, 97)) {
		make_frame(&w->r, w->frame, len, 0);
		attr(&w->m, VNIF_PKT_DATA, w->frame, len);
	}
	nest_end(&w->m, p);
	*room -= len < *room ? len : *room;
	note(w, " pkt[%zu]", len);
}

static void op_qload(struct worker *w)
{
	unsigned int i, n = pct(&w->r, 90) ? rnd_in(&w->r, 1, 8) : rnd_in(&w->r, 9, 64);
	size_t room = MSG_CAP - 4096;
	int ns;

	genl_start(w, genl_family, VNIF_CMD_QUEUE_LOAD, 0);
	put_target(w, &ns);
	for (i = 0; i < n && room > 0; i++)
		fuzz_pkt(w, &room);
	if (pct(&w->r, 5))
		fuzz_junk(w, (uint16_t)rnd(&w->r, VNIF_A_MAX + 3), 16);
	req(w, &w->ge[ns], OP_QLOAD, NULL);
}

/* Any command number, flags and attributes, to the vnif family. */
static void op_genl_fuzz(struct worker *w)
{
	const uint8_t cmds[] = { 0, VNIF_CMD_MAX + 1, VNIF_CMD_MAX + 2, 0x7f, 0xff };
	const uint16_t fl[] = {
		0, NLM_F_DUMP, NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC,
		NLM_F_REPLACE | NLM_F_EXCL, NLM_F_CREATE | NLM_F_APPEND,
	};
	struct reply r = { .cb = cb_any_vnif };
	unsigned int i, n, x = rnd(&w->r, 100);
	uint8_t cmd, b[GENL_HDRLEN];
	uint16_t flags = fl[rnd(&w->r, ARRAY_SIZE(fl))];
	int ns = pct(&w->r, 20) ? AWAY : HOME;
	struct genlmsghdr *gh;

	if (x < 55)
		cmd = (uint8_t)rnd_in(&w->r, 1, VNIF_CMD_MAX);
	else if (x < 80)
		cmd = cmds[rnd(&w->r, ARRAY_SIZE(cmds))];
	else
		cmd = (uint8_t)rnd64(&w->r);
	if (pct(&w->r, 4)) {
		/* A message with less than a genl header. */
		msg_start(&w->m, genl_family, NLM_F_REQUEST | NLM_F_ACK | flags);
		rnd_bytes(&w->r, b, sizeof(b));
		n = rnd(&w->r, GENL_HDRLEN);
		memcpy(msg_grow(&w->m, GENL_HDRLEN), b, GENL_HDRLEN);
		w->m.len = NLMSG_HDRLEN + n;
		note(w, " genl header of %u bytes", n);
		req(w, &w->ge[ns], OP_GENL_FUZZ, &r);
		return;
	}
	if (pct(&w->r, 3)) {
		/* Not a request, or a control message type: acked, ignored. */
		msg_start(&w->m, genl_family, NLM_F_ACK | flags);
		if (pct(&w->r, 50))
			msg_hdr(&w->m)->nlmsg_type = (uint16_t)rnd(&w->r, NLMSG_MIN_TYPE);
		else
			msg_hdr(&w->m)->nlmsg_flags |= NLM_F_REQUEST;
		msg_grow(&w->m, GENL_HDRLEN);
		note(w, " type %u flags %#x", msg_hdr(&w->m)->nlmsg_type,
		     msg_hdr(&w->m)->nlmsg_flags);
		req(w, &w->ge[ns], OP_GENL_FUZZ, &r);
		return;
	}
	genl_start(w, genl_family, cmd, flags);
	gh = (struct genlmsghdr *)NLMSG_DATA(msg_hdr(&w->m));
	if (pct(&w->r, 15))
		gh->version = (uint8_t)rnd64(&w->r);
	if (pct(&w->r, 5))
		gh->reserved = (uint16_t)rnd64(&w->r);
	note(w, " cmd %u version %u flags %#x", cmd, gh->version, flags);
	n = rnd(&w->r, 9);
	for (i = 0; i < n; i++) {
		uint16_t type;
		int tns;

		x = rnd(&w->r, 100);
		type = x < 85 ? (uint16_t)rnd(&w->r, VNIF_A_MAX + 3) :
		       (uint16_t)rnd64(&w->r);
		switch (type & NLA_TYPE_MASK) {
		case VNIF_A_IFINDEX:
			if (pct(&w->r, 70)) {
				put_target(w, &tns);
				break;
			}
			fuzz_u32(w, type, 1, 1000);
			break;
		case VNIF_A_IFNAME:
			fuzz_name(w, type);
			break;
		case VNIF_A_LIMIT_PACKETS:
			fuzz_u32(w, type, 1, VNIF_LIMIT_PACKETS_MAX);
			break;
		case VNIF_A_LIMIT_BYTES:
			fuzz_u32(w, type, VNIF_LIMIT_BYTES_MIN, VNIF_LIMIT_BYTES_MAX);
			break;
		case VNIF_A_DEADLINE_MS:
			fuzz_u32(w, type, 0, 50);
			break;
		case VNIF_A_DEADLINE_POLICY:
		case VNIF_A_INNER:
		case VNIF_A_STATE:
			fuzz_u8(w, type, 1);
			break;
		case VNIF_A_FLAGS:
			fuzz_u32(w, type, 0, 1);
			break;
		case VNIF_A_PKT: {
			size_t room = 4096;

			fuzz_pkt(w, &room);
			break;
		}
		default:
			fuzz_junk(w, type, 24);
			break;
		}
	}
	req(w, &w->ge[ns], OP_GENL_FUZZ, &r);
}

/* The policies of the family, as the controller dumps them. */
static void op_policy(struct worker *w)
{
	struct reply r = { .cb = cb_ctrl };
	int with_op = pct(&w->r, 50);
	uint32_t cmd = rnd(&w->r, VNIF_CMD_MAX + 3);
	int err;

	genl_start(w, GENL_ID_CTRL, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	attr_u16(&w->m, CTRL_ATTR_FAMILY_ID, genl_family);
	if (with_op) {
		attr_u32(&w->m, CTRL_ATTR_OP, cmd);
		note(w, " op %u", cmd);
	}
	err = req(w, &w->ge[HOME], OP_POLICY, &r);
	if (!with_op || (cmd >= 1 && cmd <= VNIF_CMD_MAX))
		must(w, err, "dumping the family's policy");
}

/* ---- /dev/crak ---- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* A valid image of random sections; returns its length. */
static size_t make_image(struct worker *w, uint8_t *buf, size_t cap,
			 uint32_t *nsec)
{
	struct crak_image_writer iw;
	unsigned int i, n = rnd(&w->r, 6);
	uint8_t payload[300];

	crak_image_writer_init(&iw, buf, cap);
	for (i = 0; i < n; i++) {
		uint32_t len = rnd(&w->r, pct(&w->r, 80) ? 40 : sizeof(payload));

		rnd_bytes(&w->r, payload, len);
		/* Text sections: the others' payloads must be valid too. */
		if (crak_image_add(&iw, rnd(&w->r, 2) ? CRAK_SEC_META : CRAK_SEC_NOTE,
				   payload, len))
			break;
	}
	crak_image_finish(&iw);
	*nsec = iw.nsections;
	return (size_t)iw.len;
}

/* Seals the header and every section that fits again, as a writer would. */
static void reseal(uint8_t *p, size_t len, int header, int sections)
{
	uint64_t off = CRAK_IMAGE_HDR_LEN, body;
	uint32_t i, n, slen;

	if (len < CRAK_IMAGE_HDR_LEN)
		return;
	if (sections) {
		n = get32(p + 24);
		for (i = 0; i < n && i < 64; i++) {
			if (len - off < CRAK_SECTION_HDR_LEN)
				break;
			slen = get32(p + off + 4);
			body = ((uint64_t)slen + 7) & ~7ull;
			if (body > len - off - CRAK_SECTION_HDR_LEN)
				break;
			put32(p + off + 12,
			      crak_crc32c(crak_crc32c(0, p + off, 12),
					  p + off + CRAK_SECTION_HDR_LEN, body));
			off += CRAK_SECTION_HDR_LEN + body;
		}
	}
	if (header)
		put32(p + 28, crak_crc32c(0, p, 28));
}

/* The offset of a random section header in a valid image, or 0. */
static size_t some_section(struct worker *w, const uint8_t *p, size_t len)
{
	uint32_t n = len >= CRAK_IMAGE_HDR_LEN ? get32(p + 24) : 0;
	uint32_t i, k;
	size_t off = CRAK_IMAGE_HDR_LEN;

	if (!n || n > 64)
		return 0;
	k = rnd(&w->r, n);
	for (i = 0; i < k; i++) {
		if (len - off < CRAK_SECTION_HDR_LEN)
			return 0;
		off += crak_section_size(get32(p + off + 4));
		if (off > len)
			return 0;
	}
	return len - off >= CRAK_SECTION_HDR_LEN ? off : 0;
}

/*
 * CRAK_IOC_IMAGE_CHECK of @len bytes at @buf, and the verdict of the codec
 * here on the same bytes: the two must agree in every field.
 */
static void crak_compare(struct worker *w, enum optype op, const uint8_t *buf,
			 size_t len)
{
	struct crak_image_check c;
	struct crak_image_error e = { 0 };
	struct crak_image_reader r;
	int ret, kerr;
	char eb[16];

	memset(&c, 0, sizeof(c));
	c.buf = (uintptr_t)buf;
	c.len = len;
	c.error_section = 0xdeadbeef;
	kerr = ioctl(crak_fd, CRAK_IOC_IMAGE_CHECK, &c) ? errno : 0;
	record(w, op, kerr);
	ret = crak_image_open(&r, buf, len, &e);
	if (!memchr(c.error, '\0', sizeof(c.error))) {
		fail("CRAK_IOC_IMAGE_CHECK: error string not terminated [%s]", w->last);
		return;
	}
	if (!ret) {
		if (kerr || c.sections != r.nsections || c.error[0] ||
		    c.error_section || c.error_offset)
			fail("crak: the kernel says %s (%s, section %u, offset %llu, %u sections) of an image the codec finds valid with %u sections [%s]",
			     errname(kerr, eb, sizeof(eb)), c.error, c.error_section,
			     (unsigned long long)c.error_offset, c.sections,
			     r.nsections, w->last);
		return;
	}
	if (kerr != -ret || strcmp(c.error, e.what) ||
	    c.error_section != e.section || c.error_offset != e.offset ||
	    c.sections)
		fail("crak: kernel and codec disagree: kernel %s \"%s\" section %u offset %llu, codec %d \"%s\" section %u offset %llu [%s]",
		     errname(kerr, eb, sizeof(eb)), c.error, c.error_section,
		     (unsigned long long)c.error_offset, ret, e.what, e.section,
		     (unsigned long long)e.offset, w->last);
}

static void op_crak_valid(struct worker *w)
{
	uint8_t *img = malloc(IMG_MAX);
	uint32_t n;
	size_t len;

	if (!img)
		abort();
	len = make_image(w, img, IMG_MAX, &n);
	note(w, " %zu bytes, %u sections", len, n);
	crak_compare(w, OP_CRAK_VALID, img, len);
	free(img);
}

static void mutate(struct worker *w, uint8_t *p, size_t *len, size_t cap)
{
	const uint64_t lens64[] = {
		0, 31, 32, *len - 1, *len + 1, CRAK_IMAGE_MAX_LEN,
		CRAK_IMAGE_MAX_LEN + 1, UINT64_MAX, 1ull << 32,
	};
	const uint32_t lens32[] = {
		0, 1, 7, 8, 9, UINT32_MAX, 0x7fffffff, CRAK_IMAGE_MAX_SECTIONS,
		CRAK_IMAGE_MAX_SECTIONS + 1, 0xfffffff8,
	};
	size_t off;
	uint32_t v;

	switch (rnd(&w->r, 11)) {
	case 0:
	case 1:
		if (*len) {
			off = rnd(&w->r, (uint32_t)*len);
			p[off] ^= (uint8_t)(1u << rnd(&w->r, 8));
			note(w, " flip@%zu", off);
		}
		break;
	case 2:
		if (*len) {
			off = rnd(&w->r, (uint32_t)*len);
			p[off] = pct(&w->r, 50) ? 0xff : (uint8_t)rnd64(&w->r);
			note(w, " byte@%zu", off);
		}
		break;
	case 3:
		*len = pct(&w->r, 50) ? rnd(&w->r, (uint32_t)*len + 1) :
		       *len - (*len < 8 ? *len : rnd_in(&w->r, 1, 8));
		note(w, " truncated to %zu", *len);
		break;
	case 4:
		off = rnd_in(&w->r, 1, 16);
		if (*len + off <= cap) {
			if (pct(&w->r, 50))
				memset(p + *len, 0, off);
			else
				rnd_bytes(&w->r, p + *len, off);
			*len += off;
			note(w, " %zu bytes appended", off);
		}
		break;
	case 5:
		if (*len >= 24) {
			put64(p + 16, lens64[rnd(&w->r, ARRAY_SIZE(lens64))]);
			note(w, " image_len");
		}
		break;
	case 6:
		if (*len >= 28) {
			v = pct(&w->r, 50) ? lens32[rnd(&w->r, ARRAY_SIZE(lens32))] :
			    get32(p + 24) + rnd_in(&w->r, 0, 2) - 1;
			put32(p + 24, v);
			note(w, " nsections %u", v);
		}
		break;
	case 7:
		off = some_section(w, p, *len);
		if (off) {
			v = pct(&w->r, 60) ? lens32[rnd(&w->r, ARRAY_SIZE(lens32))] :
			    get32(p + off + 4) + rnd_in(&w->r, 0, 16) - 8;
			put32(p + off + 4, v);
			note(w, " section@%zu len %u", off, v);
		}
		break;
	case 8:
		off = some_section(w, p, *len);
		if (off) {
			const uint16_t t[] = { 0, __CRAK_SEC_MAX, 0xffff };

			if (pct(&w->r, 50)) {
				v = t[rnd(&w->r, ARRAY_SIZE(t))];
				p[off] = (uint8_t)v;
				p[off + 1] = (uint8_t)(v >> 8);
				note(w, " section@%zu type %u", off, v);
			} else {
				p[off + 2 + rnd(&w->r, 2) * 6] |= 0x01;
				note(w, " section@%zu flags/reserved", off);
			}
		}
		break;
	case 9:
		off = some_section(w, p, *len);
		if (off && (get32(p + off + 4) & 7) &&
		    off + CRAK_SECTION_HDR_LEN + get32(p + off + 4) < *len) {
			p[off + CRAK_SECTION_HDR_LEN + get32(p + off + 4)] = 0x5a;
			note(w, " section@%zu padding", off);
		}
		break;
	default:
		if (*len >= 16) {
			off = 8 + rnd(&w->r, 3) * 2;	/* version, hdr_len, flags */
			p[off] ^= (uint8_t)rnd_in(&w->r, 1, 255);
			note(w, " header field@%zu", off);
		}
		break;
	}
}

static void op_crak_mutated(struct worker *w)
{
	uint8_t *img = malloc(IMG_MAX + 64), *exact;
	unsigned int i, n = rnd_in(&w->r, 1, 3);
	uint32_t nsec;
	size_t len;

	if (!img)
		abort();
	len = make_image(w, img, IMG_MAX, &nsec);
	note(w, " %zu bytes, %u sections:", len, nsec);
	for (i = 0; i < n; i++)
		mutate(w, img, &len, IMG_MAX + 64);
	if (pct(&w->r, 60)) {
		int h = pct(&w->r, 80), s = pct(&w->r, 60);

		reseal(img, len, h, s);
		note(w, " resealed%s%s", h ? " header" : "", s ? " sections" : "");
	}
	/* At its exact length, so that any read past the end shows. */
	exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, img, len);
	crak_compare(w, OP_CRAK_MUTATED, exact, len);
	free(exact);
	free(img);
}

static void op_crak_random(struct worker *w)
{
	size_t len = rnd(&w->r, 400);
	uint8_t *img = malloc(len ? len : 1);

	if (!img)
		abort();
	rnd_bytes(&w->r, img, len);
	if (len >= CRAK_IMAGE_HDR_LEN && pct(&w->r, 50)) {
		/* Past the magic, version and header checksum at least. */
		memcpy(img, CRAK_IMAGE_MAGIC, CRAK_IMAGE_MAGIC_LEN);
		img[8] = CRAK_IMAGE_VERSION;
		img[9] = 0;
		if (pct(&w->r, 50)) {
			img[10] = CRAK_IMAGE_HDR_LEN;
			memset(img + 11, 0, 5);
			put64(img + 16, len);
			put32(img + 24, rnd(&w->r, 4));
		}
		reseal(img, len, 1, pct(&w->r, 50));
		note(w, " a header");
	}
	note(w, " %zu random bytes", len);
	crak_compare(w, OP_CRAK_RANDOM, img, len);
	free(img);
}

static void crak_expect(struct worker *w, enum optype op, int err, int want)
{
	char a[16], b[16];

	record(w, op, err);
	if (err != want)
		fail("crak: %s, expected %s [%s]", errname(err, a, sizeof(a)),
		     errname(want, b, sizeof(b)), w->last);
}

static void op_crak_version(struct worker *w)
{
	struct crak_version v = { 0 };
	int err;

	switch (rnd(&w->r, 6)) {
	case 0:
		note(w, " arg NULL");
		err = ioctl(crak_fd, CRAK_IOC_VERSION, NULL) ? errno : 0;
		crak_expect(w, OP_CRAK_VERSION, err, EFAULT);
		break;
	case 1:
		note(w, " arg read-only");
		err = ioctl(crak_fd, CRAK_IOC_VERSION, guard + 2 * page_size) ?
		      errno : 0;
		crak_expect(w, OP_CRAK_VERSION, err, EFAULT);
		break;
	case 2:
		note(w, " arg across into an inaccessible page");
		err = ioctl(crak_fd, CRAK_IOC_VERSION, guard + page_size - 4) ?
		      errno : 0;
		crak_expect(w, OP_CRAK_VERSION, err, EFAULT);
		break;
	default:
		note(w, " valid");
		err = ioctl(crak_fd, CRAK_IOC_VERSION, &v) ? errno : 0;
		crak_expect(w, OP_CRAK_VERSION, err, 0);
		if (!err && (v.abi != CRAK_ABI_VERSION ||
			     v.image_version != CRAK_IMAGE_VERSION))
			fail("CRAK_IOC_VERSION: abi %u image %u", v.abi,
			     v.image_version);
		break;
	}
}

static void op_crak_badptr(struct worker *w)
{
	struct crak_image_check c = { 0 };
	uint8_t *rw = guard, *none = guard + page_size, *ro = none + page_size;
	int err, want = EFAULT;
	void *arg = &c;

	switch (rnd(&w->r, 13)) {
	case 0:
		/* Nothing to copy: the codec's verdict on 0 bytes. */
		note(w, " buf NULL len 0");
		crak_compare(w, OP_CRAK_BADPTR, NULL, 0);
		return;
	case 1:
		c.len = 64;
		note(w, " buf NULL len 64");
		break;
	case 2:
		c.buf = 1;
		c.len = 32;
		note(w, " buf 1");
		break;
	case 3:
		c.buf = 0xffffffff81000000ull;
		c.len = 64;
		note(w, " buf in the kernel");
		break;
	case 4:
		c.buf = (uintptr_t)none;
		c.len = rnd_in(&w->r, 1, 64);
		note(w, " buf inaccessible");
		break;
	case 5:
		c.buf = (uintptr_t)(none - 16);
		c.len = rnd_in(&w->r, 17, 200);
		note(w, " buf across into an inaccessible page");
		break;
	case 6:
		c.buf = (uintptr_t)rw;
		c.len = (uint64_t)CRAK_IMAGE_MAX_CHECK + 1;
		want = EFBIG;
		note(w, " len max+1");
		break;
	case 7:
		c.buf = (uintptr_t)rw;
		c.len = pct(&w->r, 50) ? UINT64_MAX : 1ull << 63;
		want = EFBIG;
		note(w, " len huge");
		break;
	case 8:
		arg = NULL;
		note(w, " arg NULL");
		break;
	case 9:
		arg = (void *)1;
		note(w, " arg 1");
		break;
	case 10:
		/* Read, checked, and the verdict cannot be written back. */
		arg = ro;
		note(w, " arg read-only");
		break;
	case 11:
		arg = none - sizeof(c) / 2;
		memset(none - sizeof(c) / 2, 0, sizeof(c) / 2);
		note(w, " arg across into an inaccessible page");
		break;
	default:
		if (!atomic_exchange(&did_max_check, 1)) {
			/* Once: the most the ioctl takes, 64 MiB of zeroes. */
			uint8_t *big = mmap(NULL, CRAK_IMAGE_MAX_CHECK, PROT_READ,
					    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
					    -1, 0);

			if (big == MAP_FAILED) {
				fail("mmap of 64 MiB: %s", strerror(errno));
				return;
			}
			note(w, " 64 MiB of zeroes");
			crak_compare(w, OP_CRAK_BADPTR, big, CRAK_IMAGE_MAX_CHECK);
			munmap(big, CRAK_IMAGE_MAX_CHECK);
			return;
		}
		c.buf = (uintptr_t)rw;
		c.len = CRAK_IMAGE_MAX_CHECK + (uint64_t)rnd_in(&w->r, 1, 4096);
		want = EFBIG;
		note(w, " len just over max");
		break;
	}
	err = ioctl(crak_fd, CRAK_IOC_IMAGE_CHECK, arg) ? errno : 0;
	crak_expect(w, OP_CRAK_BADPTR, err, want);
}

/* ioctl numbers that are not crak's: ENOTTY, always. */
static void op_crak_badioctl(struct worker *w)
{
	/* Magic numbers the VFS itself answers on any file, and crak's. */
	const uint8_t vfs[] = { 0x00, 'T', 'X', 'f', 0x94, CRAK_IOC_MAGIC };
	uint8_t *arg = guard;
	unsigned long cmd;
	unsigned int i, magic;

	switch (rnd(&w->r, 6)) {
	case 0:
		/* Numbers from 0x80 up: the low ones are crak's, now or later. */
		cmd = _IOC(rnd(&w->r, 4), CRAK_IOC_MAGIC, rnd_in(&w->r, 0x80, 0xff),
			   rnd(&w->r, 1 << 14));
		break;
	case 1:
		/* The right numbers with the wrong sizes. */
		cmd = pct(&w->r, 50) ? _IOR(CRAK_IOC_MAGIC, 0, uint32_t) :
		      _IOWR(CRAK_IOC_MAGIC, 1, uint8_t[8]);
		break;
	case 2:
		cmd = pct(&w->r, 50) ? _IO(CRAK_IOC_MAGIC, 0) :
		      _IOW(CRAK_IOC_MAGIC, 1, struct crak_image_check);
		break;
	case 3:
		/* CRAK_IOC_INSPECT's number, the wrong size or direction. */
		cmd = pct(&w->r, 50) ? _IOWR(CRAK_IOC_MAGIC, 2, uint8_t[24]) :
		      _IOR(CRAK_IOC_MAGIC, 2, struct crak_inspect);
		break;
	default:
		do {
			cmd = (uint32_t)rnd64(&w->r);
			magic = _IOC_TYPE(cmd);
			for (i = 0; i < ARRAY_SIZE(vfs); i++)
				if (magic == vfs[i])
					break;
		} while (i < ARRAY_SIZE(vfs));
		break;
	}
	if (cmd == CRAK_IOC_VERSION || cmd == CRAK_IOC_IMAGE_CHECK ||
	    cmd == CRAK_IOC_INSPECT)
		cmd = _IO(CRAK_IOC_MAGIC, 0xff);
	memset(arg, 0, page_size);
	note(w, " cmd %#lx", cmd);
	crak_expect(w, OP_CRAK_BADIOCTL, ioctl(crak_fd, cmd, arg) ? errno : 0,
		    ENOTTY);
}

/* ---- /dev/crak: CRAK_IOC_INSPECT ---- */

/*
 * Its targets: nlfuzz itself and its threads, init, random and impossible
 * PIDs, exited children (zombie, then reaped), and a child of each thread
 * that holds sockets it describes exactly (in a network namespace of its
 * own, with the loopback up): those are compared field by field with what
 * the ioctl says. While it inspects, the child or a thread of nlfuzz may
 * open and close sockets; a thread that dropped CAP_SYS_PTRACE gets EPERM
 * for the child. Buffers: a region of CRAK_INSPECT_MAX entries that ends
 * at an inaccessible page, so that a buffer smaller than max entries
 * faults at its end, followed by a read-only page.
 *
 * The child is forked from a thread of a threaded process: until it exits
 * it only makes system calls (kid_*() functions), never fail() or malloc().
 */

#define INSP_ENT	sizeof(struct crak_sock_info)
#define INSP_BYTES	((size_t)CRAK_INSPECT_MAX * INSP_ENT)
#define INSP_FILL	0xa5		/* what the ioctl must not overwrite */
#define PID_MAX_SMALL	32768		/* PID_MAX_LIMIT with CONFIG_BASE_SMALL */
#define PID_MAX_64	(4 * 1024 * 1024)	/* PID_MAX_LIMIT on 64-bit */
#define KID_SPEC_MAX	64		/* things a child builds at once */
#define KID_FDS		288		/* descriptors a child reports, at most */
#define KID_HIGH_MIN	300		/* above any KID_FDS descriptor */
#define KID_WAIT_S	30		/* a child silent so long: a failure */
#define KID_AGE_MS	20000		/* a SYN_SENT socket gives up after 127 s */
#define KID_CHURN_MS	2000		/* a child churns so long at most */
#define CHURN_FDS	32

/* What a child builds, in the order given. */
enum kid_build {
	KB_DUP,			/* dup(0) */
	KB_HIGH,		/* dup2(0, a high number) */
	KB_UDP,			/* UDP bound to 127.0.0.1 */
	KB_UDP_QUEUED,		/* the same, with a datagram of its own queued */
	KB_UDP_CONN,		/* UDP connected to 127.0.0.1:9 */
	KB_UDP6,		/* UDP bound to [::] */
	KB_TCP,			/* TCP, never bound */
	KB_TCP6,		/* TCP over IPv6, never bound */
	KB_LISTEN0,		/* TCP listening on 127.0.0.1, backlog 1 */
	KB_LISTEN1,		/* the same, one connection to accept, its client */
	KB_LISTEN2,		/* two, and their clients: the queue is full */
	KB_SYN_SENT,		/* KB_LISTEN2 and a client whose SYN it drops */
	KB_RAW,			/* raw ICMP: a protocol a checkpoint cannot take */
	KB_UNIX_DGRAM,		/* AF_UNIX datagram, unbound */
	KB_UNIX_PAIR,		/* both ends of an AF_UNIX stream socketpair */
	KB_UNIX_LISTEN,		/* AF_UNIX stream on an abstract name, listening */
	KB_NETLINK,		/* NETLINK_GENERIC */
	KB_PIPE,		/* two descriptors that are no sockets */
	KB_NULL,		/* /dev/null: no socket either */
	__KB_MAX
};

/* What a descriptor of a child is. */
enum kid_fd_role {
	KF_OTHER,		/* not a socket */
	KF_UNIX_PAIRED,		/* AF_UNIX stream, connected (fd 0, dups, pairs) */
	KF_UDP,
	KF_UDP_QUEUED,
	KF_UDP_CONN,
	KF_UDP6,
	KF_TCP,
	KF_TCP6,
	KF_LISTEN,		/* with kid_fd.pending connections to accept */
	KF_CLIENT,		/* connected to a KF_LISTEN */
	KF_SYN_SENT,
	KF_RAW,
	KF_UNIX_DGRAM,
	KF_UNIX_LISTEN,
	KF_NETLINK,
	__KF_MAX
};

/* What CRAK_IOC_INSPECT must say of each role. */
static const struct kid_expect {
	uint16_t family;
	uint16_t type;
	uint16_t protocol;
	uint8_t state;
	uint8_t verdict;
} kid_expect[__KF_MAX] = {
	[KF_UNIX_PAIRED] = { AF_UNIX, SOCK_STREAM, 0, TCP_ESTABLISHED, CRAK_SOCK_FAMILY },
	[KF_UDP]	= { AF_INET, SOCK_DGRAM, IPPROTO_UDP, TCP_CLOSE, CRAK_SOCK_OK },
	[KF_UDP_QUEUED]	= { AF_INET, SOCK_DGRAM, IPPROTO_UDP, TCP_CLOSE, CRAK_SOCK_OK },
	[KF_UDP_CONN]	= { AF_INET, SOCK_DGRAM, IPPROTO_UDP, TCP_ESTABLISHED, CRAK_SOCK_OK },
	[KF_UDP6]	= { AF_INET6, SOCK_DGRAM, IPPROTO_UDP, TCP_CLOSE, CRAK_SOCK_OK },
	[KF_TCP]	= { AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_CLOSE, CRAK_SOCK_STATE },
	[KF_TCP6]	= { AF_INET6, SOCK_STREAM, IPPROTO_TCP, TCP_CLOSE, CRAK_SOCK_STATE },
	[KF_LISTEN]	= { AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_LISTEN, CRAK_SOCK_OK },
	[KF_CLIENT]	= { AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_ESTABLISHED, CRAK_SOCK_OK },
	[KF_SYN_SENT]	= { AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_SYN_SENT, CRAK_SOCK_STATE },
	[KF_RAW]	= { AF_INET, SOCK_RAW, IPPROTO_ICMP, TCP_CLOSE, CRAK_SOCK_PROTOCOL },
	[KF_UNIX_DGRAM]	= { AF_UNIX, SOCK_DGRAM, 0, TCP_CLOSE, CRAK_SOCK_FAMILY },
	[KF_UNIX_LISTEN] = { AF_UNIX, SOCK_STREAM, 0, TCP_LISTEN, CRAK_SOCK_FAMILY },
	[KF_NETLINK]	= { AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC, TCP_CLOSE, CRAK_SOCK_FAMILY },
};

/* One descriptor of a child, as the child sees it. */
struct kid_fd {
	int32_t fd;
	uint8_t role;		/* enum kid_fd_role */
	uint8_t pending;	/* KF_LISTEN: connections to accept */
	uint16_t sport;		/* network order, from getsockname() */
	uint16_t dport;		/* from getpeername(), or where it connects */
	uint8_t saddr[16];	/* AF_INET: the first 4 bytes */
	uint8_t daddr[16];
};

/* A child's answer to each command. */
struct kid_report {
	int32_t err;		/* 0, or the errno of the step that failed */
	uint32_t step;		/* enum kid_build, or KID_STEP_* */
	uint32_t n;		/* fd[] entries: all its descriptors */
	uint32_t pad;
	struct kid_fd fd[KID_FDS];
};

#define KID_STEP_SETUP	100	/* its network namespace */
#define KID_STEP_ADDR	101	/* getsockname() */

struct kid_cmd {
	uint32_t op;		/* 'r'ebuild, 'c'hurn, 's'top churning, 'q'uit */
	uint32_t n;		/* spec[] entries */
	uint64_t seed;		/* of the churn */
	uint32_t high;		/* the descriptor KB_HIGH takes */
	uint8_t spec[KID_SPEC_MAX];	/* enum kid_build */
};

/* A thread's child, as nlfuzz knows it. */
struct kid {
	pid_t pid;		/* 0: none */
	int sock;		/* nlfuzz's end of its fd 0 */
	atomic_ullong start;	/* its start time, once an inspection said */
	uint64_t born_lo;	/* CLOCK_BOOTTIME before and after its fork */
	uint64_t born_hi;
	uint64_t built_ms;
	int clean;		/* its descriptors are those of rep */
	unsigned int nsock;	/* sockets among them */
	unsigned int order[KID_FDS];	/* of the sockets in rep.fd, by fd */
	struct kid_report rep;
};

/* A thread of nlfuzz that opens and closes sockets of its own. */
struct churn {
	pthread_t thread;
	uint64_t seed;
	atomic_int stop;
	atomic_int tid;
};

/* Whom an inspection targets, and what it may answer. */
struct itarget {
	uint32_t pid;
	const char *what;
	atomic_ullong *start;	/* its start time, learnt once, stable */
	int want;		/* an errno it must give whatever else */
	int gone_ok;		/* it may be gone: ESRCH is fine too */
	int foreign;		/* not nlfuzz's: EPERM is fine too, if it can be */
	uint64_t reaped;	/* exited: a process started later is another */
	struct kid *kid;	/* its sockets are known: compared exactly */
};

static uint32_t pid_max = 32768;
static unsigned long nofile = 1024;
static int may_eperm;		/* not all-powerful: EPERM on others is fine */
static atomic_ullong self_start;
static struct {
	atomic_ulong exact;	/* inspections of a child compared field by field */
	atomic_ulong kids;	/* children forked to hold sockets */
	atomic_ulong builds;	/* sets of sockets they built */
	atomic_ulong exited;	/* inspections of exited children */
	atomic_ulong churn_kid;	/* inspections while the child churns */
	atomic_ulong churn_self;	/* ... while a thread of nlfuzz churns */
	atomic_ulong reused;	/* a PID reused between exit and inspection */
} insp;

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Whether all of @len bytes at @p are INSP_FILL. */
static int untouched(const void *p, size_t len)
{
	const uint8_t *b = p;

	return !len || (b[0] == INSP_FILL && !memcmp(b, b + 1, len - 1));
}

/*
 * The verdict of ckpt/inspect.c, from what an entry says. Its last rule,
 * CRAK_SOCK_DEVICE for a socket that could be taken but is bound to a
 * device, needs what an entry does not say: verdict_agrees() allows it.
 */
static uint8_t verdict_of(const struct crak_sock_info *si)
{
	if (si->family != AF_INET && si->family != AF_INET6)
		return CRAK_SOCK_FAMILY;
	if (si->type == SOCK_DGRAM && si->protocol == IPPROTO_UDP)
		return CRAK_SOCK_OK;
	if (si->type != SOCK_STREAM || si->protocol != IPPROTO_TCP)
		return CRAK_SOCK_PROTOCOL;
	switch (si->state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
	case TCP_CLOSE_WAIT:
	case TCP_LAST_ACK:
	case TCP_LISTEN:
	case TCP_CLOSING:
		return CRAK_SOCK_OK;
	default:
		return CRAK_SOCK_STATE;
	}
}

/* An IPv6 link-local address (fe80::/10) in an entry. */
static int linklocal6(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/*
 * Whether an entry's verdict is the one inspect.c gives: CRAK_SOCK_DEVICE
 * where the rest would be CRAK_SOCK_OK if bound to a device, which only a
 * link-local address shows; else verdict_of().
 */
static int verdict_agrees(const struct crak_sock_info *si)
{
	uint8_t v = verdict_of(si);

	if (v == CRAK_SOCK_OK && si->family == AF_INET6 &&
	    (linklocal6(si->src_addr) || linklocal6(si->dst_addr)))
		return si->verdict == CRAK_SOCK_DEVICE;
	if (v == CRAK_SOCK_OK && si->verdict == CRAK_SOCK_DEVICE)
		return 1;
	return si->verdict == v;
}

/* What is wrong with an entry of any process, or NULL. */
static const char *entry_insane(const struct crak_sock_info *si, long prev)
{
	static const uint8_t zero[16];
	int inet = si->family == AF_INET || si->family == AF_INET6;
	int ok = si->verdict == CRAK_SOCK_OK;

	if (si->fd < 0 || si->fd <= prev)
		return "descriptors not in ascending order";
	if (si->reserved)
		return "reserved is not 0";
	if (!verdict_agrees(si))
		return "a verdict that does not follow from the entry's fields";
	if (!inet && (si->src_port || si->dst_port ||
		      memcmp(si->src_addr, zero, 16) || memcmp(si->dst_addr, zero, 16)))
		return "ports or addresses of a socket that is not AF_INET or AF_INET6";
	if (si->family == AF_INET && (memcmp(si->src_addr + 4, zero, 12) ||
				      memcmp(si->dst_addr + 4, zero, 12)))
		return "an AF_INET address longer than 4 bytes";
	if (!ok && (si->rx_queue || si->tx_queue || si->backlog))
		return "queues of a socket a checkpoint cannot take";
	if (ok && si->protocol == IPPROTO_UDP &&
	    ((si->state != TCP_ESTABLISHED && si->state != TCP_CLOSE) ||
	     si->tx_queue || si->backlog))
		return "a UDP state, tx_queue or backlog";
	if (ok && si->protocol == IPPROTO_TCP && si->state == TCP_LISTEN &&
	    (si->rx_queue || si->tx_queue))
		return "queues of a TCP listener";
	if (ok && si->protocol == IPPROTO_TCP && si->state != TCP_LISTEN &&
	    si->backlog)
		return "a backlog of a TCP socket that does not listen";
	return NULL;
}

/* What differs between an entry and the child's descriptor @k, or NULL. */
static const char *kid_mismatch(const struct kid_fd *k,
				const struct crak_sock_info *si)
{
	const struct kid_expect *x = &kid_expect[k->role];

	if (si->fd != k->fd)
		return "fd";
	if (si->family != x->family)
		return "family";
	if (si->type != x->type)
		return "type";
	if (si->protocol != x->protocol)
		return "protocol";
	if (si->state != x->state)
		return "state";
	if (si->verdict != x->verdict)
		return "verdict";
	if (si->src_port != k->sport || si->dst_port != k->dport)
		return "port";
	if (memcmp(si->src_addr, k->saddr, 16) || memcmp(si->dst_addr, k->daddr, 16))
		return "address";
	if (k->role == KF_UDP_QUEUED ? !si->rx_queue : si->rx_queue != 0)
		return "rx_queue";
	if (si->tx_queue)
		return "tx_queue";
	if (si->backlog != (k->role == KF_LISTEN ? k->pending : 0u))
		return "backlog";
	if (si->reserved)
		return "reserved";
	return NULL;
}

/* ---- the child: system calls only ---- */

static int kid_add(struct kid_report *rep, int fd, unsigned int role,
		   unsigned int pending)
{
	struct kid_fd *k;

	if (fd < 0)
		return -errno;
	if (rep->n >= KID_FDS)
		return -ENOBUFS;
	k = &rep->fd[rep->n++];
	memset(k, 0, sizeof(*k));
	k->fd = fd;
	k->role = (uint8_t)role;
	k->pending = (uint8_t)pending;
	return 0;
}

/* Waits until the TCP socket @fd is in @state, a listener with @queued. */
static int kid_wait_tcp(int fd, unsigned int state, unsigned int queued)
{
	uint64_t until = now_ms() + 5000;
	struct tcp_info ti;
	socklen_t len;

	for (;;) {
		len = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
			return -errno;
		if (ti.tcpi_state == state &&
		    (state != TCP_LISTEN || ti.tcpi_unacked == queued))
			return 0;
		if (now_ms() > until)
			return -ETIMEDOUT;
		sleep_ms(1);
	}
}

/*
 * A TCP listener with a backlog of 1 and @pending connected clients (the
 * queue is full at 2), and with @stuck a client whose SYN is dropped.
 */
static int kid_listen(struct kid_report *rep, unsigned int pending, int stuck)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(a);
	unsigned int i;
	int l, c, err;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -errno;
	err = kid_add(rep, l, KF_LISTEN, pending);
	for (i = 0; !err && i < pending; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
			return -errno;
		err = kid_add(rep, c, KF_CLIENT, 0);
		/* Accepted before the next SYN: no SYN flood, no cookie. */
		if (!err)
			err = kid_wait_tcp(l, TCP_LISTEN, i + 1);
	}
	if (err || !stuck)
		return err;
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c < 0)
		return -errno;
	if (!connect(c, (struct sockaddr *)&a, sizeof(a)) || errno != EINPROGRESS)
		return -EPROTO;
	err = kid_add(rep, c, KF_SYN_SENT, 0);
	if (err)
		return err;
	/* Not connected: where it connects to is not for getpeername(). */
	rep->fd[rep->n - 1].dport = a.sin_port;
	memcpy(rep->fd[rep->n - 1].daddr, &a.sin_addr, 4);
	sleep_ms(20);
	return kid_wait_tcp(c, TCP_SYN_SENT, 0);
}

static int kid_make(struct kid_report *rep, unsigned int kb, unsigned int high)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	sa_family_t unix_auto = AF_UNIX;
	struct pollfd p = { .events = POLLIN };
	socklen_t len = sizeof(a);
	int fd, sv[2], err;

	switch (kb) {
	case KB_DUP:
		return kid_add(rep, dup(0), KF_UNIX_PAIRED, 0);
	case KB_HIGH:
		return kid_add(rep, dup2(0, (int)high), KF_UNIX_PAIRED, 0);
	case KB_UDP:
	case KB_UDP_QUEUED:
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
			return -errno;
		if (kb == KB_UDP)
			return kid_add(rep, fd, KF_UDP, 0);
		/* One datagram to itself, queued before it says it is ready. */
		if (getsockname(fd, (struct sockaddr *)&a, &len) ||
		    sendto(fd, "q", 1, 0, (struct sockaddr *)&a, sizeof(a)) != 1)
			return -errno;
		p.fd = fd;
		if (poll(&p, 1, 5000) != 1)
			return -ETIMEDOUT;
		return kid_add(rep, fd, KF_UDP_QUEUED, 0);
	case KB_UDP_CONN:
		a.sin_port = htons(9);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return -errno;
		return kid_add(rep, fd, KF_UDP_CONN, 0);
	case KB_UDP6:
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a6, sizeof(a6)))
			return -errno;
		return kid_add(rep, fd, KF_UDP6, 0);
	case KB_TCP:
		return kid_add(rep, socket(AF_INET, SOCK_STREAM, 0), KF_TCP, 0);
	case KB_TCP6:
		return kid_add(rep, socket(AF_INET6, SOCK_STREAM, 0), KF_TCP6, 0);
	case KB_LISTEN0:
	case KB_LISTEN1:
	case KB_LISTEN2:
		return kid_listen(rep, kb - KB_LISTEN0, 0);
	case KB_SYN_SENT:
		return kid_listen(rep, 2, 1);
	case KB_RAW:
		return kid_add(rep, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), KF_RAW, 0);
	case KB_UNIX_DGRAM:
		return kid_add(rep, socket(AF_UNIX, SOCK_DGRAM, 0), KF_UNIX_DGRAM, 0);
	case KB_UNIX_PAIR:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return -errno;
		err = kid_add(rep, sv[0], KF_UNIX_PAIRED, 0);
		return err ? err : kid_add(rep, sv[1], KF_UNIX_PAIRED, 0);
	case KB_UNIX_LISTEN:
		/* An address of only the family: an abstract name of its own. */
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&unix_auto, sizeof(unix_auto)) ||
		    listen(fd, 4))
			return -errno;
		return kid_add(rep, fd, KF_UNIX_LISTEN, 0);
	case KB_NETLINK:
		return kid_add(rep, socket(AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC),
			       KF_NETLINK, 0);
	case KB_PIPE:
		if (pipe(sv))
			return -errno;
		err = kid_add(rep, sv[0], KF_OTHER, 0);
		return err ? err : kid_add(rep, sv[1], KF_OTHER, 0);
	default:
		return kid_add(rep, open("/dev/null", O_RDONLY), KF_OTHER, 0);
	}
}

/* The ports and addresses of the child's AF_INET and AF_INET6 sockets. */
static int kid_addrs(struct kid_report *rep)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct kid_fd *k;
	unsigned int i, peer;
	socklen_t len;
	int err;

	for (i = 0; i < rep->n; i++) {
		k = &rep->fd[i];
		if (kid_expect[k->role].family != AF_INET &&
		    kid_expect[k->role].family != AF_INET6)
			continue;
		for (peer = 0; peer < 2; peer++) {
			len = sizeof(ss);
			memset(&ss, 0, sizeof(ss));
			err = peer ? getpeername(k->fd, (struct sockaddr *)&ss, &len) :
			      getsockname(k->fd, (struct sockaddr *)&ss, &len);
			if (err && peer && errno == ENOTCONN)
				continue;
			if (err)
				return -errno;
			if (ss.ss_family == AF_INET6) {
				*(peer ? &k->dport : &k->sport) = s6->sin6_port;
				memcpy(peer ? k->daddr : k->saddr, &s6->sin6_addr, 16);
			} else {
				*(peer ? &k->dport : &k->sport) = s4->sin_port;
				memcpy(peer ? k->daddr : k->saddr, &s4->sin_addr, 4);
			}
		}
	}
	return 0;
}

/* Everything but fd 0 closed, then what @cmd asks for. */
static void kid_build(const struct kid_cmd *cmd, struct kid_report *rep)
{
	unsigned int i;

	close_range(1, ~0U, 0);
	rep->n = 0;
	kid_add(rep, 0, KF_UNIX_PAIRED, 0);
	for (i = 0; i < cmd->n && i < KID_SPEC_MAX; i++) {
		rep->err = -kid_make(rep, cmd->spec[i], cmd->high);
		if (rep->err) {
			rep->step = cmd->spec[i];
			return;
		}
	}
	rep->err = -kid_addrs(rep);
	if (rep->err)
		rep->step = KID_STEP_ADDR;
}

/*
 * A random socket, or -1: in a namespace with the loopback up (@lo), one
 * may be connecting to a closed port (SYN_SENT, then CLOSE on the RST).
 */
static int random_socket(struct rng *r, int lo)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd;

	switch (rnd(r, lo ? 8 : 7)) {
	case 0:
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && pct(r, 70))
			bind(fd, (struct sockaddr *)&a, sizeof(a));
		return fd;
	case 1:
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && pct(r, 60) && !bind(fd, (struct sockaddr *)&a, sizeof(a)))
			listen(fd, 4);
		return fd;
	case 2:
		return socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	case 3:
		return socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	case 4:
		return socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_GENERIC);
	case 5:
		return socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	case 6:
		return socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	default:
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons(9);
		if (fd >= 0)
			connect(fd, (struct sockaddr *)&a, sizeof(a));
		return fd;
	}
}

/*
 * Opens, closes and replaces descriptors 1 to 40, and sometimes up to 300
 * (the table grows), until a command arrives on fd 0 or KID_CHURN_MS pass.
 */
static void kid_churn(uint64_t seed)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	uint64_t until = now_ms() + KID_CHURN_MS;
	struct rng r;
	int f, fd, sv[2];

	rng_seed(&r, seed, 0);
	while (now_ms() < until && !poll(&p, 1, 0)) {
		f = (int)rnd_in(&r, 1, pct(&r, 5) ? KID_HIGH_MIN : 40);
		switch (rnd(&r, 5)) {
		case 0:
			close(f);
			break;
		case 1:
			dup2(0, f);
			break;
		case 2:
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
				break;
			dup2(sv[0], f);
			close(sv[0]);
			close(sv[1]);
			break;
		default:
			fd = random_socket(&r, 1);
			if (fd >= 0 && fd != f) {
				dup2(fd, f);
				close(fd);
			}
			break;
		}
	}
}

/* Its own network namespace, with the loopback up. */
static int kid_netns(void)
{
	struct ifreq ifr;
	int fd, err = 0;

	if (unshare(CLONE_NEWNET))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr))
		err = -errno;
	close(fd);
	return err;
}

static int kid_send(const struct kid_report *rep)
{
	size_t len = offsetof(struct kid_report, fd) + rep->n * sizeof(rep->fd[0]);
	const uint8_t *p = (const uint8_t *)rep;
	ssize_t n;

	while (len) {
		n = send(0, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The child: its fd 0 is @s, connected to nlfuzz; answers each command. */
static void __attribute__((noreturn)) kid_main(int s, pid_t parent)
{
	struct kid_report rep;
	struct kid_cmd cmd;
	int err;

	/* Gone with the thread that forked it, whatever happens to nlfuzz. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(3);
	if (dup2(s, 0) != 0 || close_range(1, ~0U, 0))
		_exit(4);
	err = kid_netns();
	for (;;) {
		if (recv(0, &cmd, sizeof(cmd), MSG_WAITALL) != sizeof(cmd) ||
		    cmd.op == 'q')
			_exit(0);
		memset(&rep, 0, offsetof(struct kid_report, fd));
		if (err) {
			rep.err = -err;
			rep.step = KID_STEP_SETUP;
		} else if (cmd.op == 'r') {
			kid_build(&cmd, &rep);
		}
		if (kid_send(&rep))
			_exit(5);
		if (!err && cmd.op == 'c')
			kid_churn(cmd.seed);
	}
}

/* ---- the child: from nlfuzz's side ---- */

static void kid_forget(struct worker *w)
{
	struct kid *k = w->kid;

	close(k->sock);
	k->sock = -1;
	k->pid = 0;
	k->clean = 0;
	atomic_store(&k->start, 0);
	atomic_store(&w->kid_pid, 0);
}

/* Kills and reaps the child (it may be gone already); its status. */
static int kid_kill(struct worker *w)
{
	int status = 0;

	kill(w->kid->pid, SIGKILL);
	if (waitpid(w->kid->pid, &status, 0) < 0)
		fail("waitpid of the child %d: %s", w->kid->pid, strerror(errno));
	kid_forget(w);
	return status;
}

/* Sends @cmd, reads the report: 0, or -1 with the run failed. */
static int kid_talk(struct worker *w, const struct kid_cmd *cmd)
{
	size_t head = offsetof(struct kid_report, fd), body;
	struct kid *k = w->kid;
	const char *why = "short";
	int status;
	pid_t pid;

	if (send(k->sock, cmd, sizeof(*cmd), MSG_NOSIGNAL) != (ssize_t)sizeof(*cmd) ||
	    recv(k->sock, &k->rep, head, MSG_WAITALL) != (ssize_t)head)
		goto broken;
	why = "too many descriptors";
	if (k->rep.n > KID_FDS)
		goto broken;
	body = k->rep.n * sizeof(k->rep.fd[0]);
	why = "short";
	/* Not for 0 bytes: that would wait for one. */
	if (body && recv(k->sock, k->rep.fd, body, MSG_WAITALL) != (ssize_t)body)
		goto broken;
	if (k->rep.err) {
		fail("crak: the child %d failed to build (step %u, %u descriptors so far): %s",
		     k->pid, k->rep.step, k->rep.n, strerror(k->rep.err));
		kid_kill(w);
		return -1;
	}
	return 0;

broken:
	if (errno == EAGAIN)
		why = "no answer";
	pid = k->pid;
	status = kid_kill(w);
	fail("crak: the child %d, asked '%c' (%d s at most): %s, then status %#x",
	     pid, (int)cmd->op, KID_WAIT_S, why, status);
	return -1;
}

/* What the child builds next, from the seed. */
static void kid_spec(struct worker *w, struct kid_cmd *cmd)
{
	/* How often each comes among the extras; KB_HIGH is apart. */
	static const uint8_t weight[__KB_MAX] = {
		[KB_DUP] = 2, [KB_UDP] = 4, [KB_UDP_QUEUED] = 2,
		[KB_UDP_CONN] = 2, [KB_UDP6] = 2, [KB_TCP] = 2, [KB_TCP6] = 1,
		[KB_LISTEN0] = 2, [KB_LISTEN1] = 1, [KB_LISTEN2] = 1,
		[KB_SYN_SENT] = 1, [KB_RAW] = 2, [KB_UNIX_DGRAM] = 2,
		[KB_UNIX_PAIR] = 1, [KB_UNIX_LISTEN] = 1, [KB_NETLINK] = 1,
		[KB_PIPE] = 1, [KB_NULL] = 1,
	};
	unsigned int i, j, x, sum = 0, extra;
	uint8_t t;

	for (i = 0; i < __KB_MAX; i++)
		sum += weight[i];
	memset(cmd, 0, sizeof(*cmd));
	cmd->op = 'r';
	/*
	 * Always: a bound UDP socket, a TCP listener with a connection to
	 * accept (and its client), an AF_UNIX socket.
	 */
	cmd->spec[cmd->n++] = KB_UDP;
	cmd->spec[cmd->n++] = KB_LISTEN1;
	cmd->spec[cmd->n++] = pct(&w->r, 50) ? KB_UNIX_DGRAM : KB_UNIX_PAIR;
	/* And a descriptor that is no socket, for fds. */
	cmd->spec[cmd->n++] = pct(&w->r, 50) ? KB_PIPE : KB_NULL;
	extra = pct(&w->r, 85) ? rnd(&w->r, 9) : rnd_in(&w->r, 9, KID_SPEC_MAX - 5);
	for (i = 0; i < extra; i++) {
		x = rnd(&w->r, sum);
		for (j = 0; x >= weight[j]; j++)
			x -= weight[j];
		cmd->spec[cmd->n++] = (uint8_t)j;
	}
	if (nofile > KID_HIGH_MIN + 1 && pct(&w->r, 20)) {
		cmd->high = rnd_in(&w->r, KID_HIGH_MIN,
				   nofile > 1000 ? 999 : (uint32_t)nofile - 1);
		cmd->spec[cmd->n++] = KB_HIGH;
	}
	for (i = cmd->n - 1; i > 0; i--) {
		j = rnd(&w->r, i + 1);
		t = cmd->spec[i];
		cmd->spec[i] = cmd->spec[j];
		cmd->spec[j] = t;
	}
}

/* A new set of sockets in the child; the child's sockets sorted by fd. */
static int kid_rebuild(struct worker *w)
{
	struct kid *k = w->kid;
	struct kid_cmd cmd;
	unsigned int i, j, t;

	kid_spec(w, &cmd);
	note(w, " (rebuilt with %u things)", cmd.n);
	if (kid_talk(w, &cmd))
		return -1;
	atomic_fetch_add(&insp.builds, 1);
	k->nsock = 0;
	for (i = 0; i < k->rep.n; i++) {
		if (k->rep.fd[i].role >= __KF_MAX) {
			fail("crak: the child reports a descriptor of role %u",
			     k->rep.fd[i].role);
			return -1;
		}
		if (k->rep.fd[i].role != KF_OTHER)
			k->order[k->nsock++] = i;
	}
	for (i = 1; i < k->nsock; i++) {
		t = k->order[i];
		for (j = i; j && k->rep.fd[k->order[j - 1]].fd > k->rep.fd[t].fd; j--)
			k->order[j] = k->order[j - 1];
		k->order[j] = t;
	}
	for (i = 1; i < k->nsock; i++)
		if (k->rep.fd[k->order[i]].fd == k->rep.fd[k->order[i - 1]].fd) {
			fail("crak: the child reports fd %d twice",
			     k->rep.fd[k->order[i]].fd);
			return -1;
		}
	k->clean = 1;
	k->built_ms = now_ms();
	return 0;
}

static int kid_spawn(struct worker *w)
{
	struct timeval tv = { .tv_sec = KID_WAIT_S };
	struct kid *k = w->kid;
	pid_t parent = getpid();
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		fail("socketpair: %s", strerror(errno));
		return -1;
	}
	k->born_lo = boottime_ns();
	k->pid = fork();
	if (!k->pid)
		kid_main(sv[1], parent);
	k->born_hi = boottime_ns();
	close(sv[1]);
	if (k->pid < 0) {
		fail("fork: %s", strerror(errno));
		close(sv[0]);
		k->pid = 0;
		return -1;
	}
	k->sock = sv[0];
	if (setsockopt(k->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(k->sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))) {
		fail("SO_RCVTIMEO: %s", strerror(errno));
		kid_kill(w);
		return -1;
	}
	atomic_store(&k->start, 0);
	atomic_store(&w->kid_pid, k->pid);
	atomic_fetch_add(&insp.kids, 1);
	return kid_rebuild(w);
}

/* The child, with a known set of sockets if @clean. */
static int kid_ready(struct worker *w, int clean)
{
	struct kid *k = w->kid;

	if (!k->pid)
		return kid_spawn(w);
	if (clean && (!k->clean || now_ms() - k->built_ms > KID_AGE_MS ||
		      pct(&w->r, 15)))
		return kid_rebuild(w);
	return 0;
}

/* At the end: the child quits, or is killed; either way it is reaped. */
static void kid_end(struct worker *w)
{
	struct kid_cmd cmd = { .op = 'q' };
	struct kid *k = w->kid;
	uint64_t until = now_ms() + 5000;
	int status = 0;
	pid_t got;

	if (!k || !k->pid)
		return;
	send(k->sock, &cmd, sizeof(cmd), MSG_NOSIGNAL);
	while ((got = waitpid(k->pid, &status, WNOHANG)) == 0 && now_ms() < until)
		sleep_ms(5);
	if (got == k->pid) {
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("crak: the child %d ended with status %#x", k->pid, status);
		kid_forget(w);
		return;
	}
	status = kid_kill(w);
	fail("crak: the child did not quit within 5 s (status %#x)", status);
}

/* ---- inspections ---- */

/* A max: the boundaries, small ones, about @n. */
static uint32_t insp_max(struct worker *w, unsigned int n)
{
	switch (rnd(&w->r, 12)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
	case 3:
		return rnd_in(&w->r, 2, 16);
	case 4:
		return rnd_in(&w->r, 17, 400);
	case 5:
		return CRAK_INSPECT_MAX;
	case 6:
		return CRAK_INSPECT_MAX + 1;
	case 7:
		return pct(&w->r, 50) ? UINT32_MAX :
		       rnd_in(&w->r, CRAK_INSPECT_MAX + 2, UINT32_MAX - 1);
	default:
		return n ? n + rnd(&w->r, 3) - 1 : rnd_in(&w->r, 2, 64);
	}
}

/* Entries a buffer for @max holds: as many, more, or fewer (it faults). */
static uint32_t insp_cap(struct worker *w, uint32_t max, unsigned int n)
{
	uint32_t m = max > CRAK_INSPECT_MAX ? CRAK_INSPECT_MAX : max;

	switch (rnd(&w->r, 8)) {
	case 0:
	case 1:
	case 2:
		return m;
	case 3:
		m += rnd_in(&w->r, 1, 8);
		return m > CRAK_INSPECT_MAX ? CRAK_INSPECT_MAX : m;
	case 4:
		return n;
	case 5:
		return n ? n - 1 : rnd(&w->r, 8);
	default:
		return rnd(&w->r, (m > 64 ? 64 : m) + 1);
	}
}

/* The start_time to pass: 0, the right one when known, or a wrong one. */
static uint64_t insp_start(struct worker *w, uint64_t known, int *wrong)
{
	uint64_t v;
	unsigned int x = rnd(&w->r, 100);

	*wrong = 0;
	if (x < 55 || (!known && x < 85))
		return 0;
	if (x < 85)
		return known;
	switch (rnd(&w->r, 5)) {
	case 0:
		v = known + 1;
		break;
	case 1:
		v = known - 1;
		break;
	case 2:
		v = known ^ (1ull << rnd(&w->r, 40));
		break;
	case 3:
		v = 1;
		break;
	default:
		v = UINT64_MAX;
		break;
	}
	if (!v || v == known)
		v = 2;
	*wrong = 1;
	return v;
}

/*
 * What a successful inspection says, checked: the request fields as they
 * were, fds >= count, what it wrote (sane, and exact for a child whose
 * sockets are known) and nothing past it, a start time that stays.
 */
static void insp_check(struct worker *w, const struct itarget *t,
		       const struct crak_inspect *ci, const struct crak_inspect *sent,
		       const struct crak_sock_info *buf, uint32_t cap, int region)
{
	uint32_t need = ci->count < ci->max ? ci->count : ci->max, i;
	const struct kid *k = t->kid && t->kid->clean ? t->kid : NULL;
	uint64_t now = boottime_ns();
	unsigned long long prev = 0;
	const char *what;
	long fd = -1;

	if (ci->pid != sent->pid || ci->max != sent->max || ci->buf != sent->buf) {
		fail("crak: INSPECT changed pid, max or buf to %u, %u, %#llx [%s]",
		     ci->pid, ci->max, (unsigned long long)ci->buf, w->last);
		return;
	}
	if (ci->fds < ci->count)
		fail("crak: INSPECT: %u sockets among %u descriptors [%s]",
		     ci->count, ci->fds, w->last);
	if (need > cap)
		fail("crak: INSPECT succeeded, with %u entries to write where %u fit [%s]",
		     need, cap, w->last);
	if (!ci->start_time || ci->start_time > now ||
	    (sent->start_time && ci->start_time != sent->start_time))
		fail("crak: INSPECT: start time %llu (asked %llu, now %llu) [%s]",
		     (unsigned long long)ci->start_time,
		     (unsigned long long)sent->start_time,
		     (unsigned long long)now, w->last);
	if (t->start &&
	    !atomic_compare_exchange_strong(t->start, &prev, ci->start_time) &&
	    prev != ci->start_time)
		fail("crak: INSPECT: the start time of %s changed from %llu to %llu [%s]",
		     t->what, prev, (unsigned long long)ci->start_time, w->last);
	if (t->kid && !prev &&
	    (ci->start_time < t->kid->born_lo || ci->start_time > t->kid->born_hi))
		fail("crak: INSPECT: the child started at %llu, forked between %llu and %llu [%s]",
		     (unsigned long long)ci->start_time,
		     (unsigned long long)t->kid->born_lo,
		     (unsigned long long)t->kid->born_hi, w->last);
	if (k && (ci->count != k->nsock || ci->fds != k->rep.n))
		fail("crak: INSPECT of the child: %u sockets among %u descriptors, it holds %u among %u [%s]",
		     ci->count, ci->fds, k->nsock, k->rep.n, w->last);
	if (!region || need > cap || atomic_load(&failures))
		return;
	for (i = 0; i < need; i++) {
		what = entry_insane(&buf[i], fd);
		if (what) {
			fail("crak: INSPECT entry %u (fd %d, family %u, type %u, protocol %u, state %u, verdict %u): %s [%s]",
			     i, buf[i].fd, buf[i].family, buf[i].type,
			     buf[i].protocol, buf[i].state, buf[i].verdict, what,
			     w->last);
			return;
		}
		fd = buf[i].fd;
	}
	if (!untouched(buf + need, (size_t)(cap - need) * INSP_ENT)) {
		fail("crak: INSPECT wrote past the %u entries it reports [%s]",
		     need, w->last);
		return;
	}
	if (!k)
		return;
	for (i = 0; i < need; i++) {
		const struct kid_fd *f = &k->rep.fd[k->order[i]];

		what = kid_mismatch(f, &buf[i]);
		if (what) {
			fail("crak: INSPECT of the child: its socket %u (fd %d, role %u) has the wrong %s: fd %d family %u type %u protocol %u state %u verdict %u ports %u/%u (want %u/%u) rx %u tx %u backlog %u [%s]",
			     i, f->fd, f->role, what, buf[i].fd, buf[i].family,
			     buf[i].type, buf[i].protocol, buf[i].state,
			     buf[i].verdict, ntohs(buf[i].src_port),
			     ntohs(buf[i].dst_port), ntohs(f->sport),
			     ntohs(f->dport), buf[i].rx_queue, buf[i].tx_queue,
			     buf[i].backlog, w->last);
			return;
		}
	}
	atomic_fetch_add(&insp.exact, 1);
}

/*
 * One CRAK_IOC_INSPECT of @t with a random max, buffer, start_time and
 * (unless @valid) argument; the answer checked against what can be known.
 */
static void one_inspect(struct worker *w, const struct itarget *t, int valid)
{
	uint8_t *none = w->ibuf + INSP_BYTES, *ro = none + page_size;
	unsigned int n = t->kid && t->kid->clean ? t->kid->nsock : 0;
	struct crak_inspect ci = { .pid = t->pid }, sent;
	int bad_arg = 0, region = 0, wrong, err, want = -1;
	struct crak_sock_info *buf = NULL;
	const char *bname = "";
	void *arg = &ci;
	uint32_t cap = 0;
	char a[16], b[16];

	ci.max = insp_max(w, n);
	if (valid || pct(&w->r, 75)) {
		cap = insp_cap(w, ci.max, n);
		buf = (struct crak_sock_info *)(none - (size_t)cap * INSP_ENT);
		memset(buf, INSP_FILL, (size_t)cap * INSP_ENT);
		region = 1;
		ci.buf = (uintptr_t)buf;
	} else {
		switch (rnd(&w->r, 8)) {
		case 0:
			bname = " NULL";
			break;
		case 1:
			ci.buf = 1;
			bname = " 1";
			break;
		case 2:
			ci.buf = 0xffffffff81000000ull;
			bname = " in the kernel";
			break;
		case 3:
			ci.buf = 1ull << 47;
			bname = " past the user address space";
			break;
		case 4:
			ci.buf = (uintptr_t)none;
			bname = " inaccessible";
			break;
		case 5:
			ci.buf = (uintptr_t)ro;
			bname = " read-only";
			break;
		case 6:
			/* Below mmap_min_addr, and nothing maps there anyway. */
			ci.buf = 0x8000;
			bname = " unmapped";
			break;
		default:
			ci.buf = UINT64_MAX - INSP_ENT + 1;
			bname = " at the end of the address space";
			break;
		}
	}
	ci.start_time = insp_start(w, t->start ? atomic_load(t->start) : 0, &wrong);
	if (!valid && pct(&w->r, 6)) {
		bad_arg = 1;
		switch (rnd(&w->r, 4)) {
		case 0:
			arg = NULL;
			break;
		case 1:
			arg = (void *)1;
			break;
		case 2:
			/* Half of it readable. */
			arg = none - sizeof(ci) / 2;
			memcpy(arg, &ci, sizeof(ci) / 2);
			break;
		default:
			/* Read (itself, max 0), but not written back. */
			arg = ro;
			break;
		}
	}
	sent = ci;
	note(w, " %s pid %u max %u buf%s%s %u start %s%s", t->what, ci.pid,
	     ci.max, bname, region ? " for" : "", cap,
	     !ci.start_time ? "0" : wrong ? "wrong" : "right",
	     bad_arg ? (arg == ro ? " arg read-only" : " arg bad") : "");
	w->emsg[0] = '\0';
	err = ioctl(crak_fd, CRAK_IOC_INSPECT, arg) ? errno : 0;
	record(w, OP_CRAK_INSPECT, err);

	if (bad_arg)
		want = EFAULT;
	else if (ci.max > CRAK_INSPECT_MAX)
		want = EINVAL;
	else if (wrong)
		want = ESRCH;
	else if (t->want)
		want = t->want;
	else if (n)
		want = (ci.max < n ? ci.max : n) > cap ? EFAULT : 0;
	if (want == ESRCH && !err && !wrong && t->reaped &&
	    ci.start_time > t->reaped) {
		/* Reaped, and the PID taken again since: another process. */
		struct itarget other = { .pid = t->pid, .what = "a PID taken again" };

		atomic_fetch_add(&insp.reused, 1);
		insp_check(w, &other, &ci, &sent, buf, cap, region);
		return;
	}
	if (want < 0 &&
	    (err == 0 || (err == ESRCH && t->gone_ok) ||
	     (err == EPERM && t->foreign && may_eperm) ||
	     (err == EFAULT && (region ? cap < ci.max : ci.max > 0))))
		want = err;
	if (err != want) {
		fail("crak: INSPECT of %s: %s, expected %s [%s]", t->what,
		     errname(err, a, sizeof(a)),
		     want < 0 ? "another errno" : errname(want, b, sizeof(b)),
		     w->last);
		return;
	}
	if (!err)
		insp_check(w, t, &ci, &sent, buf, cap, region);
}

/* The child, inspected once to three times: exactly, when it can be. */
static void insp_kid(struct worker *w)
{
	struct kid *k = w->kid;
	struct itarget t = {
		.what = "the child",
		.start = &k->start,
		.kid = k,
	};
	unsigned int i, n = rnd_in(&w->r, 1, 3);

	if (kid_ready(w, 1))
		return;
	t.pid = (uint32_t)k->pid;
	for (i = 0; i < n && !atomic_load(&failures); i++)
		one_inspect(w, &t, pct(&w->r, 40));
}

/* The child opens and closes sockets while it is inspected. */
static void insp_kid_churn(struct worker *w)
{
	struct kid *k = w->kid;
	struct itarget t = { .what = "the child, churning", .start = &k->start };
	struct kid_cmd cmd = { .op = 'c' };
	unsigned int i, n = rnd_in(&w->r, 2, 12);

	if (kid_ready(w, 0))
		return;
	cmd.seed = rnd64(&w->r);
	if (kid_talk(w, &cmd))
		return;
	k->clean = 0;
	t.pid = (uint32_t)k->pid;
	for (i = 0; i < n && !atomic_load(&failures); i++)
		one_inspect(w, &t, pct(&w->r, 80));
	atomic_fetch_add(&insp.churn_kid, n);
	cmd.op = 's';
	kid_talk(w, &cmd);
}

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	int fds[CHURN_FDS], n = 0, i, fd;
	struct rng r;

	rng_seed(&r, c->seed, 0);
	atomic_store(&c->tid, (int)gettid());
	while (!atomic_load(&c->stop)) {
		if (n && (n == CHURN_FDS || pct(&r, 45))) {
			i = (int)rnd(&r, (uint32_t)n);
			close(fds[i]);
			fds[i] = fds[--n];
			continue;
		}
		/* Sometimes a number far up: the table grows meanwhile. */
		if (n && pct(&r, 20))
			fd = fcntl(fds[rnd(&r, (uint32_t)n)], F_DUPFD_CLOEXEC,
				   (int)rnd_in(&r, 3, 600));
		else
			fd = random_socket(&r, 0);
		if (fd >= 0)
			fds[n++] = fd;
	}
	while (n)
		close(fds[--n]);
	return NULL;
}

/* A thread of nlfuzz opens and closes sockets while nlfuzz is inspected. */
static void insp_self_churn(struct worker *w)
{
	struct itarget t = { .pid = (uint32_t)getpid(), .start = &self_start };
	unsigned int i, n = rnd_in(&w->r, 2, 12);
	struct churn c = { .seed = rnd64(&w->r) };
	uint64_t until = now_ms() + 5000;
	int err;

	err = pthread_create(&c.thread, NULL, churn_main, &c);
	if (err) {
		fail("pthread_create: %s", strerror(err));
		return;
	}
	while (!atomic_load(&c.tid) && now_ms() < until)
		sleep_ms(1);
	for (i = 0; i < n && !atomic_load(&failures); i++) {
		switch (rnd(&w->r, 3)) {
		case 0:
			t.what = "itself, churning";
			t.pid = (uint32_t)getpid();
			t.start = &self_start;
			break;
		case 1:
			t.what = "its thread, churning";
			t.pid = (uint32_t)gettid();
			t.start = &w->tid_start;
			break;
		default:
			t.what = "the churning thread";
			t.pid = (uint32_t)atomic_load(&c.tid);
			t.start = NULL;
			break;
		}
		one_inspect(w, &t, pct(&w->r, 80));
	}
	atomic_store(&c.stop, 1);
	pthread_join(c.thread, NULL);
	atomic_fetch_add(&insp.churn_self, n);
}

/*
 * An exited child, @killed or not: a zombie, then reaped. Either way ESRCH;
 * once reaped, without a start time, a PID taken again meanwhile is
 * another process.
 */
static void insp_gone(struct worker *w, pid_t pid, int killed,
		      atomic_ullong *start, const char *what)
{
	struct itarget t = { .pid = (uint32_t)pid, .start = start, .want = ESRCH };
	char zombie[64], reaped[64];
	siginfo_t si;
	int status;

	snprintf(zombie, sizeof(zombie), "%s, a zombie", what);
	snprintf(reaped, sizeof(reaped), "%s, reaped", what);
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT)) {
		fail("waitid of %d: %s", pid, strerror(errno));
		return;
	}
	t.what = zombie;
	one_inspect(w, &t, pct(&w->r, 50));
	/* Before: a process that takes the PID again starts after. */
	t.reaped = boottime_ns();
	if (waitpid(pid, &status, 0) != pid) {
		fail("waitpid of %d: %s", pid, strerror(errno));
		return;
	}
	if (killed ? !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL :
	    !WIFEXITED(status) || WEXITSTATUS(status))
		fail("crak: %s: status %#x", what, status);
	t.what = reaped;
	one_inspect(w, &t, pct(&w->r, 50));
	atomic_fetch_add(&insp.exited, 2);
}

/* The child quits or is killed, then is inspected (ESRCH); a new one later. */
static void insp_kid_death(struct worker *w)
{
	struct kid *k = w->kid;
	struct itarget t = { .what = "the child", .start = &k->start, .kid = k };
	struct kid_cmd cmd = { .op = 'q' };
	int killed = pct(&w->r, 50);
	atomic_ullong start;
	pid_t pid;

	if (kid_ready(w, 1))
		return;
	/* Its start time known first, to pass it once it is gone. */
	t.pid = (uint32_t)k->pid;
	if (!atomic_load(&k->start))
		one_inspect(w, &t, 1);
	pid = k->pid;
	atomic_init(&start, atomic_load(&k->start));
	if (killed)
		kill(pid, SIGKILL);
	else
		send(k->sock, &cmd, sizeof(cmd), MSG_NOSIGNAL);
	/* Reaped by insp_gone(). */
	kid_forget(w);
	insp_gone(w, pid, killed, &start,
		  killed ? "the child, killed" : "the child, quit");
}

/* A child that exits at once. */
static void insp_exited(struct worker *w)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	insp_gone(w, pid, 0, NULL, "a child that exited");
}

/* Drops @caps from this thread (capabilities are a thread's own). */
static int drop_caps(const int *caps, unsigned int n)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	unsigned int i;
	uint32_t bit;

	if (syscall(SYS_capget, &hdr, d))
		return -1;
	for (i = 0; i < n; i++) {
		bit = 1u << (caps[i] % 32);
		d[caps[i] / 32].effective &= ~bit;
		d[caps[i] / 32].permitted &= ~bit;
		d[caps[i] / 32].inheritable &= ~bit;
	}
	return syscall(SYS_capset, &hdr, d) ? -1 : 0;
}

/*
 * A thread without CAP_SYS_PTRACE: the child, whose permitted capabilities
 * it no longer has, is EPERM, nlfuzz itself is not; then without
 * CAP_CHECKPOINT_RESTORE and CAP_SYS_ADMIN: EPERM for anything. The worker
 * waits meanwhile: its records and random numbers are this thread's.
 */
static void *weak_main(void *arg)
{
	static const int no_ptrace[] = { CAP_SYS_PTRACE };
	static const int no_crak[] = { CAP_CHECKPOINT_RESTORE, CAP_SYS_ADMIN };
	struct worker *w = arg;
	struct itarget t = {
		.what = "the child, without CAP_SYS_PTRACE",
		.pid = (uint32_t)w->kid->pid,
		.start = &w->kid->start,
		.want = EPERM,
	};
	struct crak_inspect ci = { .pid = (uint32_t)getpid() };

	self = w;
	if (drop_caps(no_ptrace, ARRAY_SIZE(no_ptrace))) {
		fail("capset: %s", strerror(errno));
		return NULL;
	}
	one_inspect(w, &t, pct(&w->r, 50));
	t = (struct itarget){
		.what = "itself, without CAP_SYS_PTRACE",
		.pid = (uint32_t)getpid(),
		.start = &self_start,
	};
	one_inspect(w, &t, pct(&w->r, 50));
	if (drop_caps(no_crak, ARRAY_SIZE(no_crak))) {
		fail("capset: %s", strerror(errno));
		return NULL;
	}
	note(w, " itself, without CAP_CHECKPOINT_RESTORE and CAP_SYS_ADMIN");
	crak_expect(w, OP_CRAK_INSPECT,
		    ioctl(crak_fd, CRAK_IOC_INSPECT, &ci) ? errno : 0, EPERM);
	return NULL;
}

static void insp_weak(struct worker *w)
{
	pthread_t th;
	int err;

	/* Without all capabilities, it cannot tell what EPERM depends on. */
	if (may_eperm || kid_ready(w, 0))
		return;
	err = pthread_create(&th, NULL, weak_main, w);
	if (err) {
		fail("pthread_create: %s", strerror(err));
		return;
	}
	pthread_join(th, NULL);
}

/* Anyone else: nlfuzz, its threads, init, random and impossible PIDs. */
static void insp_other(struct worker *w)
{
	const uint32_t huge[] = {
		pid_max, pid_max + 1, PID_MAX_SMALL + 1, PID_MAX_64,
		PID_MAX_64 + 1, 0x80000000, UINT32_MAX,
	};
	struct itarget t = { .what = "" };
	struct worker *o;
	uint32_t v;

	switch (rnd(&w->r, 10)) {
	case 0:
		t.what = "pid 0";
		t.want = ESRCH;
		break;
	case 1:
		t.what = "init";
		t.pid = 1;
		t.foreign = 1;
		break;
	case 2:
	case 3:
		t.what = "itself";
		t.pid = (uint32_t)getpid();
		t.start = &self_start;
		break;
	case 4:
		t.what = "its thread";
		t.pid = (uint32_t)gettid();
		t.start = &w->tid_start;
		break;
	case 5:
		/* A thread that may have ended already. */
		o = &workers[rnd(&w->r, opt.threads)];
		t.what = "another thread";
		t.pid = (uint32_t)atomic_load(&o->tid);
		t.gone_ok = 1;
		if (!t.pid)
			t.pid = (uint32_t)getpid();
		break;
	case 6:
		o = &workers[rnd(&w->r, opt.threads)];
		t.what = "a thread's child";
		t.pid = (uint32_t)atomic_load(&o->kid_pid);
		t.gone_ok = 1;
		t.foreign = 1;
		if (!t.pid)
			t.pid = (uint32_t)getpid();
		break;
	case 7:
	case 8:
		t.what = "a random pid";
		t.pid = rnd_in(&w->r, 2, pid_max - 1);
		t.gone_ok = 1;
		t.foreign = 1;
		break;
	default:
		v = huge[rnd(&w->r, ARRAY_SIZE(huge))];
		if (v < pid_max)
			v = UINT32_MAX;
		if (pct(&w->r, 30))
			v = rnd_in(&w->r, v > PID_MAX_64 ? v : PID_MAX_64, UINT32_MAX);
		t.what = "a pid above pid_max";
		t.pid = v;
		t.want = ESRCH;
		break;
	}
	one_inspect(w, &t, 0);
}

/* The region the buffers are taken from, and the child's record. */
static int insp_setup(struct worker *w)
{
	size_t len = INSP_BYTES + 2 * (size_t)page_size;
	struct crak_inspect *preset;
	uint8_t *p;

	if (w->ibuf)
		return 0;
	w->kid = calloc(1, sizeof(*w->kid));
	if (!w->kid)
		abort();
	w->kid->sock = -1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fail("mmap of %zu bytes: %s", len, strerror(errno));
		return -1;
	}
	/* A valid request in the read-only page: nlfuzz, max 0. */
	preset = (struct crak_inspect *)(p + INSP_BYTES + page_size);
	preset->pid = (uint32_t)getpid();
	if (mprotect(p + INSP_BYTES, page_size, PROT_NONE) ||
	    mprotect(p + INSP_BYTES + page_size, page_size, PROT_READ)) {
		fail("mprotect: %s", strerror(errno));
		munmap(p, len);
		return -1;
	}
	w->ibuf = p;
	return 0;
}

static void op_crak_inspect(struct worker *w)
{
	unsigned int x = rnd(&w->r, 100);

	if (insp_setup(w))
		return;
	if (x < 40)
		insp_kid(w);
	else if (x < 46)
		insp_kid_churn(w);
	else if (x < 52)
		insp_self_churn(w);
	else if (x < 56)
		insp_kid_death(w);
	else if (x < 61)
		insp_exited(w);
	else if (x < 64)
		insp_weak(w);
	else
		insp_other(w);
}

static void crak_step(struct worker *w)
{
	unsigned int x = rnd(&w->r, 100);

	if (x < 4)
		op_crak_version(w);
	else if (x < 18)
		op_crak_valid(w);
	else if (x < 46)
		op_crak_mutated(w);
	else if (x < 57)
		op_crak_random(w);
	else if (x < 66)
		op_crak_badptr(w);
	else if (x < 70)
		op_crak_badioctl(w);
	else
		op_crak_inspect(w);
}

/* ---- the probe: a private pair, checked exactly ---- */

static int probe_get(struct worker *w, struct vinfo *vi)
{
	return must(w, vnif_get(w, HOME, OP_PROBE,
				(uint32_t)atomic_load(&PROBE_SLOT->outer), NULL, vi),
		    "probe: VNIF_CMD_GET");
}

/* Waits (20 s at most) for the gate to be back in PASS. */
static int probe_wait_pass(struct worker *w, struct vinfo *vi)
{
	uint64_t until = now_ms() + 20000;

	for (;;) {
		if (probe_get(w, vi))
			return -1;
		if (vi->state == VNIF_STATE_PASS)
			return 0;
		if (now_ms() > until) {
			fail("probe: the gate stays in state %u for 20 s", vi->state);
			return -1;
		}
		sleep_ms(5);
	}
}

static uint64_t stat_delta(const struct vinfo *a, const struct vinfo *b,
			   int dir, int t)
{
	return b->st[dir].v[t] - a->st[dir].v[t];
}

static int probe_load(struct worker *w, unsigned int n, int *dirs,
		      uint8_t **frames, size_t *lens, uint64_t *ts)
{
	uint32_t ifindex = (uint32_t)atomic_load(&PROBE_SLOT->outer);
	unsigned int i;
	size_t p;

	genl_start(w, genl_family, VNIF_CMD_QUEUE_LOAD, 0);
	attr_u32(&w->m, VNIF_A_IFINDEX, ifindex);
	note(w, " probe %u: %u frames", ifindex, n);
	for (i = 0; i < n; i++) {
		p = nest_start(&w->m, VNIF_A_PKT | NLA_F_NESTED);
		attr_u8(&w->m, VNIF_PKT_DIRECTION, (uint8_t)dirs[i]);
		if (ts)
			attr_u64(&w->m, VNIF_PKT_TSTAMP_NS, ts[i]);
		attr(&w->m, VNIF_PKT_DATA, frames[i], lens[i]);
		nest_end(&w->m, p);
		if (i < 16)
			note(w, " %s%zu", dirs[i] ? "e" : "i", lens[i]);
	}
	return req(w, &w->ge[HOME], OP_PROBE, NULL);
}

struct probe_q {
	unsigned int n;
	uint8_t *f[PROBE_MAX];
	size_t len[PROBE_MAX];
	uint64_t ts[PROBE_MAX];	/* 0: not known */
};

static void probe_q_add(struct probe_q *q, const uint8_t *f, size_t len,
			uint64_t ts)
{
	q->f[q->n] = malloc(len);
	if (!q->f[q->n])
		abort();
	memcpy(q->f[q->n], f, len);
	q->len[q->n] = len;
	q->ts[q->n] = ts;
	q->n++;
}

static void probe_q_free(struct probe_q *q)
{
	unsigned int i;

	for (i = 0; i < q->n; i++)
		free(q->f[i]);
	q->n = 0;
}

/* After a failure: what the pair holds, and what the probe expected. */
static void probe_show(struct worker *w, struct probe_q *q)
{
	uint32_t ifindex = (uint32_t)atomic_load(&PROBE_SLOT->outer);
	struct qlist *ql = calloc(1, sizeof(*ql));
	unsigned int i, dir;

	if (!ql)
		abort();
	ql->keep = 1;
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++)
		for (i = 0; i < q[dir].n; i++)
			printf("#   expected: direction %u, %zu bytes, %02x%02x..%02x%02x\n",
			       dir, q[dir].len[i], q[dir].f[i][0], q[dir].f[i][1],
			       q[dir].f[i][12], q[dir].f[i][13]);
	if (queue_dump(w, HOME, OP_PROBE, ifindex, ql) == 0)
		for (i = 0; i < ql->n && i < PROBE_MAX; i++)
			printf("#   held: direction %u, %u bytes, %02x%02x..%02x%02x, tstamp %llu\n",
			       ql->f[i].dir, ql->f[i].len, ql->f[i].data[0],
			       ql->f[i].data[1], ql->f[i].data[12], ql->f[i].data[13],
			       (unsigned long long)ql->f[i].tstamp);
	qlist_free(ql);
	free(ql);
}

/* The queue dump must be exactly @q: ingress first, in order, byte for byte. */
static int probe_check_dump(struct worker *w, struct probe_q *q)
{
	uint32_t ifindex = (uint32_t)atomic_load(&PROBE_SLOT->outer);
	struct qlist *ql = calloc(1, sizeof(*ql));
	unsigned int i, k = 0, dir;
	int ret = -1;

	if (!ql)
		abort();
	ql->keep = 1;
	if (must(w, queue_dump(w, HOME, OP_PROBE, ifindex, ql),
		 "probe: VNIF_CMD_QUEUE_GET"))
		goto out;
	if (ql->n != q[0].n + q[1].n) {
		fail("probe: the queue dump has %u frames, %u held [%s]", ql->n,
		     q[0].n + q[1].n, w->last);
		goto out;
	}
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++) {
		for (i = 0; i < q[dir].n; i++, k++) {
			struct qframe *f = &ql->f[k];

			if (f->dir != dir || f->len != q[dir].len[i] ||
			    memcmp(f->data, q[dir].f[i], f->len) ||
			    (q[dir].ts[i] && f->tstamp != q[dir].ts[i])) {
				fail("probe: frame %u of the dump (direction %u, %u bytes) is not frame %u of direction %u (%zu bytes) [%s]",
				     k, f->dir, f->len, i, dir, q[dir].len[i], w->last);
				goto out;
			}
		}
	}
	ret = 0;
out:
	qlist_free(ql);
	free(ql);
	return ret;
}

static void probe_deadline(struct worker *w)
{
	uint32_t ifindex = (uint32_t)atomic_load(&PROBE_SLOT->outer);
	int policy = (int)rnd(&w->r, 2), dirs[4], gone;
	unsigned int i, n = rnd_in(&w->r, 1, 4), ms = rnd_in(&w->r, 1, 30);
	struct vinfo a, b;
	uint8_t *frames[4];
	size_t lens[4];
	uint64_t held;
	int err;

	if (probe_get(w, &a) ||
	    must(w, vnif_freeze(w, OP_PROBE, ifindex, -1, -1, ms, policy, -1),
		 "probe: freezing with a deadline"))
		return;
	for (i = 0; i < n; i++) {
		dirs[i] = (int)rnd(&w->r, 2);
		lens[i] = rnd_in(&w->r, 60, 300);
		frames[i] = malloc(lens[i]);
		if (!frames[i])
			abort();
		make_frame(&w->r, frames[i], lens[i], 1);
	}
	/* The deadline may be gone already: then nothing is loaded. */
	err = probe_load(w, n, dirs, frames, lens, NULL);
	for (i = 0; i < n; i++)
		free(frames[i]);
	if (err && err != EINVAL) {
		must(w, err, "probe: loading frames before the deadline");
		return;
	}
	held = err ? 0 : n;
	if (probe_wait_pass(w, &b))
		return;
	gone = policy ? VNIF_STATS_DROP_DEADLINE : VNIF_STATS_RELEASED;
	if (stat_delta(&a, &b, 0, VNIF_STATS_DEADLINES) != 1 ||
	    stat_delta(&a, &b, 1, VNIF_STATS_DEADLINES) != 1 ||
	    stat_delta(&a, &b, 0, VNIF_STATS_LOADED) +
	    stat_delta(&a, &b, 1, VNIF_STATS_LOADED) != held ||
	    stat_delta(&a, &b, 0, gone) + stat_delta(&a, &b, 1, gone) != held ||
	    b.st[0].v[VNIF_STATS_HELD] || b.st[1].v[VNIF_STATS_HELD])
		fail("probe: after a deadline of %u ms (policy %d) with %llu frames loaded, the counters are off: deadlines +%llu/+%llu loaded +%llu released +%llu dropped +%llu",
		     ms, policy, (unsigned long long)held,
		     (unsigned long long)stat_delta(&a, &b, 0, VNIF_STATS_DEADLINES),
		     (unsigned long long)stat_delta(&a, &b, 1, VNIF_STATS_DEADLINES),
		     (unsigned long long)(stat_delta(&a, &b, 0, VNIF_STATS_LOADED) +
					  stat_delta(&a, &b, 1, VNIF_STATS_LOADED)),
		     (unsigned long long)(stat_delta(&a, &b, 0, VNIF_STATS_RELEASED) +
					  stat_delta(&a, &b, 1, VNIF_STATS_RELEASED)),
		     (unsigned long long)(stat_delta(&a, &b, 0, VNIF_STATS_DROP_DEADLINE) +
					  stat_delta(&a, &b, 1, VNIF_STATS_DROP_DEADLINE)));
}

/*
 * Freeze, load, send, check the counters and the dump exactly, then thaw
 * with both ends up (all released) or the inner end down (ingress dropped).
 */
static void probe_hold(struct worker *w)
{
	uint32_t ifindex = (uint32_t)atomic_load(&PROBE_SLOT->outer);
	int inner = atomic_load(&PROBE_SLOT->inner), down = pct(&w->r, 35);
	unsigned int i, k, m, P = rnd_in(&w->r, 4, 31), held, dropped = 0, extra;
	int dirs[PROBE_MAX];
	struct probe_q *q = calloc(2, sizeof(*q));
	uint8_t *frames[PROBE_MAX];
	uint64_t ts[PROBE_MAX];
	size_t lens[PROBE_MAX];
	struct vinfo a, b;
	int err;

	if (!q)
		abort();
	if (probe_get(w, &a) ||
	    must(w, vnif_freeze(w, OP_PROBE, ifindex, P, VNIF_LIMIT_BYTES_DEFAULT,
				0, -1, VNIF_FREEZE_F_REQUIRE_UP),
		 "probe: freezing"))
		goto out;
	/* Loaded first, all of them fit. */
	k = rnd_in(&w->r, 1, P / 2);
	for (i = 0; i < k; i++) {
		dirs[i] = (int)rnd(&w->r, 2);
		/* One big one at most, that also fits a request's nest. */
		lens[i] = !i && pct(&w->r, 10) ?
			  rnd_in(&w->r, 65400, VNIF_PKT_MAX < 65504 ? VNIF_PKT_MAX : 65504) :
			  rnd_in(&w->r, 60, 1514);
		if (opt.max_frame && lens[i] > opt.max_frame)
			lens[i] = opt.max_frame;
		ts[i] = rnd64(&w->r) | 1;
		frames[i] = malloc(lens[i]);
		if (!frames[i])
			abort();
		make_frame(&w->r, frames[i], lens[i], 1);
	}
	err = probe_load(w, k, dirs, frames, lens, ts);
	for (i = 0; i < k; i++) {
		if (!err)
			probe_q_add(&q[dirs[i]], frames[i], lens[i], ts[i]);
		free(frames[i]);
	}
	if (must(w, err, "probe: loading frames that fit"))
		goto out;
	/*
	 * Then sent, through either end: drop-tail over P. Both ends have an
	 * MTU of 65535: a frame up to VNIF_PKT_MAX is held, a longer one
	 * dropped over the limit, one longer than MTU + ETH_HLEN not sent.
	 */
	m = rnd(&w->r, 12);
	for (i = 0; i < m; i++) {
		int dir = (int)rnd(&w->r, 2);
		size_t len = pct(&w->r, 15) ? big_lens[rnd(&w->r, ARRAY_SIZE(big_lens))] :
			     rnd_in(&w->r, 60, 1514);

		if (opt.max_frame && len > opt.max_frame)
			len = opt.max_frame;
		make_frame(&w->r, w->frame, len, 1);
		err = send_frame(w, dir ? inner : (int)ifindex, w->frame, len);
		record(w, OP_PROBE, err);
		if (len > 65535 + ETH_HLEN) {
			if (err == EMSGSIZE)
				continue;
			fail("probe: sending %zu bytes over an MTU of 65535: %d, expected EMSGSIZE",
			     len, err);
			goto out;
		}
		if (must(w, err, "probe: sending a frame into the frozen pair"))
			goto out;
		if (len <= VNIF_PKT_MAX && q[0].n + q[1].n < P)
			probe_q_add(&q[dir], w->frame, len, 0);
		else
			dropped++;
	}
	held = q[0].n + q[1].n;
	/* More than fits: refused as a whole. */
	extra = P - held + 1;
	for (i = 0; i < extra; i++) {
		dirs[i] = (int)rnd(&w->r, 2);
		lens[i] = rnd_in(&w->r, 60, 200);
		frames[i] = malloc(lens[i]);
		if (!frames[i])
			abort();
		make_frame(&w->r, frames[i], lens[i], 1);
	}
	err = probe_load(w, extra, dirs, frames, lens, NULL);
	for (i = 0; i < extra; i++)
		free(frames[i]);
	if (err != ENOBUFS) {
		fail("probe: loading %u frames over a limit of %u with %u held: %d, expected ENOBUFS [%s]",
		     extra, P, held, err, w->last);
		goto out;
	}
	if (probe_get(w, &b))
		goto out;
	for (i = 0; i < __VNIF_DIR_MAX; i++) {
		if (b.st[i].v[VNIF_STATS_HELD] != q[i].n) {
			fail("probe: direction %u holds %llu frames, expected %u [%s]",
			     i, (unsigned long long)b.st[i].v[VNIF_STATS_HELD],
			     q[i].n, w->last);
			probe_show(w, q);
			goto out;
		}
	}
	if (b.state != VNIF_STATE_HOLD || b.limit_packets != P || b.left_ms ||
	    stat_delta(&a, &b, 0, VNIF_STATS_LOADED) +
	    stat_delta(&a, &b, 1, VNIF_STATS_LOADED) != k ||
	    stat_delta(&a, &b, 0, VNIF_STATS_HELD_TOTAL) +
	    stat_delta(&a, &b, 1, VNIF_STATS_HELD_TOTAL) != held ||
	    stat_delta(&a, &b, 0, VNIF_STATS_DROP_LIMIT) +
	    stat_delta(&a, &b, 1, VNIF_STATS_DROP_LIMIT) != dropped) {
		fail("probe: state %u limit %u, loaded +%llu (of %u), held +%llu (of %u), dropped over the limit +%llu (of %u) [%s]",
		     b.state, b.limit_packets,
		     (unsigned long long)(stat_delta(&a, &b, 0, VNIF_STATS_LOADED) +
					  stat_delta(&a, &b, 1, VNIF_STATS_LOADED)), k,
		     (unsigned long long)(stat_delta(&a, &b, 0, VNIF_STATS_HELD_TOTAL) +
					  stat_delta(&a, &b, 1, VNIF_STATS_HELD_TOTAL)),
		     held,
		     (unsigned long long)(stat_delta(&a, &b, 0, VNIF_STATS_DROP_LIMIT) +
					  stat_delta(&a, &b, 1, VNIF_STATS_DROP_LIMIT)),
		     dropped, w->last);
		goto out;
	}
	if (probe_check_dump(w, q))
		goto out;
	if (down && must(w, setlink_flags(w, HOME, OP_PROBE, inner, 0, IFF_UP),
			 "probe: setting the inner end down"))
		goto out;
	if (must(w, vnif_thaw(w, HOME, OP_PROBE, ifindex), "probe: thawing"))
		goto out;
	a = b;
	if (probe_wait_pass(w, &b))
		goto out;
	if (stat_delta(&a, &b, 1, VNIF_STATS_RELEASED) != q[1].n ||
	    stat_delta(&a, &b, 0, down ? VNIF_STATS_DROP_DOWN : VNIF_STATS_RELEASED) !=
	    q[0].n ||
	    stat_delta(&a, &b, 0, down ? VNIF_STATS_RELEASED : VNIF_STATS_DROP_DOWN) ||
	    stat_delta(&a, &b, 1, VNIF_STATS_DROP_DOWN))
		fail("probe: thawed with %u ingress and %u egress frames, inner end %s: released +%llu/+%llu, dropped as down +%llu/+%llu",
		     q[0].n, q[1].n, down ? "down" : "up",
		     (unsigned long long)stat_delta(&a, &b, 0, VNIF_STATS_RELEASED),
		     (unsigned long long)stat_delta(&a, &b, 1, VNIF_STATS_RELEASED),
		     (unsigned long long)stat_delta(&a, &b, 0, VNIF_STATS_DROP_DOWN),
		     (unsigned long long)stat_delta(&a, &b, 1, VNIF_STATS_DROP_DOWN));
	if (down)
		must(w, setlink_flags(w, HOME, OP_PROBE, inner, IFF_UP, IFF_UP),
		     "probe: setting the inner end up again");
out:
	probe_q_free(&q[0]);
	probe_q_free(&q[1]);
	free(q);
}

/*
 * Are the frames of direction @dir at *@k on in the dump @d all of @q, then
 * a prefix of @more? *@k moves past them.
 */
static int dump_matches(struct qlist *d, unsigned int *k, int dir,
			struct probe_q *q, struct probe_q *more)
{
	unsigned int n = 0;

	for (; *k < d->n && d->f[*k].dir == dir; (*k)++, n++) {
		struct qframe *f = &d->f[*k];
		struct probe_q *src = n < q->n ? q : more;
		unsigned int j = n < q->n ? n : n - q->n;

		if (j >= src->n || f->len != src->len[j] ||
		    memcmp(f->data, src->f[j], f->len) || f->tstamp != src->ts[j])
			return -1;
	}
	return n >= q->n ? 0 : -1;
}

static int probe_load_q(struct worker *w, unsigned int n, size_t min, size_t max,
			struct probe_q *q)
{
	uint8_t *frames[PROBE_MAX];
	uint64_t ts[PROBE_MAX];
	size_t lens[PROBE_MAX];
	int dirs[PROBE_MAX], err;
	unsigned int i;

	for (i = 0; i < n; i++) {
		dirs[i] = (int)rnd(&w->r, 2);
		lens[i] = rnd_in(&w->r, (uint32_t)min, (uint32_t)max);
		ts[i] = rnd64(&w->r) | 1;
		frames[i] = malloc(lens[i]);
		if (!frames[i])
			abort();
		make_frame(&w->r, frames[i], lens[i], 1);
	}
	err = probe_load(w, n, dirs, frames, lens, ts);
	for (i = 0; i < n; i++) {
		if (!err)
			probe_q_add(&q[dirs[i]], frames[i], lens[i], ts[i]);
		free(frames[i]);
	}
	return err;
}

/*
 * A queue dump in parts, the queue changing between them: frames that
 * leave (released) end it with EAGAIN; frames that join the tails may or
 * may not be in it, and all the rest is exact, in order.
 */
static void probe_dump_parts(struct worker *w)
{
	uint32_t ifindex = (uint32_t)atomic_load(&PROBE_SLOT->outer);
	struct probe_q *q = calloc(4, sizeof(*q)), *more = q + 2;
	struct qlist *ql = calloc(1, sizeof(*ql));
	struct reply r = { .cb = cb_qframe, .arg = ql };
	unsigned int k = 0, parts = 1, n = rnd_in(&w->r, 100, 120);
	int leave = pct(&w->r, 50), ret, err;
	struct vinfo vi;
	struct nl d;

	if (!q || !ql || nl_open(&d, NETLINK_GENERIC, "genl@dump", 0))
		abort();
	ql->keep = 1;
	/* About 47 frames of 1.4 kB per part: three parts at least. */
	if (must(w, vnif_freeze(w, OP_PROBE, ifindex, 1000, VNIF_LIMIT_BYTES_DEFAULT,
				0, -1, -1), "probe: freezing") ||
	    must(w, probe_load_q(w, n, 1300, 1400, q), "probe: loading frames"))
		goto out;
	genl_start(w, genl_family, VNIF_CMD_QUEUE_GET, NLM_F_DUMP);
	attr_u32(&w->m, VNIF_A_IFINDEX, ifindex);
	note(w, " probe %u, %u frames, in parts, then %s", ifindex, n,
	     leave ? "released" : "more loaded");
	snprintf(w->now, sizeof(w->now), "%s:%s", op_names[OP_PROBE], w->desc);
	err = nl_send(w, &d, &r);
	if (must(w, err, "probe: starting a queue dump"))
		goto out;
	ret = nl_recv_one(w, &d, &r);
	if (ret) {
		if (ret > 0)
			fail("probe: a dump of %u frames of 1.3 kB in one message [%s]",
			     n, w->now);
		goto out;
	}
	/* Part 2 is made by that recv(); the change shows from part 3 on. */
	if (leave) {
		if (must(w, vnif_thaw(w, HOME, OP_PROBE, ifindex), "probe: thawing") ||
		    probe_wait_pass(w, &vi))
			goto out;
	} else if (must(w, probe_load_q(w, rnd_in(&w->r, 1, 8), 60, 1400, more),
			"probe: loading more frames during a dump")) {
		goto out;
	}
	do {
		ret = nl_recv_one(w, &d, &r);
		parts++;
	} while (!ret);
	if (ret < 0 || r.bad)
		goto out;
	record(w, OP_PROBE, r.err);
	if (leave && (r.err != EAGAIN || parts < 3)) {
		fail("probe: a dump in %u parts during which the queue was released ended with %d, expected EAGAIN (%s) [%s]",
		     parts, r.err, w->emsg, w->now);
		goto out;
	}
	if (leave) {
		/* What came before the release: the head of the queue, exact. */
		for (k = 0; k < ql->n; k++) {
			struct qframe *f = &ql->f[k];
			unsigned int i = k < q[0].n ? k : k - q[0].n;
			struct probe_q *src = &q[k < q[0].n ? 0 : 1];

			if (k >= PROBE_MAX || i >= src->n || f->len != src->len[i] ||
			    memcmp(f->data, src->f[i], f->len)) {
				fail("probe: frame %u of an interrupted dump is wrong [%s]",
				     k, w->now);
				goto out;
			}
		}
		goto out;
	}
	if (r.err || ql->n > PROBE_MAX ||
	    dump_matches(ql, &k, 0, &q[0], &more[0]) ||
	    dump_matches(ql, &k, 1, &q[1], &more[1]) || k != ql->n)
		fail("probe: a dump in %u parts while frames joined the tails: %d, %u frames for %u + %u, not the queues in order [%s]",
		     parts, r.err, ql->n, n, more[0].n + more[1].n, w->now);
out:
	close(d.fd);
	free(d.rbuf);
	if (!atomic_load(&stop) && !probe_get(w, &vi) && vi.state == VNIF_STATE_HOLD)
		must(w, vnif_thaw(w, HOME, OP_PROBE, ifindex), "probe: thawing");
	qlist_free(ql);
	free(ql);
	for (k = 0; q && k < 4; k++)
		probe_q_free(&q[k]);
	free(q);
}

static void probe(struct worker *w)
{
	struct vinfo vi;
	unsigned int x;

	/* Left frozen by a failure? Start from PASS. */
	if (probe_get(w, &vi))
		return;
	if (vi.state == VNIF_STATE_HOLD &&
	    must(w, vnif_thaw(w, HOME, OP_PROBE, vi.ifindex), "probe: thawing"))
		return;
	if (probe_wait_pass(w, &vi))
		return;
	x = rnd(&w->r, 100);
	if (x < 25)
		probe_deadline(w);
	else if (x < 40)
		probe_dump_parts(w);
	else
		probe_hold(w);
}

/* ---- the threads ---- */

static void link_step(struct worker *w)
{
	struct slot *sl = &slots[rnd(&w->r, NSLOTS)];
	unsigned int x = rnd(&w->r, 100);

	if (x < 12) {
		op_create_fuzz(w);
		return;
	}
	if (x < 15) {
		op_delete_fuzz(w);
		return;
	}
	if (x < 18) {
		op_linkdump(w);
		return;
	}
	if (x < 26) {
		crak_step(w);
		return;
	}
	if (x < 28) {
		op_netns_gone(w);
		return;
	}
	pthread_mutex_lock(&sl->lock);
	if (!atomic_load(&sl->outer))
		op_create(w, sl);
	else if (x < 42)
		op_delete(w, sl);
	else if (x < 58)
		op_change(w, sl);
	else if (x < 72)
		op_setlink(w, sl);
	else if (x < 84)
		op_move(w, sl);
	else
		op_getlink(w, sl);
	pthread_mutex_unlock(&sl->lock);
}

static void gate_step(struct worker *w)
{
	unsigned int x = rnd(&w->r, 100);

	if (w->id == 0 && w->iter % 40 == 39) {
		probe(w);
		return;
	}
	if (x < 18)
		op_freeze(w);
	else if (x < 30)
		op_thaw(w);
	else if (x < 42)
		op_send(w);
	else if (x < 52)
		op_qload(w);
	else if (x < 61)
		op_qget(w);
	else if (x < 63)
		op_qget_abandon(w);
	else if (x < 69)
		op_get(w);
	else if (x < 72)
		op_getdump(w);
	else if (x < 85)
		op_genl_fuzz(w);
	else if (x < 86)
		op_policy(w);
	else
		crak_step(w);
}

static int time_is_up(void)
{
	return opt.seconds && now_ms() - t_start >= (uint64_t)opt.seconds * 1000;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	self = w;
	atomic_store(&w->tid, (int)gettid());
	while (!atomic_load(&stop) && !time_is_up()) {
		if (atomic_fetch_add(&iterations, 1) >= opt.iterations)
			break;
		atomic_store(&w->since_ms, (long long)now_ms());
		/* Each iteration's choices follow from the seed alone. */
		rng_seed(&w->r, opt.seed, ((uint64_t)w->id + 1) << 40 | w->iter);
		if (w->role == ROLE_GATE ||
		    (w->role == ROLE_ALL && pct(&w->r, 50)))
			gate_step(w);
		else
			link_step(w);
		atomic_store(&w->since_ms, 0);
		w->iter++;
	}
	kid_end(w);
	atomic_store(&w->tid, 0);
	return NULL;
}

/* ---- setup and teardown ---- */

/* IPv6 off in the current namespace: no autoconfiguration traffic. */
static void no_ipv6(const char *dev)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", dev);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		fprintf(stderr, "nlfuzz: %s: %s\n", path, strerror(errno));
	close(fd);
}

static int worker_init(struct worker *w, int id)
{
	static const char * const names[2][2] = {
		{ "rtnl@home", "rtnl@away" }, { "genl@home", "genl@away" },
	};
	int ns;

	w->id = id;
	rng_seed(&w->r, opt.seed, (uint64_t)id + 1);
	w->m.buf = malloc(MSG_CAP);
	w->frame = malloc(FRAME_MAX);
	if (!w->m.buf || !w->frame)
		return -1;
	/* Sockets belong to the namespace they are made in. */
	for (ns = AWAY; ns >= HOME; ns--) {
		if (setns(ns_fd[ns], CLONE_NEWNET))
			return -1;
		if (nl_open(&w->rt[ns], NETLINK_ROUTE, names[0][ns], ns == AWAY) ||
		    nl_open(&w->ge[ns], NETLINK_GENERIC, names[1][ns], 0))
			return -1;
	}
	w->pkt = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (w->pkt < 0)
		return -1;
	/*
	 * A frame held by a frozen pair stays charged to the socket that sent
	 * it (Documentation/vnif.md): room for all the frames a run may leave
	 * held in its pairs, so that a send never finds the buffer full.
	 */
	if (setsockopt(w->pkt, SOL_SOCKET, SO_SNDBUFFORCE, &pkt_sndbuf,
		       sizeof(pkt_sndbuf)))
		return -1;
	return 0;
}

struct family {
	uint16_t id;
	uint32_t version;
	uint32_t maxattr;
	int found;
};

static int cb_family(struct worker *w, const struct nlmsghdr *nh, void *arg)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family *f = arg;

	if (cb_ctrl(w, nh, NULL))
		return -1;
	if (attrs_parse((const uint8_t *)gh + GENL_HDRLEN,
			nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb,
			CTRL_ATTR_MAX, NULL, NULL) ||
	    get_u16(tb[CTRL_ATTR_FAMILY_ID], &f->id) ||
	    get_u32(tb[CTRL_ATTR_VERSION], &f->version) ||
	    get_u32(tb[CTRL_ATTR_MAXATTR], &f->maxattr)) {
		fail("CTRL_CMD_GETFAMILY: a malformed reply");
		return -1;
	}
	f->found = 1;
	return 0;
}

/* The id of the family "vnif", or ENOENT without the module. */
static int resolve_family(struct worker *w)
{
	struct family f = { 0 };
	struct reply r = { .cb = cb_family, .arg = &f };
	struct genlmsghdr *gh;
	int err;

	msg_start(&w->m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK);
	gh = msg_grow(&w->m, GENL_HDRLEN);
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 2;
	attr_str(&w->m, CTRL_ATTR_FAMILY_NAME, VNIF_GENL_NAME);
	snprintf(w->now, sizeof(w->now), "CTRL_CMD_GETFAMILY %s", VNIF_GENL_NAME);
	err = nl_talk(w, &w->ge[HOME], &r);
	if (err)
		return err;
	if (!f.found) {
		fail("CTRL_CMD_GETFAMILY: no reply");
		return -1;
	}
	if (f.version != VNIF_GENL_VERSION || f.maxattr != VNIF_A_MAX) {
		fail("family vnif: version %u, maxattr %u; this program knows %u, %u",
		     f.version, f.maxattr, VNIF_GENL_VERSION, VNIF_A_MAX);
		return -1;
	}
	genl_family = f.id;
	return 0;
}

static void finish(int code, const char *why) __attribute__((noreturn));

static void print_summary(double secs)
{
	unsigned long total = 0, all_ok = 0;
	unsigned int op, e;
	char line[2048], eb[16];
	size_t n;

	for (op = 0; op < __OP_MAX; op++) {
		struct op_stat *s = &stats[op];
		int first = 1;

		total += s->sent;
		all_ok += s->ok;
		if (!s->sent)
			continue;
		n = (size_t)snprintf(line, sizeof(line), "# %s: sent %lu, ok %lu",
				     op_names[op], s->sent, s->ok);
		for (e = 1; e < MAX_ERRNO && n < sizeof(line) - 64; e++) {
			if (!s->err[e])
				continue;
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s: %lu",
					      first ? ", errors {" : ", ",
					      errname((int)e, eb, sizeof(eb)), s->err[e]);
			first = 0;
		}
		if (!first)
			snprintf(line + n, sizeof(line) - n, "}");
		printf("%s\n", line);
	}
	if (stats[OP_CRAK_INSPECT].sent)
		printf("# crak.inspect: %lu compared field by field with a child's sockets (%lu children, %lu sets of sockets), %lu of exited children, %lu while a child churned, %lu while nlfuzz churned, %lu PIDs taken again\n",
		       atomic_load(&insp.exact), atomic_load(&insp.kids),
		       atomic_load(&insp.builds), atomic_load(&insp.exited),
		       atomic_load(&insp.churn_kid), atomic_load(&insp.churn_self),
		       atomic_load(&insp.reused));
	printf("# nlfuzz: seed %llu, %u thread(s), %lu iterations, %.1f s, %lu requests, %lu ok, %lu held frames dumped\n",
	       (unsigned long long)opt.seed, opt.threads,
	       atomic_load(&iterations) < opt.iterations ?
	       atomic_load(&iterations) : opt.iterations, secs, total, all_ok,
	       atomic_load(&frames_dumped));
}

static unsigned long total_requests(void)
{
	unsigned long total = 0;
	unsigned int op;

	for (op = 0; op < __OP_MAX; op++)
		total += stats[op].sent;
	return total;
}

static void finish(int code, const char *why)
{
	double secs = elapsed_s();

	if (code == 0)
		printf("ok - nlfuzz: %lu requests in %.0f s, seed %llu\n",
		       total_requests(), secs, (unsigned long long)opt.seed);
	else
		printf("not ok - nlfuzz: %s (%lu requests in %.0f s, seed %llu)\n",
		       why, total_requests(), secs, (unsigned long long)opt.seed);
	fflush(stdout);
	_exit(code);
}

/* Deletes every pair, then checks that no vnif device is left anywhere. */
static void teardown(struct worker *w)
{
	struct dumpcount dc;
	struct reply r = { .cb = cb_vinfo };
	unsigned int i;
	int ns;

	self = w;
	for (i = 0; i <= NSLOTS; i++) {
		int outer = atomic_load(&slots[i].outer);

		if (!outer)
			continue;
		must(w, dellink(w, HOME, OP_CHECK, outer, NULL),
		     "deleting a pair at the end");
		atomic_store(&slots[i].outer, 0);
	}
	for (ns = HOME; ns <= AWAY; ns++) {
		if (must(w, link_dump(w, ns, OP_CHECK, &dc), "dumping the links at the end"))
			continue;
		if (dc.vnif || dc.nf)
			fail("%u vnif device(s) and %u named nf* left in the %s namespace, e.g. %s",
			     dc.vnif, dc.nf, ns == HOME ? "home" : "away", dc.example);
		genl_start(w, genl_family, VNIF_CMD_GET, NLM_F_DUMP);
		note(w, " %s", w->ge[ns].name);
		if (!must(w, req(w, &w->ge[ns], OP_CHECK, &r),
			  "VNIF_CMD_GET dump at the end") && r.msgs)
			fail("VNIF_CMD_GET dump: %u pair end(s) left in the %s namespace",
			     r.msgs, ns == HOME ? "home" : "away");
	}
}

/*
 * What CRAK_IOC_INSPECT's checks depend on: pid_max, RLIMIT_NOFILE, and
 * whether EPERM can be (not with CAP_SYS_PTRACE in the initial user
 * namespace).
 */
static void insp_limits(void)
{
	unsigned long long eff = 0;
	unsigned int a, b, c;
	struct rlimit rl;
	char buf[256];
	FILE *f;

	f = fopen("/proc/sys/kernel/pid_max", "r");
	if (f) {
		if (fscanf(f, "%u", &pid_max) != 1 || pid_max < 1024)
			pid_max = 32768;
		fclose(f);
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl))
		nofile = rl.rlim_cur;
	f = fopen("/proc/self/status", "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	may_eperm = 1;
	f = fopen("/proc/self/uid_map", "r");
	if (f && fscanf(f, "%u %u %u", &a, &b, &c) == 3 && !a && !b &&
	    c == UINT32_MAX && (eff >> 19 & 1))	/* CAP_SYS_PTRACE */
		may_eperm = 0;
	if (f)
		fclose(f);
}

/* Nothing it forked is left: no child running, none to reap. */
static void check_children(void)
{
	char path[64], buf[512], *p, *end;
	int status, fd;
	ssize_t n;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		fail("child %d left behind, to reap (status %#x)", pid, status);
	if (pid)
		return;
	/* Running: children of the one thread left, as the workers ended. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)gettid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	fail("children left behind, running: %s", buf[0] ? buf : "(unknown)");
	for (p = buf; (pid = (pid_t)strtol(p, &end, 10)) > 0; p = end) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz [--seed N] [--iterations N] [--seconds S] [--threads T] [--max-frame BYTES] [--verbose]\n");
	exit(2);
}

static int setup_probe(struct worker *w)
{
	struct slot *sl = PROBE_SLOT;
	struct pairspec ps = {
		.oname = sl->oname,
		.iname = sl->iname,
		.deadline = 0,
		.policy = -1,
		.omtu = 65535,
		.imtu = 65535,
	};

	if (must(w, newpair(w, OP_CHECK, &ps), "creating the probe's pair"))
		return -1;
	no_ipv6(sl->oname);
	no_ipv6(sl->iname);
	return pair_lookup(w, sl, &ps);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'j' },
		{ "max-frame", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t last_progress;
	unsigned int i;
	int c, seeded = 0;
	char *joined;
	char *end;

	while ((c = getopt_long(argc, argv, "s:i:t:j:m:vh", lopts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, &end, 0);
			seeded = 1;
			break;
		case 'i':
			opt.iterations = strtoul(optarg, &end, 0);
			break;
		case 't':
			opt.seconds = (unsigned int)strtoul(optarg, &end, 0);
			break;
		case 'j':
			opt.threads = (unsigned int)strtoul(optarg, &end, 0);
			if (opt.threads < 1 || opt.threads > 16)
				usage();
			break;
		case 'm':
			opt.max_frame = strtoul(optarg, &end, 0);
			break;
		case 'v':
			opt.verbose = 1;
			continue;
		default:
			usage();
		}
		if (errno || *end)
			usage();
	}
	if (optind != argc)
		usage();
	if (!seeded)
		opt.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_start = now_ms();
	page_size = sysconf(_SC_PAGESIZE);
	/* Children are reaped here, whatever the caller ignored. */
	signal(SIGCHLD, SIG_DFL);
	insp_limits();
	printf("# nlfuzz: seed %llu, %u thread(s), at most %u s and %lu iterations\n",
	       (unsigned long long)opt.seed, opt.threads, opt.seconds, opt.iterations);

	self = &main_w;
	main_w.id = -1;
	rng_seed(&main_w.r, opt.seed, 0);
	main_w.m.buf = malloc(MSG_CAP);
	main_w.frame = malloc(FRAME_MAX);
	if (!main_w.m.buf || !main_w.frame ||
	    nl_open(&main_w.ge[HOME], NETLINK_GENERIC, "genl", 0))
		finish(1, "cannot open a generic netlink socket");
	c = resolve_family(&main_w);
	if (c == ENOENT)
		finish(1, "vnif module not loaded (no generic netlink family \"vnif\")");
	if (c)
		finish(1, c > 0 ? strerror(c) : first_failure);
	close(main_w.ge[HOME].fd);
	free(main_w.ge[HOME].rbuf);
	crak_fd = open("/dev/crak", O_RDWR | O_CLOEXEC);
	if (crak_fd < 0)
		finish(1, errno == ENOENT ? "crak module not loaded (no /dev/crak)" :
		       "cannot open /dev/crak (root only)");
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	uts_fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);

	/* Two namespaces of our own; everything happens in them. */
	if (unshare(CLONE_NEWNET))
		finish(1, "unshare(CLONE_NEWNET) failed: run as root");
	ns_fd[HOME] = open_ns();
	no_ipv6("all");
	no_ipv6("default");
	if (unshare(CLONE_NEWNET))
		finish(1, "unshare(CLONE_NEWNET) failed");
	ns_fd[AWAY] = open_ns();
	no_ipv6("all");
	no_ipv6("default");
	if (ns_fd[HOME] < 0 || ns_fd[AWAY] < 0)
		finish(1, "cannot open /proc/thread-self/ns/net");

	workers = calloc(opt.threads, sizeof(*workers));
	if (!workers)
		finish(1, "out of memory");
	if (worker_init(&main_w, -1))
		finish(1, "cannot open the sockets");
	for (i = 0; i < opt.threads; i++) {
		if (worker_init(&workers[i], (int)i))
			finish(1, "cannot open the sockets");
		workers[i].role = opt.threads == 1 ? ROLE_ALL :
				  (i % 2 ? ROLE_LINK : ROLE_GATE);
	}
	/* Back home for good. */
	if (setns(ns_fd[HOME], CLONE_NEWNET))
		finish(1, "setns home failed");

	guard = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		finish(1, "mmap failed");
	{
		/* A valid request in the read-only page. */
		struct crak_image_check c0 = { 0 };
		uint8_t *img = guard;
		uint32_t n;

		c0.len = make_image(&main_w, img, (size_t)page_size / 2, &n);
		c0.buf = (uintptr_t)img;
		memcpy(guard + 2 * page_size, &c0, sizeof(c0));
	}
	if (mprotect(guard + page_size, page_size, PROT_NONE) ||
	    mprotect(guard + 2 * page_size, page_size, PROT_READ))
		finish(1, "mprotect failed");

	for (i = 0; i <= NSLOTS; i++) {
		pthread_mutex_init(&slots[i].lock, NULL);
		if (i < NSLOTS) {
			snprintf(slots[i].oname, IFNAMSIZ, "nf%u", i);
			snprintf(slots[i].iname, IFNAMSIZ, "nf%up", i);
		} else {
			snprintf(slots[i].oname, IFNAMSIZ, "nfq");
			snprintf(slots[i].iname, IFNAMSIZ, "nfqp");
		}
	}
	if (setup_probe(&main_w))
		finish(1, first_failure);
	/* Each shared pair exists at the start. */
	for (i = 0; i < NSLOTS; i++) {
		op_create(&main_w, &slots[i]);
		if (atomic_load(&failures))
			finish(1, first_failure);
	}

	racing = opt.threads > 1;
	for (i = 0; i < opt.threads; i++)
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]))
			finish(1, "pthread_create failed");
	last_progress = now_ms();
	joined = calloc(opt.threads, sizeof(*joined));
	if (!joined)
		finish(1, "out of memory");
	for (;;) {
		int running = 0;

		sleep_ms(200);
		for (i = 0; i < opt.threads; i++) {
			long long since = atomic_load(&workers[i].since_ms);

			if (joined[i])
				continue;

			if (since && (long long)now_ms() - since > HANG_S * 1000) {
				char why[1024];

				snprintf(why, sizeof(why),
					 "hang: thread %u stuck for more than %d s in iteration %lu (last request %s)",
					 i, HANG_S, workers[i].iter, workers[i].last);
				finish(1, why);
			}
			if (pthread_tryjoin_np(workers[i].thread, NULL) == EBUSY)
				running++;
			else
				joined[i] = 1;
		}
		if (!running)
			break;
		if (now_ms() - last_progress >= 10000) {
			last_progress = now_ms();
			printf("# nlfuzz: %.0f s, %lu iterations, %lu requests\n",
			       elapsed_s(), atomic_load(&iterations), total_requests());
		}
	}
	check_children();
	teardown(&main_w);
	print_summary(elapsed_s());
	if (atomic_load(&failures))
		finish(1, first_failure);
	finish(0, NULL);
}

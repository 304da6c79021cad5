// SPDX-License-Identifier: GPL-2.0
/*
 * migsrv: a TCP server that moves to another process half way through its
 * streams, and the peer that talks to it, for the tests of crak's restart
 * of live connections. Every byte of both directions is checked to arrive
 * exactly once and in order, across the move.
 *
 *   migsrv serve ADDR PORT --state FILE [--conns N] [--bytes B] [--seed K]
 *                [--chunk C] [--interval-us U] [--timeout S]
 *                [--ready-file F] [--close-listen] [--handover-exec]
 *                [--handover-delay-ms D]
 *   migsrv resume --state FILE [--conns N] [--bytes B] [--seed K]
 *                [--chunk C] [--interval-us U] [--timeout S]
 *                [--close-listen] [--handover-exec] [--handover-delay-ms D]
 *   migsrv peer ADDR PORT [--conns N] [--bytes B] [--seed K] [--chunk C]
 *                [--interval-us U] [--timeout S] [--stop-file F] [--sync]
 *
 * A connection starts with the peer's 8-byte little-endian id (the peer
 * numbers its connections 0..N-1); then each side sends a stream of B
 * bytes and shuts its side down (SHUT_WR), and each reads the other's
 * stream to its end. The stream of id I from the peer to the server is
 * seeded by (K, I, 0), the one back by (K, I, 1); its byte at offset o is
 * byte o % 8 (little-endian) of word o / 8, and word w of stream seed s is
 * splitmix64's output for the counter s + (w + 1) * 0x9e3779b97f4a7c15,
 * so either side regenerates any part of it at any time. Each side sends
 * chunks of C bytes, one every U microseconds on absolute deadlines from
 * the start of the connection (so that a side whose writes block catches up
 * afterwards; U 0: as fast as possible), with non-blocking sockets in one
 * poll loop, and compares every byte it receives with the stream. The
 * server's start of a connection is when its id header is in. With
 * --sync, the peer sends nothing, not even the header, until every one of
 * its connections is established (or failed), and then starts them all at
 * once: N streams that last as long as one, however long it took to open
 * them; it says "synced" on stderr then.
 *
 * serve listens on ADDR:PORT (an IPv4 or IPv6 literal), says "ready" in F
 * (written whole, by a rename) or on stderr, and accepts N connections
 * (default 1), no more, keeping the listening socket open (with
 * --close-listen, closing it once they are in: crak checkpoint does not
 * take listening sockets without --skip-unsupported). SIGUSR1 makes it
 * quiesce: it makes no socket call after the one under way, writes the
 * state of every connection to FILE (a temporary file renamed over it),
 * says "quiesced" on stderr and then waits to be killed, doing nothing: the
 * peer keeps sending meanwhile and the kernel queues fill up, which is what
 * a checkpoint must carry. The state file is one line of JSON:
 *
 *   {"pid":P,"listen_fd":L,"max_conns":N,"accepted":A,"bytes":B,"seed":K,
 *    "chunk":C,"interval_us":U,"conns":[{"fd":F,"id":I,"hdr":H,"rx":R,
 *    "tx":T,"rx_bad":X,"eof":E,"shut":S,"done":D,"failed":Z},...]}
 *
 * with, per connection: F its descriptor (-1 once closed), H the bytes of
 * the id header read so far (I holds them), R the bytes of the peer's
 * stream received and checked, T the bytes of its own stream written (what
 * write() returned), X the offset of the first wrong byte received or -1,
 * E whether the peer's end of stream was read, S whether it shut its side
 * down, D whether the connection is over (closed), Z whether it failed.
 * L is -1 once the listening socket is closed.
 *
 * resume carries on in a new process, for instance one that `crak restart
 * IMAGE -- migsrv resume --state FILE` starts: it takes over the sockets
 * whose descriptors env CRAK_FDS lists ("3,4,7"), matching them by number
 * with the state file, sets them non-blocking, checks from offset R on,
 * sends from offset T on, accepts on the listening socket up to N
 * connections in all, and ends like serve. B, K, C, U and N default to the
 * state file's; its timeout defaults to 120 s.
 *
 * With --handover-exec, SIGUSR2 quiesces as SIGUSR1 does, waits D ms
 * (default 0; the queues fill meanwhile) and execs migsrv resume with the
 * same options and CRAK_FDS naming the sockets: the state file and resume
 * tested on the host, without the module. resume takes these options too,
 * and a stream can move any number of times.
 *
 * serve and resume print one JSON line at the end: per connection rx, tx
 * and rx_bad, totals, the first wrong byte, errors. peer opens N
 * connections (ids 0..N-1), prints {"conns","sent","received","bad_conns",
 * "first_bad","max_gap_ms","errors","elapsed_ms"}, max_gap_ms being the
 * longest time between two arrivals of data on one connection. All stop
 * after S seconds (--timeout; 0: no limit; default 120, none for serve)
 * and peer also as soon as file F exists (--stop-file), reporting what
 * they have. Exit status: 0 when every connection carried exactly B bytes
 * each way, intact, and closed cleanly; 1 otherwise; 2 on a usage error.
 */

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIGSRV_BUF		65536
#define MIGSRV_MAX_CONNS	1000
#define MIGSRV_MAX_ERRORS	32
#define MIGSRV_STATE_MAX	1048576
#define NSEC			1000000000LL
#define GOLDEN			0x9e3779b97f4a7c15ull

enum { MODE_SERVE, MODE_RESUME, MODE_PEER };

/* Options, and which of them the command line gave. */
enum {
	OPT_STATE = 0x001,
	OPT_CONNS = 0x002,
	OPT_BYTES = 0x004,
	OPT_SEED = 0x008,
	OPT_CHUNK = 0x010,
	OPT_INTERVAL = 0x020,
	OPT_TIMEOUT = 0x040,
	OPT_READY = 0x080,
	OPT_STOP = 0x100,
	OPT_HANDOVER = 0x200,
	OPT_DELAY = 0x400,
	OPT_CLOSE_LISTEN = 0x800,
	OPT_SYNC = 0x1000,
};

#define OPTS_COMMON	(OPT_CONNS | OPT_BYTES | OPT_SEED | OPT_CHUNK | \
			 OPT_INTERVAL | OPT_TIMEOUT)
#define OPTS_SERVE	(OPTS_COMMON | OPT_STATE | OPT_READY | OPT_HANDOVER | \
			 OPT_DELAY | OPT_CLOSE_LISTEN)
#define OPTS_RESUME	(OPTS_COMMON | OPT_STATE | OPT_HANDOVER | OPT_DELAY | \
			 OPT_CLOSE_LISTEN)
#define OPTS_PEER	(OPTS_COMMON | OPT_STOP | OPT_SYNC)

struct migsrv_opts {
	int mode;
	unsigned int given;
	const char *addr;
	int port;
	const char *state;
	const char *ready_file;
	const char *stop_file;
	unsigned int conns;
	unsigned long long bytes;
	unsigned long long seed;
	unsigned int chunk;
	unsigned int interval_us;
	unsigned int timeout_s;
	unsigned int delay_ms;
};

struct conn {
	int fd;
	unsigned int hdr;	/* bytes of the id header done */
	uint64_t id;
	uint64_t rx_seed;
	uint64_t tx_seed;
	unsigned long long rx;
	unsigned long long tx;
	unsigned long long tx_base;	/* tx when the pacing started */
	long long rx_bad;
	long long t0;		/* pacing start, ns */
	long long last_rx;	/* last arrival, ns */
	long long max_gap;
	int eof;
	int shut;
	int done;
	int blocked;		/* last write would block: wait for POLLOUT */
	int connecting;
	int failed;
	int err;		/* errno of the failed call, if any */
	const char *why;	/* what failed */
};

struct migsrv {
	struct migsrv_opts o;
	int server;
	int lfd;
	unsigned int max_conns;
	unsigned int accepted;
	struct conn *c;
	unsigned int n;
	struct pollfd *pfd;
	long long start;
	long long deadline;
	const char *stopped;	/* why the run ended early */
	int synced;		/* peer --sync: every connection is in */
};

static const char *prog = "migsrv";
static char **saved_argv;
static int quiesce_sig;		/* the signal that asked to quiesce */
static int sig_pipe[2] = { -1, -1 };

/* Set by the handler, so read atomically: no volatile needed. */
static int quiescing(void)
{
	return __atomic_load_n(&quiesce_sig, __ATOMIC_SEQ_CST);
}

static const char usage_text[] =
"usage: migsrv serve ADDR PORT --state FILE [--conns N] [--bytes B] [--seed K]\n"
"                    [--chunk C] [--interval-us U] [--timeout S] [--ready-file F]\n"
"                    [--close-listen] [--handover-exec] [--handover-delay-ms D]\n"
"       migsrv resume --state FILE [--conns N] [--bytes B] [--seed K] [--chunk C]\n"
"                    [--interval-us U] [--timeout S] [--close-listen]\n"
"                    [--handover-exec] [--handover-delay-ms D]\n"
"       migsrv peer ADDR PORT [--conns N] [--bytes B] [--seed K] [--chunk C]\n"
"                    [--interval-us U] [--timeout S] [--stop-file F] [--sync]\n"
"\n"
"Seeded byte streams both ways on N TCP connections (default 1), B bytes\n"
"each way (default 1000000), chunks of C bytes (default 1000) every U us\n"
"(default 2000; 0: unpaced). serve: --close-listen closes the listening\n"
"socket once N connections are in; SIGUSR1 quiesces it and writes FILE;\n"
"with --handover-exec, SIGUSR2 quiesces it, waits D ms and execs\n"
"'migsrv resume'. resume takes over the sockets listed in env CRAK_FDS.\n"
"peer: --sync starts every stream at once, when all N are connected.\n"
"--timeout S: give up after S s (0: never; default 120, serve: never).\n"
"Each mode prints one JSON line; exit 0 when every byte arrived exactly\n"
"once and in order both ways, 1 otherwise, 2 on a usage error.\n";

static void __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	exit(2);
}

static void __attribute__((format(printf, 1, 2))) fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static const char *errname(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "unknown errno";
}

/* The streams: splitmix64 in counter mode, any word at any offset. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t stream_seed(uint64_t seed, uint64_t id, unsigned int dir)
{
	return mix64(mix64(mix64(seed + GOLDEN) ^ id) + dir + 1);
}

static uint64_t stream_word(uint64_t s, uint64_t w)
{
	return mix64(s + (w + 1) * GOLDEN);
}

static void stream_fill(uint8_t *p, uint64_t s, unsigned long long off,
			size_t n)
{
	uint64_t w = off / 8, v;
	unsigned int b = off % 8;

	while (n) {
		v = stream_word(s, w++);
		if (!b && n >= 8) {
			v = htole64(v);
			memcpy(p, &v, 8);
			p += 8;
			n -= 8;
			continue;
		}
		for (; b < 8 && n; b++, n--)
			*p++ = (uint8_t)(v >> (8 * b));
		b = 0;
	}
}

static void on_signal(int sig)
{
	int saved = errno;
	char c = 0;

	if (!quiescing())
		__atomic_store_n(&quiesce_sig, sig, __ATOMIC_SEQ_CST);
	if (write(sig_pipe[1], &c, 1) < 0)
		errno = saved;	/* full: poll wakes up anyway */
	errno = saved;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC))
		fatal("pipe: %s", strerror(errno));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/* Without --handover-exec, SIGUSR2 quiesces as SIGUSR1 does. */
	sigaction(SIGUSR2, &sa, NULL);
}

static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static socklen_t parse_addr(const char *addr, int port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	usage_error("bad address '%s' (an IPv4 or IPv6 literal)", addr);
	return 0;
}

/* Write PATH whole or not at all: a temporary file renamed over it. */
static int write_file(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int write_file(const char *path, const char *fmt, ...)
{
	char tmp[PATH_MAX];
	va_list ap;
	FILE *f;
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, getpid()) >= (int)sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	va_start(ap, fmt);
	ret = vfprintf(f, fmt, ap) < 0;
	va_end(ap);
	ret |= fflush(f) != 0;
	ret |= fsync(fd) != 0;
	ret |= fclose(f) != 0;
	if (ret || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void conn_init(struct conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->rx_bad = -1;
}

static void conn_set_id(struct migsrv *m, struct conn *c, long long now)
{
	c->rx_seed = stream_seed(m->o.seed, c->id, m->server ? 0 : 1);
	c->tx_seed = stream_seed(m->o.seed, c->id, m->server ? 1 : 0);
	c->t0 = now;
	c->tx_base = c->tx;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->done = 1;
}

static void conn_fail(struct conn *c, const char *why, int err)
{
	c->failed = 1;
	c->why = why;
	c->err = err;
	conn_close(c);
}

static void conn_check_done(struct migsrv *m, struct conn *c)
{
	if (!c->done && c->eof && c->shut && c->tx == m->o.bytes)
		conn_close(c);
}

/* Bytes the pacing allows by NOW, and when it allows more. */
static unsigned long long conn_allowed(const struct migsrv *m,
				       const struct conn *c, long long now,
				       long long *next)
{
	unsigned long long k, allow;
	long long u = m->o.interval_us * 1000LL;

	if (!u) {
		*next = -1;
		return m->o.bytes;
	}
	k = now > c->t0 ? (unsigned long long)(now - c->t0) / u : 0;
	allow = c->tx_base + (k + 1) * m->o.chunk;
	*next = c->t0 + (long long)(k + 1) * u;
	return allow < m->o.bytes ? allow : m->o.bytes;
}

static int conn_can_send(const struct migsrv *m, const struct conn *c)
{
	if (c->done || c->connecting)
		return 0;
	if ((m->o.given & OPT_SYNC) && !m->synced)
		return 0;
	if (m->server)
		return c->hdr == 8;
	return 1;
}

static void conn_write(struct migsrv *m, struct conn *c, long long now)
{
	static uint8_t buf[MIGSRV_BUF];
	unsigned long long allow;
	long long next;
	ssize_t w;
	size_t n;

	if (!conn_can_send(m, c) || c->blocked)
		return;
	if (!m->server && c->hdr < 8) {
		uint64_t le = htole64(c->id);

		if (quiescing())
			return;
		w = write(c->fd, (uint8_t *)&le + c->hdr, 8 - c->hdr);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				c->blocked = 1;
			else if (errno != EINTR)
				conn_fail(c, "write", errno);
			return;
		}
		c->hdr += w;
		if (c->hdr < 8) {
			c->blocked = 1;
			return;
		}
	}
	allow = conn_allowed(m, c, now, &next);
	while (c->tx < allow) {
		n = allow - c->tx < MIGSRV_BUF ? allow - c->tx : MIGSRV_BUF;
		stream_fill(buf, c->tx_seed, c->tx, n);
		if (quiescing())
			return;
		w = write(c->fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				c->blocked = 1;
			else
				conn_fail(c, "write", errno);
			return;
		}
		c->tx += w;
		if ((size_t)w < n) {
			c->blocked = 1;
			return;
		}
	}
	if (c->tx == m->o.bytes && !c->shut) {
		if (quiescing())
			return;
		if (shutdown(c->fd, SHUT_WR)) {
			conn_fail(c, "shutdown", errno);
			return;
		}
		c->shut = 1;
		conn_check_done(m, c);
	}
}

static void verify(struct conn *c, const uint8_t *p, size_t n)
{
	static uint8_t want[MIGSRV_BUF];
	size_t i;

	if (c->rx_bad >= 0)
		return;
	stream_fill(want, c->rx_seed, c->rx, n);
	if (!memcmp(want, p, n))
		return;
	for (i = 0; want[i] == p[i]; i++)
		;
	c->rx_bad = c->rx + i;
}

static void conn_read(struct migsrv *m, struct conn *c)
{
	static uint8_t buf[MIGSRV_BUF];
	unsigned long long left;
	unsigned int reads;
	long long t;
	ssize_t r;
	size_t ok;

	for (reads = 0; reads < 4 && !c->done && !c->eof; reads++) {
		if (quiescing())
			return;
		if (m->server && c->hdr < 8)
			r = read(c->fd, buf, 8 - c->hdr);
		else
			r = read(c->fd, buf, sizeof(buf));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_fail(c, "read", errno);
			return;
		}
		t = now_ns();
		if (!r) {
			c->eof = 1;
			if (c->hdr < 8 || c->rx < m->o.bytes) {
				conn_fail(c, "early EOF", 0);
				return;
			}
			conn_check_done(m, c);
			return;
		}
		if (c->last_rx && t - c->last_rx > c->max_gap)
			c->max_gap = t - c->last_rx;
		c->last_rx = t;
		if (m->server && c->hdr < 8) {
			for (ok = 0; ok < (size_t)r; ok++, c->hdr++)
				c->id |= (uint64_t)buf[ok] << (8 * c->hdr);
			if (c->hdr == 8)
				conn_set_id(m, c, t);
			continue;
		}
		left = c->rx < m->o.bytes ? m->o.bytes - c->rx : 0;
		ok = (size_t)r < left ? (size_t)r : left;
		verify(c, buf, ok);
		if (ok < (size_t)r && c->rx_bad < 0)
			c->rx_bad = c->rx + ok;	/* more than B bytes */
		c->rx += r;
	}
}

/* --close-listen: no listening socket once N connections are in. */
static void close_listen(struct migsrv *m)
{
	if ((m->o.given & OPT_CLOSE_LISTEN) && m->lfd >= 0 &&
	    m->accepted == m->max_conns) {
		close(m->lfd);
		m->lfd = -1;
	}
}

static void do_accept(struct migsrv *m)
{
	struct conn *c;
	int fd;

	while (m->accepted < m->max_conns) {
		if (quiescing())
			return;
		fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				fprintf(stderr, "%s: accept: %s\n", prog,
					strerror(errno));
			return;
		}
		c = &m->c[m->n++];
		conn_init(c, fd);
		m->accepted++;
	}
	close_listen(m);
}

static void finish_connect(struct conn *c, long long now)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	if (err) {
		conn_fail(c, "connect", err);
		return;
	}
	c->connecting = 0;
	c->t0 = now;
}

/* peer --sync: once no connection is still connecting, all start now. */
static void peer_sync(struct migsrv *m, long long now)
{
	unsigned int i;

	if (!(m->o.given & OPT_SYNC) || m->synced)
		return;
	for (i = 0; i < m->n; i++)
		if (m->c[i].connecting)
			return;
	for (i = 0; i < m->n; i++)
		m->c[i].t0 = now;
	m->synced = 1;
	fprintf(stderr, "%s: synced: %u connections, %lld ms after the start\n",
		prog, m->n, (now - m->start) / 1000000);
}

static int all_done(const struct migsrv *m)
{
	unsigned int i;

	if (m->server && m->accepted < m->max_conns)
		return 0;
	for (i = 0; i < m->n; i++)
		if (!m->c[i].done)
			return 0;
	return 1;
}

/*
 * The poll loop. Returns 0 when every connection is over or the run is
 * stopped (m->stopped says why), or the signal that asked to quiesce.
 */
static int run(struct migsrv *m)
{
	long long now, next, wake, last_stop_check = 0;
	struct pollfd *p;
	struct timespec ts;
	unsigned int i, base;
	struct conn *c;
	int ret;

	for (;;) {
		if (quiescing())
			return quiescing();
		if (all_done(m))
			return 0;
		now = now_ns();
		if (m->deadline && now >= m->deadline) {
			m->stopped = "timeout";
			return 0;
		}
		if (m->o.stop_file && now - last_stop_check > NSEC / 10) {
			last_stop_check = now;
			if (!access(m->o.stop_file, F_OK)) {
				m->stopped = "stop file";
				return 0;
			}
		}
		peer_sync(m, now);
		for (i = 0; i < m->n; i++)
			conn_write(m, &m->c[i], now);
		if (quiescing())
			return quiescing();
		if (all_done(m))
			return 0;

		wake = m->deadline ? m->deadline : -1;
		base = 0;
		p = m->pfd;
		if (m->server) {
			p[0].fd = sig_pipe[0];
			p[0].events = POLLIN;
			p[1].fd = m->accepted < m->max_conns ? m->lfd : -1;
			p[1].events = POLLIN;
			base = 2;
		}
		for (i = 0; i < m->n; i++) {
			c = &m->c[i];
			p[base + i].fd = -1;
			p[base + i].events = 0;
			p[base + i].revents = 0;
			if (c->done)
				continue;
			p[base + i].fd = c->fd;
			if (c->connecting || c->blocked)
				p[base + i].events |= POLLOUT;
			if (!c->connecting && !c->eof)
				p[base + i].events |= POLLIN;
			if (conn_can_send(m, c) && !c->blocked &&
			    c->tx < m->o.bytes) {
				conn_allowed(m, c, now, &next);
				if (next >= 0 && (wake < 0 || next < wake))
					wake = next;
			}
		}
		if (m->o.stop_file &&
		    (wake < 0 || wake > now + NSEC / 10))
			wake = now + NSEC / 10;
		if (wake >= 0) {
			next = wake > now ? wake - now : 0;
			ts.tv_sec = next / NSEC;
			ts.tv_nsec = next % NSEC;
		}
		ret = ppoll(p, base + m->n, wake >= 0 ? &ts : NULL, NULL);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll: %s", strerror(errno));
		}
		if (!ret)
			continue;
		now = now_ns();
		if (m->server) {
			if (p[0].revents) {
				char drain[64];

				while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
					;
			}
			if (p[1].fd >= 0 && p[1].revents)
				do_accept(m);
		}
		for (i = 0; i < m->n && !quiescing(); i++) {
			short rev = p[base + i].revents;

			c = &m->c[i];
			if (!rev || c->done || p[base + i].fd != c->fd)
				continue;
			if (c->connecting) {
				finish_connect(c, now);
				continue;
			}
			if (rev & (POLLOUT | POLLERR | POLLHUP))
				c->blocked = 0;
			if (rev & (POLLIN | POLLERR | POLLHUP))
				conn_read(m, c);
		}
	}
}

static int conn_ok(const struct migsrv *m, const struct conn *c)
{
	return c->done && !c->failed && c->rx_bad < 0 &&
	       c->rx == m->o.bytes && c->tx == m->o.bytes;
}

/* One error of connection C, in MSG. */
static void conn_error(const struct migsrv *m, const struct conn *c,
		       char *msg, size_t size)
{
	unsigned long long b = m->o.bytes;

	if (c->failed && c->err)
		snprintf(msg, size, "id %llu: %s: %s after rx %llu tx %llu",
			 (unsigned long long)c->id, c->why, errname(c->err),
			 c->rx, c->tx);
	else if (c->failed)
		snprintf(msg, size, "id %llu: %s after rx %llu tx %llu",
			 (unsigned long long)c->id, c->why, c->rx, c->tx);
	else if (c->rx_bad >= 0)
		snprintf(msg, size, "id %llu: wrong byte at offset %lld",
			 (unsigned long long)c->id, c->rx_bad);
	else
		snprintf(msg, size,
			 "id %llu: rx %llu tx %llu of %llu%s%s",
			 (unsigned long long)c->id, c->rx, c->tx, b,
			 c->hdr < 8 ? ", id header incomplete" : "",
			 c->done ? "" : ", not over");
}

static int report(struct migsrv *m)
{
	static const char * const modes[] = { "serve", "resume", "peer" };
	unsigned long long sent = 0, received = 0;
	unsigned int i, bad = 0, good = 0, nerr = 0;
	long long gap = 0;
	const struct conn *first = NULL, *c;
	char msg[256];
	int sep = 0;

	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		sent += c->tx;
		received += c->rx;
		if (c->max_gap > gap)
			gap = c->max_gap;
		if (conn_ok(m, c)) {
			good++;
			continue;
		}
		bad++;
		if (c->rx_bad >= 0 && (!first || c->rx_bad < first->rx_bad))
			first = c;
	}
	if (m->server)
		printf("{\"mode\":\"%s\",\"pid\":%d,", modes[m->o.mode], getpid());
	else
		printf("{");
	printf("\"conns\":%u,", m->max_conns);
	if (m->server)
		printf("\"accepted\":%u,\"complete\":%u,", m->accepted, good);
	printf("\"sent\":%llu,\"received\":%llu,\"bad_conns\":%u,", sent,
	       received, bad);
	if (first)
		printf("\"first_bad\":{\"id\":%llu,\"offset\":%lld},",
		       (unsigned long long)first->id, first->rx_bad);
	else
		printf("\"first_bad\":null,");
	printf("\"max_gap_ms\":%.1f,\"errors\":[", gap / 1e6);
	if (m->stopped) {
		printf("\"%s\"", m->stopped);
		sep = 1;
	}
	if (m->server && m->accepted < m->max_conns) {
		printf("%s\"accepted %u of %u connections\"", sep ? "," : "",
		       m->accepted, m->max_conns);
		sep = 1;
	}
	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		if (conn_ok(m, c))
			continue;
		if (nerr++ == MIGSRV_MAX_ERRORS) {
			printf("%s\"and %u more\"", sep ? "," : "", bad - nerr + 1);
			break;
		}
		conn_error(m, c, msg, sizeof(msg));
		printf("%s\"%s\"", sep ? "," : "", msg);
		sep = 1;
	}
	printf("],\"elapsed_ms\":%lld", (now_ns() - m->start) / 1000000);
	if (m->server) {
		printf(",\"per_conn\":[");
		for (i = 0; i < m->n; i++) {
			c = &m->c[i];
			printf("%s{\"id\":%llu,\"rx\":%llu,\"tx\":%llu,\"rx_bad\":%lld}",
			       i ? "," : "", (unsigned long long)c->id, c->rx,
			       c->tx, c->rx_bad);
		}
		printf("]");
	}
	printf("}\n");
	fflush(stdout);
	return !m->stopped && !bad && good == m->max_conns ? 0 : 1;
}

/* The state file: written on quiesce, read by resume. */
static void write_state(struct migsrv *m)
{
	size_t size = 512 + (size_t)m->n * 256, len = 0;
	const struct conn *c;
	unsigned int i;
	char *s;

	s = malloc(size);
	if (!s)
		fatal("state: out of memory");
	len += snprintf(s + len, size - len,
			"{\"pid\":%d,\"listen_fd\":%d,\"max_conns\":%u,\"accepted\":%u,\"bytes\":%llu,\"seed\":%llu,\"chunk\":%u,\"interval_us\":%u,\"conns\":[",
			getpid(), m->lfd, m->max_conns, m->accepted,
			m->o.bytes, m->o.seed, m->o.chunk, m->o.interval_us);
	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		len += snprintf(s + len, size - len,
				"%s{\"fd\":%d,\"id\":%llu,\"hdr\":%u,\"rx\":%llu,\"tx\":%llu,\"rx_bad\":%lld,\"eof\":%d,\"shut\":%d,\"done\":%d,\"failed\":%d}",
				i ? "," : "", c->fd,
				(unsigned long long)c->id, c->hdr, c->rx,
				c->tx, c->rx_bad, c->eof, c->shut, c->done,
				c->failed);
	}
	snprintf(s + len, size - len, "]}\n");
	if (write_file(m->o.state, "%s", s))
		fatal("cannot write the state file %s: %s", m->o.state,
		      strerror(errno));
	free(s);
}

/* A JSON reader for the state file's own shape: objects, one array of
 * objects, integers.
 */
struct jp {
	const char *p;
};

static char jp_peek(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
	return *j->p;
}

static int jp_char(struct jp *j, char ch)
{
	if (jp_peek(j) != ch)
		return -1;
	j->p++;
	return 0;
}

static int jp_key(struct jp *j, char *key, size_t size)
{
	size_t n = 0;

	if (jp_char(j, '"'))
		return -1;
	while (*j->p && *j->p != '"') {
		if (n + 1 >= size)
			return -1;
		key[n++] = *j->p++;
	}
	key[n] = 0;
	if (*j->p != '"')
		return -1;
	j->p++;
	return jp_char(j, ':');
}

static int jp_num(struct jp *j, unsigned long long *u, int *neg)
{
	char *end;

	*neg = jp_peek(j) == '-';
	if (*neg)
		j->p++;
	if (*j->p < '0' || *j->p > '9')
		return -1;
	errno = 0;
	*u = strtoull(j->p, &end, 10);
	if (errno)
		return -1;
	j->p = end;
	return 0;
}

static long long signed_val(unsigned long long u, int neg)
{
	return neg ? -(long long)u : (long long)u;
}

static int jp_conn(struct jp *j, struct conn *c)
{
	unsigned long long u;
	char key[32];
	long long v;
	int neg;

	conn_init(c, -1);
	if (jp_char(j, '{'))
		return -1;
	do {
		if (jp_key(j, key, sizeof(key)) || jp_num(j, &u, &neg))
			return -1;
		v = signed_val(u, neg);
		if (!strcmp(key, "fd"))
			c->fd = (int)v;
		else if (!strcmp(key, "id"))
			c->id = u;
		else if (!strcmp(key, "hdr"))
			c->hdr = u > 8 ? 8 : (unsigned int)u;
		else if (!strcmp(key, "rx"))
			c->rx = u;
		else if (!strcmp(key, "tx"))
			c->tx = u;
		else if (!strcmp(key, "rx_bad"))
			c->rx_bad = v;
		else if (!strcmp(key, "eof"))
			c->eof = !!v;
		else if (!strcmp(key, "shut"))
			c->shut = !!v;
		else if (!strcmp(key, "done"))
			c->done = !!v;
		else if (!strcmp(key, "failed"))
			c->failed = !!v;
	} while (!jp_char(j, ','));
	if (c->failed)
		c->why = "failed before the handover";
	return jp_char(j, '}');
}

static int jp_state(struct migsrv *m, struct jp *j, unsigned int *given)
{
	unsigned long long u;
	char key[32];
	int neg;

	if (jp_char(j, '{'))
		return -1;
	do {
		if (jp_key(j, key, sizeof(key)))
			return -1;
		if (!strcmp(key, "conns")) {
			if (jp_char(j, '['))
				return -1;
			if (jp_peek(j) == ']') {
				j->p++;
				continue;
			}
			do {
				if (m->n == MIGSRV_MAX_CONNS ||
				    jp_conn(j, &m->c[m->n]))
					return -1;
				m->n++;
			} while (!jp_char(j, ','));
			if (jp_char(j, ']'))
				return -1;
			continue;
		}
		if (jp_num(j, &u, &neg))
			return -1;
		if (!strcmp(key, "listen_fd"))
			m->lfd = (int)signed_val(u, neg);
		else if (!strcmp(key, "accepted"))
			m->accepted = (unsigned int)u;
		else if (!strcmp(key, "max_conns") && !(*given & OPT_CONNS))
			m->o.conns = (unsigned int)u;
		else if (!strcmp(key, "bytes") && !(*given & OPT_BYTES))
			m->o.bytes = u;
		else if (!strcmp(key, "seed") && !(*given & OPT_SEED))
			m->o.seed = u;
		else if (!strcmp(key, "chunk") && !(*given & OPT_CHUNK))
			m->o.chunk = (unsigned int)u;
		else if (!strcmp(key, "interval_us") && !(*given & OPT_INTERVAL))
			m->o.interval_us = (unsigned int)u;
	} while (!jp_char(j, ','));
	if (jp_char(j, '}'))
		return -1;
	return 0;
}

static void read_state(struct migsrv *m)
{
	struct jp j;
	char *buf;
	ssize_t r;
	size_t len = 0;
	int fd;

	fd = open(m->o.state, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fatal("cannot open the state file %s: %s", m->o.state,
		      strerror(errno));
	buf = malloc(MIGSRV_STATE_MAX + 1);
	if (!buf)
		fatal("state: out of memory");
	for (;;) {
		r = read(fd, buf + len, MIGSRV_STATE_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fatal("cannot read %s: %s", m->o.state, strerror(errno));
		if (!r)
			break;
		len += r;
		if (len == MIGSRV_STATE_MAX)
			fatal("%s: larger than %d bytes", m->o.state,
			      MIGSRV_STATE_MAX);
	}
	close(fd);
	buf[len] = 0;
	j.p = buf;
	m->lfd = -1;
	if (jp_state(m, &j, &m->o.given) || jp_peek(&j))
		fatal("%s: not a migsrv state file (at byte %zu)", m->o.state,
		      (size_t)(j.p - buf));
	free(buf);
}

static int in_list(const int *fds, unsigned int n, int fd)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] == fd)
			return 1;
	return 0;
}

static int sock_is(int fd, int listening)
{
	int type = 0, acc = 0;
	socklen_t len = sizeof(int);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    type != SOCK_STREAM)
		return 0;
	len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len))
		return 0;
	return !!acc == listening;
}

/* Take over the descriptors of env CRAK_FDS, as the state file names them. */
static void take_fds(struct migsrv *m)
{
	const char *env = getenv("CRAK_FDS");
	static int fds[MIGSRV_MAX_CONNS + 1];
	unsigned int nfds = 0, i;
	long long now = now_ns();
	const char *s;
	struct conn *c;
	char *end;
	long v;

	if (!env)
		fatal("resume: env CRAK_FDS is not set (the sockets' descriptors, \"3,4,7\")");
	for (s = env; *s; s = end + (*end == ',')) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || v < 0 || v > INT_MAX ||
		    (*end && *end != ','))
			fatal("resume: bad CRAK_FDS '%s'", env);
		if (nfds == MIGSRV_MAX_CONNS + 1)
			fatal("resume: CRAK_FDS: more than %d descriptors",
			      MIGSRV_MAX_CONNS + 1);
		fds[nfds++] = (int)v;
	}
	if (m->lfd >= 0) {
		if (!in_list(fds, nfds, m->lfd) || !sock_is(m->lfd, 1)) {
			if (m->accepted < m->max_conns)
				fprintf(stderr, "%s: resume: listening socket %d not handed over\n",
					prog, m->lfd);
			m->lfd = -1;
		} else if (set_nonblock(m->lfd)) {
			fatal("resume: fd %d: %s", m->lfd, strerror(errno));
		}
	}
	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		if (c->done)
			continue;
		if (c->fd < 0 || !in_list(fds, nfds, c->fd)) {
			c->fd = -1;
			conn_fail(c, "descriptor not handed over", 0);
			continue;
		}
		if (!sock_is(c->fd, 0) || set_nonblock(c->fd)) {
			c->fd = -1;
			conn_fail(c, "not a connected TCP socket", 0);
			continue;
		}
		if (c->hdr == 8)
			conn_set_id(m, c, now);
		conn_check_done(m, c);
	}
	for (i = 0; i < nfds; i++) {
		unsigned int k;

		if (fds[i] == m->lfd)
			continue;
		for (k = 0; k < m->n && m->c[k].fd != fds[i]; k++)
			;
		if (k == m->n)
			fprintf(stderr, "%s: resume: fd %d of CRAK_FDS is not in the state file\n",
				prog, fds[i]);
	}
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= NSEC) {
		ts.tv_nsec -= NSEC;
		ts.tv_sec++;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Exec migsrv resume on the same sockets. */
static void handover(struct migsrv *m)
{
	static char num[8][24];
	char *argv[32], *fds;
	size_t size = 16 + (size_t)(m->n + 1) * 12, len = 0;
	unsigned int i, a = 0;
	int fd;

	fds = malloc(size);
	if (!fds)
		fatal("handover: out of memory");
	fds[0] = 0;
	for (i = 0; i <= m->n; i++) {
		fd = i < m->n ? m->c[i].fd : m->lfd;
		if (fd < 0)
			continue;
		if (fcntl(fd, F_SETFD, 0))
			fatal("handover: fd %d: %s", fd, strerror(errno));
		len += snprintf(fds + len, size - len, "%s%d", len ? "," : "", fd);
	}
	if (setenv("CRAK_FDS", fds, 1))
		fatal("handover: setenv: %s", strerror(errno));
	free(fds);
	snprintf(num[0], sizeof(num[0]), "%u", m->max_conns);
	snprintf(num[1], sizeof(num[1]), "%llu", m->o.bytes);
	snprintf(num[2], sizeof(num[2]), "%llu", m->o.seed);
	snprintf(num[3], sizeof(num[3]), "%u", m->o.chunk);
	snprintf(num[4], sizeof(num[4]), "%u", m->o.interval_us);
	snprintf(num[5], sizeof(num[5]), "%u", m->o.delay_ms);
	snprintf(num[6], sizeof(num[6]), "%u", m->o.timeout_s);
	argv[a++] = saved_argv[0];
	argv[a++] = "resume";
	argv[a++] = "--state";
	argv[a++] = (char *)m->o.state;
	argv[a++] = "--conns";
	argv[a++] = num[0];
	argv[a++] = "--bytes";
	argv[a++] = num[1];
	argv[a++] = "--seed";
	argv[a++] = num[2];
	argv[a++] = "--chunk";
	argv[a++] = num[3];
	argv[a++] = "--interval-us";
	argv[a++] = num[4];
	argv[a++] = "--handover-exec";
	argv[a++] = "--handover-delay-ms";
	argv[a++] = num[5];
	if (m->o.given & OPT_CLOSE_LISTEN)
		argv[a++] = "--close-listen";
	if (m->o.given & OPT_TIMEOUT) {
		argv[a++] = "--timeout";
		argv[a++] = num[6];
	}
	argv[a] = NULL;
	fflush(stdout);
	fflush(stderr);
	execv("/proc/self/exe", argv);
	fatal("handover: exec: %s", strerror(errno));
}

static void quiesce(struct migsrv *m, int sig)
{
	write_state(m);
	fprintf(stderr, "quiesced\n");
	if (sig == SIGUSR2 && (m->o.given & OPT_HANDOVER)) {
		sleep_ms(m->o.delay_ms);
		handover(m);
	}
	for (;;)
		pause();
}

static void serve_listen(struct migsrv *m)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	len = parse_addr(m->o.addr, m->o.port, &ss);
	m->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (m->lfd < 0)
		fatal("socket: %s", strerror(errno));
	setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->lfd, (struct sockaddr *)&ss, len))
		fatal("bind %s port %d: %s", m->o.addr, m->o.port,
		      strerror(errno));
	if (listen(m->lfd, m->max_conns < 128 ? 128 : (int)m->max_conns))
		fatal("listen: %s", strerror(errno));
	if (m->o.ready_file) {
		if (write_file(m->o.ready_file, "ready\n"))
			fatal("cannot write %s: %s", m->o.ready_file,
			      strerror(errno));
	} else {
		fprintf(stderr, "ready\n");
	}
}

static void peer_connect(struct migsrv *m)
{
	struct sockaddr_storage ss;
	long long now = now_ns();
	struct conn *c;
	socklen_t len;
	unsigned int i;
	int fd;

	len = parse_addr(m->o.addr, m->o.port, &ss);
	for (i = 0; i < m->max_conns; i++) {
		c = &m->c[m->n++];
		conn_init(c, -1);
		c->id = i;
		conn_set_id(m, c, now);
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			conn_fail(c, "socket", errno);
			continue;
		}
		c->fd = fd;
		if (!connect(fd, (struct sockaddr *)&ss, len))
			continue;
		if (errno == EINPROGRESS)
			c->connecting = 1;
		else
			conn_fail(c, "connect", errno);
	}
}

static unsigned long long number(const char *opt, const char *s,
				 unsigned long long min, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		usage_error("bad value '%s' for %s (%llu to %llu)", s, opt, min,
			    max);
	return v;
}

static void parse_args(int argc, char **argv, struct migsrv_opts *o)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, OPT_STATE },
		{ "conns", required_argument, NULL, OPT_CONNS },
		{ "bytes", required_argument, NULL, OPT_BYTES },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "chunk", required_argument, NULL, OPT_CHUNK },
		{ "interval-us", required_argument, NULL, OPT_INTERVAL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "ready-file", required_argument, NULL, OPT_READY },
		{ "stop-file", required_argument, NULL, OPT_STOP },
		{ "handover-exec", no_argument, NULL, OPT_HANDOVER },
		{ "handover-delay-ms", required_argument, NULL, OPT_DELAY },
		{ "close-listen", no_argument, NULL, OPT_CLOSE_LISTEN },
		{ "sync", no_argument, NULL, OPT_SYNC },
		{}
	};
	static const unsigned int allowed[] = {
		[MODE_SERVE] = OPTS_SERVE,
		[MODE_RESUME] = OPTS_RESUME,
		[MODE_PEER] = OPTS_PEER,
	};
	int c, i, npos, idx;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			exit(0);
		}
	if (argc < 2)
		usage_error("no mode given (serve, resume or peer)");
	if (!strcmp(argv[1], "serve"))
		o->mode = MODE_SERVE;
	else if (!strcmp(argv[1], "resume"))
		o->mode = MODE_RESUME;
	else if (!strcmp(argv[1], "peer"))
		o->mode = MODE_PEER;
	else
		usage_error("unknown mode '%s' (serve, resume or peer)", argv[1]);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, &idx)) != -1) {
		if (c == '?' || c == ':')
			usage_error("%s '%s'", c == ':' ? "missing value for" :
				    "unknown option", argv[optind - 1]);
		if (!(allowed[o->mode] & c))
			usage_error("%s does not take --%s", argv[1],
				    longopts[idx].name);
		o->given |= c;
		switch (c) {
		case OPT_STATE:
			o->state = optarg;
			break;
		case OPT_CONNS:
			o->conns = number("--conns", optarg, 1, MIGSRV_MAX_CONNS);
			break;
		case OPT_BYTES:
			o->bytes = number("--bytes", optarg, 0, 1ull << 40);
			break;
		case OPT_SEED:
			o->seed = number("--seed", optarg, 0, ~0ull);
			break;
		case OPT_CHUNK:
			o->chunk = number("--chunk", optarg, 1, MIGSRV_BUF);
			break;
		case OPT_INTERVAL:
			o->interval_us = number("--interval-us", optarg, 0,
						60000000);
			break;
		case OPT_TIMEOUT:
			o->timeout_s = number("--timeout", optarg, 0, 86400);
			break;
		case OPT_READY:
			o->ready_file = optarg;
			break;
		case OPT_STOP:
			o->stop_file = optarg;
			break;
		case OPT_DELAY:
			o->delay_ms = number("--handover-delay-ms", optarg, 0,
					     3600000);
			break;
		}
	}
	npos = o->mode == MODE_RESUME ? 0 : 2;
	if (argc - optind != npos)
		usage_error("%s takes %s", argv[1],
			    npos ? "ADDR PORT" : "no operands");
	if (npos) {
		o->addr = argv[optind];
		o->port = number("PORT", argv[optind + 1], 1, 65535);
	}
	if (o->mode != MODE_PEER && !o->state)
		usage_error("%s needs --state FILE", argv[1]);
	if (o->mode == MODE_SERVE && !(o->given & OPT_TIMEOUT))
		o->timeout_s = 0;
}

int main(int argc, char **argv)
{
	struct migsrv m = {
		.o = {
			.conns = 1, .bytes = 1000000, .seed = 1, .chunk = 1000,
			.interval_us = 2000, .timeout_s = 120,
		},
		.lfd = -1,
	};
	int sig;

	saved_argv = argv;
	parse_args(argc, argv, &m.o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	m.server = m.o.mode != MODE_PEER;
	m.c = calloc(MIGSRV_MAX_CONNS, sizeof(*m.c));
	m.pfd = calloc(MIGSRV_MAX_CONNS + 2, sizeof(*m.pfd));
	if (!m.c || !m.pfd)
		fatal("out of memory");
	if (m.server)
		setup_signals();
	if (m.o.mode == MODE_RESUME) {
		read_state(&m);
		if (m.o.conns < m.n || m.o.conns > MIGSRV_MAX_CONNS ||
		    !m.o.chunk || m.o.chunk > MIGSRV_BUF)
			fatal("resume: %s: %u connections, --conns %u, chunk %u",
			      m.o.state, m.n, m.o.conns, m.o.chunk);
		m.accepted = m.n;
	}
	m.max_conns = m.o.conns;
	m.start = now_ns();
	if (m.o.timeout_s)
		m.deadline = m.start + m.o.timeout_s * NSEC;
	if (m.o.mode == MODE_SERVE)
		serve_listen(&m);
	else if (m.o.mode == MODE_RESUME)
		take_fds(&m);
	else
		peer_connect(&m);
	if (m.server)
		close_listen(&m);
	sig = run(&m);
	if (sig)
		quiesce(&m, sig);
	return report(&m);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * flow: byte-exact test streams over TCP or UDP, for the selftests, the
 * demo and the benchmarks.
 *
 *   flow recv tcp|udp ADDR PORT [--bytes N] [--seed K] [--timeout S]
 *   flow send tcp|udp ADDR PORT --bytes N [--seed K] [--chunk B]
 *                                [--interval-us U] [--stop-file F]
 *
 * The sender writes a seeded pseudo-random stream in chunks of B bytes, one
 * every U microseconds on absolute deadlines (so that it keeps its pace
 * while the path is frozen), and says "started" on stderr once the first
 * chunk is out. It stops after N bytes, or as soon as file F exists: a
 * test then decides when the stream ends, however slowly its own commands
 * run. The receiver says "ready" on stderr once it listens, regenerates
 * the same stream and compares every byte it receives with it; with
 * --bytes it also requires exactly N bytes. Each prints one JSON line:
 * bytes, a 64-bit FNV-1a digest, and for the receiver the offset of the
 * first wrong byte (-1 if none), the longest gap between two arrivals in
 * milliseconds and, for UDP, the datagrams and the first order error.
 * Exit status: 0 when the receiver got exactly the stream, 1 otherwise, 2
 * on a usage error.
 *
 * UDP datagrams carry a 32-bit sequence number before their slice of the
 * stream; a datagram with sequence 0xffffffff and the count ends it.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLOW_END	0xffffffffu
#define FLOW_MAX_CHUNK	60000

struct flow_opts {
	int tcp;
	const char *addr;
	int port;
	unsigned long long bytes;
	unsigned long long seed;
	unsigned int chunk;
	unsigned int interval_us;
	unsigned int timeout_s;
	const char *stop_file;
};

/* xorshift64*: the stream's bytes, the same on both sides. */
struct flow_rng {
	uint64_t s;
	uint64_t word;
	unsigned int left;
};

static void rng_init(struct flow_rng *r, uint64_t seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ull + 1;
	r->left = 0;
}

static uint8_t rng_byte(struct flow_rng *r)
{
	uint8_t b;

	if (!r->left) {
		r->s ^= r->s >> 12;
		r->s ^= r->s << 25;
		r->s ^= r->s >> 27;
		r->word = r->s * 0x2545f4914f6cdd1dull;
		r->left = 8;
	}
	b = (uint8_t)r->word;
	r->word >>= 8;
	r->left--;
	return b;
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int flow_addr(const struct flow_opts *o, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, o->addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(o->port);
		*len = sizeof(*s4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, o->addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(o->port);
		*len = sizeof(*s6);
		return AF_INET6;
	}
	fprintf(stderr, "flow: bad address '%s'\n", o->addr);
	exit(2);
}

static void die(const char *what)
{
	printf("{\"error\":\"%s: %s\"}\n", what, strerror(errno));
	exit(1);
}

static void flow_send(const struct flow_opts *o)
{
	static uint8_t buf[4 + FLOW_MAX_CHUNK];
	unsigned long long sent = 0;
	struct sockaddr_storage ss;
	struct timespec next;
	uint64_t h = 0xcbf29ce484222325ull;
	struct flow_rng rng;
	uint32_t seq = 0;
	socklen_t len;
	int fd, fam, one = 1;
	size_t hdr, n, i;

	fam = flow_addr(o, &ss, &len);
	fd = socket(fam, o->tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (o->tcp) {
		if (connect(fd, (struct sockaddr *)&ss, len))
			die("connect");
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	hdr = o->tcp ? 0 : 4;
	rng_init(&rng, o->seed);
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (sent < o->bytes) {
		n = o->bytes - sent < o->chunk ? o->bytes - sent : o->chunk;
		for (i = 0; i < n; i++)
			buf[hdr + i] = rng_byte(&rng);
		h = fnv1a(h, buf + hdr, n);
		if (o->tcp) {
			for (i = 0; i < n;) {
				ssize_t w = write(fd, buf + i, n - i);

				if (w < 0)
					die("write");
				i += w;
			}
		} else {
			uint32_t be = htonl(seq++);

			memcpy(buf, &be, 4);
			if (sendto(fd, buf, 4 + n, 0, (struct sockaddr *)&ss, len) < 0)
				die("sendto");
		}
		if (!sent)
			fprintf(stderr, "started\n");
		sent += n;
		if (o->stop_file && !access(o->stop_file, F_OK))
			break;
		if (o->interval_us) {
			next.tv_nsec += o->interval_us * 1000L;
			while (next.tv_nsec >= 1000000000L) {
				next.tv_nsec -= 1000000000L;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
	}
	if (o->tcp) {
		char c;

		/* The receiver closes once it has everything. */
		shutdown(fd, SHUT_WR);
		if (read(fd, &c, 1) < 0)
			die("read");
	} else {
		uint32_t end[2] = { htonl(FLOW_END), htonl(seq) };

		if (sendto(fd, end, sizeof(end), 0, (struct sockaddr *)&ss, len) < 0)
			die("sendto");
	}
	printf("{\"sent\":%llu,\"digest\":\"%016llx\"}\n", sent,
	       (unsigned long long)h);
}

static void flow_recv(const struct flow_opts *o)
{
	static uint8_t buf[65536];
	long long mismatch = -1, datagrams = 0;
	unsigned long long got = 0;
	uint64_t h = 0xcbf29ce484222325ull;
	struct sockaddr_storage ss;
	double last = 0, gap = 0, t;
	char order[128] = "";
	struct flow_rng rng;
	struct pollfd pfd;
	uint32_t expect = 0;
	int fd, lfd, fam, one = 1, rcvbuf = 4 << 20;
	socklen_t len;
	ssize_t n, i;

	fam = flow_addr(o, &ss, &len);
	lfd = socket(fam, o->tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(lfd, (struct sockaddr *)&ss, len))
		die("bind");
	if (o->tcp && listen(lfd, 1))
		die("listen");
	fprintf(stderr, "ready\n");
	fd = lfd;
	pfd.events = POLLIN;
	if (o->tcp) {
		pfd.fd = lfd;
		if (poll(&pfd, 1, o->timeout_s * 1000) != 1)
			die("accept: timeout");
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
	}
	rng_init(&rng, o->seed);
	pfd.fd = fd;
	for (;;) {
		if (poll(&pfd, 1, o->timeout_s * 1000) != 1) {
			snprintf(order, sizeof(order), "timeout after %llu bytes", got);
			break;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		t = now_s();
		if (last && t - last > gap)
			gap = t - last;
		last = t;
		if (o->tcp && !n)
			break;
		i = 0;
		if (!o->tcp) {
			uint32_t seq;

			if (n < 4)
				continue;
			memcpy(&seq, buf, 4);
			seq = ntohl(seq);
			if (seq == FLOW_END) {
				uint32_t count = 0;

				if (n >= 8)
					memcpy(&count, buf + 4, 4);
				if (ntohl(count) != expect && !order[0])
					snprintf(order, sizeof(order),
						 "sender sent %u datagrams, %u received",
						 ntohl(count), expect);
				break;
			}
			if (seq != expect && !order[0])
				snprintf(order, sizeof(order),
					 "datagram %u where %u was due", seq, expect);
			expect = seq + 1;
			datagrams++;
			i = 4;
		}
		h = fnv1a(h, buf + i, n - i);
		for (; i < n; i++, got++)
			if (rng_byte(&rng) != buf[i] && mismatch < 0)
				mismatch = got;
	}
	if (o->tcp)
		close(fd);
	if (o->bytes && got != o->bytes && mismatch < 0)
		mismatch = got < o->bytes ? (long long)got : (long long)o->bytes;
	printf("{\"received\":%llu,\"digest\":\"%016llx\",", got,
	       (unsigned long long)h);
	printf("\"mismatch_at\":%lld,\"max_gap_ms\":%.1f", mismatch, gap * 1000);
	if (!o->tcp)
		printf(",\"datagrams\":%lld", datagrams);
	printf(",\"error\":\"%s\"}\n", order);
	exit(mismatch < 0 && !order[0] ? 0 : 1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: flow recv tcp|udp ADDR PORT [--bytes N] [--seed K] [--timeout S]\n"
		"       flow send tcp|udp ADDR PORT --bytes N [--seed K] [--chunk B]\n"
		"                                  [--interval-us U] [--stop-file F]\n");
	exit(2);
}

static unsigned long long number(const char *s, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bytes", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "interval-us", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "stop-file", required_argument, NULL, 'f' },
		{}
	};
	struct flow_opts o = {
		.seed = 1, .chunk = 1000, .interval_us = 2000, .timeout_s = 60,
	};
	int c, recv;

	if (argc < 5)
		usage();
	recv = !strcmp(argv[1], "recv");
	if (!recv && strcmp(argv[1], "send"))
		usage();
	o.tcp = !strcmp(argv[2], "tcp");
	if (!o.tcp && strcmp(argv[2], "udp"))
		usage();
	o.addr = argv[3];
	o.port = (int)number(argv[4], 65535);
	optind = 5;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o.bytes = number(optarg, 1ull << 40);
			break;
		case 's':
			o.seed = number(optarg, ~0ull);
			break;
		case 'c':
			o.chunk = (unsigned int)number(optarg, FLOW_MAX_CHUNK);
			break;
		case 'i':
			o.interval_us = (unsigned int)number(optarg, 10000000);
			break;
		case 't':
			o.timeout_s = (unsigned int)number(optarg, 3600);
			break;
		case 'f':
			o.stop_file = optarg;
			break;
		default:
			usage();
		}
	}
	if ((!recv && !o.bytes) || !o.chunk || optind != argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (recv)
		flow_recv(&o);
	else
		flow_send(&o);
	return 0;
}

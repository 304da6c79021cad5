// SPDX-License-Identifier: GPL-2.0
/*
 * vnif: create and drive vnif pairs (see include/uapi/linux/vnif.h and
 * Documentation/vnif-tool.md).
 *
 *   attach  RTM_NEWLINK of kind "vnif", the inner end created directly in
 *           the container's netns, then its addresses and routes there
 *   detach  RTM_DELLINK of a vnif end
 *   freeze, thaw, show, dump, load
 *           the generic netlink family "vnif"
 *
 * Every netlink socket asks for extended acks, and the kernel's message is
 * printed with the error: "vnif: freeze eth0: the pair is already frozen
 * (Device or resource busy)". Exit status: 0 done, 1 failed, 2 usage.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/rtnetlink.h>
#include <linux/vnif.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"
#include "pcap.h"

#define VNIF_TOOL_VERSION	"1.0"

const char *const vnl_prog = "vnif";

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* attach: how many --address options one call takes. */
#define MAX_ADDRS	32
/* load: the biggest file taken. */
#define LOAD_FILE_MAX	(1024ULL * 1024 * 1024)
/* dump: tries when frames leave the queue while it is read. */
#define DUMP_TRIES	5

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * tests/fuzz builds the tool with VNIF_FUZZ_ARGS and -Dmain=vnif_main to
 * fuzz its argument parsers: each command then returns once its arguments
 * are parsed and checked, before any socket, file or namespace is touched.
 */
#ifdef VNIF_FUZZ_ARGS
#define PARSE_ONLY	true
int main(int argc, char **argv);
#else
#define PARSE_ONLY	false
#endif

struct cmd {
	const char *name;
	int (*run)(const struct cmd *c, int argc, char **argv);
	const char *summary;
	const char *help;
};

/* Errors */

/* nl.c's, which vnif and the netlink helpers share: "vnif: ..." */
#define err(...)	vnl_err(__VA_ARGS__)
#define oom()		vnl_oom()

/* A usage error of @c, with a one-line hint; returns EXIT_USAGE. */
__attribute__((format(printf, 2, 3)))
static int usage_err(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vnif: %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vnif %s --help' for more information.\n",
		c->name);
	return EXIT_USAGE;
}

/* Argument parsing */

/*
 * A decimal number in [@min, @max]: digits only, no sign, no spaces, no
 * suffix. 0, or EXIT_USAGE after saying what is wrong with it.
 */
static int parse_num(const struct cmd *c, const char *opt, const char *s,
		     unsigned long long min, unsigned long long max,
		     unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s)
		return usage_err(c, "%s: empty number", opt);
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return usage_err(c, "%s: '%s' is not a decimal number",
					 opt, s);
		if (v > (ULLONG_MAX - (*p - '0')) / 10)
			return usage_err(c, "%s: %s is out of range (%llu..%llu)",
					 opt, s, min, max);
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return usage_err(c, "%s: %s is out of range (%llu..%llu)",
				 opt, s, min, max);
	*out = v;
	return 0;
}

static int parse_u32(const struct cmd *c, const char *opt, const char *s,
		     uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	int ret = parse_num(c, opt, s, min, max, &v);

	if (!ret)
		*out = v;
	return ret;
}

/* SECONDS, with up to three decimals, into milliseconds. */
static int parse_seconds(const struct cmd *c, const char *opt, const char *s,
			 uint32_t max_ms, uint32_t *ms)
{
	char whole[16], frac[4] = "000";
	const char *dot = strchr(s, '.');
	size_t wlen = dot ? (size_t)(dot - s) : strlen(s);
	unsigned long long sec, f;
	size_t i;

	if (!wlen || wlen >= sizeof(whole))
		goto bad;
	memcpy(whole, s, wlen);
	whole[wlen] = 0;
	if (dot) {
		size_t flen = strlen(dot + 1);

		if (!flen || flen > 3)
			return usage_err(c, "%s: '%s': give seconds with at most 3 decimals",
					 opt, s);
		for (i = 0; i < flen; i++) {
			if (dot[1 + i] < '0' || dot[1 + i] > '9')
				goto bad;
			frac[i] = dot[1 + i];
		}
	}
	for (i = 0; i < wlen; i++)
		if (whole[i] < '0' || whole[i] > '9')
			goto bad;
	sec = strtoull(whole, NULL, 10);
	f = strtoull(frac, NULL, 10);
	if (sec > max_ms / 1000 || sec * 1000 + f > max_ms)
		return usage_err(c, "%s: %s is out of range (0..%u seconds)",
				 opt, s, max_ms / 1000);
	*ms = sec * 1000 + f;
	return 0;
bad:
	return usage_err(c, "%s: '%s' is not a number of seconds", opt, s);
}

static int parse_ifname(const struct cmd *c, const char *opt, const char *s)
{
	if (!*s)
		return usage_err(c, "%s: empty interface name", opt);
	if (strlen(s) >= IFNAMSIZ)
		return usage_err(c, "%s: interface name '%s' is longer than %d bytes",
				 opt, s, IFNAMSIZ - 1);
	return 0;
}

/* The one operand IFACE left after the options: 0, or a usage error. */
static int iface_operand(const struct cmd *c, int argc, char **argv,
			 const char **ifname)
{
	if (optind >= argc)
		return usage_err(c, "missing IFACE");
	if (optind + 1 < argc)
		return usage_err(c, "unexpected argument '%s'", argv[optind + 1]);
	*ifname = argv[optind];
	return parse_ifname(c, "IFACE", *ifname);
}

static int parse_policy(const struct cmd *c, const char *s, uint8_t *policy)
{
	if (!strcmp(s, "release"))
		*policy = VNIF_DEADLINE_RELEASE;
	else if (!strcmp(s, "drop"))
		*policy = VNIF_DEADLINE_DROP;
	else
		return usage_err(c, "--deadline-policy: '%s' is neither 'release' nor 'drop'",
				 s);
	return 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* xx:xx:xx:xx:xx:xx, two hex digits each. */
static int parse_mac(const struct cmd *c, const char *s, uint8_t mac[ETH_ALEN])
{
	int i, hi, lo;

	if (strlen(s) != 3 * ETH_ALEN - 1)
		goto bad;
	for (i = 0; i < ETH_ALEN; i++) {
		hi = hexval(s[3 * i]);
		lo = hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < ETH_ALEN - 1 && s[3 * i + 2] != ':'))
			goto bad;
		mac[i] = hi << 4 | lo;
	}
	return 0;
bad:
	return usage_err(c, "--mac: '%s' is not a MAC address (xx:xx:xx:xx:xx:xx)",
			 s);
}

struct ipaddr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;
	char text[INET6_ADDRSTRLEN + 8];
};

static int addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* An IPv4 or IPv6 address; with @cidr, an optional /PREFIX too. */
static int parse_ip(const struct cmd *c, const char *opt, const char *s,
		    bool cidr, struct ipaddr *a)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = cidr ? strchr(s, '/') : NULL;
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long long plen;

	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (inet_pton(AF_INET, buf, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, a->addr) == 1)
		a->family = AF_INET6;
	else
		goto bad;
	a->plen = addr_len(a->family) * 8;
	if (slash) {
		if (parse_num(c, opt, slash + 1, 0, a->plen, &plen))
			return EXIT_USAGE;
		a->plen = plen;
	}
	snprintf(a->text, sizeof(a->text), "%s", s);
	return 0;
bad:
	return usage_err(c, "%s: '%s' is not an IPv4 or IPv6 %s", opt, s,
			 cidr ? "address[/prefix]" : "address");
}

/*
 * getopt_long() over a command's options, with our own messages: an
 * unknown option or a missing argument is a usage error (returns -2 after
 * saying so; the caller returns EXIT_USAGE).
 */
static int next_opt(const struct cmd *c, int argc, char **argv,
		    const char *shortopts, const struct option *longopts)
{
	int opt;

	opterr = 0;
	opt = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (opt == '?') {
		if (optopt)
			usage_err(c, "unknown option '-%c'", optopt);
		else
			usage_err(c, "unknown option '%s'", argv[optind - 1]);
		return -2;
	}
	if (opt == ':') {
		usage_err(c, "option '%s' needs an argument", argv[optind - 1]);
		return -2;
	}
	return opt;
}

static void print_help(const struct cmd *c, FILE *f)
{
	fputs(c->help, f);
}

/* Netlink: the vnif family */

/* What VNIF_CMD_GET says of one end. */
struct vnif_info {
	uint32_t ifindex;
	uint32_t peer_ifindex;
	char ifname[IFNAMSIZ];
	bool inner;
	uint8_t state;
	uint8_t policy;
	uint32_t limit_packets;
	uint32_t limit_bytes;
	uint32_t deadline_ms;
	uint32_t deadline_left_ms;
	bool has_left;
	unsigned long long stats[__VNIF_DIR_MAX][VNIF_STATS_MAX + 1];
};

static struct nla_policy vnif_get_policy[VNIF_A_MAX + 1] = {
	[VNIF_A_IFINDEX]	= { .type = NLA_U32 },
	[VNIF_A_IFNAME]		= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[VNIF_A_PEER_IFINDEX]	= { .type = NLA_U32 },
	[VNIF_A_INNER]		= { .type = NLA_U8 },
	[VNIF_A_STATE]		= { .type = NLA_U8 },
	[VNIF_A_LIMIT_PACKETS]	= { .type = NLA_U32 },
	[VNIF_A_LIMIT_BYTES]	= { .type = NLA_U32 },
	[VNIF_A_DEADLINE_MS]	= { .type = NLA_U32 },
	[VNIF_A_DEADLINE_POLICY] = { .type = NLA_U8 },
	[VNIF_A_DEADLINE_LEFT_MS] = { .type = NLA_U32 },
	[VNIF_A_STATS_INGRESS]	= { .type = NLA_NESTED },
	[VNIF_A_STATS_EGRESS]	= { .type = NLA_NESTED },
	[VNIF_A_PKT]		= { .type = NLA_NESTED },
};

static struct nla_policy vnif_stats_policy[VNIF_STATS_MAX + 1] = {
	[VNIF_STATS_HELD]		= { .type = NLA_U64 },
	[VNIF_STATS_HELD_BYTES]		= { .type = NLA_U64 },
	[VNIF_STATS_HELD_TOTAL]		= { .type = NLA_U64 },
	[VNIF_STATS_RELEASED]		= { .type = NLA_U64 },
	[VNIF_STATS_LOADED]		= { .type = NLA_U64 },
	[VNIF_STATS_DROP_LIMIT]		= { .type = NLA_U64 },
	[VNIF_STATS_DROP_DEADLINE]	= { .type = NLA_U64 },
	[VNIF_STATS_DROP_DOWN]		= { .type = NLA_U64 },
	[VNIF_STATS_DROP_REFUSED]	= { .type = NLA_U64 },
	[VNIF_STATS_MOVED]		= { .type = NLA_U64 },
	[VNIF_STATS_HIGH_WATER]		= { .type = NLA_U64 },
	[VNIF_STATS_DEADLINES]		= { .type = NLA_U64 },
};

static struct nla_policy vnif_pkt_policy[VNIF_PKT_MAX_ATTR + 1] = {
	[VNIF_PKT_DIRECTION]	= { .type = NLA_U8 },
	[VNIF_PKT_TSTAMP_NS]	= { .type = NLA_U64 },
	[VNIF_PKT_LEN]		= { .type = NLA_U32 },
	[VNIF_PKT_PROTOCOL]	= { .type = NLA_U16 },
	[VNIF_PKT_DATA]		= { .type = NLA_UNSPEC },
};

static int parse_stats(struct nlattr *nest, unsigned long long *stats)
{
	struct nlattr *tb[VNIF_STATS_MAX + 1];
	int i;

	if (!nest)
		return 0;
	if (nla_parse_nested(tb, VNIF_STATS_MAX, nest, vnif_stats_policy) < 0)
		return -EPROTO;
	for (i = 1; i <= VNIF_STATS_MAX; i++)
		if (tb[i])
			stats[i] = nla_get_u64(tb[i]);
	return 0;
}

static int parse_info(struct nlmsghdr *nlh, struct vnif_info *vi)
{
	struct nlattr *tb[VNIF_A_MAX + 1];

	memset(vi, 0, sizeof(*vi));
	if (genlmsg_parse(nlh, 0, tb, VNIF_A_MAX, vnif_get_policy) < 0 ||
	    !tb[VNIF_A_IFINDEX] || !tb[VNIF_A_IFNAME] || !tb[VNIF_A_STATE])
		return -EPROTO;
	vi->ifindex = nla_get_u32(tb[VNIF_A_IFINDEX]);
	snprintf(vi->ifname, sizeof(vi->ifname), "%s",
		 nla_get_string(tb[VNIF_A_IFNAME]));
	if (tb[VNIF_A_PEER_IFINDEX])
		vi->peer_ifindex = nla_get_u32(tb[VNIF_A_PEER_IFINDEX]);
	if (tb[VNIF_A_INNER])
		vi->inner = nla_get_u8(tb[VNIF_A_INNER]);
	vi->state = nla_get_u8(tb[VNIF_A_STATE]);
	if (tb[VNIF_A_DEADLINE_POLICY])
		vi->policy = nla_get_u8(tb[VNIF_A_DEADLINE_POLICY]);
	if (tb[VNIF_A_LIMIT_PACKETS])
		vi->limit_packets = nla_get_u32(tb[VNIF_A_LIMIT_PACKETS]);
	if (tb[VNIF_A_LIMIT_BYTES])
		vi->limit_bytes = nla_get_u32(tb[VNIF_A_LIMIT_BYTES]);
	if (tb[VNIF_A_DEADLINE_MS])
		vi->deadline_ms = nla_get_u32(tb[VNIF_A_DEADLINE_MS]);
	if (tb[VNIF_A_DEADLINE_LEFT_MS]) {
		vi->deadline_left_ms = nla_get_u32(tb[VNIF_A_DEADLINE_LEFT_MS]);
		vi->has_left = true;
	}
	if (parse_stats(tb[VNIF_A_STATS_INGRESS], vi->stats[VNIF_DIR_INGRESS]) ||
	    parse_stats(tb[VNIF_A_STATS_EGRESS], vi->stats[VNIF_DIR_EGRESS]))
		return -EPROTO;
	return 0;
}

static int get_one_parse(struct nl_msg *msg, void *arg)
{
	return parse_info(nlmsg_hdr(msg), arg);
}

/* VNIF_CMD_GET of @ifname; on failure, says so with @what. */
static int vnif_get(struct nl_sock *gsk, const char *ifname,
		    struct vnif_info *vi, const char *what)
{
	struct vnl_req q = { .parse = get_one_parse, .arg = vi };

	vi->ifindex = 0;
	if (vnl_talk(gsk, vnl_genl_msg(VNIF_CMD_GET, 0, ifname, 0), &q) ||
	    !vi->ifindex) {
		if (!q.error && !q.parse_err)
			q.parse_err = EPROTO;
		vnl_report(what, &q);
		return -1;
	}
	return 0;
}

/* freeze, thaw */

static const struct cmd *find_cmd(const char *name);

static int cmd_freeze(const struct cmd *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit-packets", required_argument, NULL, 'p' },
		{ "limit-bytes", required_argument, NULL, 'b' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "deadline-policy", required_argument, NULL, 'P' },
		{ "require-up", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	uint32_t packets = 0, bytes = 0, deadline = 0, flags = 0;
	bool has_deadline = false, has_policy = false;
	struct vnl_req q = {};
	const char *ifname;
	struct nl_sock *sk;
	struct nl_msg *msg;
	uint8_t policy = 0;
	char what[64];
	int opt;

	while ((opt = next_opt(c, argc, argv, ":h", opts)) != -1) {
		switch (opt) {
		case 'p':
			if (parse_u32(c, "--limit-packets", optarg, 1,
				      VNIF_LIMIT_PACKETS_MAX, &packets))
				return EXIT_USAGE;
			break;
		case 'b':
			if (parse_u32(c, "--limit-bytes", optarg,
				      VNIF_LIMIT_BYTES_MIN, VNIF_LIMIT_BYTES_MAX,
				      &bytes))
				return EXIT_USAGE;
			break;
		case 'd':
			if (parse_seconds(c, "--deadline", optarg,
					  VNIF_DEADLINE_MS_MAX, &deadline))
				return EXIT_USAGE;
			has_deadline = true;
			break;
		case 'P':
			if (parse_policy(c, optarg, &policy))
				return EXIT_USAGE;
			has_policy = true;
			break;
		case 'u':
			flags |= VNIF_FREEZE_F_REQUIRE_UP;
			break;
		case 'h':
			print_help(c, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (iface_operand(c, argc, argv, &ifname))
		return EXIT_USAGE;
	if (PARSE_ONLY)
		return EXIT_OK;

	sk = vnl_genl_open();
	if (!sk)
		return EXIT_FAIL;
	msg = vnl_genl_msg(VNIF_CMD_FREEZE, 0, ifname, 0);
	if (packets)
		vnl_check(nla_put_u32(msg, VNIF_A_LIMIT_PACKETS, packets));
	if (bytes)
		vnl_check(nla_put_u32(msg, VNIF_A_LIMIT_BYTES, bytes));
	if (has_deadline)
		vnl_check(nla_put_u32(msg, VNIF_A_DEADLINE_MS, deadline));
	if (has_policy)
		vnl_check(nla_put_u8(msg, VNIF_A_DEADLINE_POLICY, policy));
	if (flags)
		vnl_check(nla_put_u32(msg, VNIF_A_FLAGS, flags));
	snprintf(what, sizeof(what), "freeze %s", ifname);
	if (vnl_talk(sk, msg, &q)) {
		vnl_report(what, &q);
		nl_socket_free(sk);
		return EXIT_FAIL;
	}
	nl_socket_free(sk);
	return EXIT_OK;
}

/* Commands that take IFACE and nothing else. */
static int one_iface(const struct cmd *c, int argc, char **argv,
		     const char **ifname)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int opt;

	while ((opt = next_opt(c, argc, argv, ":h", opts)) != -1) {
		if (opt == 'h') {
			print_help(c, stdout);
			return -1;
		}
		return EXIT_USAGE;
	}
	return iface_operand(c, argc, argv, ifname);
}

static int cmd_thaw(const struct cmd *c, int argc, char **argv)
{
	struct vnl_req q = {};
	const char *ifname;
	struct nl_sock *sk;
	char what[64];
	int ret;

	ret = one_iface(c, argc, argv, &ifname);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (PARSE_ONLY)
		return EXIT_OK;
	sk = vnl_genl_open();
	if (!sk)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "thaw %s", ifname);
	ret = vnl_talk(sk, vnl_genl_msg(VNIF_CMD_THAW, 0, ifname, 0), &q);
	if (ret)
		vnl_report(what, &q);
	nl_socket_free(sk);
	return ret ? EXIT_FAIL : EXIT_OK;
}

/* show */

static const char *state_name(uint8_t state)
{
	switch (state) {
	case VNIF_STATE_PASS:
		return "pass";
	case VNIF_STATE_HOLD:
		return "hold";
	case VNIF_STATE_RELEASE:
		return "release";
	default:
		return "unknown";
	}
}

static const char *policy_name(uint8_t policy)
{
	switch (policy) {
	case VNIF_DEADLINE_RELEASE:
		return "release";
	case VNIF_DEADLINE_DROP:
		return "drop";
	default:
		return "unknown";
	}
}

/* Milliseconds as seconds: "30", "1.5", "12.345". */
static const char *fmt_secs(uint32_t ms, char *buf, size_t len)
{
	uint32_t frac = ms % 1000;

	if (!frac)
		snprintf(buf, len, "%u", ms / 1000);
	else if (frac % 100 == 0)
		snprintf(buf, len, "%u.%u", ms / 1000, frac / 100);
	else if (frac % 10 == 0)
		snprintf(buf, len, "%u.%02u", ms / 1000, frac / 10);
	else
		snprintf(buf, len, "%u.%03u", ms / 1000, frac);
	return buf;
}

static void print_json_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			/* Names are bytes: anything not ASCII as a code point. */
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static const char *const dir_names[__VNIF_DIR_MAX] = {
	[VNIF_DIR_INGRESS] = "ingress",
	[VNIF_DIR_EGRESS] = "egress",
};

static void show_text(const struct vnif_info *vi)
{
	char peer[IFNAMSIZ], a[16], b[16];
	const unsigned long long *s;
	int d;

	printf("%s: %s end (ifindex %u), ", vi->ifname,
	       vi->inner ? "inner" : "outer", vi->ifindex);
	if (!vi->peer_ifindex)
		printf("peer in another network namespace\n");
	else if (if_indextoname(vi->peer_ifindex, peer))
		printf("peer %s (ifindex %u)\n", peer, vi->peer_ifindex);
	else
		printf("peer ifindex %u\n", vi->peer_ifindex);
	printf("    state %s\n", state_name(vi->state));
	printf("    limits %u frames, %u bytes\n",
	       vi->limit_packets, vi->limit_bytes);
	if (vi->deadline_ms)
		printf("    deadline %s s, policy %s",
		       fmt_secs(vi->deadline_ms, a, sizeof(a)),
		       policy_name(vi->policy));
	else
		printf("    deadline none, policy %s", policy_name(vi->policy));
	if (vi->has_left)
		printf(", %s s left", fmt_secs(vi->deadline_left_ms, b, sizeof(b)));
	putchar('\n');
	for (d = 0; d < __VNIF_DIR_MAX; d++) {
		s = vi->stats[d];
		printf("    %s (%s):\n", dir_names[d],
		       d == VNIF_DIR_INGRESS ? "outer -> inner" : "inner -> outer");
		printf("        held now %llu frames, %llu bytes; held total %llu; high water %llu\n",
		       s[VNIF_STATS_HELD], s[VNIF_STATS_HELD_BYTES],
		       s[VNIF_STATS_HELD_TOTAL], s[VNIF_STATS_HIGH_WATER]);
		printf("        released %llu, loaded %llu, moved %llu\n",
		       s[VNIF_STATS_RELEASED], s[VNIF_STATS_LOADED],
		       s[VNIF_STATS_MOVED]);
		printf("        dropped: limit %llu, deadline %llu, down %llu, refused %llu; deadlines expired %llu\n",
		       s[VNIF_STATS_DROP_LIMIT], s[VNIF_STATS_DROP_DEADLINE],
		       s[VNIF_STATS_DROP_DOWN], s[VNIF_STATS_DROP_REFUSED],
		       s[VNIF_STATS_DEADLINES]);
	}
}

static void show_json(const struct vnif_info *vi)
{
	char peer[IFNAMSIZ];
	const unsigned long long *s;
	int d;

	printf("{\"ifindex\":%u,\"ifname\":", vi->ifindex);
	print_json_string(vi->ifname);
	printf(",\"end\":\"%s\",\"peer_ifindex\":%u,\"peer_ifname\":",
	       vi->inner ? "inner" : "outer", vi->peer_ifindex);
	if (vi->peer_ifindex && if_indextoname(vi->peer_ifindex, peer))
		print_json_string(peer);
	else
		printf("null");
	printf(",\"state\":\"%s\",\"limit_packets\":%u,\"limit_bytes\":%u",
	       state_name(vi->state), vi->limit_packets, vi->limit_bytes);
	printf(",\"deadline_ms\":%u,\"deadline_policy\":\"%s\",\"deadline_left_ms\":",
	       vi->deadline_ms, policy_name(vi->policy));
	if (vi->has_left)
		printf("%u", vi->deadline_left_ms);
	else
		printf("null");
	for (d = 0; d < __VNIF_DIR_MAX; d++) {
		s = vi->stats[d];
		printf(",\"%s\":{\"held\":%llu,\"held_bytes\":%llu,\"held_total\":%llu",
		       dir_names[d], s[VNIF_STATS_HELD], s[VNIF_STATS_HELD_BYTES],
		       s[VNIF_STATS_HELD_TOTAL]);
		printf(",\"released\":%llu,\"loaded\":%llu,\"moved\":%llu",
		       s[VNIF_STATS_RELEASED], s[VNIF_STATS_LOADED],
		       s[VNIF_STATS_MOVED]);
		printf(",\"dropped\":{\"limit\":%llu,\"deadline\":%llu,\"down\":%llu,\"refused\":%llu}",
		       s[VNIF_STATS_DROP_LIMIT], s[VNIF_STATS_DROP_DEADLINE],
		       s[VNIF_STATS_DROP_DOWN], s[VNIF_STATS_DROP_REFUSED]);
		printf(",\"high_water\":%llu,\"deadlines\":%llu}",
		       s[VNIF_STATS_HIGH_WATER], s[VNIF_STATS_DEADLINES]);
	}
	putchar('}');
}

struct show_ctx {
	bool json;
	unsigned long count;
};

static void show_one(struct show_ctx *sc, const struct vnif_info *vi)
{
	if (sc->json) {
		if (sc->count)
			putchar(',');
		show_json(vi);
	} else {
		show_text(vi);
	}
	sc->count++;
}

/* Each end of a dump is printed as it comes: nothing accumulates. */
static int show_dump_parse(struct nl_msg *msg, void *arg)
{
	struct vnif_info vi;
	int ret;

	ret = parse_info(nlmsg_hdr(msg), &vi);
	if (ret)
		return ret;
	show_one(arg, &vi);
	return 0;
}

static int cmd_show(const struct cmd *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct show_ctx sc = {};
	const char *ifname = NULL;
	struct vnif_info vi;
	struct vnl_req q = {};
	struct nl_sock *sk;
	char what[64];
	int opt, ret = EXIT_OK;

	while ((opt = next_opt(c, argc, argv, ":hj", opts)) != -1) {
		switch (opt) {
		case 'j':
			sc.json = true;
			break;
		case 'h':
			print_help(c, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ifname = argv[optind];
		if (parse_ifname(c, "IFACE", ifname))
			return EXIT_USAGE;
	}
	if (optind + 1 < argc)
		return usage_err(c, "unexpected argument '%s'", argv[optind + 1]);
	if (PARSE_ONLY)
		return EXIT_OK;

	sk = vnl_genl_open();
	if (!sk)
		return EXIT_FAIL;
	if (ifname) {
		snprintf(what, sizeof(what), "show %s", ifname);
		if (vnif_get(sk, ifname, &vi, what)) {
			ret = EXIT_FAIL;
			goto out;
		}
		if (sc.json)
			putchar('[');
		show_one(&sc, &vi);
	} else {
		if (sc.json)
			putchar('[');
		q.parse = show_dump_parse;
		q.arg = &sc;
		if (vnl_talk(sk, vnl_genl_msg(VNIF_CMD_GET, NLM_F_DUMP, NULL, 0), &q)) {
			fflush(stdout);
			vnl_report("show", &q);
			ret = EXIT_FAIL;
		}
	}
	if (sc.json)
		printf("]\n");
	if (fflush(stdout) || ferror(stdout)) {
		err("show: cannot write the output: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
out:
	nl_socket_free(sk);
	return ret;
}

/* dump */

/*
 * While a dump writes its temporary file, the signals that would end the
 * tool are blocked, and looked for between frames: an interrupted dump
 * removes its file, then unblocks them and ends as they ask. No handler
 * has to clean up behind the program's back.
 */
static const int stop_sigs[] = { SIGINT, SIGTERM, SIGHUP };

static void stop_signals(sigset_t *set, sigset_t *old)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < ARRAY_SIZE(stop_sigs); i++)
		sigaddset(set, stop_sigs[i]);
	sigprocmask(SIG_BLOCK, set, old);
}

static bool signal_pending(const sigset_t *set)
{
	sigset_t pending;
	size_t i;

	if (sigpending(&pending))
		return false;
	for (i = 0; i < ARRAY_SIZE(stop_sigs); i++)
		if (sigismember(set, stop_sigs[i]) &&
		    sigismember(&pending, stop_sigs[i]))
			return true;
	return false;
}

struct dump_ctx {
	FILE *f;
	const sigset_t *stop;
	unsigned long long frames[__VNIF_DIR_MAX];
	unsigned long long bytes;
};

static int dump_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VNIF_A_MAX + 1], *pt[VNIF_PKT_MAX_ATTR + 1];
	struct dump_ctx *dc = arg;
	uint64_t tstamp = 0;
	uint8_t dir;
	int len;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VNIF_A_MAX, vnif_get_policy) < 0 ||
	    !tb[VNIF_A_PKT] ||
	    nla_parse_nested(pt, VNIF_PKT_MAX_ATTR, tb[VNIF_A_PKT],
			     vnif_pkt_policy) < 0 ||
	    !pt[VNIF_PKT_DIRECTION] || !pt[VNIF_PKT_DATA])
		return -EPROTO;
	dir = nla_get_u8(pt[VNIF_PKT_DIRECTION]);
	len = nla_len(pt[VNIF_PKT_DATA]);
	if (dir >= __VNIF_DIR_MAX || len < ETH_HLEN || len > VNIF_PKT_MAX)
		return -EPROTO;
	if (signal_pending(dc->stop))
		return -EINTR;
	if (pt[VNIF_PKT_TSTAMP_NS])
		tstamp = nla_get_u64(pt[VNIF_PKT_TSTAMP_NS]);
	errno = 0;
	if (vpcap_write_packet(dc->f, tstamp,
			       dir == VNIF_DIR_INGRESS ? VPCAP_DIR_IN : VPCAP_DIR_OUT,
			       nla_data(pt[VNIF_PKT_DATA]), len, len))
		return errno ? -errno : -EIO;
	dc->frames[dir]++;
	dc->bytes += len;
	return 0;
}

/* Copies @from, from its start, to @to. */
static int copy_file(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	if (ferror(from))
		return -1;
	return fflush(to);
}

/*
 * The file a capture goes to before it is complete: beside @path, so that
 * a rename() puts it in place; or, for "-", an anonymous file that is
 * copied to stdout at the end.
 */
static FILE *open_tmp(const char *path, char **tmp)
{
	char *copy, *dir, *base;
	FILE *f;
	int fd;

	*tmp = NULL;
	if (!strcmp(path, "-"))
		return tmpfile();
	copy = strdup(path);
	if (!copy)
		oom();
	base = basename(copy);
	dir = strdup(path);
	if (!dir)
		oom();
	if (asprintf(tmp, "%s/.%s.XXXXXX", dirname(dir), base) < 0)
		oom();
	free(copy);
	free(dir);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	f = fdopen(fd, "w+");
	if (!f) {
		unlink(*tmp);
		close(fd);
	}
	return f;
}

/* Puts the finished capture in place: 0, or -1 with errno. */
static int commit_tmp(FILE *f, const char *path, const char *tmp)
{
	mode_t mask = umask(0);

	umask(mask);
	if (!tmp)
		return copy_file(f, stdout);
	/* mkstemp() made it 0600; give it the mode a new file would get. */
	if (fflush(f) || fchmod(fileno(f), 0666 & ~mask) || fsync(fileno(f)))
		return -1;
	return rename(tmp, path);
}

static int cmd_dump(const struct cmd *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *ifname, *path = NULL;
	struct dump_ctx dc = {};
	struct vnif_info vi;
	struct nl_sock *sk;
	struct vnl_req q = {};
	char what[64], *tmp = NULL;
	int opt, tries, ret = EXIT_FAIL;
	struct timespec pause;
	sigset_t stop, old;
	FILE *out;

	while ((opt = next_opt(c, argc, argv, ":hw:", opts)) != -1) {
		switch (opt) {
		case 'w':
			path = optarg;
			break;
		case 'h':
			print_help(c, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (iface_operand(c, argc, argv, &ifname))
		return EXIT_USAGE;
	if (!path)
		return usage_err(c, "missing -w FILE (- for stdout)");
	if (!*path)
		return usage_err(c, "-w: empty file name");
	snprintf(what, sizeof(what), "dump %s", ifname);
	if (!strcmp(path, "-") && isatty(STDOUT_FILENO)) {
		err("%s: not writing a binary capture to a terminal: redirect stdout or use -w FILE",
		    what);
		return EXIT_FAIL;
	}
	if (PARSE_ONLY)
		return EXIT_OK;

	sk = vnl_genl_open();
	if (!sk)
		return EXIT_FAIL;
	/* A dump that cannot start says no more than its errno: ask first. */
	if (vnif_get(sk, ifname, &vi, what)) {
		nl_socket_free(sk);
		return EXIT_FAIL;
	}
	stop_signals(&stop, &old);
	out = open_tmp(path, &tmp);
	if (!out) {
		err("%s: cannot create a temporary file for %s: %s", what,
		    strcmp(path, "-") ? path : "stdout", strerror(errno));
		goto out_sock;
	}
	dc.f = out;
	dc.stop = &stop;
	for (tries = 1; ; tries++) {
		/* A dump that failed half-way starts again from nothing. */
		memset(dc.frames, 0, sizeof(dc.frames));
		dc.bytes = 0;
		rewind(out);
		if (ftruncate(fileno(out), 0) ||
		    vpcap_write_header(out, "vnif " VNIF_TOOL_VERSION, ifname,
				       VPCAP_LINKTYPE_ETHERNET, VNIF_PKT_MAX)) {
			err("%s: cannot write the capture: %s", what,
			    strerror(errno));
			goto out_tmp;
		}
		q.parse = dump_parse;
		q.arg = &dc;
		if (!vnl_talk(sk, vnl_genl_msg(VNIF_CMD_QUEUE_GET, NLM_F_DUMP,
					       ifname, 0), &q))
			break;
		if (q.error != EAGAIN || tries == DUMP_TRIES) {
			if (q.parse_err == EINTR)
				err("%s: interrupted", what);
			else if (q.parse_err && q.parse_err != EPROTO)
				err("%s: cannot write the capture: %s", what,
				    strerror(q.parse_err));
			else if (q.parse_err)
				err("%s: the kernel sent a malformed frame", what);
			else
				vnl_report(what, &q);
			if (q.error == EAGAIN)
				err("%s: the queue kept changing: gave up after %d tries",
				    what, tries);
			goto out_tmp;
		}
		/* Frames are leaving the queue: let it settle a little. */
		pause.tv_sec = 0;
		pause.tv_nsec = tries * 20 * 1000000L;
		nanosleep(&pause, NULL);
	}
	if (commit_tmp(out, path, tmp)) {
		err("%s: cannot write %s: %s", what,
		    tmp ? path : "stdout", strerror(errno));
		goto out_tmp;
	}
	free(tmp);
	tmp = NULL;
	fprintf(strcmp(path, "-") ? stdout : stderr,
		"dumped %llu frames (%llu ingress, %llu egress, %llu bytes) of %s to %s\n",
		dc.frames[VNIF_DIR_INGRESS] + dc.frames[VNIF_DIR_EGRESS],
		dc.frames[VNIF_DIR_INGRESS], dc.frames[VNIF_DIR_EGRESS],
		dc.bytes, ifname, strcmp(path, "-") ? path : "stdout");
	ret = EXIT_OK;
out_tmp:
	fclose(out);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
out_sock:
	nl_socket_free(sk);
	/* A signal that came meanwhile takes effect now. */
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* load */

struct load_frames {
	unsigned long long frames[__VNIF_DIR_MAX];
	unsigned long long bytes[__VNIF_DIR_MAX];
};

/*
 * One pass over the capture in @f: every record is checked and counted in
 * @lf; with @lc, each also goes into the load messages. 0, or after saying
 * why, -1 when the file is at fault, -2 when the kernel refused a message.
 */
static int load_pass(FILE *f, const char *name, const char *what,
		     uint8_t default_dir, struct load_frames *lf,
		     struct vnl_load *lc)
{
	struct vpcap_reader *r;
	struct vpcap_record rec;
	uint8_t dir;
	int ret;

	memset(lf, 0, sizeof(*lf));
	if (fseek(f, 0, SEEK_SET)) {
		err("%s: %s: cannot seek: %s", what, name, strerror(errno));
		return -1;
	}
	r = vpcap_reader_new(f);
	if (!r)
		oom();
	while ((ret = vpcap_read(r, &rec)) > 0) {
		const char *bad = NULL;
		char why[96];

		if (rec.linktype != VPCAP_LINKTYPE_ETHERNET) {
			snprintf(why, sizeof(why), "link type %u is not Ethernet (%d)",
				 rec.linktype, VPCAP_LINKTYPE_ETHERNET);
			bad = why;
		} else if (rec.caplen < rec.origlen) {
			snprintf(why, sizeof(why), "only %u of the frame's %u bytes were captured",
				 rec.caplen, rec.origlen);
			bad = why;
		} else if (rec.caplen < ETH_HLEN) {
			snprintf(why, sizeof(why), "frame of %u bytes is shorter than an Ethernet header (%d)",
				 rec.caplen, ETH_HLEN);
			bad = why;
		} else if (rec.caplen > VNIF_PKT_MAX) {
			snprintf(why, sizeof(why), "frame of %u bytes is longer than %d bytes, the most vnif carries",
				 rec.caplen, VNIF_PKT_MAX);
			bad = why;
		}
		if (bad) {
			err("%s: %s: record %llu at byte offset %llu: %s",
			    what, name, (unsigned long long)rec.index,
			    (unsigned long long)rec.offset, bad);
			vpcap_reader_free(r);
			return -1;
		}
		if (rec.dir == VPCAP_DIR_IN)
			dir = VNIF_DIR_INGRESS;
		else if (rec.dir == VPCAP_DIR_OUT)
			dir = VNIF_DIR_EGRESS;
		else
			dir = default_dir;
		lf->frames[dir]++;
		lf->bytes[dir] += rec.caplen;
		if (lf->frames[0] + lf->frames[1] > VNIF_LIMIT_PACKETS_MAX) {
			err("%s: %s: more than %u frames, more than a pair can hold",
			    what, name, VNIF_LIMIT_PACKETS_MAX);
			vpcap_reader_free(r);
			return -1;
		}
		if (lc && vnl_load_add(lc, dir, rec.has_tstamp, rec.tstamp_ns,
				       rec.data, rec.caplen)) {
			vpcap_reader_free(r);
			return -2;
		}
	}
	if (ret < 0) {
		err("%s: %s: %s", what, name, vpcap_reader_error(r));
		vpcap_reader_free(r);
		return -1;
	}
	vpcap_reader_free(r);
	return 0;
}

/* stdin into an anonymous file, so that it can be read twice. */
static FILE *spool_stdin(const char *what)
{
	FILE *f = tmpfile();
	uint64_t total = 0;
	char buf[65536];
	size_t n;

	if (!f) {
		err("%s: cannot create a temporary file: %s", what,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		total += n;
		if (total > LOAD_FILE_MAX) {
			err("%s: stdin: more than %llu bytes, the most vnif loads",
			    what, LOAD_FILE_MAX);
			goto fail;
		}
		if (fwrite(buf, 1, n, f) != n) {
			err("%s: cannot spool stdin: %s", what, strerror(errno));
			goto fail;
		}
	}
	if (ferror(stdin)) {
		err("%s: cannot read stdin: %s", what, strerror(errno));
		goto fail;
	}
	if (fflush(f))
		goto fail;
	return f;
fail:
	fclose(f);
	return NULL;
}

static FILE *open_capture(const char *path, const char *what)
{
	struct stat st;
	FILE *f;

	if (!strcmp(path, "-"))
		return spool_stdin(what);
	f = fopen(path, "rb");
	if (!f) {
		err("%s: cannot open %s: %s", what, path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st)) {
		err("%s: %s: %s", what, path, strerror(errno));
		goto fail;
	}
	/* It is read twice: once to check it, once to send it. */
	if (!S_ISREG(st.st_mode)) {
		err("%s: %s is not a regular file (use -r - for a pipe)", what,
		    path);
		goto fail;
	}
	if ((uint64_t)st.st_size > LOAD_FILE_MAX) {
		err("%s: %s: %lld bytes is more than %llu, the most vnif loads",
		    what, path, (long long)st.st_size, LOAD_FILE_MAX);
		goto fail;
	}
	return f;
fail:
	fclose(f);
	return NULL;
}

static int cmd_load(const struct cmd *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "direction", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	uint8_t default_dir = VNIF_DIR_INGRESS;
	struct load_frames lf, again;
	const char *ifname, *path = NULL, *name;
	struct vnl_load lc = {};
	unsigned long long frames, bytes, held;
	struct vnif_info vi;
	struct nl_sock *sk = NULL;
	char what[64];
	int opt, ret = EXIT_FAIL;
	FILE *f;

	while ((opt = next_opt(c, argc, argv, ":hr:", opts)) != -1) {
		switch (opt) {
		case 'r':
			path = optarg;
			break;
		case 'd':
			if (!strcmp(optarg, "ingress"))
				default_dir = VNIF_DIR_INGRESS;
			else if (!strcmp(optarg, "egress"))
				default_dir = VNIF_DIR_EGRESS;
			else
				return usage_err(c, "--direction: '%s' is neither 'ingress' nor 'egress'",
						 optarg);
			break;
		case 'h':
			print_help(c, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (iface_operand(c, argc, argv, &ifname))
		return EXIT_USAGE;
	if (!path)
		return usage_err(c, "missing -r FILE (- for stdin)");
	if (!*path)
		return usage_err(c, "-r: empty file name");
	name = strcmp(path, "-") ? path : "stdin";
	snprintf(what, sizeof(what), "load %s", ifname);
	if (PARSE_ONLY)
		return EXIT_OK;

	/* The whole file is checked before anything is sent. */
	f = open_capture(path, what);
	if (!f)
		return EXIT_FAIL;
	if (load_pass(f, name, what, default_dir, &lf, NULL))
		goto out;
	frames = lf.frames[0] + lf.frames[1];
	bytes = lf.bytes[0] + lf.bytes[1];

	sk = vnl_genl_open();
	if (!sk)
		goto out;
	if (vnif_get(sk, ifname, &vi, what))
		goto out;
	if (!frames) {
		printf("%s has no frames: nothing loaded into %s\n", name, ifname);
		ret = EXIT_OK;
		goto out;
	}
	/*
	 * Each message is loaded all or nothing, not the whole file: find out
	 * now whether it cannot fit, rather than half-way through.
	 */
	held = vi.stats[0][VNIF_STATS_HELD] + vi.stats[1][VNIF_STATS_HELD];
	if (vi.state == VNIF_STATE_HOLD &&
	    (held + frames > vi.limit_packets ||
	     vi.stats[0][VNIF_STATS_HELD_BYTES] +
	     vi.stats[1][VNIF_STATS_HELD_BYTES] + bytes > vi.limit_bytes)) {
		err("%s: %s has %llu frames of %llu bytes, %s holds %llu and its limits are %u frames, %u bytes: nothing loaded",
		    what, name, frames, bytes, ifname, held, vi.limit_packets,
		    vi.limit_bytes);
		goto out;
	}

	lc.sk = sk;
	lc.ifname = ifname;
	lc.what = what;
	lc.total = frames;
	ret = load_pass(f, name, what, default_dir, &again, &lc);
	if (!ret && vnl_load_flush(&lc))
		ret = -2;
	if (ret == -1 || (!ret && memcmp(&lf, &again, sizeof(lf))))
		err("%s: %s changed while it was loaded: %llu of %llu frames were loaded",
		    what, name, lc.loaded, frames);
	if (ret || memcmp(&lf, &again, sizeof(lf))) {
		ret = EXIT_FAIL;
		goto out;
	}
	printf("loaded %llu frames (%llu ingress, %llu egress, %llu bytes) from %s into %s\n",
	       frames, lf.frames[VNIF_DIR_INGRESS], lf.frames[VNIF_DIR_EGRESS],
	       bytes, name, ifname);
	ret = EXIT_OK;
out:
	vnl_load_end(&lc);
	if (sk)
		nl_socket_free(sk);
	fclose(f);
	return ret;
}

/* rtnetlink: attach, detach */

/* The file of a network namespace: NAME, PID or PATH. */
static void netns_path(const char *spec, char *path, size_t len)
{
	const char *p = spec;

	while (*p >= '0' && *p <= '9')
		p++;
	if (!*p && p != spec)
		snprintf(path, len, "/proc/%s/ns/net", spec);
	else if (strchr(spec, '/'))
		snprintf(path, len, "%s", spec);
	else
		snprintf(path, len, "/run/netns/%s", spec);
}

struct attach_opts {
	const char *netns;
	const char *bridge;
	struct vnl_pair pair;	/* but its nsfd */
	struct ipaddr addrs[MAX_ADDRS];
	unsigned int n_addrs;
	struct ipaddr gw[2];	/* IPv4, IPv6 */
	bool has_gw[2];
	uint8_t mac[ETH_ALEN];
};

static int attach_parse(const struct cmd *c, int argc, char **argv,
			struct attach_opts *ao)
{
	static const struct option opts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "address", required_argument, NULL, 'a' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "mac", required_argument, NULL, 'm' },
		{ "mtu", required_argument, NULL, 'M' },
		{ "host-ifname", required_argument, NULL, 'H' },
		{ "bridge", required_argument, NULL, 'B' },
		{ "limit-packets", required_argument, NULL, 'p' },
		{ "limit-bytes", required_argument, NULL, 'b' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "deadline-policy", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct ipaddr gw;
	int opt, fam;

	ao->pair.inner = "eth0";
	while ((opt = next_opt(c, argc, argv, ":h", opts)) != -1) {
		switch (opt) {
		case 'n':
			if (!*optarg)
				return usage_err(c, "--netns: empty name");
			ao->netns = optarg;
			break;
		case 'i':
			if (parse_ifname(c, "--ifname", optarg))
				return EXIT_USAGE;
			ao->pair.inner = optarg;
			break;
		case 'H':
			if (parse_ifname(c, "--host-ifname", optarg))
				return EXIT_USAGE;
			ao->pair.outer = optarg;
			break;
		case 'B':
			if (parse_ifname(c, "--bridge", optarg))
				return EXIT_USAGE;
			ao->bridge = optarg;
			break;
		case 'a':
			if (ao->n_addrs == MAX_ADDRS)
				return usage_err(c, "more than %d --address options",
						 MAX_ADDRS);
			if (parse_ip(c, "--address", optarg, true,
				     &ao->addrs[ao->n_addrs]))
				return EXIT_USAGE;
			ao->n_addrs++;
			break;
		case 'g':
			if (parse_ip(c, "--gateway", optarg, false, &gw))
				return EXIT_USAGE;
			fam = gw.family == AF_INET6;
			if (ao->has_gw[fam])
				return usage_err(c, "--gateway: one %s gateway only",
						 fam ? "IPv6" : "IPv4");
			ao->gw[fam] = gw;
			ao->has_gw[fam] = true;
			break;
		case 'm':
			if (parse_mac(c, optarg, ao->mac))
				return EXIT_USAGE;
			ao->pair.mac = ao->mac;
			break;
		case 'M':
			if (parse_u32(c, "--mtu", optarg, 68, 65535, &ao->pair.mtu))
				return EXIT_USAGE;
			break;
		case 'p':
			if (parse_u32(c, "--limit-packets", optarg, 1,
				      VNIF_LIMIT_PACKETS_MAX, &ao->pair.limit_packets))
				return EXIT_USAGE;
			break;
		case 'b':
			if (parse_u32(c, "--limit-bytes", optarg,
				      VNIF_LIMIT_BYTES_MIN, VNIF_LIMIT_BYTES_MAX,
				      &ao->pair.limit_bytes))
				return EXIT_USAGE;
			break;
		case 'd':
			if (parse_seconds(c, "--deadline", optarg,
					  VNIF_DEADLINE_MS_MAX,
					  &ao->pair.deadline_ms))
				return EXIT_USAGE;
			ao->pair.has_deadline = true;
			break;
		case 'P':
			if (parse_policy(c, optarg, &ao->pair.policy))
				return EXIT_USAGE;
			ao->pair.has_policy = true;
			break;
		case 'h':
			print_help(c, stdout);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_err(c, "unexpected argument '%s'", argv[optind]);
	if (!ao->netns)
		return usage_err(c, "missing --netns NAME|PID|PATH");
	return 0;
}

/* The addresses of the inner end, as given. */
static int attach_addrs(struct vnl_rt *rt, const struct vnl_ends *e,
			const struct attach_opts *ao)
{
	struct vnl_req q = {};
	struct vnl_addr va;
	char step[160];
	unsigned int i;

	for (i = 0; i < ao->n_addrs; i++) {
		memset(&va, 0, sizeof(va));
		va.family = ao->addrs[i].family;
		memcpy(va.addr, ao->addrs[i].addr, sizeof(va.addr));
		va.plen = ao->addrs[i].plen;
		va.scope = RT_SCOPE_UNIVERSE;
		if (!vnl_addaddr(rt->inner, e->inner, &va, &q))
			continue;
		snprintf(step, sizeof(step), "%s: add address %s to %s in netns %s",
			 e->what, ao->addrs[i].text, e->name, rt->ns);
		vnl_report(step, &q);
		return -1;
	}
	return 0;
}

/* The default routes, one per family given. */
static int attach_routes(struct vnl_rt *rt, const struct vnl_ends *e,
			 const struct attach_opts *ao)
{
	struct vnl_req q = {};
	struct vnl_route vr;
	char step[160];
	int i;

	for (i = 0; i < 2; i++) {
		if (!ao->has_gw[i])
			continue;
		memset(&vr, 0, sizeof(vr));
		vr.family = ao->gw[i].family;
		memcpy(vr.gw, ao->gw[i].addr, sizeof(vr.gw));
		vr.has_gw = true;
		vr.protocol = RTPROT_BOOT;
		vr.scope = RT_SCOPE_UNIVERSE;
		vr.type = RTN_UNICAST;
		vr.table = RT_TABLE_MAIN;
		if (!vnl_addroute(rt->inner, e->inner, &vr, &q))
			continue;
		snprintf(step, sizeof(step), "%s: add default route via %s on %s in netns %s",
			 e->what, ao->gw[i].text, e->name, rt->ns);
		vnl_report(step, &q);
		return -1;
	}
	return 0;
}

static int cmd_attach(const struct cmd *c, int argc, char **argv)
{
	struct vnl_ends e = { .what = "attach" };
	struct attach_opts ao = {};
	struct vnl_rt rt = {};
	char path[PATH_MAX];
	int nsfd, ret;

	ret = attach_parse(c, argc, argv, &ao);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;

	netns_path(ao.netns, path, sizeof(path));
	if (PARSE_ONLY)
		return EXIT_OK;
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		err("%s: netns %s: cannot open %s: %s", e.what, ao.netns, path,
		    strerror(errno));
		return EXIT_FAIL;
	}
	ret = EXIT_FAIL;
	if (vnl_rt_open(&rt, nsfd, ao.netns, e.what) ||
	    (ao.bridge && vnl_rt_bridge(&rt, ao.bridge, e.what)))
		goto close_rt;
	ao.pair.nsfd = nsfd;
	if (vnl_pair_new(&rt, &ao.pair, &e))
		goto close_rt;
	/* From here on, a failure removes the pair again. */
	if (vnl_pair_find(&rt, &e) || vnl_pair_up(&rt, &e, true) ||
	    attach_addrs(&rt, &e, &ao) || attach_routes(&rt, &e, &ao))
		goto del_pair;
	printf("attached %s (ifindex %d) <-> %s (ifindex %d) in netns %s\n",
	       e.outer_name, e.outer, e.name, e.inner, ao.netns);
	ret = EXIT_OK;
	goto close_rt;

del_pair:
	if (!vnl_pair_del(&rt, &e))
		err("attach: removed the pair again");
close_rt:
	vnl_rt_close(&rt);
	close(nsfd);
	return ret;
}

static int cmd_detach(const struct cmd *c, int argc, char **argv)
{
	struct nl_sock *gsk = NULL, *rsk = NULL;
	const char *ifname;
	struct vnif_info vi;
	struct vnl_req q = {};
	char what[64];
	int ret;

	ret = one_iface(c, argc, argv, &ifname);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	snprintf(what, sizeof(what), "detach %s", ifname);
	if (PARSE_ONLY)
		return EXIT_OK;
	ret = EXIT_FAIL;
	/* Only a vnif end: never delete another kind of device by mistake. */
	gsk = vnl_genl_open();
	if (!gsk || vnif_get(gsk, ifname, &vi, what))
		goto out;
	rsk = vnl_open(NETLINK_ROUTE);
	if (!rsk)
		goto out;
	if (vnl_dellink(rsk, vi.ifindex, NULL, &q)) {
		vnl_report(what, &q);
		goto out;
	}
	ret = EXIT_OK;
out:
	if (rsk)
		nl_socket_free(rsk);
	if (gsk)
		nl_socket_free(gsk);
	return ret;
}

/* Help */

static int cmd_help(const struct cmd *c, int argc, char **argv);

static const struct cmd cmds[] = {
	{
		.name = "attach",
		.run = cmd_attach,
		.summary = "create a pair, its inner end in a container's netns",
		.help =
"Usage: vnif attach --netns NAME|PID|PATH [--ifname NAME] [--address CIDR]...\n"
"                   [--gateway IP]... [--mac MAC] [--mtu N]\n"
"                   [--host-ifname NAME] [--bridge BRIDGE]\n"
"                   [--limit-packets N] [--limit-bytes N]\n"
"                   [--deadline SECONDS] [--deadline-policy release|drop]\n"
"\n"
"Create a vnif pair in one RTM_NEWLINK: the outer end in the current network\n"
"namespace, the inner end directly in the container's. Then, in the\n"
"container's namespace: lo and the inner end up, the addresses added (IPv6\n"
"ones without duplicate address detection), the default route added; the\n"
"outer end up, on the bridge if one is given. If any step fails, the pair is\n"
"deleted again. Prints the ends created.\n"
"\n"
"  --netns NAME|PID|PATH  the container's network namespace: NAME is\n"
"                         /run/netns/NAME (ip netns), a number is the netns of\n"
"                         that process, anything with a '/' is a path\n"
"  --ifname NAME          name of the inner end (default eth0)\n"
"  --address CIDR         an IPv4 or IPv6 address with its prefix length\n"
"                         (default /32 or /128); may be repeated\n"
"  --gateway IP           default route via IP on the inner end; once per\n"
"                         address family\n"
"  --mac MAC              MAC address of the inner end (default random)\n"
"  --mtu N                MTU of both ends (68..65535)\n"
"  --host-ifname NAME     name of the outer end (default: the kernel picks\n"
"                         vnifN)\n"
"  --bridge BRIDGE        enslave the outer end to BRIDGE\n"
"  --limit-packets N      hold at most N frames (1..4194304, default 65536)\n"
"  --limit-bytes N        hold at most N bytes (2048..2147483648, default\n"
"                         67108864)\n"
"  --deadline SECONDS     how long a freeze may last (0..3600, 3 decimals;\n"
"                         0: no deadline, the default)\n"
"  --deadline-policy P    when the deadline expires: release (default) what\n"
"                         is held, or drop it\n"
"\n"
"Example:\n"
"  vnif attach --netns ct1 --address 10.0.0.2/24 --address fd00::2/64 \\\n"
"              --gateway 10.0.0.1 --host-ifname ct1-vn\n",
	},
	{
		.name = "detach",
		.run = cmd_detach,
		.summary = "delete a pair",
		.help =
"Usage: vnif detach IFACE\n"
"\n"
"Delete the pair that IFACE, a vnif end in the current network namespace, is\n"
"an end of: both ends go, and whatever the pair still holds is dropped.\n"
"Refuses a device that is not a vnif end.\n",
	},
	{
		.name = "freeze",
		.run = cmd_freeze,
		.summary = "hold the traffic of a pair",
		.help =
"Usage: vnif freeze IFACE [--limit-packets N] [--limit-bytes N]\n"
"                   [--deadline SECONDS] [--deadline-policy release|drop]\n"
"                   [--require-up]\n"
"\n"
"Close the gate of the pair of IFACE: from now on, every frame that would\n"
"cross the pair, either way, is held in order in that direction's queue\n"
"(drop-tail over the limits). Returns once no frame that saw the gate open\n"
"is still on its way. The options are set before the gate closes.\n"
"\n"
"  --limit-packets N      hold at most N frames (1..4194304)\n"
"  --limit-bytes N        hold at most N bytes (2048..2147483648)\n"
"  --deadline SECONDS     thaw or drop by itself after SECONDS (0..3600,\n"
"                         3 decimals; 0: no deadline)\n"
"  --deadline-policy P    when the deadline expires: release what is held,\n"
"                         or drop it\n"
"  --require-up           fail instead of freezing a pair with an end down\n",
	},
	{
		.name = "thaw",
		.run = cmd_thaw,
		.summary = "release what a pair holds, then let traffic pass",
		.help =
"Usage: vnif thaw IFACE\n"
"\n"
"Open the gate of the pair of IFACE: the held frames are delivered in order,\n"
"before any frame that arrives after the thaw; then the pair passes traffic\n"
"again. Fails if the pair is not frozen.\n",
	},
	{
		.name = "show",
		.run = cmd_show,
		.summary = "state, limits and counters of pairs",
		.help =
"Usage: vnif show [IFACE] [--json]\n"
"\n"
"Show the vnif end IFACE, or every vnif end of the current network\n"
"namespace: which end it is, its peer (when in the same namespace), the gate\n"
"(pass, hold or release), the limits, the deadline and the time left of it,\n"
"and for each direction (ingress: outer -> inner, egress: inner -> outer):\n"
"frames and bytes held now, frames held in total, released, loaded, dropped\n"
"over a limit, at a deadline and because the receiving end was down, the\n"
"high water mark and the deadlines expired.\n"
"\n"
"  -j, --json             one JSON array, an object per end\n",
	},
	{
		.name = "dump",
		.run = cmd_dump,
		.summary = "write the held frames of a pair to a pcapng file",
		.help =
"Usage: vnif dump IFACE -w FILE\n"
"\n"
"Write the frames the pair of IFACE holds, ingress queue first, each queue in\n"
"order, to FILE as pcapng: one interface (Ethernet, nanosecond timestamps),\n"
"one Enhanced Packet Block per frame with the time it was held and its\n"
"direction in epb_flags (inbound: ingress, outbound: egress). The queues are\n"
"left as they are. FILE appears only once complete (written beside it, then\n"
"renamed); '-w -' writes to stdout. The summary line goes to stdout, or to\n"
"stderr with '-w -'.\n"
"\n"
"  -w, --write FILE       where the capture goes; - for stdout\n",
	},
	{
		.name = "load",
		.run = cmd_load,
		.summary = "put the frames of a capture into a frozen pair",
		.help =
"Usage: vnif load IFACE -r FILE [--direction ingress|egress]\n"
"\n"
"Append the frames of FILE to the hold queues of the pair of IFACE, which\n"
"must be frozen; they are delivered when it is thawed. FILE is pcapng (the\n"
"direction of each frame from epb_flags: inbound is ingress, outbound is\n"
"egress) or classic pcap (microsecond or nanosecond, either byte order); its\n"
"link type must be Ethernet. The whole file is checked before anything is\n"
"sent: a truncated or malformed record, a frame shorter than 14 or longer\n"
"than 65484 bytes, or one not captured whole is an error that names the\n"
"record and its byte offset, and nothing is loaded. Frames go to the kernel\n"
"in messages of about 32 KiB, each loaded all or nothing. Files larger than\n"
"1 GiB are refused.\n"
"\n"
"  -r, --read FILE        the capture; - for stdin\n"
"  --direction D          direction of frames that have none recorded:\n"
"                         ingress (default) or egress\n",
	},
	{
		.name = "help",
		.run = cmd_help,
		.summary = "show the help of a command",
		.help =
"Usage: vnif help [COMMAND]\n"
"\n"
"Show the help of COMMAND, or the list of commands.\n",
	},
};

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static void main_help(FILE *f)
{
	size_t i;

	fputs("Usage: vnif COMMAND [OPTION]... [ARG]...\n"
	      "       vnif help [COMMAND]\n"
	      "       vnif --version\n"
	      "\n"
	      "Create and drive vnif pairs: virtual Ethernet pairs whose traffic can be\n"
	      "held in order (frozen) while a container is checkpointed, saved to a\n"
	      "capture file, loaded into another pair and released (thawed).\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fputs("\n"
	      "'vnif COMMAND --help' shows the options of COMMAND.\n"
	      "\n"
	      "Errors are printed as 'vnif: COMMAND IFACE: what the kernel said (errno)'.\n"
	      "Exit status: 0 success, 1 the operation failed, 2 usage error.\n"
	      "Everything but show needs CAP_NET_ADMIN; attach also CAP_SYS_ADMIN.\n",
	      f);
}

static int cmd_help(const struct cmd *c, int argc, char **argv)
{
	const struct cmd *which;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		print_help(c, stdout);
		return EXIT_OK;
	}
	if (argc < 2) {
		main_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return usage_err(c, "unexpected argument '%s'", argv[2]);
	which = find_cmd(argv[1]);
	if (!which)
		return usage_err(c, "unknown command '%s'", argv[1]);
	print_help(which, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		main_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		main_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("vnif %s (generic netlink family %s, version %d)\n",
		       VNIF_TOOL_VERSION, VNIF_GENL_NAME, VNIF_GENL_VERSION);
		return EXIT_OK;
	}
	if (argv[1][0] == '-') {
		err("unknown option '%s'\nTry 'vnif --help' for more information.",
		    argv[1]);
		return EXIT_USAGE;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		err("unknown command '%s'\nTry 'vnif --help' for more information.",
		    argv[1]);
		return EXIT_USAGE;
	}
	/* The command sees itself as argv[0]. */
	optind = 1;
	return c->run(c, argc - 1, argv + 1);
}

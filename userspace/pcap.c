// SPDX-License-Identifier: GPL-2.0
/*
 * vpcap: a small pcapng writer and a pcap / pcapng reader; see pcap.h.
 *
 * The formats: pcap-savefile(5) of libpcap for classic pcap, and the IETF
 * draft "PCAP Next Generation (pcapng) Capture File Format" for pcapng.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pcap.h"

#define PCAP_MAGIC_US		0xa1b2c3d4U
#define PCAP_MAGIC_NS		0xa1b23c4dU
#define PCAP_HDR_LEN		24
#define PCAP_REC_LEN		16

#define PCAPNG_SHB		0x0a0d0d0aU
#define PCAPNG_IDB		0x00000001U
#define PCAPNG_PB		0x00000002U	/* obsolete Packet Block */
#define PCAPNG_SPB		0x00000003U
#define PCAPNG_EPB		0x00000006U
#define PCAPNG_BOM		0x1a2b3c4dU

#define OPT_ENDOFOPT		0
#define OPT_IF_NAME		2
#define OPT_SHB_USERAPPL	4
#define OPT_IF_TSRESOL		9
#define OPT_IF_TSOFFSET		14
#define OPT_EPB_FLAGS		2	/* pack_flags in the obsolete block */

/* epb_flags bits 0-1: the direction. */
#define EPB_DIR_MASK		0x3U
#define EPB_DIR_IN		0x1U
#define EPB_DIR_OUT		0x2U

/* Strings written as options are cut there: options carry 16-bit lengths. */
#define OPT_STR_MAX		256

#define NSEC_PER_SEC		1000000000ULL

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Writer */

static int put(FILE *f, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

static int put16(FILE *f, uint16_t v)
{
	return put(f, &v, sizeof(v));
}

static int put32(FILE *f, uint32_t v)
{
	return put(f, &v, sizeof(v));
}

static int put_pad(FILE *f, size_t n)
{
	static const uint8_t zero[4];

	return put(f, zero, pad4(n) - n);
}

static size_t opt_size(size_t len)
{
	return 4 + pad4(len);
}

static int put_opt(FILE *f, uint16_t code, const void *val, uint16_t len)
{
	if (put16(f, code) || put16(f, len) || put(f, val, len) ||
	    put_pad(f, len))
		return -1;
	return 0;
}

int vpcap_write_header(FILE *f, const char *appl, const char *ifname,
		       uint16_t linktype, uint32_t snaplen)
{
	size_t alen = appl ? strnlen(appl, OPT_STR_MAX) : 0;
	size_t nlen = ifname ? strnlen(ifname, OPT_STR_MAX) : 0;
	const uint64_t section_len = UINT64_MAX;	/* not given */
	const uint8_t tsresol = 9;			/* nanoseconds */
	uint32_t len;

	/* Section Header Block, version 1.0. */
	len = 28 + (alen ? opt_size(alen) + 4 : 0);
	if (put32(f, PCAPNG_SHB) || put32(f, len) || put32(f, PCAPNG_BOM) ||
	    put16(f, 1) || put16(f, 0) ||
	    put(f, &section_len, sizeof(section_len)))
		return -1;
	if (alen && (put_opt(f, OPT_SHB_USERAPPL, appl, alen) ||
		     put_opt(f, OPT_ENDOFOPT, NULL, 0)))
		return -1;
	if (put32(f, len))
		return -1;

	/* Interface Description Block: interface 0. */
	len = 20 + (nlen ? opt_size(nlen) : 0) + opt_size(1) + 4;
	if (put32(f, PCAPNG_IDB) || put32(f, len) || put16(f, linktype) ||
	    put16(f, 0) || put32(f, snaplen))
		return -1;
	if (nlen && put_opt(f, OPT_IF_NAME, ifname, nlen))
		return -1;
	if (put_opt(f, OPT_IF_TSRESOL, &tsresol, 1) ||
	    put_opt(f, OPT_ENDOFOPT, NULL, 0) || put32(f, len))
		return -1;
	return 0;
}

int vpcap_write_packet(FILE *f, uint64_t tstamp_ns, enum vpcap_dir dir,
		       const void *data, uint32_t caplen, uint32_t origlen)
{
	uint32_t flags = dir == VPCAP_DIR_IN ? EPB_DIR_IN : EPB_DIR_OUT;
	uint32_t len;

	if (caplen > VPCAP_MAX_CAPLEN || origlen < caplen) {
		errno = EINVAL;
		return -1;
	}
	len = 32 + pad4(caplen);
	if (dir != VPCAP_DIR_UNKNOWN)
		len += opt_size(sizeof(flags)) + 4;
	/* With if_tsresol 9, the timestamp counts nanoseconds. */
	if (put32(f, PCAPNG_EPB) || put32(f, len) || put32(f, 0) ||
	    put32(f, tstamp_ns >> 32) || put32(f, (uint32_t)tstamp_ns) ||
	    put32(f, caplen) || put32(f, origlen) || put(f, data, caplen) ||
	    put_pad(f, caplen))
		return -1;
	if (dir != VPCAP_DIR_UNKNOWN &&
	    (put_opt(f, OPT_EPB_FLAGS, &flags, sizeof(flags)) ||
	     put_opt(f, OPT_ENDOFOPT, NULL, 0)))
		return -1;
	return put32(f, len);
}

/* Reader */

struct vpcap_iface {
	uint32_t linktype;
	uint32_t snaplen;
	int pow2;		/* if_tsresol: units of 2^-exp s, else 10^-exp s */
	unsigned int exp;
	int64_t offset_s;	/* if_tsoffset */
};

struct vpcap_reader {
	FILE *f;
	unsigned long long pos;		/* bytes consumed */
	unsigned long long blocks;	/* pcapng: blocks started, this one included */
	unsigned long long records;	/* packet records returned */
	enum vpcap_format fmt;
	int swap;		/* the file's byte order is not ours */
	int state;		/* 0 reading, 1 at the end, -1 failed */
	/* The magic, read to tell the format and read again as data. */
	uint8_t pend[4];
	size_t npend;
	/* Classic pcap. */
	uint32_t linktype;
	uint32_t snaplen;
	/* pcapng: the interfaces of the current section. */
	struct vpcap_iface *ifs;
	uint32_t n_ifs;
	uint8_t *buf;
	size_t bufsize;
	char err[256];
};

struct vpcap_reader *vpcap_reader_new(FILE *f)
{
	struct vpcap_reader *r = calloc(1, sizeof(*r));

	if (r)
		r->f = f;
	return r;
}

void vpcap_reader_free(struct vpcap_reader *r)
{
	if (!r)
		return;
	free(r->ifs);
	free(r->buf);
	free(r);
}

const char *vpcap_reader_error(const struct vpcap_reader *r)
{
	return r->err[0] ? r->err : "no error";
}

enum vpcap_format vpcap_reader_format(const struct vpcap_reader *r)
{
	return r->fmt;
}

const char *vpcap_format_name(enum vpcap_format fmt)
{
	switch (fmt) {
	case VPCAP_FMT_PCAP_US:
		return "pcap";
	case VPCAP_FMT_PCAP_NS:
		return "pcap (nanosecond)";
	case VPCAP_FMT_PCAPNG:
		return "pcapng";
	default:
		return "unknown";
	}
}

/* The error, prefixed with where it is; returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail(struct vpcap_reader *r, const char *where, const char *fmt, ...)
{
	size_t n = strlen(where);
	va_list ap;

	snprintf(r->err, sizeof(r->err), "%s", where);
	if (n < sizeof(r->err)) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, sizeof(r->err) - n, fmt, ap);
		va_end(ap);
	}
	r->state = -1;
	return -1;
}

/* "record N at byte offset X: ", N the record being read. */
static const char *at_record(struct vpcap_reader *r, unsigned long long off, char *buf,
			     size_t len)
{
	snprintf(buf, len, "record %llu at byte offset %llu: ",
		 r->records + 1, off);
	return buf;
}

/* "block N at byte offset X: ", N the pcapng block being read. */
static const char *at_block(struct vpcap_reader *r, unsigned long long off, char *buf,
			    size_t len)
{
	snprintf(buf, len, "block %llu at byte offset %llu: ",
		 r->blocks, off);
	return buf;
}

/* Reads up to @n bytes; returns how many (fewer at the end), or -1. */
static long rd(struct vpcap_reader *r, void *p, size_t n)
{
	uint8_t *dst = p;
	size_t got = 0, k;

	if (r->npend) {
		k = n < r->npend ? n : r->npend;
		memcpy(dst, r->pend, k);
		memmove(r->pend, r->pend + k, r->npend - k);
		r->npend -= k;
		got = k;
	}
	errno = 0;
	got += fread(dst + got, 1, n - got, r->f);
	if (got < n && ferror(r->f))
		return fail(r, "", "read error at byte offset %llu: %s",
			    r->pos + got, strerror(errno ? errno : EIO));
	r->pos += got;
	return got;
}

static int ensure(struct vpcap_reader *r, size_t n)
{
	uint8_t *p;

	if (n <= r->bufsize)
		return 0;
	p = realloc(r->buf, n);
	if (!p)
		return fail(r, "", "out of memory");
	r->buf = p;
	r->bufsize = n;
	return 0;
}

static uint16_t g16(const struct vpcap_reader *r, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return r->swap ? __builtin_bswap16(v) : v;
}

static uint32_t g32(const struct vpcap_reader *r, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return r->swap ? __builtin_bswap32(v) : v;
}

static uint64_t g64(const struct vpcap_reader *r, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return r->swap ? __builtin_bswap64(v) : v;
}

/* Tells the format from the first four bytes. */
static int read_magic(struct vpcap_reader *r)
{
	uint8_t m[4];
	uint32_t v;
	size_t got;
	long n;

	errno = 0;
	got = fread(m, 1, sizeof(m), r->f);
	if (got < sizeof(m) && ferror(r->f))
		return fail(r, "", "read error: %s",
			    strerror(errno ? errno : EIO));
	if (!got)
		return fail(r, "", "empty file: not a pcap or pcapng file");
	if (got < sizeof(m))
		return fail(r, "", "file of %zu bytes: not a pcap or pcapng file",
			    got);
	memcpy(&v, m, sizeof(v));
	memcpy(r->pend, m, sizeof(m));
	r->npend = sizeof(m);
	if (v == PCAPNG_SHB) {
		r->fmt = VPCAP_FMT_PCAPNG;
		return 0;
	}
	if (v == PCAP_MAGIC_US || v == PCAP_MAGIC_NS) {
		r->swap = 0;
	} else if (__builtin_bswap32(v) == PCAP_MAGIC_US ||
		   __builtin_bswap32(v) == PCAP_MAGIC_NS) {
		r->swap = 1;
		v = __builtin_bswap32(v);
	} else {
		return fail(r, "", "not a pcap or pcapng file (it starts with bytes %02x %02x %02x %02x)",
			    m[0], m[1], m[2], m[3]);
	}
	r->fmt = v == PCAP_MAGIC_NS ? VPCAP_FMT_PCAP_NS : VPCAP_FMT_PCAP_US;

	/* The rest of the classic file header. */
	if (ensure(r, PCAP_HDR_LEN))
		return -1;
	n = rd(r, r->buf, PCAP_HDR_LEN);
	if (n < 0)
		return -1;
	if (n < PCAP_HDR_LEN)
		return fail(r, "", "file header: truncated: the file ends after %ld of its %d bytes",
			    n, PCAP_HDR_LEN);
	if (g16(r, r->buf + 4) != 2)
		return fail(r, "", "file header: unsupported pcap version %u.%u",
			    g16(r, r->buf + 4), g16(r, r->buf + 6));
	r->snaplen = g32(r, r->buf + 16);
	r->linktype = g32(r, r->buf + 20);
	return 0;
}

/* The checks every packet record passes, whatever its format. */
static int check_lengths(struct vpcap_reader *r, const char *where,
			 uint32_t caplen, uint32_t origlen, uint32_t snaplen)
{
	if (caplen > VPCAP_MAX_CAPLEN)
		return fail(r, where, "captured length %u is absurd (the most is %u)",
			    caplen, VPCAP_MAX_CAPLEN);
	if (snaplen && caplen > snaplen)
		return fail(r, where, "captured length %u is longer than the snapshot length %u",
			    caplen, snaplen);
	if (origlen < caplen)
		return fail(r, where, "captured length %u is longer than the original length %u",
			    caplen, origlen);
	return 0;
}

static int pcap_next(struct vpcap_reader *r, struct vpcap_record *rec)
{
	uint64_t off = r->pos;
	uint32_t caplen, origlen, sec, frac;
	uint8_t hdr[PCAP_REC_LEN];
	char where[80];
	long n;

	at_record(r, off, where, sizeof(where));
	n = rd(r, hdr, sizeof(hdr));
	if (n < 0)
		return -1;
	if (!n) {
		r->state = 1;
		return 0;
	}
	if (n < PCAP_REC_LEN)
		return fail(r, where, "truncated: the file ends %ld bytes into its %d-byte header",
			    n, PCAP_REC_LEN);
	sec = g32(r, hdr);
	frac = g32(r, hdr + 4);
	caplen = g32(r, hdr + 8);
	origlen = g32(r, hdr + 12);
	if (check_lengths(r, where, caplen, origlen, r->snaplen))
		return -1;
	if (ensure(r, caplen ? caplen : 1))
		return -1;
	n = rd(r, r->buf, caplen);
	if (n < 0)
		return -1;
	if (n < caplen)
		return fail(r, where, "truncated: the file ends %ld bytes into its %u-byte frame",
			    n, caplen);

	memset(rec, 0, sizeof(*rec));
	rec->index = ++r->records;
	rec->offset = off;
	rec->tstamp_ns = sec * NSEC_PER_SEC +
			 (r->fmt == VPCAP_FMT_PCAP_NS ? frac : frac * 1000ULL);
	rec->has_tstamp = 1;
	rec->caplen = caplen;
	rec->origlen = origlen;
	rec->linktype = r->linktype;
	rec->snaplen = r->snaplen;
	rec->dir = VPCAP_DIR_UNKNOWN;
	rec->data = r->buf;
	return 1;
}

/* One option of a pcapng block. */
struct ng_opt {
	uint16_t code;
	uint16_t len;
	const uint8_t *val;
};

/* The next option at *@p before @end: 1, 0 at the end of the list, -1. */
static int ng_opt_next(struct vpcap_reader *r, const char *where,
		       const uint8_t **p, const uint8_t *end, struct ng_opt *o)
{
	if (*p == end)
		return 0;
	if (end - *p < 4)
		return fail(r, where, "truncated option list");
	o->code = g16(r, *p);
	o->len = g16(r, *p + 2);
	o->val = *p + 4;
	if (o->code == OPT_ENDOFOPT)
		return 0;
	if ((size_t)(end - o->val) < pad4(o->len))
		return fail(r, where, "option %u of %u bytes runs past the end of the block",
			    o->code, o->len);
	*p = o->val + pad4(o->len);
	return 1;
}

static int ng_idb(struct vpcap_reader *r, const char *where, uint32_t len)
{
	struct vpcap_iface ifc = { .exp = 6 };	/* microseconds by default */
	const uint8_t *p, *end;
	struct ng_opt o;
	int ret;

	if (len < 20)
		return fail(r, where, "interface description of %u bytes is shorter than 20",
			    len);
	p = r->buf + 16;
	end = r->buf + len - 4;
	if (r->n_ifs >= VPCAP_MAX_IFACES)
		return fail(r, where, "more than %u interfaces in one section",
			    VPCAP_MAX_IFACES);
	ifc.linktype = g16(r, r->buf + 8);
	ifc.snaplen = g32(r, r->buf + 12);
	while ((ret = ng_opt_next(r, where, &p, end, &o)) > 0) {
		if (o.code == OPT_IF_TSRESOL) {
			if (o.len != 1)
				return fail(r, where, "if_tsresol of %u bytes", o.len);
			ifc.pow2 = !!(o.val[0] & 0x80);
			ifc.exp = o.val[0] & 0x7f;
			if (ifc.exp > (ifc.pow2 ? 63U : 19U))
				return fail(r, where, "unsupported if_tsresol 0x%02x",
					    o.val[0]);
		} else if (o.code == OPT_IF_TSOFFSET) {
			if (o.len != 8)
				return fail(r, where, "if_tsoffset of %u bytes", o.len);
			ifc.offset_s = (int64_t)g64(r, o.val);
		}
	}
	if (ret < 0)
		return -1;
	if (!r->ifs) {
		r->ifs = calloc(VPCAP_MAX_IFACES, sizeof(*r->ifs));
		if (!r->ifs)
			return fail(r, "", "out of memory");
	}
	r->ifs[r->n_ifs++] = ifc;
	return 0;
}

static uint64_t pow10u(unsigned int n)
{
	uint64_t v = 1;

	while (n--)
		v *= 10;
	return v;
}

/* Timestamp units of @ifc to nanoseconds since the epoch; -1 on overflow. */
static int ng_tstamp(const struct vpcap_iface *ifc, uint64_t units,
		     uint64_t *ns)
{
	unsigned __int128 v;
	__int128 t;

	if (ifc->pow2)
		v = ((unsigned __int128)units * NSEC_PER_SEC) >> ifc->exp;
	else if (ifc->exp <= 9)
		v = (unsigned __int128)units * pow10u(9 - ifc->exp);
	else
		v = units / pow10u(ifc->exp - 9);
	t = (__int128)v + (__int128)ifc->offset_s * (__int128)NSEC_PER_SEC;
	if (t < 0 || t > (__int128)UINT64_MAX)
		return -1;
	*ns = (uint64_t)t;
	return 0;
}

/* An Enhanced, Simple or obsolete Packet Block into @rec. */
static int ng_packet(struct vpcap_reader *r, uint32_t type, uint32_t len,
		     uint64_t off, struct vpcap_record *rec)
{
	const uint8_t *p, *end = r->buf + len - 4;
	uint32_t iface, caplen, origlen, flags = 0;
	const struct vpcap_iface *ifc;
	uint64_t units = 0;
	struct ng_opt o;
	char where[80];
	int ret;

	at_record(r, off, where, sizeof(where));
	if (type == PCAPNG_SPB) {
		if (len < 16)
			return fail(r, where, "simple packet block of %u bytes is shorter than 16",
				    len);
		iface = 0;
		origlen = g32(r, r->buf + 8);
		caplen = len - 16;
		if (caplen > origlen)
			caplen = origlen;
		if (r->n_ifs && r->ifs[0].snaplen && caplen > r->ifs[0].snaplen)
			caplen = r->ifs[0].snaplen;
		p = end;
	} else {
		if (len < 32)
			return fail(r, where, "packet block of %u bytes is shorter than 32",
				    len);
		iface = type == PCAPNG_EPB ? g32(r, r->buf + 8) :
					     g16(r, r->buf + 8);
		units = (uint64_t)g32(r, r->buf + 12) << 32 | g32(r, r->buf + 16);
		caplen = g32(r, r->buf + 20);
		origlen = g32(r, r->buf + 24);
		/* The block is a multiple of 4: so is what caplen may use. */
		if (caplen > len - 32)
			return fail(r, where, "captured length %u runs past the end of its %u-byte block",
				    caplen, len);
		p = r->buf + 28 + pad4(caplen);
	}
	if (iface >= r->n_ifs)
		return fail(r, where, "interface %u was not declared (%u in this section)",
			    iface, r->n_ifs);
	ifc = &r->ifs[iface];
	if (check_lengths(r, where, caplen, origlen, ifc->snaplen))
		return -1;
	while ((ret = ng_opt_next(r, where, &p, end, &o)) > 0) {
		if (o.code == OPT_EPB_FLAGS) {
			if (o.len != 4)
				return fail(r, where, "epb_flags of %u bytes", o.len);
			flags = g32(r, o.val);
		}
	}
	if (ret < 0)
		return -1;

	memset(rec, 0, sizeof(*rec));
	if (type != PCAPNG_SPB) {
		if (ng_tstamp(ifc, units, &rec->tstamp_ns))
			return fail(r, where, "timestamp does not fit in 64 bits of nanoseconds");
		rec->has_tstamp = 1;
	}
	rec->index = ++r->records;
	rec->offset = off;
	rec->caplen = caplen;
	rec->origlen = origlen;
	rec->linktype = ifc->linktype;
	rec->snaplen = ifc->snaplen;
	rec->iface = iface;
	switch (flags & EPB_DIR_MASK) {
	case EPB_DIR_IN:
		rec->dir = VPCAP_DIR_IN;
		break;
	case EPB_DIR_OUT:
		rec->dir = VPCAP_DIR_OUT;
		break;
	default:
		rec->dir = VPCAP_DIR_UNKNOWN;
	}
	rec->data = r->buf + (type == PCAPNG_SPB ? 12 : 28);
	return 1;
}

/* Reads one whole block into r->buf: 1, 0 at the end, -1. */
static int ng_block(struct vpcap_reader *r, uint32_t *type, uint32_t *len,
		    uint64_t *off)
{
	uint32_t raw, bom, trailer;
	size_t have = 8;
	char where[80];
	long n;

	*off = r->pos;
	r->blocks++;
	at_block(r, *off, where, sizeof(where));
	if (ensure(r, 12))
		return -1;
	n = rd(r, r->buf, 8);
	if (n < 0)
		return -1;
	if (!n) {
		r->blocks--;
		return 0;
	}
	if (n < 8)
		return fail(r, where, "truncated: the file ends %ld bytes into the block header",
			    n);
	memcpy(&raw, r->buf, sizeof(raw));
	if (raw == PCAPNG_SHB) {
		/* A new section: its byte-order magic says how to read it. */
		n = rd(r, r->buf + 8, 4);
		if (n < 0)
			return -1;
		if (n < 4)
			return fail(r, where, "truncated: the file ends inside the section header");
		have = 12;
		memcpy(&bom, r->buf + 8, sizeof(bom));
		if (bom == PCAPNG_BOM)
			r->swap = 0;
		else if (__builtin_bswap32(bom) == PCAPNG_BOM)
			r->swap = 1;
		else
			return fail(r, where, "bad byte-order magic 0x%08x in the section header",
				    bom);
	} else if (r->blocks == 1) {
		return fail(r, where, "the file does not start with a section header");
	}
	*type = g32(r, r->buf);
	*len = g32(r, r->buf + 4);
	/* Errors in a packet block name the record, as errors in it will. */
	if (*type == PCAPNG_EPB || *type == PCAPNG_SPB || *type == PCAPNG_PB)
		at_record(r, *off, where, sizeof(where));
	if (*len < 12)
		return fail(r, where, "block length %u is shorter than the 12 bytes of any block",
			    *len);
	if (*len % 4)
		return fail(r, where, "block length %u is not a multiple of 4",
			    *len);
	if (*len > VPCAP_MAX_BLOCK)
		return fail(r, where, "block length %u is absurd (the most is %u)",
			    *len, VPCAP_MAX_BLOCK);
	if (ensure(r, *len))
		return -1;
	n = rd(r, r->buf + have, *len - have);
	if (n < 0)
		return -1;
	if ((size_t)n < *len - have)
		return fail(r, where, "truncated: the file ends %zu bytes into the %u-byte block",
			    have + n, *len);
	trailer = g32(r, r->buf + *len - 4);
	if (trailer != *len)
		return fail(r, where, "block length %u does not match the %u at its end",
			    *len, trailer);
	return 1;
}

static int ng_next(struct vpcap_reader *r, struct vpcap_record *rec)
{
	uint32_t type = 0, len = 0;
	char where[80];
	uint64_t off;
	int ret;

	for (;;) {
		ret = ng_block(r, &type, &len, &off);
		if (ret <= 0) {
			if (!ret)
				r->state = 1;
			return ret;
		}
		at_block(r, off, where, sizeof(where));
		switch (type) {
		case PCAPNG_SHB:
			if (len < 28)
				return fail(r, where, "section header of %u bytes is shorter than 28",
					    len);
			if (g16(r, r->buf + 12) != 1)
				return fail(r, where, "unsupported pcapng version %u.%u",
					    g16(r, r->buf + 12),
					    g16(r, r->buf + 14));
			/* Interfaces are numbered per section. */
			r->n_ifs = 0;
			break;
		case PCAPNG_IDB:
			if (ng_idb(r, where, len))
				return -1;
			break;
		case PCAPNG_EPB:
		case PCAPNG_SPB:
		case PCAPNG_PB:
			return ng_packet(r, type, len, off, rec);
		default:
			/* Statistics, name resolution, custom: not ours. */
			break;
		}
	}
}

int vpcap_read(struct vpcap_reader *r, struct vpcap_record *rec)
{
	if (r->state)
		return r->state < 0 ? -1 : 0;
	if (r->fmt == VPCAP_FMT_NONE && read_magic(r))
		return -1;
	if (r->fmt == VPCAP_FMT_PCAPNG)
		return ng_next(r, rec);
	return pcap_next(r, rec);
}

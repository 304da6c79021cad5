// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the crak image codec, ckpt/image.c, the very source that
 * crak.ko and the crak tool are built from. Built with ASan and UBSan: a
 * read or write outside a buffer, or undefined arithmetic, kills the run.
 * Every buffer handed to the codec is allocated at its exact length, so that
 * a read one byte past an image is caught.
 *
 * Prints "ok - NAME" or "not ok - NAME: why" per case, and "# ..." lines
 * with figures. Exits 1 if any case failed.
 *
 * Environment: CRAK_SOAK_SEED (default fixed) and CRAK_SOAK_MS (default
 * 2000) steer the random soak.
 */

#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/vnif.h>

#include "image.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
/* u64 is __u64: unsigned long on some ABIs, unsigned long long on others. */
#define ULL(x)		((unsigned long long)(x))

static int t_pass, t_fail;
static char t_why[512];

/* Keeps the first failure of a case: the rest usually follow from it. */
static void __printf(1, 2) fail(const char *fmt, ...)
{
	va_list ap;

	if (t_why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(t_why, sizeof(t_why), fmt, ap);
	va_end(ap);
}

#define EXPECT(cond, ...) do {			\
	if (!(cond))				\
		fail(__VA_ARGS__);		\
} while (0)

static void run(const char *name, void (*fn)(void))
{
	t_why[0] = '\0';
	fn();
	if (t_why[0]) {
		printf("not ok - %s: %s\n", name, t_why);
		t_fail++;
	} else {
		printf("ok - %s\n", name);
		t_pass++;
	}
	fflush(stdout);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	return p;
}

/* A copy at the exact length: ASan then sees any read past its end. */
static u8 *dup_exact(const u8 *p, u64 len)
{
	u8 *q = xmalloc(len);

	memcpy(q, p, len);
	return q;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 pad8(u64 n)
{
	return (n + 7) & ~(u64)7;
}

/* Re-seal the header after changing one of its fields on purpose. */
static void fix_header_crc(u8 *img)
{
	put32(img + 28, crak_crc32c(0, img, 28));
}

/* Re-seal the section whose header is at off (its length must fit). */
static void fix_section_crc(u8 *img, u64 off)
{
	u64 body = pad8(get32(img + off + 4));

	put32(img + off + 12,
	      crak_crc32c(crak_crc32c(0, img + off, 12), img + off + 16, body));
}

/* Re-seal every section that lies within len, and the header. */
static void fix_all_crcs(u8 *img, u64 len)
{
	u64 off = CRAK_IMAGE_HDR_LEN, body;
	u32 i, n;

	if (len < CRAK_IMAGE_HDR_LEN)
		return;
	fix_header_crc(img);
	n = get32(img + 24);
	for (i = 0; i < n; i++) {
		if (len - off < CRAK_SECTION_HDR_LEN)
			return;
		body = pad8(get32(img + off + 4));
		if (body > len - off - CRAK_SECTION_HDR_LEN)
			return;
		fix_section_crc(img, off);
		off += CRAK_SECTION_HDR_LEN + body;
	}
}

/* An image of the given sections, in a buffer of exactly its length. */
struct spec {
	u16 type;
	u32 len;
	const void *data;
};

static u8 *build(const struct spec *s, unsigned int n, u64 *lenp)
{
	struct crak_image_writer w;
	u64 cap = CRAK_IMAGE_HDR_LEN;
	unsigned int i;
	u8 *buf;
	int ret;

	for (i = 0; i < n; i++)
		cap += crak_section_size(s[i].len);
	buf = xmalloc(cap);
	crak_image_writer_init(&w, buf, cap);
	for (i = 0; i < n; i++) {
		ret = crak_image_add(&w, s[i].type, s[i].data, s[i].len);
		if (ret) {
			fprintf(stderr, "%s: add %u: %d\n", __func__, i, ret);
			exit(2);
		}
	}
	if (crak_image_finish(&w) || w.len != cap) {
		fprintf(stderr, "%s: finish\n", __func__);
		exit(2);
	}
	*lenp = w.len;
	return buf;
}

static const char ref_meta[] = "crak host test reference";	/* 24 bytes */
static const u8 ref_note9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const u8 ref_note8[] = { 'e', 'i', 'g', 'h', 't', '.', '.', '.' };

/*
 * Reference images. 1: META (24 bytes, no padding), NOTE (9 bytes, 7 of
 * padding), empty NOTE, NOTE (8 bytes): header at 0, sections at 32, 72,
 * 104 and 120, 144 bytes in all. 0: no section. 2: NOTEs of 1 to 17 bytes,
 * every padding length.
 */
static u8 *ref_image(int which, u64 *len)
{
	struct spec s[17];
	static u8 bytes[17];
	unsigned int i;

	switch (which) {
	case 0:
		return build(NULL, 0, len);
	case 1:
		s[0] = (struct spec){ CRAK_SEC_META, 24, ref_meta };
		s[1] = (struct spec){ CRAK_SEC_NOTE, 9, ref_note9 };
		s[2] = (struct spec){ CRAK_SEC_NOTE, 0, NULL };
		s[3] = (struct spec){ CRAK_SEC_NOTE, 8, ref_note8 };
		return build(s, 4, len);
	default:
		for (i = 0; i < 17; i++) {
			bytes[i] = (u8)(0xa0 + i);
			s[i] = (struct spec){ CRAK_SEC_NOTE, i + 1, bytes };
		}
		return build(s, 17, len);
	}
}

#define NREF	3

/* Opens a copy of exactly len bytes; the error is returned through e. */
static int open_copy(const u8 *img, u64 len, struct crak_image_reader *r,
		     struct crak_image_error *e)
{
	u8 *copy = dup_exact(img, len);
	int ret;

	memset(e, 0, sizeof(*e));
	ret = crak_image_open(r, copy, len, e);
	free(copy);
	/* r->buf points into the copy: only its counters are used after. */
	r->buf = NULL;
	return ret;
}

static bool is_valid(const u8 *img, u64 len)
{
	struct crak_image_reader r;
	struct crak_image_error e;

	return !open_copy(img, len, &r, &e);
}

/* The codec's error for img[0..len) must be exactly this. */
static void expect_error(const char *ctx, const u8 *img, u64 len, int code,
			 const char *what, u64 offset, u32 section)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	int ret = open_copy(img, len, &r, &e);

	EXPECT(ret == code, "%s: returned %d (%s), expected %d (%s)", ctx, ret,
	       e.what ? e.what : "no message", code, what);
	EXPECT(e.what && !strcmp(e.what, what), "%s: message '%s', expected '%s'",
	       ctx, e.what ? e.what : "(null)", what);
	EXPECT(e.offset == offset && e.section == section,
	       "%s: at section %u offset %llu, expected section %u offset %llu",
	       ctx, e.section, ULL(e.offset), section, ULL(offset));
}

/* Check value and the published iSCSI vectors (RFC 3720, B.4). */
static void t_crc32c_vectors(void)
{
	u8 buf[32];
	unsigned int i;

	EXPECT(crak_crc32c(0, "123456789", 9) == 0xe3069283,
	       "check value %08x", crak_crc32c(0, "123456789", 9));
	EXPECT(crak_crc32c(0, "", 0) == 0, "empty input");
	memset(buf, 0, sizeof(buf));
	EXPECT(crak_crc32c(0, buf, 32) == 0x8a9136aa, "32 zeros");
	memset(buf, 0xff, sizeof(buf));
	EXPECT(crak_crc32c(0, buf, 32) == 0x62a8ab43, "32 0xff");
	for (i = 0; i < 32; i++)
		buf[i] = (u8)i;
	EXPECT(crak_crc32c(0, buf, 32) == 0x46dd794e, "0..31");
	for (i = 0; i < 32; i++)
		buf[i] = (u8)(31 - i);
	EXPECT(crak_crc32c(0, buf, 32) == 0x113fdb5c, "31..0");
}

/* Bit by bit from the polynomial: an independent reference. */
static u32 crc32c_bitwise(const u8 *p, size_t len)
{
	u32 crc = 0xffffffff;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (crc & 1 ? 0x82f63b78 : 0);
	}
	return ~crc;
}

static u64 rng_state;

/* xorshift64*: small, seedable, good enough to pick mutations. */
static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static u32 rnd_below(u32 n)
{
	return n ? (u32)(rnd() % n) : 0;
}

static void rnd_fill(u8 *p, size_t n)
{
	while (n--)
		*p++ = (u8)rnd();
}

/* Chaining over any split equals the whole, and both equal the reference. */
static void t_crc32c_reference(void)
{
	u8 buf[1024];
	size_t len, cut;
	u32 want;
	int i;

	rng_state = 0x5eed;
	for (i = 0; i < 500; i++) {
		len = rnd_below(sizeof(buf) + 1);
		cut = rnd_below((u32)len + 1);
		rnd_fill(buf, len);
		want = crc32c_bitwise(buf, len);
		EXPECT(crak_crc32c(0, buf, len) == want, "length %zu", len);
		EXPECT(crak_crc32c(crak_crc32c(0, buf, cut), buf + cut, len - cut) ==
		       want, "length %zu split at %zu", len, cut);
	}
}

/*
 * The writer's bytes for one NOTE "hi", as laid out in
 * Documentation/image.md; made independently of the codec.
 */
static const u8 golden[56] = {
	0x43, 0x52, 0x41, 0x4b, 0x0d, 0x0a, 0x1a, 0x0a,
	0x01, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x60, 0x1b, 0xdc, 0xcd,
	0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x64, 0x2b, 0x4f, 0x07,
	0x68, 0x69, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void t_golden_image(void)
{
	struct spec s = { CRAK_SEC_NOTE, 2, "hi" };
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	u8 *copy;
	u64 len;
	u8 *img = build(&s, 1, &len);

	EXPECT(len == sizeof(golden) && !memcmp(img, golden, sizeof(golden)),
	       "the writer's bytes differ from the documented example");
	copy = dup_exact(golden, sizeof(golden));
	EXPECT(!crak_image_open(&r, copy, sizeof(golden), &e), "example refused");
	EXPECT(crak_image_next(&r, &sec) == 1 && sec.type == CRAK_SEC_NOTE &&
	       sec.len == 2 && sec.offset == 32 && sec.data == copy + 48 &&
	       !memcmp(sec.data, "hi", 2), "example section decoded wrong");
	EXPECT(crak_image_next(&r, &sec) == 0, "example has more than one section");
	free(copy);
	free(img);
}

/* Decodes img and compares with the specs it was built from. */
static void check_round_trip(const char *ctx, const u8 *img, u64 len,
			     const struct spec *s, unsigned int n)
{
	u64 off = CRAK_IMAGE_HDR_LEN;
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	unsigned int i;
	int ret;

	ret = crak_image_open(&r, img, len, &e);
	if (ret) {
		fail("%s: refused: %s", ctx, e.what);
		return;
	}
	EXPECT(r.nsections == n, "%s: %u sections, expected %u", ctx, r.nsections, n);
	for (i = 0; i < n; i++) {
		if (crak_image_next(&r, &sec) != 1) {
			fail("%s: section %u missing", ctx, i);
			return;
		}
		EXPECT(sec.type == s[i].type && sec.flags == 0 && sec.len == s[i].len,
		       "%s: section %u header", ctx, i);
		EXPECT(sec.offset == off && sec.data == img + off + 16,
		       "%s: section %u at %llu, expected %llu", ctx, i,
		       ULL(sec.offset), ULL(off));
		EXPECT(!sec.len || !memcmp(sec.data, s[i].data, sec.len),
		       "%s: section %u payload", ctx, i);
		off += CRAK_SECTION_HDR_LEN + pad8(s[i].len);
	}
	EXPECT(off == len, "%s: sections end at %llu of %llu", ctx,
	       ULL(off), ULL(len));
	EXPECT(crak_image_next(&r, &sec) == 0, "%s: extra section", ctx);
}

static void t_round_trip_sizes(void)
{
	static const u32 large[] = { 4095, 4096, 65535, 65536, (1 << 20) + 3,
				     (16 << 20) + 5 };
	struct spec all[301], s[2];
	char ctx[64];
	u8 *data, *img;
	u64 len;
	u32 n;
	unsigned int i;

	data = xmalloc((16 << 20) + 5);
	rng_state = 0xda7a;
	rnd_fill(data, (16 << 20) + 5);
	/* Each size alone after a META, then all of them in one image. */
	for (n = 0; n <= 300; n++) {
		s[0] = (struct spec){ CRAK_SEC_META, 3, "abc" };
		s[1] = (struct spec){ CRAK_SEC_NOTE, n, data + n };
		img = build(s, 2, &len);
		snprintf(ctx, sizeof(ctx), "size %u", n);
		EXPECT(len == 32 + 16 + 8 + 16 + pad8(n), "%s: image length", ctx);
		check_round_trip(ctx, img, len, s, 2);
		free(img);
		all[n] = (struct spec){ n & 1 ? CRAK_SEC_NOTE : CRAK_SEC_META, n,
					data + 7 * n };
	}
	img = build(all, 301, &len);
	check_round_trip("sizes 0..300 together", img, len, all, 301);
	free(img);
	for (i = 0; i < ARRAY_SIZE(large); i++) {
		s[0] = (struct spec){ CRAK_SEC_NOTE, large[i], data };
		img = build(s, 1, &len);
		snprintf(ctx, sizeof(ctx), "size %u", large[i]);
		check_round_trip(ctx, img, len, s, 1);
		free(img);
	}
	free(data);
}

/* Every byte is under a checksum: any change to one byte is refused. */
static void t_every_byte_change_refused(void)
{
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	struct crak_image_reader r;
	struct crak_image_error e;
	unsigned long tried = 0;
	unsigned int f;
	int which, ret;
	u64 len, off;
	u8 *img;

	for (which = 0; which < NREF; which++) {
		img = ref_image(which, &len);
		for (off = 0; off < len; off++) {
			for (f = 0; f < ARRAY_SIZE(flips); f++) {
				img[off] ^= flips[f];
				ret = open_copy(img, len, &r, &e);
				img[off] ^= flips[f];
				tried++;
				EXPECT(ret < 0 && e.what && e.offset <= len,
				       "image %d: xor 0x%02x at %llu: %s", which,
				       flips[f], ULL(off),
				       ret ? "no message" : "accepted");
			}
		}
		EXPECT(!open_copy(img, len, &r, &e), "image %d: refused after undo",
		       which);
		free(img);
	}
	printf("# %lu single-byte changes of %d reference images, all refused\n",
	       tried, NREF);
}

static void t_every_truncation_refused(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	unsigned long tried = 0;
	u64 len, cut;
	int which, ret;
	u8 *img;

	for (which = 0; which < NREF; which++) {
		img = ref_image(which, &len);
		for (cut = 0; cut < len; cut++) {
			ret = open_copy(img, cut, &r, &e);
			tried++;
			EXPECT(ret == -EINVAL && e.what && !strncmp(e.what, "truncated: ", 11),
			       "image %d cut to %llu: %d %s", which,
			       ULL(cut), ret, e.what ? e.what : "");
		}
		free(img);
	}
	printf("# %lu truncations, all refused as truncated\n", tried);
}

static void t_appended_bytes_refused(void)
{
	u64 len, extra;
	u8 *img, *big;
	int which;
	char ctx[64];

	for (which = 0; which < NREF; which++) {
		img = ref_image(which, &len);
		big = xmalloc(len + 64);
		memcpy(big, img, len);
		for (extra = 1; extra <= 64; extra++) {
			/* Zeros look like padding; anything else, like garbage. */
			big[len + extra - 1] = extra & 1 ? 0 : (u8)extra;
			snprintf(ctx, sizeof(ctx), "image %d + %llu bytes",
				 which, ULL(extra));
			expect_error(ctx, big, len + extra, -EINVAL,
				     "trailing bytes after the image", len, 0);
		}
		free(big);
		free(img);
	}
}

static void t_short_header(void)
{
	u64 len, cut;
	u8 *img = ref_image(1, &len);

	for (cut = 0; cut < CRAK_IMAGE_HDR_LEN; cut++)
		expect_error("short header", img, cut, -EINVAL,
			     "truncated: shorter than the image header", cut, 0);
	free(img);
}

static void t_bad_magic(void)
{
	static const u8 png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned int i;
	u64 len;
	u8 *img = ref_image(1, &len);

	for (i = 0; i < CRAK_IMAGE_MAGIC_LEN; i++) {
		img[i] ^= 0x20;		/* e.g. "crak": case matters */
		fix_header_crc(img);
		expect_error("magic byte", img, len, -EINVAL,
			     "not a crak image (bad magic)", 0, 0);
		img[i] ^= 0x20;
	}
	memcpy(img, png, 8);
	expect_error("png", img, len, -EINVAL, "not a crak image (bad magic)", 0, 0);
	free(img);
}

static void t_version(void)
{
	static const u16 versions[] = { 0, CRAK_IMAGE_VERSION + 1, 0xffff };
	unsigned int i;
	u64 len;
	u8 *img = ref_image(1, &len);

	/* Sealed with a valid CRC: refused for the version, not the CRC. */
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		put16(img + 8, versions[i]);
		fix_header_crc(img);
		expect_error("version", img, len, -EPROTONOSUPPORT,
			     "unsupported image format version", 8, 0);
	}
	free(img);
}

static void t_header_crc(void)
{
	u64 len, off;
	u8 *img = ref_image(1, &len);

	for (off = 8; off < CRAK_IMAGE_HDR_LEN; off++) {
		if (off == 8 || off == 9)
			continue;	/* the version is checked before the CRC */
		img[off] ^= 0x04;
		expect_error("header byte", img, len, -EBADMSG,
			     "header checksum mismatch", 28, 0);
		img[off] ^= 0x04;
	}
	free(img);
}

static void t_header_len(void)
{
	static const u16 lens[] = { 0, 16, 31, 33, 40, 0xffff };
	unsigned int i;
	u64 len;
	u8 *img = ref_image(1, &len);

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		put16(img + 10, lens[i]);
		fix_header_crc(img);
		expect_error("header length", img, len, -EINVAL,
			     "bad header length", 10, 0);
	}
	free(img);
}

static void t_header_flags(void)
{
	unsigned int bit;
	u64 len;
	u8 *img = ref_image(1, &len);

	for (bit = 0; bit < 32; bit++) {
		put32(img + 12, 1U << bit);
		fix_header_crc(img);
		expect_error("header flag", img, len, -EINVAL,
			     "unknown header flags", 12, 0);
	}
	free(img);
}

static void t_image_len(void)
{
	u64 len;
	u8 *img = ref_image(1, &len);

	/* Beyond the format's limit: -EFBIG, whatever the buffer. */
	put64(img + 16, CRAK_IMAGE_MAX_LEN + 1);
	fix_header_crc(img);
	expect_error("image_len max + 1", img, len, -EFBIG,
		     "image larger than the format allows", 16, 0);
	put64(img + 16, UINT64_MAX);
	fix_header_crc(img);
	expect_error("image_len 2^64 - 1", img, len, -EFBIG,
		     "image larger than the format allows", 16, 0);
	/* At the limit: allowed, but the buffer is shorter. */
	put64(img + 16, CRAK_IMAGE_MAX_LEN);
	fix_header_crc(img);
	expect_error("image_len max", img, len, -EINVAL,
		     "truncated: shorter than the header says", len, 0);
	put64(img + 16, len + 8);
	fix_header_crc(img);
	expect_error("image_len + 8", img, len, -EINVAL,
		     "truncated: shorter than the header says", len, 0);
	put64(img + 16, len - 8);
	fix_header_crc(img);
	expect_error("image_len - 8", img, len, -EINVAL,
		     "trailing bytes after the image", len - 8, 0);
	free(img);
}

static void t_section_count(void)
{
	u64 len;
	u8 *img = ref_image(1, &len);

	put32(img + 24, CRAK_IMAGE_MAX_SECTIONS + 1);
	fix_header_crc(img);
	expect_error("max + 1 sections", img, len, -EFBIG, "too many sections", 24, 0);
	put32(img + 24, UINT32_MAX);
	fix_header_crc(img);
	expect_error("2^32 - 1 sections", img, len, -EFBIG, "too many sections", 24, 0);
	/* At the limit: allowed, so the missing fifth section is noticed. */
	put32(img + 24, CRAK_IMAGE_MAX_SECTIONS);
	fix_header_crc(img);
	expect_error("max sections", img, len, -EINVAL,
		     "truncated: section header cut short", 144, 4);
	put32(img + 24, 5);
	fix_header_crc(img);
	expect_error("5 of 4 sections", img, len, -EINVAL,
		     "truncated: section header cut short", 144, 4);
	put32(img + 24, 3);
	fix_header_crc(img);
	expect_error("3 of 4 sections", img, len, -EINVAL,
		     "trailing bytes after the last section", 120, 3);
	put32(img + 24, 0);
	fix_header_crc(img);
	expect_error("0 of 4 sections", img, len, -EINVAL,
		     "trailing bytes after the last section", 32, 0);
	free(img);
}

/* A section header cut short, and a section running past the end. */
static void t_section_bounds(void)
{
	static const u32 lens[] = { 9, 16, 1000, 0x7fffffff, 0xfffffff9, UINT32_MAX };
	u8 hdr[CRAK_IMAGE_HDR_LEN + 8];
	struct crak_image_writer w;
	unsigned int i;
	u64 len;
	u8 *img;

	crak_image_writer_init(&w, hdr, sizeof(hdr));
	crak_image_finish(&w);
	put64(hdr + 16, sizeof(hdr));
	put32(hdr + 24, 1);
	fix_header_crc(hdr);
	memset(hdr + 32, 0, 8);
	expect_error("8-byte section header", hdr, sizeof(hdr), -EINVAL,
		     "truncated: section header cut short", 32, 0);

	/* The last section (8 bytes at 120) claims more than is there. */
	img = ref_image(1, &len);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		put32(img + 120 + 4, lens[i]);
		expect_error("section length", img, len, -EINVAL,
			     "truncated: section runs past the end", 120, 3);
	}
	free(img);
}

static void t_section_crc(void)
{
	u64 len;
	u8 *img = ref_image(1, &len);

	img[72 + 16 + 4] ^= 0x10;	/* NOTE payload */
	expect_error("payload byte", img, len, -EBADMSG,
		     "section checksum mismatch", 72, 1);
	img[72 + 16 + 4] ^= 0x10;
	img[104 + 12] ^= 0x01;		/* the CRC field itself */
	expect_error("crc field", img, len, -EBADMSG,
		     "section checksum mismatch", 104, 2);
	img[104 + 12] ^= 0x01;
	img[72 + 16 + 12] ^= 0x01;	/* padding is under the CRC too */
	expect_error("padding byte", img, len, -EBADMSG,
		     "section checksum mismatch", 72, 1);
	free(img);
}

static void t_section_type(void)
{
	static const u16 types[] = { CRAK_SEC_INVALID, __CRAK_SEC_MAX, 0x00ff,
				     0x8000, 0xffff };
	unsigned int i;
	u64 len;
	u8 *img = ref_image(1, &len);

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		put16(img + 104, types[i]);
		fix_section_crc(img, 104);
		expect_error("section type", img, len, -EINVAL,
			     "unknown section type", 104, 2);
	}
	free(img);
}

static void t_section_reserved(void)
{
	unsigned int bit;
	u64 len;
	u8 *img = ref_image(1, &len);

	for (bit = 0; bit < 16; bit++) {
		put16(img + 32 + 2, (u16)(1U << bit));
		fix_section_crc(img, 32);
		expect_error("section flag", img, len, -EINVAL,
			     "unknown section flags or reserved bits", 34, 0);
	}
	put16(img + 32 + 2, 0);
	for (bit = 0; bit < 32; bit++) {
		put32(img + 32 + 8, 1U << bit);
		fix_section_crc(img, 32);
		expect_error("section reserved bit", img, len, -EINVAL,
			     "unknown section flags or reserved bits", 34, 0);
	}
	free(img);
}

static void t_section_padding(void)
{
	u64 len, k;
	u8 *img = ref_image(1, &len);

	/* The 9-byte NOTE at 72: payload at 88, padding at 97..103. */
	for (k = 97; k < 104; k++) {
		img[k] = 0x80;
		fix_section_crc(img, 72);
		expect_error("padding", img, len, -EINVAL,
			     "section padding not zero", k, 1);
		img[k] = 0;
	}
	fix_section_crc(img, 72);
	EXPECT(is_valid(img, len), "image refused after undo");
	free(img);
}

/* Writer state and the bytes around its buffer are left alone on error. */
#define GUARD	32

static bool guard_intact(const u8 *p, size_t n)
{
	while (n--)
		if (p[n] != 0xa5)
			return false;
	return true;
}

static void t_writer_errors(void)
{
	static const u16 bad_types[] = { CRAK_SEC_INVALID, __CRAK_SEC_MAX, 0xffff };
	u64 cap = CRAK_IMAGE_HDR_LEN + crak_section_size(9) + crak_section_size(0);
	struct crak_image_writer w;
	unsigned int i;
	u8 *buf;

	buf = xmalloc(cap + GUARD);
	memset(buf, 0xa5, cap + GUARD);
	crak_image_writer_init(&w, buf, cap);
	for (i = 0; i < ARRAY_SIZE(bad_types); i++)
		EXPECT(crak_image_add(&w, bad_types[i], "x", 1) == -EINVAL,
		       "type %u accepted", bad_types[i]);
	EXPECT(w.len == CRAK_IMAGE_HDR_LEN && w.nsections == 0,
	       "writer moved on -EINVAL");
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, ref_note9, 9) == 0, "first add");
	/* 16 bytes of room are left: a 1-byte section needs 24. */
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, "x", 1) == -ENOSPC,
	       "add past the end");
	EXPECT(w.len == CRAK_IMAGE_HDR_LEN + 32 && w.nsections == 1,
	       "writer moved on -ENOSPC");
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, NULL, 0) == 0, "exact fit");
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, NULL, 0) == -ENOSPC, "add when full");
	EXPECT(crak_image_finish(&w) == 0 && w.len == cap, "finish");
	EXPECT(guard_intact(buf + cap, GUARD), "wrote past the capacity");
	EXPECT(is_valid(buf, cap), "the image written is refused");

	/* Room for less than a header: nothing can be written at all. */
	memset(buf, 0xa5, cap + GUARD);
	crak_image_writer_init(&w, buf, CRAK_IMAGE_HDR_LEN - 1);
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, NULL, 0) == -ENOSPC,
	       "add with cap < header");
	EXPECT(crak_image_finish(&w) == -ENOSPC, "finish with cap < header");
	EXPECT(guard_intact(buf, cap + GUARD), "wrote with cap < header");

	/*
	 * Past CRAK_IMAGE_MAX_LEN: refused before a byte is written, so a
	 * capacity larger than the buffer is safe here (ASan would tell).
	 */
	crak_image_writer_init(&w, buf, UINT64_MAX);
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, buf, UINT32_MAX) == -ENOSPC,
	       "4 GiB section");
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, buf,
			      (u32)(CRAK_IMAGE_MAX_LEN - 48 + 1)) == -ENOSPC,
	       "section one byte past the format's limit");
	EXPECT(w.len == CRAK_IMAGE_HDR_LEN && w.nsections == 0,
	       "writer moved past the limit");
	free(buf);

	/* An empty image is 32 bytes and valid. */
	buf = xmalloc(CRAK_IMAGE_HDR_LEN);
	crak_image_writer_init(&w, buf, CRAK_IMAGE_HDR_LEN);
	EXPECT(crak_image_finish(&w) == 0 && w.len == CRAK_IMAGE_HDR_LEN &&
	       is_valid(buf, CRAK_IMAGE_HDR_LEN), "empty image");
	free(buf);
}

/* CRAK_IMAGE_MAX_SECTIONS empty sections: the most allowed, and one more. */
static void t_writer_max_sections(void)
{
	u64 cap = CRAK_IMAGE_HDR_LEN +
		  (u64)CRAK_IMAGE_MAX_SECTIONS * CRAK_SECTION_HDR_LEN + 16;
	struct crak_image_writer w;
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	u32 i, n = 0;
	int ret = 0;
	u8 *buf = xmalloc(cap);

	crak_image_writer_init(&w, buf, cap);
	for (i = 0; i < CRAK_IMAGE_MAX_SECTIONS && !ret; i++)
		ret = crak_image_add(&w, CRAK_SEC_NOTE, NULL, 0);
	EXPECT(!ret, "add %u: %d", i, ret);
	EXPECT(crak_image_add(&w, CRAK_SEC_NOTE, NULL, 0) == -E2BIG,
	       "section %u accepted", CRAK_IMAGE_MAX_SECTIONS + 1);
	EXPECT(crak_image_finish(&w) == 0, "finish");
	ret = crak_image_open(&r, buf, w.len, &e);
	EXPECT(!ret && r.nsections == CRAK_IMAGE_MAX_SECTIONS, "refused: %s",
	       ret ? e.what : "");
	while (!ret && crak_image_next(&r, &sec) == 1)
		n++;
	EXPECT(n == CRAK_IMAGE_MAX_SECTIONS, "%u sections read back", n);
	free(buf);
}

/*
 * An accepted image must be canonical: sections that tile the buffer
 * exactly, known types, no flags, and the writer, given the decoded
 * sections, must make the very same bytes.
 */
static void check_accepted(const char *ctx, const u8 *img, u64 len,
			   struct crak_image_reader *r)
{
	u64 off = CRAK_IMAGE_HDR_LEN, cap = CRAK_IMAGE_HDR_LEN;
	struct crak_image_writer w;
	struct crak_section sec;
	struct crak_image_reader r2 = *r;
	u32 n = 0;
	u8 *again;

	while (crak_image_next(r, &sec) == 1) {
		if (sec.offset != off || sec.data != img + off + 16 ||
		    crak_section_size(sec.len) > len - off ||
		    sec.type == CRAK_SEC_INVALID || sec.type >= __CRAK_SEC_MAX ||
		    sec.flags) {
			fail("%s: section %u at %llu outside the rules", ctx,
			     n, ULL(sec.offset));
			return;
		}
		off += crak_section_size(sec.len);
		cap += crak_section_size(sec.len);
		n++;
	}
	EXPECT(n == r->nsections && off == len, "%s: sections do not tile", ctx);
	again = xmalloc(cap);
	crak_image_writer_init(&w, again, cap);
	while (crak_image_next(&r2, &sec) == 1)
		crak_image_add(&w, sec.type, sec.data, sec.len);
	crak_image_finish(&w);
	EXPECT(w.len == len && !memcmp(again, img, len),
	       "%s: accepted image is not canonical", ctx);
	free(again);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * A random valid image of up to 8 text sections of up to 100 bytes: the
 * other types have payloads of their own, tested below.
 */
static u8 *random_image(u64 *len)
{
	struct spec s[8];
	u8 data[100];
	unsigned int i, n = rnd_below(9);

	rnd_fill(data, sizeof(data));
	for (i = 0; i < n; i++)
		s[i] = (struct spec){ rnd_below(2) ? CRAK_SEC_META : CRAK_SEC_NOTE,
				      rnd_below(101), data };
	return build(s, n, len);
}

/* One random change: a byte, a bit, a field, a cut, an extension. */
static u8 *mutate(u8 *img, u64 *lenp)
{
	static const u32 fields[] = { 0, 1, 0xffffffff, CRAK_IMAGE_MAX_SECTIONS,
				      CRAK_IMAGE_MAX_SECTIONS + 1, 0x80000000 };
	u64 len = *lenp, pos = rnd_below((u32)len + 1), nlen;
	u8 *out;

	switch (rnd_below(7)) {
	case 0:
		if (len)
			img[pos % len] = (u8)rnd();
		break;
	case 1:
		if (len)
			img[pos % len] ^= (u8)(1U << rnd_below(8));
		break;
	case 2:
		if (len >= 4)
			put32(img + pos % (len - 3), fields[rnd_below(ARRAY_SIZE(fields))]);
		break;
	case 3:
		if (len >= 2)
			put16(img + pos % (len - 1), (u16)rnd_below(4));
		break;
	case 4:
		*lenp = pos;	/* cut: the tail simply goes */
		break;
	default:
		nlen = len + 1 + rnd_below(24);
		out = xmalloc(nlen);
		memcpy(out, img, len);
		rnd_fill(out + len, nlen - len);
		if (rnd() & 1)
			memset(out + len, 0, nlen - len);
		free(img);
		*lenp = nlen;
		return out;
	}
	return img;
}

static void t_soak(void)
{
	const char *env_seed = getenv("CRAK_SOAK_SEED");
	const char *env_ms = getenv("CRAK_SOAK_MS");
	u64 seed = env_seed ? strtoull(env_seed, NULL, 0) : 0xc4a4c0dec;
	double budget = env_ms ? atof(env_ms) : 2000, start = now_ms();
	unsigned long iters = 0, accepted = 0, refused = 0;
	struct crak_image_reader r;
	struct crak_image_error e;
	unsigned int k, nmut;
	char ctx[96];
	u64 len, hn;
	u8 *img;
	int ret;

	rng_state = seed ? seed : 1;
	while (now_ms() - start < budget && !t_why[0]) {
		iters++;
		switch (rnd_below(4)) {
		case 0:		/* noise */
			len = rnd_below(512);
			img = xmalloc(len);
			rnd_fill(img, len);
			break;
		case 1:		/* noise behind a sealed, plausible header */
			len = CRAK_IMAGE_HDR_LEN + rnd_below(256);
			img = xmalloc(len);
			rnd_fill(img, len);
			memcpy(img, CRAK_IMAGE_MAGIC, CRAK_IMAGE_MAGIC_LEN);
			put16(img + 8, CRAK_IMAGE_VERSION);
			put16(img + 10, CRAK_IMAGE_HDR_LEN);
			put32(img + 12, 0);
			put64(img + 16, len);
			put32(img + 24, rnd_below(6));
			fix_all_crcs(img, len);
			break;
		default:	/* a valid image, changed, maybe resealed */
			img = random_image(&len);
			nmut = 1 + rnd_below(4);
			for (k = 0; k < nmut; k++)
				img = mutate(img, &len);
			if (rnd() & 1)
				fix_all_crcs(img, len);
			/* Exact size again after a cut, for ASan. */
			img = realloc(img, len ? len : 1);
			break;
		}
		hn = len >= CRAK_IMAGE_HDR_LEN ? get32(img + 24) : 0;
		memset(&e, 0, sizeof(e));
		ret = crak_image_open(&r, img, len, &e);
		snprintf(ctx, sizeof(ctx), "seed 0x%llx iteration %lu",
			 ULL(seed), iters);
		if (ret) {
			refused++;
			EXPECT(ret == -EINVAL || ret == -EBADMSG || ret == -EFBIG ||
			       ret == -EPROTONOSUPPORT, "%s: error %d", ctx, ret);
			EXPECT(e.what && e.offset <= len && e.section <= hn,
			       "%s: error report '%s' at section %u offset %llu",
			       ctx, e.what ? e.what : "(null)", e.section,
			       ULL(e.offset));
		} else {
			accepted++;
			check_accepted(ctx, img, len, &r);
		}
		free(img);
	}
	printf("# soak: seed 0x%llx, %lu images in %.0f ms: %lu accepted, %lu refused\n",
	       ULL(seed), iters, now_ms() - start, accepted, refused);
	EXPECT(iters > 1000, "only %lu iterations", iters);
}

/*
 * Checkpoint images: TASK, SOCK and SOCK_QUEUE sections. The reference:
 * 0 TASK (pid 4242, "python3", 2 sockets); 1 SOCK fd 3, IPv4, bound
 * 0.0.0.0:5353; 2 its queue: 5 bytes "hello", an empty datagram, 9 bytes;
 * 3 SOCK fd 5, IPv6, [::1]:6000 connected to [::1]:7, options set; 4 its
 * queue: 60000 bytes from 10.0.0.2 (IPv4 on the IPv6 socket), 8 bytes.
 */
struct ck_dgram_spec {
	u16 family;
	u8 src_last;	/* last byte of the source address */
	u16 sport;
	u32 len;
};

static const struct ck_dgram_spec ck_q1[] = {
	{ 2, 2, 4000, 5 }, { 2, 3, 4001, 0 }, { 2, 2, 4002, 9 },
};

static const struct ck_dgram_spec ck_q2[] = {
	{ 2, 2, 4003, 60000 }, { 10, 1, 4004, 8 },
};

/* Payload byte k of a datagram of length len: what cli_test.sh expects. */
static u8 ck_byte(u32 len, u32 k)
{
	if (len == 5)
		return (u8)"hello"[k];
	return (u8)(k * 7 + len);
}

static void ck_sock(struct crak_sock *s, int which)
{
	memset(s, 0, sizeof(*s));
	s->type = 2;
	s->protocol = 17;
	s->rcvlowat = 1;
	s->sndbuf = 212992;
	s->rcvbuf = 212992;
	s->ttl = CRAK_TTL_DEFAULT;
	s->hops = CRAK_TTL_DEFAULT;
	if (which == 0) {
		s->fd = 3;
		s->family = 2;
		s->state = 7;
		s->local_port = 5353;
		s->fd_flags = CRAK_FD_CLOEXEC;
		s->opts = CRAK_SO_REUSEADDR | CRAK_SO_BROADCAST | CRAK_SO_PORT_BOUND;
		s->udp_ndgrams = 3;
		s->udp_bytes = 14;
	} else {
		s->fd = 5;
		s->family = 10;
		s->state = 1;
		s->local_addr[15] = 1;
		s->peer_addr[15] = 1;
		s->local_port = 6000;
		s->peer_port = 7;
		s->fd_flags = CRAK_FD_NONBLOCK | CRAK_FD_CLOEXEC;
		s->opts = CRAK_SO_V6ONLY | CRAK_SO_REUSEPORT | CRAK_SO_RCVBUF_SET |
			  CRAK_SO_ADDR_BOUND | CRAK_SO_PORT_BOUND;
		s->rcvbuf = 65536;
		s->priority = 3;
		s->mark = 0x77;
		s->rcvlowat = 2;
		s->tclass = 0x20;
		s->tos = 0x10;
		s->ttl = 9;
		s->hops = 0;
		s->udp_flags = CRAK_UDP_NO_CHECK6_RX;
		s->udp_gso_size = 1200;
		s->udp_ndgrams = 2;
		s->udp_bytes = 60008;
	}
}

static void ck_dgram(const struct ck_dgram_spec *sp, struct crak_dgram *d)
{
	memset(d, 0, sizeof(*d));
	d->family = sp->family;
	d->sport = sp->sport;
	d->dport = 5353;
	d->len = sp->len;
	if (sp->family == 2) {
		d->saddr[0] = 10;
		d->saddr[3] = sp->src_last;
		d->daddr[0] = 10;
		d->daddr[3] = 1;
	} else {
		d->saddr[15] = sp->src_last;
		d->daddr[15] = 1;
	}
}

static u8 *ck_queue(u32 fd, const struct ck_dgram_spec *sp, u32 n, u32 *len)
{
	u64 size = CRAK_QUEUE_HDR_LEN, off;
	struct crak_dgram d;
	u32 i, k;
	u8 *p;

	for (i = 0; i < n; i++)
		size += crak_dgram_size(sp[i].len);
	p = xmalloc(size);
	off = crak_queue_put_hdr(p, fd, CRAK_QUEUE_UDP_RECV, n);
	for (i = 0; i < n; i++) {
		ck_dgram(&sp[i], &d);
		for (k = 0; k < d.len; k++)
			p[off + CRAK_DGRAM_HDR_LEN + k] = ck_byte(d.len, k);
		off += crak_dgram_put_hdr(p + off, &d);
	}
	*len = (u32)size;
	return p;
}

static void ck_task(struct crak_task *t)
{
	memset(t, 0, sizeof(*t));
	t->pid = 4242;
	t->nsockets = 2;
	t->start_time = 123456789012ULL;
	strcpy(t->comm, "python3");
}

/* The five payloads of the reference, for images built from them. */
struct ck_parts {
	u8 task[CRAK_TASK_LEN];
	u8 sock[2][CRAK_SOCK_COMMON_LEN + CRAK_SOCK_UDP_LEN];
	u8 *queue[2];
	u32 qlen[2];
	struct spec s[5];
};

static void ck_parts(struct ck_parts *c)
{
	struct crak_task t;
	struct crak_sock s;
	int i;

	ck_task(&t);
	crak_task_put(c->task, &t);
	c->s[0] = (struct spec){ CRAK_SEC_TASK, CRAK_TASK_LEN, c->task };
	for (i = 0; i < 2; i++) {
		ck_sock(&s, i);
		c->s[1 + 2 * i] = (struct spec){ CRAK_SEC_SOCK,
						 crak_sock_put(c->sock[i], &s),
						 c->sock[i] };
	}
	c->queue[0] = ck_queue(3, ck_q1, ARRAY_SIZE(ck_q1), &c->qlen[0]);
	c->queue[1] = ck_queue(5, ck_q2, ARRAY_SIZE(ck_q2), &c->qlen[1]);
	c->s[2] = (struct spec){ CRAK_SEC_SOCK_QUEUE, c->qlen[0], c->queue[0] };
	c->s[4] = (struct spec){ CRAK_SEC_SOCK_QUEUE, c->qlen[1], c->queue[1] };
}

static void ck_parts_free(struct ck_parts *c)
{
	free(c->queue[0]);
	free(c->queue[1]);
}

static u8 *ck_image(u64 *len)
{
	struct ck_parts c;
	u8 *img;

	ck_parts(&c);
	img = build(c.s, 5, len);
	ck_parts_free(&c);
	return img;
}

/* Offset of section i's header in a valid image. */
static u64 ck_sec_off(const u8 *img, u64 len, u32 i)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	u32 k;

	if (crak_image_open(&r, img, len, &e))
		return 0;
	for (k = 0; crak_image_next(&r, &sec); k++)
		if (k == i)
			return sec.offset;
	return len;
}

static void t_ckpt_round_trip(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	struct crak_task t, tw;
	struct crak_sock s, sw;
	struct crak_queue q;
	struct crak_dgram d, dw;
	const struct ck_dgram_spec *sp;
	u32 i = 0, n, k;
	u64 len;
	u8 *img = ck_image(&len);

	EXPECT(len == 60680, "reference checkpoint image is %llu bytes, not 60680",
	       ULL(len));
	EXPECT(open_copy(img, len, &r, &e) == 0, "refused: %s (section %u, offset %llu)",
	       e.what, e.section, ULL(e.offset));
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	while (crak_image_next(&r, &sec) == 1) {
		switch (i) {
		case 0:
			ck_task(&tw);
			EXPECT(crak_task_get(&sec, &t) == 0 &&
			       !memcmp(&t, &tw, sizeof(t)), "TASK decodes differently");
			break;
		case 1:
		case 3:
			ck_sock(&sw, i == 3);
			EXPECT(crak_sock_get(&sec, &s) == 0 &&
			       !memcmp(&s, &sw, sizeof(s)),
			       "SOCK %u decodes differently", i);
			EXPECT(crak_task_get(&sec, &t) == -EINVAL &&
			       crak_queue_get(&sec, &q) == -EINVAL,
			       "SOCK decoded as another type");
			break;
		default:
			sp = i == 2 ? ck_q1 : ck_q2;
			n = i == 2 ? ARRAY_SIZE(ck_q1) : ARRAY_SIZE(ck_q2);
			EXPECT(crak_queue_get(&sec, &q) == 0 && q.count == n &&
			       q.fd == (i == 2 ? 3U : 5U) &&
			       q.kind == CRAK_QUEUE_UDP_RECV, "queue header");
			for (k = 0; k < n; k++) {
				ck_dgram(&sp[k], &dw);
				memset(&d, 0, sizeof(d));
				EXPECT(crak_queue_next(&q, &d) == 1, "datagram %u missing", k);
				EXPECT(d.family == dw.family && d.flags == dw.flags &&
				       d.sport == dw.sport && d.dport == dw.dport &&
				       d.len == dw.len &&
				       !memcmp(d.saddr, dw.saddr, 16) &&
				       !memcmp(d.daddr, dw.daddr, 16),
				       "queue %u datagram %u decodes differently", i, k);
				for (n = 0; n < d.len; n++)
					if (d.data[n] != ck_byte(d.len, n))
						break;
				EXPECT(n == d.len, "queue %u datagram %u payload", i, k);
				n = i == 2 ? ARRAY_SIZE(ck_q1) : ARRAY_SIZE(ck_q2);
			}
			EXPECT(crak_queue_next(&q, &d) == 0, "queue %u: more datagrams", i);
			break;
		}
		i++;
	}
	EXPECT(i == 5, "%u sections", i);
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	check_accepted("checkpoint reference", img, len, &r);
	/* Text sections may surround it, and an image may hold no socket. */
	{
		struct ck_parts c;
		struct crak_task t0;
		u8 tb[CRAK_TASK_LEN], *img2;
		struct spec s7[7];
		u64 l2;

		ck_parts(&c);
		s7[0] = (struct spec){ CRAK_SEC_META, 3, "abc" };
		memcpy(s7 + 1, c.s, sizeof(c.s));
		s7[6] = (struct spec){ CRAK_SEC_NOTE, 2, "hi" };
		img2 = build(s7, 7, &l2);
		EXPECT(is_valid(img2, l2), "META, checkpoint, NOTE refused");
		free(img2);
		ck_task(&t0);
		t0.nsockets = 0;
		s7[0] = (struct spec){ CRAK_SEC_TASK, crak_task_put(tb, &t0), tb };
		img2 = build(s7, 1, &l2);
		EXPECT(is_valid(img2, l2), "TASK without sockets refused");
		free(img2);
		ck_parts_free(&c);
	}
	free(img);
}

/* One field changed in section sec at payload offset off, resealed. */
struct ck_poke {
	u32 sec, off, width;
	u64 val;
};

struct ck_bad {
	const char *name;
	struct ck_poke poke[3];
	const char *what;
	u32 err_sec, err_off;	/* err_off from the start of that payload */
};

static const struct ck_bad ck_bads[] = {
	{ "TASK pid 0", { { 0, 0, 4, 0 } }, "TASK pid is 0", 0, 0 },
	{ "TASK comm not terminated", { { 0, 31, 1, 'x' } },
	  "TASK command name not NUL-terminated", 0, 31 },
	{ "TASK comm not padded", { { 0, 26, 1, 'x' } },
	  "TASK command name not NUL-padded", 0, 26 },
	{ "TASK reserved", { { 0, 39, 1, 1 } }, "TASK reserved bytes not zero", 0, 32 },
	{ "TASK socket count", { { 0, 4, 4, 3 } },
	  "TASK socket count differs from the SOCK sections", 0, 4 },
	{ "SOCK fd out of range", { { 1, 0, 4, 0x80000000 } },
	  "socket descriptor out of range", 1, 0 },
	{ "SOCK family", { { 1, 4, 2, 1 } }, "unknown socket family", 1, 4 },
	{ "SOCK type", { { 1, 6, 2, 1 } }, "unsupported socket type or protocol", 1, 6 },
	{ "SOCK protocol TCP", { { 1, 8, 2, 6 } },
	  "unsupported socket type or protocol", 1, 6 },
	{ "SOCK state", { { 1, 10, 1, 10 } }, "bad UDP socket state", 1, 10 },
	{ "SOCK reserved 11", { { 1, 11, 1, 1 } }, "SOCK reserved bytes not zero", 1, 11 },
	{ "SOCK fd flags", { { 1, 12, 4, 4 } }, "unknown descriptor flags", 1, 12 },
	{ "SOCK option bits", { { 1, 16, 4, 0x400 } }, "unknown socket option flags", 1, 16 },
	{ "SOCK v6only on IPv4", { { 1, 16, 4, CRAK_SO_V6ONLY } },
	  "IPV6_V6ONLY on an IPv4 socket", 1, 16 },
	{ "SOCK ttl", { { 1, 42, 2, 256 } }, "TTL out of range", 1, 42 },
	{ "SOCK hops", { { 3, 44, 2, 300 } }, "hop limit out of range", 3, 44 },
	{ "SOCK reserved 50", { { 1, 50, 2, 1 } }, "SOCK reserved bytes not zero", 1, 50 },
	{ "SOCK IPv4 local address", { { 1, 60, 1, 1 } },
	  "IPv4 address with bytes past the fourth", 1, 56 },
	{ "SOCK IPv4 peer address", { { 1, 87, 1, 1 } },
	  "IPv4 address with bytes past the fourth", 1, 72 },
	{ "SOCK connected without peer port", { { 1, 10, 1, 1 } },
	  "connected socket without a peer port", 1, 48 },
	{ "SOCK protocol part length", { { 1, 52, 4, 25 } },
	  "SOCK protocol part length does not match", 1, 52 },
	{ "SOCK UDP flags", { { 1, 92, 4, 4 } }, "unknown UDP flags", 1, 92 },
	{ "SOCK UDP bytes", { { 1, 96, 8, 3 * 65535 + 1 } },
	  "more UDP payload bytes than its datagrams hold", 1, 96 },
	{ "SOCK UDP reserved", { { 1, 108, 1, 1 } }, "SOCK reserved bytes not zero", 1, 106 },
	{ "QUEUE count vs socket", { { 1, 88, 4, 4 } },
	  "datagram count differs from its socket's", 2, 8 },
	{ "QUEUE bytes vs socket", { { 1, 96, 8, 15 } },
	  "datagram bytes differ from its socket's", 2, 0 },
	{ "QUEUE fd", { { 2, 0, 4, 4 } },
	  "SOCK_QUEUE of another descriptor than its socket", 2, 0 },
	{ "QUEUE kind", { { 2, 4, 2, 9 } }, "unknown queue kind", 2, 4 },
	{ "QUEUE kind TCP on UDP", { { 2, 4, 2, CRAK_QUEUE_TCP_RECV } },
	  "TCP queue length differs from its byte count", 2, 8 },
	{ "QUEUE reserved 6", { { 2, 6, 2, 1 } }, "SOCK_QUEUE reserved bytes not zero", 2, 6 },
	{ "QUEUE reserved 12", { { 2, 12, 4, 1 } }, "SOCK_QUEUE reserved bytes not zero", 2, 12 },
	{ "datagram family", { { 2, 16, 2, 3 } }, "unknown datagram family", 2, 16 },
	{ "datagram flags", { { 2, 18, 2, 2 } }, "unknown datagram flags", 2, 18 },
	{ "datagram too long", { { 2, 24, 4, 65536 } },
	  "datagram longer than 65535 bytes", 2, 24 },
	{ "datagram reserved", { { 2, 28, 4, 1 } }, "datagram reserved bytes not zero", 2, 28 },
	{ "datagram IPv4 source", { { 2, 16 + 16 + 4, 1, 1 } },
	  "IPv4 address with bytes past the fourth", 2, 32 },
	{ "datagram IPv4 destination", { { 2, 16 + 32 + 15, 1, 1 } },
	  "IPv4 address with bytes past the fourth", 2, 48 },
	{ "datagram padding", { { 2, 16 + 48 + 5, 1, 1 } },
	  "datagram padding not zero", 2, 16 + 48 + 5 },
	/* Third datagram of queue 1: 9 bytes at 16 + 56 + 48. */
	{ "datagram past the end", { { 2, 16 + 56 + 48 + 8, 4, 17 } },
	  "datagram runs past the end of its queue", 2, 16 + 56 + 48 + 8 },
	{ "one datagram more than there is", { { 1, 88, 4, 4 }, { 2, 8, 4, 4 } },
	  "datagram header cut short", 2, 16 + 56 + 48 + 64 },
	{ "one datagram fewer than there is", { { 1, 88, 4, 2 }, { 2, 8, 4, 2 } },
	  "trailing bytes after the last datagram", 2, 16 + 56 + 48 },
	{ "IPv6 datagram on an IPv4 socket", { { 2, 16, 2, 10 } },
	  "IPv6 datagram on an IPv4 socket", 2, 16 },
};

static void ck_put(u8 *p, u32 width, u64 v)
{
	switch (width) {
	case 1:
		*p = (u8)v;
		break;
	case 2:
		put16(p, (u16)v);
		break;
	case 4:
		put32(p, (u32)v);
		break;
	default:
		put64(p, v);
		break;
	}
}

static void t_ckpt_malformed(void)
{
	const struct ck_bad *b;
	u64 len, off;
	size_t i;
	int k;
	u8 *ref = ck_image(&len), *img;

	for (i = 0; i < ARRAY_SIZE(ck_bads); i++) {
		b = &ck_bads[i];
		img = dup_exact(ref, len);
		for (k = 0; k < 3 && b->poke[k].width; k++) {
			off = ck_sec_off(ref, len, b->poke[k].sec);
			ck_put(img + off + 16 + b->poke[k].off, b->poke[k].width,
			       b->poke[k].val);
			fix_section_crc(img, off);
		}
		expect_error(b->name, img, len, -EINVAL, b->what,
			     ck_sec_off(ref, len, b->err_sec) + 16 + b->err_off,
			     b->err_sec);
		free(img);
	}
	free(ref);
}

/* Sections in an order the format does not allow. */
static void t_ckpt_order(void)
{
	static const struct {
		const char *name;
		int order[7];	/* indexes into the reference parts, -1 ends */
		const char *what;
		u32 sec;
		bool at_payload;
	} cases[] = {
		{ "two TASKs", { 0, 0, -1 }, "more than one TASK section", 1, false },
		{ "SOCK before TASK", { 1, 2, 0, -1 },
		  "SOCK section before the TASK section", 0, false },
		{ "SOCK then SOCK", { 0, 1, 3, 4, -1 },
		  "UDP socket without its SOCK_QUEUE section", 2, false },
		{ "SOCK at the end", { 0, 1, -1 },
		  "UDP socket without its SOCK_QUEUE section", 2, false },
		{ "SOCK_QUEUE alone", { 0, 2, -1 },
		  "SOCK_QUEUE section without its socket before it", 1, false },
		{ "descriptors decreasing", { 0, 3, 4, 1, 2, -1 },
		  "socket descriptors not in increasing order", 3, true },
		{ "same descriptor twice", { 0, 1, 2, 1, 2, -1 },
		  "socket descriptors not in increasing order", 3, true },
		{ "NOTE between SOCK and its queue", { 0, 1, 5, 2, 3, 4, -1 },
		  "UDP socket without its SOCK_QUEUE section", 2, false },
	};
	struct spec s[7];
	struct ck_parts c;
	u64 len, off;
	size_t i;
	int n;
	u8 *img;

	ck_parts(&c);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; cases[i].order[n] >= 0; n++)
			s[n] = cases[i].order[n] == 5 ?
			       (struct spec){ CRAK_SEC_NOTE, 2, "hi" } :
			       c.s[cases[i].order[n]];
		img = build(s, (unsigned int)n, &len);
		/* The offset of the section at fault, or the end. */
		off = CRAK_IMAGE_HDR_LEN;
		for (n = 0; (u32)n < cases[i].sec; n++)
			off += crak_section_size(s[n].len);
		if (cases[i].at_payload)
			off += CRAK_SECTION_HDR_LEN;
		expect_error(cases[i].name, img, len, -EINVAL, cases[i].what,
			     off, cases[i].sec);
		free(img);
	}
	ck_parts_free(&c);
}

/*
 * Every byte change of the checkpoint reference, sealed again: refused,
 * or accepted only as an image that decodes.
 */
static void t_ckpt_sealed_changes(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	u64 len, k, accepted = 0, refused = 0;
	u8 *ref = ck_image(&len), *img;

	/* Headers and the first record of each queue: the fields. */
	for (k = CRAK_IMAGE_HDR_LEN; k < 560 + 16 + 16 + 48; k++) {
		img = dup_exact(ref, len);
		img[k] ^= 0x41;
		fix_all_crcs(img, len);
		memset(&e, 0, sizeof(e));
		if (crak_image_open(&r, img, len, &e)) {
			refused++;
			EXPECT(e.what && e.offset <= len, "byte %llu: bad report", ULL(k));
		} else {
			accepted++;
			check_accepted("sealed change", img, len, &r);
		}
		free(img);
	}
	printf("# checkpoint reference: %llu sealed byte changes, %llu refused, %llu accepted (payload bytes, ports, counters that still agree)\n",
	       ULL(accepted + refused), ULL(refused), ULL(accepted));
	free(ref);
}

/*
 * The TCP reference: TASK, an IPv4 ESTABLISHED socket (fd 3: 500 bytes to
 * send, 300 of them sent, 200 to read) and an IPv6 LAST_ACK socket (fd 4:
 * sequence numbers across 2^32, both FINs, 48 bytes to send, 15 to read),
 * each with its send and its receive queue.
 */
static void tk_sock(struct crak_sock *s, int which)
{
	struct crak_tcp *t = &s->tcp;

	memset(s, 0, sizeof(*s));
	s->type = 1;
	s->protocol = 6;
	s->sndbuf = 46080;
	s->rcvbuf = 131072;
	s->rcvlowat = 1;
	s->ttl = CRAK_TTL_DEFAULT;
	s->hops = CRAK_TTL_DEFAULT;
	s->opts = CRAK_SO_ADDR_BOUND | CRAK_SO_PORT_BOUND;
	t->mss_clamp = 1460;
	t->opts = CRAK_TCP_WSCALE | CRAK_TCP_SACK | CRAK_TCP_TIMESTAMPS;
	t->snd_wscale = 7;
	t->rcv_wscale = 7;
	t->srtt_us = 800;
	t->mdev_us = 200;
	t->rto_ms = 200;
	t->cwnd = 10;
	t->ssthresh = 0x7fffffff;
	if (which == 0) {
		s->fd = 3;
		s->family = 2;
		s->state = 1;
		s->local_addr[0] = 10;
		s->local_addr[3] = 1;
		s->peer_addr[0] = 10;
		s->peer_addr[3] = 2;
		s->local_port = 8000;
		s->peer_port = 40000;
		t->snd_una = 1000;
		t->snd_nxt = 1300;
		t->write_seq = 1500;
		t->copied_seq = 4800;
		t->rcv_nxt = 5000;
		t->opts |= CRAK_TCP_NODELAY | CRAK_TCP_KEEPALIVE;
		t->keepidle = 60;
		t->keepintvl = 5;
		t->keepcnt = 3;
		t->send_bytes = 500;
		t->recv_bytes = 200;
		t->ofo_bytes = 1448;
	} else {
		s->fd = 4;
		s->family = 10;
		s->state = 9;
		s->local_addr[15] = 1;
		s->peer_addr[15] = 2;
		s->local_port = 8001;
		s->peer_port = 40001;
		s->fd_flags = CRAK_FD_NONBLOCK;
		t->snd_una = 0xfffffff0;
		t->snd_nxt = 0x10;
		t->write_seq = 0x21;
		t->copied_seq = 0x80000000;
		t->rcv_nxt = 0x80000010;
		t->opts |= CRAK_TCP_LINGER | CRAK_TCP_CORK;
		t->linger = 5;
		t->user_timeout = 30000;
		t->notsent_lowat = 16384;
		t->send_bytes = 48;
		t->recv_bytes = 15;
	}
	t->snd_wl1 = t->rcv_nxt - 10;
	t->snd_wnd = 65535;
	t->max_window = 65535;
	t->rcv_wnd = 64000;
	t->rcv_wup = t->rcv_nxt;
	t->ts_val = 0x12345678;
	t->ts_recent = 0x9abcdef0;
}

static u8 *tk_queue(u32 fd, u16 kind, u32 n, u32 *len)
{
	u8 *p = xmalloc(CRAK_QUEUE_HDR_LEN + n);
	u32 k;

	crak_queue_put_hdr(p, fd, kind, n);
	for (k = 0; k < n; k++)
		p[CRAK_QUEUE_HDR_LEN + k] = ck_byte(n + kind, k);
	*len = CRAK_QUEUE_HDR_LEN + n;
	return p;
}

struct tk_parts {
	u8 task[CRAK_TASK_LEN];
	u8 sock[2][CRAK_SOCK_COMMON_LEN + CRAK_SOCK_TCP_LEN];
	u8 *queue[4];
	u32 qlen[4];
	struct spec s[7];
};

static void tk_parts(struct tk_parts *c)
{
	struct crak_task t;
	struct crak_sock s;
	int i;

	ck_task(&t);
	crak_task_put(c->task, &t);
	c->s[0] = (struct spec){ CRAK_SEC_TASK, CRAK_TASK_LEN, c->task };
	for (i = 0; i < 2; i++) {
		tk_sock(&s, i);
		c->s[1 + 3 * i] = (struct spec){ CRAK_SEC_SOCK,
						 crak_sock_put(c->sock[i], &s),
						 c->sock[i] };
		c->queue[2 * i] = tk_queue(s.fd, CRAK_QUEUE_TCP_SEND,
					   s.tcp.send_bytes, &c->qlen[2 * i]);
		c->queue[2 * i + 1] = tk_queue(s.fd, CRAK_QUEUE_TCP_RECV,
					       s.tcp.recv_bytes,
					       &c->qlen[2 * i + 1]);
		c->s[2 + 3 * i] = (struct spec){ CRAK_SEC_SOCK_QUEUE,
						 c->qlen[2 * i], c->queue[2 * i] };
		c->s[3 + 3 * i] = (struct spec){ CRAK_SEC_SOCK_QUEUE,
						 c->qlen[2 * i + 1],
						 c->queue[2 * i + 1] };
	}
}

static void tk_parts_free(struct tk_parts *c)
{
	int i;

	for (i = 0; i < 4; i++)
		free(c->queue[i]);
}

static u8 *tk_image(u64 *len)
{
	struct tk_parts c;
	u8 *img;

	tk_parts(&c);
	img = build(c.s, 7, len);
	tk_parts_free(&c);
	return img;
}

static void t_tcp_round_trip(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	struct crak_sock s, sw;
	struct crak_queue q;
	struct crak_dgram d;
	u32 i = 0, k, want;
	u16 kind;
	u64 len;
	u8 *img = tk_image(&len);

	EXPECT(open_copy(img, len, &r, &e) == 0, "refused: %s (section %u, offset %llu)",
	       e.what, e.section, ULL(e.offset));
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	while (crak_image_next(&r, &sec) == 1) {
		if (i == 1 || i == 4) {
			tk_sock(&sw, i == 4);
			EXPECT(crak_sock_get(&sec, &s) == 0 &&
			       !memcmp(&s, &sw, sizeof(s)),
			       "SOCK %u decodes differently", i);
			EXPECT(sec.len == CRAK_SOCK_COMMON_LEN + CRAK_SOCK_TCP_LEN,
			       "SOCK %u is %u bytes", i, sec.len);
			EXPECT(crak_tcp_send_bytes(&s) == s.tcp.send_bytes &&
			       crak_tcp_recv_bytes(&s) == s.tcp.recv_bytes,
			       "SOCK %u byte counts", i);
			EXPECT(crak_tcp_sent_bytes(&s) == (i == 1 ? 300U : 32U),
			       "SOCK %u: %u bytes sent", i, crak_tcp_sent_bytes(&s));
		} else if (i) {
			kind = (i == 2 || i == 5) ? CRAK_QUEUE_TCP_SEND :
			       CRAK_QUEUE_TCP_RECV;
			want = kind == CRAK_QUEUE_TCP_SEND ? sw.tcp.send_bytes :
			       sw.tcp.recv_bytes;
			EXPECT(crak_queue_get(&sec, &q) == 0 && q.kind == kind &&
			       q.fd == sw.fd && q.count == want,
			       "queue %u header", i);
			for (k = 0; k < q.count; k++)
				if (q.data[k] != ck_byte(want + kind, k))
					break;
			EXPECT(k == want, "queue %u byte %u", i, k);
			EXPECT(crak_queue_next(&q, &d) == 0,
			       "queue %u: a TCP queue has no records", i);
		}
		i++;
	}
	EXPECT(i == 7, "%u sections", i);
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	check_accepted("TCP reference", img, len, &r);
	free(img);
}

/* Unsealed: every byte change breaks a checksum; every cut, a length. */
static void t_tcp_changes_and_cuts(void)
{
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	struct crak_image_reader r;
	struct crak_image_error e;
	unsigned long tried = 0, cuts = 0;
	unsigned int f;
	u64 len, off;
	int ret;
	u8 *img = tk_image(&len);

	for (off = 0; off < len; off++) {
		for (f = 0; f < ARRAY_SIZE(flips); f++) {
			img[off] ^= flips[f];
			ret = open_copy(img, len, &r, &e);
			img[off] ^= flips[f];
			tried++;
			EXPECT(ret < 0 && e.what && e.offset <= len,
			       "xor 0x%02x at %llu: %s", flips[f], ULL(off),
			       ret ? "no message" : "accepted");
		}
	}
	for (off = 0; off < len; off++, cuts++) {
		ret = open_copy(img, off, &r, &e);
		EXPECT(ret == -EINVAL && e.what && !strncmp(e.what, "truncated: ", 11),
		       "cut to %llu: %d %s", ULL(off), ret, e.what ? e.what : "");
	}
	printf("# TCP reference (%llu bytes): %lu byte changes, %lu truncations, all refused\n",
	       ULL(len), tried, cuts);
	free(img);
}

static const struct ck_bad tk_bads[] = {
	{ "TCP state CLOSE", { { 1, 10, 1, 7 } }, "bad TCP socket state", 1, 10 },
	{ "TCP state LISTEN with a peer", { { 1, 10, 1, 10 } },
	  "listening socket with a peer", 1, 48 },
	{ "TCP state TIME_WAIT", { { 1, 10, 1, 6 } }, "bad TCP socket state", 1, 10 },
	{ "TCP type DGRAM", { { 1, 6, 2, 2 } },
	  "unsupported socket type or protocol", 1, 6 },
	{ "TCP without local port", { { 1, 46, 2, 0 } },
	  "TCP socket without a local port", 1, 46 },
	{ "TCP without peer port", { { 1, 48, 2, 0 } },
	  "connected socket without a peer port", 1, 48 },
	{ "TCP part length", { { 1, 52, 4, 24 } },
	  "SOCK protocol part length does not match", 1, 52 },
	{ "TCP snd_nxt past write_seq", { { 1, 92, 4, 1501 } },
	  "TCP send sequence numbers out of order", 1, 92 },
	{ "TCP snd_nxt before snd_una", { { 1, 92, 4, 999 } },
	  "TCP send sequence numbers out of order", 1, 92 },
	{ "TCP FIN_WAIT2 with bytes unacked", { { 1, 10, 1, 5 } },
	  "TCP FIN not where the state says", 1, 96 },
	{ "TCP FIN_WAIT1 without a FIN",
	  { { 1, 10, 1, 4 }, { 1, 96, 4, 1000 }, { 1, 92, 4, 1000 } },
	  "TCP FIN not where the state says", 1, 96 },
	{ "TCP option flags", { { 1, 128, 4, 0x80 } },
	  "unknown TCP option flags", 1, 128 },
	{ "TCP MSS 0", { { 1, 132, 2, 0 } }, "TCP MSS is 0", 1, 132 },
	{ "TCP snd_wscale 15", { { 1, 134, 1, 15 } },
	  "TCP window scale out of range", 1, 134 },
	{ "TCP rcv_wscale 15", { { 1, 135, 1, 15 } },
	  "TCP window scale out of range", 1, 135 },
	{ "TCP wscale without the option", { { 1, 128, 4, CRAK_TCP_SACK } },
	  "TCP window scale out of range", 1, 134 },
	{ "TCP keepidle", { { 1, 164, 4, 32768 } },
	  "TCP keepalive setting out of range", 1, 164 },
	{ "TCP keepintvl", { { 1, 168, 4, 32768 } },
	  "TCP keepalive setting out of range", 1, 168 },
	{ "TCP keepcnt", { { 1, 172, 4, 128 } },
	  "TCP keepalive setting out of range", 1, 172 },
	{ "TCP user timeout", { { 1, 176, 4, 0x80000000 } },
	  "TCP user timeout out of range", 1, 176 },
	{ "TCP linger without SO_LINGER", { { 1, 180, 4, 1 } },
	  "TCP linger time out of range", 1, 180 },
	{ "TCP send bytes", { { 1, 188, 4, 499 } },
	  "TCP send bytes differ from the sequence numbers", 1, 188 },
	{ "TCP receive bytes", { { 1, 192, 4, 201 } },
	  "TCP receive bytes differ from the sequence numbers", 1, 192 },
	{ "TCP receive bytes with FIN", { { 4, 192, 4, 16 } },
	  "TCP receive bytes differ from the sequence numbers", 4, 192 },
	{ "TCP send bytes with FIN", { { 4, 188, 4, 49 } },
	  "TCP send bytes differ from the sequence numbers", 4, 188 },
	{ "TCP queue kind swapped", { { 2, 4, 2, CRAK_QUEUE_TCP_RECV } },
	  "SOCK_QUEUE of the wrong kind for its socket", 2, 4 },
	{ "TCP queue kind UDP", { { 3, 4, 2, CRAK_QUEUE_UDP_RECV } },
	  "SOCK_QUEUE of the wrong kind for its socket", 3, 4 },
	{ "TCP queue fd", { { 3, 0, 4, 4 } },
	  "SOCK_QUEUE of another descriptor than its socket", 3, 0 },
	{ "TCP queue count vs length", { { 2, 8, 4, 499 } },
	  "TCP queue length differs from its byte count", 2, 8 },
	{ "TCP queue reserved 12", { { 2, 12, 4, 1 } },
	  "SOCK_QUEUE reserved bytes not zero", 2, 12 },
	{ "TCP queue bytes vs socket", { { 1, 96, 4, 1501 }, { 1, 188, 4, 501 } },
	  "TCP queue bytes differ from its socket's", 2, 8 },
};

static void t_tcp_malformed(void)
{
	const struct ck_bad *b;
	u64 len, off;
	size_t i;
	int k;
	u8 *ref = tk_image(&len), *img;

	for (i = 0; i < ARRAY_SIZE(tk_bads); i++) {
		b = &tk_bads[i];
		img = dup_exact(ref, len);
		for (k = 0; k < 3 && b->poke[k].width; k++) {
			off = ck_sec_off(ref, len, b->poke[k].sec);
			ck_put(img + off + 16 + b->poke[k].off, b->poke[k].width,
			       b->poke[k].val);
			fix_section_crc(img, off);
		}
		expect_error(b->name, img, len, -EINVAL, b->what,
			     ck_sec_off(ref, len, b->err_sec) + 16 + b->err_off,
			     b->err_sec);
		free(img);
	}
	free(ref);
}

static void t_tcp_order(void)
{
	static const struct {
		const char *name;
		int order[8];
		const char *what;
		u32 sec;
		bool at_payload;
	} cases[] = {
		{ "TCP SOCK with one queue", { 0, 1, 2, 4, 5, 6, -1 },
		  "TCP socket without its two SOCK_QUEUE sections", 3, false },
		{ "TCP SOCK at the end", { 0, 1, 2, 3, 4, -1 },
		  "TCP socket without its two SOCK_QUEUE sections", 5, false },
		{ "TCP queues swapped", { 0, 1, 3, 2, 4, 5, 6, -1 },
		  "SOCK_QUEUE of the wrong kind for its socket", 2, true },
		{ "TCP third queue", { 0, 1, 2, 3, 3, 4, 5, 6 },
		  "SOCK_QUEUE section without its socket before it", 4, false },
	};
	struct spec s[8];
	struct tk_parts c;
	u64 len, off;
	size_t i;
	int n;
	u8 *img;

	tk_parts(&c);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; n < 8 && cases[i].order[n] >= 0; n++)
			s[n] = c.s[cases[i].order[n]];
		img = build(s, (unsigned int)n, &len);
		off = CRAK_IMAGE_HDR_LEN;
		for (n = 0; (u32)n < cases[i].sec; n++)
			off += crak_section_size(s[n].len);
		if (cases[i].at_payload)
			off += CRAK_SECTION_HDR_LEN + 4;
		expect_error(cases[i].name, img, len, -EINVAL, cases[i].what,
			     off, cases[i].sec);
		free(img);
	}
	tk_parts_free(&c);
}

/* Every byte of the TCP reference changed and sealed again. */
static void t_tcp_sealed_changes(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	u64 len, k, accepted = 0, refused = 0;
	u8 *ref = tk_image(&len), *img;

	for (k = CRAK_IMAGE_HDR_LEN; k < len; k++) {
		img = dup_exact(ref, len);
		img[k] ^= 0x41;
		fix_all_crcs(img, len);
		memset(&e, 0, sizeof(e));
		if (crak_image_open(&r, img, len, &e)) {
			refused++;
			EXPECT(e.what && e.offset <= len, "byte %llu: bad report", ULL(k));
		} else {
			accepted++;
			check_accepted("sealed change", img, len, &r);
		}
		free(img);
	}
	printf("# TCP reference: %llu sealed byte changes, %llu refused, %llu accepted (payload bytes, fields without a rule)\n",
	       ULL(accepted + refused), ULL(refused), ULL(accepted));
	free(ref);
}

/*
 * The listener reference: TASK (2 sockets), an IPv4 listener on fd 3 with
 * two connections not accepted yet (an ESTABLISHED one with 200 bytes to
 * read, a CLOSE_WAIT one with 199 bytes and the peer's FIN; neither has
 * anything to send), each with its two queues, then an IPv6 listener on fd 4 without
 * children, and a NOTE (index 9) that only the order cases use.
 */
static void ls_sock(struct crak_sock *s, int which)
{
	struct crak_listen *l = &s->listen;

	tk_sock(s, 0);
	if (which == 1 || which == 2) {
		s->fd = 3;
		s->opts = 0;
		/* Never written to: nothing to send. */
		s->tcp.snd_nxt = s->tcp.snd_una;
		s->tcp.write_seq = s->tcp.snd_una;
		s->tcp.send_bytes = 0;
		if (which == 2) {
			s->state = 8;
			s->peer_port = 40002;
			s->tcp.recv_bytes = 199;
		}
		return;
	}
	memset(&s->tcp, 0, sizeof(s->tcp));
	memset(s->peer_addr, 0, sizeof(s->peer_addr));
	memset(s->local_addr, 0, sizeof(s->local_addr));
	s->peer_port = 0;
	s->state = 10;
	s->opts = CRAK_SO_REUSEADDR | CRAK_SO_PORT_BOUND;
	l->backlog = 128;
	l->opts = CRAK_TCP_NODELAY;
	if (which == 0) {
		s->fd = 3;
		l->children = 2;
		l->in_handshake = 1;
		l->defer_accept = 5;
	} else {
		s->fd = 4;
		s->family = 10;
		s->local_port = 8443;
		s->opts |= CRAK_SO_V6ONLY;
		l->fastopen_qlen = 16;
	}
}

struct ls_parts {
	u8 task[CRAK_TASK_LEN];
	u8 sock[4][CRAK_SOCK_COMMON_LEN + CRAK_SOCK_TCP_LEN];
	u8 *queue[4];
	u32 qlen[4];
	struct spec s[10];
};

static void ls_parts(struct ls_parts *c)
{
	static const char note[] = "between";
	struct crak_task t;
	struct crak_sock s;
	int i;

	ck_task(&t);
	crak_task_put(c->task, &t);
	c->s[0] = (struct spec){ CRAK_SEC_TASK, CRAK_TASK_LEN, c->task };
	ls_sock(&s, 0);
	c->s[1] = (struct spec){ CRAK_SEC_SOCK, crak_sock_put(c->sock[0], &s),
				 c->sock[0] };
	for (i = 0; i < 2; i++) {
		ls_sock(&s, 1 + i);
		c->s[2 + 3 * i] = (struct spec){ CRAK_SEC_SOCK_CHILD,
						 crak_sock_put(c->sock[1 + i], &s),
						 c->sock[1 + i] };
		c->queue[2 * i] = tk_queue(s.fd, CRAK_QUEUE_TCP_SEND,
					   s.tcp.send_bytes, &c->qlen[2 * i]);
		c->queue[2 * i + 1] = tk_queue(s.fd, CRAK_QUEUE_TCP_RECV,
					       s.tcp.recv_bytes,
					       &c->qlen[2 * i + 1]);
		c->s[3 + 3 * i] = (struct spec){ CRAK_SEC_SOCK_QUEUE,
						 c->qlen[2 * i], c->queue[2 * i] };
		c->s[4 + 3 * i] = (struct spec){ CRAK_SEC_SOCK_QUEUE,
						 c->qlen[2 * i + 1],
						 c->queue[2 * i + 1] };
	}
	ls_sock(&s, 3);
	c->s[8] = (struct spec){ CRAK_SEC_SOCK, crak_sock_put(c->sock[3], &s),
				 c->sock[3] };
	c->s[9] = (struct spec){ CRAK_SEC_NOTE, sizeof(note) - 1, note };
}

static u8 *ls_image(u64 *len)
{
	struct ls_parts c;
	u8 *img;
	int i;

	ls_parts(&c);
	img = build(c.s, 9, len);
	for (i = 0; i < 4; i++)
		free(c.queue[i]);
	return img;
}

static void t_listen_round_trip(void)
{
	static const int which[9] = { -1, 0, 1, -1, -1, 2, -1, -1, 3 };
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	struct crak_sock s, sw;
	struct crak_queue q;
	u32 i = 0;
	u64 len;
	u8 *img = ls_image(&len);

	EXPECT(open_copy(img, len, &r, &e) == 0, "refused: %s (section %u, offset %llu)",
	       e.what, e.section, ULL(e.offset));
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	while (crak_image_next(&r, &sec) == 1 && i < 9) {
		if (which[i] >= 0) {
			ls_sock(&sw, which[i]);
			EXPECT(sec.type == (which[i] == 1 || which[i] == 2 ?
					    CRAK_SEC_SOCK_CHILD : CRAK_SEC_SOCK),
			       "section %u type %u", i, sec.type);
			EXPECT(crak_sock_get(&sec, &s) == 0 &&
			       !memcmp(&s, &sw, sizeof(s)),
			       "section %u decodes differently", i);
			EXPECT(sec.len == crak_sock_len(&sw) &&
			       sec.len == CRAK_SOCK_COMMON_LEN +
			       (sw.state == 10 ? CRAK_SOCK_LISTEN_LEN :
				CRAK_SOCK_TCP_LEN),
			       "section %u is %u bytes", i, sec.len);
		} else if (i) {
			EXPECT(crak_queue_get(&sec, &q) == 0 && q.fd == 3 &&
			       q.count == ((i == 3 || i == 6) ? 0U :
					   i == 4 ? 200U : 199U),
			       "queue %u header", i);
		}
		i++;
	}
	EXPECT(i == 9, "%u sections", i);
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	check_accepted("listener reference", img, len, &r);
	free(img);
}

static void t_listen_changes_and_cuts(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	unsigned long tried = 0, cuts = 0, sealed_ok = 0;
	u64 len, off;
	int ret;
	u8 *img = ls_image(&len), *cp;

	for (off = 0; off < len; off++) {
		img[off] ^= 0x01;
		ret = open_copy(img, len, &r, &e);
		img[off] ^= 0x01;
		tried++;
		EXPECT(ret < 0 && e.what && e.offset <= len, "xor at %llu: %s",
		       ULL(off), ret ? "no message" : "accepted");
		if (off < CRAK_IMAGE_HDR_LEN)
			continue;
		cp = dup_exact(img, len);
		cp[off] ^= 0x41;
		fix_all_crcs(cp, len);
		memset(&e, 0, sizeof(e));
		if (crak_image_open(&r, cp, len, &e)) {
			EXPECT(e.what && e.offset <= len, "byte %llu: bad report",
			       ULL(off));
		} else {
			sealed_ok++;
			check_accepted("listener sealed change", cp, len, &r);
		}
		free(cp);
	}
	for (off = 0; off < len; off++, cuts++) {
		ret = open_copy(img, off, &r, &e);
		EXPECT(ret == -EINVAL && e.what && !strncmp(e.what, "truncated: ", 11),
		       "cut to %llu: %d %s", ULL(off), ret, e.what ? e.what : "");
	}
	printf("# listener reference (%llu bytes): %lu byte changes, %lu truncations, all refused; %lu sealed changes still decode\n",
	       ULL(len), tried, cuts, sealed_ok);
	free(img);
}

static const struct ck_bad ls_bads[] = {
	{ "listener with a peer port", { { 1, 48, 2, 5 } },
	  "listening socket with a peer", 1, 48 },
	{ "listener with a peer address", { { 1, 75, 1, 1 } },
	  "listening socket with a peer", 1, 72 },
	{ "listener part length", { { 1, 52, 4, 112 } },
	  "SOCK protocol part length does not match", 1, 52 },
	{ "listener backlog", { { 1, 88, 4, 0x80000000 } },
	  "TCP listen backlog out of range", 1, 88 },
	{ "listener defer accept", { { 1, 92, 4, 256 } },
	  "TCP defer accept out of range", 1, 92 },
	{ "listener children", { { 1, 96, 4, CRAK_IMAGE_MAX_SECTIONS + 1 } },
	  "more accept queue children than an image holds", 1, 96 },
	{ "listener Fast Open", { { 8, 104, 4, 0x80000000 } },
	  "TCP Fast Open queue length out of range", 8, 104 },
	{ "listener option flags", { { 1, 108, 4, CRAK_TCP_CORK } },
	  "unknown TCP listener option flags", 1, 108 },
	{ "child of another fd", { { 2, 0, 4, 4 } },
	  "accept queue child of another descriptor than its listener", 2, 0 },
	{ "child of another family", { { 5, 4, 2, 10 } },
	  "accept queue child of another family than its listener", 5, 4 },
	{ "child FIN_WAIT2", { { 2, 10, 1, 5 } },
	  "bad accept queue child state", 2, 10 },
	{ "child in LISTEN", { { 2, 10, 1, 10 } },
	  "listening socket with a peer", 2, 48 },
	{ "child with descriptor flags", { { 2, 12, 4, CRAK_FD_NONBLOCK } },
	  "descriptor flags on an accept queue child", 2, 12 },
	{ "child on another port", { { 5, 46, 2, 8001 } },
	  "accept queue child on another port than its listener", 5, 46 },
	{ "child field", { { 2, 132, 2, 0 } }, "TCP MSS is 0", 2, 132 },
	{ "child queue of another fd", { { 6, 0, 4, 4 } },
	  "SOCK_QUEUE of another descriptor than its socket", 6, 0 },
	{ "child queue bytes", { { 2, 100, 4, 5001 }, { 2, 192, 4, 201 } },
	  "TCP queue bytes differ from its socket's", 4, 8 },
	{ "child with bytes to send", { { 2, 96, 4, 1501 }, { 2, 188, 4, 501 } },
	  "accept queue child with bytes to send", 2, 188 },
};

static void t_listen_malformed(void)
{
	const struct ck_bad *b;
	u64 len, off;
	size_t i;
	int k;
	u8 *ref = ls_image(&len), *img;

	for (i = 0; i < ARRAY_SIZE(ls_bads); i++) {
		b = &ls_bads[i];
		img = dup_exact(ref, len);
		for (k = 0; k < 3 && b->poke[k].width; k++) {
			off = ck_sec_off(ref, len, b->poke[k].sec);
			ck_put(img + off + 16 + b->poke[k].off, b->poke[k].width,
			       b->poke[k].val);
			fix_section_crc(img, off);
		}
		expect_error(b->name, img, len, -EINVAL, b->what,
			     ck_sec_off(ref, len, b->err_sec) + 16 + b->err_off,
			     b->err_sec);
		free(img);
	}
	free(ref);
}

static void t_listen_order(void)
{
	static const char *const missing =
		"listening socket without all its accept queue children";
	static const char *const orphan =
		"SOCK_CHILD section without its listener before it";
	static const struct {
		const char *name;
		int order[13];
		const char *what;
		u32 sec;
	} cases[] = {
		{ "one child missing", { 0, 1, 2, 3, 4, 8, -1 }, missing, 5 },
		{ "children missing at the end", { 0, 1, 2, 3, 4, -1 }, missing, 5 },
		{ "no child at all", { 0, 1, 8, -1 }, missing, 2 },
		{ "NOTE between listener and child", { 0, 1, 9, 2, 3, 4, 5, 6, 7, 8, -1 },
		  missing, 2 },
		{ "NOTE between two children", { 0, 1, 2, 3, 4, 9, 5, 6, 7, 8, -1 },
		  missing, 5 },
		{ "queue right after the listener", { 0, 1, 3, 4, -1 }, missing, 2 },
		{ "child without a listener", { 0, 8, 2, 3, 4, -1 }, orphan, 2 },
		{ "child before the TASK", { 2, 3, 4, 0, -1 }, orphan, 0 },
		{ "third child", { 0, 1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 8, -1 }, orphan, 8 },
		{ "child with one queue", { 0, 1, 2, 3, 5, 6, 7, 8, -1 },
		  "TCP socket without its two SOCK_QUEUE sections", 4 },
		{ "child without queues at the end", { 0, 1, 2, 3, 4, 5, -1 },
		  "TCP socket without its two SOCK_QUEUE sections", 6 },
	};
	struct spec s[13];
	struct ls_parts c;
	u64 len, off;
	size_t i;
	int n;
	u8 *img;

	ls_parts(&c);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; n < 13 && cases[i].order[n] >= 0; n++)
			s[n] = c.s[cases[i].order[n]];
		img = build(s, (unsigned int)n, &len);
		off = CRAK_IMAGE_HDR_LEN;
		for (n = 0; (u32)n < cases[i].sec; n++)
			off += crak_section_size(s[n].len);
		expect_error(cases[i].name, img, len, -EINVAL, cases[i].what,
			     off, cases[i].sec);
		free(img);
	}
	for (n = 0; n < 4; n++)
		free(c.queue[n]);
}

/*
 * VNIF and VNIF_QUEUE. The reference: 0 TASK (no socket); 1 VNIF "vn0",
 * up and frozen, with inet 10.60.0.2/24, inet6 fd00:60::2/64, a default
 * route via 10.60.0.1 and an on-link fd00:61::/48 in table 100; 2 its
 * VNIF_QUEUE: an ingress frame of 33 bytes (7 of padding) and an egress
 * frame of 20 (4 of padding). Payload offsets: the addresses at 64 and
 * 88, the routes at 112 and 160 of the VNIF (208 bytes); the frames at 8
 * and 64 of the queue (104 bytes). 432 bytes in all.
 *
 * The wide one, for the tool's tests, adds the checkpoint reference's
 * sockets before and a second device "vn1" after: down, not frozen, a
 * deadline with policy drop, no address, one unreachable route with a
 * protocol and a scope without a name, one egress frame of 14 bytes.
 */
#define VN_LEN		432

static const u8 vn_mac[2][6] = {
	{ 0x02, 0x00, 0x00, 0x00, 0x60, 0x02 },
	{ 0x02, 0x00, 0x00, 0x00, 0x61, 0x02 },
};

static const u8 vn_peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x60, 0x01 };

static void vn_vnif(struct crak_vnif *v, int which)
{
	memset(v, 0, sizeof(*v));
	if (which == 0) {
		strcpy(v->ifname, "vn0");
		v->flags = CRAK_VNIF_UP | CRAK_VNIF_FROZEN;
		v->mtu = 1500;
		v->limit_packets = 65536;
		v->limit_bytes = 64U << 20;
		v->deadline_ms = 5000;
		v->deadline_policy = 0;
		v->naddrs = 2;
		v->nroutes = 2;
		v->nframes = 2;
		v->frame_bytes = 53;
	} else {
		strcpy(v->ifname, "vn1.long-name15");
		v->mtu = 9000;
		v->limit_packets = 16;
		v->limit_bytes = 2048;
		v->deadline_ms = 250;
		v->deadline_policy = 1;
		v->nroutes = 1;
		v->nframes = 1;
		v->frame_bytes = 14;
	}
	memcpy(v->mac, vn_mac[which], 6);
}

static void vn_addrs(struct crak_vnif_addr *a)
{
	static const u8 v6[16] = { 0xfd, 0, 0, 0x60, [15] = 2 };

	memset(a, 0, 2 * sizeof(*a));
	a[0].family = 2;
	a[0].prefixlen = 24;
	a[0].flags = 0x80;	/* IFA_F_PERMANENT */
	a[0].addr[0] = 10;
	a[0].addr[1] = 60;
	a[0].addr[3] = 2;
	a[1].family = 10;
	a[1].prefixlen = 64;
	a[1].flags = 0x80 | 0x02;	/* IFA_F_PERMANENT, IFA_F_NODAD */
	memcpy(a[1].addr, v6, 16);
}

/* which 0: the two routes of vn0; 1: the one of vn1. */
static void vn_routes(struct crak_vnif_route *r, int which)
{
	static const u8 v6[16] = { 0xfd, 0, 0, 0x61 };

	memset(r, 0, 2 * sizeof(*r));
	if (which == 1) {
		r[0].family = 2;
		r[0].dst_len = 24;
		r[0].protocol = 77;
		r[0].scope = 100;
		r[0].type = 7;		/* RTN_UNREACHABLE */
		r[0].table = 1000;
		r[0].metric = 5;
		r[0].dst[0] = 192;
		r[0].dst[2] = 2;
		return;
	}
	r[0].family = 2;
	r[0].protocol = 4;		/* RTPROT_STATIC */
	r[0].type = 1;			/* RTN_UNICAST */
	r[0].flags = CRAK_ROUTE_GATEWAY;
	r[0].table = 254;		/* RT_TABLE_MAIN */
	r[0].gw[0] = 10;
	r[0].gw[1] = 60;
	r[0].gw[3] = 1;
	r[1].family = 10;
	r[1].dst_len = 48;
	r[1].protocol = 3;		/* RTPROT_BOOT */
	r[1].scope = 253;		/* RT_SCOPE_LINK */
	r[1].type = 1;
	r[1].table = 100;
	r[1].metric = 1024;
	memcpy(r[1].dst, v6, 16);
}

/* Frame k of device which: direction, length, arrival time. */
static void vn_frame(struct crak_frame *fr, int which, u32 k)
{
	memset(fr, 0, sizeof(*fr));
	if (which == 0) {
		fr->dir = k ? CRAK_FRAME_EGRESS : CRAK_FRAME_INGRESS;
		fr->len = k ? 20 : 33;
		fr->tstamp_ns = 1700000000123456789ULL + k * 1000;
	} else {
		fr->dir = CRAK_FRAME_EGRESS;
		fr->len = 14;
		fr->tstamp_ns = 1700000001000000000ULL;
	}
}

/*
 * Byte j of a frame: an Ethernet header from the peer to the device (the
 * other way round for egress), ethertype 0x88b5 (local experimental), then
 * a pattern that cli_test.sh computes too.
 */
static u8 vn_byte(const struct crak_frame *fr, int which, u32 j)
{
	const u8 *dev = vn_mac[which];

	if (j < 6)
		return fr->dir == CRAK_FRAME_INGRESS ? dev[j] : vn_peer_mac[j];
	if (j < 12)
		return fr->dir == CRAK_FRAME_INGRESS ? vn_peer_mac[j - 6] :
		       dev[j - 6];
	if (j == 12)
		return 0x88;
	if (j == 13)
		return 0xb5;
	return (u8)(j * 3 + fr->len);
}

static u8 *vn_queue(int which, u32 *len)
{
	struct crak_vnif v;
	struct crak_frame fr;
	u64 size = CRAK_VNIF_QUEUE_HDR_LEN, off;
	u32 k, j;
	u8 *p;

	vn_vnif(&v, which);
	for (k = 0; k < v.nframes; k++) {
		vn_frame(&fr, which, k);
		size += crak_frame_size(fr.len);
	}
	p = xmalloc(size);
	off = crak_vnif_queue_put_hdr(p, v.nframes);
	for (k = 0; k < v.nframes; k++) {
		vn_frame(&fr, which, k);
		for (j = 0; j < fr.len; j++)
			p[off + CRAK_FRAME_HDR_LEN + j] = vn_byte(&fr, which, j);
		off += crak_frame_put_hdr(p + off, &fr);
	}
	*len = (u32)size;
	return p;
}

/* The payloads: TASK, VNIF vn0, its queue, VNIF vn1, its queue. */
struct vn_parts {
	u8 task[CRAK_TASK_LEN];
	u8 vnif[2][CRAK_VNIF_LEN + 2 * CRAK_VNIF_ADDR_LEN +
		   2 * CRAK_VNIF_ROUTE_LEN];
	u8 *queue[2];
	u32 qlen[2];
	struct spec s[5];
};

static void vn_parts(struct vn_parts *c, u32 nsockets)
{
	struct crak_vnif_addr a[2];
	struct crak_vnif_route r[2];
	struct crak_task t;
	struct crak_vnif v;
	int i;

	ck_task(&t);
	t.nsockets = nsockets;
	crak_task_put(c->task, &t);
	c->s[0] = (struct spec){ CRAK_SEC_TASK, CRAK_TASK_LEN, c->task };
	vn_addrs(a);
	for (i = 0; i < 2; i++) {
		vn_vnif(&v, i);
		vn_routes(r, i);
		c->s[1 + 2 * i] = (struct spec){ CRAK_SEC_VNIF,
						 crak_vnif_put(c->vnif[i], &v, a, r),
						 c->vnif[i] };
		c->queue[i] = vn_queue(i, &c->qlen[i]);
		c->s[2 + 2 * i] = (struct spec){ CRAK_SEC_VNIF_QUEUE,
						 c->qlen[i], c->queue[i] };
	}
}

static void vn_parts_free(struct vn_parts *c)
{
	free(c->queue[0]);
	free(c->queue[1]);
}

static u8 *vn_image(u64 *len)
{
	struct vn_parts c;
	u8 *img;

	vn_parts(&c, 0);
	img = build(c.s, 3, len);
	vn_parts_free(&c);
	return img;
}

/* The wide one: META, the checkpoint reference's sockets, vn0, vn1. */
static u8 *vn_wide_image(u64 *len)
{
	struct vn_parts c;
	struct ck_parts k;
	struct spec s[10];
	u8 *img;

	vn_parts(&c, 2);
	ck_parts(&k);
	s[0] = (struct spec){ CRAK_SEC_META, 3, "vn2" };
	memcpy(s + 1, k.s, sizeof(k.s));
	memcpy(s + 6, c.s + 1, 4 * sizeof(c.s[0]));
	img = build(s, 10, len);
	ck_parts_free(&k);
	vn_parts_free(&c);
	return img;
}

/* Decodes section sec of the vn0 reference or the wide image, checks it. */
static void vn_check_vnif(const struct crak_section *sec, int which)
{
	struct crak_vnif v, vw;
	struct crak_vnif_addr a, aw[2];
	struct crak_vnif_route r, rw[2];
	struct crak_queue q;
	u32 i;

	vn_vnif(&vw, which);
	vn_addrs(aw);
	vn_routes(rw, which);
	EXPECT(crak_vnif_get(sec, &v) == 0, "VNIF %d refused", which);
	EXPECT(v.records == sec->data + CRAK_VNIF_LEN, "VNIF %d records", which);
	vw.records = v.records;
	EXPECT(!memcmp(&v, &vw, sizeof(v)), "VNIF %d decodes differently", which);
	EXPECT(sec->len == crak_vnif_len(&vw), "VNIF %d is %u bytes", which,
	       sec->len);
	for (i = 0; i < vw.naddrs; i++) {
		memset(&a, 0x5a, sizeof(a));
		EXPECT(crak_vnif_addr_get(&v, i, &a) == 0 &&
		       !memcmp(&a, &aw[i], sizeof(a)),
		       "VNIF %d address %u decodes differently", which, i);
	}
	for (i = 0; i < vw.nroutes; i++) {
		memset(&r, 0x5a, sizeof(r));
		EXPECT(crak_vnif_route_get(&v, i, &r) == 0 &&
		       !memcmp(&r, &rw[i], sizeof(r)),
		       "VNIF %d route %u decodes differently", which, i);
	}
	EXPECT(crak_vnif_addr_get(&v, vw.naddrs, &a) == -EINVAL &&
	       crak_vnif_route_get(&v, vw.nroutes, &r) == -EINVAL,
	       "VNIF %d: a record past the last", which);
	EXPECT(crak_vnif_queue_get(sec, &q) == -EINVAL &&
	       crak_queue_get(sec, &q) == -EINVAL,
	       "VNIF decoded as a queue");
}

static void vn_check_queue(const struct crak_section *sec, int which)
{
	struct crak_frame fr, fw;
	struct crak_vnif v;
	struct crak_queue q;
	u32 k, j;

	vn_vnif(&v, which);
	EXPECT(crak_vnif_queue_get(sec, &q) == 0 && q.count == v.nframes,
	       "VNIF_QUEUE %d header", which);
	for (k = 0; k < v.nframes; k++) {
		vn_frame(&fw, which, k);
		memset(&fr, 0, sizeof(fr));
		EXPECT(crak_vnif_queue_next(&q, &fr) == 1, "frame %u missing", k);
		EXPECT(fr.dir == fw.dir && fr.len == fw.len &&
		       fr.tstamp_ns == fw.tstamp_ns,
		       "queue %d frame %u decodes differently", which, k);
		for (j = 0; fr.data && j < fr.len; j++)
			if (fr.data[j] != vn_byte(&fw, which, j))
				break;
		EXPECT(fr.data && j == fr.len, "queue %d frame %u byte %u",
		       which, k, j);
	}
	EXPECT(crak_vnif_queue_next(&q, &fr) == 0, "queue %d: more frames", which);
	EXPECT(crak_vnif_get(sec, &v) == -EINVAL &&
	       crak_queue_get(sec, &q) == -EINVAL,
	       "VNIF_QUEUE decoded as another type");
}

static void t_vnif_round_trip(void)
{
	static const u16 types[] = { CRAK_SEC_TASK, CRAK_SEC_VNIF,
				     CRAK_SEC_VNIF_QUEUE };
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	u32 i = 0;
	u64 len;
	u8 *img = vn_image(&len);

	EXPECT(len == VN_LEN, "VNIF reference is %llu bytes, not %u", ULL(len),
	       VN_LEN);
	EXPECT(open_copy(img, len, &r, &e) == 0,
	       "refused: %s (section %u, offset %llu)", e.what, e.section,
	       ULL(e.offset));
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	while (crak_image_next(&r, &sec) == 1 && i < 3) {
		EXPECT(sec.type == types[i], "section %u type %u", i, sec.type);
		if (i == 1)
			vn_check_vnif(&sec, 0);
		else if (i == 2)
			vn_check_queue(&sec, 0);
		i++;
	}
	EXPECT(i == 3 && r.nsections == 3, "%u sections", r.nsections);
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	check_accepted("VNIF reference", img, len, &r);
	free(img);
}

/* The wide image: sockets, then two devices, every field of each. */
static void t_vnif_wide_round_trip(void)
{
	struct crak_image_reader r;
	struct crak_image_error e;
	struct crak_section sec;
	u32 i = 0;
	u64 len;
	u8 *img = vn_wide_image(&len);

	EXPECT(open_copy(img, len, &r, &e) == 0,
	       "refused: %s (section %u, offset %llu)", e.what, e.section,
	       ULL(e.offset));
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	while (crak_image_next(&r, &sec) == 1) {
		if (i == 6 || i == 8)
			vn_check_vnif(&sec, i == 8);
		else if (i == 7 || i == 9)
			vn_check_queue(&sec, i == 9);
		i++;
	}
	EXPECT(i == 10, "%u sections", i);
	EXPECT(crak_image_open(&r, img, len, &e) == 0, "refused");
	check_accepted("wide VNIF image", img, len, &r);
	free(img);
}

/* The writer pads the name, the reserved bytes and the frames with zeros. */
static void t_vnif_put_zeroes(void)
{
	u8 p[CRAK_VNIF_LEN + CRAK_VNIF_ADDR_LEN + 2 * CRAK_VNIF_ROUTE_LEN];
	u8 fp[CRAK_FRAME_HDR_LEN + 24];
	struct crak_vnif_addr a[2];
	struct crak_vnif_route r[2];
	struct crak_frame fr;
	struct crak_vnif v;
	u32 len, i;

	vn_vnif(&v, 0);
	/* ifname[15] is not copied: the name always ends there. */
	memset(v.ifname, 0, sizeof(v.ifname));
	memcpy(v.ifname, "ab", 3);
	v.ifname[15] = 'z';
	v.naddrs = 1;
	vn_addrs(a);
	vn_routes(r, 0);
	memset(p, 0xee, sizeof(p));
	len = crak_vnif_put(p, &v, a, r);
	EXPECT(len == sizeof(p) && len == crak_vnif_len(&v), "length %u", len);
	EXPECT(!memcmp(p, "ab", 3), "name");
	for (i = 3; i < CRAK_IFNAMSIZ; i++)
		EXPECT(!p[i], "name byte %u not zero", i);
	EXPECT(!p[41] && !p[46] && !p[47] && !get32(p + 52),
	       "reserved bytes not zero");
	EXPECT(get32(p + 64 + 4) == 0x80 && p[64 + 8] == 10 &&
	       get32(p + 88 + 8) == 254 && p[88 + 32] == 10,
	       "records not where the format puts them");
	memset(fp, 0xee, sizeof(fp));
	vn_frame(&fr, 0, 1);
	EXPECT(crak_frame_put_hdr(fp, &fr) == sizeof(fp) &&
	       crak_frame_size(20) == sizeof(fp), "frame size");
	EXPECT(fp[0] == CRAK_FRAME_EGRESS && !fp[1] && !fp[2] && !fp[3] &&
	       get32(fp + 4) == 20 && get32(fp + 8) == (u32)fr.tstamp_ns &&
	       get32(fp + 12) == (u32)(fr.tstamp_ns >> 32),
	       "frame header");
	for (i = 20; i < 24; i++)
		EXPECT(!fp[CRAK_FRAME_HDR_LEN + i], "frame padding %u", i);
	EXPECT(fp[CRAK_FRAME_HDR_LEN] == 0xee, "frame bytes overwritten");
	memset(fp, 0xee, 8);
	EXPECT(crak_vnif_queue_put_hdr(fp, 7) == 8 && get32(fp) == 7 &&
	       !get32(fp + 4), "queue header");
}

static const struct ck_bad vn_bads[] = {
	{ "name not terminated", { { 1, 15, 1, 'x' } },
	  "VNIF name not NUL-terminated", 1, 15 },
	{ "name not padded", { { 1, 9, 1, 'x' } },
	  "VNIF name not NUL-padded", 1, 9 },
	{ "name empty", { { 1, 0, 4, 0 } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name .", { { 1, 0, 4, '.' } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name ..", { { 1, 0, 4, 0x2e2e } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name with /", { { 1, 1, 1, '/' } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name with :", { { 1, 2, 1, ':' } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name with a space", { { 1, 1, 1, ' ' } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name with a tab", { { 1, 1, 1, '\t' } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "name with a carriage return", { { 1, 1, 1, '\r' } },
	  "VNIF name not a valid interface name", 1, 0 },
	{ "MAC multicast", { { 1, 16, 1, 0x03 } },
	  "VNIF MAC address not a unicast address", 1, 16 },
	{ "MAC zero", { { 1, 16, 4, 0 }, { 1, 20, 2, 0 } },
	  "VNIF MAC address not a unicast address", 1, 16 },
	{ "flags", { { 1, 22, 2, 4 } }, "unknown VNIF flags", 1, 22 },
	{ "MTU 67", { { 1, 24, 4, 67 } }, "VNIF MTU out of range", 1, 24 },
	{ "MTU 65536", { { 1, 24, 4, 65536 } }, "VNIF MTU out of range", 1, 24 },
	{ "packet limit 0", { { 1, 28, 4, 0 } },
	  "VNIF packet limit out of range", 1, 28 },
	{ "packet limit past the maximum",
	  { { 1, 28, 4, VNIF_LIMIT_PACKETS_MAX + 1 } },
	  "VNIF packet limit out of range", 1, 28 },
	{ "byte limit under the minimum",
	  { { 1, 32, 4, VNIF_LIMIT_BYTES_MIN - 1 } },
	  "VNIF byte limit out of range", 1, 32 },
	{ "byte limit past the maximum",
	  { { 1, 32, 4, VNIF_LIMIT_BYTES_MAX + 1ULL } },
	  "VNIF byte limit out of range", 1, 32 },
	{ "deadline past the maximum", { { 1, 36, 4, VNIF_DEADLINE_MS_MAX + 1 } },
	  "VNIF deadline out of range", 1, 36 },
	{ "deadline policy", { { 1, 40, 1, __VNIF_DEADLINE_MAX } },
	  "unknown VNIF deadline policy", 1, 40 },
	{ "reserved 41", { { 1, 41, 1, 1 } }, "VNIF reserved bytes not zero", 1, 41 },
	{ "reserved 46", { { 1, 47, 1, 1 } }, "VNIF reserved bytes not zero", 1, 46 },
	{ "reserved 52", { { 1, 55, 1, 1 } }, "VNIF reserved bytes not zero", 1, 52 },
	{ "too many addresses", { { 1, 42, 2, CRAK_VNIF_MAX_ADDRS + 1 } },
	  "too many VNIF addresses", 1, 42 },
	{ "too many routes", { { 1, 44, 2, CRAK_VNIF_MAX_ROUTES + 1 } },
	  "too many VNIF routes", 1, 44 },
	{ "address count vs length", { { 1, 42, 2, 3 } },
	  "VNIF length differs from its record counts", 1, 42 },
	{ "route count vs length", { { 1, 44, 2, 1 } },
	  "VNIF length differs from its record counts", 1, 42 },
	{ "address family", { { 1, 64, 2, 3 } }, "unknown address family", 1, 64 },
	{ "IPv4 address prefix 33", { { 1, 66, 1, 33 } },
	  "address prefix longer than the address", 1, 66 },
	{ "IPv6 address prefix 129", { { 1, 90, 1, 129 } },
	  "address prefix longer than the address", 1, 90 },
	{ "IPv4 address with 5 bytes", { { 1, 64 + 12, 1, 1 } },
	  "IPv4 address with bytes past the fourth", 1, 72 },
	{ "route family", { { 1, 112, 2, 0 } }, "unknown route family", 1, 112 },
	{ "IPv4 route prefix 33", { { 1, 114, 1, 33 } },
	  "route prefix longer than the address", 1, 114 },
	{ "IPv6 route prefix 129", { { 1, 162, 1, 129 } },
	  "route prefix longer than the address", 1, 162 },
	{ "route type 0", { { 1, 117, 1, 0 } }, "unknown route type", 1, 117 },
	{ "route type 12", { { 1, 165, 1, 12 } }, "unknown route type", 1, 165 },
	{ "route flags", { { 1, 118, 2, 2 } }, "unknown route flags", 1, 118 },
	{ "route table 0", { { 1, 120, 4, 0 } }, "route table 0", 1, 120 },
	{ "IPv4 route destination with 5 bytes", { { 1, 112 + 20, 1, 1 } },
	  "route destination with bits past its prefix", 1, 128 },
	{ "route destination past its prefix", { { 1, 160 + 16 + 6, 1, 0x80 } },
	  "route destination with bits past its prefix", 1, 176 },
	{ "default route with a destination", { { 1, 112 + 16, 1, 10 } },
	  "route destination with bits past its prefix", 1, 128 },
	{ "IPv4 gateway with 5 bytes", { { 1, 112 + 36, 1, 1 } },
	  "route gateway bytes not allowed", 1, 144 },
	{ "on-link route with a gateway", { { 1, 160 + 47, 1, 1 } },
	  "route gateway bytes not allowed", 1, 192 },
	{ "queue count vs VNIF", { { 1, 48, 4, 3 }, { 2, 0, 4, 3 } },
	  "frame header cut short", 2, 104 },
	{ "queue count alone", { { 2, 0, 4, 1 } },
	  "frame count differs from its VNIF's", 2, 0 },
	{ "queue reserved", { { 2, 4, 4, 1 } },
	  "VNIF_QUEUE reserved bytes not zero", 2, 4 },
	{ "frame direction", { { 2, 8, 1, 2 } }, "unknown frame direction", 2, 8 },
	{ "frame reserved", { { 2, 64 + 3, 1, 1 } },
	  "frame reserved bytes not zero", 2, 65 },
	{ "frame 13 bytes", { { 2, 12, 4, CRAK_FRAME_MIN_LEN - 1 } },
	  "frame length out of range", 2, 12 },
	{ "frame 65536 bytes", { { 2, 68, 4, CRAK_FRAME_MAX_LEN + 1 } },
	  "frame length out of range", 2, 68 },
	{ "frame past the end", { { 2, 68, 4, 41 } },
	  "frame runs past the end of its queue", 2, 68 },
	{ "frame padding", { { 2, 8 + 16 + 33 + 6, 1, 1 } },
	  "frame padding not zero", 2, 63 },
	{ "one frame fewer than there is",
	  { { 1, 48, 4, 1 }, { 1, 56, 8, 33 }, { 2, 0, 4, 1 } },
	  "trailing bytes after the last frame", 2, 64 },
	{ "frame bytes vs VNIF", { { 1, 56, 8, 54 } },
	  "frame bytes differ from its VNIF's", 2, 0 },
};

static void t_vnif_malformed(void)
{
	const struct ck_bad *b;
	u64 len, off;
	size_t i;
	int k;
	u8 *ref = vn_image(&len), *img;

	for (i = 0; i < ARRAY_SIZE(vn_bads); i++) {
		b = &vn_bads[i];
		img = dup_exact(ref, len);
		for (k = 0; k < 3 && b->poke[k].width; k++) {
			off = ck_sec_off(ref, len, b->poke[k].sec);
			ck_put(img + off + 16 + b->poke[k].off, b->poke[k].width,
			       b->poke[k].val);
			fix_section_crc(img, off);
		}
		expect_error(b->name, img, len, -EINVAL, b->what,
			     ck_sec_off(ref, len, b->err_sec) + 16 + b->err_off,
			     b->err_sec);
		free(img);
	}
	free(ref);
}

/* Sections too short for their fixed part. */
static void t_vnif_short(void)
{
	struct vn_parts c;
	struct spec s[3];
	u64 len;
	u8 *img;

	vn_parts(&c, 0);
	memcpy(s, c.s, sizeof(s));
	s[1].len = CRAK_VNIF_LEN - 1;
	img = build(s, 3, &len);
	expect_error("VNIF of 63 bytes", img, len, -EINVAL,
		     "VNIF section too short", CRAK_IMAGE_HDR_LEN +
		     crak_section_size(CRAK_TASK_LEN) + 16, 1);
	free(img);
	s[1].len = 0;
	img = build(s, 3, &len);
	expect_error("empty VNIF", img, len, -EINVAL, "VNIF section too short",
		     CRAK_IMAGE_HDR_LEN + crak_section_size(CRAK_TASK_LEN) + 16,
		     1);
	free(img);
	memcpy(s, c.s, sizeof(s));
	s[2].len = CRAK_VNIF_QUEUE_HDR_LEN - 1;
	img = build(s, 3, &len);
	expect_error("VNIF_QUEUE of 7 bytes", img, len, -EINVAL,
		     "VNIF_QUEUE section too short", CRAK_IMAGE_HDR_LEN +
		     crak_section_size(CRAK_TASK_LEN) +
		     crak_section_size(s[1].len) + 16, 2);
	free(img);
	vn_parts_free(&c);
}

/*
 * The order rules: VNIF after TASK and after every SOCK, each followed at
 * once by its VNIF_QUEUE, at most CRAK_VNIF_MAX of them.
 */
static void t_vnif_order(void)
{
	static const char *const no_queue = "VNIF without its VNIF_QUEUE section";
	static const char *const orphan =
		"VNIF_QUEUE section without its VNIF before it";
	/* 0 TASK (1 socket), 1 VNIF, 2 its queue, 3 SOCK, 4 its queue, 5 NOTE */
	static const struct {
		const char *name;
		int order[8];
		const char *what;	/* NULL: valid */
		u32 sec;
	} cases[] = {
		{ "VNIF before the TASK", { 1, 2, 0, 3, 4, -1 },
		  "VNIF section before the TASK section", 0 },
		{ "VNIF alone", { 1, 2, -1 },
		  "VNIF section before the TASK section", 0 },
		{ "SOCK after a VNIF", { 0, 1, 2, 3, 4, -1 },
		  "SOCK section after a VNIF section", 3 },
		{ "VNIF at the end", { 0, 3, 4, 1, -1 }, no_queue, 4 },
		{ "NOTE between VNIF and its queue", { 0, 3, 4, 1, 5, 2, -1 },
		  no_queue, 4 },
		{ "two VNIFs, one queue", { 0, 3, 4, 1, 1, 2, -1 }, no_queue, 4 },
		{ "VNIF_QUEUE alone", { 0, 3, 4, 2, -1 }, orphan, 3 },
		{ "VNIF_QUEUE twice", { 0, 3, 4, 1, 2, 2, -1 }, orphan, 5 },
		{ "VNIF_QUEUE before its VNIF", { 0, 3, 4, 2, 1, -1 }, orphan, 3 },
		{ "VNIF between SOCK and its queue", { 0, 3, 1, 2, 4, -1 },
		  "UDP socket without its SOCK_QUEUE section", 2 },
		{ "NOTE around the VNIF", { 0, 3, 4, 5, 1, 2, 5, -1 }, NULL, 0 },
	};
	struct vn_parts c;
	struct ck_parts k;
	struct crak_task t;
	u8 tb[CRAK_TASK_LEN];
	struct spec all[6], s[8];
	u64 len, off;
	size_t i;
	int n;
	u8 *img;

	vn_parts(&c, 1);
	ck_parts(&k);
	ck_task(&t);
	t.nsockets = 1;
	all[0] = (struct spec){ CRAK_SEC_TASK, crak_task_put(tb, &t), tb };
	all[1] = c.s[1];
	all[2] = c.s[2];
	all[3] = k.s[1];
	all[4] = k.s[2];
	all[5] = (struct spec){ CRAK_SEC_NOTE, 2, "hi" };
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; n < 8 && cases[i].order[n] >= 0; n++)
			s[n] = all[cases[i].order[n]];
		img = build(s, (unsigned int)n, &len);
		if (!cases[i].what) {
			EXPECT(is_valid(img, len), "%s: refused", cases[i].name);
			free(img);
			continue;
		}
		off = CRAK_IMAGE_HDR_LEN;
		for (n = 0; (u32)n < cases[i].sec; n++)
			off += crak_section_size(s[n].len);
		expect_error(cases[i].name, img, len, -EINVAL, cases[i].what,
			     off, cases[i].sec);
		free(img);
	}
	ck_parts_free(&k);
	vn_parts_free(&c);
}

/* CRAK_VNIF_MAX devices are taken, one more is refused. */
static void t_vnif_max(void)
{
	struct spec s[2 * CRAK_VNIF_MAX + 3];
	struct vn_parts c;
	unsigned int i;
	u64 len, off;
	u8 *img;

	vn_parts(&c, 0);
	s[0] = c.s[0];
	for (i = 0; i <= CRAK_VNIF_MAX; i++) {
		s[1 + 2 * i] = c.s[1];
		s[2 + 2 * i] = c.s[2];
	}
	img = build(s, 1 + 2 * CRAK_VNIF_MAX, &len);
	EXPECT(is_valid(img, len), "%u devices refused", CRAK_VNIF_MAX);
	free(img);
	img = build(s, 3 + 2 * CRAK_VNIF_MAX, &len);
	off = CRAK_IMAGE_HDR_LEN + crak_section_size(CRAK_TASK_LEN) +
	      CRAK_VNIF_MAX * (crak_section_size(c.s[1].len) +
			       crak_section_size(c.s[2].len));
	expect_error("one device more", img, len, -EINVAL,
		     "more VNIF sections than CRAK_VNIF_MAX", off,
		     1 + 2 * CRAK_VNIF_MAX);
	free(img);
	vn_parts_free(&c);
}

/*
 * Every byte change (unsealed: a checksum breaks) and every cut refused;
 * every byte change sealed again refused, or accepted as an image that
 * decodes and is canonical.
 */
static void t_vnif_changes_and_cuts(void)
{
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	struct crak_image_reader r;
	struct crak_image_error e;
	unsigned long tried = 0, cuts = 0, sealed_ok = 0;
	unsigned int f;
	u64 len, off;
	int ret;
	u8 *img = vn_image(&len), *cp;

	for (off = 0; off < len; off++) {
		for (f = 0; f < ARRAY_SIZE(flips); f++) {
			img[off] ^= flips[f];
			ret = open_copy(img, len, &r, &e);
			img[off] ^= flips[f];
			tried++;
			EXPECT(ret < 0 && e.what && e.offset <= len,
			       "xor 0x%02x at %llu: %s", flips[f], ULL(off),
			       ret ? "no message" : "accepted");
		}
		if (off < CRAK_IMAGE_HDR_LEN)
			continue;
		cp = dup_exact(img, len);
		cp[off] ^= 0x41;
		fix_all_crcs(cp, len);
		memset(&e, 0, sizeof(e));
		if (crak_image_open(&r, cp, len, &e)) {
			EXPECT(e.what && e.offset <= len, "byte %llu: bad report",
			       ULL(off));
		} else {
			sealed_ok++;
			check_accepted("VNIF sealed change", cp, len, &r);
		}
		free(cp);
	}
	for (off = 0; off < len; off++, cuts++) {
		ret = open_copy(img, off, &r, &e);
		EXPECT(ret == -EINVAL && e.what && !strncmp(e.what, "truncated: ", 11),
		       "cut to %llu: %d %s", ULL(off), ret, e.what ? e.what : "");
	}
	printf("# VNIF reference (%llu bytes): %lu byte changes, %lu truncations, all refused; %lu sealed changes still decode\n",
	       ULL(len), tried, cuts, sealed_ok);
	free(img);
}

static int write_ckpt_sample(const char *path, int which)
{
	u64 len;
	u8 *img = which == 4 ? vn_wide_image(&len) :
		  which == 3 ? vn_image(&len) :
		  which == 2 ? ls_image(&len) : which ? tk_image(&len) :
		  ck_image(&len);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 2;
	}
	free(img);
	return 0;
}

int main(int argc, char **argv)
{
	/* cli_test.sh: the checkpoint reference as a file. */
	if (argc == 3 && !strcmp(argv[1], "--write-checkpoint"))
		return write_ckpt_sample(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "--write-tcp-checkpoint"))
		return write_ckpt_sample(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "--write-listen-checkpoint"))
		return write_ckpt_sample(argv[2], 2);
	/* crak-image.sh and cli_test.sh: the VNIF references. */
	if (argc == 3 && !strcmp(argv[1], "--write-vnif-checkpoint"))
		return write_ckpt_sample(argv[2], 3);
	if (argc == 3 && !strcmp(argv[1], "--write-vnifs-checkpoint"))
		return write_ckpt_sample(argv[2], 4);

	run("crc32c: check value and RFC 3720 vectors", t_crc32c_vectors);
	run("crc32c: matches a bitwise reference, chains", t_crc32c_reference);
	run("golden: the writer makes the documented example", t_golden_image);
	run("round trip: sizes 0..300 and large", t_round_trip_sizes);
	run("refused: every single-byte change (xor 0x01, 0x80, 0xff)",
	    t_every_byte_change_refused);
	run("refused: every truncation", t_every_truncation_refused);
	run("refused: appended bytes", t_appended_bytes_refused);
	run("error: short header", t_short_header);
	run("error: bad magic", t_bad_magic);
	run("error: unsupported version, sealed", t_version);
	run("error: header checksum", t_header_crc);
	run("error: header length, sealed", t_header_len);
	run("error: header flags, sealed", t_header_flags);
	run("error: image_len oversized (-EFBIG), short, long", t_image_len);
	run("error: section count (-EFBIG), short, long", t_section_count);
	run("error: section header cut, section past the end", t_section_bounds);
	run("error: section checksum", t_section_crc);
	run("error: unknown section type, sealed", t_section_type);
	run("error: section flags and reserved bits, sealed", t_section_reserved);
	run("error: non-zero padding, sealed", t_section_padding);
	run("writer: -EINVAL, -ENOSPC, format limit, nothing written",
	    t_writer_errors);
	run("writer: CRAK_IMAGE_MAX_SECTIONS, then -E2BIG", t_writer_max_sections);
	run("checkpoint: TASK, SOCK, SOCK_QUEUE round trip", t_ckpt_round_trip);
	run("checkpoint: every malformed field refused, sealed", t_ckpt_malformed);
	run("checkpoint: sections out of order refused", t_ckpt_order);
	run("checkpoint: sealed byte changes refused or decode",
	    t_ckpt_sealed_changes);
	run("TCP: SOCK and both queues round trip", t_tcp_round_trip);
	run("TCP: every byte change and every truncation refused",
	    t_tcp_changes_and_cuts);
	run("TCP: every malformed field refused, sealed", t_tcp_malformed);
	run("TCP: sections out of order refused", t_tcp_order);
	run("TCP: sealed byte changes refused or decode", t_tcp_sealed_changes);
	run("LISTEN: listener, children and their queues round trip",
	    t_listen_round_trip);
	run("LISTEN: every byte change and truncation refused, sealed changes",
	    t_listen_changes_and_cuts);
	run("LISTEN: every malformed field refused, sealed", t_listen_malformed);
	run("LISTEN: children out of order refused", t_listen_order);
	run("VNIF: device, addresses, routes and frames round trip",
	    t_vnif_round_trip);
	run("VNIF: after sockets, two devices round trip", t_vnif_wide_round_trip);
	run("VNIF: the writers zero names, reserved bytes and padding",
	    t_vnif_put_zeroes);
	run("VNIF: every malformed field refused, sealed", t_vnif_malformed);
	run("VNIF: sections too short refused", t_vnif_short);
	run("VNIF: sections out of order refused", t_vnif_order);
	run("VNIF: CRAK_VNIF_MAX devices, not one more", t_vnif_max);
	run("VNIF: every byte change and truncation refused, sealed changes",
	    t_vnif_changes_and_cuts);
	run("soak: random and mutated images", t_soak);
	printf("# image_test: %d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * imgvar: the variants of a reference image, judged by crak.ko and by the
 * codec here, in one process. crak-image.sh runs it in the test guest.
 *
 *   imgvar [--device PATH] [--sample DIR --every N] IMAGE XOR...
 *
 * The variants of IMAGE: every single-byte change (the byte xor each XOR),
 * every truncation (0 to its length less one bytes), five appendages (a
 * NUL, an "x", 7 and 8 zeros, "CRAK" 16 times), and every byte after the
 * image header changed (xor 0x41) with the header and every section
 * sealed again (their checksums recomputed), so that the change reaches
 * the payload rules. Each is handed to the module with
 * CRAK_IOC_IMAGE_CHECK and to the codec, ckpt/image.c built in here as
 * the crak tool builds it, from a buffer of exactly its length. The two
 * verdicts must be the same: the same error code, message, section and
 * offset, or both valid with as many sections, as `crak check --kernel`
 * compares them.
 *
 * One line per class on standard output:
 *   CLASS VARIANTS AGREED DISAGREED ACCEPTED
 * CLASS flip, cut, tail or sealed; AGREED the variants both judged alike,
 * DISAGREED the others (each also told on standard error, the first 10),
 * ACCEPTED those of AGREED both found valid. With --sample, every Nth
 * variant of the first three classes is also written to DIR/CLASS/, for
 * the crak tool to be run on them.
 *
 * Exit 0 when every variant was judged, 1 when the module could not be
 * asked (the ioctl failed for another reason than the image), 2 usage.
 * The ioctls cost next to nothing: thousands of variants take seconds,
 * where one tool process per variant took a minute.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

#define MAX_XORS	8
#define MAX_REPORTS	10

struct verdict {
	int ret;
	u32 sections, section;
	u64 offset;
	char what[sizeof(((struct crak_image_check *)0)->error)];
};

struct counts {
	unsigned long variants, agreed, disagreed, accepted;
};

static int dev_fd = -1;
static const char *sample_dir;
static unsigned long every;
static unsigned long reports;

static void usage(void)
{
	fputs("usage: imgvar [--device PATH] [--sample DIR --every N] IMAGE XOR...\n",
	      stderr);
	exit(2);
}

static int kernel_verdict(const u8 *buf, u64 len, struct verdict *v)
{
	struct crak_image_check c;
	int e = 0;

	memset(&c, 0, sizeof(c));
	c.buf = (uintptr_t)buf;
	c.len = len;
	if (ioctl(dev_fd, CRAK_IOC_IMAGE_CHECK, &c))
		e = errno;
	c.error[sizeof(c.error) - 1] = '\0';
	/* The module fills error whenever the image is at fault, never else. */
	if (e && !c.error[0]) {
		fprintf(stderr, "imgvar: CRAK_IOC_IMAGE_CHECK: %s\n", strerror(e));
		return -1;
	}
	v->ret = -e;
	v->sections = c.sections;
	v->section = c.error_section;
	v->offset = c.error_offset;
	memcpy(v->what, c.error, sizeof(v->what));
	return 0;
}

static void codec_verdict(const u8 *buf, u64 len, struct verdict *v)
{
	struct crak_image_error err = { 0 };
	struct crak_image_reader r;
	u8 *copy = malloc(len ? len : 1);

	if (!copy) {
		perror("imgvar");
		exit(1);
	}
	memcpy(copy, buf, len);
	memset(v, 0, sizeof(*v));
	v->ret = crak_image_open(&r, copy, len, &err);
	if (v->ret) {
		v->section = err.section;
		v->offset = err.offset;
		/* Cut as the module cuts it. */
		snprintf(v->what, sizeof(v->what), "%s", err.what);
	} else {
		v->sections = r.nsections;
	}
	free(copy);
}

static void verdict_str(const struct verdict *v, char *s, size_t n)
{
	if (!v->ret)
		snprintf(s, n, "valid, %u sections", v->sections);
	else
		snprintf(s, n, "%s (section %u, offset %llu; %s)", v->what,
			 v->section, (unsigned long long)v->offset,
			 strerror(-v->ret));
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

/*
 * Recomputes the checksum of the header and of every section whose bounds
 * (as the changed bytes now say) lie within the image.
 */
static void reseal(u8 *img, u64 len)
{
	u64 off = CRAK_IMAGE_HDR_LEN, body;
	u32 i, n;

	put32(img + 28, crak_crc32c(0, img, 28));
	n = get32(img + 24);
	for (i = 0; i < n; i++) {
		if (len - off < CRAK_SECTION_HDR_LEN)
			return;
		body = (get32(img + off + 4) + 7ULL) & ~7ULL;
		if (body > len - off - CRAK_SECTION_HDR_LEN)
			return;
		put32(img + off + 12,
		      crak_crc32c(crak_crc32c(0, img + off, 12),
				  img + off + CRAK_SECTION_HDR_LEN, body));
		off += CRAK_SECTION_HDR_LEN + body;
	}
}

static void write_sample(const char *class, unsigned long i, const u8 *buf,
			 u64 len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%06lu.img", sample_dir, class, i);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* Judges one variant; what names it in a report. */
static int judge(const char *class, struct counts *c, const u8 *buf, u64 len,
		 const char *what)
{
	struct verdict kv, uv;
	char ks[160], us[160];

	if (kernel_verdict(buf, len, &kv))
		return -1;
	codec_verdict(buf, len, &uv);
	if (sample_dir && c->variants % every == 0 && strcmp(class, "sealed"))
		write_sample(class, c->variants, buf, len);
	c->variants++;
	if (!kv.ret && !uv.ret && kv.sections == uv.sections) {
		c->agreed++;
		c->accepted++;
		return 0;
	}
	if (kv.ret && kv.ret == uv.ret && kv.section == uv.section &&
	    kv.offset == uv.offset && !strcmp(kv.what, uv.what)) {
		c->agreed++;
		return 0;
	}
	c->disagreed++;
	if (reports++ < MAX_REPORTS) {
		verdict_str(&kv, ks, sizeof(ks));
		verdict_str(&uv, us, sizeof(us));
		fprintf(stderr, "imgvar: %s %s: kernel: %s; userspace: %s\n",
			class, what, ks, us);
	}
	return 0;
}

static u8 *read_image(const char *path, u64 *len)
{
	struct stat st;
	u8 *buf;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st) || st.st_size > (1 << 24)) {
		fprintf(stderr, "imgvar: %s: %s\n", path,
			f ? "too large or unreadable" : strerror(errno));
		exit(1);
	}
	*len = (u64)st.st_size;
	buf = malloc(*len + 64);
	if (!buf || fread(buf, 1, *len, f) != *len) {
		fprintf(stderr, "imgvar: %s: cannot read it\n", path);
		exit(1);
	}
	fclose(f);
	return buf;
}

static void print_counts(const char *class, const struct counts *c)
{
	printf("%s %lu %lu %lu %lu\n", class, c->variants, c->agreed,
	       c->disagreed, c->accepted);
}

int main(int argc, char **argv)
{
	static const char *const tails[5] = { "", "x", "", "", NULL };
	static const u64 tail_len[5] = { 1, 1, 7, 8, 64 };
	const char *dev = "/dev/crak";
	struct counts flip = { 0 }, cut = { 0 }, tail = { 0 }, sealed = { 0 };
	unsigned int xors[MAX_XORS], nxor = 0, k;
	char what[64], *end;
	u64 len, off, i;
	u8 *ref, *buf;
	int a = 1;

	while (a < argc && !strncmp(argv[a], "--", 2)) {
		if (!strcmp(argv[a], "--device") && a + 1 < argc) {
			dev = argv[a + 1];
		} else if (!strcmp(argv[a], "--sample") && a + 1 < argc) {
			sample_dir = argv[a + 1];
		} else if (!strcmp(argv[a], "--every") && a + 1 < argc) {
			every = strtoul(argv[a + 1], &end, 0);
			if (*end || !every)
				usage();
		} else {
			usage();
		}
		a += 2;
	}
	if (argc - a < 2 || argc - a - 1 > MAX_XORS || !sample_dir != !every)
		usage();
	for (k = 0; a + 1 + (int)k < argc; k++) {
		xors[k] = (unsigned int)strtoul(argv[a + 1 + k], &end, 0);
		if (*end || !xors[k] || xors[k] > 0xff)
			usage();
		nxor++;
	}
	ref = read_image(argv[a], &len);
	dev_fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (dev_fd < 0) {
		fprintf(stderr, "imgvar: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (sample_dir) {
		for (k = 0; k < 3; k++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", sample_dir,
				 k == 0 ? "flip" : k == 1 ? "cut" : "tail");
			if (mkdir(path, 0755) && errno != EEXIST) {
				perror(path);
				return 1;
			}
		}
	}

	for (off = 0; off < len; off++) {
		for (k = 0; k < nxor; k++) {
			ref[off] ^= xors[k];
			snprintf(what, sizeof(what), "byte %llu xor 0x%02x",
				 (unsigned long long)off, xors[k]);
			if (judge("flip", &flip, ref, len, what))
				return 1;
			ref[off] ^= xors[k];
		}
	}
	for (off = 0; off < len; off++) {
		snprintf(what, sizeof(what), "cut to %llu bytes",
			 (unsigned long long)off);
		if (judge("cut", &cut, ref, off, what))
			return 1;
	}
	buf = malloc(len + 64);
	if (!buf) {
		perror("imgvar");
		return 1;
	}
	for (k = 0; k < 5; k++) {
		memcpy(buf, ref, len);
		for (i = 0; i < tail_len[k]; i++)
			buf[len + i] = tails[k] ? (u8)tails[k][0] :
				       (u8)"CRAK"[i % 4];
		snprintf(what, sizeof(what), "%llu bytes appended",
			 (unsigned long long)tail_len[k]);
		if (judge("tail", &tail, buf, len + tail_len[k], what))
			return 1;
	}
	for (off = CRAK_IMAGE_HDR_LEN; off < len; off++) {
		memcpy(buf, ref, len);
		buf[off] ^= 0x41;
		reseal(buf, len);
		snprintf(what, sizeof(what), "byte %llu xor 0x41, sealed",
			 (unsigned long long)off);
		if (judge("sealed", &sealed, buf, len, what))
			return 1;
	}
	print_counts("flip", &flip);
	print_counts("cut", &cut);
	print_counts("tail", &tail);
	print_counts("sealed", &sealed);
	free(buf);
	free(ref);
	close(dev_fd);
	return fflush(stdout) ? 1 : 0;
}

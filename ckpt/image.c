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

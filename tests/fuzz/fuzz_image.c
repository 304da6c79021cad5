// SPDX-License-Identifier: GPL-2.0
/*
 * The crak image codec, ckpt/image.c, as CRAK_IOC_IMAGE_CHECK drives it:
 * the input is an image, checked whole by crak_image_open(). An image it
 * accepts is then walked section by section, as a restart would, and
 * encoded again with the codec's writer: the decoder accepts canonical
 * images only, so the bytes must come out the same, and decode again.
 *
 * Every section and the header carry a CRC-32C, which random mutations
 * almost never keep right: the custom mutator repairs the lengths and
 * checksums of most mutants, so that the checks behind them are reached.
 * The inputs are still plain images, replayed as they are.
 */

#include <stdlib.h>

#include "image.h"
#include "fuzz.h"

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

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/*
 * The image length in the header, then the checksum of every section the
 * header counts and that fits, then the header's own. @seed picks which.
 */
static void repair(u8 *p, size_t len, unsigned int seed)
{
	size_t off = CRAK_IMAGE_HDR_LEN;
	u32 i, n, slen;
	u64 body;

	if (len < CRAK_IMAGE_HDR_LEN)
		return;
	if (seed & 1)
		put64(p + 16, len);
	n = get32(p + 24);
	for (i = 0; i < n && len - off >= CRAK_SECTION_HDR_LEN; i++) {
		slen = get32(p + off + 4);
		body = crak_section_size(slen) - CRAK_SECTION_HDR_LEN;
		if (body > len - off - CRAK_SECTION_HDR_LEN)
			break;
		if (seed & 2)
			put32(p + off + 12,
			      crak_crc32c(crak_crc32c(0, p + off, 12),
					  p + off + CRAK_SECTION_HDR_LEN, body));
		off += CRAK_SECTION_HDR_LEN + body;
	}
	put32(p + 28, crak_crc32c(0, p, 28));
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	size = LLVMFuzzerMutate(data, size, max_size);
	/* One mutant in eight keeps its checksums as the mutation left them. */
	if (seed % 8)
		repair(data, size, seed >> 3);
	return size;
}

static void check_error(int ret, const struct crak_image_error *err,
			size_t size)
{
	/* An error code, and a message saying where, inside the image. */
	if (ret >= 0 || !err->what || !err->what[0] || err->offset > size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crak_image_error err = { 0 };
	struct crak_image_reader r, again;
	struct crak_image_writer w;
	struct crak_section sec;
	u32 n = 0;
	u64 end;
	u8 *out;
	int ret;

	/* What the ioctl takes. */
	if (size > CRAK_IMAGE_MAX_CHECK)
		return -1;
	ret = crak_image_open(&r, data, size, &err);
	if (ret) {
		check_error(ret, &err, size);
		return 0;
	}

	out = malloc(size);
	if (!out)
		abort();
	crak_image_writer_init(&w, out, size);
	while (crak_image_next(&r, &sec)) {
		end = sec.offset + crak_section_size(sec.len);
		if (sec.offset < CRAK_IMAGE_HDR_LEN || end > size ||
		    sec.data != data + sec.offset + CRAK_SECTION_HDR_LEN)
			abort();
		/* Every payload byte is read, into the new image. */
		if (crak_image_add(&w, sec.type, sec.data, sec.len))
			abort();
		n++;
	}
	if (n != r.nsections || crak_image_finish(&w) || w.len != size ||
	    memcmp(out, data, size))
		abort();
	if (crak_image_open(&again, out, w.len, &err) ||
	    again.nsections != n)
		abort();
	free(out);
	return 0;
}

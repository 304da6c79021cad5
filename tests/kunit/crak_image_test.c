// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the crak image codec as built into the kernel: the same
 * source as the userspace tools (ckpt/image.c), so the two must agree on
 * every byte. The host suite (tests/host/image_test.c) goes wider.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "image.h"

MODULE_IMPORT_NS(CRAK_KUNIT);

static const char ct_meta[] = "crak kunit reference image";
static const u8 ct_note[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

/* Three sections: 26-byte META, 9-byte NOTE, empty NOTE. */
static u8 *ct_reference(struct kunit *test, u64 *len)
{
	struct crak_image_writer w;
	u64 cap = CRAK_IMAGE_HDR_LEN + crak_section_size(sizeof(ct_meta)) +
		  crak_section_size(sizeof(ct_note)) + crak_section_size(0);
	u8 *buf = kunit_kzalloc(test, cap, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	crak_image_writer_init(&w, buf, cap);
	KUNIT_ASSERT_EQ(test, 0, crak_image_add(&w, CRAK_SEC_META, ct_meta,
						sizeof(ct_meta)));
	KUNIT_ASSERT_EQ(test, 0, crak_image_add(&w, CRAK_SEC_NOTE, ct_note,
						sizeof(ct_note)));
	KUNIT_ASSERT_EQ(test, 0, crak_image_add(&w, CRAK_SEC_NOTE, NULL, 0));
	KUNIT_ASSERT_EQ(test, -ENOSPC, crak_image_add(&w, CRAK_SEC_NOTE, ct_note, 1));
	KUNIT_ASSERT_EQ(test, 0, crak_image_finish(&w));
	KUNIT_ASSERT_EQ(test, cap, w.len);
	*len = w.len;
	return buf;
}

static void crak_crc32c_check_value(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0xe3069283U, crak_crc32c(0, "123456789", 9));
	/* Chained over two pieces, the same as over the whole. */
	KUNIT_EXPECT_EQ(test, 0xe3069283U,
			crak_crc32c(crak_crc32c(0, "1234", 4), "56789", 5));
}

static void crak_image_round_trip(struct kunit *test)
{
	struct crak_image_error err = {};
	struct crak_image_reader r;
	struct crak_section sec;
	u64 len;
	u8 *img = ct_reference(test, &len);

	KUNIT_ASSERT_EQ(test, 0, crak_image_open(&r, img, len, &err));
	KUNIT_EXPECT_EQ(test, 3U, r.nsections);
	KUNIT_ASSERT_EQ(test, 1, crak_image_next(&r, &sec));
	KUNIT_EXPECT_EQ(test, (u16)CRAK_SEC_META, sec.type);
	KUNIT_EXPECT_EQ(test, (u32)sizeof(ct_meta), sec.len);
	KUNIT_EXPECT_EQ(test, 0, memcmp(ct_meta, sec.data, sizeof(ct_meta)));
	KUNIT_ASSERT_EQ(test, 1, crak_image_next(&r, &sec));
	KUNIT_EXPECT_EQ(test, (u16)CRAK_SEC_NOTE, sec.type);
	KUNIT_EXPECT_EQ(test, 0, memcmp(ct_note, sec.data, sizeof(ct_note)));
	KUNIT_ASSERT_EQ(test, 1, crak_image_next(&r, &sec));
	KUNIT_EXPECT_EQ(test, 0U, sec.len);
	KUNIT_EXPECT_EQ(test, 0, crak_image_next(&r, &sec));
}

/* Every byte is under a checksum: any single changed byte is refused. */
static void crak_image_every_byte_flip_refused(struct kunit *test)
{
	struct crak_image_error err;
	struct crak_image_reader r;
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	u64 len, off;
	u8 *img = ct_reference(test, &len);
	unsigned int f;

	for (off = 0; off < len; off++) {
		for (f = 0; f < ARRAY_SIZE(flips); f++) {
			img[off] ^= flips[f];
			err.what = NULL;
			KUNIT_EXPECT_LT_MSG(test, crak_image_open(&r, img, len, &err), 0,
					    "flip 0x%02x at offset %llu accepted",
					    flips[f], off);
			KUNIT_EXPECT_NOT_NULL(test, err.what);
			img[off] ^= flips[f];
		}
	}
	KUNIT_EXPECT_EQ(test, 0, crak_image_open(&r, img, len, &err));
}

static void crak_image_every_truncation_refused(struct kunit *test)
{
	struct crak_image_error err;
	struct crak_image_reader r;
	u64 len, cut;
	u8 *img = ct_reference(test, &len);

	for (cut = 0; cut < len; cut++)
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL, crak_image_open(&r, img, cut, &err),
				    "truncation to %llu bytes accepted", cut);
}

static void crak_image_foreign_refused(struct kunit *test)
{
	struct crak_image_error err;
	struct crak_image_reader r;
	struct crak_image_writer w;
	u8 hdr[CRAK_IMAGE_HDR_LEN + 8] = {};

	/* Valid header checksum, but a version from the future. */
	crak_image_writer_init(&w, hdr, sizeof(hdr));
	KUNIT_ASSERT_EQ(test, 0, crak_image_finish(&w));
	hdr[8] = CRAK_IMAGE_VERSION + 1;
	KUNIT_EXPECT_EQ(test, -EPROTONOSUPPORT,
			crak_image_open(&r, hdr, CRAK_IMAGE_HDR_LEN, &err));
	/* Trailing bytes after a valid empty image. */
	KUNIT_ASSERT_EQ(test, 0, crak_image_finish(&w));
	KUNIT_EXPECT_EQ(test, 0, crak_image_open(&r, hdr, CRAK_IMAGE_HDR_LEN, &err));
	KUNIT_EXPECT_EQ(test, -EINVAL, crak_image_open(&r, hdr, sizeof(hdr), &err));
}

static struct kunit_case crak_image_cases[] = {
	KUNIT_CASE(crak_crc32c_check_value),
	KUNIT_CASE(crak_image_round_trip),
	KUNIT_CASE(crak_image_every_byte_flip_refused),
	KUNIT_CASE(crak_image_every_truncation_refused),
	KUNIT_CASE(crak_image_foreign_refused),
	{}
};

static struct kunit_suite crak_image_suite = {
	.name = "crak_image",
	.test_cases = crak_image_cases,
};

kunit_test_suite(crak_image_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the crak image codec");

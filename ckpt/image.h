/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crak image codec: one portable C source (image.c) compiled into
 * crak.ko and into the userspace tools and their host tests.
 */
#ifndef _CRAK_IMAGE_H
#define _CRAK_IMAGE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#endif

#include <linux/crak.h>

/*
 * The KUnit suite drives the codec inside the kernel; in userspace, and in
 * a kernel without KUnit, the macro exports nothing.
 */
#ifdef __KERNEL__
#if IS_ENABLED(CONFIG_KUNIT)
#include <linux/export.h>
#define EXPORT_SYMBOL_FOR_CRAK_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, CRAK_KUNIT)
#endif
#endif
#ifndef EXPORT_SYMBOL_FOR_CRAK_KUNIT
#define EXPORT_SYMBOL_FOR_CRAK_KUNIT(sym)
#endif

/* Where decoding stopped, and why: a static string, never NULL on error. */
struct crak_image_error {
	const char *what;
	u64 offset;
	u32 section;
};

struct crak_section {
	u16 type;
	u16 flags;
	u32 len;
	const u8 *data;
	u64 offset;	/* of the section header in the image */
};

struct crak_image_reader {
	const u8 *buf;
	u64 len;
	u32 nsections;
	u32 next;
	u64 off;
};

struct crak_image_writer {
	u8 *buf;
	u64 cap;
	u64 len;
	u32 nsections;
};

u32 crak_crc32c(u32 crc, const void *data, u64 len);

int crak_image_open(struct crak_image_reader *r, const void *buf, u64 len,
		    struct crak_image_error *err);
int crak_image_next(struct crak_image_reader *r, struct crak_section *sec);

void crak_image_writer_init(struct crak_image_writer *w, void *buf, u64 cap);
int crak_image_add(struct crak_image_writer *w, u16 type, const void *data,
		   u32 len);
int crak_image_finish(struct crak_image_writer *w);
u64 crak_section_size(u32 len);

#endif /* _CRAK_IMAGE_H */

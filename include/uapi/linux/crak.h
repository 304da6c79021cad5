/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * crak: CRAK-style checkpoint/restart, driven through ioctls on /dev/crak.
 *
 * Every ioctl needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN; without, EPERM.
 *
 *   CRAK_IOC_VERSION       struct crak_version, out: the ioctl ABI and the
 *                          image format version this module speaks.
 *   CRAK_IOC_IMAGE_CHECK   struct crak_image_check, in/out: decodes the
 *                          image at buf/len with the module's codec and
 *                          reports the number of sections, or the first
 *                          error with the section and offset where it was
 *                          found (the ioctl returns the error too). Nothing
 *                          is built from the image.
 *
 * The image format is documented byte by byte in Documentation/image.md.
 */
#ifndef _UAPI_LINUX_CRAK_H
#define _UAPI_LINUX_CRAK_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define CRAK_ABI_VERSION	1

/* Image format. All integers little-endian. */
#define CRAK_IMAGE_MAGIC	"CRAK\r\n\032\n"
#define CRAK_IMAGE_MAGIC_LEN	8
#define CRAK_IMAGE_VERSION	1
#define CRAK_IMAGE_HDR_LEN	32
#define CRAK_SECTION_HDR_LEN	16
#define CRAK_SECTION_ALIGN	8
#define CRAK_IMAGE_MAX_LEN	(1ULL << 30)
#define CRAK_IMAGE_MAX_SECTIONS	(1U << 20)
#define CRAK_IMAGE_MAX_CHECK	(64U << 20)	/* CRAK_IOC_IMAGE_CHECK */

enum crak_section_type {
	CRAK_SEC_INVALID,
	CRAK_SEC_META,		/* who made the image, when, from what */
	CRAK_SEC_NOTE,		/* free text, ignored on restart */
	__CRAK_SEC_MAX
};

struct crak_version {
	__u32 abi;
	__u32 image_version;
};

struct crak_image_check {
	__u64 buf;		/* in: user pointer to the image */
	__u64 len;		/* in: its length, <= CRAK_IMAGE_MAX_CHECK */
	__u32 sections;		/* out: sections decoded */
	__u32 error_section;	/* out: index of the faulty section */
	__u64 error_offset;	/* out: byte offset of the fault */
	char error[96];		/* out: what is wrong, NUL-terminated */
};

#define CRAK_IOC_MAGIC		0xCA
#define CRAK_IOC_VERSION	_IOR(CRAK_IOC_MAGIC, 0x00, struct crak_version)
#define CRAK_IOC_IMAGE_CHECK	_IOWR(CRAK_IOC_MAGIC, 0x01, struct crak_image_check)

#endif /* _UAPI_LINUX_CRAK_H */

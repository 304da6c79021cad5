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
 *   CRAK_IOC_INSPECT       struct crak_inspect, in/out: the sockets of a
 *                          process as a checkpoint sees them, one struct
 *                          crak_sock_info per descriptor that is a socket,
 *                          each with the verdict whether a checkpoint can
 *                          take it. Needs, besides the capability, the
 *                          right to inspect the target (see below).
 *
 * A target is named by its PID in the caller's PID namespace. The caller
 * may inspect or checkpoint it when, as for ptrace (PTRACE_MODE_REALCREDS):
 * its real uid and gid equal every uid and gid (real, effective, saved) of
 * the target and the target's permitted capabilities are a subset of its
 * own, or it has CAP_SYS_PTRACE in the target's user namespace; and the
 * target is dumpable (not setuid, no PR_SET_DUMPABLE 0), or the caller has
 * CAP_SYS_PTRACE over its memory's user namespace. Otherwise EPERM. Linux
 * security modules (Yama, SELinux, AppArmor) are not consulted: their
 * ptrace hook is not available to modules. A PID that names no process is
 * ESRCH; start_time guards against a PID reused between two calls.
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

/* Whether a checkpoint can take a socket. */
enum crak_sock_verdict {
	CRAK_SOCK_OK,		/* yes */
	CRAK_SOCK_FAMILY,	/* no: not AF_INET or AF_INET6 */
	CRAK_SOCK_PROTOCOL,	/* no: neither a TCP stream nor a UDP datagram socket */
	CRAK_SOCK_STATE,	/* no: a TCP state in the middle of a handshake */
};

#define CRAK_INSPECT_MAX	65536	/* crak_sock_info entries per call */

struct crak_sock_info {
	__s32 fd;		/* the descriptor number in the target */
	__u16 family;		/* AF_* */
	__u16 type;		/* SOCK_* */
	__u16 protocol;		/* IPPROTO_* */
	/* TCP_* of include/net/tcp_states.h; UDP: TCP_ESTABLISHED or TCP_CLOSE */
	__u8 state;
	__u8 verdict;		/* enum crak_sock_verdict */
	__be16 src_port;	/* network order; 0 unbound */
	__be16 dst_port;	/* network order; 0 unconnected */
	__u8 src_addr[16];	/* AF_INET: the first 4 bytes */
	__u8 dst_addr[16];
	/* TCP: bytes received, not yet read; UDP: memory its datagrams use */
	__u32 rx_queue;
	__u32 tx_queue;		/* TCP: bytes written, not yet acknowledged */
	__u32 backlog;		/* TCP LISTEN: connections not yet accepted */
	__u32 reserved;		/* 0 */
};

struct crak_inspect {
	__u32 pid;		/* in: the target, in the caller's PID namespace */
	__u32 max;		/* in: entries at buf, <= CRAK_INSPECT_MAX */
	__u64 buf;		/* in: user pointer to struct crak_sock_info[max] */
	/*
	 * in: 0, or the start_time an earlier call returned: ESRCH if the PID
	 * names another process now; out: the target's start time, in ns
	 * since boot
	 */
	__u64 start_time;
	__u32 count;		/* out: sockets found (only max are written) */
	__u32 fds;		/* out: open descriptors seen */
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
#define CRAK_IOC_INSPECT	_IOWR(CRAK_IOC_MAGIC, 0x02, struct crak_inspect)

#endif /* _UAPI_LINUX_CRAK_H */

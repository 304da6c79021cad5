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
 *   CRAK_IOC_CHECKPOINT    struct crak_checkpoint, in/out: writes a
 *                          checkpoint image of a process's sockets to the
 *                          buffer at buf/len: a TASK section, then for
 *                          each UDP socket over IPv4 or IPv6 a SOCK section
 *                          and a SOCK_QUEUE section with every datagram of
 *                          its receive queue, for each TCP socket a SOCK
 *                          section and two SOCK_QUEUE sections, its send
 *                          and its receive queue, for each TCP listener a
 *                          SOCK section followed by one SOCK_CHILD section
 *                          (and its two queues) per connection not yet
 *                          accepted, in accept order; request socks still
 *                          in the handshake are only counted; then, for
 *                          each vnif device of the target's network
 *                          namespace that is the inner end of its pair, a
 *                          VNIF section (name, MAC, MTU, up, whether the
 *                          pair was holding, its limits and deadline, the
 *                          end's addresses but IPv6 link-local ones, the
 *                          routes through it but the local table's and
 *                          RTPROT_KERNEL ones) and a VNIF_QUEUE section, a
 *                          copy of every frame the pair holds, which the
 *                          pair keeps (Documentation/image.md).
 *                          Same access rules as CRAK_IOC_INSPECT. The
 *                          target is not stopped and keeps every datagram:
 *                          each socket is read consistently in itself
 *                          (under its lock, its queues under their locks),
 *                          the set of sockets is not a snapshot. A socket
 *                          that cannot be taken (not UDP or TCP over
 *                          IPv4/IPv6; TCP in SYN_SENT, SYN_RECV,
 *                          TIME_WAIT or CLOSE, with urgent data, MD5, a
 *                          ULP, Fast Open or repair on; a UDP socket with
 *                          corked output, encapsulation, UDP_GRO or
 *                          UDP_SEGMENT, or holding a datagram from an IPv6
 *                          link-local source; a socket bound to a device,
 *                          by SO_BINDTODEVICE or by an IPv6 link-local
 *                          address or peer: the image has no device; a
 *                          second descriptor of a socket already taken)
 *                          fails the call with EOPNOTSUPP, error_fd and
 *                          error naming it, unless CRAK_CKPT_SKIP_UNSUPPORTED
 *                          is set: it is then left out and counted in
 *                          skipped. A vnif end that cannot be recorded
 *                          fails the call whatever the flags, error_fd
 *                          -1 and error naming it: a route through it the
 *                          record cannot say (multipath, nexthop object,
 *                          onlink, source-specific, by TOS, IPv4 via
 *                          IPv6) is EOPNOTSUPP, more addresses or routes
 *                          than CRAK_VNIF_MAX_ADDRS, CRAK_VNIF_MAX_ROUTES
 *                          E2BIG, held frames that keep leaving the
 *                          pair while they are copied EAGAIN. When len is too small the call fails
 *                          with ENOSPC and len says how much is needed
 *                          (retry with start_time as returned: the queues
 *                          may have grown in between). An image that would
 *                          be larger than CRAK_IMAGE_MAX_LEN is EFBIG.
 *                          With CRAK_CKPT_KILL, once the image is in the
 *                          caller's buffer, the target's TCP connections,
 *                          listeners' children included, are put into
 *                          repair mode (closing them sends nothing to the
 *                          peer) and the target is killed; never the
 *                          first process of the machine (EPERM). Every
 *                          thread of the target must be stopped (SIGSTOP
 *                          or a ptrace stop) when the call starts and
 *                          still when it would kill, else EBUSY, error
 *                          saying so, and nothing is killed: a running
 *                          target could write to a socket already read
 *                          or accept a child already taken, and lose it.
 *                          A TCP socket the target shares (open in
 *                          another process too, in flight in SCM_RIGHTS,
 *                          at two of its descriptors) is refused as
 *                          above, since repair mode would break it for
 *                          the other holder (not seen: a descriptor
 *                          table shared through clone(CLONE_FILES) with
 *                          a process outside the target). Without CRAK_CKPT_KILL the
 *                          target may run; a connection it accepts from
 *                          a listener already read is then refused
 *                          (taken as a child already).
 *   CRAK_IOC_RESTORE       struct crak_restore, in/out: rebuilds the
 *                          sockets of the image at buf/len in the caller's
 *                          network namespace, with their addresses, state,
 *                          options and queues, and installs each as a new
 *                          descriptor of the caller, close-on-exec, listed
 *                          in struct crak_restore_fd with the number it
 *                          had in the checkpointed process; a listener's
 *                          children go back into its accept queue, in
 *                          their order, without a descriptor. Listeners
 *                          are built first, then the other sockets, so
 *                          that a connection on a listener's port that
 *                          comes first in the image cannot keep the
 *                          listener from binding it; the list at fds
 *                          stays in the image's order. The image is
 *                          checked whole first (error, error_section and
 *                          error_offset as for CRAK_IOC_IMAGE_CHECK); a
 *                          socket that cannot be rebuilt fails the call
 *                          with error_fd and error naming it. On any
 *                          failure nothing is left: no socket, no
 *                          descriptor. TCP connections are built in
 *                          repair mode and leave it only once every
 *                          socket is built, so that a failure before
 *                          then sends nothing to any peer (the header
 *                          of ckpt/restore.c says what a failure after
 *                          can have sent). Needs CAP_NET_ADMIN in the user
 *                          namespace of the caller's network namespace
 *                          (TCP repair, addresses that are not local).
 *   CRAK_IOC_NET           struct crak_net, in/out: freezes (op
 *                          CRAK_NET_FREEZE) or thaws (CRAK_NET_THAW)
 *                          every vnif pair with an end in the network
 *                          namespace of a process, through vnif.ko's
 *                          kernel API, so that no packet reaches or
 *                          leaves the process's sockets while they are
 *                          checkpointed: each packet is held, in order.
 *                          Freezing is all or nothing: a pair that
 *                          cannot be frozen (being released, say) fails
 *                          the call, error says why, and the pairs this
 *                          call froze are thawed again. Pairs frozen
 *                          already are left as they are, and counted in
 *                          vnifs, not in changed. Op CRAK_NET_ANNOUNCE
 *                          has every vnif device of the namespace that is
 *                          up announce its addresses (gratuitous ARP,
 *                          unsolicited neighbour advertisements, as
 *                          netdev_notify_peers() sends them); on a frozen
 *                          pair they are held, and leave first at thaw.
 *                          Op CRAK_NET_TRIM takes the image a
 *                          checkpoint of the process wrote (buf, len):
 *                          for each of its VNIF sections it removes from
 *                          the frozen pair of that name the frames its
 *                          VNIF_QUEUE carries, which must still be the
 *                          first the pair holds, per direction (same
 *                          length, arrival time and bytes): the image
 *                          now has them, and they must not be carried a
 *                          second time with the frames that arrive after
 *                          the checkpoint. frames says how many were
 *                          removed, changed from how many pairs; they
 *                          are counted in VNIF_STATS_MOVED. The image is
 *                          checked whole first (an invalid one fails with
 *                          the codec's error in error) and must be of
 *                          this process (its TASK start time; else
 *                          EINVAL); a VNIF that names no inner vnif end
 *                          of the namespace is ENOENT, a pair with frames
 *                          to remove that is not frozen EINVAL. Every
 *                          pair is verified before any is trimmed: ESTALE,
 *                          and nothing removed, if a frame does not
 *                          match or is no longer held; error names the
 *                          pair, the direction and the frame. Each pair
 *                          is then trimmed, checked again under its lock:
 *                          only a pair thawed, released by its deadline
 *                          or deleted between the two steps (or a failed
 *                          allocation) can fail there, with the pairs
 *                          before it trimmed already (frames and
 *                          changed say so).
 *                          Same access rules as CRAK_IOC_INSPECT, and
 *                          CAP_NET_ADMIN in the namespace's user
 *                          namespace.
 *
 * A target is named by its PID in the caller's PID namespace. The caller
 * may inspect or checkpoint it when, as for ptrace (PTRACE_MODE_REALCREDS):
 * its real uid and gid equal every uid and gid (real, effective, saved) of
 * the target and the target's permitted capabilities are a subset of its
 * own, or it has CAP_SYS_PTRACE in the target's user namespace; and the
 * target is dumpable (not setuid, no PR_SET_DUMPABLE 0), or the caller has
 * CAP_SYS_PTRACE over its memory's user namespace. Otherwise EPERM. Linux
 * security modules (Yama, SELinux, AppArmor) are not consulted: their
 * ptrace hook is not available to modules. The check is made, and the
 * target's descriptors read, under its exec_update_lock, as pidfd_getfd(2)
 * does: an exec that changes its credentials waits until the call is done.
 * A PID that names no process is ESRCH; start_time guards against a PID
 * reused between two calls.
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
	CRAK_SEC_TASK,		/* the checkpointed process */
	CRAK_SEC_SOCK,		/* one socket: addresses, state, options */
	CRAK_SEC_SOCK_QUEUE,	/* one queue of the socket just before */
	CRAK_SEC_SOCK_CHILD,	/* a connection not accepted yet, of the listener before */
	CRAK_SEC_VNIF,		/* a vnif device of the namespace: link, addresses, routes */
	CRAK_SEC_VNIF_QUEUE,	/* the frames its pair held, both directions */
	__CRAK_SEC_MAX
};

/*
 * Payload layouts of TASK, SOCK and SOCK_QUEUE: Documentation/image.md.
 * Their lengths and the bits of their flag fields:
 */
#define CRAK_TASK_LEN		40
#define CRAK_TASK_COMM_LEN	16
#define CRAK_SOCK_COMMON_LEN	88	/* then the protocol part */
#define CRAK_SOCK_UDP_LEN	24	/* the protocol part of a UDP socket */
#define CRAK_SOCK_TCP_LEN	112	/* the protocol part of a TCP socket */
#define CRAK_SOCK_LISTEN_LEN	24	/* ... of a TCP socket in LISTEN */
#define CRAK_QUEUE_HDR_LEN	16
#define CRAK_DGRAM_HDR_LEN	48	/* then the payload, padded to 8 */
#define CRAK_DGRAM_MAX_LEN	65535	/* payload bytes of one datagram */
#define CRAK_TTL_DEFAULT	0xffff	/* ttl, hops: the system's default */

/*
 * VNIF: the inner end of a vnif pair in the target's network namespace,
 * 64 bytes, then naddrs address records and nroutes route records; a
 * VNIF_QUEUE section, 8 bytes then frame records, follows each.
 */
#define CRAK_VNIF_LEN		64
#define CRAK_VNIF_ADDR_LEN	24
#define CRAK_VNIF_ROUTE_LEN	48
#define CRAK_VNIF_QUEUE_HDR_LEN	8
#define CRAK_FRAME_HDR_LEN	16	/* then the frame, padded to 8 */
#define CRAK_FRAME_MIN_LEN	14	/* an Ethernet header */
#define CRAK_FRAME_MAX_LEN	65535
#define CRAK_VNIF_MAX		256	/* VNIF sections in one image */
#define CRAK_VNIF_MAX_ADDRS	256	/* address records of one VNIF */
#define CRAK_VNIF_MAX_ROUTES	1024	/* route records of one VNIF */
#define CRAK_IFNAMSIZ		16

/* VNIF flags */
#define CRAK_VNIF_UP		(1U << 0)	/* IFF_UP on the inner end */
#define CRAK_VNIF_FROZEN	(1U << 1)	/* the pair was holding when read */
#define CRAK_VNIF_ALL		0x3U

/* VNIF route flags */
#define CRAK_ROUTE_GATEWAY	(1U << 0)	/* via gw, else on-link */
#define CRAK_ROUTE_ALL		0x1U

/* VNIF_QUEUE frame dir: enum vnif_direction of include/uapi/linux/vnif.h */
#define CRAK_FRAME_INGRESS	0	/* outer end -> inner end */
#define CRAK_FRAME_EGRESS	1	/* inner end -> outer end */

/* SOCK fd_flags */
#define CRAK_FD_NONBLOCK	(1U << 0)	/* O_NONBLOCK on the open file */
#define CRAK_FD_CLOEXEC		(1U << 1)	/* FD_CLOEXEC on the descriptor */
#define CRAK_FD_ALL		0x3U

/*
 * SOCK opts. A TCP restore lifts the socket's buffers while it queues the
 * recorded bytes, then sets them to sndbuf and rcvbuf as recorded: locked
 * when the user had set them (CRAK_SO_SNDBUF_SET, CRAK_SO_RCVBUF_SET),
 * else capped by the namespace's net.ipv4.tcp_wmem / tcp_rmem maximum and
 * left to the kernel's auto-tuning.
 */
#define CRAK_SO_REUSEADDR	(1U << 0)
#define CRAK_SO_REUSEPORT	(1U << 1)
#define CRAK_SO_BROADCAST	(1U << 2)
#define CRAK_SO_SNDBUF_SET	(1U << 3)	/* SO_SNDBUF set by the user */
#define CRAK_SO_RCVBUF_SET	(1U << 4)	/* SO_RCVBUF set by the user */
#define CRAK_SO_V6ONLY		(1U << 5)	/* IPV6_V6ONLY (AF_INET6 only) */
#define CRAK_SO_FREEBIND	(1U << 6)	/* IP_FREEBIND / IPV6_FREEBIND */
#define CRAK_SO_TRANSPARENT	(1U << 7)	/* IP_TRANSPARENT */
#define CRAK_SO_ADDR_BOUND	(1U << 8)	/* bound to an address by the user */
#define CRAK_SO_PORT_BOUND	(1U << 9)	/* bound to a port by the user */
#define CRAK_SO_ALL		0x3ffU

/* SOCK, UDP part: udp_flags */
#define CRAK_UDP_NO_CHECK6_TX	(1U << 0)
#define CRAK_UDP_NO_CHECK6_RX	(1U << 1)
#define CRAK_UDP_ALL		0x3U

/* SOCK, TCP part: tcp_opts */
#define CRAK_TCP_WSCALE		(1U << 0)	/* window scaling negotiated */
#define CRAK_TCP_SACK		(1U << 1)	/* SACK permitted by the peer */
#define CRAK_TCP_TIMESTAMPS	(1U << 2)	/* timestamps negotiated */
#define CRAK_TCP_NODELAY	(1U << 3)	/* TCP_NODELAY */
#define CRAK_TCP_CORK		(1U << 4)	/* TCP_CORK */
#define CRAK_TCP_KEEPALIVE	(1U << 5)	/* SO_KEEPALIVE */
#define CRAK_TCP_LINGER		(1U << 6)	/* SO_LINGER on, for linger s */
#define CRAK_TCP_ALL		0x7fU
#define CRAK_TCP_MAX_WSCALE	14		/* RFC 7323 */
#define CRAK_TCP_MAX_KEEPIDLE	32767		/* s, as the kernel allows */
#define CRAK_TCP_MAX_KEEPINTVL	32767		/* s */
#define CRAK_TCP_MAX_KEEPCNT	127

/* SOCK, TCP listener part: the tcp_opts a listener may carry */
#define CRAK_LISTEN_OPTS	(CRAK_TCP_NODELAY | CRAK_TCP_KEEPALIVE)
#define CRAK_LISTEN_MAX_DEFER	255	/* SYN-ACK retransmissions */

/* SOCK_QUEUE kind */
#define CRAK_QUEUE_UDP_RECV	1	/* datagrams not yet read */
#define CRAK_QUEUE_TCP_SEND	2	/* TCP bytes from snd_una, sent or not */
#define CRAK_QUEUE_TCP_RECV	3	/* TCP bytes received, not yet read */

/*
 * SOCK_QUEUE datagram flags. A checkpoint verifies the UDP checksum of
 * every datagram the device had not verified, as reading it would, and
 * leaves out those with a bad one (reading would drop them; with
 * CRAK_CKPT_KILL they are counted in the target namespace's Udp
 * InCsumErrors and InErrors, as it would have): an image of this module
 * never has CRAK_DGRAM_CSUM_UNVERIFIED set, and a restore refuses a
 * datagram that has it (error_fd names its socket), since it queues each
 * as verified.
 */
#define CRAK_DGRAM_CSUM_UNVERIFIED	(1U << 0)	/* not checked yet */
#define CRAK_DGRAM_ALL		0x1U

struct crak_version {
	__u32 abi;
	__u32 image_version;
};

/* Whether a checkpoint can take a socket. */
enum crak_sock_verdict {
	CRAK_SOCK_OK,		/* yes */
	CRAK_SOCK_FAMILY,	/* no: not AF_INET or AF_INET6 */
	CRAK_SOCK_PROTOCOL,	/* no: neither a TCP stream nor a UDP datagram socket */
	CRAK_SOCK_STATE,	/* no: a TCP handshake, TIME_WAIT or CLOSE */
	/*
	 * no: bound to a device, by SO_BINDTODEVICE or by an IPv6 link-local
	 * address or peer (the scope id names the device): an image records
	 * neither
	 */
	CRAK_SOCK_DEVICE,
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

/* CRAK_IOC_CHECKPOINT flags */
#define CRAK_CKPT_SKIP_UNSUPPORTED	(1U << 0)	/* leave out, do not fail */
#define CRAK_CKPT_KILL			(1U << 1)	/* then repair mode, SIGKILL */
#define CRAK_CKPT_ALL			0x3U

struct crak_checkpoint {
	__u32 pid;		/* in: the target, in the caller's PID namespace */
	__u32 flags;		/* in: CRAK_CKPT_* */
	/*
	 * in: 0, or the target's start time (ESRCH if it is another process
	 * now); out: the target's start time, in ns since boot
	 */
	__u64 start_time;
	__u64 buf;		/* in: user pointer to the image buffer */
	/*
	 * in: room at buf; out: length of the image written or, on ENOSPC,
	 * needed
	 */
	__u64 len;
	__s32 error_fd;		/* out: the descriptor refused, or -1 */
	__u32 sockets;		/* out: sockets taken */
	__u32 skipped;		/* out: sockets left out (SKIP_UNSUPPORTED) */
	__u32 datagrams;	/* out: datagrams taken */
	char error[96];		/* out: why error_fd was refused, NUL-terminated */
};

#define CRAK_RESTORE_MAX_FDS	65536	/* crak_restore_fd entries per call */

/* One restored socket: a new descriptor of the caller. */
struct crak_restore_fd {
	__s32 fd;		/* out: its number in the caller (close-on-exec) */
	__s32 target_fd;	/* out: its number in the checkpointed process */
	__u32 fd_flags;		/* out: CRAK_FD_* it had there */
	__u32 reserved;		/* out: 0 */
};

struct crak_restore {
	__u64 buf;		/* in: user pointer to the image */
	__u64 len;		/* in: its length, <= CRAK_IMAGE_MAX_LEN */
	__u32 flags;		/* in: 0 */
	__u32 max;		/* in: entries at fds, <= CRAK_RESTORE_MAX_FDS */
	__u64 fds;		/* in: user pointer to struct crak_restore_fd[max] */
	__u32 sockets;		/* out: sockets restored, entries written */
	__u32 datagrams;	/* out: UDP datagrams queued again */
	__u64 bytes;		/* out: payload bytes queued again */
	__s32 error_fd;		/* out: the recorded descriptor refused, or -1 */
	__u32 error_section;	/* out: index of the faulty section */
	__u64 error_offset;	/* out: byte offset of the fault in the image */
	char error[96];		/* out: what is wrong, NUL-terminated */
};

/* CRAK_IOC_NET op */
#define CRAK_NET_FREEZE		1
#define CRAK_NET_THAW		2
#define CRAK_NET_ANNOUNCE	3
#define CRAK_NET_TRIM		4
#define CRAK_NET_VNIF_MAX	256	/* vnif devices in one namespace */

struct crak_net {
	__u32 pid;		/* in: a process in the network namespace */
	__u32 op;		/* in: CRAK_NET_* */
	/* in: 0 or the process's start time (ESRCH if another); out: it */
	__u64 start_time;
	__u32 vnifs;		/* out: vnif devices in the namespace */
	__u32 changed;		/* out: of them, frozen (thawed, announcing, trimmed) */
	char error[96];		/* out: why a pair refused, NUL-terminated */
	/* CRAK_NET_TRIM: in: the image at buf/len (<= CRAK_IMAGE_MAX_LEN) */
	__u64 buf;
	__u64 len;
	__u64 frames;		/* out: CRAK_NET_TRIM: frames removed */
};

#define CRAK_IOC_MAGIC		0xCA
#define CRAK_IOC_VERSION	_IOR(CRAK_IOC_MAGIC, 0x00, struct crak_version)
#define CRAK_IOC_IMAGE_CHECK	_IOWR(CRAK_IOC_MAGIC, 0x01, struct crak_image_check)
#define CRAK_IOC_INSPECT	_IOWR(CRAK_IOC_MAGIC, 0x02, struct crak_inspect)
#define CRAK_IOC_CHECKPOINT	_IOWR(CRAK_IOC_MAGIC, 0x03, struct crak_checkpoint)
#define CRAK_IOC_RESTORE	_IOWR(CRAK_IOC_MAGIC, 0x04, struct crak_restore)
#define CRAK_IOC_NET		_IOWR(CRAK_IOC_MAGIC, 0x05, struct crak_net)

#endif /* _UAPI_LINUX_CRAK_H */

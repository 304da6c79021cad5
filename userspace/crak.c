// SPDX-License-Identifier: GPL-2.0
/*
 * crak: the command-line side of crak.ko. It decodes, checks and makes
 * checkpoint images with the very codec the module uses (ckpt/image.c,
 * compiled in here), and asks the module through /dev/crak for its own
 * verdict, so that a disagreement between the two shows up at once.
 *
 * Images are read whole into memory: the codec checks the whole image before
 * it hands out a section. CRAK_IMAGE_MAX_LEN bounds that memory, and a file
 * known to be larger is refused before a byte of it is read.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <dirent.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <linux/vnif.h>

#include "image.h"
#include "pcap.h"
#include "nl.h"

#define CRAK_DEVICE	"/dev/crak"

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* How much of a text payload is shown: a line's worth, or a JSON string's. */
#define SHOW_TEXT_MAX	60
#define JSON_TEXT_MAX	4096

/* PIDs run from 1 to the kernel's PID_MAX_LIMIT on 64-bit machines. */
#define CRAK_PID_MAX	4194304
/* crak inspect: entries of the first CRAK_IOC_INSPECT call. */
#define INSPECT_FIRST_MAX	256

/*
 * tests/fuzz builds the tool with CRAK_FUZZ_ARGS and -Dmain=crak_main to
 * fuzz its argument parsers: each command then returns once its arguments
 * are parsed and checked, before any file or device is touched.
 */
#ifdef CRAK_FUZZ_ARGS
#define PARSE_ONLY	true
int main(int argc, char **argv);
#else
#define PARSE_ONLY	false
#endif

const char *const vnl_prog = "crak";

/* Exit statuses, as documented in the help text. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct image {
	const char *path;	/* as given: "-" is standard input */
	u8 *buf;
	u64 len;
};

/* "crak: MESSAGE" on standard error, after what standard output has. */
#define crak_err(...)	vnl_err(__VA_ARGS__)

static const char * const sec_names[__CRAK_SEC_MAX] = {
	[CRAK_SEC_META] = "META",
	[CRAK_SEC_NOTE] = "NOTE",
	[CRAK_SEC_TASK] = "TASK",
	[CRAK_SEC_SOCK] = "SOCK",
	[CRAK_SEC_SOCK_QUEUE] = "SOCK_QUEUE",
	[CRAK_SEC_SOCK_CHILD] = "SOCK_CHILD",
	[CRAK_SEC_VNIF] = "VNIF",
	[CRAK_SEC_VNIF_QUEUE] = "VNIF_QUEUE",
};

static const char *sec_name(u16 type)
{
	/* The codec refuses unknown types: this is only a safety net. */
	if (type < __CRAK_SEC_MAX && sec_names[type])
		return sec_names[type];
	return "?";
}

static const char *plural(u64 n)
{
	return n == 1 ? "" : "s";
}

/* Sections whose payload is text meant for people. */
static bool sec_is_text(u16 type)
{
	return type == CRAK_SEC_META || type == CRAK_SEC_NOTE;
}

/*
 * Help texts. Each command's text is also what `crak CMD --help` prints;
 * the main text lists them all.
 */
static const char help_main[] =
"NAME\n"
"    crak - inspect, check and make crak checkpoint images, and see what a\n"
"    checkpoint of a process would take\n"
"\n"
"SYNOPSIS\n"
"    crak version [--device PATH]\n"
"    crak show [--json] [--pcap FILE] IMAGE\n"
"    crak check [--kernel] [--device PATH] IMAGE...\n"
"    crak new -o IMAGE [--note TEXT]...\n"
"    crak inspect [--json] [--device PATH] PID\n"
"    crak checkpoint [--skip-unsupported] [--leave-running | --kill]\n"
"                    [--device PATH] -o IMAGE PID\n"
"    crak restart [--netns NAME|PATH] [--bridge BR] [--host-ifname NAME]\n"
"                 [--hold | --no-vnif] [--listen-fds] [--verbose]\n"
"                 [--device PATH] IMAGE [--] COMMAND [ARG]...\n"
"    crak help [COMMAND]\n"
"    crak COMMAND --help\n"
"\n"
"DESCRIPTION\n"
"    crak works on the checkpoint images of crak.ko, the CRAK-style\n"
"    checkpoint/restart module. It decodes them with the same codec the\n"
"    module uses (ckpt/image.c) and talks to the module through the ioctls\n"
"    of /dev/crak. The image format is described byte by byte in\n"
"    Documentation/image.md.\n"
"\n"
"    An IMAGE of \"-\" is standard input. Images larger than the format\n"
"    allows (1 GiB) are refused before they are read.\n"
"\n"
"COMMANDS\n"
"    version   the image format and ioctl ABI versions of the tool and,\n"
"              when /dev/crak exists, of the loaded module\n"
"    show      decode an image and list its sections; write the frames\n"
"              its vnif devices held as pcapng\n"
"    check     validate images, and with --kernel have crak.ko validate\n"
"              them too: the two verdicts must agree\n"
"    new       write a small valid image (a META section and NOTEs)\n"
"    inspect   list the sockets of a process and whether a checkpoint\n"
"              can take each of them, as crak.ko sees them\n"
"    checkpoint\n"
"              write an image of a process's UDP and TCP sockets and\n"
"              what is queued on them, then let it run on or kill it\n"
"    restart   rebuild the sockets of an image and run a program with them\n"
"    help      this text, or a command's\n"
"\n"
"EXIT STATUS\n"
"    0  success\n"
"    1  failure: an invalid image, an I/O error, the module missing,\n"
"       refusing or disagreeing, a process that cannot be inspected\n"
"    2  usage error\n"
"\n"
"FILES\n"
"    /dev/crak  the module's device: root only (mode 0600), and every ioctl\n"
"               needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN\n"
"\n"
"SEE ALSO\n"
"    Documentation/crak-tool.md, Documentation/image.md,\n"
"    include/uapi/linux/crak.h\n";

static const char help_version[] =
"NAME\n"
"    crak version - the versions spoken by the tool and by crak.ko\n"
"\n"
"SYNOPSIS\n"
"    crak version [--device PATH]\n"
"    crak --version\n"
"\n"
"DESCRIPTION\n"
"    Prints the image format version and the ioctl ABI version this tool\n"
"    was built for, then those of the loaded module, asked through the\n"
"    CRAK_IOC_VERSION ioctl. When the device does not exist the module is\n"
"    reported as not loaded, and that is not an error.\n"
"\n"
"OPTIONS\n"
"    -d, --device PATH  the crak device (default /dev/crak)\n"
"    -h, --help         this text\n"
"\n"
"EXIT STATUS\n"
"    0  the versions were printed (module loaded or not)\n"
"    1  the device could not be opened or queried (permission: the device\n"
"       is root only and the ioctl needs CAP_CHECKPOINT_RESTORE or\n"
"       CAP_SYS_ADMIN), or the module speaks another ABI or image version\n"
"    2  usage error\n";

static const char help_show[] =
"NAME\n"
"    crak show - decode a checkpoint image and list its sections\n"
"\n"
"SYNOPSIS\n"
"    crak show [--json] [--pcap FILE] IMAGE\n"
"\n"
"DESCRIPTION\n"
"    Decodes IMAGE with the image codec and prints one line per section:\n"
"    its index, the offset of its header in the image, its type, the\n"
"    length of its payload and what it holds:\n"
"\n"
"    META, NOTE  the start of the text between double quotes. Only\n"
"                printable ASCII is shown as is: a quote or backslash is\n"
"                escaped with a backslash, tab and newline are \\t and \\n,\n"
"                other bytes \\xNN. A text longer than 60 bytes is cut and\n"
"                followed by \"...\" and the number of bytes left out.\n"
"    TASK        the process: pid, command name, start time (ns since\n"
"                boot), number of sockets\n"
"    SOCK        the socket: fd, kind (udp, udp6), UNCONN or ESTAB, local\n"
"                and peer address, then the options set on it; a TCP\n"
"                listener: its backlog, the connections not accepted yet\n"
"                and those in the handshake (left out)\n"
"    SOCK_CHILD  a connection not accepted yet, after its listener: as a\n"
"                TCP SOCK, \"fd N child\" with the listener's fd\n"
"    SOCK_QUEUE  the fd, the number of datagrams and their bytes, then one\n"
"                more line per datagram, in the order the process will\n"
"                read them: its index, source, destination, length and\n"
"                its first 16 bytes as above\n"
"    VNIF        a vnif device of the process's network namespace, the\n"
"                inner end of its pair: name, MAC address, MTU, up or\n"
"                down, \"frozen\" when the pair was holding, the pair's\n"
"                hold limits (packets, bytes), its deadline and deadline\n"
"                policy (release, drop) or \"no deadline\", the number of\n"
"                addresses, routes and held frames and their bytes; then\n"
"                one more line per address, as ip-address(8) words it\n"
"                (\"inet 10.60.0.2/24 scope global permanent\"), and per\n"
"                route through the device, as ip-route(8) words it, with\n"
"                its metric and table always given (\"default via\n"
"                10.60.0.1 proto static metric 0 table main\"); a number\n"
"                stands for what has no name here\n"
"    VNIF_QUEUE  the frames the pair of the VNIF before it held: the\n"
"                device's name, the number of frames and bytes, per\n"
"                direction (ingress: towards the process; egress: from\n"
"                it), then one more line per frame in queue order: its\n"
"                index, direction, length, arrival time (s.ns since the\n"
"                epoch, UTC), Ethernet source > destination and\n"
"                ethertype\n"
"\n"
"    An invalid image is refused as a whole, nothing is listed:\n"
"        crak: IMAGE: WHAT (section N, offset M)\n"
"    WHAT is the codec's message, N the index of the section at fault and M\n"
"    the byte offset where the fault was found.\n"
"\n"
"OPTIONS\n"
"    -j, --json  print one JSON object instead: image, format_version,\n"
"                length, and sections, an array of objects with index,\n"
"                offset, type, type_id, length and, for text sections, text\n"
"                (its first 4096 bytes; bytes outside printable ASCII as\n"
"                \\u00NN) and truncated; for TASK, SOCK, SOCK_CHILD,\n"
"                SOCK_QUEUE, VNIF and VNIF_QUEUE an object task, socket,\n"
"                child, queue, vnif or vnif_queue with every field decoded,\n"
"                each datagram and frame with its length, the SHA-256 of\n"
"                its bytes and its first 16 bytes in hex; with --pcap FILE,\n"
"                pcap says what was written (Documentation/crak-tool.md)\n"
"    -p, --pcap FILE\n"
"                also write every frame of every VNIF_QUEUE, in image\n"
"                order, to FILE as pcapng, as `vnif dump` writes a pair's\n"
"                queues: Ethernet, nanosecond timestamps (the arrival\n"
"                time), the direction in each packet's flags (ingress\n"
"                inbound, egress outbound), so that `tcpdump -r FILE`\n"
"                shows them and `vnif load -r FILE` loads them into a\n"
"                frozen pair. The capture has one interface: it bears the\n"
"                device's name when the image has one VNIF; the frames of\n"
"                several devices share it, unnamed, in the order of their\n"
"                VNIF sections (crak show tells which is which); an image\n"
"                without VNIF gives a capture without packets. FILE is\n"
"                written whole beside its final name, synced and renamed,\n"
"                mode 0600, and the listing ends with \"FILE: N frames of\n"
"                M vnif devices written as pcapng\". With FILE \"-\" the\n"
"                capture goes to standard output, which must not be a\n"
"                terminal, and nothing is listed; --json cannot go with it\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 the image is valid and was shown (and the capture written), 1 it\n"
"    is not, or it or the capture could not be read or written, 2 usage\n"
"    error.\n"
"\n"
"EXAMPLES\n"
"    crak show ckpt.img\n"
"    crak show --json ckpt.img | python3 -m json.tool\n"
"    crak show --pcap - ckpt.img | tcpdump -nn -e -r -\n"
"    crak show --pcap held.pcapng ckpt.img && vnif load vnif0 -r held.pcapng\n";

static const char help_check[] =
"NAME\n"
"    crak check - validate checkpoint images, here and in the kernel\n"
"\n"
"SYNOPSIS\n"
"    crak check [--kernel] [--device PATH] IMAGE...\n"
"\n"
"DESCRIPTION\n"
"    Validates each IMAGE in turn with the image codec: the header, every\n"
"    section's bounds, checksum, type and padding. A valid image prints\n"
"        IMAGE: valid, N sections, M bytes\n"
"    an invalid one\n"
"        crak: IMAGE: WHAT (section N, offset M)\n"
"\n"
"    With --kernel the image is also handed to crak.ko through the\n"
"    CRAK_IOC_IMAGE_CHECK ioctl, which decodes it with the module's copy of\n"
"    the codec. The kernel's verdict is printed after the tool's, as\n"
"    \"kernel agrees: ...\" when the two verdicts are the same (same error\n"
"    code, message, section and offset, or same number of sections) and\n"
"    \"kernel disagrees: ...\" with both verdicts when they are not.\n"
"    The kernel checks images of at most 64 MiB. Without the device, the\n"
"    tool's verdicts are still given, and the status is 1.\n"
"\n"
"OPTIONS\n"
"    -k, --kernel       also ask crak.ko\n"
"    -d, --device PATH  the crak device (default /dev/crak)\n"
"    -h, --help         this text\n"
"\n"
"EXIT STATUS\n"
"    0  every image is valid (and, with --kernel, the kernel agrees)\n"
"    1  an image is invalid or could not be read, the kernel could not be\n"
"       asked, or it disagrees\n"
"    2  usage error\n";

static const char help_new[] =
"NAME\n"
"    crak new - write a small valid checkpoint image\n"
"\n"
"SYNOPSIS\n"
"    crak new -o IMAGE [--note TEXT]...\n"
"\n"
"DESCRIPTION\n"
"    Writes an image holding a META section, a short text naming the tool,\n"
"    the format version and the time, followed by one NOTE section per\n"
"    --note, in order, whose payload is TEXT (without a trailing NUL). It\n"
"    exists to make reference images for tests.\n"
"\n"
"    The image is written to a temporary file beside IMAGE, synced, and\n"
"    renamed over IMAGE: a reader sees the old file or the whole new one,\n"
"    never a part. The file is created with mode 0600, as checkpoint\n"
"    images may hold private state. An IMAGE of \"-\" writes to standard\n"
"    output, which must not be a terminal.\n"
"\n"
"OPTIONS\n"
"    -o, --output IMAGE  where to write the image (required)\n"
"    -n, --note TEXT     add a NOTE section; may be repeated\n"
"    -h, --help          this text\n"
"\n"
"ENVIRONMENT\n"
"    SOURCE_DATE_EPOCH  the time written in META, in seconds since the\n"
"                       epoch, instead of now: the same arguments then\n"
"                       make the same bytes\n"
"\n"
"EXIT STATUS\n"
"    0 the image was written, 1 it could not be, 2 usage error.\n"
"\n"
"EXAMPLES\n"
"    crak new -o ref.img --note 'made for the flip test'\n";

static const char help_inspect[] =
"NAME\n"
"    crak inspect - the sockets of a process, as a checkpoint sees them\n"
"\n"
"SYNOPSIS\n"
"    crak inspect [--json] [--device PATH] PID\n"
"\n"
"DESCRIPTION\n"
"    Asks crak.ko, through the CRAK_IOC_INSPECT ioctl, which open\n"
"    descriptors of process PID are sockets, and whether a checkpoint can\n"
"    take each of them. PID is a decimal number from 1 to 4194304, in the\n"
"    caller's PID namespace. The verdicts are the module's: a checkpoint\n"
"    takes TCP stream and UDP datagram sockets of IPv4 and IPv6, but not a\n"
"    TCP socket in a handshake, TIME_WAIT or CLOSE, nor one bound to a\n"
"    device (SO_BINDTODEVICE, an IPv6 link-local address or peer): reason\n"
"    \"device\". The process keeps running:\n"
"    each socket is described consistently, the list is not a snapshot.\n"
"\n"
"    The first call has room for 256 sockets. A process with more is asked\n"
"    again, with room for all of them (at most 65536), and named by its\n"
"    start time too: if its PID was reused in between, that is \"no\n"
"    process\". Sockets still beyond the room (past 65536, or opened\n"
"    between the two calls) are counted, not listed, and a warning says\n"
"    so.\n"
"\n"
"OUTPUT\n"
"    A summary line, then one line per socket in descriptor order, in\n"
"    columns as ss(8) has them:\n"
"\n"
"    PID: N descriptors, M sockets, K that a checkpoint cannot take\n"
"              N open descriptors of any kind, M of them sockets, K of\n"
"              those listed that a checkpoint cannot take\n"
"    fd N      the descriptor\n"
"    kind      tcp, udp, tcp6, udp6; inet-raw, inet6-raw for raw IP\n"
"              sockets; other IP protocols by name (icmp, sctp6...) or\n"
"              inet, inet6; unix, netlink, packet...; or \"family N\"\n"
"    state     TCP's (LISTEN, ESTABLISHED, SYN_SENT...); for UDP, UNCONN or\n"
"              ESTAB (connected); for other sockets, their type (stream,\n"
"              dgram, seqpacket...)\n"
"    local, peer\n"
"              ADDRESS:PORT, IPv6 addresses in brackets, \"*\" for no port,\n"
"              \"*:*\" for no peer; \"-\" outside IP\n"
"    then, for a socket a checkpoint can take:\n"
"              TCP: \"rx N tx N\", bytes received and not yet read, sent and\n"
"              not yet acknowledged; listening: \"backlog N\", connections\n"
"              not yet accepted; UDP: \"rx N\", memory its datagrams use\n"
"    or, for one it cannot take, \"cannot checkpoint:\" and why:\n"
"              family    not IPv4 or IPv6\n"
"              protocol  neither a TCP stream nor a UDP datagram socket\n"
"              state S   TCP, in a handshake, TIME_WAIT or CLOSE (state S)\n"
"\n"
"OPTIONS\n"
"    -j, --json         print one JSON object instead: pid, start_time_ns\n"
"                       (ns since boot), descriptors, socket_count,\n"
"                       cannot_checkpoint, truncated, and sockets, an array\n"
"                       of objects with fd, family, type, protocol, state,\n"
"                       state_id, src, sport, dst, dport, rx_queue,\n"
"                       tx_queue, backlog, checkpoint, verdict and reason;\n"
"                       see Documentation/crak-tool.md\n"
"    -d, --device PATH  the crak device (default /dev/crak)\n"
"    -h, --help         this text\n"
"\n"
"PERMISSIONS\n"
"    As for every crak ioctl, CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN; and\n"
"    the right to ptrace the process (PTRACE_MODE_REALCREDS): the caller's\n"
"    real uid and gid equal every uid and gid of the process and its\n"
"    permitted capabilities are a subset of the caller's, or the caller\n"
"    has CAP_SYS_PTRACE; and the process is dumpable (not setuid, no\n"
"    PR_SET_DUMPABLE 0), or the caller has CAP_SYS_PTRACE. Linux security\n"
"    modules (Yama, SELinux, AppArmor) are not consulted.\n"
"\n"
"EXIT STATUS\n"
"    0  the process was inspected, even if a checkpoint cannot take some\n"
"       of its sockets\n"
"    1  it could not be: no such process, not allowed, crak.ko not loaded\n"
"       or too old to know CRAK_IOC_INSPECT\n"
"    2  usage error\n"
"\n"
"EXAMPLES\n"
"    # crak inspect 4242\n"
"    4242: 9 descriptors, 4 sockets, 1 that a checkpoint cannot take\n"
"    fd 3  tcp   LISTEN       0.0.0.0:8080    *:*              backlog 2\n"
"    fd 4  tcp6  ESTABLISHED  [fd77::2]:8080  [fd77::1]:40000  rx 0 tx 1460\n"
"    fd 5  udp   UNCONN       0.0.0.0:5353    *:*              rx 2304\n"
"    fd 6  unix  stream       -               -                cannot checkpoint: family\n"
"    # crak inspect --json 4242 | python3 -m json.tool\n";

static const char help_checkpoint[] =
"NAME\n"
"    crak checkpoint - write an image of a process's UDP and TCP sockets\n"
"\n"
"SYNOPSIS\n"
"    crak checkpoint [--skip-unsupported] [--leave-running | --kill]\n"
"                    [--device PATH] -o IMAGE PID\n"
"\n"
"DESCRIPTION\n"
"    Asks crak.ko, through the CRAK_IOC_CHECKPOINT ioctl, for a checkpoint\n"
"    image of process PID and writes it to IMAGE. The image holds a TASK\n"
"    section (pid, command name, start time), then for each UDP socket\n"
"    over IPv4 or IPv6, in descriptor order, a SOCK section (addresses,\n"
"    state, the options applications set, O_NONBLOCK, FD_CLOEXEC) and a\n"
"    SOCK_QUEUE section with every datagram not yet read, with its source\n"
"    and destination, in the order the process would read them; for each\n"
"    TCP connection a SOCK section (also its sequence numbers, windows and\n"
"    TCP options) and two SOCK_QUEUE sections, the bytes not yet\n"
"    acknowledged and the bytes not yet read.\n"
"    Documentation/image.md describes them byte by byte.\n"
"\n"
"    The process is stopped while it is checkpointed, as a debugger stops\n"
"    it (ptrace PTRACE_SEIZE and PTRACE_INTERRUPT on every thread: no\n"
"    SIGSTOP that its parent could see), so that it neither reads nor\n"
"    writes its sockets meanwhile, and crak.ko freezes every vnif pair of\n"
"    its network namespace (CRAK_IOC_NET): from then on each packet to or\n"
"    from it is held, in order, so nothing is acknowledged that the image\n"
"    does not hold.\n"
"\n"
"    With --leave-running (the default) the pairs it froze are thawed and\n"
"    the process runs on, with every byte and datagram it had: nothing is\n"
"    taken from it. With --kill the image is written and synced first;\n"
"    then each TCP socket is put into repair mode (through pidfd_getfd),\n"
"    so that its closing sends neither FIN nor RST, the process is killed,\n"
"    and crak returns once its descriptors are closed. Its vnif pairs stay\n"
"    frozen, holding what comes for it until it is restarted elsewhere\n"
"    (Documentation/migration.md). Just before the kill, the frames the\n"
"    pairs held when the image was taken leave them (CRAK_IOC_NET, op\n"
"    CRAK_NET_TRIM): the image carries them, and the pairs go on holding\n"
"    only what arrives after it, so that no frame travels twice. If any\n"
"    step fails (the trim too, when a pair no longer holds those frames\n"
"    first), the pairs are thawed, the process runs on as it was, and the\n"
"    image file is removed.\n"
"\n"
"    A socket the checkpoint cannot take makes it fail, naming the\n"
"    descriptor and why: any socket other than UDP or TCP over IPv4 or\n"
"    IPv6, a TCP socket in a handshake, TIME_WAIT or CLOSE,\n"
"    with urgent data, MD5, kTLS or Fast Open, a UDP socket with corked output,\n"
"    encapsulation, UDP_GRO or UDP_SEGMENT, a second descriptor of a\n"
"    socket already\n"
"    taken. With --skip-unsupported such sockets are left out instead, and\n"
"    a warning counts them.\n"
"\n"
"    The image is written to a temporary file beside IMAGE, synced and\n"
"    renamed over IMAGE, with mode 0600 (it holds the process's data). An\n"
"    IMAGE of \"-\" writes to standard output, which must not be a\n"
"    terminal. A summary line goes to standard output otherwise:\n"
"        IMAGE: pid N, M sockets, D datagrams, L bytes, T ms\n"
"    and with --kill, F frames moved (out of the pairs, into the image),\n"
"    V vnif devices holding, killed.\n"
"\n"
"OPTIONS\n"
"    -o, --output IMAGE      where to write the image (required)\n"
"    -s, --skip-unsupported  leave out the sockets the checkpoint cannot take\n"
"    -l, --leave-running     let the process run on (the default)\n"
"    -k, --kill              kill the process once its image is taken\n"
"    -d, --device PATH       the crak device (default /dev/crak)\n"
"    -h, --help              this text\n"
"\n"
"PERMISSIONS\n"
"    Those of crak inspect: CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, and the\n"
"    right to ptrace the process (see crak inspect --help).\n"
"\n"
"ENVIRONMENT\n"
"    CRAK_CHECKPOINT_BUFFER  bytes of the first buffer handed to the module\n"
"                            (default 1 MiB): a larger image is asked for\n"
"                            again at the length the module says it needs;\n"
"                            tests set it small to go through that path\n"
"\n"
"EXIT STATUS\n"
"    0  the image was written\n"
"    1  it could not be: a socket the checkpoint cannot take, no such\n"
"       process, not allowed, crak.ko not loaded or too old, an image\n"
"       larger than the format allows (1 GiB), an I/O error\n"
"    2  usage error\n"
"\n"
"EXAMPLES\n"
"    # crak checkpoint -o app.img 4242\n"
"    app.img: pid 4242, 2 sockets, 3 datagrams, 1344 bytes, 2 ms\n"
"    # crak show app.img\n";

static const char help_restart[] =
"NAME\n"
"    crak restart - rebuild the vnif pairs and the sockets of an image and\n"
"    run a program with the sockets\n"
"\n"
"SYNOPSIS\n"
"    crak restart [--netns NAME|PATH] [--bridge BR] [--host-ifname NAME]\n"
"                 [--hold | --no-vnif] [--listen-fds] [--verbose]\n"
"                 [--device PATH] IMAGE [--] COMMAND [ARG]...\n"
"\n"
"DESCRIPTION\n"
"    First, for each VNIF section of IMAGE (a vnif pair of the\n"
"    checkpointed process's namespace), crak makes the pair again: its\n"
"    inner end in the --netns namespace with the recorded name, MAC and\n"
"    MTU, its outer end in crak's own namespace (named --host-ifname, or\n"
"    by the kernel), on bridge BR with --bridge, up. The pair is frozen at\n"
"    once, with the recorded limits, deadline and policy, and loaded with\n"
"    the frames the old pair held (VNIF_QUEUE, both directions, in\n"
"    order); then lo and the inner end (if it was up) are set up and the\n"
"    recorded addresses (IPv6 ones without duplicate address detection:\n"
"    the address moves, it is not new) and routes are added.\n"
"\n"
"    Then crak hands IMAGE to crak.ko (the CRAK_IOC_RESTORE ioctl), which\n"
"    checks it whole and builds every socket of it again in the --netns\n"
"    namespace: same family, type, addresses and ports, options, state,\n"
"    and every datagram that was queued, in order, with its source. crak\n"
"    then puts each socket at the descriptor number it had in the\n"
"    checkpointed process and executes COMMAND in its own place (same\n"
"    PID), so that a cooperating program takes the sockets over.\n"
"\n"
"    The local addresses must exist in the namespace (or the socket must\n"
"    have had IP_FREEBIND), and connected sockets need a route to their\n"
"    peer. If any socket cannot be rebuilt, nothing is: no socket is left,\n"
"    COMMAND does not run, and the error names the descriptor and why.\n"
"    Once they are built, every vnif device of the namespace that is up\n"
"    announces its addresses (gratuitous ARP, unsolicited neighbour\n"
"    advertisement); on a frozen pair the announcement is held and leaves\n"
"    first when the pair is thawed. The pairs made are thawed then, unless\n"
"    --hold: they wait, frozen, for the frames that reached the old pair\n"
"    after the checkpoint (vnif dump of the old pair, vnif load into the\n"
"    new one, then vnif thaw). A failure at any step up to the exec\n"
"    deletes every pair made and says which step failed and why.\n"
"\n"
"    The descriptors are handed to COMMAND whatever their FD_CLOEXEC flag\n"
"    was, with their O_NONBLOCK flag as it was. COMMAND finds their numbers\n"
"    in CRAK_FDS (comma-separated). When they are 3, 4, ... without a gap\n"
"    (always with --listen-fds), LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES\n"
"    are set as systemd sets them for socket activation, each name\n"
"    \"fdN\" with N the number in the checkpointed process; otherwise\n"
"    LISTEN_* are removed from the environment.\n"
"\n"
"OPTIONS\n"
"    -n, --netns NAME|PATH  enter this network namespace first: a name of\n"
"                           ip netns (/run/netns/NAME) or a path such as\n"
"                           /proc/PID/ns/net; COMMAND runs in it too, and\n"
"                           the inner ends of the pairs go there (required\n"
"                           when IMAGE has VNIF sections)\n"
"    -B, --bridge BR        put the outer ends on bridge BR\n"
"    -H, --host-ifname NAME name the outer end NAME (IMAGE must have one\n"
"                           VNIF section); default: the kernel's vnif%d\n"
"        --hold             leave the pairs frozen after the restart\n"
"        --no-vnif          make no pair: they were made beforehand\n"
"                           (vnif attach) and frozen; the frames IMAGE\n"
"                           carries are loaded into the pair of the\n"
"                           recorded name in the namespace\n"
"    -L, --listen-fds       put the sockets at 3, 4, ... in the image's\n"
"                           order instead of their recorded numbers\n"
"    -v, --verbose          on standard error, one line per pair made\n"
"                           (IMAGE: vnif NAME <-> OUTER on BR: A addresses,\n"
"                           R routes, F frames loaded) and one once the\n"
"                           sockets are built: IMAGE: N sockets,\n"
"                           D datagrams, B bytes, T ms, V vnif devices\n"
"                           announced, P vnif pairs made\n"
"    -d, --device PATH      the crak device (default /dev/crak)\n"
"    -h, --help             this text\n"
"\n"
"PERMISSIONS\n"
"    CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN for /dev/crak, CAP_NET_ADMIN in\n"
"    the network namespace (TCP repair, options only an administrator may\n"
"    set), CAP_SYS_ADMIN for --netns; for the pairs, vnif.ko and\n"
"    CAP_NET_ADMIN in both namespaces.\n"
"\n"
"EXIT STATUS\n"
"    That of COMMAND, which replaces crak. Otherwise:\n"
"    1    the pairs or the sockets could not be rebuilt: an invalid image,\n"
"         an address or route missing or there already, a device name\n"
"         taken, crak.ko or vnif.ko not loaded or too old, not allowed\n"
"    2    usage error, also options that do not fit IMAGE: --bridge,\n"
"         --host-ifname or --hold without VNIF sections, VNIF sections\n"
"         without --netns, --host-ifname with two or more\n"
"    126  COMMAND could not be executed; 127 it was not found. The sockets\n"
"         are closed without a word to their peers (TCP repair mode).\n"
"\n"
"EXAMPLES\n"
"    # crak checkpoint --kill -o app.img 4242\n"
"    # crak restart --netns b --bridge br0 app.img -- /usr/local/bin/app --resume\n";

/* Usage errors: one line saying what is wrong, one saying where help is. */
static __printf(2, 3) int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("crak: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "Try 'crak %s--help'.\n", cmd ? cmd : "");
	return EXIT_USAGE;
}

/*
 * Reads the image at path whole, or refuses it: larger than the format
 * allows is refused from its size for a regular file, and after
 * CRAK_IMAGE_MAX_LEN + 1 bytes for a pipe, so memory stays bounded.
 */
static int image_read(struct image *img, const char *path)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "(standard input)" : path;
	u64 cap, len = 0;
	struct stat st;
	u8 *buf, *nbuf;
	ssize_t n;
	int fd;

	img->path = name;
	img->buf = NULL;
	img->len = 0;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		crak_err("%s: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		crak_err("%s: %s", name, strerror(errno));
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		crak_err("%s: %s", name, strerror(EISDIR));
		goto out_close;
	}
	if (S_ISREG(st.st_mode)) {
		if ((u64)st.st_size > CRAK_IMAGE_MAX_LEN) {
			crak_err("%s: %llu bytes: larger than the image format allows (%llu bytes)",
				 name, (unsigned long long)st.st_size,
				 (unsigned long long)CRAK_IMAGE_MAX_LEN);
			goto out_close;
		}
		/* One byte more than the size, to notice a file still growing. */
		cap = (u64)st.st_size + 1;
	} else {
		cap = 64 << 10;
	}
	buf = malloc(cap);
	if (!buf) {
		crak_err("%s: %s", name, strerror(ENOMEM));
		goto out_close;
	}
	for (;;) {
		if (len == cap) {
			if (cap > CRAK_IMAGE_MAX_LEN) {
				crak_err("%s: larger than the image format allows (%llu bytes)",
					 name, (unsigned long long)CRAK_IMAGE_MAX_LEN);
				goto out_free;
			}
			cap = cap * 2 > CRAK_IMAGE_MAX_LEN + 1 ?
			      CRAK_IMAGE_MAX_LEN + 1 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				crak_err("%s: %s", name, strerror(ENOMEM));
				goto out_free;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len > (1U << 30) ? 1U << 30 : cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			crak_err("%s: %s", name, strerror(errno));
			goto out_free;
		}
		if (!n)
			break;
		len += (u64)n;
	}
	if (!is_stdin)
		close(fd);
	img->buf = buf;
	img->len = len;
	return 0;

out_free:
	free(buf);
out_close:
	if (!is_stdin)
		close(fd);
	return -1;
}

static void report_codec_error(const char *name, const char *prefix,
			       const char *what, u32 section, u64 offset)
{
	crak_err("%s: %s%s (section %u, offset %llu)", name, prefix, what,
		 section, (unsigned long long)offset);
}

/* A payload as a C-like quoted string: printable ASCII only. */
static void print_text(const u8 *p, u32 len, u32 max)
{
	u32 i, n = len > max ? max : len;

	putchar('"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", stdout);
		else if (p[i] == '\t')
			fputs("\\t", stdout);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
	putchar('"');
	if (n < len)
		printf("... (%u more bytes)", len - n);
}

/*
 * A JSON string. Bytes outside printable ASCII become \u00NN: the output
 * is then plain ASCII and valid JSON whatever the input, at the price of
 * showing UTF-8 text as its bytes.
 */
static void print_json_str(const u8 *p, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			putchar(p[i]);
		else
			printf("\\u%04x", p[i]);
	}
	putchar('"');
}

/* What one section's line needs from the sections before it. */
struct show_ctx {
	int wtype;			/* width of the TYPE column */
	char vnif[CRAK_IFNAMSIZ];	/* the last VNIF's name */
};

static void show_payload_text(const struct crak_section *sec,
			      struct show_ctx *ctx);
static void show_payload_json(const struct crak_section *sec,
			      struct show_ctx *ctx);

static int write_all(int fd, const u8 *p, u64 len);
static int write_atomic(const char *path, const u8 *buf, u64 len);

/*
 * The held frames of every VNIF_QUEUE as pcapng, in image order, each an
 * Enhanced Packet Block with its arrival time and its direction as `vnif
 * dump` writes it (ingress inbound, egress outbound). The writer has one
 * interface: named after the device when the image has one VNIF, unnamed
 * when it has several (their frames share it) or none (no packet). Written
 * whole to path, atomically, or to standard output for "-". Returns the
 * number of frames written, or -1 (reported).
 */
static long long show_pcap(const struct crak_image_reader *r0,
			   const char *path, u32 *devices)
{
	const char *name = strcmp(path, "-") ? path : "standard output";
	struct crak_image_reader r = *r0;
	char ifname[CRAK_IFNAMSIZ] = "";
	struct crak_section sec;
	struct crak_frame fr;
	struct crak_queue q;
	struct crak_vnif v;
	long long frames = 0;
	size_t len = 0;
	char *buf = NULL;
	FILE *f;
	int ret;

	*devices = 0;
	while (crak_image_next(&r, &sec))
		if (sec.type == CRAK_SEC_VNIF && !crak_vnif_get(&sec, &v) &&
		    !(*devices)++)
			memcpy(ifname, v.ifname, sizeof(ifname));
	f = open_memstream(&buf, &len);
	if (!f) {
		crak_err("%s: %s", name, strerror(errno));
		return -1;
	}
	ret = vpcap_write_header(f, "crak show", *devices == 1 ? ifname : NULL,
				 VPCAP_LINKTYPE_ETHERNET, CRAK_FRAME_MAX_LEN);
	r = *r0;
	while (!ret && crak_image_next(&r, &sec)) {
		if (sec.type != CRAK_SEC_VNIF_QUEUE ||
		    crak_vnif_queue_get(&sec, &q))
			continue;
		while (!ret && crak_vnif_queue_next(&q, &fr) == 1) {
			ret = vpcap_write_packet(f, fr.tstamp_ns,
						 fr.dir == CRAK_FRAME_EGRESS ?
						 VPCAP_DIR_OUT : VPCAP_DIR_IN,
						 fr.data, fr.len, fr.len);
			frames++;
		}
	}
	if (ret || fclose(f)) {
		crak_err("%s: cannot make the capture: %s", name,
			 strerror(errno));
		if (ret)
			fclose(f);
		free(buf);
		return -1;
	}
	if (!strcmp(path, "-")) {
		if (write_all(STDOUT_FILENO, (const u8 *)buf, len)) {
			crak_err("%s: %s", name, strerror(errno));
			frames = -1;
		}
	} else if (write_atomic(path, (const u8 *)buf, len)) {
		frames = -1;
	}
	free(buf);
	return frames;
}

static int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct crak_image_error ierr = { 0 };
	struct show_ctx ctx = { .wtype = 4 };
	const char *pcap = NULL;
	struct crak_image_reader r;
	struct crak_section sec;
	long long frames = 0;
	bool json = false;
	struct image img;
	u32 i, n, devices = 0;
	int c;

	argv[0] = "crak show";
	while ((c = getopt_long(argc, argv, "jp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			pcap = optarg;
			break;
		case 'h':
			fputs(help_show, stdout);
			return EXIT_OK;
		default:
			return usage_error("show ", NULL);
		}
	}
	if (argc - optind != 1)
		return usage_error("show ", "show: %s",
				   optind == argc ? "IMAGE missing" : "one IMAGE only");
	if (pcap && !*pcap)
		return usage_error("show ", "show: --pcap: empty file name");
	if (pcap && !strcmp(pcap, "-") && json)
		return usage_error("show ", "show: --json and --pcap - both want standard output");
	if (pcap && !strcmp(pcap, "-") && isatty(STDOUT_FILENO)) {
		crak_err("refusing to write a binary capture to a terminal: redirect standard output or give --pcap FILE");
		return EXIT_FAIL;
	}
	if (PARSE_ONLY)
		return EXIT_OK;
	if (image_read(&img, argv[optind]))
		return EXIT_FAIL;
	if (crak_image_open(&r, img.buf, img.len, &ierr)) {
		report_codec_error(img.path, "", ierr.what, ierr.section, ierr.offset);
		free(img.buf);
		return EXIT_FAIL;
	}
	if (pcap) {
		frames = show_pcap(&r, pcap, &devices);
		if (frames < 0 || !strcmp(pcap, "-")) {
			free(img.buf);
			return frames < 0 ? EXIT_FAIL : EXIT_OK;
		}
	}

	if (json) {
		fputs("{\n  \"image\": ", stdout);
		print_json_str((const u8 *)img.path, strlen(img.path));
		printf(",\n  \"format_version\": %u,\n  \"length\": %llu,\n  \"sections\": [",
		       CRAK_IMAGE_VERSION, (unsigned long long)img.len);
	} else {
		printf("%s: crak image format %u, %llu bytes, %u section%s\n",
		       img.path, CRAK_IMAGE_VERSION, (unsigned long long)img.len,
		       r.nsections, plural(r.nsections));
		/* The TYPE column as wide as the longest name in it. */
		{
			struct crak_image_reader r2 = r;

			while (crak_image_next(&r2, &sec))
				if ((int)strlen(sec_name(sec.type)) > ctx.wtype)
					ctx.wtype = (int)strlen(sec_name(sec.type));
		}
		if (r.nsections)
			printf("%5s %10s  %-*s %10s  %s\n", "INDEX", "OFFSET",
			       ctx.wtype, "TYPE", "LENGTH", "CONTENT");
	}
	for (i = 0; crak_image_next(&r, &sec); i++) {
		if (json) {
			printf("%s\n    {\"index\": %u, \"offset\": %llu, ",
			       i ? "," : "", i, (unsigned long long)sec.offset);
			printf("\"type\": \"%s\", \"type_id\": %u, \"length\": %u",
			       sec_name(sec.type), sec.type, sec.len);
			if (sec_is_text(sec.type)) {
				n = sec.len > JSON_TEXT_MAX ? JSON_TEXT_MAX : sec.len;
				fputs(", \"text\": ", stdout);
				print_json_str(sec.data, n);
				printf(", \"truncated\": %s", n < sec.len ? "true" : "false");
			}
			show_payload_json(&sec, &ctx);
			putchar('}');
		} else {
			printf("%5u %10llu  %-*s %10u  ", i,
			       (unsigned long long)sec.offset, ctx.wtype,
			       sec_name(sec.type), sec.len);
			if (sec_is_text(sec.type))
				print_text(sec.data, sec.len, SHOW_TEXT_MAX);
			else
				show_payload_text(&sec, &ctx);
			putchar('\n');
		}
	}
	if (json) {
		printf("%s]", i ? "\n  " : "");
		if (pcap) {
			fputs(",\n  \"pcap\": {\"file\": ", stdout);
			print_json_str((const u8 *)pcap, strlen(pcap));
			printf(", \"frames\": %lld, \"interfaces\": %u}", frames,
			       devices);
		}
		fputs("\n}\n", stdout);
	} else if (pcap) {
		printf("%s: %lld frame%s of %u vnif device%s written as pcapng\n",
		       pcap, frames, plural((u64)frames), devices,
		       plural(devices));
	}
	free(img.buf);
	if (fflush(stdout) || ferror(stdout)) {
		crak_err("standard output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * Opens the crak device, saying what to do when that is not possible;
 * enoent says what a missing device means.
 */
static int dev_open(const char *dev, const char *enoent)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		crak_err("%s: %s: %s", dev, strerror(errno), enoent);
	else if (errno == EACCES || errno == EPERM)
		crak_err("%s: %s: the device is root only, and its ioctls need CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN",
			 dev, strerror(errno));
	else
		crak_err("%s: %s", dev, strerror(errno));
	return -1;
}

/* Why an ioctl failed, when it is not the image's fault. */
static void report_ioctl_error(const char *dev, const char *ioc, int e)
{
	if (e == EPERM)
		crak_err("%s: %s: %s: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN",
			 dev, ioc, strerror(e));
	else if (e == ENOTTY)
		crak_err("%s: %s: %s: not a crak device, or a module too old",
			 dev, ioc, strerror(e));
	else
		crak_err("%s: %s: %s", dev, ioc, strerror(e));
}

/*
 * ENOTTY from an ioctl newer than CRAK_IOC_VERSION: an older crak.ko still
 * answers CRAK_IOC_VERSION, anything else is not crak at all.
 */
static void report_unknown_ioctl(int fd, const char *dev, const char *ioc,
				 int e)
{
	struct crak_version v;

	if (ioctl(fd, CRAK_IOC_VERSION, &v))
		crak_err("%s: %s: %s: not a crak device", dev, ioc, strerror(e));
	else
		crak_err("%s: %s: %s: crak.ko does not know %s (an older module?)",
			 dev, ioc, strerror(e), ioc);
}

static int cmd_version(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = CRAK_DEVICE;
	struct crak_version v = { 0 };
	int c, fd, ret = EXIT_OK;

	argv[0] = "crak version";
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev = optarg;
			break;
		case 'h':
			fputs(help_version, stdout);
			return EXIT_OK;
		default:
			return usage_error("version ", NULL);
		}
	}
	if (optind != argc)
		return usage_error("version ", "version: unexpected argument '%s'",
				   argv[optind]);
	if (PARSE_ONLY)
		return EXIT_OK;

	printf("crak tool: image format version %u, ioctl ABI %u\n",
	       CRAK_IMAGE_VERSION, CRAK_ABI_VERSION);
	if (access(dev, F_OK) && errno == ENOENT) {
		printf("crak.ko: not loaded (no %s)\n", dev);
		return EXIT_OK;
	}
	fd = dev_open(dev, "is crak.ko loaded?");
	if (fd < 0)
		return EXIT_FAIL;
	if (ioctl(fd, CRAK_IOC_VERSION, &v)) {
		report_ioctl_error(dev, "CRAK_IOC_VERSION", errno);
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	printf("crak.ko: image format version %u, ioctl ABI %u (%s)\n",
	       v.image_version, v.abi, dev);
	if (v.abi != CRAK_ABI_VERSION) {
		crak_err("crak.ko speaks ioctl ABI %u, this tool %u: rebuild one of them",
			 v.abi, CRAK_ABI_VERSION);
		ret = EXIT_FAIL;
	}
	if (v.image_version != CRAK_IMAGE_VERSION) {
		crak_err("crak.ko speaks image format %u, this tool %u: rebuild one of them",
			 v.image_version, CRAK_IMAGE_VERSION);
		ret = EXIT_FAIL;
	}
	return ret;
}

/* One verdict of the codec, the tool's or the kernel's, for comparison. */
struct verdict {
	int ret;
	u32 sections;
	u32 section;
	u64 offset;
	char what[sizeof(((struct crak_image_check *)0)->error)];
};

static bool verdict_eq(const struct verdict *a, const struct verdict *b)
{
	if (a->ret != b->ret)
		return false;
	if (!a->ret)
		return a->sections == b->sections;
	return a->section == b->section && a->offset == b->offset &&
	       !strcmp(a->what, b->what);
}

static void verdict_str(const struct verdict *v, char *s, size_t n)
{
	if (!v->ret)
		snprintf(s, n, "valid, %u section%s", v->sections,
			 plural(v->sections));
	else
		snprintf(s, n, "%s (section %u, offset %llu; %s)", v->what,
			 v->section, (unsigned long long)v->offset,
			 strerror(-v->ret));
}

/*
 * Hands the image to crak.ko. Returns 0 with the kernel's verdict in *kv,
 * or -1 when the kernel could not give one (already reported).
 */
static int kernel_check(int fd, const char *dev, const struct image *img,
			struct verdict *kv)
{
	struct crak_image_check arg;
	int e = 0;

	memset(&arg, 0, sizeof(arg));
	arg.buf = (uintptr_t)img->buf;
	arg.len = img->len;
	if (ioctl(fd, CRAK_IOC_IMAGE_CHECK, &arg))
		e = errno;
	/* The module fills error whenever the image is at fault, never else. */
	arg.error[sizeof(arg.error) - 1] = '\0';
	if (e && !arg.error[0]) {
		if (e == EFBIG && img->len > CRAK_IMAGE_MAX_CHECK)
			crak_err("%s: not checked by the kernel: %llu bytes, more than the %u bytes CRAK_IOC_IMAGE_CHECK takes",
				 img->path, (unsigned long long)img->len,
				 CRAK_IMAGE_MAX_CHECK);
		else
			report_ioctl_error(dev, "CRAK_IOC_IMAGE_CHECK", e);
		return -1;
	}
	kv->ret = -e;
	kv->sections = arg.sections;
	kv->section = arg.error_section;
	kv->offset = arg.error_offset;
	memcpy(kv->what, arg.error, sizeof(kv->what));
	return 0;
}

/* Checks one image: 0 when valid (and the kernel agrees), else -1. */
static int check_one(const char *path, int fd, const char *dev)
{
	char us[sizeof(struct verdict) + 64], ks[sizeof(struct verdict) + 64];
	struct crak_image_error ierr = { 0 };
	struct verdict uv = { 0 }, kv = { 0 };
	struct crak_image_reader r;
	struct image img;
	int ret;

	if (image_read(&img, path))
		return -1;
	uv.ret = crak_image_open(&r, img.buf, img.len, &ierr);
	if (uv.ret) {
		uv.section = ierr.section;
		uv.offset = ierr.offset;
		/* Cut as the kernel cuts it, so that the two compare equal. */
		snprintf(uv.what, sizeof(uv.what), "%s", ierr.what);
		report_codec_error(img.path, "", ierr.what, ierr.section, ierr.offset);
	} else {
		uv.sections = r.nsections;
		printf("%s: valid, %u section%s, %llu bytes\n", img.path,
		       r.nsections, plural(r.nsections),
		       (unsigned long long)img.len);
	}
	ret = uv.ret ? -1 : 0;
	if (fd < 0)
		goto out;

	if (kernel_check(fd, dev, &img, &kv)) {
		ret = -1;
	} else if (!verdict_eq(&uv, &kv)) {
		verdict_str(&uv, us, sizeof(us));
		verdict_str(&kv, ks, sizeof(ks));
		crak_err("%s: kernel disagrees: kernel: %s; userspace: %s",
			 img.path, ks, us);
		ret = -1;
	} else if (kv.ret) {
		report_codec_error(img.path, "kernel agrees: ", kv.what,
				   kv.section, kv.offset);
	} else {
		printf("%s: kernel agrees: valid, %u section%s\n", img.path,
		       kv.sections, plural(kv.sections));
	}
out:
	free(img.buf);
	return ret;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", no_argument, NULL, 'k' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = CRAK_DEVICE;
	int c, i, fd = -1, ret = EXIT_OK;
	bool kernel = false;

	argv[0] = "crak check";
	while ((c = getopt_long(argc, argv, "kd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			kernel = true;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'h':
			fputs(help_check, stdout);
			return EXIT_OK;
		default:
			return usage_error("check ", NULL);
		}
	}
	if (optind == argc)
		return usage_error("check ", "check: IMAGE missing");
	if (PARSE_ONLY)
		return EXIT_OK;
	if (kernel) {
		fd = dev_open(dev, "is crak.ko loaded?");
		/* Without the kernel, the tool's verdicts are still worth having. */
		if (fd < 0)
			ret = EXIT_FAIL;
	}
	for (i = optind; i < argc; i++)
		if (check_one(argv[i], fd, dev))
			ret = EXIT_FAIL;
	if (fd >= 0)
		close(fd);
	if (fflush(stdout) || ferror(stdout)) {
		crak_err("standard output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}

static int write_all(int fd, const u8 *p, u64 len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len > (1U << 30) ? 1U << 30 : len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (u64)n;
	}
	return 0;
}

/*
 * Temporary file in the same directory (so rename() cannot cross file
 * systems), synced before the rename so that a crash leaves the old image
 * or the new one, and the directory synced after it so the rename lasts.
 */
static int write_atomic(const char *path, const u8 *buf, u64 len)
{
	char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;
	const char *dir, *base;
	int fd = -1, dfd, ret = -1;

	if (!dcopy || !bcopy) {
		crak_err("%s: %s", path, strerror(ENOMEM));
		goto out;
	}
	dir = dirname(dcopy);
	base = basename(bcopy);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		crak_err("%s: %s", path, strerror(ENOMEM));
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		crak_err("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, buf, len) || fsync(fd)) {
		crak_err("%s: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	if (close(fd)) {
		fd = -1;
		crak_err("%s: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path)) {
		crak_err("%s: %s", path, strerror(errno));
		goto out_unlink;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		/* Best effort: some file systems cannot sync a directory. */
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
	goto out;

out_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dcopy);
	free(bcopy);
	return ret;
}

/* The META text: short, and the same bytes for the same SOURCE_DATE_EPOCH. */
static int make_meta(char *s, size_t n)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char when[32];
	struct tm tm;
	time_t t;

	if (sde) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno || end == sde || *end || v < 0) {
			crak_err("SOURCE_DATE_EPOCH: '%s' is not a number of seconds",
				 sde);
			return -1;
		}
		t = (time_t)v;
	} else {
		t = time(NULL);
	}
	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		crak_err("SOURCE_DATE_EPOCH: time out of range");
		return -1;
	}
	snprintf(s, n, "crak, image format %u, written %s", CRAK_IMAGE_VERSION,
		 when);
	return 0;
}

static int cmd_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, **notes;
	struct crak_image_writer w;
	u32 nnotes = 0, i;
	u64 cap, nlen;
	char meta[128];
	int c, err, ret = EXIT_FAIL;
	u8 *buf = NULL;

	/* Never more notes than arguments. */
	notes = calloc((size_t)argc, sizeof(*notes));
	if (!notes) {
		crak_err("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	argv[0] = "crak new";
	while ((c = getopt_long(argc, argv, "o:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			notes[nnotes++] = optarg;
			break;
		case 'h':
			fputs(help_new, stdout);
			ret = EXIT_OK;
			goto out;
		default:
			ret = usage_error("new ", NULL);
			goto out;
		}
	}
	if (optind != argc) {
		ret = usage_error("new ", "new: unexpected argument '%s'",
				  argv[optind]);
		goto out;
	}
	if (!out || !*out) {
		ret = usage_error("new ", "new: -o IMAGE missing");
		goto out;
	}
	if (!strcmp(out, "-") && isatty(STDOUT_FILENO)) {
		crak_err("refusing to write a binary image to a terminal");
		goto out;
	}
	if (make_meta(meta, sizeof(meta)))
		goto out;

	/* The exact size, so that the writer's checks are the only ones. */
	cap = CRAK_IMAGE_HDR_LEN + crak_section_size((u32)strlen(meta));
	for (i = 0; i < nnotes; i++) {
		nlen = strlen(notes[i]);
		if (nlen > CRAK_IMAGE_MAX_LEN) {
			crak_err("note %u: too long", i + 1);
			goto out;
		}
		cap += crak_section_size((u32)nlen);
	}
	if (cap > CRAK_IMAGE_MAX_LEN) {
		crak_err("%s: the image would be larger than the format allows", out);
		goto out;
	}
	buf = malloc(cap);
	if (!buf) {
		crak_err("%s: %s", out, strerror(ENOMEM));
		goto out;
	}
	crak_image_writer_init(&w, buf, cap);
	err = crak_image_add(&w, CRAK_SEC_META, meta, (u32)strlen(meta));
	for (i = 0; !err && i < nnotes; i++)
		err = crak_image_add(&w, CRAK_SEC_NOTE, notes[i],
				     (u32)strlen(notes[i]));
	if (!err)
		err = crak_image_finish(&w);
	if (err) {
		crak_err("%s: cannot encode the image: %s", out, strerror(-err));
		goto out;
	}
	/* Encoded in memory: only the writing is left out. */
	if (PARSE_ONLY) {
		ret = EXIT_OK;
		goto out;
	}
	if (!strcmp(out, "-")) {
		if (write_all(STDOUT_FILENO, buf, w.len)) {
			crak_err("standard output: %s", strerror(errno));
			goto out;
		}
	} else {
		if (write_atomic(out, buf, w.len))
			goto out;
		printf("%s: %u section%s, %llu bytes\n", out, w.nsections,
		       plural(w.nsections), (unsigned long long)w.len);
	}
	ret = EXIT_OK;
out:
	free(buf);
	free(notes);
	return ret;
}

/*
 * crak inspect. The names below are for people; JSON has the numbers too
 * (state_id), or in place of a name the tool does not know.
 */
static const char * const tcp_state_names[] = {
	[1] = "ESTABLISHED",
	[2] = "SYN_SENT",
	[3] = "SYN_RECV",
	[4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2",
	[6] = "TIME_WAIT",
	[7] = "CLOSE",
	[8] = "CLOSE_WAIT",
	[9] = "LAST_ACK",
	[10] = "LISTEN",
	[11] = "CLOSING",
	[12] = "NEW_SYN_RECV",
};

#define SK_TCP_ESTABLISHED	1
#define SK_TCP_LISTEN		10

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP		262
#endif

struct name {
	unsigned int id;
	const char *name;
};

static const struct name family_names[] = {
	{ AF_INET, "inet" },
	{ AF_INET6, "inet6" },
	{ AF_UNIX, "unix" },
	{ AF_NETLINK, "netlink" },
	{ AF_PACKET, "packet" },
	{ AF_VSOCK, "vsock" },
	{ AF_ALG, "alg" },
	{ AF_XDP, "xdp" },
	{ AF_BLUETOOTH, "bluetooth" },
	{ AF_CAN, "can" },
	{ AF_TIPC, "tipc" },
	{ AF_KEY, "key" },
};

static const struct name type_names[] = {
	{ SOCK_STREAM, "stream" },
	{ SOCK_DGRAM, "dgram" },
	{ SOCK_RAW, "raw" },
	{ SOCK_RDM, "rdm" },
	{ SOCK_SEQPACKET, "seqpacket" },
	{ SOCK_DCCP, "dccp" },
	{ SOCK_PACKET, "packet" },
};

/* IP protocols, for AF_INET and AF_INET6 only. */
static const struct name ipproto_names[] = {
	{ IPPROTO_TCP, "tcp" },
	{ IPPROTO_UDP, "udp" },
	{ IPPROTO_ICMP, "icmp" },
	{ IPPROTO_ICMPV6, "icmp6" },
	{ IPPROTO_SCTP, "sctp" },
	{ IPPROTO_UDPLITE, "udplite" },
	{ IPPROTO_DCCP, "dccp" },
	{ IPPROTO_MPTCP, "mptcp" },
	{ IPPROTO_RAW, "raw" },
};

static const char *name_of(const struct name *t, size_t n, unsigned int id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

static const char *family_name(u16 family)
{
	return name_of(family_names, ARRAY_SIZE(family_names), family);
}

static const char *type_name(u16 type)
{
	return name_of(type_names, ARRAY_SIZE(type_names), type);
}

static const char *ipproto_name(u16 protocol)
{
	return name_of(ipproto_names, ARRAY_SIZE(ipproto_names), protocol);
}

static bool sk_is_inet(const struct crak_sock_info *si)
{
	return si->family == AF_INET || si->family == AF_INET6;
}

static bool sk_is_tcp(const struct crak_sock_info *si)
{
	return sk_is_inet(si) && si->type == SOCK_STREAM &&
	       si->protocol == IPPROTO_TCP;
}

static bool sk_is_udp(const struct crak_sock_info *si)
{
	return sk_is_inet(si) && si->type == SOCK_DGRAM &&
	       si->protocol == IPPROTO_UDP;
}

static const char *tcp_state_name(u8 state)
{
	if (state < ARRAY_SIZE(tcp_state_names) && tcp_state_names[state])
		return tcp_state_names[state];
	return NULL;
}

/* The state as ss(8) shows it, or NULL where TCP's states do not apply. */
static const char *sk_state_name(const struct crak_sock_info *si)
{
	if (sk_is_tcp(si))
		return tcp_state_name(si->state);
	if (sk_is_udp(si))
		return si->state == SK_TCP_ESTABLISHED ? "ESTAB" : "UNCONN";
	return NULL;
}

/* The kind of socket, ss(8)'s Netid: tcp, udp6, inet-raw, unix... */
static void sk_netid(const struct crak_sock_info *si, char *s, size_t n)
{
	bool v6 = si->family == AF_INET6;
	const char *name;

	if (!sk_is_inet(si)) {
		name = family_name(si->family);
		if (name)
			snprintf(s, n, "%s", name);
		else
			snprintf(s, n, "family %u", si->family);
		return;
	}
	if (si->type == SOCK_RAW) {
		snprintf(s, n, "%s-raw", v6 ? "inet6" : "inet");
		return;
	}
	name = ipproto_name(si->protocol);
	if (!name || si->protocol == IPPROTO_RAW)
		snprintf(s, n, "%s", v6 ? "inet6" : "inet");
	else if (v6 && si->protocol != IPPROTO_ICMPV6)
		snprintf(s, n, "%s6", name);
	else
		snprintf(s, n, "%s", name);
}

/* Why a checkpoint cannot take a socket: NULL when it can. */
static const char *sk_reason(const struct crak_sock_info *si, char *s,
			     size_t n)
{
	const char *state;

	switch (si->verdict) {
	case CRAK_SOCK_OK:
		return NULL;
	case CRAK_SOCK_FAMILY:
		return "family";
	case CRAK_SOCK_PROTOCOL:
		return "protocol";
	case CRAK_SOCK_STATE:
		state = tcp_state_name(si->state);
		if (state)
			snprintf(s, n, "state %s", state);
		else
			snprintf(s, n, "state %u", si->state);
		return s;
	case CRAK_SOCK_DEVICE:
		return "device";
	default:
		/* A newer module's reason. */
		snprintf(s, n, "verdict %u", si->verdict);
		return s;
	}
}

/* The same for JSON: one word, the state being in the object already. */
static const char *sk_reason_word(u8 verdict)
{
	switch (verdict) {
	case CRAK_SOCK_OK:
		return NULL;
	case CRAK_SOCK_FAMILY:
		return "family";
	case CRAK_SOCK_PROTOCOL:
		return "protocol";
	case CRAK_SOCK_STATE:
		return "state";
	case CRAK_SOCK_DEVICE:
		return "device";
	default:
		return "unknown";
	}
}

static void sk_addr(const struct crak_sock_info *si, const u8 *addr,
		    char *s, size_t n)
{
	if (!inet_ntop(si->family, addr, s, n))
		snprintf(s, n, "?");
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* ADDR:PORT as ss(8) has it: IPv6 in brackets, "*" for no port or peer. */
static void sk_endpoint(const struct crak_sock_info *si, const u8 *addr,
			__be16 port, bool peer, char *s, size_t n)
{
	bool v6 = si->family == AF_INET6;
	char a[INET6_ADDRSTRLEN], p[8] = "*";

	if (!sk_is_inet(si)) {
		snprintf(s, n, "-");
		return;
	}
	if (peer && !port && all_zero(addr, v6 ? 16 : 4)) {
		snprintf(s, n, "*:*");
		return;
	}
	sk_addr(si, addr, a, sizeof(a));
	if (port)
		snprintf(p, sizeof(p), "%u", ntohs(port));
	snprintf(s, n, v6 ? "[%s]:%s" : "%s:%s", a, p);
}

/* One line of the text output, column by column. */
struct sk_row {
	char fd[16];
	char netid[24];
	char state[24];
	char local[INET6_ADDRSTRLEN + 10];
	char peer[INET6_ADDRSTRLEN + 10];
	char extra[96];
};

static void sk_row(const struct crak_sock_info *si, struct sk_row *r)
{
	const char *state = sk_state_name(si), *reason, *type;
	char why[32];

	snprintf(r->fd, sizeof(r->fd), "fd %d", si->fd);
	sk_netid(si, r->netid, sizeof(r->netid));
	type = type_name(si->type);
	if (state)
		snprintf(r->state, sizeof(r->state), "%s", state);
	else if (sk_is_tcp(si))
		snprintf(r->state, sizeof(r->state), "state %u", si->state);
	else if (type)
		snprintf(r->state, sizeof(r->state), "%s", type);
	else
		snprintf(r->state, sizeof(r->state), "type %u", si->type);
	sk_endpoint(si, si->src_addr, si->src_port, false, r->local,
		    sizeof(r->local));
	sk_endpoint(si, si->dst_addr, si->dst_port, true, r->peer,
		    sizeof(r->peer));

	/* The module measures the queues of the sockets it can take only. */
	r->extra[0] = '\0';
	reason = sk_reason(si, why, sizeof(why));
	if (reason)
		snprintf(r->extra, sizeof(r->extra), "cannot checkpoint: %s",
			 reason);
	else if (sk_is_tcp(si) && si->state == SK_TCP_LISTEN)
		snprintf(r->extra, sizeof(r->extra), "backlog %u", si->backlog);
	else if (sk_is_tcp(si))
		snprintf(r->extra, sizeof(r->extra), "rx %u tx %u",
			 si->rx_queue, si->tx_queue);
	else if (sk_is_udp(si))
		snprintf(r->extra, sizeof(r->extra), "rx %u", si->rx_queue);
}

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void print_inspect_text(const struct crak_inspect *arg,
			       const struct crak_sock_info *si, u32 n, u32 bad)
{
	int wfd = 0, wnet = 0, wst = 0, wloc = 0, wpeer = 0;
	struct sk_row r;
	u32 i;

	printf("%u: %u descriptor%s, %u socket%s", arg->pid, arg->fds,
	       plural(arg->fds), arg->count, plural(arg->count));
	if (n < arg->count)
		printf(" (%u listed)", n);
	printf(", %u that a checkpoint cannot take\n", bad);

	for (i = 0; i < n; i++) {
		sk_row(&si[i], &r);
		wfd = width(wfd, r.fd);
		wnet = width(wnet, r.netid);
		wst = width(wst, r.state);
		wloc = width(wloc, r.local);
		wpeer = width(wpeer, r.peer);
	}
	for (i = 0; i < n; i++) {
		sk_row(&si[i], &r);
		printf("%-*s  %-*s  %-*s  %-*s  ", wfd, r.fd, wnet, r.netid,
		       wst, r.state, wloc, r.local);
		if (r.extra[0])
			printf("%-*s  %s\n", wpeer, r.peer, r.extra);
		else
			printf("%s\n", r.peer);
	}
}

/* A name of ours as a JSON string, or the number when there is none. */
static void print_json_name(const char *name, unsigned int id)
{
	if (name)
		print_json_str((const u8 *)name, strlen(name));
	else
		printf("%u", id);
}

static void print_json_addr(const struct crak_sock_info *si, const u8 *addr,
			    __be16 port, const char *key, const char *pkey)
{
	char a[INET6_ADDRSTRLEN];

	if (!sk_is_inet(si)) {
		printf("\"%s\": null, \"%s\": null, ", key, pkey);
		return;
	}
	sk_addr(si, addr, a, sizeof(a));
	printf("\"%s\": ", key);
	print_json_str((const u8 *)a, strlen(a));
	printf(", \"%s\": %u, ", pkey, ntohs(port));
}

static void print_inspect_json(const struct crak_inspect *arg,
			       const struct crak_sock_info *si, u32 n, u32 bad)
{
	const struct crak_sock_info *s;
	const char *reason, *state;
	u32 i;

	printf("{\n  \"pid\": %u,\n  \"start_time_ns\": %llu,\n", arg->pid,
	       (unsigned long long)arg->start_time);
	printf("  \"descriptors\": %u,\n  \"socket_count\": %u,\n", arg->fds,
	       arg->count);
	printf("  \"cannot_checkpoint\": %u,\n  \"truncated\": %s,\n", bad,
	       n < arg->count ? "true" : "false");
	fputs("  \"sockets\": [", stdout);
	for (i = 0; i < n; i++) {
		s = &si[i];
		printf("%s\n    {\"fd\": %d, \"family\": ", i ? "," : "", s->fd);
		print_json_name(family_name(s->family), s->family);
		fputs(", \"type\": ", stdout);
		print_json_name(type_name(s->type), s->type);
		fputs(", \"protocol\": ", stdout);
		print_json_name(sk_is_inet(s) ?
				ipproto_name(s->protocol) : NULL,
				s->protocol);
		fputs(", \"state\": ", stdout);
		state = sk_state_name(s);
		if (state)
			print_json_str((const u8 *)state, strlen(state));
		else
			fputs("null", stdout);
		printf(", \"state_id\": %u, ", s->state);
		print_json_addr(s, s->src_addr, s->src_port, "src", "sport");
		print_json_addr(s, s->dst_addr, s->dst_port, "dst", "dport");
		printf("\"rx_queue\": %u, \"tx_queue\": %u, \"backlog\": %u, ",
		       s->rx_queue, s->tx_queue, s->backlog);
		reason = sk_reason_word(s->verdict);
		printf("\"checkpoint\": %s, \"verdict\": %u, \"reason\": ",
		       reason ? "false" : "true", s->verdict);
		if (reason)
			print_json_str((const u8 *)reason, strlen(reason));
		else
			fputs("null", stdout);
		putchar('}');
	}
	printf("%s]\n}\n", n ? "\n  " : "");
}

/* Why CRAK_IOC_INSPECT failed; again: on the second call, by start time. */
static void report_inspect_error(int fd, const char *dev, u32 pid, int e,
				 bool again)
{
	switch (e) {
	case ESRCH:
		if (again)
			crak_err("no process %u: it exited, or its PID was reused, while it was inspected",
				 pid);
		else
			crak_err("no process %u", pid);
		break;
	case EPERM:
		crak_err("you may not inspect %u: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, and the right to ptrace it (same uids/gids, or CAP_SYS_PTRACE; the target must be dumpable)",
			 pid);
		break;
	case ENOTTY:
		report_unknown_ioctl(fd, dev, "CRAK_IOC_INSPECT", e);
		break;
	default:
		report_ioctl_error(dev, "CRAK_IOC_INSPECT", e);
		break;
	}
}

/*
 * CRAK_IOC_INSPECT into a buffer of INSPECT_FIRST_MAX entries, and once
 * more with room for every socket when the process has more. The second
 * call names the process by the start time the first returned too: a PID
 * reused in between is ESRCH, not another process's sockets.
 */
static struct crak_sock_info *inspect_pid(int fd, const char *dev, u32 pid,
					  struct crak_inspect *arg)
{
	struct crak_sock_info *si;
	u32 max = INSPECT_FIRST_MAX;
	bool again = false;

	memset(arg, 0, sizeof(*arg));
	arg->pid = pid;
	for (;;) {
		si = calloc(max, sizeof(*si));
		if (!si) {
			crak_err("%s", strerror(ENOMEM));
			return NULL;
		}
		arg->max = max;
		arg->buf = (uintptr_t)si;
		if (ioctl(fd, CRAK_IOC_INSPECT, arg)) {
			report_inspect_error(fd, dev, pid, errno, again);
			free(si);
			return NULL;
		}
		if (arg->count <= arg->max || again)
			return si;
		free(si);
		max = arg->count < CRAK_INSPECT_MAX ? arg->count : CRAK_INSPECT_MAX;
		again = true;
	}
}

static int sk_cmp_fd(const void *a, const void *b)
{
	const struct crak_sock_info *x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

/*
 * A PID as the command line gives it: decimal digits only, no sign, no
 * space; -EINVAL if it is not a number, -ERANGE if out of 1..CRAK_PID_MAX.
 */
static int parse_pid(const char *s, u32 *pid)
{
	unsigned long v = 0;
	const char *p;

	if (!*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		/* Past the limit, only the digits are checked any more. */
		if (v <= CRAK_PID_MAX)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 1 || v > CRAK_PID_MAX)
		return -ERANGE;
	*pid = (u32)v;
	return 0;
}

/*
 * The one operand PID of @cmd ("inspect", "checkpoint"), after its options:
 * 0 and *pid, or the usage error's exit status.
 */
static int pid_operand(const char *cmd, int argc, char **argv, u32 *pid)
{
	char prefix[32];
	int err;

	snprintf(prefix, sizeof(prefix), "%s ", cmd);
	if (optind == argc)
		return usage_error(prefix, "%s: PID missing", cmd);
	if (argc - optind > 1)
		return usage_error(prefix, "%s: unexpected argument '%s'", cmd,
				   argv[optind + 1]);
	err = parse_pid(argv[optind], pid);
	if (err == -ERANGE)
		return usage_error(prefix, "%s: PID '%s' out of range (1 to %u)",
				   cmd, argv[optind], CRAK_PID_MAX);
	if (err)
		return usage_error(prefix, "%s: '%s' is not a PID (a decimal number from 1 to %u)",
				   cmd, argv[optind], CRAK_PID_MAX);
	return 0;
}

static int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = CRAK_DEVICE;
	struct crak_inspect arg;
	struct crak_sock_info *si;
	bool json = false;
	u32 pid, n, i, bad = 0;
	int c, fd, err;

	argv[0] = "crak inspect";
	while ((c = getopt_long(argc, argv, "jd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'h':
			fputs(help_inspect, stdout);
			return EXIT_OK;
		default:
			return usage_error("inspect ", NULL);
		}
	}
	err = pid_operand("inspect", argc, argv, &pid);
	if (err)
		return err;
	if (PARSE_ONLY)
		return EXIT_OK;

	fd = dev_open(dev, "crak.ko is not loaded");
	if (fd < 0)
		return EXIT_FAIL;
	si = inspect_pid(fd, dev, pid, &arg);
	close(fd);
	if (!si)
		return EXIT_FAIL;

	n = arg.count < arg.max ? arg.count : arg.max;
	/* The module goes in descriptor order already: this only makes sure. */
	qsort(si, n, sizeof(*si), sk_cmp_fd);
	for (i = 0; i < n; i++)
		if (si[i].verdict != CRAK_SOCK_OK)
			bad++;
	if (json)
		print_inspect_json(&arg, si, n, bad);
	else
		print_inspect_text(&arg, si, n, bad);
	free(si);
	if (n < arg.count)
		crak_err("warning: %u: %u of its %u sockets not listed: %s",
			 pid, arg.count - n, arg.count,
			 arg.count > CRAK_INSPECT_MAX ?
			 "more than one CRAK_IOC_INSPECT call returns" :
			 "the process opened them while it was inspected");
	if (fflush(stdout) || ferror(stdout)) {
		crak_err("standard output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * crak show: the payloads of TASK, SOCK and SOCK_QUEUE. The codec checked
 * them already when it opened the image.
 */

/* SHA-256 (FIPS 180-4): the datagram digests of crak show --json. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t *h, const u8 *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		k = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256_hex(const u8 *p, u64 len, char out[65])
{
	uint32_t h[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	u64 bits = len * 8, i;
	u8 tail[128] = { 0 };
	unsigned int rest, tlen;

	for (i = 0; i + 64 <= len; i += 64)
		sha256_block(h, p + i);
	rest = (unsigned int)(len - i);
	memcpy(tail, p + i, rest);
	tail[rest] = 0x80;
	tlen = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (u8)(bits >> (8 * i));
	sha256_block(h, tail);
	if (tlen == 128)
		sha256_block(h, tail + 64);
	for (i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", h[i]);
}

/* The "sha256" and "head" (first 16 bytes, hex) members of a JSON object. */
static void print_json_digest(const u8 *p, u32 len)
{
	char digest[65];
	u32 i;

	sha256_hex(p, len, digest);
	printf(", \"sha256\": \"%s\", \"head\": \"", digest);
	for (i = 0; i < len && i < 16; i++)
		printf("%02x", p[i]);
	putchar('"');
}

/* AF_INET and AF_INET6 as in the image are Linux's, so the host's. */
static void img_addr(u16 family, const u8 *addr, char *s, size_t n)
{
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, s, n))
		snprintf(s, n, "?");
}

/* ADDR:PORT, IPv6 in brackets, "*" for no port. */
static void img_endpoint(u16 family, const u8 *addr, u16 port, char *s,
			 size_t n)
{
	char a[INET6_ADDRSTRLEN], p[8] = "*";

	img_addr(family, addr, a, sizeof(a));
	if (port)
		snprintf(p, sizeof(p), "%u", port);
	snprintf(s, n, family == AF_INET6 ? "[%s]:%s" : "%s:%s", a, p);
}

static bool img_tcp(const struct crak_sock *s)
{
	return s->protocol == IPPROTO_TCP;
}

static const char *img_kind(const struct crak_sock *s)
{
	if (img_tcp(s))
		return s->family == AF_INET6 ? "tcp6" : "tcp";
	return s->family == AF_INET6 ? "udp6" : "udp";
}

static const char *img_state(const struct crak_sock *s)
{
	if (img_tcp(s))
		return tcp_state_name(s->state) ? tcp_state_name(s->state) : "?";
	return s->state == SK_TCP_ESTABLISHED ? "ESTAB" : "UNCONN";
}

static const struct {
	u32 bit;
	const char *name;
} tcp_opt_names[] = {
	{ CRAK_TCP_WSCALE, "wscale" },
	{ CRAK_TCP_SACK, "sack" },
	{ CRAK_TCP_TIMESTAMPS, "timestamps" },
	{ CRAK_TCP_NODELAY, "nodelay" },
	{ CRAK_TCP_CORK, "cork" },
	{ CRAK_TCP_KEEPALIVE, "keepalive" },
	{ CRAK_TCP_LINGER, "linger" },
};

static void show_tcp_text(const struct crak_sock *s)
{
	const struct crak_tcp *t = &s->tcp;
	size_t i;

	printf(" send %u (sent %u) recv %u ofo %u", t->send_bytes,
	       crak_tcp_sent_bytes(s), t->recv_bytes, t->ofo_bytes);
	printf(" snd_una=%u snd_nxt=%u write_seq=%u rcv_nxt=%u copied_seq=%u",
	       t->snd_una, t->snd_nxt, t->write_seq, t->rcv_nxt, t->copied_seq);
	printf(" mss=%u", t->mss_clamp);
	for (i = 0; i < ARRAY_SIZE(tcp_opt_names); i++)
		if (t->opts & tcp_opt_names[i].bit)
			printf(" %s", tcp_opt_names[i].name);
	if (t->opts & CRAK_TCP_WSCALE)
		printf(" snd_wscale=%u rcv_wscale=%u", t->snd_wscale,
		       t->rcv_wscale);
	if (t->opts & CRAK_TCP_LINGER)
		printf(" linger=%u", t->linger);
	if (t->keepidle)
		printf(" keepidle=%u", t->keepidle);
	if (t->keepintvl)
		printf(" keepintvl=%u", t->keepintvl);
	if (t->keepcnt)
		printf(" keepcnt=%u", t->keepcnt);
	if (t->user_timeout)
		printf(" user_timeout=%u", t->user_timeout);
	if (t->notsent_lowat)
		printf(" notsent_lowat=%u", t->notsent_lowat);
}

static void print_json_bool(const char *key, bool v);

static void show_tcp_json(const struct crak_sock *s)
{
	const struct crak_tcp *t = &s->tcp;
	size_t i;

	printf(", \"send_bytes\": %u, \"sent_bytes\": %u, \"recv_bytes\": %u, \"ofo_bytes\": %u",
	       t->send_bytes, crak_tcp_sent_bytes(s), t->recv_bytes,
	       t->ofo_bytes);
	printf(", \"snd_una\": %u, \"snd_nxt\": %u, \"write_seq\": %u, \"rcv_nxt\": %u, \"copied_seq\": %u",
	       t->snd_una, t->snd_nxt, t->write_seq, t->rcv_nxt, t->copied_seq);
	printf(", \"snd_wl1\": %u, \"snd_wnd\": %u, \"max_window\": %u, \"rcv_wnd\": %u, \"rcv_wup\": %u",
	       t->snd_wl1, t->snd_wnd, t->max_window, t->rcv_wnd, t->rcv_wup);
	for (i = 0; i < ARRAY_SIZE(tcp_opt_names); i++)
		print_json_bool(tcp_opt_names[i].name,
				t->opts & tcp_opt_names[i].bit);
	printf(", \"mss_clamp\": %u, \"snd_wscale\": %u, \"rcv_wscale\": %u, \"ts_val\": %u, \"ts_recent\": %u",
	       t->mss_clamp, t->snd_wscale, t->rcv_wscale, t->ts_val,
	       t->ts_recent);
	printf(", \"srtt\": %u, \"mdev\": %u, \"rto_ms\": %u, \"cwnd\": %u, \"ssthresh\": %u",
	       t->srtt_us, t->mdev_us, t->rto_ms, t->cwnd, t->ssthresh);
	printf(", \"keepidle\": %u, \"keepintvl\": %u, \"keepcnt\": %u, \"user_timeout\": %u, \"linger_s\": %u, \"notsent_lowat\": %u}",
	       t->keepidle, t->keepintvl, t->keepcnt, t->user_timeout,
	       t->linger, t->notsent_lowat);
}

static const struct {
	u32 bit;
	const char *name;
} sock_opt_names[] = {
	{ CRAK_SO_REUSEADDR, "reuseaddr" },
	{ CRAK_SO_REUSEPORT, "reuseport" },
	{ CRAK_SO_BROADCAST, "broadcast" },
	{ CRAK_SO_V6ONLY, "v6only" },
	{ CRAK_SO_FREEBIND, "freebind" },
	{ CRAK_SO_TRANSPARENT, "transparent" },
	{ CRAK_SO_ADDR_BOUND, "addr_bound" },
	{ CRAK_SO_PORT_BOUND, "port_bound" },
};

static bool img_listen(const struct crak_sock *s)
{
	return img_tcp(s) && s->state == SK_TCP_LISTEN;
}

static void show_listen_text(const struct crak_sock *s)
{
	const struct crak_listen *l = &s->listen;

	printf(" backlog %u, %u connection%s not accepted, %u in the handshake (left out)",
	       l->backlog, l->children, plural(l->children), l->in_handshake);
	if (l->opts & CRAK_TCP_NODELAY)
		fputs(" nodelay", stdout);
	if (l->opts & CRAK_TCP_KEEPALIVE)
		fputs(" keepalive", stdout);
	if (l->defer_accept)
		printf(" defer_accept=%u", l->defer_accept);
	if (l->fastopen_qlen)
		printf(" fastopen=%u", l->fastopen_qlen);
}

static void show_sock_text(const struct crak_sock *s, bool child)
{
	char local[INET6_ADDRSTRLEN + 10], peer[INET6_ADDRSTRLEN + 10];
	size_t i;

	img_endpoint(s->family, s->local_addr, s->local_port, local,
		     sizeof(local));
	if (img_listen(s))
		snprintf(peer, sizeof(peer), "*:*");
	else if (s->state == SK_TCP_ESTABLISHED || img_tcp(s))
		img_endpoint(s->family, s->peer_addr, s->peer_port, peer,
			     sizeof(peer));
	else
		snprintf(peer, sizeof(peer), "*:*");
	printf("fd %u %s%s %s %s %s", s->fd, child ? "child " : "",
	       img_kind(s), img_state(s), local, peer);
	if (s->fd_flags & CRAK_FD_NONBLOCK)
		fputs(" nonblock", stdout);
	if (s->fd_flags & CRAK_FD_CLOEXEC)
		fputs(" cloexec", stdout);
	for (i = 0; i < ARRAY_SIZE(sock_opt_names); i++)
		if (s->opts & sock_opt_names[i].bit)
			printf(" %s", sock_opt_names[i].name);
	if (s->opts & CRAK_SO_SNDBUF_SET)
		printf(" sndbuf=%u", s->sndbuf);
	if (s->opts & CRAK_SO_RCVBUF_SET)
		printf(" rcvbuf=%u", s->rcvbuf);
	if (s->priority)
		printf(" priority=%u", s->priority);
	if (s->mark)
		printf(" mark=%u", s->mark);
	if (s->rcvlowat != 1)
		printf(" rcvlowat=%u", s->rcvlowat);
	if (s->tos)
		printf(" tos=%u", s->tos);
	if (s->tclass)
		printf(" tclass=%u", s->tclass);
	if (s->ttl != CRAK_TTL_DEFAULT)
		printf(" ttl=%u", s->ttl);
	if (s->hops != CRAK_TTL_DEFAULT)
		printf(" hops=%u", s->hops);
	if (img_listen(s)) {
		show_listen_text(s);
		return;
	}
	if (img_tcp(s)) {
		show_tcp_text(s);
		return;
	}
	if (s->udp_flags & CRAK_UDP_NO_CHECK6_TX)
		fputs(" no_check6_tx", stdout);
	if (s->udp_flags & CRAK_UDP_NO_CHECK6_RX)
		fputs(" no_check6_rx", stdout);
	if (s->udp_gso_size)
		printf(" gso_size=%u", s->udp_gso_size);
}

/*
 * VNIF and VNIF_QUEUE: a vnif device with its addresses and routes, the
 * frames its pair held. Names as iproute2 prints them; a number for what
 * has no name here.
 */
static const struct name scope_names[] = {
	{ RT_SCOPE_UNIVERSE, "global" },
	{ RT_SCOPE_SITE, "site" },
	{ RT_SCOPE_LINK, "link" },
	{ RT_SCOPE_HOST, "host" },
	{ RT_SCOPE_NOWHERE, "nowhere" },
};

static const struct name rtprot_names[] = {
	{ RTPROT_UNSPEC, "unspec" },
	{ RTPROT_REDIRECT, "redirect" },
	{ RTPROT_KERNEL, "kernel" },
	{ RTPROT_BOOT, "boot" },
	{ RTPROT_STATIC, "static" },
	{ RTPROT_RA, "ra" },
	{ RTPROT_DHCP, "dhcp" },
	{ RTPROT_KEEPALIVED, "keepalived" },
	{ RTPROT_BABEL, "babel" },
	{ RTPROT_BGP, "bgp" },
	{ RTPROT_ISIS, "isis" },
	{ RTPROT_OSPF, "ospf" },
	{ RTPROT_RIP, "rip" },
};

static const struct name rtn_names[] = {
	{ RTN_UNICAST, "unicast" },
	{ RTN_LOCAL, "local" },
	{ RTN_BROADCAST, "broadcast" },
	{ RTN_ANYCAST, "anycast" },
	{ RTN_MULTICAST, "multicast" },
	{ RTN_BLACKHOLE, "blackhole" },
	{ RTN_UNREACHABLE, "unreachable" },
	{ RTN_PROHIBIT, "prohibit" },
	{ RTN_THROW, "throw" },
	{ RTN_NAT, "nat" },
	{ RTN_XRESOLVE, "xresolve" },
};

static const struct name table_names[] = {
	{ RT_TABLE_DEFAULT, "default" },
	{ RT_TABLE_MAIN, "main" },
	{ RT_TABLE_LOCAL, "local" },
};

static const struct name ifa_flag_names[] = {
	{ IFA_F_SECONDARY, "secondary" },
	{ IFA_F_NODAD, "nodad" },
	{ IFA_F_OPTIMISTIC, "optimistic" },
	{ IFA_F_DADFAILED, "dadfailed" },
	{ IFA_F_HOMEADDRESS, "home" },
	{ IFA_F_DEPRECATED, "deprecated" },
	{ IFA_F_TENTATIVE, "tentative" },
	{ IFA_F_PERMANENT, "permanent" },
	{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" },
	{ IFA_F_NOPREFIXROUTE, "noprefixroute" },
	{ IFA_F_MCAUTOJOIN, "autojoin" },
	{ IFA_F_STABLE_PRIVACY, "stable-privacy" },
};

/* The name of id in t, or its number in s. */
static const char *name_or_num(const struct name *t, size_t n,
			       unsigned int id, char *s, size_t len)
{
	const char *name = name_of(t, n, id);

	if (name)
		return name;
	snprintf(s, len, "%u", id);
	return s;
}

static const char *deadline_policy_name(u8 policy)
{
	return policy == VNIF_DEADLINE_DROP ? "drop" : "release";
}

static const char *frame_dir_name(u8 dir)
{
	return dir == CRAK_FRAME_EGRESS ? "egress" : "ingress";
}

static void mac_str(const u8 *mac, char *s, size_t n)
{
	snprintf(s, n, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

/* Frames and bytes of a VNIF_QUEUE, per direction. */
struct vnif_counts {
	u32 frames[2];
	u64 bytes[2];
};

static void vnif_queue_count(const struct crak_queue *q0,
			     struct vnif_counts *c)
{
	struct crak_queue q = *q0;
	struct crak_frame fr;

	memset(c, 0, sizeof(*c));
	while (crak_vnif_queue_next(&q, &fr) == 1) {
		c->frames[fr.dir == CRAK_FRAME_EGRESS]++;
		c->bytes[fr.dir == CRAK_FRAME_EGRESS] += fr.len;
	}
}

/* "inet 10.60.0.2/24 scope global", as `ip addr` words it. */
static void show_vnif_addr_text(const struct crak_vnif_addr *a)
{
	char addr[INET6_ADDRSTRLEN], num[12];
	size_t i;

	img_addr(a->family, a->addr, addr, sizeof(addr));
	printf("%s %s/%u scope %s", a->family == AF_INET6 ? "inet6" : "inet",
	       addr, a->prefixlen,
	       name_or_num(scope_names, ARRAY_SIZE(scope_names), a->scope, num,
			   sizeof(num)));
	for (i = 0; i < ARRAY_SIZE(ifa_flag_names); i++)
		if (a->flags & ifa_flag_names[i].id)
			printf(" %s", ifa_flag_names[i].name);
	if (a->flags & ~(u32)0xfff)
		printf(" flags 0x%x", a->flags & ~(u32)0xfff);
}

/*
 * "default via 10.60.0.1 proto static metric 0 table main", as `ip route`
 * words it, with the metric and the table always given.
 */
static void show_vnif_route_text(const struct crak_vnif_route *r)
{
	char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN], num[12];

	if (r->type != RTN_UNICAST)
		printf("%s ", name_or_num(rtn_names, ARRAY_SIZE(rtn_names),
					  r->type, num, sizeof(num)));
	img_addr(r->family, r->dst, dst, sizeof(dst));
	if (!r->dst_len)
		fputs("default", stdout);
	else
		printf("%s/%u", dst, r->dst_len);
	if (r->flags & CRAK_ROUTE_GATEWAY) {
		img_addr(r->family, r->gw, gw, sizeof(gw));
		printf(" via %s", gw);
	}
	printf(" proto %s", name_or_num(rtprot_names, ARRAY_SIZE(rtprot_names),
					r->protocol, num, sizeof(num)));
	if (r->scope != RT_SCOPE_UNIVERSE)
		printf(" scope %s", name_or_num(scope_names,
						ARRAY_SIZE(scope_names),
						r->scope, num, sizeof(num)));
	printf(" metric %u table %s", r->metric,
	       name_or_num(table_names, ARRAY_SIZE(table_names), r->table, num,
			   sizeof(num)));
}

static void show_vnif_text(const struct crak_vnif *v, int indent)
{
	struct crak_vnif_addr a;
	struct crak_vnif_route r;
	char mac[18];
	u32 i;

	mac_str(v->mac, mac, sizeof(mac));
	printf("%s mac %s mtu %u%s%s", v->ifname, mac, v->mtu,
	       v->flags & CRAK_VNIF_UP ? " up" : " down",
	       v->flags & CRAK_VNIF_FROZEN ? " frozen" : "");
	printf(" limit %u packet%s %u bytes", v->limit_packets,
	       plural(v->limit_packets), v->limit_bytes);
	if (v->deadline_ms)
		printf(" deadline %u ms %s", v->deadline_ms,
		       deadline_policy_name(v->deadline_policy));
	else
		fputs(" no deadline", stdout);
	printf(", %u address%s, %u route%s, %u frame%s %llu byte%s",
	       v->naddrs, v->naddrs == 1 ? "" : "es", v->nroutes,
	       plural(v->nroutes), v->nframes, plural(v->nframes),
	       (unsigned long long)v->frame_bytes, plural(v->frame_bytes));
	for (i = 0; i < v->naddrs; i++) {
		if (crak_vnif_addr_get(v, i, &a))
			break;
		printf("\n%*s  ", indent, "");
		show_vnif_addr_text(&a);
	}
	for (i = 0; i < v->nroutes; i++) {
		if (crak_vnif_route_get(v, i, &r))
			break;
		printf("\n%*s  ", indent, "");
		show_vnif_route_text(&r);
	}
}

/* The Ethernet header of a frame: source > destination, ethertype. */
static void show_frame_eth(const struct crak_frame *fr)
{
	char src[18], dst[18];

	mac_str(fr->data + 6, src, sizeof(src));
	mac_str(fr->data, dst, sizeof(dst));
	printf("%s > %s ethertype 0x%04x", src, dst,
	       (unsigned int)(fr->data[12] << 8 | fr->data[13]));
}

static void show_vnif_queue_text(const struct crak_queue *q0,
				 const char *ifname, int indent)
{
	struct crak_queue q = *q0;
	struct vnif_counts c;
	struct crak_frame fr;

	vnif_queue_count(&q, &c);
	printf("%s: %u frame%s %llu byte%s: ingress %u (%llu bytes), egress %u (%llu bytes)",
	       ifname, q.count, plural(q.count),
	       (unsigned long long)(c.bytes[0] + c.bytes[1]),
	       plural(c.bytes[0] + c.bytes[1]), c.frames[0],
	       (unsigned long long)c.bytes[0], c.frames[1],
	       (unsigned long long)c.bytes[1]);
	while (crak_vnif_queue_next(&q, &fr) == 1) {
		printf("\n%*s  #%u %s %u byte%s at %llu.%09llu ", indent, "",
		       q.next - 1, frame_dir_name(fr.dir), fr.len,
		       plural(fr.len),
		       (unsigned long long)(fr.tstamp_ns / 1000000000),
		       (unsigned long long)(fr.tstamp_ns % 1000000000));
		show_frame_eth(&fr);
	}
}

static void show_vnif_json(const struct crak_vnif *v)
{
	char a[INET6_ADDRSTRLEN], num[12], mac[18];
	struct crak_vnif_addr ad;
	struct crak_vnif_route r;
	u32 i;

	fputs(", \"vnif\": {\"name\": ", stdout);
	print_json_str((const u8 *)v->ifname, strlen(v->ifname));
	mac_str(v->mac, mac, sizeof(mac));
	printf(", \"mac\": \"%s\", \"mtu\": %u", mac, v->mtu);
	print_json_bool("up", v->flags & CRAK_VNIF_UP);
	print_json_bool("frozen", v->flags & CRAK_VNIF_FROZEN);
	printf(", \"limit_packets\": %u, \"limit_bytes\": %u, \"deadline_ms\": %u, \"deadline_policy\": \"%s\"",
	       v->limit_packets, v->limit_bytes, v->deadline_ms,
	       deadline_policy_name(v->deadline_policy));
	printf(", \"frames\": %u, \"frame_bytes\": %llu, \"addresses\": [",
	       v->nframes, (unsigned long long)v->frame_bytes);
	for (i = 0; i < v->naddrs && !crak_vnif_addr_get(v, i, &ad); i++) {
		img_addr(ad.family, ad.addr, a, sizeof(a));
		printf("%s\n      {\"family\": \"%s\", \"address\": \"%s\", \"prefixlen\": %u",
		       i ? "," : "", ad.family == AF_INET6 ? "inet6" : "inet",
		       a, ad.prefixlen);
		printf(", \"scope\": \"%s\", \"scope_id\": %u, \"flags\": %u}",
		       name_or_num(scope_names, ARRAY_SIZE(scope_names),
				   ad.scope, num, sizeof(num)),
		       ad.scope, ad.flags);
	}
	printf("%s], \"routes\": [", i ? "\n    " : "");
	for (i = 0; i < v->nroutes && !crak_vnif_route_get(v, i, &r); i++) {
		img_addr(r.family, r.dst, a, sizeof(a));
		printf("%s\n      {\"family\": \"%s\", \"dst\": \"%s\", \"dst_len\": %u",
		       i ? "," : "", r.family == AF_INET6 ? "inet6" : "inet",
		       a, r.dst_len);
		if (r.flags & CRAK_ROUTE_GATEWAY) {
			img_addr(r.family, r.gw, a, sizeof(a));
			printf(", \"gateway\": \"%s\"", a);
		} else {
			fputs(", \"gateway\": null", stdout);
		}
		printf(", \"type\": \"%s\", \"type_id\": %u",
		       name_or_num(rtn_names, ARRAY_SIZE(rtn_names), r.type,
				   num, sizeof(num)), r.type);
		printf(", \"protocol\": \"%s\", \"protocol_id\": %u",
		       name_or_num(rtprot_names, ARRAY_SIZE(rtprot_names),
				   r.protocol, num, sizeof(num)), r.protocol);
		printf(", \"scope\": \"%s\", \"scope_id\": %u",
		       name_or_num(scope_names, ARRAY_SIZE(scope_names),
				   r.scope, num, sizeof(num)), r.scope);
		printf(", \"table\": \"%s\", \"table_id\": %u, \"metric\": %u}",
		       name_or_num(table_names, ARRAY_SIZE(table_names),
				   r.table, num, sizeof(num)), r.table,
		       r.metric);
	}
	printf("%s]}", i ? "\n    " : "");
}

static void show_vnif_queue_json(const struct crak_queue *q0,
				 const char *ifname)
{
	struct crak_queue q = *q0;
	char src[18], dst[18];
	struct vnif_counts c;
	struct crak_frame fr;

	vnif_queue_count(&q, &c);
	fputs(", \"vnif_queue\": {\"vnif\": ", stdout);
	print_json_str((const u8 *)ifname, strlen(ifname));
	printf(", \"count\": %u, \"bytes\": %llu, \"ingress\": %u, \"ingress_bytes\": %llu, \"egress\": %u, \"egress_bytes\": %llu, \"frames\": [",
	       q.count, (unsigned long long)(c.bytes[0] + c.bytes[1]),
	       c.frames[0], (unsigned long long)c.bytes[0], c.frames[1],
	       (unsigned long long)c.bytes[1]);
	while (crak_vnif_queue_next(&q, &fr) == 1) {
		mac_str(fr.data + 6, src, sizeof(src));
		mac_str(fr.data, dst, sizeof(dst));
		printf("%s\n      {\"index\": %u, \"dir\": \"%s\", \"length\": %u, \"tstamp_ns\": %llu",
		       q.next > 1 ? "," : "", q.next - 1,
		       frame_dir_name(fr.dir), fr.len,
		       (unsigned long long)fr.tstamp_ns);
		printf(", \"src\": \"%s\", \"dst\": \"%s\", \"ethertype\": %u",
		       src, dst, (unsigned int)(fr.data[12] << 8 | fr.data[13]));
		print_json_digest(fr.data, fr.len);
		putchar('}');
	}
	printf("%s]}", q.count ? "\n    " : "");
}

static void show_payload_text(const struct crak_section *sec,
			      struct show_ctx *ctx)
{
	int wtype = ctx->wtype;
	char src[INET6_ADDRSTRLEN + 10], dst[INET6_ADDRSTRLEN + 10];
	struct crak_task t;
	struct crak_sock s;
	struct crak_queue q;
	struct crak_dgram d;
	struct crak_vnif v;
	u64 bytes = 0;

	switch (sec->type) {
	case CRAK_SEC_TASK:
		if (crak_task_get(sec, &t))
			break;
		printf("pid %u ", t.pid);
		print_text((const u8 *)t.comm, (u32)strlen(t.comm), 16);
		printf(" started %llu ns after boot, %u socket%s",
		       (unsigned long long)t.start_time, t.nsockets,
		       plural(t.nsockets));
		break;
	case CRAK_SEC_SOCK:
	case CRAK_SEC_SOCK_CHILD:
		if (!crak_sock_get(sec, &s))
			show_sock_text(&s, sec->type == CRAK_SEC_SOCK_CHILD);
		break;
	case CRAK_SEC_SOCK_QUEUE:
		if (crak_queue_get(sec, &q))
			break;
		if (q.kind != CRAK_QUEUE_UDP_RECV) {
			printf("fd %u %s queue: %u byte%s", q.fd,
			       q.kind == CRAK_QUEUE_TCP_SEND ? "send" : "receive",
			       q.count, plural(q.count));
			if (q.count) {
				fputs(" ", stdout);
				print_text(q.data, q.count, 16);
			}
			break;
		}
		{
			struct crak_queue q2 = q;

			while (crak_queue_next(&q2, &d) == 1)
				bytes += d.len;
		}
		printf("fd %u receive queue: %u datagram%s, %llu byte%s", q.fd,
		       q.count, plural(q.count), (unsigned long long)bytes,
		       plural(bytes));
		while (crak_queue_next(&q, &d) == 1) {
			img_endpoint(d.family, d.saddr, d.sport, src, sizeof(src));
			img_endpoint(d.family, d.daddr, d.dport, dst, sizeof(dst));
			printf("\n%*s  #%u %s -> %s %u byte%s%s ",
			       5 + 1 + 10 + 2 + wtype + 1 + 10, "", q.next - 1,
			       src, dst, d.len, plural(d.len),
			       d.flags & CRAK_DGRAM_CSUM_UNVERIFIED ?
			       " (checksum not verified)" : "");
			print_text(d.data, d.len, 16);
		}
		break;
	case CRAK_SEC_VNIF:
		if (crak_vnif_get(sec, &v))
			break;
		memcpy(ctx->vnif, v.ifname, sizeof(ctx->vnif));
		show_vnif_text(&v, 5 + 1 + 10 + 2 + wtype + 1 + 10);
		break;
	case CRAK_SEC_VNIF_QUEUE:
		if (!crak_vnif_queue_get(sec, &q))
			show_vnif_queue_text(&q, ctx->vnif,
					     5 + 1 + 10 + 2 + wtype + 1 + 10);
		break;
	default:
		break;
	}
}

static void print_json_bool(const char *key, bool v)
{
	printf(", \"%s\": %s", key, v ? "true" : "false");
}

static void print_json_hops(const char *key, u16 v)
{
	if (v == CRAK_TTL_DEFAULT)
		printf(", \"%s\": null", key);
	else
		printf(", \"%s\": %u", key, v);
}

static void show_sock_json(const struct crak_sock *s, bool child)
{
	char a[INET6_ADDRSTRLEN];
	size_t i;

	printf(", \"%s\": {\"fd\": %u", child ? "child" : "socket", s->fd);
	printf(", \"family\": \"%s\", \"kind\": \"%s\", \"state\": \"%s\", \"state_id\": %u",
	       s->family == AF_INET6 ? "inet6" : "inet", img_kind(s),
	       img_state(s), s->state);
	img_addr(s->family, s->local_addr, a, sizeof(a));
	printf(", \"local\": \"%s\", \"lport\": %u", a, s->local_port);
	img_addr(s->family, s->peer_addr, a, sizeof(a));
	printf(", \"peer\": \"%s\", \"pport\": %u", a, s->peer_port);
	print_json_bool("nonblock", s->fd_flags & CRAK_FD_NONBLOCK);
	print_json_bool("cloexec", s->fd_flags & CRAK_FD_CLOEXEC);
	for (i = 0; i < ARRAY_SIZE(sock_opt_names); i++)
		print_json_bool(sock_opt_names[i].name,
				s->opts & sock_opt_names[i].bit);
	printf(", \"sndbuf\": %u", s->sndbuf);
	print_json_bool("sndbuf_set", s->opts & CRAK_SO_SNDBUF_SET);
	printf(", \"rcvbuf\": %u", s->rcvbuf);
	print_json_bool("rcvbuf_set", s->opts & CRAK_SO_RCVBUF_SET);
	printf(", \"priority\": %u, \"mark\": %u, \"rcvlowat\": %u, \"tos\": %u, \"tclass\": %u",
	       s->priority, s->mark, s->rcvlowat, s->tos, s->tclass);
	print_json_hops("ttl", s->ttl);
	print_json_hops("hops", s->hops);
	if (img_listen(s)) {
		printf(", \"backlog\": %u, \"children\": %u, \"in_handshake\": %u, \"defer_accept\": %u, \"fastopen\": %u",
		       s->listen.backlog, s->listen.children,
		       s->listen.in_handshake, s->listen.defer_accept,
		       s->listen.fastopen_qlen);
		print_json_bool("nodelay", s->listen.opts & CRAK_TCP_NODELAY);
		print_json_bool("keepalive", s->listen.opts & CRAK_TCP_KEEPALIVE);
		fputs("}", stdout);
		return;
	}
	if (img_tcp(s)) {
		show_tcp_json(s);
		return;
	}
	print_json_bool("no_check6_tx", s->udp_flags & CRAK_UDP_NO_CHECK6_TX);
	print_json_bool("no_check6_rx", s->udp_flags & CRAK_UDP_NO_CHECK6_RX);
	printf(", \"gso_size\": %u, \"datagrams\": %u, \"bytes\": %llu}",
	       s->udp_gso_size, s->udp_ndgrams,
	       (unsigned long long)s->udp_bytes);
}

static void show_payload_json(const struct crak_section *sec,
			      struct show_ctx *ctx)
{
	char a[INET6_ADDRSTRLEN], digest[65];
	struct crak_task t;
	struct crak_sock s;
	struct crak_queue q;
	struct crak_dgram d;
	struct crak_vnif v;

	switch (sec->type) {
	case CRAK_SEC_TASK:
		if (crak_task_get(sec, &t))
			break;
		printf(", \"task\": {\"pid\": %u, \"comm\": ", t.pid);
		print_json_str((const u8 *)t.comm, strlen(t.comm));
		printf(", \"start_time_ns\": %llu, \"sockets\": %u}",
		       (unsigned long long)t.start_time, t.nsockets);
		break;
	case CRAK_SEC_SOCK:
	case CRAK_SEC_SOCK_CHILD:
		if (!crak_sock_get(sec, &s))
			show_sock_json(&s, sec->type == CRAK_SEC_SOCK_CHILD);
		break;
	case CRAK_SEC_SOCK_QUEUE:
		if (crak_queue_get(sec, &q))
			break;
		if (q.kind != CRAK_QUEUE_UDP_RECV) {
			sha256_hex(q.data, q.count, digest);
			printf(", \"queue\": {\"fd\": %u, \"kind\": \"%s\", \"bytes\": %u, \"sha256\": \"%s\"}",
			       q.fd, q.kind == CRAK_QUEUE_TCP_SEND ? "tcp_send" :
			       "tcp_recv", q.count, digest);
			break;
		}
		printf(", \"queue\": {\"fd\": %u, \"kind\": \"udp_recv\", \"count\": %u, \"datagrams\": [",
		       q.fd, q.count);
		while (crak_queue_next(&q, &d) == 1) {
			printf("%s\n      {\"index\": %u, \"family\": \"%s\"",
			       q.next > 1 ? "," : "", q.next - 1,
			       d.family == AF_INET6 ? "inet6" : "inet");
			img_addr(d.family, d.saddr, a, sizeof(a));
			printf(", \"src\": \"%s\", \"sport\": %u", a, d.sport);
			img_addr(d.family, d.daddr, a, sizeof(a));
			printf(", \"dst\": \"%s\", \"dport\": %u", a, d.dport);
			printf(", \"length\": %u", d.len);
			print_json_bool("csum_unverified",
					d.flags & CRAK_DGRAM_CSUM_UNVERIFIED);
			print_json_digest(d.data, d.len);
			putchar('}');
		}
		printf("%s]}", q.count ? "\n    " : "");
		break;
	case CRAK_SEC_VNIF:
		if (crak_vnif_get(sec, &v))
			break;
		memcpy(ctx->vnif, v.ifname, sizeof(ctx->vnif));
		show_vnif_json(&v);
		break;
	case CRAK_SEC_VNIF_QUEUE:
		if (!crak_vnif_queue_get(sec, &q))
			show_vnif_queue_json(&q, ctx->vnif);
		break;
	default:
		break;
	}
}

/* crak checkpoint */

/* The threads of a checkpointed process, stopped by ptrace. */
struct stopped {
	pid_t *tids;
	size_t n, cap;
};

static bool stopped_has(const struct stopped *st, pid_t tid)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->tids[i] == tid)
			return true;
	return false;
}

/* Lets every stopped thread go on. */
static void resume_target(struct stopped *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		ptrace(PTRACE_DETACH, st->tids[i], NULL, NULL);
	free(st->tids);
	memset(st, 0, sizeof(*st));
}

/* Seizes one thread and waits until it is in its ptrace stop. */
static int stop_thread(u32 pid, pid_t tid, struct stopped *st)
{
	pid_t *ntids;
	int status;

	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		ntids = realloc(st->tids, st->cap * sizeof(*ntids));
		if (!ntids) {
			crak_err("%s", strerror(ENOMEM));
			return -1;
		}
		st->tids = ntids;
	}
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL)) {
		/* A thread that exited in between is no longer in the way. */
		if (errno == ESRCH)
			return 0;
		crak_err("cannot stop %u: ptrace(PTRACE_SEIZE) of thread %d: %s%s",
			 pid, (int)tid, strerror(errno),
			 errno == EPERM ? " (traced already, or not allowed)" : "");
		return -1;
	}
	st->tids[st->n++] = tid;
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) && errno != ESRCH) {
		crak_err("cannot stop %u: ptrace(PTRACE_INTERRUPT): %s", pid,
			 strerror(errno));
		return -1;
	}
	for (;;) {
		if (waitpid(tid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			/* Gone: nothing of it can change any more. */
			return 0;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return 0;
		if (WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_STOP)
			return 0;
		/* A signal on its way in: let it be delivered later, as it came. */
		if (WIFSTOPPED(status) &&
		    ptrace(PTRACE_CONT, tid, NULL,
			   (void *)(long)WSTOPSIG(status)) && errno != ESRCH)
			return 0;
	}
}

/*
 * Stops every thread of process pid as a debugger would (PTRACE_SEIZE and
 * PTRACE_INTERRUPT: no SIGSTOP its parent could see), until a pass over
 * /proc/PID/task finds no thread it has not stopped yet.
 */
static int stop_target(u32 pid, struct stopped *st)
{
	char path[64];
	bool more = true;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	while (more) {
		more = false;
		d = opendir(path);
		if (!d) {
			if (errno == ENOENT)
				crak_err("no process %u", pid);
			else
				crak_err("%s: %s", path, strerror(errno));
			goto fail;
		}
		while ((de = readdir(d))) {
			pid_t tid = (pid_t)strtol(de->d_name, NULL, 10);

			if (tid <= 0 || stopped_has(st, tid))
				continue;
			more = true;
			if (stop_thread(pid, tid, st)) {
				closedir(d);
				goto fail;
			}
		}
		closedir(d);
	}
	return 0;

fail:
	resume_target(st);
	return -1;
}

/*
 * A process may have had more descriptors than crak's soft limit allows
 * (1024 by default): as many as the hard limit, then. restore_nofile()
 * gives COMMAND the limit crak was started with.
 */
static struct rlimit nofile_was;
static bool nofile_raised;

static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		nofile_was = rl;
		rl.rlim_cur = rl.rlim_max;
		nofile_raised = !setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void restore_nofile(void)
{
	if (nofile_raised)
		setrlimit(RLIMIT_NOFILE, &nofile_was);
	nofile_raised = false;
}

/*
 * CRAK_IOC_NET: freezes, thaws, announces on or trims (with the image at
 * img, len bytes) the vnif pairs of the process's network namespace. 0,
 * or -1 said.
 */
static int net_op_img(int fd, const char *dev, u32 pid, u64 start_time,
		      u32 op, const u8 *img, u64 len, struct crak_net *net)
{
	const char *what = op == CRAK_NET_FREEZE ? "freeze" :
			   op == CRAK_NET_THAW ? "thaw" :
			   op == CRAK_NET_TRIM ? "trim" : "announce";
	int e;

	memset(net, 0, sizeof(*net));
	net->pid = pid;
	net->op = op;
	net->start_time = start_time;
	net->buf = (uintptr_t)img;
	net->len = len;
	if (!ioctl(fd, CRAK_IOC_NET, net))
		return 0;
	e = errno;
	net->error[sizeof(net->error) - 1] = '\0';
	if (e == ENOTTY || (op == CRAK_NET_TRIM && e == EINVAL && !net->error[0]))
		report_unknown_ioctl(fd, dev, op == CRAK_NET_TRIM ?
				     "CRAK_IOC_NET op CRAK_NET_TRIM" :
				     "CRAK_IOC_NET", e);
	else if (net->error[0])
		crak_err("cannot %s the vnif pairs of %u: %s", what, pid,
			 net->error);
	else if (e == EPERM)
		crak_err("cannot %s the vnif pairs of %u: needs CAP_NET_ADMIN in its network namespace",
			 what, pid);
	else if (e == ESTALE)
		crak_err("cannot %s the vnif pairs of %u: a pair no longer holds the frames the image carries first: %s",
			 what, pid, strerror(e));
	else
		crak_err("cannot %s the vnif pairs of %u: %s", what, pid,
			 strerror(e));
	net->changed = 0;
	return -1;
}

static int net_op(int fd, const char *dev, u32 pid, u64 start_time, u32 op,
		  struct crak_net *net)
{
	return net_op_img(fd, dev, pid, start_time, op, NULL, 0, net);
}

/* The VNIF sections of an image the codec opened. */
static u32 image_vnifs(const struct crak_image_reader *r0)
{
	struct crak_image_reader r = *r0;
	struct crak_section sec;
	u32 n = 0;

	while (crak_image_next(&r, &sec) > 0)
		n += sec.type == CRAK_SEC_VNIF;
	return n;
}

/* TCP_REPAIR on copies of a process's descriptors: 0, or -1 with errno. */
static int repair_set(const int *fds, size_t n, int val, size_t *done)
{
	for (*done = 0; *done < n; (*done)++)
		if (setsockopt(fds[*done], IPPROTO_TCP, TCP_REPAIR, &val,
			       sizeof(val)))
			return -1;
	return 0;
}

/*
 * --kill, once the image is safe: every TCP socket of the image is put
 * into repair mode through a copy of its descriptor (pidfd_getfd(), which
 * the ptrace stop allows), so that closing it sends neither FIN nor RST:
 * the connection lives on in the image. Then SIGKILL. On failure the
 * process is left as it was, its sockets out of repair mode again.
 *
 * A listener cannot be put into repair mode, and the connections in its
 * accept queue have no descriptor to copy: when the image has some, the
 * module silences every TCP connection, children included, and kills the
 * process itself (CRAK_CKPT_KILL, with the image it writes again thrown
 * away; the process is stopped and its pairs frozen, so nothing has
 * changed since).
 */
static int kill_in_kernel(int dev, u32 pid, u64 start_time, u32 flags,
			  u64 len)
{
	struct crak_checkpoint arg;
	u64 cap = len + len / 8 + 65536;
	u8 *buf = malloc(cap);
	int ret;

	if (!buf) {
		crak_err("%s", strerror(ENOMEM));
		return -1;
	}
	memset(&arg, 0, sizeof(arg));
	arg.pid = pid;
	arg.flags = flags | CRAK_CKPT_KILL;
	arg.start_time = start_time;
	arg.buf = (uintptr_t)buf;
	arg.len = cap;
	ret = ioctl(dev, CRAK_IOC_CHECKPOINT, &arg);
	if (ret) {
		arg.error[sizeof(arg.error) - 1] = '\0';
		crak_err("cannot kill %u quietly: CRAK_IOC_CHECKPOINT with CRAK_CKPT_KILL: %s%s%s",
			 pid, strerror(errno), arg.error[0] ? ": " : "",
			 arg.error);
	}
	free(buf);
	return ret ? -1 : 0;
}

/*
 * --kill, the image safe and the process about to die: the frames its
 * vnif pairs held, which the image carries now, leave the pairs
 * (CRAK_NET_TRIM), so that the frames that come after, carried from the
 * old pairs to the new ones, do not bring them a second time. A pair that
 * no longer holds them first refuses it, and the checkpoint fails.
 */
static int trim_pairs(int dev, const char *devname, u32 pid, u64 start_time,
		      const u8 *img, u64 len, u64 *moved)
{
	struct crak_net net;

	if (net_op_img(dev, devname, pid, start_time, CRAK_NET_TRIM, img, len,
		       &net))
		return -1;
	*moved = net.frames;
	return 0;
}

/* After a trim, a kill that fails leaves the process without those frames. */
static void trim_lost(u32 pid, u64 moved)
{
	if (moved)
		crak_err("warning: %u runs on, but the %llu frame%s its vnif pairs held went to the image: it will not receive %s",
			 pid, (unsigned long long)moved, plural(moved),
			 moved == 1 ? "it" : "them");
}

static int kill_target(u32 pid, struct crak_image_reader *r0, int dev,
		       const char *devname, u64 start_time, u32 flags,
		       const u8 *img, u64 len, u32 vnifs, u64 *moved)
{
	struct crak_image_reader r = *r0;
	size_t n = 0, i, done, undone;
	struct crak_section sec;
	struct crak_sock s;
	int pidfd, *fds;
	int ret = -1;

	*moved = 0;
	/* The module's checkpoint refuses sockets in repair mode already. */
	while (crak_image_next(&r, &sec) > 0) {
		if (sec.type != CRAK_SEC_SOCK_CHILD)
			continue;
		if (vnifs && trim_pairs(dev, devname, pid, start_time, img, len,
					moved))
			return -1;
		if (kill_in_kernel(dev, pid, start_time, flags, len)) {
			trim_lost(pid, *moved);
			return -1;
		}
		return 0;
	}
	r = *r0;
	fds = calloc(r.nsections ? r.nsections : 1, sizeof(*fds));
	if (!fds) {
		crak_err("%s", strerror(ENOMEM));
		return -1;
	}
	raise_nofile();
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0) {
		crak_err("cannot kill %u: pidfd_open: %s", pid, strerror(errno));
		goto out_free;
	}
	while (crak_image_next(&r, &sec) > 0) {
		if (sec.type != CRAK_SEC_SOCK || crak_sock_get(&sec, &s) ||
		    s.protocol != IPPROTO_TCP || s.state == SK_TCP_LISTEN)
			continue;
		fds[n] = (int)syscall(SYS_pidfd_getfd, pidfd, (int)s.fd, 0);
		if (fds[n] < 0) {
			crak_err("cannot kill %u quietly: fd %u: pidfd_getfd: %s",
				 pid, s.fd, strerror(errno));
			goto out_close;
		}
		n++;
	}
	if (repair_set(fds, n, 1, &done)) {
		crak_err("cannot kill %u quietly: TCP_REPAIR: %s", pid,
			 strerror(errno));
		repair_set(fds, done, TCP_REPAIR_OFF_NO_WP, &undone);
		goto out_close;
	}
	if (vnifs && trim_pairs(dev, devname, pid, start_time, img, len,
				moved)) {
		repair_set(fds, n, TCP_REPAIR_OFF_NO_WP, &undone);
		goto out_close;
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0)) {
		crak_err("cannot kill %u: %s", pid, strerror(errno));
		repair_set(fds, n, TCP_REPAIR_OFF_NO_WP, &undone);
		trim_lost(pid, *moved);
		goto out_close;
	}
	ret = 0;
out_close:
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(pidfd);
out_free:
	free(fds);
	return ret;
}

/*
 * After --kill: waits until the process has let its descriptors go
 * (gone, or a zombie), so that its sockets are closed when crak returns.
 */
static void wait_gone(u32 pid)
{
	char path[64], buf[512], *p;
	unsigned int i;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	for (i = 0; i < 1000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
			return;
		usleep(10000);
	}
	crak_err("warning: %u: killed, but still not gone after 10 s", pid);
}

/* The first buffer; a larger image is asked for again at its length. */
#define CKPT_FIRST_LEN		(1024U * 1024)
#define CKPT_TRIES		6

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void report_checkpoint_error(int fd, const char *dev, u32 pid, int e,
				    const struct crak_checkpoint *arg,
				    bool again)
{
	/* A socket refused: --skip-unsupported can leave it out. */
	if (e == EOPNOTSUPP && arg->error_fd >= 0) {
		crak_err("cannot checkpoint %u: %.*s (--skip-unsupported leaves such sockets out)",
			 pid, (int)sizeof(arg->error), arg->error);
		return;
	}
	/* Anything else the module explained: a vnif device, its routes. */
	if (arg->error[0] && e != ENOTTY) {
		crak_err("cannot checkpoint %u: %.*s (%s)", pid,
			 (int)sizeof(arg->error), arg->error, strerror(e));
		return;
	}
	switch (e) {
	case ESRCH:
		if (again)
			crak_err("no process %u: it exited, or its PID was reused, while it was checkpointed",
				 pid);
		else
			crak_err("no process %u", pid);
		break;
	case EPERM:
		crak_err("you may not checkpoint %u: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, and the right to ptrace it (same uids/gids, or CAP_SYS_PTRACE; the target must be dumpable)",
			 pid);
		break;
	case EFBIG:
		crak_err("cannot checkpoint %u: the image would be larger than the format allows (%llu bytes)",
			 pid, (unsigned long long)CRAK_IMAGE_MAX_LEN);
		break;
	case ENOTTY:
		report_unknown_ioctl(fd, dev, "CRAK_IOC_CHECKPOINT", e);
		break;
	default:
		report_ioctl_error(dev, "CRAK_IOC_CHECKPOINT", e);
		break;
	}
}

/*
 * CRAK_IOC_CHECKPOINT, again with the length the module asks for while it
 * says ENOSPC (the queues may grow between two calls), the process named
 * by its start time after the first call. Returns the image, or NULL.
 */
static u8 *checkpoint_pid(int fd, const char *dev, u32 pid, u32 flags,
			  u64 start_time, struct crak_checkpoint *arg)
{
	const char *first = getenv("CRAK_CHECKPOINT_BUFFER");
	u64 cap = CKPT_FIRST_LEN;
	unsigned int tries;
	u8 *buf = NULL;

	/* For tests: a first buffer too small, to go through ENOSPC. */
	if (first && strtoull(first, NULL, 10) > 0 &&
	    strtoull(first, NULL, 10) <= CRAK_IMAGE_MAX_LEN)
		cap = strtoull(first, NULL, 10);
	memset(arg, 0, sizeof(*arg));
	for (tries = 0; tries < CKPT_TRIES; tries++) {
		free(buf);
		buf = malloc(cap);
		if (!buf) {
			crak_err("%s", strerror(ENOMEM));
			return NULL;
		}
		arg->pid = pid;
		arg->flags = flags;
		if (!tries)
			arg->start_time = start_time;
		arg->buf = (uintptr_t)buf;
		arg->len = cap;
		if (!ioctl(fd, CRAK_IOC_CHECKPOINT, arg))
			return buf;
		if (errno != ENOSPC || arg->len <= cap) {
			arg->error[sizeof(arg->error) - 1] = '\0';
			report_checkpoint_error(fd, dev, pid, errno, arg,
						tries > 0);
			free(buf);
			return NULL;
		}
		/* Some room for what arrives before the next call. */
		cap = arg->len + arg->len / 8 + 4096;
		if (cap > CRAK_IMAGE_MAX_LEN)
			cap = CRAK_IMAGE_MAX_LEN;
	}
	crak_err("cannot checkpoint %u: its queues kept growing past the room given, %u times",
		 pid, CKPT_TRIES);
	free(buf);
	return NULL;
}

static int cmd_checkpoint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "skip-unsupported", no_argument, NULL, 's' },
		{ "leave-running", no_argument, NULL, 'l' },
		{ "kill", no_argument, NULL, 'k' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = CRAK_DEVICE, *out = NULL;
	struct crak_image_error ierr = { 0 };
	struct crak_checkpoint arg;
	struct crak_image_reader r;
	struct stopped st = { 0 };
	struct crak_net net = { 0 };
	struct crak_inspect ins;
	bool leave = false, kill = false, written = false;
	char held[96] = "";
	u64 moved = 0;
	u8 *img = NULL;
	double t0, ms;
	u32 pid, flags = 0;
	int c, fd, err, ret = EXIT_FAIL;

	argv[0] = "crak checkpoint";
	while ((c = getopt_long(argc, argv, "o:slkd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 's':
			flags |= CRAK_CKPT_SKIP_UNSUPPORTED;
			break;
		case 'l':
			leave = true;
			break;
		case 'k':
			kill = true;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'h':
			fputs(help_checkpoint, stdout);
			return EXIT_OK;
		default:
			return usage_error("checkpoint ", NULL);
		}
	}
	err = pid_operand("checkpoint", argc, argv, &pid);
	if (err)
		return err;
	if (!out || !*out)
		return usage_error("checkpoint ", "checkpoint: -o IMAGE missing");
	if (leave && kill)
		return usage_error("checkpoint ", "checkpoint: --leave-running and --kill exclude each other");
	if (PARSE_ONLY)
		return EXIT_OK;
	if (!strcmp(out, "-") && isatty(STDOUT_FILENO)) {
		crak_err("refusing to write a binary image to a terminal");
		return EXIT_FAIL;
	}

	fd = dev_open(dev, "crak.ko is not loaded");
	if (fd < 0)
		return EXIT_FAIL;
	/*
	 * The module judges access before the process is stopped (an
	 * inspection of no socket); its start time then guards the PID.
	 */
	memset(&ins, 0, sizeof(ins));
	ins.pid = pid;
	if (ioctl(fd, CRAK_IOC_INSPECT, &ins)) {
		memset(&arg, 0, sizeof(arg));
		report_checkpoint_error(fd, dev, pid, errno, &arg, false);
		close(fd);
		return EXIT_FAIL;
	}
	t0 = mono_ms();
	if (stop_target(pid, &st)) {
		close(fd);
		return EXIT_FAIL;
	}
	/* Its vnif pairs hold every packet from here on. */
	if (net_op(fd, dev, pid, ins.start_time, CRAK_NET_FREEZE, &net))
		goto out;
	img = checkpoint_pid(fd, dev, pid, flags, ins.start_time, &arg);
	ms = mono_ms() - t0;
	if (!img)
		goto out;

	/* The module's image, checked by the tool's copy of the codec. */
	if (crak_image_open(&r, img, arg.len, &ierr)) {
		report_codec_error(out, "the module wrote an invalid image: ",
				   ierr.what, ierr.section, ierr.offset);
		goto out;
	}
	/* Written, and synced, before the process may be killed. */
	if (!strcmp(out, "-")) {
		if (write_all(STDOUT_FILENO, img, arg.len) ||
		    (fsync(STDOUT_FILENO) && errno != EINVAL && errno != EROFS)) {
			crak_err("standard output: %s", strerror(errno));
			goto out;
		}
	} else if (write_atomic(out, img, arg.len)) {
		goto out;
	}
	written = true;
	if (kill && kill_target(pid, &r, fd, dev, ins.start_time, flags, img,
				arg.len, image_vnifs(&r), &moved))
		goto out;
	if (kill && moved)
		snprintf(held, sizeof(held), ", %llu frame%s moved",
			 (unsigned long long)moved, plural(moved));
	if (kill && net.vnifs)
		snprintf(held + strlen(held), sizeof(held) - strlen(held),
			 ", %u vnif device%s holding", net.vnifs,
			 plural(net.vnifs));
	if (strcmp(out, "-"))
		printf("%s: pid %u, %u socket%s, %u datagram%s, %llu bytes, %.0f ms%s%s\n",
		       out, pid, arg.sockets, plural(arg.sockets), arg.datagrams,
		       plural(arg.datagrams), (unsigned long long)arg.len, ms,
		       held, kill ? ", killed" : "");
	if (arg.skipped)
		crak_err("warning: %u: %u socket%s left out (--skip-unsupported)",
			 pid, arg.skipped, plural(arg.skipped));
	ret = EXIT_OK;
out:
	/*
	 * Killed, its pairs left holding what comes for it; or let run on,
	 * the pairs this checkpoint froze thawed: never left stopped.
	 */
	if ((ret || !kill) && net.changed &&
	    net_op(fd, dev, pid, ins.start_time, CRAK_NET_THAW, &net))
		ret = EXIT_FAIL;
	/* An image of a process that runs on must not be restarted. */
	if (ret && kill && written && strcmp(out, "-") && unlink(out))
		crak_err("warning: %s: cannot remove it: %s", out,
			 strerror(errno));
	close(fd);
	resume_target(&st);
	if (!ret && kill)
		wait_gone(pid);
	free(img);
	if (fflush(stdout) || ferror(stdout)) {
		crak_err("standard output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}

/* The highest descriptor a restored socket goes to, plus one. */
static int restart_top(const struct crak_restore_fd *fds, u32 n, bool listen)
{
	int top = 3 + (int)n;
	u32 i;

	if (listen)
		return top;
	for (i = 0; i < n; i++)
		if (fds[i].target_fd >= top)
			top = fds[i].target_fd + 1;
	return top;
}

/*
 * Moves the restored sockets to their numbers: first all above every
 * target number, so that none overwrites another on its way, then each to
 * its place (dup2 clears FD_CLOEXEC there).
 */
static int restart_place(struct crak_restore_fd *fds, u32 n, bool listen)
{
	int top = restart_top(fds, n, listen), fd;
	u32 i;

	for (i = 0; i < n; i++) {
		fd = fcntl(fds[i].fd, F_DUPFD_CLOEXEC, top);
		if (fd < 0)
			return -1;
		close(fds[i].fd);
		fds[i].fd = fd;
	}
	for (i = 0; i < n; i++) {
		int to = listen ? 3 + (int)i : fds[i].target_fd;

		if (dup2(fds[i].fd, to) < 0)
			return -1;
		close(fds[i].fd);
		fds[i].fd = to;
	}
	return 0;
}

/* CRAK_FDS, and LISTEN_* when the sockets are at 3, 4, ... */
static int restart_env(const struct crak_restore_fd *fds, u32 n, bool listen)
{
	char num[16], *list, *names;
	size_t len = (size_t)n * 16 + 1;
	bool contiguous = true;
	int ret = -1;
	u32 i;

	list = calloc(1, len);
	names = calloc(1, len);
	if (!list || !names)
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%s%d", i ? "," : "", fds[i].fd);
		strcat(list, num);
		snprintf(num, sizeof(num), "%sfd%d", i ? ":" : "",
			 fds[i].target_fd);
		strcat(names, num);
		if (fds[i].fd != 3 + (int)i)
			contiguous = false;
	}
	if (setenv("CRAK_FDS", list, 1))
		goto out;
	if (n && (contiguous || listen)) {
		snprintf(num, sizeof(num), "%u", n);
		if (setenv("LISTEN_FDS", num, 1) ||
		    setenv("LISTEN_FDNAMES", names, 1))
			goto out;
		snprintf(num, sizeof(num), "%d", (int)getpid());
		if (setenv("LISTEN_PID", num, 1))
			goto out;
	} else {
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		unsetenv("LISTEN_PID");
	}
	ret = 0;
out:
	free(list);
	free(names);
	return ret;
}

/*
 * Before anything is built: COMMAND must be something exec can run, so
 * that sockets are not rebuilt for nothing. 0, or the exit status.
 */
static int restart_can_exec(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];
	const char *p, *end;

	if (strchr(cmd, '/')) {
		if (!access(cmd, X_OK))
			return 0;
		crak_err("%s: %s", cmd, strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; ; p = end + 1) {
		end = strchrnul(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), p, cmd);
		if (!access(buf, X_OK))
			return 0;
		if (!*end)
			break;
	}
	crak_err("%s: command not found", cmd);
	return 127;
}

/* The file of --netns: a path, or the name of an ip netns. */
static int restart_netns_open(const char *ns, char *path, size_t len)
{
	int fd;

	if (strchr(ns, '/'))
		snprintf(path, len, "%s", ns);
	else
		snprintf(path, len, "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		crak_err("%s: %s%s", path, strerror(errno),
			 errno == ENOENT && !strchr(ns, '/') ?
			 " (no such ip netns)" : "");
	return fd;
}

static int restart_netns(int fd, const char *path)
{
	if (setns(fd, CLONE_NEWNET)) {
		crak_err("%s: setns: %s%s", path, strerror(errno),
			 errno == EINVAL ? " (not a network namespace)" : "");
		return -1;
	}
	return 0;
}

/*
 * crak restart: the vnif pairs of the image's VNIF sections, built again
 * before its sockets: the inner end in --netns with the recorded name,
 * MAC, MTU, addresses and routes, the outer end here; frozen with the
 * recorded limits, loaded with the frames the old pair held.
 */
struct rvnif {
	struct crak_vnif v;
	struct crak_section qsec;	/* its VNIF_QUEUE */
	char what[IFNAMSIZ + 16];	/* "restart: vnif eth0" */
	struct vnl_ends e;		/* the pair made */
};

struct rpairs {
	const char *img;	/* for messages */
	const char *ns;
	const char *bridge;
	const char *host_ifname;
	int nsfd;
	struct vnl_rt rt;
	struct nl_sock *genl;
	struct rvnif *v;
	u32 n;
};

/* The VNIF sections of the image, each with its VNIF_QUEUE. */
static int rpairs_collect(struct rpairs *rp, const struct crak_image_reader *r0)
{
	struct crak_image_reader r = *r0;
	struct crak_section sec;
	u32 n;

	rp->n = image_vnifs(r0);
	if (!rp->n)
		return 0;
	rp->v = calloc(rp->n, sizeof(*rp->v));
	if (!rp->v) {
		crak_err("%s", strerror(ENOMEM));
		return -1;
	}
	r = *r0;
	n = 0;
	while (crak_image_next(&r, &sec) > 0) {
		if (sec.type == CRAK_SEC_VNIF) {
			if (crak_vnif_get(&sec, &rp->v[n].v))
				goto bad;
		} else if (sec.type == CRAK_SEC_VNIF_QUEUE) {
			/* The codec saw to it: right after its VNIF. */
			rp->v[n++].qsec = sec;
		}
	}
	if (n == rp->n)
		return 0;
bad:
	crak_err("%s: the VNIF sections cannot be decoded", rp->img);
	return -1;
}

/* The netlink sockets: here (rtnetlink, vnif's family) and in the netns. */
static int rpairs_open(struct rpairs *rp)
{
	char what[64];

	snprintf(what, sizeof(what), "restart: netns %s", rp->ns);
	if (vnl_rt_open(&rp->rt, rp->nsfd, rp->ns, what))
		return -1;
	rp->genl = vnl_genl_open();
	if (!rp->genl)
		return -1;
	if (rp->bridge && vnl_rt_bridge(&rp->rt, rp->bridge, "restart"))
		return -1;
	return 0;
}

static void rpairs_close(struct rpairs *rp)
{
	vnl_rt_close(&rp->rt);
	if (rp->genl)
		nl_socket_free(rp->genl);
	rp->genl = NULL;
	if (rp->nsfd >= 0)
		close(rp->nsfd);
	rp->nsfd = -1;
	free(rp->v);
	rp->v = NULL;
}

/* Deletes every pair made: deleting one end deletes the pair. */
static void rpairs_remove(struct rpairs *rp)
{
	u32 i, removed = 0;

	for (i = 0; i < rp->n; i++)
		if (rp->v[i].e.made && !vnl_pair_del(&rp->rt, &rp->v[i].e))
			removed++;
	if (removed)
		crak_err("restart: removed the %u vnif pair%s made", removed,
			 plural(removed));
}

/* A vnif request by the outer end's ifindex: freeze or thaw. */
static int rpair_gate(struct rpairs *rp, struct rvnif *p, u8 cmd,
		      struct vnl_req *q)
{
	struct nl_msg *msg = vnl_genl_msg(cmd, 0, NULL, 0);

	vnl_check(nla_put_u32(msg, VNIF_A_IFINDEX, p->e.outer));
	q->parse = NULL;
	return vnl_talk(rp->genl, msg, q);
}

/* The image's frames into the frozen pair, both directions, in order. */
static int rpair_load(struct rpairs *rp, struct rvnif *p, const char *what,
		      u32 *loaded)
{
	struct vnl_load lc = {};
	struct crak_frame fr;
	struct crak_queue q;
	int ret;

	*loaded = 0;
	if (crak_vnif_queue_get(&p->qsec, &q)) {
		crak_err("%s: the VNIF_QUEUE section cannot be decoded", what);
		return -1;
	}
	lc.sk = rp->genl;
	lc.ifname = p->e.outer_name;
	lc.what = what;
	lc.total = q.count;
	while ((ret = crak_vnif_queue_next(&q, &fr)) > 0)
		if (vnl_load_add(&lc, fr.dir == CRAK_FRAME_INGRESS ?
				 VNIF_DIR_INGRESS : VNIF_DIR_EGRESS,
				 true, fr.tstamp_ns, fr.data, fr.len))
			goto fail;
	if (ret < 0) {
		crak_err("%s: a frame of the VNIF_QUEUE section cannot be decoded",
			 what);
		goto fail;
	}
	if (vnl_load_flush(&lc))
		goto fail;
	*loaded = (u32)lc.loaded;
	return 0;
fail:
	vnl_load_end(&lc);
	return -1;
}

static const char *rt_table_name(u32 table, char *s, size_t n)
{
	if (table == RT_TABLE_MAIN)
		return "main";
	snprintf(s, n, "%u", table);
	return s;
}

/* The routes without a gateway first: those with one may need them. */
static int rpair_routes(struct rpairs *rp, struct rvnif *p, bool gateways)
{
	char step[224], dst[64], gw[64], tbl[16];
	struct crak_vnif_route cr;
	struct vnl_route vr;
	struct vnl_req q = {};
	u32 i;

	for (i = 0; i < p->v.nroutes; i++) {
		if (crak_vnif_route_get(&p->v, i, &cr)) {
			crak_err("restart: vnif %s: route record %u cannot be decoded",
				 p->v.ifname, i);
			return -1;
		}
		if (!!(cr.flags & CRAK_ROUTE_GATEWAY) != gateways)
			continue;
		memset(&vr, 0, sizeof(vr));
		vr.family = cr.family;
		memcpy(vr.dst, cr.dst, sizeof(vr.dst));
		vr.dst_len = cr.dst_len;
		memcpy(vr.gw, cr.gw, sizeof(vr.gw));
		vr.has_gw = gateways;
		vr.protocol = cr.protocol;
		vr.scope = cr.scope;
		vr.type = cr.type;
		vr.table = cr.table;
		vr.metric = cr.metric;
		if (!vnl_addroute(rp->rt.inner, p->e.inner, &vr, &q))
			continue;
		vnl_ntop(cr.family, cr.dst, cr.dst_len, dst, sizeof(dst));
		if (gateways)
			vnl_ntop(cr.family, cr.gw, -1, gw, sizeof(gw));
		snprintf(step, sizeof(step),
			 "restart: vnif %s: add route %s%s%s table %s metric %u",
			 p->v.ifname, dst, gateways ? " via " : "",
			 gateways ? gw : "", rt_table_name(cr.table, tbl, sizeof(tbl)),
			 cr.metric);
		vnl_report(step, &q);
		return -1;
	}
	return 0;
}

/* The addresses, after the inner end is up (if it was). */
static int rpair_addrs(struct rpairs *rp, struct rvnif *p)
{
	struct crak_vnif_addr ca;
	struct vnl_addr va;
	struct vnl_req q = {};
	char step[160], text[64];
	u32 i;

	for (i = 0; i < p->v.naddrs; i++) {
		if (crak_vnif_addr_get(&p->v, i, &ca)) {
			crak_err("restart: vnif %s: address record %u cannot be decoded",
				 p->v.ifname, i);
			return -1;
		}
		memset(&va, 0, sizeof(va));
		va.family = ca.family;
		memcpy(va.addr, ca.addr, sizeof(va.addr));
		va.plen = ca.prefixlen;
		va.scope = ca.scope;
		va.flags = ca.flags;
		if (!vnl_addaddr(rp->rt.inner, p->e.inner, &va, &q))
			continue;
		vnl_ntop(ca.family, ca.addr, ca.prefixlen, text, sizeof(text));
		snprintf(step, sizeof(step),
			 "restart: vnif %s: add address %s in netns %s",
			 p->v.ifname, text, rp->ns);
		vnl_report(step, &q);
		return -1;
	}
	return 0;
}

/* One pair, frozen, loaded, addressed and routed: 0, or -1 said. */
static int rpair_build(struct rpairs *rp, struct rvnif *p, bool verbose)
{
	struct vnl_pair pair = {};
	struct vnl_req q = {};
	const char *name = p->v.ifname;
	char step[192];
	u32 loaded;

	pair.outer = rp->host_ifname;
	pair.inner = name;
	pair.mac = p->v.mac;
	pair.mtu = p->v.mtu;
	pair.nsfd = rp->nsfd;
	pair.limit_packets = p->v.limit_packets;
	pair.limit_bytes = p->v.limit_bytes;
	pair.deadline_ms = p->v.deadline_ms;
	pair.has_deadline = true;
	pair.policy = p->v.deadline_policy;
	pair.has_policy = true;
	snprintf(p->what, sizeof(p->what), "restart: vnif %s", name);
	p->e.what = p->what;
	p->e.named = true;
	/* Once made, a failure removes the pair again: rpairs_remove(). */
	if (vnl_pair_new(&rp->rt, &pair, &p->e) ||
	    vnl_pair_find(&rp->rt, &p->e))
		return -1;

	/* Frozen before anything can cross it, then the frames it held. */
	if (rpair_gate(rp, p, VNIF_CMD_FREEZE, &q)) {
		snprintf(step, sizeof(step), "%s: freeze %s", p->what,
			 p->e.outer_name);
		vnl_report(step, &q);
		return -1;
	}
	snprintf(step, sizeof(step), "%s: load %u frame%s into %s", p->what,
		 p->v.nframes, plural(p->v.nframes), p->e.outer_name);
	if (rpair_load(rp, p, step, &loaded))
		return -1;

	if (vnl_pair_up(&rp->rt, &p->e, p->v.flags & CRAK_VNIF_UP) ||
	    rpair_addrs(rp, p) || rpair_routes(rp, p, false) ||
	    rpair_routes(rp, p, true))
		return -1;
	if (verbose)
		crak_err("%s: vnif %s <-> %s%s%s: %u address%s, %u route%s, %u frame%s loaded",
			 rp->img, name, p->e.outer_name, rp->bridge ? " on " : "",
			 rp->bridge ? rp->bridge : "", p->v.naddrs,
			 p->v.naddrs == 1 ? "" : "es", p->v.nroutes,
			 plural(p->v.nroutes), loaded, plural(loaded));
	return 0;
}

/* Every pair of the image, or none: 0, or -1 with those made removed. */
static int rpairs_build(struct rpairs *rp, bool verbose)
{
	u32 i;

	if (rpairs_open(rp))
		return -1;
	for (i = 0; i < rp->n; i++) {
		if (rpair_build(rp, &rp->v[i], verbose)) {
			rpairs_remove(rp);
			return -1;
		}
	}
	return 0;
}

/*
 * --no-vnif: the pairs were made beforehand, and frozen. The frames the
 * image carries (CRAK_NET_TRIM took them off the old pair) go into the
 * pair of the recorded name here, in the namespace restart has entered:
 * left out, they would be lost. Called before any socket is built.
 */
static int rpairs_load_existing(struct rpairs *rp, bool verbose)
{
	char what[96];
	u32 i, loaded;

	for (i = 0; i < rp->n; i++) {
		struct rvnif *p = &rp->v[i];

		if (!p->v.nframes)
			continue;
		if (!rp->genl) {
			rp->genl = vnl_genl_open();
			if (!rp->genl)
				return -1;
		}
		snprintf(what, sizeof(what),
			 "restart: vnif %s (made beforehand, --no-vnif)",
			 p->v.ifname);
		/* The inner end, by its name in this namespace. */
		memcpy(p->e.outer_name, p->v.ifname, sizeof(p->e.outer_name));
		if (rpair_load(rp, p, what, &loaded))
			return -1;
		if (verbose)
			crak_err("%s: vnif %s: %u frame%s of the image loaded into the pair made beforehand",
				 rp->img, p->v.ifname, loaded, plural(loaded));
	}
	return 0;
}

/* The sockets are there: the pairs let what they hold go. */
static int rpairs_thaw(struct rpairs *rp)
{
	struct vnl_req q = {};
	char what[96];
	u32 i;

	for (i = 0; i < rp->n; i++) {
		if (!rpair_gate(rp, &rp->v[i], VNIF_CMD_THAW, &q))
			continue;
		snprintf(what, sizeof(what), "restart: vnif %s: thaw %s",
			 rp->v[i].v.ifname, rp->v[i].e.outer_name);
		vnl_report(what, &q);
		return -1;
	}
	return 0;
}

static void report_restore_error(int fd, const char *dev, const char *name,
				 int e, const struct crak_restore *arg)
{
	if (arg->error_fd >= 0) {
		crak_err("%s: cannot restore %.*s", name,
			 (int)sizeof(arg->error), arg->error);
		return;
	}
	switch (e) {
	case EINVAL:
	case EBADMSG:
	case EPROTONOSUPPORT:
	case EFBIG:
		if (arg->error[0]) {
			report_codec_error(name, "crak.ko refuses it: ",
					   arg->error, arg->error_section,
					   arg->error_offset);
			return;
		}
		break;
	case EPERM:
		crak_err("%s: not allowed: restoring needs CAP_NET_ADMIN in the network namespace besides CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN",
			 name);
		return;
	case ENOTTY:
		report_unknown_ioctl(fd, dev, "CRAK_IOC_RESTORE", e);
		return;
	}
	report_ioctl_error(dev, "CRAK_IOC_RESTORE", e);
}

/* When COMMAND cannot run: the restored TCP sockets go without a word. */
static void restart_abandon(const struct crak_restore_fd *fds, u32 n)
{
	int one = 1, type;
	socklen_t len;
	u32 i;

	for (i = 0; i < n; i++) {
		len = sizeof(type);
		if (!getsockopt(fds[i].fd, SOL_SOCKET, SO_TYPE, &type, &len) &&
		    type == SOCK_STREAM)
			setsockopt(fds[i].fd, IPPROTO_TCP, TCP_REPAIR, &one,
				   sizeof(one));
		close(fds[i].fd);
	}
}

/* Options of restart that are about the image's VNIF sections. */
enum { OPT_HOLD = 256, OPT_NO_VNIF };

/* An interface name of an option: 0, or the usage error said. */
static int restart_ifname(const char *opt, const char *name)
{
	if (!*name)
		return usage_error("restart ", "restart: %s needs an interface name",
				   opt);
	if (strlen(name) >= IFNAMSIZ)
		return usage_error("restart ", "restart: %s: '%s' is longer than %d bytes",
				   opt, name, IFNAMSIZ - 1);
	return 0;
}

static int cmd_restart(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "bridge", required_argument, NULL, 'B' },
		{ "host-ifname", required_argument, NULL, 'H' },
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ "no-vnif", no_argument, NULL, OPT_NO_VNIF },
		{ "listen-fds", no_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = CRAK_DEVICE, *netns = NULL;
	struct crak_image_error ierr = { 0 };
	struct crak_restore_fd *fds = NULL;
	struct rpairs rp = { .nsfd = -1 };
	struct crak_net net = { 0 };
	struct crak_image_reader r, r0;
	struct crak_section sec;
	struct crak_restore arg;
	bool listen = false, verbose = false, hold = false, no_vnif = false;
	bool pairs = false;
	char nspath[4096], state[64] = "";
	struct image img = { 0 };
	char **cmd;
	int c, fd, e, ret = EXIT_FAIL;
	u32 n = 0;
	double t0;

	argv[0] = "crak restart";
	/* "+": options end at IMAGE; COMMAND's own are not crak's. */
	while ((c = getopt_long(argc, argv, "+n:B:H:Lvd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			netns = optarg;
			break;
		case 'B':
			if (restart_ifname("--bridge", optarg))
				return EXIT_USAGE;
			rp.bridge = optarg;
			break;
		case 'H':
			if (restart_ifname("--host-ifname", optarg))
				return EXIT_USAGE;
			rp.host_ifname = optarg;
			break;
		case OPT_HOLD:
			hold = true;
			break;
		case OPT_NO_VNIF:
			no_vnif = true;
			break;
		case 'L':
			listen = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'h':
			fputs(help_restart, stdout);
			return EXIT_OK;
		default:
			return usage_error("restart ", NULL);
		}
	}
	if (optind == argc)
		return usage_error("restart ", "restart: IMAGE missing");
	if (netns && !*netns)
		return usage_error("restart ", "restart: --netns needs a name or a path");
	if (no_vnif && (rp.bridge || rp.host_ifname || hold))
		return usage_error("restart ", "restart: --no-vnif excludes --%s: it leaves the VNIF sections out",
				   rp.bridge ? "bridge" : rp.host_ifname ?
				   "host-ifname" : "hold");
	cmd = argv + optind + 1;
	if (*cmd && !strcmp(*cmd, "--"))
		cmd++;
	if (!*cmd)
		return usage_error("restart ", "restart: COMMAND missing (the program that takes the sockets over)");
	if (PARSE_ONLY)
		return EXIT_OK;

	e = restart_can_exec(cmd[0]);
	if (e)
		return e;
	raise_nofile();
	if (image_read(&img, argv[optind]))
		return EXIT_FAIL;
	if (crak_image_open(&r, img.buf, img.len, &ierr)) {
		report_codec_error(img.path, "", ierr.what, ierr.section,
				   ierr.offset);
		goto out;
	}
	r0 = r;
	while (crak_image_next(&r, &sec) > 0)
		n += sec.type == CRAK_SEC_SOCK;

	/* The pairs: what the options ask must fit what the image has. */
	rp.img = img.path;
	rp.ns = netns;
	if (rpairs_collect(&rp, &r0))
		goto out;
	pairs = rp.n > 0 && !no_vnif;
	if (!pairs && (rp.bridge || rp.host_ifname || hold)) {
		ret = usage_error("restart ", "restart: --%s: %s has no VNIF section, no vnif pair to make",
				  rp.bridge ? "bridge" : rp.host_ifname ?
				  "host-ifname" : "hold", img.path);
		goto out;
	}
	if (pairs && !netns) {
		ret = usage_error("restart ", "restart: %s has %u VNIF section%s: --netns is needed for the vnif pair%s (or --no-vnif)",
				  img.path, rp.n, plural(rp.n), plural(rp.n));
		goto out;
	}
	if (pairs && rp.host_ifname && rp.n > 1) {
		ret = usage_error("restart ", "restart: --host-ifname names one pair, and %s has %u VNIF sections",
				  img.path, rp.n);
		goto out;
	}

	fds = calloc(n ? n : 1, sizeof(*fds));
	if (!fds) {
		crak_err("%s", strerror(ENOMEM));
		goto out;
	}
	if (netns) {
		rp.nsfd = restart_netns_open(netns, nspath, sizeof(nspath));
		if (rp.nsfd < 0)
			goto out;
	}
	fd = dev_open(dev, "crak.ko is not loaded");
	if (fd < 0)
		goto out;

	/* The pairs first: the sockets need their addresses. */
	if (pairs && rpairs_build(&rp, verbose)) {
		close(fd);
		goto out;
	}
	if (netns && restart_netns(rp.nsfd, nspath)) {
		close(fd);
		goto out_pairs;
	}
	if (no_vnif && rpairs_load_existing(&rp, verbose)) {
		close(fd);
		goto out;
	}
	t0 = mono_ms();
	memset(&arg, 0, sizeof(arg));
	arg.buf = (uintptr_t)img.buf;
	arg.len = img.len;
	arg.max = n;
	arg.fds = (uintptr_t)fds;
	arg.error_fd = -1;
	if (ioctl(fd, CRAK_IOC_RESTORE, &arg)) {
		e = errno;
		arg.error[sizeof(arg.error) - 1] = '\0';
		report_restore_error(fd, dev, img.path, e, &arg);
		close(fd);
		goto out_pairs;
	}
	/* The address is here now: the vnif devices say so, held if frozen. */
	e = net_op(fd, dev, (u32)getpid(), 0, CRAK_NET_ANNOUNCE, &net);
	close(fd);
	if (e)
		goto out_sockets;
	/* With --hold, the old pair's tail is still to come: frozen still. */
	if (pairs && !hold && rpairs_thaw(&rp))
		goto out_sockets;
	if (pairs)
		snprintf(state, sizeof(state), ", %u vnif pair%s made%s", rp.n,
			 plural(rp.n), hold ? ", frozen (--hold)" : "");
	if (verbose)
		crak_err("%s: %u socket%s, %u datagram%s, %llu bytes, %.0f ms, %u vnif device%s announced%s",
			 img.path, arg.sockets, plural(arg.sockets),
			 arg.datagrams, plural(arg.datagrams),
			 (unsigned long long)arg.bytes, mono_ms() - t0,
			 net.changed, plural(net.changed), state);
	free(img.buf);
	img.buf = NULL;

	if (restart_place(fds, arg.sockets, listen) ||
	    restart_env(fds, arg.sockets, listen)) {
		crak_err("cannot hand the sockets over: %s", strerror(errno));
		goto out_sockets;
	}
	fflush(NULL);
	restore_nofile();
	execvp(cmd[0], cmd);
	e = errno;
	crak_err("%s: %s", cmd[0], strerror(e));
	ret = e == ENOENT ? 127 : 126;
out_sockets:
	restart_abandon(fds, arg.sockets);
out_pairs:
	if (pairs)
		rpairs_remove(&rp);
out:
	rpairs_close(&rp);
	free(fds);
	free(img.buf);
	return ret;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "version", cmd_version, help_version },
	{ "show", cmd_show, help_show },
	{ "check", cmd_check, help_check },
	{ "new", cmd_new, help_new },
	{ "inspect", cmd_inspect, help_inspect },
	{ "checkpoint", cmd_checkpoint, help_checkpoint },
	{ "restart", cmd_restart, help_restart },
	{ "help", cmd_help, help_main },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc > 2)
		return usage_error(NULL, "help: one COMMAND at most");
	if (argc < 2) {
		fputs(help_main, stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return usage_error(NULL, "help: unknown command '%s'", argv[1]);
	fputs(cmd->help, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2)
		return usage_error(NULL, "a COMMAND is needed");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(help_main, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, (char *[]){ "version", NULL });
	cmd = find_command(argv[1]);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[1]);
	return cmd->run(argc - 1, argv + 1);
}

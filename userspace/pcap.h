/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpcap: a small pcapng writer and a pcap / pcapng reader.
 *
 * No dependency beyond libc: the vnif and crak tools both use it.
 *
 * Writer: one section, one interface whose timestamps are nanoseconds
 * (if_tsresol 9), one Enhanced Packet Block per frame, the direction of a
 * frame in the epb_flags option (inbound / outbound). The file is written
 * in the host's byte order, as pcapng allows; readers follow the section
 * header's byte-order magic.
 *
 * Reader: classic pcap (microsecond and nanosecond magics, either byte
 * order, version 2.x) and pcapng (any number of sections, each in its own
 * byte order; interfaces with any if_tsresol and if_tsoffset; Enhanced,
 * Simple and the obsolete Packet Blocks; every other block is skipped).
 * Everything is checked: a block whose length is not a multiple of 4,
 * smaller than its fixed part, larger than VPCAP_MAX_BLOCK or running past
 * the end of the file, a record larger than its interface's snapshot
 * length or than VPCAP_MAX_CAPLEN, a packet of an undeclared interface, a
 * timestamp that does not fit in 64 bits of nanoseconds. The error names
 * the record (or block) and its byte offset in the file. Memory use is
 * bounded by VPCAP_MAX_BLOCK plus the interface table (VPCAP_MAX_IFACES).
 */
#ifndef VPCAP_H
#define VPCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VPCAP_LINKTYPE_ETHERNET	1

/* The most one record may capture: libpcap's own bound (MAXIMUM_SNAPLEN). */
#define VPCAP_MAX_CAPLEN	262144
/* The most one pcapng block may take: a record plus generous options. */
#define VPCAP_MAX_BLOCK		(VPCAP_MAX_CAPLEN + 65536)
/* The most interfaces one pcapng section may declare. */
#define VPCAP_MAX_IFACES	1024

enum vpcap_dir {
	VPCAP_DIR_UNKNOWN,	/* not recorded */
	VPCAP_DIR_IN,		/* inbound: received on the interface */
	VPCAP_DIR_OUT,		/* outbound: sent by the interface */
};

enum vpcap_format {
	VPCAP_FMT_NONE,		/* nothing read yet */
	VPCAP_FMT_PCAP_US,	/* classic pcap, microseconds */
	VPCAP_FMT_PCAP_NS,	/* classic pcap, nanoseconds */
	VPCAP_FMT_PCAPNG,
};

/* One packet record, as vpcap_read() returns it. */
struct vpcap_record {
	uint64_t index;		/* 1 for the first packet record of the file */
	uint64_t offset;	/* byte offset of its record header or block */
	uint64_t tstamp_ns;	/* nanoseconds since the epoch (UTC) */
	int has_tstamp;		/* 0 for a pcapng Simple Packet Block */
	uint32_t caplen;	/* bytes at data */
	uint32_t origlen;	/* bytes the frame had on the wire */
	uint32_t linktype;	/* LINKTYPE_* of its interface */
	uint32_t snaplen;	/* of its interface; 0 when unlimited */
	uint32_t iface;		/* pcapng interface id; 0 in classic pcap */
	enum vpcap_dir dir;
	const uint8_t *data;	/* valid until the next vpcap_read() */
};

/*
 * Writer. Each function returns 0, or -1 with errno set when the stream
 * reports an error; the caller checks fflush()/fclose() at the end too.
 */

/*
 * The Section Header Block and the one Interface Description Block.
 * @appl names the writing application (shb_userappl), @ifname the
 * interface (if_name); either may be NULL. @snaplen 0 means unlimited.
 */
int vpcap_write_header(FILE *f, const char *appl, const char *ifname,
		       uint16_t linktype, uint32_t snaplen);

/*
 * One Enhanced Packet Block on interface 0: @caplen bytes of @data, of a
 * frame that had @origlen, received at @tstamp_ns; @dir is recorded in
 * epb_flags unless it is VPCAP_DIR_UNKNOWN.
 */
int vpcap_write_packet(FILE *f, uint64_t tstamp_ns, enum vpcap_dir dir,
		       const void *data, uint32_t caplen, uint32_t origlen);

/* Reader. */
struct vpcap_reader;

/*
 * A reader of @f from its current position, which is taken as offset 0.
 * Returns NULL when out of memory. Nothing is read before vpcap_read().
 */
struct vpcap_reader *vpcap_reader_new(FILE *f);

/*
 * The next packet record into @rec: 1, or 0 at the end of the file, or
 * -1 on an error that vpcap_reader_error() describes. Once it returned 0
 * or -1, it keeps returning the same.
 */
int vpcap_read(struct vpcap_reader *r, struct vpcap_record *rec);

/* What went wrong, for example "record 3 at byte offset 1208: ..." */
const char *vpcap_reader_error(const struct vpcap_reader *r);

/* The format found, once vpcap_read() was called. */
enum vpcap_format vpcap_reader_format(const struct vpcap_reader *r);

/* "pcap", "pcap (nanosecond)", "pcapng" or "unknown". */
const char *vpcap_format_name(enum vpcap_format fmt);

void vpcap_reader_free(struct vpcap_reader *r);

#endif /* VPCAP_H */

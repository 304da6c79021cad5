// SPDX-License-Identifier: GPL-2.0
/*
 * The pcap / pcapng reader of `vnif load`, userspace/pcap.c: the input is
 * a capture file, read from an in-memory stream record by record to the
 * end or the first error, as load_pass() does; then, as `vnif load` does,
 * read a second time from the start, which must give the same records.
 *
 * Each record is checked against what pcap.h promises, and written again
 * with the pcapng writer of `vnif dump`: reading that back must give the
 * same frames, lengths, directions and timestamps.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap.h"
#include "fuzz.h"

/* What one pass saw: the number of records, their hash, how it ended. */
struct pass {
	uint64_t records;
	uint64_t hash;
	int end;
};

/* FNV-1a, 64 bits. */
static uint64_t hash(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The fields a pcapng rewrite keeps. */
static uint64_t hash_record(uint64_t h, const struct vpcap_record *rec)
{
	uint64_t ts = rec->has_tstamp ? rec->tstamp_ns : 0;
	uint32_t dir = rec->dir;

	h = hash(h, &ts, sizeof(ts));
	h = hash(h, &rec->caplen, sizeof(rec->caplen));
	h = hash(h, &rec->origlen, sizeof(rec->origlen));
	h = hash(h, &dir, sizeof(dir));
	return hash(h, rec->data, rec->caplen);
}

static void check_record(const struct vpcap_record *rec, uint64_t index,
			 size_t size)
{
	if (rec->index != index || rec->offset >= size ||
	    rec->caplen > VPCAP_MAX_CAPLEN || rec->caplen > rec->origlen ||
	    (rec->snaplen && rec->caplen > rec->snaplen) ||
	    rec->caplen > size - rec->offset ||
	    (rec->caplen && !rec->data) || rec->dir > VPCAP_DIR_OUT)
		abort();
}

/*
 * Reads @f from where it is to the end or an error. With @out, writes each
 * record there as pcapng.
 */
static void read_all(FILE *f, size_t size, struct pass *ps, FILE *out)
{
	struct vpcap_record rec;
	struct vpcap_reader *r;
	const char *e;

	ps->records = 0;
	ps->hash = 0xcbf29ce484222325ULL;
	r = vpcap_reader_new(f);
	if (!r)
		abort();
	if (out && vpcap_write_header(out, "fuzz", "fuzz0",
				      VPCAP_LINKTYPE_ETHERNET, 0))
		abort();
	while ((ps->end = vpcap_read(r, &rec)) > 0) {
		check_record(&rec, ++ps->records, size);
		ps->hash = hash_record(ps->hash, &rec);
		if (out && vpcap_write_packet(out,
					      rec.has_tstamp ? rec.tstamp_ns : 0,
					      rec.dir, rec.data, rec.caplen,
					      rec.origlen))
			abort();
	}
	/* It says what is wrong, and keeps saying the same. */
	e = vpcap_reader_error(r);
	if (ps->end < -1 || !e || !e[0] ||
	    (ps->end < 0 && !strcmp(e, "no error")) ||
	    vpcap_read(r, &rec) != ps->end ||
	    !vpcap_format_name(vpcap_reader_format(r)))
		abort();
	vpcap_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t empty[1];
	struct pass first, second, back;
	char *copy = NULL;
	size_t copy_len = 0;
	FILE *f, *out;

	/* fmemopen() reads, and does not write, in mode "r". */
	f = fmemopen(size ? (void *)data : empty, size, "r");
	out = open_memstream(&copy, &copy_len);
	if (!f || !out)
		abort();
	read_all(f, size, &first, out);

	/* vnif load reads the file twice: once to check it, once to send it. */
	if (fseek(f, 0, SEEK_SET))
		abort();
	read_all(f, size, &second, NULL);
	if (first.records != second.records || first.hash != second.hash ||
	    first.end != second.end)
		abort();
	fclose(f);

	/* What the pcapng writer made of it reads back the same. */
	if (fclose(out))
		abort();
	f = fmemopen(copy, copy_len, "r");
	if (!f)
		abort();
	read_all(f, copy_len, &back, NULL);
	if (back.end || back.records != first.records || back.hash != first.hash)
		abort();
	fclose(f);
	free(copy);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the fuzz targets that drive a tool's main(); see fuzz.h.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char *dup_arg(const uint8_t *p, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

int fuzz_argv_build(struct fuzz_argv *a, const char *prog,
		    const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nul;

	if (size > FUZZ_ARGV_BYTES)
		return -1;
	a->nowned = 0;
	a->argc = 0;
	a->owned[a->nowned++] = dup_arg((const uint8_t *)prog, strlen(prog));
	a->argv[a->argc++] = a->owned[0];
	while (p < end && a->argc <= FUZZ_ARGS_MAX) {
		nul = memchr(p, '\0', end - p);
		a->owned[a->nowned] = dup_arg(p, (nul ? nul : end) - p);
		a->argv[a->argc++] = a->owned[a->nowned++];
		if (!nul)
			break;
		p = nul + 1;
	}
	a->argv[a->argc] = NULL;
	return 0;
}

void fuzz_argv_free(struct fuzz_argv *a)
{
	while (a->nowned)
		free(a->owned[--a->nowned]);
}

void fuzz_quiet(void)
{
	FILE *null;

	if (getenv("FUZZ_VERBOSE"))
		return;
	null = fopen("/dev/null", "w");
	if (!null)
		abort();
	fflush(stdout);
	if (dup2(fileno(null), STDOUT_FILENO) < 0)
		abort();
	/* glibc's stderr is a plain variable; libFuzzer kept its own copy. */
	stderr = null;
}

void fuzz_getopt_reset(void)
{
	static char *const none[] = { "fuzz", NULL };

	optind = 0;
	while (getopt(1, none, "") != -1)
		;
}

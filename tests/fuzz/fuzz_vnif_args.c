// SPDX-License-Identifier: GPL-2.0
/*
 * The argument parsers of the vnif tool: the input is an argv, one
 * argument per NUL-terminated string, after "vnif". userspace/vnif.c is
 * built with VNIF_FUZZ_ARGS, so that each command returns once its
 * arguments are parsed and checked: no socket, file or namespace is
 * touched, and the tool's main() is vnif_main().
 */

#include <stdlib.h>

#include "fuzz.h"

int vnif_main(int argc, char **argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	int ret;

	if (fuzz_argv_build(&a, "vnif", data, size))
		return -1;
	fuzz_getopt_reset();
	ret = vnif_main(a.argc, a.argv);
	/* The documented exit statuses: 0 done, 1 failed, 2 usage. */
	if (ret < 0 || ret > 2)
		abort();
	fuzz_argv_free(&a);
	return 0;
}

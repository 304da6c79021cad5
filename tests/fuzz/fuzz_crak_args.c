// SPDX-License-Identifier: GPL-2.0
/*
 * The argument parsers of the crak tool: the input is an argv, one
 * argument per NUL-terminated string, after "crak". userspace/crak.c is
 * built with CRAK_FUZZ_ARGS, so that each command returns once its
 * arguments are parsed and checked (crak new once the image is encoded in
 * memory): no file or device is touched, and the tool's main() is
 * crak_main().
 */

#include <stdlib.h>

#include "fuzz.h"

int crak_main(int argc, char **argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	/* crak new writes the time in META: the same one every run. */
	if (setenv("SOURCE_DATE_EPOCH", "1700000000", 1))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	int ret;

	if (fuzz_argv_build(&a, "crak", data, size))
		return -1;
	fuzz_getopt_reset();
	ret = crak_main(a.argc, a.argv);
	/* The documented exit statuses: 0 success, 1 failure, 2 usage. */
	if (ret < 0 || ret > 2)
		abort();
	fuzz_argv_free(&a);
	return 0;
}

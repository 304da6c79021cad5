/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzz targets of tests/fuzz share: the libFuzzer entry points
 * (declared here, as -Wmissing-prototypes wants) and, for the targets that
 * drive a tool's main(), the input turned into an argv.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer calls these, if defined. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);
/* libFuzzer provides this one: its own mutations. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* At most this many arguments after the program name; the rest is ignored. */
#define FUZZ_ARGS_MAX	64
/* Inputs longer than this are not run. */
#define FUZZ_ARGV_BYTES	8192

struct fuzz_argv {
	int argc;
	char *argv[FUZZ_ARGS_MAX + 2];
	/* What was allocated: the tools may reorder or replace argv[]. */
	char *owned[FUZZ_ARGS_MAX + 1];
	int nowned;
};

/*
 * @prog, then one argument per NUL-terminated string of @data (the last
 * one may lack its NUL): "a\0b" and "a\0b\0" are both a, b; "\0" is one
 * empty argument. Each argument is a heap block of its exact size, so that
 * ASan sees a read past its end. 0, or -1 when @data is too long.
 */
int fuzz_argv_build(struct fuzz_argv *a, const char *prog,
		    const uint8_t *data, size_t size);
void fuzz_argv_free(struct fuzz_argv *a);

/*
 * The tools' output goes to /dev/null: stdout (the descriptor too) and the
 * stderr stream. libFuzzer and the sanitizers keep the real stderr. Not
 * when FUZZ_VERBOSE is set in the environment.
 */
void fuzz_quiet(void);

/*
 * getopt() as a new process finds it: glibc keeps a pointer into the last
 * argv it parsed, which optind = 0 alone does not reset when the tool then
 * sets optind = 1 itself.
 */
void fuzz_getopt_reset(void);

#endif /* FUZZ_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit expectation that fails, on purpose, for tests/vm/harness-test.sh:
 * make check must report it by name and fail. Loaded only by that script.
 */

#include <kunit/test.h>
#include <linux/module.h>

static void harness_kunit_fail_expectation(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1, 2, "failing on purpose");
}

static struct kunit_case harness_kunit_fail_cases[] = {
	KUNIT_CASE(harness_kunit_fail_expectation),
	{}
};

static struct kunit_suite harness_kunit_fail_suite = {
	.name = "harness_kunit_fail",
	.test_cases = harness_kunit_fail_cases,
};

kunit_test_suite(harness_kunit_fail_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A failing KUnit expectation, to test the test harness");

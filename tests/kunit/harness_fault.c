// SPDX-License-Identifier: GPL-2.0
/*
 * Faults on purpose, for tests/vm/harness-test.sh: proves that the check
 * harness fails, and names why, when a module WARNs, leaks or hangs.
 * Loaded only by that script. (The failing KUnit expectation lives in
 * harness_kunit_fail.c: a module's suites run before its parameters are
 * parsed, so a parameter cannot switch one on.)
 */

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN_ON(1) in module init");
static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak one allocation in module init");
static bool hang;
module_param(hang, bool, 0444);
MODULE_PARM_DESC(hang, "never return from module init");

static void *harness_fault_sink;

static int __init harness_fault_init(void)
{
	WARN_ON(warn);
	if (leak) {
		/* Reachable through the sink, then not: kmemleak must see it. */
		harness_fault_sink = kmalloc(128, GFP_KERNEL);
		harness_fault_sink = NULL;
	}
	while (hang)
		msleep_interruptible(1000);
	return 0;
}

static void __exit harness_fault_exit(void)
{
}

module_init(harness_fault_init);
module_exit(harness_fault_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Faults on purpose, to test the test harness");

// SPDX-License-Identifier: GPL-2.0
/*
 * vnif: a virtual network device pair that holds its traffic, in order,
 * while the process behind it moves, and carries it to another host.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "vnif.h"

static int __init vnif_init(void)
{
	int err;

	err = vnif_device_init();
	if (err)
		return err;
	err = vnif_genl_init();
	if (err)
		goto err_device_uninit;
	return 0;

err_device_uninit:
	vnif_device_uninit();
	return err;
}

static void __exit vnif_exit(void)
{
	vnif_genl_uninit();
	/* Deletes every pair: whatever they hold is dropped and counted. */
	vnif_device_uninit();
}

module_init(vnif_init);
module_exit(vnif_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual network device pair that holds traffic across a checkpoint");
MODULE_ALIAS_RTNL_LINK(VNIF_DRV_NAME);
MODULE_ALIAS_GENL_FAMILY(VNIF_GENL_NAME);

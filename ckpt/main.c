// SPDX-License-Identifier: GPL-2.0
/*
 * crak: CRAK-style checkpoint/restart. This file: module init/exit and the
 * /dev/crak misc device with its ioctls (include/uapi/linux/crak.h);
 * target.c finds and vets the process a request names, inspect.c lists
 * its sockets, checkpoint.c writes them into an image, restore.c builds
 * them again from one (tcp.c: the TCP part).
 */

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "crak.h"
#include "image.h"

static bool crak_capable(void)
{
	return capable(CAP_CHECKPOINT_RESTORE) || capable(CAP_SYS_ADMIN);
}

static long crak_ioc_image_check(struct crak_image_check __user *uarg)
{
	struct crak_image_error ierr = {};
	struct crak_image_reader r;
	struct crak_image_check arg;
	void *buf;
	int err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.len > CRAK_IMAGE_MAX_CHECK)
		return -EFBIG;
	buf = vmemdup_user(u64_to_user_ptr(arg.buf), arg.len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = crak_image_open(&r, buf, arg.len, &ierr);
	kvfree(buf);

	memset(arg.error, 0, sizeof(arg.error));
	if (err) {
		arg.sections = 0;
		arg.error_section = ierr.section;
		arg.error_offset = ierr.offset;
		strscpy(arg.error, ierr.what, sizeof(arg.error));
	} else {
		arg.sections = r.nsections;
		arg.error_section = 0;
		arg.error_offset = 0;
	}
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return err;
}

static long crak_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (!crak_capable())
		return -EPERM;

	switch (cmd) {
	case CRAK_IOC_VERSION: {
		struct crak_version v = {
			.abi = CRAK_ABI_VERSION,
			.image_version = CRAK_IMAGE_VERSION,
		};

		return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
	}
	case CRAK_IOC_IMAGE_CHECK:
		return crak_ioc_image_check(uarg);
	case CRAK_IOC_INSPECT:
		return crak_ioc_inspect(uarg);
	case CRAK_IOC_CHECKPOINT:
		return crak_ioc_checkpoint(uarg);
	case CRAK_IOC_RESTORE:
		return crak_ioc_restore(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations crak_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= crak_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice crak_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "crak",
	.fops	= &crak_fops,
	.mode	= 0600,
};

static int __init crak_init(void)
{
	return misc_register(&crak_misc);
}

static void __exit crak_exit(void)
{
	misc_deregister(&crak_misc);
}

module_init(crak_init);
module_exit(crak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CRAK-style checkpoint/restart of sockets and processes");

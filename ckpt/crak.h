/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crak.ko's internal interfaces between its files.
 */
#ifndef _CRAK_H
#define _CRAK_H

#include <linux/types.h>
#include <uapi/linux/crak.h>

struct file;
struct task_struct;

/* target.c */
struct task_struct *crak_target_get(u32 nr, u64 start_time);
struct file *crak_next_file(struct task_struct *task, unsigned int *fd);

/* inspect.c */
long crak_ioc_inspect(struct crak_inspect __user *uarg);

/* checkpoint.c */
long crak_ioc_checkpoint(struct crak_checkpoint __user *uarg);

#endif /* _CRAK_H */

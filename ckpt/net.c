// SPDX-License-Identifier: GPL-2.0
/*
 * crak: CRAK_IOC_NET, the vnif pairs of a process's network namespace
 * frozen or thawed through vnif.ko's kernel API (include/net/vnif.h), or
 * their addresses announced from the new place.
 *
 * The devices are collected under RTNL with a reference each, then
 * frozen or thawed without it: vnif's calls may sleep and take their own
 * locks. Both ends of a pair may be in the namespace: the second end then
 * finds its pair in the state the first put it in and is left alone.
 */

#include <linux/capability.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/vnif.h>

#include "crak.h"

struct crak_net_dev {
	struct net_device *dev;
	netdevice_tracker tracker;
	bool changed;
};

static struct net *crak_task_net(struct task_struct *task)
{
	struct net *net = NULL;

	task_lock(task);
	if (task->nsproxy)
		net = get_net(task->nsproxy->net_ns);
	task_unlock(task);
	return net;
}

/* The vnif devices of @net, each held; at most CRAK_NET_VNIF_MAX. */
static int crak_net_collect(struct net *net, struct crak_net_dev *devs,
			    u32 *n)
{
	struct net_device *dev;
	int err = 0;

	*n = 0;
	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!vnif_dev_is_vnif(dev))
			continue;
		if (*n == CRAK_NET_VNIF_MAX) {
			err = -E2BIG;
			break;
		}
		netdev_hold(dev, &devs[*n].tracker, GFP_KERNEL);
		devs[*n].dev = dev;
		devs[*n].changed = false;
		(*n)++;
	}
	rtnl_unlock();
	return err;
}

static int crak_net_freeze(struct crak_net *arg, struct crak_net_dev *devs,
			   u32 n)
{
	struct netlink_ext_ack extack = {};
	int err = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (vnif_state(devs[i].dev) == VNIF_STATE_HOLD)
			continue;
		err = vnif_freeze(devs[i].dev, &extack);
		if (err) {
			scnprintf(arg->error, sizeof(arg->error), "%s: %s",
				  netdev_name(devs[i].dev),
				  extack._msg ? extack._msg : "cannot freeze");
			break;
		}
		devs[i].changed = true;
		arg->changed++;
	}
	if (!err)
		return 0;
	/* All or nothing: what this call froze is let go again. */
	while (i--) {
		if (devs[i].changed)
			vnif_thaw(devs[i].dev, NULL);
	}
	arg->changed = 0;
	return err;
}

static void crak_net_thaw(struct crak_net *arg, struct crak_net_dev *devs,
			  u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (vnif_state(devs[i].dev) != VNIF_STATE_HOLD)
			continue;
		if (!vnif_thaw(devs[i].dev, NULL))
			arg->changed++;
	}
}

/* Gratuitous ARP and unsolicited NA for the addresses of each device up. */
static void crak_net_announce(struct crak_net *arg, struct crak_net_dev *devs,
			      u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (!(READ_ONCE(devs[i].dev->flags) & IFF_UP))
			continue;
		netdev_notify_peers(devs[i].dev);
		arg->changed++;
	}
}

long crak_ioc_net(struct crak_net __user *uarg)
{
	struct task_struct *task;
	struct crak_net_dev *devs;
	struct crak_net arg;
	struct net *net;
	u32 n = 0, i;
	long err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	arg.vnifs = 0;
	arg.changed = 0;
	memset(arg.error, 0, sizeof(arg.error));
	if (arg.op != CRAK_NET_FREEZE && arg.op != CRAK_NET_THAW &&
	    arg.op != CRAK_NET_ANNOUNCE)
		return -EINVAL;

	task = crak_target_get(arg.pid, arg.start_time);
	if (IS_ERR(task))
		return PTR_ERR(task);
	arg.start_time = task->start_boottime;
	net = crak_task_net(task);
	put_task_struct(task);
	if (!net)
		return -ESRCH;
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		err = -EPERM;
		goto out_net;
	}
	devs = kcalloc(CRAK_NET_VNIF_MAX, sizeof(*devs), GFP_KERNEL);
	if (!devs) {
		err = -ENOMEM;
		goto out_net;
	}

	err = crak_net_collect(net, devs, &n);
	if (err) {
		strscpy(arg.error, "more vnif devices than CRAK_NET_VNIF_MAX",
			sizeof(arg.error));
		goto out_put;
	}
	arg.vnifs = n;
	if (arg.op == CRAK_NET_FREEZE)
		err = crak_net_freeze(&arg, devs, n);
	else if (arg.op == CRAK_NET_THAW)
		crak_net_thaw(&arg, devs, n);
	else
		crak_net_announce(&arg, devs, n);

out_put:
	for (i = 0; i < n; i++)
		netdev_put(devs[i].dev, &devs[i].tracker);
	kfree(devs);
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		err = -EFAULT;
out_net:
	put_net(net);
	return err;
}

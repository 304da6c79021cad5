// SPDX-License-Identifier: GPL-2.0
/*
 * crak: CRAK_IOC_NET, the vnif pairs of a process's network namespace
 * frozen or thawed through vnif.ko's kernel API (include/net/vnif.h), or
 * their addresses announced from the new place, or the frames a
 * checkpoint image carries trimmed from them (CRAK_NET_TRIM).
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
#include <linux/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/vnif.h>

#include "crak.h"
#include "image.h"

struct net *crak_task_net(struct task_struct *task)
{
	struct net *net = NULL;

	task_lock(task);
	if (task->nsproxy)
		net = get_net(task->nsproxy->net_ns);
	task_unlock(task);
	return net;
}

int crak_net_collect(struct net *net, struct crak_net_dev *devs, u32 *n)
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

void crak_net_release(struct crak_net_dev *devs, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		netdev_put(devs[i].dev, &devs[i].tracker);
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

/* One VNIF of an image to trim: the pair and the frames it carries. */
struct crak_trim {
	struct net_device *dev;		/* held in the devices collected */
	char ifname[CRAK_IFNAMSIZ];
	struct crak_queue q;		/* its VNIF_QUEUE, before the first frame */
	u32 n[__VNIF_DIR_MAX];		/* its frames of each direction */
};

/* The image's frames of each direction, walked beside the pair's. */
struct crak_trim_cursor {
	const struct crak_trim *tr;
	struct crak_queue q[__VNIF_DIR_MAX];
	u32 seen[__VNIF_DIR_MAX];
};

static const char *const crak_dir_name[__VNIF_DIR_MAX] = {
	[VNIF_DIR_INGRESS] = "ingress",
	[VNIF_DIR_EGRESS] = "egress",
};

static void crak_trim_start(struct crak_trim_cursor *c,
			    const struct crak_trim *tr)
{
	memset(c, 0, sizeof(*c));
	c->tr = tr;
	c->q[VNIF_DIR_INGRESS] = tr->q;
	c->q[VNIF_DIR_EGRESS] = tr->q;
}

/*
 * vnif_frame_fn, under the pair's lock: is this held frame the image's
 * next one of its direction? Frames past those the image carries arrived
 * after the checkpoint: vnif_queue_export() still copies them out, they
 * are not compared.
 */
static int crak_trim_check(void *arg, const struct vnif_frame *f)
{
	struct crak_trim_cursor *c = arg;
	struct crak_frame fr;
	int ret;

	if (f->dir >= __VNIF_DIR_MAX)
		return -EINVAL;
	if (c->seen[f->dir] == c->tr->n[f->dir])
		return 0;
	do {
		ret = crak_vnif_queue_next(&c->q[f->dir], &fr);
	} while (ret == 1 && fr.dir != f->dir);
	if (ret != 1 || fr.len != f->len || fr.tstamp_ns != f->tstamp_ns ||
	    memcmp(fr.data, f->data, f->len))
		return -ESTALE;
	c->seen[f->dir]++;
	return 0;
}

/* The VNIF sections of the image, each with its frames counted. */
static int crak_trim_parse(const struct crak_image_reader *image,
			   struct crak_trim *trims, u32 *ntrims)
{
	struct crak_image_reader rd = *image;
	struct crak_trim *tr = NULL;
	struct crak_section sec;
	struct crak_frame fr;
	struct crak_queue q;
	struct crak_vnif v;
	int ret;

	*ntrims = 0;
	while (crak_image_next(&rd, &sec) == 1) {
		if (sec.type == CRAK_SEC_VNIF) {
			/* crak_image_open() allows CRAK_VNIF_MAX of them. */
			if (crak_vnif_get(&sec, &v) || *ntrims == CRAK_VNIF_MAX)
				return -EINVAL;
			tr = &trims[(*ntrims)++];
			memcpy(tr->ifname, v.ifname, sizeof(tr->ifname));
		} else if (sec.type == CRAK_SEC_VNIF_QUEUE) {
			/* It follows its VNIF: crak_image_open() checked. */
			if (!tr || crak_vnif_queue_get(&sec, &tr->q))
				return -EINVAL;
			q = tr->q;
			while ((ret = crak_vnif_queue_next(&q, &fr)) == 1)
				tr->n[fr.dir]++;
			if (ret)
				return -EINVAL;
		}
	}
	return 0;
}

/* Each VNIF of the image to the inner vnif end of that name in net. */
static int crak_trim_match(struct crak_net *arg, struct net *net,
			   struct crak_net_dev *devs, u32 n,
			   struct crak_trim *trims, u32 ntrims)
{
	struct vnif_dev_info info;
	u32 i, j;

	rtnl_lock();
	for (i = 0; i < ntrims; i++)
		for (j = 0; j < n && !trims[i].dev; j++)
			if (net_eq(dev_net(devs[j].dev), net) &&
			    !strncmp(devs[j].dev->name, trims[i].ifname,
				     sizeof(trims[i].ifname)))
				trims[i].dev = devs[j].dev;
	rtnl_unlock();

	for (i = 0; i < ntrims; i++) {
		if (!trims[i].dev ||
		    vnif_dev_info(trims[i].dev, &info) || !info.inner) {
			scnprintf(arg->error, sizeof(arg->error),
				  "vnif %s: no inner vnif end of that name in the namespace",
				  trims[i].ifname);
			return -ENOENT;
		}
		for (j = 0; j < i; j++) {
			if (trims[j].dev == trims[i].dev) {
				scnprintf(arg->error, sizeof(arg->error),
					  "vnif %s: twice in the image",
					  trims[i].ifname);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Whether the pair holds, at the head of each direction, the frames the
 * image carries: the same length, arrival time and bytes.
 */
static int crak_trim_verify(struct crak_net *arg, const struct crak_trim *tr)
{
	struct crak_trim_cursor c;
	u32 dir;
	int err;

	if (vnif_state(tr->dev) != VNIF_STATE_HOLD) {
		scnprintf(arg->error, sizeof(arg->error),
			  "vnif %s: the pair is not frozen", tr->ifname);
		return -EINVAL;
	}
	crak_trim_start(&c, tr);
	err = vnif_queue_export(tr->dev, crak_trim_check, &c);
	for (dir = 0; !err && dir < __VNIF_DIR_MAX; dir++)
		if (c.seen[dir] < tr->n[dir])
			err = -ESTALE;
	if (!err)
		return 0;
	for (dir = 0; dir < __VNIF_DIR_MAX; dir++)
		if (c.seen[dir] < tr->n[dir])
			break;
	if (err == -ESTALE && dir < __VNIF_DIR_MAX)
		scnprintf(arg->error, sizeof(arg->error),
			  "vnif %s: %s frame %u is not the image's",
			  tr->ifname, crak_dir_name[dir], c.seen[dir] + 1);
	else
		scnprintf(arg->error, sizeof(arg->error),
			  "vnif %s: cannot read its held frames", tr->ifname);
	return err;
}

/*
 * CRAK_NET_TRIM: every pair is verified first, then each is trimmed, the
 * check repeated under its lock. Only a pair that changes in between (a
 * thaw, a deadline, a deletion), or an allocation that fails, can fail
 * the second step, with the pairs before it trimmed already: arg says
 * which and how many frames.
 */
static int crak_net_trim(struct crak_net *arg, struct net *net,
			 const struct crak_image_reader *image,
			 struct crak_net_dev *devs, u32 n)
{
	struct netlink_ext_ack extack = {};
	struct crak_trim_cursor c;
	struct crak_trim *trims;
	u32 ntrims, i;
	int err;

	trims = kvcalloc(CRAK_VNIF_MAX, sizeof(*trims), GFP_KERNEL);
	if (!trims)
		return -ENOMEM;
	err = crak_trim_parse(image, trims, &ntrims);
	if (err) {
		strscpy(arg->error, "cannot decode the image's VNIF sections",
			sizeof(arg->error));
		goto out;
	}
	err = crak_trim_match(arg, net, devs, n, trims, ntrims);
	for (i = 0; !err && i < ntrims; i++)
		if (trims[i].n[VNIF_DIR_INGRESS] || trims[i].n[VNIF_DIR_EGRESS])
			err = crak_trim_verify(arg, &trims[i]);
	for (i = 0; !err && i < ntrims; i++) {
		if (!trims[i].n[VNIF_DIR_INGRESS] && !trims[i].n[VNIF_DIR_EGRESS])
			continue;
		crak_trim_start(&c, &trims[i]);
		err = vnif_queue_trim(trims[i].dev, trims[i].n, crak_trim_check,
				      &c, &extack);
		if (err) {
			scnprintf(arg->error, sizeof(arg->error), "vnif %s: %s",
				  trims[i].ifname,
				  extack._msg ? extack._msg : "cannot trim");
			break;
		}
		arg->frames += trims[i].n[VNIF_DIR_INGRESS] +
			       trims[i].n[VNIF_DIR_EGRESS];
		arg->changed++;
	}
out:
	kvfree(trims);
	return err;
}

/* CRAK_NET_TRIM's image, checked whole, of the process named by arg. */
static int crak_net_image(struct crak_net *arg, u8 **imagep,
			  struct crak_image_reader *rd)
{
	struct crak_image_error ierr;
	struct crak_section sec;
	struct crak_task t;
	u8 *image;
	int err;

	if (arg->len > CRAK_IMAGE_MAX_LEN) {
		strscpy(arg->error, "image larger than CRAK_IMAGE_MAX_LEN",
			sizeof(arg->error));
		return -EFBIG;
	}
	image = kvmalloc(arg->len ? : 1, GFP_KERNEL_ACCOUNT);
	if (!image)
		return -ENOMEM;
	if (copy_from_user(image, u64_to_user_ptr(arg->buf), arg->len)) {
		err = -EFAULT;
		goto out_free;
	}
	err = crak_image_open(rd, image, arg->len, &ierr);
	if (err) {
		scnprintf(arg->error, sizeof(arg->error),
			  "image: %s (section %u, offset %llu)", ierr.what,
			  ierr.section, ierr.offset);
		goto out_free;
	}
	/* The TASK section, which the image must have, comes first. */
	if (crak_image_next(rd, &sec) != 1 || crak_task_get(&sec, &t) ||
	    t.start_time != arg->start_time) {
		strscpy(arg->error, "image: not a checkpoint of this process",
			sizeof(arg->error));
		err = -EINVAL;
		goto out_free;
	}
	*imagep = image;
	return 0;

out_free:
	kvfree(image);
	return err;
}

long crak_ioc_net(struct crak_net __user *uarg)
{
	struct crak_image_reader rd;
	struct task_struct *task;
	struct crak_net_dev *devs;
	struct crak_net arg;
	u8 *image = NULL;
	struct net *net;
	u32 n = 0;
	long err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	arg.vnifs = 0;
	arg.changed = 0;
	arg.frames = 0;
	memset(arg.error, 0, sizeof(arg.error));
	if (arg.op != CRAK_NET_FREEZE && arg.op != CRAK_NET_THAW &&
	    arg.op != CRAK_NET_ANNOUNCE && arg.op != CRAK_NET_TRIM)
		return -EINVAL;

	task = crak_target_get(arg.pid, arg.start_time);
	if (IS_ERR(task))
		return PTR_ERR(task);
	arg.start_time = task->start_boottime;
	net = crak_task_net(task);
	crak_target_put(task);
	if (!net)
		return -ESRCH;
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		err = -EPERM;
		goto out_net;
	}
	if (arg.op == CRAK_NET_TRIM) {
		err = crak_net_image(&arg, &image, &rd);
		if (err)
			goto out_reply;
	}
	devs = kcalloc(CRAK_NET_VNIF_MAX, sizeof(*devs), GFP_KERNEL);
	if (!devs) {
		err = -ENOMEM;
		goto out_image;
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
	else if (arg.op == CRAK_NET_ANNOUNCE)
		crak_net_announce(&arg, devs, n);
	else
		err = crak_net_trim(&arg, net, &rd, devs, n);

out_put:
	crak_net_release(devs, n);
	kfree(devs);
out_image:
	kvfree(image);
out_reply:
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		err = -EFAULT;
out_net:
	put_net(net);
	return err;
}

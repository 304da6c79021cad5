// SPDX-License-Identifier: GPL-2.0
/*
 * crak: finding the process a request names and deciding whether the caller
 * may look into it. The rules are those of ptrace in PTRACE_MODE_REALCREDS
 * (kernel/ptrace.c, __ptrace_may_access() and the capability module's
 * cap_ptrace_access_check()), rebuilt from what a module can reach: neither
 * ptrace_may_access() nor the security hooks are exported, so no LSM is
 * consulted. include/uapi/linux/crak.h states the rules for users.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uidgid.h>

#include "crak.h"

/* Same real uid and gid as every uid and gid of the target. */
static bool crak_same_ids(const struct cred *cred, const struct cred *tcred)
{
	return uid_eq(cred->uid, tcred->euid) &&
	       uid_eq(cred->uid, tcred->suid) &&
	       uid_eq(cred->uid, tcred->uid) &&
	       gid_eq(cred->gid, tcred->egid) &&
	       gid_eq(cred->gid, tcred->sgid) &&
	       gid_eq(cred->gid, tcred->gid);
}

static int crak_may_access(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool ok;

	if (same_thread_group(task, current))
		return 0;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = crak_same_ids(cred, tcred) &&
	     cred->user_ns == tcred->user_ns &&
	     cap_issubset(tcred->cap_permitted, cred->cap_permitted);
	if (!ok)
		ok = ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return -EPERM;

	/* A process that is not dumpable keeps its secrets from its own uid. */
	mm = get_task_mm(task);
	if (mm) {
		ok = get_dumpable(mm) == SUID_DUMP_USER ||
		     ns_capable(mm->user_ns, CAP_SYS_PTRACE);
		mmput(mm);
	} else {
		ok = task->user_dumpable || capable(CAP_SYS_PTRACE);
	}
	return ok ? 0 : -EPERM;
}

/**
 * crak_target_get - the process a request names, if the caller may see it
 * @nr: PID in the caller's PID namespace
 * @start_time: 0, or the start time the caller saw: guards against reuse
 *
 * The access check is made under the target's exec_update_lock, taken for
 * reading and kept until crak_target_put(): as for pidfd_getfd(2), an exec
 * that would change the target's credentials (a setuid program) waits
 * until the caller is done with its descriptors, so that what the check
 * allowed is what the caller then reads.
 *
 * Return: a task reference with its exec_update_lock held (release both
 * with crak_target_put()), or ERR_PTR(-ESRCH) when @nr names no process,
 * or one that started at another time than @start_time, ERR_PTR(-EPERM),
 * or ERR_PTR(-EINTR) when the caller is killed while it waits for an exec.
 */
struct task_struct *crak_target_get(u32 nr, u64 start_time)
{
	struct task_struct *task;
	struct pid *pid;
	int err;

	if (!nr || nr > PID_MAX_LIMIT)
		return ERR_PTR(-ESRCH);
	pid = find_get_pid(nr);
	if (!pid)
		return ERR_PTR(-ESRCH);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return ERR_PTR(-ESRCH);
	if (start_time && task->start_boottime != start_time) {
		err = -ESRCH;
		goto err_put;
	}
	/* Kernel threads and exiting processes have nothing to take. */
	if (task->flags & (PF_KTHREAD | PF_EXITING)) {
		err = -ESRCH;
		goto err_put;
	}
	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		goto err_put;
	err = crak_may_access(task);
	if (err)
		goto err_unlock;
	return task;

err_unlock:
	up_read(&task->signal->exec_update_lock);
err_put:
	put_task_struct(task);
	return ERR_PTR(err);
}

/**
 * crak_target_unlock - let the target exec again
 * @task: crak_target_get()'s result, its descriptors read
 *
 * Release it then with put_task_struct(), not crak_target_put().
 */
void crak_target_unlock(struct task_struct *task)
{
	up_read(&task->signal->exec_update_lock);
}

/**
 * crak_target_put - release what crak_target_get() took
 * @task: its result
 */
void crak_target_put(struct task_struct *task)
{
	crak_target_unlock(task);
	put_task_struct(task);
}

/**
 * crak_target_stopped - whether every thread of the target is stopped
 * @task: the target
 *
 * Stopped by SIGSTOP (group stop) or by a tracer (ptrace stop, as crak's
 * tool does it): it neither reads nor writes its sockets until resumed. A
 * thread that has exited already does not count.
 *
 * Return: true when no live thread of @task's thread group runs.
 */
bool crak_target_stopped(struct task_struct *task)
{
	struct task_struct *t;
	bool stopped = true;

	rcu_read_lock();
	for_each_thread(task, t) {
		if (!t->exit_state && !task_is_stopped_or_traced(t)) {
			stopped = false;
			break;
		}
	}
	rcu_read_unlock();
	return stopped;
}

/**
 * crak_next_file - the target's next open descriptor, pinned
 * @task: the target
 * @fd: in: the first descriptor number to look at; out: the one returned
 *
 * A file being closed right now is passed over, as if already gone.
 *
 * Return: the file (fput() it), or NULL past the last descriptor.
 */
struct file *crak_next_file(struct task_struct *task, unsigned int *fd)
{
	struct file *file;

	for (;; (*fd)++) {
		rcu_read_lock();
		file = task_lookup_next_fd_rcu(task, fd);
		if (file && !get_file_rcu(file)) {
			rcu_read_unlock();
			continue;
		}
		rcu_read_unlock();
		return file;
	}
}

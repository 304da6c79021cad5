// SPDX-License-Identifier: GPL-2.0
/*
 * crak: TCP sockets. Restore is not written yet: an image with a TCP
 * socket is refused, naming it, and nothing is built.
 */

#include <linux/errno.h>

#include "crak.h"
#include "image.h"

int crak_tcp_restore(struct crak_rst *r, struct socket *sock,
		     const struct crak_sock *s, const struct crak_section *q,
		     u32 nq)
{
	return crak_rst_refuse(r, s->fd, -EOPNOTSUPP,
			       "TCP restore not implemented yet");
}

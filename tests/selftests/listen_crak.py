#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# crak-listen.sh's programs, one file so that the guest's slow Python
# starts once per role:
#
#   target DIR   two listeners (IPv4 with a backlog of 8 and TCP_NODELAY,
#                IPv6-only with 4) that never accept
#   peer DIR     the clients, see CLIENTS: connected one after the other,
#                some bytes sent, some shut down for writing; after DIR/go
#                the rest of each stream, then the echo read back and
#                checked, then one new connection to each listener
#   server DIR   run by `crak restart` on the restored listeners: accepts
#                the children, reads each stream to its end, checks it,
#                echoes it back whole; then one new connection on each
#
# Every side reports JSON in DIR.

import os
import random
import socket
import sys
import time

from crak_util import A4, A6, dump, wait_file

PORT4, PORT6 = 7200, 7201
# (family, bytes sent before the checkpoint, shut down for writing then,
# bytes sent after the restore)
CLIENTS = [
    (4, 3000, False, 1000),
    (4, 0, False, 2500),
    (4, 1500, True, 0),
    (6, 2000, False, 1200),
    (6, 700, True, 0),
]


def stream(k, n):
    return random.Random(1000 + k).randbytes(n)


def read_all(s):
    buf = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            return bytes(buf)
        buf += b


def target(d):
    l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l4.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    l4.bind((A4, PORT4))
    l4.listen(8)
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    l6.bind((A6, PORT6))
    l6.listen(4)
    dump(os.path.join(d, "listening.json"),
         {"pid": os.getpid(), "l4": l4.fileno(), "l6": l6.fileno()})
    while True:
        time.sleep(3600)


def peer(d):
    conns, ports = [], []
    for k, (fam, n, shut, _) in enumerate(CLIENTS):
        if fam == 4:
            s = socket.create_connection((A4, PORT4), timeout=60)
        else:
            s = socket.create_connection((A6, PORT6), timeout=60)
        s.sendall(stream(k, n))
        if shut:
            s.shutdown(socket.SHUT_WR)
        conns.append(s)
        ports.append(s.getsockname()[1])
        time.sleep(0.3)	# the children queue in this order
    dump(os.path.join(d, "peer_ready.json"), {"ports": ports})
    wait_file(os.path.join(d, "go"), 300)
    res, errors = [], []
    for k, (fam, n, shut, more) in enumerate(CLIENTS):
        s = conns[k]
        try:
            if not shut:
                s.sendall(stream(k, n + more)[n:])
                s.shutdown(socket.SHUT_WR)
        except OSError as e:
            errors.append("send %d: %s" % (k, e))
    for k, (fam, n, shut, more) in enumerate(CLIENTS):
        try:
            got = read_all(conns[k])
            want = stream(k, n + more)
            res.append({"k": k, "received": len(got), "exact": got == want})
        except OSError as e:
            errors.append("recv %d: %s" % (k, e))
            res.append({"k": k, "received": -1, "exact": False})
        conns[k].close()
    new = []
    for fam, addr in ((4, (A4, PORT4)), (6, (A6, PORT6))):
        try:
            s = socket.create_connection(addr, timeout=60)
            s.sendall(b"new connection %d" % fam)
            s.shutdown(socket.SHUT_WR)
            new.append(read_all(s).decode())
            s.close()
        except OSError as e:
            errors.append("new %d: %s" % (fam, e))
    dump(os.path.join(d, "peer.json"),
         {"conns": res, "new": new, "errors": errors})


def server(d):
    fds = [int(x) for x in os.environ.get("CRAK_FDS", "").split(",") if x]
    lis = {}
    for fd in fds:
        s = socket.socket(fileno=fd)
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            lis[s.getsockname()[1]] = s
    out = {"listeners": sorted(lis), "accepted": [], "errors": []}
    kids = []
    for port, want in ((PORT4, 3), (PORT6, 2)):
        l = lis[port]
        out["backlog_nodelay_%d" % port] = l.getsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY)
        l.settimeout(60)
        for _ in range(want):
            c, addr = l.accept()
            c.settimeout(120)
            st = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
            out["accepted"].append({"port": addr[1], "state": st})
            kids.append(c)
    # Nothing more is queued: the next accept would block.
    for port in (PORT4, PORT6):
        lis[port].setblocking(False)
        try:
            lis[port].accept()
            out["errors"].append("a child more on %d" % port)
        except BlockingIOError:
            pass
        lis[port].settimeout(120)
    dump(os.path.join(d, "accepted.json"), out)
    got = []
    for k, c in enumerate(kids):
        try:
            data = read_all(c)
            fam, n, shut, more = CLIENTS[k]
            got.append({"k": k, "received": len(data),
                        "exact": data == stream(k, n + more)})
            c.sendall(data)
            c.close()
        except OSError as e:
            out["errors"].append("child %d: %s" % (k, e))
    out["children"] = got
    out["new"] = []
    for port in (PORT4, PORT6):
        try:
            c, _ = lis[port].accept()
            c.settimeout(60)
            data = read_all(c)
            out["new"].append(data.decode())
            c.sendall(data)
            c.close()
        except OSError as e:
            out["errors"].append("new on %d: %s" % (port, e))
    dump(os.path.join(d, "server.json"), out)


if __name__ == "__main__":
    {"target": target, "peer": peer, "server": server}[sys.argv[1]](sys.argv[2])

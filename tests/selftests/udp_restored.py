#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
The program crak-restart-udp.sh has `crak restart` execute with the
sockets of udp_target.py rebuilt: it reports what it was handed.

    udp_restored.py OUT_FILE

Writes OUT_FILE (JSON): the environment crak set (CRAK_FDS, LISTEN_*),
and per descriptor of CRAK_FDS its family, addresses, options and flags;
then every datagram queued on them, in the order read, as udp_target.py
writes them (source, port, length, SHA-256); then the result of using
each socket again: a datagram sent to the IPv4 socket's address comes in,
and the connected socket sends to its peer and receives from it.
"""

import fcntl
import hashlib
import json
import os
import socket
import sys

out = sys.argv[1]
SOL, IP, IP6 = socket.SOL_SOCKET, socket.IPPROTO_IP, socket.IPPROTO_IPV6
SO_MARK = 36

env = {k: os.environ.get(k) for k in
       ("CRAK_FDS", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES")}
env["pid"] = os.getpid()
fds = [int(x) for x in (os.environ.get("CRAK_FDS") or "").split(",") if x]
res = {"env": env, "socks": [], "got": [], "live": {}}
socks = {}
for fd in fds:
    s = socket.socket(fileno=fd)
    socks[fd] = s
    d = {"fd": fd, "family": int(s.family), "type": int(s.type),
         "local": list(s.getsockname()[:2]),
         "nonblock": bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK),
         "cloexec": bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC),
         "reuseaddr": s.getsockopt(SOL, socket.SO_REUSEADDR),
         "reuseport": s.getsockopt(SOL, socket.SO_REUSEPORT),
         "broadcast": s.getsockopt(SOL, socket.SO_BROADCAST),
         "rcvbuf": s.getsockopt(SOL, socket.SO_RCVBUF),
         "sndbuf": s.getsockopt(SOL, socket.SO_SNDBUF),
         "mark": s.getsockopt(SOL, SO_MARK),
         "priority": s.getsockopt(SOL, socket.SO_PRIORITY)}
    try:
        d["peer"] = list(s.getpeername()[:2])
    except OSError:
        d["peer"] = None
    if s.family == socket.AF_INET:
        d["tos"] = s.getsockopt(IP, socket.IP_TOS)
        d["ttl"] = s.getsockopt(IP, socket.IP_TTL)
        d["freebind"] = s.getsockopt(IP, 15)
    else:
        d["v6only"] = s.getsockopt(IP6, socket.IPV6_V6ONLY)
        d["tclass"] = s.getsockopt(IP6, socket.IPV6_TCLASS)
        d["hops"] = s.getsockopt(IP6, socket.IPV6_UNICAST_HOPS)
    res["socks"].append(d)

for fd in fds:
    s = socks[fd]
    s.setblocking(False)
    while True:
        try:
            data, addr = s.recvfrom(65536)
        except BlockingIOError:
            break
        src = addr[0]
        if src.startswith("::ffff:"):
            src = src[len("::ffff:"):]
        res["got"].append({"fd": fd, "src": src, "sport": addr[1],
                           "len": len(data),
                           "sha256": hashlib.sha256(data).hexdigest()})

# The sockets work in their new namespace: bound, hashed, connected.
for fd, s in socks.items():
    s.settimeout(5)
    name = "fd%d" % fd
    try:
        if res["socks"][fds.index(fd)]["peer"]:
            fam = s.family
            peer = socket.socket(fam, socket.SOCK_DGRAM)
            peer.bind(tuple(res["socks"][fds.index(fd)]["peer"]))
            s.send(b"to the peer")
            data, addr = peer.recvfrom(100)
            peer.sendto(b"back", addr)
            back = s.recv(100)
            res["live"][name] = "%s %s" % (data.decode(), back.decode())
        else:
            host, port = res["socks"][fds.index(fd)]["local"]
            if host in ("0.0.0.0", "::"):
                host = "127.0.0.1" if s.family == socket.AF_INET else "::1"
            tx = socket.socket(s.family, socket.SOCK_DGRAM)
            tx.sendto(b"new", (host, port))
            data, addr = s.recvfrom(100)
            res["live"][name] = data.decode()
    except OSError as e:
        res["live"][name] = "error: %s" % e

with open(out + ".tmp", "w") as f:
    json.dump(res, f)
os.rename(out + ".tmp", out)

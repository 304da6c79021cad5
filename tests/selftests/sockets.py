#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
A process holding one socket of every kind crak-inspect.sh asks about, in
known states with known queues; it writes their descriptor numbers as JSON
to READY_FILE and sleeps until killed.

    sockets.py READY_FILE [--not-dumpable]

Needs lo up and IPv6 on in its network namespace.
"""

import ctypes
import json
import os
import socket
import sys
import time

ready, flags = sys.argv[1], sys.argv[2:]
fds = {}

# A listener with two connections not yet accepted, one of them with
# 1000 bytes waiting, and a third connection accepted, 500 bytes unread.
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(("127.0.0.1", 8080))
lst.listen(8)
first = socket.create_connection(("127.0.0.1", 8080))
srv, _ = lst.accept()
first.sendall(b"a" * 500)
pend1 = socket.create_connection(("127.0.0.1", 8080))
pend2 = socket.create_connection(("127.0.0.1", 8080))
pend2.sendall(b"b" * 1000)
fds.update(listen=lst.fileno(), client=first.fileno(), accepted=srv.fileno(),
           pending1=pend1.fileno(), pending2=pend2.fileno())

# UDP: a bound socket with two datagrams queued, and a connected one.
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 5353))
conn = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
conn.connect(("127.0.0.1", 5353))
conn.send(b"c" * 100)
conn.send(b"d" * 200)
fds.update(udp=udp.fileno(), udp_connected=conn.fileno())

# IPv6: a listener; a TCP socket that is closed but bound.
lst6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
lst6.bind(("::1", 8081))
lst6.listen(4)
bound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
bound.bind(("127.0.0.1", 8082))
fds.update(listen6=lst6.fileno(), bound=bound.fileno())

# What a checkpoint cannot take: a UNIX socket and a raw ICMP socket.
unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
fds.update(unix=unix.fileno())
if os.geteuid() == 0:
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    fds.update(raw=raw.fileno())

# Descriptors that are not sockets: not listed, but counted.
pipe = os.pipe()

if "--not-dumpable" in flags:
    PR_SET_DUMPABLE = 4
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)

# Let the loopback deliver what was sent before anyone looks.
time.sleep(0.5)
with open(ready + ".tmp", "w") as f:
    json.dump(fds, f)
os.rename(ready + ".tmp", ready)
while True:
    time.sleep(3600)

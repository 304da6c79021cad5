#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
The process crak-checkpoint-udp.sh checkpoints: UDP sockets over IPv4 and
IPv6 with options set and datagrams queued from several sources, and a
TCP socket bound but neither listening nor connected (a socket the
checkpoint cannot take).

    udp_target.py READY_FILE DRAINED_FILE

Writes READY_FILE (JSON): the descriptor and settings of each socket, and
every datagram sent to it, in order: source, source port, length, SHA-256.
On SIGUSR1 it reads every datagram of every socket (non-blocking) and
writes the same list as received to DRAINED_FILE. Sleeps until killed.
Needs lo up and IPv6 on in its network namespace.
"""

import hashlib
import json
import os
import signal
import socket
import sys
import time

ready, drained = sys.argv[1], sys.argv[2]
IP, IP6 = socket.IPPROTO_IP, socket.IPPROTO_IPV6
SOL = socket.SOL_SOCKET

socks = {}
info = {}

# IPv4: bound to 127.0.0.1:5000, most options set, non-blocking, and
# inheritable (no FD_CLOEXEC).
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u4.setsockopt(SOL, socket.SO_REUSEADDR, 1)
u4.setsockopt(SOL, socket.SO_BROADCAST, 1)
u4.setsockopt(SOL, socket.SO_RCVBUF, 150000)
u4.setsockopt(SOL, socket.SO_SNDBUF, 40000)
u4.setsockopt(SOL, socket.SO_MARK, 0x77)
u4.setsockopt(SOL, socket.SO_RCVLOWAT, 1)
u4.setsockopt(IP, socket.IP_TOS, 0x10)
# After IP_TOS, which sets the priority from the TOS (0x10: 6).
u4.setsockopt(SOL, socket.SO_PRIORITY, 3)
u4.setsockopt(IP, socket.IP_TTL, 9)
u4.setsockopt(IP, 15, 1)  # IP_FREEBIND
u4.bind(("127.0.0.1", 5000))
u4.setblocking(False)
u4.set_inheritable(True)
socks["u4"] = u4

# IPv6, dual stack, on [::]:5001, with SO_REUSEPORT, a traffic class and
# a hop limit: gets IPv6 datagrams and IPv4 ones (v4-mapped).
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.setsockopt(IP6, socket.IPV6_V6ONLY, 0)
u6.setsockopt(SOL, socket.SO_REUSEPORT, 1)
u6.setsockopt(IP6, socket.IPV6_TCLASS, 0x20)
u6.setsockopt(IP6, socket.IPV6_UNICAST_HOPS, 7)
u6.bind(("::", 5001))
socks["u6"] = u6

# IPv6 only, bound to [::1]:5002 and connected to [::1]:5003.
uc = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
uc.setsockopt(IP6, socket.IPV6_V6ONLY, 1)
uc.bind(("::1", 5002))
uc.connect(("::1", 5003))
socks["uc"] = uc

# What the checkpoint cannot take: a TCP socket in CLOSE (listeners it takes).
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", 5004))

for name, s in socks.items():
    info[name] = {"fd": s.fileno()}
info["tcp"] = {"fd": tcp.fileno()}

# Datagrams: (to socket, source family, source address, source port, payload)
big = os.urandom(60000)
plan = [
    ("u4", socket.AF_INET, "127.0.0.1", 6000, b"hello"),
    ("u4", socket.AF_INET, "127.0.0.2", 6001, b""),
    ("u4", socket.AF_INET, "127.0.0.1", 6002, big),
    ("u4", socket.AF_INET, "127.0.0.3", 6003, bytes(range(256)) * 3),
    ("u6", socket.AF_INET6, "::1", 6100, b"over IPv6"),
    ("u6", socket.AF_INET, "127.0.0.1", 6101, b"IPv4 to a dual-stack socket"),
    ("u6", socket.AF_INET6, "::1", 6102, b""),
    ("uc", socket.AF_INET6, "::1", 5003, b"from the peer"),
    ("uc", socket.AF_INET6, "::1", 5003, os.urandom(1000)),
]
dest = {"u4": ("127.0.0.1", 5000), "uc": ("::1", 5002)}
sent = []
for name, fam, src, sport, data in plan:
    tx = socket.socket(fam, socket.SOCK_DGRAM)
    tx.setsockopt(SOL, socket.SO_REUSEADDR, 1)
    tx.bind((src, sport))
    if name == "u6":
        to = ("::1", 5001) if fam == socket.AF_INET6 else ("127.0.0.1", 5001)
    else:
        to = dest[name]
    tx.sendto(data, to)
    tx.close()
    sent.append({"sock": name, "fd": socks[name].fileno(), "src": src,
                 "sport": sport, "len": len(data),
                 "sha256": hashlib.sha256(data).hexdigest()})
info["sent"] = sent


def drain(signum, frame):
    got = []
    for name, s in socks.items():
        s.setblocking(False)
        while True:
            try:
                data, addr = s.recvfrom(65536)
            except BlockingIOError:
                break
            src = addr[0]
            if src.startswith("::ffff:"):
                src = src[len("::ffff:"):]
            got.append({"sock": name, "fd": s.fileno(), "src": src,
                        "sport": addr[1], "len": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()})
    with open(drained + ".tmp", "w") as f:
        json.dump(got, f)
    os.rename(drained + ".tmp", drained)


signal.signal(signal.SIGUSR1, drain)
time.sleep(0.2)
with open(ready + ".tmp", "w") as f:
    json.dump(info, f)
os.rename(ready + ".tmp", ready)
while True:
    time.sleep(3600)

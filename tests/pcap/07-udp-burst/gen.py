#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
150 UDP datagrams from the peer to the container, IPv4 and IPv6 mixed
(a seeded draw), payload sizes from 1 byte to the most one 1500-byte
packet carries (1472 over IPv4, 1452 over IPv6); frame 0 is the smallest
IPv4 one, frames 1 and 2 the largest of each family. Every datagram has
its index in its source port, IP id or flow label, and its payload.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


def main():
    r = rng(7)
    f = []
    for i in range(150):
        if i == 0:
            v6, n = False, 1
        elif i == 1:
            v6, n = False, 1472
        elif i == 2:
            v6, n = True, 1452
        else:
            v6 = r.random() < 0.5
            n = r.randint(1, 1452 if v6 else 1472)
        body = bytes(r.getrandbits(8) for _ in range(n))
        body = bytes([i]) + body[1:]
        if v6:
            ip = IPv6(src=PEER_IP6, dst=INNER_IP6, hlim=64, fl=i)
        else:
            ip = IP(src=PEER_IP4, dst=INNER_IP4, id=0x7000 + i, ttl=64)
        f.append(wire(Ether(src=PEER_MAC, dst=INNER_MAC) / ip /
                      UDP(sport=20000 + i, dport=9000) / Raw(body)))
    write(f)


main()

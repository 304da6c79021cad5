#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
30 UDP datagrams: frames 0..19 from the peer to the container (IPv4 and
IPv6 alternating), frames 20..29 from the container to the peer (IPv4),
each numbered in its source port, IP id or flow label, and payload.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

CASE = 20


def main():
    f = []
    for i in range(30):
        body = bytes([CASE, i]) + bytes((i * 41 + j) & 0xff
                                        for j in range(30 + 7 * i))
        udp = UDP(sport=CASE * 1000 + i, dport=9999) / Raw(body)
        if i >= 20:
            f.append(Ether(src=INNER_MAC, dst=OUTER_MAC) /
                     IP(src=INNER_IP4, dst=PEER_IP4, id=CASE * 256 + i,
                        flags="DF") / udp)
        elif i % 2:
            f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                     IPv6(src=PEER_IP6, dst=INNER_IP6, fl=CASE * 256 + i) /
                     udp)
        else:
            f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                     IP(src=PEER_IP4, dst=INNER_IP4, id=CASE * 256 + i) /
                     udp)
    write(f)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
10 UDP datagrams sent after an empty freeze: frames 0..6 from the peer to
the container (IPv4 and IPv6), frames 7..9 from the container to the
peer, each numbered in its ports, IP id or flow label, and payload.
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


def main():
    f = []
    for i in range(10):
        body = bytes([27, i]) + bytes((i * 53 + j) & 0xff
                                      for j in range(40 + 11 * i))
        udp = UDP(sport=27000 + i, dport=9999) / Raw(body)
        if i >= 7:
            f.append(Ether(src=INNER_MAC, dst=OUTER_MAC) /
                     IP(src=INNER_IP4, dst=PEER_IP4, id=0x2700 + i,
                        flags="DF") / udp)
        elif i % 3 == 2:
            f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                     IPv6(src=PEER_IP6, dst=INNER_IP6, fl=0x2700 + i) / udp)
        else:
            f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                     IP(src=PEER_IP4, dst=INNER_IP4, id=0x2700 + i) / udp)
    write(f)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
40 IPv4 UDP datagrams from the peer to the container, numbered 0..39 in
their source port, IP id and payload, 100 to 256 bytes each.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


def main():
    f = []
    for i in range(40):
        n = 58 + 4 * i
        body = bytes([i]) + bytes((i * 31 + j) & 0xff for j in range(n - 1))
        f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                 IP(src=PEER_IP4, dst=INNER_IP4, id=0x1800 + i) /
                 UDP(sport=18000 + i, dport=9999) / Raw(body))
    write(f)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
400 IPv4 UDP datagrams from the peer to the container, numbered 0..399 in
their source port, IP id and first payload bytes (64 to 127 bytes each):
a reordering anywhere shows as a number out of sequence.
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
    for i in range(400):
        n = 22 + i % 64
        body = i.to_bytes(2, "big") + bytes((i * 43 + j) & 0xff
                                            for j in range(n - 2))
        f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                 IP(src=PEER_IP4, dst=INNER_IP4, id=0x2200 + i) /
                 UDP(sport=22000 + i, dport=9999) / Raw(body))
    write(f)


main()

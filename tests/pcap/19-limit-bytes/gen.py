#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
IPv4 UDP frames from the peer, numbered in source port, IP id and payload:
frames 0..19 are 1000 bytes each (Ethernet header included), frame 20 is
96 bytes and frame 21 is 60 bytes.

Under a 4096-byte limit: frames 0..3 fit (4000 bytes), 4..19 do not,
frame 20 fills the limit exactly (4096), frame 21 is one frame too many.
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
    for i, size in enumerate([1000] * 20 + [96, 60]):
        n = size - 42
        body = bytes([i]) + bytes((i * 37 + j) & 0xff for j in range(n - 1))
        p = (Ether(src=PEER_MAC, dst=INNER_MAC) /
             IP(src=PEER_IP4, dst=INNER_IP4, id=0x1900 + i) /
             UDP(sport=19000 + i, dport=9999) / Raw(body))
        assert len(bytes(p)) == size
        f.append(p)
    write(f)


main()

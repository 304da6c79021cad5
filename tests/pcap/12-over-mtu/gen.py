#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
IPv4 UDP frames from the peer of sizes around the container's MTU (1500),
the outer end having MTU 9000 (the case raises it first). Frame sizes,
Ethernet header included:

  0   100
  1  1514  the largest untagged frame of MTU 1500
  2  1515
  3  1518  (a receiving end tolerates one VLAN tag's 4 bytes more)
  4  1519
  5  1518  802.1Q-tagged: the largest tagged frame of MTU 1500
  6  1522  802.1Q-tagged
  7  4000
  8  8000
  9  9014  the largest untagged frame of MTU 9000
 10  9015  one too many for the outer end: AF_PACKET refuses it (EMSGSIZE)
 11  9018  802.1Q-tagged: the largest the outer end sends
 12   101
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


def frame(k, size, tagged=False):
    """Frame k, size bytes in all, UDP payload filling the rest."""
    hdr = 14 + (4 if tagged else 0) + 20 + 8
    body = bytes((k * 29 + j * 3) & 0xff for j in range(size - hdr))
    p = Ether(src=PEER_MAC, dst=INNER_MAC)
    if tagged:
        p = p / Dot1Q(vlan=100)
    p = p / IP(src=PEER_IP4, dst=INNER_IP4, id=0x1200 + k) / \
        UDP(sport=31000 + k, dport=9999) / Raw(body)
    assert len(bytes(p)) == size
    return p


def main():
    sizes = [(100, False), (1514, False), (1515, False), (1518, False),
             (1519, False), (1518, True), (1522, True), (4000, False),
             (8000, False), (9014, False), (9015, False), (9018, True),
             (101, False)]
    write([frame(k, n, t) for k, (n, t) in enumerate(sizes)])


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Jumbo frames for a pair of MTU 9000, sizes in bytes with the Ethernet
header:

From the peer's side (frames 0..10, outer end):
  0  1500  IPv4 TCP
  1  1514  IPv4 TCP
  2  1515  IPv4 TCP
  3  3000  IPv4 TCP
  4  4096  IPv4 TCP
  5  8000  IPv4 TCP
  6  9014  IPv4 TCP (MSS 8960 with timestamps: 8948 bytes of data)
  7  9014  IPv4 UDP
  8  9014  IPv6 TCP
  9  9018  802.1Q-tagged IPv4 UDP: the largest the end sends
 10  9000  IPv6 UDP
From the container's side (frames 11..13, inner end):
 11  9014  IPv4 TCP
 12  4000  IPv6 UDP
 13  9018  802.1Q-tagged IPv6 UDP
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from scapy.layers.inet import IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(47, 5, 1)


def frame(k, size, v6=False, tcp=True, tagged=False, inner=False):
    """Frame k of size bytes: the payload fills what headers leave."""
    if inner:
        p = Ether(src=INNER_MAC, dst=OUTER_MAC)
        s4, d4, s6, d6 = INNER_IP4, PEER_IP4, INNER_IP6, PEER_IP6
    else:
        p = Ether(src=PEER_MAC, dst=INNER_MAC)
        s4, d4, s6, d6 = PEER_IP4, INNER_IP4, PEER_IP6, INNER_IP6
    if tagged:
        p = p / Dot1Q(vlan=900)
    if v6:
        p = p / IPv6(src=s6, dst=d6, fl=0x2600 + k)
    else:
        p = p / IP(src=s4, dst=d4, id=0x2600 + k, flags="DF")
    if tcp:
        l4 = TCP(sport=26000 + k, dport=80, seq=9000 * k, ack=1, flags="PA",
                 options=[("NOP", None), ("NOP", None),
                          ("Timestamp", (2600 + k, 7000))])
    else:
        l4 = UDP(sport=26000 + k, dport=9999)
    p = p / l4
    n = size - len(bytes(p))
    p = p / Raw(payload(n, k))
    assert len(bytes(p)) == size
    return p


def main():
    f = [frame(0, 1500), frame(1, 1514), frame(2, 1515), frame(3, 3000),
         frame(4, 4096), frame(5, 8000), frame(6, 9014),
         frame(7, 9014, tcp=False), frame(8, 9014, v6=True),
         frame(9, 9018, tcp=False, tagged=True),
         frame(10, 9000, v6=True, tcp=False),
         frame(11, 9014, inner=True),
         frame(12, 4000, v6=True, tcp=False, inner=True),
         frame(13, 9018, v6=True, tcp=False, tagged=True, inner=True)]
    write(f)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
ARP, as it crosses a pair while the container is checkpointed.

From the peer's side (frames 0..11, outer end, padded to 60 bytes):
  0  who-has 10.77.0.2 (the container) tell 10.77.0.1, broadcast
  1  the same as a unicast re-validation to the container's MAC
  2  reply: 10.77.0.1 is-at PEER_MAC, to the container
  3  gratuitous ARP, request form (sender = target = 10.77.0.1)
  4  gratuitous ARP, reply form, broadcast
  5  ARP probe (sender 0.0.0.0) for 10.77.0.3, by a new host
  6  ARP probe for 10.77.0.2: someone checks the container's address
  7  ARP announcement of 10.77.0.3 by the new host
  8  who-has 10.77.0.2 from that other host
  9  who-has 10.77.0.9 (nobody behind the pair)
 10  RARP request (ethertype 0x8035) for the container's MAC
 11  reply to the container saying 10.77.0.1 moved to another MAC
From the container's side (frames 12..14, inner end, unpadded):
 12  who-has 10.77.0.1 tell 10.77.0.2, broadcast
 13  reply: 10.77.0.2 is-at INNER_MAC
 14  gratuitous ARP of the container (restored: tells where it is)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.l2 import ARP, Ether  # noqa: E402


ZERO = "00:00:00:00:00:00"
OTHER_MAC = "02:00:5e:10:00:fd"
MOVED_MAC = "02:00:5e:10:00:fc"
NEW_IP4 = "10.77.0.3"


def main():
    def peer(dst, **kw):
        return wire(Ether(src=kw.pop("esrc", PEER_MAC), dst=dst,
                          type=kw.pop("etype", 0x0806)) / ARP(**kw))

    f = [
        peer(BCAST, op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, hwdst=ZERO,
             pdst=INNER_IP4),
        peer(INNER_MAC, op=1, hwsrc=PEER_MAC, psrc=PEER_IP4,
             hwdst=INNER_MAC, pdst=INNER_IP4),
        peer(INNER_MAC, op=2, hwsrc=PEER_MAC, psrc=PEER_IP4,
             hwdst=INNER_MAC, pdst=INNER_IP4),
        peer(BCAST, op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, hwdst=ZERO,
             pdst=PEER_IP4),
        peer(BCAST, op=2, hwsrc=PEER_MAC, psrc=PEER_IP4, hwdst=BCAST,
             pdst=PEER_IP4),
        peer(BCAST, esrc=OTHER_MAC, op=1, hwsrc=OTHER_MAC, psrc="0.0.0.0",
             hwdst=ZERO, pdst=NEW_IP4),
        peer(BCAST, op=1, hwsrc=PEER_MAC, psrc="0.0.0.0", hwdst=ZERO,
             pdst=INNER_IP4),
        peer(BCAST, esrc=OTHER_MAC, op=1, hwsrc=OTHER_MAC, psrc=NEW_IP4,
             hwdst=ZERO, pdst=NEW_IP4),
        peer(BCAST, esrc=OTHER_MAC, op=1, hwsrc=OTHER_MAC, psrc=NEW_IP4,
             hwdst=ZERO, pdst=INNER_IP4),
        peer(BCAST, op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, hwdst=ZERO,
             pdst="10.77.0.9"),
        peer(BCAST, etype=0x8035, op=3, hwsrc=PEER_MAC, psrc="0.0.0.0",
             hwdst=INNER_MAC, pdst="0.0.0.0"),
        peer(INNER_MAC, esrc=MOVED_MAC, op=2, hwsrc=MOVED_MAC,
             psrc=PEER_IP4, hwdst=INNER_MAC, pdst=INNER_IP4),
    ]

    def ours(dst, **kw):
        return Ether(src=INNER_MAC, dst=dst) / ARP(**kw)

    f += [
        ours(BCAST, op=1, hwsrc=INNER_MAC, psrc=INNER_IP4, hwdst=ZERO,
             pdst=PEER_IP4),
        ours(OUTER_MAC, op=2, hwsrc=INNER_MAC, psrc=INNER_IP4,
             hwdst=OUTER_MAC, pdst=PEER_IP4),
        ours(BCAST, op=1, hwsrc=INNER_MAC, psrc=INNER_IP4, hwdst=ZERO,
             pdst=INNER_IP4),
    ]
    write(f)


main()

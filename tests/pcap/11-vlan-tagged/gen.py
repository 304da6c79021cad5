#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
VLAN-tagged frames, the tags in the frame as a trunk carries them.

From the peer's side (frames 0..16, outer end):
  0  802.1Q VLAN 1, IPv4 UDP
  1  802.1Q VLAN 100, priority 5, IPv4 TCP SYN
  2  802.1Q VLAN 4094, IPv4 UDP
  3  802.1Q VLAN 100, priority 7, DEI set, IPv4 UDP
  4  802.1Q VLAN 0, priority 6 (priority-tagged: the stack takes it as
     untagged), IPv4 UDP
  5  802.1Q VLAN 200, ARP who-has
  6  802.1Q VLAN 300, IPv6 UDP
  7  802.1Q VLAN 300, ICMPv6 neighbour solicitation
  8  QinQ: 802.1ad (0x88a8) VLAN 10 + 802.1Q VLAN 100, IPv4 UDP
  9  QinQ: 802.1ad VLAN 4000 priority 3 + 802.1Q VLAN 20, ARP
 10  QinQ: 802.1ad VLAN 11, DEI set + 802.1Q VLAN 101, IPv6 UDP
 11  double 802.1Q (0x8100 twice) VLAN 30 + 40, IPv4 UDP
 12  802.1Q VLAN 0 priority 1 + 802.1Q VLAN 100, IPv4 UDP
 13  802.1Q VLAN 100, 1518 bytes: the largest tagged frame of MTU 1500
 14  double 802.1Q VLAN 31 + 41, 1518 bytes
 15  0x9100 (pre-standard QinQ) VLAN 5 + 802.1Q VLAN 6, IPv4 UDP
 16  untagged IPv4 UDP, between tagged ones
From the container's side (frames 17..20, inner end):
 17  802.1Q VLAN 100, IPv4 UDP
 18  QinQ 802.1ad VLAN 10 + 802.1Q VLAN 100, IPv4 UDP
 19  802.1Q VLAN 0 priority 4, IPv6 UDP
 20  802.1Q VLAN 4094, 1518 bytes
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPv6)
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(11)


def main():
    def v4(k, n=32, src=PEER_IP4, dst=INNER_IP4):
        return (IP(src=src, dst=dst, id=0x1100 + k) /
                UDP(sport=30000 + k, dport=9999) / Raw(payload(n, k)))

    def v6(k, n=32, src=PEER_IP6, dst=INNER_IP6):
        return (IPv6(src=src, dst=dst, fl=k) /
                UDP(sport=30000 + k, dport=9999) / Raw(payload(n, k)))

    def peer(*layers, etype=None):
        e = Ether(src=PEER_MAC, dst=INNER_MAC)
        if etype:
            e.type = etype
        p = e
        for x in layers:
            p = p / x
        return wire(p)

    def ours(*layers, etype=None):
        e = Ether(src=INNER_MAC, dst=OUTER_MAC)
        if etype:
            e.type = etype
        p = e
        for x in layers:
            p = p / x
        return p

    arp = ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst=INNER_IP4)
    # 1518 bytes in all: 14 + 4 (+ 4) + IP.
    f = [
        peer(Dot1Q(vlan=1), v4(0)),
        peer(Dot1Q(vlan=100, prio=5),
             IP(src=PEER_IP4, dst=INNER_IP4, id=0x1101) /
             TCP(sport=30001, dport=80, seq=1000, flags="S",
                 options=[("MSS", 1460)])),
        peer(Dot1Q(vlan=4094), v4(2)),
        peer(Dot1Q(vlan=100, prio=7, id=1), v4(3)),
        peer(Dot1Q(vlan=0, prio=6), v4(4)),
        peer(Dot1Q(vlan=200), arp),
        peer(Dot1Q(vlan=300), v6(6)),
        peer(Dot1Q(vlan=300),
             IPv6(src=PEER_IP6, dst="ff02::1:ff00:2", hlim=255) /
             ICMPv6ND_NS(tgt=INNER_IP6) /
             ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)),
        peer(Dot1AD(vlan=10), Dot1Q(vlan=100), v4(8)),
        peer(Dot1AD(vlan=4000, prio=3), Dot1Q(vlan=20),
             ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst="10.77.0.9")),
        peer(Dot1AD(vlan=11, id=1), Dot1Q(vlan=101), v6(10)),
        peer(Dot1Q(vlan=30), Dot1Q(vlan=40), v4(11)),
        peer(Dot1Q(vlan=0, prio=1), Dot1Q(vlan=100), v4(12)),
        peer(Dot1Q(vlan=100), v4(13, 1500 - 28)),
        peer(Dot1Q(vlan=31), Dot1Q(vlan=41), v4(14, 1496 - 28)),
        peer(Dot1Q(vlan=5), Dot1Q(vlan=6), v4(15), etype=0x9100),
        peer(v4(16)),
    ]
    f += [
        ours(Dot1Q(vlan=100), v4(17, src=INNER_IP4, dst=PEER_IP4)),
        ours(Dot1AD(vlan=10), Dot1Q(vlan=100),
             v4(18, src=INNER_IP4, dst=PEER_IP4)),
        ours(Dot1Q(vlan=0, prio=4), v6(19, src=INNER_IP6, dst=PEER_IP6)),
        ours(Dot1Q(vlan=4094), v4(20, 1500 - 28, src=INNER_IP4,
                                  dst=PEER_IP4)),
    ]
    lens = [len(bytes(x)) for x in f]
    assert lens[13] == lens[14] == lens[20] == 1518, lens
    write(f)


main()

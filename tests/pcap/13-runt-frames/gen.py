#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Frames shorter than Ethernet's 60-byte minimum (no padding), sizes in
bytes:

From the peer's side (frames 0..9, outer end):
  0  14  an Ethernet header alone (ethertype IPv4)
  1  15  header and one byte (ethertype 0x88b5)
  2  20  header and the first 6 bytes of an IPv4 header
  3  42  an ARP request without its padding
  4  59  an IPv4 UDP datagram with 17 bytes of payload
  5  13  one byte short of a header: AF_PACKET refuses it (EINVAL)
  6   1  one byte: refused too (EINVAL)
  7  60  the minimum frame, for comparison
  8  14  another bare header (ethertype 0x88b5)
  9  54  a TCP ACK without options or padding
From the container's side (frames 10..12, inner end):
 10  14  a bare header (ethertype IPv6)
 11  42  an ARP reply, as the stack sends it
 12  20  a header and 6 bytes of an IPv6 header
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import ARP, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


def main():
    eth = bytes(Ether(src=PEER_MAC, dst=INNER_MAC, type=0x0800))
    ours = bytes(Ether(src=INNER_MAC, dst=OUTER_MAC, type=0x86dd))
    ip = bytes(IP(src=PEER_IP4, dst=INNER_IP4, id=0x1302) /
               UDP(sport=1302, dport=1302))
    udp = bytes(Ether(src=PEER_MAC, dst=INNER_MAC) /
                IP(src=PEER_IP4, dst=INNER_IP4, id=0x1304) /
                UDP(sport=1304, dport=1304) / Raw(bytes(range(4, 21))))
    full = bytes(Ether(src=PEER_MAC, dst=INNER_MAC) /
                 IP(src=PEER_IP4, dst=INNER_IP4, id=0x1307) /
                 UDP(sport=1307, dport=1307) / Raw(bytes(range(7, 25))))
    ack = bytes(Ether(src=PEER_MAC, dst=INNER_MAC) /
                IP(src=PEER_IP4, dst=INNER_IP4, id=0x1309, flags="DF") /
                TCP(sport=1309, dport=80, seq=9, ack=99, flags="A"))
    f = [
        exact(eth),
        exact(eth[:12] + b"\x88\xb5" + b"\x01"),
        exact(eth + ip[:6]),
        exact(bytes(Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
                    ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4,
                        pdst=INNER_IP4))),
        exact(udp),
        exact(eth[:13]),
        exact(eth[:1]),
        exact(full),
        exact(eth[:12] + b"\x88\xb5"),
        exact(ack),
        exact(ours),
        exact(bytes(Ether(src=INNER_MAC, dst=OUTER_MAC) /
                    ARP(op=2, hwsrc=INNER_MAC, psrc=INNER_IP4,
                        hwdst=OUTER_MAC, pdst=PEER_IP4))),
        exact(ours + bytes(IPv6(src=INNER_IP6, dst=PEER_IP6))[:6]),
    ]
    sizes = [len(bytes(x)) for x in f]
    assert sizes == [14, 15, 20, 42, 59, 13, 1, 60, 14, 54, 14, 42, 20], sizes
    write(f)


main()

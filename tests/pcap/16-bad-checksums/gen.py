#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Wrong checksums, each frame otherwise valid.

From the peer's side (frames 0..11, outer end, padded to 60 bytes):
  0  IPv4 header checksum wrong (UDP)
  1  IPv4 TCP checksum wrong
  2  IPv4 UDP checksum wrong
  3  IPv4 UDP checksum 0 (none: legal in IPv4), for comparison
  4  IPv6 UDP checksum wrong
  5  IPv6 UDP checksum 0 (illegal in IPv6)
  6  IPv6 TCP checksum wrong
  7  ICMP echo request checksum wrong
  8  ICMPv6 echo request checksum wrong
  9  IGMPv2 report checksum wrong
 10  IPv4 TCP with every checksum right, for comparison
 11  IPv4 header checksum 0xffff where it should be something else
From the container's side (frames 12..13, inner end):
 12  IPv4 TCP checksum wrong
 13  IPv6 UDP checksum wrong
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.contrib.igmp import IGMP  # noqa: E402
from scapy.layers.inet import (  # noqa: E402
    ICMP, IP, TCP, UDP, IPOption_Router_Alert)
from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(19)


def wrong(pkt, layer, field):
    """pkt with layer's checksum field off by one from the right value."""
    right = getattr(pkt.__class__(bytes(pkt))[layer], field)
    p = pkt.copy()
    setattr(p[layer], field, right ^ 0x0101)
    return p


def main():
    def peer4(k, l4, **kw):
        return Ether(src=PEER_MAC, dst=INNER_MAC) / IP(
            src=PEER_IP4, dst=INNER_IP4, id=0x1600 + k, **kw) / l4

    def peer6(k, l4):
        return Ether(src=PEER_MAC, dst=INNER_MAC) / IPv6(
            src=PEER_IP6, dst=INNER_IP6, fl=0x1600 + k) / l4

    def udp(k):
        return UDP(sport=1600 + k, dport=1600) / Raw(payload(20, k))

    def tcp(k):
        return TCP(sport=1600 + k, dport=80, seq=1000 * k, ack=1,
                   flags="PA") / Raw(payload(20, k))

    f = [
        wrong(peer4(0, udp(0)), IP, "chksum"),
        wrong(peer4(1, tcp(1)), TCP, "chksum"),
        wrong(peer4(2, udp(2)), UDP, "chksum"),
        peer4(3, UDP(sport=1603, dport=1600, chksum=0) / Raw(payload(20, 3))),
        wrong(peer6(4, udp(4)), UDP, "chksum"),
        peer6(5, UDP(sport=1605, dport=1600, chksum=0) / Raw(payload(20, 5))),
        wrong(peer6(6, tcp(6)), TCP, "chksum"),
        wrong(peer4(7, ICMP(type=8, id=0x1607, seq=7) / Raw(payload(32, 7))),
              ICMP, "chksum"),
        wrong(peer6(8, ICMPv6EchoRequest(id=0x1608, seq=8,
                                         data=payload(32, 8))),
              ICMPv6EchoRequest, "cksum"),
        wrong(Ether(src=PEER_MAC, dst="01:00:5e:01:02:03") /
              IP(src=PEER_IP4, dst="239.1.2.3", ttl=1, id=0x1609,
                 options=[IPOption_Router_Alert()]) /
              IGMP(type=0x16, gaddr="239.1.2.3"), IGMP, "chksum"),
        peer4(10, tcp(10)),
        peer4(11, udp(11), chksum=0xffff),
    ]
    f = [wire(x) for x in f]

    def ours4(k, l4):
        return Ether(src=INNER_MAC, dst=OUTER_MAC) / IP(
            src=INNER_IP4, dst=PEER_IP4, id=0x1600 + k, flags="DF") / l4

    def ours6(k, l4):
        return Ether(src=INNER_MAC, dst=OUTER_MAC) / IPv6(
            src=INNER_IP6, dst=PEER_IP6, fl=0x1600 + k) / l4

    f += [
        wrong(ours4(12, tcp(12)), TCP, "chksum"),
        wrong(ours6(13, udp(13)), UDP, "chksum"),
    ]
    write(f)


main()

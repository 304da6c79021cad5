#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Frames whose IP or transport lengths claim more than the frame carries
(as from a capture with a short snap length or a broken sender), all from
the peer (outer end):

  0  IPv4 UDP, total length 1000, 100 bytes of IP in the frame
  1  IPv4, total length 30 (consistent) but only 10 bytes of TCP header
  2  IPv4, total length 40 (a whole TCP header) with 10 bytes of it
  3  IPv4 UDP, IP consistent, UDP length 500 for 58 bytes of datagram
  4  IPv6 UDP, payload length 1000, 60 bytes of payload in the frame
  5  IPv6 UDP, payload consistent, UDP length 300 for 48 bytes
  6  IPv4 UDP followed by 20 bytes that are not zero padding
  7  IPv4 ICMP echo, total length 24: 4 bytes of ICMP header
  8  IPv6, the frame ends 30 bytes into the IPv6 header
  9  IPv4, the frame ends 19 bytes into the IPv4 header
 10  IPv6 TCP, payload length 20 (consistent), TCP header cut at 12 bytes
 11  IPv4 first fragment (MF) whose total length exceeds the frame
 12  IPv6 with a Hop-by-Hop header whose length runs past the frame
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import ICMP, IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6, IPv6ExtHdrHopByHop  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(13)


def set_ip4(ip, **kw):
    """Rewrite fields of a built IPv4 header and fix its checksum."""
    b = bytearray(ip)
    if "tot_len" in kw:
        b[2:4] = struct.pack("!H", kw["tot_len"])
    b[10:12] = b"\0\0"
    ihl = (b[0] & 0xf) * 4
    b[10:12] = struct.pack("!H", csum(bytes(b[:ihl])))
    return bytes(b)


def main():
    eth4 = bytes(Ether(src=PEER_MAC, dst=INNER_MAC, type=0x0800))
    eth6 = bytes(Ether(src=PEER_MAC, dst=INNER_MAC, type=0x86dd))

    def ip4(k, l4, **kw):
        return bytes(IP(src=PEER_IP4, dst=INNER_IP4, id=0x1400 + k,
                        **kw) / l4)

    def ip6(k, l4):
        return bytes(IPv6(src=PEER_IP6, dst=INNER_IP6, fl=0x1400 + k) / l4)

    f = []
    # 0: total length 1000, 100 bytes present.
    p = ip4(0, UDP(sport=1400, dport=1400) / Raw(payload(972, 0)))
    f.append(exact(eth4 + p[:100]))
    # 1: the IP header says 30: 10 bytes of TCP, consistently.
    p = ip4(1, TCP(sport=1401, dport=80, seq=1, flags="S"))
    f.append(exact(eth4 + set_ip4(p[:20], tot_len=30) + p[20:30] +
                   bytes(16)))
    # 2: the IP header says 40, the frame has 30 of it.
    p = ip4(2, TCP(sport=1402, dport=80, seq=2, flags="S"))
    f.append(exact(eth4 + p[:30]))
    # 3: UDP length 500, 58 bytes of datagram.
    p = ip4(3, UDP(sport=1403, dport=1403, len=500) / Raw(payload(50, 3)))
    f.append(exact(eth4 + p))
    # 4: IPv6 payload length 1000, 60 bytes present.
    p = ip6(4, UDP(sport=1404, dport=1404) / Raw(payload(992, 4)))
    f.append(exact(eth6 + p[:100]))
    # 5: UDP length 300 for 48 bytes.
    p = ip6(5, UDP(sport=1405, dport=1405, len=300) / Raw(payload(40, 5)))
    f.append(exact(eth6 + p))
    # 6: 20 bytes after the IP packet that are not padding.
    p = ip4(6, UDP(sport=1406, dport=1406) / Raw(payload(30, 6)))
    f.append(exact(eth4 + p + payload(20, 106)))
    # 7: ICMP cut to 4 bytes, consistently.
    p = ip4(7, ICMP(type=8, id=0x1407, seq=7) / Raw(payload(32, 7)))
    f.append(exact(eth4 + set_ip4(p[:20], tot_len=24) + p[20:24] +
                   bytes(22)))
    # 8: 30 bytes of IPv6 header.
    p = ip6(8, UDP(sport=1408, dport=1408) / Raw(payload(16, 8)))
    f.append(exact(eth6 + p[:30]))
    # 9: 19 bytes of IPv4 header.
    p = ip4(9, UDP(sport=1409, dport=1409) / Raw(payload(16, 9)))
    f.append(exact(eth4 + p[:19]))
    # 10: IPv6 payload length 12 with 12 bytes of TCP header.
    p = ip6(10, TCP(sport=1410, dport=80, seq=10, flags="S"))
    b = bytearray(p[:52])
    b[4:6] = struct.pack("!H", 12)
    f.append(exact(eth6 + bytes(b)))
    # 11: a first fragment claiming 1500 bytes, carrying 200.
    p = ip4(11, UDP(sport=1411, dport=1411, len=3008) /
            Raw(payload(1472, 11)), flags="MF")
    f.append(exact(eth4 + p[:200]))
    # 12: a Hop-by-Hop header of 64 bytes in a 40-byte payload.
    p = ip6(12, IPv6ExtHdrHopByHop(nh=59, len=7) / Raw(payload(32, 12)))
    f.append(exact(eth6 + p[:80]))
    write(f)


main()

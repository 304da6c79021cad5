#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
IPv4 headers that are wrong, from the peer (outer end), each carrying a
UDP datagram (header checksums correct unless said otherwise):

  0  IHL 0
  1  IHL 4 (16 bytes: shorter than the minimum header)
  2  IHL 15 (60 bytes) in a packet of 40 bytes
  3  IHL 15 with 40 bytes of real options (Record Route): valid
  4  version 6 in an IPv4 header under the IPv4 ethertype
  5  version 5
  6  version 0
  7  total length 16, less than IHL*4 (20)
  8  total length 0
  9  TTL 0
 10  TTL 0 on an ICMP echo request
 11  source address 224.0.0.5 (multicast)
 12  source address 127.0.0.1 (loopback)
 13  destination address 0.0.0.0
 14  an option whose length byte is 0
 15  an option running past IHL
 16  reserved (evil) flag bit set, with DF
 17  DF and MF together, offset 0
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import ICMP, IP, UDP, IPOption_RR  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(17)


def main():
    eth = bytes(Ether(src=PEER_MAC, dst=INNER_MAC, type=0x0800))

    def good(k, **kw):
        """A correct IPv4 UDP packet, as bytes."""
        kw.setdefault("src", PEER_IP4)
        kw.setdefault("dst", INNER_IP4)
        return bytes(IP(id=0x1500 + k, **kw) /
                     UDP(sport=1500 + k, dport=1500) / Raw(payload(24, k)))

    def patch(p, vihl=None, tot_len=None, hdr_len=None):
        """Rewrite version/IHL or total length; checksum over hdr_len."""
        b = bytearray(p)
        if vihl is not None:
            b[0] = vihl
        if tot_len is not None:
            b[2:4] = struct.pack("!H", tot_len)
        b[10:12] = b"\0\0"
        n = hdr_len if hdr_len is not None else (b[0] & 0xf) * 4
        b[10:12] = struct.pack("!H", csum(bytes(b[:n])))
        return bytes(b)

    f = []
    f.append(wire(eth + patch(good(0), vihl=0x40, hdr_len=20)))
    f.append(wire(eth + patch(good(1), vihl=0x44)))
    p = good(2)
    f.append(wire(eth + patch(p[:20] + p[20:40], vihl=0x4f, tot_len=40,
                              hdr_len=40)))
    f.append(wire(eth + bytes(
        IP(src=PEER_IP4, dst=INNER_IP4, id=0x1503,
           options=[IPOption_RR(length=39, routers=["0.0.0.0"] * 9)]) /
        UDP(sport=1503, dport=1500) / Raw(payload(24, 3)))))
    f.append(wire(eth + patch(good(4), vihl=0x65, hdr_len=20)))
    f.append(wire(eth + patch(good(5), vihl=0x55, hdr_len=20)))
    f.append(wire(eth + patch(good(6), vihl=0x05, hdr_len=20)))
    f.append(wire(eth + patch(good(7), tot_len=16)))
    f.append(wire(eth + patch(good(8), tot_len=0)))
    f.append(wire(eth + good(9, ttl=0)))
    f.append(wire(eth + bytes(IP(src=PEER_IP4, dst=INNER_IP4, id=0x150a,
                                 ttl=0) /
                              ICMP(type=8, id=0x150a, seq=10) /
                              Raw(payload(16, 10)))))
    f.append(wire(eth + good(11, src="224.0.0.5")))
    f.append(wire(eth + good(12, src="127.0.0.1")))
    f.append(wire(eth + good(13, dst="0.0.0.0")))
    # Options by hand: IHL 6, a 4-byte option area.
    p = good(14)
    opt_zero = bytes([0x44, 0x00, 0x00, 0x00])	# timestamp, length 0
    f.append(wire(eth + patch(p[:20] + opt_zero + p[20:], vihl=0x46,
                              tot_len=len(p) + 4)))
    p = good(15)
    opt_long = bytes([0x07, 0x0b, 0x04, 0x00])	# record route, 11 > 4
    f.append(wire(eth + patch(p[:20] + opt_long + p[20:], vihl=0x46,
                              tot_len=len(p) + 4)))
    p = bytearray(good(16, flags="DF"))
    p[6] |= 0x80
    f.append(wire(eth + patch(bytes(p))))
    f.append(wire(eth + good(17, flags="DF+MF")))
    write(f)


main()

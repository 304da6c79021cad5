#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Frames whose ethertype the container's stack does not expect, or which
are no Ethernet II frames at all.

From the peer's side (frames 0..17, outer end, padded to 60 bytes unless
said otherwise):
  0  0x88b5 (local experimental 1)
  1  0x88b6 (local experimental 2)
  2  0x1234 (unassigned)
  3  802.3 length field, LLC/SNAP (OUI 0, type 0x0800) carrying IPv4 UDP
  4  802.3, LLC 0x42: a spanning-tree BPDU to 01:80:c2:00:00:00
  5  802.3 "raw" (Novell): 0xffff right after the length
  6  ethertype IPv4 carrying an IPv6 packet
  7  ethertype IPv6 carrying an IPv4 packet
  8  ethertype 0x0000 (an 802.3 length of 0) followed by bytes
  9  length field 1500 over a frame of 60 bytes
 10  0x0600, the smallest ethertype
 11  0x05ff, between the largest length (0x05dc) and the smallest type
 12  0xffff
 13  ARP ethertype over bytes that are no ARP packet
 14  LLDP (0x88cc) to 01:80:c2:00:00:0e
 15  MAC control PAUSE (0x8808) to 01:80:c2:00:00:01
 16  802.1Q ethertype with no room for the tag (16 bytes, not padded)
 17  a plain IPv4 UDP frame, for comparison
From the container's side (frames 18..19, inner end):
 18  0x88b5
 19  802.3 LLC/SNAP carrying IPv6 UDP
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import LLC, SNAP, STP, Dot3, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(23)


def main():
    def eth(etype, dst=INNER_MAC, src=PEER_MAC):
        return bytes(Ether(src=src, dst=dst, type=etype))

    def udp4(k, src=PEER_IP4, dst=INNER_IP4):
        return bytes(IP(src=src, dst=dst, id=0x1700 + k) /
                     UDP(sport=1700 + k, dport=9999) / Raw(payload(20, k)))

    def udp6(k, src=PEER_IP6, dst=INNER_IP6):
        return bytes(IPv6(src=src, dst=dst, fl=0x1700 + k) /
                     UDP(sport=1700 + k, dport=9999) / Raw(payload(20, k)))

    def lldp():
        def tlv(t, v):
            n = len(v)
            return bytes([(t << 1) | (n >> 8), n & 0xff]) + v
        return (tlv(1, b"\x04" + bytes.fromhex(PEER_MAC.replace(":", ""))) +
                tlv(2, b"\x05" + b"eth0") + tlv(3, b"\x00\x78") +
                tlv(5, b"peer") + tlv(0, b""))

    f = [
        wire(eth(0x88b5) + payload(40, 0)),
        wire(eth(0x88b6) + payload(40, 1)),
        wire(eth(0x1234) + payload(40, 2)),
        wire(bytes(Dot3(src=PEER_MAC, dst=INNER_MAC) /
                   LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
                   SNAP(OUI=0, code=0x0800) / Raw(udp4(3)))),
        wire(bytes(Dot3(src=PEER_MAC, dst="01:80:c2:00:00:00") /
                   LLC(dsap=0x42, ssap=0x42, ctrl=3) /
                   STP(rootid=32768, rootmac=PEER_MAC, bridgeid=32768,
                       bridgemac=PEER_MAC, portid=0x8001))),
        wire(eth(30) + b"\xff\xff" + payload(28, 5)),
        wire(eth(0x0800) + udp6(6)),
        wire(eth(0x86dd) + udp4(7)),
        wire(eth(0x0000) + payload(46, 8)),
        wire(eth(1500) + payload(46, 9)),
        wire(eth(0x0600) + payload(46, 10)),
        wire(eth(0x05ff) + payload(46, 11)),
        wire(eth(0xffff) + payload(46, 12)),
        wire(eth(0x0806) + payload(46, 13)),
        wire(eth(0x88cc, dst="01:80:c2:00:00:0e") + lldp()),
        wire(eth(0x8808, dst="01:80:c2:00:00:01") + b"\x00\x01\xff\xff"),
        exact(eth(0x8100) + b"\x00\x64"),
        wire(eth(0x0800) + udp4(17)),
    ]
    f += [
        exact(eth(0x88b5, dst=OUTER_MAC, src=INNER_MAC) + payload(40, 18)),
        exact(bytes(Dot3(src=INNER_MAC, dst=OUTER_MAC) /
                    LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
                    SNAP(OUI=0, code=0x86dd) /
                    Raw(udp6(19, src=INNER_IP6, dst=PEER_IP6)))),
    ]
    write(f)


main()

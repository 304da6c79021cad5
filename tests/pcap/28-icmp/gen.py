#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
ICMP and ICMPv6, the errors quoting the packets they are about (a router
of the peer's side is 10.77.0.254 / fd77::fe).

From the peer's side (frames 0..16, outer end):
  0  echo request (56 bytes of data)
  1  echo reply to the container's request (frame 17)
  2  port unreachable from 10.77.0.1 quoting the container's DNS query
  3  fragmentation needed, next-hop MTU 1400, from the router, quoting the
     IP header and 8 bytes of a container's 1500-byte TCP segment
  4  TTL exceeded in transit from the router, quoting a traceroute probe
  5  fragment reassembly time exceeded, quoting a first fragment
  6  host unreachable from the router
  7  redirect for host, gateway 10.77.0.254
  8  echo request of 1472 bytes of data (a 1514-byte frame)
  9  timestamp request
 10  ICMPv6 echo request
 11  ICMPv6 echo reply to the container's (frame 20)
 12  ICMPv6 packet too big, MTU 1280, quoting as much of a container's
     1500-byte TCP segment as fits in 1280 bytes
 13  ICMPv6 destination unreachable, port unreachable, quoting UDP
 14  ICMPv6 destination unreachable, no route, from the router
 15  ICMPv6 time exceeded, hop limit, from the router
 16  ICMPv6 parameter problem, unrecognized next header, pointer 6
From the container's side (frames 17..21, inner end):
 17  echo request
 18  echo reply to frame 0
 19  port unreachable quoting the peer's UDP datagram
 20  ICMPv6 echo request
 21  ICMPv6 echo reply to frame 10
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.dns import DNS, DNSQR  # noqa: E402
from scapy.layers.inet import ICMP, IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
    ICMPv6PacketTooBig, ICMPv6ParamProblem, ICMPv6TimeExceeded, IPv6)
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

ROUTER4, ROUTER6 = "10.77.0.254", "fd77::fe"


payload = payloads(59)


def main():
    def peer4(k, icmp, src=PEER_IP4):
        return wire(Ether(src=PEER_MAC, dst=INNER_MAC) /
                    IP(src=src, dst=INNER_IP4, id=0x2800 + k) / icmp)

    def peer6(icmp, src=PEER_IP6):
        return (Ether(src=PEER_MAC, dst=INNER_MAC) /
                IPv6(src=src, dst=INNER_IP6, hlim=64) / icmp)

    def ours4(k, icmp):
        return (Ether(src=INNER_MAC, dst=OUTER_MAC) /
                IP(src=INNER_IP4, dst=PEER_IP4, id=0x2880 + k) / icmp)

    def ours6(icmp):
        return (Ether(src=INNER_MAC, dst=OUTER_MAC) /
                IPv6(src=INNER_IP6, dst=PEER_IP6, hlim=64) / icmp)

    # What the errors quote: packets the container sent, as bytes.
    query = bytes(IP(src=INNER_IP4, dst=PEER_IP4, id=0x0280, flags="DF") /
                  UDP(sport=41028, dport=53) /
                  DNS(id=0x2828, rd=1, qd=DNSQR(qname="icmp.example.")))
    big = bytes(IP(src=INNER_IP4, dst=PEER_IP4, id=0x0281, flags="DF") /
                TCP(sport=41029, dport=443, seq=28000, ack=1, flags="PA") /
                Raw(payload(1460, 1)))
    probe = bytes(IP(src=INNER_IP4, dst="10.99.0.1", id=0x0282, ttl=1) /
                  UDP(sport=41030, dport=33434) / Raw(payload(32, 2)))
    frag = bytes(IP(src=INNER_IP4, dst=PEER_IP4, id=0x0283, flags="MF") /
                 UDP(sport=41031, dport=9999, len=2008) /
                 Raw(payload(1472, 3)))
    route = bytes(IP(src=INNER_IP4, dst="10.99.0.2", id=0x0284) /
                  UDP(sport=41032, dport=9999) / Raw(payload(16, 4)))
    big6 = bytes(IPv6(src=INNER_IP6, dst=PEER_IP6) /
                 TCP(sport=41033, dport=443, seq=28000, ack=1, flags="PA") /
                 Raw(payload(1440, 5)))
    udp6 = bytes(IPv6(src=INNER_IP6, dst=PEER_IP6) /
                 UDP(sport=41034, dport=9999) / Raw(payload(24, 6)))
    far6 = bytes(IPv6(src=INNER_IP6, dst="fd99::1") /
                 UDP(sport=41035, dport=9999) / Raw(payload(24, 7)))
    odd6 = bytes(IPv6(src=INNER_IP6, dst=PEER_IP6, nh=253) /
                 Raw(payload(24, 8)))
    theirs = bytes(IP(src=PEER_IP4, dst=INNER_IP4, id=0x0285) /
                   UDP(sport=41036, dport=9999) / Raw(payload(20, 9)))

    f = [
        peer4(0, ICMP(type=8, id=0x2800, seq=1) / Raw(payload(56, 0))),
        peer4(1, ICMP(type=0, id=0x2811, seq=1) / Raw(payload(56, 17))),
        peer4(2, ICMP(type=3, code=3) / Raw(query)),
        peer4(3, ICMP(type=3, code=4, nexthopmtu=1400) / Raw(big[:28]),
              src=ROUTER4),
        peer4(4, ICMP(type=11, code=0) / Raw(probe[:28]), src=ROUTER4),
        peer4(5, ICMP(type=11, code=1) / Raw(frag[:28])),
        peer4(6, ICMP(type=3, code=1) / Raw(route[:28]), src=ROUTER4),
        peer4(7, ICMP(type=5, code=1, gw=ROUTER4) / Raw(route[:28]),
              src=ROUTER4),
        peer4(8, ICMP(type=8, id=0x2800, seq=2) / Raw(payload(1472, 8))),
        peer4(9, ICMP(type=13, id=0x2809, seq=1, ts_ori=36000000,
                      ts_rx=0, ts_tx=0)),
        peer6(ICMPv6EchoRequest(id=0x2810, seq=1, data=payload(56, 10))),
        peer6(ICMPv6EchoReply(id=0x2820, seq=1, data=payload(56, 20))),
        peer6(ICMPv6PacketTooBig(mtu=1280) / Raw(big6[:1280 - 48]),
              src=ROUTER6),
        peer6(ICMPv6DestUnreach(code=4) / Raw(udp6)),
        peer6(ICMPv6DestUnreach(code=0) / Raw(far6), src=ROUTER6),
        peer6(ICMPv6TimeExceeded(code=0) / Raw(far6), src=ROUTER6),
        peer6(ICMPv6ParamProblem(code=1, ptr=6) / Raw(odd6)),
        ours4(0, ICMP(type=8, id=0x2811, seq=1) / Raw(payload(56, 17))),
        ours4(1, ICMP(type=0, id=0x2800, seq=1) / Raw(payload(56, 0))),
        ours4(2, ICMP(type=3, code=3) / Raw(theirs)),
        ours6(ICMPv6EchoRequest(id=0x2820, seq=1, data=payload(56, 20))),
        ours6(ICMPv6EchoReply(id=0x2810, seq=1, data=payload(56, 10))),
    ]
    assert len(bytes(f[8])) == 1514 and len(bytes(f[12])) == 1294
    write(f)


main()

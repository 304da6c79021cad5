#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
IPv4 fragments from the peer to the container, as the peer's side of the
wire carries them (the pair must hand them on exactly, never reassembled):

  0..2   A: a UDP datagram of 3008 bytes in three fragments, in order
  3..5   B: a UDP datagram of 2008 bytes, fragments last, first, middle
  6..7   C: overlapping fragments: [0,800) then [600,1208), the 200 bytes
         of overlap carrying other data than the first fragment
  8..9   D: a tiny first fragment (8 bytes: the UDP header only), the rest
 10..11  E: a TCP tiny fragment (RFC 1858): 8 bytes first (ports and
         sequence number), the flags in the second fragment
 12..13  F: a TCP overlap rewrite (RFC 1858): a whole ACK header, then a
         fragment at offset 8 rewriting the flags to SYN
 14..17  G and H: two datagrams' fragments interleaved
 18      I: a last fragment that ends beyond 65535 bytes (ping of death)
 19      J: a middle fragment whose datagram never completes
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import ICMP, IP, TCP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(61, 7, 1)


def l4_bytes(ident, l4):
    """The IP payload (transport header and data) of a whole datagram."""
    return bytes(IP(src=PEER_IP4, dst=INNER_IP4, id=ident) / l4)[20:]


def frag(ident, body, start, end, more, proto=17, data=None):
    """The fragment of body [start, end) (or data in its place)."""
    assert start % 8 == 0
    part = body[start:end] if data is None else data
    return wire(Ether(src=PEER_MAC, dst=INNER_MAC) /
                IP(src=PEER_IP4, dst=INNER_IP4, id=ident, proto=proto,
                   flags="MF" if more else 0, frag=start // 8) /
                Raw(part))


def udp(k, n):
    return UDP(sport=29000 + k, dport=9999) / Raw(payload(n, k))


def main():
    f = []
    # A: in order.
    a = l4_bytes(0x2901, udp(1, 3000))
    f += [frag(0x2901, a, 0, 1480, True), frag(0x2901, a, 1480, 2960, True),
          frag(0x2901, a, 2960, len(a), False)]
    # B: out of order.
    b = l4_bytes(0x2902, udp(2, 2000))
    f += [frag(0x2902, b, 1600, len(b), False),
          frag(0x2902, b, 0, 800, True), frag(0x2902, b, 800, 1600, True)]
    # C: overlap with different data.
    c = l4_bytes(0x2903, udp(3, 1200))
    f += [frag(0x2903, c, 0, 800, True),
          frag(0x2903, c, 600, len(c), False,
               data=payload(200, 103) + c[800:])]
    # D: the first fragment is the UDP header alone.
    d = l4_bytes(0x2904, udp(4, 600))
    f += [frag(0x2904, d, 0, 8, True), frag(0x2904, d, 8, len(d), False)]
    # E: TCP header split: ports and sequence number first, flags after.
    e = l4_bytes(0x2905, TCP(sport=29005, dport=22, seq=5, flags="S",
                             window=1024) / Raw(payload(8, 5)))
    f += [frag(0x2905, e, 0, 8, True, proto=6),
          frag(0x2905, e, 8, len(e), False, proto=6)]
    # F: an ACK rewritten into a SYN by an overlapping second fragment.
    ack = l4_bytes(0x2906, TCP(sport=29006, dport=22, seq=6, ack=1,
                               flags="A", window=1024) / Raw(payload(8, 6)))
    syn = l4_bytes(0x2906, TCP(sport=29006, dport=22, seq=6, ack=1,
                               flags="S", window=1024) / Raw(payload(8, 6)))
    f += [frag(0x2906, ack, 0, len(ack), True, proto=6),
          frag(0x2906, syn, 8, len(syn), False, proto=6)]
    # G and H interleaved.
    g = l4_bytes(0x2907, udp(7, 1000))
    h = l4_bytes(0x2908, udp(8, 1100))
    f += [frag(0x2907, g, 0, 504, True), frag(0x2908, h, 0, 504, True),
          frag(0x2907, g, 504, len(g), False),
          frag(0x2908, h, 504, len(h), False)]
    # I: offset 65512, 100 bytes: past the largest datagram.
    f.append(frag(0x2909, b"", 65512, 0, False, proto=1,
                  data=payload(100, 9)))
    # J: a middle fragment alone (an ICMP echo's, say).
    j = l4_bytes(0x290a, ICMP(type=8, id=0x290a, seq=1) /
                 Raw(payload(3000, 10)))
    f.append(frag(0x290a, j, 1480, 2960, True, proto=1))
    assert len(f) == 20
    write(f)


main()

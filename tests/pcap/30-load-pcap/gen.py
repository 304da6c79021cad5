#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Three captures:

- extra.pcap, 10 frames to load as ingress (towards the container):
  UDP datagrams "loaded 0".."loaded 6" (IPv4 and IPv6, up to 1514
  bytes), an 802.1Q-tagged one, an unpadded ARP request, a 14-byte bare
  Ethernet header;
- extra-egress.pcap, 5 frames to load as egress (from the container);
- input.pcap, the frames sent afterwards: 0..9 from the peer (outer
  end), 10..14 from the container (inner end), UDP "sent N".
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import ARP, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


def text(word, k, n):
    """A payload that says what the frame is, filled up to n bytes."""
    head = f"{word} {k:02d}:".encode()
    return head + bytes((k * 67 + j) & 0xff for j in range(n - len(head)))


def udp(word, k, n, inner=False, v6=False, tag=None):
    if inner:
        p = Ether(src=INNER_MAC, dst=OUTER_MAC)
        s4, d4, s6, d6 = INNER_IP4, PEER_IP4, INNER_IP6, PEER_IP6
    else:
        p = Ether(src=PEER_MAC, dst=INNER_MAC)
        s4, d4, s6, d6 = PEER_IP4, INNER_IP4, PEER_IP6, INNER_IP6
    if tag is not None:
        p = p / Dot1Q(vlan=tag)
    base = 3000 if word == "loaded" else 3100
    ip = (IPv6(src=s6, dst=d6, fl=base + k) if v6 else
          IP(src=s4, dst=d4, id=base + k, flags="DF" if inner else 0))
    return p / ip / UDP(sport=base * 10 + k, dport=9999) / \
        Raw(text(word, k, n))


def main():
    extra = [udp("loaded", k, 40 + 60 * k, v6=k % 3 == 1) for k in range(6)]
    extra.append(udp("loaded", 6, 1472))
    extra.append(udp("loaded", 7, 64, tag=300))
    extra.append(Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
                 ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst=INNER_IP4))
    extra.append(Ether(src=PEER_MAC, dst=INNER_MAC, type=0x88b5))
    assert len(bytes(extra[6])) == 1514 and len(bytes(extra[9])) == 14
    write(extra, "extra.pcap")

    back = [udp("loaded", 10 + k, 30 + 90 * k, inner=True, v6=k % 2 == 1)
            for k in range(5)]
    write(back, "extra-egress.pcap")

    f = [udp("sent", k, 50 + 37 * k, v6=k % 4 == 3) for k in range(10)]
    f += [udp("sent", 10 + k, 50 + 37 * k, inner=True) for k in range(5)]
    write(f)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
IPv6 packets with extension headers, from the peer (fd77::1) to the
container (fd77::2), frames 0..25 (from the outer end):

- Hop-by-Hop with a Router Alert, with PadN and an unknown option;
- Routing type 0 (segments left 0 and 1), type 2 (Mobile IPv6), type 4
  (segment routing, segments left 0 and 1);
- Destination Options with PadN and an unknown option, with a Home
  Address option;
- Fragment headers: the two fragments of a UDP datagram, an atomic
  fragment, a lone non-first fragment;
- AH, ESP, an unknown next header (253), No Next Header (59) with bytes
  after it, IPv6 in IPv6;
- chains: HbH, DestOpt, Routing, Fragment, DestOpt, TCP; HbH, SRH,
  Fragment, UDP; HbH, DestOpt, AH, ICMPv6; two DestOpts; HbH after a
  DestOpt (out of order); HbH and six DestOpts;

with TCP, UDP and ICMPv6 payloads. Frames 26..28 come from the container
(from the inner end): a Destination Options UDP datagram and the two
fragments of a UDP datagram.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.inet import TCP, UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    HAO, HBHOptUnknown, ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
    IPv6ExtHdrSegmentRouting, PadN, RouterAlert)
from scapy.layers.ipsec import AH, ESP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


payload = payloads(7)


def tcp(k):
    return TCP(sport=41000 + k, dport=80, seq=0x10000 * k, flags="S",
               window=64800, options=[("MSS", 1440)])


def udp(k, n=24):
    return UDP(sport=42000 + k, dport=5353 + k) / Raw(payload(n, k))


def icmp(k):
    return ICMPv6EchoRequest(id=0x600 + k, seq=k, data=payload(32, k))


def ra():
    return RouterAlert(otype=5, optlen=2, value=0)


def main():
    def pkt(*layers, src=PEER_IP6, dst=INNER_IP6):
        p = IPv6(src=src, dst=dst, hlim=64)
        for layer in layers:
            p = p / layer
        return p

    def out(p):
        return wire(Ether(src=PEER_MAC, dst=INNER_MAC) / p)

    def fragments(k, n, cut, frag_id, src, dst):
        """The two fragments of one UDP datagram of n bytes of payload."""
        whole = bytes(IPv6(src=src, dst=dst) / udp(k, n))[40:]
        return [IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=frag_id) /
                Raw(whole[:cut]),
                IPv6ExtHdrFragment(nh=17, offset=cut // 8, m=0, id=frag_id) /
                Raw(whole[cut:])]

    f = []
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[ra()]), udp(0))))
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[ra()]), icmp(1))))
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[
        PadN(otype=1, optlen=1, optdata=b"\0"),
        HBHOptUnknown(otype=0x1e, optlen=3, optdata=b"\x01\x02\x03")]),
        udp(2))))
    f.append(out(pkt(IPv6ExtHdrRouting(type=0, segleft=0, addresses=[
        "fd77::10", "fd77::11"]), tcp(3))))
    f.append(out(pkt(IPv6ExtHdrRouting(type=0, segleft=1, addresses=[
        "fd77::12"]), tcp(4))))
    f.append(out(pkt(IPv6ExtHdrRouting(type=2, segleft=1, addresses=[
        "fd77::2:1"]), udp(5))))
    f.append(out(pkt(IPv6ExtHdrSegmentRouting(segleft=0, lastentry=2,
                                              addresses=[INNER_IP6,
                                                         "fd77::20",
                                                         "fd77::21"]),
                     tcp(6))))
    f.append(out(pkt(IPv6ExtHdrSegmentRouting(segleft=1, lastentry=1,
                                              addresses=["fd77::99",
                                                         INNER_IP6]),
                     icmp(7))))
    f.append(out(pkt(IPv6ExtHdrDestOpt(options=[
        PadN(otype=1, optlen=0),
        HBHOptUnknown(otype=0x1f, optlen=2, optdata=b"\xab\xcd")]), udp(8))))
    f.append(out(pkt(IPv6ExtHdrDestOpt(options=[
        PadN(otype=1, optlen=2, optdata=b"\0\0"),
        HAO(hoa="fd77::2:9")]), icmp(9))))
    f += [out(pkt(x)) for x in fragments(10, 1200, 608, 0x0a0b0c0d,
                                          PEER_IP6, INNER_IP6)]
    f.append(out(pkt(IPv6ExtHdrFragment(nh=6, offset=0, m=0, id=0x12),
                     tcp(12))))
    f.append(out(pkt(IPv6ExtHdrFragment(nh=6, offset=77, m=1, id=0x13),
                     Raw(payload(96, 13)))))
    # scapy does not see through AH for the UDP checksum: made apart.
    f.append(out(pkt(AH(nh=17, payloadlen=4, spi=0x1000, seq=1,
                        icv=payload(12, 14)),
                     Raw(bytes(pkt(udp(14)))[40:]))))
    f.append(out(pkt(ESP(spi=0x2000, seq=1, data=payload(64, 15)))))
    p = pkt(Raw(payload(40, 16)))
    p.nh = 253
    f.append(out(p))
    p = pkt(Raw(payload(16, 17)))
    p.nh = 59
    f.append(out(p))
    f.append(out(pkt(IPv6(src="fd77::30", dst=INNER_IP6, hlim=63) /
                     IPv6ExtHdrHopByHop(options=[ra()]) / udp(18))))
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[ra()]),
                     IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                     optdata=bytes(4))]),
                     IPv6ExtHdrRouting(type=0, segleft=0,
                                       addresses=["fd77::40"]),
                     IPv6ExtHdrFragment(nh=60, offset=0, m=0, id=0x19),
                     IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                     optdata=b"\x19" * 4)]),
                     tcp(19))))
    whole = bytes(IPv6(src=PEER_IP6, dst=INNER_IP6) / udp(20, 300))[40:]
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[ra()]),
                     IPv6ExtHdrSegmentRouting(segleft=0, lastentry=1,
                                              addresses=[INNER_IP6,
                                                         "fd77::50"]),
                     IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x20),
                     Raw(whole[:160]))))
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[ra()]),
                     IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                     optdata=b"\x21" * 4)]),
                     AH(nh=58, payloadlen=4, spi=0x1001, seq=2,
                        icv=payload(12, 21)),
                     icmp(21))))
    f.append(out(pkt(IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                     optdata=b"\x22" * 4)]),
                     IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                     optdata=b"\x23" * 4)]),
                     udp(22))))
    f.append(out(pkt(IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                     optdata=b"\x24" * 4)]),
                     IPv6ExtHdrHopByHop(options=[ra()]), udp(23))))
    chain = [IPv6ExtHdrHopByHop(options=[ra()])]
    chain += [IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                              optdata=bytes([24 + i]) * 4)])
              for i in range(6)]
    f.append(out(pkt(*chain, udp(24))))
    # UDP with a Destination Options header and an ICMPv6 payload after
    # a Hop-by-Hop with a jumbo-sized unknown option that is skipped.
    f.append(out(pkt(IPv6ExtHdrHopByHop(options=[
        HBHOptUnknown(otype=0x3e, optlen=60, optdata=payload(60, 25))]),
        icmp(25))))
    assert len(f) == 26, len(f)

    # The container's own: a DestOpt datagram and a fragmented one.
    def back(p):
        return Ether(src=INNER_MAC, dst=OUTER_MAC) / p
    f.append(back(pkt(IPv6ExtHdrDestOpt(options=[PadN(otype=1, optlen=4,
                                                      optdata=bytes(4))]),
                      udp(26), src=INNER_IP6, dst=PEER_IP6)))
    f += [back(pkt(x, src=INNER_IP6, dst=PEER_IP6))
          for x in fragments(27, 1800, 1448, 0x5eed0001, INNER_IP6,
                             PEER_IP6)]
    write(f)


main()

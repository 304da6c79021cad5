#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
IPv6 neighbour discovery while the container is checkpointed (hop limit
255 throughout; the peer is also the router, fe80::5eff:fe10:fe).

From the peer's side (frames 0..10, outer end):
  0  NS for fd77::2 from fd77::1 to its solicited-node group ff02::1:ff00:2
  1  DAD NS for fd77::2 from :: (someone else wants the container's address)
  2  DAD NS for fd77::1 from :: (the peer's own DAD), ff02::1:ff00:1
  3  unicast NS (reachability) for fd77::2 to the container's MAC
  4  solicited NA from the router (R, S, O) for fd77::1, to fd77::2
  5  unsolicited override NA for fd77::1 to all-nodes ff02::1
  6  RS from :: to all-routers ff02::2 (another host starting)
  7  RA to all-nodes: prefix fd77::/64 (on-link, autonomous), MTU, RDNSS
  8  solicited RA to the container's link-local address
  9  redirect to the container: fd77:99::1 is better reached via fe80::99
 10  NA from the router for its link-local address (R, S, O)
From the container's side (frames 11..15, inner end):
 11  MLDv2 report joining ff02::1:ff00:2 and ff02::1:ff10:2 (from ::)
 12  DAD NS for fd77::2 from ::
 13  RS from fe80::5eff:fe10:2 to ff02::2, with its link-layer address
 14  NS for fd77::1 to ff02::1:ff00:1
 15  solicited NA for fd77::2 to the peer
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from scapy.layers.inet import UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6MLDMultAddrRec, ICMPv6MLReport2, ICMPv6ND_NA, ICMPv6ND_NS,
    ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr,
    ICMPv6NDOptMTU, ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS,
    ICMPv6NDOptRedirectedHdr, ICMPv6NDOptSrcLLAddr, IPv6,
    IPv6ExtHdrHopByHop, RouterAlert)
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

PEER_LL = "fe80::5eff:fe10:fe"
INNER_LL = "fe80::5eff:fe10:2"
ALL_NODES, ALL_ROUTERS, MLDV2 = "ff02::1", "ff02::2", "ff02::16"


def sn(addr_last24):
    """Solicited-node group and its MAC for the last 24 bits given."""
    a, b = addr_last24 >> 16, addr_last24 & 0xffff
    return (f"ff02::1:ff{a:02x}:{b:x}",
            f"33:33:ff:{a:02x}:{b >> 8:02x}:{b & 0xff:02x}")


def mmac(group):
    """The 33:33:xx MAC of an IPv6 multicast group."""
    tail = {ALL_NODES: "00:00:00:01", ALL_ROUTERS: "00:00:00:02",
            MLDV2: "00:00:00:16"}
    return "33:33:" + tail[group]


def main():
    def peer(dmac, src, dst, *l4):
        p = Ether(src=PEER_MAC, dst=dmac) / IPv6(src=src, dst=dst, hlim=255)
        for x in l4:
            p = p / x
        return p

    sn2, sn2mac = sn(0x000002)
    sn1, sn1mac = sn(0x000001)
    snll, snllmac = sn(0x100002)
    f = [
        peer(sn2mac, PEER_IP6, sn2, ICMPv6ND_NS(tgt=INNER_IP6),
             ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)),
        peer(sn2mac, "::", sn2, ICMPv6ND_NS(tgt=INNER_IP6)),
        peer(sn1mac, "::", sn1, ICMPv6ND_NS(tgt=PEER_IP6)),
        peer(INNER_MAC, PEER_IP6, INNER_IP6, ICMPv6ND_NS(tgt=INNER_IP6),
             ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)),
        peer(INNER_MAC, PEER_IP6, INNER_IP6,
             ICMPv6ND_NA(R=1, S=1, O=1, tgt=PEER_IP6),
             ICMPv6NDOptDstLLAddr(lladdr=PEER_MAC)),
        peer(mmac(ALL_NODES), PEER_IP6, ALL_NODES,
             ICMPv6ND_NA(R=1, S=0, O=1, tgt=PEER_IP6),
             ICMPv6NDOptDstLLAddr(lladdr=PEER_MAC)),
        peer(mmac(ALL_ROUTERS), "::", ALL_ROUTERS, ICMPv6ND_RS()),
        peer(mmac(ALL_NODES), PEER_LL, ALL_NODES,
             ICMPv6ND_RA(chlim=64, M=0, O=1, routerlifetime=1800,
                         reachabletime=30000, retranstimer=1000),
             ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC),
             ICMPv6NDOptMTU(mtu=1500),
             ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1,
                                   validlifetime=86400,
                                   preferredlifetime=14400,
                                   prefix="fd77::"),
             ICMPv6NDOptRDNSS(lifetime=600, dns=[PEER_IP6])),
        peer(INNER_MAC, PEER_LL, INNER_LL,
             ICMPv6ND_RA(chlim=64, routerlifetime=1800),
             ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC),
             ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=0,
                                   validlifetime=3600,
                                   preferredlifetime=3600,
                                   prefix="fd77:1::")),
        peer(INNER_MAC, PEER_LL, INNER_IP6,
             ICMPv6ND_Redirect(tgt="fe80::99", dst="fd77:99::1"),
             ICMPv6NDOptDstLLAddr(lladdr="02:00:5e:10:00:99"),
             ICMPv6NDOptRedirectedHdr(pkt=bytes(
                 IPv6(src=INNER_IP6, dst="fd77:99::1", hlim=63) /
                 UDP(sport=33434, dport=33435) / Raw(bytes(range(16)))))),
        peer(INNER_MAC, PEER_LL, INNER_LL,
             ICMPv6ND_NA(R=1, S=1, O=1, tgt=PEER_LL),
             ICMPv6NDOptDstLLAddr(lladdr=PEER_MAC)),
    ]

    def ours(dmac, src, dst, *l4, hlim=255, hbh=None):
        p = Ether(src=INNER_MAC, dst=dmac) / IPv6(src=src, dst=dst,
                                                  hlim=hlim)
        if hbh is not None:
            p = p / hbh
        for x in l4:
            p = p / x
        return p

    f += [
        ours(mmac(MLDV2), "::", MLDV2,
             ICMPv6MLReport2(records=[
                 ICMPv6MLDMultAddrRec(rtype=4, dst=sn2),
                 ICMPv6MLDMultAddrRec(rtype=4, dst=snll)]),
             hlim=1, hbh=IPv6ExtHdrHopByHop(options=[RouterAlert()])),
        ours(sn2mac, "::", sn2, ICMPv6ND_NS(tgt=INNER_IP6)),
        ours(mmac(ALL_ROUTERS), INNER_LL, ALL_ROUTERS, ICMPv6ND_RS(),
             ICMPv6NDOptSrcLLAddr(lladdr=INNER_MAC)),
        ours(sn1mac, INNER_IP6, sn1, ICMPv6ND_NS(tgt=PEER_IP6),
             ICMPv6NDOptSrcLLAddr(lladdr=INNER_MAC)),
        ours(OUTER_MAC, INNER_IP6, PEER_IP6,
             ICMPv6ND_NA(R=0, S=1, O=1, tgt=INNER_IP6),
             ICMPv6NDOptDstLLAddr(lladdr=INNER_MAC)),
    ]
    assert snllmac == "33:33:ff:10:00:02"
    write(f)


main()

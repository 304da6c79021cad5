#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Broadcast and multicast frames, the MAC destination each needs.

From the peer's side (frames 0..14, outer end, padded to 60 bytes):
  0  DHCP offer, UDP 67 -> 68, to 255.255.255.255 (ff:ff:ff:ff:ff:ff)
  1  NetBIOS name query to the subnet broadcast 10.77.0.255
  2  mDNS query to 224.0.0.251:5353 (01:00:5e:00:00:fb), TTL 255
  3  mDNS response to 224.0.0.251
  4  UDP to 239.1.2.3:5000 (01:00:5e:01:02:03)
  5  SSDP M-SEARCH to 239.255.255.250:1900 (01:00:5e:7f:ff:fa)
  6  IGMPv2 membership report for 239.1.2.3, Router Alert, TTL 1
  7  IGMPv2 leave group 239.1.2.3 to 224.0.0.2
  8  IGMPv3 report to 224.0.0.22: exclude-mode, allow and block records
  9  IPv6 mDNS query to ff02::fb (33:33:00:00:00:fb)
 10  IPv6 UDP to ff05::1:3 (33:33:00:01:00:03)
 11  IPv6 UDP to all-nodes ff02::1 (33:33:00:00:00:01)
 12  MLDv2 report to ff02::16 (33:33:00:00:00:16), Hop-by-Hop Router Alert
 13  MLDv1 report for ff02::1:3 to that group
 14  UDP to 239.1.2.3 inside a broadcast MAC (mismatched on purpose)
From the container's side (frames 15..18, inner end):
 15  DHCP discover, 0.0.0.0 -> 255.255.255.255
 16  IGMPv3 report joining 224.0.0.251
 17  mDNS query to 224.0.0.251
 18  MLDv2 report joining ff02::fb
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.contrib.igmp import IGMP  # noqa: E402
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3gr, IGMPv3mr  # noqa: E402
from scapy.layers.dhcp import BOOTP, DHCP  # noqa: E402
from scapy.layers.dns import DNS, DNSQR, DNSRR  # noqa: E402
from scapy.layers.inet import IP, UDP, IPOption_Router_Alert  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6MLDMultAddrRec, ICMPv6MLReport, ICMPv6MLReport2, IPv6,
    IPv6ExtHdrHopByHop, RouterAlert)
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402


def mac4(group):
    """01:00:5e plus the low 23 bits of an IPv4 group."""
    a = [int(x) for x in group.split(".")]
    return "01:00:5e:%02x:%02x:%02x" % (a[1] & 0x7f, a[2], a[3])


def chaddr(mac):
    return bytes.fromhex(mac.replace(":", "")) + bytes(10)


def main():
    def peer(dmac, ip, *rest):
        p = Ether(src=PEER_MAC, dst=dmac) / ip
        for x in rest:
            p = p / x
        return wire(p)

    def ra4(dst, ident):
        return IP(src=PEER_IP4, dst=dst, ttl=1, id=ident,
                  options=[IPOption_Router_Alert()])

    def hbh6(src):
        return (IPv6(src=src, dst="ff02::16", hlim=1) /
                IPv6ExtHdrHopByHop(options=[RouterAlert()]))

    f = [
        peer(BCAST, IP(src=PEER_IP4, dst="255.255.255.255", id=0x100),
             UDP(sport=67, dport=68),
             BOOTP(op=2, xid=0x1d2e3f40, yiaddr=INNER_IP4, siaddr=PEER_IP4,
                   chaddr=chaddr(INNER_MAC)),
             DHCP(options=[("message-type", "offer"),
                           ("server_id", PEER_IP4),
                           ("lease_time", 3600),
                           ("subnet_mask", "255.255.255.0"),
                           ("router", PEER_IP4), "end"])),
        peer(BCAST, IP(src=PEER_IP4, dst="10.77.0.255", id=0x101),
             UDP(sport=137, dport=137),
             Raw(bytes.fromhex("81a00110000100000000000020") +
                 b"CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
                 bytes.fromhex("0000200001"))),
        peer(mac4("224.0.0.251"), IP(src=PEER_IP4, dst="224.0.0.251",
                                     ttl=255, id=0x102),
             UDP(sport=5353, dport=5353),
             DNS(id=0, qd=DNSQR(qname="_http._tcp.local", qtype="PTR"))),
        peer(mac4("224.0.0.251"), IP(src=PEER_IP4, dst="224.0.0.251",
                                     ttl=255, id=0x103),
             UDP(sport=5353, dport=5353),
             DNS(id=0, qr=1, aa=1, qd=None,
                 an=DNSRR(rrname="_http._tcp.local", type="PTR", ttl=120,
                          rdata="peer._http._tcp.local"))),
        peer(mac4("239.1.2.3"), IP(src=PEER_IP4, dst="239.1.2.3", ttl=8,
                                   id=0x104),
             UDP(sport=5000, dport=5000), Raw(b"group 239.1.2.3, #4")),
        peer(mac4("239.255.255.250"),
             IP(src=PEER_IP4, dst="239.255.255.250", ttl=4, id=0x105),
             UDP(sport=50000, dport=1900),
             Raw(b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                 b"MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n")),
        peer(mac4("239.1.2.3"), ra4("239.1.2.3", 0x106),
             IGMP(type=0x16, mrcode=0, gaddr="239.1.2.3")),
        peer(mac4("224.0.0.2"), ra4("224.0.0.2", 0x107),
             IGMP(type=0x17, mrcode=0, gaddr="239.1.2.3")),
        peer(mac4("224.0.0.22"), ra4("224.0.0.22", 0x108),
             IGMPv3(type=0x22),
             IGMPv3mr(records=[
                 IGMPv3gr(rtype=2, maddr="239.1.2.3"),
                 IGMPv3gr(rtype=5, maddr="232.1.1.1",
                          srcaddrs=["10.77.0.50", "10.77.0.51"]),
                 IGMPv3gr(rtype=6, maddr="232.1.1.2",
                          srcaddrs=["10.77.0.52"])])),
        peer("33:33:00:00:00:fb", IPv6(src=PEER_IP6, dst="ff02::fb",
                                       hlim=255),
             UDP(sport=5353, dport=5353),
             DNS(id=0, qd=DNSQR(qname="_ipp._tcp.local", qtype="PTR"))),
        peer("33:33:00:01:00:03", IPv6(src=PEER_IP6, dst="ff05::1:3",
                                       hlim=32),
             UDP(sport=546, dport=547), Raw(b"\x01\x00\x10\x0a" + bytes(8))),
        peer("33:33:00:00:00:01", IPv6(src=PEER_IP6, dst="ff02::1",
                                       hlim=1),
             UDP(sport=7000, dport=7000), Raw(b"all nodes, #11")),
        peer("33:33:00:00:00:16", hbh6("fe80::5eff:fe10:fe"),
             ICMPv6MLReport2(records=[
                 ICMPv6MLDMultAddrRec(rtype=4, dst="ff02::fb"),
                 ICMPv6MLDMultAddrRec(rtype=1, dst="ff3e::1234",
                                      sources=[PEER_IP6, "fd77::50"])])),
        peer("33:33:00:01:00:03",
             IPv6(src="fe80::5eff:fe10:fe", dst="ff02::1:3", hlim=1) /
             IPv6ExtHdrHopByHop(options=[RouterAlert()]),
             ICMPv6MLReport(mladdr="ff02::1:3")),
        peer(BCAST, IP(src=PEER_IP4, dst="239.1.2.3", ttl=8, id=0x10e),
             UDP(sport=5000, dport=5000), Raw(b"group in a broadcast, #14")),
    ]

    def ours(dmac, ip, *rest):
        p = Ether(src=INNER_MAC, dst=dmac) / ip
        for x in rest:
            p = p / x
        return p

    f += [
        ours(BCAST, IP(src="0.0.0.0", dst="255.255.255.255", id=0),
             UDP(sport=68, dport=67),
             BOOTP(op=1, xid=0x1d2e3f41, chaddr=chaddr(INNER_MAC)),
             DHCP(options=[("message-type", "discover"),
                           ("param_req_list", [1, 3, 6, 15]), "end"])),
        ours(mac4("224.0.0.22"),
             IP(src=INNER_IP4, dst="224.0.0.22", ttl=1, id=0,
                flags="DF", options=[IPOption_Router_Alert()]),
             IGMPv3(type=0x22),
             IGMPv3mr(records=[IGMPv3gr(rtype=4, maddr="224.0.0.251")])),
        ours(mac4("224.0.0.251"), IP(src=INNER_IP4, dst="224.0.0.251",
                                     ttl=255, id=0x2000, flags="DF"),
             UDP(sport=5353, dport=5353),
             DNS(id=0, qd=DNSQR(qname="peer.local", qtype="A"))),
        ours("33:33:00:00:00:16",
             IPv6(src="fe80::5eff:fe10:2", dst="ff02::16", hlim=1) /
             IPv6ExtHdrHopByHop(options=[RouterAlert()]),
             ICMPv6MLReport2(records=[
                 ICMPv6MLDMultAddrRec(rtype=4, dst="ff02::fb")])),
    ]
    write(f)


main()

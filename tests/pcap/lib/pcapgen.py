# SPDX-License-Identifier: GPL-2.0
"""
What the case generators of the pcap suite share that builds scapy frames:
a frame as a wire carries it (wire()), a frame of exact bytes (exact()),
and one TCP connection between the peer and the container (Tcp).

This module imports scapy, which takes a while: only generators import it,
after pcapcase (whose addresses it uses); the runner imports pcapcase only.

    from pcapcase import *
    from pcapgen import *
"""

from pcapcase import INNER_IP4, INNER_IP6, INNER_MAC, OUTER_MAC, \
    PEER_IP4, PEER_IP6, PEER_MAC
from scapy.config import conf
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Raw

__all__ = ["Tcp", "exact", "numbered_udp", "wire"]


class Short(Raw):
    """Fewer bytes than an Ethernet header: written to the pcap as is."""


# The pcap writer checks each packet's class against the file's link type.
conf.l2types.register_layer2num(1, Short)


def wire(f, pad=True):
    """
    The frame f (a scapy packet or its bytes) as a wire carries it: padded
    to the 60-byte minimum, or with pad=False as is. A frame of fewer bytes
    than an Ethernet header becomes a Short, written as is too.
    """
    raw = bytes(f)
    if pad:
        raw += bytes(max(0, 60 - len(raw)))
    f = Ether(raw) if len(raw) >= 14 else Short(raw)
    assert bytes(f) == raw
    return f


def exact(raw):
    """A frame of exactly these bytes: wire() without padding."""
    return wire(raw, pad=False)


class Tcp:
    """
    One TCP connection between the peer ("P", beyond the outer end) and
    the container ("C"). Each side's sequence number, the acknowledgment it
    sends and its timestamp advance as it sends; seg() makes one frame.
    """

    def __init__(self, pport, cport, isn=(0x1a2b3c4d, 0x5e6f7081), v6=False):
        self.v6 = v6
        self.port = {"P": pport, "C": cport}
        self.seq = {"P": isn[0], "C": isn[1]}
        self.ack = {"P": 0, "C": 0}
        self.ts = {"P": 100000, "C": 700000}
        self.ipid = {"P": 0x4000, "C": 0x0100}

    def seg(self, who, flags, data=b"", seq=None, ack=None, opts=None,
            win=None):
        """A segment of side who; seq given: a resend, nothing advances."""
        other = "C" if who == "P" else "P"
        self.ts[who] += 7
        if opts is None:
            ts = (self.ts[who], self.ts[other] if "A" in flags else 0)
            if "S" in flags:
                opts = [("MSS", 1440 if self.v6 else 1460), ("SAckOK", b""),
                        ("Timestamp", ts), ("NOP", None), ("WScale", 7)]
            else:
                opts = [("NOP", None), ("NOP", None), ("Timestamp", ts)]
        s = self.seq[who] if seq is None else seq
        a = (self.ack[who] if ack is None else ack) if "A" in flags else 0
        l4 = TCP(sport=self.port[who], dport=self.port[other], seq=s, ack=a,
                 flags=flags, window=win or (64240 if "S" in flags else 502),
                 options=opts)
        if data:
            l4 = l4 / Raw(data)
        if who == "P":
            eth = Ether(src=PEER_MAC, dst=INNER_MAC)
            src, dst = (PEER_IP6, INNER_IP6) if self.v6 else \
                (PEER_IP4, INNER_IP4)
        else:
            eth = Ether(src=INNER_MAC, dst=OUTER_MAC)
            src, dst = (INNER_IP6, PEER_IP6) if self.v6 else \
                (INNER_IP4, PEER_IP4)
        if self.v6:
            ip = IPv6(src=src, dst=dst, hlim=64)
        else:
            ip = IP(src=src, dst=dst, id=self.ipid[who], flags="DF", ttl=64)
            self.ipid[who] += 1
        if seq is None:
            self.seq[who] = s + len(data) + ("S" in flags) + ("F" in flags)
            self.ack[other] = self.seq[who]
        f = eth / ip / l4
        return wire(f) if who == "P" else f


def numbered_udp(case):
    """
    30 UDP datagrams: 0..19 from the peer to the container (IPv4 and IPv6
    alternating), 20..29 from the container to the peer (IPv4), each
    numbered by case and index in its source port, IP id or flow label,
    and payload.
    """
    f = []
    for i in range(30):
        body = bytes([case, i]) + bytes((i * 41 + j) & 0xff
                                        for j in range(30 + 7 * i))
        udp = UDP(sport=case * 1000 + i, dport=9999) / Raw(body)
        if i >= 20:
            f.append(Ether(src=INNER_MAC, dst=OUTER_MAC) /
                     IP(src=INNER_IP4, dst=PEER_IP4, id=case * 256 + i,
                        flags="DF") / udp)
        elif i % 2:
            f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                     IPv6(src=PEER_IP6, dst=INNER_IP6, fl=case * 256 + i) /
                     udp)
        else:
            f.append(Ether(src=PEER_MAC, dst=INNER_MAC) /
                     IP(src=PEER_IP4, dst=INNER_IP4, id=case * 256 + i) /
                     udp)
    return f

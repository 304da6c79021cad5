#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
A conversation in rounds, each round one side's frames (a contiguous
range: case.json sends them in turn from the outer and the inner end):

- an IPv4 TCP connection from the peer ([10.77.0.1]:40024) to the
  container's port 25: handshake, requests and responses, close;
- meanwhile the container asks the peer's DNS (UDP 53) and gets answers.

Rounds (frame ranges): outer [0,1) inner [1,3) outer [3,7) inner [7,13)
outer [13,16) inner [16,21) outer [21,25) inner [25,29) outer [29,32)
inner [32,34) outer [34,35).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403
from scapy.layers.dns import DNS, DNSQR, DNSRR  # noqa: E402
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402


def dns_query(k, name):
    return (Ether(src=INNER_MAC, dst=OUTER_MAC) /
            IP(src=INNER_IP4, dst=PEER_IP4, id=0x2400 + k, flags="DF") /
            UDP(sport=53000 + k, dport=53) /
            DNS(id=0x2400 + k, rd=1, qd=DNSQR(qname=name, qtype="A")))


def dns_answer(k, name, addr):
    return wire(Ether(src=PEER_MAC, dst=INNER_MAC) /
                IP(src=PEER_IP4, dst=INNER_IP4, id=0x2480 + k) /
                UDP(sport=53, dport=53000 + k) /
                DNS(id=0x2400 + k, qr=1, rd=1, ra=1,
                    qd=DNSQR(qname=name, qtype="A"),
                    an=DNSRR(rrname=name, type="A", ttl=300, rdata=addr)))


def main():
    t = Tcp(40024, 25, isn=(0x24242424, 0x42424242))
    rounds = []

    def say(who, *frames):
        end = "outer" if who == "P" else "inner"
        if rounds and rounds[-1][0] == end:
            rounds[-1][1].extend(frames)
        else:
            rounds.append((end, list(frames)))

    say("P", t.seg("P", "S"))
    say("C", t.seg("C", "SA"), dns_query(0, "mx.example."))
    say("P", t.seg("P", "A"), t.seg("P", "PA", b"EHLO peer.example\r\n"),
        dns_answer(0, "mx.example.", "10.77.0.25"),
        t.seg("P", "PA", b"MAIL FROM:<a@peer.example>\r\n"))
    say("C", t.seg("C", "PA", b"250-inner.example\r\n250 8BITMIME\r\n"),
        t.seg("C", "PA", b"250 2.1.0 Ok\r\n"),
        dns_query(1, "peer.example."),
        t.seg("C", "A"),
        t.seg("C", "PA", data(400, 1)),
        t.seg("C", "PA", data(1200, 2)))
    say("P", t.seg("P", "A"), dns_answer(1, "peer.example.", PEER_IP4),
        t.seg("P", "PA", b"DATA\r\n"))
    say("C", t.seg("C", "PA", b"354 End data with <CR><LF>.<CR><LF>\r\n"),
        t.seg("C", "A"), dns_query(2, "relay.example."),
        t.seg("C", "PA", data(80, 3)), t.seg("C", "A"))
    say("P", t.seg("P", "PA", data(1448, 4)), t.seg("P", "PA", data(1448, 5)),
        dns_answer(2, "relay.example.", "10.77.0.26"),
        t.seg("P", "PA", b"\r\n.\r\n"))
    say("C", t.seg("C", "A"), t.seg("C", "PA", b"250 2.0.0 Ok: queued\r\n"),
        dns_query(3, "peer.example."), t.seg("C", "A"))
    say("P", dns_answer(3, "peer.example.", PEER_IP4),
        t.seg("P", "PA", b"QUIT\r\n"), t.seg("P", "FA"))
    say("C", t.seg("C", "PA", b"221 2.0.0 Bye\r\n"), t.seg("C", "FA"))
    say("P", t.seg("P", "A"))

    f, ranges = [], []
    for end, frames in rounds:
        ranges.append((end, len(f), len(f) + len(frames)))
        f += frames
    want = [(0, 1), (1, 3), (3, 7), (7, 13), (13, 16), (16, 21), (21, 25),
            (25, 29), (29, 32), (32, 34), (34, 35)]
    assert [(a, b) for _, a, b in ranges] == want, ranges
    assert [e for e, _, _ in ranges] == ["outer", "inner"] * 5 + ["outer"]
    write(f)


main()

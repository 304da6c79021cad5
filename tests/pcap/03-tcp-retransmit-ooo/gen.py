#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
An IPv4 TCP transfer from the peer (10.77.0.1:40003) to the container
(10.77.0.2:5001) as a sniffer in front of the container sees it after a
lossy, reordering path:

- the peer's side (frames from the outer end, first): SYN, ACK, then 12
  data segments d0..d11 arriving as d0 d1 d3 d4 d2 d5 d7 d8 d6' d9 d9'
  d11 d10 d10' (d2 and d10 late, the original d6 lost and retransmitted,
  d9 and d10 retransmitted spuriously; a retransmission carries the same
  sequence numbers and bytes but a new IP id and TSval), FIN, the FIN
  again, the last ACK;
- the container's side (frames from the inner end, after): SYN+ACK, one
  ACK per arriving segment as a SACK receiver sends it (duplicate ACKs
  with SACK blocks for the holes, D-SACK for the duplicates), FIN+ACK.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def sack_opts(t, blocks, ecr):
    """The container's ACK options: TSecr the segment's TSval, SACK."""
    ts = ("Timestamp", (t.ts["C"] + 7, ecr))
    opts = [("NOP", None), ("NOP", None), ts]
    if blocks:
        flat = tuple(x for b in blocks[:3] for x in b)
        opts += [("NOP", None), ("NOP", None), ("SAck", flat)]
    return opts


class Receiver:
    """The container's receive side: what it acknowledges and SACKs."""

    def __init__(self, rcv_nxt):
        self.nxt = rcv_nxt
        self.ooo = []		# [l, r) ranges above nxt, most recent first

    def arrive(self, s, e):
        """Blocks to SACK after segment [s, e) arrived."""
        if e <= self.nxt:
            return [(s, e)] + self.ooo	# D-SACK first
        if s <= self.nxt:
            self.nxt = e
            merged = True
            while merged:
                merged = False
                for b in self.ooo:
                    if b[0] <= self.nxt:
                        self.nxt = max(self.nxt, b[1])
                        self.ooo.remove(b)
                        merged = True
                        break
            return list(self.ooo)
        new = [s, e]
        rest = []
        for b in self.ooo:
            if b[0] <= new[1] and new[0] <= b[1]:
                new = [min(new[0], b[0]), max(new[1], b[1])]
            else:
                rest.append(b)
        self.ooo = [tuple(new)] + rest
        return list(self.ooo)


def main():
    t = Tcp(40003, 5001, isn=(0x7f000000, 0x10000000))
    p, c = [], []
    p.append(t.seg("P", "S"))
    c.append(t.seg("C", "SA"))
    p.append(t.seg("P", "A"))
    rx = Receiver(t.seq["P"])
    cack = t.ack["P"]
    # The peer sends d0..d11 in order; what arrives is another story.
    segs, orig = [], {}
    for k in range(12):
        s = t.seq["P"]
        d = data(536 + 8 * k, 400 + k)
        orig[k] = (t.seg("P", "PA", d, ack=cack), t.ts["P"])
        segs.append((s, d))

    def again(k):
        s, d = segs[k]
        return (t.seg("P", "PA", d, seq=s, ack=cack), t.ts["P"])

    arrivals = [0, 1, 3, 4, 2, 5, 7, 8, "6r", 9, "9r", 11, 10, "10r"]
    for a in arrivals:
        if isinstance(a, str):
            k = int(a[:-1])
            f, tsval = again(k)
        else:
            k = a
            f, tsval = orig[k]
        p.append(f)
        s, d = segs[k]
        blocks = rx.arrive(s, s + len(d))
        c.append(t.seg("C", "A", ack=rx.nxt,
                       opts=sack_opts(t, blocks, tsval)))
    fin_seq = t.seq["P"]
    p.append(t.seg("P", "FA", ack=cack))
    rx.arrive(fin_seq, fin_seq + 1)
    c.append(t.seg("C", "FA", ack=rx.nxt))
    # The FIN+ACK is late: the peer sends its FIN again, gets a D-SACK.
    p.append(t.seg("P", "FA", seq=fin_seq, ack=cack))
    c.append(t.seg("C", "A", ack=rx.nxt,
                   opts=sack_opts(t, rx.arrive(fin_seq, fin_seq + 1),
                                  t.ts["P"])))
    p.append(t.seg("P", "A", ack=t.seq["C"]))
    assert len(p) == 19 and len(c) == 17, (len(p), len(c))
    write(p + c)


main()

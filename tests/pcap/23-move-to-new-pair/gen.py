#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
An IPv4 TCP upload from the peer ([10.77.0.1]:40023) to the container
(port 873), cut in two by a move of the container to a new pair:

- frames 0..39, the peer's (outer end): SYN, ACK, 38 data segments;
- frames 40..59, the container's (inner end): SYN+ACK, 19 ACKs;
- frames 60..65, the peer's after the move: 4 data segments, FIN, the
  last ACK;
- frames 66..69, the container's after the move: 2 ACKs, a data segment,
  FIN+ACK.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def main():
    t = Tcp(40023, 873, isn=(0x23232323, 0x32323232))
    p1, c1, p2, c2 = [], [], [], []
    p1.append(t.seg("P", "S"))
    c1.append(t.seg("C", "SA"))
    p1.append(t.seg("P", "A"))
    for k in range(38):
        p1.append(t.seg("P", "PA" if k % 2 else "A",
                        data(400 + 25 * k, 2300 + k)))
        if k % 2:
            c1.append(t.seg("C", "A"))
    for k in range(38, 42):
        p2.append(t.seg("P", "PA" if k % 2 else "A",
                        data(400 + 25 * k, 2300 + k)))
        if k % 2:
            c2.append(t.seg("C", "A"))
    c2.append(t.seg("C", "PA", b"@RSYNCD: OK, 42 segments\n"))
    p2.append(t.seg("P", "FA"))
    c2.append(t.seg("C", "FA"))
    p2.append(t.seg("P", "A"))
    assert [len(x) for x in (p1, c1, p2, c2)] == [40, 20, 6, 4]
    write(p1 + c1 + p2 + c2)


main()

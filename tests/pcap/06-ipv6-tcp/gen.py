#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
An IPv6 TCP connection from the peer (client, [fd77::1]:40006) to the
container (server, [fd77::2]:443): handshake (MSS 1440), 10 data segments
from the peer each acknowledged, 10 from the container (up to a full
1500-byte packet) each acknowledged, close.

Frames 0..23 are the peer's side (from the outer end), frames 24..45 the
container's side (from the inner end).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def main():
    t = Tcp(40006, 443, isn=(0x66000000, 0x0600d000), v6=True)
    p, c = [], []
    p.append(t.seg("P", "S"))
    c.append(t.seg("C", "SA"))
    p.append(t.seg("P", "A"))
    for k in range(10):
        p.append(t.seg("P", "PA", data(17 + 150 * k, 600 + k)))
        c.append(t.seg("C", "A"))
    for k in range(10):
        c.append(t.seg("C", "PA", data(1428 - 111 * k, 700 + k)))
        p.append(t.seg("P", "A"))
    p.append(t.seg("P", "FA"))
    c.append(t.seg("C", "FA"))
    p.append(t.seg("P", "A"))
    assert len(p) == 24 and len(c) == 22
    write(p + c)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
An IPv4 TCP connection from the peer (client, 10.77.0.1:40002) to the
container (server, 10.77.0.2:8080): handshake, 10 data segments from the
peer each acknowledged, 10 from the container each acknowledged, close.

Frames 0..23 are the peer's side (from the outer end, padded to 60 bytes
as on a wire), frames 24..45 the container's side (from the inner end).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def main():
    t = Tcp(40002, 8080, isn=(0x00c0ffee, 0xdeadbe00))
    p, c = [], []
    p.append(t.seg("P", "S"))
    c.append(t.seg("C", "SA"))
    p.append(t.seg("P", "A"))
    for k in range(10):
        p.append(t.seg("P", "PA", data(1 + 140 * k, 200 + k)))
        c.append(t.seg("C", "A"))
    for k in range(10):
        c.append(t.seg("C", "PA", data(1448 - 133 * k, 300 + k)))
        p.append(t.seg("P", "A"))
    p.append(t.seg("P", "FA"))
    c.append(t.seg("C", "FA"))
    p.append(t.seg("P", "A"))
    assert len(p) == 24 and len(c) == 22
    write(p + c)


main()

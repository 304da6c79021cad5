#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
An IPv4 TCP connection from the peer (client, 10.77.0.1:40001) to the
container (server, 10.77.0.2:80): the 3-way handshake, 20 data segments
from the peer each acknowledged by the container, 20 from the container
each acknowledged by the peer, and the close (FIN, FIN+ACK, ACK).

Frames 0..43 are the peer's side (sent from the outer end, padded to 60
bytes as on a wire); frames 44..85 are the container's side (sent from the
inner end, unpadded as the local stack makes them). Each side's frames are
in the order that side sent them.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def main():
    t = Tcp(40001, 80)
    p, c = [], []
    p.append(t.seg("P", "S"))
    c.append(t.seg("C", "SA"))
    p.append(t.seg("P", "A"))
    for k in range(20):
        p.append(t.seg("P", "PA", data(40 + 71 * k, k)))
        c.append(t.seg("C", "A"))
    for k in range(20):
        c.append(t.seg("C", "PA", data(1448 - 60 * k, 100 + k)))
        p.append(t.seg("P", "A"))
    p.append(t.seg("P", "FA"))
    c.append(t.seg("C", "FA"))
    p.append(t.seg("P", "A"))
    assert len(p) == 44 and len(c) == 42
    write(p + c)


main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
The container's side of an IPv4 TCP connection it opens to the peer
([10.77.0.2]:45678 -> [10.77.0.1]:443), all frames from the inner end
(src INNER_MAC, dst OUTER_MAC), as its stack sends them: SYN, the ACK of
the handshake, 20 data segments (up to full-sized), 10 ACKs of the peer's
answer, FIN, the last ACK.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def main():
    # The container is the client here: its side is "C" all the same.
    t = Tcp(443, 45678, isn=(0x25252525, 0x52525252))
    f = [t.seg("C", "S")]
    t.seg("P", "SA")
    f.append(t.seg("C", "A"))
    for k in range(20):
        f.append(t.seg("C", "PA", data(1448 - 71 * k, 2500 + k)))
        if k % 4 == 3:
            t.seg("P", "A")
    for k in range(10):
        t.seg("P", "PA", data(900, 2600 + k))
        f.append(t.seg("C", "A"))
    f.append(t.seg("C", "FA"))
    t.seg("P", "FA")
    f.append(t.seg("C", "A"))
    assert len(f) == 34
    write(f)


main()

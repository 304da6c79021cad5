#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
An IPv4 TCP connection from the peer (10.77.0.1:40004) to the container
(10.77.0.2:22) whose acknowledgments stop because the pair is frozen:

- frames 0..2: the handshake (peer's SYN, container's SYN+ACK, peer's ACK),
  sent before the freeze;
- frames 3..7: five data segments of the peer;
- frames 8..12, 13..17, 18..22: the same five segments again, three times,
  byte for byte (the runner sleeps between the rounds, as an exponential
  retransmission backoff would): exact duplicates on purpose.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403


def main():
    t = Tcp(40004, 22, isn=(0x01020304, 0xa0b0c0d0))
    f = [t.seg("P", "S"), t.seg("C", "SA"), t.seg("P", "A")]
    burst = [t.seg("P", "PA", data(300 + 97 * k, 500 + k)) for k in range(5)]
    f += burst
    for _ in range(3):
        f += burst
    assert len(f) == 23
    write(f)


main()

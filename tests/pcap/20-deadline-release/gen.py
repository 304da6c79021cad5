#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
30 UDP datagrams: frames 0..19 from the peer to the container (IPv4 and
IPv6 alternating), frames 20..29 from the container to the peer (IPv4),
each numbered in its source port, IP id or flow label, and payload.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from pcapcase import *  # noqa: E402,F403
from pcapgen import *  # noqa: E402,F403

write(numbered_udp(20))

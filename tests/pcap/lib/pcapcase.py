# SPDX-License-Identifier: GPL-2.0
"""
What every case generator of the pcap suite shares: the addresses of the
topology the runner builds, and a writer that makes the same bytes on every
run (timestamps are a function of the frame's index, nothing is random
unless seeded).

A generator is tests/pcap/<case>/gen.py; it builds a list of scapy frames
and calls write(frames). The runner sends them, in order, from the end of
the pair that the case names.

    outer end   OUTER_MAC, the host side; frames it sends go "ingress"
    inner end   INNER_MAC, the container's end: INNER_IP4 / INNER_IP6
    the peer    PEER_MAC, PEER_IP4 / PEER_IP6, a host beyond the outer end
"""

import os
import random
import sys

OUTER_MAC = "02:00:5e:10:00:01"
INNER_MAC = "02:00:5e:10:00:02"
PEER_MAC = "02:00:5e:10:00:fe"
INNER_IP4 = "10.77.0.2"
PEER_IP4 = "10.77.0.1"
INNER_IP6 = "fd77::2"
PEER_IP6 = "fd77::1"

# The first frame's timestamp, and the spacing of the others.
T0 = 1700000000
STEP = 0.001


def rng(seed):
    """A private random generator: the same seed, the same frames."""
    return random.Random(seed)


def write(frames, name="input.pcap"):
    """Write frames beside the calling gen.py as classic pcap (Ethernet)."""
    from scapy.utils import PcapWriter

    here = os.path.dirname(os.path.abspath(sys.argv[0]))
    path = os.path.join(here, name)
    tmp = path + ".tmp"
    with PcapWriter(tmp, linktype=1, sync=False) as w:
        for i, f in enumerate(frames):
            f.time = T0 + i * STEP
            w.write(f)
    os.replace(tmp, path)
    print(f"{path}: {len(frames)} frames")

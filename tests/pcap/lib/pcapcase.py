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

The helpers here need no scapy, so that the runner (tests/pcap/run), which
imports this module for its addresses, does not load it; write() imports
it when called. The helpers that build scapy frames (wire(), exact(), the
Tcp connection) are in pcapgen.py, which only generators import:

    from pcapcase import *
    from pcapgen import *
"""

import os
import random
import struct
import sys

OUTER_MAC = "02:00:5e:10:00:01"
INNER_MAC = "02:00:5e:10:00:02"
PEER_MAC = "02:00:5e:10:00:fe"
INNER_IP4 = "10.77.0.2"
PEER_IP4 = "10.77.0.1"
INNER_IP6 = "fd77::2"
PEER_IP6 = "fd77::1"
BCAST = "ff:ff:ff:ff:ff:ff"

# The first frame's timestamp, and the spacing of the others.
T0 = 1700000000
STEP = 0.001


def rng(seed):
    """A private random generator: the same seed, the same frames."""
    return random.Random(seed)


def pattern(n, k, mul, step=1, carry=0):
    """
    n bytes of payload k: byte j is k * mul + j * step + (j >> 8) * carry,
    modulo 256. Payloads of different k differ; carry, when set, keeps a
    payload longer than 256 bytes from repeating itself every 256 bytes.
    """
    return bytes((k * mul + j * step + (j >> 8) * carry) & 0xff
                 for j in range(n))


def payloads(mul, step=1, carry=0):
    """
    A payload(n, k) making pattern(n, k, mul, step, carry): a generator
    picks its own constants (payload = payloads(17)), so that its payloads
    do not look like another case's.
    """
    def payload(n, k):
        """n bytes of payload k (pcapcase.pattern())."""
        return pattern(n, k, mul, step, carry)
    return payload


def data(n, k):
    """n bytes of segment k's payload: every segment differs."""
    return pattern(n, k, 7, 13, 1)


def csum(data):
    """
    The Internet checksum (RFC 1071) of data: the ones' complement of the
    ones' complement sum of its 16-bit words, an odd last byte padded with
    a zero. What goes in an IPv4 header whose checksum field is zero.
    """
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


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

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# mkvnif.py OUT [NAME[,ADDRS[,ROUTES[,FRAMES]]]]...: writes a crak
# image (Documentation/image.md) with a TASK section of no socket and, for
# each NAME, a VNIF section (the MAC 02:00:00:00:00:0N, MTU 1500, up,
# frozen, ADDRS IPv4 addresses, ROUTES routes, default limits) and its
# VNIF_QUEUE of FRAMES frames. For the host tests of `crak restart`, which
# `crak new` cannot give images with vnif pairs; the tool and the module
# must accept what this writes, so `crak check` judges it in the tests.

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)),
                                "..", "lib"))
from crakimg import (SEC_TASK, SEC_VNIF, SEC_VNIF_QUEUE,  # noqa: E402
                     pack_image, pack_section, pad8)


def vnif(i, name, naddrs, nroutes, nframes):
    frames = [b"\xff" * 6 + bytes([2, 0, 0, 0, 0, i]) + b"\x08\x06" +
              bytes(range(k + 1)) for k in range(nframes)]
    head = struct.pack("<16s6sHIIIIBBHHHIIQ", name.encode(),
                       bytes([2, 0, 0, 0, 0, i]), 3, 1500, 65536, 64 << 20,
                       0, 0, 0, naddrs, nroutes, 0, nframes, 0,
                       sum(len(f) for f in frames))
    recs = b""
    for a in range(naddrs):
        recs += struct.pack("<HBBI16s", 2, 24, 0, 0x80,
                            bytes([10, 60, i, 2 + a]))
    for r in range(nroutes):
        recs += struct.pack("<HBBBBHII16s16s", 2, 24, 4, 0, 1, 1, 254, r,
                            bytes([10, 70 + r, i, 0]), bytes([10, 60, i, 1]))
    queue = struct.pack("<II", nframes, 0)
    for k, f in enumerate(frames):
        queue += pad8(struct.pack("<BxxxIQ", k % 2, len(f), 1000 + k) + f)
    return [pack_section(SEC_VNIF, head + recs),
            pack_section(SEC_VNIF_QUEUE, queue)]


def main():
    secs = [pack_section(SEC_TASK,
                         struct.pack("<IIQ16s8x", 4242, 0, 1, b"svc"))]
    for i, spec in enumerate(sys.argv[2:], 1):
        f = (spec.split(",") + ["1", "1", "2"])[:4]
        secs += vnif(i, f[0], int(f[1]), int(f[2]), int(f[3]))
    with open(sys.argv[1], "wb") as out:
        out.write(pack_image(secs))


main()

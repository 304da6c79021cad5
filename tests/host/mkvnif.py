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

import struct
import sys

SEC_TASK, SEC_VNIF, SEC_VNIF_QUEUE = 3, 7, 8


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def section(typ, payload):
    hdr = struct.pack("<HHII", typ, 0, len(payload), 0)
    body = pad8(payload)
    return hdr + struct.pack("<I", crc32c(hdr + body)) + body


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
    return section(SEC_VNIF, head + recs) + section(SEC_VNIF_QUEUE, queue)


def main():
    secs = [section(SEC_TASK, struct.pack("<IIQ16s8x", 4242, 0, 1, b"svc"))]
    for i, spec in enumerate(sys.argv[2:], 1):
        f = (spec.split(",") + ["1", "1", "2"])[:4]
        secs.append(vnif(i, f[0], int(f[1]), int(f[2]), int(f[3])))
    body = b"".join(secs)
    n = 1 + 2 * (len(sys.argv) - 2)
    hdr = b"CRAK\r\n\x1a\n" + struct.pack("<HHIQI", 1, 32, 0, 32 + len(body), n)
    with open(sys.argv[1], "wb") as out:
        out.write(hdr + struct.pack("<I", crc32c(hdr)) + body)


main()

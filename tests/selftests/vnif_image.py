#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
crak-vnif-image.sh's programs, one file so that the guest's slow Python
starts from one place:

    vnif_image.py target READY SENT      the process checkpointed: one UDP
                                         socket on 10.77.0.2:7000; on
                                         SIGUSR1 it sends EGRESS datagrams
                                         to 10.77.0.1:7001, then writes SENT
    vnif_image.py inject IFACE SRC DST OUT TAG
                                         Ethernet frames of IPv4/UDP to the
                                         process sent raw on IFACE (3, or
                                         1 with TAG "tail"); OUT: their hex
    vnif_image.py sniff IFACE OUT N      every frame IFACE sends until N of
                                         them are from port 7000; OUT: hex
    vnif_image.py decode IMAGE           the image as JSON, decoded here
                                         with struct, not with crak's codec
    vnif_image.py corrupt IMAGE OUT WHAT a copy with the last frame's last
                                         byte flipped (WHAT frame) or the
                                         first VNIF renamed (WHAT name),
                                         its section checksum made again
    vnif_image.py trim PID IMAGE [DEV]   CRAK_IOC_NET op CRAK_NET_TRIM;
                                         prints struct crak_net as JSON
    vnif_image.py frames FILE...         the frames of each FILE, an image
                                         (its VNIF_QUEUEs) or a pcapng
                                         capture: "N DIR TSTAMP_NS HEX"
                                         per frame, N the FILE's index
"""

import ctypes
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import time

# The image's framing (tests/lib/crakimg.py), copied here by the test.
import crakimg

EGRESS = [1, 333, 1372]		# datagram payload lengths the process sends
INGRESS = [1, 200, 1372]	# and those sent to it in raw frames
TAIL = [77]			# one more, after the checkpoint
IN_ADDR, OUT_ADDR = "10.77.0.2", "10.77.0.1"
IN_PORT, OUT_PORT = 7000, 7001


def pattern(seed, n):
    return bytes((seed * 31 + i * 7) & 0xff for i in range(n))


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f)
    os.rename(tmp, path)


def target(ready, sent):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((IN_ADDR, IN_PORT))

    def send(_sig, _frm):
        out = []
        for i, n in enumerate(EGRESS):
            p = pattern(100 + i, n)
            s.sendto(p, (OUT_ADDR, OUT_PORT))
            out.append(p.hex())
        write_json(sent, out)

    signal.signal(signal.SIGUSR1, send)
    write_json(ready, {"pid": os.getpid(), "fd": s.fileno()})
    while True:
        signal.pause()


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_frame(src_mac, dst_mac, payload, ident):
    src, dst = socket.inet_aton(OUT_ADDR), socket.inet_aton(IN_ADDR)
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", OUT_PORT, IN_PORT, ulen, 0) + payload
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xffff) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, ident, 0x4000, 64,
                     17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + udp


def inject(iface, src, dst, out, tag):
    lens, seed = (TAIL, 300) if tag == "tail" else (INGRESS, 200)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frames = []
    for i, n in enumerate(lens):
        fr = udp_frame(bytes.fromhex(src.replace(":", "")),
                       bytes.fromhex(dst.replace(":", "")),
                       pattern(seed + i, n), seed + i)
        s.send(fr)
        frames.append(fr.hex())
    write_json(out, frames)


def sniff(iface, out, n):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    s.settimeout(1)
    frames, ours, end = [], 0, time.time() + 120
    open(out + ".ready", "w").close()
    while ours < n and time.time() < end:
        try:
            fr, addr = s.recvfrom(65536)
        except socket.timeout:
            continue
        if addr[2] != socket.PACKET_OUTGOING:
            continue
        frames.append(fr.hex())
        if fr[12:14] == b"\x08\x00" and fr[23] == 17 and \
                struct.unpack("!H", fr[34:36])[0] == IN_PORT:
            ours += 1
    write_json(out, frames)


def addr_str(family, raw):
    if family == socket.AF_INET:
        return socket.inet_ntop(family, raw[:4])
    return socket.inet_ntop(family, raw)


def decode_vnif(p):
    (name, mac, flags, mtu, lpk, lby, dms, pol, r41, naddrs, nroutes, r46,
     nframes, r52, fbytes) = struct.unpack_from("<16s6sHIIIIBBHHHIIQ", p)
    v = {"ifname": name.rstrip(b"\0").decode(), "name_raw": name.hex(),
         "mac": mac.hex(":"), "flags": flags, "mtu": mtu,
         "limit_packets": lpk, "limit_bytes": lby, "deadline_ms": dms,
         "deadline_policy": pol, "reserved": [r41, r46, r52],
         "nframes": nframes, "frame_bytes": fbytes,
         "length_ok": len(p) == 64 + naddrs * 24 + nroutes * 48,
         "addrs": [], "routes": []}
    off = 64
    for _ in range(naddrs):
        fam, plen, scope, fl, a = struct.unpack_from("<HBBI16s", p, off)
        v["addrs"].append("%s/%d scope %d flags 0x%x" % (
            addr_str(fam, a), plen, scope, fl))
        off += 24
    for _ in range(nroutes):
        (fam, dlen, proto, scope, typ, fl, table, metric, dst,
         gw) = struct.unpack_from("<HBBBBHII16s16s", p, off)
        r = "%s/%d" % (addr_str(fam, dst), dlen)
        if fl & 1:
            r += " via " + addr_str(fam, gw)
        elif any(gw):
            r += " gw-bytes-without-flag"
        v["routes"].append("%s proto %d scope %d type %d table %d metric %d"
                           % (r, proto, scope, typ, table, metric))
        off += 48
    return v


def udp4_csum_ok(fr):
    """None if fr is no IPv4/UDP frame, else whether its UDP checksum is."""
    if len(fr) < 42 or fr[12:14] != b"\x08\x00" or fr[23] != 17:
        return None
    ihl = (fr[14] & 15) * 4
    seg = fr[14 + ihl:14 + struct.unpack("!H", fr[16:18])[0]]
    pseudo = fr[26:34] + struct.pack("!BBH", 0, 17, len(seg))
    return seg[6:8] == b"\0\0" or csum(pseudo + seg) == 0


def decode_queue(p, v):
    count, res = struct.unpack_from("<II", p)
    off, frames = 8, []
    for _ in range(count):
        d, r1, r2, r3, n, ts = struct.unpack_from("<BBBBIQ", p, off)
        body = p[off + 16:off + 16 + n]
        pad = p[off + 16 + n:off + 16 + ((n + 7) & ~7)]
        frames.append({"dir": ["ingress", "egress"][d], "len": n,
                       "tstamp_ns": ts, "hex": body.hex(),
                       "udp_csum_ok": udp4_csum_ok(body),
                       "clean": r1 == r2 == r3 == 0 and not any(pad)})
        off += 16 + ((n + 7) & ~7)
    v["queue_count"] = count
    v["queue_reserved"] = res
    v["queue_rest"] = len(p) - off
    v["frames"] = frames


def decode(path):
    img = open(path, "rb").read()
    magic, ver, hlen, flags, length, nsec, hcrc = crakimg.unpack_header(img)
    out = {"magic_ok": magic == crakimg.MAGIC, "version": ver,
           "hdr_len": hlen, "length_ok": length == len(img),
           "header_crc_ok": crakimg.crc32c(img[:28]) == hcrc,
           "sections": [], "crc_ok": True, "vnifs": []}
    off = crakimg.HDR_LEN
    for off, typ, fl, n, res, crc, body in crakimg.sections(img):
        if crakimg.section_crc(img, off) != crc:
            out["crc_ok"] = False
        p = body[:n]
        out["sections"].append(crakimg.SEC_NAMES.get(typ, str(typ)))
        if typ == crakimg.SEC_TASK:
            pid, nsock, start, comm = struct.unpack_from("<IIQ16s", p)
            out["task"] = {"pid": pid, "sockets": nsock}
        elif typ == crakimg.SEC_VNIF:
            out["vnifs"].append(decode_vnif(p))
        elif typ == crakimg.SEC_VNIF_QUEUE:
            decode_queue(p, out["vnifs"][-1])
        off += crakimg.SEC_HDR_LEN + len(body)
    out["rest"] = len(img) - off
    json.dump(out, sys.stdout)


def corrupt(path, out, what):
    img = bytearray(open(path, "rb").read())
    for off, typ, _fl, _n, _res, _crc, _body in crakimg.sections(img):
        if (what, typ) in (("name", crakimg.SEC_VNIF),
                           ("frame", crakimg.SEC_VNIF_QUEUE)):
            if what == "name":
                img[off + 16 + 3] = ord("9")	# eth0 -> eth9
            else:
                count = struct.unpack_from("<I", img, off + 16)[0]
                if not count:
                    raise SystemExit("corrupt: no frame")
                fo = off + 24
                for _ in range(count):
                    flen = struct.unpack_from("<I", img, fo + 4)[0]
                    last = fo + 16 + flen - 1
                    fo += 16 + ((flen + 7) & ~7)
                img[last] ^= 0x01
            crakimg.reseal(img, off)
            open(out, "wb").write(img)
            return
    raise SystemExit("corrupt: no section to change")


def pcapng_frames(buf):
    """(direction, ns, bytes) of each Enhanced Packet Block, the direction
    from epb_flags (1 inbound: ingress, 2 outbound: egress, else none)."""
    off, e, tsres, out = 0, "<", [], []
    while off + 12 <= len(buf):
        btype = struct.unpack_from(e + "I", buf, off)[0]
        if btype == 0x0A0D0D0A:
            e = "<" if buf[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            tsres = []
        blen = struct.unpack_from(e + "I", buf, off + 4)[0]
        body = buf[off + 8:off + blen - 4]
        if btype == 1:		# IDB: if_tsresol, 10^-6 s by default
            res, o = 6, 8
            while o + 4 <= len(body):
                code, n = struct.unpack_from(e + "HH", body, o)
                if code == 0:
                    break
                if code == 9:
                    res = body[o + 4]
                o += 4 + ((n + 3) & ~3)
            tsres.append(res)
        elif btype == 6:	# EPB
            iface, hi, lo, cap = struct.unpack_from(e + "IIII", body)
            data = body[20:20 + cap]
            o, d = 20 + ((cap + 3) & ~3), "none"
            while o + 4 <= len(body):
                code, n = struct.unpack_from(e + "HH", body, o)
                if code == 0:
                    break
                if code == 2:
                    d = ["none", "ingress", "egress", "none"][
                        struct.unpack_from(e + "I", body, o + 4)[0] & 3]
                o += 4 + ((n + 3) & ~3)
            ts, res = (hi << 32) | lo, tsres[iface]
            if res & 0x80:
                ns = ts * 10 ** 9 // 2 ** (res & 0x7f)
            else:
                ns = ts * 10 ** 9 // 10 ** res
            out.append((d, ns, data))
        off += blen
    return out


def frames(paths):
    for i, path in enumerate(paths):
        buf = open(path, "rb").read()
        if buf[:8] == crakimg.MAGIC:
            fr = []
            for _o, typ, _f, n, _r, _c, body in crakimg.sections(buf):
                if typ != crakimg.SEC_VNIF_QUEUE:
                    continue
                v = {}
                decode_queue(body[:n], v)
                fr += [(f["dir"], f["tstamp_ns"], bytes.fromhex(f["hex"]))
                       for f in v["frames"]]
        else:
            fr = pcapng_frames(buf)
        for d, ns, data in fr:
            print(i, d, ns, data.hex())


class CrakNet(ctypes.Structure):
    _fields_ = [("pid", ctypes.c_uint32), ("op", ctypes.c_uint32),
                ("start_time", ctypes.c_uint64), ("vnifs", ctypes.c_uint32),
                ("changed", ctypes.c_uint32), ("error", ctypes.c_char * 96),
                ("buf", ctypes.c_uint64), ("len", ctypes.c_uint64),
                ("frames", ctypes.c_uint64)]


def trim(pid, path, dev):
    data = open(path, "rb").read()
    buf = ctypes.create_string_buffer(data, len(data))
    a = CrakNet(pid=pid, op=4, buf=ctypes.addressof(buf), len=len(data))
    req = (3 << 30) | (ctypes.sizeof(a) << 16) | (0xCA << 8) | 5
    err = 0
    try:
        with open(dev, "rb") as f:
            fcntl.ioctl(f, req, a)
    except OSError as e:
        err = e.errno
    json.dump({"errno": err, "errname": os.strerror(err) if err else "",
               "vnifs": a.vnifs, "changed": a.changed, "frames": a.frames,
               "error": a.error.decode(), "size": ctypes.sizeof(a)},
              sys.stdout)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "target":
        target(*args)
    elif cmd == "inject":
        inject(*args)
    elif cmd == "sniff":
        sniff(args[0], args[1], int(args[2]))
    elif cmd == "decode":
        decode(args[0])
    elif cmd == "corrupt":
        corrupt(*args)
    elif cmd == "frames":
        frames(args)
    elif cmd == "trim":
        trim(int(args[0]), args[1], args[2] if len(args) > 2 else "/dev/crak")
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the seed corpora of the fuzz targets, tests/fuzz/corpus/TARGET/seed-*:
# always the same bytes, so that the committed files are its output. Files
# not named seed-* (inputs merged in by run.sh --merge) are left alone.
#
#   tests/fuzz/mkseeds.py

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The crak image format: include/uapi/linux/crak.h, Documentation/image.md.
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from crakimg import SEC_META, SEC_NOTE, SEC_SOCK, SEC_SOCK_CHILD, SEC_TASK, sections  # noqa: E402
from crakimg import pack_image as image, pack_section as section  # noqa: E402


def image_seeds():
    meta = section(SEC_META, b"crak, image format 1, written 2023-11-14T22:13:20Z")
    s = {
        "empty": image([]),
        "meta": image([meta]),
        "meta-note": image([meta, section(SEC_NOTE, b"made for the flip test")]),
        "notes": image([meta] + [section(SEC_NOTE, b"x" * n)
                                 for n in (0, 1, 7, 8, 9, 16)]),
        "binary-note": image([section(SEC_NOTE, bytes(range(256)))]),
        # Refused, each for one reason.
        "bad-magic": b"CRAK\r\n\x1a\x00" + image([meta])[8:],
        "short-header": image([])[:31],
        "bad-version": image([meta], version=2),
        "bad-header-crc": image([meta], crc=0),
        "bad-header-len": image([meta], hdr_len=16),
        "header-flags": image([meta], flags=1),
        "too-large": image([meta], length=1 << 31),
        "too-many": image([meta], nsections=(1 << 20) + 1),
        "trailing": image([meta], trailing=b"\0"),
        "cut-section": image([meta])[:-8],
        "missing-section": image([meta], nsections=2),
        "bad-section-crc": image([section(SEC_NOTE, b"abc", crc=1)]),
        "bad-type": image([section(0, b"abc")]),
        "unknown-type": image([section(3, b"abc")]),
        "section-flags": image([section(SEC_NOTE, b"abc", flags=1)]),
        "section-reserved": image([section(SEC_NOTE, b"abc", reserved=1)]),
        "bad-padding": image([section(SEC_NOTE, b"abc", padbyte=1)]),
        "huge-section": image([section(SEC_NOTE, b"abc")[:4] +
                               struct.pack("<I", 0xFFFFFFFF) +
                               section(SEC_NOTE, b"abc")[8:]]),
        "tcp": tcp_image(),
        "listen": listen_image(),
    }
    return s


def tcp_image():
    """TASK and one IPv4 ESTABLISHED TCP socket with both queues."""
    SEC_TASK, SEC_SOCK, sec_queue = 3, 4, 5
    task = struct.pack("<IIQ16s8x", 4242, 1, 123456789, b"server")
    send, recv = bytes(range(200)) * 2, b"hello, world"
    snd_una, snd_nxt, rcv_nxt = 1000, 1300, 5000
    common = struct.pack("<IHHHBBIIIIIIIBBHHHHHI16s16s", 3, 2, 1, 6, 1, 0, 0,
                         0x300, 46080, 131072, 0, 0, 1, 0, 0, 0xFFFF,
                         0xFFFF, 8000, 40000, 0, 112,
                         bytes([10, 0, 0, 1]) + bytes(12),
                         bytes([10, 0, 0, 2]) + bytes(12))
    tcp = struct.pack("<10IIHBB16I", snd_una, snd_nxt, snd_una + len(send),
                      rcv_nxt, rcv_nxt - len(recv), rcv_nxt - 10, 65535,
                      65535, 64000, rcv_nxt, 0x7, 1460, 7, 7, 0x12345678,
                      0x9abcdef0, 800, 200, 200, 10, 0x7FFFFFFF, 60, 5, 3, 0,
                      0, 0, len(send), len(recv), 0)
    q = [struct.pack("<IHHII", 3, kind, 0, len(b), 0) + b
         for kind, b in ((2, send), (3, recv))]
    return image([section(SEC_TASK, task), section(SEC_SOCK, common + tcp)] +
                 [section(sec_queue, x) for x in q])


def listen_image():
    """TASK, an IPv4 listener with one child not accepted, its queues."""
    # tcp_image's sections: TASK, SOCK (fd 3, ESTABLISHED), two queues.
    secs = [(t, body[:n]) for _off, t, _fl, n, _res, _crc, body
            in sections(tcp_image())]
    task = struct.pack("<IIQ16s8x", 4242, 1, 123456789, b"server")
    common = struct.pack("<IHHHBBIIIIIIIBBHHHHHI16s16s", 3, 2, 1, 6, 10, 0,
                         0, 0x201, 46080, 131072, 0, 0, 1, 0, 0, 0xFFFF,
                         0xFFFF, 8000, 0, 0, 24, bytes(16), bytes(16))
    listen = struct.pack("<6I", 128, 0, 1, 0, 0, 0x8)
    return image([section(SEC_TASK, task),
                  section(SEC_SOCK, common + listen),
                  section(SEC_SOCK_CHILD, secs[1][1])] +
                 [section(t, b) for t, b in secs[2:]])


# pcap (pcap-savefile(5)) and pcapng.
US = 1700000000123456
ETH = bytes.fromhex("020000000002" "020000000001" "0800") + bytes(range(46))


def pcap(frames, magic=0xA1B2C3D4, endian="<", version=(2, 4),
         snaplen=65535, linktype=1, frac=123):
    out = struct.pack(endian + "IHHiIII", magic, version[0], version[1], 0, 0,
                      snaplen, linktype)
    for i, (data, origlen) in enumerate(frames):
        out += struct.pack(endian + "IIII", 1700000000 + i, frac, len(data),
                           origlen) + data
    return out


def opt(code, val, e):
    return struct.pack(e + "HH", code, len(val)) + val + bytes(-len(val) % 4)


def block(btype, body, e):
    body += bytes(-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def shb(e, opts=b""):
    return block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) +
                 opts, e)


def idb(e, linktype=1, snaplen=0, opts=b""):
    return block(1, struct.pack(e + "HHI", linktype, 0, snaplen) + opts, e)


def epb(e, data, iface=0, ts=1700000000123456789, origlen=None, opts=b""):
    if origlen is None:
        origlen = len(data)
    body = struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF,
                       len(data), origlen) + data + bytes(-len(data) % 4)
    return block(6, body + opts, e)


def spb(e, data, origlen=None):
    if origlen is None:
        origlen = len(data)
    return block(3, struct.pack(e + "I", origlen) + data, e)


def pb(e, data, iface=0, ts=1700000000123456):
    body = struct.pack(e + "HHIIII", iface, 0, ts >> 32, ts & 0xFFFFFFFF,
                       len(data), len(data)) + data + bytes(-len(data) % 4)
    return block(2, body + opt(2, struct.pack(e + "I", 2), e) +
                 opt(0, b"", e), e)


def flags(e, d):
    return opt(2, struct.pack(e + "I", d), e) + opt(0, b"", e)


def pcap_seeds():
    le, be = "<", ">"
    ns9 = opt(9, b"\x09", le) + opt(0, b"", le)
    ng = (shb(le, opt(4, b"vnif 1.0", le) + opt(0, b"", le)) +
          idb(le, snaplen=65535, opts=opt(2, b"eth0", le) + ns9) +
          epb(le, ETH, opts=flags(le, 1)) +
          epb(le, ETH[:20], opts=flags(le, 2)) +
          spb(le, ETH) + pb(le, ETH) +
          block(5, bytes(16), le))
    s = {
        "pcap-us": pcap([(ETH, len(ETH)), (ETH[:14], 14)]),
        "pcap-ns-be": pcap([(ETH, len(ETH))], magic=0xA1B23C4D, endian=">",
                           frac=999999999),
        "pcap-cut": pcap([(ETH, len(ETH))])[:-5],
        "pcap-short-frame": pcap([(ETH[:20], 60)]),
        "pcap-version": pcap([], version=(1, 0)),
        "pcap-linktype": pcap([(ETH, len(ETH))], linktype=113, snaplen=32),
        "pcapng": ng,
        "pcapng-be": (shb(be) +
                      idb(be, opts=opt(9, b"\x86", be) +
                          opt(14, struct.pack(">q", -5), be) +
                          opt(0, b"", be)) +
                      epb(be, ETH, ts=0x123456789) + spb(be, ETH, 40)),
        # No if_tsresol: microseconds.
        "pcapng-sections": (shb(le) + idb(le) + idb(le, linktype=113) +
                            epb(le, ETH, iface=1, ts=US) + shb(be) + idb(be) +
                            epb(be, ETH, ts=US, opts=flags(be, 3))),
        "pcapng-tsresol": (shb(le) +
                           idb(le, opts=opt(9, b"\x13", le) + opt(0, b"", le)) +
                           idb(le, opts=opt(9, b"\xbf", le) + opt(0, b"", le)) +
                           epb(le, ETH) + epb(le, ETH, iface=1)),
        "pcapng-no-idb": shb(le) + epb(le, ETH, ts=US),
        "pcapng-cut": ng[:-3],
        "pcapng-bad-trailer": ng[:-4] + b"\0\0\0\0",
        "pcapng-short-shb": block(0x0A0D0D0A, struct.pack("<IHH", 0x1A2B3C4D,
                                                          1, 0), le),
        "pcapng-short-idb": shb(le) + block(1, bytes(4), le),
        "pcapng-short-spb": shb(le) + idb(le) + block(3, b"", le),
        "pcapng-spb-snaplen": shb(le) + idb(le, snaplen=20) + spb(le, ETH),
        "pcapng-idb-first": idb(le) + epb(le, ETH, ts=US),
        "pcapng-bad-bom": shb(le)[:8] + b"\0\0\0\0" + shb(le)[12:],
        # The interface table is full at 1024: the 1025th is refused.
        "pcapng-ifaces": (shb(le) + idb(le) * 1024 +
                          epb(le, ETH, iface=1023, ts=US) + idb(le)),
        "empty": b"",
        "short": b"\xd4\xc3\xb2",
        "garbage": b"not a capture at all\n",
    }
    return s


def args(*argv):
    return b"\0".join(a.encode() for a in argv)


def vnif_args_seeds():
    s = {
        "none": b"",
        "help": args("--help"),
        "version": args("--version"),
        "help-load": args("help", "load"),
        "attach": args("attach", "--netns", "ct1", "--address", "10.0.0.2/24",
                       "--address", "fd00::2/64", "--gateway", "10.0.0.1",
                       "--gateway", "fd00::1", "--host-ifname", "ct1-vn"),
        "attach-all": args("attach", "--netns=1234", "--ifname", "eth1",
                           "--mac", "02:00:00:00:00:01", "--mtu", "9000",
                           "--bridge", "br0", "--limit-packets", "1024",
                           "--limit-bytes", "1048576", "--deadline", "2.5",
                           "--deadline-policy", "drop"),
        "attach-path": args("attach", "--netns", "/run/netns/x",
                            "--address", "192.168.1.1"),
        "attach-bad": args("attach", "--netns", "a", "--mac", "zz:00:00:00:00:00",
                           "--address", "10.0.0.1/33"),
        "detach": args("detach", "vnif0"),
        "freeze": args("freeze", "eth0", "--limit-packets", "10",
                       "--limit-bytes=4096", "--deadline", "0.001",
                       "--deadline-policy", "release", "--require-up"),
        "freeze-bad": args("freeze", "--deadline", "3600.0001", "eth0"),
        "thaw": args("thaw", "eth0"),
        "show": args("show"),
        "show-json": args("show", "-j", "vnif0"),
        "dump": args("dump", "eth0", "-w", "out.pcapng"),
        "dump-stdout": args("dump", "-w-", "eth0"),
        "load": args("load", "eth0", "-r", "in.pcap", "--direction", "egress"),
        "load-bad": args("load", "eth0", "-r", "", "--direction", "both"),
        "unknown": args("frobnicate", "-x"),
        "long-ifname": args("thaw", "abcdefghijklmnopq"),
        "missing-arg": args("freeze", "eth0", "--limit-packets"),
        # One --address more than an attach takes.
        "attach-addresses": args("attach", "--netns=ct1",
                                 *[f"--address=10.0.0.{i}" for i in range(33)]),
    }
    return s


def crak_args_seeds():
    s = {
        "none": b"",
        "help": args("--help"),
        "version": args("--version"),
        "version-device": args("version", "--device", "/dev/null"),
        "help-new": args("help", "new"),
        "show": args("show", "--json", "ckpt.img"),
        "show-two": args("show", "a.img", "b.img"),
        "check": args("check", "--kernel", "-d", "/dev/crak", "a.img", "-"),
        "check-none": args("check", "-k"),
        "new": args("new", "-o", "ref.img", "--note", "made for the flip test",
                    "-n", "", "--note=x"),
        "new-stdout": args("new", "--output", "-"),
        "new-missing": args("new", "--note", "x"),
        "unknown": args("frobnicate"),
        "bad-option": args("show", "-x", "--nope", "a.img"),
        "cmd-help": args("check", "--help"),
        "inspect": args("inspect", "--json", "-d", "/dev/crak", "4194304"),
        "inspect-bad": args("inspect", "--device=/dev/null", "0x1f", "2",
                            "-j"),
    }
    return s


def main():
    for target, seeds in (("image", image_seeds()), ("pcap", pcap_seeds()),
                          ("vnif_args", vnif_args_seeds()),
                          ("crak_args", crak_args_seeds())):
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.startswith("seed-"):
                os.unlink(os.path.join(d, f))
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, "seed-" + name), "wb") as f:
                f.write(data)
        print(f"mkseeds: {len(seeds)} seeds in corpus/{target}")


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: GPL-2.0
#
# The framing of a crak image (Documentation/image.md) for the Python
# programs of the tests, written here once and on its own, independently of
# crak's C codec: CRC-32C, the 32-byte image header and the 16-byte section
# header, packed and unpacked. What the sections hold is each program's.
#
# Users: tests/host/mkvnif.py, tests/fuzz/mkseeds.py (which import it from
# here) and tests/selftests/vnif_image.py (its test copies this file next
# to it, as the crak tests do with crak_util.py, and it imports it from
# there). The writers take every field as an argument so that the fuzz
# seeds can break any one of them; the defaults make a valid image.

import struct

MAGIC = b"CRAK\r\n\x1a\n"
VERSION = 1
HDR_LEN = 32
SEC_HDR_LEN = 16
SEC_META, SEC_NOTE, SEC_TASK, SEC_SOCK, SEC_SOCK_QUEUE, SEC_SOCK_CHILD, \
    SEC_VNIF, SEC_VNIF_QUEUE = range(1, 9)
SEC_NAMES = {SEC_META: "META", SEC_NOTE: "NOTE", SEC_TASK: "TASK",
             SEC_SOCK: "SOCK", SEC_SOCK_QUEUE: "SOCK_QUEUE",
             SEC_SOCK_CHILD: "SOCK_CHILD", SEC_VNIF: "VNIF",
             SEC_VNIF_QUEUE: "VNIF_QUEUE"}

# magic, version, hdr_len, flags, image_len, nsections, hdr_crc
HEADER = struct.Struct("<8sHHIQII")
# type, flags, len, reserved, crc
SECTION = struct.Struct("<HHIII")


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli), reflected, bit by bit; continues crc, as
    crak_crc32c() does."""
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def size8(n):
    """n rounded up to a multiple of 8."""
    return (n + 7) & ~7


def pad8(b):
    """b with zeros up to a multiple of 8 bytes."""
    return b + bytes(-len(b) % 8)


def pack_section(stype, payload, flags=0, reserved=0, padbyte=0, crc=None):
    """A section: its header (the CRC over the first 12 bytes of it, the
    payload and the padding, unless crc is given) and the padded payload."""
    body = payload + bytes([padbyte]) * (-len(payload) % 8)
    hdr = SECTION.pack(stype, flags, len(payload), reserved, 0)[:12]
    if crc is None:
        crc = crc32c(body, crc32c(hdr))
    return hdr + struct.pack("<I", crc) + body


def unpack_section(buf, off=0):
    """The header of the section at off: (type, flags, len, reserved,
    crc)."""
    return SECTION.unpack_from(buf, off)


def section_size(n):
    """What a section of an n-byte payload takes: header and padding."""
    return SEC_HDR_LEN + size8(n)


def section_crc(buf, off):
    """The CRC the section at off should have, from its bytes."""
    n = unpack_section(buf, off)[2]
    return crc32c(bytes(buf[off + SEC_HDR_LEN:off + section_size(n)]),
                  crc32c(bytes(buf[off:off + 12])))


def reseal(buf, off):
    """Writes into the bytearray buf the right CRC of the section at off,
    after a change to it."""
    struct.pack_into("<I", buf, off + 12, section_crc(buf, off))


def pack_image(sections, nsections=None, version=VERSION, hdr_len=HDR_LEN,
               flags=0, length=None, crc=None, trailing=b""):
    """An image of the packed sections: the header (its counts and CRC
    from them, unless given) and the sections, then trailing."""
    body = b"".join(sections)
    if nsections is None:
        nsections = len(sections)
    if length is None:
        length = HDR_LEN + len(body)
    hdr = HEADER.pack(MAGIC, version, hdr_len, flags, length, nsections,
                      0)[:28]
    if crc is None:
        crc = crc32c(hdr)
    return hdr + struct.pack("<I", crc) + body + trailing


def unpack_header(buf):
    """The image header: (magic, version, hdr_len, flags, image_len,
    nsections, hdr_crc)."""
    return HEADER.unpack_from(buf)


def sections(buf):
    """The sections the header counts, each as (offset, type, flags, len,
    reserved, crc, payload and padding), without checking anything."""
    off = HDR_LEN
    for _ in range(unpack_header(buf)[5]):
        stype, flags, n, reserved, crc = unpack_section(buf, off)
        yield (off, stype, flags, n, reserved, crc,
               bytes(buf[off + SEC_HDR_LEN:off + section_size(n)]))
        off += section_size(n)

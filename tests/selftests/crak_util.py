# SPDX-License-Identifier: GPL-2.0
#
# What the Python programs of the crak selftests share: the addresses of
# lib.sh's vt_two_hosts, JSON reports written whole, waiting for a file,
# SIOCINQ and SIOCOUTQ, a byte stream checked as it is read, and
# CRAK_IOC_CHECKPOINT and CRAK_IOC_RESTORE called directly (the layouts of
# include/uapi/linux/crak.h). The test copies this file next to its
# program, which imports it from there.

import ctypes
import fcntl
import json
import os
import socket
import struct
import time

# The server's addresses in vt_two_hosts (tests/selftests/lib.sh).
A4, A6 = "10.9.0.2", "fd09::2"


def dump(path, obj):
    """Write obj as JSON to path; a reader never sees half of it."""
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f)
    os.rename(path + ".tmp", path)


SIOCINQ, SIOCOUTQ = 0x541B, 0x5411


def ioq(s, req):
    """SIOCINQ or SIOCOUTQ of socket s: bytes in its receive, send queue."""
    return struct.unpack("i", fcntl.ioctl(s, req, b"\0" * 4))[0]


class StreamReader:
    """Checks the bytes read on a connection against the stream expected
    (want), from offset pos on: bad is the offset of the first wrong byte
    (-1: none), eof whether the end of the stream was read."""

    def __init__(self, want, pos):
        self.want = want
        self.pos = pos
        self.bad = -1
        self.eof = False

    def feed(self, data):
        if not data:
            self.eof = True
            return
        if self.bad < 0 and self.want[self.pos:self.pos + len(data)] != data:
            for i, b in enumerate(data):
                if self.pos + i >= len(self.want) or \
                        self.want[self.pos + i] != b:
                    self.bad = self.pos + i
                    break
        self.pos += len(data)

    def read_ready(self, s, what, err):
        """Feeds what nonblocking socket s has; an error goes to the list
        err, as "WHAT: error", and ends the stream."""
        while not self.eof:
            try:
                self.feed(s.recv(65536, socket.MSG_DONTWAIT))
            except BlockingIOError:
                break
            except OSError as e:
                err.append("%s: %s" % (what, e))
                self.eof = True


def wait_file(path, secs):
    end = time.time() + secs
    while not os.path.exists(path):
        if time.time() > end:
            raise SystemExit("timed out waiting for " + path)
        time.sleep(0.05)


class CrakCheckpoint(ctypes.Structure):
    _fields_ = [("pid", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("start_time", ctypes.c_uint64), ("buf", ctypes.c_uint64),
                ("len", ctypes.c_uint64), ("error_fd", ctypes.c_int32),
                ("sockets", ctypes.c_uint32), ("skipped", ctypes.c_uint32),
                ("datagrams", ctypes.c_uint32), ("error", ctypes.c_char * 96)]


class CrakRestoreFd(ctypes.Structure):
    _fields_ = [("fd", ctypes.c_int32), ("target_fd", ctypes.c_int32),
                ("fd_flags", ctypes.c_uint32), ("reserved", ctypes.c_uint32)]


class CrakRestore(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_uint64), ("len", ctypes.c_uint64),
                ("flags", ctypes.c_uint32), ("max", ctypes.c_uint32),
                ("fds", ctypes.c_uint64), ("sockets", ctypes.c_uint32),
                ("datagrams", ctypes.c_uint32), ("bytes", ctypes.c_uint64),
                ("error_fd", ctypes.c_int32),
                ("error_section", ctypes.c_uint32),
                ("error_offset", ctypes.c_uint64),
                ("error", ctypes.c_char * 96)]


def iowr(nr, size):
    """_IOWR(CRAK_IOC_MAGIC, nr, size), as crak.h defines its requests."""
    return (3 << 30) | (size << 16) | (0xCA << 8) | nr


CRAK_IOC_CHECKPOINT = 3
CRAK_IOC_RESTORE = 4


def checkpoint(pid, flags, size=64 << 20):
    """CRAK_IOC_CHECKPOINT of pid: (the image, the ioctl's struct).
    Raises OSError, the module's message appended and the struct as
    e.crak, on failure."""
    buf = ctypes.create_string_buffer(size)
    a = CrakCheckpoint(pid=pid, flags=flags, buf=ctypes.addressof(buf),
                       len=len(buf))
    with open("/dev/crak", "rb") as dev:
        try:
            fcntl.ioctl(dev, iowr(CRAK_IOC_CHECKPOINT, ctypes.sizeof(a)), a)
        except OSError as e:
            err = OSError(e.errno, "%s: %s" % (e.strerror, a.error.decode()))
            err.crak = a
            raise err from e
    return buf.raw[:a.len], a


def restore(image, max_fds=64):
    """CRAK_IOC_RESTORE of image: (the ioctl's struct, its fd table).
    On failure the OSError carries the struct as e.crak."""
    buf = ctypes.create_string_buffer(image, len(image))
    fds = (CrakRestoreFd * max_fds)()
    a = CrakRestore(buf=ctypes.addressof(buf), len=len(image), max=max_fds,
                    fds=ctypes.addressof(fds))
    with open("/dev/crak", "rb") as dev:
        try:
            fcntl.ioctl(dev, iowr(CRAK_IOC_RESTORE, ctypes.sizeof(a)), a)
        except OSError as e:
            e.crak = a
            raise
    return a, fds

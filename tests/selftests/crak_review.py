#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# crak-review.sh's programs, one file so that the guest's Python starts
# once per role:
#
#   order DIR      the target of the restore-order checks: a UDP socket
#                  with NOLD datagrams queued; a TCP listener without
#                  SO_REUSEADDR moved to descriptor LFD, above the
#                  connection it accepted; that connection and its client,
#                  with SO_RCVBUF and SO_SNDBUF set and both queues full
#   flood DIR      sends "new" datagrams to the UDP socket's address as
#                  fast as it can until DIR/stop exists
#   restored DIR   run by `crak restart` on the order target's sockets:
#                  reads the datagrams, the buffer sizes, the stream, and
#                  makes a new connection to the listener
#   device DIR     the target of the refusal checks: sockets bound to a
#                  device or to a link-local address (interface d0, with
#                  fe80::1), one holding a datagram from a link-local
#                  source, and one plain socket
#
# Every role reports JSON in DIR.

import errno
import json
import os
import select
import signal
import socket
import sys
import time

import crak_util

NOLD = 1500
SO_RCVBUFFORCE = 33	# not in every Python
UPORT, LPORT, LFD = 7301, 7302, 60
A4 = "127.0.0.1"
ADDR = "10.77.0.2"	# the target's end of the vnif pair to the peer


def write(path, obj):
    crak_util.dump(path, obj)


def pattern(n):
    return bytes(i % 251 for i in range(n))


def wait_file(path, secs=120):
    crak_util.wait_file(path, secs)


def recv_stream(sk, want):
    """Up to want bytes of sk's stream, blocking, 60 s per read: (the
    bytes, None) or (what came, why it stopped)."""
    sk.setblocking(True)
    sk.settimeout(60)
    buf = bytearray()
    try:
        while len(buf) < want:
            b = sk.recv(65536)
            if not b:
                break
            buf += b
    except OSError as e:
        return buf, str(e)
    return buf, None


def fill(sk, data):
    """Writes data to non-blocking sk until the queues are full."""
    sent = idle = 0
    while idle < 20:
        try:
            sent += sk.send(data[sent:sent + 4096])
            idle = 0
        except BlockingIOError:
            idle += 1
            time.sleep(0.05)
    return sent


def order(d):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    u.bind((A4, UPORT))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(NOLD):
        s.sendto(b"old %05d" % i, (A4, UPORT))

    # The child inherits the listener's SO_RCVBUF, locked.
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    lst.bind((ADDR, LPORT))
    lst.listen(4)
    open(os.path.join(d, "listening"), "w").write("yes")
    acc, _ = lst.accept()
    acc.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    os.dup2(lst.fileno(), LFD)
    lst.close()

    # Both queues full: neither side reads.
    acc.setblocking(False)
    sent = fill(acc, pattern(1 << 20))
    write(os.path.join(d, "order.json"), {
        "udp": u.fileno(), "sender": s.fileno(), "listen": LFD,
        "accepted": acc.fileno(), "sent": sent,
        "sndbuf": acc.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
        "rcvbuf": acc.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
    })
    while True:
        time.sleep(60)


def peer(d):
    wait_file(os.path.join(d, "listening"))
    # Small buffers: fewer bytes to carry, the queues full all the same.
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    c.connect((ADDR, LPORT))
    c.setblocking(False)
    sent = fill(c, pattern(1 << 20))
    write(os.path.join(d, "peer.json"), {"sent": sent})
    wait_file(os.path.join(d, "thawed"))
    with open(os.path.join(d, "order.json")) as f:
        want = json.load(f)["sent"]
    out = {"error": None}
    buf, err = recv_stream(c, want)
    if err:
        out["error"] = err
    out["ok"] = bytes(buf) == pattern(want)
    out["bytes"] = len(buf)
    write(os.path.join(d, "peer-result.json"), out)


def flood(d):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    stop = os.path.join(d, "stop")
    n = 0
    while not os.path.exists(stop):
        for _ in range(64):
            try:
                s.sendto(b"new %07d" % n, (A4, UPORT))
            except OSError:
                pass
            n += 1
        if n == 64:
            write(os.path.join(d, "flooding"), "yes")
    write(os.path.join(d, "flood.json"), {"sent": n})


def restored(d):
    with open(os.path.join(d, "order.json")) as f:
        fds = json.load(f)
    with open(os.path.join(d, "peer.json")) as f:
        want = json.load(f)["sent"]
    out = {}
    u = socket.socket(fileno=fds["udp"])
    u.setblocking(False)
    got = []
    try:
        while len(got) < NOLD + 100:
            got.append(u.recv(64).decode())
    except BlockingIOError:
        pass
    olds = [g for g in got if g.startswith("old")]
    out["olds"] = len(olds)
    out["olds_in_order"] = olds == ["old %05d" % i for i in range(len(olds))]
    out["first_new"] = next((i for i, g in enumerate(got)
                             if g.startswith("new")), None)
    out["read"] = len(got)

    acc = socket.socket(fileno=fds["accepted"])
    out["sndbuf"] = acc.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    out["rcvbuf"] = acc.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)

    # The peer's stream goes on once the pair lets it through.
    write(os.path.join(d, "built"), "yes")
    wait_file(os.path.join(d, "thawed"))
    buf, err = recv_stream(acc, want)
    if err:
        out["stream_error"] = err
    out["stream_ok"] = bytes(buf) == pattern(want)
    out["stream_bytes"] = len(buf)

    lst = socket.socket(fileno=fds["listen"])
    lst.settimeout(10)
    try:
        c = socket.create_connection((ADDR, LPORT), timeout=10)
        a, _ = lst.accept()
        c.sendall(b"hello")
        out["listener"] = a.recv(5).decode()
    except OSError as e:
        out["listener"] = str(e)
    write(os.path.join(d, "restored.json"), out)


def device(d):
    idx = socket.if_nametoindex("d0")
    fds = {}
    # A listener a forked child has too, as a pre-forked server has it.
    shared = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    shared.bind((A4, 7405))
    shared.listen(4)
    kid = os.fork()
    if not kid:
        while True:
            time.sleep(60)
    dev = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dev.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"d0")
    dev.bind(("0.0.0.0", 7401))
    ll = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    ll.bind(("fe80::1", 7402, 0, idx))
    plain = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    plain.bind((A4, 7403))
    anyv6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    anyv6.bind(("::", 7404))
    ll.sendto(b"from a link-local address", ("fe80::1", 7404, 0, idx))
    queued = bool(select.select([anyv6], [], [], 5)[0])
    fds.update(device=dev.fileno(), linklocal=ll.fileno(),
               plain=plain.fileno(), llqueued=anyv6.fileno(), queued=queued,
               shared=shared.fileno(), kid=kid)
    write(os.path.join(d, "device.json"), fds)
    while True:
        time.sleep(60)


CKPT_SKIP, CKPT_KILL = 1, 2


def checkpoint(pid, flags):
    """CRAK_IOC_CHECKPOINT: what it answered, a refusal included."""
    err = 0
    try:
        a = crak_util.checkpoint(pid, flags, 1 << 20)[1]
    except OSError as e:
        a, err = e.crak, e.errno
    return {"errno": errno.errorcode.get(err, err), "error_fd": a.error_fd,
            "error": a.error.decode(), "sockets": a.sockets,
            "skipped": a.skipped}


def proc_state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def kills(d, pid):
    """CRAK_CKPT_KILL of the device target, running, then stopped."""
    pid = int(pid)
    out = {"running": checkpoint(pid, CKPT_KILL)}
    out["running_state"] = proc_state(pid)
    os.kill(pid, signal.SIGSTOP)
    end = time.time() + 20
    while proc_state(pid) != "T" and time.time() < end:
        time.sleep(0.05)
    out["shared"] = checkpoint(pid, CKPT_KILL)
    out["shared_state"] = proc_state(pid)
    out["skip"] = checkpoint(pid, CKPT_KILL | CKPT_SKIP)
    end = time.time() + 20
    while proc_state(pid) not in ("Z", "gone") and time.time() < end:
        time.sleep(0.05)
    out["skip_state"] = "dead" if proc_state(pid) in ("Z", "gone") else "alive"
    write(os.path.join(d, "kills.json"), out)


ROLES = {"order": order, "peer": peer, "flood": flood, "restored": restored,
         "device": device, "kills": kills}

if __name__ == "__main__":
    ROLES[sys.argv[1]](*sys.argv[2:])

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

import json
import os
import select
import socket
import sys
import time

NOLD = 1500
SO_RCVBUFFORCE = 33	# not in every Python
UPORT, LPORT, LFD = 7301, 7302, 60
A4 = "127.0.0.1"


def write(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f)
    os.rename(path + ".tmp", path)


def pattern(n):
    return bytes(i % 251 for i in range(n))


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
    lst.bind((A4, LPORT))
    lst.listen(4)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    cli.connect((A4, LPORT))
    acc, _ = lst.accept()
    os.dup2(lst.fileno(), LFD)
    lst.close()

    # Both queues full: the accepted side does not read.
    cli.setblocking(False)
    data = pattern(1 << 20)
    sent = 0
    idle = 0
    while idle < 20:
        try:
            sent += cli.send(data[sent:sent + 4096])
            idle = 0
        except BlockingIOError:
            idle += 1
            time.sleep(0.05)
    write(os.path.join(d, "order.json"), {
        "udp": u.fileno(), "sender": s.fileno(), "listen": LFD,
        "client": cli.fileno(), "accepted": acc.fileno(), "sent": sent,
        "client_sndbuf": cli.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
        "accepted_rcvbuf": acc.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
        "client_rcvbuf": cli.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
        "accepted_sndbuf": acc.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
    })
    while True:
        time.sleep(60)


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
    first_new = next((i for i, g in enumerate(got) if g.startswith("new")),
                     None)
    out["first_new"] = first_new
    out["read"] = len(got)

    cli = socket.socket(fileno=fds["client"])
    acc = socket.socket(fileno=fds["accepted"])
    for k, sk, opt in (("client_sndbuf", cli, socket.SO_SNDBUF),
                       ("accepted_rcvbuf", acc, socket.SO_RCVBUF),
                       ("client_rcvbuf", cli, socket.SO_RCVBUF),
                       ("accepted_sndbuf", acc, socket.SO_SNDBUF)):
        out[k] = sk.getsockopt(socket.SOL_SOCKET, opt)

    # The stream goes on: every byte the client had written arrives.
    acc.settimeout(30)
    buf = bytearray()
    try:
        while len(buf) < fds["sent"]:
            b = acc.recv(65536)
            if not b:
                break
            buf += b
    except OSError as e:
        out["stream_error"] = str(e)
    out["stream_ok"] = bytes(buf) == pattern(fds["sent"])
    out["stream_bytes"] = len(buf)

    lst = socket.socket(fileno=fds["listen"])
    lst.settimeout(10)
    try:
        c = socket.create_connection((A4, LPORT), timeout=10)
        a, _ = lst.accept()
        c.sendall(b"hello")
        out["listener"] = a.recv(5).decode()
    except OSError as e:
        out["listener"] = str(e)
    write(os.path.join(d, "restored.json"), out)


def device(d):
    idx = socket.if_nametoindex("d0")
    fds = {}
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
               plain=plain.fileno(), llqueued=anyv6.fileno(), queued=queued)
    write(os.path.join(d, "device.json"), fds)
    while True:
        time.sleep(60)


ROLES = {"order": order, "flood": flood, "restored": restored,
         "device": device}

if __name__ == "__main__":
    ROLES[sys.argv[1]](sys.argv[2])

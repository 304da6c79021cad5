#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# crak-tcp.sh's programs, one file so that the guest's slow Python starts
# once per role:
#
#   target DIR   the server: eight connections in six states, see CONNS
#   peer DIR     the client of those connections, in another namespace;
#                on DIR/hole, it leaves a hole in its stream of the OFO
#                connection, see hole()
#   ckpt PID IMG FLAGS   CRAK_IOC_CHECKPOINT (the tool has no --kill yet)
#   restore DIR IMG      CRAK_IOC_RESTORE, then the server's work goes on
#                        on the restored descriptors
#
# Each connection carries one seeded byte stream each way; every side
# checks each byte it reads against the stream and reports JSON in DIR.

import json
import os
import random
import select
import socket
import struct
import sys
import time

from crak_util import A4, A6, SIOCINQ, SIOCOUTQ, dump, ioq, wait_file
import crak_util

PORT4, PORT6 = 7000, 7001
# index: (family, server state at the checkpoint, peer bytes before, total
# peer bytes, server bytes after the restore). CLOSING: the server shuts
# down with its FIN queued behind data the peer's zero window refuses
# (FIN_WAIT1), then the peer shuts down: its FIN arrives in FIN_WAIT1.
# OFO: established; on DIR/hole the peer writes HOLE: 1000 bytes, which
# nftables on the server's side drops every time, then 2000 (two segments
# at an MSS of 1428) which the server holds out of order.
CONNS = [
    (4, "ESTABLISHED", 200000, 200000, 100000),
    (6, "ESTABLISHED", 200000, 200000, 100000),
    (4, "CLOSE_WAIT", 50000, 50000, 20000),
    (6, "FIN_WAIT1", 0, 30000, 0),
    (4, "FIN_WAIT2", 0, 30000, 0),
    (6, "LAST_ACK", 50000, 50000, 0),
    (4, "CLOSING", 20000, 20000, 0),
    (6, "ESTABLISHED", 20000, 40000, 20000),
]
OFO = 7
HOLE = (1000, 2000)
STATES = {1: "ESTABLISHED", 4: "FIN_WAIT1", 5: "FIN_WAIT2", 8: "CLOSE_WAIT",
          9: "LAST_ACK", 11: "CLOSING"}
TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_SEND_QUEUE, TCP_REPAIR_OFF_NO_WP = 2, -1


def stream(k, who, n):
    return random.Random(k * 2 + (who == "srv")).randbytes(n)


def tcp_state(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]


def tcp_info_u32(s, i):
    """The i-th u32 of struct tcp_info, after its 8 bytes of u8s: 4 is
    tcpi_unacked, 5 tcpi_sacked, 6 tcpi_lost (segments)."""
    return struct.unpack("8B8I", s.getsockopt(socket.IPPROTO_TCP,
                                               socket.TCP_INFO, 40))[8 + i]


def tcpext():
    """The TcpExt counters of /proc/net/netstat, in this namespace."""
    lines = [l.split() for l in open("/proc/net/netstat")
             if l.startswith("TcpExt:")]
    return {k: int(v) for k, v in zip(lines[0][1:], lines[1][1:])}


def write_some(s, data, off):
    """Nonblocking: write from off until the socket is full."""
    while off < len(data):
        try:
            n = s.send(data[off:off + 65536], socket.MSG_DONTWAIT)
        except BlockingIOError:
            break
        off += n
    return off


class Reader(crak_util.StreamReader):
    def __init__(self, k, pos, total):
        super().__init__(stream(k, "peer" if total is not None else "srv",
                                total if total is not None else 1 << 21), pos)


def target(d):
    l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    for ls, a, p in ((l4, A4, PORT4), (l6, A6, PORT6)):
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((a, p))
        ls.listen(8)
    dump(d + "/listening.json", {"pid": os.getpid()})
    conns = []
    for k, c in enumerate(CONNS):
        s, _ = (l4 if c[0] == 4 else l6).accept()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, k == 0)
        if k == 1:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 77)
        conns.append(s)
    l4.close()
    l6.close()
    out = stream(0, "srv", 1)  # warm up
    info = {}
    for k, (fam, st, before, total, after) in enumerate(CONNS):
        s = conns[k]
        out = stream(k, "srv", 1 << 21)
        r = Reader(k, 0, total)
        w = 0
        if st in ("ESTABLISHED", "FIN_WAIT1", "LAST_ACK", "CLOSING"):
            time.sleep(0.2)
            w = write_some(s, out, 0)
            time.sleep(0.3)
            w = write_some(s, out, w)
        elif st == "FIN_WAIT2":
            s.sendall(out[:5000])
            w = 5000
        want_read = {"ESTABLISHED": 20000, "CLOSE_WAIT": 10000,
                     "LAST_ACK": 10000, "CLOSING": 10000}.get(st, 0)
        if k == OFO:
            want_read = 10000
        s.settimeout(30)
        while r.pos < want_read:
            r.feed(s.recv(want_read - r.pos))
        if st in ("FIN_WAIT1", "FIN_WAIT2", "LAST_ACK", "CLOSING"):
            s.shutdown(socket.SHUT_WR)
        if st == "CLOSING":
            dump(d + "/closing-shut.json", {})
        info[s.fileno()] = {"k": k, "written": w, "read": r.pos,
                            "bad": r.bad, "total_srv": w + after}
    want = {k: c[1] for k, c in enumerate(CONNS)}
    # Settled: the states reached, the queues still for half a second.
    last, still = None, 0
    for _ in range(400):
        now = [(STATES.get(tcp_state(s), tcp_state(s)), ioq(s, SIOCINQ),
                ioq(s, SIOCOUTQ)) for s in conns]
        ok = all(now[k][0] == want[k] for k in want)
        still = still + 1 if ok and now == last else 0
        last = now
        if still >= 5:
            break
        time.sleep(0.1)
    for s in conns:
        i = info[s.fileno()]
        i["state"], i["inq"], i["outq"] = last[i["k"]]
    dump(d + "/target.json", info)
    while True:
        time.sleep(100)


def peer(d):
    conns = []
    for k, (fam, st, before, total, after) in enumerate(CONNS):
        s = socket.socket(socket.AF_INET if fam == 4 else socket.AF_INET6)
        if st != "FIN_WAIT2":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.connect((A4, PORT4) if fam == 4 else (A6, PORT6))
        conns.append(s)
        if k == OFO:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    dump(d + "/peer-connected.json", {})
    outs = [stream(k, "peer", c[3]) for k, c in enumerate(CONNS)]
    readers = [Reader(k, 0, None) for k in range(len(CONNS))]
    wpos = [0] * len(CONNS)
    shut = [False] * len(CONNS)
    err = []

    def pump(k, phase2):
        s = conns[k]
        before = CONNS[k][2]
        lim = CONNS[k][3] if phase2 else before
        if wpos[k] < lim:
            wpos[k] = write_some(s, outs[k][:lim], wpos[k])
        if wpos[k] == CONNS[k][3] and not shut[k] and \
                (phase2 or CONNS[k][1] in ("CLOSE_WAIT", "LAST_ACK") or
                 (CONNS[k][1] == "CLOSING" and
                  os.path.exists(d + "/closing-shut.json"))):
            s.shutdown(socket.SHUT_WR)
            shut[k] = True
        if phase2 or CONNS[k][1] == "FIN_WAIT2":
            readers[k].read_ready(s, "conn %d" % k, err)

    go = d + "/go"
    holed = None
    while not os.path.exists(go):
        for k in range(len(CONNS)):
            pump(k, False)
        if holed is None and os.path.exists(d + "/hole"):
            holed = hole(d, conns[OFO], outs[OFO])
            wpos[OFO] = CONNS[OFO][2] + sum(HOLE)
        time.sleep(0.05)
    end = time.time() + 120
    while time.time() < end:
        for k in range(len(CONNS)):
            pump(k, True)
        if all(r.eof for r in readers) and all(shut):
            break
        select.select(conns, [], [], 0.05)
    dump(d + "/peer.json", {"conns": [
        {"k": k, "received": readers[k].pos, "bad": readers[k].bad,
         "eof": readers[k].eof, "sent": wpos[k], "shut": shut[k]}
        for k in range(len(CONNS))], "errors": err, "tcpext": tcpext()})


def hole(d, s, out):
    """A hole in the OFO connection's stream, with the server holding
    the bytes after it out of order. Its next sequence number is read
    through TCP_REPAIR (the send queue must be empty: write_seq is then
    snd_nxt) into DIR/hole-seq.json; once DIR/rule says that the server's
    side drops every segment starting there, HOLE is written in two
    writes (TCP_NODELAY): the first, lost, draws no answer that could
    hold the second back (a third write could wait behind the recovery
    the SACK of the second starts). Reported in DIR/hole.json once the
    peer counts segments unacknowledged and SACKed, all but the first.
    (Not dropped here: a segment an IP hook of the sender drops is an
    error to TCP, which keeps it unsent and appends the next writes.)"""
    off = CONNS[OFO][2]
    end = time.time() + 30
    while ioq(s, SIOCOUTQ) and time.time() < end:
        time.sleep(0.05)
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    seq = struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP,
                                          TCP_QUEUE_SEQ, 4))[0]
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP)
    dump(d + "/hole-seq.json", {"seq": seq, "sport": s.getsockname()[1]})
    wait_file(d + "/rule", 60)
    ext = tcpext()
    for n in HOLE:  # back to back: before the first RTO, 200 ms at least
        s.sendall(out[off:off + n])
        off += n
    end = time.time() + 20  # crak-tcp.sh waits 30 s for the report
    while time.time() < end:
        got = [tcp_info_u32(s, i) for i in (4, 5)]
        if got[1] and got[1] == got[0] - 1:
            break
        time.sleep(0.05)
    r = {"seq": seq, "unacked": got[0], "sacked": got[1],
         "lost": tcp_info_u32(s, 6), "tcpext": ext}
    dump(d + "/hole.json", r)
    return r


def ckpt(pid, img, flags):
    try:
        image, a = crak_util.checkpoint(pid, flags)
    except OSError as e:
        raise SystemExit("checkpoint: %s" % e)
    with open(img, "wb") as f:
        f.write(image)
    print("checkpoint: %d sockets, %d bytes" % (a.sockets, a.len))


def restore(d, img):
    data = open(img, "rb").read()
    t0 = time.time()
    try:
        a, fds = crak_util.restore(data)
    except OSError as e:
        dump(d + "/restore.json", {"error": "%s: fd %d: %s" % (
            e, e.crak.error_fd, e.crak.error.decode())})
        return
    ms = (time.time() - t0) * 1000
    info = json.load(open(d + "/target.json"))
    conns, states = {}, {}
    for i in range(a.sockets):
        s = socket.socket(fileno=fds[i].fd)
        t = info[str(fds[i].target_fd)]
        conns[t["k"]] = (s, t)
        states[t["k"]] = STATES.get(tcp_state(s), tcp_state(s))
    dump(d + "/restored.json", {"sockets": a.sockets, "bytes": a.bytes,
                                "ms": ms, "states": states})
    wait_file(d + "/go", 120)
    readers, wpos, shut = {}, {}, {}
    for k, (s, t) in conns.items():
        readers[k] = Reader(k, t["read"], CONNS[k][3])
        if CONNS[k][1] in ("CLOSE_WAIT", "LAST_ACK", "CLOSING") and \
                t["read"] == CONNS[k][3]:
            readers[k].eof = True
        wpos[k] = t["written"]
        shut[k] = CONNS[k][1] in ("FIN_WAIT1", "FIN_WAIT2", "LAST_ACK",
                                  "CLOSING")
    outs = {k: stream(k, "srv", 1 << 21) for k in conns}
    err = []
    end = time.time() + 120
    while time.time() < end:
        for k, (s, t) in conns.items():
            if wpos[k] < t["total_srv"]:
                wpos[k] = write_some(s, outs[k][:t["total_srv"]], wpos[k])
            if wpos[k] == t["total_srv"] and not shut[k]:
                s.shutdown(socket.SHUT_WR)
                shut[k] = True
            readers[k].read_ready(s, "conn %d" % k, err)
        if all(r.eof for r in readers.values()) and all(shut.values()):
            break
        select.select([c[0] for c in conns.values()], [], [], 0.05)
    dump(d + "/server.json", {"conns": [
        {"k": k, "received": readers[k].pos, "bad": readers[k].bad,
         "eof": readers[k].eof, "sent": wpos[k], "shut": shut[k]}
        for k in sorted(conns)], "errors": err})
    time.sleep(1)


if __name__ == "__main__":
    role = sys.argv[1]
    if role == "target":
        target(sys.argv[2])
    elif role == "peer":
        peer(sys.argv[2])
    elif role == "ckpt":
        ckpt(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif role == "restore":
        restore(sys.argv[2], sys.argv[3])

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# crak-restore-fail.sh's programs, one file so that the guest's slow Python
# starts once per role:
#
#   target DIR   the server: a listener on port PORT, two connections, one
#                to each of its addresses (ADDRS, in that order), then the
#                listener closed; each connection gets part of the peer's
#                stream (the server reads part of it) and sends part of its
#                own, then nothing moves any more
#   peer DIR     the client, in another namespace: opens both connections,
#                sends its first part, then neither reads nor writes (so
#                that it sends nothing the test would take for an answer
#                to the restore) until DIR/go exists; then both streams to
#                their end and the FIN, and reads the server's to its FIN
#   server DIR   the restored server, started by `crak restart` with the
#                sockets at their recorded numbers (CRAK_FDS): carries on
#                both streams from where target left them
#
# Each connection k carries one seeded byte stream each way, TOTAL bytes;
# every side checks each byte it reads against the stream and reports JSON
# in DIR, with a one-line summary for the test to compare in bash (the
# guest takes a second or more to start jq).

import json
import os
import random
import select
import socket
import sys
import time

from crak_util import SIOCINQ, SIOCOUTQ, StreamReader as Reader, dump, ioq, wait_file

PORT = 7300
ADDRS = ["10.9.0.2", "10.9.0.3"]	# B lacks the second at first
TOTAL = 100000			# bytes each way, per connection
PEER_FIRST = 40000		# the peer's bytes before the checkpoint
SRV_READ = 20000		# of which the server reads these
SRV_FIRST = 30000		# the server's bytes before the checkpoint


def stream(k, who):
    return random.Random(k * 2 + (who == "srv")).randbytes(TOTAL)


def target(d):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", PORT))
    ls.listen(4)
    dump(d + "/listening.json", {"pid": os.getpid()})
    conns = {}
    for _ in ADDRS:
        s, _ = ls.accept()
        conns[ADDRS.index(s.getsockname()[0])] = s
    ls.close()
    info = {}
    for k, s in sorted(conns.items()):
        s.settimeout(30)
        s.sendall(stream(k, "srv")[:SRV_FIRST])
        r = Reader(stream(k, "peer"), 0)
        while r.pos < SRV_READ:
            r.feed(s.recv(SRV_READ - r.pos))
        info[s.fileno()] = {"k": k, "addr": ADDRS[k], "read": r.pos,
                            "bad": r.bad, "written": SRV_FIRST}
    # Still: everything the server sent acknowledged, the peer's first
    # part in, the queues unchanged for half a second.
    last, still = None, 0
    for _ in range(300):
        now = [(ioq(s, SIOCINQ), ioq(s, SIOCOUTQ)) for s in conns.values()]
        ok = all(q == (PEER_FIRST - SRV_READ, 0) for q in now)
        still = still + 1 if ok and now == last else 0
        last = now
        if still >= 5:
            break
        time.sleep(0.1)
    for s in conns.values():
        info[s.fileno()]["inq"], info[s.fileno()]["outq"] = \
            ioq(s, SIOCINQ), ioq(s, SIOCOUTQ)
    # In descriptor order, the image's: k, address, queues, first bad byte.
    summary = " ".join("%d %s %d %d %d" % (i["k"], i["addr"], i["inq"],
                                            i["outq"], i["bad"])
                       for _, i in sorted(info.items()))
    dump(d + "/target.json", {"summary": summary, "fds": info})
    while True:
        time.sleep(100)


def run(d, conns, readers, outs, wpos, name):
    """Both directions of every connection to their end, then a report."""
    shut = {k: False for k in conns}
    err = []
    end = time.time() + 60
    while time.time() < end:
        for k, s in conns.items():
            try:
                while wpos[k] < TOTAL:
                    wpos[k] += s.send(outs[k][wpos[k]:wpos[k] + 65536],
                                      socket.MSG_DONTWAIT)
                if not shut[k]:
                    s.shutdown(socket.SHUT_WR)
                    shut[k] = True
            except BlockingIOError:
                pass
            except OSError as e:
                err.append("conn %d: %s" % (k, e))
                shut[k] = True
                wpos[k] = TOTAL
            readers[k].read_ready(s, "conn %d" % k, err)
        if all(r.eof for r in readers.values()) and all(shut.values()):
            break
        select.select(list(conns.values()), [], [], 0.05)
    # Per connection, what arrived exactly up to the FIN, or how it failed.
    exact = " ".join(str(r.pos) if r.bad < 0 and r.eof else "bad %d" % r.bad
                     for _, r in sorted(readers.items()))
    dump(d + "/" + name + ".json", {"exact": exact, "errors": len(err),
                                    "conns": {
        k: {"received": readers[k].pos, "bad": readers[k].bad,
            "eof": readers[k].eof, "sent": wpos[k]} for k in sorted(conns)},
        "error_list": "; ".join(err)})


def peer(d):
    conns = {}
    for k, a in enumerate(ADDRS):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.connect((a, PORT))
        conns[k] = s
    for k, s in conns.items():
        s.sendall(stream(k, "peer")[:PEER_FIRST])
    wait_file(d + "/go", 300)
    readers = {k: Reader(stream(k, "srv"), 0) for k in conns}
    outs = {k: stream(k, "peer") for k in conns}
    run(d, conns, readers, outs, {k: PEER_FIRST for k in conns}, "peer")


def server(d):
    info = json.load(open(d + "/target.json"))["fds"]
    conns, readers, wpos = {}, {}, {}
    for fd in os.environ["CRAK_FDS"].split(","):
        t = info[fd]
        s = socket.socket(fileno=int(fd))
        k = t["k"]
        conns[k] = s
        readers[k] = Reader(stream(k, "peer"), t["read"])
        wpos[k] = t["written"]
    dump(d + "/restored.json", {"fds": os.environ["CRAK_FDS"],
                                "conns": len(conns)})
    wait_file(d + "/go", 120)
    outs = {k: stream(k, "srv") for k in conns}
    run(d, conns, readers, outs, wpos, "server")


if __name__ == "__main__":
    {"target": target, "peer": peer, "server": server}[sys.argv[1]](
        sys.argv[2])

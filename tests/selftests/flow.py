#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Byte-exact test streams over TCP or UDP.

The sender writes a deterministic pseudo-random stream (seeded) in chunks
at a steady pace, so that it keeps sending while the path is frozen, and
says "started" on stderr once the first chunk is out; the
receiver reads it to the end and prints one JSON line: bytes received,
SHA-256 of the stream, and the longest gap between two arrivals (the stall
the receiver saw). The sender prints the same digest of what it sent.

  flow.py recv tcp|udp ADDR PORT [--datagrams N] [--timeout S]
  flow.py send tcp|udp ADDR PORT --bytes N [--chunk B] [--interval S] [--seed K]

UDP: each datagram carries its sequence number and a slice of the stream;
the receiver checks the order and that none is missing or duplicated.
"""

import argparse
import hashlib
import json
import random
import socket
import struct
import sys
import time


def stream(nbytes, seed, chunk):
    rng = random.Random(seed)
    sent = 0
    while sent < nbytes:
        n = min(chunk, nbytes - sent)
        yield rng.randbytes(n)
        sent += n


def family(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET


def send(args):
    h = hashlib.sha256()
    total = 0
    if args.proto == 'tcp':
        s = socket.create_connection((args.addr, args.port), timeout=30)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in stream(args.bytes, args.seed, args.chunk):
            s.sendall(piece)
            h.update(piece)
            if not total:
                print('started', file=sys.stderr, flush=True)
            total += len(piece)
            time.sleep(args.interval)
        s.shutdown(socket.SHUT_WR)
        # The receiver closes once it has everything.
        s.settimeout(60)
        s.recv(1)
        s.close()
    else:
        s = socket.socket(family(args.addr), socket.SOCK_DGRAM)
        seq = 0
        for piece in stream(args.bytes, args.seed, args.chunk):
            s.sendto(struct.pack('!I', seq) + piece, (args.addr, args.port))
            h.update(piece)
            if not total:
                print('started', file=sys.stderr, flush=True)
            total += len(piece)
            seq += 1
            time.sleep(args.interval)
        # An empty datagram with the count ends the stream.
        s.sendto(struct.pack('!I', 0xffffffff) + struct.pack('!I', seq),
                 (args.addr, args.port))
    print(json.dumps({'sent': total, 'sha256': h.hexdigest()}))


def recv(args):
    h = hashlib.sha256()
    total = 0
    gap = 0.0
    last = None
    result = {}
    if args.proto == 'tcp':
        ls = socket.socket(family(args.addr), socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((args.addr, args.port))
        ls.listen(1)
        ls.settimeout(args.timeout)
        print('ready', file=sys.stderr, flush=True)
        c, _ = ls.accept()
        c.settimeout(args.timeout)
        while True:
            data = c.recv(65536)
            now = time.monotonic()
            if last is not None:
                gap = max(gap, now - last)
            last = now
            if not data:
                break
            h.update(data)
            total += len(data)
        c.close()
    else:
        s = socket.socket(family(args.addr), socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind((args.addr, args.port))
        s.settimeout(args.timeout)
        print('ready', file=sys.stderr, flush=True)
        expect = 0
        errors = []
        while True:
            data = s.recv(65536)
            now = time.monotonic()
            if last is not None:
                gap = max(gap, now - last)
            last = now
            seq, = struct.unpack('!I', data[:4])
            if seq == 0xffffffff:
                count, = struct.unpack('!I', data[4:8])
                if count != expect:
                    errors.append('sender sent %d, received %d' % (count, expect))
                break
            if seq != expect:
                errors.append('datagram %d where %d was due' % (seq, expect))
                expect = seq
            expect += 1
            h.update(data[4:])
            total += len(data) - 4
        result['datagrams'] = expect
        result['errors'] = errors[:5]
    result.update({'received': total, 'sha256': h.hexdigest(),
                   'max_gap_ms': round(gap * 1000, 1)})
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('recv')
    r.add_argument('proto', choices=['tcp', 'udp'])
    r.add_argument('addr')
    r.add_argument('port', type=int)
    r.add_argument('--timeout', type=float, default=60)
    s = sub.add_parser('send')
    s.add_argument('proto', choices=['tcp', 'udp'])
    s.add_argument('addr')
    s.add_argument('port', type=int)
    s.add_argument('--bytes', type=int, required=True)
    s.add_argument('--chunk', type=int, default=1000)
    s.add_argument('--interval', type=float, default=0.002)
    s.add_argument('--seed', type=int, default=1)
    args = p.parse_args()
    try:
        (send if args.cmd == 'send' else recv)(args)
    except (OSError, socket.timeout) as e:
        print(json.dumps({'error': str(e)}))
        sys.exit(1)


if __name__ == '__main__':
    main()

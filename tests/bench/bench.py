#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vnif benchmarks, run inside the stock-kernel guest by tests/bench/run.sh.

hold-vs-drop  A sender streams 1000 bytes every 2 ms over TCP to a receiver
              across a vnif pair. After 0.5 s the path is locked for 0.5, 1
              or 2 s, either by freezing the pair (hold) or by an nftables
              DROP of everything on the receiver's interface (the drop lock
              CRIU uses), then unlocked. Measured: the longest gap the
              receiver saw minus the lock time (the extra stall), the TCP
              retransmissions on both sides (nstat), and the segments the
              lock dropped.
veth          Unfrozen vnif against veth on the same topology: single-flow
              TCP throughput (iperf3) and request/response round trips.
"""

import argparse
import contextlib
import ctypes
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import time

import nftables

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VNIF = os.path.join(REPO, 'userspace', 'vnif')
FLOW = os.path.join(REPO, 'tests', 'selftests', 'flow')
PY = '/usr/bin/python3'
H, C = 'benchh', 'benchc'
ADDR = '10.80.0.2'


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout


def topology(kind):
    teardown()
    sh(f'ip netns add {H}; ip netns add {C}')
    if kind == 'vnif':
        sh(f'ip -n {H} link add o0 type vnif')
        sh(f'ip -n {H} link set vnif0 netns {C} name eth0')
    else:
        sh(f'ip -n {H} link add o0 type veth peer name eth0 netns {C}')
    sh(f'ip -n {H} addr add 10.80.0.1/24 dev o0; ip -n {H} link set o0 up;'
       f'ip -n {H} link set lo up')
    sh(f'ip -n {C} addr add {ADDR}/24 dev eth0; ip -n {C} link set eth0 up;'
       f'ip -n {C} link set lo up')


def teardown():
    sh(f'ip netns del {H}; ip netns del {C}', check=False)


def nstat(ns):
    out = sh(f'ip netns exec {ns} nstat -asz TcpRetransSegs')
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == 'TcpRetransSegs':
            return int(f[1])
    return 0


# Both locks are taken and released from this process, without starting a
# command (which costs a quarter of a second in an emulated guest), so
# that the locked time is measured, not guessed, and alike for both.

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


@contextlib.contextmanager
def netns(name):
    """Runs the block in network namespace NAME (sockets stay there)."""
    home = os.open('/proc/self/ns/net', os.O_RDONLY)
    target = os.open(f'/run/netns/{name}', os.O_RDONLY)
    try:
        if LIBC.setns(target, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), 'setns')
        yield
    finally:
        LIBC.setns(home, CLONE_NEWNET)
        os.close(target)
        os.close(home)


def nla(atype, payload):
    n = 4 + len(payload)
    return struct.pack('HH', n, atype) + payload + bytes((4 - n % 4) % 4)


class Genl:
    """Just enough generic netlink to freeze and thaw a pair."""

    def __init__(self, family):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.s.bind((0, 0))
        self.seq = 0
        reply = self.call(0x10, 3, nla(2, family.encode() + b'\0'))  # CTRL_CMD_GETFAMILY
        off = 20
        while off < len(reply):
            n, t = struct.unpack_from('HH', reply, off)
            if t == 1:  # CTRL_ATTR_FAMILY_ID
                self.family = struct.unpack_from('H', reply, off + 4)[0]
            off += (n + 3) & ~3

    def call(self, family, cmd, attrs):
        self.seq += 1
        body = struct.pack('BBH', cmd, 1, 0) + attrs
        self.s.send(struct.pack('IHHII', 16 + len(body), family, 1 | 4, self.seq, 0) + body)
        while True:
            reply = self.s.recv(65536)
            ntype = struct.unpack_from('H', reply, 4)[0]
            if ntype == 2:  # NLMSG_ERROR: an ack, or an error
                err = struct.unpack_from('i', reply, 16)[0]
                if err:
                    raise OSError(-err, os.strerror(-err))
                return self.last
            self.last = reply

    def vnif(self, cmd, ifname):
        self.last = b''
        self.call(self.family, cmd, nla(2, ifname.encode() + b'\0'))  # VNIF_A_IFNAME


VNIF_CMD_FREEZE, VNIF_CMD_THAW = 2, 3

# Made before the clock starts: the lock itself is only its two rules.
DROP_SETUP = {'nftables': [
    {'add': {'table': {'family': 'inet', 'name': 'benchlock'}}},
    # A named counter outlives the flush that unlocks: read after it.
    {'add': {'counter': {'family': 'inet', 'table': 'benchlock', 'name': 'drops'}}},
    {'add': {'chain': {'family': 'inet', 'table': 'benchlock', 'name': 'in',
                       'type': 'filter', 'hook': 'input', 'prio': -200}}},
    {'add': {'chain': {'family': 'inet', 'table': 'benchlock', 'name': 'out',
                       'type': 'filter', 'hook': 'output', 'prio': -200}}},
]}

DROP_LOCK = {'nftables': [
    {'add': {'rule': {'family': 'inet', 'table': 'benchlock', 'chain': 'in', 'expr': [
        {'match': {'op': '==', 'left': {'meta': {'key': 'iifname'}}, 'right': 'eth0'}},
        {'counter': 'drops'}, {'drop': None}]}}},
    {'add': {'rule': {'family': 'inet', 'table': 'benchlock', 'chain': 'out', 'expr': [
        {'match': {'op': '==', 'left': {'meta': {'key': 'oifname'}}, 'right': 'eth0'}},
        {'counter': 'drops'}, {'drop': None}]}}},
]}


def nft(cmd):
    """One libnftables command in the receiver's namespace."""
    with netns(C):
        n = nftables.Nftables()
        n.set_json_output(True)
        rc, out, err = n.json_cmd(cmd) if isinstance(cmd, dict) else n.cmd(cmd)
    if rc:
        raise RuntimeError(f'nft: {err}')
    return out


def drop_count():
    """Packets the (already flushed) drop lock dropped; removes its table."""
    out = nft('list counter inet benchlock drops')
    nft('delete table inet benchlock')
    objs = out['nftables'] if isinstance(out, dict) else json.loads(out)['nftables']
    return sum(o['counter']['packets'] for o in objs if 'counter' in o)


def vnif_counters():
    out = sh(f'ip netns exec {H} {VNIF} show o0 --json')
    return json.loads(out)[0]


def stall(method, hold):
    topology('vnif')
    port = 7000
    nbytes = int((0.5 + hold + 2.0) * 500) * 1000
    recv = subprocess.Popen(['ip', 'netns', 'exec', C, FLOW, 'recv', 'tcp',
                             ADDR, str(port), '--bytes', str(nbytes), '--timeout', '60'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    recv.stderr.readline()
    r0 = nstat(H) + nstat(C)
    send = subprocess.Popen(['ip', 'netns', 'exec', H, FLOW, 'send', 'tcp',
                             ADDR, str(port), '--bytes', str(nbytes),
                             '--chunk', '1000', '--interval-us', '2000'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    send.stderr.readline()  # 'started': the stream is flowing
    time.sleep(0.5)
    dropped = 0
    # The lock lasts from the start of the command that locks to the end of
    # the one that unlocks: measured, the same way for both methods.
    if method == 'hold':
        with netns(H):
            g = Genl('vnif')
        t0 = time.monotonic()
        g.vnif(VNIF_CMD_FREEZE, 'o0')
        time.sleep(hold)
        g.vnif(VNIF_CMD_THAW, 'o0')
        locked = time.monotonic() - t0
    else:
        with netns(C):
            n = nftables.Nftables()
            rc, _, err = n.json_cmd(DROP_SETUP)
            if rc:
                raise RuntimeError(f'nft: {err}')
            t0 = time.monotonic()
            rc, _, err = n.json_cmd(DROP_LOCK)
            if rc:
                raise RuntimeError(f'nft: {err}')
            time.sleep(hold)
            rc, _, err = n.cmd('flush table inet benchlock')
            locked = time.monotonic() - t0
        dropped = drop_count()
    s = json.loads(send.communicate()[0])
    r = json.loads(recv.communicate()[0])
    retrans = nstat(H) + nstat(C) - r0
    if method == 'hold':
        c = vnif_counters()
        dropped = sum(sum(c[d]['dropped'].values()) for d in ('ingress', 'egress'))
    teardown()
    intact = s['digest'] == r['digest'] and s['sent'] == r['received'] and \
        r['mismatch_at'] == -1
    gap = r['max_gap_ms'] / 1000.0
    return {'method': method, 'hold_s': hold, 'locked_s': round(locked, 4),
            'max_gap_s': round(gap, 4),
            'extra_stall_s': round(gap - locked, 4), 'retransmissions': retrans,
            'dropped_segments': dropped, 'stream_intact': intact}


def iperf(kind, seconds):
    topology(kind)
    srv = subprocess.Popen(['ip', 'netns', 'exec', C, 'iperf3', '-s', '-1', '-B', ADDR],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    out = sh(f'ip netns exec {H} iperf3 -c {ADDR} -t {seconds} -J')
    srv.wait(timeout=30)
    teardown()
    return json.loads(out)['end']['sum_received']['bits_per_second']


RR = r'''
import socket, sys, time
mode, addr, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == 'server':
    ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, 7100)); ls.listen(1); print('ready', flush=True)
    c, _ = ls.accept(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        b = c.recv(1)
        if not b:
            break
        c.sendall(b)
else:
    s = socket.create_connection((addr, 7100))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = time.monotonic()
    for _ in range(n):
        s.sendall(b'x'); s.recv(1)
    print((time.monotonic() - t) / n * 1e6)
'''


def rr(kind, n):
    topology(kind)
    srv = subprocess.Popen(['ip', 'netns', 'exec', C, PY, '-c', RR, 'server', ADDR, '0'],
                           stdout=subprocess.PIPE, text=True)
    srv.stdout.readline()
    out = subprocess.run(['ip', 'netns', 'exec', H, PY, '-c', RR, 'client', ADDR, str(n)],
                         check=True, text=True, stdout=subprocess.PIPE).stdout
    srv.wait(timeout=30)
    teardown()
    return float(out.strip())


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--json', help='also write the results here')
    p.add_argument('--holds', default='0.5,1,2')
    p.add_argument('--iperf-seconds', type=int, default=5)
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--rr', type=int, default=2000)
    args = p.parse_args()

    res = {'kernel': os.uname().release, 'stall': [], 'throughput': {}, 'rr_us': {}}
    print('hold against drop: the sender streams 1000 B every 2 ms over TCP\n')
    print('(locked: from the start of the locking command to the end of the one')
    print(' that unlocks; extra stall: the longest gap the receiver saw, minus that)\n')
    print(f'{"lock":>6} {"method":>6} {"locked":>8} {"longest gap":>12} {"extra stall":>12} '
          f'{"retransmits":>12} {"dropped":>8} {"stream":>7}')
    for hold in [float(h) for h in args.holds.split(',')]:
        for method in ('hold', 'drop'):
            r = stall(method, hold)
            res['stall'].append(r)
            print(f'{hold:>5}s {method:>6} {r["locked_s"]:>7.3f}s {r["max_gap_s"]:>11.3f}s '
                  f'{r["extra_stall_s"]:>+11.3f}s {r["retransmissions"]:>12} '
                  f'{r["dropped_segments"]:>8} {"intact" if r["stream_intact"] else "BROKEN":>7}',
                  flush=True)

    print('\nvnif against veth, gate open, same guest, rounds alternating')
    for kind in ('veth', 'vnif'):
        res['throughput'][kind] = []
        res['rr_us'][kind] = []
    for _ in range(args.rounds):
        for kind in ('veth', 'vnif'):
            res['throughput'][kind].append(iperf(kind, args.iperf_seconds))
            res['rr_us'][kind].append(rr(kind, args.rr))
    tv = statistics.median(res['throughput']['vnif'])
    te = statistics.median(res['throughput']['veth'])
    lv = statistics.median(res['rr_us']['vnif'])
    le = statistics.median(res['rr_us']['veth'])
    res['throughput_ratio'] = tv / te
    res['rr_ratio'] = lv / le
    print(f'  TCP throughput (iperf3, median of {args.rounds}): '
          f'vnif {tv / 1e6:.0f} Mbit/s, veth {te / 1e6:.0f} Mbit/s: '
          f'{100 * tv / te:.1f}% of veth')
    print(f'  TCP request/response (median of {args.rounds}): '
          f'vnif {lv:.0f} us, veth {le:.0f} us: {100 * lv / le:.1f}% of veth\'s time')
    print('RESULT-JSON ' + json.dumps(res))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(res, f, indent=1)


if __name__ == '__main__':
    sys.exit(main())

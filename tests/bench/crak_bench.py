#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""crak migration benchmarks, run inside the stock-kernel guest by
tests/bench/run.sh (after bench.py; crak.ko and vnif.ko loaded).

The topology of tests/selftests/crak-migrate-tcp.sh: netns LAN with bridge
br0; the peer (netns P) on a veth; host A: container CA, vnif pair va on
br0, running `migsrv serve`; host B: container CB, empty: crak restart
makes its vnif pair vb from the image, with the same address and MAC,
frozen, off the LAN. The peer (`migsrv peer`) streams both ways on N
connections. Per case:

  1. quiesce the server (SIGUSR1), wait HOLD s (the peer writes on: the
     server's receive queues fill, which is how the queued bytes are set),
  2. crak checkpoint --kill,
  3. crak restart --verbose --netns CB --host-ifname vb --hold IMAGE --
     migsrv resume (in LAN),
  4. the tail: va off br0, vb on it; vnif dump va, load vb; detach va;
     thaw vb.

Measured: T_ckpt (the tool's figure: stopping the process, freezing the
pairs, CRAK_IOC_CHECKPOINT), T_rst (CRAK_IOC_RESTORE plus the announce),
the image size, the queued bytes restored, per connection; the wall time of
the orchestration (the quiesce signal to the end of the thaw, and the
checkpoint command's start to it); the longest gap in the peer's stream
(migsrv peer's max_gap_ms) and the peer's TCP retransmissions.

The peer of the comparison: the same migration over veth pairs with a
drop lock instead of the hold (an nftables bridge rule dropping every frame
from or to the server's MAC from before the quiesce to after the move, as
CRIU's network lock drops): its longest gap and retransmissions next to
ours. Nothing here passes or fails on a number.
"""

import argparse
import contextlib
import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VNIF = os.path.join(REPO, 'userspace', 'vnif')
CRAK = os.path.join(REPO, 'userspace', 'crak')
MIGSRV = os.path.join(REPO, 'tests', 'selftests', 'migsrv')
LAN, P, CA, CB = 'cbl', 'cbp', 'cba', 'cbb'
MAC, PMAC = '02:00:0a:3e:00:02', '02:00:0a:3e:00:01'
ADDR, PADDR = '10.62.0.2', '10.62.0.1'
PORT = 9000

# name, connections, chunk, interval (us), bytes per connection each way,
# hold (s, the server quiesced before the checkpoint), tcp_rmem default of
# the containers (0: the kernel's), lock (hold: vnif; drop: nftables).
# The streams outlast the migration under TCG (about 15 s).
CASES = [
    ('n1', 1, 1000, 10000, 1500000, 0, 0, 'hold'),
    ('n10', 10, 1000, 10000, 1500000, 0, 0, 'hold'),
    ('n100', 100, 1000, 50000, 300000, 0, 0, 'hold'),
    ('n1000', 1000, 1000, 400000, 50000, 0, 0, 'hold'),
    ('n10-q64k', 10, 1000, 10000, 1500000, 1.0, 0, 'hold'),
    ('n10-q1m', 10, 4000, 4000, 15000000, 1.0, 4 << 20, 'hold'),
    ('n1-drop', 1, 1000, 10000, 1500000, 0, 0, 'drop'),
    ('n10-drop', 10, 1000, 10000, 1500000, 0, 0, 'drop'),
]


def sh(cmd, check=True):
    r = subprocess.run(cmd, shell=True, text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if check and r.returncode:
        raise RuntimeError(f'{cmd}: exit {r.returncode}: {r.stdout.strip()[-400:]}')
    return r.stdout


def run(*argv):
    """A command, timed: (seconds, stdout+stderr). Fails loudly."""
    t = time.monotonic()
    r = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    dt = time.monotonic() - t
    if r.returncode:
        raise RuntimeError(f'{" ".join(argv)}: exit {r.returncode}: {r.stdout.strip()[-400:]}')
    return dt, r.stdout


def lan(*argv):
    return run('ip', 'netns', 'exec', LAN, *argv)


LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


@contextlib.contextmanager
def netns(name):
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


def snmp(ns):
    """Tcp and TcpExt counters of NS, read from this process (no command
    started)."""
    res = {}
    with netns(ns):
        for name, pfx in (('snmp', 'Tcp:'), ('netstat', 'TcpExt:')):
            with open('/proc/thread-self/net/' + name) as f:
                lines = [l.split() for l in f if l.startswith(pfx)]
            res.update(zip(lines[0][1:], map(int, lines[1][1:])))
    return res


def teardown():
    for ns in (CA, CB, P, LAN):
        sh(f'ip netns del {ns}', check=False)


def topology(case):
    global NFT
    _, _, _, _, _, _, rmem, lock = case
    teardown()
    NFT = None  # its netlink socket stays in the namespace it was made in
    for ns in (LAN, P, CA, CB):
        sh(f'ip netns add {ns}; ip -n {ns} link set lo up;'
           f'ip netns exec {ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 '
           'net.ipv6.conf.default.disable_ipv6=1')
    sh(f'ip -n {LAN} link add br0 type bridge; ip -n {LAN} link set br0 up;'
       f'ip -n {LAN} link add pl type veth peer name pp netns {P};'
       f'ip -n {LAN} link set pl master br0; ip -n {LAN} link set pl up;'
       f'ip -n {P} link set pp address {PMAC}; ip -n {P} addr add {PADDR}/24 dev pp;'
       f'ip -n {P} link set pp up;'
       f'ip -n {P} neigh replace {ADDR} lladdr {MAC} dev pp nud permanent')
    for ns, ifc in ((CA, 'va'), (CB, 'vb')):
        if rmem:
            sh(f'ip netns exec {ns} sysctl -qw net.ipv4.tcp_rmem="4096 {rmem} {rmem}"')
        if lock == 'hold' and ns == CB:
            continue    # crak restart makes vb from the image
        if lock == 'hold':
            lan(VNIF, 'attach', '--netns', ns, '--address', f'{ADDR}/24', '--mac', MAC,
                '--host-ifname', ifc, '--bridge', 'br0')
        else:
            sh(f'ip -n {LAN} link add {ifc} type veth peer name eth0 netns {ns};'
               f'ip -n {ns} link set eth0 address {MAC}; ip -n {ns} addr add {ADDR}/24 dev eth0;'
               f'ip -n {ns} link set eth0 up; ip -n {LAN} link set {ifc} up')
            if ns == CA:
                sh(f'ip -n {LAN} link set {ifc} master br0')
        sh(f'ip -n {ns} neigh replace {PADDR} lladdr {PMAC} dev eth0 nud permanent')


NFT = None
LOCK = (f'add rule bridge crakbench lockchain ether saddr {MAC} counter name drops drop;'
        f'add rule bridge crakbench lockchain ether daddr {MAC} counter name drops drop')


def nft_lan(cmd):
    """One nft command in LAN, from this process: no command started, the
    context made once (it costs tens of ms under TCG)."""
    global NFT
    with netns(LAN):
        if NFT is None:
            import nftables
            NFT = nftables.Nftables()
        rc, out, err = NFT.cmd(cmd)
    if rc:
        raise RuntimeError(f'nft {cmd}: {err}')
    return out


def wait_file(path, word, timeout, step=0.005):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path) as f:
                if word in f.read():
                    return True
        except OSError:
            pass
        time.sleep(step)
    return False


def established(ns):
    with netns(ns):
        with open('/proc/thread-self/net/tcp') as f:
            return sum(1 for l in f if l.split()[3] == '01')


def queued(img):
    """Receive and send queue bytes over the image's TCP sockets."""
    out = run(CRAK, 'show', '--json', img)[1]
    rq = sq = 0

    def walk(o):
        nonlocal rq, sq
        if isinstance(o, dict):
            rq += o.get('recv_bytes', 0) if isinstance(o.get('recv_bytes'), int) else 0
            sq += o.get('send_bytes', 0) if isinstance(o.get('send_bytes'), int) else 0
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(json.loads(out))
    return rq, sq


CKPT_RE = r'pid \d+, (\d+) sockets?, \d+ datagrams?, (\d+) bytes, (\d+) ms'
RST_RE = r'(\d+) sockets?, \d+ datagrams?, (\d+) bytes, (\d+) ms'


def restore_sample(img, i):
    """T of one more restart of a hold case's IMAGE into a scratch
    namespace, where what the sockets send goes nowhere: crak restart makes
    the image's pair there, its outer end alone, off any bridge."""
    ns = f'cbx{i}'
    sh(f'ip netns del {ns}', check=False)
    sh(f'ip netns add {ns} && ip -n {ns} link set lo up')
    try:
        _, out = run(CRAK, 'restart', '--verbose', '--netns', ns, '--host-ifname', ns, img,
                     '--', 'true')
        return int(re.search(RST_RE, out).group(3))
    finally:
        sh(f'ip netns del {ns}', check=False)
        sh(f'ip link del {ns}', check=False)


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def migrate(case, tmp, repeat):
    name, conns, chunk, interval, nbytes, hold, rmem, lock = case
    d = os.path.join(tmp, name)
    os.makedirs(d)
    topology(case)
    opts = ['--conns', str(conns), '--bytes', str(nbytes), '--seed', '7',
            '--chunk', str(chunk), '--interval-us', str(interval)]
    state, img = os.path.join(d, 'state.json'), os.path.join(d, 'img')
    serve = subprocess.Popen(['ip', 'netns', 'exec', CA, MIGSRV, 'serve', ADDR, str(PORT),
                              '--state', state, '--ready-file', os.path.join(d, 'ready'),
                              '--close-listen', *opts],
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, 'serve.err'), 'w'))
    procs = [serve]
    try:
        if not wait_file(os.path.join(d, 'ready'), 'ready', 30, 0.05):
            raise RuntimeError('the server is not ready')
        before = snmp(P)
        peer = subprocess.Popen(['ip', 'netns', 'exec', P, MIGSRV, 'peer', ADDR, str(PORT),
                                 *opts, '--timeout', '300'],
                                stdout=subprocess.PIPE, stderr=open(os.path.join(d, 'peer.err'), 'w'),
                                text=True)
        procs.append(peer)
        end = time.monotonic() + 120
        while established(CA) < conns and time.monotonic() < end:
            time.sleep(0.1)
        if established(CA) < conns:
            raise RuntimeError(f'{established(CA)} of {conns} connections in')
        time.sleep(2)   # streams under way
        # More checkpoint samples, of the live server (left running, its
        # pair thawed again): only where the queues are alike (no hold).
        ck_samples = []
        if lock == 'hold' and not hold:
            for _ in range(repeat - 1):
                _, out = run(CRAK, 'checkpoint', '--leave-running', '-o', img + '.pre',
                             str(serve.pid))
                ck_samples.append(int(re.search(CKPT_RE, out).group(3)))
                time.sleep(0.5)
        if lock != 'hold':
            nft_lan('add table bridge crakbench')
            nft_lan('add chain bridge crakbench lockchain { type filter hook forward priority -200; }')
            nft_lan('add counter bridge crakbench drops')
            # Once beforehand: the first rule loads modules (a command).
            nft_lan(LOCK)
            nft_lan('flush chain bridge crakbench lockchain')
            nft_lan('reset counter bridge crakbench drops')

        # The outage: from here to the release.
        t_q = time.monotonic()
        if lock == 'drop':
            nft_lan(LOCK)
        serve.send_signal(signal.SIGUSR1)
        if not wait_file(state, 'conns', 30):
            raise RuntimeError('the server did not quiesce')
        t_quiesced = time.monotonic()
        if hold:
            time.sleep(hold)
        t_c0 = time.monotonic()
        _, out = run(CRAK, 'checkpoint', '--kill', '-o', img, str(serve.pid))
        t_c1 = time.monotonic()
        serve.wait()
        m = re.search(CKPT_RE, out)
        if not m:
            raise RuntimeError(f'checkpoint said: {out}')
        ck_socks, ck_len, ck_ms = map(int, m.groups())
        errf = os.path.join(d, 'resume.err')
        pair = ['--host-ifname', 'vb', '--hold'] if lock == 'hold' else ['--no-vnif']
        resume = subprocess.Popen(['ip', 'netns', 'exec', LAN, CRAK, 'restart', '--verbose',
                                   '--netns', CB, *pair, img, '--',
                                   MIGSRV, 'resume', '--state', state, '--timeout', '300'],
                                  stdout=subprocess.PIPE, stderr=open(errf, 'w'), text=True)
        procs.append(resume)
        if not wait_file(errf, 'announced', 60):
            raise RuntimeError(f'restart: {open(errf).read()[-400:]}')
        if lock == 'hold':
            sh(f'ip -n {CB} neigh replace {PADDR} lladdr {PMAC} dev eth0 nud permanent')
        t_r1 = time.monotonic()
        m = re.search(RST_RE, open(errf).read())
        rs_socks, rs_bytes, rs_ms = map(int, m.groups())
        with tempfile.NamedTemporaryFile('w', suffix='.batch', delete=False) as b:
            b.write('link set va nomaster\nlink set vb master br0\n')
        run('ip', '-n', LAN, '-batch', b.name)
        if lock == 'hold':
            held = os.path.join(d, 'held.pcapng')
            lan(VNIF, 'dump', 'va', '-w', held)
            lan(VNIF, 'load', 'vb', '-r', held)
            lan(VNIF, 'detach', 'va')
            lan(VNIF, 'thaw', 'vb')
        else:
            nft_lan('flush chain bridge crakbench lockchain')
        t_thaw = time.monotonic()
        dropped = 0
        if lock == 'drop':
            out = nft_lan('list counter bridge crakbench drops')
            m = re.search(r'packets (\d+)', out)
            dropped = int(m.group(1)) if m else -1
            nft_lan('delete table bridge crakbench')

        pout, _ = peer.communicate(timeout=400)
        rout, _ = resume.communicate(timeout=60)
        after = snmp(P)
        pr = json.loads(pout.strip().splitlines()[-1])
        rq, sq = queued(img)
        ck_samples.append(ck_ms)
        rs_samples = [rs_ms] + [restore_sample(img, i) for i in range(repeat - 1)
                                if lock == 'hold']
        intact = peer.returncode == 0 and resume.returncode == 0
        return {
            'case': name, 'lock': lock, 'conns': conns, 'chunk': chunk,
            'interval_us': interval, 'bytes_each_way': nbytes, 'hold_s': hold,
            'tcp_rmem_default': rmem, 'sockets': ck_socks,
            'checkpoint_ms': ck_ms, 'restore_ms': rs_ms,
            'checkpoint_ms_samples': ck_samples, 'restore_ms_samples': rs_samples,
            'checkpoint_ms_median': median(ck_samples),
            'restore_ms_median': median(rs_samples),
            'image_bytes': os.path.getsize(img), 'queued_bytes': rs_bytes,
            'recv_queue_bytes': rq, 'send_queue_bytes': sq,
            'checkpoint_us_per_conn': round(1000 * median(ck_samples) / conns, 1),
            'restore_us_per_conn': round(1000 * median(rs_samples) / conns, 1),
            'image_bytes_per_conn': round(os.path.getsize(img) / conns),
            'quiesce_wall_ms': round(1000 * (t_quiesced - t_q)),
            'checkpoint_wall_ms': round(1000 * (t_c1 - t_c0)),
            'restart_wall_ms': round(1000 * (t_r1 - t_c1)),
            'tail_wall_ms': round(1000 * (t_thaw - t_r1)),
            'freeze_to_thaw_ms': round(1000 * (t_thaw - t_c0)),
            'outage_ms': round(1000 * (t_thaw - t_q)),
            'peer_max_gap_ms': pr['max_gap_ms'],
            'gap_minus_ck_rst_ms': round(pr['max_gap_ms'] - ck_ms - rs_ms),
            'gap_minus_outage_ms': round(pr['max_gap_ms'] - 1000 * (t_thaw - t_q)),
            'peer_retransmissions': after['RetransSegs'] - before['RetransSegs'],
            # D-SACKs the peer received: retransmissions the receiver
            # reports it had already, i.e. that were not needed.
            'peer_dsacks': after['TCPDSACKRecv'] - before['TCPDSACKRecv'],
            'peer_resets': after['EstabResets'] - before['EstabResets'] +
            after['OutRsts'] - before['OutRsts'],
            'dropped_frames': dropped, 'stream_intact': intact,
            'peer_errors': pr.get('errors'),
        }
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        teardown()


def fit(xs, ys):
    """Least-squares line: (slope, intercept)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if not sxx:
        return 0.0, my
    k = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return k, my - k * mx


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--json', help='also write the results here')
    p.add_argument('--repeat', type=int, default=3,
                   help='checkpoint and restore samples per case (median)')
    p.add_argument('--cases', help='comma-separated case names (default: all): ' +
                   ' '.join(c[0] for c in CASES))
    args = p.parse_args()
    cases = CASES
    if args.cases:
        want = args.cases.split(',')
        cases = [c for c in CASES if c[0] in want]

    res = {'kernel': os.uname().release, 'cases': []}
    tmp = tempfile.mkdtemp(prefix='crak-bench.')
    print('\ncrak: live TCP migration (checkpoint --kill, restart, the tail), '
          'by connections and queued bytes')
    print(f'(ckpt, rst: the tools\' T around the ioctls, median of {args.repeat} (checkpoints: '
          'one where the server was held quiesced); us/c, B/c: per connection; queued: the '
          'payload bytes restored; ck wall, rs wall, tail: the orchestration\'s steps, wall '
          'time; outage: from the quiesce signal (drop: the lock) to the release; gap: the '
          'longest pause in the peer\'s stream; gap-ck-rst: gap minus this migration\'s two T; '
          'gap-out: gap minus the outage; retr: the peer\'s retransmissions; dsack: the D-SACKs '
          'it received, retransmissions the receiver already had)\n')
    hdr = (f'{"case":>9} {"lock":>4} {"conns":>5} {"queued":>9} {"image":>9} '
           f'{"ckpt":>6} {"us/c":>6} {"rst":>6} {"us/c":>6} {"B/c":>6} '
           f'{"ck wall":>7} {"rs wall":>7} {"tail":>6} {"outage":>7} {"gap":>7} '
           f'{"gap-ck-rst":>10} {"gap-out":>8} {"retr":>4} {"dsack":>5} {"stream":>6}')
    print(hdr, flush=True)
    for case in cases:
        try:
            r = migrate(case, tmp, args.repeat)
        except Exception as e:  # one case failing keeps the others
            print(f'{case[0]:>9}: failed: {e}', flush=True)
            res['cases'].append({'case': case[0], 'error': str(e)})
            continue
        res['cases'].append(r)
        print(f'{r["case"]:>9} {r["lock"]:>4} {r["conns"]:>5} {r["queued_bytes"]:>9} '
              f'{r["image_bytes"]:>9} {r["checkpoint_ms_median"]:>4}ms {r["checkpoint_us_per_conn"]:>6.0f} '
              f'{r["restore_ms_median"]:>4}ms {r["restore_us_per_conn"]:>6.0f} {r["image_bytes_per_conn"]:>6} '
              f'{r["checkpoint_wall_ms"]:>5}ms {r["restart_wall_ms"]:>5}ms {r["tail_wall_ms"]:>4}ms '
              f'{r["outage_ms"]:>5}ms {r["peer_max_gap_ms"]:>5.0f}ms {r["gap_minus_ck_rst_ms"]:>+8}ms '
              f'{r["gap_minus_outage_ms"]:>+6}ms {r["peer_retransmissions"]:>4} '
              f'{r["peer_dsacks"]:>5} '
              f'{"intact" if r["stream_intact"] else "BROKEN":>6}', flush=True)

    ok = [r for r in res['cases'] if 'error' not in r and r['lock'] == 'hold'
          and not r['hold_s']]
    if len(ok) >= 2:
        xs = [r['conns'] for r in ok]
        for key in ('checkpoint_ms_median', 'restore_ms_median', 'image_bytes'):
            k, c = fit(xs, [r[key] for r in ok])
            res[f'{key}_fit'] = {'per_conn': k, 'fixed': c}
        print(f'\nlinear fits over {xs} connections (queues ~empty): '
              f'checkpoint {1000 * res["checkpoint_ms_median_fit"]["per_conn"]:.0f} us/conn + '
              f'{res["checkpoint_ms_median_fit"]["fixed"]:.1f} ms, '
              f'restore {1000 * res["restore_ms_median_fit"]["per_conn"]:.0f} us/conn + '
              f'{res["restore_ms_median_fit"]["fixed"]:.1f} ms, '
              f'image {res["image_bytes_fit"]["per_conn"]:.0f} B/conn + '
              f'{res["image_bytes_fit"]["fixed"]:.0f} B')
    hold = {r['case']: r for r in res['cases'] if 'error' not in r}
    for n in ('n1', 'n10'):
        a, b = hold.get(n), hold.get(n + '-drop')
        if a and b:
            res[f'{n}_drop_vs_hold'] = {
                'gap_ratio': b['peer_max_gap_ms'] / max(a['peer_max_gap_ms'], 1),
                'gap_beyond_outage_ms': {'hold': a['gap_minus_outage_ms'],
                                         'drop': b['gap_minus_outage_ms']},
                'retransmissions': {'hold': a['peer_retransmissions'],
                                    'drop': b['peer_retransmissions']},
                'dsacks': {'hold': a['peer_dsacks'], 'drop': b['peer_dsacks']}}
            print(f'{n}: drop lock against vnif hold: peer gap {b["peer_max_gap_ms"]} ms against '
                  f'{a["peer_max_gap_ms"]} ms ({b["peer_max_gap_ms"] / max(a["peer_max_gap_ms"], 1):.2f}x), '
                  f'beyond its outage {b["gap_minus_outage_ms"]:+} ms against '
                  f'{a["gap_minus_outage_ms"]:+} ms; retransmissions {b["peer_retransmissions"]} '
                  f'against {a["peer_retransmissions"]}, of which the receiver already had '
                  f'{b["peer_dsacks"]} against {a["peer_dsacks"]}')
    print('CRAK-RESULT-JSON ' + json.dumps(res), flush=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(res, f, indent=1)


if __name__ == '__main__':
    sys.exit(main())

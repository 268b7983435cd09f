#!/usr/bin/env python3
"""What a terminal program wrote, and when (tests/bench/p3_terminal.sh).

  p3_stamp.py record OUT            stdin (tmux pipe-pane -O) to OUT.bytes and
                                    OUT.idx ("<ns since epoch> <end offset>" a read);
                                    OUT.ready once it reads
  p3_stamp.py appears OUT T0 TEXT   ms from T0 (ns) to the first chunk, after T0,
                                    that completes TEXT in the stream
  p3_stamp.py settled OUT T0 [GAP]  ms from T0 to the last chunk written after
                                    T0 before GAP ms (default 150) of silence
"""
import os
import sys
import time


def record(out):
    with open(out + '.bytes', 'wb') as b, open(out + '.idx', 'w') as idx:
        open(out + '.ready', 'w').close()
        end = 0
        while True:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            t = time.time_ns()
            b.write(chunk)
            b.flush()
            end += len(chunk)
            idx.write('%d %d\n' % (t, end))
            idx.flush()


def chunks(out):
    res = []
    for line in open(out + '.idx'):
        t, e = line.split()
        res.append((int(t), int(e)))
    return res


def appears(out, t0, text):
    data = open(out + '.bytes', 'rb').read()
    ch = chunks(out)
    start = 0
    for t, e in ch:
        if t < t0:
            start = e
    pos = data.find(text.encode('utf-8'), start)
    if pos < 0:
        print('-')
        return
    for t, e in ch:
        if e >= pos + len(text.encode('utf-8')):
            print('%.3f' % ((t - t0) / 1e6))
            return
    print('-')


def settled(out, t0, gap_ms=150.0):
    last = None
    for t, e in chunks(out):
        if t < t0:
            continue
        if last is not None and (t - last) / 1e6 > gap_ms:
            break
        last = t
    print('-' if last is None else '%.3f' % ((last - t0) / 1e6))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'record':
        record(sys.argv[2])
    elif cmd == 'appears':
        appears(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == 'settled':
        settled(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else 150.0)
    else:
        sys.exit('p3_stamp.py: unknown command ' + cmd)

#!/usr/bin/env python3
"""Helpers of tests/bench/p2_queue.sh (python3 only, no modules outside the
standard library).

  p2_capture.py capture SERVER_LOG WORK    the queue's statements from the log
  p2_capture.py params WORK PAGE_ROWS      parameter files of the samples
  p2_capture.py same WORK                  samples whose rows differ from raw
  p2_capture.py literals WORK first|keyed  the captured parameters as SQL
  p2_capture.py types WORK first|keyed     PREPARE's list of their types
  p2_capture.py literal_sql SERVER_LOG     the first page's statement, values in
  p2_capture.py statements SERVER_LOG PFX  every statement once, for qbench
"""
import collections
import json
import re
import sys


def calls_of(log):
    text = open(log, encoding='utf-8', errors='replace').read()
    # a log record starts with a time stamp; keep records whole (multi-line)
    recs = re.split(r'\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)', text)
    calls = []
    for i, r in enumerate(recs):
        m = re.search(r'LOG:\s+(?:duration: [0-9.]+ ms\s+)?execute ([^:]+): (.*)', r, re.S)
        if not m:
            continue
        name, sql = m.group(1).strip(), m.group(2).strip()
        params = []
        if i + 1 < len(recs):
            d = re.search(r'DETAIL:\s+parameters: (.*)', recs[i + 1], re.S)
            if d:
                for pm in re.finditer(r"\$(\d+) = (NULL|'((?:[^']|'')*)')", d.group(1)):
                    params.append(None if pm.group(2) == 'NULL' else pm.group(3).replace("''", "'"))
        calls.append((name, sql, params))
    return calls


def statements(log, prefix):
    """Every statement executed in the log (but LISTEN/UNLISTEN), once
    each: PREFIX.N.sql, PREFIX.N.params (a qbench line), and on stdout
    "N<TAB>name" (name empty when unnamed)."""
    seen = set()
    n = 0
    for name, sql, params in calls_of(log):
        if re.match(r'\s*(UN)?LISTEN\b', sql, re.I) or (name, sql) in seen:
            continue
        seen.add((name, sql))
        n += 1
        open('%s.%d.sql' % (prefix, n), 'w').write(sql + '\n')
        open('%s.%d.params' % (prefix, n), 'w').write(
            '\t'.join(['s%d' % n] + ['\\N' if p is None else p for p in params]) + '\n')
        print('%d\t%s' % (n, '' if name == '<unnamed>' else name))


def literal_sql(log):
    """The first page's statement with its parameters written in, as a
    client that sends plain SQL (pspg) sends it."""
    calls = [c for c in calls_of(log) if ('v_queue' in c[1] or 'queue_page' in c[1]) and 'claimed_by IS NULL' not in c[1]]
    if not calls:
        sys.exit('p2: no queue statement in the server log')
    name, sql, params = calls[0]
    lit = lambda p: 'NULL' if p is None else "'" + p.replace("'", "''") + "'"
    print(re.sub(r'\$(\d+)(?![0-9])', lambda m: lit(params[int(m.group(1)) - 1]), sql))


def capture(log, out):
    """The first call over hall.v_queue is the first page; the keyset page
    is a later call that has a key where the first had NULLs (the same
    statement, or another one: the terminal may prepare one per kind of
    page).  Writes capture.json, first.sql, keyed.sql."""
    calls = calls_of(log)
    queue = [c for c in calls if ('v_queue' in c[1] or 'queue_page' in c[1]) and 'claimed_by IS NULL' not in c[1]]
    if not queue:
        sys.exit('p2: no queue statement in the server log')
    first = queue[0]
    keyed = [c for c in queue[1:] if len(c[2]) == len(first[2])
             and any(a is None and b is not None for a, b in zip(first[2], c[2]))]
    if not keyed:
        sys.exit('p2: no keyset page in the server log')
    keyed = keyed[0]
    win = next(j for j, p in enumerate(first[2]) if p is not None and p.startswith('{'))
    key = [j for j, (a, b) in enumerate(zip(first[2], keyed[2])) if a is None and b is not None]
    due = next(j for j in key if re.fullmatch(r'\d{4}-\d\d-\d\d', keyed[2][j]))
    kid = next(j for j in key if re.fullmatch(r'\d+', keyed[2][j]))
    # the key row's rank, when the terminal sends it (a third key parameter)
    rank = next((j for j in key if j not in (due, kid) and re.fullmatch(r'\d+', keyed[2][j])), None)
    unnamed = lambda n: None if n == '<unnamed>' else n
    limits = [int(p) for j, p in enumerate(keyed[2]) if p and p.isdigit() and j not in (kid, rank)]
    json.dump({'first_name': unnamed(first[0]), 'keyed_name': unnamed(keyed[0]),
               'first': first[2], 'keyed': keyed[2], 'win': win, 'due': due, 'id': kid, 'rank': rank,
               'page_rows': max(limits) - 1 if limits else 30},
              open(out + '/capture.json', 'w'))
    open(out + '/first.sql', 'w').write(first[1] + '\n')
    open(out + '/keyed.sql', 'w').write(keyed[1] + '\n')
    show = lambda ps: ', '.join('$%d = %s' % (j + 1, 'NULL' if p is None else p) for j, p in enumerate(ps))
    kind = lambda n: 'prepared as %s' % n if n != '<unnamed>' else 'unnamed'
    print('  captured from the server log: first page %s (%s); keyset page %s (%s)' % (
        kind(first[0]), show(first[2]), kind(keyed[0]), show(keyed[2])))


def params(work, page_rows):
    """From samples.tsv (g, window, login, key rank, key due, key id): per
    login and page a file of the terminal's parameters (the window list and
    the key replaced, the rest as captured), and the raw statements'."""
    c = json.load(open(work + '/capture.json'))
    per = collections.defaultdict(list)
    raw = {'1': [], '100': []}
    nul = lambda p: '\\N' if p is None else p
    for line in open(work + '/samples.tsv', encoding='utf-8'):
        g, win, login, rank, due, kid = line.rstrip('\n').split('\t')
        for page, base in (('1', c['first']), ('100', c['keyed'])):
            p = list(base)
            p[c['win']] = '{%s}' % win
            if page == '1':
                p[c['due']] = None
                p[c['id']] = None
            else:
                p[c['due']] = due
                p[c['id']] = kid
            if c.get('rank') is not None:
                p[c['rank']] = None if page == '1' else rank
            tag = '%s:%s:%s' % (page, g, win)
            per[(login, page)].append('\t'.join([tag] + [nul(x) for x in p]))
            lim = str(page_rows + 1)
            if page == '1':
                raw[page].append('\t'.join([tag, win, lim]))
            else:
                raw[page].append('\t'.join([tag, win, rank, due, kid, lim]))
    for (login, page), lines in per.items():
        open('%s/p%s.%s.tsv' % (work, page, login), 'w').write('\n'.join(lines) + '\n')
    for page, lines in raw.items():
        open('%s/raw%s.tsv' % (work, page), 'w').write('\n'.join(lines) + '\n')


def same(work):
    """Samples of round 1 whose row count or sum of ids differ between the
    terminal's statement and the raw one."""
    def read(path):
        out = {}
        for line in open(path):
            tag, us, n, first, last, s = line.rstrip('\n').split('\t')
            out[tag] = (int(n), first, int(s))
        return out
    t, r = read(work + '/t.1'), read(work + '/r.1')
    print(sum(1 for k in t if t[k] != r.get(k)) + sum(1 for k in r if k not in t))


def literals(work, which):
    c = json.load(open(work + '/capture.json'))
    print(', '.join('NULL' if p is None else "'" + p.replace("'", "''") + "'" for p in c[which]))


def types(work, which):
    """PREPARE's type list: unknown (the server infers it) for the
    parameters the text uses, text for those it never mentions."""
    c = json.load(open(work + '/capture.json'))
    sql = open('%s/%s.sql' % (work, which)).read()
    print(', '.join('unknown' if re.search(r'\$%d(?![0-9])' % (j + 1), sql) else 'text'
                    for j in range(len(c[which]))))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'capture':
        capture(sys.argv[2], sys.argv[3])
    elif cmd == 'params':
        params(sys.argv[2], int(sys.argv[3]))
    elif cmd == 'same':
        same(sys.argv[2])
    elif cmd == 'literals':
        literals(sys.argv[2], sys.argv[3])
    elif cmd == 'statements':
        statements(sys.argv[2], sys.argv[3])
    elif cmd == 'literal_sql':
        literal_sql(sys.argv[2])
    elif cmd == 'types':
        types(sys.argv[2], sys.argv[3])
    else:
        sys.exit('p2_capture.py: unknown command ' + cmd)

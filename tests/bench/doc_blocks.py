#!/usr/bin/env python3
"""Rewrite a generated block of doc/performance.md (tests/bench/run.sh).

  doc_blocks.py DOC NAME FILE     put FILE's text between
                                  <!-- bench:NAME begin --> and <!-- bench:NAME end -->

The prose around the blocks is hand-written and left alone.  A block that
is not there yet goes before the line <!-- bench:new blocks -->, or at the
end of the document.
"""
import sys


def main(doc, name, path):
    text = open(doc, encoding='utf-8').read()
    body = open(path, encoding='utf-8').read().rstrip('\n')
    begin, end = '<!-- bench:%s begin -->' % name, '<!-- bench:%s end -->' % name
    block = '%s\n%s\n%s' % (begin, body, end)
    if begin in text and end in text:
        a = text.index(begin)
        b = text.index(end, a) + len(end)
        text = text[:a] + block + text[b:]
    else:
        anchor = '<!-- bench:new blocks -->'
        if anchor in text:
            text = text.replace(anchor, block + '\n\n' + anchor, 1)
        else:
            text = text.rstrip('\n') + '\n\n' + block + '\n'
    open(doc, 'w', encoding='utf-8').write(text)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3])

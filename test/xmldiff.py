#!/usr/bin/env python3
# test/xmldiff.py - the XML parser against xmllint, document by document.
#
# usage: xmldiff.py BUILD   (test/xmldiff.sh calls it from the repo root)
#
# Documents: every file of test/corpus/xml/, every file of
# test/corpus/xml-diverge/ (known, listed divergences), and MUTANTS
# mutants made from the corpus by a seeded, deterministic mutator.
# Each goes through $BUILD/tool_xmlcanon (our verdict and canonical tree)
# and through xmllint (libxml2, the oracle).  They must agree on whether
# the document is well formed and, when it is, on the canonical tree.
#
# xmllint decides well-formedness by its exit status.  Its tree is its
# own serialisation (--nocdata --dropdtd: CDATA as text, no DOCTYPE)
# read back by expat here and dumped in tool_xmlcanon's format: adjacent
# text merged, whitespace-only text dropped, namespace declarations first.
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile
import xml.parsers.expat

MUTANTS = int(os.environ.get('XMLDIFF_MUTANTS', 1000))
SEED = int(os.environ.get('XMLDIFF_SEED', 20240611))
CORPUS = 'test/corpus/xml'
DIVERGE = 'test/corpus/xml-diverge'

# Documents on which the two are known to differ, by design.
KNOWN = {
    'entity-declared.xml': ('error', 'ok', 'entities declared in the '
                            'DOCTYPE are never expanded'),
    'entity-external-dtd.xml': ('error', 'ok', 'an undeclared entity is '
                                'an error even when a DTD could declare it'),
    'encoding-latin1.xml': ('error', 'ok', 'only UTF-8 is accepted'),
    'version-1dot.xml': ('error', 'ok', 'VersionNum is 1.[0-9]+ '
                         '(production [26]); libxml2 accepts "1."'),
    'doctype-bad-decl.xml': ('ok', 'error', 'declarations in the internal '
                             'subset are skipped, not checked'),
}

# Mutant verdicts that differ by design: (our message, reason).
BY_DESIGN = [
    (r'unsupported encoding', 'only UTF-8 is accepted'),
    (r"unsupported XML version '1\.'", 'libxml2 accepts VersionNum "1."'),
    (r'name longer than|more than \d+ (attributes|nodes)|nested deeper|'
     r'larger than', 'limits of xml/xml.h'),
    (r'invalid character U\+0000', 'libxml2 stops reading at a NUL byte '
     'after the root element'),
]

# Why xmllint's output of a good document may not read back in expat,
# told by a pattern on our canonical tree.
UNREADABLE = [
    (r'^[(=?][^ \n]*[^\x00-\x7f]', 'expat, reading xmllint output, knows '
     'only the older (4th edition) name characters'),
    (r'^=xmlns(:[^ ]*)? .*[<&"]', 'libxml2 writes namespace URIs unescaped'),
]

TOKENS = [b'<', b'>', b'&', b'"', b"'", b']]>', b'--', b'<!--', b'-->',
          b'<![CDATA[', b']]', b'/', b'/>', b'</', b'=', b' ', b'\n', b'\r',
          b'\t', b'&amp;', b'&lt;', b'&#0;', b'&#65;', b'&#x10FFFF;',
          b'&#xD800;', b'&#xFFFE;', b'&#x;', b'&foo;', b'&lt', b'?>', b'<?',
          b'<?pi x?>', b'<?xml ', b'<a>', b'</a>', b'<b/>', b' x="1"',
          b' x="2"', b'\x00', b'\x01', b'\x7f', b'\xff', b'\xc3', b'\xc3\xa9',
          b'\xe2\x82\xac', b'\xf0\x9f\x98\x80', b'\xef\xbf\xbe', b'\xed\xa0\x80',
          b'\xef\xbb\xbf', b':', b'-', b'.', b'1', b'\xc2\xa0', b'\xc2\xb7']


def escape(data):
    out = []
    for c in data:
        if c < 0x20 or c >= 0x7f or c == 0x5c:
            out.append('\\x%02x' % c)
        else:
            out.append(chr(c))
    return ''.join(out)


def esc_text(s):
    return ''.join('\\x%02x' % ord(c) if ord(c) < 0x20 or c in '\x7f\\'
                   else c for c in s)


class Canon:
    """expat events to tool_xmlcanon's line format."""

    def __init__(self):
        self.lines, self.text = [], []

    def chars(self, data):
        self.text.append(data)

    def flush(self):
        t = ''.join(self.text)
        self.text = []
        if t.strip(' \t\n\r'):
            self.lines.append('-' + esc_text(t))

    def start(self, name, attrs):
        self.flush()
        self.lines.append('(' + name)
        pairs = list(zip(attrs[0::2], attrs[1::2]))
        ns = [p for p in pairs if p[0] == 'xmlns' or
              p[0].startswith('xmlns:')]
        rest = [p for p in pairs if p not in ns]
        for k, v in ns + rest:
            self.lines.append('=%s %s' % (k, esc_text(v)))

    def end(self, name):
        self.flush()
        self.lines.append(')')

    def comment(self, data):
        self.flush()
        self.lines.append('#' + esc_text(data))

    def pi(self, target, data):
        self.flush()
        self.lines.append('?%s %s' % (target, esc_text(data)))


def oracle_tree(serialised):
    c = Canon()
    p = xml.parsers.expat.ParserCreate()
    p.ordered_attributes = True
    p.StartElementHandler = c.start
    p.EndElementHandler = c.end
    p.CharacterDataHandler = c.chars
    p.CommentHandler = c.comment
    p.ProcessingInstructionHandler = c.pi
    p.Parse(serialised, True)
    return '\n'.join(c.lines) + '\n'


def run(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=10)
        return r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired:
        return 'timeout', b'', b''


def judge(build, path):
    """(ours, theirs, our tree, their tree, our message)."""
    rc, out, err = run([build + '/tool_xmlcanon', path])
    ours = {0: 'ok', 1: 'error'}.get(rc, 'crash (%s)' % rc)
    lrc, lout, _ = run(['xmllint', '--nonet', '--nocdata', '--dropdtd',
                        path])
    theirs = {0: 'ok', 1: 'error'}.get(lrc, 'xmllint status %s' % lrc)
    tree = None
    if theirs == 'ok' and ours == 'ok':
        try:
            tree = oracle_tree(lout)
        except xml.parsers.expat.ExpatError as e:
            tree = 'expat cannot read xmllint output: %s\n' % e
    msg = err.decode('utf-8', 'replace').strip()
    return ours, theirs, out.decode('utf-8', 'replace'), tree, msg


# Content that keeps a document well formed when put right after a tag,
# so that a good share of mutants test trees, not only verdicts.
CONTENT = [b' ', b'x', b'\xc3\xa9', b'&amp;', b'&#65;', b'&#x1F600;', b'<b/>',
           b'<c d="&lt;\t&#9;"/>', b'<!--c-->', b'<?p d?>', b'<![CDATA[<z>]]>',
           b'\r\n', b'\r', b'&#13;', b'&#xD;\n', b' ]] ', b'<e>t</e>', b'\t \n']


def insert_content(rng, data):
    tags = [m.end() for m in re.finditer(rb'>', bytes(data))]
    if tags:
        i = rng.choice(tags)
        data[i:i] = rng.choice(CONTENT)


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.randrange(7)
        if op >= 5:
            insert_content(rng, data)
            continue
        i = rng.randrange(len(data) + 1)
        j = min(len(data), i + rng.randint(1, 8))
        if op == 0 and data:
            del data[i:j]
        elif op == 1:
            data[i:i] = data[i:j]
        elif op == 2 and i < len(data):
            data[i] = rng.choice(b'<>&"\'/=!?-[]; \n\txa:1\x00\xff')
        elif op == 3:
            data[i:i] = rng.choice(TOKENS)
        else:
            k = rng.randrange(len(data) + 1)
            data[i:i] = data[k:k + rng.randint(1, 16)]
    return bytes(data)


def documents(tmp):
    """(label, path, known) for the corpus, divergences and mutants."""
    docs = []
    seeds, bad = [], []
    for d, known in ((CORPUS, False), (DIVERGE, True)):
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            docs.append((name, path, known))
            data = open(path, 'rb').read()
            if not known and b'<!DOCTYPE' not in data:
                (bad if name.startswith('bad-') else seeds).append(data)
    rng = random.Random(SEED)
    for n in range(MUTANTS):
        path = os.path.join(tmp, 'm%04d.xml' % n)
        with open(path, 'wb') as f:
            pool = bad if rng.random() < 0.2 else seeds
            f.write(mutate(rng, rng.choice(pool)))
        docs.append(('mutant %d' % n, path, False))
    return docs


def by_design(ours, theirs, msg):
    if ours != 'error' or theirs != 'ok':
        return None
    for pat, reason in BY_DESIGN:
        if re.search(pat, msg):
            return reason
    return None


def verdict(label, path, known, result):
    """('pass' | 'skip' | 'fail', text)."""
    ours, theirs, tree, their_tree, msg = result
    name = os.path.basename(path)
    if known:
        want = KNOWN.get(name)
        if want and (ours, theirs) == want[:2]:
            return 'pass', 'known divergence %s (ours: %s, xmllint: %s): ' \
                '%s' % ((name,) + want)
        return 'fail', 'listed divergence changed: ours: %s, xmllint: ' \
            '%s, listed: %s' % (ours, theirs, want)
    if ours == theirs == 'error':
        return 'pass', None
    if ours == theirs == 'ok':
        if tree == their_tree:
            return 'pass', None
        for pat, reason in UNREADABLE:
            if their_tree.startswith('expat cannot') and re.search(
                    pat, tree, re.M):
                return 'skip', reason
        return 'fail', 'ours: ok, xmllint: ok, trees differ:\n' \
            '--- ours\n%s--- xmllint\n%s' % (tree, their_tree)
    reason = by_design(ours, theirs, msg)
    if reason:
        return 'skip', reason
    return 'fail', 'ours: %s (%s), xmllint: %s' % (ours, msg, theirs)


def report(label, path, text):
    data = open(path, 'rb').read()
    print('DISAGREE %s: %s' % (label, text))
    print('  document: %s' % escape(data[:2000]))


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    if not os.access(build + '/tool_xmlcanon', os.X_OK):
        print('xml-differential: %s/tool_xmlcanon not built' % build)
        print('xml-differential: 0 passed, 1 failed')
        return 1
    passed = failed = wellformed = 0
    skipped = {}
    with tempfile.TemporaryDirectory(prefix='xmldiff.') as tmp:
        docs = documents(tmp)
        with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as ex:
            results = list(ex.map(lambda d: judge(build, d[1]), docs))
        for (label, path, known), result in zip(docs, results):
            v, text = verdict(label, path, known, result)
            wellformed += result[:2] == ('ok', 'ok')
            if v == 'pass':
                passed += 1
                if text:
                    print('xml-differential: %s' % text)
            elif v == 'skip':
                skipped[text] = skipped.get(text, 0) + 1
            else:
                failed += 1
                report(label, path, text)
    print('xml-differential: %d documents, %d well formed on both sides' %
          (len(docs), wellformed))
    for reason, n in sorted(skipped.items()):
        print('xml-differential: %d skipped by design: %s' % (n, reason))
    print('xml-differential: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

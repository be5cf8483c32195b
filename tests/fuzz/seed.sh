#!/usr/bin/env bash
# Seeds each fuzz target's corpus (tests/fuzz/corpus/TARGET, not committed)
# with every policy, case and data file of the repository, and with inputs
# long enough to reach the limits: nesting past 200 levels, long lines.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
for t in parse_check fmt csv_eval json_eval lsp_messages scripts; do mkdir -p corpus/$t; done
i=0
for f in $(find $root/policies $root/tests/cases $root/examples -name '*.zb'); do
  i=$((i + 1)); cp "$f" corpus/parse_check/p$i; cp "$f" corpus/fmt/p$i
done
for f in $(find $root/examples $root/tests/cases -name '*.csv'); do i=$((i + 1)); cp "$f" corpus/csv_eval/c$i; done
for f in $(find $root/examples $root/tests/cases -name '*.json'); do i=$((i + 1)); cp "$f" corpus/json_eval/j$i; done
for f in $(find $root/examples -name '*.rhai'); do i=$((i + 1)); cp "$f" corpus/scripts/s$i; done
python3 - <<'PY'
head = 'policy "p" {\n  total 10\n  precision 2 half_up\n}\ninput a: count\n'
def item(rule): return head + 'category c 10 {\n  item i 10 points ' + rule + '\n}\n'
long = {
    'deep_parens': item('(' * 5000 + 'a' + ')' * 5000),
    'deep_minus': item('-' * 8000 + 'a'),
    'long_sum': item(' + '.join(['a'] * 8000)),
    'deep_if': item('if a > 1 then 1 else ' * 4000 + '0'),
    'deep_categories': head + ''.join('category c%d 10 {\n' % i for i in range(6000)) + 'item i 10 points a\n' + '}\n' * 6000,
    'wide': item('a' + ' ' * 70000 + '+ b'),
}
for name, text in long.items():
    for t in ('parse_check', 'fmt'):
        open('corpus/%s/%s' % (t, name), 'w').write(text)
frame = lambda body: b'Content-Length: %d\r\n\r\n' % len(body) + body
open('corpus/lsp_messages/session', 'wb').write(
    frame(b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}')
    + b'Content-Length: 99999999999\r\n\r\n' + frame(b'{"jsonrpc": "2.0", "id": 2, "method": ')
    + frame(b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"x":"\\ud800"}}'))
open('corpus/scripts/loop', 'w').write('fn f(x) { loop { x += 1; } }')
open('corpus/scripts/recursion', 'w').write('fn f(x) { f(x) + 1 }')
PY
echo "corpus seeded under $(pwd)/corpus"

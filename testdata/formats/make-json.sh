#!/bin/sh
# Remakes the JSON / JSON Lines fixtures in testdata/formats/json/ with the
# programs that write such files in the wild: Python 3's json module (in
# several styles) and jq. formats/json_test.go lists the (record, path,
# text) parts each fixture must give; change both together. The malformed
# fixtures are good output of the same programs, damaged on purpose.
# Needs python3 and jq (Debian: apt-get install jq).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/json"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$out" "$tmp" <<'PY'
import json, sys

out, tmp = sys.argv[1], sys.argv[2]

def dump(name, value, encoding="utf-8", **kw):
    with open(f"{out}/{name}", "w", encoding=encoding, newline="") as f:
        json.dump(value, f, **kw)

# Objects, nested arrays, every scalar type, empty containers and strings.
# Key order is kept (dicts are ordered), so the parts' order is known.
basic = {
    "name": "Jane Doe",
    "age": 42,
    "active": True,
    "spouse": None,
    "ssn": "123-45-6789",
    "scores": [1.5, -2e-10, 0],
    "address": {"street": "1 Main St", "zip": "98101"},
    "matrix": [["a", "b"], [], [["c"]]],
    "empty": "",
    "none": {},
    "list": [],
}
dump("basic.json", basic, indent=2)
dump("basic-compact.json", basic, separators=(",", ":"))
# A byte-order mark, as Python's utf-8-sig codec (and Windows tools) write.
dump("bom.json", {"card": "4111111111111111"}, encoding="utf-8-sig")

# ensure_ascii escapes everything outside ASCII: \u escapes, a surrogate
# pair for the emoji, and a lone surrogate (Python strings may hold one).
# Names that need the bracket form of a path.
dump("unicode.json", {
    "naïve": "café",
    "emoji": "\U0001F600 smile",
    "quote": 'say "hi"\n\tbye\\/',
    "ctrl": "\x01\x1f",
    "lone": "x\ud800y",
    "a b": {"it's": 1, "back\\slash": 2, "": 3, "1st": 4, "dot.key": 5, "new\nline": 6},
}, ensure_ascii=True)
# The same without escaping: raw UTF-8.
dump("utf8.json", {"naïve": "café", "日本": ["東京", "\U0001F600"]}, ensure_ascii=False)

# Scalars at the top level, and an empty document.
dump("scalar-string.json", "078-05-1120")
dump("scalar-number.json", 6011000990139424)
dump("scalar-null.json", None)
open(f"{out}/empty.json", "w").close()

# Path cutting: a 300-character name (60 a then 240 b: the a go), and a
# path of 30 ten-character names (330 characters: leading names go).
long_name = "a" * 60 + "b" * 240
dump("long-name.json", {long_name: "v1"})
deep = "v2"
for i in reversed(range(30)):
    deep = {f"level{i:05d}": deep}
dump("long-path.json", deep)

# Nesting at Macie's limit and one over: arrays 256 and 257 deep.
for depth in (256, 257):
    v = "x"
    for _ in range(depth):
        v = [v]
    dump(f"depth-{depth}.json", v, separators=(",", ":"))

# Records for jq to write as JSON Lines.
records = [
    {"id": 1, "user": {"email": "jane@example.com", "phones": ["+1 206 555 0100"]}},
    {"id": 2, "user": {"email": "john@example.com", "phones": []}, "note": "two\nlines"},
    "a bare string",
    {"id": 4, "ok": False},
]
with open(f"{tmp}/records.json", "w") as f:
    json.dump(records, f)
PY

# jq writes one compact record per line; a blank line goes after the
# second to check that blank lines still count as record indexes.
jq -c '.[]' "$tmp/records.json" > "$tmp/records.jsonl"
awk 'NR == 3 { print "" } { print }' "$tmp/records.jsonl" > "$out/records.jsonl"
# jq's own pretty printer (tabs), for a JSON document jq wrote.
jq --tab . "$out/basic-compact.json" > "$out/basic-jq-tab.json"

# Damaged copies.
head -c 120 "$out/basic.json" > "$out/truncated.json"
sed 's/"active": true/"active": tru/' "$out/basic.json" > "$out/bad-token.json"
{ cat "$out/basic-compact.json"; printf ' garbage'; } > "$out/trailing.json"
# A JSON Lines file whose third line is cut short.
{ sed -n 1,2p "$out/records.jsonl"; printf '{"id": 3, "ssn": "123-45-67\n'; sed -n 4p "$out/records.jsonl"; } > "$out/bad-line.jsonl"

#!/bin/sh
# Remakes the XML and HTML fixtures in testdata/formats/markup/ with
# programs that write such files: LibreOffice exporting the committed text
# document fixture as HTML (entities, styles, tables) and as flat XML, and
# Python's xml.dom.minidom writing a document with a comment, a CDATA
# section, attributes and escaped text. formats/markup_test.go lists the
# lines each fixture must give; change both together. All values are
# synthetic. Needs soffice with Writer (Debian: libreoffice-writer-nogui)
# and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/markup"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"  # a throwaway LibreOffice profile
soffice --headless --convert-to html --outdir "$tmp" "$here/office/doc-text.odt" >/dev/null
soffice --headless --convert-to fodt --outdir "$tmp" "$here/office/doc-text.odt" >/dev/null
cp "$tmp/doc-text.html" "$out/libreoffice.html"
cp "$tmp/doc-text.fodt" "$out/libreoffice.fodt"

python3 - "$out/minidom.xml" <<'PY'
import sys
from xml.dom import minidom

doc = minidom.Document()
root = doc.createElement("customers")
doc.appendChild(root)
root.appendChild(doc.createComment(" temporary key AKIAIOSFODNN7REALKEY1 remove "))
c = doc.createElement("customer")
c.setAttribute("id", "42")
c.setAttribute("note", 'says "hi" & <waves>')
root.appendChild(c)
for tag, text in [("name", "Jane Doe & Sons"), ("ssn", "123-45-6789")]:
    e = doc.createElement(tag)
    e.appendChild(doc.createTextNode(text))
    c.appendChild(e)
raw = doc.createElement("raw")
raw.appendChild(doc.createCDATASection("card 4539 1488 0343 6467 <not a tag>"))
c.appendChild(raw)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(doc.toprettyxml(indent="  "))
PY

#!/bin/sh
# Remakes the legacy (OLE2/BIFF8 and Word 97) fixtures in
# testdata/formats/office/: LibreOffice converts the committed ODF
# fixtures (made by make-spreadsheets.sh and make-documents.sh) to .xls and
# .doc, so the legacy readers are checked against the same cells and
# lines as their OOXML peers (formats/xls_test.go, formats/doc_test.go).
# The name starts with "z" so that `make fixtures`, which runs the scripts
# in name order, runs this one after the two it converts from.
# Needs soffice with Calc and Writer (Debian: libreoffice-calc-nogui
# libreoffice-writer-nogui).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/office"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"  # a throwaway LibreOffice profile
soffice --headless --convert-to xls --outdir "$tmp" "$out/sheet.ods" >/dev/null
soffice --headless --convert-to doc --outdir "$tmp" "$out/doc-text.odt" >/dev/null
cp "$tmp/sheet.xls" "$tmp/doc-text.doc" "$out/"

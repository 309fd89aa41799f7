#!/bin/sh
# Remakes the CSV/TSV fixtures in testdata/formats/csv/ with the programs
# that write such files in the wild: Python 3's csv module in several
# dialects, and LibreOffice Calc exporting a spreadsheet it opened.
# formats/csv_test.go lists the cells each fixture must give; change both
# together. Needs python3 and soffice (Debian: libreoffice-calc-nogui).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/csv"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One table, written in every dialect: quotes, delimiters and newlines
# inside cells, an empty cell, non-ASCII text, and a ragged last row longer
# than the header. The values are the well-known fake SSNs and test cards.
python3 - "$out" "$tmp" <<'PY'
import csv, sys
from xml.sax.saxutils import escape

out, tmp = sys.argv[1], sys.argv[2]
header = ["id", "name", "ssn", "notes", "card number"]
rows = [
    ["1", "Jane Doe", "123-45-6789", 'says "hi", then; leaves|', "4111111111111111"],
    ["2", "Ørjan Ñúñez", "", "line one\nline two", "5500 0000 0000 0004"],
    ["3", "Smith, John", "078-05-1120", "", ""],
    ["4", "Extra\tTab", "", "", "", "overflow"],
]

def write(name, **fmt):
    with open(f"{out}/{name}", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, **fmt)
        w.writerow(header)
        w.writerows(rows)

write("python-excel.csv")                                  # CRLF, minimal quoting
write("python-excel-tab.tsv", dialect="excel-tab")         # CRLF, tabs
write("python-unix-semicolon.csv", dialect="unix", delimiter=";")  # LF, every field quoted
write("python-pipe.csv", delimiter="|", lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)

# A header and nothing else; an empty file.
with open(f"{out}/header-only.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerow(header)
open(f"{out}/empty.csv", "w").close()

# The same table as a flat ODF spreadsheet for LibreOffice; a cell's lines
# are separate paragraphs, as Calc stores them.
def cell(v):
    paras = "".join(f"<text:p>{escape(p)}</text:p>" for p in v.split("\n"))
    return f'<table:table-cell office:value-type="string">{paras}</table:table-cell>' if v else "<table:table-cell/>"

body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in [header] + rows)
with open(f"{tmp}/libreoffice.fods", "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
            ' office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '<office:body><office:spreadsheet><table:table table:name="People">'
            + body + '</table:table></office:spreadsheet></office:body></office:document>\n')
PY

# LibreOffice's CSV filter options: field separator, text delimiter (as
# ASCII codes), character set (76 = UTF-8), first line, cell formats,
# language, then "quote all text cells".
lo() { # sep quoteall name
	rm -rf "$tmp/lo" && mkdir "$tmp/lo"
	soffice --headless -env:UserInstallation="file://$tmp/profile" \
		--convert-to "csv:Text - txt - csv (StarCalc):$1,34,76,1,,0,$2" \
		--outdir "$tmp/lo" "$tmp/libreoffice.fods" >"$tmp/lo.log" 2>&1 ||
		{ cat "$tmp/lo.log" >&2; exit 1; }
	mv "$tmp/lo/libreoffice.csv" "$out/$3"
}
lo 44 false libreoffice.csv
lo 59 true libreoffice-semicolon.csv
lo 9 false libreoffice.tsv

# Malformed: no program writes these, which is the point. A bare quote in
# an unquoted field on row 3, and a quoted field left open at the end.
printf 'id,name\r\n1,Jane\r\n2,5\047 11" tall\r\n3,Bob\r\n' >"$out/malformed-bare-quote.csv"
printf 'id,name\n1,Jane\n2,"never closed\n3,Bob\n' >"$out/malformed-open-quote.csv"

#!/bin/sh
# Remakes the spreadsheet fixtures in testdata/formats/office/ (names
# starting with "sheet") with LibreOffice Calc: a flat ODS written here by
# hand is converted to .xlsx and .ods.
# formats/spreadsheet_test.go lists the cells each fixture must give;
# change both together. Needs soffice (Debian: libreoffice-calc-nogui).
#
# The workbook: sheet "People" with a header row (id, SSN, amount, double,
# notes), three data rows, an empty row 4 and a row 5 after it; the amount
# column is numeric with a thousands format, "double" is a formula whose
# cached value is written; sheet "Cards" with two columns. The values are
# the well-known fake SSNs and test card numbers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/office"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/sheet.fods" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:number-style style:name="N4"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
  <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N4"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="People">
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>SSN</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>amount</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>double</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>notes</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>123-45-6789</text:p></table:table-cell>
    <table:table-cell table:style-name="ce1" office:value-type="float" office:value="1234.5"><text:p>1,234.50</text:p></table:table-cell>
    <table:table-cell table:formula="of:=[.C2]*2" office:value-type="float" office:value="2469"><text:p>2469</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>card 4111111111111111 on file</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>078-05-1120</text:p></table:table-cell>
    <table:table-cell table:style-name="ce1" office:value-type="float" office:value="20"><text:p>20.00</text:p></table:table-cell>
    <table:table-cell table:formula="of:=[.C3]*2" office:value-type="float" office:value="40"><text:p>40</text:p></table:table-cell>
    <table:table-cell/>
   </table:table-row>
   <table:table-row>
    <table:table-cell table:number-columns-repeated="5"/>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
    <table:table-cell table:number-columns-repeated="3"/>
    <table:table-cell office:value-type="string"><text:p>Ørjan Ñúñez</text:p></table:table-cell>
   </table:table-row>
  </table:table>
  <table:table table:name="Cards">
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>card number</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>notes</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>5500 0000 0000 0004</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>exp 02/26</text:p></table:table-cell>
   </table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document>
XML

cd "$tmp"
soffice --headless --convert-to xlsx --outdir "$tmp" sheet.fods >/dev/null
soffice --headless --convert-to ods --outdir "$tmp" sheet.fods >/dev/null
cp sheet.xlsx "$out/sheet.xlsx"
cp sheet.ods "$out/sheet.ods"
# No encrypted fixture: LibreOffice 7.4 headless writes a plain zip even
# with EncryptFile/DocumentPassword filter options or a UNO Password
# property. make-zencrypted-office.sh makes one (sheet-encrypted.xlsx) instead.

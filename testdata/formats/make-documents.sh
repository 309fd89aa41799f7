#!/bin/sh
# Remakes the word-processing and presentation fixtures in
# testdata/formats/office/ (names starting with "doc") with LibreOffice
# headless, from flat ODF sources written here by hand. formats/document_test.go
# lists the lines each fixture must give; change both together. All values
# are synthetic. Needs soffice with Writer and Impress (Debian: apt-get
# install libreoffice-writer-nogui libreoffice-impress-nogui).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/office"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/doc-text.fodt" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>Header Acme Confidential</text:p></style:header>
   <style:footer><text:p>Footer page marker</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:h text:outline-level="1">Employee record</text:h>
   <text:p>Name Jane Doe<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Footnote passport X1234567</text:p></text:note-body></text:note> lives here.</text:p>
   <text:p>First<text:tab/>Second<text:line-break/>Third line</text:p>
   <table:table table:name="T1">
    <table:table-column table:number-columns-repeated="2"/>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>Cell A1</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>Cell B1</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>ssn</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>123-45-6789</text:p></table:table-cell>
    </table:table-row>
   </table:table>
   <text:p>Reviewed<office:annotation><dc:creator>QA</dc:creator><text:p>Comment check card 4111 1111 1111 1111</text:p></office:annotation> by audit.</text:p>
   <text:p>The ssn 123-45-6789 is planted here.</text:p>
   <text:p>Müller naïve café end</text:p>
  </office:text>
 </office:body>
</office:document>
XML

cat >"$tmp/doc-slides.fodp" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:automatic-styles>
  <style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Default" style:page-layout-name="PM1"/>
 </office:master-styles>
 <office:body>
  <office:presentation>
   <draw:page draw:name="page1" draw:master-page-name="Default">
    <draw:frame svg:x="2cm" svg:y="1cm" svg:width="24cm" svg:height="3cm"><draw:text-box><text:p>Slide one title</text:p></draw:text-box></draw:frame>
    <draw:frame svg:x="2cm" svg:y="5cm" svg:width="24cm" svg:height="8cm"><draw:text-box><text:p>Customer ssn 123-45-6789</text:p><text:p>Second bullet</text:p></draw:text-box></draw:frame>
    <presentation:notes><draw:frame svg:x="2cm" svg:y="15cm" svg:width="17cm" svg:height="10cm" presentation:class="notes"><draw:text-box><text:p>Notes one secret phone 555-0100</text:p></draw:text-box></draw:frame></presentation:notes>
   </draw:page>
   <draw:page draw:name="page2" draw:master-page-name="Default">
    <draw:frame svg:x="2cm" svg:y="1cm" svg:width="24cm" svg:height="3cm"><draw:text-box><text:p>Slide two title</text:p></draw:text-box></draw:frame>
    <presentation:notes><draw:frame svg:x="2cm" svg:y="15cm" svg:width="17cm" svg:height="10cm" presentation:class="notes"><draw:text-box><text:p>Notes two end</text:p></draw:text-box></draw:frame></presentation:notes>
   </draw:page>
  </office:presentation>
 </office:body>
</office:document>
XML

cd "$tmp"
export HOME="$tmp"  # a throwaway LibreOffice profile
soffice --headless --convert-to docx --outdir "$tmp" doc-text.fodt >/dev/null
soffice --headless --convert-to odt --outdir "$tmp" doc-text.fodt >/dev/null
soffice --headless --convert-to pptx --outdir "$tmp" doc-slides.fodp >/dev/null
soffice --headless --convert-to odp --outdir "$tmp" doc-slides.fodp >/dev/null
# No password-protected fixtures: LibreOffice 7.4's --convert-to takes no
# password, and saving with one through UNO was unreliable on a fresh
# profile. formats/document_test.go builds both encrypted cases itself (an
# OLE2 file holding an EncryptedPackage stream; an ODT whose manifest has
# encryption-data).
cp doc-text.docx doc-text.odt doc-slides.pptx doc-slides.odp "$out/"

#!/bin/sh
# Remakes the PDF fixtures in testdata/formats/pdf/ with the programs that
# make PDFs in the wild: LibreOffice Writer exporting a three-page document
# (values on pages 1 and 3, page 2 without any), and qpdf encrypting that
# PDF with a user password (AES-256) and with an owner password only (AES-128,
# which any reader opens without a password). formats/pdf_test.go lists the
# text each page must give; change both together. All values are synthetic.
# Needs soffice with Writer (Debian: libreoffice-writer-nogui) and qpdf.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/pdf"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/pages.fodt" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:p>Page one: employee ssn 123-45-6789 on file.</text:p>
   <text:p>Müller naïve café</text:p>
   <text:p text:style-name="Break">Page two has nothing sensitive.</text:p>
   <text:p text:style-name="Break">Page three: credit card 4539 1488 0343 6467 expires soon.</text:p>
  </office:text>
 </office:body>
</office:document>
XML

cd "$tmp"
export HOME="$tmp"  # a throwaway LibreOffice profile
soffice --headless --convert-to pdf --outdir "$tmp" pages.fodt >/dev/null
cp pages.pdf "$out/pages.pdf"
qpdf --encrypt secret-user secret-owner 256 -- pages.pdf "$out/pages-encrypted.pdf"
qpdf --encrypt '' secret-owner 128 --use-aes=y -- pages.pdf "$out/pages-owner-only.pdf"

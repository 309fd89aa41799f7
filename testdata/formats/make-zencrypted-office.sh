#!/bin/sh
# Makes testdata/formats/office/sheet-encrypted.xlsx, a password-protected
# copy (password "secret") of the committed sheet.xlsx: an OLE2 file with
# ECMA-376 agile EncryptionInfo and EncryptedPackage streams, as Excel
# writes. LibreOffice 7.4 headless will not encrypt (see
# make-spreadsheets.sh) and Debian's msoffcrypto-tool 5.0 only decrypts, so
# excelize's writer does it, from its own module in office-encrypt/ (trawl
# itself does not depend on excelize). The name starts with "z" so that
# `make fixtures` runs it after make-spreadsheets.sh. Needs Go.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/office-encrypt"
go run . "$here/office/sheet.xlsx" "$here/office/sheet-encrypted.xlsx" secret

# And a plain Word 97 document whose text spells "EncryptedPackage" (with
# a non-ASCII letter, so Word stores the text as UTF-16, as a CFB
# directory spells stream names): a byte search would take it for an
# encrypted package; the directory says it is not. Needs soffice
# (Debian: libreoffice-writer-nogui).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"  # a throwaway LibreOffice profile
cat >"$tmp/doc-names-encryptedpackage.fodt" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  <text:p>The stream EncryptedPackage and EncryptionInfo hold an encrypted file, says Ørjan.</text:p>
 </office:text></office:body>
</office:document>
XML
soffice --headless --convert-to doc --outdir "$tmp" "$tmp/doc-names-encryptedpackage.fodt" >/dev/null
cp "$tmp/doc-names-encryptedpackage.doc" "$here/office/"

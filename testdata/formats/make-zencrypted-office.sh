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

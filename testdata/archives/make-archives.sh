#!/bin/sh
# Remakes the archive fixtures in testdata/archives/ with the programs that
# make archives in the wild: Info-ZIP zip, GNU tar, gzip, bzip2, xz, zstd
# and 7-Zip (Debian: zip bzip2 xz-utils zstd 7zip tar gzip), plus Python 3
# for the hostile shapes no archiver writes on purpose (path traversal
# names in a zip, an overlapping-entry zip bomb). scanner/archive_test.go
# states what each fixture must give; change both together.
#
# Every planted value is the same fake SSN line, so a test can count them:
# each source file holds exactly one "ssn 123-45-6789".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
stamp='2024-01-02 03:04:05'
# Fixed owners, order and times (pax headers drop atime and ctime), so a
# rerun gives the same bytes; encrypted fixtures differ each time (salts).
# GNU tar takes --pax-option only for pax archives.
TAR="tar --owner=0 --group=0 --numeric-owner --sort=name --mtime=@1704164645"
PAX="$TAR --pax-option=delete=atime,delete=ctime"

# The members: a CSV in a directory, a text file, a JSON file (3 values).
mkdir -p src/dir
# Filler lines make deflate worth it, so the zips really are deflated.
{ printf 'name,ssn\nJane Doe,123-45-6789\n'; seq 1 40 | sed 's/.*/Person &,/'; } > src/dir/data.csv
{ printf 'call notes\nssn 123-45-6789 confirmed\n'; seq 1 40 | sed 's/.*/note line & of the call/'; } > src/notes.txt
printf '{"user": {"ssn": "123-45-6789"}}\n' > src/record.json
find src -exec touch -d "$stamp" {} +

zipit() { # zipit OUT [zip options...]: the three members
	o=$1; shift
	rm -f "$out/$o"
	(cd src && zip -q -X -r "$@" "$out/$o" dir notes.txt record.json)
}
zipit zip-deflate.zip
zipit zip-stored.zip -0
zipit zip-bzip2.zip -Z bzip2
zipit zip64.zip -fz
# Written to a pipe, zip cannot seek back: sizes go in data descriptors.
(cd src && zip -q -X -r - dir notes.txt record.json | cat > "$out/zip-stream.zip")

(cd src && $TAR --format=ustar -cf "$out/tar-ustar.tar" dir notes.txt record.json)
(cd src && $PAX --format=pax -cf "$out/tar-pax.tar" dir notes.txt record.json)
(cd src && $TAR --format=gnu -cf "$out/tar-gnu.tar" dir notes.txt record.json)
# Unix V7 tar: no "ustar" magic, known only by its header checksum.
(cd src && $TAR --format=v7 -cf "$out/tar-v7.tar" dir notes.txt record.json)
(cd src && $TAR --format=ustar -cf - dir notes.txt record.json) > all.tar
gzip -n -9 -c all.tar > "$out/tar.tar.gz"
cp "$out/tar.tar.gz" "$out/tgz.tgz"
bzip2 -9 -c all.tar > "$out/tar.tar.bz2"
xz -6 -c all.tar > "$out/tar.tar.xz"
zstd -q -19 -c all.tar > "$out/tar.tar.zst"

# A sparse file: text, a 1 MB hole, text with the value. GNU tar stores
# only the data, in the GNU and the PAX sparse formats.
mkdir sparse
awk 'BEGIN { for (i = 0; i < 400; i++) print "filler line " i " of plain text" }' > sparse/sparse.txt
truncate -s 1200000 sparse/sparse.txt
printf '\nssn 123-45-6789\n' >> sparse/sparse.txt
touch -d "$stamp" sparse/sparse.txt
(cd sparse && $TAR --sparse --format=gnu -cf "$out/tar-sparse-gnu.tar" sparse.txt)
(cd sparse && $PAX --sparse --format=pax -cf "$out/tar-sparse-pax.tar" sparse.txt)

# Single compressed files; a multi-member gzip (two files concatenated).
gzip -n -c src/notes.txt > "$out/notes.txt.gz"
bzip2 -c src/dir/data.csv > "$out/data.csv.bz2"
xz -c src/dir/data.csv > "$out/data.csv.xz"
zstd -q -c src/record.json > "$out/record.json.zst"
(gzip -n -c src/notes.txt; gzip -n -c src/notes.txt) > "$out/multi-member.txt.gz"
(xz -c src/notes.txt; xz -c src/notes.txt) > "$out/multi-stream.txt.xz"
# An xz header asking for a 1.5 GiB dictionary (xz -9 uses 64 MiB): refused
# before any memory is taken.
xz -c --lzma2=dict=1536MiB src/notes.txt > "$out/big-dictionary.txt.xz"

# 7z: LZMA2, solid; entries encrypted (names readable); headers encrypted.
rm -f "$out"/*.7z
(cd src && 7zz a -bd -bso0 -mtm=off "$out/7z-lzma2.7z" dir notes.txt record.json)
# Stored (copy method) with a plain header: a test damages the member's
# bytes in place, which only its CRC can tell.
(cd src && 7zz a -bd -bso0 -mtm=off -m0=copy -mhc=off "$out/7z-copy.7z" notes.txt)
(cd src && 7zz a -bd -bso0 -psecret -mhe=off "$out/7z-encrypted-entries.7z" notes.txt)
(cd src && 7zz a -bd -bso0 -psecret -mhe=on "$out/7z-encrypted-headers.7z" notes.txt)

# outer.zip!dir/inner.tar!data.csv, as a user would see it.
mkdir -p nest/dir
(cd src/dir && $TAR --format=ustar -cf "$tmp/nest/dir/inner.tar" data.csv)
touch -d "$stamp" nest/dir/inner.tar nest/dir
rm -f "$out/outer.zip"
(cd nest && zip -q -X -r "$out/outer.zip" dir)

# A 12-level chain: level-1.zip holds level-1.txt and level-2.zip, ...
# level-12.zip holds level-12.txt. level-N.txt is at nesting level N.
mkdir chain
prev=
for n in 12 11 10 9 8 7 6 5 4 3 2 1; do
	printf 'level %d\nssn 123-45-6789\n' "$n" > "chain/level-$n.txt"
	touch -d "$stamp" "chain/level-$n.txt"
	(cd chain && zip -q -X "level-$n.zip" "level-$n.txt" $prev)
	touch -d "$stamp" "chain/level-$n.zip"
	prev="level-$n.zip"
done
cp chain/level-1.zip "$out/chain-12.zip"

# A zip whose entry is password-protected, beside one that is not.
rm -f "$out/password.zip"
cp src/notes.txt secret.txt
touch -d "$stamp" secret.txt
zip -q -X -P secret "$out/password.zip" secret.txt
(cd src && zip -q -X "$out/password.zip" notes.txt)

# Members trawl does not read: a PNG beside the text.
printf '\211PNG\r\n\032\n' > src/image.png
head -c 4000 /dev/zero >> src/image.png
touch -d "$stamp" src/image.png
rm -f "$out/unsupported-member.zip"
(cd src && zip -q -X "$out/unsupported-member.zip" notes.txt image.png)
rm src/image.png

# Damage: a clobbered central directory, a truncated tar, a bad gzip CRC.
cp "$out/zip-deflate.zip" corrupt.zip
off=$(grep -obUaP 'PK\x01\x02' corrupt.zip | head -1 | cut -d: -f1)
printf 'XXXXXXXXXXXXXXXX' | dd of=corrupt.zip bs=1 seek="$off" conv=notrunc status=none
cp corrupt.zip "$out/corrupt-central-directory.zip"
# The first member (dir/data.csv) whole, the second cut in its data.
head -c 2000 "$out/tar-ustar.tar" > "$out/truncated.tar"
cp "$out/notes.txt.gz" bad.gz
size=$(stat -c %s bad.gz)
printf '\377\377\377\377' | dd of=bad.gz bs=1 seek=$((size - 8)) conv=notrunc status=none
cp bad.gz "$out/bad-crc.txt.gz"

# Hostile names, kept as data: tar with -P keeps "../" and "/" names; a
# duplicate name appended.
(cd src && $PAX -P --format=pax --transform='s,^notes.txt$,../../etc/passwd,;s,^record.json$,/abs/record.json,' \
	-cf "$out/traversal.tar" notes.txt record.json)
(cd src && $PAX -P --format=pax -rf "$out/traversal.tar" notes.txt)
(cd src && $PAX -P --format=pax -rf "$out/traversal.tar" notes.txt)

# The same in a zip, and an overlapping-entry bomb: 200 central-directory
# entries all naming one local entry whose data inflates to 64 MiB of
# text, so 12.5 GiB would come out of 75 kilobytes.
python3 - "$out" <<'PY'
import struct, sys, zipfile, zlib, warnings
out = sys.argv[1]
warnings.simplefilter("ignore")  # the duplicate name is the point
date = (2024, 1, 2, 3, 4, 6)
with zipfile.ZipFile(f"{out}/traversal.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name in ["../../etc/passwd", "/abs/notes.txt", "dup.txt", "dup.txt"]:
        z.writestr(zipfile.ZipInfo(name, date), "ssn 123-45-6789\n")

data = b"B" * (64 << 20)
comp = zlib.compressobj(9, zlib.DEFLATED, -15)
body = comp.compress(data) + comp.flush()
crc = zlib.crc32(data)
name = b"kernel.txt"
local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x2821, crc, len(body), len(data), len(name), 0) + name + body
central = b""
n = 200
for i in range(n):
    nm = b"bomb-%03d.txt" % i
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x2821, crc, len(body), len(data),
                           len(nm), 0, 0, 0, 0, 0, 0) + nm
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(local), 0)
with open(f"{out}/overlap-bomb.zip", "wb") as f:
    f.write(local + central + end)
PY

# 10 GB of zeros, gzipped, gzipped again: about 10 MB, then about 100 KB.
# It takes a minute, so it is kept when present: delete it to remake it.
[ -f "$out/zeros-10g.gz.gz" ] || head -c 10000000000 /dev/zero | gzip -n -1 | gzip -n -9 > "$out/zeros-10g.gz.gz"

# The shape of 42.zip, scaled down: 16 zips of 16 zips of 16 files of
# 16 MiB of zeros (4 GiB in 4,096 files) in a few kilobytes.
mkdir -p b42/l3 b42/l2 b42/l1
head -c 16777216 /dev/zero > b42/zeros.bin
for i in $(seq -w 0 15); do cp b42/zeros.bin "b42/l3/$i.bin"; done
find b42 -exec touch -d "$stamp" {} +
# -n : compresses zips in zips too (zip stores .zip names by default).
(cd b42/l3 && zip -q -X ../l2/leaf.zip ./*.bin)
for i in $(seq -w 0 15); do cp b42/l2/leaf.zip "b42/l1/$i.zip"; done
find b42 -exec touch -d "$stamp" {} +
(cd b42/l1 && zip -q -X -n : ../mid.zip ./*.zip)
mkdir b42/top
for i in $(seq -w 0 15); do cp b42/mid.zip "b42/top/$i.zip"; done
find b42 -exec touch -d "$stamp" {} +
rm -f "$out/42-shape.zip"
(cd b42/top && zip -q -X -n : "$out/42-shape.zip" ./*.zip)

# A zip quine: its one member, quine.zip, inflates to the zip itself.
(cd "$here/../.." && go run testdata/archives/make-quine.go)

ls -l "$out"

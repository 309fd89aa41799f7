package scanner

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/trawlsec/trawl/findings"
)

// plantedNotes is a text file with one planted SSN and filler after it, so
// that a damaged check sits well past the value.
func plantedNotes() []byte {
	var b bytes.Buffer
	b.WriteString("call notes\nssn 123-45-6789 confirmed\n")
	for i := range 40 {
		b.WriteString("note line of the call ")
		b.WriteByte(byte('a' + i%26))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// tarOf is a tar holding one file; its reader stops at the end marker,
// before the record padding after it.
func tarOf(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write(data)
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	// GNU tar pads to a 10 KiB record; archive/tar writes only the two
	// zero blocks. Pad as GNU does, so that bytes follow the end marker.
	for b.Len()%10240 != 0 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

func gzipOf(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipRaw is a zip of stored members whose directory records the given
// CRC-32s, true or not.
func zipRaw(t *testing.T, members map[string][]byte, crc map[string]uint32) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, data := range members {
		sum, ok := crc[name]
		if !ok {
			sum = crc32.ChecksumIEEE(data)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: sum,
			CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func flip(data []byte, at int) []byte {
	out := bytes.Clone(data)
	out[at] ^= 0x5a
	return out
}

func fixtureBytes(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(archiveFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeTemp puts data in a file named name, for the local source (random
// access, as a directory scan has).
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A codec's or a member's integrity check sits at its end, past where a
// reader of what it holds may stop (a tar stops at its end marker). A
// damaged check must not let the object be COMPLETE: it is what a damaged
// .txt.gz gives, PARTIAL MALFORMED_FILE with the findings read before the
// check kept.
func TestScanArchiveChecksIntegrityToTheEnd(t *testing.T) {
	notes := plantedNotes()
	tgz := gzipOf(t, tarOf(t, "notes.txt", notes))
	// Past 1 MiB a stream is decoded on a goroutine of its own (read-ahead):
	// its errors must come through it.
	large := append(bytes.Clone(notes), bytes.Repeat([]byte("filler line without values\n"), 3<<20/27)...)
	largeTgz := gzipOf(t, tarOf(t, "large.txt", large))
	tbz := fixtureBytes(t, "tar.tar.bz2")
	txz := fixtureBytes(t, "tar.tar.xz")
	tzst := fixtureBytes(t, "tar.tar.zst")
	good := map[string][]byte{"notes.txt": notes, "inner.tar": tarOf(t, "notes.txt", notes)}
	sevenZip := fixtureBytes(t, "7z-copy.7z")
	stored := bytes.Index(sevenZip, []byte("call notes"))
	if stored < 0 {
		t.Fatal("7z-copy.7z does not hold its member stored")
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		values int             // SSNs reported (from bytes read before the check)
		reason findings.Reason // the object's reason, PARTIAL
		member string          // the member listed PARTIAL MALFORMED_FILE, if any
	}{
		// gzip's CRC-32 and length, after the tar's end marker.
		{"bad-crc.tar.gz", flip(tgz, len(tgz)-8), 1, findings.MalformedFile, ""},
		{"bad-length.tar.gz", flip(tgz, len(tgz)-2), 1, findings.MalformedFile, ""},
		{"no-trailer.tar.gz", tgz[:len(tgz)-8], 1, findings.MalformedFile, ""},
		{"large-no-trailer.tar.gz", largeTgz[:len(largeTgz)-8], 1, findings.MalformedFile, ""},
		{"large-bad-crc.tar.gz", flip(largeTgz, len(largeTgz)-8), 1, findings.MalformedFile, ""},
		// bzip2's stream CRC sits in the last bytes before the padding.
		{"bad-crc.tar.bz2", flip(tbz, len(tbz)-2), 3, findings.MalformedFile, ""},
		// xz's stream footer: its CRC-32, then a truncated footer.
		{"bad-footer.tar.xz", flip(txz, len(txz)-12), 3, findings.MalformedFile, ""},
		{"no-footer.tar.xz", txz[:len(txz)-12], 3, findings.MalformedFile, ""},
		// zstd's content checksum: the frame's last 4 bytes.
		{"bad-checksum.tar.zst", flip(tzst, len(tzst)-1), 0, findings.MalformedFile, ""},
		{"no-checksum.tar.zst", tzst[:len(tzst)-4], 3, findings.MalformedFile, ""},
		// A zip member whose CRC-32 does not match its bytes: a text
		// file read to its end, and a tar read to its end marker.
		{"bad-crc-text.zip", zipRaw(t, good, map[string]uint32{"notes.txt": 1}), 1,
			findings.ArchiveContainsUnprocessedFiles, "notes.txt"},
		{"bad-crc-tar.zip", zipRaw(t, good, map[string]uint32{"inner.tar": 1}), 2,
			findings.MalformedFile, "inner.tar"},
		// A 7z member's bytes changed in place, its CRC-32 kept.
		{"bad-crc.7z", flip(sevenZip, stored), 0, findings.ArchiveContainsUnprocessedFiles, "notes.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scanFile(t, writeTemp(t, tc.name, tc.data), nil)
			if r.Status != findings.Partial || r.Reason != tc.reason {
				t.Errorf("status %s %s, want PARTIAL %s", r.Status, r.Reason, tc.reason)
			}
			if n := count(r, ssnID); n != tc.values {
				t.Errorf("%d values reported, want %d", n, tc.values)
			}
			if tc.member != "" {
				var found bool
				for _, e := range r.Embedded {
					if e.Path == tc.member {
						found = true
						if e.Status != findings.Partial || e.Reason != findings.MalformedFile {
							t.Errorf("member %s: %s %s, want PARTIAL MALFORMED_FILE", e.Path, e.Status, e.Reason)
						}
					}
				}
				if !found {
					t.Errorf("member %s not listed: %+v", tc.member, r.Embedded)
				}
			}
		})
	}
	// The undamaged inputs are COMPLETE: the check is not a false alarm.
	for name, data := range map[string][]byte{"good.tar.gz": tgz, "good.tar.bz2": tbz, "good.tar.xz": txz,
		"good.tar.zst": tzst, "good.zip": zipRaw(t, good, nil), "good.7z": sevenZip} {
		if r := scanFile(t, writeTemp(t, name, data), nil); r.Status != findings.Complete {
			t.Errorf("%s: %s %s, want COMPLETE", name, r.Status, r.Reason)
		}
	}
}

package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// SniffLen is how many leading bytes Detect looks at.
const SniffLen = 8 << 10

// Encoding of a text stream.
type Encoding int

const (
	UTF8 Encoding = iota
	UTF16LE
	UTF16BE
	Latin1 // Windows-1252, the usual "not UTF-8" single-byte text
)

func (e Encoding) String() string {
	if names := [...]string{"utf-8", "utf-16le", "utf-16be", "windows-1252"}; e >= 0 && int(e) < len(names) {
		return names[e]
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Type is what Detect decided a stream is.
type Type struct {
	// Name is a short format name: "text", or the binary format found by its
	// magic bytes ("zip", "gzip", "pdf", "png", ...), or "binary".
	Name     string
	Text     bool
	Encoding Encoding // meaningful when Text
	// BOM is how many leading bytes are a byte-order mark, to skip.
	BOM int
	// MIME is the media type reported in results (Macie's mimeType).
	MIME string
}

type magicSig struct {
	name   string
	offset int
	sig    string
	mime   string
}

// magic lists binary formats recognised by their leading bytes. Content wins
// over the file name, so a renamed archive is not read as text.
var magic = []magicSig{
	{"zip", 0, "PK\x03\x04", "application/zip"},
	{"zip", 0, "PK\x05\x06", "application/zip"},
	{"gzip", 0, "\x1f\x8b", "application/gzip"},
	{"xz", 0, "\xfd7zXZ\x00", "application/x-xz"},
	{"zstd", 0, "\x28\xb5\x2f\xfd", "application/zstd"},
	{"7z", 0, "7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"},
	{"tar", 257, "ustar", "application/x-tar"},
	// Snappy's framing format and S2's extension of it (stream identifier chunk).
	{"snappy", 0, "\xff\x06\x00\x00sNaPpY", "application/x-snappy-framed"},
	{"snappy", 0, "\xff\x06\x00\x00S2sTwO", "application/x-snappy-framed"},
	{"pdf", 0, "%PDF-", "application/pdf"},
	{"ole2", 0, ole2Magic, "application/x-ole-storage"},
	{"parquet", 0, "PAR1", "application/vnd.apache.parquet"},
	{"avro", 0, "Obj\x01", "application/avro"},
	{"png", 0, "\x89PNG\r\n\x1a\n", "image/png"},
	{"jpeg", 0, "\xff\xd8\xff", "image/jpeg"},
	{"gif", 0, "GIF87a", "image/gif"},
	{"gif", 0, "GIF89a", "image/gif"},
	{"elf", 0, "\x7fELF", "application/x-executable"},
	{"sqlite", 0, "SQLite format 3\x00", "application/vnd.sqlite3"},
}

func init() {
	// bzip2: "BZh", the block size 1–9, then the first block's magic.
	for d := '1'; d <= '9'; d++ {
		magic = append(magic, magicSig{"bzip2", 0, "BZh" + string(d) + "1AY&SY", "application/x-bzip2"})
	}
}

// textMIME maps the extensions of text formats to the media type Macie reports.
var textMIME = map[string]string{
	".txt": "text/plain", ".log": "text/plain", ".md": "text/markdown",
	".csv": "text/csv", ".tsv": "text/tab-separated-values",
	".json": "application/json", ".jsonl": "application/jsonl", ".ndjson": "application/jsonl",
	".xml": "application/xml", ".html": "text/html", ".htm": "text/html",
	".yaml": "application/yaml", ".yml": "application/yaml",
	".xhtml": "application/xhtml+xml", ".svg": "image/svg+xml",
	".eml": MailMIME,
}

// MailMIME is the media type of an e-mail message.
const MailMIME = "message/rfc822"

// Detect decides what a stream is from its first bytes (at most SniffLen)
// and, only when the content does not say, its name.
func Detect(head []byte, name string) Type {
	for _, m := range magic {
		if len(head) >= m.offset+len(m.sig) && string(head[m.offset:m.offset+len(m.sig)]) == m.sig {
			return Type{Name: m.name, MIME: m.mime}
		}
	}
	if isV7Tar(head) {
		return Type{Name: "tar", MIME: "application/x-tar"}
	}
	mime, named := textMIME[strings.ToLower(path.Ext(name))]
	if !named {
		mime = "text/plain"
	}
	if m := sniffMarkup(head); m != "" && mime != "image/svg+xml" && mime != "application/xhtml+xml" {
		mime = m // the content says XML or HTML, whatever the name
	} else if mime == "text/plain" && sniffMail(head) {
		mime = MailMIME
	} else if !named {
		if m := sniffJSON(head); m != "" {
			mime = m // no text format's name, JSON content
		}
	}
	text := Type{Name: "text", Text: true, Encoding: UTF8, MIME: mime}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		text.BOM = 3
		return text
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		text.Encoding, text.BOM = UTF16LE, 2
		return text
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		text.Encoding, text.BOM = UTF16BE, 2
		return text
	}
	if enc, ok := sniffUTF16(head); ok {
		text.Encoding = enc
		return text
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return Type{Name: "binary", MIME: "application/octet-stream"}
	}
	if validUTF8Prefix(head) {
		return text
	}
	// Real single-byte text has next to no control characters; random
	// binary has about 10%.
	if controlRatio(head) > 0.02 {
		return Type{Name: "binary", MIME: "application/octet-stream"}
	}
	text.Encoding = Latin1
	return text
}

// sniffUTF16 recognises BOM-less UTF-16 of mostly ASCII text (Windows logs and
// exports): one byte of each pair is nearly always zero, the other almost never.
func sniffUTF16(head []byte) (Encoding, bool) {
	if len(head) < 8 {
		return 0, false
	}
	var zero [2]int
	n := len(head) &^ 1
	for i := 0; i < n; i++ {
		if head[i] == 0 {
			zero[i&1]++
		}
	}
	pairs := n / 2
	switch {
	case zero[1]*10 >= pairs*9 && zero[0]*20 < pairs:
		return UTF16LE, true
	case zero[0]*10 >= pairs*9 && zero[1]*20 < pairs:
		return UTF16BE, true
	}
	return 0, false
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing the last rune
// to be cut off by the end of the sniffed window. A b shorter than SniffLen
// is the whole stream, so nothing was cut: "caf\xe9" is Latin-1, not UTF-8.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	if len(b) < SniffLen {
		return false
	}
	for cut := 1; cut <= 3 && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) && !utf8.FullRune(b[len(b)-cut:]) {
			return true
		}
	}
	return false
}

// controlRatio is the share of bytes that are control characters other than
// the whitespace text uses.
func controlRatio(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	n := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b {
			n++
		}
	}
	return float64(n) / float64(len(b))
}

// contentStart is head without a UTF-8 byte-order mark and the white
// space after it.
func contentStart(head []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
}

// sniffMarkup recognises an XML or HTML document by its start (after a
// UTF-8 byte-order mark and white space): "<?xml" is XML, "<!DOCTYPE
// html" or "<html" HTML. (Detect keeps a name's XHTML or SVG.)
func sniffMarkup(head []byte) string {
	b := contentStart(head)
	hasPrefixFold := func(p string) bool { return len(b) >= len(p) && strings.EqualFold(string(b[:len(p)]), p) }
	switch {
	case hasPrefixFold("<!doctype html"), hasPrefixFold("<html"):
		return "text/html"
	case hasPrefixFold("<?xml"):
		return "application/xml"
	}
	return ""
}

// sniffMail recognises a message saved without the .eml name: it starts
// with a header that opens messages (as mail stores and clients write
// them) and has a From header and a Subject, Date or MIME-Version one.
func sniffMail(head []byte) bool {
	lower := bytes.ToLower(head)
	starts := false
	for _, h := range []string{"return-path:", "received:", "delivered-to:", "from:", "message-id:", "mime-version:", "date:", "subject:", "to:", "x-"} {
		starts = starts || bytes.HasPrefix(lower, []byte(h))
	}
	has := func(h string) bool {
		return bytes.HasPrefix(lower, []byte(h)) || bytes.Contains(lower, []byte("\n"+h))
	}
	return starts && has("from:") && (has("subject:") || has("date:") || has("mime-version:"))
}

// sniffJSON recognises JSON or JSON Lines content (UTF-8) that has no
// telling name: it starts with '{' or '[' and what was sniffed parses.
// JSON Lines: several lines, each a whole value (the last may be cut by
// the sniffed window). JSON: one value, whole, or cut only by the window.
func sniffJSON(head []byte) string {
	b := contentStart(head)
	if len(b) == 0 || b[0] != '{' && b[0] != '[' {
		return ""
	}
	cut := len(head) >= SniffLen // the stream goes on past the window
	lines := bytes.Split(bytes.TrimRight(b, " \t\r\n"), []byte("\n"))
	if cut && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > 1 {
		whole := 0
		for _, l := range lines {
			if l = bytes.TrimSpace(l); len(l) > 0 && (l[0] == '{' || l[0] == '[') && json.Valid(l) {
				whole++
			}
		}
		if whole == len(lines) {
			return "application/jsonl"
		}
	}
	if validJSONPrefix(b, cut) {
		return "application/json"
	}
	return ""
}

// validJSONPrefix reports whether b is one JSON value, or (cut) the start
// of one.
func validJSONPrefix(b []byte, cut bool) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	depth, tokens := 0, 0
	for {
		tok, err := dec.Token()
		switch {
		case err == nil:
			tokens++
			if d, ok := tok.(json.Delim); ok {
				if d == '{' || d == '[' {
					depth++
				} else {
					depth--
				}
			}
			if depth == 0 {
				// The value is whole; nothing may follow it.
				return len(bytes.TrimSpace(b[dec.InputOffset():])) == 0
			}
			continue
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return cut && tokens > 0
		}
		var se *json.SyntaxError
		return errors.As(err, &se) && cut && se.Offset >= int64(len(b))
	}
}

// isV7Tar reports whether head begins with a tar header without the
// "ustar" magic (Unix V7 tar, which GNU tar still writes on request). Such a
// header is known by its checksum: the sum of its 512 bytes, the checksum
// field counted as spaces, written in octal in that field.
func isV7Tar(head []byte) bool {
	if len(head) < 512 || head[0] == 0 {
		return false
	}
	field := bytes.TrimLeft(head[148:156], " ")
	want, digits := 0, 0
	for _, c := range field {
		if c < '0' || c > '7' {
			break
		}
		want = want*8 + int(c-'0')
		digits++
	}
	if digits == 0 || digits < len(field) && field[digits] != 0 && field[digits] != ' ' {
		return false
	}
	sum := 0
	for i, c := range head[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int(c)
	}
	return sum == want
}

package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"
)

// positions returns, for every offset of text and for len(text), the line
// and column Locate must report there: lines counted by '\n', columns in
// runes from the start of the line, both 1-based. Inside a multi-byte rune
// the column grows by one per byte, as utf8.RuneCount counts a cut rune.
func positions(text []byte) (lines, cols []int) {
	lines = make([]int, len(text)+1)
	cols = make([]int, len(text)+1)
	line, col := 1, 1
	for i := 0; i < len(text); {
		_, size := utf8.DecodeRune(text[i:])
		for k := range size {
			lines[i+k], cols[i+k] = line, col+k
		}
		if text[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	lines[len(text)], cols[len(text)] = line, col
	return lines, cols
}

// token is a value planted in a stream at a known offset.
type token struct {
	off int
	val string
}

// checkSegments runs TextSegments over r, whose decoded form is stream, and
// checks every segment against the whole stream:
//   - Text is a slice of the stream of at most SegmentSize bytes, and the
//     owned ranges follow one another with no gap and no overlap, from the
//     first byte of the stream to the last;
//   - every segment but the first has at least Context bytes before its
//     owned range;
//   - Line and Column of Text[0], and Locate at every owned offset, agree
//     with positions computed on the whole stream (columns only when
//     checkColumns: they are defined in runes, so only for valid UTF-8);
//   - every token starts in exactly one owned range, and is whole in the
//     Text of that segment.
func checkSegments(t *testing.T, stream []byte, r io.Reader, enc Encoding, opt TextOptions, tokens []token, checkColumns bool) {
	t.Helper()
	if err := segmentsError(stream, r, enc, opt, tokens, checkColumns); err != nil {
		t.Fatalf("%+v, %v: %v", opt, enc, err)
	}
}

// segmentsError is checkSegments' check, for use off the test's goroutine.
func segmentsError(stream []byte, r io.Reader, enc Encoding, opt TextOptions, tokens []token, checkColumns bool) error {
	lines, cols := positions(stream)
	found := make([]int, len(tokens))
	var rebuilt []byte // the owned parts, end to end
	pos, calls := 0, 0 // pos: offset in stream where the next owned range must start
	err := TextSegments(r, enc, opt, func(s *Segment) error {
		calls++
		if calls > len(stream)+1 {
			return fmt.Errorf("segment %d: more segments than bytes, no progress", calls)
		}
		if len(s.Text) > opt.SegmentSize {
			return fmt.Errorf("segment %d: %d bytes, SegmentSize %d", calls, len(s.Text), opt.SegmentSize)
		}
		if s.Owned < 0 || s.Owned >= s.OwnedEnd || s.OwnedEnd > len(s.Text) {
			return fmt.Errorf("segment %d: owned [%d, %d) of %d bytes", calls, s.Owned, s.OwnedEnd, len(s.Text))
		}
		base := pos - s.Owned // offset of Text[0] in stream
		if base < 0 || base+len(s.Text) > len(stream) {
			return fmt.Errorf("segment %d: Text at [%d, %d) outside the stream of %d bytes", calls, base, base+len(s.Text), len(stream))
		}
		if !bytes.Equal(s.Text, stream[base:base+len(s.Text)]) {
			return fmt.Errorf("segment %d: Text is not stream[%d:%d]", calls, base, base+len(s.Text))
		}
		if calls == 1 && s.Owned != 0 {
			return fmt.Errorf("first segment owns from %d", s.Owned)
		}
		if calls > 1 && s.Owned < opt.Context {
			return fmt.Errorf("segment %d: %d bytes of look-back, Context %d", calls, s.Owned, opt.Context)
		}
		if s.Line != lines[base] || (checkColumns && s.Column != cols[base]) {
			return fmt.Errorf("segment %d at %d: Line, Column %d, %d, want %d, %d", calls, base, s.Line, s.Column, lines[base], cols[base])
		}
		for o := s.Owned; o < s.OwnedEnd; o++ {
			end := min(len(s.Text), o+1+o%23) // spans of varied length, some over lines
			got := s.Locate(o, end)
			want := LineRange{lines[base+o], lines[base+end-1], cols[base+o]}
			if !checkColumns {
				got.StartColumn, want.StartColumn = 0, 0
			}
			if got != want {
				return fmt.Errorf("segment %d: Locate(%d, %d) (stream offset %d) = %+v, want %+v", calls, o, end, base+o, got, want)
			}
		}
		for i, tok := range tokens {
			if tok.off < base+s.Owned || tok.off >= base+s.OwnedEnd {
				continue
			}
			found[i]++
			at := tok.off - base
			if at+len(tok.val) > len(s.Text) || string(s.Text[at:at+len(tok.val)]) != tok.val {
				return fmt.Errorf("segment %d owns token %d (%d bytes at %d) but does not hold it whole", calls, i, len(tok.val), tok.off)
			}
		}
		rebuilt = append(rebuilt, s.Text[s.Owned:s.OwnedEnd]...)
		pos = base + s.OwnedEnd
		return nil
	})
	if err != nil {
		return err
	}
	if !bytes.Equal(rebuilt, stream) {
		return fmt.Errorf("owned parts make %d bytes that are not the stream's %d", len(rebuilt), len(stream))
	}
	if pos != len(stream) {
		return fmt.Errorf("owned ranges end at %d, stream has %d bytes", pos, len(stream))
	}
	if len(stream) == 0 && calls != 0 {
		return fmt.Errorf("empty stream gave %d segments", calls)
	}
	for i, n := range found {
		if n != 1 {
			return fmt.Errorf("token %d at %d owned by %d segments", i, tokens[i].off, n)
		}
	}
	return nil
}

// A textKind makes random text piece by piece, so tokens can be planted
// between pieces.
type textKind struct {
	name  string
	piece func(r *rand.Rand) string
	scale int // text length, in SegmentSizes, at most
}

const (
	asciiChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-_=+/()"
)

// Runes of 1 to 4 bytes, with the characters that make line handling hard.
var mixedRunes = []rune("aZ9 ,é ßøÑ€中文日本語𝄞😀\u00a0\u200b\t\r")

func word(r *rand.Rand, runes []rune, max int) string {
	var b strings.Builder
	for range 1 + r.IntN(max) {
		b.WriteRune(runes[r.IntN(len(runes))])
	}
	return b.String()
}

var textKinds = []textKind{
	{"ascii", func(r *rand.Rand) string {
		return word(r, []rune(asciiChars), 12) + []string{" ", " ", " ", "\n"}[r.IntN(4)]
	}, 4},
	{"utf8", func(r *rand.Rand) string {
		return word(r, mixedRunes, 8) + []string{" ", " ", "\n"}[r.IntN(3)]
	}, 4},
	{"crlf", func(r *rand.Rand) string {
		return word(r, mixedRunes, 10) + []string{" ", "\r\n"}[r.IntN(2)]
	}, 4},
	{"long line", func(r *rand.Rand) string {
		return word(r, mixedRunes, 16) + " "
	}, 6},
	{"ascii long line", func(r *rand.Rand) string {
		return word(r, []rune(asciiChars), 40)
	}, 6},
	{"short lines", func(r *rand.Rand) string {
		if r.IntN(3) == 0 {
			return "\n"
		}
		return word(r, mixedRunes, 3) + "\n"
	}, 4},
	{"four-byte runes only", func(r *rand.Rand) string {
		return word(r, []rune("𝄞😀𠜎"), 5)
	}, 4},
}

// makeText builds up to n bytes of kind's text with tokens planted in it,
// each at most maxTok bytes long.
func makeText(r *rand.Rand, kind textKind, n, maxTok int) ([]byte, []token) {
	var b []byte
	var toks []token
	for len(b) < n {
		if r.IntN(8) == 0 {
			l := 1 + r.IntN(maxTok)
			val := strings.Repeat(fmt.Sprintf("<%d>", len(toks)), l)[:l]
			toks = append(toks, token{len(b), val})
			b = append(b, val...)
			continue
		}
		b = append(b, kind.piece(r)...)
	}
	return b, toks
}

// readers hand the same bytes over in different chunkings.
var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one byte", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"data with EOF", iotest.DataErrReader},
}

func randomOptions(r *rand.Rand) TextOptions {
	o := TextOptions{Overlap: 8 + r.IntN(57), Context: 4 + r.IntN(29)}
	least := o.Overlap + o.Context + minOwned + 1
	if r.IntN(4) == 0 {
		o.SegmentSize = least + r.IntN(8) // as tight as allowed
	} else {
		o.SegmentSize = max(64, least) + r.IntN(4096-max(64, least)+1)
	}
	return o
}

func TestTextSegmentsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 7))
	cases := 150
	if testing.Short() {
		cases = 15
	}
	for _, kind := range textKinds {
		t.Run(kind.name, func(t *testing.T) {
			for i := range cases {
				opt := randomOptions(r)
				n := r.IntN(kind.scale*opt.SegmentSize + 1)
				if opt.SegmentSize > 1024 {
					n = min(n, 3*opt.SegmentSize) // Locate at every offset of a long line is quadratic
				}
				text, toks := makeText(r, kind, n, opt.Overlap)
				rd := readers[i%len(readers)]
				t.Logf("case %d: %+v, %d bytes, %s reader", i, opt, len(text), rd.name)
				checkSegments(t, text, rd.wrap(bytes.NewReader(text)), UTF8, opt, toks, true)
			}
		})
	}
}

// Edge options: no overlap, no context, the smallest SegmentSize allowed,
// and tokens as long as the overlap.
func TestTextSegmentsEdgeOptions(t *testing.T) {
	opts := []TextOptions{
		{SegmentSize: minOwned + 1},
		{SegmentSize: minOwned + 2, Overlap: 1},
		{SegmentSize: minOwned + 2, Context: 1},
		{SegmentSize: 10, Overlap: 3},
		{SegmentSize: 16, Overlap: 4, Context: 5},
		{SegmentSize: 64, Overlap: 32, Context: 25},
		{SegmentSize: 64, Overlap: 0, Context: 57},
		{SegmentSize: 64, Overlap: 57, Context: 0},
	}
	r := rand.New(rand.NewPCG(99, 1))
	for _, opt := range opts {
		for _, kind := range textKinds {
			t.Run(fmt.Sprintf("%d-%d-%d/%s", opt.SegmentSize, opt.Overlap, opt.Context, kind.name), func(t *testing.T) {
				for i := range 5 {
					text, toks := makeText(r, kind, r.IntN(20*opt.SegmentSize), max(1, opt.Overlap))
					if opt.Overlap == 0 {
						toks = nil // no token is guaranteed whole without overlap
					}
					rd := readers[i%len(readers)]
					checkSegments(t, text, rd.wrap(bytes.NewReader(text)), UTF8, opt, toks, true)
				}
			})
		}
	}
}

// Streams whose length is exactly one, two or more buffers, so the last
// read returns nothing.
func TestTextSegmentsExactBufferLengths(t *testing.T) {
	opt := TextOptions{SegmentSize: 32, Overlap: 8, Context: 4}
	for _, n := range []int{0, 1, 31, 32, 33, 52, 64, 72, 96, 1000} {
		text := []byte(strings.Repeat("0123456789\n", n/11+1)[:n])
		for _, rd := range readers {
			t.Run(fmt.Sprintf("%d/%s", n, rd.name), func(t *testing.T) {
				checkSegments(t, text, rd.wrap(bytes.NewReader(text)), UTF8, opt, nil, true)
			})
		}
	}
}

func TestTextSegmentsEncodings(t *testing.T) {
	const text = "héllo wörld\r\nzweite Zeile — 𝄞 ok\n\nlast: 中文 end"
	small := TextOptions{SegmentSize: 24, Overlap: 6, Context: 3}
	tests := []struct {
		name  string
		input []byte
		enc   Encoding
		want  string
	}{
		{"utf-16le", utf16Bytes(text, false), UTF16LE, text},
		{"utf-16be", utf16Bytes(text, true), UTF16BE, text},
		{"latin-1 café", []byte("caf\xe9"), Latin1, "café"},
		{"latin-1 lines", []byte("Num\xe9ro\r\nS\xe3o Paulo\r\n\xc0 bient\xf4t"), Latin1, "Numéro\r\nSão Paulo\r\nÀ bientôt"},
		{"windows-1252 specials", []byte("\x93quoted\x94 \x80 5 \x85"), Latin1, "“quoted” € 5 …"},
		{"utf-8 crlf", []byte("one\r\ntwo\r\n\r\nfour"), UTF8, "one\r\ntwo\r\n\r\nfour"},
		{"utf-8 invalid bytes pass through", []byte("ok \xff\xfe x\xc3(\n\xe2\x82 \xed\xa0\x80 end\xf0\x9f"), UTF8, "ok \xff\xfe x\xc3(\n\xe2\x82 \xed\xa0\x80 end\xf0\x9f"},
		{"utf-16le odd byte at end", append(utf16Bytes("ab", false), 'c'), UTF16LE, "ab\ufffd"},
		{"utf-16le lone surrogate", []byte("a\x00\x00\xd8b\x00"), UTF16LE, "a\ufffdb"},
	}
	for _, tc := range tests {
		for _, opt := range []TextOptions{small, DefaultTextOptions} {
			for _, rd := range readers {
				t.Run(fmt.Sprintf("%s/%d/%s", tc.name, opt.SegmentSize, rd.name), func(t *testing.T) {
					checkSegments(t, []byte(tc.want), rd.wrap(bytes.NewReader(tc.input)), tc.enc, opt, nil, utf8.ValidString(tc.want))
				})
			}
		}
	}
}

// Line and column of known characters, as Macie reports them, in each
// encoding: what a user sees in an editor.
func TestTextSegmentsLocateInEncodings(t *testing.T) {
	const text = "first line\r\nsecond: café 𝄞 target\r\nthird"
	inputs := []struct {
		enc   Encoding
		input []byte
	}{
		{UTF8, []byte(text)},
		{UTF16LE, utf16Bytes(text, false)},
		{UTF16BE, utf16Bytes(text, true)},
	}
	for _, in := range inputs {
		t.Run(in.enc.String(), func(t *testing.T) {
			var got []LineRange
			err := TextSegments(bytes.NewReader(in.input), in.enc, DefaultTextOptions, func(s *Segment) error {
				for _, w := range []string{"first", "target", "third"} {
					i := bytes.Index(s.Text, []byte(w))
					got = append(got, s.Locate(i, i+len(w)))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []LineRange{{1, 1, 1}, {2, 2, 16}, {3, 3, 1}}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestTextSegmentsOptions(t *testing.T) {
	tests := []struct {
		opt TextOptions
		ok  bool
	}{
		{DefaultTextOptions, true},
		{TextOptions{SegmentSize: 7}, true},
		{TextOptions{SegmentSize: 6}, false},
		{TextOptions{SegmentSize: 0}, false},
		{TextOptions{SegmentSize: -1}, false},
		{TextOptions{SegmentSize: 64, Overlap: 32, Context: 25}, true},
		{TextOptions{SegmentSize: 64, Overlap: 32, Context: 26}, false}, // too little room to cut at rune starts
		{TextOptions{SegmentSize: 64, Overlap: 32, Context: 31}, false}, // was accepted, and could loop or panic
		{TextOptions{SegmentSize: 64, Overlap: 32, Context: 32}, false},
		{TextOptions{SegmentSize: 64, Overlap: 64}, false},
		{TextOptions{SegmentSize: 64, Overlap: -1}, false},
		{TextOptions{SegmentSize: 64, Context: -1}, false},
		{TextOptions{SegmentSize: 64, Overlap: 1 << 62, Context: 1 << 62}, false}, // the sum overflows
		{TextOptions{SegmentSize: 64, Overlap: 1<<63 - 1, Context: 1}, false},
		{TextOptions{SegmentSize: -1 << 63, Overlap: 1}, false},
	}
	for _, tc := range tests {
		called := false
		err := TextSegments(strings.NewReader("some text"), UTF8, tc.opt, func(*Segment) error { called = true; return nil })
		if tc.ok && err != nil {
			t.Errorf("%+v: %v", tc.opt, err)
		}
		if !tc.ok && (!errors.Is(err, errBadOptions) || called) {
			t.Errorf("%+v: err %v, called %v; want errBadOptions and no segment", tc.opt, err, called)
		}
	}
}

// With the smallest gap the options allow, a stream of 4-byte runes makes
// both cuts back up as far as they can; it must neither loop nor panic.
func TestTextSegmentsTightOptionsTerminate(t *testing.T) {
	text := []byte("aaa" + strings.Repeat("𝄞", 200) + "€€€" + strings.Repeat("😀b", 100))
	for o := 0; o <= 8; o++ {
		for c := 0; c <= 8; c++ {
			opt := TextOptions{SegmentSize: o + c + minOwned + 1, Overlap: o, Context: c}
			for shift := range 4 {
				done := make(chan error, 1)
				go func() {
					done <- segmentsError(text[shift:], bytes.NewReader(text[shift:]), UTF8, opt, nil, true)
				}()
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("%+v, shift %d: %v", opt, shift, err)
					}
				case <-time.After(10 * time.Second):
					t.Fatalf("%+v: TextSegments does not end", opt)
				}
			}
		}
	}
}

func TestTextSegmentsErrors(t *testing.T) {
	opt := TextOptions{SegmentSize: 32, Overlap: 8, Context: 4}
	long := strings.Repeat("0123456789", 20)

	t.Run("fn error stops the scan", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := TextSegments(strings.NewReader(long), UTF8, opt, func(*Segment) error {
			calls++
			if calls == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 2 {
			t.Errorf("err %v after %d calls, want stop after 2", err, calls)
		}
	})
	t.Run("fn error on the last segment", func(t *testing.T) {
		stop := errors.New("stop")
		err := TextSegments(strings.NewReader("short"), UTF8, opt, func(*Segment) error { return stop })
		if !errors.Is(err, stop) {
			t.Errorf("err %v, want stop", err)
		}
	})
	t.Run("read error", func(t *testing.T) {
		bad := errors.New("disk on fire")
		calls := 0
		r := io.MultiReader(strings.NewReader(long), iotest.ErrReader(bad))
		err := TextSegments(r, UTF8, opt, func(*Segment) error { calls++; return nil })
		if !errors.Is(err, bad) || !strings.HasPrefix(err.Error(), "read text:") {
			t.Errorf("err %v, want a wrapped read error", err)
		}
		if calls == 0 {
			t.Errorf("no segment before the error")
		}
	})
	t.Run("read error in a decoder", func(t *testing.T) {
		bad := errors.New("disk on fire")
		for _, enc := range []Encoding{UTF16LE, UTF16BE, Latin1} {
			err := TextSegments(iotest.ErrReader(bad), enc, opt, func(*Segment) error { return nil })
			if !errors.Is(err, bad) {
				t.Errorf("%v: err %v, want a wrapped read error", enc, err)
			}
		}
	})
	t.Run("empty stream", func(t *testing.T) {
		for _, enc := range []Encoding{UTF8, UTF16LE, UTF16BE, Latin1} {
			err := TextSegments(strings.NewReader(""), enc, opt, func(*Segment) error {
				t.Errorf("%v: segment from an empty stream", enc)
				return nil
			})
			if err != nil {
				t.Errorf("%v: %v", enc, err)
			}
		}
	})
}

// pattern is one line's worth of runes of 1, 2, 3 and 4 bytes.
const pattern = "aé€𝄞"

// patternReader yields n bytes of pattern repeated, with no newline, made on
// the fly.
type patternReader struct{ off, n int }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(len(b), p.n-p.off)]
	for i := 0; i < len(b); {
		k := copy(b[i:], pattern[(p.off+i)%len(pattern):])
		i += k
	}
	p.off += len(b)
	return len(b), nil
}

// runesBefore is how many runes pattern-repeated text has before offset off,
// a rune start.
func runesBefore(off int) int {
	return off/len(pattern)*utf8.RuneCountInString(pattern) + utf8.RuneCountInString(pattern[:off%len(pattern)])
}

// A 200 MB file of one line goes through in segments of bounded size, with
// the column of each segment's start counted from the start of the line.
func TestTextSegmentsHugeLineBoundedMemory(t *testing.T) {
	size := 200 << 20
	if testing.Short() {
		size = 20 << 20
	}
	if size%len(pattern) != 0 {
		t.Fatalf("size %d is not whole patterns", size)
	}
	opt := DefaultTextOptions
	// ref holds the pattern from each of its offsets for a whole segment.
	ref := []byte(strings.Repeat(pattern, opt.SegmentSize/len(pattern)+2))

	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	start := time.Now()
	var owned, calls, lastLine, lastCol, lastBase int
	pos := 0
	err := TextSegments(&patternReader{n: size}, UTF8, opt, func(s *Segment) error {
		calls++
		if len(s.Text) > opt.SegmentSize {
			return fmt.Errorf("segment %d: %d bytes", calls, len(s.Text))
		}
		base := pos - s.Owned
		if s.Line != 1 || s.Column != runesBefore(base)+1 {
			return fmt.Errorf("segment %d at %d: line %d column %d, want 1, %d", calls, base, s.Line, s.Column, runesBefore(base)+1)
		}
		if r := ref[base%len(pattern):]; !bytes.Equal(s.Text, r[:len(s.Text)]) {
			return fmt.Errorf("segment %d at %d: wrong text", calls, base)
		}
		// The last character owned, as a detection there would be located.
		last := runeStart(s.Text, s.OwnedEnd-1)
		if lr, want := s.Locate(last, last+1), (LineRange{1, 1, runesBefore(base+last) + 1}); lr != want {
			return fmt.Errorf("segment %d: Locate(%d) = %+v, want %+v", calls, last, lr, want)
		}
		owned += s.OwnedEnd - s.Owned
		pos = base + s.OwnedEnd
		lastLine, lastCol, lastBase = s.Line, s.Column, base
		if calls%16 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	t.Logf("%d MB in %d segments, %v, peak heap in use %.1f MB", size>>20, calls, elapsed, float64(peak)/(1<<20))

	if owned != size {
		t.Errorf("owned bytes %d, want %d", owned, size)
	}
	// The last segment starts len(Text) bytes before the end, all on line 1.
	if want := runesBefore(lastBase) + 1; lastLine != 1 || lastCol != want {
		t.Errorf("last segment at line %d column %d, want line 1 column %d", lastLine, lastCol, want)
	}
	if lastBase+opt.SegmentSize < size {
		t.Errorf("last segment starts at %d, more than a segment before the end %d", lastBase, size)
	}
	if peak > 50<<20 {
		t.Errorf("heap in use reached %.1f MB", float64(peak)/(1<<20))
	}
}

func FuzzTextSegments(f *testing.F) {
	f.Add([]byte("hello world"), uint16(16), uint8(4), uint8(2), uint8(0))
	f.Add([]byte("line one\r\nline two\r\n\r\nline four"), uint16(7), uint8(0), uint8(0), uint8(0))
	f.Add([]byte("aaa"+strings.Repeat("𝄞", 20)), uint16(17), uint8(4), uint8(6), uint8(0))
	f.Add([]byte("caf\xe9 \x93ok\x94\n"), uint16(9), uint8(1), uint8(1), uint8(3))
	f.Add(utf16Bytes("héllo\r\nwörld 𝄞", false), uint16(12), uint8(2), uint8(1), uint8(1))
	f.Add(utf16Bytes("héllo\r\nwörld 𝄞", true), uint16(12), uint8(2), uint8(1), uint8(2))
	f.Add([]byte("ok \xff\xfe x\xc3(\n\xe2\x82 \xed\xa0\x80 end\xf0\x9f"), uint16(10), uint8(2), uint8(1), uint8(0))
	f.Add([]byte(strings.Repeat("€", 30)), uint16(10), uint8(4), uint8(4), uint8(0)) // looped before the options check
	f.Fuzz(func(t *testing.T, data []byte, size uint16, overlap, context, enc uint8) {
		opt := TextOptions{SegmentSize: int(size % 1024), Overlap: int(overlap % 128), Context: int(context % 128)}
		e := Encoding(enc % 4)
		valid := opt.SegmentSize > opt.Overlap+opt.Context+minOwned
		if !valid {
			err := TextSegments(bytes.NewReader(data), e, opt, func(*Segment) error {
				t.Fatal("segment with bad options")
				return nil
			})
			if !errors.Is(err, errBadOptions) {
				t.Fatalf("%+v: err %v, want errBadOptions", opt, err)
			}
			return
		}
		stream := data
		if e != UTF8 {
			var err error
			if stream, err = io.ReadAll(decoder(bytes.NewReader(data), e)); err != nil {
				t.Fatal(err)
			}
		}
		checkSegments(t, stream, bytes.NewReader(data), e, opt, nil, utf8.Valid(stream))
	})
}

func BenchmarkTextSegments(b *testing.B) {
	text := bytes.Repeat([]byte("Lorem ipsum dolor sit amet, café 中文 𝄞\n"), 100000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		TextSegments(bytes.NewReader(text), UTF8, DefaultTextOptions, func(*Segment) error { return nil })
	}
}

func BenchmarkDetect(b *testing.B) {
	head := bytes.Repeat([]byte("Lorem ipsum dolor sit amet, café\n"), SniffLen/33+1)[:SniffLen]
	for b.Loop() {
		Detect(head, "a.txt")
	}
}

package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// TextOptions bound how text is cut into segments.
type TextOptions struct {
	// SegmentSize is the largest segment handed to the matcher.
	SegmentSize int
	// Overlap is how many bytes at the end of a segment are scanned again at
	// the start of the next one, so that a value up to Overlap bytes long is
	// never lost at a boundary.
	Overlap int
	// Context is how many extra bytes before the overlap the next segment
	// carries, so keyword proximity and word boundaries look back correctly.
	Context int
}

// DefaultTextOptions suit files of any size: 1 MiB segments keep memory
// flat; a 16 KiB overlap is longer than any managed identifier's value
// (the longest, a private key block, is a few KiB).
var DefaultTextOptions = TextOptions{SegmentSize: 1 << 20, Overlap: 16 << 10, Context: 1 << 10}

// minScaledSegment is the least size scaledTextOptions scales to: below
// it, a quarter of overlap and a sixteenth of context could leave a cut
// segment no owned bytes.
const minScaledSegment = 64

// scaledTextOptions scales DefaultTextOptions down to segments of size
// bytes (at least minScaledSegment), so that every cut segment still owns
// some bytes. The office, PDF, CSV and spreadsheet extractors cut text and
// cells so.
func scaledTextOptions(size int) TextOptions {
	size = max(size, minScaledSegment)
	return TextOptions{
		SegmentSize: size,
		Overlap:     min(DefaultTextOptions.Overlap, size/4),
		Context:     min(DefaultTextOptions.Context, size/16),
	}
}

// initialSegmentBuffer is TextSegments' first buffer size.
const initialSegmentBuffer = 64 << 10

// minOwned is how far SegmentSize must exceed Overlap+Context: cutting at
// rune starts moves each of the two cuts back by up to utf8.UTFMax-1 bytes,
// and every segment must still own at least one byte, or the loop would
// never end (or slice before the buffer).
const minOwned = 2 * (utf8.UTFMax - 1)

var errBadOptions = errors.New("formats: SegmentSize must exceed Overlap+Context by more than 6")

// TextSegments reads text in the given encoding from r and calls fn with each
// segment in order. The segment's Text is only valid during the call.
// Memory is bounded by SegmentSize whatever the length of r or of its lines.
func TextSegments(r io.Reader, enc Encoding, opt TextOptions, fn func(*Segment) error) error {
	// Written so that no sum can overflow: SegmentSize > Overlap+Context+minOwned.
	if opt.Overlap < 0 || opt.Context < 0 || opt.SegmentSize <= minOwned ||
		opt.Overlap >= opt.SegmentSize-minOwned || opt.Context >= opt.SegmentSize-minOwned-opt.Overlap {
		return errBadOptions
	}
	r = decoder(r, enc)
	// The buffer starts small and doubles up to SegmentSize, so a small
	// object (most of a bucket) does not cost a SegmentSize allocation;
	// segments are cut where they would be with a full-size buffer.
	buf := make([]byte, min(opt.SegmentSize, initialSegmentBuffer))
	seg := Segment{Line: 1, Column: 1}
	n := 0     // bytes of buf in use
	owned := 0 // start of the owned part of buf
	for {
		m, err := io.ReadFull(r, buf[n:])
		n += m
		if err == nil && len(buf) < opt.SegmentSize {
			buf = append(buf, make([]byte, min(len(buf), opt.SegmentSize-len(buf)))...)
			continue
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if n == owned {
				return nil
			}
			seg.Text, seg.Owned, seg.OwnedEnd, seg.lineStarts = buf[:n], owned, n, nil
			return fn(&seg)
		}
		if err != nil {
			return fmt.Errorf("read text: %w", err)
		}
		// The buffer is full. Matches starting in the last Overlap bytes are
		// left to the next segment, which sees them with Context bytes before.
		cut := runeStart(buf, len(buf)-opt.Overlap)
		seg.Text, seg.Owned, seg.OwnedEnd, seg.lineStarts = buf, owned, cut, nil
		if err := fn(&seg); err != nil {
			return err
		}
		keep := runeStart(buf, cut-opt.Context)
		advance(&seg, buf[:keep])
		n = copy(buf, buf[keep:])
		owned = cut - keep
	}
}

// advance moves the segment's start position past dropped bytes.
func advance(seg *Segment, dropped []byte) {
	if nl := bytes.Count(dropped, []byte{'\n'}); nl > 0 {
		seg.Line += nl
		last := bytes.LastIndexByte(dropped, '\n')
		seg.Column = 1 + utf8.RuneCount(dropped[last+1:])
	} else {
		seg.Column += utf8.RuneCount(dropped)
	}
}

// runeStart backs i up to the start of the UTF-8 sequence it falls in. At
// len(b) (no overlap) it backs up over a last rune that b cuts short.
func runeStart(b []byte, i int) int {
	if i == len(b) && i > 0 {
		if j := runeStart(b, i-1); !utf8.FullRune(b[j:]) {
			return j
		}
		return i
	}
	for j := 0; j < utf8.UTFMax-1 && i > 0 && i < len(b) && !utf8.RuneStart(b[i]); j++ {
		i--
	}
	return i
}

// Decode turns a text stream in enc into UTF-8, for extractors that read
// structured text.
func Decode(r io.Reader, enc Encoding) io.Reader { return decoder(r, enc) }

// decoder turns r into UTF-8.
func decoder(r io.Reader, enc Encoding) io.Reader {
	switch enc {
	case UTF16LE:
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case UTF16BE:
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	case Latin1:
		return transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	return r
}

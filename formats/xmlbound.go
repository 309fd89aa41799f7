package formats

import (
	"fmt"
	"io"
)

// xmlMaxRun bounds what encoding/xml holds for one token of a document
// part. The decoder reads a run of text, a tag (its name and attributes),
// a comment or a CDATA section whole, and copies it more than once: a
// stored 128 MiB DOCX whose one w:t held 128 MiB of text peaked at
// 394 MiB, one whose tag name did at 535 MiB.
const xmlMaxRun = 1 << 20

// xmlSplit is put into a long run of text so that the decoder returns it
// in pieces: an empty comment, which the extractors skip.
const xmlSplit = "<!---->"

// boundedXML passes a part's XML to encoding/xml in bounded tokens: a run
// of text longer than xmlMaxRun is split with an empty comment (never
// within an entity reference), and anything between '<' and '>' longer
// than that fails with ErrTooLarge after what came before.
type boundedXML struct {
	r      io.Reader
	raw    [32 << 10]byte
	buf    []byte // read from r, not passed on yet
	split  string // what to pass on before buf
	inTag  bool
	entity bool // inside "&...;"
	run    int  // bytes since the last '<' or '>'
	err    error
}

func newBoundedXML(r io.Reader) *boundedXML { return &boundedXML{r: r} }

func (b *boundedXML) Read(p []byte) (int, error) {
	if b.split != "" {
		n := copy(p, b.split)
		b.split = b.split[n:]
		return n, nil
	}
	if len(b.buf) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		n, err := b.r.Read(b.raw[:])
		b.buf, b.err = b.raw[:n], err
		if n == 0 {
			return 0, err
		}
	}
	n := 0
	for n < len(p) && n < len(b.buf) {
		c := b.buf[n]
		n++
		switch {
		case c == '<':
			b.inTag, b.run, b.entity = true, 0, false
			continue
		case c == '>':
			b.inTag, b.run = false, 0
			continue
		case !b.inTag && c == '&':
			b.entity = true
		case !b.inTag && c == ';':
			b.entity = false
		}
		b.run++
		if b.run < xmlMaxRun {
			continue
		}
		if b.inTag {
			b.err = fmt.Errorf("%w: an XML tag, comment or CDATA section over %d bytes", ErrTooLarge, xmlMaxRun)
			m := copy(p, b.buf[:n])
			b.buf = nil
			return m, b.err
		}
		// An entity reference is a few bytes; an '&' that a long run
		// follows without ';' is not one (the decoder will say so).
		if !b.entity || b.run >= xmlMaxRun+64 {
			b.split, b.run, b.entity = xmlSplit, 0, false
			break
		}
	}
	copy(p, b.buf[:n])
	b.buf = b.buf[n:]
	return n, nil
}

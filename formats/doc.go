package formats

import (
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DOCSegments reads the text of a legacy Word 97–2003 document (the
// "WordDocument" stream of an OLE2 file) and calls fn with plain-text
// segments located by lines, as DocumentSegments does for DOCX: a
// paragraph, table cell or line break ends a line.
//
// The text is found the way [MS-DOC] says: the FIB names the table stream
// (0Table or 1Table) and the place of the CLX in it; the CLX's piece table
// maps the document's characters, body then footnotes, headers and
// footers, comments, endnotes and text boxes, to runs of the WordDocument
// stream stored as UTF-16 or as 8-bit Windows-1252. Field instructions
// (between a field's begin and separator marks) are dropped, their results
// kept. A document saved with a password (the FIB's fEncrypted flag)
// returns ErrEncrypted; a broken one an error wrapping ErrMalformed. The
// text is read piece by piece, so memory holds one segment.
func DOCSegments(ra io.ReaderAt, size int64, opt OfficeOptions, fn func(*Segment) error) error {
	opt = opt.withDefaults()
	streams, err := cfbStreams(ra, "WordDocument", "0Table", "1Table")
	if err != nil {
		return err
	}
	wd := streams["WordDocument"]
	if wd == nil {
		return fmt.Errorf("%w: doc: no WordDocument stream", ErrMalformed)
	}
	word := streamReader{wd}
	fib := make([]byte, 0x01AA)
	if _, err := word.ReadAt(fib, 0); err != nil {
		return fmt.Errorf("%w: doc: short FIB", ErrMalformed)
	}
	if binary.LittleEndian.Uint16(fib) != 0xA5EC {
		return fmt.Errorf("%w: doc: not a Word 97 FIB", ErrMalformed)
	}
	flags := binary.LittleEndian.Uint16(fib[0x0A:])
	if flags&0x0100 != 0 {
		return fmt.Errorf("doc: %w", ErrEncrypted)
	}
	tableName := "0Table"
	if flags&0x0200 != 0 {
		tableName = "1Table"
	}
	tbl := streams[tableName]
	if tbl == nil {
		return fmt.Errorf("%w: doc: no table stream", ErrMalformed)
	}
	fcClx, lcbClx := int64(binary.LittleEndian.Uint32(fib[0x01A2:])), int64(binary.LittleEndian.Uint32(fib[0x01A6:]))
	if lcbClx <= 0 || lcbClx > tbl.Size || fcClx > tbl.Size-lcbClx {
		return fmt.Errorf("%w: doc: CLX out of the table stream", ErrMalformed)
	}
	clx := make([]byte, lcbClx)
	if _, err := (streamReader{tbl}).ReadAt(clx, fcClx); err != nil {
		return fmt.Errorf("%w: doc: short CLX", ErrMalformed)
	}
	pieces, err := pieceTable(clx)
	if err != nil {
		return err
	}
	d := &wordText{word: word, size: wd.Size, pieces: pieces}
	return extractedText(d, opt.SegmentSize, &d.err, fn)
}

// docPiece is a run of characters stored at fc in the WordDocument stream.
type docPiece struct {
	chars      int64
	fc         int64
	compressed bool
}

// pieceTable reads the CLX: Prc entries (formatting, skipped) then the
// Pcdt with its PlcPcd: n+1 character positions and n piece descriptors.
func pieceTable(clx []byte) ([]docPiece, error) {
	bad := fmt.Errorf("%w: doc: bad piece table", ErrMalformed)
	for len(clx) > 0 && clx[0] == 0x01 {
		if len(clx) < 3 {
			return nil, bad
		}
		n := int(int16(binary.LittleEndian.Uint16(clx[1:])))
		if n < 0 || 3+n > len(clx) {
			return nil, bad
		}
		clx = clx[3+n:]
	}
	if len(clx) < 5 || clx[0] != 0x02 {
		return nil, bad
	}
	lcb := int(binary.LittleEndian.Uint32(clx[1:]))
	plc := clx[5:]
	if lcb > len(plc) || lcb < 4 || (lcb-4)%12 != 0 {
		return nil, bad
	}
	n := (lcb - 4) / 12
	cps, pcds := plc[:4*(n+1)], plc[4*(n+1):lcb]
	pieces := make([]docPiece, 0, n)
	for i := 0; i < n; i++ {
		start, end := binary.LittleEndian.Uint32(cps[4*i:]), binary.LittleEndian.Uint32(cps[4*i+4:])
		if end < start {
			return nil, bad
		}
		fc := binary.LittleEndian.Uint32(pcds[8*i+2:])
		p := docPiece{chars: int64(end - start), fc: int64(fc & 0x3FFFFFFF), compressed: fc&0x40000000 != 0}
		if p.compressed {
			p.fc /= 2
		}
		pieces = append(pieces, p)
	}
	return pieces, nil
}

// wordText is an io.Reader over a document's text, piece by piece.
type wordText struct {
	word   io.ReaderAt
	size   int64
	pieces []docPiece
	next   int   // the piece being read
	done   int64 // characters of it already read
	field  []bool
	raw    []byte
	out    []byte
	err    error
}

// docReadChars is how many characters are read from the stream at once.
const docReadChars = 16 << 10

var cp1252 = charmap.Windows1252

func (d *wordText) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.next >= len(d.pieces) {
			return 0, io.EOF
		}
		pc := d.pieces[d.next]
		n := min(pc.chars-d.done, docReadChars)
		width := int64(2)
		if pc.compressed {
			width = 1
		}
		off := pc.fc + d.done*width
		if off < 0 || off > d.size || n*width > d.size-off {
			d.err = fmt.Errorf("%w: doc: piece outside the stream", ErrMalformed)
			return 0, d.err
		}
		d.raw = append(d.raw[:0], make([]byte, n*width)...)
		if _, err := d.word.ReadAt(d.raw, off); err != nil && err != io.EOF {
			d.err = fmt.Errorf("%w: doc: short piece", ErrMalformed)
			return 0, d.err
		}
		if d.done += n; d.done >= pc.chars {
			d.next, d.done = d.next+1, 0
		}
		if pc.compressed {
			for _, c := range d.raw {
				d.char(cp1252.DecodeByte(c))
			}
			continue
		}
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(d.raw[2*i:])
		}
		for _, r := range utf16.Decode(u) {
			d.char(r)
		}
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// char adds one character of the document, turning Word's marks into
// line ends and dropping field instructions and object anchors.
func (d *wordText) char(r rune) {
	switch r {
	case 0x13: // field begin: its instructions follow
		if len(d.field) < 64 {
			d.field = append(d.field, true)
		}
		return
	case 0x14: // field separator: its result follows
		if len(d.field) > 0 {
			d.field[len(d.field)-1] = false
		}
		return
	case 0x15: // field end
		if len(d.field) > 0 {
			d.field = d.field[:len(d.field)-1]
		}
		return
	}
	if len(d.field) > 0 && d.field[len(d.field)-1] {
		return
	}
	switch {
	case r == '\r' || r == 0x07 || r == 0x0B || r == 0x0C || r == '\n':
		// Paragraph, cell or row end, line break, page or section break.
		d.out = append(d.out, '\n')
	case r == 0x1E:
		d.out = append(d.out, '-') // non-breaking hyphen
	case r == '\t' || r >= 0x20:
		d.out = utf8.AppendRune(d.out, r)
	}
}

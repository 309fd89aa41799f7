package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ErrMalformed marks a file whose syntax broke part-way: everything before
// the break was delivered, so the caller reports PARTIAL with Macie's
// MALFORMED_FILE reason.
var ErrMalformed = errors.New("malformed file")

// CSVOptions bound the extractor.
type CSVOptions struct {
	SegmentSize int  // max bytes of cell text per segment (default 1 MiB when 0)
	Comma       rune // 0: sniff from the first 8 KiB among ',', '\t', ';', '|'
}

const (
	defaultCSVSegment = 1 << 20
	// minCSVSegment keeps a cut cell's overlap and context from leaving no
	// owned bytes; see cutCell.
	minCSVSegment = minScaledSegment
	csvSniffLen   = 8 << 10
	csvReadSize   = 64 << 10
	// maxNamedColumns bounds the header kept for every segment: a hostile
	// header of millions of one-byte names would otherwise cost ~50 bytes of
	// bookkeeping per input byte. Later columns have no name, as ragged ones.
	maxNamedColumns = 1 << 16
	// maxHeaderBytes is the least room the names get, so that a wide header
	// keeps its names even with small segments.
	maxHeaderBytes = 1 << 20
	// maxParts bounds the parts of a segment, so that a table of tiny cells
	// does not need 64 bytes of Part for every few bytes of text: 8,192
	// parts (512 KiB) stay in a core's cache (measured a third faster than
	// 65,536) and are still plenty of text per segment.
	maxParts = 8192
)

var errCSVOptions = errors.New("formats: CSV SegmentSize must be 0 or at least 64, and Comma an ASCII character other than '\"', CR or LF")

// CSVSegments reads delimited text (already UTF-8) and calls fn with
// segments of whole rows. Each segment: Layout Cells; Text = the cells'
// text joined by '\n' (so parts are separated by a non-letter byte);
// Parts, one per cell, with Start/End in Text, Row (1-based line of the
// table: the header row is row 1), Col (1-based), Ctx = Col-1 (so
// Contexts[Col-1] = []string{that column's name}) — except the header
// row's own cells, which get Ctx -1; ColumnNames = the header row (the
// first row) on every segment; Contexts = one []string{name} per column;
// Line/Column of the segment = 1,1 (unused for cells); OwnedEnd 0 (whole).
// Empty cells produce no part. Quoted fields, doubled quotes, embedded
// newlines and CRLF are handled; ragged rows are fine (extra columns get
// an empty ColumnName). A malformed file (e.g. a bare quote in an unquoted
// field when strict parsing fails) returns an error wrapping ErrMalformed
// after the segments for the rows before it were delivered, so the caller
// can report PARTIAL/MALFORMED_FILE.
//
// The details the summary leaves open:
//
//   - Rows are records, not physical lines: a quoted newline stays inside
//     its cell and its row. A blank line is a row with no cells, as a
//     spreadsheet shows it, so the row numbers match what a user opens.
//     CRLF, LF and a lone CR (old Mac exports) all end a row.
//   - Parsing is strict RFC 4180, as encoding/csv without LazyQuotes: a
//     quote inside an unquoted field, text after a closing quote, and a
//     quote left open at the end of the input are malformed. The rows
//     before the broken one are delivered; of the broken row, only what
//     had to go out early (the cells of a row wider than SegmentSize, the
//     cut pieces of a cell larger than it) was, and nothing after it.
//   - A row wider than SegmentSize is split between segments at cell
//     boundaries (parts are independent, so nothing is lost). A single cell
//     larger than SegmentSize is cut like TextSegments cuts text: segments
//     of SegmentSize bytes, each holding one part, that overlap by a quarter
//     of SegmentSize (at most 16 KiB) plus a sixteenth (at most 1 KiB) of
//     context, with Owned and OwnedEnd saying which matches each owns. So
//     memory stays bounded by SegmentSize even for a quote opened near the
//     start of a huge file. A segment never exceeds SegmentSize.
//   - Columns past the header have no name: an empty ColumnName, and Ctx
//     -1 (there is no name to be near). So do the columns after the first
//     65,536, or after the first 1 MiB (or SegmentSize) of names, or after
//     a header cell longer than SegmentSize: that bounds what every
//     segment carries.
//   - A leading UTF-8 byte-order mark is skipped, so it is not part of the
//     first column's name.
//   - Text and Parts are reused: valid only during the call to fn.
//     ColumnNames and Contexts do not change once the header row is read.
func CSVSegments(r io.Reader, opt CSVOptions, fn func(*Segment) error) error {
	return csvSegments(r, opt, csvReadSize, fn)
}

// csvSegments is CSVSegments reading at most readSize bytes at a time
// (after the first csvSniffLen), so that tests can put every state of the
// tokenizer on a buffer boundary.
func csvSegments(r io.Reader, opt CSVOptions, readSize int, fn func(*Segment) error) error {
	size := opt.SegmentSize
	if size == 0 {
		size = defaultCSVSegment
	}
	if size < minCSVSegment || opt.Comma < 0 || opt.Comma >= utf8.RuneSelf ||
		opt.Comma == '"' || opt.Comma == '\r' || opt.Comma == '\n' {
		return errCSVOptions
	}
	cut := scaledTextOptions(size)
	x := &csvExtractor{
		fn:      fn,
		size:    size,
		overlap: cut.Overlap,
		context: cut.Context,
		seg:     Segment{Line: 1, Column: 1, Layout: Cells},
		// Small files are the common case: the text grows to size only
		// when a file needs it.
		text:   make([]byte, 0, min(size, csvReadSize)),
		row:    1,
		col:    1,
		naming: true,
	}

	in := make([]byte, max(readSize, csvSniffLen))
	n, readErr := io.ReadFull(r, in)
	eof := readErr != nil
	if readErr == io.EOF || readErr == io.ErrUnexpectedEOF {
		readErr = nil
	}
	data := in[:n] // read and not yet tokenized from off
	off := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		off = 3
	}
	comma := byte(opt.Comma)
	if comma == 0 {
		sample := data[off:min(len(data), off+csvSniffLen)]
		comma = sniffComma(sample, eof && off+len(sample) == len(data))
	}

	// stop marks the bytes that end a run of unquoted field text, so the
	// common case is a tight loop over a table.
	var stop [256]bool
	stop[comma], stop['\n'], stop['\r'], stop['"'] = true, true, true, true
	quote := []byte{'"'}
	const (
		atField  = iota // at the start of a field
		unquoted        // inside an unquoted field
		quoted          // inside a quoted field
		quoteEnd        // just after a quote inside a quoted field
	)
	state := atField
	skipLF := false // the last row ended with CR: a LF right after belongs to it
	line := 1       // physical line, for error messages only

	for {
		buf := data[off:min(len(data), off+readSize)]
		off += len(buf)
		for i := 0; i < len(buf); {
			switch state {
			case atField, unquoted:
				if state == atField {
					c := buf[i]
					if skipLF {
						skipLF = false
						if c == '\n' {
							i++
							continue
						}
					}
					if c == '"' {
						state = quoted
						i++
						continue
					}
				}
				j := i
				for j < len(buf) && !stop[buf[j]] {
					j++
				}
				if err := x.add(buf[i:j]); err != nil {
					return err
				}
				if j == len(buf) {
					state, i = unquoted, j
					continue
				}
				if buf[j] == '"' {
					return x.malformed(line, `bare " in a non-quoted field`)
				}
				if err := x.endField(buf[j], comma, &line, &skipLF); err != nil {
					return err
				}
				state, i = atField, j+1
			case quoted:
				k := bytes.IndexByte(buf[i:], '"')
				if k < 0 {
					k = len(buf) - i
				} else {
					state = quoteEnd
				}
				line += bytes.Count(buf[i:i+k], []byte{'\n'})
				if err := x.add(buf[i : i+k]); err != nil {
					return err
				}
				i += k + 1 // past the quote, or past the end of buf
			case quoteEnd:
				c := buf[i]
				switch {
				case c == '"': // a doubled quote stands for one
					if err := x.add(quote); err != nil {
						return err
					}
					state = quoted
				case c == comma || c == '\n' || c == '\r':
					if err := x.endField(c, comma, &line, &skipLF); err != nil {
						return err
					}
					state = atField
				default:
					return x.malformed(line, `extraneous " in a quoted field`)
				}
				i++
			}
		}
		if off < len(data) {
			continue
		}
		if eof {
			break
		}
		n, readErr = io.ReadFull(r, in[:readSize])
		eof = readErr != nil
		if readErr == io.EOF || readErr == io.ErrUnexpectedEOF {
			readErr = nil
		}
		data, off = in[:n], 0
	}

	if readErr != nil {
		// The rows read in full are good; the last one may be cut short.
		if x.rowPart > 0 {
			if err := x.flush(x.rowPart); err != nil {
				return err
			}
		}
		return fmt.Errorf("read csv: %w", readErr)
	}

	switch {
	case state == quoted:
		return x.malformed(line, "quoted field not closed at the end of the file")
	case state != atField || x.col > 1: // the last row has no line end
		if err := x.endField('\n', comma, &line, &skipLF); err != nil {
			return err
		}
	}
	if len(x.parts) > 0 {
		return x.flush(len(x.parts))
	}
	return nil
}

// csvExtractor builds segments out of cells as the tokenizer finds them.
type csvExtractor struct {
	fn                     func(*Segment) error
	size, overlap, context int // see cutCell

	seg   Segment
	text  []byte // the segment being built; its length never passes size
	parts []Part
	one   [1]Part // the part of a cut cell's segment
	owned int     // bytes at the start of text that the last segment owned

	row, col  int  // of the current cell
	rowPart   int  // index in parts of the current row's first part
	open      bool // the current cell has text, from cellStart
	cellStart int
	cut       bool // the current cell was cut: its start was handed over

	names     []string // the header, as far as it is named
	contexts  [][]string
	nameBytes int
	naming    bool
}

// add appends b to the current cell, making room as it goes.
func (x *csvExtractor) add(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if !x.open {
		// A cell opens on its first byte, so an empty one leaves nothing,
		// not even the separator.
		if len(x.text) == x.size {
			if err := x.makeRoom(); err != nil {
				return err
			}
		}
		if len(x.text) > 0 {
			x.reserve(1)
			x.text = append(x.text, '\n')
		}
		x.open, x.cellStart = true, len(x.text)
	}
	x.reserve(len(b))
	for room := x.size - len(x.text); len(b) > room; room = x.size - len(x.text) {
		x.text = append(x.text, b[:room]...)
		b = b[room:]
		if err := x.makeRoom(); err != nil {
			return err
		}
	}
	x.text = append(x.text, b...)
	return nil
}

// reserve grows text's capacity towards len+n, by hand so as never to
// pass size, as append's own growth would.
func (x *csvExtractor) reserve(n int) {
	if len(x.text)+n > cap(x.text) && cap(x.text) < x.size {
		t := make([]byte, len(x.text), min(x.size, max(2*cap(x.text), len(x.text)+n)))
		copy(t, x.text)
		x.text = t
	}
}

// makeRoom empties some of a full text: it hands over whole rows if there
// are any, else the current row's finished cells; with neither, the open
// cell fills the segment by itself and is cut.
func (x *csvExtractor) makeRoom() error {
	k := x.rowPart
	if k == 0 {
		k = len(x.parts)
	}
	if k > 0 {
		return x.flush(k)
	}
	if !x.open {
		// Unreachable: a full text without parts holds an open cell.
		panic("formats: CSV segment full with no cell")
	}
	return x.cutCell()
}

// flush hands over the first k parts and moves what follows them (the rest
// of the current row) to the start of text.
func (x *csvExtractor) flush(k int) error {
	end := x.parts[k-1].End
	if err := x.emit(x.text[:end], x.parts[:k], 0); err != nil {
		return err
	}
	drop := min(end+1, len(x.text)) // with the separator after the last part
	x.text = x.text[:copy(x.text, x.text[drop:])]
	rest := x.parts[k:]
	for i := range rest {
		rest[i].Start -= drop
		rest[i].End -= drop
	}
	x.parts = x.parts[:copy(x.parts, rest)]
	x.rowPart = max(x.rowPart-k, 0)
	if x.open {
		x.cellStart -= drop
	}
	return nil
}

// cutCell hands over a cell that fills the whole text by itself, cut as
// TextSegments cuts text: this segment owns the matches that start before
// its last overlap bytes; the next one starts context bytes before those,
// so a value up to overlap bytes long, and a keyword just before it, are
// seen whole once. Called with the open cell at offset 0 and no parts.
func (x *csvExtractor) cutCell() error {
	t := x.text
	ownedEnd := runeStart(t, len(t)-x.overlap)
	x.one[0] = Part{Start: 0, End: len(t), Ctx: x.ctx(), Row: x.row, Col: x.col}
	if err := x.emit(t, x.one[:], ownedEnd); err != nil {
		return err
	}
	keep := runeStart(t, ownedEnd-x.context)
	x.text = t[:copy(t, t[keep:])]
	x.owned = ownedEnd - keep
	x.cut = true
	return nil
}

func (x *csvExtractor) emit(text []byte, parts []Part, ownedEnd int) error {
	s := &x.seg
	s.Text, s.Parts, s.Owned, s.OwnedEnd, s.lineStarts = text, parts, x.owned, ownedEnd, nil
	s.ColumnNames, s.Contexts = x.names, x.contexts
	// A cut cell's carried bytes sit at the start of text, in the first
	// part handed over, so whatever is emitted has consumed them.
	x.owned = 0
	return x.fn(s)
}

// ctx is the current cell's index in Contexts: its column's, but none for
// the header's own cells and for columns without a name.
func (x *csvExtractor) ctx() int {
	if x.row > 1 && x.col <= len(x.contexts) {
		return x.col - 1
	}
	return -1
}

// endField closes the current cell on the byte c that ended it: the
// delimiter, or a line end that also closes the row.
func (x *csvExtractor) endField(c, comma byte, line *int, skipLF *bool) error {
	if x.row == 1 {
		x.name()
	}
	if x.open {
		x.parts = append(x.parts, Part{Start: x.cellStart, End: len(x.text), Ctx: x.ctx(), Row: x.row, Col: x.col})
		x.open, x.cut = false, false
	}
	if c == comma {
		x.col++
	} else {
		*line++
		*skipLF = c == '\r'
		x.endRow()
	}
	if len(x.parts) >= maxParts {
		k := x.rowPart
		if k == 0 {
			k = len(x.parts)
		}
		return x.flush(k)
	}
	return nil
}

// name records the current header cell as its column's name, while the
// header stays within maxNamedColumns names and the larger of SegmentSize
// and maxHeaderBytes bytes, and no name was cut (a name that could not fit
// a segment is not a column name, and its start is gone anyway).
func (x *csvExtractor) name() {
	if !x.naming {
		return
	}
	var s []byte
	if x.open {
		s = x.text[x.cellStart:]
	}
	if x.cut || len(x.names) >= maxNamedColumns || x.nameBytes+len(s) > max(x.size, maxHeaderBytes) {
		x.naming = false
		return
	}
	x.names = append(x.names, string(s))
	x.nameBytes += len(s)
}

func (x *csvExtractor) endRow() {
	if x.row == 1 {
		x.naming = false
		x.contexts = columnContexts(x.names)
	}
	x.row++
	x.col = 1
	x.rowPart = len(x.parts)
}

// columnContexts gives each column of a table its name as its context: a
// one-name window on the header itself.
func columnContexts(names []string) [][]string {
	contexts := make([][]string, len(names))
	for i := range names {
		contexts[i] = names[i : i+1 : i+1]
	}
	return contexts
}

// malformed hands over the rows finished before the current one and
// returns the error that says where the file broke (never what it holds).
func (x *csvExtractor) malformed(line int, what string) error {
	if x.rowPart > 0 {
		if err := x.flush(x.rowPart); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: CSV row %d, line %d: %s", ErrMalformed, x.row, line, what)
}

// sniffComma picks a table's delimiter from its first bytes: among the
// candidates the header row holds, the one that splits the most of the
// following records into as many fields as the header; ties go to the
// higher count in the header, then to the earlier candidate. A decimal
// comma in a semicolon file, or a comma inside a TSV's text, is not in
// the header, or not the same number of times on every row. With no
// candidate in the header the table has one column, and ',' is as good as
// any. Quoted text is skipped. The last record counts only when whole,
// or when the sample holds no whole record.
func sniffComma(b []byte, whole bool) byte {
	cands := [...]byte{',', '\t', ';', '|'}
	var cur, head, same [len(cands)]int
	records, blank, inQuote := 0, true, false
	endRecord := func() {
		if blank { // blank lines, and the LF of a CRLF
			return
		}
		if records == 0 {
			head = cur
		} else {
			for d := range cur {
				if cur[d] == head[d] {
					same[d]++
				}
			}
		}
		records++
		cur, blank = [len(cands)]int{}, true
	}
	for _, c := range b {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n' || c == '\r':
			endRecord()
			continue
		default:
			for d, cand := range cands {
				if c == cand {
					cur[d]++
				}
			}
		}
		blank = false
	}
	if whole && !inQuote {
		endRecord()
	}
	if records == 0 {
		// A header longer than the sample (a wide table): its first part
		// still says which delimiter it uses.
		head = cur
	}
	best, bestSame := 0, -1
	for d := range cands {
		if head[d] > 0 && (same[d] > bestSame || same[d] == bestSame && head[d] > head[best]) {
			best, bestSame = d, same[d]
		}
	}
	return cands[best]
}

package formats

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const (
	// odsMaxRepeat bounds one table:number-rows-repeated or
	// table:number-columns-repeated: more rows or columns than a
	// spreadsheet can have (1,048,576 rows, 16,384 columns) is noise.
	odsMaxRepeat = 1 << 20
	// odsRepeatBudget bounds the cells that repeats add to a workbook: past
	// it, repeated copies of non-empty cells and rows still count for the
	// row and column numbers but are not delivered again.
	odsRepeatBudget = 1 << 20
)

// SpreadsheetSegments reads an XLSX or ODS workbook (kind is KindXLSX or
// KindODS from OfficeKind) through random access and calls fn with
// segments of cells, sheet by sheet: Layout Cells, Sheet = the sheet's
// name (so Where gives cellReference "Sheet!B7"), ColumnNames = that
// sheet's first row, Contexts/Ctx as in CSVSegments, values as the
// spreadsheet shows them (shared strings, inline strings, numbers as
// formatted where practical, formulas' cached values).
//
// The details:
//
//   - Rows and columns are the spreadsheet's own (row 1 is the first row
//     of the sheet, whether or not it holds anything), so cell references
//     match what a user opens. The first row names the columns; its own
//     cells get Ctx -1, as CSV's header. Empty cells give no part.
//   - A segment holds whole cells, joined by '\n', at most SegmentSize
//     bytes and maxParts parts; a cell larger than SegmentSize is cut into
//     overlapping segments of one part each, with Owned/OwnedEnd, as
//     CSVSegments cuts one.
//   - XLSX is read by xlsxstream.go: the workbook, relationships and
//     styles with encoding/xml, the shared-strings table into memory (at
//     most MaxSharedStrings bytes, else ErrUncompressedSize) and each
//     worksheet streamed from its zip entry through a hand-written
//     tokenizer (xmlscan.go). Numbers are shown through their cell's
//     number format (xlsxnumfmt.go: the common codes; others as General).
//     A cell whose text passes 16 MiB (Excel writes at most 32,767
//     characters) ends the sheet with ErrMalformed.
//     The zip's declared sizes are checked first against MaxRatio (each
//     entry) and MaxUncompressed (their sum), and every part read counts
//     against both as it inflates. An OLE2 file (the container of a
//     password-protected OOXML workbook) returns ErrEncrypted.
//   - ODS: content.xml is streamed through guardedPart with encoding/xml.
//     A cell's text is its text:p paragraphs joined by '\n' (text:s,
//     text:tab and text:line-break become spaces, a tab and '\n'); a cell
//     with no paragraph but an office value gives that value. Comments
//     (office:annotation) are skipped. Repeated rows and columns are
//     numbered as the spreadsheet shows them; repeated copies of non-empty
//     cells are delivered until odsRepeatBudget cells, and each repeat
//     count is capped at 2^20, so a million repeated empty rows cost
//     nothing. An encrypted content.xml (its manifest entry has
//     encryption-data) returns ErrEncrypted.
//   - A file that is not a readable workbook, or breaks part-way, returns
//     an error wrapping ErrMalformed (after the segments before the break,
//     for ODS). A panic inside a reader is turned into ErrMalformed.
//   - Text and Parts are reused: valid only during the call to fn.
func SpreadsheetSegments(ra io.ReaderAt, size int64, kind string, opt OfficeOptions, fn func(*Segment) error) (err error) {
	opt = opt.withDefaults()
	if isOLE2(ra) {
		return fmt.Errorf("%s: %w", kind, ErrEncrypted)
	}
	s := newSheetSink(opt.SegmentSize, fn)
	switch kind {
	case KindXLSX:
		return xlsxSegments(ra, size, opt, s)
	case KindODS:
		return odsSegments(ra, size, opt, s)
	}
	return fmt.Errorf("formats: SpreadsheetSegments: unsupported kind %q", kind)
}

// sheetSink builds segments out of a sheet's cells, delivered in order.
type sheetSink struct {
	fn                     func(*Segment) error
	size, overlap, context int
	inFn                   bool // fn is running: a panic is the caller's

	seg   Segment
	text  []byte
	parts []Part
	one   [1]Part

	names     []string
	contexts  [][]string
	nameBytes int
	header    bool // the first row is over
}

func newSheetSink(size int, fn func(*Segment) error) *sheetSink {
	cut := scaledTextOptions(size)
	return &sheetSink{
		fn:      fn,
		size:    cut.SegmentSize,
		overlap: cut.Overlap,
		context: cut.Context,
		seg:     Segment{Line: 1, Column: 1, Layout: Cells},
	}
}

// startSheet flushes the previous sheet and resets the names.
func (s *sheetSink) startSheet(name string) error {
	if err := s.flush(); err != nil {
		return err
	}
	s.seg.Sheet = name
	s.names, s.contexts, s.nameBytes, s.header = nil, nil, 0, false
	return nil
}

// cell adds the cell at row, col (1-based, in order) holding v.
func (s *sheetSink) cell(row, col int, v string) error { return addCell(s, row, col, v) }

// cellBytes is cell for a value in a reused buffer, without a copy.
func (s *sheetSink) cellBytes(row, col int, v []byte) error { return addCell(s, row, col, v) }

func addCell[T string | []byte](s *sheetSink, row, col int, v T) error {
	if row == 1 {
		s.name(col, string(v))
	} else if !s.header {
		s.endHeader()
	}
	if len(v) == 0 {
		return nil
	}
	ctx := -1
	if row > 1 && col <= len(s.contexts) {
		ctx = col - 1
	}
	if len(s.text)+1+len(v) > s.size && len(s.parts) > 0 {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if len(v) > s.size {
		return s.cut(row, col, ctx, []byte(v))
	}
	if len(s.text) > 0 {
		s.text = append(s.text, '\n')
	}
	start := len(s.text)
	s.text = append(s.text, v...)
	s.parts = append(s.parts, Part{Start: start, End: len(s.text), Ctx: ctx, Row: row, Col: col})
	if len(s.parts) >= maxParts {
		return s.flush()
	}
	return nil
}

// name records a header cell, within the bounds CSVSegments keeps.
func (s *sheetSink) name(col int, v string) {
	if s.header || col > maxNamedColumns || s.nameBytes+len(v) > max(s.size, maxHeaderBytes) || len(v) > s.size {
		return
	}
	for len(s.names) < col-1 {
		s.names = append(s.names, "")
	}
	s.names = append(s.names, v)
	s.nameBytes += len(v)
}

func (s *sheetSink) endHeader() {
	s.header = true
	s.contexts = columnContexts(s.names)
}

// cut hands over a cell larger than a segment in overlapping pieces, as
// csvExtractor.cutCell does.
func (s *sheetSink) cut(row, col, ctx int, b []byte) error {
	start, owned := 0, 0
	for {
		end := start + s.size
		if end >= len(b) {
			return s.emitOne(b[start:], row, col, ctx, owned, 0)
		}
		end = runeStart(b, end)
		ownedEnd := runeStart(b, end-s.overlap)
		if err := s.emitOne(b[start:end], row, col, ctx, owned, ownedEnd-start); err != nil {
			return err
		}
		next := runeStart(b, ownedEnd-s.context)
		owned, start = ownedEnd-next, next
	}
}

func (s *sheetSink) emitOne(t []byte, row, col, ctx, owned, ownedEnd int) error {
	s.one[0] = Part{Start: 0, End: len(t), Ctx: ctx, Row: row, Col: col}
	return s.emit(t, s.one[:], owned, ownedEnd)
}

func (s *sheetSink) flush() error {
	if len(s.parts) == 0 {
		return nil
	}
	err := s.emit(s.text, s.parts, 0, 0)
	s.text, s.parts = s.text[:0], s.parts[:0]
	return err
}

func (s *sheetSink) emit(t []byte, parts []Part, owned, ownedEnd int) error {
	g := &s.seg
	g.Text, g.Parts, g.Owned, g.OwnedEnd, g.lineStarts = t, parts, owned, ownedEnd, nil
	g.ColumnNames, g.Contexts = s.names, s.contexts
	s.inFn = true
	err := s.fn(g)
	s.inFn = false
	return err
}

const (
	odfOffice   = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	odfTable    = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	odfText     = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	odfManifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
)

// odsSegments reads an ODS workbook's content.xml.
func odsSegments(ra io.ReaderAt, size int64, opt OfficeOptions, s *sheetSink) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("%w: ods: %s", ErrMalformed, errText(err))
	}
	budget := opt.MaxUncompressed
	var content, manifest *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "content.xml":
			content = f
		case "META-INF/manifest.xml":
			manifest = f
		}
	}
	if manifest != nil {
		enc, err := odsEncrypted(manifest, opt, &budget)
		if err != nil {
			return err
		}
		if enc {
			return fmt.Errorf("ods: %w", ErrEncrypted)
		}
	}
	if content == nil {
		return fmt.Errorf("%w: ods: no content.xml", ErrMalformed)
	}
	rc, err := guardedPart(content, opt, &budget)
	if err != nil {
		return officeErr("ods", err)
	}
	defer rc.Close()
	p := &odsParser{s: s, budget: odsRepeatBudget}
	if err := p.parse(xml.NewDecoder(newBoundedXML(rc))); err != nil {
		if s.inFn {
			return err
		}
		if ferr := s.flush(); ferr != nil {
			return ferr
		}
		return officeErr("ods", err)
	}
	return s.flush()
}

// odsEncrypted reports whether the manifest says content.xml is encrypted.
func odsEncrypted(f *zip.File, opt OfficeOptions, budget *int64) (bool, error) {
	rc, err := guardedPart(f, opt, budget)
	if err != nil {
		return false, officeErr("ods", err)
	}
	defer rc.Close()
	d := xml.NewDecoder(newBoundedXML(rc))
	inContent := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, officeErr("ods", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != odfManifest {
				continue
			}
			switch t.Name.Local {
			case "file-entry":
				inContent = attr(t, odfManifest, "full-path") == "content.xml"
			case "encryption-data":
				if inContent {
					return true, nil
				}
			}
		case xml.EndElement:
			if t.Name.Space == odfManifest && t.Name.Local == "file-entry" {
				inContent = false
			}
		}
	}
}

func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}

// repeat reads a number-*-repeated attribute, capped.
func repeat(t xml.StartElement, local string) int {
	v := attr(t, odfTable, local)
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, odsMaxRepeat)
}

type odsCell struct {
	col, rep int
	text     string
}

// odsParser walks content.xml's tables.
type odsParser struct {
	s      *sheetSink
	budget int // repeated copies left to deliver

	row, col int       // next row, and next column of the row being read
	rowRep   int       // the current row's repeat count
	cells    []odsCell // of the current row
	inTable  int       // depth of table:table elements
	inCell   bool
	cellRep  int
	value    string // office:value and kin, for a cell with no paragraph
	paras    int
	text     strings.Builder
	inPara   int // depth of text:p/text:h
	skip     int // depth inside an annotation or a nested table
}

func (p *odsParser) parse(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if p.inTable > 0 {
				return fmt.Errorf("%w: content.xml ends inside a table", ErrMalformed)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if p.skip > 0 {
				p.skip++
				continue
			}
			if err := p.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			if p.skip > 0 {
				p.skip--
				continue
			}
			if err := p.end(t); err != nil {
				return err
			}
		case xml.CharData:
			if p.skip == 0 && p.inCell && p.inPara > 0 {
				p.text.Write(t)
			}
		}
	}
}

func (p *odsParser) start(t xml.StartElement) error {
	switch t.Name.Space {
	case odfTable:
		switch t.Name.Local {
		case "table":
			if p.inCell || p.inTable > 0 {
				p.skip = 1 // a table inside a cell, or malformed nesting
				return nil
			}
			p.inTable++
			p.row = 1
			return p.s.startSheet(attr(t, odfTable, "name"))
		case "table-row":
			if p.inTable > 0 {
				p.col, p.rowRep, p.cells = 1, repeat(t, "number-rows-repeated"), p.cells[:0]
			}
		case "table-cell", "covered-table-cell":
			if p.inTable > 0 {
				p.inCell, p.cellRep, p.paras, p.inPara = true, repeat(t, "number-columns-repeated"), 0, 0
				p.text.Reset()
				p.value = attr(t, odfOffice, "value")
				for _, k := range []string{"date-value", "time-value", "boolean-value", "string-value"} {
					if p.value == "" {
						p.value = attr(t, odfOffice, k)
					}
				}
			}
		}
	case odfOffice:
		if t.Name.Local == "annotation" && p.inCell {
			p.skip = 1
		}
	case odfText:
		if !p.inCell {
			return nil
		}
		switch t.Name.Local {
		case "p", "h":
			if p.inPara == 0 {
				if p.paras > 0 {
					p.text.WriteByte('\n')
				}
				p.paras++
			}
			p.inPara++
		case "s":
			if p.inPara > 0 {
				n := 1
				if v, err := strconv.Atoi(attr(t, odfText, "c")); err == nil && v > 1 {
					n = min(v, 1<<10)
				}
				p.text.WriteString(strings.Repeat(" ", n))
			}
		case "tab":
			if p.inPara > 0 {
				p.text.WriteByte('\t')
			}
		case "line-break":
			if p.inPara > 0 {
				p.text.WriteByte('\n')
			}
		}
	}
	return nil
}

func (p *odsParser) end(t xml.EndElement) error {
	switch t.Name.Space {
	case odfTable:
		switch t.Name.Local {
		case "table":
			if p.inTable > 0 {
				p.inTable--
			}
		case "table-row":
			if p.inTable > 0 {
				return p.endRow()
			}
		case "table-cell", "covered-table-cell":
			if p.inCell {
				p.inCell = false
				v := p.text.String()
				if p.paras == 0 {
					v = p.value
				}
				if v != "" {
					p.cells = append(p.cells, odsCell{col: p.col, rep: p.cellRep, text: v})
				}
				p.col += p.cellRep
			}
		}
	case odfText:
		if (t.Name.Local == "p" || t.Name.Local == "h") && p.inPara > 0 {
			p.inPara--
		}
	}
	return nil
}

// endRow delivers the row just read, as many times as it repeats: the
// copies (of a repeated row or cell) while the repeat budget lasts.
func (p *odsParser) endRow() error {
	rep := p.rowRep
	for i := 0; i < rep && len(p.cells) > 0; i++ {
		if i > 0 && p.budget <= 0 {
			break
		}
		for _, c := range p.cells {
			for j := 0; j < c.rep; j++ {
				if i > 0 || j > 0 {
					if p.budget <= 0 {
						break
					}
					p.budget--
				}
				if err := p.s.cell(p.row+i, c.col+j, c.text); err != nil {
					return err
				}
			}
		}
	}
	p.row += rep
	return nil
}

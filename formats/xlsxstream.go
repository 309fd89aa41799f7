package formats

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/klauspost/compress/flate"
)

// The XLSX reader: the workbook, its relationships and styles are small
// and read with encoding/xml; the shared-strings table and the worksheets
// are the bulk of a workbook and are streamed through xmlScanner, straight
// from the zip entries, so memory holds the shared strings (bounded by
// OfficeOptions.MaxSharedStrings) and one cell at a time.

const (
	relWorksheet     = "/worksheet"
	relSharedStrings = "/sharedStrings"
	relStyles        = "/styles"
	relOfficeDoc     = "/officeDocument"
	// xlsxMaxStyles bounds the cell formats kept: Excel allows 64,000.
	xlsxMaxStyles = 1 << 16
	// xlsxMaxColumn and xlsxMaxRow are Excel's sheet bounds; a cell
	// reference past them is not trusted (the column counts on instead).
	xlsxMaxColumn = 16384
	xlsxMaxRow    = 1 << 20
	// xlsxMaxCell bounds one cell's text held in memory. Excel writes at
	// most 32,767 characters to a cell; a cell past this is hostile, and
	// the sheet ends there as malformed.
	xlsxMaxCell = 16 << 20
	// xlsxMaxNumFormat is Excel's longest number format code (255
	// characters); a longer one is hostile (a '0' placeholder per byte
	// would make every cell that long) and shows its cells as General.
	xlsxMaxNumFormat = 255
)

type xlsxBook struct {
	files    map[string]*zip.File
	opt      OfficeOptions
	budget   int64
	date1904 bool
	sheets   []xlsxSheetRef
	strings  xlsxStrings
	formats  []*numFormat // by cell style (the s attribute); nil: General
}

type xlsxSheetRef struct {
	name, part string
	guessed    bool // the part's name is a guess: missing is no error
}

// xlsxStrings is the shared-strings table, one arena of text.
type xlsxStrings struct {
	text []byte
	ends []uint32
}

func (t *xlsxStrings) get(i int) ([]byte, bool) {
	if i < 0 || i >= len(t.ends) {
		return nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]], true
}

// xlsxSegments reads an XLSX workbook: see SpreadsheetSegments.
func xlsxSegments(ra io.ReaderAt, size int64, opt OfficeOptions, s *sheetSink) (err error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("%w: xlsx: %s", ErrMalformed, errText(err))
	}
	// klauspost's inflater is about half again as fast as the standard
	// library's, and a worksheet is mostly inflating.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	b := &xlsxBook{files: make(map[string]*zip.File, len(zr.File)), opt: opt, budget: opt.MaxUncompressed}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > 0 && (f.CompressedSize64 == 0 ||
			float64(f.UncompressedSize64)/float64(f.CompressedSize64) > opt.MaxRatio) {
			return fmt.Errorf("xlsx part %q: %w", f.Name, ErrUncompressedRatio)
		}
		total += f.UncompressedSize64
		if total > uint64(opt.MaxUncompressed) {
			return fmt.Errorf("xlsx: %w", ErrUncompressedSize)
		}
		b.files[f.Name] = f
	}
	defer func() {
		if r := recover(); r != nil {
			if s.inFn {
				panic(r)
			}
			err = fmt.Errorf("%w: xlsx: reader failed (%T)", ErrMalformed, r) // the type only: a panic value could quote a cell
		}
	}()
	if err := b.open(); err != nil {
		return err
	}
	for _, sh := range b.sheets {
		if err := s.startSheet(sh.name); err != nil {
			return err
		}
		if err := b.sheet(sh, s); err != nil {
			if s.inFn {
				return err
			}
			if ferr := s.flush(); ferr != nil {
				return ferr
			}
			return err
		}
	}
	return s.flush()
}

// file finds a part by name, as written or (some writers differ in case)
// ignoring case.
func (b *xlsxBook) file(name string) *zip.File {
	if f, ok := b.files[name]; ok {
		return f
	}
	for n, f := range b.files {
		if strings.EqualFold(n, name) {
			return f
		}
	}
	return nil
}

// open reads the workbook, its relationships, styles and shared strings.
func (b *xlsxBook) open() error {
	wbPath := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels", ""); err != nil {
		return err
	} else if t := rels.target(relOfficeDoc); t != "" {
		wbPath = t
	}
	type sheet struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []sheet `xml:"sheets>sheet"`
	}
	if err := b.decode(wbPath, &wb, true); err != nil {
		return err
	}
	b.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	dir := path.Dir(wbPath)
	rels, err := b.rels(path.Join(dir, "_rels", path.Base(wbPath)+".rels"), dir)
	if err != nil {
		return err
	}
	for i, sh := range wb.Sheets {
		r, ok := rels[sh.ID]
		guessed := len(rels) == 0
		if guessed {
			// No relationships part at all: the sheets where every writer
			// puts them.
			r, ok = rel{typ: relWorksheet, target: path.Join(dir, "worksheets", "sheet"+strconv.Itoa(i+1)+".xml")}, true
		}
		if !ok || !strings.HasSuffix(r.typ, relWorksheet) {
			continue // a chart sheet, or no part: no cells
		}
		name := sh.Name
		if name == "" {
			name = "Sheet" + strconv.Itoa(i+1)
		}
		b.sheets = append(b.sheets, xlsxSheetRef{name: name, part: r.target, guessed: guessed})
	}
	if err := b.readStyles(rels.target(relStyles)); err != nil {
		return err
	}
	return b.readStrings(rels.target(relSharedStrings))
}

type xlsxRels map[string]rel

func (r xlsxRels) target(typ string) string {
	for _, x := range r {
		if strings.HasSuffix(x.typ, typ) {
			return x.target
		}
	}
	return ""
}

// rels reads a relationships part (none is no relationships), resolving
// targets against dir.
func (b *xlsxBook) rels(name, dir string) (xlsxRels, error) {
	var doc struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := b.decode(name, &doc, false); err != nil {
		return nil, err
	}
	out := make(xlsxRels, len(doc.Rel))
	for _, r := range doc.Rel {
		if r.Mode == "External" {
			continue
		}
		out[r.ID] = rel{typ: r.Type, target: relTarget(dir, r.Target)}
	}
	return out, nil
}

// decode reads a small part with encoding/xml; a missing part is an error
// only when required.
func (b *xlsxBook) decode(name string, v any, required bool) error {
	f := b.file(name)
	if f == nil {
		if required {
			return fmt.Errorf("%w: xlsx: no part %q", ErrMalformed, name)
		}
		return nil
	}
	rc, err := guardedPart(f, b.opt, &b.budget)
	if err != nil {
		return officeErr("xlsx part "+strconv.Quote(name), err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(newBoundedXML(rc)).Decode(v); err != nil && err != io.EOF {
		return officeErr("xlsx part "+strconv.Quote(name), err)
	}
	return nil
}

// readStyles compiles the number format of each cell style.
func (b *xlsxBook) readStyles(name string) error {
	if name == "" {
		return nil
	}
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := b.decode(name, &st, false); err != nil {
		return err
	}
	codes := make(map[int]string, len(st.NumFmts))
	for _, n := range st.NumFmts {
		codes[n.ID] = n.Code
	}
	compiled := make(map[int]*numFormat)
	for i, xf := range st.Xfs {
		if i >= xlsxMaxStyles {
			break
		}
		f, ok := compiled[xf.NumFmtID]
		if !ok {
			code, custom := codes[xf.NumFmtID]
			if !custom {
				code = builtinNumFormats[xf.NumFmtID]
			}
			if code != "" && len(code) <= xlsxMaxNumFormat && !strings.EqualFold(code, "general") {
				f = parseNumFormat(code)
			}
			compiled[xf.NumFmtID] = f
		}
		b.formats = append(b.formats, f)
	}
	return nil
}

func (b *xlsxBook) format(style int) *numFormat {
	if style <= 0 || style >= len(b.formats) {
		return nil
	}
	return b.formats[style]
}

// readStrings streams the shared-strings table into one arena. Its text
// and index are bounded by OfficeOptions.MaxSharedStrings: a table past it
// is ErrUncompressedSize, since that memory is what the limit guards.
func (b *xlsxBook) readStrings(name string) error {
	if name == "" {
		return nil
	}
	f := b.file(name)
	if f == nil {
		return nil
	}
	rc, err := guardedPart(f, b.opt, &b.budget)
	if err != nil {
		return officeErr("xlsx shared strings", err)
	}
	defer rc.Close()
	x := newXMLScanner(rc)
	t := &b.strings
	// The text is at most the part's XML: reserving that once saves
	// growing (and copying) the arena step by step.
	t.text = make([]byte, 0, min(f.UncompressedSize64, uint64(b.opt.MaxSharedStrings)+1))
	inSI, inT, phonetic := false, false, 0
	start := 0
	// The limit is checked as the table grows, not only at the end of a
	// string: one <si> (or one left open) can hold the whole part.
	over := func() bool { return int64(len(t.text))+4*int64(len(t.ends)) > b.opt.MaxSharedStrings }
	errOver := fmt.Errorf("xlsx shared strings past %d bytes: %w", b.opt.MaxSharedStrings, ErrUncompressedSize)
	for {
		if err := x.next(); err != nil {
			return officeErr("xlsx shared strings", err)
		}
		switch x.kind {
		case xmlEOF:
			return nil
		case xmlStart:
			switch string(x.name) {
			case "sst":
				// uniqueCount sizes the index, if it is believable: no more
				// than the part or the limit could hold.
				if v, ok := xmlAttr(x.attrs, "uniqueCount"); ok {
					if n, ok := parseUint(v, int(min(f.UncompressedSize64/8, uint64(b.opt.MaxSharedStrings)/8, 1<<26))); ok && t.ends == nil {
						t.ends = make([]uint32, 0, n)
					}
				}
			case "si":
				inSI, inT, phonetic, start = !x.empty, false, 0, len(t.text)
				if x.empty {
					t.ends = append(t.ends, uint32(len(t.text)))
					if over() {
						return errOver
					}
				}
			case "t":
				inT = inSI && !x.empty
			case "rPh":
				if !x.empty {
					phonetic++
				}
			}
		case xmlEnd:
			switch string(x.name) {
			case "si":
				if inSI {
					t.text = unescapeOOXML(t.text, start)
					t.ends = append(t.ends, uint32(len(t.text)))
					if over() {
						return errOver
					}
				}
				inSI = false
			case "t":
				inT = false
			case "rPh":
				phonetic = max(phonetic-1, 0)
			}
		case xmlText:
			if inT && phonetic == 0 {
				t.text = appendXMLText(t.text, x.text)
				if over() {
					return errOver
				}
			}
		case xmlCDATA:
			if inT && phonetic == 0 {
				t.text = append(t.text, x.text...)
				if over() {
					return errOver
				}
			}
		}
	}
}

// unescapeOOXML decodes, in b[from:], the _xHHHH_ escapes OOXML writes for
// characters XML cannot hold (_x005F_ is a literal '_').
func unescapeOOXML(b []byte, from int) []byte {
	s := b[from:]
	if !bytes.Contains(s, []byte("_x")) {
		return b
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 16); err == nil {
				out = append(out, string(rune(n))...)
				i += 6
				continue
			}
		}
		out = append(out, s[i])
	}
	return append(b[:from], out...)
}

// cellRef splits a reference such as "C5" into column and row; ok is
// false for anything else or past the sheet's bounds.
func cellRef(r []byte) (col, row int, ok bool) {
	i := 0
	for ; i < len(r); i++ {
		c := r[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > xlsxMaxColumn {
			return 0, 0, false
		}
	}
	if i == 0 {
		return 0, 0, false
	}
	row, ok = atoiBounded(r[i:], xlsxMaxRow)
	return col, row, ok
}

// atoiBounded parses a positive decimal no greater than limit.
func atoiBounded(b []byte, limit int) (int, bool) {
	n, ok := parseUint(b, limit)
	return n, ok && n > 0
}

// parseUint parses a decimal no greater than limit.
func parseUint(b []byte, limit int) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > limit {
			return 0, false
		}
	}
	return n, true
}

// xlsxCell is the cell being read.
type xlsxCell struct {
	col, style int
	typ        []byte // the t attribute, copied into typeBuf
	typeBuf    [16]byte
	val        []byte // <v> text, decoded
	inline     []byte // <is> text, decoded
	hasInline  bool
}

// sheet streams one worksheet's cells into s.
func (b *xlsxBook) sheet(sh xlsxSheetRef, s *sheetSink) error {
	where := "xlsx sheet " + strconv.Quote(sh.name)
	f := b.file(sh.part)
	switch {
	case f == nil && sh.guessed:
		return nil
	case f == nil:
		return fmt.Errorf("%w: %s: no part", ErrMalformed, where)
	}
	rc, err := guardedPart(f, b.opt, &b.budget)
	if err != nil {
		return officeErr(where, err)
	}
	defer rc.Close()
	x := newXMLScanner(rc)
	var (
		c                  xlsxCell
		out                []byte
		row, nextCol       int
		inCell, inV, inIS  bool
		inT, phonetic      int
		inData, sheetEnded bool
	)
	for !sheetEnded {
		if err := x.next(); err != nil {
			return officeErr(where, err)
		}
		switch x.kind {
		case xmlEOF:
			if inData {
				return fmt.Errorf("%w: %s: ends inside sheetData", ErrMalformed, where)
			}
			return nil
		case xmlStart:
			switch string(x.name) {
			case "sheetData":
				inData = !x.empty
			case "row":
				r, ok := 0, false
				if v, has := xmlAttr(x.attrs, "r"); has {
					r, ok = atoiBounded(v, xlsxMaxRow)
				}
				if !ok {
					r = row + 1
				}
				row, nextCol = r, 1
			case "c":
				if row == 0 {
					row = 1
				}
				c.col, c.style, c.val, c.inline, c.hasInline = nextCol, 0, c.val[:0], c.inline[:0], false
				c.typ = c.typeBuf[:0]
				for a := x.attrs; ; {
					key, v, rest, ok := nextAttr(a)
					if !ok {
						break
					}
					a = rest
					switch string(key) {
					case "r":
						if col, _, ok := cellRef(v); ok {
							c.col = col
						}
					case "t":
						c.typ = append(c.typ, v[:min(len(v), len(c.typeBuf))]...)
					case "s":
						c.style, _ = atoiBounded(v, xlsxMaxStyles)
					}
				}
				nextCol = c.col + 1
				inCell = !x.empty
			case "v":
				inV = inCell && !x.empty
			case "is":
				inIS = inCell && !x.empty
				c.hasInline = c.hasInline || inIS
			case "t":
				if inIS && !x.empty {
					inT++
				}
			case "rPh":
				if inIS && !x.empty {
					phonetic++
				}
			}
		case xmlEnd:
			switch string(x.name) {
			case "sheetData":
				sheetEnded = true
			case "c":
				if !inCell {
					continue
				}
				inCell, inV, inIS, inT, phonetic = false, false, false, 0, 0
				out = b.cellValue(out[:0], &c)
				if len(out) > 0 {
					if err := s.cellBytes(row, c.col, out); err != nil {
						return err
					}
				}
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = max(inT-1, 0)
			case "rPh":
				phonetic = max(phonetic-1, 0)
			}
		case xmlText, xmlCDATA:
			var dst *[]byte
			switch {
			case inV:
				dst = &c.val
			case inIS && inT > 0 && phonetic == 0:
				dst = &c.inline
			default:
				continue
			}
			if x.kind == xmlText {
				*dst = appendXMLText(*dst, x.text)
			} else {
				*dst = append(*dst, x.text...)
			}
			if len(*dst) > xlsxMaxCell {
				return fmt.Errorf("%w: %s: a cell past %d bytes", ErrMalformed, where, xlsxMaxCell)
			}
		}
	}
	return nil
}

// cellValue appends the text a cell shows, as excelize's GetRows gave it:
// shared and inline strings, formulas' cached values as written, booleans
// as TRUE/FALSE, numbers through the cell's number format.
func (b *xlsxBook) cellValue(dst []byte, c *xlsxCell) []byte {
	switch string(c.typ) {
	case "s":
		i, ok := parseUint(bytes.TrimSpace(c.val), 1<<31-1)
		if !ok {
			return dst
		}
		v, _ := b.strings.get(i)
		return append(dst, v...)
	case "inlineStr":
		if c.hasInline {
			return append(dst, unescapeOOXML(c.inline, 0)...)
		}
		return append(dst, c.val...)
	case "str", "e", "d":
		return append(dst, c.val...)
	case "b":
		switch string(c.val) {
		case "1":
			return append(dst, "TRUE"...)
		case "0":
			return append(dst, "FALSE"...)
		}
		return append(dst, c.val...)
	}
	if len(c.val) == 0 {
		return dst
	}
	if f := b.format(c.style); f != nil {
		return f.appendValue(dst, c.val, b.date1904)
	}
	return appendGeneral(dst, c.val)
}

package formats

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// XLSSegments reads a legacy Excel 97–2003 workbook (BIFF8, the "Workbook"
// stream of an OLE2 file) and calls fn with segments of cells exactly as
// SpreadsheetSegments does for XLSX: sheet by sheet, Layout Cells, Sheet
// the sheet's name, the first row naming the columns.
//
// The records are read in one pass from the stream ([MS-XLS]): the
// globals (sheet names, the shared-string table, cell formats) come first,
// then each worksheet's cells in row order. Values are shown as the
// spreadsheet shows them where practical: shared and inline strings,
// numbers with their format's decimals, grouping and percent, dates as
// ISO dates, formulas' cached values. Charts and macro sheets are skipped.
// A workbook protected with a password (a FILEPASS record) returns
// ErrEncrypted; a broken one an error wrapping ErrMalformed, after the
// cells before the break. The shared-string table is held in memory, as
// for XLSX; the stream is at most the file, itself at most Macie's 512 MB.
func XLSSegments(ra io.ReaderAt, size int64, opt OfficeOptions, fn func(*Segment) error) error {
	opt = opt.withDefaults()
	streams, err := cfbStreams(ra, "Workbook")
	if err != nil {
		return err
	}
	wb := streams["Workbook"]
	if wb == nil {
		return fmt.Errorf("%w: xls: no Workbook stream", ErrMalformed)
	}
	x := &xlsReader{
		r:    bufio.NewReaderSize(io.NewSectionReader(streamReader{wb}, 0, wb.Size), 64<<10),
		sink: newSheetSink(opt.SegmentSize, fn),
		fmts: map[uint16]string{},
	}
	err = x.read()
	if ferr := x.sink.flush(); err == nil {
		err = ferr
	}
	return err
}

// BIFF8 record types used here.
const (
	xlsBOF        = 0x0809
	xlsEOF        = 0x000A
	xlsFilePass   = 0x002F
	xlsBoundSheet = 0x0085
	xlsSST        = 0x00FC
	xlsContinue   = 0x003C
	xlsXF         = 0x00E0
	xlsFormat     = 0x041E
	xlsDateMode   = 0x0022
	xlsLabelSST   = 0x00FD
	xlsLabel      = 0x0204
	xlsRString    = 0x00D6
	xlsNumber     = 0x0203
	xlsRK         = 0x027E
	xlsMulRK      = 0x00BD
	xlsFormula    = 0x0006
	xlsString     = 0x0207
)

// xlsMaxRecord is the largest record body BIFF8 allows.
const xlsMaxRecord = 8224

type xlsSheet struct {
	name string
	pos  uint32
}

type xlsReader struct {
	r    *bufio.Reader
	sink *sheetSink
	off  int64 // stream offset of the next record

	sheets   []xlsSheet
	sst      []string
	xfFormat []uint16          // format index of each XF
	fmts     map[uint16]string // custom number formats
	date1904 bool

	// The record read ahead (to gather CONTINUE records).
	peeked   bool
	peekTyp  uint16
	peekBody []byte
	peekOff  int64
}

// next returns the next record; io.EOF at the end of the stream.
func (x *xlsReader) next() (typ uint16, body []byte, off int64, err error) {
	if x.peeked {
		x.peeked = false
		return x.peekTyp, x.peekBody, x.peekOff, nil
	}
	var h [4]byte
	if _, err := io.ReadFull(x.r, h[:]); err != nil {
		if err == io.EOF {
			return 0, nil, 0, io.EOF
		}
		return 0, nil, 0, xlsErr(err)
	}
	typ, n := binary.LittleEndian.Uint16(h[:]), int(binary.LittleEndian.Uint16(h[2:]))
	if n > xlsMaxRecord {
		return 0, nil, 0, fmt.Errorf("%w: xls: record of %d bytes", ErrMalformed, n)
	}
	body = make([]byte, n)
	if _, err := io.ReadFull(x.r, body); err != nil {
		return 0, nil, 0, xlsErr(err)
	}
	off = x.off
	x.off += 4 + int64(n)
	return typ, body, off, nil
}

func (x *xlsReader) unread(typ uint16, body []byte, off int64) {
	x.peeked, x.peekTyp, x.peekBody, x.peekOff = true, typ, body, off
}

func xlsErr(err error) error {
	if errors.Is(err, ErrMalformed) {
		return err
	}
	return fmt.Errorf("%w: xls: truncated stream", ErrMalformed)
}

// xlsMaxSST bounds the shared-string table held in memory, so that memory
// stays bounded; a workbook with a larger one is reported malformed.
const xlsMaxSST = 256 << 20

// continued returns the bodies of the CONTINUE records that follow.
func (x *xlsReader) continued() ([][]byte, error) {
	var bodies [][]byte
	total := 0
	for {
		typ, body, off, err := x.next()
		if err == io.EOF {
			return bodies, nil
		}
		if err != nil {
			return nil, err
		}
		if typ != xlsContinue {
			x.unread(typ, body, off)
			return bodies, nil
		}
		if total += len(body); total > xlsMaxSST {
			return nil, fmt.Errorf("%w: xls: shared strings over %d bytes", ErrMalformed, xlsMaxSST)
		}
		bodies = append(bodies, body)
	}
}

func (x *xlsReader) read() error {
	// depth counts nested BOF/EOF pairs (a chart inside a sheet).
	depth, inSheet := 0, false
	var pendingRow, pendingCol int // a formula whose string value follows
	pending := false
	for {
		typ, body, off, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch typ {
		case xlsBOF:
			depth++
			inSheet = false
			if depth == 1 && len(body) >= 4 && binary.LittleEndian.Uint16(body[2:]) == 0x0010 {
				inSheet = true
				if err := x.sink.startSheet(x.sheetAt(off)); err != nil {
					return err
				}
			}
			continue
		case xlsEOF:
			depth = max(depth-1, 0)
			inSheet = false
			continue
		case xlsFilePass:
			return fmt.Errorf("xls: %w", ErrEncrypted)
		}
		if depth == 1 && !inSheet {
			if err := x.global(typ, body); err != nil {
				return err
			}
			continue
		}
		if !inSheet || depth != 1 {
			continue
		}
		if typ == xlsString && pending {
			pending = false
			s, _ := xlsString16(body)
			if err := x.sink.cell(pendingRow, pendingCol, s); err != nil {
				return err
			}
			continue
		}
		if len(body) < 6 {
			continue
		}
		row, col := int(binary.LittleEndian.Uint16(body))+1, int(binary.LittleEndian.Uint16(body[2:]))+1
		xf := binary.LittleEndian.Uint16(body[4:])
		var v string
		switch typ {
		case xlsLabelSST:
			if len(body) < 10 {
				continue
			}
			if i := binary.LittleEndian.Uint32(body[6:]); int(i) < len(x.sst) {
				v = x.sst[i]
			}
		case xlsLabel, xlsRString:
			v, _ = xlsString16(body[6:])
		case xlsNumber:
			if len(body) < 14 {
				continue
			}
			v = x.number(math.Float64frombits(binary.LittleEndian.Uint64(body[6:])), xf)
		case xlsRK:
			if len(body) < 10 {
				continue
			}
			v = x.number(rkValue(binary.LittleEndian.Uint32(body[6:])), xf)
		case xlsMulRK:
			// rw, colFirst, then (ixfe, rk) pairs, then colLast.
			for i, p := 0, body[4:len(body)-2]; len(p) >= 6; i, p = i+1, p[6:] {
				n := x.number(rkValue(binary.LittleEndian.Uint32(p[2:])), binary.LittleEndian.Uint16(p))
				if err := x.sink.cell(row, col+i, n); err != nil {
					return err
				}
			}
			continue
		case xlsFormula:
			if len(body) < 14 {
				continue
			}
			val := body[6:14]
			if val[6] == 0xFF && val[7] == 0xFF {
				// Not a number: a string (in the STRING record that
				// follows), a boolean, an error or empty.
				if val[0] == 0 {
					pending, pendingRow, pendingCol = true, row, col
				}
				continue
			}
			v = x.number(math.Float64frombits(binary.LittleEndian.Uint64(val)), xf)
		default:
			continue
		}
		pending = false
		if err := x.sink.cell(row, col, v); err != nil {
			return err
		}
	}
}

// global reads a record of the workbook globals.
func (x *xlsReader) global(typ uint16, body []byte) error {
	switch typ {
	case xlsBoundSheet:
		if len(body) < 8 {
			return fmt.Errorf("%w: xls: short sheet record", ErrMalformed)
		}
		name, _ := xlsString8(body[6:])
		x.sheets = append(x.sheets, xlsSheet{name: name, pos: binary.LittleEndian.Uint32(body)})
	case xlsSST:
		more, err := x.continued()
		if err != nil {
			return err
		}
		x.sst, err = readSST(append([][]byte{body}, more...))
		return err
	case xlsXF:
		if len(body) >= 4 {
			x.xfFormat = append(x.xfFormat, binary.LittleEndian.Uint16(body[2:]))
		}
	case xlsFormat:
		if len(body) >= 2 {
			s, _ := xlsString16(body[2:])
			x.fmts[binary.LittleEndian.Uint16(body)] = s
		}
	case xlsDateMode:
		x.date1904 = len(body) >= 2 && body[0] == 1
	}
	return nil
}

// sheetAt names the sheet whose BOF is at off; sheets with a wrong or
// missing position are numbered.
func (x *xlsReader) sheetAt(off int64) string {
	for _, s := range x.sheets {
		if int64(s.pos) == off {
			return s.name
		}
	}
	return "Sheet" + strconv.Itoa(len(x.sheets)+1)
}

// rkValue decodes an RK number: a 30-bit integer or the top 30 bits of a
// double, optionally divided by 100.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

// xlsString16 decodes an XLUnicodeString: a 16-bit count, flags, chars.
func xlsString16(b []byte) (string, int) {
	if len(b) < 3 {
		return "", len(b)
	}
	return xlsChars(b[3:], int(binary.LittleEndian.Uint16(b)), b[2]&1 != 0)
}

// xlsString8 decodes a ShortXLUnicodeString: an 8-bit count, flags, chars.
func xlsString8(b []byte) (string, int) {
	if len(b) < 2 {
		return "", len(b)
	}
	return xlsChars(b[2:], int(b[0]), b[1]&1 != 0)
}

// xlsChars decodes up to n characters, UTF-16LE when high, else Latin-1
// (the low bytes of UTF-16); it returns the string and the bytes used.
func xlsChars(b []byte, n int, high bool) (string, int) {
	if high {
		n = min(n, len(b)/2)
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u)), 2 * n
	}
	n = min(n, len(b))
	r := make([]rune, n)
	for i, c := range b[:n] {
		r[i] = rune(c)
	}
	return string(r), n
}

// sstCursor reads the shared-string table across its CONTINUE records: a
// string's characters may go on in the next record, which then starts
// with a new flags byte.
type sstCursor struct {
	recs [][]byte
	i    int
	b    []byte
}

var errSST = fmt.Errorf("%w: xls: shared strings", ErrMalformed)

func (c *sstCursor) avail() bool {
	for len(c.b) == 0 {
		if c.i+1 >= len(c.recs) {
			return false
		}
		c.i++
		c.b = c.recs[c.i]
	}
	return true
}

func (c *sstCursor) bytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		if !c.avail() {
			return nil, errSST
		}
		k := min(n-len(out), len(c.b))
		out = append(out, c.b[:k]...)
		c.b = c.b[k:]
	}
	return out, nil
}

func (c *sstCursor) skip(n int) error {
	for n > 0 {
		if !c.avail() {
			return errSST
		}
		k := min(n, len(c.b))
		c.b, n = c.b[k:], n-k
	}
	return nil
}

func readSST(recs [][]byte) ([]string, error) {
	if len(recs[0]) < 8 {
		return nil, errSST
	}
	unique := int(binary.LittleEndian.Uint32(recs[0][4:]))
	c := &sstCursor{recs: recs, b: recs[0][8:]}
	var out []string
	for len(out) < unique && c.avail() {
		h, err := c.bytes(3)
		if err != nil {
			return out, err
		}
		n, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&8 != 0 {
			b, err := c.bytes(2)
			if err != nil {
				return out, err
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&4 != 0 {
			b, err := c.bytes(4)
			if err != nil {
				return out, err
			}
			ext = int(int32(binary.LittleEndian.Uint32(b)))
			if ext < 0 {
				return out, errSST
			}
		}
		var sb strings.Builder
		high := flags&1 != 0
		for n > 0 {
			if len(c.b) == 0 {
				// The characters go on in the next record, which starts
				// with a byte saying how they are stored.
				if c.i+1 >= len(c.recs) {
					return out, errSST
				}
				c.i++
				c.b = c.recs[c.i]
				if len(c.b) > 0 {
					high = c.b[0]&1 != 0
					c.b = c.b[1:]
				}
				continue
			}
			s, used := xlsChars(c.b, n, high)
			if used == 0 {
				return out, errSST
			}
			sb.WriteString(s)
			c.b = c.b[used:]
			if high {
				used /= 2
			}
			n -= used
		}
		if err := c.skip(4*runs + ext); err != nil {
			return out, err
		}
		out = append(out, sb.String())
	}
	return out, nil
}

// number shows v as its cell format would, where practical.
func (x *xlsReader) number(v float64, xf uint16) string {
	f := ""
	if int(xf) < len(x.xfFormat) {
		id := x.xfFormat[xf]
		if s, ok := x.fmts[id]; ok {
			f = s
		} else {
			f = builtinNumFormats[int(id)] // as XLSX: the ids are Excel's
		}
	}
	return formatNumber(v, f, x.date1904)
}

// formatNumber applies the first section of a number format: decimals,
// thousands grouping and percent; a date or time format gives an ISO date
// (and time). Anything else (General, text, scientific) shows the number
// in full.
func formatNumber(v float64, f string, date1904 bool) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	sec := numberSection(f)
	switch {
	case sec == "" || strings.EqualFold(sec, "general") || sec == "@" || scientific(sec):
		return plainNumber(v)
	case strings.ContainsAny(sec, "yYdDhHsS") || strings.Contains(sec, "m") || strings.Contains(sec, "M"):
		return excelDate(v, date1904, strings.ContainsAny(sec, "hHsS"))
	}
	if strings.Contains(sec, "%") {
		v *= 100
	}
	decimals := 0
	if i := strings.IndexByte(sec, '.'); i >= 0 {
		for _, c := range sec[i+1:] {
			if c == '0' || c == '#' || c == '?' {
				decimals++
			}
		}
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	if strings.Contains(sec, ",") {
		s = groupThousands(s)
	}
	if v < 0 {
		s = "-" + s
	}
	if strings.Contains(sec, "%") {
		s += "%"
	}
	return s
}

// scientific reports whether a section shows an exponent (0.00E+00).
func scientific(sec string) bool {
	return strings.Contains(sec, "E+") || strings.Contains(sec, "E-") ||
		strings.Contains(sec, "e+") || strings.Contains(sec, "e-")
}

// plainNumber shows a number in full (a card number stored as a number
// keeps its digits), in exponent form only when huge.
func plainNumber(v float64) string {
	if math.Abs(v) < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// numberSection returns a format's first section without its quoted
// literals, escapes and bracketed colours or conditions.
func numberSection(f string) string {
	var b strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case quoted:
			quoted = c != '"'
		case bracket:
			bracket = c != ']'
		case c == '"':
			quoted = true
		case c == '[':
			bracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is a literal or a padding
		case c == ';':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func groupThousands(s string) string {
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}

// excelDate turns a serial date into an ISO date, with the time if asked.
func excelDate(v float64, date1904, withTime bool) string {
	if v < 0 || v > 2958465 { // past 9999-12-31
		return plainNumber(v)
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	t := base.Add(time.Duration(math.Round(v*86400)) * time.Second)
	if withTime {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02")
}

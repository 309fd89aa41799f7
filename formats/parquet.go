package formats

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// RecordsOptions bound the Parquet and Avro extractors.
type RecordsOptions struct {
	SegmentSize int // most value text per segment (default 1 MiB)
	// Reserve, when set, reserves n bytes of the scan's memory budget
	// before an Avro block that needs them is decoded (a zstd window, a
	// snappy block) or a Parquet row group is read (its largest pages),
	// and returns what gives them back. Its error ends the file with
	// ErrTooLarge after the records before.
	Reserve func(n int64) (release func(), err error)
}

var errBadRecordsOptions = errors.New("formats: records SegmentSize must be 0 (default) or at least 16")

// ParquetSegments reads a Parquet file through random access with the
// file's own schema (no Go struct) and calls fn with segments: Layout
// Records; one Part per non-null value that is a string (BYTE_ARRAY as
// text when valid UTF-8), a number or a date/time as text; Record = the
// row's 0-based index across row groups; Path = the JSON path of the
// column ($.address.city, $.tags[2] for repeated fields); Contexts = the
// path's element names (interned). Memory bounded by a row group's page
// reads, never the whole file. Malformed → error wrapping ErrMalformed.
//
// Paths follow JSONSegments' convention. A LIST-annotated group is one
// element with an index ($.tags[2], not $.tags.list[2].element); a MAP is
// written as the list of its entries ($.m[0].key, $.m[0].value); any other
// repeated field gets an index after its name. Booleans, nulls, empty
// strings and binary values that are not UTF-8 give no part. Text, Parts
// and Contexts are only valid during the call to fn; an error from fn is
// returned as it is.
func ParquetSegments(ra io.ReaderAt, size int64, opt RecordsOptions, fn func(*Segment) error) error {
	w, err := newRecWriter(opt, fn)
	if err != nil {
		return err
	}
	f, err := openParquet(ra, size)
	if err != nil {
		return err
	}
	leaves, err := parquetLeaves(f)
	if err != nil {
		return err
	}
	rows := make([]parquet.Row, 64)
	record := 0
	var text []byte
	var elems []string
	for gi, rg := range f.RowGroups() {
		pages, err := checkParquetPages(ra, size, f, gi)
		if err != nil {
			return err
		}
		release := func() {}
		if opt.Reserve != nil {
			if release, err = opt.Reserve(pages); err != nil {
				return fmt.Errorf("%w: parquet: row group %d: pages of %d bytes: %v", ErrTooLarge, gi, pages, err)
			}
		}
		err = parquetRowGroup(rg, gi, leaves, rows, &record, &text, &elems, w)
		release()
		if err != nil {
			return err
		}
	}
	return w.flush()
}

// parquetRowGroup reads one row group's rows into w.
func parquetRowGroup(rg parquet.RowGroup, gi int, leaves []*pqLeaf, rows []parquet.Row, record *int, textp *[]byte, elemsp *[]string, w *recWriter) error {
	text, elems := *textp, *elemsp
	defer func() { *textp, *elemsp = text, elems }()
	rr, err := parquetRows(rg)
	if err != nil {
		return err
	}
	for {
		n, rerr := readParquetRows(rr, rows)
		for _, row := range rows[:n] {
			for _, l := range leaves {
				l.reset()
			}
			for _, v := range row {
				c := v.Column()
				if c < 0 || c >= len(leaves) {
					closeParquetRows(rr)
					return fmt.Errorf("%w: parquet: row group %d: value of an unknown column", ErrMalformed, gi)
				}
				l := leaves[c]
				l.advance(v.RepetitionLevel())
				if v.IsNull() || v.DefinitionLevel() != l.maxDef {
					continue
				}
				text = l.appendText(text[:0], v)
				if len(text) == 0 {
					continue
				}
				path := l.path
				if l.maxRep > 0 {
					elems = l.elements(elems[:0])
					path = joinPath(elems)
				}
				if err := w.add(*record, path, l.ctxKey, l.names, text); err != nil {
					closeParquetRows(rr)
					return err
				}
			}
			*record++
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			closeParquetRows(rr)
			return rerr
		}
	}
	closeParquetRows(rr)
	return nil
}

// openParquet opens the file, turning the library's panics on malformed
// metadata into ErrMalformed.
func openParquet(ra io.ReaderAt, size int64) (f *parquet.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: parquet: invalid metadata", ErrMalformed)
		}
	}()
	// parquet-go allocates the footer length the file claims before
	// checking it against the file's size.
	var tail [8]byte
	if size < 12 {
		return nil, fmt.Errorf("%w: parquet: too short", ErrMalformed)
	}
	if _, err := ra.ReadAt(tail[:], size-8); err != nil {
		return nil, fmt.Errorf("formats: read Parquet: %w", err)
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 {
		return nil, fmt.Errorf("%w: parquet: footer longer than the file", ErrMalformed)
	}
	f, err = parquet.OpenFile(ra, size,
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(64<<10),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: parquet: cannot open the file", ErrMalformed)
	}
	return f, nil
}

func parquetRows(rg parquet.RowGroup) (rr parquet.Rows, err error) {
	defer func() {
		if r := recover(); r != nil {
			rr, err = nil, fmt.Errorf("%w: parquet: invalid row group", ErrMalformed)
		}
	}()
	return rg.Rows(), nil
}

func readParquetRows(rr parquet.Rows, rows []parquet.Row) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("%w: parquet: invalid page", ErrMalformed)
		}
	}()
	n, err = rr.ReadRows(rows)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: parquet: invalid page", ErrMalformed)
	}
	return n, err
}

func closeParquetRows(rr parquet.Rows) {
	defer func() { _ = recover() }()
	_ = rr.Close()
}

// Page limits. parquet-go allocates what a page header claims, so a
// malformed header of a few bytes could claim gigabytes: the headers of a
// row group are read first, and a page whose claims its bytes cannot back
// is malformed. A page may inflate past parquetMaxRatio times its size
// only up to parquetMinPage (dictionary and RLE pages of one repeated value
// do), and never past parquetMaxPage; it may hold more values than its
// bytes ×8 only up to the row group's rows plus parquetMinPage.
const (
	parquetMaxRatio = 1100 // above deflate's limit (1032)
	parquetMinPage  = 8 << 20
	parquetMaxPage  = 1 << 30
)

// checkParquetPages reads the page headers of row group gi's column
// chunks (not their data), checks their sizes against the file, and
// returns the memory reading the row group takes: parquet-go holds one
// page of each column at once, compressed and inflated, and a
// dictionary page beside it, so for each column its largest dictionary
// page and its largest data page.
func checkParquetPages(ra io.ReaderAt, size int64, f *parquet.File, gi int) (memory int64, err error) {
	defer func() {
		if r := recover(); r != nil {
			memory, err = 0, fmt.Errorf("%w: parquet: row group %d: invalid page header", ErrMalformed, gi)
		}
	}()
	bad := func(what string) error {
		return fmt.Errorf("%w: parquet: row group %d: %s", ErrMalformed, gi, what)
	}
	md := f.Metadata()
	if gi >= len(md.RowGroups) {
		return 0, bad("missing from the metadata")
	}
	rg := &md.RowGroups[gi]
	cr := &countReader{}
	var proto thrift.CompactProtocol
	for ci := range rg.Columns {
		var dictPage, dataPage int64
		cm := &rg.Columns[ci].MetaData
		pos := cm.DataPageOffset
		if cm.DictionaryPageOffset > 0 && cm.DictionaryPageOffset < pos {
			pos = cm.DictionaryPageOffset
		}
		end := pos + cm.TotalCompressedSize
		if pos < 0 || cm.TotalCompressedSize < 0 || end > size || end < pos {
			return 0, bad("column chunk outside the file")
		}
		for pos < end {
			cr.reset(io.NewSectionReader(ra, pos, end-pos))
			var h format.PageHeader
			if err := thrift.NewDecoder(proto.NewReader(cr)).Decode(&h); err != nil {
				return 0, bad("invalid page header")
			}
			comp, unc := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
			if comp < 0 || unc < 0 || pos+cr.n+comp > end {
				return 0, bad("page outside its column chunk")
			}
			if unc > parquetMaxPage || unc > max(parquetMinPage, parquetMaxRatio*comp) {
				return 0, bad("page inflates past the limit")
			}
			var values int64
			switch {
			case h.DataPageHeader.Valid:
				values = int64(h.DataPageHeader.V.NumValues)
			case h.DataPageHeaderV2.Valid:
				values = int64(h.DataPageHeaderV2.V.NumValues)
			case h.DictionaryPageHeader.Valid:
				values = int64(h.DictionaryPageHeader.V.NumValues)
			}
			if values < 0 || values > 8*unc+rg.NumRows+parquetMinPage {
				return 0, bad("page claims more values than it holds")
			}
			if h.DictionaryPageHeader.Valid {
				dictPage = max(dictPage, comp+unc)
			} else {
				dataPage = max(dataPage, comp+unc)
			}
			pos += cr.n + comp
		}
		memory += dictPage + dataPage
	}
	return memory, nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r *bufio.Reader
	n int64
}

func (c *countReader) reset(r io.Reader) {
	if c.r == nil {
		c.r = bufio.NewReaderSize(r, 512)
	} else {
		c.r.Reset(r)
	}
	c.n = 0
}

func (c *countReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

func (c *countReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// pqStep is an element of a leaf column's path: a name, an index, or both
// (a repeated field: name then index). rep is the repetition level whose
// counter gives the index (0 for none).
type pqStep struct {
	name  string // rendered element ("" for none)
	rep   int
	named bool
}

// pqLeaf is a leaf column: how to render its values and their paths.
type pqLeaf struct {
	steps  []pqStep
	names  []string // element names on the path, for Contexts
	ctxKey string   // names joined by NUL, for interning
	path   string   // the rendered path when maxRep is 0
	maxRep int
	maxDef int
	idx    []int // idx[r]: the current index at repetition level r
	first  bool
	// lt is the column's logical type, looked up once: looking it up for
	// every value was a tenth of the extractor's time.
	lt struct {
		date    *format.DateType
		tod     *format.TimeType
		ts      *format.TimestampType
		dec     *format.DecimalType
		integer *format.IntType
		uuid    *format.UUIDType
	}
}

func (l *pqLeaf) reset() { l.first = true }

// advance moves the indexes on for a value at repetition level r.
func (l *pqLeaf) advance(r int) {
	if l.maxRep == 0 {
		return
	}
	if l.first || r == 0 {
		clear(l.idx)
		l.first = false
		return
	}
	if r > l.maxRep {
		r = l.maxRep
	}
	l.idx[r]++
	clear(l.idx[r+1:])
}

func (l *pqLeaf) elements(dst []string) []string {
	for _, s := range l.steps {
		if s.named {
			dst = append(dst, s.name)
		}
		if s.rep > 0 {
			dst = append(dst, "["+strconv.Itoa(l.idx[s.rep])+"]")
		}
	}
	return dst
}

// parquetLeaves walks the schema into leaf columns, indexed by column.
func parquetLeaves(f *parquet.File) (leaves []*pqLeaf, err error) {
	defer func() {
		if r := recover(); r != nil {
			leaves, err = nil, fmt.Errorf("%w: parquet: invalid schema", ErrMalformed)
		}
	}()
	var walk func(c *parquet.Column, steps []pqStep, names []string, rep int)
	walk = func(c *parquet.Column, steps []pqStep, names []string, rep int) {
		name := c.Name()
		step := pqStep{name: renderName(lastRunes(name, maxPathNameRunes)), named: true}
		names = append(names[:len(names):len(names)], name)
		if c.Repeated() {
			rep++
			step.rep = rep
		}
		kids := c.Columns()
		var ltv format.LogicalTypeValue
		if lt := c.Type().LogicalType(); lt != nil {
			ltv = lt.Value
		}
		_, isList := ltv.(*format.ListType)
		_, isMap := ltv.(*format.MapType)
		if !c.Leaf() && (isList || isMap) && len(kids) == 1 && kids[0].Repeated() {
			// LIST or MAP: the repeated child is the index of this element.
			r := kids[0]
			rep++
			step.rep = rep
			steps = append(steps[:len(steps):len(steps)], step)
			gk := r.Columns()
			switch {
			case r.Leaf():
				addLeaf(&leaves, r, steps, names, rep)
			case isList && len(gk) == 1:
				// The element: its own name is not a path element.
				e := gk[0]
				if e.Leaf() {
					addLeaf(&leaves, e, steps, names, rep+boolInt(e.Repeated()))
				} else {
					for _, k := range e.Columns() {
						walk(k, steps, names, rep+boolInt(e.Repeated()))
					}
				}
			default:
				for _, k := range gk {
					walk(k, steps, names, rep)
				}
			}
			return
		}
		steps = append(steps[:len(steps):len(steps)], step)
		if c.Leaf() {
			addLeaf(&leaves, c, steps, names, rep)
			return
		}
		for _, k := range kids {
			walk(k, steps, names, rep)
		}
	}
	for _, c := range f.Root().Columns() {
		walk(c, nil, nil, 0)
	}
	for i, l := range leaves {
		if l == nil {
			return nil, fmt.Errorf("%w: parquet: column %d missing from the schema", ErrMalformed, i)
		}
	}
	return leaves, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func addLeaf(leaves *[]*pqLeaf, c *parquet.Column, steps []pqStep, names []string, rep int) {
	i := c.Index()
	if i < 0 || i > 1<<20 {
		panic("column index")
	}
	for len(*leaves) <= i {
		*leaves = append(*leaves, nil)
	}
	l := &pqLeaf{
		steps:  steps,
		names:  names,
		ctxKey: strings.Join(names, "\x00"),
		maxRep: c.MaxRepetitionLevel(),
		maxDef: c.MaxDefinitionLevel(),
	}
	var ltv format.LogicalTypeValue
	if typ := c.Type(); typ != nil {
		if lt := typ.LogicalType(); lt != nil {
			ltv = lt.Value
		}
	}
	l.lt.date, _ = ltv.(*format.DateType)
	l.lt.tod, _ = ltv.(*format.TimeType)
	l.lt.ts, _ = ltv.(*format.TimestampType)
	l.lt.dec, _ = ltv.(*format.DecimalType)
	l.lt.integer, _ = ltv.(*format.IntType)
	l.lt.uuid, _ = ltv.(*format.UUIDType)
	l.idx = make([]int, l.maxRep+1)
	if l.maxRep == 0 {
		l.path = joinPath(l.elements(nil))
	}
	(*leaves)[i] = l
}

// appendText appends the text of a non-null value: strings and UTF-8
// binary as they are, numbers in decimal, dates and times in ISO 8601.
// Booleans and other binary give nothing.
func (l *pqLeaf) appendText(dst []byte, v parquet.Value) []byte {
	date, tod, ts, dec, integer, uuid := l.lt.date, l.lt.tod, l.lt.ts, l.lt.dec, l.lt.integer, l.lt.uuid
	switch v.Kind() {
	case parquet.Boolean:
		return dst
	case parquet.Int32:
		switch {
		case date != nil:
			return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(dst, "2006-01-02")
		case tod != nil:
			return appendTimeOfDay(dst, int64(v.Int32()), &tod.Unit)
		case dec != nil:
			return appendDecimal(dst, big.NewInt(int64(v.Int32())), int(dec.Scale))
		case integer != nil && !integer.IsSigned:
			return strconv.AppendUint(dst, uint64(v.Uint32()), 10)
		}
		return strconv.AppendInt(dst, int64(v.Int32()), 10)
	case parquet.Int64:
		switch {
		case ts != nil:
			return appendTimestamp(dst, v.Int64(), &ts.Unit)
		case tod != nil:
			return appendTimeOfDay(dst, v.Int64(), &tod.Unit)
		case dec != nil:
			return appendDecimal(dst, big.NewInt(v.Int64()), int(dec.Scale))
		case integer != nil && !integer.IsSigned:
			return strconv.AppendUint(dst, v.Uint64(), 10)
		}
		return strconv.AppendInt(dst, v.Int64(), 10)
	case parquet.Int96:
		t := v.Int96()
		nanos := int64(uint64(t[1])<<32 | uint64(t[0]))
		days := int64(t[2]) - 2440588 // Julian day of 1970-01-01
		return time.Unix(days*86400, nanos).UTC().AppendFormat(dst, time.RFC3339Nano)
	case parquet.Float:
		return strconv.AppendFloat(dst, float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.AppendFloat(dst, v.Double(), 'g', -1, 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		b := v.ByteArray()
		switch {
		case dec != nil:
			return appendDecimal(dst, twosComplement(b), int(dec.Scale))
		case uuid != nil && len(b) == 16:
			const hex = "0123456789abcdef"
			for i, c := range b {
				if i == 4 || i == 6 || i == 8 || i == 10 {
					dst = append(dst, '-')
				}
				dst = append(dst, hex[c>>4], hex[c&15])
			}
			return dst
		case utf8.Valid(b):
			return append(dst, b...)
		}
	}
	return dst
}

func appendTimestamp(dst []byte, v int64, u *format.TimeUnit) []byte {
	var t time.Time
	switch {
	case isUnit[*format.MilliSeconds](u):
		t = time.UnixMilli(v)
	case isUnit[*format.NanoSeconds](u):
		t = time.Unix(0, v)
	default:
		t = time.UnixMicro(v)
	}
	return t.UTC().AppendFormat(dst, time.RFC3339Nano)
}

func appendTimeOfDay(dst []byte, v int64, u *format.TimeUnit) []byte {
	var d time.Duration
	switch {
	case isUnit[*format.MilliSeconds](u):
		d = time.Duration(v) * time.Millisecond
	case isUnit[*format.NanoSeconds](u):
		d = time.Duration(v)
	default:
		d = time.Duration(v) * time.Microsecond
	}
	return time.Unix(0, 0).UTC().Add(d).AppendFormat(dst, "15:04:05.999999999")
}

// twosComplement reads a big-endian two's complement integer.
func twosComplement(b []byte) *big.Int {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
	}
	return n
}

// appendDecimal writes n scaled down by 10^scale.
func appendDecimal(dst []byte, n *big.Int, scale int) []byte {
	if scale <= 0 || scale > 1000 {
		return n.Append(dst, 10)
	}
	s := n.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = append(dst, s[:len(s)-scale]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-scale:]...)
}

// joinPath writes a JSON path from its rendered elements (.name, ['n'],
// [2]), cut as JSONSegments cuts paths: longer than 250 runes, it loses
// whole elements from the front and becomes "$..rest".
func joinPath(elems []string) string {
	n := 1
	for _, e := range elems {
		n += utf8.RuneCountInString(e)
	}
	if n <= maxPathRunes {
		return "$" + strings.Join(elems, "")
	}
	i := 0
	for i < len(elems)-1 && n > maxPathRunes-2 { // "$.." for "$"; a kept .name loses its dot
		n -= utf8.RuneCountInString(elems[i])
		i++
	}
	rest := strings.TrimPrefix(strings.Join(elems[i:], ""), ".")
	if r := []rune(rest); len(r) > maxPathRunes-3 {
		rest = string(r[len(r)-(maxPathRunes-3):])
	}
	return "$.." + rest
}

// ---- Segment writer shared by the Parquet and Avro extractors ----

// recWriter gathers values into segments of Layout Records: the values'
// text joined by '\n', one part each, with Contexts interned per segment.
type recWriter struct {
	fn       func(*Segment) error
	seg      Segment
	buf      []byte
	parts    []Part
	contexts [][]string
	ctxIdx   map[string]int
	size     int
	overlap  int
	context  int
	owned    int
}

func newRecWriter(opt RecordsOptions, fn func(*Segment) error) (*recWriter, error) {
	size := opt.SegmentSize
	if size == 0 {
		size = defaultJSONSegmentSize
	}
	if size < minJSONSegmentSize {
		return nil, errBadRecordsOptions
	}
	w := &recWriter{
		fn:      fn,
		buf:     make([]byte, 0, min(size, 4<<10)),
		size:    size,
		overlap: min(16<<10, size/4),
		context: min(1<<10, size/8),
		ctxIdx:  make(map[string]int),
	}
	w.seg.Layout = Records
	w.seg.Line, w.seg.Column = 1, 1
	return w, nil
}

// ctx interns the names of a path (key is them joined by NUL).
func (w *recWriter) ctx(key string, names []string) int {
	if len(names) == 0 {
		return -1
	}
	if i, ok := w.ctxIdx[key]; ok {
		return i
	}
	i := len(w.contexts)
	w.contexts = append(w.contexts, slices.Clone(names))
	w.ctxIdx[key] = i
	return i
}

// add appends a value (non-empty text) as a part, handing the segment
// over first when it has no room; a value longer than a segment is cut as
// JSONSegments cuts one: each segment owns its piece up to OwnedEnd and
// the next one starts with its last bytes again (Owned says how many).
func (w *recWriter) add(record int, path, ctxKey string, names []string, text []byte) error {
	if len(w.parts) > 0 && (len(w.parts) >= jsonMaxParts || len(w.buf)+1+len(text) > w.size) {
		if err := w.emit(len(w.buf), 0); err != nil {
			return err
		}
		w.buf, w.owned = w.buf[:0], 0
	}
	if len(w.parts) > 0 {
		w.buf = append(w.buf, '\n')
	}
	start := len(w.buf)
	for {
		room := w.size - len(w.buf)
		if len(text) <= room {
			w.buf = append(w.buf, text...)
			w.parts = append(w.parts, Part{Start: start, End: len(w.buf), Ctx: w.ctx(ctxKey, names), Record: record, Path: path})
			return nil
		}
		// Here the segment holds nothing but this value (start is 0).
		w.buf = append(w.buf, text[:room]...)
		text = text[room:]
		w.parts = append(w.parts, Part{Start: start, End: len(w.buf), Ctx: w.ctx(ctxKey, names), Record: record, Path: path})
		cut := runeStart(w.buf, len(w.buf)-w.overlap)
		if err := w.emit(len(w.buf), cut); err != nil {
			return err
		}
		keep := runeStart(w.buf, cut-w.context)
		w.buf = w.buf[:copy(w.buf, w.buf[keep:])]
		w.owned, start = cut-keep, 0
	}
}

// emit calls fn with buf[:end] and the parts, then starts a new set of
// parts and contexts. The caller sets buf and owned.
func (w *recWriter) emit(end, ownedEnd int) error {
	w.seg.Text, w.seg.Parts, w.seg.Contexts = w.buf[:end], w.parts, w.contexts
	w.seg.Owned, w.seg.OwnedEnd, w.seg.lineStarts = w.owned, ownedEnd, nil
	err := w.fn(&w.seg)
	clear(w.parts)
	w.parts = w.parts[:0]
	clear(w.contexts)
	w.contexts = w.contexts[:0]
	clear(w.ctxIdx)
	return err
}

// flush hands over the last segment, if it has values.
func (w *recWriter) flush() error {
	if len(w.parts) == 0 {
		return nil
	}
	return w.emit(len(w.buf), 0)
}

func isUnit[T format.TimeUnitValue](u *format.TimeUnit) bool {
	_, ok := u.Value.(T)
	return ok
}

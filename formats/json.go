package formats

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrNestingTooDeep: the document nests objects and arrays deeper than
// JSONOptions.MaxDepth (Macie's JSON_NESTING_LEVEL_OVER_LIMIT).
var ErrNestingTooDeep = errors.New("JSON nesting over the limit")

// JSONOptions bound the extractor.
type JSONOptions struct {
	SegmentSize int  // max bytes of value text per segment (default 1 MiB when 0)
	Lines       bool // JSON Lines: each line is a record; recordIndex is the 0-based line index, blank lines included
	MaxDepth    int  // nesting limit (default 256, Macie's)
}

const (
	defaultJSONSegmentSize = 1 << 20
	defaultJSONMaxDepth    = 256
	// minJSONSegmentSize leaves room, once a value longer than a segment is
	// cut, for the overlap, the context and the rune alignment of both cuts
	// (see TextSegments' minOwned) with at least one byte owned.
	minJSONSegmentSize = 16
	// jsonMaxParts caps the parts of one segment: a segment of one-digit
	// numbers would otherwise hold half a million Parts (64 bytes each) per
	// MiB of text.
	jsonMaxParts = 1 << 15
	// jsonMaxNodes caps the path nodes of one segment (with their rendered
	// paths, up to 250 runes each). Parts alone do not bound them: each
	// value of [[[...1]]],[[[...1]]],... brings a new chain of 255.
	jsonMaxNodes = 1 << 15
	// jsonMaxNameBytes caps the element name kept for paths and contexts. A
	// key is scanned in full as a part of its own; only its last
	// jsonMaxNameBytes bytes name the path (Macie itself cuts names from the
	// front), which is more than the 240 characters a path shows.
	jsonMaxNameBytes = 1024
	jsonReadSize     = 32 << 10
	// Macie's jsonPath limits, in characters (runes here).
	maxPathNameRunes = 240
	maxPathRunes     = 250
)

var errBadJSONOptions = errors.New("formats: JSON SegmentSize must be 0 (default) or at least 16")

// JSONSegments streams a JSON document or JSON Lines (input is UTF-8; a
// leading byte-order mark is skipped) and calls fn with segments of Layout
// Records. Text is the text of string values, numbers and object keys joined
// by '\n' (keys are scanned too: a field name can itself be sensitive);
// booleans, null and empty strings give no part. Each part has Record (0
// for a JSON document, the 0-based line for JSON Lines) and Path, Macie's
// JSON path of the value (for a key, the path of the value it names), and
// Ctx, an index into Contexts, whose entries are the element names on that
// path (array indexes are not names; -1 when there are none). Contexts are
// interned per segment: values sharing a list of names share an entry. A
// name there is the key as it is (up to its last 1,024 bytes), not cut to
// 240 runes as in the path.
//
// Path convention. A name made only of [A-Za-z0-9_] and not starting with a
// digit is written $.name; any other name, the empty one included, in
// bracket form $['a b'], escaped as RFC 9535 normalized paths do (\' \\ and
// \b \f \n \r \t \u00XX for controls); array indexes as [2]. A name longer
// than 240 runes keeps its last 240. A path longer than 250 runes loses
// whole elements from the front and becomes a descendant query ending in
// what is left, "$..c[2].d", which is valid JSONPath and still matches the
// value; were the last element alone too long (escapes), its name loses
// more runes from the front.
//
// Strings are unescaped (invalid surrogates become U+FFFD, as encoding/json
// does); other bytes pass through as they are. Parsing is strict RFC 8259:
// in JSON Lines a value may not span lines, and in both modes anything after
// the value (of the document, or of a line) is malformed.
//
// Segments hold at most SegmentSize bytes; memory is bounded by that and
// MaxDepth whatever the size of the input. A value longer than a segment
// is cut the way TextSegments cuts text: its segment owns its text up to
// OwnedEnd, and the next segment starts with the last bytes again (Owned
// says how many), so a match across the cut is seen whole once; the pieces
// of a key cut so are located at its object until the last one. Otherwise
// Owned and OwnedEnd are 0.
//
// Deeper nesting than MaxDepth returns an error wrapping ErrNestingTooDeep,
// and malformed input one wrapping ErrMalformed, in both cases after fn has
// had the complete values before the fault; the message gives the line, and
// never any of the input's content. A read error is returned wrapped; an
// error from fn is returned as it is. The segment, its Text, Parts and
// Contexts are only valid during the call.
func JSONSegments(r io.Reader, opt JSONOptions, fn func(*Segment) error) error {
	size := opt.SegmentSize
	if size == 0 {
		size = defaultJSONSegmentSize
	}
	if size < minJSONSegmentSize {
		return errBadJSONOptions
	}
	depth := opt.MaxDepth
	if depth <= 0 {
		depth = defaultJSONMaxDepth
	}
	p := &jsonParser{
		r:        r,
		in:       make([]byte, jsonReadSize),
		lines:    opt.Lines,
		maxDepth: depth,
		fn:       fn,
		// Grown by append up to size, so a small file costs little.
		buf:  make([]byte, 0, min(size, 4<<10)),
		size: size,
		// The same overlap and context as DefaultTextOptions, scaled down
		// for small segments so that each segment still owns some bytes.
		overlap:  min(16<<10, size/4),
		context:  min(1<<10, size/8),
		kids:     make(map[childKey]int),
		sparse:   make(map[childKey]int),
		rootKids: make(map[string]int),
	}
	p.seg.Layout = Records
	p.seg.Line, p.seg.Column = 1, 1 // unused by Records; valid if Locate is called
	p.resetPaths()
	err := p.run()
	if p.fnErr != nil {
		return p.fnErr
	}
	// The last values, or on a fault the complete values before it (not
	// the one it cut short).
	if len(p.parts) > 0 {
		if ferr := p.emit(p.parts[len(p.parts)-1].End, 0); ferr != nil {
			return ferr
		}
	}
	return err
}

// jsonParser is a streaming JSON tokenizer (a state machine over a read
// buffer, with an explicit stack) feeding a segment writer. It never holds
// a whole value: string and number bytes go straight to the segment.
type jsonParser struct {
	// Input.
	r    io.Reader
	in   []byte // read buffer; in[i:n] is unread
	i, n int
	rerr error // from r, once seen (io.EOF at the end)
	line int   // '\n' consumed so far: the 0-based line of the next byte

	lines    bool
	maxDepth int
	frames   []jsonFrame // open objects and arrays
	inKey    bool        // the string being read is an object key
	keyHead  []byte      // a key cut across segments: its end so far, before buf

	// Segment writer.
	fn       func(*Segment) error
	fnErr    error
	seg      Segment
	buf      []byte // segment text, len(buf) <= size
	size     int
	overlap  int
	context  int
	parts    []Part
	owned    int // bytes at the start of buf that repeat the previous segment
	sepStart int // where the value being read begins, its separator included
	valStart int // where its text begins
	record   int

	// Paths and names of this segment, so that each distinct path is
	// rendered, and each distinct list of names added to Contexts, once
	// per segment however many values share it. Names form a trie of their
	// own (contexts, with ctxs beside), shared by all the elements of an
	// array; path nodes are keyed by integers only (parent node, and index
	// or context), so a new element costs no string hashing.
	nodes    []jsonNode
	kids     map[childKey]int // named members
	sparse   map[childKey]int // array elements not in idxKids
	contexts [][]string
	ctxs     []ctxInfo      // beside contexts
	rootKids map[string]int // contexts of top-level names
	scratch  []byte
	gen      uint64 // bumped when nodes are dropped; frames resolve again
}

type jsonFrame struct {
	array bool
	idx   int    // index of the current element (arrays)
	name  string // name of the current member (objects)
	node  int    // path node of the current member, valid if gen matches
	gen   uint64
}

type jsonNode struct {
	parent int
	idx    int    // array index, or -1 for a named member
	ctx    int    // index in contexts of the names on the path, -1 for none
	elem   string // this element rendered ("", until needed)
	eRunes int    // of elem
	path   string // the whole path rendered ("", until needed)
	runes  int    // of path
	nelem  int    // elements in path
	cut    bool   // path lost elements from its front ("$..")
	// idxKids are the nodes of the elements idxBase, idxBase+1, ... of an
	// array, as long as they come in order (the usual case: cheaper than a
	// map). idxBase is where the segment found the array.
	idxKids []int
	idxBase int
}

// ctxInfo is about the last name of a Contexts entry.
type ctxInfo struct {
	name   string
	elem   string         // name rendered as a path element
	eRunes int            // of elem
	kids   map[string]int // entries one name longer
}

// childKey names a path node: its parent node and its step, an array
// index (>= 0) or -1-ctx for a member whose names are contexts[ctx].
type childKey struct{ parent, step int }

// ---- Grammar ----

func (p *jsonParser) run() error {
	if p.ensure(3) && string(p.in[p.i:p.i+3]) == "\xef\xbb\xbf" {
		p.i += 3
	}
	if !p.lines {
		if _, ok := p.next(); !ok {
			return p.atEOF() // empty or blank: nothing to scan
		}
		if err := p.value(); err != nil {
			return err
		}
		if _, ok := p.next(); ok {
			return p.malformed("data after the JSON value")
		}
		return p.atEOF()
	}
	for {
		c, ok := p.next()
		if !ok {
			return p.atEOF()
		}
		if c == '\n' { // every line is a record index, blank ones too
			p.i++
			p.line++
			p.record = p.line
			continue
		}
		if err := p.value(); err != nil {
			return err
		}
		if c, ok = p.next(); ok && c != '\n' {
			return p.malformed("more than one value on the line")
		}
	}
}

// value reads one whole value, nested ones included, iteratively so that
// depth costs no Go stack.
func (p *jsonParser) value() error {
	for {
		c, ok := p.next()
		if !ok {
			return p.errEnd()
		}
		switch {
		case c == '{' || c == '[':
			p.i++
			if len(p.frames) >= p.maxDepth {
				return fmt.Errorf("%w: %s: deeper than %d levels", ErrNestingTooDeep, p.where(), p.maxDepth)
			}
			p.frames = append(p.frames, jsonFrame{array: c == '['})
			d, ok := p.next()
			if !ok {
				return p.errEnd()
			}
			if (c == '{' && d == '}') || (c == '[' && d == ']') {
				p.i++
				p.frames = p.frames[:len(p.frames)-1]
				break // an empty container: a complete value
			}
			if c == '{' {
				if err := p.key(); err != nil {
					return err
				}
			}
			continue // read the first member's value
		case c == '"':
			p.i++
			if err := p.begin(); err != nil {
				return err
			}
			if err := p.str(); err != nil {
				return err
			}
			p.end(p.current())
		case c == '-' || (c >= '0' && c <= '9'):
			if err := p.begin(); err != nil {
				return err
			}
			if err := p.number(); err != nil {
				return err
			}
			p.end(p.current())
		case c == 't':
			if err := p.literal("true"); err != nil {
				return err
			}
		case c == 'f':
			if err := p.literal("false"); err != nil {
				return err
			}
		case c == 'n':
			if err := p.literal("null"); err != nil {
				return err
			}
		case c == '\n':
			return p.malformed("value cut by the end of the line")
		default:
			return p.malformed("invalid character where a value should be")
		}
		// A value is complete: close what it completes, or move on to the
		// next member.
		more, err := p.afterValue()
		if err != nil || !more {
			return err
		}
	}
}

// afterValue reads separators and closing brackets after a value; more is
// true when another value is to be read.
func (p *jsonParser) afterValue() (more bool, err error) {
	for len(p.frames) > 0 {
		c, ok := p.next()
		if !ok {
			return false, p.errEnd()
		}
		f := &p.frames[len(p.frames)-1]
		switch {
		case c == ',':
			p.i++
			if f.array {
				f.idx++
				f.gen = 0
				return true, nil
			}
			return true, p.key()
		case f.array && c == ']', !f.array && c == '}':
			p.i++
			p.frames = p.frames[:len(p.frames)-1]
		case c == '\n':
			return false, p.malformed("value cut by the end of the line")
		default:
			return false, p.malformed("invalid character after a value")
		}
	}
	return false, nil
}

// key reads `"name" :` in the innermost object, making name its current
// member.
func (p *jsonParser) key() error {
	c, ok := p.next()
	if !ok {
		return p.errEnd()
	}
	if c != '"' {
		return p.malformed("invalid character where a key should be")
	}
	p.i++
	if err := p.begin(); err != nil {
		return err
	}
	p.inKey = true
	p.keyHead = p.keyHead[:0]
	err := p.str()
	p.inKey = false
	if err != nil {
		return err
	}
	k := len(p.frames) - 1
	name := p.buf[p.valStart:]
	if len(p.keyHead) > 0 {
		p.keyHead = append(p.keyHead, name...)
		name = p.keyHead
	}
	parent := p.resolve(k - 1)
	ctx := p.nameCtxBytes(p.nodes[parent].ctx, tail(name, jsonMaxNameBytes))
	node := p.nameChild(parent, ctx)
	f := &p.frames[k]
	f.name, f.node, f.gen = p.ctxs[ctx].name, node, p.gen
	p.end(node)
	if c, ok = p.next(); !ok {
		return p.errEnd()
	}
	if c != ':' {
		return p.malformed("invalid character after a key")
	}
	p.i++
	return nil
}

// str reads a string's contents up to and including its closing quote
// (the opening one is consumed), unescaping them into the segment.
func (p *jsonParser) str() error {
	for {
		if p.i == p.n && !p.fill() {
			return p.errEnd()
		}
		in := p.in[p.i:p.n]
		j := 0
		for j < len(in) {
			if c := in[j]; c == '"' || c == '\\' || c < 0x20 {
				break
			}
			j++
		}
		if j > 0 {
			if err := p.write(in[:j]); err != nil {
				return err
			}
			p.i += j
		}
		if j == len(in) {
			continue
		}
		switch in[j] {
		case '"':
			p.i++
			return nil
		case '\\':
			p.i++
			if err := p.escape(); err != nil {
				return err
			}
		default:
			return p.malformed("control character in a string")
		}
	}
}

// escape reads the escape after a backslash.
func (p *jsonParser) escape() error {
	if !p.ensure(1) {
		return p.errEnd()
	}
	c := p.in[p.i]
	p.i++
	switch c {
	case '"', '\\', '/':
		return p.writeByte(c)
	case 'b':
		return p.writeByte('\b')
	case 'f':
		return p.writeByte('\f')
	case 'n':
		return p.writeByte('\n')
	case 'r':
		return p.writeByte('\r')
	case 't':
		return p.writeByte('\t')
	case 'u':
		r, err := p.hex4()
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			// Pair it with a following \uXXXX if that makes a valid pair;
			// otherwise U+FFFD, leaving what follows to be read as usual
			// (encoding/json's rule).
			if p.ensure(6) && p.in[p.i] == '\\' && p.in[p.i+1] == 'u' {
				if r2 := hexRune(p.in[p.i+2 : p.i+6]); r2 >= 0 {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						p.i += 6
						r = d
					}
				}
			}
			if utf16.IsSurrogate(r) {
				r = utf8.RuneError
			}
		}
		var b [utf8.UTFMax]byte
		return p.write(b[:utf8.EncodeRune(b[:], r)])
	}
	return p.malformed("invalid escape in a string")
}

func (p *jsonParser) hex4() (rune, error) {
	if !p.ensure(4) {
		return 0, p.errEnd()
	}
	r := hexRune(p.in[p.i : p.i+4])
	if r < 0 {
		return 0, p.malformed("invalid \\u escape in a string")
	}
	p.i += 4
	return r, nil
}

// hexRune decodes four hex digits, or returns -1.
func hexRune(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// number reads a number (RFC 8259 grammar), copying its text as written.
func (p *jsonParser) number() error {
	// States: 0 start, 1 after '-', 2 after a leading 0, 3 in integer
	// digits, 4 after '.', 5 in fraction digits, 6 after 'e', 7 after the
	// exponent's sign, 8 in exponent digits. 2, 3, 5 and 8 may end.
	state := 0
	for {
		if p.i == p.n && !p.fill() {
			if state == 2 || state == 3 || state == 5 || state == 8 {
				return nil
			}
			return p.errEnd()
		}
		in := p.in[p.i:p.n]
		j := 0
	scan:
		for ; j < len(in); j++ {
			c := in[j]
			digit := c >= '0' && c <= '9'
			switch state {
			case 0:
				switch {
				case c == '-':
					state = 1
				case c == '0':
					state = 2
				default: // value() saw a digit
					state = 3
				}
			case 1:
				switch {
				case c == '0':
					state = 2
				case digit:
					state = 3
				default:
					break scan
				}
			case 2, 3, 5:
				switch {
				case digit && state != 2:
				case c == '.' && state != 5:
					state = 4
				case c == 'e' || c == 'E':
					state = 6
				default:
					break scan
				}
			case 4:
				if !digit {
					break scan
				}
				state = 5
			case 6:
				switch {
				case c == '+' || c == '-':
					state = 7
				case digit:
					state = 8
				default:
					break scan
				}
			case 7, 8:
				if !digit {
					break scan
				}
				state = 8
			}
		}
		if j > 0 {
			if err := p.write(in[:j]); err != nil {
				return err
			}
			p.i += j
		}
		if j < len(in) {
			if state == 2 || state == 3 || state == 5 || state == 8 {
				return nil
			}
			return p.malformed("invalid number")
		}
	}
}

func (p *jsonParser) literal(word string) error {
	if !p.ensure(len(word)) {
		if p.rerr != nil && p.rerr != io.EOF {
			return p.errEnd()
		}
		return p.malformed("invalid literal")
	}
	if string(p.in[p.i:p.i+len(word)]) != word {
		return p.malformed("invalid literal")
	}
	p.i += len(word)
	return nil
}

// ---- Input ----

// next skips whitespace and returns the next byte without consuming it;
// false at the end of input. In JSON Lines a newline is not whitespace:
// it is returned, for the caller to end the record.
func (p *jsonParser) next() (byte, bool) {
	for {
		for p.i < p.n {
			switch c := p.in[p.i]; c {
			case ' ', '\t', '\r':
				p.i++
			case '\n':
				if p.lines {
					return c, true
				}
				p.line++
				p.i++
			default:
				return c, true
			}
		}
		if !p.fill() {
			return 0, false
		}
	}
}

// fill reads more input when none is left unread; false at the end.
func (p *jsonParser) fill() bool {
	return p.i < p.n || p.ensure(1)
}

// ensure makes at least k bytes (k ≤ len(in)) unread, moving the unread
// ones to the front of the buffer; false if the input ends first.
func (p *jsonParser) ensure(k int) bool {
	if p.n-p.i >= k {
		return true
	}
	p.n = copy(p.in, p.in[p.i:p.n])
	p.i = 0
	for empty := 0; p.n < k && p.rerr == nil; {
		m, err := p.r.Read(p.in[p.n:])
		p.n += m
		if err != nil {
			p.rerr = err
		} else if m == 0 {
			if empty++; empty == 100 {
				p.rerr = io.ErrNoProgress
			}
		}
	}
	return p.n >= k
}

// atEOF ends a well-formed input: nil, or the read error that ended it.
func (p *jsonParser) atEOF() error {
	if p.rerr != nil && p.rerr != io.EOF {
		return fmt.Errorf("formats: read JSON: %w", p.rerr)
	}
	return nil
}

// errEnd reports input that ended inside a value.
func (p *jsonParser) errEnd() error {
	if err := p.atEOF(); err != nil {
		return err
	}
	return p.malformed("unexpected end of input")
}

// malformed wraps ErrMalformed with where, and a description that holds
// no input bytes (they may be the sensitive data).
func (p *jsonParser) malformed(what string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, p.where(), what)
}

func (p *jsonParser) where() string {
	if p.lines {
		return "JSON Lines line " + strconv.Itoa(p.line+1)
	}
	return "JSON line " + strconv.Itoa(p.line+1)
}

// ---- Segment writer ----

// begin starts a part at the end of the segment, handing the segment over
// first if it has no room for the separator, or no more parts or nodes.
func (p *jsonParser) begin() error {
	if len(p.parts) > 0 && (len(p.parts) >= jsonMaxParts || len(p.nodes) >= jsonMaxNodes || len(p.buf) == p.size) {
		if err := p.emit(len(p.buf), 0); err != nil {
			return err
		}
		p.buf = p.buf[:0]
		p.owned = 0
	}
	p.sepStart = len(p.buf)
	if len(p.parts) > 0 {
		p.buf = append(p.buf, '\n')
	}
	p.valStart = len(p.buf)
	return nil
}

// end closes the part begun last, located at path node.
func (p *jsonParser) end(node int) {
	if len(p.buf) == p.valStart { // empty: nothing to scan
		p.buf = p.buf[:p.sepStart]
		return
	}
	p.parts = append(p.parts, Part{
		Start: p.valStart, End: len(p.buf),
		Ctx: p.nodes[node].ctx, Record: p.record, Path: p.pathOf(node),
	})
}

func (p *jsonParser) writeByte(c byte) error {
	if len(p.buf) == p.size {
		if err := p.overflow(); err != nil {
			return err
		}
	}
	p.buf = append(p.buf, c)
	return nil
}

func (p *jsonParser) write(b []byte) error {
	for len(b) > 0 {
		if len(p.buf) == p.size {
			if err := p.overflow(); err != nil {
				return err
			}
		}
		k := min(len(b), p.size-len(p.buf))
		p.buf = append(p.buf, b[:k]...)
		b = b[k:]
	}
	return nil
}

// overflow makes room in a full segment for more of the value being read.
func (p *jsonParser) overflow() error {
	if p.valStart > 0 {
		// Earlier values fill the segment: hand them over and carry the
		// start of this one to the next segment.
		if err := p.emit(p.sepStart, 0); err != nil {
			return err
		}
		p.buf = p.buf[:copy(p.buf, p.buf[p.valStart:])]
		p.owned, p.sepStart, p.valStart = 0, 0, 0
		return nil
	}
	// The value alone is longer than a segment: cut it as TextSegments
	// cuts text. A key cut this way is located at its object, as its own
	// name is not known yet.
	node := p.current()
	if p.inKey {
		node = p.resolve(len(p.frames) - 2)
	}
	p.parts = append(p.parts, Part{
		Start: 0, End: len(p.buf),
		Ctx: p.nodes[node].ctx, Record: p.record, Path: p.pathOf(node),
	})
	cut := runeStart(p.buf, len(p.buf)-p.overlap)
	if err := p.emit(len(p.buf), cut); err != nil {
		return err
	}
	keep := runeStart(p.buf, cut-p.context)
	if p.inKey { // keep enough of the key to name it when it ends
		p.keyHead = append(p.keyHead, p.buf[max(0, keep-jsonMaxNameBytes):keep]...)
		p.keyHead = p.keyHead[:copy(p.keyHead, p.keyHead[max(0, len(p.keyHead)-jsonMaxNameBytes):])]
	}
	p.buf = p.buf[:copy(p.buf, p.buf[keep:])]
	p.owned = cut - keep
	return nil
}

// emit calls fn with buf[:end] and the parts, then starts a new set of
// parts and path nodes. The caller sets buf.
func (p *jsonParser) emit(end, ownedEnd int) error {
	p.seg.Text, p.seg.Parts, p.seg.Contexts = p.buf[:end], p.parts, p.contexts
	p.seg.Owned, p.seg.OwnedEnd, p.seg.lineStarts = p.owned, ownedEnd, nil
	err := p.fn(&p.seg)
	clear(p.parts) // drop the path strings for the collector
	p.parts = p.parts[:0]
	p.resetPaths()
	if err != nil {
		p.fnErr = err
	}
	return err
}

// ---- Paths and contexts ----

// resetPaths drops the path nodes and contexts of the segment handed over;
// open frames find their nodes again when next asked (resolve).
func (p *jsonParser) resetPaths() {
	p.gen++
	p.nodes = p.nodes[:0]
	p.newNode(jsonNode{parent: -1, idx: -1, ctx: -1, path: "$", runes: 1})
	clear(p.kids)
	clear(p.sparse)
	clear(p.rootKids)
	clear(p.contexts)
	p.contexts = p.contexts[:0]
	p.ctxs = p.ctxs[:0]
}

// current is the path node of the value being read.
func (p *jsonParser) current() int { return p.resolve(len(p.frames) - 1) }

// resolve returns the path node of frame k's current member (the root for
// k < 0), finding it again if the nodes were reset since.
func (p *jsonParser) resolve(k int) int {
	if k < 0 {
		return 0
	}
	f := &p.frames[k]
	if f.gen == p.gen {
		return f.node
	}
	parent := p.resolve(k - 1)
	f = &p.frames[k]
	if f.array {
		f.node = p.indexChild(parent, f.idx)
	} else {
		f.node = p.nameChild(parent, p.nameCtx(p.nodes[parent].ctx, f.name))
	}
	f.gen = p.gen
	return f.node
}

// newNode adds n, reusing the idxKids of the node that had its slot
// before the last reset.
func (p *jsonParser) newNode(n jsonNode) int {
	id := len(p.nodes)
	if id < cap(p.nodes) {
		n.idxKids = p.nodes[:id+1][id].idxKids[:0]
	}
	p.nodes = append(p.nodes, n)
	return id
}

func (p *jsonParser) indexChild(parent, idx int) int {
	par := &p.nodes[parent]
	if len(par.idxKids) == 0 {
		par.idxBase = idx
	}
	i := idx - par.idxBase
	if i >= 0 && i < len(par.idxKids) {
		return par.idxKids[i]
	}
	// Elements skipped (not strings, numbers or containers with values)
	// leave a gap: those after it go to the sparse map, so that an array
	// of a billion nulls does not grow idxKids.
	k := childKey{parent, idx}
	id, ok := p.sparse[k]
	if !ok {
		id = p.newNode(jsonNode{parent: parent, idx: idx, ctx: par.ctx})
	}
	if par = &p.nodes[parent]; i == len(par.idxKids) {
		par.idxKids = append(par.idxKids, id)
	} else if !ok {
		p.sparse[k] = id
	}
	return id
}

// nameChild returns the node of parent's member whose names are
// contexts[ctx].
func (p *jsonParser) nameChild(parent, ctx int) int {
	k := childKey{parent, -1 - ctx}
	if id, ok := p.kids[k]; ok {
		return id
	}
	c := &p.ctxs[ctx]
	id := p.newNode(jsonNode{parent: parent, idx: -1, ctx: ctx, elem: c.elem, eRunes: c.eRunes})
	p.kids[k] = id
	return id
}

// nameCtxBytes returns the Contexts entry of the names of parent (an
// entry, or -1) and name, adding it the first time; a known name costs no
// allocation.
func (p *jsonParser) nameCtxBytes(parent int, name []byte) int {
	m := p.rootKids
	if parent >= 0 {
		m = p.ctxs[parent].kids
	}
	if id, ok := m[string(name)]; ok {
		return id
	}
	return p.addCtx(parent, string(name))
}

func (p *jsonParser) nameCtx(parent int, name string) int {
	m := p.rootKids
	if parent >= 0 {
		m = p.ctxs[parent].kids
	}
	if id, ok := m[name]; ok {
		return id
	}
	return p.addCtx(parent, name)
}

func (p *jsonParser) addCtx(parent int, name string) int {
	var up []string
	if parent >= 0 {
		up = p.contexts[parent]
	}
	names := make([]string, len(up)+1)
	copy(names, up)
	names[len(up)] = name
	id := len(p.contexts)
	p.contexts = append(p.contexts, names)
	var kids map[string]int
	if id < cap(p.ctxs) { // reuse the slot's map, emptied
		kids = p.ctxs[:id+1][id].kids
		clear(kids)
	}
	elem := renderName(lastRunes(name, maxPathNameRunes))
	p.ctxs = append(p.ctxs, ctxInfo{name: name, elem: elem, eRunes: utf8.RuneCountInString(elem), kids: kids})
	if parent < 0 {
		p.rootKids[name] = id
	} else {
		if p.ctxs[parent].kids == nil {
			p.ctxs[parent].kids = make(map[string]int)
		}
		p.ctxs[parent].kids[name] = id
	}
	return id
}

// pathOf returns node's rendered path (see JSONSegments for the rules).
// A path that is cut is made from its parent's in time proportional to
// the elements it keeps (at most 83), not to its depth: deep documents
// give every value such a path.
func (p *jsonParser) pathOf(id int) string {
	if path := p.nodes[id].path; path != "" {
		return path
	}
	parent := p.nodes[id].parent
	up := p.pathOf(parent)
	if n := &p.nodes[id]; n.idx >= 0 && !p.nodes[parent].cut {
		// An array element: one allocation, the path, not its element too.
		p.scratch = strconv.AppendInt(append(append(p.scratch[:0], up...), '['), int64(n.idx), 10)
		if len(p.scratch)+1-len(up)+p.nodes[parent].runes <= maxPathRunes {
			p.scratch = append(p.scratch, ']')
			n.path, n.runes, n.nelem = string(p.scratch), p.nodes[parent].runes+len(p.scratch)-len(up), p.nodes[parent].nelem+1
			return n.path
		}
	}
	el, er := p.elemOf(id)
	par := &p.nodes[parent]
	n := &p.nodes[id]
	if !par.cut && par.runes+er <= maxPathRunes {
		n.path, n.runes, n.nelem = up+el, par.runes+er, par.nelem+1
		return n.path
	}
	// Keep the longest run of whole elements at the end that fits after
	// "$..": this element, then the parent's own, last first.
	total := 3 + er - dotted(el)
	if total > maxPathRunes {
		// This element alone is too long (a name with many escapes): cut
		// its name further from the front.
		name := []rune(lastRunes(p.ctxs[n.ctx].name, maxPathNameRunes))
		for len(name) > 0 && total > maxPathRunes {
			name = name[1:]
			el = strings.TrimPrefix(renderName(string(name)), ".")
			total = 3 + utf8.RuneCountInString(el)
		}
		n.path, n.runes, n.nelem, n.cut = "$.."+el, total, 1, true
		return n.path
	}
	keep, tailBytes, first := 0, 0, el // first: the element after "$.."
	for k := parent; keep < par.nelem; k = p.nodes[k].parent {
		e, r := p.elemOf(k)
		// e goes after "$.." (losing any dot) and first gets its dot back.
		add := r - dotted(e) + dotted(first)
		if total+add > maxPathRunes {
			break
		}
		total += add
		keep++
		tailBytes += len(e)
		first = e
	}
	tail := up[len(up)-tailBytes:]
	if keep == par.nelem && par.cut {
		tail = up[3:] // all the parent kept, already after "$.."
	}
	n.path = "$.." + strings.TrimPrefix(tail, ".") + el
	if keep == 0 {
		n.path = "$.." + strings.TrimPrefix(el, ".")
	}
	n.runes, n.nelem, n.cut = total, keep+1, true
	return n.path
}

// dotted is 1 for an element written .name, else 0.
func dotted(el string) int {
	if strings.HasPrefix(el, ".") {
		return 1
	}
	return 0
}

// elemOf renders one element of a path, [2], .name or ['name'], and gives
// its length in runes.
func (p *jsonParser) elemOf(id int) (string, int) {
	n := &p.nodes[id]
	if n.elem == "" { // an array index: names have theirs from ctxs
		n.elem = "[" + strconv.Itoa(n.idx) + "]"
		n.eRunes = len(n.elem)
	}
	return n.elem, n.eRunes
}

// renderName writes a name as a path element: .name when it is an
// identifier of [A-Za-z0-9_] not starting with a digit, else ['name'] with
// RFC 9535's escapes.
func renderName(name string) string {
	ident := name != "" && (name[0] < '0' || name[0] > '9')
	for i := 0; ident && i < len(name); i++ {
		c := name[i]
		ident = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	}
	if ident {
		return "." + name
	}
	var b strings.Builder
	b.WriteString("['")
	for _, r := range name {
		switch {
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("']")
	return b.String()
}

// lastRunes returns the last max runes of s.
func lastRunes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := len(s)
	for k := 0; k < max && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// tail returns the last max bytes of b, not starting inside a rune.
func tail(b []byte, max int) []byte {
	if len(b) <= max {
		return b
	}
	i := len(b) - max
	for k := 0; k < utf8.UTFMax-1 && i < len(b) && !utf8.RuneStart(b[i]); k++ {
		i++
	}
	return b[i:]
}

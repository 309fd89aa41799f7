package formats

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small, allocation-free XML tokenizer for machine-written
// parts (worksheets, shared strings) read as a stream: encoding/xml builds
// a Token with strings and maps for every tag, which made it most of the
// cost of reading a worksheet. It knows only what those parts use: start,
// end and empty tags with attributes, text, CDATA; comments, processing
// instructions and DOCTYPE are skipped. It does not check well-formedness
// (unbalanced tags are the caller's business) and never resolves entities
// other than XML's five and character references.
//
// Names, attributes and text are slices of the scanner's buffer, valid
// until the next call to next.
type xmlScanner struct {
	r   io.Reader
	buf []byte // buf[pos:end] is unread input
	pos int
	end int
	eof bool
	err error // the reader's error, once input is used up

	kind  xmlKind
	name  []byte // local name (prefix dropped) of a start or end tag
	attrs []byte // the raw attributes of a start tag
	empty bool   // a start tag that closes itself (<c/>)
	text  []byte // raw text (entities still escaped) or CDATA
}

type xmlKind int

const (
	xmlEOF xmlKind = iota
	xmlStart
	xmlEnd
	xmlText  // character data, entities not yet decoded: see appendXMLText
	xmlCDATA // CDATA content, literal
)

const (
	xmlScanBuffer = 64 << 10
	// xmlMaxToken bounds one tag, comment or CDATA section held whole: a
	// worksheet's tags are tens of bytes; a longer one is hostile.
	xmlMaxToken = 4 << 20
)

var errXMLToken = errors.New("XML token too long or unterminated")

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, xmlScanBuffer)}
}

// fill moves the unread bytes to the front and reads more, growing the
// buffer (up to xmlMaxToken) when it is full. It reports whether any new
// byte came in.
func (x *xmlScanner) fill() bool {
	if x.eof {
		return false
	}
	if x.pos > 0 {
		x.end = copy(x.buf, x.buf[x.pos:x.end])
		x.pos = 0
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= xmlMaxToken {
			return false
		}
		nb := make([]byte, min(2*len(x.buf), xmlMaxToken))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err != nil {
			x.eof = true
			if err != io.EOF {
				x.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// next reads the next token into x.kind and its fields. At the end of
// input it gives xmlEOF and the reader's error, if any.
func (x *xmlScanner) next() error {
	for {
		if x.pos == x.end && !x.fill() {
			x.kind = xmlEOF
			return x.err
		}
		if x.buf[x.pos] != '<' {
			return x.scanText()
		}
		ok, err := x.scanMarkup()
		if err != nil || ok {
			return err
		}
	}
}

// scanText gives the text up to the next '<'. A run longer than the
// buffer comes in pieces, each cut before a possibly unfinished entity.
func (x *xmlScanner) scanText() error {
	// A cell's text is short: look at a few bytes before calling IndexByte.
	for i, c := range x.buf[x.pos:min(x.end, x.pos+16)] {
		if c == '<' {
			x.kind, x.text = xmlText, x.buf[x.pos:x.pos+i]
			x.pos += i
			return nil
		}
	}
	for {
		if i := bytes.IndexByte(x.buf[x.pos:x.end], '<'); i >= 0 {
			x.kind, x.text = xmlText, x.buf[x.pos:x.pos+i]
			x.pos += i
			return nil
		}
		if x.eof || x.end-x.pos >= len(x.buf)/2 {
			break
		}
		if !x.fill() {
			break
		}
	}
	n := x.end - x.pos
	if !x.eof {
		// Keep an entity whole for the next piece.
		if a := bytes.LastIndexByte(x.buf[x.pos:x.end], '&'); a >= 0 && a > n-16 &&
			bytes.IndexByte(x.buf[x.pos+a:x.end], ';') < 0 && a > 0 {
			n = a
		}
	}
	x.kind, x.text = xmlText, x.buf[x.pos:x.pos+n]
	x.pos += n
	return nil
}

// until makes sure buf[pos:] holds sep at or after from, and returns its
// index relative to pos.
func (x *xmlScanner) until(from int, sep string) (int, error) {
	for {
		if i := bytes.Index(x.buf[x.pos+from:x.end], []byte(sep)); i >= 0 {
			return from + i, nil
		}
		from = max(from, x.end-x.pos-len(sep)+1)
		if !x.fill() {
			if x.err != nil {
				return 0, x.err
			}
			return 0, errXMLToken
		}
	}
}

// need makes sure n bytes are buffered past pos, if the input has them.
func (x *xmlScanner) need(n int) bool {
	for x.end-x.pos < n {
		if !x.fill() {
			return false
		}
	}
	return true
}

// scanMarkup reads what starts at '<'. ok is false for what is skipped
// (comments, processing instructions, DOCTYPE).
func (x *xmlScanner) scanMarkup() (ok bool, err error) {
	if x.end-x.pos < 2 {
		x.need(2)
	}
	if x.end-x.pos >= 2 && (x.buf[x.pos+1] == '!' || x.buf[x.pos+1] == '?') {
		return x.scanSpecial()
	}
	i, err := x.tagEnd()
	if err != nil {
		return false, err
	}
	tag := x.buf[x.pos+1 : x.pos+i] // between '<' and '>'
	x.pos += i + 1
	if len(tag) > 0 && tag[0] == '/' {
		x.kind, x.name = xmlEnd, localName(trimXMLSpace(tag[1:]))
		return true, nil
	}
	x.empty = len(tag) > 0 && tag[len(tag)-1] == '/'
	if x.empty {
		tag = tag[:len(tag)-1]
	}
	n := 0
	for n < len(tag) && !isXMLSpace(tag[n]) {
		n++
	}
	x.kind, x.name, x.attrs = xmlStart, localName(tag[:n]), tag[n:]
	return true, nil
}

// scanSpecial reads a comment, CDATA section, processing instruction or
// DOCTYPE.
func (x *xmlScanner) scanSpecial() (ok bool, err error) {
	x.need(9)
	rest := x.buf[x.pos:x.end]
	var skip, end string
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		skip, end = "<!--", "-->"
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		i, err := x.until(9, "]]>")
		if err != nil {
			return false, err
		}
		x.kind, x.text = xmlCDATA, x.buf[x.pos+9:x.pos+i]
		x.pos += i + 3
		return true, nil
	case rest[1] == '?':
		skip, end = "<?", "?>"
	default:
		skip, end = "<!", ">" // DOCTYPE without an internal subset
	}
	i, err := x.until(len(skip), end)
	if err != nil {
		return false, err
	}
	x.pos += i + len(end)
	return false, nil
}

// tagEnd finds the '>' that ends the tag at pos, skipping any inside
// quoted attribute values.
func (x *xmlScanner) tagEnd() (int, error) {
	from := 1
	var quote byte
	// Worksheet tags are short (<v>, </c>, <c r="B2" t="s">, a row's
	// attributes): a byte loop over their first 160 bytes costs less than
	// the calls below (measured a few percent faster than 48).
	b := x.buf[x.pos:min(x.end, x.pos+160)]
	for from < len(b) {
		for from < len(b) && !tagSpecial[b[from]] {
			from++
		}
		if from == len(b) {
			break
		}
		switch c := b[from]; c {
		case '>':
			return from, nil
		default: // a quote: skip its value
			end := from + 1
			for end < len(b) && b[end] != c {
				end++
			}
			if end == len(b) {
				quote = c
				from = end
				break
			}
			from = end + 1
		}
	}
	for {
		b := x.buf[x.pos:x.end]
		if quote == 0 {
			// The usual tag: no '=' before its first '>' (an end tag, or
			// a start tag without attributes), or an even number of '"'
			// and no '\''. Vector scans beat a byte loop here.
			if i := bytes.IndexByte(b[from:], '>'); i >= 0 {
				in := b[from : from+i]
				if bytes.IndexByte(in, '=') < 0 ||
					(bytes.IndexByte(in, '\'') < 0 && bytes.Count(in, []byte{'"'})%2 == 0) {
					return from + i, nil
				}
			}
		}
		for ; from < len(b); from++ {
			c := b[from]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			switch c {
			case '>':
				return from, nil
			case '"', '\'':
				quote = c
			}
		}
		if !x.fill() {
			if x.err != nil {
				return 0, x.err
			}
			return 0, errXMLToken
		}
	}
}

// tagSpecial marks the bytes tagEnd stops at.
var tagSpecial = [256]bool{'>': true, '"': true, '\'': true}

func trimXMLSpace(b []byte) []byte {
	for len(b) > 0 && isXMLSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName drops a namespace prefix: x:c and c are the same element to
// the readers here, which know which part they read.
func localName(b []byte) []byte {
	for i, c := range b { // names are short: a loop beats IndexByte's call
		if c == ':' {
			return b[i+1:]
		}
	}
	return b
}

// nextAttr splits the first attribute off attrs: its local name, raw
// value and the attributes after it; ok is false at the end (or at
// something that is not an attribute).
func nextAttr(attrs []byte) (key, val, rest []byte, ok bool) {
	// Byte loops: attributes are a few bytes each, shorter than what a
	// call to IndexByte pays for itself.
	i := 0
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	start := i
	for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
		i++
	}
	key = localName(attrs[start:i])
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	if i == len(attrs) || attrs[i] != '=' || len(key) == 0 {
		return nil, nil, nil, false
	}
	i++
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	if i == len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
		return nil, nil, nil, false
	}
	q := attrs[i]
	i++
	start = i
	for i < len(attrs) && attrs[i] != q {
		i++
	}
	if i == len(attrs) {
		return nil, nil, nil, false
	}
	return key, attrs[start:i], attrs[i+1:], true
}

// xmlAttr returns the raw value of the attribute called name (its local
// name) in attrs, and whether it is there.
func xmlAttr(attrs []byte, name string) ([]byte, bool) {
	for {
		key, val, rest, ok := nextAttr(attrs)
		if !ok {
			return nil, false
		}
		if string(key) == name {
			return val, true
		}
		attrs = rest
	}
}

// appendXMLText appends raw character data to dst with entities and
// character references decoded and line ends normalised to '\n', as an
// XML parser reports them. An unknown or broken entity is kept as written.
func appendXMLText(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return append(dst, raw...)
	}
	for len(raw) > 0 {
		i := bytes.IndexAny(raw, "&\r")
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		if raw[0] == '\r' {
			dst = append(dst, '\n')
			raw = raw[1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
			continue
		}
		semi := bytes.IndexByte(raw[:min(len(raw), 13)], ';') // the longest entity is short
		if semi < 0 {
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		if r, ok := xmlEntity(raw[1:semi]); ok {
			dst = utf8.AppendRune(dst, r)
		} else {
			dst = append(dst, raw[:semi+1]...)
		}
		raw = raw[semi+1:]
	}
	return dst
}

func xmlEntity(e []byte) (rune, bool) {
	switch string(e) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if e[1] == 'x' {
		n, err = strconv.ParseUint(string(e[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(e[1:]), 10, 32)
	}
	if err != nil || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

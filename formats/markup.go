package formats

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
)

// MarkupOptions choose how MarkupSegments reads a document.
type MarkupOptions struct {
	// HTML: inline elements (b, span, a...) join the text around them, the
	// content of script and style is raw text, and class and style
	// attributes (presentation) are skipped. Otherwise the input is XML:
	// every element name is text, so <ssn>123-45-6789</ssn> reads as
	// "ssn 123-45-6789" and the name counts as a keyword near its value.
	HTML bool
	// Text cuts the extracted text into segments (zero: DefaultTextOptions).
	Text TextOptions
}

// MarkupSegments reads an XML or HTML document (UTF-8) and calls fn with
// plain-text segments of what it holds: text with entities decoded,
// attribute names and values, comments and CDATA sections (secrets hide
// there too), and in HTML the code of scripts. Located by lineRanges: each
// newline of the document is kept, so a value's line is its line in the
// file; columns count characters of the extracted text on that line.
//
// A value cut by markup: a tag that is not an HTML inline element stands
// for a space, so "4111<td>1111" gives two values while
// "4111<b>1111</b>" (bold digits, one number on screen) gives one.
//
// The reader is a tolerant streaming tokenizer, not a validating parser:
// malformed markup (unclosed tags, stray '<', bad entities) is read as far
// as it makes sense and never fails; memory is bounded by the segment size
// whatever the length of a text run, comment or attribute value.
func MarkupSegments(r io.Reader, opt MarkupOptions, fn func(*Segment) error) error {
	if opt.Text == (TextOptions{}) {
		opt.Text = DefaultTextOptions
	}
	m := &markupReader{r: bufio.NewReaderSize(r, 64<<10), html: opt.HTML, last: '\n'}
	return TextSegments(m, UTF8, opt.Text, fn)
}

type markupState int

const (
	stText       markupState = iota
	stOpen                   // after '<'
	stComment                // <!-- ... -->, emitted
	stCDATA                  // <![CDATA[ ... ]]>, emitted
	stPI                     // <? ... ?>, skipped
	stDecl                   // <!DOCTYPE ...>, skipped
	stTagName                // a start or end tag's name
	stAttrs                  // between attributes
	stAttrName               // an attribute's name
	stAttrEq                 // after an attribute's name: '=' or not
	stAttrValue              // an attribute's value
	stRaw                    // HTML script or style content, emitted
	stSkipTagEnd             // the rest of a tag, skipped up to '>'
)

// markupOut is how much text a Read call prepares at most before handing
// it over; markupRun is the longest text run held for entity decoding.
const (
	markupOut   = 32 << 10
	markupRun   = 4 << 10
	maxNameLen  = 64
	entityBound = 40 // longer than any entity, "&CounterClockwiseContourIntegral;"
)

type markupReader struct {
	r    *bufio.Reader
	html bool
	out  []byte
	err  error
	last byte // the last byte written to the text, for separators

	st       markupState
	run      []byte // text or attribute value waiting for entity decoding
	term     string // the terminator of an emitting or skipping state
	matched  int    // how much of term has been seen
	quote    byte   // the quote of an attribute value, 0 if unquoted
	name     []byte // the current tag's name (lower-cased for HTML)
	attr     []byte // the current attribute's name
	endTag   bool
	skipAttr bool
	// wroteAttr: the current tag wrote an attribute, so even an inline
	// element separates the text around it.
	wroteAttr bool
	depth     int // '[' nesting in a declaration
	open      []byte
}

func (m *markupReader) Read(p []byte) (int, error) {
	for len(m.out) == 0 {
		if m.err != nil {
			return 0, m.err
		}
		m.out = m.out[:0]
		m.fill()
	}
	n := copy(p, m.out)
	m.out = m.out[n:]
	return n, nil
}

// fill tokenizes input until some text is ready or the input ends. It
// takes what the buffered reader holds at once: runs of plain text, and
// of a comment's, CDATA section's or script's content, are copied whole;
// every other byte goes through the tokenizer's state machine.
func (m *markupReader) fill() {
	for len(m.out) < markupOut {
		if m.r.Buffered() == 0 {
			if _, err := m.r.Peek(1); err != nil {
				m.flushRun(true)
				if err == io.EOF {
					m.err = io.EOF
				} else {
					m.err = fmt.Errorf("read markup: %w", err)
				}
				return
			}
		}
		b, _ := m.r.Peek(m.r.Buffered())
		n := m.bytes(b)
		m.r.Discard(n)
	}
}

// textStop marks the bytes that end a run of plain text.
var textStop = [256]bool{'<': true, '\n': true}

// bytes tokenizes b until out is full, returning how much it took.
func (m *markupReader) bytes(b []byte) int {
	i := 0
	for i < len(b) && len(m.out) < markupOut {
		switch {
		case m.st == stText:
			j := i
			for j < len(b) && !textStop[b[j]] {
				j++
			}
			m.heldRun(b[i:j])
			i = j
		case (m.st == stComment || m.st == stCDATA || m.st == stRaw) && m.matched == 0:
			// Nothing of the terminator seen yet: everything up to its
			// first byte is content, as match would write it byte by byte.
			j := i
			for j < len(b) && lower(b[j], true) != m.term[0] {
				j++
			}
			m.emit(b[i:j]...)
			i = j
		case m.st == stTagName:
			j := i
			for j < len(b) && !isSpace(b[j]) && b[j] != '/' && b[j] != '>' {
				if len(m.name) < maxNameLen {
					m.name = append(m.name, lower(b[j], m.html))
				}
				j++
			}
			i = j
		case m.st == stAttrValue && m.quote > 1 && !m.skipAttr && !m.endTag:
			// Inside a quoted value that is written: up to the quote.
			j := i
			for j < len(b) && b[j] != m.quote && b[j] != '\n' {
				j++
			}
			m.heldRun(b[i:j])
			i = j
		}
		if i < len(b) {
			m.byte(b[i])
			i++
		}
	}
	return i
}

// heldRun adds a run of text without a newline, as held does byte by byte.
func (m *markupReader) heldRun(r []byte) {
	for len(r) > 0 {
		k := min(len(r), markupRun-len(m.run))
		m.run = append(m.run, r[:k]...)
		r = r[k:]
		if len(m.run) >= markupRun {
			m.flushRun(false)
		}
	}
}

func (m *markupReader) emit(b ...byte) {
	if len(b) > 0 {
		m.out = append(m.out, b...)
		m.last = b[len(b)-1]
	}
}

// sep separates what comes next from the text before.
func (m *markupReader) sep() {
	if m.last != ' ' && m.last != '\n' && m.last != '\t' && m.last != '\r' {
		m.emit(' ')
	}
}

// flushRun decodes the entities of the text held and writes it; unless
// final, an entity that may still be cut short stays held.
func (m *markupReader) flushRun(final bool) {
	if len(m.run) == 0 {
		return
	}
	keep := 0
	if !final {
		if i := bytes.LastIndexByte(m.run, '&'); i >= 0 && len(m.run)-i < entityBound && bytes.IndexByte(m.run[i:], ';') < 0 {
			keep = len(m.run) - i
		}
	}
	text := m.run[:len(m.run)-keep]
	if bytes.IndexByte(text, '&') < 0 {
		m.emit(text...)
	} else {
		// An encoded newline (&#10;) must not add a line: decode line by
		// line (no entity spans a newline; held text is flushed at each
		// newline, so there is usually one) and make decoded ones spaces.
		for first := true; ; first = false {
			line, rest, more := bytes.Cut(text, []byte{'\n'})
			if !first {
				m.emit('\n')
			}
			u := html.UnescapeString(string(line))
			for i := 0; i < len(u); i++ {
				c := u[i]
				if c == '\n' {
					c = ' '
				}
				m.out = append(m.out, c)
			}
			if len(u) > 0 {
				m.last = m.out[len(m.out)-1]
			}
			if !more {
				break
			}
			text = rest
		}
	}
	m.run = append(m.run[:0], m.run[len(m.run)-keep:]...)
}

// held adds a byte of text or of an attribute value.
func (m *markupReader) held(c byte) {
	m.run = append(m.run, c)
	if c == '\n' || len(m.run) >= markupRun {
		m.flushRun(false)
	}
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (m *markupReader) byte(c byte) {
	switch m.st {
	case stText:
		if c == '<' {
			m.flushRun(true)
			m.st, m.open = stOpen, m.open[:0]
			return
		}
		m.held(c)

	case stOpen:
		// What follows '<' decides; "<!--" and "<![CDATA[" need a few bytes.
		m.open = append(m.open, c)
		o := string(m.open)
		switch {
		case o == "!--":
			m.sep()
			m.enter(stComment, "-->")
		case o == "![CDATA[":
			m.sep()
			m.enter(stCDATA, "]]>")
		case len(o) < 8 && ("!--"[:min(len(o), 3)] == o || "![CDATA["[:len(o)] == o):
			// not decided yet
		case o[0] == '!':
			m.st, m.depth = stDecl, 0
			m.replay(m.open[1:])
		case o[0] == '?':
			m.enter(stPI, "?>")
		case o[0] == '/':
			m.st, m.endTag, m.name, m.wroteAttr = stTagName, true, m.name[:0], false
		case isNameStart(o[0]):
			m.st, m.endTag, m.name, m.wroteAttr = stTagName, false, append(m.name[:0], lower(c, m.html)), false
		default:
			// A '<' that starts nothing: it was text.
			m.st = stText
			m.held('<')
			m.replay(m.open)
		}

	case stComment, stCDATA, stRaw:
		if m.match(c, true) {
			if m.st == stRaw {
				m.st = stSkipTagEnd
				return
			}
			m.sep()
			m.st = stText
		}

	case stPI:
		if m.match(c, false) {
			m.st = stText
		}

	case stDecl:
		switch c {
		case '[':
			m.depth++
		case ']':
			m.depth = max(m.depth-1, 0)
		case '>':
			if m.depth == 0 {
				m.st = stText
			}
		case '\n':
			m.emit('\n')
		}

	case stTagName:
		switch {
		case c == '>':
			m.tagEnd()
		case isSpace(c) || c == '/':
			if c == '\n' {
				m.emit('\n')
			}
			m.startTag()
			m.st = stAttrs
		default:
			if len(m.name) < maxNameLen {
				m.name = append(m.name, lower(c, m.html))
			}
		}

	case stAttrs:
		switch {
		case c == '>':
			m.tagEnd()
		case c == '/':
			// "/>": a self-closing tag (checked at '>').
		case c == '\n':
			m.emit('\n')
		case isSpace(c):
		default:
			m.st, m.attr = stAttrName, append(m.attr[:0], lower(c, true))
		}

	case stAttrName:
		switch {
		case c == '=' || isSpace(c) || c == '>' || c == '/':
			m.skipAttr = m.html && (string(m.attr) == "class" || string(m.attr) == "style")
			if !m.skipAttr && !m.endTag {
				m.sep()
				m.emit(m.attr...)
				m.wroteAttr = true
			}
			m.st = stAttrEq
			m.byte(c)
		default:
			if len(m.attr) < maxNameLen {
				m.attr = append(m.attr, lower(c, true))
			}
		}

	case stAttrEq:
		switch {
		case c == '=':
			m.st, m.quote = stAttrValue, 1 // 1: the value has not started
		case c == '\n':
			m.emit('\n')
		case isSpace(c):
		default:
			m.st = stAttrs // an attribute without a value
			m.byte(c)
		}

	case stAttrValue:
		m.attrValue(c)

	case stSkipTagEnd:
		if c == '>' {
			m.st = stText
			if !m.html || !inlineHTML[string(m.name)] {
				m.sep()
			}
		} else if c == '\n' {
			m.emit('\n')
		}
	}
}

// attrValue takes one byte of an attribute value: quoted, unquoted, or
// (quote 1) not started yet.
func (m *markupReader) attrValue(c byte) {
	if m.quote == 1 {
		switch {
		case c == '"' || c == '\'':
			m.quote = c
			m.startValue()
			return
		case c == '>':
			m.tagEnd()
			return
		case isSpace(c):
			if c == '\n' {
				m.emit('\n')
			}
			return
		}
		m.quote = 0
		m.startValue()
	}
	end := c == m.quote || m.quote == 0 && (isSpace(c) || c == '>')
	if !end {
		if !m.skipAttr && !m.endTag {
			m.held(c)
		} else if c == '\n' {
			m.emit('\n')
		}
		return
	}
	m.flushRun(true)
	m.st = stAttrs
	if m.quote == 0 {
		m.byte(c) // the space or '>' ends the tag or separates
	}
}

func (m *markupReader) startValue() {
	if !m.skipAttr && !m.endTag {
		m.sep()
	}
}

// startTag writes what a tag's name contributes, once the name is read.
func (m *markupReader) startTag() {
	switch {
	case m.endTag:
	case !m.html:
		m.sep()
		m.emit(m.name...)
	case !inlineHTML[string(m.name)]:
		m.sep()
	}
}

// tagEnd closes a tag at '>': what follows is separated from it, unless
// it is an HTML inline element that wrote nothing.
func (m *markupReader) tagEnd() {
	if m.st == stTagName {
		m.startTag()
	}
	m.st = stText
	inline := m.html && inlineHTML[string(m.name)] && !m.wroteAttr
	if !inline {
		m.sep()
	}
	if !m.endTag && m.html && (string(m.name) == "script" || string(m.name) == "style") {
		m.enter(stRaw, "</"+string(m.name))
	}
}

// enter starts a state that runs up to a terminator.
func (m *markupReader) enter(st markupState, term string) {
	m.st, m.term, m.matched = st, term, 0
}

// replay feeds bytes read ahead back through the tokenizer.
func (m *markupReader) replay(b []byte) {
	rest := append([]byte(nil), b...)
	for _, c := range rest {
		m.byte(c)
	}
}

// match looks for the state's terminator (case-insensitively, for
// "</script"), writing the bytes that turn out not to be part of it when
// emitting, and newlines always.
func (m *markupReader) match(c byte, emitting bool) bool {
	for {
		if lower(c, true) == m.term[m.matched] {
			m.matched++
			if m.matched == len(m.term) {
				m.matched = 0
				return true
			}
			return false
		}
		if m.matched == 0 {
			if emitting {
				m.emit(c)
			} else if c == '\n' {
				m.emit('\n')
			}
			return false
		}
		// The held prefix of the terminator was text after all: write all
		// of it but its longest part that may still start the terminator.
		k := m.matched - 1
		for k > 0 && m.term[m.matched-k:m.matched] != m.term[:k] {
			k--
		}
		if emitting {
			m.emit([]byte(m.term[:m.matched-k])...)
		}
		m.matched = k
	}
}

func lower(c byte, fold bool) byte {
	if fold && c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// inlineHTML are the elements a browser sets within a line of text.
var inlineHTML = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "font": true, "i": true, "kbd": true, "mark": true,
	"nobr": true, "q": true, "s": true, "samp": true, "small": true, "span": true,
	"strong": true, "sub": true, "sup": true, "time": true, "u": true, "var": true, "wbr": true,
}

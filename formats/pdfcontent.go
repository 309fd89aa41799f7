package formats

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// A page's content stream is read here rather than by the PDF library's
// interpreter, which holds each string whole, then decodes it into runes
// (four bytes a byte) and a string again: a one-megabyte file whose page
// holds a string of a gigabyte took Go's fatal "out of memory", which no
// recover catches. Here a string longer than pdfMaxString ends the page
// with ErrTooLarge, after the text before it, and the operands held at
// once are bounded too.
const (
	pdfMaxString   = 1 << 20 // one string operand
	pdfMaxOperands = 1 << 16 // operands on the stack, array elements included
	pdfMaxNesting  = 64      // arrays and dictionaries within each other
)

var errPDFContent = fmt.Errorf("%w: pdf: bad content stream", ErrMalformed)

// pdfOperand is one operand of a content operator: a number, a string, a
// name, or an array of those (TJ's). Dictionaries are kept as nothing.
type pdfOperand struct {
	kind  byte // 'n' number, 's' string, '/' name, '[' array, 'd' other
	num   float64
	str   []byte
	elems []pdfOperand
}

// contentLexer reads the tokens of a content stream.
type contentLexer struct {
	r     *bufio.Reader
	stack []pdfOperand
	held  int // operands held, array elements included
}

func newContentLexer(r io.Reader) *contentLexer {
	return &contentLexer{r: bufio.NewReaderSize(r, 64<<10)}
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// next reads up to the next operator and returns it with its operands
// (valid until the next call); io.EOF at the end of the stream.
func (l *contentLexer) next() (string, []pdfOperand, error) {
	l.stack, l.held = l.stack[:0], 0
	for {
		v, op, err := l.value(0)
		if err != nil {
			return "", nil, err
		}
		if op != "" {
			if op == "BI" {
				if err := l.skipInlineImage(); err != nil {
					return "", nil, err
				}
				l.stack, l.held = l.stack[:0], 0
				continue
			}
			return op, l.stack, nil
		}
		if l.held++; l.held > pdfMaxOperands {
			return "", nil, fmt.Errorf("%w: more than %d operands", ErrTooLarge, pdfMaxOperands)
		}
		l.stack = append(l.stack, v)
	}
}

// value reads one operand, or an operator (op set).
func (l *contentLexer) value(depth int) (v pdfOperand, op string, err error) {
	c, err := l.skipSpace()
	if err != nil {
		return v, "", err
	}
	switch {
	case c == '(':
		s, err := l.literal()
		return pdfOperand{kind: 's', str: s}, "", err
	case c == '<':
		if b, _ := l.r.Peek(1); len(b) == 1 && b[0] == '<' {
			l.r.ReadByte()
			return pdfOperand{kind: 'd'}, "", l.skipDict(depth + 1)
		}
		s, err := l.hex()
		return pdfOperand{kind: 's', str: s}, "", err
	case c == '[':
		return l.array(depth + 1)
	case c == '/':
		name, err := l.word(nil)
		return pdfOperand{kind: '/', str: name}, "", err
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		return v, "", errPDFContent // out of place
	}
	w, err := l.word([]byte{c})
	if err != nil {
		return v, "", err
	}
	if f, err := strconv.ParseFloat(string(w), 64); err == nil {
		return pdfOperand{kind: 'n', num: f}, "", nil
	}
	return v, string(w), nil
}

// skipSpace skips white space and comments and returns the next byte.
func (l *contentLexer) skipSpace() (byte, error) {
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch {
		case isPDFSpace(c):
		case c == '%':
			for c != '\n' && c != '\r' {
				if c, err = l.r.ReadByte(); err != nil {
					return 0, err
				}
			}
		default:
			return c, nil
		}
	}
}

// word reads regular characters after start (a name or a keyword).
func (l *contentLexer) word(start []byte) ([]byte, error) {
	w := start
	for {
		c, err := l.r.ReadByte()
		if err == io.EOF {
			return w, nil
		}
		if err != nil {
			return nil, err
		}
		if isPDFSpace(c) || isPDFDelim(c) {
			l.r.UnreadByte()
			return w, nil
		}
		if len(w) >= 256 {
			return nil, errPDFContent
		}
		w = append(w, c)
	}
}

func (l *contentLexer) grow(s []byte, c byte) ([]byte, error) {
	if len(s) >= pdfMaxString {
		return nil, fmt.Errorf("%w: a pdf string over %d bytes", ErrTooLarge, pdfMaxString)
	}
	return append(s, c), nil
}

// literal reads a (string) after its opening parenthesis.
func (l *contentLexer) literal() ([]byte, error) {
	var s []byte
	depth := 1
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return nil, errPDFContent
		}
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return s, nil
			}
		case '\\':
			if c, err = l.r.ReadByte(); err != nil {
				return nil, errPDFContent
			}
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if b, _ := l.r.Peek(1); len(b) == 1 && b[0] == '\n' {
					l.r.ReadByte()
				}
				continue
			case '\n':
				continue
			default:
				if c >= '0' && c <= '7' {
					x := int(c - '0')
					for range 2 {
						b, _ := l.r.Peek(1)
						if len(b) == 0 || b[0] < '0' || b[0] > '7' {
							break
						}
						l.r.ReadByte()
						x = x*8 + int(b[0]-'0')
					}
					c = byte(x)
				}
			}
		}
		if s, err = l.grow(s, c); err != nil {
			return nil, err
		}
	}
}

// hex reads a <hex string> after its opening bracket.
func (l *contentLexer) hex() ([]byte, error) {
	var s []byte
	var hi byte
	half := false
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return nil, errPDFContent
		}
		var d byte
		switch {
		case c == '>':
			if half {
				return l.grow(s, hi<<4)
			}
			return s, nil
		case isPDFSpace(c):
			continue
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return nil, errPDFContent
		}
		if !half {
			hi, half = d, true
			continue
		}
		if s, err = l.grow(s, hi<<4|d); err != nil {
			return nil, err
		}
		half = false
	}
}

// array reads an [array] after its opening bracket.
func (l *contentLexer) array(depth int) (pdfOperand, string, error) {
	if depth > pdfMaxNesting {
		return pdfOperand{}, "", errPDFContent
	}
	a := pdfOperand{kind: '['}
	size := 0
	for {
		c, err := l.skipSpace()
		if err != nil {
			return a, "", errPDFContent
		}
		if c == ']' {
			return a, "", nil
		}
		l.r.UnreadByte()
		v, op, err := l.value(depth)
		if err != nil {
			return a, "", err
		}
		if op != "" {
			return a, "", errPDFContent // an operator inside an array
		}
		size += len(v.str)
		if l.held++; l.held > pdfMaxOperands || size > pdfMaxString {
			return a, "", fmt.Errorf("%w: a pdf array over the limits", ErrTooLarge)
		}
		a.elems = append(a.elems, v)
	}
}

// skipDict skips a <<dictionary>> after its opening brackets (marked
// content properties: nothing to show).
func (l *contentLexer) skipDict(depth int) error {
	if depth > pdfMaxNesting {
		return errPDFContent
	}
	for {
		c, err := l.skipSpace()
		if err != nil {
			return errPDFContent
		}
		if c == '>' {
			if b, _ := l.r.Peek(1); len(b) == 1 && b[0] == '>' {
				l.r.ReadByte()
				return nil
			}
			return errPDFContent
		}
		l.r.UnreadByte()
		if _, _, err := l.value(depth); err != nil {
			return err
		}
		if l.held++; l.held > pdfMaxOperands {
			return fmt.Errorf("%w: a pdf dictionary over the limits", ErrTooLarge)
		}
	}
}

// skipInlineImage skips an inline image after BI: its dictionary up to
// ID, then binary data up to EI on its own.
func (l *contentLexer) skipInlineImage() error {
	for {
		_, op, err := l.value(1)
		if err != nil {
			return errPDFContent
		}
		if op == "ID" {
			break
		}
	}
	// The data ends at white space, "EI", then white space or the end.
	var prev [3]byte
	for {
		c, err := l.r.ReadByte()
		ended := isPDFSpace(prev[0]) && prev[1] == 'E' && prev[2] == 'I'
		if err != nil {
			if ended && err == io.EOF {
				return nil
			}
			return errPDFContent
		}
		if ended && (isPDFSpace(c) || isPDFDelim(c)) {
			l.r.UnreadByte()
			return nil
		}
		prev = [3]byte{prev[1], prev[2], c}
	}
}

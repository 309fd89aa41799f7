package formats

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/textproto"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// MailOptions bound the e-mail extractor.
type MailOptions struct {
	// Text cuts the extracted text into segments (zero: DefaultTextOptions).
	Text TextOptions
	// MaxHeader bounds one header block (default 1 MiB): a longer one is
	// malformed.
	MaxHeader int
	// MaxDepth bounds the nesting of multiparts and forwarded messages
	// (default 32). A part deeper than that has its header block scanned
	// and its body passed over; the rest of the message is read, and
	// MailSegments returns ErrMailTooDeep at the end.
	MaxDepth int
}

// ErrMailTooDeep: a message nests multiparts or forwarded messages deeper
// than MaxDepth, and the bodies past it were not read.
var ErrMailTooDeep = errors.New("mail: parts nested over the limit")

// Attachment receives an attachment of a message: its file name (from
// Content-Disposition or Content-Type; may be empty), and its content with
// the transfer encoding (base64, quoted-printable) undone. The reader is
// valid only during the call; what is not read is skipped.
type Attachment func(name string, r io.Reader) error

// MailSegments reads an RFC 5322 message with its MIME parts in one pass
// and calls fn with segments of its text, located by lines:
//
//   - every header block (the message's, each part's) as text, RFC 2047
//     encoded words decoded, at the block's lines in the message;
//   - every text/plain and text/html body part (HTML read as MarkupSegments
//     does), the transfer encoding undone and the charset turned into UTF-8.
//     A part's lines count from the line where its body starts in the
//     message: exact for 7bit, 8bit and quoted-printable (but for soft line
//     breaks), the start of the part plus the decoded line for base64;
//   - a forwarded message (message/rfc822) as a message of its own, at its
//     lines.
//
// Any other part, and any part with a file name or marked as an
// attachment, goes to attach (nil: skipped). A part that cannot be decoded
// (bad base64) is skipped and, after the rest, an error wrapping
// ErrMalformed is returned; parts nested past MaxDepth, likewise an error
// wrapping ErrMailTooDeep (both, joined, when both happened). Memory holds one segment and one header block:
// bodies are streamed.
func MailSegments(r io.Reader, opt MailOptions, fn func(*Segment) error, attach Attachment) error {
	if opt.Text == (TextOptions{}) {
		opt.Text = DefaultTextOptions
	}
	if opt.MaxHeader <= 0 {
		opt.MaxHeader = 1 << 20
	}
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = 32
	}
	w := &mailWalker{lr: &lineReader{r: bufio.NewReaderSize(r, 64<<10), line: 1, atStart: true},
		opt: opt, fn: fn, attach: attach}
	if err := w.part(0, textproto.MIMEHeader{}); err != nil {
		return err
	}
	return errors.Join(w.bad, w.deep)
}

// lineReader reads a message by lines, knowing the line number, with one
// line of look-ahead for MIME boundaries.
type lineReader struct {
	r       *bufio.Reader
	line    int  // the line of the next byte
	atStart bool // the next byte starts a line
	pending []byte
	pendOK  bool
}

// next returns the next piece of a line (whole if it fits the buffer) and
// whether it starts a line. The slice is valid until the next call.
func (l *lineReader) next() (b []byte, start bool, err error) {
	if l.pendOK {
		l.pendOK = false
		b, start = l.pending, true
	} else {
		start = l.atStart
		b, err = l.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			err = nil
		}
		if len(b) == 0 {
			if err == nil {
				err = io.EOF
			}
			return nil, false, err
		}
		err = nil
	}
	l.atStart = b[len(b)-1] == '\n'
	if l.atStart {
		l.line++
	}
	return b, start, nil
}

// unread puts back a whole line just read (a boundary), for the walker.
func (l *lineReader) unread(b []byte) {
	l.pending, l.pendOK = append(l.pending[:0], b...), true
	if b[len(b)-1] == '\n' {
		l.line--
	}
	l.atStart = true
}

type mailWalker struct {
	lr     *lineReader
	opt    MailOptions
	fn     func(*Segment) error
	attach Attachment
	bounds []string // the "--boundary" of each enclosing multipart
	bad    error    // the first undecodable part
	deep   error    // the first part past MaxDepth
}

// boundary reports whether a whole line is a boundary of an enclosing
// multipart.
func (w *mailWalker) boundary(b []byte) bool {
	if len(w.bounds) == 0 || !bytes.HasPrefix(b, []byte("--")) {
		return false
	}
	b = bytes.TrimRight(b, " \t\r\n")
	for _, bd := range w.bounds {
		if bytes.HasPrefix(b, []byte(bd)) && (len(b) == len(bd) || string(b[len(bd):]) == "--") {
			return true
		}
	}
	return false
}

// part reads one part (or the message): its header block, then its body,
// up to an enclosing boundary (left unread) or the end.
func (w *mailWalker) part(depth int, parent textproto.MIMEHeader) error {
	hdr, err := w.header()
	if err != nil {
		return err
	}
	ctype, params, perr := mime.ParseMediaType(hdr.Get("Content-Type"))
	if perr != nil || ctype == "" {
		// RFC 2046: text/plain, but digest parts default to message/rfc822.
		ctype, params = "text/plain", map[string]string{}
		if strings.HasPrefix(parent.Get("Content-Type"), "multipart/digest") {
			ctype = "message/rfc822"
		}
	}
	disp, dparams, _ := mime.ParseMediaType(hdr.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	cte := strings.ToLower(strings.TrimSpace(hdr.Get("Content-Transfer-Encoding")))
	switch {
	case depth >= w.opt.MaxDepth:
		// Each level holds a boundary that every line is compared with:
		// the bound keeps that cost linear. Passing the body over must not
		// pass for having read it.
		if w.deep == nil {
			w.deep = fmt.Errorf("%w: mail: a part at line %d deeper than %d levels", ErrMailTooDeep, w.lr.line, w.opt.MaxDepth)
		}
		return w.skipBody()
	case strings.HasPrefix(ctype, "multipart/") && params["boundary"] != "":
		return w.multipart(depth, hdr, params["boundary"])
	case ctype == "message/rfc822" && (cte == "" || cte == "7bit" || cte == "8bit" || cte == "binary"):
		return w.part(depth+1, hdr)
	case (ctype == "text/plain" || ctype == "text/html") && disp != "attachment" && name == "":
		return w.text(ctype == "text/html", params["charset"], cte)
	}
	if w.attach == nil {
		return w.skipBody()
	}
	body := &partBody{w: w}
	err = w.attach(name, transferDecoder(body, cte))
	if err != nil {
		return err
	}
	return w.skipBody()
}

// header reads a header block, scans it as text at its lines, and
// returns it parsed (empty when it does not parse).
func (w *mailWalker) header() (textproto.MIMEHeader, error) {
	start := w.lr.line
	var raw []byte
	for {
		b, lineStart, err := w.lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read message: %w", err)
		}
		if lineStart && w.boundary(b) {
			w.lr.unread(b) // a part with no body: the boundary is the parent's
			break
		}
		if lineStart && len(bytes.TrimRight(b, "\r\n")) == 0 {
			break // the blank line that ends the headers
		}
		if len(raw)+len(b) > w.opt.MaxHeader {
			return nil, fmt.Errorf("%w: mail: header block over %d bytes", ErrMalformed, w.opt.MaxHeader)
		}
		raw = append(raw, b...)
	}
	if len(raw) == 0 {
		return textproto.MIMEHeader{}, nil
	}
	if err := w.scan(start, decodeHeaderLines(raw), false); err != nil {
		return nil, err
	}
	hdr, err := textproto.NewReader(bufio.NewReader(io.MultiReader(bytes.NewReader(raw), strings.NewReader("\r\n\r\n")))).ReadMIMEHeader()
	if err != nil && hdr == nil {
		hdr = textproto.MIMEHeader{}
	}
	return hdr, nil
}

// decodeHeaderLines decodes the RFC 2047 encoded words of each line,
// keeping the lines.
func decodeHeaderLines(raw []byte) io.Reader {
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(raw, []byte("\n")) {
		if s, err := dec.DecodeHeader(string(line)); err == nil {
			out.WriteString(s)
		} else {
			out.Write(line)
		}
	}
	return &out
}

// multipart reads the parts of a multipart body; the preamble and the
// epilogue are skipped.
func (w *mailWalker) multipart(depth int, hdr textproto.MIMEHeader, boundary string) error {
	delim := "--" + boundary
	w.bounds = append(w.bounds, delim)
	closed, err := w.parts(depth, hdr, delim)
	w.bounds = w.bounds[:len(w.bounds)-1]
	if err != nil || !closed {
		return err
	}
	return w.skipBody() // the epilogue, up to an enclosing boundary
}

// parts reads the parts up to the closing delimiter (closed) or an
// enclosing boundary or the end (not closed).
func (w *mailWalker) parts(depth int, hdr textproto.MIMEHeader, delim string) (closed bool, err error) {
	for {
		b, start, err := w.lr.next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read message: %w", err)
		}
		if !start || !w.boundary(b) {
			continue // the preamble
		}
		switch t := string(bytes.TrimRight(b, " \t\r\n")); t {
		case delim + "--":
			return true, nil
		case delim:
			if err := w.part(depth+1, hdr); err != nil {
				return false, err
			}
		default:
			w.lr.unread(b) // an enclosing multipart's boundary
			return false, nil
		}
	}
}

// text scans a text part's body at its lines.
func (w *mailWalker) text(html bool, charset, cte string) error {
	start := w.lr.line
	body := &partBody{w: w}
	r, _ := charsetReader(charset, transferDecoder(body, cte)) // never fails
	err := w.scan(start, r, html)
	var perr partError
	switch {
	case errors.As(err, &perr):
		if w.bad == nil {
			w.bad = fmt.Errorf("%w: mail: undecodable part at line %d", ErrMalformed, start)
		}
	case err != nil:
		return err
	}
	return w.skipBody()
}

// partError marks a failure to decode a part's content, which spoils that
// part only.
type partError struct{ error }

// scan runs the text of r through the segmenter, lines counted from line.
func (w *mailWalker) scan(line int, r io.Reader, html bool) error {
	r = &partErrReader{r}
	fn := func(s *Segment) error {
		s.Line += line - 1
		err := w.fn(s)
		s.Line -= line - 1
		return err
	}
	if html {
		return MarkupSegments(r, MarkupOptions{HTML: true, Text: w.opt.Text}, fn)
	}
	return TextSegments(r, UTF8, w.opt.Text, fn)
}

// partErrReader marks the errors of a decoding reader as partError.
type partErrReader struct{ r io.Reader }

func (p *partErrReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && err != io.EOF {
		var rerr readError
		if !errors.As(err, &rerr) {
			err = partError{err}
		}
	}
	return n, err
}

// readError is a failure to read the message itself, not to decode it.
type readError struct{ error }

func (e readError) Unwrap() error { return e.error }

// skipBody reads up to an enclosing boundary or the end.
func (w *mailWalker) skipBody() error {
	_, err := io.Copy(io.Discard, &partBody{w: w})
	var rerr readError
	if errors.As(err, &rerr) {
		return rerr.error
	}
	return nil
}

// partBody reads a part's raw body: the lines up to an enclosing
// boundary, which it leaves unread.
type partBody struct {
	w    *mailWalker
	rest []byte
	done bool
}

func (p *partBody) Read(b []byte) (int, error) {
	for len(p.rest) == 0 {
		if p.done {
			return 0, io.EOF
		}
		line, start, err := p.w.lr.next()
		if err == io.EOF {
			p.done = true
			return 0, io.EOF
		}
		if err != nil {
			return 0, readError{fmt.Errorf("read message: %w", err)}
		}
		if start && p.w.boundary(line) {
			p.w.lr.unread(line)
			p.done = true
			return 0, io.EOF
		}
		p.rest = line
	}
	n := copy(b, p.rest)
	p.rest = p.rest[n:]
	return n, nil
}

// transferDecoder undoes a Content-Transfer-Encoding.
func transferDecoder(r io.Reader, cte string) io.Reader {
	switch cte {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Filter{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// base64Filter drops what is not base64 from a body (white space other
// than the newlines the decoder skips), as mail readers do.
type base64Filter struct{ r io.Reader }

func (f *base64Filter) Read(b []byte) (int, error) {
	for {
		n, err := f.r.Read(b)
		k := 0
		for _, c := range b[:n] {
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' {
				b[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// charsetEncoding finds a MIME charset's decoder; nil for UTF-8 and
// US-ASCII, and for charsets it does not know, whose bytes are then read
// as they are.
func charsetEncoding(name string) encoding.Encoding {
	name = strings.ToLower(strings.TrimSpace(name))
	switch name {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil
	case "iso-8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil
	}
	return enc
}

// charsetReader serves mime.WordDecoder for encoded words.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc := charsetEncoding(charset)
	if enc == nil {
		return input, nil
	}
	return transform.NewReader(input, enc.NewDecoder()), nil
}

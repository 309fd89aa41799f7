package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
)

// PDFOptions bound the PDF extractor.
type PDFOptions struct {
	// SegmentSize is the most text per segment (default 1 MiB).
	SegmentSize int
	// MaxNodes bounds the page-tree nodes visited (default 1<<20), so a
	// page tree whose kids point back at an ancestor cannot run forever.
	MaxNodes int
}

// pdfChunk is how much page text the parsing goroutine hands over at once.
const pdfChunk = 64 << 10

// pdfMaxDepth bounds the page tree's depth; real trees are a few levels.
const pdfMaxDepth = 64

// PDFSegments extracts the text of a PDF page by page, in page-tree order,
// and calls fn with segments whose Page is the 1-based page number (Line
// counts within the page). A password-protected PDF that cannot be opened
// without a password (or with an encryption the reader does not know)
// returns ErrEncrypted; a file that cannot be opened returns an error
// wrapping ErrMalformed. A page whose content cannot be read is skipped and,
// after the other pages, an error wrapping ErrMalformed is returned, so the
// caller keeps what was found. When ctx ends, it returns ctx's error.
//
// Page content streams are read by a lexer of this package's own (see
// pdfcontent.go): a string over 1 MiB ends its page with an error wrapping
// ErrTooLarge after the text before it, and the other pages are read.
//
// The PDF library (github.com/ledongthuc/pdf) panics on malformed input and
// can loop on hostile object graphs. It runs in a goroutine of its own,
// under recover, and hands the text over in small chunks; fn runs in the
// caller's goroutine. If ctx ends while the library is stuck in a loop that
// never returns, PDFSegments still returns at once: the goroutine is
// abandoned (it stops at its next check of ctx, or never, if the library
// loops for good).
func PDFSegments(ctx context.Context, ra io.ReaderAt, size int64, opt PDFOptions, fn func(*Segment) error) error {
	if opt.SegmentSize <= 0 {
		opt.SegmentSize = 1 << 20
	}
	if opt.MaxNodes <= 0 {
		opt.MaxNodes = 1 << 20
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // tells the parsing goroutine to stop
	chunks := make(chan pdfEvent, 4)
	go parsePDF(ctx, ra, size, opt, chunks)

	pr := &pageReader{ctx: ctx, events: chunks}
	var badPage error
	for {
		ev, ok := pr.next()
		if !ok {
			return pr.err
		}
		switch {
		case ev.err != nil && ev.page == 0:
			return ev.err // the whole file, or the parse ended
		case ev.err != nil:
			badPage = ev.err
			continue
		case ev.done:
			return badPage
		}
		// A page starts: stream its text through TextSegments.
		pr.page, pr.pending, pr.ended = ev.page, ev.text, ev.last
		err := extractedText(pr, opt.SegmentSize, &pr.err, func(s *Segment) error {
			s.Page = pr.page
			return fn(s)
		})
		if err != nil {
			return err
		}
	}
}

// pdfEvent is what the parsing goroutine sends: some text of a page (last
// when the page is over), a failed page, a fatal error, or the end.
type pdfEvent struct {
	page int
	text []byte
	last bool
	err  error
	done bool
}

// pageReader reads one page's text from the events.
type pageReader struct {
	ctx     context.Context
	events  <-chan pdfEvent
	page    int
	pending []byte
	ended   bool
	err     error // ctx's error or a fatal parse error met mid-page
}

func (p *pageReader) next() (pdfEvent, bool) {
	select {
	case ev, ok := <-p.events:
		if !ok {
			p.err = fmt.Errorf("%w: pdf: parser stopped", ErrMalformed)
		}
		return ev, ok
	case <-p.ctx.Done():
		p.err = p.ctx.Err()
		return pdfEvent{}, false
	}
}

func (p *pageReader) Read(b []byte) (int, error) {
	for len(p.pending) == 0 {
		if p.ended || p.err != nil {
			return 0, io.EOF
		}
		ev, ok := p.next()
		switch {
		case !ok:
			return 0, io.EOF
		case ev.err != nil || ev.done || ev.page != p.page:
			// The goroutine sends a page's text, then its last chunk,
			// before anything else; anything else here is a fatal error.
			p.err = ev.err
			if p.err == nil {
				p.err = fmt.Errorf("%w: pdf: page text out of order", ErrMalformed)
			}
			return 0, io.EOF
		}
		p.pending, p.ended = ev.text, ev.last
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// errPDFStop unwinds a page's reading from inside show, or the page-tree
// walk, when the caller has gone (ctx ended).
var errPDFStop = errors.New("pdf: stopped")

// parsePDF runs in its own goroutine: it opens the file, walks the page
// tree and sends each page's text. It never lets a panic escape.
func parsePDF(ctx context.Context, ra io.ReaderAt, size int64, opt PDFOptions, out chan<- pdfEvent) {
	defer close(out)
	send := func(ev pdfEvent) bool {
		select {
		case out <- ev:
			return true
		case <-ctx.Done():
			return false
		}
	}
	defer func() {
		// The library's panics carry parts of the file (names, tokens), so
		// only the fact is kept.
		if p := recover(); p != nil {
			send(pdfEvent{err: fmt.Errorf("%w: pdf: parser failure", ErrMalformed)})
		}
	}()
	if err := pdfPreflight(ctx, ra, size); err != nil {
		send(pdfEvent{err: err})
		return
	}
	r, err := pdf.NewReader(ra, size)
	if err != nil {
		send(pdfEvent{err: openError(err)})
		return
	}
	w := pageWalker{ctx: ctx, nodesLeft: opt.MaxNodes}
	err = w.walk(r.Trailer().Key("Root").Key("Pages"), 0, func(page int, v pdf.Value) bool {
		ok, perr := pageText(ctx, page, v, send)
		if perr != nil && ok {
			ok = send(pdfEvent{page: page, err: perr})
		}
		return ok
	})
	switch {
	case errors.Is(err, errPDFStop) || ctx.Err() != nil:
		return // the caller has gone
	case err != nil:
		send(pdfEvent{err: err})
		return
	}
	send(pdfEvent{done: true})
}

// openError sorts the library's open errors: encryption it cannot undo
// (a password is needed, or AES-256 which it does not implement) or a
// file it cannot read. The library's message is not kept: it may quote
// the file.
func openError(err error) error {
	if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt") {
		return fmt.Errorf("pdf: %w", ErrEncrypted)
	}
	return fmt.Errorf("%w: pdf: cannot open", ErrMalformed)
}

// pageWalker numbers the pages of a page tree in order.
type pageWalker struct {
	ctx       context.Context
	nodesLeft int
	pages     int
}

func (w *pageWalker) walk(node pdf.Value, depth int, page func(int, pdf.Value) bool) error {
	if w.nodesLeft--; w.nodesLeft < 0 || depth > pdfMaxDepth {
		return fmt.Errorf("%w: pdf: page tree too large or cyclic", ErrMalformed)
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	kids := node.Key("Kids")
	if kids.Kind() != pdf.Array {
		if node.Kind() != pdf.Dict {
			return nil // a broken kid: nothing to read
		}
		w.pages++
		if !page(w.pages, node) {
			return w.stopped()
		}
		return nil
	}
	for i := 0; i < kids.Len(); i++ {
		if err := w.walk(kids.Index(i), depth+1, page); err != nil {
			return err
		}
	}
	return nil
}

func (w *pageWalker) stopped() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	return errPDFStop
}

// pageText interprets one page's content streams and sends its text in
// chunks, the last one marked. It reports whether to go on (false: ctx
// ended) and the page's own failure, if any.
func pageText(ctx context.Context, page int, v pdf.Value, send func(pdfEvent) bool) (ok bool, err error) {
	var buf bytes.Buffer
	flush := func(last bool) bool {
		text := bytes.Clone(buf.Bytes())
		buf.Reset()
		return send(pdfEvent{page: page, text: text, last: last})
	}
	defer func() {
		if p := recover(); p != nil {
			if p == errPDFStop {
				ok, err = false, nil
				return
			}
			// What was read of the page is scanned; the page is marked bad.
			ok, err = flush(true), fmt.Errorf("%w: pdf: page %d unreadable", ErrMalformed, page)
		}
	}()
	contents := v.Key("Contents")
	if contents.Kind() == pdf.Null {
		return flush(true), nil
	}
	fonts := pdf.Page{V: v}.Resources().Key("Font") // may be inherited
	encoders := map[string]pdf.TextEncoding{}
	var enc pdf.TextEncoding
	// Blank lines carry nothing in a PDF; lines are counted from the
	// page's first line of text.
	atLineStart := true
	newline := func() {
		if !atLineStart {
			buf.WriteByte('\n')
			atLineStart = true
		}
	}
	show := func(raw string) {
		n := buf.Len()
		if enc == nil {
			buf.WriteString(raw) // no font selected: take the bytes as they are
		} else {
			buf.WriteString(enc.Decode(raw))
		}
		atLineStart = atLineStart && buf.Len() == n
		if buf.Len() >= pdfChunk && !flush(false) {
			panic(errPDFStop)
		}
	}
	lex := newContentLexer(contentReader(contents))
	for ops := 1; ; ops++ {
		if ops&1023 == 0 && ctx.Err() != nil {
			return false, nil
		}
		op, args, err := lex.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			// What was read of the page is scanned; the page is marked
			// bad. The stream's own error is not kept: it may quote it.
			if !errors.Is(err, ErrTooLarge) {
				err = ErrMalformed
			}
			return flush(true), fmt.Errorf("%w: pdf: page %d unreadable", err, page)
		}
		switch op {
		case "BT", "T*":
			newline()
		case "Td", "TD":
			// A move down starts a new line; a move along the line is
			// usually kerning or a word placed on its own, left joined so
			// that a number set glyph by glyph stays whole.
			if len(args) == 2 && args[1].kind == 'n' && args[1].num != 0 {
				newline()
			}
		case "Tf":
			if len(args) == 2 && args[0].kind == '/' {
				enc = fontEncoder(fonts, string(args[0].str), encoders)
			}
		case "'", "\"":
			newline()
			if len(args) > 0 && args[len(args)-1].kind == 's' {
				show(string(args[len(args)-1].str))
			}
		case "Tj":
			if len(args) == 1 && args[0].kind == 's' {
				show(string(args[0].str))
			}
		case "TJ":
			if len(args) != 1 || args[0].kind != '[' {
				continue
			}
			for _, x := range args[0].elems {
				switch x.kind {
				case 's':
					show(string(x.str))
				case 'n':
					// A gap wider than a fifth of an em is a word space in
					// the output of TeX and others that set spaces by
					// kerning.
					if x.num < -200 && !atLineStart {
						buf.WriteByte(' ')
					}
				}
			}
		}
	}
	return flush(true), nil
}

// contentReader reads a page's content: one stream, or an array of
// streams read as one with white space between.
func contentReader(contents pdf.Value) io.Reader {
	if contents.Kind() != pdf.Array {
		return contents.Reader()
	}
	var rs []io.Reader
	for i := 0; i < contents.Len() && i < pdfMaxNodesPerPage; i++ {
		rs = append(rs, contents.Index(i).Reader(), strings.NewReader("\n"))
	}
	return io.MultiReader(rs...)
}

// pdfMaxNodesPerPage bounds the content streams of one page.
const pdfMaxNodesPerPage = 4096

// fontEncoder returns the text encoding of the page's font name, cached.
// A font whose ToUnicode map is larger than pdfMaxCMap is read without it
// (its bytes as they are): the library interprets the map with its own
// lexer, which holds each string whole.
func fontEncoder(fonts pdf.Value, name string, cache map[string]pdf.TextEncoding) pdf.TextEncoding {
	if e, ok := cache[name]; ok {
		return e
	}
	var e pdf.TextEncoding
	if f := fonts.Key(name); f.Kind() == pdf.Dict && smallCMap(f.Key("ToUnicode")) {
		font := pdf.Font{V: f}
		e = font.Encoder()
	}
	cache[name] = e
	return e
}

// pdfMaxCMap bounds a font's ToUnicode map, decoded; real ones, CJK
// included, take a few hundred kilobytes.
const pdfMaxCMap = 4 << 20

// smallCMap reports whether a ToUnicode map (or its absence) is small
// enough to hand to the library, reading it once as a stream to know.
func smallCMap(cmap pdf.Value) bool {
	if cmap.Kind() != pdf.Stream {
		return true
	}
	rc := cmap.Reader()
	defer rc.Close()
	n, _ := io.Copy(io.Discard, io.LimitReader(rc, pdfMaxCMap+1))
	return n <= pdfMaxCMap
}

package formats

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"strconv"
)

// The PDF library allocates from numbers a file declares, and reads every
// string of an object whole, before trawl can bound anything: a 1 MB file
// whose font dictionary sits in a compressed object stream holding a
// 64 MiB string took 287 MiB (4.5 times the string), a 1 GiB one would
// take gigabytes. pdfPreflight reads the file once first, in bounded
// memory, and refuses (ErrTooLarge) what the library would allocate
// past these bounds.
const (
	// pdfMaxObjStm is the most a compressed object stream may inflate to.
	pdfMaxObjStm = 64 << 20
	// pdfMaxColumns bounds a predictor's row (the library allocates two).
	pdfMaxColumns = 1 << 20
	// pdfMaxXrefWidth bounds a cross-reference stream's entry (its /W
	// widths summed; the library allocates one entry's buffer).
	pdfMaxXrefWidth = 64
	// pdfMaxObjects bounds /Size, the cross-reference table's length (the
	// library allocates it whole, 32 bytes an entry).
	pdfMaxObjects = 4 << 20
)

// pdfLookahead is how far past a key its value is read.
const pdfLookahead = 64

// pdfPreflight checks a PDF's raw bytes for the keys whose values the
// library allocates from (/Columns, /W, /Size), and inflates each
// FlateDecode object stream to check its strings (each at most
// pdfMaxString, as in content streams). A stream that does not inflate
// is left to the library, which will fail on it the same way.
func pdfPreflight(ctx context.Context, ra io.ReaderAt, size int64) error {
	const chunk = 1 << 20
	buf := make([]byte, chunk+pdfLookahead)
	var objStreams, xrefTables []int64
	for start := int64(0); start < size; start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := ra.ReadAt(buf[:min(int64(len(buf)), size-start)], start)
		if err != nil && err != io.EOF {
			return nil // the library will report it
		}
		w := buf[:n]
		last := start+int64(n) >= size
		for _, key := range []string{"/ObjStm", "/Columns", "/W", "/Size", "/Index", "xref"} {
			for i := 0; ; {
				j := bytes.Index(w[i:], []byte(key))
				if j < 0 {
					break
				}
				at := i + j
				i = at + len(key)
				if at >= chunk && !last {
					break // the next window starts here
				}
				if i < len(w) && isPDFRegular(w[i]) {
					continue // a longer name: /Width, /SizeX
				}
				switch key {
				case "/ObjStm":
					objStreams = append(objStreams, start+int64(i))
					continue
				case "xref":
					if at > 0 && isPDFRegular(w[at-1]) {
						continue // startxref
					}
					xrefTables = append(xrefTables, start+int64(i))
					continue
				}
				if err := checkPDFNumber(key, w[i:min(len(w), i+pdfLookahead)]); err != nil {
					return err
				}
			}
		}
	}
	for _, at := range xrefTables {
		if err := checkXrefTable(ctx, ra, size, at); err != nil {
			return err
		}
	}
	for _, at := range objStreams {
		if err := checkObjectStream(ctx, ra, size, at); err != nil {
			return err
		}
	}
	return nil
}

// checkPDFNumber checks the value after key: an integer, or for /W an
// array of integers.
func checkPDFNumber(key string, v []byte) error {
	v = bytes.TrimLeft(v, " \t\r\n\f\x00")
	if key == "/Index" {
		return checkXrefIndex(v)
	}
	if key == "/W" {
		if len(v) == 0 || v[0] != '[' {
			return nil
		}
		end := bytes.IndexByte(v, ']')
		if end < 0 {
			return fmt.Errorf("%w: a pdf cross-reference stream's /W array is too long", ErrTooLarge)
		}
		sum := 0
		for _, f := range bytes.Fields(v[1:end]) {
			n, err := strconv.Atoi(string(f))
			if err != nil || n < 0 || n > pdfMaxXrefWidth {
				return fmt.Errorf("%w: a pdf cross-reference stream's entry is over %d bytes", ErrTooLarge, pdfMaxXrefWidth)
			}
			sum += n
		}
		if sum > pdfMaxXrefWidth {
			return fmt.Errorf("%w: a pdf cross-reference stream's entry is over %d bytes", ErrTooLarge, pdfMaxXrefWidth)
		}
		return nil
	}
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	if end == 0 {
		return nil // not an integer (a /Size array of a function)
	}
	n, err := strconv.ParseInt(string(v[:end]), 10, 64)
	bound := int64(pdfMaxColumns)
	if key == "/Size" {
		bound = pdfMaxObjects
	}
	if err != nil || n > bound {
		return fmt.Errorf("%w: a pdf %s over %d", ErrTooLarge, key, bound)
	}
	return nil
}

// checkXrefIndex checks a cross-reference stream's /Index array, pairs
// of first object and count, as far as the lookahead holds it: the
// library grows its table to the last object of each pair.
func checkXrefIndex(v []byte) error {
	if len(v) == 0 || v[0] != '[' {
		return nil
	}
	if end := bytes.IndexByte(v, ']'); end >= 0 {
		v = v[:end]
	}
	f := bytes.Fields(v[1:])
	for i := 0; i+1 < len(f); i += 2 {
		first, err1 := strconv.ParseInt(string(f[i]), 10, 64)
		n, err2 := strconv.ParseInt(string(f[i+1]), 10, 64)
		if err1 != nil || err2 != nil {
			return nil
		}
		if first < 0 || n < 0 || first+n > pdfMaxObjects {
			return fmt.Errorf("%w: a pdf cross-reference stream indexes objects past %d", ErrTooLarge, pdfMaxObjects)
		}
	}
	return nil
}

// checkXrefTable reads a cross-reference table's subsections ("first
// count", then count entries of three tokens) up to its trailer, as the
// library will: it grows its table to each subsection's last object, so
// a 700-byte file whose subsection starts at object 4,000,000,000 ended
// the process with Go's fatal out of memory.
func checkXrefTable(ctx context.Context, ra io.ReaderAt, size, at int64) error {
	br := bufio.NewReaderSize(io.NewSectionReader(ra, at, size-at), 64<<10)
	token := func() []byte {
		var t []byte
		for {
			c, err := br.ReadByte()
			switch {
			case err != nil:
				return t
			case !isPDFRegular(c) && c != '/' && c != '%':
				if len(t) > 0 {
					return t
				}
			case len(t) < 32:
				t = append(t, c)
			}
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		first, err1 := strconv.ParseInt(string(token()), 10, 64)
		n, err2 := strconv.ParseInt(string(token()), 10, 64)
		if err1 != nil || err2 != nil {
			return nil // the trailer, or what the library will reject
		}
		if first < 0 || n < 0 || first+n > pdfMaxObjects {
			return fmt.Errorf("%w: a pdf cross-reference table lists objects past %d", ErrTooLarge, pdfMaxObjects)
		}
		for range 3 * n {
			if len(token()) == 0 {
				return nil
			}
		}
	}
}

// checkObjectStream inflates the object stream whose dictionary holds
// /ObjStm before at, if it is FlateDecode, and checks its strings.
func checkObjectStream(ctx context.Context, ra io.ReaderAt, size, at int64) error {
	head := make([]byte, min(4096, size-at))
	n, _ := ra.ReadAt(head, at)
	head = head[:n]
	s := bytes.Index(head, []byte("stream"))
	if s < 0 || bytes.Contains(head[:s], []byte("endobj")) {
		return nil
	}
	// The dictionary is around at: the filter may come before /ObjStm.
	before := make([]byte, min(512, at))
	ra.ReadAt(before, at-int64(len(before)))
	dict := append(before[max(bytes.LastIndex(before, []byte("obj")), 0):], head[:s]...)
	if !bytes.Contains(dict, []byte("/FlateDecode")) {
		return nil // unfiltered: its strings are bounded by the file
	}
	data := at + int64(s) + int64(len("stream"))
	for _, eol := range []string{"\r\n", "\n", "\r"} {
		if bytes.HasPrefix(head[s+len("stream"):], []byte(eol)) {
			data += int64(len(eol))
			break
		}
	}
	zr, err := zlib.NewReader(io.NewSectionReader(ra, data, size-data))
	if err != nil {
		return nil
	}
	defer zr.Close()
	return checkPDFStrings(ctx, bufio.NewReaderSize(io.LimitReader(zr, pdfMaxObjStm+1), 64<<10))
}

// checkPDFStrings reads decoded PDF objects and fails with ErrTooLarge at
// a string literal or hex string over pdfMaxString, or past pdfMaxObjStm
// bytes. A read error ends the check: the library will meet it too.
func checkPDFStrings(ctx context.Context, r *bufio.Reader) error {
	var read int64
	tooLarge := func() error {
		return fmt.Errorf("%w: a pdf string over %d bytes in an object stream", ErrTooLarge, pdfMaxString)
	}
	for {
		c, err := r.ReadByte()
		if err != nil {
			return nil
		}
		read++
		if read%(1<<20) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if read > pdfMaxObjStm {
			return fmt.Errorf("%w: a pdf object stream over %d bytes", ErrTooLarge, pdfMaxObjStm)
		}
		switch c {
		case '%': // a comment, to the end of its line
			for c != '\n' && c != '\r' && err == nil {
				c, err = r.ReadByte()
				read++
			}
		case '(':
			depth, n := 1, 0
			for depth > 0 {
				c, err := r.ReadByte()
				if err != nil {
					return nil
				}
				read, n = read+1, n+1
				switch c {
				case '\\':
					r.ReadByte()
					read++
				case '(':
					depth++
				case ')':
					depth--
				}
				if n > pdfMaxString {
					return tooLarge()
				}
			}
		case '<':
			if next, err := r.Peek(1); err == nil && next[0] == '<' {
				r.ReadByte() // a dictionary
				read++
				continue
			}
			n := 0
			for {
				c, err := r.ReadByte()
				if err != nil || c == '>' {
					break
				}
				read, n = read+1, n+1
				if n > 2*pdfMaxString {
					return tooLarge()
				}
			}
		}
	}
}

// isPDFRegular: a byte that continues a name.
func isPDFRegular(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

package formats

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// DocumentSegments extracts the text of a DOCX, PPTX, ODT or ODP document
// (kind from OfficeKind) through random access, one paragraph per line —
// body, tables (a cell per line), headers, footers, footnotes, endnotes,
// comments, and for presentations every slide and its notes in order —
// and calls fn with plain-text segments located by lines (feed the text
// through TextSegments with DefaultTextOptions-like options sized by
// opt.SegmentSize, so lines/columns and overlap rules are the same as for
// text files). Parts are read with guardedPart so opt.MaxUncompressed and
// opt.MaxRatio hold (ErrUncompressedSize / ErrUncompressedRatio, wrapped).
// An encrypted ODF entry (manifest encryption-data) returns ErrEncrypted;
// malformed XML or zip returns an error wrapping ErrMalformed.
//
// The text is pulled from the XML token stream as TextSegments reads it, so
// memory holds one segment, the decoder's state and at most one token's
// text; no goroutine is involved.
func DocumentSegments(ra io.ReaderAt, size int64, kind string, opt OfficeOptions, fn func(*Segment) error) error {
	opt = opt.withDefaults()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("%w: %s zip: %s", ErrMalformed, kind, errText(err))
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		if _, dup := files[f.Name]; !dup {
			files[f.Name] = f
		}
	}
	x := &docReader{files: files, opt: opt, budget: opt.MaxUncompressed, atLineStart: true}
	var parts []string
	switch kind {
	case KindDOCX:
		parts, err = x.docxParts(zr)
	case KindPPTX:
		parts, err = x.pptxParts()
	case KindODT, KindODP:
		x.odf = true
		parts, err = x.odfParts(kind)
	default:
		return fmt.Errorf("formats: DocumentSegments: unsupported kind %q", kind)
	}
	if err != nil {
		return err
	}
	x.parts = parts
	defer x.closePart()
	return extractedText(x, opt.SegmentSize, &x.err, fn)
}

// extractedText runs TextSegments over an extractor's text r (UTF-8),
// with segments of size bytes (scaledTextOptions). It returns fn's error
// as it is, else the extractor's own failure (*rerr, set by r before it
// fails or ends, and returned unwrapped), else TextSegments' error.
func extractedText(r io.Reader, size int, rerr *error, fn func(*Segment) error) error {
	var fnErr error
	err := TextSegments(r, UTF8, scaledTextOptions(size), func(s *Segment) error {
		fnErr = fn(s)
		return fnErr
	})
	switch {
	case fnErr != nil:
		return fnErr
	case *rerr != nil:
		return *rerr
	}
	return err
}

// docReader is an io.Reader over a document's text: each Read pulls XML
// tokens from the current part until some text comes out.
type docReader struct {
	files  map[string]*zip.File
	opt    OfficeOptions
	budget int64
	odf    bool

	parts []string
	next  int
	rc    io.ReadCloser
	dec   *xml.Decoder
	name  string

	// Where the token stream stands.
	inText, inRun, inPara, skip int

	pending     []byte
	atLineStart bool
	err         error // the extraction error, kept apart from fn's
}

func (x *docReader) Read(p []byte) (int, error) {
	for len(x.pending) == 0 {
		if x.err != nil {
			return 0, x.err
		}
		if x.dec == nil {
			if x.next == len(x.parts) {
				return 0, io.EOF
			}
			if err := x.openPart(x.parts[x.next]); err != nil {
				x.err = err
				return 0, err
			}
			x.next++
		}
		tok, err := x.dec.Token()
		if err == io.EOF {
			x.closePart()
			x.newline(false) // parts never share a line
			continue
		}
		if err != nil {
			x.err = x.partErr(err)
			return 0, x.err
		}
		x.token(tok)
	}
	n := copy(p, x.pending)
	x.pending = x.pending[n:]
	return n, nil
}

func (x *docReader) openPart(name string) error {
	f := x.files[name]
	rc, err := guardedPart(f, x.opt, &x.budget)
	if err != nil {
		return officeErr(name, err)
	}
	x.rc, x.name = rc, name
	x.dec = xml.NewDecoder(newBoundedXML(rc))
	x.inText, x.inRun, x.inPara, x.skip = 0, 0, 0, 0
	return nil
}

func (x *docReader) closePart() {
	if x.rc != nil {
		x.rc.Close()
	}
	x.rc, x.dec = nil, nil
}

func (x *docReader) partErr(err error) error { return officeErr(x.name, err) }

// emit adds text to the current line.
func (x *docReader) emit(b []byte) {
	if len(b) == 0 {
		return
	}
	x.pending = append(x.pending, b...)
	x.atLineStart = b[len(b)-1] == '\n'
}

// newline ends the line: always (a paragraph, even an empty one, is a
// line), or only when the line has text (cells, parts).
func (x *docReader) newline(always bool) {
	if always || !x.atLineStart {
		x.emit([]byte{'\n'})
	}
}

// token turns one XML token into text. Names are matched by local name so
// that Strict OOXML and transitional namespaces both work.
func (x *docReader) token(tok xml.Token) {
	if x.odf {
		x.odfToken(tok)
		return
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if x.skip > 0 || t.Name.Local == "Fallback" {
			x.skip++ // mc:Fallback repeats what mc:Choice holds
			return
		}
		switch t.Name.Local {
		case "r", "fld":
			x.inRun++
		case "t":
			if x.inRun > 0 {
				x.inText++
			}
		case "tab":
			if x.inRun > 0 { // not w:tabs/w:tab, a tab stop
				x.emit([]byte{'\t'})
			}
		case "br", "cr":
			if x.inRun > 0 || x.inPara > 0 { // a:br sits beside runs
				x.emit([]byte{'\n'})
			}
		case "p":
			x.inPara++
		}
	case xml.EndElement:
		if x.skip > 0 {
			x.skip--
			return
		}
		switch t.Name.Local {
		case "r", "fld":
			x.inRun = max(x.inRun-1, 0)
		case "t":
			x.inText = max(x.inText-1, 0)
		case "p":
			x.inPara = max(x.inPara-1, 0)
			x.newline(true)
		case "tc":
			x.newline(false)
		}
	case xml.CharData:
		if x.inText > 0 && x.skip == 0 {
			x.emit(t)
		}
	}
}

// odfToken: text is the character data of text:p and text:h, less note
// citations and annotation metadata; text:s, text:tab and text:line-break
// stand for spaces, a tab and a new line.
func (x *docReader) odfToken(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		if x.skip > 0 {
			x.skip++
			return
		}
		switch t.Name.Local {
		case "note-citation", "creator", "date", "initials", "tracked-changes", "sender-initials":
			x.skip++
		case "p", "h":
			if x.inPara > 0 { // a note or annotation inside a paragraph
				x.newline(false)
			}
			x.inPara++
		case "s":
			if x.inPara > 0 {
				n := 1
				for _, a := range t.Attr {
					if a.Name.Local == "c" {
						if c, err := strconv.Atoi(a.Value); err == nil && c > 1 {
							n = min(c, 1024)
						}
					}
				}
				x.emit(bytes.Repeat([]byte{' '}, n))
			}
		case "tab":
			if x.inPara > 0 {
				x.emit([]byte{'\t'})
			}
		case "line-break":
			if x.inPara > 0 {
				x.emit([]byte{'\n'})
			}
		}
	case xml.EndElement:
		if x.skip > 0 {
			x.skip--
			return
		}
		switch t.Name.Local {
		case "p", "h":
			x.inPara = max(x.inPara-1, 0)
			x.newline(true)
		case "table-cell":
			x.newline(false)
		}
	case xml.CharData:
		if x.inPara > 0 && x.skip == 0 {
			x.emit(t)
		}
	}
}

// docxParts lists the body, then headers, footers, footnotes, endnotes and
// comments, numbered parts in number order.
func (x *docReader) docxParts(zr *zip.Reader) ([]string, error) {
	if x.files["word/document.xml"] == nil {
		return nil, fmt.Errorf("%w: docx without word/document.xml", ErrMalformed)
	}
	parts := []string{"word/document.xml"}
	for _, prefix := range []string{"header", "footer", "footnotes", "endnotes", "comments"} {
		var group []string
		for _, f := range zr.File {
			dir, file := path.Split(f.Name)
			if dir == "word/" && strings.HasPrefix(file, prefix) && strings.HasSuffix(file, ".xml") &&
				x.files[f.Name] == f && isNumbered(strings.TrimSuffix(file[len(prefix):], ".xml")) {
				group = append(group, f.Name)
			}
		}
		sortNumbered(group)
		parts = append(parts, group...)
	}
	return parts, nil
}

func isNumbered(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// sortNumbered sorts names by length then text: header2 before header10.
func sortNumbered(names []string) {
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return names[i] < names[j]
	})
}

const relNotesSlide = "/notesSlide"

// pptxParts lists each slide, in the presentation's order, followed by its
// notes.
func (x *docReader) pptxParts() ([]string, error) {
	const pres = "ppt/presentation.xml"
	var ids []string
	err := x.scan(pres, func(t xml.StartElement) {
		if t.Name.Local == "sldId" {
			for _, a := range t.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					ids = append(ids, a.Value)
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	rels, err := x.rels(pres)
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, id := range ids {
		slide, ok := rels[id]
		if !ok || x.files[slide.target] == nil {
			continue
		}
		parts = append(parts, slide.target)
		srels, err := x.rels(slide.target)
		if err != nil {
			return nil, err
		}
		var notes []string
		for _, r := range srels {
			if strings.HasSuffix(r.typ, relNotesSlide) && x.files[r.target] != nil {
				notes = append(notes, r.target)
			}
		}
		sort.Strings(notes)
		parts = append(parts, notes...)
	}
	return parts, nil
}

type rel struct{ target, typ string }

// rels reads the relationships of a part, targets resolved to zip names.
func (x *docReader) rels(part string) (map[string]rel, error) {
	dir, file := path.Split(part)
	name := dir + "_rels/" + file + ".rels"
	out := map[string]rel{}
	if x.files[name] == nil {
		return out, nil
	}
	err := x.scan(name, func(t xml.StartElement) {
		if t.Name.Local != "Relationship" {
			return
		}
		var id, target, typ, mode string
		for _, a := range t.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Target":
				target = a.Value
			case "Type":
				typ = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if mode == "External" {
			return
		}
		out[id] = rel{target: relTarget(dir, target), typ: typ}
	})
	return out, err
}

// relTarget resolves an internal relationship's target to a zip name:
// from the package root when it starts with '/', else from dir, the
// folder of the part whose relationships they are.
func relTarget(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(dir, target)
}

// scan streams a small part's start elements to fn, within the limits.
func (x *docReader) scan(name string, fn func(xml.StartElement)) error {
	f := x.files[name]
	if f == nil {
		return fmt.Errorf("%w: missing %s", ErrMalformed, name)
	}
	rc, err := guardedPart(f, x.opt, &x.budget)
	if err != nil {
		return officeErr(name, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(newBoundedXML(rc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return officeErr(name, err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			fn(t)
		}
	}
}

// odfParts checks the manifest for encrypted entries, then lists
// content.xml (body, tables, notes, annotations; every slide with its notes)
// and, for text documents, styles.xml (headers and footers).
func (x *docReader) odfParts(kind string) ([]string, error) {
	if x.files["META-INF/manifest.xml"] != nil {
		encrypted := false
		err := x.scan("META-INF/manifest.xml", func(t xml.StartElement) {
			if t.Name.Local == "encryption-data" {
				encrypted = true
			}
		})
		if err != nil {
			return nil, err
		}
		if encrypted {
			return nil, fmt.Errorf("%s: %w", kind, ErrEncrypted)
		}
	}
	if x.files["content.xml"] == nil {
		return nil, fmt.Errorf("%w: %s without content.xml", ErrMalformed, kind)
	}
	parts := []string{"content.xml"}
	if kind == KindODT && x.files["styles.xml"] != nil {
		parts = append(parts, "styles.xml")
	}
	return parts, nil
}

// IsEncryptedOffice reports whether an OLE2 (Compound File Binary) file is
// a password-protected OOXML package: its root storage holds the
// "EncryptionInfo" and "EncryptedPackage" streams ([MS-OFFCRYPTO] 2.3.4),
// as the directory says (read with mscfb, at most cfbMaxEntries entries).
// A legacy .doc or .xls is never one, even if its text spells those
// names; their own password flags (the FIB's fEncrypted, a FILEPASS
// record) are read by their extractors, which return ErrEncrypted. A file
// whose directory cannot be read is not taken as encrypted (the legacy
// reader then reports it malformed).
func IsEncryptedOffice(ra io.ReaderAt, size int64) bool {
	if size < 512 || !isOLE2(ra) {
		return false
	}
	streams, err := cfbStreams(ra, "EncryptionInfo", "EncryptedPackage")
	return err == nil && streams["EncryptionInfo"] != nil && streams["EncryptedPackage"] != nil
}

package formats

import (
	"errors"
	"fmt"
	"io"

	"github.com/richardlehane/mscfb"
)

// Legacy (OLE2 / Compound File Binary) office document kinds.
const (
	KindXLS = "xls"
	KindDOC = "doc"
)

// LegacyMIME is the media type reported for a legacy kind.
func LegacyMIME(kind string) string {
	switch kind {
	case KindXLS:
		return "application/vnd.ms-excel"
	case KindDOC:
		return "application/msword"
	}
	return ""
}

// ole2Magic opens every OLE2 (Compound File Binary) file.
const ole2Magic = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

// isOLE2 reports whether ra starts with the OLE2 signature.
func isOLE2(ra io.ReaderAt) bool {
	head := make([]byte, len(ole2Magic))
	n, _ := ra.ReadAt(head, 0)
	return n == len(head) && string(head) == ole2Magic
}

// cfbMaxEntries bounds the directory entries looked at, against a
// hostile directory that lists millions.
const cfbMaxEntries = 4096

// LegacyKind says which legacy office document an OLE2 file is, from the
// streams its directory holds: "xls" (Workbook), "doc" (WordDocument), or
// "" for any other OLE2 file (an encrypted OOXML package, an Outlook
// message, an old Excel 5 "Book"...). An OLE2 file whose directory cannot
// be read gives an error wrapping ErrMalformed.
func LegacyKind(ra io.ReaderAt) (string, error) {
	streams, err := cfbStreams(ra, "Workbook", "WordDocument")
	if err != nil {
		return "", err
	}
	switch {
	case streams["Workbook"] != nil:
		return KindXLS, nil
	case streams["WordDocument"] != nil:
		return KindDOC, nil
	}
	return "", nil
}

// cfbStreams opens an OLE2 file and returns the named streams found in
// its root storage (the first of each name).
func cfbStreams(ra io.ReaderAt, names ...string) (found map[string]*mscfb.File, err error) {
	defer func() {
		// mscfb trusts the sector chains it follows; a panic on a
		// hostile file is a malformed file, nothing more.
		if p := recover(); p != nil {
			found, err = nil, fmt.Errorf("%w: OLE2 directory", ErrMalformed)
		}
	}()
	doc, err := mscfb.New(ra)
	if err != nil {
		return nil, fmt.Errorf("%w: OLE2: %v", ErrMalformed, err)
	}
	found = map[string]*mscfb.File{}
	for i := 0; i < cfbMaxEntries; i++ {
		f, err := doc.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: OLE2 directory: %v", ErrMalformed, err)
		}
		if len(f.Path) > 0 {
			continue // inside a sub-storage (an embedded object)
		}
		for _, n := range names {
			if f.Name == n && found[n] == nil {
				found[n] = f
			}
		}
	}
	return found, nil
}

// streamReader gives random access to a CFB stream, turning mscfb's
// panics on broken sector chains into errors.
type streamReader struct{ f *mscfb.File }

func (s streamReader) ReadAt(p []byte, off int64) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("%w: OLE2 stream", ErrMalformed)
		}
	}()
	if off >= s.f.Size {
		return 0, io.EOF
	}
	n, err = s.f.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, fmt.Errorf("%w: OLE2 stream: %v", ErrMalformed, err)
	}
	if n < len(p) && err == nil {
		err = io.EOF
	}
	return n, err
}

package formats

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// OfficeOptions bound the office extractors with Macie's limits.
type OfficeOptions struct {
	// SegmentSize is the most text per segment (default 1 MiB).
	SegmentSize int
	// MaxUncompressed bounds the bytes inflated from the document's parts
	// (default 512 MB, Macie's limit for Office files).
	MaxUncompressed int64
	// MaxRatio bounds one part's uncompressed size over its compressed size
	// (default 100), against decompression bombs.
	MaxRatio float64
	// MaxSharedStrings bounds the memory an XLSX shared-strings table may
	// take (default 128 MiB); past it: ErrUncompressedSize.
	MaxSharedStrings int64
}

func (o OfficeOptions) withDefaults() OfficeOptions {
	if o.SegmentSize <= 0 {
		o.SegmentSize = 1 << 20
	}
	if o.MaxUncompressed <= 0 {
		o.MaxUncompressed = 512 << 20
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = 100
	}
	if o.MaxSharedStrings <= 0 {
		o.MaxSharedStrings = 128 << 20
	}
	return o
}

// The office extractors' failures, which the scanner reports with Macie's
// reasons.
var (
	// ErrEncrypted: a password-protected document (an OLE2 file holding an
	// EncryptedPackage, or an ODF file with encrypted entries).
	ErrEncrypted = errors.New("encrypted document")
	// ErrUncompressedSize: OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT.
	ErrUncompressedSize = errors.New("document inflates past the size limit")
	// ErrUncompressedRatio: OOXML_UNCOMPRESSED_RATIO_EXCEEDS_LIMIT.
	ErrUncompressedRatio = errors.New("document part inflates past the compression ratio limit")
)

// officeErr wraps the failure of an office document's part (where names
// it): the limit errors, ErrEncrypted and ErrMalformed are kept; every
// other failure (bad XML, bad deflate data, checksum) is marked malformed.
func officeErr(where string, err error) error {
	if errors.Is(err, ErrUncompressedSize) || errors.Is(err, ErrUncompressedRatio) ||
		errors.Is(err, ErrEncrypted) || errors.Is(err, ErrMalformed) || errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("%s: %w", where, err)
	}
	return fmt.Errorf("%w: %s: %s", ErrMalformed, where, errText(err))
}

// errText describes a library's error without the document text it may
// quote: an XML syntax error's message can hold input bytes (an unknown
// entity "&123-45-6789;", a character reference), so only its line is kept.
func errText(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "XML syntax error on line " + strconv.Itoa(se.Line)
	}
	return err.Error()
}

// Office document kinds.
const (
	KindXLSX = "xlsx"
	KindDOCX = "docx"
	KindPPTX = "pptx"
	KindODS  = "ods"
	KindODT  = "odt"
	KindODP  = "odp"
)

// OfficeKind says which office document a zip holds, from its contents
// (the ODF mimetype entry, or the OOXML main part), not its name; "" when
// it is some other zip.
func OfficeKind(ra io.ReaderAt, size int64) string {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		switch {
		case f.Name == "mimetype":
			rc, err := f.Open()
			if err != nil {
				return ""
			}
			b := make([]byte, 100)
			n, _ := io.ReadFull(rc, b)
			rc.Close()
			switch mt := strings.TrimSpace(string(b[:n])); mt {
			case "application/vnd.oasis.opendocument.spreadsheet":
				return KindODS
			case "application/vnd.oasis.opendocument.text":
				return KindODT
			case "application/vnd.oasis.opendocument.presentation":
				return KindODP
			}
		case f.Name == "xl/workbook.xml":
			return KindXLSX
		case f.Name == "word/document.xml":
			return KindDOCX
		case f.Name == "ppt/presentation.xml":
			return KindPPTX
		}
	}
	return ""
}

// OfficeMIME is the media type reported for a kind.
func OfficeMIME(kind string) string {
	return map[string]string{
		KindXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		KindDOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		KindPPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		KindODS:  "application/vnd.oasis.opendocument.spreadsheet",
		KindODT:  "application/vnd.oasis.opendocument.text",
		KindODP:  "application/vnd.oasis.opendocument.presentation",
	}[kind]
}

// guardedPart opens a zip entry for reading within the options' limits:
// the entry's declared sizes are checked first, and the reader stops with
// the right error if the data inflates further than declared.
func guardedPart(f *zip.File, opt OfficeOptions, budget *int64) (io.ReadCloser, error) {
	if f.CompressedSize64 > 0 && float64(f.UncompressedSize64)/float64(f.CompressedSize64) > opt.MaxRatio {
		return nil, ErrUncompressedRatio
	}
	if int64(f.UncompressedSize64) > *budget {
		return nil, ErrUncompressedSize
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	limit := int64(opt.MaxRatio * float64(max(f.CompressedSize64, 1)))
	return &guardReader{rc: rc, budget: budget, ratioLeft: limit}, nil
}

// guardReader counts what a part inflates to, against the document's budget
// and the part's ratio limit.
type guardReader struct {
	rc        io.ReadCloser
	budget    *int64
	ratioLeft int64
}

func (g *guardReader) Read(p []byte) (int, error) {
	n, err := g.rc.Read(p)
	*g.budget -= int64(n)
	g.ratioLeft -= int64(n)
	switch {
	case *g.budget < 0:
		return n, ErrUncompressedSize
	case g.ratioLeft < 0:
		return n, ErrUncompressedRatio
	}
	return n, err
}

func (g *guardReader) Close() error { return g.rc.Close() }

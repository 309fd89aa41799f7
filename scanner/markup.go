package scanner

import (
	"io"

	"github.com/trawlsec/trawl/formats"
)

// markupExtractor reads XML and HTML (by the type Detect gave, from the
// content or the name) as text located by the document's lines; nil for
// other types.
func (s *Scanner) markupExtractor(t formats.Type) extractor {
	var html bool
	switch t.MIME {
	case "text/html", "application/xhtml+xml":
		html = true
	case "application/xml", "text/xml", "image/svg+xml":
	default:
		return nil
	}
	opt := formats.MarkupOptions{HTML: html, Text: s.Text}
	return func(r io.Reader, fn func(*formats.Segment) error) error {
		return formats.MarkupSegments(r, opt, fn)
	}
}

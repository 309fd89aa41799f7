package scanner

import (
	"io"
	"path"
	"strings"

	"github.com/trawlsec/trawl/formats"
)

// extractor turns a decoded UTF-8 stream into segments.
type extractor func(r io.Reader, fn func(*formats.Segment) error) error

// structured picks the extractor for text whose name says it is a table or
// records (Macie decides these by extension too); plain text otherwise.
func (s *Scanner) structured(key string, t formats.Type) (extractor, string) {
	if extract := s.markupExtractor(t); extract != nil {
		return extract, t.MIME
	}
	switch strings.ToLower(path.Ext(key)) {
	case ".csv":
		return func(r io.Reader, fn func(*formats.Segment) error) error {
			return formats.CSVSegments(r, formats.CSVOptions{}, fn)
		}, "text/csv"
	case ".tsv", ".tab":
		return func(r io.Reader, fn func(*formats.Segment) error) error {
			return formats.CSVSegments(r, formats.CSVOptions{Comma: '\t'}, fn)
		}, "text/tab-separated-values"
	case ".json":
		return jsonExtractor(false), "application/json"
	case ".jsonl", ".ndjson":
		return jsonExtractor(true), "application/jsonl"
	}
	// No telling name: JSON content that Detect recognised (if it turns
	// out malformed past the sniffed window, it is scanned as text).
	switch t.MIME {
	case "application/json":
		return jsonExtractor(false), t.MIME
	case "application/jsonl":
		return jsonExtractor(true), t.MIME
	}
	return nil, t.MIME
}

// jsonExtractor reads a JSON document, or JSON Lines when lines is set.
func jsonExtractor(lines bool) extractor {
	return func(r io.Reader, fn func(*formats.Segment) error) error {
		return formats.JSONSegments(r, formats.JSONOptions{Lines: lines}, fn)
	}
}

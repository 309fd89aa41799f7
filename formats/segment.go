// Package formats says what a byte stream is and turns it into text segments
// with locations. It knows nothing of identifiers or findings.
package formats

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Segment is a run of text from one object, with where it sits in the object
// and its structural context.
//
// A long stream is cut into segments that overlap: the first Owned bytes of
// Text repeat the end of the previous segment so that a value cut by the
// boundary is seen whole. Matches that start before Owned belong to the
// previous segment and must not be reported again.
type Segment struct {
	Text []byte
	// Line and Column (both 1-based, Column in characters) of Text[0].
	Line, Column int
	// Owned and OwnedEnd bound the offsets in Text at which this segment's
	// matches may start: before Owned they belong to the previous segment,
	// from OwnedEnd on to the next one (which sees them whole). The bytes
	// after OwnedEnd are there so that a value starting before it is seen
	// whole. A zero OwnedEnd means the end of Text, so a segment made of
	// Text alone owns all of it.
	Owned, OwnedEnd int
	// Context holds structural names that count as near every value of the
	// segment: a column header, the element names of a JSON path. Empty for
	// plain text. A segment with Parts uses Contexts instead.
	Context []string
	// Page, when set, is the 1-based PDF page the text comes from; Line
	// then counts within the page, and matches are located as Macie's pages.
	Page int

	// Parts, when set, split Text into independent cells or values, located
	// by Layout; Contexts holds their structural names (Part.Ctx indexes
	// it); ColumnNames name a table's columns (Col-1 indexes it); Sheet is a
	// spreadsheet's sheet name, for cell references.
	Parts       []Part
	Layout      Layout
	Contexts    [][]string
	ColumnNames []string
	Sheet       string

	lineStarts []int // offsets of the byte after each '\n', built on demand
}

// Owns reports whether a match starting at off belongs to this segment.
func (s *Segment) Owns(off int) bool {
	end := s.OwnedEnd
	if end == 0 {
		end = len(s.Text)
	}
	return off >= s.Owned && off < end
}

// LineRange is Macie's lineRanges location: 1-based lines, 1-based column of
// the start, counted in characters.
type LineRange struct {
	Start       int `json:"start"`
	End         int `json:"end"`
	StartColumn int `json:"startColumn"`
}

// Locate returns the line range of the span [start, end) of Text. The line
// index is built on first use, so segments without detections never pay
// for it.
func (s *Segment) Locate(start, end int) LineRange {
	if s.lineStarts == nil {
		s.lineStarts = make([]int, 0, 64)
		for i := 0; ; {
			j := bytes.IndexByte(s.Text[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			s.lineStarts = append(s.lineStarts, i)
		}
	}
	startLine, startOfLine := s.lineOf(start)
	endLine, _ := s.lineOf(max(start, end-1))
	col := utf8.RuneCount(s.Text[startOfLine:start]) + 1
	if startLine == 0 {
		col += s.Column - 1
	}
	return LineRange{Start: s.Line + startLine, End: s.Line + endLine, StartColumn: col}
}

// lineOf returns how many newlines precede off in Text and the offset at
// which off's line begins.
func (s *Segment) lineOf(off int) (int, int) {
	n := sort.SearchInts(s.lineStarts, off+1)
	if n == 0 {
		return 0, 0
	}
	return n, s.lineStarts[n-1]
}

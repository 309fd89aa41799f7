package formats

import "testing"

// ownedText is the part of s's text that s owns (see Segment.Owns).
func ownedText(s *Segment) []byte {
	end := s.OwnedEnd
	if end == 0 {
		end = len(s.Text)
	}
	return s.Text[s.Owned:end]
}

func TestSegmentLocate(t *testing.T) {
	// Offsets:   a0 b1 \n2 c3 d4 €5-7 f8 \n9 \n10 x11 y12 z13
	text := []byte("ab\ncd€f\n\nxyz")
	tests := []struct {
		name       string
		line, col  int // of Text[0]
		start, end int
		want       LineRange
	}{
		{"first byte", 1, 1, 0, 1, LineRange{1, 1, 1}},
		{"first line keeps the segment's column", 3, 5, 1, 2, LineRange{3, 3, 6}},
		{"newline belongs to its line", 3, 5, 2, 3, LineRange{3, 3, 7}},
		{"second line starts at column 1", 3, 5, 3, 4, LineRange{4, 4, 1}},
		{"multi-byte rune is one column", 3, 5, 5, 8, LineRange{4, 4, 3}},
		{"after a multi-byte rune", 3, 5, 8, 9, LineRange{4, 4, 4}},
		{"empty line", 3, 5, 10, 11, LineRange{5, 5, 1}},
		{"last line", 3, 5, 11, 14, LineRange{6, 6, 1}},
		{"span over lines", 3, 5, 0, 14, LineRange{3, 6, 5}},
		{"span ending on a newline stays on its line", 3, 5, 3, 10, LineRange{4, 4, 1}},
		{"span ending after a newline", 3, 5, 3, 11, LineRange{4, 5, 1}},
		{"empty span", 3, 5, 4, 4, LineRange{4, 4, 2}},
		{"end of text", 3, 5, 14, 14, LineRange{6, 6, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Segment{Text: text, Line: tc.line, Column: tc.col}
			if got := s.Locate(tc.start, tc.end); got != tc.want {
				t.Errorf("Locate(%d, %d) = %+v, want %+v", tc.start, tc.end, got, tc.want)
			}
			// The line index, once built, gives the same answer.
			if got := s.Locate(tc.start, tc.end); got != tc.want {
				t.Errorf("second Locate(%d, %d) = %+v, want %+v", tc.start, tc.end, got, tc.want)
			}
		})
	}
}

func TestSegmentLocateNoNewline(t *testing.T) {
	s := &Segment{Text: []byte("ünïcödé"), Line: 7, Column: 100}
	for i, want := range []int{100, 101, 102, 103, 104, 105, 106} {
		off := len(string([]rune("ünïcödé")[:i]))
		if got := s.Locate(off, off+1); got != (LineRange{7, 7, want}) {
			t.Errorf("Locate(%d) = %+v, want line 7 column %d", off, got, want)
		}
	}
}

func TestSegmentOwns(t *testing.T) {
	s := &Segment{Text: make([]byte, 20), Owned: 5, OwnedEnd: 15}
	for off := -1; off <= 21; off++ {
		if got, want := s.Owns(off), off >= 5 && off < 15; got != want {
			t.Errorf("Owns(%d) = %v, want %v", off, got, want)
		}
	}
}

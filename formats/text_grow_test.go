package formats

import (
	"strings"
	"testing"
)

// TextSegments starts with a small buffer and grows it; the segments must
// still be cut where a full SegmentSize buffer cuts them.
func TestTextSegmentsGrowingBuffer(t *testing.T) {
	opt := DefaultTextOptions
	line := strings.Repeat("x", 99) + "\n"
	for _, size := range []int{10, initialSegmentBuffer - 1, initialSegmentBuffer, initialSegmentBuffer + 1, 3*opt.SegmentSize + 12345} {
		text := strings.Repeat(line, size/len(line)+1)[:size]
		var lens, owned []int
		total := 0
		err := TextSegments(strings.NewReader(text), UTF8, opt, func(s *Segment) error {
			lens = append(lens, len(s.Text))
			owned = append(owned, s.OwnedEnd-s.Owned)
			total += s.OwnedEnd - s.Owned
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if total != size {
			t.Errorf("size %d: segments own %d bytes", size, total)
		}
		for i := 0; i < len(lens)-1; i++ {
			if lens[i] != opt.SegmentSize {
				t.Errorf("size %d: segment %d is %d bytes, want the full %d", size, i, lens[i], opt.SegmentSize)
			}
		}
		if size <= opt.SegmentSize && len(lens) != 1 {
			t.Errorf("size %d: %d segments, want 1", size, len(lens))
		}
	}
}

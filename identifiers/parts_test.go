package identifiers

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/formats"
)

// partsSegment joins cells with '\n' (the separator extractors use) into a
// segment of parts, each with the context of its column.
func partsSegment(cells []string, cols []int, names []string) *formats.Segment {
	seg := &formats.Segment{Layout: formats.Cells, ColumnNames: names}
	for _, n := range names {
		seg.Contexts = append(seg.Contexts, []string{n})
	}
	var text bytes.Buffer
	for k, c := range cells {
		if k > 0 {
			text.WriteByte('\n')
		}
		start := text.Len()
		text.WriteString(c)
		seg.Parts = append(seg.Parts, formats.Part{Start: start, End: text.Len(), Ctx: cols[k], Row: k/len(names) + 1, Col: cols[k] + 1})
	}
	seg.Text = text.Bytes()
	return seg
}

// TestPartsConfineMatchesAndKeywords: a keyword in one cell does not reach
// a value in the next; a column name does reach every value of its column.
func TestPartsConfineMatchesAndKeywords(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	r := NewCorpusRand(3)
	ssn := GenSSN(r)
	cases := []struct {
		name  string
		cells []string
		cols  []int
		names []string
		want  int
	}{
		{"keyword in the cell before does not count", []string{"ssn", ssn}, []int{0, 1}, []string{"a", "b"}, 0},
		{"keyword in the same cell counts", []string{"x", "ssn " + ssn}, []int{0, 1}, []string{"a", "b"}, 1},
		{"column name counts", []string{"x", ssn}, []int{0, 1}, []string{"a", "SSN"}, 1},
		{"another column's name does not", []string{ssn, "x"}, []int{0, 1}, []string{"a", "SSN"}, 0},
		{"a value cut by a cell boundary is not joined", []string{"ssn 123-45", "6789"}, []int{0, 0}, []string{"a"}, 0},
	}
	for _, c := range cases {
		seg := partsSegment(c.cells, c.cols, c.names)
		if got := len(engineHits(e, seg)); got != c.want {
			t.Errorf("%s: %d detections, want %d", c.name, got, c.want)
		}
		compareWithReference(t, e, ref, seg, c.name)
	}
}

// TestPartsLocateCells: detections carry their cell.
func TestPartsLocateCells(t *testing.T) {
	e, _ := managed(t)
	ssn := GenSSN(NewCorpusRand(5))
	seg := partsSegment([]string{"1", "x", "2", ssn}, []int{0, 1, 0, 1}, []string{"id", "Social Security Number"})
	seg.Sheet = "People"
	var got []formats.Occurrence
	e.Scan(seg, func(d Detection) { got = append(got, d.Where()) })
	if len(got) != 1 || got[0].Cell == nil {
		t.Fatalf("got %d detections", len(got))
	}
	c := got[0].Cell
	if c.Row != 2 || c.Column != 2 || c.ColumnName != "Social Security Number" || c.CellReference == nil || *c.CellReference != "People!B2" {
		t.Fatalf("cell %+v", c)
	}
}

// TestPartsMatchReference: random tables cut from the corpus, with column
// names that hold keywords or not, scanned as parts, against the reference
// scanning each cell alone.
func TestPartsMatchReference(t *testing.T) {
	t.Parallel()
	skipUnderRace(t)
	e, ref := managed(t)
	rng := rand.New(rand.NewPCG(11, 12))
	corpus := string(GenerateCorpus(CorpusMixed, 200<<10, 9, 2<<10))
	names := []string{"id", "SSN", "card number", "notes", "phone", "aws_secret_access_key", "iban"}
	for round := range 60 {
		var cells []string
		var cols []int
		for len(cells) < 200 {
			a := rng.IntN(len(corpus) - 200)
			cell := corpus[a : a+rng.IntN(120)]
			if rng.IntN(3) == 0 {
				cell = strings.ReplaceAll(cell, "\n", " ")
			}
			cells = append(cells, cell)
			cols = append(cols, rng.IntN(len(names)))
		}
		compareWithReference(t, e, ref, partsSegment(cells, cols, names), "parts round "+string(rune('a'+round%26)))
	}
}

// FuzzPartsEngineMatchesReference cuts fuzzed text into parts at fuzzed
// places and compares the Engine with the reference.
func FuzzPartsEngineMatchesReference(f *testing.F) {
	f.Add([]byte("ssn 123-45-6789\ncard 4539148803436467\nphone 415-555-0134"), uint64(1))
	f.Add([]byte("SSN\n078-05-1120\naws_secret_access_key\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), uint64(7))
	e, ref := managed(f)
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
		parts := bytes.Split(data, []byte{'\n'})
		var cells []string
		var cols []int
		names := []string{"ssn", "card", "x", "phone number"}
		for _, p := range parts {
			cells = append(cells, string(p))
			cols = append(cols, rng.IntN(len(names)+1)-1)
		}
		seg := partsSegment(cells, make([]int, len(cells)), names)
		for k := range seg.Parts {
			seg.Parts[k].Ctx = cols[k]
		}
		compareWithReference(t, e, ref, seg, "fuzz parts")
	})
}

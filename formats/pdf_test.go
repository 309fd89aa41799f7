package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/hostile"
)

// pdfPages runs PDFSegments and returns the owned text of each page.
func pdfPages(ctx context.Context, b []byte, opt PDFOptions) (map[int]string, []Segment, error) {
	pages := map[int]string{}
	var segs []Segment
	err := PDFSegments(ctx, bytes.NewReader(b), int64(len(b)), opt, func(s *Segment) error {
		pages[s.Page] += string(ownedText(s))
		c := *s
		c.Text = bytes.Clone(s.Text)
		segs = append(segs, c)
		return nil
	})
	return pages, segs, err
}

// wantLines checks that each of want is a whole line of text, without
// printing the text (it holds the planted values).
func wantLines(t *testing.T, what, text string, want ...string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, w := range want {
		found := false
		for _, l := range lines {
			found = found || strings.TrimSpace(l) == w
		}
		if !found {
			t.Errorf("%s: expected line %d (%d bytes) missing among %d lines", what, i, len(w), len(lines))
		}
	}
}

func TestPDFFixtures(t *testing.T) {
	for _, name := range []string{"pages.pdf", "pages-owner-only.pdf"} {
		t.Run(name, func(t *testing.T) {
			pages, segs, err := pdfPages(context.Background(), formatFixture(t, "pdf", name), PDFOptions{})
			if err != nil {
				t.Fatalf("PDFSegments: %v", err)
			}
			if len(pages) != 3 {
				t.Fatalf("got text for %d pages, want 3", len(pages))
			}
			wantLines(t, "page 1", pages[1], "Page one: employee ssn 123-45-6789 on file.", "Müller naïve café")
			wantLines(t, "page 2", pages[2], "Page two has nothing sensitive.")
			wantLines(t, "page 3", pages[3], "Page three: credit card 4539 1488 0343 6467 expires soon.")
			if strings.Contains(pages[2], "123-45") || strings.Contains(pages[1], "4539") {
				t.Error("a value is reported on the wrong page")
			}
			// A value is located by its page and its line within the page.
			for _, s := range segs {
				if s.Page != 3 {
					continue
				}
				i := bytes.Index(s.Text, []byte("4539 1488"))
				if i < 0 {
					t.Fatal("page 3 segment lacks the card number")
				}
				occ := s.Where(i, i+19)
				if occ.Page == nil || occ.Page.PageNumber != 3 || occ.Page.LineRange == nil || occ.Line != nil {
					t.Fatalf("occurrence = %+v, want page 3 with a line range", occ)
				}
				if lr := occ.Page.LineRange; lr.Start != 1 || lr.End != 1 || lr.StartColumn != 25 {
					t.Errorf("line range = %+v, want line 1 column 25", *lr)
				}
			}
		})
	}
}

func TestPDFEncrypted(t *testing.T) {
	_, segs, err := pdfPages(context.Background(), formatFixture(t, "pdf", "pages-encrypted.pdf"), PDFOptions{})
	if !errors.Is(err, ErrEncrypted) {
		t.Fatalf("err = %v, want ErrEncrypted", err)
	}
	if len(segs) != 0 {
		t.Errorf("%d segments from an encrypted PDF", len(segs))
	}
}

func TestPDFMalformed(t *testing.T) {
	good := formatFixture(t, "pdf", "pages.pdf")
	cases := map[string][]byte{
		"empty":      {},
		"header":     []byte("%PDF-1.7\n"),
		"truncated":  good[:len(good)/2],
		"garbage":    append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("\x00\xff garbage ("), 500)...),
		"no-trailer": bytes.ReplaceAll(good, []byte("trailer"), []byte("xxxxxxx")),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := pdfPages(context.Background(), b, PDFOptions{})
			if !errors.Is(err, ErrMalformed) && err != nil {
				t.Fatalf("err = %v, want ErrMalformed or success", err)
			}
			if name != "no-trailer" && err == nil {
				t.Fatal("malformed PDF read without error")
			}
		})
	}
}

// testPDF assembles a PDF from object bodies (object 1 first), with a
// correct cross-reference table, so tests can build shapes no program
// writes: broken pages, cyclic page trees, huge content.
func testPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func pdfStream(data string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
}

const pdfFont = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

// twoPages: page 1's content is given, page 2 says "second page".
func twoPages(content1 string) []byte {
	return testPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>",
		pdfFont,
		pdfStream(content1),
		pdfStream("BT /F1 12 Tf 72 700 Td (second page) Tj ET"),
	)
}

func TestPDFGenerated(t *testing.T) {
	t.Run("operators", func(t *testing.T) {
		content := "BT /F1 12 Tf 72 700 Td (ssn) Tj 0 -14 Td (123-45-) Tj 20 0 Td (6789) Tj " +
			"T* [(word)-300(gap)-50(joined)] TJ (quoted) ' 1 2 (dquoted) \" ET"
		pages, _, err := pdfPages(context.Background(), twoPages(content), PDFOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Fonts inherited from the Pages node; a vertical move is a new
		// line, a horizontal one joins; TJ kerning beyond 200 is a space.
		wantLines(t, "page 1", pages[1], "ssn", "123-45-6789", "word gapjoined", "quoted", "dquoted")
		wantLines(t, "page 2", pages[2], "second page")
	})
	t.Run("broken page is skipped, others read", func(t *testing.T) {
		// A stray "]" breaks page 1's content part-way; what came before
		// is kept.
		pages, _, err := pdfPages(context.Background(), twoPages("BT /F1 12 Tf (before) Tj ] (after) Tj ET"), PDFOptions{})
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
		wantLines(t, "page 1", pages[1], "before")
		if strings.Contains(pages[1], "after") {
			t.Error("text after the failure point was read")
		}
		wantLines(t, "page 2", pages[2], "second page")
	})
	t.Run("cyclic page tree", func(t *testing.T) {
		b := testPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 >>",
		)
		done := make(chan error, 1)
		go func() { _, _, err := pdfPages(context.Background(), b, PDFOptions{MaxNodes: 10000}); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("cyclic page tree: no answer in 10 s")
		}
	})
	t.Run("large page in small segments", func(t *testing.T) {
		var c strings.Builder
		c.WriteString("BT /F1 12 Tf ")
		for i := range 20000 {
			fmt.Fprintf(&c, "(line %05d card 4111 1111 1111 1111) Tj T* ", i)
		}
		c.WriteString("ET")
		pages, segs, err := pdfPages(context.Background(), twoPages(c.String()), PDFOptions{SegmentSize: 64 << 10})
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(pages[1], "4111 1111 1111 1111"); n != 20000 {
			t.Errorf("owned text holds %d whole card numbers, want 20000", n)
		}
		if len(segs) < 10 {
			t.Errorf("%d segments: the page was not cut", len(segs))
		}
		last := segs[len(segs)-2] // the last segment of page 1
		if last.Page != 1 || last.Line < 18000 {
			t.Errorf("last segment of page 1: page %d line %d", last.Page, last.Line)
		}
	})
}

func TestPDFStops(t *testing.T) {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf ")
	for range 200000 {
		c.WriteString("1 0 0 1 0 0 Tm ")
	}
	c.WriteString("(end) Tj ET")
	b := twoPages(c.String())

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		_, _, err := pdfPages(ctx, b, PDFOptions{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the deadline", err)
		}
	})
	t.Run("fn error", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		small := twoPages("BT /F1 12 Tf (first page) Tj ET")
		err := PDFSegments(context.Background(), bytes.NewReader(small), int64(len(small)), PDFOptions{}, func(*Segment) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("err = %v after %d calls, want stop after 1", err, calls)
		}
	})
}

func FuzzPDF(f *testing.F) {
	for _, name := range []string{"pages.pdf", "pages-owner-only.pdf", "pages-encrypted.pdf"} {
		f.Add(formatFixture(f, "pdf", name))
	}
	f.Add(twoPages("BT /F1 12 Tf [(a)-300(b)] TJ (c) ' ET"))
	f.Add(testPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := PDFSegments(ctx, bytes.NewReader(b), int64(len(b)), PDFOptions{SegmentSize: 4096}, func(s *Segment) error {
			if s.Page < 1 || s.Owned > len(s.Text) {
				t.Fatalf("bad segment: page %d owned %d of %d", s.Page, s.Owned, len(s.Text))
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEncrypted) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// BenchmarkPDFSegments extracts a generated two-page PDF whose first page
// holds 50,000 lines of text shown by Tj; MB/s is of extracted text.
func BenchmarkPDFSegments(b *testing.B) {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf ")
	for i := range 50000 {
		fmt.Fprintf(&c, "(Customer %05d account reviewed, card on file) Tj T* ", i)
	}
	c.WriteString("ET")
	data := twoPages(c.String())
	var text int64
	for b.Loop() {
		text = 0
		err := PDFSegments(context.Background(), bytes.NewReader(data), int64(len(data)), PDFOptions{}, func(s *Segment) error {
			text += int64(len(s.Text) - s.Owned)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(text)
}

// TestPDFHugeStringIsBounded: a page whose content holds a string of
// 64 MiB ends with ErrTooLarge after the text before it, instead of the
// library holding the string and its runes.
func TestPDFHugeStringIsBounded(t *testing.T) {
	var b bytes.Buffer
	if err := hostile.PDF(&b, 64<<20); err != nil {
		t.Fatal(err)
	}
	pages, _, err := pdfPages(context.Background(), b.Bytes(), PDFOptions{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a 64 MiB string: %v", err)
	}
	if !strings.Contains(pages[1], hostile.PlantedSSN) {
		t.Error("the text before the huge string was not read")
	}
}

func TestPDFContentLexer(t *testing.T) {
	content := `BT /F1 12 Tf % a comment (not a string)
(a\(b\)c\\d\101\n) Tj <48 65 6C6C6F 2> Tj /Span << /MCID 0 /Alt (x) >> BDC
BI /W 4 /H 1 /BPC 8 /CS /G ID ` + "\x00)(]\xff" + ` EI
[(x) -250 (y)] TJ EMC ET`
	l := newContentLexer(strings.NewReader(content))
	var got []string
	for {
		op, args, err := l.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		s := op
		for _, a := range args {
			switch a.kind {
			case 's', '/':
				s += fmt.Sprintf(" %q", a.str)
			case 'n':
				s += fmt.Sprintf(" %g", a.num)
			case '[':
				s += fmt.Sprintf(" [%d]", len(a.elems))
			default:
				s += " _"
			}
		}
		got = append(got, s)
	}
	want := []string{`BT`, `Tf "F1" 12`, `Tj "a(b)c\\dA\n"`, `Tj "Hello "`, `BDC "Span" _`, `TJ [3]`, `EMC`, `ET`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tokens\n got %q\nwant %q", got, want)
	}
	for _, bad := range []string{"(open", "<4G>", "[(a) Tj]", "]", "<< /A 1 > Tj"} {
		l := newContentLexer(strings.NewReader(bad))
		var err error
		for err == nil {
			_, _, err = l.next()
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v, want ErrMalformed", bad, err)
		}
	}
}

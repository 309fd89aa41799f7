package formats

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// markupText returns the owned text of every segment, joined.
func markupText(t testing.TB, in []byte, opt MarkupOptions) string {
	t.Helper()
	return markupTextFrom(t, bytes.NewReader(in), opt)
}

// wantOnLine checks that line n (1-based) of text holds each of want,
// space-normalised, without printing the text.
func wantOnLine(t *testing.T, text string, n int, want ...string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	if n > len(lines) {
		t.Errorf("line %d: only %d lines", n, len(lines))
		return
	}
	line := strings.Join(strings.Fields(lines[n-1]), " ")
	for i, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("line %d: expected text %d (%d bytes) missing from %d bytes", n, i, len(w), len(line))
		}
	}
}

func TestMarkupFixtures(t *testing.T) {
	t.Run("libreoffice.html", func(t *testing.T) {
		in := formatFixture(t, "markup", "libreoffice.html")
		text := markupText(t, in, MarkupOptions{HTML: true})
		if got, want := strings.Count(text, "\n"), bytes.Count(in, []byte("\n")); got != want {
			t.Fatalf("%d lines out, %d in: line numbers would shift", got, want)
		}
		wantOnLine(t, text, 22, "Acme Confidential")
		wantOnLine(t, text, 23, "Employee record")
		// The footnote mark: an <a> with attributes, so it separates.
		wantOnLine(t, text, 24, "Name Jane Doe name sdfootnote1anc href #sdfootnote1sym 1")
		wantOnLine(t, text, 43, "123-45-6789")
		wantOnLine(t, text, 47, "Reviewed Comment check card 4111 1111 1111 1111") // a comment
		wantOnLine(t, text, 51, "Müller naïve café")
		wantOnLine(t, text, 54, "passport X1234567")
		wantOnLine(t, text, 4, "content-type content text/html; charset=utf-8") // attributes
		if strings.Contains(text, "border: none") || strings.Contains(text, "sdfootnotesym") {
			t.Error("style or class attributes were read")
		}
	})
	t.Run("minidom.xml", func(t *testing.T) {
		text := markupText(t, formatFixture(t, "markup", "minidom.xml"), MarkupOptions{})
		wantOnLine(t, text, 3, "temporary key AKIAIOSFODNN7REALKEY1 remove")
		wantOnLine(t, text, 4, "customer id 42 note says \"hi\" & <waves>")
		wantOnLine(t, text, 5, "name Jane Doe & Sons")
		wantOnLine(t, text, 6, "ssn 123-45-6789")
		wantOnLine(t, text, 7, "raw card 4539 1488 0343 6467 <not a tag>")
	})
	t.Run("libreoffice.fodt", func(t *testing.T) {
		in := formatFixture(t, "markup", "libreoffice.fodt")
		text := markupText(t, in, MarkupOptions{Text: TextOptions{SegmentSize: 4096, Overlap: 256, Context: 64}})
		if got, want := strings.Count(text, "\n"), bytes.Count(in, []byte("\n")); got != want {
			t.Fatalf("%d lines out, %d in", got, want)
		}
		for _, w := range []string{"The ssn 123-45-6789 is planted here.", "Footnote passport X1234567", "Müller naïve café end"} {
			if !strings.Contains(text, w) {
				t.Errorf("text of %d bytes lacks a line of %d bytes", len(text), len(w))
			}
		}
	})
}

func TestMarkupCases(t *testing.T) {
	long := strings.Repeat("x", 4090) + "&amp;" + strings.Repeat("y", 10)
	cases := []struct {
		name, in string
		html     bool
		want     string // space-normalised
	}{
		{"inline tags join in HTML", "card 4111<b>1111</b><span class=x>1111</span>1111", true, "card 4111111111111111"},
		{"other tags separate in HTML", "<td>4111</td><td>1111</td>", true, "4111 1111"},
		{"inline tag with attributes separates", `4111<a href="u">1111</a>`, true, "4111 href u 1111"},
		{"tags separate in XML", "<a>4111</a><b>1111</b>", false, "a 4111 b 1111"},
		{"entities", "&lt;&#65;&#x42;&eacute;&bogus; &amp", true, "<ABé&bogus; &"},
		{"entity across a run boundary", long, false, strings.Repeat("x", 4090) + "&" + strings.Repeat("y", 10)},
		{"script is raw text", "<script>if (a<b && c) k='AKIA'</SCRIPT >after", true, "if (a<b && c) k='AKIA' after"},
		{"style is raw, class skipped", `<style>p{}</style><p class="c" style="s" title="t">x</p>`, true, "p{} title t x"},
		{"comment terminator runs", "<!-- a --- b ---->c", false, "a --- b -- c"},
		{"cdata", "<![CDATA[<x>&amp;]]]]>", false, "<x>&amp;]]"},
		{"stray and unclosed", "3 < 4 and <5> <a b='unclosed", false, "3 < 4 and <5> a b unclosed"},
		{"declarations and PIs skipped", "<!DOCTYPE x [<!ENTITY e 'v'>]><?pi data?>t", false, "t"},
		{"unquoted attributes", "<p a=1 b = 2 c>t</p>", false, "p a 1 b 2 c t"},
	}
	for _, c := range cases {
		got := strings.Join(strings.Fields(markupText(t, []byte(c.in), MarkupOptions{HTML: c.html})), " ")
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestMarkupBounded: a comment and an attribute value far larger than a
// segment are cut into segments, whole.
func TestMarkupBounded(t *testing.T) {
	body := strings.Repeat("secret 123-45-6789\n", 20000)
	opt := MarkupOptions{Text: TextOptions{SegmentSize: 8192, Overlap: 512, Context: 128}}
	for _, in := range []string{"<!--" + body + "-->", `<a v="` + body + `"/>`, "<x>" + body} {
		text := markupText(t, []byte(in), opt)
		if n := strings.Count(text, "123-45-6789"); n != 20000 {
			t.Errorf("%d values of 20000", n)
		}
	}
}

func FuzzMarkup(f *testing.F) {
	for _, name := range []string{"libreoffice.html", "minidom.xml"} {
		f.Add(formatFixture(f, "markup", name), name == "libreoffice.html")
	}
	f.Add([]byte("<!-- a --- b ---->c<![CDATA[x]]]]><script>a<b</script ><p a=1 b='2'>&amp;&#x41</p>"), true)
	f.Fuzz(func(t *testing.T, in []byte, html bool) {
		opt := MarkupOptions{HTML: html, Text: TextOptions{SegmentSize: 512, Overlap: 64, Context: 16}}
		text := markupText(t, in, opt)
		// Every newline of the input is kept, so locations are the
		// input's lines.
		if got, want := strings.Count(text, "\n"), bytes.Count(in, []byte("\n")); got != want {
			t.Fatalf("%d newlines out, %d in", got, want)
		}
		// Where the reads end does not change the text.
		if one := markupTextFrom(t, iotest.OneByteReader(bytes.NewReader(in)), opt); one != text {
			t.Fatalf("read a byte at a time: %d bytes of text, at once %d", len(one), len(text))
		}
	})
}

// markupTextFrom is markupText reading from r.
func markupTextFrom(t testing.TB, r io.Reader, opt MarkupOptions) string {
	t.Helper()
	var sb strings.Builder
	err := MarkupSegments(r, opt, func(s *Segment) error {
		if len(s.Text) > max(opt.Text.SegmentSize, DefaultTextOptions.SegmentSize) {
			t.Fatalf("segment of %d bytes", len(s.Text))
		}
		sb.Write(ownedText(s))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// TestMarkupReadSizes: the bulk paths of the tokenizer (runs of text, of
// comments, of attribute values) give what it gives a byte at a time.
func TestMarkupReadSizes(t *testing.T) {
	for _, html := range []bool{false, true} {
		in := benchMarkup(html, 64<<10)
		for _, name := range []string{"libreoffice.html", "minidom.xml"} {
			in = append(in, formatFixture(t, "markup", name)...)
		}
		opt := MarkupOptions{HTML: html}
		whole := markupText(t, in, opt)
		for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(in)), iotest.HalfReader(bytes.NewReader(in))} {
			if got := markupTextFrom(t, r, opt); got != whole {
				t.Errorf("html %v: %d bytes of text in small reads, %d at once", html, len(got), len(whole))
			}
		}
	}
}

func TestDetectMarkup(t *testing.T) {
	cases := []struct{ head, name, mime string }{
		{"<?xml version=\"1.0\"?><a/>", "data.txt", "application/xml"},
		{"\xef\xbb\xbf\n  <!doctype HTML><p>", "page", "text/html"},
		{"<HTML><body>", "x.csv", "text/html"},
		{"<?xml version=\"1.0\"?><svg/>", "logo.svg", "image/svg+xml"},
		{"<b>bold</b> is not a document", "notes.txt", "text/plain"},
		{"plain", "feed.xml", "application/xml"},
	}
	for _, c := range cases {
		if got := Detect([]byte(c.head), c.name); got.MIME != c.mime || !got.Text {
			t.Errorf("Detect(%q, %q) = %s (text %v), want %s", c.head, c.name, got.MIME, got.Text, c.mime)
		}
	}
}

// benchMarkup is about size bytes of a typical document: HTML (a table
// of people, inline markup, a script, comments) or XML (records with
// attributes and entities).
func benchMarkup(html bool, size int) []byte {
	var b bytes.Buffer
	if html {
		b.WriteString("<!DOCTYPE html>\n<html><head><title>People</title><script>var x = 1 < 2;</script></head><body>\n<table>\n")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "<tr class=\"row\"><td>%d</td><td>Jane <b>Doe</b> %d</td><td>%03d-%02d-%04d</td><td><a href=\"mailto:user%d@example.com\">user%d@example.com</a></td><!-- reviewed &amp; ok --></tr>\n",
				i, i, i%900, i%100, i%10000, i, i)
		}
		b.WriteString("</table></body></html>\n")
		return b.Bytes()
	}
	b.WriteString("<?xml version=\"1.0\"?>\n<people>\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "  <person id=\"%d\" status=\"active\"><name>Jane Doe %d</name><ssn>%03d-%02d-%04d</ssn><note>Paid &amp; &quot;late&quot; %d</note><![CDATA[raw <text> %d]]></person>\n",
			i, i, i%900, i%100, i%10000, i, i)
	}
	b.WriteString("</people>\n")
	return b.Bytes()
}

func BenchmarkMarkupSegments(b *testing.B) {
	for _, html := range []bool{false, true} {
		data := benchMarkup(html, 8<<20)
		b.Run(map[bool]string{false: "xml", true: "html"}[html], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				err := MarkupSegments(bytes.NewReader(data), MarkupOptions{HTML: html}, func(*Segment) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

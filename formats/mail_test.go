package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

type mailAttachment struct {
	name string
	data []byte
}

// mailLines runs MailSegments and returns the text of each line of the
// message it reported (by the segments' own line numbers), and the
// attachments.
func mailLines(t testing.TB, in []byte, opt MailOptions) (map[int]string, []mailAttachment, error) {
	t.Helper()
	lines := map[int]string{}
	var atts []mailAttachment
	err := MailSegments(bytes.NewReader(in), opt, func(s *Segment) error {
		line := s.Line + bytes.Count(s.Text[:s.Owned], []byte("\n"))
		for i, l := range strings.Split(string(ownedText(s)), "\n") {
			lines[line+i] += strings.TrimRight(l, "\r")
		}
		return nil
	}, func(name string, r io.Reader) error {
		b, err := io.ReadAll(r)
		atts = append(atts, mailAttachment{name, b})
		return err
	})
	return lines, atts, err
}

func TestMailFixtures(t *testing.T) {
	t.Run("message.eml", func(t *testing.T) {
		lines, atts, err := mailLines(t, formatFixture(t, "mail", "message.eml"), MailOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{
			1:  "From: Jérôme Dupont <jerome@example.com>",                             // RFC 2047, UTF-8 Q
			3:  "Subject: Relevé: ssn 123-45-6789 enclosed",                            // at its line
			19: "Voici le numéro de carte bancaire : credit card 4539 1488 0343 6467.", // Latin-1 QP
			20: "Café crème, naïve façade.",
			21: strings.Repeat("Une ligne assez longue pour être coupée ", 3) + "fin.", // soft break joined
			29: "Passport X1234567 ssn 078-05-1120 & 219-09-9999 ",                     // base64 HTML, decoded
		}
		for n, w := range want {
			if lines[n] != w {
				t.Errorf("line %d: %d bytes, want %d bytes", n, len(lines[n]), len(w))
			}
		}
		if len(atts) != 2 || atts[0].name != "people.csv" || atts[1].name != "scan.png" {
			t.Fatalf("%d attachments", len(atts))
		}
		if string(atts[0].data) != "name,ssn\nJane Doe,123-45-6789\n" {
			t.Errorf("people.csv: %d bytes decoded", len(atts[0].data))
		}
		if len(atts[1].data) != 8+1024 || !bytes.HasPrefix(atts[1].data, []byte("\x89PNG")) {
			t.Errorf("scan.png: %d bytes decoded", len(atts[1].data))
		}
		for n, l := range lines {
			if strings.Contains(l, "Jane Doe,123") || strings.Contains(l, "PNG") || strings.Contains(l, "iVBOR") {
				t.Errorf("line %d: an attachment's content was read as body text", n)
			}
		}
	})
	t.Run("forward.eml", func(t *testing.T) {
		lines, atts, err := mailLines(t, formatFixture(t, "mail", "forward.eml"), MailOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(atts) != 0 {
			t.Errorf("%d attachments: the forwarded message is read in place", len(atts))
		}
		if lines[19] != "From: clerk@example.com" || lines[25] != "Employee ssn 123-45-6789 in the forwarded body." {
			t.Errorf("forwarded message: lines 19 and 25 hold %d and %d bytes", len(lines[19]), len(lines[25]))
		}
	})
}

// testMail builds a multipart message from parts (each a header block,
// a blank line and a body).
func testMail(parts ...string) string {
	var b strings.Builder
	b.WriteString("Subject: test\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\npreamble\r\n")
	for _, p := range parts {
		b.WriteString("--XX\r\n" + p + "\r\n")
	}
	b.WriteString("--XX--\r\nepilogue\r\n")
	return b.String()
}

func TestMailCases(t *testing.T) {
	t.Run("bad base64 spoils its part only", func(t *testing.T) {
		in := testMail(
			"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!bad*base64@@@=AAAA=BBB",
			"Content-Type: text/plain\r\n\r\nsecond part",
		)
		lines, _, err := mailLines(t, []byte(in), MailOptions{})
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
		found := false
		for _, l := range lines {
			found = found || l == "second part"
		}
		if !found {
			t.Error("the part after the bad one was not read")
		}
	})
	t.Run("no MIME", func(t *testing.T) {
		lines, atts, err := mailLines(t, []byte("From: a@b\nSubject: hi\n\nbody line\nline 5\n"), MailOptions{})
		if err != nil || lines[4] != "body line" || lines[5] != "line 5" || len(atts) != 0 {
			t.Errorf("err %v, %d attachments, lines 4-5: %d and %d bytes", err, len(atts), len(lines[4]), len(lines[5]))
		}
	})
	t.Run("nested too deep", func(t *testing.T) {
		var b strings.Builder
		for i := range 100 {
			fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
		}
		b.WriteString("\r\ndeep text\r\n")
		lines, _, err := mailLines(t, []byte(b.String()), MailOptions{MaxDepth: 8})
		if !errors.Is(err, ErrMailTooDeep) {
			t.Fatalf("err = %v, want ErrMailTooDeep", err)
		}
		for _, l := range lines {
			if l == "deep text" {
				t.Error("a body past the depth limit was read")
			}
		}
	})
	t.Run("header too large", func(t *testing.T) {
		in := "Subject: " + strings.Repeat("x", 2000) + "\r\n\r\nbody\r\n"
		if _, _, err := mailLines(t, []byte(in), MailOptions{MaxHeader: 1000}); !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
	})
	t.Run("attachment callback error stops", func(t *testing.T) {
		in := testMail("Content-Type: application/pdf; name=a.pdf\r\n\r\n%PDF")
		stop := errors.New("stop")
		err := MailSegments(strings.NewReader(in), MailOptions{}, func(*Segment) error { return nil },
			func(string, io.Reader) error { return stop })
		if !errors.Is(err, stop) {
			t.Fatalf("err = %v, want stop", err)
		}
	})
	t.Run("no attachment callback", func(t *testing.T) {
		in := testMail("Content-Type: application/pdf; name=a.pdf\r\n\r\n%PDF", "Content-Type: text/plain\r\n\r\nafter")
		var text strings.Builder
		err := MailSegments(strings.NewReader(in), MailOptions{}, func(s *Segment) error {
			text.Write(s.Text)
			return nil
		}, nil)
		if err != nil || strings.Contains(text.String(), "%PDF") || !strings.Contains(text.String(), "after") {
			t.Errorf("err %v; text of %d bytes", err, text.Len())
		}
	})
}

func FuzzMail(f *testing.F) {
	f.Add(formatFixture(f, "mail", "message.eml"))
	f.Add(formatFixture(f, "mail", "forward.eml"))
	f.Add([]byte(testMail("Content-Type: text/html; charset=iso-8859-2\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<b>=E9</b>")))
	f.Fuzz(func(t *testing.T, in []byte) {
		err := MailSegments(bytes.NewReader(in), MailOptions{Text: TextOptions{SegmentSize: 512, Overlap: 64, Context: 16}, MaxHeader: 4096},
			func(s *Segment) error {
				if s.Line < 1 {
					t.Fatalf("segment at line %d", s.Line)
				}
				return nil
			}, func(name string, r io.Reader) error {
				io.Copy(io.Discard, r) // a broken attachment is the caller's to judge
				return nil
			})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

func TestDetectMail(t *testing.T) {
	cases := []struct {
		head, name string
		mail       bool
	}{
		{"From: a@b\r\nSubject: x\r\n\r\nbody", "saved", true},
		{"Received: from mx\r\nFrom: a@b\r\nDate: Mon\r\n\r\n", "msg.txt", true},
		{"anything at all", "x.eml", true},
		{"From: a@b\nno other header\n", "notes.txt", false},
		{"Dear Sir,\nFrom: me\nSubject: x\n", "letter.txt", false},
		{"From: a@b\r\nSubject: x\r\n", "table.csv", false}, // the name says CSV
	}
	for _, c := range cases {
		if got := Detect([]byte(c.head), c.name); (got.MIME == MailMIME) != c.mail || !got.Text {
			t.Errorf("Detect(%q, %q) = %s, want mail %v", c.head, c.name, got.MIME, c.mail)
		}
	}
}

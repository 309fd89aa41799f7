package formats

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPDFPreflight(t *testing.T) {
	flate := func(s string) string {
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.String()
	}
	objStm := func(body string) string {
		z := flate(body)
		return "5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 99 >>\nstream\n" + z + "\nendstream\nendobj\n"
	}
	big := strings.Repeat("a", pdfMaxString+1)
	for _, c := range []struct {
		name, pdf string
		tooLarge  bool
	}{
		{"plain", "1 0 obj << /Size 12 /W [1 4 2] /Width 99999999999 >> endobj", false},
		{"function size array", "<< /Size [2] /Columns 4 >>", false},
		{"xref size", "<< /Type /XRef /Size 99999999 >>", true},
		{"xref widths", "<< /Type /XRef /W [1 2000000000 2] >>", true},
		{"predictor columns", "<< /DecodeParms << /Predictor 12 /Columns 1000000000 >> >>", true},
		{"small object stream", objStm("6 0 << /A (" + strings.Repeat("a", 1000) + ") /B <00ff> >>"), false},
		{"string in object stream", objStm("6 0 << /A (" + big + ") >>"), true},
		{"escaped parens", objStm("6 0 << /A (a\\) (b) c) /B (" + big[:1000] + ") >>"), false},
		{"hex string in object stream", objStm("6 0 << /A <" + big + big + "0> >>"), true},
		{"xref table", "xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n3 1\n0000000100 00000 n \ntrailer\n<< /Size 4 >>\nstartxref\n0\n", false},
		{"xref subsection far out", "xref\n0 1\n0000000000 65535 f \n4000000000 1\n0000000009 00000 n \ntrailer\n", true},
		{"xref count far out", "xref\n0 99999999\n0000000000 65535 f \ntrailer\n", true},
		{"startxref only", "startxref\n4000000000 5000000000\n", false},
		{"xref stream index", "<< /Type /XRef /Index [0 10 4000000000 1] /W [1 2 1] >>", true},
		{"xref stream index fine", "<< /Type /XRef /Index [0 10 20 5] /W [1 2 1] >>", false},
		{"unfiltered object stream", "5 0 obj\n<< /Type /ObjStm /Length 9 >>\nstream\n(" + big + ")\nendstream", false},
	} {
		err := pdfPreflight(context.Background(), strings.NewReader(c.pdf), int64(len(c.pdf)))
		if got := errors.Is(err, ErrTooLarge); got != c.tooLarge {
			t.Errorf("%s: %v, want too large: %v", c.name, err, c.tooLarge)
		}
	}
}

// A key split across the preflight's 1 MiB windows is still read.
func TestPDFPreflightWindowEdge(t *testing.T) {
	for _, pad := range []int{1<<20 - 3, 1<<20 - 10, 1 << 20} {
		pdf := strings.Repeat(" ", pad) + "<< /Columns 2000000000 >>"
		err := pdfPreflight(context.Background(), strings.NewReader(pdf), int64(len(pdf)))
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("pad %d: %v", pad, err)
		}
	}
}

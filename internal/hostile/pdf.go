package hostile

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
)

// PDF writes a one-page PDF whose content stream (FlateDecode) shows
// PlantedSSN, then one string literal of n bytes, which deflate shrinks
// about a thousandfold.
func PDF(w io.Writer, n int64) error {
	var content bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&content, zlib.BestCompression)
	fmt.Fprintf(zw, "BT /F1 12 Tf 72 700 Td (%s) Tj 0 -14 Td (", PlantedSSN)
	if err := fill(zw, n, 'a'); err != nil {
		return err
	}
	io.WriteString(zw, ") Tj ET")
	if err := zw.Close(); err != nil {
		return err
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
	}
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
	_, err := w.Write(b.Bytes())
	return err
}

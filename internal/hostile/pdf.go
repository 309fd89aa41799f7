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
	content, err := deflated(func(zw io.Writer) error {
		fmt.Fprintf(zw, "BT /F1 12 Tf 72 700 Td (%s) Tj 0 -14 Td (", PlantedSSN)
		if err := fill(zw, n, 'a'); err != nil {
			return err
		}
		_, err := io.WriteString(zw, ") Tj ET")
		return err
	})
	if err != nil {
		return err
	}
	return writePDF(w,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		stream(content),
	)
}

// PDFCMap writes a one-page PDF showing PlantedSSN in a font whose
// ToUnicode map (FlateDecode) holds one string literal of n bytes.
func PDFCMap(w io.Writer, n int64) error {
	content, err := deflated(func(zw io.Writer) error {
		_, err := fmt.Fprintf(zw, "BT /F1 12 Tf 72 700 Td (%s) Tj ET", PlantedSSN)
		return err
	})
	if err != nil {
		return err
	}
	cmap, err := deflated(func(zw io.Writer) error {
		io.WriteString(zw, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"+
			"1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfchar <41> (")
		if err := fill(zw, n, 'a'); err != nil {
			return err
		}
		_, err := io.WriteString(zw, ") endbfchar endcmap end end")
		return err
	})
	if err != nil {
		return err
	}
	return writePDF(w,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		stream(content),
		stream(cmap),
	)
}

func deflated(write func(io.Writer) error) ([]byte, error) {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	if err := write(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func stream(data []byte) string {
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(data), data)
}

// writePDF writes objects numbered from 1 with their cross-reference
// table.
func writePDF(w io.Writer, objs ...string) error {
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

// PDFObjectStream writes a one-page PDF showing PlantedSSN in a font whose
// dictionary sits in a compressed object stream (FlateDecode) and holds
// one string literal of n bytes: a few kilobytes on disk, n bytes for a
// parser that reads the font's dictionary.
func PDFObjectStream(w io.Writer, n int64) error {
	content, err := deflated(func(zw io.Writer) error {
		_, err := fmt.Fprintf(zw, "BT /F1 12 Tf 72 700 Td (%s) Tj ET", PlantedSSN)
		return err
	})
	if err != nil {
		return err
	}
	const head = "6 0 "
	objstm, err := deflated(func(zw io.Writer) error {
		io.WriteString(zw, head+"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Comment (")
		if err := fill(zw, n, 'a'); err != nil {
			return err
		}
		_, err := io.WriteString(zw, ") >>")
		return err
	})
	if err != nil {
		return err
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
		stream(content),
		fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(head), len(objstm), objstm),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	// A cross-reference stream: object 6 is the first in stream 5.
	xrefAt := b.Len()
	var table bytes.Buffer
	entry := func(typ byte, a uint32, c uint16) {
		table.Write([]byte{typ, byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(c >> 8), byte(c)})
	}
	entry(0, 0, 65535)
	for _, off := range offsets {
		entry(1, uint32(off), 0)
	}
	entry(2, 5, 0)
	entry(1, uint32(xrefAt), 0)
	fmt.Fprintf(&b, "7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n", table.Len(), table.Bytes())
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xrefAt)
	_, err = w.Write(b.Bytes())
	return err
}

// PDFXref writes a one-page PDF (PDF with a 10-byte string) whose
// cross-reference table has a second subsection listing one object
// numbered first: a parser that sizes its table by the highest object
// number allocates first entries.
func PDFXref(w io.Writer, first int64) error {
	var b bytes.Buffer
	if err := PDF(&b, 10); err != nil {
		return err
	}
	s := b.Bytes()
	at := bytes.Index(s, []byte("trailer"))
	var out bytes.Buffer
	out.Write(s[:at])
	fmt.Fprintf(&out, "%d 1\n0000000009 00000 n \n", first)
	out.Write(s[at:])
	_, err := w.Write(out.Bytes())
	return err
}

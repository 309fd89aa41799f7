package hostile

import (
	"archive/zip"
	"io"
)

// DOCX writes a DOCX, stored (not deflated, so that no ratio limit stops
// it), whose first paragraph holds PlantedSSN and whose second holds n
// bytes in one piece: one run of text (tag false), or one tag's name
// (tag true). An XML decoder reads either whole, and copies it.
func DOCX(w io.Writer, n int64, tag bool) error {
	zw := zip.NewWriter(w)
	part := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	}
	f, err := part("[Content_Types].xml")
	if err != nil {
		return err
	}
	io.WriteString(f, `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`)
	if f, err = part("word/document.xml"); err != nil {
		return err
	}
	io.WriteString(f, `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+
		`<w:p><w:r><w:t>`+PlantedSSN+`</w:t></w:r></w:p><w:p><w:r>`)
	open, end := "<w:t>", "</w:t>"
	if tag {
		open, end = "<w:", "/>"
	}
	io.WriteString(f, open)
	if err := fill(f, n, 'a'); err != nil {
		return err
	}
	io.WriteString(f, end+`</w:r></w:p></w:body></w:document>`)
	return zw.Close()
}

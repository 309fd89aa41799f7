package hostile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
)

// EmptyEntries writes a zip of n empty stored files (46 bytes of central
// directory and 30 of local header each, named by number).
func EmptyEntries(w io.Writer, n int) error {
	zw := zip.NewWriter(w)
	for i := range n {
		if _, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store}); err != nil {
			return err
		}
	}
	return zw.Close()
}

// NestedZips writes a zip nested depth levels deep, each level's zip
// just under 16 MiB (what a scanner may hold in memory for random
// access) yet deflated to a few kilobytes inside the level above: each
// level holds the next one's zip, deflated, then pad bytes of blank
// lines, stored (text, so that every member is scanned). The innermost holds PlantedSSN in a text file. The file
// written is a few tens of kilobytes.
func NestedZips(w io.Writer, depth int, pad int64) error {
	level, err := zipOf(
		entry{name: "ssn.txt", data: []byte(PlantedSSN + "\n"), method: zip.Deflate},
		entry{name: "pad.bin", size: pad, method: zip.Store},
	)
	if err != nil {
		return err
	}
	for d := depth - 1; d > 0; d-- {
		level, err = zipOf(
			entry{name: fmt.Sprintf("level%d.zip", d+1), data: level, method: zip.Deflate},
			entry{name: "pad.bin", size: pad, method: zip.Store},
		)
		if err != nil {
			return err
		}
	}
	top, err := zipOf(entry{name: "level1.zip", data: level, method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = w.Write(top)
	return err
}

// entry is a member to write: data, or size bytes of blank lines.
type entry struct {
	name   string
	data   []byte
	size   int64
	method uint16
}

func zipOf(entries ...entry) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			return nil, err
		}
		if e.data != nil {
			_, err = f.Write(e.data)
		} else {
			err = fill(f, e.size, '\n')
		}
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

package hostile

import (
	"archive/zip"
	"io"

	"github.com/klauspost/compress/zstd"
)

// zipMethodZstd is the zip method number of zstd.
const zipMethodZstd = 93

// ZipZstd writes a zip of members zstd-compressed members, each declaring
// a window of window bytes: the first holds PlantedSSN, then each n bytes
// of blank lines. Each member is a few tens of kilobytes; its decoder
// keeps window bytes of history.
func ZipZstd(w io.Writer, members, window int, n int64) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zipMethodZstd, func(out io.Writer) (io.WriteCloser, error) {
		return zstd.NewWriter(out, zstd.WithWindowSize(window), zstd.WithEncoderConcurrency(1))
	})
	for i := range members {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: string(rune('a'+i%26)) + ".txt", Method: zipMethodZstd})
		if err != nil {
			return err
		}
		if i == 0 {
			if _, err := io.WriteString(f, PlantedSSN+"\n"); err != nil {
				return err
			}
		}
		if err := fill(f, n, '\n'); err != nil {
			return err
		}
	}
	return zw.Close()
}

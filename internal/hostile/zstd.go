package hostile

import (
	"io"

	"github.com/klauspost/compress/zstd"
)

// Zstd writes a zstd stream with a window of window bytes holding
// PlantedSSN then n bytes of blank lines: a few tens of kilobytes whose
// decoder keeps window bytes of history.
func Zstd(w io.Writer, window int, n int64) error {
	zw, err := zstd.NewWriter(w, zstd.WithWindowSize(window), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(zw, PlantedSSN+"\n"); err != nil {
		return err
	}
	if err := fill(zw, n, '\n'); err != nil {
		return err
	}
	return zw.Close()
}

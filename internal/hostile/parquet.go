package hostile

import (
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// ParquetPage writes a Parquet file of one text column, gzip-compressed,
// whose first row holds PlantedSSN and whose next rows, n bytes of text
// in 1 MiB values, all fall in one page: a few hundred kilobytes per
// 256 MiB, and a reader allocates the page whole before its first
// value. The writer holds the page in memory while it writes it.
func ParquetPage(w io.Writer, n int64) error {
	type row struct {
		Text string `parquet:"text,plain"`
	}
	pw := parquet.NewGenericWriter[row](w, parquet.Compression(&parquet.Gzip), parquet.PageBufferSize(int(n)+1<<20))
	if _, err := pw.Write([]row{{Text: PlantedSSN}}); err != nil {
		return err
	}
	value := strings.Repeat("a", 1<<20-8)
	for i := int64(0); i < n>>20; i++ {
		if _, err := pw.Write([]row{{Text: fmt.Sprintf("%08d", i) + value}}); err != nil {
			return err
		}
	}
	return pw.Close()
}

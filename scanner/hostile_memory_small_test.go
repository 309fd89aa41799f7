//go:build !hostile

package scanner

// Scaled-down sizes for the hostile memory tests (go test).
const (
	hostile7zText        = 4 << 20  // bytes of text in the 7z whose dictionary is shrunk
	hostile7zDeclared    = 1 << 30  // the output a lying 7z coder declares
	hostile7zLarge       = 80 << 20 // text in a 7z whose dictionary holds it whole
	hostileZstdWindow    = 32 << 20 // a zip member's zstd window
	hostilePDFString     = 64 << 20
	hostileXMLRun        = 64 << 20
	hostileParquetPage   = 192 << 20
	hostileParquetMemory = 160 << 20
	hostileZipZstdFiles  = 8
	hostileZipZstdMemory = 160 << 20
)

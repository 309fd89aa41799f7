//go:build hostile

package scanner

// Full sizes for the hostile memory tests (make hostile).
const (
	hostile7zText        = 48 << 20
	hostile7zDeclared    = 4 << 30
	hostile7zLarge       = 512 << 20
	hostileZstdWindow    = 128 << 20
	hostilePDFString     = 1 << 30
	hostileXMLRun        = 256 << 20
	hostileParquetPage   = 1 << 30
	hostileParquetMemory = 512 << 20
	hostileZipZstdFiles  = 16
	hostileZipZstdMemory = 512 << 20
)

//go:build !hostile

package main

// Scaled-down sizes of the hostile battery, for every go test.
const (
	hostileStringSize   = 64 << 20 // a string in a PDF page or an Avro record
	hostileZipEntries   = 200_000
	hostileNestedFiles  = 4
	hostileNestedMemory = "160MiB"
	hostileLegalEntries = 100_000
	hostileZstdFiles    = 4
	hostileZstdWindow   = 32 << 20
)

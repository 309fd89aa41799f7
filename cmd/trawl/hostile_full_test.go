//go:build hostile

package main

// Full sizes of the hostile battery (make hostile): the inputs that took
// gigabytes or killed the scan before the memory budget.
const (
	hostileStringSize   = 1 << 30 // a string in a PDF page or an Avro record
	hostileZipEntries   = 2_000_000
	hostileNestedFiles  = 16
	hostileNestedMemory = "512MiB"
	hostileLegalEntries = 999_999
	hostileZstdFiles    = 16
	hostileZstdWindow   = 128 << 20
)

//go:build !(goexperiment.simd && amd64)

package identifiers

// nameScanSIMD is the SIMD path of nameScan.fill where there is none (see
// simd_name_amd64.go): it flags nothing, and fill's word-at-a-time loop
// does the work.
func nameScanSIMD(text []byte, from, to int, starts, small *[nameChunk / 64]uint64) int { return 0 }

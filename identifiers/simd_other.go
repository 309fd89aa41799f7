//go:build !(goexperiment.simd && amd64)

package identifiers

// The SIMD paths where there are none (see simd_amd64.go): each does
// nothing, and its caller's word-at-a-time loop does the work.

// haveSIMD says the SIMD paths are built and the CPU can run them.
const haveSIMD = false

func pairMasksSIMD(text []byte, from, to int, firsts, seconds []byte, masks []uint32) int {
	return 0
}

func capsPairMasksSIMD(text []byte, from, to int, masks []uint32) int { return 0 }

func indexDigitSIMD(text []byte, i int) int { return i }

func wordStartMasksSIMD(text []byte, from, to int, masks []uint32) int { return 0 }

func hotStepsSIMD(text []byte, from, to int, lower bool, hot func(q int)) int { return from }

func anchorMasksSIMD(text []byte, from int, f *anchorFilter, masks []uint32) int { return 0 }

func asciiMasksSIMD(text []byte, from int, table, capsTable *[32]byte, in, digits, caps []uint64) int {
	return 0
}

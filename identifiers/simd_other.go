//go:build !(goexperiment.simd && amd64)

package identifiers

// The SIMD paths where there are none (see simd_amd64.go): each does
// nothing, and its caller's word-at-a-time loop does the work.

// haveSIMD says the SIMD paths are built and the CPU can run them.
const haveSIMD = false

func pairScanSIMD(text []byte, from, to int, firsts, seconds []byte, fn func(c int)) int {
	return from
}

func capsPairsSIMD(text []byte, from, to int, fn func(c int)) int { return from }

func indexDigitSIMD(text []byte, i int) int { return i }

func wordStartsSIMD(text []byte, from, to int, fn func(q int)) int { return from }

func hotStepsSIMD(text []byte, from, to int, lower bool, hot func(q int)) int { return from }

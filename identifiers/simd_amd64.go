//go:build goexperiment.simd && amd64

package identifiers

// SIMD paths, built with GOEXPERIMENT=simd (the Makefile sets it) and
// taken when the CPU has AVX2: thirty-two bytes per step where the
// word-at-a-time loops take eight. Each returns where it stopped and
// leaves the rest to its caller's portable loop, which the builds
// without SIMD run alone.

import (
	"math/bits"
	"simd/archsimd"
)

// haveSIMD says the SIMD paths are built and the CPU can run them (it is
// set once, from the CPU's features).
var haveSIMD = archsimd.X86.AVX2()

// pairScanSIMD calls fn with each offset c in [from, to), in order,
// where text[c] and text[c+1], loosely folded (| 0x20), are firsts[k] and
// seconds[k] for some k. It stops fewer than 33 bytes before to or the
// end of text.
func pairScanSIMD(text []byte, from, to int, firsts, seconds []byte, fn func(c int)) int {
	if !haveSIMD || len(firsts) == 0 || len(firsts) > 8 {
		return from
	}
	var f, s [8]archsimd.Uint8x32
	for k := range firsts {
		f[k], s[k] = archsimd.BroadcastUint8x32(firsts[k]), archsimd.BroadcastUint8x32(seconds[k])
	}
	fold := archsimd.BroadcastUint8x32(0x20)
	n := len(firsts)
	q := from
	for ; q+32 <= to && q+33 <= len(text); q += 32 {
		x := archsimd.LoadUint8x32Slice(text[q:]).Or(fold)
		y := archsimd.LoadUint8x32Slice(text[q+1:]).Or(fold)
		m := x.Equal(f[0]).And(y.Equal(s[0]))
		for k := 1; k < n; k++ {
			m = m.Or(x.Equal(f[k]).And(y.Equal(s[k])))
		}
		for b := m.ToBits(); b != 0; b &= b - 1 {
			fn(q + bits.TrailingZeros32(b))
		}
	}
	return q
}

// capsPairsSIMD calls fn with each offset c in [from, to), in order,
// where text[c] and text[c+1] are both ASCII capitals. It stops fewer
// than 33 bytes before to or the end of text.
func capsPairsSIMD(text []byte, from, to int, fn func(c int)) int {
	if !haveSIMD {
		return from
	}
	a, span := archsimd.BroadcastUint8x32('A'), archsimd.BroadcastUint8x32('Z'-'A')
	q := from
	for ; q+32 <= to && q+33 <= len(text); q += 32 {
		// A byte is a capital when it less 'A' (wrapping) is at most
		// 'Z'-'A': then the unsigned minimum leaves it as it is.
		x := archsimd.LoadUint8x32Slice(text[q:]).Sub(a)
		y := archsimd.LoadUint8x32Slice(text[q+1:]).Sub(a)
		m := x.Min(span).Equal(x).And(y.Min(span).Equal(y))
		for b := m.ToBits(); b != 0; b &= b - 1 {
			fn(q + bits.TrailingZeros32(b))
		}
	}
	return q
}

// indexDigitSIMD returns the offset of the first ASCII digit in text[i:],
// or where it stopped looking, fewer than 32 bytes before the end.
func indexDigitSIMD(text []byte, i int) int {
	if !haveSIMD {
		return i
	}
	zero, span := archsimd.BroadcastUint8x32('0'), archsimd.BroadcastUint8x32(9)
	for ; i+32 <= len(text); i += 32 {
		x := archsimd.LoadUint8x32Slice(text[i:]).Sub(zero)
		if b := x.Min(span).Equal(x).ToBits(); b != 0 {
			return i + bits.TrailingZeros32(b)
		}
	}
	return i
}

// wordStartsSIMD calls fn with each word start (wordStarts: a letter
// after a non-letter, or a capital after a small letter) in [from, to),
// in order; from must be past the first byte. It stops fewer than 32
// bytes before to.
func wordStartsSIMD(text []byte, from, to int, fn func(q int)) int {
	if !haveSIMD || from == 0 {
		return from
	}
	ascii := archsimd.BroadcastUint8x32(0x7F)
	fold, a, A := archsimd.BroadcastUint8x32(0x20), archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('A')
	az := archsimd.BroadcastUint8x32('z' - 'a')
	q := from
	for ; q+32 <= to; q += 32 {
		w := archsimd.LoadUint8x32Slice(text[q:])
		p := archsimd.LoadUint8x32Slice(text[q-1:]) // each byte's predecessor
		// isLetter: an ASCII letter, or any byte of 0x80 and up.
		wl, pl := w.Or(fold).Sub(a), p.Or(fold).Sub(a)
		wLetter := wl.Min(az).Equal(wl).ToBits() | ^w.Min(ascii).Equal(w).ToBits()
		pLetter := pl.Min(az).Equal(pl).ToBits() | ^p.Min(ascii).Equal(p).ToBits()
		wu, pd := w.Sub(A), p.Sub(a)
		camel := wu.Min(az).Equal(wu).ToBits() & pd.Min(az).Equal(pd).ToBits()
		for m := wLetter&^pLetter | camel; m != 0; m &= m - 1 {
			fn(q + bits.TrailingZeros32(m))
		}
	}
	return q
}

// hotStepsSIMD calls hot with each q in [from, to), in steps of 32 bytes,
// whose 32 bytes hold an aligned block of 16 with no break byte: a space,
// or with lower also an ASCII small letter. A class run of at least 31
// bytes that has neither holds such a block. It returns where it
// stopped, fewer than 32 bytes before to.
func hotStepsSIMD(text []byte, from, to int, lower bool, hot func(q int)) int {
	if !haveSIMD {
		return from
	}
	space := archsimd.BroadcastUint8x32(' ')
	a, az := archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('z'-'a')
	q := from
	for ; q+32 <= to; q += 32 {
		x := archsimd.LoadUint8x32Slice(text[q:])
		brk := x.Equal(space).ToBits()
		if lower {
			d := x.Sub(a)
			brk |= d.Min(az).Equal(d).ToBits()
		}
		if brk&0xFFFF == 0 || brk>>16 == 0 {
			hot(q)
		}
	}
	return q
}

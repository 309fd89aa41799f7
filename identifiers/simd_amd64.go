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

// loadPair loads text[q:q+32] and text[q+1:q+33], slicing the text once:
// a slice per load costs as much as a step's tests.
func loadPair(text []byte, q int) (archsimd.Uint8x32, archsimd.Uint8x32) {
	b := (*[33]byte)(text[q:])
	return archsimd.LoadUint8x32((*[32]byte)(b[:32])), archsimd.LoadUint8x32((*[32]byte)(b[1:]))
}

// pairMasksSIMD sets masks[k] to the bits of the offsets c among
// text[from+32k:] (32 of them) where text[c] and text[c+1], loosely folded
// (| 0x20), are firsts[j] and seconds[j] for some j, for as many whole
// steps of 32 as fit in masks, before to and one byte before the end of
// text, and returns how many (none for more than eight pairs).
func pairMasksSIMD(text []byte, from, to int, firsts, seconds []byte, masks []uint32) int {
	if !haveSIMD || len(firsts) == 0 || len(firsts) > 8 {
		return 0
	}
	fold := archsimd.BroadcastUint8x32(0x20)
	n := max(min(len(masks), (to-from)/32, (len(text)-1-from)/32), 0)
	if len(firsts) <= 4 {
		// Four pairs in registers (the last repeated to fill them): a
		// loop over an array of vectors would load each from memory.
		var f, s [4]archsimd.Uint8x32
		for k := range f {
			j := min(k, len(firsts)-1)
			f[k], s[k] = archsimd.BroadcastUint8x32(firsts[j]), archsimd.BroadcastUint8x32(seconds[j])
		}
		f0, f1, f2, f3, s0, s1, s2, s3 := f[0], f[1], f[2], f[3], s[0], s[1], s[2], s[3]
		masks = masks[:n]
		for k := range masks {
			x, y := loadPair(text, from+32*k)
			x, y = x.Or(fold), y.Or(fold)
			m := x.Equal(f0).And(y.Equal(s0)).Or(x.Equal(f1).And(y.Equal(s1))).
				Or(x.Equal(f2).And(y.Equal(s2))).Or(x.Equal(f3).And(y.Equal(s3)))
			masks[k] = m.ToBits()
		}
		return n
	}
	var f, s [8]archsimd.Uint8x32
	for k := range firsts {
		f[k], s[k] = archsimd.BroadcastUint8x32(firsts[k]), archsimd.BroadcastUint8x32(seconds[k])
	}
	np := len(firsts)
	masks = masks[:n]
	for k := range masks {
		x, y := loadPair(text, from+32*k)
		x, y = x.Or(fold), y.Or(fold)
		m := x.Equal(f[0]).And(y.Equal(s[0]))
		for j := 1; j < np; j++ {
			m = m.Or(x.Equal(f[j]).And(y.Equal(s[j])))
		}
		masks[k] = m.ToBits()
	}
	return n
}

// capsPairMasksSIMD sets masks[k] to the bits of the offsets c among
// text[from+32k:] (32 of them) where text[c] and text[c+1] are both ASCII
// capitals, for as many whole steps of 32 as fit in masks, before to and
// one byte before the end of text, and returns how many.
func capsPairMasksSIMD(text []byte, from, to int, masks []uint32) int {
	if !haveSIMD {
		return 0
	}
	a, span := archsimd.BroadcastUint8x32('A'), archsimd.BroadcastUint8x32('Z'-'A')
	n := max(min(len(masks), (to-from)/32, (len(text)-1-from)/32), 0)
	masks = masks[:n]
	for k := range masks {
		x, y := loadPair(text, from+32*k)
		// A byte is a capital when it less 'A' (wrapping) is at most
		// 'Z'-'A': then the unsigned minimum leaves it as it is.
		x, y = x.Sub(a), y.Sub(a)
		masks[k] = x.Min(span).Equal(x).And(y.Min(span).Equal(y)).ToBits()
	}
	return n
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

// wordStartMasksSIMD sets masks[k] to the bits of the word starts
// (wordStarts: a letter after a non-letter, or a capital after a small
// letter) among text[from+32k:] (32 bytes), for as many whole steps of 32
// as fit in masks and before to, and returns how many; from must be past
// the first byte.
func wordStartMasksSIMD(text []byte, from, to int, masks []uint32) int {
	if !haveSIMD || from == 0 {
		return 0
	}
	ascii := archsimd.BroadcastUint8x32(0x7F)
	fold, a, A := archsimd.BroadcastUint8x32(0x20), archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('A')
	az := archsimd.BroadcastUint8x32('z' - 'a')
	n := max(min(len(masks), (to-from)/32, (len(text)-from)/32), 0)
	masks = masks[:n]
	for k := range masks {
		p, w := loadPair(text, from+32*k-1) // each byte's predecessor, and the byte
		// isLetter: an ASCII letter, or any byte of 0x80 and up.
		wl, pl := w.Or(fold).Sub(a), p.Or(fold).Sub(a)
		wLetter := wl.Min(az).Equal(wl).ToBits() | ^w.Min(ascii).Equal(w).ToBits()
		pLetter := pl.Min(az).Equal(pl).ToBits() | ^p.Min(ascii).Equal(p).ToBits()
		wu, pd := w.Sub(A), p.Sub(a)
		camel := wu.Min(az).Equal(wu).ToBits() & pd.Min(az).Equal(pd).ToBits()
		masks[k] = wLetter&^pLetter | camel
	}
	return n
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
	for q+32 <= to {
		// Up to 64 steps flagged, a bit each, in a loop that calls
		// nothing (a call would cost it its constants); then hot for
		// each flagged one.
		n := min((to-q)/32, 64)
		var steps uint64
		for k := range n {
			x := archsimd.LoadUint8x32((*[32]byte)(text[q+32*k:]))
			brk := x.Equal(space).ToBits()
			if lower {
				d := x.Sub(a)
				brk |= d.Min(az).Equal(d).ToBits()
			}
			// 1 when a half has no break byte: its bits less one wrap
			// to the top bit only when they are all 0.
			lo, hi := uint64(brk&0xFFFF), uint64(brk>>16)
			steps |= ((lo - 1) | (hi - 1)) >> 63 << k
		}
		for ; steps != 0; steps &= steps - 1 {
			hot(q + 32*bits.TrailingZeros64(steps))
		}
		q += 32 * n
	}
	return q
}

// anchorMasksSIMD sets masks[k] to the bits of the bytes of
// text[from+32k:] (32 of them) that filter f flags, by each and the byte
// before it, for as many whole steps of 32 as fit in masks and in text,
// and returns how many; from must be past the first byte. It has no call
// in its loop, so its tables stay in registers.
func anchorMasksSIMD(text []byte, from int, f *anchorFilter, masks []uint32) int {
	if !haveSIMD || from == 0 {
		return 0
	}
	lo, hi := archsimd.LoadUint8x32(&f.lo), archsimd.LoadUint8x32(&f.hi)
	plo, phi := archsimd.LoadUint8x32(&f.plo), archsimd.LoadUint8x32(&f.phi)
	low, zero := archsimd.BroadcastUint8x32(0x0F), archsimd.BroadcastUint8x32(0)
	n := max(min(len(masks), (len(text)-from)/32), 0)
	masks = masks[:n]
	for k := range masks {
		p, w := loadPair(text, from+32*k-1) // each byte's predecessor, and the byte
		b := lo.PermuteOrZeroGrouped(w.And(low).AsInt8x32()).
			And(hi.PermuteOrZeroGrouped(w.AsUint16x16().ShiftAllRight(4).AsUint8x32().And(low).AsInt8x32())).
			And(plo.PermuteOrZeroGrouped(p.And(low).AsInt8x32())).
			And(phi.PermuteOrZeroGrouped(p.AsUint16x16().ShiftAllRight(4).AsUint8x32().And(low).AsInt8x32()))
		masks[k] = ^b.Equal(zero).ToBits()
	}
	return n
}

// asciiMasksSIMD sets in[k] to the bits of the bytes of text[from+64k:]
// (64 of them) in an ASCII class given by its nibble table (see
// asciiNibbles), and digits[k] to those of the ASCII digits, for as many
// whole steps of 64 as fit in the masks, and returns how many. With a
// second table (capsTable, not nil), it sets caps[k] to the bits of that
// class too, from the same look-ups of each byte's nibbles.
func asciiMasksSIMD(text []byte, from int, table, capsTable *[32]byte, in, digits, caps []uint64) int {
	if !haveSIMD {
		return 0
	}
	lo := archsimd.LoadUint8x32(table)
	// bit[h] is 1<<h for the high nibbles of ASCII, 0 for the others.
	bit := archsimd.LoadUint8x32(&asciiHighBits)
	low, zero := archsimd.BroadcastUint8x32(0x0F), archsimd.BroadcastUint8x32(0)
	d0, span := archsimd.BroadcastUint8x32('0'), archsimd.BroadcastUint8x32(9)
	n := max(min(len(in), len(digits), (len(text)-from)/64), 0)
	in, digits = in[:n], digits[:n]
	withCaps := capsTable != nil
	var clo archsimd.Uint8x32
	if withCaps {
		clo, caps = archsimd.LoadUint8x32(capsTable), caps[:n]
	}
	for k := range in {
		var m, d, c uint64
		b := (*[64]byte)(text[from+64*k:])
		for h := 0; h < 64; h += 32 {
			w := archsimd.LoadUint8x32((*[32]byte)(b[h:]))
			hb := bit.PermuteOrZeroGrouped(w.AsUint16x16().ShiftAllRight(4).AsUint8x32().And(low).AsInt8x32())
			lb := w.And(low).AsInt8x32()
			m |= uint64(^lo.PermuteOrZeroGrouped(lb).And(hb).Equal(zero).ToBits()) << h
			if withCaps {
				c |= uint64(^clo.PermuteOrZeroGrouped(lb).And(hb).Equal(zero).ToBits()) << h
			}
			x := w.Sub(d0)
			d |= uint64(x.Min(span).Equal(x).ToBits()) << h
		}
		in[k], digits[k] = m, d
		if withCaps {
			caps[k] = c
		}
	}
	return n
}

var asciiHighBits = [32]byte{1, 2, 4, 8, 16, 32, 64, 128, 16: 1, 2, 4, 8, 16, 32, 64, 128}

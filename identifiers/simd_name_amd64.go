//go:build goexperiment.simd && amd64

package identifiers

import "simd/archsimd"

// nameScanSIMD flags text[from:to] as nameScan.fill does, thirty-two
// bytes a step, and returns how many 32-bit words of starts and lower it
// wrote (their bytes all before to). Its starts are a superset of the
// name starts: the ASCII capitals, and the first bytes of the Latin
// capitals of two bytes or more (0xC3-0xC9, 0xE1: maybeLatinUpper) after
// an ASCII byte; either not after an ASCII letter. The loop calls
// nothing, so its constants stay in registers.
func nameScanSIMD(text []byte, from, to int, starts, lower *[nameChunk / 32]uint32) int {
	if !haveSIMD || from == 0 {
		return 0
	}
	ascii := archsimd.BroadcastUint8x32(0x7F)
	fold := archsimd.BroadcastUint8x32(0x20)
	a, A, az := archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('A'), archsimd.BroadcastUint8x32('z'-'a')
	lead, leads, e1 := archsimd.BroadcastUint8x32(0xC3), archsimd.BroadcastUint8x32(0xC9-0xC3), archsimd.BroadcastUint8x32(0xE1)
	n := 0
	for q := from; q+32 <= to && n < len(starts); q += 32 {
		w := archsimd.LoadUint8x32Slice(text[q:])
		p := archsimd.LoadUint8x32Slice(text[q-1:]) // each byte's predecessor
		// A byte is in a range when it less the range's first (wrapping)
		// is at most the range's span: then the unsigned minimum leaves
		// it as it is.
		u := w.Sub(A)
		capital := u.Min(az).Equal(u)
		l := w.Sub(a)
		small := l.Min(az).Equal(l)
		v := w.Sub(lead)
		latin := v.Min(leads).Equal(v).Or(w.Equal(e1)).And(p.Min(ascii).Equal(p))
		d := p.Or(fold).Sub(a)
		pLetter := d.Min(az).Equal(d)
		starts[n] = capital.Or(latin).ToBits() &^ pLetter.ToBits()
		lower[n] = small.ToBits()
		n++
	}
	return n
}

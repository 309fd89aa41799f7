//go:build goexperiment.simd && amd64

package identifiers

import "simd/archsimd"

// nameScanSIMD flags text[from:to] as nameScan.fill does, sixty-four
// bytes a step, and returns how many words of starts and small it wrote
// (their bytes all before to). Its starts are a superset of the name
// starts: the ASCII capitals, and the first bytes of the Latin capitals
// of two bytes or more (0xC3-0xC9, 0xE1: maybeLatinUpper); either not
// after an ASCII letter. Its small letters are exact
// (isSmallAt). The loop calls nothing, so its constants stay in
// registers.
func nameScanSIMD(text []byte, from, to int, starts, small *[nameChunk / 64]uint64) int {
	if !haveSIMD || from == 0 {
		return 0
	}
	fold := archsimd.BroadcastUint8x32(0x20)
	a, A, az := archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('A'), archsimd.BroadcastUint8x32('z'-'a')
	lead, leads, e1 := archsimd.BroadcastUint8x32(0xC3), archsimd.BroadcastUint8x32(0xC9-0xC3), archsimd.BroadcastUint8x32(0xE1)
	tail, tails, divide := archsimd.BroadcastUint8x32(0x9F), archsimd.BroadcastUint8x32(0xBF-0x9F), archsimd.BroadcastUint8x32(0xB7)
	n := 0
	for q := from; q+64 <= to && q+65 <= len(text) && n < len(starts); q += 64 {
		// The 64 bytes, the one before and the one after, checked once.
		b := (*[66]byte)(text[q-1 : q+65])
		var s, sm uint64
		for h := 0; h < 64; h += 32 {
			p := archsimd.LoadUint8x32((*[32]byte)(b[h:]))   // each byte's predecessor
			w := archsimd.LoadUint8x32((*[32]byte)(b[h+1:])) // the byte
			x := archsimd.LoadUint8x32((*[32]byte)(b[h+2:])) // and its successor
			// A byte is in a range when it less the range's first
			// (wrapping) is at most the range's span: then the unsigned
			// minimum leaves it as it is.
			u := w.Sub(A)
			capital := u.Min(az).Equal(u)
			l := w.Sub(a)
			ascSmall := l.Min(az).Equal(l)
			v := w.Sub(lead)
			latin := v.Min(leads).Equal(v).Or(w.Equal(e1))
			d := p.Or(fold).Sub(a)
			pLetter := d.Min(az).Equal(d)
			// Latin-1's small letters: 0xC3 before a byte of 0x9F-0xBF
			// but 0xB7, and that byte after 0xC3.
			tw, tx := w.Sub(tail), x.Sub(tail)
			wTail := tw.Min(tails).Equal(tw).And(w.NotEqual(divide))
			xTail := tx.Min(tails).Equal(tx).And(x.NotEqual(divide))
			latinSmall := w.Equal(lead).And(xTail).Or(p.Equal(lead).And(wTail))
			s |= uint64(capital.Or(latin).ToBits()&^pLetter.ToBits()) << h
			sm |= uint64(ascSmall.Or(latinSmall).ToBits()) << h
		}
		starts[n], small[n] = s, sm
		n++
	}
	return n
}

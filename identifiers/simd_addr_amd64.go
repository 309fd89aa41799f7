//go:build goexperiment.simd && amd64

package identifiers

// The address scan's SIMD pass (see addressScan.blocks): thirty-two
// bytes per step, no call in the loop, its lanes written to a buffer
// that a scalar loop walks.

import "simd/archsimd"

// addrLanesSIMD sets masks[b] to the anchor lanes of the 32 bytes of text
// from p = q+32*b: bit c in the low half for a region lane, bit c in the
// high half for an other lane (see addrLanes). It reads text[q-33:
// q+32*len(masks)+2]; callers check haveSIMD.
func addrLanesSIMD(text []byte, q int, masks *[addrChunk / 32]uint64) {
	zero, nine := archsimd.BroadcastUint8x32('0'), archsimd.BroadcastUint8x32(9)
	space, at := archsimd.BroadcastUint8x32(' '), archsimd.BroadcastUint8x32(0x40)
	top3, nul := archsimd.BroadcastUint8x32(0xE0), archsimd.BroadcastInt8x32(0)
	fold, a, A := archsimd.BroadcastUint8x32(0x20), archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('A')
	az := archsimd.BroadcastUint8x32('z' - 'a')
	_ = text[q-33 : q+32*len(masks)+2] // one bounds check for the loads
	// The letters and word-start capitals of the 32 bytes before q.
	prevLetters, prevStarts := addrWordBitsSIMD(text, q-32)
	for b := range masks {
		p := q + 32*b
		x := archsimd.LoadUint8x32Slice(text[p:])
		d := x.Sub(zero)
		digits := d.Min(nine).Equal(d)
		spaceBefore := archsimd.LoadUint8x32Slice(text[p-1:]).Equal(space)
		l, u := x.Or(fold).Sub(a), x.Sub(A)
		letters := l.Min(az).Equal(l).Or(x.AsInt8x32().Less(nul)).ToBits()
		starts := u.Min(az).Equal(u).And(spaceBefore).ToBits()
		after1 := archsimd.LoadUint8x32Slice(text[p+1:])
		after2 := archsimd.LoadUint8x32Slice(text[p+2:])
		upper1 := after1.And(top3).Equal(at)
		space1 := after1.Equal(space)
		upperOrHigh2 := after2.And(top3).Equal(at).Or(after2.AsInt8x32().Less(nul))
		other := digits.And(upper1.Or(space1.And(upperOrHigh2))).ToBits()
		runs := capitalRunEnds(prevLetters, letters, prevStarts, starts)
		region := digits.And(spaceBefore).ToBits() & runs
		masks[b] = uint64(other)<<32 | uint64(region)
		prevLetters, prevStarts = letters, starts
	}
}

// addrWordBitsSIMD returns addrLanesSIMD's letters and starts of the 32
// bytes of text from p (p >= 1).
func addrWordBitsSIMD(text []byte, p int) (letters, starts uint32) {
	nul, space := archsimd.BroadcastInt8x32(0), archsimd.BroadcastUint8x32(' ')
	fold, a, A := archsimd.BroadcastUint8x32(0x20), archsimd.BroadcastUint8x32('a'), archsimd.BroadcastUint8x32('A')
	az := archsimd.BroadcastUint8x32('z' - 'a')
	x := archsimd.LoadUint8x32Slice(text[p:])
	spaceBefore := archsimd.LoadUint8x32Slice(text[p-1:]).Equal(space)
	l, u := x.Or(fold).Sub(a), x.Sub(A)
	letters = l.Min(az).Equal(l).Or(x.AsInt8x32().Less(nul)).ToBits()
	starts = u.Min(az).Equal(u).And(spaceBefore).ToBits()
	return letters, starts
}

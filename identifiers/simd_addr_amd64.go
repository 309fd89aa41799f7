//go:build goexperiment.simd && amd64

package identifiers

// The address scan's SIMD pass (see addressScan.blocks): thirty-two
// bytes per step, no call in the loop, its lanes written to a buffer
// that a scalar loop walks.

import "simd/archsimd"

// addrLanesSIMD sets masks[b] to the anchor lanes of the 32 bytes of text
// from q+32*b, as addressScan.words flags them: bit c in the low half for
// a region lane (text[q+32*b+c] a digit after a space after a byte of
// 0x40 or more), bit c in the high half for an other lane (a digit before
// a byte of 0x40–0x5F, or before a space and a byte of 0x40–0x5F or 0x80
// and up). It reads text[q-2:q+32*len(masks)+2]; callers check haveSIMD.
func addrLanesSIMD(text []byte, q int, masks *[addrChunk / 32]uint64) {
	zero, nine := archsimd.BroadcastUint8x32('0'), archsimd.BroadcastUint8x32(9)
	space, at := archsimd.BroadcastUint8x32(' '), archsimd.BroadcastUint8x32(0x40)
	top3, nul := archsimd.BroadcastUint8x32(0xE0), archsimd.BroadcastInt8x32(0)
	_ = text[q-2 : q+32*len(masks)+2] // one bounds check for the loads
	for b := range masks {
		p := q + 32*b
		d := archsimd.LoadUint8x32Slice(text[p:]).Sub(zero)
		digits := d.Min(nine).Equal(d)
		before1 := archsimd.LoadUint8x32Slice(text[p-1:]).Equal(space)
		before2 := archsimd.LoadUint8x32Slice(text[p-2:])
		letter2 := before2.Max(at).Equal(before2)
		after1 := archsimd.LoadUint8x32Slice(text[p+1:])
		after2 := archsimd.LoadUint8x32Slice(text[p+2:])
		upper1 := after1.And(top3).Equal(at)
		space1 := after1.Equal(space)
		upperOrHigh2 := after2.And(top3).Equal(at).Or(after2.AsInt8x32().Less(nul))
		region := digits.And(before1).And(letter2).ToBits()
		other := digits.And(upper1.Or(space1.And(upperOrHigh2))).ToBits()
		masks[b] = uint64(other)<<32 | uint64(region)
	}
}

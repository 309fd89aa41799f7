//go:build goexperiment.simd && amd64

package identifiers

// The address scan's SIMD pass (see addressScan.blocks): thirty-two
// bytes per step, no call in the loop, its lanes written to a buffer
// that a scalar loop walks.

import (
	"math/bits"
	"simd/archsimd"
)

// addrLanesSIMD sets masks[b] to the anchor lanes of the 32 bytes of text
// from p = q+32*b, bit c for byte p+c: in the low half the region lanes
// (regionLanes), in the high half the other lanes, as words flags them (a
// digit before a byte of 0x40-0x5F, or before a space and a byte of
// 0x40-0x5F or 0x80 and up). It returns which
// masks it set (bit b for masks[b]), at least those that hold a lane; the
// others are left as they were. It reads text[q-32:q+addrBlocks*32+2];
// callers check haveSIMD.
func addrLanesSIMD(text []byte, q int, masks *[addrBlocks]uint64) uint64 {
	// First the blocks with a digit: three blocks of prose in four have
	// none, and a digit's test is a fraction of the lanes'.
	zero, nine := archsimd.BroadcastUint8x32('0'), archsimd.BroadcastUint8x32(9)
	var digits [addrBlocks]uint32
	var todo uint64
	c := (*[32 * addrBlocks]byte)(text[q:])
	for b := range digits {
		d := archsimd.LoadUint8x32((*[32]byte)(c[32*b:])).Sub(zero)
		digits[b] = d.Min(nine).Equal(d).ToBits()
		todo |= (uint64(digits[b]) + (1<<32 - 1)) >> 32 << b
	}
	all := bits.OnesCount64(todo) > len(masks)/2
	if all {
		// Most blocks have a digit (a table of numbers): look at all of
		// them, each block's spaces and capitals serving the next's.
		todo = 1<<len(masks) - 1
	}
	space, at := archsimd.BroadcastUint8x32(' '), archsimd.BroadcastUint8x32(0x40)
	top3, nul := archsimd.BroadcastUint8x32(0xE0), archsimd.BroadcastInt8x32(0)
	// The spaces and the capitals (bytes of 0x40-0x5F) of the block before
	// and of the block, bit c for byte c-32.
	var spaces, capitals uint64
	var set uint64
	for ; todo != 0; todo &= todo - 1 {
		b := bits.TrailingZeros64(todo)
		w := (*[66]byte)(text[q+32*b-32:]) // text[p-32:p+34] for p = q+32*b
		if !all || b == 0 {
			// The block before's bytes, afresh: a test of whether it was
			// looked at just before would be a branch mispredicted often
			// in prose, where digit blocks come at random.
			x := archsimd.LoadUint8x32((*[32]byte)(w[:]))
			spaces = uint64(x.Equal(space).ToBits()) << 32
			capitals = uint64(x.And(top3).Equal(at).ToBits()) << 32
		}
		x := archsimd.LoadUint8x32((*[32]byte)(w[32:]))
		spaces = spaces>>32 | uint64(x.Equal(space).ToBits())<<32
		capitals = capitals>>32 | uint64(x.And(top3).Equal(at).ToBits())<<32
		after1 := archsimd.LoadUint8x32((*[32]byte)(w[33:]))
		after2 := archsimd.LoadUint8x32((*[32]byte)(w[34:]))
		upper1 := after1.And(top3).Equal(at)
		space1 := after1.Equal(space)
		upperOrHigh2 := after2.And(top3).Equal(at).Or(after2.AsInt8x32().Less(nul))
		other := digits[b] & upper1.Or(space1.And(upperOrHigh2)).ToBits()
		masks[b] = uint64(other)<<32 | uint64(regionLanes(digits[b], spaces, capitals))
		set |= (masks[b] | -masks[b]) >> 63 << b
	}
	return set
}

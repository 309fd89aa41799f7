//go:build ignore

// make-quine writes testdata/archives/quine.zip: a zip whose one member,
// quine.zip, inflates to the zip file itself, byte for byte, CRC and all.
// Run from the repository root: go run testdata/archives/make-quine.go
//
// The member's DEFLATE stream D must inflate to P D S, where P is the local
// file header and S the central directory and end record. It is built from
// two kinds of operation, each a whole number of bytes:
//
//	L(n) a stored block holding the next n bytes (5 bytes of header)
//	R(n) a fixed-Huffman block copying the last n bytes of output again
//
// Reading D, the output lags behind D (it has not yet produced the last few
// operations written) or, once, runs one operation ahead. The sequence is
//
//	L(p+5) [P L(p+5)]          out: P L(p+5)        behind by P L(p+5)
//	R(p+5)                     out: P L(p+5)        behind by R(p+5)
//	L(15)  [R(p+5) L(15)]                           behind by those two
//	L(20)  [R(p+5) L(15) L(20)]                     behind by those three
//	R(20)                      out: the same 20     behind by R(20)
//	L(t)   [(R(20) L(t)) x k]  t = 10k              behind by R(20) L(t)
//	R(20)                      out: R(20) L(t) R(20) L(t), one L(t) ahead
//	L(t)   [Rf S]                                   level
//	Rf = R(t), final           out: Rf S            done: P D S
//
// For that R(p+5) must encode in exactly 10 bytes and R(20) in 5; a copy
// split into several length/distance pairs of the same distance pads it to
// the bit. The local header's extra field sets p and the archive comment
// sets t. The CRC-32 appears inside the data it covers; CRC-32 is affine
// over GF(2) in the message bits, so the fixed point crc(file(x)) = x is
// found by solving a 32x32 linear system rather than by trying 2^32 values.
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log"
	"os"
)

const (
	name    = "quine.zip"
	modTime = 0x1883 // 03:04:06
	modDate = 0x5822 // 2024-01-02
)

// bitWriter writes DEFLATE's LSB-first bit stream.
type bitWriter struct {
	buf   []byte
	nbits int
}

func (w *bitWriter) bits(v uint32, n int) {
	for i := 0; i < n; i++ {
		if w.nbits%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		w.buf[len(w.buf)-1] |= byte(v>>i&1) << (w.nbits % 8)
		w.nbits++
	}
}

// huff writes a Huffman code, most significant bit first.
func (w *bitWriter) huff(code uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		w.bits(code>>i&1, 1)
	}
}

var (
	lenBase  = []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
)

// lengthCode gives the index (symbol-257) for a match length.
func lengthCode(l int) int {
	for i := len(lenBase) - 1; i >= 0; i-- {
		if l >= lenBase[i] {
			return i
		}
	}
	panic("length < 3")
}

// lengthBits is the fixed-Huffman cost of a length: code plus extra bits.
func lengthBits(l int) int {
	c := lengthCode(l)
	if l == 258 {
		return 8
	}
	n := 7
	if c+257 >= 280 {
		n = 8
	}
	return n + lenExtra[c]
}

func distCode(d int) (code, extra, base int) {
	base = 1
	for c := 0; c < 30; c++ {
		e := 0
		if c >= 4 {
			e = (c - 2) / 2
		}
		if d < base+1<<e {
			return c, e, base
		}
		base += 1 << e
	}
	panic("distance too far")
}

// split finds lengths summing to n whose pairs (at distance-cost dbits
// each) cost exactly bits, longest lengths first, or nil.
func split(n, bits, dbits int) []int {
	key := [3]int{n, bits, dbits}
	if r, ok := splitMemo[key]; ok {
		return r
	}
	r := split1(n, bits, dbits)
	splitMemo[key] = r
	return r
}

var splitMemo = map[[3]int][]int{}

func split1(n, bits, dbits int) []int {
	if n == 0 {
		if bits == 0 {
			return []int{}
		}
		return nil
	}
	for l := min(n, 258); l >= 3; l-- {
		if n-l != 0 && n-l < 3 {
			continue
		}
		c := lengthBits(l) + dbits
		if c > bits {
			continue
		}
		if rest := split(n-l, bits-c, dbits); rest != nil {
			return append([]int{l}, rest...)
		}
	}
	return nil
}

// rep encodes R(n): one fixed-Huffman block repeating the last n bytes,
// exactly size bytes long (size 0: as short as it comes, padded to a byte).
func rep(n, size int, final bool) []byte {
	_, dextra, _ := distCode(n)
	dbits := 5 + dextra
	var lens []int
	if size > 0 {
		lens = split(n, size*8-3-7, dbits)
		if lens == nil {
			return nil
		}
	} else {
		for b := 1; lens == nil; b++ {
			lens = split(n, b, dbits)
		}
	}
	var w bitWriter
	if final {
		w.bits(1, 1)
	} else {
		w.bits(0, 1)
	}
	w.bits(1, 2) // BTYPE 01, fixed Huffman
	for _, l := range lens {
		c := lengthCode(l)
		sym := 257 + c
		switch {
		case l == 258:
			w.huff(0xc5, 8) // symbol 285
		case sym < 280:
			w.huff(uint32(sym-256), 7)
		default:
			w.huff(uint32(0xc0+sym-280), 8)
		}
		w.bits(uint32(l-lenBase[c]), lenExtra[c])
		dc, de, db := distCode(n)
		w.huff(uint32(dc), 5)
		w.bits(uint32(n-db), de)
	}
	w.huff(0, 7) // end of block
	if size > 0 && len(w.buf) != size {
		panic("rep size")
	}
	return w.buf
}

// lit encodes L(n): a stored-block header (non-final, byte aligned).
func lit(n int) []byte {
	return []byte{0, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

type zipParts struct{ p, d, s []byte }

// build lays out the whole file for a given CRC.
func build(crc uint32, extra, comment int) []byte {
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	p := 30 + len(name) + extra
	k := 0
	// Sizes first: the final R(t) depends on t, t on S and that R.
	s := 46 + len(name) + 22 + comment
	// t = len(Rf) + s and t = 10k.
	var rf []byte
	t := 0
	for k = 2; ; k++ {
		t = 10 * k
		rf = rep(t, 0, true)
		if len(rf)+s == t {
			break
		}
		if len(rf)+s < t {
			return nil
		}
	}
	r1 := rep(p+5, 10, false)
	r20 := rep(20, 5, false)
	if r1 == nil || r20 == nil {
		return nil
	}
	dLen := 5 + p + 5 + 10 + 5 + 15 + 5 + 20 + 5 + 5 + t + 5 + 5 + t + len(rf)
	total := p + dLen + s

	header := func(sig uint32) []byte {
		b := le32(nil, sig)
		if sig == 0x02014b50 {
			b = le16(b, 20) // version made by
		}
		b = le16(b, 20) // version needed
		b = le16(b, 0)  // flags
		b = le16(b, 8)  // deflate
		b = le16(b, modTime)
		b = le16(b, modDate)
		b = le32(b, crc)
		b = le32(b, uint32(dLen))
		b = le32(b, uint32(total))
		b = le16(b, uint16(len(name)))
		return b
	}
	local := header(0x04034b50)
	local = le16(local, uint16(extra))
	local = append(local, name...)
	// One extra field with a private ID, its body zeros.
	local = le16(local, 0x5154)
	local = le16(local, uint16(extra-4))
	local = append(local, make([]byte, extra-4)...)

	central := header(0x02014b50)
	central = le16(central, 0) // extra
	central = le16(central, 0) // comment
	central = le16(central, 0) // disk
	central = le16(central, 0) // internal attributes
	central = le32(central, 0) // external attributes
	central = le32(central, 0) // local header offset
	central = append(central, name...)
	end := le32(nil, 0x06054b50)
	end = le16(end, 0)
	end = le16(end, 0)
	end = le16(end, 1)
	end = le16(end, 1)
	end = le32(end, uint32(len(central)))
	end = le32(end, uint32(p+dLen))
	end = le16(end, uint16(comment))
	end = append(end, bytes.Repeat([]byte{'q'}, comment)...)
	S := cat(central, end)

	lp, l15, l20, lt := lit(p+5), lit(15), lit(20), lit(t)
	periodic := bytes.Repeat(cat(r20, lt), k)
	D := cat(
		lp, local, lp,
		r1,
		l15, r1, l15,
		l20, r1, l15, l20,
		r20,
		lt, periodic,
		r20,
		lt, rf, S,
		rf,
	)
	if len(local) != p || len(S) != s || len(D) != dLen {
		panic(fmt.Sprintf("layout: p %d/%d s %d/%d d %d/%d", len(local), p, len(S), s, len(D), dLen))
	}
	return cat(local, D, S)
}

// solveCRC finds x with crc32(build(x)) == x: crc32(build(x)) is
// c0 ^ M x for a linear M, so solve (M + I) x = c0 over GF(2).
func solveCRC(extra, comment int) (uint32, bool) {
	c0 := crc32.ChecksumIEEE(build(0, extra, comment))
	var rows [32]uint64 // row i: bit i of the equation, 32 coefficients then the constant
	var col [32]uint32
	for j := 0; j < 32; j++ {
		col[j] = crc32.ChecksumIEEE(build(1<<j, extra, comment)) ^ c0 ^ 1<<j
	}
	for i := 0; i < 32; i++ {
		var r uint64
		for j := 0; j < 32; j++ {
			r |= uint64(col[j]>>i&1) << j
		}
		r |= uint64(c0>>i&1) << 32
		rows[i] = r
	}
	// Gauss-Jordan elimination.
	for c, r := 0, 0; c < 32; c++ {
		piv := -1
		for i := r; i < 32; i++ {
			if rows[i]>>c&1 == 1 {
				piv = i
				break
			}
		}
		if piv < 0 {
			continue
		}
		rows[r], rows[piv] = rows[piv], rows[r]
		for i := 0; i < 32; i++ {
			if i != r && rows[i]>>c&1 == 1 {
				rows[i] ^= rows[r]
			}
		}
		r++
	}
	var x uint32
	for i := 0; i < 32; i++ {
		coef := rows[i] & 0xffffffff
		if coef == 0 {
			if rows[i]>>32&1 == 1 {
				return 0, false // inconsistent
			}
			continue
		}
		// Leading coefficient picks the variable; free variables stay 0.
		lead := 0
		for coef>>lead&1 == 0 {
			lead++
		}
		x |= uint32(rows[i]>>32&1) << lead
	}
	return x, crc32.ChecksumIEEE(build(x, extra, comment)) == x
}

func main() {
	for extra := 4; extra < 200; extra++ {
		for comment := 0; comment < 60; comment++ {
			if build(0, extra, comment) == nil {
				continue
			}
			crc, ok := solveCRC(extra, comment)
			if !ok {
				continue
			}
			out := build(crc, extra, comment)
			if err := os.WriteFile("testdata/archives/quine.zip", out, 0o644); err != nil {
				log.Fatal(err)
			}
			fmt.Printf("testdata/archives/quine.zip: %d bytes, crc %08x\n", len(out), crc)
			return
		}
	}
	log.Fatal("no layout found")
}

package archive

import (
	"encoding/binary"

	"github.com/klauspost/compress/zstd"
)

// bzip2Memory is what compress/bzip2 holds for a block: 900 kB of 4-byte
// entries, and the block itself.
const bzip2Memory = 4 << 20

// DecoderMemory is the memory decoding a compressed stream of kind takes
// that grows with what its header declares, read from the stream's first
// bytes (head): a zstd frame's window, an xz stream's LZMA2 dictionary,
// bounded as NewDecoder bounds them; bzip2's block. Gzip and snappy take
// a few tens of kilobytes: 0. A header that cannot be read counts as the
// largest the decoder accepts. Only the first zstd frame is read: a
// decoder made by NewBoundedDecoder refuses a later frame that declares a
// larger window.
func DecoderMemory(kind string, head []byte) int64 {
	switch kind {
	case "zstd":
		// The history holds the window and a block; 1 MiB more covers
		// the block decoders' buffers.
		return int64(zstdWindow(head)) + 1<<20
	case "xz":
		if d, ok := xzDict(head); ok {
			return int64(min(d, xzMaxDict))
		}
		return xzMaxDict
	case "bzip2":
		return bzip2Memory
	}
	return 0
}

// xzDict reads the LZMA2 dictionary size of an xz stream's first block.
func xzDict(head []byte) (uint64, bool) {
	const streamHeader = 12
	if len(head) < streamHeader+2 {
		return 0, false
	}
	b := head[streamHeader:]
	size := (int(b[0]) + 1) * 4
	if b[0] == 0 || len(b) < size {
		return 0, false
	}
	flags := b[1]
	b = b[2:size]
	skip := func() bool { // one multibyte integer
		_, n := binary.Uvarint(b)
		if n <= 0 {
			return false
		}
		b = b[n:]
		return true
	}
	if flags&0x40 != 0 && !skip() {
		return 0, false
	}
	if flags&0x80 != 0 && !skip() {
		return 0, false
	}
	var dict uint64
	found := false
	for range int(flags&3) + 1 {
		id, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		props, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < props {
			return 0, false
		}
		p := b[n : n+int(props)]
		b = b[n+int(props):]
		if id == 0x21 && len(p) == 1 { // LZMA2
			bits := p[0] & 0x3f
			if bits > 40 {
				return 0, false
			}
			dict, found = 1<<32-1, true
			if bits < 40 {
				dict = uint64(2|bits&1) << (bits/2 + 11)
			}
		}
	}
	return dict, found
}

// zstdWindow is the window the first frame of a zstd stream declares,
// bounded by zstdMaxWindow; a header that cannot be read counts as the
// bound.
func zstdWindow(head []byte) uint64 {
	var h zstd.Header
	if err := h.Decode(head); err != nil || h.Skippable {
		return zstdMaxWindow
	}
	w := h.WindowSize
	if h.SingleSegment {
		w = h.FrameContentSize
	}
	return min(max(w, zstd.MinWindowSize), zstdMaxWindow)
}

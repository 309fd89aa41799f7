package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/bodgit/sevenzip"
	"github.com/stangelandcl/ppmd"
	"github.com/ulikunitz/xz/lzma"
)

// sevenZipMaxMemory bounds what one 7z coder may allocate from what its
// header declares: an LZMA or LZMA2 dictionary (after it is shrunk to the
// coder's output, see below) or a PPMd model. 64 MiB is 7-Zip's largest
// LZMA2 dictionary at -mx9 and its PPMd model at -mx7; a header may
// declare 4 GiB, which the decoders would allocate before the first byte.
const sevenZipMaxMemory = 64 << 20

// lzmaMinDict is the smallest dictionary the LZMA decoder takes.
const lzmaMinDict = 4 << 10

// The 7z method IDs whose decoders allocate what the header declares.
var (
	methodLZMA  = []byte{0x03, 0x01, 0x01}
	methodLZMA2 = []byte{0x21}
	methodPPMd  = []byte{0x03, 0x04, 0x01}
)

// The library keeps its decoders in a registry of its own, and its LZMA,
// LZMA2 and PPMd decoders allocate what a header declares. These
// replace them (the same decoders, ulikunitz/xz and stangelandcl/ppmd,
// reached directly), each checking the declared memory first. They hold
// no state: the bound is a constant.
func init() {
	sevenzip.RegisterDecompressor(methodLZMA, boundedCoder(methodLZMA, newLZMA))
	sevenzip.RegisterDecompressor(methodLZMA2, boundedCoder(methodLZMA2, newLZMA2))
	sevenzip.RegisterDecompressor(methodPPMd, boundedCoder(methodPPMd, newPPMd))
}

// newLZMA decodes an LZMA coder: its 5 property bytes and its size make
// the 13-byte header the decoder reads.
func newLZMA(props []byte, size uint64, readers []io.ReadCloser) (io.ReadCloser, error) {
	if len(readers) != 1 || len(props) != 5 {
		return nil, fmt.Errorf("%w: 7z LZMA coder: %d inputs, %d property bytes", ErrMalformed, len(readers), len(props))
	}
	h := make([]byte, 13)
	copy(h, props)
	binary.LittleEndian.PutUint64(h[5:], size)
	lr, err := lzma.NewReader(io.MultiReader(bytes.NewReader(h), readers[0]))
	if err != nil {
		return nil, fmt.Errorf("%w: 7z LZMA coder: %v", ErrMalformed, err)
	}
	return readCloser{lr, readers[0]}, nil
}

// newLZMA2 decodes an LZMA2 coder: one property byte, its dictionary.
func newLZMA2(props []byte, _ uint64, readers []io.ReadCloser) (io.ReadCloser, error) {
	if len(readers) != 1 || len(props) != 1 || props[0] > 40 {
		return nil, fmt.Errorf("%w: 7z LZMA2 coder: %d inputs, bad properties", ErrMalformed, len(readers))
	}
	cfg := lzma.Reader2Config{DictCap: int(lzma2Dict(props[0]))}
	if err := cfg.Verify(); err != nil {
		return nil, fmt.Errorf("%w: 7z LZMA2 coder: %v", ErrMalformed, err)
	}
	lr, err := cfg.NewReader2(readers[0])
	if err != nil {
		return nil, fmt.Errorf("%w: 7z LZMA2 coder: %v", ErrMalformed, err)
	}
	return readCloser{lr, readers[0]}, nil
}

// newPPMd decodes a PPMd (H, 7z variant) coder: its order, then its
// model's memory.
func newPPMd(props []byte, size uint64, readers []io.ReadCloser) (io.ReadCloser, error) {
	if len(readers) != 1 || len(props) != 5 {
		return nil, fmt.Errorf("%w: 7z PPMd coder: %d inputs, %d property bytes", ErrMalformed, len(readers), len(props))
	}
	pr, err := ppmd.NewH7zReader(readers[0], int(props[0]), int(binary.LittleEndian.Uint32(props[1:])), int(min(size, 1<<62)))
	if err != nil {
		return nil, fmt.Errorf("%w: 7z PPMd coder: %v", ErrMalformed, err)
	}
	return readCloser{&pr, readers[0]}, nil
}

// ErrDecoderMemory: a 7z coder declares more memory than the bound; the
// member is not decoded. It is a size limit (FILE_EXCEEDS_SIZE_LIMIT).
var ErrDecoderMemory = fmt.Errorf("%w: 7z coder memory over %d MiB", ErrMemberTooBig, sevenZipMaxMemory>>20)

// boundedCoder checks a coder's declared memory before the library's
// decoder allocates it. An LZMA dictionary larger than the coder's
// output is never used past that output (no match reaches further back
// than the bytes decoded), so it is shrunk to the output's size first: a
// 4 GiB dictionary over 1 KB of text costs 4 KiB. What is still over
// sevenZipMaxMemory is refused.
func boundedCoder(method []byte, lib sevenzip.Decompressor) sevenzip.Decompressor {
	return func(props []byte, size uint64, readers []io.ReadCloser) (io.ReadCloser, error) {
		props, err := boundProps(method, props, size)
		if err != nil {
			return nil, err
		}
		return lib(props, size, readers)
	}
}

// boundProps returns props with the dictionary shrunk to what size needs,
// or ErrDecoderMemory. Props it cannot read go to the library as they are,
// for its own error.
func boundProps(method, props []byte, size uint64) ([]byte, error) {
	need := max(size, lzmaMinDict)
	switch string(method) {
	case string(methodLZMA):
		if len(props) != 5 {
			return props, nil
		}
		dict := uint64(binary.LittleEndian.Uint32(props[1:]))
		if dict <= need {
			return props, nil
		}
		if need > sevenZipMaxMemory {
			return nil, ErrDecoderMemory
		}
		p := append([]byte(nil), props...)
		binary.LittleEndian.PutUint32(p[1:], uint32(need))
		return p, nil
	case string(methodLZMA2):
		if len(props) != 1 || props[0] > 40 {
			return props, nil
		}
		if lzma2Dict(props[0]) <= need {
			return props, nil
		}
		bits := byte(0)
		for lzma2Dict(bits) < need {
			bits++
		}
		if lzma2Dict(bits) > sevenZipMaxMemory {
			return nil, ErrDecoderMemory
		}
		return []byte{bits}, nil
	case string(methodPPMd):
		// A PPMd model cannot be shrunk: decoding needs the memory the
		// encoder had.
		if len(props) == 5 && binary.LittleEndian.Uint32(props[1:]) > sevenZipMaxMemory {
			return nil, ErrDecoderMemory
		}
	}
	return props, nil
}

// lzma2Dict is the dictionary an LZMA2 property byte declares.
func lzma2Dict(bits byte) uint64 {
	if bits >= 40 {
		return 1<<32 - 1
	}
	return uint64(2|bits&1) << (bits/2 + 11)
}

// SevenZipMemory is what reading a 7z's members may take beyond the
// library's buffers, to reserve before the first is opened: the bound on
// a coder's memory, or less when the members together declare fewer bytes
// (a dictionary's pages are touched only as output is written into it).
func SevenZipMemory(declared uint64) int64 {
	return int64(min(declared+lzmaMinDict, sevenZipMaxMemory)) + 1<<20
}

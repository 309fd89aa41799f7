package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// An xz stream whose dictionary is over the bound is a size limit, not
// damage.
func TestXZDictionaryOverTheBound(t *testing.T) {
	var b bytes.Buffer
	xw, err := xz.WriterConfig{DictCap: 256 << 20}.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(xw, "hello\n")
	xw.Close()
	_, err = NewDecoder("xz", &b)
	if !errors.Is(err, ErrMemberTooBig) || errors.Is(err, ErrMalformed) {
		t.Errorf("%v, want ErrMemberTooBig", err)
	}
}

// A bounded zstd decoder refuses a later frame whose window is larger
// than the first frame's, which is what was reserved.
func TestZstdLaterFrameOverTheFirstWindow(t *testing.T) {
	frame := func(window int, text string) []byte {
		var b bytes.Buffer
		zw, _ := zstd.NewWriter(&b, zstd.WithWindowSize(window), zstd.WithSingleSegment(false))
		io.WriteString(zw, text)
		zw.Close()
		return b.Bytes()
	}
	small := frame(1<<20, "first\n")
	stream := append(append([]byte{}, small...), frame(64<<20, strings.Repeat("later\n", 1000))...)
	dec, err := NewBoundedDecoder("zstd", bytes.NewReader(stream), small)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	if _, err := io.ReadAll(dec); err == nil {
		t.Error("a later frame's larger window was accepted")
	}
	dec, _ = NewDecoder("zstd", bytes.NewReader(stream))
	if _, err := io.ReadAll(dec); err != nil {
		t.Errorf("unbounded: %v", err)
	}
}

// An LZMA dictionary over the coder's output is shrunk to it; what is
// still over the bound is refused; PPMd models are never shrunk.
func TestSevenZipCoderBounds(t *testing.T) {
	lzmaProps := func(dict uint32) []byte {
		p := []byte{0x5d, 0, 0, 0, 0}
		binary.LittleEndian.PutUint32(p[1:], dict)
		return p
	}
	for _, c := range []struct {
		name          string
		method, props []byte
		size          uint64
		dict          uint64 // what the decoder will be given
		refused       bool
	}{
		{"lzma small", methodLZMA, lzmaProps(1 << 20), 10 << 20, 1 << 20, false},
		{"lzma shrunk", methodLZMA, lzmaProps(1<<31 - 1), 3000, lzmaMinDict, false},
		{"lzma shrunk to output", methodLZMA, lzmaProps(1<<31 - 1), 40 << 20, 40 << 20, false},
		{"lzma refused", methodLZMA, lzmaProps(1<<31 - 1), 1 << 30, 0, true},
		{"lzma2 shrunk", methodLZMA2, []byte{40}, 5 << 20, 6 << 20, false},
		{"lzma2 kept", methodLZMA2, []byte{18}, 1 << 30, 2 << 20, false},
		{"lzma2 refused", methodLZMA2, []byte{40}, 1 << 30, 0, true},
		{"ppmd refused", methodPPMd, []byte{6, 0, 0, 0, 0x10}, 100, 0, true},
		{"ppmd kept", methodPPMd, []byte{6, 0, 0, 0, 0x01}, 1 << 30, 0, false},
	} {
		got, err := boundProps(c.method, c.props, c.size)
		if c.refused {
			if !errors.Is(err, ErrDecoderMemory) || !errors.Is(err, ErrMemberTooBig) {
				t.Errorf("%s: %v, want ErrDecoderMemory", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var dict uint64
		switch string(c.method) {
		case string(methodLZMA):
			dict = uint64(binary.LittleEndian.Uint32(got[1:]))
		case string(methodLZMA2):
			dict = lzma2Dict(got[0])
		}
		if dict != c.dict {
			t.Errorf("%s: dictionary %d, want %d", c.name, dict, c.dict)
		}
	}
}

package store

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// A finding's JSON is stored zstd-compressed: its field names and
// locations repeat from finding to finding, so it shrinks about fivefold,
// and the bytes a batch writes (the cost of recording) shrink with it.
var (
	codecOnce sync.Once
	encoder   *zstd.Encoder
	decoder   *zstd.Decoder
)

func codec() (*zstd.Encoder, *zstd.Decoder) {
	codecOnce.Do(func() {
		// Neither can fail with these options; EncodeAll and DecodeAll are
		// safe for concurrent use.
		encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
		decoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(64<<20))
	})
	return encoder, decoder
}

func packBody(json []byte) []byte {
	enc, _ := codec()
	return enc.EncodeAll(json, nil)
}

func unpackBody(b []byte) ([]byte, error) {
	_, dec := codec()
	out, err := dec.DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("stored finding is damaged: %w", err)
	}
	return out, nil
}

package store

import (
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// bodyCodec compresses a finding's JSON with zstd: its field names and
// locations repeat from finding to finding, so it shrinks about fivefold,
// and the bytes a batch writes (the cost of recording) shrink with it.
// EncodeAll and DecodeAll are safe for concurrent use.
type bodyCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newBodyCodec() (bodyCodec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return bodyCodec{}, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(64<<20))
	if err != nil {
		return bodyCodec{}, err
	}
	return bodyCodec{enc: enc, dec: dec}, nil
}

func (c bodyCodec) pack(json []byte) []byte { return c.enc.EncodeAll(json, nil) }

func (c bodyCodec) unpack(b []byte) ([]byte, error) {
	out, err := c.dec.DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("stored finding is damaged: %w", err)
	}
	return out, nil
}

func (c bodyCodec) close() {
	c.enc.Close()
	c.dec.Close()
}

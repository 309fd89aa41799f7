package formats

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

// ErrTooLarge: a value or block larger than trawl holds in memory (a
// string of a gigabyte in a record or a page). What came before it is
// kept; the caller reports the file PARTIAL.
var ErrTooLarge = errors.New("value too large to read")

// Bounds of the Avro reader. The container's own decoder (hamba/avro's
// ocf) inflates a whole block into memory before its first record, so a
// block of a few kilobytes that inflates to a gigabyte took gigabytes: the
// blocks are read here instead, inflated as a stream, record by record.
const (
	avroMaxValue  = 1 << 20  // a string or bytes value (the library's default)
	avroMaxRecord = 2 << 20  // the encoded bytes of one record
	avroMaxSnappy = 16 << 20 // a snappy block, held whole with what it decodes to
	avroZstdMem   = 32 << 20 // what the zstd decoder may hold
)

// avroAPI decodes records with the bounds above.
var avroAPI = avro.Config{MaxByteSliceSize: avroMaxValue, MaxSliceAllocSize: avroMaxRecord}.Freeze()

// avroFile reads an object container file block by block.
type avroFile struct {
	r      *avro.Reader
	schema avro.Schema
	codec  string
	sync   [16]byte
	zstd   *zstd.Decoder
	rec    *recordLimit
	dec    *avro.Decoder
	left   int64 // records left in the current block
	block  *blockReader
	// reserve takes memory from the scan's budget for a block; release
	// gives back what the current block holds.
	reserve func(int64) (func(), error)
	release func()
}

func openAvro(r io.Reader, reserve func(int64) (func(), error)) (f *avroFile, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("%w: Avro: invalid header", ErrMalformed)
		}
	}()
	ar := avro.NewReader(r, 64<<10, avro.WithReaderConfig(avroAPI))
	var h ocf.Header
	ar.ReadVal(ocf.HeaderSchema, &h)
	if ar.Error != nil || h.Magic != [4]byte{'O', 'b', 'j', 1} {
		return nil, fmt.Errorf("%w: Avro: invalid header", ErrMalformed)
	}
	// A cache of the file's own: the library's default one is global and
	// would keep every named type of every file scanned.
	schema, err := avro.ParseBytesWithCache(h.Meta["avro.schema"], "", &avro.SchemaCache{})
	if err != nil {
		return nil, fmt.Errorf("%w: Avro: invalid schema", ErrMalformed)
	}
	f = &avroFile{r: ar, schema: schema, codec: string(h.Meta["avro.codec"]), sync: h.Sync, reserve: reserve}
	switch f.codec {
	case "", "null", "deflate", "snappy":
	case "zstandard":
		f.zstd, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxMemory(avroZstdMem))
		if err != nil {
			return nil, fmt.Errorf("formats: zstd: %w", err)
		}
	default:
		return nil, fmt.Errorf("%w: Avro: unknown codec", ErrMalformed)
	}
	return f, nil
}

func (f *avroFile) Close() {
	f.releaseBlock()
	if f.zstd != nil {
		f.zstd.Close()
	}
}

// next decodes the next record into v; more is false at the end.
func (f *avroFile) next(v *any) (more bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			more, err = false, fmt.Errorf("%w: Avro: invalid block", ErrMalformed)
		}
	}()
	for f.left == 0 {
		if err := f.endBlock(); err != nil {
			return false, err
		}
		ok, err := f.startBlock()
		if !ok || err != nil {
			return false, err
		}
	}
	f.left--
	f.rec.allow(avroMaxRecord)
	*v = nil
	if err := f.dec.Decode(v); err != nil {
		if f.rec.over || overAvroBound(err) {
			return false, fmt.Errorf("%w: an Avro value over %d bytes or record over %d", ErrTooLarge, avroMaxValue, avroMaxRecord)
		}
		if f.r.Error != nil && !errors.Is(f.r.Error, io.EOF) {
			return false, f.r.Error
		}
		return false, fmt.Errorf("%w: Avro: invalid record", ErrMalformed)
	}
	return true, nil
}

// startBlock reads a block's header and sets the decoder on its records,
// inflated as they are read. ok is false at the end of the file.
func (f *avroFile) startBlock() (ok bool, err error) {
	_ = f.r.Peek()
	if errors.Is(f.r.Error, io.EOF) {
		return false, nil
	}
	count, size := f.r.ReadLong(), f.r.ReadLong()
	if f.r.Error != nil || count < 0 || size < 0 {
		return false, f.readErr()
	}
	f.block = &blockReader{r: f.r, left: size}
	var data io.Reader = f.block
	switch f.codec {
	case "deflate":
		data = flate.NewReader(f.block)
	case "zstandard":
		// The decoder keeps the window the frame declares.
		head := make([]byte, min(size, zstd.HeaderMaxSize))
		if _, err := io.ReadFull(f.block, head); err != nil {
			return false, fmt.Errorf("%w: Avro: invalid zstd block", ErrMalformed)
		}
		var h zstd.Header
		window := int64(avroZstdMem)
		if h.Decode(head) == nil && !h.Skippable {
			window = int64(min(h.WindowSize, avroZstdMem))
			if h.SingleSegment {
				window = int64(min(h.FrameContentSize, avroZstdMem))
			}
		}
		if err := f.reserveBlock(window + 1<<20); err != nil {
			return false, err
		}
		if err := f.zstd.Reset(io.MultiReader(bytes.NewReader(head), f.block)); err != nil {
			return false, fmt.Errorf("%w: Avro: invalid zstd block", ErrMalformed)
		}
		data = f.zstd
	case "snappy":
		if data, err = f.snappyBlock(size); err != nil {
			return false, err
		}
	}
	f.rec = &recordLimit{r: data}
	f.dec = avroAPI.NewDecoder(f.schema, f.rec)
	f.left = count
	return true, nil
}

// snappyBlock decodes a snappy block whole, as the format requires (its
// checksum covers the whole block), when it is small enough to hold.
func (f *avroFile) snappyBlock(size int64) (io.Reader, error) {
	if size > avroMaxSnappy {
		return nil, fmt.Errorf("%w: an Avro snappy block of %d bytes", ErrTooLarge, size)
	}
	if err := f.reserveBlock(size); err != nil {
		return nil, err
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f.block, b); err != nil || size < 5 {
		return nil, fmt.Errorf("%w: Avro: invalid snappy block", ErrMalformed)
	}
	n, err := snappy.DecodedLen(b[:size-4])
	if err != nil {
		return nil, fmt.Errorf("%w: Avro: invalid snappy block", ErrMalformed)
	}
	if n > avroMaxSnappy {
		return nil, fmt.Errorf("%w: an Avro snappy block inflating to %d bytes", ErrTooLarge, n)
	}
	if err := f.reserveBlock(int64(n)); err != nil {
		return nil, err
	}
	out, err := snappy.Decode(nil, b[:size-4])
	if err != nil || crc32.ChecksumIEEE(out) != binary.BigEndian.Uint32(b[size-4:]) {
		return nil, fmt.Errorf("%w: Avro: invalid snappy block", ErrMalformed)
	}
	return &byteReader{b: out}, nil
}

// endBlock skips what is left of the current block and checks its sync
// marker.
func (f *avroFile) endBlock() error {
	if f.block == nil {
		return nil
	}
	if _, err := io.Copy(io.Discard, f.block); err != nil || f.r.Error != nil {
		return f.readErr()
	}
	f.block = nil
	f.releaseBlock()
	var sync [16]byte
	f.r.Read(sync[:])
	if f.r.Error != nil || sync != f.sync {
		return f.readErr()
	}
	return nil
}

// reserveBlock reserves n more bytes for the current block.
func (f *avroFile) reserveBlock(n int64) error {
	if f.reserve == nil {
		return nil
	}
	release, err := f.reserve(n)
	if err != nil {
		return fmt.Errorf("%w: an Avro block needs %d bytes of memory: %v", ErrTooLarge, n, err)
	}
	prev := f.release
	f.release = func() {
		release()
		if prev != nil {
			prev()
		}
	}
	return nil
}

// releaseBlock gives back what the current block holds.
func (f *avroFile) releaseBlock() {
	if f.release != nil {
		f.release()
		f.release = nil
	}
}

func (f *avroFile) readErr() error {
	if f.r.Error != nil && !errors.Is(f.r.Error, io.EOF) && !errors.Is(f.r.Error, io.ErrUnexpectedEOF) {
		return f.r.Error
	}
	return fmt.Errorf("%w: Avro: invalid block", ErrMalformed)
}

// blockReader reads the left bytes of a block from the file's reader.
type blockReader struct {
	r    *avro.Reader
	left int64
}

func (b *blockReader) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	if b.r.Error != nil {
		return 0, b.r.Error
	}
	p = p[:min(int64(len(p)), b.left)]
	b.r.Read(p)
	if b.r.Error != nil {
		return 0, b.r.Error
	}
	b.left -= int64(len(p))
	return len(p), nil
}

// recordLimit fails a read past the bytes one record may take.
type recordLimit struct {
	r    io.Reader
	left int64
	over bool
}

func (l *recordLimit) allow(n int64) { l.left = n }

var errRecordLimit = errors.New("avro record over the limit")

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.over = true
		return 0, errRecordLimit
	}
	p = p[:min(int64(len(p)), l.left)]
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// overAvroBound tells the library's refusal of a value past avroAPI's
// bounds (it has no error value of its own for it) from a malformed one.
func overAvroBound(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "MaxByteSliceSize") || strings.Contains(msg, "MaxSliceAllocSize")
}

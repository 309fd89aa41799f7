package hostile

import (
	"bytes"
	"compress/flate"
	"io"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
)

// Avro writes an Avro container file (deflate codec) with one block of
// two records {"note": string}: the first holds PlantedSSN, the second a
// string of n bytes, which deflate shrinks about a thousandfold.
func Avro(w io.Writer, n int64) error {
	schema := `{"type":"record","name":"row","fields":[{"name":"note","type":"string"}]}`
	sync := [16]byte{'t', 'r', 'a', 'w', 'l', 's', 'y', 'n', 'c', 0, 1, 2, 3, 4, 5, 6}
	head, err := avro.Marshal(ocf.HeaderSchema, ocf.Header{
		Magic: [4]byte{'O', 'b', 'j', 1},
		Meta:  map[string][]byte{"avro.schema": []byte(schema), "avro.codec": []byte("deflate")},
		Sync:  sync,
	})
	if err != nil {
		return err
	}
	var block bytes.Buffer
	fw, _ := flate.NewWriter(&block, flate.BestCompression)
	fw.Write(long(nil, int64(len(PlantedSSN))))
	io.WriteString(fw, PlantedSSN)
	fw.Write(long(nil, n))
	if err := fill(fw, n, 'a'); err != nil {
		return err
	}
	fw.Close()
	out := append(head, long(nil, 2)...)
	out = append(long(out, int64(block.Len())), block.Bytes()...)
	out = append(out, sync[:]...)
	_, err = w.Write(out)
	return err
}

// long appends Avro's zig-zag varint encoding of v.
func long(b []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

// fill writes n bytes of c to w, a chunk at a time.
func fill(w io.Writer, n int64, c byte) error {
	chunk := bytes.Repeat([]byte{c}, 1<<20)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		if _, err := w.Write(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

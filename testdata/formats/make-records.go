//go:build ignore

// make-records writes the Parquet and Avro fixtures of formats/records_test.go
// into testdata/formats/records, with writers other than the readers trawl
// uses: Apache Arrow's pqarrow for Parquet and linkedin/goavro for Avro.
// Those writers are not dependencies of trawl: run it through
// make-records.sh, which builds it in a module of its own.
package main

import (
	"bytes"
	"encoding/binary"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/klauspost/compress/zstd"
	"github.com/linkedin/goavro/v2"
)

func main() {
	dir := "testdata/formats/records"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	writeParquet(filepath.Join(dir, "people.parquet"))
	for _, codec := range []string{"null", "deflate", "snappy"} {
		if err := os.WriteFile(filepath.Join(dir, "people-"+codec+".avro"), writeAvro(codec), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	// goavro has no zstandard codec: recompress the blocks of its null
	// codec output with klauspost's zstd.
	if err := os.WriteFile(filepath.Join(dir, "people-zstandard.avro"), toZstd(writeAvro("null")), 0o644); err != nil {
		log.Fatal(err)
	}
}

var created = time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC)

func writeParquet(path string) {
	addr := arrow.StructOf(
		arrow.Field{Name: "street", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},
	)
	phone := arrow.StructOf(
		arrow.Field{Name: "kind", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "number", Type: arrow.BinaryTypes.String, Nullable: true},
	)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "ssn", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "address", Type: addr, Nullable: true},
		{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		{Name: "phones", Type: arrow.ListOf(phone), Nullable: true},
		{Name: "balance", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "birth", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "created", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "active", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "blob", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "first name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	id := b.Field(0).(*array.Int64Builder)
	name := b.Field(1).(*array.StringBuilder)
	ssn := b.Field(2).(*array.StringBuilder)
	ab := b.Field(3).(*array.StructBuilder)
	tb := b.Field(4).(*array.ListBuilder)
	pb := b.Field(5).(*array.ListBuilder)
	bal := b.Field(6).(*array.Float64Builder)
	birth := b.Field(7).(*array.Date32Builder)
	cr := b.Field(8).(*array.TimestampBuilder)
	act := b.Field(9).(*array.BooleanBuilder)
	blob := b.Field(10).(*array.BinaryBuilder)
	fname := b.Field(11).(*array.StringBuilder)
	tags := tb.ValueBuilder().(*array.StringBuilder)
	ps := pb.ValueBuilder().(*array.StructBuilder)

	// Row 0: everything set.
	id.Append(1)
	name.Append("Alice Example")
	ssn.Append("123-45-6789")
	ab.Append(true)
	ab.FieldBuilder(0).(*array.StringBuilder).Append("1 Main St")
	ab.FieldBuilder(1).(*array.StringBuilder).Append("Springfield")
	tb.Append(true)
	tags.Append("alpha")
	tags.AppendNull()
	tags.Append("gamma")
	pb.Append(true)
	ps.Append(true)
	ps.FieldBuilder(0).(*array.StringBuilder).Append("home")
	ps.FieldBuilder(1).(*array.StringBuilder).Append("555-0100")
	ps.Append(true)
	ps.FieldBuilder(0).(*array.StringBuilder).Append("work")
	ps.FieldBuilder(1).(*array.StringBuilder).AppendNull()
	bal.Append(1234.5)
	birth.Append(arrow.Date32FromTime(time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)))
	cr.Append(arrow.Timestamp(created.UnixMilli()))
	act.Append(true)
	blob.Append([]byte{0xff, 0xfe, 0x00, 0x01})
	fname.Append("Alice")

	// Row 1: nulls everywhere that may be null; empty tags.
	id.Append(2)
	name.AppendNull()
	ssn.Append("987-65-4321")
	ab.AppendNull()
	tb.Append(true) // empty list
	pb.AppendNull()
	bal.AppendNull()
	birth.AppendNull()
	cr.AppendNull()
	act.AppendNull()
	blob.Append([]byte("plain text blob"))
	fname.AppendNull()

	// Row 2 (second row group): a null street, a null list.
	id.Append(3)
	name.Append("Bob")
	ssn.AppendNull()
	ab.Append(true)
	ab.FieldBuilder(0).(*array.StringBuilder).AppendNull()
	ab.FieldBuilder(1).(*array.StringBuilder).Append("Shelbyville")
	tb.AppendNull()
	pb.Append(true)
	ps.Append(true)
	ps.FieldBuilder(0).(*array.StringBuilder).Append("cell")
	ps.FieldBuilder(1).(*array.StringBuilder).Append("555-0199")
	bal.Append(-0.25)
	birth.Append(arrow.Date32FromTime(time.Date(2001, 1, 2, 0, 0, 0, 0, time.UTC)))
	cr.AppendNull()
	act.Append(false)
	blob.AppendNull()
	fname.Append("Bob")

	rec := b.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	props := parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(2), parquet.WithCompression(compress.Codecs.Snappy))
	w, err := pqarrow.NewFileWriter(schema, &buf, props, pqarrow.DefaultWriterProps())
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

const avroSchema = `{
  "type": "record", "name": "Person", "namespace": "trawl.test",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "name", "type": ["null", "string"], "default": null},
    {"name": "ssn", "type": "string"},
    {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
      {"name": "street", "type": ["null", "string"]},
      {"name": "city", "type": "string"}]}]},
    {"name": "tags", "type": {"type": "array", "items": ["null", "string"]}},
    {"name": "attrs", "type": {"type": "map", "values": "string"}},
    {"name": "balance", "type": "double"},
    {"name": "score", "type": "float"},
    {"name": "birth", "type": ["null", {"type": "int", "logicalType": "date"}]},
    {"name": "created", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "active", "type": "boolean"},
    {"name": "blob", "type": "bytes"},
    {"name": "level", "type": {"type": "enum", "name": "Level", "symbols": ["LOW", "HIGH"]}},
    {"name": "code", "type": {"type": "fixed", "name": "Code", "size": 4}}
  ]
}`

func writeAvro(codec string) []byte {
	var buf bytes.Buffer
	w, err := goavro.NewOCFWriter(goavro.OCFConfig{W: &buf, Schema: avroSchema, CompressionName: codec})
	if err != nil {
		log.Fatal(err)
	}
	recs := []any{
		map[string]any{
			"id": int64(1), "name": goavro.Union("string", "Alice Example"), "ssn": "123-45-6789",
			"address": goavro.Union("trawl.test.Address", map[string]any{"street": goavro.Union("string", "1 Main St"), "city": "Springfield"}),
			"tags":    []any{goavro.Union("string", "alpha"), nil, goavro.Union("string", "gamma")},
			"attrs":   map[string]any{"passport": "X1234567"},
			"balance": 1234.5, "score": float32(0.5),
			"birth":   goavro.Union("int.date", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)),
			"created": created, "active": true, "blob": []byte{0xff, 0xfe, 0, 1},
			"level": "HIGH", "code": []byte("AB12"),
		},
		map[string]any{
			"id": int64(2), "name": nil, "ssn": "987-65-4321", "address": nil,
			"tags": []any{}, "attrs": map[string]any{},
			"balance": 0.0, "score": float32(-1.25), "birth": nil,
			"created": created.Add(time.Hour), "active": false, "blob": []byte("plain text blob"),
			"level": "LOW", "code": []byte{0xff, 0, 0, 0},
		},
	}
	if err := w.Append(recs); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// toZstd rewrites an object container file of codec null with codec
// zstandard.
func toZstd(in []byte) []byte {
	r := bytes.NewReader(in)
	magic := make([]byte, 4)
	io.ReadFull(r, magic)
	meta := map[string][]byte{}
	for {
		n := readLong(r)
		if n == 0 {
			break
		}
		if n < 0 {
			n = -n
			readLong(r)
		}
		for ; n > 0; n-- {
			k := readBytes(r)
			meta[string(k)] = readBytes(r)
		}
	}
	sync := make([]byte, 16)
	io.ReadFull(r, sync)
	meta["avro.codec"] = []byte("zstandard")
	var out bytes.Buffer
	out.Write(magic)
	writeLong(&out, int64(len(meta)))
	for _, k := range []string{"avro.codec", "avro.schema"} {
		writeLong(&out, int64(len(k)))
		out.WriteString(k)
		writeLong(&out, int64(len(meta[k])))
		out.Write(meta[k])
	}
	writeLong(&out, 0)
	out.Write(sync)
	enc, _ := zstd.NewWriter(nil)
	for r.Len() > 0 {
		count := readLong(r)
		data := readBytes(r)
		io.ReadFull(r, make([]byte, 16))
		comp := enc.EncodeAll(data, nil)
		writeLong(&out, count)
		writeLong(&out, int64(len(comp)))
		out.Write(comp)
		out.Write(sync)
	}
	return out.Bytes()
}

func readLong(r *bytes.Reader) int64 {
	u, err := binary.ReadUvarint(r)
	if err != nil {
		log.Fatal(err)
	}
	return int64(u>>1) ^ -int64(u&1)
}

func readBytes(r *bytes.Reader) []byte {
	b := make([]byte, readLong(r))
	if _, err := io.ReadFull(r, b); err != nil {
		log.Fatal(err)
	}
	return b
}

func writeLong(w *bytes.Buffer, v int64) {
	w.Write(binary.AppendUvarint(nil, uint64(v<<1)^uint64(v>>63)))
}

package formats

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/trawlsec/trawl/internal/hostile"
)

const recordsDir = "../testdata/formats/records/"

// recPart is a part as the tests see it.
type recPart struct {
	Record int
	Path   string
	Text   string
	Names  []string
}

func (p recPart) String() string {
	return fmt.Sprintf("{%d %s %q %q}", p.Record, p.Path, p.Text, p.Names)
}

// collectParts gathers the parts of segments, checking the invariants of
// Layout Records along the way.
func collectParts(t testing.TB, run func(fn func(*Segment) error) error) ([]recPart, error) {
	t.Helper()
	var got []recPart
	err := run(func(s *Segment) error {
		if s.Layout != Records {
			t.Errorf("layout %v", s.Layout)
		}
		for i, p := range s.Parts {
			if i > 0 && (p.Start <= s.Parts[i-1].End || s.Text[p.Start-1] != '\n') {
				t.Errorf("part %d not separated by a newline", i)
			}
			var names []string
			if p.Ctx >= 0 {
				names = s.Contexts[p.Ctx]
			}
			occ := s.Where(p.Start, p.End)
			if occ.Record == nil || occ.Record.RecordIndex != p.Record || occ.Record.JSONPath != p.Path {
				t.Errorf("Where(%d,%d) = %+v, want record %d %s", p.Start, p.End, occ.Record, p.Record, p.Path)
			}
			got = append(got, recPart{p.Record, p.Path, string(s.Text[p.Start:p.End]), names})
		}
		return nil
	})
	return got, err
}

func parquetParts(t testing.TB, data []byte, opt RecordsOptions) ([]recPart, error) {
	return collectParts(t, func(fn func(*Segment) error) error {
		return ParquetSegments(bytes.NewReader(data), int64(len(data)), opt, fn)
	})
}

func avroParts(t testing.TB, data []byte, opt RecordsOptions) ([]recPart, error) {
	return collectParts(t, func(fn func(*Segment) error) error {
		return AvroSegments(bytes.NewReader(data), opt, fn)
	})
}

func names(s ...string) []string { return s }

func checkParts(t *testing.T, got, want []recPart) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parts differ:\n got %v\nwant %v", got, want)
	}
}

func readRecordsFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(recordsDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// people.parquet is written by Apache Arrow (pqarrow), two rows in the
// first row group and one in the second; see make-records.go.
var wantParquet = []recPart{
	{0, "$.id", "1", names("id")},
	{0, "$.name", "Alice Example", names("name")},
	{0, "$.ssn", "123-45-6789", names("ssn")},
	{0, "$.address.street", "1 Main St", names("address", "street")},
	{0, "$.address.city", "Springfield", names("address", "city")},
	{0, "$.tags[0]", "alpha", names("tags")},
	{0, "$.tags[2]", "gamma", names("tags")}, // tags[1] is null
	{0, "$.phones[0].kind", "home", names("phones", "kind")},
	{0, "$.phones[1].kind", "work", names("phones", "kind")},
	{0, "$.phones[0].number", "555-0100", names("phones", "number")},
	{0, "$.balance", "1234.5", names("balance")},
	{0, "$.birth", "1990-05-17", names("birth")},
	{0, "$.created", "2024-03-01T12:30:45Z", names("created")},
	// active is a boolean, blob is not UTF-8: no parts.
	{0, "$['first name']", "Alice", names("first name")},
	{1, "$.id", "2", names("id")},
	{1, "$.ssn", "987-65-4321", names("ssn")},
	{1, "$.blob", "plain text blob", names("blob")},
	{2, "$.id", "3", names("id")},
	{2, "$.name", "Bob", names("name")},
	{2, "$.address.city", "Shelbyville", names("address", "city")},
	{2, "$.phones[0].kind", "cell", names("phones", "kind")},
	{2, "$.phones[0].number", "555-0199", names("phones", "number")},
	{2, "$.balance", "-0.25", names("balance")},
	{2, "$.birth", "2001-01-02", names("birth")},
	{2, "$['first name']", "Bob", names("first name")},
}

func TestParquetSegments(t *testing.T) {
	data := readRecordsFixture(t, "people.parquet")
	got, err := parquetParts(t, data, RecordsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkParts(t, got, wantParquet)

	// Small segments: every value still comes whole and once.
	got, err = parquetParts(t, data, RecordsOptions{SegmentSize: 32})
	if err != nil {
		t.Fatal(err)
	}
	checkParts(t, got, wantParquet)
}

func TestParquetSegmentsInterned(t *testing.T) {
	data := readRecordsFixture(t, "people.parquet")
	err := ParquetSegments(bytes.NewReader(data), int64(len(data)), RecordsOptions{}, func(s *Segment) error {
		seen := map[string]bool{}
		for _, c := range s.Contexts {
			k := strings.Join(c, "\x00")
			if seen[k] {
				t.Errorf("context %q twice", c)
			}
			seen[k] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestParquetFnError(t *testing.T) {
	data := readRecordsFixture(t, "people.parquet")
	stop := errors.New("stop")
	err := ParquetSegments(bytes.NewReader(data), int64(len(data)), RecordsOptions{}, func(*Segment) error { return stop })
	if err != stop {
		t.Fatalf("got %v", err)
	}
	if err := ParquetSegments(bytes.NewReader(data), int64(len(data)), RecordsOptions{SegmentSize: 3}, func(*Segment) error { return nil }); err == nil {
		t.Fatal("SegmentSize 3 accepted")
	}
}

// A value longer than a segment is cut with an overlap; the owned pieces
// put together give it back.
func TestParquetLongValue(t *testing.T) {
	type row struct {
		Note string `parquet:"note"`
	}
	long := strings.Repeat("0123456789abcdéf", 200)
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf)
	if _, err := w.Write([]row{{"short"}, {long}, {"after"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var owned strings.Builder
	err := ParquetSegments(bytes.NewReader(buf.Bytes()), int64(buf.Len()), RecordsOptions{SegmentSize: 256}, func(s *Segment) error {
		end := s.OwnedEnd
		if end == 0 {
			end = len(s.Text)
		}
		if len(s.Text) > 256 {
			t.Errorf("segment of %d bytes", len(s.Text))
		}
		for _, p := range s.Parts {
			if p.Record == 1 {
				owned.Write(s.Text[max(p.Start, s.Owned):min(p.End, end)])
			}
			if p.Path != "$.note" {
				t.Errorf("path %s", p.Path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if owned.String() != long {
		t.Errorf("owned pieces give %d bytes, want %d", owned.Len(), len(long))
	}
}

func TestJoinPath(t *testing.T) {
	if got := joinPath([]string{".a", "[2]", "['b c']"}); got != "$.a[2]['b c']" {
		t.Errorf("got %s", got)
	}
	var elems []string
	for i := 0; i < 60; i++ {
		elems = append(elems, ".abcdef")
	}
	got := joinPath(elems)
	if !strings.HasPrefix(got, "$..abcdef.") || len([]rune(got)) > maxPathRunes {
		t.Errorf("cut path %s (%d runes)", got, len([]rune(got)))
	}
}

// corruptions returns truncated and byte-flipped variants of data.
func corruptions(data []byte) [][]byte {
	var out [][]byte
	for _, k := range []int{0, 1, 4, 8, len(data) / 3, len(data) / 2, len(data) - 9, len(data) - 1} {
		if k >= 0 && k < len(data) {
			out = append(out, data[:k])
		}
	}
	for i := 0; i < len(data); i += max(1, len(data)/97) {
		b := bytes.Clone(data)
		b[i] ^= 0x5a
		out = append(out, b)
	}
	return out
}

func TestParquetMalformed(t *testing.T) {
	data := readRecordsFixture(t, "people.parquet")
	// A footer length past the file (parquet-go would allocate it).
	huge := bytes.Clone(data)
	copy(huge[len(huge)-8:], "\xf0\xff\xff\xff")
	if _, err := parquetParts(t, huge, RecordsOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("huge footer: %v", err)
	}
	for i, b := range corruptions(data) {
		_, err := parquetParts(t, b, RecordsOptions{})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("variant %d: %v, not ErrMalformed", i, err)
		}
		if i < 8 && len(b) < len(data) && err == nil {
			t.Errorf("truncated to %d bytes: no error", len(b))
		}
	}
}

func FuzzParquetSegments(f *testing.F) {
	f.Add(readRecordsFixture(f, "people.parquet"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ParquetSegments(bytes.NewReader(data), int64(len(data)), RecordsOptions{SegmentSize: 64}, func(s *Segment) error {
			for _, p := range s.Parts {
				if p.Start < 0 || p.End > len(s.Text) || p.Start >= p.End {
					t.Fatalf("part %+v out of %d bytes", p, len(s.Text))
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v not ErrMalformed", err)
		}
	})
}

// BenchmarkParquetSegments reads a ~16 MiB file written by parquet-go's
// own writer (a benchmark input, not a correctness fixture); MB/s is of
// value text.
func BenchmarkParquetSegments(b *testing.B) {
	type addr struct {
		City   string `parquet:"city"`
		Street string `parquet:"street,optional"`
	}
	type row struct {
		ID      int64    `parquet:"id"`
		Name    string   `parquet:"name"`
		SSN     string   `parquet:"ssn,optional"`
		Address addr     `parquet:"address"`
		Tags    []string `parquet:"tags,list"`
		Balance float64  `parquet:"balance"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf, parquet.Compression(&parquet.Snappy))
	rows := make([]row, 0, 1024)
	for i := 0; buf.Len() < 16<<20; i++ {
		rows = append(rows, row{
			ID: int64(i), Name: fmt.Sprintf("Person Number %d", i), SSN: fmt.Sprintf("%03d-%02d-%04d", i%900, i%99, i%9999),
			Address: addr{City: fmt.Sprintf("City %d", i%5000), Street: fmt.Sprintf("%d Long Street Name Avenue", i)},
			Tags:    []string{fmt.Sprintf("tag-%d", i%7), fmt.Sprintf("label-%d", i)}, Balance: float64(i) / 7,
		})
		if len(rows) == cap(rows) {
			if _, err := w.Write(rows); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := w.Write(rows); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	var text int64
	count := func(s *Segment) error {
		text += int64(len(s.Text))
		return nil
	}
	if err := ParquetSegments(bytes.NewReader(data), int64(len(data)), RecordsOptions{}, count); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(text)
	for b.Loop() {
		if err := ParquetSegments(bytes.NewReader(data), int64(len(data)), RecordsOptions{}, func(*Segment) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/(1<<20), "file-MiB")
}

// people-*.avro are written by goavro (zstandard: goavro's null output with
// its blocks recompressed); see make-records.go.
var wantAvro = []recPart{
	{0, "$.id", "1", names("id")},
	{0, "$.name", "Alice Example", names("name")},
	{0, "$.ssn", "123-45-6789", names("ssn")},
	{0, "$.address.street", "1 Main St", names("address", "street")},
	{0, "$.address.city", "Springfield", names("address", "city")},
	{0, "$.tags[0]", "alpha", names("tags")},
	{0, "$.tags[2]", "gamma", names("tags")}, // tags[1] is null
	{0, "$.attrs.passport", "X1234567", names("attrs", "passport")},
	{0, "$.balance", "1234.5", names("balance")},
	{0, "$.score", "0.5", names("score")},
	{0, "$.birth", "1990-05-17", names("birth")},
	{0, "$.created", "2024-03-01T12:30:45Z", names("created")},
	// active is a boolean, blob is not UTF-8: no parts.
	{0, "$.level", "HIGH", names("level")},
	{0, "$.code", "AB12", names("code")},
	{1, "$.id", "2", names("id")},
	{1, "$.ssn", "987-65-4321", names("ssn")},
	{1, "$.balance", "0", names("balance")},
	{1, "$.score", "-1.25", names("score")},
	{1, "$.created", "2024-03-01T13:30:45Z", names("created")},
	{1, "$.blob", "plain text blob", names("blob")},
	{1, "$.level", "LOW", names("level")},
}

var avroCodecs = []string{"null", "deflate", "snappy", "zstandard"}

func TestAvroSegments(t *testing.T) {
	for _, codec := range avroCodecs {
		t.Run(codec, func(t *testing.T) {
			data := readRecordsFixture(t, "people-"+codec+".avro")
			got, err := avroParts(t, data, RecordsOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkParts(t, got, wantAvro)
			got, err = avroParts(t, data, RecordsOptions{SegmentSize: 24})
			if err != nil {
				t.Fatal(err)
			}
			checkParts(t, got, wantAvro)
		})
	}
}

func TestAvroFnError(t *testing.T) {
	data := readRecordsFixture(t, "people-null.avro")
	stop := errors.New("stop")
	if err := AvroSegments(bytes.NewReader(data), RecordsOptions{}, func(*Segment) error { return stop }); err != stop {
		t.Fatalf("got %v", err)
	}
}

type failReader struct{ err error }

func (f failReader) Read([]byte) (int, error) { return 0, f.err }

func TestAvroReadError(t *testing.T) {
	boom := errors.New("boom")
	err := AvroSegments(failReader{boom}, RecordsOptions{}, func(*Segment) error { return nil })
	if !errors.Is(err, boom) || errors.Is(err, ErrMalformed) {
		t.Fatalf("got %v", err)
	}
}

func TestAvroMalformed(t *testing.T) {
	for _, codec := range avroCodecs {
		data := readRecordsFixture(t, "people-"+codec+".avro")
		for i, b := range corruptions(data) {
			_, err := avroParts(t, b, RecordsOptions{})
			if err != nil && !errors.Is(err, ErrMalformed) {
				t.Errorf("%s variant %d: %v, not ErrMalformed", codec, i, err)
			}
			if i < 8 && len(b) < len(data)-16 && err == nil {
				t.Errorf("%s truncated to %d bytes: no error", codec, len(b))
			}
		}
	}
}

func FuzzAvroSegments(f *testing.F) {
	for _, codec := range avroCodecs {
		f.Add(readRecordsFixture(f, "people-"+codec+".avro"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := AvroSegments(bytes.NewReader(data), RecordsOptions{SegmentSize: 64}, func(s *Segment) error {
			for _, p := range s.Parts {
				if p.Start < 0 || p.End > len(s.Text) || p.Start >= p.End {
					t.Fatalf("part %+v out of %d bytes", p, len(s.Text))
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNestingTooDeep) {
			t.Fatalf("error %v not ErrMalformed", err)
		}
	})
}

// TestAvroHugeStringIsBounded: one deflate block whose second record is a
// string of 64 MiB is read as a stream: the first record is still
// reported, and the file ends with ErrTooLarge instead of inflating the
// block whole.
func TestAvroHugeStringIsBounded(t *testing.T) {
	var buf bytes.Buffer
	if err := hostile.Avro(&buf, 64<<20); err != nil {
		t.Fatal(err)
	}
	got, err := avroParts(t, buf.Bytes(), RecordsOptions{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a 64 MiB string: %v", err)
	}
	if len(got) != 1 || got[0].Text != hostile.PlantedSSN || got[0].Record != 0 || got[0].Path != "$.note" {
		t.Fatalf("%d parts before the huge string; want the first record's", len(got))
	}
}

// TestAvroReservesBlockMemory: zstd and snappy blocks reserve what they
// hold from the caller's budget and give it all back; a refusal ends the
// file with ErrTooLarge.
func TestAvroReservesBlockMemory(t *testing.T) {
	for _, codec := range []string{"snappy", "zstandard"} {
		t.Run(codec, func(t *testing.T) {
			data := readRecordsFixture(t, "people-"+codec+".avro")
			var held, most, calls int64
			reserve := func(n int64) (func(), error) {
				calls++
				held += n
				most = max(most, held)
				return func() { held -= n }, nil
			}
			got, err := avroParts(t, data, RecordsOptions{Reserve: reserve})
			if err != nil {
				t.Fatal(err)
			}
			checkParts(t, got, wantAvro)
			if calls == 0 || most == 0 || held != 0 {
				t.Errorf("%d reservations, at most %d bytes, %d still held", calls, most, held)
			}
			refuse := func(int64) (func(), error) { return nil, errors.New("no room") }
			if _, err := avroParts(t, data, RecordsOptions{Reserve: refuse}); !errors.Is(err, ErrTooLarge) {
				t.Errorf("refused: %v, want ErrTooLarge", err)
			}
		})
	}
}

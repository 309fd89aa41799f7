package formats

import (
	"fmt"
	"io"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hamba/avro/v2"
)

// avroMaxDepth bounds the nesting of a record's values (recursive schemas).
const avroMaxDepth = defaultJSONMaxDepth

// AvroSegments reads an Avro object container file (codecs null, deflate,
// snappy, zstd) with the writer schema stored in it, streaming records, and
// emits segments as ParquetSegments does (Path from field names, array
// indexes and map keys). Malformed → error wrapping ErrMalformed.
//
// Record fields come in schema order and map entries in key order; a map
// key is an element name of the path ($.attrs.passport) and of Contexts.
// A union is transparent: its branch's value has the union's path. Strings,
// enums, numbers, decimals, dates and times give parts; bytes and fixed
// give one when they are valid UTF-8; null and booleans give none.
// Nesting deeper than 256 levels returns an error wrapping
// ErrNestingTooDeep. A read error is returned wrapped; an error from fn as
// it is.
//
// Memory is bounded whatever the file declares: blocks are inflated as a
// stream, record by record (a snappy block, which must be whole, up to
// 16 MiB), a string or bytes value is at most 1 MiB and a record's
// encoding at most 2 MiB. Past a bound the records before it are scanned
// and an error wrapping ErrTooLarge is returned.
func AvroSegments(r io.Reader, opt RecordsOptions, fn func(*Segment) error) error {
	w, err := newRecWriter(opt, fn)
	if err != nil {
		return err
	}
	er := &avroErrReader{r: r}
	f, err := openAvro(er, opt.Reserve)
	if err != nil {
		return er.or(err)
	}
	defer f.Close()
	a := &avroWalker{w: w}
	for record := 0; ; record++ {
		var v any
		more, err := f.next(&v)
		if err != nil {
			// What the records before it held is scanned all the same.
			if ferr := w.flush(); ferr != nil {
				return ferr
			}
			return er.or(err)
		}
		if !more {
			break
		}
		a.record = record
		if err := a.walk(v, f.schema, 0); err != nil {
			return err
		}
	}
	return w.flush()
}

// avroErrReader remembers the first error of r other than io.EOF, so that a
// read error is not reported as a malformed file.
type avroErrReader struct {
	r   io.Reader
	err error
}

func (e *avroErrReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// or returns the read error if there was one, else err.
func (e *avroErrReader) or(err error) error {
	if e.err != nil {
		return fmt.Errorf("formats: read Avro: %w", e.err)
	}
	return err
}

// avroWalker turns a decoded record into parts.
type avroWalker struct {
	w      *recWriter
	record int
	elems  []string // rendered path elements
	names  []string // element names
	text   []byte
}

var errAvroDepth = fmt.Errorf("%w: Avro record deeper than %d levels", ErrNestingTooDeep, avroMaxDepth)

func (a *avroWalker) walk(v any, s avro.Schema, depth int) error {
	if v == nil {
		return nil
	}
	if depth > avroMaxDepth {
		return errAvroDepth
	}
	if u, ok := s.(*avro.UnionSchema); ok {
		s = unionBranch(&v, u)
	}
	if rs, ok := s.(*avro.RefSchema); ok {
		s = rs.Schema()
	}
	switch x := v.(type) {
	case map[string]any:
		if rs, ok := s.(*avro.RecordSchema); ok {
			for _, f := range rs.Fields() {
				fv, ok := x[f.Name()]
				if !ok || fv == nil {
					continue
				}
				if err := a.member(f.Name(), fv, f.Type(), depth); err != nil {
					return err
				}
			}
			return nil
		}
		var vs avro.Schema
		if ms, ok := s.(*avro.MapSchema); ok {
			vs = ms.Values()
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := a.member(k, x[k], vs, depth); err != nil {
				return err
			}
		}
		return nil
	case []any:
		var is avro.Schema
		if as, ok := s.(*avro.ArraySchema); ok {
			is = as.Items()
		}
		for i, e := range x {
			if e == nil {
				continue
			}
			a.elems = append(a.elems, "["+strconv.Itoa(i)+"]")
			err := a.walk(e, is, depth+1)
			a.elems = a.elems[:len(a.elems)-1]
			if err != nil {
				return err
			}
		}
		return nil
	}
	a.text = appendAvroText(a.text[:0], v, s)
	if len(a.text) == 0 {
		return nil
	}
	return a.w.add(a.record, joinPath(a.elems), strings.Join(a.names, "\x00"), a.names, a.text)
}

// member walks a record field or map entry named name.
func (a *avroWalker) member(name string, v any, s avro.Schema, depth int) error {
	a.elems = append(a.elems, renderName(lastRunes(name, maxPathNameRunes)))
	a.names = append(a.names, name)
	err := a.walk(v, s, depth+1)
	a.elems = a.elems[:len(a.elems)-1]
	a.names = a.names[:len(a.names)-1]
	return err
}

// unionBranch unwraps a union's value ({"type name": value} when decoded
// into any) and returns the branch's schema (nil when unknown).
func unionBranch(v *any, u *avro.UnionSchema) avro.Schema {
	if m, ok := (*v).(map[string]any); ok && len(m) == 1 {
		for k, inner := range m {
			for _, t := range u.Types() {
				if avroTypeName(t) == k {
					*v = inner
					return t
				}
			}
		}
	}
	var only avro.Schema
	n := 0
	for _, t := range u.Types() {
		if t.Type() != avro.Null {
			only = t
			n++
		}
	}
	if n == 1 {
		return only
	}
	return nil
}

func avroTypeName(s avro.Schema) string {
	if n, ok := s.(avro.NamedSchema); ok {
		return n.FullName()
	}
	name := string(s.Type())
	if l, ok := s.(avro.LogicalTypeSchema); ok && l.Logical() != nil {
		name += "." + string(l.Logical().Type())
	}
	return name
}

// appendAvroText appends the text of a scalar value.
func appendAvroText(dst []byte, v any, s avro.Schema) []byte {
	var logical avro.LogicalType
	if l, ok := s.(avro.LogicalTypeSchema); ok && l != nil && l.Logical() != nil {
		logical = l.Logical().Type()
	}
	switch x := v.(type) {
	case string:
		return append(dst, x...)
	case []byte:
		if utf8.Valid(x) {
			return append(dst, x...)
		}
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case int32:
		return strconv.AppendInt(dst, int64(x), 10)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float32:
		return strconv.AppendFloat(dst, float64(x), 'g', -1, 32)
	case float64:
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case time.Time:
		if logical == avro.Date {
			return x.UTC().AppendFormat(dst, "2006-01-02")
		}
		return x.UTC().AppendFormat(dst, time.RFC3339Nano)
	case time.Duration:
		return time.Unix(0, 0).UTC().Add(x).AppendFormat(dst, "15:04:05.999999999")
	case *big.Rat:
		scale := 0
		if d, ok := s.(avro.LogicalTypeSchema); ok && d != nil {
			if ds, ok := d.Logical().(*avro.DecimalLogicalSchema); ok {
				scale = ds.Scale()
			}
		}
		return append(dst, x.FloatString(scale)...)
	case bool:
		return dst
	default:
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Array && rv.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			if utf8.Valid(b) {
				return append(dst, b...)
			}
		}
	}
	return dst
}

package archive

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Go's archive/zip holds a zip's whole central directory in memory:
// measured, about 232 bytes per entry allocated plus twice its name,
// extra field and comment. A directory is sized from the end record
// and then by reading its headers in a pass of constant memory, before
// the library reads it, so that what the directory will take is known
// and reserved, and an archive that declares too many entries is
// rejected without reading them.
const (
	zipEntryMemory   = 256
	zipHeaderLen     = 46
	zipEndLen        = 22
	zip64LocatorLen  = 20
	zipMaxCommentLen = 65535
	sigDirHeader     = 0x02014b50
	sigDirEnd        = 0x06054b50
	sigDir64Locator  = 0x07064b50
	sigDir64End      = 0x06064b50
)

// zipDirectory is what a zip's end records say of its central directory.
type zipDirectory struct {
	entries uint64 // declared
	size    uint64 // bytes
	offset  uint64 // as declared, from the archive's start
	end     int64  // where the end record (or the zip64 one) starts
}

// readZipEnd finds the end-of-central-directory record (and the zip64 one
// when the plain one defers to it). ok is false when there is none; the
// library then says what is wrong.
func readZipEnd(ra io.ReaderAt, size int64) (d zipDirectory, ok bool) {
	n := min(size, zipEndLen+zipMaxCommentLen)
	if n < zipEndLen {
		return d, false
	}
	buf := make([]byte, n)
	if _, err := ra.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return d, false
	}
	p := -1
	for i := len(buf) - zipEndLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigDirEnd &&
			i+zipEndLen+int(binary.LittleEndian.Uint16(buf[i+20:])) <= len(buf) {
			p = i
			break
		}
	}
	if p < 0 {
		return d, false
	}
	b := buf[p:]
	d = zipDirectory{
		entries: uint64(binary.LittleEndian.Uint16(b[10:])),
		size:    uint64(binary.LittleEndian.Uint32(b[12:])),
		offset:  uint64(binary.LittleEndian.Uint32(b[16:])),
		end:     size - n + int64(p),
	}
	if d.entries != 0xffff && d.size != 0xffff && d.offset != 0xffffffff {
		return d, true
	}
	// Zip64: the locator just before the end record gives the zip64 end
	// record's offset.
	var loc [zip64LocatorLen]byte
	if d.end < zip64LocatorLen {
		return d, true
	}
	if _, err := ra.ReadAt(loc[:], d.end-zip64LocatorLen); err != nil || binary.LittleEndian.Uint32(loc[:]) != sigDir64Locator {
		return d, true
	}
	off := int64(binary.LittleEndian.Uint64(loc[8:]))
	var e64 [56]byte
	if off < 0 || off > size-56 {
		return d, true
	}
	if _, err := ra.ReadAt(e64[:], off); err != nil || binary.LittleEndian.Uint32(e64[:]) != sigDir64End {
		return d, true
	}
	d.entries = binary.LittleEndian.Uint64(e64[32:])
	d.size = binary.LittleEndian.Uint64(e64[40:])
	d.offset = binary.LittleEndian.Uint64(e64[48:])
	d.end = off
	return d, true
}

// measureZipDirectory reads the directory headers from start, as the
// library will (until a header does not parse), with a small buffer, and
// returns how many there are and the memory the library will allocate
// for them; it stops counting past maxEntries.
func measureZipDirectory(ra io.ReaderAt, size, start int64, maxEntries int64) (entries, memory int64) {
	if start < 0 || start >= size {
		return 0, 0
	}
	br := bufio.NewReaderSize(io.NewSectionReader(ra, start, size-start), 64<<10)
	var h [zipHeaderLen]byte
	for entries <= maxEntries {
		if _, err := io.ReadFull(br, h[:]); err != nil || binary.LittleEndian.Uint32(h[:]) != sigDirHeader {
			break
		}
		v := int64(binary.LittleEndian.Uint16(h[28:])) + int64(binary.LittleEndian.Uint16(h[30:])) + int64(binary.LittleEndian.Uint16(h[32:]))
		if n, err := br.Discard(int(v)); err != nil || int64(n) != v {
			break
		}
		entries++
		memory += zipEntryMemory + 2*v
	}
	return entries, memory
}

// zipDirectoryInBase is the largest directory left to the object's base
// reservation (a few hundred entries): reserving it apart would make the
// object a holder of more than its base, which may not wait for room, so
// that a zstd member's window in a plain zip would be refused whenever
// the pool was busy, instead of waiting as a top-level stream's does.
const zipDirectoryInBase = 64 << 10

// checkZipDirectory rejects a zip whose end record declares more entries
// than the budget's files left, before its directory is read, then
// reserves from the budget's memory what reading the directory will take
// (release gives it back). A directory the memory budget cannot hold is
// ErrDeclared with ErrMemberTooBig: nothing of it is extracted.
func checkZipDirectory(ra io.ReaderAt, size int64, b *Budget) (release func(), err error) {
	d, ok := readZipEnd(ra, size)
	if !ok {
		return func() {}, nil
	}
	left := b.Limits().MaxFiles - b.Files()
	if d.entries > uint64(max(left, 0)) {
		return nil, fmt.Errorf("%w: %w: the zip declares %d entries", ErrDeclared, ErrTooManyFiles, d.entries)
	}
	// The library starts where the end record says the directory ends
	// less its size, or at the declared offset when a header is there.
	var entries, memory int64
	for _, start := range []int64{d.end - int64(min(d.size, 1<<62)), int64(min(d.offset, 1<<62))} {
		n, m := measureZipDirectory(ra, size, start, left)
		entries, memory = max(entries, n), max(memory, m)
	}
	if entries > left {
		return nil, fmt.Errorf("%w: %w: the zip's directory holds more than %d entries", ErrDeclared, ErrTooManyFiles, left)
	}
	memory += 8 * entries // the library's slice of entries
	if memory <= zipDirectoryInBase {
		return func() {}, nil
	}
	if err := b.Memory.Reserve(b.ctx, memory); err != nil {
		if b.ctx.Err() != nil {
			return nil, b.ctx.Err()
		}
		return nil, fmt.Errorf("%w: %w: a zip directory of %d entries needs %d bytes: %v", ErrDeclared, ErrMemberTooBig, entries, memory, err)
	}
	return func() { b.Memory.Release(memory) }, nil
}

// ZipDirectoryMemory is what reading a zip's central directory will
// allocate, measured as walkZip measures it, counting no further than
// upTo bytes (a larger directory returns more than upTo).
func ZipDirectoryMemory(ra io.ReaderAt, size, upTo int64) int64 {
	d, ok := readZipEnd(ra, size)
	if !ok {
		return 0
	}
	if int64(min(d.entries, 1<<40))*zipEntryMemory > upTo {
		return upTo + 1
	}
	var memory int64
	for _, start := range []int64{d.end - int64(min(d.size, 1<<62)), int64(min(d.offset, 1<<62))} {
		_, m := measureZipDirectory(ra, size, start, upTo/zipEntryMemory+1)
		memory = max(memory, m)
	}
	return memory
}

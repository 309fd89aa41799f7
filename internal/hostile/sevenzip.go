package hostile

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"unicode/utf16"

	"github.com/ulikunitz/xz/lzma"
)

// SevenZipLZMA writes a 7z archive of one file, "ssn.txt", compressed with
// LZMA: PlantedSSN then n bytes of blank lines. Its coder declares a
// dictionary of dict bytes (up to 4 GiB - 1) and an output of declared
// bytes (at least what it holds; more makes the archive lie). The
// file is a few kilobytes; a decoder that believes the header allocates
// the dictionary before the first byte.
func SevenZipLZMA(w io.Writer, dict uint32, n int64, declared uint64) error {
	body := int64(len(PlantedSSN)+1) + n
	declared = max(declared, uint64(body))
	var packed bytes.Buffer
	lw, err := lzma.WriterConfig{DictCap: 1 << 20, Size: body}.NewWriter(&packed)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(lw, PlantedSSN+"\n"); err != nil {
		return err
	}
	if err := fill(lw, n, '\n'); err != nil {
		return err
	}
	if err := lw.Close(); err != nil {
		return err
	}
	// The writer's own 13-byte header (properties, dictionary, size)
	// goes into the 7z header instead, with the dictionary declared.
	stream := packed.Bytes()
	props := make([]byte, 5)
	props[0] = stream[0]
	binary.LittleEndian.PutUint32(props[1:], dict)
	return write7z(w, stream[13:], []byte{0x03, 0x01, 0x01}, props, declared, "ssn.txt")
}

// write7z writes a 7z archive of one folder with one coder (method,
// props) whose output of size bytes is one file, name.
func write7z(w io.Writer, packed, method, props []byte, size uint64, name string) error {
	var h bytes.Buffer
	b := func(v ...byte) { h.Write(v) }
	n := func(v uint64) { h.Write(number7z(v)) }
	b(0x01) // Header
	b(0x04) // MainStreamsInfo
	b(0x06) // PackInfo
	n(0)    // pack position
	n(1)    // one pack stream
	b(0x09) // Size
	n(uint64(len(packed)))
	b(0x00) // End
	b(0x07) // UnpackInfo
	b(0x0b) // Folder
	n(1)    // one folder
	b(0x00) // not external
	n(1)    // one coder
	if len(props) > 0 {
		b(byte(len(method)) | 0x20) // simple coder, with properties
		b(method...)
		n(uint64(len(props)))
		b(props...)
	} else {
		b(byte(len(method))) // simple coder
		b(method...)
	}
	b(0x0c) // CodersUnpackSize
	n(size)
	b(0x00) // End
	b(0x00) // End of MainStreamsInfo
	b(0x05) // FilesInfo
	n(1)
	names := []byte{0x00} // not external
	for _, u := range utf16.Encode([]rune(name)) {
		names = binary.LittleEndian.AppendUint16(names, u)
	}
	names = append(names, 0, 0)
	b(0x11) // Names
	n(uint64(len(names)))
	b(names...)
	b(0x00) // End of FilesInfo
	b(0x00) // End of Header

	start := make([]byte, 20)
	binary.LittleEndian.PutUint64(start[0:], uint64(len(packed)))
	binary.LittleEndian.PutUint64(start[8:], uint64(h.Len()))
	binary.LittleEndian.PutUint32(start[16:], crc32.ChecksumIEEE(h.Bytes()))
	sig := []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4}
	sig = binary.LittleEndian.AppendUint32(sig, crc32.ChecksumIEEE(start))
	for _, p := range [][]byte{sig, start, packed, h.Bytes()} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// number7z encodes v as 7z's variable-length NUMBER: as many leading one
// bits in the first byte as bytes follow, little-endian.
func number7z(v uint64) []byte {
	for extra := 0; extra < 8; extra++ {
		if v < 1<<(7*(extra+1)) {
			first := byte(0xff<<(8-extra)) | byte(v>>(8*extra))
			out := []byte{first}
			for i := range extra {
				out = append(out, byte(v>>(8*i)))
			}
			return out
		}
	}
	out := []byte{0xff}
	return binary.LittleEndian.AppendUint64(out, v)
}

// SevenZipStored writes a 7z archive of one file, name, holding data
// stored (7z's Copy method): a way to nest one archive in another.
func SevenZipStored(w io.Writer, data []byte, name string) error {
	return write7z(w, data, []byte{0x00}, nil, uint64(len(data)), name)
}

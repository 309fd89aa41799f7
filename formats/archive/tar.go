package archive

import (
	"archive/tar"
	"fmt"
	"io"
)

// walkTar streams a tar (ustar, pax, GNU, with sparse files expanded as
// tar itself does). Links, directories and devices are not files: they are
// passed over.
func walkTar(in Input, b *Budget, fn func(*Entry) error) error {
	tr := tar.NewReader(in.R)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return LimitOr(err, fmt.Errorf("%w: tar header: %v", ErrMalformed, err))
		}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeGNUSparse, tar.TypeCont, '\x00':
		default:
			continue
		}
		if err := b.AddFile(); err != nil {
			return err
		}
		e := &Entry{Name: h.Name, Size: h.Size, Modified: h.ModTime}
		var opened *MemberReader
		e.Open = func() (*MemberReader, error) {
			if opened == nil {
				opened = b.Member(tr, !in.Counted)
			}
			return opened, nil
		}
		if err := fn(e); err != nil {
			return err
		}
		if b.Exhausted() {
			return ErrTooManyBytes
		}
	}
}

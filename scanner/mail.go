package scanner

import (
	"bufio"
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// scanMail scans an e-mail message into r: headers and text bodies
// located by the message's lines. Until attachments are handed to the
// archive recursion (scanning each by its own format, as an embedded
// file), a text attachment is scanned here with the text and structured
// extractors, its locations relative to the attachment, and any other
// attachment leaves the result PARTIAL with
// ARCHIVE_CONTAINS_UNPROCESSED_FILES. A part that cannot be decoded makes
// it PARTIAL with MALFORMED_FILE. It returns the bytes read, as readText
// does.
func (s *Scanner) scanMail(ctx context.Context, br *bufio.Reader, t formats.Type, r *findings.Result) (int64, error) {
	br.Discard(t.BOM)
	cr := &countingReader{r: br, n: int64(t.BOM)}
	scan, segments := s.segmentScanner(ctx, r)
	unprocessed := 0
	attach := func(name string, a io.Reader) error {
		if err := s.scanAttachment(name, a, scan); err != nil {
			if ctx.Err() != nil {
				return err
			}
			unprocessed++ // not text, or not readable
		}
		return nil
	}
	err := formats.MailSegments(formats.Decode(cr, t.Encoding), formats.MailOptions{Text: s.Text}, scan, attach)
	r.SizeClassified = cr.n
	switch {
	case errors.Is(err, formats.ErrMalformed):
		// A part that cannot be decoded, or a header block too large: what
		// was read stays (reading the whole message again as plain text
		// would lose the decoded parts).
		stopped(r, *segments, findings.MalformedFile)
		return cr.n, nil
	case err == nil && unprocessed > 0:
		r.Status, r.Reason = findings.Partial, findings.ArchiveContainsUnprocessedFiles
	}
	return cr.n, err
}

var errNotText = errors.New("attachment is not text")

// scanAttachment scans a text attachment, chosen by its content and name
// as a file would be; it fails for anything else.
func (s *Scanner) scanAttachment(name string, a io.Reader, scan func(*formats.Segment) error) error {
	ab := bufio.NewReaderSize(a, formats.SniffLen)
	head, err := ab.Peek(formats.SniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	at := formats.Detect(head, name)
	if !at.Text || at.MIME == formats.MailMIME {
		return errNotText
	}
	ab.Discard(at.BOM)
	if extract, _ := s.structured(name, at); extract != nil {
		return extract(formats.Decode(ab, at.Encoding), scan)
	}
	return formats.TextSegments(ab, at.Encoding, s.Text, scan)
}

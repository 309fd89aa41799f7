package scanner

import (
	"errors"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats/archive"
)

// memberReason says why a member's read ended early.
func memberReason(mr *archive.MemberReader) findings.Reason {
	if err := mr.LimitErr(); err != nil {
		return limitReason(err)
	}
	if errors.Is(mr.Failed(), archive.ErrEncrypted) {
		return findings.InvalidEncryption
	}
	return findings.MalformedFile
}

// limitReason maps an archive limit to Macie's reason.
func limitReason(err error) findings.Reason {
	switch {
	case errors.Is(err, archive.ErrTooManyBytes):
		return findings.ArchiveTotalBytesExtractedOverLimit
	case errors.Is(err, archive.ErrTooManyFiles):
		return findings.ArchiveTotalDocumentsProcessedOverLimit
	case errors.Is(err, archive.ErrMemberTooBig):
		return findings.FileExceedsSizeLimit
	}
	return findings.MalformedFile
}

// stopErr is the error that must end the whole walk after a member: the
// scan cancelled (a member's reads then fail without a limit or a failure
// to show for it, and the walk would go on opening every member), or the
// total byte budget spent.
func (w *archiveWalk) stopErr(mr *archive.MemberReader) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if errors.Is(mr.LimitErr(), archive.ErrTooManyBytes) {
		return archive.ErrTooManyBytes
	}
	return nil
}

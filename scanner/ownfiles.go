package scanner

import (
	"io/fs"
	"os"
)

// FileSet is a set of files known by identity (device and inode on Unix,
// as os.SameFile compares them), not by path: no spelling of a path, link
// or bind mount names a file in it as another. A scan puts its own outputs
// in one (the findings file, the results file, a store) so that its local
// sources never read what the scan itself writes. Add every file before
// the scan starts: the set is not safe for use during it.
type FileSet struct {
	files []fs.FileInfo
	names []string
}

// Add puts the file at path in the set, following links.
func (s *FileSet) Add(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	s.files = append(s.files, info)
	s.names = append(s.names, path)
	return nil
}

// Holds reports whether info is a file of the set, and the path it was
// added by. A nil set holds nothing.
func (s *FileSet) Holds(info fs.FileInfo) (string, bool) {
	if s == nil {
		return "", false
	}
	for i, f := range s.files {
		if os.SameFile(f, info) {
			return s.names[i], true
		}
	}
	return "", false
}

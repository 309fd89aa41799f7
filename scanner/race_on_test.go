//go:build race

package scanner

// raceDetector: the race detector multiplies a process's memory, so the
// memory tests' children are measured only in the run without it.
const raceDetector = true

//go:build !race

package scanner

const raceDetector = false

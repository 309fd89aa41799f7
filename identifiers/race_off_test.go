//go:build !race

package identifiers

// raceEnabled says the tests run under the race detector.
const raceEnabled = false

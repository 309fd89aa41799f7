package identifiers

import "math/bits"

// Runs of the long-run rules' capitals class (capsClass: capitals and
// digits, for national IDs, passports, VINs) are rare in prose, but a
// probe of every ninth byte (probeRuns) still reads a ninth of the text.
// With SIMD, the digit rules' pass reads every byte's nibbles anyway
// (asciiMasksSIMD): one more table look-up flags the class, and capsRuns
// finds its long runs in the flags, mostly by a count of each word's.

// capsSparse is how many bytes of text a long run of capsClass has to
// itself, at least, for the digit rules' pass to go on finding them.
const capsSparse = 1024

// capsRuns finds, in the flags of a class for the successive 64-byte
// words of a text from its start, where each run of at least n class
// bytes has its n-th byte.
type capsRuns struct {
	// at are those places, in order; the flags seen cover text[:upTo].
	// on says the digit rules' pass filled them (else scanLongRuns
	// probes the whole text).
	at   []int
	upTo int
	on   bool
	// run is the length of the run that the flags seen end with.
	run int
}

// add takes the class flags of the word of text[c.upTo:c.upTo+64].
func (c *capsRuns) add(flags uint64, n int) {
	base := c.upTo
	c.upTo += 64
	if bits.OnesCount64(flags)+c.run < n {
		// No run reaches n bytes in the word: most words.
		if flags == ^uint64(0) {
			c.run += 64
		} else {
			c.run = bits.LeadingZeros64(^flags)
		}
		return
	}
	run := c.run
	for p := 0; p < 64; {
		rest := flags >> p
		if rest&1 == 0 {
			run = 0
			if rest == 0 {
				break
			}
			p += bits.TrailingZeros64(rest)
			continue
		}
		ones := bits.TrailingZeros64(^rest) // up to the word's end
		if run < n && run+ones >= n {
			c.at = append(c.at, base+p+n-run-1)
		}
		run += ones
		p += ones
	}
	c.run = run
}

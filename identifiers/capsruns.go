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

// add takes the class flags of the words of text[c.upTo:], 64 bytes a
// word.
func (c *capsRuns) add(words []uint64, n int) {
	for _, flags := range words {
		// A run reaches n bytes in the word only if the word has n less
		// the run it goes on with; and, for n of 9 or more, only if the
		// word holds eight in a row, or the run it goes on with reaches
		// n in it.
		eights := flags & (flags >> 1)
		eights &= eights >> 2
		eights &= eights >> 4
		if bits.OnesCount64(flags)+c.run >= n &&
			(n < 9 || eights != 0 || c.run+bits.TrailingZeros64(^flags) >= n) {
			c.addRuns(flags, n)
			continue
		}
		// No run reaches n bytes in the word (most words), and the word
		// is not all the class: the run it ends with is its own.
		c.upTo += 64
		c.run = bits.LeadingZeros64(^flags)
	}
}

// addRuns is add for one word, where a run may reach n bytes.
func (c *capsRuns) addRuns(flags uint64, n int) {
	base := c.upTo
	c.upTo += 64
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

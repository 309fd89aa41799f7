package identifiers

import "math/rand/v2"

// personalCases are the cases of personalEntries.
func personalCases(r *rand.Rand) map[string]idCases { return nil }

package identifiers

import "math/rand/v2"

// credentialFinancialCases are the cases of credentialFinancialEntries.
func credentialFinancialCases(r *rand.Rand) map[string]idCases { return nil }

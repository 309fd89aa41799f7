package identifiers

// credentialFinancialEntries are the managed identifiers of the
// CREDENTIALS and FINANCIAL_INFORMATION categories beyond those in
// catalogue.go.
func credentialFinancialEntries() []*Identifier { return nil }

package store

import "github.com/trawlsec/trawl/identifiers"

func identifiersCategory(s string) identifiers.Category { return identifiers.Category(s) }

package identifiers

import (
	"fmt"
	"slices"
	"strings"
)

// Selector is Macie's managedDataIdentifierSelector for the base set.
type Selector string

const (
	SelectRecommended Selector = "RECOMMENDED"
	SelectAll         Selector = "ALL"
	SelectNone        Selector = "NONE"
	// SelectSecrets is trawl's own: the TRAWL_ secrets that Macie does
	// not have (catalogue_secrets.go), and nothing else.
	SelectSecrets Selector = "SECRETS"
)

// ParseSelector accepts a selector in any case.
func ParseSelector(s string) (Selector, error) {
	switch sel := Selector(strings.ToUpper(strings.TrimSpace(s))); sel {
	case SelectRecommended, SelectAll, SelectNone, SelectSecrets:
		return sel, nil
	}
	return "", fmt.Errorf("unknown managed identifier selection %q: use recommended, all or none (or secrets, trawl's own credential types)", s)
}

// Managed returns the whole managed catalogue, one entry per shape (an ID
// may appear more than once).
func Managed() []*Identifier { return slices.Clone(catalogue) }

// ManagedIDs returns the distinct managed identifier IDs, sorted.
func ManagedIDs() []string {
	var ids []string
	for _, id := range catalogue {
		ids = append(ids, id.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Select picks managed identifiers the way a Macie job does: a base set
// (ALL holds Macie's identifiers and trawl's TRAWL_ secrets; RECOMMENDED
// only Macie's recommended ones),
// plus the IDs in include, minus the IDs in exclude (exclude wins). IDs are
// Macie's, in any case; an unknown one is an error that names it.
func Select(base Selector, include, exclude []string) ([]*Identifier, error) {
	known := map[string]bool{}
	for _, id := range catalogue {
		known[id.ID] = true
	}
	norm := func(list []string, flag string) (map[string]bool, error) {
		set := map[string]bool{}
		for _, s := range list {
			id := strings.ToUpper(strings.TrimSpace(s))
			if id == "" {
				continue
			}
			if !known[id] {
				return nil, fmt.Errorf("unknown managed identifier %q in %s (run 'trawl identifiers list' for the IDs)", s, flag)
			}
			set[id] = true
		}
		return set, nil
	}
	inc, err := norm(include, "--include-identifiers")
	if err != nil {
		return nil, err
	}
	exc, err := norm(exclude, "--exclude-identifiers")
	if err != nil {
		return nil, err
	}
	var out []*Identifier
	for _, id := range catalogue {
		in := base == SelectAll || base == SelectRecommended && id.Recommended ||
			base == SelectSecrets && id.BeyondMacie || inc[id.ID]
		if in && !exc[id.ID] {
			out = append(out, id)
		}
	}
	return out, nil
}

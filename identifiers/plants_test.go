package identifiers

import "strings"

// catalogueCaseTexts joins the texts of every catalogue case, marks
// removed, one a line: appended to the differential corpus, they plant
// every managed identifier (and its near misses) without a planting
// function per identifier.
func catalogueCaseTexts() []byte {
	var b strings.Builder
	cases := catalogueCases()
	for _, id := range ManagedIDs() {
		for _, cs := range append(cases[id].match, cases[id].noMatch...) {
			b.WriteString(strings.NewReplacer("«", "", "»", "").Replace(cs.text))
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}

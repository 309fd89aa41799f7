package identifiers

import (
	"fmt"
	"regexp"

	"github.com/trawlsec/trawl/formats"
)

// The Engine's side of hand-written finders (Identifier.Find): NAME and
// ADDRESS, which a regular expression could only say as a dictionary
// alternation that the Engine would have to run on every run of letters.

// compileRule compiles an identifier's pattern and analyses its shape; an
// identifier with a finder has neither.
func compileRule(id *Identifier) (*regexp.Regexp, shape, error) {
	if id.Find != nil {
		if id.Pattern != "" {
			return nil, shape{}, fmt.Errorf("identifier %s: has both a pattern and a finder", id.ID)
		}
		return nil, shape{}, nil
	}
	re, err := regexp.Compile(id.Pattern)
	if err != nil {
		return nil, shape{}, fmt.Errorf("identifier %s: invalid regular expression: %w", id.ID, err)
	}
	sh, err := analyse(id.Pattern)
	if err != nil {
		return nil, shape{}, fmt.Errorf("identifier %s: %w", id.ID, err)
	}
	return re, sh, nil
}

// scanFinders runs each finder once over each part and passes its spans
// through the rule's checks, as the naive reference does.
func (e *Engine) scanFinders(seg *formats.Segment, st *scanState) {
	for _, i := range e.byFind {
		// One closure per rule and segment, not per part: a JSON or CSV
		// segment has thousands of parts.
		var pi, base int
		emit := func(s, t int) { e.accept(i, base+s, base+t, pi, seg, st) }
		find := e.rules[i].Find
		for k, p := range st.parts {
			pi, base = k, p.Start
			find(st.text[p.Start:p.End], emit)
		}
	}
}

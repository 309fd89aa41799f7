package findings

import (
	"strings"

	"github.com/trawlsec/trawl/formats"
)

// maskLocations masks the detected values held in r.masks wherever the
// result writes a name: column names, JSON paths, cell references, member
// paths. Past maxMasks values every such name is masked whole. The values
// are dropped afterwards.
func (r *Result) maskLocations() {
	if len(r.masks) == 0 && !r.maskNames {
		return
	}
	mask := func(name string) string {
		if r.maskNames {
			return maskAll(name)
		}
		for v := range r.masks {
			name = formats.MaskName(name, v)
		}
		return name
	}
	for _, t := range r.Types {
		for i := range t.Occurrences {
			o := &t.Occurrences[i]
			o.File = mask(o.File)
			switch {
			case o.Cell != nil:
				c := *o.Cell
				c.ColumnName = mask(c.ColumnName)
				if c.CellReference != nil {
					ref := mask(*c.CellReference)
					c.CellReference = &ref
				}
				o.Cell = &c
			case o.Record != nil:
				rec := *o.Record
				rec.JSONPath = mask(rec.JSONPath)
				o.Record = &rec
			}
		}
	}
	for i := range r.Embedded {
		r.Embedded[i].Path = mask(r.Embedded[i].Path)
	}
	r.masks, r.maskNames = nil, false
}

// maskAll masks every character of a name but the separators of paths
// and member names.
func maskAll(name string) string {
	return strings.Map(func(c rune) rune {
		if c == '.' || c == '/' || c == '!' || c == '$' || c == '[' || c == ']' || c == '\'' {
			return c
		}
		return '*'
	}, name)
}

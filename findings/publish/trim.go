package publish

import (
	"encoding/json"
	"fmt"

	"github.com/trawlsec/trawl/findings"
)

// fit marshals a finding (by render) within limit bytes: when it is too
// large, its locations are cut (15, then 7, 3, 1, none a detection) and
// additionalOccurrences set, as Macie does past its own cap.
func fit(f *findings.Finding, limit int, render func(*findings.Finding) ([]byte, error)) ([]byte, *findings.Finding, error) {
	b, err := render(f)
	if err != nil || len(b) <= limit {
		return b, f, err
	}
	for _, keep := range []int{7, 3, 1, 0} {
		t := trimmed(f, keep)
		if b, err = render(t); err != nil || len(b) <= limit {
			return b, t, err
		}
	}
	return nil, nil, fmt.Errorf("finding %s is %d bytes without its locations, over the limit of %d", f.ID, len(b), limit)
}

// trimmed is a copy of f with at most keep locations of each kind per
// detection.
func trimmed(f *findings.Finding, keep int) *findings.Finding {
	t := *f
	res := &t.ClassificationDetails.Result
	res.AdditionalOccurrences = true
	sd := make([]findings.SensitiveDataItem, len(res.SensitiveData))
	for i, item := range res.SensitiveData {
		item.Detections = append([]findings.DefaultDetection(nil), item.Detections...)
		for j := range item.Detections {
			item.Detections[j].Occurrences = cut(item.Detections[j].Occurrences, keep)
		}
		sd[i] = item
	}
	res.SensitiveData = sd
	cd := append([]findings.CustomDetection(nil), res.CustomDataIdentifiers.Detections...)
	for i := range cd {
		cd[i].Occurrences = cut(cd[i].Occurrences, keep)
	}
	res.CustomDataIdentifiers.Detections = cd
	return &t
}

func cut(o findings.Occurrences, keep int) findings.Occurrences {
	o.LineRanges = o.LineRanges[:min(keep, len(o.LineRanges))]
	o.Cells = o.Cells[:min(keep, len(o.Cells))]
	o.Pages = o.Pages[:min(keep, len(o.Pages))]
	o.Records = o.Records[:min(keep, len(o.Records))]
	return o
}

func marshalFinding(f *findings.Finding) ([]byte, error) { return json.Marshal(f) }

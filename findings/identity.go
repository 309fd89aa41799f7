package findings

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
)

// findingID derives a finding's ID from what identifies it only: the
// account, the object (bucket, key, and its version ID, ETag or content
// hash), the finding type, and each detection type with its count. Times
// and job IDs are left out, so scanning an unchanged object again yields
// the same ID (a store records the run as a sighting), and a changed
// object yields a new one.
func findingID(f *Finding, o Object) string {
	version := "v:" + o.VersionID
	switch {
	case o.VersionID != "":
	case o.ETag != "":
		version = "e:" + o.ETag
	case o.SHA256 != "":
		version = "s:" + o.SHA256
	}
	var dets []string
	res := f.ClassificationDetails.Result
	for _, item := range res.SensitiveData {
		for _, d := range item.Detections {
			dets = append(dets, fmt.Sprintf("%s=%d", d.Type, d.Count))
		}
	}
	for _, d := range res.CustomDataIdentifiers.Detections {
		dets = append(dets, fmt.Sprintf("custom:%s=%d", d.Name, d.Count))
	}
	slices.Sort(dets)
	h := sha256.New()
	for _, part := range append([]string{f.AccountID, o.Bucket, o.Key, version, f.Type}, dets...) {
		fmt.Fprintf(h, "%d:%s", len(part), part) // length-prefixed: no two lists hash alike
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

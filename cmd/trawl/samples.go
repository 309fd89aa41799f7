package main

import (
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings"
)

// sampleFlags show masked samples of detected values in the scan's
// output: never by default, never unmasked, never in discovery results,
// in events sent elsewhere, or in the store unless --store-samples.
type sampleFlags struct {
	show  bool
	store bool
}

func (s *sampleFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&s.show, "show-samples", false, "add up to 3 masked samples per detection to the findings printed (detections[].samples, e.g. ************1111)")
	fl.BoolVar(&s.store, "store-samples", false, "keep the masked samples in the findings store too (with --show-samples)")
}

func (s *sampleFlags) check(sf *storeFlags) error {
	if s.store && !s.show {
		return usageError("--store-samples keeps the samples --show-samples makes: give both")
	}
	sf.keepSamples = s.store
	return nil
}

// publishers strips samples from what is sent to other services.
func (s *sampleFlags) publishers(ps []findings.Sink) []findings.Sink {
	if !s.show {
		return ps
	}
	out := make([]findings.Sink, len(ps))
	for i, p := range ps {
		out[i] = withoutSamples{p}
	}
	return out
}

type withoutSamples struct{ next findings.Sink }

func (w withoutSamples) Put(r *findings.Result, f *findings.Finding) error {
	return w.next.Put(r, findings.WithoutSamples(f))
}

func (w withoutSamples) Close() error { return w.next.Close() }

// stored is the finding as the store keeps it.
func (sf *storeFlags) stored(f *findings.Finding) *findings.Finding {
	if sf.keepSamples {
		return f
	}
	return findings.WithoutSamples(f)
}

// idOf is a finding's ID, "" for none.
func idOf(f *findings.Finding) string {
	if f == nil {
		return ""
	}
	return f.ID
}

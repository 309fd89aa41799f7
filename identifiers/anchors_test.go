package identifiers

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAnchorMasks: the SIMD pass flags every place where a search byte
// of the anchors follows a byte its anchors have before it (mayBegin),
// and with one bucket per search byte no other (with SIMD; without, it
// must do nothing).
func TestAnchorMasks(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	anchors := []anchor{
		{lit: "hvs.", rare: 1}, {lit: "eyJ", rare: 2}, {lit: "+49", rare: 0}, {lit: "(01)", rare: 0},
		{lit: "exp", fold: true, rare: 1}, {lit: "ghp_", rare: 3}, {lit: "sk_live_", rare: 2},
	}
	abs, _ := groupAnchors(anchors)
	f := newAnchorFilter(abs, false)
	// With more search bytes than buckets, the filter may flag more, but
	// never less.
	all, _ := managed(t)
	if len(all.anchorBytes) <= 8 {
		t.Fatalf("%d search bytes: no merged buckets to test", len(all.anchorBytes))
	}
	const alphabet = "abc hvsxXyJeE+(\xc3\xa9kp_:DEGBZ@["
	text := make([]byte, 4096+17)
	for k := range text {
		text[k] = alphabet[r.IntN(len(alphabet))]
	}
	var masks [64]uint32
	for _, from := range []int{1, 31, 100} {
		n := anchorMasksSIMD(text, from, f, masks[:])
		if !haveSIMD {
			if n != 0 {
				t.Fatal("a SIMD pass without SIMD")
			}
			return
		}
		if want := min(len(masks), (len(text)-from)/32); n != want {
			t.Errorf("from %d: %d steps, want %d", from, n, want)
		}
		for k := range n * 32 {
			at := from + k
			want := slices.ContainsFunc(abs, func(ab anchorByte) bool { return ab.b == text[at] && ab.mayBegin(text, at) })
			if got := masks[k/32]>>(k%32)&1 != 0; got != want {
				t.Fatalf("from %d, byte %d (%q after %q): flagged %v, want %v", from, at, text[at], text[at-1], got, want)
			}
		}
		anchorMasksSIMD(text, from, all.anchorFilter, masks[:])
		for k := range n * 32 {
			at := from + k
			if k := all.anchorOf[text[at]]; k >= 0 && all.anchorBytes[k].mayBegin(text, at) && masks[(at-from)/32]>>((at-from)%32)&1 == 0 {
				t.Fatalf("from %d, byte %d (%q after %q): not flagged by the whole catalogue's filter", from, at, text[at], text[at-1])
			}
			// The catalogue has pair anchors (IBANs' country codes):
			// its filter flags every capital after a capital too.
			if isUpper(text[at]) && isUpper(text[at-1]) && masks[(at-from)/32]>>((at-from)%32)&1 == 0 {
				t.Fatalf("from %d, byte %d (%q after %q): a capital pair not flagged", from, at, text[at], text[at-1])
			}
		}
	}
}

// TestFindAnchorsEveryWay: the one-pass search (SIMD), the pass per byte,
// and a plain search for each anchor's every occurrence find the same
// anchors, wherever they sit in the 32-byte steps and the tail, with and
// without the byte before that the anchor's search byte needs ("h" of
// "hvs.").
func TestFindAnchorsEveryWay(t *testing.T) {
	t.Parallel()
	// The benchmarks' set: the catalogue and custom identifiers of the
	// kinds users write, with more search bytes than the filter has
	// buckets.
	e, err := NewEngine(benchAllIdentifiers(t))
	if err != nil {
		t.Fatal(err)
	}
	if e.anchorFilter == nil || len(e.anchorBytes) <= 8 {
		t.Fatalf("%d anchor bytes, no filter: the test proves nothing", len(e.anchorBytes))
	}
	pieces := []string{"the ", "vs. ", "hvs.", "HVS.", "exp", "EXP", "Exp", "nexp", "eyJ", "xeyJ", "+49", "+4",
		"authorization", "AUTHORIZATIO", "-----BEGIN ", "Cookie:", "cookie", "gho_", "ghq_", "sk_live_", "z", "(01)", "T",
		"hooks.slack.com/services/T", ".corp.example.com", "1Z", "Zürich",
		// Pair anchors (IBANs' country codes, "AIza"), found in the same
		// pass, and capital pairs that begin none.
		"DE89", "DE", "GB82", "FR14", "AIza", "QQ", "XDE", "@[", "D"}
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 40 {
		var b bytes.Buffer
		for b.Len() < 64+round*7 {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.Bytes()
		// What a search for each anchor finds.
		want := make([][]int, len(e.rules))
		for _, a := range e.anchors {
			for p := range text {
				w := text[p:min(p+len(a.lit), len(text))]
				if len(w) == len(a.lit) && (a.fold && bytes.EqualFold(w, []byte(a.lit)) || string(w) == a.lit) {
					for _, i := range a.rules {
						want[i] = append(want[i], p)
					}
				}
			}
		}
		one := e.anchorFilter
		for _, f := range []*anchorFilter{one, nil} {
			e.anchorFilter = f // this test's own Engine
			st := e.pool.Get().(*scanState)
			st.text = text
			e.findAnchors(text, st)
			for i := range e.rules {
				got := slices.Clone(st.anchors[i])
				slices.Sort(got)
				if !slices.Equal(got, want[i]) {
					t.Errorf("round %d, filter %v: %s anchored at %v, want %v", round, f != nil, e.rules[i].ID, got, want[i])
				}
			}
			e.release(st)
		}
		e.anchorFilter = one
	}
}

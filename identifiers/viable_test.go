package identifiers

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/trawlsec/trawl/formats"
)

// TestViableShapes checks that Macie's whole catalogue sorts runs by shape
// with every digit alike, so that prose's numbers share a few shapes.
func TestViableShapes(t *testing.T) {
	e, _ := managed(t)
	if e.viableRep == nil {
		t.Fatal("no run shapes for the whole catalogue")
	}
	for d := byte('0'); d <= '9'; d++ {
		if e.viableRep[d] != e.viableRep['0'] {
			t.Errorf("digit %c has its own stand-in", d)
		}
	}
	if e.viableRep['a'] == e.viableRep['0'] || e.viableRep[' '] == e.viableRep['-'] {
		t.Error("run shapes lose bytes the patterns tell apart")
	}
	few, err := NewEngine(benchIdentifiers(t))
	if err != nil {
		t.Fatal(err)
	}
	if few.viableRep != nil {
		t.Error("run shapes without many keyword rules: each rule checks its own window there")
	}
}

// TestViableAgreesWithout scans the benchmark corpora with run shapes and
// without (the general path): the detections must be the same, and the
// shapes must have ruled rules out (or the test proves nothing).
func TestViableAgreesWithout(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 4 x 512 KiB twice")
	}
	with, err := NewEngine(Managed())
	if err != nil {
		t.Fatal(err)
	}
	without, err := NewEngine(Managed())
	if err != nil {
		t.Fatal(err)
	}
	without.viableRep = nil
	for _, kind := range []CorpusKind{CorpusProse, CorpusLogs, CorpusCSV, CorpusJSONL} {
		text := BenchCorpus(kind)[:512<<10]
		var got, want []Detection
		with.Scan(wholeSegment(text), func(d Detection) { got = append(got, d) })
		without.Scan(wholeSegment(text), func(d Detection) { want = append(want, d) })
		same := slices.EqualFunc(got, want, func(a, b Detection) bool {
			return a.Identifier.ID == b.Identifier.ID && a.Start == b.Start && a.End == b.End
		})
		if !same {
			t.Errorf("%s: %d detections with run shapes, %d without", kind, len(got), len(want))
		}
	}
	// A decimal amount between words fits the patterns of few of the
	// rules its digits admit (a CVV's and an expiry's, whose widened
	// patterns take any four digits), so few look for keywords there.
	text := []byte("revenue was 1430.81 after the review")
	st := with.begin(&formats.Segment{Text: text})
	defer with.release(st)
	a, b := 12, 19
	groups := with.groupsFor(6, b-a, 4)
	admitted := 0
	for g := range with.digitGroups {
		if groups>>g&1 != 0 {
			admitted += len(with.digitGroups[g].rules)
		}
	}
	v, ok := with.viableIn(a, b, groups, st)
	if !ok {
		t.Fatal("run shape not memoised")
	}
	var viable []string
	for i := range with.rules {
		if v.rules.has(i) && !with.free.has(i) {
			viable = append(viable, with.rules[i].ID)
		}
	}
	if admitted < 10 || len(viable) > 2 || slices.Contains(viable, "USA_SOCIAL_SECURITY_NUMBER") {
		t.Errorf("%d rules admitted by digits, %d viable: %v", admitted, len(viable), viable)
	}
	if v.groups&^groups != 0 {
		t.Error("viable groups outside those the run's digits admit")
	}
	// Its plain-number rules (a CVV's and an expiry's) are marked, and
	// the fixed groups are the others' only.
	var fixed uint64
	for i := range with.rules {
		if !v.rules.has(i) {
			continue
		}
		if k := with.plain.index(i); k >= 0 {
			if v.plain>>k&1 == 0 {
				t.Errorf("%s: a plain-number rule not marked", with.rules[i].ID)
			}
		} else {
			fixed |= 1 << with.groupOf[i]
		}
	}
	if fixed != v.fixed {
		t.Errorf("fixed groups %b, want %b", v.fixed, fixed)
	}
}

// TestShapeHashSpreads: shapes that differ in one byte, or only in
// length, hash apart (the memo compares shapes whole, so this is about
// its probes, not its answers).
func TestShapeHashSpreads(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(5)
	seen := map[uint64]string{}
	for n := 1; n <= 24; n++ {
		for range 200 {
			key := []byte(randFrom(r, "0. ,-/a", n))
			for k := range key {
				for _, c := range []byte{'0', '.', ' ', 'x'} {
					v := append([]byte(nil), key...)
					v[k] = c
					h := shapeHash(v)
					if old, ok := seen[h]; ok && old != string(v) {
						t.Fatalf("%q and %q share a hash", old, v)
					}
					seen[h] = string(v)
				}
			}
		}
	}
	if shapeHash([]byte("0000000")) == shapeHash([]byte("00000000")) {
		t.Error("shapes of 7 and 8 zeros share a hash")
	}
}

// TestDigitsZeroed: every byte value, in every lane, among random others.
func TestDigitsZeroed(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(9)
	for c := range 256 {
		for lane := range 8 {
			var in [8]byte
			for k := range in {
				in[k] = byte(r.IntN(256))
			}
			in[lane] = byte(c)
			got := digitsZeroed(binary.LittleEndian.Uint64(in[:]))
			for k, x := range in {
				want := x
				if '0' <= x && x <= '9' {
					want = '0'
				}
				if g := byte(got >> (8 * k)); g != want {
					t.Fatalf("lane %d of % x: %#x, want %#x", k, in, g, want)
				}
			}
		}
	}
}

// TestShortShapes: windows whose short keys are equal have equal shapes
// by the stand-ins (the memo's answers hold for both), and the short key
// tells apart lengths and which ends are context.
func TestShortShapes(t *testing.T) {
	e, _ := managed(t)
	rep := e.viableRep
	r := NewCorpusRand(11)
	long := func(text []byte, a, b, lo, hi int) string {
		key := []byte{byte(a-lo) | byte(hi-b)<<1}
		for _, c := range text[lo:hi] {
			key = append(key, rep[c])
		}
		return string(key)
	}
	byShort := map[shortShape]string{}
	shapes := map[string]bool{}
	for range 200000 {
		// Runs of digits and the superset's other bytes, with context
		// (or none) of letters and punctuation either side.
		text := []byte(randFrom(r, "aZ.é-x", 2) + randFrom(r, "0123456789 .-/ck", 1+r.IntN(15)) + randFrom(r, "aZ.é-x", 18))
		a := 2 - r.IntN(2)
		b := a + 1 + r.IntN(len(text)-18-a)
		lo, hi := a-r.IntN(2), b+r.IntN(2)
		if hi-lo > 16 || lo+16 > len(text) {
			continue
		}
		k, h := shortKey(text, a, b, lo, hi, rep)
		// Bytes outside the window (the 16 read) must not count.
		other := slices.Clone(text)
		for q := range other {
			if q < lo || q >= hi {
				other[q] = "0 a.Z"[r.IntN(5)]
			}
		}
		if k2, h2 := shortKey(other, a, b, lo, hi, rep); k2 != k || h2 != h {
			t.Fatalf("short key of a window of %d bytes depends on the bytes around it", hi-lo)
		}
		l := long(text, a, b, lo, hi)
		shapes[l] = true
		if old, ok := byShort[k]; ok && old != l {
			t.Fatalf("windows of different shapes share a short key (%q and %q)", old, l)
		}
		byShort[k] = l
	}
	if len(byShort) < 2*len(shapes)/3 || len(shapes) < 1000 {
		t.Errorf("%d short keys for %d shapes: the test makes too few alike", len(byShort), len(shapes))
	}
}

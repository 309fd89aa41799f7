package identifiers

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNibbleSet: a nibble set holds exactly its bytes, and there is none
// for bytes of more than eight high nibbles.
func TestNibbleSet(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		var set []byte
		var in byteSet
		nibbles := map[byte]bool{}
		for range r.IntN(20) + 1 {
			c := byte(r.IntN(256))
			if !nibbles[c>>4] && len(nibbles) == 8 {
				continue
			}
			nibbles[c>>4] = true
			set = append(set, c)
			in.add(c)
		}
		ns := newNibbleSet(set)
		if ns == nil {
			t.Fatalf("no nibble set for %q (%d high nibbles)", set, len(nibbles))
		}
		for c := range 256 {
			for _, half := range []int{0, 16} {
				if got := ns.lo[half+c&15]&ns.hi[half+c>>4] != 0; got != in[c] {
					t.Fatalf("set %q, half %d: byte %#x in it %v, want %v", set, half, c, got, in[c])
				}
			}
		}
	}
	if newNibbleSet([]byte("\x00\x10\x20\x30\x40\x50\x60\x70\x80")) != nil {
		t.Error("a nibble set of nine high nibbles")
	}
}

// TestSetMasks holds the SIMD pass that flags a nibble set's bytes to a
// byte-by-byte test (with SIMD; without, it must do nothing).
func TestSetMasks(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	set := []byte("v_-:xXzZJT(+\xc3")
	ns := newNibbleSet(set)
	text := make([]byte, 4096+17)
	const alphabet = "abc vxZ_(\xc3\xa9T+-:"
	for k := range text {
		text[k] = alphabet[r.IntN(len(alphabet))]
	}
	var masks [64]uint32
	for _, from := range []int{0, 1, 31, 100} {
		n := setMasksSIMD(text, from, ns, masks[:])
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
			c := text[from+k]
			if got := masks[k/32]>>(k%32)&1 != 0; got != bytes.Contains(set, []byte{c}) {
				t.Fatalf("from %d, byte %d (%#x): flagged %v", from, k, c, got)
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
	custom, err := ParseCustom([]byte("- {name: Vault token, regex: 'hvs\\.[A-Za-z0-9_-]{24,}'}\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(append(Managed(), custom...))
	if err != nil {
		t.Fatal(err)
	}
	if e.anchorSet == nil || len(e.anchorBytes) < 8 {
		t.Fatalf("%d anchor bytes, no nibble set: the test proves nothing", len(e.anchorBytes))
	}
	pieces := []string{"the ", "vs. ", "hvs.", "HVS.", "exp", "EXP", "Exp", "nexp", "eyJ", "xeyJ", "+49", "+4",
		"authorization", "AUTHORIZATIO", "-----BEGIN ", "Cookie:", "cookie", "gho_", "ghq_", "sk_live_", "z", "(01)", "T"}
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
		one := e.anchorSet
		for _, set := range []*nibbleSet{one, nil} {
			e.anchorSet = set // this test's own Engine
			st := e.pool.Get().(*scanState)
			st.text = text
			e.findAnchors(text, st)
			for i := range e.rules {
				got := slices.Clone(st.anchors[i])
				slices.Sort(got)
				if !slices.Equal(got, want[i]) {
					t.Errorf("round %d, nibble set %v: %s anchored at %v, want %v", round, set != nil, e.rules[i].ID, got, want[i])
				}
			}
			e.release(st)
		}
		e.anchorSet = one
	}
}

package identifiers

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/trawlsec/trawl/formats"
)

// TestPlainRules: with Macie's whole catalogue, the keyword rules whose
// patterns fit an ordinary number are the card security code's and the
// expiry year's, and their keywords begin with few enough pairs for the
// pair scan; a set without such rules has no pair scan.
func TestPlainRules(t *testing.T) {
	t.Parallel()
	all, _ := managed(t)
	if all.plain == nil {
		t.Fatal("ALL: no plain-number rules")
	}
	var ids []string
	for _, i := range all.plain.rules {
		ids = append(ids, all.rules[i].ID)
	}
	slices.Sort(ids)
	if want := []string{"CREDIT_CARD_EXPIRATION", "CREDIT_CARD_SECURITY_CODE"}; !slices.Equal(ids, want) {
		t.Errorf("ALL: plain-number rules %v, want %v", ids, want)
	}
	few, err := Select(SelectNone, firstSetIDs, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(few)
	if err != nil {
		t.Fatal(err)
	}
	if e.plain != nil {
		t.Error("the first set: a pair scan, but no rule fits plain numbers")
	}
}

// naivePlain is what plainKeywords.scan must find: every word start in
// text[from:to] where one of the plain rules' keyword variants begins.
func naivePlain(p *plainKeywords, text []byte, from, to int) []plainHit {
	var out []plainHit
	for q := from; q < to; q++ {
		if !keywordStartsWord(text, q) {
			continue
		}
		var rules uint8
		p.kw.at(text, q, func(v, _, _ int) { rules |= p.bits[v] })
		if rules != 0 {
			out = append(out, plainHit{q, rules})
		}
	}
	return out
}

// TestPlainScan holds the pair scan (SIMD, word at a time, byte at a time)
// to the per-byte search, on texts dense with the keywords, their first
// pairs and near misses, over windows that start and end anywhere.
func TestPlainScan(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	p := e.plain
	words := []string{
		"cvv", "CVC2", "card id", "Card-Verification-Value", "cardid", "exp m", "EXPIRY", "expiration",
		"elo verification code", "ca", "cv", "ex", "el", "expect", "card", "xcvv", "scard id", "userCvv",
		"é", "the", "7", " ", "\n", ":", "-", "_",
	}
	r := NewCorpusRand(11)
	for n := range 300 {
		var text []byte
		for len(text) < 1+r.IntN(400) {
			text = append(text, words[r.IntN(len(words))]...)
			if r.IntN(2) == 0 {
				text = append(text, ' ')
			}
		}
		from := r.IntN(len(text))
		to := from + r.IntN(len(text)-from+1)
		got := p.scan(text, from, to, nil)
		want := naivePlain(p, text, from, to)
		if !slices.Equal(got, want) {
			t.Fatalf("text %d (%d bytes, [%d,%d)): scan found %v, want %v", n, len(text), from, to, got, want)
		}
	}
}

// TestPlainNear: windows of one stretch, in order and out of it, see the
// keywords that start in them and no others.
func TestPlainNear(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	p := e.plain
	text := []byte(fmt.Sprintf("%-100s%-100s%-100s", "the cvv is", "nothing here", "expiry date"))
	var ps plainState
	cvv := uint8(0)
	for k, i := range p.rules {
		if e.rules[i].ID == "CREDIT_CARD_SECURITY_CODE" {
			cvv = 1 << k
		}
	}
	for _, c := range []struct {
		lo, hi int
		cvv    bool
		any    bool
	}{
		{0, 50, true, true},
		{40, 150, false, false},
		{0, 8, true, true}, // behind the stretch: a new one
		{8, 150, false, false},
		{150, 250, false, true}, // the expiry keyword
		{260, 300, false, false},
	} {
		got := p.near(text, c.lo, c.hi, &ps)
		if got&cvv != 0 != c.cvv || got != 0 != c.any {
			t.Errorf("[%d,%d): rules %08b, want cvv %v, any %v", c.lo, c.hi, got, c.cvv, c.any)
		}
	}
	// A stretch begun past the start (by an anchor's look-up) and then
	// reached from behind: it is scanned back, each hit once, in order.
	ps = plainState{}
	for _, c := range []struct {
		lo, hi   int
		cvv, any bool
	}{
		{150, 250, false, true},
		{0, 50, true, true},
		{8, 150, false, false},
		{150, 250, false, true},
	} {
		got := p.near(text, c.lo, c.hi, &ps)
		if got&cvv != 0 != c.cvv || got != 0 != c.any {
			t.Errorf("again, [%d,%d): rules %08b, want cvv %v, any %v", c.lo, c.hi, got, c.cvv, c.any)
		}
	}
	want := p.scan(text, 0, ps.to, nil)
	if ps.from != 0 || !slices.Equal(ps.hits, want) {
		t.Errorf("stretch from %d: hits %v, want %v", ps.from, ps.hits, want)
	}
}

// TestPlainDropsOnlyFarRules: a plain number keeps the card security
// code's rule when its keyword is near, in the text or in the part's
// structural name, and loses it otherwise; the other rules stay.
func TestPlainDropsOnlyFarRules(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	cvv := -1
	for _, i := range e.plain.rules {
		if e.rules[i].ID == "CREDIT_CARD_SECURITY_CODE" {
			cvv = i
		}
	}
	for k, c := range []struct {
		text, ctx string
		keep      bool
	}{
		{"the report says 472 units", "", false},
		{"the CVV2 is 472 here", "", true},
		{"472", "cvv", true},
		{"472", "notes", false},
		{"card id" + fmt.Sprintf("%80s", "") + "472", "", false}, // beyond the distance and the longest keyword
	} {
		text := []byte(c.text)
		st := e.begin(&formats.Segment{Text: text, Context: []string{c.ctx}})
		a := bytes.Index(text, []byte("472"))
		free := -1
		for i := range e.rules {
			if e.free.has(i) && e.groupOf[i] >= 0 && e.groupOf[i] != e.groupOf[cvv] {
				free = i
				break
			}
		}
		v := viableEntry{rules: newRuleSet(len(e.rules)), plain: 1 << e.plain.index(cvv), fixed: 1 << e.groupOf[free]}
		v.rules.add(cvv)
		v.rules.add(free)
		groups, live := e.dropPlain(a, a+3, &v, ^uint64(0), st)
		if live.has(cvv) != c.keep || groups>>e.groupOf[cvv]&1 != 0 != c.keep {
			t.Errorf("case %d (%d bytes, %d-byte name): card security code kept %v (its group %v), want %v", k, len(c.text), len(c.ctx), live.has(cvv), groups>>e.groupOf[cvv]&1 != 0, c.keep)
		}
		if !live.has(free) || groups>>e.groupOf[free]&1 == 0 {
			t.Errorf("case %d: a free rule or its group was dropped", k)
		}
		if !v.rules.has(cvv) {
			t.Errorf("case %d: the memo's entry was changed", k)
		}
		// Asked only for the free rule's group's neighbours, a number
		// with no keyword near leaves no group and no set.
		if groups, live := e.dropPlain(a, a+3, &v, 1<<e.groupOf[cvv], st); groups != 0 != c.keep || live == nil == c.keep {
			t.Errorf("case %d: for the card security code's group alone, groups %b and set %v, want kept %v", k, groups, live != nil, c.keep)
		}
		e.release(st)
	}
}

// TestFindPairAnchors holds the pair anchor search (SIMD and word at a
// time) to a byte-at-a-time one, on texts of capitals and other bytes.
func TestFindPairAnchors(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	if e.pairAnchors == nil {
		t.Fatal("ALL has pair anchors (the IBAN country codes)")
	}
	r := NewCorpusRand(12)
	pieces := []string{"A", "Z", "x", " ", "é", "1", "@", "["}
	for _, a := range e.anchors {
		if a.byPair() {
			pieces = append(pieces, a.lit, a.lit[:2])
		}
	}
	for n := range 1000 {
		var text []byte
		for len(text) < r.IntN(300) {
			text = append(text, pieces[r.IntN(len(pieces))]...)
		}
		st := e.pool.Get().(*scanState)
		e.findPairAnchors(text, st)
		got := map[int][]int{}
		for i, pos := range st.anchors {
			if len(pos) > 0 {
				got[i] = slices.Clone(pos)
			}
		}
		e.release(st)
		want := map[int][]int{}
		for p := 0; p+1 < len(text); p++ {
			if !isUpper(text[p]) || !isUpper(text[p+1]) {
				continue
			}
			for _, k := range e.pairAnchors.byPair[pairIndex(text[p], text[p+1])] {
				a := &e.anchors[k]
				if p+len(a.lit) <= len(text) && string(text[p:p+len(a.lit)]) == a.lit {
					for _, i := range a.rules {
						want[i] = append(want[i], p)
					}
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("text %d (%d bytes): anchors %v, want %v", n, len(text), got, want)
		}
	}
}

// TestPlainNearSameKeywords: the expiry field's entry, found by its "exp"
// anchor, shares the expiry year's keywords, so the pair scan rules out
// its candidates with none of them near ("expected"), and only those.
func TestPlainNearSameKeywords(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	field := -1
	for i, r := range e.rules {
		if r.ID == "CREDIT_CARD_EXPIRATION" && e.plain.index(i) < 0 {
			field = i
		}
	}
	if field < 0 || e.plain.same[field] == 0 {
		t.Fatal("the expiry field's entry does not share the expiry year's keywords")
	}
	for k, c := range []struct {
		text string
		near bool
	}{
		{"as expected: 12 units", false},
		{`{"expY": 2026}`, true},
		{"card expiry: 09", true},
	} {
		text := []byte(c.text)
		st := e.begin(&formats.Segment{Text: text})
		if got := e.plainNear(field, 0, len(text), st); got != c.near {
			t.Errorf("case %d: keyword near %v, want %v", k, got, c.near)
		}
		e.release(st)
	}
}

// TestPairMasks holds the SIMD pair pass, for one to eight pairs, to a
// byte-by-byte test (with SIMD; without, it must do nothing).
func TestPairMasks(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(17)
	text := make([]byte, 3000)
	for k := range text {
		text[k] = "abcABC x."[r.IntN(9)]
	}
	var masks [64]uint32
	for np := 1; np <= 8; np++ {
		var firsts, seconds []byte
		for range np {
			firsts, seconds = append(firsts, "abcx."[r.IntN(5)]), append(seconds, "abcx "[r.IntN(5)])
		}
		from := r.IntN(40)
		n := pairMasksSIMD(text, from, len(text), firsts, seconds, masks[:])
		if !haveSIMD {
			if n != 0 {
				t.Fatal("a SIMD pass without SIMD")
			}
			return
		}
		if n == 0 {
			t.Fatalf("%d pairs: no steps", np)
		}
		for k := range 32 * n {
			c := from + k
			want := false
			for j := range firsts {
				want = want || text[c]|0x20 == firsts[j] && text[c+1]|0x20 == seconds[j]
			}
			if got := masks[k/32]>>(k%32)&1 != 0; got != want {
				t.Fatalf("%d pairs %q %q, offset %d (%q): flagged %v, want %v", np, firsts, seconds, c, text[c:c+2], got, want)
			}
		}
	}
}

package identifiers

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trawlsec/trawl/internal/corpus"
)

// validate runs a validator on the whole of s.
func validate(f func([]byte, int, int) bool, s string) bool { return f([]byte(s), 0, len(s)) }

// validateIn runs a validator on the marked span of s.
func validateIn(f func([]byte, int, int) bool, s string) bool {
	text, spans := unmark(s)
	return f(text, spans[0].Start, spans[0].End)
}

func TestLuhn(t *testing.T) {
	t.Parallel()
	if corpus.LuhnDigit("7992739871") != '3' || !luhn([]byte("79927398713")) {
		t.Fatal("the textbook example 79927398713 must pass Luhn")
	}
	for i, bad := range []string{"79927398710", "79927398714", "", "1"} {
		if luhn([]byte(bad)) {
			t.Errorf("luhn accepts bad number %d", i)
		}
	}
	r := NewCorpusRand(1)
	for range 2000 {
		n := GenCard(r, "", 8+r.IntN(12))
		if !luhn([]byte(n)) {
			t.Fatalf("luhn rejects a generated %d-digit number", len(n))
		}
		if luhn([]byte(corpus.BadLuhn(n))) {
			t.Fatalf("luhn accepts a broken %d-digit number", len(n))
		}
		// Swapping two adjacent different digits (not 0/9) is caught.
		for i := 0; i+1 < len(n); i++ {
			a, b := n[i], n[i+1]
			if a != b && !(a == '0' && b == '9' || a == '9' && b == '0') {
				sw := n[:i] + string(b) + string(a) + n[i+2:]
				if luhn([]byte(sw)) {
					t.Fatalf("luhn misses a transposition at %d", i)
				}
				break
			}
		}
	}
}

func TestCardPrefixesAndLengths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		prefix string
		length int
		want   bool
	}{
		{"4", 13, true}, {"4", 16, true}, {"4", 19, true}, {"4", 14, true},
		{"34", 15, true}, {"37", 15, true}, {"34", 16, false}, {"37", 14, false},
		{"51", 16, true}, {"55", 16, true}, {"56", 16, false}, {"50", 16, false}, {"55", 19, false},
		{"2221", 16, true}, {"2720", 16, true}, {"2220", 16, false}, {"2721", 16, false},
		{"6011", 16, true}, {"6011", 19, true}, {"644", 16, true}, {"65", 19, true}, {"6012", 16, false},
		{"622126", 16, true}, {"62", 16, true}, {"81", 16, true},
		{"3528", 16, true}, {"3589", 19, true}, {"3527", 16, false},
		{"300", 14, true}, {"305", 14, true}, {"306", 14, false}, {"36", 14, true}, {"38", 14, true}, {"3095", 14, true},
		{"5019", 16, true}, {"4571", 16, true},
		{"1", 16, false}, {"7", 16, false}, {"9", 16, false}, {"0", 16, false},
	} {
		d := tc.prefix + strings.Repeat("0", tc.length-len(tc.prefix))
		if got := knownCardPrefix([]byte(d)); got != tc.want {
			t.Errorf("prefix %s length %d: got %v, want %v", tc.prefix, tc.length, got, tc.want)
		}
	}
}

func TestValidCard(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(2)
	v16, amex, diners := GenCard(r, "4", 16), GenCard(r, "37", 15), GenCard(r, "36", 14)
	for _, tc := range []struct {
		name string
		v    string
		want bool
	}{
		{"compact", v16, true},
		{"spaces 4-4-4-4", GroupBy(v16, 4, " "), true},
		{"hyphens 4-4-4-4", GroupBy(v16, 4, "-"), true},
		{"Amex 4-6-5", GroupCard(amex, " "), true},
		{"Diners 4-6-4", GroupCard(diners, "-"), true},
		{"Amex in fours", GroupBy(amex, 4, " "), true}, // 4-4-4-3
		{"19 digits 4-4-4-4-3", GroupBy(GenCard(r, "4", 19), 4, " "), true},
		{"13 digits 4-4-4-1", GroupBy(GenCard(r, "4", 13), 4, " "), true},
		{"mixed separators", v16[:4] + " " + v16[4:8] + "-" + v16[8:12] + " " + v16[12:], false},
		{"groups of 3", GroupBy(v16, 3, " "), false},
		{"4-6-6", v16[:4] + " " + v16[4:10] + " " + v16[10:], false},
		{"groups 8-8", GroupBy(v16, 8, " "), false},
		{"Luhn fails", corpus.BadLuhn(v16), false},
		{"too short", GenCard(r, "4", 12), false},
		{"too long", GenCard(r, "4", 20), false},
	} {
		if got := validate(validCard, tc.v); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	for n := range testCards {
		if validate(validCard, n) {
			t.Errorf("a published test number of %d digits passes", len(n))
		}
	}
	for i, n := range []string{"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "76009244561"} {
		if !testCards[n] {
			t.Errorf("test number %d of Macie's list is missing from testCards", i)
		}
	}
	// All of Macie's 55, and processors' test numbers such as Stripe's.
	macie := strings.Fields(macieTestCards)
	for i, n := range macie {
		if !testCards[n] {
			t.Errorf("test number %d of Macie's list is not ignored", i)
		}
	}
	if len(macie) != 55 || !testCards["4242424242424242"] || !testCards["5500000000000004"] {
		t.Errorf("Macie lists 55 test numbers, not %d; processors' test numbers must be ignored too", len(macie))
	}
}

func TestValidSSN(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct {
		v    string
		want bool
	}{
		{"536-22-8142", true}, {"536 22 8142", true}, {"536228142", true},
		{"001-01-0001", true}, {"665-99-9999", true}, {"667-01-0001", true}, {"899-12-3456", true},
		{"000-22-8142", false}, {"666-22-8142", false}, {"900-22-8142", false}, {"999-22-8142", false},
		{"536-00-8142", false}, {"536-22-0000", false},
		{"078-05-1120", false}, {"219-09-9999", false},
		{"536-22 8142", false}, {"536 22-8142", false},
		{"53622814", false}, {"5362281420", false},
	} {
		if got := validate(validSSN, tc.v); got != tc.want {
			t.Errorf("case %d: got %v, want %v", i, got, tc.want)
		}
	}
	r := NewCorpusRand(3)
	for range 1000 {
		if !validate(validSSN, GenSSN(r)) {
			t.Fatal("a generated SSN fails")
		}
	}
}

func TestValidIBAN(t *testing.T) {
	t.Parallel()
	// Published examples (ISO 13616 / national bank documentation) check the
	// generator's arithmetic against an outside source.
	for _, iban := range []string{
		"GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
		"IT60X0542811101000000123456", "NL91ABNA0417164300", "ES9121000418450200051332",
	} {
		if got := corpus.IBAN(iban[:2], iban[4:])[2:4]; got != iban[2:4] {
			t.Errorf("%s example: generator computes check digits %s", iban[:2], got)
		}
		if !validate(validIBAN, iban) || !validate(validIBAN, GroupBy(iban, 4, " ")) || !validate(validIBAN, GroupBy(iban, 4, "-")) {
			t.Errorf("%s example fails validation", iban[:2])
		}
	}
	r := NewCorpusRand(4)
	for _, cc := range []string{"FR", "DE", "IT", "NL", "ES", "GB"} {
		for range 200 {
			iban := GenIBAN(r, cc)
			if !validate(validIBAN, iban) {
				t.Fatalf("%s: a generated IBAN fails", cc)
			}
			if validate(validIBAN, breakCheckDigits(iban)) {
				t.Fatalf("%s: wrong check digits pass", cc)
			}
			// Any single changed character is caught by mod 97.
			i := 4 + r.IntN(len(iban)-4)
			alt := byte('0' + (iban[i]-'0'+1)%10)
			if iban[i] >= 'A' {
				alt = 'A' + (iban[i]-'A'+1)%26
			}
			if validate(validIBAN, iban[:i]+string(alt)+iban[i+1:]) {
				t.Fatalf("%s: a changed character at %d passes", cc, i)
			}
		}
	}
	iban := GenIBAN(r, "DE")
	for _, tc := range []struct {
		name string
		text string
		want bool
	}{
		{"alone", mark(iban), true},
		{"after a space", "IBAN " + mark(iban), true},
		{"before punctuation", mark(iban) + ".", true},
		{"letter before", "x" + mark(iban), false},
		{"digit after", mark(iban) + "1", false},
		{"mixed separators", mark(iban[:4] + " " + iban[4:8] + "-" + iban[8:]), false},
		{"lower case letters", mark(strings.ToLower(iban)), false},
		{"other character", mark(iban[:6] + "." + iban[6:]), false},
	} {
		if got := validateIn(validIBAN, tc.text); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestValidJWT(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(5)
	jwt := GenJWT(r)
	p := strings.Split(jwt, ".")
	for _, tc := range []struct {
		name string
		text string
		want bool
	}{
		{"signed", mark(jwt), true},
		{"unsigned", mark(GenUnsignedJWT(r)), true},
		{"in quotes", `"` + mark(jwt) + `"`, true},
		{"padded parts", mark(p[0] + "==." + p[1] + "." + p[2]), true},
		{"token char before", "_" + mark(jwt), false},
		{"dot after", mark(jwt) + ".", false},
		{"hyphen after", mark(jwt) + "-", false},
		{"alg not a string", mark(b64(`{"alg":1}`) + "." + p[1] + "." + p[2]), false},
		{"header not an object", mark(b64(`"alg"`) + "." + p[1] + "." + p[2]), false},
		{"payload not JSON", mark(p[0] + "." + b64("{nope") + "." + p[2]), false},
		{"bad base64", mark(p[0] + "." + p[1][:len(p[1])-1] + "*." + p[2]), false},
		{"two parts", mark(p[0] + "." + p[1]), false},
	} {
		if got := validateIn(validJWTToken, tc.text); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestValidOpenSSHKey(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(6)
	const h = "-----BEGIN OPENSSH PRIVATE KEY-----"
	for _, tc := range []struct {
		name string
		v    string
		want bool
	}{
		{"newlines", GenOpenSSHKey(r, "\n", true), true},
		{"CRLF", GenOpenSSHKey(r, "\r\n", true), true},
		{"escaped", GenOpenSSHKey(r, `\n`, true), true},
		{"escaped CR LF", GenOpenSSHKey(r, `\r\n`, true), true},
		{"no END", GenOpenSSHKey(r, "\n", false), true},
		{"spaces before body", h + "  \t b3BlbnNzaC1rZXktdjEAAAA", true},
		{"other magic", h + "\nb3BlbnNzaC1rZXktdjIAAAA", false},
		{"empty body", h + "\n", false},
		{"PKCS#1 body", h + "\nMIIEowIBAAKCAQEA", false},
	} {
		if got := validate(validOpenSSHKey, tc.v); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestValidAWSSecret(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(7)
	k := GenAWSSecret(r)
	for _, tc := range []struct {
		name string
		text string
		want bool
	}{
		{"alone", mark(k), true},
		{"after =", "KEY=" + mark(k), true},
		{"after quote", `"` + mark(k) + `"`, true},
		{"after colon and space", ": " + mark(k) + "\n", true},
		{"key char before", "a" + mark(k), false},
		{"slash before", "/" + mark(k), false},
		{"plus after", mark(k) + "+", false},
		{"padding after", mark(k) + "=", false},
		{"documentation example", mark("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), false},
		{"other EXAMPLEKEY", mark(k[:30] + "EXAMPLEKEY"), false},
		{"no digits", mark(strings.Repeat("Ab", 20)), false},
		{"no lower case", mark(strings.Repeat("A1", 20)), false},
		{"no upper case", mark(strings.Repeat("a1", 20)), false},
	} {
		if got := validateIn(validAWSSecret, tc.text); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestKeywordVariants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kw   string
		want []string
	}{
		{"SSN", []string{"ssn"}},
		{"  Secret Access Key ", []string{"secret access key", "secretaccesskey", "secret_access_key", "secret-access-key"}},
		{"cc #", []string{"cc #", "cc#", "cc_#", "cc-#"}},
		{"", nil}, {"   ", nil},
	} {
		if got := keywordVariants(tc.kw); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: got %q, want %q", tc.kw, got, tc.want)
		}
		if got := refVariants(tc.kw); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("reference %q: got %q, want %q", tc.kw, got, tc.want)
		}
	}
}

func TestKeywordStartsWord(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string // the keyword starts at the '|'
		want bool
	}{
		{"|dob", true}, {" |dob", true}, {"_|dob", true}, {"1|dob", true}, {":|DOB", true}, {"\n|dob", true},
		{"a|dob", false}, {"A|dob", false}, {"é|dob", false}, {"\xff|dob", false},
		{"user|Dob", true}, {"user|DOB", true}, {"USER|Dob", false}, {"user|dob", false},
	} {
		i := strings.IndexByte(tc.text, '|')
		text := []byte(tc.text[:i] + tc.text[i+1:])
		if got := keywordStartsWord(text, i); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.text, got, tc.want)
		}
		if got := refStartsWord(text, i); got != tc.want {
			t.Errorf("reference %q: got %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestRunesBetween(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(8)
	pieces := []string{"a", "é", "€", "𝄞", "\xff", "\xe2\x82"}
	for range 3000 {
		var sb strings.Builder
		for range r.IntN(60) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := []byte(sb.String())
		limit := r.IntN(40)
		n := utf8.RuneCount(text)
		got := runesBetween(text, 0, len(text), limit)
		if n <= limit && got != n || n > limit && got <= limit {
			t.Fatalf("%d bytes, %d runes, limit %d: got %d", len(text), n, limit, got)
		}
	}
}

func TestShapeAnalysis(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern   string
		minDigits int
		anchor    string
		fold      bool
		whole     bool
	}{
		{`\d{3}-\d{2}`, 5, "", false, false},
		{`eyJ[a-z]+`, 0, "eyJ", false, false},
		{`(?i)emp-\d{6}`, 6, "emp-", true, false},
		{`^[A-Z]{3}\d{4}$`, 4, "", false, true},
		{`a\d|\d\d`, 1, "", false, false},
		{`(?:ab)?\d+x`, 1, "", false, false},
		{`[0-9a-f]{8}`, 0, "", false, false},
		{`-----BEGIN KEY-----\d`, 1, "-----BEGIN KEY-----", false, false},
		// Literals the ASCII-folding automaton could miss are no anchor.
		{`café-\d`, 1, "", false, false},
		{`(?i)kit-\d`, 1, "", true, false},
		{`(?i)has-\d`, 1, "", true, false},
		{`(?i)bed-\d`, 1, "bed-", true, false},
	} {
		sh, err := analyse(tc.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tc.pattern, err)
		}
		if sh.minDigits != tc.minDigits || !strings.EqualFold(sh.anchor, tc.anchor) || sh.anchorFold != tc.fold || sh.whole != tc.whole {
			t.Errorf("%s: got minDigits %d anchor %q fold %v whole %v", tc.pattern, sh.minDigits, sh.anchor, sh.anchorFold, sh.whole)
		}
	}
	if _, err := analyse(`(`); err == nil {
		t.Error("analyse accepts an invalid pattern")
	}
	if _, err := analyse(`a++`); err == nil {
		t.Error("analyse accepts an invalid pattern")
	}
}

// TestShapesHoldOnCorpus checks the facts the Engine's shortcuts rest on,
// for every managed pattern over the corpus: every match lies inside a run
// of the shape's class, has at least minDigits digits and contains the
// anchor.
func TestShapesHoldOnCorpus(t *testing.T) {
	t.Parallel()
	corpus := differentialCorpus()
	for _, id := range append(Managed(), customIdentifiers()...) {
		if id.Find != nil {
			continue // no pattern, no shape
		}
		sh, err := analyse(id.Pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(id.Pattern).FindAllIndex(corpus, -1) {
			v := corpus[m[0]:m[1]]
			for _, b := range v {
				if !sh.class.has(b) {
					t.Fatalf("%s: match at %d has a byte outside the class", id.ID, m[0])
				}
			}
			if countDigits(v, 1<<30) < sh.minDigits {
				t.Fatalf("%s: match at %d has fewer than %d digits", id.ID, m[0], sh.minDigits)
			}
			if sh.anchor != "" && !strings.Contains(strings.ToLower(string(v)), strings.ToLower(sh.anchor)) {
				t.Fatalf("%s: match at %d lacks the anchor", id.ID, m[0])
			}
		}
	}
}

func TestSeverity(t *testing.T) {
	t.Parallel()
	for s, want := range map[Severity]string{Low: "Low", Medium: "Medium", High: "High", 0: "None"} {
		if s.String() != want {
			t.Errorf("%d: %s", s, s)
		}
	}
	for _, tc := range []struct {
		n    int
		want Severity
	}{{0, Low}, {1, Low}, {2, Medium}, {99, Medium}, {100, High}, {5000, High}} {
		if got := ByCount.For(tc.n); got != tc.want {
			t.Errorf("ByCount.For(%d) = %s", tc.n, got)
		}
		if AlwaysHigh.For(tc.n) != High {
			t.Errorf("AlwaysHigh.For(%d) is not High", tc.n)
		}
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	ids := func(list []*Identifier) map[string]bool {
		m := map[string]bool{}
		for _, id := range list {
			m[id.ID] = true
		}
		return m
	}
	for _, s := range []string{"recommended", " ALL ", "None"} {
		if _, err := ParseSelector(s); err != nil {
			t.Errorf("ParseSelector(%q): %v", s, err)
		}
	}
	if _, err := ParseSelector("some"); err == nil {
		t.Error("ParseSelector accepts an unknown selector")
	}
	all, err := Select(SelectAll, nil, nil)
	if err != nil || len(all) != len(Managed()) {
		t.Fatalf("ALL: %d identifiers, %v", len(all), err)
	}
	none, _ := Select(SelectNone, nil, nil)
	if len(none) != 0 {
		t.Errorf("NONE selects %d", len(none))
	}
	rec, _ := Select(SelectRecommended, nil, nil)
	for _, id := range rec {
		if !id.Recommended {
			t.Errorf("RECOMMENDED selects %s", id.ID)
		}
	}
	got := ids(rec)
	for _, id := range Managed() {
		if id.Recommended && !got[id.ID] {
			t.Errorf("RECOMMENDED misses %s", id.ID)
		}
	}
	sel, _ := Select(SelectNone, []string{"phone_number", " JSON_WEB_TOKEN", ""}, nil)
	if g := ids(sel); len(g) != 2 || !g["PHONE_NUMBER"] || !g["JSON_WEB_TOKEN"] || len(sel) != 3 {
		t.Errorf("include: got %d entries for %v (PHONE_NUMBER has two shapes)", len(sel), g)
	}
	sel, _ = Select(SelectAll, []string{"USA_SOCIAL_SECURITY_NUMBER"}, []string{"usa_social_security_number", "PHONE_NUMBER"})
	if g := ids(sel); g["USA_SOCIAL_SECURITY_NUMBER"] || g["PHONE_NUMBER"] || len(g) != len(ManagedIDs())-2 {
		t.Errorf("exclude must win over include and base")
	}
	if _, err := Select(SelectAll, []string{"NOPE_ID"}, nil); err == nil || !strings.Contains(err.Error(), "NOPE_ID") || !strings.Contains(err.Error(), "--include-identifiers") {
		t.Errorf("unknown include: %v", err)
	}
	if _, err := Select(SelectAll, nil, []string{"NOPE_ID"}); err == nil || !strings.Contains(err.Error(), "--exclude-identifiers") {
		t.Errorf("unknown exclude: %v", err)
	}
}

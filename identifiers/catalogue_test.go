package identifiers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trawlsec/trawl/internal/corpus"
)

// idCase is one text for one identifier. «…» marks a span that must be
// reported under the identifier's ID; a text without marks must report
// nothing under it. ctx is the segment's structural context.
type idCase struct {
	name string
	text string
	ctx  []string
}

type idCases struct{ match, noMatch []idCase }

func mark(v string) string { return "«" + v + "»" }

// unmark strips the marks and returns the text and the marked spans.
func unmark(s string) ([]byte, []hit) {
	var out []byte
	var spans []hit
	for {
		i := strings.Index(s, "«")
		if i < 0 {
			return append(out, s...), spans
		}
		out = append(out, s[:i]...)
		s = s[i+len("«"):]
		j := strings.Index(s, "»")
		spans = append(spans, hit{Start: len(out), End: len(out) + j})
		out = append(out, s[:j]...)
		s = s[j+len("»"):]
	}
}

// gap returns n characters that are neither keyword nor value: a space, n-2
// filler characters (of any width: "x", "é", "𝄞"), and a space.
func gap(n int, filler string) string {
	if n < 2 {
		return strings.Repeat(" ", n)
	}
	return " " + strings.Repeat(filler, n-2) + " "
}

// keywordAt returns cases with kw n characters before and after the value.
func keywordAt(kw, v string, n int, filler string) (before, after idCase) {
	return idCase{fmt.Sprintf("%q %d %q chars before", kw, n, filler), kw + gap(n, filler) + mark(v), nil},
		idCase{fmt.Sprintf("%q %d %q chars after", kw, n, filler), mark(v) + gap(n, filler) + kw, nil}
}

// distanceCases returns the value with the keyword 30 characters away
// (near) and 31 characters away (far), before and after it, with ASCII,
// two-byte and four-byte characters between. All are marked.
func distanceCases(kw, v string) (near, far []idCase) {
	for _, f := range []string{"x", "é", "𝄞"} {
		b, a := keywordAt(kw, v, 30, f)
		near = append(near, b, a)
		b, a = keywordAt(kw, v, 31, f)
		far = append(far, b, a)
	}
	return near, far
}

// unmarked returns the cases without their marks: texts that must not
// report the identifier.
func unmarked(cs []idCase) []idCase {
	out := slices.Clone(cs)
	for i := range out {
		out[i].text = strings.NewReplacer("«", "", "»", "").Replace(out[i].text)
	}
	return out
}

// c makes a case; it keeps the tables short.
func c(name, text string, ctx ...string) idCase { return idCase{name, text, ctx} }

// catalogueCases returns, per managed ID, texts that must and must not
// report it. Values with check digits are generated, not typed.
func catalogueCases() map[string]idCases {
	r := NewCorpusRand(42)
	all := map[string]idCases{}
	add := func(id string, cs idCases) {
		prev := all[id]
		all[id] = idCases{append(prev.match, cs.match...), append(prev.noMatch, cs.noMatch...)}
	}
	// The cases of the rest of the catalogue, by category, each in its
	// own file.
	for _, more := range []map[string]idCases{credentialFinancialCases(r), personalCases(r), secretCases()} {
		for id, cs := range more {
			add(id, cs)
		}
	}

	// AWS_CREDENTIALS
	{
		k := GenAWSSecret(r)
		dm, dn := distanceCases("credentials", k)
		add("AWS_CREDENTIALS", idCases{
			match: append([]idCase{
				c("ini file", "[default]\naws_access_key_id = AKIA"+randFrom(r, upper+"234567", 16)+"\naws_secret_access_key = "+mark(k)+"\n"),
				c("environment variable", "export AWS_SECRET_ACCESS_KEY="+mark(k)),
				c("JSON field camelCase", `{"SecretAccessKey": "`+mark(k)+`"}`),
				c("hyphenated keyword", "secret-access-key: "+mark(k)),
				c("PowerShell", "Set-AWSCredential -AccessKey AKIA"+randFrom(r, upper+"234567", 16)+" -SecretKey "+mark(GenAWSSecret(r))),
				c("keyword after", mark(k)+" is the secret key"),
				c("column context", mark(k), "aws_secret_access_key"),
				c("slashes and pluses", "secret key: "+mark("aB3/"+GenAWSSecret(r)[4:36]+"+z9Q")),
			}, dm...),
			noMatch: append([]idCase{
				c("AWS documentation example", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
				c("no keyword", "token = "+k),
				c("no upper case", "secret key: "+strings.ToLower(k[:39])+"7"),
				c("no digit", "secret key: "+strings.Repeat("aB", 20)),
				c("41 characters", "secret key: "+k+"Q"),
				c("39 characters", "secret key: "+k[:39]),
				c("inside a longer token", "credentials: x"+k),
				c("base64 padding after", "credentials: "+k+"="),
				c("keyword inside a word", "nosecret keyring "+k),
			}, unmarked(dn)...),
		})
	}

	// JSON_WEB_TOKEN
	{
		jwt := GenJWT(r)
		parts := strings.Split(jwt, ".")
		add("JSON_WEB_TOKEN", idCases{
			match: []idCase{
				c("bearer header", "Authorization: Bearer "+mark(jwt)),
				c("unsigned", "token: "+mark(GenUnsignedJWT(r))+" end"),
				c("JSON string", `{"id_token":"`+mark(GenJWT(r))+`"}`),
				c("URL parameter", "https://example.test/cb?access_token="+mark(GenJWT(r))+"&state=1"),
				c("alone", mark(GenJWT(r))),
			},
			noMatch: []idCase{
				c("header without alg", b64(`{"typ":"JWT"}`)+"."+parts[1]+"."+parts[2]),
				c("payload not JSON", parts[0]+"."+b64("hello world")+"."+parts[2]),
				c("two parts", parts[0]+"."+parts[1]),
				c("four parts", jwt+".eyJhIjoxfQ"),
				c("glued to a word", "x"+jwt),
				c("payload a JSON array", parts[0]+"."+b64("[1,2]")+"."+parts[2]),
				c("header not base64", "eyJ!!."+parts[1]+"."+parts[2]),
			},
		})
	}

	// OPENSSH_PRIVATE_KEY
	{
		add("OPENSSH_PRIVATE_KEY", idCases{
			match: []idCase{
				c("PEM block", "key file:\n"+mark(GenOpenSSHKey(r, "\n", true))+"\n"),
				c("CRLF", mark(GenOpenSSHKey(r, "\r\n", true))+"\r\n"),
				c("escaped in JSON", `{"private_key": "`+mark(GenOpenSSHKey(r, `\n`, true))+`\n"}`),
				c("truncated", "partial: "+mark(GenOpenSSHKey(r, "\n", false))),
			},
			noMatch: []idCase{
				c("RSA body under OpenSSH header", "-----BEGIN OPENSSH PRIVATE KEY-----\nMIIEpAIBAAKCAQEA"+randFrom(r, awsAlphabet, 64)+"\n-----END OPENSSH PRIVATE KEY-----"),
				c("lower-case header", strings.ToLower(GenOpenSSHKey(r, "\n", true)[:36])+"b3BlbnNzaC1rZXktdjEAAAA"),
				c("header alone", "-----BEGIN OPENSSH PRIVATE KEY-----"),
				c("header and newline", "-----BEGIN OPENSSH PRIVATE KEY-----\n\n"),
				c("other key type", strings.Replace(GenOpenSSHKey(r, "\n", true), "OPENSSH", "RSA", 2)),
			},
		})
	}

	// CREDIT_CARD_NUMBER and CREDIT_CARD_NUMBER_(NO_KEYWORD)
	{
		visa := GenCard(r, "4", 16)
		dm, dn := distanceCases("card", visa)
		add("CREDIT_CARD_NUMBER", idCases{
			match: append([]idCase{
				c("Visa compact", "card: "+mark(visa)),
				c("Mastercard spaced", "Mastercard "+mark(GroupCard(GenCard(r, "55", 16), " "))),
				c("Mastercard 2-series", "MC "+mark(GenCard(r, "2221", 16))),
				c("Amex 4-6-5 hyphens", "AMEX "+mark(GroupCard(GenCard(r, "37", 15), "-"))),
				c("Diners 4-6-4", "Diners Club "+mark(GroupCard(GenCard(r, "36", 14), " "))),
				c("Visa 13", "visa "+mark(GenCard(r, "4", 13))),
				c("UnionPay 19", "PAN "+mark(GenCard(r, "62", 19))),
				c("JCB", "jcb: "+mark(GenCard(r, "3530", 16))),
				c("Discover", "Discover "+mark(GroupCard(GenCard(r, "6011", 16), "-"))),
				c("keyword after", mark(GenCard(r, "4", 16))+" (visa)"),
				c("credit card number spaced keyword", "Credit Card Number: "+mark(GenCard(r, "4", 16))),
				c("keyword camelCase join", "customerCardNo="+mark(GenCard(r, "51", 16))),
				c("column context", mark(GenCard(r, "4", 16)), "card_number"),
				c("19 digits in groups", "card "+mark(GroupBy(GenCard(r, "4", 19), 4, " "))),
			}, dm...),
			noMatch: append([]idCase{
				c("published test number", "card: 4111111111111111"),
				c("published test number spaced", "card: 4111 1111 1111 1111"),
				c("published Mastercard test", "mastercard 5555555555554444"),
				c("Luhn fails", "card: "+corpus.BadLuhn(visa)),
				c("12 digits", "card: "+GenCard(r, "4", 12)),
				c("20 digits", "card: "+GenCard(r, "4", 20)),
				c("unknown prefix 9", "card: "+GenCard(r, "9", 16)),
				c("unknown prefix 1", "card: "+GenCard(r, "1", 16)),
				c("Amex with 16 digits", "amex "+GenCard(r, "37", 16)),
				c("mixed separators", "card: "+visa[:4]+" "+visa[4:8]+"-"+visa[8:12]+" "+visa[12:]),
				c("bad grouping", "card: "+GroupBy(visa, 5, " ")),
				c("double space", "card: "+GroupBy(visa, 4, "  ")),
				c("no keyword", "order "+visa+" shipped"),
				c("keyword inside a word", "advisable "+visa),
				c("glued to letters", "card: x"+visa),
			}, unmarked(dn)...),
		})
		// 31 characters from its keyword, a number is reported without one.
		dm, dn = dn, dm
		add("CREDIT_CARD_NUMBER_(NO_KEYWORD)", idCases{
			match: append([]idCase{
				c("bare", "order "+mark(GenCard(r, "4", 16))+" shipped"),
				c("grouped", "ref "+mark(GroupCard(GenCard(r, "55", 16), "-"))),
				c("Amex", mark(GenCard(r, "34", 15))),
				c("keyword inside a word", "advisable "+mark(GenCard(r, "4", 16))),
				c("keyword-like word not at start", "scorecard "+mark(GenCard(r, "4", 16))),
			}, dm...),
			noMatch: append([]idCase{
				c("keyword near", "card: "+visa),
				c("keyword after", visa+" visa"),
				c("published test number", "4111111111111111"),
				c("published Amex test", "378282246310005"),
				c("Luhn fails", corpus.BadLuhn(visa)),
				c("column context", visa, "Card Number"),
				c("11 digits", GenCard(r, "4", 11)),
			}, unmarked(dn)...),
		})
	}

	// USA_SOCIAL_SECURITY_NUMBER
	{
		ssn := GenSSN(r)
		dm, dn := distanceCases("ssn", ssn)
		add("USA_SOCIAL_SECURITY_NUMBER", idCases{
			match: append([]idCase{
				c("hyphens", "SSN: "+mark(ssn)),
				c("spaces", "Social Security Number "+mark(strings.ReplaceAll(GenSSN(r), "-", " "))),
				c("compact", "ss# "+mark(strings.ReplaceAll(GenSSN(r), "-", ""))),
				c("keyword after", mark(GenSSN(r))+" (SSN)"),
				c("underscore variant", "social_security="+mark(GenSSN(r))),
				c("no-space variant", "socialsecurity: "+mark(GenSSN(r))),
				c("camelCase join", "userSsn="+mark(GenSSN(r))),
				c("column context", mark(GenSSN(r)), "SSN"),
				c("area 665 and 667", "ssn "+mark("665-12-3456")+" and "+mark("667-12-3456")),
			}, dm...),
			noMatch: append([]idCase{
				c("area 000", "ssn 000-12-3456"),
				c("area 666", "ssn 666-12-3456"),
				c("area 900", "ssn 900-12-3456"),
				c("area 987", "ssn 987-65-4320"),
				c("group 00", "ssn 536-00-8142"),
				c("serial 0000", "ssn 536-22-0000"),
				c("Woolworth wallet card", "ssn 078-05-1120"),
				c("mixed separators", "ssn 536-22 8142"),
				c("10 digits", "ssn 5362281423"),
				c("8 digits", "ssn 53622814"),
				c("no keyword", "number "+ssn),
				c("keyword inside a word", "businessname "+ssn),
			}, unmarked(dn)...),
		})
	}

	// PHONE_NUMBER
	{
		a, x, l := GenPhone(r)
		plain := a + "-" + x + "-" + l
		dm, dn := distanceCases("phone", plain)
		add("PHONE_NUMBER", idCases{
			match: append([]idCase{
				c("parentheses with keyword", "phone: "+mark("("+a+") "+x+"-"+l)),
				c("+1 spaces, no keyword", "reach me at "+mark("+1 "+a+" "+x+" "+l)),
				c("1- hyphens, no keyword", "toll free "+mark("1-800-"+x+"-"+l)),
				c("E.164, no keyword", mark("+1"+a+x+l)),
				c("+1 and parentheses", "Mobile: "+mark("+1 ("+a+") "+x+"-"+l)),
				c("dots with keyword", "Tel. "+mark(a+"."+x+"."+l)),
				c("compact, keyword after", mark(a+x+l)+" (cell)"),
				c("phone number keyword", "Phone Number: "+mark(plain)),
				c("column context", mark(plain), "contact_phone"),
			}, dm...),
			noMatch: append([]idCase{
				c("no keyword, no country code", "reach me at "+plain),
				c("area code starts with 1", "phone 115-"+x+"-"+l),
				c("exchange starts with 0", "phone ("+a+") 055-"+l),
				c("five-digit line", "phone "+plain+"5"),
				c("six digits", "phone "+x+"-"+l[:3]),
				c("UK number with +44", "+44 20 7946 0958"),
				c("keyword inside a word", "hotel "+plain),
				c("trailing digit", "ref 9+1"+a+x+l+"0"),
			}, unmarked(dn)...),
		})
	}

	return all
}

// exclusive pairs: a value reported under one must not be under the other.
var exclusive = map[string]string{
	"CREDIT_CARD_NUMBER":              "CREDIT_CARD_NUMBER_(NO_KEYWORD)",
	"CREDIT_CARD_NUMBER_(NO_KEYWORD)": "CREDIT_CARD_NUMBER",
}

// checkCase scans the case and checks the ID's detections against the
// marks. Failures name the case and offsets, never the text.
func checkCase(t *testing.T, e *Engine, ref *reference, id string, cs idCase, wantMatch bool) {
	t.Helper()
	text, want := unmark(cs.text)
	for i := range want {
		want[i].ID = id
	}
	if wantMatch && len(want) == 0 {
		t.Fatalf("case %q must mark a value", cs.name)
	}
	if !wantMatch && len(want) > 0 {
		t.Fatalf("case %q must not mark a value", cs.name)
	}
	seg := wholeSegment(text, cs.ctx...)
	var got []hit
	for _, h := range engineHits(e, seg) {
		switch h.ID {
		case id:
			got = append(got, h)
		case exclusive[id]:
			for _, w := range want {
				if h.Start < w.End && w.Start < h.End {
					t.Errorf("case %q: %v also reported as %s", cs.name, w, h)
				}
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("case %q (%d bytes): got %v, want %v", cs.name, len(text), got, want)
	}
	compareWithReference(t, e, ref, seg, fmt.Sprintf("case %q", cs.name))
}

func TestManagedIdentifierCases(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	cases := catalogueCases()
	for _, id := range ManagedIDs() {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			for _, cs := range cases[id].match {
				checkCase(t, e, ref, id, cs, true)
			}
			for _, cs := range cases[id].noMatch {
				checkCase(t, e, ref, id, cs, false)
			}
		})
	}
}

// TestEveryManagedIDHasCases keeps a new identifier from landing untested.
func TestEveryManagedIDHasCases(t *testing.T) {
	t.Parallel()
	cases := catalogueCases()
	for _, id := range ManagedIDs() {
		cs := cases[id]
		if len(cs.match) < 3 || len(cs.noMatch) < 3 {
			t.Errorf("%s has %d matching and %d non-matching cases in catalogueCases; it needs at least 3 of each", id, len(cs.match), len(cs.noMatch))
		}
	}
	known := map[string]bool{}
	for _, id := range ManagedIDs() {
		known[id] = true
	}
	for id := range cases {
		if !known[id] {
			t.Errorf("catalogueCases has cases for %s, which is not a managed identifier", id)
		}
	}
	// A keyword-bound identifier must also be tested at the distance limit.
	for _, ident := range Managed() {
		if ident.Keyword != KeywordRequired {
			continue
		}
		n := 0
		for _, cs := range append(cases[ident.ID].match, cases[ident.ID].noMatch...) {
			if strings.Contains(cs.name, " 30 ") || strings.Contains(cs.name, " 31 ") {
				n++
			}
		}
		if n < 4 {
			t.Errorf("%s needs a keyword: test it 30 and 31 characters away (distanceCases)", ident.ID)
		}
	}
}

func TestCatalogueIsWellFormed(t *testing.T) {
	t.Parallel()
	idRE := regexp.MustCompile(`^[A-Z0-9_()]+$`)
	categories := map[Category]bool{Credentials: true, Financial: true, Personal: true}
	shapes := map[string][]*Identifier{}
	for _, id := range Managed() {
		shapes[id.ID] = append(shapes[id.ID], id)
		if !idRE.MatchString(id.ID) {
			t.Errorf("%s: not a Macie-style ID", id.ID)
		}
		if !categories[id.Category] {
			t.Errorf("%s: category %q is not a managed category", id.ID, id.Category)
		}
		if id.Find != nil {
			// A finder's entry has no pattern (finder_test.go tests it).
			if id.Pattern != "" {
				t.Errorf("%s: a finder and a pattern", id.ID)
			}
		} else {
			if _, err := regexp.Compile(id.Pattern); err != nil {
				t.Errorf("%s: pattern does not compile: %v", id.ID, err)
			}
			if _, err := analyse(id.Pattern); err != nil {
				t.Errorf("%s: %v", id.ID, err)
			}
			if re := regexp.MustCompile(id.Pattern); re.MatchString("") {
				t.Errorf("%s: pattern matches the empty string", id.ID)
			}
		}
		if id.Distance != managedDistance || id.DistanceRule != Around {
			t.Errorf("%s: distance %d rule %d; managed identifiers use 30 characters around", id.ID, id.Distance, id.DistanceRule)
		}
		if id.Keyword != NoKeyword && len(id.Keywords) == 0 {
			t.Errorf("%s: keyword rule without keywords", id.ID)
		}
		if id.Severity == (SeverityRule{}) {
			t.Errorf("%s: no severity rule", id.ID)
		}
		for _, kw := range id.Keywords {
			if kw != strings.TrimSpace(kw) || kw == "" || !utf8.ValidString(kw) {
				t.Errorf("%s: malformed keyword %q", id.ID, kw)
			}
		}
	}
	// Entries sharing an ID are shapes of one type: same category, severity
	// and recommendation.
	for id, list := range shapes {
		for _, s := range list[1:] {
			if s.Category != list[0].Category || s.Severity != list[0].Severity || s.Recommended != list[0].Recommended {
				t.Errorf("%s: shapes disagree on category, severity or recommendation", id)
			}
		}
	}
	ids := ManagedIDs()
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) || len(ids) != len(shapes) {
		t.Errorf("ManagedIDs is not the sorted set of catalogue IDs")
	}
	// Managed returns a copy: changing it leaves the catalogue alone.
	m := Managed()
	m[0] = nil
	if Managed()[0] == nil {
		t.Error("Managed exposes the catalogue slice")
	}
}

package identifiers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// validatorName names an entry's validator ("validIBAN"), or "" when it has
// none.
func validatorName(id *Identifier) string {
	if id.Validate == nil {
		return ""
	}
	name := runtime.FuncForPC(reflect.ValueOf(id.Validate).Pointer()).Name()
	return name[strings.LastIndexByte(name, '.')+1:]
}

// checkConstFor is the name of the constant of checks.go that describes
// validator v: validCard's is checkCard, looseID's checkLooseID.
func checkConstFor(v string) string {
	if rest, ok := strings.CutPrefix(v, "valid"); ok && rest != "" && unicode.IsUpper(rune(rest[0])) {
		v = rest
	}
	return "check" + strings.ToUpper(v[:1]) + v[1:]
}

// checkConsts reads the check constants of checks.go: name to value.
func checkConsts(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "checks.go", nil, 0)
	if err != nil {
		t.Fatalf("parse checks.go: %v", err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range spec.Names {
			lit, ok := spec.Values[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Fatalf("checks.go: %s is not a string literal", name.Name)
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("checks.go: %s: %v", name.Name, err)
			}
			out[name.Name] = v
		}
		return false
	})
	return out
}

// TestEveryValidatorHasCheck: an entry with a validator says what it
// checks, and one without says nothing, so that `trawl identifiers list`
// cannot show a blank or invented VALIDATOR.
func TestEveryValidatorHasCheck(t *testing.T) {
	t.Parallel()
	with, without := 0, 0
	for i, id := range Managed() {
		switch {
		case id.Validate != nil && id.Check == "":
			t.Errorf("entry %d (%s) has a validator (%s) but no Check", i, id.ID, validatorName(id))
		case id.Validate == nil && id.Check != "":
			t.Errorf("entry %d (%s) has no validator but Check %q", i, id.ID, id.Check)
		case strings.Contains(id.Check, ";"):
			// Listings join an ID's checks with "; ".
			t.Errorf("entry %d (%s): Check %q holds a semicolon", i, id.ID, id.Check)
		case id.Validate != nil:
			with++
		default:
			without++
		}
	}
	// The catalogue has both kinds: the test above is not vacuous.
	if with == 0 || without == 0 {
		t.Errorf("%d entries with a validator, %d without: expected both", with, without)
	}
}

// TestCheckNamesItsValidator: each entry's Check is the constant of
// checks.go named after its validator, and every constant there describes a
// validator in use, so a Check cannot describe another function.
func TestCheckNamesItsValidator(t *testing.T) {
	t.Parallel()
	consts := checkConsts(t)
	if len(consts) == 0 {
		t.Fatal("checks.go defines no checks")
	}
	used := map[string]bool{}
	for i, id := range Managed() {
		v := validatorName(id)
		if v == "" {
			continue
		}
		name := checkConstFor(v)
		want, ok := consts[name]
		if !ok {
			t.Errorf("entry %d (%s): checks.go has no %s for %s", i, id.ID, name, v)
			continue
		}
		used[name] = true
		if id.Check != want {
			t.Errorf("entry %d (%s): Check %q, want %s %q", i, id.ID, id.Check, name, want)
		}
	}
	for name := range consts {
		if !used[name] {
			t.Errorf("checks.go: %s describes no validator of the catalogue", name)
		}
	}
}

// TestCheckSpotValues pins the checks a user looks for first.
func TestCheckSpotValues(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"CREDIT_CARD_NUMBER":               "Luhn",
		"ITALY_BANK_ACCOUNT_NUMBER":        "mod-97",
		"UK_NHS_NUMBER":                    "mod-11",
		"INDIA_AADHAAR_NUMBER":             "Verhoeff",
		"SPAIN_DNI_NUMBER":                 "DNI control letter",
		"USA_NATIONAL_PROVIDER_IDENTIFIER": "80840",
	}
	found := map[string]bool{}
	for _, id := range Managed() {
		sub, ok := want[id.ID]
		if ok && strings.Contains(id.Check, sub) {
			found[id.ID] = true
		}
	}
	for id, sub := range want {
		if !found[id] {
			t.Errorf("no entry of %s has a Check mentioning %q", id, sub)
		}
	}
}

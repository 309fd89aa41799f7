package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestIdentifiersShow(t *testing.T) {
	r := trawl(t, nil, "identifiers", "show", "CREDIT_CARD_SECURITY_CODE")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"category:     FINANCIAL_INFORMATION", "recommended:  false",
		"severity:     Medium (1 occurrence), High (2-99), High (100 or more)",
		"form: keyword required\n    validator: not one group of a longer number, date or time", "cvv2", "elo verification code",
		"reported:\n    CVV: 123", "not reported:\n    room 123",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show CREDIT_CARD_SECURITY_CODE lacks %q:\n%s", want, r.stdout)
		}
	}

	// JSON, an ID in lower case, and an ID with several forms.
	r = trawl(t, nil, "identifiers", "show", "france_bank_account_number", "--format", "json")
	var d identifierDetail
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || r.code != 0 {
		t.Fatalf("exit %d: %v", r.code, err)
	}
	if d.ID != "FRANCE_BANK_ACCOUNT_NUMBER" || len(d.Shapes) != 2 || d.Shapes[0].Keyword != "no" ||
		!strings.HasPrefix(d.Shapes[0].Validator, "mod-97") || d.Shapes[1].Validator != "RIB key (mod-97)" || !strings.Contains(strings.Join(d.Shapes[1].Keywords, ","), "numéro de compte") ||
		len(d.Matches) == 0 || len(d.NonMatches) == 0 || strings.Join(d.Countries, ",") != "FR" {
		t.Errorf("show FRANCE_BANK_ACCOUNT_NUMBER: %+v", d)
	}

	// A credential: no keyword, and a multi-line example indented.
	r = trawl(t, nil, "identifiers", "show", "PUTTY_PRIVATE_KEY")
	if r.code != 0 || !strings.Contains(r.stdout, "form: keyword no\n    validator: Public-Lines and Private-Lines") || !strings.Contains(r.stdout, "\n      Encryption: none") {
		t.Errorf("show PUTTY_PRIVATE_KEY: exit %d\n%s", r.code, r.stdout)
	}

	// Unknown IDs and formats are usage errors that name what was wrong.
	r = trawl(t, nil, "identifiers", "show", "NO_SUCH_IDENTIFIER")
	if r.code != 2 || !strings.Contains(r.stderr, `"NO_SUCH_IDENTIFIER"`) || r.stdout != "" {
		t.Errorf("unknown ID: exit %d, stderr %q", r.code, r.stderr)
	}
	r = trawl(t, nil, "identifiers", "show", "PKCS", "--format", "yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "yaml") {
		t.Errorf("unknown format: exit %d, stderr %q", r.code, r.stderr)
	}
	if r = trawl(t, nil, "identifiers", "show"); r.code != 2 {
		t.Errorf("no ID: exit %d", r.code)
	}
}

package identifiers

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestValidBasicAuth(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{
		// RFC 7617's examples.
		"Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
		"Authorization: Basic dGVzdDoxMjPCow==",
		"Proxy-Authorization: Basic dGVzdDoxMjPCow",
	} {
		if !validate(validBasicAuth, ok) {
			t.Errorf("rejects valid header %d bytes long", len(ok))
		}
	}
	for i, bad := range []string{
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("no colon")),
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("a:\x00b")),
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte{'a', ':', 0xff}),
		"Authorization: Basic !!!!",
		"Authorization: Basic Og==", // ":" alone
	} {
		if validate(validBasicAuth, bad) {
			t.Errorf("accepts bad header %d", i)
		}
	}
	if validateIn(validBasicAuth, "X-«Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==»") {
		t.Error("accepts a header name that is part of another")
	}
}

func TestValidPGPKey(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(3)
	for _, first := range [][]byte{{0x94, 0x58}, {0x95, 0x03}, {0x97, 0x00}, {0xc5, 0xc1}} {
		if !validate(validPGPKey, genPGPKey(r, first, "\n")) {
			t.Errorf("rejects a secret-key packet with header byte %#x", first[0])
		}
	}
	for _, first := range [][]byte{{0x99, 0x01}, {0xc6, 0xc1}, {0x9d, 0x01}, {0x30, 0x82}, {0x00}} {
		if validate(validPGPKey, genPGPKey(r, first, "\n")) {
			t.Errorf("accepts a packet with header byte %#x", first[0])
		}
	}
	if validate(validPGPKey, pgpHeader+"\n\n=abc") {
		t.Error("accepts a body too short to hold a packet")
	}
}

func TestValidPKCSKey(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(4)
	for _, kind := range []string{"", "RSA ", "EC ", "DSA ", "ENCRYPTED "} {
		if !validate(validPKCSKey, genPEMKey(r, kind, derSequence, "\r\n")) {
			t.Errorf("rejects a %qPRIVATE KEY", kind)
		}
		if validate(validPKCSKey, genPEMKey(r, kind, []byte{0x04, 0x20}, "\n")) {
			t.Errorf("accepts a %qPRIVATE KEY that is not DER", kind)
		}
	}
	enc := genPEMKey(r, "RSA ", []byte{0xee}, `\n`, "Proc-Type: 4,ENCRYPTED", "DEK-Info: DES-EDE3-CBC,0011223344556677")
	if !validate(validPKCSKey, enc) {
		t.Error("rejects a legacy encrypted key")
	}
	if validate(validPKCSKey, "-----BEGIN PRIVATE KEY-----\n") {
		t.Error("accepts a header without a body")
	}
}

func TestValidPuTTYKey(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(5)
	if !validate(validPuTTYKey, genPuTTYKey(r, "\n", 6, 14, "6", "14")) {
		t.Error("rejects a well-formed key")
	}
	for i, bad := range []string{
		genPuTTYKey(r, "\n", 5, 14, "6", "14"),
		genPuTTYKey(r, "\n", 6, 13, "6", "14"),
		genPuTTYKey(r, "\n", 6, 14, "0", "14"),
		genPuTTYKey(r, "\n", 6, 14, "6", "x"),
	} {
		if validate(validPuTTYKey, bad) {
			t.Errorf("accepts a key whose line counts disagree (%d)", i)
		}
	}
}

func TestValidStripeKey(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(6)
	for _, p := range []string{"sk_live_", "sk_test_", "rk_live_", "pk_test_"} {
		if !validate(validStripeKey, genStripeKey(r, p, 24)) {
			t.Errorf("rejects a random %s key", p)
		}
	}
	for i, bad := range []string{
		"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx",
		"sk_live_" + strings.Repeat("x", 24), "sk_live_" + strings.Repeat("abc123", 5),
	} {
		if validate(validStripeKey, bad) {
			t.Errorf("accepts documentation key or placeholder %d", i)
		}
	}
}

func TestValidGCPKey(t *testing.T) {
	t.Parallel()
	k := genGCPKey(NewCorpusRand(7))
	if !validateIn(validGCPKey, "key=«"+k+"»&x") {
		t.Error("rejects a key standing alone")
	}
	if validateIn(validGCPKey, "x«"+k+"»") || validateIn(validGCPKey, "«"+k+"»-") {
		t.Error("accepts a key inside a longer token")
	}
}

func TestNationalBBANChecks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		check func([]byte, int, int) bool
		valid []string // the registry's examples, as BBANs
	}{
		{"France RIB key", validFranceBBAN, []string{"20041010050500013M02606", "30006000011234567890189", "20041 01005 0500013M026 06"}},
		{"Italy CIN", validItalyBBAN, []string{"X0542811101000000123456", "X 05428 11101 000000123456"}},
		{"Spain DC", validSpainBBAN, []string{"21000418450200051332", "2100-0418-4502-0005-1332"}},
	} {
		for i, v := range tc.valid {
			if !validate(tc.check, v) {
				t.Errorf("%s rejects published example %d", tc.name, i)
			}
			if validate(tc.check, breakCheck(strings.NewReplacer(" ", "", "-", "").Replace(v))) {
				t.Errorf("%s accepts published example %d with its check broken", tc.name, i)
			}
		}
	}
	r := NewCorpusRand(8)
	for range 500 {
		if !validate(validFranceBBAN, genFranceBBAN(r)) || !validate(validItalyBBAN, genItalyBBAN(r)) || !validate(validSpainBBAN, genSpainBBAN(r)) {
			t.Fatal("a validator rejects a BBAN whose check digits were computed independently")
		}
	}
	for i, bad := range []string{
		"2100 0418-4502 0005 1332",   // mixed separators
		"21000418450200051332 1",     // a longer number (Spain needs 20)
		"X054281110100000012345",     // Italy one short
		"2004101005050001302606 123", // France wrong length
	} {
		if validate(validSpainBBAN, bad) || validate(validItalyBBAN, bad) || validate(validFranceBBAN, bad) {
			t.Errorf("accepts malformed BBAN %d", i)
		}
	}
	// The tail of a grouped IBAN belongs to the IBAN.
	if validateIn(validBBAN, "DE89 «3704 0044 0532 0130 00»") || !validateIn(validBBAN, "BBAN «3704 0044 0532 0130 00»") {
		t.Error("validBBAN does not tell a BBAN from the tail of an IBAN")
	}
	if !validate(validSortCodeAccount, "60-16-13 31926819") || validate(validSortCodeAccount, "00-00-00 00000000") ||
		validateIn(validSortCodeAccount, "1-«60-16-13 31926819»") {
		t.Error("validSortCodeAccount")
	}
}

func TestCardDataValidators(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(9)
	pan := GenCard(r, "4", 16)
	for _, ok := range []string{genTrack1(r, pan, "12"), genTrack2(r, pan, "01"), pan + "=2701101"} {
		if !validate(validTrack, ok) {
			t.Errorf("validTrack rejects a %d-byte track", len(ok))
		}
	}
	for i, bad := range []string{
		genTrack2(r, pan, "00"), genTrack2(r, pan, "13"), genTrack1(r, "4111111111111112", "01"),
		genTrack2(r, GenCard(r, "99", 16), "01"), "B" + pan + "^2701101",
	} {
		if validate(validTrack, bad) {
			t.Errorf("validTrack accepts bad track %d", i)
		}
	}
	if validateIn(validTrack, "x«"+genTrack2(r, pan, "01")[1:]+"»") {
		t.Error("validTrack accepts a track glued to a word")
	}
	for i, ok := range []string{"expY=«2026»", `"exp_month": «7»`, "cardExpiryYear: «2030»", "EXPM = '«02»'"} {
		if !validateIn(validExpiryField, ok) {
			t.Errorf("validExpiryField rejects field %d", i)
		}
	}
	for i, bad := range []string{"expiry in «2026»", "year=«2026»", "«2026»", "exp «02»", "expYard=«12»"} {
		if validateIn(validExpiryField, bad) {
			t.Errorf("validExpiryField accepts non-field %d", i)
		}
	}
	for i, bad := range []string{"14/«02/26»", "«02/26»/2024", "«2026-02»-14"} {
		if validateIn(standaloneDate, bad) {
			t.Errorf("standaloneDate accepts part %d of a longer date", i)
		}
	}
	for i, bad := range []string{"4539 «1488» 0343", "12:«30»", "«123»-45"} {
		if validateIn(standaloneNumber, bad) {
			t.Errorf("standaloneNumber accepts group %d of a longer number", i)
		}
	}
	if !validateIn(standaloneNumber, "cvv: «123», exp") || validate(validBankAccount, "000000000") || !validate(validBankAccount, "000000001") {
		t.Error("standaloneNumber or validBankAccount")
	}
}

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

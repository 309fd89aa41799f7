// Package corpus makes deterministic test data: valid and invalid sensitive
// values, and corpora of prose, logs, CSV and JSONL for tests, fixtures and
// benchmarks. Every value is synthetic.
package corpus

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
)

// Gen makes values from a seeded source, so the same seed gives the same data.
type Gen struct{ r *rand.Rand }

// New returns a generator for seed.
func New(seed uint64) *Gen { return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// Digits returns n random decimal digits.
func (g *Gen) Digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// LuhnDigit returns the check digit that makes payload+digit pass Luhn.
func LuhnDigit(payload string) byte {
	sum := 0
	double := true // the check digit will be appended, so the last payload digit doubles
	for i := len(payload) - 1; i >= 0; i-- {
		n := int(payload[i] - '0')
		if double {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// Card returns a Luhn-valid card number with the given prefix and length.
func (g *Gen) Card(prefix string, length int) string {
	p := prefix + g.Digits(length-len(prefix)-1)
	return p + string(LuhnDigit(p))
}

// BadLuhn returns the card with its check digit changed.
func BadLuhn(card string) string {
	last := card[len(card)-1]
	return card[:len(card)-1] + string('0'+(last-'0'+1)%10)
}

// GroupCard prints a 16-digit number in four groups split by sep.
func GroupCard(card, sep string) string {
	var parts []string
	for i := 0; i < len(card); i += 4 {
		parts = append(parts, card[i:min(i+4, len(card))])
	}
	return strings.Join(parts, sep)
}

// SSN returns a US SSN the SSA could issue, formatted with sep between groups.
func (g *Gen) SSN(sep string) string {
	area := 1 + g.r.IntN(899)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d%s%02d%s%04d", area, sep, 1+g.r.IntN(99), sep, 1+g.r.IntN(9999))
}

// IBAN returns a valid IBAN for country with the given BBAN.
func IBAN(country, bban string) string {
	num := new(big.Int)
	var digits strings.Builder
	for _, c := range bban + country + "00" {
		if c >= 'A' && c <= 'Z' {
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		} else {
			digits.WriteRune(c)
		}
	}
	num.SetString(digits.String(), 10)
	check := 98 - new(big.Int).Mod(num, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d%s", country, check, bban)
}

// GroupIBAN prints an IBAN in groups of four split by sep.
func GroupIBAN(iban, sep string) string { return GroupCard(iban, sep) }

// AWSSecret returns a 40-character secret access key shaped value.
func (g *Gen) AWSSecret() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
	for {
		b := make([]byte, 40)
		for i := range b {
			b[i] = chars[g.r.IntN(len(chars))]
		}
		s := string(b)
		if strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(s, "0123456789") {
			return s
		}
	}
}

// JWT returns a signed-looking JSON Web Token.
func (g *Gen) JWT() string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","iat":%d}`, g.Digits(8), 1700000000+g.r.IntN(1e8))))
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(g.r.IntN(256))
	}
	return header + "." + payload + "." + enc.EncodeToString(sig)
}

// USPhone returns a NANP number: area and exchange start with 2–9.
func (g *Gen) USPhone() (area, exchange, line string) {
	return fmt.Sprintf("%d%s", 2+g.r.IntN(8), g.Digits(2)),
		fmt.Sprintf("%d%s", 2+g.r.IntN(8), g.Digits(2)),
		g.Digits(4)
}

package identifiers

import (
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/corpus"
)

// The national check digits inside BBANs, computed here another way than
// the validators do, to give generated IBANs valid ones. Each overwrites
// the check characters of a random BBAN, so generators draw the same
// random characters as before.

// bigMod returns the decimal string s modulo m.
func bigMod(s string, m int64) int64 {
	n, _ := new(big.Int).SetString(s, 10)
	return new(big.Int).Mod(n, big.NewInt(m)).Int64()
}

// ribDigits spells a French account's letters as their RIB digits.
func ribDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'A' {
			b.WriteByte("123456789123456789234567890"[c-'A'])
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// weightedDigit returns the digit that makes the weighted sum of body and
// itself (its weight last) a multiple of m, or -1 when none does.
func weightedDigit(body string, w []int, m int) int {
	for d := range 10 {
		sum := 0
		for i, c := range body + strconv.Itoa(d) {
			sum += int(c-'0') * w[i]
		}
		if sum%m == 0 {
			return d
		}
	}
	return -1
}

func setAt(s string, i int, c byte) string { return s[:i] + string(c) + s[i+1:] }

// fixNational returns bban with the national check characters of its
// country made right (unchanged for a country without them).
func fixNational(country, bban string) string {
	switch country {
	case "FR", "MC", "MR":
		key := 97 - bigMod(ribDigits(bban[:21])+"00", 97)
		return bban[:21] + strconv.FormatInt(100+key, 10)[1:]
	case "IT", "SM":
		return genItalyCIN(bban[1:]) + bban[1:]
	case "ES":
		dc := func(d string) byte {
			w := []int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
			sum := 0
			for i, c := range d {
				sum += int(c-'0') * w[i]
			}
			return "01987654321"[sum%11]
		}
		return bban[:8] + string(dc("00"+bban[:8])) + string(dc(bban[10:])) + bban[10:]
	case "PT", "TL", "SI", "RS", "ME", "BA":
		body := bban[:len(bban)-2]
		return body + strconv.FormatInt(100+98-bigMod(body+"00", 97), 10)[1:]
	case "FI":
		// Luhn: the digit that makes the doubled-alternate sum end in 0.
		body := bban[:len(bban)-1]
		for d := byte('0'); d <= '9'; d++ {
			sum := 0
			for i, c := range body + string(d) {
				v := int(c - '0')
				if (len(body)-i)%2 == 1 {
					v *= 2
					v = v/10 + v%10
				}
				sum += v
			}
			if sum%10 == 0 {
				return body + string(d)
			}
		}
	case "PL":
		return setAt(bban, 7, byte('0'+weightedDigit(bban[:7], []int{3, 9, 7, 1, 3, 9, 7, 1}, 10)))
	case "AL", "HU":
		w := []int{9, 7, 3, 1, 9, 7, 3, 1, 9, 7, 3, 1, 9, 7, 3, 1}
		bban = setAt(bban, 7, byte('0'+weightedDigit(bban[:7], w, 10)))
		if country == "HU" {
			bban = setAt(bban, 23, byte('0'+weightedDigit(bban[8:23], w, 10)))
		}
		return bban
	case "CZ", "SK":
		// Each part's weights end in 1; a part no last digit fits has its
		// digit before changed until one does.
		for _, part := range []struct {
			from, to int
			w        []int
		}{{4, 10, []int{10, 5, 8, 4, 2, 1}}, {10, 20, []int{6, 3, 7, 9, 10, 5, 8, 4, 2, 1}}} {
			for {
				d := weightedDigit(bban[part.from:part.to-1], part.w, 11)
				if d >= 0 {
					bban = setAt(bban, part.to-1, byte('0'+d))
					break
				}
				bban = setAt(bban, part.to-2, '0'+(bban[part.to-2]-'0'+1)%10)
			}
		}
		return bban
	case "HR":
		// ISO 7064 MOD 11,10: the digit after which the running product
		// comes back to 1.
		digit := func(body string) byte {
			for d := byte('0'); d <= '9'; d++ {
				p := 10
				for _, c := range body + string(d) {
					s := (p + int(c-'0')) % 10
					if s == 0 {
						s = 10
					}
					p = s * 2 % 11
				}
				if p == 2 { // s was 1 at the check digit
					return d
				}
			}
			return 0
		}
		bban = setAt(bban, 6, digit(bban[:6]))
		return setAt(bban, 16, digit(bban[7:16]))
	}
	return bban
}

// genItalyCIN is the CIN letter over the 22 characters after it.
func genItalyCIN(body string) string {
	const odd = "BAFHJNPRTVCESULDGIMOQKWZYX"
	sum := 0
	for i, c := range body {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c - 'A')
		}
		if i%2 == 0 {
			v = int(odd[v] - 'A')
		}
		sum += v
	}
	return string(rune('A' + sum%26))
}

// TestNationalChecks: the registry's example IBANs and generated ones
// pass; an IBAN whose BBAN was changed where its national check covers it,
// with its IBAN check digits recomputed so mod-97 passes, is rejected.
func TestNationalChecks(t *testing.T) {
	t.Parallel()
	// Where to change each country's BBAN: a character its national
	// check covers.
	changeAt := map[string]int{
		"ES": 12, "FR": 12, "MC": 12, "MR": 12, "IT": 5, "SM": 5, "PT": 0, "TL": 0, "SI": 0, "RS": 0,
		"ME": 0, "BA": 0, "FI": 3, "PL": 0, "AL": 0, "HU": 10, "CZ": 12, "SK": 12, "HR": 9,
	}
	for cc := range nationalChecks {
		if _, ok := changeAt[cc]; !ok {
			t.Errorf("%s: no change to test its national check with", cc)
		}
	}
	e, _ := managed(t)
	r := NewCorpusRand(9)
	for _, row := range ibans {
		if !validate(validIBAN, row.example) {
			t.Errorf("%s: the registry's example fails", row.country)
		}
		for n := range 50 {
			iban := GenIBAN(r, row.country)
			if !validate(validIBAN, iban) || !validate(validIBAN, GroupBy(iban, 4, " ")) {
				t.Fatalf("%s: a generated IBAN fails", row.country)
			}
			k, ok := changeAt[row.country]
			if !ok {
				continue
			}
			bban := iban[4:]
			bad := corpus.IBAN(row.country, setAt(bban, k, '0'+(bban[k]-'0'+1)%10))
			if !validate(func(text []byte, s, e int) bool { return bigMod97(text[s:e]) }, bad) {
				t.Fatalf("%s: the changed IBAN fails mod-97; the test is wrong", row.country)
			}
			if validate(validIBAN, bad) {
				t.Errorf("%s: a BBAN changed at %d passes its national check", row.country, k)
			}
			if n == 0 {
				// The Engine reports the IBAN, not the changed one.
				if countID(e, "IBAN "+GroupBy(iban, 4, " "), row.id) != 1 || countID(e, "IBAN "+GroupBy(bad, 4, " "), row.id) != 0 {
					t.Errorf("%s: the Engine does not tell the IBAN from the changed one", row.country)
				}
			}
		}
	}
}

// bigMod97 is the ISO 13616 check alone, computed with big integers.
func bigMod97(v []byte) bool {
	s := string(v[4:]) + string(v[:4])
	var digits strings.Builder
	for _, c := range s {
		if c >= 'A' {
			digits.WriteString(strconv.Itoa(int(c-'A') + 10))
		} else {
			digits.WriteRune(c)
		}
	}
	return bigMod(digits.String(), 97) == 1
}

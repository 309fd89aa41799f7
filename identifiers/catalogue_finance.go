package identifiers

import (
	"fmt"
	"slices"
	"strings"
)

// The CREDENTIALS and FINANCIAL_INFORMATION entries beyond those in
// catalogue.go. Keyword lists are Macie's, copied from its managed data
// identifier pages; patterns and validators are trawl's.

// keyNL is a line break inside a key file: a real one, or one escaped in a
// JSON or YAML string.
const keyNL = `(?:\r?\n|\\r\\n|\\n)`

// keyBody is a base64 body over lines; it stops at the '-' of an END line,
// or at the ':' of a "Version:" or "Proc-Type:" armor header, which the
// validators read past: a pattern that took headers would have nearly every
// byte in its class and make the Engine run it over whole paragraphs.
const keyBody = `(?:[A-Za-z0-9+/=\s]|\\[nr])+`

// puttyValue is a PuTTY header value: Macie detects only alphanumerics and
// hyphens there.
const puttyValue = `[A-Za-z0-9-]+`

// puttyLines is a run of base64 lines after Public-Lines or Private-Lines.
const puttyLines = `(?:[A-Za-z0-9+/=]+` + keyNL + `)+`

func credentialFinancialEntries() []*Identifier {
	return slices.Concat(credentialEntries(), ibanEntries(), cardEntries())
}

func credentialEntries() []*Identifier {
	return []*Identifier{
		{
			// Only the keyString: Google API keys are "AIza" and 35 more.
			ID: "GCP_API_KEY", Category: Credentials,
			Pattern: `AIza[0-9A-Za-z_-]{35}`,
			Keywords: []string{
				"G_PLACES_KEY", "GCP api key", "GCP key", "google cloud key", "google-api-key",
				"google-cloud-apikeys", "GOOGLEKEY", "X-goog-api-key",
			},
			Keyword: KeywordRequired, Validate: validGCPKey, Check: checkGCPKey, Severity: AlwaysHigh,
		},
		{
			// The whole header, field name and scheme included (RFC 7617), as
			// a line of an HTTP message or a quoted field of code or JSON.
			ID: "HTTP_BASIC_AUTH_HEADER", Category: Credentials,
			Pattern:  `(?i:(?:proxy-)?authorization)["']?[ \t]*:[ \t]*["']?[Bb][Aa][Ss][Ii][Cc][ \t]+[A-Za-z0-9+/]{2,}={0,2}`,
			Validate: validBasicAuth, Check: checkBasicAuth, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "PGP_PRIVATE_KEY", Category: Credentials,
			Pattern:  pgpHeader + keyBody + `(?:-----END PGP PRIVATE KEY BLOCK-----)?`,
			Validate: validPGPKey, Check: checkPGPKey, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// PKCS #8 (plain and encrypted) and PKCS #1 RSA keys, and the DSA
			// and SEC 1 EC keys that OpenSSL writes in the same PEM form.
			ID: "PKCS", Category: Credentials,
			Pattern: `-----BEGIN (?:RSA |DSA |EC |ENCRYPTED )?PRIVATE KEY-----` + keyBody +
				`(?:-----END (?:RSA |DSA |EC |ENCRYPTED )?PRIVATE KEY-----)?`,
			Validate: validPKCSKey, Check: checkPKCSKey, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Macie: the standard headers in order; the Argon2 ones are those
			// of an encrypted version 3 file.
			ID: "PUTTY_PRIVATE_KEY", Category: Credentials,
			Pattern: `PuTTY-User-Key-File-[23]: ` + puttyValue + keyNL +
				`Encryption: ` + puttyValue + keyNL +
				`Comment: ` + puttyValue + keyNL +
				`Public-Lines: \d{1,4}` + keyNL + puttyLines +
				`(?:(?:Key-Derivation|Argon2-Memory|Argon2-Passes|Argon2-Parallelism|Argon2-Salt): [A-Za-z0-9]+` + keyNL + `)*` +
				`Private-Lines: \d{1,4}` + keyNL + puttyLines +
				`Private-MAC: [0-9A-Za-z+]+`,
			Validate: validPuTTYKey, Check: checkPuTTYKey, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Secret, restricted and publishable keys, live and test mode.
			ID: "STRIPE_CREDENTIALS", Category: Credentials,
			Pattern:  `\b[prs]k_(?:live|test)_[0-9A-Za-z]{24,247}\b`,
			Validate: validStripeKey, Check: checkStripeKey, Severity: AlwaysHigh,
		},
	}
}

// ibans are the 52 countries whose IBAN Macie reports: Macie's ID, the ISO
// country code, the BBAN structure from the ISO 13616 IBAN registry (n
// digits, a upper-case letters, c either; "4a6n8n" is four letters, six
// digits, eight digits) and the registry's example IBAN. Any two characters
// may have one space or hyphen between them; validIBAN checks mod-97.
var ibans = []struct{ id, country, bban, example string }{
	{"ALBANIA_BANK_ACCOUNT_NUMBER", "AL", "8n16c", "AL47212110090000000235698741"},
	{"ANDORRA_BANK_ACCOUNT_NUMBER", "AD", "4n4n12c", "AD1200012030200359100100"},
	{"BOSNIA_AND_HERZEGOVINA_BANK_ACCOUNT_NUMBER", "BA", "3n3n8n2n", "BA391290079401028494"},
	{"BRAZIL_BANK_ACCOUNT_NUMBER", "BR", "8n5n10n1a1c", "BR1800360305000010009795493C1"},
	{"BULGARIA_BANK_ACCOUNT_NUMBER", "BG", "4a4n2n8c", "BG80BNBG96611020345678"},
	{"COSTA_RICA_BANK_ACCOUNT_NUMBER", "CR", "4n14n", "CR05015202001026284066"},
	{"CROATIA_BANK_ACCOUNT_NUMBER", "HR", "7n10n", "HR1210010051863000160"},
	{"CYPRUS_BANK_ACCOUNT_NUMBER", "CY", "3n5n16c", "CY17002001280000001200527600"},
	{"CZECH_REPUBLIC_BANK_ACCOUNT_NUMBER", "CZ", "4n6n10n", "CZ6508000000192000145399"},
	{"DENMARK_BANK_ACCOUNT_NUMBER", "DK", "4n9n1n", "DK5000400440116243"},
	{"DOMINICAN_REPUBLIC_BANK_ACCOUNT_NUMBER", "DO", "4c20n", "DO28BAGR00000001212453611324"},
	{"EGYPT_BANK_ACCOUNT_NUMBER", "EG", "4n4n17n", "EG380019000500000000263180002"},
	{"ESTONIA_BANK_ACCOUNT_NUMBER", "EE", "2n14n", "EE382200221020145685"},
	{"FAROE_ISLANDS_BANK_ACCOUNT_NUMBER", "FO", "4n9n1n", "FO6264600001631634"},
	{"FINLAND_BANK_ACCOUNT_NUMBER", "FI", "3n11n", "FI2112345600000785"},
	{"FRANCE_BANK_ACCOUNT_NUMBER", "FR", "5n5n11c2n", "FR1420041010050500013M02606"},
	{"GEORGIA_BANK_ACCOUNT_NUMBER", "GE", "2a16n", "GE29NB0000000101904917"},
	{"GERMANY_BANK_ACCOUNT_NUMBER", "DE", "8n10n", "DE89370400440532013000"},
	{"GREECE_BANK_ACCOUNT_NUMBER", "GR", "3n4n16c", "GR1601101250000000012300695"},
	{"GREENLAND_BANK_ACCOUNT_NUMBER", "GL", "4n9n1n", "GL8964710001000206"},
	{"HUNGARY_BANK_ACCOUNT_NUMBER", "HU", "3n4n1n15n1n", "HU42117730161111101800000000"},
	{"ICELAND_BANK_ACCOUNT_NUMBER", "IS", "4n2n6n10n", "IS140159260076545510730339"},
	{"IRELAND_BANK_ACCOUNT_NUMBER", "IE", "4a6n8n", "IE29AIBK93115212345678"},
	{"ITALY_BANK_ACCOUNT_NUMBER", "IT", "1a5n5n12c", "IT60X0542811101000000123456"},
	{"JORDAN_BANK_ACCOUNT_NUMBER", "JO", "4a4n18c", "JO94CBJO0010000000000131000302"},
	{"KOSOVO_BANK_ACCOUNT_NUMBER", "XK", "4n10n2n", "XK051212012345678906"},
	{"LIECHTENSTEIN_BANK_ACCOUNT_NUMBER", "LI", "5n12c", "LI21088100002324013AA"},
	{"LITHUANIA_BANK_ACCOUNT_NUMBER", "LT", "5n11n", "LT121000011101001000"},
	{"MALTA_BANK_ACCOUNT_NUMBER", "MT", "4a5n18c", "MT84MALT011000012345MTLCAST001S"},
	{"MAURITANIA_BANK_ACCOUNT_NUMBER", "MR", "5n5n11n2n", "MR1300020001010000123456753"},
	{"MAURITIUS_BANK_ACCOUNT_NUMBER", "MU", "4a2n2n12n3n3a", "MU17BOMM0101101030300200000MUR"},
	{"MONACO_BANK_ACCOUNT_NUMBER", "MC", "5n5n11c2n", "MC5811222000010123456789030"},
	{"MONTENEGRO_BANK_ACCOUNT_NUMBER", "ME", "3n13n2n", "ME25505000012345678951"},
	{"NETHERLANDS_BANK_ACCOUNT_NUMBER", "NL", "4a10n", "NL91ABNA0417164300"},
	{"NORTH_MACEDONIA_BANK_ACCOUNT_NUMBER", "MK", "3n10c2n", "MK07250120000058984"},
	{"POLAND_BANK_ACCOUNT_NUMBER", "PL", "8n16n", "PL61109010140000071219812874"},
	{"PORTUGAL_BANK_ACCOUNT_NUMBER", "PT", "4n4n11n2n", "PT50000201231234567890154"},
	{"SAN_MARINO_BANK_ACCOUNT_NUMBER", "SM", "1a5n5n12c", "SM86U0322509800000000270100"},
	{"SENEGAL_BANK_ACCOUNT_NUMBER", "SN", "2c22n", "SN08SN0100152000048500003035"},
	{"SERBIA_BANK_ACCOUNT_NUMBER", "RS", "3n13n2n", "RS35260005601001611379"},
	{"SLOVAKIA_BANK_ACCOUNT_NUMBER", "SK", "4n6n10n", "SK3112000000198742637541"},
	{"SLOVENIA_BANK_ACCOUNT_NUMBER", "SI", "5n8n2n", "SI56263300012039086"},
	{"SPAIN_BANK_ACCOUNT_NUMBER", "ES", "4n4n1n1n10n", "ES9121000418450200051332"},
	{"SWEDEN_BANK_ACCOUNT_NUMBER", "SE", "3n16n1n", "SE4550000000058398257466"},
	{"SWITZERLAND_BANK_ACCOUNT_NUMBER", "CH", "5n12c", "CH9300762011623852957"},
	{"TIMOR_LESTE_BANK_ACCOUNT_NUMBER", "TL", "3n14n2n", "TL380080012345678910157"},
	{"TUNISIA_BANK_ACCOUNT_NUMBER", "TN", "2n3n13n2n", "TN5910006035183598478831"},
	{"TURKIYE_BANK_ACCOUNT_NUMBER", "TR", "5n1n16c", "TR330006100519786457841326"},
	{"UK_BANK_ACCOUNT_NUMBER", "GB", "4a6n8n", "GB29NWBK60161331926819"},
	{"UKRAINE_BANK_ACCOUNT_NUMBER", "UA", "6n19c", "UA213223130000026007233566001"},
	{"UNITED_ARAB_EMIRATES_BANK_ACCOUNT_NUMBER", "AE", "3n16n", "AE070331234567890123456"},
	{"VIRGIN_ISLANDS_BANK_ACCOUNT_NUMBER", "VG", "4a16n", "VG96VPVG0000012345678901"},
}

// bbanClasses gives the pattern of one character of each BBAN class.
var bbanClasses = map[byte]string{'n': `\d`, 'a': `[A-Z]`, 'c': `[0-9A-Z]`}

// bbanField is one field of an ISO 13616 BBAN structure ("5n" is five
// digits): how many characters, and the class they come from.
type bbanField struct {
	n     int
	class string
}

// bbanFields parses a structure such as "5n5n11c2n".
func bbanFields(structure string) []bbanField {
	var out []bbanField
	n := 0
	for i := 0; i < len(structure); i++ {
		c := structure[i]
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
			continue
		}
		class, ok := bbanClasses[c]
		if !ok || n == 0 {
			panic("identifiers: bad BBAN structure " + structure)
		}
		out = append(out, bbanField{n, class})
		n = 0
	}
	return out
}

// bbanPattern turns an ISO 13616 structure into the pattern of an IBAN's
// BBAN, in which one space or hyphen may stand before every character.
func bbanPattern(structure string) string {
	var sb strings.Builder
	for _, f := range bbanFields(structure) {
		fmt.Fprintf(&sb, `(?:[ -]?%s){%d}`, f.class, f.n)
	}
	return sb.String()
}

// ibanPattern is the pattern of a country's IBAN: its code, two check
// digits and the BBAN.
func ibanPattern(country, structure string) string {
	return country + `\d{2}` + bbanPattern(structure)
}

// domesticBBANPattern turns an ISO 13616 structure into the pattern of a
// BBAN written alone: compact, in groups of four, or split between its
// fields ("30006 00001 12345678901 89"), one space or hyphen at a time.
// Fewer places for a separator than bbanPattern keeps the pattern cheap to
// run: it has no literal to start from.
func domesticBBANPattern(structure string) string {
	var classes []string
	fieldStart := map[int]bool{}
	for _, f := range bbanFields(structure) {
		fieldStart[len(classes)] = true
		for range f.n {
			classes = append(classes, f.class)
		}
	}
	var sb strings.Builder
	for i := 0; i < len(classes); {
		if i > 0 {
			sb.WriteString(`[ -]?`)
		}
		j := i + 1
		for j < len(classes) && classes[j] == classes[i] && j%4 != 0 && !fieldStart[j] {
			j++
		}
		sb.WriteString(classes[i])
		if j-i > 1 {
			fmt.Fprintf(&sb, "{%d}", j-i)
		}
		i = j
	}
	return sb.String()
}

// bbanKeywords are Macie's keywords for the domestic BBAN forms.
var bbanKeywords = map[string][]string{
	"FR": {"account code", "account number", "accountno#", "accountnumber#", "bban", "code bancaire", "compte bancaire",
		"customer account id", "customer account number", "customer bank account id", "iban", "numéro de compte"},
	"DE": {"account code", "account number", "accountno#", "accountnumber#", "bankleitzahl", "bban", "customer account id",
		"customer account number", "customer bank account id", "geheimzahl", "iban", "kartennummer", "kontonummer",
		"kreditkartennummer", "sepa"},
	"IT": {"account code", "account number", "accountno#", "accountnumber#", "bban", "codice bancario", "conto bancario",
		"customer account id", "customer account number", "customer bank account id", "iban", "numero di conto"},
	"ES": {"account code", "account number", "accountno#", "accountnumber#", "bban", "código cuenta", "código cuenta bancaria",
		"cuenta cliente id", "customer account ID", "customer account number", "customer bank account id", "iban",
		"número cuenta bancaria cliente", "número cuenta cliente"},
	"GB": {"account code", "account number", "accountno#", "accountnumber#", "bban", "customer account id",
		"customer account number", "customer bank account id", "iban", "sepa"},
}

// bbanChecks are the national check digits of the BBANs that have them;
// Germany's and the UK's depend on the bank, so only their structure is
// checked.
var bbanChecks = map[string]struct {
	validate func(text []byte, s, e int) bool
	check    string // what validate checks
}{
	"FR": {validFranceBBAN, checkFranceBBAN}, "DE": {validBBAN, checkBBAN}, "IT": {validItalyBBAN, checkItalyBBAN},
	"ES": {validSpainBBAN, checkSpainBBAN}, "GB": {validBBAN, checkBBAN},
}

// ibanEntries returns, per country, the IBAN (no keyword needed) and, for
// the five countries Macie names, the domestic BBAN with a keyword.
func ibanEntries() []*Identifier {
	var out []*Identifier
	for _, c := range ibans {
		out = append(out, &Identifier{
			ID: c.id, Category: Financial, Countries: []string{c.country},
			Pattern:  ibanPattern(c.country, c.bban),
			Validate: validIBAN, Check: checkIBAN, Severity: AlwaysHigh,
		})
		if kws := bbanKeywords[c.country]; kws != nil {
			out = append(out, &Identifier{
				ID: c.id, Category: Financial, Countries: []string{c.country},
				Pattern: domesticBBANPattern(c.bban), Keywords: kws, Keyword: KeywordRequired,
				Validate: bbanChecks[c.country].validate, Check: bbanChecks[c.country].check, Severity: AlwaysHigh,
			})
		}
		if c.country == "GB" {
			// The UK's domestic form: sort code and account number,
			// "60-16-13 31926819".
			out = append(out, &Identifier{
				ID: c.id, Category: Financial, Countries: []string{c.country},
				Pattern:  `\b\d{2}-\d{2}-\d{2}[ -]?\d{8}\b|\b\d{6} \d{8}\b`,
				Keywords: bbanKeywords["GB"], Keyword: KeywordRequired,
				Validate: validSortCodeAccount, Check: checkSortCodeAccount, Severity: AlwaysHigh,
			})
		}
	}
	return out
}

var (
	expiryKeywords = []string{"exp d", "exp m", "exp y", "expiration", "expiry"}
	stripeKeywords = []string{"card data", "iso7813", "mag", "magstripe", "stripe", "swipe"}
	cvvKeywords    = []string{
		"card id", "card identification code", "card identification number", "card security code",
		"card validation code", "card validation number", "card verification data",
		"card verification value", "cvc", "cvc2", "cvv", "cvv2", "elo verification code",
	}
	bankAccountKeywords = []string{
		"bank account", "bank acct", "checking account", "checking acct", "deposit account", "deposit acct",
		"savings account", "savings acct", "chequing account", "chequing acct",
	}
)

// cardEntries are the US/Canadian bank account and the card data beside
// the card number.
func cardEntries() []*Identifier {
	expiry := func(pattern string) *Identifier {
		return &Identifier{
			ID: "CREDIT_CARD_EXPIRATION", Category: Financial, Pattern: pattern,
			Keywords: expiryKeywords, Keyword: KeywordRequired, Validate: validExpiry, Check: checkExpiry, Severity: ByCount,
		}
	}
	stripe := func(pattern string) *Identifier {
		return &Identifier{
			ID: "CREDIT_CARD_MAGNETIC_STRIPE", Category: Financial, Pattern: pattern,
			Keywords: stripeKeywords, Keyword: KeywordRequired, Validate: validTrack, Check: checkTrack,
			Severity: AlwaysHigh, Recommended: true,
		}
	}
	return []*Identifier{
		{
			// 9–17 digits with no spaces.
			ID: "BANK_ACCOUNT_NUMBER", Category: Financial, Countries: []string{"US", "CA"},
			Pattern:  `\b\d{9,17}\b`,
			Keywords: bankAccountKeywords, Keyword: KeywordRequired,
			Validate: validBankAccount, Check: checkBankAccount, Severity: AlwaysHigh,
		},
		// Macie's examples: 02/26, 02/2026, Feb 2026, 26-Feb, expY=2026.
		// Digit rules that ask only for \d, so that the Engine memoises
		// them and runs validExpiry before it looks for a keyword; a month
		// name in a pattern would put letters in its class and make the
		// Engine walk all prose. For "Feb 2026" the year is what is
		// reported; a lone year is 20xx (so "Feb 26" and "26-Feb" are not
		// covered: every two-digit number of a table would be a candidate,
		// which halved the CSV benchmark).
		expiry(`\b(?:\d{1,2}[/-]\d{2}(?:\d{2})?|\d{4}[/-]\d{1,2})\b`),
		expiry(`\b20\d{2}\b`),
		// A field, "expY=2026" or "exp_month": 7, is found from its "exp"
		// and reported whole.
		expiry(`(?i:exp)[A-Za-z_-]{0,12}["']?[ \t]*[=:][ \t]*["']?\d{1,4}\b`),
		// Track 1 (IATA): %B, PAN, ^NAME^, YYMM, service code, discretionary
		// data, ?; its 6-bit alphabet has no lower case. Track 2 (ABA):
		// ;PAN=YYMM, service code, discretionary data, ?.
		stripe(`%?B\d{12,19}\^[A-Z0-9 /.'-]{2,26}\^\d{7}\d{0,40}\??`),
		stripe(`;?\d{12,19}=\d{7}\d{0,20}\??`),
		{
			ID: "CREDIT_CARD_SECURITY_CODE", Category: Financial,
			Pattern:  `\b\d{3,4}\b`,
			Keywords: cvvKeywords, Keyword: KeywordRequired,
			Validate: standaloneNumber, Check: checkStandaloneNumber, Severity: SeverityRule{Medium, High, High},
		},
	}
}

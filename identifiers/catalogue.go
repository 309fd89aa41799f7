package identifiers

import "slices"

// The managed data identifiers, as a table. IDs, categories, keyword lists,
// severity rules and membership of the RECOMMENDED set are Macie's
// (../shared/spec/MACIE.md §1, §4; Macie's managed data identifier pages).
// Patterns and validators are trawl's: Macie does not publish them.

// managedDistance is Macie's keyword proximity for managed identifiers.
const managedDistance = 30

var cardKeywords = []string{
	"account number", "american express", "amex", "bank card", "c card", "card", "cc #", "cc#", "ccn",
	"check card", "cred card", "credit", "credit card", "credit cards", "credit no", "credit num",
	"dankort", "debit", "debit card", "debit no", "debit num", "diners club", "discover", "electron",
	"japanese card bureau", "jcb", "mastercard", "mc", "pan", "payment account number",
	"payment card number", "pcn", "pmnt #", "pmnt card", "pmnt no", "pmnt number", "union pay", "visa",
}

var phoneKeywords = []string{
	"cell", "contact", "fax", "fax number", "mobile", "phone", "phone number", "tel", "telephone",
	"telephone number",
}

// cardPattern is 13–19 digits, optionally in groups split by one space or
// hyphen; validCard checks the grouping, brand and Luhn digit.
const cardPattern = `\b\d(?:[ -]?\d){12,18}\b`

// nanp is a US/Canadian number after the country code: area code (maybe in
// parentheses) and exchange both start with 2–9.
const nanp = `(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}\b`

var catalogue = []*Identifier{
	{
		ID: "AWS_CREDENTIALS", Category: Credentials,
		Pattern:  `[A-Za-z0-9/+]{40}`,
		Keywords: []string{"aws_secret_access_key", "credentials", "secret access key", "secret key", "set-awscredential"},
		Keyword:  KeywordRequired, Validate: validAWSSecret, Check: checkAWSSecret,
		Severity: AlwaysHigh, Recommended: true,
	},
	{
		ID: "JSON_WEB_TOKEN", Category: Credentials,
		Pattern:  `eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`,
		Validate: validJWTToken, Check: checkJWTToken, Severity: AlwaysHigh,
	},
	{
		ID: "OPENSSH_PRIVATE_KEY", Category: Credentials,
		Pattern:  `-----BEGIN OPENSSH PRIVATE KEY-----(?:[A-Za-z0-9+/=\s]|\\[nr])+(?:-----END OPENSSH PRIVATE KEY-----)?`,
		Validate: validOpenSSHKey, Check: checkOpenSSHKey, Severity: AlwaysHigh, Recommended: true,
	},
	{
		ID: "CREDIT_CARD_NUMBER", Category: Financial,
		Pattern: cardPattern, Keywords: cardKeywords, Keyword: KeywordRequired,
		Validate: validCard, Check: checkCard, Severity: AlwaysHigh, Recommended: true,
	},
	{
		ID: "CREDIT_CARD_NUMBER_(NO_KEYWORD)", Category: Financial,
		Pattern: cardPattern, Keywords: cardKeywords, Keyword: KeywordAbsent,
		Validate: validCard, Check: checkCard, Severity: AlwaysHigh,
	},
	{
		ID: "USA_SOCIAL_SECURITY_NUMBER", Category: Personal, Countries: []string{"US"},
		Pattern:  `\b\d{3}[ -]?\d{2}[ -]?\d{4}\b`,
		Keywords: []string{"social security", "ss#", "ssn"}, Keyword: KeywordRequired,
		Validate: validSSN, Check: checkSSN, Severity: AlwaysHigh, Recommended: true,
	},
	{
		// With a keyword near, a number needs no country code.
		ID: "PHONE_NUMBER", Category: Personal, Countries: []string{"US", "CA"},
		Pattern:  `(?:(?:\+1|\b1)[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|\b[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}\b`,
		Keywords: phoneKeywords, Keyword: KeywordRequired, Severity: ByCount,
	},
	{
		// Without one, it must carry the country code.
		ID: "PHONE_NUMBER", Category: Personal, Countries: []string{"US", "CA"},
		Pattern:  `(?:\+1[ .-]?|\b1[ .-])` + nanp,
		Severity: ByCount,
	},
}

func init() {
	// The rest of the catalogue, by category, each in its own file.
	catalogue = slices.Concat(catalogue, credentialFinancialEntries(), personalEntries(), nameAddressEntries(), secretEntries())
	for _, id := range catalogue {
		if id.Distance == 0 {
			id.Distance = managedDistance
		}
	}
}

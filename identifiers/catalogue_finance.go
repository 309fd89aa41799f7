package identifiers

// The CREDENTIALS and FINANCIAL_INFORMATION entries beyond those in
// catalogue.go. Keyword lists are Macie's, copied from its managed data
// identifier pages; patterns and validators are trawl's.

// keyNL is a line break inside a key file: a real one, or one escaped in a
// JSON or YAML string.
const keyNL = `(?:\r?\n|\\r\\n|\\n)`

// armorHeaders are the "Name: value" lines that may follow a PEM or OpenPGP
// BEGIN line (Version:, Comment:, Proc-Type:, DEK-Info:).
const armorHeaders = `(?:(?:\s|\\[nr])+[A-Za-z][A-Za-z0-9-]*: [^\r\n\\]*)*`

// keyBody is a base64 body over lines; it stops at the '-' of an END line.
const keyBody = `(?:[A-Za-z0-9+/=\s]|\\[nr])+`

// puttyValue is a PuTTY header value: Macie detects only alphanumerics and
// hyphens there.
const puttyValue = `[A-Za-z0-9-]+`

// puttyLines is a run of base64 lines after Public-Lines or Private-Lines.
const puttyLines = `(?:[A-Za-z0-9+/=]+` + keyNL + `)+`

func credentialFinancialEntries() []*Identifier {
	return []*Identifier{
		{
			// Only the keyString: Google API keys are "AIza" and 35 more.
			ID: "GCP_API_KEY", Category: Credentials,
			Pattern: `AIza[0-9A-Za-z_-]{35}`,
			Keywords: []string{
				"G_PLACES_KEY", "GCP api key", "GCP key", "google cloud key", "google-api-key",
				"google-cloud-apikeys", "GOOGLEKEY", "X-goog-api-key",
			},
			Keyword: KeywordRequired, Validate: validGCPKey, Severity: AlwaysHigh,
		},
		{
			// The whole header, field name and scheme included (RFC 7617), as
			// a line of an HTTP message or a quoted field of code or JSON.
			ID: "HTTP_BASIC_AUTH_HEADER", Category: Credentials,
			Pattern:  `(?i:(?:proxy-)?authorization)["']?[ \t]*:[ \t]*["']?[Bb][Aa][Ss][Ii][Cc][ \t]+[A-Za-z0-9+/]{2,}={0,2}`,
			Validate: validBasicAuth, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "PGP_PRIVATE_KEY", Category: Credentials,
			Pattern:  pgpHeader + armorHeaders + keyBody + `(?:-----END PGP PRIVATE KEY BLOCK-----)?`,
			Validate: validPGPKey, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// PKCS #8 (plain and encrypted) and PKCS #1 RSA keys, and the DSA
			// and SEC 1 EC keys that OpenSSL writes in the same PEM form.
			ID: "PKCS", Category: Credentials,
			Pattern: `-----BEGIN (?:RSA |DSA |EC |ENCRYPTED )?PRIVATE KEY-----` + armorHeaders + keyBody +
				`(?:-----END (?:RSA |DSA |EC |ENCRYPTED )?PRIVATE KEY-----)?`,
			Validate: validPKCSKey, Severity: AlwaysHigh, Recommended: true,
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
			Validate: validPuTTYKey, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Secret, restricted and publishable keys, live and test mode.
			ID: "STRIPE_CREDENTIALS", Category: Credentials,
			Pattern:  `\b[prs]k_(?:live|test)_[0-9A-Za-z]{24,247}\b`,
			Validate: validStripeKey, Severity: AlwaysHigh,
		},
	}
}

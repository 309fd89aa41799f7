package identifiers

// Secrets beyond Macie's nine credential types: token formats that their
// vendors document, which a leaked repository or bucket often holds and
// which Macie does not report. They are trawl's own managed identifiers:
// their IDs carry the TRAWL_ prefix, so that tooling built for Macie's IDs
// tells them apart; they are CREDENTIALS, High at any count like Macie's
// credentials, and not in RECOMMENDED (which stays Macie's set). ALL and
// the SECRETS selector take them in.

// trawlPrefix begins the ID of every managed identifier that Macie does not have.
const trawlPrefix = "TRAWL_"

func secretEntries() []*Identifier {
	secret := func(id, pattern string, validate func([]byte, int, int) bool, check string) *Identifier {
		return &Identifier{
			ID: trawlPrefix + id, Category: Credentials, Pattern: pattern,
			Validate: validate, Check: check, Severity: AlwaysHigh, BeyondMacie: true,
		}
	}
	return []*Identifier{
		// GitHub's token formats (docs.github.com, "About authentication
		// to GitHub", GitHub's token prefixes): ghp_ personal access
		// (classic), gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server,
		// ghr_ refresh, each 36 base62 characters of which the last six
		// are the base62 CRC32 of the first thirty (GitHub's "Behind
		// GitHub's new authentication token formats", 2021).
		secret("GITHUB_TOKEN", `gh[pousr]_[0-9A-Za-z]{36}`, validGitHubToken, checkGitHubToken),
		// Fine-grained personal access tokens: github_pat_, 22 characters,
		// an underscore and 59 more; GitHub publishes no checksum for them.
		secret("GITHUB_TOKEN", `github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}`, validKeyToken, checkKeyToken),
		// Slack's token types (api.slack.com, "Token types"): bot xoxb-,
		// user xoxp-, workspace/legacy app xoxa-, refresh xoxr-, each
		// numeric IDs and a secret; app-level xapp-1-, the app ID, a
		// number and 64 hex digits.
		secret("SLACK_TOKEN", `xox[abpr]-[0-9]{1,13}(?:-[0-9]{6,13}){1,3}-[0-9A-Za-z]{24,64}`, validSlackToken, checkSlackToken),
		secret("SLACK_TOKEN", `xapp-[0-9]-[0-9A-Z]{9,12}-[0-9]{10,14}-[0-9a-f]{64}`, validKeyToken, checkKeyToken),
		// AWS access key IDs (IAM User Guide, "Understanding unique ID
		// prefixes"): AKIA long-term and ASIA temporary keys, 20
		// characters. Macie's AWS_CREDENTIALS is the secret access key
		// only, and needs a keyword; the ID alone already tells an
		// attacker whose account it is, and is half of the pair.
		secret("AWS_ACCESS_KEY_ID", `A(?:KIA|SIA)[0-9A-Z]{16}`, validAWSKeyID, checkAWSKeyID),
		// A password written into code or configuration: password,
		// passwd or pwd, = or :, and a value, quoted or not. The whole
		// assignment is reported, as HTTP_COOKIE reports its header.
		secret("PASSWORD_ASSIGNMENT", `(?i:passw(?:or)?d|pwd)["']?[ \t]*(?::=|[:=])[ \t]*(?:"[^"\s]{6,128}"|'[^'\s]{6,128}'|[^\s"'<>]{8,128})`,
			validPasswordAssignment, checkPasswordAssignment),
	}
}

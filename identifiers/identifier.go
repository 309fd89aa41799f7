package identifiers

// Category is Macie's API category of an identifier.
type Category string

const (
	Credentials Category = "CREDENTIALS"
	Financial   Category = "FINANCIAL_INFORMATION"
	Personal    Category = "PERSONAL_INFORMATION"
	Custom      Category = "CUSTOM_IDENTIFIER"
)

// Severity of a finding, with Macie's scores.
type Severity int

const (
	Low    Severity = 1
	Medium Severity = 2
	High   Severity = 3
)

func (s Severity) String() string {
	switch s {
	case Low:
		return "Low"
	case Medium:
		return "Medium"
	case High:
		return "High"
	}
	return "None"
}

// SeverityRule gives a type's severity for Macie's count buckets:
// one occurrence, 2–99, and 100 or more.
type SeverityRule [3]Severity

// For returns the severity for count occurrences.
func (r SeverityRule) For(count int) Severity {
	switch {
	case count >= 100:
		return r[2]
	case count >= 2:
		return r[1]
	}
	return r[0]
}

// Common severity rules from Macie's table.
var (
	AlwaysHigh = SeverityRule{High, High, High}
	ByCount    = SeverityRule{Low, Medium, High}
)

// KeywordRule says how keywords decide a match.
type KeywordRule int

const (
	// NoKeyword: keywords play no part.
	NoKeyword KeywordRule = iota
	// KeywordRequired: a keyword must be within the identifier's distance.
	KeywordRequired
	// KeywordAbsent: the match counts only when no keyword is near. Macie's
	// CREDIT_CARD_NUMBER_(NO_KEYWORD) is the card number that its keyword
	// variant did not claim.
	KeywordAbsent
)

// DistanceRule says how keyword distance is measured.
type DistanceRule int

const (
	// Around: managed identifiers. The keyword is before or after the value
	// with at most Distance characters between them.
	Around DistanceRule = iota
	// BeforeToEnd: custom identifiers. The keyword comes before the value and
	// at most Distance characters lie from the keyword's end to the value's end.
	BeforeToEnd
)

// Identifier is one kind of sensitive data, as data: managed and custom
// identifiers are the same kind of value. Several entries may share an ID
// when a type has several shapes (a phone number with a country code needs no
// keyword; one without does); the Engine reports them under the one ID.
type Identifier struct {
	ID        string
	Category  Category
	Countries []string // ISO codes, or nil for any
	// Pattern is an RE2 regular expression for the value. It must consume
	// only the value itself: boundaries are written as \b or checked by
	// Validate, never as consumed delimiters, so that the Engine can run it
	// on just the stretch of text the value can occupy.
	Pattern string
	// Find, when set, replaces Pattern (which is then empty): a hand-written
	// finder for what a regular expression cannot say cheaply (a dictionary
	// of names, an address's parts). The Engine calls it once per part with
	// the part's text, and it reports candidate spans of that text, ordered
	// by start; the usual checks (ownership, Validate, ignore words,
	// keywords, allow list) still apply. It must not keep text, and must
	// decide each span from a bounded neighbourhood (a few hundred bytes),
	// so that overlapping segments agree.
	Find     func(text []byte, emit func(start, end int))
	Keywords []string
	Keyword  KeywordRule
	// Distance is the keyword proximity in characters (Macie: 30 for managed
	// identifiers, maximumMatchDistance for custom ones).
	Distance     int
	DistanceRule DistanceRule
	// Validate, when set, checks a match: checksums, boundaries, known
	// example values. text is the whole segment; the value is text[start:end].
	Validate func(text []byte, start, end int) bool
	// Check says in a few words what Validate checks ("Luhn", "mod-97
	// (ISO 13616)"), for listings; "" when there is no Validate.
	Check string
	// IgnoreWords drop a match that contains one of them (case-sensitive).
	IgnoreWords []string
	// Severity is a managed identifier's rule by count bucket; Levels are a
	// custom identifier's thresholds (SeverityFor uses whichever is set).
	Severity SeverityRule
	Levels   []Level
	// MaxCount, when set, is where Macie stops counting a type in one
	// file: 1,000 full names or mailing addresses.
	MaxCount    int
	Recommended bool
	// BeyondMacie marks a managed identifier that Macie does not have
	// (its ID begins with TRAWL_): in ALL and SECRETS, never in RECOMMENDED.
	BeyondMacie bool
	// Name and Description are for custom identifiers (and for listings).
	Name, Description string
	// ARN is a custom identifier's ARN when its definition gives one
	// (a Macie export); otherwise findings build it from CustomID and the
	// run's partition, region and account.
	ARN string
	// CustomID is a custom identifier's ID: its definition's, or a UUID
	// derived from its name and regex (CustomIDFor).
	CustomID string
}

package identifiers

// The PERSONAL_INFORMATION identifiers (PII and PHI) beyond those in
// catalogue.go. IDs, countries, keyword lists, severity and the RECOMMENDED
// set are Macie's (../shared/spec/MACIE.md §1 and §4; the keyword lists are
// copied from Macie's pages as the research notes give them). Patterns and
// validators are trawl's: Macie publishes neither.

// Severity rules of personal data types beyond AlwaysHigh and ByCount
// (MACIE.md §4).
var (
	passportSeverity = SeverityRule{Medium, High, High}
)

// Driver's licence keywords: the English list that the US, UK and Canada
// share.
var dlKeywordsEN = []string{
	"dl#", "dl:", "dlno#", "driver licence", "driver licences", "driver license", "driver licenses",
	"driver permit", "drivers lic.", "drivers licence", "driver's licence", "drivers licences",
	"driver's licences", "drivers license", "driver's license", "drivers licenses", "driver's licenses",
	"drivers permit", "driver's permit", "drivers permit number", "driving licence", "driving license",
	"driving permit",
}

var (
	franceNatIDKeywords = []string{
		"assurance sociale", "carte nationale d’identité", "cni", "code sécurité sociale",
		"French social security number", "fssn#", "insee", "insurance number", "national id number",
		"nationalid#", "numéro d'assurance", "sécurité sociale", "sécurité sociale non.",
		"sécurité sociale numéro", "social", "social security", "social security number",
		"socialsecuritynumber", "ss#", "ssn", "ssn#",
	}
	germanyNatIDKeywords = []string{
		"ausweisnummer", "id number", "identification number", "identity number", "insurance number",
		"personal id", "personalausweis",
	}
	italyNatIDKeywords = []string{
		"codice fiscal", "dati anagrafici", "ehic", "health card", "health insurance card", "p. iva",
		"partita i.v.a.", "personal data", "tax code", "tessera sanitaria",
	}
	spainDNIKeywords = []string{
		"dni", "dni#", "dninúmero#", "documento nacional de identidad", "identidad único",
		"identidadúnico#", "insurance number", "national identification number", "national identity",
		"nationalid#", "nationalidno#", "número nacional identidad", "personal identification number",
		"personal identity no", "unique identity number", "uniqueid#",
	}
	spainTaxKeywords = []string{
		"cif", "cif número", "cifnúmero#", "nie", "nif", "número de contribuyente",
		"número de identidad de extranjero", "número de identificación fiscal",
		"número de impuesto corporativo", "personal tax number", "tax id", "tax identification number",
		"tax number", "tin", "tin#",
	}
)

// Passport keywords, per country.
var (
	canadaPassportKeywords  = []string{"passeport", "passeport#", "passport", "passport#", "passportno", "passportno#"}
	francePassportKeywords  = []string{"numéro de passeport", "passeport", "passeport #", "passeport n °", "passeport non"}
	germanyPassportKeywords = []string{
		"ausstellungsdatum", "ausstellungsort", "geburtsdatum", "passport", "passports", "reisepass",
		"reisepass–nr", "reisepassnummer",
	}
	italyPassportKeywords = []string{
		"italian passport number", "numéro passeport", "numéro passeport italien", "passaporto",
		"passaporto italiana", "passaporto numero", "passport number", "repubblica italiana passaporto",
	}
	spainPassportKeywords = []string{
		"españa pasaporte", "libreta pasaporte", "número pasaporte", "pasaporte", "passport",
		"passport book", "passport no", "passport number", "spain passport",
	}
	ukPassportKeywords = []string{
		"passeport #", "passeport n °", "passeport non", "passeportn °", "passport #", "passport no",
		"passport number", "passport#", "passportid",
	}
	usPassportKeywords = []string{"passport", "travel document"}
)

// Patterns shared by several entries.
const (
	// dniPattern is eight digits (or 2.3.3 with dots) and a letter.
	dniPattern = `\b(?:\d{8}|\d{2}\.\d{3}\.\d{3})[ -]?[A-Z]\b`
	// nirPattern is the French NIR: sex, year, month, department (2A/2B
	// for Corsica), commune, order and key, compact or in its printed
	// groups.
	nirPattern = `\b[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b`
)

// recommendedPersonal are the PII identifiers of Macie's RECOMMENDED set.
func recommendedPersonal() []*Identifier {
	return []*Identifier{
		{
			// US state formats: 1–2 letters and 5–14 digits, 6–14 digits,
			// or the hyphenated forms of Florida and Illinois.
			ID: "DRIVERS_LICENSE", Category: Personal, Countries: []string{"US"},
			Pattern:  `\b(?:[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d|[A-Z]\d{3}-\d{4}-\d{4}|[A-Z]{1,2}\d{5,14}|\d{6,14})\b`,
			Keywords: dlKeywordsEN, Keyword: KeywordRequired, Validate: looseID, Check: checkLooseID,
			Severity: ByCount, Recommended: true,
		},
		{
			// Provincial formats: Ontario A1234-12345-12345, Quebec
			// A1234-123456-12, Newfoundland A123456789, Nova Scotia
			// ABCDE123456789, Alberta 123456-789, and 6–9 digits elsewhere (five-digit numbers, common in any text, are left out).
			ID: "CANADA_DRIVERS_LICENSE", Category: Personal, Countries: []string{"CA"},
			Pattern:  `\b(?:[A-Z]\d{4}-?\d{5}-?\d{5}|[A-Z]\d{4}-?\d{6}-?\d{2}|[A-Z]\d{9}|[A-Z]{5}-?\d{9}|\d{6}-\d{3}|\d{6,9})\b`,
			Keywords: append(dlKeywordsEN[:len(dlKeywordsEN):len(dlKeywordsEN)], "permis de conduire"),
			Keyword:  KeywordRequired, Validate: looseID, Check: checkLooseID, Severity: ByCount, Recommended: true,
		},
		{
			// DVLA: surname (padded with 9), decade, month (+50 for
			// women), day, year, initials, a digit and two check letters.
			ID: "UK_DRIVERS_LICENSE", Category: Personal, Countries: []string{"GB"},
			Pattern:  `\b[A-Z][A-Z9]{4} ?\d(?:[05][1-9]|[16][0-2])(?:0[1-9]|[12]\d|3[01])\d ?[A-Z9]{2}\d[A-Z]{2}\b`,
			Keywords: dlKeywordsEN, Keyword: KeywordRequired, Validate: validUKDrivingLicence, Check: checkUKDrivingLicence,
			Severity: ByCount, Recommended: true,
		},
		{
			// A polling district code of two or three letters and the
			// elector's number, maybe with a sub-number (AB-123/1).
			ID: "UK_ELECTORAL_ROLL_NUMBER", Category: Personal, Countries: []string{"GB"},
			Pattern: `\b[A-Z]{2,3}[- ]?\d{1,5}(?:/\d{1,2})?\b`,
			Keywords: []string{
				"electoral #", "electoral number", "electoral roll #", "electoral roll no.",
				"electoral roll number", "electoralrollno",
			},
			Keyword: KeywordRequired, Validate: looseID, Check: checkLooseID, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "FRANCE_NATIONAL_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"FR"},
			Pattern: nirPattern, Keywords: franceNatIDKeywords, Keyword: KeywordRequired,
			Validate: validNIR, Check: checkNIR, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Personalausweis: nine characters without vowels, a letter
			// first, maybe followed by the machine-readable check digit.
			ID: "GERMANY_NATIONAL_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"DE"},
			Pattern:  `\b[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d?\b`,
			Keywords: germanyNatIDKeywords, Keyword: KeywordRequired, Validate: validGermanyID, Check: checkGermanyID,
			Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Codice fiscale; digits may be replaced by LMNPQRSTUV
			// (omocodia).
			ID: "ITALY_NATIONAL_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"IT"},
			Pattern:  `\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b`,
			Keywords: italyNatIDKeywords, Keyword: KeywordRequired, Validate: validCodiceFiscale, Check: checkCodiceFiscale,
			Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "SPAIN_DNI_NUMBER", Category: Personal, Countries: []string{"ES"},
			Pattern: dniPattern, Keywords: spainDNIKeywords, Keyword: KeywordRequired,
			Validate: validDNI, Check: checkDNI, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Two letters, six digits, a letter A–D; not D, F, I, Q, U, V
			// first, nor O second.
			ID: "UK_NATIONAL_INSURANCE_NUMBER", Category: Personal, Countries: []string{"GB"},
			Pattern: `\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b`,
			Keywords: []string{
				"insurance no.", "insurance number", "insurance#", "national insurance number",
				"nationalinsurance#", "nationalinsurancenumber", "nin", "nino",
			},
			Keyword: KeywordRequired, Validate: validNINO, Check: checkNINO, Severity: AlwaysHigh, Recommended: true,
		},
		passport("CANADA_PASSPORT_NUMBER", "CA", `\b[A-Z]{2}\d{6}\b`, canadaPassportKeywords, looseID, checkLooseID),
		passport("FRANCE_PASSPORT_NUMBER", "FR", `\b\d{2}[A-Z]{2}\d{5}\b`, francePassportKeywords, looseID, checkLooseID),
		passport("GERMANY_PASSPORT_NUMBER", "DE", `\b[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8}\d?\b`, germanyPassportKeywords, validGermanyID, checkGermanyID),
		passport("ITALY_PASSPORT_NUMBER", "IT", `\b[A-Z]{2}\d{7}\b`, italyPassportKeywords, looseID, checkLooseID),
		passport("SPAIN_PASSPORT_NUMBER", "ES", `\b[A-Z]{2,3}\d{6}\b`, spainPassportKeywords, looseID, checkLooseID),
		passport("UK_PASSPORT_NUMBER", "GB", `\b\d{9}\b`, ukPassportKeywords, looseID, checkLooseID),
		passport("USA_PASSPORT_NUMBER", "US", `\b(?:\d{9}|[A-Z]\d{8})\b`, usPassportKeywords, looseID, checkLooseID),
		{
			ID: "CANADA_SOCIAL_INSURANCE_NUMBER", Category: Personal, Countries: []string{"CA"},
			Pattern:  `\b\d{3}[ -]?\d{3}[ -]?\d{3}\b`,
			Keywords: []string{"canadian id", "numéro d'assurance sociale", "sin", "social insurance number"},
			Keyword:  KeywordRequired, Validate: validSIN, Check: checkSIN, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// Province, eight digits, two control digits: 28 1234567840,
			// 28/12345678/40.
			ID: "SPAIN_SOCIAL_SECURITY_NUMBER", Category: Personal, Countries: []string{"ES"},
			Pattern: `\b\d{2}[/ -]?\d{8}[/ -]?\d{2}\b`,
			Keywords: []string{
				"número de la seguridad social", "social security no.", "social security number",
				"socialsecurityno#", "ssn", "ssn#",
			},
			Keyword: KeywordRequired, Validate: validSpainSSN, Check: checkSpainSSN, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "AUSTRALIA_TAX_FILE_NUMBER", Category: Personal, Countries: []string{"AU"},
			Pattern:  `\b\d{3}[ -]?\d{3}[ -]?\d{2,3}\b`,
			Keywords: []string{"tax file number", "tfn"}, Keyword: KeywordRequired,
			Validate: validTFN, Check: checkTFN, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "BRAZIL_CPF_NUMBER", Category: Personal, Countries: []string{"BR"},
			Pattern: `\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b`, Keywords: brazilTaxKeywords,
			Keyword: KeywordRequired, Validate: validCPF, Check: checkCPF, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "FRANCE_TAX_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"FR"},
			Pattern: `\b[0-3]\d ?\d{2} ?\d{3} ?\d{3} ?\d{3}\b`,
			Keywords: []string{
				"numéro d'identification fiscal", "tax id", "tax identification number", "tax number",
				"tin", "tin#",
			},
			Keyword: KeywordRequired, Validate: validFranceTIN, Check: checkFranceTIN, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "GERMANY_TAX_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"DE"},
			Pattern: `\b[1-9]\d ?\d{3} ?\d{3} ?\d{3}\b`,
			Keywords: []string{
				"identifikationsnummer", "steuer id", "steueridentifikationsnummer", "steuernummer",
				"tax id", "tax identification number", "tax number",
			},
			Keyword: KeywordRequired, Validate: validGermanyTIN, Check: checkGermanyTIN, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "SPAIN_NIE_NUMBER", Category: Personal, Countries: []string{"ES"},
			Pattern: `\b[XYZ]-?\d{7}-?[A-Z]\b`, Keywords: spainTaxKeywords, Keyword: KeywordRequired,
			Validate: validNIE, Check: checkNIE, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "SPAIN_NIF_NUMBER", Category: Personal, Countries: []string{"ES"},
			Pattern:  `\b(?:[KLM]-?\d{7}|\d{8}|\d{2}\.\d{3}\.\d{3})[ -]?[A-Z]\b`,
			Keywords: spainTaxKeywords, Keyword: KeywordRequired,
			Validate: validNIF, Check: checkNIF, Severity: AlwaysHigh, Recommended: true,
		},
		{
			// CIF: entity letter, seven digits, control digit or letter.
			ID: "SPAIN_TAX_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"ES"},
			Pattern:  `\b[ABCDEFGHJNPQRSUVW]-?\d{7}-?[0-9A-J]\b`,
			Keywords: spainTaxKeywords, Keyword: KeywordRequired,
			Validate: validCIF, Check: checkCIF, Severity: AlwaysHigh, Recommended: true,
		},
		{
			ID: "USA_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", Category: Personal, Countries: []string{"US"},
			Pattern:  `\b9\d{2}[ -]?(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])[ -]?\d{4}\b`,
			Keywords: []string{"i.t.i.n.", "individual taxpayer identification number", "itin"},
			Keyword:  KeywordRequired, Validate: validITIN, Check: checkITIN, Severity: AlwaysHigh, Recommended: true,
		},
	}
}

var brazilTaxKeywords = []string{
	"cadastro de pessoa física", "cadastro de pessoa fisica", "cadastro de pessoas físicas",
	"cadastro de pessoas fisicas", "cadastro nacional da pessoa jurídica",
	"cadastro nacional da pessoa juridica", "cnpj", "cpf",
}

// passport is a RECOMMENDED passport number entry.
func passport(id, country, pattern string, keywords []string, validate func([]byte, int, int) bool, check string) *Identifier {
	return &Identifier{
		ID: id, Category: Personal, Countries: []string{country},
		Pattern: pattern, Keywords: keywords, Keyword: KeywordRequired,
		Validate: validate, Check: check, Severity: passportSeverity, Recommended: true,
	}
}

// personalEntries are the managed identifiers of the PERSONAL_INFORMATION
// category (PII and PHI) beyond those in catalogue.go.
func personalEntries() []*Identifier {
	return append(recommendedPersonal(), otherPersonal()...)
}

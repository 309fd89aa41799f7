package identifiers

// The PERSONAL_INFORMATION identifiers outside Macie's RECOMMENDED set:
// other national and tax IDs, PHI, phone numbers of six countries, dates of
// birth, coordinates, cookies, vehicles and transport cards. Keyword lists
// are Macie's; patterns and validators trawl's.

// More severity rules of MACIE.md §4.
var (
	gpsSeverity         = SeverityRule{Low, Medium, Medium}
	vinSeverity         = SeverityRule{Low, Low, Medium}
	transportSeverity   = SeverityRule{Medium, Medium, High}
	organizationTaxRule = SeverityRule{Medium, Medium, High}
)

var (
	chileKeywords = []string{
		"identidad número", "nacional identidad", "national unique role", "nationaluniqueroleID#",
		"número identificación", "rol único nacional", "rol único tributario", "run", "run#", "r.u.n.",
		"rut", "rut#", "r.u.t.", "unique national number", "unique national role", "unique tax registry",
		"unique tax role", "unique tributary number", "unique tributary role",
	}
	argentinaTaxKeywords = []string{
		"argentina taxpayer id", "clave única de identificación tributaria", "cuil", "c.u.i.l", "cuit",
		"c.u.i.t", "número de identificación fiscal", "número de contribuyente",
		"unified labor identification code",
	}
	colombiaTaxKeywords = []string{"nit", "nit.", "nit#", "n.i.t."}
	mexicoRFCKeywords   = []string{
		"código del registro federal de contribuyentes", "identificación de impuestos",
		"identificacion de impuestos", "impuesto al valor agregado", "iva", "iva#", "i.v.a.",
		"registro federal de contribuyentes", "rfc", "rfc#", "r.f.c.",
	}
	euHealthKeywords = []string{
		"assicurazione sanitaria numero", "carta assicurazione numero", "carte d’assurance maladie",
		"carte européenne d'assurance maladie", "ceam", "ehic", "ehic#", "finlandehicnumber#",
		"gesundheitskarte", "hälsokort", "health card", "health card number", "health insurance card",
		"health insurance number", "insurance card number", "krankenversicherungskarte",
		"krankenversicherungsnummer", "medical account number", "numero conto medico",
		"numéro d’assurance maladie", "numéro de carte d’assurance", "numéro de compte medical",
		"número de cuenta médica", "número de seguro de salud", "número de tarjeta de seguro",
		"sairaanhoitokortin", "sairausvakuutuskortti", "sairausvakuutusnumero", "sjukförsäkring nummer",
		"sjukförsäkringskort", "suomi ehic-numero", "tarjeta de salud", "terveyskortti",
		"tessera sanitaria assicurazione numero", "versicherungsnummer",
	}
	finlandHealthKeywords = []string{
		"ehic", "ehic#", "finland health insurance card", "finlandehicnumber#", "finska sjukförsäkringskort",
		"hälsokort", "health card", "health card number", "health insurance card", "health insurance number",
		"sairaanhoitokortin", "sairaanhoitokortin", "sairausvakuutuskortti", "sairausvakuutusnumero",
		"sjukförsäkring nummer", "sjukförsäkringskort", "suomen sairausvakuutuskortti", "suomi ehic-numero",
		"terveyskortti",
	}
	brazilPhoneKeywords = append(phoneKeywords[:len(phoneKeywords):len(phoneKeywords)],
		"cel", "celular", "fone", "móvel", "número residencial", "numero residencial", "telefone")
)

// keyed is an entry that needs a keyword within Macie's distance.
func keyed(id string, countries []string, pattern string, keywords []string, validate func([]byte, int, int) bool, check string, sev SeverityRule) *Identifier {
	return &Identifier{
		ID: id, Category: Personal, Countries: countries, Pattern: pattern,
		Keywords: keywords, Keyword: KeywordRequired, Validate: validate, Check: check, Severity: sev,
	}
}

func otherNationalIDs() []*Identifier {
	cc := func(c string) []string { return []string{c} }
	return []*Identifier{
		// Macie ignores 99999999, 99.999.999 and all zeros (looseID).
		keyed("ARGENTINA_DNI_NUMBER", cc("AR"), `\b(?:\d{1,2}\.\d{3}\.\d{3}|\d{7,8})\b`,
			[]string{"dni", "dni#", "d.n.i.", "documento nacional de identidad"}, looseID, checkLooseID, AlwaysHigh),
		// Registro Geral: each state has its own check, so none is tested.
		keyed("BRAZIL_RG_NUMBER", cc("BR"), `\b\d{1,2}\.?\d{3}\.?\d{3}-?[0-9X]\b`,
			[]string{"registro geral", "rg"}, looseID, checkLooseID, AlwaysHigh),
		keyed("CHILE_RUT_NUMBER", cc("CL"), `\b\d{1,2}(?:\.\d{3}\.\d{3}|\d{6})-?[0-9Kk]\b`,
			chileKeywords, validRUT, checkRUT, AlwaysHigh),
		keyed("COLOMBIA_CITIZENSHIP_CARD_NUMBER", cc("CO"), `\b(?:\d{1,3}(?:\.\d{3}){2,3}|\d{6,10})\b`,
			[]string{"cédula de ciudadanía", "documento de identificación"}, looseID, checkLooseID, AlwaysHigh),
		keyed("INDIA_AADHAAR_NUMBER", cc("IN"), `\b[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}\b`,
			[]string{"aadhaar", "aadhar", "adhaar", "uidai"}, validAadhaar, checkAadhaar, AlwaysHigh),
		keyed("MEXICO_CURP_NUMBER", cc("MX"), `\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d\b`,
			[]string{
				"clave personal identidad", "clave única", "clave única de registro de población",
				"clavepersonalIdentidad", "curp", "registration code", "registry code",
				"personal identidad clave", "population code",
			}, validCURP, checkCURP, AlwaysHigh),
		// Permanent resident card number (two letters, seven digits) or
		// the client ID (UCI) printed on it.
		keyed("CANADA_NATIONAL_IDENTIFICATION_NUMBER", cc("CA"), `\b(?:[A-Z]{2}\d{7}|\d{4}-?\d{4}|\d{2}-?\d{4}-?\d{4})\b`,
			[]string{
				"carte résident permanent", "numéro carte résident permanent", "numéro résident permanent",
				"permanent resident card", "permanent resident card number", "permanent resident no",
				"permanent resident no.", "permanent resident number", "pr no", "pr no.", "pr non",
				"pr number", "résident permanent no.", "résident permanent non",
			}, looseID, checkLooseID, AlwaysHigh),
		keyed("ARGENTINA_TARJETA_SUBE", cc("AR"), `\b6061[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b`,
			[]string{"sistema único de boleto electrónico", "sube"}, validSUBE, checkSUBE, transportSeverity),
	}
}

func otherTaxIDs() []*Identifier {
	cc := func(c string) []string { return []string{c} }
	return []*Identifier{
		// CUIL/CUIT: 20, 23, 24 and 27 for people, 30, 33 and 34 for
		// organizations.
		keyed("ARGENTINA_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", cc("AR"), `\b2[0347]-?\d{8}-?\d\b`,
			argentinaTaxKeywords, validCUIT, checkCUIT, AlwaysHigh),
		keyed("ARGENTINA_ORGANIZATION_TAX_IDENTIFICATION_NUMBER", cc("AR"), `\b3[034]-?\d{8}-?\d\b`,
			argentinaTaxKeywords, validCUIT, checkCUIT, organizationTaxRule),
		keyed("BRAZIL_CNPJ_NUMBER", cc("BR"), `\b\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}\b`,
			brazilTaxKeywords, validCNPJ, checkCNPJ, AlwaysHigh),
		// A person's NIT is the cédula and a check digit; an
		// organization's nine digits start with 8 or 9.
		keyed("COLOMBIA_INDIVIDUAL_NIT_NUMBER", cc("CO"), `\b(?:\d{1,3}(?:\.\d{3}){1,3}|\d{6,10})-\d\b`,
			colombiaTaxKeywords, validPersonNIT, checkPersonNIT, AlwaysHigh),
		keyed("COLOMBIA_ORGANIZATION_NIT_NUMBER", cc("CO"), `\b[89]\d{2}\.?\d{3}\.?\d{3}-?\d\b`,
			colombiaTaxKeywords, validNIT, checkNIT, organizationTaxRule),
		// PAN: three letters, the holder type, a letter, four digits and a
		// letter.
		keyed("INDIA_PERMANENT_ACCOUNT_NUMBER", cc("IN"), `\b[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]\b`,
			[]string{"e-pan", "pan card", "pan number", "permanent account number"}, looseID, checkLooseID, AlwaysHigh),
		keyed("MEXICO_INDIVIDUAL_RFC_NUMBER", cc("MX"), `\b[A-Z][A-Z&]{3}\d{6}[A-Z0-9]{3}\b`,
			mexicoRFCKeywords, validRFC, checkRFC, AlwaysHigh),
		keyed("MEXICO_ORGANIZATION_RFC_NUMBER", cc("MX"), `\b[A-Z][A-Z&]{2}\d{6}[A-Z0-9]{3}\b`,
			mexicoRFCKeywords, validRFC, checkRFC, organizationTaxRule),
		// Unique Taxpayer Reference: ten digits, often 5 + 5.
		keyed("UK_TAX_IDENTIFICATION_NUMBER", cc("GB"), `\b\d{5} ?\d{5}\b`,
			[]string{
				"paye", "tax id", "tax id no.", "tax id number", "tax identification", "tax identification#",
				"tax no.", "tax number", "tax reference", "tax#", "taxid#", "temporary reference number", "tin",
				"trn", "unique tax reference", "unique taxpayer reference", "utr",
			}, looseID, checkLooseID, AlwaysHigh),
	}
}

func phiEntries() []*Identifier {
	us := []string{"US"}
	return []*Identifier{
		keyed("US_DRUG_ENFORCEMENT_AGENCY_NUMBER", us, `\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b`,
			[]string{"dea number", "dea registration"}, validDEA, checkDEA, AlwaysHigh),
		// An SSN (the claimant's) and a beneficiary code.
		keyed("USA_HEALTH_INSURANCE_CLAIM_NUMBER", us, `\b\d{3}-?\d{2}-?\d{4}-?[A-Z][0-9A-Z]?\b`,
			[]string{"health insurance claim number", "hic no", "hic no.", "hic number", "hic#", "hicn", "hicn#.", "hicno#"},
			validHICN, checkHICN, AlwaysHigh),
		// MBI: C A AN N A AN N A A N N, letters without S, L, O, I, B, Z.
		keyed("USA_MEDICARE_BENEFICIARY_IDENTIFIER", us,
			`\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}\b`,
			[]string{"mbi", "medicare beneficiary"}, looseID, checkLooseID, AlwaysHigh),
		// HCPCS level II (a letter and four digits) and CPT category II
		// and III codes (four digits and F or T). Five-digit CPT codes are
		// left out: five-digit numbers are everywhere, and each would cost
		// the Engine a keyword search.
		keyed("USA_HEALTHCARE_PROCEDURE_CODE", us, `\b(?:[A-V]\d{4}|\d{4}[FT])\b`,
			[]string{"current procedural terminology", "hcpcs", "healthcare common procedure coding system"},
			looseID, checkLooseID, AlwaysHigh),
		// NDC: 4-4-2, 5-3-2 or 5-4-1 with hyphens, or the 11-digit
		// billing form.
		keyed("USA_NATIONAL_DRUG_CODE", us, `\b(?:\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{10,11})\b`,
			[]string{"national drug code", "ndc"}, looseID, checkLooseID, AlwaysHigh),
		keyed("USA_NATIONAL_PROVIDER_IDENTIFIER", us, `\b[12]\d{9}\b`,
			[]string{"hipaa", "n.p.i", "national provider", "npi"}, validNPI, checkNPI, AlwaysHigh),
		// GS1, with its application identifiers in parentheses. HIBCC and
		// ISBT 128 codes are left out: with no literal to anchor on and a
		// single digit required, each digit in a text would be a
		// candidate.
		keyed("MEDICAL_DEVICE_UDI", us,
			`\(01\)\d{14}(?:\((?:10|11|17|21)\)[0-9A-Za-z-]{1,20})*`,
			[]string{
				"blood", "blood bag", "dev id", "device id", "device identifier", "gs1", "hibcc", "iccbba", "med",
				"udi", "unique device id", "unique device identifier",
			}, validUDI, checkUDI, ByCount),
		// Ontario (ten digits and a version code), British Columbia (ten
		// digits from 9) and Quebec (four letters, eight digits).
		keyed("CANADA_HEALTH_NUMBER", []string{"CA"}, `\b(?:\d{4}[- ]?\d{3}[- ]?\d{3}(?:[- ]?[A-Z]{2})?|[A-Z]{4} ?\d{4} ?\d{4})\b`,
			[]string{"canada healthcare number", "msp number", "personal healthcare number", "phn", "soins de santé"},
			validCanadaHealth, checkCanadaHealth, AlwaysHigh),
		// The card number: ISO/IEC 7812 with 80 (health) and the
		// country's numeric code; Finland's is 246.
		keyed("EUROPEAN_HEALTH_INSURANCE_CARD_NUMBER", []string{"EU"}, `\b80\d{18}\b`,
			euHealthKeywords, validEHIC, checkEHIC, AlwaysHigh),
		keyed("FINLAND_EUROPEAN_HEALTH_INSURANCE_NUMBER", []string{"FI"}, `\b80246\d{15}\b`,
			finlandHealthKeywords, validEHIC, checkEHIC, AlwaysHigh),
		keyed("FRANCE_HEALTH_INSURANCE_NUMBER", []string{"FR"}, nirPattern,
			[]string{"carte d'assuré social", "carte vitale", "insurance card"}, validNIR, checkNIR, AlwaysHigh),
		keyed("UK_NHS_NUMBER", []string{"GB"}, `\b\d{3}[ -]?\d{3}[ -]?\d{4}\b`,
			[]string{"national health service", "NHS"}, validNHS, checkNHS, AlwaysHigh),
	}
}

// phone returns a country's two phone entries: with a keyword near, a
// national number; without one, the number with its country code.
func phone(id, country, national, withCode string, keywords []string, validate func([]byte, int, int) bool, check string) []*Identifier {
	return []*Identifier{
		{
			ID: id, Category: Personal, Countries: []string{country}, Pattern: national,
			Keywords: keywords, Keyword: KeywordRequired, Validate: validate, Check: check, Severity: ByCount,
		},
		{
			ID: id, Category: Personal, Countries: []string{country}, Pattern: withCode,
			Validate: validate, Check: check, Severity: ByCount,
		},
	}
}

func phoneEntries() []*Identifier {
	var out []*Identifier
	for _, p := range [][]*Identifier{
		phone("FRANCE_PHONE_NUMBER", "FR", `\b0[1-9](?:[ .-]?\d{2}){4}\b`,
			`\+33 ?(?:\(0\) ?)?[1-9](?:[ .-]?\d{2}){4}\b`, phoneKeywords, phoneStandsAlone, checkPhoneStandsAlone),
		phone("UK_PHONE_NUMBER", "GB", `\b0[1-9]\d{1,3}[ -]?\d{3,4}[ -]?\d{3,4}\b`,
			`\+44 ?(?:\(0\) ?)?[1-9]\d{1,3}[ -]?\d{3,4}[ -]?\d{3,4}\b`, phoneKeywords, validUKPhone, checkUKPhone),
		phone("GERMANY_PHONE_NUMBER", "DE", `\b0[1-9]\d{1,4}[ /-]?\d{3,8}\b`,
			`\+49 ?(?:\(0\) ?)?[1-9]\d{1,4}[ /-]?\d{3,8}\b`, phoneKeywords, validGermanyPhone, checkGermanyPhone),
		phone("ITALY_PHONE_NUMBER", "IT", `\b(?:0\d{1,3}[ .-]?\d{5,8}|3\d{2}[ .-]?\d{6,7})\b`,
			`\+39 ?(?:0\d{1,3}[ .-]?\d{5,8}|3\d{2}[ .-]?\d{6,7})\b`, phoneKeywords, phoneStandsAlone, checkPhoneStandsAlone),
		phone("SPAIN_PHONE_NUMBER", "ES", `\b(?:[6-9]\d{2}(?:[ .-]?\d{3}){2}|[89]\d[ .-]?\d{3}(?:[ .-]?\d{2}){2})\b`,
			`\+34 ?(?:[6-9]\d{2}(?:[ .-]?\d{3}){2}|[89]\d[ .-]?\d{3}(?:[ .-]?\d{2}){2})\b`, phoneKeywords, phoneStandsAlone, checkPhoneStandsAlone),
		phone("BRAZIL_PHONE_NUMBER", "BR", `(?:\([1-9]{2}\) ?|\b[1-9]{2} ?)9?\d{4}[ -]?\d{4}\b`,
			`\+55 ?(?:\([1-9]{2}\)|[1-9]{2}) ?9?\d{4}[ -]?\d{4}\b`, brazilPhoneKeywords, phoneStandsAlone, checkPhoneStandsAlone),
	} {
		out = append(out, p...)
	}
	return out
}

var dobKeywords = []string{"bday", "b-day", "birth date", "birthday", "date of birth", "dob"}

// writtenDatePattern is a date with its month in letters: day, month, year;
// month, day, year; or year, month, day. The separators are loose here and
// checked by validWrittenDate.
const writtenDatePattern = `\b(?:` + writtenDay + `(?: of |, ?|[ ./-])` + writtenMonth + `(?:, ?|[ ./-])\d{2}(?:\d{2})?` +
	`|` + writtenMonth + `(?:, ?|[ ./-])` + writtenDay + `(?:, ?|[ ./-])\d{2}(?:\d{2})?` +
	`|\d{4}[ ./-]` + writtenMonth + `[ ./-]\d{1,2})\b`

const (
	writtenDay   = `\d{1,2}(?i:st|nd|rd|th)?`
	writtenMonth = `(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
)

func miscPersonal() []*Identifier {
	return []*Identifier{
		// All-digit dates, day or month first, or year first.
		keyed("DATE_OF_BIRTH", nil, `\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\d{2})?|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})\b`,
			dobKeywords, validDate, checkDate, ByCount),
		// Dates with the month's name or its abbreviation, which Macie
		// documents ("combinations of digits and names of months", with
		// spaces, slashes or hyphens): "March 21, 1970", "17 June 1970",
		// "21-Mar-1970", "21st of March 1970", "1970-Mar-21". Its class
		// holds letters and spaces, so the Engine looks for it only
		// around its keywords, not around every number of the text.
		keyed("DATE_OF_BIRTH", nil, writtenDatePattern, dobKeywords, validWrittenDate, checkWrittenDate, ByCount),
		keyed("LATITUDE_LONGITUDE", nil, `(?:-|\b)\d{1,2}\.\d{3,15}, ?-?\d{1,3}\.\d{3,15}\b`,
			[]string{"coordinate", "coordinates", "lat long", "latitude longitude", "position"}, validLatLong, checkLatLong, gpsSeverity),
		keyed("BRAZIL_CEP_CODE", []string{"BR"}, `\b\d{5}-?\d{3}\b`,
			[]string{"cep", "código de endereçamento postal", "codigo de endereçamento postal", "código postal", "codigo postal"},
			looseID, checkLooseID, ByCount),
		keyed("VEHICLE_IDENTIFICATION_NUMBER", nil, `\b[A-HJ-NPR-Z0-9]{17}\b`,
			[]string{
				"Fahrgestellnummer", "niv", "numarul de identificare", "numarul seriei de sasiu", "numer VIN",
				"Número de Identificação do Veículo", "Número de Identificación de Automóviles",
				"numéro d'identification du véhicule", "vehicle identification number", "vin", "VIN numeris",
			}, validVIN, checkVIN, vinSeverity),
		{
			// The whole header: its name, then name=value pairs to the end
			// of the line. The names are spelt out, not matched with (?i):
			// the Engine anchors on literals, and a case-folded "k" may
			// also be the Kelvin sign, which rules "cookie" out as one.
			ID: "HTTP_COOKIE", Category: Personal,
			Pattern:  `(?:Set-Cookie|set-cookie|SET-COOKIE|Cookie|cookie|COOKIE):[ \t]*[!#-'*+.0-9A-Z^_` + "`" + `a-z|~-]+=[^\r\n]*`,
			Validate: validCookieHeader, Check: checkCookieHeader, Severity: ByCount,
		},
	}
}

// otherPersonal are the PERSONAL_INFORMATION identifiers outside the
// RECOMMENDED set.
func otherPersonal() []*Identifier {
	var out []*Identifier
	for _, list := range [][]*Identifier{otherNationalIDs(), otherTaxIDs(), phiEntries(), phoneEntries(), miscPersonal(), licenceEntries()} {
		out = append(out, list...)
	}
	return out
}

package identifiers

// Driver's licences of the countries beyond the US, Canada and the UK
// (which are in the RECOMMENDED set, in catalogue_personal.go). Keyword
// lists are Macie's, country by country; the number formats are trawl's
// reading of each country's licence, and none has a public check digit
// except where a national number serves as the licence number (Spain's
// DNI, Sweden's personnummer, Finland's personal identity code).

var (
	dlKeywordsGermany = []string{
		"fuehrerschein", "fuehrerschein- nr", "fuehrerscheinnummer", "fuhrerschein", "führerschein",
		"fuhrerschein- nr", "führerschein- nr", "fuhrerscheinnummer", "führerscheinnummer",
	}
	dlKeywordsFinland = []string{
		"ajokortin numero", "ajokortti", "förare lic.", "körkort", "körkort nummer", "kuljettaja lic.",
		"permis de conduire",
	}
)

// licence is one country's driver's licence entry.
type licence struct {
	id, country, pattern string
	keywords             []string
	validate             func([]byte, int, int) bool
	check                string // what validate checks
}

var licences = []licence{
	{"AUSTRALIA_DRIVERS_LICENSE", "AU", `\b[A-Z]{0,2}\d{6,10}\b`, []string{
		"dl#", "dl:", "dlno#", "driver licence", "driver license", "driver permit", "drivers lic.",
		"drivers licence", "driver's licence", "drivers license", "driver's license", "drivers permit",
		"driver's permit", "drivers permit number", "driving licence", "driving license", "driving permit",
	}, looseID, checkLooseID},
	{"AUSTRIA_DRIVERS_LICENSE", "AT", `\b\d{8}\b`, []string{
		"führerschein", "fuhrerschein", "führerschein republik österreich", "fuhrerschein republik osterreich",
	}, looseID, checkLooseID},
	{"BELGIUM_DRIVERS_LICENSE", "BE", `\b\d{10}\b`, append(dlKeywordsGermany[:len(dlKeywordsGermany):len(dlKeywordsGermany)],
		"numéro permis conduire", "permis de conduire", "rijbewijs", "rijbewijsnummer"), looseID, checkLooseID},
	{"BULGARIA_DRIVERS_LICENSE", "BG", `\b\d{9}\b`, []string{
		"превозно средство", "свидетелство за управление на моторно", "свидетелство за управление на мпс",
		"сумпс", "шофьорска книжка",
	}, looseID, checkLooseID},
	{"CROATIA_DRIVERS_LICENSE", "HR", `\b\d{8}\b`, []string{"vozačka dozvola"}, looseID, checkLooseID},
	{"CYPRUS_DRIVERS_LICENSE", "CY", `\b\d{6,12}\b`, []string{"άδεια οδήγησης"}, looseID, checkLooseID},
	{"CZECHIA_DRIVERS_LICENSE", "CZ", `\b[A-Z]{2} ?\d{6}\b`, []string{
		"číslo licence", "císlo licence řidiče", "číslo řidičského průkazu", "ovladače lic.",
		"povolení k jízdě", "povolení řidiče", "řidiči povolení", "řidičský prúkaz", "řidičský průkaz",
	}, looseID, checkLooseID},
	{"DENMARK_DRIVERS_LICENSE", "DK", `\b\d{8}\b`, []string{"kørekort", "kørekortnummer"}, looseID, checkLooseID},
	{"ESTONIA_DRIVERS_LICENSE", "EE", `\b[A-Z]{2}\d{6}\b`, []string{
		"juhi litsentsi number", "juhiloa number", "juhiluba", "juhiluba number",
	}, looseID, checkLooseID},
	// The personal identity code: birth date, century sign, number and
	// check character.
	// The holder's personal identity code. Since 2023 the century sign
	// may also be Y, X, W, V or U for the 1900s (like -) and B, C, D, E or
	// F for the 2000s (like A) (Finnish Digital and Population Data
	// Services Agency, decree 128/2010 as amended).
	{"FINLAND_DRIVERS_LICENSE", "FI", `\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b`, dlKeywordsFinland, validFinnishID, checkFinnishID},
	{"FRANCE_DRIVERS_LICENSE", "FR", `\b(?:\d{12}|\d{2}[A-Z]{2}\d{5})\b`, []string{"permis de conduire"}, looseID, checkLooseID},
	// Eleven characters: authority, serial and a check digit.
	{"GERMANY_DRIVERS_LICENSE", "DE", `\b[A-Z0-9]\d{2}[A-Z0-9]{6}\d[A-Z0-9]\b`, dlKeywordsGermany, looseID, checkLooseID},
	{"GREECE_DRIVERS_LICENSE", "GR", `\b\d{9}\b`, []string{"δεια οδήγησης", "adeia odigisis"}, looseID, checkLooseID},
	{"HUNGARY_DRIVERS_LICENSE", "HU", `\b[A-Z]{2}\d{6}\b`, []string{
		"illesztőprogramok lic", "jogosítvány", "jogsi", "licencszám", "vezető engedély", "vezetői engedély",
	}, looseID, checkLooseID},
	// State, office, year of issue and seven digits.
	{"INDIA_DRIVERS_LICENSE", "IN", `\b[A-Z]{2}[ -]?\d{2}[ -]?(?:19|20)\d{2}\d{7}\b`, []string{
		"driver licence", "driver licences", "driver license", "driver licenses", "drivers lic.",
		"drivers licence", "driver's licence", "drivers licences", "driver's licences", "drivers license",
		"driver's license", "drivers licenses", "driver's licenses", "driving licence", "driving license",
	}, looseID, checkLooseID},
	{"IRELAND_DRIVERS_LICENSE", "IE", `\b\d{6}[ -]?\d{3}\b`, []string{"ceadúnas tiomána"}, looseID, checkLooseID},
	{"ITALY_DRIVERS_LICENSE", "IT", `\b[A-Z]{2}\d{7}[A-Z]\b`, []string{
		"patente di guida", "patente di guida numero", "patente guida", "patente guida numero",
	}, looseID, checkLooseID},
	{"LATVIA_DRIVERS_LICENSE", "LV", `\b[A-Z]{2}\d{6}\b`, []string{
		"autovadītāja apliecība", "licences numurs", "vadītāja apliecība", "vadītāja apliecības numurs",
		"vadītāja atļauja", "vadītāja licences numurs", "vadītāji lic.",
	}, looseID, checkLooseID},
	{"LITHUANIA_DRIVERS_LICENSE", "LT", `\b\d{8}\b`, []string{"vairuotojo pažymėjimas"}, looseID, checkLooseID},
	{"LUXEMBOURG_DRIVERS_LICENSE", "LU", `\b\d{6}\b`, []string{"fahrerlaubnis", "führerschäin"}, looseID, checkLooseID},
	{"MALTA_DRIVERS_LICENSE", "MT", `\b\d{7}[A-Z]\b`, []string{"liċenzja tas-sewqan"}, looseID, checkLooseID},
	{"NETHERLANDS_DRIVERS_LICENSE", "NL", `\b\d{10}\b`, []string{"permis de conduire", "rijbewijs", "rijbewijsnummer"}, looseID, checkLooseID},
	{"POLAND_DRIVERS_LICENSE", "PL", `\b\d{5}/\d{2}/\d{4}\b`, []string{
		"numer licencyjny", "prawo jazdy", "zezwolenie na prowadzenie",
	}, looseID, checkLooseID},
	{"PORTUGAL_DRIVERS_LICENSE", "PT", `\b[A-Z]{1,2}-?\d{6} ?\d\b`, []string{
		"carta de condução", "carteira de habilitação", "carteira de motorist", "carteira habilitação",
		"carteira motorist", "licença condução", "licença de condução", "número de licença", "número licença",
		"permissão condução", "permissão de condução",
	}, looseID, checkLooseID},
	{"ROMANIA_DRIVERS_LICENSE", "RO", `\b(?:[A-Z]\d{6,8}|\d{9})\b`, []string{
		"numărul permisului de conducere", "permis de conducere",
	}, looseID, checkLooseID},
	{"SLOVAKIA_DRIVERS_LICENSE", "SK", `\b[A-Z]{2}\d{6}\b`, []string{
		"číslo licencie", "číslo vodičského preukazu", "ovládače lic.", "povolenia vodičov", "povolenie jazdu",
		"povolenie na jazdu", "povolenie vodiča", "vodičský preukaz",
	}, looseID, checkLooseID},
	{"SLOVENIA_DRIVERS_LICENSE", "SI", `\b\d{8}\b`, []string{"vozniško dovoljenje"}, looseID, checkLooseID},
	// The licence number is the holder's DNI.
	{"SPAIN_DRIVERS_LICENSE", "ES", dniPattern, []string{
		"carnet conducer", "el carnet de conducer", "licencia conducer", "licencia de manejo",
		"número carnet conducer", "número de carnet de conducer", "número de permiso conducer",
		"número de permiso de conducer", "número licencia conducer", "número permiso conducer",
		"permiso conducción", "permiso conducer", "permiso de conducción",
	}, validDNI, checkDNI},
	// The holder's personnummer, whose last digit is a Luhn check, with
	// its year in two digits or, as the Swedish Tax Agency also writes it,
	// four (YYYYMMDD-NNNN).
	{"SWEDEN_DRIVERS_LICENSE", "SE", `\b(?:\d{6}[-+]?|(?:18|19|20)\d{6}-?)\d{4}\b`, []string{
		"ajokortin numero", "dlno# ajokortti", "drivere lic.", "förare lic.", "körkort", "körkort nummer",
		"körkortsnummer", "kuljettajat lic.",
	}, validPersonnummer, checkPersonnummer},
}

func licenceEntries() []*Identifier {
	out := make([]*Identifier, 0, len(licences))
	for _, l := range licences {
		out = append(out, keyed(l.id, []string{l.country}, l.pattern, l.keywords, l.validate, l.check, ByCount))
	}
	return out
}

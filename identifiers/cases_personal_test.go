package identifiers

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generated values of personal identifiers. A check digit or letter is
// found by trying each candidate against the validator, which
// TestPersonalValidatorsOnPublishedExamples pins to published examples, so
// that the generator cannot drift from the real algorithm with it.

// withCheck appends to body the first character of alphabet that makes
// validate accept the whole; ok is false when none does.
func withCheck(body, alphabet string, validate func([]byte, int, int) bool) (string, bool) {
	for i := range len(alphabet) {
		v := body + alphabet[i:i+1]
		if validate([]byte(v), 0, len(v)) {
			return v, true
		}
	}
	return "", false
}

// genChecked draws bodies until one takes a check character.
func genChecked(r *rand.Rand, body func(*rand.Rand) string, alphabet string, validate func([]byte, int, int) bool) string {
	for {
		if v, ok := withCheck(body(r), alphabet, validate); ok {
			return v
		}
	}
}

// breakLast replaces the last character by the next one of alphabet, so
// that a single check character no longer fits.
func breakLast(v, alphabet string) string {
	last := v[len(v)-1:]
	i := strings.Index(alphabet, last)
	return v[:len(v)-1] + string(alphabet[(i+1)%len(alphabet)])
}

const digits = "0123456789"

func digitsBody(n int) func(*rand.Rand) string {
	return func(r *rand.Rand) string { return randDigits(r, n) }
}

func genCPF(r *rand.Rand) string {
	// Both check digits: the tenth first, then the eleventh.
	for {
		ten, ok := withCheck(randDigits(r, 9), digits, func(b []byte, _, _ int) bool {
			return cpfDigit(b[:9]) == b[9]
		})
		if v, ok2 := withCheck(ten, digits, validCPF); ok && ok2 {
			return v
		}
	}
}

func fmtCPF(v string) string { return v[:3] + "." + v[3:6] + "." + v[6:9] + "-" + v[9:] }

func genNIR(r *rand.Rand) string {
	body := func(r *rand.Rand) string {
		return fmt.Sprintf("%d%02d%02d%02d%03d%03d", 1+r.IntN(2), r.IntN(100), 1+r.IntN(12), 1+r.IntN(95), 1+r.IntN(999), 1+r.IntN(999))
	}
	for {
		b := body(r)
		for key := 1; key <= 97; key++ {
			v := fmt.Sprintf("%s%02d", b, key)
			if validNIR([]byte(v), 0, len(v)) {
				return v
			}
		}
	}
}

func fmtNIR(v string) string {
	return v[:1] + " " + v[1:3] + " " + v[3:5] + " " + v[5:7] + " " + v[7:10] + " " + v[10:13] + " " + v[13:]
}

// genGermanyTIN draws ten digits with no leading zero in which exactly one
// digit appears twice, then the check digit.
func genGermanyTIN(r *rand.Rand) string {
	return genChecked(r, func(r *rand.Rand) string {
		p := r.Perm(10)
		d := p[:9]
		d = append(d, d[r.IntN(9)])
		r.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
		var b strings.Builder
		for _, n := range d {
			b.WriteByte(byte('0' + n))
		}
		return b.String()
	}, digits, validGermanyTIN)
}

func genCodiceFiscale(r *rand.Rand) string {
	return genChecked(r, func(r *rand.Rand) string {
		return randFrom(r, upper, 6) + randDigits(r, 2) + randFrom(r, "ABCDEHLMPRST", 1) +
			fmt.Sprintf("%02d", 1+r.IntN(71)) + randFrom(r, upper, 1) + randDigits(r, 3)
	}, upper, validCodiceFiscale)
}

func genGermanyID(r *rand.Rand, first string) string {
	return genChecked(r, func(r *rand.Rand) string {
		return randFrom(r, first, 1) + randFrom(r, "CFGHJKLMNPRTVWXYZ", 2) + randDigits(r, 6)
	}, digits, validGermanyID)
}

func genUKDrivingLicence(r *rand.Rand) string {
	month := 1 + r.IntN(12) + 50*r.IntN(2)
	return randFrom(r, upper, 3) + "99" + randDigits(r, 1) + fmt.Sprintf("%02d%02d", month, 1+r.IntN(28)) +
		randDigits(r, 1) + randFrom(r, upper, 2) + "9" + randFrom(r, upper, 2)
}

func genNINO(r *rand.Rand) string {
	return randFrom(r, "ABCEHJKLMPRSTWXY", 1) + randFrom(r, "ABCEHJLMPRSWXY", 1) + randDigits(r, 6) + randFrom(r, "ABCD", 1)
}

func genSIN(r *rand.Rand) string {
	return genChecked(r, func(r *rand.Rand) string { return randFrom(r, "12345679", 1) + randDigits(r, 7) }, digits, validSIN)
}

func genSpainSSN(r *rand.Rand) string {
	body := fmt.Sprintf("%02d%08d", 1+r.IntN(52), r.IntN(100_000_000))
	return fmt.Sprintf("%s%02d", body, mod97([]byte(body)))
}

// spaced splits v into groups of the given sizes, joined by sep.
func spaced(v, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		parts = append(parts, v[:n])
		v = v[n:]
	}
	if v != "" {
		parts = append(parts, v)
	}
	return strings.Join(parts, sep)
}

// kwCases adds the keyword-distance cases (30 characters near, 31 far) of
// kw and v to the given cases.
func kwCases(kw, v string, match, noMatch []idCase) idCases {
	dm, dn := distanceCases(kw, v)
	return idCases{append(match, dm...), append(noMatch, unmarked(dn)...)}
}

// personalCases are the cases of personalEntries. They draw from a
// generator of their own, not from r, so that adding a case here does not
// change the values the other categories' cases draw.
func personalCases(_ *rand.Rand) map[string]idCases {
	r := NewCorpusRand(4)
	all := map[string]idCases{}
	recommendedPersonalCases(r, all)
	otherPersonalCases(r, all)
	licenceCases(r, all)
	nameAddressCases(r, all)
	return all
}

func recommendedPersonalCases(r *rand.Rand, all map[string]idCases) {
	// Driver's licences.
	{
		v := "D" + randDigits(r, 7)
		all["DRIVERS_LICENSE"] = kwCases("driver's license", v, []idCase{
			c("California letter and 7 digits", "Driver's License: "+mark(v)),
			c("digits only", "DL# "+mark(randDigits(r, 3)+"5"+randDigits(r, 5))),
			c("Florida hyphenated", "driver license number "+mark("S"+randDigits(r, 3)+"-"+randDigits(r, 3)+"-"+randDigits(r, 2)+"-"+randDigits(r, 3)+"-0")),
			c("Illinois hyphenated", "drivers_license="+mark("A"+randDigits(r, 3)+"-"+randDigits(r, 4)+"-"+randDigits(r, 4))),
			c("column context", mark("WA"+randDigits(r, 7)), "drivers license"),
		}, []idCase{
			c("no keyword", "order "+v+" shipped"),
			c("all zeros", "DL: 00000000"),
			c("five digits", "driving license 12345"),
			c("three letters", "DL: ABC1234567"),
			c("glued to letters", "DL: x"+v),
		})
	}
	{
		on := "A" + randDigits(r, 4) + "-" + randDigits(r, 5) + "-" + randDigits(r, 5)
		all["CANADA_DRIVERS_LICENSE"] = kwCases("driving licence", on, []idCase{
			c("Ontario", "Ontario driving licence "+mark(on)),
			c("Quebec", "permis de conduire: "+mark("L"+randDigits(r, 4)+"-"+randDigits(r, 6)+"-"+randDigits(r, 2))),
			c("British Columbia", "DL# "+mark("7"+randDigits(r, 6))),
			c("Alberta", "drivers licence "+mark("1"+randDigits(r, 5)+"-"+randDigits(r, 3))),
			c("Ontario compact", "driver's licence "+mark(strings.ReplaceAll(on, "-", ""))),
		}, []idCase{
			c("no keyword", "invoice "+on),
			c("four digits", "DL: 1234"),
			c("all zeros", "DL: 0000000"),
			c("Ontario one digit short", "driver licence A"+randDigits(r, 4)+"-"+randDigits(r, 5)+"-"+randDigits(r, 4)),
		})
	}
	{
		v := genUKDrivingLicence(r)
		all["UK_DRIVERS_LICENSE"] = kwCases("driving licence", v, []idCase{
			c("compact", "Driving licence number: "+mark(v)),
			c("spaced", "DL: "+mark(spaced(genUKDrivingLicence(r), " ", 5, 6))),
			c("DVLA specimen", "driver's licence "+mark("MORGA753116SM9IJ")),
			c("keyword after", mark(genUKDrivingLicence(r))+" (driving licence)"),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("month 13", "driving licence MORGA713116SM9IJ"),
			c("day 32", "driving licence MORGA751326SM9IJ"),
			c("letters after padding", "driving licence MO9GA753116SM9IJ"),
			c("lower case", "driving licence "+strings.ToLower(v)),
		})
	}
	{
		v := "KA-" + randDigits(r, 4)
		all["UK_ELECTORAL_ROLL_NUMBER"] = kwCases("electoral roll number", v, []idCase{
			c("district and number", "Electoral roll number: "+mark(v)),
			c("compact", "electoral number "+mark("ABC"+randDigits(r, 3))),
			c("with sub-number", "electoral roll no. "+mark("XY 123/2")),
		}, []idCase{
			c("no keyword", "flight "+v),
			c("one letter", "electoral roll number A1234"),
			c("zeros", "electoral roll number AB0000"),
			c("four letters", "electoral roll number ABCD123"),
		})
	}

	// National identification numbers.
	{
		v := genNIR(r)
		all["FRANCE_NATIONAL_IDENTIFICATION_NUMBER"] = kwCases("insee", v, []idCase{
			c("compact", "numéro INSEE "+mark(v)),
			c("printed groups", "sécurité sociale: "+mark(fmtNIR(genNIR(r)))),
			c("Corsica", "Social security number "+mark("253072A07300443")),
			c("SSN keyword", "SSN: "+mark(genNIR(r))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("key wrong", "INSEE "+breakLast(v, digits)),
			c("one digit short", "INSEE "+v[:14]),
			c("sex digit 5", "INSEE 5"+v[1:]),
			c("mixed separators", "INSEE "+v[:1]+" "+v[1:3]+"-"+v[3:]),
		})
	}
	{
		v := genGermanyID(r, "LMNPRTVWXY")
		all["GERMANY_NATIONAL_IDENTIFICATION_NUMBER"] = kwCases("personalausweis", v, []idCase{
			c("with check digit", "Personalausweis Nr. "+mark(v)),
			c("without check digit", "Ausweisnummer: "+mark(genGermanyID(r, "LMNPRTVWXY")[:9])),
			c("specimen", "ID number "+mark("T220001293")),
		}, []idCase{
			c("no keyword", "Bestellung "+v),
			c("check digit wrong", "Personalausweis "+breakLast(v, digits)),
			c("vowel", "Personalausweis "+"A"+v[1:]),
			c("no digit", "personal id LMNPRTVWX"),
			c("eight characters", "Personalausweis "+v[:8]),
		})
	}
	{
		v := genCodiceFiscale(r)
		all["ITALY_NATIONAL_IDENTIFICATION_NUMBER"] = kwCases("tessera sanitaria", v, []idCase{
			c("codice fiscale", "Codice Fiscale: "+mark(v)),
			c("published example", "tessera sanitaria "+mark("RSSMRA85T10A562S")),
			c("tax code", "tax code "+mark(genCodiceFiscale(r))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("check letter wrong", "codice fiscale "+breakLast(v, upper)),
			c("bad month letter", "codice fiscale "+v[:8]+"Z"+v[9:]),
			c("15 characters", "codice fiscale "+v[:15]),
		})
	}
	{
		v := genChecked(r, digitsBody(8), upper, validDNI)
		all["SPAIN_DNI_NUMBER"] = kwCases("dni", v, []idCase{
			c("compact", "DNI: "+mark(v)),
			c("hyphen", "documento nacional de identidad "+mark(v[:8]+"-"+v[8:])),
			c("dots", "DNI "+mark(v[:2]+"."+v[2:5]+"."+v[5:8]+"-"+v[8:])),
			c("space", "dni# "+mark(v[:8]+" "+v[8:])),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("letter wrong", "DNI "+breakLast(v, dniLetters)),
			c("example 99999999", "DNI 99999999R"),
			c("all zeros", "DNI 00000000T"),
			c("seven digits", "DNI "+v[1:]),
		})
	}
	{
		v := genNINO(r)
		all["UK_NATIONAL_INSURANCE_NUMBER"] = kwCases("nino", v, []idCase{
			c("compact", "NINO: "+mark(v)),
			c("spaced", "National Insurance number "+mark(spaced(genNINO(r), " ", 2, 2, 2, 2))),
			c("underscore keyword", "national_insurance_number="+mark(genNINO(r))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("prefix GB", "NINO GB"+v[2:]),
			c("suffix E", "NINO "+v[:8]+"E"),
			c("first letter D", "NINO D"+v[1:]),
			c("mixed separators", "NINO "+v[:2]+" "+v[2:4]+"-"+v[4:]),
		})
	}

	// Passports.
	passports := []struct {
		id, kw   string
		gen      func() string
		bad      []string
		altMatch string
	}{
		{"CANADA_PASSPORT_NUMBER", "passport", func() string { return randFrom(r, upper, 2) + "1" + randDigits(r, 5) }, []string{"AB12345", "ABC123456", "AB000000"}, "passeport# "},
		{"FRANCE_PASSPORT_NUMBER", "passeport", func() string { return "1" + randDigits(r, 1) + randFrom(r, upper, 2) + randDigits(r, 5) }, []string{"12AB1234", "123AB12345", "1ABC12345"}, "numéro de passeport "},
		{"GERMANY_PASSPORT_NUMBER", "reisepass", func() string { return genGermanyID(r, "CFGHJK") }, []string{"L01X00T478", "C01X00T479", "CFGHJKLMN"}, "Reisepassnummer: "},
		{"ITALY_PASSPORT_NUMBER", "passaporto", func() string { return randFrom(r, upper, 2) + "1" + randDigits(r, 6) }, []string{"YA123456", "YA12345678", "Y1234567"}, "passport number "},
		{"SPAIN_PASSPORT_NUMBER", "pasaporte", func() string { return randFrom(r, upper, 3) + "1" + randDigits(r, 5) }, []string{"AAA12345", "AAAA123456", "PAA000000"}, "passport no "},
		{"UK_PASSPORT_NUMBER", "passport number", func() string { return "5" + randDigits(r, 8) }, []string{"12345678", "1234567890", "000000000"}, "passport# "},
		{"USA_PASSPORT_NUMBER", "passport", func() string { return "A" + "1" + randDigits(r, 7) }, []string{"12345678", "AB12345678", "000000000"}, "travel document "},
	}
	for _, p := range passports {
		v := p.gen()
		noMatch := []idCase{c("no keyword", "booking "+v)}
		for i, b := range p.bad {
			noMatch = append(noMatch, c(fmt.Sprintf("bad shape %d", i), p.kw+" "+b))
		}
		all[p.id] = kwCases(p.kw, v, []idCase{
			c("keyword before", p.kw+": "+mark(v)),
			c("keyword after", mark(p.gen())+" ("+p.kw+")"),
			c("other keyword", p.altMatch+mark(p.gen())),
			c("column context", mark(p.gen()), p.kw),
		}, noMatch)
	}

	// Social insurance and security numbers.
	{
		v := genSIN(r)
		all["CANADA_SOCIAL_INSURANCE_NUMBER"] = kwCases("social insurance number", v, []idCase{
			c("compact", "Social Insurance Number "+mark(v)),
			c("spaced", "SIN: "+mark(spaced(genSIN(r), " ", 3, 3))),
			c("hyphens", "numéro d'assurance sociale "+mark(spaced(genSIN(r), "-", 3, 3))),
		}, []idCase{
			c("no keyword", "order "+v),
			c("Luhn fails", "SIN "+breakLast(v, digits)),
			c("starts with 0", "SIN 046 454 286"),
			c("mixed separators", "SIN "+v[:3]+" "+v[3:6]+"-"+v[6:]),
			c("ten digits", "SIN "+v+"1"),
		})
	}
	{
		v := genSpainSSN(r)
		all["SPAIN_SOCIAL_SECURITY_NUMBER"] = kwCases("número de la seguridad social", v, []idCase{
			c("compact", "Número de la Seguridad Social: "+mark(v)),
			c("slashes", "SSN "+mark(spaced(genSpainSSN(r), "/", 2, 8))),
			c("spaces", "social security number "+mark(spaced(genSpainSSN(r), " ", 2, 8))),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("control wrong", "SSN "+breakLast(v, digits)),
			c("province 99", "SSN 99"+v[2:]),
			c("eleven digits", "SSN "+v[:11]),
		})
	}

	// Tax identification numbers.
	{
		v := genChecked(r, digitsBody(8), digits, validTFN)
		all["AUSTRALIA_TAX_FILE_NUMBER"] = kwCases("tfn", v, []idCase{
			c("compact", "TFN: "+mark(v)),
			c("spaced", "tax file number "+mark(spaced(v, " ", 3, 3))),
			c("published example", "TFN "+mark("123 456 782")),
			c("eight digits", "tfn "+mark(genChecked(r, digitsBody(7), digits, validTFN))),
		}, []idCase{
			c("no keyword", "order "+v),
			c("check fails", "TFN "+breakLast(v, digits)),
			c("all zeros", "TFN 000 000 000"),
			c("mixed separators", "TFN "+v[:3]+" "+v[3:6]+"-"+v[6:]),
		})
	}
	{
		v := genCPF(r)
		all["BRAZIL_CPF_NUMBER"] = kwCases("cpf", v, []idCase{
			c("formatted", "CPF: "+mark(fmtCPF(v))),
			c("compact", "cadastro de pessoas físicas "+mark(genCPF(r))),
			c("published example", "cpf "+mark("390.533.447-05")),
		}, []idCase{
			c("no keyword", "pedido "+fmtCPF(v)),
			c("check digit wrong", "CPF "+breakLast(v, digits)),
			c("repeated digits", "CPF 111.111.111-11"),
			c("ten digits", "CPF "+v[:10]),
		})
	}
	{
		v := genFranceTIN(r)
		all["FRANCE_TAX_IDENTIFICATION_NUMBER"] = kwCases("tax id", v, []idCase{
			c("compact", "numéro d'identification fiscal "+mark(v)),
			c("spaced", "Tax ID: "+mark(spaced(genFranceTIN(r), " ", 2, 2, 3, 3))),
			c("published example", "TIN "+mark("3023217600053")),
		}, []idCase{
			c("no keyword", "commande "+v),
			c("check wrong", "tax id "+breakLast(v, digits)),
			c("starts with 4", "tax id 4"+v[1:]),
			c("twelve digits", "tax id "+v[:12]),
		})
	}
	{
		v := genGermanyTIN(r)
		all["GERMANY_TAX_IDENTIFICATION_NUMBER"] = kwCases("steuer id", v, []idCase{
			c("compact", "Steuer-ID: "+mark(v)),
			c("spaced", "Steueridentifikationsnummer "+mark(spaced(genGermanyTIN(r), " ", 2, 3, 3))),
			c("published example", "tax id "+mark("36 574 261 809")),
		}, []idCase{
			c("no keyword", "Bestellung "+v),
			c("check digit wrong", "Steuer-ID "+breakLast(v, digits)),
			c("no repeated digit", "Steuer-ID 12345678903"),
			c("leading zero", "Steuer-ID 0"+v[1:]),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return "X" + randDigits(r, 7) }, upper, validNIE)
		all["SPAIN_NIE_NUMBER"] = kwCases("nie", v, []idCase{
			c("compact", "NIE: "+mark(v)),
			c("hyphens", "número de identidad de extranjero "+mark(v[:1]+"-"+v[1:8]+"-"+v[8:])),
			c("Y prefix", "nie "+mark(genChecked(r, func(r *rand.Rand) string { return "Y" + randDigits(r, 7) }, upper, validNIE))),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("letter wrong", "NIE "+breakLast(v, dniLetters)),
			c("W prefix", "NIE W"+v[1:]),
			c("six digits", "NIE "+v[:7]+v[8:]),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return "M" + randDigits(r, 7) }, upper, validNIF)
		dni := genChecked(r, digitsBody(8), upper, validDNI)
		all["SPAIN_NIF_NUMBER"] = kwCases("nif", v, []idCase{
			c("K/L/M form", "NIF: "+mark(v)),
			c("DNI form", "número de identificación fiscal "+mark(dni)),
			c("DNI form hyphen", "tax id "+mark(dni[:8]+"-"+dni[8:])),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("letter wrong", "NIF "+breakLast(v, dniLetters)),
			c("DNI letter wrong", "NIF "+breakLast(dni, dniLetters)),
			c("J prefix", "NIF J"+v[1:]),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return "B" + randDigits(r, 7) }, digits, validCIF)
		all["SPAIN_TAX_IDENTIFICATION_NUMBER"] = kwCases("cif", v, []idCase{
			c("compact", "CIF: "+mark(v)),
			c("letter control", "tax identification number "+mark(genChecked(r, func(r *rand.Rand) string { return "Q" + randDigits(r, 7) }, upper, validCIF))),
			c("published example", "cif "+mark("J99216582")),
			c("hyphen", "CIF "+mark(v[:1]+"-"+v[1:])),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("control wrong", "CIF "+breakLast(v, digits)),
			c("entity letter I", "CIF I"+v[1:]),
			c("A needs a digit", "CIF A5881850A"),
		})
	}
	{
		v := "9" + randDigits(r, 2) + "-7" + randDigits(r, 1) + "-" + randDigits(r, 4)
		all["USA_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER"] = kwCases("itin", v, []idCase{
			c("hyphens", "ITIN: "+mark(v)),
			c("compact", "individual taxpayer identification number "+mark("912"+"88"+randDigits(r, 4))),
			c("spaces", "i.t.i.n. "+mark("900 94 "+randDigits(r, 4))),
		}, []idCase{
			c("no keyword", "order "+v),
			c("group 93", "ITIN 912-93-1234"),
			c("group 49", "ITIN 912-49-1234"),
			c("not starting with 9", "ITIN 812-70-1234"),
			c("mixed separators", "ITIN 912-70 1234"),
		})
	}
}

func genFranceTIN(r *rand.Rand) string {
	for {
		body := randFrom(r, "0123", 1) + randDigits(r, 9)
		n := 0
		for _, ch := range body {
			n = (n*10 + int(ch-'0')) % 511
		}
		v := fmt.Sprintf("%s%03d", body, n)
		if validFranceTIN([]byte(v), 0, len(v)) {
			return v
		}
	}
}

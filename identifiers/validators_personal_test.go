package identifiers

import "testing"

// validatorCase is one value for one validator. Valid values are published
// examples (the issuers' specimens, the libraries' documented examples) and
// never a real person's number.
type validatorCase struct {
	name  string
	f     func([]byte, int, int) bool
	value string
	want  bool
}

func TestPersonalValidatorsOnPublishedExamples(t *testing.T) {
	t.Parallel()
	for _, tc := range []validatorCase{
		{"CPF", validCPF, "390.533.447-05", true},
		{"CPF compact", validCPF, "11144477735", true},
		{"CPF first digit wrong", validCPF, "390.533.447-15", false},
		{"CPF second digit wrong", validCPF, "390.533.447-06", false},
		{"CPF repeated digits", validCPF, "111.111.111-11", false},
		{"CNPJ", validCNPJ, "16.727.230/0001-97", true},
		{"CNPJ wrong", validCNPJ, "16.727.230/0001-98", false},
		{"CNPJ zeros", validCNPJ, "00.000.000/0000-00", false},
		{"TFN", validTFN, "123 456 782", true},
		{"TFN wrong", validTFN, "123 456 783", false},
		{"TFN mixed separators", validTFN, "123 456-782", false},
		{"TFN zeros", validTFN, "000 000 000", false},
		{"DNI", validDNI, "54362315K", true},
		{"DNI hyphen", validDNI, "12345678-Z", true},
		{"DNI dotted", validDNI, "12.345.678-Z", true},
		{"DNI wrong letter", validDNI, "12345678A", false},
		{"DNI example 99999999", validDNI, "99999999R", false},
		{"DNI zeros", validDNI, "00000000T", false},
		{"NIE", validNIE, "X2482300W", true},
		{"NIE hyphens", validNIE, "X-1234567-L", true},
		{"NIE Y", validNIE, "Y1234567X", true},
		{"NIE wrong letter", validNIE, "X1234567M", false},
		{"NIF K/L/M", validNIF, "M1234567L", true},
		{"NIF as DNI", validNIF, "54362315K", true},
		{"NIF K/L/M wrong", validNIF, "M1234567K", false},
		{"CIF", validCIF, "J99216582", true},
		{"CIF letter control", validCIF, "Q2826000H", true},
		{"CIF wrong", validCIF, "J99216583", false},
		{"CIF A needs a digit", validCIF, "A5881850A", false},
		{"NIR", validNIR, "2 95 10 99 126 111 93", true},
		{"NIR Corsica", validNIR, "253072A07300443", true},
		{"NIR Corsica 2C", validNIR, "253072C07300443", false},
		{"NIR wrong key", validNIR, "2 95 10 99 126 111 94", false},
		{"NIR month 13", validNIR, "295139912611193", false},
		{"FR TIN", validFranceTIN, "3023217600053", true},
		{"FR TIN spaced", validFranceTIN, "30 23 217 600 053", true},
		{"FR TIN wrong", validFranceTIN, "3023217600054", false},
		{"DE IdNr", validGermanyTIN, "36 574 261 809", true},
		{"DE IdNr wrong", validGermanyTIN, "36 574 261 808", false},
		{"DE IdNr no repeat", validGermanyTIN, "12345678903", false},
		{"DE IdNr leading zero", validGermanyTIN, "06574261809", false},
		{"codice fiscale", validCodiceFiscale, "RCCMNL83S18D969H", true},
		{"codice fiscale 2", validCodiceFiscale, "RSSMRA85T10A562S", true},
		{"codice fiscale wrong", validCodiceFiscale, "RSSMRA85T10A562T", false},
		{"German ID specimen", validGermanyID, "T220001293", true},
		{"German ID specimen no check", validGermanyID, "T22000129", true},
		{"German passport specimen", validGermanyID, "C01X00T478", true},
		{"German ID wrong check", validGermanyID, "T220001294", false},
		{"German ID no digit", validGermanyID, "LMNPRTVWX", false},
		{"UK licence specimen", validUKDrivingLicence, "MORGA753116SM9IJ", true},
		{"UK licence short surname", validUKDrivingLicence, "SMI99753116SM9IJ", true},
		{"UK licence bad padding", validUKDrivingLicence, "SM9TH753116SM9IJ", false},
		{"SIN", validSIN, "130 692 544", true},
		{"SIN Luhn fails", validSIN, "130 692 545", false},
		{"SIN starting 0", validSIN, "046 454 286", false},
		{"NINO", validNINO, "AB 12 34 56 C", true},
		{"NINO prefix GB", validNINO, "GB123456A", false},
		{"NINO mixed", validNINO, "AB 12-34 56 C", false},
		{"Aadhaar", validAadhaar, "2341 2341 2346", true},
		{"Aadhaar wrong", validAadhaar, "2341 2341 2347", false},
		{"Aadhaar starting 1", validAadhaar, "1341 2341 2346", false},
		{"RUT", validRUT, "76086428-5", true},
		{"RUT dotted", validRUT, "76.086.428-5", true},
		{"RUT wrong", validRUT, "76086428-4", false},
		{"RUT zeros", validRUT, "00000000-0", false},
		{"CUIT", validCUIT, "20-05536168-2", true},
		{"CUIT wrong", validCUIT, "20-05536168-3", false},
		{"NIT", validNIT, "213.123.432-1", true},
		{"NIT wrong", validNIT, "213.123.432-2", false},
		{"CURP", validCURP, "BOXW310820HNERXN09", true},
		{"CURP wrong", validCURP, "BOXW310820HNERXN08", false},
		{"CURP bad date", validCURP, "BOXW311320HNERXN09", false},
		{"NHS", validNHS, "943 476 5919", true},
		{"NHS wrong", validNHS, "943 476 5918", false},
		{"DEA", validDEA, "AB1234563", true},
		{"DEA wrong", validDEA, "AB1234564", false},
		{"NPI", validNPI, "1234567893", true},
		{"NPI wrong", validNPI, "1234567894", false},
		{"VIN", validVIN, "1M8GDM9AXKP042788", true},
		{"VIN wrong", validVIN, "1M8GDM9A1KP042788", false},
		{"GS1 UDI", validUDI, "(01)00012345678905", true},
		{"GS1 UDI wrong", validUDI, "(01)00012345678906", false},
		{"RFC", validRFC, "GODE561231GR8", true},
		{"RFC generic", validRFC, "XAXX010101000", false},
		{"RFC bad date", validRFC, "GODE561331GR8", false},
		{"HICN", validHICN, "123-45-6789A", true},
		{"HICN area 666", validHICN, "666-45-6789A", false},
		{"date US", validDate, "12/31/1990", true},
		{"date European", validDate, "31.12.1990", true},
		{"date ISO", validDate, "1990-02-28", true},
		{"date 30 February", validDate, "1990-02-30", false},
		{"date day 32", validDate, "32/12/1990", false},
		{"date year 2150", validDate, "12/12/2150", false},
		{"date mixed separators", validDate, "12/12-1990", false},
		{"written date month first", validWrittenDate, "March 21, 1970", true},
		{"written date day first", validWrittenDate, "17 June 1970", true},
		{"written date hyphens", validWrittenDate, "21-Mar-1970", true},
		{"written date two-digit year", validWrittenDate, "21/MAR/70", true},
		{"written date period", validWrittenDate, "Mar. 21, 1970", true},
		{"written date dots", validWrittenDate, "21.Mar.1970", true},
		{"written date ordinal", validWrittenDate, "21st of March 1970", true},
		{"written date sept", validWrittenDate, "Sept 3 1985", true},
		{"written date year first", validWrittenDate, "1970 March 21", true},
		{"written date 31 February", validWrittenDate, "31 February 1970", false},
		{"written date 29 February 1900", validWrittenDate, "29 Feb 1900", false},
		{"written date 29 February 2000", validWrittenDate, "29 Feb 2000", true},
		{"written date bad suffix", validWrittenDate, "22st March 1970", false},
		{"written date 11th", validWrittenDate, "11th March 1970", true},
		{"written date mixed", validWrittenDate, "21-Mar 1970", false},
		{"written date two-digit year, spaces", validWrittenDate, "21 Mar 70", false},
		{"written date year 2150", validWrittenDate, "21 Mar 2150", false},
		{"written date period after a full name", validWrittenDate, "June. 21, 1970", false},
		{"written date of before the month only", validWrittenDate, "March of 21 1970", false},
		{"written date not a month", validWrittenDate, "21 Mab 1970", false},
		{"lat long", validLatLong, "47.6062, -122.3321", true},
		{"latitude 95", validLatLong, "95.1234, 10.1234", false},
		{"longitude 181", validLatLong, "45.1234, 181.1234", false},
		{"UK phone", validUKPhone, "+44 20 7946 0958", true},
		{"UK phone national", validUKPhone, "020 7946 0958", true},
		{"UK phone short", validUKPhone, "020 7946 09", false},
		{"German phone", validGermanyPhone, "+49 (0)30 12345678", true},
		{"German phone short", validGermanyPhone, "030 1234", false},
		{"personnummer", validPersonnummer, "880320-0016", true},
		{"personnummer wrong", validPersonnummer, "880320-0017", false},
		{"personnummer bad date", validPersonnummer, "881320-0016", false},
		{"Finnish ID", validFinnishID, "131052-308T", true},
		{"Finnish ID wrong", validFinnishID, "131052-308U", false},
		{"Finnish ID bad date", validFinnishID, "311352-308T", false},
	} {
		if got := validate(tc.f, tc.value); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestValidDayLeapYears: Gregorian leap years for four-digit years (1900
// is none, 2000 is one); a two-digit year's century is unknown, so 00
// counts as one.
func TestValidDayLeapYears(t *testing.T) {
	for _, tc := range []struct {
		year, month, day int
		want             bool
	}{
		{2024, 2, 29, true}, {2023, 2, 29, false}, {2000, 2, 29, true}, {1900, 2, 29, false},
		{1900, 2, 28, true}, {0, 2, 29, true}, {96, 2, 29, true}, {97, 2, 29, false},
		{2024, 4, 31, false}, {2024, 13, 1, false}, {2024, 1, 0, false},
	} {
		if got := validDay(tc.year, tc.month, tc.day); got != tc.want {
			t.Errorf("%04d-%02d-%02d: got %v, want %v", tc.year, tc.month, tc.day, got, tc.want)
		}
	}
}

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
	} {
		if got := validate(tc.f, tc.value); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

package identifiers

// What each validator checks, in a few words, for `trawl identifiers list`
// and `show`: one constant per validator, named after it (validCard,
// checkCard), so that an entry's Check and Validate are read side by side
// and a change to a validator is seen next to its description. The value's
// shape that the pattern already fixes is not repeated here. No check holds
// a semicolon: listings join an ID's several checks with "; ".
const (
	// Credentials.
	checkAWSSecret  = "standalone, has upper and lower case letters and digits, AWS example keys ignored"
	checkJWTToken   = "standalone token, header (with alg) and payload decode to JSON"
	checkOpenSSHKey = "body starts with the openssh-key-v1 magic"
	checkGCPKey     = "standalone token"
	checkBasicAuth  = "credentials decode from base64 to printable user-id:password"
	checkPGPKey     = "body starts with an OpenPGP secret-key packet"
	checkPKCSKey    = "body starts with a DER SEQUENCE (or is legacy-encrypted)"
	checkPuTTYKey   = "Public-Lines and Private-Lines match the key's lines"
	checkStripeKey  = "standalone, at least 10 distinct characters, Stripe documentation keys ignored"

	// Cards and bank accounts.
	checkCard             = "Luhn, card brand prefix and length, print grouping, issuer test numbers ignored"
	checkIBAN             = "mod-97 (ISO 13616), standalone, one kind of separator"
	checkFranceBBAN       = "RIB key (mod-97)"
	checkBBAN             = "standalone, one kind of separator (no national check digit)"
	checkItalyBBAN        = "CIN check letter"
	checkSpainBBAN        = "CCC control digits (mod-11)"
	checkSortCodeAccount  = "not part of a longer number, not all zeros"
	checkBankAccount      = "not one digit repeated"
	checkExpiry           = "month 01-12 and a year, not part of a longer date, a lone year only beside a month name"
	checkTrack            = "PAN passes Luhn with a card brand prefix, expiry month 01-12"
	checkStandaloneNumber = "not one group of a longer number, date or time"

	// National IDs, tax IDs and licences.
	checkLooseID          = "standalone, placeholders (one digit repeated) ignored"
	checkSSN              = "area, group and serial the SSA issues, advertising numbers ignored"
	checkUKDrivingLicence = "surname field padded only with trailing 9s"
	checkNIR              = "NIR key (97 minus mod-97), birth month"
	checkGermanyID        = "holds a digit, ICAO 9303 check digit when present"
	checkCodiceFiscale    = "codice fiscale check letter"
	checkDNI              = "DNI control letter (mod-23), placeholders ignored"
	checkNIE              = "NIE control letter (mod-23)"
	checkNIF              = "DNI or K/L/M NIF control letter (mod-23)"
	checkCIF              = "CIF control digit or letter"
	checkNINO             = "prefix HMRC issues, placeholders ignored"
	checkSIN              = "Luhn, first digit a province issues"
	checkSpainSSN         = "province 01-53, control digits (mod-97)"
	checkTFN              = "TFN weighted sum (mod-11)"
	checkCPF              = "CPF check digits (mod-11)"
	checkCNPJ             = "CNPJ check digits (mod-11)"
	checkFranceTIN        = "check number (first ten digits mod 511)"
	checkGermanyTIN       = "one digit repeated in the first ten, ISO 7064 mod-11,10 check digit"
	checkITIN             = "one kind of separator"
	checkRUT              = "RUT check character (mod-11)"
	checkAadhaar          = "Verhoeff check digit"
	checkCURP             = "birth date is a real date, CURP check digit"
	checkSUBE             = "Luhn"
	checkCUIT             = "CUIT check digit (mod-11)"
	checkNIT              = "NIT check digit (mod-11)"
	checkPersonNIT        = "NIT check digit (mod-11), not an organization's number"
	checkRFC              = "date is a real date, generic RFCs (XAXX, XEXX) ignored"
	checkFinnishID        = "birth date is a real date, check character (mod-31)"
	checkPersonnummer     = "birth date is a real date, Luhn"
	checkVIN              = "VIN check digit (ninth character)"
	checkPhoneStandsAlone = "standalone, not part of a longer code"
	checkUKPhone          = "9 or 10 national digits, standalone"
	checkGermanyPhone     = "7 to 11 national digits, standalone"
	checkDate             = "a real date (year 1900-2099 or two digits), one kind of separator"
	checkWrittenDate      = "a real date with its month named (year 1900-2099, or two digits between hyphens or slashes), one kind of separator, a matching ordinal suffix"
	checkLatLong          = "latitude within 90 and longitude within 180 degrees"
	checkCookieHeader     = "header name starts a header (not X-Cookie:)"
	checkDEA              = "DEA check digit"
	checkHICN             = "SSN part the SSA issues"
	checkNPI              = "Luhn with the 80840 prefix"
	checkUDI              = "GS1 (GTIN) check digit"
	checkCanadaHealth     = "Luhn (Ontario) or mod-11 (British Columbia), else standalone"
	checkEHIC             = "Luhn"
	checkNHS              = "mod-11 check digit"
)

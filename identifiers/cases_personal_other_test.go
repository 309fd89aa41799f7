package identifiers

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Cases of the personal identifiers outside the RECOMMENDED set.

const vinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

// genVIN draws a VIN and puts the check digit in the ninth place.
func genVIN(r *rand.Rand) string {
	for {
		a, b := randFrom(r, vinAlphabet, 8), randFrom(r, vinAlphabet, 8)
		for _, c := range "0123456789X" {
			v := a + string(c) + b
			if validVIN([]byte(v), 0, len(v)) {
				return v
			}
		}
	}
}

// genTwoChecks draws a body and appends two check digits, each found by
// check over what precedes it, then tests the whole with validate.
func genTwoChecks(r *rand.Rand, n int, first func([]byte) byte, validate func([]byte, int, int) bool) string {
	for {
		b := []byte(randDigits(r, n))
		b = append(b, first(b))
		if v, ok := withCheck(string(b), digits, validate); ok {
			return v
		}
	}
}

func genMBI(r *rand.Rand) string {
	const a = "ACDEFGHJKMNPQRTUVWXY"
	return randFrom(r, "123456789", 1) + randFrom(r, a, 1) + randFrom(r, a+digits, 1) + randDigits(r, 1) +
		randFrom(r, a, 1) + randFrom(r, a+digits, 1) + randDigits(r, 1) + randFrom(r, a, 2) + randDigits(r, 2)
}

func otherPersonalCases(r *rand.Rand, all map[string]idCases) {
	// National IDs.
	{
		v := "2" + randDigits(r, 7)
		all["ARGENTINA_DNI_NUMBER"] = kwCases("dni", v, []idCase{
			c("compact", "DNI: "+mark(v)),
			c("dotted", "documento nacional de identidad "+mark(v[:2]+"."+v[2:5]+"."+v[5:])),
			c("seven digits", "D.N.I. "+mark("7"+randDigits(r, 6))),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("example 99.999.999", "DNI 99.999.999"),
			c("all zeros", "DNI 00000000"),
			c("six digits", "DNI "+v[:6]),
		})
	}
	{
		v := randDigits(r, 2) + "." + randDigits(r, 3) + "." + randDigits(r, 3) + "-" + randDigits(r, 1)
		all["BRAZIL_RG_NUMBER"] = kwCases("rg", v, []idCase{
			c("formatted", "RG: "+mark(v)),
			c("X check", "registro geral "+mark("3"+randDigits(r, 7)+"X")),
			c("compact", "rg "+mark("4"+randDigits(r, 8))),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("all zeros", "RG 00.000.000-0"),
			c("too short", "RG 12.345.67"),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return "1" + randDigits(r, 7) }, digits+"K", validRUT)
		dotted := v[:2] + "." + v[2:5] + "." + v[5:8] + "-" + v[8:]
		all["CHILE_RUT_NUMBER"] = kwCases("rut", dotted, []idCase{
			c("dotted", "RUT: "+mark(dotted)),
			c("compact", "rol único tributario "+mark(v)),
			c("published example", "RUN "+mark("76.086.428-5")),
		}, []idCase{
			c("no keyword", "pedido "+dotted),
			c("check wrong", "RUT "+breakLast(v, digits+"K")),
			c("all zeros", "RUT 00.000.000-0"),
			c("seven digits", "RUT 1234567"),
		})
	}
	{
		v := "1" + randDigits(r, 9)
		all["COLOMBIA_CITIZENSHIP_CARD_NUMBER"] = kwCases("cédula de ciudadanía", v, []idCase{
			c("compact", "Cédula de ciudadanía "+mark(v)),
			c("dotted", "documento de identificación "+mark(v[:1]+"."+v[1:4]+"."+v[4:7]+"."+v[7:])),
			c("eight digits", "cédula de ciudadanía: "+mark("5"+randDigits(r, 7))),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("all zeros", "cédula de ciudadanía 0000000000"),
			c("eleven digits", "cédula de ciudadanía "+v+"1"),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return randFrom(r, "23456789", 1) + randDigits(r, 10) }, digits, validAadhaar)
		all["INDIA_AADHAAR_NUMBER"] = kwCases("aadhaar", v, []idCase{
			c("compact", "Aadhaar: "+mark(v)),
			c("groups", "UIDAI number "+mark(spaced(v, " ", 4, 4))),
			c("published example", "aadhar "+mark("2341 2341 2346")),
		}, []idCase{
			c("no keyword", "order "+v),
			c("Verhoeff fails", "aadhaar "+breakLast(v, digits)),
			c("starts with 1", "aadhaar 1"+v[1:]),
			c("eleven digits", "aadhaar "+v[:11]),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string {
			return randFrom(r, upper, 1) + randFrom(r, "AEIOU", 1) + randFrom(r, upper, 2) +
				fmt.Sprintf("%02d%02d%02d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28)) + randFrom(r, "HM", 1) + "DF" +
				randFrom(r, "BCDFGHJKLMNPRSTVWXZ", 3) + "0"
		}, digits, validCURP)
		all["MEXICO_CURP_NUMBER"] = kwCases("curp", v, []idCase{
			c("CURP", "CURP: "+mark(v)),
			c("published example", "clave única de registro de población "+mark("BOXW310820HNERXN09")),
			c("keyword after", mark(v)+" (curp)"),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("check wrong", "CURP "+breakLast(v, digits)),
			c("month 13", "CURP BOXW311320HNERXN09"),
			c("17 characters", "CURP "+v[:17]),
		})
	}
	{
		v := "PA" + "1" + randDigits(r, 6)
		all["CANADA_NATIONAL_IDENTIFICATION_NUMBER"] = kwCases("permanent resident card", v, []idCase{
			c("card number", "Permanent resident card "+mark(v)),
			c("client ID", "PR number "+mark("1"+randDigits(r, 3)+"-"+randDigits(r, 4))),
			c("ten-digit client ID", "numéro résident permanent "+mark("00-"+randDigits(r, 4)+"-"+"1"+randDigits(r, 3))),
		}, []idCase{
			c("no keyword", "booking "+v),
			c("all zeros", "PR number 0000-0000"),
			c("six digits", "PR number PA123456"),
		})
	}
	{
		v := GenCard(r, "6061", 16)
		all["ARGENTINA_TARJETA_SUBE"] = kwCases("sube", v, []idCase{
			c("compact", "SUBE: "+mark(v)),
			c("groups", "tarjeta SUBE "+mark(GroupBy(GenCard(r, "6061", 16), 4, " "))),
			c("hyphens", "sistema único de boleto electrónico "+mark(GroupBy(GenCard(r, "6061", 16), 4, "-"))),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("Luhn fails", "SUBE "+breakLast(v, digits)),
			c("other prefix", "SUBE "+GenCard(r, "6062", 16)),
			c("15 digits", "SUBE "+v[:15]),
		})
	}

	// Tax IDs.
	{
		v := genChecked(r, func(r *rand.Rand) string { return "20" + randDigits(r, 8) }, digits, validCUIT)
		f := v[:2] + "-" + v[2:10] + "-" + v[10:]
		all["ARGENTINA_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER"] = kwCases("cuil", f, []idCase{
			c("hyphens", "CUIL: "+mark(f)),
			c("compact", "CUIT "+mark(genChecked(r, func(r *rand.Rand) string { return "27" + randDigits(r, 8) }, digits, validCUIT))),
			c("published example", "cuit "+mark("20-05536168-2")),
		}, []idCase{
			c("no keyword", "pedido "+f),
			c("check wrong", "CUIL "+breakLast(v, digits)),
			c("organization prefix", "CUIL 30"+v[2:]),
			c("ten digits", "CUIL "+v[:10]),
		})
		o := genChecked(r, func(r *rand.Rand) string { return "30" + randDigits(r, 8) }, digits, validCUIT)
		fo := o[:2] + "-" + o[2:10] + "-" + o[10:]
		all["ARGENTINA_ORGANIZATION_TAX_IDENTIFICATION_NUMBER"] = kwCases("cuit", fo, []idCase{
			c("hyphens", "CUIT: "+mark(fo)),
			c("compact", "c.u.i.t "+mark(o)),
			c("prefix 33", "CUIT "+mark(genChecked(r, func(r *rand.Rand) string { return "33" + randDigits(r, 8) }, digits, validCUIT))),
		}, []idCase{
			c("no keyword", "pedido "+fo),
			c("check wrong", "CUIT "+breakLast(o, digits)),
			c("individual prefix", "CUIT 31"+o[2:]),
		})
	}
	{
		v := genTwoChecks(r, 12, cnpjDigit, validCNPJ)
		f := v[:2] + "." + v[2:5] + "." + v[5:8] + "/" + v[8:12] + "-" + v[12:]
		all["BRAZIL_CNPJ_NUMBER"] = kwCases("cnpj", f, []idCase{
			c("formatted", "CNPJ: "+mark(f)),
			c("compact", "cadastro nacional da pessoa jurídica "+mark(genTwoChecks(r, 12, cnpjDigit, validCNPJ))),
			c("published example", "cnpj "+mark("16.727.230/0001-97")),
		}, []idCase{
			c("no keyword", "pedido "+f),
			c("check wrong", "CNPJ "+breakLast(v, digits)),
			c("all zeros", "CNPJ 00.000.000/0000-00"),
			c("13 digits", "CNPJ "+v[:13]),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return "1" + randDigits(r, 9) }, digits, validPersonNIT)
		f := v[:10] + "-" + v[10:]
		all["COLOMBIA_INDIVIDUAL_NIT_NUMBER"] = kwCases("nit", f, []idCase{
			c("hyphen", "NIT: "+mark(f)),
			c("dotted", "N.I.T. "+mark(v[:1]+"."+v[1:4]+"."+v[4:7]+"."+v[7:10]+"-"+v[10:])),
			c("published example", "nit "+mark("213.123.432-1")),
		}, []idCase{
			c("no keyword", "pedido "+f),
			c("check wrong", "NIT "+v[:10]+"-"+breakLast(v, digits)[10:]),
			c("no check digit", "NIT "+v[:10]),
			c("organization", "NIT 900.123.456-"+breakLast("900123456X", digits)[9:]),
		})
		o := genChecked(r, func(r *rand.Rand) string { return "9" + randDigits(r, 8) }, digits, validNIT)
		fo := o[:3] + "." + o[3:6] + "." + o[6:9] + "-" + o[9:]
		all["COLOMBIA_ORGANIZATION_NIT_NUMBER"] = kwCases("nit", fo, []idCase{
			c("formatted", "NIT "+mark(fo)),
			c("compact", "nit# "+mark(o)),
			c("starting with 8", "NIT "+mark(genChecked(r, func(r *rand.Rand) string { return "8" + randDigits(r, 8) }, digits, validNIT))),
		}, []idCase{
			c("no keyword", "pedido "+fo),
			c("check wrong", "NIT "+breakLast(o, digits)),
			c("starting with 7", "NIT 7"+o[1:]),
		})
	}
	{
		v := randFrom(r, upper, 3) + "P" + randFrom(r, upper, 1) + "1" + randDigits(r, 3) + randFrom(r, upper, 1)
		all["INDIA_PERMANENT_ACCOUNT_NUMBER"] = kwCases("pan number", v, []idCase{
			c("PAN", "PAN number: "+mark(v)),
			c("company", "permanent account number "+mark(randFrom(r, upper, 3)+"C"+randFrom(r, upper, 1)+"2"+randDigits(r, 3)+"Z")),
			c("e-PAN", "e-PAN "+mark(randFrom(r, upper, 3)+"H"+randFrom(r, upper, 1)+"3"+randDigits(r, 3)+"Q")),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("bad holder type", "PAN number "+v[:3]+"Z"+v[4:]),
			c("zeros", "PAN number ABCPE0000F"),
			c("short", "PAN number "+v[:9]),
		})
	}
	{
		date := fmt.Sprintf("%02d%02d%02d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28))
		v := randFrom(r, upper, 4) + date + randFrom(r, digitsUpper, 3)
		all["MEXICO_INDIVIDUAL_RFC_NUMBER"] = kwCases("rfc", v, []idCase{
			c("RFC", "RFC: "+mark(v)),
			c("published example", "registro federal de contribuyentes "+mark("GODE561231GR8")),
			c("keyword after", mark(randFrom(r, upper, 4)+date+"A1B")+" (RFC)"),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("generic public RFC", "RFC XAXX010101000"),
			c("generic foreign RFC", "RFC XEXX010101000"),
			c("month 13", "RFC GODE561331GR8"),
		})
		o := randFrom(r, upper, 3) + date + randFrom(r, digitsUpper, 3)
		all["MEXICO_ORGANIZATION_RFC_NUMBER"] = kwCases("rfc", o, []idCase{
			c("RFC", "RFC: "+mark(o)),
			c("with &", "R.F.C. "+mark("A&B"+date+"XY1")),
			c("keyword after", mark(randFrom(r, upper, 3)+date+"9Z9")+" rfc"),
		}, []idCase{
			c("no keyword", "pedido "+o),
			c("day 00", "RFC ABC560100XY1"),
			c("month 00", "RFC ABC560001XY1"),
		})
	}
	{
		v := "1" + randDigits(r, 9)
		all["UK_TAX_IDENTIFICATION_NUMBER"] = kwCases("utr", v, []idCase{
			c("compact", "UTR: "+mark(v)),
			c("spaced", "Unique Taxpayer Reference "+mark(v[:5]+" "+v[5:])),
			c("tax reference", "tax reference "+mark("2"+randDigits(r, 9))),
		}, []idCase{
			c("no keyword", "order "+v),
			c("all zeros", "UTR 0000000000"),
			c("nine digits", "UTR "+v[:9]),
			c("eleven digits", "UTR "+v+"1"),
		})
	}

	// PHI.
	{
		v := genChecked(r, func(r *rand.Rand) string { return "B" + randFrom(r, upper, 1) + "1" + randDigits(r, 5) }, digits, validDEA)
		all["US_DRUG_ENFORCEMENT_AGENCY_NUMBER"] = kwCases("dea number", v, []idCase{
			c("DEA", "DEA number: "+mark(v)),
			c("published example", "DEA registration "+mark("AB1234563")),
			c("mid-level practitioner", "dea number "+mark(genChecked(r, func(r *rand.Rand) string { return "M" + randFrom(r, upper, 1) + "2" + randDigits(r, 5) }, digits, validDEA))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("check wrong", "DEA number "+breakLast(v, digits)),
			c("first letter I", "DEA number I"+v[1:]),
			c("six digits", "DEA number "+v[:8]),
		})
	}
	{
		v := strings.ReplaceAll(GenSSN(r), "-", "") + "A"
		all["USA_HEALTH_INSURANCE_CLAIM_NUMBER"] = kwCases("hicn", v, []idCase{
			c("compact", "HICN: "+mark(v)),
			c("hyphens and two-character code", "health insurance claim number "+mark(GenSSN(r)+"-C1")),
			c("HIC number", "HIC number "+mark(strings.ReplaceAll(GenSSN(r), "-", "")+"B")),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("area 000", "HICN 000456789A"),
			c("no code", "HICN "+v[:9]),
		})
	}
	{
		v := genMBI(r)
		all["USA_MEDICARE_BENEFICIARY_IDENTIFIER"] = kwCases("mbi", v, []idCase{
			c("compact", "MBI: "+mark(v)),
			c("CMS example with dashes", "Medicare Beneficiary Identifier "+mark("1EG4-TE5-MK73")),
			c("keyword after", mark(genMBI(r))+" (MBI)"),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("starts with 0", "MBI 0"+v[1:]),
			c("letter S", "MBI 1SG4TE5MK73"),
			c("ten characters", "MBI "+v[:10]),
		})
	}
	{
		v := "J" + randDigits(r, 4)
		all["USA_HEALTHCARE_PROCEDURE_CODE"] = kwCases("hcpcs", v, []idCase{
			c("level II", "HCPCS "+mark(v)),
			c("CPT category III", "current procedural terminology "+mark("0042T")),
			c("category II", "hcpcs code "+mark("0001F")),
		}, []idCase{
			c("no keyword", "item "+v),
			c("letter W", "HCPCS W1234"),
			c("five digits", "HCPCS 99213"),
			c("all zeros", "HCPCS 00000"),
		})
	}
	{
		v := randDigits(r, 5) + "-" + randDigits(r, 3) + "-" + randDigits(r, 2)
		all["USA_NATIONAL_DRUG_CODE"] = kwCases("ndc", v, []idCase{
			c("5-3-2", "NDC "+mark(v)),
			c("4-4-2", "national drug code "+mark("0002-"+randDigits(r, 4)+"-"+randDigits(r, 2))),
			c("11 digits", "ndc: "+mark("5"+randDigits(r, 10))),
		}, []idCase{
			c("no keyword", "lot "+v),
			c("3-3-3", "NDC 123-456-789"),
			c("nine digits", "NDC 123456789"),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return "1" + randDigits(r, 8) }, digits, validNPI)
		all["USA_NATIONAL_PROVIDER_IDENTIFIER"] = kwCases("npi", v, []idCase{
			c("NPI", "NPI: "+mark(v)),
			c("published example", "national provider "+mark("1234567893")),
			c("starting with 2", "n.p.i "+mark(genChecked(r, func(r *rand.Rand) string { return "2" + randDigits(r, 8) }, digits, validNPI))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("Luhn fails", "NPI "+breakLast(v, digits)),
			c("starting with 3", "NPI 3"+v[1:]),
			c("eleven digits", "NPI "+v+"1"),
		})
	}
	{
		gtin := genChecked(r, digitsBody(13), digits, func(b []byte, _, _ int) bool { return gs1Check(b) })
		v := "(01)" + gtin + "(17)" + "2" + randDigits(r, 5) + "(10)A" + randDigits(r, 4)
		all["MEDICAL_DEVICE_UDI"] = kwCases("udi", v, []idCase{
			c("GS1 with lot and expiry", "UDI: "+mark(v)),
			c("GS1 device identifier alone", "device identifier "+mark("(01)"+gtin)),
			c("GS1 serial number", "gs1 "+mark("(01)"+gtin+"(21)"+randFrom(r, digitsUpper, 8))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("GTIN check wrong", "UDI (01)"+breakLast(gtin, digits)),
			c("without (01)", "UDI "+gtin),
			c("13-digit GTIN", "UDI (01)"+gtin[:13]),
		})
	}
	{
		v := genChecked(r, func(r *rand.Rand) string { return randFrom(r, "12345678", 1) + randDigits(r, 8) }, digits, validCanadaHealth)
		all["CANADA_HEALTH_NUMBER"] = kwCases("phn", v, []idCase{
			c("Ontario with version", "health card (soins de santé) "+mark(v[:4]+"-"+v[4:7]+"-"+v[7:]+"-AB")),
			c("compact", "PHN: "+mark(v)),
			c("Quebec", "personal healthcare number "+mark("ABCD "+randDigits(r, 4)+" "+"1"+randDigits(r, 3))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("Luhn fails", "PHN "+breakLast(v, digits)),
			c("nine digits", "PHN "+v[:9]),
			c("all zeros", "PHN 0000000000"),
		})
	}
	{
		v := GenCard(r, "80276", 20)
		all["EUROPEAN_HEALTH_INSURANCE_CARD_NUMBER"] = kwCases("ehic", v, []idCase{
			c("German card", "EHIC "+mark(v)),
			c("French card", "carte européenne d'assurance maladie "+mark(GenCard(r, "80250", 20))),
			c("Italian card", "tessera sanitaria assicurazione numero "+mark(GenCard(r, "80380", 20))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("Luhn fails", "EHIC "+breakLast(v, digits)),
			c("not 80", "EHIC 81"+v[2:]),
			c("19 digits", "EHIC "+v[:19]),
		})
		f := GenCard(r, "80246", 20)
		all["FINLAND_EUROPEAN_HEALTH_INSURANCE_NUMBER"] = kwCases("ehic", f, []idCase{
			c("card", "EHIC "+mark(f)),
			c("Finnish keyword", "sairausvakuutuskortti "+mark(GenCard(r, "80246", 20))),
			c("Swedish keyword", "sjukförsäkringskort "+mark(GenCard(r, "80246", 20))),
		}, []idCase{
			c("no keyword", "ref "+f),
			c("Luhn fails", "EHIC "+breakLast(f, digits)),
			c("German card", "EHIC "+v),
		})
	}
	{
		v := genNIR(r)
		all["FRANCE_HEALTH_INSURANCE_NUMBER"] = kwCases("carte vitale", v, []idCase{
			c("compact", "Carte Vitale "+mark(v)),
			c("groups", "carte d'assuré social "+mark(fmtNIR(genNIR(r)))),
			c("insurance card", "insurance card: "+mark(genNIR(r))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("key wrong", "carte vitale "+breakLast(v, digits)),
			c("14 characters", "carte vitale "+v[:14]),
		})
	}
	{
		v := genChecked(r, digitsBody(9), digits, validNHS)
		all["UK_NHS_NUMBER"] = kwCases("nhs", v, []idCase{
			c("spaced", "NHS number: "+mark(spaced(v, " ", 3, 3))),
			c("compact", "National Health Service "+mark(v)),
			c("published example", "NHS No. "+mark("943 476 5919")),
		}, []idCase{
			c("no keyword", "order "+v),
			c("check wrong", "NHS "+breakLast(v, digits)),
			c("nine digits", "NHS "+v[:9]),
			c("mixed separators", "NHS "+v[:3]+" "+v[3:6]+"-"+v[6:]),
		})
	}

	// Phone numbers: a national number with a keyword, or the number with
	// its country code.
	phones := []struct {
		id, national, intl, intl2, bad string
	}{
		{"FRANCE_PHONE_NUMBER", "01 " + spaced(randDigits(r, 8), " ", 2, 2, 2), "+33 6 " + spaced(randDigits(r, 8), " ", 2, 2, 2), "+33612345678", "01 23 45 67"},
		{"UK_PHONE_NUMBER", "020 7946 0" + randDigits(r, 3), "+44 20 7946 0" + randDigits(r, 3), "+447700900" + randDigits(r, 3), "020 7946 01"},
		{"GERMANY_PHONE_NUMBER", "030 " + randDigits(r, 8), "+49 30 " + randDigits(r, 8), "+49 (0)151 " + randDigits(r, 8), "030 123"},
		{"ITALY_PHONE_NUMBER", "06 " + randDigits(r, 8), "+39 347 " + randDigits(r, 7), "+39 06 " + randDigits(r, 8), "06 1234"},
		{"SPAIN_PHONE_NUMBER", "91 123 " + spaced(randDigits(r, 4), " ", 2), "+34 612 " + spaced(randDigits(r, 6), " ", 3), "+34912345678", "51 123 45 67"},
		{"BRAZIL_PHONE_NUMBER", "(11) 3" + randDigits(r, 3) + "-" + randDigits(r, 4), "+55 11 9" + randDigits(r, 4) + "-" + randDigits(r, 4), "+55 (21) 2" + randDigits(r, 3) + "-" + randDigits(r, 4), "(01) 3123-4567"},
	}
	for _, p := range phones {
		all[p.id] = kwCases("phone", p.national, []idCase{
			c("national with keyword", "Tel: "+mark(p.national)),
			c("country code, no keyword", "reach us at "+mark(p.intl)),
			c("other country-code form", mark(p.intl2)),
			c("column context", mark(p.national), "mobile"),
		}, []idCase{
			c("national without keyword", "reach us at "+p.national),
			c("bad shape", "phone "+p.bad),
			c("glued to a word", "ref x"+strings.TrimPrefix(p.intl, "+")),
		})
	}

	// Other PII.
	{
		all["DATE_OF_BIRTH"] = kwCases("dob", "12/31/1990", []idCase{
			c("US", "DOB: "+mark("07/04/1985")),
			c("European dotted", "date of birth "+mark("31.12.1979")),
			c("ISO", "birth_date="+mark("1990-02-28")),
			c("two-digit year", "Birthday: "+mark("3/12/90")),
			c("year first with slashes", "b-day "+mark("2001/9/3")),
			c("month first, named", "Date of birth: "+mark("March 21, 1970")),
			c("day first, named, keyword after", "born "+mark("17 June 1970")+" (DOB)"),
			c("day first, named, marked", "DOB "+mark("17 June 1970")),
			c("abbreviated with hyphens", "dob="+mark("21-Mar-1970")),
			c("abbreviated with slashes", "DOB: "+mark("21/mar/1970")),
			c("abbreviated with a period", "birthday "+mark("Sept. 3, 1985")),
			c("ordinal of", "Birthday: the "+mark("21st of March 1970")),
			c("ordinal, month first", "birth date "+mark("December 2nd, 1999")),
			c("upper case, two-digit year", "DOB "+mark("01-JAN-85")),
			c("year first, named", "dob "+mark("1970-Mar-21")),
			c("29 February of a leap year", "DOB "+mark("29 Feb 2000")),
		}, []idCase{
			c("no keyword", "shipped 07/04/1985"),
			c("30 February", "DOB 1990-02-30"),
			c("month 13", "DOB 13/13/1990"),
			c("year 2150", "DOB 01/01/2150"),
			c("mixed separators", "DOB 01/01-1990"),
			c("named, no keyword", "shipped on March 21, 1970 and 17 June 1970"),
			c("named, keyword too far", "dob is asked for on the second page only: March 21, 1970"),
			c("31 February", "DOB 31 February 1970"),
			c("29 February of a common year", "DOB 29-Feb-1900"),
			c("31 April", "date of birth: April 31, 1980"),
			c("wrong ordinal suffix", "DOB 21th March 1970"),
			c("named, mixed separators", "DOB 21-Mar/1970"),
			c("named, two-digit year with spaces", "DOB March 21 70"),
			c("named, year 1850", "DOB 3 May 1850"),
			c("word that begins like a month", "DOB Marching 21, 1970"),
			c("period after a whole month name", "DOB March. 21, 1970"),
		})
	}
	{
		v := "47.6062, -122.3321"
		all["LATITUDE_LONGITUDE"] = kwCases("coordinates", v, []idCase{
			c("pair", "Coordinates: "+mark(v)),
			c("southern", "position "+mark("-33.8688,151.2093")),
			c("lat long keyword", "lat_long="+mark("51.5074, -0.1278")),
		}, []idCase{
			c("no keyword", "values "+v),
			c("latitude 95", "coordinates 95.1234, 10.1234"),
			c("degrees minutes seconds", "coordinates 47°36'22\"N 122°19'55\"W"),
			c("too few decimals", "coordinates 47.6, -122.3"),
		})
	}
	{
		v := "0" + randDigits(r, 4) + "-" + randDigits(r, 3)
		all["BRAZIL_CEP_CODE"] = kwCases("cep", v, []idCase{
			c("hyphen", "CEP: "+mark(v)),
			c("compact", "código postal "+mark("2"+randDigits(r, 7))),
			c("keyword after", mark("7"+randDigits(r, 4)+"-"+randDigits(r, 3))+" (CEP)"),
		}, []idCase{
			c("no keyword", "pedido "+v),
			c("all zeros", "CEP 00000-000"),
			c("seven digits", "CEP 1234-567"),
		})
	}
	{
		v := genVIN(r)
		all["VEHICLE_IDENTIFICATION_NUMBER"] = kwCases("vin", v, []idCase{
			c("VIN", "VIN: "+mark(v)),
			c("published example", "vehicle identification number "+mark("1M8GDM9AXKP042788")),
			c("German keyword", "Fahrgestellnummer "+mark(genVIN(r))),
		}, []idCase{
			c("no keyword", "ref "+v),
			c("check digit wrong", "VIN 1M8GDM9A1KP042788"),
			c("letter O", "VIN 1M8GDM9AXKO042788"),
			c("16 characters", "VIN "+v[:16]),
		})
	}
	all["HTTP_COOKIE"] = idCases{
		match: []idCase{
			c("request header", "GET / HTTP/1.1\r\nHost: example.test\r\n"+mark("Cookie: session="+randFrom(r, b64url, 24)+"; theme=dark")+"\r\n"),
			c("response header", mark("Set-Cookie: id="+randFrom(r, b64url, 16)+"; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly")+"\n"),
			c("lower case", mark("cookie: sid="+randFrom(r, b64url, 20))),
		},
		noMatch: []idCase{
			c("the word", "we baked a cookie: chocolate chip"),
			c("no value", "Cookie: "),
			c("no name", "Cookie: =abc"),
			c("other header", "X-Cookie-Policy: strict"),
			c("longer header name", "X-Cookie: a=b"),
		},
	}
}

package identifiers

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// licenceCases are the cases of the driver's licences in licences: a
// value in each country's format, with one of its keywords, and values of
// the wrong shape.
func licenceCases(r *rand.Rand, all map[string]idCases) {
	d := func(n int) func() string { return func() string { return "1" + randDigits(r, n-1) } }
	letters := func(nl, nd int) func() string {
		return func() string { return randFrom(r, upper, nl) + "1" + randDigits(r, nd-1) }
	}
	finnish := func() string {
		return genChecked(r, func(r *rand.Rand) string {
			return fmt.Sprintf("%02d%02d%02d-%03d", 1+r.IntN(28), 1+r.IntN(12), r.IntN(100), 2+r.IntN(897))
		}, "0123456789ABCDEFHJKLMNPRSTUVWXY", validFinnishID)
	}
	swedish := func() string {
		return genChecked(r, func(r *rand.Rand) string {
			return fmt.Sprintf("%02d%02d%02d-%03d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
		}, digits, validPersonnummer)
	}
	spanish := func() string { return genChecked(r, digitsBody(8), upper, validDNI) }
	for _, l := range []struct {
		id, kw string
		gen    func() string
		bad    []string
	}{
		{"AUSTRALIA_DRIVERS_LICENSE", "driver licence", d(9), []string{"12345", "ABC1234567"}},
		{"AUSTRIA_DRIVERS_LICENSE", "führerschein", d(8), []string{"1234567", "123456789"}},
		{"BELGIUM_DRIVERS_LICENSE", "rijbewijs", d(10), []string{"123456789", "12345678901"}},
		{"BULGARIA_DRIVERS_LICENSE", "шофьорска книжка", d(9), []string{"12345678", "1234567890"}},
		{"CROATIA_DRIVERS_LICENSE", "vozačka dozvola", d(8), []string{"1234567", "123456789"}},
		{"CYPRUS_DRIVERS_LICENSE", "άδεια οδήγησης", d(8), []string{"12345", "1234567890123"}},
		{"CZECHIA_DRIVERS_LICENSE", "řidičský průkaz", letters(2, 6), []string{"E123456", "EA12345"}},
		{"DENMARK_DRIVERS_LICENSE", "kørekort", d(8), []string{"1234567", "123456789"}},
		{"ESTONIA_DRIVERS_LICENSE", "juhiluba", letters(2, 6), []string{"E123456", "EA1234567"}},
		{"FINLAND_DRIVERS_LICENSE", "ajokortti", finnish, []string{"131052-308U", "311352-308T"}},
		{"FRANCE_DRIVERS_LICENSE", "permis de conduire", d(12), []string{"12345678901", "12ABC12345"}},
		{"GERMANY_DRIVERS_LICENSE", "führerschein", func() string {
			return "B" + randDigits(r, 2) + randFrom(r, digitsUpper, 6) + randDigits(r, 1) + randFrom(r, digitsUpper, 1)
		}, []string{"B072RRE2I5", "B0A2RRE2I55"}},
		{"GREECE_DRIVERS_LICENSE", "adeia odigisis", d(9), []string{"12345678", "1234567890"}},
		{"HUNGARY_DRIVERS_LICENSE", "jogosítvány", letters(2, 6), []string{"AB12345", "ABC123456"}},
		{"INDIA_DRIVERS_LICENSE", "driving licence", func() string { return "MH" + randDigits(r, 2) + "20" + randDigits(r, 2) + "1" + randDigits(r, 6) }, []string{"MH1418111234567", "MH14201112345"}},
		{"IRELAND_DRIVERS_LICENSE", "ceadúnas tiomána", d(9), []string{"12345678", "1234567890"}},
		{"ITALY_DRIVERS_LICENSE", "patente di guida", func() string { return randFrom(r, upper, 2) + "1" + randDigits(r, 6) + randFrom(r, upper, 1) }, []string{"AB1234567", "AB12345678C"}},
		{"LATVIA_DRIVERS_LICENSE", "vadītāja apliecība", letters(2, 6), []string{"A123456", "AB12345"}},
		{"LITHUANIA_DRIVERS_LICENSE", "vairuotojo pažymėjimas", d(8), []string{"1234567", "123456789"}},
		{"LUXEMBOURG_DRIVERS_LICENSE", "fahrerlaubnis", d(6), []string{"12345", "1234567"}},
		{"MALTA_DRIVERS_LICENSE", "liċenzja tas-sewqan", func() string { return "1" + randDigits(r, 6) + "M" }, []string{"123456M", "12345678M"}},
		{"NETHERLANDS_DRIVERS_LICENSE", "rijbewijsnummer", d(10), []string{"123456789", "12345678901"}},
		{"POLAND_DRIVERS_LICENSE", "prawo jazdy", func() string { return "1" + randDigits(r, 4) + "/" + randDigits(r, 2) + "/" + randDigits(r, 4) }, []string{"12345/12/123", "1234/12/1234"}},
		{"PORTUGAL_DRIVERS_LICENSE", "carta de condução", func() string { return "L-1" + randDigits(r, 5) + " " + randDigits(r, 1) }, []string{"L-12345 6", "LLL-123456 7"}},
		{"ROMANIA_DRIVERS_LICENSE", "permis de conducere", d(9), []string{"12345678", "A12345"}},
		{"SLOVAKIA_DRIVERS_LICENSE", "vodičský preukaz", letters(2, 6), []string{"E123456", "EA12345"}},
		{"SLOVENIA_DRIVERS_LICENSE", "vozniško dovoljenje", d(8), []string{"1234567", "123456789"}},
		{"SPAIN_DRIVERS_LICENSE", "permiso de conducción", spanish, []string{"12345678A", "1234567Z"}},
		{"SWEDEN_DRIVERS_LICENSE", "körkortsnummer", swedish, []string{"880320-0017", "881320-0016"}},
	} {
		v := l.gen()
		noMatch := []idCase{
			c("no keyword", "ref "+v),
			c("glued to a longer code", l.kw+" X-"+v+"-9"),
		}
		for i, b := range l.bad {
			noMatch = append(noMatch, c(fmt.Sprintf("wrong shape %d", i), l.kw+" "+b))
		}
		all[l.id] = kwCases(l.kw, v, []idCase{
			c("keyword before", l.kw+": "+mark(v)),
			c("keyword after", mark(l.gen())+" ("+l.kw+")"),
			c("column context", mark(l.gen()), l.kw),
		}, noMatch)
	}
	// The century signs introduced in 2023: the Finnish Digital and
	// Population Data Services Agency's examples.
	fi := all["FINLAND_DRIVERS_LICENSE"]
	for _, v := range []string{"010594Y9032", "020594X903P", "010516B903X", "030516D9037", "020504A902E"} {
		fi.match = append(fi.match, c("century sign "+v[6:7], "ajokortti "+mark(v)))
	}
	fi.noMatch = append(fi.noMatch,
		c("new century sign, wrong check character", "ajokortti 010594Y9033"),
		c("century sign G", "ajokortti 010594G9032"),
		c("new century sign, no keyword", "ref 010594Y9032"))
	all["FINLAND_DRIVERS_LICENSE"] = fi
	// Twelve digits, the century first.
	se := all["SWEDEN_DRIVERS_LICENSE"]
	se.match = append(se.match,
		c("twelve digits with a hyphen", "körkortsnummer "+mark("19880320-0016")),
		c("twelve digits compact", "körkort: "+mark("198803200016")),
		c("twelve digits, 2000s", "körkortsnummer "+mark("20"+swedish12(NewCorpusRand(12)))))
	se.noMatch = append(se.noMatch,
		c("twelve digits, wrong Luhn digit", "körkortsnummer 19880320-0017"),
		c("twelve digits, 29 February 1900 (Luhn right)", "körkortsnummer 19000229-0005"),
		c("twelve digits, century 21", "körkortsnummer 21880320-0016"),
		c("twelve digits with a plus", "körkortsnummer 19880320+0016"))
	all["SWEDEN_DRIVERS_LICENSE"] = se
}

// swedish12 returns the last ten digits of a personnummer born in the
// 2000s, the date 2000-2024 and a Luhn digit computed here.
func swedish12(r *rand.Rand) string {
	body := fmt.Sprintf("%02d%02d%02d%03d", r.IntN(25), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
	sum := 0
	for i, ch := range body {
		v := int(ch-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	return body + strconv.Itoa((10-sum%10)%10)
}

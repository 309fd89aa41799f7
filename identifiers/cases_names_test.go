package identifiers

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Cases of NAME and ADDRESS, and the generators of their positive corpus.
// Names are drawn from common given names and surnames, never a real
// person's data; addresses are public buildings or drawn from city, state
// and code tables.

// Samples of the finders' word lists, for the generators: given names,
// ambiguous given names, surnames.
var (
	sampleGiven = strings.Fields(`Maria John Emily Lukas Giulia Javier Sophie Thomas Anna Carlos
		Hélène François Jürgen Chiara Lucía Oliver Charlotte Matthias Francesca Pablo Jean-Pierre
		Isabelle Rebecca Giorgio Núria Daniel Sarah Wolfgang Élodie Alessandro Mercedes`)
	sampleAmbiguous = strings.Fields(`Grace Will Rose Hope Jack Mark Victoria Dallas Paris`)
	sampleSurnames  = strings.Fields(`Smith Garcia Müller Rossi Dupont Fernández Johnson Schneider
		Bianchi Moreau Martínez Brown Weber Romano Lefebvre López Taylor Fischer Ricci Girard
		Sánchez O'Brien McDonald Smith-Jones Hoffmann Esposito Dubois Navarro`)
	// Name-like surnames outside surnames.txt.
	otherSurnames = strings.Fields(`Abernathy Quennell Vasquel Trombley Okonkwo Hallorann Brisbois Castellví Pietrangeli Wendtland`)
	// Given names outside given.txt: the finder misses them (recall outside
	// its lists is measured, not assumed).
	otherGiven = strings.Fields(`Thaddeus Ottilie Zebulon Perpetua Anselm Ulrika Isidora Leocadia Evander Wilhelmina`)
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// genName draws a full name from the lists: given name, sometimes an
// initial or a middle name, and a surname.
func genName(r *rand.Rand) string {
	g := pick(r, sampleGiven)
	s := pick(r, sampleSurnames)
	switch r.IntN(6) {
	case 0:
		return g + " " + string(rune('A'+r.IntN(26))) + ". " + s
	case 1:
		return pick(r, sampleAmbiguous) + " " + s
	case 2:
		return g + " " + pick(r, otherSurnames)
	}
	return g + " " + s
}

// usPlaces, ... are places with their region and a code that matches.
var (
	usPlaces = [][3]string{{"Springfield", "IL", "627"}, {"Austin", "TX", "787"}, {"Seattle", "WA", "981"},
		{"Salt Lake City", "UT", "841"}, {"New York", "NY", "100"}, {"Boston", "MA", "021"}, {"Miami", "Florida", "331"},
		{"Denver", "CO", "802"}, {"Washington", "DC", "200"}, {"St. Louis", "MO", "631"}}
	caPlaces = [][3]string{{"Ottawa", "ON", "K"}, {"Toronto", "ON", "M"}, {"Montreal", "QC", "H"},
		{"Vancouver", "BC", "V"}, {"Calgary", "AB", "T"}, {"Halifax", "NS", "B"}}
	ukPlaces = [][2]string{{"London", "SW1A"}, {"Manchester", "M1"}, {"Leeds", "LS1"}, {"Edinburgh", "EH1"},
		{"Bristol", "BS1"}, {"LONDON", "EC1A"}, {"Cardiff", "CF10"}, {"Birmingham", "B2"}}
	auPlaces = [][3]string{{"Sydney", "NSW", "2000"}, {"Melbourne", "VIC", "3000"}, {"Brisbane", "QLD", "4000"},
		{"Perth", "WA", "6000"}, {"Adelaide", "SA", "5000"}, {"Hobart", "TAS", "7000"}, {"Canberra", "ACT", "2600"}}
	euPlaces = [][2]string{{"Paris", "75"}, {"Lyon", "69"}, {"Berlin", "10"}, {"München", "80"}, {"Roma", "00"},
		{"Milano", "20"}, {"Madrid", "28"}, {"Barcelona", "08"}, {"Frankfurt am Main", "60"}, {"Sevilla", "41"}}
	enStreets = strings.Fields(`Main Oak Maple Cedar High Church Station Mill Park Elm`)
	enKinds   = strings.Fields(`Street Avenue Road Lane Drive Boulevard St Ave Rd`)
	euStreets = []string{"rue de la Paix", "avenue Victor Hugo", "Hauptstraße", "Via Roma", "Calle Mayor", "Bahnhofstr.", "Corso Italia", "Paseo del Prado"}
)

// genAddress draws an address of one of the eight countries, all of it
// the span the finder must report.
func genAddress(r *rand.Rand) string {
	num := fmt.Sprint(1 + r.IntN(400))
	street := num + " " + pick(r, enStreets) + " " + pick(r, enKinds)
	letters := "ABCEGHJKLMNPRSTVWXYZ"
	switch r.IntN(5) {
	case 0:
		p := usPlaces[r.IntN(len(usPlaces))]
		zip := p[2] + randDigits(r, 2)
		if r.IntN(3) == 0 {
			zip += "-" + randDigits(r, 4)
		}
		return street + ", " + p[0] + ", " + p[1] + " " + zip
	case 1:
		p := caPlaces[r.IntN(len(caPlaces))]
		return street + ", " + p[0] + ", " + p[1] + " " + p[2] + randDigits(r, 1) + randFrom(r, letters, 1) + " " +
			randDigits(r, 1) + randFrom(r, letters, 1) + randDigits(r, 1)
	case 2:
		p := ukPlaces[r.IntN(len(ukPlaces))]
		return street + ", " + p[0] + " " + p[1] + " " + randDigits(r, 1) + randFrom(r, "ABDEFGHJLNPQRSTUWXYZ", 2)
	case 3:
		p := auPlaces[r.IntN(len(auPlaces))]
		return street + ", " + p[0] + " " + p[1] + " " + p[2]
	}
	p := euPlaces[r.IntN(len(euPlaces))]
	s := pick(r, euStreets)
	if strings.HasPrefix(s, "rue") || strings.HasPrefix(s, "avenue") {
		s = num + " " + s
	} else {
		s += " " + num
	}
	return s + ", " + p[1] + randDigits(r, 3) + " " + p[0]
}

func nameAddressCases(r *rand.Rand, all map[string]idCases) {
	n1, n2 := genName(r), genName(r)
	all["NAME"] = idCases{
		match: []idCase{
			c("first and last", "Please call "+mark("Maria Garcia")+" tomorrow."),
			c("middle initial", mark("John A. Smith")+" signed the lease."),
			c("hyphenated given name", "Rendez-vous avec "+mark("Jean-Pierre Dupont")+" à midi."),
			c("accented capital in low quotes", "Unsere Kundin „"+mark("Élodie Moreau")+"“ rief an."),
			c("accented capital in curly quotes", "the agent “"+mark("Élodie Dubois")+"” replied"),
			c("salutation", "Dear "+mark("Emily Clarke")+",\nthank you."),
			c("title with period", "Dr. "+mark("Anna Müller")+" will see you."),
			c("sentence start word", "Yesterday "+mark("Lucía Fernández")+" called."),
			c("accents dropped", "client: "+mark("Jose Garcia")),
			c("apostrophe and Mc", mark("Sean O'Brien")+" and "+mark("Mary McDonald")+" met"),
			c("double surname", "by "+mark("Anna Smith-Jones")),
			c("particle", "the pianist "+mark("Johann van Dijk")+" played"),
			c("ambiguous given name before a known surname", "ask "+mark("Grace Thompson")),
			c("JSON value", `{"customer":"`+mark("Lukas Schneider")+`","id":7}`),
			c("generated", "Notes: "+mark(n1)+" and "+mark(n2)+" attended."),
		},
		noMatch: []idCase{
			c("city", "We flew to New York and San Francisco."),
			c("ambiguous given name before a word", "Will Power and Grace Period are not people."),
			c("lower case", "john smith wrote this"),
			c("all capitals", "JOHN SMITH"),
			c("street", "Main Street and John Street are closed"),
			c("title case heading", "Quarterly Report Shows Maria Garcia Revenue Growth Again"),
			c("firm with ampersand", "Smith & Wesson, Johnson & Johnson"),
			c("firm suffix", "John Smith LLC and Maria Garcia GmbH"),
			c("institution", "Maria Hospital and Thomas University"),
			c("two given names", "Mary Ann and Anna Maria"),
			c("e-mail address", "john.smith@example.com and John.Smith@example.com"),
			c("identifier", "class JohnSmith extends Maria_Garcia"),
			c("given name outside the list", "Thaddeus Abernathy"),
		},
	}
	a := genAddress(r)
	all["ADDRESS"] = idCases{
		match: []idCase{
			c("US", "The "+mark("1600 Pennsylvania Ave NW, Washington, DC 20500")+" visit."),
			c("UK", mark("10 Downing Street, London SW1A 2AA")),
			c("FR", "Adresse : "+mark("55 rue du Faubourg Saint-Honoré, 75008 Paris")),
			c("DE", mark("Platz der Republik 1, 11011 Berlin")),
			c("CA", "Office: "+mark("24 Sussex Drive, Ottawa, ON K1A 0A6")),
			c("AU", "Bennelong Point\n"+mark("Sydney NSW 2000")),
			c("IT", mark("Via del Quirinale, 00187 Roma")),
			c("ES", mark("Calle de Alcalá 45, 28013 Madrid")),
			c("US ZIP+4 and state name", "ship to "+mark("Springfield, Illinois 62701-1234")),
			c("UK capitals, no street", "MR J SMITH\n"+mark("LONDON EC1A 1BB")),
			c("CA code without space", mark("Toronto, ON M5V3L9")),
			c("DE compound street", mark("Hauptstraße 5, 80331 München")),
			c("Saint abbreviated", mark("700 Clark Ave, St. Louis, MO 63102")),
			c("generated", "deliver to "+mark(a)+"\n"),
		},
		noMatch: []idCase{
			c("city alone", "New York"),
			c("street without a code", "10 Main Street"),
			c("code without a city", "postal code 75008, zip 20500"),
			c("wrong length", "Paris 7500 and 750080 Paris and Sydney NSW 20000"),
			c("ZIP of another state", "Washington, DC 90210"),
			c("postcode of another state", "Sydney NSW 3000"),
			c("unknown place without a street", "order 12345 Springfield"),
			c("known city, wrong prefix", "10 rue de la Paix, 13001 Paris"),
			c("no such UK area", "London QQ1 2AA"),
			c("UK inward letters", "London SW1A 2CI"),
			c("province letter", "Ottawa, ON V1A 0A6"),
			c("decimal", "Austin, TX 78701.5"),
			c("state after a sentence", "Board of Directors. Texas 75001 shares"),
			c("street far from the code", "Highway 101 new 95688 Springfield"),
		},
	}
}

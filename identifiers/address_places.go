package identifiers

import "strings"

// Tables of the ADDRESS finder, written from general knowledge of each
// country's postal system (USPS ZIP prefixes, Canada Post's first letters,
// Royal Mail's postcode areas, Australia Post's ranges, and the
// département / Leitzone / CAP / provincia prefixes of the big cities of
// France, Germany, Italy and Spain). They are built once and never changed.

// usZIP maps a state's USPS code to the ranges of the first three digits
// of its ZIP codes.
var usZIP = map[string][][2]int{
	"AL": {{350, 369}}, "AK": {{995, 999}}, "AZ": {{850, 865}}, "AR": {{716, 729}},
	"CA": {{900, 961}}, "CO": {{800, 816}}, "CT": {{60, 69}}, "DE": {{197, 199}},
	"DC": {{200, 205}, {569, 569}}, "FL": {{320, 349}}, "GA": {{300, 319}, {398, 399}},
	"HI": {{967, 968}}, "ID": {{832, 838}}, "IL": {{600, 629}}, "IN": {{460, 479}},
	"IA": {{500, 528}}, "KS": {{660, 679}}, "KY": {{400, 427}}, "LA": {{700, 714}},
	"ME": {{39, 49}}, "MD": {{206, 219}}, "MA": {{10, 27}, {55, 55}}, "MI": {{480, 499}},
	"MN": {{550, 567}}, "MS": {{386, 397}}, "MO": {{630, 658}}, "MT": {{590, 599}},
	"NE": {{680, 693}}, "NV": {{889, 898}}, "NH": {{30, 38}}, "NJ": {{70, 89}},
	"NM": {{870, 884}}, "NY": {{5, 5}, {100, 149}}, "NC": {{270, 289}}, "ND": {{580, 588}},
	"OH": {{430, 459}}, "OK": {{730, 749}}, "OR": {{970, 979}}, "PA": {{150, 196}},
	"RI": {{28, 29}}, "SC": {{290, 299}}, "SD": {{570, 577}}, "TN": {{370, 385}},
	"TX": {{733, 733}, {750, 799}, {885, 885}}, "UT": {{840, 847}}, "VT": {{50, 59}},
	"VA": {{201, 201}, {220, 246}}, "WA": {{980, 994}}, "WV": {{247, 268}},
	"WI": {{530, 549}}, "WY": {{820, 831}}, "PR": {{6, 9}},
}

// usStateNames maps folded state names to their codes.
var usStateNames = map[string]string{
	"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
	"colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
	"florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
	"indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
	"maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
	"mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
	"new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
	"north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
	"pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
	"tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
	"washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
	"puerto rico": "PR",
}

// caFirst maps a province's code to the first letters of its postal codes.
var caFirst = map[string]string{
	"NL": "A", "NS": "B", "PE": "C", "NB": "E", "QC": "GHJ", "ON": "KLMNP", "MB": "R",
	"SK": "S", "AB": "T", "BC": "V", "NT": "X", "NU": "X", "YT": "Y",
}

// caProvinceNames maps folded province names to their codes.
var caProvinceNames = map[string]string{
	"newfoundland and labrador": "NL", "newfoundland": "NL", "nova scotia": "NS",
	"prince edward island": "PE", "new brunswick": "NB", "quebec": "QC", "ontario": "ON",
	"manitoba": "MB", "saskatchewan": "SK", "alberta": "AB", "british columbia": "BC",
	"northwest territories": "NT", "nunavut": "NU", "yukon": "YT",
}

// ukAreas are the letters of Royal Mail's postcode areas.
var ukAreas = setOf(`AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG
	DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY
	L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG
	SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE`)

// auPostcodes maps an Australian state's code to its postcode ranges.
var auPostcodes = map[string][][2]int{
	"NSW": {{1000, 2599}, {2619, 2899}, {2921, 2999}},
	"ACT": {{200, 299}, {2600, 2618}, {2900, 2920}},
	"VIC": {{3000, 3999}, {8000, 8999}},
	"QLD": {{4000, 4999}, {9000, 9999}},
	"SA":  {{5000, 5999}},
	"WA":  {{6000, 6999}},
	"TAS": {{7000, 7999}},
	"NT":  {{800, 999}},
}

// auStateNames maps folded state names to their codes.
var auStateNames = map[string]string{
	"new south wales": "NSW", "australian capital territory": "ACT", "victoria": "VIC",
	"queensland": "QLD", "south australia": "SA", "western australia": "WA", "tasmania": "TAS",
	"northern territory": "NT",
}

// euCities maps the folded names of big cities of France, Germany, Italy
// and Spain (in their own language and in English) to the first two
// digits of their postal codes. A code before a known city must match it;
// one before an unknown place needs a street on its line.
var euCities = buildEUCities(`
paris 75 marseille 13 lyon 69 toulouse 31 nice 06 nantes 44 strasbourg 67 montpellier 34
bordeaux 33 lille 59 rennes 35 reims 51 le-havre 76 saint-etienne 42 toulon 83 grenoble 38
dijon 21 angers 49 nimes 30 villeurbanne 69 clermont-ferrand 63 aix-en-provence 13 brest 29
tours 37 amiens 80 limoges 87 annecy 74 perpignan 66 boulogne-billancourt 92 metz 57
besancon 25 orleans 45 rouen 76 mulhouse 68 caen 14 nancy 54 argenteuil 95 montreuil 93
saint-denis 93 versailles 78 neuilly-sur-seine 92 nanterre 92 courbevoie 92 avignon 84
poitiers 86 pau 64 la-rochelle 17 calais 62 cannes 06 ajaccio 20 bastia 20 colmar 68
berlin 10,11,12,13,14 hamburg 20,21,22 munchen 80,81,85 munich 80,81,85 koln 50,51 cologne 50,51
frankfurt 60,65 stuttgart 70 dusseldorf 40 leipzig 04 dortmund 44 essen 45 bremen 28
dresden 01 hannover 30 nurnberg 90 nuremberg 90 duisburg 47 bochum 44 wuppertal 42
bielefeld 33 bonn 53 munster 48 karlsruhe 76 mannheim 68 augsburg 86 wiesbaden 65 kiel 24
mainz 55 freiburg 79 heidelberg 69 potsdam 14 rostock 18 erfurt 99 magdeburg 39
regensburg 93 aachen 52 braunschweig 38 chemnitz 09 halle 06 lubeck 23 saarbrucken 66
roma 00 rome 00 milano 20 milan 20 napoli 80 naples 80 torino 10 turin 10 palermo 90
genova 16 genoa 16 bologna 40 firenze 50 florence 50 bari 70 catania 95 venezia 30
venice 30 verona 37 messina 98 padova 35 trieste 34 brescia 25 parma 43 modena 41
pisa 56 perugia 06 cagliari 09 bergamo 24 livorno 57 ravenna 48 rimini 47 salerno 84
lecce 73 siena 53 como 22 monza 20 trento 38 bolzano 39 ancona 60 pescara 65
madrid 28 barcelona 08 valencia 46 sevilla 41 seville 41 zaragoza 50 malaga 29 murcia 30
palma 07 bilbao 48 alicante 03 cordoba 14 valladolid 47 vigo 36 gijon 33 granada 18
coruna 15 vitoria 01 oviedo 33 santander 39 pamplona 31 salamanca 37 toledo 45 cadiz 11
donostia 20 almeria 04 burgos 09 leon 24 castellon 12 tarragona 43 girona 17 lleida 25
badajoz 06 huelva 21 jaen 23 logrono 26 caceres 10 albacete 02 marbella 29 getafe 28
`)

func buildEUCities(s string) map[string][]string {
	m := map[string][]string{}
	f := strings.Fields(s)
	for i := 0; i+1 < len(f); i += 2 {
		m[f[i]] = strings.Split(f[i+1], ",")
	}
	return m
}

// streetWords are the (folded, without a final period) words that name a
// street in the eight countries' addresses.
var streetWords = setOf(`street st avenue ave av boulevard blvd road rd lane ln drive dr court ct
	place pl square sq way terrace crescent close parkway pkwy highway hwy circle cir row grove walk
	mews alley plaza loop trail pike broadway
	rue bd allee chemin impasse quai cours route passage faubourg
	strasse str platz weg gasse ring damm ufer chaussee markt
	via viale piazza piazzale corso largo vicolo contrada strada lungomare borgo
	calle c/ avenida avda paseo carrer camino ronda travesia glorieta carretera rambla passeig placa`)

// leadingStreetWords begin a street's name, so that one without a house
// number is still a street ("Via del Quirinale, 00187 Roma").
var leadingStreetWords = setOf(`rue avenue boulevard via viale piazza piazzale corso largo calle avenida
	paseo plaza carrer passeig rambla`)

// streetSuffixes end German street names written as one word
// ("Hauptstraße", "Bahnhofstr.", "Lindenweg").
var streetSuffixes = []string{"strasse", "str", "platz", "weg", "allee", "gasse", "ring", "damm", "ufer"}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

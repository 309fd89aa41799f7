// Package hostile writes the inputs that attack a scanner's memory: a PDF
// whose page holds one huge string, an Avro file whose one block inflates
// to a huge string, nested zips, a zip of millions of empty entries. Each
// is written as a stream, so a test builds a file that inflates to
// gigabytes without holding it; nothing large is committed as a fixture.
//
// Every input carries one planted US Social Security number
// (PlantedSSN) before the hostile part, so a test can check that what
// comes before the attack is still reported.
package hostile

// PlantedSSN is the value each input carries before its hostile part.
const PlantedSSN = "SSN: 123-45-6789"

package corpus

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Kinds of corpus.
const (
	Prose = "prose"
	Logs  = "logs"
	CSV   = "csv"
	JSONL = "jsonl"
)

// Kinds lists the corpus kinds in a fixed order.
var Kinds = []string{Prose, Logs, CSV, JSONL}

var words = strings.Fields(`the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were her she there been one all we their has would when what if
more no out so said can who about up them some could him into its then two time like other only new
these than first over very after know our also most made way just even where many through back years
customer account report quarter review team product service data system process update meeting
project number order invoice shipment delivery contract payment support request security network
policy storage bucket object region cluster deployment release version build pipeline analysis`)

// Write writes about size bytes of the kind of corpus to w. Sensitive
// values are planted sparsely (about one line in rate), valid and invalid
// alike, so a scanner has real work but most text is clean.
func Write(w io.Writer, kind string, size int64, seed uint64, rate int) error {
	g := New(seed)
	bw := bufio.NewWriterSize(w, 1<<16)
	var n int64
	for line := 0; n < size; line++ {
		var s string
		switch kind {
		case Prose:
			s = g.proseLine()
		case Logs:
			s = g.logLine(line)
		case CSV:
			if line == 0 {
				s = "id,amount,phone,reference,created,notes"
			} else {
				s = g.csvLine(line)
			}
		case JSONL:
			s = g.jsonLine(line)
		default:
			return fmt.Errorf("unknown corpus kind %q", kind)
		}
		if rate > 0 && g.r.IntN(rate) == 0 {
			s += " " + g.Planted()
		}
		m, err := bw.WriteString(s + "\n")
		if err != nil {
			return err
		}
		n += int64(m)
	}
	return bw.Flush()
}

func (g *Gen) sentence(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[g.r.IntN(len(words))]
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ") + "."
}

func (g *Gen) proseLine() string {
	s := g.sentence(8 + g.r.IntN(12))
	if g.r.IntN(8) == 0 {
		s += fmt.Sprintf(" In %d we shipped %d units at %d.%02d each.", 2000+g.r.IntN(26), g.r.IntN(5000), g.r.IntN(500), g.r.IntN(100))
	}
	return s + " " + g.sentence(6+g.r.IntN(10))
}

func (g *Gen) logLine(i int) string {
	levels := []string{"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	return fmt.Sprintf("2026-%02d-%02dT%02d:%02d:%02d.%03dZ %s [req-%s] %s /api/v%d/%s/%d status=%d duration_ms=%d bytes=%d ip=10.%d.%d.%d",
		1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000),
		levels[g.r.IntN(len(levels))], g.Digits(12), []string{"GET", "POST", "PUT"}[g.r.IntN(3)],
		1+g.r.IntN(3), words[g.r.IntN(len(words))], g.r.IntN(1e6), []int{200, 200, 201, 404, 500}[g.r.IntN(5)],
		g.r.IntN(5000), g.r.IntN(1e6), g.r.IntN(256), g.r.IntN(256), g.r.IntN(256))
}

// csvLine is digit-heavy: ids, amounts, phone-like and reference numbers.
func (g *Gen) csvLine(i int) string {
	a, e, l := g.USPhone()
	return fmt.Sprintf("%d,%d.%02d,%s-%s-%s,%s,2026-%02d-%02d %02d:%02d:%02d,%s",
		100000+i, g.r.IntN(100000), g.r.IntN(100), a, e, l, g.Digits(10+g.r.IntN(8)),
		1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), words[g.r.IntN(len(words))])
}

func (g *Gen) jsonLine(i int) string {
	return fmt.Sprintf(`{"id":%d,"user":"%s%d","event":"%s","amount":%d.%02d,"ts":"2026-%02d-%02dT%02d:%02d:00Z","tags":["%s","%s"],"note":"%s"}`,
		i, words[g.r.IntN(len(words))], g.r.IntN(1e4), words[g.r.IntN(len(words))], g.r.IntN(1e5), g.r.IntN(100),
		1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60),
		words[g.r.IntN(len(words))], words[g.r.IntN(len(words))], g.sentence(5+g.r.IntN(6)))
}

// Planted returns one sensitive value in context: valid ones with their
// keyword, and near misses (bad check digits, no keyword, example values).
func (g *Gen) Planted() string {
	switch g.r.IntN(12) {
	case 0:
		return "card number " + g.Card("4539", 16)
	case 1:
		return "payment " + GroupCard(g.Card("5425", 16), " ") + " processed"
	case 2:
		return "ssn " + g.SSN("-")
	case 3:
		return "ref " + g.SSN("-") // no keyword: not an SSN finding
	case 4:
		return "aws_secret_access_key=" + g.AWSSecret()
	case 5:
		return "Authorization: Bearer " + g.JWT()
	case 6:
		a, e, l := g.USPhone()
		return fmt.Sprintf("call +1 (%s) %s-%s", a, e, l)
	case 7:
		return "IBAN " + GroupIBAN(IBAN("DE", g.Digits(18)), " ")
	case 8:
		return "card " + BadLuhn(g.Card("4539", 16))
	case 9:
		return "visa 4111111111111111"
	case 10:
		return "order " + g.Card("4916", 16) // no keyword near: the no-keyword card identifier
	default:
		return "phone " + strings.Join([]string{"415", "555", g.Digits(4)}, "-")
	}
}

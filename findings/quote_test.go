package findings

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/identifiers"
)

func TestQuoteName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"dir/plain name.txt", "dir/plain name.txt"},
		{"données/日本.csv", "données/日本.csv"}, // printable Unicode stays
		{"\x1b[2Jcleared.txt", `"\033[2Jcleared.txt"`},
		{"a\nfake row\tHigh", `"a\nfake row\tHigh"`},
		{"bell\a\b\v\f\r", `"bell\a\b\v\f\r"`},
		{`quote" and \`, `"quote\" and \\"`},
		{"del\x7f", `"del\177"`},
		{"bad\xff\xfeutf8", `"bad\377\376utf8"`},
		{"c1\u009b31m", `"c1\302\23331m"`},               // CSI as one C1 character
		{"rtl\u202eexe.txt", `"rtl\342\200\256exe.txt"`}, // bidirectional override
	} {
		if got := QuoteName(tc.in); got != tc.want {
			t.Errorf("QuoteName(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// Names in the table are quoted whatever the writer is: no control byte
// of a name reaches it, and each finding is one line.
func TestTableQuotesNames(t *testing.T) {
	key := "logs/\x1b]0;owned\x07\x1b[2J\nHigh\tFAKE ROW.zip"
	member := "in\x1b[31mred\r.txt"
	r := &Result{Object: Object{Key: key}, Status: Complete}
	r.Merge(resultWith(map[*identifiers.Identifier]int{card: 1}), key+"!"+member)
	r.Finish()
	var buf bytes.Buffer
	tw := NewTable(&buf)
	tw.Put(r, Build(r, run))
	s3 := &Result{Object: Object{Bucket: "b", Key: "k\x1bc"}, Status: Complete}
	s3.Merge(resultWith(map[*identifiers.Identifier]int{card: 1}), "")
	s3.Finish()
	tw.Put(s3, Build(s3, run))
	tw.Close()
	out := buf.String()
	for i := 0; i < len(out); i++ {
		if c := out[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("control byte %#x in the table:\n%q", c, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 3 {
		t.Errorf("%d lines, want a heading and 2 rows:\n%s", n, out)
	}
	for _, want := range []string{QuoteName(key), QuoteName(member) + ": line 1", `"s3://b/k\033c"`} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %s:\n%s", want, out)
		}
	}
}

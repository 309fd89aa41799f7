package identifiers

import "testing"

func TestLastSpace(t *testing.T) {
	for _, c := range []struct {
		w    string
		want int
	}{
		{"abcdefgh", -1}, {" bcdefgh", 0}, {"abcdefg ", 7}, {"a c e g ", 7}, {"ab d\x00\x01gh", 2},
		{"\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0", -1}, {"\x00 \x00\x00\x00\x00\x00\x00", 1}, {"\x21\x1f!!!!!!", -1},
	} {
		if got := lastSpace([]byte(c.w)); got != c.want {
			t.Errorf("lastSpace(%q) = %d, want %d", c.w, got, c.want)
		}
	}
}

package formats

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// Text longer than xmlMaxRun reaches the decoder in pieces, whole and in
// order, entity references intact; a tag that long fails with ErrTooLarge.
func TestBoundedXML(t *testing.T) {
	text := strings.Repeat("ab&amp;c", xmlMaxRun/4) + "&lt;" + strings.Repeat("z", xmlMaxRun)
	dec := xml.NewDecoder(newBoundedXML(strings.NewReader("<r>" + text + "</r>")))
	var got strings.Builder
	pieces, longest := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			got.Write(cd)
			pieces++
			longest = max(longest, len(cd))
		}
	}
	want := strings.NewReplacer("&amp;", "&", "&lt;", "<").Replace(text)
	if got.String() != want {
		t.Errorf("text of %d bytes, want %d", got.Len(), len(want))
	}
	if pieces < 3 || longest > xmlMaxRun {
		t.Errorf("%d pieces, the longest %d bytes", pieces, longest)
	}

	dec = xml.NewDecoder(newBoundedXML(strings.NewReader("<r><" + strings.Repeat("a", xmlMaxRun+1) + "/></r>")))
	var err error
	for err == nil {
		_, err = dec.Token()
	}
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("long tag: %v, want ErrTooLarge", err)
	}
}

package ics

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestControlCharacters: TEXT values and parameters carry no control
// character raw (RFC 5545 §3.3.11 allows none but HTAB); line breaks are
// escaped as \n, everything else is dropped, and every line stays within
// 75 octets without splitting a character.
func TestControlCharacters(t *testing.T) {
	title := "Plan\x00 the\x1b[31m review;\x07 Q3,\ftwo\x7f\u0085 lines\r\nnext\rlast\ttabbed"
	var w Writer
	w.Text("SUMMARY", title)
	w.Text("DESCRIPTION", strings.Repeat("é\x01", 60))
	w.Line("ORGANIZER;CN="+Param("Zoë\x00 \"Z\"\r\nÅ; Ltd"), "mailto:zoe@acme.test")
	out := string(w.Bytes())
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets", i, len(line))
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a character: %q", i, line)
		}
		for _, r := range line {
			if r != '\t' && isControl(r) {
				t.Errorf("line %d carries control character %U raw: %q", i, r, line)
			}
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	if want := `SUMMARY:Plan the[31m review\; Q3\,two lines\nnext\nlast` + "\ttabbed\r\n"; !strings.HasPrefix(unfolded, want) {
		t.Errorf("SUMMARY written as\n%q\nwant\n%q", unfolded, want)
	}
	if !strings.Contains(unfolded, "DESCRIPTION:"+strings.Repeat("é", 60)+"\r\n") {
		t.Errorf("DESCRIPTION: %q", unfolded)
	}
	if !strings.Contains(unfolded, `ORGANIZER;CN="Zoë Z Å; Ltd":mailto:`) {
		t.Errorf("ORGANIZER: %q", unfolded)
	}
}

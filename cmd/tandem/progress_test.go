package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := &progressLine{w: &b, start: time.Now()}
	p.show("importing", 1, 4)
	p.show("importing", 2, 4) // within 100 ms of the last draw: skipped
	p.show("importing", 4, 4) // the end is always drawn
	if got := b.String(); strings.Count(got, "importing [") != 2 || !strings.Contains(got, " 25%") || !strings.Contains(got, "100%") || strings.Contains(got, " 50%") {
		t.Errorf("drawn %q", got)
	}
	p.end()
	if !strings.HasSuffix(b.String(), "\r\033[K") {
		t.Errorf("end does not erase the line: %q", b.String())
	}

	b.Reset()
	quiet := &progressLine{w: &b, start: time.Now(), after: time.Hour}
	quiet.show("read", 1, 2)
	quiet.end()
	if b.Len() != 0 {
		t.Errorf("a run shorter than the delay drew %q", b.String())
	}
	if (newProgressLine(&b, 0)).w != nil {
		t.Error("draws on something that is not a terminal")
	}
}

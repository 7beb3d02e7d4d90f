// Package ics writes iCalendar (RFC 5545) content: the calendar feed and
// session downloads of the web server, and the invitations and
// cancellations attached to session emails. It is written by hand because
// the format is a page of rules, all of which are here: CRLF line ends,
// lines folded at 75 octets without splitting a UTF-8 character, TEXT
// values escaped, times in UTC with the Z suffix.
package ics

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// TimeFormat writes a UTC instant as a DATE-TIME value (with Z).
const TimeFormat = "20060102T150405Z"

// Writer accumulates content lines.
type Writer struct{ b bytes.Buffer }

// Line writes "NAME:value" folded at 75 octets: continuation lines start
// with one space, which counts toward their 75.
func (w *Writer) Line(name, value string) {
	s := name + ":" + value
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}

// Text writes a TEXT property, escaped.
func (w *Writer) Text(name, value string) { w.Line(name, Escape(value)) }

// Bytes returns what was written.
func (w *Writer) Bytes() []byte { return w.b.Bytes() }

// Escape escapes a TEXT value: backslash, semicolon, comma and newlines
// (RFC 5545 §3.3.11). Other control characters may not appear in TEXT
// (only HTAB among them is allowed): they are dropped, so a NUL, an escape
// sequence or a form feed typed into a title never reaches a calendar.
func Escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' || !isControl(r) {
			return r
		}
		return -1
	}, s)
	return strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// isControl reports the characters RFC 5545 calls CONTROL (%x00-08,
// %x0A-1F, %x7F), plus the C1 controls, which no calendar shows.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// SessionUID is a session's UID, the same in the feed, the download and
// every email about it, so a calendar moves or cancels the one event
// instead of adding another. It is made of the organization's and the
// session's ids only: not of the host the feed was fetched from, which
// changes with a new address or a proxy and would duplicate every event.
func SessionUID(orgID, meetingID int64) string {
	return fmt.Sprintf("session-%d-%d@tandem", orgID, meetingID)
}

// Param quotes a parameter value (such as CN) when it holds characters
// that must be quoted, and drops the double quotes and control characters
// it may not hold (a line break becomes a space).
func Param(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\r':
			return -1
		case r == '\n' || r == '\t':
			return ' '
		case isControl(r):
			return -1
		}
		return r
	}, s)
	if strings.ContainsAny(s, ";:,") {
		return `"` + s + `"`
	}
	return s
}

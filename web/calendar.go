package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// The iCalendar (RFC 5545) writer for the calendar feed and the .ics
// download of one session. It is written by hand because the format is a
// page of rules, all of which are here: CRLF line ends, lines folded at 75
// octets without splitting a UTF-8 character, TEXT values escaped, times in
// UTC with the Z suffix.

const icsTime = "20060102T150405Z"

// icsWriter accumulates content lines.
type icsWriter struct{ b bytes.Buffer }

// line writes "NAME:value" folded at 75 octets: continuation lines start
// with one space, which counts toward their 75.
func (w *icsWriter) line(name, value string) {
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

// text writes a TEXT property, escaped.
func (w *icsWriter) text(name, value string) { w.line(name, icsEscape(value)) }

// icsEscape escapes a TEXT value: backslash, semicolon, comma and newlines
// (RFC 5545 §3.3.11).
func icsEscape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// writeCalendar writes a VCALENDAR with one VEVENT per entry. base is the
// site's URL, for links back to each session and for the UIDs' domain.
func writeCalendar(name, base string, now time.Time, entries []app.CalendarEntry) []byte {
	host := "tandem"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var w icsWriter
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//Tandem//Tandem sessions//EN")
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	w.text("X-WR-CALNAME", name)
	for _, en := range entries {
		m := en.Meeting
		w.line("BEGIN", "VEVENT")
		// The UID stays the same across reschedules, so a calendar moves
		// the event instead of adding another; SEQUENCE orders versions.
		w.line("UID", fmt.Sprintf("session-%d@%s", m.ID, host))
		w.line("DTSTAMP", now.UTC().Format(icsTime))
		w.line("DTSTART", m.Start.UTC().Format(icsTime))
		w.line("DTEND", m.End().UTC().Format(icsTime))
		w.line("SEQUENCE", fmt.Sprint(m.Sequence))
		w.line("LAST-MODIFIED", m.UpdatedAt.UTC().Format(icsTime))
		w.text("SUMMARY", "Session: "+en.Title)
		switch {
		case m.Place != "":
			w.text("LOCATION", m.Place)
		case m.VideoURL != "":
			w.text("LOCATION", m.VideoURL)
		}
		page := base + en.Path
		w.line("URL", page)
		var desc []string
		if m.Agenda != "" {
			desc = append(desc, "Agenda:\n"+m.Agenda)
		}
		if m.VideoURL != "" {
			desc = append(desc, "Video: "+m.VideoURL)
		}
		desc = append(desc, "Session page: "+page)
		w.text("DESCRIPTION", strings.Join(desc, "\n\n"))
		if m.Status == tandem.MeetingCancelled {
			w.line("STATUS", "CANCELLED")
		} else {
			w.line("STATUS", "CONFIRMED")
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.b.Bytes()
}

func writeICS(w http.ResponseWriter, filename string, body []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}

// handleCalendarFeed serves a person's secret calendar feed. Nobody signs
// in: calendar programs cannot, so the secret in the path is the
// credential, and a replaced one is not found.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	entries, err := s.app.CalendarFeed(r.Context(), secret)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeICS(w, "tandem.ics", writeCalendar("Tandem sessions", s.baseURL(r), s.app.DB.Now(), entries))
}

// handleMeetingICS downloads one session as an .ics file, as the signed-in
// person may see it.
func (s *Server) handleMeetingICS(w http.ResponseWriter, r *http.Request, meetingID int64) {
	en, err := s.app.MeetingCalendar(r.Context(), engagementID(r), meetingID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeICS(w, fmt.Sprintf("session-%d.ics", meetingID),
		writeCalendar(en.Title, s.baseURL(r), s.app.DB.Now(), []app.CalendarEntry{*en}))
}

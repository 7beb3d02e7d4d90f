package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/ics"
)

// The iCalendar writer is package ics, shared with the session emails,
// whose invitations carry the same UIDs.

// writeCalendar writes a VCALENDAR with one VEVENT per entry. base is the
// site's URL, for links back to each session. An event carries what the
// calendar page promises, the time, place or video link and the
// engagement's name: never the agenda, which the partners were told only
// the two of them see, since people paste the feed into shared calendars.
func writeCalendar(name, base string, now time.Time, entries []app.CalendarEntry) []byte {
	var w ics.Writer
	w.Line("BEGIN", "VCALENDAR")
	w.Line("VERSION", "2.0")
	w.Line("PRODID", "-//Tandem//Tandem sessions//EN")
	w.Line("CALSCALE", "GREGORIAN")
	w.Line("METHOD", "PUBLISH")
	w.Text("X-WR-CALNAME", name)
	for _, en := range entries {
		m := en.Meeting
		w.Line("BEGIN", "VEVENT")
		// The UID stays the same across reschedules, so a calendar moves
		// the event instead of adding another; SEQUENCE orders versions.
		w.Line("UID", ics.SessionUID(m.OrgID, m.ID))
		w.Line("DTSTAMP", now.UTC().Format(ics.TimeFormat))
		w.Line("DTSTART", m.Start.UTC().Format(ics.TimeFormat))
		w.Line("DTEND", m.End().UTC().Format(ics.TimeFormat))
		w.Line("SEQUENCE", fmt.Sprint(m.Sequence))
		w.Line("LAST-MODIFIED", m.UpdatedAt.UTC().Format(ics.TimeFormat))
		w.Text("SUMMARY", "Session: "+en.Title)
		switch {
		case m.Place != "":
			w.Text("LOCATION", m.Place)
		case m.VideoURL != "":
			w.Text("LOCATION", m.VideoURL)
		}
		page := base + en.Path
		w.Line("URL", page)
		var desc []string
		if m.VideoURL != "" {
			desc = append(desc, "Video: "+m.VideoURL)
		}
		desc = append(desc, "Session page: "+page)
		w.Text("DESCRIPTION", strings.Join(desc, "\n\n"))
		if m.Status == tandem.MeetingCancelled {
			w.Line("STATUS", "CANCELLED")
		} else {
			w.Line("STATUS", "CONFIRMED")
		}
		w.Line("END", "VEVENT")
	}
	w.Line("END", "VCALENDAR")
	return w.Bytes()
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

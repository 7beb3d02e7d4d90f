package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// markdown renders notes. goldmark's default renderer leaves raw HTML out
// and drops dangerous link targets such as javascript:, so a note cannot
// run script in its reader's browser; do not turn on html.WithUnsafe.
var markdown = goldmark.New()

// renderMarkdown renders a note's Markdown as safe HTML.
func renderMarkdown(src string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String())
}

// zoned formats times in one person's time zone and names the zone, so
// two partners in different places each read their own clock.
type zoned struct{ Location *time.Location }

// When writes a session's time span, as "Tue 10 Mar 2026, 10:00–11:00".
func (z zoned) When(m tandem.Meeting) string {
	start, end := m.Start.In(z.loc()), m.End().In(z.loc())
	return start.Format("Mon 2 Jan 2006, 15:04") + "–" + end.Format("15:04")
}

// At writes an instant as "10 Mar 2026 10:00".
func (z zoned) At(t time.Time) string { return t.In(z.loc()).Format("2 Jan 2006 15:04") }

// Zone names the time zone the times are shown in.
func (z zoned) Zone() string { return z.loc().String() }

// Input writes a time for a datetime-local input.
func (z zoned) Input(t time.Time) string { return t.In(z.loc()).Format("2006-01-02T15:04") }

func (z zoned) loc() *time.Location {
	if z.Location == nil {
		return time.UTC
	}
	return z.Location
}

// sessionsSection is the sessions part of the engagement page.
type sessionsSection struct {
	*app.MeetingsView
	zoned
}

// meetingPage is the page of one session.
type meetingPage struct {
	Page
	*app.MeetingView
	zoned
	Form    Form
	FormFor string
	Me      int64
	Today   tandem.Date
}

// Span writes the session's time span in the viewer's zone.
func (p *meetingPage) Span() string { return p.When(*p.Meeting) }

// Markdown renders a note.
func (p *meetingPage) Markdown(s string) template.HTML { return renderMarkdown(s) }

// meetingID reads the {session} of a session route.
func meetingID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("session"), 10, 64)
	return id
}

func (s *Server) showMeeting(w http.ResponseWriter, r *http.Request, status int, form Form, formFor string) {
	v, err := s.app.Meeting(r.Context(), engagementID(r), meetingID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "meeting", &meetingPage{Page: Page{Title: "Session · " + v.Engagement.Title(), Nav: "engagements"},
		MeetingView: v, zoned: zoned{v.Location}, Form: form, FormFor: formFor,
		Me: tandem.ActorFrom(r.Context()).Person.ID, Today: s.app.Today(r.Context())})
}

// handleMeeting shows a session's page, or with .ics downloads it: one
// route, because a path wildcard is a whole segment.
func (s *Server) handleMeeting(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("session")
	if id, ok := strings.CutSuffix(seg, ".ics"); ok {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			s.handleNotFound(w, r)
			return
		}
		s.handleMeetingICS(w, r, n)
		return
	}
	s.showMeeting(w, r, http.StatusOK, Form{}, "")
}

// meetingFromForm reads a session's fields; the start is a local time in
// the person's zone, as a datetime-local input sends it.
func meetingFromForm(v url.Values, loc *time.Location) (tandem.MeetingInput, tandem.FieldErrors) {
	in := tandem.MeetingInput{Place: v.Get("place"), VideoURL: v.Get("video_url"), Agenda: v.Get("agenda")}
	var fe tandem.FieldErrors
	if raw := strings.TrimSpace(v.Get("start")); raw != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", raw, loc)
		if err != nil {
			fe.Add("start", "Enter a date and time, such as 2026-03-10T14:30.")
		}
		in.Start = t
	}
	if raw := strings.TrimSpace(v.Get("minutes")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			fe.Add("minutes", "Enter the duration in minutes.")
		}
		in.Minutes = n
	}
	return in, fe
}

func (s *Server) handleScheduleMeeting(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := engagementID(r)
	in, fe := meetingFromForm(r.PostForm, s.app.Location(r.Context()))
	var m *tandem.Meeting
	err := fe.Err()
	if err == nil {
		m, err = s.app.ScheduleMeeting(r.Context(), id, in)
	}
	switch {
	case err == nil:
		s.redirect(w, r, fmt.Sprintf("/engagements/%d/sessions/%d", id, m.ID), "Session scheduled.")
	case isInput(err):
		s.showEngagement(w, r, s.status(r, err), formFrom(r, err), "sessions")
	default:
		s.serverError(w, r, err)
	}
}

// meetingAction runs one change from a form on the session page and
// shows the page again, with the form's errors or after a redirect.
func (s *Server) meetingAction(formName, done string, fn func(r *http.Request, id, meetingID int64) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.serverError(w, r, err)
			return
		}
		id, mid := engagementID(r), meetingID(r)
		err := fn(r, id, mid)
		switch {
		case err == nil:
			to := fmt.Sprintf("/engagements/%d/sessions/%d", id, mid)
			if back := r.PostForm.Get("back"); back != "" {
				to = safeNext(back)
			}
			s.redirect(w, r, to, done)
		case isInput(err):
			s.showMeeting(w, r, s.status(r, err), formFrom(r, err), formName)
		default:
			s.serverError(w, r, err)
		}
	}
}

func (s *Server) handleRescheduleMeeting() http.HandlerFunc {
	return s.meetingAction("reschedule", "Session changed.", func(r *http.Request, id, mid int64) error {
		in, fe := meetingFromForm(r.PostForm, s.app.Location(r.Context()))
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := s.app.RescheduleMeeting(r.Context(), id, mid, in)
		return err
	})
}

func (s *Server) handleRecordMeeting() http.HandlerFunc {
	return s.meetingAction("outcome", "Recorded.", func(r *http.Request, id, mid int64) error {
		_, err := s.app.RecordMeeting(r.Context(), id, mid, tandem.MeetingStatus(r.PostForm.Get("status")))
		return err
	})
}

func (s *Server) handleAddNote() http.HandlerFunc {
	return s.meetingAction("notes", "Note saved.", func(r *http.Request, id, mid int64) error {
		_, err := s.app.AddNote(r.Context(), id, mid, r.PostForm.Get("shared") == "1", r.PostForm.Get("body"))
		return err
	})
}

func (s *Server) handleAddActionItem() http.HandlerFunc {
	return s.meetingAction("actions", "Action item added.", func(r *http.Request, id, mid int64) error {
		owner, _ := strconv.ParseInt(r.PostForm.Get("owner"), 10, 64)
		var due tandem.Date
		if raw := strings.TrimSpace(r.PostForm.Get("due")); raw != "" {
			d, ok := tandem.ParseDate(raw)
			if !ok {
				return &tandem.Error{Code: tandem.EINVALID, Message: "Enter a date as YYYY-MM-DD.", Fields: map[string]string{"due": "Enter a date as YYYY-MM-DD."}}
			}
			due = d
		}
		_, err := s.app.AddActionItem(r.Context(), id, mid, owner, r.PostForm.Get("body"), due)
		return err
	})
}

func (s *Server) handleActionItemDone() http.HandlerFunc {
	return s.meetingAction("actions", "Done.", func(r *http.Request, id, mid int64) error {
		item, _ := strconv.ParseInt(r.PathValue("item"), 10, 64)
		return s.app.CompleteActionItem(r.Context(), id, mid, item)
	})
}

func (s *Server) handleRateMeeting() http.HandlerFunc {
	return s.meetingAction("feedback", "Thank you for the feedback.", func(r *http.Request, id, mid int64) error {
		score, err := strconv.Atoi(r.PostForm.Get("score"))
		if err != nil {
			return &tandem.Error{Code: tandem.EINVALID, Message: "Rate the session from 1 to 5.", Fields: map[string]string{"score": "Rate the session from 1 to 5."}}
		}
		_, err = s.app.RateMeeting(r.Context(), id, mid, tandem.Rating{Score: score, Comment: r.PostForm.Get("comment"),
			NotAGoodFit: r.PostForm.Get("not_a_good_fit") == "1"})
		return err
	})
}

// actionsPage is "My action items": open items across engagements.
type actionsPage struct {
	Page
	Items []tandem.ActionItem
	Today tandem.Date
}

func (s *Server) handleMyActionItems(w http.ResponseWriter, r *http.Request) {
	items, err := s.app.MyActionItems(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "actions", &actionsPage{Page: Page{Title: "My action items", Nav: "engagements"}, Items: items,
		Today: s.app.Today(r.Context())})
}

// calendarPage offers the secret calendar feed: the URL is shown once,
// when made, because only its hash is kept.
type calendarPage struct {
	Page
	FeedURL string
}

func (s *Server) handleCalendarPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "calendar", &calendarPage{Page: Page{Title: "Calendar feed", Nav: "engagements"}})
}

func (s *Server) handleNewCalendarLink(w http.ResponseWriter, r *http.Request) {
	secret, err := s.app.NewCalendarSecret(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusCreated, "calendar", &calendarPage{Page: Page{Title: "Calendar feed", Nav: "engagements"},
		FeedURL: s.baseURL(r) + "/calendar/" + secret + ".ics"})
}

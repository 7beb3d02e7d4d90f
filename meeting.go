package tandem

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Meeting is one session of an engagement: when and where the partners
// meet, what they mean to talk about, and whether it was held. The type is
// called Meeting because Session is the browser sign-in session; people
// and the API say "session".
type Meeting struct {
	ID           int64
	OrgID        int64
	EngagementID int64
	Start        time.Time // UTC
	Minutes      int
	Place        string // a room or address; empty for video only
	VideoURL     string
	// Agenda is what the partners mean to talk about: part of their
	// conversation, so only the partners see it.
	Agenda    string
	Status    MeetingStatus
	Sequence  int // bumped by every reschedule or cancellation, for calendars
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// End returns when the meeting ends.
func (m *Meeting) End() time.Time { return m.Start.Add(time.Duration(m.Minutes) * time.Minute) }

// sessionDetailLayout is how a session's time is written into the detail
// of its timeline events: in UTC, since the event is stored once for
// every reader.
const sessionDetailLayout = "2 Jan 2006 15:04 UTC"

// SessionDetail is the detail of a session's timeline event, as
// "2 Mar 2026 09:00 UTC, 60 min".
func SessionDetail(start time.Time, minutes int) string {
	return fmt.Sprintf("%s, %d min", start.UTC().Format(sessionDetailLayout), minutes)
}

// LocalSessionDetail rewrites a detail written by SessionDetail in a
// reader's time zone, as "2 Mar 2026 10:00 CET, 60 min", so a page shows
// one zone throughout. Any other detail comes back unchanged.
func LocalSessionDetail(detail string, loc *time.Location) string {
	when, rest, ok := strings.Cut(detail, ", ")
	if !ok || loc == nil {
		return detail
	}
	t, err := time.Parse(sessionDetailLayout, when)
	if err != nil {
		return detail
	}
	return t.In(loc).Format("2 Jan 2006 15:04 MST") + ", " + rest
}

// MeetingStatus is what became of a meeting.
type MeetingStatus string

// The meeting statuses. A scheduled meeting is recorded as held, cancelled
// or a no-show; a recorded one is not changed again.
const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingHeld      MeetingStatus = "held"
	MeetingCancelled MeetingStatus = "cancelled"
	MeetingNoShow    MeetingStatus = "no_show"
)

// Label names the status for people.
func (s MeetingStatus) Label() string {
	if s == MeetingNoShow {
		return "no-show"
	}
	return string(s)
}

// Outcome reports whether s is an outcome a scheduled meeting may be
// recorded with.
func (s MeetingStatus) Outcome() bool {
	return s == MeetingHeld || s == MeetingCancelled || s == MeetingNoShow
}

// Event returns the timeline event of recording the outcome.
func (s MeetingStatus) Event() EventType {
	switch s {
	case MeetingHeld:
		return EventSessionHeld
	case MeetingCancelled:
		return EventSessionCancelled
	case MeetingNoShow:
		return EventSessionNoShow
	}
	return EventSessionScheduled
}

// MeetingInput is what schedules or reschedules a meeting.
type MeetingInput struct {
	Start    time.Time
	Minutes  int
	Place    string
	VideoURL string
	Agenda   string
}

// Validate checks a meeting for the engagement, with field errors named as
// in forms and the API (start, minutes, place, video_url, agenda). A
// coaching session must fall inside the engagement's dates, as days in loc,
// the zone of the person scheduling it. Returns EINVALID.
func (in *MeetingInput) Validate(e *Engagement, loc *time.Location) error {
	var fe FieldErrors
	in.Place, in.VideoURL, in.Agenda = strings.TrimSpace(in.Place), strings.TrimSpace(in.VideoURL), strings.TrimSpace(in.Agenda)
	if in.Start.IsZero() {
		fe.Add("start", "Enter when the session starts.")
	}
	if in.Minutes < 5 || in.Minutes > 8*60 {
		fe.Add("minutes", "Choose a duration from 5 minutes to 8 hours.")
	}
	if in.Place == "" && in.VideoURL == "" {
		fe.Add("place", "Say where you meet, or give a video link.")
	}
	if utf8.RuneCountInString(in.Place) > 200 {
		fe.Add("place", "Use at most 200 characters.")
	}
	if in.VideoURL != "" {
		u, err := url.Parse(in.VideoURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.VideoURL) > 500 {
			fe.Add("video_url", "Give a web address starting with https://.")
		}
	}
	if utf8.RuneCountInString(in.Agenda) > maxText {
		fe.Add("agenda", fmt.Sprintf("Use at most %d characters.", maxText))
	}
	if e.Kind == Coaching && !in.Start.IsZero() && e.Start != "" && e.End != "" {
		if loc == nil {
			loc = time.UTC
		}
		first := Date(in.Start.In(loc).Format(time.DateOnly))
		last := Date(in.Start.Add(time.Duration(in.Minutes) * time.Minute).In(loc).Format(time.DateOnly))
		if first < e.Start || last > e.End {
			fe.Add("start", fmt.Sprintf("Coaching sessions fall inside the engagement's dates: %s to %s.", e.Start.Format(), e.End.Format()))
		}
	}
	in.Start = in.Start.UTC()
	return fe.Err()
}

// Note is a partner's note on a meeting, written in Markdown. A shared
// note is for both partners; a private one is for its author alone, whoever
// asks, administrators included.
type Note struct {
	ID        int64
	MeetingID int64
	Author    PersonRef
	Shared    bool
	Body      string
	CreatedAt time.Time
}

// CleanNote checks a note's body; returns EINVALID with a "body" field.
func CleanNote(body string) (string, error) {
	return cleanText(body, "body", 10000, "Write the note.")
}

// ActionItem is something a partner agreed to do after a meeting.
type ActionItem struct {
	ID           int64
	EngagementID int64
	MeetingID    int64
	Owner        PersonRef // one of the partners
	Body         string
	Due          Date // optional
	DoneAt       *time.Time
	CreatedBy    int64
	CreatedAt    time.Time
	// Title names the engagement, for lists across engagements.
	Title string
}

// Overdue reports whether an open item's due date is before today.
func (a *ActionItem) Overdue(today Date) bool { return a.DoneAt == nil && a.Due != "" && a.Due < today }

// CleanActionItem checks an action item's text; returns EINVALID with a
// "body" field.
func CleanActionItem(body string) (string, error) {
	return cleanText(body, "body", 500, "Say what is to be done.")
}

// Rating is a participant's feedback on a held meeting: a score from 1 to
// 5 and an optional comment, with the flag that the partnership is not a
// good fit. Partners read each other's; program admins and administrators
// see only the aggregate and the flags, never the comments.
type Rating struct {
	MeetingID   int64
	Person      PersonRef
	Score       int
	Comment     string
	NotAGoodFit bool
	At          time.Time
}

// Validate checks the score and comment; returns EINVALID.
func (r *Rating) Validate() error {
	var fe FieldErrors
	if r.Score < 1 || r.Score > 5 {
		fe.Add("score", "Rate the session from 1 to 5.")
	}
	r.Comment = strings.TrimSpace(r.Comment)
	if utf8.RuneCountInString(r.Comment) > maxText {
		fe.Add("comment", fmt.Sprintf("Use at most %d characters.", maxText))
	}
	return fe.Err()
}

// FeedbackSummary is what program admins and administrators see of an
// engagement's feedback: how many ratings, their average, and how many
// times a partner said it is not a good fit.
type FeedbackSummary struct {
	Ratings  int
	Average  float64
	NotAFit  int
	LastHeld *time.Time
}

// SeesRatings reports whether a viewer reads an engagement's ratings and
// comments: the partners only.
func SeesRatings(v Viewer) bool { return v == ViewerLearner || v == ViewerGuide }

// SeesFeedbackSummary reports whether a viewer sees the aggregate of the
// ratings and the "not a good fit" flag: the partners, program admins and
// administrators (the matrix's feedback row).
func SeesFeedbackSummary(v Viewer) bool {
	return SeesRatings(v) || v == ViewerProgramAdmin || v == ViewerAdmin
}

// Stalled reports whether an active engagement has gone stalledDays
// without a held session, counted from the last held session or, before
// the first, from activation.
func Stalled(e *Engagement, lastHeld *time.Time, stalledDays int, now time.Time) bool {
	if e.Status != StatusActive || stalledDays <= 0 {
		return false
	}
	since := e.ActivatedAt
	if lastHeld != nil {
		since = lastHeld
	}
	if since == nil {
		return false
	}
	return now.Sub(*since) > time.Duration(stalledDays)*24*time.Hour
}

func cleanText(s, field string, limit int, empty string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", &Error{Code: EINVALID, Message: empty, Fields: map[string]string{field: empty}}
	case utf8.RuneCountInString(s) > limit:
		msg := fmt.Sprintf("Use at most %d characters.", limit)
		return "", &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	return s, nil
}

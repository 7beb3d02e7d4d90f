package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// The sessions API. What each viewer of an engagement receives is the
// visibility matrix (visibility.go) written as JSON members; app decides,
// this file maps:
//
//	member                     learner guide manager program-admin admin successor other
//	session time, place,         yes    yes    yes        yes        yes     404      404
//	  status ("sessions")
//	"agenda"                     yes    yes    -          -          -       404      404
//	"notes": shared ones         yes    yes    -          -          -       404      404
//	"notes": private ones        the author's own only, whoever asks
//	"action_items"               yes    yes    -          -          -       404      404
//	"ratings" (with comments)    yes    yes    -          -          -       404      404
//	"feedback" (aggregate and    yes    yes    -          yes        yes     404      404
//	  the "not a good fit" count)
//
// A hidden member is left out, never sent empty.

type meetingJSON struct {
	ID           int64     `json:"id"`
	EngagementID int64     `json:"engagement_id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Minutes      int       `json:"minutes"`
	Place        string    `json:"place"`
	VideoURL     string    `json:"video_url"`
	Agenda       *string   `json:"agenda,omitempty"`
	Status       string    `json:"status"`
	Sequence     int       `json:"sequence"`
	CreatedAt    time.Time `json:"created_at"`
}

func toMeetingJSON(m *tandem.Meeting, partner bool) meetingJSON {
	out := meetingJSON{ID: m.ID, EngagementID: m.EngagementID, Start: m.Start.UTC(), End: m.End().UTC(), Minutes: m.Minutes,
		Place: m.Place, VideoURL: m.VideoURL, Status: string(m.Status), Sequence: m.Sequence, CreatedAt: m.CreatedAt}
	if partner {
		a := m.Agenda
		out.Agenda = &a
	}
	return out
}

type noteJSON struct {
	ID        int64     `json:"id"`
	Author    nameJSON  `json:"author"`
	Shared    bool      `json:"shared"`
	Body      string    `json:"body"` // Markdown; render it safely
	CreatedAt time.Time `json:"created_at"`
}

type actionItemJSON struct {
	ID           int64      `json:"id"`
	EngagementID int64      `json:"engagement_id"`
	SessionID    int64      `json:"session_id"`
	Engagement   string     `json:"engagement"`
	Owner        nameJSON   `json:"owner"`
	Body         string     `json:"body"`
	Due          string     `json:"due,omitempty"`
	DoneAt       *time.Time `json:"done_at"`
	CreatedAt    time.Time  `json:"created_at"`
}

func toActionItemJSON(it *tandem.ActionItem) actionItemJSON {
	return actionItemJSON{ID: it.ID, EngagementID: it.EngagementID, SessionID: it.MeetingID, Engagement: it.Title,
		Owner: nameJSON{it.Owner.ID, it.Owner.Name}, Body: it.Body, Due: string(it.Due), DoneAt: it.DoneAt, CreatedAt: it.CreatedAt}
}

type ratingJSON struct {
	Person      nameJSON  `json:"person"`
	Score       int       `json:"score"`
	Comment     string    `json:"comment"`
	NotAGoodFit bool      `json:"not_a_good_fit"`
	At          time.Time `json:"at"`
}

type feedbackJSON struct {
	Ratings  int        `json:"ratings"`
	Average  float64    `json:"average"`
	NotAFit  int        `json:"not_a_good_fit"`
	LastHeld *time.Time `json:"last_held"`
}

type meetingViewJSON struct {
	meetingJSON
	Viewer      string            `json:"viewer"`
	Notes       []noteJSON        `json:"notes"`
	ActionItems *[]actionItemJSON `json:"action_items,omitempty"`
	Ratings     *[]ratingJSON     `json:"ratings,omitempty"`
	Actions     struct {
		Change     bool `json:"change"`
		Reschedule bool `json:"reschedule"`
		Write      bool `json:"write"`
		Rate       bool `json:"rate"`
	} `json:"actions"`
}

func toMeetingViewJSON(v *app.MeetingView) meetingViewJSON {
	out := meetingViewJSON{meetingJSON: toMeetingJSON(v.Meeting, v.Partner), Viewer: string(v.Viewer), Notes: []noteJSON{}}
	for _, n := range v.Notes {
		out.Notes = append(out.Notes, noteJSON{ID: n.ID, Author: nameJSON{n.Author.ID, n.Author.Name}, Shared: n.Shared, Body: n.Body, CreatedAt: n.CreatedAt})
	}
	if tandem.Can(v.Engagement.Kind, v.Viewer, tandem.FacetActionItems) {
		items := []actionItemJSON{}
		for i := range v.ActionItems {
			items = append(items, toActionItemJSON(&v.ActionItems[i]))
		}
		out.ActionItems = &items
	}
	if tandem.SeesRatings(v.Viewer) {
		rs := []ratingJSON{}
		for _, r := range v.Ratings {
			rs = append(rs, ratingJSON{Person: nameJSON{r.Person.ID, r.Person.Name}, Score: r.Score, Comment: r.Comment, NotAGoodFit: r.NotAGoodFit, At: r.At})
		}
		out.Ratings = &rs
	}
	out.Actions.Change, out.Actions.Reschedule, out.Actions.Write, out.Actions.Rate = v.CanChange, v.CanReschedule, v.CanWrite, v.CanRate
	return out
}

// pathMeetingID reads the {session} path value.
func pathMeetingID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("session"), 10, 64)
	if err != nil || id <= 0 {
		return 0, tandem.Errorf(tandem.ENOTFOUND, "No such session.")
	}
	return id, nil
}

// meetingAPI is the shape of every request on one session: read both ids
// (before the body, so a malformed id is 404 whatever is sent), decode the
// body, run the use case, answer the session as the actor sees it now.
func meetingAPI[T any](s *Server, status int, do func(r *http.Request, id, mid int64, in *T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathEngagementID(r, "id")
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		mid, err := pathMeetingID(r)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		var in T
		if r.Method != http.MethodGet {
			if err := decodeJSON(r, &in); err != nil {
				s.apiError(w, r, err)
				return
			}
		}
		if err := do(r, id, mid, &in); err != nil {
			s.apiError(w, r, err)
			return
		}
		s.writeMeeting(w, r, status, id, mid)
	}
}

func (s *Server) writeMeeting(w http.ResponseWriter, r *http.Request, status int, id, mid int64) {
	v, err := s.app.Meeting(r.Context(), id, mid)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", fmt.Sprintf("/api/v1/engagements/%d/sessions/%d", id, mid))
	}
	writeJSON(w, status, toMeetingViewJSON(v))
}

func (s *Server) apiMeetings(w http.ResponseWriter, r *http.Request) {
	id, err := pathEngagementID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.app.EngagementMeetings(r.Context(), id)
	if err == nil && !v.Visible {
		err = tandem.Errorf(tandem.ENOTFOUND, "No such session.")
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	partner := tandem.SeesRatings(v.Viewer)
	out := struct {
		Sessions    []meetingJSON `json:"sessions"`
		Stalled     bool          `json:"stalled"`
		StalledDays int           `json:"stalled_days"`
		Feedback    *feedbackJSON `json:"feedback,omitempty"`
		Schedule    bool          `json:"can_schedule"`
	}{Sessions: []meetingJSON{}, Stalled: v.Stalled, StalledDays: v.StalledDays, Schedule: v.CanSchedule}
	for i := range v.Meetings {
		out.Sessions = append(out.Sessions, toMeetingJSON(&v.Meetings[i], partner))
	}
	if sm := v.Summary; sm != nil {
		out.Feedback = &feedbackJSON{Ratings: sm.Ratings, Average: sm.Average, NotAFit: sm.NotAFit, LastHeld: sm.LastHeld}
	}
	writeJSON(w, http.StatusOK, out)
}

type meetingInput struct {
	Start    string `json:"start"` // RFC 3339, with an offset or Z
	Minutes  int    `json:"minutes"`
	Place    string `json:"place"`
	VideoURL string `json:"video_url"`
	Agenda   string `json:"agenda"`
}

func (in *meetingInput) meeting() (tandem.MeetingInput, error) {
	m := tandem.MeetingInput{Minutes: in.Minutes, Place: in.Place, VideoURL: in.VideoURL, Agenda: in.Agenda}
	if s := strings.TrimSpace(in.Start); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return m, missingField("start", "Give the start as RFC 3339, such as 2026-03-10T14:30:00Z.")
		}
		m.Start = t
	}
	return m, nil
}

func (s *Server) apiScheduleMeeting(w http.ResponseWriter, r *http.Request) {
	id, err := pathEngagementID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in meetingInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	mi, err := in.meeting()
	var m *tandem.Meeting
	if err == nil {
		m, err = s.app.ScheduleMeeting(r.Context(), id, mi)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeMeeting(w, r, http.StatusCreated, id, m.ID)
}

func (s *Server) apiMeeting(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusOK, func(r *http.Request, id, mid int64, _ *struct{}) error { return nil })(w, r)
}

func (s *Server) apiRescheduleMeeting(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusOK, func(r *http.Request, id, mid int64, in *meetingInput) error {
		mi, err := in.meeting()
		if err != nil {
			return err
		}
		_, err = s.app.RescheduleMeeting(r.Context(), id, mid, mi)
		return err
	})(w, r)
}

type outcomeInput struct {
	Status string `json:"status"`
}

func (s *Server) apiRecordMeeting(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusOK, func(r *http.Request, id, mid int64, in *outcomeInput) error {
		_, err := s.app.RecordMeeting(r.Context(), id, mid, tandem.MeetingStatus(in.Status))
		return err
	})(w, r)
}

type meetingNoteInput struct {
	Body   string `json:"body"`
	Shared *bool  `json:"shared"`
}

func (s *Server) apiAddNote(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusCreated, func(r *http.Request, id, mid int64, in *meetingNoteInput) error {
		if in.Shared == nil {
			return missingField("shared", "Say whether the note is shared with your partner (true) or private (false).")
		}
		_, err := s.app.AddNote(r.Context(), id, mid, *in.Shared, in.Body)
		return err
	})(w, r)
}

type actionItemInput struct {
	OwnerID int64  `json:"owner_id"`
	Body    string `json:"body"`
	Due     string `json:"due"`
}

func (s *Server) apiAddActionItem(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusCreated, func(r *http.Request, id, mid int64, in *actionItemInput) error {
		var due tandem.Date
		if strings.TrimSpace(in.Due) != "" {
			d, ok := tandem.ParseDate(in.Due)
			if !ok {
				return missingField("due", "Give the due date as YYYY-MM-DD.")
			}
			due = d
		}
		_, err := s.app.AddActionItem(r.Context(), id, mid, in.OwnerID, in.Body, due)
		return err
	})(w, r)
}

func (s *Server) apiCompleteActionItem(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusOK, func(r *http.Request, id, mid int64, _ *struct{}) error {
		item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
		if err != nil {
			return tandem.Errorf(tandem.ENOTFOUND, "No such open action item.")
		}
		return s.app.CompleteActionItem(r.Context(), id, mid, item)
	})(w, r)
}

type ratingInput struct {
	Score       int    `json:"score"`
	Comment     string `json:"comment"`
	NotAGoodFit bool   `json:"not_a_good_fit"`
}

func (s *Server) apiRateMeeting(w http.ResponseWriter, r *http.Request) {
	meetingAPI(s, http.StatusOK, func(r *http.Request, id, mid int64, in *ratingInput) error {
		_, err := s.app.RateMeeting(r.Context(), id, mid, tandem.Rating{Score: in.Score, Comment: in.Comment, NotAGoodFit: in.NotAGoodFit})
		return err
	})(w, r)
}

func (s *Server) apiMyActionItems(w http.ResponseWriter, r *http.Request) {
	items, err := s.app.MyActionItems(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []actionItemJSON{}
	for i := range items {
		out = append(out, toActionItemJSON(&items[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"action_items": out})
}

// apiNewCalendar makes a new secret calendar feed URL for the caller; the
// old one stops working. The URL is in this answer only.
func (s *Server) apiNewCalendar(w http.ResponseWriter, r *http.Request) {
	secret, err := s.app.NewCalendarSecret(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"url": s.baseURL(r) + "/calendar/" + secret + ".ics"})
}

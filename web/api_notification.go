package web

import (
	"net/http"
	"time"

	"github.com/tandemhq/tandem"
)

type notificationJSON struct {
	ID           int64      `json:"id"`
	Category     string     `json:"category"`
	Event        string     `json:"event"`
	Headline     string     `json:"headline"`
	Title        string     `json:"title"`
	Detail       string     `json:"detail"`
	EngagementID int64      `json:"engagement_id,omitempty"`
	SessionID    int64      `json:"session_id,omitempty"`
	ProgramID    int64      `json:"program_id,omitempty"`
	Actor        *actorJSON `json:"actor,omitempty"`
	URL          string     `json:"url"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at"`
}

type actorJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) {
	list, unread, err := s.app.Notifications(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []notificationJSON{}
	base := s.baseURL(r)
	for i := range list {
		n := &list[i]
		j := notificationJSON{ID: n.ID, Category: string(n.Category), Event: string(n.Event), Headline: n.Headline(), Title: n.Title,
			Detail: n.Detail, EngagementID: n.EngagementID, ProgramID: n.ProgramID, URL: base + n.Path(), CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
		if n.Category == tandem.CategorySessions {
			j.SessionID = n.ObjectID
		}
		if n.Actor.ID != 0 {
			j.Actor = &actorJSON{ID: n.Actor.ID, Name: n.Actor.Name}
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": out, "unread": unread})
}

// apiMarkRead marks the listed notifications read, or all with "all".
func (s *Server) apiMarkRead(w http.ResponseWriter, r *http.Request) {
	var in struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if len(in.IDs) == 0 && !in.All {
		s.apiError(w, r, &tandem.Error{Code: tandem.EINVALID, Message: "Give the ids to mark read, or \"all\": true.",
			Fields: map[string]string{"ids": "Give at least one id, or set all."}})
		return
	}
	if in.All {
		in.IDs = nil
	}
	n, err := s.app.MarkNotificationsRead(r.Context(), in.IDs)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	unread := s.app.UnreadCount(r.Context())
	writeJSON(w, http.StatusOK, map[string]int{"marked": n, "unread": unread})
}

func (s *Server) apiNotificationSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.app.NotificationSettings(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// apiSetNotificationSettings changes the deliveries of the categories in
// the body, an object from category to "immediately", "daily" or "off".
func (s *Server) apiSetNotificationSettings(w http.ResponseWriter, r *http.Request) {
	var in map[string]string
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	st := tandem.NotificationSettings{}
	for c, d := range in {
		st[tandem.Category(c)] = tandem.Delivery(d)
	}
	out, err := s.app.SetNotificationSettings(r.Context(), st)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

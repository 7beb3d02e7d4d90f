package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
)

// notificationsPage is the in-app list: what concerns the signed-in person.
type notificationsPage struct {
	Page
	Items  []tandem.Notification
	Unread int
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	list, unread, err := s.app.Notifications(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", &notificationsPage{Page: Page{Title: "Notifications", Nav: "notifications"}, Items: list, Unread: unread})
}

// handleMarkRead marks one notification read (id=…) or all (no id), then
// goes to next when it is a path on this site (the notification's page),
// otherwise back to the list.
func (s *Server) handleMarkRead(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			s.serverError(w, r, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a notification.", Fields: map[string]string{"id": "Not a notification."}})
			return
		}
		ids = append(ids, id)
	}
	if _, err := s.app.MarkNotificationsRead(r.Context(), ids); err != nil {
		s.serverError(w, r, err)
		return
	}
	if next := safeNext(r.PostForm.Get("next")); next != "" && next != "/" {
		s.redirect(w, r, next, "")
		return
	}
	msg := "All marked read."
	if len(ids) > 0 {
		msg = ""
	}
	s.redirect(w, r, "/notifications", msg)
}

// notificationSettingsPage is the choice, per category, of how to be told.
type notificationSettingsPage struct {
	Page
	Form       Form
	Settings   tandem.NotificationSettings
	Categories []tandem.Category
	Deliveries []tandem.Delivery
}

func (s *Server) handleNotificationSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.app.NotificationSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notification_settings", &notificationSettingsPage{Page: Page{Title: "Notifications by email"},
		Settings: st, Categories: tandem.Categories, Deliveries: tandem.Deliveries})
}

func (s *Server) handleSetNotificationSettings(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	in := tandem.NotificationSettings{}
	for k := range r.PostForm {
		in[tandem.Category(k)] = tandem.Delivery(r.PostForm.Get(k))
	}
	_, err := s.app.SetNotificationSettings(r.Context(), in)
	switch {
	case err == nil:
		s.redirect(w, r, "/account/notifications", "Saved.")
	case isInput(err):
		st := tandem.NotificationSettings{}
		for c, d := range in {
			st[c] = d
		}
		s.render(w, r, s.status(r, err), "notification_settings", &notificationSettingsPage{Page: Page{Title: "Notifications by email"},
			Form: formFrom(r, err), Settings: st, Categories: tandem.Categories, Deliveries: tandem.Deliveries})
	default:
		s.serverError(w, r, err)
	}
}

package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/ics"
	"github.com/tandemhq/tandem/sqldb"
)

// NotificationLimit is how many notifications the list shows.
const NotificationLimit = 100

// Notifications returns the actor's newest notifications and how many of
// theirs are unread. Each was written for its person with only what they
// may see (sqldb.Recipients applies the visibility matrix), so the list
// needs no further filtering.
func (a *App) Notifications(ctx context.Context) ([]tandem.Notification, int, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	return a.DB.Notifications(ctx, act.Org.ID, act.Person.ID, NotificationLimit)
}

// UnreadCount returns how many of the actor's notifications are unread,
// 0 for no one signed in.
func (a *App) UnreadCount(ctx context.Context) int {
	act, err := actor(ctx)
	if err != nil {
		return 0
	}
	n, err := a.DB.UnreadCount(ctx, act.Org.ID, act.Person.ID)
	if err != nil {
		a.Log.ErrorContext(ctx, "unread notifications", "err", err)
	}
	return n
}

// MarkNotificationsRead marks the actor's notifications read: those with
// the given ids, or all when ids is empty. Another person's ids change
// nothing. It returns how many changed.
func (a *App) MarkNotificationsRead(ctx context.Context, ids []int64) (int, error) {
	act, err := actor(ctx)
	if err != nil {
		return 0, err
	}
	if len(ids) > NotificationLimit {
		return 0, &tandem.Error{Code: tandem.EINVALID, Message: fmt.Sprintf("Mark at most %d at once, or all.", NotificationLimit),
			Fields: map[string]string{"ids": fmt.Sprintf("Give at most %d ids.", NotificationLimit)}}
	}
	return a.DB.MarkRead(ctx, act.Org.ID, act.Person.ID, ids)
}

// NotificationSettings returns the actor's delivery for every category.
func (a *App) NotificationSettings(ctx context.Context) (tandem.NotificationSettings, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	s, err := a.DB.NotificationSettings(ctx, act.Person.ID)
	if err != nil {
		return nil, err
	}
	out := tandem.NotificationSettings{}
	for _, c := range tandem.Categories {
		out[c] = s.Of(c)
	}
	return out, nil
}

// SetNotificationSettings changes the actor's delivery for the categories
// given; the others stay as they were. An unknown category or delivery is
// EINVALID naming it, and nothing is stored.
func (a *App) SetNotificationSettings(ctx context.Context, s tandem.NotificationSettings) (tandem.NotificationSettings, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var fe tandem.FieldErrors
	for c, d := range s {
		switch {
		case !tandem.ValidCategory(c):
			fe.Add(string(c), "No such category: choose from agreements, engagements, sessions, mentoring, reminders and programs.")
		case !tandem.ValidDelivery(d):
			fe.Add(string(c), "Choose immediately, daily or off.")
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if err := a.DB.SetNotificationSettings(ctx, act.Person.ID, s); err != nil {
		return nil, err
	}
	return a.NotificationSettings(ctx)
}

// notificationMail is what the notification templates show.
type notificationMail struct {
	Name     string
	OrgName  string
	Headline string
	Title    string
	When     string // a session's time in the recipient's time zone
	Place    string
	Link     string
	Settings string
	Items    []notificationLine // the daily summary
	Next     string             // a program event: what the recipient may do now
}

type notificationLine struct {
	Headline, Title, When, Link string
}

// zone loads an IANA time zone, UTC when empty or unknown.
func zone(name string) *time.Location {
	if name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// localTime writes an instant in a time zone, as "Mon 2 Mar 2026 10:00 CET".
func localTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
}

// EmailNotification emails one notification to its person, once: a
// notification already emailed, or gone with its engagement, sends
// nothing. The email job calls it; a failure to send is returned so the
// job is retried.
func (a *App) EmailNotification(ctx context.Context, id int64) error {
	n, to, err := a.DB.NotificationToEmail(ctx, id)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if n.EmailedAt != nil || to.Email == "" {
		return nil
	}
	loc := zone(to.TimeZone)
	base := a.linkBase(ctx, n.OrgID)
	data := notificationMail{Name: to.Name, OrgName: to.OrgName, Headline: n.Headline(), Title: n.Title,
		Link: base + n.Path(), Settings: base + "/account/notifications"}
	msg := tandem.Message{To: to.Email, OrgID: n.OrgID}
	if n.Category == tandem.CategorySessions && n.ObjectID != 0 {
		m, err := a.DB.MeetingByID(ctx, n.OrgID, n.EngagementID, n.ObjectID)
		if err != nil && tandem.ErrorCode(err) != tandem.ENOTFOUND {
			return err
		}
		if m != nil {
			data.When, data.Place = localTime(m.Start, loc), m.Place
			if n.Event != tandem.ReminderSessionSoon {
				at, err := a.sessionInvite(ctx, m, n, base)
				if err != nil {
					return err
				}
				msg.Attachments = append(msg.Attachments, at)
			}
		}
	}
	template := "notification"
	if n.Category == tandem.CategoryPrograms {
		template, data.Next = "program_notification", programNext(n)
	}
	if err := a.send(ctx, msg, template, data); err != nil {
		return err
	}
	_, err = a.DB.MarkEmailed(ctx, id)
	return err
}

// programNext says what the recipient of a program event may do now.
func programNext(n *tandem.Notification) string {
	switch n.Event {
	case tandem.ProgramApplied:
		return "Read the application and approve or decline it."
	case tandem.ProgramWithdrawn:
		return "The application no longer counts for the matching."
	case tandem.ProgramApproved:
		return "You are in the cohort: you will hear from Tandem when you are matched."
	case tandem.ProgramDeclined:
		return "Your application stays on the program's page; the program's admins can tell you more."
	case tandem.ProgramRequested:
		return "Accept or decline the request on the program's page."
	case tandem.ProgramRequestAccepted:
		return "Read the proposed outcome agreement and agree to it to start."
	case tandem.ProgramRequestDeclined, tandem.ProgramRequestCancelled:
		return "See the program's page for what you can do next."
	case tandem.ProgramOpened:
		if n.Detail != "" {
			return "Apply as a mentor or a mentee until " + n.Detail + "."
		}
		return "Apply as a mentor or a mentee on the program's page."
	case tandem.ProgramInvited:
		if n.Detail != "" {
			return "Apply as a mentor or a mentee until " + n.Detail + ", or tell the program's admins it is not for you, on the program's page."
		}
		return "Apply as a mentor or a mentee, or tell the program's admins it is not for you, on the program's page."
	}
	return ""
}

// ErrProgramOpenedPaused is what NotifyProgramOpened returns when it
// stopped between two transactions because its time is nearly up: the job
// is snoozed and the next run tells the rest.
var ErrProgramOpenedPaused = errors.New("program opened: time is up, the rest follows")

// NotifyProgramOpened tells everyone who may enroll in a program that it
// opened, in transactions of sqldb.ProgramOpenedBatch people, and returns
// how many it told. The program_opened job calls it; a retry tells no one
// twice (each notification is stored once per person and program).
func (a *App) NotifyProgramOpened(ctx context.Context, args sqldb.ProgramOpenedArgs) (int, error) {
	ctx = tandem.WithBaseURL(ctx, args.BaseURL)
	return fanOut(ctx, func(after int64) (int64, int, bool, error) {
		return a.DB.NotifyProgramOpened(ctx, args, after)
	})
}

// sessionInvite is the .ics attached to an email about a session: METHOD
// REQUEST for a scheduled or moved one, CANCEL for a cancelled one, with
// the UID of the calendar feed (ics.SessionUID) and its SEQUENCE, so the
// recipient's calendar updates the one event. The guide organizes, the
// learner attends. The agenda, the partners' conversation, is not in it.
func (a *App) sessionInvite(ctx context.Context, m *tandem.Meeting, n *tandem.Notification, base string) (tandem.Attachment, error) {
	e, err := a.DB.EngagementByID(ctx, n.OrgID, n.EngagementID)
	if err != nil {
		return tandem.Attachment{}, err
	}
	method, status := "REQUEST", "CONFIRMED"
	if m.Status == tandem.MeetingCancelled {
		method, status = "CANCEL", "CANCELLED"
	}
	var w ics.Writer
	w.Line("BEGIN", "VCALENDAR")
	w.Line("VERSION", "2.0")
	w.Line("PRODID", "-//Tandem//Tandem sessions//EN")
	w.Line("CALSCALE", "GREGORIAN")
	w.Line("METHOD", method)
	w.Line("BEGIN", "VEVENT")
	w.Line("UID", ics.SessionUID(m.OrgID, m.ID))
	w.Line("DTSTAMP", a.DB.Now().UTC().Format(ics.TimeFormat))
	w.Line("DTSTART", m.Start.UTC().Format(ics.TimeFormat))
	w.Line("DTEND", m.End().UTC().Format(ics.TimeFormat))
	w.Line("SEQUENCE", fmt.Sprint(m.Sequence))
	w.Line("LAST-MODIFIED", m.UpdatedAt.UTC().Format(ics.TimeFormat))
	w.Line("ORGANIZER;CN="+ics.Param(e.Guide.Name), "mailto:"+e.Guide.Email)
	for _, p := range []tandem.PersonRef{e.Learner, e.Guide} {
		w.Line("ATTENDEE;CN="+ics.Param(p.Name)+";ROLE=REQ-PARTICIPANT", "mailto:"+p.Email)
	}
	w.Text("SUMMARY", "Session: "+e.Title())
	switch {
	case m.Place != "":
		w.Text("LOCATION", m.Place)
	case m.VideoURL != "":
		w.Text("LOCATION", m.VideoURL)
	}
	page := base + n.Path()
	w.Line("URL", page)
	w.Text("DESCRIPTION", "Session page: "+page)
	w.Line("STATUS", status)
	w.Line("END", "VEVENT")
	w.Line("END", "VCALENDAR")
	return tandem.Attachment{Filename: "session.ics", ContentType: "text/calendar; charset=utf-8; method=" + method, Data: w.Bytes()}, nil
}

// SendReminders stores the reminders due now (a session in 24 hours,
// action items due, review points due, coaching ending in 7 days, an
// agreement waiting 3 days on someone, a stalled engagement), each once,
// with the email jobs of those who want them at once. The periodic
// reminders job calls it.
func (a *App) SendReminders(ctx context.Context) (int, error) {
	return a.DB.SendReminders(ctx, a.DB.Now())
}

// SummaryHour is the hour, in each person's time zone, at which their
// daily summary goes out.
const SummaryHour = 8

// QueueDailySummaries queues the daily summary of everyone who has
// notifications waiting in a category they get daily, written before their
// latest summary hour. A periodic job calls it every hour; each summary is
// queued once per person and cutoff, so a run missed (or run twice) in an
// hour changes nothing, and one after a stop catches up.
func (a *App) QueueDailySummaries(ctx context.Context) (int, error) {
	due, err := a.DB.SummariesDue(ctx)
	if err != nil {
		return 0, err
	}
	now := a.DB.Now()
	n := 0
	for _, d := range due {
		cutoff := lastSummaryHour(now, zone(d.TimeZone))
		if !d.Oldest.Before(cutoff) {
			continue // all of it came after the last summary hour: tomorrow's
		}
		if err := a.DB.EnqueueSummary(ctx, d.OrgID, d.PersonID, cutoff); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// lastSummaryHour is the latest SummaryHour in loc at or before now.
func lastSummaryHour(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	at := time.Date(l.Year(), l.Month(), l.Day(), SummaryHour, 0, 0, 0, loc)
	if now.Before(at) {
		at = time.Date(l.Year(), l.Month(), l.Day()-1, SummaryHour, 0, 0, 0, loc)
	}
	return at
}

// SendDailySummary emails a person the notifications of their daily
// categories written before cutoff and not yet emailed, in one message,
// and marks them emailed. Nothing waiting, nothing sent. The daily summary
// job calls it; a failure to send is returned so the job is retried.
func (a *App) SendDailySummary(ctx context.Context, personID int64, cutoff time.Time) error {
	items, err := a.DB.SummaryItems(ctx, personID, cutoff)
	if err != nil || len(items) == 0 {
		return err
	}
	ids := make([]int64, 0, len(items))
	for _, n := range items {
		ids = append(ids, n.ID)
	}
	to, err := a.DB.RecipientByID(ctx, personID)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		// No one to send to (they left): these are never sent, so they
		// are not waiting either.
		return a.DB.MarkSummarized(ctx, ids)
	}
	if err != nil {
		return err
	}
	if to.Email == "" {
		return nil
	}
	loc := zone(to.TimeZone)
	base := a.linkBase(ctx, to.OrgID)
	data := notificationMail{Name: to.Name, OrgName: to.OrgName, Settings: base + "/account/notifications"}
	for _, n := range items {
		data.Items = append(data.Items, notificationLine{Headline: n.Headline(), Title: n.Title,
			When: localTime(n.CreatedAt, loc), Link: base + n.Path()})
	}
	if err := a.send(ctx, tandem.Message{To: to.Email, OrgID: to.OrgID}, "digest", data); err != nil {
		return err
	}
	return a.DB.MarkSummarized(ctx, ids)
}

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// notes returns the person's notifications as "event: title" lines.
func (c *cast) notes(t *testing.T, who string) ([]tandem.Notification, int) {
	t.Helper()
	list, unread, err := c.a.Notifications(c.ctx[who])
	if err != nil {
		t.Fatal(err)
	}
	return list, unread
}

func events(list []tandem.Notification) []string {
	var out []string
	for _, n := range list {
		out = append(out, string(n.Event))
	}
	return out
}

// emailJobs returns the ids of the notifications that have an email job.
func emailJobs(t *testing.T, db *sqldb.DB) map[int64]bool {
	t.Helper()
	jobs, err := db.ListJobs(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, j := range jobs {
		if j.Kind != (sqldb.NotificationEmailArgs{}).Kind() {
			continue
		}
		var a sqldb.NotificationEmailArgs
		if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		out[a.ID] = true
	}
	return out
}

func TestNotifications(t *testing.T) {
	c := newCast(t)
	mb := c.a.Mailer.(*tandemtest.Mailbox)
	db := c.a.DB
	// The boss wants agreement news only in Tandem.
	if _, err := c.a.SetNotificationSettings(c.ctx["boss"], tandem.NotificationSettings{tandem.CategoryAgreements: tandem.DeliveryOff}); err != nil {
		t.Fatal(err)
	}
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	for who, want := range map[string]string{"lee": "", "coach": "proposed", "boss": "proposed", "other": "", "admin": ""} {
		list, unread := c.notes(t, who)
		if got := strings.Join(events(list), ","); got != want || unread != len(list) {
			t.Errorf("%s after the proposal: %q (%d unread), want %q", who, got, unread, want)
		}
	}
	const secret = "BOSS PRIVATE WORDS"
	if _, err := c.a.Respond(c.ctx["boss"], e.ID, 1, false, secret); err != nil {
		t.Fatal(err)
	}
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	in := tandem.MeetingInput{Start: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), Minutes: 60, Place: "Room 1", Agenda: "AGENDA WORDS"}
	m, err := c.a.ScheduleMeeting(c.ctx["lee"], e.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	{
		list, _ := c.notes(t, "coach")
		err := c.a.EmailNotification(context.Background(), list[0].ID)
		at := mb.Messages()
		if err != nil || len(at) != 1 || len(at[0].Attachments) != 1 || !strings.Contains(string(at[0].Attachments[0].Data), "METHOD:REQUEST\r\n") {
			t.Fatalf("the scheduled session's email: %v, %d messages", err, len(at))
		}
		var sent int
		if err := db.SQL().QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM notifications WHERE id = %d AND emailed_at IS NOT NULL`, list[0].ID)).Scan(&sent); err != nil || sent != 1 {
			t.Fatalf("emailed_at not set: %d, %v", sent, err)
		}
	}
	if _, err := c.a.RecordMeeting(c.ctx["lee"], e.ID, m.ID, tandem.MeetingCancelled); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]string{
		// Whoever causes an event is not told of it.
		"lee":   "activated,changes_requested",
		"coach": "session_cancelled,session_scheduled,activated,changes_requested,proposed",
		// The manager sees sessions on the engagement page, but session
		// news is the partners'.
		// The boss's agreement completed it.
		"boss": "proposed",
	} {
		list, _ := c.notes(t, who)
		if got := strings.Join(events(list), ","); got != want {
			t.Errorf("%s: %q, want %q", who, got, want)
		}
		for _, n := range list {
			if s := n.Headline() + n.Title + n.Detail; strings.Contains(s, secret) || strings.Contains(s, "AGENDA") {
				t.Errorf("%s's notification carries the conversation: %q", who, s)
			}
		}
	}

	t.Run("EmailJobsFollowSettings", func(t *testing.T) {
		jobs := emailJobs(t, db)
		for _, who := range []string{"lee", "coach", "boss"} {
			list, _ := c.notes(t, who)
			for _, n := range list {
				want := !(who == "boss" && n.Category == tandem.CategoryAgreements)
				if jobs[n.ID] != want {
					t.Errorf("%s's %s: email job %v, want %v", who, n.Event, jobs[n.ID], want)
				}
			}
		}
	})

	t.Run("EmailWithInvitation", func(t *testing.T) {
		orgID := tandem.ActorFrom(c.ctx["coach"]).Org.ID
		if _, err := db.SQL().Exec(fmt.Sprintf(`UPDATE people SET time_zone = 'Europe/Paris' WHERE id = %d`, c.id["coach"])); err != nil {
			t.Fatal(err)
		}
		list, _ := c.notes(t, "coach")
		for _, n := range list[:1] { // cancelled (scheduled was emailed)
			before := len(mb.Messages())
			if err := c.a.EmailNotification(context.Background(), n.ID); err != nil {
				t.Fatal(err)
			}
			// A retried job sends nothing more.
			if err := c.a.EmailNotification(context.Background(), n.ID); err != nil {
				t.Fatal(err)
			}
			ms := mb.Messages()
			if len(ms) != before+1 {
				t.Fatalf("%s: %d messages, want 1", n.Event, len(ms)-before)
			}
			msg := ms[len(ms)-1]
			if msg.To != "coach@acme.test" || msg.OrgID != orgID || msg.HTML == "" {
				t.Errorf("%s: to %s org %d html %d bytes", n.Event, msg.To, msg.OrgID, len(msg.HTML))
			}
			if !strings.Contains(msg.Text, "Tue 3 Mar 2026 11:00 CET") {
				t.Errorf("%s: the time is not in the coach's zone:\n%s", n.Event, msg.Text)
			}
			link := fmt.Sprintf("http://tandem.test/engagements/%d/sessions/%d", e.ID, m.ID)
			if !strings.Contains(msg.Text, link) || !strings.Contains(msg.HTML, link) {
				t.Errorf("%s: no absolute link %s:\n%s", n.Event, link, msg.Text)
			}
			if len(msg.Attachments) != 1 {
				t.Fatalf("%s: %d attachments", n.Event, len(msg.Attachments))
			}
			ics := string(msg.Attachments[0].Data)
			// The .ics says what the session is when the email goes: a
			// late email about its scheduling must not put a cancelled
			// session back in the calendar.
			method := "CANCEL"
			for _, want := range []string{"METHOD:" + method + "\r\n", fmt.Sprintf("UID:session-%d-%d@tandem\r\n", m.OrgID, m.ID), "DTSTART:20260303T100000Z\r\n"} {
				if !strings.Contains(ics, want) {
					t.Errorf("%s: the .ics has no %q:\n%s", n.Event, want, ics)
				}
			}
			if strings.Contains(ics, "AGENDA") || strings.Contains(msg.Text, "AGENDA") {
				t.Errorf("%s: the agenda is in the email", n.Event)
			}
		}
	})

	t.Run("MarkRead", func(t *testing.T) {
		list, unread := c.notes(t, "coach")
		leeList, leeUnread := c.notes(t, "lee")
		// Another person's id changes nothing.
		if n, err := c.a.MarkNotificationsRead(c.ctx["coach"], []int64{leeList[0].ID}); err != nil || n != 0 {
			t.Errorf("marking lee's as the coach: %d, %v", n, err)
		}
		if n, err := c.a.MarkNotificationsRead(c.ctx["coach"], []int64{list[0].ID}); err != nil || n != 1 {
			t.Errorf("mark one: %d, %v", n, err)
		}
		if _, u := c.notes(t, "coach"); u != unread-1 {
			t.Errorf("unread after one: %d, want %d", u, unread-1)
		}
		if _, err := c.a.MarkNotificationsRead(c.ctx["coach"], nil); err != nil {
			t.Fatal(err)
		}
		if got := c.a.UnreadCount(c.ctx["coach"]); got != 0 {
			t.Errorf("unread after all: %d", got)
		}
		if _, u := c.notes(t, "lee"); u != leeUnread {
			t.Errorf("lee's unread changed: %d, want %d", u, leeUnread)
		}
	})

	t.Run("Settings", func(t *testing.T) {
		_, err := c.a.SetNotificationSettings(c.ctx["lee"], tandem.NotificationSettings{"sessions": "weekly", "gossip": "off"})
		if f := tandem.ErrorFields(err); f["sessions"] == "" || f["gossip"] == "" {
			t.Errorf("bad settings: %v", err)
		}
		st, err := c.a.NotificationSettings(c.ctx["boss"])
		if err != nil || st.Of(tandem.CategoryAgreements) != tandem.DeliveryOff || st.Of(tandem.CategorySessions) != tandem.DeliveryImmediately || len(st) != len(tandem.Categories) {
			t.Errorf("boss's settings: %v, %v", st, err)
		}
	})
}

// TestMentoringNotifications: the partnership's course (phases, role
// reversal) is told to the partners only; the manager never sees phase
// history.
func TestMentoringNotifications(t *testing.T) {
	c := newCast(t)
	e := c.mentoring(t, "lee", "lee", "mentor")
	c.agreeAll(t, e.ID, "lee", "mentor", "boss")
	if _, err := c.a.SetPhase(c.ctx["mentor"], e.ID, tandem.PhaseCultivation, "PHASE NOTE"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.ProposeReversal(c.ctx["lee"], e.ID, "REVERSAL NOTE"); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]string{
		"lee":    "phase,activated",
		"mentor": "reversal_proposed,activated,proposed",
		"boss":   "proposed",
	} {
		list, _ := c.notes(t, who)
		if got := strings.Join(events(list), ","); got != want {
			t.Errorf("%s: %q, want %q", who, got, want)
		}
		for _, n := range list {
			if strings.Contains(n.Headline()+n.Detail, "NOTE") {
				t.Errorf("%s: a note in %q", who, n.Headline())
			}
		}
	}
}

// TestReminders runs the reminder finder as the periodic job does, twice
// each time: every reminder is stored once.
func TestReminders(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "coach", "boss") // lee proposed: agreed
	if _, err := c.a.ScheduleMeeting(c.ctx["lee"], e.ID, tandem.MeetingInput{Start: time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC), Minutes: 60, Place: "Room 1"}); err != nil {
		t.Fatal(err)
	}
	run := func(want int) {
		t.Helper()
		for i, w := range []int{want, 0} {
			n, err := c.a.SendReminders(context.Background())
			if err != nil || n != w {
				t.Fatalf("run %d at %s: %d reminders, %v; want %d", i+1, c.clock.Now(), n, err, w)
			}
		}
	}
	has := func(who string, ev tandem.EventType) int {
		list, _ := c.notes(t, who)
		k := 0
		for _, n := range list {
			if n.Event == ev {
				k++
			}
		}
		return k
	}
	run(2) // the session tomorrow, to both partners
	if has("lee", tandem.ReminderSessionSoon) != 1 || has("coach", tandem.ReminderSessionSoon) != 1 || has("boss", tandem.ReminderSessionSoon) != 0 {
		t.Errorf("session reminders: lee %d coach %d boss %d", has("lee", tandem.ReminderSessionSoon), has("coach", tandem.ReminderSessionSoon), has("boss", tandem.ReminderSessionSoon))
	}
	// A new version waits on the coach and the boss; after 3 days they are
	// reminded, once.
	ag := agreement()
	ag.SkillID, ag.Outcomes = c.skill["Go"], []string{"Lead two incident reviews"}
	if _, err := c.a.Revise(c.ctx["lee"], e.ID, ag); err != nil {
		t.Fatal(err)
	}
	c.clock.Add(72*time.Hour + time.Minute)
	run(2) // the coach and boss have not agreed to version 2; lee wrote it, which is agreeing
	if has("boss", tandem.ReminderAgreementWaiting) != 1 || has("coach", tandem.ReminderAgreementWaiting) != 1 {
		t.Errorf("the coach or the boss was not reminded of the waiting agreement")
	}
	if has("lee", tandem.ReminderAgreementWaiting) != 0 {
		t.Errorf("the proposer was reminded of their own proposal")
	}
	// A week before the end (1 June): the three parties, and the
	// engagement has had no held session for 30 days: stalled, to all.
	c.clock.Set(time.Date(2026, 5, 25, 9, 0, 0, 0, time.UTC))
	run(6)
	for _, who := range []string{"lee", "coach", "boss"} {
		if has(who, tandem.ReminderEngagementEnding) != 1 || has(who, tandem.ReminderStalled) != 1 {
			t.Errorf("%s: ending %d, stalled %d", who, has(who, tandem.ReminderEngagementEnding), has(who, tandem.ReminderStalled))
		}
	}
	if has("other", tandem.ReminderStalled)+has("admin", tandem.ReminderStalled) != 0 {
		t.Errorf("someone outside the engagement was reminded")
	}
}

// TestDailySummary: a category chosen as a daily summary is emailed once,
// at the summary hour in the person's time zone, with everything waiting
// since the last one, and never also at once.
func TestDailySummary(t *testing.T) {
	c := newCast(t)
	mb := c.a.Mailer.(*tandemtest.Mailbox)
	if _, err := c.a.SetNotificationSettings(c.ctx["lee"], tandem.NotificationSettings{tandem.CategorySessions: tandem.DeliveryDaily}); err != nil {
		t.Fatal(err)
	}
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	for _, day := range []int{5, 6} {
		if _, err := c.a.ScheduleMeeting(c.ctx["coach"], e.ID, tandem.MeetingInput{Start: time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC), Minutes: 60, Place: "Room 1"}); err != nil {
			t.Fatal(err)
		}
	}
	drain(t, c.a)
	summaries := func() []tandem.Message {
		var out []tandem.Message
		for _, m := range mb.Messages() {
			if m.To == "lee@acme.test" && strings.HasPrefix(m.Subject, "Your Tandem summary") {
				out = append(out, m)
			}
		}
		return out
	}
	for _, m := range mb.Messages() {
		if m.To == "lee@acme.test" && strings.Contains(m.Subject, "session") {
			t.Fatalf("a daily category was emailed at once: %q", m.Subject)
		}
	}
	queue := func(want int) {
		t.Helper()
		if n, err := c.a.QueueDailySummaries(context.Background()); err != nil || n != want {
			t.Fatalf("at %s: queued %d, %v; want %d", c.clock.Now(), n, err, want)
		}
		drain(t, c.a)
	}
	// Scheduled at 09:00 UTC (Lee's zone): after today's 08:00, so not before tomorrow's.
	queue(0)
	c.clock.Set(time.Date(2026, 3, 3, 7, 59, 0, 0, time.UTC))
	queue(0)
	c.clock.Set(time.Date(2026, 3, 3, 8, 30, 0, 0, time.UTC))
	// Two runs in the hour (a second replica, a retry) queue one summary.
	if n, err := c.a.QueueDailySummaries(context.Background()); err != nil || n != 1 {
		t.Fatalf("queued %d, %v; want 1", n, err)
	}
	queue(1)
	got := summaries()
	if len(got) != 1 {
		t.Fatalf("%d summaries, want 1", len(got))
	}
	if !strings.Contains(got[0].Subject, "2 updates") || strings.Count(got[0].Text, "http://tandem.test/engagements/") != 2 || got[0].HTML == "" {
		t.Errorf("summary: %q\n%s", got[0].Subject, got[0].Text)
	}
	queue(0) // everything went out
}

// TestNotificationJobsOnQueuePage: a notification's email job and a daily
// summary job name their organization, so its administrators see them on
// the queue page and another organization's administrator neither sees
// nor retries them.
func TestNotificationJobsOnQueuePage(t *testing.T) {
	c := newCast(t)
	if _, err := c.a.SetNotificationSettings(c.ctx["lee"], tandem.NotificationSettings{tandem.CategorySessions: tandem.DeliveryDaily}); err != nil {
		t.Fatal(err)
	}
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	if _, err := c.a.ScheduleMeeting(c.ctx["coach"], e.ID, tandem.MeetingInput{Start: time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC), Minutes: 60, Place: "Room 1"}); err != nil {
		t.Fatal(err)
	}
	drain(t, c.a)
	c.clock.Set(time.Date(2026, 3, 3, 8, 30, 0, 0, time.UTC))
	if n, err := c.a.QueueDailySummaries(context.Background()); err != nil || n != 1 {
		t.Fatalf("queued %d summaries (%v), want 1", n, err)
	}
	drain(t, c.a)

	orgID := tandem.ActorFrom(c.ctx["admin"]).Org.ID
	q, err := c.a.Jobs(c.ctx["admin"], "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, j := range q.Jobs {
		kinds[j.Kind]++
		if j.OrgID != orgID {
			t.Errorf("job %d (%s) of organization %d on organization %d's page", j.ID, j.Kind, j.OrgID, orgID)
		}
	}
	if kinds[(sqldb.NotificationEmailArgs{}).Kind()] == 0 || kinds[(sqldb.DailySummaryArgs{}).Kind()] != 1 || q.Counts["completed"] < len(q.Jobs) {
		t.Errorf("the administrator's queue: %v, counts %v", kinds, q.Counts)
	}
	other := tandemtest.MustOrg(t, c.a.DB, "Globex")
	oq, err := c.a.Jobs(other, "")
	if err != nil || len(oq.Jobs) != 0 || oq.Counts["completed"] != 0 {
		t.Errorf("another organization's administrator sees %+v (%v)", oq, err)
	}
	if _, err := c.a.RetryJob(other, q.Jobs[0].ID); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("another organization's administrator retried job %d: %v", q.Jobs[0].ID, err)
	}
	if _, err := c.a.Jobs(c.ctx["lee"], ""); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("a member read the queue: %v", err)
	}
}

package app_test

import (
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

func TestMeetings(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	at := func(day string, hour int) time.Time {
		d, _ := time.Parse(time.DateOnly, day)
		return d.Add(time.Duration(hour) * time.Hour)
	}
	in := tandem.MeetingInput{Start: at("2026-03-02", 10), Minutes: 60, Place: "Room 1", Agenda: "Our agenda"}

	t.Run("Refusals", func(t *testing.T) {
		outside := in
		outside.Start = at("2026-06-02", 10)
		if _, err := c.a.ScheduleMeeting(c.ctx["lee"], e.ID, outside); tandem.ErrorFields(err)["start"] == "" {
			t.Errorf("outside the coaching dates: %v", err)
		}
		for who, want := range map[string]string{"boss": tandem.EFORBIDDEN, "prog": tandem.EFORBIDDEN, "admin": tandem.EFORBIDDEN, "other": tandem.ENOTFOUND} {
			if _, err := c.a.ScheduleMeeting(c.ctx[who], e.ID, in); code(err) != want {
				t.Errorf("%s schedules: %v, want %s", who, err, want)
			}
		}
	})
	m, err := c.a.ScheduleMeeting(c.ctx["lee"], e.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Add(3 * time.Hour)
	if _, err := c.a.RecordMeeting(c.ctx["coach"], e.ID, m.ID, "done"); tandem.ErrorFields(err)["status"] == "" {
		t.Errorf("unknown outcome: %v", err)
	}
	if _, err := c.a.RecordMeeting(c.ctx["coach"], e.ID, m.ID, tandem.MeetingHeld); err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct {
		who    string
		shared bool
	}{{"lee", true}, {"lee", false}, {"coach", false}} {
		if _, err := c.a.AddNote(c.ctx[n.who], e.ID, m.ID, n.shared, n.who+" note"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.a.RateMeeting(c.ctx["lee"], e.ID, m.ID, tandem.Rating{Score: 6}); tandem.ErrorFields(err)["score"] == "" {
		t.Errorf("a rating of 6: %v", err)
	}
	if _, err := c.a.RateMeeting(c.ctx["lee"], e.ID, m.ID, tandem.Rating{Score: 4, Comment: "Lee's words"}); err != nil {
		t.Fatal(err)
	}

	t.Run("WhoSeesWhat", func(t *testing.T) {
		for who, want := range map[string]struct {
			notes   int
			agenda  bool
			ratings int
		}{"lee": {2, true, 1}, "coach": {2, true, 1}, "boss": {0, false, 0}, "prog": {0, false, 0}, "admin": {0, false, 0}} {
			v, err := c.a.Meeting(c.ctx[who], e.ID, m.ID)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			if len(v.Notes) != want.notes || (v.Meeting.Agenda != "") != want.agenda || len(v.Ratings) != want.ratings {
				t.Errorf("%s: %d notes, agenda %q, %d ratings", who, len(v.Notes), v.Meeting.Agenda, len(v.Ratings))
			}
			for _, n := range v.Notes {
				if !n.Shared && n.Author.ID != c.id[who] {
					t.Errorf("%s reads %s's private note", who, n.Author.Name)
				}
			}
		}
		if _, err := c.a.Meeting(c.ctx["other"], e.ID, m.ID); code(err) != tandem.ENOTFOUND {
			t.Errorf("other: %v", err)
		}
		for who, summary := range map[string]bool{"lee": true, "boss": false, "prog": true, "admin": true} {
			v, err := c.a.EngagementMeetings(c.ctx[who], e.ID)
			if err != nil || !v.Visible || len(v.Meetings) != 1 || (v.Summary != nil) != summary {
				t.Errorf("%s: sessions %+v %v", who, v, err)
			}
		}
	})
}

package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// activeMentoring stores an active mentoring partnership of Lee (learner)
// and Max (guide) in a new organization where Oz is another member.
func activeMentoring(t *testing.T, db *sqldb.DB) (orgID, engID int64, ids map[string]int64) {
	t.Helper()
	ctx := tandemtest.MustOrg(t, db, "Acme")
	orgID = tandem.ActorFrom(ctx).Org.ID
	ids = mustPeople(t, db, orgID, [][2]string{{"Lee", ""}, {"Max", ""}, {"Oz", ""}})
	e := &tandem.Engagement{OrgID: orgID, Kind: tandem.Mentoring, Learner: tandem.PersonRef{ID: ids["Lee"]}, Guide: tandem.PersonRef{ID: ids["Max"]},
		CreatedBy: ids["Lee"], Areas: tandem.Areas, ReviewMonths: 3}
	ag := &tandem.Agreement{Outcomes: []string{"Grow"}, Cadence: "Monthly", Confidentiality: "Between us", ExitTerms: "Either", CreatedBy: ids["Lee"]}
	if err := db.CreateEngagement(ctx, e, ag); err != nil {
		t.Fatal(err)
	}
	// Lee agreed by proposing; Max's agreement makes it active. (Lee
	// answering again after Max, in a map's random order, was refused as
	// in effect already, so the test failed one run in two.)
	if _, err := db.Respond(ctx, orgID, e.ID, sqldb.RespondInput{PersonID: ids["Max"], Party: tandem.PartyGuide, Version: 1, Agreed: true}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.EngagementByID(ctx, orgID, e.ID); err != nil || got.Status != tandem.StatusActive {
		t.Fatalf("the partnership after both agreed: %+v %v", got, err)
	}
	return orgID, e.ID, ids
}

func noCheck(*tandem.Engagement) error { return nil }

func TestMeetingStore(t *testing.T) {
	db, clock := tandemtest.MustOpenDB(t)
	ctx := context.Background()
	org, eng, ids := activeMentoring(t, db)
	start := clock.Now().Add(time.Hour)
	m, err := db.ScheduleMeeting(ctx, org, eng, ids["Lee"], tandem.MeetingInput{Start: start, Minutes: 45, Place: "Café"}, noCheck)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Start.Equal(start) || m.Status != tandem.MeetingScheduled || !m.End().Equal(start.Add(45*time.Minute)) {
		t.Fatalf("scheduled %+v", m)
	}
	t.Run("HeldOnlyAfterStart", func(t *testing.T) {
		if _, err := db.RecordMeeting(ctx, org, eng, m.ID, ids["Max"], tandem.MeetingHeld); tandem.ErrorCode(err) != tandem.EINVALID {
			t.Fatalf("held before the start: %v", err)
		}
		clock.Add(2 * time.Hour)
		if m, err := db.RecordMeeting(ctx, org, eng, m.ID, ids["Max"], tandem.MeetingHeld); err != nil || m.Status != tandem.MeetingHeld || m.Sequence != 1 {
			t.Fatalf("held: %+v %v", m, err)
		}
		if _, err := db.RecordMeeting(ctx, org, eng, m.ID, ids["Max"], tandem.MeetingCancelled); tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Errorf("recorded twice: %v", err)
		}
		if _, err := db.RescheduleMeeting(ctx, org, eng, m.ID, ids["Lee"], tandem.MeetingInput{Start: start, Minutes: 30, Place: "x"}, noCheck); tandem.ErrorCode(err) != tandem.EINVALID {
			t.Errorf("rescheduled a held session: %v", err)
		}
	})
	t.Run("PrivateNotesStayPrivate", func(t *testing.T) {
		for _, n := range []struct {
			who    string
			shared bool
			body   string
		}{{"Lee", true, "shared"}, {"Lee", false, "lee private"}, {"Max", false, "max private"}} {
			if _, err := db.AddNote(ctx, org, eng, m.ID, ids[n.who], n.shared, n.body); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			reader     string
			withShared bool
			want       []string
		}{
			{"Lee", true, []string{"shared", "lee private"}},
			{"Max", true, []string{"shared", "max private"}},
			{"Oz", true, []string{"shared"}}, // app passes true only for partners
			{"Oz", false, nil},
			{"Lee", false, []string{"lee private"}},
		} {
			notes, err := db.Notes(ctx, org, m.ID, ids[tc.reader], tc.withShared)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range notes {
				got = append(got, n.Body)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[len(got)-1] != tc.want[len(tc.want)-1])) {
				t.Errorf("%s (shared %v) reads %v, want %v", tc.reader, tc.withShared, got, tc.want)
			}
		}
	})
	t.Run("ActionItems", func(t *testing.T) {
		it := &tandem.ActionItem{Owner: tandem.PersonRef{ID: ids["Oz"]}, Body: "x"}
		if err := db.AddActionItem(ctx, org, eng, m.ID, ids["Lee"], it); tandem.ErrorFields(err)["owner"] == "" {
			t.Errorf("an action item for someone outside: %v", err)
		}
		it = &tandem.ActionItem{Owner: tandem.PersonRef{ID: ids["Max"]}, Body: "Send the article", Due: "2026-03-09"}
		if err := db.AddActionItem(ctx, org, eng, m.ID, ids["Lee"], it); err != nil {
			t.Fatal(err)
		}
		open, err := db.OpenActionItems(ctx, org, ids["Max"])
		if err != nil || len(open) != 1 || open[0].Title != "Mentoring: Lee with Max" {
			t.Fatalf("open items: %+v %v", open, err)
		}
		if err := db.CompleteActionItem(ctx, org, eng, m.ID+1000, it.ID); tandem.ErrorCode(err) != tandem.ENOTFOUND {
			t.Errorf("completed through another session: %v", err)
		}
		if err := db.CompleteActionItem(ctx, org, eng, m.ID, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteActionItem(ctx, org, eng, m.ID, it.ID); tandem.ErrorCode(err) != tandem.ENOTFOUND {
			t.Errorf("completed twice: %v", err)
		}
	})
	t.Run("Ratings", func(t *testing.T) {
		for _, r := range []tandem.Rating{{Person: tandem.PersonRef{ID: ids["Lee"]}, Score: 2, NotAGoodFit: true},
			{Person: tandem.PersonRef{ID: ids["Lee"]}, Score: 3, NotAGoodFit: true}, {Person: tandem.PersonRef{ID: ids["Max"]}, Score: 5}} {
			r.MeetingID = m.ID
			if err := db.RateMeeting(ctx, org, eng, &r); err != nil {
				t.Fatal(err)
			}
		}
		s, err := db.FeedbackSummary(ctx, org, eng)
		if err != nil || s.Ratings != 2 || s.Average != 4 || s.NotAFit != 1 || s.LastHeld == nil || !s.LastHeld.Equal(start) {
			t.Errorf("summary %+v %v", s, err)
		}
		events, _ := db.Events(ctx, org, eng)
		flags := 0
		for _, ev := range events {
			if ev.Type == tandem.EventNotAGoodFit {
				flags++
			}
		}
		if flags != 1 {
			t.Errorf("the flag is in the timeline %d times", flags)
		}
		held, err := db.LastHeld(ctx, org, []int64{eng})
		if err != nil || !held[eng].Equal(start) {
			t.Errorf("last held %v %v", held, err)
		}
	})
	t.Run("CalendarToken", func(t *testing.T) {
		if err := db.SetCalendarToken(ctx, org, ids["Lee"], "h1"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetCalendarToken(ctx, org, ids["Lee"], "h2"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CalendarOwner(ctx, "h1"); tandem.ErrorCode(err) != tandem.ENOTFOUND {
			t.Errorf("the replaced secret still works: %v", err)
		}
		if o, p, err := db.CalendarOwner(ctx, "h2"); err != nil || o != org || p != ids["Lee"] {
			t.Errorf("owner %d %d %v", o, p, err)
		}
	})
	t.Run("EndedIsReadOnly", func(t *testing.T) {
		if _, err := db.End(ctx, org, eng, ids["Lee"], "done"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddNote(ctx, org, eng, m.ID, ids["Lee"], true, "late"); tandem.ErrorCode(err) != tandem.EINVALID {
			t.Errorf("note on an ended engagement: %v", err)
		}
		if _, err := db.ScheduleMeeting(ctx, org, eng, ids["Lee"], tandem.MeetingInput{Start: start, Minutes: 45, Place: "x"}, noCheck); tandem.ErrorCode(err) != tandem.EINVALID {
			t.Errorf("session on an ended engagement: %v", err)
		}
	})
}

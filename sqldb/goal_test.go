package sqldb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// pair is an organization with a learner and a guide, for store tests of
// what partners do together.
type pair struct {
	db           *sqldb.DB
	clock        *tandemtest.Clock
	org          int64
	learner      int64
	guide        int64
	coaching     int64
	mentoring    int64
	otherOrg     int64
	otherOrgEng  int64
	otherOrgUser int64
}

func newPair(t *testing.T) *pair {
	t.Helper()
	db, clock := tandemtest.MustOpenDB(t)
	p := &pair{db: db, clock: clock}
	p.org, p.learner, p.guide, p.coaching, p.mentoring = mustEngagements(t, db, "Acme")
	p.otherOrg, p.otherOrgUser, _, p.otherOrgEng, _ = mustEngagements(t, db, "Other")
	return p
}

// mustEngagements makes an organization with two members, a coaching
// engagement (learner, guide) for a skill and a mentoring partnership.
func mustEngagements(t *testing.T, db *sqldb.DB, name string) (org, learner, guide, coaching, mentoring int64) {
	t.Helper()
	ctx := tandemtest.MustOrg(t, db, name)
	org = tandem.ActorFrom(ctx).Org.ID
	slug := tandem.ActorFrom(ctx).Org.Slug
	learner = tandem.ActorFrom(tandemtest.MustMember(t, db, ctx, "lee@"+slug+".test", "Lee", tandem.RoleMember)).Person.ID
	guide = tandem.ActorFrom(tandemtest.MustMember(t, db, ctx, "cat@"+slug+".test", "Cat", tandem.RoleMember)).Person.ID
	sk := &tandem.Skill{OrgID: org, Name: "Go"}
	if err := db.CreateSkill(context.Background(), sk); err != nil {
		t.Fatal(err)
	}
	ag := tandem.Agreement{Outcomes: []string{"x"}, Cadence: "weekly", Confidentiality: "ours", ExitTerms: "talk", Start: "2026-03-02", End: "2026-06-01", CreatedBy: learner}
	c := &tandem.Engagement{OrgID: org, Kind: tandem.Coaching, Learner: tandem.PersonRef{ID: learner}, Guide: tandem.PersonRef{ID: guide},
		SkillID: sk.ID, Start: "2026-03-02", End: "2026-06-01", CreatedBy: learner}
	if err := db.CreateEngagement(context.Background(), c, &ag); err != nil {
		t.Fatal(err)
	}
	m := &tandem.Engagement{OrgID: org, Kind: tandem.Mentoring, Learner: tandem.PersonRef{ID: learner}, Guide: tandem.PersonRef{ID: guide},
		Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaEthics}, Phase: tandem.PhaseInitiation, ReviewMonths: 3, CreatedBy: learner}
	ag2 := ag
	ag2.Start, ag2.End = "", ""
	if err := db.CreateEngagement(context.Background(), m, &ag2); err != nil {
		t.Fatal(err)
	}
	return org, learner, guide, c.ID, m.ID
}

func goal(title string) *tandem.Goal {
	return &tandem.Goal{Title: title, Measure: "reviews led alone", Baseline: "0", Target: "3", Due: "2026-05-01"}
}

func TestGoals(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	db := p.db
	t.Run("Chain", func(t *testing.T) {
		g1 := goal("Lead a review")
		if err := db.SetGoal(ctx, p.org, p.coaching, p.guide, g1); err != nil {
			t.Fatal(err)
		}
		if err := db.SetGoal(ctx, p.org, p.coaching, p.guide, goal("Too soon")); tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Fatalf("second open goal: %v, want conflict", err)
		}
		p.clock.Add(time.Hour)
		if err := db.AddGoalUpdate(ctx, p.org, p.coaching, g1.ID, p.learner, &tandem.GoalUpdate{Value: "1", Note: "first one"}); err != nil {
			t.Fatal(err)
		}
		p.clock.Add(time.Hour)
		if err := db.AddGoalUpdate(ctx, p.org, p.coaching, g1.ID, p.guide, &tandem.GoalUpdate{Value: "3", Reached: true}); err != nil {
			t.Fatal(err)
		}
		err := db.AddGoalUpdate(ctx, p.org, p.coaching, g1.ID, p.learner, &tandem.GoalUpdate{Value: "4"})
		if tandem.ErrorCode(err) != tandem.EINVALID || tandem.ErrorFields(err)["goal"] == "" {
			t.Fatalf("progress on a reached goal: %v", err)
		}
		g2 := goal("Lead two reviews")
		if err := db.SetGoal(ctx, p.org, p.coaching, p.guide, g2); err != nil {
			t.Fatal(err)
		}
		gs, err := db.Goals(ctx, p.org, p.coaching)
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 2 || gs[0].Status != tandem.GoalReached || gs[0].ReachedAt == nil || len(gs[0].Updates) != 2 ||
			gs[1].PreviousGoalID != gs[0].ID || gs[1].Status != tandem.GoalOpen || gs[0].Latest() != "3" || gs[1].SetBy.Name != "Cat" {
			t.Errorf("goals = %+v", gs)
		}
		evs, _ := db.Events(ctx, p.org, p.coaching)
		var types []tandem.EventType
		for _, ev := range evs {
			types = append(types, ev.Type)
		}
		want := map[tandem.EventType]int{tandem.EventGoalSet: 2, tandem.EventGoalReached: 1}
		for _, ty := range types {
			want[ty]--
		}
		if want[tandem.EventGoalSet] != 0 || want[tandem.EventGoalReached] != 0 {
			t.Errorf("events %v", types)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := db.SetGoal(ctx, p.otherOrg, p.coaching, p.guide, goal("x")); tandem.ErrorCode(err) != tandem.ENOTFOUND {
			t.Errorf("another organization's engagement: %v", err)
		}
		if gs, _ := db.Goals(ctx, p.otherOrg, p.coaching); len(gs) != 0 {
			t.Errorf("goals across organizations: %v", gs)
		}
		if err := db.AddGoalUpdate(ctx, p.org, p.coaching, 99999, p.guide, &tandem.GoalUpdate{Value: "1"}); tandem.ErrorCode(err) != tandem.ENOTFOUND {
			t.Errorf("unknown goal: %v", err)
		}
	})
	t.Run("WrongKind", func(t *testing.T) {
		if err := db.SetGoal(ctx, p.org, p.mentoring, p.guide, goal("x")); tandem.ErrorCode(err) != tandem.EINVALID {
			t.Errorf("goal on mentoring: %v", err)
		}
		if err := db.AddTheme(ctx, p.org, p.coaching, p.guide, &tandem.Theme{Area: tandem.AreaCareer, Title: "x"}); tandem.ErrorCode(err) != tandem.EINVALID {
			t.Errorf("theme on coaching: %v", err)
		}
	})
	t.Run("Closed", func(t *testing.T) {
		if _, err := db.End(ctx, p.otherOrg, p.otherOrgEng, p.otherOrgUser, "done"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetGoal(ctx, p.otherOrg, p.otherOrgEng, p.otherOrgUser, goal("late")); tandem.ErrorCode(err) == "" {
			t.Error("a goal on an ended engagement was accepted")
		}
		if gs, _ := db.Goals(ctx, p.otherOrg, p.otherOrgEng); len(gs) != 0 {
			t.Errorf("goals = %v", gs)
		}
	})
}

func TestThemesAndReflections(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	db := p.db
	th := &tandem.Theme{Area: tandem.AreaCareer, Title: "Speaking up"}
	if err := db.AddTheme(ctx, p.org, p.mentoring, p.learner, th); err != nil {
		t.Fatal(err)
	}
	p.clock.Add(time.Hour)
	if err := db.AddReflection(ctx, p.org, p.mentoring, p.guide, &tandem.Reflection{ThemeID: th.ID, Body: "Lee spoke first today"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddReflection(ctx, p.org, p.mentoring, p.learner, &tandem.Reflection{Body: "On the whole: calmer"}); err != nil {
		t.Fatal(err)
	}
	err := db.AddReflection(ctx, p.org, p.mentoring, p.learner, &tandem.Reflection{ThemeID: 99999, Body: "x"})
	if tandem.ErrorFields(err)["theme"] == "" {
		t.Errorf("reflection on an unknown theme: %v", err)
	}
	themes, err := db.Themes(ctx, p.org, p.mentoring)
	if err != nil {
		t.Fatal(err)
	}
	if len(themes) != 1 || themes[0].Reflections != 1 || themes[0].LastRevisited == nil || !themes[0].LastRevisited.Equal(p.clock.Now().UTC()) {
		t.Errorf("themes = %+v", themes)
	}
	rs, err := db.Reflections(ctx, p.org, p.mentoring)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].ThemeTitle != "Speaking up" || rs[0].Author.Name != "Cat" || rs[1].ThemeID != 0 {
		t.Errorf("reflections = %+v", rs)
	}
	if rs, _ := db.Reflections(ctx, p.otherOrg, p.mentoring); len(rs) != 0 {
		t.Errorf("reflections across organizations: %v", rs)
	}
}

// TestTimelineByOrganization: the lists of an engagement's parts are read
// through its organization, so another organization's id reads nothing.
func TestTimelineByOrganization(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	if _, err := p.db.AddItem(ctx, p.org, p.mentoring, p.learner, false, "Agenda"); err != nil {
		t.Fatal(err)
	}
	for _, org := range []int64{p.org, p.otherOrg} {
		vs, err1 := p.db.Versions(ctx, org, p.mentoring)
		rs, err2 := p.db.Responses(ctx, org, p.mentoring)
		evs, err3 := p.db.Events(ctx, org, p.mentoring)
		its, err4 := p.db.Items(ctx, org, p.mentoring)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		own := org == p.org
		if (len(vs) > 0) != own || (len(evs) > 0) != own || (len(its) > 0) != own || (!own && len(rs) > 0) {
			t.Errorf("org %d (own %v): %d versions, %d responses, %d events, %d items", org, own, len(vs), len(rs), len(evs), len(its))
		}
	}
}

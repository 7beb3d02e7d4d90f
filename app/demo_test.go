package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	in := app.SetupInput{Name: "Ada Admin", Email: "ada@tandem.test", Password: "correct horse battery"}

	t.Run("OK", func(t *testing.T) {
		a, db := newApp(t)
		admin, err := a.LoadDemoSetup(ctx, in, app.DefaultDemoPeople)
		if err != nil {
			t.Fatal(err)
		}
		orgs, err := db.ListOrgs(ctx)
		if err != nil || len(orgs) != 1 {
			t.Fatalf("orgs %v, %v", orgs, err)
		}
		org := orgs[0]
		if org.Name != app.DemoOrgName || !org.Demo || admin.OrgID != org.ID || !admin.IsAdmin() {
			t.Fatalf("org %+v, admin %+v", org, admin)
		}
		var people, mentors, coaches int
		managerOf := map[string]string{}
		var leaf string
		err = db.ExportPeople(ctx, org.ID, func(p *tandem.Person, manager string) error {
			people++
			if p.MentorCapacity > 0 {
				mentors++
			}
			if len(p.CoachSkills()) > 0 {
				coaches++
			}
			managerOf[p.Email] = manager
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if people != app.DefaultDemoPeople+1 || mentors == 0 || coaches == 0 {
			t.Errorf("%d people, %d mentors, %d coaches", people, mentors, coaches)
		}
		// A leaf is someone nobody reports to, as deep as any.
		isManager := map[string]bool{}
		for _, m := range managerOf {
			isManager[m] = true
		}
		depth := func(e string) int {
			n := 0
			for ; managerOf[e] != ""; e = managerOf[e] {
				n++
			}
			return n
		}
		for e := range managerOf {
			if !isManager[e] && (leaf == "" || depth(e) > depth(leaf)) {
				leaf = e
			}
		}
		id, err := db.PersonIDByEmail(ctx, org.ID, leaf)
		if err != nil {
			t.Fatal(err)
		}
		chain, err := db.Chain(ctx, org.ID, id)
		if err != nil || len(chain) < 3 {
			t.Errorf("chain of %s: %v, %v", leaf, chain, err)
		}
		// The administrator is in the hierarchy, kept their role and name.
		me, err := db.PersonByID(ctx, org.ID, admin.ID)
		if err != nil || me.Role != tandem.RoleAdmin || me.Name != "Ada Admin" || me.Title != "Program administrator" {
			t.Errorf("admin %+v, %v", me, err)
		}
		if managerOf[admin.Email] == "" {
			t.Error("the administrator reports to nobody")
		}
		checkDemoEngagements(t, db, org.ID, admin.ID)
	})

	t.Run("SmallAndDeterministic", func(t *testing.T) {
		var first []string
		for range 2 {
			a, db := newApp(t)
			admin, err := a.LoadDemoSetup(ctx, in, app.MinDemoPeople)
			if err != nil {
				t.Fatal(err)
			}
			got := checkDemoEngagements(t, db, admin.OrgID, admin.ID)
			if first == nil {
				first = got
			} else if !slices.Equal(first, got) {
				t.Errorf("two demos differ:\n%v\n%v", first, got)
			}
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		a, _ := newApp(t)
		if _, err := a.Setup(ctx, app.SetupInput{OrgName: "Acme", Name: "Bo", Email: "bo@acme.test", Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.LoadDemoSetup(ctx, in, app.MinDemoPeople); tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Errorf("setup variant on a set-up install: %v, want conflict", err)
		}
		// Next to an existing organization, the operator's variant works.
		if _, err := a.LoadDemo(ctx, app.SetupInput{OrgName: "Sandbox", Name: "Bo", Email: "bo@acme.test", Password: "correct horse battery"}, app.MinDemoPeople); err != nil {
			t.Errorf("demo next to an organization: %v", err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		a, db := newApp(t)
		_, err := a.LoadDemoSetup(ctx, app.SetupInput{Email: "nope", Password: "short"}, 3)
		fields := tandem.ErrorFields(err)
		for _, f := range []string{"name", "email", "password", "people"} {
			if fields[f] == "" {
				t.Errorf("no error for %s: %v", f, err)
			}
		}
		if n, _ := db.CountOrgs(ctx); n != 0 {
			t.Errorf("%d organizations after a refused demo", n)
		}
	})
}

// checkDemoEngagements checks that the demo has engagements of both kinds
// in every state, made by the rules, and returns a summary of them (kind,
// status, the two people by email) to compare demos.
func checkDemoEngagements(t *testing.T, db *sqldb.DB, orgID, adminID int64) []string {
	t.Helper()
	ctx := context.Background()
	all, err := db.ListEngagements(ctx, orgID, sqldb.EngagementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		kind   tandem.Kind
		status tandem.Status
	}
	seen := map[state]int{}
	var summary []string
	byID := map[int64]tandem.Engagement{}
	adminKinds := map[tandem.Kind]bool{}
	var managerCoach, movedOn, waitingCoaching, waitingMentoring, cultivation, reversed, reviewClosed, exception bool
	for _, e := range all {
		byID[e.ID] = e
	}
	today := tandem.DateOf(db.Now())
	for _, e := range all {
		seen[state{e.Kind, e.Status}]++
		summary = append(summary, fmt.Sprintf("%s %s %s %s", e.Kind, e.Status, e.Learner.Email, e.Guide.Email))
		if e.PartyOf(adminID) != "" {
			adminKinds[e.Kind] = true
		}
		events, err := db.Events(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		has := func(typ tandem.EventType, detail string) bool {
			return slices.ContainsFunc(events, func(ev tandem.Event) bool { return ev.Type == typ && (detail == "" || ev.Detail == detail) })
		}
		if e.Status != tandem.StatusDraft && !has(tandem.EventActivated, "") {
			t.Errorf("#%d is %s without ever being agreed", e.ID, e.Status)
		}
		learner, err := db.PersonByID(ctx, orgID, e.Learner.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status == tandem.StatusDraft {
			rs, err := db.Responses(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			agreed := map[tandem.Party]bool{}
			for _, r := range rs {
				if r.Version == e.CurrentVersion && r.Agreed {
					agreed[r.Party] = true
				}
			}
			if agreed[tandem.PartyLearner] && agreed[tandem.PartyGuide] && !agreed[tandem.PartyManager] && e.ManagerRequired {
				if e.Kind == tandem.Coaching {
					waitingCoaching = true
				} else {
					waitingMentoring = true
				}
			}
		}
		switch e.Kind {
		case tandem.Coaching:
			if e.SkillID == 0 || e.Start == "" || e.End <= e.Start {
				t.Errorf("coaching #%d without a skill or a time frame: %+v", e.ID, e)
			}
			if e.Status == tandem.StatusExpired && e.End >= today {
				t.Errorf("#%d expired before its end date %s", e.ID, e.End)
			}
			if learner.ManagerID == e.Guide.ID && e.Manager.ID == 0 && e.Status == tandem.StatusActive {
				managerCoach = true
			}
			if prev, ok := byID[e.PreviousID]; ok && prev.Status == tandem.StatusExpired && prev.SkillID == e.SkillID &&
				prev.Learner.ID == e.Learner.ID && prev.Guide.ID != e.Guide.ID && e.ShareHistory {
				movedOn = true
			}
			if !e.Status.Closed() {
				for _, o := range all {
					if o.ID != e.ID && o.Kind == tandem.Coaching && !o.Status.Closed() && o.Learner.ID == e.Learner.ID && o.SkillID == e.SkillID {
						t.Errorf("#%d and #%d: two open coaching engagements for one skill", e.ID, o.ID)
					}
				}
			}
		case tandem.Mentoring:
			related, err := db.Related(ctx, orgID, e.Learner.ID, e.Guide.ID)
			if err != nil {
				t.Fatal(err)
			}
			if related && e.Exception == "" {
				t.Errorf("mentoring #%d inside a management chain without an exception", e.ID)
			}
			if related && e.Exception != "" && e.Status == tandem.StatusActive && has(tandem.EventException, "") {
				exception = true
			}
			if e.Status == tandem.StatusActive && e.Phase == tandem.PhaseCultivation {
				items, err := db.Items(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				wrote := map[string]bool{}
				for _, it := range items {
					wrote[fmt.Sprint(it.Author.ID, it.Learned)] = true
				}
				cultivation = wrote[fmt.Sprint(e.Learner.ID, false)] && wrote[fmt.Sprint(e.Guide.ID, false)] &&
					wrote[fmt.Sprint(e.Learner.ID, true)] && wrote[fmt.Sprint(e.Guide.ID, true)]
			}
			reversed = reversed || (e.Status == tandem.StatusActive && has(tandem.EventReversed, ""))
			reviewClosed = reviewClosed || (e.Status == tandem.StatusEnded && has(tandem.EventReview, string(tandem.ReviewClose)))
		}
	}
	for _, st := range []state{{tandem.Coaching, tandem.StatusDraft}, {tandem.Coaching, tandem.StatusActive}, {tandem.Coaching, tandem.StatusEnded},
		{tandem.Coaching, tandem.StatusExpired}, {tandem.Mentoring, tandem.StatusDraft}, {tandem.Mentoring, tandem.StatusActive}, {tandem.Mentoring, tandem.StatusEnded}} {
		if seen[st] == 0 {
			t.Errorf("no %s engagement is %s", st.kind, st.status)
		}
	}
	for name, ok := range map[string]bool{"manager as coach": managerCoach, "coaching moved on from an expired one": movedOn,
		"coaching waiting for the manager": waitingCoaching, "mentoring waiting for the manager": waitingMentoring,
		"mentoring in cultivation with both partners' items": cultivation, "reversed mentoring": reversed,
		"mentoring closed at a review point": reviewClosed, "mentoring with an exception": exception,
		"the administrator in coaching": adminKinds[tandem.Coaching], "the administrator in mentoring": adminKinds[tandem.Mentoring]} {
		if !ok {
			t.Errorf("the demo lacks %s", name)
		}
	}
	return summary
}

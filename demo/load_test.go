package demo_test

import (
	"context"
	"fmt"
	"github.com/tandemhq/tandem/tandemtest"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/sqldb"
)

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	in := app.SetupInput{Name: "Ada Admin", Email: "ada@tandem.test", Password: "correct horse battery"}

	t.Run("OK", func(t *testing.T) {
		a, db := newApp(t)
		admin, err := demo.LoadSetup(ctx, a, in, demo.DefaultPeople)
		if err != nil {
			t.Fatal(err)
		}
		orgs, err := db.ListOrgs(ctx)
		if err != nil || len(orgs) != 1 {
			t.Fatalf("orgs %v, %v", orgs, err)
		}
		org := orgs[0]
		if org.Name != demo.OrgName || !org.Demo || admin.OrgID != org.ID || !admin.IsAdmin() {
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
		if people != demo.DefaultPeople+1 || mentors == 0 || coaches == 0 {
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
		checkAdminPage(t, a, db, &org, admin.ID)
		checkPersonas(t, a, db, &org, admin, in.Password)
		checkDemoPrograms(t, a, &org, admin)
		checkDemoStates(t, db, org.ID)
	})

	t.Run("SmallAndDeterministic", func(t *testing.T) {
		var first []string
		for range 2 {
			a, db := newApp(t)
			admin, err := demo.LoadSetup(ctx, a, in, demo.MinPeople)
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

	// The story clock never passes the real now, whatever the hour: the
	// demo loads at any time of day.
	t.Run("AnyTimeOfDay", func(t *testing.T) {
		for _, hm := range [][2]int{{0, 5}, {23, 55}} {
			db, clock := tandemtest.MustOpenDB(t)
			clock.Set(time.Date(2026, 3, 2, hm[0], hm[1], 0, 0, time.UTC))
			a := app.New(db, &tandemtest.Mailbox{}, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://tandem.test")
			a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
			admin, err := demo.LoadSetup(ctx, a, in, demo.MinPeople)
			if err != nil {
				t.Fatalf("%02d:%02d: %v", hm[0], hm[1], err)
			}
			checkDemoEngagements(t, db, admin.OrgID, admin.ID)
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		a, _ := newApp(t)
		if _, err := a.Setup(ctx, app.SetupInput{OrgName: "Acme", Name: "Bo", Email: "bo@acme.test", Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.LoadSetup(ctx, a, in, demo.MinPeople); tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Errorf("setup variant on a set-up install: %v, want conflict", err)
		}
		// Next to an existing organization, the operator's variant works.
		if _, err := demo.Load(ctx, a, app.SetupInput{OrgName: "Sandbox", Name: "Bo", Email: "bo@acme.test", Password: "correct horse battery"}, demo.MinPeople); err != nil {
			t.Errorf("demo next to an organization: %v", err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		a, db := newApp(t)
		_, err := demo.LoadSetup(ctx, a, app.SetupInput{Email: "nope", Password: "short"}, 3)
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
		events, err := db.Events(ctx, orgID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		has := func(typ tandem.EventType, detail string) bool {
			return slices.ContainsFunc(events, func(ev tandem.Event) bool { return ev.Type == typ && (detail == "" || ev.Detail == detail) })
		}
		if e.Status != tandem.StatusDraft && !has(tandem.EventActivated, "") {
			t.Errorf("#%d is %s without ever being agreed", e.ID, e.Status)
		}
		// The story is told in order: proposed first, nothing worked on
		// before it was agreed, nothing after the real now.
		var proposed, activated time.Time
		for _, ev := range events {
			switch ev.Type {
			case tandem.EventProposed:
				proposed = ev.At
			case tandem.EventActivated:
				activated = ev.At
			}
		}
		for _, ev := range events {
			switch {
			case ev.At.Before(proposed):
				t.Errorf("#%d: %s at %s, before it was proposed at %s", e.ID, ev.Type, ev.At, proposed)
			case ev.At.After(db.Now()):
				t.Errorf("#%d: %s at %s, in the future", e.ID, ev.Type, ev.At)
			case ev.Type.Facet() == tandem.FacetSessions && !activated.IsZero() && ev.At.Before(activated):
				t.Errorf("#%d: %s at %s, before it was agreed at %s", e.ID, ev.Type, ev.At, activated)
			}
		}
		learner, err := db.PersonByID(ctx, orgID, e.Learner.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status == tandem.StatusDraft {
			rs, err := db.Responses(ctx, orgID, e.ID)
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
				items, err := db.Items(ctx, orgID, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				wrote := map[string]bool{}
				for _, it := range items {
					wrote[fmt.Sprint(it.Author.ID, it.Learned)] = true
				}
				cultivation = cultivation || wrote[fmt.Sprint(e.Learner.ID, false)] && wrote[fmt.Sprint(e.Guide.ID, false)] &&
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
	summary = append(summary, checkDemoWork(t, db, orgID, adminID, all)...)
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

// checkDemoWork checks how the partners of the demo's active engagements
// work together: sessions held and ahead, notes of both kinds, action
// items, ratings, a chain of goals, evaluations over time, themes and
// reflections by both partners, a stalled partnership with a "not a good
// fit" flag; and that all of it keeps the rules. It returns a summary to
// compare demos.
func checkDemoWork(t *testing.T, db *sqldb.DB, orgID, adminID int64, all []tandem.Engagement) []string {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	settings, err := db.OrgSettings(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	rubric, err := db.Rubric(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	var sharedNotes, privateNotes, doneItems, openItems, noShow, cancelled, stalled, notAFit bool
	var chain, evaluated, reflected, adminCoaching, adminMentoring, expiredHistory bool
	for _, e := range all {
		meetings, err := db.Meetings(ctx, orgID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != tandem.StatusActive {
			// A closed engagement keeps its history; a draft has none.
			for _, m := range meetings {
				if e.Status == tandem.StatusDraft || m.Status == tandem.MeetingScheduled {
					t.Errorf("#%d is %s and has session %d, %s", e.ID, e.Status, m.ID, m.Status)
				}
			}
			if e.Status == tandem.StatusExpired && len(meetings) > 0 {
				expiredHistory = true
			}
			continue
		}
		partner := func(id int64) bool { return id == e.Learner.ID || id == e.Guide.ID }
		byStatus := map[tandem.MeetingStatus]int{}
		upcoming := 0
		held := map[int64]bool{}
		for _, m := range meetings {
			byStatus[m.Status]++
			if m.Status == tandem.MeetingScheduled && m.Start.After(now) {
				upcoming++
			}
			if m.CreatedAt.After(now) || m.UpdatedAt.After(now) {
				t.Errorf("#%d: session %d made or recorded in the future: %v, %v", e.ID, m.ID, m.CreatedAt, m.UpdatedAt)
			}
			if (m.Status == tandem.MeetingHeld || m.Status == tandem.MeetingNoShow) && m.UpdatedAt.Before(m.Start) {
				t.Errorf("#%d: session %d recorded %s at %v, before it started at %v", e.ID, m.ID, m.Status, m.UpdatedAt, m.Start)
			}
			if !partner(m.CreatedBy) {
				t.Errorf("#%d: session %d scheduled by %d, not a partner", e.ID, m.ID, m.CreatedBy)
			}
			if e.Kind == tandem.Coaching {
				by, err := db.PersonByID(ctx, orgID, m.CreatedBy)
				if err != nil {
					t.Fatal(err)
				}
				loc, err := time.LoadLocation(by.TimeZone)
				if err != nil {
					loc = time.UTC
				}
				if d := tandem.Date(m.Start.In(loc).Format(time.DateOnly)); d < e.Start || d > e.End {
					t.Errorf("#%d: coaching session on %s outside %s to %s", e.ID, d, e.Start, e.End)
				}
			}
			if m.Status == tandem.MeetingHeld {
				held[m.ID] = true
			}
			for _, reader := range []int64{e.Learner.ID, e.Guide.ID} {
				notes, err := db.Notes(ctx, orgID, m.ID, reader, true)
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range notes {
					if !partner(n.Author.ID) {
						t.Errorf("#%d: a note by %d, not a partner", e.ID, n.Author.ID)
					}
					if !n.Shared && n.Author.ID != reader {
						t.Errorf("#%d: %d reads %d's private note", e.ID, reader, n.Author.ID)
					}
					sharedNotes = sharedNotes || n.Shared
					privateNotes = privateNotes || !n.Shared
				}
				if m.Status == tandem.MeetingHeld && !slices.ContainsFunc(notes, func(n tandem.Note) bool { return n.Shared }) {
					t.Errorf("#%d: held session %d without a shared note", e.ID, m.ID)
				}
			}
			items, err := db.ActionItems(ctx, orgID, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if !partner(it.Owner.ID) {
					t.Errorf("#%d: action item owned by %d, not a partner", e.ID, it.Owner.ID)
				}
				doneItems = doneItems || it.DoneAt != nil
				openItems = openItems || (it.DoneAt == nil && it.Due != "")
			}
		}
		ratings, err := db.Ratings(ctx, orgID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		raters := map[int64]bool{}
		for _, r := range ratings {
			if !held[r.MeetingID] || !partner(r.Person.ID) || r.Score < 1 || r.Score > 5 {
				t.Errorf("#%d: rating %+v breaks the rules", e.ID, r)
			}
			raters[r.Person.ID] = true
		}
		sum, err := db.FeedbackSummary(ctx, orgID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tandem.Stalled(&e, sum.LastHeld, settings.StalledDays, now) {
			stalled = true
		}
		notAFit = notAFit || (e.Kind == tandem.Mentoring && sum.NotAFit > 0)
		noShow = noShow || byStatus[tandem.MeetingNoShow] > 0
		cancelled = cancelled || byStatus[tandem.MeetingCancelled] > 0
		line := fmt.Sprintf("%s %s: held %d, no-show %d, cancelled %d, scheduled %d, ratings %d",
			e.Kind, e.Learner.Email, byStatus[tandem.MeetingHeld], byStatus[tandem.MeetingNoShow], byStatus[tandem.MeetingCancelled],
			byStatus[tandem.MeetingScheduled], len(ratings))
		rich := byStatus[tandem.MeetingHeld] >= 2 && upcoming > 0 && raters[e.Learner.ID] && raters[e.Guide.ID]

		switch e.Kind {
		case tandem.Coaching:
			goals, err := db.Goals(ctx, orgID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			open, reached := 0, false
			for i, g := range goals {
				if g.SetBy.ID != e.Guide.ID {
					t.Errorf("#%d: goal %q set by %d, not the coach", e.ID, g.Title, g.SetBy.ID)
				}
				if i > 0 && (g.PreviousGoalID != goals[i-1].ID || !goals[i-1].Reached()) {
					t.Errorf("#%d: goal %q does not follow a reached goal", e.ID, g.Title)
				}
				for _, u := range g.Updates {
					if u.Reached && u.Author.ID != e.Guide.ID {
						t.Errorf("#%d: goal %q marked reached by %d, not the coach", e.ID, g.Title, u.Author.ID)
					}
				}
				if g.Reached() {
					reached = true
				} else {
					open++
				}
			}
			if open > 1 {
				t.Errorf("#%d: %d open goals", e.ID, open)
			}
			hasChain := reached && open == 1 && len(goals[len(goals)-1].Updates) > 0
			chain = chain || hasChain
			evs, err := db.Evaluations(ctx, orgID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			var levels []int
			for i, ev := range evs {
				if _, ok := rubric.Level(ev.Position); !ok || ev.Evidence == "" || ev.Author.ID != e.Guide.ID || ev.At.After(now) {
					t.Errorf("#%d: evaluation %+v breaks the rules", e.ID, ev)
				}
				if i > 0 && !ev.At.After(evs[i-1].At) {
					t.Errorf("#%d: evaluations at one time, not over time", e.ID)
				}
				levels = append(levels, ev.Position)
			}
			evaluated = evaluated || len(evs) >= 3
			line += fmt.Sprintf(", goals %d (reached %v), evaluations %v", len(goals), reached, levels)
			if e.Learner.ID == adminID || e.Guide.ID == adminID {
				adminCoaching = adminCoaching || (rich && hasChain && len(evs) >= 3 && byStatus[tandem.MeetingNoShow]+byStatus[tandem.MeetingCancelled] > 0)
			}
		case tandem.Mentoring:
			themes, err := db.Themes(ctx, orgID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			areas := map[tandem.Area]bool{}
			for _, th := range themes {
				if !slices.Contains(e.Areas, th.Area) {
					t.Errorf("#%d: theme in %s, not one of the areas %v", e.ID, th.Area, e.Areas)
				}
				areas[th.Area] = true
			}
			refl, err := db.Reflections(ctx, orgID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			by := map[int64]bool{}
			for _, r := range refl {
				if !partner(r.Author.ID) {
					t.Errorf("#%d: reflection by %d, not a partner", e.ID, r.Author.ID)
				}
				by[r.Author.ID] = true
			}
			both := by[e.Learner.ID] && by[e.Guide.ID] && len(areas) >= 2
			reflected = reflected || both
			line += fmt.Sprintf(", themes %d in %d areas, reflections %d", len(themes), len(areas), len(refl))
			if e.Learner.ID == adminID || e.Guide.ID == adminID {
				adminMentoring = adminMentoring || (rich && both)
			}
		}
		summary = append(summary, line)
	}
	for name, ok := range map[string]bool{"an expired coaching with its history": expiredHistory, "shared notes": sharedNotes, "private notes": privateNotes, "done action items": doneItems,
		"open action items with a due date": openItems, "a no-show": noShow, "a cancelled session": cancelled,
		"a stalled engagement": stalled, "a \"not a good fit\" flag on mentoring": notAFit,
		"a goal chain, reached and current with progress": chain, "three evaluations on one engagement": evaluated,
		"reflections by both partners on themes in several areas":             reflected,
		"the administrator's coaching with sessions, goals and evaluations":   adminCoaching,
		"the administrator's mentoring with sessions, themes and reflections": adminMentoring} {
		if !ok {
			t.Errorf("the demo lacks %s", name)
		}
	}
	return summary
}

// checkAdminPage checks what the administrator sees of their coaching
// through the use cases: the chain of goals, the progress chart's line,
// the sessions with feedback and their own open action items.
func checkAdminPage(t *testing.T, a *app.App, db *sqldb.DB, org *tandem.Org, adminID int64) {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByID(ctx, org.ID, adminID)
	if err != nil {
		t.Fatal(err)
	}
	as := tandem.WithActor(ctx, &tandem.Actor{Person: p, Org: org})
	mine, err := db.ListEngagements(ctx, org.ID, sqldb.EngagementFilter{PartyID: adminID, Kind: tandem.Coaching, Status: tandem.StatusActive})
	if err != nil || len(mine) == 0 {
		t.Fatalf("the administrator's coaching: %v, %v", mine, err)
	}
	g, err := a.Goals(as, mine[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if g.Current == nil || len(g.Goals) < 2 || len(g.Progress.Points) < 3 {
		t.Errorf("the administrator sees goals %+v, current %v, %d points", g.Goals, g.Current, len(g.Progress.Points))
	}
	mv, err := a.EngagementMeetings(as, mine[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !mv.Visible || mv.Stalled || mv.Summary == nil || mv.Summary.Ratings == 0 || len(mv.Meetings) < 4 {
		t.Errorf("the administrator sees sessions %+v", mv)
	}
	items, err := a.MyActionItems(as)
	if err != nil || len(items) == 0 {
		t.Errorf("the administrator's open action items: %v, %v", items, err)
	}
}

func newApp(t *testing.T) (*app.App, *sqldb.DB) {
	t.Helper()
	db, _ := tandemtest.MustOpenDB(t)
	a := app.New(db, &tandemtest.Mailbox{}, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://tandem.test")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	return a, db
}

// checkPersonas checks that everyone who takes part in an engagement has
// an account with the administrator's password and is listed as a persona
// with their parts.
func checkPersonas(t *testing.T, a *app.App, db *sqldb.DB, org *tandem.Org, admin *tandem.Person, password string) {
	t.Helper()
	ctx := context.Background()
	as := tandem.WithActor(ctx, &tandem.Actor{Person: admin, Org: org})
	personas, err := a.DemoPersonas(as)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]tandem.DemoPersona{}
	for _, p := range personas {
		listed[p.PersonID] = p
	}
	all, err := db.ListEngagements(ctx, org.ID, sqldb.EngagementFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		for _, id := range []int64{e.Learner.ID, e.Guide.ID, e.Manager.ID} {
			if _, ok := listed[id]; id != 0 && !ok {
				t.Errorf("party %d of engagement %d is not a persona", id, e.ID)
			}
		}
	}
	for _, p := range personas {
		if p.PersonID == admin.ID {
			continue
		}
		if p.Coach+p.Coachee+p.Mentor+p.Protege+p.Manager+p.Runs+p.Applied == 0 {
			t.Errorf("persona %s takes part in nothing", p.Email)
		}
		if _, err := a.SignIn(ctx, p.Email, password, "192.0.2.1"); err != nil {
			t.Errorf("sign in as %s: %v", p.Email, err)
		}
		break // one sign-in is enough here; the web test signs in as each
	}
	// A real organization's people get accounts only by invitation.
	other, err := a.CreateOrgWithAdmin(ctx, app.SetupInput{OrgName: "Real", Name: "Bo", Email: "bo@real.test", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.GiveDemoAccounts(ctx, other.OrgID, []int64{other.ID}, other.AccountID)
	if tandem.ErrorCode(err) != tandem.EINVALID {
		t.Errorf("accounts given in a real organization: %v", err)
	}
}

// checkDemoStates checks that the default demo has a few dozen
// engagements and every state a visitor should be able to walk: drafts
// waiting for each party, ending soon, a reversal proposed, each phase,
// closed ones of both kinds.
func checkDemoStates(t *testing.T, db *sqldb.DB, orgID int64) {
	t.Helper()
	ctx := context.Background()
	all, err := db.ListEngagements(ctx, orgID, sqldb.EngagementFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 30 {
		t.Errorf("%d engagements, want a few dozen", len(all))
	}
	today := tandem.DateOf(db.Now())
	found := map[string]bool{}
	for _, e := range all {
		k := string(e.Kind)
		found[k+" "+string(e.Status)] = true
		if e.Status == tandem.StatusActive && e.Kind == tandem.Mentoring {
			found["phase "+string(e.Phase)] = true
			if e.ReversalBy != 0 {
				found["reversal proposed"] = true
			}
		}
		if e.Status == tandem.StatusActive && e.Kind == tandem.Coaching && e.End <= today.AddMonths(1) {
			found["coaching ending soon"] = true
		}
		if e.Status != tandem.StatusDraft {
			continue
		}
		rs, err := db.Responses(ctx, orgID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		agreed := map[tandem.Party]bool{}
		for _, r := range rs {
			if r.Version == e.CurrentVersion && r.Agreed {
				agreed[r.Party] = true
			}
		}
		for _, party := range []tandem.Party{tandem.PartyLearner, tandem.PartyGuide, tandem.PartyManager} {
			if !agreed[party] && (party != tandem.PartyManager || e.ManagerRequired) {
				found[k+" waiting for the "+string(party)] = true
			}
		}
	}
	for _, want := range []string{"coaching draft", "coaching active", "coaching ended", "coaching expired",
		"mentoring draft", "mentoring active", "mentoring ended", "coaching ending soon", "reversal proposed",
		"phase initiation", "phase cultivation", "phase separation", "phase redefinition",
		"coaching waiting for the learner", "coaching waiting for the guide", "coaching waiting for the manager",
		"mentoring waiting for the learner", "mentoring waiting for the guide", "mentoring waiting for the manager"} {
		if !found[want] {
			t.Errorf("the demo has no %s", want)
		}
	}
}

// checkDemoPrograms checks the demo's programs as the administrator sees
// them: enrolling, with a questionnaire, and applications approved,
// declined and waiting.
func checkDemoPrograms(t *testing.T, a *app.App, org *tandem.Org, admin *tandem.Person) {
	t.Helper()
	as := tandem.WithActor(context.Background(), &tandem.Actor{Person: admin, Org: org})
	list, err := a.Programs(as)
	if err != nil {
		t.Fatal(err)
	}
	states := map[tandem.ProgramState]int{}
	for _, p := range list {
		states[p.State]++
	}
	if states[tandem.ProgramEnrolling] < 2 || states[tandem.ProgramMatching] != 1 || states[tandem.ProgramRunning] != 1 {
		t.Fatalf("demo programs by state: %v", states)
	}
	for _, p := range list {
		if p.State != tandem.ProgramEnrolling {
			checkDemoCohort(t, a, as, &p)
			continue
		}
		qs, err := a.Questions(as, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.State != tandem.ProgramEnrolling || len(qs) == 0 || len(p.Admins) == 0 {
			t.Errorf("program %q: %s, %d questions, admins %v", p.Name, p.State, len(qs), p.Admins)
		}
		apps, err := a.Applications(as, p.ID, sqldb.ApplicationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		by := map[tandem.ApplicationStatus]int{}
		roles := map[tandem.ApplicationRole]int{}
		for _, ap := range apps {
			by[ap.Status]++
			roles[ap.Role]++
		}
		for _, st := range []tandem.ApplicationStatus{tandem.AppApproved, tandem.AppDeclined, tandem.AppSubmitted} {
			if by[st] == 0 {
				t.Errorf("program %q has no application %s: %v", p.Name, st, by)
			}
		}
		if roles[tandem.AsMentor] == 0 || roles[tandem.AsMentee] == 0 {
			t.Errorf("program %q: applications by role %v", p.Name, roles)
		}
	}
}

// checkDemoCohort: the matching program has a run to preview, not
// published; the running one a published run whose partnerships are
// under way; every applicant approved.
func checkDemoCohort(t *testing.T, a *app.App, as context.Context, p *app.ProgramView) {
	t.Helper()
	runs, err := a.Runs(as, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Matched == 0 {
		t.Fatalf("program %q: runs %+v", p.Name, runs)
	}
	if published := runs[0].PublishedAt != nil; published != (p.State == tandem.ProgramRunning) {
		t.Errorf("program %q (%s): run published %v", p.Name, p.State, published)
	}
	apps, err := a.Applications(as, p.ID, sqldb.ApplicationFilter{Status: tandem.AppApproved})
	if err != nil || len(apps) < 5 {
		t.Errorf("program %q: %d approved applications, %v", p.Name, len(apps), err)
	}
}

package app_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// cast is an organization for engagement tests:
//
//	admin (Administrator)
//	  └ boss ─ lee (the learner)
//	coach, mentor, other: members outside lee's chain; prog: a program admin.
type cast struct {
	a     *app.App
	clock *tandemtest.Clock
	ctx   map[string]context.Context
	id    map[string]int64
	skill map[string]int64
}

func newCast(t *testing.T) *cast {
	t.Helper()
	db, clock := tandemtest.MustOpenDB(t)
	a := app.New(db, &tandemtest.Mailbox{}, testLog(), "http://tandem.test")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	c := &cast{a: a, clock: clock, ctx: map[string]context.Context{}, id: map[string]int64{}, skill: map[string]int64{}}
	c.ctx["admin"] = tandemtest.MustOrg(t, db, "Acme")
	c.id["admin"] = tandem.ActorFrom(c.ctx["admin"]).Person.ID
	for _, m := range []struct{ name, role string }{{"boss", tandem.RoleMember}, {"lee", tandem.RoleMember}, {"coach", tandem.RoleMember},
		{"mentor", tandem.RoleMember}, {"other", tandem.RoleMember}, {"prog", tandem.RoleProgramAdmin}} {
		c.ctx[m.name] = tandemtest.MustMember(t, db, c.ctx["admin"], m.name+"@acme.test", strings.ToUpper(m.name[:1])+m.name[1:], m.role)
		c.id[m.name] = tandem.ActorFrom(c.ctx[m.name]).Person.ID
	}
	orgID := tandem.ActorFrom(c.ctx["admin"]).Org.ID
	for _, pair := range [][2]string{{"boss", "admin"}, {"lee", "boss"}} {
		if err := db.SetManager(context.Background(), orgID, c.id[pair[0]], c.id[pair[1]]); err != nil {
			t.Fatal(err)
		}
	}
	// Contexts carry the person as loaded; reload so ManagerID is set.
	for name := range c.ctx {
		acct := tandem.ActorFrom(c.ctx[name]).Account.ID
		c.ctx[name] = tandemtest.MustActorContext(t, db, acct, orgID)
	}
	for _, s := range []string{"Go", "Facilitation", "Old craft"} {
		sk, err := a.CreateSkill(c.ctx["admin"], s)
		if err != nil {
			t.Fatal(err)
		}
		c.skill[s] = sk.ID
	}
	if err := a.SetSkillRetired(c.ctx["admin"], c.skill["Old craft"], true); err != nil {
		t.Fatal(err)
	}
	return c
}

func agreement() tandem.Agreement {
	return tandem.Agreement{Outcomes: []string{"Lead an incident review calmly"}, Cadence: "Every two weeks", Channels: "Video",
		Confidentiality: "What we discuss stays between us", ReviewMethod: "Monthly check", ExitTerms: "Either may end it after a talk",
		Start: "2026-03-02", End: "2026-06-01", EvaluationMethod: "Rubric with examples"}
}

func (c *cast) coaching(t *testing.T, who, learner, guide, skill string) *tandem.Engagement {
	t.Helper()
	e, err := c.a.Propose(c.ctx[who], tandem.Proposal{Kind: tandem.Coaching, LearnerID: c.id[learner], GuideID: c.id[guide],
		SkillID: c.skill[skill], Setting: "Online", Agreement: agreement()}, "")
	if err != nil {
		t.Fatalf("propose coaching: %v", err)
	}
	return e
}

func (c *cast) mentoring(t *testing.T, who, learner, guide string) *tandem.Engagement {
	t.Helper()
	e, err := c.a.Propose(c.ctx[who], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id[learner], GuideID: c.id[guide], Agreement: agreement()}, "")
	if err != nil {
		t.Fatalf("propose mentoring: %v", err)
	}
	return e
}

// agreeAll has the named parties agree to the current version.
func (c *cast) agreeAll(t *testing.T, id int64, who ...string) *tandem.Engagement {
	t.Helper()
	var e *tandem.Engagement
	for _, w := range who {
		v, err := c.a.Engagement(c.ctx[w], id)
		if err != nil {
			t.Fatal(err)
		}
		if e, err = c.a.Respond(c.ctx[w], id, v.Engagement.CurrentVersion, true, ""); err != nil {
			t.Fatalf("%s agrees: %v", w, err)
		}
	}
	return e
}

// reverse has by propose swapping roles and other accept.
func (c *cast) reverse(t *testing.T, id int64, by, other string) *tandem.Engagement {
	t.Helper()
	if _, err := c.a.ProposeReversal(c.ctx[by], id, ""); err != nil {
		t.Fatal(err)
	}
	e, err := c.a.AnswerReversal(c.ctx[other], id, true)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func code(err error) string { return tandem.ErrorCode(err) }

func TestCoachingRules(t *testing.T) {
	c := newCast(t)
	propose := func(edit func(p *tandem.Proposal)) error {
		p := tandem.Proposal{Kind: tandem.Coaching, LearnerID: c.id["lee"], GuideID: c.id["coach"], SkillID: c.skill["Facilitation"], Setting: "Site", Agreement: agreement()}
		edit(&p)
		_, err := c.a.Propose(c.ctx["lee"], p, "")
		return err
	}
	for name, tc := range map[string]struct {
		edit  func(p *tandem.Proposal)
		field string
	}{
		"NoSkill":       {func(p *tandem.Proposal) { p.SkillID = 0 }, "skill"},
		"NotInCatalog":  {func(p *tandem.Proposal) { p.SkillID = 99999 }, "skill"},
		"RetiredSkill":  {func(p *tandem.Proposal) { p.SkillID = c.skill["Old craft"] }, "skill"},
		"NoEnd":         {func(p *tandem.Proposal) { p.Agreement.End = "" }, "end"},
		"EndFirst":      {func(p *tandem.Proposal) { p.Agreement.End = "2026-01-01" }, "end"},
		"TooLong":       {func(p *tandem.Proposal) { p.Agreement.End = "2026-12-01" }, "end"},
		"NoOutcome":     {func(p *tandem.Proposal) { p.Agreement.Outcomes = nil }, "outcomes"},
		"NoSetting":     {func(p *tandem.Proposal) { p.Setting = " " }, "setting"},
		"SamePerson":    {func(p *tandem.Proposal) { p.GuideID = c.id["lee"] }, "guide"},
		"OtherOrgGuide": {func(p *tandem.Proposal) { p.GuideID = 424242 }, "guide"},
	} {
		t.Run("Err"+name, func(t *testing.T) {
			if err := propose(tc.edit); tandem.ErrorFields(err)[tc.field] == "" {
				t.Errorf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
	if list, _ := c.a.MyEngagements(c.ctx["lee"]); len(list) != 0 {
		t.Fatalf("refused proposals left %d engagements", len(list))
	}

	first := c.coaching(t, "lee", "lee", "coach", "Go")
	if first.Status != tandem.StatusDraft || first.Manager.ID != c.id["boss"] || !first.ManagerRequired {
		t.Fatalf("draft = %+v", first)
	}
	t.Run("ErrSecondOpenSameSkill", func(t *testing.T) {
		_, err := c.a.Propose(c.ctx["lee"], tandem.Proposal{Kind: tandem.Coaching, LearnerID: c.id["lee"], GuideID: c.id["mentor"],
			SkillID: c.skill["Go"], Setting: "Online", Agreement: agreement()}, "")
		if code(err) != tandem.ECONFLICT || !strings.Contains(tandem.ErrorMessage(err), "with Coach") {
			t.Fatalf("second Go coaching: %v", err)
		}
	})
	t.Run("ErrMergeSkillInUse", func(t *testing.T) {
		if err := c.a.MergeSkills(c.ctx["admin"], c.skill["Go"], c.skill["Facilitation"]); tandem.ErrorFields(err)["into"] == "" {
			t.Errorf("merging away a skill an engagement is about: %v", err)
		}
	})
	t.Run("OtherSkillSameCoach", func(t *testing.T) {
		c.coaching(t, "boss", "lee", "coach", "Facilitation")
	})
	t.Run("ManagerAsCoach", func(t *testing.T) {
		e := c.coaching(t, "boss", "boss", "admin", "Go")
		if e.Manager.ID != 0 {
			t.Errorf("the coach who is the manager is also the manager party: %+v", e.Manager)
		}
	})

	// Proposing is agreeing: lee proposed, so version 1 waits for the
	// coach and the manager only, and lee has nothing to answer.
	pv, err := c.a.Engagement(c.ctx["lee"], first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w := pv.Waiting(); strings.Join(w, ";") != "Coach;Boss (manager)" || pv.AwaitsMe || pv.MyResponse == nil || !pv.AuthorAgreed(*pv.MyResponse) {
		t.Fatalf("after lee's proposal: waiting %q, awaits lee %v, lee's answer %+v", w, pv.AwaitsMe, pv.MyResponse)
	}
	awaits := func(who string) bool {
		list, err := c.a.AwaitingMyAnswer(c.ctx[who])
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.ID == first.ID {
				return true
			}
		}
		return false
	}
	if awaits("lee") || !awaits("coach") || !awaits("boss") {
		t.Errorf("waiting on: lee %v (the proposer), coach %v, boss %v", awaits("lee"), awaits("coach"), awaits("boss"))
	}

	// Activation needs every required party on the same version.
	e := c.agreeAll(t, first.ID, "coach")
	if e.Status != tandem.StatusDraft {
		t.Fatal("active without the manager")
	}
	if _, err := c.a.Revise(c.ctx["coach"], first.ID, agreement()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Respond(c.ctx["boss"], first.ID, 1, true, ""); code(err) != tandem.ECONFLICT {
		t.Fatalf("agreeing to a superseded version: %v", err)
	}
	// The coach wrote version 2 and so agreed to it; lee's agreement to
	// version 1 does not count for it.
	e = c.agreeAll(t, first.ID, "boss")
	if e.Status != tandem.StatusDraft {
		t.Fatal("earlier agreements counted for the new version")
	}
	e = c.agreeAll(t, first.ID, "lee")
	if e.Status != tandem.StatusActive || e.AgreedVersion != 2 {
		t.Fatalf("after all agreed: %s v%d", e.Status, e.AgreedVersion)
	}
	v, _ := c.a.Engagement(c.ctx["lee"], first.ID)
	if len(v.Versions) != 2 || len(v.Responses) != 5 {
		t.Errorf("history: %d versions, %d responses", len(v.Versions), len(v.Responses))
	}

	t.Run("Extension", func(t *testing.T) {
		ext := agreement()
		ext.End = "2026-08-31"
		if _, err := c.a.Revise(c.ctx["lee"], first.ID, ext); err != nil {
			t.Fatal(err)
		}
		e := c.agreeAll(t, first.ID, "lee", "coach")
		if e.End != "2026-06-01" || e.Status != tandem.StatusActive {
			t.Fatalf("the extension took effect before the manager agreed: %s", e.End)
		}
		e = c.agreeAll(t, first.ID, "boss")
		if e.End != "2026-08-31" {
			t.Fatalf("end = %s after the extension was agreed", e.End)
		}
	})
	t.Run("Expiry", func(t *testing.T) {
		c.clock.Set(time.Date(2026, 8, 31, 12, 0, 0, 0, time.UTC))
		if n, _ := c.a.ExpireDue(context.Background()); n != 0 {
			t.Fatalf("expired %d on the end date", n)
		}
		c.clock.Set(time.Date(2026, 9, 1, 0, 30, 0, 0, time.UTC))
		if n, err := c.a.ExpireDue(context.Background()); n != 1 || err != nil {
			t.Fatalf("expired %d, %v", n, err)
		}
		v, _ := c.a.Engagement(c.ctx["lee"], first.ID)
		if v.Engagement.Status != tandem.StatusExpired || v.Engagement.EndedOn != "2026-08-31" {
			t.Fatalf("after expiry: %s on %s", v.Engagement.Status, v.Engagement.EndedOn)
		}
		if _, err := c.a.Revise(c.ctx["lee"], first.ID, agreement()); code(err) != tandem.EINVALID {
			t.Errorf("revising an expired engagement: %v", err)
		}
		if _, err := c.a.SetPhase(c.ctx["lee"], first.ID, tandem.PhaseCultivation, ""); code(err) != tandem.EINVALID {
			t.Errorf("phase on coaching: %v", err)
		}
	})
	t.Run("MovingOn", func(t *testing.T) {
		next := c.coaching(t, "lee", "lee", "mentor", "Go")
		if next.PreviousID != first.ID {
			t.Fatalf("previous = %d, want %d", next.PreviousID, first.ID)
		}
		if _, err := c.a.Engagement(c.ctx["mentor"], first.ID); code(err) != tandem.ENOTFOUND {
			t.Errorf("new coach reads the old engagement without permission: %v", err)
		}
		if _, err := c.a.SetShareHistory(c.ctx["mentor"], next.ID, true); code(err) != tandem.EFORBIDDEN {
			t.Errorf("the coach shared the coachee's history: %v", err)
		}
		if _, err := c.a.SetShareHistory(c.ctx["lee"], next.ID, true); err != nil {
			t.Fatal(err)
		}
		v, err := c.a.Engagement(c.ctx["mentor"], first.ID)
		if err != nil || v.Viewer != tandem.ViewerSuccessor || len(v.Versions) == 0 {
			t.Fatalf("successor view: %v %+v", err, v)
		}
		nv, _ := c.a.Engagement(c.ctx["mentor"], next.ID)
		if nv.Previous == nil || nv.Previous.ID != first.ID {
			t.Error("the new engagement does not link the old one for its coach")
		}
	})
}

func TestMentoringRules(t *testing.T) {
	c := newCast(t)
	t.Run("ErrInChain", func(t *testing.T) {
		for _, pair := range [][2]string{{"lee", "boss"}, {"lee", "admin"}, {"boss", "lee"}} {
			_, err := c.a.Propose(c.ctx["lee"], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id[pair[0]], GuideID: c.id[pair[1]], Agreement: agreement()}, "")
			if tandem.ErrorFields(err)["guide"] == "" || !strings.Contains(tandem.ErrorMessage(err), "outside the supervisory hierarchy") {
				t.Errorf("%s mentored by %s: %v", pair[0], pair[1], err)
			}
		}
		if _, err := c.a.Propose(c.ctx["boss"], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id["lee"], GuideID: c.id["boss"], Agreement: agreement()}, "because"); code(err) != tandem.EFORBIDDEN {
			t.Errorf("a member granted an exception: %v", err)
		}
		e, err := c.a.Propose(c.ctx["admin"], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id["lee"], GuideID: c.id["boss"], Agreement: agreement()},
			"Small team, no other mentor for this craft")
		if err != nil || e.Exception == "" || e.ExceptionBy.ID != c.id["admin"] {
			t.Fatalf("admin exception: %v %+v", err, e)
		}
		if _, err := c.a.AllowException(c.ctx["admin"], e.ID, "Another reason"); code(err) != tandem.ECONFLICT {
			t.Errorf("an exception recorded over another: %v", err)
		}
		v, err := c.a.Engagement(c.ctx["admin"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var types []tandem.EventType
		for _, ev := range v.Events {
			types = append(types, ev.Type)
		}
		if !slices.Equal(types, []tandem.EventType{tandem.EventProposed, tandem.EventException}) {
			t.Errorf("timeline of a proposal with an exception = %v, want proposed then exception", types)
		}
	})

	m := c.mentoring(t, "lee", "lee", "mentor")
	if len(m.Areas) != len(tandem.Areas) || m.End != "" {
		t.Errorf("mentoring = areas %v end %q", m.Areas, m.End)
	}
	if _, err := c.a.SetPhase(c.ctx["lee"], m.ID, tandem.PhaseCultivation, ""); code(err) != tandem.EINVALID {
		t.Errorf("phase on a draft: %v", err)
	}
	m = c.agreeAll(t, m.ID, "lee", "mentor", "boss")
	if m.Status != tandem.StatusActive || m.Phase != tandem.PhaseInitiation || m.NextReview != "2026-06-02" {
		t.Fatalf("active = %s %s next review %s", m.Status, m.Phase, m.NextReview)
	}
	t.Run("Phases", func(t *testing.T) {
		for _, step := range []struct {
			who   string
			phase tandem.Phase
		}{{"mentor", tandem.PhaseCultivation}, {"lee", tandem.PhaseSeparation}, {"lee", tandem.PhaseCultivation}} {
			if _, err := c.a.SetPhase(c.ctx[step.who], m.ID, step.phase, "why: "+string(step.phase)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.a.SetPhase(c.ctx["boss"], m.ID, tandem.PhaseRedefinition, ""); code(err) != tandem.EFORBIDDEN {
			t.Errorf("the manager moved the phase: %v", err)
		}
		if _, err := c.a.SetPhase(c.ctx["lee"], m.ID, "graduation", ""); tandem.ErrorFields(err)["phase"] == "" {
			t.Errorf("unknown phase: %v", err)
		}
		v, _ := c.a.Engagement(c.ctx["lee"], m.ID)
		var hist []string
		for _, ev := range v.Events {
			if ev.Type == tandem.EventPhase {
				hist = append(hist, ev.Actor.Name+":"+ev.Detail)
			}
		}
		if got := strings.Join(hist, ", "); got != "Mentor:initiation → cultivation, Lee:cultivation → separation, Lee:separation → cultivation" {
			t.Errorf("phase history %s", got)
		}
		bv, _ := c.a.Engagement(c.ctx["boss"], m.ID)
		for _, ev := range bv.Events {
			if ev.Type == tandem.EventPhase {
				t.Error("the manager sees the phase history")
			}
		}
	})
	t.Run("TwoWay", func(t *testing.T) {
		for _, who := range []string{"lee", "mentor"} {
			if _, err := c.a.AddItem(c.ctx[who], m.ID, false, "Agenda from "+who); err != nil {
				t.Fatal(err)
			}
			if _, err := c.a.AddItem(c.ctx[who], m.ID, true, "What "+who+" learned"); err != nil {
				t.Fatal(err)
			}
		}
		v, _ := c.a.Engagement(c.ctx["mentor"], m.ID)
		if len(v.Items) != 4 {
			t.Errorf("%d items", len(v.Items))
		}
		if bv, _ := c.a.Engagement(c.ctx["boss"], m.ID); len(bv.Items) != 0 || len(bv.Versions) == 0 {
			t.Errorf("the manager sees %d items and %d versions", len(bv.Items), len(bv.Versions))
		}
	})
	t.Run("Reversal", func(t *testing.T) {
		if _, err := c.a.ProposeReversal(c.ctx["mentor"], m.ID, "Lee knows more Go than I do now"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.a.AnswerReversal(c.ctx["mentor"], m.ID, true); code(err) != tandem.EFORBIDDEN {
			t.Errorf("the proposer accepted their own reversal: %v", err)
		}
		r, err := c.a.AnswerReversal(c.ctx["lee"], m.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if r.Learner.ID != c.id["mentor"] || r.Guide.ID != c.id["lee"] || r.Manager.ID != 0 {
			t.Fatalf("after reversal: learner %s guide %s manager %d", r.Learner.Name, r.Guide.Name, r.Manager.ID)
		}
		v, _ := c.a.Engagement(c.ctx["lee"], m.ID)
		if len(v.Versions) != 1 || v.Events[len(v.Events)-1].Type != tandem.EventReversed {
			t.Error("the history did not stay whole through the reversal")
		}
		// The old manager is no longer a party: they no longer see it.
		if _, err := c.a.Engagement(c.ctx["boss"], m.ID); code(err) != tandem.ENOTFOUND {
			t.Errorf("the former protégé's manager still sees it: %v", err)
		}
	})
	t.Run("ErrReversalIntoChain", func(t *testing.T) {
		e, err := c.a.Propose(c.ctx["admin"], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id["boss"], GuideID: c.id["other"], Agreement: agreement()}, "")
		if err != nil {
			t.Fatal(err)
		}
		c.agreeAll(t, e.ID, "boss", "other") // the administrator, boss's manager, proposed: agreed
		// Make "other" report to boss: a reversal now puts a manager as mentee.
		if err := c.a.SetManager(c.ctx["admin"], c.id["other"], c.id["boss"]); err != nil {
			t.Fatal(err)
		}
		c.a.ProposeReversal(c.ctx["boss"], e.ID, "")
		if _, err := c.a.AnswerReversal(c.ctx["other"], e.ID, true); tandem.ErrorFields(err)["guide"] == "" {
			t.Fatalf("reversal inside the chain: %v", err)
		}
		v, _ := c.a.Engagement(c.ctx["boss"], e.ID)
		if v.Engagement.Learner.ID != c.id["boss"] {
			t.Error("a refused reversal swapped the roles")
		}
	})
	t.Run("ReversalAsksTheNewManager", func(t *testing.T) {
		// Lee (boss's report) mentored by Coach, who reports to Admin: after
		// the reversal Coach is the protégé and Admin the manager party,
		// who has agreed to nothing yet.
		if err := c.a.SetManager(c.ctx["admin"], c.id["coach"], c.id["admin"]); err != nil {
			t.Fatal(err)
		}
		e := c.mentoring(t, "lee", "lee", "coach")
		c.agreeAll(t, e.ID, "lee", "coach", "boss")
		r := c.reverse(t, e.ID, "lee", "coach")
		if r.Manager.ID != c.id["admin"] || r.Status != tandem.StatusActive || r.CurrentVersion != 2 || r.AgreedVersion != 1 {
			t.Fatalf("after reversal: manager %d status %s version %d in effect %d", r.Manager.ID, r.Status, r.CurrentVersion, r.AgreedVersion)
		}
		v, err := c.a.Engagement(c.ctx["admin"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w := v.Engagement.Waiting(v.Responses); len(w) != 1 || w[0] != tandem.PartyManager {
			t.Errorf("waiting for %v, want the new manager alone", w)
		}
		if r = c.agreeAll(t, e.ID, "admin"); r.AgreedVersion != 2 {
			t.Errorf("the new manager agreed: version in effect %d, want 2", r.AgreedVersion)
		}
	})
	t.Run("ErrCoachingReversal", func(t *testing.T) {
		e := c.coaching(t, "lee", "lee", "coach", "Go")
		c.agreeAll(t, e.ID, "lee", "coach", "boss")
		if _, err := c.a.ProposeReversal(c.ctx["lee"], e.ID, ""); code(err) != tandem.EINVALID {
			t.Errorf("coaching reversal: %v", err)
		}
	})
	t.Run("ReviewAndClose", func(t *testing.T) {
		c.clock.Set(time.Date(2026, 6, 3, 9, 0, 0, 0, time.UTC))
		v, _ := c.a.Engagement(c.ctx["lee"], m.ID)
		if !v.ReviewDue {
			t.Error("the review point is not due")
		}
		e, err := c.a.Review(c.ctx["lee"], m.ID, tandem.ReviewContinue, "")
		if err != nil || e.NextReview != "2026-09-03" {
			t.Fatalf("continue: %v next %s", err, e.NextReview)
		}
		if _, err := c.a.Review(c.ctx["lee"], m.ID, tandem.ReviewClose, ""); tandem.ErrorFields(err)["note"] == "" {
			t.Errorf("closing without a word: %v", err)
		}
		e, err = c.a.Review(c.ctx["mentor"], m.ID, tandem.ReviewClose, "We reached what we set out to do")
		if err != nil || e.Status != tandem.StatusEnded {
			t.Fatalf("close: %v %s", err, e.Status)
		}
		if _, err := c.a.SetPhase(c.ctx["lee"], m.ID, tandem.PhaseRedefinition, ""); code(err) != tandem.EINVALID {
			t.Errorf("phase on an ended partnership: %v", err)
		}
		if _, err := c.a.ProposeReversal(c.ctx["lee"], m.ID, ""); code(err) != tandem.EINVALID {
			t.Errorf("reversal on an ended partnership: %v", err)
		}
	})
}

func TestManagerOptionalForMentoring(t *testing.T) {
	c := newCast(t)
	s, _ := c.a.Settings(c.ctx["admin"])
	s.MentoringManagerOptional = true
	if err := c.a.SetSettings(c.ctx["admin"], s); err != nil {
		t.Fatal(err)
	}
	m := c.mentoring(t, "lee", "lee", "mentor")
	if m = c.agreeAll(t, m.ID, "lee", "mentor"); m.Status != tandem.StatusActive {
		t.Errorf("with the manager optional: %s", m.Status)
	}
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	if e = c.agreeAll(t, e.ID, "lee", "coach"); e.Status != tandem.StatusDraft {
		t.Errorf("coaching went active without the manager")
	}
	s.StalledDays = 2
	if err := c.a.SetSettings(c.ctx["admin"], s); tandem.ErrorFields(err)["stalled_days"] == "" {
		t.Errorf("bad settings: %v", err)
	}
	if err := c.a.SetSettings(c.ctx["boss"], s); code(err) != tandem.EFORBIDDEN {
		t.Errorf("member changed settings: %v", err)
	}
}

func TestEngagementVisibility(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	for who, want := range map[string]tandem.Viewer{"lee": tandem.ViewerLearner, "coach": tandem.ViewerGuide, "boss": tandem.ViewerManager,
		"prog": tandem.ViewerProgramAdmin, "admin": tandem.ViewerAdmin} {
		v, err := c.a.Engagement(c.ctx[who], e.ID)
		if err != nil || v.Viewer != want {
			t.Errorf("%s: %v %v", who, v, err)
			continue
		}
		if got := len(v.Versions) > 0; got != tandem.Can(tandem.Coaching, want, tandem.FacetAgreement) {
			t.Errorf("%s sees the agreement: %v", who, got)
		}
	}
	for _, who := range []string{"other", "mentor"} {
		if _, err := c.a.Engagement(c.ctx[who], e.ID); code(err) != tandem.ENOTFOUND {
			t.Errorf("%s: %v, want not found", who, err)
		}
		if _, err := c.a.Respond(c.ctx[who], e.ID, 1, true, ""); code(err) != tandem.ENOTFOUND {
			t.Errorf("%s answers: %v", who, err)
		}
	}
	if _, err := c.a.Respond(c.ctx["prog"], e.ID, 1, true, ""); code(err) != tandem.EFORBIDDEN {
		t.Errorf("program admin answers: %v", err)
	}
	// An ending is status for administrators; the words of whoever ended it
	// are not.
	if _, err := c.a.End(c.ctx["lee"], e.ID, "Private reason about my coach"); err != nil {
		t.Fatal(err)
	}
	for who, sees := range map[string]bool{"admin": false, "prog": false, "boss": true, "coach": true} {
		v, err := c.a.Engagement(c.ctx[who], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := strings.Contains(v.Engagement.EndReason, "Private reason")
		for _, ev := range v.Events {
			found = found || strings.Contains(ev.Note, "Private reason")
		}
		if found != sees {
			t.Errorf("%s sees the end reason (field or timeline): %v, want %v", who, found, sees)
		}
	}
	if list, err := c.a.AllEngagements(c.ctx["prog"], sqldb.EngagementFilter{}); err != nil || len(list) != 1 {
		t.Errorf("program admin list: %v %v", list, err)
	}
	if _, err := c.a.AllEngagements(c.ctx["other"], sqldb.EngagementFilter{}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("member lists all: %v", err)
	}
}

// TestConcurrentAnswers has two parties answer at the same moment, one to
// version 1 and one revising to version 2 then answering it; whatever the
// order, no answer reported as recorded is lost and a stale one is refused.
func TestConcurrentAnswers(t *testing.T) {
	c := newCast(t)
	for round := 0; round < 5; round++ {
		e := c.mentoring(t, "admin", "other", "mentor")
		var wg sync.WaitGroup
		var errAgree, errRevise error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, errAgree = c.a.Respond(c.ctx["other"], e.ID, 1, true, "")
		}()
		go func() {
			defer wg.Done()
			_, errRevise = c.a.Revise(c.ctx["mentor"], e.ID, agreement())
		}()
		wg.Wait()
		if errRevise != nil {
			t.Fatalf("revise: %v", errRevise)
		}
		v, _ := c.a.Engagement(c.ctx["other"], e.ID)
		if errAgree == nil {
			if len(v.ResponsesTo(1)) != 1 {
				t.Fatalf("a reported agreement was lost: %+v", v.Responses)
			}
		} else if code(errAgree) != tandem.ECONFLICT {
			t.Fatalf("stale answer: %v", errAgree)
		}
		// The mentor wrote version 2, which is their agreement; no other
		// answer reaches it.
		if rs := v.ResponsesTo(2); len(rs) != 1 || rs[0].PersonID != c.id["mentor"] || v.Engagement.CurrentVersion != 2 {
			t.Fatalf("version 2 has others' answers or is not current: %+v", v)
		}
		c.a.End(c.ctx["other"], e.ID, "test round over")
	}
}

func testLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestChainConflict: a reporting line changed after a mentoring
// partnership started puts the mentor in the protégé's chain; new work
// waits for an administrator's exception (or the end).
func TestChainConflict(t *testing.T) {
	c := newCast(t)
	m := c.mentoring(t, "lee", "lee", "mentor")
	c.agreeAll(t, m.ID, "lee", "mentor", "boss")
	if _, err := c.a.AddTheme(c.ctx["mentor"], m.ID, tandem.Theme{Area: tandem.AreaCareer, Title: "Speaking up"}); err != nil {
		t.Fatal(err)
	}
	booked, err := c.a.ScheduleMeeting(c.ctx["lee"], m.ID, tandem.MeetingInput{Start: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC), Minutes: 30, Place: "Café"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.a.SetManager(c.ctx["admin"], c.id["lee"], c.id["mentor"]); err != nil {
		t.Fatal(err)
	}
	v, err := c.a.Engagement(c.ctx["lee"], m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Engagement.ChainConflict() || v.CanAllowException {
		t.Fatalf("after the reorg: conflict %v, the protégé may allow an exception %v", v.Engagement.ChainConflict(), v.CanAllowException)
	}
	// No form offers what would be refused.
	mv, err := c.a.EngagementMeetings(c.ctx["lee"], m.ID)
	if err != nil {
		t.Fatal(err)
	}
	gv, err := c.a.Goals(c.ctx["lee"], m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.CanAddItems || mv.CanSchedule || gv.CanAddTheme || gv.CanReflect {
		t.Errorf("offered inside the chain: items %v, sessions %v, themes %v, reflections %v", v.CanAddItems, mv.CanSchedule, gv.CanAddTheme, gv.CanReflect)
	}
	// A session booked before: what happened can still be recorded, but it
	// is not moved.
	bv, err := c.a.Meeting(c.ctx["lee"], m.ID, booked.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bv.CanChange || bv.CanReschedule {
		t.Errorf("a booked session inside the chain: change %v, reschedule %v", bv.CanChange, bv.CanReschedule)
	}
	if _, err := c.a.AddTheme(c.ctx["mentor"], m.ID, tandem.Theme{Area: tandem.AreaCareer, Title: "Delegating"}); code(err) != tandem.ECONFLICT {
		t.Errorf("a theme inside the chain: %v", err)
	}
	start := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	if _, err := c.a.ScheduleMeeting(c.ctx["lee"], m.ID, tandem.MeetingInput{Start: start, Minutes: 30, Place: "Café"}); code(err) != tandem.ECONFLICT {
		t.Errorf("a session inside the chain: %v", err)
	}
	av, err := c.a.Engagement(c.ctx["admin"], m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !av.CanAllowException {
		t.Fatal("the administrator is not offered the exception")
	}
	if _, err := c.a.AllowException(c.ctx["admin"], m.ID, "Lee moved into Mentor's team; they keep the partnership until the summer"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AddTheme(c.ctx["mentor"], m.ID, tandem.Theme{Area: tandem.AreaCareer, Title: "Delegating"}); err != nil {
		t.Errorf("a theme after the exception: %v", err)
	}
	if _, err := c.a.ScheduleMeeting(c.ctx["lee"], m.ID, tandem.MeetingInput{Start: start, Minutes: 30, Place: "Café"}); err != nil {
		t.Errorf("a session after the exception: %v", err)
	}
}

// TestReversalEdges: when the new protégé reports to the new mentor there
// is no manager party (as at a proposal), and a reversal waits for a
// proposed version of the agreement to be settled rather than lose it.
func TestReversalEdges(t *testing.T) {
	c := newCast(t)
	if err := c.a.SetManager(c.ctx["admin"], c.id["coach"], c.id["lee"]); err != nil {
		t.Fatal(err)
	}
	e, err := c.a.Propose(c.ctx["admin"], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id["lee"], GuideID: c.id["coach"], Agreement: agreement()},
		"Coach reports to Lee, but knows the craft best")
	if err != nil {
		t.Fatal(err)
	}
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	r := c.reverse(t, e.ID, "lee", "coach")
	if r.Learner.ID != c.id["coach"] || r.Manager.ID != 0 || r.CurrentVersion != r.AgreedVersion {
		t.Errorf("the new protégé's manager is the mentor: manager %d, version %d in effect %d", r.Manager.ID, r.CurrentVersion, r.AgreedVersion)
	}

	// Mentor reports to Admin: after a reversal Admin would be asked to
	// agree to the terms in effect, as a new version.
	if err := c.a.SetManager(c.ctx["admin"], c.id["mentor"], c.id["admin"]); err != nil {
		t.Fatal(err)
	}
	m := c.mentoring(t, "lee", "lee", "mentor")
	c.agreeAll(t, m.ID, "lee", "mentor", "boss")
	changed := agreement()
	changed.Outcomes = []string{"Lead two incident reviews calmly"}
	if _, err := c.a.Revise(c.ctx["lee"], m.ID, changed); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.ProposeReversal(c.ctx["mentor"], m.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AnswerReversal(c.ctx["lee"], m.ID, true); code(err) != tandem.ECONFLICT {
		t.Errorf("reversal over a pending version: %v", err)
	}
	v, err := c.a.Engagement(c.ctx["lee"], m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Engagement.Learner.ID != c.id["lee"] || len(v.Versions) != 2 {
		t.Errorf("a refused reversal changed the partnership: learner %d, %d versions", v.Engagement.Learner.ID, len(v.Versions))
	}

	// Other has no manager: no one new is asked, so the pending version
	// stays as it is and the roles swap.
	o := c.mentoring(t, "lee", "lee", "other")
	c.agreeAll(t, o.ID, "lee", "other", "boss")
	if _, err := c.a.Revise(c.ctx["lee"], o.ID, changed); err != nil {
		t.Fatal(err)
	}
	r = c.reverse(t, o.ID, "other", "lee")
	if r.Learner.ID != c.id["other"] || r.CurrentVersion != 2 || r.AgreedVersion != 1 {
		t.Errorf("reversal with a pending version and no new manager: learner %d, version %d in effect %d", r.Learner.ID, r.CurrentVersion, r.AgreedVersion)
	}
}

// TestProposingIsAgreeing: a party who proposes (or revises) agrees to
// that version in the same step, as the party they are; anyone else who
// proposes for others agrees for no one.
func TestProposingIsAgreeing(t *testing.T) {
	c := newCast(t)
	answers := func(id int64, version int) map[string]tandem.Party {
		t.Helper()
		v, err := c.a.Engagement(c.ctx["admin"], id)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := c.a.DB.Responses(context.Background(), v.Engagement.OrgID, id)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]tandem.Party{}
		for _, r := range rs {
			if r.Version == version && r.Agreed {
				out[r.PersonName] = r.Party
			}
		}
		return out
	}
	// The manager proposes: agreed as the manager.
	byBoss := c.coaching(t, "boss", "lee", "coach", "Go")
	if got := answers(byBoss.ID, 1); len(got) != 1 || got["Boss"] != tandem.PartyManager {
		t.Errorf("the manager's proposal: answers %v", got)
	}
	// A program admin and an administrator propose for others: nobody agrees.
	byProg := c.mentoring(t, "prog", "other", "mentor")
	byAdmin := c.coaching(t, "admin", "lee", "coach", "Facilitation")
	for _, e := range []*tandem.Engagement{byProg, byAdmin} {
		if got := answers(e.ID, 1); len(got) != 0 {
			t.Errorf("a proposal by someone who is not a party agreed for %v", got)
		}
	}
	// The guide proposes mentoring: agreed as the guide; the timeline
	// has the proposal and the agreement at the same instant.
	byMentor := c.mentoring(t, "mentor", "other", "mentor")
	if got := answers(byMentor.ID, 1); len(got) != 1 || got["Mentor"] != tandem.PartyGuide {
		t.Errorf("the mentor's proposal: answers %v", got)
	}
	v, err := c.a.Engagement(c.ctx["other"], byMentor.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Events) != 2 || v.Events[0].Type != tandem.EventProposed || v.Events[1].Type != tandem.EventAgreed ||
		!v.Events[0].At.Equal(v.Events[1].At) || v.Events[1].Actor.ID != c.id["mentor"] {
		t.Errorf("timeline: %+v", v.Events)
	}
	if !v.AwaitsMe {
		t.Error("the protégé is not asked to answer")
	}
	// The protégé agrees: active, the proposer never answering.
	if e := c.agreeAll(t, byMentor.ID, "other"); e.Status != tandem.StatusActive {
		t.Fatalf("after the protégé agreed: %s", e.Status)
	}
	// A revision by the protégé is their agreement; the mentor answers.
	if _, err := c.a.Revise(c.ctx["other"], byMentor.ID, agreement()); err != nil {
		t.Fatal(err)
	}
	if got := answers(byMentor.ID, 2); len(got) != 1 || got["Other"] != tandem.PartyLearner {
		t.Errorf("the revision: answers %v", got)
	}
	if e := c.agreeAll(t, byMentor.ID, "mentor"); e.AgreedVersion != 2 {
		t.Errorf("version 2 not in effect after the mentor agreed: v%d", e.AgreedVersion)
	}
}

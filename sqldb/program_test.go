package sqldb_test

import (
	"context"
	"sync"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

func TestProgramStore(t *testing.T) {
	p := newPair(t)
	ctx := context.Background()
	db := p.db
	prog := &tandem.Program{OrgID: p.org, Name: "Spring cohort", Description: "Grow together", Eligibility: tandem.EnrollDepartments,
		Eligible: []string{"Sales", "R&D"}, EnrollOpens: "2026-03-01", EnrollCloses: "2026-03-20", MentorCapacity: 2,
		Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaPurpose}}
	if err := prog.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProgram(ctx, prog, []int64{p.guide}, p.learner); err != nil {
		t.Fatal(err)
	}
	got, err := db.ProgramByID(ctx, p.org, prog.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Spring cohort" || got.State != tandem.ProgramDraft || len(got.Eligible) != 2 || got.Eligible[1] != "R&D" ||
		len(got.Areas) != 2 || got.Areas[1] != tandem.AreaPurpose || got.MentorCapacity != 2 || len(got.Admins) != 1 || got.Admins[0].ID != p.guide {
		t.Errorf("read back: %+v", got)
	}
	// Another organization sees no such program, and cannot name its
	// people as admins.
	if _, err := db.ProgramByID(ctx, p.otherOrg, prog.ID); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("other org reads the program: %v", err)
	}
	if err := db.SetProgramAdmins(ctx, p.org, prog.ID, []int64{p.otherOrgUser}); tandem.ErrorFields(err)["admins"] == "" {
		t.Errorf("a person of another organization named admin: %v", err)
	}
	if list, err := db.ListPrograms(ctx, p.org); err != nil || len(list) != 1 || len(list[0].Admins) != 1 {
		t.Errorf("list: %+v %v", list, err)
	}

	// Questions: added in order; an answered one keeps its meaning and
	// cannot be deleted.
	sk := &tandem.Skill{OrgID: p.org, Name: "Negotiation"}
	if err := db.CreateSkill(ctx, sk); err != nil {
		t.Fatal(err)
	}
	track := &tandem.Question{ProgramID: prog.ID, Type: tandem.QuestionSingle, Label: "Track", Options: []string{"A", "B"}, Required: true, Rule: tandem.RuleSame, Weight: 3}
	skills := &tandem.Question{ProgramID: prog.ID, Type: tandem.QuestionSkills, Label: "Skills", Rule: tandem.RuleMentorAbove, Weight: 5}
	for _, q := range []*tandem.Question{track, skills} {
		if err := db.AddQuestion(ctx, p.org, q); err != nil {
			t.Fatal(err)
		}
	}
	if skills.Position != 2 {
		t.Errorf("second question at %d", skills.Position)
	}

	ap := &tandem.Application{ProgramID: prog.ID, Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{track.ID: {Choices: []string{"A"}}}}
	if err := db.Apply(ctx, p.org, p.learner, ap, false); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("apply to a draft: %v", err)
	}
	if _, err := db.MoveProgram(ctx, p.org, prog.ID, tandem.ProgramMatching, 0); tandem.ErrorFields(err)["state"] == "" {
		t.Errorf("draft → matching: %v", err)
	}
	if _, err := db.MoveProgram(ctx, p.org, prog.ID, tandem.ProgramEnrolling, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, p.org, p.learner, ap, false); err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, p.org, p.learner, ap, false); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("applying twice: %v", err)
	}
	mentor := &tandem.Application{ProgramID: prog.ID, Role: tandem.AsMentor, Capacity: 3, Answers: map[int64]tandem.Answer{
		track.ID: {Choices: []string{"B"}}, skills.ID: {Skills: []tandem.AnswerSkill{{Name: "negotiation", Level: tandem.Expert}}}}}
	if err := db.Apply(ctx, p.org, p.guide, mentor, false); err != nil {
		t.Fatal(err)
	}
	bad := &tandem.Application{ProgramID: prog.ID, Role: tandem.AsMentor, Capacity: 3, Answers: map[int64]tandem.Answer{
		track.ID: {Choices: []string{"B"}}, skills.ID: {Skills: []tandem.AnswerSkill{{Name: "Juggling", Level: tandem.Expert}}}}}
	if err := db.Apply(ctx, p.org, p.guide, bad, true); tandem.ErrorFields(err)[tandem.QuestionField(skills.ID)] == "" {
		t.Errorf("a skill not in the catalogue: %v", err)
	}
	apps, err := db.Applications(ctx, p.org, prog.ID, sqldb.ApplicationFilter{})
	if err != nil || len(apps) != 2 {
		t.Fatalf("applications: %+v %v", apps, err)
	}
	var m tandem.Application
	for _, a := range apps {
		if a.Role == tandem.AsMentor {
			m = a
		}
	}
	if s := m.Answers[skills.ID].Skills; m.Capacity != 3 || len(s) != 1 || s[0].SkillID != sk.ID || s[0].Name != "Negotiation" {
		t.Errorf("the mentor's application read back: %+v", m)
	}

	qs, err := db.Questions(ctx, p.org, prog.ID)
	if err != nil || qs[0].Answers != 2 || qs[1].Answers != 1 {
		t.Fatalf("answer counts: %+v %v", qs, err)
	}
	changed := qs[0]
	changed.Options = []string{"A", "C"}
	if err := db.UpdateQuestion(ctx, p.org, &changed); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("an answered option removed: %v", err)
	}
	changed.Options, changed.Weight = []string{"A", "B", "C"}, 9
	if err := db.UpdateQuestion(ctx, p.org, &changed); err != nil {
		t.Errorf("an option added and the weight changed: %v", err)
	}
	if err := db.DeleteQuestion(ctx, p.org, prog.ID, track.ID); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("an answered question deleted: %v", err)
	}

	// Decisions, an edit that changes the role asks for a new one,
	// withdrawal and applying again.
	a, err := db.Decide(ctx, p.org, prog.ID, ap.ID, true, p.guide)
	if err != nil || a.Status != tandem.AppApproved {
		t.Fatalf("approve: %+v %v", a, err)
	}
	if _, err := db.Decide(ctx, p.otherOrg, prog.ID, ap.ID, true, p.otherOrgUser); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("another organization decides: %v", err)
	}
	ap.Answers = map[int64]tandem.Answer{track.ID: {Choices: []string{"B"}}}
	if err := db.Apply(ctx, p.org, p.learner, ap, true); err != nil || ap.Status != tandem.AppApproved {
		t.Errorf("an edit of the answers keeps the approval: %s %v", ap.Status, err)
	}
	ap.Role, ap.Capacity = tandem.AsMentor, 1
	if err := db.Apply(ctx, p.org, p.learner, ap, true); err != nil || ap.Status != tandem.AppSubmitted {
		t.Errorf("a change of role asks for a new decision: %s %v", ap.Status, err)
	}
	if err := db.Withdraw(ctx, p.org, prog.ID, p.learner); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(ctx, p.org, prog.ID, ap.ID, true, p.guide); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("decide a withdrawn application: %v", err)
	}
	if err := db.Apply(ctx, p.org, p.learner, ap, true); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("edit a withdrawn application: %v", err)
	}
	if err := db.Apply(ctx, p.org, p.learner, ap, false); err != nil || ap.Status != tandem.AppSubmitted {
		t.Errorf("apply again after withdrawing: %v", err)
	}

	// Enrollment dates: after the closing day, nobody applies or edits.
	p.clock.Set(p.clock.Now().AddDate(0, 0, 30))
	if err := db.Apply(ctx, p.org, p.learner, ap, true); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("edit after enrollment closed: %v", err)
	}
	if _, err := db.MoveProgram(ctx, p.org, prog.ID, tandem.ProgramMatching, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.AddQuestion(ctx, p.org, &tandem.Question{ProgramID: prog.ID, Type: tandem.QuestionText, Label: "Late"}); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("a question added while matching: %v", err)
	}
	for _, s := range []tandem.ProgramState{tandem.ProgramRunning, tandem.ProgramClosed} {
		if _, err := db.MoveProgram(ctx, p.org, prog.ID, s, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Withdraw(ctx, p.org, prog.ID, p.guide); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("withdraw from a closed program: %v", err)
	}
	prog.Name = "Renamed"
	if err := db.UpdateProgram(ctx, prog); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("edit a closed program: %v", err)
	}
}

// TestProgramMoveRace: two administrators moving the same program at once
// make one move; the other is told the program changed or that the move
// is no longer possible.
func TestProgramMoveRace(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	actx := tandemtest.MustOrg(t, db, "Acme")
	org := tandem.ActorFrom(actx).Org.ID
	prog := &tandem.Program{OrgID: org, Name: "Race"}
	if err := prog.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProgram(context.Background(), prog, nil, 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.MoveProgram(context.Background(), org, prog.ID, tandem.ProgramEnrolling, 0)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch tandem.ErrorCode(err) {
		case "":
			ok++
		case tandem.ECONFLICT, tandem.EINVALID:
		default:
			t.Errorf("racing move: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d moves succeeded, want 1: %v", ok, errs)
	}
}

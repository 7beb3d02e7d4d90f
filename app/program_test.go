package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestProgramAuthorization: an administrator creates two programs and
// names "prog" admin of A and "mentor" admin of B; each runs their own
// program only; members see a program once it is open to them; a
// stranger of another organization finds none.
func TestProgramAuthorization(t *testing.T) {
	c := newCast(t)
	admin, prog, mentor, lee, other := c.ctx["admin"], c.ctx["prog"], c.ctx["mentor"], c.ctx["lee"], c.ctx["other"]
	if _, err := c.a.CreateProgram(prog, tandem.Program{Name: "By a program admin"}, nil); code(err) != tandem.EFORBIDDEN {
		t.Errorf("a program admin creates a program: %v", err)
	}
	if _, err := c.a.CreateProgram(admin, tandem.Program{Name: "X"}, []string{"nobody@acme.test"}); tandem.ErrorFields(err)["admins"] == "" {
		t.Errorf("an unknown admin: %v", err)
	}
	pa, err := c.a.CreateProgram(admin, tandem.Program{Name: "Program A", Description: "Mentoring for all"}, []string{"prog@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := c.a.CreateProgram(admin, tandem.Program{Name: "Program B", Eligibility: tandem.EnrollList, Eligible: []string{"other@acme.test"}}, []string{"mentor@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	stranger := tandemtest.MustOrg(t, c.a.DB, "Elsewhere")

	// Runs: each program admin their own; the administrator both.
	runs := func(ctx context.Context, id int64) error {
		_, err := c.a.Applications(ctx, id, sqldb.ApplicationFilter{})
		return err
	}
	for _, x := range []struct {
		who  string
		ctx  context.Context
		id   int64
		want string
	}{
		{"admin on A", admin, pa.ID, ""}, {"admin on B", admin, pb.ID, ""},
		{"prog on A", prog, pa.ID, ""}, {"prog on B (a draft)", prog, pb.ID, tandem.ENOTFOUND},
		{"mentor on B", mentor, pb.ID, ""}, {"mentor on A (a draft)", mentor, pa.ID, tandem.ENOTFOUND},
		{"lee on A (a draft)", lee, pa.ID, tandem.ENOTFOUND}, {"stranger on A", stranger, pa.ID, tandem.ENOTFOUND},
	} {
		if err := runs(x.ctx, x.id); code(err) != x.want {
			t.Errorf("%s: %v, want %q", x.who, err, x.want)
		}
	}
	if _, err := c.a.MoveProgram(prog, pb.ID, tandem.ProgramEnrolling); code(err) != tandem.ENOTFOUND {
		t.Errorf("the program admin of A moves B: %v", err)
	}
	if _, err := c.a.MoveProgram(prog, pa.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(admin, pb.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	// Open now: the program admin of A sees B (everyone in it may not
	// enroll: B is for "other" only, so not even that) but runs only A.
	if _, err := c.a.Program(prog, pb.ID); code(err) != tandem.ENOTFOUND {
		t.Errorf("prog sees B, which is not open to them: %v", err)
	}
	if _, err := c.a.MoveProgram(mentor, pa.ID, tandem.ProgramMatching); code(err) != tandem.EFORBIDDEN {
		t.Errorf("mentor (eligible for A) moves A: %v", err)
	}
	if err := c.a.SetProgramAdmins(prog, pa.ID, []string{"lee@acme.test"}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("a program admin names admins: %v", err)
	}
	if v, err := c.a.Program(lee, pa.ID); err != nil || v.Viewer != tandem.ViewerEligible || v.Runs() || v.Applications != nil {
		t.Errorf("lee sees A: %+v %v", v, err)
	}
	if _, err := c.a.Program(lee, pb.ID); code(err) != tandem.ENOTFOUND {
		t.Errorf("lee sees B, which is for a list: %v", err)
	}
	if _, err := c.a.Program(other, pb.ID); err != nil {
		t.Errorf("other, on B's list, sees B: %v", err)
	}
	if _, err := c.a.Program(stranger, pa.ID); code(err) != tandem.ENOTFOUND {
		t.Errorf("stranger sees A: %v", err)
	}
	list, err := c.a.Programs(lee)
	if err != nil || len(list) != 1 || list[0].ID != pa.ID {
		t.Errorf("lee's programs: %+v %v", list, err)
	}
	if list, _ := c.a.Programs(admin); len(list) != 2 {
		t.Errorf("the administrator's programs: %d", len(list))
	}
	if list, _ := c.a.Programs(stranger); len(list) != 0 {
		t.Errorf("the stranger's programs: %d", len(list))
	}

	// Enrollment, who may enroll enforced.
	q, err := c.a.AddQuestion(prog, pa.ID, tandem.Question{Type: tandem.QuestionScale, Label: "Experience", Required: true, Rule: tandem.RuleMentorAbove, Weight: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AddQuestion(lee, pa.ID, tandem.Question{Type: tandem.QuestionText, Label: "Mine"}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an eligible member adds a question: %v", err)
	}
	if _, err := c.a.Apply(lee, pb.ID, tandem.Application{Role: tandem.AsMentee}, false); code(err) != tandem.ENOTFOUND {
		t.Errorf("lee applies to B: %v", err)
	}
	if _, err := c.a.Apply(stranger, pa.ID, tandem.Application{Role: tandem.AsMentee}, false); code(err) != tandem.ENOTFOUND {
		t.Errorf("stranger applies to A: %v", err)
	}
	for _, capa := range []int{0, 500} {
		if _, err := c.a.Apply(mentor, pa.ID, tandem.Application{Role: tandem.AsMentor, Capacity: capa, Answers: map[int64]tandem.Answer{q.ID: {Scale: 5}}}, false); tandem.ErrorFields(err)["capacity"] == "" {
			t.Errorf("capacity %d: %v", capa, err)
		}
	}
	mine, err := c.a.Apply(mentor, pa.ID, tandem.Application{Role: tandem.AsMentor, Capacity: 2, Answers: map[int64]tandem.Answer{q.ID: {Scale: 5}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Apply(mentor, pa.ID, tandem.Application{Role: tandem.AsMentor, Capacity: 2, Answers: map[int64]tandem.Answer{q.ID: {Scale: 5}}}, false); code(err) != tandem.ECONFLICT {
		t.Errorf("applying twice: %v", err)
	}
	if _, err := c.a.Apply(lee, pa.ID, tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{q.ID: {Scale: 2}}}, false); err != nil {
		t.Fatal(err)
	}
	if v, err := c.a.Program(lee, pa.ID); err != nil || v.Viewer != tandem.ViewerApplicant || v.Application == nil {
		t.Errorf("lee after applying: %+v %v", v, err)
	}
	if _, err := c.a.Decide(lee, pa.ID, mine.ID, "approve"); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an applicant decides: %v", err)
	}
	if _, err := c.a.Decide(mentor, pa.ID, mine.ID, "approve"); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the applicant (program admin of B) approves themself on A: %v", err)
	}
	if _, err := c.a.Decide(prog, pa.ID, mine.ID, "approve"); err != nil {
		t.Fatal(err)
	}
	if qs, err := c.a.Questions(lee, pa.ID); err != nil || len(qs) != 1 || qs[0].Answers != 0 {
		t.Errorf("the questionnaire as an applicant sees it: %+v %v", qs, err)
	}
	if qs, err := c.a.Questions(prog, pa.ID); err != nil || qs[0].Answers != 2 {
		t.Errorf("the questionnaire as its admin sees it: %+v %v", qs, err)
	}
	if _, err := c.a.UpdateQuestion(prog, pa.ID, q.ID, tandem.Question{Type: tandem.QuestionText, Label: "Experience"}); code(err) != tandem.ECONFLICT {
		t.Errorf("an answered question changes type: %v", err)
	}

	// After enrollment closes: no applying; withdrawing until the
	// program runs.
	if _, err := c.a.MoveProgram(prog, pa.ID, tandem.ProgramMatching); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Apply(other, pa.ID, tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{q.ID: {Scale: 1}}}, false); code(err) != tandem.ECONFLICT {
		t.Errorf("apply while matching: %v", err)
	}
	if err := c.a.Withdraw(lee, pa.ID); err != nil {
		t.Errorf("withdraw while matching: %v", err)
	}
	if _, err := c.a.MoveProgram(prog, pa.ID, tandem.ProgramRunning); err != nil {
		t.Fatal(err)
	}
	if err := c.a.Withdraw(mentor, pa.ID); code(err) != tandem.ECONFLICT {
		t.Errorf("withdraw while running: %v", err)
	}
	if _, err := c.a.MoveProgram(prog, pa.ID, tandem.ProgramEnrolling); tandem.ErrorFields(err)["state"] == "" {
		t.Errorf("running → enrolling: %v", err)
	}
	// Naming: the administrator replaces A's admins; prog no longer runs A.
	if err := c.a.SetProgramAdmins(admin, pa.ID, []string{"boss@acme.test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(prog, pa.ID, tandem.ProgramClosed); code(err) != tandem.ENOTFOUND && code(err) != tandem.EFORBIDDEN {
		t.Errorf("a former program admin closes A: %v", err)
	}
	if _, err := c.a.MoveProgram(c.ctx["boss"], pa.ID, tandem.ProgramClosed); err != nil {
		t.Errorf("the new program admin closes A: %v", err)
	}
}

// TestImportApplications: answers by question wording or q<id>, skills as
// name:level; every bad line and column named; all or nothing.
func TestImportApplications(t *testing.T) {
	c := newCast(t)
	admin := c.ctx["admin"]
	p, err := c.a.CreateProgram(admin, tandem.Program{Name: "Imported"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	track, err := c.a.AddQuestion(admin, p.ID, tandem.Question{Type: tandem.QuestionSingle, Label: "Track", Options: []string{"Build", "Sell"}, Required: true})
	if err != nil {
		t.Fatal(err)
	}
	skills, err := c.a.AddQuestion(admin, p.ID, tandem.Question{Type: tandem.QuestionSkills, Label: "Skills", Rule: tandem.RuleMentorAbove, Weight: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(admin, p.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	q2 := tandem.QuestionField(skills.ID)
	bad := "email,role,capacity,track," + q2 + ",Mood\nlee@acme.test,mentee,,Build,Go:expert,x\n"
	rep, err := c.a.ImportApplicationsForOperator(context.Background(), p.ID, strings.NewReader(bad))
	if err == nil || len(rep.Problems) != 1 || rep.Problems[0].Column != "Mood" {
		t.Errorf("an unknown column: %v %+v", err, rep)
	}
	bad = "email,role,capacity,Track,Skills\nlee@acme.test,mentee,,Fly,Go:expert\nmentor@acme.test,mentor,2,Build,Go\nboss@acme.test,mentor,3,Sell,Cooking:advanced\n"
	rep, err = c.a.ImportApplicationsForOperator(context.Background(), p.ID, strings.NewReader(bad))
	var said []string
	for _, pr := range rep.Problems {
		said = append(said, pr.String())
	}
	all := strings.Join(said, "\n")
	for _, want := range []string{"line 2, Track: Choose one of the options.", "line 3, Skills: Write each skill as name:level", `line 4, Skills: "Cooking" is not in the skill catalogue.`} {
		if !strings.Contains(all, want) {
			t.Errorf("the report does not say %q:\n%s", want, all)
		}
	}
	if err == nil {
		t.Fatal("a bad file was imported")
	}
	if apps, _ := c.a.Applications(admin, p.ID, sqldb.ApplicationFilter{}); len(apps) != 0 {
		t.Errorf("%d applications after a refused import", len(apps))
	}
	good := "email,role,capacity,Track,Skills\nlee@acme.test,mentee,,Build,go:novice\nmentor@acme.test,mentor,2,Sell,Go:expert;Facilitation:advanced\n"
	rep, err = c.a.ImportApplicationsForOperator(context.Background(), p.ID, strings.NewReader(good))
	if err != nil || rep.Created != 2 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	apps, err := c.a.Applications(admin, p.ID, sqldb.ApplicationFilter{Role: tandem.AsMentor})
	if err != nil || len(apps) != 1 || apps[0].Capacity != 2 || len(apps[0].Answers[skills.ID].Skills) != 2 || apps[0].Answers[track.ID].Choices[0] != "Sell" {
		t.Errorf("imported mentor: %+v %v", apps, err)
	}
}

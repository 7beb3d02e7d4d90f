package tandem

import (
	"strings"
	"testing"
	"time"
)

func TestProgramStateMoves(t *testing.T) {
	allowed := map[[2]ProgramState]bool{
		{ProgramDraft, ProgramEnrolling}: true, {ProgramEnrolling, ProgramMatching}: true,
		{ProgramMatching, ProgramRunning}: true, {ProgramRunning, ProgramClosed}: true,
		{ProgramDraft, ProgramClosed}: true, {ProgramEnrolling, ProgramClosed}: true, {ProgramMatching, ProgramClosed}: true,
	}
	for _, from := range ProgramStates {
		for _, to := range ProgramStates {
			err := from.CheckMove(to)
			if allowed[[2]ProgramState{from, to}] != (err == nil) {
				t.Errorf("%s → %s: %v", from, to, err)
			}
			if err != nil && (ErrorCode(err) != EINVALID || ErrorFields(err)["state"] == "") {
				t.Errorf("%s → %s: want a field error on state, got %v", from, to, err)
			}
		}
	}
	if err := ProgramMatching.CheckMove(ProgramEnrolling); !strings.Contains(ErrorMessage(err), "moves to running or closed") {
		t.Errorf("matching → enrolling says %q", ErrorMessage(err))
	}
	if err := ProgramDraft.CheckMove("bogus"); err == nil {
		t.Error("a state that does not exist was accepted")
	}
}

func TestProgramStateAllows(t *testing.T) {
	want := map[ProgramWork][]ProgramState{
		WorkEnroll:    {ProgramEnrolling},
		WorkWithdraw:  {ProgramEnrolling, ProgramMatching},
		WorkDecide:    {ProgramEnrolling, ProgramMatching},
		WorkQuestions: {ProgramDraft, ProgramEnrolling},
		WorkMatch:     {ProgramMatching},
		WorkPair:      {ProgramMatching, ProgramRunning},
	}
	for w, states := range want {
		for _, s := range ProgramStates {
			ok, why := s.Allows(w)
			in := false
			for _, x := range states {
				in = in || x == s
			}
			if ok != in || (!ok && why == "") {
				t.Errorf("%s in %s: %v %q", w, s, ok, why)
			}
			if err := s.CheckAllows(w); (err == nil) != in || (err != nil && ErrorCode(err) != ECONFLICT) {
				t.Errorf("CheckAllows %s in %s: %v", w, s, err)
			}
		}
	}
	if _, why := ProgramClosed.Allows(WorkPair); why != "The program is closed." {
		t.Errorf("pairs in a closed program: %q", why)
	}
	if _, why := ProgramMatching.Allows(WorkEnroll); why != "Enrollment has closed." {
		t.Errorf("enroll while matching: %q", why)
	}
}

func TestProgramValidate(t *testing.T) {
	p := Program{Name: "  Spring   cohort ", Eligibility: EnrollDepartments, Eligible: []string{"Sales", " sales ", "R&D"}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Spring cohort" || p.Kind != Mentoring || p.State != ProgramDraft || p.MentorCapacity != 1 || len(p.Areas) != len(Areas) {
		t.Errorf("defaults: %+v", p)
	}
	if len(p.Eligible) != 2 {
		t.Errorf("eligible %q", p.Eligible)
	}
	for _, c := range []struct {
		edit  func(p *Program)
		field string
	}{
		{func(p *Program) { p.Name = "" }, "name"},
		{func(p *Program) { p.Name = strings.Repeat("x", 121) }, "name"},
		{func(p *Program) { p.Kind = "sponsorship" }, "kind"},
		{func(p *Program) { p.Eligibility = "friends" }, "eligibility"},
		{func(p *Program) { p.Eligibility = EnrollLocations }, "eligible"},
		{func(p *Program) { p.Eligibility, p.Eligible = EnrollList, []string{"not-an-email"} }, "eligible"},
		{func(p *Program) { p.EnrollOpens = "2026-13-01" }, "enroll_opens"},
		{func(p *Program) { p.EnrollOpens, p.EnrollCloses = "2026-03-10", "2026-03-01" }, "enroll_closes"},
		{func(p *Program) { p.EnrollCloses, p.MatchingOn = "2026-03-10", "2026-03-01" }, "matching_on"},
		{func(p *Program) { p.MatchingOn, p.EndsOn = "2026-03-10", "2026-03-01" }, "ends_on"},
		{func(p *Program) { p.MatchingOn, p.FirstReviewOn = "2026-03-10", "2026-03-01" }, "first_review_on"},
		{func(p *Program) { p.MentorCapacity = 21 }, "mentor_capacity"},
		{func(p *Program) { p.MentorCapacity = -1 }, "mentor_capacity"},
		{func(p *Program) { p.Areas = []Area{"astrology"} }, "areas"},
	} {
		p := Program{Name: "Cohort"}
		c.edit(&p)
		if err := p.Validate(); ErrorFields(err)[c.field] == "" {
			t.Errorf("%+v: want an error on %s, got %v", p, c.field, err)
		}
	}
}

func TestProgramEnrollment(t *testing.T) {
	p := Program{Name: "Cohort", State: ProgramEnrolling, EnrollOpens: "2026-03-01", EnrollCloses: "2026-03-15"}
	day := func(s string) time.Time { d, _ := time.Parse(DateLayout, s); return d.Add(23 * time.Hour) }
	for d, want := range map[string]bool{"2026-02-28": false, "2026-03-01": true, "2026-03-15": true, "2026-03-16": false} {
		if err := p.CheckEnroll(day(d)); (err == nil) != want {
			t.Errorf("enroll on %s: %v", d, err)
		}
	}
	p.State = ProgramMatching
	if err := p.CheckEnroll(day("2026-03-02")); ErrorCode(err) != ECONFLICT {
		t.Errorf("enroll while matching: %v", err)
	}

	sales := &Person{ID: 1, Email: "a@x.test", Profile: Profile{Department: "Sales", Location: "Paris"}}
	guest := &Person{ID: 2, Email: "g@x.test", Guest: true}
	for _, c := range []struct {
		e    Eligibility
		list []string
		who  *Person
		want bool
	}{
		{EnrollEveryone, nil, sales, true},
		{EnrollEveryone, nil, guest, false},
		{EnrollDepartments, []string{"sales"}, sales, true},
		{EnrollDepartments, []string{"R&D"}, sales, false},
		{EnrollLocations, []string{"Paris"}, sales, true},
		{EnrollList, []string{"a@x.test"}, sales, true},
		{EnrollList, []string{"b@x.test"}, sales, false},
	} {
		p := Program{Eligibility: c.e, Eligible: c.list}
		if got := p.MayEnroll(c.who); got != c.want {
			t.Errorf("%s %v, %s: %v", c.e, c.list, c.who.Email, got)
		}
	}

	// How each person relates to a program.
	p = Program{State: ProgramDraft, Eligibility: EnrollEveryone, Admins: []PersonRef{{ID: 7}}}
	named := &Person{ID: 7, Role: RoleMember}
	orgAdmin := &Person{ID: 8, Role: RoleAdmin}
	otherProgAdmin := &Person{ID: 9, Role: RoleProgramAdmin}
	member := &Person{ID: 10, Role: RoleMember}
	if v := p.ViewerOf(named, false); v != ViewerProgramAdmin {
		t.Errorf("named admin: %s", v)
	}
	if v := p.ViewerOf(orgAdmin, false); v != ViewerAdmin {
		t.Errorf("org admin: %s", v)
	}
	for _, who := range []*Person{otherProgAdmin, member, guest} {
		if v := p.ViewerOf(who, false); v != ViewerNone {
			t.Errorf("draft program, person %d: %s", who.ID, v)
		}
	}
	p.State = ProgramEnrolling
	if v := p.ViewerOf(otherProgAdmin, false); v != ViewerEligible || CanProgram(v, ProgramRun) {
		t.Errorf("a program admin of another program: %s", v)
	}
	if v := p.ViewerOf(member, true); v != ViewerApplicant || !CanProgram(v, ProgramEnroll) || CanProgram(v, ProgramRun) {
		t.Errorf("applicant: %s", v)
	}
	if CanProgram(ViewerProgramAdmin, ProgramNaming) || !CanProgram(ViewerAdmin, ProgramNaming) {
		t.Error("only administrators name program admins")
	}
}

func TestQuestionValidate(t *testing.T) {
	ok := []Question{
		{Type: QuestionSingle, Label: "Department wish", Options: []string{"Same", "Other", ""}, Rule: RuleDifferent, Weight: 3},
		{Type: QuestionSkills, Label: "Skills", Rule: RuleMentorAbove, Weight: 5},
		{Type: QuestionTimeZone, Label: "Zone", Rule: RuleWithinHours, Weight: 2, Hours: 3},
		{Type: QuestionText, Label: "Anything else?"},
		{Type: QuestionScale, Label: "Seniority", Rule: RuleMentorAbove, Weight: 10},
		{Type: QuestionLanguages, Label: "Languages", Rule: RuleMustShare},
	}
	for _, q := range ok {
		if err := q.Validate(); err != nil {
			t.Errorf("%s: %v", q.Label, err)
		}
	}
	for _, c := range []struct {
		q     Question
		field string
	}{
		{Question{Type: "essay", Label: "x"}, "type"},
		{Question{Type: QuestionText, Label: ""}, "label"},
		{Question{Type: QuestionSingle, Label: "x", Options: []string{"only"}}, "options"},
		{Question{Type: QuestionMultiple, Label: "x", Options: []string{"a", "A"}}, "options"},
		{Question{Type: QuestionText, Label: "x", Rule: RuleSame}, "rule"},
		{Question{Type: QuestionTimeZone, Label: "x", Rule: RuleOverlap}, "rule"},
		{Question{Type: QuestionScale, Label: "x", Rule: RuleSame, Weight: 11}, "weight"},
		{Question{Type: QuestionTimeZone, Label: "x", Rule: RuleWithinHours, Hours: 0}, "hours"},
	} {
		if err := c.q.Validate(); ErrorFields(err)[c.field] == "" {
			t.Errorf("%+v: want an error on %s, got %v", c.q, c.field, err)
		}
	}
}

func TestQuestionChangeAfterAnswers(t *testing.T) {
	q := Question{Type: QuestionSingle, Label: "Track", Options: []string{"Engineering", "Sales"}, Rule: RuleSame, Weight: 2}
	next := q
	next.Options = []string{"Engineering"}
	if err := q.CheckChange(&next); err != nil {
		t.Errorf("no answers yet: %v", err)
	}
	q.Answers = 3
	if err := q.CheckChange(&next); ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), `"Sales"`) {
		t.Errorf("an option taken away: %v", err)
	}
	next = q
	next.Label = "Team"
	if err := q.CheckChange(&next); ErrorCode(err) != ECONFLICT {
		t.Errorf("reworded: %v", err)
	}
	next = q
	next.Options, next.Weight, next.Rule = []string{"Engineering", "Sales", "Support"}, 7, RuleDifferent
	if err := q.CheckChange(&next); err != nil {
		t.Errorf("an option added, the criterion changed: %v", err)
	}
}

func TestApplicationValidate(t *testing.T) {
	qs := []Question{
		{ID: 1, Type: QuestionSingle, Label: "Track", Options: []string{"A", "B"}, Required: true},
		{ID: 2, Type: QuestionScale, Label: "Level"},
		{ID: 3, Type: QuestionTimeZone, Label: "Zone"},
	}
	for _, c := range []struct {
		ap    Application
		field string
	}{
		{Application{Role: AsMentor, Capacity: 0, Answers: map[int64]Answer{1: {Choices: []string{"A"}}}}, "capacity"},
		{Application{Role: AsMentor, Capacity: 500, Answers: map[int64]Answer{1: {Choices: []string{"A"}}}}, "capacity"},
		{Application{Role: "sponsor", Answers: map[int64]Answer{1: {Choices: []string{"A"}}}}, "role"},
		{Application{Role: AsMentee}, "q1"},
		{Application{Role: AsMentee, Answers: map[int64]Answer{1: {Choices: []string{"C"}}}}, "q1"},
		{Application{Role: AsMentee, Answers: map[int64]Answer{1: {Choices: []string{"A"}}, 2: {Scale: 6}}}, "q2"},
		{Application{Role: AsMentee, Answers: map[int64]Answer{1: {Choices: []string{"A"}}, 3: {Text: "Mars/Olympus"}}}, "q3"},
		{Application{Role: AsMentee, Answers: map[int64]Answer{1: {Choices: []string{"A"}}, 9: {Text: "x"}}}, "q9"},
	} {
		if err := c.ap.Validate(qs); ErrorFields(err)[c.field] == "" {
			t.Errorf("%+v: want an error on %s, got %v", c.ap, c.field, err)
		}
	}
	ap := Application{Role: AsMentor, Capacity: 20, Answers: map[int64]Answer{1: {Choices: []string{"B"}}, 2: {Scale: 4, Text: "stray"}}}
	if err := ap.Validate(qs); err != nil {
		t.Fatal(err)
	}
	if ap.Answers[2].Text != "" || len(ap.Answers) != 2 {
		t.Errorf("tidied answers: %+v", ap.Answers)
	}
	mentee := Application{Role: AsMentee, Capacity: 3, Answers: map[int64]Answer{1: {Choices: []string{"A"}}}}
	if err := mentee.Validate(qs); err != nil || mentee.Capacity != 0 {
		t.Errorf("a mentee's capacity: %d %v", mentee.Capacity, err)
	}
	sk := Question{ID: 4, Type: QuestionSkills}
	a, msg := sk.ParseAnswer("Negotiation:advanced; Go:2")
	if msg != "" || len(a.Skills) != 2 || a.Skills[0].Level != Advanced || a.String() != "Negotiation:advanced;Go:beginner" {
		t.Errorf("skills parsed: %+v %q", a, msg)
	}
	if _, msg := sk.ParseAnswer("Negotiation"); msg == "" {
		t.Error("a skill without a level was read")
	}
}

package tandem

import (
	"strings"
	"testing"
)

func TestAgreementValidate(t *testing.T) {
	ok := func() Agreement {
		return Agreement{Outcomes: []string{"Run a calm incident review"}, Cadence: "Every two weeks", Confidentiality: "Between us",
			ExitTerms: "Either of us, with a conversation", SkillID: 1, Start: "2026-03-01", End: "2026-06-01", EvaluationMethod: "Rubric"}
	}
	for _, tc := range []struct {
		name  string
		kind  Kind
		edit  func(a *Agreement)
		field string
	}{
		{"OK", Coaching, func(a *Agreement) {}, ""},
		{"MentoringDropsCoachingFields", Mentoring, func(a *Agreement) { a.SkillID, a.End = 0, "" }, ""},
		{"NoOutcome", Coaching, func(a *Agreement) { a.Outcomes = []string{" ", ""} }, "outcomes"},
		{"NoSkill", Coaching, func(a *Agreement) { a.SkillID = 0 }, "skill"},
		{"NoEnd", Coaching, func(a *Agreement) { a.End = "" }, "end"},
		{"EndBeforeStart", Coaching, func(a *Agreement) { a.End = "2026-02-01" }, "end"},
		{"EndIsStart", Coaching, func(a *Agreement) { a.End = a.Start }, "end"},
		{"NoCadence", Mentoring, func(a *Agreement) { a.Cadence = "" }, "cadence"},
		{"NoExit", Mentoring, func(a *Agreement) { a.ExitTerms = "" }, "exit_terms"},
		{"NoEvaluation", Coaching, func(a *Agreement) { a.EvaluationMethod = "" }, "evaluation_method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ok()
			tc.edit(&a)
			err := a.Validate(tc.kind)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tc.kind == Mentoring && (a.SkillID != 0 || a.Start != "") {
					t.Error("mentoring kept coaching fields")
				}
				return
			}
			if ErrorFields(err)[tc.field] == "" {
				t.Errorf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
}

func TestCheckDuration(t *testing.T) {
	s := DefaultSettings
	a := Agreement{Start: "2026-01-31", End: "2026-07-31"}
	if err := a.CheckDuration(s); err != nil {
		t.Errorf("six months: %v", err)
	}
	a.End = "2026-08-01"
	if err := a.CheckDuration(s); ErrorFields(err)["end"] == "" || !strings.Contains(ErrorMessage(err), "6 months") {
		t.Errorf("six months and a day: %v", err)
	}
}

func TestCleanAreas(t *testing.T) {
	all, err := CleanAreas(nil)
	if err != nil || len(all) != len(Areas) {
		t.Errorf("default = %v, %v", all, err)
	}
	got, err := CleanAreas([]Area{AreaPurpose, AreaCareer, AreaCareer})
	if err != nil || len(got) != 2 || got[0] != AreaCareer {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := CleanAreas([]Area{"golf"}); ErrorFields(err)["areas"] == "" {
		t.Errorf("unknown area: %v", err)
	}
}

// TestVisibilityMatrix pins every cell of the matrix documented in
// visibility.go.
func TestVisibilityMatrix(t *testing.T) {
	type row map[Facet]bool
	all := func(v bool) row {
		r := row{}
		for _, f := range Facets {
			r[f] = v
		}
		return r
	}
	with := func(r row, kv ...any) row {
		out := row{}
		for k, v := range r {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(Facet)] = kv[i+1].(bool)
		}
		return out
	}
	partnerCoaching := with(all(true), FacetReflections, false, FacetPhaseHistory, false, FacetAgenda, false, FacetFitFlag, false)
	partnerMentoring := with(all(true), FacetEvaluations, false, FacetFitFlag, false)
	managerCoaching := with(all(false), FacetStatus, true, FacetAgreement, true, FacetEvaluations, true, FacetGoals, true, FacetSessions, true)
	managerMentoring := with(all(false), FacetStatus, true, FacetAgreement, true, FacetSessions, true)
	successorCoaching := with(all(false), FacetStatus, true, FacetAgreement, true, FacetEvaluations, true, FacetGoals, true)
	successorMentoring := with(all(false), FacetStatus, true, FacetAgreement, true)
	statusOnly := with(all(false), FacetStatus, true, FacetSessions, true, FacetFitFlag, true)
	want := map[Kind]map[Viewer]row{
		Coaching: {ViewerLearner: partnerCoaching, ViewerGuide: partnerCoaching, ViewerManager: managerCoaching,
			ViewerOperator:  with(all(false), FacetStatus, true, FacetAgreement, true),
			ViewerSuccessor: successorCoaching, ViewerProgramAdmin: statusOnly, ViewerAdmin: statusOnly, ViewerNone: all(false)},
		Mentoring: {ViewerLearner: partnerMentoring, ViewerGuide: partnerMentoring, ViewerManager: managerMentoring,
			ViewerOperator:  with(all(false), FacetStatus, true, FacetAgreement, true),
			ViewerSuccessor: successorMentoring, ViewerProgramAdmin: statusOnly, ViewerAdmin: statusOnly, ViewerNone: all(false)},
	}
	for kind, viewers := range want {
		for v, facets := range viewers {
			for f, w := range facets {
				if got := Can(kind, v, f); got != w {
					t.Errorf("Can(%s, %q, %s) = %v, want %v", kind, v, f, got, w)
				}
			}
		}
	}
}

func TestViewerOf(t *testing.T) {
	e := &Engagement{Learner: PersonRef{ID: 1}, Guide: PersonRef{ID: 2}, Manager: PersonRef{ID: 3}}
	for _, tc := range []struct {
		id   int64
		role string
		succ bool
		want Viewer
	}{
		{1, RoleAdmin, false, ViewerLearner}, {2, RoleMember, false, ViewerGuide}, {3, RoleMember, false, ViewerManager},
		{4, RoleMember, true, ViewerSuccessor}, {4, RoleProgramAdmin, false, ViewerProgramAdmin}, {4, RoleAdmin, false, ViewerAdmin},
		{4, RoleMember, false, ViewerNone},
	} {
		if got := e.ViewerOf(tc.id, tc.role, tc.succ); got != tc.want {
			t.Errorf("ViewerOf(%d, %s, %v) = %q, want %q", tc.id, tc.role, tc.succ, got, tc.want)
		}
	}
}

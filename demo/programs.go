package demo

import (
	"fmt"

	"github.com/tandemhq/tandem"
)

// programs seeds two mentoring programs in the enrolling state, run by a
// program admin from the People department: one open to everyone with a
// questionnaire of five questions (four of them matching criteria), one
// for a site. People apply as mentors and mentees through the same use
// case as the enrollment form, and the program admin approves most and
// declines one. The program admin and the applicants are personas.
func (s *demoSeed) programs() {
	if s.err != nil {
		return
	}
	var runner *tandem.Person
	for _, p := range s.people {
		if p.Department == "People" && p.ID != s.admin.ID && p.ManagerID != 0 {
			runner = p
			break
		}
	}
	if runner == nil {
		return // a small demo without a People team: no programs
	}
	s.at(-12, 9)
	s.fail("program admin", s.a.SetRole(s.as(s.admin.ID), runner.ID, tandem.RoleProgramAdmin))
	if s.err != nil {
		return
	}
	delete(s.actors, runner.ID) // their role changed
	s.personas = append(s.personas, runner.ID)

	open := s.program(tandem.Program{Name: "Mentoring for new managers, autumn cohort", Kind: tandem.Mentoring,
		Description: "Six months with a mentor from another part of the organization, for anyone who leads people or is about to. " +
			"Mentors: an hour a month for one or two mentees.",
		Eligibility: tandem.EnrollEveryone, EnrollOpens: string(s.day(-10)), EnrollCloses: string(s.day(18)),
		MatchingOn: string(s.day(21)), EndsOn: string(s.day(21).AddMonths(6)), FirstReviewOn: string(s.day(21).AddMonths(2)),
		MentorCapacity: 2, Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaSkills, tandem.AreaWellbeing}}, runner, []tandem.Question{
		{Type: tandem.QuestionSingle, Label: "What do you most want from the program?", Required: true,
			Options: []string{"Leading a team", "Career direction", "Influence without authority", "Balance and pace"},
			Rule:    tandem.RuleSame, Weight: 6},
		{Type: tandem.QuestionLanguages, Label: "Languages you are happy to meet in", Required: true, Rule: tandem.RuleMustShare, Weight: 1},
		{Type: tandem.QuestionTimeZone, Label: "Your time zone", Required: true, Rule: tandem.RuleWithinHours, Weight: 4, Hours: 4},
		{Type: tandem.QuestionScale, Label: "How experienced are you at leading people?", Help: "1: not yet; 5: many years",
			Required: true, Rule: tandem.RuleMentorAbove, Weight: 5},
		{Type: tandem.QuestionText, Label: "Anything your match should know?"},
	})
	site := s.people[0].Location
	local := s.program(tandem.Program{Name: "Peer mentoring in " + site, Kind: tandem.Mentoring,
		Description: "Mentoring between colleagues at the " + site + " site, across departments: monthly lunches, three months.",
		Eligibility: tandem.EnrollLocations, Eligible: []string{site}, EnrollOpens: string(s.day(-4)), EnrollCloses: string(s.day(25)),
		MentorCapacity: 1, Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaPurpose}}, runner, []tandem.Question{
		{Type: tandem.QuestionMultiple, Label: "Topics you would like to talk about", Required: true,
			Options: []string{"Career moves", "Working across teams", "Presenting", "Getting started here"},
			Rule:    tandem.RuleOverlap, Weight: 5},
	})
	s.applications(open, runner, "", 18)
	s.applications(local, runner, site, 6)
}

// program creates a program with its questionnaire as the administrator,
// run by runner, and opens enrollment; nil after an error.
func (s *demoSeed) program(p tandem.Program, runner *tandem.Person, qs []tandem.Question) *tandem.Program {
	if s.err != nil {
		return nil
	}
	out, err := s.a.CreateProgram(s.as(s.admin.ID), p, []string{runner.Email})
	s.fail("program", err)
	if err != nil {
		return nil
	}
	for _, q := range qs {
		_, err := s.a.AddQuestion(s.as(runner.ID), out.ID, q)
		s.fail("question", err)
	}
	if s.err == nil {
		_, err = s.a.MoveProgram(s.as(runner.ID), out.ID, tandem.ProgramEnrolling)
		s.fail("open enrollment", err)
	}
	return out
}

// applications has n people apply (at the site, when given), about one in
// three as a mentor; the program admin approves all but the last three
// (one declined, two still waiting).
func (s *demoSeed) applications(p *tandem.Program, runner *tandem.Person, site string, n int) {
	if s.err != nil || p == nil {
		return
	}
	qs, err := s.a.Questions(s.as(runner.ID), p.ID)
	s.fail("questions", err)
	var apps []*tandem.Application
	for _, who := range s.from(0.33) {
		if len(apps) == n || s.err != nil {
			break
		}
		if who.ID == s.admin.ID || who.ID == runner.ID || who.Guest || (site != "" && who.Location != site) {
			continue
		}
		ap := tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{}}
		if len(apps)%3 == 0 && who.YearsExperience >= 5 {
			ap.Role, ap.Capacity = tandem.AsMentor, max(p.MentorCapacity, 1)
		}
		for i, q := range qs {
			ap.Answers[q.ID] = s.answer(q, who, ap.Role, len(apps)+i)
		}
		s.at(-3+len(apps)%3, 9+len(apps)%8)
		out, err := s.a.Apply(s.as(who.ID), p.ID, ap, false)
		s.fail(fmt.Sprintf("apply as %s", who.Email), err)
		if err == nil {
			apps = append(apps, out)
			s.personas = append(s.personas, who.ID)
		}
	}
	s.at(0, 8)
	for i, ap := range apps {
		if s.err != nil || i >= len(apps)-2 {
			break
		}
		decision := "approve"
		if i == len(apps)-3 {
			decision = "decline"
		}
		_, err := s.a.Decide(s.as(runner.ID), p.ID, ap.ID, decision)
		s.fail("decide", err)
	}
}

// answer is who's answer to the question, varied by k.
func (s *demoSeed) answer(q tandem.Question, who *tandem.Person, role tandem.ApplicationRole, k int) tandem.Answer {
	switch q.Type {
	case tandem.QuestionSingle:
		return tandem.Answer{Choices: []string{q.Options[k%len(q.Options)]}}
	case tandem.QuestionMultiple:
		return tandem.Answer{Choices: []string{q.Options[k%len(q.Options)], q.Options[(k+2)%len(q.Options)]}}
	case tandem.QuestionLanguages:
		langs := who.Languages
		if len(langs) == 0 {
			langs = []string{"en"}
		}
		return tandem.Answer{Choices: langs}
	case tandem.QuestionTimeZone:
		tz := who.TimeZone
		if tz == "" {
			tz = "UTC"
		}
		return tandem.Answer{Text: tz}
	case tandem.QuestionScale:
		if role == tandem.AsMentor {
			return tandem.Answer{Scale: 4 + k%2}
		}
		return tandem.Answer{Scale: 1 + k%3}
	case tandem.QuestionText:
		if k%2 == 0 {
			return tandem.Answer{Text: "I prefer to meet early in the day, before the team's stand-up."}
		}
		return tandem.Answer{}
	}
	return tandem.Answer{}
}

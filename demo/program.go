package demo

import (
	"fmt"
	"slices"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// cohorts carries programs past enrollment: one in matching with a stored
// run (a preview to look at, not published), one running, whose published
// partnerships were agreed and have sessions (work tells them, see
// cohortWork); and invitations to the first enrolling program, some
// answered. Everything goes through the use cases, as the program admin
// and each applicant, at its time on the story's clock.
func (s *demoSeed) cohorts() {
	if s.err != nil {
		return
	}
	runner := s.programRunner()
	if runner == nil {
		return // a small demo without a People team: no programs
	}
	s.invitations(runner)

	// Running: enrolled two months ago, matched and published a month
	// ago; the partners agreed and meet.
	s.at(-64, 9)
	running := s.program(tandem.Program{Name: "Cross-site mentoring, spring cohort", Kind: tandem.Mentoring,
		Description: "Three months with a mentor from another site: an hour every two or three weeks.",
		Eligibility: tandem.EnrollEveryone, EnrollOpens: string(s.day(-64)), EnrollCloses: string(s.day(-40)),
		MatchingOn: string(s.day(-32)), EndsOn: string(s.day(60)), FirstReviewOn: string(s.day(14)),
		MentorCapacity: 1, Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaSkills}}, runner, []tandem.Question{
		{Type: tandem.QuestionSingle, Label: "What would you like to work on?", Required: true,
			Options: []string{"Career direction", "Working across sites", "Presenting"}, Rule: tandem.RuleSame, Weight: 5},
		{Type: tandem.QuestionLanguages, Label: "Languages you are happy to meet in", Required: true, Rule: tandem.RuleMustShare, Weight: 1},
	})
	s.cohort(running, runner, 0.55, 4, 3, -60)
	s.at(-32, 10)
	run := s.matchAndMove(running, runner)
	if run != nil && s.err == nil {
		res, err := s.a.PublishRun(s.as(runner.ID), running.ID, run.ID)
		s.fail("publish the run", err)
		if err == nil {
			s.at(-31, 11)
			for _, id := range res.IDs {
				e, err := s.a.DB.EngagementByID(s.ctx, s.org.ID, id)
				s.fail("published partnership", err)
				if err != nil {
					break
				}
				s.agree(e, e.Learner.ID, e.Guide.ID, s.byID[e.Learner.ID].ManagerID)
				if s.cohortIDs == nil {
					s.cohortIDs = map[int64]bool{}
				}
				s.cohortIDs[id] = true
				s.n++
			}
			s.at(-30, 9)
			_, err = s.a.MoveProgram(s.as(runner.ID), running.ID, tandem.ProgramRunning)
			s.fail("start the program", err)
		}
	}

	// Matching: enrollment closed last week; a run waits to be looked at.
	s.at(-30, 9)
	matching := s.program(tandem.Program{Name: "Mentoring for first-time managers", Kind: tandem.Mentoring,
		Description: "Four months with an experienced manager as mentor, for people who lead a team for the first time.",
		Eligibility: tandem.EnrollEveryone, EnrollOpens: string(s.day(-30)), EnrollCloses: string(s.day(-5)),
		MatchingOn: string(s.day(2)), EndsOn: string(s.day(2).AddMonths(4)), FirstReviewOn: string(s.day(2).AddMonths(1)),
		MentorCapacity: 2, Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaWellbeing}}, runner, []tandem.Question{
		{Type: tandem.QuestionMultiple, Label: "Topics for your conversations", Required: true,
			Options: []string{"Feedback", "Hiring", "Delegating", "Difficult conversations"}, Rule: tandem.RuleOverlap, Weight: 5},
		{Type: tandem.QuestionTimeZone, Label: "Your time zone", Required: true, Rule: tandem.RuleWithinHours, Weight: 3, Hours: 3},
		{Type: tandem.QuestionScale, Label: "How experienced are you at leading people?", Help: "1: not yet; 5: many years",
			Required: true, Rule: tandem.RuleMentorAbove, Weight: 4},
	})
	s.cohort(matching, runner, 0.8, 8, 3, -25)
	s.at(-1, 15)
	s.matchAndMove(matching, runner)
}

// programRunner is the demo's program admin (see programs).
func (s *demoSeed) programRunner() *tandem.Person {
	for _, p := range s.people {
		if p.Department == "People" && p.ID != s.admin.ID && p.ManagerID != 0 {
			return p
		}
	}
	return nil
}

// cohort has mentees and mentors (people with no seeded engagement yet,
// from a fraction of the list on) apply on day d, and approves them all.
func (s *demoSeed) cohort(p *tandem.Program, runner *tandem.Person, at float64, mentees, mentors, d int) {
	if s.err != nil || p == nil {
		return
	}
	qs, err := s.a.Questions(s.as(runner.ID), p.ID)
	s.fail("questions", err)
	var apps []*tandem.Application
	for _, who := range s.from(at) {
		if s.err != nil || (mentees == 0 && mentors == 0) {
			break
		}
		if s.busy[who.ID] || who.ID == s.admin.ID || who.ID == runner.ID || who.Guest {
			continue
		}
		ap := tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{}}
		switch {
		case mentors > 0 && who.YearsExperience >= 8:
			ap.Role, ap.Capacity = tandem.AsMentor, p.MentorCapacity
			mentors--
		case mentees > 0 && who.ManagerID != 0 && who.YearsExperience < 8:
			mentees--
		default:
			continue
		}
		for i, q := range qs {
			ap.Answers[q.ID] = s.answer(q, who, ap.Role, len(apps)+i)
		}
		s.at(d+len(apps)%4, 9+len(apps)%8)
		out, err := s.a.Apply(s.as(who.ID), p.ID, ap, false)
		s.fail(fmt.Sprintf("apply as %s", who.Email), err)
		if err == nil {
			apps = append(apps, out)
			s.busy[who.ID] = true
			s.personas = append(s.personas, who.ID)
		}
	}
	s.at(d+4, 10)
	for _, ap := range apps {
		if s.err != nil {
			break
		}
		_, err := s.a.Decide(s.as(runner.ID), p.ID, ap.ID, "approve")
		s.fail("approve", err)
	}
}

// matchAndMove closes enrollment and runs the optimal matching; nil after
// an error.
func (s *demoSeed) matchAndMove(p *tandem.Program, runner *tandem.Person) *tandem.MatchRun {
	if s.err != nil || p == nil {
		return nil
	}
	_, err := s.a.MoveProgram(s.as(runner.ID), p.ID, tandem.ProgramMatching)
	s.fail("close enrollment", err)
	if err != nil {
		return nil
	}
	run, err := s.a.MatchProgram(s.as(runner.ID), p.ID, tandem.ModeOptimal, nil)
	s.fail("match the cohort", err)
	return run
}

// invitations has the program admin invite a few people to the first
// enrolling program who have not applied; one declines, one applies.
func (s *demoSeed) invitations(runner *tandem.Person) {
	if s.err != nil {
		return
	}
	list, err := s.a.Programs(s.as(runner.ID))
	s.fail("programs", err)
	i := slices.IndexFunc(list, func(v app.ProgramView) bool {
		return v.State == tandem.ProgramEnrolling && v.Eligibility == tandem.EnrollEveryone
	})
	if i < 0 {
		return
	}
	p := list[i].Program
	applied := map[int64]bool{}
	apps, err := s.a.Applications(s.as(runner.ID), p.ID, sqldb.ApplicationFilter{})
	s.fail("applications", err)
	for _, ap := range apps {
		applied[ap.Person.ID] = true
	}
	var emails []string
	var invited []*tandem.Person
	for _, who := range s.from(0.15) {
		if len(invited) == 5 {
			break
		}
		if applied[who.ID] || who.Guest || who.ID == s.admin.ID || who.ID == runner.ID || who.DeactivatedAt != nil {
			continue
		}
		emails = append(emails, who.Email)
		invited = append(invited, who)
	}
	s.at(-2, 10)
	_, err = s.a.InviteToProgram(s.as(runner.ID), p.ID, app.ProgramInvite{Emails: emails})
	s.fail("invite", err)
	if err != nil || len(invited) < 2 {
		return
	}
	s.at(-1, 9)
	s.fail("decline the invitation", s.a.DeclineProgramInvitation(s.as(invited[0].ID), p.ID))
	qs, err := s.a.Questions(s.as(invited[1].ID), p.ID)
	s.fail("questions", err)
	ap := tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{}}
	for i, q := range qs {
		ap.Answers[q.ID] = s.answer(q, invited[1], ap.Role, i)
	}
	_, err = s.a.Apply(s.as(invited[1].ID), p.ID, ap, false)
	s.fail("apply when invited", err)
	s.personas = append(s.personas, invited[0].ID, invited[1].ID)
}

// cohortWork gives a partnership of the running program its first weeks:
// two sessions held, with a shared note and ratings, and the next one
// booked.
func (w *demoWork) cohortWork(e *tandem.Engagement) {
	l, m := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	steps := []demoStep{
		{day: -20, hour: 11, minutes: 60, by: l.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "What each of us wants from the program"},
		{day: -6, hour: 11, minutes: 60, by: m.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: m.ID,
			agenda: "Working with the other sites: what helps"},
		{day: 8, hour: 11, minutes: 60, by: l.ID, video: w.video(e), agenda: "A presentation to another site: the draft"},
	}
	w.run(e, steps, func(i int, mt *tandem.Meeting) {
		if i == 0 {
			w.note(e, mt, l.ID, true, "## First session\n\nWe agreed on three months, every two or three weeks on video.\n\n"+
				"- "+first(l)+": wants to work better with the other sites\n- "+first(m)+": will share how their team plans across time zones")
		} else {
			w.note(e, mt, m.ID, true, "## Across sites\n\n- Agree the decision before the meeting, in writing\n"+
				"- "+first(l)+" drafts a short presentation for another site's team")
		}
		w.rate(e, mt, l.ID, 4+i%2, "Useful and easy going.", false)
	})
}

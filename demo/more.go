package demo

import (
	"fmt"

	"github.com/tandemhq/tandem"
)

// moreRounds is how many times more tells its dozen stories: with the
// engagements of coaching and mentoring, a few dozen in all.
const moreRounds = 2

// more seeds, round after round, engagements of both kinds in every state
// beyond the hand-told ones: coaching active, ending soon, waiting for the
// coach, waiting for the coachee, ended early by the coach, expired;
// mentoring active in its first phase, with a reversal proposed and not yet
// answered, waiting for the mentor, waiting for the protégé, in
// separation, and ended by the protégé. work then gives the active ones
// their sessions, notes, goals and reflections.
func (s *demoSeed) more() {
	expired := false
	for r := range moreRounds {
		base := 0.45 + 0.13*float64(r)
		for i := range 6 {
			if s.err != nil {
				return
			}
			expired = s.moreCoaching(r, i, base+0.02*float64(i)) || expired
		}
		for i := range 6 {
			if s.err != nil {
				return
			}
			s.moreMentoring(r, i, base+0.5+0.02*float64(i))
		}
	}
	if expired && s.err == nil {
		s.at(0, 0) // the nightly job, the day after the end dates
		_, err := s.a.ExpireDue(s.ctx)
		s.fail("expire", err)
	}
}

// coachingTerms are the terms of a coaching engagement, varied by round.
func coachingTerms(r int, l, c *tandem.Person, k tandem.PersonSkill, start, end tandem.Date) tandem.Agreement {
	terms := []tandem.Agreement{{
		Outcomes: []string{
			growth(level(l, k.SkillID), k.Name),
			fmt.Sprintf("Take on one %s task at work that %s would have asked a colleague to do before", k.Name, first(l)),
		},
		Cadence: "Every two weeks, one hour", Channels: "Video, with one session in person",
		Confidentiality:  "Our notes stay between us; the manager sees the outcomes and evaluations",
		ReviewMethod:     "A look at the rubric every third session",
		ExitTerms:        "Either may end it with a short note saying why",
		EvaluationMethod: "Rubric level agreed by coach and coachee, with a work example",
	}, {
		Outcomes: []string{
			fmt.Sprintf("Teach the basics of %s to two new colleagues", k.Name),
			"Get written feedback from both on what helped, and act on it",
		},
		Cadence: "Weekly, 45 minutes", Channels: "In person in " + c.Location + ", phone otherwise",
		Confidentiality:  "Nothing leaves the room without both of us agreeing",
		ReviewMethod:     "Halfway and at the end, against the outcomes",
		ExitTerms:        "Either may stop after one conversation about why",
		EvaluationMethod: "The two colleagues' feedback and the coach's observation",
	}}
	t := terms[r%len(terms)]
	t.Start, t.End = start, end
	return t
}

// moreCoaching seeds the i-th coaching story of round r, from the people
// at a fraction of the list; it reports whether it left one to expire.
func (s *demoSeed) moreCoaching(r, i int, at float64) bool {
	l, c, k := s.coachingPair(at, 0)
	if l == nil {
		return false // a small demo has run out of people: fewer stories
	}
	p := tandem.Proposal{Kind: tandem.Coaching, LearnerID: l.ID, GuideID: c.ID, SkillID: k.SkillID,
		Setting: []string{"Online", l.Location + " office", "Online, with a visit to " + c.Location}[(r+i)%3]}
	switch i {
	case 0: // active, the sessions of work's coaching story ahead
		p.Agreement = coachingTerms(r, l, c, k, s.day(-10), s.day(-10).AddMonths(3))
		s.at(-16-r, 10)
		e := s.propose(l.ID, p, "")
		s.at(-15-r, 15)
		s.agree(e, l.ID, c.ID, l.ManagerID)
	case 1: // ending soon: three weeks left
		end := s.day(19 + r)
		p.Agreement = coachingTerms(r, l, c, k, end.AddMonths(-3), end)
		s.atDate(end.AddMonths(-3), -6*24+10)
		e := s.propose(c.ID, p, "")
		s.atDate(end.AddMonths(-3), -5*24+10)
		s.agree(e, c.ID, l.ID, l.ManagerID)
	case 2: // waiting for the coach: the coachee asked
		p.Agreement = coachingTerms(r, l, c, k, s.day(10), s.day(10).AddMonths(3))
		s.at(-2-r, 11)
		s.propose(l.ID, p, "") // proposing is agreeing
	case 3: // waiting for the coachee: the coach offered, the manager agreed
		p.Agreement = coachingTerms(r, l, c, k, s.day(21), s.day(21).AddMonths(4))
		s.at(-5-r, 9)
		e := s.propose(c.ID, p, "") // proposing is agreeing
		s.at(-4-r, 16)
		s.agree(e, l.ManagerID)
	case 4: // ended early by the coach
		p.Agreement = coachingTerms(r, l, c, k, s.day(-80), s.day(-80).AddMonths(4))
		s.at(-86-r, 10)
		e := s.propose(l.ID, p, "")
		s.at(-85-r, 12)
		s.agree(e, l.ID, c.ID, l.ManagerID)
		s.at(-20-r, 17)
		s.do(e, "end", func(id int64) error {
			_, err := s.a.End(s.as(c.ID), id, "I am moving to another site and cannot keep the cadence we agreed; "+
				first(l)+" is on track and I have suggested two coaches to carry on.")
			return err
		})
	case 5: // expired: the end date passed without a word
		end := s.day(-9 - r)
		p.Agreement = coachingTerms(r, l, c, k, end.AddMonths(-4), end)
		s.atDate(end.AddMonths(-4), -3*24+10)
		e := s.propose(c.ID, p, "")
		s.atDate(end.AddMonths(-4), -2*24+10)
		s.agree(e, c.ID, l.ID, l.ManagerID)
		return e != nil
	}
	return false
}

// mentoringTerms are the terms of a mentoring partnership, varied by round.
func mentoringTerms(r int, l, m *tandem.Person) tandem.Agreement {
	terms := []tandem.Agreement{{
		Outcomes: []string{
			"Understand how " + m.Department + " works and where " + l.Department + " fits with it",
			"A plan for the next two years that " + first(l) + " believes in",
		},
		Cadence: "Monthly, an hour", Channels: "Video, and coffee when in the same city",
		Confidentiality: "Everything stays between us",
		ReviewMethod:    "A review point every quarter",
		ExitTerms:       "Either may close it at a review point, or any time with a note",
	}, {
		Outcomes: []string{
			"Confidence in leading meetings with senior people",
			"A wider network outside " + l.Location,
		},
		Cadence: "Every three weeks, 45 minutes", Channels: "Video across sites (" + l.Location + " and " + m.Location + ")",
		Confidentiality: "Chatham House: ideas may travel, names do not",
		ReviewMethod:    "A short written reflection from each before every review point",
		ExitTerms:       "Either may end it by message, no reason needed",
	}}
	return terms[r%len(terms)]
}

// moreMentoring seeds the i-th mentoring story of round r, from the people
// at a fraction of the list.
func (s *demoSeed) moreMentoring(r, i int, at float64) {
	l, m := s.protege(at)
	if l == nil {
		return // a small demo has run out of people: fewer stories
	}
	p := tandem.Proposal{Kind: tandem.Mentoring, LearnerID: l.ID, GuideID: m.ID, Agreement: mentoringTerms(r, l, m),
		Areas: [][]tandem.Area{{tandem.AreaCareer, tandem.AreaSkills}, {tandem.AreaCareer, tandem.AreaWellbeing, tandem.AreaPurpose}}[(r+i)%2]}
	switch i {
	case 0, 1, 4: // active: in its first phase; with a reversal proposed; in separation
		s.at(-72-r, 10)
		e := s.propose(l.ID, p, "")
		s.at(-71-r, 12)
		s.agree(e, l.ID, m.ID, l.ManagerID)
		switch i {
		case 1:
			s.at(-30-r, 18)
			s.do(e, "phase", func(id int64) error {
				_, err := s.a.SetPhase(s.as(m.ID), id, tandem.PhaseRedefinition, "We learn as much from each other now.")
				return err
			})
			s.at(-1, 9)
			s.do(e, "reversal", func(id int64) error {
				_, err := s.a.ProposeReversal(s.as(m.ID), id, "On leading through change you are ahead of me now; shall we swap roles?")
				return err
			})
		case 4:
			s.at(-20-r, 18)
			s.do(e, "phase", func(id int64) error {
				_, err := s.a.SetPhase(s.as(l.ID), id, tandem.PhaseSeparation, "I am ready to try this on my own; a few more sessions to wrap up.")
				return err
			})
		}
	case 2: // waiting for the mentor
		s.at(-3-r, 14)
		s.propose(l.ID, p, "") // proposing is agreeing
	case 3: // waiting for the protégé: the mentor offered, the manager agreed
		s.at(-6-r, 10)
		e := s.propose(m.ID, p, "") // proposing is agreeing
		s.at(-5-r, 15)
		s.agree(e, l.ManagerID)
	case 5: // ended by the protégé
		s.atDate(s.today.AddMonths(-6), 10)
		e := s.propose(l.ID, p, "")
		s.atDate(s.today.AddMonths(-6), 24+10)
		s.agree(e, l.ID, m.ID, l.ManagerID)
		s.at(-25-r, 12)
		s.do(e, "end", func(id int64) error {
			_, err := s.a.End(s.as(l.ID), id, "A new role with a lot of travel; we will pick this up again next year.")
			return err
		})
	}
}

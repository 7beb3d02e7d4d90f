package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// seedDemoEngagements gives the demo organization engagements of both
// kinds in every state. They are made through the same use cases people
// use, acting as each party in turn, so every rule holds in the demo as in
// real use: outcome agreements, the hierarchy rule for mentoring, one open
// coaching engagement per skill. The choices depend only on the people,
// who depend only on the generator's seed, so the demo is the same every
// time. The administrator is a party to one engagement of each kind, so
// that signing in shows them under My engagements.
func seedEngagements(ctx context.Context, a *app.App, org *tandem.Org, adminID int64) (int, []int64, error) {
	// The engagements are proposed and agreed "at their time", before the
	// work that work() tells, on a copy of the App with a clock of its own
	// (as work does): the server may be answering other requests meanwhile.
	real := a.DB.Now()
	db, story := *a.DB, *a
	story.DB = &db
	s := &demoSeed{a: &story, ctx: ctx, org: org, byID: map[int64]*tandem.Person{}, busy: map[int64]bool{},
		today: tandem.DateOf(real), real: real, now: real}
	db.Now = func() time.Time { return s.now }
	err := a.DB.ExportPeople(ctx, org.ID, func(p *tandem.Person, _ string) error {
		q := *p
		s.people = append(s.people, &q)
		s.byID[q.ID] = &q
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	s.admin = s.byID[adminID]
	if s.admin == nil {
		return 0, nil, fmt.Errorf("the administrator %d is not among the demo people", adminID)
	}
	s.busy[adminID] = true // the administrator takes part only where chosen
	s.coaching()
	s.mentoring()
	s.more()
	s.programs()
	s.cohorts()
	s.now = s.real // work keeps a clock of its own, up to the real now
	s.work()
	return s.n, s.personas, s.err
}

// demoSeed is the state of seeding: the people, who has a part already,
// and the first error, after which every step does nothing, so the script
// below reads as the story it tells.
type demoSeed struct {
	a      *app.App
	ctx    context.Context
	org    *tandem.Org
	admin  *tandem.Person
	people []*tandem.Person // by email: the order fixes every choice
	byID   map[int64]*tandem.Person
	busy   map[int64]bool // a learner or guide of a seeded engagement already
	today  tandem.Date
	real   time.Time // the real now, when seeding began
	now    time.Time // the story's clock (see at)
	n      int
	err    error
	// stalledID and reversedID are the partnerships whose stories work
	// tells apart: the skip-level one that stalls, the one whose roles
	// were swapped.
	stalledID, reversedID int64
	actors                map[int64]context.Context // as, remembered
	personas              []int64                   // people of programs to give accounts to
	cohortIDs             map[int64]bool            // partnerships published by the running program
}

// at sets the story's clock to hour o'clock (UTC) on the day d days from
// today, never past the real now.
func (s *demoSeed) at(d, hour int) { s.atDate(s.day(d), hour) }

// atDate sets the story's clock to hour o'clock (UTC) on date, never past
// the real now.
func (s *demoSeed) atDate(date tandem.Date, hour int) {
	s.now = date.Time().Add(time.Duration(hour) * time.Hour)
	if s.now.After(s.real) {
		s.now = s.real
	}
}

func (s *demoSeed) fail(step string, err error) {
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("demo engagements: %s: %w", step, err)
	}
}

// as returns a context acting as the person. Demo people have no accounts
// (nobody signs in as them), so the actor is built from the person rather
// than from a session.
func (s *demoSeed) as(id int64) context.Context {
	if c, ok := s.actors[id]; ok {
		return c
	}
	p, err := s.a.DB.PersonByID(s.ctx, s.org.ID, id)
	if err != nil {
		s.fail("load person", err)
		return s.ctx
	}
	c := tandem.WithActor(s.ctx, &tandem.Actor{Person: p, Org: s.org})
	if s.actors == nil {
		s.actors = map[int64]context.Context{}
	}
	s.actors[id] = c
	return c
}

// day returns the day n days from today.
func (s *demoSeed) day(n int) tandem.Date { return tandem.DateOf(s.today.Time().AddDate(0, 0, n)) }

func first(p *tandem.Person) string { return strings.Fields(p.Name + " ?")[0] }

// propose proposes as by; nil after an error.
func (s *demoSeed) propose(by int64, p tandem.Proposal, exception string) *tandem.Engagement {
	if s.err != nil {
		return nil
	}
	e, err := s.a.Propose(s.as(by), p, exception)
	s.fail("propose", err)
	if err == nil {
		s.n++
		s.busy[p.LearnerID], s.busy[p.GuideID] = true, true
	}
	return e
}

// agree has each person agree to the current version of the agreement,
// but for whoever wrote it: proposing or revising counts as agreeing.
func (s *demoSeed) agree(e *tandem.Engagement, ids ...int64) {
	for _, id := range ids {
		if s.err != nil || e == nil || id == 0 {
			return
		}
		cur, err := s.a.DB.EngagementByID(s.ctx, s.org.ID, e.ID)
		if err != nil {
			s.fail("agree", err)
			return
		}
		rs, err := s.a.DB.Responses(s.ctx, s.org.ID, e.ID)
		if err != nil {
			s.fail("agree", err)
			return
		}
		if agreedTo(rs, cur.CurrentVersion, id) {
			continue
		}
		_, err = s.a.Respond(s.as(id), e.ID, cur.CurrentVersion, true, "")
		s.fail("agree", err)
	}
}

// agreedTo reports whether the person has agreed to the version.
func agreedTo(rs []tandem.Response, version int, personID int64) bool {
	for _, r := range rs {
		if r.Version == version && r.PersonID == personID && r.Agreed {
			return true
		}
	}
	return false
}

// do runs one step of an engagement's story, unless an earlier one failed.
func (s *demoSeed) do(e *tandem.Engagement, step string, fn func(id int64) error) {
	if s.err != nil || e == nil {
		return
	}
	s.fail(step, fn(e.ID))
}

// coachOffer is a skill someone is open to coach.
type coachOffer struct {
	coach *tandem.Person
	skill tandem.PersonSkill
}

// offers lists what people are open to coach, then, since few people say
// so in a generated organization, everyone's skills at intermediate level
// or above, strongest first: the coaches a coachee would find by asking
// around.
func (s *demoSeed) offers() []coachOffer {
	var open, strong []coachOffer
	for _, p := range s.people {
		for _, sk := range p.Skills {
			switch {
			case sk.Retired:
			case sk.Coaches:
				open = append(open, coachOffer{p, sk})
			case sk.Level >= tandem.Intermediate:
				strong = append(strong, coachOffer{p, sk})
			}
		}
	}
	slices.SortStableFunc(strong, func(a, b coachOffer) int { return int(b.skill.Level - a.skill.Level) })
	return append(open, strong...)
}

// from lists the people starting at a fraction of the list, so that the
// engagements spread over departments and sites.
func (s *demoSeed) from(at float64) []*tandem.Person {
	k := int(at*float64(len(s.people))) % len(s.people)
	return append(append([]*tandem.Person(nil), s.people[k:]...), s.people[:k]...)
}

// level returns the person's level in the skill, 0 when they lack it.
func level(p *tandem.Person, skillID int64) tandem.Level {
	for _, sk := range p.Skills {
		if sk.SkillID == skillID {
			return sk.Level
		}
	}
	return 0
}

// coachingPair finds a coachee with a manager and a coach who is not that
// manager, for a skill the coach is open to coach; best when the coachee
// has the skill at a lower level, with people not yet in the demo's
// engagements. avoid is a coach not to choose.
func (s *demoSeed) coachingPair(at float64, avoid int64) (*tandem.Person, *tandem.Person, tandem.PersonSkill) {
	offers := s.offers()
	for pass := range 3 {
		for _, l := range s.from(at) {
			if s.busy[l.ID] || l.ManagerID == 0 {
				continue
			}
			for _, o := range offers {
				c := o.coach
				if c.ID == l.ID || c.ID == l.ManagerID || c.ID == avoid || (pass < 2 && s.busy[c.ID]) {
					continue
				}
				if lv := level(l, o.skill.SkillID); pass == 0 && (lv == 0 || lv >= o.skill.Level) {
					continue
				}
				return l, c, o.skill
			}
		}
	}
	return nil, nil, tandem.PersonSkill{}
}

// mentorFor finds a mentor outside the protégé's management chain, best
// one open to mentoring from another department, not yet in the demo's
// engagements.
func (s *demoSeed) mentorFor(l *tandem.Person, at float64) *tandem.Person {
	for pass := range 3 {
		for _, m := range s.from(at) {
			if m.ID == l.ID || m.ID == s.admin.ID || (pass < 2 && s.busy[m.ID]) ||
				(pass == 0 && (!m.OpenToMentor() || m.Department == l.Department)) {
				continue
			}
			related, err := s.a.DB.Related(s.ctx, s.org.ID, l.ID, m.ID)
			if err != nil {
				s.fail("hierarchy", err)
				return nil
			}
			if !related {
				return m
			}
		}
	}
	return nil
}

// protege finds a protégé with a manager who is not in the demo's
// engagements yet, and a mentor for them.
func (s *demoSeed) protege(at float64) (*tandem.Person, *tandem.Person) {
	for _, l := range s.from(at) {
		if s.busy[l.ID] || l.ManagerID == 0 {
			continue
		}
		if m := s.mentorFor(l, at+0.5); m != nil {
			return l, m
		}
	}
	return nil, nil
}

func (s *demoSeed) missing(what string) {
	s.fail(what, fmt.Errorf("no suitable people among %d", len(s.people)))
}

// coaching seeds the coaching engagements: one active with the learner's
// manager as coach, one active with a coach open to the skill, a draft
// waiting on the manager, an expired one and the engagement that moved on
// from it with a new coach, and one ended early.
func (s *demoSeed) coaching() {
	// The manager as coach. The administrator is the coachee when they
	// have a manager (as they do unless they took the chief executive's
	// place), else the coach of one of their reports.
	learner, mgr := s.admin, s.byID[s.admin.ManagerID]
	if mgr == nil {
		learner, mgr = nil, s.admin
		for _, p := range s.people {
			if p.ManagerID == s.admin.ID {
				learner = p
				break
			}
		}
	}
	if learner == nil {
		s.missing("manager as coach")
		return
	}
	if len(learner.Skills) == 0 {
		s.missing("manager as coach")
		return
	}
	sk := learner.Skills[len(learner.Skills)-1]
	for _, x := range learner.Skills {
		if x.Name == "Coaching conversations" && !x.Retired {
			sk = x
		}
	}
	s.at(-27, 9)
	e := s.propose(mgr.ID, tandem.Proposal{Kind: tandem.Coaching, LearnerID: learner.ID, GuideID: mgr.ID, SkillID: sk.SkillID,
		Setting: "Weekly one-to-ones, " + mgr.Location + " office", Agreement: tandem.Agreement{
			Outcomes: []string{
				"Hold a coaching conversation with each new program mentor before the end date, asking before advising",
				"Score at least 4 of 5 on the listening rubric in two conversations " + first(mgr) + " observes",
			},
			Cadence: "Thirty minutes in our weekly one-to-one", Channels: "In person; video when travelling",
			Confidentiality: "Notes stay between us; the rubric scores go into the development plan",
			ReviewMethod:    "A look back at the rubric every four weeks",
			ExitTerms:       "Either of us can pause it in a one-to-one, no reason needed",
			Start:           s.day(-21), End: s.day(-21).AddMonths(3),
			EvaluationMethod: "The listening rubric (1–5) scored after each observed conversation",
		}}, "")
	s.at(-26, 11)
	s.agree(e, learner.ID, mgr.ID)

	// Active, with a coach open to coaching the skill.
	l, c, k := s.coachingPair(0.1, 0)
	if l == nil {
		s.missing("active coaching")
		return
	}
	s.at(-16, 10)
	e = s.propose(l.ID, tandem.Proposal{Kind: tandem.Coaching, LearnerID: l.ID, GuideID: c.ID, SkillID: k.SkillID,
		Setting: "Online, with one session on site in " + c.Location, Agreement: tandem.Agreement{
			Outcomes: []string{
				growth(level(l, k.SkillID), k.Name),
				fmt.Sprintf("Lead two real pieces of work that depend on %s: %s reviews the first and only observes the second", k.Name, first(c)),
			},
			Cadence: "Every two weeks, one hour", Channels: "Video calls and a shared document",
			Confidentiality: "Session notes are ours; the manager sees the outcomes and the evaluation",
			ReviewMethod:    "Progress against the rubric at every fourth session",
			ExitTerms:       "Either side may end it with a short note saying why",
			Start:           s.day(-10), End: s.day(-10).AddMonths(3),
			EvaluationMethod: "Rubric level agreed by coach and coachee, with two work examples",
		}}, "")
	s.at(-15, 15)
	s.agree(e, l.ID, c.ID, l.ManagerID)

	// A draft waiting for the manager: they asked for a measurable outcome,
	// the coach revised, the two partners agreed to the new version.
	l, c, k = s.coachingPair(0.2, 0)
	if l == nil {
		s.missing("draft coaching")
		return
	}
	ag := tandem.Agreement{Outcomes: []string{"Get better at " + k.Name},
		Cadence: "Weekly, 45 minutes", Channels: "In person at " + l.Location,
		Confidentiality: "Nothing leaves the room without both of us agreeing",
		ReviewMethod:    "A short written check-in each month",
		ExitTerms:       "Either may stop after one conversation about why",
		Start:           s.day(14), End: s.day(14).AddMonths(4),
		EvaluationMethod: "Coach's assessment at the end",
	}
	s.at(-4, 10)
	e = s.propose(l.ID, tandem.Proposal{Kind: tandem.Coaching, LearnerID: l.ID, GuideID: c.ID, SkillID: k.SkillID,
		Setting: l.Location + " site", Agreement: ag}, "")
	s.at(-3, 14)
	s.do(e, "ask for changes", func(id int64) error {
		_, err := s.a.Respond(s.as(l.ManagerID), id, 1, false,
			"\"Get better\" is hard to measure: could we tie it to the next release and a date, and say how it is evaluated?")
		return err
	})
	ag.Outcomes = []string{
		fmt.Sprintf("Own the %s work in the next release end to end, with at most one round of rework", k.Name),
		"Present what changed to the team in a 20-minute session before the end date",
	}
	ag.EvaluationMethod = "Rework count from the release, and written feedback from two colleagues"
	s.at(-2, 9)
	s.do(e, "revise", func(id int64) error { _, err := s.a.Revise(s.as(c.ID), id, ag); return err })
	s.at(-2, 16)
	s.agree(e, c.ID, l.ID)

	// Expired: dates in the past, agreed, then the end date passed.
	l, c, k = s.coachingPair(0.3, 0)
	if l == nil {
		s.missing("expired coaching")
		return
	}
	s.atDate(s.today.AddMonths(-4), -5*24+10)
	old := s.propose(c.ID, tandem.Proposal{Kind: tandem.Coaching, LearnerID: l.ID, GuideID: c.ID, SkillID: k.SkillID,
		Setting: "Team room, " + c.Location, Agreement: tandem.Agreement{
			Outcomes: []string{
				fmt.Sprintf("Run the monthly %s review without help by the third month", k.Name),
				fmt.Sprintf("Write a one-page %s checklist the team adopts", k.Name),
			},
			Cadence: "Every three weeks", Channels: "In person",
			Confidentiality: "The checklist is public; our conversations are not",
			ReviewMethod:    "Check against the review calendar each month",
			ExitTerms:       "Either may end it at a session",
			Start:           s.today.AddMonths(-4), End: s.day(-1),
			EvaluationMethod: "Whether the last two reviews ran without the coach",
		}}, "")
	s.atDate(s.today.AddMonths(-4), -4*24+15)
	s.agree(old, l.ID, c.ID, l.ManagerID)
	if old != nil {
		old.SkillName = k.Name
	}
	s.expiredHistory(old)
	if s.err == nil {
		s.at(0, 0) // the nightly job, the day after the end date
		_, err := s.a.ExpireDue(s.ctx)
		s.fail("expire", err)
	}

	// Moved on: the same skill with a new coach, the history shared.
	if s.err == nil {
		c2 := s.coachFor(l, k, c.ID)
		if c2 == nil {
			s.missing("coaching that moved on")
			return
		}
		s.at(0, 8)
		e = s.propose(l.ID, tandem.Proposal{Kind: tandem.Coaching, LearnerID: l.ID, GuideID: c2.ID, SkillID: k.SkillID,
			Setting: "Online", ShareHistory: true, Agreement: tandem.Agreement{
				Outcomes: []string{
					"Apply the checklist from the previous engagement to a cross-team project",
					fmt.Sprintf("Guide one newer colleague through their first %s task", k.Name),
				},
				Cadence: "Every two weeks", Channels: "Video",
				Confidentiality: "The previous coach's notes are shared by my choice; new notes stay between us",
				ReviewMethod:    "Mid-point review with the manager",
				ExitTerms:       "Either may end it with a week's notice",
				Start:           s.today, End: s.today.AddMonths(3),
				EvaluationMethod: "The project's retrospective and the colleague's feedback",
			}}, "")
		s.agree(e, l.ID, c2.ID, l.ManagerID)
	}

	// Ended early by the coachee, with the reason.
	l, c, k = s.coachingPair(0.4, 0)
	if l == nil {
		s.missing("ended coaching")
		return
	}
	s.atDate(s.today.AddMonths(-2), -3*24+10)
	e = s.propose(l.ID, tandem.Proposal{Kind: tandem.Coaching, LearnerID: l.ID, GuideID: c.ID, SkillID: k.SkillID,
		Setting: "Regional office, " + l.Location, Agreement: tandem.Agreement{
			Outcomes: []string{
				fmt.Sprintf("Prepare and lead one %s session for the regional team", k.Name),
				"Collect written feedback from three attendees and act on one point",
			},
			Cadence: "Fortnightly", Channels: "Phone and in person",
			Confidentiality: "Between us unless we agree otherwise",
			ReviewMethod:    "After the session",
			ExitTerms:       "Either may end it; a change of role is reason enough",
			Start:           s.today.AddMonths(-2), End: s.today.AddMonths(2),
			EvaluationMethod: "Attendee feedback and the coach's observation",
		}}, "")
	s.atDate(s.today.AddMonths(-2), -2*24+11)
	s.agree(e, l.ID, c.ID, l.ManagerID)
	s.at(-6, 17)
	s.do(e, "end", func(id int64) error {
		_, err := s.a.End(s.as(l.ID), id, "I moved to a new role and this skill no longer fits it; thank you, "+first(c)+".")
		return err
	})
}

// growth is a measurable outcome: one level up on the skills rubric.
func growth(from tandem.Level, skill string) string {
	if from == 0 {
		return fmt.Sprintf("Reach %s in %s on the team's skills rubric", strings.ToLower(tandem.Intermediate.Label()), skill)
	}
	return fmt.Sprintf("Move from %s to %s in %s on the team's skills rubric",
		strings.ToLower(from.Label()), strings.ToLower(min(from+1, tandem.Expert).Label()), skill)
}

// coachFor finds another coach for the skill, not the learner, their
// manager, the administrator or avoid: best someone open to coaching it or
// stronger in it than the learner, else anyone with the skill, else anyone.
func (s *demoSeed) coachFor(l *tandem.Person, k tandem.PersonSkill, avoid int64) *tandem.Person {
	ok := func(p *tandem.Person) bool {
		return p.ID != l.ID && p.ID != l.ManagerID && p.ID != avoid && p.ID != s.admin.ID && !s.busy[p.ID]
	}
	for _, o := range s.offers() {
		if o.skill.SkillID == k.SkillID && ok(o.coach) && o.skill.Level > level(l, k.SkillID) {
			return o.coach
		}
	}
	var anyone *tandem.Person
	for _, p := range s.from(0.6) {
		if !ok(p) {
			continue
		}
		if level(p, k.SkillID) > 0 {
			return p
		}
		if anyone == nil {
			anyone = p
		}
	}
	return anyone
}

// mentoring seeds the mentoring partnerships: the administrator's in the
// cultivation phase with agenda and learnings, one whose roles reversed,
// one waiting for the manager, one closed at a review point, and one an
// administrator allowed inside the management chain.
func (s *demoSeed) mentoring() {
	if s.err != nil {
		return
	}
	// Cultivation, with the administrator as protégé when someone outside
	// their chain can mentor them.
	l, m := s.admin, s.mentorFor(s.admin, 0.7)
	if m == nil || l.ManagerID == 0 {
		l, m = s.protege(0.7)
	}
	if l == nil {
		s.missing("mentoring in cultivation")
		return
	}
	s.at(-64, 10)
	e := s.propose(l.ID, tandem.Proposal{Kind: tandem.Mentoring, LearnerID: l.ID, GuideID: m.ID, Agreement: tandem.Agreement{
		Outcomes: []string{
			"Grow from running programs to shaping how the organization learns",
			"A clearer view of which path to take in the next two years",
			"Keep a sustainable pace while the programs grow",
		},
		Cadence: "Monthly, ninety minutes, walking when the weather allows", Channels: "In person or video; chat between meetings",
		Confidentiality: "Everything stays between us; our managers see these outcomes only",
		ReviewMethod:    "At each review point: what has changed, what to keep",
		ExitTerms:       "Either of us may close it at a review point, or any time with a note",
	}}, "")
	s.at(-62, 16)
	s.agree(e, l.ID, m.ID, l.ManagerID)
	s.at(-27, 18)
	s.do(e, "phase", func(id int64) error {
		_, err := s.a.SetPhase(s.as(m.ID), id, tandem.PhaseCultivation, "We know each other's goals now; deeper topics from here.")
		return err
	})
	var agenda *tandem.Item
	s.do(e, "agenda", func(id int64) (err error) {
		agenda, err = s.a.AddItem(s.as(l.ID), id, false, "Go through my draft of the mentoring program charter")
		return err
	})
	s.do(e, "agenda", func(id int64) error {
		_, err := s.a.AddItem(s.as(m.ID), id, false, "Bring two stakeholder maps from past projects to compare approaches")
		return err
	})
	s.do(e, "learning", func(id int64) error {
		_, err := s.a.AddItem(s.as(l.ID), id, true, "From "+first(m)+": write the decision down before the meeting, not after.")
		return err
	})
	s.do(e, "learning", func(id int64) error {
		_, err := s.a.AddItem(s.as(m.ID), id, true, "From "+first(l)+": ask what support someone wants before offering advice.")
		return err
	})
	s.do(e, "complete", func(id int64) error { return s.a.CompleteItem(s.as(m.ID), id, agenda.ID) })

	// Reversed: after a while the protégé had more to teach.
	l, m = s.protege(0.15)
	if l == nil {
		s.missing("reversed mentoring")
		return
	}
	s.at(-70, 10)
	e = s.propose(m.ID, tandem.Proposal{Kind: tandem.Mentoring, LearnerID: l.ID, GuideID: m.ID,
		Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaSkills}, Agreement: tandem.Agreement{
			Outcomes: []string{
				"Find my footing as a new manager: delegating, giving feedback, saying no",
				"Understand how " + m.Department + " plans and decides",
			},
			Cadence: "Every three weeks over lunch", Channels: "In person in " + m.Location + ", video otherwise",
			Confidentiality: "Chatham House: ideas may travel, names do not",
			ReviewMethod:    "Every quarter, each of us says what we learned",
			ExitTerms:       "Either may close it without fault",
		}}, "")
	s.at(-68, 12)
	s.agree(e, l.ID, m.ID, l.ManagerID)
	if e != nil {
		s.reversedID = e.ID
	}
	s.at(-36, 14)
	s.do(e, "phase", func(id int64) error {
		_, err := s.a.SetPhase(s.as(l.ID), id, tandem.PhaseRedefinition, "We are more peers than mentor and protégé now.")
		return err
	})
	s.do(e, "reversal", func(id int64) error {
		_, err := s.a.ProposeReversal(s.as(m.ID), id, "You know more about running a team through change than I do now; shall we swap?")
		return err
	})
	s.at(-35, 9)
	s.do(e, "accept reversal", func(id int64) error { _, err := s.a.AnswerReversal(s.as(l.ID), id, true); return err })
	// The new protégé's manager agrees to the terms (a new version when
	// the manager changed).
	s.at(-34, 11)
	if cur, err := s.a.DB.EngagementByID(s.ctx, s.org.ID, e.ID); s.err == nil && err == nil && cur.CurrentVersion != cur.AgreedVersion {
		s.agree(e, cur.Manager.ID)
	}

	// Waiting for the manager: both partners agreed.
	l, m = s.protege(0.35)
	if l == nil {
		s.missing("draft mentoring")
		return
	}
	s.at(-3, 13)
	e = s.propose(l.ID, tandem.Proposal{Kind: tandem.Mentoring, LearnerID: l.ID, GuideID: m.ID, Agreement: tandem.Agreement{
		Outcomes: []string{
			"Explore a move from " + l.Department + " into " + m.Department + ": what it takes and whom to talk to",
			"Build confidence speaking at company-wide meetings",
		},
		Cadence: "Twice a month, 45 minutes", Channels: "Video across time zones (" + l.TimeZone + " and " + m.TimeZone + ")",
		Confidentiality: "Career plans stay between us until I choose to share them",
		ReviewMethod:    "A written reflection from each of us before every review point",
		ExitTerms:       "Either may end it by message, no reason needed",
	}}, "")
	s.at(-2, 10)
	s.agree(e, l.ID, m.ID)

	// Closed at a review point, the goals met.
	l, m = s.protege(0.55)
	if l == nil {
		s.missing("ended mentoring")
		return
	}
	s.atDate(s.today.AddMonths(-9), 10)
	e = s.propose(l.ID, tandem.Proposal{Kind: tandem.Mentoring, LearnerID: l.ID, GuideID: m.ID,
		Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaPurpose, tandem.AreaWellbeing}, Agreement: tandem.Agreement{
			Outcomes: []string{
				"Prepare for a first leadership role",
				"Build a network outside " + l.Department,
			},
			Cadence: "Monthly", Channels: "Coffee in person when in the same city, video otherwise",
			Confidentiality: "Private unless both agree",
			ReviewMethod:    "Review points every quarter",
			ExitTerms:       "We close it together at a review point when the goals are met",
		}}, "")
	s.atDate(s.today.AddMonths(-9), 2*24+10)
	s.agree(e, l.ID, m.ID, l.ManagerID)
	s.at(-40, 12)
	s.do(e, "phase", func(id int64) error {
		_, err := s.a.SetPhase(s.as(l.ID), id, tandem.PhaseSeparation, "I lead my own team now; time to stand on my own.")
		return err
	})
	s.at(-12, 12)
	s.do(e, "review", func(id int64) error {
		_, err := s.a.Review(s.as(m.ID), id, tandem.ReviewClose, "Goals met: "+first(l)+" leads a team now. We will keep in touch.")
		return err
	})

	// Inside the chain, with an administrator's exception: a skip-level
	// mentor, the only experienced one at the site.
	var skip *tandem.Person
	l = nil
	for _, p := range s.from(0.85) {
		if mgr := s.byID[p.ManagerID]; !s.busy[p.ID] && mgr != nil && mgr.ManagerID != 0 && mgr.ManagerID != s.admin.ID && p.ID != s.admin.ID {
			l, skip = p, s.byID[mgr.ManagerID]
			break
		}
	}
	if l == nil {
		s.missing("mentoring with an exception")
		return
	}
	reason := fmt.Sprintf("%s is the most experienced %s person at the %s site and the only one who can mentor this craft; "+
		"the partnership keeps to craft and career, and performance stays with %s, the line manager.",
		skip.Name, l.Department, skip.Location, s.byID[l.ManagerID].Name)
	// Before the story work() tells of it (it stalls): stalled days and a
	// month of work before them.
	sd := 21
	if settings, err := s.a.DB.OrgSettings(s.ctx, s.org.ID); err == nil {
		sd = max(settings.StalledDays, 7)
	}
	s.at(-sd-40, 10)
	e = s.propose(s.admin.ID, tandem.Proposal{Kind: tandem.Mentoring, LearnerID: l.ID, GuideID: skip.ID,
		Areas: []tandem.Area{tandem.AreaSkills, tandem.AreaCareer}, Agreement: tandem.Agreement{
			Outcomes: []string{
				"Learn the craft of " + l.Department + " from its most experienced practitioner at the site",
				"Know which specialism to grow into",
			},
			Cadence: "Monthly", Channels: "In person",
			Confidentiality: "Nothing said here is used in performance reviews",
			ReviewMethod:    "Review points with a short reflection from each",
			ExitTerms:       "Either may close it, and the People team can end it if the exception no longer holds",
		}}, reason)
	s.at(-sd-38, 15)
	s.agree(e, l.ID, skip.ID, l.ManagerID)
	if e != nil {
		s.stalledID = e.ID
	}
}

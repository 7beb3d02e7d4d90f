package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// work gives the demo's active engagements the history of people working
// together: sessions over the past weeks (held, a no-show, a cancellation,
// a reschedule) and upcoming ones, shared and private notes, action items,
// ratings; for coaching a chain of goals with progress and evaluations over
// time; for mentoring themes and both partners' reflections. One mentoring
// partnership is stalled, with a "not a good fit" flag on its last session.
//
// Every step goes through the use cases, acting as a partner, "at its
// time": the use cases stamp what they store with the database clock, and
// a session is recorded as held only after it started, so the story runs
// on a copy of the App whose database has a clock of its own, moved
// forward step by step and never past the real now. A copy rather than
// a.DB.Now set and restored: the server may be answering other requests
// while the demo loads, and they keep the real clock.
func (s *demoSeed) work() {
	if s.err != nil {
		return
	}
	all, err := s.a.DB.ListEngagements(s.ctx, s.org.ID, sqldb.EngagementFilter{Status: tandem.StatusActive, Limit: 500})
	if err != nil {
		s.fail("work: list", err)
		return
	}
	slices.SortFunc(all, func(a, b tandem.Engagement) int { return int(a.ID - b.ID) })
	w := s.newWork()
	if w == nil {
		return
	}
	for i := range all {
		e := &all[i]
		switch {
		case e.Kind == tandem.Coaching && e.Start == s.today:
			w.coachingStarts(e)
		case e.Kind == tandem.Coaching && s.byID[e.Learner.ID].ManagerID == e.Guide.ID:
			w.managerCoaching(e)
		case e.Kind == tandem.Coaching:
			w.coaching(e)
		case e.ID == s.stalledID:
			w.stalled(e)
		case e.ID == s.reversedID:
			w.reversed(e)
		case s.cohortIDs[e.ID]:
			w.cohortWork(e)
		default:
			w.mentoring(e)
		}
	}
}

// newWork returns the state of seeding work, on a copy of the App with a
// clock of its own, starting at the real now; nil after an error.
func (s *demoSeed) newWork() *demoWork {
	settings, err := s.a.DB.OrgSettings(s.ctx, s.org.ID)
	s.fail("work: settings", err)
	rubric, err := s.a.DB.Rubric(s.ctx, s.org.ID)
	s.fail("work: rubric", err)
	if s.err != nil {
		return nil
	}
	db, story := *s.a.DB, *s.a
	story.DB = &db
	w := &demoWork{demoSeed: s, app: &story, end: s.real, levels: len(rubric.Levels),
		stalledDays: max(settings.StalledDays, 7), ctxs: map[int64]context.Context{}}
	w.now = w.end
	db.Now = func() time.Time { return w.now }
	return w
}

// demoWork is the state of seeding the work: the App on its own clock.
type demoWork struct {
	*demoSeed
	app         *app.App
	now, end    time.Time // the story's clock, and the real now it never passes
	levels      int       // of the organization's rubric
	stalledDays int
	ctxs        map[int64]context.Context
	itemMeeting map[int64]int64 // action item → its session
}

// at moves the clock to t, never back and never past the real now.
func (w *demoWork) at(t time.Time) {
	if t.After(w.end) {
		t = w.end
	}
	if t.After(w.now) {
		w.now = t
	}
}

// rewind sets the clock back to the start of an engagement's story.
func (w *demoWork) rewind(t time.Time) {
	w.now = t
	if t.After(w.end) {
		w.now = w.end
	}
}

// tick moves the clock on by a few minutes: one thing after another.
func (w *demoWork) tick(minutes int) { w.at(w.now.Add(time.Duration(minutes) * time.Minute)) }

// as is demoSeed.as, remembered.
func (w *demoWork) as(id int64) context.Context {
	if c, ok := w.ctxs[id]; ok {
		return c
	}
	c := w.demoSeed.as(id)
	w.ctxs[id] = c
	return c
}

// local returns the time of day on the day n days from today, in the
// person's time zone: the scheduler's zone, in which a coaching session's
// day must fall inside the engagement's dates.
func (w *demoWork) local(id int64, n, hour, minute int) time.Time {
	loc := time.UTC
	if p := w.byID[id]; p != nil && p.TimeZone != "" {
		if l, err := time.LoadLocation(p.TimeZone); err == nil {
			loc = l
		}
	}
	d := w.day(n).Time()
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, loc)
}

// level keeps a rubric position on the organization's scale.
func (w *demoWork) level(p int) int { return max(1, min(p, w.levels)) }

// start is where a coachee's evaluations begin: their own level in the
// skill, with room above it on the rubric.
func (w *demoWork) start(e *tandem.Engagement, below int) int {
	lv := int(level(w.byID[e.Learner.ID], e.SkillID)) - below
	return max(1, min(lv, w.levels-1))
}

// demoStep is one step of an engagement's story: a session, or (with do)
// something done between sessions.
type demoStep struct {
	day, hour, minutes int // days from today, the scheduler's local time
	by                 int64
	place, video       string
	agenda             string
	outcome            tandem.MeetingStatus // "" stays scheduled
	recordBy           int64
	moveFrom           int // the day it was first scheduled for, 0 when never moved
	do                 func()
}

// run tells an engagement's story in order: each session is booked at the
// end of the one before (the first a few days ahead), cancelled the day
// before, recorded half an hour after it ends; held calls back with the
// held session's index, the clock then just after it.
func (w *demoWork) run(e *tandem.Engagement, steps []demoStep, held func(i int, m *tandem.Meeting)) {
	if len(steps) > 0 {
		w.rewind(w.local(steps[0].by, steps[0].day-3, 16, 0))
	}
	n := 0
	for _, st := range steps {
		if w.err != nil {
			return
		}
		if st.do != nil {
			w.at(w.local(st.by, st.day, st.hour, 0))
			st.do()
			continue
		}
		in := tandem.MeetingInput{Minutes: st.minutes, Place: st.place, VideoURL: st.video, Agenda: st.agenda}
		first := st.day
		if st.moveFrom != 0 {
			first = st.moveFrom
		}
		in.Start = w.local(st.by, first, st.hour, 0)
		m, err := w.app.ScheduleMeeting(w.as(st.by), e.ID, in)
		w.fail("schedule session", err)
		if err != nil {
			return
		}
		if st.moveFrom != 0 {
			w.tick(60)
			w.at(w.local(st.by, min(st.day, first)-1, 18, 0))
			in.Start = w.local(st.by, st.day, st.hour, 0)
			m, err = w.app.RescheduleMeeting(w.as(st.by), e.ID, m.ID, in)
			w.fail("reschedule session", err)
		}
		switch st.outcome {
		case "":
			w.tick(1)
			continue
		case tandem.MeetingCancelled:
			w.at(m.Start.Add(-20 * time.Hour))
		default:
			w.at(m.End().Add(30 * time.Minute))
		}
		if w.err != nil || !m.Start.Before(w.end) {
			continue // a story step that is not in the past yet stays scheduled
		}
		m, err = w.app.RecordMeeting(w.as(st.recordBy), e.ID, m.ID, st.outcome)
		w.fail("record session", err)
		if err == nil && st.outcome == tandem.MeetingHeld && held != nil {
			w.tick(5)
			held(n, m)
			n++
		}
		w.tick(10)
	}
}

func (w *demoWork) note(e *tandem.Engagement, m *tandem.Meeting, by int64, shared bool, body string) {
	if w.err != nil {
		return
	}
	_, err := w.app.AddNote(w.as(by), e.ID, m.ID, shared, body)
	w.fail("note", err)
	w.tick(3)
}

// item adds an action item and returns its id, 0 after an error.
func (w *demoWork) item(e *tandem.Engagement, m *tandem.Meeting, by, owner int64, due int, body string) int64 {
	if w.err != nil {
		return 0
	}
	it, err := w.app.AddActionItem(w.as(by), e.ID, m.ID, owner, body, w.day(due))
	w.fail("action item", err)
	w.tick(1)
	if err != nil {
		return 0
	}
	if w.itemMeeting == nil {
		w.itemMeeting = map[int64]int64{}
	}
	w.itemMeeting[it.ID] = m.ID
	return it.ID
}

func (w *demoWork) done(e *tandem.Engagement, by int64, ids ...int64) {
	for _, id := range ids {
		if w.err != nil || id == 0 {
			return
		}
		w.fail("complete action item", w.app.CompleteActionItem(w.as(by), e.ID, w.itemMeeting[id], id))
		w.tick(1)
	}
}

func (w *demoWork) rate(e *tandem.Engagement, m *tandem.Meeting, by int64, score int, comment string, notAFit bool) {
	if w.err != nil {
		return
	}
	_, err := w.app.RateMeeting(w.as(by), e.ID, m.ID, tandem.Rating{Score: score, Comment: comment, NotAGoodFit: notAFit})
	w.fail("rate", err)
	w.tick(2)
}

// goal sets the coach's next goal and returns its id, 0 after an error.
func (w *demoWork) goal(e *tandem.Engagement, g tandem.Goal) int64 {
	if w.err != nil {
		return 0
	}
	out, err := w.app.SetGoal(w.as(e.Guide.ID), e.ID, g)
	w.fail("goal", err)
	w.tick(2)
	if err != nil {
		return 0
	}
	return out.ID
}

func (w *demoWork) progress(e *tandem.Engagement, by, goalID int64, value, note string, reached bool) {
	if w.err != nil || goalID == 0 {
		return
	}
	_, err := w.app.UpdateGoal(w.as(by), e.ID, goalID, tandem.GoalUpdate{Value: value, Note: note, Reached: reached})
	w.fail("goal progress", err)
	w.tick(2)
}

func (w *demoWork) evaluate(e *tandem.Engagement, position int, evidence string) {
	if w.err != nil {
		return
	}
	_, err := w.app.Evaluate(w.as(e.Guide.ID), e.ID, tandem.Evaluation{Position: w.level(position), Evidence: evidence})
	w.fail("evaluate", err)
	w.tick(2)
}

// theme adds a theme when the area is one of the partnership's, and
// returns its id; 0 otherwise (a reflection on it is then on the whole).
func (w *demoWork) theme(e *tandem.Engagement, by int64, area tandem.Area, title string) int64 {
	if w.err != nil || !slices.Contains(e.Areas, area) {
		return 0
	}
	t, err := w.app.AddTheme(w.as(by), e.ID, tandem.Theme{Area: area, Title: title})
	w.fail("theme", err)
	w.tick(2)
	if err != nil {
		return 0
	}
	return t.ID
}

func (w *demoWork) reflect(e *tandem.Engagement, by, themeID int64, body string) {
	if w.err != nil {
		return
	}
	_, err := w.app.Reflect(w.as(by), e.ID, tandem.Reflection{ThemeID: themeID, Body: body})
	w.fail("reflection", err)
	w.tick(4)
}

func (w *demoWork) video(e *tandem.Engagement) string {
	return fmt.Sprintf("https://meet.example.com/tandem-%d", e.ID)
}

// managerCoaching is the weekly coaching in one-to-ones by the coachee's
// manager (the administrator's, in the default demo): ask before advising,
// scored on the listening rubric in observed conversations.
func (w *demoWork) managerCoaching(e *tandem.Engagement) {
	l, c := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	L, C := first(l), first(c)
	room := "One-to-one room, " + c.Location + " office"
	s := w.start(e, 1)
	var g1, g2 int64
	var logItem, bookItem, promptItem int64
	steps := []demoStep{
		{day: -21, hour: 10, minutes: 45, by: c.ID, place: room, outcome: tandem.MeetingHeld, recordBy: c.ID,
			agenda: "Kick-off: the agreement, a short role-play for a baseline, the first goal"},
		{day: -14, hour: 10, minutes: 30, by: c.ID, place: room, outcome: tandem.MeetingCancelled, recordBy: l.ID,
			agenda: "Look at the first week's log"},
		{day: -12, hour: 15, minutes: 30, by: l.ID, place: room, outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "The first week's log (moved from Monday)"},
		{day: -9, hour: 17, by: c.ID, do: func() {
			w.progress(e, c.ID, g1, "4 of 5", "Observed the Thursday mentor check-in: four open questions before any advice.", false)
			w.evaluate(e, s+1, "Observed the Thursday mentor check-in: four open questions before any advice, and "+L+
				" summarised back what the mentor said before suggesting anything.")
		}},
		{day: -7, hour: 10, minutes: 30, by: c.ID, place: room, outcome: tandem.MeetingNoShow, recordBy: c.ID,
			agenda: "Replay one conversation from the log"},
		{day: -5, moveFrom: -6, hour: 11, minutes: 30, by: l.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: c.ID,
			agenda: "Replay one conversation; is the first goal reached?"},
		{day: -2, hour: 18, by: l.ID, do: func() {
			w.progress(e, l.ID, g2, "2 of 6", "Two conversations done; both mentors asked for a follow-up in a month.", false)
		}},
		{day: 2, hour: 10, minutes: 30, by: c.ID, place: room, agenda: "The question guide; the first mentor conversations"},
		{day: 9, hour: 10, minutes: 30, by: c.ID, place: room, agenda: "Halfway through the second goal"},
	}
	w.run(e, steps, func(i int, m *tandem.Meeting) {
		switch i {
		case 0:
			w.note(e, m, c.ID, true, "## Kick-off\n\nWe agreed how this coaching fits into our one-to-ones and took a baseline with a short role-play.\n\n"+
				"- "+L+" listens well but offers a fix within the first two minutes\n"+
				"- First goal: ask before advising, counted in real conversations with program mentors\n"+
				"- "+C+" observes one conversation with a program mentor before we meet again\n"+
				"- The rubric score from the role-play is the starting point")
			w.note(e, m, c.ID, false, L+" is harder on themself than the evidence suggests. Keep the first goal small so an early win lands.")
			logItem = w.item(e, m, c.ID, l.ID, -12, "Log each mentor conversation: did I ask three open questions before advising?")
			bookItem = w.item(e, m, c.ID, c.ID, -10, "Book an observed conversation with a program mentor")
			g1 = w.goal(e, tandem.Goal{Title: "Ask before advising in conversations with program mentors",
				Measure: "Conversations where " + L + " asks three open questions before offering advice", Baseline: "1 of the last 4",
				Target: "4 of 5", Due: w.day(-4)})
			w.evaluate(e, s, "Role-play of a mentor check-in: offered a solution after about a minute; two open questions in ten minutes.")
			w.rate(e, m, l.ID, 4, "Useful to see the baseline. The role-play felt artificial but it showed the habit.", false)
			w.rate(e, m, c.ID, 4, "A good start; "+L+" was open about the habit.", false)
		case 1:
			w.note(e, m, l.ID, true, "## The first week's log\n\nFive conversations logged, three opened with questions.\n\n"+
				"- Silence is the trigger: the advice comes when a pause gets long\n"+
				"- Trying next: count to five before speaking\n"+
				"- "+C+" observes the mentor check-in on Thursday")
			w.note(e, m, l.ID, false, "I admitted skipping the prep twice. Easier to say it at the start than to hope it doesn't come up.")
			w.done(e, l.ID, logItem, bookItem)
			promptItem = w.item(e, m, l.ID, l.ID, -6, "Write the first question down before each conversation")
			w.item(e, m, l.ID, c.ID, -8, "Share the listening rubric with an example of each level")
			w.progress(e, l.ID, g1, "3 of 5", "Writing the first question down beforehand helps; I still jump in when there's silence.", false)
			w.evaluate(e, s, "Log of five conversations, three opened with questions; advice still came early whenever the mentor paused.")
			w.rate(e, m, l.ID, 5, "Counting made it concrete. I know what to practise.", false)
			w.rate(e, m, c.ID, 4, "An honest log. Next time bring one conversation to replay.", false)
		case 2:
			w.note(e, m, c.ID, true, "## First goal reached, the next one set\n\nBoth observed conversations opened with questions: the first goal is reached.\n\n"+
				"- Next goal: a coaching conversation with each of the six new program mentors\n"+
				"- "+L+" drafts a one-page question guide to reuse\n"+
				"- One level up on the rubric since the kick-off")
			w.note(e, m, c.ID, false, "The next goal is a stretch with the program launch in the same month: check the workload at the next one-to-one.")
			w.done(e, l.ID, promptItem)
			w.progress(e, c.ID, g1, "5 of 6", "Observed two conversations this week: both opened with questions, advice only when asked. Reached.", true)
			g2 = w.goal(e, tandem.Goal{Title: "Hold a coaching conversation with each new program mentor",
				Measure: "New program mentors who have had a coaching conversation with " + L, Baseline: "0 of 6",
				Target: "6 of 6", Due: w.day(28)})
			w.evaluate(e, s+1, "Second observed conversation: waited out a long pause and the mentor found their own next step. Consistent with the level.")
			w.item(e, m, c.ID, l.ID, 2, "Draft a one-page question guide for mentor conversations")
			w.item(e, m, l.ID, l.ID, 9, "Hold the first two conversations with new program mentors")
			w.item(e, m, c.ID, c.ID, 1, "Send "+L+" the list of new program mentors and their start dates")
			w.rate(e, m, l.ID, 5, "Reaching the first goal felt real because it was observed.", false)
			w.rate(e, m, c.ID, 5, "Clear progress. The next goal is a stretch, and "+L+" chose it.", false)
		}
	})
}

// coaching is coaching by a coach open to the skill, every two weeks on
// video: two real pieces of work, the coach reviewing the first and only
// observing the second.
func (w *demoWork) coaching(e *tandem.Engagement) {
	l, c := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	L, C, K := first(l), first(c), e.SkillName
	s := w.start(e, 0)
	var g1, g2 int64
	var briefItem, examplesItem int64
	steps := []demoStep{
		{day: -10, hour: 14, minutes: 60, by: l.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: c.ID,
			agenda: "Kick-off: choose the first piece of work, agree how we measure"},
		{day: -6, hour: 9, minutes: 30, by: c.ID, video: w.video(e), outcome: tandem.MeetingNoShow, recordBy: c.ID,
			agenda: "Check-in on the brief"},
		{day: -5, hour: 16, minutes: 45, by: l.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "Sorry for yesterday: the review of the first piece"},
		{day: -3, hour: 14, minutes: 30, by: c.ID, video: w.video(e), outcome: tandem.MeetingCancelled, recordBy: l.ID,
			agenda: "Plan for the second piece"},
		{day: -2, hour: 17, by: c.ID, do: func() {
			w.progress(e, l.ID, g2, "Plan written, not yet reviewed", "Chose the second piece; I'll share the plan before the next session.", false)
			w.evaluate(e, s, "The plan for the second piece, written under time pressure: the structure is there again, the edge cases are not yet.")
		}},
		{day: 4, hour: 10, minutes: 90, by: c.ID, place: "Office, " + c.Location, agenda: "On site: walk through the plan for the second piece"},
		{day: 18, hour: 14, minutes: 60, by: l.ID, video: w.video(e), agenda: "The second piece halfway: what " + C + " noticed"},
	}
	w.run(e, steps, func(i int, m *tandem.Meeting) {
		switch i {
		case 0:
			w.note(e, m, c.ID, true, "## Kick-off\n\nWe agreed the two pieces of "+K+" work from the agreement and how we measure progress.\n\n"+
				"- First piece: chosen together; "+C+" reviews it in full\n"+
				"- Baseline: the last comparable piece needed seven rework comments\n"+
				"- We alternate who writes the notes")
			w.note(e, m, l.ID, false, "Nervous about being reviewed by someone outside my team. I said so, and it helped.")
			briefItem = w.item(e, m, c.ID, l.ID, -8, "Choose the first piece of work and share the brief")
			examplesItem = w.item(e, m, c.ID, c.ID, -8, "Send two examples of good "+K+" work from past projects")
			g1 = w.goal(e, tandem.Goal{Title: "Deliver the first real piece of " + K + " work with " + C + " reviewing",
				Measure: "Review comments that need rework", Baseline: "7 on the last comparable piece", Target: "2 or fewer", Due: w.day(-4)})
			w.evaluate(e, s, "Work sample from last quarter: sound on the routine parts, asked for help at the first unusual case.")
			w.rate(e, m, l.ID, 4, "A clear plan: I know what 'better' means now.", false)
			w.rate(e, m, c.ID, 5, "Well prepared, good questions.", false)
		case 1:
			w.note(e, m, l.ID, true, "## Review of the first piece\n\n"+C+" reviewed it in two rounds; the second needed only two small changes.\n\n"+
				"- Strong: the structure and clearly stated assumptions\n"+
				"- To work on: checking edge cases before asking for review\n"+
				"- Next: "+L+" leads the second piece, "+C+" only observes")
			w.note(e, m, c.ID, false, L+" underestimates how much they already know. Resist giving answers on the second piece.")
			w.done(e, l.ID, briefItem, examplesItem)
			w.progress(e, l.ID, g1, "4 after the first round", "Most comments were about edge cases.", false)
			w.progress(e, c.ID, g1, "2", "The second round needed two small changes. Reached.", true)
			g2 = w.goal(e, tandem.Goal{Title: "Lead the second piece of " + K + " work with " + C + " only observing",
				Measure: "Times " + C + " steps in", Baseline: "Reviewed every step of the first piece", Target: "None", Due: w.day(18)})
			w.evaluate(e, s+1, "First piece delivered: two rework comments in the second round, assumptions written down without being asked.")
			w.item(e, m, l.ID, l.ID, 2, "Write the plan for the second piece and share it before the next session")
			w.item(e, m, l.ID, c.ID, 2, "Book a room in "+c.Location+" for the on-site session")
			w.item(e, m, c.ID, l.ID, -1, "Ask two colleagues for feedback on the first piece")
			w.rate(e, m, l.ID, 3, "A useful review, but we ran over the time and rushed the end.", false)
			w.rate(e, m, c.ID, 4, "Good progress. Let's keep sessions to the time we booked.", false)
		}
	})
}

// coachingStarts is the coaching that moved on to a new coach today: its
// first goal and a baseline, and the sessions ahead.
func (w *demoWork) coachingStarts(e *tandem.Engagement) {
	l, c := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	w.rewind(w.end)
	w.goal(e, tandem.Goal{Title: "Apply the checklist from the previous engagement to the cross-team project",
		Measure: "Checklist items applied at the project's first review", Baseline: "0 of 12 (the project starts next week)",
		Target: "12 of 12", Due: w.day(30)})
	w.evaluate(e, w.start(e, 0), "Starting point: the previous engagement's last review and the checklist "+first(l)+" wrote, shared by "+first(l)+".")
	w.run(e, []demoStep{
		{day: 3, hour: 11, minutes: 60, by: c.ID, video: w.video(e), agenda: "Read the previous coach's notes together; agree how we work"},
		{day: 16, hour: 11, minutes: 60, by: l.ID, video: w.video(e), agenda: "The project's first review against the checklist"},
	}, nil)
}

// mentoring is a partnership in cultivation (the administrator's, in the
// default demo): monthly walks, themes in several areas, reflections.
func (w *demoWork) mentoring(e *tandem.Engagement) {
	l, m := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	L, M := first(l), first(m)
	walk := "Walk from the " + m.Location + " office"
	var career, skills, pace, purpose int64
	var namesItem, articleItem, charterItem int64
	steps := []demoStep{
		{day: -56, hour: 12, minutes: 90, by: l.ID, place: walk, outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "Getting to know each other's goals"},
		{day: -28, hour: 12, minutes: 90, by: m.ID, place: walk, outcome: tandem.MeetingHeld, recordBy: m.ID,
			agenda: "Decision memos; comparing notes on stakeholders"},
		{day: -14, hour: 12, minutes: 90, by: m.ID, place: walk, outcome: tandem.MeetingCancelled, recordBy: m.ID,
			agenda: "The charter draft"},
		{day: -9, hour: 17, minutes: 60, by: l.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "Direction: program leadership or organization development?"},
		{day: 12, hour: 12, minutes: 90, by: m.ID, place: walk, agenda: "The charter draft; two stakeholder maps"},
	}
	w.run(e, steps, func(i int, mt *tandem.Meeting) {
		switch i {
		case 0:
			w.note(e, mt, m.ID, true, "## First walk\n\nWe shared where each of us is and what we want from the partnership.\n\n"+
				"- "+L+": two possible paths, program leadership or organization development\n"+
				"- "+M+": how they chose between similar paths ten years ago\n"+
				"- Themes for now: career direction, writing decisions down, a sustainable pace")
			w.note(e, mt, m.ID, false, "Careful not to steer "+L+" towards my own path.")
			career = w.theme(e, l.ID, tandem.AreaCareer, "Choosing between program leadership and organization development")
			skills = w.theme(e, m.ID, tandem.AreaSkills, "Writing the decision down before the meeting")
			pace = w.theme(e, l.ID, tandem.AreaWellbeing, "A sustainable pace while the programs grow")
			namesItem = w.item(e, mt, l.ID, l.ID, -30, "List three people who moved into organization development")
			articleItem = w.item(e, mt, m.ID, m.ID, -50, "Share the article on decision memos")
			w.reflect(e, l.ID, career, "Saying both paths out loud made it clear I have been drifting towards organization development without choosing it.")
			w.rate(e, mt, l.ID, 5, "Walking made it easy to talk.", false)
			w.rate(e, mt, m.ID, 5, "Good energy and clear questions.", false)
		case 1:
			w.note(e, mt, l.ID, true, "## Decision memos\n\nI brought a one-page memo for the charter decision.\n\n"+
				"- Writing it first shortened the meeting and changed the outcome\n"+
				"- "+M+"'s stakeholder maps: compare them next time\n"+
				"- Pace: one thinking afternoon a month is realistic, two not yet")
			w.done(e, l.ID, namesItem, articleItem)
			purpose = w.theme(e, m.ID, tandem.AreaPurpose, "What a learning organization would mean here")
			charterItem = w.item(e, mt, l.ID, l.ID, -10, "Draft the mentoring program charter")
			w.item(e, mt, m.ID, m.ID, 12, "Bring two stakeholder maps from past projects")
			w.reflect(e, m.ID, skills, L+" wrote the decision down before the meeting; it took twenty minutes instead of an hour. Worth keeping.")
			w.reflect(e, l.ID, pace, "Blocked two afternoons a month for thinking; kept one of them. Better than none.")
			w.rate(e, mt, l.ID, 4, "Practical. The memo habit is already paying off.", false)
			w.rate(e, mt, m.ID, 5, "I learned from how "+L+" runs meetings too.", false)
		case 2:
			w.note(e, mt, m.ID, true, "## Direction\n\nA shorter session on video after the cancelled walk.\n\n"+
				"- "+L+" leans towards organization development and wants to test it with a small project\n"+
				"- Talk to two people who made the move before deciding\n"+
				"- Next time: the charter draft")
			w.note(e, mt, l.ID, false, "I felt relieved saying 'organization development' out loud. Notice that.")
			w.done(e, l.ID, charterItem)
			w.item(e, mt, m.ID, l.ID, 10, "Talk to two people who moved into organization development")
			w.item(e, mt, l.ID, l.ID, 25, "Pick a small organization-development project to test the path")
			w.reflect(e, m.ID, 0, "We moved from tips to real questions about direction. The cultivation phase feels right.")
			w.reflect(e, l.ID, purpose, "A learning organization here would mean managers asking before advising. That is the program I want to build.")
			w.rate(e, mt, l.ID, 4, "Short but useful.", false)
			w.rate(e, mt, m.ID, 4, "Video is harder for this kind of conversation; back to walking next time.", false)
		}
	})
}

// reversed is the partnership whose roles the two swapped today: the
// sessions before, about a new manager's footing, led up to it. The
// learner now is the mentor then.
func (w *demoWork) reversed(e *tandem.Engagement) {
	o, p := w.byID[e.Learner.ID], w.byID[e.Guide.ID] // the mentor and protégé before the swap
	O, P := first(o), first(p)
	lunch := "Lunch, " + o.Location
	var career, delegation int64
	var reportItem int64
	steps := []demoStep{
		{day: -63, hour: 12, minutes: 60, by: o.ID, place: lunch, outcome: tandem.MeetingHeld, recordBy: o.ID,
			agenda: "First month as a manager"},
		{day: -42, hour: 12, minutes: 60, by: p.ID, place: lunch, outcome: tandem.MeetingHeld, recordBy: p.ID,
			agenda: "Delegation, and the reorganization"},
		{day: -30, hour: 12, minutes: 60, by: o.ID, place: lunch, outcome: tandem.MeetingCancelled, recordBy: p.ID,
			agenda: "How " + o.Department + " plans the year"},
		{day: -21, hour: 12, minutes: 60, by: p.ID, video: w.video(e), outcome: tandem.MeetingHeld, recordBy: o.ID,
			agenda: "Saying no; who is mentoring whom?"},
		{day: 7, hour: 12, minutes: 60, by: p.ID, place: lunch, agenda: "First session with the roles swapped: leading a team through change"},
	}
	w.run(e, steps, func(i int, m *tandem.Meeting) {
		switch i {
		case 0:
			w.note(e, m, o.ID, true, "## First month as a manager\n\n"+P+" took over a team of six in a reorganization.\n\n"+
				"- Hardest part: stopping doing the work they are good at\n"+
				"- Try: one task delegated in full each week, with the why\n"+
				"- "+O+" explains how "+o.Department+" plans its year")
			career = w.theme(e, p.ID, tandem.AreaCareer, "Moving from doing the work to leading it")
			delegation = w.theme(e, o.ID, tandem.AreaSkills, "Delegating without taking the work back")
			reportItem = w.item(e, m, o.ID, p.ID, -50, "Delegate the quarterly report in full")
			w.rate(e, m, p.ID, 5, "Exactly what I needed this month.", false)
			w.rate(e, m, o.ID, 4, "Good start; "+P+" is more ready than they think.", false)
		case 1:
			w.note(e, m, p.ID, true, "## Delegation, and the reorganization\n\nThe quarterly report went out without me touching it.\n\n"+
				"- The team took the reorganization better than expected: we talked it through in week one\n"+
				"- "+O+" wants to try the same with their own team's change next quarter\n"+
				"- Open: how to say no to work from other teams")
			w.note(e, m, o.ID, false, P+" handled the reorganization better than I handled mine. Ask how, properly.")
			w.done(e, p.ID, reportItem)
			w.reflect(e, p.ID, delegation, "Delegated the quarterly report and did not take it back, though I wanted to twice.")
			w.reflect(e, o.ID, 0, "Hearing how "+P+"'s team handled the reorganization taught me more than I taught today.")
			w.item(e, m, p.ID, o.ID, -25, "Share the plan for "+o.Department+"'s reorganization next quarter")
			w.rate(e, m, p.ID, 5, "Felt like a conversation between peers.", false)
			w.rate(e, m, o.ID, 5, "I took away as much as I gave.", false)
		case 2:
			w.note(e, m, o.ID, true, "## Who is mentoring whom?\n\nMost of the hour was "+P+" taking me through leading a team through change.\n\n"+
				"- Saying no: one clear reason and one alternative\n"+
				"- We agreed to swap roles formally from the next session\n"+
				"- The themes stay; the direction of the questions changes")
			w.reflect(e, o.ID, delegation, "Tried "+P+"'s way of saying no, one clear reason and one alternative. It works.")
			w.reflect(e, p.ID, career, "Explaining the reorganization to "+O+" showed me I have a way of leading now, not just a list of tips.")
			w.item(e, m, p.ID, p.ID, 7, "Write down the three things that made the reorganization work")
			w.rate(e, m, p.ID, 4, "Strange and good to be the one explaining.", false)
			w.rate(e, m, o.ID, 5, "Time to swap. Looking forward to it.", false)
		}
	})
}

// stalled is the skip-level partnership: two sessions, the protégé's
// "not a good fit" on the second, a cancellation, and no session held for
// longer than the organization's stalled_days.
func (w *demoWork) stalled(e *tandem.Engagement) {
	l, g := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	L, G := first(l), first(g)
	office := g.Location + " office, " + G + "'s room"
	sd := w.stalledDays
	var craft, path int64
	var shadowItem int64
	steps := []demoStep{
		{day: -sd - 30, hour: 15, minutes: 60, by: g.ID, place: office, outcome: tandem.MeetingHeld, recordBy: g.ID,
			agenda: "What you want from this; the craft at the site"},
		{day: -sd - 9, hour: 15, minutes: 60, by: l.ID, place: office, outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "Which specialism to grow into"},
		{day: -sd + 6, hour: 15, minutes: 60, by: g.ID, place: office, outcome: tandem.MeetingCancelled, recordBy: l.ID,
			agenda: "Review practice, with an example of yours"},
	}
	w.run(e, steps, func(i int, m *tandem.Meeting) {
		switch i {
		case 0:
			w.note(e, m, g.ID, true, "## Getting started\n\nWe agreed to keep to craft and career; performance stays with "+L+"'s line manager.\n\n"+
				"- "+L+" wants to know which specialism to grow into\n"+
				"- "+G+" walks through how reviews work at the site\n"+
				"- Monthly, in person")
			craft = w.theme(e, g.ID, tandem.AreaSkills, "The craft of "+l.Department+": reviews and standards")
			path = w.theme(e, l.ID, tandem.AreaCareer, "Which specialism to grow into")
			shadowItem = w.item(e, m, g.ID, l.ID, -sd-12, "Shadow one of "+G+"'s reviews")
			w.reflect(e, g.ID, craft, L+" asks sharp questions about standards. More at ease with craft than with career.")
			w.rate(e, m, l.ID, 3, "Useful on the craft; I held back on the rest.", false)
			w.rate(e, m, g.ID, 4, "A good first session.", false)
		case 1:
			w.note(e, m, l.ID, true, "## Specialisms\n\nWe talked through the two specialisms at the site.\n\n"+
				"- The review I shadowed helped: I see what good looks like\n"+
				"- Career talk was harder\n"+
				"- "+G+" will suggest mentors outside my reporting line for the career side")
			w.note(e, m, l.ID, false, "I can't talk openly about leaving the team with my manager's manager. Say so at the next session.")
			w.done(e, l.ID, shadowItem)
			w.item(e, m, l.ID, g.ID, -sd+2, "Suggest two mentors outside "+L+"'s reporting line for the career side")
			w.reflect(e, l.ID, path, "Hard to talk about my career with my manager's manager. The craft side works; the career side needs someone else.")
			w.rate(e, m, l.ID, 2, "Hard to speak freely about my career with my manager's manager; I'd like someone outside my chain.", true)
			w.rate(e, m, g.ID, 3, L+" seemed guarded. We should talk about whether this is the right fit.", false)
		}
	})
}

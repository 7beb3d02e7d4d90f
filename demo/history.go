package demo

import (
	"fmt"

	"github.com/tandemhq/tandem"
)

// expiredHistory tells the story of the coaching that ran its course and
// expired yesterday, before it expires: monthly reviews the coachee learnt
// to run alone, a checklist, two goals reached and evaluations rising. Its
// successor, with a new coach, shares this history and builds on it.
func (s *demoSeed) expiredHistory(e *tandem.Engagement) {
	if s.err != nil || e == nil {
		return
	}
	w := s.newWork()
	if w == nil {
		return
	}
	l, c := w.byID[e.Learner.ID], w.byID[e.Guide.ID]
	L, C, K := first(l), first(c), e.SkillName
	room := "Team room, " + c.Location
	start := w.start(e, 1)
	var g1, g2 int64
	var draftItem, calendarItem int64
	steps := []demoStep{
		{day: -112, hour: 10, minutes: 60, by: c.ID, place: room, outcome: tandem.MeetingHeld, recordBy: c.ID,
			agenda: "Kick-off: how the monthly " + K + " review runs today"},
		{day: -91, hour: 10, minutes: 60, by: c.ID, place: room, outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "After the first review " + L + " co-ran"},
		{day: -77, hour: 10, minutes: 45, by: l.ID, place: room, outcome: tandem.MeetingNoShow, recordBy: c.ID,
			agenda: "The checklist draft"},
		{day: -70, hour: 15, minutes: 45, by: l.ID, place: room, outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "The checklist draft (after last week's missed session)"},
		{day: -42, hour: 10, minutes: 60, by: c.ID, place: room, outcome: tandem.MeetingHeld, recordBy: c.ID,
			agenda: "The first review " + L + " ran alone"},
		{day: -14, hour: 10, minutes: 60, by: l.ID, place: room, outcome: tandem.MeetingHeld, recordBy: l.ID,
			agenda: "Looking back before the end date; what comes next"},
	}
	w.run(e, steps, func(i int, m *tandem.Meeting) {
		switch i {
		case 0:
			w.note(e, m, c.ID, true, "## Kick-off\n\nWe walked through last month's "+K+" review together.\n\n"+
				"- "+L+" co-runs the next review; "+C+" leads\n"+
				"- Baseline: "+L+" presented one item of twelve")
			w.note(e, m, c.ID, false, L+" knows the material; it is the room that is new. Start with the items they own.")
			draftItem = w.item(e, m, c.ID, l.ID, -80, "Draft a one-page checklist of what the review needs")
			calendarItem = w.item(e, m, c.ID, c.ID, -100, "Share the review calendar for the next three months")
			g1 = w.goal(e, tandem.Goal{Title: "Co-run the monthly " + K + " review",
				Measure: "Review items " + L + " presents", Baseline: "1 of 12", Target: "6 of 12", Due: w.day(-60)})
			w.evaluate(e, start, "Last month's review: presented one item, asked "+C+" to take the questions.")
			w.rate(e, m, l.ID, 4, "Reassuring to see the review from the inside.", false)
			w.rate(e, m, c.ID, 4, "Good questions about how decisions get made in the room.", false)
		case 1:
			w.note(e, m, l.ID, true, "## After the first co-run review\n\nI presented five items and took questions on two.\n\n"+
				"- The hard moment: a question I could not answer; I said I would follow up, and did\n"+
				"- Next: the checklist, so the preparation does not live in "+C+"'s head")
			w.done(e, c.ID, calendarItem)
			w.progress(e, l.ID, g1, "5 of 12", "Close; the last item was the one with the budget question.", false)
			w.evaluate(e, start+1, "Co-ran the review: five items presented, questions handled or followed up the same day.")
			w.rate(e, m, l.ID, 5, "I left with a clear next step.", false)
			w.rate(e, m, c.ID, 4, "Real progress in one month.", false)
		case 2:
			w.note(e, m, l.ID, true, "## The checklist\n\nWe went through my draft line by line.\n\n"+
				"- Twelve steps, from collecting the numbers to sending the minutes\n"+
				"- The team tries it at the next review")
			w.note(e, m, l.ID, false, "Missed last week's session because of the release; I should have said so the day before.")
			w.done(e, l.ID, draftItem)
			w.progress(e, c.ID, g1, "7 of 12", "Presented seven items at this month's review. Reached.", true)
			g2 = w.goal(e, tandem.Goal{Title: "Run the monthly " + K + " review without help",
				Measure: "Reviews run with " + C + " only observing", Baseline: "0", Target: "2 in a row", Due: w.day(-7)})
			w.item(e, m, c.ID, l.ID, -50, "Send the checklist to the team before the next review")
			w.rate(e, m, l.ID, 4, "The checklist makes it feel less like a performance.", false)
			w.rate(e, m, c.ID, 5, "The checklist is better than mine.", false)
		case 3:
			w.note(e, m, c.ID, true, "## The first review run alone\n\n"+L+" ran the whole review; I only observed.\n\n"+
				"- The checklist held; the team asked to keep it\n"+
				"- One more review like this and the goal is reached")
			w.progress(e, l.ID, g2, "1", "First review run alone; "+C+" did not step in.", false)
			w.evaluate(e, start+2, "Ran the review alone with the checklist; the team adopted the checklist as its own.")
			w.rate(e, m, l.ID, 5, "Proud of this one.", false)
			w.rate(e, m, c.ID, 5, "Nothing to add: it ran.", false)
		case 4:
			w.note(e, m, l.ID, true, "## Looking back\n\nTwo reviews run alone; both goals reached.\n\n"+
				"- The checklist is the team's now\n"+
				"- Next: apply it to a cross-team project, with a coach who knows that side; "+C+" suggested whom to ask\n"+
				"- I will share this engagement's history with the next coach")
			w.progress(e, c.ID, g2, "2", "The second review ran without help. Reached.", true)
			w.evaluate(e, start+2, fmt.Sprintf("Two reviews in a row run alone; the %s checklist adopted by the team.", K))
			w.rate(e, m, l.ID, 5, "A good ending. Thank you, "+C+".", false)
			w.rate(e, m, c.ID, 5, "Ready for the next step.", false)
		}
	})
}

package app

import (
	"context"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// How far ahead the home page looks.
const (
	nextSessionDays = 7  // sessions in the coming week
	nextItemDays    = 7  // action items due within a week (and overdue ones)
	nextGoalDays    = 14 // goals due within two weeks (and overdue ones)
	nextReviewDays  = 7  // mentoring review points within a week
	endingSoonDays  = 14 // coaching that ends within two weeks
)

// Next is what comes next for the signed-in person, in the order the home
// page shows it: what waits on them, their sessions in the coming week,
// action items due and goals near their date; and for administrators and
// program admins the organization's numbers. Every list holds only what
// the person may see (tandem.Can): sessions and action items are the
// partners', goals the coaching parties', and no list carries an agenda,
// a note or a reflection.
type Next struct {
	// Zone is the time zone the week is counted in: the person's.
	Zone *time.Location
	// Today is the date in Zone; Until is the end of the coming week there.
	Today tandem.Date
	Until time.Time
	// Open is every open engagement of the person.
	Open []tandem.Engagement
	// What waits on the person.
	ToAgree   []tandem.Engagement // agreements to read and answer
	Reversals []tandem.Engagement // role reversals the partner proposed
	Reviews   []tandem.Engagement // mentoring review points due or near
	Decisions []sqldb.ProgramDecisions
	Requests  []sqldb.ProgramRequests // mentees' requests to the person as a mentor
	// Sessions starting from now to Until, soonest first.
	Sessions []sqldb.UpcomingSession
	// ActionItems are the person's open items due within a week or
	// overdue; MoreItems counts their other open items.
	ActionItems []tandem.ActionItem
	MoreItems   int
	// Goals are the open coaching goals due within two weeks or overdue.
	Goals []sqldb.GoalDue
	// Numbers, for administrators and program admins, with the links to
	// their filtered lists.
	Numbers *sqldb.EngagementNumbers
}

// Waiting reports whether anything waits on the person.
func (n *Next) Waiting() bool {
	return len(n.ToAgree)+len(n.Reversals)+len(n.Reviews)+len(n.Decisions)+len(n.Requests) > 0
}

// WhatsNext gathers the person's next things in a fixed number of queries,
// however many engagements they have.
func (a *App) WhatsNext(ctx context.Context) (*Next, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	loc := act.Person.Zone()
	now := a.DB.Now()
	local := now.In(loc)
	n := &Next{Zone: loc, Today: tandem.Date(local.Format(time.DateOnly))}
	y, m, d := local.Date()
	n.Until = time.Date(y, m, d+nextSessionDays+1, 0, 0, 0, 0, loc)
	mine, err := a.MyEngagements(ctx)
	if err != nil {
		return nil, err
	}
	me := act.Person.ID
	for _, e := range mine {
		if e.Status.Closed() {
			continue
		}
		n.Open = append(n.Open, e)
		if e.Status != tandem.StatusActive || !e.IsPartner(me) || e.Kind != tandem.Mentoring {
			continue
		}
		if e.ReversalBy != 0 && e.ReversalBy != me {
			n.Reversals = append(n.Reversals, e)
		}
		if e.NextReview != "" && e.NextReview <= n.Today.AddDays(nextReviewDays) {
			n.Reviews = append(n.Reviews, e)
		}
	}
	if n.ToAgree, err = a.AwaitingMyAnswer(ctx); err != nil {
		return nil, err
	}
	if !act.Person.Guest {
		if n.Decisions, err = a.DB.ApplicationsToDecide(ctx, act.Org.ID, me, act.Person.IsAdmin()); err != nil {
			return nil, err
		}
	}
	if n.Requests, err = a.requestsToAnswer(ctx, act); err != nil {
		return nil, err
	}
	if n.Sessions, err = a.DB.UpcomingSessions(ctx, act.Org.ID, me, now, n.Until); err != nil {
		return nil, err
	}
	items, err := a.DB.OpenActionItems(ctx, act.Org.ID, me)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.Due != "" && it.Due <= n.Today.AddDays(nextItemDays) {
			n.ActionItems = append(n.ActionItems, it)
		} else {
			n.MoreItems++
		}
	}
	goals, err := a.DB.GoalsDue(ctx, act.Org.ID, me, n.Today.AddDays(nextGoalDays))
	if err != nil {
		return nil, err
	}
	for _, g := range goals {
		e := tandem.Engagement{Kind: tandem.Coaching, Learner: g.Learner, Guide: g.Guide, Manager: tandem.PersonRef{ID: g.ManagerID}}
		if tandem.Can(tandem.Coaching, e.ViewerOf(me, act.Person.Role, false), tandem.FacetGoals) {
			n.Goals = append(n.Goals, g)
		}
	}
	if seesAll(act) {
		nums, err := a.EngagementNumbers(ctx)
		if err != nil {
			return nil, err
		}
		n.Numbers = &nums
	}
	return n, nil
}

// seesAll reports whether the actor sees every engagement's status and
// dates: administrators and program admins, never guests.
func seesAll(act *tandem.Actor) bool {
	return !act.Person.Guest && (act.Person.Role == tandem.RoleAdmin || act.Person.Role == tandem.RoleProgramAdmin)
}

// EngagementNumbers counts the organization's engagements at a glance:
// active, waiting for a manager, stalled, coaching ending within two
// weeks. Administrators and program admins.
func (a *App) EngagementNumbers(ctx context.Context) (sqldb.EngagementNumbers, error) {
	act, err := a.allowedAll(ctx)
	if err != nil {
		return sqldb.EngagementNumbers{}, err
	}
	settings, err := a.DB.OrgSettings(ctx, act.Org.ID)
	if err != nil {
		return sqldb.EngagementNumbers{}, err
	}
	today := a.Today(ctx)
	return a.DB.CountEngagementNumbers(ctx, act.Org.ID, stalledBefore(a.DB.Now(), settings), today, today.AddDays(endingSoonDays))
}

func (a *App) allowedAll(ctx context.Context) (*tandem.Actor, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	if !seesAll(act) {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Program admins and administrators see every engagement; you see yours under My engagements.")
	}
	return act, nil
}

// stalledBefore is the instant before which an active engagement's last
// held session makes it stalled; zero when the organization does not
// track stalling.
func stalledBefore(now time.Time, s tandem.Settings) time.Time {
	if s.StalledDays <= 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(s.StalledDays) * 24 * time.Hour)
}

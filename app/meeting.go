package app

import (
	"context"
	"time"

	"github.com/tandemhq/tandem"
)

// MeetingsView is the sessions section of an engagement as one viewer may
// see it. A viewer who may not see sessions gets Visible false and no
// sessions; a viewer who may see sessions but not the partners'
// conversation gets them with the agenda left empty.
type MeetingsView struct {
	Viewer   tandem.Viewer
	Visible  bool
	Meetings []tandem.Meeting
	// Stalled marks an active engagement without a held session for the
	// organization's stalled_days.
	Stalled     bool
	StalledDays int
	// Summary is the aggregate of the ratings and the "not a good fit"
	// flags, for partners, program admins and administrators; nil for
	// others.
	Summary     *tandem.FeedbackSummary
	CanSchedule bool
	Location    *time.Location
}

// MeetingView is one session as one viewer may see it, with what the
// viewer may do with it.
type MeetingView struct {
	Engagement *tandem.Engagement
	Viewer     tandem.Viewer
	Meeting    *tandem.Meeting
	// Notes are the shared notes (partners only) and the viewer's own
	// private notes; nobody ever receives another person's private note.
	Notes       []tandem.Note
	ActionItems []tandem.ActionItem // partners only
	Ratings     []tandem.Rating     // partners only, with comments
	MyRating    *tandem.Rating
	// Partner reports whether the viewer is one of the two partners, who
	// see the agenda, shared notes, action items and ratings.
	Partner bool
	// CanChange: cancel or record the outcome; CanReschedule: move it (not
	// while the org chart puts mentoring partners in one chain). CanWrite: add
	// notes and action items. CanRate: give feedback on a held session.
	// CanRecordOutcome: say it was held or a no-show, once it has started
	// (before then only cancelling makes sense).
	CanChange, CanReschedule, CanWrite, CanRate, CanRecordOutcome bool
	Location                                                      *time.Location
}

// Now is the current instant, from the database's clock (tests set it).
func (a *App) Now() time.Time { return a.DB.Now() }

// Today is the actor's calendar day, in their time zone.
func (a *App) Today(ctx context.Context) tandem.Date {
	return tandem.Date(a.DB.Now().In(a.Location(ctx)).Format(time.DateOnly))
}

// Location returns the actor's time zone from their profile, UTC when
// they have none or it cannot be loaded.
func (a *App) Location(ctx context.Context) *time.Location {
	act := tandem.ActorFrom(ctx)
	if act == nil || act.Person == nil {
		return time.UTC
	}
	// The actor is loaded with the profile's time zone (sqldb.scanActor).
	return act.Person.Zone()
}

// hideConversation clears what only partners may read from a session.
func hideConversation(m *tandem.Meeting, e *tandem.Engagement, v tandem.Viewer) {
	if !tandem.Can(e.Kind, v, tandem.FacetSharedNotes) {
		m.Agenda = ""
	}
}

// EngagementMeetings returns an engagement's sessions as the actor may see
// them: partners, the manager-party, program admins and administrators
// see when, where and whether it was held; only partners see agendas.
func (a *App) EngagementMeetings(ctx context.Context, id int64) (*MeetingsView, error) {
	act, e, v, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.meetingsView(ctx, act, e, v)
}

func (a *App) meetingsView(ctx context.Context, act *tandem.Actor, e *tandem.Engagement, v tandem.Viewer) (*MeetingsView, error) {
	id := e.ID
	var err error
	out := &MeetingsView{Viewer: v, Visible: tandem.Can(e.Kind, v, tandem.FacetSessions), Location: a.Location(ctx)}
	out.CanSchedule = e.Status == tandem.StatusActive && e.IsPartner(act.Person.ID) && !e.ChainConflict()
	if !out.Visible {
		return out, nil
	}
	if out.Meetings, err = a.DB.Meetings(ctx, e.OrgID, id); err != nil {
		return nil, err
	}
	for i := range out.Meetings {
		hideConversation(&out.Meetings[i], e, v)
	}
	settings, err := a.DB.OrgSettings(ctx, e.OrgID)
	if err != nil {
		return nil, err
	}
	sum, err := a.DB.FeedbackSummary(ctx, e.OrgID, id)
	if err != nil {
		return nil, err
	}
	out.StalledDays = settings.StalledDays
	out.Stalled = tandem.Stalled(e, sum.LastHeld, settings.StalledDays, a.DB.Now())
	if tandem.SeesFeedbackSummary(v) {
		if !tandem.Can(e.Kind, v, tandem.FacetFitFlag) {
			sum.NotAFit = 0
		}
		out.Summary = &sum
	}
	return out, nil
}

// Meeting returns one session as the actor may see it; ENOTFOUND for
// anyone who may not see the engagement's sessions.
func (a *App) Meeting(ctx context.Context, id, meetingID int64) (*MeetingView, error) {
	act, e, v, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tandem.Can(e.Kind, v, tandem.FacetSessions) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such session.")
	}
	m, err := a.DB.MeetingByID(ctx, e.OrgID, id, meetingID)
	if err != nil {
		return nil, err
	}
	hideConversation(m, e, v)
	me := act.Person.ID
	out := &MeetingView{Engagement: e, Viewer: v, Meeting: m, Partner: e.IsPartner(me), Location: a.Location(ctx)}
	// Only the reader's own private notes, whoever the reader is.
	if out.Notes, err = a.DB.Notes(ctx, e.OrgID, meetingID, me, tandem.Can(e.Kind, v, tandem.FacetSharedNotes)); err != nil {
		return nil, err
	}
	if tandem.Can(e.Kind, v, tandem.FacetActionItems) {
		if out.ActionItems, err = a.DB.ActionItems(ctx, e.OrgID, meetingID); err != nil {
			return nil, err
		}
	}
	if tandem.SeesRatings(v) {
		all, err := a.DB.Ratings(ctx, e.OrgID, id)
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			if r.MeetingID == meetingID {
				if r.Person.ID != me && !tandem.Can(e.Kind, v, tandem.FacetFitFlag) {
					r.NotAGoodFit = false // the other partner's flag is for program admins
				}
				out.Ratings = append(out.Ratings, r)
				if r.Person.ID == me {
					mine := r
					out.MyRating = &mine
				}
			}
		}
	}
	active := e.Status == tandem.StatusActive
	out.CanChange = active && out.Partner && m.Status == tandem.MeetingScheduled
	out.CanReschedule = out.CanChange && !e.ChainConflict()
	out.CanRecordOutcome = out.CanChange && !m.Start.After(a.DB.Now())
	out.CanWrite = active && out.Partner
	out.CanRate = active && out.Partner && m.Status == tandem.MeetingHeld
	return out, nil
}

// meetingAction loads an engagement for a change to its sessions: the
// partners' alone, and refused with a field error while it is closed
// (read-only) so a form shows why nothing changed.
func (a *App) meetingAction(ctx context.Context, id int64, field string) (*tandem.Actor, *tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Status.Closed() {
		msg := "This engagement is " + string(e.Status) + ": it is read-only."
		return nil, nil, &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	return act, e, nil
}

// ScheduleMeeting schedules a session of an active engagement; either
// partner. A coaching session must fall inside the engagement's dates, as
// days in the scheduler's time zone.
func (a *App) ScheduleMeeting(ctx context.Context, id int64, in tandem.MeetingInput) (*tandem.Meeting, error) {
	act, e, err := a.meetingAction(ctx, id, "start")
	if err != nil {
		return nil, err
	}
	loc := a.Location(ctx)
	if err := in.Validate(e, loc); err != nil {
		return nil, err
	}
	return a.DB.ScheduleMeeting(ctx, e.OrgID, id, act.Person.ID, in, func(e *tandem.Engagement) error { return newSessionCheck(e, in, loc) })
}

// RescheduleMeeting changes when, where or what a scheduled session is;
// either partner.
func (a *App) RescheduleMeeting(ctx context.Context, id, meetingID int64, in tandem.MeetingInput) (*tandem.Meeting, error) {
	act, e, err := a.meetingAction(ctx, id, "start")
	if err != nil {
		return nil, err
	}
	loc := a.Location(ctx)
	if err := in.Validate(e, loc); err != nil {
		return nil, err
	}
	return a.DB.RescheduleMeeting(ctx, e.OrgID, id, meetingID, act.Person.ID, in, func(e *tandem.Engagement) error { return newSessionCheck(e, in, loc) })
}

// RecordMeeting records how a session went: held, cancelled or no-show;
// either partner.
func (a *App) RecordMeeting(ctx context.Context, id, meetingID int64, status tandem.MeetingStatus) (*tandem.Meeting, error) {
	if !status.Outcome() {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose held, cancelled or no-show.",
			Fields: map[string]string{"status": "Choose held, cancelled or no_show."}}
	}
	act, e, err := a.meetingAction(ctx, id, "status")
	if err != nil {
		return nil, err
	}
	return a.DB.RecordMeeting(ctx, e.OrgID, id, meetingID, act.Person.ID, status)
}

// AddNote adds a partner's Markdown note to a session: shared with the
// other partner, or private to the author.
func (a *App) AddNote(ctx context.Context, id, meetingID int64, shared bool, body string) (*tandem.Note, error) {
	b, err := tandem.CleanNote(body)
	if err != nil {
		return nil, err
	}
	act, e, err := a.meetingAction(ctx, id, "body")
	if err != nil {
		return nil, err
	}
	return a.DB.AddNote(ctx, e.OrgID, id, meetingID, act.Person.ID, shared, b)
}

// AddActionItem records what one of the partners will do after a session;
// either partner, for either partner.
func (a *App) AddActionItem(ctx context.Context, id, meetingID, ownerID int64, body string, due tandem.Date) (*tandem.ActionItem, error) {
	b, err := tandem.CleanActionItem(body)
	if err != nil {
		return nil, err
	}
	act, e, err := a.meetingAction(ctx, id, "body")
	if err != nil {
		return nil, err
	}
	it := &tandem.ActionItem{Owner: tandem.PersonRef{ID: ownerID}, Body: b, Due: due}
	if err := a.DB.AddActionItem(ctx, e.OrgID, id, meetingID, act.Person.ID, it); err != nil {
		return nil, err
	}
	return it, nil
}

// CompleteActionItem ticks off an action item of a session; either partner.
func (a *App) CompleteActionItem(ctx context.Context, id, meetingID, itemID int64) error {
	_, e, err := a.meetingAction(ctx, id, "item")
	if err != nil {
		return err
	}
	return a.DB.CompleteActionItem(ctx, e.OrgID, id, meetingID, itemID)
}

// RateMeeting stores a partner's feedback on a held session: a score of 1
// to 5, a comment, and optionally the flag that this is not a good fit.
func (a *App) RateMeeting(ctx context.Context, id, meetingID int64, r tandem.Rating) (*tandem.Rating, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	act, e, err := a.meetingAction(ctx, id, "score")
	if err != nil {
		return nil, err
	}
	r.MeetingID, r.Person = meetingID, tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name}
	if err := a.DB.RateMeeting(ctx, e.OrgID, id, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// MyActionItems lists the actor's open action items across every
// engagement they are a partner in.
func (a *App) MyActionItems(ctx context.Context) ([]tandem.ActionItem, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.OpenActionItems(ctx, act.Org.ID, act.Person.ID)
}

// StalledEngagements returns which of the listed engagements are stalled;
// only the active ones can be, and only theirs are looked up.
func (a *App) StalledEngagements(ctx context.Context, list []tandem.Engagement) (map[int64]bool, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var active []int64
	for _, e := range list {
		if e.Status == tandem.StatusActive {
			active = append(active, e.ID)
		}
	}
	out := map[int64]bool{}
	if len(active) == 0 {
		return out, nil
	}
	settings, err := a.DB.OrgSettings(ctx, act.Org.ID)
	if err != nil {
		return nil, err
	}
	held, err := a.DB.LastHeld(ctx, act.Org.ID, active)
	if err != nil {
		return nil, err
	}
	now := a.DB.Now()
	for i := range list {
		var last *time.Time
		if t, ok := held[list[i].ID]; ok {
			last = &t
		}
		if tandem.Stalled(&list[i], last, settings.StalledDays, now) {
			out[list[i].ID] = true
		}
	}
	return out, nil
}

// newSessionCheck runs in the transaction that books or moves a session,
// on the engagement as locked there: a reorg that has just put mentoring
// partners in one chain is seen too.
func newSessionCheck(e *tandem.Engagement, in tandem.MeetingInput, loc *time.Location) error {
	if e.ChainConflict() {
		return e.ChainConflictError()
	}
	return in.Validate(e, loc)
}

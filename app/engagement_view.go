package app

import (
	"context"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// EngagementView is an engagement as one viewer may see it: every part the
// visibility matrix hides from them is empty, so no surface can show it by
// mistake.
type EngagementView struct {
	Engagement *tandem.Engagement
	Viewer     tandem.Viewer
	Versions   []tandem.Agreement // the agreement facet
	Responses  []tandem.Response  // the agreement facet
	Events     []tandem.Event     // the timeline, filtered by facet
	Items      []tandem.Item      // the agenda facet
	// Previous is the engagement for the same skill this one moved on from,
	// when the viewer may see it.
	Previous *tandem.Engagement
	// What the viewer may do now.
	CanRevise, CanRespond, CanEnd, CanMovePhase, CanReverse, CanAnswerReversal, CanReview, CanAllowException, CanShareHistory, CanAddItems bool
	// MyResponse is the viewer's answer to the current version, if any.
	MyResponse *tandem.Response
	// AwaitsMe: the viewer may answer the current version and has not
	// (its author agreed by writing it).
	AwaitsMe  bool
	ReviewDue bool
}

// See reports whether the view includes a facet.
func (v *EngagementView) See(f tandem.Facet) bool { return tandem.Can(v.Engagement.Kind, v.Viewer, f) }

// Current returns the newest agreement version, or nil when hidden.
func (v *EngagementView) Current() *tandem.Agreement {
	if len(v.Versions) == 0 {
		return nil
	}
	return &v.Versions[len(v.Versions)-1]
}

// ResponsesTo returns the answers to one version.
func (v *EngagementView) ResponsesTo(version int) []tandem.Response {
	var out []tandem.Response
	for _, r := range v.Responses {
		if r.Version == version {
			out = append(out, r)
		}
	}
	return out
}

// AuthorAgreed reports whether an answer is the agreement the author of
// its version gave by writing it (proposing or revising counts as
// agreeing), rather than an answer given afterwards.
func (v *EngagementView) AuthorAgreed(r tandem.Response) bool {
	for _, a := range v.Versions {
		if a.Version == r.Version {
			return r.Agreed && r.PersonID == a.CreatedBy && r.At.Equal(a.CreatedAt)
		}
	}
	return false
}

// Waiting lists the required parties who have not agreed to the current
// version yet, by name.
func (v *EngagementView) Waiting() []string {
	if !v.See(tandem.FacetAgreement) {
		return nil // without the answers, everyone would look late
	}
	e := v.Engagement
	var out []string
	for _, p := range e.Waiting(v.Responses) {
		switch p {
		case tandem.PartyLearner:
			out = append(out, e.Learner.Name)
		case tandem.PartyGuide:
			out = append(out, e.Guide.Name)
		case tandem.PartyManager:
			if e.Manager.Left {
				out = append(out, e.Manager.Name+" (manager, who left the organization: it waits for an administrator to set "+e.Learner.Name+"'s new manager)")
			} else {
				out = append(out, e.Manager.Name+" (manager)")
			}
		}
	}
	return out
}

// viewer works out how the actor relates to the engagement. Anyone who may
// not see it at all gets ENOTFOUND, so its existence does not leak.
func (a *App) viewer(ctx context.Context, act *tandem.Actor, e *tandem.Engagement) (tandem.Viewer, error) {
	successor := false
	if e.PartyOf(act.Person.ID) == "" && e.Kind == tandem.Coaching {
		var err error
		if successor, err = a.DB.Successor(ctx, e.OrgID, e.ID, act.Person.ID); err != nil {
			return "", err
		}
	}
	v := e.ViewerOf(act.Person.ID, act.Person.Role, successor)
	if v == tandem.ViewerNone {
		return "", tandem.Errorf(tandem.ENOTFOUND, "No such engagement.")
	}
	return v, nil
}

// load returns the engagement and the actor's relation to it.
func (a *App) load(ctx context.Context, id int64) (*tandem.Actor, *tandem.Engagement, tandem.Viewer, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	e, err := a.DB.EngagementByID(ctx, act.Org.ID, id)
	if err != nil {
		return nil, nil, "", err
	}
	v, err := a.viewer(ctx, act, e)
	if err != nil {
		return nil, nil, "", err
	}
	return act, e, v, nil
}

// Engagement returns an engagement as the actor may see it.
func (a *App) Engagement(ctx context.Context, id int64) (*EngagementView, error) {
	act, e, v, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.engagementView(ctx, act, e, v)
}

// EngagementPage is everything the engagement page shows: the engagement,
// its sessions and its goals and the like, each as the actor may see it.
type EngagementPage struct {
	*EngagementView
	Meetings *MeetingsView
	Goals    *GoalsView
}

// EngagementPage loads the engagement once for the three views of its
// page (Engagement, EngagementMeetings and Goals each load it themselves).
func (a *App) EngagementPage(ctx context.Context, id int64) (*EngagementPage, error) {
	act, e, v, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &EngagementPage{}
	if p.EngagementView, err = a.engagementView(ctx, act, e, v); err != nil {
		return nil, err
	}
	if p.Meetings, err = a.meetingsView(ctx, act, e, v); err != nil {
		return nil, err
	}
	// The learnings are among the items the engagement view has loaded.
	if p.Goals, err = a.goalsView(ctx, act, e, v, p.EngagementView.Items); err != nil {
		return nil, err
	}
	return p, nil
}

func (a *App) engagementView(ctx context.Context, act *tandem.Actor, e *tandem.Engagement, v tandem.Viewer) (*EngagementView, error) {
	view, err := a.facets(ctx, e, v)
	if err != nil {
		return nil, err
	}
	if e.PreviousID != 0 {
		prev, err := a.DB.EngagementByID(ctx, e.OrgID, e.PreviousID)
		if err != nil {
			return nil, err
		}
		if pv, _ := a.viewer(ctx, act, prev); pv != tandem.ViewerNone {
			view.Previous = prev
		} else {
			// The id of an engagement one may not see is not shown either:
			// it would tell a new coach that it exists (issue 11, item 6).
			e.PreviousID = 0
		}
	}
	me := act.Person.ID
	open := !e.Status.Closed()
	partner := e.IsPartner(me)
	party := e.PartyOf(me) != ""
	view.CanRevise = open && partner
	view.CanRespond = open && party && !(e.Status == tandem.StatusActive && e.AgreedVersion == e.CurrentVersion)
	view.CanEnd = open && partner
	isMentoringActive := open && e.Kind == tandem.Mentoring && e.Status == tandem.StatusActive
	view.CanMovePhase = isMentoringActive && partner
	view.CanReverse = isMentoringActive && partner && e.ReversalBy == 0
	view.CanAnswerReversal = isMentoringActive && partner && e.ReversalBy != 0 && e.ReversalBy != me
	view.CanReview = isMentoringActive && partner
	view.ReviewDue = isMentoringActive && e.NextReview != "" && e.NextReview <= tandem.DateOf(a.DB.Now())
	// An exception is for a partnership inside the management chain, and an
	// administrator does not grant one to themself.
	view.CanAllowException = open && e.Kind == tandem.Mentoring && act.Person.Role == tandem.RoleAdmin && e.Exception == "" && !party && e.InChain
	view.CanShareHistory = open && e.PreviousID != 0 && me == e.Learner.ID
	view.CanAddItems = e.Status == tandem.StatusActive && e.Kind == tandem.Mentoring && partner && !e.ChainConflict()
	for i := range view.Responses {
		r := &view.Responses[i]
		if r.Version == e.CurrentVersion && r.PersonID == me {
			view.MyResponse = r
		}
	}
	view.AwaitsMe = view.CanRespond && view.MyResponse == nil
	return view, nil
}

// facets loads the parts of an engagement a viewer may see, and only
// those: the one place the visibility matrix is applied to an engagement's
// own records, for every surface (pages, API, CLI).
func (a *App) facets(ctx context.Context, e *tandem.Engagement, v tandem.Viewer) (*EngagementView, error) {
	view := &EngagementView{Engagement: e, Viewer: v}
	if !view.See(tandem.FacetPhaseHistory) {
		e.ReversalBy = 0 // a pending role reversal is the partners' conversation
	}
	if !view.See(tandem.FacetAgreement) {
		e.EndReason = "" // why it ended is read with the agreement
	}
	var err error
	if view.See(tandem.FacetAgreement) {
		if view.Versions, err = a.DB.Versions(ctx, e.OrgID, e.ID); err != nil {
			return nil, err
		}
		if view.Responses, err = a.DB.Responses(ctx, e.OrgID, e.ID); err != nil {
			return nil, err
		}
	}
	events, err := a.DB.Events(ctx, e.OrgID, e.ID)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		if view.See(ev.Type.Facet()) {
			if !view.See(ev.Type.NoteFacet()) {
				ev.Note = ""
			}
			view.Events = append(view.Events, ev)
		}
	}
	if view.See(tandem.FacetAgenda) {
		if view.Items, err = a.DB.Items(ctx, e.OrgID, e.ID); err != nil {
			return nil, err
		}
	}
	return view, nil
}

// MyEngagements lists the engagements the actor is a party to.
func (a *App) MyEngagements(ctx context.Context) ([]tandem.Engagement, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	es, err := a.DB.ListEngagements(ctx, act.Org.ID, sqldb.EngagementFilter{PartyID: act.Person.ID})
	return hidePrevious(act, es), err
}

// hidePrevious leaves the link to an earlier engagement on the rows of a
// party's list only for the learner, who was a party to it; a new coach or
// a manager learns of it on the engagement's page only if they may see it
// (engagementView), so no list shows an id one may not know exists.
func hidePrevious(act *tandem.Actor, es []tandem.Engagement) []tandem.Engagement {
	for i := range es {
		if es[i].Learner.ID != act.Person.ID {
			es[i].PreviousID = 0
		}
	}
	return es
}

// AwaitingMyAnswer lists the actor's open engagements whose current
// agreement version waits for the actor's answer: one query, for the home
// page.
func (a *App) AwaitingMyAnswer(ctx context.Context) ([]tandem.Engagement, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	es, err := a.DB.ListEngagements(ctx, act.Org.ID, sqldb.EngagementFilter{PartyID: act.Person.ID, AwaitingAnswer: true})
	return hidePrevious(act, es), err
}

// AllEngagements lists the organization's engagements for program admins
// and administrators: the list shows status and dates, which the matrix
// lets them see; the pages of each still hide the conversations.
func (a *App) AllEngagements(ctx context.Context, f sqldb.EngagementFilter) ([]tandem.Engagement, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	if act.Person.Role == tandem.RoleMember {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Program admins and administrators see every engagement; you see yours under My engagements.")
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	f.PartyID = 0
	return a.DB.ListEngagements(ctx, act.Org.ID, f)
}

// Revise makes a new version of the agreement; the two partners may.
func (a *App) Revise(ctx context.Context, id int64, ag tandem.Agreement) (*tandem.Engagement, error) {
	act, e, _, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !e.IsPartner(act.Person.ID) {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "The two partners write the agreement; other parties agree or ask for changes.")
	}
	ag.SkillID = e.SkillID
	if err := ag.Validate(e.Kind); err != nil {
		return nil, err
	}
	settings, err := a.DB.OrgSettings(ctx, e.OrgID)
	if err != nil {
		return nil, err
	}
	if err := ag.CheckDuration(settings); err != nil {
		return nil, err
	}
	return a.DB.ReviseAgreement(ctx, e.OrgID, id, act.Person.ID, &ag)
}

// Respond records the actor's answer to a version of the agreement: agree,
// or ask for changes with a comment. Parties only.
func (a *App) Respond(ctx context.Context, id int64, version int, agreed bool, comment string) (*tandem.Engagement, error) {
	act, e, _, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	party := e.PartyOf(act.Person.ID)
	if party == "" {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the parties to the agreement answer it.")
	}
	comment = strings.TrimSpace(comment)
	if !agreed && comment == "" {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Say what you would like changed.",
			Fields: map[string]string{"comment": "Say what you would like changed."}}
	}
	if len(comment) > 2000 {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "The comment is too long.", Fields: map[string]string{"comment": "Use at most 2,000 characters."}}
	}
	return a.DB.Respond(ctx, e.OrgID, id, sqldb.RespondInput{
		PersonID: act.Person.ID, Party: party, Version: version, Agreed: agreed, Comment: comment,
		CheckActivation: func(_ *sqldb.Tx, e *tandem.Engagement) error { return checkHierarchy(e) },
	})
}

// checkHierarchy rechecks, as a change takes effect, that mentoring
// partners are outside each other's management chain (the org chart may
// have changed since the proposal), unless an administrator allowed it.
// e is the engagement as locked in the transaction, whose InChain was read
// there (either way round: it holds for a reversal's swapped copy too).
func checkHierarchy(e *tandem.Engagement) error {
	if e.Kind == tandem.Mentoring && e.Exception == "" && e.InChain {
		return hierarchyError(e.Learner.Name, e.Guide.Name)
	}
	return nil
}

// partnerAction loads an engagement for a change only its partners make.
func (a *App) partnerAction(ctx context.Context, id int64) (*tandem.Actor, *tandem.Engagement, error) {
	act, e, _, err := a.load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !e.IsPartner(act.Person.ID) {
		return nil, nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the two partners can do this.")
	}
	return act, e, nil
}

// workAction loads an engagement for the partners' work together (goals,
// evaluations, themes, reflections, agenda items): like sessions, it
// starts only once every required party has agreed, and a closed
// engagement is read-only.
func (a *App) workAction(ctx context.Context, id int64) (*tandem.Actor, *tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := workOpen(e); err != nil {
		return nil, nil, err
	}
	return act, e, nil
}

// workOpen refuses work on an engagement that is not active, or that the
// org chart has put inside the management chain (ChainConflict).
func workOpen(e *tandem.Engagement) error {
	switch e.Status {
	case tandem.StatusActive:
		if e.ChainConflict() {
			return e.ChainConflictError()
		}
		return nil
	case tandem.StatusDraft:
		return tandem.Errorf(tandem.EINVALID, "The work starts once every party has agreed to the outcome agreement.")
	}
	return tandem.Errorf(tandem.EINVALID, "This engagement is %s: it is read-only.", e.Status)
}

func note(s string, field string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", &tandem.Error{Code: tandem.EINVALID, Message: "Please add a few words.", Fields: map[string]string{field: "Please add a few words."}}
	}
	if len(s) > 2000 {
		return "", &tandem.Error{Code: tandem.EINVALID, Message: "That is too long.", Fields: map[string]string{field: "Use at most 2,000 characters."}}
	}
	return s, nil
}

// SetPhase moves a mentoring partnership to another phase; either partner.
func (a *App) SetPhase(ctx context.Context, id int64, phase tandem.Phase, text string) (*tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tandem.ValidPhase(phase) {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a phase.", Fields: map[string]string{"phase": "Choose initiation, cultivation, separation or redefinition."}}
	}
	n, err := note(text, "note", false)
	if err != nil {
		return nil, err
	}
	return a.DB.SetPhase(ctx, e.OrgID, id, act.Person.ID, phase, n)
}

// ProposeReversal proposes swapping roles: "the mentor can become the
// protégé". Either partner; the other answers.
func (a *App) ProposeReversal(ctx context.Context, id int64, text string) (*tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, err
	}
	n, err := note(text, "note", false)
	if err != nil {
		return nil, err
	}
	return a.DB.ProposeReversal(ctx, e.OrgID, id, act.Person.ID, n)
}

// AnswerReversal accepts or declines the other partner's proposal; on
// acceptance the hierarchy rule is checked again for the new direction,
// and a new protégé's manager is asked to agree to the terms (a new
// version, see sqldb.AnswerReversal).
func (a *App) AnswerReversal(ctx context.Context, id int64, accept bool) (*tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, err
	}
	settings, err := a.DB.OrgSettings(ctx, e.OrgID)
	if err != nil {
		return nil, err
	}
	return a.DB.AnswerReversal(ctx, e.OrgID, id, act.Person.ID, accept, !settings.MentoringManagerOptional,
		func(_ *sqldb.Tx, swapped *tandem.Engagement) error { return checkHierarchy(swapped) })
}

// End closes an engagement early, or withdraws a draft; either partner,
// with a reason.
func (a *App) End(ctx context.Context, id int64, reason string) (*tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := note(reason, "reason", true)
	if err != nil {
		return nil, err
	}
	return a.DB.End(ctx, e.OrgID, id, act.Person.ID, r)
}

// Review records the partners' decision at a review point.
func (a *App) Review(ctx context.Context, id int64, d tandem.ReviewDecision, text string) (*tandem.Engagement, error) {
	act, e, err := a.partnerAction(ctx, id)
	if err != nil {
		return nil, err
	}
	if d != tandem.ReviewContinue && d != tandem.ReviewChange && d != tandem.ReviewClose {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose continue, change or close.", Fields: map[string]string{"decision": "Choose continue, change or close."}}
	}
	n, err := note(text, "note", d != tandem.ReviewContinue)
	if err != nil {
		return nil, err
	}
	return a.DB.RecordReview(ctx, e.OrgID, id, act.Person.ID, d, n)
}

// AllowException lets a mentoring partnership inside the management chain
// go ahead; administrators only, with a reason that stays visible.
func (a *App) AllowException(ctx context.Context, id int64, reason string) (*tandem.Engagement, error) {
	act, e, _, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if act.Person.Role != tandem.RoleAdmin {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only an administrator can allow an exception to the hierarchy rule.")
	}
	if e.PartyOf(act.Person.ID) != "" {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "You are part of this partnership: another administrator decides on the exception.")
	}
	r, err := note(reason, "reason", true)
	if err != nil {
		return nil, err
	}
	if e.Exception != "" {
		return nil, tandem.Errorf(tandem.ECONFLICT, "%s already allowed an exception: %s", e.ExceptionBy.Name, e.Exception)
	}
	if e.Kind == tandem.Mentoring && !e.InChain {
		return nil, tandem.Errorf(tandem.EINVALID, "%s and %s are not in the same management chain: no exception is needed.", e.Learner.Name, e.Guide.Name)
	}
	return a.DB.AllowException(ctx, e.OrgID, id, act.Person.ID, r)
}

// SetShareHistory is the coachee's choice to let this engagement's coach
// read the previous engagement for the same skill.
func (a *App) SetShareHistory(ctx context.Context, id int64, share bool) (*tandem.Engagement, error) {
	act, e, _, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if act.Person.ID != e.Learner.ID {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the coachee decides who reads their history.")
	}
	return a.DB.SetShareHistory(ctx, e.OrgID, id, act.Person.ID, share)
}

// AddItem adds an agenda item or a learning to a mentoring partnership;
// either partner.
func (a *App) AddItem(ctx context.Context, id int64, learned bool, body string) (*tandem.Item, error) {
	act, e, err := a.workAction(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := note(body, "body", true)
	if err != nil {
		return nil, err
	}
	return a.DB.AddItem(ctx, e.OrgID, id, act.Person.ID, learned, b)
}

// CompleteItem ticks off an agenda item; either partner.
func (a *App) CompleteItem(ctx context.Context, id, itemID int64) error {
	_, e, err := a.workAction(ctx, id)
	if err != nil {
		return err
	}
	return a.DB.CompleteItem(ctx, e.OrgID, id, itemID)
}

// ExpireDue closes coaching engagements past their end date; the server
// runs it periodically.
func (a *App) ExpireDue(ctx context.Context) (int, error) {
	return a.DB.ExpireDue(ctx, tandem.DateOf(a.DB.Now()))
}

// Settings returns the organization's engagement rules.
func (a *App) Settings(ctx context.Context) (tandem.Settings, error) {
	act, err := actor(ctx)
	if err != nil {
		return tandem.Settings{}, err
	}
	return a.DB.OrgSettings(ctx, act.Org.ID)
}

// SetSettings changes the organization's engagement rules; administrators.
func (a *App) SetSettings(ctx context.Context, s tandem.Settings) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return a.DB.SetOrgSettings(ctx, act.Org.ID, s)
}

package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// OperatorEngagement is an engagement as the operator sees it from the
// command line: the status and agreement facets of the visibility matrix,
// which are what the learner's manager sees. The operator runs the
// installation, not the partnership, so the conversation (agenda items,
// learnings, phase history and its notes) is never loaded here at all.
type OperatorEngagement struct {
	Engagement *tandem.Engagement
	Versions   []tandem.Agreement // every version, oldest first
	Responses  []tandem.Response  // every party's answers, oldest first
	Events     []tandem.Event     // status and agreement events only
}

// operatorFacet reports whether the operator sees a facet.
func operatorFacet(f tandem.Facet) bool { return f == tandem.FacetStatus || f == tandem.FacetAgreement }

// forOperator clears what belongs to the phase history from the
// engagement itself: a pending role reversal is part of the partners'
// conversation. The current phase stays, as on the lists administrators
// see, because it says where the partnership is, not what was said.
func forOperator(e *tandem.Engagement) {
	e.ReversalBy = 0
}

// EngagementsForOperator lists an organization's engagements with the
// operator's authority, for the CLI; f.PartyID is honoured, Kind and
// Status must be valid when given.
func (a *App) EngagementsForOperator(ctx context.Context, orgID int64, f sqldb.EngagementFilter) ([]tandem.Engagement, error) {
	var fe tandem.FieldErrors
	if f.Kind != "" && f.Kind != tandem.Coaching && f.Kind != tandem.Mentoring {
		fe.Add("kind", fmt.Sprintf("%q is not a kind: choose coaching or mentoring.", string(f.Kind)))
	}
	switch f.Status {
	case "", tandem.StatusDraft, tandem.StatusActive, tandem.StatusEnded, tandem.StatusExpired:
	default:
		fe.Add("status", fmt.Sprintf("%q is not a status: choose draft, active, ended or expired.", string(f.Status)))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	list, err := a.DB.ListEngagements(ctx, orgID, f)
	if err != nil {
		return nil, err
	}
	for i := range list {
		forOperator(&list[i])
	}
	return list, nil
}

// EngagementForOperator returns one engagement of the organization with
// the operator's authority, for the CLI: its parties, status, dates, every
// agreement version with the answers, and the timeline's status and
// agreement events. ENOTFOUND when the organization has no such engagement.
func (a *App) EngagementForOperator(ctx context.Context, orgID, id int64) (*OperatorEngagement, error) {
	e, err := a.DB.EngagementByID(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	forOperator(e)
	v := &OperatorEngagement{Engagement: e}
	if v.Versions, err = a.DB.Versions(ctx, id); err != nil {
		return nil, err
	}
	if v.Responses, err = a.DB.Responses(ctx, id); err != nil {
		return nil, err
	}
	events, err := a.DB.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		if operatorFacet(ev.Type.Facet()) {
			v.Events = append(v.Events, ev)
		}
	}
	return v, nil
}

// Waiting lists the required parties who have not agreed to the current
// version yet, as "Name (party)".
func (v *OperatorEngagement) Waiting() []string {
	e := v.Engagement
	agreed := map[tandem.Party]bool{}
	for _, r := range v.Responses {
		if r.Version == e.CurrentVersion && r.Agreed {
			agreed[r.Party] = true
		}
	}
	var out []string
	for _, p := range e.RequiredParties() {
		if agreed[p] {
			continue
		}
		switch p {
		case tandem.PartyLearner:
			out = append(out, e.Learner.Name+" ("+strings.ToLower(e.Kind.LearnerLabel())+")")
		case tandem.PartyGuide:
			out = append(out, e.Guide.Name+" ("+strings.ToLower(e.Kind.GuideLabel())+")")
		case tandem.PartyManager:
			out = append(out, e.Manager.Name+" (manager)")
		}
	}
	return out
}

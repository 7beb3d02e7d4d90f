package app

import (
	"context"
	"fmt"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// EngagementsForOperator lists an organization's engagements with the
// operator's authority, for the CLI; f.PartyID is honoured, Kind and
// Status must be valid when given.
func (a *App) EngagementsForOperator(ctx context.Context, orgID int64, f sqldb.EngagementFilter) ([]tandem.Engagement, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	list, err := a.DB.ListEngagements(ctx, orgID, f)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].ReversalBy = 0 // phase history: not the operator's to see
	}
	return list, nil
}

// EngagementForOperator returns one engagement of the organization with
// the operator's authority, for the CLI: what tandem.ViewerOperator may see
// (its parties, status, dates, every agreement version with the answers,
// and the timeline's status and agreement events). ENOTFOUND when the
// organization has no such engagement.
func (a *App) EngagementForOperator(ctx context.Context, orgID, id int64) (*EngagementView, error) {
	e, err := a.DB.EngagementByID(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	return a.facets(ctx, e, tandem.ViewerOperator)
}

// checkFilter refuses a list filter whose kind or status is not one, with
// field errors, for every surface that lists engagements.
func checkFilter(f sqldb.EngagementFilter) error {
	var fe tandem.FieldErrors
	if f.Kind != "" && f.Kind != tandem.Coaching && f.Kind != tandem.Mentoring {
		fe.Add("kind", fmt.Sprintf("%q is not a kind: choose coaching or mentoring.", string(f.Kind)))
	}
	switch f.Status {
	case "", tandem.StatusDraft, tandem.StatusActive, tandem.StatusEnded, tandem.StatusExpired:
	default:
		fe.Add("status", fmt.Sprintf("%q is not a status: choose draft, active, ended or expired.", string(f.Status)))
	}
	checkPage(&fe, f.Limit, f.Offset, MaxEngagementsPage)
	return fe.Err()
}

// checkPage adds the field errors of a list's page: a page larger than
// the largest is refused, not quietly shortened. A limit of 0 is the
// list's default; the web reads an unparsable value as -1 (pageParam).
func checkPage(fe *tandem.FieldErrors, limit, offset, largest int) {
	if limit < 0 || limit > largest {
		fe.Add("limit", fmt.Sprintf("Give a whole number from 1 to %d.", largest))
	}
	if offset < 0 {
		fe.Add("offset", "Give a whole number, 0 or more.")
	}
}

// MaxEngagementsPage is the largest page of AllEngagements; a Limit of 0
// gives 200.
const MaxEngagementsPage = 500

package app

import (
	"context"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// MaxPartnershipsPage is the largest page of a program's partnerships or
// self-serve requests; a limit of 0 gives 50.
const MaxPartnershipsPage = 200

// programPage checks that the actor runs the program (its admins and
// administrators; not found for whoever does not see it) and the page.
func (a *App) programPage(ctx context.Context, id int64, limit, offset int) (*tandem.Actor, int, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, 0, err
	}
	limit, err = partnershipsPage(limit, offset)
	return act, limit, err
}

// partnershipsPage checks a page of partnerships or requests and returns
// its limit (0 gives 50).
func partnershipsPage(limit, offset int) (int, error) {
	var fe tandem.FieldErrors
	checkPage(&fe, limit, offset, MaxPartnershipsPage)
	if err := fe.Err(); err != nil {
		return 0, err
	}
	if limit == 0 {
		limit = 50
	}
	return limit, nil
}

// ProgramPartnerships lists a page of the partnerships the program
// proposed, with how many there are: who, the status, the phase, when it
// started and when the last session was held; for its admins and
// administrators, who see status and never conversations.
func (a *App) ProgramPartnerships(ctx context.Context, id int64, limit, offset int) ([]sqldb.ProgramPartnership, int, error) {
	act, limit, err := a.programPage(ctx, id, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	return a.programPartnerships(ctx, act.Org.ID, id, limit, offset)
}

// ProgramPartnershipsForOperator is ProgramPartnerships for the operator
// (tandem program partnerships).
func (a *App) ProgramPartnershipsForOperator(ctx context.Context, orgID, id int64, limit, offset int) ([]sqldb.ProgramPartnership, int, error) {
	limit, err := partnershipsPage(limit, offset)
	if err != nil {
		return nil, 0, err
	}
	return a.programPartnerships(ctx, orgID, id, limit, offset)
}

func (a *App) programPartnerships(ctx context.Context, orgID, id int64, limit, offset int) ([]sqldb.ProgramPartnership, int, error) {
	list, total, err := a.DB.ProgramPartnerships(ctx, orgID, id, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.EngagementID
	}
	held, err := a.DB.LastHeld(ctx, orgID, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range list {
		if t, ok := held[list[i].EngagementID]; ok {
			list[i].LastSession = &t
		}
	}
	return list, total, nil
}

// ProgramRequestStatuses lists a page of the program's self-serve
// requests for its admins and administrators: who asked whom, the status
// and dates, never the message.
func (a *App) ProgramRequestStatuses(ctx context.Context, id int64, limit, offset int) ([]sqldb.ProgramRequestStatus, int, error) {
	act, limit, err := a.programPage(ctx, id, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	return a.DB.ProgramRequestStatuses(ctx, act.Org.ID, id, limit, offset)
}

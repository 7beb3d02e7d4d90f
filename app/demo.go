package app

import (
	"context"

	"github.com/tandemhq/tandem"
)

// GiveDemoAccounts gives the people ids of a demo organization accounts
// with the password (its administrator's), so that a visitor can sign in
// as each persona and see what that role sees. It runs with the
// operator's authority, for the demo loader, and refuses (EINVALID) an
// organization that is not marked as demo data: real people get accounts
// by invitation only. The password is hashed once for all.
func (a *App) GiveDemoAccounts(ctx context.Context, orgID int64, ids []int64, password string) (int, error) {
	org, err := a.DB.OrgByID(ctx, orgID)
	if err != nil {
		return 0, err
	}
	if !org.Demo {
		return 0, tandem.Errorf(tandem.EINVALID, "Only a demo organization's people get accounts without an invitation.")
	}
	if msg := tandem.CheckPassword(password); msg != "" {
		return 0, tandem.Errorf(tandem.EINVALID, "%s", msg)
	}
	hash, err := a.hash(ctx, password)
	if err != nil {
		return 0, err
	}
	return a.DB.GiveAccounts(ctx, orgID, ids, hash)
}

// DemoPersonas lists the people of the actor's demo organization whom a
// visitor can sign in as, with their parts in engagements. Any member may
// see it; in an organization that is not demo data it is not found.
func (a *App) DemoPersonas(ctx context.Context) ([]tandem.DemoPersona, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	if !act.Org.Demo {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "This organization is not a demo.")
	}
	return a.DB.DemoPersonas(ctx, act.Org.ID)
}

package app

import (
	"context"

	"github.com/tandemhq/tandem"
)

// GiveDemoAccounts gives the people ids of a demo organization accounts
// with the password of the account adminAccountID (its administrator's),
// so that a visitor can sign in as each persona with the password they
// know and see what that role sees. The hash is copied, not made again:
// no plaintext is needed and loading stays fast. It runs with the
// operator's authority, for the demo loader, and refuses (EINVALID) an
// organization that is not marked as demo data: real people get accounts
// by invitation only.
func (a *App) GiveDemoAccounts(ctx context.Context, orgID int64, ids []int64, adminAccountID int64) (int, error) {
	org, err := a.DB.OrgByID(ctx, orgID)
	if err != nil {
		return 0, err
	}
	if !org.Demo {
		return 0, tandem.Errorf(tandem.EINVALID, "Only a demo organization's people get accounts without an invitation.")
	}
	acct, err := a.DB.AccountByID(ctx, adminAccountID)
	if err != nil {
		return 0, err
	}
	if acct.PasswordHash == "" {
		return 0, tandem.Errorf(tandem.EINVALID, "The administrator's account has no password to share.")
	}
	return a.DB.GiveAccounts(ctx, orgID, ids, acct.PasswordHash)
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

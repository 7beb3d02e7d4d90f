package app

import (
	"context"
	"io"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// notInOrg is the field error for an email that names no active person of
// the organization: it says so when the person has left.
func (a *App) notInOrg(ctx context.Context, act *tandem.Actor, email, field, msg string) error {
	problem := "No one with this email is in " + act.Org.Name + "."
	if p, err := a.DB.PersonByEmail(ctx, act.Org.ID, email); err == nil && p.Left() {
		problem = p.Name + " has left " + act.Org.Name + "."
	}
	return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{field: problem}}
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if msg := tandem.CheckDeactivationReason(reason); msg != "" {
		return "", &tandem.Error{Code: tandem.EINVALID, Message: "The reason is too long.", Fields: map[string]string{"reason": msg}}
	}
	return reason, nil
}

// Deactivate records that a person left the organization, with an
// optional reason; administrators only. The person can no longer sign in
// to the organization (their sessions there end and their API tokens are
// revoked at once; other organizations of their account are untouched),
// leaves the directory and the pickers, and their open engagements end
// with the reason "NAME left the organization." (sqldb.Deactivate). A
// person of another organization is ENOTFOUND; deactivating someone twice,
// or the last administrator, is ECONFLICT and changes nothing.
func (a *App) Deactivate(ctx context.Context, personID int64, reason string) (*sqldb.Deactivation, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	if reason, err = checkReason(reason); err != nil {
		return nil, err
	}
	return a.DB.Deactivate(ctx, act.Org.ID, personID, act.Person.ID, reason)
}

// Reactivate gives a person who left their access back; administrators
// only. Engagements that ended stay ended.
func (a *App) Reactivate(ctx context.Context, personID int64) (*tandem.Person, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.Reactivate(ctx, act.Org.ID, personID)
}

// ListLeavers lists the people who left the organization, for the
// administrators' members page; administrators only.
func (a *App) ListLeavers(ctx context.Context) ([]tandem.Person, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.ListLeavers(ctx, act.Org.ID)
}

// operatorPerson finds a person of an organization by email for the CLI,
// whether active or not.
func (a *App) operatorPerson(ctx context.Context, orgID int64, email string) (*tandem.Person, error) {
	p, err := a.DB.PersonByEmail(ctx, orgID, tandem.NormalizeEmail(email))
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No one with the email %s is in that organization.", tandem.NormalizeEmail(email))
	}
	return p, err
}

// DeactivateInOrg deactivates the person with the email with the
// operator's authority, for the CLI.
func (a *App) DeactivateInOrg(ctx context.Context, orgID int64, email, reason string) (*sqldb.Deactivation, error) {
	p, err := a.operatorPerson(ctx, orgID, email)
	if err != nil {
		return nil, err
	}
	if reason, err = checkReason(reason); err != nil {
		return nil, err
	}
	return a.DB.Deactivate(ctx, orgID, p.ID, 0, reason)
}

// ReactivateInOrg reactivates the person with the email with the
// operator's authority, for the CLI.
func (a *App) ReactivateInOrg(ctx context.Context, orgID int64, email string) (*tandem.Person, error) {
	p, err := a.operatorPerson(ctx, orgID, email)
	if err != nil {
		return nil, err
	}
	return a.DB.Reactivate(ctx, orgID, p.ID)
}

// ImportOptions are the choices of an import beyond the file.
type ImportOptions struct {
	// DeactivateMissing deactivates everyone active who is not in the
	// file (guests aside); never the administrator importing, never the
	// last administrator.
	DeactivateMissing bool
	// DryRun checks the file and reports what the import would do,
	// changing nothing.
	DryRun bool
	// Confirmed, when not nil, holds the ids a preview listed for
	// deactivation: the import is refused (ECONFLICT) unless it would
	// deactivate exactly them.
	Confirmed []int64
}

// ImportPeopleWith is ImportPeople with options; administrators only.
func (a *App) ImportPeopleWith(ctx context.Context, r io.Reader, opts ImportOptions, progress func(done, total int)) (*tandem.ImportReport, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.importPeople(ctx, act.Org.ID, act.Person.ID, r, opts, progress)
}

// ImportPeopleIntoWith is ImportPeopleInto with options, with the
// operator's authority, for the CLI.
func (a *App) ImportPeopleIntoWith(ctx context.Context, orgID int64, r io.Reader, opts ImportOptions, progress func(done, total int)) (*tandem.ImportReport, error) {
	return a.importPeople(ctx, orgID, 0, r, opts, progress)
}

// DeactivationPreview returns a person and the open engagements that
// deactivating them would end, for the confirmation page; administrators
// only.
func (a *App) DeactivationPreview(ctx context.Context, personID int64) (*tandem.Person, []tandem.Engagement, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := a.DB.PersonByID(ctx, act.Org.ID, personID)
	if err != nil {
		return nil, nil, err
	}
	es, err := a.DB.OpenEngagementsOf(ctx, act.Org.ID, personID)
	return p, es, err
}

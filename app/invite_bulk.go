package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// BulkInvite chooses people of the directory to invite at once: those
// with the ids or emails given, and everyone matching Filter (a search, a
// department…), or, with AllUninvited, everyone not yet invited (within
// Filter when both are given).
type BulkInvite struct {
	PersonIDs    []int64
	Emails       []string
	Filter       *sqldb.PeopleFilter
	AllUninvited bool
	// Resend emails again those whose invitation is open (otherwise they
	// are left alone: inviting twice sends once).
	Resend bool
	// DryRun reports what would be done and does nothing.
	DryRun bool
}

// InviteMany invites the people in chosen, each in their directory role,
// in one transaction with their email jobs; administrators only. Someone
// with an account is not invited; someone whose invitation is open is
// emailed again only with Resend.
func (a *App) InviteMany(ctx context.Context, in BulkInvite) (*sqldb.BulkInviteResult, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.inviteMany(ctx, act.Org.ID, act.Person.ID, in)
}

// InviteManyAsOperator is InviteMany for the operator at the command line,
// in the organization orgID; the invitations name no inviter (the email
// says the organization invites).
func (a *App) InviteManyAsOperator(ctx context.Context, orgID int64, in BulkInvite) (*sqldb.BulkInviteResult, error) {
	return a.inviteMany(ctx, orgID, 0, in)
}

func (a *App) inviteMany(ctx context.Context, orgID, inviterID int64, in BulkInvite) (*sqldb.BulkInviteResult, error) {
	sel := sqldb.InviteSelection{PersonIDs: in.PersonIDs, AllUninvited: in.AllUninvited}
	var fe tandem.FieldErrors
	for _, e := range in.Emails {
		e = tandem.NormalizeEmail(e)
		if msg := tandem.CheckEmail(e); msg != "" {
			fe.Add("emails", strings.TrimSpace(e)+": "+msg)
			continue
		}
		sel.Emails = append(sel.Emails, e)
	}
	if in.Filter != nil {
		f := *in.Filter
		f.Query, f.Department, f.Location = strings.TrimSpace(f.Query), strings.TrimSpace(f.Department), strings.TrimSpace(f.Location)
		if f.Department != "" {
			facets, err := a.DB.DirectoryFacets(ctx, orgID)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(facets.Departments, f.Department) {
				fe.Add("department", "No one in the directory is in the department "+f.Department+".")
			}
		}
		sel.Filter = &f
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(sel.PersonIDs) == 0 && len(sel.Emails) == 0 && sel.Filter == nil && !sel.AllUninvited {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose whom to invite.",
			Fields: map[string]string{"selection": "Choose people, a department, or everyone not yet invited."}}
	}
	base := a.requestBase(ctx)
	return a.DB.BulkInvite(ctx, orgID, inviterID, sel, in.Resend, in.DryRun, func(tx *sqldb.Tx, inv *tandem.Invitation, resentAt time.Time) error {
		args := InvitationEmailArgs{InvitationID: inv.ID, OrgID: orgID, BaseURL: base}
		if !resentAt.IsZero() {
			args.ResentAt = resentAt.UnixNano()
		}
		return tx.Enqueue(ctx, args, nil)
	})
}

// Invitees lists a page of the directory with each person's latest
// invitation (who was invited, when, who accepted), optionally of one
// status; administrators only.
func (a *App) Invitees(ctx context.Context, f sqldb.PeopleFilter, status tandem.InviteStatus) ([]tandem.Invitee, int, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, 0, err
	}
	return a.DB.Invitees(ctx, act.Org.ID, f, status)
}

// BulkInviteJSON is the answer of POST /api/v1/invitations/bulk and the
// output of `tandem people invite --json`: person by person what was done
// (or, with dry_run, would be), and the counts. Its fields are stable;
// every list is present, empty rather than null.
type BulkInviteJSON struct {
	DryRun         bool             `json:"dry_run"`
	Invited        []tandem.Invitee `json:"invited"`
	Resent         []tandem.Invitee `json:"resent"`
	AlreadyInvited []tandem.Invitee `json:"already_invited"`
	Members        []tandem.Invitee `json:"members"`
	Unknown        []string         `json:"unknown"`
	Counts         map[string]int   `json:"counts"`
}

// BulkInviteReport is the BulkInviteJSON of a result.
func BulkInviteReport(res *sqldb.BulkInviteResult, dryRun bool) BulkInviteJSON {
	nonNil := func(l []tandem.Invitee) []tandem.Invitee {
		if l == nil {
			return []tandem.Invitee{}
		}
		return l
	}
	out := BulkInviteJSON{DryRun: dryRun, Invited: nonNil(res.Invited), Resent: nonNil(res.Resent),
		AlreadyInvited: nonNil(res.AlreadyInvited), Members: nonNil(res.Members), Unknown: res.Unknown}
	if out.Unknown == nil {
		out.Unknown = []string{}
	}
	out.Counts = map[string]int{"invited": len(out.Invited), "resent": len(out.Resent), "already_invited": len(out.AlreadyInvited),
		"members": len(out.Members), "unknown": len(out.Unknown)}
	return out
}

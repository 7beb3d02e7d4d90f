package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

// inviteeColumns read a person with their latest invitation (by email),
// from people p LEFT JOIN invitations i (see inviteeFrom).
const inviteeColumns = `p.id, p.name, p.email, p.department, p.role, p.guest, p.account_id IS NOT NULL,
	COALESCE(i.id, 0), i.created_at, i.expires_at, i.used_at`

// inviteeFrom joins each person to their latest invitation.
const inviteeFrom = `people p LEFT JOIN invitations i
	ON i.id = (SELECT MAX(li.id) FROM invitations li WHERE li.org_id = p.org_id AND li.email = p.email)`

func scanInvitee(now time.Time) func(rows *sql.Rows, v *tandem.Invitee) error {
	return func(rows *sql.Rows, v *tandem.Invitee) error {
		var member bool
		var invited, expires, used sql.NullTime
		if err := rows.Scan(&v.PersonID, &v.Name, &v.Email, &v.Department, &v.Role, &v.Guest, &member,
			&v.InvitationID, &invited, &expires, &used); err != nil {
			return err
		}
		v.InvitedAt, v.ExpiresAt, v.AcceptedAt = timePtr(invited), timePtr(expires), timePtr(used)
		switch {
		case member:
			v.Status = tandem.InviteMember
		case v.InvitationID == 0 || used.Valid:
			v.Status = tandem.InviteNotInvited
		case !now.Before(expires.Time):
			v.Status = tandem.InviteExpired
		default:
			v.Status = tandem.InvitePending
		}
		return nil
	}
}

// inviteStatusWhere is the condition for people of one status.
func inviteStatusWhere(s tandem.InviteStatus) (string, []any) {
	switch s {
	case tandem.InviteMember:
		return "p.account_id IS NOT NULL", nil
	case tandem.InvitePending:
		return "p.account_id IS NULL AND i.id IS NOT NULL AND i.used_at IS NULL AND i.expires_at > ?", []any{nowArg}
	case tandem.InviteExpired:
		return "p.account_id IS NULL AND i.id IS NOT NULL AND i.used_at IS NULL AND i.expires_at <= ?", []any{nowArg}
	case tandem.InviteNotInvited:
		return "p.account_id IS NULL AND (i.id IS NULL OR i.used_at IS NOT NULL)", nil
	}
	return "", nil
}

// nowArg stands for the transaction's time in a condition's arguments.
type nowPlaceholder struct{}

var nowArg = nowPlaceholder{}

func withNow(args []any, now time.Time) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if _, ok := a.(nowPlaceholder); ok {
			a = now
		}
		out[i] = a
	}
	return out
}

// Invitees returns a page of the directory (filter f) with each person's
// latest invitation, optionally only those of one status, by name, and
// how many match.
func (db *DB) Invitees(ctx context.Context, orgID int64, f PeopleFilter, status tandem.InviteStatus) ([]tandem.Invitee, int, error) {
	var list []tandem.Invitee
	var total int
	err := db.Read(ctx, func(tx *Tx) error {
		cond, args := peopleWhere(orgID, f)
		if c, a := inviteStatusWhere(status); c != "" {
			cond += " AND " + c
			args = append(args, a...)
		}
		args = withNow(args, tx.now)
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+inviteeFrom+` WHERE `+cond, args...).Scan(&total); err != nil {
			return mapError(err)
		}
		if f.Limit <= 0 {
			f.Limit = 50
		}
		f.Limit = min(f.Limit, 500)
		var err error
		list, err = queryAll(ctx, tx.q(), scanInvitee(tx.now), `SELECT `+inviteeColumns+` FROM `+inviteeFrom+` WHERE `+cond+
			` ORDER BY p.name, p.id LIMIT ? OFFSET ?`, append(args, f.Limit, max(f.Offset, 0))...)
		return mapError(err)
	})
	return list, total, err
}

// InviteSelection chooses people of the directory to invite: those with
// the ids, those with the emails, and those that Filter and AllUninvited
// choose together.
type InviteSelection struct {
	PersonIDs []int64
	Emails    []string // normalized
	// Filter, when set, chooses everyone the directory filter matches (its
	// Limit and Offset are ignored).
	Filter *PeopleFilter
	// AllUninvited chooses everyone with no account and no open
	// invitation (within Filter when it is set).
	AllUninvited bool
}

func (s InviteSelection) empty() bool {
	return len(s.PersonIDs) == 0 && len(s.Emails) == 0 && s.Filter == nil && !s.AllUninvited
}

// BulkInviteResult is what a bulk invitation did (or, in a dry run, would
// do), person by person.
type BulkInviteResult struct {
	Invited        []tandem.Invitee // a new invitation, emailed
	Resent         []tandem.Invitee // an open invitation, emailed again (resend)
	AlreadyInvited []tandem.Invitee // an open invitation, not emailed again
	Members        []tandem.Invitee // have an account: not invited
	Unknown        []string         // emails given that no one in the directory has
}

// BulkInvite invites the people sel chooses, in one transaction: someone
// with an account is left out; someone with an open invitation is emailed
// again only with resend (and the invitation then runs for another
// InvitationTTL); anyone else gets a new invitation in their directory
// role. For each invitation to email, send is called in the transaction
// (it inserts the email job), with the time of the resend (zero for a new
// invitation). A dry run changes nothing and reports the same.
func (db *DB) BulkInvite(ctx context.Context, orgID, inviterID int64, sel InviteSelection, resend, dryRun bool,
	send func(tx *Tx, inv *tandem.Invitation, resentAt time.Time) error) (*BulkInviteResult, error) {
	if sel.empty() {
		return nil, tandem.Errorf(tandem.EINVALID, "Choose whom to invite.")
	}
	res := &BulkInviteResult{}
	write := db.Write
	if dryRun {
		write = db.Read
	}
	err := write(ctx, func(tx *Tx) error {
		*res = BulkInviteResult{}
		var or []string
		var args []any
		if len(sel.PersonIDs) > 0 {
			or = append(or, "p.id IN ("+placeholders(len(sel.PersonIDs))+")")
			for _, id := range sel.PersonIDs {
				args = append(args, id)
			}
		}
		if len(sel.Emails) > 0 {
			or = append(or, "p.email IN ("+placeholders(len(sel.Emails))+")")
			for _, e := range sel.Emails {
				args = append(args, e)
			}
		}
		var scope []string
		if sel.Filter != nil {
			c, a := peopleWhere(orgID, *sel.Filter)
			scope = append(scope, "("+c+")")
			args = append(args, a...)
		}
		if sel.AllUninvited {
			c, a := inviteStatusWhere(tandem.InviteNotInvited)
			e, b := inviteStatusWhere(tandem.InviteExpired)
			scope = append(scope, "(("+c+") OR ("+e+"))")
			args = append(args, append(a, b...)...)
		}
		if len(scope) > 0 {
			or = append(or, "("+strings.Join(scope, " AND ")+")")
		}
		args = withNow(append([]any{orgID}, args...), tx.now)
		chosen, err := queryAll(ctx, tx.q(), scanInvitee(tx.now), `SELECT `+inviteeColumns+` FROM `+inviteeFrom+
			` WHERE p.org_id = ? AND (`+strings.Join(or, " OR ")+`) ORDER BY p.name, p.id`, args...)
		if err != nil {
			return mapError(err)
		}
		found := map[string]bool{}
		for _, v := range chosen {
			found[v.Email] = true
		}
		for _, e := range sel.Emails {
			if !found[e] {
				res.Unknown = append(res.Unknown, e)
				found[e] = true
			}
		}
		for _, v := range chosen {
			switch {
			case v.Status == tandem.InviteMember:
				res.Members = append(res.Members, v)
			case v.Status == tandem.InvitePending && !resend:
				res.AlreadyInvited = append(res.AlreadyInvited, v)
			case v.Status == tandem.InvitePending:
				expires := tx.now.Add(tandem.InvitationTTL)
				v.ExpiresAt = &expires
				res.Resent = append(res.Resent, v)
				if dryRun {
					continue
				}
				if _, err := tx.Exec(ctx, `UPDATE invitations SET expires_at = ? WHERE id = ?`, expires, v.InvitationID); err != nil {
					return fmt.Errorf("resend invitation: %w", err)
				}
				inv := &tandem.Invitation{ID: v.InvitationID, OrgID: orgID, Email: v.Email, Name: v.Name, Role: v.Role, Guest: v.Guest, ExpiresAt: expires}
				if err := send(tx, inv, tx.now); err != nil {
					return err
				}
			default:
				if dryRun {
					v.Status = tandem.InvitePending
					res.Invited = append(res.Invited, v)
					continue
				}
				inv := &tandem.Invitation{OrgID: orgID, Email: v.Email, Name: v.Name, Role: v.Role, Guest: v.Guest, InvitedBy: inviterID,
					CreatedAt: tx.now, ExpiresAt: tx.now.Add(tandem.InvitationTTL)}
				inv.ID, err = tx.insert(ctx, `INSERT INTO invitations (org_id, email, name, role, guest, token_hash, invited_by, created_at, expires_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.OrgID, inv.Email, inv.Name, inv.Role, inv.Guest, placeholderHash(),
					sql.NullInt64{Int64: inv.InvitedBy, Valid: inv.InvitedBy != 0}, inv.CreatedAt, inv.ExpiresAt)
				if err != nil {
					return fmt.Errorf("insert invitation: %w", err)
				}
				if err := send(tx, inv, time.Time{}); err != nil {
					return err
				}
				v.Status, v.InvitationID, v.InvitedAt, v.ExpiresAt, v.AcceptedAt = tandem.InvitePending, inv.ID, &inv.CreatedAt, &inv.ExpiresAt, nil
				res.Invited = append(res.Invited, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// placeholderHash is a token hash of a secret no one keeps: the email job
// mints the link that is sent (and stores its hash), so no job and no row
// holds a usable link before then.
func placeholderHash() string {
	b := make([]byte, 32)
	rand.Read(b)
	sum := sha256.Sum256(b)
	return "unsent-" + hex.EncodeToString(sum[:])
}

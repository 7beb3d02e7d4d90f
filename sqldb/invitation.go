package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tandemhq/tandem"
)

// CreateInvitation stores an invitation with its token's hash and calls
// then (when not nil) in the same transaction, with the invitation's id
// set: the email job is inserted there, so an invitation never exists
// without its email. Inviting an address that is already a member with an
// account is ECONFLICT.
func (db *DB) CreateInvitation(ctx context.Context, inv *tandem.Invitation, hash string, then func(tx *Tx) error) error {
	return db.Write(ctx, func(tx *Tx) error {
		p, err := personByEmail(ctx, tx, inv.OrgID, inv.Email)
		if err == nil && p.AccountID != 0 {
			return &tandem.Error{Code: tandem.ECONFLICT, Message: "That person is already a member.",
				Fields: map[string]string{"email": "Someone with this email is already a member."}}
		}
		inv.CreatedAt = tx.now
		inv.ExpiresAt = tx.now.Add(tandem.InvitationTTL)
		inv.ID, err = tx.insert(ctx, `INSERT INTO invitations (org_id, email, name, role, guest, token_hash, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.OrgID, inv.Email, inv.Name, inv.Role, inv.Guest, hash, inv.InvitedBy, inv.CreatedAt, inv.ExpiresAt)
		if err != nil {
			return fmt.Errorf("insert invitation: %w", err)
		}
		if then != nil {
			return then(tx)
		}
		return nil
	})
}

// InvitationLink is what the invitation email says.
type InvitationLink struct {
	Invitation  tandem.Invitation
	OrgName     string
	InviterName string // empty when the inviter has left
}

// MintInvitationLink replaces the invitation's token hash with hash, for a
// link about to be sent: a link made for an earlier attempt that was never
// delivered stops working. An invitation that was used or has expired is
// ENOTFOUND: there is nothing to send.
func (db *DB) MintInvitationLink(ctx context.Context, id int64, hash string) (*InvitationLink, error) {
	var l InvitationLink
	err := db.Write(ctx, func(tx *Tx) error {
		inv := &l.Invitation
		var usedAt sql.NullTime
		err := tx.QueryRow(ctx, `SELECT i.id, i.org_id, i.email, i.name, i.role, i.guest, i.created_at, i.expires_at, i.used_at, o.name, COALESCE(p.name, '')
			FROM invitations i JOIN orgs o ON o.id = i.org_id LEFT JOIN people p ON p.id = i.invited_by WHERE i.id = ?`, id).
			Scan(&inv.ID, &inv.OrgID, &inv.Email, &inv.Name, &inv.Role, &inv.Guest, &inv.CreatedAt, &inv.ExpiresAt, &usedAt, &l.OrgName, &l.InviterName)
		if errors.Is(err, sql.ErrNoRows) {
			return tandem.Errorf(tandem.ENOTFOUND, "Invitation %d does not exist.", id)
		}
		if err != nil {
			return fmt.Errorf("invitation: %w", mapError(err))
		}
		if usedAt.Valid || !tx.now.Before(inv.ExpiresAt) {
			return tandem.Errorf(tandem.ENOTFOUND, "Invitation %d was used or has expired.", id)
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET token_hash = ? WHERE id = ?`, hash, id); err != nil {
			return fmt.Errorf("invitation link: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// ListInvitations lists the organization's invitations, newest first.
func (db *DB) ListInvitations(ctx context.Context, orgID int64) ([]tandem.Invitation, error) {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`SELECT id, org_id, email, name, role, guest, COALESCE(invited_by, 0), created_at, expires_at, used_at
		FROM invitations WHERE org_id = ? ORDER BY created_at DESC, id DESC`), orgID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var invs []tandem.Invitation
	for rows.Next() {
		var inv tandem.Invitation
		var used sql.NullTime
		if err := rows.Scan(&inv.ID, &inv.OrgID, &inv.Email, &inv.Name, &inv.Role, &inv.Guest, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt, &used); err != nil {
			return nil, err
		}
		inv.UsedAt = timePtr(used)
		invs = append(invs, inv)
	}
	return invs, rows.Err()
}

// InvitationByToken returns a usable invitation and the organization's
// name. A used or expired invitation is EINVALID with a message that says
// which; an unknown one ENOTFOUND.
func (db *DB) InvitationByToken(ctx context.Context, hash string) (*tandem.Invitation, *tandem.Org, error) {
	var inv *tandem.Invitation
	var org *tandem.Org
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		inv, org, err = usableInvitation(ctx, tx, hash)
		return err
	})
	return inv, org, err
}

func usableInvitation(ctx context.Context, tx *Tx, hash string) (*tandem.Invitation, *tandem.Org, error) {
	var inv tandem.Invitation
	var org tandem.Org
	var used sql.NullTime
	err := tx.QueryRow(ctx, `SELECT i.id, i.org_id, i.email, i.name, i.role, i.guest, COALESCE(i.invited_by, 0), i.created_at, i.expires_at, i.used_at,
			o.id, o.name, o.slug, o.kind, o.demo, o.created_at
		FROM invitations i JOIN orgs o ON o.id = i.org_id WHERE i.token_hash = ?`, hash).
		Scan(&inv.ID, &inv.OrgID, &inv.Email, &inv.Name, &inv.Role, &inv.Guest, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt, &used,
			&org.ID, &org.Name, &org.Slug, &org.Kind, &org.Demo, &org.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tandem.Errorf(tandem.ENOTFOUND, "This invitation link is not valid. Ask your administrator for a new one.")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("invitation: %w", mapError(err))
	}
	if used.Valid {
		return nil, nil, tandem.Errorf(tandem.EINVALID, "This invitation has already been used. Sign in, or ask your administrator for a new one.")
	}
	if !tx.now.Before(inv.ExpiresAt) {
		return nil, nil, tandem.Errorf(tandem.EINVALID, "This invitation has expired. Ask your administrator for a new one.")
	}
	return &inv, &org, nil
}

// AcceptInvitation uses an invitation once: it marks it used, creates the
// account (or reuses the existing one for the email, keeping its password
// when passwordHash is empty) and the membership, all in one transaction.
func (db *DB) AcceptInvitation(ctx context.Context, hash, name, passwordHash string) (*tandem.Person, error) {
	var p *tandem.Person
	err := db.Write(ctx, func(tx *Tx) error {
		inv, _, err := usableInvitation(ctx, tx, hash)
		if err != nil {
			return err
		}
		// The conditional update makes two concurrent acceptances of one
		// link safe: only one of them changes a row.
		res, err := tx.Exec(ctx, `UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL`, tx.now, inv.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.EINVALID, "This invitation has already been used.")
		}
		if name == "" {
			name = inv.Name
		}
		// A new password is for a new account only: had an account been
		// created for the email since the page was shown, addMember would
		// reuse it, and whoever chose this password would sign in as its
		// owner without knowing the owner's password.
		if passwordHash != "" {
			if _, err := accountByEmail(ctx, tx, inv.Email); err == nil {
				return tandem.Errorf(tandem.ECONFLICT, "An account for %s exists now. Open the invitation again to join with its password.", inv.Email)
			} else if tandem.ErrorCode(err) != tandem.ENOTFOUND {
				return err
			}
		}
		p, err = addMember(ctx, tx, inv.OrgID, NewMember{Email: inv.Email, Name: name, Role: inv.Role, PasswordHash: passwordHash, Guest: inv.Guest})
		return err
	})
	return p, err
}

// CreatePasswordReset stores a reset link's hash for an account.
func (db *DB) CreatePasswordReset(ctx context.Context, accountID int64, hash string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`INSERT INTO password_resets (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
		hash, accountID, db.now(), db.now().Add(tandem.PasswordResetTTL))
	return mapError(err)
}

// CheckPasswordReset reports whether a reset link can still be used.
func (db *DB) CheckPasswordReset(ctx context.Context, hash string) error {
	return db.Read(ctx, func(tx *Tx) error {
		_, err := usableReset(ctx, tx, hash)
		return err
	})
}

// ResetPassword uses a reset link once: it sets the password, ends every
// session of the account, revokes its API tokens and expires its other
// reset links, all in one transaction (setPassword).
func (db *DB) ResetPassword(ctx context.Context, hash, passwordHash string) (accountID int64, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		accountID, err = usableReset(ctx, tx, hash)
		if err != nil {
			return err
		}
		// The account's row first: concurrent resets through two links of
		// one account then queue on it instead of each locking its own link
		// and waiting for the other's (a deadlock on PostgreSQL).
		if _, err := tx.Exec(ctx, `UPDATE accounts SET updated_at = ? WHERE id = ?`, tx.now, accountID); err != nil {
			return err
		}
		// Checked again under the lock: a reset through another link of
		// the account that committed first expired this one.
		res, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, tx.now, hash, tx.now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.EINVALID, "This reset link has already been used or has expired. Ask for a new one.")
		}
		// The reset proves the owner: the sign-in failures that throttled
		// the account (others' guesses, perhaps) no longer hold it back.
		if _, err := tx.Exec(ctx, `DELETE FROM rate_limits WHERE account = (SELECT email FROM accounts WHERE id = ?)`, accountID); err != nil {
			return err
		}
		return setPassword(ctx, tx, accountID, passwordHash, "")
	})
	return accountID, err
}

func usableReset(ctx context.Context, tx *Tx, hash string) (int64, error) {
	var accountID int64
	var expires sql.NullTime
	var used sql.NullTime
	err := tx.QueryRow(ctx, `SELECT account_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`, hash).Scan(&accountID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tandem.Errorf(tandem.ENOTFOUND, "This reset link is not valid. Ask for a new one.")
	}
	if err != nil {
		return 0, fmt.Errorf("password reset: %w", mapError(err))
	}
	if used.Valid {
		return 0, tandem.Errorf(tandem.EINVALID, "This reset link has already been used. Ask for a new one.")
	}
	if !tx.now.Before(expires.Time) {
		return 0, tandem.Errorf(tandem.EINVALID, "This reset link has expired. Ask for a new one.")
	}
	return accountID, nil
}

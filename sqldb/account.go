package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tandemhq/tandem"
)

// NewMember is what is needed to add a person with an account to an
// organization. PasswordHash may be empty when the account already exists.
type NewMember struct {
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Guest        bool
}

// CountOrgs returns how many organizations exist; zero means a fresh
// install whose home page leads to setup.
func (db *DB) CountOrgs(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs").Scan(&n)
	return n, mapError(err)
}

// Setup creates the first organization and its administrator. It returns
// ECONFLICT when any organization exists already, so two people racing
// through the setup page cannot both become administrators.
func (db *DB) Setup(ctx context.Context, org *tandem.Org, admin NewMember) (*tandem.Person, error) {
	var p *tandem.Person
	err := db.Write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM orgs").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return tandem.Errorf(tandem.ECONFLICT, "Tandem is already set up. Sign in instead.")
		}
		var err error
		p, err = createOrgWithAdmin(ctx, tx, org, admin)
		return err
	})
	return p, err
}

// CreateOrgWithAdmin creates an organization and makes admin its
// administrator, reusing the account when the email has one.
func (db *DB) CreateOrgWithAdmin(ctx context.Context, org *tandem.Org, admin NewMember) (*tandem.Person, error) {
	var p *tandem.Person
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		p, err = createOrgWithAdmin(ctx, tx, org, admin)
		return err
	})
	return p, err
}

func createOrgWithAdmin(ctx context.Context, tx *Tx, org *tandem.Org, admin NewMember) (*tandem.Person, error) {
	if err := createOrg(ctx, tx, org); err != nil {
		return nil, err
	}
	admin.Role = tandem.RoleAdmin
	return addMember(ctx, tx, org.ID, admin)
}

func createOrg(ctx context.Context, tx *Tx, org *tandem.Org) error {
	org.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO orgs (name, slug, kind, demo, created_at) VALUES (?, ?, ?, ?, ?)`,
		org.Name, org.Slug, org.Kind, org.Demo, org.CreatedAt)
	if isConflict(err) {
		return &tandem.Error{Code: tandem.ECONFLICT, Message: "An organization with that name exists already.",
			Fields: map[string]string{"org_name": "This name is taken; choose another."}}
	}
	if err != nil {
		return fmt.Errorf("insert org: %w", err)
	}
	org.ID = id
	return nil
}

// AddMember adds a person with an account to an organization (the CLI's
// `user create`). An existing account is reused and keeps its password.
func (db *DB) AddMember(ctx context.Context, orgID int64, m NewMember) (*tandem.Person, error) {
	var p *tandem.Person
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		p, err = addMember(ctx, tx, orgID, m)
		return err
	})
	return p, err
}

// addMember finds or creates the account for m.Email, then links or creates
// the person in the organization.
func addMember(ctx context.Context, tx *Tx, orgID int64, m NewMember) (*tandem.Person, error) {
	acct, err := accountByEmail(ctx, tx, m.Email)
	switch {
	case tandem.ErrorCode(err) == tandem.ENOTFOUND:
		if m.PasswordHash == "" {
			return nil, tandem.Errorf(tandem.EINVALID, "A new account needs a password.")
		}
		acct = &tandem.Account{Email: m.Email, Name: m.Name, PasswordHash: m.PasswordHash, CreatedAt: tx.now}
		acct.ID, err = tx.insert(ctx, `INSERT INTO accounts (email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			acct.Email, acct.Name, acct.PasswordHash, tx.now, tx.now)
		if err != nil {
			return nil, fmt.Errorf("insert account: %w", err)
		}
	case err != nil:
		return nil, err
	}
	p, err := personByEmail(ctx, tx, orgID, m.Email)
	switch {
	case tandem.ErrorCode(err) == tandem.ENOTFOUND:
		p = &tandem.Person{OrgID: orgID, AccountID: acct.ID, Email: m.Email, Name: m.Name, Role: m.Role, Guest: m.Guest, CreatedAt: tx.now}
		p.ID, err = tx.insert(ctx, `INSERT INTO people (org_id, account_id, email, name, role, guest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, acct.ID, m.Email, m.Name, m.Role, m.Guest, tx.now, tx.now)
		if err != nil {
			return nil, fmt.Errorf("insert person: %w", err)
		}
		return p, nil
	case err != nil:
		return nil, err
	}
	if p.AccountID != 0 && p.AccountID != acct.ID {
		return nil, tandem.Errorf(tandem.ECONFLICT, "That person is linked to another account.")
	}
	if _, err := tx.Exec(ctx, `UPDATE people SET account_id = ?, role = ?, updated_at = ? WHERE id = ? AND org_id = ?`,
		acct.ID, m.Role, tx.now, p.ID, orgID); err != nil {
		return nil, fmt.Errorf("link person: %w", err)
	}
	p.AccountID, p.Role = acct.ID, m.Role
	return p, nil
}

// AccountByEmail returns the account with the (normalized) email, or ENOTFOUND.
func (db *DB) AccountByEmail(ctx context.Context, email string) (*tandem.Account, error) {
	var a *tandem.Account
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		a, err = accountByEmail(ctx, tx, email)
		return err
	})
	return a, err
}

// AccountByID returns the account, or ENOTFOUND.
func (db *DB) AccountByID(ctx context.Context, id int64) (*tandem.Account, error) {
	var a tandem.Account
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT id, email, name, password_hash, created_at FROM accounts WHERE id = ?`), id).
		Scan(&a.ID, &a.Email, &a.Name, &a.PasswordHash, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such account.")
	}
	return &a, mapError(err)
}

func accountByEmail(ctx context.Context, tx *Tx, email string) (*tandem.Account, error) {
	var a tandem.Account
	err := tx.QueryRow(ctx, `SELECT id, email, name, password_hash, created_at FROM accounts WHERE email = ?`, email).
		Scan(&a.ID, &a.Email, &a.Name, &a.PasswordHash, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No account with that email.")
	}
	if err != nil {
		return nil, fmt.Errorf("account by email: %w", mapError(err))
	}
	return &a, nil
}

// SetPassword replaces an account's password hash and ends every session of
// the account except keepSession (the one that made the change, if any),
// revokes every API token of the account in every organization, and
// expires every reset link it has not used, so no stolen session, token or
// link survives a password change or reset.
func (db *DB) SetPassword(ctx context.Context, accountID int64, hash, keepSession string) error {
	return db.Write(ctx, func(tx *Tx) error {
		return setPassword(ctx, tx, accountID, hash, keepSession)
	})
}

func setPassword(ctx context.Context, tx *Tx, accountID int64, hash, keepSession string) error {
	res, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.now, accountID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tandem.Errorf(tandem.ENOTFOUND, "No such account.")
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE account_id = ? AND id_hash <> ?`, accountID, keepSession); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	// Tokens belong to the account's people, one per organization.
	if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ?
		WHERE revoked_at IS NULL AND person_id IN (SELECT id FROM people WHERE account_id = ?)`, tx.now, accountID); err != nil {
		return fmt.Errorf("revoke api tokens: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE password_resets SET expires_at = ?
		WHERE account_id = ? AND used_at IS NULL AND expires_at > ?`, tx.now, accountID, tx.now); err != nil {
		return fmt.Errorf("expire reset links: %w", err)
	}
	return nil
}

// Membership is one organization an account belongs to, with the person
// the account is there.
type Membership struct {
	Org    tandem.Org
	Person tandem.Person
}

// Memberships lists the organizations of an account, oldest first.
func (db *DB) Memberships(ctx context.Context, accountID int64) ([]Membership, error) {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`
		SELECT o.id, o.name, o.slug, o.kind, o.demo, o.created_at,
		       p.id, p.org_id, p.account_id, p.email, p.name, p.role, p.created_at
		FROM people p JOIN orgs o ON o.id = p.org_id
		WHERE p.account_id = ? ORDER BY p.created_at, p.id`), accountID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var ms []Membership
	for rows.Next() {
		var m Membership
		var acct sql.NullInt64
		if err := rows.Scan(&m.Org.ID, &m.Org.Name, &m.Org.Slug, &m.Org.Kind, &m.Org.Demo, &m.Org.CreatedAt,
			&m.Person.ID, &m.Person.OrgID, &acct, &m.Person.Email, &m.Person.Name, &m.Person.Role, &m.Person.CreatedAt); err != nil {
			return nil, err
		}
		m.Person.AccountID = acct.Int64
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// OrgBySlug returns the organization with the slug, or ENOTFOUND.
func (db *DB) OrgBySlug(ctx context.Context, slug string) (*tandem.Org, error) {
	var o tandem.Org
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT id, name, slug, kind, demo, created_at FROM orgs WHERE slug = ?`), slug).
		Scan(&o.ID, &o.Name, &o.Slug, &o.Kind, &o.Demo, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No organization %q.", slug)
	}
	return &o, mapError(err)
}

// ListOrgs lists every organization, for the CLI.
func (db *DB) ListOrgs(ctx context.Context) ([]tandem.Org, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, name, slug, kind, demo, created_at FROM orgs ORDER BY id`)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var orgs []tandem.Org
	for rows.Next() {
		var o tandem.Org
		if err := rows.Scan(&o.ID, &o.Name, &o.Slug, &o.Kind, &o.Demo, &o.CreatedAt); err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

// SetOrgBaseURL records the site's URL as a signed-in request in the
// organization saw it. It writes only when the URL changed, and reports
// whether it did.
func (db *DB) SetOrgBaseURL(ctx context.Context, orgID int64, base string) (bool, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE orgs SET base_url = ? WHERE id = ? AND base_url <> ?`, base, orgID, base)
		if err != nil {
			return fmt.Errorf("org base url: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// KnownBaseURL reports whether base is the stored URL of any
// organization.
func (db *DB) KnownBaseURL(ctx context.Context, base string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM orgs WHERE base_url = ?`), base).Scan(&n)
	return n > 0, mapError(err)
}

// OrgBaseURL returns the site's URL last seen by an administrator's
// request in the organization, "" when none was.
func (db *DB) OrgBaseURL(ctx context.Context, orgID int64) (string, error) {
	var base string
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT base_url FROM orgs WHERE id = ?`), orgID).Scan(&base)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return base, mapError(err)
}

package sqldb

import (
	"context"
	"errors"

	"github.com/tandemhq/tandem"
)

// LogMail keeps a copy of a message sent by the development mailer, so an
// administrator can read it in the web UI on any replica. It refuses a
// Secret message: its link is for the recipient alone (the development
// mailer never passes one; this is the second lock).
func (db *DB) LogMail(ctx context.Context, m *tandem.Message) error {
	if m.Secret {
		return errors.New("log mail: a message that carries a secret link is never stored")
	}
	m.CreatedAt = db.now()
	id, err := db.sqlInsert(ctx, `INSERT INTO mail_log (org_id, to_addr, subject, text_body, html_body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		nullID(m.OrgID), m.To, m.Subject, m.Text, m.HTML, m.CreatedAt)
	m.ID = id
	return err
}

// ListMail returns the newest development messages the organization sent
// (an administrator must not read another tenant's mail). Messages that
// carry a secret link (invitations, password resets) are never among them:
// LogMail refuses them, and migration 10 deleted those stored before.
func (db *DB) ListMail(ctx context.Context, orgID int64, limit int) ([]tandem.Message, error) {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`SELECT id, to_addr, subject, text_body, html_body, created_at FROM mail_log
		WHERE org_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`), orgID, limit)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var ms []tandem.Message
	for rows.Next() {
		var m tandem.Message
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.CreatedAt); err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// sqlInsert runs one INSERT … RETURNING id outside a transaction.
func (db *DB) sqlInsert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := db.sql.QueryRowContext(ctx, db.rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, mapError(err)
}

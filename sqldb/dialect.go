package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/tandemhq/tandem"
)

// This file is the one place where SQLite and PostgreSQL differ at run time.
// Queries are written once with ? placeholders and portable SQL.

// rebind rewrites ? placeholders as $1, $2… for PostgreSQL. It skips
// question marks inside quoted strings and identifiers.
func (db *DB) rebind(query string) string {
	if db.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// SQLite extended result codes for constraint failures.
const (
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// mapError translates driver errors into tandem errors: a unique violation
// becomes ECONFLICT, a broken foreign key EINVALID. Other errors pass
// through unchanged (they are internal).
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return &conflictError{err: err}
		case sqliteConstraintForeignKey:
			return &tandem.Error{Code: tandem.EINVALID, Message: "A referenced record does not exist."}
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &conflictError{err: err}
		case "23503":
			return &tandem.Error{Code: tandem.EINVALID, Message: "A referenced record does not exist."}
		}
	}
	return err
}

// conflictError is a unique violation. Stores usually replace it with a
// message that names the field; when one escapes it reads as ECONFLICT.
type conflictError struct{ err error }

func (e *conflictError) Error() string { return "unique violation: " + e.err.Error() }
func (e *conflictError) Unwrap() error {
	return &tandem.Error{Code: tandem.ECONFLICT, Message: "That already exists."}
}

// isConflict reports whether err is a unique violation.
func isConflict(err error) bool {
	var ce *conflictError
	return errors.As(err, &ce)
}

// likeEscape escapes the LIKE wildcards in s so that a search for "50%"
// matches the text literally; queries add ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// notFound turns sql.ErrNoRows into ENOTFOUND with the message.
func notFound(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return tandem.Errorf(tandem.ENOTFOUND, "%s", msg)
	}
	return mapError(err)
}

// fieldNotFound turns sql.ErrNoRows into EINVALID for a field: the input
// names something that does not exist (in this organization).
func fieldNotFound(err error, field, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	return mapError(err)
}

// Rebind rewrites a query written with ? placeholders for the dialect, for
// code outside this package that runs its own SQL (benchmarks, tools).
func (db *DB) Rebind(query string) string { return db.rebind(query) }

// analyze refreshes the planner's statistics for a table after a bulk
// write. Both dialects take the same statement, and PostgreSQL counts the
// transaction's own uncommitted rows.
func analyze(ctx context.Context, tx *Tx, table string) error {
	_, err := tx.Exec(ctx, "ANALYZE "+table)
	return err
}

// column is a column of a bulk insert, with its PostgreSQL type.
type column struct{ name, pgType string }

// insertMany returns an INSERT of n rows into table and its arguments,
// taken row by row from value. SQLite gets a VALUES list. PostgreSQL gets
// one typed array per column, unnested: a handful of parameters instead of
// thousands binds and parses several times faster, which is most of what a
// 100,000-person import spends outside the server's own work.
func (db *DB) insertMany(table string, cols []column, n int, value func(row, col int) any) (string, []any) {
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.name
	}
	head := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") "
	if db.dialect != Postgres {
		args := make([]any, 0, n*len(cols))
		for i := 0; i < n; i++ {
			for j := range cols {
				args = append(args, value(i, j))
			}
		}
		row := "(" + placeholders(len(cols)) + ")"
		return head + "VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), args
	}
	args := make([]any, len(cols))
	casts := make([]string, len(cols))
	for j, c := range cols {
		casts[j] = "?::" + c.pgType + "[]"
		switch c.pgType {
		case "bigint", "integer":
			a := make([]*int64, n)
			for i := range a {
				switch v := value(i, j).(type) {
				case int64:
					a[i] = &v
				case int:
					x := int64(v)
					a[i] = &x
				}
			}
			args[j] = a
		case "float8":
			a := make([]float64, n)
			for i := range a {
				a[i], _ = value(i, j).(float64)
			}
			args[j] = a
		case "boolean":
			a := make([]bool, n)
			for i := range a {
				a[i], _ = value(i, j).(bool)
			}
			args[j] = a
		case "timestamptz":
			a := make([]time.Time, n)
			for i := range a {
				a[i], _ = value(i, j).(time.Time)
			}
			args[j] = a
		default:
			a := make([]string, n)
			for i := range a {
				a[i], _ = value(i, j).(string)
			}
			args[j] = a
		}
	}
	return head + "SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")", args
}

// bulkRows is how many rows one bulk insert of cols columns carries: far
// below SQLite's 32,766 bound parameters, and large batches on PostgreSQL,
// where the arrays make a row cost no parameters.
func (db *DB) bulkRows(cols int) int {
	if db.dialect == Postgres {
		return 5000
	}
	return min(500, 30000/cols)
}

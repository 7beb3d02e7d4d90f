package sqldb

import (
	"context"

	"github.com/tandemhq/tandem"
)

// SetClosureMoves sets closureMoves for a test and returns the restore.
func SetClosureMoves(n int) func() {
	old := closureMoves
	closureMoves = n
	return func() { closureMoves = old }
}

// ProposeEach writes proposals one at a time, as a proposal does, and
// ProposeMany in bulk, as publishing a run does: the test checks they
// write the same rows.
func (db *DB) ProposeEach(ctx context.Context, es []*tandem.Engagement, a tandem.Agreement) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, e := range es {
			ag := a
			if err := insertEngagement(ctx, tx, e, &ag, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// ProposeMany is proposeMany in a transaction of its own.
func (db *DB) ProposeMany(ctx context.Context, es []*tandem.Engagement, a tandem.Agreement) error {
	return db.Write(ctx, func(tx *Tx) error { return proposeMany(ctx, tx, es, a) })
}

package sqldb_test

import (
	"context"
	"sync"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestConcurrentResetLinks: an account's reset links used at the same time
// set the password once; the first reset expires the others even while
// they are being used.
func TestConcurrentResetLinks(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	ctx := context.Background()
	acme := tandemtest.MustOrg(t, db, "Acme")
	p, err := db.AddMember(ctx, tandem.ActorFrom(acme).Org.ID, sqldb.NewMember{Email: "ada@acme.test", Name: "Ada", Role: tandem.RoleMember, PasswordHash: "old"})
	if err != nil {
		t.Fatal(err)
	}
	hashes := []string{"link-1", "link-2", "link-3", "link-4"}
	for _, h := range hashes {
		if err := db.CreatePasswordReset(ctx, p.AccountID, h); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(hashes))
	for i, h := range hashes {
		wg.Go(func() { _, errs[i] = db.ResetPassword(ctx, h, "new-"+h) })
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case tandem.ErrorCode(err) != tandem.EINVALID:
			t.Errorf("reset through %s: %v", hashes[i], err)
		}
	}
	if ok != 1 {
		t.Errorf("%d resets succeeded, want 1: %v", ok, errs)
	}
	for _, h := range hashes {
		if err := db.CheckPasswordReset(ctx, h); err == nil {
			t.Errorf("%s is still usable", h)
		}
	}
}

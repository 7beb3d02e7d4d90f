package sqldb_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestReserveConcurrent: of 40 attempts reserved at once, exactly the
// limit are let through; the window resets; Refund gives an attempt back.
func TestReserveConcurrent(t *testing.T) {
	db, clock := tandemtest.MustOpenDB(t)
	ctx := context.Background()
	l := sqldb.Limit{Bucket: "test:one", Account: "ada@acme.test", Max: 5, Window: 15 * time.Minute}
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := db.Reserve(ctx, l)
			if err != nil {
				t.Error(err)
				return
			}
			if res.OK {
				ok.Add(1)
			} else if res.RetryAfter <= 0 || res.RetryAfter > l.Window {
				t.Errorf("retry after %v", res.RetryAfter)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != int64(l.Max) {
		t.Fatalf("%d of 40 concurrent attempts passed a limit of %d", ok.Load(), l.Max)
	}
	clock.Add(l.Window)
	res, err := db.Reserve(ctx, l)
	if err != nil || !res.OK {
		t.Fatalf("after the window: %+v %v", res, err)
	}
	for i := 1; i < l.Max; i++ {
		db.Reserve(ctx, l)
	}
	if res, _ := db.Reserve(ctx, l); res.OK {
		t.Fatal("over the limit in the new window")
	}
	// Two refunds: the refused attempt and one more, so one fits again.
	db.Refund(ctx, l.Bucket, l.Bucket)
	if res, _ := db.Reserve(ctx, l); !res.OK {
		t.Error("a refunded attempt was not given back")
	}
	if err := db.ClearAccountLimits(ctx, "ada@acme.test"); err != nil {
		t.Fatal(err)
	}
	if res, _ := db.Reserve(ctx, l); !res.OK {
		t.Error("the account's limits were not cleared")
	}
}

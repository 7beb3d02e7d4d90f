package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestSignInLimitHoldsUnderConcurrency (issue 11, item 9): 40 wrong
// guesses for one account at once, from one address, check at most the
// limit of them against the password; on both databases.
func TestSignInLimitHoldsUnderConcurrency(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	a := app.New(db, &tandemtest.Mailbox{}, testLog(), "http://tandem.test")
	// Real hashing cost, so the guesses overlap while passwords are
	// checked, as in production.
	a.Password = app.DefaultPasswordParams
	a.HashWait = time.Minute // every guess gets a slot in the end: only the limit refuses
	if _, err := a.Setup(context.Background(), app.SetupInput{OrgName: "Acme", Name: "Ada", Email: "ada@acme.test", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	before := a.HashCount()
	const guesses = 40
	codes := make(chan string, guesses)
	var wg sync.WaitGroup
	for i := 0; i < guesses; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.SignIn(context.Background(), "ada@acme.test", "a wrong guess!", "192.0.2.7")
			codes <- tandem.ErrorCode(err)
		}()
	}
	wg.Wait()
	close(codes)
	count := map[string]int{}
	for c := range codes {
		count[c]++
	}
	if checked := a.HashCount() - before; checked > tandem.SignInMaxPerPair {
		t.Errorf("%d of %d concurrent guesses were checked against the password, want at most %d", checked, guesses, tandem.SignInMaxPerPair)
	}
	if count[tandem.EUNAUTHORIZED] > tandem.SignInMaxPerPair || count[tandem.EUNAUTHORIZED]+count[tandem.ETOOMANY] != guesses {
		t.Errorf("answers %v", count)
	}
}

// TestPasswordResetClearsSignInLimits: a reset proves the owner, who can
// sign in at once even after the account's backstop limit was reached
// from many addresses.
func TestPasswordResetClearsSignInLimits(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	mb := &tandemtest.Mailbox{}
	a := app.New(db, mb, testLog(), "http://tandem.test")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	ctx := context.Background()
	if _, err := a.Setup(ctx, app.SetupInput{OrgName: "Acme", Name: "Ada", Email: "ada@acme.test", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < tandem.SignInMaxPerAccount; i++ {
		a.SignIn(ctx, "ada@acme.test", "a wrong guess!", fmt.Sprintf("198.51.100.%d", i+1))
	}
	if _, err := a.SignIn(ctx, "ada@acme.test", "correct horse battery", "203.0.113.1"); tandem.ErrorCode(err) != tandem.ETOOMANY {
		t.Fatalf("after %d failures from many addresses: %v, want the backstop limit", tandem.SignInMaxPerAccount, err)
	}
	if err := a.RequestPasswordReset(ctx, "ada@acme.test", "203.0.113.1"); err != nil {
		t.Fatal(err)
	}
	drain(t, a)
	link := mb.MustLastLink(t, "ada@acme.test")
	if _, err := a.ResetPassword(ctx, strings.TrimPrefix(link, "http://tandem.test/reset/"), "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignIn(ctx, "ada@acme.test", "a brand new password", "203.0.113.1"); err != nil {
		t.Fatalf("sign-in after a reset: %v", err)
	}
}

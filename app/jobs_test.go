package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
)

// drain works the jobs the App has queued (the emails of /forgot), as a
// server's job runner would, before a test looks at the mail.
func drain(t testing.TB, a *app.App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := jobs.Drain(ctx, a, testLog()); err != nil {
		t.Fatalf("work the queued jobs: %v", err)
	}
}

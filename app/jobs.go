package app

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Jobs that use cases enqueue; package jobs works them. A job carries ids
// and addresses, never a secret: a one-time link is minted by the worker
// when it sends, so the queue's table holds nothing that signs anyone in.

// PasswordResetArgs asks for a reset link to be emailed to an address if it
// has an account (App.SendPasswordReset).
type PasswordResetArgs struct {
	Email string `json:"email"`
	// BaseURL is the site's URL as the request for the reset saw it (see
	// linkBase).
	BaseURL string `json:"base_url,omitempty"`
}

// Kind names the job in the queue.
func (PasswordResetArgs) Kind() string { return "password_reset_email" }

// InsertOpts: a reset link is useful for minutes, so a mail server that is
// down for long gets a few tries, not River's default of 25 over weeks.
func (PasswordResetArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// The queue page: administrators see their organization's jobs (River's
// table is the installation's; each job names its organization in its
// metadata, see sqldb.OrgJob) and retry those that failed for good. A job
// with no organization (maintenance, password resets) is the operator's,
// who reads every job from the command line. Only what the administrator
// may see is shown: kind, state, attempts, errors and times, never a
// job's arguments.

// Job is a job as the queue page and the API show it.
type Job struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	State       string     `json:"state"`
	Attempt     int        `json:"attempt"`
	MaxAttempts int        `json:"max_attempts"`
	OrgID       int64      `json:"org_id,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	FinalizedAt *time.Time `json:"finalized_at,omitempty"`
	Errors      []JobError `json:"errors"`
	// Retryable says whether an administrator may retry it now.
	Retryable bool `json:"retryable"`
}

// JobError is one failed attempt.
type JobError struct {
	At      time.Time `json:"at"`
	Attempt int       `json:"attempt"`
	Error   string    `json:"error"`
}

// JobQueue is the queue's state: counts by state and the latest jobs.
type JobQueue struct {
	Counts map[string]int `json:"counts"`
	Jobs   []Job          `json:"jobs"`
	// State is the filter applied ("" for all).
	State string `json:"state,omitempty"`
}

// JobStates are River's job states, in the order the queue page shows
// them, and "failed": retrying, discarded or cancelled.
var JobStates = []string{"available", "scheduled", "pending", "running", "retryable", "completed", "discarded", "cancelled"}

// jobStates turns the state filter into River's states.
func jobStates(state string) ([]rivertype.JobState, error) {
	switch state = strings.TrimSpace(state); state {
	case "":
		return nil, nil
	case "failed":
		return []rivertype.JobState{rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateCancelled}, nil
	}
	for _, s := range JobStates {
		if s == state {
			return []rivertype.JobState{rivertype.JobState(s)}, nil
		}
	}
	return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a job state.",
		Fields: map[string]string{"state": "Choose one of " + strings.Join(JobStates, ", ") + ", or failed."}}
}

// jobsLimit is how many of the latest jobs the queue page lists.
const jobsLimit = 100

// Jobs returns the organization's queue, filtered by state;
// administrators only.
func (a *App) Jobs(ctx context.Context, state string) (*JobQueue, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.jobQueue(ctx, act.Org.ID, state, jobsLimit)
}

// RetryJob makes a discarded or cancelled job of the organization run
// again; administrators only. Another organization's job, or one with no
// organization, is not found.
func (a *App) RetryJob(ctx context.Context, id int64) (*Job, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	j, err := a.DB.RetryJob(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	a.Log.InfoContext(ctx, "job retried", "job", id, "kind", j.Kind, "by", act.Person.ID, "request_id", tandem.RequestIDFrom(ctx))
	v := jobView(j)
	return &v, nil
}

// AllJobs returns every organization's jobs and the operator's own, with
// the operator's authority, for the CLI.
func (a *App) AllJobs(ctx context.Context, state string, limit int) (*JobQueue, error) {
	return a.jobQueue(ctx, 0, state, limit)
}

// RetryAnyJob retries any discarded or cancelled job, with the operator's
// authority, for the CLI.
func (a *App) RetryAnyJob(ctx context.Context, id int64) (*Job, error) {
	j, err := a.DB.RetryJob(ctx, 0, id)
	if err != nil {
		return nil, err
	}
	v := jobView(j)
	return &v, nil
}

func (a *App) jobQueue(ctx context.Context, orgID int64, state string, limit int) (*JobQueue, error) {
	states, err := jobStates(state)
	if err != nil {
		return nil, err
	}
	counts, err := a.DB.JobCounts(ctx, orgID)
	if err != nil {
		return nil, err
	}
	rows, err := a.DB.OrgJobs(ctx, sqldb.JobFilter{OrgID: orgID, States: states, Limit: limit})
	if err != nil {
		return nil, err
	}
	q := &JobQueue{Counts: map[string]int{}, Jobs: make([]Job, 0, len(rows)), State: strings.TrimSpace(state)}
	for _, s := range JobStates {
		q.Counts[s] = counts[rivertype.JobState(s)]
	}
	for _, r := range rows {
		q.Jobs = append(q.Jobs, jobView(r))
	}
	return q, nil
}

// jobView keeps what an administrator may see of a job: never its
// arguments, which can hold a recipient's data.
func jobView(r *rivertype.JobRow) Job {
	j := Job{ID: r.ID, Kind: r.Kind, State: string(r.State), Attempt: r.Attempt, MaxAttempts: r.MaxAttempts,
		CreatedAt: r.CreatedAt.UTC(), ScheduledAt: r.ScheduledAt.UTC(), Errors: []JobError{},
		Retryable: r.State == rivertype.JobStateDiscarded || r.State == rivertype.JobStateCancelled}
	if r.FinalizedAt != nil {
		t := r.FinalizedAt.UTC()
		j.FinalizedAt = &t
	}
	var meta struct {
		OrgID int64 `json:"org_id"`
	}
	if json.Unmarshal(r.Metadata, &meta) == nil {
		j.OrgID = meta.OrgID
	}
	for _, e := range r.Errors {
		j.Errors = append(j.Errors, JobError{At: e.At.UTC(), Attempt: e.Attempt, Error: e.Error})
	}
	sort.Slice(j.Errors, func(x, y int) bool { return j.Errors[x].At.After(j.Errors[y].At) }) // newest first
	return j
}

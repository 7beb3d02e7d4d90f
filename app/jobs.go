package app

import "github.com/riverqueue/river"

// Jobs that use cases enqueue; package jobs works them. A job carries ids
// and addresses, never a secret: a one-time link is minted by the worker
// when it sends, so the queue's table holds nothing that signs anyone in.

// PasswordResetArgs asks for a reset link to be emailed to an address if it
// has an account (App.SendPasswordReset).
type PasswordResetArgs struct {
	Email string `json:"email"`
}

// Kind names the job in the queue.
func (PasswordResetArgs) Kind() string { return "password_reset_email" }

// InsertOpts: a reset link is useful for minutes, so a mail server that is
// down for long gets a few tries, not River's default of 25 over weeks.
func (PasswordResetArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

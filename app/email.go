package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Every email Tandem sends is a River job inserted in the transaction of
// the change that causes it (sqldb.Tx.Enqueue); the jobs package works
// them through the functions below, and retries a temporary failure with
// River's backoff. A job carries ids and data, never a secret: mail with a
// one-time link has a job kind of its own whose worker mints the link when
// it sends (InvitationEmailArgs). Mail with no secret uses EmailArgs.

// emailMaxAttempts bounds the retries of one email: with River's backoff
// (attempt⁴ seconds) the last of 12 attempts comes about 17 hours after
// the first, long enough for a mail server's outage.
const emailMaxAttempts = 12

// EmailArgs is the job for an email with no secret: a template from
// mail/templates, its data, the recipient, and the organization on whose
// behalf it is sent (0 for mail about an account). Data is stored in the
// queue: it must hold nothing the recipient's organization's
// administrators may not read, and no one-time link.
type EmailArgs struct {
	OrgID    int64             `json:"org_id"`
	To       string            `json:"to"`
	Template string            `json:"template"`
	Data     map[string]string `json:"data"`
	// Key, when set, makes the job unique: a second job with the same key
	// is not inserted (River's unique jobs), for mail that must go out once
	// per event.
	Key string `json:"key,omitempty" river:"unique"`
	// BaseURL is the site's URL as the request that caused the email saw
	// it, for the Message-ID's domain (see linkBase).
	BaseURL string `json:"base_url,omitempty"`
}

// Kind names the job in the queue.
func (EmailArgs) Kind() string { return "email" }

// JobOrgID files the job under its organization (sqldb.OrgJob).
func (a EmailArgs) JobOrgID() int64 { return a.OrgID }

// InsertOpts retries an email for about a day.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: emailMaxAttempts}
}

// EnqueueEmail inserts an email job in tx. With args.Key set, an email
// with the same key that is waiting, running or sent keeps this one out.
func EnqueueEmail(ctx context.Context, tx *sqldb.Tx, args EmailArgs) error {
	if args.To == "" {
		return tandem.Errorf(tandem.EINVALID, "The email has no recipient.")
	}
	if args.BaseURL == "" {
		args.BaseURL = signedInBase(ctx)
	}
	var opts *river.InsertOpts
	if args.Key != "" {
		opts = &river.InsertOpts{MaxAttempts: emailMaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
	}
	return tx.Enqueue(ctx, args, opts)
}

// SendEmail renders and sends an EmailArgs job's message, with the
// Message-ID the job gives it (the same on every attempt).
// A data value named Link (or ending in Link) that is a path on this site
// is made absolute (see linkBase).
func (a *App) SendEmail(ctx context.Context, args EmailArgs, messageID string) error {
	data := make(map[string]string, len(args.Data))
	for k, v := range args.Data {
		if strings.HasSuffix(k, "Link") && strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") {
			v = a.linkBase(ctx, args.OrgID) + v
		}
		data[k] = v
	}
	return a.send(ctx, tandem.Message{To: args.To, OrgID: args.OrgID, MessageID: messageID}, args.Template, data)
}

// InvitationEmailArgs is the job that sends an invitation. It carries the
// invitation's id only: the worker mints the one-time link as it sends.
type InvitationEmailArgs struct {
	InvitationID int64 `json:"invitation_id" river:"unique"`
	OrgID        int64 `json:"org_id"`
	// BaseURL is the site's URL as the request that caused the
	// invitation saw it (see linkBase); empty from the command line.
	BaseURL string `json:"base_url,omitempty"`
	// ResentAt (Unix nanoseconds) is set on an explicit resend: the job is
	// unique by invitation and resend, so inviting twice sends once and a
	// resend sends again.
	ResentAt int64 `json:"resent_at,omitempty" river:"unique"`
}

// Kind names the job in the queue.
func (InvitationEmailArgs) Kind() string { return "invitation_email" }

// JobOrgID files the job under the invitation's organization.
func (a InvitationEmailArgs) JobOrgID() int64 { return a.OrgID }

// InsertOpts: one job per invitation, retried for about a day.
func (InvitationEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: emailMaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// SendInvitationEmail mints a new one-time link for the invitation (its
// hash replaces the one stored, so a link made by an earlier attempt that
// failed stops working) and sends it. An invitation used or expired
// meanwhile is not sent, and that is not an error.
func (a *App) SendInvitationEmail(ctx context.Context, args InvitationEmailArgs, messageID string) error {
	secret, hash := newSecret("")
	l, err := a.DB.MintInvitationLink(ctx, args.InvitationID, hash)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		a.Log.InfoContext(ctx, "invitation not sent", "invitation", args.InvitationID, "reason", tandem.ErrorMessage(err))
		return nil
	}
	if err != nil {
		return err
	}
	inv := l.Invitation
	inviter := l.InviterName
	if inviter == "" {
		inviter = l.OrgName
	}
	// The link is a one-time credential for joining the organization: the
	// invitation's, not the inviter's mail to read.
	return a.send(ctx, tandem.Message{To: inv.Email, OrgID: inv.OrgID, Secret: true, MessageID: messageID}, "invitation", map[string]string{
		"Name": inv.Name, "InviterName": inviter, "OrgName": l.OrgName,
		"Link": a.linkBase(ctx, inv.OrgID) + "/invitations/" + secret, "Expires": inv.ExpiresAt.Format("2 January 2006"),
	})
}

// MessageID returns the local part of the Message-ID of the email a job
// sends: the same on every attempt of the job, and distinct across
// installations by the job's creation time; send adds the site's host as
// its domain.
func (a *App) MessageID(jobID int64, created int64) string {
	return fmt.Sprintf("job-%d.%d", jobID, created)
}

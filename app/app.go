// Package app holds Tandem's use cases: who may do what (authorization
// lives here, never in SQL or templates), the transactions that span
// stores, and the calls to mail and match. Web handlers and CLI commands
// call it; it calls sqldb.
package app

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
)

// App carries the dependencies of every use case.
type App struct {
	DB       *sqldb.DB
	Mailer   tandem.Mailer
	Log      *slog.Logger
	Password PasswordParams
	// BaseURL is the site's public URL without a trailing slash, used in
	// links sent by email; empty when not configured (see linkBase).
	BaseURL string
	// PublicOrgSlug names the organization whose Coach Notes the short
	// addresses /notes, /notes/{slug} and /notes/feed.atom lead to (serve
	// --public-org); empty means the installation's only organization, if
	// it has one.
	PublicOrgSlug string
	// ListenURL is the URL of the address the server listens on, the last
	// resort for links in email (see linkBase).
	ListenURL string
	// seenBase is the base URL this process last recorded per
	// organization (NoteBaseURL), so requests do not write it again.
	seenBase *sync.Map
	// dummy is a hash of no one's password, made with Password on first
	// use (not at start-up): see SignIn.
	dummy *lazyHash

	// HashSlots bounds how many argon2 hashes run at once: each takes
	// Password.Memory (19 MiB by default), so unbounded parallel sign-ins
	// could exhaust memory. New sizes it to GOMAXPROCS, as hashing is
	// CPU-bound and more at once would not finish sooner. A hash waits up
	// to HashWait for a slot, then the request is refused with ETOOMANY.
	// nil means no bound.
	HashSlots chan struct{}
	HashWait  time.Duration
	// hashes counts argon2 computations (hashes and checks); see HashCount.
	hashes *atomic.Int64
}

// lazyHash computes a password hash once, when first needed.
type lazyHash struct {
	once sync.Once
	hash string
}

// New returns an App with default password parameters.
func New(db *sqldb.DB, mailer tandem.Mailer, log *slog.Logger, baseURL string) *App {
	return &App{DB: db, Mailer: mailer, Log: log, Password: DefaultPasswordParams, BaseURL: baseURL, dummy: &lazyHash{},
		HashSlots: make(chan struct{}, runtime.GOMAXPROCS(0)), HashWait: 2 * time.Second, hashes: new(atomic.Int64), seenBase: new(sync.Map)}
}

// HashCount returns how many password hashes and checks the App has run,
// so tests can see that a refused attempt never reached the password.
func (a *App) HashCount() int64 {
	if a.hashes == nil {
		return 0
	}
	return a.hashes.Load()
}

// actor returns the signed-in actor or EUNAUTHORIZED.
func actor(ctx context.Context) (*tandem.Actor, error) {
	a := tandem.ActorFrom(ctx)
	if a == nil || a.Person == nil {
		return nil, tandem.Errorf(tandem.EUNAUTHORIZED, "Please sign in.")
	}
	return a, nil
}

// member returns the actor unless they are a guest: guests (external
// coaches) see only the engagements they are a party to, not the
// organization's directory or catalogue.
func member(ctx context.Context) (*tandem.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Person.Guest {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "As a guest of %s you see the engagements you are part of.", a.Org.Name)
	}
	return a, nil
}

// admin returns the actor when they administer their organization, or
// EFORBIDDEN.
func admin(ctx context.Context) (*tandem.Actor, error) {
	a, err := member(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Person.IsAdmin() {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only administrators of %s can do this.", a.Org.Name)
	}
	return a, nil
}

// send renders an email template and sends it to env.To (with
// env.MessageID when a job states it), on behalf of
// env.OrgID (0 for mail about an account), marked env.Secret when it
// carries a one-time link. The caller states both from the use case: the
// organization is never taken from whoever is signed in, who may be an
// administrator of another organization asking for someone else's reset.
// A failure is logged and returned: the caller decides whether the use
// case still succeeded.
func (a *App) send(ctx context.Context, env tandem.Message, template string, data any) error {
	m, err := mail.Render(template, data)
	if err != nil {
		return err
	}
	m.To, m.OrgID, m.Secret, m.Attachments, m.MessageID = env.To, env.OrgID, env.Secret, env.Attachments, env.MessageID
	if m.MessageID == "" {
		m.MessageID, _ = newSecret("")
		m.MessageID = "m-" + m.MessageID[:24]
	}
	if !strings.Contains(m.MessageID, "@") {
		m.MessageID += "@" + messageHost(a.linkBase(ctx, env.OrgID))
	}
	if err := a.Mailer.Send(ctx, m); err != nil {
		a.Log.ErrorContext(ctx, "send mail", "template", template, "err", err, "request_id", tandem.RequestIDFrom(ctx))
		return err
	}
	return nil
}

package tandem

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only a hash of its secret is stored.
type Session struct {
	IDHash     string
	AccountID  int64
	OrgID      int64 // the organization the session is acting in
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Session lifetimes: a session ends after SessionIdle without use, and in
// any case SessionAbsolute after sign-in.
const (
	SessionIdle     = 7 * 24 * time.Hour
	SessionAbsolute = 30 * 24 * time.Hour
)

// Invitation lets someone join an organization once, before it expires.
type Invitation struct {
	ID        int64
	OrgID     int64
	Email     string
	Name      string
	Role      string
	Guest     bool // invited as a guest, such as an external coach
	InvitedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// InviteStatus is where a person of the directory stands with joining.
type InviteStatus string

const (
	InviteMember     InviteStatus = "member"      // has an account: not invited again
	InvitePending    InviteStatus = "invited"     // an invitation is open
	InviteExpired    InviteStatus = "expired"     // invited, the link expired unused
	InviteNotInvited InviteStatus = "not_invited" // never invited
)

// Invitee is a person of the directory with their latest invitation.
type Invitee struct {
	PersonID     int64        `json:"person_id"`
	Name         string       `json:"name"`
	Email        string       `json:"email"`
	Department   string       `json:"department"`
	Role         string       `json:"role"`
	Guest        bool         `json:"guest"`
	Status       InviteStatus `json:"status"`
	InvitationID int64        `json:"invitation_id,omitempty"`
	InvitedAt    *time.Time   `json:"invited_at,omitempty"`
	ExpiresAt    *time.Time   `json:"expires_at,omitempty"`
	AcceptedAt   *time.Time   `json:"accepted_at,omitempty"`
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// PasswordResetTTL is how long a password reset link works.
const PasswordResetTTL = time.Hour

// APIToken is a personal API key. The secret is shown once at creation;
// only its SHA-256 is stored.
type APIToken struct {
	ID         int64
	OrgID      int64
	PersonID   int64
	Name       string
	Prefix     string // the first characters of the secret, to tell keys apart
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Sign-in rate limits. Failures are counted per (email, client address)
// pair, so one address guessing at an account is slowed without locking
// the owner out from elsewhere; per address across emails, with a cap high
// enough for an office behind one NAT (100 failures in 15 minutes is far
// above the typos of hundreds of people, while a password sprayer from one
// address is still held to 5 guesses per account); and per email across
// addresses, a backstop against guessing spread over many addresses, which
// the owner passes by resetting the password. The same limits hold for an
// invitation accepted with an existing account's password.
const (
	SignInWindow        = 15 * time.Minute
	SignInMaxPerPair    = 5
	SignInMaxPerAddress = 100
	SignInAccountWindow = time.Hour
	SignInMaxPerAccount = 50
)

// Password reset requests: per recipient (so the form cannot be used to
// flood a mailbox) and per requesting address, within PasswordResetWindow.
const (
	PasswordResetWindow          = time.Hour
	PasswordResetMaxPerRecipient = 5
	PasswordResetMaxPerAddress   = 20
)

// Actor is who is making a request: the account, and the person it is in
// the organization the request acts in.
type Actor struct {
	Account *Account
	Person  *Person
	Org     *Org
	// SessionIDHash is set when the actor came from a browser session.
	SessionIDHash string
	// TokenID is set when the actor came from an API token.
	TokenID int64
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the context, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

type requestIDKey struct{}

// WithRequestID returns a context carrying the request id used in logs.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id of the context, or "".
func RequestIDFrom(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}

type baseURLKey struct{}

// WithBaseURL returns a context carrying the site's public URL as the
// request that caused some work saw it (scheme and host, no trailing
// slash). Jobs carry it in their arguments, so links in the email they
// send are absolute even when no base URL is configured.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, base)
}

// BaseURLFrom returns the base URL of the context, or "".
func BaseURLFrom(ctx context.Context) string {
	s, _ := ctx.Value(baseURLKey{}).(string)
	return s
}

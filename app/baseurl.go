package app

import (
	"context"
	"net/url"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/mail"
)

// Links in email are absolute. Their base is, in order:
//
//  1. the configured base URL (App.BaseURL, --base-url);
//  2. the base URL of the request that caused the email, which the web
//     server puts in the context (tandem.WithBaseURL) and the email's job
//     carries in its arguments (the worker puts it back in the context);
//  3. for email no request causes (reminders, daily summaries, digests),
//     the base URL last seen by an administrator's request in the
//     organization, stored in orgs.base_url;
//  4. the address the server listens on (App.ListenURL).
//
// The Host header is the client's to choose. A signed-in person's request
// may set the links of the email it causes (they go to people of that
// person's organization, who could be sent any link by them anyway), and
// only an administrator's request is stored for the organization. An
// anonymous request (a password reset, a Coach Notes subscription) may not
// choose: its base is used only when the site is already known by it
// (stored for an organization, or the listen address), else the email
// falls back as above. Otherwise anyone could ask for a reset link to a
// victim's address pointing at their own host, and read the token when
// the victim clicks.

// NoteBaseURL records the base URL an administrator's request in the
// organization was made to, for the email that no request causes. It writes to the
// database only when the URL differs from the one this process last
// recorded for the organization. With a base URL configured it does
// nothing.
func (a *App) NoteBaseURL(ctx context.Context, orgID int64, base string) {
	if a.BaseURL != "" || orgID == 0 || !absoluteBase(base) || a.seenBase == nil {
		return
	}
	if seen, ok := a.seenBase.Load(orgID); ok && seen.(string) == base {
		return
	}
	if _, err := a.DB.SetOrgBaseURL(ctx, orgID, base); err != nil {
		a.Log.WarnContext(ctx, "record base url", "org", orgID, "err", err)
		return
	}
	a.seenBase.Store(orgID, base)
}

// linkBase returns the base of the links in an email sent on behalf of
// orgID (0 for mail about an account), in the order above.
func (a *App) linkBase(ctx context.Context, orgID int64) string {
	if a.BaseURL != "" {
		return strings.TrimRight(a.BaseURL, "/")
	}
	if b := tandem.BaseURLFrom(ctx); absoluteBase(b) {
		return b
	}
	if orgID != 0 {
		b, err := a.DB.OrgBaseURL(ctx, orgID)
		if err != nil {
			a.Log.WarnContext(ctx, "read base url", "org", orgID, "err", err)
		}
		if absoluteBase(b) {
			return b
		}
	}
	if absoluteBase(a.ListenURL) {
		return strings.TrimRight(a.ListenURL, "/")
	}
	return "http://" + mail.Hostname()
}

// requestBase is the base URL to carry in a job inserted now: the
// request's, if a signed-in person made it or the site is known by it
// (see above); "" otherwise (the configured one wins when the job runs
// anyway).
func (a *App) requestBase(ctx context.Context) string {
	if b := signedInBase(ctx); b != "" {
		return b
	}
	b := tandem.BaseURLFrom(ctx)
	if a.BaseURL != "" || !absoluteBase(b) {
		return ""
	}
	if b == strings.TrimRight(a.ListenURL, "/") {
		return b
	}
	known, err := a.DB.KnownBaseURL(ctx, b)
	if err != nil {
		a.Log.WarnContext(ctx, "look up base url", "base", b, "err", err)
	}
	if known {
		return b
	}
	return ""
}

// signedInBase is the request's base URL when a signed-in person made
// the request, else "".
func signedInBase(ctx context.Context) string {
	if b := tandem.BaseURLFrom(ctx); tandem.ActorFrom(ctx) != nil && absoluteBase(b) {
		return b
	}
	return ""
}

// absoluteBase reports whether s is an http or https URL with a host and
// nothing after it but a path.
func absoluteBase(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		u.RawQuery == "" && u.Fragment == ""
}

// messageHost is the domain of a Message-ID: the host of the links' base,
// else the machine's name.
func messageHost(base string) string {
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" && !strings.ContainsAny(u.Hostname(), "[]:") {
		return u.Hostname()
	}
	return mail.Hostname()
}

package app

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// retryError is an ETOOMANY error with how long to wait, which the web
// layer sends as Retry-After.
type retryError struct {
	err   *tandem.Error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

func retryAfter(err *tandem.Error, after time.Duration) error {
	return &retryError{err: err, after: after}
}

// RetryAfter returns how long a refused (ETOOMANY) request should wait
// before trying again, or 0 when err does not say.
func RetryAfter(err error) time.Duration {
	var re *retryError
	if errors.As(err, &re) {
		return re.after
	}
	return 0
}

// addressKey is the client address as rate limits count it: an IPv6
// address by its /64, since one subscriber usually holds a whole /64 and
// could otherwise take a fresh address per attempt. Anything that is not
// an IP address is used as it is.
func addressKey(address string) string {
	ip, err := netip.ParseAddr(address)
	if err != nil {
		return address
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.WithZone("").Prefix(64)
	return p.String()
}

// signInLimits are the buckets one sign-in attempt is counted in: the
// (email, address) pair, the email across addresses, the address across
// emails. The order matters to Reserve, which stops at the first bucket
// over its limit: an address hammering one account is refused by the pair
// before it uses up the address's or the account's allowance.
func signInLimits(email, address string) []sqldb.Limit {
	addr := addressKey(address)
	return []sqldb.Limit{
		{Bucket: "signin:pair:" + email + " " + addr, Account: email, Max: tandem.SignInMaxPerPair, Window: tandem.SignInWindow},
		{Bucket: "signin:account:" + email, Account: email, Max: tandem.SignInMaxPerAccount, Window: tandem.SignInAccountWindow},
		{Bucket: "signin:address:" + addr, Max: tandem.SignInMaxPerAddress, Window: tandem.SignInWindow},
	}
}

// errThrottled is the one answer to a throttled sign-in, whichever bucket
// refused and whether or not the email has an account.
var errThrottled = tandem.Errorf(tandem.ETOOMANY,
	"Too many failed sign-ins for this email or from your network. Try again later, or reset your password to sign in at once.")

// reserveSignIn counts a sign-in attempt before the password is checked.
func (a *App) reserveSignIn(ctx context.Context, email, address string) (sqldb.Reservation, error) {
	res, err := a.DB.Reserve(ctx, signInLimits(email, address)...)
	if err != nil {
		return res, err
	}
	if !res.OK {
		a.Log.WarnContext(ctx, "sign-in throttled", "address", address, "request_id", tandem.RequestIDFrom(ctx))
		return res, retryAfter(errThrottled, res.RetryAfter)
	}
	return res, nil
}

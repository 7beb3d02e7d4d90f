package app

import (
	"context"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// SetupInput is the first-run form: the first organization and its
// administrator.
type SetupInput struct {
	OrgName  string
	OrgKind  string
	Name     string
	Email    string
	Password string
}

// NeedsSetup reports whether the install is empty, so the home page should
// lead to setup.
func (a *App) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := a.DB.CountOrgs(ctx)
	return n == 0, err
}

// Setup creates the first organization and its administrator. It returns
// EINVALID with field errors for bad input and ECONFLICT when the install
// is already set up.
func (a *App) Setup(ctx context.Context, in SetupInput) (*tandem.Person, error) {
	org := &tandem.Org{Name: in.OrgName, Kind: in.OrgKind}
	m, err := a.newMember(ctx, org.Validate(), in.Name, in.Email, in.Password, tandem.RoleAdmin)
	if err != nil {
		return nil, err
	}
	return a.DB.Setup(ctx, org, m)
}

// CreateOrgWithAdmin creates an organization with its administrator; the
// CLI's `user create --admin --org NAME` uses it when the organization does
// not exist yet.
func (a *App) CreateOrgWithAdmin(ctx context.Context, in SetupInput) (*tandem.Person, error) {
	org := &tandem.Org{Name: in.OrgName, Kind: in.OrgKind}
	m, err := a.newMember(ctx, org.Validate(), in.Name, in.Email, in.Password, tandem.RoleAdmin)
	if err != nil {
		return nil, err
	}
	return a.DB.CreateOrgWithAdmin(ctx, org, m)
}

// AddMember adds a person with an account to an existing organization; for
// the CLI, which runs with the operator's authority.
func (a *App) AddMember(ctx context.Context, orgID int64, name, email, password, role string) (*tandem.Person, error) {
	var fe tandem.FieldErrors
	if !tandem.ValidRole(role) {
		fe.Add("role", "Choose admin, program_admin or member.")
	}
	m, err := a.newMember(ctx, fe.Err(), name, email, password, role)
	if err != nil {
		return nil, err
	}
	return a.DB.AddMember(ctx, orgID, m)
}

// newMember validates a name, email and password on top of earlier field
// errors and hashes the password.
func (a *App) newMember(ctx context.Context, prior error, name, email, password, role string) (sqldb.NewMember, error) {
	fe := tandem.FieldErrors(tandem.ErrorFields(prior))
	if prior != nil && fe == nil {
		return sqldb.NewMember{}, prior
	}
	email = tandem.NormalizeEmail(email)
	name = strings.TrimSpace(name)
	if msg := tandem.CheckName(name); msg != "" {
		fe.Add("name", msg)
	}
	if msg := tandem.CheckEmail(email); msg != "" {
		fe.Add("email", msg)
	}
	if msg := tandem.CheckPassword(password); msg != "" {
		fe.Add("password", msg)
	}
	if err := fe.Err(); err != nil {
		return sqldb.NewMember{}, err
	}
	hash, err := a.hash(ctx, password)
	if err != nil {
		return sqldb.NewMember{}, err
	}
	return sqldb.NewMember{Email: email, Name: name, Role: role, PasswordHash: hash}, nil
}

// errBadCredentials is the one answer to a wrong password and an unknown
// email, so a sign-in form does not tell which addresses have accounts.
var errBadCredentials = tandem.Errorf(tandem.EUNAUTHORIZED, "The email or password is not right.")

// dummyHash is checked against when the email is unknown, so an unknown
// email takes as long to refuse as a wrong password. It is made with the
// App's own cost parameters, on the first sign-in rather than at start-up.
func (a *App) dummyHash() string {
	if a.dummy == nil { // an App not made by New: no cache to share
		h, _ := a.Password.hashPassword("not a password of anyone")
		return h
	}
	a.dummy.once.Do(func() { a.dummy.hash, _ = a.Password.hashPassword("not a password of anyone") })
	return a.dummy.hash
}

// SignIn checks an email and password from a client address. Every
// attempt is counted in the rate-limit buckets (see signInLimits) before
// the password is looked at; an attempt over a limit is refused with
// ETOOMANY whatever the password is, the same for an email with or without
// an account. A wrong password leaves its count as the failure record; a
// right one clears the failures of its email and address pair and gives
// its count back to the others.
func (a *App) SignIn(ctx context.Context, email, password, address string) (*tandem.Account, error) {
	key := tandem.NormalizeEmail(email)
	res, err := a.reserveSignIn(ctx, key, address)
	if err != nil {
		return nil, err
	}
	// refund gives the attempt back when no password was checked (an
	// outage, a busy server), so that does not count as a failure.
	refund := func() { a.DB.Refund(context.WithoutCancel(ctx), res.Counted...) }
	var hash string // empty: an unknown email, checked against dummyHash
	acct, err := a.DB.AccountByEmail(ctx, key)
	switch {
	case tandem.ErrorCode(err) == tandem.ENOTFOUND:
	case err != nil:
		refund()
		return nil, err
	default:
		hash = acct.PasswordHash
	}
	ok, err := a.check(ctx, hash, password)
	if err != nil {
		refund()
		return nil, err
	}
	if !ok {
		return nil, errBadCredentials
	}
	if err := a.DB.ClearLimits(ctx, res.Counted[0]); err != nil {
		return nil, err
	}
	if err := a.DB.Refund(ctx, res.Counted[1:]...); err != nil {
		return nil, err
	}
	return acct, nil
}

// StartSession creates a session for the account and returns the secret
// for the cookie. The session acts in orgID, which must be one of the
// account's organizations, or in its first organization when orgID is 0.
// replaces is the hash of the session the browser had, which is deleted so
// the id rotates at sign-in.
func (a *App) StartSession(ctx context.Context, accountID, orgID int64, replaces, userAgent, address string) (string, error) {
	ms, err := a.DB.Memberships(ctx, accountID)
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		// Memberships leaves out the organizations the person has left.
		return "", tandem.Errorf(tandem.EFORBIDDEN, "Your account is not an active member of any organization: if you have left, your access has ended.")
	}
	in := ms[0].Org.ID
	if orgID != 0 {
		in = 0
		for _, m := range ms {
			if m.Org.ID == orgID {
				in = orgID
			}
		}
		if in == 0 {
			return "", tandem.Errorf(tandem.EFORBIDDEN, "Your account is not an active member of that organization.")
		}
	}
	secret, hash := newSecret("")
	s := &tandem.Session{IDHash: hash, AccountID: accountID, OrgID: in}
	if err := a.DB.CreateSession(ctx, s, replaces, userAgent, address); err != nil {
		return "", err
	}
	return secret, nil
}

// ActorBySession returns who a session cookie belongs to.
func (a *App) ActorBySession(ctx context.Context, secret string) (*tandem.Actor, error) {
	return a.DB.ActorBySession(ctx, HashSecret(secret))
}

// ActorByToken returns who an API token belongs to, or EUNAUTHORIZED.
func (a *App) ActorByToken(ctx context.Context, secret string) (*tandem.Actor, error) {
	if !strings.HasPrefix(secret, apiTokenPrefix) {
		return nil, tandem.Errorf(tandem.EUNAUTHORIZED, "The API token is unknown or revoked.")
	}
	return a.DB.ActorByToken(ctx, HashSecret(secret))
}

// SignOut ends the actor's session.
func (a *App) SignOut(ctx context.Context) error {
	if act := tandem.ActorFrom(ctx); act != nil && act.SessionIDHash != "" {
		return a.DB.DeleteSession(ctx, act.SessionIDHash)
	}
	return nil
}

// Memberships lists the organizations the actor belongs to.
func (a *App) Memberships(ctx context.Context) ([]sqldb.Membership, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.Memberships(ctx, act.Account.ID)
}

// SwitchOrg moves the actor's session to another of their organizations.
func (a *App) SwitchOrg(ctx context.Context, orgID int64) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	if act.SessionIDHash == "" {
		return tandem.Errorf(tandem.EINVALID, "Only a browser session can switch organization.")
	}
	return a.DB.SwitchSessionOrg(ctx, act.SessionIDHash, act.Account.ID, orgID)
}

// errPasswordGuesses refuses a password change after too many wrong
// current passwords.
var errPasswordGuesses = tandem.Errorf(tandem.ETOOMANY,
	"Too many wrong current passwords. Try again later, or reset your password.")

// ChangePassword replaces the actor's password after checking the current
// one, ends their other sessions and revokes every API token of the account
// (the one making the change included). A token may call it: it needs the
// current password anyway.
func (a *App) ChangePassword(ctx context.Context, current, next string) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	// The current password is checked like a sign-in: counted before the
	// check, so a stolen session or token cannot guess it without limit.
	bucket := "password-change:" + tandem.NormalizeEmail(act.Account.Email)
	res, err := a.DB.Reserve(ctx, sqldb.Limit{Bucket: bucket, Account: tandem.NormalizeEmail(act.Account.Email),
		Max: tandem.SignInMaxPerPair, Window: tandem.SignInWindow})
	if err != nil {
		return err
	}
	if !res.OK {
		return retryAfter(errPasswordGuesses, res.RetryAfter)
	}
	var fe tandem.FieldErrors
	ok, err := a.check(ctx, act.Account.PasswordHash, current)
	if err != nil {
		return err
	}
	if ok {
		if err := a.DB.ClearLimits(ctx, bucket); err != nil {
			return err
		}
	} else {
		fe.Add("current_password", "This is not your current password.")
	}
	if msg := tandem.CheckPassword(next); msg != "" {
		fe.Add("new_password", msg)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash, err := a.hash(ctx, next)
	if err != nil {
		return err
	}
	return a.DB.SetPassword(ctx, act.Account.ID, hash, act.SessionIDHash)
}

// ResetPasswordByOperator sets a password from the CLI.
func (a *App) ResetPasswordByOperator(ctx context.Context, email, password string) error {
	if msg := tandem.CheckPassword(password); msg != "" {
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"password": msg}}
	}
	acct, err := a.DB.AccountByEmail(ctx, tandem.NormalizeEmail(email))
	if err != nil {
		return err
	}
	hash, err := a.hash(ctx, password)
	if err != nil {
		return err
	}
	if err := a.DB.SetPassword(ctx, acct.ID, hash, ""); err != nil {
		return err
	}
	return a.DB.ClearAccountLimits(ctx, acct.Email)
}

// RequestPasswordReset emails a one-time reset link when the address has
// an account. Only the syntax of the address is checked on the request
// path; the rate limits are a count that does not depend on the address
// having an account; the account lookup, the link and the email are a
// background job (PasswordResetArgs). So the answer is the same, and as
// quick, for every address, including when the mailer fails.
//
// Requests are limited per requesting address and per recipient
// (PasswordResetMaxPer*); over a limit nothing is sent, and the answer is
// still the same.
func (a *App) RequestPasswordReset(ctx context.Context, email, address string) error {
	email = tandem.NormalizeEmail(email)
	if msg := tandem.CheckEmail(email); msg != "" {
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"email": msg}}
	}
	res, err := a.DB.Reserve(ctx,
		sqldb.Limit{Bucket: "reset:address:" + addressKey(address), Max: tandem.PasswordResetMaxPerAddress, Window: tandem.PasswordResetWindow},
		sqldb.Limit{Bucket: "reset:to:" + email, Max: tandem.PasswordResetMaxPerRecipient, Window: tandem.PasswordResetWindow})
	if err != nil {
		return err
	}
	if !res.OK {
		a.Log.WarnContext(ctx, "password reset request throttled", "address", address, "bucket", res.Counted[len(res.Counted)-1],
			"request_id", tandem.RequestIDFrom(ctx))
		return nil
	}
	return a.DB.Enqueue(ctx, PasswordResetArgs{Email: email, BaseURL: a.requestBase(ctx)}, nil)
}

// SendPasswordReset mints a one-time reset link for the address's account
// and emails it; an address without an account gets nothing. It is the
// work of a PasswordResetArgs job, so a failure is retried by the queue
// (each attempt mints a new link; an undelivered one just expires).
func (a *App) SendPasswordReset(ctx context.Context, email string) error {
	acct, err := a.DB.AccountByEmail(ctx, email)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	secret, hash := newSecret("")
	if err := a.DB.CreatePasswordReset(ctx, acct.ID, hash); err != nil {
		return err
	}
	// The link sets the account's password: only the account's owner may
	// read it, whoever asked and whatever organization they are signed in to.
	return a.send(ctx, tandem.Message{To: acct.Email, Secret: true}, "password_reset", map[string]string{
		"Name": acct.Name, "Link": a.linkBase(ctx, 0) + "/reset/" + secret,
	})
}

// CheckPasswordReset reports whether a reset link can still be used.
func (a *App) CheckPasswordReset(ctx context.Context, secret string) error {
	return a.DB.CheckPasswordReset(ctx, HashSecret(secret))
}

// ResetPassword sets a new password through a reset link, once.
func (a *App) ResetPassword(ctx context.Context, secret, password string) (accountID int64, err error) {
	if msg := tandem.CheckPassword(password); msg != "" {
		return 0, &tandem.Error{Code: tandem.EINVALID, Message: "Please choose another password.", Fields: map[string]string{"password": msg}}
	}
	hash, err := a.hash(ctx, password)
	if err != nil {
		return 0, err
	}
	return a.DB.ResetPassword(ctx, HashSecret(secret), hash)
}

// Invite sends a one-time invitation link to join the actor's organization.
// Only administrators may invite members; administrators and program
// admins may invite guests (external coaches), who join as members limited
// to the engagements they are a party to.
func (a *App) Invite(ctx context.Context, email, name, role string, guest bool) (*tandem.Invitation, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case act.Person.Guest:
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Guests cannot invite.")
	case guest && act.Person.Role == tandem.RoleMember:
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Program admins and administrators invite guest coaches.")
	case !guest && !act.Person.IsAdmin():
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only administrators of %s can invite members.", act.Org.Name)
	}
	if guest || role == "" {
		role = tandem.RoleMember // the default, on every surface
	}
	inv := &tandem.Invitation{OrgID: act.Org.ID, Email: tandem.NormalizeEmail(email), Name: strings.TrimSpace(name), Role: role, Guest: guest, InvitedBy: act.Person.ID}
	var fe tandem.FieldErrors
	if msg := tandem.CheckEmail(inv.Email); msg != "" {
		fe.Add("email", msg)
	}
	if msg := tandem.CheckName(inv.Name); msg != "" {
		fe.Add("name", msg)
	}
	if !tandem.ValidRole(role) {
		fe.Add("role", "Choose a role.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	// The stored hash is of a secret no one keeps: the email job mints the
	// link that is sent (SendInvitationEmail), so no job carries a secret.
	_, placeholder := newSecret("")
	err = a.DB.CreateInvitation(ctx, inv, placeholder, func(tx *sqldb.Tx) error {
		return tx.Enqueue(ctx, InvitationEmailArgs{InvitationID: inv.ID, OrgID: inv.OrgID, BaseURL: a.requestBase(ctx)}, nil)
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// ListInvitations lists the organization's invitations; administrators only.
func (a *App) ListInvitations(ctx context.Context) ([]tandem.Invitation, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.ListInvitations(ctx, act.Org.ID)
}

// InvitationByToken returns an invitation that can still be accepted, the
// organization it is for, and whether the email has an account already.
func (a *App) InvitationByToken(ctx context.Context, secret string) (*tandem.Invitation, *tandem.Org, bool, error) {
	inv, org, err := a.DB.InvitationByToken(ctx, HashSecret(secret))
	if err != nil {
		return nil, nil, false, err
	}
	_, err = a.DB.AccountByEmail(ctx, inv.Email)
	if err != nil && tandem.ErrorCode(err) != tandem.ENOTFOUND {
		return nil, nil, false, err
	}
	return inv, org, err == nil, nil
}

// AcceptInvitation joins the organization through an invitation. A new
// account chooses a password. An existing account proves it knows its
// password through SignIn, so the attempt is counted and throttled exactly
// like a sign-in from the same address (the invitation page must not be a
// way around the sign-in limits). It returns the account and the
// invitation's organization, where the session starts.
func (a *App) AcceptInvitation(ctx context.Context, secret, name, password, address string) (accountID, orgID int64, err error) {
	inv, _, exists, err := a.InvitationByToken(ctx, secret)
	if err != nil {
		return 0, 0, err
	}
	var hash string
	if exists {
		if _, err := a.SignIn(ctx, inv.Email, password, address); err != nil {
			if tandem.ErrorCode(err) == tandem.EUNAUTHORIZED {
				return 0, 0, &tandem.Error{Code: tandem.EINVALID, Message: "Please enter the password of your existing account.",
					Fields: map[string]string{"password": "This is not the password of " + inv.Email + "."}}
			}
			return 0, 0, err
		}
	} else {
		var fe tandem.FieldErrors
		if strings.TrimSpace(name) == "" {
			name = inv.Name
		}
		if msg := tandem.CheckName(name); msg != "" {
			fe.Add("name", msg)
		}
		if msg := tandem.CheckPassword(password); msg != "" {
			fe.Add("password", msg)
		}
		if err := fe.Err(); err != nil {
			return 0, 0, err
		}
		if hash, err = a.hash(ctx, password); err != nil {
			return 0, 0, err
		}
	}
	p, err := a.DB.AcceptInvitation(ctx, HashSecret(secret), strings.TrimSpace(name), hash)
	if err != nil {
		return 0, 0, err
	}
	return p.AccountID, p.OrgID, nil
}

// ListMembers lists the people of the actor's organization.
func (a *App) ListMembers(ctx context.Context) ([]tandem.Person, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.ListMembers(ctx, act.Org.ID)
}

// MemberCount counts the people with an account in the organization, for
// the administrator's home page; administrators only.
func (a *App) MemberCount(ctx context.Context) (int, error) {
	act, err := admin(ctx)
	if err != nil {
		return 0, err
	}
	return a.DB.CountMembers(ctx, act.Org.ID)
}

// ListMail lists the development mailer's messages to people of the
// organization; administrators only.
func (a *App) ListMail(ctx context.Context) ([]tandem.Message, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.ListMail(ctx, act.Org.ID, 100)
}

// CreateDemoOrg creates an organization marked as demo data with in's
// person as its administrator; the demo package fills it. With firstRun,
// like Setup, it returns ECONFLICT when any organization exists already,
// so the setup page cannot add organizations to a running install. prior
// holds the caller's own field errors (the demo's size), reported with
// those of the form. An empty in.OrgName is refused like any other.
func (a *App) CreateDemoOrg(ctx context.Context, in SetupInput, firstRun bool, prior error) (*tandem.Person, *tandem.Org, error) {
	org := &tandem.Org{Name: in.OrgName, Kind: in.OrgKind, Demo: true}
	fe := tandem.FieldErrors(tandem.ErrorFields(prior))
	for f, msg := range tandem.ErrorFields(org.Validate()) {
		fe.Add(f, msg)
	}
	m, err := a.newMember(ctx, fe.Err(), in.Name, in.Email, in.Password, tandem.RoleAdmin)
	if err != nil {
		return nil, nil, err
	}
	create := a.DB.CreateOrgWithAdmin
	if firstRun {
		create = a.DB.Setup
	}
	admin, err := create(ctx, org, m)
	if err != nil {
		return nil, nil, err
	}
	return admin, org, nil
}

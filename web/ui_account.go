package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/sqldb"
)

// requireSignIn sends anonymous browsers to the sign-in page, and on to
// first-run setup when the install is empty.
func (s *Server) requireSignIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if tandem.ActorFrom(r.Context()) != nil {
			next(w, r)
			return
		}
		empty, err := s.app.NeedsSetup(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if empty {
			http.Redirect(w, r, "/setup", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
}

type homePage struct {
	Page
	MemberCount int
	Me          int64
	Next        *app.Next
}

// handleHome shows what comes next for the signed-in person (app.WhatsNext).
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := &homePage{Page: Page{Title: "Home", Nav: "home"}, Me: tandem.ActorFrom(ctx).Person.ID}
	if tandem.ActorFrom(ctx).Person.IsAdmin() {
		n, err := s.app.MemberCount(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.MemberCount = n
	}
	var err error
	if p.Next, err = s.app.WhatsNext(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", p)
}

type formPage struct {
	Page
	Form Form
}

func (s *Server) handleSetupForm(w http.ResponseWriter, r *http.Request) {
	empty, err := s.app.NeedsSetup(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !empty {
		s.redirect(w, r, "/", "Tandem is already set up.")
		return
	}
	s.render(w, r, http.StatusOK, "setup", &formPage{Page: Page{Title: "Set up Tandem"}, Form: Form{}})
}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	in := app.SetupInput{
		OrgName: r.PostForm.Get("org_name"), OrgKind: r.PostForm.Get("org_kind"),
		Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password"),
	}
	setup, done := s.app.Setup, "Your organization is ready. Welcome to Tandem."
	if r.PostForm.Get("demo") != "" {
		setup = func(ctx context.Context, in app.SetupInput) (*tandem.Person, error) {
			return demo.LoadSetup(ctx, s.app, in, demo.DefaultPeople)
		}
		done = "Your demo organization is ready, with generated people to explore; the demo page lists whom to sign in as. Welcome to Tandem."
	}
	p, err := setup(r.Context(), in)
	if err != nil {
		s.formError(w, r, "setup", "Set up Tandem", err)
		return
	}
	s.signInAs(w, r, p.AccountID, p.OrgID, "/", done)
}

// formError shows a form again with its values and field errors, or an
// error page when the error is not about the input.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, tmpl, title string, err error) {
	switch tandem.ErrorCode(classify(err)) {
	case tandem.EINVALID, tandem.ECONFLICT, tandem.EUNAUTHORIZED, tandem.ETOOMANY, tandem.ETOOLARGE:
		setRetryAfter(w, err)
		s.render(w, r, s.status(r, err), tmpl, &formPage{Page: Page{Title: title}, Form: formFrom(r, err)})
	default:
		s.serverError(w, r, err)
	}
}

// signInAs starts a new session (replacing any the browser had) in the
// organization (0: the account's first) and redirects.
func (s *Server) signInAs(w http.ResponseWriter, r *http.Request, accountID, orgID int64, to, msg string) {
	var old string
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		old = app.HashSecret(c.Value)
	}
	secret, err := s.app.StartSession(r.Context(), accountID, orgID, old, r.UserAgent(), s.clientAddress(r))
	if tandem.ErrorCode(err) == tandem.EFORBIDDEN {
		// The account is in no organization it may act in (every one
		// deactivated it): say so on the sign-in form.
		s.render(w, r, http.StatusForbidden, "signin", &signInPage{Page: Page{Title: "Sign in"}, Form: Form{Values: r.PostForm, Message: tandem.ErrorMessage(err)}, Next: "/"})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setSessionCookie(w, r, secret)
	s.redirect(w, r, to, msg)
}

type signInPage struct {
	Page
	Form Form
	Next string
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	if tandem.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	empty, err := s.app.NeedsSetup(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if empty {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin", &signInPage{Page: Page{Title: "Sign in"}, Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	acct, err := s.app.SignIn(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), s.clientAddress(r))
	if err != nil {
		code := tandem.ErrorCode(err)
		if code != tandem.EUNAUTHORIZED && code != tandem.ETOOMANY {
			s.serverError(w, r, err)
			return
		}
		setRetryAfter(w, err)
		s.render(w, r, s.status(r, err), "signin", &signInPage{Page: Page{Title: "Sign in"}, Form: formFrom(r, err), Next: next})
		return
	}
	s.signInAs(w, r, acct.ID, 0, next, "")
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if err := s.app.SignOut(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.clearSessionCookie(w, r)
	s.redirect(w, r, "/signin", "You are signed out.")
}

type forgotPage struct {
	Page
	Form Form
	Sent bool
}

func (s *Server) handleForgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "forgot", &forgotPage{Page: Page{Title: "Reset your password"}})
}

func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	err := s.app.RequestPasswordReset(r.Context(), r.PostForm.Get("email"), s.clientAddress(r))
	if tandem.ErrorCode(err) == tandem.EINVALID {
		s.render(w, r, s.status(r, err), "forgot", &forgotPage{Page: Page{Title: "Reset your password"}, Form: formFrom(r, err)})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "forgot", &forgotPage{Page: Page{Title: "Reset your password"}, Form: formFrom(r, nil), Sent: true})
}

type linkPage struct {
	Page
	Form        Form
	LinkProblem string
}

func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) {
	p := &linkPage{Page: Page{Title: "Choose a new password"}}
	if err := s.app.CheckPasswordReset(r.Context(), r.PathValue("token")); err != nil {
		if !isLinkProblem(err) {
			s.serverError(w, r, err)
			return
		}
		p.LinkProblem = tandem.ErrorMessage(err)
	}
	s.render(w, r, http.StatusOK, "reset", p)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	accountID, err := s.app.ResetPassword(r.Context(), r.PathValue("token"), r.PostForm.Get("password"))
	if err != nil {
		p := &linkPage{Page: Page{Title: "Choose a new password"}, Form: formFrom(r, err)}
		if tandem.ErrorFields(err) == nil {
			if !isLinkProblem(err) {
				s.serverError(w, r, err)
				return
			}
			p.LinkProblem = tandem.ErrorMessage(err)
		}
		s.render(w, r, s.status(r, err), "reset", p)
		return
	}
	s.signInAs(w, r, accountID, 0, "/", "Your password is changed and you are signed in.")
}

// isLinkProblem reports whether err says a one-time link is unknown, used
// or expired (as opposed to an outage).
func isLinkProblem(err error) bool {
	c := tandem.ErrorCode(err)
	return c == tandem.ENOTFOUND || (c == tandem.EINVALID && tandem.ErrorFields(err) == nil)
}

type invitationPage struct {
	Page
	Form        Form
	LinkProblem string
	Invitation  *tandem.Invitation
	Org         *tandem.Org
	HasAccount  bool
}

func (s *Server) invitationPage(r *http.Request, form Form) (*invitationPage, error) {
	p := &invitationPage{Page: Page{Title: "Invitation"}, Form: form}
	inv, org, has, err := s.app.InvitationByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		if !isLinkProblem(err) {
			return nil, err
		}
		p.LinkProblem = tandem.ErrorMessage(err)
		return p, nil
	}
	p.Invitation, p.Org, p.HasAccount = inv, org, has
	p.Title = "Join " + org.Name
	return p, nil
}

func (s *Server) handleInvitationForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.invitationPage(r, Form{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Invitation != nil {
		p.Form.Values = map[string][]string{"name": {p.Invitation.Name}}
	}
	s.render(w, r, http.StatusOK, "invitation", p)
}

func (s *Server) handleAcceptInvitation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	accountID, orgID, err := s.app.AcceptInvitation(r.Context(), r.PathValue("token"), r.PostForm.Get("name"), r.PostForm.Get("password"), s.clientAddress(r))
	if err != nil {
		p, perr := s.invitationPage(r, formFrom(r, err))
		if perr != nil {
			s.serverError(w, r, perr)
			return
		}
		setRetryAfter(w, err)
		if p.LinkProblem == "" && tandem.ErrorFields(err) == nil && tandem.ErrorCode(err) != tandem.ETOOMANY {
			if isLinkProblem(err) {
				p.LinkProblem = tandem.ErrorMessage(err)
			} else {
				s.serverError(w, r, err)
				return
			}
		}
		s.render(w, r, s.status(r, err), "invitation", p)
		return
	}
	s.signInAs(w, r, accountID, orgID, "/", "Welcome! You have joined.")
}

type accountPage struct {
	Page
	Memberships []sqldb.Membership
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	ms, err := s.app.Memberships(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account", &accountPage{Page: Page{Title: "Your account"}, Memberships: ms})
}

func (s *Server) handleSwitchOrg(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.FormValue("org_id"), 10, 64)
	if err := s.app.SwitchOrg(r.Context(), id); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/", "Switched organization.")
}

func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", &formPage{Page: Page{Title: "Change password"}})
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.app.ChangePassword(r.Context(), r.PostForm.Get("current_password"), r.PostForm.Get("new_password")); err != nil {
		s.formError(w, r, "password", "Change password", err)
		return
	}
	s.redirect(w, r, "/account", "Your password is changed. Your other sessions are signed out.")
}

type tokensPage struct {
	Page
	Form               Form
	Tokens             []tandem.APIToken
	NewSecret, NewName string
}

func (s *Server) showTokens(w http.ResponseWriter, r *http.Request, status int, p *tokensPage) {
	tokens, err := s.app.ListAPITokens(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Title, p.Tokens = "API tokens", tokens
	s.render(w, r, status, "tokens", p)
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) {
	s.showTokens(w, r, http.StatusOK, &tokensPage{})
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	secret, t, err := s.app.CreateAPIToken(r.Context(), r.PostForm.Get("name"))
	if tandem.ErrorCode(err) == tandem.EINVALID {
		s.showTokens(w, r, s.status(r, err), &tokensPage{Form: formFrom(r, err)})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// The secret is rendered in this response only; it is never stored.
	s.showTokens(w, r, http.StatusCreated, &tokensPage{NewSecret: secret, NewName: t.Name})
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.app.RevokeAPIToken(r.Context(), id); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/account/tokens", "The token is revoked.")
}

type membersPage struct {
	Page
	Form        Form
	Members     []tandem.Person
	Leavers     []tandem.Person // people who left, most recent first
	Invitations []tandem.Invitation
	Roles       []string
	now         time.Time
}

// Expired reports whether an unused invitation has expired.
func (p *membersPage) Expired(inv tandem.Invitation) bool { return !p.now.Before(inv.ExpiresAt) }

func (s *Server) showMembers(w http.ResponseWriter, r *http.Request, status int, form Form) {
	invs, err := s.app.ListInvitations(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	members, err := s.app.ListMembers(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	leavers, err := s.app.ListLeavers(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "members", &membersPage{Page: Page{Title: "Administration", Nav: "admin"}, Form: form,
		Members: members, Leavers: leavers, Invitations: invs, Roles: []string{tandem.RoleMember, tandem.RoleProgramAdmin, tandem.RoleAdmin}, now: s.app.DB.Now()})
}

func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request) {
	s.showMembers(w, r, http.StatusOK, Form{})
}

func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	inv, err := s.app.Invite(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("name"), r.PostForm.Get("role"), r.PostForm.Get("guest") != "")
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/admin/members", "Invitation sent to "+inv.Email+".")
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showMembers(w, r, s.status(r, err), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

type mailPage struct {
	Page
	Messages []tandem.Message
}

func (s *Server) handleMail(w http.ResponseWriter, r *http.Request) {
	ms, err := s.app.ListMail(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mail", &mailPage{Page: Page{Title: "Sent email", Nav: "admin"}, Messages: ms})
}

type demoPage struct {
	Page
	Personas []tandem.DemoPersona
	// Programs are the demo's programs, one in each state it shows.
	Programs []app.ProgramView
}

// handleDemo lists the people of a demo organization a visitor can sign in
// as, with their roles. Outside demo organizations it leads home.
func (s *Server) handleDemo(w http.ResponseWriter, r *http.Request) {
	ps, err := s.app.DemoPersonas(r.Context())
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		s.redirect(w, r, "/", "This organization is not a demo: there are no personas to sign in as.")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	progs, err := s.app.Programs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "demo", &demoPage{Page: Page{Title: "Walk the demo"}, Personas: ps, Programs: progs})
}

package web

import (
	"context"
	"github.com/tandemhq/tandem"
	"net/http"
	"time"
)

// routes lists every route of the server. UI routes render HTML; /api/v1
// routes answer JSON and problem+json.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	ui := s.requireSignIn
	api := s.apiAuth

	// Operations.
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.HandleFunc("GET /metrics", s.handleMetrics)
	mux.Handle("GET /static/", s.static)

	// First run, sign-in and one-time links.
	mux.HandleFunc("GET /{$}", ui(s.handleHome))
	mux.HandleFunc("GET /setup", s.handleSetupForm)
	mux.HandleFunc("POST /setup", s.handleSetup)
	mux.HandleFunc("GET /signin", s.handleSignInForm)
	mux.HandleFunc("POST /signin", s.handleSignIn)
	mux.HandleFunc("POST /signout", s.handleSignOut)
	mux.HandleFunc("GET /forgot", s.handleForgotForm)
	mux.HandleFunc("POST /forgot", s.handleForgot)
	mux.HandleFunc("GET /reset/{token}", s.handleResetForm)
	mux.HandleFunc("POST /reset/{token}", s.handleReset)
	mux.HandleFunc("GET /invitations/{token}", s.handleInvitationForm)
	mux.HandleFunc("POST /invitations/{token}", s.handleAcceptInvitation)

	// The signed-in person's account.
	mux.HandleFunc("GET /account", ui(s.handleAccount))
	mux.HandleFunc("POST /account/org", ui(s.handleSwitchOrg))
	mux.HandleFunc("GET /account/password", ui(s.handlePasswordForm))
	mux.HandleFunc("POST /account/password", ui(s.handleChangePassword))
	mux.HandleFunc("GET /account/tokens", ui(s.handleTokens))
	mux.HandleFunc("POST /account/tokens", ui(s.handleCreateToken))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", ui(s.handleRevokeToken))

	// People, reporting lines and skills.
	mux.HandleFunc("GET /people", ui(s.handlePeople))
	mux.HandleFunc("GET /me", ui(s.handleMe))
	mux.HandleFunc("GET /people/{id}", ui(s.handlePerson))
	mux.HandleFunc("GET /people/{id}/chart", ui(s.handleChart))
	mux.HandleFunc("GET /people/{id}/edit", ui(s.handleProfileForm))
	mux.HandleFunc("POST /people/{id}/edit", ui(s.handleUpdateProfile))
	mux.HandleFunc("POST /people/{id}/manager", ui(s.handleSetManager))
	mux.HandleFunc("POST /people/{id}/role", ui(s.handleSetRole))
	mux.HandleFunc("GET /skills", ui(s.handleSkills))
	mux.HandleFunc("POST /skills", ui(s.handleCreateSkill))
	mux.HandleFunc("POST /skills/{id}/rename", ui(s.handleRenameSkill))
	mux.HandleFunc("POST /skills/{id}/merge", ui(s.handleMergeSkill))
	mux.HandleFunc("POST /skills/{id}/retire", ui(s.handleRetireSkill))

	// Engagements: coaching and mentoring.
	mux.HandleFunc("GET /engagements", ui(s.handleEngagements))
	mux.HandleFunc("GET /engagements/new", ui(s.handleNewEngagement))
	mux.HandleFunc("POST /engagements", ui(s.handleProposeEngagement))
	mux.HandleFunc("GET /engagements/{id}", ui(s.handleEngagement))
	mux.HandleFunc("GET /engagements/{id}/agreement/edit", ui(s.handleReviseForm))
	mux.HandleFunc("POST /engagements/{id}/agreement", ui(s.handleRevise))
	mux.HandleFunc("POST /engagements/{id}/respond", ui(s.handleRespond()))
	mux.HandleFunc("POST /engagements/{id}/phase", ui(s.handlePhase()))
	mux.HandleFunc("POST /engagements/{id}/reversal", ui(s.handleReversal()))
	mux.HandleFunc("POST /engagements/{id}/reversal/answer", ui(s.handleReversalAnswer()))
	mux.HandleFunc("POST /engagements/{id}/end", ui(s.handleEnd()))
	mux.HandleFunc("POST /engagements/{id}/review", ui(s.handleReview()))
	mux.HandleFunc("POST /engagements/{id}/exception", ui(s.handleException()))
	mux.HandleFunc("POST /engagements/{id}/share", ui(s.handleShareHistory()))
	mux.HandleFunc("POST /engagements/{id}/items", ui(s.handleAddItem()))
	mux.HandleFunc("POST /engagements/{id}/items/{item}/done", ui(s.handleItemDone()))
	mux.HandleFunc("GET /admin/settings", ui(s.handleSettingsForm))
	mux.HandleFunc("POST /admin/settings", ui(s.handleSettings))

	// Sessions.
	mux.HandleFunc("POST /engagements/{id}/sessions", ui(s.handleScheduleMeeting))
	mux.HandleFunc("GET /engagements/{id}/sessions/{session}", ui(s.handleMeeting)) // {session}.ics downloads it
	mux.HandleFunc("POST /engagements/{id}/sessions/{session}/reschedule", ui(s.handleRescheduleMeeting()))
	mux.HandleFunc("POST /engagements/{id}/sessions/{session}/outcome", ui(s.handleRecordMeeting()))
	mux.HandleFunc("POST /engagements/{id}/sessions/{session}/notes", ui(s.handleAddNote()))
	mux.HandleFunc("POST /engagements/{id}/sessions/{session}/actions", ui(s.handleAddActionItem()))
	mux.HandleFunc("POST /engagements/{id}/sessions/{session}/actions/{item}/done", ui(s.handleActionItemDone()))
	mux.HandleFunc("POST /engagements/{id}/sessions/{session}/feedback", ui(s.handleRateMeeting()))
	mux.HandleFunc("GET /actions", ui(s.handleMyActionItems))
	mux.HandleFunc("GET /account/calendar", ui(s.handleCalendarPage))
	mux.HandleFunc("POST /account/calendar", ui(s.handleNewCalendarLink))
	mux.HandleFunc("GET /calendar/{file}", s.handleCalendarFeed) // no sign-in: the secret {token}.ics is the credential

	// Goals and evaluations.
	mux.HandleFunc("POST /engagements/{id}/goals", ui(s.handleSetGoal()))
	mux.HandleFunc("POST /engagements/{id}/goals/{goal}/updates", ui(s.handleGoalUpdate()))
	mux.HandleFunc("POST /engagements/{id}/evaluations", ui(s.handleEvaluate()))
	mux.HandleFunc("POST /engagements/{id}/themes", ui(s.handleAddTheme()))
	mux.HandleFunc("POST /engagements/{id}/reflections", ui(s.handleReflect()))
	mux.HandleFunc("GET /admin/rubric", ui(s.handleRubricForm))
	mux.HandleFunc("POST /admin/rubric", ui(s.handleRubric))

	// Administration.
	mux.HandleFunc("GET /admin/members", ui(s.handleMembers))
	mux.HandleFunc("GET /admin/import", ui(s.handleImportForm))
	mux.HandleFunc("POST /admin/import", ui(s.handleImport))
	mux.HandleFunc("GET /admin/export.csv", ui(s.handleExport))
	mux.HandleFunc("POST /admin/invitations", ui(s.handleInvite))
	mux.HandleFunc("GET /admin/mail", ui(s.handleMail))

	// JSON API.
	mux.HandleFunc("GET /api/v1/openapi.json", s.apiOpenAPI)
	mux.HandleFunc("GET /api/v1/me", api(s.apiMe))
	mux.HandleFunc("POST /api/v1/me/password", api(s.apiChangePassword))
	mux.HandleFunc("GET /api/v1/members", api(s.apiMembers))
	mux.HandleFunc("GET /api/v1/tokens", api(s.apiTokens))
	mux.HandleFunc("POST /api/v1/tokens", api(s.apiCreateToken))
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", api(s.apiRevokeToken))
	mux.HandleFunc("GET /api/v1/invitations", api(s.apiInvitations))
	mux.HandleFunc("POST /api/v1/invitations", api(s.apiInvite))
	mux.HandleFunc("GET /api/v1/people", api(s.apiPeople))
	mux.HandleFunc("GET /api/v1/people/{id}", api(s.apiPerson))
	mux.HandleFunc("PUT /api/v1/people/{id}/profile", api(s.apiUpdateProfile))
	mux.HandleFunc("PUT /api/v1/people/{id}/manager", api(s.apiSetManager))
	mux.HandleFunc("PUT /api/v1/people/{id}/role", api(s.apiSetRole))
	mux.HandleFunc("GET /api/v1/people/{id}/chain", api(s.apiChain))
	mux.HandleFunc("GET /api/v1/people/{id}/chain/{manager}", api(s.apiInChain))
	mux.HandleFunc("POST /api/v1/people/import", api(s.apiImport))
	mux.HandleFunc("GET /api/v1/people/export", api(s.apiExport))
	mux.HandleFunc("GET /api/v1/skills", api(s.apiSkills))
	mux.HandleFunc("POST /api/v1/skills", api(s.apiCreateSkill))
	mux.HandleFunc("PATCH /api/v1/skills/{id}", api(s.apiUpdateSkill))
	mux.HandleFunc("POST /api/v1/skills/{id}/merge", api(s.apiMergeSkill))
	// Engagements API.
	mux.HandleFunc("GET /api/v1/engagements", api(s.apiEngagements))
	mux.HandleFunc("POST /api/v1/engagements", api(s.apiPropose))
	mux.HandleFunc("GET /api/v1/engagements/{id}", api(s.apiEngagement))
	mux.HandleFunc("PUT /api/v1/engagements/{id}/agreement", api(s.apiRevise()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/responses", api(s.apiRespond()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/phase", api(s.apiSetPhase()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/reversal", api(s.apiProposeReversal()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/reversal/answer", api(s.apiAnswerReversal()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/end", api(s.apiEnd()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/reviews", api(s.apiReview()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/exception", api(s.apiAllowException()))
	mux.HandleFunc("PUT /api/v1/engagements/{id}/share-history", api(s.apiShareHistory()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/items", api(s.apiAddItem))
	mux.HandleFunc("POST /api/v1/engagements/{id}/items/{item}/done", api(s.apiCompleteItem))
	mux.HandleFunc("GET /api/v1/settings", api(s.apiSettings))
	mux.HandleFunc("PUT /api/v1/settings", api(s.apiSetSettings))
	// Sessions API.
	mux.HandleFunc("GET /api/v1/engagements/{id}/sessions", api(s.apiMeetings))
	mux.HandleFunc("POST /api/v1/engagements/{id}/sessions", api(s.apiScheduleMeeting))
	mux.HandleFunc("GET /api/v1/engagements/{id}/sessions/{session}", api(s.apiMeeting))
	mux.HandleFunc("PUT /api/v1/engagements/{id}/sessions/{session}", api(s.apiRescheduleMeeting))
	mux.HandleFunc("POST /api/v1/engagements/{id}/sessions/{session}/outcome", api(s.apiRecordMeeting))
	mux.HandleFunc("POST /api/v1/engagements/{id}/sessions/{session}/notes", api(s.apiAddNote))
	mux.HandleFunc("POST /api/v1/engagements/{id}/sessions/{session}/action-items", api(s.apiAddActionItem))
	mux.HandleFunc("POST /api/v1/engagements/{id}/sessions/{session}/action-items/{item}/done", api(s.apiCompleteActionItem))
	mux.HandleFunc("PUT /api/v1/engagements/{id}/sessions/{session}/feedback", api(s.apiRateMeeting))
	mux.HandleFunc("GET /api/v1/me/action-items", api(s.apiMyActionItems))
	mux.HandleFunc("POST /api/v1/me/calendar", api(s.apiNewCalendar))
	// Goals API.
	mux.HandleFunc("GET /api/v1/engagements/{id}/goals", api(s.apiGoals))
	mux.HandleFunc("POST /api/v1/engagements/{id}/goals", api(s.apiSetGoal()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/goals/{goal}/updates", api(s.apiUpdateGoal()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/evaluations", api(s.apiEvaluate()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/themes", api(s.apiAddTheme()))
	mux.HandleFunc("POST /api/v1/engagements/{id}/reflections", api(s.apiReflect()))
	mux.HandleFunc("GET /api/v1/rubric", api(s.apiRubric))
	mux.HandleFunc("PUT /api/v1/rubric", api(s.apiSetRubric))
	mux.HandleFunc("/api/", s.apiNotFound)
	mux.HandleFunc("/", s.handleNotFound)

	// Outermost first: observe every request, refuse cross-origin writes
	// before anything reads the body, then limit, secure and authenticate.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.handleCrossOrigin))
	return s.observe(csrf.Handler(limitBody(secureHeaders(s.authenticate(mux)))))
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.DB.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "readiness: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

func (s *Server) handleCrossOrigin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte("Cross-origin request refused: Tandem accepts changes only from its own pages.\n"))
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.serverError(w, r, tandem.Errorf(tandem.ENOTFOUND, "There is no page at this address."))
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	s.apiError(w, r, tandem404)
}

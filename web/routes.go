package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

// routeTable lists every route of the server with who may call it (see
// access). UI routes render HTML; /api/v1 routes answer JSON and
// problem+json. The server registers exactly these routes, and
// TestRoutePermissions requests each one as every kind of person.
func (s *Server) routeTable() []route {
	return []route{
		// Operations.
		{"GET /healthz", anyone, s.handleHealthz},
		{"GET /readyz", anyone, s.handleReadyz},
		// GET /metrics is answered before sign-in, only with a metrics token
		// (metricsRoute) or on the metrics listener (MetricsHandler).
		{"GET /static/", anyone, s.static.ServeHTTP},
		// First run, sign-in and one-time links.
		{"GET /{$}", signedIn, s.handleHome},
		{"GET /setup", anyone, s.handleSetupForm},
		{"POST /setup", anyone, s.handleSetup},
		{"GET /signin", anyone, s.handleSignInForm},
		{"POST /signin", anyone, s.handleSignIn},
		{"POST /signout", anyone, s.handleSignOut},
		{"GET /forgot", anyone, s.handleForgotForm},
		{"POST /forgot", anyone, s.handleForgot},
		{"GET /reset/{token}", anyone, s.handleResetForm},
		{"POST /reset/{token}", anyone, s.handleReset},
		{"GET /invitations/{token}", anyone, s.handleInvitationForm},
		{"POST /invitations/{token}", anyone, s.handleAcceptInvitation},
		// The signed-in person's account.
		{"GET /account", signedIn, s.handleAccount},
		{"POST /account/org", signedIn, s.handleSwitchOrg},
		{"GET /account/password", signedIn, s.handlePasswordForm},
		{"POST /account/password", signedIn, s.handleChangePassword},
		{"GET /account/tokens", signedIn, s.handleTokens},
		{"POST /account/tokens", signedIn.browserOnly(), s.handleCreateToken},
		{"POST /account/tokens/{id}/revoke", signedIn, s.handleRevokeToken},
		// People, reporting lines and skills.
		{"GET /people", members, s.handlePeople},
		{"GET /me", signedIn, s.handleMe},
		{"GET /demo", members, s.handleDemo},
		{"GET /people/{id}", selfOr(members), s.handlePerson},
		{"GET /people/{id}/chart", selfOr(members), s.handleChart},
		{"GET /people/{id}/edit", selfOr(admins), s.handleProfileForm},
		{"POST /people/{id}/edit", selfOr(admins), s.handleUpdateProfile},
		{"POST /people/{id}/manager", admins, s.handleSetManager},
		{"POST /people/{id}/role", admins, s.handleSetRole},
		{"GET /people/{id}/deactivate", admins, s.handleDeactivateForm},
		{"POST /people/{id}/deactivate", admins, s.handleDeactivate},
		{"POST /people/{id}/reactivate", admins, s.handleReactivate},
		{"GET /skills", members, s.handleSkills},
		{"POST /skills", admins, s.handleCreateSkill},
		{"POST /skills/{id}/rename", admins, s.handleRenameSkill},
		{"POST /skills/{id}/merge", admins, s.handleMergeSkill},
		{"POST /skills/{id}/retire", admins, s.handleRetireSkill},
		// Engagements: coaching and mentoring.
		{"GET /engagements", signedIn, s.handleEngagements},
		{"GET /engagements/new", members, s.handleNewEngagement},
		{"GET /engagements/candidates", members, s.handleCandidates},
		{"GET /admin/engagements.csv", programAdmins, s.handleExportEngagements},
		{"POST /engagements", members, s.handleProposeEngagement},
		{"GET /engagements/{id}", viewers, s.handleEngagement},
		{"GET /engagements/{id}/agreement/edit", partners, s.handleReviseForm},
		{"POST /engagements/{id}/agreement", partners, s.handleRevise},
		{"POST /engagements/{id}/respond", parties(tandem.ViewerLearner, tandem.ViewerGuide, tandem.ViewerManager), s.handleRespond()},
		{"POST /engagements/{id}/phase", partners.onlyFor(tandem.Mentoring), s.handlePhase()},
		{"POST /engagements/{id}/reversal", partners.onlyFor(tandem.Mentoring), s.handleReversal()},
		{"POST /engagements/{id}/reversal/answer", partners.onlyFor(tandem.Mentoring), s.handleReversalAnswer()},
		{"POST /engagements/{id}/end", partners, s.handleEnd()},
		{"POST /engagements/{id}/review", partners.onlyFor(tandem.Mentoring), s.handleReview()},
		{"POST /engagements/{id}/exception", parties(tandem.ViewerAdmin).onlyFor(tandem.Mentoring), s.handleException()},
		{"POST /engagements/{id}/share", parties(tandem.ViewerLearner), s.handleShareHistory()},
		{"POST /engagements/{id}/items", partners.onlyFor(tandem.Mentoring), s.handleAddItem()},
		{"POST /engagements/{id}/items/{item}/done", partners.onlyFor(tandem.Mentoring), s.handleItemDone()},
		// Programs: cohorts, their questionnaire and applications.
		{"GET /programs", members, s.handlePrograms},
		{"GET /programs/new", admins, s.handleNewProgram},
		{"POST /programs", admins, s.handleCreateProgram},
		{"GET /programs/{id}", onProgram(tandem.ProgramOverview), s.handleProgram},
		{"GET /programs/{id}/edit", onProgram(tandem.ProgramRun), s.handleEditProgramForm},
		{"POST /programs/{id}/edit", onProgram(tandem.ProgramRun), s.handleEditProgram},
		{"POST /programs/{id}/state", onProgram(tandem.ProgramRun), s.handleProgramState},
		{"POST /programs/{id}/admins", onProgram(tandem.ProgramNaming), s.handleProgramAdmins},
		{"GET /programs/{id}/questions", onProgram(tandem.ProgramRun), s.handleQuestions},
		{"POST /programs/{id}/questions", onProgram(tandem.ProgramRun), s.handleAddQuestion},
		{"POST /programs/{id}/questions/{question}", onProgram(tandem.ProgramRun), s.handleUpdateQuestion},
		{"POST /programs/{id}/questions/{question}/delete", onProgram(tandem.ProgramRun), s.handleDeleteQuestion},
		{"GET /programs/{id}/apply", onProgram(tandem.ProgramEnroll), s.handleEnrollForm},
		{"POST /programs/{id}/apply", onProgram(tandem.ProgramEnroll), s.handleEnroll},
		{"POST /programs/{id}/withdraw", onProgram(tandem.ProgramEnroll), s.handleWithdraw},
		{"GET /programs/{id}/applications", onProgram(tandem.ProgramRun), s.handleApplications},
		{"POST /programs/{id}/applications/{application}/decision", onProgram(tandem.ProgramRun), s.handleDecide},
		{"GET /programs/{id}/matching", onProgram(tandem.ProgramRun), s.handleMatching},
		{"POST /programs/{id}/runs", onProgram(tandem.ProgramRun), s.handleStartRun},
		{"GET /programs/{id}/runs/{run}", onProgram(tandem.ProgramRun), s.handlePreview},
		{"GET /programs/{id}/runs/{run}/publish", onProgram(tandem.ProgramRun), s.handlePublishForm},
		{"POST /programs/{id}/runs/{run}/publish", onProgram(tandem.ProgramRun), s.handlePublish},
		{"POST /programs/{id}/rules", onProgram(tandem.ProgramRun), s.handleSetPairRule},
		{"POST /programs/{id}/rules/delete", onProgram(tandem.ProgramRun), s.handleDeletePairRule},
		{"GET /programs/{id}/compare", onProgram(tandem.ProgramRun), s.handleCompare},
		{"GET /programs/{id}/invitations", onProgram(tandem.ProgramRun), s.handleProgramInvitations},
		{"POST /programs/{id}/invitations", onProgram(tandem.ProgramRun), s.handleProgramInvite},
		{"POST /programs/{id}/invitations/csv", onProgram(tandem.ProgramRun), s.handleProgramInviteCSV},
		{"POST /programs/{id}/invitations/remind", onProgram(tandem.ProgramRun), s.handleProgramRemind},
		{"POST /programs/{id}/invitation/decline", onProgram(tandem.ProgramOverview), s.handleDeclineInvitation},
		{"POST /programs/{id}/matching", onProgram(tandem.ProgramRun), s.handleMatchingMode},
		{"GET /programs/{id}/partnerships", onProgram(tandem.ProgramRun), s.handleProgramPartnerships},
		{"POST /programs/{id}/requests", onProgramAs(tandem.AsMentee), s.handleAskMentor},
		{"POST /programs/{id}/requests/{request}/accept", onProgramAs(tandem.AsMentor), s.handleAnswerRequest(true)},
		{"POST /programs/{id}/requests/{request}/decline", onProgramAs(tandem.AsMentor), s.handleAnswerRequest(false)},
		{"POST /programs/{id}/requests/{request}/cancel", onProgramAs(tandem.AsMentee), s.handleCancelRequest},
		{"GET /admin/settings", admins, s.handleSettingsForm},
		{"POST /admin/settings", admins, s.handleSettings},
		// Sessions.
		{"POST /engagements/{id}/sessions", partners, s.handleScheduleMeeting},
		{"GET /engagements/{id}/sessions/{session}", seeing(tandem.FacetSessions), s.handleMeeting}, // {session}.ics downloads it
		{"POST /engagements/{id}/sessions/{session}/reschedule", partners, s.handleRescheduleMeeting()},
		{"POST /engagements/{id}/sessions/{session}/outcome", partners, s.handleRecordMeeting()},
		{"POST /engagements/{id}/sessions/{session}/notes", partners, s.handleAddNote()},
		{"POST /engagements/{id}/sessions/{session}/actions", partners, s.handleAddActionItem()},
		{"POST /engagements/{id}/sessions/{session}/actions/{item}/done", partners, s.handleActionItemDone()},
		{"POST /engagements/{id}/sessions/{session}/feedback", partners, s.handleRateMeeting()},
		{"GET /actions", signedIn, s.handleMyActionItems},
		{"GET /account/calendar", signedIn, s.handleCalendarPage},
		// Notifications: the in-app list and the email preferences.
		{"GET /notifications", signedIn, s.handleNotifications},
		{"POST /notifications/read", signedIn, s.handleMarkRead},
		{"GET /account/notifications", signedIn, s.handleNotificationSettings},
		{"POST /account/notifications", signedIn, s.handleSetNotificationSettings},
		{"POST /account/calendar", signedIn, s.handleNewCalendarLink},
		{"GET /calendar/{file}", anyone, s.handleCalendarFeed}, // no sign-in: the secret {token}.ics is the credential
		// Goals and evaluations.
		{"POST /engagements/{id}/goals", coach, s.handleSetGoal()},
		{"POST /engagements/{id}/goals/{goal}/updates", partners.onlyFor(tandem.Coaching), s.handleGoalUpdate()},
		{"POST /engagements/{id}/evaluations", coach, s.handleEvaluate()},
		{"POST /engagements/{id}/themes", partners.onlyFor(tandem.Mentoring), s.handleAddTheme()},
		{"POST /engagements/{id}/reflections", partners.onlyFor(tandem.Mentoring), s.handleReflect()},
		{"GET /admin/rubric", admins, s.handleRubricForm},
		{"POST /admin/rubric", admins, s.handleRubric},
		// Administration.
		{"GET /admin/members", admins, s.handleMembers},
		{"GET /admin/import", admins, s.handleImportForm},
		{"POST /admin/import", admins, s.handleImport},
		{"GET /admin/export.csv", admins, s.handleExport},
		{"POST /admin/invitations", programAdmins, s.handleInvite},
		{"GET /admin/invitations", admins, s.handleInvitations},
		{"POST /admin/invitations/bulk", admins, s.handleBulkInvite},
		{"GET /admin/mail", admins, s.handleMail},
		{"GET /admin/jobs", admins, s.handleJobs},
		{"POST /admin/jobs/{id}/retry", admins, s.handleRetryJob},
		// Coach Notes: public pages per organization (/o/{org-slug}/notes)
		// and their short addresses (/notes…), the feed, signed subscription
		// links; the authors' and administrators' pages.
		{"GET /notes", anyone, s.handleNotesHome}, // the short addresses lead (302) to an organization's
		{"GET /notes/feed.atom", anyone, s.handleNotesHomeFeed},
		{"GET /notes/{slug}", anyone, s.handleNotesHomeNote},
		{"GET /o/{org}/notes", anyone, s.handlePublicNotes},
		{"GET /o/{org}/notes/feed.atom", anyone, s.handleNotesFeed},
		{"GET /o/{org}/notes/{slug}", anyone, s.handlePublicNote},
		{"POST /o/{org}/notes/subscribe", anyone, s.handleSubscribe},
		{"GET /o/{org}/notes/confirm/{token}", anyone, s.handleConfirmPage}, // asks; only the POST confirms
		{"POST /o/{org}/notes/confirm", anyone, s.handleConfirmSubscription},
		{"GET /o/{org}/notes/unsubscribe/{token}", anyone, s.handleUnsubscribePage},
		{"POST /o/{org}/notes/unsubscribe/{token}", anyone, s.handleUnsubscribe}, // RFC 8058 one-click
		{"GET /articles", members, s.handleArticles},
		{"GET /articles/new", authors, s.handleNewArticle},
		{"POST /articles", authors, s.handleSaveArticle},
		{"GET /articles/{id}/edit", authors, s.handleEditArticle},
		{"POST /articles/{id}", authors, s.handleSaveArticle},
		{"POST /account/notes-subscription", signedIn, s.handleSubscribeMe},
		{"GET /admin/subscribers", admins, s.handleSubscribers},
		{"GET /admin/subscribers.csv", admins, s.handleExportSubscribers},
		{"POST /admin/subscribers/import", admins, s.handleImportSubscribers},
		{"GET /admin/digest", admins, s.handleDigests},
		{"POST /admin/digest", admins, s.handleDigestSchedule},
		// JSON API.
		{"GET /api/v1/openapi.json", anyone, s.apiOpenAPI},
		{"GET /api/v1/me", signedIn, s.apiMe},
		{"GET /api/v1/me/next", signedIn, s.apiNext},
		{"POST /api/v1/me/password", signedIn, s.apiChangePassword},
		{"GET /api/v1/members", members, s.apiMembers},
		{"GET /api/v1/tokens", signedIn, s.apiTokens},
		{"POST /api/v1/tokens", signedIn.browserOnly(), s.apiCreateToken},
		{"DELETE /api/v1/tokens/{id}", signedIn, s.apiRevokeToken},
		{"GET /api/v1/invitations", admins, s.apiInvitations},
		{"POST /api/v1/invitations", programAdmins, s.apiInvite},
		{"POST /api/v1/invitations/bulk", admins, s.apiBulkInvite},
		{"GET /api/v1/invitees", admins, s.apiInvitees},
		{"GET /api/v1/jobs", admins, s.apiJobs},
		{"POST /api/v1/jobs/{id}/retry", admins, s.apiRetryJob},
		{"GET /api/v1/people", members, s.apiPeople},
		{"GET /api/v1/people/{id}", selfOr(members), s.apiPerson},
		{"PUT /api/v1/people/{id}/profile", selfOr(admins), s.apiUpdateProfile},
		{"PUT /api/v1/people/{id}/manager", admins, s.apiSetManager},
		{"PUT /api/v1/people/{id}/role", admins, s.apiSetRole},
		{"POST /api/v1/people/{id}/deactivate", admins, s.apiDeactivate},
		{"POST /api/v1/people/{id}/reactivate", admins, s.apiReactivate},
		{"GET /api/v1/people/{id}/chain", selfOr(members), s.apiChain},
		{"GET /api/v1/people/{id}/chain/{manager}", members, s.apiInChain},
		{"POST /api/v1/people/import", admins, s.apiImport},
		{"GET /api/v1/people/export", admins, s.apiExport},
		{"GET /api/v1/skills", members, s.apiSkills},
		{"POST /api/v1/skills", admins, s.apiCreateSkill},
		{"PATCH /api/v1/skills/{id}", admins, s.apiUpdateSkill},
		{"POST /api/v1/skills/{id}/merge", admins, s.apiMergeSkill},
		// Engagements API.
		{"GET /api/v1/engagements", signedIn, s.apiEngagements},
		{"GET /api/v1/candidates", members, s.apiCandidates},
		{"POST /api/v1/engagements", members, s.apiPropose},
		{"GET /api/v1/engagements/{id}", viewers, s.apiEngagement},
		{"PUT /api/v1/engagements/{id}/agreement", partners, s.apiRevise()},
		{"POST /api/v1/engagements/{id}/responses", parties(tandem.ViewerLearner, tandem.ViewerGuide, tandem.ViewerManager), s.apiRespond()},
		{"POST /api/v1/engagements/{id}/phase", partners.onlyFor(tandem.Mentoring), s.apiSetPhase()},
		{"POST /api/v1/engagements/{id}/reversal", partners.onlyFor(tandem.Mentoring), s.apiProposeReversal()},
		{"POST /api/v1/engagements/{id}/reversal/answer", partners.onlyFor(tandem.Mentoring), s.apiAnswerReversal()},
		{"POST /api/v1/engagements/{id}/end", partners, s.apiEnd()},
		{"POST /api/v1/engagements/{id}/reviews", partners.onlyFor(tandem.Mentoring), s.apiReview()},
		{"POST /api/v1/engagements/{id}/exception", parties(tandem.ViewerAdmin).onlyFor(tandem.Mentoring), s.apiAllowException()},
		{"PUT /api/v1/engagements/{id}/share-history", parties(tandem.ViewerLearner), s.apiShareHistory()},
		{"POST /api/v1/engagements/{id}/items", partners.onlyFor(tandem.Mentoring), s.apiAddItem},
		{"POST /api/v1/engagements/{id}/items/{item}/done", partners.onlyFor(tandem.Mentoring), s.apiCompleteItem},
		{"GET /api/v1/settings", signedIn, s.apiSettings},
		// Programs API.
		{"GET /api/v1/programs", members, s.apiPrograms},
		{"POST /api/v1/programs", admins, s.apiCreateProgram},
		{"GET /api/v1/programs/{id}", onProgram(tandem.ProgramOverview), s.apiProgram},
		{"PUT /api/v1/programs/{id}", onProgram(tandem.ProgramRun), s.apiUpdateProgram},
		{"POST /api/v1/programs/{id}/state", onProgram(tandem.ProgramRun), s.apiMoveProgram},
		{"PUT /api/v1/programs/{id}/admins", onProgram(tandem.ProgramNaming), s.apiSetProgramAdmins},
		{"GET /api/v1/programs/{id}/questions", onProgram(tandem.ProgramOverview), s.apiQuestions},
		{"POST /api/v1/programs/{id}/questions", onProgram(tandem.ProgramRun), s.apiAddQuestion},
		{"PUT /api/v1/programs/{id}/questions/{question}", onProgram(tandem.ProgramRun), s.apiUpdateQuestion},
		{"DELETE /api/v1/programs/{id}/questions/{question}", onProgram(tandem.ProgramRun), s.apiDeleteQuestion},
		{"POST /api/v1/programs/{id}/application", onProgram(tandem.ProgramEnroll), s.apiApply(false)},
		{"PUT /api/v1/programs/{id}/application", onProgram(tandem.ProgramEnroll), s.apiApply(true)},
		{"DELETE /api/v1/programs/{id}/application", onProgram(tandem.ProgramEnroll), s.apiWithdraw},
		{"GET /api/v1/programs/{id}/applications", onProgram(tandem.ProgramRun), s.apiApplications},
		{"POST /api/v1/programs/{id}/applications/{application}/decision", onProgram(tandem.ProgramRun), s.apiDecide},
		{"GET /api/v1/programs/{id}/runs", onProgram(tandem.ProgramRun), s.apiRuns},
		{"POST /api/v1/programs/{id}/runs", onProgram(tandem.ProgramRun), s.apiStartRun},
		{"GET /api/v1/programs/{id}/runs/{run}", onProgram(tandem.ProgramRun), s.apiRun},
		{"GET /api/v1/programs/{id}/runs/{run}/compare", onProgram(tandem.ProgramRun), s.apiCompareRuns},
		{"POST /api/v1/programs/{id}/runs/{run}/publish", onProgram(tandem.ProgramRun), s.apiPublishRun},
		{"GET /api/v1/programs/{id}/rules", onProgram(tandem.ProgramRun), s.apiPairRules},
		{"POST /api/v1/programs/{id}/rules", onProgram(tandem.ProgramRun), s.apiSetPairRule},
		{"DELETE /api/v1/programs/{id}/rules/{mentee}/{mentor}", onProgram(tandem.ProgramRun), s.apiDeletePairRule},
		{"GET /api/v1/programs/{id}/invitations", onProgram(tandem.ProgramRun), s.apiProgramInvitations},
		{"POST /api/v1/programs/{id}/invitations", onProgram(tandem.ProgramRun), s.apiProgramInvite},
		{"POST /api/v1/programs/{id}/invitations/remind", onProgram(tandem.ProgramRun), s.apiProgramRemind},
		{"POST /api/v1/programs/{id}/invitation/decline", onProgram(tandem.ProgramOverview), s.apiDeclineInvitation},
		{"GET /api/v1/programs/{id}/matching", onProgram(tandem.ProgramOverview), s.apiMatchingMode},
		{"PUT /api/v1/programs/{id}/matching", onProgram(tandem.ProgramRun), s.apiSetMatchingMode},
		{"GET /api/v1/programs/{id}/suggestions", onProgramAs(tandem.AsMentee), s.apiSuggestions},
		{"GET /api/v1/programs/{id}/requests", onProgramAs(tandem.AsMentee, tandem.AsMentor), s.apiMentorRequests},
		{"GET /api/v1/programs/{id}/request-statuses", onProgram(tandem.ProgramRun), s.apiProgramRequestStatuses},
		{"GET /api/v1/programs/{id}/partnerships", onProgram(tandem.ProgramRun), s.apiProgramPartnerships},
		{"POST /api/v1/programs/{id}/requests", onProgramAs(tandem.AsMentee), s.apiAskMentor},
		{"POST /api/v1/programs/{id}/requests/{request}/accept", onProgramAs(tandem.AsMentor), s.apiAnswerRequest(true)},
		{"POST /api/v1/programs/{id}/requests/{request}/decline", onProgramAs(tandem.AsMentor), s.apiAnswerRequest(false)},
		{"POST /api/v1/programs/{id}/requests/{request}/cancel", onProgramAs(tandem.AsMentee), s.apiCancelRequest},
		{"PUT /api/v1/settings", admins, s.apiSetSettings},
		// Sessions API.
		{"GET /api/v1/engagements/{id}/sessions", viewers, s.apiMeetings},
		{"POST /api/v1/engagements/{id}/sessions", partners, s.apiScheduleMeeting},
		{"GET /api/v1/engagements/{id}/sessions/{session}", seeing(tandem.FacetSessions), s.apiMeeting},
		{"PUT /api/v1/engagements/{id}/sessions/{session}", partners, s.apiRescheduleMeeting},
		{"POST /api/v1/engagements/{id}/sessions/{session}/outcome", partners, s.apiRecordMeeting},
		{"POST /api/v1/engagements/{id}/sessions/{session}/notes", partners, s.apiAddNote},
		{"POST /api/v1/engagements/{id}/sessions/{session}/action-items", partners, s.apiAddActionItem},
		{"POST /api/v1/engagements/{id}/sessions/{session}/action-items/{item}/done", partners, s.apiCompleteActionItem},
		{"PUT /api/v1/engagements/{id}/sessions/{session}/feedback", partners, s.apiRateMeeting},
		{"GET /api/v1/me/action-items", signedIn, s.apiMyActionItems},
		{"POST /api/v1/me/calendar", signedIn, s.apiNewCalendar},
		{"GET /api/v1/me/notifications", signedIn, s.apiNotifications},
		{"POST /api/v1/me/notifications/read", signedIn, s.apiMarkRead},
		{"GET /api/v1/me/notification-settings", signedIn, s.apiNotificationSettings},
		{"PUT /api/v1/me/notification-settings", signedIn, s.apiSetNotificationSettings},
		// Goals API.
		{"GET /api/v1/engagements/{id}/goals", viewers, s.apiGoals},
		{"POST /api/v1/engagements/{id}/goals", coach, s.apiSetGoal()},
		{"POST /api/v1/engagements/{id}/goals/{goal}/updates", partners.onlyFor(tandem.Coaching), s.apiUpdateGoal()},
		{"POST /api/v1/engagements/{id}/evaluations", coach, s.apiEvaluate()},
		{"POST /api/v1/engagements/{id}/themes", partners.onlyFor(tandem.Mentoring), s.apiAddTheme()},
		{"POST /api/v1/engagements/{id}/reflections", partners.onlyFor(tandem.Mentoring), s.apiReflect()},
		{"GET /api/v1/rubric", signedIn, s.apiRubric},
		{"PUT /api/v1/rubric", admins, s.apiSetRubric},
		// Coach Notes API.
		{"GET /api/v1/articles", members, s.apiArticles},
		{"POST /api/v1/articles", authors, s.apiSaveArticle},
		{"GET /api/v1/articles/{id}", members, s.apiArticle},
		{"PUT /api/v1/articles/{id}", authors, s.apiSaveArticle},
		{"POST /api/v1/me/notes-subscription", signedIn, s.apiSubscribeMe},
		{"GET /api/v1/subscribers/export", admins, s.apiExportSubscribers},
		{"POST /api/v1/subscribers/import", admins, s.apiImportSubscribers},
		{"GET /api/v1/digests", admins, s.apiDigests},
		{"GET /api/v1/digest-schedule", admins, s.apiDigestSchedule},
		{"PUT /api/v1/digest-schedule", admins, s.apiSetDigestSchedule},
		{"/api/", anyone, s.apiNotFound},
		{"/", anyone, s.handleNotFound},
	}
}

// isAPI reports whether a route pattern is part of the JSON API.
func isAPI(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " /")
	if path == "" {
		path = strings.TrimPrefix(pattern, "/")
	}
	return strings.HasPrefix(path, "api/")
}

// routes registers the route table, each route behind the sign-in check
// its declaration needs: a page sends an anonymous visitor to sign in, the
// API answers 401. Who may do what beyond signing in is decided in app.
func (s *Server) routes() (http.Handler, error) {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		h := rt.handler
		switch {
		case rt.who.kind == undeclared:
			return nil, fmt.Errorf("route %q: declare who may call it", rt.pattern)
		case rt.who.public():
		case isAPI(rt.pattern):
			h = s.apiAuth(h)
		default:
			h = s.requireSignIn(h)
		}
		mux.HandleFunc(rt.pattern, h)
	}

	// Outermost first: observe every request, refuse cross-origin writes
	// before anything reads the body, then limit, secure and authenticate.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.handleCrossOrigin))
	return s.observe(csrf.Handler(limitBody(secureHeaders(s.authenticate(mux))))), nil
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

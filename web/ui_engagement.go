package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

type engagementsPage struct {
	Page
	Coaching  []tandem.Engagement
	Mentoring []tandem.Engagement
	All       bool // the organization-wide list of a program admin or administrator
	Me        int64
	// Stalled marks active engagements without a held session for the
	// organization's stalled_days.
	Stalled map[int64]bool
}

func (s *Server) handleEngagements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.URL.Query().Get("all") != "" {
		s.handleAllEngagements(w, r)
		return
	}
	p := &engagementsPage{Page: Page{Title: "My engagements", Nav: "engagements"}, Me: tandem.ActorFrom(ctx).Person.ID}
	list, err := s.app.MyEngagements(ctx)
	if err == nil {
		p.Stalled, err = s.app.StalledEngagements(ctx, list)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, e := range list {
		if e.Kind == tandem.Coaching {
			p.Coaching = append(p.Coaching, e)
		} else {
			p.Mentoring = append(p.Mentoring, e)
		}
	}
	s.render(w, r, http.StatusOK, "engagements", p)
}

// engagementForm is the proposal form and the agreement revision form.
type engagementForm struct {
	Page
	Form       Form
	Kind       tandem.Kind
	Skills     []tandem.Skill
	Areas      []tandem.Area
	Engagement *tandem.Engagement // set when revising
	IsAdminMe  bool
}

// HasArea reports whether the form has the area ticked (all by default).
func (f *engagementForm) HasArea(a tandem.Area) bool {
	if f.Form.Values == nil || !f.Form.Values.Has("areas_sent") {
		return true
	}
	for _, v := range f.Form.Values["areas"] {
		if v == string(a) {
			return true
		}
	}
	return false
}

func (s *Server) showEngagementForm(w http.ResponseWriter, r *http.Request, status int, kind tandem.Kind, e *tandem.Engagement, form Form) {
	active, err := s.app.SkillChoices(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	title := "Propose a " + strings.ToLower(kind.Label())
	if e != nil {
		title = "Change the agreement"
	}
	s.render(w, r, status, "engagement_form", &engagementForm{Page: Page{Title: title, Nav: "engagements"}, Form: form, Kind: kind,
		Skills: active, Areas: tandem.Areas, Engagement: e, IsAdminMe: tandem.ActorFrom(r.Context()).Person.IsAdmin()})
}

func (s *Server) handleNewEngagement(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckPropose(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	kind := tandem.Kind(r.URL.Query().Get("kind"))
	if kind != tandem.Coaching {
		kind = tandem.Mentoring
	}
	act := tandem.ActorFrom(r.Context())
	// The picker's page comes back here with the people (and skill) chosen.
	q := r.URL.Query()
	v := url.Values{"learner_email": {act.Person.Email}, "guide_email": {q.Get("guide")}, "skill": {q.Get("skill")}}
	if l := q.Get("learner"); l != "" {
		v.Set("learner_email", l)
	}
	if kind == tandem.Mentoring {
		v.Set("cadence", "Once a month, an hour")
		v.Set("exit_terms", "Either of us may close the partnership at a review point or after a conversation, without fault.")
	} else {
		v.Set("cadence", "Every two weeks, 45 minutes")
		v.Set("exit_terms", "Either of us may end the engagement early after a conversation, without fault.")
	}
	v.Set("confidentiality", "What we discuss stays between us; outcomes may be shared with the manager.")
	s.showEngagementForm(w, r, http.StatusOK, kind, nil, Form{Values: v})
}

// agreementFromForm reads the agreement fields shared by both forms, with
// field errors for dates it cannot read.
func agreementFromForm(v url.Values) (tandem.Agreement, tandem.FieldErrors) {
	a := tandem.Agreement{
		Outcomes: strings.Split(v.Get("outcomes"), "\n"), Cadence: v.Get("cadence"), Channels: v.Get("channels"),
		Confidentiality: v.Get("confidentiality"), ReviewMethod: v.Get("review_method"), ExitTerms: v.Get("exit_terms"),
		EvaluationMethod: v.Get("evaluation_method"),
	}
	var fe tandem.FieldErrors
	for _, f := range []struct {
		name string
		dst  *tandem.Date
	}{{"start", &a.Start}, {"end", &a.End}} {
		if raw := strings.TrimSpace(v.Get(f.name)); raw != "" {
			d, ok := tandem.ParseDate(raw)
			if !ok {
				fe.Add(f.name, "Enter a date as YYYY-MM-DD.")
			}
			*f.dst = d
		}
	}
	return a, fe
}

func (s *Server) handleProposeEngagement(w http.ResponseWriter, r *http.Request) {
	// A guest would otherwise get the form back with field errors (422)
	// instead of the refusal.
	if err := s.app.CheckPropose(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	v := r.PostForm
	kind := tandem.Kind(v.Get("kind"))
	ag, fe := agreementFromForm(v)
	p := tandem.Proposal{Kind: kind, Setting: v.Get("setting"), ShareHistory: v.Get("share_history") != "", Agreement: ag}
	p.SkillID, _ = strconv.ParseInt(v.Get("skill"), 10, 64)
	for _, a := range v["areas"] {
		p.Areas = append(p.Areas, tandem.Area(a))
	}
	if v.Has("areas_sent") && len(p.Areas) == 0 && kind == tandem.Mentoring {
		s.showEngagementForm(w, r, http.StatusUnprocessableEntity, kind, nil, formFrom(r, &tandem.Error{Code: tandem.EINVALID,
			Message: "Choose at least one development area.", Fields: map[string]string{"areas": "Choose at least one area."}}))
		return
	}
	var err error
	if p.LearnerID, err = s.app.PersonIDByEmail(ctx, v.Get("learner_email"), "learner_email"); err != nil {
		fe = mergeFields(fe, err)
	}
	if p.GuideID, err = s.app.PersonIDByEmail(ctx, v.Get("guide_email"), "guide_email"); err != nil {
		fe = mergeFields(fe, err)
	}
	if err := fe.Err(); err != nil {
		if !isInput(err) {
			s.serverError(w, r, err)
			return
		}
		s.showEngagementForm(w, r, http.StatusUnprocessableEntity, kind, nil, formFrom(r, err))
		return
	}
	e, err := s.app.Propose(ctx, p, v.Get("exception"))
	if err != nil {
		if !isInput(err) {
			s.serverError(w, r, err)
			return
		}
		s.showEngagementForm(w, r, s.status(r, err), kind, nil, formFrom(r, renameFields(err)))
		return
	}
	msg := "Proposed. Each party now reads the agreement and agrees or asks for changes."
	if e.PartyOf(tandem.ActorFrom(ctx).Person.ID) != "" {
		msg = "Proposed, and agreed by you: proposing is agreeing to version 1. The other parties now read it and agree or ask for changes."
	}
	s.redirect(w, r, fmt.Sprintf("/engagements/%d", e.ID), msg)
}

// mergeFields adds err's field errors to fe; a non-field error is kept
// under the empty field so it is not lost.
func mergeFields(fe tandem.FieldErrors, err error) tandem.FieldErrors {
	fields := tandem.ErrorFields(err)
	if len(fields) == 0 {
		fe.Add("", tandem.ErrorMessage(err))
	}
	for k, v := range fields {
		fe.Add(k, v)
	}
	return fe
}

// renameFields maps the use case's field names to the form's (the form
// picks people by email).
func renameFields(err error) error {
	fields := tandem.ErrorFields(err)
	if fields == nil {
		return err
	}
	out := map[string]string{}
	for k, v := range fields {
		switch k {
		case "learner":
			k = "learner_email"
		case "guide":
			k = "guide_email"
		}
		out[k] = v
	}
	return &tandem.Error{Code: tandem.ErrorCode(err), Message: tandem.ErrorMessage(err), Fields: out}
}

func isInput(err error) bool {
	switch tandem.ErrorCode(err) {
	case tandem.EINVALID, tandem.ECONFLICT:
		return true
	}
	return false
}

// engagementPage is the page of one engagement.
type engagementPage struct {
	Page
	*app.EngagementView
	Form    Form
	FormFor string // which form on the page the errors belong to
	Me      int64
	Phases  []tandem.Phase
	Today   tandem.Date
	now     time.Time
	// Sessions is the sessions section (eng_sessions.html).
	Sessions *sessionsSection
	// Goals is the goals and evaluations, or themes and reflections,
	// section (eng_goals.html).
	Goals *app.GoalsView
	// Tab is the part of the engagement shown: "" for the overview, or
	// one of engagementTabs, or "end" for the confirmation step of ending.
	Tab string
}

// engagementTabs are the parts of an engagement page, each its own URL
// (/engagements/{id}?tab=…), so the page reads in a minute and works
// without JavaScript.
var engagementTabs = []string{"", "sessions", "goals", "agreement", "timeline"}

// formTab names the tab that holds each form of the engagement page: a
// form's errors are shown there, and after it succeeds the person lands
// there again.
var formTab = map[string]string{
	"respond": "agreement", "phase": "agreement", "review": "agreement", "reversal": "agreement",
	"sessions": "sessions",
	"goal":     "goals", "goal_update": "goals", "evaluate": "goals", "theme": "goals", "reflect": "goals", "items": "goals",
	"end": "end",
}

// tabURL is the address of one tab of an engagement.
func tabURL(id int64, tab string) string {
	if tab == "" {
		return fmt.Sprintf("/engagements/%d", id)
	}
	return fmt.Sprintf("/engagements/%d?tab=%s", id, tab)
}

// TabLink is one entry of the engagement page's tab bar.
type TabLink struct {
	Tab, Label, URL string
	Current         bool
}

// Tabs lists the tabs the viewer may open, the current one marked.
func (p *engagementPage) Tabs() []TabLink {
	e := p.Engagement
	var out []TabLink
	for _, t := range engagementTabs {
		label := ""
		switch t {
		case "":
			label = "Overview"
		case "sessions":
			if p.Sessions == nil || !p.Sessions.Visible {
				continue
			}
			label = "Sessions"
		case "goals":
			if e.Kind == tandem.Coaching {
				if !p.Goals.SeeGoals && !p.Goals.SeeEvaluations {
					continue
				}
				label = "Goals and evaluations"
			} else {
				if !p.Goals.SeeGoals && !p.Goals.SeeReflections && !p.See(tandem.FacetAgenda) {
					continue
				}
				label = "Agenda, themes and reflections"
			}
		case "agreement":
			if p.Current() == nil && !p.CanMovePhase && !p.CanReview && !p.CanReverse {
				continue
			}
			label = "Agreement"
		case "timeline":
			label = "Timeline"
		}
		out = append(out, TabLink{Tab: t, Label: label, URL: tabURL(e.ID, t), Current: t == p.Tab})
	}
	return out
}

// NextSession returns the first scheduled session still ahead, or nil.
func (p *engagementPage) NextSession() *tandem.Meeting {
	if p.Sessions == nil {
		return nil
	}
	now := p.now
	var next *tandem.Meeting
	for i := range p.Sessions.Meetings {
		m := &p.Sessions.Meetings[i]
		if m.Status == tandem.MeetingScheduled && m.End().After(now) && (next == nil || m.Start.Before(next.Start)) {
			next = m
		}
	}
	return next
}

// engagementID reads the {id} of an engagement route.
func engagementID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (s *Server) showEngagement(w http.ResponseWriter, r *http.Request, status int, form Form, formFor string) {
	tab := r.URL.Query().Get("tab")
	if formFor != "" {
		tab = formTab[formFor]
	}
	if tab != "end" && !slices.Contains(engagementTabs, tab) {
		tab = ""
	}
	p, err := s.app.EngagementPage(r.Context(), engagementID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := p.EngagementView
	s.render(w, r, status, "engagement", &engagementPage{Page: Page{Title: v.Engagement.Title(), Nav: "engagements"}, EngagementView: v,
		Form: form, FormFor: formFor, Me: tandem.ActorFrom(r.Context()).Person.ID, Phases: tandem.Phases, Today: s.app.Today(r.Context()),
		Sessions: &sessionsSection{MeetingsView: p.Meetings, zoned: zoned{p.Meetings.Location}}, Goals: p.Goals, Tab: tab, now: s.app.Now()})
}

func (s *Server) handleEngagement(w http.ResponseWriter, r *http.Request) {
	s.showEngagement(w, r, http.StatusOK, Form{}, "")
}

// engagementAction runs one change from a form on the engagement page and
// shows the page again: with the form's errors beside it, or with a
// message after a redirect.
func (s *Server) engagementAction(formName, done string, fn func(r *http.Request, id int64) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.serverError(w, r, err)
			return
		}
		id := engagementID(r)
		err := fn(r, id)
		switch {
		case err == nil:
			tab := formTab[formName]
			if tab == "end" {
				tab = ""
			}
			s.redirect(w, r, tabURL(id, tab), done)
		case isInput(err):
			s.showEngagement(w, r, s.status(r, err), formFrom(r, err), formName)
		default:
			s.serverError(w, r, err)
		}
	}
}

func (s *Server) handleRespond() http.HandlerFunc {
	return s.engagementAction("respond", "Your answer is recorded.", func(r *http.Request, id int64) error {
		version, _ := strconv.Atoi(r.PostForm.Get("version"))
		_, err := s.app.Respond(r.Context(), id, version, r.PostForm.Get("answer") == "agree", r.PostForm.Get("comment"))
		return err
	})
}

func (s *Server) handleReviseForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Engagement(r.Context(), engagementID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !v.CanRevise {
		s.serverError(w, r, tandem.Errorf(tandem.EFORBIDDEN, "The two partners change the agreement while the engagement is open."))
		return
	}
	cur := v.Current()
	f := url.Values{"outcomes": {strings.Join(cur.Outcomes, "\n")}, "cadence": {cur.Cadence}, "channels": {cur.Channels},
		"confidentiality": {cur.Confidentiality}, "review_method": {cur.ReviewMethod}, "exit_terms": {cur.ExitTerms},
		"evaluation_method": {cur.EvaluationMethod}, "start": {string(cur.Start)}, "end": {string(cur.End)}}
	s.showEngagementForm(w, r, http.StatusOK, v.Engagement.Kind, v.Engagement, Form{Values: f})
}

func (s *Server) handleRevise(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	id := engagementID(r)
	a, fe := agreementFromForm(r.PostForm)
	err := fe.Err()
	var e *tandem.Engagement
	if err == nil {
		e, err = s.app.Revise(ctx, id, a)
	}
	if err != nil {
		if !isInput(err) {
			s.serverError(w, r, err)
			return
		}
		v, verr := s.app.Engagement(ctx, id)
		if verr != nil {
			s.serverError(w, r, verr)
			return
		}
		s.showEngagementForm(w, r, s.status(r, err), v.Engagement.Kind, v.Engagement, formFrom(r, err))
		return
	}
	s.redirect(w, r, fmt.Sprintf("/engagements/%d", e.ID), fmt.Sprintf("Version %d of the agreement is written, and agreed by you; the other parties agree to it again.", e.CurrentVersion))
}

func (s *Server) handlePhase() http.HandlerFunc {
	return s.engagementAction("phase", "Phase changed.", func(r *http.Request, id int64) error {
		_, err := s.app.SetPhase(r.Context(), id, tandem.Phase(r.PostForm.Get("phase")), r.PostForm.Get("note"))
		return err
	})
}

func (s *Server) handleReversal() http.HandlerFunc {
	return s.engagementAction("reversal", "Role reversal proposed; your partner can accept or decline it.", func(r *http.Request, id int64) error {
		_, err := s.app.ProposeReversal(r.Context(), id, r.PostForm.Get("note"))
		return err
	})
}

func (s *Server) handleReversalAnswer() http.HandlerFunc {
	return s.engagementAction("reversal", "Answer recorded.", func(r *http.Request, id int64) error {
		_, err := s.app.AnswerReversal(r.Context(), id, r.PostForm.Get("answer") == "accept")
		return err
	})
}

func (s *Server) handleEnd() http.HandlerFunc {
	return s.engagementAction("end", "Ended. The engagement stays readable.", func(r *http.Request, id int64) error {
		_, err := s.app.End(r.Context(), id, r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) handleReview() http.HandlerFunc {
	return s.engagementAction("review", "Review recorded.", func(r *http.Request, id int64) error {
		_, err := s.app.Review(r.Context(), id, tandem.ReviewDecision(r.PostForm.Get("decision")), r.PostForm.Get("note"))
		return err
	})
}

func (s *Server) handleException() http.HandlerFunc {
	return s.engagementAction("exception", "Exception recorded; it shows on the partnership.", func(r *http.Request, id int64) error {
		_, err := s.app.AllowException(r.Context(), id, r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) handleShareHistory() http.HandlerFunc {
	return s.engagementAction("share", "Saved.", func(r *http.Request, id int64) error {
		_, err := s.app.SetShareHistory(r.Context(), id, r.PostForm.Get("share") == "1")
		return err
	})
}

func (s *Server) handleAddItem() http.HandlerFunc {
	return s.engagementAction("items", "Added.", func(r *http.Request, id int64) error {
		_, err := s.app.AddItem(r.Context(), id, r.PostForm.Get("kind") == "learned", r.PostForm.Get("body"))
		return err
	})
}

func (s *Server) handleItemDone() http.HandlerFunc {
	return s.engagementAction("items", "Done.", func(r *http.Request, id int64) error {
		item, _ := strconv.ParseInt(r.PathValue("item"), 10, 64)
		return s.app.CompleteItem(r.Context(), id, item)
	})
}

type settingsPage struct {
	Page
	Form Form
}

func (s *Server) handleSettingsForm(w http.ResponseWriter, r *http.Request) {
	st, err := s.app.Settings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !tandem.ActorFrom(r.Context()).Person.IsAdmin() {
		s.serverError(w, r, tandem.Errorf(tandem.EFORBIDDEN, "Only administrators change the organization's rules."))
		return
	}
	v := url.Values{"coaching_max_months": {strconv.Itoa(st.CoachingMaxMonths)}, "review_months": {strconv.Itoa(st.ReviewMonths)},
		"stalled_days": {strconv.Itoa(st.StalledDays)}}
	if st.MentoringManagerOptional {
		v.Set("mentoring_manager_optional", "1")
	}
	s.render(w, r, http.StatusOK, "settings", &settingsPage{Page: Page{Title: "Engagement rules", Nav: "admin"}, Form: Form{Values: v}})
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	v := r.PostForm
	var st tandem.Settings
	var fe tandem.FieldErrors
	for _, f := range []struct {
		name string
		dst  *int
	}{{"coaching_max_months", &st.CoachingMaxMonths}, {"review_months", &st.ReviewMonths}, {"stalled_days", &st.StalledDays}} {
		n, err := strconv.Atoi(strings.TrimSpace(v.Get(f.name)))
		if err != nil {
			fe.Add(f.name, "Enter a whole number.")
		}
		*f.dst = n
	}
	st.MentoringManagerOptional = v.Get("mentoring_manager_optional") != ""
	err := fe.Err()
	if err == nil {
		err = s.app.SetSettings(r.Context(), st)
	}
	switch {
	case err == nil:
		s.redirect(w, r, "/admin/settings", "Rules saved.")
	case isInput(err):
		s.render(w, r, s.status(r, err), "settings", &settingsPage{Page: Page{Title: "Engagement rules", Nav: "admin"}, Form: formFrom(r, err)})
	default:
		s.serverError(w, r, err)
	}
}

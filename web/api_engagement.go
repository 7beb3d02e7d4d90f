package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// The engagements API. What each viewer of an engagement receives from
// GET /api/v1/engagements/{id} is the visibility matrix of the domain
// (visibility.go, tandem.Can) written as JSON members:
//
//	member of the answer       learner guide manager        successor program-admin admin other
//	status, dates, parties       yes    yes    yes            yes         yes        yes   404
//	"agreement" (versions,       yes    yes    yes            yes         -          -     404
//	  responses), "waiting_for"
//	"timeline"                   all events   agreement and status events  status only     404
//	"phase" (where a mentoring   yes    yes    yes            yes         yes        yes   404
//	  partnership is now)
//	phase history:               mentoring    -              -           -          -     404
//	  "reversal_by", phase events
//	"end_reason" (the words of   yes    yes    yes            yes         -          -     404
//	  whoever ended it)
//	"agenda" (agenda items       mentoring    -              -           -          -     404
//	  and learnings)
//	sessions, notes, action      GET /api/v1/engagements/{id}/sessions (api_meeting.go):
//	  items, ratings               private notes the author only, shared notes and action items partners only
//	goals, evaluations,          GET /api/v1/engagements/{id}/goals (api_goal.go): coaching goals and
//	  themes, reflections          evaluations partners, manager and successor; mentoring themes and
//	                               reflections partners only
//
// A hidden member is left out of the answer, never sent empty, so a client
// tells "you may not see this" from "there is nothing yet". Someone who is
// not part of an engagement gets 404 for it and for every action on it,
// the same answer as for an id that does not exist, so its existence does
// not leak. Lists (GET /api/v1/engagements) carry status, dates and
// parties only. The rules themselves live in app; this file only maps
// them to JSON.

// engagementJSON is what every viewer who may see an engagement sees: its
// status, dates and parties.
type engagementJSON struct {
	ID              int64    `json:"id"`
	Kind            string   `json:"kind"`
	Status          string   `json:"status"`
	Title           string   `json:"title"`
	Learner         refJSON  `json:"learner"`
	Guide           refJSON  `json:"guide"`
	Manager         *refJSON `json:"manager"` // null when the learner has none
	ManagerRequired bool     `json:"manager_required"`
	// Coaching.
	SkillID      int64  `json:"skill_id,omitempty"`
	Skill        string `json:"skill,omitempty"`
	Setting      string `json:"setting,omitempty"`
	Start        string `json:"start,omitempty"`
	End          string `json:"end,omitempty"`
	PreviousID   int64  `json:"previous_id,omitempty"`
	ShareHistory bool   `json:"share_history"`
	// ProgramID is the program that proposed the partnership.
	ProgramID int64 `json:"program_id,omitempty"`
	// Mentoring. The current phase is status (program dashboards count
	// partnerships by phase); ReversalBy is phase history, left out for
	// viewers who may not see it.
	Areas        []string `json:"areas,omitempty"`
	Phase        string   `json:"phase,omitempty"`
	ReviewMonths int      `json:"review_months,omitempty"`
	NextReview   string   `json:"next_review,omitempty"`
	ReversalBy   int64    `json:"reversal_by,omitempty"`
	Exception    string   `json:"exception,omitempty"`
	ExceptionBy  *refJSON `json:"exception_by,omitempty"`
	// InChain: the partners are in one management chain in the org chart
	// as it stands; without an exception new work waits.
	InChain bool `json:"in_chain"`

	CurrentVersion int        `json:"current_version"`
	AgreedVersion  int        `json:"agreed_version"`
	CreatedAt      time.Time  `json:"created_at"`
	ActivatedAt    *time.Time `json:"activated_at"`
	EndedOn        string     `json:"ended_on,omitempty"`
	EndReason      string     `json:"end_reason,omitempty"`
	EndedBy        *refJSON   `json:"ended_by,omitempty"`
	// Stalled is set in lists: active without a held session for the
	// organization's stalled_days.
	Stalled bool `json:"stalled"`
}

func toRefJSON(p tandem.PersonRef) refJSON {
	return refJSON{ID: p.ID, Name: p.Name, Email: p.Email, Title: p.Title}
}

func optRef(p tandem.PersonRef) *refJSON {
	if p.ID == 0 {
		return nil
	}
	r := toRefJSON(p)
	return &r
}

// toEngagementJSON writes the engagement's status, dates and parties, and
// what else of the engagement itself the viewer may see.
func toEngagementJSON(e *tandem.Engagement, v tandem.Viewer) engagementJSON {
	out := engagementJSON{ID: e.ID, Kind: string(e.Kind), Status: string(e.Status), Title: e.Title(),
		Learner: toRefJSON(e.Learner), Guide: toRefJSON(e.Guide), Manager: optRef(e.Manager), ManagerRequired: e.ManagerRequired,
		SkillID: e.SkillID, Skill: e.SkillName, Setting: e.Setting, Start: string(e.Start), End: string(e.End),
		PreviousID: e.PreviousID, ShareHistory: e.ShareHistory,
		ReviewMonths: e.ReviewMonths, NextReview: string(e.NextReview), Exception: e.Exception, ExceptionBy: optRef(e.ExceptionBy), InChain: e.InChain,
		CurrentVersion: e.CurrentVersion, AgreedVersion: e.AgreedVersion, CreatedAt: e.CreatedAt, ActivatedAt: e.ActivatedAt,
		EndedOn: string(e.EndedOn), EndedBy: optRef(e.EndedBy), Phase: string(e.Phase), ProgramID: e.ProgramID}
	for _, a := range e.Areas {
		out.Areas = append(out.Areas, string(a))
	}
	if tandem.Can(e.Kind, v, tandem.FacetPhaseHistory) {
		out.ReversalBy = e.ReversalBy
	}
	if tandem.Can(e.Kind, v, tandem.FacetAgreement) {
		out.EndReason = e.EndReason
	}
	return out
}

// nameJSON names who wrote or did something.
type nameJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type agreementJSON struct {
	Version          int       `json:"version"`
	Outcomes         []string  `json:"outcomes"`
	Cadence          string    `json:"cadence"`
	Channels         string    `json:"channels"`
	Confidentiality  string    `json:"confidentiality"`
	ReviewMethod     string    `json:"review_method"`
	ExitTerms        string    `json:"exit_terms"`
	SkillID          int64     `json:"skill_id,omitempty"`
	Skill            string    `json:"skill,omitempty"`
	Start            string    `json:"start,omitempty"`
	End              string    `json:"end,omitempty"`
	EvaluationMethod string    `json:"evaluation_method,omitempty"`
	CreatedBy        nameJSON  `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
}

type responseJSON struct {
	Version int       `json:"version"`
	Person  nameJSON  `json:"person"`
	Party   string    `json:"party"`
	Agreed  bool      `json:"agreed"`
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}

func toResponseJSON(r *tandem.Response) responseJSON {
	return responseJSON{Version: r.Version, Person: nameJSON{r.PersonID, r.PersonName}, Party: string(r.Party), Agreed: r.Agreed, Comment: r.Comment, At: r.At}
}

// agreementFacetJSON is the agreement facet: every version and every
// answer, oldest first.
type agreementFacetJSON struct {
	Versions  []agreementJSON `json:"versions"`
	Responses []responseJSON  `json:"responses"`
}

type eventJSON struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  nameJSON  `json:"actor"`
	Type   string    `json:"type"`
	Facet  string    `json:"facet"`
	Detail string    `json:"detail"`
	Note   string    `json:"note"`
}

type itemJSON struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"` // agenda or learned
	Author    nameJSON   `json:"author"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	DoneAt    *time.Time `json:"done_at"`
}

func toItemJSON(it *tandem.Item) itemJSON {
	kind := "agenda"
	if it.Learned {
		kind = "learned"
	}
	return itemJSON{ID: it.ID, Kind: kind, Author: nameJSON{it.Author.ID, it.Author.Name}, Body: it.Body, CreatedAt: it.CreatedAt, DoneAt: it.DoneAt}
}

// actionsJSON is what the viewer may do now, so clients show only the
// actions that will be accepted.
type actionsJSON struct {
	Revise         bool `json:"revise"`
	Respond        bool `json:"respond"`
	End            bool `json:"end"`
	MovePhase      bool `json:"move_phase"`
	Reverse        bool `json:"reverse"`
	AnswerReversal bool `json:"answer_reversal"`
	Review         bool `json:"review"`
	AllowException bool `json:"allow_exception"`
	ShareHistory   bool `json:"share_history"`
	AddItems       bool `json:"add_items"`
}

// engagementViewJSON is an engagement as one viewer may see it. The facet
// members are pointers so that a hidden facet is left out while a visible,
// empty one is sent as [].
type engagementViewJSON struct {
	engagementJSON
	Viewer     string              `json:"viewer"`
	Agreement  *agreementFacetJSON `json:"agreement,omitempty"`
	WaitingFor *[]string           `json:"waiting_for,omitempty"`
	MyResponse *responseJSON       `json:"my_response,omitempty"`
	Timeline   []eventJSON         `json:"timeline"`
	Agenda     *[]itemJSON         `json:"agenda,omitempty"`
	Previous   *engagementJSON     `json:"previous,omitempty"`
	ReviewDue  bool                `json:"review_due"`
	Actions    actionsJSON         `json:"actions"`
}

func toViewJSON(v *app.EngagementView) engagementViewJSON {
	e := v.Engagement
	out := engagementViewJSON{engagementJSON: toEngagementJSON(e, v.Viewer),
		Viewer: string(v.Viewer), Timeline: []eventJSON{}, ReviewDue: v.ReviewDue,
		Actions: actionsJSON{Revise: v.CanRevise, Respond: v.CanRespond, End: v.CanEnd, MovePhase: v.CanMovePhase,
			Reverse: v.CanReverse, AnswerReversal: v.CanAnswerReversal, Review: v.CanReview,
			AllowException: v.CanAllowException, ShareHistory: v.CanShareHistory, AddItems: v.CanAddItems}}
	// Decided by the matrix, not by whether app returned rows: a viewer
	// who may see the agreement always gets the member.
	if v.See(tandem.FacetAgreement) {
		f := &agreementFacetJSON{Versions: []agreementJSON{}, Responses: []responseJSON{}}
		for _, a := range v.Versions {
			f.Versions = append(f.Versions, agreementJSON{Version: a.Version, Outcomes: orEmpty(a.Outcomes), Cadence: a.Cadence,
				Channels: a.Channels, Confidentiality: a.Confidentiality, ReviewMethod: a.ReviewMethod, ExitTerms: a.ExitTerms,
				SkillID: a.SkillID, Skill: a.SkillName, Start: string(a.Start), End: string(a.End), EvaluationMethod: a.EvaluationMethod,
				CreatedBy: nameJSON{a.CreatedBy, a.CreatedByName}, CreatedAt: a.CreatedAt})
		}
		for i := range v.Responses {
			f.Responses = append(f.Responses, toResponseJSON(&v.Responses[i]))
		}
		out.Agreement = f
		// Waiting is computed from the responses, so it is only true for
		// a viewer who was given them.
		w := orEmpty(v.Waiting())
		out.WaitingFor = &w
		if v.MyResponse != nil {
			r := toResponseJSON(v.MyResponse)
			out.MyResponse = &r
		}
	}
	for _, ev := range v.Events {
		out.Timeline = append(out.Timeline, eventJSON{ID: ev.ID, At: ev.At, Actor: nameJSON{ev.Actor.ID, ev.Actor.Name},
			Type: string(ev.Type), Facet: string(ev.Type.Facet()), Detail: ev.Detail, Note: ev.Note})
	}
	if v.See(tandem.FacetAgenda) {
		items := []itemJSON{}
		for i := range v.Items {
			items = append(items, toItemJSON(&v.Items[i]))
		}
		out.Agenda = &items
	}
	if v.Previous != nil {
		// app only sets Previous when the viewer may see that engagement;
		// its conversation stays on its own page.
		// The summary carries only what every viewer of it may see.
		p := toEngagementJSON(v.Previous, tandem.ViewerProgramAdmin)
		out.Previous = &p
	}
	return out
}

// pathEngagementID reads the {id} path value; an id that is not a number is
// not found, like one that does not exist.
func pathEngagementID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, tandem.Errorf(tandem.ENOTFOUND, "No such engagement.")
	}
	return id, nil
}

// writeView answers the engagement as the actor may see it now.
func (s *Server) writeView(w http.ResponseWriter, r *http.Request, status int, id int64) {
	v, err := s.app.Engagement(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", fmt.Sprintf("/api/v1/engagements/%d", id))
	}
	writeJSON(w, status, toViewJSON(v))
}

// apiEngagements lists the actor's own engagements, or with all=1 every
// engagement of the organization for program admins and administrators,
// filtered by kind and status. Either list carries status, dates and
// parties only: it is what the matrix lets a program admin see.
func (s *Server) apiEngagements(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var list []tandem.Engagement
	var stalled map[int64]bool
	var counts map[tandem.Status]int
	total := 0
	all := q.Get("all") == "1" || q.Get("all") == "true"
	if all {
		res, err := s.app.ListAllEngagements(r.Context(), engagementQuery(q))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		list, stalled, counts, total = res.Engagements, res.Stalled, res.Counts, res.Total
	} else {
		var err error
		if list, err = s.app.MyEngagements(r.Context()); err == nil {
			stalled, err = s.app.StalledEngagements(r.Context(), list)
		}
		if err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	me := tandem.ActorFrom(r.Context()).Person
	out := make([]engagementJSON, len(list))
	for i := range list {
		e := &list[i]
		out[i] = toEngagementJSON(e, e.ViewerOf(me.ID, me.Role, false))
		out[i].Stalled = stalled[e.ID]
	}
	if !all {
		writeJSON(w, http.StatusOK, map[string]any{"engagements": out})
		return
	}
	byStatus := map[string]int{}
	for _, st := range []tandem.Status{tandem.StatusDraft, tandem.StatusActive, tandem.StatusEnded, tandem.StatusExpired} {
		byStatus[string(st)] = counts[st]
	}
	writeJSON(w, http.StatusOK, map[string]any{"engagements": out, "total": total, "counts": byStatus})
}

// pageParam reads a limit or offset query parameter: absent is 0 (the
// default), and anything but a whole number from least up is -1, which
// the app refuses naming the parameter (app.checkPage).
func pageParam(v string, least int) int {
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least {
		return -1
	}
	return n
}

// agreementInput is an outcome agreement as clients send it. The coaching
// skill is not part of it: it is chosen once, in the proposal.
type agreementInput struct {
	Outcomes         []string `json:"outcomes"`
	Cadence          string   `json:"cadence"`
	Channels         string   `json:"channels"`
	Confidentiality  string   `json:"confidentiality"`
	ReviewMethod     string   `json:"review_method"`
	ExitTerms        string   `json:"exit_terms"`
	Start            string   `json:"start"`
	End              string   `json:"end"`
	EvaluationMethod string   `json:"evaluation_method"`
}

// agreement converts the input; dates that are not YYYY-MM-DD are field
// errors here, missing ones are left for the domain's validation.
func (in *agreementInput) agreement(fe *tandem.FieldErrors) tandem.Agreement {
	a := tandem.Agreement{Outcomes: in.Outcomes, Cadence: in.Cadence, Channels: in.Channels, Confidentiality: in.Confidentiality,
		ReviewMethod: in.ReviewMethod, ExitTerms: in.ExitTerms, EvaluationMethod: in.EvaluationMethod}
	for _, d := range []struct {
		field, in string
		out       *tandem.Date
	}{{"start", in.Start, &a.Start}, {"end", in.End, &a.End}} {
		if d.in == "" {
			continue
		}
		v, ok := tandem.ParseDate(d.in)
		if !ok {
			fe.Add(d.field, "Write the date as YYYY-MM-DD.")
		}
		*d.out = v
	}
	return a
}

type proposalInput struct {
	Kind         string         `json:"kind"`
	LearnerID    int64          `json:"learner_id"`
	GuideID      int64          `json:"guide_id"`
	SkillID      int64          `json:"skill_id"`
	Setting      string         `json:"setting"`
	Areas        []string       `json:"areas"`
	ShareHistory bool           `json:"share_history"`
	Agreement    agreementInput `json:"agreement"`
	// Exception is an administrator's reason for allowing a mentoring
	// partnership inside the management chain.
	Exception string `json:"exception"`
}

func (s *Server) apiPropose(w http.ResponseWriter, r *http.Request) {
	var in proposalInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var fe tandem.FieldErrors
	p := tandem.Proposal{Kind: tandem.Kind(in.Kind), LearnerID: in.LearnerID, GuideID: in.GuideID, SkillID: in.SkillID,
		Setting: in.Setting, ShareHistory: in.ShareHistory, Agreement: in.Agreement.agreement(&fe)}
	for _, a := range in.Areas {
		p.Areas = append(p.Areas, tandem.Area(a))
	}
	if err := fe.Err(); err != nil {
		s.apiError(w, r, err)
		return
	}
	e, err := s.app.Propose(r.Context(), p, in.Exception)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeView(w, r, http.StatusCreated, e.ID)
}

func (s *Server) apiEngagement(w http.ResponseWriter, r *http.Request) {
	id, err := pathEngagementID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeView(w, r, http.StatusOK, id)
}

// apiChange is the shape of every JSON change to an engagement: read the
// id and the body, run the use case, answer. The id is checked before the
// body so a malformed id is 404 whatever is sent.
func apiChange[T any](s *Server, do func(r *http.Request, id int64, in *T) error, answer func(w http.ResponseWriter, r *http.Request, id int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathEngagementID(r, "id")
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		var in T
		if err := decodeJSON(r, &in); err != nil {
			s.apiError(w, r, err)
			return
		}
		if err := do(r, id, &in); err != nil {
			s.apiError(w, r, err)
			return
		}
		answer(w, r, id)
	}
}

// apiAction is a change answered with the engagement as it is now.
func apiAction[T any](s *Server, do func(r *http.Request, id int64, in *T) error) http.HandlerFunc {
	return apiChange(s, do, func(w http.ResponseWriter, r *http.Request, id int64) { s.writeView(w, r, http.StatusOK, id) })
}

// missingField is the field error for a member a request must send: false
// and absent must not mean the same for a yes/no answer.
func missingField(field, msg string) error {
	return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

type responseInput struct {
	Version int    `json:"version"`
	Agreed  *bool  `json:"agreed"`
	Comment string `json:"comment"`
}

type phaseInput struct {
	Phase string `json:"phase"`
	Note  string `json:"note"`
}

type noteInput struct {
	Note string `json:"note"`
}

type reasonInput struct {
	Reason string `json:"reason"`
}

type acceptInput struct {
	Accept *bool `json:"accept"`
}

type reviewInput struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

type shareInput struct {
	Share *bool `json:"share"`
}

type itemInput struct {
	Kind string `json:"kind"`
	Body string `json:"body"`
}

func (s *Server) apiRevise() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *agreementInput) error {
		var fe tandem.FieldErrors
		a := in.agreement(&fe)
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := s.app.Revise(r.Context(), id, a)
		return err
	})
}

func (s *Server) apiRespond() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *responseInput) error {
		if in.Version < 1 {
			return missingField("version", "Say which version of the agreement you answer.")
		}
		if in.Agreed == nil {
			return missingField("agreed", "Say whether you agree (true) or ask for changes (false).")
		}
		_, err := s.app.Respond(r.Context(), id, in.Version, *in.Agreed, in.Comment)
		return err
	})
}

func (s *Server) apiSetPhase() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *phaseInput) error {
		_, err := s.app.SetPhase(r.Context(), id, tandem.Phase(in.Phase), in.Note)
		return err
	})
}

func (s *Server) apiProposeReversal() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *noteInput) error {
		_, err := s.app.ProposeReversal(r.Context(), id, in.Note)
		return err
	})
}

func (s *Server) apiAnswerReversal() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *acceptInput) error {
		if in.Accept == nil {
			return missingField("accept", "Say whether you accept the reversal (true) or decline it (false).")
		}
		_, err := s.app.AnswerReversal(r.Context(), id, *in.Accept)
		return err
	})
}

func (s *Server) apiEnd() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *reasonInput) error {
		_, err := s.app.End(r.Context(), id, in.Reason)
		return err
	})
}

func (s *Server) apiReview() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *reviewInput) error {
		_, err := s.app.Review(r.Context(), id, tandem.ReviewDecision(in.Decision), in.Note)
		return err
	})
}

func (s *Server) apiAllowException() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *reasonInput) error {
		_, err := s.app.AllowException(r.Context(), id, in.Reason)
		return err
	})
}

func (s *Server) apiShareHistory() http.HandlerFunc {
	return apiAction(s, func(r *http.Request, id int64, in *shareInput) error {
		if in.Share == nil {
			return missingField("share", "Say whether the coach may read your previous engagement (true or false).")
		}
		_, err := s.app.SetShareHistory(r.Context(), id, *in.Share)
		return err
	})
}

// apiAddItem answers 201 with the whole view, where the new item is last
// in "agenda", so a client has the item's id and the timeline at once.
func (s *Server) apiAddItem(w http.ResponseWriter, r *http.Request) {
	id, err := pathEngagementID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in itemInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.Kind != "agenda" && in.Kind != "learned" {
		s.apiError(w, r, missingField("kind", "Use agenda for an agenda item or learned for what you learned from your partner."))
		return
	}
	if _, err := s.app.AddItem(r.Context(), id, in.Kind == "learned", in.Body); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.app.Engagement(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toViewJSON(v))
}

// apiCompleteItem takes no body: ticking an item off says everything.
func (s *Server) apiCompleteItem(w http.ResponseWriter, r *http.Request) {
	id, err := pathEngagementID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || item <= 0 {
		s.apiError(w, r, tandem.Errorf(tandem.ENOTFOUND, "No such open agenda item."))
		return
	}
	if err := s.app.CompleteItem(r.Context(), id, item); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeView(w, r, http.StatusOK, id)
}

// settingsJSON is an organization's rules for engagements.
type settingsJSON struct {
	CoachingMaxMonths        int  `json:"coaching_max_months"`
	ReviewMonths             int  `json:"review_months"`
	MentoringManagerOptional bool `json:"mentoring_manager_optional"`
	StalledDays              int  `json:"stalled_days"`
}

func toSettingsJSON(st tandem.Settings) settingsJSON {
	return settingsJSON{CoachingMaxMonths: st.CoachingMaxMonths, ReviewMonths: st.ReviewMonths,
		MentoringManagerOptional: st.MentoringManagerOptional, StalledDays: st.StalledDays}
}

func (s *Server) apiSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.app.Settings(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSettingsJSON(st))
}

// apiSetSettings replaces the settings; members left out of the body keep
// their current value, so a client that knows one setting cannot reset
// the others to zero by accident.
func (s *Server) apiSetSettings(w http.ResponseWriter, r *http.Request) {
	cur, err := s.app.Settings(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	in := toSettingsJSON(cur)
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	st := tandem.Settings{CoachingMaxMonths: in.CoachingMaxMonths, ReviewMonths: in.ReviewMonths,
		MentoringManagerOptional: in.MentoringManagerOptional, StalledDays: in.StalledDays}
	if err := s.app.SetSettings(r.Context(), st); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiSettings(w, r)
}

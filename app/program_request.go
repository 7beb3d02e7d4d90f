package app

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Self-serve matching: an approved mentee of a program whose matching mode
// allows it sees mentors ranked by the cohort run's scores (the same
// criteria, score matrix row and reasons) and asks one; the mentor
// accepts or declines; the mentee may cancel. The program's admins set the
// mode. Someone who does not see the program: not found; who sees it but
// has no approved application in the role: forbidden.

// SelfServeView is the self-serve part of a program for one person.
type SelfServeView struct {
	Mode tandem.MatchingMode
	// Open: mentees may ask now; else Why.
	Open bool
	Why  string
	// Role is the person's approved role in the program, "" for none.
	Role tandem.ApplicationRole
	// For a mentee: their ranked suggestions (none while they have an
	// open request or a mentor), the mentor the program gave them, and
	// their open request.
	Suggestions []tandem.Suggestion
	Partner     *tandem.PersonRef
	Pending     *tandem.MentorRequest
	// For a mentor: mentees placed with them and their capacity.
	Load, Capacity int
	// Requests the person made or received, open ones first.
	Requests []tandem.MentorRequest
	// Modes lists the choices, for the program admins' form.
	Modes []tandem.MatchingMode
}

// Waiting returns the open requests to the person as a mentor.
func (v *SelfServeView) Waiting() []tandem.MentorRequest {
	var out []tandem.MentorRequest
	for _, r := range v.Requests {
		if r.Status == tandem.RequestOpen && v.Role == tandem.AsMentor {
			out = append(out, r)
		}
	}
	return out
}

// approvedRole returns the person's approved role in the program, or "".
func approvedRole(v *ProgramView) tandem.ApplicationRole {
	if v.Application == nil || v.Application.Status != tandem.AppApproved {
		return ""
	}
	return v.Application.Role
}

// participant loads the program for an approved applicant in one of the
// roles: not found for whoever does not see it, forbidden for anyone else.
func (a *App) participant(ctx context.Context, id int64, roles ...tandem.ApplicationRole) (*tandem.Actor, *ProgramView, error) {
	act, v, err := a.program(ctx, id, tandem.ProgramOverview)
	if err != nil {
		return nil, nil, err
	}
	if r := approvedRole(v); r == "" || !slices.Contains(roles, r) {
		if len(roles) == 1 && roles[0] == tandem.AsMentor {
			return nil, nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the program's approved mentors answer requests.")
		}
		if len(roles) == 1 {
			return nil, nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the program's approved mentees ask mentors.")
		}
		return nil, nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the program's approved mentees and mentors have requests.")
	}
	return act, v, nil
}

// SelfServe returns the self-serve view of the program for the person
// (every viewer of the program gets the mode; approved mentees and
// mentors their part). limit bounds the suggestions (1 to
// tandem.MaxSuggestions; 0 for the default).
func (a *App) SelfServe(ctx context.Context, id int64, limit int) (*SelfServeView, error) {
	act, v, err := a.program(ctx, id, tandem.ProgramOverview)
	if err != nil {
		return nil, err
	}
	return a.selfServe(ctx, act, v, limit)
}

// Suggestions is SelfServe for an approved mentee only (the API's
// suggestions); a negative limit is a bad one. Who asks is checked before
// the limit: a stranger gets not found whatever they ask.
func (a *App) Suggestions(ctx context.Context, id int64, limit int) (*SelfServeView, error) {
	act, v, err := a.participant(ctx, id, tandem.AsMentee)
	if err != nil {
		return nil, err
	}
	if limit < 0 || limit > tandem.MaxSuggestions {
		msg := "Ask for 1 to 20 suggestions."
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"limit": msg}}
	}
	return a.selfServe(ctx, act, v, limit)
}

func (a *App) selfServe(ctx context.Context, act *tandem.Actor, v *ProgramView, limit int) (*SelfServeView, error) {
	if limit <= 0 {
		limit = tandem.DefaultSuggestions
	}
	ss, err := a.DB.LoadSelfServe(ctx, act.Org.ID, v.ID)
	if err != nil {
		return nil, err
	}
	out := &SelfServeView{Mode: ss.Mode, Role: approvedRole(v), Modes: tandem.MatchingModes, Suggestions: []tandem.Suggestion{}}
	out.Open, out.Why = ss.Open(v.State)
	if v.Kind != tandem.Mentoring {
		out.Open, out.Why = false, "Only mentoring programs pair mentees with mentors."
	}
	me := act.Person.ID
	if out.Role == "" {
		return out, nil
	}
	if out.Requests, err = a.DB.MentorRequests(ctx, act.Org.ID, v.ID, me); err != nil {
		return nil, err
	}
	if out.Role == tandem.AsMentor {
		out.Load, out.Capacity = ss.Load[me], ss.Capacity[me]
		return out, nil
	}
	if m, ok := ss.Partner[me]; ok {
		out.Partner = &m
	}
	for i, r := range out.Requests {
		if r.Status == tandem.RequestOpen {
			out.Pending = &out.Requests[i]
		}
	}
	if !out.Open || out.Partner != nil || out.Pending != nil {
		return out, nil
	}
	sc, err := a.scoreMentee(ctx, act.Org.ID, v.ID, me)
	if err != nil {
		return nil, err
	}
	declined := map[int64]bool{}
	for _, r := range out.Requests {
		if r.Status == tandem.RequestDeclined {
			declined[r.Mentor.ID] = true
		}
	}
	for j, mo := range sc.co.Mentors {
		id := mo.Person.ID
		s := sc.row[j]
		spare := mo.Capacity - ss.Load[id]
		_, active := ss.Capacity[id] // not a mentor who left the organization
		if s != s || spare <= 0 || !active || sc.excluded[id] || declined[id] || id == me {
			continue
		}
		// Reasons are filled for the shown ones only, below.
		out.Suggestions = append(out.Suggestions, tandem.Suggestion{Mentor: mo.Person, Score: float64(s), MaxScore: sc.co.MaxScore, Spare: spare})
	}
	slices.SortStableFunc(out.Suggestions, func(x, y tandem.Suggestion) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return strings.Compare(x.Mentor.Name, y.Mentor.Name)
	})
	if len(out.Suggestions) > limit {
		out.Suggestions = out.Suggestions[:limit]
	}
	for k := range out.Suggestions {
		out.Suggestions[k].Reasons = suggestionReasons(sc, out.Suggestions[k].Mentor.ID)
		out.Suggestions[k].Score = math.Round(out.Suggestions[k].Score*100) / 100
	}
	return out, nil
}

// menteeScores is one mentee's row of the cohort's score matrix.
type menteeScores struct {
	co       *tandem.Cohort // the mentee alone (index 0) × the approved mentors
	row      []float32      // the scores, NaN where a hard rule fails
	mentor   map[int64]int  // mentor person id → column
	excluded map[int64]bool // mentors in the mentee's chain or forbidden with them
}

// scoreMentee scores one approved mentee against the program's approved
// mentors with the cohort run's criteria and scorer (tandem.NewCohort,
// Row, Reasons): a pair's score and reasons are those a cohort run gives.
func (a *App) scoreMentee(ctx context.Context, orgID, programID, menteeID int64) (*menteeScores, error) {
	// The mentee and the mentors only: a row needs no other mentee (the
	// criteria's values are compiled per person, so the row is the one
	// the whole cohort gives).
	d, err := a.DB.LoadMenteeCohort(ctx, orgID, programID, menteeID)
	if err != nil {
		return nil, err
	}
	criteria, err := tandem.Criteria(d.Questions, nil)
	if err != nil {
		return nil, err
	}
	k := slices.IndexFunc(d.Mentees, func(m tandem.CohortMember) bool { return m.Person.ID == menteeID })
	if k < 0 {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the program's approved mentees ask mentors.")
	}
	sc := &menteeScores{co: tandem.NewCohort(criteria, d.Mentees[k:k+1], d.Mentors, a.DB.Now()), mentor: map[int64]int{}, excluded: map[int64]bool{}}
	sc.row = sc.co.Row(0, nil)
	for j, m := range d.Mentors {
		sc.mentor[m.Person.ID] = j
	}
	for _, c := range d.Chain {
		if c[0] == menteeID {
			sc.excluded[c[1]] = true
		}
	}
	for _, r := range d.Rules {
		if r.Kind == tandem.PairForbid && r.MenteeID == menteeID {
			sc.excluded[r.MentorID] = true
		}
	}
	return sc, nil
}

// suggestionReasons are the cohort run's reasons for the pair; a pair
// that meets no weighted criterion says so (the run's own wording speaks
// of the whole cohort's matching).
func suggestionReasons(sc *menteeScores, mentorID int64) []string {
	j := sc.mentor[mentorID]
	if sc.row[j] == 0 {
		return []string{"meets none of the program's weighted criteria, and has room"}
	}
	return sc.co.Reasons(0, j, 3)
}

// AskMentor is the mentee's request to a mentor of the program, with an
// optional message. The pair's score and reasons are stored as the
// suggestion showed them.
func (a *App) AskMentor(ctx context.Context, id, mentorID int64, message string) (*tandem.MentorRequest, error) {
	act, v, err := a.participant(ctx, id, tandem.AsMentee)
	if err != nil {
		return nil, err
	}
	msg, err := tandem.CheckRequestMessage(message)
	if err != nil {
		return nil, err
	}
	ss, err := a.DB.LoadSelfServe(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	if err := tandem.CheckSelfServe(v.State, ss.Mode, ss.Published); err != nil {
		return nil, err
	}
	sc, err := a.scoreMentee(ctx, act.Org.ID, id, act.Person.ID)
	if err != nil {
		return nil, err
	}
	r := &tandem.MentorRequest{Mentee: tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name, Email: act.Person.Email, Title: act.Person.Title}, Mentor: tandem.PersonRef{ID: mentorID}, Message: msg, Reasons: []string{}}
	if j, ok := sc.mentor[mentorID]; ok {
		// A hard criterion the pair fails; the store checks the rest (the
		// chain, forbidden pairs, capacity) under the program's lock.
		if s := sc.row[j]; s != s && !sc.excluded[mentorID] {
			m := sc.co.Mentors[j].Person.Name + " does not share «" + sc.co.HardFailure(0, j) + "» with you, which this program requires. Choose another mentor."
			return nil, &tandem.Error{Code: tandem.EINVALID, Message: m, Fields: map[string]string{"mentor_id": m}}
		} else if s == s {
			r.Score = math.Round(float64(s)*100) / 100
			r.Reasons = suggestionReasons(sc, mentorID)
		}
	}
	if err := a.DB.AskMentor(ctx, act.Org.ID, id, r); err != nil {
		return nil, err
	}
	return r, nil
}

// AnswerRequest is the mentor accepting (a proposed partnership with the
// program's draft agreement) or declining a request to them.
func (a *App) AnswerRequest(ctx context.Context, id, requestID int64, accept bool) (*tandem.MentorRequest, error) {
	act, _, err := a.participant(ctx, id, tandem.AsMentor)
	if err != nil {
		return nil, err
	}
	return a.DB.AnswerRequest(ctx, act.Org.ID, id, requestID, act.Person.ID, accept)
}

// CancelRequest is the mentee taking their open request back.
func (a *App) CancelRequest(ctx context.Context, id, requestID int64) (*tandem.MentorRequest, error) {
	act, _, err := a.participant(ctx, id, tandem.AsMentee)
	if err != nil {
		return nil, err
	}
	return a.DB.CancelRequest(ctx, act.Org.ID, id, requestID, act.Person.ID)
}

// MentorRequests lists the requests the person made or received in the
// program.
func (a *App) MentorRequests(ctx context.Context, id int64) ([]tandem.MentorRequest, error) {
	act, _, err := a.participant(ctx, id, tandem.AsMentee, tandem.AsMentor)
	if err != nil {
		return nil, err
	}
	return a.DB.MentorRequests(ctx, act.Org.ID, id, act.Person.ID)
}

// SetMatchingMode is the program admins' choice of how mentees find
// their mentors.
func (a *App) SetMatchingMode(ctx context.Context, id int64, mode tandem.MatchingMode) error {
	act, v, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return err
	}
	return a.setMatchingMode(ctx, act.Org.ID, &v.Program, mode)
}

// SetMatchingModeForOperator is SetMatchingMode with the operator's
// authority, for the CLI; it returns the mode and whether mentees may ask
// now (and why not).
func (a *App) SetMatchingModeForOperator(ctx context.Context, orgID, id int64, mode tandem.MatchingMode) (*SelfServeView, error) {
	p, err := a.DB.ProgramByID(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if err := a.setMatchingMode(ctx, orgID, p, mode); err != nil {
		return nil, err
	}
	ss, err := a.DB.LoadSelfServe(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	out := &SelfServeView{Mode: ss.Mode}
	out.Open, out.Why = ss.Open(p.State)
	return out, nil
}

func (a *App) setMatchingMode(ctx context.Context, orgID int64, p *tandem.Program, mode tandem.MatchingMode) error {
	if err := tandem.CheckMatchingMode(mode); err != nil {
		return err
	}
	if p.State == tandem.ProgramClosed {
		return tandem.Errorf(tandem.ECONFLICT, "The program is closed.")
	}
	if p.Kind != tandem.Mentoring && mode != tandem.MatchCohort {
		msg := "Only mentoring programs let mentees ask mentors."
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"mode": msg}}
	}
	return a.DB.SetMatchingMode(ctx, orgID, p.ID, mode)
}

// requestsToAnswer is the home page's hook: open requests to the person
// as a mentor, per program.
func (a *App) requestsToAnswer(ctx context.Context, act *tandem.Actor) ([]sqldb.ProgramRequests, error) {
	if act.Person.Guest {
		return nil, nil
	}
	return a.DB.RequestsToAnswer(ctx, act.Org.ID, act.Person.ID)
}

// CheckParticipant answers not found to whoever does not see the
// program and forbidden to whoever has no approved application in one of
// the roles, before a request's body is read.
func (a *App) CheckParticipant(ctx context.Context, id int64, roles ...tandem.ApplicationRole) error {
	_, _, err := a.participant(ctx, id, roles...)
	return err
}

package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// nextEngagementJSON is an engagement in "waiting on you": what to do and
// where.
type nextEngagementJSON struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Version int    `json:"version,omitempty"` // agreements: the version to answer
	Due     string `json:"due,omitempty"`     // reviews: the review point
}

type nextSessionJSON struct {
	ID           int64     `json:"id"`
	EngagementID int64     `json:"engagement_id"`
	Kind         string    `json:"kind"`
	Skill        string    `json:"skill,omitempty"`
	With         string    `json:"with"`
	Start        time.Time `json:"start"`
	Minutes      int       `json:"minutes"`
	Place        string    `json:"place"`
	URL          string    `json:"url"`
}

type nextItemJSON struct {
	ID           int64  `json:"id"`
	EngagementID int64  `json:"engagement_id"`
	SessionID    int64  `json:"session_id"`
	Body         string `json:"body"`
	Due          string `json:"due"`
	Overdue      bool   `json:"overdue"`
	URL          string `json:"url"`
}

type nextGoalJSON struct {
	ID           int64  `json:"id"`
	EngagementID int64  `json:"engagement_id"`
	Title        string `json:"title"`
	Due          string `json:"due"`
	Skill        string `json:"skill"`
	Learner      string `json:"learner"`
	Coach        string `json:"coach"`
	URL          string `json:"url"`
}

type nextDecisionJSON struct {
	ProgramID int64  `json:"program_id"`
	Name      string `json:"name"`
	Waiting   int    `json:"waiting"`
	URL       string `json:"url"`
}

type nextNumberJSON struct {
	Count int    `json:"count"`
	URL   string `json:"url"` // the filtered list
	API   string `json:"api"` // the same list in the API
}

type nextJSON struct {
	Zone    string    `json:"zone"`
	Today   string    `json:"today"`
	Until   time.Time `json:"until"`
	Waiting struct {
		Agreements []nextEngagementJSON `json:"agreements"`
		Reversals  []nextEngagementJSON `json:"reversals"`
		Reviews    []nextEngagementJSON `json:"reviews"`
		Decisions  []nextDecisionJSON   `json:"decisions"`
		Requests   []nextDecisionJSON   `json:"requests"` // mentees' requests to the person as a mentor
	} `json:"waiting"`
	Sessions        []nextSessionJSON `json:"sessions"`
	ActionItems     []nextItemJSON    `json:"action_items"`
	MoreActionItems int               `json:"more_action_items"`
	Goals           []nextGoalJSON    `json:"goals"`
	// Numbers are for administrators and program admins only.
	Numbers map[string]nextNumberJSON `json:"numbers,omitempty"`
}

func nextEngagements(list []tandem.Engagement, anchor string, f func(e *tandem.Engagement, j *nextEngagementJSON)) []nextEngagementJSON {
	out := make([]nextEngagementJSON, len(list))
	for i := range list {
		e := &list[i]
		out[i] = nextEngagementJSON{ID: e.ID, Kind: string(e.Kind), Title: e.Title(), URL: fmt.Sprintf("/engagements/%d%s", e.ID, anchor)}
		if f != nil {
			f(e, &out[i])
		}
	}
	return out
}

func toNextJSON(n *app.Next, me int64) nextJSON {
	var j nextJSON
	j.Zone, j.Today, j.Until = n.Zone.String(), string(n.Today), n.Until.UTC()
	j.Waiting.Agreements = nextEngagements(n.ToAgree, "?tab=agreement#h-agreement", func(e *tandem.Engagement, j *nextEngagementJSON) { j.Version = e.CurrentVersion })
	j.Waiting.Reversals = nextEngagements(n.Reversals, "", nil)
	j.Waiting.Reviews = nextEngagements(n.Reviews, "?tab=agreement#h-evolve", func(e *tandem.Engagement, j *nextEngagementJSON) { j.Due = string(e.NextReview) })
	j.Waiting.Decisions = make([]nextDecisionJSON, len(n.Decisions))
	for i, d := range n.Decisions {
		j.Waiting.Decisions[i] = nextDecisionJSON{ProgramID: d.ProgramID, Name: d.Name, Waiting: d.Waiting, URL: fmt.Sprintf("/programs/%d/applications", d.ProgramID)}
	}
	j.Waiting.Requests = make([]nextDecisionJSON, len(n.Requests))
	for i, d := range n.Requests {
		j.Waiting.Requests[i] = nextDecisionJSON{ProgramID: d.ProgramID, Name: d.Name, Waiting: d.Waiting, URL: fmt.Sprintf("/programs/%d#requests", d.ProgramID)}
	}
	j.Sessions = make([]nextSessionJSON, len(n.Sessions))
	for i, m := range n.Sessions {
		with := m.Learner.Name
		if m.Learner.ID == me {
			with = m.Guide.Name
		}
		j.Sessions[i] = nextSessionJSON{ID: m.MeetingID, EngagementID: m.EngagementID, Kind: string(m.Kind), Skill: m.SkillName, With: with,
			Start: m.Start, Minutes: m.Minutes, Place: m.Place, URL: fmt.Sprintf("/engagements/%d/sessions/%d", m.EngagementID, m.MeetingID)}
	}
	j.ActionItems = make([]nextItemJSON, len(n.ActionItems))
	for i, it := range n.ActionItems {
		j.ActionItems[i] = nextItemJSON{ID: it.ID, EngagementID: it.EngagementID, SessionID: it.MeetingID, Body: it.Body, Due: string(it.Due),
			Overdue: it.Overdue(n.Today), URL: fmt.Sprintf("/engagements/%d/sessions/%d", it.EngagementID, it.MeetingID)}
	}
	j.MoreActionItems = n.MoreItems
	j.Goals = make([]nextGoalJSON, len(n.Goals))
	for i, g := range n.Goals {
		j.Goals[i] = nextGoalJSON{ID: g.GoalID, EngagementID: g.EngagementID, Title: g.Title, Due: string(g.Due), Skill: g.SkillName,
			Learner: g.Learner.Name, Coach: g.Guide.Name, URL: fmt.Sprintf("/engagements/%d#goals", g.EngagementID)}
	}
	if n.Numbers != nil {
		num := func(count int, filter string) nextNumberJSON {
			return nextNumberJSON{Count: count, URL: "/engagements?all=1&" + filter, API: "/api/v1/engagements?all=1&" + filter}
		}
		j.Numbers = map[string]nextNumberJSON{
			"active":              num(n.Numbers.Active, "status=active"),
			"waiting_for_manager": num(n.Numbers.WaitingForManager, "waiting=manager"),
			"stalled":             num(n.Numbers.Stalled, "stalled=1"),
			"ending_soon":         num(n.Numbers.EndingSoon, "ending=soon"),
		}
	}
	return j
}

// apiNext answers what comes next for the signed-in person: the home
// page's lists.
func (s *Server) apiNext(w http.ResponseWriter, r *http.Request) {
	n, err := s.app.WhatsNext(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toNextJSON(n, tandem.ActorFrom(r.Context()).Person.ID))
}

type candidateJSON struct {
	refJSON
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
}

// apiCandidates answers the proposal's person picker.
func (s *Server) apiCandidates(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cq := app.CandidateQuery{Kind: tandem.Kind(q.Get("kind")), Role: q.Get("role"), Query: q.Get("q"), Learner: q.Get("learner"), Guide: q.Get("guide")}
	if v := q.Get("skill"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.apiError(w, r, &tandem.Error{Code: tandem.EINVALID, Message: "Give the skill's id.", Fields: map[string]string{"skill": "Give the skill's id."}})
			return
		}
		cq.SkillID = id
	}
	cq.Limit = pageParam(q.Get("limit"), 1)
	list, err := s.app.Candidates(r.Context(), cq)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]candidateJSON, len(list))
	for i, c := range list {
		out[i] = candidateJSON{refJSON: refJSON{ID: c.Person.ID, Name: c.Person.Name, Email: c.Person.Email, Title: c.Person.Title},
			Available: c.Available, Reason: c.Reason}
	}
	writeJSON(w, http.StatusOK, map[string]any{"candidates": out})
}

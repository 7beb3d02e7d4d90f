package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// candidatesPage is the person picker of the proposal forms: a search
// page of its own without JavaScript, and its list alone (the
// "candidate_list" partial) under the form's field with htmx.
type candidatesPage struct {
	Page
	Form       Form
	Kind       tandem.Kind
	Role       string // "guide" or "learner"
	Query      string
	Skills     []tandem.Skill
	Candidates []app.Candidate
}

// RoleLabel names the role looked for: "coach", "mentor", "learner".
func (p *candidatesPage) RoleLabel() string {
	if p.Role == "learner" {
		return strings.ToLower(p.Kind.LearnerLabel())
	}
	return strings.ToLower(p.Kind.GuideLabel())
}

// ChooseURL is the proposal form with the candidate filled in, keeping
// the other party and the skill already chosen.
func (p *candidatesPage) ChooseURL(email string) string {
	v := url.Values{"kind": {string(p.Kind)}}
	learner, guide := p.Form.Get("learner"), p.Form.Get("guide")
	if p.Role == "learner" {
		learner = email
	} else {
		guide = email
	}
	if learner != "" {
		v.Set("learner", learner)
	}
	if guide != "" {
		v.Set("guide", guide)
	}
	if s := p.Form.Get("skill"); s != "" {
		v.Set("skill", s)
	}
	return "/engagements/new?" + v.Encode()
}

// candidateParams reads the picker's parameters: its own page sends q,
// learner and guide; the proposal form's fields (learner_email,
// guide_email) arrive when htmx asks from the form, the searched field's
// text being the query.
func candidateParams(q url.Values) url.Values {
	v := url.Values{}
	for _, k := range []string{"kind", "role", "q", "skill", "learner", "guide"} {
		v.Set(k, strings.TrimSpace(q.Get(k)))
	}
	if v.Get("role") != "learner" {
		v.Set("role", "guide")
	}
	if v.Get("kind") != string(tandem.Coaching) {
		v.Set("kind", string(tandem.Mentoring))
	}
	if q.Has("learner_email") && v.Get("learner") == "" && v.Get("role") == "guide" {
		v.Set("learner", strings.TrimSpace(q.Get("learner_email")))
	}
	if q.Has("guide_email") && v.Get("guide") == "" && v.Get("role") == "learner" {
		v.Set("guide", strings.TrimSpace(q.Get("guide_email")))
	}
	if v.Get("q") == "" {
		v.Set("q", strings.TrimSpace(q.Get(v.Get("role")+"_email")))
	}
	return v
}

func (s *Server) handleCandidates(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := candidateParams(r.URL.Query())
	p := &candidatesPage{Page: Page{Title: "Find a person", Nav: "engagements"}, Form: Form{Values: v},
		Kind: tandem.Kind(v.Get("kind")), Role: v.Get("role"), Query: v.Get("q")}
	p.Title = "Find a " + p.RoleLabel()
	q := app.CandidateQuery{Kind: p.Kind, Role: p.Role, Query: p.Query, Learner: v.Get("learner"), Guide: v.Get("guide")}
	q.SkillID, _ = strconv.ParseInt(v.Get("skill"), 10, 64)
	status := http.StatusOK
	list, err := s.app.Candidates(ctx, q)
	switch {
	case err == nil:
		p.Candidates = list
	case tandem.ErrorCode(err) == tandem.EINVALID:
		p.Form.Errors, p.Form.Message = tandem.ErrorFields(err), tandem.ErrorMessage(err)
		status = http.StatusUnprocessableEntity
	default:
		s.serverError(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" {
		s.renderPart(w, r, status, "candidates", "candidate_list", p)
		return
	}
	if p.Kind == tandem.Coaching {
		if p.Skills, err = s.app.SkillChoices(ctx); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "candidates", p)
}

// renderPart writes one named template of a page, without the layout: the
// part of a page htmx swaps in.
func (s *Server) renderPart(w http.ResponseWriter, r *http.Request, status int, pageName, part string, p page) {
	b := p.base()
	b.Actor = tandem.ActorFrom(r.Context())
	if b.Actor != nil {
		b.loc = b.Actor.Person.Zone()
	}
	b.static = s.static
	var buf bytes.Buffer
	if err := s.pages[pageName].ExecuteTemplate(&buf, part, p); err != nil {
		s.log.ErrorContext(r.Context(), "render", "template", pageName, "part", part, "err", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pickerField is the picker partial's data: one party's field of the
// proposal form.
type pickerField struct {
	Form       Form
	Kind       tandem.Kind
	Role       string // "guide" or "learner"
	Name       string // the form field: guide_email or learner_email
	Label      string
	SearchHint string
}

// SearchURL is the picker's own page, for browsers without JavaScript.
func (f pickerField) SearchURL() string {
	v := url.Values{"kind": {string(f.Kind)}, "role": {f.Role}}
	if l := f.Form.Get("learner_email"); l != "" && f.Role == "guide" {
		v.Set("learner", l)
	}
	if g := f.Form.Get("guide_email"); g != "" && f.Role == "learner" {
		v.Set("guide", g)
	}
	if s := f.Form.Get("skill"); s != "" {
		v.Set("skill", s)
	}
	return "/engagements/candidates?" + v.Encode()
}

// newPicker builds one party's picker for the proposal form.
func newPicker(f *engagementForm, role string) pickerField {
	p := pickerField{Form: f.Form, Kind: f.Kind, Role: role, Name: role + "_email"}
	if role == "learner" {
		p.Label = f.Kind.LearnerLabel()
		p.SearchHint = "Type a name, email or title."
	} else {
		p.Label = f.Kind.GuideLabel()
		if f.Kind == tandem.Coaching {
			p.SearchHint = "Type a name, email or title: people open to coach the skill can be chosen."
		} else {
			p.SearchHint = "Type a name, email or title: people open to mentoring, outside the learner's management chain, can be chosen."
		}
	}
	return p
}

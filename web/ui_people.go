package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// directoryPageSize is how many people one directory page lists.
const directoryPageSize = 25

type peoplePage struct {
	Page
	Filter     sqldb.PeopleFilter
	People     []tandem.Person
	Total      int
	Facets     sqldb.Facets
	Skills     []tandem.Skill
	PrevURL    string
	NextURL    string
	FirstShown int
	LastShown  int
}

// filterFromQuery reads the directory's filters from a query string; the
// API and the page take the same parameters.
func filterFromQuery(q url.Values) sqldb.PeopleFilter {
	f := sqldb.PeopleFilter{
		Query: q.Get("q"), Department: q.Get("department"), Location: q.Get("location"),
		OpenToCoach: q.Get("coach") != "", OpenToMentor: q.Get("mentor") != "",
	}
	f.SkillID, _ = strconv.ParseInt(q.Get("skill"), 10, 64)
	f.Limit = pageParam(q.Get("limit"), 1)
	f.Offset = pageParam(q.Get("offset"), 0)
	return f
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := filterFromQuery(r.URL.Query())
	f.Limit = directoryPageSize
	people, total, err := s.app.SearchPeople(ctx, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	facets, err := s.app.DirectoryFacets(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	skills, err := s.app.ListSkills(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &peoplePage{Page: Page{Title: "People", Nav: "people"}, Filter: f, People: people, Total: total, Facets: facets, Skills: skills}
	if len(people) > 0 {
		p.FirstShown, p.LastShown = f.Offset+1, f.Offset+len(people)
	}
	page := func(offset int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(offset))
		return "/people?" + q.Encode()
	}
	if f.Offset > 0 {
		p.PrevURL = page(max(0, f.Offset-directoryPageSize))
	}
	if f.Offset+len(people) < total {
		p.NextURL = page(f.Offset + directoryPageSize)
	}
	s.render(w, r, http.StatusOK, "people", p)
}

// personID reads the {id} of a person route; a malformed id is not found.
func personID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

type personPage struct {
	Page
	*app.PersonView
	Form  Form
	Roles []string
}

// ChainTopFirst returns the management chain from the top of the
// organization down to the person's manager, for breadcrumbs and charts.
func (p *personPage) ChainTopFirst() []tandem.PersonRef {
	out := make([]tandem.PersonRef, len(p.Chain))
	for i, m := range p.Chain {
		out[len(p.Chain)-1-i] = m
	}
	return out
}

func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, status int, tmpl string, form Form) {
	v, err := s.app.Person(r.Context(), personID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	title := v.Person.Name
	if tmpl == "chart" {
		title = "Org chart: " + v.Person.Name
	}
	s.render(w, r, status, tmpl, &personPage{Page: Page{Title: title, Nav: "people"}, PersonView: v, Form: form,
		Roles: []string{tandem.RoleMember, tandem.RoleProgramAdmin, tandem.RoleAdmin}})
}

func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request) {
	s.showPerson(w, r, http.StatusOK, "person", Form{})
}

func (s *Server) handleChart(w http.ResponseWriter, r *http.Request) {
	s.showPerson(w, r, http.StatusOK, "chart", Form{})
}

// handleMe sends the signed-in person to their own profile.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, fmt.Sprintf("/people/%d", tandem.ActorFrom(r.Context()).Person.ID), http.StatusSeeOther)
}

type profileForm struct {
	Page
	Person *tandem.Person
	Form   Form
	Skills []tandem.Skill // the catalogue, for the skill pickers
	Rows   []skillRow
	Levels []tandem.Level
}

// skillRow is one line of the profile form's skill table.
type skillRow struct {
	Index   int
	Name    string
	Level   tandem.Level
	Coaches bool
}

// extraSkillRows is how many empty skill lines the profile form offers, so
// skills can be added without JavaScript.
const extraSkillRows = 3

func (s *Server) showProfileForm(w http.ResponseWriter, r *http.Request, status int, p *tandem.Person, form Form) {
	skills, err := s.app.SkillChoices(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pf := &profileForm{Page: Page{Title: "Edit profile", Nav: "people"}, Person: p, Form: form, Skills: skills, Levels: tandem.Levels}
	if form.Values == nil {
		pf.Form.Values = url.Values{
			"name": {p.Name}, "title": {p.Title}, "department": {p.Department}, "location": {p.Location},
			"time_zone": {p.TimeZone}, "languages": {strings.Join(p.Languages, "; ")}, "interests": {strings.Join(p.Interests, "; ")},
			"bio": {p.Bio}, "years_experience": {strconv.Itoa(p.YearsExperience)}, "mentor_capacity": {strconv.Itoa(p.MentorCapacity)},
		}
		for i, sk := range p.Skills {
			pf.Rows = append(pf.Rows, skillRow{Index: i, Name: sk.Name, Level: sk.Level, Coaches: sk.Coaches})
		}
	} else {
		prof, _, _ := profileFromForm(form.Values)
		for i, sk := range prof.Skills {
			pf.Rows = append(pf.Rows, skillRow{Index: i, Name: sk.Name, Level: sk.Level, Coaches: sk.Coaches})
		}
	}
	for i := 0; i < extraSkillRows; i++ {
		pf.Rows = append(pf.Rows, skillRow{Index: len(pf.Rows), Level: tandem.Intermediate})
	}
	s.render(w, r, status, "profile", pf)
}

func (s *Server) handleProfileForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Person(r.Context(), personID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !v.CanEdit {
		s.serverError(w, r, tandem.Errorf(tandem.EFORBIDDEN, "You can edit your own profile; administrators edit others'."))
		return
	}
	s.showProfileForm(w, r, http.StatusOK, v.Person, Form{})
}

// profileFromForm reads the profile form. Skills come as rows skill_N,
// level_N, coach_N; a row without a skill is skipped.
func profileFromForm(v url.Values) (*tandem.Profile, string, tandem.FieldErrors) {
	var fe tandem.FieldErrors
	p := &tandem.Profile{
		Title: v.Get("title"), Department: v.Get("department"), Location: v.Get("location"), TimeZone: v.Get("time_zone"),
		Languages: tandem.SplitList(v.Get("languages")), Interests: tandem.SplitList(v.Get("interests")), Bio: v.Get("bio"),
	}
	for _, n := range []struct {
		field string
		dst   *int
	}{{"years_experience", &p.YearsExperience}, {"mentor_capacity", &p.MentorCapacity}} {
		if raw := strings.TrimSpace(v.Get(n.field)); raw != "" {
			x, err := strconv.Atoi(raw)
			if err != nil {
				fe.Add(n.field, "Enter a whole number.")
				continue
			}
			*n.dst = x
		}
	}
	for i := 0; i < 100; i++ {
		name := strings.TrimSpace(v.Get("skill_" + strconv.Itoa(i)))
		if name == "" {
			if !v.Has("skill_" + strconv.Itoa(i)) {
				break
			}
			continue
		}
		lvl, ok := tandem.ParseLevel(v.Get("level_" + strconv.Itoa(i)))
		if !ok {
			fe.Add("skills", "Choose a level for "+name+".")
		}
		p.Skills = append(p.Skills, tandem.PersonSkill{Name: name, Level: lvl, Coaches: v.Get("coach_"+strconv.Itoa(i)) != ""})
	}
	return p, v.Get("name"), fe
}

func (s *Server) handleUpdateProfile(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	id := personID(r)
	prof, name, fe := profileFromForm(r.PostForm)
	err := fe.Err()
	if err == nil {
		err = s.app.UpdateProfile(ctx, id, name, prof)
	}
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, fmt.Sprintf("/people/%d", id), "Profile saved.")
	case tandem.EINVALID:
		v, verr := s.app.Person(ctx, id)
		if verr != nil {
			s.serverError(w, r, verr)
			return
		}
		s.showProfileForm(w, r, s.status(r, err), v.Person, formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleSetManager(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := personID(r)
	err := s.app.SetManagerByEmail(r.Context(), id, r.PostForm.Get("manager_email"))
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, fmt.Sprintf("/people/%d", id), "Reporting line changed.")
	case tandem.EINVALID:
		s.showPerson(w, r, s.status(r, err), "person", formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleSetRole(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := personID(r)
	err := s.app.SetRole(r.Context(), id, r.PostForm.Get("role"))
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, fmt.Sprintf("/people/%d", id), "Role changed.")
	case tandem.EINVALID:
		s.showPerson(w, r, s.status(r, err), "person", formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

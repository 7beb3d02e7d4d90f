package web

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

type skillLevelJSON struct {
	SkillID int64  `json:"skill_id,omitempty"`
	Name    string `json:"name"`
	Level   string `json:"level"`
	Coaches bool   `json:"coaches"`
	Retired bool   `json:"retired,omitempty"`
}

type profileJSON struct {
	ID              int64            `json:"id"`
	Email           string           `json:"email"`
	Name            string           `json:"name"`
	Role            string           `json:"role"`
	HasAccount      bool             `json:"has_account"`
	ManagerID       *int64           `json:"manager_id"`
	Title           string           `json:"title"`
	Department      string           `json:"department"`
	Location        string           `json:"location"`
	TimeZone        string           `json:"time_zone"`
	Languages       []string         `json:"languages"`
	Interests       []string         `json:"interests"`
	Bio             string           `json:"bio"`
	YearsExperience int              `json:"years_experience"`
	MentorCapacity  int              `json:"mentor_capacity"`
	Skills          []skillLevelJSON `json:"skills"`
	// DeactivatedAt is when the person left the organization, null while
	// they are active.
	DeactivatedAt      *time.Time `json:"deactivated_at"`
	DeactivationReason string     `json:"deactivation_reason,omitempty"`
}

func toProfileJSON(p *tandem.Person) profileJSON {
	out := profileJSON{ID: p.ID, Email: p.Email, Name: p.Name, Role: p.Role, HasAccount: p.AccountID != 0,
		Title: p.Title, Department: p.Department, Location: p.Location, TimeZone: p.TimeZone,
		Languages: orEmpty(p.Languages), Interests: orEmpty(p.Interests), Bio: p.Bio,
		YearsExperience: p.YearsExperience, MentorCapacity: p.MentorCapacity, Skills: []skillLevelJSON{},
		DeactivatedAt: p.DeactivatedAt, DeactivationReason: p.DeactivationReason}
	if p.ManagerID != 0 {
		id := p.ManagerID
		out.ManagerID = &id
	}
	for _, s := range p.Skills {
		out.Skills = append(out.Skills, skillLevelJSON{SkillID: s.SkillID, Name: s.Name, Level: s.Level.String(), Coaches: s.Coaches, Retired: s.Retired})
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type refJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Title string `json:"title"`
}

func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request) {
	f := filterFromQuery(r.URL.Query())
	people, total, err := s.app.SearchPeople(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]profileJSON, len(people))
	for i := range people {
		out[i] = toProfileJSON(&people[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"people": out, "total": total, "offset": f.Offset})
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Person(r.Context(), personID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProfileJSON(v.Person))
}

func (s *Server) apiChain(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Person(r.Context(), personID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	chain := make([]refJSON, len(v.Chain))
	for i, m := range v.Chain {
		chain[i] = refJSON{ID: m.ID, Name: m.Name, Email: m.Email, Title: m.Title}
	}
	reports := make([]refJSON, len(v.Reports))
	for i, m := range v.Reports {
		reports[i] = refJSON{ID: m.ID, Name: m.Name, Email: m.Email, Title: m.Title}
	}
	writeJSON(w, http.StatusOK, map[string]any{"chain": chain, "direct_reports": reports, "below": v.Below})
}

func (s *Server) apiInChain(w http.ResponseWriter, r *http.Request) {
	manager, _ := strconv.ParseInt(r.PathValue("manager"), 10, 64)
	in, err := s.app.InChain(r.Context(), manager, personID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"in_chain": in})
}

type profileInput struct {
	Name            string           `json:"name"`
	Title           string           `json:"title"`
	Department      string           `json:"department"`
	Location        string           `json:"location"`
	TimeZone        string           `json:"time_zone"`
	Languages       []string         `json:"languages"`
	Interests       []string         `json:"interests"`
	Bio             string           `json:"bio"`
	YearsExperience int              `json:"years_experience"`
	MentorCapacity  int              `json:"mentor_capacity"`
	Skills          []skillLevelJSON `json:"skills"`
}

func (s *Server) apiUpdateProfile(w http.ResponseWriter, r *http.Request) {
	var in profileInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	prof := &tandem.Profile{Title: in.Title, Department: in.Department, Location: in.Location, TimeZone: in.TimeZone,
		Languages: in.Languages, Interests: in.Interests, Bio: in.Bio, YearsExperience: in.YearsExperience, MentorCapacity: in.MentorCapacity}
	var fe tandem.FieldErrors
	for _, sk := range in.Skills {
		lvl, ok := tandem.ParseLevel(sk.Level)
		if !ok {
			fe.Add("skills", "Use novice, beginner, intermediate, advanced or expert as the level of "+sk.Name+".")
		}
		prof.Skills = append(prof.Skills, tandem.PersonSkill{Name: sk.Name, Level: lvl, Coaches: sk.Coaches})
	}
	if err := fe.Err(); err != nil {
		s.apiError(w, r, err)
		return
	}
	id := personID(r)
	if err := s.app.UpdateProfile(r.Context(), id, in.Name, prof); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiPerson(w, r)
}

func (s *Server) apiSetManager(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ManagerEmail string `json:"manager_email"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.SetManagerByEmail(r.Context(), personID(r), in.ManagerEmail); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiPerson(w, r)
}

func (s *Server) apiSetRole(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Role string `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.SetRole(r.Context(), personID(r), in.Role); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiPerson(w, r)
}

type importReportJSON struct {
	Rows           int                 `json:"rows"`
	Created        int                 `json:"created"`
	Updated        int                 `json:"updated"`
	NewSkills      []string            `json:"new_skills"`
	UnknownColumns []string            `json:"unknown_columns"`
	Problems       []importProblemJSON `json:"problems"`      // the first 1,000
	MoreProblems   int                 `json:"more_problems"` // found beyond those
	// Deactivated: who was deactivated for not being in the file (or
	// would be, in a dry run), with deactivate_missing.
	Deactivated      []refJSON `json:"deactivated"`
	EndedEngagements int       `json:"ended_engagements"`
	DryRun           bool      `json:"dry_run"`
}

type importProblemJSON struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

func toImportReportJSON(rep *tandem.ImportReport) importReportJSON {
	out := importReportJSON{Rows: rep.Rows, Created: rep.Created, Updated: rep.Updated,
		NewSkills: orEmpty(rep.NewSkills), UnknownColumns: orEmpty(rep.UnknownColumns), Problems: []importProblemJSON{},
		MoreProblems: rep.MoreProblems, Deactivated: []refJSON{}, EndedEngagements: rep.EndedEngagements, DryRun: rep.DryRun}
	for _, p := range rep.Deactivated {
		out.Deactivated = append(out.Deactivated, refJSON{ID: p.ID, Name: p.Name, Email: p.Email, Title: p.Title})
	}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, importProblemJSON{Line: p.Line, Column: p.Column, Value: p.Value, Reason: p.Reason})
	}
	return out
}

// apiImport takes the CSV as the request body (Content-Type text/csv). A
// file with problems answers 422 with the report in "report". The actor's
// permission is checked before a byte of the body is read.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	if err := s.app.MayImportPeople(r.Context()); err != nil {
		s.apiError(w, r, err)
		return
	}
	// An import that stops early leaves the body unread: read it to the
	// body limit so the client gets the answer, not a reset connection.
	defer io.Copy(io.Discard, r.Body)
	q := r.URL.Query()
	opts := app.ImportOptions{DeactivateMissing: q.Get("deactivate_missing") == "true", DryRun: q.Get("dry_run") == "true"}
	rep, err := s.app.ImportPeopleWith(r.Context(), r.Body, opts, nil)
	if err != nil {
		if rep == nil || tandem.ErrorCode(err) != tandem.EINVALID {
			s.apiError(w, r, err)
			return
		}
		st := s.status(r, err)
		writeProblem(w, r, st, err, map[string]any{"report": toImportReportJSON(rep)})
		return
	}
	writeJSON(w, http.StatusOK, toImportReportJSON(rep))
}

func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	if !tandem.ActorFrom(r.Context()).Person.IsAdmin() {
		s.apiError(w, r, tandem.Errorf(tandem.EFORBIDDEN, "Only administrators can export people."))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	if err := s.app.ExportPeople(r.Context(), w); err != nil {
		s.log.ErrorContext(r.Context(), "export people", "err", err)
	}
}

type skillJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Retired bool   `json:"retired"`
	People  int    `json:"people"`
}

func (s *Server) apiSkills(w http.ResponseWriter, r *http.Request) {
	skills, err := s.app.ListSkills(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]skillJSON, len(skills))
	for i, sk := range skills {
		out[i] = skillJSON{ID: sk.ID, Name: sk.Name, Retired: sk.Retired(), People: sk.People}
	}
	writeJSON(w, http.StatusOK, map[string]any{"skills": out})
}

func (s *Server) apiCreateSkill(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	sk, err := s.app.CreateSkill(r.Context(), in.Name)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, skillJSON{ID: sk.ID, Name: sk.Name})
}

// apiUpdateSkill renames a skill and/or retires or restores it.
func (s *Server) apiUpdateSkill(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name    *string `json:"name"`
		Retired *bool   `json:"retired"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if in.Name != nil {
		if err := s.app.RenameSkill(r.Context(), id, *in.Name); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	if in.Retired != nil {
		if err := s.app.SetSkillRetired(r.Context(), id, *in.Retired); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMergeSkill(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Into int64 `json:"into"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.app.MergeSkills(r.Context(), id, in.Into); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type deactivationJSON struct {
	Person           profileJSON `json:"person"`
	EndedEngagements []int64     `json:"ended_engagements"`
}

// apiDeactivate records that a person left the organization.
func (s *Server) apiDeactivate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.app.Deactivate(r.Context(), personID(r), in.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := deactivationJSON{Person: toProfileJSON(&d.Person), EndedEngagements: d.Ended}
	if out.EndedEngagements == nil {
		out.EndedEngagements = []int64{}
	}
	writeJSON(w, http.StatusOK, out)
}

// apiReactivate gives a person who left their access back.
func (s *Server) apiReactivate(w http.ResponseWriter, r *http.Request) {
	var in struct{}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.app.Reactivate(r.Context(), personID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProfileJSON(p))
}

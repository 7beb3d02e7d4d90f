package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// The programs API: /api/v1/programs, its questionnaire and applications.

type personRefJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type programJSON struct {
	ID             int64                 `json:"id"`
	Name           string                `json:"name"`
	Description    string                `json:"description"`
	Kind           tandem.Kind           `json:"kind"`
	State          tandem.ProgramState   `json:"state"`
	Eligibility    tandem.Eligibility    `json:"eligibility"`
	Eligible       []string              `json:"eligible,omitempty"` // to those who run it
	EnrollOpens    string                `json:"enroll_opens"`
	EnrollCloses   string                `json:"enroll_closes"`
	MatchingOn     string                `json:"matching_on"`
	EndsOn         string                `json:"ends_on"`
	FirstReviewOn  string                `json:"first_review_on"`
	MentorCapacity int                   `json:"mentor_capacity"`
	Areas          []tandem.Area         `json:"areas"`
	Admins         []personRefJSON       `json:"admins"`
	Viewer         tandem.Viewer         `json:"viewer,omitempty"`
	MayEnroll      bool                  `json:"may_enroll"`
	NextStates     []tandem.ProgramState `json:"next_states,omitempty"` // to those who run it
	Applications   map[string]int        `json:"applications,omitempty"`
	MyApplication  *applicationJSON      `json:"my_application,omitempty"`
	CreatedAt      time.Time             `json:"created_at"`
}

func toProgramJSON(p *tandem.Program, v *app.ProgramView) programJSON {
	out := programJSON{ID: p.ID, Name: p.Name, Description: p.Description, Kind: p.Kind, State: p.State, Eligibility: p.Eligibility,
		EnrollOpens: p.EnrollOpens, EnrollCloses: p.EnrollCloses, MatchingOn: p.MatchingOn, EndsOn: p.EndsOn, FirstReviewOn: p.FirstReviewOn,
		MentorCapacity: p.MentorCapacity, Areas: p.Areas, Admins: []personRefJSON{}, CreatedAt: p.CreatedAt}
	if out.Areas == nil {
		out.Areas = []tandem.Area{}
	}
	for _, a := range p.Admins {
		out.Admins = append(out.Admins, personRefJSON{ID: a.ID, Name: a.Name, Email: a.Email})
	}
	runs := v == nil || v.Runs()
	if runs {
		out.Eligible, out.NextStates = p.Eligible, p.State.Next()
		if p.Applications != nil {
			out.Applications = map[string]int{}
			for _, st := range tandem.ApplicationStatuses {
				out.Applications[string(st)] = p.Applications[st]
			}
		}
	}
	if v != nil {
		out.Viewer, out.MayEnroll = v.Viewer, v.MayEnroll
		if v.Application != nil {
			a := toApplicationJSON(v.Application)
			out.MyApplication = &a
		}
	}
	return out
}

type programInput struct {
	Name           string             `json:"name"`
	Description    string             `json:"description"`
	Kind           tandem.Kind        `json:"kind"`
	Eligibility    tandem.Eligibility `json:"eligibility"`
	Eligible       []string           `json:"eligible"`
	EnrollOpens    string             `json:"enroll_opens"`
	EnrollCloses   string             `json:"enroll_closes"`
	MatchingOn     string             `json:"matching_on"`
	EndsOn         string             `json:"ends_on"`
	FirstReviewOn  string             `json:"first_review_on"`
	MentorCapacity int                `json:"mentor_capacity"`
	Areas          []tandem.Area      `json:"areas"`
}

func (in programInput) program() tandem.Program {
	return tandem.Program{Name: in.Name, Description: in.Description, Kind: in.Kind, Eligibility: in.Eligibility, Eligible: in.Eligible,
		EnrollOpens: in.EnrollOpens, EnrollCloses: in.EnrollCloses, MatchingOn: in.MatchingOn, EndsOn: in.EndsOn,
		FirstReviewOn: in.FirstReviewOn, MentorCapacity: in.MentorCapacity, Areas: in.Areas}
}

func (s *Server) apiPrograms(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Programs(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]programJSON, len(list))
	for i := range list {
		out[i] = toProgramJSON(&list[i].Program, &list[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"programs": out})
}

func (s *Server) apiCreateProgram(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckCreateProgram(r.Context()); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		programInput
		AdminEmails []string `json:"admin_emails"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.app.CreateProgram(r.Context(), in.program(), in.AdminEmails)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toProgramJSON(p, nil))
}

func (s *Server) apiProgram(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Program(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProgramJSON(&v.Program, v))
}

func (s *Server) apiUpdateProgram(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in programInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if _, err := s.app.UpdateProgram(r.Context(), programID(r), in.program()); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiProgram(w, r)
}

func (s *Server) apiMoveProgram(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		State tandem.ProgramState `json:"state"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if _, err := s.app.MoveProgram(r.Context(), programID(r), in.State); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiProgram(w, r)
}

func (s *Server) apiSetProgramAdmins(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		AdminEmails []string `json:"admin_emails"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.SetProgramAdmins(r.Context(), programID(r), in.AdminEmails); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiProgram(w, r)
}

// Questions.

type questionJSON struct {
	ID       int64               `json:"id"`
	Position int                 `json:"position"`
	Type     tandem.QuestionType `json:"type"`
	Label    string              `json:"label"`
	Help     string              `json:"help"`
	Options  []string            `json:"options"`
	Required bool                `json:"required"`
	Rule     tandem.Rule         `json:"rule"`
	Weight   int                 `json:"weight"`
	Hours    int                 `json:"hours"`
	Answers  int                 `json:"answers"`
}

func toQuestionJSON(q *tandem.Question) questionJSON {
	return questionJSON{ID: q.ID, Position: q.Position, Type: q.Type, Label: q.Label, Help: q.Help, Options: orEmpty(q.Options),
		Required: q.Required, Rule: q.Rule, Weight: q.Weight, Hours: q.Hours, Answers: q.Answers}
}

type questionInput struct {
	Type     tandem.QuestionType `json:"type"`
	Label    string              `json:"label"`
	Help     string              `json:"help"`
	Options  []string            `json:"options"`
	Required bool                `json:"required"`
	Rule     tandem.Rule         `json:"rule"`
	Weight   int                 `json:"weight"`
	Hours    int                 `json:"hours"`
}

func (in questionInput) question() tandem.Question {
	return tandem.Question{Type: in.Type, Label: in.Label, Help: in.Help, Options: in.Options, Required: in.Required,
		Rule: in.Rule, Weight: in.Weight, Hours: in.Hours}
}

func (s *Server) apiQuestions(w http.ResponseWriter, r *http.Request) {
	qs, err := s.app.Questions(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]questionJSON, len(qs))
	for i := range qs {
		out[i] = toQuestionJSON(&qs[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"questions": out})
}

func questionID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("question"), 10, 64)
	return id
}

func (s *Server) apiAddQuestion(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in questionInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	q, err := s.app.AddQuestion(r.Context(), programID(r), in.question())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toQuestionJSON(q))
}

func (s *Server) apiUpdateQuestion(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in questionInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	q, err := s.app.UpdateQuestion(r.Context(), programID(r), questionID(r), in.question())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toQuestionJSON(q))
}

func (s *Server) apiDeleteQuestion(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeleteQuestion(r.Context(), programID(r), questionID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Applications.

type applicationJSON struct {
	ID        int64                    `json:"id"`
	Person    personRefJSON            `json:"person"`
	Role      tandem.ApplicationRole   `json:"role"`
	Capacity  int                      `json:"capacity"`
	Status    tandem.ApplicationStatus `json:"status"`
	Answers   map[string]tandem.Answer `json:"answers"`
	CreatedAt time.Time                `json:"created_at"`
	UpdatedAt time.Time                `json:"updated_at"`
	DecidedAt *time.Time               `json:"decided_at"`
}

func toApplicationJSON(a *tandem.Application) applicationJSON {
	out := applicationJSON{ID: a.ID, Person: personRefJSON{ID: a.Person.ID, Name: a.Person.Name, Email: a.Person.Email},
		Role: a.Role, Capacity: a.Capacity, Status: a.Status, Answers: map[string]tandem.Answer{},
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, DecidedAt: a.DecidedAt}
	for id, ans := range a.Answers {
		out.Answers[strconv.FormatInt(id, 10)] = ans
	}
	return out
}

// apiApply enrolls the caller (POST) or changes their application (PUT).
// Answers are keyed by question id.
func (s *Server) apiApply(edit bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
			s.apiError(w, r, err)
			return
		}
		var in struct {
			Role     tandem.ApplicationRole   `json:"role"`
			Capacity int                      `json:"capacity"`
			Answers  map[string]tandem.Answer `json:"answers"`
		}
		if err := decodeJSON(r, &in); err != nil {
			s.apiError(w, r, err)
			return
		}
		ap := tandem.Application{Role: in.Role, Capacity: in.Capacity, Answers: map[int64]tandem.Answer{}}
		for k, v := range in.Answers {
			id, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				s.apiError(w, r, &tandem.Error{Code: tandem.EMALFORMED, Message: "Key answers by question id.",
					Fields: map[string]string{"answers": "Key answers by question id, such as \"12\"."}})
				return
			}
			ap.Answers[id] = v
		}
		got, err := s.app.Apply(r.Context(), programID(r), ap, edit)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		status := http.StatusCreated
		if edit {
			status = http.StatusOK
		}
		writeJSON(w, status, toApplicationJSON(got))
	}
}

func (s *Server) apiWithdraw(w http.ResponseWriter, r *http.Request) {
	if err := s.app.Withdraw(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) {
	f := sqldb.ApplicationFilter{Status: tandem.ApplicationStatus(r.URL.Query().Get("status")), Role: tandem.ApplicationRole(r.URL.Query().Get("role"))}
	list, err := s.app.Applications(r.Context(), programID(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]applicationJSON, len(list))
	for i := range list {
		out[i] = toApplicationJSON(&list[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"applications": out})
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		Decision string `json:"decision"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	appID, _ := strconv.ParseInt(r.PathValue("application"), 10, 64)
	a, err := s.app.Decide(r.Context(), programID(r), appID, in.Decision)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toApplicationJSON(a))
}

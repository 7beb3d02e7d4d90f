package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// Program pages: the list, a program's page (with its state moves and
// program admins), the create and edit form, the questionnaire builder,
// the enrollment form and the applications table.

type programsPage struct {
	Page
	Programs []app.ProgramView
}

func (s *Server) handlePrograms(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Programs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "programs", &programsPage{Page: Page{Title: "Programs", Nav: "programs"}, Programs: list})
}

func programID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// programFromForm reads the create and edit form.
func programFromForm(r *http.Request) tandem.Program {
	f := r.PostForm
	p := tandem.Program{Name: f.Get("name"), Description: f.Get("description"), Kind: tandem.Kind(f.Get("kind")),
		Eligibility: tandem.Eligibility(f.Get("eligibility")), Eligible: lines(f.Get("eligible")),
		EnrollOpens: f.Get("enroll_opens"), EnrollCloses: f.Get("enroll_closes"), MatchingOn: f.Get("matching_on"),
		EndsOn: f.Get("ends_on"), FirstReviewOn: f.Get("first_review_on")}
	if c := strings.TrimSpace(f.Get("mentor_capacity")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			n = -1 // not a number: Validate says what to enter
		}
		p.MentorCapacity = n
	}
	for _, a := range f["areas"] {
		p.Areas = append(p.Areas, tandem.Area(a))
	}
	return p
}

// lines splits a text area into its non-empty lines (commas separate too).
func lines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// programFormValues fills the form with a program's values, for editing.
func programFormValues(p *tandem.Program) url.Values {
	v := url.Values{"name": {p.Name}, "description": {p.Description}, "kind": {string(p.Kind)}, "eligibility": {string(p.Eligibility)},
		"eligible": {strings.Join(p.Eligible, "\n")}, "enroll_opens": {p.EnrollOpens}, "enroll_closes": {p.EnrollCloses},
		"matching_on": {p.MatchingOn}, "ends_on": {p.EndsOn}, "first_review_on": {p.FirstReviewOn},
		"mentor_capacity": {strconv.Itoa(p.MentorCapacity)}}
	for _, a := range p.Areas {
		v.Add("areas", string(a))
	}
	var emails []string
	for _, a := range p.Admins {
		emails = append(emails, a.Email)
	}
	v.Set("admins", strings.Join(emails, "\n"))
	return v
}

type programFormPage struct {
	Page
	Program *app.ProgramView // nil when creating
	Form    Form
}

// HasArea reports whether the form has the area ticked (a new form: all).
func (p *programFormPage) HasArea(a tandem.Area) bool {
	if p.Form.Values == nil || (p.Program == nil && p.Form.Values.Get("name") == "" && len(p.Form.Values["areas"]) == 0) {
		return true
	}
	for _, x := range p.Form.Values["areas"] {
		if x == string(a) {
			return true
		}
	}
	return false
}

// Areas lists the development areas for the form.
func (p *programFormPage) Areas() []tandem.Area { return tandem.Areas }

// Eligibilities lists the choices for the form.
func (p *programFormPage) Eligibilities() []tandem.Eligibility { return tandem.Eligibilities }

func (s *Server) handleNewProgram(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckCreateProgram(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "program_form", &programFormPage{Page: Page{Title: "New program", Nav: "programs"},
		Form: Form{Values: url.Values{"mentor_capacity": {"1"}, "eligibility": {"everyone"}}}})
}

func (s *Server) handleCreateProgram(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	p, err := s.app.CreateProgram(r.Context(), programFromForm(r), lines(r.PostForm.Get("admins")))
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/programs/"+strconv.FormatInt(p.ID, 10), "Program created as a draft: add its questions, then open enrollment.")
	case tandem.EINVALID, tandem.ECONFLICT:
		s.render(w, r, s.status(r, err), "program_form", &programFormPage{Page: Page{Title: "New program", Nav: "programs"}, Form: formFrom(r, err)})
	default:
		s.serverError(w, r, err)
	}
}

type programPage struct {
	Page
	Program   *app.ProgramView
	Questions []tandem.Question
	Form      Form // the admins form or the state form, when refused
	// Invitation is the viewer's invitation to apply, when they have one
	// and have not applied.
	Invitation *tandem.ProgramInvitation
	SelfServe  *app.SelfServeView
}

// Count returns how many applications have the status.
func (p *programPage) Count(status string) int {
	return p.Program.Applications[tandem.ApplicationStatus(status)]
}

func (s *Server) showProgram(w http.ResponseWriter, r *http.Request, status int, form Form) {
	v, err := s.app.Program(r.Context(), programID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	qs, err := s.app.Questions(r.Context(), v.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if form.Values == nil && v.Names() {
		form.Values = url.Values{"admins": {programFormValues(&v.Program).Get("admins")}}
	}
	ss, err := s.app.SelfServe(r.Context(), v.ID, 0)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := &programPage{Page: Page{Title: v.Name, Nav: "programs"}, Program: v, Questions: qs, Form: form, SelfServe: ss}
	if v.Application == nil {
		page.Invitation, err = s.app.MyProgramInvitation(r.Context(), v.ID)
		if err != nil && tandem.ErrorCode(err) != tandem.ENOTFOUND {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "program", page)
}

func (s *Server) handleProgram(w http.ResponseWriter, r *http.Request) {
	s.showProgram(w, r, http.StatusOK, Form{})
}

func (s *Server) handleEditProgramForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Program(r.Context(), programID(r))
	if err == nil && !v.Runs() {
		err = tandem.Errorf(tandem.EFORBIDDEN, "Only the program's admins and the administrators can change it.")
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "program_form", &programFormPage{Page: Page{Title: "Edit " + v.Name, Nav: "programs"}, Program: v,
		Form: Form{Values: programFormValues(&v.Program)}})
}

func (s *Server) handleEditProgram(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	_, err := s.app.UpdateProgram(r.Context(), id, programFromForm(r))
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/programs/"+strconv.FormatInt(id, 10), "Program saved.")
	case tandem.EINVALID, tandem.ECONFLICT:
		v, verr := s.app.Program(r.Context(), id)
		if verr != nil {
			s.serverError(w, r, verr)
			return
		}
		s.render(w, r, s.status(r, err), "program_form", &programFormPage{Page: Page{Title: "Edit " + v.Name, Nav: "programs"}, Program: v, Form: formFrom(r, err)})
	default:
		s.serverError(w, r, err)
	}
}

// programAction runs a change from the program's page and shows it again,
// with the error beside its form.
func (s *Server) programAction(w http.ResponseWriter, r *http.Request, done string, fn func(id int64) error) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	err := fn(id)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/programs/"+strconv.FormatInt(id, 10), done)
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showProgram(w, r, s.status(r, err), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleProgramState(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "The program moved on.", func(id int64) error {
		_, err := s.app.MoveProgram(r.Context(), id, tandem.ProgramState(r.PostForm.Get("state")))
		return err
	})
}

func (s *Server) handleProgramAdmins(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "Program admins saved.", func(id int64) error {
		return s.app.SetProgramAdmins(r.Context(), id, lines(r.PostForm.Get("admins")))
	})
}

// The questionnaire builder.

type questionsPage struct {
	Page
	Program   *app.ProgramView
	Questions []tandem.Question
	Form      Form
	FormFor   int64 // the question whose form has errors; 0 for the new one
}

// questionForm is what the builder's question form partial reads.
type questionForm struct {
	Page   *questionsPage
	Form   Form
	Action string
	ID     int64
}

// Types lists the question types for the builder.
func (p *questionsPage) Types() []tandem.QuestionType { return tandem.QuestionTypes }

// Rules lists the matching rules for the builder.
func (p *questionsPage) Rules() []tandem.Rule {
	return append([]tandem.Rule{tandem.RuleNone}, tandem.Rules...)
}

// QuestionValues fills a question's form with its values.
func (p *questionsPage) QuestionValues(q tandem.Question) Form {
	if p.FormFor == q.ID && p.Form.Values != nil {
		return p.Form
	}
	v := url.Values{"type": {string(q.Type)}, "label": {q.Label}, "help": {q.Help}, "options": {strings.Join(q.Options, "\n")},
		"rule": {string(q.Rule)}, "weight": {strconv.Itoa(q.Weight)}, "hours": {strconv.Itoa(q.Hours)}}
	if q.Required {
		v.Set("required", "1")
	}
	return Form{Values: v}
}

// NewForm is the form of the question to add.
func (p *questionsPage) NewForm() Form {
	if p.FormFor == 0 && p.Form.Values != nil {
		return p.Form
	}
	return Form{Values: url.Values{"type": {"single"}, "weight": {"1"}}}
}

func (s *Server) showQuestions(w http.ResponseWriter, r *http.Request, status int, form Form, formFor int64) {
	v, err := s.app.Program(r.Context(), programID(r))
	if err == nil && !v.Runs() {
		err = tandem.Errorf(tandem.EFORBIDDEN, "Only the program's admins and the administrators build its questionnaire.")
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	qs, err := s.app.Questions(r.Context(), v.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "program_questions", &questionsPage{Page: Page{Title: "Questionnaire: " + v.Name, Nav: "programs"},
		Program: v, Questions: qs, Form: form, FormFor: formFor})
}

func (s *Server) handleQuestions(w http.ResponseWriter, r *http.Request) {
	s.showQuestions(w, r, http.StatusOK, Form{}, 0)
}

func questionFromForm(f url.Values) tandem.Question {
	q := tandem.Question{Type: tandem.QuestionType(f.Get("type")), Label: f.Get("label"), Help: f.Get("help"),
		Options: strings.Split(strings.ReplaceAll(f.Get("options"), "\r", ""), "\n"), Required: f.Get("required") != "",
		Rule: tandem.Rule(f.Get("rule"))}
	q.Weight = formInt(f.Get("weight"))
	q.Hours = formInt(f.Get("hours"))
	return q
}

// formInt reads a number field; an empty one is 0, a word -1 (so the
// domain's range check names the field).
func formInt(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// questionAction runs a change from the builder and shows it again.
func (s *Server) questionAction(w http.ResponseWriter, r *http.Request, done string, fn func(id, qid int64) error) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	qid, _ := strconv.ParseInt(r.PathValue("question"), 10, 64)
	err := fn(id, qid)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"/questions", done)
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showQuestions(w, r, s.status(r, err), formFrom(r, err), qid)
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleAddQuestion(w http.ResponseWriter, r *http.Request) {
	s.questionAction(w, r, "Question added.", func(id, _ int64) error {
		_, err := s.app.AddQuestion(r.Context(), id, questionFromForm(r.PostForm))
		return err
	})
}

func (s *Server) handleUpdateQuestion(w http.ResponseWriter, r *http.Request) {
	s.questionAction(w, r, "Question saved.", func(id, qid int64) error {
		_, err := s.app.UpdateQuestion(r.Context(), id, qid, questionFromForm(r.PostForm))
		return err
	})
}

func (s *Server) handleDeleteQuestion(w http.ResponseWriter, r *http.Request) {
	s.questionAction(w, r, "Question removed.", func(id, qid int64) error {
		return s.app.DeleteQuestion(r.Context(), id, qid)
	})
}

// The enrollment form, generated from the questionnaire.

type enrollPage struct {
	Page
	Program   *app.ProgramView
	Questions []tandem.Question
	Form      Form
}

// Field is the form field name of a question.
func (p *enrollPage) Field(q tandem.Question) string { return tandem.QuestionField(q.ID) }

// Chosen reports whether an option is chosen in the form.
func (p *enrollPage) Chosen(q tandem.Question, option string) bool {
	for _, v := range p.Form.Values[tandem.QuestionField(q.ID)] {
		if v == option {
			return true
		}
	}
	return false
}

// Editing reports whether the person is changing a standing application.
func (p *enrollPage) Editing() bool {
	return p.Program.Application != nil && p.Program.Application.Status != tandem.AppWithdrawn
}

func applicationFormValues(ap *tandem.Application, qs []tandem.Question) url.Values {
	v := url.Values{"role": {string(ap.Role)}}
	if ap.Capacity > 0 {
		v.Set("capacity", strconv.Itoa(ap.Capacity))
	}
	for _, q := range qs {
		a, ok := ap.Answers[q.ID]
		if !ok {
			continue
		}
		if q.Type == tandem.QuestionMultiple {
			v[tandem.QuestionField(q.ID)] = a.Choices
		} else {
			v.Set(tandem.QuestionField(q.ID), a.String())
		}
	}
	return v
}

func (s *Server) showEnroll(w http.ResponseWriter, r *http.Request, status int, form Form) {
	v, err := s.app.Program(r.Context(), programID(r))
	if err == nil && !v.MayEnroll {
		err = tandem.Errorf(tandem.EFORBIDDEN, "This program is not open to you.")
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	qs, err := s.app.Questions(r.Context(), v.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if form.Values == nil {
		form.Values = url.Values{"role": {"mentee"}, "capacity": {strconv.Itoa(v.MentorCapacity)}}
		if v.Application != nil && v.Application.Status != tandem.AppWithdrawn {
			form.Values = applicationFormValues(v.Application, qs)
		}
	}
	s.render(w, r, status, "program_enroll", &enrollPage{Page: Page{Title: "Enroll: " + v.Name, Nav: "programs"}, Program: v, Questions: qs, Form: form})
}

func (s *Server) handleEnrollForm(w http.ResponseWriter, r *http.Request) {
	s.showEnroll(w, r, http.StatusOK, Form{})
}

// applicationFromForm reads the enrollment form: each question's answer is
// the field q<id> (several values for multiple choice; skills as
// name:level;name:level).
func applicationFromForm(f url.Values, qs []tandem.Question) (tandem.Application, error) {
	ap := tandem.Application{Role: tandem.ApplicationRole(f.Get("role")), Answers: map[int64]tandem.Answer{}}
	if ap.Role == tandem.AsMentor {
		ap.Capacity = formInt(f.Get("capacity"))
	}
	var fe tandem.FieldErrors
	for _, q := range qs {
		name := tandem.QuestionField(q.ID)
		var a tandem.Answer
		if q.Type == tandem.QuestionMultiple {
			for _, c := range f[name] {
				if c = strings.TrimSpace(c); c != "" {
					a.Choices = append(a.Choices, c)
				}
			}
		} else {
			var msg string
			if a, msg = q.ParseAnswer(f.Get(name)); msg != "" {
				fe.Add(name, msg)
				continue
			}
		}
		if !a.Empty() {
			ap.Answers[q.ID] = a
		}
	}
	return ap, fe.Err()
}

func (s *Server) handleEnroll(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	v, err := s.app.Program(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	qs, err := s.app.Questions(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Who may enroll first; then the form's own reading, so an answer
	// that could not be read never leaves a half-saved application.
	edit := v.Application != nil && v.Application.Status != tandem.AppWithdrawn
	err = s.app.CheckApply(r.Context(), id)
	if err == nil {
		var ap tandem.Application
		if ap, err = applicationFromForm(r.PostForm, qs); err == nil {
			_, err = s.app.Apply(r.Context(), id, ap, edit)
		}
	}
	switch tandem.ErrorCode(err) {
	case "":
		msg := "Application sent: the program admin will approve it."
		if edit {
			msg = "Application saved."
		}
		s.redirect(w, r, "/programs/"+strconv.FormatInt(id, 10), msg)
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showEnroll(w, r, s.status(r, err), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleWithdraw(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "Application withdrawn.", func(id int64) error {
		return s.app.Withdraw(r.Context(), id)
	})
}

// The applications table.

type applicationsPage struct {
	Page
	Program      *app.ProgramView
	Questions    []tandem.Question
	Applications []tandem.Application
	Status, Role string
	Form         Form
	FormFor      int64
}

// Statuses lists the statuses for the filter.
func (p *applicationsPage) Statuses() []tandem.ApplicationStatus { return tandem.ApplicationStatuses }

func (s *Server) showApplications(w http.ResponseWriter, r *http.Request, status int, form Form, formFor int64) {
	id := programID(r)
	f := sqldb.ApplicationFilter{Status: tandem.ApplicationStatus(r.URL.Query().Get("status")), Role: tandem.ApplicationRole(r.URL.Query().Get("role"))}
	list, err := s.app.Applications(r.Context(), id, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, err := s.app.Program(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	qs, err := s.app.Questions(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "program_applications", &applicationsPage{Page: Page{Title: "Applications: " + v.Name, Nav: "programs"},
		Program: v, Questions: qs, Applications: list, Status: string(f.Status), Role: string(f.Role), Form: form, FormFor: formFor})
}

func (s *Server) handleApplications(w http.ResponseWriter, r *http.Request) {
	s.showApplications(w, r, http.StatusOK, Form{}, 0)
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	appID, _ := strconv.ParseInt(r.PathValue("application"), 10, 64)
	ap, err := s.app.Decide(r.Context(), id, appID, r.PostForm.Get("decision"))
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"/applications", ap.Person.Name+": "+strings.ToLower(ap.Status.Label())+".")
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showApplications(w, r, s.status(r, err), formFrom(r, err), appID)
	default:
		s.serverError(w, r, err)
	}
}

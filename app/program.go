package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Programs: an administrator creates a program and names its program
// admins; they run it (its fields, states, questionnaire and
// applications); members it is open to apply. Who may do what is the
// program matrix of visibility.go (tandem.CanProgram): a program someone
// may not see answers not found, work on a program someone sees but may
// not do answers forbidden.

// ProgramView is a program as one person may see it.
type ProgramView struct {
	tandem.Program
	Viewer tandem.Viewer
	// MayEnroll: the person is eligible and may apply (when the state
	// and dates allow).
	MayEnroll bool
	// Application is the person's own application, if any.
	Application *tandem.Application
}

// Runs reports whether the viewer runs the program.
func (v *ProgramView) Runs() bool { return tandem.CanProgram(v.Viewer, tandem.ProgramRun) }

// Names reports whether the viewer names the program's admins.
func (v *ProgramView) Names() bool { return tandem.CanProgram(v.Viewer, tandem.ProgramNaming) }

// program loads a program for the actor and checks the facet: not found
// when the actor may not see the program at all, forbidden when they see
// it but the facet is not theirs.
func (a *App) program(ctx context.Context, id int64, f tandem.ProgramFacet) (*tandem.Actor, *ProgramView, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	notFound := tandem.Errorf(tandem.ENOTFOUND, "No such program.")
	if act.Person.Guest {
		return nil, nil, notFound
	}
	p, err := a.DB.ProgramByID(ctx, act.Org.ID, id)
	if err != nil {
		return nil, nil, err
	}
	mine, err := a.DB.ApplicationOf(ctx, act.Org.ID, id, act.Person.ID)
	if err != nil && tandem.ErrorCode(err) != tandem.ENOTFOUND {
		return nil, nil, err
	}
	who, err := a.enroller(ctx, act, p.Eligibility)
	if err != nil {
		return nil, nil, err
	}
	v := &ProgramView{Program: *p, Viewer: p.ViewerOf(who, mine != nil), MayEnroll: p.MayEnroll(who), Application: mine}
	if v.Viewer == tandem.ViewerNone || !tandem.CanProgram(v.Viewer, tandem.ProgramOverview) {
		return nil, nil, notFound
	}
	if !tandem.CanProgram(v.Viewer, f) {
		return nil, nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the program's admins and the administrators of %s can do this.", act.Org.Name)
	}
	if !v.Runs() {
		// Applicants and eligible members see the overview, not the
		// counts of applications.
		v.Applications = nil
	}
	return act, v, nil
}

// enroller is the actor as a program's eligibility reads them: the
// signed-in person carries no department or location, so a program open
// to departments or locations needs the whole profile.
func (a *App) enroller(ctx context.Context, act *tandem.Actor, e tandem.Eligibility) (*tandem.Person, error) {
	if e != tandem.EnrollDepartments && e != tandem.EnrollLocations {
		return act.Person, nil
	}
	p, err := a.DB.PersonByID(ctx, act.Org.ID, act.Person.ID)
	if err != nil {
		return nil, err
	}
	p.Role = act.Person.Role
	return p, nil
}

// Programs lists the programs the actor may see: all for an
// administrator; for anyone else those they run, have applied to, or may
// enroll in once open.
func (a *App) Programs(ctx context.Context) ([]ProgramView, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	list, err := a.DB.ListPrograms(ctx, act.Org.ID)
	if err != nil {
		return nil, err
	}
	applied, err := a.DB.AppliedPrograms(ctx, act.Org.ID, act.Person.ID)
	if err != nil {
		return nil, err
	}
	who, err := a.enroller(ctx, act, tandem.EnrollDepartments)
	if err != nil {
		return nil, err
	}
	var out []ProgramView
	for _, p := range list {
		v := ProgramView{Program: p, Viewer: p.ViewerOf(who, applied[p.ID]), MayEnroll: p.MayEnroll(who)}
		if tandem.CanProgram(v.Viewer, tandem.ProgramOverview) {
			out = append(out, v)
		}
	}
	return out, nil
}

// Program returns one program as the actor may see it.
func (a *App) Program(ctx context.Context, id int64) (*ProgramView, error) {
	_, v, err := a.program(ctx, id, tandem.ProgramOverview)
	return v, err
}

// CheckCreateProgram answers whether the actor may create programs
// (administrators), for the form before its fields are checked.
func (a *App) CheckCreateProgram(ctx context.Context) error {
	_, err := admin(ctx)
	return err
}

// CreateProgram creates a draft program with the program admins named by
// email. Administrators only.
func (a *App) CreateProgram(ctx context.Context, p tandem.Program, adminEmails []string) (*tandem.Program, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.createProgram(ctx, act.Org.ID, act.Person.ID, p, adminEmails)
}

// CreateProgramForOperator creates a draft program in the organization
// with the operator's authority, for the CLI.
func (a *App) CreateProgramForOperator(ctx context.Context, orgID int64, p tandem.Program, adminEmails []string) (*tandem.Program, error) {
	return a.createProgram(ctx, orgID, 0, p, adminEmails)
}

func (a *App) createProgram(ctx context.Context, orgID, by int64, p tandem.Program, adminEmails []string) (*tandem.Program, error) {
	p.OrgID, p.State, p.ID = orgID, tandem.ProgramDraft, 0
	err := p.Validate()
	ids, aerr := a.adminIDs(ctx, orgID, adminEmails)
	if err = mergeFieldErrors(err, aerr); err != nil {
		return nil, err
	}
	if err := a.DB.CreateProgram(ctx, &p, ids, by); err != nil {
		return nil, err
	}
	return &p, nil
}

// mergeFieldErrors joins the field errors of two validations; any other
// error wins.
func mergeFieldErrors(errs ...error) error {
	var fe tandem.FieldErrors
	for _, err := range errs {
		if err == nil {
			continue
		}
		if tandem.ErrorCode(err) != tandem.EINVALID {
			return err
		}
		for k, v := range tandem.ErrorFields(err) {
			fe.Add(k, v)
		}
		if len(tandem.ErrorFields(err)) == 0 {
			return err
		}
	}
	return fe.Err()
}

// adminIDs resolves program admins' emails to people of the organization.
func (a *App) adminIDs(ctx context.Context, orgID int64, emails []string) ([]int64, error) {
	var ids []int64
	var bad []string
	for _, e := range emails {
		e = tandem.NormalizeEmail(e)
		if e == "" {
			continue
		}
		id, err := a.DB.PersonIDByEmail(ctx, orgID, e)
		if tandem.ErrorCode(err) == tandem.ENOTFOUND {
			bad = append(bad, e)
			continue
		}
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if len(bad) > 0 {
		msg := fmt.Sprintf("No one in the organization has the address %s.", strings.Join(bad, ", "))
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"admins": msg}}
	}
	return ids, nil
}

// UpdateProgram saves a program's fields. Its admins and administrators.
func (a *App) UpdateProgram(ctx context.Context, id int64, p tandem.Program) (*tandem.Program, error) {
	act, v, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	p.ID, p.OrgID, p.State = id, act.Org.ID, v.State
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := a.DB.UpdateProgram(ctx, &p); err != nil {
		return nil, err
	}
	p.Admins = v.Admins
	return &p, nil
}

// SetProgramAdmins names the program's admins by email. Administrators
// only: program admins do not name one another.
func (a *App) SetProgramAdmins(ctx context.Context, id int64, emails []string) error {
	act, _, err := a.program(ctx, id, tandem.ProgramNaming)
	if err != nil {
		return err
	}
	ids, err := a.adminIDs(ctx, act.Org.ID, emails)
	if err != nil {
		return err
	}
	return a.DB.SetProgramAdmins(ctx, act.Org.ID, id, ids)
}

// MoveProgram moves the program to another state (draft → enrolling →
// matching → running → closed, or closed from any open state).
func (a *App) MoveProgram(ctx context.Context, id int64, to tandem.ProgramState) (*tandem.Program, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.MoveProgram(ctx, act.Org.ID, id, to, act.Person.ID)
}

// MoveProgramForOperator is MoveProgram with the operator's authority,
// for the CLI: the same rules of states.
func (a *App) MoveProgramForOperator(ctx context.Context, orgID, id int64, to tandem.ProgramState) (*tandem.Program, error) {
	return a.DB.MoveProgram(ctx, orgID, id, to, 0)
}

// ProgramForOperator returns any program of the organization, for the CLI.
func (a *App) ProgramForOperator(ctx context.Context, orgID, id int64) (*tandem.Program, error) {
	return a.DB.ProgramByID(ctx, orgID, id)
}

// Questions returns the program's questionnaire, to everyone who sees the
// program (the enrollment form is made from it).
func (a *App) Questions(ctx context.Context, id int64) ([]tandem.Question, error) {
	act, v, err := a.program(ctx, id, tandem.ProgramOverview)
	if err != nil {
		return nil, err
	}
	qs, err := a.DB.Questions(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	if !v.Runs() {
		for i := range qs {
			qs[i].Answers = 0 // how many answered is the program admins' to know
		}
	}
	return qs, nil
}

// AddQuestion adds a question to the program's questionnaire.
func (a *App) AddQuestion(ctx context.Context, id int64, q tandem.Question) (*tandem.Question, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	q.ID, q.ProgramID = 0, id
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := a.DB.AddQuestion(ctx, act.Org.ID, &q); err != nil {
		return nil, err
	}
	return &q, nil
}

// UpdateQuestion changes a question; one that has answers keeps its type,
// wording and options (see tandem.Question.CheckChange).
func (a *App) UpdateQuestion(ctx context.Context, id, questionID int64, q tandem.Question) (*tandem.Question, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	q.ID, q.ProgramID = questionID, id
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := a.DB.UpdateQuestion(ctx, act.Org.ID, &q); err != nil {
		return nil, err
	}
	return &q, nil
}

// DeleteQuestion removes a question nobody has answered.
func (a *App) DeleteQuestion(ctx context.Context, id, questionID int64) error {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return err
	}
	return a.DB.DeleteQuestion(ctx, act.Org.ID, id, questionID)
}

// CheckApply answers whether the actor may enroll in the program (it is
// open to them), for the form before its answers are read; the state and
// dates are Apply's.
func (a *App) CheckApply(ctx context.Context, id int64) error {
	_, v, err := a.program(ctx, id, tandem.ProgramEnroll)
	if err != nil {
		return err
	}
	if !v.MayEnroll {
		return tandem.Errorf(tandem.EFORBIDDEN, "%s is open to %s; you are not among them.", v.Name, eligibleWho(&v.Program))
	}
	return nil
}

// Apply enrolls the actor in the program as a mentor or a mentee with
// their answers, or (edit) changes their application. The program must
// be open to them (its eligibility), enrolling, and within its dates.
func (a *App) Apply(ctx context.Context, id int64, ap tandem.Application, edit bool) (*tandem.Application, error) {
	if err := a.CheckApply(ctx, id); err != nil {
		return nil, err
	}
	act, _ := actor(ctx)
	ap.ProgramID = id
	if err := a.DB.Apply(ctx, act.Org.ID, act.Person.ID, &ap, edit); err != nil {
		return nil, err
	}
	ap.Person = tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name, Email: act.Person.Email, Title: act.Person.Title}
	return &ap, nil
}

func eligibleWho(p *tandem.Program) string {
	switch p.Eligibility {
	case tandem.EnrollDepartments:
		return "the departments " + strings.Join(p.Eligible, ", ")
	case tandem.EnrollLocations:
		return "the locations " + strings.Join(p.Eligible, ", ")
	case tandem.EnrollList:
		return "a list of people"
	}
	return "the organization's members"
}

// MyApplication returns the actor's application to the program, or
// ENOTFOUND.
func (a *App) MyApplication(ctx context.Context, id int64) (*tandem.Application, error) {
	_, v, err := a.program(ctx, id, tandem.ProgramEnroll)
	if err != nil {
		return nil, err
	}
	if v.Application == nil {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "You have not applied to this program.")
	}
	return v.Application, nil
}

// Withdraw withdraws the actor's application, while the program is
// enrolling or matching.
func (a *App) Withdraw(ctx context.Context, id int64) error {
	act, _, err := a.program(ctx, id, tandem.ProgramEnroll)
	if err != nil {
		return err
	}
	return a.DB.Withdraw(ctx, act.Org.ID, id, act.Person.ID)
}

// Applications lists the program's applications with their answers, for
// its admins and administrators.
func (a *App) Applications(ctx context.Context, id int64, f sqldb.ApplicationFilter) ([]tandem.Application, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.Applications(ctx, act.Org.ID, id, f)
}

// Decide approves or declines an application: decision is "approve" or
// "decline".
func (a *App) Decide(ctx context.Context, id, appID int64, decision string) (*tandem.Application, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	if decision != "approve" && decision != "decline" {
		msg := "Choose approve or decline."
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"decision": msg}}
	}
	return a.DB.Decide(ctx, act.Org.ID, id, appID, decision == "approve", act.Person.ID)
}

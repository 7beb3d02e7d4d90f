package app

import (
	"context"
	"io"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// SearchPeople returns a page of the organization's directory. Every
// member may search it.
func (a *App) SearchPeople(ctx context.Context, f sqldb.PeopleFilter) ([]tandem.Person, int, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, 0, err
	}
	var fe tandem.FieldErrors
	checkPage(&fe, f.Limit, f.Offset, MaxDirectoryPage)
	if err := fe.Err(); err != nil {
		return nil, 0, err
	}
	return a.DB.SearchPeople(ctx, act.Org.ID, f)
}

// MaxDirectoryPage is the largest page of SearchPeople; a Limit of 0
// gives 50.
const MaxDirectoryPage = 200

// DirectoryFacets lists the departments and locations to filter on.
func (a *App) DirectoryFacets(ctx context.Context) (sqldb.Facets, error) {
	act, err := member(ctx)
	if err != nil {
		return sqldb.Facets{}, err
	}
	return a.DB.DirectoryFacets(ctx, act.Org.ID)
}

// visiblePerson answers not-found when the actor may not know whether a
// person exists: a guest sees only themself, so any other id reads as an
// id that does not exist (same code, same message as the store's), before
// anything is looked up. Members may: the directory lists everyone.
func visiblePerson(act *tandem.Actor, id int64) error {
	if act.Person.Guest && id != act.Person.ID {
		return tandem.Errorf(tandem.ENOTFOUND, "No such person.")
	}
	return nil
}

// PersonView is a person with their place in the organization.
type PersonView struct {
	Person     *tandem.Person
	Chain      []tandem.PersonRef // manager first, up to the top
	Reports    []sqldb.Report
	Below      int  // everyone below, at any depth
	CanEdit    bool // the viewer may edit the profile
	CanManage  bool // the viewer may change the manager and role
	IsViewer   bool
	ViewerName string
}

// Person returns a person of the actor's organization with their chain and
// reports. A person of another organization is ENOTFOUND, and so is, to a
// guest, anyone but themself.
func (a *App) Person(ctx context.Context, id int64) (*PersonView, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := visiblePerson(act, id); err != nil {
		return nil, err
	}
	p, err := a.DB.PersonByID(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	v := &PersonView{Person: p, IsViewer: p.ID == act.Person.ID, CanManage: act.Person.IsAdmin()}
	if !v.CanManage {
		// Why someone left, and who recorded it, is the administrators'.
		p.DeactivationReason, p.DeactivatedBy = "", 0
	}
	v.CanEdit = v.IsViewer || v.CanManage
	if v.Chain, err = a.DB.Chain(ctx, act.Org.ID, id); err != nil {
		return nil, err
	}
	if v.Reports, err = a.DB.DirectReports(ctx, act.Org.ID, id); err != nil {
		return nil, err
	}
	if v.Below, err = a.DB.CountBelow(ctx, act.Org.ID, id); err != nil {
		return nil, err
	}
	return v, nil
}

// UpdateProfile saves a person's name and profile. People edit their own;
// administrators edit anyone's in their organization.
func (a *App) UpdateProfile(ctx context.Context, personID int64, name string, prof *tandem.Profile) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := visiblePerson(act, personID); err != nil {
		return err
	}
	if personID != act.Person.ID && !act.Person.IsAdmin() {
		if _, err := a.DB.PersonByID(ctx, act.Org.ID, personID); err != nil {
			return err
		}
		return tandem.Errorf(tandem.EFORBIDDEN, "You can edit your own profile; administrators edit others'.")
	}
	name = strings.Join(strings.Fields(name), " ")
	var fe tandem.FieldErrors
	if msg := tandem.CheckName(name); msg != "" {
		fe.Add("name", msg)
	}
	for field, msg := range tandem.ErrorFields(prof.Validate()) {
		fe.Add(field, msg)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if err := a.checkGuestSkills(ctx, act, prof); err != nil {
		return err
	}
	return a.DB.UpdateProfile(ctx, act.Org.ID, personID, name, prof)
}

// SetManager changes who a person reports to; administrators only.
func (a *App) SetManager(ctx context.Context, personID, managerID int64) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	return a.DB.SetManager(ctx, act.Org.ID, personID, managerID)
}

// SetManagerByEmail changes a person's manager to the person with the
// email (empty for none); administrators only.
func (a *App) SetManagerByEmail(ctx context.Context, personID int64, email string) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	email = tandem.NormalizeEmail(email)
	if email == "" {
		return a.DB.SetManager(ctx, act.Org.ID, personID, 0)
	}
	id, err := a.DB.PersonIDByEmail(ctx, act.Org.ID, email)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return a.notInOrg(ctx, act, email, "manager_email", "Choose a manager from your organization.")
	}
	if err != nil {
		return err
	}
	return a.DB.SetManager(ctx, act.Org.ID, personID, id)
}

// SetRole changes a person's role; administrators only.
func (a *App) SetRole(ctx context.Context, personID int64, role string) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	if !tandem.ValidRole(role) {
		return &tandem.Error{Code: tandem.EINVALID, Message: "Choose a role.", Fields: map[string]string{"role": "Choose admin, program_admin or member."}}
	}
	p, err := a.DB.PersonByID(ctx, act.Org.ID, personID)
	if err != nil {
		return err
	}
	if p.Guest && role != tandem.RoleMember {
		msg := p.Name + " is a guest: guests see only their engagements and cannot administer the organization."
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"role": msg}}
	}
	return a.DB.SetRole(ctx, act.Org.ID, personID, role)
}

// InChain reports whether manager is in person's management chain.
func (a *App) InChain(ctx context.Context, manager, person int64) (bool, error) {
	act, err := member(ctx)
	if err != nil {
		return false, err
	}
	for _, id := range []int64{manager, person} {
		if _, err := a.DB.PersonByID(ctx, act.Org.ID, id); err != nil {
			return false, err
		}
	}
	return a.DB.InChain(ctx, act.Org.ID, manager, person)
}

// ImportPeople reads a people CSV and upserts it into the actor's
// organization, all or nothing; administrators only. The report lists
// every problem; with any, nothing is written and the error is EINVALID.
func (a *App) ImportPeople(ctx context.Context, r io.Reader, progress func(done, total int)) (*tandem.ImportReport, error) {
	return a.ImportPeopleWith(ctx, r, ImportOptions{}, progress)
}

// MayImportPeople returns nil when the actor may import people
// (administrators) and the refusal otherwise, so that a handler can refuse
// before it reads an upload.
func (a *App) MayImportPeople(ctx context.Context) error {
	_, err := admin(ctx)
	return err
}

// ImportPeopleInto imports into an organization with the operator's
// authority, for the CLI.
func (a *App) ImportPeopleInto(ctx context.Context, orgID int64, r io.Reader, progress func(done, total int)) (*tandem.ImportReport, error) {
	return a.importPeople(ctx, orgID, 0, r, ImportOptions{}, progress)
}

// importPeople imports into an organization by an administrator (by, 0
// for the operator).
func (a *App) importPeople(ctx context.Context, orgID, by int64, r io.Reader, opts ImportOptions, progress func(done, total int)) (*tandem.ImportReport, error) {
	rows, present, rep, err := ParsePeopleCSV(r)
	if err != nil {
		return nil, err
	}
	rep.DryRun = opts.DryRun
	if rows == nil { // the header is unusable: nothing more to check
		return rep, rep.Err()
	}
	o := sqldb.ImportOptions{DeactivateMissing: opts.DeactivateMissing, DryRun: opts.DryRun, By: by, Confirmed: opts.Confirmed}
	if err := a.DB.ImportPeopleWith(ctx, orgID, rows, present, rep, o, progress); err != nil {
		return rep, err
	}
	return rep, nil
}

// ExportPeople writes the actor's organization as a people CSV that
// imports back unchanged; administrators only.
func (a *App) ExportPeople(ctx context.Context, w io.Writer) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	return a.ExportPeopleFrom(ctx, act.Org.ID, w)
}

// ExportPeopleFrom exports an organization with the operator's authority,
// for the CLI.
func (a *App) ExportPeopleFrom(ctx context.Context, orgID int64, w io.Writer) error {
	pw, err := NewPeopleCSVWriter(w)
	if err != nil {
		return err
	}
	if err := a.DB.ExportPeople(ctx, orgID, pw.Write); err != nil {
		return err
	}
	return pw.Flush()
}

// PersonIDByEmail finds a person of the actor's organization by email, as
// a field error on field when there is none.
func (a *App) PersonIDByEmail(ctx context.Context, email, field string) (int64, error) {
	act, err := member(ctx)
	if err != nil {
		return 0, err
	}
	email = tandem.NormalizeEmail(email)
	if email == "" {
		return 0, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a person.", Fields: map[string]string{field: "Enter the person's email."}}
	}
	id, err := a.DB.PersonIDByEmail(ctx, act.Org.ID, email)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return 0, a.notInOrg(ctx, act, email, field, "Choose people from your organization.")
	}
	return id, err
}

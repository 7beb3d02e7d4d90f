package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Program invitations: a program's admins (and the administrators) invite
// people to apply, from a list, a department or location, everyone who
// may enroll, or a CSV of addresses, and remind those who have not
// answered, at most once a day each. The invitation is told by the
// program_invited job (notification, and email as the person's programs
// setting says), which reuses the program_opened job's batches.

// ProgramInvite chooses whom to invite to a program. PersonIDs and Emails
// name people one by one: each must be an active member who may enroll,
// or nothing is done and every bad one is named. Department, Location
// and AllEligible choose everyone there who may enroll (the others are
// left out and counted).
type ProgramInvite struct {
	PersonIDs   []int64
	Emails      []string
	Department  string
	Location    string
	AllEligible bool
}

// InviteToProgram invites people to apply to the program; its admins and
// administrators, while people may apply.
func (a *App) InviteToProgram(ctx context.Context, id int64, in ProgramInvite) (*sqldb.ProgramInviteResult, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.inviteToProgram(ctx, act.Org.ID, id, act.Person.ID, in, false)
}

// InviteToProgramForOperator is InviteToProgram with the operator's
// authority, for the CLI.
func (a *App) InviteToProgramForOperator(ctx context.Context, orgID, id int64, in ProgramInvite) (*sqldb.ProgramInviteResult, error) {
	return a.inviteToProgram(ctx, orgID, id, 0, in, false)
}

// InviteToProgramCSV invites the people of a CSV file with an email
// column (other columns are ignored): all or nothing, every bad line
// named in the result's Problems.
func (a *App) InviteToProgramCSV(ctx context.Context, id int64, r io.Reader) (*sqldb.ProgramInviteResult, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.inviteCSV(ctx, act.Org.ID, id, act.Person.ID, r)
}

// InviteToProgramCSVForOperator is InviteToProgramCSV for the CLI.
func (a *App) InviteToProgramCSVForOperator(ctx context.Context, orgID, id int64, r io.Reader) (*sqldb.ProgramInviteResult, error) {
	return a.inviteCSV(ctx, orgID, id, 0, r)
}

func (a *App) inviteCSV(ctx context.Context, orgID, id, by int64, r io.Reader) (*sqldb.ProgramInviteResult, error) {
	entries, rep, err := parseInviteCSV(r)
	if err != nil {
		return nil, err
	}
	if !rep.OK() { // the header
		return &sqldb.ProgramInviteResult{Problems: rep}, inviteFileError(rep)
	}
	return a.inviteToProgram(ctx, orgID, id, by, ProgramInvite{}, true, entries...)
}

func (a *App) inviteToProgram(ctx context.Context, orgID, id, by int64, in ProgramInvite, file bool, entries ...sqldb.ProgramInviteEntry) (*sqldb.ProgramInviteResult, error) {
	sel := sqldb.ProgramInviteSelection{Entries: entries, Department: strings.TrimSpace(in.Department),
		Location: strings.TrimSpace(in.Location), AllEligible: in.AllEligible}
	var fe tandem.FieldErrors
	for i, e := range in.Emails {
		e = tandem.NormalizeEmail(e)
		if msg := tandem.CheckEmail(e); msg != "" {
			fe.Add("emails", fmt.Sprintf("%s: %s", strings.TrimSpace(in.Emails[i]), msg))
			continue
		}
		sel.Entries = append(sel.Entries, sqldb.ProgramInviteEntry{Line: i + 1, Email: e})
	}
	for i, pid := range in.PersonIDs {
		sel.Entries = append(sel.Entries, sqldb.ProgramInviteEntry{Line: len(in.Emails) + i + 1, PersonID: pid})
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(sel.Entries) == 0 && sel.Department == "" && sel.Location == "" && !sel.AllEligible {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose whom to invite.",
			Fields: map[string]string{"selection": "Choose people, a department, a location, everyone who may enroll, or a CSV file."}}
	}
	ctx = tandem.WithBaseURL(ctx, a.requestBase(ctx))
	res, err := a.DB.InviteToProgram(ctx, orgID, id, by, sel)
	if err != nil && res != nil && !res.Problems.OK() {
		if file {
			return res, inviteFileError(res.Problems)
		}
		// People named one by one in a form or a list: each problem
		// goes with its field, naming the person.
		msgs := map[string][]string{}
		for _, p := range res.Problems.Problems {
			field := "emails"
			if p.Line > len(in.Emails) {
				field = "person_ids"
			}
			msgs[field] = append(msgs[field], p.Value+": "+p.Reason)
		}
		var fe tandem.FieldErrors
		for field, m := range msgs {
			fe.Add(field, strings.Join(m, " "))
		}
		return res, fe.Err()
	}
	return res, err
}

// inviteFileError is the error of a CSV file with problems.
func inviteFileError(rep *tandem.ImportReport) error {
	msg := fmt.Sprintf("The file has %d problems; no one was invited.", rep.ProblemCount())
	if rep.ProblemCount() == 1 {
		msg = "The file has a problem; no one was invited: " + rep.Problems[0].String()
	}
	return &tandem.Error{Code: tandem.EINVALID, Message: msg}
}

// parseInviteCSV reads a CSV with a header naming an email column, into
// entries numbered by line; problems of the header or the CSV itself go
// in the report, a bad address with its entry.
func parseInviteCSV(r io.Reader) ([]sqldb.ProgramInviteEntry, *tandem.ImportReport, error) {
	br := bufio.NewReaderSize(&importReader{r: r, what: "invitations"}, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, tandem.Errorf(tandem.EINVALID, "The file is empty. Give a header row with an email column, then one address per line.")
	}
	if err != nil {
		return nil, nil, readError(err)
	}
	col := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(UnescapeCSVCell(h)), "email") {
			col = i
		}
	}
	rep := &tandem.ImportReport{}
	if col < 0 {
		rep.Add(1, "email", "", "The header has no email column; it is required.")
		return nil, rep, nil
	}
	var out []sqldb.ProgramInviteEntry
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Add(pe.Line, "", "", "This line is not valid CSV: "+pe.Err.Error()+". Check the quotes on it.")
			return nil, rep, nil
		}
		if err != nil {
			return nil, nil, readError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(out) >= MaxImportRows {
			return nil, nil, tandem.Errorf(tandem.ETOOLARGE, "The file has more than %s addresses; split it.", thousands(MaxImportRows))
		}
		raw := ""
		if col < len(rec) {
			raw = strings.TrimSpace(UnescapeCSVCell(rec[col]))
		}
		email := tandem.NormalizeEmail(raw)
		// A bad address is named with the problems the store finds.
		out = append(out, sqldb.ProgramInviteEntry{Line: line, Email: email, Problem: tandem.CheckEmail(email)})
	}
	if len(out) == 0 {
		return nil, nil, tandem.Errorf(tandem.EINVALID, "The file has a header and no addresses.")
	}
	rep.Rows = len(out)
	return out, rep, nil
}

// RemindProgramInvitations sends the invitation again to those invited
// who have not answered, except those sent it within the last day.
func (a *App) RemindProgramInvitations(ctx context.Context, id int64) (*sqldb.RemindResult, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	ctx = tandem.WithBaseURL(ctx, a.requestBase(ctx))
	return a.DB.RemindProgramInvitations(ctx, act.Org.ID, id)
}

// RemindProgramInvitationsForOperator is RemindProgramInvitations for the
// CLI.
func (a *App) RemindProgramInvitationsForOperator(ctx context.Context, orgID, id int64) (*sqldb.RemindResult, error) {
	return a.DB.RemindProgramInvitations(ctx, orgID, id)
}

// MaxInvitationsPage is the largest page of ProgramInvitations; a limit
// of 0 gives 50.
const MaxInvitationsPage = 200

// ProgramInvitations lists a page of the program's invitations, of one
// status or all ("" ), with the counts by status; its admins and
// administrators.
func (a *App) ProgramInvitations(ctx context.Context, id int64, status tandem.ProgramInviteStatus, limit, offset int) ([]tandem.ProgramInvitation, map[tandem.ProgramInviteStatus]int, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, nil, err
	}
	var fe tandem.FieldErrors
	if status != "" && !validInviteStatus(status) {
		fe.Add("status", "Choose not_answered, applied or declined.")
	}
	checkPage(&fe, limit, offset, MaxInvitationsPage)
	if err := fe.Err(); err != nil {
		return nil, nil, err
	}
	if limit == 0 {
		limit = 50
	}
	return a.DB.ProgramInvitations(ctx, act.Org.ID, id, status, limit, offset)
}

func validInviteStatus(s tandem.ProgramInviteStatus) bool {
	for _, v := range tandem.ProgramInviteStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// MyProgramInvitation returns the actor's invitation to the program, or
// ENOTFOUND.
func (a *App) MyProgramInvitation(ctx context.Context, id int64) (*tandem.ProgramInvitation, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramOverview)
	if err != nil {
		return nil, err
	}
	return a.DB.ProgramInvitationOf(ctx, act.Org.ID, id, act.Person.ID)
}

// DeclineProgramInvitation records that the actor says no to their
// invitation: they are no longer reminded.
func (a *App) DeclineProgramInvitation(ctx context.Context, id int64) error {
	act, _, err := a.program(ctx, id, tandem.ProgramOverview)
	if err != nil {
		return err
	}
	return a.DB.DeclineProgramInvitation(ctx, act.Org.ID, id, act.Person.ID)
}

// NotifyProgramInvited tells the invited people of a program of their
// invitation or reminder, in transactions of sqldb.ProgramInvitedBatch,
// and returns how many it told; the program_invited job calls it, and a
// retry tells no one twice (see fanOut).
func (a *App) NotifyProgramInvited(ctx context.Context, args sqldb.ProgramInvitedArgs) (int, error) {
	ctx = tandem.WithBaseURL(ctx, args.BaseURL)
	return fanOut(ctx, func(after int64) (int64, int, bool, error) {
		return a.DB.NotifyProgramInvited(ctx, args, after)
	})
}

// fanOut runs step over batches (each after the last id of the one
// before) until it is done, and returns how many were told; it stops
// with ErrProgramOpenedPaused between two batches when the context's
// deadline is near, for the job to be snoozed.
func fanOut(ctx context.Context, step func(after int64) (last int64, told int, done bool, err error)) (int, error) {
	total := 0
	var after int64
	dl, hasDeadline := ctx.Deadline()
	room := min(15*time.Second, time.Until(dl)/4)
	for {
		if hasDeadline && time.Until(dl) < room {
			return total, ErrProgramOpenedPaused
		}
		last, told, done, err := step(after)
		total += told
		if err != nil || done {
			return total, err
		}
		after = last
	}
}

// ProgramInviteeJSON is a person in a ProgramInviteJSON.
type ProgramInviteeJSON struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// ProgramInviteJSON is the answer of POST /api/v1/programs/{id}/invitations
// and the output of `tandem program invite --json`. Its fields are
// stable; every list is present, empty rather than null.
type ProgramInviteJSON struct {
	Invited        []ProgramInviteeJSON `json:"invited"`
	AlreadyInvited []ProgramInviteeJSON `json:"already_invited"`
	AlreadyApplied []ProgramInviteeJSON `json:"already_applied"`
	NotEligible    int                  `json:"not_eligible"`
}

// ProgramInviteReport is the ProgramInviteJSON of a result.
func ProgramInviteReport(res *sqldb.ProgramInviteResult) ProgramInviteJSON {
	list := func(refs []tandem.PersonRef) []ProgramInviteeJSON {
		out := make([]ProgramInviteeJSON, 0, len(refs))
		for _, r := range refs {
			out = append(out, ProgramInviteeJSON{PersonID: r.ID, Name: r.Name, Email: r.Email})
		}
		return out
	}
	return ProgramInviteJSON{Invited: list(res.Invited), AlreadyInvited: list(res.AlreadyInvited),
		AlreadyApplied: list(res.AlreadyApplied), NotEligible: res.NotEligible}
}

// ProgramInviteSummary says what inviting did, in one sentence.
func ProgramInviteSummary(res *sqldb.ProgramInviteResult) string {
	n := len(res.Invited)
	parts := []string{"Invited " + strconv.Itoa(n) + " " + map[bool]string{true: "person", false: "people"}[n == 1] + "."}
	if k := len(res.AlreadyInvited); k > 0 {
		parts = append(parts, fmt.Sprintf("%d already invited (not sent again; remind those who have not answered).", k))
	}
	if k := len(res.AlreadyApplied); k > 0 {
		parts = append(parts, fmt.Sprintf("%d already applied.", k))
	}
	if res.NotEligible > 0 {
		parts = append(parts, fmt.Sprintf("%d left out: they may not enroll in this program.", res.NotEligible))
	}
	return strings.Join(parts, " ")
}

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tandemhq/tandem"
)

// Programs, their admins, questionnaires and applications. The rules of
// the states (tandem.ProgramState.Allows) are checked here again inside
// each change's transaction, against the program as it is then, so a
// state move and an application racing each other cannot both win.

const programColumns = `p.id, p.org_id, p.name, p.description, p.kind, p.state, p.eligibility, p.eligible,
	p.enroll_opens, p.enroll_closes, p.matching_on, p.ends_on, p.first_review_on, p.mentor_capacity, p.areas, p.created_at`

func scanProgram(sc scanner, p *tandem.Program) error {
	var eligible, areas string
	if err := sc.Scan(&p.ID, &p.OrgID, &p.Name, &p.Description, &p.Kind, &p.State, &p.Eligibility, &eligible,
		&p.EnrollOpens, &p.EnrollCloses, &p.MatchingOn, &p.EndsOn, &p.FirstReviewOn, &p.MentorCapacity, &areas, &p.CreatedAt); err != nil {
		return err
	}
	p.Eligible = splitLines(eligible)
	p.Areas = nil
	for _, a := range tandem.SplitList(areas) {
		p.Areas = append(p.Areas, tandem.Area(a))
	}
	return nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func joinAreas(areas []tandem.Area) string {
	parts := make([]string, len(areas))
	for i, a := range areas {
		parts[i] = string(a)
	}
	return tandem.JoinList(parts)
}

var errNoProgram = tandem.Errorf(tandem.ENOTFOUND, "No such program.")

// CreateProgram stores a new program (in its state, normally draft) with
// its admins.
func (db *DB) CreateProgram(ctx context.Context, p *tandem.Program, adminIDs []int64, createdBy int64) error {
	var by any // the operator (0) is no one
	if createdBy != 0 {
		by = createdBy
	}
	return db.Write(ctx, func(tx *Tx) error {
		p.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO programs (org_id, name, description, kind, state, eligibility, eligible,
				enroll_opens, enroll_closes, matching_on, ends_on, first_review_on, mentor_capacity, areas, created_by, created_at, state_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.OrgID, p.Name, p.Description, p.Kind, p.State, p.Eligibility, strings.Join(p.Eligible, "\n"),
			p.EnrollOpens, p.EnrollCloses, p.MatchingOn, p.EndsOn, p.FirstReviewOn, p.MentorCapacity, joinAreas(p.Areas),
			by, tx.now, tx.now)
		if err != nil {
			return fmt.Errorf("insert program: %w", err)
		}
		p.ID = id
		if err := setProgramAdmins(ctx, tx, p.OrgID, p.ID, adminIDs); err != nil {
			return err
		}
		p.Admins, err = programAdmins(ctx, tx.q(), p.OrgID, p.ID)
		return err
	})
}

// UpdateProgram saves a program's fields (not its state, not its admins).
// The kind may change only while the program is a draft.
func (db *DB) UpdateProgram(ctx context.Context, p *tandem.Program) error {
	return db.Write(ctx, func(tx *Tx) error {
		cur, err := programByID(ctx, tx.q(), p.OrgID, p.ID)
		if err != nil {
			return err
		}
		if cur.State == tandem.ProgramClosed {
			return tandem.Errorf(tandem.ECONFLICT, "The program is closed; it cannot change any more.")
		}
		if cur.Kind != p.Kind && cur.State != tandem.ProgramDraft {
			msg := "The kind of program is fixed once enrollment has opened."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"kind": msg}}
		}
		_, err = tx.Exec(ctx, `UPDATE programs SET name = ?, description = ?, kind = ?, eligibility = ?, eligible = ?,
				enroll_opens = ?, enroll_closes = ?, matching_on = ?, ends_on = ?, first_review_on = ?, mentor_capacity = ?, areas = ?
			WHERE id = ? AND org_id = ?`,
			p.Name, p.Description, p.Kind, p.Eligibility, strings.Join(p.Eligible, "\n"),
			p.EnrollOpens, p.EnrollCloses, p.MatchingOn, p.EndsOn, p.FirstReviewOn, p.MentorCapacity, joinAreas(p.Areas), p.ID, p.OrgID)
		p.State = cur.State
		return err
	})
}

// SetProgramAdmins replaces the program's admins. Each must be a member
// of the organization, not a guest.
func (db *DB) SetProgramAdmins(ctx context.Context, orgID, programID int64, ids []int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := programByID(ctx, tx.q(), orgID, programID); err != nil {
			return err
		}
		return setProgramAdmins(ctx, tx, orgID, programID, ids)
	})
}

func setProgramAdmins(ctx context.Context, tx *Tx, orgID, programID int64, ids []int64) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) > tandem.MaxProgramAdmins {
		msg := fmt.Sprintf("Name at most %d program admins.", tandem.MaxProgramAdmins)
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"admins": msg}}
	}
	if len(ids) > 0 {
		args := append([]any{orgID}, anySlice(ids)...)
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM people WHERE org_id = ? AND NOT guest AND id IN (`+placeholders(len(ids))+`)`, args...).Scan(&n); err != nil {
			return err
		}
		if n != len(ids) {
			msg := "Program admins are members of the organization (not guests)."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"admins": msg}}
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM program_admins WHERE program_id = ? AND org_id = ?`, programID, orgID); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.Exec(ctx, `INSERT INTO program_admins (program_id, person_id, org_id) VALUES (?, ?, ?)`, programID, id, orgID); err != nil {
			return fmt.Errorf("insert program admin: %w", err)
		}
	}
	return nil
}

func anySlice(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func programAdmins(ctx context.Context, q querier, orgID, programID int64) ([]tandem.PersonRef, error) {
	return queryAll(ctx, q, func(rows *sql.Rows, r *tandem.PersonRef) error {
		return rows.Scan(&r.ID, &r.Name, &r.Email, &r.Title)
	}, `SELECT pe.id, pe.name, pe.email, pe.title FROM program_admins pa JOIN people pe ON pe.id = pa.person_id
		WHERE pa.program_id = ? AND pa.org_id = ? ORDER BY pe.name, pe.id`, programID, orgID)
}

func programByID(ctx context.Context, q querier, orgID, id int64) (*tandem.Program, error) {
	var p tandem.Program
	err := scanProgram(q.QueryRowContext(ctx, `SELECT `+programColumns+` FROM programs p WHERE p.org_id = ? AND p.id = ?`, orgID, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoProgram
	}
	if err != nil {
		return nil, err
	}
	p.Admins, err = programAdmins(ctx, q, orgID, id)
	return &p, err
}

// ProgramByID returns one program of the organization with its admins, or
// ENOTFOUND.
func (db *DB) ProgramByID(ctx context.Context, orgID, id int64) (*tandem.Program, error) {
	var p *tandem.Program
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		p, err = programByID(ctx, tx.q(), orgID, id)
		if err != nil {
			return err
		}
		p.Applications, err = applicationCounts(ctx, tx.q(), orgID, id)
		return err
	})
	return p, err
}

func applicationCounts(ctx context.Context, q querier, orgID, programID int64) (map[tandem.ApplicationStatus]int, error) {
	counts := map[tandem.ApplicationStatus]int{}
	type row struct {
		s tandem.ApplicationStatus
		n int
	}
	rows, err := queryAll(ctx, q, func(rows *sql.Rows, r *row) error { return rows.Scan(&r.s, &r.n) },
		`SELECT status, COUNT(*) FROM program_applications WHERE org_id = ? AND program_id = ? GROUP BY status`, orgID, programID)
	for _, r := range rows {
		counts[r.s] = r.n
	}
	return counts, err
}

// ListPrograms returns the organization's programs, newest first, with
// their admins.
func (db *DB) ListPrograms(ctx context.Context, orgID int64) ([]tandem.Program, error) {
	var list []tandem.Program
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		list, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, p *tandem.Program) error { return scanProgram(rows, p) }, `SELECT `+programColumns+` FROM programs p WHERE p.org_id = ? ORDER BY p.created_at DESC, p.id DESC`, orgID)
		if err != nil {
			return err
		}
		type adm struct {
			program int64
			ref     tandem.PersonRef
		}
		admins, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, a *adm) error {
			return rows.Scan(&a.program, &a.ref.ID, &a.ref.Name, &a.ref.Email, &a.ref.Title)
		}, `SELECT pa.program_id, pe.id, pe.name, pe.email, pe.title FROM program_admins pa JOIN people pe ON pe.id = pa.person_id
			WHERE pa.org_id = ? ORDER BY pe.name, pe.id`, orgID)
		if err != nil {
			return err
		}
		byID := map[int64]*tandem.Program{}
		for i := range list {
			byID[list[i].ID] = &list[i]
		}
		for _, a := range admins {
			if p := byID[a.program]; p != nil {
				p.Admins = append(p.Admins, a.ref)
			}
		}
		return nil
	})
	return list, err
}

// AppliedPrograms returns the ids of the programs of the organization the
// person has an application in (any status).
func (db *DB) AppliedPrograms(ctx context.Context, orgID, personID int64) (map[int64]bool, error) {
	ids, err := queryAll(ctx, db.q(), func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT program_id FROM program_applications WHERE org_id = ? AND person_id = ?`, orgID, personID)
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// MoveProgram moves a program to another state, by the rules of
// tandem.ProgramState.CheckMove, and returns it as it now is. Opening it
// for enrollment inserts, in the same transaction, the job that tells
// everyone who may enroll (ProgramOpenedArgs); by (0 for the operator)
// is not told.
func (db *DB) MoveProgram(ctx context.Context, orgID, id int64, to tandem.ProgramState, by int64) (*tandem.Program, error) {
	var p *tandem.Program
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if p, err = programByID(ctx, tx.q(), orgID, id); err != nil {
			return err
		}
		if err := p.State.CheckMove(to); err != nil {
			return err
		}
		// The state in the WHERE makes two racing moves one: the second
		// finds the row changed.
		res, err := tx.Exec(ctx, `UPDATE programs SET state = ?, state_at = ? WHERE id = ? AND org_id = ? AND state = ?`, to, tx.now, id, orgID, p.State)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ECONFLICT, "The program changed meanwhile; reload it and try again.")
		}
		p.State = to
		if to == tandem.ProgramEnrolling {
			return tx.Enqueue(ctx, ProgramOpenedArgs{ProgramID: id, OrgID: orgID, ActorID: by, BaseURL: tandem.BaseURLFrom(ctx)}, nil)
		}
		return nil
	})
	return p, err
}

// Questions.

const questionColumns = questionFields + `,
	(SELECT COUNT(*) FROM program_answers a WHERE a.question_id = q.id)`

// questionFields are questionColumns but the count of answers, which the
// cohort's load has no use for (counting 80,000 answers a run).
const questionFields = `q.id, q.program_id, q.position, q.type, q.label, q.help, q.options, q.required, q.rule, q.weight, q.hours`

func scanQuestion(sc scanner, q *tandem.Question) error {
	var opts string
	if err := sc.Scan(&q.ID, &q.ProgramID, &q.Position, &q.Type, &q.Label, &q.Help, &opts, &q.Required, &q.Rule, &q.Weight, &q.Hours, &q.Answers); err != nil {
		return err
	}
	q.Options = splitLines(opts)
	return nil
}

func questions(ctx context.Context, q querier, orgID, programID int64) ([]tandem.Question, error) {
	return questionList(ctx, q, questionColumns, orgID, programID)
}

// uncountedQuestions is questions with Answers left at 0.
func uncountedQuestions(ctx context.Context, q querier, orgID, programID int64) ([]tandem.Question, error) {
	return questionList(ctx, q, questionFields+", 0", orgID, programID)
}

func questionList(ctx context.Context, q querier, columns string, orgID, programID int64) ([]tandem.Question, error) {
	return queryAll(ctx, q, func(rows *sql.Rows, v *tandem.Question) error { return scanQuestion(rows, v) },
		`SELECT `+columns+` FROM program_questions q WHERE q.org_id = ? AND q.program_id = ? ORDER BY q.position, q.id`, orgID, programID)
}

// Questions returns the program's questionnaire in order, each with how
// many applications answered it.
func (db *DB) Questions(ctx context.Context, orgID, programID int64) ([]tandem.Question, error) {
	return questions(ctx, db.q(), orgID, programID)
}

// questionsWritable reads the program in the transaction and refuses when
// its state does not allow changing the questionnaire.
func questionsWritable(ctx context.Context, tx *Tx, orgID, programID int64) error {
	p, err := programByID(ctx, tx.q(), orgID, programID)
	if err != nil {
		return err
	}
	return p.State.CheckAllows(tandem.WorkQuestions)
}

// AddQuestion appends a question to the program's questionnaire.
func (db *DB) AddQuestion(ctx context.Context, orgID int64, q *tandem.Question) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := questionsWritable(ctx, tx, orgID, q.ProgramID); err != nil {
			return err
		}
		var n, last int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(position), 0) FROM program_questions WHERE program_id = ? AND org_id = ?`, q.ProgramID, orgID).Scan(&n, &last); err != nil {
			return err
		}
		if n >= tandem.MaxQuestions {
			return tandem.Errorf(tandem.EINVALID, "A questionnaire has at most %d questions.", tandem.MaxQuestions)
		}
		q.Position = last + 1
		id, err := tx.insert(ctx, `INSERT INTO program_questions (org_id, program_id, position, type, label, help, options, required, rule, weight, hours, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, q.ProgramID, q.Position, q.Type, q.Label, q.Help, strings.Join(q.Options, "\n"), q.Required, q.Rule, q.Weight, q.Hours, tx.now)
		if err != nil {
			return fmt.Errorf("insert question: %w", err)
		}
		q.ID = id
		return nil
	})
}

func questionByID(ctx context.Context, tx *Tx, orgID, programID, id int64) (*tandem.Question, error) {
	var q tandem.Question
	err := scanQuestion(tx.QueryRow(ctx, `SELECT `+questionColumns+` FROM program_questions q WHERE q.org_id = ? AND q.program_id = ? AND q.id = ?`, orgID, programID, id), &q)
	return &q, notFound(err, "No such question.")
}

// UpdateQuestion changes a question. A question that has answers keeps
// its type, wording and options (tandem.Question.CheckChange says why);
// its criterion may change.
func (db *DB) UpdateQuestion(ctx context.Context, orgID int64, q *tandem.Question) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := questionsWritable(ctx, tx, orgID, q.ProgramID); err != nil {
			return err
		}
		cur, err := questionByID(ctx, tx, orgID, q.ProgramID, q.ID)
		if err != nil {
			return err
		}
		if err := cur.CheckChange(q); err != nil {
			return err
		}
		q.Position, q.Answers = cur.Position, cur.Answers
		_, err = tx.Exec(ctx, `UPDATE program_questions SET type = ?, label = ?, help = ?, options = ?, required = ?, rule = ?, weight = ?, hours = ?
			WHERE id = ? AND org_id = ?`, q.Type, q.Label, q.Help, strings.Join(q.Options, "\n"), q.Required, q.Rule, q.Weight, q.Hours, q.ID, orgID)
		return err
	})
}

// DeleteQuestion removes a question nobody has answered.
func (db *DB) DeleteQuestion(ctx context.Context, orgID, programID, id int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := questionsWritable(ctx, tx, orgID, programID); err != nil {
			return err
		}
		cur, err := questionByID(ctx, tx, orgID, programID, id)
		if err != nil {
			return err
		}
		if cur.Answers > 0 {
			return tandem.Errorf(tandem.ECONFLICT, "%d people have answered this question, so it stays: their answers are part of their applications. Make it optional, or stop using it as a matching criterion.", cur.Answers)
		}
		_, err = tx.Exec(ctx, `DELETE FROM program_questions WHERE id = ? AND org_id = ?`, id, orgID)
		return err
	})
}

// Applications.

const applicationColumns = `a.id, a.program_id, pe.id, pe.name, pe.email, pe.title, a.role, a.capacity, a.status, a.created_at, a.updated_at, a.decided_at`

func scanApplication(sc scanner, a *tandem.Application) error {
	var decided sql.NullTime
	if err := sc.Scan(&a.ID, &a.ProgramID, &a.Person.ID, &a.Person.Name, &a.Person.Email, &a.Person.Title,
		&a.Role, &a.Capacity, &a.Status, &a.CreatedAt, &a.UpdatedAt, &decided); err != nil {
		return err
	}
	a.DecidedAt = timePtr(decided)
	return nil
}

// ApplicationFilter narrows a program's applications.
type ApplicationFilter struct {
	Status tandem.ApplicationStatus // "" for all
	Role   tandem.ApplicationRole   // "" for both
}

// Applications returns the program's applications with their answers,
// by name.
func (db *DB) Applications(ctx context.Context, orgID, programID int64, f ApplicationFilter) ([]tandem.Application, error) {
	var list []tandem.Application
	err := db.Read(ctx, func(tx *Tx) error {
		where, args := `a.org_id = ? AND a.program_id = ?`, []any{orgID, programID}
		if f.Status != "" {
			where, args = where+` AND a.status = ?`, append(args, f.Status)
		}
		if f.Role != "" {
			where, args = where+` AND a.role = ?`, append(args, f.Role)
		}
		var err error
		list, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, a *tandem.Application) error { return scanApplication(rows, a) }, `SELECT `+applicationColumns+` FROM program_applications a
			JOIN people pe ON pe.id = a.person_id WHERE `+where+` ORDER BY pe.name, a.id`, args...)
		if err != nil || len(list) == 0 {
			return err
		}
		byID := map[int64]*tandem.Application{}
		for i := range list {
			byID[list[i].ID] = &list[i]
			list[i].Answers = map[int64]tandem.Answer{}
		}
		type ans struct {
			app, q int64
			v      string
		}
		answers, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, x *ans) error { return rows.Scan(&x.app, &x.q, &x.v) },
			`SELECT an.application_id, an.question_id, an.value FROM program_answers an
			JOIN program_applications a ON a.id = an.application_id WHERE `+where, args...)
		if err != nil {
			return err
		}
		for _, x := range answers {
			if ap := byID[x.app]; ap != nil {
				var v tandem.Answer
				if err := json.Unmarshal([]byte(x.v), &v); err != nil {
					return fmt.Errorf("answer %d/%d: %w", x.app, x.q, err)
				}
				ap.Answers[x.q] = v
			}
		}
		return nil
	})
	return list, err
}

func applicationOf(ctx context.Context, q querier, orgID, programID, personID int64) (*tandem.Application, error) {
	var a tandem.Application
	err := scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM program_applications a JOIN people pe ON pe.id = a.person_id
		WHERE a.org_id = ? AND a.program_id = ? AND a.person_id = ?`, orgID, programID, personID), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "You have not applied to this program.")
	}
	if err != nil {
		return nil, err
	}
	a.Answers, err = answersOf(ctx, q, a.ID)
	return &a, err
}

func answersOf(ctx context.Context, q querier, appID int64) (map[int64]tandem.Answer, error) {
	type ans struct {
		q int64
		v string
	}
	rows, err := queryAll(ctx, q, func(rows *sql.Rows, x *ans) error { return rows.Scan(&x.q, &x.v) },
		`SELECT question_id, value FROM program_answers WHERE application_id = ?`, appID)
	out := map[int64]tandem.Answer{}
	for _, x := range rows {
		var v tandem.Answer
		if err := json.Unmarshal([]byte(x.v), &v); err != nil {
			return nil, err
		}
		out[x.q] = v
	}
	return out, err
}

// ApplicationOf returns the person's application to the program with its
// answers, or ENOTFOUND.
func (db *DB) ApplicationOf(ctx context.Context, orgID, programID, personID int64) (*tandem.Application, error) {
	return applicationOf(ctx, db.q(), orgID, programID, personID)
}

// resolveAnswerSkills gives the skills of skill answers their catalogue ids and
// names, by id or by name; an unknown skill is a field error.
func resolveAnswerSkills(ctx context.Context, tx *Tx, orgID int64, qs []tandem.Question, answers map[int64]tandem.Answer) error {
	var fe tandem.FieldErrors
	for _, q := range qs {
		a, ok := answers[q.ID]
		if !ok || q.Type != tandem.QuestionSkills {
			continue
		}
		for i, s := range a.Skills {
			var sk *tandem.Skill
			var err error
			if s.SkillID != 0 {
				sk = &tandem.Skill{}
				err = scanSkill(tx.QueryRow(ctx, `SELECT `+skillColumns+` FROM skills s WHERE s.org_id = ? AND s.id = ?`, orgID, s.SkillID), sk)
				if errors.Is(err, sql.ErrNoRows) {
					err = tandem.Errorf(tandem.ENOTFOUND, "No such skill.")
				}
			} else {
				sk, err = skillByName(ctx, tx, orgID, s.Name)
			}
			if tandem.ErrorCode(err) == tandem.ENOTFOUND {
				fe.Add(tandem.QuestionField(q.ID), fmt.Sprintf("%q is not in the skill catalogue.", s.Name))
				continue
			}
			if err != nil {
				return err
			}
			a.Skills[i].SkillID, a.Skills[i].Name = sk.ID, sk.Name
		}
		answers[q.ID] = a
	}
	return fe.Err()
}

// Apply stores a person's application to a program, or their edit of it:
// the program must be enrolling within its dates, the person eligible
// (checked by app), the answers valid for the questionnaire as it is in
// this transaction. Applying again while an application stands is
// ECONFLICT; after a withdrawal it reopens the application. An edit keeps
// the decision unless the role changes, which asks for a new one.
func (db *DB) Apply(ctx context.Context, orgID int64, personID int64, ap *tandem.Application, edit bool) error {
	return db.Write(ctx, func(tx *Tx) error {
		p, err := programByID(ctx, tx.q(), orgID, ap.ProgramID)
		if err != nil {
			return err
		}
		if err := p.CheckEnroll(tx.now); err != nil {
			return err
		}
		qs, err := questions(ctx, tx.q(), orgID, ap.ProgramID)
		if err != nil {
			return err
		}
		if ap.Answers == nil {
			ap.Answers = map[int64]tandem.Answer{}
		}
		if err := resolveAnswerSkills(ctx, tx, orgID, qs, ap.Answers); err != nil {
			return err
		}
		if err := ap.Validate(qs); err != nil {
			return err
		}
		cur, err := applicationOf(ctx, tx.q(), orgID, ap.ProgramID, personID)
		if err != nil && tandem.ErrorCode(err) != tandem.ENOTFOUND {
			return err
		}
		switch {
		case cur == nil && edit:
			return tandem.Errorf(tandem.ECONFLICT, "You have not applied to this program; apply first.")
		case cur == nil:
			if err := insertApplication(ctx, tx, orgID, personID, ap); err != nil {
				return err
			}
			return notifyRunners(ctx, tx, p, personID, tandem.ProgramApplied, ap.Role)
		case cur.Status == tandem.AppWithdrawn && edit:
			return tandem.Errorf(tandem.ECONFLICT, "You withdrew your application; apply again instead.")
		case cur.Status != tandem.AppWithdrawn && !edit:
			return tandem.Errorf(tandem.ECONFLICT, "You have already applied to this program as a %s; edit your application instead.", cur.Role)
		default:
			ap.ID, ap.CreatedAt, ap.Status, ap.DecidedAt = cur.ID, cur.CreatedAt, cur.Status, cur.DecidedAt
			if !edit || cur.Role != ap.Role {
				ap.Status, ap.DecidedAt = tandem.AppSubmitted, nil
			}
			if _, err := tx.Exec(ctx, `UPDATE program_applications SET role = ?, capacity = ?, status = ?, updated_at = ?, decided_at = ?,
					decided_by = CASE WHEN ? THEN decided_by ELSE NULL END WHERE id = ? AND org_id = ?`,
				ap.Role, ap.Capacity, ap.Status, tx.now, ap.DecidedAt, ap.DecidedAt != nil, ap.ID, orgID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM program_answers WHERE application_id = ? AND org_id = ?`, ap.ID, orgID); err != nil {
				return err
			}
			// Applying again, or as another role, is an application the
			// runners have to decide (again); other edits tell no one.
			if !edit || cur.Role != ap.Role {
				if err := notifyRunners(ctx, tx, p, personID, tandem.ProgramApplied, ap.Role); err != nil {
					return err
				}
			}
		}
		ap.UpdatedAt = tx.now
		return insertAnswers(ctx, tx, orgID, ap)
	})
}

// insertApplication inserts a new, submitted application with its answers.
func insertApplication(ctx context.Context, tx *Tx, orgID, personID int64, ap *tandem.Application) error {
	ap.Status = tandem.AppSubmitted
	id, err := tx.insert(ctx, `INSERT INTO program_applications (org_id, program_id, person_id, role, capacity, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, ap.ProgramID, personID, ap.Role, ap.Capacity, ap.Status, tx.now, tx.now)
	if isConflict(err) {
		return tandem.Errorf(tandem.ECONFLICT, "You have already applied to this program; edit your application instead.")
	}
	if err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	ap.ID, ap.CreatedAt, ap.UpdatedAt = id, tx.now, tx.now
	return insertAnswers(ctx, tx, orgID, ap)
}

func insertAnswers(ctx context.Context, tx *Tx, orgID int64, ap *tandem.Application) error {
	for qid, a := range ap.Answers {
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO program_answers (application_id, question_id, org_id, value) VALUES (?, ?, ?, ?)`, ap.ID, qid, orgID, string(b)); err != nil {
			return fmt.Errorf("insert answer: %w", err)
		}
	}
	return nil
}

// ApplicationRow is one application read from a CSV file, for
// ImportApplications.
type ApplicationRow struct {
	Line  int
	Email string
	tandem.Application
	// Problems found while reading the row (a skill written without a
	// level…), by column.
	Problems map[string]string
}

// ImportApplications enrolls the people of the rows in the program, all or
// nothing: the program must be enrolling within its dates; each person
// must be in the organization, eligible, not already enrolled (a
// withdrawn application counts as none), in the file once, and their
// answers valid. Every problem is in the report, by line and column
// (questionColumn names a question's column); with any, nothing is
// written and the report's Err is returned.
func (db *DB) ImportApplications(ctx context.Context, orgID, programID int64, rows []ApplicationRow, questionColumn func(field string) string) (*tandem.ImportReport, error) {
	rep := &tandem.ImportReport{Rows: len(rows)}
	err := db.Write(ctx, func(tx *Tx) error {
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if err := p.CheckEnroll(tx.now); err != nil {
			return err
		}
		qs, err := questions(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		type ok struct {
			person *tandem.Person
			row    *ApplicationRow
			reopen int64 // a withdrawn application to reopen
		}
		var good []ok
		seen := map[string]int{}
		for i := range rows {
			r := &rows[i]
			for col, msg := range r.Problems {
				rep.Add(r.Line, col, "", msg)
			}
			email := tandem.NormalizeEmail(r.Email)
			if first, dup := seen[email]; dup {
				rep.Add(r.Line, "email", r.Email, fmt.Sprintf("Also on line %d: one application per person.", first))
				continue
			}
			seen[email] = r.Line
			var person tandem.Person
			err := scanPerson(tx.QueryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.org_id = ? AND p.email = ?`, orgID, email), &person)
			if errors.Is(err, sql.ErrNoRows) {
				rep.Add(r.Line, "email", r.Email, "No one in the organization has this address.")
				continue
			}
			if err != nil {
				return err
			}
			if !p.MayEnroll(&person) {
				rep.Add(r.Line, "email", r.Email, fmt.Sprintf("%s may not enroll in this program (who may enroll: %s).", person.Name, strings.ToLower(p.Eligibility.Label())))
				continue
			}
			r.ProgramID = programID
			if r.Answers == nil {
				r.Answers = map[int64]tandem.Answer{}
			}
			verr := resolveAnswerSkills(ctx, tx, orgID, qs, r.Answers)
			if verr == nil {
				verr = r.Application.Validate(qs)
			}
			if tandem.ErrorCode(verr) == tandem.EINVALID {
				for field, msg := range tandem.ErrorFields(verr) {
					if _, said := r.Problems[questionColumn(field)]; !said {
						rep.Add(r.Line, questionColumn(field), "", msg)
					}
				}
				continue
			}
			if verr != nil {
				return verr
			}
			cur, err := applicationOf(ctx, tx.q(), orgID, programID, person.ID)
			if err != nil && tandem.ErrorCode(err) != tandem.ENOTFOUND {
				return err
			}
			g := ok{person: &person, row: r}
			if cur != nil {
				if cur.Status != tandem.AppWithdrawn {
					rep.Add(r.Line, "email", r.Email, fmt.Sprintf("%s has already applied, as a %s.", person.Name, cur.Role))
					continue
				}
				g.reopen = cur.ID
			}
			good = append(good, g)
		}
		if !rep.OK() {
			return rep.Err()
		}
		for _, g := range good {
			ap := &g.row.Application
			if g.reopen != 0 {
				if _, err := tx.Exec(ctx, `DELETE FROM program_applications WHERE id = ? AND org_id = ?`, g.reopen, orgID); err != nil {
					return err
				}
			}
			if err := insertApplication(ctx, tx, orgID, g.person.ID, ap); err != nil {
				return err
			}
			rep.Created++
		}
		return nil
	})
	return rep, err
}

// Withdraw withdraws the person's application while the program allows
// it (enrolling or matching).
func (db *DB) Withdraw(ctx context.Context, orgID, programID, personID int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if err := p.State.CheckAllows(tandem.WorkWithdraw); err != nil {
			return err
		}
		cur, err := applicationOf(ctx, tx.q(), orgID, programID, personID)
		if tandem.ErrorCode(err) == tandem.ENOTFOUND {
			return tandem.Errorf(tandem.ECONFLICT, "You have no application to withdraw.")
		}
		if err != nil {
			return err
		}
		if cur.Status == tandem.AppWithdrawn {
			return tandem.Errorf(tandem.ECONFLICT, "You have already withdrawn your application.")
		}
		if _, err = tx.Exec(ctx, `UPDATE program_applications SET status = ?, updated_at = ? WHERE id = ? AND org_id = ?`, tandem.AppWithdrawn, tx.now, cur.ID, orgID); err != nil {
			return err
		}
		return notifyRunners(ctx, tx, p, personID, tandem.ProgramWithdrawn, cur.Role)
	})
}

// Decide approves or declines an application while the program allows it.
// A withdrawn application cannot be decided.
func (db *DB) Decide(ctx context.Context, orgID, programID, appID int64, approve bool, by int64) (*tandem.Application, error) {
	var ap tandem.Application
	err := db.Write(ctx, func(tx *Tx) error {
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		err = scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM program_applications a JOIN people pe ON pe.id = a.person_id
			WHERE a.org_id = ? AND a.program_id = ? AND a.id = ?`, orgID, programID, appID), &ap)
		if err != nil {
			return notFound(err, "No such application.")
		}
		if err := p.State.CheckAllows(tandem.WorkDecide); err != nil {
			return err
		}
		if ap.Status == tandem.AppWithdrawn {
			return tandem.Errorf(tandem.ECONFLICT, "%s withdrew this application.", ap.Person.Name)
		}
		was := ap.Status
		ap.Status = tandem.AppDeclined
		if approve {
			ap.Status = tandem.AppApproved
		}
		now := tx.now
		ap.DecidedAt = &now
		if _, err = tx.Exec(ctx, `UPDATE program_applications SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND org_id = ?`,
			ap.Status, tx.now, by, appID, orgID); err != nil {
			return err
		}
		if was == ap.Status {
			return nil // decided so already: nothing new to tell
		}
		event := tandem.ProgramDeclined
		if approve {
			event = tandem.ProgramApproved
		}
		return notifyProgram(ctx, tx, p, []int64{ap.Person.ID}, by, event, string(ap.Role))
	})
	return &ap, err
}

// ProgramOrg returns the organization of a program, for the operator's
// commands, which name a program by its id alone.
func (db *DB) ProgramOrg(ctx context.Context, id int64) (int64, error) {
	var org int64
	err := db.q().QueryRowContext(ctx, `SELECT org_id FROM programs WHERE id = ?`, id).Scan(&org)
	return org, notFound(err, fmt.Sprintf("No program %d.", id))
}

package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
)

// Self-serve matching: the program's matching mode, and the mentees'
// requests to mentors. Every change that could take a mentor's seat
// (asking, accepting) locks the program's row first, as PublishRun does,
// so on PostgreSQL two accepts for one mentor's last seat (or an accept
// racing a publish) run one after the other and the second sees the
// first's partnership; SQLite's writes are serial already.

// lockProgram takes the program's row lock for the transaction (a no-op
// update: a PostgreSQL row lock; SQLite transactions write one at a time).
func lockProgram(ctx context.Context, tx *Tx, orgID, programID int64) error {
	res, err := tx.Exec(ctx, `UPDATE programs SET state_at = state_at WHERE id = ? AND org_id = ?`, programID, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoProgram
	}
	return nil
}

// SetMatchingMode stores how the program's mentees find their mentors.
func (db *DB) SetMatchingMode(ctx context.Context, orgID, programID int64, mode tandem.MatchingMode) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE programs SET matching_mode = ? WHERE id = ? AND org_id = ?`, string(mode), programID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoProgram
		}
		return nil
	})
}

// SelfServe is what a self-serve view of a program is computed from.
type SelfServe struct {
	Mode      tandem.MatchingMode
	Published bool // a cohort run of the program was published
	// Load counts each mentor's mentees placed by the program: the
	// program's partnerships with them that are not over (ended, expired,
	// or a draft withdrawn or declined), whether a published run or an
	// accepted request proposed them.
	Load map[int64]int
	// Partner is each placed mentee's mentor, by the same partnerships.
	Partner map[int64]tandem.PersonRef
	// Capacity is each approved mentor's capacity; mentors who left the
	// organization are not in it.
	Capacity map[int64]int
}

// Open says whether mentees may ask now, and why not.
func (s *SelfServe) Open(state tandem.ProgramState) (bool, string) {
	return tandem.SelfServeOpen(state, s.Mode, s.Published)
}

// LoadSelfServe reads the program's matching mode and who is placed.
func (db *DB) LoadSelfServe(ctx context.Context, orgID, programID int64) (*SelfServe, error) {
	var s *SelfServe
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		s, err = loadSelfServe(ctx, tx.q(), orgID, programID)
		return err
	})
	return s, err
}

func loadSelfServe(ctx context.Context, q querier, orgID, programID int64) (*SelfServe, error) {
	s := &SelfServe{Load: map[int64]int{}, Partner: map[int64]tandem.PersonRef{}, Capacity: map[int64]int{}}
	var published int
	err := q.QueryRowContext(ctx, `SELECT p.matching_mode, (SELECT COUNT(*) FROM program_runs r WHERE r.program_id = p.id AND r.published_at IS NOT NULL)
		FROM programs p WHERE p.id = ? AND p.org_id = ?`, programID, orgID).Scan(&s.Mode, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoProgram
	}
	if err != nil {
		return nil, err
	}
	s.Published = published > 0
	type pair struct {
		mentee int64
		mentor tandem.PersonRef
	}
	// The program's partnerships that are not over: proposed (by a
	// published run or an accepted request) or running. One ended,
	// withdrawn or declined gives its seat back.
	pairs, err := queryAll(ctx, q, func(rows *sql.Rows, p *pair) error {
		return rows.Scan(&p.mentee, &p.mentor.ID, &p.mentor.Name, &p.mentor.Email, &p.mentor.Title)
	}, `SELECT e.learner_id, g.id, g.name, g.email, g.title FROM engagements e JOIN people g ON g.id = e.guide_id
		WHERE e.program_id = ? AND e.org_id = ? AND e.kind = 'mentoring' AND e.status NOT IN ('ended', 'expired')`, programID, orgID)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		s.Load[p.mentor.ID]++
		s.Partner[p.mentee] = p.mentor
	}
	type seat struct {
		id  int64
		cap int
	}
	caps, err := queryAll(ctx, q, func(rows *sql.Rows, x *seat) error { return rows.Scan(&x.id, &x.cap) },
		`SELECT a.person_id, a.capacity FROM program_applications a JOIN people pe ON pe.id = a.person_id
		WHERE a.program_id = ? AND a.org_id = ? AND a.role = 'mentor' AND a.status = 'approved' AND pe.deactivated_at IS NULL`,
		programID, orgID)
	if err != nil {
		return nil, err
	}
	for _, c := range caps {
		s.Capacity[c.id] = c.cap
	}
	return s, nil
}

const requestColumns = `r.id, r.program_id, me.id, me.name, me.email, me.title, mo.id, mo.name, mo.email, mo.title,
	r.message, r.status, r.score, r.reasons, r.created_at, r.answered_at, COALESCE(r.engagement_id, 0)`

const requestFrom = ` FROM program_requests r JOIN people me ON me.id = r.mentee_id JOIN people mo ON mo.id = r.mentor_id`

func scanRequest(row interface{ Scan(...any) error }, r *tandem.MentorRequest) error {
	var reasons string
	if err := row.Scan(&r.ID, &r.ProgramID, &r.Mentee.ID, &r.Mentee.Name, &r.Mentee.Email, &r.Mentee.Title,
		&r.Mentor.ID, &r.Mentor.Name, &r.Mentor.Email, &r.Mentor.Title, &r.Message, &r.Status, &r.Score, &reasons,
		&r.CreatedAt, &r.AnsweredAt, &r.EngagementID); err != nil {
		return err
	}
	r.Reasons = []string{}
	if reasons != "" {
		r.Reasons = strings.Split(reasons, "\n")
	}
	r.CreatedAt = r.CreatedAt.UTC()
	if r.AnsweredAt != nil {
		t := r.AnsweredAt.UTC()
		r.AnsweredAt = &t
	}
	return nil
}

// MentorRequests lists the requests of the program the person made (as a
// mentee) or received (as a mentor), open ones first, then newest first.
func (db *DB) MentorRequests(ctx context.Context, orgID, programID, personID int64) ([]tandem.MentorRequest, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, r *tandem.MentorRequest) error { return scanRequest(rows, r) },
		`SELECT `+requestColumns+requestFrom+` WHERE r.org_id = ? AND r.program_id = ? AND (r.mentee_id = ? OR r.mentor_id = ?)
		ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC`, orgID, programID, personID, personID)
}

func requestByID(ctx context.Context, q querier, orgID, programID, id int64) (*tandem.MentorRequest, error) {
	var r tandem.MentorRequest
	err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.org_id = ? AND r.program_id = ? AND r.id = ?`,
		orgID, programID, id), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such request.")
	}
	return &r, err
}

// approvedAs returns the person's approved application's capacity in the
// role, or ok false.
func approvedAs(ctx context.Context, q querier, orgID, programID, personID int64, role tandem.ApplicationRole) (int, bool, error) {
	var capacity int
	// Someone who left keeps an application approved in a running
	// program (Deactivate withdraws only those not yet running), but is
	// no longer anyone's mentor or mentee.
	err := q.QueryRowContext(ctx, `SELECT a.capacity FROM program_applications a JOIN people pe ON pe.id = a.person_id
		WHERE a.org_id = ? AND a.program_id = ? AND a.person_id = ? AND a.role = ? AND a.status = 'approved' AND pe.deactivated_at IS NULL`,
		orgID, programID, personID, string(role)).Scan(&capacity)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return capacity, err == nil, err
}

// checkPairAllowed refuses a pair in a management chain (either way, the
// mentoring rule) or forbidden by the program's admins; field names the
// form field the error belongs to.
func checkPairAllowed(ctx context.Context, q querier, orgID, programID, menteeID int64, mentor tandem.PersonRef) error {
	var related, forbidden int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people_closure WHERE org_id = ?
		AND ((ancestor = ? AND descendant = ?) OR (ancestor = ? AND descendant = ?))`,
		orgID, mentor.ID, menteeID, menteeID, mentor.ID).Scan(&related); err != nil {
		return err
	}
	if related > 0 {
		msg := mentor.Name + " is in your management chain: a mentor is never in their mentee's chain. Choose another mentor."
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"mentor_id": msg}}
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM program_pair_rules WHERE org_id = ? AND program_id = ? AND mentee_id = ? AND mentor_id = ? AND kind = 'forbid'`,
		orgID, programID, menteeID, mentor.ID).Scan(&forbidden); err != nil {
		return err
	}
	if forbidden > 0 {
		msg := "The program's admins ruled out " + mentor.Name + " as your mentor. Choose another mentor."
		return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"mentor_id": msg}}
	}
	return nil
}

// checkSelfServeNow reads the program and its self-serve state in the
// transaction and refuses when mentees may not ask now.
func checkSelfServeNow(ctx context.Context, tx *Tx, orgID, programID int64) (*tandem.Program, *SelfServe, error) {
	p, err := programByID(ctx, tx.q(), orgID, programID)
	if err != nil {
		return nil, nil, err
	}
	s, err := loadSelfServe(ctx, tx.q(), orgID, programID)
	if err != nil {
		return nil, nil, err
	}
	if p.Kind != tandem.Mentoring {
		return nil, nil, tandem.Errorf(tandem.ECONFLICT, "Only mentoring programs pair mentees with mentors.")
	}
	return p, s, tandem.CheckSelfServe(p.State, s.Mode, s.Published)
}

// AskMentor stores the mentee's request to a mentor, and tells the
// mentor. The program's lock makes the checks hold: self-serve open, both
// approved, not in a chain nor forbidden, the mentee not placed and with
// no open request, not declined by this mentor before, the mentor with a
// spare seat.
func (db *DB) AskMentor(ctx context.Context, orgID, programID int64, r *tandem.MentorRequest) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := lockProgram(ctx, tx, orgID, programID); err != nil {
			return err
		}
		p, s, err := checkSelfServeNow(ctx, tx, orgID, programID)
		if err != nil {
			return err
		}
		if _, ok, err := approvedAs(ctx, tx.q(), orgID, programID, r.Mentee.ID, tandem.AsMentee); err != nil {
			return err
		} else if !ok {
			return tandem.Errorf(tandem.EFORBIDDEN, "Only the program's approved mentees ask mentors.")
		}
		mentorErr := func(msg string) error {
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"mentor_id": msg}}
		}
		if r.Mentor.ID == r.Mentee.ID {
			return mentorErr("You cannot be your own mentor.")
		}
		capacity, ok, err := approvedAs(ctx, tx.q(), orgID, programID, r.Mentor.ID, tandem.AsMentor)
		if err != nil {
			return err
		}
		if !ok {
			return mentorErr("Choose one of the program's approved mentors.")
		}
		if err := tx.QueryRow(ctx, `SELECT name FROM people WHERE id = ? AND org_id = ?`, r.Mentor.ID, orgID).Scan(&r.Mentor.Name); err != nil {
			return err
		}
		if err := checkPairAllowed(ctx, tx.q(), orgID, programID, r.Mentee.ID, r.Mentor); err != nil {
			return err
		}
		if _, placed := s.Partner[r.Mentee.ID]; placed {
			return tandem.Errorf(tandem.ECONFLICT, "You have a mentor from this program already.")
		}
		var open tandem.MentorRequest
		err = scanRequest(tx.QueryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.org_id = ? AND r.program_id = ? AND r.mentee_id = ? AND r.status = 'open'`,
			orgID, programID, r.Mentee.ID), &open)
		switch {
		case err == nil:
			return tandem.Errorf(tandem.ECONFLICT, "You asked %s already (%s); wait for their answer, or cancel that request to ask someone else.",
				open.Mentor.Name, open.CreatedAt.Format(tandem.DateLayout))
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		var declined int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_requests WHERE program_id = ? AND org_id = ? AND mentee_id = ? AND mentor_id = ? AND status = 'declined'`,
			programID, orgID, r.Mentee.ID, r.Mentor.ID).Scan(&declined); err != nil {
			return err
		}
		if declined > 0 {
			return mentorErr(r.Mentor.Name + " declined your request before. Choose another mentor.")
		}
		if s.Load[r.Mentor.ID] >= capacity {
			return mentorErr(fmt.Sprintf("%s has no room: they take %d %s and have %d. Choose another mentor.",
				r.Mentor.Name, capacity, plural(capacity, "mentee", "mentees"), s.Load[r.Mentor.ID]))
		}
		r.ProgramID, r.Status, r.CreatedAt = programID, tandem.RequestOpen, tx.now
		if r.Reasons == nil {
			r.Reasons = []string{}
		}
		r.ID, err = tx.insert(ctx, `INSERT INTO program_requests (org_id, program_id, mentee_id, mentor_id, message, status, score, reasons, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, orgID, programID, r.Mentee.ID, r.Mentor.ID, r.Message, string(r.Status), r.Score,
			strings.Join(r.Reasons, "\n"), tx.now)
		if err != nil {
			return err
		}
		return notifyProgram(ctx, tx, p, []int64{r.Mentor.ID}, r.Mentee.ID, tandem.ProgramRequested, "")
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// AnswerRequest is the mentor's answer to a request. Accepting proposes
// the mentoring partnership as publishing a run does (proposeProgramPair:
// the program's draft agreement, the proposed event and its
// notifications) once the program's lock is held and the mentor still has
// a seat; declining frees the mentee to ask someone else. The mentee is
// told either way.
func (db *DB) AnswerRequest(ctx context.Context, orgID, programID, requestID, mentorID int64, accept bool) (*tandem.MentorRequest, error) {
	var out *tandem.MentorRequest
	err := db.Write(ctx, func(tx *Tx) error {
		if err := lockProgram(ctx, tx, orgID, programID); err != nil {
			return err
		}
		r, err := requestByID(ctx, tx.q(), orgID, programID, requestID)
		if err != nil {
			return err
		}
		if r.Mentor.ID != mentorID {
			return tandem.Errorf(tandem.ENOTFOUND, "No such request.")
		}
		if err := r.Status.CheckAnswerable(); err != nil {
			return err
		}
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		event := tandem.ProgramRequestDeclined
		r.Status = tandem.RequestDeclined
		if accept {
			p, s, err := checkSelfServeNow(ctx, tx, orgID, programID)
			if err != nil {
				return err
			}
			capacity, ok, err := approvedAs(ctx, tx.q(), orgID, programID, mentorID, tandem.AsMentor)
			if err != nil {
				return err
			}
			if _, okMentee, err := approvedAs(ctx, tx.q(), orgID, programID, r.Mentee.ID, tandem.AsMentee); err != nil {
				return err
			} else if !ok || !okMentee {
				return tandem.Errorf(tandem.ECONFLICT, "The application of %s or yours is no longer approved; decline the request instead.", r.Mentee.Name)
			}
			if _, placed := s.Partner[r.Mentee.ID]; placed {
				return tandem.Errorf(tandem.ECONFLICT, "%s has a mentor from this program already; decline the request.", r.Mentee.Name)
			}
			if s.Load[mentorID] >= capacity {
				return tandem.Errorf(tandem.ECONFLICT, "You have no room left: you take %d %s and have %d. Decline the request, or ask the program's admins to raise your capacity.",
					capacity, plural(capacity, "mentee", "mentees"), s.Load[mentorID])
			}
			if err := checkPairAllowed(ctx, tx.q(), orgID, programID, r.Mentee.ID, r.Mentor); err != nil {
				return tandem.Errorf(tandem.ECONFLICT, "%s", strings.Replace(err.Error(), "your management chain", r.Mentee.Name+"'s management chain", 1))
			}
			var manager sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT manager_id FROM people WHERE id = ? AND org_id = ?`, r.Mentee.ID, orgID).Scan(&manager); err != nil {
				return err
			}
			settings, err := orgSettings(ctx, tx.q(), orgID)
			if err != nil {
				return err
			}
			if r.EngagementID, err = proposeProgramPair(ctx, tx, p, settings, mentorID, r.Mentee, r.Mentor, manager.Int64); err != nil {
				return err
			}
			event, r.Status = tandem.ProgramRequestAccepted, tandem.RequestAccepted
		}
		res, err := tx.Exec(ctx, `UPDATE program_requests SET status = ?, answered_at = ?, engagement_id = ? WHERE id = ? AND org_id = ? AND status = 'open'`,
			string(r.Status), tx.now, nullID(r.EngagementID), r.ID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tandem.Errorf(tandem.ECONFLICT, "The request changed meanwhile; look at it again.")
		}
		at := tx.now
		r.AnsweredAt = &at
		out = r
		return notifyProgram(ctx, tx, p, []int64{r.Mentee.ID}, mentorID, event, "")
	})
	return out, err
}

// CancelRequest is the mentee taking their open request back; the mentor
// is told.
func (db *DB) CancelRequest(ctx context.Context, orgID, programID, requestID, menteeID int64) (*tandem.MentorRequest, error) {
	var out *tandem.MentorRequest
	err := db.Write(ctx, func(tx *Tx) error {
		r, err := requestByID(ctx, tx.q(), orgID, programID, requestID)
		if err != nil {
			return err
		}
		if r.Mentee.ID != menteeID {
			return tandem.Errorf(tandem.ENOTFOUND, "No such request.")
		}
		switch r.Status {
		case tandem.RequestCancelled:
			return tandem.Errorf(tandem.ECONFLICT, "You cancelled this request already.")
		case tandem.RequestAccepted:
			return tandem.Errorf(tandem.ECONFLICT, "%s accepted this request already; the partnership is proposed, and you may decline its agreement instead.", r.Mentor.Name)
		case tandem.RequestDeclined:
			return tandem.Errorf(tandem.ECONFLICT, "%s declined this request already.", r.Mentor.Name)
		}
		res, err := tx.Exec(ctx, `UPDATE program_requests SET status = 'cancelled', answered_at = ? WHERE id = ? AND org_id = ? AND status = 'open'`,
			tx.now, r.ID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tandem.Errorf(tandem.ECONFLICT, "The request changed meanwhile; look at it again.")
		}
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		at := tx.now
		r.Status, r.AnsweredAt = tandem.RequestCancelled, &at
		out = r
		return notifyProgram(ctx, tx, p, []int64{r.Mentor.ID}, menteeID, tandem.ProgramRequestCancelled, "")
	})
	return out, err
}

// ProgramRequests is a program with requests waiting on the person as a
// mentor, for the home page.
type ProgramRequests struct {
	ProgramID int64
	Name      string
	Waiting   int
}

// RequestsToAnswer counts the open requests to the person, per program
// that is not closed.
func (db *DB) RequestsToAnswer(ctx context.Context, orgID, personID int64) ([]ProgramRequests, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, p *ProgramRequests) error {
		return rows.Scan(&p.ProgramID, &p.Name, &p.Waiting)
	}, `SELECT p.id, p.name, COUNT(*) FROM program_requests r JOIN programs p ON p.id = r.program_id
		WHERE r.org_id = ? AND r.mentor_id = ? AND r.status = 'open' AND p.state <> 'closed'
		GROUP BY p.id, p.name ORDER BY p.name, p.id`, orgID, personID)
}

// proposeProgramPair proposes the mentoring partnership of a program's
// pair, by whoever made it (the publishing admin, the accepting mentor):
// the draft agreement prefilled from the program, the mentee's manager a
// party (unless they are the mentor), through insertEngagement like any
// proposal. Publishing a run and accepting a request both come here.
func proposeProgramPair(ctx context.Context, tx *Tx, p *tandem.Program, settings tandem.Settings, by int64, mentee, mentor tandem.PersonRef, manager int64) (int64, error) {
	ag := programAgreement(p, by)
	e := programEngagement(p, settings, by, ag, mentee, mentor, manager)
	if err := insertEngagement(ctx, tx, e, &ag, false); err != nil {
		return 0, err
	}
	return e.ID, nil
}

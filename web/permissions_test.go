package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
	"github.com/tandemhq/tandem/web"
)

// The roles TestRoutePermissions calls every route as. Org A has an
// administrator, a program admin, a coach, a mentor, a learner (coachee of
// the coaching engagement and mentee of the partnership), the learner's
// manager, a guest coach and a member who is part of nothing; org B has
// its administrator, who mentors a member of B.
const (
	anon      = "anonymous"
	adminA    = "adminA"
	adminB    = "adminB"
	progAdmin = "programAdmin"
	coachR    = "coach"
	mentorR   = "mentor"
	learnerR  = "learner"
	managerR  = "manager"
	guestR    = "guest"
	unrelated = "unrelated"
)

var matrixRoles = []string{anon, adminA, adminB, progAdmin, coachR, mentorR, learnerR, managerR, guestR, unrelated}

// matrixAuthors write Coach Notes: the administrators and Cora, the coach
// of E1. The guest coaches E3 but is a guest; Milo and Bea's
// administrator mentor, which is not coaching (adminB writes as an
// administrator).
var matrixAuthors = []string{adminA, adminB, coachR}

// matrixPerson is one signed-in role: their person, a browser session and
// an API token.
type matrixPerson struct {
	role    string
	org     string // "A" or "B"
	person  *tandem.Person
	ctx     context.Context
	session string
	token   string
}

// matrixEngagement is a fixture engagement with how each role relates to it.
type matrixEngagement struct {
	name    string
	org     string
	kind    tandem.Kind
	id      int64
	session int64
	item    int64 // an agenda item (mentoring)
	action  int64 // an action item of the session
	goal    int64 // the open goal (coaching)
	viewers map[string]tandem.Viewer
}

// matrixProgram is a fixture program with how each role relates to it.
type matrixProgram struct {
	name        string
	org         string
	id          int64
	question    int64
	application int64 // 0: none
	viewers     map[string]tandem.Viewer
	// Self-serve matching: the approved role of each role that has one,
	// a (cancelled) request, and whether the program runs (its
	// questionnaire is fixed).
	roles   map[string]tandem.ApplicationRole
	request int64
	running bool
}

// matrix is the fixture: both organizations, the roles, the engagements
// and the marker strings with who may read each.
type matrix struct {
	t           *testing.T
	db          *sqldb.DB
	app         *app.App
	srv         *httptest.Server
	server      *web.Server
	people      map[string]*matrixPerson
	engs        []*matrixEngagement
	foreign     map[string]*matrixEngagement // by org: an engagement of that org, for the other org's roles
	progs       []*matrixProgram
	foreignProg map[string]*matrixProgram // by org: a program of that org, for the other org's roles
	skill       map[string]int64          // a skill of each org
	job         map[string]int64          // a waiting email job of each org
	member      map[string]*tandem.Person // another person of each org
	// markers: text that only the listed roles may read.
	markers map[string][]string
	ids     map[string]int64 // org id by "A"/"B"
	beaCtx  context.Context  // Bea, of org B
}

func (m *matrix) must(err error, what string) {
	m.t.Helper()
	if err != nil {
		m.t.Fatalf("fixture: %s: %v", what, err)
	}
}

func newMatrix(t *testing.T) *matrix {
	t.Helper()
	db, _ := tandemtest.MustOpenDB(t)
	log := slog.New(web.NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	a := app.New(db, &tandemtest.Mailbox{}, log, "")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	m := &matrix{t: t, db: db, app: a, people: map[string]*matrixPerson{}, foreign: map[string]*matrixEngagement{}, foreignProg: map[string]*matrixProgram{},
		skill: map[string]int64{}, job: map[string]int64{}, member: map[string]*tandem.Person{}, ids: map[string]int64{}}
	m.srv = httptest.NewUnstartedServer(nil)
	m.srv.Start()
	t.Cleanup(m.srv.Close)
	a.BaseURL = m.srv.URL
	s, err := web.New(a, log, web.Config{BaseURL: m.srv.URL, DevMail: true, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	m.server = s
	m.srv.Config.Handler = checkingAPI(t, s)
	ctx := context.Background()

	// Org A and its people; names and texts are markers.
	actxA := tandemtest.MustOrg(t, db, "Orgalpha")
	actxB := tandemtest.MustOrg(t, db, "Orgbeta")
	m.ids["A"], m.ids["B"] = tandem.ActorFrom(actxA).Org.ID, tandem.ActorFrom(actxB).Org.ID
	m.add(adminA, "A", actxA)
	m.add(adminB, "B", actxB)
	for _, p := range []struct{ role, email, name, r string }{
		{progAdmin, "pat@alpha.test", "Pat Programadmin", tandem.RoleProgramAdmin},
		{coachR, "cora@alpha.test", "Cora Coach", tandem.RoleMember},
		{mentorR, "milo@alpha.test", "Milo Mentor", tandem.RoleMember},
		{learnerR, "lena@alpha.test", "Lena Learnerperson", tandem.RoleMember},
		{managerR, "max@alpha.test", "Max Managerperson", tandem.RoleMember},
		{unrelated, "uma@alpha.test", "Uma Unrelatedperson", tandem.RoleMember},
	} {
		m.add(p.role, "A", tandemtest.MustMember(t, db, actxA, p.email, p.name, p.r))
	}
	g, err := db.AddMember(ctx, m.ids["A"], sqldb.NewMember{Email: "gus@practice.test", Name: "Gus Guestcoach", Role: tandem.RoleMember, PasswordHash: "x", Guest: true})
	m.must(err, "guest")
	m.add(guestR, "A", tandemtest.MustActorContext(t, db, g.AccountID, m.ids["A"]))
	bctx := tandemtest.MustMember(t, db, actxB, "bea@beta.test", "Bea Betamember", tandem.RoleMember)
	m.member["A"], m.member["B"] = m.people[learnerR].person, tandem.ActorFrom(bctx).Person
	m.beaCtx = bctx
	m.must(a.SetManager(actxA, m.people[learnerR].person.ID, m.people[managerR].person.ID), "manager")
	for org, c := range map[string]context.Context{"A": actxA, "B": actxB} {
		sk, err := a.CreateSkill(c, "Skill"+org)
		m.must(err, "skill")
		m.skill[org] = sk.ID
		// An email job, never worked here: its arguments are for no one's
		// eyes on the queue page (kind, state and errors only).
		orgID := tandem.ActorFrom(c).Org.ID
		m.must(db.Write(ctx, func(tx *sqldb.Tx) error {
			return app.EnqueueEmail(ctx, tx, app.EmailArgs{OrgID: orgID, To: "mk-job-to-" + org + "@x.test", Template: "notice",
				Data: map[string]string{"Subject": "MK-JOBARGS-" + org}})
		}), "job")
		js, err := db.OrgJobs(ctx, sqldb.JobFilter{OrgID: orgID, Limit: 1})
		m.must(err, "jobs")
		m.job[org] = js[0].ID
	}

	aRoles := []string{adminA, progAdmin, coachR, mentorR, learnerR, managerR, guestR, unrelated}
	members := []string{adminA, progAdmin, coachR, mentorR, learnerR, managerR, unrelated}
	m.markers = map[string][]string{
		"Orgalpha":            aRoles,
		"Orgbeta":             {adminB},
		"Uma Unrelatedperson": members,
		"Lena Learnerperson":  members,
		"Bea Betamember":      {adminB},
	}

	// E1: coaching, Cora coaches Lena, Max agrees as her manager.
	e1 := m.engagement("E1", "A", tandem.Coaching, learnerR, coachR, managerR)
	e1.viewers = map[string]tandem.Viewer{coachR: tandem.ViewerGuide, learnerR: tandem.ViewerLearner, managerR: tandem.ViewerManager,
		adminA: tandem.ViewerAdmin, progAdmin: tandem.ViewerProgramAdmin}
	m.work(e1, coachR, learnerR)
	gl, err := a.SetGoal(m.ctx(coachR), e1.id, tandem.Goal{Title: "MK-E1-GOAL", Measure: "reviews", Baseline: "0", Target: "3", Due: "2026-05-01"})
	m.must(err, "goal")
	e1.goal = gl.ID
	_, err = a.Evaluate(m.ctx(coachR), e1.id, tandem.Evaluation{Position: 1, Evidence: "MK-E1-EVIDENCE"})
	m.must(err, "evaluation")
	m.markers["MK-E1-GOAL"] = []string{coachR, learnerR, managerR}
	m.markers["MK-E1-EVIDENCE"] = []string{coachR, learnerR, managerR}

	// E2: mentoring, Milo mentors Lena, Max agrees as her manager.
	e2 := m.engagement("E2", "A", tandem.Mentoring, learnerR, mentorR, managerR)
	e2.viewers = map[string]tandem.Viewer{mentorR: tandem.ViewerGuide, learnerR: tandem.ViewerLearner, managerR: tandem.ViewerManager,
		adminA: tandem.ViewerAdmin, progAdmin: tandem.ViewerProgramAdmin}
	m.work(e2, mentorR, learnerR)
	it, err := a.AddItem(m.ctx(mentorR), e2.id, false, "MK-E2-ITEM")
	m.must(err, "item")
	e2.item = it.ID
	th, err := a.AddTheme(m.ctx(learnerR), e2.id, tandem.Theme{Area: tandem.AreaCareer, Title: "MK-E2-THEME"})
	m.must(err, "theme")
	_, err = a.Reflect(m.ctx(learnerR), e2.id, tandem.Reflection{ThemeID: th.ID, Body: "MK-E2-REFLECT"})
	m.must(err, "reflection")
	_, err = a.SetPhase(m.ctx(mentorR), e2.id, tandem.PhaseCultivation, "MK-E2-PHASE")
	m.must(err, "phase")
	for _, k := range []string{"MK-E2-ITEM", "MK-E2-THEME", "MK-E2-REFLECT", "MK-E2-PHASE"} {
		m.markers[k] = []string{mentorR, learnerR}
	}

	// E3: coaching, the guest coaches Milo, who has no manager: an
	// engagement the learner, the manager and the unrelated member are
	// not part of.
	e3 := m.engagement("E3", "A", tandem.Coaching, mentorR, guestR, "")
	e3.viewers = map[string]tandem.Viewer{guestR: tandem.ViewerGuide, mentorR: tandem.ViewerLearner,
		adminA: tandem.ViewerAdmin, progAdmin: tandem.ViewerProgramAdmin}
	m.work(e3, guestR, mentorR)
	gl, err = a.SetGoal(m.ctx(guestR), e3.id, tandem.Goal{Title: "MK-E3-GOAL", Measure: "reviews", Baseline: "0", Target: "3", Due: "2026-05-01"})
	m.must(err, "goal")
	e3.goal = gl.ID
	m.markers["MK-E3-GOAL"] = []string{guestR, mentorR}
	for _, org := range []string{"A", "B"} {
		m.markers["MK-JOBARGS-"+org], m.markers["mk-job-to-"+org] = nil, nil
	}
	m.markers["Milo Mentor"] = append(members, guestR)

	// EB: org B's partnership, its administrator mentoring Bea.
	m.people["beaB"] = &matrixPerson{role: "beaB", org: "B", person: m.member["B"], ctx: bctx}
	eb := m.engagement("EB", "B", tandem.Mentoring, "beaB", adminB, "")
	eb.viewers = map[string]tandem.Viewer{adminB: tandem.ViewerGuide}
	m.work(eb, adminB, "beaB")
	delete(m.people, "beaB")
	for k, v := range m.markers {
		if strings.HasPrefix(k, "MK-EB-") {
			m.markers[k] = slices.DeleteFunc(slices.Clone(v), func(r string) bool { return r == "beaB" })
		}
	}
	m.engs = []*matrixEngagement{e1, e2, e3, eb}
	m.foreign["A"], m.foreign["B"] = e1, eb

	m.programs(actxA, actxB, bctx)

	// Credentials.
	for _, p := range m.people {
		m.signIn(p)
		tok, _, err := a.CreateAPIToken(p.ctx, "matrix")
		m.must(err, "token")
		p.token = tok
	}
	return m
}

// programs makes the fixture programs. P1 (org A) is enrolling, open to
// everyone, run by the program admin, and the learner has applied to it;
// P2 (org A) is a draft run by the mentor (so the program admin of P1
// neither runs nor sees it); PB is org B's, enrolling, Bea applied.
func (m *matrix) programs(actxA, actxB, bctx context.Context) {
	a := m.app
	mk := func(ctx context.Context, name, org string, admins []string, open bool, q tandem.Question) *matrixProgram {
		p, err := a.CreateProgram(ctx, tandem.Program{Name: name, Description: "MK-" + name + "-DESC"}, admins)
		m.must(err, "program "+name)
		qq, err := a.AddQuestion(ctx, p.ID, q)
		m.must(err, "question")
		if open {
			_, err = a.MoveProgram(ctx, p.ID, tandem.ProgramEnrolling)
			m.must(err, "open "+name)
		}
		return &matrixProgram{name: name, org: org, id: p.ID, question: qq.ID}
	}
	p1 := mk(actxA, "P1", "A", []string{"pat@alpha.test"}, true, tandem.Question{Type: tandem.QuestionText, Label: "MK-P1-QUESTION", Required: true})
	ap, err := a.Apply(m.ctx(learnerR), p1.id, tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{p1.question: {Text: "MK-P1-ANSWER"}}}, false)
	m.must(err, "apply to P1")
	p1.application = ap.ID
	p1.viewers = map[string]tandem.Viewer{adminA: tandem.ViewerAdmin, progAdmin: tandem.ViewerProgramAdmin, learnerR: tandem.ViewerApplicant,
		coachR: tandem.ViewerEligible, mentorR: tandem.ViewerEligible, managerR: tandem.ViewerEligible, unrelated: tandem.ViewerEligible}
	p2 := mk(actxA, "P2", "A", []string{"milo@alpha.test"}, false, tandem.Question{Type: tandem.QuestionText, Label: "MK-P2-QUESTION"})
	p2.viewers = map[string]tandem.Viewer{adminA: tandem.ViewerAdmin, mentorR: tandem.ViewerProgramAdmin}
	pb := mk(actxB, "PB", "B", nil, true, tandem.Question{Type: tandem.QuestionText, Label: "MK-PB-QUESTION"})
	ap, err = a.Apply(bctx, pb.id, tandem.Application{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{pb.question: {Text: "MK-PB-ANSWER"}}}, false)
	m.must(err, "apply to PB")
	pb.application = ap.ID
	pb.viewers = map[string]tandem.Viewer{adminB: tandem.ViewerAdmin}
	// P3 (org A) is running self-serve, run by the program admin: the
	// learner is its approved mentee, the mentor its approved mentor, and
	// the learner's request to the mentor was cancelled (so answering it
	// changes nothing).
	p3 := mk(actxA, "P3", "A", []string{"pat@alpha.test"}, true, tandem.Question{Type: tandem.QuestionText, Label: "MK-P3-QUESTION"})
	for _, x := range []struct {
		who  string
		role tandem.ApplicationRole
		cap  int
	}{{learnerR, tandem.AsMentee, 0}, {mentorR, tandem.AsMentor, 1}} {
		ap, err := a.Apply(m.ctx(x.who), p3.id, tandem.Application{Role: x.role, Capacity: x.cap}, false)
		m.must(err, "apply to P3")
		_, err = a.Decide(actxA, p3.id, ap.ID, "approve")
		m.must(err, "approve in P3")
		if x.role == tandem.AsMentee {
			p3.application = ap.ID
		}
	}
	for _, st := range []tandem.ProgramState{tandem.ProgramMatching, tandem.ProgramRunning} {
		_, err = a.MoveProgram(actxA, p3.id, st)
		m.must(err, "move P3")
	}
	m.must(a.SetMatchingMode(actxA, p3.id, tandem.MatchSelfServe), "self-serve P3")
	rq, err := a.AskMentor(m.ctx(learnerR), p3.id, m.people[mentorR].person.ID, "MK-P3-REQUEST")
	m.must(err, "ask in P3")
	_, err = a.CancelRequest(m.ctx(learnerR), p3.id, rq.ID)
	m.must(err, "cancel in P3")
	p3.request, p3.running = rq.ID, true
	p3.roles = map[string]tandem.ApplicationRole{learnerR: tandem.AsMentee, mentorR: tandem.AsMentor}
	p3.viewers = map[string]tandem.Viewer{adminA: tandem.ViewerAdmin, progAdmin: tandem.ViewerProgramAdmin, learnerR: tandem.ViewerApplicant,
		mentorR: tandem.ViewerApplicant, coachR: tandem.ViewerEligible, managerR: tandem.ViewerEligible, unrelated: tandem.ViewerEligible}
	m.progs = []*matrixProgram{p1, p2, p3, pb}
	m.foreignProg["A"], m.foreignProg["B"] = p1, pb
	membersA := []string{adminA, progAdmin, coachR, mentorR, learnerR, managerR, unrelated}
	m.markers["MK-P3-DESC"], m.markers["MK-P3-QUESTION"] = membersA, membersA
	m.markers["MK-P3-REQUEST"] = []string{learnerR, mentorR}
	m.markers["MK-P1-DESC"], m.markers["MK-P1-QUESTION"] = membersA, membersA
	m.markers["MK-P1-ANSWER"] = []string{adminA, progAdmin, learnerR}
	m.markers["MK-P2-DESC"], m.markers["MK-P2-QUESTION"] = []string{adminA, mentorR}, []string{adminA, mentorR}
	m.markers["MK-PB-DESC"], m.markers["MK-PB-QUESTION"], m.markers["MK-PB-ANSWER"] = []string{adminB}, []string{adminB}, []string{adminB}
}

func (m *matrix) add(role, org string, ctx context.Context) {
	m.people[role] = &matrixPerson{role: role, org: org, person: tandem.ActorFrom(ctx).Person, ctx: ctx}
}

func (m *matrix) ctx(role string) context.Context { return m.people[role].ctx }

// signIn starts a new browser session for the role.
func (m *matrix) signIn(p *matrixPerson) {
	s, err := m.app.StartSession(context.Background(), p.person.AccountID, p.person.OrgID, "", "matrix", "127.0.0.1")
	m.must(err, "session")
	p.session = s
}

// engagement proposes an engagement as its learner and has every party
// agree, so it is active; its outcomes are a marker for the parties.
func (m *matrix) engagement(name, org string, kind tandem.Kind, learner, guide, manager string) *matrixEngagement {
	m.t.Helper()
	mk := "MK-" + name + "-"
	p := tandem.Proposal{Kind: kind, LearnerID: m.people[learner].person.ID, GuideID: m.people[guide].person.ID,
		Agreement: tandem.Agreement{Outcomes: []string{mk + "AGREEMENT"}, Cadence: "Every two weeks", Channels: "Video",
			Confidentiality: "Between us", ReviewMethod: "Monthly", ExitTerms: "After a talk",
			Start: "2026-03-02", End: "2026-06-01", EvaluationMethod: "Rubric"}}
	if kind == tandem.Coaching {
		p.SkillID, p.Setting = m.skill[org], "Online"
	}
	e, err := m.app.Propose(m.ctx(learner), p, "")
	m.must(err, "propose "+name)
	for _, r := range []string{learner, guide, manager} {
		if r != "" {
			_, err := m.app.Respond(m.ctx(r), e.ID, 1, true, "")
			m.must(err, name+": "+r+" agrees")
		}
	}
	parties := []string{learner, guide}
	if manager != "" {
		parties = append(parties, manager)
	}
	m.markers[mk+"AGREEMENT"] = parties
	return &matrixEngagement{name: name, org: org, kind: kind, id: e.ID}
}

// work gives an engagement a session with an agenda, a shared note, a
// private note of each partner and an action item, each a marker.
func (m *matrix) work(e *matrixEngagement, guide, learner string) {
	m.t.Helper()
	mk := "MK-" + e.name + "-"
	mt, err := m.app.ScheduleMeeting(m.ctx(guide), e.id, tandem.MeetingInput{Start: time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC),
		Minutes: 60, Place: "Room 1", Agenda: mk + "AGENDA"})
	m.must(err, e.name+" session")
	e.session = mt.ID
	_, err = m.app.AddNote(m.ctx(guide), e.id, mt.ID, true, mk+"SHARED")
	m.must(err, "shared note")
	_, err = m.app.AddNote(m.ctx(guide), e.id, mt.ID, false, mk+"PRIVGUIDE")
	m.must(err, "private note")
	_, err = m.app.AddNote(m.ctx(learner), e.id, mt.ID, false, mk+"PRIVLEARNER")
	m.must(err, "private note")
	ai, err := m.app.AddActionItem(m.ctx(guide), e.id, mt.ID, m.people[learner].person.ID, mk+"ACTION", "")
	m.must(err, "action item")
	e.action = ai.ID
	m.markers[mk+"AGENDA"] = []string{guide, learner}
	m.markers[mk+"SHARED"] = []string{guide, learner}
	m.markers[mk+"ACTION"] = []string{guide, learner}
	m.markers[mk+"PRIVGUIDE"] = []string{guide}
	m.markers[mk+"PRIVLEARNER"] = []string{learner}
}

// madeUp is an id no fixture has.
const madeUp = 987654

// resource is what a route's path parameters point at, and how the
// caller relates to it.
type resource struct {
	label string
	vals  map[string]string // path parameter values
	// one of: "none" (no parameters), "own" (the caller's org, see eng
	// and self), "foreign" (the other organization's), "madeup".
	where string
	eng   *matrixEngagement
	self  bool // a person route about the caller
	owned bool // a token route with the caller's own token
	// noSub: the route's sub-resource cannot exist on this engagement
	// (an agenda item of coaching), so not found is a fine refusal.
	noSub bool
	prog  *matrixProgram
}

var paramRE = regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)

// resources lists what to request a route with, for one caller.
func (m *matrix) resources(pattern string, p *matrixPerson) []resource {
	params := paramRE.FindAllStringSubmatch(pattern, -1)
	if len(params) == 0 {
		return []resource{{label: "-", where: "none"}}
	}
	org := "A"
	if p != nil {
		org = p.org
	}
	other := map[string]string{"A": "B", "B": "A"}[org]
	path := strings.SplitN(pattern, " ", 2)[len(strings.SplitN(pattern, " ", 2))-1]
	made := func() resource {
		v := map[string]string{}
		for _, pr := range params {
			v[pr[1]] = fmt.Sprint(madeUp)
		}
		return resource{label: "made-up", vals: v, where: "madeup"}
	}
	i64 := func(n int64) string {
		if n == 0 {
			return fmt.Sprint(madeUp + 1)
		}
		return fmt.Sprint(n)
	}
	engRes := func(e *matrixEngagement, where string) resource {
		v := map[string]string{"id": i64(e.id), "session": i64(e.session), "goal": i64(e.goal)}
		if strings.Contains(path, "/items/") {
			v["item"] = i64(e.item)
		} else {
			v["item"] = i64(e.action)
		}
		return resource{label: e.name, vals: v, where: where, eng: e, noSub: strings.Contains(path, "/items/") && e.kind == tandem.Coaching}
	}
	progRes := func(pr *matrixProgram, where string) resource {
		v := map[string]string{"id": i64(pr.id), "question": i64(pr.question), "application": i64(pr.application),
			"request": i64(pr.request), "run": i64(0), "mentee": i64(0), "mentor": i64(0)}
		// The fixture programs have no runs and no pinned or forbidden
		// pairs: those who run them may find none.
		noSub := (strings.Contains(path, "{application}") && pr.application == 0) || strings.Contains(path, "{run}") ||
			strings.Contains(path, "{mentee}") || strings.HasSuffix(path, "/rules/delete") ||
			(strings.Contains(path, "{request}") && pr.request == 0)
		return resource{label: pr.name, vals: v, where: where, prog: pr, noSub: noSub}
	}
	switch {
	case strings.Contains(path, "/programs/{id}"):
		var out []resource
		for _, pr := range m.progs {
			if pr.org == org {
				out = append(out, progRes(pr, "own"))
			}
		}
		return append(out, progRes(m.foreignProg[other], "foreign"), made())
	case strings.Contains(path, "/engagements/{id}"):
		var out []resource
		for _, e := range m.engs {
			if e.org == org {
				out = append(out, engRes(e, "own"))
			}
		}
		out = append(out, engRes(m.foreign[other], "foreign"), made())
		if pattern == "GET /engagements/{id}/sessions/{session}" {
			// {session}.ics downloads the session for a calendar: the
			// same rules, another representation.
			for _, r := range slices.Clone(out) {
				v := maps.Clone(r.vals)
				v["session"] += ".ics"
				r.vals, r.label = v, r.label+" (.ics)"
				out = append(out, r)
			}
		}
		return out
	case strings.Contains(path, "/people/{id}"):
		res := func(label string, id int64, where string, self bool) resource {
			v := map[string]string{"id": fmt.Sprint(id)}
			if strings.Contains(path, "{manager}") {
				v["manager"] = fmt.Sprint(m.people[adminA].person.ID)
				if org == "B" {
					v["manager"] = fmt.Sprint(m.people[adminB].person.ID)
				}
			}
			return resource{label: label, vals: v, where: where, self: self}
		}
		otherP := m.member[org]
		if p != nil && p.person.ID == otherP.ID {
			otherP = m.people[unrelated].person
		}
		out := []resource{res("other person", otherP.ID, "own", false), res("foreign person", m.member[other].ID, "foreign", false), made()}
		if p != nil {
			out = append(out, res("self", p.person.ID, "own", true))
		}
		return out
	case strings.Contains(path, "/skills/{id}"):
		return []resource{{label: "skill", vals: map[string]string{"id": fmt.Sprint(m.skill[org])}, where: "own"},
			{label: "foreign skill", vals: map[string]string{"id": fmt.Sprint(m.skill[other])}, where: "foreign"}, made()}
	case strings.Contains(path, "/jobs/{id}"):
		return []resource{{label: "job", vals: map[string]string{"id": fmt.Sprint(m.job[org])}, where: "own"},
			{label: "foreign job", vals: map[string]string{"id": fmt.Sprint(m.job[other])}, where: "foreign"}, made()}
	case strings.Contains(path, "tokens/{id}"):
		// The caller's own token is made fresh for each request (see do);
		// another person's token is the unrelated member's.
		out := []resource{made()}
		if p != nil {
			out = append(out, resource{label: "own token", vals: map[string]string{"id": "OWN"}, where: "own", owned: true},
				resource{label: "another's token", vals: map[string]string{"id": fmt.Sprint(m.otherToken(p))}, where: "own"})
		}
		return out
	}
	// One-time links and calendar files: the secret is the credential.
	return []resource{made()}
}

// otherToken returns the id of a token of someone else in the caller's
// organization, which nobody in the test may revoke.
func (m *matrix) otherToken(p *matrixPerson) int64 {
	ctx := m.ctx(unrelated)
	switch {
	case p.org == "B":
		ctx = m.beaCtx
	case p.role == unrelated:
		ctx = m.ctx(adminA)
	}
	_, t, err := m.app.CreateAPIToken(ctx, "not yours")
	m.must(err, "token")
	return t.ID
}

// Request bodies: valid enough that validation does not answer before
// authorization, and chosen not to change who may see what (an end or an
// invalid role is refused after the permission check, a reversal is
// declined, a profile keeps its name). {me} is the caller's email,
// {other} another person of their organization, {org} their organization's
// id, {name} the name of the person the route is about, {self} the
// caller's person id.
var matrixForms = map[string]string{
	"POST /forgot":                                            "email=nobody%40nowhere.test",
	"POST /account/org":                                       "org_id={org}",
	"POST /account/password":                                  "current_password=wrong+password&new_password=another+long+password",
	"POST /account/tokens":                                    "name=matrix",
	"POST /people/{id}/edit":                                  "name={name}",
	"POST /people/{id}/manager":                               "manager_email=nobody%40nowhere.test",
	"POST /people/{id}/role":                                  "role=bogus",
	"POST /skills":                                            "name=Matrix+skill",
	"POST /skills/{id}/rename":                                "name=",
	"POST /skills/{id}/merge":                                 "into=",
	"POST /skills/{id}/retire":                                "retired=false",
	"POST /admin/jobs/{id}/retry":                             "", // a waiting job: 409 for its administrator
	"POST /engagements":                                       "kind=mentoring&learner_email={me}&guide_email={other}&areas_sent=1&areas=career&outcomes=Grow&cadence=Monthly&confidentiality=Between+us&exit_terms=A+talk",
	"POST /engagements/{id}/agreement":                        "outcomes=Grow&cadence=Monthly&channels=Video&confidentiality=Between+us&review_method=Monthly&exit_terms=A+talk&start=2026-03-02&end=2026-06-01&evaluation_method=Rubric",
	"POST /engagements/{id}/respond":                          "version=1&answer=agree",
	"POST /engagements/{id}/phase":                            "phase=cultivation",
	"POST /engagements/{id}/reversal":                         "note={long}",
	"POST /engagements/{id}/reversal/answer":                  "answer=decline",
	"POST /engagements/{id}/end":                              "reason=",
	"POST /engagements/{id}/review":                           "decision=continue",
	"POST /engagements/{id}/exception":                        "reason=Small+team",
	"POST /engagements/{id}/share":                            "share=1",
	"POST /engagements/{id}/items":                            "kind=agenda&body=matrix+item",
	"POST /admin/settings":                                    "coaching_max_months=6&review_months=3&stalled_days=30",
	"POST /engagements/{id}/sessions":                         "start=2026-03-20T10:00&minutes=60&place=Room+2",
	"POST /engagements/{id}/sessions/{session}/reschedule":    "start=2026-03-20T10:00&minutes=60&place=Room+2",
	"POST /engagements/{id}/sessions/{session}/outcome":       "status=held",
	"POST /engagements/{id}/sessions/{session}/notes":         "body=matrix+note&shared=1",
	"POST /engagements/{id}/sessions/{session}/actions":       "owner={self}&body=matrix+action",
	"POST /engagements/{id}/sessions/{session}/feedback":      "score=3",
	"POST /engagements/{id}/goals":                            "title=Next&measure=m&baseline=0&target=1&due=2026-05-01",
	"POST /engagements/{id}/goals/{goal}/updates":             "value=1",
	"POST /engagements/{id}/evaluations":                      "level=2&evidence=matrix",
	"POST /engagements/{id}/themes":                           "area=career&title=matrix",
	"POST /engagements/{id}/reflections":                      "body=matrix",
	"POST /admin/rubric":                                      "reset=1",
	"POST /admin/invitations":                                 "email=invitee%40alpha.test&name=Ivy+Invitee&guest=1",
	"POST /admin/invitations/bulk":                            "scope=selected&person=999999",
	"POST /notifications/read":                                "id=0",
	"POST /account/notifications":                             "sessions=immediately",
	"POST /articles":                                          "title=Matrix+article&body=Hello",
	"POST /articles/{id}":                                     "title=Matrix+article&body=Hello",
	"POST /account/notes-subscription":                        "",
	"POST /admin/digest":                                      "days=1,15&hour=9&time_zone=UTC",
	"POST /programs":                                          "name=",
	"POST /programs/{id}/edit":                                "name=",
	"POST /programs/{id}/state":                               "state=bogus",
	"POST /programs/{id}/admins":                              "admins=nobody%40nowhere.test",
	"POST /programs/{id}/questions":                           "type=bogus&label=x",
	"POST /programs/{id}/questions/{question}":                "type=bogus&label=x",
	"POST /programs/{id}/questions/{question}/delete":         "",
	"POST /programs/{id}/apply":                               "role=mentee",
	"POST /programs/{id}/withdraw":                            "",
	"POST /programs/{id}/applications/{application}/decision": "decision=bogus",
	"POST /programs/{id}/runs":                                "mode=bogus",
	"POST /programs/{id}/runs/{run}/publish":                  "confirm=1",
	"POST /programs/{id}/rules":                               "kind=bogus&mentee_id=0&mentor_id=0",
	"POST /programs/{id}/rules/delete":                        "mentee_id=0&mentor_id=0",
	"POST /programs/{id}/invitations":                         "scope=bogus",
	"POST /programs/{id}/invitations/csv":                     "",
	"POST /programs/{id}/invitations/remind":                  "",
	"POST /programs/{id}/invitation/decline":                  "",
	"POST /programs/{id}/matching":                            "mode=bogus",
	"POST /programs/{id}/requests":                            "mentor_id=bogus",
	"POST /programs/{id}/requests/{request}/accept":           "",
	"POST /programs/{id}/requests/{request}/decline":          "",
	"POST /programs/{id}/requests/{request}/cancel":           "",
	"POST /people/{id}/deactivate":                            "reason={long}", // too long: refused after the permission check
	"POST /people/{id}/reactivate":                            "",              // an active person: 409 for an administrator
}

var matrixJSON = map[string]string{
	"POST /api/v1/me/password":                                       `{"current_password":"wrong password","new_password":"another long password"}`,
	"POST /api/v1/tokens":                                            `{"name":"matrix"}`,
	"POST /api/v1/invitations":                                       `{"email":"invitee@alpha.test","name":"Ivy Invitee","guest":true}`,
	"POST /api/v1/invitations/bulk":                                  `{"person_ids":[999999],"dry_run":true}`,
	"PUT /api/v1/people/{id}/profile":                                `{"name":"{name}"}`,
	"PUT /api/v1/people/{id}/manager":                                `{"manager_email":"nobody@nowhere.test"}`,
	"PUT /api/v1/people/{id}/role":                                   `{"role":"bogus"}`,
	"POST /api/v1/skills":                                            `{"name":"Matrix skill"}`,
	"PATCH /api/v1/skills/{id}":                                      `{"name":""}`,
	"POST /api/v1/skills/{id}/merge":                                 `{"into":0}`,
	"POST /api/v1/jobs/{id}/retry":                                   `{}`,
	"POST /api/v1/engagements":                                       `{"kind":"mentoring","learner_id":{self},"guide_id":{otherid},"agreement":{"outcomes":["Grow"],"cadence":"Monthly","confidentiality":"Between us","exit_terms":"A talk"}}`,
	"PUT /api/v1/engagements/{id}/agreement":                         `{"outcomes":["Grow"],"cadence":"Monthly","channels":"Video","confidentiality":"Between us","review_method":"Monthly","exit_terms":"A talk","start":"2026-03-02","end":"2026-06-01","evaluation_method":"Rubric"}`,
	"POST /api/v1/engagements/{id}/responses":                        `{"version":1,"agreed":true}`,
	"POST /api/v1/engagements/{id}/phase":                            `{"phase":"cultivation"}`,
	"POST /api/v1/engagements/{id}/reversal":                         `{"note":"{long}"}`,
	"POST /api/v1/engagements/{id}/reversal/answer":                  `{"accept":false}`,
	"POST /api/v1/engagements/{id}/end":                              `{"reason":""}`,
	"POST /api/v1/engagements/{id}/reviews":                          `{"decision":"continue"}`,
	"POST /api/v1/engagements/{id}/exception":                        `{"reason":"Small team"}`,
	"PUT /api/v1/engagements/{id}/share-history":                     `{"share":true}`,
	"POST /api/v1/engagements/{id}/items":                            `{"kind":"agenda","body":"matrix item"}`,
	"PUT /api/v1/settings":                                           `{"coaching_max_months":0}`,
	"POST /api/v1/engagements/{id}/sessions":                         `{"start":"2026-03-20T10:00:00Z","minutes":60,"place":"Room 2"}`,
	"PUT /api/v1/engagements/{id}/sessions/{session}":                `{"start":"2026-03-20T10:00:00Z","minutes":60,"place":"Room 2"}`,
	"POST /api/v1/engagements/{id}/sessions/{session}/outcome":       `{"status":"held"}`,
	"POST /api/v1/engagements/{id}/sessions/{session}/notes":         `{"body":"matrix note","shared":true}`,
	"POST /api/v1/engagements/{id}/sessions/{session}/action-items":  `{"owner_id":{self},"body":"matrix action"}`,
	"PUT /api/v1/engagements/{id}/sessions/{session}/feedback":       `{"score":3}`,
	"POST /api/v1/engagements/{id}/goals":                            `{"title":"Next","measure":"m","baseline":"0","target":"1","due":"2026-05-01"}`,
	"POST /api/v1/engagements/{id}/goals/{goal}/updates":             `{"value":"1"}`,
	"POST /api/v1/engagements/{id}/evaluations":                      `{"level":2,"evidence":"matrix"}`,
	"POST /api/v1/engagements/{id}/themes":                           `{"area":"career","title":"matrix"}`,
	"POST /api/v1/engagements/{id}/reflections":                      `{"body":"matrix"}`,
	"PUT /api/v1/rubric":                                             `{"levels":[]}`,
	"POST /api/v1/me/notifications/read":                             `{"ids":[0]}`,
	"PUT /api/v1/me/notification-settings":                           `{"sessions":"immediately"}`,
	"POST /api/v1/articles":                                          `{"title":"Matrix article","body":"Hello"}`,
	"PUT /api/v1/articles/{id}":                                      `{"title":"Matrix article","body":"Hello"}`,
	"POST /api/v1/me/notes-subscription":                             `{}`,
	"PUT /api/v1/digest-schedule":                                    `{"days":[1,15],"hour":9,"time_zone":"UTC"}`,
	"POST /api/v1/programs":                                          `{"name":""}`,
	"PUT /api/v1/programs/{id}":                                      `{"name":""}`,
	"POST /api/v1/programs/{id}/state":                               `{"state":"bogus"}`,
	"PUT /api/v1/programs/{id}/admins":                               `{"admin_emails":["nobody@nowhere.test"]}`,
	"POST /api/v1/programs/{id}/questions":                           `{"type":"bogus","label":"x"}`,
	"PUT /api/v1/programs/{id}/questions/{question}":                 `{"type":"bogus","label":"x"}`,
	"POST /api/v1/programs/{id}/application":                         `{"role":"mentee"}`,
	"PUT /api/v1/programs/{id}/application":                          `{"role":"mentee"}`,
	"POST /api/v1/programs/{id}/applications/{application}/decision": `{"decision":"bogus"}`,
	"POST /api/v1/programs/{id}/runs":                                `{"mode":"bogus"}`,
	"POST /api/v1/programs/{id}/runs/{run}/publish":                  `{}`,
	"POST /api/v1/programs/{id}/rules":                               `{"kind":"bogus","mentee_id":0,"mentor_id":0}`,
	"POST /api/v1/programs/{id}/invitations":                         `{"emails":["bogus"]}`,
	"POST /api/v1/programs/{id}/invitations/remind":                  `{}`,
	"POST /api/v1/programs/{id}/invitation/decline":                  `{}`,
	"PUT /api/v1/programs/{id}/matching":                             `{"mode":"bogus"}`,
	"POST /api/v1/programs/{id}/requests":                            `{"mentor_id":0}`,
	"POST /api/v1/programs/{id}/requests/{request}/accept":           `{}`,
	"POST /api/v1/programs/{id}/requests/{request}/decline":          `{}`,
	"POST /api/v1/programs/{id}/requests/{request}/cancel":           `{}`,
	"POST /api/v1/people/{id}/deactivate":                            `{"reason":"{long}"}`,
	"POST /api/v1/people/{id}/reactivate":                            `{}`,
}

// outcome is what a request must answer.
type outcome string

const (
	allowed   outcome = "allowed"    // not 401, 403 or 404, no sign-in redirect, no 5xx
	forbidden outcome = "403"        // the caller knows the resource exists
	notFound  outcome = "404"        // the caller may not know it exists
	refused   outcome = "refused"    // 403, 409 or 422: the route is not for this kind of engagement
	signInNow outcome = "sign in"    // anonymous: UI to /signin, API 401
	public    outcome = "public"     // no sign-in needed: anything but a 5xx
	sameAsOne outcome = "as made-up" // another organization's resource: what a made-up id gets
	// refusedOrGone: refused, or not found for a sub-resource that this
	// kind of engagement cannot have.
	refusedOrGone outcome = "refused or 404"
	// absent: a made-up id outside engagements: 403, 404 or 422.
	absent outcome = "403, 404 or 422"
	// allowedOrGone: allowed, or not found for a sub-resource that this
	// program does not have (an application of a draft).
	allowedOrGone outcome = "allowed or 404"
)

// expect computes what the declaration says a caller gets for a resource.
func expect(d web.RouteDecl, role string, p *matrixPerson, res resource) outcome {
	if d.Kind == "anyone" {
		return public
	}
	if p == nil {
		return signInNow
	}
	if res.where == "foreign" {
		return sameAsOne
	}
	isGuest := p.person.Guest
	switch d.Kind {
	case "engagement":
		if res.where == "madeup" {
			return notFound
		}
		v := res.eng.viewers[role]
		if v == tandem.ViewerNone {
			return notFound
		}
		ok := true
		if d.Facet != "" {
			if !tandem.Can(res.eng.kind, v, d.Facet) {
				return notFound
			}
		}
		if d.Viewers != nil {
			ok = slices.Contains(d.Viewers, v)
		}
		if d.Only != "" && d.Only != res.eng.kind {
			if res.noSub {
				return refusedOrGone
			}
			return refused
		}
		if !ok {
			return forbidden
		}
		return allowed
	}
	if d.Kind == "program" {
		if res.where == "madeup" {
			return notFound
		}
		v := res.prog.viewers[role]
		if v == tandem.ViewerNone || !tandem.CanProgram(v, tandem.ProgramOverview) {
			return notFound
		}
		if !tandem.CanProgram(v, d.Program) {
			return forbidden
		}
		if len(d.Roles) > 0 && !slices.Contains(d.Roles, res.prog.roles[role]) {
			// Self-serve: only the approved applicants in the roles.
			return forbidden
		}
		if res.noSub {
			return allowedOrGone
		}
		return allowed
	}
	if res.where == "madeup" {
		// Nothing to find: not found, forbidden, or the (deliberately
		// invalid, see matrixForms) body refused first; never success.
		return absent
	}
	gate := true
	switch d.Kind {
	case "members":
		gate = !isGuest
	case "programAdmins":
		gate = p.person.Role == tandem.RoleAdmin || p.person.Role == tandem.RoleProgramAdmin
	case "admins":
		gate = p.person.Role == tandem.RoleAdmin
	case "authors":
		gate = slices.Contains(matrixAuthors, role)
	}
	if d.Self && res.self {
		gate = true
	}
	if d.Self && !res.self && isGuest {
		// A guest may not know who else is in the organization: another
		// person answers as one who does not exist.
		return notFound
	}
	if !gate {
		return forbidden
	}
	if d.BrowserOnly && d.API { // the test calls the API with a token
		return forbidden
	}
	if strings.Contains(d.Pattern, "tokens/{id}") && !res.owned {
		return notFound
	}
	return allowed
}

func (o outcome) holds(d web.RouteDecl, status int, location string) bool {
	switch o {
	case public:
		return status < 500
	case signInNow:
		if d.API {
			return status == http.StatusUnauthorized
		}
		return status == http.StatusSeeOther && strings.HasPrefix(location, "/signin")
	case allowed:
		return status < 500 && status != 401 && status != 403 && status != 404 && !strings.HasPrefix(location, "/signin")
	case forbidden:
		return status == http.StatusForbidden
	case notFound:
		return status == http.StatusNotFound
	case refused:
		return status == 403 || status == 409 || status == 422
	case absent:
		return status == 403 || status == 404 || status == 422
	case allowedOrGone:
		return status < 500 && status != 401 && status != 403 && !strings.HasPrefix(location, "/signin")
	case refusedOrGone:
		return status == 403 || status == 404 || status == 409 || status == 422
	}
	return false
}

// TestRoutePermissions requests every route of the route table as every
// role, against resources the role may and may not see (another
// engagement, another organization's, a made-up id), and fails on any
// answer that differs from the route's declaration and on any page or JSON
// that carries a marker the role may not read: private notes of others,
// the partners' conversation for a manager or an administrator, another
// organization's names.
func TestRoutePermissions(t *testing.T) {
	m := newMatrix(t)
	table := web.RouteTable(m.server)
	calls, failures := 0, 0
	fail := func(format string, args ...any) {
		t.Helper()
		failures++
		if failures <= 200 {
			t.Errorf(format, args...)
		}
	}
	for _, d := range table {
		method, path, ok := strings.Cut(d.Pattern, " ")
		if !ok { // the fallbacks answer any method
			method, path = "GET", d.Pattern
		}
		if d.Kind == "" {
			fail("%s: no declaration of who may call it", d.Pattern)
			continue
		}
		if method != "GET" && method != "DELETE" && !hasBody(d) {
			fail("%s: TestRoutePermissions has no request body for this route; add one to matrixForms or matrixJSON", d.Pattern)
		}
		// Denied callers first, so an allowed change cannot alter what a
		// denied caller is checked against.
		type call struct {
			role string
			p    *matrixPerson
			res  resource
			want outcome
		}
		var calls1 []call
		for _, role := range matrixRoles {
			p := m.people[role]
			for _, res := range m.resources(d.Pattern, p) {
				calls1 = append(calls1, call{role, p, res, expect(d, role, p, res)})
			}
		}
		sort.SliceStable(calls1, func(i, j int) bool { return calls1[i].want != allowed && calls1[j].want == allowed })
		// A made-up id first: another organization's resource must get
		// exactly its answer.
		type answer struct {
			status    int
			loc, body string
		}
		made := map[string]answer{}
		madeUpStatus := map[string]int{}
		for _, c := range calls1 {
			if c.res.where == "madeup" {
				st, loc, body := m.do(d, method, path, c.p, c.res)
				made[c.role+c.res.label] = answer{st, loc, body}
				madeUpStatus[c.role] = st
			}
		}
		for _, c := range calls1 {
			var st int
			var loc, body string
			if c.res.where == "madeup" {
				st, loc, body = made[c.role+c.res.label].status, made[c.role+c.res.label].loc, made[c.role+c.res.label].body
			} else {
				st, loc, body = m.do(d, method, path, c.p, c.res)
			}
			calls++
			if c.want == sameAsOne {
				if st != madeUpStatus[c.role] || st < 400 {
					fail("%s as %s on %s: got %d, a made-up id gets %d (another organization's resource must look like none)",
						d.Pattern, c.role, c.res.label, st, madeUpStatus[c.role])
				}
			} else if !c.want.holds(d, st, loc) {
				fail("%s as %s on %s: want %s, got %d %s %.200q", d.Pattern, c.role, c.res.label, c.want, st, loc, body)
			}
			text := decodeForLeaks([]byte(body))
			for mk, who := range m.markers {
				if strings.Contains(text, mk) && !slices.Contains(who, c.role) {
					fail("%s as %s on %s: the answer (%d) shows %q, which only %v may read", d.Pattern, c.role, c.res.label, st, mk, who)
				}
			}
		}
	}
	if failures > 200 {
		t.Errorf("… %d failures in all", failures)
	}
	t.Logf("%d routes, %d requests", len(table), calls)
}

func hasBody(d web.RouteDecl) bool {
	if d.Kind == "anyone" || strings.Contains(d.Pattern, "/done") || strings.Contains(d.Pattern, "revoke") ||
		strings.Contains(d.Pattern, "calendar") || strings.Contains(d.Pattern, "import") {
		return true
	}
	_, f := matrixForms[d.Pattern]
	_, j := matrixJSON[d.Pattern]
	return f || j
}

// do sends one request as the caller and returns the status, the
// redirect's location and the body.
func (m *matrix) do(d web.RouteDecl, method, path string, p *matrixPerson, res resource) (int, string, string) {
	m.t.Helper()
	vals := map[string]string{}
	for k, v := range res.vals {
		vals[k] = v
	}
	if res.owned {
		_, tk, err := m.app.CreateAPIToken(p.ctx, "to revoke")
		m.must(err, "token")
		vals["id"] = fmt.Sprint(tk.ID)
	}
	if pr := res.prog; pr != nil && res.where == "own" && p != nil && strings.Contains(path, "/questions/{question}") &&
		(method == "DELETE" || strings.HasSuffix(path, "/delete")) {
		vals["question"] = fmt.Sprint(m.freshQuestion(pr))
	}
	if e := res.eng; e != nil && res.where == "own" && strings.HasSuffix(path, "/done") {
		vals["item"] = fmt.Sprint(m.freshItem(e, strings.Contains(path, "/items/")))
	}
	u := paramRE.ReplaceAllStringFunc(path, func(s string) string { return vals[strings.Trim(s, "{}.")] })
	u = strings.TrimSuffix(u, "{$}")
	body := matrixForms[d.Pattern]
	ctype := "application/x-www-form-urlencoded"
	if d.API {
		body, ctype = matrixJSON[d.Pattern], "application/json"
		if body == "" {
			body = "{}"
		}
	}
	if strings.HasSuffix(d.Pattern, "/people/import") {
		body, ctype = "not,a,people,file\n", "text/csv"
	}
	if d.Pattern == "POST /admin/import" {
		body = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\nnot,a,people,file\r\n--XX--\r\n"
		ctype = "multipart/form-data; boundary=XX"
	}
	if p != nil {
		target := m.targetName(res)
		other := m.people[coachR]
		if p.role == coachR {
			other = m.people[mentorR]
		}
		if p.org == "B" {
			other = &matrixPerson{person: m.member["B"]}
		}
		r := strings.NewReplacer("{me}", url.QueryEscape(p.person.Email), "{other}", url.QueryEscape(other.person.Email),
			"{otherid}", fmt.Sprint(other.person.ID), "{org}", fmt.Sprint(m.ids[p.org]), "{self}", fmt.Sprint(p.person.ID), "{name}", target, "{long}", strings.Repeat("a", 2001))
		body = r.Replace(body)
	}
	var rd io.Reader
	if body != "" && method != "GET" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, m.srv.URL+u, rd)
	if err != nil {
		m.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if p != nil {
		if d.API {
			req.Header.Set("Authorization", "Bearer "+p.token)
		} else {
			req.AddCookie(&http.Cookie{Name: "tandem_session", Value: p.session})
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		m.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// Signing out, switching organization or changing a password may end
	// the caller's session: start another for the next request.
	if p != nil && (d.Pattern == "POST /signout" || d.Pattern == "POST /account/org" || strings.Contains(d.Pattern, "password")) {
		m.signIn(p)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// freshItem adds an open agenda item (mentoring) or action item to the
// engagement for a request that ticks one off, so every caller finds one
// open; coaching has no agenda items (0: none).
func (m *matrix) freshItem(e *matrixEngagement, agenda bool) int64 {
	m.t.Helper()
	guide := map[string]string{"E1": coachR, "E2": mentorR, "E3": guestR, "EB": adminB}[e.name]
	if agenda {
		if e.kind != tandem.Mentoring {
			return madeUp + 1
		}
		it, err := m.app.AddItem(m.ctx(guide), e.id, false, "matrix item")
		m.must(err, "item")
		return it.ID
	}
	it, err := m.app.AddActionItem(m.ctx(guide), e.id, e.session, m.people[guide].person.ID, "matrix action", "")
	m.must(err, "action item")
	return it.ID
}

// freshQuestion adds an unanswered question to the program for a request
// that removes one, so every caller finds one to remove.
func (m *matrix) freshQuestion(pr *matrixProgram) int64 {
	m.t.Helper()
	ctx := m.ctx(adminA)
	if pr.org == "B" {
		ctx = m.ctx(adminB)
	}
	if pr.running {
		return pr.question // the questionnaire is fixed: deleting is refused
	}
	q, err := m.app.AddQuestion(ctx, pr.id, tandem.Question{Type: tandem.QuestionText, Label: "matrix question"})
	m.must(err, "question")
	return q.ID
}

// targetName is the name of the person a person route is about, so a
// profile saved by the test keeps it.
func (m *matrix) targetName(res resource) string {
	id := res.vals["id"]
	for _, p := range m.people {
		if fmt.Sprint(p.person.ID) == id {
			return p.person.Name
		}
	}
	for _, p := range m.member {
		if fmt.Sprint(p.ID) == id {
			return p.Name
		}
	}
	return "Someone Else"
}

// decodeForLeaks returns a body to search for markers: JSON with its
// escapes undone, so a marker cannot hide behind \u escapes.
func decodeForLeaks(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) == nil {
		var sb strings.Builder
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					sb.WriteString(k + "\n")
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			default:
				fmt.Fprintln(&sb, x)
			}
		}
		walk(v)
		return sb.String()
	}
	return string(b)
}

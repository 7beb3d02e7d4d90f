package sqldb_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandemhq/tandem"
)

// TestProgramRequestStore: the matching mode is stored; a request is
// checked and stored under the program's lock; the database itself holds
// one open request per mentee; only the mentor answers; accepting
// proposes the partnership and takes the seat; another organization sees
// nothing.
func TestProgramRequestStore(t *testing.T) {
	p := newPair(t)
	ctx := context.Background()
	db := p.db
	prog := &tandem.Program{OrgID: p.org, Name: "Self serve", MentorCapacity: 1}
	if err := prog.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProgram(ctx, prog, nil, p.learner); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MoveProgram(ctx, p.org, prog.ID, tandem.ProgramEnrolling, 0); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		who  int64
		role tandem.ApplicationRole
		cap  int
	}{{p.learner, tandem.AsMentee, 0}, {p.guide, tandem.AsMentor, 1}} {
		ap := &tandem.Application{ProgramID: prog.ID, Role: x.role, Capacity: x.cap}
		if err := db.Apply(ctx, p.org, x.who, ap, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Decide(ctx, p.org, prog.ID, ap.ID, true, p.learner); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []tandem.ProgramState{tandem.ProgramMatching, tandem.ProgramRunning} {
		if _, err := db.MoveProgram(ctx, p.org, prog.ID, s, 0); err != nil {
			t.Fatal(err)
		}
	}
	ask := func() (*tandem.MentorRequest, error) {
		r := &tandem.MentorRequest{Mentee: tandem.PersonRef{ID: p.learner}, Mentor: tandem.PersonRef{ID: p.guide}, Message: "hello"}
		return r, db.AskMentor(ctx, p.org, prog.ID, r)
	}
	if _, err := ask(); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("asking in a cohort program: %v", err)
	}
	if err := db.SetMatchingMode(ctx, p.otherOrg, prog.ID, tandem.MatchSelfServe); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("another organization sets the mode: %v", err)
	}
	if err := db.SetMatchingMode(ctx, p.org, prog.ID, tandem.MatchSelfServe); err != nil {
		t.Fatal(err)
	}
	if err := db.AskMentor(ctx, p.otherOrg, prog.ID, &tandem.MentorRequest{Mentee: tandem.PersonRef{ID: p.otherOrgUser}, Mentor: tandem.PersonRef{ID: p.guide}}); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("asking from another organization: %v", err)
	}
	r, err := ask()
	if err != nil || r.ID == 0 || r.Status != tandem.RequestOpen {
		t.Fatalf("ask: %+v %v", r, err)
	}
	if _, err := ask(); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("asking twice: %v", err)
	}
	// The partial unique index: a second open request is refused by the
	// database itself.
	_, err = db.SQL().ExecContext(ctx, fmt.Sprintf(`INSERT INTO program_requests (org_id, program_id, mentee_id, mentor_id, status, created_at)
		VALUES (%d, %d, %d, %d, 'open', '2026-03-02 09:00:00+00:00')`, p.org, prog.ID, p.learner, p.guide))
	if err == nil {
		t.Error("the database took a second open request")
	}
	if _, err := db.AnswerRequest(ctx, p.org, prog.ID, r.ID, p.learner, true); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("the mentee answers as a mentor: %v", err)
	}
	if _, err := db.AnswerRequest(ctx, p.otherOrg, prog.ID, r.ID, p.guide, true); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("another organization answers: %v", err)
	}
	got, err := db.AnswerRequest(ctx, p.org, prog.ID, r.ID, p.guide, true)
	if err != nil || got.Status != tandem.RequestAccepted || got.EngagementID == 0 || got.AnsweredAt == nil {
		t.Fatalf("accept: %+v %v", got, err)
	}
	ss, err := db.LoadSelfServe(ctx, p.org, prog.ID)
	if err != nil || ss.Mode != tandem.MatchSelfServe || ss.Load[p.guide] != 1 || ss.Partner[p.learner].Name != "Cat" || ss.Capacity[p.guide] != 1 {
		t.Errorf("self-serve state: %+v %v", ss, err)
	}
	list, err := db.MentorRequests(ctx, p.org, prog.ID, p.guide)
	if err != nil || len(list) != 1 || list[0].EngagementID != got.EngagementID || list[0].Message != "hello" {
		t.Errorf("the mentor's requests: %+v %v", list, err)
	}
	if n, err := db.RequestsToAnswer(ctx, p.org, p.guide); err != nil || len(n) != 0 {
		t.Errorf("requests to answer after the accept: %+v %v", n, err)
	}
	if _, err := db.CancelRequest(ctx, p.org, prog.ID, r.ID, p.learner); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("cancelling an accepted request: %v", err)
	}
}

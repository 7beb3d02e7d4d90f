package app_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/tandemtest"
)

// BenchmarkSuggestions10k: one mentee's self-serve suggestions (what
// every view of the program's self-serve part computes) in the program of
// 10,000 mentees and 2,000 mentors of the speed figures, running in
// self-serve mode. Run on PostgreSQL with TANDEM_TEST_POSTGRES set.
//
//	go test -run XXX -bench Suggestions10k ./app/
func BenchmarkSuggestions10k(b *testing.B) {
	db, _ := tandemtest.MustOpenDB(b)
	a := app.New(db, &tandemtest.Mailbox{}, testLog(), "http://tandem.test")
	admin := tandemtest.MustOrg(b, db, "Big")
	id, err := demo.BigCohort(admin, a, 10000, 2000, 8)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.SetMatchingMode(admin, id, tandem.MatchSelfServe); err != nil {
		b.Fatal(err)
	}
	if _, err := a.MoveProgram(admin, id, tandem.ProgramRunning); err != nil {
		b.Fatal(err)
	}
	// A mentee (the last 2,000 people are the mentors).
	act := *tandem.ActorFrom(admin)
	if act.Person, err = db.PersonByEmail(context.Background(), act.Org.ID, "p07000@big.test"); err != nil {
		b.Fatal(err)
	}
	mentee := tandem.WithActor(context.Background(), &act)
	b.ResetTimer()
	for range b.N {
		v, err := a.Suggestions(mentee, id, 0)
		if err != nil {
			b.Fatal(err)
		}
		if len(v.Suggestions) != tandem.DefaultSuggestions {
			b.Fatalf("%d suggestions: %+v", len(v.Suggestions), v)
		}
	}
}

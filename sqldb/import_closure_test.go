package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestImportKeepsClosure runs random small imports that move people around
// the hierarchy (new people, new managers, people swapping places) and
// checks after each that the closure is exactly the one manager_id
// implies, with moves applied one by one and, past closureMoves, with the
// closure rebuilt.
func TestImportKeepsClosure(t *testing.T) {
	ctx := context.Background()
	for _, moves := range []int{500, 3} {
		t.Run(fmt.Sprint("moves", moves), func(t *testing.T) {
			defer sqldb.SetClosureMoves(moves)()
			db, _ := tandemtest.MustOpenDB(t)
			orgID := tandem.ActorFrom(tandemtest.MustOrg(t, db, "Acme")).Org.ID
			// Two people swap places; moved in file order, A would pass
			// under B while B is still under A.
			swap := func(rows ...tandem.PersonRow) {
				t.Helper()
				rep := &tandem.ImportReport{}
				if err := db.ImportPeople(ctx, orgID, rows, map[string]bool{"manager_email": true}, rep, nil); err != nil {
					t.Fatalf("%v: %v", rep.Problems, err)
				}
				checkClosure(t, db, orgID, -1)
			}
			swap(tandem.PersonRow{Line: 2, Email: "a@acme.test", Name: "A"},
				tandem.PersonRow{Line: 3, Email: "b@acme.test", Name: "B", ManagerEmail: "a@acme.test"},
				tandem.PersonRow{Line: 4, Email: "c@acme.test", Name: "C", ManagerEmail: "b@acme.test"})
			swap(tandem.PersonRow{Line: 2, Email: "a@acme.test", Name: "A", ManagerEmail: "b@acme.test"},
				tandem.PersonRow{Line: 3, Email: "b@acme.test", Name: "B"})

			r := rand.New(rand.NewPCG(uint64(moves), 7))
			accepted := 0
			for round := range 150 {
				// A random order over 25 people; each listed person reports
				// to someone earlier in it, so the file has no cycle (the
				// people left out keep their managers, which may make one:
				// the import refuses those).
				order := r.Perm(12)
				var rows []tandem.PersonRow
				for k, p := range order[:2+r.IntN(10)] {
					row := tandem.PersonRow{Line: k + 2, Email: fmt.Sprintf("p%d@acme.test", p), Name: fmt.Sprintf("P%d", p)}
					if pos := indexOf(order, p); pos > 0 && r.IntN(4) > 0 {
						row.ManagerEmail = fmt.Sprintf("p%d@acme.test", order[r.IntN(pos)])
					}
					rows = append(rows, row)
				}
				// Managers must be in the file or stored already.
				rep := &tandem.ImportReport{}
				err := db.ImportPeople(ctx, orgID, withManagers(rows), map[string]bool{"manager_email": true}, rep, nil)
				if err != nil && tandem.ErrorCode(err) != tandem.EINVALID {
					t.Fatalf("round %d: %v", round, err)
				}
				if err == nil {
					accepted++
				}
				checkClosure(t, db, orgID, round)
			}
			if accepted < 40 {
				t.Errorf("only %d of 150 imports went through: the test moves too little", accepted)
			}
		})
	}
}

func indexOf(a []int, x int) int {
	for i, v := range a {
		if v == x {
			return i
		}
	}
	return -1
}

// withManagers adds a bare row for every manager the rows name, so that
// each manager exists in the file.
func withManagers(rows []tandem.PersonRow) []tandem.PersonRow {
	in := map[string]bool{}
	for _, r := range rows {
		in[r.Email] = true
	}
	out := rows
	for _, r := range rows {
		if m := r.ManagerEmail; m != "" && !in[m] {
			in[m] = true
			out = append(out, tandem.PersonRow{Line: len(out) + 2, Email: m, Name: m})
		}
	}
	return out
}

// checkClosure compares the closure table with the one manager_id implies.
func checkClosure(t *testing.T, db *sqldb.DB, orgID int64, round int) {
	t.Helper()
	ctx := context.Background()
	bind := func(q string) string {
		if db.Dialect() == sqldb.Postgres {
			return strings.Replace(q, "?", "$1", 1)
		}
		return q
	}
	mgr := map[int64]int64{}
	rows, err := db.SQL().QueryContext(ctx, bind(`SELECT id, COALESCE(manager_id, 0) FROM people WHERE org_id = ?`), orgID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, m int64
		if err := rows.Scan(&id, &m); err != nil {
			t.Fatal(err)
		}
		mgr[id] = m
	}
	rows.Close()
	want := map[[3]int64]bool{}
	for id := range mgr {
		d := int64(1)
		for a := mgr[id]; a != 0; a = mgr[a] {
			want[[3]int64{a, id, d}] = true
			d++
		}
	}
	got := map[[3]int64]bool{}
	rows, err = db.SQL().QueryContext(ctx, bind(`SELECT ancestor, descendant, depth FROM people_closure WHERE org_id = ?`), orgID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, d, depth int64
		if err := rows.Scan(&a, &d, &depth); err != nil {
			t.Fatal(err)
		}
		got[[3]int64{a, d, depth}] = true
	}
	rows.Close()
	if len(got) != len(want) {
		t.Fatalf("round %d: closure has %d links, manager_id implies %d", round, len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Fatalf("round %d: closure lacks %v", round, k)
		}
	}
}

// TestImportAndSetManagerRace: a reporting line changed while an import
// runs must not leave the closure telling another story than manager_id
// (the import decides its subtree moves from what it read first).
func TestImportAndSetManagerRace(t *testing.T) {
	ctx := context.Background()
	db, _ := tandemtest.MustOpenDB(t)
	orgID := tandem.ActorFrom(tandemtest.MustOrg(t, db, "Acme")).Org.ID
	present := map[string]bool{"manager_email": true}
	if err := db.ImportPeople(ctx, orgID, []tandem.PersonRow{
		{Line: 2, Email: "a@acme.test", Name: "A"}, {Line: 3, Email: "b@acme.test", Name: "B"},
		{Line: 4, Email: "p@acme.test", Name: "P", ManagerEmail: "a@acme.test"},
	}, present, &tandem.ImportReport{}, nil); err != nil {
		t.Fatal(err)
	}
	p, err := db.PersonIDByEmail(ctx, orgID, "p@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.PersonIDByEmail(ctx, orgID, "b@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	started := false
	err = db.ImportPeople(ctx, orgID, []tandem.PersonRow{
		{Line: 2, Email: "a@acme.test", Name: "A"},
		{Line: 3, Email: "p@acme.test", Name: "P", ManagerEmail: "a@acme.test"},
	}, present, &tandem.ImportReport{}, func(done_, total int) {
		if !started {
			started = true
			go func() { done <- db.SetManager(ctx, orgID, p, b) }()
			time.Sleep(50 * time.Millisecond) // let it try while the import holds its transaction
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !started {
		t.Fatal("the import reported no progress: the race was not run")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	checkClosure(t, db, orgID, 0)
}

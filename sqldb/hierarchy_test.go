package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// mustPeople adds people to the organization of ctx and returns their ids
// by name; the manager of each is given by name ("" for none).
func mustPeople(t *testing.T, db *sqldb.DB, orgID int64, managers [][2]string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	for _, pm := range managers {
		p, err := db.AddMember(ctx, orgID, sqldb.NewMember{Email: strings.ToLower(pm[0]) + "@x.test", Name: pm[0], Role: tandem.RoleMember, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		ids[pm[0]] = p.ID
	}
	for _, pm := range managers {
		if pm[1] != "" {
			if err := db.SetManager(ctx, orgID, ids[pm[0]], ids[pm[1]]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ids
}

func TestHierarchy(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	ctx := context.Background()
	orgID := tandem.ActorFrom(tandemtest.MustOrg(t, db, "Acme")).Org.ID
	ids := mustPeople(t, db, orgID, [][2]string{{"Ceo", ""}, {"Vp", "Ceo"}, {"Lead", "Vp"}, {"Dev", "Lead"}, {"Peer", "Vp"}})

	t.Run("Chain", func(t *testing.T) {
		chain, err := db.Chain(ctx, orgID, ids["Dev"])
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range chain {
			names = append(names, p.Name)
		}
		if got := strings.Join(names, ","); got != "Lead,Vp,Ceo" {
			t.Errorf("chain = %s", got)
		}
		if chain, _ := db.Chain(ctx, orgID, ids["Ceo"]); len(chain) != 0 {
			t.Errorf("top has a chain: %v", chain)
		}
	})
	t.Run("InChain", func(t *testing.T) {
		for _, tc := range []struct {
			manager, person string
			want            bool
		}{{"Ceo", "Dev", true}, {"Vp", "Dev", true}, {"Lead", "Dev", true}, {"Dev", "Lead", false}, {"Peer", "Dev", false}, {"Dev", "Dev", false}} {
			got, err := db.InChain(ctx, orgID, ids[tc.manager], ids[tc.person])
			if err != nil || got != tc.want {
				t.Errorf("InChain(%s, %s) = %v, %v; want %v", tc.manager, tc.person, got, err, tc.want)
			}
		}
		if rel, _ := db.Related(ctx, orgID, ids["Dev"], ids["Vp"]); !rel {
			t.Error("Dev and Vp are not related")
		}
		if rel, _ := db.Related(ctx, orgID, ids["Dev"], ids["Peer"]); rel {
			t.Error("Dev and Peer are related")
		}
	})
	t.Run("Below", func(t *testing.T) {
		if n, _ := db.CountBelow(ctx, orgID, ids["Vp"]); n != 3 {
			t.Errorf("below Vp = %d, want 3", n)
		}
		reports, _ := db.DirectReports(ctx, orgID, ids["Vp"])
		if len(reports) != 2 || reports[0].Name != "Lead" || reports[0].DirectReports != 1 {
			t.Errorf("reports = %+v", reports)
		}
	})
	t.Run("ErrCycle", func(t *testing.T) {
		err := db.SetManager(ctx, orgID, ids["Ceo"], ids["Dev"])
		if tandem.ErrorCode(err) != tandem.EINVALID || !strings.Contains(tandem.ErrorMessage(err), "Ceo → Dev → Lead → Vp → Ceo") {
			t.Fatalf("cycle: %v", err)
		}
		if chain, _ := db.Chain(ctx, orgID, ids["Ceo"]); len(chain) != 0 {
			t.Error("the refused change was written")
		}
	})
	t.Run("ErrSelf", func(t *testing.T) {
		if err := db.SetManager(ctx, orgID, ids["Dev"], ids["Dev"]); tandem.ErrorFields(err)["manager"] == "" {
			t.Errorf("own manager: %v", err)
		}
	})
	t.Run("ErrOtherOrg", func(t *testing.T) {
		other := tandem.ActorFrom(tandemtest.MustOrg(t, db, "Globex")).Org.ID
		oids := mustPeople(t, db, other, [][2]string{{"Gus", ""}})
		if err := db.SetManager(ctx, orgID, ids["Dev"], oids["Gus"]); tandem.ErrorFields(err)["manager"] == "" {
			t.Errorf("manager from another org: %v", err)
		}
		if _, err := db.PersonByID(ctx, orgID, oids["Gus"]); tandem.ErrorCode(err) != tandem.ENOTFOUND {
			t.Errorf("another org's person is visible: %v", err)
		}
		if in, _ := db.InChain(ctx, other, ids["Ceo"], ids["Dev"]); in {
			t.Error("a chain query crossed organizations")
		}
	})
}

// TestClosureFollowsMoves moves people around at random and checks after
// each move that the closure equals the chains computed from manager_id.
func TestClosureFollowsMoves(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	ctx := context.Background()
	orgID := tandem.ActorFrom(tandemtest.MustOrg(t, db, "Acme")).Org.ID
	var spec [][2]string
	names := []string{}
	for i := 0; i < 30; i++ {
		name := fmt.Sprintf("P%02d", i)
		mgr := ""
		if i > 0 {
			mgr = names[(i-1)/3]
		}
		spec = append(spec, [2]string{name, mgr})
		names = append(names, name)
	}
	ids := mustPeople(t, db, orgID, spec)
	manager := map[int64]int64{}
	for _, pm := range spec {
		if pm[1] != "" {
			manager[ids[pm[0]]] = ids[pm[1]]
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for step := 0; step < 60; step++ {
		p, m := ids[names[rng.IntN(len(names))]], ids[names[rng.IntN(len(names))]]
		if rng.IntN(8) == 0 {
			m = 0
		}
		err := db.SetManager(ctx, orgID, p, m)
		// The change is refused exactly when it would make a cycle.
		cycle := m == p
		for a := manager[m]; a != 0 && !cycle && m != 0; a = manager[a] {
			cycle = a == p
		}
		if cycle != (err != nil) {
			t.Fatalf("step %d: SetManager(%d, %d) = %v, cycle %v", step, p, m, err, cycle)
		}
		if err == nil {
			if m == 0 {
				delete(manager, p)
			} else {
				manager[p] = m
			}
		}
		for _, id := range ids {
			var want []int64
			for a := manager[id]; a != 0; a = manager[a] {
				want = append(want, a)
			}
			got, err := db.Chain(ctx, orgID, id)
			if err != nil {
				t.Fatal(err)
			}
			var gotIDs []int64
			for _, g := range got {
				gotIDs = append(gotIDs, g.ID)
			}
			if fmt.Sprint(gotIDs) != fmt.Sprint(want) {
				t.Fatalf("step %d: chain of %d = %v, want %v", step, id, gotIDs, want)
			}
		}
	}
}

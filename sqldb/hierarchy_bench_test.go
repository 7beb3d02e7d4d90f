package sqldb_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/tandemtest"
)

// BenchmarkChain compares the two ways to answer reporting-line questions
// for an organization of 100,000 people seven levels deep:
//
//   - closure: the maintained people_closure table (what the stores use,
//     through Chain and InChain);
//   - recursive: WITH RECURSIVE over people.manager_id, the alternative,
//     written here only to compare.
//
// Run it on SQLite and, with TANDEM_TEST_POSTGRES set, on PostgreSQL:
//
//	go test -run XXX -bench Chain -benchtime 2000x -count 5 ./sqldb/
func BenchmarkChain(b *testing.B) {
	db, _ := tandemtest.MustOpenDB(b)
	ctx := context.Background()
	orgID := tandem.ActorFrom(tandemtest.MustOrg(b, db, "Big")).Org.ID
	rows := demo.People(100_000, 7, "big.test", 1)
	present := map[string]bool{"manager_email": true, "title": true, "department": true}
	for _, r := range rows {
		r.Skills = nil
	}
	rep := &tandem.ImportReport{}
	if err := db.ImportPeople(ctx, orgID, rows, present, rep, nil); err != nil {
		b.Fatal(err)
	}
	// The people at the bottom: the longest chains.
	var leaves []int64
	sqlDB := db.SQL()
	rs, err := sqlDB.QueryContext(ctx, db.Rebind(`SELECT id FROM people p WHERE org_id = ? AND NOT EXISTS (SELECT 1 FROM people r WHERE r.manager_id = p.id) ORDER BY id`), orgID)
	if err != nil {
		b.Fatal(err)
	}
	for rs.Next() {
		var id int64
		rs.Scan(&id)
		leaves = append(leaves, id)
	}
	rs.Close()
	// Keep 2,000 people at the bottom of the seventh level.
	var chains [][]int64
	var deepest []int64
	for _, id := range leaves {
		c, err := db.Chain(ctx, orgID, id)
		if err != nil {
			b.Fatal(err)
		}
		if len(c) != 6 {
			continue
		}
		ids := make([]int64, len(c))
		for i, p := range c {
			ids[i] = p.ID
		}
		chains = append(chains, ids)
		deepest = append(deepest, id)
		if len(deepest) == 2000 {
			break
		}
	}
	if len(deepest) < 2000 {
		b.Fatalf("only %d people are seven levels deep", len(deepest))
	}
	leaves = deepest
	rng := rand.New(rand.NewPCG(1, 2))
	recursiveChain := db.Rebind(`WITH RECURSIVE chain AS (
			SELECT p.id, p.name, p.email, p.title, p.manager_id, 1 AS depth FROM people p
			WHERE p.id = (SELECT manager_id FROM people WHERE id = ? AND org_id = ?)
			UNION ALL
			SELECT p.id, p.name, p.email, p.title, p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.manager_id WHERE c.depth < 64
		) SELECT id, name, email, title FROM chain ORDER BY depth`)
	recursiveInChain := db.Rebind(`WITH RECURSIVE chain(id, depth) AS (
			SELECT manager_id, 1 FROM people WHERE id = ? AND org_id = ? AND manager_id IS NOT NULL
			UNION ALL
			SELECT p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.id WHERE p.manager_id IS NOT NULL AND c.depth < 64
		) SELECT COUNT(*) FROM chain WHERE id = ?`)

	// The cheapest query there is, as the baseline the others are read
	// against: on a shared machine absolute times drift, ratios less so.
	b.Run("baseline/select-1", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := sqlDB.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("closure/chain", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if c, err := db.Chain(ctx, orgID, leaves[i%len(leaves)]); err != nil || len(c) != 6 {
				b.Fatalf("chain: %d, %v", len(c), err)
			}
		}
	})
	b.Run("recursive/chain", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			rs, err := sqlDB.QueryContext(ctx, recursiveChain, leaves[i%len(leaves)], orgID)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rs.Next() {
				var r tandem.PersonRef
				if err := rs.Scan(&r.ID, &r.Name, &r.Email, &r.Title); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rs.Close()
			if n != 6 {
				b.Fatalf("recursive chain has %d", n)
			}
		}
	})
	// Half the questions are yes (a real manager), half no.
	pick := func(i int) (int64, int64) {
		leaf := i % len(leaves)
		if i%2 == 0 {
			return chains[leaf][rng.IntN(len(chains[leaf]))], leaves[leaf]
		}
		return leaves[(leaf+1)%len(leaves)], leaves[leaf]
	}
	b.Run("closure/in-chain", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			m, p := pick(i)
			if in, err := db.InChain(ctx, orgID, m, p); err != nil || in != (i%2 == 0) {
				b.Fatalf("InChain = %v, %v", in, err)
			}
		}
	})
	b.Run("recursive/in-chain", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			m, p := pick(i)
			var n int
			if err := sqlDB.QueryRowContext(ctx, recursiveInChain, p, orgID, m).Scan(&n); err != nil || (n > 0) != (i%2 == 0) {
				b.Fatalf("recursive in-chain = %d, %v", n, err)
			}
		}
	})
}

package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestProposeManySameRows: the bulk proposals of a published run write
// exactly the rows that proposing each engagement writes (engagements,
// agreement versions, events, notifications and their email jobs), with
// the same ids, a leaver told nothing and delivery settings honoured.
func TestProposeManySameRows(t *testing.T) {
	dump := func(bulk bool) string {
		db, _ := tandemtest.MustOpenDB(t)
		admin := tandemtest.MustOrg(t, db, "Acme")
		org := tandem.ActorFrom(admin).Org.ID
		by := tandem.ActorFrom(admin).Person.ID
		ctx := context.Background()
		id := map[string]int64{}
		for _, n := range []string{"l1", "l2", "l3", "l4", "g1", "g2", "g3", "m1", "m2"} {
			id[n] = tandem.ActorFrom(tandemtest.MustMember(t, db, admin, n+"@acme.test", "Person "+n, tandem.RoleMember)).Person.ID
		}
		exec := func(q string, args ...any) {
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE people SET deactivated_at = created_at WHERE id = ?`, id["m2"])
		exec(`INSERT INTO notification_settings (person_id, category, delivery) VALUES (?, 'agreements', 'off'), (?, 'agreements', 'daily'),
			(?, 'agreements', 'immediately')`, id["l2"], id["g1"], id["g3"])
		ref := func(n string) tandem.PersonRef { return tandem.PersonRef{ID: id[n], Name: "Person " + n} }
		// A program's partnerships carry its id (all but one here).
		prog := &tandem.Program{OrgID: org, Name: "Cohort", MentorCapacity: 2}
		if err := prog.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateProgram(ctx, prog, nil, by); err != nil {
			t.Fatal(err)
		}
		var es []*tandem.Engagement
		for _, p := range [][3]string{{"l1", "g1", "m1"}, {"l2", "g2", ""}, {"l3", "g1", "m2"}, {"l4", "g3", "m1"}} {
			e := &tandem.Engagement{OrgID: org, Kind: tandem.Mentoring, CreatedBy: by, Learner: ref(p[0]), Guide: ref(p[1]),
				Areas: []tandem.Area{tandem.AreaCareer, tandem.AreaPurpose}, ReviewMonths: 3, Start: "2026-04-01", End: "2026-12-31"}
			if p[0] != "l2" {
				e.ProgramID = prog.ID
			}
			if p[2] != "" {
				e.Manager, e.ManagerRequired = tandem.PersonRef{ID: id[p[2]]}, p[2] == "m1"
			}
			es = append(es, e)
		}
		a := tandem.Agreement{Version: 1, Outcomes: []string{"Grow", "Learn"}, Cadence: "Every two weeks", Channels: "Video",
			Confidentiality: "Ours", ReviewMethod: "Talk", ExitTerms: "Talk first", Start: "2026-04-01", End: "2026-12-31", CreatedBy: by}
		propose := db.ProposeEach
		if bulk {
			propose = db.ProposeMany
		}
		if err := propose(ctx, es, a); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, e := range es {
			fmt.Fprintf(&b, "engagement %d %s %d\n", e.ID, e.Status, e.CurrentVersion)
		}
		for _, q := range []string{
			`SELECT * FROM engagements ORDER BY id`,
			`SELECT * FROM agreement_versions ORDER BY engagement_id, version`,
			`SELECT * FROM engagement_events ORDER BY id`,
			`SELECT * FROM notifications ORDER BY id`,
			// River's metadata holds a random nonce on SQLite: compare the
			// organization only.
			`SELECT id, kind, args ->> 'id' AS notification, args ->> 'org_id' AS org, args ->> 'base_url' AS base,
				metadata ->> 'org_id' AS meta_org, queue, priority, state, max_attempts FROM river_job ORDER BY id`,
		} {
			rows, err := db.SQL().QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			n := 0
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for k := range vals {
					ptrs[k] = &vals[k]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for k, v := range vals {
					if bs, ok := v.([]byte); ok {
						v = string(bs)
					}
					fmt.Fprintf(&b, "%s=%v ", cols[k], v)
				}
				b.WriteString("\n")
				n++
			}
			rows.Close()
			if n == 0 {
				t.Fatalf("no rows from %s", q)
			}
		}
		return b.String()
	}
	each, many := dump(false), dump(true)
	if each != many {
		t.Fatalf("bulk proposals differ:\none by one:\n%s\nin bulk:\n%s", each, many)
	}
	// The leaver (m2) and l2 ('off') get no email; g1 ('daily') neither:
	// 10 notifications (none to m2), 7 jobs.
	if n := strings.Count(many, "event=proposed"); n != 10 {
		t.Errorf("%d notifications, want 10:\n%s", n, many)
	}
	if n := strings.Count(many, "kind=notification_email"); n != 7 {
		t.Errorf("%d email jobs, want 7:\n%s", n, many)
	}
}

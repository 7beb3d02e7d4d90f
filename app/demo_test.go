package app_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	in := app.SetupInput{Name: "Ada Admin", Email: "ada@tandem.test", Password: "correct horse battery"}

	t.Run("OK", func(t *testing.T) {
		a, db := newApp(t)
		admin, err := a.LoadDemoSetup(ctx, in, app.DefaultDemoPeople)
		if err != nil {
			t.Fatal(err)
		}
		orgs, err := db.ListOrgs(ctx)
		if err != nil || len(orgs) != 1 {
			t.Fatalf("orgs %v, %v", orgs, err)
		}
		org := orgs[0]
		if org.Name != app.DemoOrgName || !org.Demo || admin.OrgID != org.ID || !admin.IsAdmin() {
			t.Fatalf("org %+v, admin %+v", org, admin)
		}
		var people, mentors, coaches int
		managerOf := map[string]string{}
		var leaf string
		err = db.ExportPeople(ctx, org.ID, func(p *tandem.Person, manager string) error {
			people++
			if p.MentorCapacity > 0 {
				mentors++
			}
			if len(p.CoachSkills()) > 0 {
				coaches++
			}
			managerOf[p.Email] = manager
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if people != app.DefaultDemoPeople+1 || mentors == 0 || coaches == 0 {
			t.Errorf("%d people, %d mentors, %d coaches", people, mentors, coaches)
		}
		// A leaf is someone nobody reports to, as deep as any.
		isManager := map[string]bool{}
		for _, m := range managerOf {
			isManager[m] = true
		}
		depth := func(e string) int {
			n := 0
			for ; managerOf[e] != ""; e = managerOf[e] {
				n++
			}
			return n
		}
		for e := range managerOf {
			if !isManager[e] && (leaf == "" || depth(e) > depth(leaf)) {
				leaf = e
			}
		}
		id, err := db.PersonIDByEmail(ctx, org.ID, leaf)
		if err != nil {
			t.Fatal(err)
		}
		chain, err := db.Chain(ctx, org.ID, id)
		if err != nil || len(chain) < 3 {
			t.Errorf("chain of %s: %v, %v", leaf, chain, err)
		}
		// The administrator is in the hierarchy, kept their role and name.
		me, err := db.PersonByID(ctx, org.ID, admin.ID)
		if err != nil || me.Role != tandem.RoleAdmin || me.Name != "Ada Admin" || me.Title != "Program administrator" {
			t.Errorf("admin %+v, %v", me, err)
		}
		if managerOf[admin.Email] == "" {
			t.Error("the administrator reports to nobody")
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		a, _ := newApp(t)
		if _, err := a.Setup(ctx, app.SetupInput{OrgName: "Acme", Name: "Bo", Email: "bo@acme.test", Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.LoadDemoSetup(ctx, in, app.MinDemoPeople); tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Errorf("setup variant on a set-up install: %v, want conflict", err)
		}
		// Next to an existing organization, the operator's variant works.
		if _, err := a.LoadDemo(ctx, app.SetupInput{OrgName: "Sandbox", Name: "Bo", Email: "bo@acme.test", Password: "correct horse battery"}, app.MinDemoPeople); err != nil {
			t.Errorf("demo next to an organization: %v", err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		a, db := newApp(t)
		_, err := a.LoadDemoSetup(ctx, app.SetupInput{Email: "nope", Password: "short"}, 3)
		fields := tandem.ErrorFields(err)
		for _, f := range []string{"name", "email", "password", "people"} {
			if fields[f] == "" {
				t.Errorf("no error for %s: %v", f, err)
			}
		}
		if n, _ := db.CountOrgs(ctx); n != 0 {
			t.Errorf("%d organizations after a refused demo", n)
		}
	})
}

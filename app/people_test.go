package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

func newApp(t *testing.T) (*app.App, *sqldb.DB) {
	t.Helper()
	db, _ := tandemtest.MustOpenDB(t)
	a := app.New(db, &tandemtest.Mailbox{}, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://tandem.test")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	return a, db
}

const hrHeader = "email,name,title,department,location,time_zone,manager_email,languages,skills,interests,years_experience,mentor_capacity,coach_skills,bio"

func mustImport(t *testing.T, a *app.App, ctx context.Context, body string) *tandem.ImportReport {
	t.Helper()
	rep, err := a.ImportPeople(ctx, strings.NewReader(body), nil)
	if err != nil {
		var probs []string
		if rep != nil {
			for _, p := range rep.Problems {
				probs = append(probs, p.String())
			}
		}
		t.Fatalf("import: %v\n%s", err, strings.Join(probs, "\n"))
	}
	return rep
}

func mustExport(t *testing.T, a *app.App, ctx context.Context) string {
	t.Helper()
	var buf bytes.Buffer
	if err := a.ExportPeople(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestImportPeople(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a, _ := newApp(t)
		ctx := tandemtest.MustOrg(t, a.DB, "Acme")
		// BOM, CRLF, columns in another order, a quoted comma, UTF-8 names,
		// an unknown column, a manager listed after their report.
		body := "\xef\xbb\xbf" + tandemtest.CSV(
			"name,email,manager_email,title,time_zone,skills,coach_skills,shoe_size",
			`"Zoë Ångström",zoe@acme.test,ceo@acme.test,"Head of Research, Europe",Europe/Stockholm,Go:expert;SQL:advanced,Go,44`,
			`Chidi Okafor,ceo@acme.test,,Chief Executive,Africa/Lagos,Leadership:expert,,43`,
		)
		rep := mustImport(t, a, ctx, body)
		if rep.Created != 2 || rep.Updated != 0 || len(rep.NewSkills) != 3 {
			t.Errorf("report %+v", rep)
		}
		if diff := cmp.Diff([]string{"shoe_size"}, rep.UnknownColumns); diff != "" {
			t.Errorf("unknown columns: %s", diff)
		}
		people, _, err := a.SearchPeople(ctx, sqldb.PeopleFilter{Query: "zoë"})
		if err != nil || len(people) != 1 {
			t.Fatalf("search: %v %v", people, err)
		}
		zoe := people[0]
		if zoe.Title != "Head of Research, Europe" || zoe.TimeZone != "Europe/Stockholm" || !zoe.OpenToCoach() {
			t.Errorf("zoe = %+v", zoe)
		}
		v, err := a.Person(ctx, zoe.ID)
		if err != nil || len(v.Chain) != 1 || v.Chain[0].Email != "ceo@acme.test" {
			t.Fatalf("chain = %+v, %v", v, err)
		}
		// Upsert: a second file updates by email and keeps absent columns.
		rep = mustImport(t, a, ctx, tandemtest.CSV("email,name,department", "zoe@acme.test,Zoë Ångström,Research"))
		if rep.Updated != 1 || rep.Created != 0 {
			t.Errorf("second import %+v", rep)
		}
		v, _ = a.Person(ctx, zoe.ID)
		if v.Person.Department != "Research" || v.Person.Title != "Head of Research, Europe" || len(v.Chain) != 1 || len(v.Person.Skills) != 2 {
			t.Errorf("after upsert: %+v chain %d", v.Person, len(v.Chain))
		}
	})

	t.Run("ErrAllOrNothing", func(t *testing.T) {
		a, db := newApp(t)
		ctx := tandemtest.MustOrg(t, a.DB, "Acme")
		mustImport(t, a, ctx, tandemtest.CSV("email,name,manager_email", "boss@acme.test,Boss,", "ann@acme.test,Ann,boss@acme.test"))
		before := mustExport(t, a, ctx)
		body := tandemtest.CSV(
			"email,name,manager_email,time_zone,skills",
			"boss@acme.test,Boss,ann@acme.test,,",        // line 2: cycle boss → ann → boss
			"new@acme.test,New Person,ghost@acme.test,,", // line 3: unknown manager
			"not-an-email,Bad,,,",                        // line 4: bad email
			"tz@acme.test,Zed,,Mars/Olympus,",            // line 5: bad time zone
			"new@acme.test,Again,,,",                     // line 6: duplicate email
			"lvl@acme.test,Lev,,,Go:guru",                // line 7: bad level
			"self@acme.test,Self,self@acme.test,,",       // line 8: own manager
			"ok@acme.test,Fine Person,,,Cooking:expert",  // fine, but must not be written
		)
		rep, err := a.ImportPeople(ctx, strings.NewReader(body), nil)
		if tandem.ErrorCode(err) != tandem.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
		got := map[int]string{}
		for _, p := range rep.Problems {
			got[p.Line] = p.Column
		}
		want := map[int]string{2: "manager_email", 3: "manager_email", 4: "email", 5: "time_zone", 6: "email", 7: "skills", 8: "manager_email"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("problems by line (-want +got):\n%s\n%v", diff, rep.Problems)
		}
		for _, p := range rep.Problems {
			if p.Line == 2 && !strings.Contains(p.Reason, "boss@acme.test → ann@acme.test → boss@acme.test") {
				t.Errorf("cycle not named: %s", p.Reason)
			}
		}
		if after := mustExport(t, a, ctx); after != before {
			t.Errorf("a refused import changed the data:\n%s\nwas\n%s", after, before)
		}
		if skills, _ := db.ListSkills(context.Background(), tandem.ActorFrom(ctx).Org.ID); len(skills) != 0 {
			t.Errorf("a refused import added skills %v", skills)
		}
	})

	t.Run("ErrNotCSV", func(t *testing.T) {
		a, _ := newApp(t)
		ctx := tandemtest.MustOrg(t, a.DB, "Acme")
		for name, body := range map[string]string{
			"Empty":      "",
			"Blank":      "\r\n  \r\n",
			"Binary":     "\x89PNG\r\n\x1a\n\x00\x00",
			"NoEmail":    "name,title\nAnn,CEO\n",
			"HeaderOnly": "email,name\n",
			"BadQuotes":  "email,name\nann@acme.test,\"Ann\"x\"\n",
		} {
			rep, err := a.ImportPeople(ctx, strings.NewReader(body), nil)
			if tandem.ErrorCode(err) != tandem.EINVALID || tandem.ErrorMessage(err) == "" {
				t.Errorf("%s: err = %v (report %+v)", name, err, rep)
			}
		}
		big := strings.NewReader(hrHeader + "\n" + strings.Repeat("x", app.MaxImportBytes))
		if _, err := a.ImportPeople(ctx, big, nil); tandem.ErrorCode(err) != tandem.ETOOLARGE {
			t.Errorf("too large: %v", err)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		a, db := newApp(t)
		ctx := tandemtest.MustOrg(t, a.DB, "Acme")
		member := tandemtest.MustMember(t, db, ctx, "m@acme.test", "M", tandem.RoleMember)
		if _, err := a.ImportPeople(member, strings.NewReader("email,name\nx@acme.test,X\n"), nil); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
			t.Errorf("member import: %v", err)
		}
		if err := a.ExportPeople(member, io.Discard); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
			t.Errorf("member export: %v", err)
		}
	})
}

// TestExportRoundTrip checks that an export imports back unchanged and
// exports the same bytes again.
func TestExportRoundTrip(t *testing.T) {
	a, _ := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	body := tandemtest.CSV(hrHeader,
		`ann@acme.test,Ann Lee,CEO,Board,"Paris, FR",Europe/Paris,,en;fr,Leadership:expert;Strategy:advanced,sailing;jazz,25,3,Leadership,"Likes ""hard"" questions"`,
		`bo@acme.test,Bo Ng,CTO,Engineering,Remote,Asia/Singapore,ann@acme.test,en;zh,Go:expert,chess,18,2,Go,`,
		`cy@acme.test,Cy Ortiz,Engineer,Engineering,Remote,America/Bogota,bo@acme.test,es;en,Go:beginner,,2,0,,`,
	)
	mustImport(t, a, ctx, body)
	first := mustExport(t, a, ctx)
	// The admin created by MustOrg is exported too; importing the export
	// back must change nothing.
	rep := mustImport(t, a, ctx, first)
	if rep.Created != 0 {
		t.Errorf("re-import created %d", rep.Created)
	}
	second := mustExport(t, a, ctx)
	if first != second {
		t.Errorf("export is not stable:\n%s\n---\n%s", first, second)
	}
	for _, line := range strings.Split(strings.TrimSpace(body), "\r\n")[1:] {
		if !strings.Contains(first, strings.ReplaceAll(line, "\r", "")) {
			t.Errorf("export lacks the imported row\n%s\nin\n%s", line, first)
		}
	}
}

func TestSkills(t *testing.T) {
	a, db := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	mustImport(t, a, ctx, tandemtest.CSV("email,name,skills,coach_skills",
		"ann@acme.test,Ann,Golang:advanced;Go:beginner,Go", "bo@acme.test,Bo,Golang:expert,"))
	skills, _ := a.ListSkills(ctx)
	id := map[string]int64{}
	for _, s := range skills {
		id[s.Name] = s.ID
	}
	if _, err := a.CreateSkill(ctx, " go "); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("duplicate skill by case: %v", err)
	}
	if err := a.RenameSkill(ctx, id["Go"], "golang"); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("rename onto another: %v", err)
	}
	if err := a.MergeSkills(ctx, id["Golang"], id["Go"]); err != nil {
		t.Fatal(err)
	}
	people, _, _ := a.SearchPeople(ctx, sqldb.PeopleFilter{SkillID: id["Go"]})
	if len(people) != 2 {
		t.Fatalf("after merge %d people have Go", len(people))
	}
	for _, p := range people {
		if len(p.Skills) != 1 {
			t.Errorf("%s has %d skills", p.Name, len(p.Skills))
		}
		want := map[string]tandem.Level{"Ann": tandem.Advanced, "Bo": tandem.Expert}[p.Name]
		if p.Skills[0].Level != want || (p.Name == "Ann") != p.Skills[0].Coaches {
			t.Errorf("%s: %+v", p.Name, p.Skills[0])
		}
	}
	if err := a.RenameSkill(ctx, id["Go"], "Go (language)"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSkillRetired(ctx, id["Go"], true); err != nil {
		t.Fatal(err)
	}
	// Retired: stays on profiles, cannot be added to a new one.
	_, err := a.ImportPeople(ctx, strings.NewReader(tandemtest.CSV("email,name,skills", "cy@acme.test,Cy,Go (language):novice")), nil)
	if tandem.ErrorCode(err) != tandem.EINVALID {
		t.Errorf("retired skill on a new person: %v", err)
	}
	mustImport(t, a, ctx, tandemtest.CSV("email,name,skills", "ann@acme.test,Ann,Go (language):expert"))
	member := tandemtest.MustMember(t, db, ctx, "m@acme.test", "M", tandem.RoleMember)
	if _, err := a.CreateSkill(member, "Knitting"); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("member created a skill: %v", err)
	}
}

package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// upload posts a file to the import page as a browser would.
func (b *browser) upload(path, filename, body string) response {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	io.WriteString(fw, body)
	mw.Close()
	req, _ := http.NewRequest("POST", b.url(path), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	return b.do(req)
}

// acmeCSV is a small organization: a CEO, a VP, two reports of the VP.
var acmeCSV = tandemtest.CSV(
	"email,name,title,department,location,time_zone,manager_email,languages,skills,coach_skills,mentor_capacity",
	"ceo@acme.test,Chidi Okafor,Chief Executive,Executive,Lagos,Africa/Lagos,,en,Leadership:expert,Leadership,2",
	"vp@acme.test,Zoë Ångström,\"VP, Engineering\",Engineering,Stockholm,Europe/Stockholm,ceo@acme.test,en;sv,Go:expert;Leadership:advanced,Go,1",
	"dev@acme.test,Dev One,Engineer,Engineering,Stockholm,Europe/Stockholm,vp@acme.test,en,Go:intermediate,,0",
	"ops@acme.test,Ops Two,Operations Lead,Operations,London,Europe/London,vp@acme.test,en,Facilitation:advanced,,0",
)

// personIDs maps emails to ids through the API.
func (e *env) personIDs(token string) map[string]int64 {
	e.t.Helper()
	_, out, _ := e.api("GET", "/api/v1/people?limit=200", token, "")
	ids := map[string]int64{}
	for _, p := range out["people"].([]any) {
		m := p.(map[string]any)
		ids[m["email"].(string)] = int64(m["id"].(float64))
	}
	return ids
}

func TestPeopleImportAndChart(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	r := admin.upload("/admin/import", "people.csv", acmeCSV)
	if r.status != http.StatusOK || !strings.Contains(r.body, "4 added") {
		t.Fatalf("import: %d\n%s", r.status, r.body)
	}
	tok := admin.token("t")
	ids := e.personIDs(tok)

	r = admin.get(fmt.Sprintf("/people/%d/chart", ids["dev@acme.test"]))
	if r.status != http.StatusOK {
		t.Fatalf("chart: %d", r.status)
	}
	main := r.body[strings.Index(r.body, `<ol class="chart"`):]
	ceo, vp, dev := strings.Index(main, "<strong>Chidi Okafor"), strings.Index(main, "<strong>Zoë Ångström"), strings.Index(main, "<strong>Dev One")
	if ceo < 0 || vp < ceo || dev < vp {
		t.Errorf("chart does not run CEO → VP → Dev: %d %d %d", ceo, vp, dev)
	}
	r = admin.get(fmt.Sprintf("/people/%d/chart", ids["vp@acme.test"]))
	if !strings.Contains(r.body, "Direct reports (2)") || !strings.Contains(r.body, "Ops Two") {
		t.Errorf("VP's chart lacks the reports")
	}
	_, chain, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d/chain", ids["dev@acme.test"]), tok, "")
	if c := chain["chain"].([]any); len(c) != 2 || c[0].(map[string]any)["email"] != "vp@acme.test" {
		t.Errorf("API chain = %v", chain)
	}
	_, in, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d/chain/%d", ids["dev@acme.test"], ids["ceo@acme.test"]), tok, "")
	_, notIn, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d/chain/%d", ids["dev@acme.test"], ids["ops@acme.test"]), tok, "")
	if in["in_chain"] != true || notIn["in_chain"] != false {
		t.Errorf("in_chain: %v %v", in, notIn)
	}

	t.Run("Directory", func(t *testing.T) {
		for q, want := range map[string]int{"q=zoë": 1, "q=GO": 2, "department=Engineering": 2, "coach=1": 2, "mentor=1": 2, "q=nobody": 0} {
			_, out, _ := e.api("GET", "/api/v1/people?"+q, tok, "")
			if n := int(out["total"].(float64)); n != want {
				t.Errorf("%s: %d people, want %d", q, n, want)
			}
		}
		r := admin.get("/people?q=engineer")
		if !strings.Contains(r.body, "Dev One") || strings.Contains(r.body, "Ops Two") {
			t.Errorf("directory search page wrong")
		}
	})
	t.Run("ErrCycle", func(t *testing.T) {
		r := admin.post(fmt.Sprintf("/people/%d/manager", ids["ceo@acme.test"]), url.Values{"manager_email": {"dev@acme.test"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Chidi Okafor → Dev One → Zoë Ångström → Chidi Okafor") {
			t.Fatalf("cycle: %d\n%s", r.status, r.body)
		}
		st, p, _ := e.api("PUT", fmt.Sprintf("/api/v1/people/%d/manager", ids["dev@acme.test"]), tok, `{"manager_email":"dev@acme.test"}`)
		if st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["manager"] == nil {
			t.Errorf("own manager: %d %v", st, p)
		}
	})
	t.Run("ErrImportBad", func(t *testing.T) {
		bad := tandemtest.CSV("email,name,manager_email,time_zone", "new@acme.test,New,ghost@acme.test,Mars/Base", "ceo@acme.test,Chidi Okafor,ops@acme.test,")
		r := admin.upload("/admin/import", "bad.csv", bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Nothing was imported") || !strings.Contains(r.body, "ghost@acme.test") ||
			!strings.Contains(r.body, "Mars/Base") || !strings.Contains(r.body, "report to one another") {
			t.Fatalf("bad import: %d\n%s", r.status, r.body)
		}
		st, out, _ := e.api("POST", "/api/v1/people/import", tok, bad)
		if st != http.StatusUnprocessableEntity || len(out["report"].(map[string]any)["problems"].([]any)) != 3 {
			t.Errorf("API bad import: %d %v", st, out)
		}
		if len(e.personIDs(tok)) != 5 {
			t.Error("a refused import added people")
		}
		for name, body := range map[string]string{"empty.csv": "", "not.csv": "\x00\x01binary"} {
			if r := admin.upload("/admin/import", name, body); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `class="alert"`) {
				t.Errorf("%s: %d", name, r.status)
			}
		}
	})
	t.Run("Export", func(t *testing.T) {
		r := admin.get("/admin/export.csv")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.body, `vp@acme.test,Zoë Ångström,"VP, Engineering",Engineering,Stockholm,Europe/Stockholm,ceo@acme.test,en;sv,Go:expert;Leadership:advanced,,`) {
			t.Fatalf("export: %d\n%s", r.status, r.body)
		}
		member := admin.invite("mem@acme.test", "Mem", "member")
		if r := member.get("/admin/export.csv"); r.status != http.StatusForbidden {
			t.Errorf("member export: %d", r.status)
		}
		if r := member.upload("/admin/import", "x.csv", acmeCSV); r.status != http.StatusForbidden {
			t.Errorf("member import: %d", r.status)
		}
	})
}

func TestProfileEdit(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.upload("/admin/import", "people.csv", acmeCSV)
	bob := admin.invite("bob@acme.test", "Bob", "member")
	tok := admin.token("t")
	ids := e.personIDs(tok)
	bobID := ids["bob@acme.test"]

	form := url.Values{"name": {"Bob Builder"}, "title": {"Engineer"}, "time_zone": {"Europe/Paris"}, "languages": {"en; fr"},
		"years_experience": {"7"}, "mentor_capacity": {"2"}, "skill_0": {"Go"}, "level_0": {"advanced"}, "coach_0": {"1"}, "skill_1": {""}}
	if r := bob.post(fmt.Sprintf("/people/%d/edit", bobID), form); r.status != http.StatusSeeOther {
		t.Fatalf("own profile: %d\n%s", r.status, r.body)
	}
	_, p, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d", bobID), tok, "")
	if p["name"] != "Bob Builder" || p["mentor_capacity"].(float64) != 2 || len(p["skills"].([]any)) != 1 || p["time_zone"] != "Europe/Paris" {
		t.Fatalf("saved profile %v", p)
	}

	t.Run("ErrInvalid", func(t *testing.T) {
		bad := url.Values{"name": {"Bob Builder"}, "time_zone": {"Atlantis/Capital"}, "years_experience": {"lots"}, "skill_0": {"Knitting"}, "level_0": {"expert"}}
		r := bob.post(fmt.Sprintf("/people/%d/edit", bobID), bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-years_experience"`) {
			t.Fatalf("bad profile: %d\n%s", r.status, r.body)
		}
		bad.Set("years_experience", "3")
		r = bob.post(fmt.Sprintf("/people/%d/edit", bobID), bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-time_zone"`) {
			t.Fatalf("bad time zone: %d\n%s", r.status, r.body)
		}
		st, prob, _ := e.api("PUT", fmt.Sprintf("/api/v1/people/%d/profile", bobID), tok, `{"name":"Bob","skills":[{"name":"Knitting","level":"expert"}]}`)
		if st != http.StatusUnprocessableEntity || prob["errors"].(map[string]any)["skills"] == nil {
			t.Errorf("skill outside the catalogue: %d %v", st, prob)
		}
		_, p, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d", bobID), tok, "")
		if p["time_zone"] != "Europe/Paris" || len(p["skills"].([]any)) != 1 {
			t.Errorf("a refused edit changed the profile: %v", p)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		r := bob.post(fmt.Sprintf("/people/%d/edit", ids["dev@acme.test"]), url.Values{"name": {"Hacked"}})
		if r.status != http.StatusForbidden {
			t.Errorf("editing another's profile: %d", r.status)
		}
		if r := bob.post(fmt.Sprintf("/people/%d/manager", bobID), url.Values{"manager_email": {""}}); r.status != http.StatusForbidden {
			t.Errorf("member changing a manager: %d", r.status)
		}
		if r := bob.post(fmt.Sprintf("/people/%d/role", bobID), url.Values{"role": {"admin"}}); r.status != http.StatusForbidden {
			t.Errorf("member promoting themself: %d", r.status)
		}
	})
	t.Run("AdminEdits", func(t *testing.T) {
		r := admin.post(fmt.Sprintf("/people/%d/edit", ids["dev@acme.test"]), url.Values{"name": {"Dev Renamed"}, "skill_0": {"Go"}, "level_0": {"expert"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("admin edit: %d\n%s", r.status, r.body)
		}
		if r := admin.post(fmt.Sprintf("/people/%d/role", ids["ada@acme.test"]), url.Values{"role": {"member"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "last administrator") {
			t.Errorf("demoting the last admin: %d", r.status)
		}
	})
}

func TestSkillCatalogue(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.upload("/admin/import", "people.csv", acmeCSV)
	tok := admin.token("t")
	_, out, _ := e.api("GET", "/api/v1/skills", tok, "")
	id := map[string]int64{}
	for _, s := range out["skills"].([]any) {
		m := s.(map[string]any)
		id[m["name"].(string)] = int64(m["id"].(float64))
	}
	if r := admin.post("/skills", url.Values{"name": {"  go "}}); r.status != http.StatusConflict || !strings.Contains(r.body, `id="e-name"`) {
		t.Errorf("duplicate skill: %d", r.status)
	}
	if r := admin.post("/skills", url.Values{"name": {"Golang"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add: %d", r.status)
	}
	_, out, _ = e.api("GET", "/api/v1/skills", tok, "")
	for _, s := range out["skills"].([]any) {
		m := s.(map[string]any)
		id[m["name"].(string)] = int64(m["id"].(float64))
	}
	if r := admin.post(fmt.Sprintf("/skills/%d/rename", id["Golang"]), url.Values{"name": {"Leadership"}}); r.status != http.StatusConflict {
		t.Errorf("rename onto another: %d", r.status)
	}
	if st, _, _ := e.api("POST", fmt.Sprintf("/api/v1/skills/%d/merge", id["Go"]), tok, fmt.Sprintf(`{"into":%d}`, id["Golang"])); st != http.StatusNoContent {
		t.Fatalf("merge: %d", st)
	}
	_, people, _ := e.api("GET", fmt.Sprintf("/api/v1/people?skill=%d", id["Golang"]), tok, "")
	if n := people["total"].(float64); n != 2 {
		t.Errorf("after the merge %v people have Golang, want 2", n)
	}
	if st, _, _ := e.api("PATCH", fmt.Sprintf("/api/v1/skills/%d", id["Golang"]), tok, `{"retired":true}`); st != http.StatusNoContent {
		t.Fatalf("retire: %d", st)
	}
	if r := admin.get("/skills"); !strings.Contains(r.body, "retired") {
		t.Error("the catalogue does not show the retired skill")
	}
	member := admin.invite("mem@acme.test", "Mem", "member")
	if r := member.post("/skills", url.Values{"name": {"Knitting"}}); r.status != http.StatusForbidden {
		t.Errorf("member adds a skill: %d", r.status)
	}
	if r := member.get("/skills"); r.status != http.StatusOK || strings.Contains(r.body, `action="/skills"`) {
		t.Errorf("member's catalogue page: %d", r.status)
	}
}

func TestPeopleTenantIsolation(t *testing.T) {
	e := newEnv(t)
	acme := e.setup("Acme", "Ada", "ada@acme.test")
	acme.upload("/admin/import", "people.csv", acmeCSV)
	acmeIDs := e.personIDs(acme.token("a"))
	if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Globex", "Gus", "gus@globex.test")); err != nil {
		t.Fatal(err)
	}
	gus := e.signIn("gus@globex.test", "correct horse battery")
	gusTok := gus.token("g")
	gusIDs := e.personIDs(gusTok)
	if len(gusIDs) != 1 {
		t.Errorf("Globex's directory has %d people", len(gusIDs))
	}
	dev := acmeIDs["dev@acme.test"]
	for _, path := range []string{fmt.Sprintf("/people/%d", dev), fmt.Sprintf("/people/%d/chart", dev), fmt.Sprintf("/people/%d/edit", dev)} {
		if r := gus.get(path); r.status != http.StatusNotFound {
			t.Errorf("Globex GET %s: %d", path, r.status)
		}
	}
	if st, _, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d", dev), gusTok, ""); st != http.StatusNotFound {
		t.Errorf("Globex API GET Acme person: %d", st)
	}
	if st, _, _ := e.api("PUT", fmt.Sprintf("/api/v1/people/%d/manager", gusIDs["gus@globex.test"]), gusTok, `{"manager_email":"ceo@acme.test"}`); st != http.StatusUnprocessableEntity {
		t.Errorf("manager from another organization: %d", st)
	}
	if st, _, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d/chain/%d", dev, acmeIDs["ceo@acme.test"]), gusTok, ""); st != http.StatusNotFound {
		t.Errorf("Globex asks about Acme's chain: %d", st)
	}
	if r := gus.get("/admin/export.csv"); strings.Contains(r.body, "acme.test") {
		t.Error("Globex's export holds Acme's people")
	}
}

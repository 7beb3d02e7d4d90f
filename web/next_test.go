package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/tandemtest"
)

// nextCSV is an organization for the home page and the picker: the CEO
// coaches leadership and mentors, the VP coaches Go and mentors, Dev and
// Ops report to the VP, Mia mentors from another team (her name starts
// like a formula, for the CSV), Lou left.
var nextCSV = tandemtest.CSV(
	"email,name,title,department,location,time_zone,manager_email,languages,skills,coach_skills,mentor_capacity",
	"ceo@acme.test,Chidi Okafor,Chief Executive,Executive,Lagos,Africa/Lagos,,en,Leadership:expert,Leadership,2",
	"vp@acme.test,Zoë Ångström,\"VP, Engineering\",Engineering,Stockholm,Europe/Stockholm,ceo@acme.test,en,Go:expert,Go,1",
	"dev@acme.test,Dev One,Engineer,Engineering,Stockholm,Europe/Stockholm,vp@acme.test,en,Go:intermediate,,0",
	"ops@acme.test,Ops Two,Operations Lead,Operations,London,Europe/London,vp@acme.test,en,Facilitation:advanced,,0",
	"mia@acme.test,=Mia Mentor,Staff Engineer,Platform,London,Europe/London,,en,Go:advanced,,2",
	"lou@acme.test,Lou Leftbefore,Mentor Emeritus,Platform,London,Europe/London,,en,Go:advanced,Go,3",
)

// nextFixture is nextCSV's organization with a coaching engagement (Dev
// coached in leadership by the CEO, the VP as manager: active, a session
// on Wednesday with an agenda, a shared note, an action item of Dev's due
// tomorrow, a goal due next week, ending in ten days) and a mentoring
// proposal (Dev and Mia, waiting for Mia and the VP).
type nextFixture struct {
	e        *env
	b        map[string]*browser
	tok      map[string]string
	ids      map[string]int64
	coaching int64
	mentor   int64
	session  int64
	skills   map[string]int64
}

func newNextFixture(t *testing.T) *nextFixture {
	t.Helper()
	e := newEnv(t)
	f := &nextFixture{e: e, b: map[string]*browser{}, tok: map[string]string{}}
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.upload("/admin/import", "people.csv", nextCSV)
	f.b["admin"] = admin
	for _, p := range []struct{ key, email, name, role string }{{"dev", "dev@acme.test", "Dev One", "member"}, {"vp", "vp@acme.test", "Zoë Ångström", "member"},
		{"ops", "ops@acme.test", "Ops Two", "member"}, {"ceo", "ceo@acme.test", "Chidi Okafor", "member"}, {"mia", "mia@acme.test", "=Mia Mentor", "member"},
		{"pam", "pam@acme.test", "Pam Programs", "program_admin"}} {
		f.b[p.key] = admin.invite(p.email, p.name, p.role)
	}
	for k, b := range f.b {
		f.tok[k] = b.token(k)
	}
	f.ids = e.personIDs(f.tok["admin"])
	st, out, _ := e.api("POST", fmt.Sprintf("/api/v1/people/%d/deactivate", f.ids["lou@acme.test"]), f.tok["admin"], `{"reason":"moved on"}`)
	if st != http.StatusOK {
		t.Fatalf("deactivate Lou: %d %v", st, out)
	}
	f.skills = map[string]int64{}
	_, out, _ = e.api("GET", "/api/v1/skills", f.tok["admin"], "")
	for _, s := range out["skills"].([]any) {
		m := s.(map[string]any)
		f.skills[m["name"].(string)] = int64(m["id"].(float64))
	}
	must := func(want int, who, method, path, body string) map[string]any {
		t.Helper()
		st, out, _ := e.api(method, path, f.tok[who], body)
		if st != want {
			t.Fatalf("%s %s %s: %d %v", who, method, path, st, out)
		}
		return out
	}
	agreement := `"agreement":{"outcomes":["Lead incident reviews"],"cadence":"Weekly","confidentiality":"Between us","exit_terms":"Either, after a talk","start":"2026-03-02","end":"2026-03-12","evaluation_method":"Observed reviews"}`
	out = must(http.StatusCreated, "dev", "POST", "/api/v1/engagements", fmt.Sprintf(`{"kind":"coaching","learner_id":%d,"guide_id":%d,"skill_id":%d,"setting":"Online",%s}`,
		f.ids["dev@acme.test"], f.ids["ceo@acme.test"], f.skills["Leadership"], agreement))
	f.coaching = int64(out["id"].(float64))
	for _, who := range []string{"dev", "ceo", "vp"} {
		must(http.StatusOK, who, "POST", fmt.Sprintf("/api/v1/engagements/%d/responses", f.coaching), `{"version":1,"agreed":true}`)
	}
	out = must(http.StatusCreated, "ceo", "POST", fmt.Sprintf("/api/v1/engagements/%d/sessions", f.coaching),
		`{"start":"2026-03-04T10:00:00Z","minutes":45,"place":"Room 4","agenda":"MK-AGENDA-SECRET"}`)
	f.session = int64(out["id"].(float64))
	must(http.StatusCreated, "ceo", "POST", fmt.Sprintf("/api/v1/engagements/%d/sessions/%d/notes", f.coaching, f.session), `{"shared":true,"body":"MK-NOTE-SHARED"}`)
	must(http.StatusCreated, "ceo", "POST", fmt.Sprintf("/api/v1/engagements/%d/sessions/%d/action-items", f.coaching, f.session),
		fmt.Sprintf(`{"owner_id":%d,"body":"Draft the review template","due":"2026-03-03"}`, f.ids["dev@acme.test"]))
	must(http.StatusCreated, "ceo", "POST", fmt.Sprintf("/api/v1/engagements/%d/goals", f.coaching),
		`{"title":"Lead two incident reviews","measure":"reviews led alone","baseline":"0","target":"2","due":"2026-03-10"}`)
	out = must(http.StatusCreated, "dev", "POST", "/api/v1/engagements", fmt.Sprintf(`{"kind":"mentoring","learner_id":%d,"guide_id":%d,"areas":["career"],"agreement":{"outcomes":["Grow"],"cadence":"Monthly","confidentiality":"Between us","exit_terms":"Either"}}`,
		f.ids["dev@acme.test"], f.ids["mia@acme.test"]))
	f.mentor = int64(out["id"].(float64))
	// Dev agrees to his own proposal (proposing may already count as
	// agreeing: then this answer is refused, and that is fine).
	e.api("POST", fmt.Sprintf("/api/v1/engagements/%d/responses", f.mentor), f.tok["dev"], `{"version":1,"agreed":true}`)
	return f
}

func TestHomeWhatsNext(t *testing.T) {
	f := newNextFixture(t)
	home := func(who string) string {
		t.Helper()
		r := f.b[who].get("/")
		if r.status != http.StatusOK {
			t.Fatalf("%s home: %d", who, r.status)
		}
		return r.body
	}
	coaching, mentoring := fmt.Sprintf("/engagements/%d", f.coaching), fmt.Sprintf("/engagements/%d", f.mentor)
	session := fmt.Sprintf("%s/sessions/%d", coaching, f.session)
	secrets := []string{"MK-AGENDA-SECRET", "MK-NOTE-SHARED"}

	t.Run("Learner", func(t *testing.T) {
		body := home("dev")
		order := []string{"Waiting on you", "Sessions this week", "Action items due", "Goals near their date"}
		last := -1
		for _, h := range order {
			i := strings.Index(body, h)
			if i < last {
				t.Errorf("%q out of order (or missing)", h)
			}
			last = i
		}
		// Dev proposed the mentoring: nothing waits on him.
		for _, want := range []string{"Nothing waits on you.", session, "4 Mar 2026 11:00 CET", "with Chidi Okafor", "Room 4",
			"Draft the review template", "due 3 March 2026", "Lead two incident reviews", "due 10 March 2026"} {
			if !strings.Contains(body, want) {
				t.Errorf("learner's home lacks %q", want)
			}
		}
		for _, no := range append(secrets, "at a glance") {
			if strings.Contains(body, no) {
				t.Errorf("learner's home shows %q", no)
			}
		}
	})
	t.Run("Coach", func(t *testing.T) {
		body := home("ceo")
		for _, want := range []string{session, "4 Mar 2026 11:00 WAT", "with Dev One", "Lead two incident reviews"} {
			if !strings.Contains(body, want) {
				t.Errorf("coach's home lacks %q", want)
			}
		}
		// The action item is Dev's.
		for _, no := range append(secrets, "Draft the review template") {
			if strings.Contains(body, no) {
				t.Errorf("coach's home shows %q", no)
			}
		}
	})
	t.Run("Mentor", func(t *testing.T) {
		body := home("mia")
		if !strings.Contains(body, mentoring+"?tab=agreement#h-agreement") || !strings.Contains(body, "Read and answer the agreement") {
			t.Errorf("the mentor is not asked to answer:\n%s", body)
		}
	})
	t.Run("Manager", func(t *testing.T) {
		body := home("vp")
		// The manager answers the mentoring agreement and sees the coaching
		// goal (the matrix lets managers see coaching goals), never the
		// session, the agenda, notes or Dev's action item.
		for _, want := range []string{mentoring + "?tab=agreement#h-agreement", "Lead two incident reviews"} {
			if !strings.Contains(body, want) {
				t.Errorf("manager's home lacks %q", want)
			}
		}
		for _, no := range append(secrets, session, "Draft the review template", "at a glance") {
			if strings.Contains(body, no) {
				t.Errorf("manager's home shows %q", no)
			}
		}
	})
	t.Run("Unrelated", func(t *testing.T) {
		body := home("ops")
		for _, no := range append(secrets, coaching, mentoring, "Lead two incident reviews", "at a glance") {
			if strings.Contains(body, no) {
				t.Errorf("an unrelated member's home shows %q", no)
			}
		}
	})
	numbers := []string{"Acme at a glance", `href="/engagements?all=1&amp;status=active"><strong>1</strong> active`,
		`href="/engagements?all=1&amp;waiting=manager"><strong>1</strong> waiting for a manager`,
		`href="/engagements?all=1&amp;stalled=1"><strong>0</strong> stalled`, `href="/engagements?all=1&amp;ending=soon"><strong>1</strong> ending in two weeks`}
	for _, who := range []string{"admin", "pam"} {
		t.Run("Numbers/"+who, func(t *testing.T) {
			body := home(who)
			for _, want := range numbers {
				if !strings.Contains(body, want) {
					t.Errorf("%s's home lacks %q", who, want)
				}
			}
			for _, no := range append(secrets, session, "Lead two incident reviews") {
				if strings.Contains(body, no) {
					t.Errorf("%s's home shows %q", who, no)
				}
			}
		})
	}
	t.Run("API", func(t *testing.T) {
		st, out, _ := f.e.api("GET", "/api/v1/me/next", f.tok["dev"], "")
		if st != http.StatusOK {
			t.Fatalf("next: %d %v", st, out)
		}
		sessions, items, goals := out["sessions"].([]any), out["action_items"].([]any), out["goals"].([]any)
		if len(sessions) != 1 || len(items) != 1 || len(goals) != 1 || out["zone"] != "Europe/Stockholm" || out["numbers"] != nil {
			t.Fatalf("dev's next: %v", out)
		}
		if s := sessions[0].(map[string]any); s["with"] != "Chidi Okafor" || s["url"] != session || s["start"] != "2026-03-04T10:00:00Z" {
			t.Errorf("session: %v", s)
		}
		st, out, _ = f.e.api("GET", "/api/v1/me/next", f.tok["vp"], "")
		w := out["waiting"].(map[string]any)
		if st != http.StatusOK || len(out["sessions"].([]any)) != 0 || len(out["action_items"].([]any)) != 0 || len(w["agreements"].([]any)) != 1 {
			t.Errorf("manager's next: %d %v", st, out)
		}
		for _, no := range secrets {
			if fmt.Sprint(out) != "" && strings.Contains(fmt.Sprint(out), no) {
				t.Errorf("manager's next shows %q", no)
			}
		}
		st, out, _ = f.e.api("GET", "/api/v1/me/next", f.tok["pam"], "")
		n, _ := out["numbers"].(map[string]any)
		if st != http.StatusOK || n == nil || n["active"].(map[string]any)["count"] != float64(1) || n["ending_soon"].(map[string]any)["url"] != "/engagements?all=1&ending=soon" {
			t.Errorf("program admin's numbers: %d %v", st, out)
		}
	})
	t.Run("Stalled", func(t *testing.T) {
		if st, out, _ := f.e.api("PUT", "/api/v1/settings", f.tok["admin"], `{"coaching_max_months":6,"review_months":3,"mentoring_manager_optional":false,"stalled_days":7}`); st != http.StatusOK {
			t.Fatalf("settings: %d %v", st, out)
		}
		f.e.clock.Add(8 * 24 * time.Hour)                                   // past a week without a held session, before the end
		f.b["admin"] = f.e.signIn("ada@acme.test", "correct horse battery") // the old session has idled out
		if body := home("admin"); !strings.Contains(body, `href="/engagements?all=1&amp;stalled=1"><strong>1</strong> stalled`) {
			t.Errorf("no stalled engagement counted")
		}
		r := f.b["admin"].get("/engagements?all=1&stalled=1")
		if !strings.Contains(r.body, coaching+`"`) || strings.Contains(r.body, mentoring+`"`) {
			t.Errorf("stalled list:\n%s", r.body)
		}
	})
}

func TestEngagementListFilters(t *testing.T) {
	f := newNextFixture(t)
	coaching, mentoring := fmt.Sprintf(`"/engagements/%d"`, f.coaching), fmt.Sprintf(`"/engagements/%d"`, f.mentor)
	for _, c := range []struct {
		query      string
		in, out    []string
		countsText string
	}{
		{"", []string{coaching, mentoring}, nil, "<strong>2</strong> engagements match: 1 active, 1 draft"},
		{"&kind=mentoring", []string{mentoring}, []string{coaching}, "<strong>1</strong> engagement matches"},
		{"&status=active", []string{coaching}, []string{mentoring}, "1 active, 0 draft"},
		{"&waiting=manager", []string{mentoring}, []string{coaching}, "0 active, 1 draft"},
		{"&ending=soon", []string{coaching}, []string{mentoring}, ""},
		{"&phase=initiation", nil, []string{coaching, mentoring}, "<strong>0</strong> engagements match"},
		{fmt.Sprintf("&skill=%d", f.skills["Leadership"]), []string{coaching}, []string{mentoring}, ""},
		{"&party=mia%40acme.test", []string{mentoring}, []string{coaching}, ""},
		{fmt.Sprintf("&party=%d", f.ids["ceo@acme.test"]), []string{coaching}, []string{mentoring}, ""},
		{"&stalled=1", nil, []string{coaching, mentoring}, "<strong>0</strong> engagements match"},
	} {
		for _, who := range []string{"admin", "pam"} {
			r := f.b[who].get("/engagements?all=1" + c.query)
			if r.status != http.StatusOK {
				t.Fatalf("%s %q: %d", who, c.query, r.status)
			}
			for _, s := range c.in {
				if !strings.Contains(r.body, s) {
					t.Errorf("%s %q lacks %s", who, c.query, s)
				}
			}
			for _, s := range c.out {
				if strings.Contains(r.body, s) {
					t.Errorf("%s %q shows %s", who, c.query, s)
				}
			}
			if !strings.Contains(r.body, c.countsText) {
				i := strings.Index(r.body, `id="counts"`)
				t.Errorf("%s %q: counts not %q: %s", who, c.query, c.countsText, r.body[i:min(len(r.body), i+300)])
			}
		}
	}
	if r := f.b["admin"].get("/engagements?all=1&phase=bogus&party=nobody%40acme.test"); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "is not a phase") || !strings.Contains(r.body, "No one in the organization has this email.") {
		t.Errorf("bad filters: %d", r.status)
	}
	if r := f.b["dev"].get("/engagements?all=1"); r.status != http.StatusForbidden {
		t.Errorf("a member's all engagements: %d", r.status)
	}

	t.Run("CSV", func(t *testing.T) {
		r := f.b["pam"].get("/admin/engagements.csv?kind=mentoring")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s", r.status, r.header.Get("Content-Type"))
		}
		lines := strings.Split(strings.TrimSpace(r.body), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "id,kind,status,phase,stalled,skill,learner") {
			t.Fatalf("csv:\n%s", r.body)
		}
		// Mia's name starts like a formula: escaped as in the people CSV.
		if !strings.Contains(lines[1], ",'=Mia Mentor,mia@acme.test,") || !strings.Contains(lines[1], "mentoring,draft,,false,") {
			t.Errorf("row: %s", lines[1])
		}
		r = f.b["admin"].get("/admin/engagements.csv")
		if n := strings.Count(strings.TrimSpace(r.body), "\n"); r.status != http.StatusOK || n != 2 {
			t.Errorf("all: %d, %d rows", r.status, n)
		}
		if r := f.b["dev"].get("/admin/engagements.csv"); r.status != http.StatusForbidden {
			t.Errorf("a member exports: %d", r.status)
		}
		if r := f.b["admin"].get("/admin/engagements.csv?status=bogus"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("bad filter export: %d", r.status)
		}
	})
	t.Run("API", func(t *testing.T) {
		st, out, _ := f.e.api("GET", "/api/v1/engagements?all=1&kind=coaching&ending=soon", f.tok["pam"], "")
		if st != http.StatusOK || out["total"] != float64(1) || out["counts"].(map[string]any)["active"] != float64(1) || len(out["engagements"].([]any)) != 1 {
			t.Errorf("api: %d %v", st, out)
		}
		if st, out, _ := f.e.api("GET", "/api/v1/engagements?all=1&waiting=someone", f.tok["admin"], ""); st != http.StatusUnprocessableEntity {
			t.Errorf("bad filter: %d %v", st, out)
		}
		if st, _, _ := f.e.api("GET", "/api/v1/engagements?all=1", f.tok["dev"], ""); st != http.StatusForbidden {
			t.Errorf("member: %d", st)
		}
	})
}

package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCandidatePicker(t *testing.T) {
	f := newNextFixture(t)
	dev := f.b["dev"]
	get := func(b *browser, path string, htmx bool) response {
		t.Helper()
		req, _ := http.NewRequest("GET", b.url(path), nil)
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		return b.do(req)
	}
	// row returns the list item of the person named.
	row := func(body, name string) string {
		i := strings.Index(body, name)
		if i < 0 {
			return ""
		}
		start := strings.LastIndex(body[:i], "<li")
		end := strings.Index(body[i:], "</li>")
		return body[start : i+end]
	}

	t.Run("Mentoring", func(t *testing.T) {
		// Without a search: the people open to mentoring, each with why not.
		r := get(dev, "/engagements/candidates?kind=mentoring&role=guide&learner=dev%40acme.test", false)
		if r.status != http.StatusOK || !strings.Contains(r.body, `<form method="get" action="/engagements/candidates"`) {
			t.Fatalf("picker page: %d\n%s", r.status, r.body)
		}
		mia := row(r.body, "=Mia Mentor")
		choose := "/engagements/new?" + url.Values{"guide": {"mia@acme.test"}, "kind": {"mentoring"}, "learner": {"dev@acme.test"}}.Encode()
		if !strings.Contains(mia, `href="`+strings.ReplaceAll(choose, "&", "&amp;")+`"`) {
			t.Errorf("Mia cannot be chosen: %s", mia)
		}
		for name, why := range map[string]string{"Chidi Okafor": "in the learner&#39;s management chain", "Zoë Ångström": "in the learner&#39;s management chain"} {
			if got := row(r.body, name); !strings.Contains(got, "unavailable: "+why) || strings.Contains(got, "href=") {
				t.Errorf("%s: %s", name, got)
			}
		}
		for _, no := range []string{"Lou Leftbefore", "Ops Two"} {
			if strings.Contains(r.body, no) {
				t.Errorf("the list offers %s", no)
			}
		}
		// A search finds those not open to it too, and says why.
		r = get(dev, "/engagements/candidates?kind=mentoring&role=guide&learner=dev%40acme.test&q=ops", false)
		if got := row(r.body, "Ops Two"); !strings.Contains(got, "unavailable: not open to mentoring") {
			t.Errorf("Ops: %s", got)
		}
		// People who left never appear, even by name.
		r = get(dev, "/engagements/candidates?kind=mentoring&role=guide&q=Lou", false)
		if strings.Contains(r.body, "Lou Leftbefore") || !strings.Contains(r.body, "No one matches") {
			t.Errorf("a leaver is offered:\n%s", r.body)
		}
	})
	t.Run("Coaching", func(t *testing.T) {
		path := fmt.Sprintf("/engagements/candidates?kind=coaching&role=guide&learner=dev%%40acme.test&skill=%d", f.skills["Go"])
		r := get(dev, path, false)
		if got := row(r.body, "Zoë Ångström"); !strings.Contains(got, "href=") {
			t.Errorf("the Go coach cannot be chosen: %s", got)
		}
		if strings.Contains(r.body, "Chidi Okafor") || strings.Contains(r.body, "Lou Leftbefore") {
			t.Errorf("without a search only Go's coaches are offered")
		}
		r = get(dev, path+"&q=chidi", false)
		if got := row(r.body, "Chidi Okafor"); !strings.Contains(got, "unavailable: not open to coaching Go") {
			t.Errorf("Chidi: %s", got)
		}
		r = get(dev, "/engagements/candidates?kind=coaching&role=guide&q=dev+one&learner=dev%40acme.test", false)
		if got := row(r.body, "Dev One"); !strings.Contains(got, "unavailable: the learner") {
			t.Errorf("the learner coaches himself: %s", got)
		}
	})
	t.Run("Htmx", func(t *testing.T) {
		// The proposal form asks with its fields; the answer is the list alone.
		r := get(dev, "/engagements/candidates?role=guide&kind=mentoring&learner_email=dev%40acme.test&guide_email=mi", true)
		if r.status != http.StatusOK || strings.Contains(r.body, "<html") || !strings.Contains(r.body, `class="candidates"`) || !strings.Contains(r.body, "=Mia Mentor") {
			t.Errorf("fragment: %d\n%s", r.status, r.body)
		}
	})
	t.Run("NoJavaScript", func(t *testing.T) {
		// The form links to the picker's page and the picker's choice comes
		// back filled in.
		r := dev.get("/engagements/new?kind=mentoring")
		if !strings.Contains(r.body, `href="/engagements/candidates?kind=mentoring&amp;learner=dev%40acme.test&amp;role=guide"`) ||
			!strings.Contains(r.body, `data-hx-get="/engagements/candidates"`) {
			t.Errorf("the form has no picker:\n%s", r.body)
		}
		r = dev.get("/engagements/new?kind=mentoring&learner=dev%40acme.test&guide=mia%40acme.test")
		if !strings.Contains(r.body, `name="guide_email" type="text" value="mia@acme.test"`) {
			t.Errorf("the choice is not filled in:\n%s", r.body)
		}
		r = dev.get(fmt.Sprintf("/engagements/new?kind=coaching&guide=vp%%40acme.test&skill=%d", f.skills["Go"]))
		if !strings.Contains(r.body, fmt.Sprintf(`<option value="%d" selected>Go</option>`, f.skills["Go"])) {
			t.Errorf("the skill is not kept")
		}
	})
	t.Run("Guest", func(t *testing.T) {
		// A guest sees no one of the organization: the picker refuses, and
		// their home names no one.
		r := f.b["admin"].post("/admin/invitations", url.Values{"email": {"kim@practice.test"}, "name": {"Kim Coach"}, "role": {"member"}, "guest": {"1"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("invite guest: %d\n%s", r.status, r.body)
		}
		guest := f.e.browser()
		if r := guest.post(f.e.mail.MustLastLink(t, "kim@practice.test"), url.Values{"name": {"Kim Coach"}, "password": {"another good password"}}); r.status != http.StatusSeeOther {
			t.Fatalf("accept: %d", r.status)
		}
		for _, path := range []string{"/engagements/candidates?kind=mentoring&role=guide&q=a", "/engagements/candidates?kind=coaching&role=learner"} {
			if r := guest.get(path); r.status != http.StatusForbidden || strings.Contains(r.body, "Mia Mentor") || strings.Contains(r.body, "Dev One") {
				t.Errorf("guest %s: %d", path, r.status)
			}
		}
		r = guest.get("/")
		if r.status != http.StatusOK || strings.Contains(r.body, "Dev One") || strings.Contains(r.body, "Mia Mentor") || strings.Contains(r.body, "at a glance") {
			t.Errorf("guest's home: %d\n%s", r.status, r.body)
		}
		tok := guest.token("kim")
		if st, out, _ := f.e.api("GET", "/api/v1/candidates?kind=mentoring&role=guide&q=a", tok, ""); st != http.StatusForbidden {
			t.Errorf("guest api: %d %v", st, out)
		}
	})
	t.Run("API", func(t *testing.T) {
		st, out, _ := f.e.api("GET", "/api/v1/candidates?kind=mentoring&role=guide&learner=dev%40acme.test", f.tok["dev"], "")
		if st != http.StatusOK {
			t.Fatalf("api: %d %v", st, out)
		}
		got := map[string]string{}
		for _, c := range out["candidates"].([]any) {
			m := c.(map[string]any)
			reason, _ := m["reason"].(string)
			if m["available"] == true {
				reason = "available"
			}
			got[m["email"].(string)] = reason
		}
		want := map[string]string{"mia@acme.test": "available", "ceo@acme.test": "in the learner's management chain", "vp@acme.test": "in the learner's management chain"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("candidates %v, want %v", got, want)
		}
		if st, out, _ := f.e.api("GET", "/api/v1/candidates?kind=bogus&role=guide", f.tok["dev"], ""); st != http.StatusUnprocessableEntity {
			t.Errorf("bad kind: %d %v", st, out)
		}
		// The page check of every list: a limit that is not a number or
		// is out of range is refused naming it, not quietly replaced.
		for _, limit := range []string{"ten", "0", "-3", "51", "1000"} {
			st, out, _ := f.e.api("GET", "/api/v1/candidates?kind=mentoring&role=guide&limit="+limit, f.tok["dev"], "")
			if errs, _ := out["errors"].(map[string]any); st != http.StatusUnprocessableEntity || errs["limit"] == nil {
				t.Errorf("limit=%s: %d %v", limit, st, out)
			}
		}
		st, out, _ = f.e.api("GET", "/api/v1/candidates?kind=mentoring&role=guide&q=a&limit=1", f.tok["dev"], "")
		if st != http.StatusOK || len(out["candidates"].([]any)) != 1 {
			t.Errorf("limit=1: %d %v", st, out)
		}
	})
}

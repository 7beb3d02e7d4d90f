package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

// The session routes are engagement actions too: the engagement tests'
// "other member gets 404 for every action" tries them with these bodies.
func init() {
	for route, body := range map[string]any{
		"POST /api/v1/engagements/{id}/sessions":                                    map[string]any{"start": "2026-03-10T10:00:00Z", "minutes": 60, "place": "Room 1"},
		"PUT /api/v1/engagements/{id}/sessions/{session}":                           map[string]any{"start": "2026-03-10T10:00:00Z", "minutes": 60, "place": "Room 1"},
		"POST /api/v1/engagements/{id}/sessions/{session}/outcome":                  map[string]any{"status": "cancelled"},
		"POST /api/v1/engagements/{id}/sessions/{session}/notes":                    map[string]any{"body": "x", "shared": true},
		"POST /api/v1/engagements/{id}/sessions/{session}/action-items":             map[string]any{"owner_id": 1, "body": "x"},
		"POST /api/v1/engagements/{id}/sessions/{session}/action-items/{item}/done": nil,
		"PUT /api/v1/engagements/{id}/sessions/{session}/feedback":                  map[string]any{"score": 3},
	} {
		actionBodies[route] = body
	}
}

// sessionOrg is engagementOrg with a program admin, API tokens for
// everyone and an active coaching engagement in Go: Dev One (Stockholm)
// coached by Ops Two (London), with Zoë, Dev's manager, as a party.
type sessionOrg struct {
	e    *env
	b    map[string]*browser
	tok  map[string]string
	id   map[string]int64
	eng  int64
	base string // /api/v1/engagements/{eng}
}

func newSessionOrg(t *testing.T) *sessionOrg {
	t.Helper()
	e, b := engagementOrg(t)
	b["prog"] = b["admin"].invite("prog@acme.test", "Pat Prog", "program_admin")
	o := &sessionOrg{e: e, b: b, tok: map[string]string{}, id: map[string]int64{}}
	for who, br := range b {
		o.tok[who] = br.token("t")
	}
	for email, id := range e.personIDs(o.tok["admin"]) {
		o.id[strings.TrimSuffix(email, "@acme.test")] = id
	}
	_, sk, _ := e.api("GET", "/api/v1/skills", o.tok["admin"], "")
	var goID float64
	for _, s := range sk["skills"].([]any) {
		if m := s.(map[string]any); m["name"] == "Go" {
			goID = m["id"].(float64)
		}
	}
	st, out := o.call(t, "dev", "POST", "/api/v1/engagements", map[string]any{"kind": "coaching", "learner_id": o.id["dev"], "guide_id": o.id["ops"],
		"skill_id": goID, "setting": "Online", "agreement": agreementBody()})
	if st != http.StatusCreated {
		t.Fatalf("propose: %d %v", st, out)
	}
	o.eng = int64(out["id"].(float64))
	o.base = fmt.Sprintf("/api/v1/engagements/%d", o.eng)
	for _, who := range []string{"dev", "ops", "vp"} {
		if st, out := o.call(t, who, "POST", o.base+"/responses", map[string]any{"version": 1, "agreed": true}); st != http.StatusOK {
			t.Fatalf("%s agrees: %d %v", who, st, out)
		}
	}
	return o
}

func (o *sessionOrg) call(t *testing.T, who, method, path string, body any) (int, map[string]any) {
	t.Helper()
	s := ""
	if body != nil {
		s = jsonString(t, body)
	}
	st, out, _ := o.e.api(method, path, o.tok[who], s)
	return st, out
}

func (o *sessionOrg) must(t *testing.T, want int, who, method, path string, body any) map[string]any {
	t.Helper()
	st, out := o.call(t, who, method, path, body)
	if st != want {
		t.Fatalf("%s %s as %s: %d, want %d: %v", method, path, who, st, want, out)
	}
	return out
}

// everyone is every role the matrix names, by the key of sessionOrg.b.
var everyone = []string{"dev", "ops", "vp", "prog", "admin", "ceo"}

func TestSessionsAPI(t *testing.T) {
	o := newSessionOrg(t)
	// Bad input changes nothing.
	for name, tc := range map[string]struct {
		body  map[string]any
		field string
	}{
		"OutsideDates": {map[string]any{"start": "2026-07-01T10:00:00Z", "minutes": 60, "place": "Room 1"}, "start"},
		"NoPlace":      {map[string]any{"start": "2026-03-10T10:00:00Z", "minutes": 60}, "place"},
		"NoDuration":   {map[string]any{"start": "2026-03-10T10:00:00Z", "place": "Room 1"}, "minutes"},
		"BadLink":      {map[string]any{"start": "2026-03-10T10:00:00Z", "minutes": 60, "video_url": "javascript:alert(1)"}, "video_url"},
	} {
		st, p := o.call(t, "dev", "POST", o.base+"/sessions", tc.body)
		if errs, _ := p["errors"].(map[string]any); st != http.StatusUnprocessableEntity || errs[tc.field] == nil {
			t.Errorf("%s: %d %v", name, st, p)
		}
	}
	if st, p := o.call(t, "vp", "POST", o.base+"/sessions", map[string]any{"start": "2026-03-02T10:00:00Z", "minutes": 60, "place": "Room 1"}); st != http.StatusForbidden {
		t.Errorf("the manager schedules: %d %v", st, p)
	}
	if l := o.must(t, http.StatusOK, "dev", "GET", o.base+"/sessions", nil); len(l["sessions"].([]any)) != 0 {
		t.Fatalf("refused sessions were stored: %v", l)
	}

	m := o.must(t, http.StatusCreated, "dev", "POST", o.base+"/sessions", map[string]any{"start": "2026-03-02T10:00:00Z", "minutes": 60,
		"place": "Room 1", "video_url": "https://meet.example/abc", "agenda": "Secret agenda, about the team; with a line\nand another"})
	sp := fmt.Sprintf("%s/sessions/%v", o.base, m["id"])
	if st, p := o.call(t, "ops", "POST", sp+"/outcome", map[string]any{"status": "held"}); st != http.StatusUnprocessableEntity {
		t.Errorf("held before it started: %d %v", st, p)
	}
	// The page offers what the server accepts: before the session starts
	// only cancelling, after it the outcome.
	sessionPage := fmt.Sprintf("/engagements/%d/sessions/%v", o.eng, m["id"])
	if r := o.b["ops"].get(sessionPage); strings.Contains(r.body, `value="held"`) || strings.Contains(r.body, `value="no_show"`) || !strings.Contains(r.body, `value="cancelled"`) {
		t.Errorf("a session ahead offers held or no-show, or no cancelling:\n%s", r.body)
	}
	o.e.clock.Add(2 * time.Hour)
	if r := o.b["ops"].get(sessionPage); !strings.Contains(r.body, `value="held"`) || !strings.Contains(r.body, `value="no_show"`) {
		t.Errorf("a session that has started does not offer held and no-show")
	}
	if v := o.must(t, http.StatusOK, "ops", "POST", sp+"/outcome", map[string]any{"status": "held"}); v["status"] != "held" {
		t.Fatalf("record held: %v", v)
	}
	o.must(t, http.StatusCreated, "dev", "POST", sp+"/notes", map[string]any{"body": "Shared by Dev", "shared": true})
	o.must(t, http.StatusCreated, "dev", "POST", sp+"/notes", map[string]any{"body": "Dev private thought", "shared": false})
	o.must(t, http.StatusCreated, "ops", "POST", sp+"/notes", map[string]any{"body": "Ops private thought", "shared": false})
	o.must(t, http.StatusCreated, "ops", "POST", sp+"/notes", map[string]any{"body": "Hello <script>alert('x')</script> and [click](javascript:alert(1))", "shared": true})
	o.must(t, http.StatusCreated, "ops", "POST", sp+"/action-items", map[string]any{"owner_id": o.id["dev"], "body": "Write the Go design doc", "due": "2026-03-09"})
	if st, p := o.call(t, "ops", "POST", sp+"/action-items", map[string]any{"owner_id": o.id["vp"], "body": "Manager task"}); st != http.StatusUnprocessableEntity {
		t.Errorf("action item for the manager: %d %v", st, p)
	}
	if st, p := o.call(t, "dev", "PUT", sp+"/feedback", map[string]any{"score": 6}); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["score"] == nil {
		t.Errorf("rating of 6: %d %v", st, p)
	}
	o.must(t, http.StatusOK, "dev", "PUT", sp+"/feedback", map[string]any{"score": 4, "comment": "Dev comment on the coaching", "not_a_good_fit": true})
	o.must(t, http.StatusOK, "ops", "PUT", sp+"/feedback", map[string]any{"score": 5})
	secret := []string{"Secret agenda", "Dev private thought", "Ops private thought", "Dev comment", "Shared by Dev", "Write the Go design doc"}

	t.Run("Matrix", func(t *testing.T) {
		for _, who := range everyone {
			st, v := o.call(t, who, "GET", sp, nil)
			list, lv := o.call(t, who, "GET", o.base+"/sessions", nil)
			if who == "ceo" {
				if st != http.StatusNotFound || list != http.StatusNotFound {
					t.Errorf("other member: %d %d", st, list)
				}
				continue
			}
			if st != http.StatusOK || list != http.StatusOK || v["status"] != "held" || v["place"] != "Room 1" {
				t.Fatalf("%s: %d %d %v", who, st, list, v)
			}
			partner := who == "dev" || who == "ops"
			var notes []string
			for _, n := range v["notes"].([]any) {
				notes = append(notes, n.(map[string]any)["body"].(string))
			}
			got := strings.Join(notes, "|")
			switch who {
			case "dev":
				if !strings.Contains(got, "Shared by Dev") || !strings.Contains(got, "Dev private") || strings.Contains(got, "Ops private") {
					t.Errorf("dev's notes: %v", notes)
				}
			case "ops":
				if !strings.Contains(got, "Shared by Dev") || !strings.Contains(got, "Ops private") || strings.Contains(got, "Dev private") {
					t.Errorf("ops's notes: %v", notes)
				}
			default:
				if len(notes) != 0 {
					t.Errorf("%s reads notes: %v", who, notes)
				}
			}
			_, hasAgenda := v["agenda"]
			_, hasItems := v["action_items"]
			_, hasRatings := v["ratings"]
			_, hasFeedback := lv["feedback"]
			if hasAgenda != partner || hasItems != partner || hasRatings != partner {
				t.Errorf("%s: agenda %v items %v ratings %v", who, hasAgenda, hasItems, hasRatings)
			}
			if hasFeedback != (who != "vp") {
				t.Errorf("%s: feedback summary %v", who, lv["feedback"])
			}
			// The "not a good fit" flag is for program admins and
			// administrators, as its checkbox says: never the partners.
			flags := float64(1)
			if partner {
				flags = 0
			}
			if fb, _ := lv["feedback"].(map[string]any); fb != nil && (fb["ratings"] != float64(2) || fb["average"] != 4.5 || fb["not_a_good_fit"] != flags) {
				t.Errorf("%s: feedback %v", who, fb)
			}
			if !partner {
				for _, body := range []string{jsonString(t, v), jsonString(t, lv)} {
					for _, s := range secret {
						if strings.Contains(body, s) {
							t.Errorf("%s reads %q through the API", who, s)
						}
					}
				}
			}
			// Every page and download, too: the engagement page, the
			// session page, the .ics, the action items.
			page := fmt.Sprintf("/engagements/%d", o.eng)
			paths := []string{page, page + "?tab=sessions", page + "?tab=goals", page + "?tab=agreement", page + "?tab=timeline",
				fmt.Sprintf("%s/sessions/%v", page, m["id"]), fmt.Sprintf("%s/sessions/%v.ics", page, m["id"]), "/actions"}
			for _, path := range paths {
				r := o.b[who].get(path)
				if r.status != http.StatusOK {
					t.Errorf("%s GET %s: %d", who, path, r.status)
				}
				for _, s := range []string{"Dev private thought", "Ops private thought"} {
					mine := (who == "dev" && strings.HasPrefix(s, "Dev")) || (who == "ops" && strings.HasPrefix(s, "Ops"))
					if strings.Contains(r.body, s) && !(mine && strings.Contains(path, "sessions") && !strings.HasSuffix(path, ".ics")) {
						t.Errorf("%s reads %q on %s", who, s, path)
					}
				}
				if !partner {
					for _, s := range secret {
						if strings.Contains(r.body, s) {
							t.Errorf("%s reads %q on %s", who, s, path)
						}
					}
				}
				if seesFlag := strings.Contains(r.body, "Flagged as not a good fit") || strings.Contains(r.body, "flagged “not a good fit”"); who == "ops" && seesFlag {
					t.Errorf("the partner sees the other's \"not a good fit\" flag on %s", path)
				}
			}
			if who == "ops" || who == "vp" {
				if j := jsonString(t, v) + jsonString(t, o.must(t, http.StatusOK, who, "GET", o.base, nil)); strings.Contains(j, `"not_a_good_fit":true`) || strings.Contains(j, `"not_a_good_fit"}`) || strings.Contains(j, "\"type\":\"not_a_good_fit\"") {
					t.Errorf("%s sees the flag through the API: %s", who, j)
				}
			}
		}
		for _, who := range []string{"prog", "admin"} {
			if r := o.b[who].get(fmt.Sprintf("/engagements/%d?tab=timeline", o.eng)); !strings.Contains(r.body, "Flagged as not a good fit") {
				t.Errorf("%s does not see the flag the checkbox promises them", who)
			}
		}
		if r := o.b["ceo"].get(fmt.Sprintf("/engagements/%d/sessions/%v", o.eng, m["id"])); r.status != http.StatusNotFound {
			t.Errorf("other member's session page: %d", r.status)
		}
		// Program admins see the flag in the timeline, never the words.
		v := o.must(t, http.StatusOK, "prog", "GET", o.base, nil)
		if j := jsonString(t, v); !strings.Contains(j, "not_a_good_fit") || !strings.Contains(j, "session_held") || strings.Contains(j, "Dev comment") {
			t.Errorf("program admin's timeline: %s", j)
		}
	})

	t.Run("MarkdownIsInert", func(t *testing.T) {
		r := o.b["dev"].get(fmt.Sprintf("/engagements/%d/sessions/%v", o.eng, m["id"]))
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, `href="javascript:`) || !strings.Contains(r.body, "click") {
			t.Errorf("script in a note is live:\n%s", r.body)
		}
		if !strings.Contains(r.body, "Europe/Stockholm") || !strings.Contains(r.body, "11:00–12:00") {
			t.Errorf("times are not in Dev's zone (Stockholm, UTC+1)")
		}
		if r := o.b["ops"].get(fmt.Sprintf("/engagements/%d/sessions/%v", o.eng, m["id"])); !strings.Contains(r.body, "10:00–11:00") || !strings.Contains(r.body, "Europe/London") {
			t.Errorf("times are not in Ops's zone (London)")
		}
	})

	t.Run("ActionItems", func(t *testing.T) {
		v := o.must(t, http.StatusOK, "dev", "GET", "/api/v1/me/action-items", nil)
		items := v["action_items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["body"] != "Write the Go design doc" {
			t.Fatalf("dev's action items: %v", v)
		}
		if v := o.must(t, http.StatusOK, "ops", "GET", "/api/v1/me/action-items", nil); len(v["action_items"].([]any)) != 0 {
			t.Errorf("ops owns none: %v", v)
		}
		if r := o.b["dev"].get("/actions"); !strings.Contains(r.body, "Write the Go design doc") {
			t.Errorf("my action items page:\n%s", r.body)
		}
		id := items[0].(map[string]any)["id"]
		if r := o.b["dev"].post(fmt.Sprintf("/engagements/%d/sessions/%v/actions/%v/done", o.eng, m["id"], id), url.Values{"back": {"/actions"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/actions" {
			t.Errorf("done: %d %s", r.status, r.header.Get("Location"))
		}
		if v := o.must(t, http.StatusOK, "dev", "GET", "/api/v1/me/action-items", nil); len(v["action_items"].([]any)) != 0 {
			t.Errorf("a done item is still open: %v", v)
		}
		// A back field that a browser would read as another host (it strips
		// the tab: "//evil.test") leads to the home page instead.
		o.must(t, http.StatusCreated, "ops", "POST", fmt.Sprintf("%s/sessions/%v/action-items", o.base, m["id"]), map[string]any{"owner_id": o.id["dev"], "body": "Second item"})
		items = o.must(t, http.StatusOK, "dev", "GET", "/api/v1/me/action-items", nil)["action_items"].([]any)
		if len(items) != 1 {
			t.Fatalf("dev's action items: %v", items)
		}
		if r := o.b["dev"].post(fmt.Sprintf("/engagements/%d/sessions/%v/actions/%v/done", o.eng, m["id"], items[0].(map[string]any)["id"]), url.Values{"back": {"/\t/evil.test"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Errorf("done with back=/\\t/evil.test: %d %q", r.status, r.header.Get("Location"))
		}
	})

	t.Run("Calendar", func(t *testing.T) {
		feed := o.must(t, http.StatusCreated, "dev", "POST", "/api/v1/me/calendar", nil)["url"].(string)
		cal0 := o.e.browser().get(feed)
		cal := parseICS(t, cal0)
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("feed has %d events", len(events))
		}
		ev := events[0]
		if start, err := ev.DateTimeStart(time.UTC); err != nil || !start.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("DTSTART %v %v", start, err)
		}
		// The agenda is "only the two of you": the feed, pasted into shared
		// calendars, carries what the calendar page promises and no more.
		if strings.Contains(cal0.body, "Secret agenda") || strings.Contains(cal0.body, "private") {
			t.Errorf("the feed carries the agenda or notes:\n%s", cal0.body)
		}
		if desc, _ := ev.Props.Text(ical.PropDescription); !strings.Contains(desc, "Session page: ") {
			t.Errorf("description %q", desc)
		}
		// The UID does not depend on the host the feed was fetched from:
		// a new address or a proxy must not duplicate every event.
		b := o.e.browser()
		req, _ := http.NewRequest("GET", b.url(feed), nil)
		req.Host = "calendar.other.example"
		other := parseICS(t, b.do(req))
		uid, _ := ev.Props.Text(ical.PropUID)
		if otherUID, _ := other.Events()[0].Props.Text(ical.PropUID); otherUID != uid || strings.Contains(uid, "127.0.0.1") || strings.Contains(uid, "other.example") {
			t.Errorf("UIDs %q and %q depend on the host", uid, otherUID)
		}
		if r := o.b["dev"].get(fmt.Sprintf("/engagements/%d/sessions/%v.ics", o.eng, m["id"])); strings.Contains(r.body, "Secret agenda") || !strings.Contains(r.body, "UID:"+uid) {
			t.Errorf("the partner's .ics carries the agenda or another UID:\n%s", r.body)
		}
		again := o.must(t, http.StatusCreated, "dev", "POST", "/api/v1/me/calendar", nil)["url"].(string)
		if r := o.e.browser().get(feed); r.status != http.StatusNotFound {
			t.Errorf("the old feed still works: %d", r.status)
		}
		parseICS(t, o.e.browser().get(again))
		if r := o.e.browser().get("/calendar/cal_nope.ics"); r.status != http.StatusNotFound {
			t.Errorf("a made-up feed: %d", r.status)
		}
		one := parseICS(t, o.b["vp"].get(fmt.Sprintf("/engagements/%d/sessions/%v.ics", o.eng, m["id"])))
		if d, _ := one.Events()[0].Props.Text(ical.PropDescription); strings.Contains(d, "Secret agenda") {
			t.Errorf("the manager's .ics has the agenda: %q", d)
		}
	})

	t.Run("OneZone", func(t *testing.T) {
		// Dev is in Stockholm: every time and date on every part of the
		// engagement page is on Dev's clock, none in UTC beside it.
		page := fmt.Sprintf("/engagements/%d", o.eng)
		r := o.b["dev"].engagement(page)
		if strings.Contains(r.body, "UTC") || !strings.Contains(r.body, "Europe/Stockholm") || !strings.Contains(r.body, "11:00–12:00") {
			t.Errorf("times on the engagement page are not all in the viewer's zone:\n%s", r.body)
		}
		if tl := o.b["dev"].get(page + "?tab=timeline"); !strings.Contains(tl.body, " CET</time>") {
			t.Errorf("the timeline is not on the viewer's clock:\n%s", tl.body)
		}
	})

	t.Run("Stalled", func(t *testing.T) {
		if v := o.must(t, http.StatusOK, "prog", "GET", o.base+"/sessions", nil); v["stalled"] != false {
			t.Errorf("stalled a day after a held session")
		}
		o.e.clock.Add(31 * 24 * time.Hour)
		if v := o.must(t, http.StatusOK, "prog", "GET", o.base+"/sessions", nil); v["stalled"] != true {
			t.Errorf("not stalled after 31 days")
		}
		// A month later the browser session has expired: sign in again.
		prog := o.e.signIn("prog@acme.test", "another good password")
		if r := prog.get(fmt.Sprintf("/engagements/%d", o.eng)); !strings.Contains(r.body, "status-stalled") {
			t.Errorf("the engagement page does not say stalled:\n%s", r.body)
		}
		if r := prog.get("/engagements?all=1"); !strings.Contains(r.body, "status-stalled") {
			t.Errorf("the list of all engagements does not say stalled")
		}
		list := o.must(t, http.StatusOK, "prog", "GET", "/api/v1/engagements?all=1", nil)["engagements"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["stalled"] != true {
			t.Errorf("the API list does not say stalled: %v", list)
		}
	})

	t.Run("EndedIsReadOnly", func(t *testing.T) {
		o.must(t, http.StatusOK, "dev", "POST", o.base+"/end", map[string]any{"reason": "Done"})
		before := o.must(t, http.StatusOK, "dev", "GET", sp, nil)
		if st, p := o.call(t, "dev", "POST", sp+"/notes", map[string]any{"body": "Late note", "shared": true}); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["body"] == nil {
			t.Errorf("note on an ended engagement: %d %v", st, p)
		}
		if st, _ := o.call(t, "dev", "POST", o.base+"/sessions", map[string]any{"start": "2026-04-10T10:00:00Z", "minutes": 60, "place": "Room"}); st != http.StatusUnprocessableEntity {
			t.Errorf("schedule on an ended engagement: %d", st)
		}
		if after := o.must(t, http.StatusOK, "dev", "GET", sp, nil); len(after["notes"].([]any)) != len(before["notes"].([]any)) {
			t.Errorf("a refused note was stored")
		}
	})
}

// parseICS checks an iCalendar answer and parses it with a real parser.
func parseICS(t *testing.T, r response) *ical.Calendar {
	t.Helper()
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar: %d %s\n%s", r.status, r.header.Get("Content-Type"), r.body)
	}
	for _, line := range strings.SplitAfter(r.body, "\r\n") {
		if len(strings.TrimSuffix(line, "\r\n")) > 75 || (line != "" && !strings.HasSuffix(line, "\r\n")) {
			t.Errorf("line not folded or not CRLF: %q", line)
		}
	}
	cal, err := ical.NewDecoder(strings.NewReader(r.body)).Decode()
	if err != nil {
		t.Fatalf("parse calendar: %v\n%s", err, r.body)
	}
	for _, prop := range []string{ical.PropVersion, ical.PropProductID, ical.PropMethod} {
		if cal.Props.Get(prop) == nil {
			t.Errorf("calendar lacks %s", prop)
		}
	}
	for _, ev := range cal.Events() {
		for _, prop := range []string{ical.PropUID, ical.PropDateTimeStamp, ical.PropDateTimeStart, ical.PropDateTimeEnd, ical.PropSummary} {
			if ev.Props.Get(prop) == nil {
				t.Errorf("event lacks %s", prop)
			}
		}
	}
	return cal
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

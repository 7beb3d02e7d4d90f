package web_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	tok := b.token("sync script")
	if !strings.HasPrefix(tok, "tdm_") {
		t.Fatalf("token %q", tok)
	}
	st, me, _ := e.api("GET", "/api/v1/me", tok, "")
	if st != http.StatusOK || me["person"].(map[string]any)["email"] != "ada@acme.test" {
		t.Fatalf("me: %d %v", st, me)
	}
	// A second token works too, and the secret is not listed. (Only a
	// browser session creates tokens: TestTokenCannotCreateToken.)
	second := b.token("second")
	_, list, _ := e.api("GET", "/api/v1/tokens", second, "")
	if n := len(list["tokens"].([]any)); n != 2 {
		t.Fatalf("%d tokens listed", n)
	}
	for _, tk := range list["tokens"].([]any) {
		if _, ok := tk.(map[string]any)["token"]; ok {
			t.Error("a listed token shows its secret")
		}
	}
	id := list["tokens"].([]any)[0].(map[string]any)["id"].(float64) // newest first
	if st, _, _ := e.api("DELETE", "/api/v1/tokens/"+ftoa(id), tok, ""); st != http.StatusNoContent {
		t.Fatalf("revoke: %d", st)
	}
	st, p, hdr := e.api("GET", "/api/v1/me", second, "")
	if st != http.StatusUnauthorized || p["code"] != "unauthorized" || !strings.HasPrefix(hdr.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("revoked token: %d %v", st, p)
	}
	if st, _, _ := e.api("DELETE", "/api/v1/tokens/"+ftoa(id), tok, ""); st != http.StatusNotFound {
		t.Errorf("revoking twice: %d", st)
	}
	if st, _, _ := e.api("GET", "/api/v1/me", "tdm_madeup", ""); st != http.StatusUnauthorized {
		t.Errorf("made-up token: %d", st)
	}
	if st, _, _ := e.api("GET", "/api/v1/me", "", ""); st != http.StatusUnauthorized {
		t.Errorf("no token: %d", st)
	}
	// The browser session authenticates the API too.
	r := b.get("/api/v1/me")
	if r.status != http.StatusOK {
		t.Errorf("session on the API: %d", r.status)
	}
}

func TestAPIBadInput(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	tok := b.token("t")
	_, before, _ := e.api("GET", "/api/v1/skills", tok, "")
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"UnknownField", `{"name":"x","admin":true}`, http.StatusBadRequest, "admin"},
		{"NotJSON", `name=x`, http.StatusBadRequest, ""},
		{"WrongType", `{"name":5}`, http.StatusBadRequest, "name"},
		{"Trailing", `{"name":"x"}{"name":"y"}`, http.StatusBadRequest, ""},
		{"Empty", ` `, http.StatusBadRequest, ""},
		{"Invalid", `{"name":""}`, http.StatusUnprocessableEntity, "name"},
		{"TooLarge", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, http.StatusRequestEntityTooLarge, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, p, hdr := e.api("POST", "/api/v1/skills", tok, tc.body)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %v", st, tc.status, p)
			}
			if !strings.HasPrefix(hdr.Get("Content-Type"), "application/problem+json") || p["detail"] == "" || p["status"].(float64) != float64(st) {
				t.Errorf("not a problem document: %v", p)
			}
			if tc.field != "" {
				if errs, _ := p["errors"].(map[string]any); errs[tc.field] == nil {
					t.Errorf("no error for field %q: %v", tc.field, p)
				}
			}
		})
	}
	_, after, _ := e.api("GET", "/api/v1/skills", tok, "")
	if n, m := len(after["skills"].([]any)), len(before["skills"].([]any)); n != m {
		t.Errorf("%d skills after bad requests, want %d", n, m)
	}
}

// TestTenantIsolation has two organizations and checks that nothing of one
// reaches the other through the API.
func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	acme := e.setup("Acme", "Ada", "ada@acme.test")
	acmeTok := acme.token("acme")
	// A second organization created from the CLI path.
	if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Globex", "Gus", "gus@globex.test")); err != nil {
		t.Fatal(err)
	}
	gus := e.signIn("gus@globex.test", "correct horse battery")
	gusTok := gus.token("globex")
	acme.invite("bob@acme.test", "Bob", "member")
	gus.post("/admin/invitations", formOf("email", "hal@globex.test", "name", "Hal", "role", "member"))

	_, members, _ := e.api("GET", "/api/v1/members", gusTok, "")
	for _, m := range members["members"].([]any) {
		if email := m.(map[string]any)["email"].(string); !strings.HasSuffix(email, "@globex.test") {
			t.Errorf("Globex sees %s", email)
		}
	}
	_, invs, _ := e.api("GET", "/api/v1/invitations", gusTok, "")
	for _, i := range invs["invitations"].([]any) {
		if email := i.(map[string]any)["email"].(string); !strings.HasSuffix(email, "@globex.test") {
			t.Errorf("Globex sees invitation of %s", email)
		}
	}
	_, acmeTokens, _ := e.api("GET", "/api/v1/tokens", acmeTok, "")
	id := acmeTokens["tokens"].([]any)[0].(map[string]any)["id"].(float64)
	if st, _, _ := e.api("DELETE", "/api/v1/tokens/"+ftoa(id), gusTok, ""); st != http.StatusNotFound {
		t.Errorf("Globex revoked Acme's token: %d", st)
	}
	if r := gus.get("/admin/mail"); strings.Contains(r.body, "bob@acme.test") {
		t.Error("Globex's admin reads mail sent to Acme's people")
	}
	if st, _, _ := e.api("GET", "/api/v1/me", acmeTok, ""); st != http.StatusOK {
		t.Errorf("Acme's token broke: %d", st)
	}
}

// TestOpenAPIMatchesRoutes checks that the OpenAPI document describes
// exactly the /api/v1 routes that routes.go registers.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, m := range regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		routes = append(routes, m[1]+" "+m[2])
	}
	e := newEnv(t)
	r := e.browser().get("/api/v1/openapi.json")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	if diff := cmp.Diff(routes, documented); diff != "" {
		t.Errorf("routes (-) and OpenAPI paths (+) differ:\n%s", diff)
	}
}

func TestOperations(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		if r := b.get(path); r.status != http.StatusOK || !strings.Contains(r.body, want) {
			t.Errorf("%s: %d %q", path, r.status, r.body)
		}
	}
	// /metrics needs configuration: TestMetricsAccess.
	if r := b.get("/healthz"); r.header.Get("X-Request-Id") == "" {
		t.Error("no request id header")
	}
}

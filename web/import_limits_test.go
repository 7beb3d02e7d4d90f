package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// readCounter is a request body that counts what the server reads of it.
type readCounter struct {
	r io.Reader
	n int
}

func (c *readCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestImportChecksPermissionFirst: a member's upload is refused before the
// server reads a byte of it, on the page and in the API (issue 11).
func TestImportChecksPermissionFirst(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	member := admin.invite("mem@acme.test", "Mem", "member")
	tok := member.token("m")
	file := acmeCSV + strings.Repeat("x@acme.test,X,,,,,,,,,\r\n", 10_000)

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "people.csv")
	io.WriteString(fw, file)
	mw.Close()
	body := &readCounter{r: &buf}
	req := httptest.NewRequest("POST", "/admin/import", body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "tandem_session", Value: member.cookie("tandem_session")})
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || body.n != 0 {
		t.Errorf("member's upload on the page: %d, %d bytes read", rec.Code, body.n)
	}

	body = &readCounter{r: strings.NewReader(file)}
	req = httptest.NewRequest("POST", "/api/v1/people/import", body)
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+tok)
	rec = httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || body.n != 0 {
		t.Errorf("member's upload to the API: %d, %d bytes read", rec.Code, body.n)
	}
}

// TestImportReportBounded: a file with more problems than the report lists
// shows the first 1,000 and says how many more there are, on the page and
// in the API (issue 11).
func TestImportReportBounded(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	tok := admin.token("t")
	var b strings.Builder
	b.WriteString("email,name,time_zone\r\n")
	for i := range 600 { // two problems a row: 1,200
		fmt.Fprintf(&b, "bad-%d,Bad,Mars/Base\r\n", i)
	}
	r := admin.upload("/admin/import", "bad.csv", b.String())
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "the file has 1200 problems") ||
		!strings.Contains(r.body, "and 200 more problems") {
		t.Errorf("page: %d\n%s", r.status, r.body)
	}
	if n := strings.Count(r.body, "<td>Mars/Base</td>") + strings.Count(r.body, "<td>bad-"); n != 1000 {
		t.Errorf("the page lists %d problems, want 1000", n)
	}
	st, out, _ := e.api("POST", "/api/v1/people/import", tok, b.String())
	rep, _ := out["report"].(map[string]any)
	if st != http.StatusUnprocessableEntity || rep == nil {
		t.Fatalf("API: %d %v", st, out)
	}
	if probs, _ := rep["problems"].([]any); len(probs) != 1000 || rep["more_problems"] != float64(200) {
		t.Errorf("API: %d problems, more_problems %v", len(probs), rep["more_problems"])
	}
}

package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The OpenAPI document, loaded and validated once for the whole run, and
// a router that finds a request's operation in it.
var loadOpenAPI = sync.OnceValues(func() (routers.Router, error) {
	src, err := os.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(src)
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	return gorillamux.NewRouter(doc)
})

// checkAPI is the check the test servers run on every /api/v1 exchange:
// the request against its operation (a request the document refuses
// must be refused by the server too, with a 4xx) and the response against
// the operation's responses for its status, headers and body. A route
// the document does not describe may only answer 404 or 405 problem+json.
func checkAPI(req *http.Request, reqBody []byte, wholeBody bool, status int, header http.Header, body []byte) error {
	router, err := loadOpenAPI()
	if err != nil {
		return err
	}
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	if err != nil {
		ct, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
		if (status == http.StatusNotFound || status == http.StatusMethodNotAllowed) && ct == "application/problem+json" {
			return nil
		}
		return fmt.Errorf("not in the OpenAPI document (%v)", err)
	}
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			// Who may call is the server's business (and
			// TestRoutePermissions'); the document only names the schemes.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			// A body the server did not read to the end (it refused
			// the request first) is not checked.
			ExcludeRequestBody: !wholeBody,
			MultiError:         true,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && (status < 400 || status > 499) {
		return fmt.Errorf("the document refuses the request, the server answered %d: %v", status, err)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	return openapi3filter.ValidateResponse(ctx, out)
}

// checkingAPI wraps a test server's handler so that every /api/v1
// exchange, whichever client made it, is checked against the OpenAPI
// document before the client sees the answer; a mismatch fails the test.
func checkingAPI(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1" && !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			h.ServeHTTP(w, r)
			return
		}
		// The handler reads the body itself (some refuse without reading
		// it, and tests check that); the check sees what it read.
		body := &recordingBody{r: r.Body, done: r.ContentLength == 0}
		r.Body = body
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		check := r.Clone(context.Background())
		var reqBody []byte
		if body.done {
			reqBody = body.buf.Bytes()
		}
		if err := checkAPI(check, reqBody, body.done, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("OpenAPI: %s %s answered %d:\n%v\n%s", r.Method, r.URL.RequestURI(), rec.Code, err, trim(rec.Body.String()))
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// recordingBody keeps what a handler reads of a request body, and whether
// it read to the end.
type recordingBody struct {
	r    io.ReadCloser
	buf  bytes.Buffer
	done bool
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.buf.Write(p[:n])
	if err == io.EOF {
		b.done = true
	}
	return n, err
}

func (b *recordingBody) Close() error { return b.r.Close() }

func trim(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestOpenAPIValid: the document is a valid OpenAPI 3.1 document.
func TestOpenAPIValid(t *testing.T) {
	if _, err := loadOpenAPI(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenAPICheckFails: the check the test servers run catches a wrong
// response, an undocumented status, an undocumented route, and a request
// the document refuses that the server accepted.
func TestOpenAPICheckFails(t *testing.T) {
	json := http.Header{"Content-Type": {"application/json"}}
	problem := http.Header{"Content-Type": {"application/problem+json"}}
	get := func(path string) *http.Request { return httptest.NewRequest("GET", path, nil) }
	post := func(path, body string) *http.Request {
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	me := `{"person":{"id":1,"email":"ada@acme.test","name":"Ada","role":"admin"},"org":{"id":1,"name":"Acme","slug":"acme","kind":"company","demo":false}}`
	if err := checkAPI(get("/api/v1/me"), nil, true, 200, json, []byte(me)); err != nil {
		t.Fatalf("a right answer is refused: %v", err)
	}
	for name, c := range map[string]struct {
		req    *http.Request
		body   string
		status int
		header http.Header
		answer string
		want   string // in the error
	}{
		"wrong type":          {get("/api/v1/me"), "", 200, json, strings.Replace(me, `"id":1,"email"`, `"id":"one","email"`, 1), `/person/id`},
		"missing field":       {get("/api/v1/me"), "", 200, json, `{"org":{"id":1,"name":"Acme","slug":"acme","kind":"company","demo":false}}`, `person`},
		"not an enum value":   {get("/api/v1/me"), "", 200, json, strings.Replace(me, `"admin"`, `"emperor"`, 1), "emperor"},
		"undocumented status": {get("/api/v1/me"), "", 418, problem, `{"type":"about:blank","title":"teapot","status":418}`, "status is not supported"},
		"undocumented route":  {get("/api/v1/nowhere"), "", 200, json, `{}`, "not in the OpenAPI document"},
		"refused request":     {post("/api/v1/engagements", `{"kind":7}`), `{"kind":7}`, 201, json, `{}`, "the document refuses the request"},
	} {
		if err := checkAPI(c.req, []byte(c.body), true, c.status, c.header, []byte(c.answer)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: not caught as %q: %v", name, c.want, err)
		}
	}
}

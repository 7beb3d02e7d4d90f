package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[string]int{
	tandem.EINVALID:      http.StatusUnprocessableEntity,
	tandem.EMALFORMED:    http.StatusBadRequest,
	tandem.ENOTFOUND:     http.StatusNotFound,
	tandem.ECONFLICT:     http.StatusConflict,
	tandem.EFORBIDDEN:    http.StatusForbidden,
	tandem.EUNAUTHORIZED: http.StatusUnauthorized,
	tandem.ETOOMANY:      http.StatusTooManyRequests,
	tandem.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	tandem.EINTERNAL:     http.StatusInternalServerError,
}

// classify adds codes to errors that come from the standard library: a
// body over its limit is ETOOLARGE.
func classify(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &tandem.Error{Code: tandem.ETOOLARGE, Message: "The request body is too large."}
	}
	return err
}

// status returns the HTTP status for err, logging internal errors with the
// request id so the plain message shown to the person can be traced.
func (s *Server) status(r *http.Request, err error) int {
	err = classify(err)
	code := tandem.ErrorCode(err)
	if code == tandem.EINTERNAL {
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path)
	}
	return statusOf[code]
}

// defaultRetryAfter is the Retry-After of an ETOOMANY error that does not
// say how long to wait.
const defaultRetryAfter = 60 * time.Second

// setRetryAfter tells a client refused with ETOOMANY (a rate limit, or
// every password-hashing slot taken) when to try again, in whole seconds
// rounded up. Every 429, page or API, goes through it.
func setRetryAfter(w http.ResponseWriter, err error) {
	if tandem.ErrorCode(err) != tandem.ETOOMANY {
		return
	}
	d := app.RetryAfter(err)
	if d <= 0 {
		d = defaultRetryAfter
	}
	w.Header().Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
}

// problem is an RFC 9457 problem detail with Tandem's per-field errors.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Code      string            `json:"code"`
	Errors    map[string]string `json:"errors,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// apiError answers err as application/problem+json.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	err = classify(err)
	writeProblem(w, r, s.status(r, err), err, nil)
}

// writeProblem writes a problem document; extra members (RFC 9457 allows
// them) are added at the top level.
func writeProblem(w http.ResponseWriter, r *http.Request, st int, err error, extra map[string]any) {
	p := problem{
		Type: "about:blank", Title: http.StatusText(st), Status: st,
		Detail: tandem.ErrorMessage(err), Code: tandem.ErrorCode(err), Errors: tandem.ErrorFields(err),
		RequestID: tandem.RequestIDFrom(r.Context()),
	}
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tandem"`)
	}
	setRetryAfter(w, err)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(st)
	if extra == nil {
		json.NewEncoder(w).Encode(p)
		return
	}
	b, _ := json.Marshal(p)
	m := map[string]any{}
	json.Unmarshal(b, &m)
	for k, v := range extra {
		m[k] = v
	}
	json.NewEncoder(w).Encode(m)
}

// serverError renders an error page for a browser.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	err = classify(err)
	st := s.status(r, err)
	if st == http.StatusUnauthorized {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	setRetryAfter(w, err)
	s.render(w, r, st, "error", &errorPage{Status: st, Message: tandem.ErrorMessage(err), RequestID: tandem.RequestIDFrom(r.Context())})
}

// errorPage is the page shown for an error in the web UI.
type errorPage struct {
	Page
	Status    int
	Message   string
	RequestID string
}

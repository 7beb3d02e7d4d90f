package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tandemhq/tandem"
)

// decodeJSON reads a JSON request body into dst. Unknown fields, trailing
// data and a wrong Content-Type are EMALFORMED (400); a body over the limit
// is ETOOLARGE (413).
func decodeJSON(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return tandem.Errorf(tandem.EMALFORMED, "Send the body as application/json.")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var mbe *http.MaxBytesError
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return classify(err)
		case errors.Is(err, io.EOF):
			return tandem.Errorf(tandem.EMALFORMED, "The request body is empty; send a JSON object.")
		case errors.As(err, &se):
			return tandem.Errorf(tandem.EMALFORMED, "The body is not valid JSON (at byte %d).", se.Offset)
		case errors.As(err, &te):
			return &tandem.Error{Code: tandem.EMALFORMED, Message: fmt.Sprintf("Field %q must be a %s.", te.Field, te.Type),
				Fields: map[string]string{te.Field: "Must be a " + te.Type.String() + "."}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &tandem.Error{Code: tandem.EMALFORMED, Message: fmt.Sprintf("Unknown field %q.", name),
				Fields: map[string]string{name: "This field is not part of the request."}}
		default:
			return tandem.Errorf(tandem.EMALFORMED, "The body could not be read: %v.", err)
		}
	}
	if dec.More() {
		return tandem.Errorf(tandem.EMALFORMED, "Send one JSON object, with nothing after it.")
	}
	return nil
}

// writeJSON answers v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// apiAuth refuses anonymous API requests with 401 problem+json.
func (s *Server) apiAuth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if tandem.ActorFrom(r.Context()) == nil {
			s.apiError(w, r, tandem.Errorf(tandem.EUNAUTHORIZED, "Sign in, or send an API token as: Authorization: Bearer <token>."))
			return
		}
		next(w, r)
	}
}

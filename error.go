package tandem

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Every error that crosses a layer boundary carries one of them;
// web maps each code to one HTTP status in a single table.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says which
	EMALFORMED    = "malformed"    // the request cannot be read: bad JSON, an unknown field
	ENOTFOUND     = "not_found"    // no such thing, or the caller may not know it exists
	ECONFLICT     = "conflict"     // the input collides with what is stored (a taken email)
	EFORBIDDEN    = "forbidden"    // the caller is known but may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in, or the credentials are wrong
	ETOOMANY      = "too_many"     // rate limited
	ETOOLARGE     = "too_large"    // a body or file over its size limit
	EINTERNAL     = "internal"     // a bug or an outage; the message is not shown to people
)

// Error is the error type of the domain. Message is safe to show to the
// person who made the request; Fields maps an input field name to what is
// wrong with it.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("tandem: %s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("tandem: %s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// plain sentence for internal errors so no detail leaks to the person.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// ErrorFields returns the field errors of the first *Error in err's chain.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// FieldErrors collects per-field problems while validating input.
// The zero value is ready to use.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a problem, so the
// first (most basic) problem is the one shown.
func (fe *FieldErrors) Add(field, msg string) {
	if *fe == nil {
		*fe = FieldErrors{}
	}
	if _, ok := (*fe)[field]; !ok {
		(*fe)[field] = msg
	}
}

// Err returns nil when no field has a problem, or an EINVALID *Error
// listing every field.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	msg := "Please correct the highlighted field."
	if len(fe) > 1 {
		msg = "Please correct the highlighted fields."
	}
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string(fe)}
}

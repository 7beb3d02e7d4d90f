// Package tandem is the domain of Tandem, a platform for coaching
// engagements and mentoring partnerships: the types, their rules and
// Validate methods, and the Error type every layer speaks.
//
// It imports only the standard library. Storage lives in sqldb, use cases
// and authorization in app, HTTP in web.
package tandem

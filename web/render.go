package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

//go:embed templates
var templateFS embed.FS

// Page is what every page template can use: the layout reads it.
// Each page's own struct embeds it, so templates are fed typed data.
type Page struct {
	Title   string
	Nav     string // the active navigation entry
	Actor   *tandem.Actor
	Flash   string
	DevMail bool
	Version string
	Unread  int // the signed-in person's unread notifications
	static  *staticFiles
	loc     *time.Location // the signed-in person's time zone, loaded once per page
}

func (p *Page) base() *Page { return p }

// Local writes an instant in the signed-in person's time zone (UTC when
// they have none), with the zone's abbreviation, as "2 Mar 2026 10:00 CET".
func (p *Page) Local(t time.Time) string {
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 Jan 2006 15:04 MST")
}

// Detail writes a timeline event's detail for the reader: a session's
// time, stored in UTC, in the signed-in person's time zone.
func (p *Page) Detail(ev tandem.Event) string {
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	return tandem.LocalSessionDetail(ev.Detail, loc)
}

// Day writes the calendar day of an instant (a time.Time or *time.Time)
// in the signed-in person's time zone, as "2 Mar 2026", so dates agree
// with the times beside them.
func (p *Page) Day(t any) string {
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	switch v := t.(type) {
	case time.Time:
		return v.In(loc).Format("2 Jan 2006")
	case *time.Time:
		if v != nil {
			return v.In(loc).Format("2 Jan 2006")
		}
	}
	return ""
}

// Static returns the content-hashed URL of a static file.
func (p *Page) Static(name string) string { return p.static.url(name) }

// SignedIn reports whether someone is signed in.
func (p *Page) SignedIn() bool { return p.Actor != nil }

// IsAdmin reports whether the signed-in person administers the organization.
func (p *Page) IsAdmin() bool { return p.Actor != nil && p.Actor.Person.IsAdmin() }

type page interface{ base() *Page }

// Form carries what a person typed and what is wrong with it, so a form
// shown again keeps its values and shows errors beside their fields.
type Form struct {
	Values url.Values
	Errors map[string]string
	// Message is a problem that belongs to no single field.
	Message string
}

// Get returns the submitted value of a field.
func (f Form) Get(name string) string { return f.Values.Get(name) }

// Error returns the problem with a field, or "".
func (f Form) Error(name string) string { return f.Errors[name] }

// Summary is the problem shown above a form: the message, unless a field
// already says the same beside it (one problem is said once).
func (f Form) Summary() string {
	for _, e := range f.Errors {
		if e == f.Message {
			return ""
		}
	}
	return f.Message
}

// formFrom builds a Form from a request's values and an error.
func formFrom(r *http.Request, err error) Form {
	f := Form{Values: r.PostForm}
	if err != nil {
		f.Errors = tandem.ErrorFields(err)
		f.Message = tandem.ErrorMessage(err)
	}
	return f
}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"roleLabel": tandem.RoleLabel,
		"date":      func(t any) string { return formatDate(t) },
		"field":     newField,
		"lower":     func(s string) string { return strings.ToLower(s) },
		"inc":       func(n int) int { return n + 1 },
		"dec":       func(n int) int { return n - 1 },
		"join":      strings.Join,
		"list":      func(s ...string) []string { return s },
		"picker":    newPicker,
		"viewerLabel": func(v tandem.Viewer, k tandem.Kind) string {
			switch v {
			case tandem.ViewerLearner:
				return "the " + strings.ToLower(k.LearnerLabel())
			case tandem.ViewerGuide:
				return "the " + strings.ToLower(k.GuideLabel())
			case tandem.ViewerManager:
				return "the learner's manager: you see the agreement, never the conversation"
			case tandem.ViewerSuccessor:
				return "the coach of a later engagement for this skill (shared by the coachee)"
			case tandem.ViewerProgramAdmin, tandem.ViewerAdmin:
				return "an administrator: you see status and dates only"
			}
			return ""
		},
		"eventLabel": eventLabel,
		"timeline":   timeline,
		// partyLabel names a party to an agreement as people say it: the
		// coach, not the guide.
		"partyLabel": func(p tandem.Party, k tandem.Kind) string {
			switch p {
			case tandem.PartyLearner:
				return strings.ToLower(k.LearnerLabel())
			case tandem.PartyGuide:
				return strings.ToLower(k.GuideLabel())
			}
			return string(p)
		},
		// questionForm gives the question form partial its page, values,
		// action and question id (0 for a new question).
		"questionForm": func(p *questionsPage, f Form, action string, id int64) questionForm {
			return questionForm{Page: p, Form: f, Action: action, ID: id}
		},
		// idSuffix keeps a field's ids unique when a page repeats its form,
		// one per row: f-name-7 rather than 21 inputs called f-name.
		"idSuffix": func(f Field, suffix any) Field { f.ID = fmt.Sprintf("%s-%v", f.Name, suffix); return f },
		// optional marks a field as not required.
		"optional": func(f Field) Field { f.Required = false; return f },
		// formFor gives a form's values and errors to the one of several
		// forms on a page that was submitted (ids equal), an empty form to
		// the others.
		"formFor": func(f Form, submitted, id int64) Form {
			if submitted == id {
				return f
			}
			return Form{}
		},
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages, nil
}

// render writes a page with the layout. The page is executed into a
// buffer first, so a template error becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	b := p.base()
	b.Actor = tandem.ActorFrom(r.Context())
	if b.Actor != nil {
		b.loc = b.Actor.Person.Zone()
		b.Unread = s.app.UnreadCount(r.Context())
	}
	b.DevMail = s.cfg.DevMail
	b.Version = s.cfg.Version
	b.static = s.static
	if b.Flash == "" {
		b.Flash = s.takeFlash(w, r)
	}
	t, ok := s.pages[name]
	if !ok {
		s.log.ErrorContext(r.Context(), "no such template", "name", name)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.ErrorContext(r.Context(), "render", "template", name, "err", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const flashCookie = "tandem_flash"

// flash stores a one-time message shown on the next page.
func (s *Server) flash(w http.ResponseWriter, r *http.Request, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// redirect sends the browser on with a one-time message, only ever to a
// path on this site (safeNext).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, msg string) {
	if msg != "" {
		s.flash(w, r, msg)
	}
	http.Redirect(w, r, safeNext(to), http.StatusSeeOther)
}

// Field is one labelled input of a form, with its value and error.
type Field struct {
	Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                            bool
	// ID is what the element ids are made of: the name, unless one page
	// has the field in several forms (idSuffix).
	ID string
}

// newField builds a Field for the "field" partial: field form name label
// type [autocomplete] [hint].
func newField(f Form, name, label, typ string, extra ...string) Field {
	fl := Field{Name: name, ID: name, Label: label, Type: typ, Error: f.Error(name), Required: true}
	if typ != "password" {
		fl.Value = f.Get(name)
	}
	if len(extra) > 0 {
		fl.Autocomplete = extra[0]
	}
	if len(extra) > 1 {
		fl.Hint = extra[1]
	}
	return fl
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns the path on this site that a redirect target taken from
// the request (a sign-in's next, a form's back) stands for, or "/" when it
// could lead anywhere else. Every redirect whose target comes from the
// request goes through it, and so does Server.redirect.
//
// It decides on what a browser would do with the Location header, not on the
// raw text: the WHATWG URL parser removes ASCII tab, LF and CR anywhere,
// trims leading and trailing C0 controls and spaces, and reads a backslash as
// a slash, so "/\t/evil.test" and "/\\evil.test" both become "//evil.test", a
// link to another host. After that normalization the target must be a path
// that starts with one "/" (not "//"), with no scheme or host. The result is
// the normalized, re-encoded path, query and fragment, so the header holds
// exactly what was checked.
func safeNext(next string) string {
	next = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, next)
	next = strings.TrimFunc(next, func(r rune) bool { return r <= ' ' })
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	u, err := url.Parse(next) // refuses other control characters
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	out := u.String()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return "/"
	}
	return out
}

// formatDate writes a time, or a pointer to one, as "2 Jan 2006".
func formatDate(t any) string {
	switch v := t.(type) {
	case time.Time:
		return v.Format("2 Jan 2006")
	case *time.Time:
		if v != nil {
			return v.Format("2 Jan 2006")
		}
	}
	return ""
}

// timelineEntry is one line of the timeline as people read it.
type timelineEntry struct {
	tandem.Event
	Label string
}

// timeline labels the events for people. Proposing or revising the
// agreement counts as agreeing to that version, stored as the proposal
// (or revision) followed by the author's agreement in the same
// transaction: the two read as one line, "Proposed and agreed". A viewer
// who may not see the agreement has no agreement event, and reads
// "Proposed".
func timeline(events []tandem.Event) []timelineEntry {
	out := make([]timelineEntry, 0, len(events))
	for i := 0; i < len(events); i++ {
		ev := events[i]
		label := eventLabel(ev.Type)
		if ev.Type == tandem.EventProposed || ev.Type == tandem.EventRevised {
			if i+1 < len(events) {
				next := events[i+1]
				if next.Type == tandem.EventAgreed && next.Actor.ID == ev.Actor.ID && next.At.Equal(ev.At) {
					label += " and agreed"
					i++
				}
			}
		}
		out = append(out, timelineEntry{Event: ev, Label: label})
	}
	return out
}

// eventLabel names a timeline event for people.
func eventLabel(t tandem.EventType) string {
	switch t {
	case tandem.EventProposed:
		return "Proposed"
	case tandem.EventRevised:
		return "Agreement changed"
	case tandem.EventAgreed:
		return "Agreed"
	case tandem.EventChangesRequested:
		return "Changes requested"
	case tandem.EventActivated:
		return "Active"
	case tandem.EventExtended:
		return "Extended"
	case tandem.EventPhase:
		return "Phase"
	case tandem.EventReversalProposed:
		return "Role reversal proposed"
	case tandem.EventReversalDeclined:
		return "Role reversal declined"
	case tandem.EventReversed:
		return "Roles reversed"
	case tandem.EventException:
		return "Exception allowed"
	case tandem.EventReview:
		return "Review point"
	case tandem.EventHistoryShared:
		return "History"
	case tandem.EventEnded:
		return "Ended"
	case tandem.EventExpired:
		return "Expired"
	case tandem.EventManagerChanged:
		return "Manager changed"
	case tandem.EventSessionScheduled:
		return "Session scheduled"
	case tandem.EventSessionRescheduled:
		return "Session moved"
	case tandem.EventSessionCancelled:
		return "Session cancelled"
	case tandem.EventSessionHeld:
		return "Session held"
	case tandem.EventSessionNoShow:
		return "Session missed"
	case tandem.EventNotAGoodFit:
		return "Flagged as not a good fit"
	case tandem.EventGoalSet:
		return "Goal set"
	case tandem.EventGoalReached:
		return "Goal reached"
	case tandem.EventEvaluated:
		return "Evaluated"
	case tandem.EventThemeAdded:
		return "Theme added"
	case tandem.EventReflected:
		return "Reflection"
	}
	return string(t)
}

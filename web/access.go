package web

import (
	"net/http"

	"github.com/tandemhq/tandem"
)

// access declares who may call a route. The server registers every route
// from one table (routes.go) and wraps it in the sign-in check its access
// needs; TestRoutePermissions reads the same table and requests every
// route as every kind of person, against resources they may and may not
// see, expecting exactly what the declaration says. The declaration states
// the product's rules (ARCHITECTURE.md, visibility.go), not what the code
// happens to do: the code enforces the rules in app, the test checks them.
type access struct {
	kind accessKind
	// self lets a person call a person route ({id} is a person) about
	// themself whatever their role, guests included.
	self bool
	// For engagement routes ({id} is an engagement): the viewers
	// (tandem.Viewer) who may call it; someone else who sees the engagement
	// is forbidden (403), anyone who does not see it gets not found.
	viewers []tandem.Viewer
	// facet, for engagement reads: the viewers who may see this facet may
	// call it; others, even those who see the engagement, get not found.
	facet tandem.Facet
	// only, when set, says the route belongs to one kind of engagement; on
	// the other kind it is refused (403, 409 or 422) to everyone who sees
	// the engagement.
	only tandem.Kind
	// program, for program routes ({id} is a program): the facet of the
	// program matrix (tandem.CanProgram) the caller needs. Whoever does
	// not see the program gets not found; whoever sees it but may not do
	// this, forbidden.
	program tandem.ProgramFacet
	// roles, for program routes of self-serve matching: only someone
	// with an approved application in one of these roles may call it;
	// others who see the program get 403.
	roles []tandem.ApplicationRole
	// browser: only a browser session may call it; an API token gets 403,
	// so a token cannot mint tokens that outlive its revocation.
	browser bool
}

// accessKind is the first question about a caller: signed in, a member, an
// administrator…
type accessKind int

const (
	undeclared accessKind = iota
	// anyoneKind: no sign-in; public pages and one-time links, whose secret
	// is the credential.
	anyoneKind
	// signedInKind: anyone signed in, guests included.
	signedInKind
	// membersKind: signed-in members, not guests (guests: 403).
	membersKind
	// programAdminsKind: program admins and administrators (others: 403).
	programAdminsKind
	// adminsKind: administrators (others: 403).
	adminsKind
	// authorsKind: the members who write Coach Notes, its coaches and
	// administrators (app.mayWrite; others: 403).
	authorsKind
	// engagementKind: {id} is an engagement; see viewers and facet.
	engagementKind
	// programKind: {id} is a program; see program.
	programKind
)

// The access values the route table uses.
var (
	anyone        = access{kind: anyoneKind}
	signedIn      = access{kind: signedInKind}
	members       = access{kind: membersKind}
	programAdmins = access{kind: programAdminsKind}
	admins        = access{kind: adminsKind}
	authors       = access{kind: authorsKind}

	// viewers: everyone who sees the engagement at all (its status).
	viewers = seeing(tandem.FacetStatus)
	// partners: the learner and the coach or mentor.
	partners = parties(tandem.ViewerLearner, tandem.ViewerGuide)
	// coach: the coach of a coaching engagement, who sets goals and
	// evaluates.
	coach = parties(tandem.ViewerGuide).onlyFor(tandem.Coaching)
)

// selfOr lets a person route be called by the person themself, and by
// everyone a allows.
func selfOr(a access) access {
	a.self = true
	return a
}

// parties lets the engagement's viewers of these kinds call the route;
// tandem.ViewerAdmin and tandem.ViewerProgramAdmin mean one who is not a
// party (a party is the learner, guide or manager first).
func parties(v ...tandem.Viewer) access {
	return access{kind: engagementKind, viewers: v}
}

// seeing lets the viewers who may see the facet call the route.
func seeing(f tandem.Facet) access {
	return access{kind: engagementKind, facet: f}
}

// onProgram lets whoever may do the facet of the program call the route.
func onProgram(f tandem.ProgramFacet) access {
	return access{kind: programKind, program: f}
}

// onProgramAs lets the program's approved applicants in the roles call
// the route (self-serve matching); others who see the program get 403.
func onProgramAs(roles ...tandem.ApplicationRole) access {
	return access{kind: programKind, program: tandem.ProgramOverview, roles: roles}
}

// onlyFor restricts an engagement route to one kind of engagement.
func (a access) onlyFor(k tandem.Kind) access {
	a.only = k
	return a
}

// browserOnly refuses the route to API tokens.
func (a access) browserOnly() access {
	a.browser = true
	return a
}

// public reports whether the route needs no sign-in.
func (a access) public() bool { return a.kind == anyoneKind }

// route is one entry of the route table.
type route struct {
	pattern string // as http.ServeMux takes it: "GET /people/{id}"
	who     access
	handler http.HandlerFunc
}

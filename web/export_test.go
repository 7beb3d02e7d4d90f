package web

import "github.com/tandemhq/tandem"

// RouteDecl is one route of the route table and its declaration, for
// TestRoutePermissions (package web_test).
type RouteDecl struct {
	Pattern string
	// Kind is "anyone", "signedIn", "members", "programAdmins",
	// "admins", "authors" or "engagement"; "" when the route is
	// undeclared.
	Kind    string
	Self    bool
	Viewers []tandem.Viewer
	Facet   tandem.Facet
	Only    tandem.Kind
	// Program is the facet of a program route ("program" kind).
	Program tandem.ProgramFacet
	// Roles: only approved applicants in these roles (self-serve).
	Roles []tandem.ApplicationRole
	API   bool
	// BrowserOnly: an API token gets 403.
	BrowserOnly bool
}

var kindNames = map[accessKind]string{anyoneKind: "anyone", signedInKind: "signedIn",
	membersKind: "members", programAdminsKind: "programAdmins", adminsKind: "admins", authorsKind: "authors", engagementKind: "engagement", programKind: "program"}

// RouteTable returns the server's route table, as registered.
func RouteTable(s *Server) []RouteDecl {
	var out []RouteDecl
	for _, rt := range s.routeTable() {
		out = append(out, RouteDecl{Pattern: rt.pattern, Kind: kindNames[rt.who.kind], Self: rt.who.self,
			Viewers: rt.who.viewers, Facet: rt.who.facet, Only: rt.who.only, Program: rt.who.program, Roles: rt.who.roles, API: isAPI(rt.pattern), BrowserOnly: rt.who.browser})
	}
	return out
}

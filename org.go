package tandem

import (
	"regexp"
	"strings"
	"time"
)

// Organization kinds. An independent coaching practice is a tenant like any
// company; the kind only changes wording and defaults.
const (
	OrgCompany  = "company"
	OrgPractice = "practice"
)

// Org is a tenant. Every row that belongs to an organization carries its ID,
// and every store query that reads such rows filters by it.
type Org struct {
	ID        int64
	Name      string
	Slug      string
	Kind      string
	Demo      bool // the organization holds generated demo data
	CreatedAt time.Time
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slugify turns a name into a URL-safe slug: lower case, ASCII letters and
// digits, single dashes.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// Validate reports EINVALID with a field error for each problem with the
// organization's name, slug or kind.
func (o *Org) Validate() error {
	var fe FieldErrors
	o.Name = strings.TrimSpace(o.Name)
	switch {
	case o.Name == "":
		fe.Add("org_name", "Enter the organization's name.")
	case len(o.Name) > 120:
		fe.Add("org_name", "Use at most 120 characters.")
	}
	if o.Slug == "" {
		o.Slug = Slugify(o.Name)
	}
	if o.Name != "" && (!slugRE.MatchString(o.Slug) || len(o.Slug) > 60) {
		fe.Add("org_name", "Use at least one letter or digit in the name.")
	}
	if o.Kind == "" {
		o.Kind = OrgCompany
	}
	if o.Kind != OrgCompany && o.Kind != OrgPractice {
		fe.Add("org_kind", "Choose a company or an independent coaching practice.")
	}
	return fe.Err()
}

// DemoPersona is someone of a demo organization with an account, whom a
// visitor can sign in as to see what that role sees: their organization
// role and how many engagements they take part in, by part.
type DemoPersona struct {
	PersonID int64
	Name     string
	Email    string
	Title    string
	Role     string // admin, program_admin or member
	Coach    int    // coaching engagements they coach
	Coachee  int    // coaching engagements they are coached in
	Mentor   int    // mentoring partnerships they mentor
	Protege  int    // mentoring partnerships they are mentored in
	Manager  int    // engagements of their reports
	Runs     int    // programs they run as a program admin
	Applied  int    // programs they applied to (not withdrawn)
}

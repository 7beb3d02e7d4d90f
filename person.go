package tandem

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles inside an organization. Coach and mentor are not roles: they are
// capabilities on a person's profile.
const (
	RoleAdmin        = "admin"         // administers the organization: people, roles, settings
	RoleProgramAdmin = "program_admin" // runs mentoring programs and sees their status
	RoleMember       = "member"        // everyone else
)

// ValidRole reports whether r is one of the organization roles.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleProgramAdmin || r == RoleMember
}

// RoleLabel returns the human name of a role.
func RoleLabel(r string) string {
	switch r {
	case RoleAdmin:
		return "Administrator"
	case RoleProgramAdmin:
		return "Program admin"
	default:
		return "Member"
	}
}

// Account is a sign-in identity: one email and one password, across every
// organization the person belongs to.
type Account struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	CreatedAt    time.Time
}

// Person is someone in an organization. A person may have no account yet
// (imported from HR, not yet invited); AccountID is 0 then.
type Person struct {
	ID        int64
	OrgID     int64
	AccountID int64
	Email     string
	Name      string
	Role      string
	CreatedAt time.Time
	// ManagerID is the person's manager in the organization, 0 for none.
	ManagerID int64
	// Guest marks someone from outside the organization, such as an
	// external coach: they see only the engagements they are a party to.
	Guest bool
	// DeactivatedAt is when an administrator recorded that the person left
	// the organization (nil while they are active), DeactivatedBy who did
	// (0 for the operator's CLI) and DeactivationReason why, if they said.
	// A person who left cannot sign in to the organization and is left out
	// of the directory and every picker; their history stays.
	DeactivatedAt      *time.Time
	DeactivatedBy      int64
	DeactivationReason string
	Profile
}

// Left reports whether the person has been deactivated (left the
// organization).
func (p *Person) Left() bool { return p != nil && p.DeactivatedAt != nil }

// ReasonLeft is the end reason of the engagements a deactivation ends,
// after the name of the person who left.
const ReasonLeft = "left the organization."

// CheckDeactivationReason returns what is wrong with a deactivation's
// reason (optional), or "".
func CheckDeactivationReason(s string) string {
	if utf8.RuneCountInString(s) > 500 {
		return "Use at most 500 characters."
	}
	return ""
}

// IsAdmin reports whether the person administers their organization.
func (p *Person) IsAdmin() bool { return p != nil && p.Role == RoleAdmin }

// NormalizeEmail trims and lower-cases an address so that lookups match the
// way people expect (mail providers treat addresses case-insensitively).
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckEmail returns what is wrong with an email address, or "".
func CheckEmail(s string) string {
	if s == "" {
		return "Enter an email address."
	}
	if len(s) > 254 {
		return "Use at most 254 characters."
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "Enter an email address like name@example.com."
	}
	return ""
}

// CheckName returns what is wrong with a person's name, or "".
func CheckName(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "Enter a name."
	case utf8.RuneCountInString(s) > 120:
		return "Use at most 120 characters."
	}
	return ""
}

// MinPasswordLength is the shortest password accepted. Length is the rule
// that matters (NIST SP 800-63B); no composition rules.
const MinPasswordLength = 10

// CheckPassword returns what is wrong with a new password, or "".
func CheckPassword(pw string) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		return "Use at least 10 characters."
	case len(pw) > 256:
		return "Use at most 256 characters."
	}
	return ""
}

// PersonRef is the little that names a person in lists and charts.
type PersonRef struct {
	ID    int64
	Name  string
	Email string
	Title string
	// Left marks someone who has left the organization, so that past
	// records can say so beside their name.
	Left bool
}

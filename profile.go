package tandem

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // validate time zones on machines without a zoneinfo database
	"unicode/utf8"
)

// Profile is what a person tells about themself: the fields the directory
// searches, matching scores and the org chart draws.
type Profile struct {
	Title           string
	Department      string
	Location        string
	TimeZone        string   // an IANA name such as Europe/Paris
	Languages       []string // ISO 639-1 codes or names, as the organization writes them
	Interests       []string
	Bio             string
	YearsExperience int
	// MentorCapacity is how many protégés the person will mentor at once;
	// zero means not open to mentor.
	MentorCapacity int
	Skills         []PersonSkill
}

// Zone returns the time zone to show the person times in: their
// profile's, or UTC when it is empty or unknown.
func (p *Profile) Zone() *time.Location {
	if p.TimeZone != "" {
		if loc, err := time.LoadLocation(p.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// OpenToMentor reports whether the person takes protégés.
func (p *Profile) OpenToMentor() bool { return p.MentorCapacity > 0 }

// OpenToCoach reports whether the person is open to coach any skill.
func (p *Profile) OpenToCoach() bool {
	for _, s := range p.Skills {
		if s.Coaches {
			return true
		}
	}
	return false
}

// CoachSkills returns the names of the skills the person is open to coach.
func (p *Profile) CoachSkills() []string {
	var out []string
	for _, s := range p.Skills {
		if s.Coaches {
			out = append(out, s.Name)
		}
	}
	return out
}

// Limits on profile fields.
const (
	MaxBio            = 2000
	MaxProfileField   = 120
	MaxListItems      = 30
	MaxYears          = 70
	MaxMentorCapacity = 20
)

// Validate tidies the profile and reports EINVALID with a field error for
// each problem. Field names are those of the forms, the API and the CSV.
func (p *Profile) Validate() error {
	var fe FieldErrors
	for _, f := range []struct {
		name string
		v    *string
	}{{"title", &p.Title}, {"department", &p.Department}, {"location", &p.Location}} {
		*f.v = strings.Join(strings.Fields(*f.v), " ")
		if utf8.RuneCountInString(*f.v) > MaxProfileField {
			fe.Add(f.name, fmt.Sprintf("Use at most %d characters.", MaxProfileField))
		}
	}
	p.TimeZone = strings.TrimSpace(p.TimeZone)
	if msg := CheckTimeZone(p.TimeZone); msg != "" {
		fe.Add("time_zone", msg)
	}
	p.Bio = strings.TrimSpace(p.Bio)
	if utf8.RuneCountInString(p.Bio) > MaxBio {
		fe.Add("bio", fmt.Sprintf("Use at most %d characters.", MaxBio))
	}
	var msg string
	if p.Languages, msg = CleanList(p.Languages); msg != "" {
		fe.Add("languages", msg)
	}
	if p.Interests, msg = CleanList(p.Interests); msg != "" {
		fe.Add("interests", msg)
	}
	if p.YearsExperience < 0 || p.YearsExperience > MaxYears {
		fe.Add("years_experience", fmt.Sprintf("Enter a number of years from 0 to %d.", MaxYears))
	}
	if p.MentorCapacity < 0 || p.MentorCapacity > MaxMentorCapacity {
		fe.Add("mentor_capacity", fmt.Sprintf("Enter how many protégés at once, from 0 (not mentoring) to %d.", MaxMentorCapacity))
	}
	seen := map[string]bool{}
	for _, s := range p.Skills {
		if s.Level < Novice || s.Level > Expert {
			fe.Add("skills", fmt.Sprintf("Choose a level from novice to expert for %s.", s.Name))
		}
		k := SkillKey(s.Name)
		if seen[k] {
			fe.Add("skills", fmt.Sprintf("%s is listed twice.", s.Name))
		}
		seen[k] = true
	}
	return fe.Err()
}

// CheckTimeZone returns what is wrong with an IANA time zone name, or ""
// for a valid one or an empty one (not given).
func CheckTimeZone(tz string) string {
	if tz == "" {
		return ""
	}
	if tz == "Local" || strings.ContainsAny(tz, " \\") {
		return fmt.Sprintf("%q is not a time zone; use a name such as Europe/Paris or America/New_York.", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return fmt.Sprintf("%q is not a time zone; use a name such as Europe/Paris or America/New_York.", tz)
	}
	return ""
}

// CleanList trims the items of a list, drops empty ones and duplicates
// (ignoring case), and says what is wrong when the list is too long or an
// item holds the ; separator.
func CleanList(items []string) ([]string, string) {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		it = strings.Join(strings.Fields(it), " ")
		k := strings.ToLower(it)
		if it == "" || seen[k] {
			continue
		}
		if strings.Contains(it, ";") {
			return out, "Separate items with ; and leave it out of the items."
		}
		if utf8.RuneCountInString(it) > 60 {
			return out, "Use at most 60 characters per item."
		}
		seen[k] = true
		out = append(out, it)
	}
	if len(out) > MaxListItems {
		return out, fmt.Sprintf("List at most %d items.", MaxListItems)
	}
	return out, ""
}

// SplitList splits a ;-separated cell, as written in CSV files and forms.
func SplitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// JoinList writes a list as a ;-separated cell.
func JoinList(items []string) string { return strings.Join(items, ";") }

// Cycle is a chain of people that would report to one another; it is the
// reason a manager change or an import is refused.
type Cycle []string

// String names the cycle as "A → B → C → A".
func (c Cycle) String() string {
	if len(c) == 0 {
		return ""
	}
	return strings.Join(append(append([]string(nil), c...), c[0]), " → ")
}

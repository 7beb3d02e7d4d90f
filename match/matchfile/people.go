package matchfile

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/match"
)

// PeopleOptions tells ReadPeople how to read one file.
type PeopleOptions struct {
	// Mentors says the file lists mentors, who must have a capacity.
	Mentors bool
	// TimeZone resolves a time_zone cell to a UTC offset in minutes. Nil
	// means ParseUTCOffset, which knows only explicit offsets.
	TimeZone func(string) (int, error)
}

// ReadPeople reads profiles from a people CSV with the columns
// email,name,title,department,location,time_zone,manager_email,languages,
// skills,interests,years_experience (only email is required), plus wants
// for mentees, capacity for mentors and questionnaire columns starting
// with q_. Multi-valued cells are separated by ';'; skills are Name:level
// with the levels novice, beginner, intermediate, advanced, expert.
func ReadPeople(r io.Reader, name string, opt PeopleOptions) ([]match.Profile, error) {
	if opt.TimeZone == nil {
		opt.TimeZone = ParseUTCOffset
	}
	cr := newCSVReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, csvErr(name, err)
	}
	col := map[string]int{}
	for c, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if p, dup := col[h]; dup {
			return nil, fmt.Errorf("%s: row 1, column %d: column %q repeats column %d", name, c+1, h, p+1)
		}
		col[h] = c
	}
	if _, ok := col["email"]; !ok {
		return nil, fmt.Errorf("%s: row 1: no email column", name)
	}
	if _, ok := col["capacity"]; opt.Mentors && !ok {
		return nil, fmt.Errorf("%s: row 1: no capacity column for mentors", name)
	}
	var out []match.Profile
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(head) {
			return nil, fmt.Errorf("%s: row %d: %d cells, want %d", name, line, len(rec), len(head))
		}
		get := func(c string) string {
			if t, ok := col[c]; ok {
				return strings.TrimSpace(rec[t])
			}
			return ""
		}
		bad := func(c string, format string, args ...any) error {
			return fmt.Errorf("%s: row %d, column %d (%s): %s", name, line, col[c]+1, c, fmt.Sprintf(format, args...))
		}
		p := match.Profile{
			Email: get("email"), Name: get("name"), Title: get("title"), Department: get("department"),
			Location: get("location"), ManagerEmail: get("manager_email"),
			Languages: split(get("languages")), Interests: split(get("interests")), Years: -1,
		}
		if p.Email == "" {
			return nil, bad("email", "empty email")
		}
		key := strings.ToLower(p.Email)
		if prev, dup := seen[key]; dup {
			return nil, bad("email", "%s repeats row %d", p.Email, prev)
		}
		seen[key] = line
		if tz := get("time_zone"); tz != "" {
			off, err := opt.TimeZone(tz)
			if err != nil {
				return nil, bad("time_zone", "%v", err)
			}
			p.TZOffset, p.HasTZ = off, true
		}
		if p.Skills, err = parseSkills(get("skills")); err != nil {
			return nil, bad("skills", "%v", err)
		}
		if p.Wants, err = parseSkills(get("wants")); err != nil {
			return nil, bad("wants", "%v", err)
		}
		if y := get("years_experience"); y != "" {
			if p.Years, err = strconv.ParseFloat(y, 64); err != nil || p.Years < 0 || p.Years > 100 {
				return nil, bad("years_experience", "%q is not a number of years", y)
			}
		}
		if opt.Mentors {
			c, err := strconv.Atoi(get("capacity"))
			if err != nil || c < 0 {
				return nil, bad("capacity", "%q must be a non-negative integer", get("capacity"))
			}
			p.Capacity = c
		}
		for h, t := range col {
			if strings.HasPrefix(h, "q_") {
				if a := split(rec[t]); len(a) > 0 {
					if p.Answers == nil {
						p.Answers = map[string][]string{}
					}
					p.Answers[h] = a
				}
			}
		}
		out = append(out, p)
	}
}

// split splits a multi-valued cell on ';', dropping empty values.
func split(cell string) []string {
	var out []string
	for _, s := range strings.Split(cell, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseSkills parses "Go:advanced;SQL" into skills (level 0 when absent).
func parseSkills(cell string) ([]match.Skill, error) {
	var out []match.Skill
	for _, s := range split(cell) {
		name, level, found := strings.Cut(s, ":")
		sk := match.Skill{Name: strings.TrimSpace(name)}
		if found {
			lv := strings.ToLower(strings.TrimSpace(level))
			for l, n := range match.LevelNames {
				if n != "" && n == lv {
					sk.Level = l
				}
			}
			if sk.Level == 0 {
				return nil, fmt.Errorf("skill %q: level %q is not one of novice, beginner, intermediate, advanced, expert", s, level)
			}
		}
		if sk.Name == "" {
			return nil, fmt.Errorf("skill %q has no name", s)
		}
		out = append(out, sk)
	}
	return out, nil
}

// ParseUTCOffset parses an explicit UTC offset: UTC, Z, +02:00, -0530,
// UTC+2, GMT-05:30.
func ParseUTCOffset(s string) (int, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimPrefix(strings.TrimPrefix(t, "UTC"), "GMT")
	if t == "" || t == "Z" {
		return 0, nil
	}
	sign := 1
	switch t[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, fmt.Errorf("time zone %q: want an offset such as UTC+2 or -05:30", s)
	}
	t = t[1:]
	h, mm, _ := strings.Cut(t, ":")
	if len(h) == 4 && mm == "" {
		h, mm = h[:2], h[2:]
	}
	hours, err1 := strconv.Atoi(h)
	mins := 0
	var err2 error
	if mm != "" {
		mins, err2 = strconv.Atoi(mm)
	}
	if err1 != nil || err2 != nil || hours < 0 || hours > 14 || mins < 0 || mins > 59 {
		return 0, fmt.Errorf("time zone %q: want an offset such as UTC+2 or -05:30", s)
	}
	return sign * (hours*60 + mins), nil
}

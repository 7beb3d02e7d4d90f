package tandem

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Level is how well a person knows a skill, from novice (1) to expert (5).
type Level int

// The skill levels.
const (
	Novice Level = iota + 1
	Beginner
	Intermediate
	Advanced
	Expert
)

var levelNames = []string{"", "novice", "beginner", "intermediate", "advanced", "expert"}

// Levels lists every level from novice to expert.
var Levels = []Level{Novice, Beginner, Intermediate, Advanced, Expert}

// String returns the level's name, as written in CSV files and the API.
func (l Level) String() string {
	if l < Novice || l > Expert {
		return ""
	}
	return levelNames[l]
}

// Label returns the level's name for people.
func (l Level) Label() string {
	s := l.String()
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ParseLevel reads a level name (any case) or its number 1–5.
func ParseLevel(s string) (Level, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i := 1; i < len(levelNames); i++ {
		if s == levelNames[i] || s == string(rune('0'+i)) {
			return Level(i), true
		}
	}
	return 0, false
}

// Skill is an entry of an organization's skill catalogue. Profiles,
// coaching engagements and matching draw skills from it.
type Skill struct {
	ID        int64
	OrgID     int64
	Name      string
	CreatedAt time.Time
	RetiredAt *time.Time // a retired skill stays on profiles but cannot be added anew
	People    int        // how many profiles list it, when counted
}

// Retired reports whether the skill is retired.
func (s *Skill) Retired() bool { return s.RetiredAt != nil }

// SkillKey is the form under which skill names are unique in a catalogue:
// case and surrounding or repeated spaces do not make a new skill.
func SkillKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// CleanSkillName tidies a skill name and returns what is wrong with it, if
// anything.
func CleanSkillName(name string) (string, string) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return name, "Enter the skill's name."
	case utf8.RuneCountInString(name) > 80:
		return name, "Use at most 80 characters."
	case strings.ContainsAny(name, ";:"):
		return name, "Leave out ; and : (they separate skills and levels in CSV files)."
	}
	return name, ""
}

// PersonSkill is a skill on a person's profile.
type PersonSkill struct {
	SkillID int64
	Name    string
	Level   Level
	Coaches bool // the person is open to coach this skill
	Retired bool
}

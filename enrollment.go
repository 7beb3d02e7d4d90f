package tandem

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// QuestionType is the kind of answer a questionnaire question takes.
type QuestionType string

// The question types.
const (
	QuestionSingle    QuestionType = "single"    // one of the options
	QuestionMultiple  QuestionType = "multiple"  // any of the options
	QuestionSkills    QuestionType = "skills"    // skills of the catalogue, each with a level (wanted or offered)
	QuestionLanguages QuestionType = "languages" // languages spoken
	QuestionTimeZone  QuestionType = "time_zone" // an IANA time zone
	QuestionText      QuestionType = "text"      // free text
	QuestionScale     QuestionType = "scale"     // 1 to 5
)

// QuestionTypes lists the types.
var QuestionTypes = []QuestionType{QuestionSingle, QuestionMultiple, QuestionSkills, QuestionLanguages, QuestionTimeZone, QuestionText, QuestionScale}

// Label names the type for people.
func (t QuestionType) Label() string {
	switch t {
	case QuestionSingle:
		return "Single choice"
	case QuestionMultiple:
		return "Multiple choice"
	case QuestionSkills:
		return "Skills from the catalogue, with level"
	case QuestionLanguages:
		return "Languages"
	case QuestionTimeZone:
		return "Time zone"
	case QuestionText:
		return "Free text"
	case QuestionScale:
		return "Scale from 1 to 5"
	}
	return string(t)
}

// Rule is how a question's answers make a mentor and a mentee a good
// match, when the question is a matching criterion.
type Rule string

// The matching rules.
const (
	RuleNone        Rule = ""             // not a criterion
	RuleMustShare   Rule = "must_share"   // hard: a pair must share at least one answer
	RuleSame        Rule = "same"         // the same answer scores
	RuleDifferent   Rule = "different"    // a different answer scores ("a different department")
	RuleOverlap     Rule = "overlap"      // the more answers in common, the more it scores
	RuleMentorAbove Rule = "mentor_above" // the mentor's level or scale is above the mentee's
	RuleWithinHours Rule = "within_hours" // time zones at most Hours apart
)

// Rules lists the rules (not RuleNone).
var Rules = []Rule{RuleMustShare, RuleSame, RuleDifferent, RuleOverlap, RuleMentorAbove, RuleWithinHours}

// Label names the rule for people.
func (r Rule) Label() string {
	switch r {
	case RuleNone:
		return "Not a matching criterion"
	case RuleMustShare:
		return "Must share (hard rule)"
	case RuleSame:
		return "Same answer"
	case RuleDifferent:
		return "Different answer"
	case RuleOverlap:
		return "Answers overlap"
	case RuleMentorAbove:
		return "Mentor above mentee"
	case RuleWithinHours:
		return "Within N hours"
	}
	return string(r)
}

// RulesFor lists the rules that make sense for a question type.
func RulesFor(t QuestionType) []Rule {
	switch t {
	case QuestionSingle:
		return []Rule{RuleMustShare, RuleSame, RuleDifferent}
	case QuestionMultiple, QuestionLanguages:
		return []Rule{RuleMustShare, RuleOverlap, RuleDifferent}
	case QuestionSkills:
		return []Rule{RuleMustShare, RuleOverlap, RuleMentorAbove}
	case QuestionTimeZone:
		return []Rule{RuleSame, RuleWithinHours}
	case QuestionScale:
		return []Rule{RuleSame, RuleDifferent, RuleMentorAbove}
	}
	return nil
}

// Limits on questions.
const (
	MaxQuestions      = 40
	MaxQuestionLabel  = 200
	MaxQuestionHelp   = 500
	MaxOptions        = 30
	MaxOptionLength   = 80
	MaxWeight         = 10
	MaxHoursApart     = 12
	MaxAnswerText     = 2000
	MaxAnswerSkills   = 10
	MaxAnswerLanguage = 10
)

// Question is one question of a program's enrollment questionnaire.
type Question struct {
	ID        int64
	ProgramID int64
	Position  int
	Type      QuestionType
	Label     string
	Help      string
	Options   []string // single and multiple choice
	Required  bool
	// The matching criterion, when Rule is set: Weight from 0 to 10 (a
	// must-share rule is hard and its weight only breaks ties), Hours for
	// within_hours.
	Rule   Rule
	Weight int
	Hours  int
	// Answers is how many applications answered it, when read.
	Answers int
}

// Criterion reports whether the question is a matching criterion.
func (q *Question) Criterion() bool { return q.Rule != RuleNone }

// Validate tidies the question and reports EINVALID with a field error for
// each problem.
func (q *Question) Validate() error {
	var fe FieldErrors
	if !slices.Contains(QuestionTypes, q.Type) {
		fe.Add("type", "Choose single, multiple, skills, languages, time_zone, text or scale.")
	}
	q.Label = strings.Join(strings.Fields(q.Label), " ")
	switch {
	case q.Label == "":
		fe.Add("label", "Enter the question.")
	case utf8.RuneCountInString(q.Label) > MaxQuestionLabel:
		fe.Add("label", fmt.Sprintf("Use at most %d characters.", MaxQuestionLabel))
	}
	q.Help = strings.TrimSpace(q.Help)
	if utf8.RuneCountInString(q.Help) > MaxQuestionHelp {
		fe.Add("help", fmt.Sprintf("Use at most %d characters.", MaxQuestionHelp))
	}
	if q.Type == QuestionSingle || q.Type == QuestionMultiple {
		var opts []string
		seen := map[string]bool{}
		for _, o := range q.Options {
			o = strings.Join(strings.Fields(o), " ")
			if o == "" {
				continue
			}
			if seen[strings.ToLower(o)] {
				fe.Add("options", fmt.Sprintf("%q is listed twice.", o))
				continue
			}
			seen[strings.ToLower(o)] = true
			if utf8.RuneCountInString(o) > MaxOptionLength || strings.Contains(o, ";") {
				fe.Add("options", fmt.Sprintf("Keep each option under %d characters, without ;.", MaxOptionLength))
			}
			opts = append(opts, o)
		}
		q.Options = opts
		switch {
		case len(q.Options) < 2:
			fe.Add("options", "Give at least two options, one per line.")
		case len(q.Options) > MaxOptions:
			fe.Add("options", fmt.Sprintf("Give at most %d options.", MaxOptions))
		}
	} else {
		q.Options = nil
	}
	if q.Rule != RuleNone {
		if !slices.Contains(RulesFor(q.Type), q.Rule) {
			if q.Type == QuestionText {
				fe.Add("rule", "Free text is not a matching criterion.")
			} else {
				names := make([]string, 0, 3)
				for _, r := range RulesFor(q.Type) {
					names = append(names, string(r))
				}
				fe.Add("rule", fmt.Sprintf("For this question choose %s.", strings.Join(names, ", ")))
			}
		}
		if q.Weight < 0 || q.Weight > MaxWeight {
			fe.Add("weight", fmt.Sprintf("Enter a weight from 0 to %d.", MaxWeight))
		}
		if q.Rule == RuleWithinHours && (q.Hours < 1 || q.Hours > MaxHoursApart) {
			fe.Add("hours", fmt.Sprintf("Enter how many hours apart, from 1 to %d.", MaxHoursApart))
		}
		if q.Rule != RuleWithinHours {
			q.Hours = 0
		}
	} else {
		q.Weight, q.Hours = 0, 0
	}
	return fe.Err()
}

// CheckChange returns ECONFLICT with the reason when a question that has
// answers would change in a way that changes what the answers mean: its
// type, its wording, or an option taken away or renamed. Answers are kept
// as they were given, so such a change is refused rather than versioned;
// adding options, the help text, whether it is required and the matching
// criterion (weight, rule, hours) may change at any time, as they do not
// change what anyone answered.
func (q *Question) CheckChange(next *Question) error {
	if q.Answers == 0 {
		return nil
	}
	why := ""
	switch {
	case next.Type != q.Type:
		why = "its type"
	case next.Label != q.Label:
		why = "its wording"
	default:
		for _, o := range q.Options {
			if !slices.Contains(next.Options, o) {
				why = fmt.Sprintf("the option %q", o)
				break
			}
		}
	}
	if why == "" {
		return nil
	}
	return Errorf(ECONFLICT, "%d people have answered this question, so %s cannot change: their answers would then mean something else. Add a new question instead (options may be added, and the matching weight and rule may change).", q.Answers, why)
}

// Answer is one application's answer to one question. Which field holds
// it depends on the question's type.
type Answer struct {
	Choices []string      `json:"choices,omitempty"` // single (one), multiple, languages
	Skills  []AnswerSkill `json:"skills,omitempty"`
	Text    string        `json:"text,omitempty"` // free text, time zone
	Scale   int           `json:"scale,omitempty"`
}

// AnswerSkill is a skill of the catalogue with the level offered (a
// mentor) or wanted (a mentee).
type AnswerSkill struct {
	SkillID int64  `json:"skill_id"`
	Name    string `json:"name"`
	Level   Level  `json:"level"`
}

// Empty reports whether the answer says nothing.
func (a Answer) Empty() bool {
	return len(a.Choices) == 0 && len(a.Skills) == 0 && a.Text == "" && a.Scale == 0
}

// String writes the answer for people and for CSV files: choices and
// languages joined with ;, skills as name:level.
func (a Answer) String() string {
	switch {
	case len(a.Skills) > 0:
		parts := make([]string, len(a.Skills))
		for i, s := range a.Skills {
			parts[i] = s.Name + ":" + s.Level.String()
		}
		return JoinList(parts)
	case len(a.Choices) > 0:
		return JoinList(a.Choices)
	case a.Scale > 0:
		return strconv.Itoa(a.Scale)
	}
	return a.Text
}

// CheckAnswer tidies an answer to the question and returns what is wrong
// with it, or "". Skills must already carry their catalogue ids
// (resolved by the store); here only their levels and count are checked.
func (q *Question) CheckAnswer(a *Answer) string {
	if a.Empty() {
		if q.Required {
			return "Answer this question."
		}
		return ""
	}
	switch q.Type {
	case QuestionSingle:
		if len(a.Choices) != 1 || !slices.Contains(q.Options, a.Choices[0]) {
			return "Choose one of the options."
		}
	case QuestionMultiple:
		for _, c := range a.Choices {
			if !slices.Contains(q.Options, c) {
				return fmt.Sprintf("%q is not one of the options.", c)
			}
		}
		a.Choices = slices.Compact(a.Choices)
	case QuestionLanguages:
		var msg string
		if a.Choices, msg = CleanList(a.Choices); msg != "" {
			return msg
		}
		if len(a.Choices) > MaxAnswerLanguage {
			return fmt.Sprintf("List at most %d languages.", MaxAnswerLanguage)
		}
	case QuestionSkills:
		if len(a.Skills) > MaxAnswerSkills {
			return fmt.Sprintf("Choose at most %d skills.", MaxAnswerSkills)
		}
		seen := map[int64]bool{}
		for _, s := range a.Skills {
			if s.Level < Novice || s.Level > Expert {
				return fmt.Sprintf("Choose a level from novice to expert for %s.", s.Name)
			}
			if seen[s.SkillID] {
				return fmt.Sprintf("%s is listed twice.", s.Name)
			}
			seen[s.SkillID] = true
		}
	case QuestionTimeZone:
		a.Text = strings.TrimSpace(a.Text)
		if msg := CheckTimeZone(a.Text); msg != "" {
			return msg
		}
	case QuestionText:
		a.Text = strings.TrimSpace(a.Text)
		if utf8.RuneCountInString(a.Text) > MaxAnswerText {
			return fmt.Sprintf("Use at most %d characters.", MaxAnswerText)
		}
	case QuestionScale:
		if a.Scale < 1 || a.Scale > 5 {
			return "Choose from 1 to 5."
		}
	}
	if q.Type != QuestionSingle && q.Type != QuestionMultiple && q.Type != QuestionLanguages {
		a.Choices = nil
	}
	if q.Type != QuestionSkills {
		a.Skills = nil
	}
	if q.Type != QuestionText && q.Type != QuestionTimeZone {
		a.Text = ""
	}
	if q.Type != QuestionScale {
		a.Scale = 0
	}
	return ""
}

// ParseAnswer reads an answer written as text (a form field, a CSV cell):
// choices and languages separated by ;, skills as name:level;name:level
// (names are resolved against the catalogue by the caller), a scale as a
// number.
func (q *Question) ParseAnswer(s string) (Answer, string) {
	s = strings.TrimSpace(s)
	var a Answer
	if s == "" {
		return a, ""
	}
	switch q.Type {
	case QuestionSingle:
		a.Choices = []string{s}
	case QuestionMultiple, QuestionLanguages:
		a.Choices = SplitList(s)
	case QuestionSkills:
		for _, part := range SplitList(s) {
			name, lv, _ := strings.Cut(part, ":")
			level, ok := ParseLevel(lv)
			if !ok {
				return a, fmt.Sprintf("Write each skill as name:level, such as Negotiation:advanced (%q).", part)
			}
			a.Skills = append(a.Skills, AnswerSkill{Name: strings.TrimSpace(name), Level: level})
		}
	case QuestionScale:
		n, err := strconv.Atoi(s)
		if err != nil {
			return a, "Choose from 1 to 5."
		}
		a.Scale = n
	default:
		a.Text = s
	}
	return a, ""
}

// ApplicationRole is the side a person enrolls on.
type ApplicationRole string

// The sides.
const (
	AsMentor ApplicationRole = "mentor"
	AsMentee ApplicationRole = "mentee"
)

// ApplicationStatus is where an application is.
type ApplicationStatus string

// The application statuses.
const (
	AppSubmitted ApplicationStatus = "submitted" // waiting for the program admin
	AppApproved  ApplicationStatus = "approved"
	AppDeclined  ApplicationStatus = "declined"
	AppWithdrawn ApplicationStatus = "withdrawn" // by the applicant
)

// ApplicationStatuses lists the statuses.
var ApplicationStatuses = []ApplicationStatus{AppSubmitted, AppApproved, AppDeclined, AppWithdrawn}

// Label names the status for people.
func (s ApplicationStatus) Label() string {
	switch s {
	case AppSubmitted:
		return "Waiting for a decision"
	case AppApproved:
		return "Approved"
	case AppDeclined:
		return "Declined"
	case AppWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// Application is one person's enrollment in a program.
type Application struct {
	ID        int64
	ProgramID int64
	Person    PersonRef
	Role      ApplicationRole
	// Capacity is how many mentees a mentor takes (1 to 20); 0 for a mentee.
	Capacity int
	Status   ApplicationStatus
	// Answers by question id.
	Answers   map[int64]Answer
	CreatedAt time.Time
	UpdatedAt time.Time
	DecidedAt *time.Time
}

// Validate checks the role, the capacity and every answer against the
// questionnaire, tidying the answers; field errors name "role",
// "capacity" and "q<id>" for a question.
func (ap *Application) Validate(questions []Question) error {
	var fe FieldErrors
	switch ap.Role {
	case AsMentor:
		if ap.Capacity < MinCapacity || ap.Capacity > MaxMentorCapacity {
			fe.Add("capacity", capacityMessage)
		}
	case AsMentee:
		ap.Capacity = 0
	default:
		fe.Add("role", "Choose to enroll as a mentor or as a mentee.")
	}
	answers := map[int64]Answer{}
	for _, q := range questions {
		a := ap.Answers[q.ID]
		if msg := q.CheckAnswer(&a); msg != "" {
			fe.Add(QuestionField(q.ID), msg)
			continue
		}
		if !a.Empty() {
			answers[q.ID] = a
		}
	}
	for id := range ap.Answers {
		if !slices.ContainsFunc(questions, func(q Question) bool { return q.ID == id }) {
			fe.Add(QuestionField(id), "This question is not part of the questionnaire.")
		}
	}
	ap.Answers = answers
	return fe.Err()
}

// QuestionField is the field name of a question's answer in forms, the
// API's errors and CSV headers' errors: "q" and the question's id.
func QuestionField(id int64) string { return "q" + strconv.FormatInt(id, 10) }

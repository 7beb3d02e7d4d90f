package tandem

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A program is a cohort that an organization runs: people enroll as
// mentors or mentees through its questionnaire, and its program admins
// match them (or, for a coaching program, draw on the organization's
// coaches by skill). A program moves draft → enrolling → matching →
// running → closed; each state allows only some work (ProgramState.Allows).

// ProgramState is where a program is in its life.
type ProgramState string

// The program states, in order.
const (
	ProgramDraft     ProgramState = "draft"     // being prepared; only its admins see it
	ProgramEnrolling ProgramState = "enrolling" // people apply, edit and withdraw
	ProgramMatching  ProgramState = "matching"  // enrollment closed; the admins match the cohort
	ProgramRunning   ProgramState = "running"   // the partnerships are under way
	ProgramClosed    ProgramState = "closed"    // over: nothing new
)

// ProgramStates lists the states in order.
var ProgramStates = []ProgramState{ProgramDraft, ProgramEnrolling, ProgramMatching, ProgramRunning, ProgramClosed}

// ValidProgramState reports whether s is a state.
func ValidProgramState(s ProgramState) bool { return slices.Contains(ProgramStates, s) }

// Label names the state for people.
func (s ProgramState) Label() string {
	switch s {
	case ProgramDraft:
		return "Draft"
	case ProgramEnrolling:
		return "Enrolling"
	case ProgramMatching:
		return "Matching"
	case ProgramRunning:
		return "Running"
	case ProgramClosed:
		return "Closed"
	}
	return string(s)
}

// Next returns the states a program in s may move to: the next one, and
// closed from any open state (a program may be called off).
func (s ProgramState) Next() []ProgramState {
	switch s {
	case ProgramDraft:
		return []ProgramState{ProgramEnrolling, ProgramClosed}
	case ProgramEnrolling:
		return []ProgramState{ProgramMatching, ProgramClosed}
	case ProgramMatching:
		return []ProgramState{ProgramRunning, ProgramClosed}
	case ProgramRunning:
		return []ProgramState{ProgramClosed}
	}
	return nil
}

// CheckMove returns EINVALID (field "state") when a program in s may not
// move to to, naming the moves it may make.
func (s ProgramState) CheckMove(to ProgramState) error {
	if !ValidProgramState(to) {
		return fieldError("state", fmt.Sprintf("Choose one of %s.", joinStates(ProgramStates)))
	}
	if slices.Contains(s.Next(), to) {
		return nil
	}
	if s == ProgramClosed {
		return fieldError("state", "The program is closed; it cannot move any more.")
	}
	if to == s {
		return fieldError("state", fmt.Sprintf("The program is already %s.", s))
	}
	return fieldError("state", fmt.Sprintf("A program that is %s moves to %s, not to %s.", s, joinStates(s.Next()), to))
}

func joinStates(ss []ProgramState) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func fieldError(field, msg string) error {
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

// ProgramWork is something done in a program that only some states allow.
type ProgramWork string

// The kinds of work the states gate.
const (
	WorkEnroll    ProgramWork = "enroll"    // apply or edit an application
	WorkWithdraw  ProgramWork = "withdraw"  // withdraw one's application, until partnerships are made
	WorkDecide    ProgramWork = "decide"    // approve or decline an application
	WorkQuestions ProgramWork = "questions" // add, change or remove questions
	WorkMatch     ProgramWork = "match"     // run the cohort matching
	WorkPair      ProgramWork = "pair"      // create partnerships from the program
)

// Allows reports whether a program in state s allows the work, and when
// not, why (a sentence for people).
func (s ProgramState) Allows(w ProgramWork) (bool, string) {
	ok := false
	switch w {
	case WorkEnroll:
		ok = s == ProgramEnrolling
	case WorkDecide, WorkWithdraw:
		ok = s == ProgramEnrolling || s == ProgramMatching
	case WorkQuestions:
		ok = s == ProgramDraft || s == ProgramEnrolling
	case WorkMatch:
		ok = s == ProgramMatching
	case WorkPair:
		ok = s == ProgramMatching || s == ProgramRunning
	}
	if ok {
		return true, ""
	}
	switch {
	case s == ProgramClosed:
		return false, "The program is closed."
	case w == WorkEnroll && s == ProgramDraft:
		return false, "Enrollment has not opened yet."
	case w == WorkEnroll:
		return false, "Enrollment has closed."
	case (w == WorkDecide || w == WorkWithdraw) && s == ProgramDraft:
		return false, "Enrollment has not opened yet."
	case w == WorkWithdraw:
		return false, "The cohort has been matched and the partnerships made; talk to your partner or the program admin instead."
	case w == WorkDecide:
		return false, "Applications are decided while the program is enrolling or matching."
	case w == WorkQuestions:
		return false, "The questionnaire is fixed once enrollment has closed."
	case w == WorkMatch && (s == ProgramDraft || s == ProgramEnrolling):
		return false, "Matching starts when enrollment closes: move the program to matching first."
	case w == WorkMatch:
		return false, "The cohort has been matched; the program is running."
	case w == WorkPair:
		return false, "Partnerships come from the program once it is matching."
	}
	return false, "The program does not allow this now."
}

// CheckAllows returns ECONFLICT with the reason when the state does not
// allow the work.
func (s ProgramState) CheckAllows(w ProgramWork) error {
	if ok, why := s.Allows(w); !ok {
		return Errorf(ECONFLICT, "%s", why)
	}
	return nil
}

// Eligibility says who may enroll in a program.
type Eligibility string

// Who may enroll.
const (
	EnrollEveryone    Eligibility = "everyone"    // every member (guests never)
	EnrollDepartments Eligibility = "departments" // members of the listed departments
	EnrollLocations   Eligibility = "locations"   // members at the listed locations
	EnrollList        Eligibility = "list"        // the listed email addresses
)

// Eligibilities lists the choices.
var Eligibilities = []Eligibility{EnrollEveryone, EnrollDepartments, EnrollLocations, EnrollList}

// Label names the choice for people.
func (e Eligibility) Label() string {
	switch e {
	case EnrollEveryone:
		return "Everyone in the organization"
	case EnrollDepartments:
		return "Selected departments"
	case EnrollLocations:
		return "Selected locations"
	case EnrollList:
		return "A list of people"
	}
	return string(e)
}

// Program is a cohort program of an organization.
type Program struct {
	ID          int64
	OrgID       int64
	Name        string
	Description string // shown to the people who may enroll
	Kind        Kind   // mentoring; coaching programs draw on the organization's coaches by skill
	State       ProgramState
	Eligibility Eligibility
	// Eligible lists the departments, locations or email addresses
	// Eligibility names; empty for everyone.
	Eligible []string
	// Dates, as YYYY-MM-DD; empty when not set. Enrollment is open from
	// EnrollOpens to EnrollCloses inclusive, in UTC.
	EnrollOpens, EnrollCloses, MatchingOn, EndsOn, FirstReviewOn string
	// MentorCapacity is the default number of mentees a mentor takes.
	MentorCapacity int
	// Areas are the development areas in scope (mentoring).
	Areas []Area
	// Admins run the program: its program admins, named by an
	// administrator. Set by the store when read.
	Admins    []PersonRef
	CreatedAt time.Time
	// Counts, when listed: applications by status.
	Applications map[ApplicationStatus]int
}

// Limits on program fields.
const (
	MaxProgramName        = 120
	MaxProgramDescription = 4000
	MaxEligible           = 500
	MaxProgramAdmins      = 20
)

// DateLayout is how program dates are written.
const DateLayout = "2006-01-02"

// Validate tidies the program and reports EINVALID with a field error for
// each problem. Field names are those of the forms and the API.
func (p *Program) Validate() error {
	var fe FieldErrors
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	switch {
	case p.Name == "":
		fe.Add("name", "Enter the program's name.")
	case utf8.RuneCountInString(p.Name) > MaxProgramName:
		fe.Add("name", fmt.Sprintf("Use at most %d characters.", MaxProgramName))
	}
	p.Description = strings.TrimSpace(p.Description)
	if utf8.RuneCountInString(p.Description) > MaxProgramDescription {
		fe.Add("description", fmt.Sprintf("Use at most %d characters.", MaxProgramDescription))
	}
	if p.Kind == "" {
		p.Kind = Mentoring
	}
	if p.Kind != Mentoring && p.Kind != Coaching {
		fe.Add("kind", "Choose mentoring or coaching.")
	}
	if p.State == "" {
		p.State = ProgramDraft
	}
	if p.Eligibility == "" {
		p.Eligibility = EnrollEveryone
	}
	if !slices.Contains(Eligibilities, p.Eligibility) {
		fe.Add("eligibility", "Choose everyone, departments, locations or list.")
	}
	var clean []string
	seen := map[string]bool{}
	for _, v := range p.Eligible {
		v = strings.Join(strings.Fields(v), " ")
		if p.Eligibility == EnrollList {
			v = NormalizeEmail(v)
		}
		if v == "" || seen[strings.ToLower(v)] {
			continue
		}
		seen[strings.ToLower(v)] = true
		if p.Eligibility == EnrollList {
			if msg := CheckEmail(v); msg != "" {
				fe.Add("eligible", fmt.Sprintf("%s: %s", v, msg))
			}
		} else if utf8.RuneCountInString(v) > MaxProfileField {
			fe.Add("eligible", fmt.Sprintf("Use at most %d characters per entry.", MaxProfileField))
		}
		clean = append(clean, v)
	}
	p.Eligible = clean
	switch {
	case p.Eligibility == EnrollEveryone:
		p.Eligible = nil
	case len(p.Eligible) == 0:
		fe.Add("eligible", fmt.Sprintf("List the %s who may enroll.", map[Eligibility]string{EnrollDepartments: "departments",
			EnrollLocations: "locations", EnrollList: "email addresses of the people"}[p.Eligibility]))
	case len(p.Eligible) > MaxEligible:
		fe.Add("eligible", fmt.Sprintf("List at most %d entries; for more, use departments or locations.", MaxEligible))
	}
	dates := []struct {
		field string
		v     *string
	}{{"enroll_opens", &p.EnrollOpens}, {"enroll_closes", &p.EnrollCloses}, {"matching_on", &p.MatchingOn},
		{"ends_on", &p.EndsOn}, {"first_review_on", &p.FirstReviewOn}}
	parsed := map[string]time.Time{}
	for _, d := range dates {
		*d.v = strings.TrimSpace(*d.v)
		if *d.v == "" {
			continue
		}
		t, err := time.Parse(DateLayout, *d.v)
		if err != nil {
			fe.Add(d.field, "Enter a date as YYYY-MM-DD.")
			continue
		}
		parsed[d.field] = t
	}
	// Each date comes after the ones before it, when both are set.
	order := []struct{ before, after, msg string }{
		{"enroll_opens", "enroll_closes", "Enrollment closes on or after it opens."},
		{"enroll_closes", "matching_on", "Matching comes on or after enrollment closes."},
		{"matching_on", "ends_on", "The program ends after matching."},
		{"enroll_closes", "ends_on", "The program ends after enrollment closes."},
		{"matching_on", "first_review_on", "The first review comes on or after matching."},
		{"first_review_on", "ends_on", "The first review comes before the program ends."},
	}
	for _, o := range order {
		b, okb := parsed[o.before]
		a, oka := parsed[o.after]
		if okb && oka && a.Before(b) {
			fe.Add(o.after, o.msg)
		}
	}
	if p.MentorCapacity == 0 {
		p.MentorCapacity = 1
	}
	if p.MentorCapacity < MinCapacity || p.MentorCapacity > MaxMentorCapacity {
		fe.Add("mentor_capacity", capacityMessage)
	}
	var areas []Area
	for _, a := range p.Areas {
		if !slices.Contains(Areas, a) {
			fe.Add("areas", fmt.Sprintf("%q is not a development area; choose from career, skills, ethics, wellbeing and purpose.", a))
			continue
		}
		if !slices.Contains(areas, a) {
			areas = append(areas, a)
		}
	}
	p.Areas = areas
	if len(p.Areas) == 0 {
		p.Areas = slices.Clone(Areas)
	}
	return fe.Err()
}

// MinCapacity is the fewest mentees a mentor may offer to take in a
// program; MaxMentorCapacity (20) is the most, as on profiles: more than
// twenty partnerships at once is not mentoring anyone.
const MinCapacity = 1

var capacityMessage = fmt.Sprintf("Enter how many mentees at once, from %d to %d.", MinCapacity, MaxMentorCapacity)

// EnrollmentOpenOn reports whether the program's dates let people enroll
// on day (UTC), and when not, why. The state is checked separately.
func (p *Program) EnrollmentOpenOn(day time.Time) (bool, string) {
	d := day.UTC().Format(DateLayout)
	if p.EnrollOpens != "" && d < p.EnrollOpens {
		return false, fmt.Sprintf("Enrollment opens on %s.", p.EnrollOpens)
	}
	if p.EnrollCloses != "" && d > p.EnrollCloses {
		return false, fmt.Sprintf("Enrollment closed on %s.", p.EnrollCloses)
	}
	return true, ""
}

// CheckEnroll returns ECONFLICT with the reason when nobody may apply,
// edit or withdraw now: the state and the enrollment dates.
func (p *Program) CheckEnroll(now time.Time) error {
	if err := p.State.CheckAllows(WorkEnroll); err != nil {
		return err
	}
	if ok, why := p.EnrollmentOpenOn(now); !ok {
		return Errorf(ECONFLICT, "%s", why)
	}
	return nil
}

// MayEnroll reports whether the person may enroll, by the program's
// eligibility. Guests (external coaches) never enroll.
func (p *Program) MayEnroll(person *Person) bool {
	if person == nil || person.Guest {
		return false
	}
	has := func(v string) bool {
		v = strings.ToLower(strings.Join(strings.Fields(v), " "))
		return v != "" && slices.ContainsFunc(p.Eligible, func(e string) bool { return strings.ToLower(e) == v })
	}
	switch p.Eligibility {
	case EnrollEveryone:
		return true
	case EnrollDepartments:
		return has(person.Department)
	case EnrollLocations:
		return has(person.Location)
	case EnrollList:
		return has(person.Email)
	}
	return false
}

// IsAdmin reports whether the person is one of the program's admins.
func (p *Program) IsAdmin(personID int64) bool {
	return slices.ContainsFunc(p.Admins, func(r PersonRef) bool { return r.ID == personID })
}

// ProgramViewerOf returns how a person relates to a program (see the
// program matrix in visibility.go): running it comes first, then the
// administrator's role, then an application, then being able to enroll
// in a program that is open to people.
func (p *Program) ViewerOf(person *Person, applied bool) Viewer {
	switch {
	case person == nil:
		return ViewerNone
	case person.Guest:
		// A guest is never named, never enrolls: the program is not theirs.
		return ViewerNone
	case p.IsAdmin(person.ID):
		return ViewerProgramAdmin
	case person.Role == RoleAdmin:
		return ViewerAdmin
	case applied:
		return ViewerApplicant
	case p.State != ProgramDraft && p.MayEnroll(person):
		return ViewerEligible
	}
	return ViewerNone
}

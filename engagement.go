package tandem

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind tells a coaching engagement from a mentoring partnership. They are
// one table and one type because they share the outcome agreement, the
// parties and the timeline, but every rule that differs is decided by Kind
// in this file, never by a label in a template.
type Kind string

// The two relationship kinds.
const (
	Coaching  Kind = "coaching"
	Mentoring Kind = "mentoring"
)

// Label names the kind for people.
func (k Kind) Label() string {
	if k == Coaching {
		return "Coaching engagement"
	}
	return "Mentoring partnership"
}

// GuideLabel names the coach or mentor.
func (k Kind) GuideLabel() string {
	if k == Coaching {
		return "Coach"
	}
	return "Mentor"
}

// LearnerLabel names the coachee or protégé.
func (k Kind) LearnerLabel() string {
	if k == Coaching {
		return "Coachee"
	}
	return "Protégé"
}

// Status is where an engagement is in its life.
type Status string

// Statuses. A draft becomes active when every required party has agreed to
// the same version of its agreement; coaching expires on its own after its
// end date; either side may end an engagement early.
const (
	StatusDraft   Status = "draft"
	StatusActive  Status = "active"
	StatusEnded   Status = "ended"
	StatusExpired Status = "expired"
)

// Closed reports whether the engagement is over: ended or expired.
// Closed engagements are read-only.
func (s Status) Closed() bool { return s == StatusEnded || s == StatusExpired }

// Phase is a stage of a mentoring relationship as Kathy Kram described it.
// Partners may move forward or back.
type Phase string

// The phases, in their usual order.
const (
	PhaseInitiation   Phase = "initiation"
	PhaseCultivation  Phase = "cultivation"
	PhaseSeparation   Phase = "separation"
	PhaseRedefinition Phase = "redefinition"
)

// Phases lists the phases in order.
var Phases = []Phase{PhaseInitiation, PhaseCultivation, PhaseSeparation, PhaseRedefinition}

// ValidPhase reports whether p is a phase.
func ValidPhase(p Phase) bool {
	for _, q := range Phases {
		if p == q {
			return true
		}
	}
	return false
}

// Area is a development area a mentoring partnership may cover: the whole
// person, not one skill.
type Area string

// The development areas.
const (
	AreaCareer    Area = "career"
	AreaSkills    Area = "skills"
	AreaEthics    Area = "ethics"
	AreaWellbeing Area = "wellbeing"
	AreaPurpose   Area = "purpose"
)

// Areas lists every development area; a partnership covers all by default.
var Areas = []Area{AreaCareer, AreaSkills, AreaEthics, AreaWellbeing, AreaPurpose}

// Label names the area for people.
func (a Area) Label() string {
	switch a {
	case AreaCareer:
		return "Career"
	case AreaSkills:
		return "Skills and craft"
	case AreaEthics:
		return "Ethics and values"
	case AreaWellbeing:
		return "Wellbeing, mental and physical"
	case AreaPurpose:
		return "Purpose"
	}
	return string(a)
}

// Party is a role in an engagement's outcome agreement.
type Party string

// The parties. The manager is the learner's manager when the engagement was
// proposed.
const (
	PartyLearner Party = "learner"
	PartyGuide   Party = "guide"
	PartyManager Party = "manager"
)

// Date is a calendar day, written YYYY-MM-DD, with no time zone: an
// engagement ends on a day, wherever its parties are.
type Date string

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", false
	}
	return Date(s), true
}

// DateOf returns the calendar day of t in UTC.
func DateOf(t time.Time) Date { return Date(t.UTC().Format(time.DateOnly)) }

// Time returns the start of the day in UTC.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// AddMonths returns the day n months later.
func (d Date) AddMonths(n int) Date { return DateOf(d.Time().AddDate(0, n, 0)) }

// Format writes the date for people, as "2 March 2026".
func (d Date) Format() string {
	if d == "" {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// Agreement is one version of an engagement's outcome agreement: "unless
// you, your boss, and your mentor or coach clarify desired outcomes, there
// may not be any". Every version is kept.
type Agreement struct {
	Version         int
	Outcomes        []string // desired outcomes; at least one
	Cadence         string   // how often the partners meet
	Channels        string   // in person, video, chat…
	Confidentiality string
	ReviewMethod    string // how progress is reviewed
	ExitTerms       string // how either side may end it without fault
	// Coaching only: the skill, the time frame and how progress is evaluated.
	SkillID          int64
	SkillName        string
	Start, End       Date
	EvaluationMethod string
	CreatedBy        int64
	CreatedByName    string
	CreatedAt        time.Time
}

// Response is a party's answer to one version of an agreement.
type Response struct {
	Version    int
	PersonID   int64
	PersonName string
	Party      Party
	Agreed     bool // false: asked for changes
	Comment    string
	At         time.Time
}

// Engagement is a coaching engagement or a mentoring partnership.
type Engagement struct {
	ID     int64
	OrgID  int64
	Kind   Kind
	Status Status

	Learner PersonRef // coachee or protégé
	Guide   PersonRef // coach or mentor
	// Manager is the learner's manager when the engagement was proposed,
	// a party to the agreement; ID 0 when the learner has none.
	Manager         PersonRef
	ManagerRequired bool

	// Coaching.
	SkillID   int64
	SkillName string
	Setting   string
	Start     Date
	End       Date
	// PreviousID links a coaching engagement to the one for the same skill
	// it moved on from; ShareHistory is the coachee's permission for the
	// new coach to read the old one.
	PreviousID   int64
	ShareHistory bool

	// Mentoring.
	Areas        []Area
	Phase        Phase
	ReviewMonths int
	NextReview   Date
	// ReversalBy is the partner who proposed swapping roles, 0 for none.
	ReversalBy int64
	// Exception is an administrator's recorded reason for allowing a
	// partnership inside the management chain.
	Exception   string
	ExceptionBy PersonRef
	// InChain reports, for mentoring, that the partners are in one
	// management chain in the org chart as it stands: reporting lines
	// change after a partnership starts.
	InChain bool
	// ProgramID is the program that proposed the partnership (a published
	// run or an accepted request), 0 for none; ProgramName names it.
	ProgramID   int64
	ProgramName string

	CurrentVersion int // the newest agreement version
	AgreedVersion  int // the version in effect, 0 before activation
	CreatedBy      int64
	CreatedAt      time.Time
	ActivatedAt    *time.Time
	EndedAt        *time.Time
	EndedOn        Date // the day it ended or expired
	EndReason      string
	EndedBy        PersonRef
}

// Title names the engagement in lists: the kind and the two people.
func (e *Engagement) Title() string {
	if e.Kind == Coaching {
		return fmt.Sprintf("Coaching in %s: %s with %s", e.SkillName, e.Learner.Name, e.Guide.Name)
	}
	return fmt.Sprintf("Mentoring: %s with %s", e.Learner.Name, e.Guide.Name)
}

// PartyOf returns the party a person is in the agreement, or "".
func (e *Engagement) PartyOf(personID int64) Party {
	switch personID {
	case 0:
		return ""
	case e.Learner.ID:
		return PartyLearner
	case e.Guide.ID:
		return PartyGuide
	case e.Manager.ID:
		return PartyManager
	}
	return ""
}

// ManagerGone reports an open engagement whose manager party has left the
// organization. A version waiting for their answer cannot take effect
// until the learner has a new manager (or none), who then takes the
// leaver's place (sqldb.handOverFromLeavers): an administrator sets it.
func (e *Engagement) ManagerGone() bool {
	return e.Manager.ID != 0 && e.Manager.Left && !e.Status.Closed()
}

// IsPartner reports whether the person is the learner or the guide.
func (e *Engagement) IsPartner(personID int64) bool {
	p := e.PartyOf(personID)
	return p == PartyLearner || p == PartyGuide
}

// Partner returns the other partner.
func (e *Engagement) Partner(personID int64) PersonRef {
	if personID == e.Learner.ID {
		return e.Guide
	}
	return e.Learner
}

// RequiredParties lists who must agree: the learner, the guide, and the
// manager when there is one and the organization requires them.
func (e *Engagement) RequiredParties() []Party {
	ps := []Party{PartyLearner, PartyGuide}
	if e.Manager.ID != 0 && e.ManagerRequired {
		ps = append(ps, PartyManager)
	}
	return ps
}

// Waiting returns the required parties who have not agreed to the
// current version, given every answer to the agreement.
func (e *Engagement) Waiting(responses []Response) []Party {
	agreed := map[Party]bool{}
	for _, r := range responses {
		if r.Version == e.CurrentVersion && r.Agreed {
			agreed[r.Party] = true
		}
	}
	var out []Party
	for _, p := range e.RequiredParties() {
		if !agreed[p] {
			out = append(out, p)
		}
	}
	return out
}

// Settings are an organization's rules for engagements.
type Settings struct {
	// CoachingMaxMonths is the longest a coaching engagement may run.
	CoachingMaxMonths int
	// ReviewMonths is how often a mentoring partnership has a review point.
	ReviewMonths int
	// MentoringManagerOptional lets mentoring start without the protégé's
	// manager agreeing (the manager is still asked).
	MentoringManagerOptional bool
	// StalledDays is how long without a held session marks an engagement
	// stalled.
	StalledDays int
}

// DefaultSettings are the settings of a new organization.
var DefaultSettings = Settings{CoachingMaxMonths: 6, ReviewMonths: 3, StalledDays: 30}

// Validate reports EINVALID with field errors for settings out of range.
func (s *Settings) Validate() error {
	var fe FieldErrors
	if s.CoachingMaxMonths < 1 || s.CoachingMaxMonths > 24 {
		fe.Add("coaching_max_months", "Choose from 1 to 24 months.")
	}
	if s.ReviewMonths < 1 || s.ReviewMonths > 12 {
		fe.Add("review_months", "Choose from 1 to 12 months.")
	}
	if s.StalledDays < 7 || s.StalledDays > 365 {
		fe.Add("stalled_days", "Choose from 7 to 365 days.")
	}
	return fe.Err()
}

// Proposal is what starts an engagement: the people, the kind's own
// fields, and the first version of the agreement.
type Proposal struct {
	Kind      Kind
	LearnerID int64
	GuideID   int64
	// Coaching.
	SkillID int64
	Setting string
	// Mentoring.
	Areas []Area
	// ShareHistory lets the new coach read the coachee's previous engagement
	// for the same skill (coachee's choice).
	ShareHistory bool
	Agreement    Agreement
}

const maxText = 2000

// Validate checks the agreement's fields for the kind, with field errors
// named as in forms and the API. today is the day of the request.
func (a *Agreement) Validate(kind Kind) error {
	var fe FieldErrors
	var outs []string
	for _, o := range a.Outcomes {
		if o = strings.TrimSpace(o); o != "" {
			outs = append(outs, o)
		}
	}
	a.Outcomes = outs
	switch {
	case len(outs) == 0:
		fe.Add("outcomes", "Write at least one desired outcome: what should be different when this succeeds?")
	case len(outs) > 20:
		fe.Add("outcomes", "List at most 20 outcomes.")
	}
	for _, o := range outs {
		if utf8.RuneCountInString(o) > 500 {
			fe.Add("outcomes", "Keep each outcome under 500 characters.")
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"cadence", &a.Cadence}, {"channels", &a.Channels}, {"confidentiality", &a.Confidentiality},
		{"review_method", &a.ReviewMethod}, {"exit_terms", &a.ExitTerms}, {"evaluation_method", &a.EvaluationMethod}} {
		*f.v = strings.TrimSpace(*f.v)
		if utf8.RuneCountInString(*f.v) > maxText {
			fe.Add(f.name, fmt.Sprintf("Use at most %d characters.", maxText))
		}
	}
	if a.Cadence == "" {
		fe.Add("cadence", "Say how often you will meet, for example every two weeks.")
	}
	if a.Confidentiality == "" {
		fe.Add("confidentiality", "Say what stays between you and what may be shared.")
	}
	if a.ExitTerms == "" {
		fe.Add("exit_terms", "Say how either side may end this without fault.")
	}
	if kind == Coaching {
		if a.SkillID == 0 {
			fe.Add("skill", "Choose the one skill this coaching is about.")
		}
		if a.Start == "" {
			fe.Add("start", "Enter the start date.")
		}
		if a.End == "" {
			fe.Add("end", "Coaching is bounded: enter the end date.")
		}
		if a.Start != "" && a.End != "" && a.End <= a.Start {
			fe.Add("end", "The end date must come after the start date.")
		}
		if a.EvaluationMethod == "" {
			fe.Add("evaluation_method", "Say how progress on the skill will be evaluated.")
		}
	} else {
		a.SkillID, a.Start, a.End, a.EvaluationMethod = 0, "", "", ""
	}
	return fe.Err()
}

// CheckDuration refuses a coaching time frame longer than the
// organization allows.
func (a *Agreement) CheckDuration(s Settings) error {
	if a.Start == "" || a.End == "" {
		return nil
	}
	if limit := a.Start.AddMonths(s.CoachingMaxMonths); a.End > limit {
		msg := fmt.Sprintf("Coaching runs at most %d months here: end on %s at the latest.", s.CoachingMaxMonths, limit.Format())
		return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{"end": msg}}
	}
	return nil
}

// CleanAreas checks mentoring development areas; none given means all.
func CleanAreas(in []Area) ([]Area, error) {
	if len(in) == 0 {
		return append([]Area(nil), Areas...), nil
	}
	seen := map[Area]bool{}
	var out []Area
	for _, a := range Areas { // in canonical order
		for _, b := range in {
			if a == b && !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	for _, b := range in {
		if !seen[b] {
			msg := fmt.Sprintf("%q is not a development area; choose from career, skills, ethics, wellbeing and purpose.", string(b))
			return nil, &Error{Code: EINVALID, Message: msg, Fields: map[string]string{"areas": msg}}
		}
	}
	return out, nil
}

// EventType names what happened in an engagement's timeline.
type EventType string

// The timeline's events.
const (
	EventProposed         EventType = "proposed"
	EventRevised          EventType = "revised"           // a new agreement version
	EventAgreed           EventType = "agreed"            // a party agreed to a version
	EventChangesRequested EventType = "changes_requested" // a party asked for changes
	EventActivated        EventType = "activated"
	EventExtended         EventType = "extended" // a new version moved the end date, in effect
	EventPhase            EventType = "phase"
	EventReversalProposed EventType = "reversal_proposed"
	EventReversalDeclined EventType = "reversal_declined"
	EventReversed         EventType = "reversed"
	EventException        EventType = "exception"
	EventReview           EventType = "review"
	EventHistoryShared    EventType = "history_shared"
	EventEnded            EventType = "ended"
	EventExpired          EventType = "expired"
	// EventManagerChanged: the manager party left the organization and the
	// learner's new manager (or none) took their place.
	EventManagerChanged EventType = "manager_changed"

	// Working together (sessions, goals, evaluations, reflections).
	EventSessionScheduled   EventType = "session_scheduled"
	EventSessionRescheduled EventType = "session_rescheduled"
	EventSessionCancelled   EventType = "session_cancelled"
	EventSessionHeld        EventType = "session_held"
	EventSessionNoShow      EventType = "session_no_show"
	EventNotAGoodFit        EventType = "not_a_good_fit"
	EventGoalSet            EventType = "goal_set"
	EventGoalReached        EventType = "goal_reached"
	EventEvaluated          EventType = "evaluated"
	EventThemeAdded         EventType = "theme_added"
	EventReflected          EventType = "reflected"
)

// Facet returns the part of the engagement an event belongs to, so the
// timeline shows each viewer only what the visibility matrix allows.
func (t EventType) Facet() Facet {
	switch t {
	case EventRevised, EventAgreed, EventChangesRequested, EventExtended:
		return FacetAgreement
	case EventHistoryShared:
		// The coachee's choice about their earlier coaching: for those who
		// see the agreement, not only the partners.
		return FacetAgreement
	case EventPhase, EventReversalProposed, EventReversalDeclined, EventReversed, EventReview:
		return FacetPhaseHistory
	case EventSessionScheduled, EventSessionRescheduled, EventSessionCancelled, EventSessionHeld, EventSessionNoShow:
		return FacetSessions
	case EventGoalSet, EventGoalReached, EventThemeAdded:
		return FacetGoals
	case EventEvaluated:
		return FacetEvaluations
	case EventReflected:
		return FacetReflections
	case EventNotAGoodFit:
		return FacetFitFlag
	}
	return FacetStatus
}

// NoteFacet returns the facet an event's note belongs to: an ending is
// status, but the words of whoever ended it are for those who see the
// agreement (as Engagement.EndReason is).
func (t EventType) NoteFacet() Facet {
	if t == EventEnded {
		return FacetAgreement
	}
	return t.Facet()
}

// Event is one entry of an engagement's timeline.
type Event struct {
	ID     int64
	At     time.Time
	Actor  PersonRef
	Type   EventType
	Detail string // what changed, e.g. "initiation → cultivation" or "version 2"
	Note   string // the person's words
}

// Item is a mentoring agenda item or a "what I learned from my partner"
// entry: both partners write them.
type Item struct {
	ID        int64
	Author    PersonRef
	Learned   bool // a learning, not an agenda item
	Body      string
	CreatedAt time.Time
	DoneAt    *time.Time
}

// ReviewDecision is what the partners decide at a review point.
type ReviewDecision string

// The decisions at a review point.
const (
	ReviewContinue ReviewDecision = "continue"
	ReviewChange   ReviewDecision = "change"
	ReviewClose    ReviewDecision = "close"
)

// ChainConflict reports an open mentoring partnership whose partners are
// now in one management chain without an administrator's exception: the
// org chart changed after it started. "A mentor is never in the protégé's
// management chain", so new work waits until an administrator allows an
// exception or a partner ends it.
func (e *Engagement) ChainConflict() bool {
	return e.Kind == Mentoring && e.InChain && e.Exception == "" && !e.Status.Closed()
}

// ChainConflictError is the refusal of new work on a partnership in
// ChainConflict.
func (e *Engagement) ChainConflictError() error {
	return Errorf(ECONFLICT, "%s and %s are now in one management chain, and mentoring happens outside the supervisory hierarchy: new sessions and work wait until an administrator allows an exception with a reason, or either partner ends the partnership.",
		e.Guide.Name, e.Learner.Name)
}

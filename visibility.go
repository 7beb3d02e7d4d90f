package tandem

// Who sees what of an engagement. This is the whole matrix; app enforces it
// on every surface (pages, API, exports) by calling Can, and the web tests
// try every cell through the API.
//
//	                 learner guide manager successor program-admin admin other
//	status, dates,     yes    yes    yes      yes         yes        yes    -
//	current phase
//	agreement, and     yes    yes    yes      yes         -          -      -
//	the end reason
//	timeline           yes    yes    agreement and status events only   -
//	sessions (time,    yes    yes    yes      -           yes        yes    -
//	place, outcome)
//	feedback ratings   yes    yes    -        -           aggregate only, never comments
//	"not a good fit"   -      -      -        -           yes        yes    -
//	flag (and who raised it; the partner who raised it sees their own rating)
//	shared notes       yes    yes    -        -           -          -      -
//	action items       yes    yes    -        -           -          -      -
//	goals (coaching)   yes    yes    yes      yes         -          -      -
//	themes (mentoring) yes    yes    -        -           -          -      -
//	private notes      author only, whoever the author is; nobody else
//	evaluations        yes    yes    coaching  yes        -          -      -
//	reflections        yes    yes    -        -           -          -      -
//	phase history      yes    yes    -        -           -          -      -
//	agenda, learnings  yes    yes    -        -           -          -      -
//
// "manager" is the learner's manager who is a party to the agreement: for
// coaching they see outcomes and evaluations; for mentoring the agreed
// outcomes, never the conversation. A "successor" is the coach of a later
// engagement for the same skill, when the coachee shared the history.
// Program admins and administrators see that an engagement exists, its
// status and dates, never its conversations. Anyone else gets not found,
// so an engagement's existence does not leak.

// Viewer is how a person relates to one engagement.
type Viewer string

// The viewers of an engagement, strongest relation first.
const (
	ViewerLearner      Viewer = "learner"
	ViewerGuide        Viewer = "guide"
	ViewerManager      Viewer = "manager"
	ViewerSuccessor    Viewer = "successor"
	ViewerProgramAdmin Viewer = "program_admin"
	ViewerAdmin        Viewer = "admin"
	// ViewerOperator is whoever runs the installation from the command
	// line: they see what the learner's manager sees of the engagement
	// itself, the status and the agreement, never the conversation.
	ViewerOperator Viewer = "operator"
	ViewerNone     Viewer = ""
)

// Facet is a part of an engagement that visibility rules apply to.
type Facet string

// The facets.
const (
	FacetStatus       Facet = "status"
	FacetAgreement    Facet = "agreement"
	FacetSharedNotes  Facet = "shared_notes"
	FacetEvaluations  Facet = "evaluations"
	FacetReflections  Facet = "reflections"
	FacetPhaseHistory Facet = "phase_history"
	FacetAgenda       Facet = "agenda"
	FacetSessions     Facet = "sessions"     // when and where partners meet, and whether it was held
	FacetGoals        Facet = "goals"        // coaching goals and progress; mentoring themes
	FacetActionItems  Facet = "action_items" // what partners agreed to do after a session
	// FacetFitFlag is the "not a good fit" flag a partner raises on a
	// session: its form promises that program admins see it, so they and
	// administrators do, and the other partner does not.
	FacetFitFlag Facet = "fit_flag"
)

// Facets lists every facet, for the tests of the matrix.
var Facets = []Facet{FacetStatus, FacetAgreement, FacetSharedNotes, FacetEvaluations, FacetReflections, FacetPhaseHistory, FacetAgenda,
	FacetSessions, FacetGoals, FacetActionItems, FacetFitFlag}

// ViewerOf returns how the person with the given id and organization role
// relates to the engagement. Being a party comes before any role: an
// administrator who is the learner sees what a learner sees.
func (e *Engagement) ViewerOf(personID int64, role string, successor bool) Viewer {
	switch e.PartyOf(personID) {
	case PartyLearner:
		return ViewerLearner
	case PartyGuide:
		return ViewerGuide
	case PartyManager:
		return ViewerManager
	}
	switch {
	case successor:
		return ViewerSuccessor
	case role == RoleAdmin:
		return ViewerAdmin
	case role == RoleProgramAdmin:
		return ViewerProgramAdmin
	}
	return ViewerNone
}

// Can reports whether a viewer may see a facet of an engagement of the
// kind. Private notes are not a facet: only their author reads them.
func Can(kind Kind, v Viewer, f Facet) bool {
	switch v {
	case ViewerLearner, ViewerGuide:
		switch f {
		case FacetFitFlag:
			return false
		case FacetEvaluations:
			return kind == Coaching
		case FacetReflections, FacetPhaseHistory, FacetAgenda:
			return kind == Mentoring
		}
		return true
	case ViewerManager:
		switch f {
		case FacetStatus, FacetAgreement, FacetSessions:
			return true
		case FacetEvaluations, FacetGoals:
			return kind == Coaching
		}
		return false
	case ViewerSuccessor:
		switch f {
		case FacetStatus, FacetAgreement:
			return true
		case FacetEvaluations, FacetGoals:
			return kind == Coaching
		}
		return false
	case ViewerProgramAdmin, ViewerAdmin:
		return f == FacetStatus || f == FacetSessions || f == FacetFitFlag
	case ViewerOperator:
		return f == FacetStatus || f == FacetAgreement
	}
	return false
}

// Programs have a matrix of their own, smaller: who runs a program and
// who enrolls in it. The program admin role is scoped to one program: an
// administrator names a program's admins, and being program admin of one
// program gives nothing over another (the organization role
// RoleProgramAdmin lets one invite people and see engagement status; it
// does not run a program one is not named for).
//
//	                     program-admin admin applicant eligible other
//	overview (name,          yes        yes     yes      yes      -
//	description, dates)
//	run (edit, state,        yes        yes     -        -        -
//	questionnaire, applications, status)
//	name its admins          -          yes     -        -        -
//	enroll (own application) yes*       yes*    yes      yes      -
//
// * when the program's eligibility includes them, like anyone else.
// Nobody sees a partnership's conversation through a program.
// "other" gets not found: a draft program, or one a person may not enroll
// in, does not exist for them.
const (
	ViewerApplicant Viewer = "applicant" // has applied to the program (any status)
	ViewerEligible  Viewer = "eligible"  // may enroll in the program
)

// ProgramFacet is a part of a program the program matrix applies to.
type ProgramFacet string

// The program facets.
const (
	ProgramOverview ProgramFacet = "overview"
	ProgramRun      ProgramFacet = "run"
	ProgramNaming   ProgramFacet = "naming"
	ProgramEnroll   ProgramFacet = "enroll"
)

// CanProgram reports whether a viewer may see or do a facet of a program.
// Enrolling also needs the program's eligibility (Program.MayEnroll).
func CanProgram(v Viewer, f ProgramFacet) bool {
	switch v {
	case ViewerProgramAdmin:
		return f != ProgramNaming
	case ViewerAdmin:
		return true
	case ViewerApplicant, ViewerEligible:
		return f == ProgramOverview || f == ProgramEnroll
	}
	return false
}

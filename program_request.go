package tandem

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Self-serve matching: instead of (or after) the cohort run, an approved
// mentee sees mentors ranked by the same scores the cohort run uses, with
// their reasons, and asks one; the mentor accepts (a proposed partnership
// with the program's draft agreement, as publishing a run makes) or
// declines. A mentee has one open request at a time and one partnership
// from the program; a mentor takes at most their capacity.

// MatchingMode is how a program's mentees find their mentors.
type MatchingMode string

// The matching modes.
const (
	MatchCohort    MatchingMode = "cohort"     // the admins match the whole cohort at once
	MatchSelfServe MatchingMode = "self_serve" // each mentee asks a mentor while the program runs
	MatchBoth      MatchingMode = "both"       // the cohort run first, then self-serve for whoever is left
)

// MatchingModes lists the modes.
var MatchingModes = []MatchingMode{MatchCohort, MatchSelfServe, MatchBoth}

// Label names the mode for people.
func (m MatchingMode) Label() string {
	switch m {
	case MatchCohort:
		return "Cohort run: the program's admins match everyone at once"
	case MatchSelfServe:
		return "Self-serve: mentees ask a mentor from their suggestions while the program runs"
	case MatchBoth:
		return "Both: the cohort run, then self-serve for whoever it left unmatched"
	}
	return string(m)
}

// CheckMatchingMode returns EINVALID (field "mode") for an unknown mode.
func CheckMatchingMode(m MatchingMode) error {
	for _, x := range MatchingModes {
		if m == x {
			return nil
		}
	}
	return fieldError("mode", "Choose cohort, self_serve or both.")
}

// SelfServeOpen says whether mentees may ask mentors now, and when not,
// why: self-serve programs while running; "both" once the cohort run is
// published (while matching) or running; never cohort-only or closed
// programs.
func SelfServeOpen(state ProgramState, mode MatchingMode, published bool) (bool, string) {
	switch {
	case state == ProgramClosed:
		return false, "The program is closed."
	case mode == MatchCohort || mode == "":
		return false, "This program's admins match the whole cohort; mentees do not ask mentors themselves."
	case state == ProgramRunning:
		return true, ""
	case mode == MatchBoth && state == ProgramMatching && published:
		return true, ""
	case mode == MatchBoth:
		return false, "Mentees ask mentors once the cohort run is published."
	}
	return false, "Mentees ask mentors once the program is running."
}

// CheckSelfServe is SelfServeOpen as an ECONFLICT error.
func CheckSelfServe(state ProgramState, mode MatchingMode, published bool) error {
	if ok, why := SelfServeOpen(state, mode, published); !ok {
		return Errorf(ECONFLICT, "%s", why)
	}
	return nil
}

// RequestStatus is where a mentee's request to a mentor is.
type RequestStatus string

// The request statuses.
const (
	RequestOpen      RequestStatus = "open"      // waits on the mentor
	RequestAccepted  RequestStatus = "accepted"  // a proposed partnership was made
	RequestDeclined  RequestStatus = "declined"  // the mentor said no
	RequestCancelled RequestStatus = "cancelled" // the mentee took it back
)

// Label names the status for people.
func (s RequestStatus) Label() string {
	switch s {
	case RequestOpen:
		return "Waiting for an answer"
	case RequestAccepted:
		return "Accepted"
	case RequestDeclined:
		return "Declined"
	case RequestCancelled:
		return "Cancelled"
	}
	return string(s)
}

// CheckAnswerable returns ECONFLICT saying what happened to a request
// that is no longer open (accepting a cancelled request, answering twice).
func (s RequestStatus) CheckAnswerable() error {
	switch s {
	case RequestOpen:
		return nil
	case RequestCancelled:
		return Errorf(ECONFLICT, "The mentee cancelled this request; there is nothing to answer.")
	case RequestAccepted:
		return Errorf(ECONFLICT, "This request was accepted already; the partnership is proposed.")
	}
	return Errorf(ECONFLICT, "This request was declined already.")
}

// MentorRequest is a mentee's request to a mentor of a program.
type MentorRequest struct {
	ID         int64         `json:"id"`
	ProgramID  int64         `json:"program_id"`
	Mentee     PersonRef     `json:"mentee"`
	Mentor     PersonRef     `json:"mentor"`
	Message    string        `json:"message"`
	Status     RequestStatus `json:"status"`
	Score      float64       `json:"score"`
	Reasons    []string      `json:"reasons"`
	CreatedAt  time.Time     `json:"created_at"`
	AnsweredAt *time.Time    `json:"answered_at,omitempty"`
	// EngagementID is the proposed partnership an accepted request made.
	EngagementID int64 `json:"engagement_id,omitempty"`
}

// MaxRequestMessage bounds a request's message.
const MaxRequestMessage = 2000

// CheckRequestMessage tidies the message and returns EINVALID (field
// "message") when it is too long.
func CheckRequestMessage(msg string) (string, error) {
	msg = strings.TrimSpace(msg)
	if utf8.RuneCountInString(msg) > MaxRequestMessage {
		return "", fieldError("message", fmt.Sprintf("Use at most %d characters.", MaxRequestMessage))
	}
	return msg, nil
}

// Suggestion is a mentor a mentee may ask, with the score the cohort run
// would give the pair and its reasons.
type Suggestion struct {
	Mentor   PersonRef `json:"mentor"`
	Score    float64   `json:"score"`
	MaxScore float64   `json:"max_score"`
	Reasons  []string  `json:"reasons"`
	// Spare is how many more mentees the mentor may take.
	Spare int `json:"spare"`
}

// Suggestions shown, by default and at most.
const (
	DefaultSuggestions = 5
	MaxSuggestions     = 20
)

// Program events of self-serve matching (Notification.ProgramID): a
// request is told to the mentor, its answer to the mentee, a cancelled
// request to the mentor.
const (
	ProgramRequested        EventType = "program_requested"         // a mentee asked the recipient to mentor them
	ProgramRequestAccepted  EventType = "program_request_accepted"  // the mentor accepted: a partnership is proposed
	ProgramRequestDeclined  EventType = "program_request_declined"  // the mentor declined
	ProgramRequestCancelled EventType = "program_request_cancelled" // the mentee took the request back
)

// requestHeadline is Headline for the self-serve events.
func (n *Notification) requestHeadline(who string) (string, bool) {
	switch n.Event {
	case ProgramRequested:
		return who + " asked you to be their mentor in " + n.Title, true
	case ProgramRequestAccepted:
		return who + " accepted your request in " + n.Title + ": your partnership is proposed", true
	case ProgramRequestDeclined:
		return who + " declined your request in " + n.Title, true
	case ProgramRequestCancelled:
		return who + " cancelled their request in " + n.Title, true
	}
	return "", false
}

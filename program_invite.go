package tandem

import "time"

// Program invitations: a program's admins invite people to apply (a list,
// a department or location, a CSV of addresses), and see who answered.
// An invitation is one per person and program; reminding sends it again
// to those who have not answered, at most once a day each.

// ProgramInviteStatus is where an invitation stands.
type ProgramInviteStatus string

// The invitation statuses.
const (
	InviteNotAnswered ProgramInviteStatus = "not_answered" // invited, no application, not declined
	InviteApplied     ProgramInviteStatus = "applied"      // applied (Role says as what), whatever became of it
	InviteDeclined    ProgramInviteStatus = "declined"     // said no to the invitation
)

// ProgramInviteStatuses lists the statuses.
var ProgramInviteStatuses = []ProgramInviteStatus{InviteNotAnswered, InviteApplied, InviteDeclined}

// Label names the status for people.
func (s ProgramInviteStatus) Label() string {
	switch s {
	case InviteNotAnswered:
		return "Not answered"
	case InviteApplied:
		return "Applied"
	case InviteDeclined:
		return "Declined"
	}
	return "Everyone invited"
}

// RemindAfter is how long after an invitation was last sent it may be
// sent again: never twice within a day.
const RemindAfter = 24 * time.Hour

// ProgramInvitation is one person invited to apply to a program.
type ProgramInvitation struct {
	ID        int64
	ProgramID int64
	Person    PersonRef
	// InvitedBy is the program admin or administrator who invited (ID 0:
	// the operator, at the command line).
	InvitedBy PersonRef
	InvitedAt time.Time
	// SentAt is when it was last sent (the invitation or a reminder);
	// Sends counts how many times.
	SentAt time.Time
	Sends  int
	// DeclinedAt is when the person said no.
	DeclinedAt *time.Time
	Status     ProgramInviteStatus
	// Role and ApplicationStatus describe the application, when Applied.
	Role              ApplicationRole
	ApplicationStatus ApplicationStatus
}

// RemindableAt is when the invitation may be sent again.
func (iv *ProgramInvitation) RemindableAt() time.Time { return iv.SentAt.Add(RemindAfter) }

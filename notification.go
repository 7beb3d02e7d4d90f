package tandem

import (
	"fmt"
	"time"
)

// Category groups notifications for a person's delivery choices: each
// person chooses, per category, to be emailed at once, in a daily summary,
// or not at all. The in-app list always shows every notification. Mail a
// person must receive (a password reset, an invitation) is not a category
// and cannot be turned off.
type Category string

// The categories. Quote requests come with their issue: add its
// category here, to Categories and to Label.
const (
	CategoryAgreements  Category = "agreements"  // an agreement to read, changed, agreed by all
	CategoryEngagements Category = "engagements" // started, ending, ended, expired
	CategorySessions    Category = "sessions"    // scheduled, moved, cancelled, and the day before
	CategoryMentoring   Category = "mentoring"   // phase changes and role reversals
	CategoryReminders   Category = "reminders"   // action items, review points, waiting agreements, stalled partnerships
	CategoryPrograms    Category = "programs"    // applications received, decided, withdrawn; enrollment open
)

// Categories lists every category in the order the preferences page shows.
var Categories = []Category{CategoryAgreements, CategoryEngagements, CategorySessions, CategoryMentoring, CategoryReminders, CategoryPrograms}

// Label names the category for people.
func (c Category) Label() string {
	switch c {
	case CategoryAgreements:
		return "Outcome agreements: to read, changed, agreed by all"
	case CategoryEngagements:
		return "Engagements starting, ending and ended"
	case CategorySessions:
		return "Sessions scheduled, moved or cancelled, and the day before"
	case CategoryMentoring:
		return "Mentoring phase changes and role reversals"
	case CategoryReminders:
		return "Reminders: action items, review points, waiting agreements, stalled partnerships"
	case CategoryPrograms:
		return "Programs: applications received, approved, declined or withdrawn, enrollment opening, and invitations to apply"
	}
	return string(c)
}

// ValidCategory reports whether c is a category.
func ValidCategory(c Category) bool {
	for _, d := range Categories {
		if c == d {
			return true
		}
	}
	return false
}

// Delivery is how a person receives a category's notifications by email.
type Delivery string

// The deliveries; Immediately is the default.
const (
	DeliveryImmediately Delivery = "immediately"
	DeliveryDaily       Delivery = "daily"
	DeliveryOff         Delivery = "off"
)

// Deliveries lists the choices.
var Deliveries = []Delivery{DeliveryImmediately, DeliveryDaily, DeliveryOff}

// ValidDelivery reports whether d is a delivery.
func ValidDelivery(d Delivery) bool {
	return d == DeliveryImmediately || d == DeliveryDaily || d == DeliveryOff
}

// Label names the delivery for people.
func (d Delivery) Label() string {
	switch d {
	case DeliveryImmediately:
		return "Email me at once"
	case DeliveryDaily:
		return "In a daily summary"
	case DeliveryOff:
		return "Only in Tandem"
	}
	return string(d)
}

// NotificationSettings are a person's deliveries by category; a category
// missing is DeliveryImmediately.
type NotificationSettings map[Category]Delivery

// Of returns the delivery for a category.
func (s NotificationSettings) Of(c Category) Delivery {
	if d, ok := s[c]; ok {
		return d
	}
	return DeliveryImmediately
}

// Reminders: events that no one did, found by periodic jobs.
const (
	ReminderSessionSoon      EventType = "session_soon"      // a session in 24 hours
	ReminderActionItemDue    EventType = "action_item_due"   // an action item due today
	ReminderReviewDue        EventType = "review_due"        // a mentoring review point due
	ReminderEngagementEnding EventType = "engagement_ending" // coaching ends in 7 days
	ReminderAgreementWaiting EventType = "agreement_waiting" // an agreement has waited 3 days for the person
	ReminderStalled          EventType = "stalled"           // no session for the organization's stall period
)

// Program events: they concern a program, not an engagement
// (Notification.ProgramID). An application received or withdrawn is told
// to the program's admins (to the organization's administrators when it
// has none), a decision to the applicant, an opening to everyone who may
// enroll; never to whoever caused it.
const (
	ProgramApplied   EventType = "program_applied"   // an application received (new, renewed, or its role changed)
	ProgramApproved  EventType = "program_approved"  // the applicant's application was approved
	ProgramDeclined  EventType = "program_declined"  // the applicant's application was declined
	ProgramWithdrawn EventType = "program_withdrawn" // an applicant withdrew
	ProgramOpened    EventType = "program_opened"    // the program opened for enrollment
	ProgramInvited   EventType = "program_invited"   // the person was invited to apply (or reminded)
)

// NotifyRule says whether an engagement event notifies anyone, in which
// category, and whether only the two partners hear of it (sessions and the
// partnership's own course), not the manager. Who is told is further
// limited by the visibility matrix: a person is told only of events whose
// facet they may see (Can), so a manager hears that the agreement changed,
// never what the partners said.
func NotifyRule(t EventType) (c Category, partnersOnly, ok bool) {
	switch t {
	case EventProposed, EventRevised, EventChangesRequested, EventManagerChanged:
		return CategoryAgreements, false, true
	case EventActivated, EventExtended, EventEnded, EventExpired:
		return CategoryEngagements, false, true
	case EventSessionScheduled, EventSessionRescheduled, EventSessionCancelled:
		return CategorySessions, true, true
	case EventPhase, EventReversalProposed, EventReversed:
		return CategoryMentoring, true, true
	case ReminderSessionSoon:
		return CategorySessions, true, true
	case ReminderEngagementEnding:
		return CategoryEngagements, false, true
	case ReminderActionItemDue, ReminderReviewDue, ReminderAgreementWaiting, ReminderStalled:
		return CategoryReminders, false, true
	case ProgramApplied, ProgramApproved, ProgramDeclined, ProgramWithdrawn, ProgramOpened, ProgramInvited,
		ProgramRequested, ProgramRequestAccepted, ProgramRequestDeclined, ProgramRequestCancelled:
		return CategoryPrograms, false, true
	}
	return "", false, false
}

// Notification tells one person of something that concerns them. It holds
// what they may know when it was made: the engagement's title as they see
// it and a detail with no conversation in it (never a note or a comment).
type Notification struct {
	ID           int64
	OrgID        int64
	PersonID     int64
	Category     Category
	Event        EventType
	EngagementID int64
	// ObjectID is the session (meeting) or action item the event is
	// about, 0 for the engagement itself.
	ObjectID int64
	// ProgramID is the program of a program event (EngagementID is 0).
	ProgramID int64
	Actor     PersonRef
	Title     string // the engagement, as "Coaching in Go: Ana with Ben"; a program's name
	Detail    string // e.g. "version 2", a session's time in UTC
	CreatedAt time.Time
	ReadAt    *time.Time
	EmailedAt *time.Time
}

// Path is the page the notification links to, relative to the site.
func (n *Notification) Path() string {
	if n.ObjectID != 0 && (n.Category == CategorySessions) {
		return fmt.Sprintf("/engagements/%d/sessions/%d", n.EngagementID, n.ObjectID)
	}
	if n.EngagementID != 0 {
		return fmt.Sprintf("/engagements/%d", n.EngagementID)
	}
	if n.ProgramID != 0 {
		if n.Event == ProgramApplied || n.Event == ProgramWithdrawn {
			return fmt.Sprintf("/programs/%d/applications", n.ProgramID) // the admins' table
		}
		return fmt.Sprintf("/programs/%d", n.ProgramID)
	}
	return "/notifications"
}

// Headline says what happened in one line, for the list and the subject.
func (n *Notification) Headline() string {
	who := n.Actor.Name
	if who == "" {
		who = "Someone"
	}
	if h, ok := n.requestHeadline(who); ok {
		return h
	}
	switch n.Event {
	case EventProposed:
		return who + " proposed an outcome agreement for you to read"
	case EventRevised:
		return "The outcome agreement changed: please read " + n.Detail
	case EventChangesRequested:
		return who + " asked for changes to the outcome agreement"
	case EventManagerChanged:
		return "The manager party changed: " + n.Detail
	case EventActivated:
		return "Everyone agreed: the engagement has started"
	case EventExtended:
		return "The new terms are in effect: " + n.Detail
	case EventEnded:
		return who + " ended the engagement"
	case EventExpired:
		return "The engagement reached its end date"
	case EventSessionScheduled:
		return who + " scheduled a session"
	case EventSessionRescheduled:
		return who + " moved a session"
	case EventSessionCancelled:
		return who + " cancelled a session"
	case EventPhase:
		return who + " moved the partnership to a new phase: " + n.Detail
	case EventReversalProposed:
		return who + " proposed swapping roles"
	case EventReversed:
		return "The partners swapped roles"
	case ReminderSessionSoon:
		return "A session in the next 24 hours"
	case ReminderActionItemDue:
		return "An action item is due: " + n.Detail
	case ReminderReviewDue:
		return "A review point is due"
	case ReminderEngagementEnding:
		return "The coaching engagement ends in 7 days"
	case ReminderAgreementWaiting:
		return "The outcome agreement has waited 3 days for your answer"
	case ReminderStalled:
		return "No session for a while: the partnership has stalled"
	case ProgramApplied:
		return who + " applied to " + n.Title + n.asRole()
	case ProgramApproved:
		return "Your application to " + n.Title + " was approved"
	case ProgramDeclined:
		return "Your application to " + n.Title + " was declined"
	case ProgramWithdrawn:
		return who + " withdrew their application to " + n.Title
	case ProgramOpened:
		return n.Title + " is open for enrollment"
	case ProgramInvited:
		return who + " invites you to apply to " + n.Title
	}
	return string(n.Event)
}

// asRole is " as a mentor" for a program event whose detail is the
// applicant's role.
func (n *Notification) asRole() string {
	if n.Detail == "" {
		return ""
	}
	return " as a " + n.Detail
}

// AddDays returns the day n days later.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Truncate shortens s to at most n characters, with an ellipsis.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

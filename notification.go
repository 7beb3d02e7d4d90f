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

// The categories. Program events and quote requests come with their
// issues: add their categories here, to Categories and to CategoryLabel.
const (
	CategoryAgreements  Category = "agreements"  // an agreement to read, changed, agreed by all
	CategoryEngagements Category = "engagements" // started, ending, ended, expired
	CategorySessions    Category = "sessions"    // scheduled, moved, cancelled, and the day before
	CategoryMentoring   Category = "mentoring"   // phase changes and role reversals
	CategoryReminders   Category = "reminders"   // action items, review points, waiting agreements, stalled partnerships
)

// Categories lists every category in the order the preferences page shows.
var Categories = []Category{CategoryAgreements, CategoryEngagements, CategorySessions, CategoryMentoring, CategoryReminders}

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

// NotifyRule says whether an engagement event notifies anyone, in which
// category, and whether only the two partners hear of it (sessions and the
// partnership's own course), not the manager. Who is told is further
// limited by the visibility matrix: a person is told only of events whose
// facet they may see (Can), so a manager hears that the agreement changed,
// never what the partners said.
func NotifyRule(t EventType) (c Category, partnersOnly, ok bool) {
	switch t {
	case EventProposed, EventRevised, EventChangesRequested:
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
	ObjectID  int64
	Actor     PersonRef
	Title     string // the engagement, as "Coaching in Go: Ana with Ben"
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
	return "/notifications"
}

// Headline says what happened in one line, for the list and the subject.
func (n *Notification) Headline() string {
	who := n.Actor.Name
	if who == "" {
		who = "Someone"
	}
	switch n.Event {
	case EventProposed:
		return who + " proposed an outcome agreement for you to read"
	case EventRevised:
		return "The outcome agreement changed: please read " + n.Detail
	case EventChangesRequested:
		return who + " asked for changes to the outcome agreement"
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
	}
	return string(n.Event)
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

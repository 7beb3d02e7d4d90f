package tandem

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Coach Notes: articles that coaches and practice owners write in
// Markdown, published on the organization's public pages
// (/o/{org-slug}/notes), in an Atom feed and in a twice-monthly email
// digest to confirmed subscribers.

// Article statuses. A published article whose publication time is still
// ahead is scheduled; no job flips it, the time decides.
const (
	ArticleDraft     = "draft"
	ArticleScheduled = "scheduled"
	ArticlePublished = "published"
)

// Article is one Coach Note.
type Article struct {
	ID          int64
	OrgID       int64
	AuthorID    int64
	AuthorName  string
	Slug        string
	Title       string
	Summary     string
	Topics      []string
	Body        string // Markdown as written
	HTML        string // rendered and sanitized when saved
	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Status is the article's status at now.
func (a *Article) Status(now time.Time) string {
	switch {
	case a.PublishedAt == nil:
		return ArticleDraft
	case a.PublishedAt.After(now):
		return ArticleScheduled
	}
	return ArticlePublished
}

// ArticleInput is what an author sends: the text, and a status with, for a
// scheduled article, when it goes out.
type ArticleInput struct {
	Title     string    `json:"title"`
	Slug      string    `json:"slug,omitempty"`
	Summary   string    `json:"summary"`
	Topics    []string  `json:"topics"`
	Body      string    `json:"body"`
	Status    string    `json:"status"`
	PublishAt time.Time `json:"publish_at,omitzero"`
}

var (
	// scriptRE finds a script element in an article's Markdown.
	scriptRE = regexp.MustCompile(`(?i)<\s*/?\s*script\b`)
	// badLinkRE finds a link to a javascript:, vbscript: or data: URL, in
	// Markdown or HTML.
	badLinkRE = regexp.MustCompile(`(?i)(\]\(\s*<?|\]:\s*<?|href\s*=\s*["']?|src\s*=\s*["']?|<)\s*(javascript|vbscript|data)\s*:`)
)

// Validate normalizes the input and reports EINVALID with a field error
// for each problem. now decides whether a scheduled time is in the future.
func (in *ArticleInput) Validate(now time.Time) error {
	var fe FieldErrors
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	in.Slug = strings.TrimSpace(in.Slug)
	switch {
	case in.Title == "":
		fe.Add("title", "Enter a title.")
	case utf8.RuneCountInString(in.Title) > 200:
		fe.Add("title", "Use at most 200 characters.")
	}
	if utf8.RuneCountInString(in.Summary) > 500 {
		fe.Add("summary", "Use at most 500 characters.")
	}
	var topics []string
	for _, t := range in.Topics {
		for _, p := range strings.Split(t, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(topics, p) {
				topics = append(topics, p)
			}
		}
	}
	in.Topics = topics
	if len(topics) > 10 {
		fe.Add("topics", "Use at most 10 topics.")
	}
	for _, t := range topics {
		if utf8.RuneCountInString(t) > 40 {
			fe.Add("topics", fmt.Sprintf("Topic %q is over 40 characters.", t))
		}
	}
	if in.Slug == "" {
		in.Slug = Slugify(in.Title)
	}
	if in.Title != "" && (!slugRE.MatchString(in.Slug) || len(in.Slug) > 80) {
		fe.Add("slug", "Use lower-case letters, digits and single dashes (at most 80), like mentoring-vs-coaching.")
	}
	switch {
	case strings.TrimSpace(in.Body) == "":
		fe.Add("body", "Write the article.")
	case len(in.Body) > 200_000:
		fe.Add("body", "Use at most 200,000 characters.")
	case scriptRE.MatchString(in.Body):
		fe.Add("body", "Remove the <script> element: articles cannot run scripts.")
	case badLinkRE.MatchString(in.Body):
		fe.Add("body", "Remove the javascript: (or vbscript:, data:) link: links must go to http, https or mailto addresses.")
	}
	switch in.Status {
	case "":
		in.Status = ArticleDraft
	case ArticleDraft, ArticlePublished:
	case ArticleScheduled:
		if in.PublishAt.IsZero() {
			fe.Add("publish_at", "Choose when to publish it.")
		} else if !in.PublishAt.After(now) {
			fe.Add("publish_at", "Choose a time in the future, or publish now.")
		}
	default:
		fe.Add("status", "Choose draft, scheduled or published.")
	}
	return fe.Err()
}

// Subscriber statuses.
const (
	SubscriberPending      = "pending"
	SubscriberConfirmed    = "confirmed"
	SubscriberUnsubscribed = "unsubscribed"
)

// Consent sources recorded with a confirmed subscription.
const (
	ConsentConfirmedEmail = "double opt-in"
	ConsentMember         = "member"
)

// Subscriber is an email address that receives an organization's digest
// once confirmed. Nothing but the confirmation is ever sent to one that is
// not confirmed.
type Subscriber struct {
	ID             int64
	OrgID          int64
	Email          string
	Status         string
	ConsentAt      *time.Time
	ConsentSource  string
	CreatedAt      time.Time
	UnsubscribedAt *time.Time
}

// DigestSchedule says when an organization's digest goes out: on these
// days of the month, at Hour in TimeZone.
type DigestSchedule struct {
	Days     []int  `json:"days"`
	Hour     int    `json:"hour"`
	TimeZone string `json:"time_zone"`
}

// DefaultDigestSchedule is the 1st and the 15th at 09:00 UTC.
var DefaultDigestSchedule = DigestSchedule{Days: []int{1, 15}, Hour: 9, TimeZone: "UTC"}

// ParseDays reads "1,15" into days of the month.
func ParseDays(s string) ([]int, error) {
	var days []int
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		d, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not a day of the month", p)
		}
		days = append(days, d)
	}
	return days, nil
}

// Validate reports what is wrong with a schedule: days must exist in every
// month (1 to 28: the 31st of February does not), at most 4 a month.
func (s *DigestSchedule) Validate() error {
	var fe FieldErrors
	slices.Sort(s.Days)
	s.Days = slices.Compact(s.Days)
	switch {
	case len(s.Days) == 0:
		fe.Add("days", "Choose at least one day of the month.")
	case len(s.Days) > 4:
		fe.Add("days", "Choose at most four days a month.")
	}
	for _, d := range s.Days {
		if d < 1 || d > 28 {
			fe.Add("days", fmt.Sprintf("Day %d does not exist in every month (February has 28 days): choose days from 1 to 28.", d))
		}
	}
	if s.Hour < 0 || s.Hour > 23 {
		fe.Add("hour", "Choose an hour from 0 to 23.")
	}
	if s.TimeZone == "" {
		s.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil {
		fe.Add("time_zone", "Use a time zone name like Europe/Paris.")
	}
	return fe.Err()
}

// LastSlot returns the latest scheduled time at or before now, and the
// one before it.
func (s DigestSchedule) LastSlot(now time.Time) (last, prev time.Time) {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	local := now.In(loc)
	var slots []time.Time
	for m := -2; m <= 0; m++ {
		for _, d := range s.Days {
			t := time.Date(local.Year(), local.Month()+time.Month(m), d, s.Hour, 0, 0, 0, loc)
			if !t.After(now) {
				slots = append(slots, t)
			}
		}
	}
	slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
	if len(slots) < 2 {
		return time.Time{}, time.Time{}
	}
	return slots[len(slots)-1], slots[len(slots)-2]
}

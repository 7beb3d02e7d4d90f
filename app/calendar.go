package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// calendarPrefix marks calendar feed secrets, so a leaked one is
// recognized and never mistaken for an API token.
const calendarPrefix = "cal_"

// CalendarEntry is one session for a calendar: the meeting (its agenda
// only when the reader is a partner), the engagement's title and the
// session page's path.
type CalendarEntry struct {
	Meeting tandem.Meeting
	Title   string
	Path    string
}

// NewCalendarSecret makes a new secret for the actor's calendar feed and
// returns it; the previous feed URL stops working. The secret is shown
// once and stored hashed.
func (a *App) NewCalendarSecret(ctx context.Context) (string, error) {
	act, err := actor(ctx)
	if err != nil {
		return "", err
	}
	secret, hash := newSecret(calendarPrefix)
	if err := a.DB.SetCalendarToken(ctx, act.Org.ID, act.Person.ID, hash); err != nil {
		return "", err
	}
	return secret, nil
}

// CalendarFeed returns the sessions of the feed's owner: every session of
// the engagements they are a partner in. No one is signed in: the secret
// is the credential, so an unknown or replaced secret is ENOTFOUND.
func (a *App) CalendarFeed(ctx context.Context, secret string) ([]CalendarEntry, error) {
	if !strings.HasPrefix(secret, calendarPrefix) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such calendar.")
	}
	orgID, personID, err := a.DB.CalendarOwner(ctx, HashSecret(secret))
	if err != nil {
		return nil, err
	}
	list, err := a.DB.ListEngagements(ctx, orgID, sqldb.EngagementFilter{PartyID: personID, Limit: 500})
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	for i := range list {
		if list[i].IsPartner(personID) {
			titles[list[i].ID] = list[i].Title()
		}
	}
	ms, err := a.DB.PartnerMeetings(ctx, orgID, personID)
	if err != nil {
		return nil, err
	}
	var out []CalendarEntry
	for _, m := range ms {
		title, ok := titles[m.EngagementID]
		if !ok {
			continue // a partner no longer, after a role change
		}
		out = append(out, CalendarEntry{Meeting: m, Title: title, Path: meetingPath(m.EngagementID, m.ID)})
	}
	return out, nil
}

// MeetingCalendar returns one session for a calendar download, as the
// actor may see it.
func (a *App) MeetingCalendar(ctx context.Context, id, meetingID int64) (*CalendarEntry, error) {
	v, err := a.Meeting(ctx, id, meetingID)
	if err != nil {
		return nil, err
	}
	return &CalendarEntry{Meeting: *v.Meeting, Title: v.Engagement.Title(), Path: meetingPath(id, meetingID)}, nil
}

func meetingPath(engagementID, meetingID int64) string {
	return fmt.Sprintf("/engagements/%d/sessions/%d", engagementID, meetingID)
}

package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// EngagementQuery is the administrator's engagement list filter as people
// type it (the page's and the API's query parameters).
type EngagementQuery struct {
	Kind    string
	Status  string
	Phase   string
	Skill   string // a skill id
	Stalled bool
	// Waiting is "manager" for the drafts waiting for a manager's answer.
	Waiting string
	// Ending is "soon" for coaching ending within two weeks.
	Ending string
	// Party is a person's email or id: the engagements they are a party to.
	Party  string
	Limit  int
	Offset int
}

// EngagementList is one page of the organization's engagements, with the
// counts by status of everything the filter keeps.
type EngagementList struct {
	Engagements []tandem.Engagement
	Counts      map[tandem.Status]int
	Total       int
	Stalled     map[int64]bool
}

// filter checks a query and turns it into the store's filter.
func (a *App) filter(ctx context.Context, act *tandem.Actor, q EngagementQuery) (sqldb.EngagementFilter, error) {
	f := sqldb.EngagementFilter{Kind: tandem.Kind(q.Kind), Status: tandem.Status(q.Status), Phase: tandem.Phase(strings.TrimSpace(q.Phase)),
		Limit: q.Limit, Offset: q.Offset}
	var fe tandem.FieldErrors
	if err := checkFilter(f); err != nil {
		for k, v := range tandem.ErrorFields(err) {
			fe.Add(k, v)
		}
	}
	if f.Phase != "" && !validPhase(f.Phase) {
		fe.Add("phase", fmt.Sprintf("%q is not a phase: choose initiation, cultivation, separation or redefinition.", string(f.Phase)))
	}
	if s := strings.TrimSpace(q.Skill); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			fe.Add("skill", "Choose a skill from the list.")
		}
		f.SkillID = id
	}
	switch q.Waiting {
	case "":
	case "manager":
		f.WaitingForManager = true
	default:
		fe.Add("waiting", "Only waiting=manager is known.")
	}
	today := a.Today(ctx)
	switch q.Ending {
	case "":
	case "soon":
		f.EndingFrom, f.EndingBy = today, today.AddDays(endingSoonDays)
	default:
		fe.Add("ending", "Only ending=soon is known.")
	}
	if p := strings.TrimSpace(q.Party); p != "" {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil && id > 0 {
			f.PartyID = id
		} else if id, err := a.DB.PersonIDByEmail(ctx, act.Org.ID, tandem.NormalizeEmail(p)); err == nil {
			f.PartyID = id
		} else if tandem.ErrorCode(err) == tandem.ENOTFOUND {
			fe.Add("party", "No one in the organization has this email.")
		} else {
			return f, err
		}
	}
	if err := fe.Err(); err != nil {
		return f, err
	}
	if q.Stalled {
		settings, err := a.DB.OrgSettings(ctx, act.Org.ID)
		if err != nil {
			return f, err
		}
		f.StalledBefore = stalledBefore(a.DB.Now(), settings)
		if f.StalledBefore.IsZero() {
			// Stalling is not tracked: nothing is stalled.
			f.StalledBefore = time.Unix(0, 0)
		}
	}
	return f, nil
}

func validPhase(p tandem.Phase) bool {
	for _, v := range tandem.Phases {
		if v == p {
			return true
		}
	}
	return false
}

// ListAllEngagements is the administrator's and program admin's list of
// the organization's engagements: status, dates and parties (what the
// matrix lets them see), filtered, with counts.
func (a *App) ListAllEngagements(ctx context.Context, q EngagementQuery) (*EngagementList, error) {
	act, err := a.allowedAll(ctx)
	if err != nil {
		return nil, err
	}
	f, err := a.filter(ctx, act, q)
	if err != nil {
		return nil, err
	}
	out := &EngagementList{}
	if out.Counts, err = a.DB.CountEngagements(ctx, act.Org.ID, f); err != nil {
		return nil, err
	}
	for _, n := range out.Counts {
		out.Total += n
	}
	if out.Engagements, err = a.DB.ListEngagements(ctx, act.Org.ID, f); err != nil {
		return nil, err
	}
	if out.Stalled, err = a.StalledEngagements(ctx, out.Engagements); err != nil {
		return nil, err
	}
	return out, nil
}

// ExportEngagements returns every engagement the filter keeps (no page
// limit), for the CSV export, with which are stalled.
func (a *App) ExportEngagements(ctx context.Context, q EngagementQuery) ([]tandem.Engagement, map[int64]bool, error) {
	act, err := a.allowedAll(ctx)
	if err != nil {
		return nil, nil, err
	}
	f, err := a.filter(ctx, act, q)
	if err != nil {
		return nil, nil, err
	}
	// Page by page, so the stalled lookup takes at most a page of ids.
	var all []tandem.Engagement
	stalled := map[int64]bool{}
	f.Limit, f.Offset = 500, 0
	for {
		page, err := a.DB.ListEngagements(ctx, act.Org.ID, f)
		if err != nil {
			return nil, nil, err
		}
		st, err := a.StalledEngagements(ctx, page)
		if err != nil {
			return nil, nil, err
		}
		for id := range st {
			stalled[id] = true
		}
		all = append(all, page...)
		if len(page) < f.Limit {
			return all, stalled, nil
		}
		f.Offset += f.Limit
	}
}

// EngagementsCSVHeader is the first row of the engagements export.
var EngagementsCSVHeader = []string{"id", "kind", "status", "phase", "stalled", "skill", "learner", "learner_email",
	"coach_or_mentor", "coach_or_mentor_email", "manager", "manager_email", "start", "end", "next_review", "created", "ended_on"}

// WriteEngagementsCSV writes the engagements the query keeps as CSV: the
// status, dates and parties an administrator or program admin may see,
// every cell a spreadsheet would evaluate escaped (EscapeCSVCell).
func (a *App) WriteEngagementsCSV(ctx context.Context, w io.Writer, q EngagementQuery) error {
	list, stalled, err := a.ExportEngagements(ctx, q)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(EngagementsCSVHeader); err != nil {
		return err
	}
	for _, e := range list {
		row := []string{strconv.FormatInt(e.ID, 10), string(e.Kind), string(e.Status), string(e.Phase), strconv.FormatBool(stalled[e.ID]),
			e.SkillName, e.Learner.Name, e.Learner.Email, e.Guide.Name, e.Guide.Email, e.Manager.Name, e.Manager.Email,
			string(e.Start), string(e.End), string(e.NextReview), e.CreatedAt.UTC().Format(time.DateOnly), string(e.EndedOn)}
		for i := range row {
			row[i] = EscapeCSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

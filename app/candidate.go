package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// CandidateQuery asks who could take a role in a proposal: the coach or
// mentor ("guide"), or the learner.
type CandidateQuery struct {
	Kind    tandem.Kind
	Role    string // "guide" or "learner"
	Query   string // name, email or title, any part
	SkillID int64  // coaching: the skill to coach
	// Learner is the learner's email, for the guide role: a mentor cannot
	// be in their management chain, nor be them.
	Learner string
	// Guide is the coach's or mentor's email, for the learner role.
	Guide string
	// Limit is how many to return: 0 is 20, at most MaxCandidatesPage; -1
	// (the web's reading of a limit that is not a number) is refused.
	Limit int
}

// MaxCandidatesPage is the largest page of Candidates.
const MaxCandidatesPage = 50

// Candidate is one person found, whether they can take the role and, when
// not, why.
type Candidate struct {
	Person    tandem.PersonRef
	Available bool
	Reason    string // why not, when not available
}

// Candidates searches the directory for who could take a role in a
// proposal: by name, email or title; without a search, the people open to
// the role. People who left never appear. Each is marked available or not,
// with the reason ("in the learner's management chain", "not open to
// mentoring"…); the available come first. Members only: a guest sees no
// one (EFORBIDDEN), as in the directory.
func (a *App) Candidates(ctx context.Context, q CandidateQuery) ([]Candidate, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	var fe tandem.FieldErrors
	if q.Kind != tandem.Coaching && q.Kind != tandem.Mentoring {
		fe.Add("kind", "Choose coaching or mentoring.")
	}
	if q.Role != "guide" && q.Role != "learner" {
		fe.Add("role", "Choose guide (the coach or mentor) or learner.")
	}
	checkPage(&fe, q.Limit, 0, MaxCandidatesPage)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var skill *tandem.Skill
	if q.SkillID != 0 && q.Kind == tandem.Coaching {
		if skill, err = a.DB.SkillByID(ctx, act.Org.ID, q.SkillID); tandem.ErrorCode(err) == tandem.ENOTFOUND {
			return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a skill from the list.", Fields: map[string]string{"skill": "Choose a skill from the list."}}
		} else if err != nil {
			return nil, err
		}
	}
	other := func(email string) int64 {
		if email = tandem.NormalizeEmail(email); email == "" {
			return 0
		}
		id, _ := a.DB.PersonIDByEmail(ctx, act.Org.ID, email)
		return id
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	f := sqldb.PeopleFilter{Query: strings.TrimSpace(q.Query), Limit: limit}
	if f.Query == "" && q.Role == "guide" {
		// Without a search, offer those open to the role.
		if q.Kind == tandem.Mentoring {
			f.OpenToMentor = true
		} else {
			f.OpenToCoach = true
			if skill != nil {
				f.SkillID = skill.ID
			}
		}
	}
	people, _, err := a.DB.SearchPeople(ctx, act.Org.ID, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(people))
	for i := range people {
		ids[i] = people[i].ID
	}
	out := make([]Candidate, 0, len(people))
	if q.Role == "learner" {
		guideID := other(q.Guide)
		for _, p := range people {
			c := Candidate{Person: ref(&p), Available: true}
			switch {
			case p.Guest:
				c.Available, c.Reason = false, "a guest of the organization"
			case p.ID == guideID:
				c.Available, c.Reason = false, "already chosen as the "+strings.ToLower(q.Kind.GuideLabel())
			}
			out = append(out, c)
		}
		return availableFirst(out), nil
	}
	learnerID := other(q.Learner)
	var chain map[int64]bool
	var load map[int64]int
	if q.Kind == tandem.Mentoring {
		if learnerID != 0 {
			if chain, err = a.DB.InChainWith(ctx, act.Org.ID, learnerID, ids); err != nil {
				return nil, err
			}
		}
		if load, err = a.DB.OpenMentoring(ctx, act.Org.ID, ids); err != nil {
			return nil, err
		}
	}
	for _, p := range people {
		c := Candidate{Person: ref(&p), Available: true}
		switch {
		case p.ID == learnerID:
			c.Available, c.Reason = false, "the learner"
		case q.Kind == tandem.Mentoring && !p.OpenToMentor():
			c.Available, c.Reason = false, "not open to mentoring"
		case q.Kind == tandem.Mentoring && chain[p.ID]:
			c.Available, c.Reason = false, "in the learner's management chain"
		case q.Kind == tandem.Mentoring && load[p.ID] >= p.MentorCapacity:
			c.Available, c.Reason = false, fmt.Sprintf("already mentoring %d, their limit", load[p.ID])
		case q.Kind == tandem.Coaching && skill == nil && !p.OpenToCoach():
			c.Available, c.Reason = false, "not open to coaching"
		case q.Kind == tandem.Coaching && skill != nil && !coaches(p, skill.ID):
			c.Available, c.Reason = false, "not open to coaching "+skill.Name
		}
		out = append(out, c)
	}
	return availableFirst(out), nil
}

func coaches(p tandem.Person, skillID int64) bool {
	for _, s := range p.Skills {
		if s.SkillID == skillID && s.Coaches {
			return true
		}
	}
	return false
}

// availableFirst keeps the directory's order (by name) within the
// available and the unavailable.
func availableFirst(cs []Candidate) []Candidate {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Available && !cs[j].Available })
	return cs
}

package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Propose starts an engagement as a draft with version 1 of its outcome
// agreement. The learner, the guide, the learner's manager, a program
// admin or an administrator may propose. Coaching needs one skill from the
// catalogue, a setting and dates within the organization's maximum;
// mentoring is refused when either partner is in the other's management
// chain, unless an administrator proposes it with an exception and reason.
func (a *App) Propose(ctx context.Context, p tandem.Proposal, exception string) (*tandem.Engagement, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	org := act.Org.ID
	var fe tandem.FieldErrors
	if p.Kind != tandem.Coaching && p.Kind != tandem.Mentoring {
		fe.Add("kind", "Choose coaching or mentoring.")
		return nil, fe.Err()
	}
	learner, err := a.partyPerson(ctx, org, p.LearnerID, "learner")
	if err != nil {
		return nil, err
	}
	guide, err := a.partyPerson(ctx, org, p.GuideID, "guide")
	if err != nil {
		return nil, err
	}
	if learner.ID == guide.ID {
		fe.Add("guide", fmt.Sprintf("Choose someone other than %s: a %s needs two people.", learner.Name, strings.ToLower(p.Kind.Label())))
		return nil, fe.Err()
	}
	me := act.Person
	if me.ID != learner.ID && me.ID != guide.ID && me.ID != learner.ManagerID && me.Role == tandem.RoleMember {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the two partners, %s's manager or a program admin can propose this.", learner.Name)
	}
	settings, err := a.DB.OrgSettings(ctx, org)
	if err != nil {
		return nil, err
	}
	e := &tandem.Engagement{OrgID: org, Kind: p.Kind, CreatedBy: me.ID,
		Learner: ref(learner), Guide: ref(guide), ShareHistory: p.ShareHistory && me.ID == learner.ID}
	// The learner's manager is a party, unless they are the coach already.
	if learner.ManagerID != 0 && learner.ManagerID != guide.ID {
		mgr, err := a.DB.PersonByID(ctx, org, learner.ManagerID)
		if err != nil {
			return nil, err
		}
		if mgr.Left() {
			fe.Add("learner", fmt.Sprintf("%s's manager, %s, has left the organization: an administrator sets a new manager first.", learner.Name, mgr.Name))
			return nil, fe.Err()
		}
		e.Manager = ref(mgr)
		e.ManagerRequired = p.Kind == tandem.Coaching || !settings.MentoringManagerOptional
	}
	ag := p.Agreement
	ag.CreatedBy = me.ID
	if p.Kind == tandem.Coaching {
		ag.SkillID = p.SkillID
		e.Setting = strings.TrimSpace(p.Setting)
		switch {
		case e.Setting == "":
			fe.Add("setting", "Say where the coaching happens: a team, a site, online…")
		case utf8.RuneCountInString(e.Setting) > 120:
			fe.Add("setting", "Use at most 120 characters.")
		}
		if p.SkillID != 0 {
			sk, err := a.DB.SkillByID(ctx, org, p.SkillID)
			switch {
			case tandem.ErrorCode(err) == tandem.ENOTFOUND:
				fe.Add("skill", "Choose a skill from the organization's catalogue.")
			case err != nil:
				return nil, err
			case sk.Retired():
				fe.Add("skill", sk.Name+" is retired in the catalogue; choose another skill.")
			default:
				e.SkillID, e.SkillName = sk.ID, sk.Name
			}
		}
	} else {
		if e.Areas, err = tandem.CleanAreas(p.Areas); err != nil {
			for k, v := range tandem.ErrorFields(err) {
				fe.Add(k, v)
			}
		}
		e.ReviewMonths = settings.ReviewMonths
	}
	for k, v := range tandem.ErrorFields(ag.Validate(p.Kind)) {
		fe.Add(k, v)
	}
	if fe == nil {
		for k, v := range tandem.ErrorFields(ag.CheckDuration(settings)) {
			fe.Add(k, v)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	e.Start, e.End = ag.Start, ag.End
	if p.Kind == tandem.Mentoring {
		exception = strings.TrimSpace(exception)
		if exception != "" && me.Role != tandem.RoleAdmin {
			return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only an administrator can allow an exception to the hierarchy rule.")
		}
		if exception != "" && (me.ID == learner.ID || me.ID == guide.ID) {
			return nil, tandem.Errorf(tandem.EFORBIDDEN, "You would be part of this partnership: another administrator decides on the exception.")
		}
		related, err := a.DB.Related(ctx, org, learner.ID, guide.ID)
		if err != nil {
			return nil, err
		}
		if related && exception == "" {
			return nil, hierarchyError(learner.Name, guide.Name)
		}
		if related {
			// Recorded with the proposal, in its transaction.
			e.Exception, e.ExceptionBy = exception, ref(me)
		}
	}
	if err := a.DB.CreateEngagement(ctx, e, &ag); err != nil {
		var oc *sqldb.OpenCoachingConflict
		if errors.As(err, &oc) {
			return nil, a.openCoachingConflict(ctx, act, oc.First)
		}
		return nil, err
	}
	return a.DB.EngagementByID(ctx, org, e.ID)
}

// openCoachingConflict refuses a second open coaching engagement for a
// learner and skill. The rule holds for everyone, but only someone who may
// see the first engagement (a party to it, its successor coach, a program
// admin or an administrator) is told which it is and with whom; anyone else
// gets the conflict without names or numbers. The refusal itself cannot
// help telling them that such an engagement exists: once every other check
// has passed, this rule is the only reason left, so saying it costs nothing
// more and tells the proposer why. Coach, number and status it does not
// tell.
func (a *App) openCoachingConflict(ctx context.Context, act *tandem.Actor, first *tandem.Engagement) error {
	_, err := a.viewer(ctx, act, first)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		msg := sqldb.OpenCoachingMessage // the same answer as when two proposals race
		return &tandem.Error{Code: tandem.ECONFLICT, Message: msg, Fields: map[string]string{"skill": msg}}
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%s already has an open coaching engagement for %s with %s (#%d, %s): one engagement per skill at a time.",
		first.Learner.Name, first.SkillName, first.Guide.Name, first.ID, first.Status)
	return &tandem.Error{Code: tandem.ECONFLICT, Message: msg, Fields: map[string]string{"skill": msg}}
}

func ref(p *tandem.Person) tandem.PersonRef {
	return tandem.PersonRef{ID: p.ID, Name: p.Name, Email: p.Email, Title: p.Title}
}

// partyPerson loads a person named in a proposal, as a field error when
// they are not in the organization.
func (a *App) partyPerson(ctx context.Context, orgID, id int64, field string) (*tandem.Person, error) {
	if id == 0 {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose both people.", Fields: map[string]string{field: "Choose a person."}}
	}
	p, err := a.DB.PersonByID(ctx, orgID, id)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose people from your organization.",
			Fields: map[string]string{field: "No such person in your organization."}}
	}
	if err == nil && p.Left() {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose people who are in your organization.",
			Fields: map[string]string{field: p.Name + " has left the organization."}}
	}
	return p, err
}

// hierarchyError explains the outside-the-hierarchy rule.
func hierarchyError(learner, guide string) error {
	msg := fmt.Sprintf("%s and %s are in the same management chain. Mentoring happens outside the supervisory hierarchy, so the mentor cannot be the protégé's manager at any level, nor the other way round. Choose another mentor, or ask an administrator to allow an exception with a reason.",
		guide, learner)
	return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"guide": msg}}
}

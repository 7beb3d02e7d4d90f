package app

import (
	"context"
	"fmt"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// ListSkills returns the organization's skill catalogue; every member may
// read it.
func (a *App) ListSkills(ctx context.Context) ([]tandem.Skill, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.ListSkills(ctx, act.Org.ID)
}

// SkillChoices returns the catalogue's skills that can still be chosen, by
// name, for the forms that pick skills (a profile, a coaching proposal):
// anyone signed in to the organization. It leaves out how many profiles
// list each skill. The catalogue is for members: a guest is offered only
// the skills they already know of (see guestSkills).
func (a *App) SkillChoices(ctx context.Context) ([]tandem.Skill, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	all, err := a.DB.ListSkills(ctx, act.Org.ID)
	if err != nil {
		return nil, err
	}
	var known map[int64]bool
	if act.Person.Guest {
		if known, err = a.guestSkills(ctx, act); err != nil {
			return nil, err
		}
	}
	var out []tandem.Skill
	for _, sk := range all {
		if !sk.Retired() && (known == nil || known[sk.ID]) {
			sk.People = 0
			out = append(out, sk)
		}
	}
	return out, nil
}

// guestSkills returns the ids of the skills a guest may know of: those of
// the coaching engagements they are a party to and those already on their
// profile. Every other skill of the catalogue is, to a guest, a skill that
// does not exist.
func (a *App) guestSkills(ctx context.Context, act *tandem.Actor) (map[int64]bool, error) {
	known := map[int64]bool{}
	list, err := a.DB.ListEngagements(ctx, act.Org.ID, sqldb.EngagementFilter{PartyID: act.Person.ID, Kind: tandem.Coaching, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		known[e.SkillID] = true
	}
	me, err := a.DB.PersonByID(ctx, act.Org.ID, act.Person.ID)
	if err != nil {
		return nil, err
	}
	for _, sk := range me.Skills {
		known[sk.SkillID] = true
	}
	return known, nil
}

// checkGuestSkills refuses, for a guest, a profile skill outside the ones
// they know of with the store's answer for a skill that is not in the
// catalogue, so a guest cannot probe the catalogue by name.
func (a *App) checkGuestSkills(ctx context.Context, act *tandem.Actor, prof *tandem.Profile) error {
	if !act.Person.Guest || len(prof.Skills) == 0 {
		return nil
	}
	known, err := a.guestSkills(ctx, act)
	if err != nil {
		return err
	}
	all, err := a.DB.ListSkills(ctx, act.Org.ID)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for _, sk := range all {
		if known[sk.ID] {
			names[tandem.SkillKey(sk.Name)] = true
		}
	}
	for _, s := range prof.Skills {
		if !names[tandem.SkillKey(s.Name)] {
			return &tandem.Error{Code: tandem.EINVALID, Message: "Choose skills from the catalogue.",
				Fields: map[string]string{"skills": fmt.Sprintf("%q is not in the skill catalogue.", s.Name)}}
		}
	}
	return nil
}

func skillNameError(msg string) error {
	return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"name": msg}}
}

// CreateSkill adds a skill to the catalogue; administrators only.
func (a *App) CreateSkill(ctx context.Context, name string) (*tandem.Skill, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	name, msg := tandem.CleanSkillName(name)
	if msg != "" {
		return nil, skillNameError(msg)
	}
	s := &tandem.Skill{OrgID: act.Org.ID, Name: name}
	return s, a.DB.CreateSkill(ctx, s)
}

// RenameSkill renames a skill; profiles follow. Administrators only.
func (a *App) RenameSkill(ctx context.Context, id int64, name string) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	name, msg := tandem.CleanSkillName(name)
	if msg != "" {
		return skillNameError(msg)
	}
	return a.DB.RenameSkill(ctx, act.Org.ID, id, name)
}

// MergeSkills folds one skill into another; administrators only.
func (a *App) MergeSkills(ctx context.Context, from, into int64) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	if into == 0 {
		return &tandem.Error{Code: tandem.EINVALID, Message: "Choose the skill to merge into.", Fields: map[string]string{"into": "Choose a skill."}}
	}
	return a.DB.MergeSkills(ctx, act.Org.ID, from, into)
}

// SetSkillRetired retires a skill or brings it back; administrators only.
func (a *App) SetSkillRetired(ctx context.Context, id int64, retired bool) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	return a.DB.SetSkillRetired(ctx, act.Org.ID, id, retired)
}

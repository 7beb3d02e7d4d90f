package app

import (
	"context"

	"github.com/tandemhq/tandem"
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
// anyone signed in to the organization, guests included, since a guest
// coach keeps a profile and revises agreements too. It leaves out how many
// profiles list each skill.
func (a *App) SkillChoices(ctx context.Context) ([]tandem.Skill, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	all, err := a.DB.ListSkills(ctx, act.Org.ID)
	if err != nil {
		return nil, err
	}
	var out []tandem.Skill
	for _, sk := range all {
		if !sk.Retired() {
			sk.People = 0
			out = append(out, sk)
		}
	}
	return out, nil
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

package app

import "context"

// CheckPropose answers whether the actor may propose engagements, for the
// proposal form and before its fields are checked: members, not guests,
// as Propose (which also checks who the partners are).
func (a *App) CheckPropose(ctx context.Context) error {
	_, err := member(ctx)
	return err
}

package app

import "context"

// CheckImportPeople answers whether the actor may import people, for the
// page that offers the upload: administrators only, as ImportPeople.
func (a *App) CheckImportPeople(ctx context.Context) error {
	_, err := admin(ctx)
	return err
}

// CheckPropose answers whether the actor may propose engagements, for the
// proposal form and before its fields are checked: members, not guests,
// as Propose (which also checks who the partners are).
func (a *App) CheckPropose(ctx context.Context) error {
	_, err := member(ctx)
	return err
}

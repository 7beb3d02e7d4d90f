package app

import "context"

// CheckImportPeople answers whether the actor may import people, for the
// page that offers the upload: administrators only, as ImportPeople.
func (a *App) CheckImportPeople(ctx context.Context) error {
	_, err := admin(ctx)
	return err
}

package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/tandemhq/tandem"
)

// apiTokenPrefix marks Tandem API tokens, so secret scanners can find
// leaked ones and a token is never mistaken for a session id.
const apiTokenPrefix = "tdm_"

// CreateAPIToken makes a personal API token for the actor and returns its
// secret, which is shown once and never stored. Only a browser session may
// create one: a token that could mint tokens would let whoever stole it
// keep access after it is revoked (a token records no parent to revoke
// with it).
func (a *App) CreateAPIToken(ctx context.Context, name string) (string, *tandem.APIToken, error) {
	act, err := actor(ctx)
	if err != nil {
		return "", nil, err
	}
	if act.TokenID != 0 {
		return "", nil, tandem.Errorf(tandem.EFORBIDDEN, "An API token cannot create tokens. Create one on the API tokens page, signed in with a browser.")
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", nil, &tandem.Error{Code: tandem.EINVALID, Message: "Name the token.", Fields: map[string]string{"name": "Enter a name, such as the script that will use it."}}
	case utf8.RuneCountInString(name) > 80:
		return "", nil, &tandem.Error{Code: tandem.EINVALID, Message: "The name is too long.", Fields: map[string]string{"name": "Use at most 80 characters."}}
	}
	secret, hash := newSecret(apiTokenPrefix)
	t := &tandem.APIToken{OrgID: act.Org.ID, PersonID: act.Person.ID, Name: name, Prefix: secret[:len(apiTokenPrefix)+6]}
	if err := a.DB.CreateAPIToken(ctx, t, hash); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// ListAPITokens lists the actor's tokens.
func (a *App) ListAPITokens(ctx context.Context) ([]tandem.APIToken, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.ListAPITokens(ctx, act.Org.ID, act.Person.ID)
}

// RevokeAPIToken revokes one of the actor's own tokens. A token may revoke
// tokens, itself included: that only ever takes access away.
func (a *App) RevokeAPIToken(ctx context.Context, id int64) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.DB.RevokeAPIToken(ctx, act.Org.ID, act.Person.ID, id)
}

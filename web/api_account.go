package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
)

type orgJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
	Kind string `json:"kind"`
	Demo bool   `json:"demo"`
}

type personJSON struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

func toPersonJSON(p *tandem.Person) personJSON {
	return personJSON{ID: p.ID, Email: p.Email, Name: p.Name, Role: p.Role}
}

type meJSON struct {
	Person personJSON `json:"person"`
	Org    orgJSON    `json:"org"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	a := tandem.ActorFrom(r.Context())
	writeJSON(w, http.StatusOK, meJSON{Person: toPersonJSON(a.Person),
		Org: orgJSON{ID: a.Org.ID, Name: a.Org.Name, Slug: a.Org.Slug, Kind: a.Org.Kind, Demo: a.Org.Demo}})
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) {
	people, err := s.app.ListMembers(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]personJSON, len(people))
	for i := range people {
		out[i] = toPersonJSON(&people[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": out})
}

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	// Token is the secret, present only in the answer that creates it.
	Token string `json:"token,omitempty"`
}

func toTokenJSON(t *tandem.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.app.ListAPITokens(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]tokenJSON, len(ts))
	for i := range ts {
		out[i] = toTokenJSON(&ts[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	secret, t, err := s.app.CreateAPIToken(r.Context(), in.Name)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := toTokenJSON(t)
	out.Token = secret
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, tandem.Errorf(tandem.ENOTFOUND, "No such active API token."))
		return
	}
	if err := s.app.RevokeAPIToken(r.Context(), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type invitationJSON struct {
	ID        int64      `json:"id"`
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Guest     bool       `json:"guest"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
}

func toInvitationJSON(i *tandem.Invitation) invitationJSON {
	return invitationJSON{ID: i.ID, Email: i.Email, Name: i.Name, Role: i.Role, Guest: i.Guest, CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt, UsedAt: i.UsedAt}
}

func (s *Server) apiInvitations(w http.ResponseWriter, r *http.Request) {
	invs, err := s.app.ListInvitations(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]invitationJSON, len(invs))
	for i := range invs {
		out[i] = toInvitationJSON(&invs[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": out})
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Role  string `json:"role"`
		Guest bool   `json:"guest"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	inv, err := s.app.Invite(r.Context(), in.Email, in.Name, in.Role, in.Guest)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toInvitationJSON(inv))
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.ChangePassword(r.Context(), in.CurrentPassword, in.NewPassword); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

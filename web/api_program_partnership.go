package web

import (
	"net/http"
	"time"

	"github.com/tandemhq/tandem/sqldb"
)

// What a program's admins see of its partnerships and self-serve
// requests: GET /api/v1/programs/{id}/partnerships and
// /api/v1/programs/{id}/request-statuses. Status only: no agreement, no
// notes, no request message.

type programPartnershipJSON struct {
	EngagementID int64      `json:"engagement_id"`
	Mentee       refJSON    `json:"mentee"`
	Mentor       refJSON    `json:"mentor"`
	Status       string     `json:"status"`
	Phase        string     `json:"phase,omitempty"` // from its start
	ProposedAt   time.Time  `json:"proposed_at"`
	StartedAt    *time.Time `json:"started_at"`
	LastSession  *time.Time `json:"last_session"`
}

func (s *Server) apiProgramPartnerships(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, total, err := s.app.ProgramPartnerships(r.Context(), programID(r), pageParam(q.Get("limit"), 1), pageParam(q.Get("offset"), 0))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]programPartnershipJSON, len(list))
	for i, p := range list {
		out[i] = programPartnershipJSON{EngagementID: p.EngagementID, Mentee: toRefJSON(p.Mentee), Mentor: toRefJSON(p.Mentor),
			Status: string(p.Status), Phase: string(p.Phase), ProposedAt: p.ProposedAt, StartedAt: p.StartedAt, LastSession: p.LastSession}
	}
	writeJSON(w, http.StatusOK, map[string]any{"partnerships": out, "total": total})
}

type programRequestStatusJSON struct {
	ID           int64      `json:"id"`
	Mentee       refJSON    `json:"mentee"`
	Mentor       refJSON    `json:"mentor"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"created_at"`
	AnsweredAt   *time.Time `json:"answered_at"`
	EngagementID int64      `json:"engagement_id,omitempty"`
}

func toProgramRequestStatusJSON(x sqldb.ProgramRequestStatus) programRequestStatusJSON {
	return programRequestStatusJSON{ID: x.ID, Mentee: toRefJSON(x.Mentee), Mentor: toRefJSON(x.Mentor), Status: string(x.Status),
		CreatedAt: x.CreatedAt, AnsweredAt: x.AnsweredAt, EngagementID: x.EngagementID}
}

func (s *Server) apiProgramRequestStatuses(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, total, err := s.app.ProgramRequestStatuses(r.Context(), programID(r), pageParam(q.Get("limit"), 1), pageParam(q.Get("offset"), 0))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]programRequestStatusJSON, len(list))
	for i := range list {
		out[i] = toProgramRequestStatusJSON(list[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": out, "total": total})
}

package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

type importPage struct {
	Page
	Report  *tandem.ImportReport
	Message string // a problem with the upload as a whole
	Columns []string
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckImportPeople(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "import", &importPage{Page: Page{Title: "Import people", Nav: "admin"}, Columns: tandem.PeopleColumns})
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	p := &importPage{Page: Page{Title: "Import people", Nav: "admin"}, Columns: tandem.PeopleColumns}
	file, _, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = tandem.Errorf(tandem.ETOOLARGE, "The file is larger than %d MiB; split it into several files.", app.MaxImportBytes>>20)
		} else {
			err = tandem.Errorf(tandem.EINVALID, "Choose a CSV file to upload.")
		}
		p.Message = tandem.ErrorMessage(err)
		s.render(w, r, s.status(r, err), "import", p)
		return
	}
	defer file.Close()
	rep, err := s.app.ImportPeople(r.Context(), file, nil)
	p.Report = rep
	switch code := tandem.ErrorCode(err); code {
	case "":
		s.render(w, r, http.StatusOK, "import", p)
	case tandem.EINVALID, tandem.ETOOLARGE:
		if rep == nil || rep.OK() {
			p.Message = tandem.ErrorMessage(err)
		}
		s.render(w, r, s.status(r, err), "import", p)
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// Check permission before the first byte, so a refusal is a real page.
	if !tandem.ActorFrom(ctx).Person.IsAdmin() {
		s.serverError(w, r, tandem.Errorf(tandem.EFORBIDDEN, "Only administrators can export people."))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-people-%s.csv"`,
		tandem.ActorFrom(ctx).Org.Slug, time.Now().UTC().Format("2006-01-02")))
	if err := s.app.ExportPeople(ctx, w); err != nil {
		// Headers are gone; log it, and the truncated file shows the failure.
		s.log.ErrorContext(ctx, "export people", "err", err)
	}
}

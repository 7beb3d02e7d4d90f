package web

import (
	"errors"
	"fmt"
	"io"
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
	if err := s.app.MayImportPeople(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "import", &importPage{Page: Page{Title: "Import people", Nav: "admin"}, Columns: tandem.PeopleColumns})
}

// handleImport checks that the actor may import before it reads a byte of
// the upload, then streams the file part into the parser: nothing is
// buffered in memory or spooled to disk first.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	if err := s.app.MayImportPeople(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &importPage{Page: Page{Title: "Import people", Nav: "admin"}, Columns: tandem.PeopleColumns}
	// An import that stops early (a file over a limit, a line that is not
	// CSV) leaves the rest of the upload unread; read it to the end of the
	// body limit so the browser gets the page instead of a reset connection.
	defer io.Copy(io.Discard, r.Body)
	file, err := uploadedFile(r, "file")
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

// uploadedFile returns the first file sent in the multipart field name, as
// a stream over the request body.
func uploadedFile(r *http.Request, name string) (io.Reader, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, err // io.EOF: there is no such file
		}
		if part.FormName() == name && part.FileName() != "" {
			return part, nil
		}
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

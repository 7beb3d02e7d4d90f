package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

type importPage struct {
	Page
	Report  *tandem.ImportReport
	Message string // a problem with the upload as a whole
	Columns []string
	// DeactivateMissing is the option as the form sent it; a report of a
	// dry run with people to deactivate asks to confirm them (Confirm).
	DeactivateMissing bool
}

// Confirm returns the ids a preview lists for deactivation, for the
// confirmation form.
func (p *importPage) Confirm() string {
	var b strings.Builder
	for i, d := range p.Report.Deactivated {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(d.ID, 10))
	}
	return b.String()
}

// importOptions reads the import form's options. "Deactivate everyone not
// in the file" without a confirmation is a preview; the confirmation
// carries the ids the preview listed ("confirm", possibly empty).
func importOptions(v url.Values) (app.ImportOptions, error) {
	opts := app.ImportOptions{DeactivateMissing: v.Get("deactivate_missing") != ""}
	if !opts.DeactivateMissing {
		return opts, nil
	}
	if !v.Has("confirm") {
		opts.DryRun = true
		return opts, nil
	}
	opts.Confirmed = []int64{}
	for _, f := range strings.Split(v.Get("confirm"), ",") {
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return opts, tandem.Errorf(tandem.EINVALID, "The confirmation is not one this server made; preview the import again.")
		}
		opts.Confirmed = append(opts.Confirmed, id)
	}
	return opts, nil
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
	file, fields, err := uploadedFileAndFields(r, "file")
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
	opts, err := importOptions(fields)
	if err != nil {
		p.Message = tandem.ErrorMessage(err)
		s.render(w, r, s.status(r, err), "import", p)
		return
	}
	p.DeactivateMissing = opts.DeactivateMissing
	rep, err := s.app.ImportPeopleWith(r.Context(), file, opts, nil)
	p.Report = rep
	switch code := tandem.ErrorCode(err); code {
	case "":
		s.render(w, r, http.StatusOK, "import", p)
	case tandem.EINVALID, tandem.ETOOLARGE, tandem.ECONFLICT:
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
	f, _, err := uploadedFileAndFields(r, name)
	return f, err
}

// maxFormField is the longest form field read beside an upload.
const maxFormField = 64 << 10

// uploadedFileAndFields is uploadedFile that also returns the form's
// fields sent before the file (browsers send them in the form's order),
// each cut at maxFormField bytes.
func uploadedFileAndFields(r *http.Request, name string) (io.Reader, url.Values, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, err
	}
	fields := url.Values{}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, nil, err // io.EOF: there is no such file
		}
		if part.FormName() == name && part.FileName() != "" {
			return part, fields, nil
		}
		if part.FileName() == "" && part.FormName() != "" {
			b, err := io.ReadAll(io.LimitReader(part, maxFormField))
			if err != nil {
				return nil, nil, err
			}
			fields.Add(part.FormName(), string(b))
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

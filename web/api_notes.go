package web

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
)

// articleJSON is an article in the API.
type articleJSON struct {
	ID          int64      `json:"id"`
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Topics      []string   `json:"topics"`
	Body        string     `json:"body"`
	HTML        string     `json:"html"`
	Status      string     `json:"status"`
	PublishedAt *time.Time `json:"published_at"`
	AuthorID    int64      `json:"author_id"`
	Author      string     `json:"author"`
	URL         string     `json:"url"`
}

func (s *Server) articleJSON(r *http.Request, a *tandem.Article) articleJSON {
	topics := a.Topics
	if topics == nil {
		topics = []string{}
	}
	org := tandem.ActorFrom(r.Context()).Org
	return articleJSON{ID: a.ID, Slug: a.Slug, Title: a.Title, Summary: a.Summary, Topics: topics, Body: a.Body, HTML: a.HTML,
		Status: a.Status(s.app.DB.Now()), PublishedAt: a.PublishedAt, AuthorID: a.AuthorID, Author: a.AuthorName,
		URL: s.app.NotesURL(r.Context(), org) + "/" + a.Slug}
}

func (s *Server) apiArticles(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Articles(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]articleJSON, len(list))
	for i := range list {
		out[i] = s.articleJSON(r, &list[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"articles": out})
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a, err := s.app.Article(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.articleJSON(r, a))
}

func (s *Server) apiSaveArticle(w http.ResponseWriter, r *http.Request) {
	var id int64
	if r.PathValue("id") != "" {
		id, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
		if id == 0 {
			s.apiError(w, r, tandem.Errorf(tandem.ENOTFOUND, "No such article."))
			return
		}
	}
	var in tandem.ArticleInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.app.SaveArticle(r.Context(), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	st := http.StatusOK
	if id == 0 {
		st = http.StatusCreated
	}
	writeJSON(w, st, s.articleJSON(r, a))
}

func (s *Server) apiSubscribeMe(w http.ResponseWriter, r *http.Request) {
	if err := s.app.SubscribeMe(r.Context()); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": tandem.SubscriberConfirmed})
}

func (s *Server) apiExportSubscribers(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.DigestSchedule(r.Context()); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	if err := s.app.ExportSubscribers(r.Context(), w); err != nil {
		s.log.ErrorContext(r.Context(), "export subscribers", "err", err)
	}
}

// apiImportSubscribers takes the CSV as the request body. A file with
// problems answers 422 with the report in "report" (the first 1,000
// problems, and more_problems); success says how many were imported.
func (s *Server) apiImportSubscribers(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.DigestSchedule(r.Context()); err != nil { // administrators only, before reading the body
		s.apiError(w, r, err)
		return
	}
	defer io.Copy(io.Discard, r.Body)
	rep, err := s.app.ImportSubscribers(r.Context(), r.Body)
	if err != nil {
		if rep == nil || tandem.ErrorCode(err) != tandem.EINVALID {
			s.apiError(w, r, err)
			return
		}
		writeProblem(w, r, s.status(r, err), err, map[string]any{"report": toImportReportJSON(rep)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"imported": rep.Created, "rows": rep.Rows})
}

type digestJSON struct {
	ID        int64     `json:"id"`
	Period    string    `json:"period"`
	Since     time.Time `json:"since"`
	Until     time.Time `json:"until"`
	Articles  int       `json:"articles"`
	CreatedAt time.Time `json:"created_at"`
	Delivered int       `json:"delivered"`
	Refused   int       `json:"refused"`
	Uncertain int       `json:"uncertain"`
}

// apiDigests lists the latest digests with their counts.
func (s *Server) apiDigests(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.DigestReports(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []digestJSON{}
	for _, d := range list {
		out = append(out, digestJSON{ID: d.ID, Period: d.Period, Since: d.Since, Until: d.Until, Articles: d.Articles, CreatedAt: d.CreatedAt,
			Delivered: d.Delivered, Refused: d.Refused, Uncertain: d.Uncertain})
	}
	writeJSON(w, http.StatusOK, map[string]any{"digests": out})
}

func (s *Server) apiDigestSchedule(w http.ResponseWriter, r *http.Request) {
	sch, err := s.app.DigestSchedule(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sch)
}

func (s *Server) apiSetDigestSchedule(w http.ResponseWriter, r *http.Request) {
	var sch tandem.DigestSchedule
	if err := decodeJSON(r, &sch); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.SetDigestSchedule(r.Context(), sch); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sch)
}

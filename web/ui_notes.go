package web

import (
	"encoding/xml"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Coach Notes: the public pages of an organization's notes, at
// /o/{org-slug}/notes (the organization's slug names it, so several
// organizations share one installation), its Atom feed, the subscription
// links, and the authors' and administrators' pages.

type notesPage struct {
	Page
	Org      *tandem.Org
	Articles []tandem.Article
	Form     Form
	Sent     bool
	Base     string
}

type notePage struct {
	Page
	Org     *tandem.Org
	Article *tandem.Article
	Body    template.HTML
	Form    Form
	Base    string
}

func notesBase(org *tandem.Org) string { return "/o/" + org.Slug + "/notes" }

func (s *Server) showNotes(w http.ResponseWriter, r *http.Request, status int, form Form, sent bool) {
	org, list, err := s.app.PublicNotes(r.Context(), r.PathValue("org"), 100)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "notes", &notesPage{Page: Page{Title: "Coach Notes · " + org.Name}, Org: org, Articles: list, Form: form, Sent: sent, Base: notesBase(org)})
}

func (s *Server) handlePublicNotes(w http.ResponseWriter, r *http.Request) {
	s.showNotes(w, r, http.StatusOK, Form{}, false)
}

func (s *Server) handlePublicNote(w http.ResponseWriter, r *http.Request) {
	org, art, err := s.app.PublicNote(r.Context(), r.PathValue("org"), r.PathValue("slug"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// The HTML was sanitized by bluemonday when the article was saved.
	s.render(w, r, http.StatusOK, "note", &notePage{Page: Page{Title: art.Title}, Org: org, Article: art, Body: template.HTML(art.HTML), Base: notesBase(org)})
}

// The short addresses /notes, /notes/{slug} and /notes/feed.atom lead
// (302) to an organization's own under /o/{org-slug}/notes when the
// installation has one organization or the operator named one
// (app.NotesHome). Otherwise /notes lists the organizations that publish,
// an article's short address leads to the one organization that
// published it, and there is no installation-wide feed.

type notesIndexPage struct {
	Page
	Orgs    []tandem.Org
	Message string
}

func (s *Server) handleNotesHome(w http.ResponseWriter, r *http.Request) {
	org, list, err := s.app.NotesHome(r.Context())
	switch {
	case err != nil:
		s.serverError(w, r, err)
	case org != nil:
		http.Redirect(w, r, notesBase(org), http.StatusFound)
	default:
		s.render(w, r, http.StatusOK, "notes_index", &notesIndexPage{Page: Page{Title: "Coach Notes"}, Orgs: list})
	}
}

func (s *Server) handleNotesHomeFeed(w http.ResponseWriter, r *http.Request) {
	org, list, err := s.app.NotesHome(r.Context())
	switch {
	case err != nil:
		s.serverError(w, r, err)
	case org != nil:
		http.Redirect(w, r, notesBase(org)+"/feed.atom", http.StatusFound)
	default:
		s.render(w, r, http.StatusNotFound, "notes_index", &notesIndexPage{Page: Page{Title: "No feed at this address"}, Orgs: list,
			Message: "There is no feed at this address: this site holds the Coach Notes of several organizations, and each has its own feed. Choose one below."})
	}
}

func (s *Server) handleNotesHomeNote(w http.ResponseWriter, r *http.Request) {
	org, err := s.app.NoteOrg(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, notesBase(org)+"/"+url.PathEscape(r.PathValue("slug")), http.StatusFound)
}

// handleSubscribe takes the form of the public pages (no JavaScript
// needed): the same answer whether the address was known or not.
func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	err := s.app.Subscribe(r.Context(), r.PathValue("org"), r.PostForm.Get("email"), s.clientAddress(r))
	switch tandem.ErrorCode(err) {
	case "":
		s.showNotes(w, r, http.StatusOK, Form{Values: r.PostForm}, true)
	case tandem.EINVALID:
		s.showNotes(w, r, s.status(r, err), formFrom(r, err), false)
	default:
		s.serverError(w, r, err)
	}
}

type subscriptionPage struct {
	Page
	Org     *tandem.Org
	Heading string
	Message string
	Email   string
	Action  string // the form's target, on a page that asks to confirm or unsubscribe
	Token   string // the confirmation form's hidden token
	Confirm bool   // the page asks to confirm a subscription (else to unsubscribe)
	Base    string
}

func (s *Server) subscriptionAnswer(w http.ResponseWriter, r *http.Request, status int, heading, msg string, org *tandem.Org) {
	p := &subscriptionPage{Page: Page{Title: heading}, Heading: heading, Message: msg, Org: org}
	if org != nil {
		p.Base = notesBase(org)
	}
	s.render(w, r, status, "subscription", p)
}

// handleConfirmPage shows the confirmation email's link: a page with a
// button that confirms. Following the link changes nothing, since mail
// scanners follow links too; the button's POST (handleConfirmSubscription)
// confirms, with the token in a hidden field.
func (s *Server) handleConfirmPage(w http.ResponseWriter, r *http.Request) {
	org, sub, err := s.app.ConfirmLink(r.Context(), r.PathValue("org"), r.PathValue("token"))
	if err != nil {
		if tandem.ErrorCode(err) == tandem.EINTERNAL || org == nil {
			s.serverError(w, r, err)
			return
		}
		s.subscriptionAnswer(w, r, s.status(r, err), "This link does not work", tandem.ErrorMessage(err), org)
		return
	}
	p := &subscriptionPage{Page: Page{Title: "Confirm your subscription"}, Org: org, Heading: "Confirm your subscription", Email: sub.Email,
		Base: notesBase(org), Action: notesBase(org) + "/confirm", Token: r.PathValue("token"), Confirm: true}
	switch sub.Status {
	case tandem.SubscriberConfirmed:
		p.Heading, p.Action, p.Message = "Already confirmed", "", sub.Email+" was confirmed already: nothing has changed."
	case tandem.SubscriberUnsubscribed:
		p.Heading, p.Action, p.Message = "This link does not work", "", "This address unsubscribed after this link was sent: subscribe again to receive the digest."
	}
	s.render(w, r, http.StatusOK, "subscription", p)
}

// handleConfirmSubscription is the confirmation page's button: the token
// comes in a hidden field. Like every public form, it is refused from
// another site (http.CrossOriginProtection, in routes).
func (s *Server) handleConfirmSubscription(w http.ResponseWriter, r *http.Request) {
	org, err := s.app.PublicOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, tandem.Errorf(tandem.EINVALID, "The form could not be read."))
		return
	}
	sub, fresh, err := s.app.Confirm(r.Context(), org.Slug, r.PostForm.Get("token"))
	switch {
	case err != nil && tandem.ErrorCode(err) != tandem.EINTERNAL:
		s.subscriptionAnswer(w, r, s.status(r, err), "This link does not work", tandem.ErrorMessage(err), org)
	case err != nil:
		s.serverError(w, r, err)
	case fresh:
		s.subscriptionAnswer(w, r, http.StatusOK, "Subscription confirmed",
			sub.Email+" will receive "+org.Name+"'s Coach Notes digest twice a month. Every digest has a link to unsubscribe.", org)
	default:
		s.subscriptionAnswer(w, r, http.StatusOK, "Already confirmed",
			sub.Email+" was confirmed already: nothing has changed.", org)
	}
}

// handleUnsubscribePage shows the footer link's page, which asks before it
// unsubscribes (a link scanner's GET must not unsubscribe anyone).
func (s *Server) handleUnsubscribePage(w http.ResponseWriter, r *http.Request) {
	org, sub, err := s.app.UnsubscribeLink(r.Context(), r.PathValue("org"), r.PathValue("token"))
	if err != nil {
		if tandem.ErrorCode(err) == tandem.EINTERNAL || org == nil {
			s.serverError(w, r, err)
			return
		}
		s.subscriptionAnswer(w, r, s.status(r, err), "This link does not work", tandem.ErrorMessage(err), org)
		return
	}
	p := &subscriptionPage{Page: Page{Title: "Unsubscribe"}, Org: org, Heading: "Unsubscribe", Email: sub.Email, Base: notesBase(org),
		Action: notesBase(org) + "/unsubscribe/" + r.PathValue("token")}
	if sub.Status == tandem.SubscriberUnsubscribed {
		p.Action, p.Message = "", sub.Email+" is unsubscribed: nothing more will be sent."
	}
	s.render(w, r, http.StatusOK, "subscription", p)
}

// handleUnsubscribe is RFC 8058's one-click POST (from a mail client,
// with the body List-Unsubscribe=One-Click) and the page's button: no
// sign-in, no second page.
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	sub, err := s.app.Unsubscribe(r.Context(), r.PathValue("org"), r.PathValue("token"))
	if err != nil {
		if tandem.ErrorCode(err) == tandem.EINTERNAL {
			s.serverError(w, r, err)
			return
		}
		s.subscriptionAnswer(w, r, s.status(r, err), "This link does not work", tandem.ErrorMessage(err), nil)
		return
	}
	s.subscriptionAnswer(w, r, http.StatusOK, "Unsubscribed", sub.Email+" will receive no more digests.", nil)
}

// Atom (RFC 4287), written with encoding/xml.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     atomPerson     `xml:"author"`
	Summary    string         `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
	Content    atomContent    `xml:"content"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func (s *Server) handleNotesFeed(w http.ResponseWriter, r *http.Request) {
	org, list, err := s.app.PublicNotes(r.Context(), r.PathValue("org"), 50)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := s.app.NotesURL(r.Context(), org)
	f := atomFeed{Title: org.Name + " · Coach Notes", ID: base, Updated: org.CreatedAt.UTC().Format(time.RFC3339),
		Links: []atomLink{{Rel: "self", Href: base + "/feed.atom", Type: "application/atom+xml"}, {Rel: "alternate", Href: base, Type: "text/html"}}}
	for _, a := range list {
		upd := a.UpdatedAt
		if a.PublishedAt.After(upd) {
			upd = *a.PublishedAt
		}
		if u := upd.UTC().Format(time.RFC3339); u > f.Updated {
			f.Updated = u
		}
		e := atomEntry{Title: a.Title, ID: base + "/" + a.Slug, Link: atomLink{Rel: "alternate", Href: base + "/" + a.Slug, Type: "text/html"},
			Published: a.PublishedAt.UTC().Format(time.RFC3339), Updated: upd.UTC().Format(time.RFC3339),
			Author: atomPerson{Name: a.AuthorName}, Summary: a.Summary, Content: atomContent{Type: "html", Body: a.HTML}}
		for _, t := range a.Topics {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		s.log.ErrorContext(r.Context(), "atom feed", "err", err)
	}
}

// The authors' pages.

type articlesPage struct {
	Page
	Articles []tandem.Article
	Now      time.Time
	MySub    string
	Base     string
	Writes   bool // the reader writes articles (a coach or an administrator)
}

func (s *Server) handleArticles(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Articles(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sub, err := s.app.MySubscription(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writes, err := s.app.MayWriteArticles(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	org := tandem.ActorFrom(r.Context()).Org
	s.render(w, r, http.StatusOK, "articles", &articlesPage{Page: Page{Title: "Coach Notes", Nav: "notes"}, Articles: list, Now: s.app.DB.Now(), MySub: sub,
		Base: notesBase(org), Writes: writes})
}

type articleFormPage struct {
	Page
	ID   int64
	Form Form
}

func (s *Server) handleNewArticle(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.ArticleToEdit(r.Context(), 0); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "article_form", &articleFormPage{Page: Page{Title: "New article", Nav: "notes"}, Form: Form{Values: map[string][]string{"status": {"draft"}}}})
}

func (s *Server) handleEditArticle(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if id <= 0 {
		s.serverError(w, r, tandem.Errorf(tandem.ENOTFOUND, "No such article."))
		return
	}
	a, err := s.app.ArticleToEdit(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := map[string][]string{"title": {a.Title}, "slug": {a.Slug}, "summary": {a.Summary}, "topics": {strings.Join(a.Topics, ", ")},
		"body": {a.Body}, "status": {a.Status(s.app.DB.Now())}}
	if a.PublishedAt != nil {
		v["publish_at"] = []string{a.PublishedAt.UTC().Format("2006-01-02T15:04")}
	}
	s.render(w, r, http.StatusOK, "article_form", &articleFormPage{Page: Page{Title: "Edit " + a.Title, Nav: "notes"}, ID: id, Form: Form{Values: v}})
}

// articleInput reads the editor's form; publish_at is UTC.
func articleInput(r *http.Request) (tandem.ArticleInput, error) {
	in := tandem.ArticleInput{Title: r.PostForm.Get("title"), Slug: r.PostForm.Get("slug"), Summary: r.PostForm.Get("summary"),
		Topics: []string{r.PostForm.Get("topics")}, Body: r.PostForm.Get("body"), Status: r.PostForm.Get("status")}
	if in.Status == tandem.ArticleScheduled && r.PostForm.Get("publish_at") != "" {
		t, err := time.Parse("2006-01-02T15:04", r.PostForm.Get("publish_at"))
		if err != nil {
			return in, &tandem.Error{Code: tandem.EINVALID, Message: "Check the publication time.", Fields: map[string]string{"publish_at": "Use a date and time like 2026-03-01T09:00 (UTC)."}}
		}
		in.PublishAt = t
	}
	return in, nil
}

func (s *Server) handleSaveArticle(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if r.PathValue("id") != "" && id <= 0 {
		s.serverError(w, r, tandem.Errorf(tandem.ENOTFOUND, "No such article."))
		return
	}
	in, err := articleInput(r)
	if err == nil {
		_, err = s.app.SaveArticle(r.Context(), id, in)
	}
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/articles", "Article saved.")
	case tandem.EINVALID, tandem.ECONFLICT:
		s.render(w, r, s.status(r, err), "article_form", &articleFormPage{Page: Page{Title: "Article", Nav: "notes"}, ID: id, Form: formFrom(r, err)})
	default:
		s.serverError(w, r, err)
	}
}

// handleSubscribeMe is a member's one-click subscription.
func (s *Server) handleSubscribeMe(w http.ResponseWriter, r *http.Request) {
	if err := s.app.SubscribeMe(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/articles", "Subscribed: you will receive the Coach Notes digest twice a month.")
}

// The administrators' page: subscribers and the digest's schedule.

type subscribersPage struct {
	Page
	Confirmed, Pending, Unsubscribed int
	Schedule                         tandem.DigestSchedule
	Form                             Form
	ImportMessage                    string
	Report                           *tandem.ImportReport // a refused import's problems
}

func (s *Server) showSubscribers(w http.ResponseWriter, r *http.Request, status int, p *subscribersPage) {
	sch, err := s.app.DigestSchedule(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	org := tandem.ActorFrom(r.Context()).Org.ID
	p.Confirmed, _ = s.app.DB.CountSubscribers(r.Context(), org, tandem.SubscriberConfirmed)
	p.Pending, _ = s.app.DB.CountSubscribers(r.Context(), org, tandem.SubscriberPending)
	p.Unsubscribed, _ = s.app.DB.CountSubscribers(r.Context(), org, tandem.SubscriberUnsubscribed)
	p.Schedule = sch
	p.Page = Page{Title: "Coach Notes subscribers", Nav: "admin"}
	if p.Form.Values == nil {
		days := make([]string, len(sch.Days))
		for i, d := range sch.Days {
			days[i] = strconv.Itoa(d)
		}
		p.Form.Values = map[string][]string{"days": {strings.Join(days, ",")}, "hour": {strconv.Itoa(sch.Hour)}, "time_zone": {sch.TimeZone}}
	}
	s.render(w, r, status, "subscribers", p)
}

func (s *Server) handleSubscribers(w http.ResponseWriter, r *http.Request) {
	s.showSubscribers(w, r, http.StatusOK, &subscribersPage{})
}

type digestsPage struct {
	Page
	Digests []sqldb.DigestReport
}

// handleDigests lists the latest digests with how many messages were
// delivered, refused and uncertain.
func (s *Server) handleDigests(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.DigestReports(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "digests", &digestsPage{Page: Page{Title: "Coach Notes digests", Nav: "admin"}, Digests: list})
}

func (s *Server) handleDigestSchedule(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	sch := tandem.DigestSchedule{TimeZone: strings.TrimSpace(r.PostForm.Get("time_zone"))}
	days, err := tandem.ParseDays(r.PostForm.Get("days"))
	hour, herr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("hour")))
	switch {
	case err != nil:
		err = &tandem.Error{Code: tandem.EINVALID, Message: "Check the days.", Fields: map[string]string{"days": "Give days of the month separated by commas, like 1,15."}}
	case herr != nil:
		err = &tandem.Error{Code: tandem.EINVALID, Message: "Check the hour.", Fields: map[string]string{"hour": "Give an hour from 0 to 23."}}
	default:
		sch.Days, sch.Hour = days, hour
		err = s.app.SetDigestSchedule(r.Context(), sch)
	}
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/admin/subscribers", "Digest schedule saved.")
	case tandem.EINVALID:
		s.showSubscribers(w, r, s.status(r, err), &subscribersPage{Form: formFrom(r, err)})
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleExportSubscribers(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.DigestSchedule(r.Context()); err != nil { // administrators only
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="subscribers.csv"`)
	if err := s.app.ExportSubscribers(r.Context(), w); err != nil {
		s.log.ErrorContext(r.Context(), "export subscribers", "err", err)
	}
}

// handleImportSubscribers checks that the actor administers before it
// reads the upload, then streams the file part into the import.
func (s *Server) handleImportSubscribers(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.DigestSchedule(r.Context()); err != nil { // administrators only, before reading the upload
		s.serverError(w, r, err)
		return
	}
	// An import that stops early leaves the rest of the upload unread;
	// read it to the body limit so the browser gets the page.
	defer io.Copy(io.Discard, r.Body)
	file, err := uploadedFile(r, "file")
	if err != nil {
		s.showSubscribers(w, r, http.StatusUnprocessableEntity, &subscribersPage{ImportMessage: "Choose a CSV file to upload."})
		return
	}
	rep, err := s.app.ImportSubscribers(r.Context(), file)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/admin/subscribers", strconv.Itoa(rep.Created)+" subscribers imported.")
	case tandem.EINVALID, tandem.ETOOLARGE:
		p := &subscribersPage{Report: rep}
		if rep == nil || rep.OK() {
			p.ImportMessage = tandem.ErrorMessage(err)
		}
		s.showSubscribers(w, r, s.status(r, err), p)
	default:
		s.serverError(w, r, err)
	}
}

package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"go.yaml.in/yaml/v3"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Coach Notes: articles, public pages, subscriptions with double opt-in
// and signed links. The digest is in notes_digest.go.

var (
	// articleMarkdown renders raw HTML too; the sanitizer decides what stays.
	articleMarkdown = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	// articlePolicy is bluemonday's policy for user content: no scripts,
	// no event handlers, links to http, https and mailto only.
	articlePolicy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoFollowOnLinks(true)
		return p
	}()
)

// RenderArticle turns an article's Markdown into sanitized HTML.
func RenderArticle(md string) (string, error) {
	var b bytes.Buffer
	if err := articleMarkdown.Convert([]byte(md), &b); err != nil {
		return "", err
	}
	return articlePolicy.Sanitize(b.String()), nil
}

// author returns the actor when they may write articles (mayWrite), or
// EFORBIDDEN.
func (a *App) author(ctx context.Context) (*tandem.Actor, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	ok, err := a.mayWrite(ctx, act.Person)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, tandem.Errorf(tandem.EFORBIDDEN, "Coach Notes are written by the coaches and administrators of %s: say on your profile which skills you are open to coach to write one.", act.Org.Name)
	}
	return act, nil
}

// mayWrite reports whether the person writes Coach Notes: PRODUCT.md
// says coaches and practice owners do. So the organization's
// administrators (a practice's owner administers it) and its coaches
// (sqldb.Coaches: open to coach a skill, or the coach of an agreed
// coaching engagement) may; guests, whose place is their engagements,
// and other members may not.
func (a *App) mayWrite(ctx context.Context, p *tandem.Person) (bool, error) {
	switch {
	case p.Guest:
		return false, nil
	case p.IsAdmin():
		return true, nil
	}
	return a.DB.Coaches(ctx, p.OrgID, p.ID)
}

// MayWriteArticles reports whether the signed-in person may write
// articles, for the pages that offer it.
func (a *App) MayWriteArticles(ctx context.Context) (bool, error) {
	act, err := member(ctx)
	if err != nil {
		return false, err
	}
	return a.mayWrite(ctx, act.Person)
}

// Articles lists the organization's articles for its members: to its
// authors drafts and scheduled ones too, to other members the published
// ones.
func (a *App) Articles(ctx context.Context) ([]tandem.Article, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	ok, err := a.mayWrite(ctx, act.Person)
	if err != nil {
		return nil, err
	}
	if !ok {
		return a.DB.Articles(ctx, act.Org.ID, publishedFilter(sqldbArticleFilterAll.Limit))
	}
	return a.DB.Articles(ctx, act.Org.ID, sqldbArticleFilterAll)
}

// Article returns one of the organization's articles for its members; a
// draft or a scheduled article is not found but by its authors.
func (a *App) Article(ctx context.Context, id int64) (*tandem.Article, error) {
	act, err := member(ctx)
	if err != nil {
		return nil, err
	}
	art, err := a.DB.Article(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	if art.Status(a.DB.Now()) != tandem.ArticlePublished {
		ok, err := a.mayWrite(ctx, act.Person)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, tandem.Errorf(tandem.ENOTFOUND, "No such article.")
		}
	}
	return art, nil
}

// ArticleToEdit returns an article for its authors' editor (mayWrite);
// id 0 is a new one.
func (a *App) ArticleToEdit(ctx context.Context, id int64) (*tandem.Article, error) {
	act, err := a.author(ctx)
	if err != nil || id == 0 {
		return &tandem.Article{}, err
	}
	return a.DB.Article(ctx, act.Org.ID, id)
}

// SaveArticle creates (id 0) or updates an article, for its authors
// (mayWrite). Its author or an administrator may change it.
func (a *App) SaveArticle(ctx context.Context, id int64, in tandem.ArticleInput) (*tandem.Article, error) {
	act, err := a.author(ctx)
	if err != nil {
		return nil, err
	}
	art := &tandem.Article{OrgID: act.Org.ID, AuthorID: act.Person.ID, AuthorName: act.Person.Name}
	if id != 0 {
		if art, err = a.DB.Article(ctx, act.Org.ID, id); err != nil {
			return nil, err
		}
		if art.AuthorID != act.Person.ID && !act.Person.IsAdmin() {
			return nil, tandem.Errorf(tandem.EFORBIDDEN, "Only its author or an administrator can change this article.")
		}
	}
	if err := a.saveArticle(ctx, art, in); err != nil {
		return nil, err
	}
	return art, nil
}

// saveArticle validates, renders and stores.
func (a *App) saveArticle(ctx context.Context, art *tandem.Article, in tandem.ArticleInput) error {
	now := a.DB.Now().UTC()
	if err := in.Validate(now); err != nil {
		return err
	}
	h, err := RenderArticle(in.Body)
	if err != nil {
		return tandem.Errorf(tandem.EINVALID, "The article could not be read as Markdown: %v", err)
	}
	art.Title, art.Slug, art.Summary, art.Topics, art.Body, art.HTML = in.Title, in.Slug, in.Summary, in.Topics, in.Body, h
	switch in.Status {
	case tandem.ArticleDraft:
		art.PublishedAt = nil
	case tandem.ArticleScheduled:
		t := in.PublishAt.UTC().Truncate(time.Second)
		art.PublishedAt = &t
	case tandem.ArticlePublished:
		if art.PublishedAt == nil || art.PublishedAt.After(now) {
			t := now.Truncate(time.Microsecond)
			art.PublishedAt = &t
		}
	}
	return a.DB.SaveArticle(ctx, art)
}

// frontMatter is the YAML header of an article file.
type frontMatter struct {
	Title   string   `yaml:"title"`
	Slug    string   `yaml:"slug"`
	Summary string   `yaml:"summary"`
	Topics  []string `yaml:"topics"`
}

// ParseArticleFile reads a Markdown file with YAML front matter between
// "---" lines: title, summary, topics (and optionally slug).
func ParseArticleFile(data []byte) (tandem.ArticleInput, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	if !strings.HasPrefix(text, "---\n") {
		return tandem.ArticleInput{}, tandem.Errorf(tandem.EINVALID, "The file must start with YAML front matter between --- lines (title, summary, topics).")
	}
	head, body, ok := strings.Cut(text[4:], "\n---\n")
	if !ok {
		return tandem.ArticleInput{}, tandem.Errorf(tandem.EINVALID, "The front matter has no closing --- line.")
	}
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		return tandem.ArticleInput{}, tandem.Errorf(tandem.EINVALID, "The front matter is not valid YAML: %v", err)
	}
	return tandem.ArticleInput{Title: fm.Title, Slug: fm.Slug, Summary: fm.Summary, Topics: fm.Topics, Body: strings.TrimLeft(body, "\n"),
		Status: tandem.ArticlePublished}, nil
}

// PublishFile publishes an article file as the person with the email, for
// the operator's CLI. An article with the same slug is updated.
func (a *App) PublishFile(ctx context.Context, orgID int64, authorEmail string, data []byte) (*tandem.Article, error) {
	in, err := ParseArticleFile(data)
	if err != nil {
		return nil, err
	}
	pid, err := a.DB.PersonIDByEmail(ctx, orgID, tandem.NormalizeEmail(authorEmail))
	if err != nil {
		return nil, &tandem.Error{Code: tandem.ENOTFOUND, Message: fmt.Sprintf("No one with the email %s in this organization.", authorEmail),
			Fields: map[string]string{"author": "Give the email of a member of the organization."}}
	}
	p, err := a.DB.PersonByID(ctx, orgID, pid)
	if err != nil {
		return nil, err
	}
	ok, err := a.mayWrite(ctx, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		org, err := a.DB.OrgByID(ctx, orgID)
		if err != nil {
			return nil, err
		}
		return nil, &tandem.Error{Code: tandem.EFORBIDDEN, Message: fmt.Sprintf("%s does not write Coach Notes: they are written by the coaches and administrators of %s.", authorEmail, org.Name),
			Fields: map[string]string{"author": "Give the email of a coach (open to coach a skill, or the coach of an engagement) or an administrator."}}
	}
	art := &tandem.Article{OrgID: orgID, AuthorID: pid}
	if err := in.Validate(a.DB.Now()); err != nil {
		return nil, err
	}
	list, err := a.DB.Articles(ctx, orgID, sqldbArticleFilterAll)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Slug == in.Slug {
			art = &list[i]
		}
	}
	if err := a.saveArticle(ctx, art, in); err != nil {
		return nil, err
	}
	return art, nil
}

// PublicOrg returns the organization a public notes URL names.
func (a *App) PublicOrg(ctx context.Context, slug string) (*tandem.Org, error) {
	org, err := a.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "There is no page at this address.")
	}
	return org, nil
}

// PublicNotes returns the organization's published articles, newest first.
func (a *App) PublicNotes(ctx context.Context, orgSlug string, limit int) (*tandem.Org, []tandem.Article, error) {
	org, err := a.PublicOrg(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	list, err := a.DB.Articles(ctx, org.ID, publishedFilter(limit))
	return org, list, err
}

// PublicNote returns a published article.
func (a *App) PublicNote(ctx context.Context, orgSlug, slug string) (*tandem.Org, *tandem.Article, error) {
	org, err := a.PublicOrg(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	art, err := a.DB.PublishedArticle(ctx, org.ID, slug)
	if err != nil {
		return nil, nil, tandem.Errorf(tandem.ENOTFOUND, "There is no article at this address.")
	}
	return org, art, nil
}

// The short public addresses /notes, /notes/{slug} and /notes/feed.atom
// lead to one organization's pages under /o/{org-slug}/notes: the one the
// operator named (PublicOrgSlug), or the installation's only one. With
// several and none named, /notes lists those that publish and an
// article's short address leads to the one organization that published
// it.

// NotesHome returns the organization the short addresses lead to, or nil
// and the organizations that have published notes, by name.
func (a *App) NotesHome(ctx context.Context) (*tandem.Org, []tandem.Org, error) {
	org, err := a.shortNotesOrg(ctx)
	if err != nil || org != nil {
		return org, nil, err
	}
	list, err := a.DB.OrgsWithNotes(ctx)
	return nil, list, err
}

// NoteOrg returns the organization whose article /notes/{slug} is: the
// one the short addresses lead to, or else the only organization that
// published an article with the slug (ENOTFOUND for none or several).
func (a *App) NoteOrg(ctx context.Context, slug string) (*tandem.Org, error) {
	org, err := a.shortNotesOrg(ctx)
	if err != nil || org != nil {
		return org, err
	}
	list, err := a.DB.OrgsPublishing(ctx, slug)
	if err != nil {
		return nil, err
	}
	if len(list) != 1 {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "There is no article at this address.")
	}
	return &list[0], nil
}

// shortNotesOrg is the organization named by PublicOrgSlug, or the only
// one; nil when neither. A named organization that does not exist (the
// serve command refuses one when there are organizations) counts as none.
func (a *App) shortNotesOrg(ctx context.Context) (*tandem.Org, error) {
	if a.PublicOrgSlug != "" {
		org, err := a.DB.OrgBySlug(ctx, a.PublicOrgSlug)
		if tandem.ErrorCode(err) != tandem.ENOTFOUND {
			return org, err
		}
		a.Log.WarnContext(ctx, "the public organization does not exist", "public_org", a.PublicOrgSlug)
	}
	return a.DB.OnlyOrg(ctx)
}

// CheckPublicOrg reports an error when PublicOrgSlug names no
// organization while there are some (a typo); with none yet, the
// organization may be about to be set up.
func (a *App) CheckPublicOrg(ctx context.Context) error {
	if a.PublicOrgSlug == "" {
		return nil
	}
	_, err := a.DB.OrgBySlug(ctx, a.PublicOrgSlug)
	if tandem.ErrorCode(err) != tandem.ENOTFOUND {
		return err
	}
	orgs, err := a.DB.ListOrgs(ctx)
	if err != nil || len(orgs) == 0 {
		return err
	}
	var slugs []string
	for i, o := range orgs {
		if i == 10 {
			slugs = append(slugs, "…")
			break
		}
		slugs = append(slugs, o.Slug)
	}
	return fmt.Errorf("--public-org: no organization has the slug %q (there are: %s)", a.PublicOrgSlug, strings.Join(slugs, ", "))
}

// NotesURL is the public address of an organization's notes, absolute
// (see linkBase).
func (a *App) NotesURL(ctx context.Context, org *tandem.Org) string {
	return a.linkBase(ctx, org.ID) + "/o/" + org.Slug + "/notes"
}

// Subscribe asks for a subscription: the address gets a confirmation
// email and nothing else until it confirms. The answer is the same
// whether the address was new, pending or confirmed, so the form tells
// no one who subscribes.
//
// Requests are limited per address to confirm and per requesting client
// (SubscribeMaxPer*), so the public form cannot flood anyone's mailbox with
// confirmations; over a limit nothing is sent and the answer is the same.
func (a *App) Subscribe(ctx context.Context, orgSlug, email, address string) error {
	org, err := a.PublicOrg(ctx, orgSlug)
	if err != nil {
		return err
	}
	email = tandem.NormalizeEmail(email)
	if msg := tandem.CheckEmail(email); msg != "" {
		return &tandem.Error{Code: tandem.EINVALID, Message: "Check the email address.", Fields: map[string]string{"email": msg}}
	}
	res, err := a.DB.Reserve(ctx,
		sqldb.Limit{Bucket: "subscribe:address:" + addressKey(address), Max: SubscribeMaxPerAddress, Window: time.Hour},
		sqldb.Limit{Bucket: fmt.Sprintf("subscribe:to:%d:%s", org.ID, email), Max: SubscribeMaxPerRecipient, Window: 24 * time.Hour})
	if err != nil {
		return err
	}
	if !res.OK {
		a.Log.WarnContext(ctx, "subscription request throttled", "address", address, "request_id", tandem.RequestIDFrom(ctx))
		return nil
	}
	sub, err := a.DB.Subscribe(ctx, org.ID, email)
	if err != nil {
		return err
	}
	if sub.Status != tandem.SubscriberPending {
		return nil
	}
	// The job holds ids; the worker signs the link when it sends, so no
	// link sits in the queue's table.
	return a.DB.Enqueue(ctx, SubscribeConfirmArgs{OrgID: org.ID, SubscriberID: sub.ID, BaseURL: a.requestBase(ctx)}, nil)
}

// SubscribeConfirmArgs is the job that emails a pending subscription its
// confirmation link (App.SendSubscribeConfirmation).
type SubscribeConfirmArgs struct {
	OrgID        int64 `json:"org_id"`
	SubscriberID int64 `json:"subscriber_id"`
	// BaseURL is the site's URL as the subscribe request saw it (see
	// linkBase).
	BaseURL string `json:"base_url,omitempty"`
}

// Kind names the job in the queue.
func (SubscribeConfirmArgs) Kind() string { return "subscribe_confirm_email" }

// JobOrgID files the job under its organization (sqldb.OrgJob).
func (a SubscribeConfirmArgs) JobOrgID() int64 { return a.OrgID }

// SendSubscribeConfirmation signs a confirmation link for a subscription
// that is still pending and emails it; a subscription confirmed or ended
// meanwhile gets nothing.
func (a *App) SendSubscribeConfirmation(ctx context.Context, orgID, subscriberID int64) error {
	org, err := a.DB.OrgByID(ctx, orgID)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	sub, err := a.DB.Subscriber(ctx, orgID, subscriberID)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND || (err == nil && sub.Status != tandem.SubscriberPending) {
		return nil
	}
	if err != nil {
		return err
	}
	tok, err := a.subscriptionToken(ctx, "confirm", sub, a.DB.Now().Add(confirmLinkLife))
	if err != nil {
		return err
	}
	return a.send(ctx, tandem.Message{To: sub.Email, OrgID: org.ID, Secret: true}, "subscribe_confirm",
		map[string]any{"Org": org.Name, "Link": a.NotesURL(ctx, org) + "/confirm/" + tok, "Notes": a.NotesURL(ctx, org), "Days": int(confirmLinkLife.Hours() / 24)})
}

// The subscribe form's limits: confirmations to one address per day, and
// requests from one client address per hour.
const (
	SubscribeMaxPerRecipient = 3
	SubscribeMaxPerAddress   = 20
)

// confirmLinkLife is how long a confirmation link works.
const confirmLinkLife = 7 * 24 * time.Hour

// ConfirmLink checks a confirmation link and returns its subscriber, for
// the page that asks to confirm: following the link (a GET, which mail
// scanners do too) changes nothing; only Confirm, the page's POST, does.
func (a *App) ConfirmLink(ctx context.Context, orgSlug, token string) (*tandem.Org, *tandem.Subscriber, error) {
	org, err := a.PublicOrg(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	sub, err := a.checkToken(ctx, org, "confirm", token)
	return org, sub, err
}

// Confirm confirms a subscription with the token of its link. It reports
// false when the address was confirmed already (the link was used), which
// is not an error.
func (a *App) Confirm(ctx context.Context, orgSlug, token string) (*tandem.Subscriber, bool, error) {
	org, sub, err := a.ConfirmLink(ctx, orgSlug, token)
	if err != nil {
		return nil, false, err
	}
	switch sub.Status {
	case tandem.SubscriberConfirmed:
		return sub, false, nil
	case tandem.SubscriberUnsubscribed:
		return nil, false, tandem.Errorf(tandem.EINVALID, "This address unsubscribed after this link was sent: subscribe again to receive the digest.")
	}
	ok, err := a.DB.ConfirmSubscriber(ctx, org.ID, sub.ID, tandem.ConsentConfirmedEmail)
	return sub, ok, err
}

// UnsubscribeLink checks an unsubscribe link and returns its subscriber,
// for the page that asks to confirm.
func (a *App) UnsubscribeLink(ctx context.Context, orgSlug, token string) (*tandem.Org, *tandem.Subscriber, error) {
	org, err := a.PublicOrg(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	sub, err := a.checkToken(ctx, org, "unsubscribe", token)
	return org, sub, err
}

// Unsubscribe unsubscribes the address of a signed link (RFC 8058's
// one-click POST or the footer's page). Unsubscribing twice is not an
// error.
func (a *App) Unsubscribe(ctx context.Context, orgSlug, token string) (*tandem.Subscriber, error) {
	org, sub, err := a.UnsubscribeLink(ctx, orgSlug, token)
	if err != nil {
		return nil, err
	}
	_ = org
	_, err = a.DB.Unsubscribe(ctx, sub.OrgID, sub.ID)
	return sub, err
}

// SubscribeMe subscribes the signed-in person's own address to their
// organization's digest: their click is the consent, no confirmation is
// needed.
func (a *App) SubscribeMe(ctx context.Context) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	if act.Person.Email == "" {
		return &tandem.Error{Code: tandem.EINVALID, Message: "Your profile has no email address to send the digest to.", Fields: map[string]string{"email": "No email address."}}
	}
	return a.DB.SubscribeConfirmed(ctx, act.Org.ID, tandem.NormalizeEmail(act.Person.Email), tandem.ConsentMember)
}

// MySubscription returns the signed-in person's subscription status in
// their organization ("" when none).
func (a *App) MySubscription(ctx context.Context) (string, error) {
	act, err := actor(ctx)
	if err != nil {
		return "", err
	}
	s, err := a.DB.SubscriberByEmail(ctx, act.Org.ID, tandem.NormalizeEmail(act.Person.Email))
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return s.Status, nil
}

// linkKey returns the installation's key for subscription links, made on
// first use and kept in the database, so every replica signs alike.
func (a *App) linkKey(ctx context.Context) ([]byte, error) {
	s, err := a.DB.LinkSecret(ctx, "subscriptions", func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return hex.EncodeToString(b)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(s)
}

// mac signs a link's purpose, organization, subscriber, address and
// expiry: a link for one address does not work for another.
func mac(key []byte, purpose string, sub *tandem.Subscriber, exp int64) string {
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%s\x00%d", purpose, sub.OrgID, sub.ID, sub.Email, exp)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:20])
}

// subscriptionToken makes a signed link token: "id.exp.mac" (exp 0: no
// expiry, for unsubscribe links in mail that may be read months later).
func (a *App) subscriptionToken(ctx context.Context, purpose string, sub *tandem.Subscriber, exp time.Time) (string, error) {
	key, err := a.linkKey(ctx)
	if err != nil {
		return "", err
	}
	return tokenWith(key, purpose, sub, exp), nil
}

func tokenWith(key []byte, purpose string, sub *tandem.Subscriber, exp time.Time) string {
	var e int64
	if !exp.IsZero() {
		e = exp.Unix()
	}
	return strconv.FormatInt(sub.ID, 10) + "." + strconv.FormatInt(e, 10) + "." + mac(key, purpose, sub, e)
}

var errBadLink = tandem.Errorf(tandem.ENOTFOUND, "This link is not valid: check that it was copied whole, or subscribe again.")

// checkToken returns the subscriber a token was made for, or an error
// that says the link is not valid or has expired.
func (a *App) checkToken(ctx context.Context, org *tandem.Org, purpose, token string) (*tandem.Subscriber, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errBadLink
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, errBadLink
	}
	sub, err := a.DB.Subscriber(ctx, org.ID, id)
	if err != nil {
		return nil, errBadLink
	}
	key, err := a.linkKey(ctx)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(mac(key, purpose, sub, exp)), []byte(parts[2])) {
		return nil, errBadLink
	}
	if exp != 0 && a.DB.Now().Unix() > exp {
		return nil, tandem.Errorf(tandem.EINVALID, "This confirmation link has expired (links work for %d days): subscribe again for a new one.", int(confirmLinkLife.Hours()/24))
	}
	return sub, nil
}

var sqldbArticleFilterAll = sqldb.ArticleFilter{Limit: 1000}

func publishedFilter(limit int) sqldb.ArticleFilter {
	return sqldb.ArticleFilter{Published: true, Limit: limit}
}

// Package mail renders and sends Tandem's email: templates with a text and
// an HTML part, an SMTP mailer with retry, and a development mailer that
// logs messages and keeps them for administrators to read.
package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"

	"github.com/tandemhq/tandem"
)

//go:embed templates/*
var templateFS embed.FS

var (
	textTemplates = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/*.txt"))
	htmlTemplates = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/*.html"))
)

// Render fills the template pair name.txt and name.html with data. The
// text part's first line is "Subject: …".
func Render(name string, data any) (*tandem.Message, error) {
	var text, html bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return nil, fmt.Errorf("render %s.txt: %w", name, err)
	}
	if err := htmlTemplates.ExecuteTemplate(&html, name+".html", data); err != nil {
		return nil, fmt.Errorf("render %s.html: %w", name, err)
	}
	first, body, ok := strings.Cut(text.String(), "\n")
	subject, isSubject := strings.CutPrefix(first, "Subject: ")
	if !ok || !isSubject {
		return nil, fmt.Errorf("render %s.txt: the first line must be \"Subject: …\"", name)
	}
	subject = strings.TrimSpace(subject)
	// The HTML part is a whole document: its <head> has the charset and
	// the subject as <title>, which HTML requires.
	doc, ok := strings.CutPrefix(html.String(), "<!doctype html>\n<html>")
	if !ok {
		return nil, fmt.Errorf("render %s.html: it must start with \"<!doctype html>\\n<html>\"", name)
	}
	head := `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>` + htmltemplate.HTMLEscapeString(subject) + `</title></head>`
	return &tandem.Message{Subject: subject, Text: strings.TrimLeft(body, "\n"), HTML: head + doc}, nil
}

// Templates lists the names of the email templates (each a .txt and an
// .html), sorted, for tests that must cover every one.
func Templates() []string {
	var names []string
	for _, t := range textTemplates.Templates() {
		if name, ok := strings.CutSuffix(t.Name(), ".txt"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

package app_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestImportBadFirstField: a malformed first field on the first data row
// (the CSV reader returns no fields at all) is a problem naming the line,
// not a panic (issue 11).
func TestImportBadFirstField(t *testing.T) {
	for _, body := range []string{"email,name\na\"b@x.test,c\n", "email,name\r\nok@x.test,Ok\r\n\"a\"b@x.test,c\r\n"} {
		_, _, rep, err := app.ParsePeopleCSV(strings.NewReader(body))
		if err != nil || rep == nil || len(rep.Problems) != 1 {
			t.Fatalf("%q: %v %+v", body, err, rep)
		}
		line := strings.Count(body, "\n")
		if p := rep.Problems[0]; p.Line != line || !strings.Contains(p.Reason, "not valid CSV") {
			t.Errorf("%q: problem %+v, want line %d", body, p, line)
		}
	}
	a, _ := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	rep, err := a.ImportPeople(ctx, strings.NewReader("email,name\na\"b@x.test,c\n"), nil)
	if tandem.ErrorCode(err) != tandem.EINVALID || !strings.Contains(tandem.ErrorMessage(err), "line 2: This line is not valid CSV") || rep == nil {
		t.Errorf("import: %v %+v", err, rep)
	}
}

// TestImportReportBounded: the report lists the first MaxImportProblems
// problems, from the file and from the database's checks, and counts the
// rest (issue 11).
func TestImportReportBounded(t *testing.T) {
	a, _ := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	var b strings.Builder
	b.WriteString("email,name,time_zone,manager_email\n")
	for i := range 500 { // three problems a row: email, time zone, manager
		fmt.Fprintf(&b, "bad-%d,Bad,Mars/Base,ghost-%d@acme.test\n", i, i)
	}
	rep, err := a.ImportPeople(ctx, strings.NewReader(b.String()), nil)
	if tandem.ErrorCode(err) != tandem.EINVALID || rep == nil {
		t.Fatalf("import: %v", err)
	}
	if len(rep.Problems) != tandem.MaxImportProblems || rep.MoreProblems != 500 || rep.ProblemCount() != 1500 {
		t.Errorf("%d problems listed, %d more", len(rep.Problems), rep.MoreProblems)
	}
	if msg := tandem.ErrorMessage(err); !strings.Contains(msg, "1500 problems") {
		t.Errorf("message %q", msg)
	}

	// A long bad value is cut short in the report.
	long := strings.Repeat("é", 1000) + "@"
	_, _, rep, _ = app.ParsePeopleCSV(strings.NewReader("email,name\n" + long + ",X\n"))
	if len(rep.Problems) != 1 || len(rep.Problems[0].Value) > tandem.MaxImportValue+len("…") || !strings.HasSuffix(rep.Problems[0].Value, "é…") {
		t.Errorf("problems %+v", rep.Problems)
	}
}

// TestImportRowLimit: a file of more than MaxImportRows people is refused
// with an error naming the limit; one of exactly MaxImportRows is read.
func TestImportRowLimit(t *testing.T) {
	file := func(n int) string {
		var b strings.Builder
		b.WriteString("email,name\n")
		for i := range n {
			fmt.Fprintf(&b, "p%d@acme.test,P\n", i)
		}
		return b.String()
	}
	_, _, _, err := app.ParsePeopleCSV(strings.NewReader(file(app.MaxImportRows + 1)))
	if tandem.ErrorCode(err) != tandem.ETOOLARGE || !strings.Contains(tandem.ErrorMessage(err), "200,000") {
		t.Errorf("over the limit: %v", err)
	}
	rows, _, rep, err := app.ParsePeopleCSV(strings.NewReader(file(app.MaxImportRows)))
	if err != nil || len(rows) != app.MaxImportRows || !rep.OK() {
		t.Errorf("at the limit: %d rows, %v", len(rows), err)
	}
}

// endless is a reader that never ends, repeating line: a file that only a
// streaming parser can answer about.
type endless struct {
	line string
	at   int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], e.line[e.at:])
		n += c
		e.at = (e.at + c) % len(e.line)
	}
	return n, nil
}

// TestImportStreams: the parser decides as it reads, so a bad header is
// reported without reading the rest, and a file over the size limit is
// refused once the limit is passed (issue 11).
func TestImportStreams(t *testing.T) {
	r := &countingReader{r: io.MultiReader(strings.NewReader("name,title\n"), &endless{line: "x,y\n"})}
	_, _, rep, err := app.ParsePeopleCSV(r)
	if err != nil || rep == nil || rep.OK() || r.n > 1<<20 {
		t.Errorf("bad header: %v %+v after reading %d bytes", err, rep, r.n)
	}
	// Rows of a kilobyte: the size limit comes before the row limit.
	r = &countingReader{r: io.MultiReader(strings.NewReader("email,name\n"), &endless{line: "a@acme.test,\"" + strings.Repeat("x", 1000) + "\"\n"})}
	if _, _, _, err := app.ParsePeopleCSV(r); tandem.ErrorCode(err) != tandem.ETOOLARGE || !strings.Contains(tandem.ErrorMessage(err), "64 MiB") ||
		r.n > app.MaxImportBytes+1<<20 {
		t.Errorf("endless file: %v after reading %d bytes", err, r.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestExportEscapesFormulas: cells a spreadsheet would evaluate are written
// with a quote in front (OWASP, CSV injection), and an export imports back
// to the same values (issue 11).
func TestExportEscapesFormulas(t *testing.T) {
	a, _ := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	mustImport(t, a, ctx, tandemtest.CSV("email,name,title,department,location,bio",
		`f@acme.test,=cmd|' /C calc'!A0,+SUM(1+1),-Ops,@Home,''=quoted`, // ''=quoted is the escaped form of '=quoted
		`q@acme.test,'Ohana Lee,'' two,Plain,Remote,"=HYPERLINK(""http://evil.test"")"`,
	))
	want := map[string]tandem.Person{
		"f@acme.test": {Name: "=cmd|' /C calc'!A0", Profile: tandem.Profile{Title: "+SUM(1+1)", Department: "-Ops", Location: "@Home", Bio: "'=quoted"}},
		"q@acme.test": {Name: "'Ohana Lee", Profile: tandem.Profile{Title: "' two", Department: "Plain", Location: "Remote", Bio: `=HYPERLINK("http://evil.test")`}},
	}
	check := func(when string) {
		t.Helper()
		for email, w := range want {
			people, _, err := a.SearchPeople(ctx, sqldb.PeopleFilter{Query: email})
			if err != nil || len(people) != 1 {
				t.Fatalf("%s: %s: %v %v", when, email, people, err)
			}
			p := people[0]
			if p.Name != w.Name || p.Title != w.Title || p.Department != w.Department || p.Location != w.Location || p.Bio != w.Bio {
				t.Errorf("%s: %s = %q %q %q %q %q", when, email, p.Name, p.Title, p.Department, p.Location, p.Bio)
			}
		}
	}
	check("imported")
	first := mustExport(t, a, ctx)
	recs, err := csv.NewReader(strings.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("the export has a cell a spreadsheet evaluates: %q", cell)
			}
		}
	}
	for _, cell := range []string{`'=cmd|' /C calc'!A0`, `'+SUM(1+1)`, `'-Ops`, `'@Home`, `''=quoted`, `,'Ohana Lee,' two,`, `"'=HYPERLINK(""http://evil.test"")"`} {
		if !strings.Contains(first, cell) {
			t.Errorf("the export lacks %s:\n%s", cell, first)
		}
	}
	if rep := mustImport(t, a, ctx, first); rep.Created != 0 {
		t.Errorf("re-import created %d", rep.Created)
	}
	check("imported back")
	if second := mustExport(t, a, ctx); second != first {
		t.Errorf("export is not stable:\n%s\n---\n%s", first, second)
	}
}

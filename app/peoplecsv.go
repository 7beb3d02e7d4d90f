package app

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
)

// MaxImportBytes is the largest people CSV accepted, on the web and the
// CLI: 100,000 people with full profiles fit in about a fifth of it.
const MaxImportBytes = 64 << 20

// MaxImportRows is the most people one file may hold: twice the largest
// organization Tandem is measured at (100,000). The rows of a file are kept
// until it is imported, so this bounds the memory one upload can take.
const MaxImportRows = 200_000

// ParsePeopleCSV reads a people CSV in the shape HR systems export: a
// header row, then one person per row, columns in any order. It checks
// every row on its own (emails, names, time zones, levels, numbers,
// duplicate emails) and returns the rows, the columns present, and a report
// of the problems (the first tandem.MaxImportProblems, and a count of the
// rest). Checks that need the database (unknown managers, cycles, retired
// skills) happen on import.
//
// A byte-order mark, CRLF line ends, quoted fields with commas and UTF-8
// are all accepted. The file is read as a stream, never held whole. A file
// over MaxImportBytes or MaxImportRows is ETOOLARGE; one that is empty or
// not CSV is EINVALID.
func ParsePeopleCSV(r io.Reader) ([]tandem.PersonRow, map[string]bool, *tandem.ImportReport, error) {
	br := bufio.NewReaderSize(&importReader{r: r}, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var header []string
	for { // the header is the first line that is not blank
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "The file is empty. Upload a CSV with a header row such as: %s.", strings.Join(tandem.PeopleColumns[:7], ","))
		}
		if err != nil {
			return nil, nil, nil, readError(err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		header = slices.Clone(rec)
		break
	}
	rep := &tandem.ImportReport{}
	cols := map[string]int{}
	present := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case !slices.Contains(tandem.PeopleColumns, name):
			rep.UnknownColumns = append(rep.UnknownColumns, h)
		case present[name]:
			rep.Add(0, name, "", "The column appears twice in the header.")
		default:
			cols[name] = i
			present[name] = true
		}
	}
	for _, req := range []string{"email", "name"} {
		if !present[req] {
			rep.Add(0, req, "", fmt.Sprintf("The header has no %s column; it is required. Columns found: %s.", req, strings.Join(header, ", ")))
		}
	}
	if present["coach_skills"] && !present["skills"] {
		rep.Add(0, "coach_skills", "", "coach_skills needs the skills column: a person coaches skills they have.")
	}
	if !rep.OK() {
		return nil, present, rep, nil
	}

	var rows []tandem.PersonRow
	people := 0
	slim := false // the report has a problem: rows keep only what the database checks read
	firstLine := map[string]int{}
	tzOK := map[string]string{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A record that does not parse may have no fields at all
			// (a bad quote in its first one), so the line comes from the
			// error, never from FieldPos.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rep.Add(pe.Line, "", "", "This line is not valid CSV: "+pe.Err.Error()+". Check the quotes on it.")
				return nil, present, rep, nil
			}
			return nil, nil, nil, readError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if people++; people > MaxImportRows {
			return nil, nil, nil, tandem.Errorf(tandem.ETOOLARGE, "The file has more than %s people (line %d is person %s); split it into files of at most %s.",
				thousands(MaxImportRows), line, thousands(people), thousands(MaxImportRows))
		}
		if len(rec) != len(header) {
			rep.Add(line, "", "", fmt.Sprintf("The row has %d fields but the header has %d.", len(rec), len(header)))
			continue
		}
		get := func(col string) string {
			if i, ok := cols[col]; ok {
				return UnescapeCSVCell(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		row := parsePersonRow(line, get, rep, tzOK)
		if !rep.OK() {
			// Nothing will be written, but the database still checks
			// managers and skills for the report: keep just those, in
			// strings of their own, so a file of bad rows does not hold
			// every line in memory.
			if !slim {
				for i := range rows {
					slimRow(&rows[i])
				}
				slim = true
			}
			slimRow(&row)
		}
		if prev, dup := firstLine[row.Email]; dup && row.Email != "" {
			rep.Add(line, "email", row.Email, fmt.Sprintf("%s is also on line %d; each person appears once.", row.Email, prev))
		} else if row.Email != "" {
			firstLine[strings.Clone(row.Email)] = line // not the line's memory
		}
		rows = append(rows, row)
	}
	rep.Rows = len(rows)
	if len(rows) == 0 && rep.OK() {
		return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "The file has a header but no people.")
	}
	return rows, present, rep, nil
}

// importReader is the upload as the CSV reader reads it: it stops with an
// error past MaxImportBytes and at the first NUL byte (a binary file, such
// as a spreadsheet saved as .xlsx), so neither needs the whole file first.
type importReader struct {
	r    io.Reader
	n    int64
	err  error
	what string // what to export as CSV instead of a binary file; "" is the people list
}

func (ir *importReader) Read(p []byte) (int, error) {
	if ir.err != nil {
		return 0, ir.err
	}
	n, err := ir.r.Read(p)
	ir.n += int64(n)
	switch {
	case ir.n > MaxImportBytes:
		ir.err = tandem.Errorf(tandem.ETOOLARGE, "The file is larger than %d MiB; split it into several files.", MaxImportBytes>>20)
	case bytes.IndexByte(p[:n], 0) >= 0:
		what := ir.what
		if what == "" {
			what = "people list"
		}
		ir.err = tandem.Errorf(tandem.EINVALID, "This is not a CSV file (it holds binary data). Export the %s as CSV and upload that.", what)
	default:
		return n, err
	}
	return 0, ir.err
}

// readError turns an error from reading the file into what the caller
// shows: the reader's own refusals as they are, CSV syntax as EINVALID,
// anything else (a broken upload) wrapped.
func readError(err error) error {
	var te *tandem.Error
	var pe *csv.ParseError
	switch {
	case errors.As(err, &te):
		return te
	case errors.As(err, &pe):
		return notCSV(err)
	}
	return fmt.Errorf("read the file: %w", err)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// slimRow keeps of a row what sqldb.ImportPeople checks (line, email,
// manager, skills), as copies that do not hold on to the line they were
// read from.
func slimRow(r *tandem.PersonRow) {
	var skills []tandem.PersonSkill
	for _, s := range r.Skills {
		skills = append(skills, tandem.PersonSkill{Name: strings.Clone(s.Name), Level: s.Level, Coaches: s.Coaches})
	}
	*r = tandem.PersonRow{Line: r.Line, Email: strings.Clone(r.Email), ManagerEmail: strings.Clone(r.ManagerEmail), Profile: tandem.Profile{Skills: skills}}
}

func notCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return tandem.Errorf(tandem.EINVALID, "This is not a valid CSV file: line %d: %v.", pe.Line, pe.Err)
	}
	return tandem.Errorf(tandem.EINVALID, "This is not a valid CSV file: %v.", err)
}

// parsePersonRow reads and checks one row, adding its problems to rep.
func parsePersonRow(line int, get func(string) string, rep *tandem.ImportReport, tzOK map[string]string) tandem.PersonRow {
	row := tandem.PersonRow{Line: line, Email: tandem.NormalizeEmail(get("email")), Name: strings.Join(strings.Fields(get("name")), " ")}
	if msg := tandem.CheckEmail(row.Email); msg != "" {
		rep.Add(line, "email", get("email"), msg)
	}
	if msg := tandem.CheckName(row.Name); msg != "" {
		rep.Add(line, "name", get("name"), msg)
	}
	if m := get("manager_email"); m != "" {
		row.ManagerEmail = tandem.NormalizeEmail(m)
		if msg := tandem.CheckEmail(row.ManagerEmail); msg != "" {
			rep.Add(line, "manager_email", m, msg)
		} else if row.ManagerEmail == row.Email {
			rep.Add(line, "manager_email", m, "A person cannot be their own manager.")
		}
	}
	p := &row.Profile
	p.Title, p.Department, p.Location, p.Bio = get("title"), get("department"), get("location"), get("bio")
	// Time zones are checked once per distinct name: loading a zone is the
	// slowest check, and a 100,000-person file has a few dozen zones.
	tz := get("time_zone")
	tzMsg, seen := tzOK[tz]
	if !seen {
		tzMsg = tandem.CheckTimeZone(tz)
		tzOK[tz] = tzMsg
	}
	if tzMsg != "" {
		rep.Add(line, "time_zone", tz, tzMsg)
	}
	p.Languages, p.Interests = tandem.SplitList(get("languages")), tandem.SplitList(get("interests"))
	for _, c := range []struct {
		col string
		dst *int
	}{{"years_experience", &p.YearsExperience}, {"mentor_capacity", &p.MentorCapacity}} {
		if v := get(c.col); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				rep.Add(line, c.col, v, "Enter a whole number.")
				continue
			}
			*c.dst = n
		}
	}
	coach := map[string]bool{}
	for _, name := range tandem.SplitList(get("coach_skills")) {
		coach[tandem.SkillKey(name)] = true
	}
	for _, item := range tandem.SplitList(get("skills")) {
		name, lvl, hasLevel := strings.Cut(item, ":")
		name, msg := tandem.CleanSkillName(name)
		if msg != "" {
			rep.Add(line, "skills", item, msg)
			continue
		}
		level := tandem.Intermediate
		if hasLevel {
			var ok bool
			if level, ok = tandem.ParseLevel(lvl); !ok {
				rep.Add(line, "skills", item, fmt.Sprintf("%q is not a level; use novice, beginner, intermediate, advanced or expert.", strings.TrimSpace(lvl)))
				continue
			}
		}
		k := tandem.SkillKey(name)
		p.Skills = append(p.Skills, tandem.PersonSkill{Name: name, Level: level, Coaches: coach[k]})
		delete(coach, k)
	}
	for k := range coach {
		rep.Add(line, "coach_skills", k, fmt.Sprintf("%q is not among the person's skills; list it in skills too.", k))
	}
	err := p.Validate() // with the zone left out: checked above
	p.TimeZone = tz
	fields := tandem.ErrorFields(err)
	for _, col := range tandem.PeopleColumns { // in column order, for a stable report
		if msg, ok := fields[col]; ok {
			rep.Add(line, col, get(col), msg)
		}
	}
	return row
}

// formulaStart reports whether a cell starting with c would be read by a
// spreadsheet as a formula: =, +, -, @, tab and carriage return, the list
// OWASP gives for CSV injection.
func formulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// EscapeCSVCell makes a cell that a spreadsheet would evaluate read as text,
// as OWASP recommends against CSV injection: a cell that starts with =, +,
// -, @, tab or carriage return gets a single quote in front. So that
// UnescapeCSVCell can undo exactly that, a cell that already starts with a
// quote followed by one of those characters or by another quote gets one
// more quote too; any other cell is written as it is.
func EscapeCSVCell(s string) string {
	if s != "" && (formulaStart(s[0]) || len(s) > 1 && s[0] == '\'' && (formulaStart(s[1]) || s[1] == '\'')) {
		return "'" + s
	}
	return s
}

// UnescapeCSVCell undoes EscapeCSVCell: a cell that starts with a quote
// followed by =, +, -, @, tab, carriage return or another quote loses that
// first quote. A quote before anything else is part of the value ("'Ohana"
// stays as it is). Import applies it to every cell, so an export imports
// back unchanged, and a cell a spreadsheet user protected by typing a
// quote in front imports as what the spreadsheet shows.
func UnescapeCSVCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && (formulaStart(s[1]) || s[1] == '\'') {
		return s[1:]
	}
	return s
}

// PeopleCSVWriter writes people in the CSV shape import reads, with every
// column in PeopleColumns order, so an export imports back unchanged. Cells
// that spreadsheets would evaluate are escaped (EscapeCSVCell).
type PeopleCSVWriter struct {
	w *csv.Writer
}

// NewPeopleCSVWriter writes the header and returns the writer.
func NewPeopleCSVWriter(w io.Writer) (*PeopleCSVWriter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(tandem.PeopleColumns); err != nil {
		return nil, err
	}
	return &PeopleCSVWriter{w: cw}, nil
}

// Write writes one person.
func (pw *PeopleCSVWriter) Write(p *tandem.Person, managerEmail string) error {
	skills := make([]string, len(p.Skills))
	for i, s := range p.Skills {
		skills[i] = s.Name + ":" + s.Level.String()
	}
	rec := []string{
		p.Email, p.Name, p.Title, p.Department, p.Location, p.TimeZone, managerEmail,
		tandem.JoinList(p.Languages), strings.Join(skills, ";"), tandem.JoinList(p.Interests),
		strconv.Itoa(p.YearsExperience), strconv.Itoa(p.MentorCapacity), tandem.JoinList(p.CoachSkills()), p.Bio,
	}
	for i := range rec {
		rec[i] = EscapeCSVCell(rec[i])
	}
	return pw.w.Write(rec)
}

// Flush writes buffered rows and reports any write error.
func (pw *PeopleCSVWriter) Flush() error {
	pw.w.Flush()
	return pw.w.Error()
}

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

// ParsePeopleCSV reads a people CSV in the shape HR systems export: a
// header row, then one person per row, columns in any order. It checks
// every row on its own (emails, names, time zones, levels, numbers,
// duplicate emails) and returns the rows, the columns present, and a report
// listing every problem. Checks that need the database (unknown managers,
// cycles, retired skills) happen on import.
//
// A byte-order mark, CRLF line ends, quoted fields with commas and UTF-8
// are all accepted. A file over MaxImportBytes is ETOOLARGE; one that is
// empty or not CSV is EINVALID.
func ParsePeopleCSV(r io.Reader) ([]tandem.PersonRow, map[string]bool, *tandem.ImportReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read the file: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, nil, nil, tandem.Errorf(tandem.ETOOLARGE, "The file is larger than %d MiB; split it into several files.", MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "The file is empty. Upload a CSV with a header row such as: %s.", strings.Join(tandem.PeopleColumns[:7], ","))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "This is not a CSV file (it holds binary data). Export the people list as CSV and upload that.")
	}
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, nil, notCSV(err)
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
	firstLine := map[string]int{}
	tzOK := map[string]string{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rep.Add(pe.Line, "", "", "This line is not valid CSV: "+pe.Err.Error()+". Check the quotes on it.")
				return nil, present, rep, nil
			}
			return nil, nil, nil, notCSV(err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			rep.Add(line, "", "", fmt.Sprintf("The row has %d fields but the header has %d.", len(rec), len(header)))
			continue
		}
		get := func(col string) string {
			if i, ok := cols[col]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := parsePersonRow(line, get, rep, tzOK)
		if prev, dup := firstLine[row.Email]; dup && row.Email != "" {
			rep.Add(line, "email", row.Email, fmt.Sprintf("%s is also on line %d; each person appears once.", row.Email, prev))
		} else if row.Email != "" {
			firstLine[row.Email] = line
		}
		rows = append(rows, row)
	}
	rep.Rows = len(rows)
	if len(rows) == 0 && rep.OK() {
		return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "The file has a header but no people.")
	}
	return rows, present, rep, nil
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

// PeopleCSVWriter writes people in the CSV shape import reads, with every
// column in PeopleColumns order, so an export imports back unchanged.
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
	return pw.w.Write([]string{
		p.Email, p.Name, p.Title, p.Department, p.Location, p.TimeZone, managerEmail,
		tandem.JoinList(p.Languages), strings.Join(skills, ";"), tandem.JoinList(p.Interests),
		strconv.Itoa(p.YearsExperience), strconv.Itoa(p.MentorCapacity), tandem.JoinList(p.CoachSkills()), p.Bio,
	})
}

// Flush writes buffered rows and reports any write error.
func (pw *PeopleCSVWriter) Flush() error {
	pw.w.Flush()
	return pw.w.Error()
}

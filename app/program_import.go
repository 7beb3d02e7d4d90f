package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// ImportApplicationsForOperator enrolls people in a program from a CSV
// file, with the operator's authority, for the CLI. The columns are email,
// role (mentor or mentee) and capacity (mentors: 1 to 20), then one column
// per question, headed by the question's wording or q<id>; a cell holds
// the answer as the enrollment form takes it (choices and languages
// separated by ;, skills as name:level). Like the people import it is all
// or nothing, with every bad line named in the report; the same rules as
// the enrollment form apply (the program enrolling within its dates, who
// may enroll, one application per person).
func (a *App) ImportApplicationsForOperator(ctx context.Context, programID int64, r io.Reader) (*tandem.ImportReport, error) {
	orgID, err := a.DB.ProgramOrg(ctx, programID)
	if err != nil {
		return nil, err
	}
	qs, err := a.DB.Questions(ctx, orgID, programID)
	if err != nil {
		return nil, err
	}
	rows, colOf, rep, err := parseApplicationsCSV(r, qs)
	if err != nil || !rep.OK() {
		if err == nil {
			err = rep.Err()
		}
		return rep, err
	}
	return a.DB.ImportApplications(ctx, orgID, programID, rows, colOf)
}

// parseApplicationsCSV reads the file into rows, with the problems of the
// header in the report; cell problems ride on each row. colOf names the
// column of a field error ("q12" → the question's column).
func parseApplicationsCSV(r io.Reader, qs []tandem.Question) ([]sqldb.ApplicationRow, func(string) string, *tandem.ImportReport, error) {
	br := bufio.NewReaderSize(&importReader{r: r, what: "applications"}, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	rep := &tandem.ImportReport{}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "The file is empty. Give a header row: email,role,capacity and one column per question.")
	}
	if err != nil {
		return nil, nil, nil, readError(err)
	}
	byLabel := map[string]*tandem.Question{}
	for i := range qs {
		byLabel[strings.ToLower(qs[i].Label)] = &qs[i]
		byLabel[tandem.QuestionField(qs[i].ID)] = &qs[i]
	}
	fixed := map[string]int{}
	cols := map[int]*tandem.Question{}
	names := map[string]string{} // field → column, for the report
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.Join(strings.Fields(UnescapeCSVCell(h)), " ")
		key := strings.ToLower(name)
		if seen[key] {
			rep.Add(0, name, "", "The column appears twice in the header.")
			continue
		}
		seen[key] = true
		switch q := byLabel[key]; {
		case key == "email" || key == "role" || key == "capacity":
			fixed[key] = i
			names[key] = key
		case q != nil:
			cols[i] = q
			names[tandem.QuestionField(q.ID)] = name
		default:
			rep.Add(0, name, "", "No question of the program has this wording; head each question's column with its wording or q and its id.")
		}
	}
	for _, req := range []string{"email", "role"} {
		if _, ok := fixed[req]; !ok {
			rep.Add(0, req, "", "The header has no "+req+" column; it is required.")
		}
	}
	colOf := func(field string) string {
		if n, ok := names[field]; ok {
			return n
		}
		return field
	}
	if !rep.OK() {
		return nil, colOf, rep, nil
	}
	var rows []sqldb.ApplicationRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Add(pe.Line, "", "", "This line is not valid CSV: "+pe.Err.Error()+". Check the quotes on it.")
			return nil, colOf, rep, nil
		}
		if err != nil {
			return nil, nil, nil, readError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rows) >= MaxImportRows {
			return nil, nil, nil, tandem.Errorf(tandem.ETOOLARGE, "The file has more than %s applications; split it.", thousands(MaxImportRows))
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(UnescapeCSVCell(rec[i]))
			}
			return ""
		}
		row := sqldb.ApplicationRow{Line: line, Email: get(fixed["email"]), Problems: map[string]string{}}
		row.Role = tandem.ApplicationRole(strings.ToLower(get(fixed["role"])))
		if i, ok := fixed["capacity"]; ok && get(i) != "" {
			n, err := strconv.Atoi(get(i))
			if err != nil {
				row.Problems["capacity"] = fmt.Sprintf("%q is not a number of mentees.", get(i))
			}
			row.Capacity = n
		}
		row.Answers = map[int64]tandem.Answer{}
		for i, q := range cols {
			a, msg := q.ParseAnswer(get(i))
			if msg != "" {
				row.Problems[colOf(tandem.QuestionField(q.ID))] = msg
				continue
			}
			if !a.Empty() {
				row.Answers[q.ID] = a
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, nil, nil, tandem.Errorf(tandem.EINVALID, "The file has a header and no applications.")
	}
	return rows, colOf, rep, nil
}

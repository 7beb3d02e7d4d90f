package tandem

import "fmt"

// PeopleColumns are the columns of the people CSV, in the order export
// writes them. Import accepts them in any order; email and name are required.
var PeopleColumns = []string{
	"email", "name", "title", "department", "location", "time_zone", "manager_email",
	"languages", "skills", "interests", "years_experience", "mentor_capacity", "coach_skills", "bio",
}

// PersonRow is one person read from a people CSV: the fields every row has
// and the profile. Skills carry names and levels; ids are resolved on import.
type PersonRow struct {
	Line         int // the line in the file, for the report
	Email        string
	Name         string
	ManagerEmail string
	Profile
}

// ImportProblem is one thing wrong with an import file: a row (0 for the
// header or the file as a whole), a column and the reason.
type ImportProblem struct {
	Line   int
	Column string
	Value  string
	Reason string
}

// String reads as "line 12, manager_email: …".
func (p ImportProblem) String() string {
	switch {
	case p.Line == 0 && p.Column == "":
		return p.Reason
	case p.Line == 0:
		return fmt.Sprintf("header, %s: %s", p.Column, p.Reason)
	case p.Column == "":
		return fmt.Sprintf("line %d: %s", p.Line, p.Reason)
	}
	return fmt.Sprintf("line %d, %s: %s", p.Line, p.Column, p.Reason)
}

// ImportReport says what an import did, or why it did nothing. An import is
// all or nothing: with any problem, nothing is written.
type ImportReport struct {
	Rows           int
	Created        int
	Updated        int
	NewSkills      []string // skills added to the catalogue by the import
	UnknownColumns []string // columns that were ignored
	Problems       []ImportProblem
}

// OK reports whether the import had no problems.
func (r *ImportReport) OK() bool { return len(r.Problems) == 0 }

// Err returns EINVALID naming the number of problems, or nil.
func (r *ImportReport) Err() error {
	if r.OK() {
		return nil
	}
	msg := fmt.Sprintf("The file has %d problems; nothing was imported.", len(r.Problems))
	if len(r.Problems) == 1 {
		msg = "The file has a problem; nothing was imported: " + r.Problems[0].String()
	}
	return &Error{Code: EINVALID, Message: msg}
}

// Add records a problem.
func (r *ImportReport) Add(line int, column, value, reason string) {
	r.Problems = append(r.Problems, ImportProblem{Line: line, Column: column, Value: value, Reason: reason})
}

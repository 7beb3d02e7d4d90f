package tandem

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

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

// MaxImportProblems is how many problems an import report lists: the first
// ones found. Beyond it a report only counts them (MoreProblems), so a file
// of a million bad rows costs no more memory, and no longer a page, than a
// file of a thousand.
const MaxImportProblems = 1000

// MaxImportValue is how many bytes of a bad value a problem repeats.
const MaxImportValue = 200

// ImportReport says what an import did, or why it did nothing. An import is
// all or nothing: with any problem, nothing is written.
type ImportReport struct {
	Rows           int
	Created        int
	Updated        int
	NewSkills      []string        // skills added to the catalogue by the import
	UnknownColumns []string        // columns that were ignored
	Problems       []ImportProblem // the first MaxImportProblems found
	MoreProblems   int             // problems found beyond those, counted only
	// Deactivated lists the active people (guests aside) who are not in
	// the file, when the import was asked to deactivate them: deactivated,
	// or to be deactivated when DryRun. EndedEngagements counts the open
	// engagements that ended (or would end) with them.
	Deactivated      []PersonRef
	EndedEngagements int
	// DryRun marks a report of an import that was checked and rolled back:
	// Created, Updated and Deactivated say what it would do.
	DryRun bool
}

// OK reports whether the import had no problems.
func (r *ImportReport) OK() bool { return len(r.Problems) == 0 && r.MoreProblems == 0 }

// ProblemCount is the number of problems found, listed or not.
func (r *ImportReport) ProblemCount() int { return len(r.Problems) + r.MoreProblems }

// Err returns EINVALID naming the number of problems, or nil.
func (r *ImportReport) Err() error {
	if r.OK() {
		return nil
	}
	msg := fmt.Sprintf("The file has %d problems; nothing was imported.", r.ProblemCount())
	if r.ProblemCount() == 1 {
		msg = "The file has a problem; nothing was imported: " + r.Problems[0].String()
	}
	return &Error{Code: EINVALID, Message: msg}
}

// Add records a problem: listed while fewer than MaxImportProblems are,
// counted after that. A long value is cut to MaxImportValue bytes.
func (r *ImportReport) Add(line int, column, value, reason string) {
	if len(r.Problems) >= MaxImportProblems {
		r.MoreProblems++
		return
	}
	if len(value) > MaxImportValue {
		cut := MaxImportValue
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut--
		}
		value = value[:cut] + "…"
	}
	// A copy, so the problem does not keep the whole line it came from.
	value = strings.Clone(value)
	r.Problems = append(r.Problems, ImportProblem{Line: line, Column: column, Value: value, Reason: reason})
}

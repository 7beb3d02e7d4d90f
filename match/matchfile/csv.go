package matchfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/match"
)

// ScoresCSV is a score matrix read from CSV, with the ids of its rows and
// columns.
type ScoresCSV struct {
	Mentees []string
	Mentors []string
	Matrix  *match.Matrix
}

func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	return cr
}

// csvErr wraps a csv.Reader error with the file name.
func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: row %d, column %d: %w", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// ReadScoresCSV reads a score matrix from CSV: a header of mentor ids after
// one leading cell, then one row per mentee, its id first. An empty cell or
// NaN is a forbidden pair. Rows and columns in errors count from 1, the
// header being row 1.
func ReadScoresCSV(r io.Reader, name string) (*ScoresCSV, error) {
	cr := newCSVReader(r)
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, want a header of mentor ids", name)
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	out := &ScoresCSV{Mentors: make([]string, 0, len(head)-1)}
	seen := map[string]int{}
	for c, id := range head[1:] {
		id = strings.TrimSpace(id)
		if id == "" {
			return nil, fmt.Errorf("%s: row 1, column %d: empty mentor id", name, c+2)
		}
		if p, dup := seen[id]; dup {
			return nil, fmt.Errorf("%s: row 1, column %d: mentor %q repeats column %d", name, c+2, id, p)
		}
		seen[id] = c + 2
		out.Mentors = append(out.Mentors, id)
	}
	m := len(out.Mentors)
	var data []float32
	seen = map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != m+1 {
			return nil, fmt.Errorf("%s: row %d: %d cells, want %d (an id and %d mentors)", name, line, len(rec), m+1, m)
		}
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return nil, fmt.Errorf("%s: row %d, column 1: empty mentee id", name, line)
		}
		if p, dup := seen[id]; dup {
			return nil, fmt.Errorf("%s: row %d, column 1: mentee %q repeats row %d", name, line, id, p)
		}
		seen[id] = line
		out.Mentees = append(out.Mentees, id)
		if len(data)+m > MaxCells {
			return nil, fmt.Errorf("%s: row %d: too many cells", name, line)
		}
		for c, cell := range rec[1:] {
			v, err := parseScore(cell)
			if err != nil {
				return nil, fmt.Errorf("%s: row %d, column %d (mentor %q): %w", name, line, c+2, out.Mentors[c], err)
			}
			data = append(data, v)
		}
	}
	out.Matrix = &match.Matrix{N: len(out.Mentees), M: m, Data: data}
	if out.Matrix.Data == nil {
		out.Matrix.Data = []float32{}
	}
	return out, nil
}

// parseScore parses one score cell: a finite number, or empty or NaN for a
// forbidden pair.
func parseScore(cell string) (float32, error) {
	cell = strings.TrimSpace(cell)
	if cell == "" || strings.EqualFold(cell, "nan") {
		return match.Forbidden, nil
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", cell)
	}
	if math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
		return 0, fmt.Errorf("score %q is infinite or too large", cell)
	}
	if math.IsNaN(v) {
		return match.Forbidden, nil
	}
	return float32(v), nil
}

// ParseCapacity reads mentor capacities: either a single non-negative
// integer for every mentor, or a CSV with header mentor,capacity that
// names every mentor in mentors exactly once.
func ParseCapacity(r io.Reader, name string, mentors []string) ([]int, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<28))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if c, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
		if c < 0 {
			return nil, fmt.Errorf("capacity %d: must not be negative", c)
		}
		out := make([]int, len(mentors))
		for j := range out {
			out[j] = c
		}
		return out, nil
	}
	index := make(map[string]int, len(mentors))
	for j, id := range mentors {
		index[id] = j
	}
	out := make([]int, len(mentors))
	got := make([]int, len(mentors)) // row that set each mentor
	cr := newCSVReader(strings.NewReader(string(b)))
	head, err := cr.Read()
	if err != nil {
		return nil, csvErr(name, err)
	}
	if len(head) != 2 || strings.TrimSpace(head[0]) != "mentor" || strings.TrimSpace(head[1]) != "capacity" {
		return nil, fmt.Errorf("%s: row 1: header must be mentor,capacity", name)
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		if len(rec) != 2 {
			return nil, fmt.Errorf("%s: row %d: %d cells, want 2", name, line, len(rec))
		}
		id := strings.TrimSpace(rec[0])
		j, ok := index[id]
		if !ok {
			return nil, fmt.Errorf("%s: row %d, column 1: unknown mentor %q", name, line, id)
		}
		if got[j] != 0 {
			return nil, fmt.Errorf("%s: row %d, column 1: mentor %q repeats row %d", name, line, id, got[j])
		}
		c, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if err != nil || c < 0 {
			return nil, fmt.Errorf("%s: row %d, column 2: capacity %q must be a non-negative integer", name, line, rec[1])
		}
		out[j], got[j] = c, line
	}
	for j, line := range got {
		if line == 0 {
			return nil, fmt.Errorf("%s: no capacity for mentor %q", name, mentors[j])
		}
	}
	return out, nil
}

// Pair is a mentee-mentor pair of ids.
type Pair struct {
	Mentee, Mentor string
}

// ReadPairs reads a CSV of pairs with header mentee,mentor, as used for
// forbidden pairs.
func ReadPairs(r io.Reader, name string) ([]Pair, error) {
	cr := newCSVReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, csvErr(name, err)
	}
	if len(head) != 2 || strings.TrimSpace(head[0]) != "mentee" || strings.TrimSpace(head[1]) != "mentor" {
		return nil, fmt.Errorf("%s: row 1: header must be mentee,mentor", name)
	}
	var out []Pair
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		if len(rec) != 2 {
			return nil, fmt.Errorf("%s: row %d: %d cells, want 2", name, line, len(rec))
		}
		out = append(out, Pair{strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])})
	}
}

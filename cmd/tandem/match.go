package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/matchfile"
)

const matchUsage = `usage:
  tandem match run --mentees mentees.csv --mentors mentors.csv [--weights weights.json]
                   [--forbid pairs.csv] [--mode optimal|stable] [--unmatched FILE] --out matches.csv
  tandem match solve --scores S.npy|S.csv [--capacity C] [--mode optimal|stable] [--certify]
                   [--unmatched FILE] --out matches.csv
`

// runMatch runs the match subcommands: run (from profiles) and solve (from
// a score matrix).
func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, matchUsage)
		if len(args) == 0 {
			return errors.New("match: want a subcommand, run or solve")
		}
		return nil
	}
	switch args[0] {
	case "run":
		return matchRun(ctx, args[1:], stdout, stderr)
	case "solve":
		return matchSolve(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, matchUsage)
	return fmt.Errorf("match: unknown subcommand %q", args[0])
}

// matchJob is what both subcommands hand to solveAndWrite.
type matchJob struct {
	src              match.Scores
	mentees, mentors []string
	capacity         []int
	mode             string
	certify          bool
	out, unmatched   string
	reasons          func(i, j int) string // nil for solve
	forbidWhy        func(i, j int) string
	timings          []string
}

func matchFlags(name string, stderr io.Writer) (*flag.FlagSet, *string, *string, *string, *bool) {
	fs := flag.NewFlagSet("match "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, matchUsage); fs.PrintDefaults() }
	mode := fs.String("mode", "optimal", "optimal (maximum total score) or stable (mentees propose)")
	out := fs.String("out", "", "write matches to this CSV `file`")
	unmatched := fs.String("unmatched", "", "also write unmatched mentees and why to this CSV `file`")
	certify := fs.Bool("certify", false, "check the optimality certificate (or stability) and report it")
	return fs, mode, out, unmatched, certify
}

func checkCommon(mode, out string) error {
	if mode != "optimal" && mode != "stable" {
		return fmt.Errorf("match: --mode %q: want optimal or stable", mode)
	}
	if out == "" {
		return errors.New("match: --out is required")
	}
	return nil
}

func matchSolve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, mode, out, unmatched, certify := matchFlags("solve", stderr)
	scores := fs.String("scores", "", "score matrix: a .npy file (float32/float64) or a CSV with mentor ids in the header and mentee ids first")
	capFlag := fs.String("capacity", "1", "mentor capacity: a number for all, or a CSV `file` mentor,capacity")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := checkCommon(*mode, *out); err != nil {
		return err
	}
	if *scores == "" {
		return errors.New("match solve: --scores is required")
	}
	start := time.Now()
	f, err := os.Open(*scores)
	if err != nil {
		return err
	}
	defer f.Close()
	job := &matchJob{mode: *mode, certify: *certify, out: *out, unmatched: *unmatched}
	var a *match.Matrix
	if strings.EqualFold(filepath.Ext(*scores), ".npy") {
		if a, err = matchfile.ReadNPY(f, *scores); err != nil {
			return err
		}
		job.mentees, job.mentors = numbered(a.N), numbered(a.M)
	} else {
		s, err := matchfile.ReadScoresCSV(f, *scores)
		if err != nil {
			return err
		}
		a, job.mentees, job.mentors = s.Matrix, s.Mentees, s.Mentors
	}
	job.src = a
	if _, err := strconv.Atoi(strings.TrimSpace(*capFlag)); err == nil {
		job.capacity, err = matchfile.ParseCapacity(strings.NewReader(*capFlag), "--capacity", job.mentors)
		if err != nil {
			return fmt.Errorf("match solve: %w", err)
		}
	} else {
		c, err := os.Open(*capFlag)
		if err != nil {
			return err
		}
		defer c.Close()
		if job.capacity, err = matchfile.ParseCapacity(c, *capFlag, job.mentors); err != nil {
			return err
		}
	}
	job.timings = append(job.timings, "read "+ms(time.Since(start)))
	return solveAndWrite(ctx, job, stdout, stderr)
}

func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

func matchRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, mode, out, unmatched, certify := matchFlags("run", stderr)
	menteesPath := fs.String("mentees", "", "people CSV of mentees (with wants and q_ columns)")
	mentorsPath := fs.String("mentors", "", "people CSV of mentors (with capacity and q_ columns)")
	weightsPath := fs.String("weights", "", "scoring weights JSON (default weights when absent)")
	forbidPath := fs.String("forbid", "", "CSV mentee,mentor of excluded pairs (by email)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := checkCommon(*mode, *out); err != nil {
		return err
	}
	if *menteesPath == "" || *mentorsPath == "" {
		return errors.New("match run: --mentees and --mentors are required")
	}
	start := time.Now()
	w := match.DefaultWeights()
	if *weightsPath != "" {
		b, err := os.ReadFile(*weightsPath)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&w); err != nil {
			return fmt.Errorf("%s: %w", *weightsPath, err)
		}
	}
	mentees, err := readPeople(*menteesPath, false)
	if err != nil {
		return err
	}
	mentors, err := readPeople(*mentorsPath, true)
	if err != nil {
		return err
	}
	job := &matchJob{mode: *mode, certify: *certify, out: *out, unmatched: *unmatched}
	index := func(ps []match.Profile) map[string]int {
		m := make(map[string]int, len(ps))
		for i, p := range ps {
			m[strings.ToLower(p.Email)] = i
			job.mentees = append(job.mentees, p.Email)
		}
		return m
	}
	menteeAt := index(mentees)
	mentorAt := index(mentors)
	job.mentees, job.mentors = job.mentees[:len(mentees)], job.mentees[len(mentees):]
	var forbid [][2]int
	if *forbidPath != "" {
		f, err := os.Open(*forbidPath)
		if err != nil {
			return err
		}
		pairs, err := matchfile.ReadPairs(f, *forbidPath)
		f.Close()
		if err != nil {
			return err
		}
		for t, p := range pairs {
			i, ok1 := menteeAt[strings.ToLower(p.Mentee)]
			j, ok2 := mentorAt[strings.ToLower(p.Mentor)]
			if !ok1 || !ok2 {
				return fmt.Errorf("%s: row %d: unknown mentee %q or mentor %q", *forbidPath, t+2, p.Mentee, p.Mentor)
			}
			forbid = append(forbid, [2]int{i, j})
		}
	}
	model, err := match.NewModel(mentees, mentors, w, forbid)
	if err != nil {
		return err
	}
	for _, p := range mentors {
		job.capacity = append(job.capacity, p.Capacity)
	}
	job.timings = append(job.timings, "read "+ms(time.Since(start)))
	start = time.Now()
	job.src = model
	// Up to 2^27 cells (512 MiB of float32) the scores are computed once
	// into a matrix, which makes row rescans free; beyond, the engine
	// computes rows on demand and never holds the matrix.
	if n, m := model.Dims(); n*m <= 1<<27 {
		job.src = match.Materialize(model, 0)
		job.timings = append(job.timings, "score "+ms(time.Since(start)))
	}
	job.reasons = func(i, j int) string { return match.Reasons(model.Explain(i, j, 3)) }
	job.forbidWhy = model.ForbiddenReason
	return solveAndWrite(ctx, job, stdout, stderr)
}

func readPeople(path string, mentors bool) ([]match.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return matchfile.ReadPeople(f, path, matchfile.PeopleOptions{Mentors: mentors, TimeZone: resolveTimeZone})
}

// resolveTimeZone accepts an explicit offset or an IANA zone name, taking
// the zone's current offset.
func resolveTimeZone(s string) (int, error) {
	if off, err := matchfile.ParseUTCOffset(s); err == nil {
		return off, nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return 0, fmt.Errorf("time zone %q: not an offset such as UTC+2 nor a known zone name", s)
	}
	_, off := time.Now().In(loc).Zone()
	return off / 60, nil
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + "ms"
}

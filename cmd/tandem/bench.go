package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/sqldb"
)

const benchUsage = `Usage:
  tandem bench program [--mentees 10000] [--mentors 2000] [--questions 8] [--runs 3] [--postgres URL] [--cpuprofile FILE] [--json]

program measures the matching of a cohort program from the database to a
certified preview, and its publication, on a scratch database: a temporary
SQLite file, or with --postgres URL a database it creates on that
PostgreSQL server (the URL's user must be allowed to create databases) and
drops at the end. Nothing else is touched.

It creates a mentoring program of --mentees mentees and --mentors mentors
(capacity 4 or 5) answering --questions questions (1 to 8; 7 of the 8 are
matching criteria), every application approved and a tenth of the mentees
reporting to a mentor, then times, --runs times each:
  - optimal: tandem program match, the optimal run from the database to a
    stored, certified preview, with its stages (load, score, solve,
    explain, store);
  - stable: the same with --stable;
  - publish: tandem program publish of the optimal run, every pair a
    proposed partnership with its agreement, events, notifications and
    email jobs (the partnerships are deleted again between runs);
  - bare solve: the baseline, measured in the same process on the same
    cohort's score matrix: the engine alone (match.Assign), without the
    database or the management-chain exclusions.
It prints the median of each, the ratios of the optimal and stable runs
to the bare solve (what the product adds to the engine), the peak heap in
use while timing (runtime/metrics, sampled every 5 ms) and the process's
peak resident memory (which counts SQLite's page cache too), and whether
issue 13's targets hold: a run under 2 s, publishing under 10 s, peak
memory under 1 GiB. Other work on the machine slows every figure: run it
on a quiet machine. --cpuprofile writes a CPU profile of the timed stages
(not the seeding) for go tool pprof.

With --json it prints {"database", "mentees", "mentors", "questions",
"runs", "seed_ms", "optimal": {"total_ms", "load_ms", "score_ms",
"solve_ms", "explain_ms", "store_ms", "matched"}, "stable": {the same},
"publish_ms", "engagements", "bare_solve_ms", "optimal_ratio",
"stable_ratio", "peak_heap_mib", "peak_rss_mib", "within_targets"}; every
time is a median in milliseconds.
`

// benchRun is the medians of one kind of run.
type benchRun struct {
	Total   float64 `json:"total_ms"`
	Load    float64 `json:"load_ms"`
	Score   float64 `json:"score_ms"`
	Solve   float64 `json:"solve_ms"`
	Explain float64 `json:"explain_ms"`
	Store   float64 `json:"store_ms"`
	Matched int     `json:"matched"`
}

// benchReport is what tandem bench program prints.
type benchReport struct {
	Database      string   `json:"database"`
	Mentees       int      `json:"mentees"`
	Mentors       int      `json:"mentors"`
	Questions     int      `json:"questions"`
	Runs          int      `json:"runs"`
	Seed          float64  `json:"seed_ms"`
	Optimal       benchRun `json:"optimal"`
	Stable        benchRun `json:"stable"`
	Publish       float64  `json:"publish_ms"`
	Engagements   int      `json:"engagements"`
	BareSolve     float64  `json:"bare_solve_ms"`
	OptimalRatio  float64  `json:"optimal_ratio"`
	StableRatio   float64  `json:"stable_ratio"`
	PeakHeapMiB   float64  `json:"peak_heap_mib"`
	PeakRSSMiB    float64  `json:"peak_rss_mib"`
	WithinTargets bool     `json:"within_targets"`
}

// Issue 13's targets.
const (
	targetMatch   = 2 * time.Second
	targetPublish = 10 * time.Second
	targetMemory  = 1 << 30
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := oneVerb(args, "program", benchUsage, stderr); err != nil {
		return err
	}
	fs := flag.NewFlagSet("tandem bench program", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, benchUsage); fs.PrintDefaults() }
	mentees := fs.Int("mentees", 10000, "how many mentees")
	mentors := fs.Int("mentors", 2000, "how many mentors")
	questions := fs.Int("questions", demo.MaxCohortQuestions, "how many questions (1 to 8)")
	runs := fs.Int("runs", 3, "how many times each stage is timed (the median is printed)")
	pg := fs.String("postgres", "", "PostgreSQL server URL: benchmark on a scratch database created there and dropped at the end")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed stages to this file")
	asJSON := fs.Bool("json", false, "write JSON")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", rest[0])
	case *mentees < 1 || *mentees > 200_000:
		return fmt.Errorf("--mentees: give 1 to 200000")
	case *mentors < 1 || *mentors > 50_000:
		return fmt.Errorf("--mentors: give 1 to 50000")
	case *questions < 1 || *questions > demo.MaxCohortQuestions:
		return fmt.Errorf("--questions: give 1 to %d", demo.MaxCohortQuestions)
	case *runs < 1 || *runs > 50:
		return fmt.Errorf("--runs: give 1 to 50")
	}
	dbURL, drop, err := scratchDatabase(ctx, *pg)
	if err != nil {
		return err
	}
	defer drop()
	progress := func(format string, a ...any) {
		if !*asJSON {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	rep, err := benchProgram(ctx, dbURL, *mentees, *mentors, *questions, *runs, *cpuProfile, progress)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, rep)
	}
	printBench(stdout, rep)
	return nil
}

// scratchDatabase returns the URL of an empty database and the function
// that removes it: a SQLite file in a temporary directory, or a database
// created on the PostgreSQL server pgURL names.
func scratchDatabase(ctx context.Context, pgURL string) (string, func(), error) {
	if pgURL == "" {
		dir, err := os.MkdirTemp("", "tandem-bench-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	u, err := url.Parse(pgURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("--postgres: give a postgres:// URL")
	}
	server, err := sql.Open("pgx", pgURL)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		server.Close()
		return "", nil, err
	}
	name := "tandem_bench_" + hex.EncodeToString(b[:])
	if _, err := server.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		server.Close()
		return "", nil, fmt.Errorf("create the scratch database: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		// The benchmark's connections are closed by now; FORCE ends any
		// straggler so the database always goes.
		if _, err := server.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "tandem: drop the scratch database %s: %v\n", name, err)
		}
		server.Close()
	}, nil
}

// benchProgram seeds the cohort and times the stages.
func benchProgram(ctx context.Context, dbURL string, mentees, mentors, questions, runs int, cpuProfile string,
	progress func(string, ...any)) (*benchReport, error) {
	db, err := sqldb.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, &mail.DevMailer{Log: log, Store: db}, log, "http://tandem.bench")
	rep := &benchReport{Database: string(db.Dialect()), Mentees: mentees, Mentors: mentors, Questions: questions, Runs: runs}

	progress("seeding %d mentees and %d mentors with %d questions in a scratch %s database…", mentees, mentors, questions, db.Dialect())
	t0 := time.Now()
	org := &tandem.Org{Name: "Bench"}
	if err := org.Validate(); err != nil {
		return nil, err
	}
	p, err := db.CreateOrgWithAdmin(ctx, org, sqldb.NewMember{Email: "admin@bench.test", Name: "Bench Admin", PasswordHash: "x"})
	if err != nil {
		return nil, err
	}
	actor, err := db.ActorByAccount(ctx, p.AccountID, org.ID)
	if err != nil {
		return nil, err
	}
	admin := tandem.WithActor(ctx, actor)
	id, err := demo.BigCohort(admin, a, mentees, mentors, questions)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	rep.Seed = millis(time.Since(t0))

	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	peak := startPeakHeap()
	var opt *tandem.MatchRun
	for _, mode := range []tandem.MatchMode{tandem.ModeOptimal, tandem.ModeStable} {
		var total, load, score, solve, explain, store []time.Duration
		var last *tandem.MatchRun
		for k := range runs {
			runtime.GC()
			t0 := time.Now()
			run, err := a.MatchProgram(admin, id, mode, nil)
			if err != nil {
				peak.stop()
				return nil, fmt.Errorf("%s run: %w", mode, err)
			}
			total = append(total, time.Since(t0))
			s := run.Stats
			load, score, solve, explain, store = append(load, s.Load), append(score, s.Score), append(solve, s.Solve),
				append(explain, s.Explain), append(store, s.Store)
			last = run
			progress("%s run %d/%d: %s", mode, k+1, runs, time.Since(t0).Round(time.Millisecond))
		}
		r := benchRun{Total: median(total), Load: median(load), Score: median(score), Solve: median(solve), Explain: median(explain),
			Store: median(store), Matched: last.Matched}
		if mode == tandem.ModeOptimal {
			rep.Optimal, opt = r, last
		} else {
			rep.Stable = r
		}
	}

	var publish []time.Duration
	for k := range runs {
		if k > 0 {
			if err := unpublish(ctx, db, org.ID, opt.ID); err != nil {
				peak.stop()
				return nil, err
			}
		}
		runtime.GC()
		t0 := time.Now()
		res, err := a.PublishRun(admin, id, opt.ID)
		if err != nil {
			peak.stop()
			return nil, fmt.Errorf("publish: %w", err)
		}
		publish = append(publish, time.Since(t0))
		rep.Engagements = res.Engagements
		progress("publish %d/%d: %d partnerships in %s", k+1, runs, res.Engagements, time.Since(t0).Round(time.Millisecond))
	}
	rep.Publish = median(publish)

	// The baseline: the engine alone on the same cohort's matrix.
	d, err := db.LoadCohort(ctx, org.ID, id)
	if err != nil {
		peak.stop()
		return nil, err
	}
	criteria, err := tandem.Criteria(d.Questions, nil)
	if err != nil {
		peak.stop()
		return nil, err
	}
	co := tandem.NewCohort(criteria, d.Mentees, d.Mentors, db.Now())
	mx := co.Matrix()
	caps := make([]int, len(d.Mentors))
	for j, m := range d.Mentors {
		caps[j] = m.Capacity
	}
	var bare []time.Duration
	for k := range runs {
		runtime.GC()
		t0 := time.Now()
		if _, err := match.Assign(mx, caps, match.Options{}); err != nil {
			peak.stop()
			return nil, fmt.Errorf("bare solve: %w", err)
		}
		bare = append(bare, time.Since(t0))
		progress("bare solve %d/%d: %s", k+1, runs, time.Since(t0).Round(time.Millisecond))
	}
	rep.BareSolve = median(bare)
	heap := peak.stop()
	rep.PeakHeapMiB = float64(heap) / (1 << 20)
	rep.PeakRSSMiB = float64(peakRSS()) / (1 << 20)
	if rep.BareSolve > 0 {
		rep.OptimalRatio = round2(rep.Optimal.Total / rep.BareSolve)
		rep.StableRatio = round2(rep.Stable.Total / rep.BareSolve)
	}
	rss := rep.PeakRSSMiB * (1 << 20)
	rep.WithinTargets = rep.Optimal.Total < millis(targetMatch) && rep.Stable.Total < millis(targetMatch) && rep.Publish < millis(targetPublish) &&
		heap < targetMemory && rss < targetMemory
	return rep, nil
}

// unpublish undoes a publication on the scratch database, so that the
// next run publishes the same pairs again: the partnerships go (their
// versions, events and notifications with them), and their email jobs.
func unpublish(ctx context.Context, db *sqldb.DB, orgID, runID int64) error {
	return db.Write(ctx, func(tx *sqldb.Tx) error {
		for _, q := range []string{
			`DELETE FROM river_job WHERE kind = 'notification_email'`,
			`DELETE FROM notifications WHERE org_id = ?`,
			`DELETE FROM engagements WHERE org_id = ?`,
			`UPDATE program_runs SET published_at = NULL, published_by = NULL WHERE org_id = ? AND id = ?`,
		} {
			var args []any
			switch strings.Count(q, "?") {
			case 1:
				args = []any{orgID}
			case 2:
				args = []any{orgID, runID}
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("unpublish: %w", err)
			}
		}
		return nil
	})
}

func printBench(w io.Writer, r *benchReport) {
	fmt.Fprintf(w, "%s: %d mentees, %d mentors, %d questions; medians of %d runs (seeding took %.0f ms)\n",
		r.Database, r.Mentees, r.Mentors, r.Questions, r.Runs, r.Seed)
	for _, x := range []struct {
		name string
		r    benchRun
	}{{"optimal", r.Optimal}, {"stable", r.Stable}} {
		fmt.Fprintf(w, "%-8s %7.0f ms  (load %.0f, score %.0f, solve %.0f, explain %.0f, store %.0f)  %d matched\n",
			x.name, x.r.Total, x.r.Load, x.r.Score, x.r.Solve, x.r.Explain, x.r.Store, x.r.Matched)
	}
	fmt.Fprintf(w, "publish  %7.0f ms  (%d partnerships)\n", r.Publish, r.Engagements)
	fmt.Fprintf(w, "bare solve %5.0f ms  (the engine alone on the same matrix): optimal run %.2f×, stable run %.2f×\n",
		r.BareSolve, r.OptimalRatio, r.StableRatio)
	fmt.Fprintf(w, "peak heap %.0f MiB, peak resident %.0f MiB\n", r.PeakHeapMiB, r.PeakRSSMiB)
	verdict := "within"
	if !r.WithinTargets {
		verdict = "NOT within"
	}
	fmt.Fprintf(w, "%s the targets: a run < %s, publish < %s, memory < 1 GiB\n", verdict, targetMatch, targetPublish)
}

// peakHeap samples the heap in use until stopped.
type peakHeap struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  uint64
}

func startPeakHeap() *peakHeap {
	p := &peakHeap{done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			p.max = max(p.max, sample[0].Value.Uint64())
		}
	}
	read()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak, in bytes.
func (p *peakHeap) stop() uint64 {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
	return p.max
}

func median(d []time.Duration) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return millis(s[len(s)/2])
}

func millis(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000) }

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/match"
)

func solveAndWrite(ctx context.Context, job *matchJob, stdout, stderr io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bar := newProgressLine(stderr, time.Second)
	opt := match.Options{Progress: bar.show}
	clear := bar.end
	n, _ := job.src.Dims()
	var mentor []int
	var total float64
	var matched int
	var check string
	if job.mode == "stable" {
		s, err := match.Stable(job.src, job.capacity, opt)
		clear()
		if err != nil {
			return err
		}
		mentor, total, matched = s.Mentor, s.Score, s.Matched
		job.timings = append(job.timings, "preferences "+ms(s.Build), "propose "+ms(s.Propose))
		if job.certify {
			t := time.Now()
			if i, j, ok := match.BlockingPair(job.src, job.capacity, mentor); ok {
				return fmt.Errorf("match: not stable: %s and %s block", job.mentees[i], job.mentors[j])
			}
			check = "stable: no blocking pair"
			job.timings = append(job.timings, "check "+ms(time.Since(t)))
		}
	} else {
		a, err := match.Assign(job.src, job.capacity, opt)
		clear()
		if err != nil {
			return err
		}
		mentor, total, matched = a.Mentor, a.Score, a.Matched
		st := a.Stats
		job.timings = append(job.timings, "candidates "+ms(st.Candidates), "bidding "+ms(st.Bidding), "augment "+ms(st.Augment))
		if job.certify {
			t := time.Now()
			c, err := match.Certify(job.src, job.capacity, a, 0)
			if err != nil {
				return err
			}
			check = fmt.Sprintf("certified optimal: duality gap %.3g, max violation %.3g (tolerance %.3g)", c.Gap, c.MaxViolation, c.Tolerance)
			job.timings = append(job.timings, "certify "+ms(time.Since(t)))
		}
	}
	t := time.Now()
	scores, reasons := pairTexts(job, mentor)
	err := writeAtomic(job.out, func(w *csv.Writer) error {
		head := []string{"mentee", "mentor", "score"}
		if job.reasons != nil {
			head = append(head, "reasons")
		}
		if err := w.Write(head); err != nil {
			return err
		}
		for i, j := range mentor {
			if j < 0 {
				continue
			}
			// Ids come from the input files (names, emails): escaped as
			// the people export escapes them; the score is a number.
			rec := []string{app.EscapeCSVCell(job.mentees[i]), app.EscapeCSVCell(job.mentors[j]), scores[i]}
			if job.reasons != nil {
				rec = append(rec, app.EscapeCSVCell(reasons[i]))
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var unmatched []int
	for i, j := range mentor {
		if j < 0 {
			unmatched = append(unmatched, i)
		}
	}
	if job.unmatched != "" {
		err := writeAtomic(job.unmatched, func(w *csv.Writer) error {
			if err := w.Write([]string{"mentee", "reason"}); err != nil {
				return err
			}
			for _, i := range unmatched {
				if err := w.Write([]string{app.EscapeCSVCell(job.mentees[i]), app.EscapeCSVCell(match.UnmatchedReason(job.src, i, job.forbidWhy))}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	job.timings = append(job.timings, "write "+ms(time.Since(t)))
	fmt.Fprintf(stdout, "%s: total score %.6g, matched %d of %d, unmatched %d\n", job.mode, total, matched, n, len(unmatched))
	for t, i := range unmatched {
		if t == 10 {
			fmt.Fprintf(stdout, "  … and %d more unmatched\n", len(unmatched)-10)
			break
		}
		fmt.Fprintf(stdout, "  unmatched %s: %s\n", job.mentees[i], match.UnmatchedReason(job.src, i, job.forbidWhy))
	}
	if check != "" {
		fmt.Fprintln(stdout, check)
	}
	fmt.Fprintf(stdout, "time: %s\n", joinTimings(job.timings))
	return nil
}

// pairTexts formats the score and the reasons of every matched pair,
// spread over all cores (explaining a pair takes microseconds, 10,000
// times over). A pair's score is computed alone: its whole row would be a
// scoring pass over every mentor when scores come from profiles.
func pairTexts(job *matchJob, mentor []int) (scores, reasons []string) {
	scores = make([]string, len(mentor))
	if job.reasons != nil {
		reasons = make([]string, len(mentor))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]float32, len(job.mentors))
			const chunk = 256
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= len(mentor) {
					return
				}
				for i := from; i < min(from+chunk, len(mentor)); i++ {
					j := mentor[i]
					if j < 0 {
						continue
					}
					v := match.PairScore(job.src, i, j, buf)
					scores[i] = strconv.FormatFloat(float64(v), 'g', -1, 32)
					if reasons != nil {
						reasons[i] = job.reasons(i, j)
					}
				}
			}
		}()
	}
	wg.Wait()
	return scores, reasons
}

func joinTimings(ts []string) string {
	s := ""
	for t, x := range ts {
		if t > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

// writeAtomic writes a CSV through writeAtomically: no partial file is
// ever left behind, and the file is its owner's alone (matches name people).
// Text cells go through app.EscapeCSVCell, so a spreadsheet opening the
// file does not run an id that looks like a formula.
func writeAtomic(path string, fill func(*csv.Writer) error) error {
	return writeAtomically(path, func(f io.Writer) error {
		bw := bufio.NewWriterSize(f, 1<<16)
		w := csv.NewWriter(bw)
		if err := fill(w); err != nil {
			return err
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		return bw.Flush()
	})
}

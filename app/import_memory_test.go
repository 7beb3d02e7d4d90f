package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/tandemtest"
)

// invalidPeopleCSV writes a people CSV of about size bytes in which every
// row is wrong in many ways (email, manager, time zone, numbers, a score of
// skills with unknown levels, coach skills the person lacks): the file a
// careless or hostile tenant uploads to make the report as large as it can.
func invalidPeopleCSV(size int) []byte {
	var buf bytes.Buffer
	buf.WriteString(hrHeader + "\n")
	var skills, coach []string
	for i := range 20 {
		skills = append(skills, fmt.Sprintf("s%d:guru", i))
		coach = append(coach, fmt.Sprintf("c%d", i))
	}
	// About 350 bytes a row: 60 MB is some 180,000 rows, under MaxImportRows,
	// so the whole file is read and checked.
	bio := strings.Repeat("b", 40)
	for i := 0; buf.Len() < size; i++ {
		fmt.Fprintf(&buf, "bad-%d,Name %d,,,,Mars/Base%d,not-an-email-%d,,%s,,many,lots,%s,%s\n",
			i, i, i%50, i, strings.Join(skills, ";"), strings.Join(coach, ";"), bio)
	}
	return buf.Bytes()
}

// peakHeap samples the live heap every millisecond while fn runs and
// returns the largest value seen: an estimate of the peak (a spike shorter
// than the interval can be missed), good enough to compare before and after.
func peakHeap(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			v := read()
			mu.Lock()
			peak = max(peak, v)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	return max(peak, read())
}

// BenchmarkImportInvalid60MB imports a 60 MB file of invalid rows (SQLite,
// or PostgreSQL with TANDEM_TEST_POSTGRES) and reports the sampled peak of
// the live heap, the problems kept in the report and those found:
//
//	go test -run XXX -bench ImportInvalid60MB -benchtime 1x ./app/
func BenchmarkImportInvalid60MB(b *testing.B) {
	file := invalidPeopleCSV(60 << 20)
	b.SetBytes(int64(len(file)))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, _ := tandemtest.MustOpenDB(b)
	a := app.New(db, &tandemtest.Mailbox{}, log, "http://tandem.test")
	orgID := tandem.ActorFrom(tandemtest.MustOrg(b, db, "Bench")).Org.ID
	var peak uint64
	var kept, found int
	for b.Loop() {
		p := peakHeap(func() {
			rep, err := a.ImportPeopleInto(context.Background(), orgID, bytes.NewReader(file), nil)
			if tandem.ErrorCode(err) == "" {
				b.Fatalf("an invalid file imported: %v", err)
			}
			if rep != nil {
				kept, found = len(rep.Problems), rep.ProblemCount()
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(kept), "problems-kept")
	b.ReportMetric(float64(found), "problems-found")
}

// TestWriteInvalidCSV writes the benchmark's 60 MB invalid file to the path
// in TANDEM_INVALID_CSV, to measure `tandem import people` under
// /usr/bin/time -v; without the variable it is skipped.
func TestWriteInvalidCSV(t *testing.T) {
	path := os.Getenv("TANDEM_INVALID_CSV")
	if path == "" {
		t.Skip("TANDEM_INVALID_CSV names the file to write")
	}
	if err := os.WriteFile(path, invalidPeopleCSV(60<<20), 0o600); err != nil {
		t.Fatal(err)
	}
}

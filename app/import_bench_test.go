package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/tandemtest"
)

// benchPeople and benchLevels are the benchmark's organization: the size of
// a large customer, as deep as large organizations are.
const (
	benchPeople = 100_000
	benchLevels = 7
)

// peopleCSV generates n people in a hierarchy levels deep and writes them
// as the CSV that export writes and import reads.
func peopleCSV(tb testing.TB, n, levels int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	pw, err := app.NewPeopleCSVWriter(&buf)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range demo.People(n, levels, "bench.example", 1) {
		if err := pw.Write(&tandem.Person{Email: r.Email, Name: r.Name, Profile: r.Profile}, r.ManagerEmail); err != nil {
			tb.Fatal(err)
		}
	}
	if err := pw.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportPeople100k imports 100,000 people in a seven-level
// hierarchy, parsing included, into an empty organization of a fresh
// database each iteration; on PostgreSQL when TANDEM_TEST_POSTGRES is set.
// scripts/bench-import.sh measures the same import's peak memory through
// the CLI.
func BenchmarkImportPeople100k(b *testing.B) {
	file := peopleCSV(b, benchPeople, benchLevels)
	b.SetBytes(int64(len(file)))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for b.Loop() {
		b.StopTimer()
		db, _ := tandemtest.MustOpenDB(b)
		a := app.New(db, &tandemtest.Mailbox{}, log, "http://tandem.test")
		orgID := tandem.ActorFrom(tandemtest.MustOrg(b, db, "Bench")).Org.ID
		b.StartTimer()
		rep, err := a.ImportPeopleInto(context.Background(), orgID, bytes.NewReader(file), nil)
		if err != nil {
			b.Fatalf("import: %v %v", err, rep)
		}
		if rep.Created != benchPeople {
			b.Fatalf("created %d people", rep.Created)
		}
	}
	b.ReportMetric(float64(benchPeople*b.N)/b.Elapsed().Seconds(), "people/s")
}

// TestWriteBenchCSV writes the benchmark's file to the path in
// TANDEM_BENCH_CSV, for scripts/bench-import.sh, which imports it through
// the CLI to measure peak memory; without the variable it is skipped.
func TestWriteBenchCSV(t *testing.T) {
	path := os.Getenv("TANDEM_BENCH_CSV")
	if path == "" {
		t.Skip("TANDEM_BENCH_CSV names the file to write")
	}
	if err := os.WriteFile(path, peopleCSV(t, benchPeople, benchLevels), 0o600); err != nil {
		t.Fatal(err)
	}
}

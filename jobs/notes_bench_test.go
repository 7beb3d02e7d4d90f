package jobs_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/tandemtest"
)

// BenchmarkDigest sends one digest to n confirmed subscribers through the
// River jobs into an SMTP server in the process, and reports messages per
// second and the peak heap while sending (sampled every 10 ms), which
// should stay flat as n grows:
//
//	go test -run XXX -bench Digest -benchtime 1x ./jobs/
func BenchmarkDigest(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchDigest(b, n)
			}
		})
	}
}

func benchDigest(b *testing.B, n int) {
	b.StopTimer()
	db, _ := tandemtest.MustOpenDB(b)
	sink := tandemtest.StartSMTPServer(b, tandemtest.CountOnly())
	m, err := mail.NewSMTPMailer(sink.URL("notes@tandem.test"))
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(db, m, quiet(), "https://tandem.test")
	_, org := notesOrg(b, db, a, n)
	r, err := jobs.Start(context.Background(), a, quiet(), jobs.Config{PollInterval: 100 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Stop(context.Background())
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	b.StartTimer()
	start := time.Now()
	plan, err := a.SendDigestNow(context.Background(), org.ID, false)
	if err != nil {
		b.Fatal(err)
	}
	sent := waitDigest(b, a, plan.DigestID)
	el := time.Since(start)
	b.StopTimer()
	close(stop)
	wg.Wait()
	if sent != n || sink.Total() != int64(n) {
		b.Fatalf("sent %d, the sink got %d, want %d", sent, sink.Total(), n)
	}
	b.ReportMetric(float64(n)/el.Seconds(), "msgs/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(sink.Connections()), "smtp-conns")
	b.Logf("%s: %d messages in %s: %.0f/s, peak heap %.1f MiB, %d SMTP connections", db.Dialect(), n, el.Round(time.Millisecond),
		float64(n)/el.Seconds(), float64(peak.Load())/(1<<20), sink.Connections())
}

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progressLine draws a long command's progress on one line of a terminal:
// a label and a bar. It stays quiet for the first `after` (a quick run
// shows nothing), redraws at most ten times a second (a terminal that
// redraws each of hundreds of updates slows the work), and on anything but
// a terminal (a log file, a pipe, a test) draws nothing at all.
type progressLine struct {
	mu    sync.Mutex // match reports from its workers
	w     io.Writer  // nil: not a terminal
	start time.Time
	after time.Duration
	last  time.Time
	drawn bool
}

func newProgressLine(stderr io.Writer, after time.Duration) *progressLine {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progressLine{}
	}
	return &progressLine{w: stderr, start: time.Now(), after: after}
}

// show draws label and done of total.
func (p *progressLine) show(label string, done, total int) {
	if p.w == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < p.after || done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 40
	n := min(done, total) * width / total
	fmt.Fprintf(p.w, "\r\033[K%s [%s%s] %3d%%", label, strings.Repeat("=", n), strings.Repeat(" ", width-n), min(done, total)*100/total)
	p.drawn = true
}

// end erases the line, so that what the command prints next starts clean.
func (p *progressLine) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

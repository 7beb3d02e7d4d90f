package main

import (
	"os"
	"strings"
	"testing"
)

// commandTree is every command of tandem and its subcommands, as the
// usage lists them.
var commandTree = map[string][]string{
	"serve":       nil,
	"migrate":     nil,
	"user":        {"create", "reset-password", "list"},
	"import":      {"people"},
	"export":      {"people"},
	"people":      {"invite", "deactivate", "reactivate"},
	"demo":        nil,
	"match":       {"run", "solve"},
	"engagements": {"list", "show"},
	"program":     {"create", "state", "import-applications", "publish", "match"},
	"jobs":        {"list", "retry"},
	"notes":       {"publish"},
	"digest":      {"send"},
	"version":     nil,
	"help":        nil,
}

// TestHelpEverywhere walks every command and subcommand with -h and
// --help: each answers with its usage and succeeds (exit 0), touching no
// database (the data directory stays empty).
func TestHelpEverywhere(t *testing.T) {
	data := t.TempDir()
	var paths [][]string
	for cmd, subs := range commandTree {
		paths = append(paths, []string{cmd})
		for _, s := range subs {
			paths = append(paths, []string{cmd, s})
		}
	}
	for _, p := range paths {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string{}, p...), h)
			out, err := cli(t, data, "", args...)
			if err != nil {
				t.Errorf("tandem %s: %v\n%s", strings.Join(args, " "), err, out)
				continue
			}
			if !strings.Contains(out, "Usage") && !strings.Contains(out, "usage") {
				t.Errorf("tandem %s: no usage text:\n%s", strings.Join(args, " "), out)
			}
		}
	}
	if entries, err := os.ReadDir(data); err != nil || len(entries) != 0 {
		t.Errorf("asking for help touched the data directory: %v %v", entries, err)
	}
	// The top-level usage lists every command the walk covers.
	out, err := cli(t, data, "", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for cmd := range commandTree {
		if cmd != "help" && !strings.Contains(out, "\n  "+cmd+" ") {
			t.Errorf("the usage does not list %s", cmd)
		}
	}
}

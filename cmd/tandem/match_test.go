package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func npy(rows [][]float64) string {
	var b bytes.Buffer
	h := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + strconv.Itoa(len(rows)) + ", " + strconv.Itoa(len(rows[0])) + "), }"
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	for _, r := range rows {
		for _, v := range r {
			binary.Write(&b, binary.LittleEndian, math.Float64bits(v))
		}
	}
	return b.String()
}

func TestMatchSolve(t *testing.T) {
	dir := t.TempDir()
	scores := writeFile(t, dir, "s.csv", "id,m1,m2\na,1,5\nb,4,\nc,,\n")
	out := filepath.Join(dir, "out.csv")
	un := filepath.Join(dir, "un.csv")
	for _, mode := range []string{"optimal", "stable"} {
		var stdout, stderr bytes.Buffer
		err := runMatch(context.Background(), []string{"solve", "--scores", scores, "--capacity", "1", "--mode", mode, "--certify", "--out", out, "--unmatched", un}, &stdout, &stderr)
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, stderr.String())
		}
		got, _ := os.ReadFile(out)
		if want := "mentee,mentor,score\na,m2,5\nb,m1,4\n"; string(got) != want {
			t.Errorf("%s: got %q, want %q", mode, got, want)
		}
		if u, _ := os.ReadFile(un); !strings.Contains(string(u), "c,") {
			t.Errorf("%s: unmatched file %q", mode, u)
		}
		if !strings.Contains(stdout.String(), "matched 2 of 3, unmatched 1") {
			t.Errorf("%s: summary %q", mode, stdout.String())
		}
	}
	// Ids that a spreadsheet would read as formulas are written escaped
	// (issue 11): the match files are opened in spreadsheets too.
	evil := writeFile(t, dir, "evil.csv", "id,=m1,@m2\n=a,1,5\n+b,4,\n-c,,\n")
	if err := runMatch(context.Background(), []string{"solve", "--scores", evil, "--capacity", "1", "--out", out, "--unmatched", un}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); string(got) != "mentee,mentor,score\n'=a,'@m2,5\n'+b,'=m1,4\n" {
		t.Errorf("formula-looking ids: got %q", got)
	}
	if u, _ := os.ReadFile(un); !strings.HasPrefix(string(u), "mentee,reason\n'-c,") {
		t.Errorf("formula-looking ids, unmatched: %q", u)
	}
	// A .npy file, with capacity from a CSV.
	p := writeFile(t, dir, "s.npy", npy([][]float64{{1, 2}, {3, math.NaN()}, {0, 1}}))
	c := writeFile(t, dir, "cap.csv", "mentor,capacity\n0,1\n1,2\n")
	var stdout bytes.Buffer
	if err := runMatch(context.Background(), []string{"solve", "--scores", p, "--capacity", c, "--certify", "--out", out}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); string(got) != "mentee,mentor,score\n0,1,2\n1,0,3\n2,1,1\n" {
		t.Errorf("npy: got %q", got)
	}
}

func TestMatchSolveBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.csv", "id,m1,m2\na,1,5\nb,4,2\n")
	for name, tc := range map[string]struct {
		scores, capacity, want string
	}{
		"short row":        {"id,m1,m2\na,1\n", "1", "row 2"},
		"infinity":         {"id,m1,m2\na,1,inf\n", "1", "row 2, column 3"},
		"not a number":     {"id,m1,m2\na,1,x\n", "1", "row 2, column 3"},
		"duplicate mentee": {"id,m1\na,1\na,2\n", "1", "row 3, column 1"},
		"duplicate mentor": {"id,m1,m1\na,1,2\n", "1", "row 1, column 3"},
		"negative cap":     {"", "-1", "negative"},
		"unknown mentor":   {"", "mentor,capacity\nm9,1\n", "row 2"},
		"negative in file": {"", "mentor,capacity\nm1,-2\nm2,1\n", "row 2, column 2"},
		"missing mentor":   {"", "mentor,capacity\nm1,1\n", "m2"},
		"truncated npy":    {"\x93NUMPY\x01\x00\x50\x00{'descr'", "1", "truncated"},
		"foreign npy":      {"PK\x03\x04 not numpy at all", "1", "not a .npy"},
	} {
		t.Run(name, func(t *testing.T) {
			s := good
			if tc.scores != "" {
				ext := ".csv"
				if strings.Contains(name, "npy") {
					ext = ".npy"
				}
				s = writeFile(t, dir, "s"+ext, tc.scores)
			}
			capacity := tc.capacity
			if strings.Contains(capacity, ",") {
				capacity = writeFile(t, dir, "cap.csv", capacity)
			}
			out := filepath.Join(dir, "out.csv")
			var buf bytes.Buffer
			err := runMatch(context.Background(), []string{"solve", "--scores", s, "--capacity", capacity, "--out", out}, &buf, &buf)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("output file left behind")
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

func TestMatchRun(t *testing.T) {
	dir := t.TempDir()
	head := "email,name,title,department,location,time_zone,manager_email,languages,skills,interests,years_experience"
	mentees := writeFile(t, dir, "mentees.csv", head+",wants,q_goal\n"+
		"ann@x.org,Ann,Dev,Eng,Paris,UTC+1,boss@x.org,en;fr,Go:beginner,chess;hiking,2,Go:advanced,promotion\n"+
		"bob@x.org,Bob,Dev,Eng,Berlin,+01:00,,de,SQL:novice,chess,1,SQL,leadership\n"+
		"cy@x.org,Cy,Ops,Ops,Tokyo,UTC+9,,ja,,,3,,promotion\n")
	mentors := writeFile(t, dir, "mentors.csv", head+",capacity,q_goal\n"+
		"boss@x.org,Boss,Lead,Eng,Paris,UTC+1,,en,Go:expert,chess,15,1,promotion\n"+
		"eve@x.org,Eve,Staff,Sales,London,UTC,,en;de,Go:advanced;SQL:expert,chess;hiking,12,2,promotion;leadership\n")
	forbid := writeFile(t, dir, "forbid.csv", "mentee,mentor\nbob@x.org,boss@x.org\n")
	out := filepath.Join(dir, "m.csv")
	un := filepath.Join(dir, "u.csv")
	var stdout bytes.Buffer
	err := runMatch(context.Background(), []string{"run", "--mentees", mentees, "--mentors", mentors, "--forbid", forbid, "--out", out, "--unmatched", un, "--certify"}, &stdout, &stdout)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	s := string(got)
	if !strings.HasPrefix(s, "mentee,mentor,score,reasons\n") || !strings.Contains(s, "ann@x.org,eve@x.org") || !strings.Contains(s, "bob@x.org,eve@x.org") {
		t.Errorf("matches:\n%s\nsummary:\n%s", s, stdout.String())
	}
	u, _ := os.ReadFile(un)
	if !strings.Contains(string(u), "cy@x.org") || !strings.Contains(string(u), "no shared language") {
		t.Errorf("unmatched:\n%s", u)
	}
	t.Logf("%s\n%s\n%s", s, u, stdout.String())
}

// Command genpeople writes generated mentee and mentor profiles (the ones
// the profile benchmarks use, gen.People) as the people CSV files that
// `tandem match run` reads, for timing the real command end to end.
//
//	go run ./match/cmd/genpeople -n 10000 -m 2000 -cap 5 -out /tmp/p
//	tandem match run --mentees /tmp/p_mentees.csv --mentors /tmp/p_mentors.csv --mode stable --out /tmp/matches.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

func main() {
	n := flag.Int("n", 10000, "mentees")
	m := flag.Int("m", 2000, "mentors")
	c := flag.Int("cap", 5, "capacity per mentor")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "people", "output prefix: writes PREFIX_mentees.csv and PREFIX_mentors.csv")
	flag.Parse()
	mentees, mentors := gen.People(*n, *m, *c, *seed)
	if err := write(*out+"_mentees.csv", mentees, false); err != nil {
		log.Fatal(err)
	}
	if err := write(*out+"_mentors.csv", mentors, true); err != nil {
		log.Fatal(err)
	}
}

func write(path string, ps []match.Profile, mentors bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	head := []string{"email", "department", "languages", "interests", "time_zone", "skills", "wants", "years_experience", "manager_email", "q_goal"}
	if mentors {
		head = append(head, "capacity")
	}
	w.Write(head)
	for _, p := range ps {
		rec := []string{
			p.Email, p.Department, strings.Join(p.Languages, ";"), strings.Join(p.Interests, ";"),
			tz(p), skills(p.Skills), skills(p.Wants), years(p.Years), p.ManagerEmail,
			strings.Join(p.Answers["q_goal"], ";"),
		}
		if mentors {
			rec = append(rec, strconv.Itoa(p.Capacity))
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func tz(p match.Profile) string {
	if !p.HasTZ {
		return ""
	}
	o, sign := p.TZOffset, "+"
	if o < 0 {
		o, sign = -o, "-"
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, o/60, o%60)
}

func years(y float64) string {
	if y < 0 {
		return ""
	}
	return strconv.FormatFloat(y, 'g', -1, 64)
}

func skills(ss []match.Skill) string {
	var parts []string
	for _, s := range ss {
		if s.Level > 0 {
			parts = append(parts, s.Name+":"+match.LevelNames[s.Level])
		} else {
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ";")
}

package tandemtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// SeedCohort creates, with bulk inserts, a matching program of mentees
// and mentors (capacity 4 or 5) with 8 questions (7 criteria), every
// application approved, and a manager chain over a tenth of the people; it returns the
// program's id. The benchmarks of the matching (app) and of the preview
// page (web) share it.
func SeedCohort(tb testing.TB, a *app.App, admin context.Context, mentees, mentors int) int64 {
	tb.Helper()
	ctx := context.Background()
	orgID := tandem.ActorFrom(admin).Org.ID
	var skills []int64
	for k := range 20 {
		s, err := a.CreateSkill(admin, fmt.Sprintf("Skill %02d", k))
		if err != nil {
			tb.Fatal(err)
		}
		skills = append(skills, s.ID)
	}
	p, err := a.CreateProgram(admin, tandem.Program{Name: "Big cohort"}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	opts := func(n int) []string {
		var o []string
		for k := range n {
			o = append(o, fmt.Sprintf("Option %d", k))
		}
		return o
	}
	qs := []tandem.Question{
		{Type: tandem.QuestionLanguages, Label: "Languages", Rule: tandem.RuleMustShare, Weight: 1},
		{Type: tandem.QuestionSingle, Label: "Track", Options: opts(6), Rule: tandem.RuleSame, Weight: 3},
		{Type: tandem.QuestionSingle, Label: "Business unit", Options: opts(8), Rule: tandem.RuleDifferent, Weight: 1},
		{Type: tandem.QuestionMultiple, Label: "Topics", Options: opts(12), Rule: tandem.RuleOverlap, Weight: 2},
		{Type: tandem.QuestionSkills, Label: "Skills", Rule: tandem.RuleMentorAbove, Weight: 3},
		{Type: tandem.QuestionTimeZone, Label: "Time zone", Rule: tandem.RuleWithinHours, Hours: 3, Weight: 1},
		{Type: tandem.QuestionScale, Label: "Seniority", Rule: tandem.RuleMentorAbove, Weight: 2},
		{Type: tandem.QuestionText, Label: "Goals"},
	}
	for k := range qs {
		q, err := a.AddQuestion(admin, p.ID, qs[k])
		if err != nil {
			tb.Fatal(err)
		}
		qs[k] = *q
	}
	rng := rand.New(rand.NewPCG(1, 2))
	langs := []string{"English", "French", "Spanish", "German", "Hindi"}
	zones := []string{"Europe/Paris", "Europe/London", "America/New_York", "Asia/Kolkata", "America/Los_Angeles", "Asia/Tokyo"}
	depts := []string{"Sales", "Engineering", "Finance", "Support", "Marketing"}
	n := mentees + mentors
	err = a.DB.Write(ctx, func(tx *sqldb.Tx) error {
		now := tx.Now()
		batch := func(table, cols string, ncol int, rows [][]any) error {
			for start := 0; start < len(rows); start += 500 {
				end := min(len(rows), start+500)
				var args []any
				for _, r := range rows[start:end] {
					args = append(args, r...)
				}
				ph := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncol), ", ") + ")"
				q := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(ph+", ", end-start), ", ")
				if _, err := tx.Exec(ctx, q, args...); err != nil {
					return err
				}
			}
			return nil
		}
		var people [][]any
		for k := range n {
			people = append(people, []any{orgID, fmt.Sprintf("p%05d@big.test", k), fmt.Sprintf("Person %05d", k), tandem.RoleMember, now, now,
				depts[rng.IntN(len(depts))], "", zones[rng.IntN(len(zones))], langs[rng.IntN(2)]})
		}
		if err := batch("people", "org_id, email, name, role, created_at, updated_at, department, location, time_zone, languages", 10, people); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM people WHERE org_id = ? AND email LIKE 'p%@big.test' ORDER BY email`, orgID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		var apps [][]any
		for k, id := range ids {
			role, capacity := tandem.AsMentee, 0
			if k >= mentees {
				role, capacity = tandem.AsMentor, 4+rng.IntN(2)
			}
			apps = append(apps, []any{orgID, p.ID, id, role, capacity, tandem.AppSubmitted, now, now})
		}
		if err := batch("program_applications", "org_id, program_id, person_id, role, capacity, status, created_at, updated_at", 8, apps); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id FROM program_applications WHERE program_id = ? ORDER BY id`, p.ID)
		if err != nil {
			return err
		}
		var appIDs []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			appIDs = append(appIDs, id)
		}
		rows.Close()
		var answers [][]any
		for k, appID := range appIDs {
			mentor := k >= mentees
			nl := 1 + rng.IntN(2)
			if mentor {
				nl = 2 + rng.IntN(2)
			}
			ls := rng.Perm(len(langs))[:nl]
			var chosen []string
			for _, l := range ls {
				chosen = append(chosen, langs[l])
			}
			var topics []string
			for _, t := range rng.Perm(12)[:1+rng.IntN(4)] {
				topics = append(topics, fmt.Sprintf("Option %d", t))
			}
			var sk []tandem.AnswerSkill
			for _, s := range rng.Perm(len(skills))[:1+rng.IntN(3)] {
				sk = append(sk, tandem.AnswerSkill{SkillID: skills[s], Name: fmt.Sprintf("Skill %02d", s), Level: tandem.Level(1 + rng.IntN(5))})
			}
			vals := []tandem.Answer{{Choices: chosen}, {Choices: []string{fmt.Sprintf("Option %d", rng.IntN(6))}},
				{Choices: []string{fmt.Sprintf("Option %d", rng.IntN(8))}}, {Choices: topics}, {Skills: sk},
				{Text: zones[rng.IntN(len(zones))]}, {Scale: 1 + rng.IntN(5)}, {Text: "Grow as a leader"}}
			for qi, v := range vals {
				js, _ := json.Marshal(v)
				answers = append(answers, []any{appID, qs[qi].ID, orgID, string(js)})
			}
		}
		return batch("program_answers", "application_id, question_id, org_id, value", 4, answers)
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.MoveProgram(admin, p.ID, tandem.ProgramEnrolling); err != nil {
		tb.Fatal(err)
	}
	// Approve every application in one statement, then a manager chain:
	// every tenth mentee reports to a mentor.
	err = a.DB.Write(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE program_applications SET status = ? WHERE program_id = ?`, tandem.AppApproved, p.ID)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	apps, err := a.Applications(admin, p.ID, sqldb.ApplicationFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	var ms, ts []int64
	for _, ap := range apps {
		if ap.Role == tandem.AsMentor {
			ms = append(ms, ap.Person.ID)
		} else {
			ts = append(ts, ap.Person.ID)
		}
	}
	for k := 0; k < len(ts); k += 10 {
		if err := a.DB.SetManager(ctx, orgID, ts[k], ms[k%len(ms)]); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := a.MoveProgram(admin, p.ID, tandem.ProgramMatching); err != nil {
		tb.Fatal(err)
	}
	return p.ID
}

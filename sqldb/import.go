package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
)

type knownPerson struct {
	id        int64
	managerID int64
}

// ImportPeople upserts people by email in one transaction: all or nothing.
// It checks what needs the database — managers that exist neither in the
// file nor in the organization, reporting cycles across the file and the
// stored hierarchy, retired skills — and adds every problem to rep; with
// any problem (including those already in rep) it writes nothing and
// returns rep.Err(). Columns absent from the file keep their stored values.
// Skills not yet in the catalogue are added to it. progress, if not nil, is
// called as rows are written.
func (db *DB) ImportPeople(ctx context.Context, orgID int64, rows []tandem.PersonRow, present map[string]bool, rep *tandem.ImportReport, progress func(done, total int)) error {
	return db.ImportPeopleWith(ctx, orgID, rows, present, rep, ImportOptions{}, progress)
}

// ImportOptions are what an import may do beyond upserting the file.
type ImportOptions struct {
	// DeactivateMissing deactivates every active person of the
	// organization who is not in the file, guests aside (external coaches
	// are not in an HR file), in the import's transaction, each as
	// Deactivate does. The file must not leave out By, nor every active
	// administrator.
	DeactivateMissing bool
	// By is the administrator importing, 0 for the operator's CLI.
	By int64
	// DryRun checks and applies the import, fills the report, and rolls
	// everything back.
	DryRun bool
	// Confirmed, with DeactivateMissing, holds the ids of the people a
	// preview showed would be deactivated: the import goes ahead only if
	// it deactivates exactly those, so no one is deactivated without
	// having been shown. Nil does not check (the CLI's explicit flag).
	Confirmed []int64
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// ImportPeopleWith is ImportPeople with options: rep.Deactivated lists who
// was (or, in a dry run, would be) deactivated.
func (db *DB) ImportPeopleWith(ctx context.Context, orgID int64, rows []tandem.PersonRow, present map[string]bool, rep *tandem.ImportReport, opts ImportOptions, progress func(done, total int)) error {
	rep.DryRun = opts.DryRun
	err := db.Write(ctx, func(tx *Tx) error {
		if present["manager_email"] {
			if err := lockHierarchy(ctx, tx, orgID); err != nil {
				return err
			}
		}
		known, emailOf, err := loadKnownPeople(ctx, tx, orgID)
		if err != nil {
			return err
		}
		checkManagers(rows, present, known, emailOf, rep)
		skillIDs, err := resolveSkills(ctx, tx, orgID, rows, known, rep)
		if err != nil {
			return err
		}
		if !rep.OK() {
			return rep.Err()
		}
		for _, name := range rep.NewSkills {
			s := &tandem.Skill{OrgID: orgID, Name: name}
			if err := createSkill(ctx, tx, s); err != nil {
				return err
			}
			skillIDs[tandem.SkillKey(name)] = s.ID
		}
		if err := writePeople(ctx, tx, orgID, rows, present, known, skillIDs, rep, progress); err != nil {
			return err
		}
		if opts.DeactivateMissing {
			if err := deactivateMissing(ctx, tx, orgID, rows, opts.By, rep); err != nil {
				return err
			}
			if opts.Confirmed != nil && !sameIDs(opts.Confirmed, rep.Deactivated) {
				return tandem.Errorf(tandem.ECONFLICT, "Who would be deactivated has changed since the preview; nothing was imported. Check the new list and confirm again.")
			}
		}
		if present["manager_email"] {
			// A manager party who left gives way to the new manager the
			// file gives their learner.
			if _, err := handOverFromLeavers(ctx, tx, orgID); err != nil {
				return err
			}
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	if err != nil {
		rep.Created, rep.Updated = 0, 0
		rep.Deactivated, rep.EndedEngagements = nil, 0
	}
	return err
}

// deactivateMissing deactivates the active people, guests aside, whose
// email is not in the file. It refuses, before changing anything, a file
// that leaves out the administrator importing or every active
// administrator.
func deactivateMissing(ctx context.Context, tx *Tx, orgID int64, rows []tandem.PersonRow, by int64, rep *tandem.ImportReport) error {
	inFile := make(map[string]bool, len(rows))
	for i := range rows {
		inFile[rows[i].Email] = true
	}
	type active struct {
		ref   tandem.PersonRef
		admin bool
	}
	all, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, a *active) error {
		var role string
		if err := rows.Scan(&a.ref.ID, &a.ref.Name, &a.ref.Email, &a.ref.Title, &role); err != nil {
			return err
		}
		a.admin = role == tandem.RoleAdmin
		return nil
	}, `SELECT id, name, email, title, CASE WHEN account_id IS NULL THEN '' ELSE role END FROM people
		WHERE org_id = ? AND deactivated_at IS NULL AND NOT guest ORDER BY name, id`, orgID)
	if err != nil {
		return err
	}
	var missing []tandem.PersonRef
	adminsLeft := 0
	for _, a := range all {
		if inFile[a.ref.Email] {
			if a.admin {
				adminsLeft++
			}
			continue
		}
		if a.ref.ID == by {
			return tandem.Errorf(tandem.EINVALID, "The file leaves you out (%s): an import cannot deactivate the administrator doing it. Add yourself to the file.", a.ref.Email)
		}
		missing = append(missing, a.ref)
	}
	if adminsLeft == 0 && len(missing) > 0 {
		for _, a := range all {
			if !inFile[a.ref.Email] && a.admin {
				return tandem.Errorf(tandem.EINVALID, "The file leaves out every administrator (%s among them): an organization needs at least one. Add an administrator to the file.", a.ref.Email)
			}
		}
	}
	for _, p := range missing {
		d, err := deactivate(ctx, tx, orgID, p.ID, by, "Not in the people file imported.")
		if err != nil {
			return err
		}
		p.Left = true
		rep.Deactivated = append(rep.Deactivated, p)
		rep.EndedEngagements += len(d.Ended)
	}
	return nil
}

func loadKnownPeople(ctx context.Context, tx *Tx, orgID int64) (map[string]knownPerson, map[int64]string, error) {
	rs, err := tx.Query(ctx, `SELECT id, email, COALESCE(manager_id, 0) FROM people WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	known := map[string]knownPerson{}
	emailOf := map[int64]string{}
	for rs.Next() {
		var k knownPerson
		var email string
		if err := rs.Scan(&k.id, &email, &k.managerID); err != nil {
			return nil, nil, err
		}
		known[email] = k
		emailOf[k.id] = email
	}
	return known, emailOf, rs.Err()
}

// checkManagers reports unknown managers and every reporting cycle the
// file would make, naming the people in it.
func checkManagers(rows []tandem.PersonRow, present map[string]bool, known map[string]knownPerson, emailOf map[int64]string, rep *tandem.ImportReport) {
	inFile := make(map[string]int, len(rows))
	for i, r := range rows {
		inFile[r.Email] = i
	}
	managerOf := func(email string) string {
		if i, ok := inFile[email]; ok && present["manager_email"] {
			return rows[i].ManagerEmail
		}
		if k, ok := known[email]; ok && k.managerID != 0 {
			return emailOf[k.managerID]
		}
		return ""
	}
	if !present["manager_email"] {
		return // the stored hierarchy is unchanged, and it has no cycle
	}
	for _, r := range rows {
		if r.ManagerEmail == "" || r.ManagerEmail == r.Email {
			continue
		}
		if _, ok := inFile[r.ManagerEmail]; !ok {
			if _, ok := known[r.ManagerEmail]; !ok {
				rep.Add(r.Line, "manager_email", r.ManagerEmail, "No one with this email is in the organization or in this file.")
			}
		}
	}
	// Walk up from each row; a walk that meets itself is a cycle. Each
	// person is finished once, so the whole check is linear.
	const (
		walking = 1
		done    = 2
	)
	state := map[string]int{}
	for _, r := range rows {
		var path []string
		at := map[string]int{}
		for e := r.Email; e != "" && state[e] != done; e = managerOf(e) {
			if state[e] == walking {
				cyc := tandem.Cycle(path[at[e]:])
				first := rows[inFile[cyc[0]]].Line
				for _, m := range cyc {
					if i, ok := inFile[m]; ok && rows[i].Line < first {
						first = rows[i].Line
					}
				}
				rep.Add(first, "manager_email", "", "These people would report to one another: "+cyc.String()+".")
				break
			}
			state[e] = walking
			at[e] = len(path)
			path = append(path, e)
		}
		for _, e := range path {
			state[e] = done
		}
	}
}

// resolveSkills maps the file's skill names to catalogue ids, lists the
// names that are new in rep.NewSkills, and reports retired skills that a
// person does not already have.
func resolveSkills(ctx context.Context, tx *Tx, orgID int64, rows []tandem.PersonRow, known map[string]knownPerson, rep *tandem.ImportReport) (map[string]int64, error) {
	rs, err := tx.Query(ctx, `SELECT id, name_key, retired_at IS NOT NULL FROM skills WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	retired := map[int64]bool{}
	for rs.Next() {
		var id int64
		var key string
		var ret bool
		if err := rs.Scan(&id, &key, &ret); err != nil {
			rs.Close()
			return nil, err
		}
		ids[key] = id
		retired[id] = ret
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	has := map[[2]int64]bool{} // (person, retired skill) pairs already stored
	if len(retired) > 0 {
		rs, err := tx.Query(ctx, `SELECT ps.person_id, ps.skill_id FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
			WHERE ps.org_id = ? AND s.retired_at IS NOT NULL`, orgID)
		if err != nil {
			return nil, err
		}
		for rs.Next() {
			var p, s int64
			if err := rs.Scan(&p, &s); err != nil {
				rs.Close()
				return nil, err
			}
			has[[2]int64{p, s}] = true
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, err
		}
	}
	newSeen := map[string]bool{}
	for _, r := range rows {
		for _, s := range r.Skills {
			k := tandem.SkillKey(s.Name)
			id, ok := ids[k]
			switch {
			case !ok && !newSeen[k]:
				newSeen[k] = true
				rep.NewSkills = append(rep.NewSkills, s.Name)
			case ok && retired[id] && !has[[2]int64{known[r.Email].id, id}]:
				rep.Add(r.Line, "skills", s.Name, fmt.Sprintf("%s is retired in the skill catalogue and cannot be added.", s.Name))
			}
		}
	}
	return ids, nil
}

// writePeople upserts the rows, managers before the people who report to
// them so every manager_id refers to a row that exists, then replaces the
// skills of the people in the file.
func writePeople(ctx context.Context, tx *Tx, orgID int64, rows []tandem.PersonRow, present map[string]bool, known map[string]knownPerson,
	skillIDs map[string]int64, rep *tandem.ImportReport, progress func(done, total int)) error {
	idOf := make(map[string]int64, len(known)+len(rows))
	for e, k := range known {
		idOf[e] = k.id
	}
	// Columns written: always email and name, the rest only when the file has them.
	type col struct {
		column
		value func(r *tandem.PersonRow) any
	}
	cols := []col{
		{column{"org_id", "bigint"}, func(*tandem.PersonRow) any { return orgID }},
		{column{"email", "text"}, func(r *tandem.PersonRow) any { return r.Email }},
		{column{"role", "text"}, func(*tandem.PersonRow) any { return tandem.RoleMember }},
		{column{"created_at", "timestamptz"}, func(*tandem.PersonRow) any { return tx.now }},
		{column{"updated_at", "timestamptz"}, func(*tandem.PersonRow) any { return tx.now }},
		{column{"name", "text"}, func(r *tandem.PersonRow) any { return r.Name }},
	}
	optional := []col{
		{column{"title", "text"}, func(r *tandem.PersonRow) any { return r.Title }},
		{column{"department", "text"}, func(r *tandem.PersonRow) any { return r.Department }},
		{column{"location", "text"}, func(r *tandem.PersonRow) any { return r.Location }},
		{column{"time_zone", "text"}, func(r *tandem.PersonRow) any { return r.TimeZone }},
		{column{"languages", "text"}, func(r *tandem.PersonRow) any { return tandem.JoinList(r.Languages) }},
		{column{"interests", "text"}, func(r *tandem.PersonRow) any { return tandem.JoinList(r.Interests) }},
		{column{"bio", "text"}, func(r *tandem.PersonRow) any { return r.Bio }},
		{column{"years_experience", "integer"}, func(r *tandem.PersonRow) any { return r.YearsExperience }},
		{column{"mentor_capacity", "integer"}, func(r *tandem.PersonRow) any { return r.MentorCapacity }},
	}
	for _, c := range optional {
		if present[c.name] {
			cols = append(cols, c)
		}
	}
	if present["manager_email"] {
		cols = append(cols, col{column{"manager_id", "bigint"}, func(r *tandem.PersonRow) any {
			if r.ManagerEmail == "" {
				return nil
			}
			return idOf[r.ManagerEmail]
		}})
	}
	// On conflict, update what the file has: never org_id, email, role or
	// created_at.
	var set []string
	plain := make([]column, len(cols))
	for j, c := range cols {
		plain[j] = c.column
		switch c.name {
		case "org_id", "email", "role", "created_at":
		default:
			set = append(set, c.name+" = excluded."+c.name)
		}
	}
	per := tx.db.bulkRows(len(cols))

	order := managersFirst(rows, present)
	written := 0
	for start := 0; start < len(order); {
		// A batch never mixes levels, so managers are written (and have
		// ids) before the batch that needs them.
		end := start
		for end < len(order) && end-start < per && order[end].level == order[start].level {
			end++
		}
		batch := order[start:end]
		q, args := tx.db.insertMany("people", plain, len(batch), func(i, j int) any { return cols[j].value(&rows[batch[i].index]) })
		rs, err := tx.Query(ctx, q+` ON CONFLICT (org_id, email) DO UPDATE SET `+strings.Join(set, ", ")+` RETURNING id, email`, args...)
		if err != nil {
			return fmt.Errorf("upsert people: %w", err)
		}
		for rs.Next() {
			var id int64
			var email string
			if err := rs.Scan(&id, &email); err != nil {
				rs.Close()
				return err
			}
			idOf[email] = id
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return fmt.Errorf("upsert people: %w", err)
		}
		start = end
		written += len(batch)
		if progress != nil {
			progress(written, len(rows)*2)
		}
	}
	for _, r := range rows {
		if _, ok := known[r.Email]; ok {
			rep.Updated++
		} else {
			rep.Created++
		}
	}
	if present["manager_email"] {
		if err := updateClosure(ctx, tx, orgID, rows, known, idOf); err != nil {
			return err
		}
	}
	if !present["skills"] {
		if progress != nil {
			progress(len(rows)*2, len(rows)*2)
		}
		return nil
	}
	return writeSkills(ctx, tx, orgID, rows, known, idOf, skillIDs, func(done int) {
		if progress != nil {
			progress(len(rows)+done, len(rows)*2)
		}
	})
}

type ordered struct{ index, level int }

// managersFirst orders rows by their depth below the people who are not
// in the file, so a manager in the file comes before their reports.
func managersFirst(rows []tandem.PersonRow, present map[string]bool) []ordered {
	inFile := make(map[string]int, len(rows))
	for i, r := range rows {
		inFile[r.Email] = i
	}
	level := make([]int, len(rows))
	for i := range level {
		level[i] = -1
	}
	var depth func(i int) int
	depth = func(i int) int {
		if level[i] >= 0 {
			return level[i]
		}
		level[i] = 0 // cycles were refused before; this guards the recursion anyway
		if m, ok := inFile[rows[i].ManagerEmail]; ok && present["manager_email"] && rows[i].ManagerEmail != "" {
			level[i] = depth(m) + 1
		}
		return level[i]
	}
	out := make([]ordered, len(rows))
	maxLevel := 0
	for i := range rows {
		out[i] = ordered{i, depth(i)}
		maxLevel = max(maxLevel, out[i].level)
	}
	// A counting sort keeps file order within a level.
	byLevel := make([][]ordered, maxLevel+1)
	for _, o := range out {
		byLevel[o.level] = append(byLevel[o.level], o)
	}
	out = out[:0]
	for _, l := range byLevel {
		out = append(out, l...)
	}
	return out
}

// writeSkills replaces the skills of the people in the file. Only people
// stored before the import can have skills to clear, and the inserts are
// most of an import's time (three foreign keys checked per row on
// PostgreSQL), so progress counts the people whose skills are written.
func writeSkills(ctx context.Context, tx *Tx, orgID int64, rows []tandem.PersonRow, known map[string]knownPerson,
	idOf map[string]int64, skillIDs map[string]int64, progress func(done int)) error {
	const batch = 900 // people per DELETE, skill rows per INSERT
	var stored []any
	for _, r := range rows {
		if k, ok := known[r.Email]; ok {
			stored = append(stored, k.id)
		}
	}
	for start := 0; start < len(stored); start += batch {
		end := min(start+batch, len(stored))
		args := append([]any{orgID}, stored[start:end]...)
		if _, err := tx.Exec(ctx, `DELETE FROM person_skills WHERE org_id = ? AND person_id IN (`+placeholders(end-start)+`)`, args...); err != nil {
			return fmt.Errorf("clear skills: %w", err)
		}
	}
	type skillRow struct {
		person, skill int64
		level         int
		coaches       bool
	}
	skillCols := []column{{"org_id", "bigint"}, {"person_id", "bigint"}, {"skill_id", "bigint"}, {"level", "integer"}, {"coaches", "boolean"}}
	per := tx.db.bulkRows(len(skillCols))
	var pending []skillRow
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		q, args := tx.db.insertMany("person_skills", skillCols, len(pending), func(i, j int) any {
			r := pending[i]
			return [...]any{orgID, r.person, r.skill, r.level, r.coaches}[j]
		})
		pending = pending[:0]
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("insert skills: %w", err)
		}
		return nil
	}
	for i, r := range rows {
		for _, s := range r.Skills {
			pending = append(pending, skillRow{idOf[r.Email], skillIDs[tandem.SkillKey(s.Name)], int(s.Level), s.Coaches})
			if len(pending) >= per {
				if err := flush(); err != nil {
					return err
				}
				progress(i)
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	progress(len(rows))
	return nil
}

// ExportPeople calls fn for every person of the organization, by email,
// with their skills and their manager's email.
func (db *DB) ExportPeople(ctx context.Context, orgID int64, fn func(p *tandem.Person, managerEmail string) error) error {
	return db.Read(ctx, func(tx *Tx) error {
		skills := map[int64][]tandem.PersonSkill{}
		rs, err := tx.Query(ctx, `SELECT ps.person_id, s.id, s.name, ps.level, ps.coaches, s.retired_at IS NOT NULL
			FROM person_skills ps JOIN skills s ON s.id = ps.skill_id WHERE ps.org_id = ? ORDER BY ps.person_id, ps.level DESC, s.name_key`, orgID)
		if err != nil {
			return err
		}
		for rs.Next() {
			var pid int64
			var s tandem.PersonSkill
			if err := rs.Scan(&pid, &s.SkillID, &s.Name, &s.Level, &s.Coaches, &s.Retired); err != nil {
				rs.Close()
				return err
			}
			skills[pid] = append(skills[pid], s)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		prs, err := tx.Query(ctx, `SELECT `+personColumns+`, COALESCE(m.email, '') FROM people p LEFT JOIN people m ON m.id = p.manager_id
			WHERE p.org_id = ? ORDER BY p.email`, orgID)
		if err != nil {
			return err
		}
		defer prs.Close()
		for prs.Next() {
			var p tandem.Person
			var mgr string
			if err := scanPerson(prs, &p, &mgr); err != nil {
				return err
			}
			p.Skills = skills[p.ID]
			if err := fn(&p, mgr); err != nil {
				return err
			}
		}
		return prs.Err()
	})
}

// closureMoves is the most reporting-line changes an import applies to the
// closure one subtree move at a time; past it the whole closure is rebuilt
// (about 3 s at 100,000 people), which is then the cheaper way.
var closureMoves = 500

// updateClosure brings the closure in line with the managers the import
// wrote. The people whose manager changed, or who are new under a manager,
// are moved one by one when they are few (a 10-row file into a large
// organization no longer rebuilds it all); the whole closure is rebuilt
// when they are many, or when a move would pass through a cycle that only
// the one-by-one order makes (two people swapping places in the file).
func updateClosure(ctx context.Context, tx *Tx, orgID int64, rows []tandem.PersonRow, known map[string]knownPerson, idOf map[string]int64) error {
	type move struct{ person, manager int64 }
	var moves []move
	for _, r := range rows {
		var mgr int64
		if r.ManagerEmail != "" {
			mgr = idOf[r.ManagerEmail]
		}
		old, existed := known[r.Email]
		if existed && old.managerID == mgr || !existed && mgr == 0 {
			continue
		}
		moves = append(moves, move{idOf[r.Email], mgr})
		if len(moves) > closureMoves {
			return rebuildClosure(ctx, tx, orgID)
		}
	}
	for _, mv := range moves {
		if mv.manager != 0 {
			below, err := inChain(ctx, tx.q(), orgID, mv.person, mv.manager)
			if err != nil {
				return err
			}
			if below {
				return rebuildClosure(ctx, tx, orgID)
			}
		}
		if err := moveSubtree(ctx, tx, orgID, mv.person, mv.manager); err != nil {
			return err
		}
	}
	return nil
}

// sameIDs reports whether ids are exactly the people of refs, in any order.
func sameIDs(ids []int64, refs []tandem.PersonRef) bool {
	if len(ids) != len(refs) {
		return false
	}
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for _, r := range refs {
		if !want[r.ID] {
			return false
		}
		delete(want, r.ID)
	}
	return len(want) == 0
}

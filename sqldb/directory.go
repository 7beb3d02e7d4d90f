package sqldb

import (
	"context"
	"strings"

	"github.com/tandemhq/tandem"
)

// PeopleFilter selects people in the directory. Zero fields do not filter.
type PeopleFilter struct {
	// Query matches name, email, title, department or a skill's name,
	// case-insensitively, anywhere in the text.
	Query        string
	Department   string
	Location     string
	SkillID      int64
	OpenToCoach  bool
	OpenToMentor bool
	Limit        int
	Offset       int
}

// peopleWhere is the condition on people p (and its arguments) that a
// directory filter makes: the search, the bulk invitation's "everyone
// matching".
func peopleWhere(orgID int64, f PeopleFilter) (string, []any) {
	where := []string{"p.org_id = ?"}
	args := []any{orgID}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + likeEscape(strings.ToLower(q)) + "%"
		where = append(where, `(LOWER(p.name) LIKE ? ESCAPE '\' OR LOWER(p.email) LIKE ? ESCAPE '\' OR LOWER(p.title) LIKE ? ESCAPE '\'
			OR LOWER(p.department) LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM person_skills ps JOIN skills s ON s.id = ps.skill_id WHERE ps.person_id = p.id AND s.name_key LIKE ? ESCAPE '\'))`)
		args = append(args, like, like, like, like, like)
	}
	if f.Department != "" {
		where = append(where, "p.department = ?")
		args = append(args, f.Department)
	}
	if f.Location != "" {
		where = append(where, "p.location = ?")
		args = append(args, f.Location)
	}
	if f.SkillID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = p.id AND ps.skill_id = ?)")
		args = append(args, f.SkillID)
	}
	if f.OpenToCoach {
		where = append(where, "EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = p.id AND ps.coaches)")
	}
	if f.OpenToMentor {
		where = append(where, "p.mentor_capacity > 0")
	}
	return strings.Join(where, " AND "), args
}

// SearchPeople returns one page of the directory, by name, the total
// number of matches, and the people's skills.
func (db *DB) SearchPeople(ctx context.Context, orgID int64, f PeopleFilter) ([]tandem.Person, int, error) {
	cond, args := peopleWhere(orgID, f)
	var total int
	if err := db.q().QueryRowContext(ctx, `SELECT COUNT(*) FROM people p WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	people, err := queryPeople(ctx, db.q(), `SELECT `+personColumns+` FROM people p WHERE `+cond+` ORDER BY p.name, p.id LIMIT ? OFFSET ?`,
		append(args, f.Limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(people))
	for i := range people {
		ids[i] = people[i].ID
	}
	skills, err := personSkills(ctx, db.q(), orgID, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range people {
		people[i].Skills = skills[people[i].ID]
	}
	return people, total, nil
}

// Facets are the values the directory can filter on.
type Facets struct {
	Departments []string
	Locations   []string
}

// DirectoryFacets lists the organization's departments and locations.
func (db *DB) DirectoryFacets(ctx context.Context, orgID int64) (Facets, error) {
	var f Facets
	for _, c := range []struct {
		col string
		dst *[]string
	}{{"department", &f.Departments}, {"location", &f.Locations}} {
		rows, err := db.q().QueryContext(ctx, `SELECT DISTINCT `+c.col+` FROM people WHERE org_id = ? AND `+c.col+` <> '' ORDER BY `+c.col, orgID)
		if err != nil {
			return f, err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return f, err
			}
			*c.dst = append(*c.dst, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, err
		}
	}
	return f, nil
}

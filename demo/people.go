// Package demo generates realistic organizations: the demo data that
// `tandem demo` loads, and the large generated files the benchmarks import.
// The output depends only on the seed.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tandemhq/tandem"
)

var firstNames = strings.Fields(`Ada Adebayo Aiko Alejandro Amara Anders Ananya Aroha Astrid Bilal Camille Carmen Chen Chidi Chloé
Dagny Dario Deepa Diego Dmitri Elif Emeka Emma Esperanza Farah Fatima Felix Freya Gabriel Grace Hana Hamid Hugo Ibrahim Ingrid Isabel
Jakub Jamal Javier Jia Joanna Jonas Kai Kalani Karin Kavya Kenji Khalid Lars Layla Leila Lena Li Liam Lucía Luca Maeve Malik Mariam
Mateo Maya Mei Mikael Mira Nadia Naledi Nia Nikolai Noah Nora Olu Omar Oskar Priya Rafael Rania Ravi Rosa Ruth Sade Samir Sana Santiago
Sara Sean Sipho Sofia Soren Tariq Thandiwe Tomás Uma Valentina Vikram Wei Yara Yusuf Zainab Zoë`)

var lastNames = strings.Fields(`Abara Achterberg Adeyemi Alvarez Andersson Bakker Banerjee Becker Bergström Castillo Chatterjee Chen
Costa Dahl Diallo Dubois Eriksen Fernández Fischer Fujita Garcia Gupta Haddad Hansen Hernández Hoang Ibrahim Ito Jansen Johansson
Kaur Kim Kowalski Kruger Larsen Lee Lindqvist Lopez Mahlangu Martin Mbeki Mehta Moreau Müller Nakamura Ndlovu Nguyen Novak Nowak
Okafor Okonkwo Olsen Ortiz Park Patel Pereira Petrov Popescu Quispe Rahman Ramos Reyes Rossi Sato Schmidt Silva Singh Sokolov
Suzuki Tanaka Torres Dijkstra Varga Wagner Wang Weber Wiśniewski Yamamoto Yilmaz Zhang Zhou`)

// Department is a part of the demo organization with its skills and titles.
type Department struct {
	Name   string
	Skills []string
	Titles []string // by seniority: top first
}

// Departments of the demo organization.
var Departments = []Department{
	{"Engineering", []string{"Go", "SQL", "System design", "Code review", "Incident response", "Testing"},
		[]string{"VP Engineering", "Director of Engineering", "Engineering Manager", "Staff Engineer", "Senior Engineer", "Engineer", "Associate Engineer"}},
	{"Product", []string{"Product discovery", "Roadmapping", "User research", "Data analysis"},
		[]string{"VP Product", "Director of Product", "Group Product Manager", "Senior Product Manager", "Product Manager", "Associate PM", "Product Analyst"}},
	{"Sales", []string{"Negotiation", "Account planning", "Public speaking", "Forecasting"},
		[]string{"VP Sales", "Regional Director", "Sales Manager", "Senior Account Executive", "Account Executive", "Sales Development Rep", "Sales Associate"}},
	{"People", []string{"Coaching conversations", "Hiring", "Conflict resolution", "Facilitation"},
		[]string{"Chief People Officer", "Director of People", "People Partner Lead", "Senior People Partner", "People Partner", "Recruiter", "People Coordinator"}},
	{"Finance", []string{"Financial modelling", "Budgeting", "Forecasting", "Data analysis"},
		[]string{"CFO", "Finance Director", "Finance Manager", "Senior Analyst", "Financial Analyst", "Accountant", "Finance Associate"}},
	{"Operations", []string{"Process improvement", "Project management", "Vendor management", "Facilitation"},
		[]string{"COO", "Director of Operations", "Operations Manager", "Senior Program Manager", "Program Manager", "Operations Analyst", "Operations Associate"}},
}

// Leadership skills anyone may have.
var leadershipSkills = []string{"Leadership", "Giving feedback", "Delegation", "Strategic thinking", "Stakeholder management", "Time management"}

var sites = []struct{ location, tz, lang string }{
	{"London", "Europe/London", "en"}, {"Berlin", "Europe/Berlin", "de"}, {"Paris", "Europe/Paris", "fr"},
	{"Lagos", "Africa/Lagos", "en"}, {"Nairobi", "Africa/Nairobi", "sw"}, {"São Paulo", "America/Sao_Paulo", "pt"},
	{"New York", "America/New_York", "en"}, {"Mexico City", "America/Mexico_City", "es"}, {"Bangalore", "Asia/Kolkata", "hi"},
	{"Singapore", "Asia/Singapore", "zh"}, {"Tokyo", "Asia/Tokyo", "ja"}, {"Sydney", "Australia/Sydney", "en"},
}

var interests = strings.Fields(`cycling chess jazz gardening climbing cooking photography running sailing volunteering reading
board-games hiking languages music theatre yoga football painting writing`)

// People generates n people in a hierarchy levels deep under one chief
// executive, with emails at domain. Every level is a few times larger than
// the one above, and the last takes the rest, as in real organizations.
// Departments split below the chief executive.
func People(n, levels int, domain string, seed uint64) []tandem.PersonRow {
	if n <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sizes := levelSizes(n, levels)
	rows := make([]tandem.PersonRow, 0, n)
	used := map[string]int{}
	var prev []int // indexes of the level above
	for lvl, size := range sizes {
		var cur []int
		for k := 0; k < size; k++ {
			var mgr *tandem.PersonRow
			if lvl > 0 {
				// Spread reports evenly over the level above, with some noise.
				m := prev[(k+rng.IntN(2))%len(prev)]
				mgr = &rows[m]
			}
			rows = append(rows, person(rng, used, domain, lvl, levels, mgr, len(rows)))
			cur = append(cur, len(rows)-1)
		}
		prev = cur
	}
	return rows
}

// levelSizes splits n people over the levels with a steady growth factor.
func levelSizes(n, levels int) []int {
	if levels < 1 {
		levels = 1
	}
	if levels > n {
		levels = n
	}
	sizes := make([]int, levels)
	sizes[0] = 1
	left := n - 1
	// Growth g so that 1 + g + g² + … + g^(levels-1) ≈ n.
	g := 1.0
	for sum := 1.0; sum < float64(n) && levels > 1; {
		g += 0.01
		sum, t := 1.0, 1.0
		for i := 1; i < levels; i++ {
			t *= g
			sum += t
		}
		if sum >= float64(n) {
			break
		}
	}
	t := 1.0
	for i := 1; i < levels; i++ {
		t *= g
		s := max(1, int(t))
		if i == levels-1 || s > left-(levels-1-i) {
			s = left - (levels - 1 - i)
		}
		sizes[i] = s
		left -= s
	}
	return sizes
}

func person(rng *rand.Rand, used map[string]int, domain string, lvl, levels int, mgr *tandem.PersonRow, i int) tandem.PersonRow {
	first := firstNames[rng.IntN(len(firstNames))]
	last := lastNames[rng.IntN(len(lastNames))]
	name := first + " " + last
	local := emailLocal(first) + "." + emailLocal(last)
	used[local]++
	if used[local] > 1 {
		local = fmt.Sprintf("%s%d", local, used[local])
	}
	r := tandem.PersonRow{Email: local + "@" + domain, Name: name}
	dept := Departments[i%len(Departments)]
	site := sites[rng.IntN(len(sites))]
	if mgr != nil {
		r.ManagerEmail = mgr.Email
		if lvl > 1 {
			for _, d := range Departments {
				if d.Name == mgr.Department {
					dept = d
				}
			}
		}
		if rng.IntN(3) > 0 { // most people sit with their manager
			for _, s := range sites {
				if s.location == mgr.Location {
					site = s
				}
			}
		}
	}
	r.Department = dept.Name
	if lvl == 0 {
		r.Department, r.Title = "Executive", "Chief Executive Officer"
	} else {
		r.Title = dept.Titles[min(len(dept.Titles)-1, (lvl-1)*len(dept.Titles)/max(1, levels-1))]
	}
	r.Location, r.TimeZone = site.location, site.tz
	r.Languages = []string{"en"}
	if site.lang != "en" {
		r.Languages = append(r.Languages, site.lang)
	}
	seniority := levels - lvl // higher up, more experienced
	r.YearsExperience = min(40, 1+seniority*3+rng.IntN(6))
	for _, k := range rng.Perm(len(dept.Skills))[:2] {
		lv := tandem.Level(min(5, max(1, seniority/2+rng.IntN(3))))
		r.Skills = append(r.Skills, tandem.PersonSkill{Name: dept.Skills[k], Level: lv})
	}
	ls := leadershipSkills[rng.IntN(len(leadershipSkills))]
	r.Skills = append(r.Skills, tandem.PersonSkill{Name: ls, Level: tandem.Level(min(5, max(1, seniority-2)))})
	for _, k := range rng.Perm(len(interests))[:1+rng.IntN(3)] {
		r.Interests = append(r.Interests, interests[k])
	}
	// About one in four experienced people mentor; some coach their best skill.
	if r.YearsExperience >= 8 && rng.IntN(4) == 0 {
		r.MentorCapacity = 1 + rng.IntN(3)
	}
	if r.Skills[0].Level >= tandem.Advanced && rng.IntN(3) == 0 {
		r.Skills[0].Coaches = true
	}
	return r
}

// emailLocal turns a name into the ASCII local part of an email address.
func emailLocal(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case strings.ContainsRune("áàâäãå", r):
			b.WriteByte('a')
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("íìîï", r):
			b.WriteByte('i')
		case strings.ContainsRune("óòôöõø", r):
			b.WriteByte('o')
		case strings.ContainsRune("úùûü", r):
			b.WriteByte('u')
		case r == 'ñ' || r == 'ń':
			b.WriteByte('n')
		case r == 'ś':
			b.WriteByte('s')
		case r == 'ç':
			b.WriteByte('c')
		}
	}
	return b.String()
}

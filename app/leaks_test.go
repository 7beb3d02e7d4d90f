package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestOpenCoachingConflictNamesOnlyWhatTheProposerMaySee: a second open
// coaching engagement for a learner and skill is refused whoever proposes
// it, but only someone who may see the first one is told which it is and
// with whom; anyone else gets the answer that names nothing.
func TestOpenCoachingConflictNamesOnlyWhatTheProposerMaySee(t *testing.T) {
	c := newCast(t)
	first := c.coaching(t, "lee", "lee", "coach", "Go")
	named := fmt.Sprintf("#%d", first.ID)
	for _, tc := range []struct {
		who, guide string
		sees       bool
	}{
		{"mentor", "mentor", false}, // the proposed new coach is no party to the first
		{"lee", "mentor", true},     // the learner is
		{"boss", "mentor", true},    // so is their manager
		{"prog", "mentor", true},    // a program admin sees every engagement's status
		{"admin", "mentor", true},
		{"coach", "coach", true}, // the first one's coach
	} {
		_, err := c.a.Propose(c.ctx[tc.who], tandem.Proposal{Kind: tandem.Coaching, LearnerID: c.id["lee"], GuideID: c.id[tc.guide],
			SkillID: c.skill["Go"], Setting: "Online", Agreement: agreement()}, "")
		if tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Fatalf("%s proposes a second Go coaching for Lee: %v, want a conflict", tc.who, err)
		}
		msg := tandem.ErrorMessage(err) + " " + tandem.ErrorFields(err)["skill"]
		names := strings.Contains(msg, named) || strings.Contains(msg, "Coach")
		if names != tc.sees {
			t.Errorf("%s is told about the first engagement: %v, want %v: %s", tc.who, names, tc.sees, msg)
		}
		if !tc.sees && !strings.HasPrefix(tandem.ErrorMessage(err), "There is already an open coaching engagement for this person and skill") {
			t.Errorf("%s gets %q, want the answer that names nothing", tc.who, tandem.ErrorMessage(err))
		}
	}
}

// TestGuestPersonLookupsAnswerNotFound: to a guest, a person of the
// organization other than themself answers exactly as an id that does not
// exist, for reading and for editing.
func TestGuestPersonLookupsAnswerNotFound(t *testing.T) {
	c := newCast(t)
	guest := c.guest(t)
	const missing = 1 << 40
	for _, id := range []int64{c.id["lee"], c.id["admin"], missing} {
		_, err := c.a.Person(guest, id)
		if tandem.ErrorCode(err) != tandem.ENOTFOUND || tandem.ErrorMessage(err) != "No such person." {
			t.Errorf("a guest reads person %d: %v, want not found", id, err)
		}
		err = c.a.UpdateProfile(guest, id, "Renamed", &tandem.Profile{TimeZone: "UTC"})
		if tandem.ErrorCode(err) != tandem.ENOTFOUND || tandem.ErrorMessage(err) != "No such person." {
			t.Errorf("a guest edits person %d: %v, want not found", id, err)
		}
	}
	if _, err := c.a.Person(guest, tandem.ActorFrom(guest).Person.ID); err != nil {
		t.Errorf("a guest reads themself: %v", err)
	}
}

// TestGuestSkillChoices: a guest coach is offered, and may put on their
// profile, only the skills they know of (their engagements', their
// profile's); any other skill of the catalogue answers as one that does
// not exist.
func TestGuestSkillChoices(t *testing.T) {
	c := newCast(t)
	guest := c.guest(t)
	gid := tandem.ActorFrom(guest).Person.ID
	if _, err := c.a.Propose(c.ctx["lee"], tandem.Proposal{Kind: tandem.Coaching, LearnerID: c.id["lee"], GuideID: gid,
		SkillID: c.skill["Go"], Setting: "Online", Agreement: agreement()}, ""); err != nil {
		t.Fatal(err)
	}
	skills, err := c.a.SkillChoices(guest)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sk := range skills {
		names = append(names, sk.Name)
	}
	if strings.Join(names, ",") != "Go" {
		t.Errorf("a guest coaching Go is offered %v, want [Go]", names)
	}
	if skills, err := c.a.SkillChoices(c.ctx["lee"]); err != nil || len(skills) != 2 {
		t.Errorf("a member is offered %d skills (%v), want the two that are not retired", len(skills), err)
	}
	profile := func(skill string) error {
		return c.a.UpdateProfile(guest, gid, "Gus Guest", &tandem.Profile{TimeZone: "UTC",
			Skills: []tandem.PersonSkill{{Name: skill, Level: tandem.Expert, Coaches: true}}})
	}
	if err := profile("Go"); err != nil {
		t.Errorf("a guest lists Go, which they coach: %v", err)
	}
	hidden, missing := profile("Facilitation"), profile("Underwater basket weaving")
	if tandem.ErrorCode(hidden) != tandem.EINVALID || tandem.ErrorMessage(hidden) != tandem.ErrorMessage(missing) ||
		strings.ReplaceAll(tandem.ErrorFields(hidden)["skills"], "Facilitation", "X") != strings.ReplaceAll(tandem.ErrorFields(missing)["skills"], "Underwater basket weaving", "X") {
		t.Errorf("a skill of the catalogue the guest does not know answers %v; one that does not exist %v", hidden, missing)
	}
}

// guest adds Gus, a guest coach, to the cast's organization and returns a
// context signed in as him.
func (c *cast) guest(t *testing.T) context.Context {
	t.Helper()
	orgID := tandem.ActorFrom(c.ctx["admin"]).Org.ID
	p, err := c.a.DB.AddMember(context.Background(), orgID, sqldb.NewMember{Email: "gus@practice.test", Name: "Gus Guest",
		Role: tandem.RoleMember, PasswordHash: "x", Guest: true})
	if err != nil {
		t.Fatal(err)
	}
	return tandemtest.MustActorContext(t, c.a.DB, p.AccountID, orgID)
}

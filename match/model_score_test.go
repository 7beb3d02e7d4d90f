package match_test

import (
	"math"
	"testing"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

// TestModelScoreIsRow: one pair's score is bit for bit its row's, forbidden
// pairs included.
func TestModelScoreIsRow(t *testing.T) {
	mentees, mentors := gen.People(300, 80, 5, 3)
	model, err := match.NewModel(mentees, mentors, match.DefaultWeights(), [][2]int{{0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	n, m := model.Dims()
	buf := make([]float32, m)
	forbidden := 0
	for i := range n {
		row := model.Row(i, buf)
		for j := range m {
			got, want := model.Score(i, j), row[j]
			if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
				t.Fatalf("Score(%d, %d) = %v, Row gives %v", i, j, got, want)
			}
			if want != want {
				forbidden++
			}
		}
	}
	if forbidden == 0 || match.IsForbidden(model.Score(0, 0)) == false {
		t.Errorf("no forbidden pair checked (%d), or the listed pair is allowed", forbidden)
	}
}

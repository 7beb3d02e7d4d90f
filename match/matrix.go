package match

import (
	"fmt"
	"math"
)

// Scores is a source of compatibility scores between mentees (rows) and
// mentors (columns). A NaN score marks a forbidden pair. Higher is better.
//
// The engine reads scores one row at a time, so a source may hold a dense
// matrix (Matrix) or compute rows on demand from profiles (Model) without
// ever materializing all of them. Implementations must be safe for
// concurrent calls to Row with distinct dst slices.
type Scores interface {
	// Dims returns the number of mentees and mentors.
	Dims() (mentees, mentors int)
	// Row returns the scores of mentee i against every mentor. It may fill
	// and return dst (which has length mentors) or return a slice it owns;
	// callers must not modify the result or keep it past the next call
	// with the same dst.
	Row(i int, dst []float32) []float32
}

// Matrix is a dense, row-major score matrix in float32: one row per mentee
// and one column per mentor. NaN marks a forbidden pair.
type Matrix struct {
	// N is the number of mentees (rows).
	N int
	// M is the number of mentors (columns).
	M int
	// Data holds N*M scores, row by row.
	Data []float32
}

// NewMatrix returns an n×m matrix of zeros.
func NewMatrix(n, m int) *Matrix {
	return &Matrix{N: n, M: m, Data: make([]float32, n*m)}
}

// Dims returns the number of mentees and mentors.
func (a *Matrix) Dims() (int, int) { return a.N, a.M }

// Row returns row i without copying.
func (a *Matrix) Row(i int, _ []float32) []float32 {
	return a.Data[i*a.M : (i+1)*a.M : (i+1)*a.M]
}

// At returns the score of mentee i with mentor j.
func (a *Matrix) At(i, j int) float32 { return a.Data[i*a.M+j] }

// Score is At: a matrix computes one pair as cheaply as any.
func (a *Matrix) Score(i, j int) float32 { return a.At(i, j) }

// PairScorer is a source that gives one pair's score for less than its
// row: a Model computes one pair instead of every mentor's.
type PairScorer interface {
	Score(i, j int) float32
}

// PairScore returns the score of mentee i with mentor j: from the source
// itself when it is a PairScorer, else from row i read into buf (length
// mentors).
func PairScore(src Scores, i, j int, buf []float32) float32 {
	if p, ok := src.(PairScorer); ok {
		return p.Score(i, j)
	}
	return src.Row(i, buf)[j]
}

// Set sets the score of mentee i with mentor j.
func (a *Matrix) Set(i, j int, v float32) { a.Data[i*a.M+j] = v }

// Forbidden is the score value of a forbidden pair.
var Forbidden = float32(math.NaN())

// IsForbidden reports whether a score marks a forbidden pair.
func IsForbidden(v float32) bool { return v != v }

// Validate checks that the matrix has the right length and holds no
// infinities. It returns an error naming the first bad cell (0-based).
func (a *Matrix) Validate() error {
	if a.N < 0 || a.M < 0 || len(a.Data) != a.N*a.M {
		return fmt.Errorf("match: matrix is %d×%d but holds %d values", a.N, a.M, len(a.Data))
	}
	for k, v := range a.Data {
		if math.IsInf(float64(v), 0) {
			return fmt.Errorf("match: score at row %d, column %d is infinite", k/a.M, k%a.M)
		}
	}
	return nil
}

// Materialize computes every row of src into a dense Matrix, in parallel
// with the given number of workers (zero: one per CPU).
func Materialize(src Scores, workers int) *Matrix {
	n, m := src.Dims()
	a := NewMatrix(n, m)
	parallelRows(n, defaultWorkers(workers), func(_, from, to int) {
		for i := from; i < to; i++ {
			row := a.Data[i*m : (i+1)*m]
			if r := src.Row(i, row); &r[0] != &row[0] {
				copy(row, r)
			}
		}
	})
	return a
}

package matchfile_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/match/matchfile"
)

// npyBytes encodes a float32 matrix as numpy.save would.
func npyBytes(n, m int, data []float32) []byte {
	var b bytes.Buffer
	h := "{'descr': '<f4', 'fortran_order': False, 'shape': (" + itoa(n) + ", " + itoa(m) + "), }"
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	for _, v := range data {
		binary.Write(&b, binary.LittleEndian, math.Float32bits(v))
	}
	return b.Bytes()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestReadNPY(t *testing.T) {
	nan := float32(math.NaN())
	a, err := matchfile.ReadNPY(bytes.NewReader(npyBytes(2, 3, []float32{1, 2, 3, 4, nan, 6})), "s.npy")
	if err != nil {
		t.Fatal(err)
	}
	if a.N != 2 || a.M != 3 || a.At(1, 2) != 6 || a.At(1, 1) == a.At(1, 1) {
		t.Errorf("got %+v", a)
	}
	for name, b := range map[string][]byte{
		"truncated data":  npyBytes(2, 3, []float32{1, 2, 3}),
		"infinity":        npyBytes(1, 1, []float32{float32(math.Inf(1))}),
		"foreign":         []byte("hello world, not numpy"),
		"truncated head":  []byte("\x93NUMPY\x01\x00\x76\x00{'descr': '<f4'"),
		"int array":       bytes.Replace(npyBytes(1, 1, []float32{1}), []byte("<f4"), []byte("<i4"), 1),
		"trailing":        append(npyBytes(1, 1, []float32{1}), 0),
		"fortran":         bytes.Replace(npyBytes(1, 1, []float32{1}), []byte("False"), []byte("True "), 1),
		"three dimension": bytes.Replace(npyBytes(1, 1, []float32{1}), []byte("(1, 1)"), []byte("(1,1,1)"), 1),
	} {
		if _, err := matchfile.ReadNPY(bytes.NewReader(b), "s.npy"); err == nil || !strings.Contains(err.Error(), "s.npy") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func FuzzReadNPY(f *testing.F) {
	f.Add(npyBytes(2, 2, []float32{1, 2, 3, 4}))
	f.Add(npyBytes(0, 0, nil))
	f.Add(npyBytes(1, 3, []float32{1, float32(math.NaN()), 2}))
	f.Add([]byte("\x93NUMPY\x02\x00\x10\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := matchfile.ReadNPY(bytes.NewReader(b), "f.npy")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.npy: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzReadScoresCSV(f *testing.F) {
	f.Add("id,a,b\nx,1,2\ny,,NaN\n")
	f.Add("id\n")
	f.Add("id,a\nx,1e40\n")
	f.Add("id,a,a\nx,1,2\n")
	f.Add("id,a\n\"x,1\n")
	f.Fuzz(func(t *testing.T, s string) {
		out, err := matchfile.ReadScoresCSV(strings.NewReader(s), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := out.Matrix.Validate(); err != nil {
			t.Fatal(err)
		}
		if out.Matrix.N != len(out.Mentees) || out.Matrix.M != len(out.Mentors) {
			t.Fatal("shape does not fit the ids")
		}
	})
}

func TestParseUTCOffset(t *testing.T) {
	for in, want := range map[string]int{"UTC": 0, "UTC+2": 120, "-05:30": -330, "+0530": 330, "GMT-3": -180} {
		if got, err := matchfile.ParseUTCOffset(in); err != nil || got != want {
			t.Errorf("%s: got %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"Mars/Olympus", "UTC+99", "+a"} {
		if _, err := matchfile.ParseUTCOffset(in); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

func TestReadPeopleErrors(t *testing.T) {
	for name, tc := range map[string]struct{ csv, want string }{
		"duplicate email": {"email,capacity\na@x,1\nA@x,1\n", "row 3, column 1"},
		"bad level":       {"email,capacity,skills\na@x,1,Go:guru\n", "row 2, column 3"},
		"negative cap":    {"email,capacity\na@x,-1\n", "row 2, column 2"},
		"no capacity":     {"email\na@x\n", "capacity"},
		"bad years":       {"email,capacity,years_experience\na@x,1,many\n", "row 2, column 3"},
	} {
		_, err := matchfile.ReadPeople(strings.NewReader(tc.csv), "p.csv", matchfile.PeopleOptions{Mentors: true})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "p.csv") {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
}

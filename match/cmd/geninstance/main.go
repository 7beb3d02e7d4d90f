// Command geninstance writes a generated score matrix as a .npy file
// (float32, C order) and a capacity CSV, for comparing the engine with
// other solvers such as scipy.
//
//	go run ./match/cmd/geninstance -family uniform -n 10000 -m 2000 -cap 5 -out /tmp/s
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"os"

	"github.com/tandemhq/tandem/match/internal/gen"
)

func main() {
	family := flag.String("family", "uniform", "instance family: uniform, popular, ties, slack")
	n := flag.Int("n", 10000, "mentees")
	m := flag.Int("m", 2000, "mentors")
	c := flag.Int("cap", 5, "capacity per mentor")
	seed := flag.Uint64("seed", 42, "random seed")
	out := flag.String("out", "instance", "output prefix: writes PREFIX.npy and PREFIX_cap.csv")
	flag.Parse()
	in, err := gen.New(*family, *n, *m, *c, *seed)
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(*out + ".npy")
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	h := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", in.N, in.M)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	w.WriteString("\x93NUMPY\x01\x00")
	binary.Write(w, binary.LittleEndian, uint16(len(h)))
	w.WriteString(h)
	var b [4]byte
	for _, v := range in.Scores {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		w.Write(b[:])
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	cf, err := os.Create(*out + "_cap.csv")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintln(cf, "mentor,capacity")
	for j, c := range in.Capacity {
		fmt.Fprintf(cf, "%d,%d\n", j, c)
	}
	if err := cf.Close(); err != nil {
		log.Fatal(err)
	}
}

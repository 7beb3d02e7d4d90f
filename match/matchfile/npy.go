// Package matchfile parses the files of the match command: NumPy .npy and
// CSV score matrices, capacity files, forbidden-pair files and people CSVs.
// It reads from an io.Reader and does no other I/O, so that every parser
// can be fuzzed. Errors name the file, and the row and column where there
// is one.
package matchfile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/match"
)

// MaxCells bounds the size of a matrix a file may declare, so that a
// corrupt header cannot make a reader allocate without limit.
const MaxCells = 1 << 32

var npyHeader = regexp.MustCompile(`^\{\s*'descr'\s*:\s*'([<>|=]?)(f4|f8)'\s*,\s*'fortran_order'\s*:\s*(True|False)\s*,\s*'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)\s*,?\s*\}\s*$`)

// ReadNPY reads a two-dimensional float32 or float64 array in C order, as
// numpy.save writes it, into a Matrix. NaN cells are forbidden pairs;
// infinities are an error. name is the file name used in errors.
func ReadNPY(r io.Reader, name string) (*match.Matrix, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var pre [10]byte
	if _, err := io.ReadFull(br, pre[:8]); err != nil {
		return nil, fmt.Errorf("%s: not a .npy file: truncated header", name)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("%s: not a .npy file: bad magic", name)
	}
	var hlen int
	switch pre[6] {
	case 1:
		if _, err := io.ReadFull(br, pre[8:10]); err != nil {
			return nil, fmt.Errorf("%s: truncated .npy header", name)
		}
		hlen = int(binary.LittleEndian.Uint16(pre[8:10]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("%s: truncated .npy header", name)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf("%s: unsupported .npy version %d", name, pre[6])
	}
	if hlen > 1<<20 {
		return nil, fmt.Errorf("%s: .npy header of %d bytes is too long", name, hlen)
	}
	h := make([]byte, hlen)
	if _, err := io.ReadFull(br, h); err != nil {
		return nil, fmt.Errorf("%s: truncated .npy header", name)
	}
	f := npyHeader.FindStringSubmatch(strings.TrimRight(string(h), " \n\x00"))
	if f == nil {
		return nil, fmt.Errorf("%s: .npy header %q: want a 2-d float32 or float64 array", name, strings.TrimSpace(string(h)))
	}
	if f[1] == ">" {
		return nil, fmt.Errorf("%s: big-endian .npy arrays are not supported", name)
	}
	if f[3] == "True" {
		return nil, fmt.Errorf("%s: Fortran-order .npy arrays are not supported; save with C order", name)
	}
	n, err1 := strconv.Atoi(f[4])
	m, err2 := strconv.Atoi(f[5])
	if err1 != nil || err2 != nil || n < 0 || m < 0 || (m > 0 && n > MaxCells/m) {
		return nil, fmt.Errorf("%s: .npy shape (%s, %s) is too large", name, f[4], f[5])
	}
	size := 4
	if f[2] == "f8" {
		size = 8
	}
	a := &match.Matrix{N: n, M: m}
	// Grow the matrix as rows arrive rather than trusting the header, so a
	// truncated file fails before it allocates what it claims.
	a.Data = make([]float32, 0, min(n*m, 1<<20))
	row := make([]byte, m*size)
	for i := range n {
		if _, err := io.ReadFull(br, row); err != nil {
			return nil, fmt.Errorf("%s: .npy data ends in row %d of %d", name, i, n)
		}
		for j := range m {
			var v float32
			if size == 4 {
				v = math.Float32frombits(binary.LittleEndian.Uint32(row[j*4:]))
			} else {
				d := math.Float64frombits(binary.LittleEndian.Uint64(row[j*8:]))
				if !math.IsInf(d, 0) && !math.IsNaN(d) && math.Abs(d) > math.MaxFloat32 {
					return nil, fmt.Errorf("%s: row %d, column %d: %g does not fit float32", name, i, j, d)
				}
				v = float32(d)
			}
			if math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("%s: row %d, column %d: infinite score", name, i, j)
			}
			if v != v {
				v = match.Forbidden // one NaN payload for all
			}
			a.Data = append(a.Data, v)
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the %d×%d array", name, n, m)
	}
	return a, nil
}

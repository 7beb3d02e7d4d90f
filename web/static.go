package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded static files under content-hashed URLs
// (/static/style.css?v=1a2b3c4d), so browsers may cache them for a year and
// still fetch a new version the moment it changes.
type staticFiles struct {
	fs     fs.FS
	hashes map[string]string
}

func loadStatic() (*staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	sf := &staticFiles{fs: sub, hashes: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		sf.hashes[p] = hex.EncodeToString(sum[:4])
		return nil
	})
	return sf, err
}

func (sf *staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + sf.hashes[name]
}

func (sf *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/static/")
	h, ok := sf.hashes[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(w, r, sf.fs, name)
}

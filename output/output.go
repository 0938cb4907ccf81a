// Package output writes rendered files into the output folder so that nothing
// is ever half-written: every file is first written in full to a temporary
// file beside its destination, synced, given its final mode, and only then
// renamed into place. When any file fails, no destination is touched.
package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// Write writes files under dir atomically and returns the paths written, in order.
func Write(dir string, files []openmetadata.File) ([]string, error) {
	type staged struct{ tmp, dst string }
	var done []staged
	cleanup := func() {
		for _, s := range done {
			os.Remove(s.tmp)
		}
	}
	for _, f := range files {
		rel := filepath.FromSlash(f.Path)
		if filepath.IsAbs(rel) || strings.HasPrefix(filepath.Clean(rel), "..") {
			cleanup()
			return nil, fmt.Errorf("write %s: path leaves the output folder", f.Path)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			cleanup()
			return nil, fmt.Errorf("create folder for %s: %w", dst, err)
		}
		tmp, err := writeTemp(dst, f)
		if err != nil {
			cleanup()
			return nil, err
		}
		done = append(done, staged{tmp, dst})
	}
	var paths []string
	for i, s := range done {
		if err := os.Rename(s.tmp, s.dst); err != nil {
			for _, rest := range done[i:] {
				os.Remove(rest.tmp)
			}
			return paths, fmt.Errorf("move %s into place: %w", s.dst, err)
		}
		paths = append(paths, s.dst)
	}
	return paths, nil
}

func writeTemp(dst string, f openmetadata.File) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", dst, err)
	}
	// CreateTemp makes the file 0600, so a secret is never readable by others, even briefly.
	_, werr := tmp.Write(f.Data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	merr := os.Chmod(tmp.Name(), f.Mode())
	if err := errors.Join(werr, serr, cerr, merr); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", dst, err)
	}
	return tmp.Name(), nil
}

package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ManifestFile is the name, in the output folder, of om-auth0's record of the
// files it wrote there. It holds paths and SHA-256 hashes, no secret.
const ManifestFile = ".om-auth0-manifest.json"

// manifestMode is the manifest's mode: it holds no secret, so, like every
// file without one, others may read it.
const manifestMode = 0o644

// maxManifest bounds how much of a manifest is read: a real one is a few
// hundred bytes, and a larger file is not om-auth0's.
const maxManifest = 1 << 20

const manifestAbout = "om-auth0's record of the files it wrote here (SHA-256 of each), " +
	"to notice your changes and never overwrite them; do not edit"

// manifest maps each file's slash-separated path in the output folder to the
// SHA-256 (hex) of what om-auth0 last wrote to it.
type manifest struct {
	About string            `json:"about"`
	Files map[string]string `json:"files"`
}

// readManifest reads dir's manifest. A missing, unreadable or malformed one
// is an empty record: every existing file is then treated as the operator's,
// which loses nothing.
func readManifest(dir string) *manifest {
	m := &manifest{}
	if data, err := readManifestFile(filepath.Join(dir, ManifestFile)); err != nil || json.Unmarshal(data, m) != nil {
		m = &manifest{}
	}
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	return m
}

// readManifestFile reads the manifest at p when it is a regular file of at
// most maxManifest bytes: never a FIFO (which would block) nor a device.
func readManifestFile(p string) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Size() > maxManifest {
		return nil, fmt.Errorf("%s is not om-auth0's record", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxManifest))
}

// save writes the manifest atomically, and not at all when the file already
// holds it (a re-run that changes nothing rewrites nothing).
func (m *manifest) save(dir string) error {
	m.About = manifestAbout
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("record the files written: %w", err)
	}
	data = append(data, '\n')
	dst := filepath.Join(dir, ManifestFile)
	if old, err := readManifestFile(dst); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("record the files written in %s: %w", dst, err)
	}
	tmp, err := os.CreateTemp(dir, "."+ManifestFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("record the files written in %s: %w", dst, err)
	}
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	merr := os.Chmod(tmp.Name(), manifestMode)
	if err := errors.Join(werr, serr, cerr, merr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("record the files written in %s: %w", dst, err)
	}
	if err := rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("record the files written in %s: %w", dst, err)
	}
	return nil
}

// Package output writes rendered files into the output folder so that nothing
// is ever half-written and nothing the operator changed is lost.
//
// Every file to write is first written in full to a temporary file beside its
// destination, synced and given its final mode; only when all of them are
// staged are they renamed into place. When any file fails to stage, no
// destination is touched.
//
// A small manifest in the output folder (ManifestFile) records the SHA-256 of
// what om-auth0 last wrote to each file. With it, Write decides per file:
//
//   - the file on disk already holds the new content: it is not rewritten
//     (its mode is only tightened when it is looser than it must be);
//   - the file is missing, or holds exactly what om-auth0 last wrote: the new
//     content replaces it;
//   - the file was changed since, or om-auth0 has no record of writing it: it
//     is kept, and the new content goes beside it as <file>.new, unless
//     Options.Force.
package output

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// NewSuffix ends the name of the file that holds the new content beside a kept one.
const NewSuffix = ".new"

// Status is what Write did with one file.
type Status string

// The statuses of a written file.
const (
	// Written: the new content is in place (the file was missing, or held
	// what om-auth0 last wrote, or Options.Force).
	Written Status = "written"
	// Unchanged: the file already held the new content and was not rewritten.
	Unchanged Status = "unchanged"
	// Kept: the file was changed outside om-auth0 and left as it is; the new
	// content is in FileResult.NewPath.
	Kept Status = "kept"
)

// FileResult is what Write did with one file.
type FileResult struct {
	// Path is the file: the output folder joined with the rendered path.
	Path string `json:"path"`
	// Status is empty when nothing was decided yet (a dry run).
	Status Status `json:"status,omitempty"`
	// Mode is the mode om-auth0 writes the file with, like "0600".
	Mode string `json:"mode"`
	// ModeFixed: the file on disk was readable or writable by more users than
	// Mode allows, and its mode was made Mode in place.
	ModeFixed bool `json:"mode_fixed,omitempty"`
	// NewPath is where the new content went when the file was kept.
	NewPath string `json:"new_path,omitempty"`
	// Reason says why the file was kept, or what --force overwrote.
	Reason string `json:"reason,omitempty"`
}

// Options tune Write.
type Options struct {
	// Force overwrites files that were changed outside om-auth0, instead of
	// keeping them and writing the new content beside them.
	Force bool
}

// Reasons a file was kept.
const (
	reasonChanged   = "changed since om-auth0 wrote it"
	reasonUnknown   = "om-auth0 has no record of writing it"
	reasonSymlink   = "it is a symbolic link, which om-auth0 does not write through"
	reasonOverwrote = "overwritten with --force"
)

// rename moves a staged file into place; tests replace it to fail midway.
var rename = os.Rename

// step is one file's decision, before anything on disk changes.
type step struct {
	res    FileResult
	key    string // the file's path in the manifest
	sum    string // SHA-256 of the new content
	target string // where the staged content goes; "" when nothing is written
	tmp    string // the staged content
	chmod  bool   // tighten the mode of the file on disk in place
	mode   fs.FileMode
	ours   bool // after the commit, the file holds om-auth0's content
}

// Planned lists the files Write would write under dir, without a status: what
// a dry run reports.
func Planned(dir string, files []openmetadata.File) []FileResult {
	out := make([]FileResult, len(files))
	for i, f := range files {
		out[i] = FileResult{Path: filepath.Join(dir, filepath.FromSlash(f.Path)), Mode: modeText(f.Mode())}
	}
	return out
}

// Write writes files under dir as the package documentation describes and
// returns what it did with each, in order, then records what it wrote in the
// manifest. On an error before anything was moved into place, no file is
// touched; on a later one, the results say what was done.
func Write(dir string, files []openmetadata.File, opts Options) ([]FileResult, error) {
	m := readManifest(dir)
	var steps []*step
	cleanup := func() {
		for _, s := range steps {
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
		}
	}
	for _, f := range files {
		s, err := decide(dir, f, m, opts.Force)
		if err == nil && s.target != "" {
			s.tmp, err = stage(s.target, f)
		}
		if err != nil {
			cleanup()
			return nil, err
		}
		steps = append(steps, s)
	}

	var results []FileResult
	var err error
	for i, s := range steps {
		if err = commit(s); err != nil {
			for _, rest := range steps[i+1:] {
				if rest.tmp != "" {
					os.Remove(rest.tmp)
				}
			}
			break
		}
		if s.ours {
			m.Files[s.key] = s.sum
		}
		results = append(results, s.res)
	}
	// The manifest is saved even after a failure, so that the files already
	// in place are known as om-auth0's on the next run.
	if merr := m.save(dir); merr != nil {
		err = errors.Join(err, merr)
	}
	return results, err
}

// decide is what Write will do with f, from the file on disk and the manifest.
func decide(dir string, f openmetadata.File, m *manifest, force bool) (*step, error) {
	key := path.Clean(f.Path)
	rel := filepath.FromSlash(key)
	if filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
		return nil, fmt.Errorf("write %s: path leaves the output folder", f.Path)
	}
	if key == ManifestFile {
		return nil, fmt.Errorf("write %s: the name is om-auth0's record of the files it wrote", f.Path)
	}
	dst := filepath.Join(dir, rel)
	sum := hashOf(f.Data)
	s := &step{key: key, sum: sum, mode: f.Mode(),
		res: FileResult{Path: dst, Mode: modeText(f.Mode())}}

	info, err := os.Lstat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.res.Status, s.target, s.ours = Written, dst, true
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", dst, err)
	}

	var onDisk, reason string
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		reason = reasonSymlink
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("write %s: it exists and is not a regular file: move it out of the way and run again", dst)
	default:
		if onDisk, err = hashFile(dst); err != nil {
			return nil, err
		}
		if onDisk == sum {
			s.res.Status, s.ours = Unchanged, true
			s.chmod = info.Mode().Perm()&^f.Mode() != 0
			s.res.ModeFixed = s.chmod
			return s, nil
		}
		recorded, known := m.Files[key]
		switch {
		case known && recorded == onDisk:
			s.res.Status, s.target, s.ours = Written, dst, true
			return s, nil
		case known:
			reason = reasonChanged
		default:
			reason = reasonUnknown
		}
	}

	if force {
		s.res.Status, s.target, s.ours = Written, dst, true
		s.res.Reason = reasonOverwrote + " (" + reason + ")"
		return s, nil
	}
	s.res.Status, s.res.Reason = Kept, reason
	s.target = dst + NewSuffix
	s.res.NewPath = s.target
	if info, err := os.Lstat(s.target); err == nil {
		switch {
		case info.Mode().IsRegular():
			// The .new of an earlier run that already holds this content is not rewritten.
			if h, err := hashFile(s.target); err == nil && h == sum && info.Mode().Perm() == f.Mode() {
				s.target = ""
			}
		case info.Mode()&fs.ModeSymlink == 0:
			return nil, fmt.Errorf("write %s: it exists and is not a regular file: move it out of the way and run again", s.target)
		}
	}
	// A kept file that will hold a secret (like the ingestion config the
	// operator pasted a token into) must not stay readable by others.
	if info.Mode()&fs.ModeSymlink == 0 && f.Secret && info.Mode().Perm()&^f.Mode() != 0 {
		s.chmod, s.res.ModeFixed = true, true
	}
	return s, nil
}

// stage writes f's content in full to a temporary file beside target.
func stage(target string, f openmetadata.File) (string, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return "", fmt.Errorf("create folder for %s: %w", target, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	// CreateTemp makes the file 0600, so a secret is never readable by others, even briefly.
	_, werr := tmp.Write(f.Data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	merr := os.Chmod(tmp.Name(), f.Mode())
	if err := errors.Join(werr, serr, cerr, merr); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	return tmp.Name(), nil
}

// commit moves s's staged content into place and fixes the mode it must fix.
func commit(s *step) error {
	dst := s.res.Path
	if s.chmod {
		if err := os.Chmod(dst, s.mode); err != nil {
			return fmt.Errorf("make %s mode %04o: %w", dst, s.mode, err)
		}
	}
	if s.tmp != "" {
		if err := rename(s.tmp, s.target); err != nil {
			os.Remove(s.tmp)
			return fmt.Errorf("move %s into place: %w", s.target, err)
		}
		s.tmp = ""
	}
	if s.ours {
		removeStaleNew(dst, s.sum)
	}
	return nil
}

// removeStaleNew removes dst's .new file from an earlier run when it holds
// exactly what dst now holds: it says nothing the file does not.
func removeStaleNew(dst, sum string) {
	stale := dst + NewSuffix
	if info, err := os.Lstat(stale); err != nil || !info.Mode().IsRegular() {
		return
	}
	if h, err := hashFile(stale); err == nil && h == sum {
		os.Remove(stale)
	}
}

func hashOf(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// hashFile is the SHA-256 of the file at p, read as a stream.
func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func modeText(m fs.FileMode) string { return fmt.Sprintf("%04o", m.Perm()) }

// relPath is p relative to out, slash-separated, or p when it is not under out.
func relPath(out, p string) string {
	if rel, err := filepath.Rel(out, p); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return p
}

// Paths are the results' paths, in order: the "files" of a --json result.
func Paths(results []FileResult) []string {
	paths := make([]string, len(results))
	for i, r := range results {
		paths[i] = r.Path
	}
	return paths
}

// Lines are results for a person: each file's path relative to out, then
// what was done with it, in a column; a kept file gets a second line naming
// om-auth0's version beside it.
func Lines(out string, results []FileResult) []string {
	width := 0
	for _, r := range results {
		width = max(width, len(relPath(out, r.Path)))
	}
	var lines []string
	for _, r := range results {
		p := relPath(out, r.Path)
		var what string
		switch r.Status {
		case Written:
			what = cmp.Or(r.Reason, "written")
		case Unchanged:
			what = "unchanged"
		case Kept:
			what = "kept: " + r.Reason
		default:
			lines = append(lines, p)
			continue
		}
		if r.ModeFixed {
			what += ", mode made " + r.Mode
		}
		lines = append(lines, fmt.Sprintf("%-*s  %s", width, p, what))
		if r.Status == Kept {
			lines = append(lines, fmt.Sprintf("%-*s  om-auth0's version: %s", width, "", relPath(out, r.NewPath)))
		}
	}
	return lines
}

// Summary counts results by status, like "3 written, 1 unchanged, 1 kept".
func Summary(results []FileResult) string {
	var parts []string
	for _, st := range []Status{Written, Unchanged, Kept} {
		n := 0
		for _, r := range results {
			if r.Status == st {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return "no file"
	}
	return strings.Join(parts, ", ")
}

// KeptAdvice tells the operator what to do about the kept files, or "" when
// none was kept. The exit status stays 0: keeping a file is not a failure.
func KeptAdvice(results []FileResult) string {
	n := 0
	for _, r := range results {
		if r.Status == Kept {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	what := "1 file that was changed outside om-auth0: your version stays,\nom-auth0's is beside it"
	if n > 1 {
		what = fmt.Sprintf("%d files that were changed outside om-auth0: your versions\nstay, om-auth0's are beside them", n)
	}
	return fmt.Sprintf("Kept %s as %s. Compare them (diff -u FILE FILE%s),\n"+
		"merge what you need and delete the %s, or move the %s over the file to take\n"+
		"om-auth0's version, or run again with --force to overwrite.",
		what, NewSuffix, NewSuffix, NewSuffix, NewSuffix)
}

package output

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/openmetadata"
)

const (
	envPath = "docker/openmetadata_auth0.env"
	ingPath = "ingestion/workflow-config.yaml"
)

// write calls Write and fails the test on an error.
func write(t *testing.T, dir string, opts Options, files ...openmetadata.File) []FileResult {
	t.Helper()
	res, err := Write(dir, files, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(files) {
		t.Fatalf("results = %+v, want one per file", res)
	}
	return res
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func perm(t *testing.T, p string) os.FileMode {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// leftovers are temporary files anywhere under dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			out = append(out, p)
		}
		return err
	})
	return out
}

func TestWriteModesAndContent(t *testing.T) {
	dir := t.TempDir()
	files := []openmetadata.File{
		{Path: envPath, Data: []byte("A=1\n"), Secret: true},
		{Path: "answers.yaml", Data: []byte("domain: x\n")},
	}
	res := write(t, dir, Options{}, files...)
	for i, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		want := FileResult{Path: p, Status: Written, Mode: modeText(f.Mode())}
		if res[i] != want {
			t.Errorf("result %d = %+v, want %+v", i, res[i], want)
		}
		if got := perm(t, p); got != f.Mode() {
			t.Errorf("%s mode %v, want %v", f.Path, got, f.Mode())
		}
		if got := read(t, p); got != string(f.Data) {
			t.Errorf("%s = %q", f.Path, got)
		}
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
	var m manifest
	if err := json.Unmarshal([]byte(read(t, filepath.Join(dir, ManifestFile))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Files[envPath] != hashOf([]byte("A=1\n")) || m.Files["answers.yaml"] != hashOf([]byte("domain: x\n")) || len(m.Files) != 2 {
		t.Errorf("manifest = %+v", m)
	}
}

// A re-run with the same content rewrites nothing: the files and the
// manifest keep their inode and modification time.
func TestRewriteUnchangedFile(t *testing.T) {
	dir := t.TempDir()
	files := []openmetadata.File{{Path: envPath, Data: []byte("A=1\n")}, {Path: ingPath, Data: []byte("jwt: x\n"), Secret: true}}
	write(t, dir, Options{}, files...)
	paths := []string{filepath.Join(dir, envPath), filepath.Join(dir, ingPath), filepath.Join(dir, ManifestFile)}
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	before := map[string]os.FileInfo{}
	for _, p := range paths {
		if err := os.Chtimes(p, past, past); err != nil {
			t.Fatal(err)
		}
		before[p], _ = os.Stat(p)
	}

	res := write(t, dir, Options{}, files...)
	for _, r := range res {
		if r.Status != Unchanged || r.ModeFixed {
			t.Errorf("%+v, want unchanged", r)
		}
	}
	for _, p := range paths {
		after, _ := os.Stat(p)
		if !after.ModTime().Equal(past) || !os.SameFile(before[p], after) {
			t.Errorf("%s was rewritten (mtime %v, was %v)", p, after.ModTime(), past)
		}
	}
}

// An identical file that is readable by more users than it should be gets
// its mode fixed in place, and only that.
func TestUnchangedFileModeFixed(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ingPath)
	os.MkdirAll(filepath.Dir(p), 0o755)
	// As an older om-auth0 left the ingestion config: 0644, and no manifest.
	if err := os.WriteFile(p, []byte("jwt: <placeholder>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(p)
	res := write(t, dir, Options{}, openmetadata.File{Path: ingPath, Data: []byte("jwt: <placeholder>\n"), Secret: true})
	if res[0].Status != Unchanged || !res[0].ModeFixed || res[0].Mode != "0600" {
		t.Errorf("result = %+v, want unchanged with its mode fixed", res[0])
	}
	after, _ := os.Stat(p)
	if perm(t, p) != 0o600 || !os.SameFile(before, after) {
		t.Errorf("mode %v, same file %v: want 0600, fixed in place", perm(t, p), os.SameFile(before, after))
	}
	if got := Lines(dir, res); len(got) != 1 || got[0] != ingPath+"  unchanged, mode made 0600" {
		t.Errorf("line = %q", got[0])
	}
}

// What happens to a file on disk that differs from the new content, by
// whether om-auth0 wrote it and whether --force is given.
func TestChangedFiles(t *testing.T) {
	const ours, edited, next = "A=1\n", "A=1\nMY_LINE=2\n", "A=2\n"
	tests := []struct {
		name string
		// prepare leaves the folder as the operator did before the run.
		prepare    func(t *testing.T, dir string)
		force      bool
		wantStatus Status
		wantFile   string // content of the file after the run
		wantNew    bool   // the .new file holds the new content
		wantReason string
	}{
		{name: "ours, untouched: replaced",
			prepare:    func(t *testing.T, dir string) {},
			wantStatus: Written, wantFile: next},
		{name: "operator appended a line: kept",
			prepare:    func(t *testing.T, dir string) { appendTo(t, filepath.Join(dir, envPath), "MY_LINE=2\n") },
			wantStatus: Kept, wantFile: edited, wantNew: true, wantReason: reasonChanged},
		{name: "operator appended a line, --force: overwritten",
			prepare:    func(t *testing.T, dir string) { appendTo(t, filepath.Join(dir, envPath), "MY_LINE=2\n") },
			force:      true,
			wantStatus: Written, wantFile: next, wantReason: reasonOverwrote + " (" + reasonChanged + ")"},
		{name: "deleted by the operator: written again",
			prepare:    func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, envPath)) },
			wantStatus: Written, wantFile: next},
		{name: "no manifest (an older om-auth0): kept",
			prepare:    func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ManifestFile)) },
			wantStatus: Kept, wantFile: ours, wantNew: true, wantReason: reasonUnknown},
		{name: "malformed manifest: kept",
			prepare: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, ManifestFile), []byte("{\"files\": [1, 2"), 0o600)
			},
			wantStatus: Kept, wantFile: ours, wantNew: true, wantReason: reasonUnknown},
		{name: "manifest is a folder: kept",
			prepare: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, ManifestFile))
				os.Mkdir(filepath.Join(dir, ManifestFile), 0o755)
				os.WriteFile(filepath.Join(dir, ManifestFile, "x"), nil, 0o600)
			},
			wantStatus: Kept, wantFile: ours, wantNew: true, wantReason: reasonUnknown},
		{name: "a symbolic link: kept",
			prepare: func(t *testing.T, dir string) {
				p := filepath.Join(dir, envPath)
				os.Rename(p, p+".real")
				if err := os.Symlink(p+".real", p); err != nil {
					t.Fatal(err)
				}
			},
			wantStatus: Kept, wantFile: ours, wantNew: true, wantReason: reasonSymlink},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte(ours)})
			tt.prepare(t, dir)
			res, err := Write(dir, []openmetadata.File{{Path: envPath, Data: []byte(next)}}, Options{Force: tt.force})
			if tt.name == "manifest is a folder: kept" {
				// The manifest cannot be saved: the error says so, the files are done.
				if err == nil || !strings.Contains(err.Error(), "record the files written") {
					t.Fatalf("err = %v, want the manifest's", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, envPath)
			r := res[0]
			if r.Status != tt.wantStatus || r.Reason != tt.wantReason || r.Path != p {
				t.Errorf("result = %+v, want status %q reason %q", r, tt.wantStatus, tt.wantReason)
			}
			if got := read(t, p); got != tt.wantFile {
				t.Errorf("file = %q, want %q", got, tt.wantFile)
			}
			_, statErr := os.Stat(p + NewSuffix)
			if tt.wantNew {
				if r.NewPath != p+NewSuffix || read(t, p+NewSuffix) != next {
					t.Errorf("new path %q holds %v, want %s with the new content", r.NewPath, statErr, p+NewSuffix)
				}
				if line := strings.Join(Lines(dir, res), "\n"); !strings.Contains(line, envPath) || !strings.Contains(line, envPath+NewSuffix) || !strings.Contains(line, tt.wantReason) {
					t.Errorf("line = %q, want both files and the reason", line)
				}
			} else if statErr == nil || r.NewPath != "" {
				t.Errorf("a .new file was written: %+v", r)
			}
			if l := leftovers(t, dir); len(l) != 0 {
				t.Errorf("temporary files left: %v", l)
			}
		})
	}
}

func appendTo(t *testing.T, p, line string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(line)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A kept file stays kept run after run until the operator acts; taking
// om-auth0's version (moving the .new over it) makes it om-auth0's again.
func TestKeptFileLifecycle(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, envPath)
	write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte("A=1\n")})
	appendTo(t, p, "MINE=1\n")

	newer := openmetadata.File{Path: envPath, Data: []byte("A=2\n")}
	for run := range 2 {
		if res := write(t, dir, Options{}, newer); res[0].Status != Kept {
			t.Fatalf("run %d: %+v, want kept", run, res[0])
		}
	}
	if got := read(t, p); got != "A=1\nMINE=1\n" {
		t.Fatalf("the operator's file = %q", got)
	}
	if err := os.Rename(p+NewSuffix, p); err != nil {
		t.Fatal(err)
	}
	if res := write(t, dir, Options{}, newer); res[0].Status != Unchanged {
		t.Fatalf("after taking the .new: %+v, want unchanged", res[0])
	}
	if res := write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte("A=3\n")}); res[0].Status != Written {
		t.Fatalf("the next change: %+v, want written", res[0])
	}
}

// --force over a kept file removes the .new of the earlier run, which then
// says nothing the file does not.
func TestForceRemovesStaleNew(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, envPath)
	write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte("A=1\n")})
	appendTo(t, p, "MINE=1\n")
	newer := openmetadata.File{Path: envPath, Data: []byte("A=2\n")}
	write(t, dir, Options{}, newer)
	if res := write(t, dir, Options{Force: true}, newer); res[0].Status != Written {
		t.Fatalf("%+v", res[0])
	}
	if _, err := os.Stat(p + NewSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale .new is still there: %v", err)
	}
}

// A file that will hold a secret is 0600 from its first write; a kept one the
// operator pasted a token into is made 0600 too, its content untouched.
func TestSecretModes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ingPath)
	res := write(t, dir, Options{}, openmetadata.File{Path: ingPath, Data: []byte("jwtToken: <placeholder>\n"), Secret: true})
	if perm(t, p) != 0o600 || res[0].Mode != "0600" {
		t.Fatalf("first write: mode %v, result %+v", perm(t, p), res[0])
	}

	// As an older om-auth0 left it: world-readable, with the pasted token.
	if err := os.WriteFile(p, []byte("jwtToken: eyJ.pasted.token\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644)
	res = write(t, dir, Options{}, openmetadata.File{Path: ingPath, Data: []byte("jwtToken: <placeholder>\nnew: 1\n"), Secret: true})
	if res[0].Status != Kept || !res[0].ModeFixed {
		t.Fatalf("result = %+v, want kept with its mode fixed", res[0])
	}
	if perm(t, p) != 0o600 || perm(t, p+NewSuffix) != 0o600 || read(t, p) != "jwtToken: eyJ.pasted.token\n" {
		t.Errorf("kept file mode %v holds %q; .new mode %v", perm(t, p), read(t, p), perm(t, p+NewSuffix))
	}
}

// A crash between staging and renaming: the files already moved are whole
// and new, the others whole and old, no temporary file is left, and the
// manifest records only what was moved.
func TestWriteFailsBetweenRenames(t *testing.T) {
	dir := t.TempDir()
	old := []openmetadata.File{{Path: envPath, Data: []byte("A=1\n")}, {Path: "answers.yaml", Data: []byte("old\n")}}
	write(t, dir, Options{}, old...)

	n := 0
	rename = func(from, to string) error {
		if n++; n == 2 {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EIO}
		}
		return os.Rename(from, to)
	}
	defer func() { rename = os.Rename }()
	res, err := Write(dir, []openmetadata.File{{Path: envPath, Data: []byte("A=2\n")}, {Path: "answers.yaml", Data: []byte("new\n")}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "move "+filepath.Join(dir, "answers.yaml")+" into place") {
		t.Fatalf("err = %v", err)
	}
	if len(res) != 1 || res[0].Status != Written {
		t.Fatalf("results = %+v, want the first file only", res)
	}
	if read(t, filepath.Join(dir, envPath)) != "A=2\n" || read(t, filepath.Join(dir, "answers.yaml")) != "old\n" {
		t.Errorf("files = %q, %q", read(t, filepath.Join(dir, envPath)), read(t, filepath.Join(dir, "answers.yaml")))
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
	rename = os.Rename
	// The next run knows both files as om-auth0's: nothing is kept.
	again := write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte("A=2\n")}, openmetadata.File{Path: "answers.yaml", Data: []byte("new\n")})
	if again[0].Status != Unchanged || again[1].Status != Written {
		t.Errorf("next run = %+v", again)
	}
}

func TestWriteFailureTouchesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "answers.yaml"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// "docker" exists as a file, so the folder for the second file cannot be made.
	if err := os.WriteFile(filepath.Join(dir, "docker"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(dir, []openmetadata.File{
		{Path: "answers.yaml", Data: []byte("new\n")},
		{Path: envPath, Data: []byte("A=1\n")},
	}, Options{Force: true})
	if err == nil {
		t.Fatal("Write succeeded, want an error")
	}
	if got := read(t, filepath.Join(dir, "answers.yaml")); got != "old\n" {
		t.Fatalf("answers.yaml = %q, want it untouched", got)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Fatalf("temporary files left: %v", l)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a manifest was written: %v", err)
	}
}

func TestWriteRejectsBadPaths(t *testing.T) {
	tests := []struct{ path, want string }{
		{"../x", "leaves the output folder"},
		{"/etc/x", "leaves the output folder"},
		{"a/../../x", "leaves the output folder"},
		{ManifestFile, "record of the files"},
		{"docker", "not a regular file"}, // a folder is in the way
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "docker", "x"), 0o755)
			_, err := Write(dir, []openmetadata.File{{Path: "answers.yaml", Data: []byte("a\n")}, {Path: tt.path}}, Options{Force: true})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "answers.yaml")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("answers.yaml was written before the bad path was refused")
			}
		})
	}
}

// Two writes into one folder (the wizard writes the deployment files, then
// the ingestion config) both end up in the manifest.
func TestManifestMergesWrites(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte("A=1\n")})
	write(t, dir, Options{}, openmetadata.File{Path: ingPath, Data: []byte("x\n"), Secret: true})
	m := readManifest(dir)
	if len(m.Files) != 2 || m.Files[envPath] == "" || m.Files[ingPath] == "" {
		t.Fatalf("manifest = %+v", m.Files)
	}
	appendTo(t, filepath.Join(dir, envPath), "MINE=1\n")
	if res := write(t, dir, Options{}, openmetadata.File{Path: envPath, Data: []byte("A=2\n")}); res[0].Status != Kept {
		t.Errorf("%+v, want kept", res[0])
	}
}

func TestReportText(t *testing.T) {
	dir := "/out"
	res := []FileResult{
		{Path: "/out/answers.yaml", Status: Written, Mode: "0644"},
		{Path: "/out/ingestion/workflow-config.yaml", Status: Unchanged, Mode: "0600"},
		{Path: "/out/docker/openmetadata_auth0.env", Status: Kept, Mode: "0644", NewPath: "/out/docker/openmetadata_auth0.env.new", Reason: reasonChanged},
		{Path: "/out/bare-metal/openmetadata-auth0.yaml", Status: Written, Mode: "0600", ModeFixed: true, Reason: reasonOverwrote + " (" + reasonUnknown + ")"},
	}
	wantLines := []string{
		"answers.yaml                        written",
		"ingestion/workflow-config.yaml      unchanged",
		"docker/openmetadata_auth0.env       kept: changed since om-auth0 wrote it",
		"                                    om-auth0's version: docker/openmetadata_auth0.env.new",
		"bare-metal/openmetadata-auth0.yaml  overwritten with --force (om-auth0 has no record of writing it), mode made 0600",
	}
	if got := Lines(dir, res); !slices.Equal(got, wantLines) {
		t.Errorf("lines =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
	}
	if got := Summary(res); got != "2 written, 1 unchanged, 1 kept" {
		t.Errorf("summary = %q", got)
	}
	if got := KeptAdvice(res[:2]); got != "" {
		t.Errorf("advice with nothing kept = %q", got)
	}
	advice := KeptAdvice(res)
	for _, want := range []string{"diff -u", "--force", ".new"} {
		if !strings.Contains(advice, want) {
			t.Errorf("advice lacks %q:\n%s", want, advice)
		}
	}
}

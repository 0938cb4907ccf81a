package output

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
)

func TestWriteModesAndContent(t *testing.T) {
	dir := t.TempDir()
	files := []openmetadata.File{
		{Path: "docker/openmetadata_auth0.env", Data: []byte("A=1\n"), Secret: true},
		{Path: "answers.yaml", Data: []byte("domain: x\n")},
	}
	paths, err := Write(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 {
		t.Fatalf("paths = %v", paths)
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != f.Mode() {
			t.Errorf("%s mode %v, want %v", f.Path, st.Mode().Perm(), f.Mode())
		}
		b, _ := os.ReadFile(p)
		if string(b) != string(f.Data) {
			t.Errorf("%s = %q", f.Path, b)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
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
		{Path: "docker/openmetadata_auth0.env", Data: []byte("A=1\n")},
	})
	if err == nil {
		t.Fatal("Write succeeded, want an error")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "answers.yaml"))
	if string(b) != "old\n" {
		t.Fatalf("answers.yaml = %q, want it untouched", b)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}

func TestWriteRejectsEscapingPaths(t *testing.T) {
	if _, err := Write(t.TempDir(), []openmetadata.File{{Path: "../x", Data: nil}}); err == nil {
		t.Fatal("want an error for ../x")
	}
}

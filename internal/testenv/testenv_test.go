package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB whose Skipf and Fatalf record the outcome and end
// the calling goroutine, as the real ones do.
type recorder struct {
	testing.TB
	outcome, msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.outcome, r.msg = "skip", fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.outcome, r.msg = "fatal", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f with a recorder on its own goroutine and returns what f
// returned (empty when it ended early) and the recorder.
func run(f func(testing.TB) string) (string, *recorder) {
	r := &recorder{}
	var got string
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = f(r)
	}()
	<-done
	return got, r
}

func mkdirs(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReferenceDir(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(base); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "shared", "reference")); err == nil && fi.IsDir() {
			t.Skipf("%s has a shared/reference of its own: the temporary layouts below would find it", d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	tests := []struct {
		name    string
		dirs    []string // made under base
		cwd     string   // under base; go.mod is written at repo
		require string   // RequireEnv's value
		want    string   // under base, when found
		outcome string   // "skip" or "fatal" when not found
	}{
		{"beside the repository", []string{"w/shared/reference", "w/repo/render"}, "w/repo/render", "", "w/shared/reference", ""},
		{"two folders up, as a worktree has it", []string{"w/shared/reference", "w/wt/repo/sandbox"}, "w/wt/repo/sandbox", "", "w/shared/reference", ""},
		{"at the repository root", []string{"w/repo"}, "w/repo", "", "", "skip"},
		{"absent", []string{"w/repo/render"}, "w/repo/render", "", "", "skip"},
		{"absent, required", []string{"w/repo/render"}, "w/repo/render", "1", "", "fatal"},
		{"inside the repository does not count", []string{"w/repo/shared/reference", "w/repo/render"}, "w/repo/render", "", "", "skip"},
		{"found, required", []string{"w/shared/reference", "w/repo/render"}, "w/repo/render", "1", "w/shared/reference", ""},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(base, fmt.Sprint(i))
			for j, d := range tc.dirs {
				tc.dirs[j] = filepath.Join(root, d)
			}
			mkdirs(t, tc.dirs...)
			repo := filepath.Join(root, tc.cwd[:strings.Index(tc.cwd, "repo")+len("repo")])
			if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(filepath.Join(root, tc.cwd))
			t.Setenv(RequireEnv, tc.require)

			got, r := run(ReferenceDir)
			if tc.want != "" {
				if want := filepath.Join(root, tc.want); got != want || r.outcome != "" {
					t.Fatalf("got %q (%s %s), want %q", got, r.outcome, r.msg, want)
				}
				return
			}
			if r.outcome != tc.outcome {
				t.Fatalf("outcome %q (%s), returned %q; want %q", r.outcome, r.msg, got, tc.outcome)
			}
			for _, part := range []string{"needs shared/reference", "above " + repo, RequireEnv} {
				if !strings.Contains(r.msg, part) {
					t.Errorf("message %q lacks %q", r.msg, part)
				}
			}
			if strings.Contains(r.msg, "\n") {
				t.Errorf("message %q is more than one line", r.msg)
			}
		})
	}
}

func TestReferenceDirOutsideAModule(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(RequireEnv, "")
	_, r := run(ReferenceDir)
	if r.outcome != "fatal" || !strings.Contains(r.msg, "no go.mod") {
		t.Fatalf("got %s %q, want a failure naming the missing go.mod", r.outcome, r.msg)
	}
}

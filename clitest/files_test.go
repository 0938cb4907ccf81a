package clitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
)

// setupArgs is a --no-input setup of every target, without the ingestion-bot
// JWT: the ingestion config gets the placeholder the operator replaces.
var setupArgs = []string{"setup", "--json", "--om-version", "1.6.4", "--admin", "alice", "--principal-domain", "example.com", "--out", "out"}

// A re-run with the same answers rewrites no file: each keeps its inode and
// modification time, and the result says "unchanged".
func TestRerunRewritesNoFile(t *testing.T) {
	tn := newTenant(t)
	dir := t.TempDir()
	if r := run(t, dir, tn.env(), "", setupArgs...); r.code != 0 {
		t.Fatalf("first run: %v", r)
	}
	out := filepath.Join(dir, "out")
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	before := map[string]os.FileInfo{}
	for rel := range snapshot(t, out) {
		p := filepath.Join(out, rel)
		if err := os.Chtimes(p, past, past); err != nil {
			t.Fatal(err)
		}
		before[rel], _ = os.Stat(p)
	}
	if _, ok := before[output.ManifestFile]; !ok || len(before) != 6 {
		t.Fatalf("files after the first run: %v", keys(snapshot(t, out)))
	}

	r := run(t, dir, tn.env(), "", setupArgs...)
	if r.code != 0 {
		t.Fatalf("second run: %v", r)
	}
	for rel, was := range before {
		now, err := os.Stat(filepath.Join(out, rel))
		if err != nil || !now.ModTime().Equal(past) || !os.SameFile(was, now) {
			t.Errorf("%s was rewritten (%v)", rel, err)
		}
	}
	res := parseResult(t, r.stdout)
	if len(res.FileResults) != 5 {
		t.Fatalf("result files = %+v", res.FileResults)
	}
	for _, f := range res.FileResults {
		if f.Status != output.Unchanged {
			t.Errorf("%+v, want unchanged", f)
		}
	}
	if !strings.Contains(r.stderr, "ok: files in out: 5 unchanged") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// What a re-run does with the files the operator changed, deleted, or that an
// older om-auth0 (which kept no record) wrote.
func TestRerunKeepsOperatorEdits(t *testing.T) {
	const envFile, ingFile = render.DockerEnvPath, render.IngestionPath
	const line = "MY_SETTING=kept\n"
	const token = "eyJhbGciOiJSUzI1NiJ9.pasted.signature"
	tests := []struct {
		name  string
		edit  func(t *testing.T, out string)
		force bool
		// want is each changed file's status after the re-run; every other file is unchanged.
		want map[string]output.Status
		// kept are the files that must still hold the operator's version.
		kept map[string]string
	}{
		{name: "a line appended to the Docker env file",
			edit: func(t *testing.T, out string) { appendFile(t, filepath.Join(out, envFile), line) },
			want: map[string]output.Status{envFile: output.Kept},
			kept: map[string]string{envFile: line}},
		{name: "the JWT pasted into the ingestion config",
			edit: func(t *testing.T, out string) {
				p := filepath.Join(out, ingFile)
				data, err := os.ReadFile(p)
				if err != nil || !strings.Contains(string(data), render.IngestionJWTPlaceholder) {
					t.Fatalf("ingestion config (%v):\n%s", err, data)
				}
				if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), render.IngestionJWTPlaceholder, token)), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]output.Status{ingFile: output.Kept},
			kept: map[string]string{ingFile: token}},
		{name: "--force overwrites the edit",
			edit:  func(t *testing.T, out string) { appendFile(t, filepath.Join(out, envFile), line) },
			force: true,
			want:  map[string]output.Status{envFile: output.Written}},
		{name: "a deleted file is written again",
			edit: func(t *testing.T, out string) {
				if err := os.Remove(filepath.Join(out, envFile)); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]output.Status{envFile: output.Written}},
		{name: "no record (an older om-auth0's folder): identical files unchanged, the edited one kept",
			edit: func(t *testing.T, out string) {
				os.Remove(filepath.Join(out, output.ManifestFile))
				appendFile(t, filepath.Join(out, envFile), line)
			},
			want: map[string]output.Status{envFile: output.Kept},
			kept: map[string]string{envFile: line}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tn := newTenant(t)
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			if r := run(t, dir, tn.env(), "", setupArgs...); r.code != 0 {
				t.Fatalf("first run: %v", r)
			}
			first := snapshot(t, out)
			if m := first[ingFile].mode; m != 0o600 {
				t.Errorf("the ingestion config with the placeholder is mode %04o, want 0600", m)
			}
			tt.edit(t, out)

			args := setupArgs
			if tt.force {
				args = append(append([]string{}, setupArgs...), "--force")
			}
			r := run(t, dir, tn.env(), "", args...)
			if r.code != 0 {
				t.Fatalf("kept files are not a failure: %v", r)
			}
			res := parseResult(t, r.stdout)
			after := snapshot(t, out)
			seen := 0
			for _, f := range res.FileResults {
				rel := filepath.ToSlash(strings.TrimPrefix(f.Path, "out"+string(filepath.Separator)))
				if _, ok := tt.want[rel]; ok {
					seen++
				}
				want := tt.want[rel]
				if want == "" {
					want = output.Unchanged
				}
				if f.Status != want {
					t.Errorf("%s: %+v, want %s", rel, f, want)
				}
				switch f.Status {
				case output.Kept:
					if !strings.Contains(after[rel].data, tt.kept[rel]) {
						t.Errorf("%s lost the operator's change:\n%s", rel, after[rel].data)
					}
					if after[rel+output.NewSuffix].data != first[rel].data || after[rel+output.NewSuffix].mode != first[rel].mode {
						t.Errorf("%s.new holds %q mode %04o, want om-auth0's version", rel, after[rel+output.NewSuffix].data, after[rel+output.NewSuffix].mode)
					}
					if f.NewPath != f.Path+output.NewSuffix || f.Reason == "" {
						t.Errorf("%+v: want the .new file and the reason", f)
					}
					// Both files, the reason and what to do, for a person (on stderr with --json).
					for _, want := range []string{rel, rel + output.NewSuffix, f.Reason, "diff -u", "--force"} {
						if !strings.Contains(r.stderr, want) {
							t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
						}
					}
				default:
					if after[rel] != first[rel] {
						t.Errorf("%s = %q mode %04o, want om-auth0's version", rel, after[rel].data, after[rel].mode)
					}
					if _, ok := after[rel+output.NewSuffix]; ok {
						t.Errorf("%s.new was written", rel)
					}
				}
			}
			if len(res.FileResults) != 5 || seen != len(tt.want) {
				t.Errorf("result files = %+v, want %v among them", res.FileResults, tt.want)
			}
			if after[ingFile].mode != 0o600 {
				t.Errorf("ingestion config mode %04o, want 0600", after[ingFile].mode)
			}
		})
	}
}

func appendFile(t *testing.T, p, text string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, werr := f.WriteString(text)
	if err := f.Close(); werr != nil || err != nil {
		t.Fatal(werr, err)
	}
}

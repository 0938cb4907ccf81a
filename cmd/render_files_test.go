package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
)

// render keeps a file the operator changed (exit 0, both files named) and
// overwrites it with --force.
func TestRenderKeepsEditsUnlessForce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"render", "--domain", "acme.us.auth0.com", "--ui-client-id", "ui-id", "--om-url", "https://om.example.com",
		"--admin", "alice", "--principal-domain", "example.com", "--target", "docker", "--out", out, "--json"}
	renderOnce := func(extra ...string) (renderResult, string) {
		t.Helper()
		ios, _, stdout, stderr := iostreams.Test()
		if code := Main(append(append([]string{}, args...), extra...), ios); code != ExitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		var res renderResult
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Fatalf("stdout: %v\n%s", err, stdout)
		}
		return res, stderr.String()
	}
	renderOnce()
	env := filepath.Join(out, render.DockerEnvPath)
	original, err := os.ReadFile(env)
	if err != nil {
		t.Fatal(err)
	}
	edited := string(original) + "MINE=1\n"
	if err := os.WriteFile(env, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}

	res, stderr := renderOnce()
	if f := res.FileResults[0]; f.Path != env || f.Status != output.Kept || f.NewPath != env+output.NewSuffix {
		t.Fatalf("result = %+v", res.FileResults)
	}
	if got, _ := os.ReadFile(env); string(got) != edited {
		t.Errorf("the edited file was not kept:\n%s", got)
	}
	if got, _ := os.ReadFile(env + output.NewSuffix); string(got) != string(original) {
		t.Errorf(".new holds:\n%s", got)
	}
	for _, want := range []string{render.DockerEnvPath + "  ", render.DockerEnvPath + output.NewSuffix, "--force"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	res, _ = renderOnce("--force")
	if f := res.FileResults[0]; f.Status != output.Written || !strings.Contains(f.Reason, "--force") {
		t.Fatalf("result = %+v", res.FileResults)
	}
	if got, _ := os.ReadFile(env); string(got) != string(original) {
		t.Errorf("--force did not overwrite:\n%s", got)
	}
	if _, err := os.Stat(env + output.NewSuffix); !os.IsNotExist(err) {
		t.Errorf("the .new that --force made stale is still there: %v", err)
	}
}

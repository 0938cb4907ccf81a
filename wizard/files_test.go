package wizard

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
)

// The wizard's files step keeps a file the operator changed (and the Done
// screen says what to do about it) unless Options.Force.
func TestFilesStepKeepsEditsUnlessForce(t *testing.T) {
	for _, force := range []bool{false, true} {
		t.Run(map[bool]string{false: "kept", true: "force"}[force], func(t *testing.T) {
			cfg := completeConfig(t)
			cfg.Choices = steps.Choices{OMURL: "https://om.acme.internal", Version: openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, ClientType: openmetadata.Public}
			cfg.Targets, cfg.Admins, cfg.PrincipalDomain = []openmetadata.Target{render.Docker}, []string{"alice"}, "acme.com"
			write := func(force bool) *flow {
				t.Helper()
				f := newFlow(Options{Config: cfg, Force: force})
				f.RenderFiles = fakeFiles(cfg)
				f.UI = &steps.App{ClientID: "uiClient9xYtQ2vQa", Name: "OpenMetadata", AppType: "spa"}
				res, err := f.Call(guide.StepDeployFiles)(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				res.Apply(f.State)
				return f
			}
			write(false)
			env := filepath.Join(cfg.Out, "docker", "openmetadata_auth0.env")
			f, err := os.OpenFile(env, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("MINE=1\n")
			f.Close()

			flow := write(force)
			if done := flow.doneText(plainStyles()); strings.Contains(done, "diff -u") == force {
				t.Errorf("Done screen (force %v):\n%s", force, done)
			}
			got := flow.Written[guide.StepDeployFiles]
			want := map[bool]output.Status{false: output.Kept, true: output.Written}[force]
			if len(got) != 1 || got[0].Status != want {
				t.Fatalf("written = %+v, want %s", got, want)
			}
			data, _ := os.ReadFile(env)
			if strings.Contains(string(data), "MINE=1") == force {
				t.Errorf("env file (force %v):\n%s", force, data)
			}
		})
	}
}

package wizard

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aymanbagabas/go-udiff"
	_ "github.com/charmbracelet/x/exp/golden" // defines the -update flag

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/steps"
)

// goldenDir is this package's testdata, fixed before a test changes directory.
var goldenDir = func() string {
	wd, _ := os.Getwd()
	return filepath.Join(wd, "testdata")
}()

// requireGolden compares got with testdata/<test name>.golden; -update rewrites it.
func requireGolden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, filepath.FromSlash(t.Name())+".golden")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("view differs from %s (run with -update after checking):\n%s", path,
			udiff.Unified("golden", "view", escape(string(want)), escape(got)))
	}
}

// escape shows escape sequences as text, one screen line per line.
func escape(s string) string {
	return strings.ReplaceAll(s, "\x1b", "\\e")
}

// TestGoldenViews snapshots every section's screens at 100×30 with the ASCII
// colour profile (go test ./wizard -run TestGoldenViews -update rewrites them).
func TestGoldenViews(t *testing.T) {
	snap := func(h *harness, name string, s guide.ID) {
		t.Helper()
		h.expectStep(s)
		t.Run(name, func(t *testing.T) { requireGolden(t, h.asciiView()) })
	}

	t.Chdir(t.TempDir()) // the output folder appears on screen: keep it relative
	cfg := completeConfig(t)
	cfg.Connect, cfg.Out = steps.ConnectRequest{}, "openmetadata-auth0"
	h := newHarness(t, cfg)
	h.typ("acme.us.auth0.com")
	snap(h, "connect_form", guide.StepConnectForm)
	h.keys("enter", "enter")
	h.typ("mgmtClientId")
	h.keys("enter")
	h.typ("mgmt-secret")
	snap(h, "connect_credentials", guide.StepConnectCreds)
	h.keys("enter")
	snap(h, "connected", guide.StepConnected)
	h.keys("enter")
	snap(h, "server_url", guide.StepOMURL)
	h.keys("enter")
	snap(h, "server_form", guide.StepServerForm)
	h.keys("enter", "enter", "down")
	h.keys("enter", "enter")
	snap(h, "app_picker", guide.StepPickApp)
	h.typ("rep")
	snap(h, "app_picker_filtered", guide.StepPickApp)
	h.keys("esc", "esc")
	h.keys("enter", "enter", "up", "enter", "enter")
	snap(h, "service_form", guide.StepServiceForm)
	h.keys("up", "enter")
	snap(h, "scopes", guide.StepScopes)
	h.keys("down", "down", "space")
	h.keys("enter")
	snap(h, "confirm_same_mode", guide.StepConfirm)
	cmd := h.m.enter(guide.StepApplyUI) // what confirming does; the call is not run yet, so the spinner shows
	snap(h, "creating", guide.StepApplyUI)
	h.run(cmd)
	snap(h, "app_ready", guide.StepReady)
	h.keys("enter")
	snap(h, "verified", guide.StepVerified)
	h.keys("enter")
	snap(h, "deployment_form", guide.StepDeployForm)
	h.keys("enter")
	h.typ("alice")
	h.keys("enter")
	h.typ("acme.com")
	h.keys("enter")
	snap(h, "deployment_preview", guide.StepDeployFiles)
	h.keys("tab", "w")
	snap(h, "deployment_written", guide.StepDeployFiles)
	h.keys("enter")
	snap(h, "ingestion_form", guide.StepIngestForm)
	h.keys("enter")
	snap(h, "ingestion_preview", guide.StepIngestFiles)
	h.keys("enter", "enter")
	snap(h, "done", guide.StepDone)
}

// TestGoldenErrorView snapshots the error view of a failed Auth0 call.
func TestGoldenErrorView(t *testing.T) {
	t.Chdir(t.TempDir())
	h := newHarness(t, completeConfig(t), func(h *harness, _ *Options) {
		h.runner.Fail["ApplyUIApp"] = &steps.Error{Op: `create application "OpenMetadata"`, Meaning: "the Management API credentials lack the create:clients scope",
			Hint:   "add create:clients to application mgmtClientId in Auth0 > Applications > APIs > Auth0 Management API > Machine to Machine Applications",
			Status: 403, Code: "insufficient_scope", Auth0Message: "Insufficient scope, expected any of: create:clients"}
	})
	h.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
	if h.m.err == nil {
		t.Fatalf("no error view:\n%s", h.view())
	}
	requireGolden(t, h.asciiView())
}

// TestGoldenDeploymentPreview80x24 snapshots the Deployment preview on the
// smallest terminal supported: the checklist in short names, the JWKS line
// wrapped in the box, the keys that fit.
func TestGoldenDeploymentPreview80x24(t *testing.T) {
	h := walkToDeployPreview(t)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	requireGolden(t, h.asciiView())
}

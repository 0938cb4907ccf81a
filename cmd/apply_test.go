package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// Bad usage is exit 2 before any request: nothing changes anywhere.
func TestApplyUsage(t *testing.T) {
	dir := t.TempDir()
	auth0 := map[string]string{"AUTH0_DOMAIN": "http://127.0.0.1:1", "AUTH0_API_TOKEN": "t"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	principals := []string{"--admin", "alice", "--principal-domain", "example.com", "--out", dir}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"answers missing", []string{"apply", "--out", dir}, nil, "missing: --domain (or AUTH0_DOMAIN)"},
		{"no OpenMetadata credential", []string{"apply", "--answers", writeAnswers(t, dir)}, auth0, "apply needs an OpenMetadata administrator: give --om-token (or OM_ADMIN_TOKEN)"},
		{"two credentials", []string{"apply", "--answers", writeAnswers(t, dir), "--om-token", "x", "--om-admin-email", "a@b.c"},
			with(auth0, "OM_ADMIN_PASSWORD", "p"), "give one OpenMetadata credential"},
		{"bad URL", []string{"apply", "--answers", writeAnswers(t, dir), "--om-url", "ftp://om"}, with(auth0, "OM_ADMIN_TOKEN", "x"), "--om-url"},
		{"setup --apply without a credential", append([]string{"setup", "--no-input", "--apply", "--yes"}, principals...), auth0,
			"--apply needs an OpenMetadata administrator"},
		{"setup --apply without --yes", append([]string{"setup", "--no-input", "--apply"}, principals...), with(auth0, "OM_ADMIN_TOKEN", "x"),
			"pass --yes with --apply"},
		{"apply in an answers file without a credential", []string{"setup", "--no-input", "--yes", "--answers", writeFile(t, dir, "apply.yaml",
			"admins: [alice]\nprincipal_domain: example.com\napply: true\n")}, auth0, "--apply needs an OpenMetadata administrator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, stdout, stderr := iostreams.Test()
			ios.SetEnv(envOf(tc.env))
			if code := Main(tc.args, ios); code != ExitUsage || !strings.Contains(stderr.String(), tc.want) || stdout.Len() > 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q lacks %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

func writeAnswers(t *testing.T, dir string) string {
	t.Helper()
	return writeFile(t, dir, "answers.yaml", "admins: [alice]\nprincipal_domain: example.com\n")
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The confirmation: default No on a terminal (declined is exit 130), and
// without a terminal a usage error naming --yes.
func TestConfirmApply(t *testing.T) {
	plan := &apply.Plan{OMURL: "http://om", App: &steps.App{ClientID: "cid"}}
	for _, tc := range []struct {
		name, input string
		prompt      bool
		want        error
		exit        int
	}{
		{"enter takes the default, No", "\n", true, apply.ErrDeclined, ExitInterrupted},
		{"yes", "y\n", true, nil, ExitOK},
		{"no", "n\n", true, apply.ErrDeclined, ExitInterrupted},
		{"no terminal", "", false, nil, ExitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, in, _, stderr := iostreams.Test()
			ios.SetEnv(envOf(map[string]string{"ACCESSIBLE": "1"}))
			in.WriteString(tc.input)
			err := confirmApply(ios, applyChoices{Prompt: tc.prompt})(context.Background(), plan)
			if tc.want != nil && !errors.Is(err, tc.want) || tc.exit == ExitOK && err != nil {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.exit == ExitUsage && (ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "pass --yes")) {
				t.Fatalf("err = %v", err)
			}
			if tc.prompt && !strings.Contains(stderr.String(), "Store these SSO settings in OpenMetadata at http://om?") {
				t.Errorf("prompt:\n%s", stderr)
			}
		})
	}
}

// setup --no-input --apply --yes against the simulated tenant and
// OpenMetadata: the settings are stored, the answers file records the
// choice and no credential, and the JSON result holds apply's; a
// following apply finds nothing to change.
func TestSetupApplyAgainstSandbox(t *testing.T) {
	tn := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	om := omsim.NewTest(t, omsim.Options{Version: "2.1.0"})
	id, secret := tn.CreateM2MApp("ci", sandbox.WizardScopes)
	env := envOf(map[string]string{"AUTH0_DOMAIN": tn.URL(), "AUTH0_CLIENT_ID": id, "AUTH0_CLIENT_SECRET": secret, "OM_ADMIN_TOKEN": om.AdminToken()})
	ios, _, stdout, stderr := iostreams.Test()
	ios.SetEnv(env)
	out := filepath.Join(t.TempDir(), "out")
	code := Main([]string{"setup", "--no-input", "--yes", "--apply", "--om-url", om.URL(), "--target", "docker", "--admin", "alice@example.com",
		"--out", out, "--json"}, ios)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var res struct {
		UIApp struct {
			ClientID string `json:"client_id"`
		} `json:"ui_app"`
		Files []string      `json:"files"`
		Apply *apply.Result `json:"apply"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if res.Apply == nil || !res.Apply.Applied || !res.Apply.Confirmed || res.Apply.ClientID != res.UIApp.ClientID || len(res.Files) != 3 {
		t.Fatalf("result %s\nstderr %s", stdout, stderr)
	}
	if got := om.Settings().Authentication; got.Provider != "auth0" || got.ClientID != res.UIApp.ClientID {
		t.Errorf("stored %+v", got)
	}
	answers, err := os.ReadFile(filepath.Join(out, "answers.yaml"))
	if err != nil || !strings.Contains(string(answers), "\napply: true\n") || !strings.Contains(string(answers), "# apply: true needs an OpenMetadata administrator") ||
		strings.Contains(string(answers), om.AdminToken()) {
		t.Errorf("answers.yaml (%v):\n%s", err, answers)
	}
	if strings.Contains(stdout.String()+stderr.String(), om.AdminToken()) || strings.Contains(stdout.String()+stderr.String(), secret) {
		t.Error("a credential was printed")
	}

	om.ResetRequests()
	ios, _, stdout, stderr = iostreams.Test()
	ios.SetEnv(env)
	code = Main([]string{"apply", "--out", out, "--json"}, ios)
	var again apply.Result
	if err := json.Unmarshal(stdout.Bytes(), &again); err != nil || code != ExitOK || again.Applied {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, stdout, stderr)
	}
	for _, r := range om.Requests() {
		if r.Method == "PUT" || r.Path == omapi.PathValidate {
			t.Errorf("second apply sent %s %s", r.Method, r.Path)
		}
	}
	if !bytes.Contains(stderr.Bytes(), []byte("nothing to store")) {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// Ctrl+C while apply reads is an interrupt: exit 130.
func TestApplyInterrupted(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	ios.SetEnv(envOf(map[string]string{"AUTH0_DOMAIN": "acme.us.auth0.com", "AUTH0_API_TOKEN": "t", "OM_ADMIN_TOKEN": "x"}))
	var opts *ApplyOptions
	cmd := NewCmdApply(ios, func(_ context.Context, o *ApplyOptions) error { opts = o; return nil })
	cmd.SetArgs([]string{"--answers", writeAnswers(t, t.TempDir()), "--om-url", "http://127.0.0.1:1", "--yes"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opts.Connect = func(ctx context.Context, _ steps.ConnectRequest) (steps.Runner, error) {
		cancel()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err := applyRun(ctx, opts); ExitCode(err) != ExitInterrupted {
		t.Fatalf("applyRun = %v, exit %d", err, ExitCode(err))
	}
}

// setup --apply stores nothing in a dry run, nor for an OpenMetadata
// before 1.10, whose files the next steps apply: each says so, exit 0.
func TestSetupApplySkips(t *testing.T) {
	tn := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	id, secret := tn.CreateM2MApp("ci", sandbox.WizardScopes)
	for _, tc := range []struct {
		name, version string
		args          []string
		want          string
	}{
		{"dry run", "2.0.2", []string{"--dry-run"}, "--apply: a dry run stores nothing in OpenMetadata"},
		{"OpenMetadata 1.6", "1.6.4", nil, "--apply: OpenMetadata 1.6.4 reads its SSO settings from its files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			om := omsim.NewTest(t, omsim.Options{Version: tc.version})
			ios, _, _, stderr := iostreams.Test()
			ios.SetEnv(envOf(map[string]string{"AUTH0_DOMAIN": tn.URL(), "AUTH0_CLIENT_ID": id, "AUTH0_CLIENT_SECRET": secret, "OM_ADMIN_TOKEN": om.AdminToken()}))
			args := append([]string{"setup", "--no-input", "--yes", "--apply", "--om-url", om.URL(), "--target", "docker", "--admin", "alice@example.com",
				"--out", filepath.Join(t.TempDir(), "out")}, tc.args...)
			if code := Main(args, ios); code != ExitOK || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			for _, r := range om.Requests() {
				if r.Method == "PUT" || r.Path == omapi.PathValidate {
					t.Errorf("sent %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
)

// answerLines answers one line per Read, as a terminal in line mode does.
type answerLines []string

func (a *answerLines) Read(p []byte) (int, error) {
	if len(*a) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*a)[0]+"\n")
	*a = (*a)[1:]
	return n, nil
}

// closedURL is an http URL on which nothing listens: version detection fails fast.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestSandboxCommandFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := newSandboxCmd(ios)
	for name, def := range map[string]string{"out": "./openmetadata-auth0", "om-url": "", "accessible": "false", "reveal-secrets": "false", "state-file": ""} {
		f := cmd.Flags().Lookup(name)
		if f == nil || f.DefValue != def {
			t.Errorf("--%s: %+v, want default %q", name, f, def)
		}
	}
	if !cmd.Flags().Lookup("state-file").Hidden {
		t.Error("--state-file should be hidden")
	}
	if serve, _, err := cmd.Find([]string{"serve"}); err != nil || serve.Name() != "serve" {
		t.Errorf("no serve subcommand: %v", err)
	}
}

// Without a terminal the sandbox's TUI cannot run: a usage error, nothing started.
func TestSandboxNeedsATerminal(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := newSandboxCmd(ios)
	cmd.SetArgs([]string{"--out", t.TempDir()})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--accessible") {
		t.Fatalf("err = %v (exit %d)", err, ExitCode(err))
	}
}

// TestSandboxAccessible runs the whole wizard line by line against the real
// simulated tenant, Auth0 steps and renderers.
func TestSandboxAccessible(t *testing.T) {
	for _, tc := range []struct {
		name      string
		args      []string
		authority string
	}{
		{name: "http", authority: "AUTHENTICATION_AUTHORITY=http://127.0.0.1:"},
		{name: "tls", args: []string{"--tls"}, authority: "AUTHENTICATION_AUTHORITY=https://127.0.0.1:"},
	} {
		t.Run(tc.name, func(t *testing.T) { testSandboxAccessible(t, tc.args, tc.authority) })
	}
}

// testSandboxAccessible walks the whole wizard line by line against the real
// simulated tenant, steps and renderers, and checks the files and the tenant.
func testSandboxAccessible(t *testing.T, args []string, authority string) {
	ios, _, stdout, stderr := iostreams.Test()
	ios.In = &answerLines{
		"", "", "", "", "", // OpenMetadata URL, version, client type, create, name: the defaults
		"", // service account: skip (the default for 2.0)
		"", // the plan: create the application
		"1", "alice", "acme.com",
		"",  // write the Docker file
		"2", // apply to OpenMetadata: not now
		"",  // write the ingestion files (the JWT prompt needs a terminal and is skipped)
	}
	dir := t.TempDir()
	out, state := filepath.Join(dir, "out"), filepath.Join(dir, "state.json")
	cmd := newSandboxCmd(ios)
	cmd.SetArgs(append([]string{"--accessible", "--out", out, "--state-file", state, "--om-url", closedURL(t)}, args...))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("sandbox: %v\n%s", err, stderr)
	}
	env, err := os.ReadFile(filepath.Join(out, "docker", "openmetadata_auth0.env"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(env), authority) {
		t.Errorf("env file lacks %q:\n%s", authority, env)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout is not clean: %q", stdout)
	}
	for _, want := range []string{"Nothing real is created in Auth0", "Simulated tenant: nothing real is created in Auth0.",
		`+ create application "OpenMetadata"`, "== Deployment ==", "Auth0 SSO for OpenMetadata is set up on tenant"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	for _, rel := range []string{"docker/openmetadata_auth0.env", "ingestion/workflow-config.yaml", "answers.yaml"} {
		if _, err := os.Stat(filepath.Join(out, rel)); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}
	raw, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	var st sandboxState
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range st.Clients {
		if !c.Global {
			names = append(names, c.Name)
		}
	}
	if strings.Join(names, ",") != sandboxAppName+",OpenMetadata" {
		t.Errorf("tenant applications %q", names)
	}
	if info, err := os.Stat(state); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode: %v %v", info.Mode(), err)
	}
	if t.Failed() {
		t.Log(stderr)
	}
}

// Without --om-url the wizard points at the simulated OpenMetadata started
// beside the tenant, and detects its version.
func TestSandboxUsesSimulatedOpenMetadata(t *testing.T) {
	ios, _, _, stderr := iostreams.Test()
	ios.In = &answerLines{"", "", "", "", "", "", "", "1", "alice", "acme.com", "", "2", ""}
	out := filepath.Join(t.TempDir(), "out")
	cmd := newSandboxCmd(ios)
	cmd.SetArgs([]string{"--accessible", "--out", out})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("sandbox: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr.String(), "detected "+sandboxOMVersion+" from /api/v1/system/version") {
		t.Fatalf("version not detected:\n%s", stderr)
	}
	env, err := os.ReadFile(filepath.Join(out, "docker", "openmetadata_auth0.env"))
	if err != nil {
		t.Fatal(err)
	}
	callback := regexp.MustCompile(`(?m)^AUTHENTICATION_CALLBACK_URL=http://127\.0\.0\.1:[0-9]+/callback$`)
	if !callback.Match(env) {
		t.Fatalf("env file does not point at the simulated OpenMetadata:\n%s", env)
	}
}

// When the answers run out the wizard stops like Ctrl+C: exit 130.
func TestSandboxInterruptedIsExit130(t *testing.T) {
	ios, _, _, stderr := iostreams.Test()
	ios.In = &answerLines{""}
	cmd := newSandboxCmd(ios)
	cmd.SetArgs([]string{"--accessible", "--out", t.TempDir(), "--om-url", closedURL(t)})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	if !errors.Is(err, ErrInterrupted) || ExitCode(err) != ExitInterrupted {
		t.Fatalf("err = %v (exit %d)\n%s", err, ExitCode(err), stderr)
	}
	if !strings.Contains(stderr.String(), "Nothing was created in Auth0.") {
		t.Fatalf("stderr:\n%s", stderr)
	}
}

// "Check it now?" after Done runs doctor against the simulated OpenMetadata
// (over https too) with its admin token, which is never shown: the fresh
// installation still signs in with basic auth, so om.provider fails with
// the remedy of 2.0, and the run still ends with exit 0.
func TestSandboxCheckIt(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{{"http", nil}, {"tls", []string{"--tls"}}} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, stderr := iostreams.Test()
			ios.In = &answerLines{"", "", "", "", "", "", "", "1", "alice", "acme.com", "",
				"2", // apply to OpenMetadata: not now
				"",
				"y", // check it now
				"",  // run the checks again: no
			}
			cmd := newSandboxCmd(ios)
			cmd.SetArgs(append([]string{"--accessible", "--out", filepath.Join(t.TempDir(), "out")}, tc.args...))
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			if err := cmd.ExecuteContext(context.Background()); err != nil {
				t.Fatalf("sandbox: %v (exit %d)\n%s", err, ExitCode(err), stderr)
			}
			out := stderr.String()
			for _, want := range []string{"Check it now? [y/N]", "✗ om.provider", `the provider is "basic"`, "om-auth0 apply",
				"✓ om.credential", "✓ auth0.discovery", "✓ auth0.app ", "the run ends with exit status 0"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if strings.Contains(out, "Skipped for want of") {
				t.Error("a check was skipped for want of a credential the sandbox has")
			}
			if tok := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`).FindString(out); tok != "" {
				t.Errorf("a token is shown: %s", tok)
			}
			if t.Failed() {
				t.Log(out)
			}
		})
	}
}

// The simulated OpenMetadata's admin token goes to it alone: checking
// another OpenMetadata URL sends no token there.
func TestSandboxCheckKeepsTheTokenHome(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/api/v1/system/version" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"version":"2.0.2"}`)
			return
		}
		http.NotFound(w, r)
	}))
	defer other.Close()
	ios, _, _, stderr := iostreams.Test()
	ios.In = &answerLines{"", "", "", "", "", "", "", "1", "alice", "acme.com", "", "2", "", "y", ""}
	cmd := newSandboxCmd(ios)
	cmd.SetArgs([]string{"--accessible", "--out", filepath.Join(t.TempDir(), "out"), "--om-url", other.URL})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("sandbox: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr.String(), "Skipped for want of an OpenMetadata admin credential") {
		t.Errorf("the admin checks did not skip:\n%s", stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) < 2 {
		t.Fatalf("the check did not reach the other OpenMetadata: %d requests", len(auth))
	}
	for _, a := range auth {
		if a != "" {
			t.Fatalf("the other OpenMetadata got Authorization %q", a)
		}
	}
}

// "Apply to OpenMetadata" in the accessible prompts stores the settings in
// the simulated OpenMetadata with its admin token (never shown), and the
// check after Done then finds every check passing: om.provider is auth0.
// answers.yaml records the choice, not the credential.
func TestSandboxAccessibleApply(t *testing.T) {
	ios, _, _, stderr := iostreams.Test()
	ios.In = &answerLines{"", "", "", "", "", "", "", "1", "alice", "acme.com", "",
		"",  // apply to OpenMetadata: now
		"y", // store these settings
		"",  // write the ingestion files
		"y", // check it now
		"",  // run the checks again: no
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := newSandboxCmd(ios)
	cmd.SetArgs([]string{"--accessible", "--out", out})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("sandbox: %v (exit %d)\n%s", err, ExitCode(err), stderr)
	}
	text := stderr.String()
	for _, want := range []string{"== Apply to OpenMetadata ==", "Plan for OpenMetadata " + sandboxOMVersion, "~ provider", "basic → auth0",
		"✓ OpenMetadata's validation passed", "Store these settings in OpenMetadata? [y/N]",
		"✓ Stored the SSO settings in OpenMetadata at", "✓ Read them back", `Browser sessions signed in with "basic" end now`,
		"✓ om.provider", "the run ends with exit status 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if i := strings.Index(text, "Check it now?"); i < 0 || strings.Contains(text[i:], "✗") {
		t.Errorf("a check failed after the apply")
	}
	if tok := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`).FindString(text); tok != "" {
		t.Errorf("a token is shown: %s", tok)
	}
	answers, err := os.ReadFile(filepath.Join(out, "answers.yaml"))
	if err != nil || !strings.Contains(string(answers), "\napply: true\n") {
		t.Errorf("answers.yaml does not record the apply (%v):\n%s", err, answers)
	}
	if t.Failed() {
		t.Log(text)
	}
}

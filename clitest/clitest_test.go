// Package clitest runs the built om-auth0 binary as a subprocess against a
// simulated Auth0 tenant (sandbox), the way a script would: the command-line
// contract the README describes (flags, environment, answers file, exit
// codes, stdout and stderr) seen from outside.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
)

// bin is the om-auth0 binary, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "om-auth0-clitest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "clitest:", err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "om-auth0")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".." // the module root, where main.go is
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "clitest: go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// run runs om-auth0 in dir with only the given environment (plus PATH and a
// HOME of its own), stdin from a pipe (so never a terminal), and args.
func run(t *testing.T, dir string, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	default:
		t.Fatalf("run om-auth0 %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// tenant is a simulated tenant with a Management API application holding
// exactly the scopes om-auth0 needs.
type tenant struct {
	*sandbox.Server
	clientID, secret string
}

func newTenant(t *testing.T) *tenant {
	t.Helper()
	s := sandbox.NewTest(t, sandbox.Options{RateLimit: -1, TenantName: "CI tenant"})
	id, secret := s.CreateM2MApp("om-auth0 CI", sandbox.WizardScopes)
	return &tenant{Server: s, clientID: id, secret: secret}
}

// env is the tenant and its Management API credentials, as a script exports them.
func (tn *tenant) env(extra ...string) []string {
	return append([]string{"AUTH0_DOMAIN=" + tn.URL(), "AUTH0_CLIENT_ID=" + tn.clientID, "AUTH0_CLIENT_SECRET=" + tn.secret}, extra...)
}

// writes are the requests of the log that change the tenant.
func (tn *tenant) writes() []string {
	var out []string
	for _, r := range tn.Requests() {
		if strings.HasPrefix(r.Path, "/api/v2/") && r.Method != "GET" && r.Method != "HEAD" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// state is the tenant's applications and grants, for before/after comparisons.
func (tn *tenant) state(t *testing.T) string {
	t.Helper()
	data, err := json.Marshal(struct {
		Clients []sandbox.ClientState
		Grants  []sandbox.GrantState
	}{tn.Clients(), tn.ClientGrants()})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// client is the application named name.
func (tn *tenant) client(t *testing.T, name string) sandbox.ClientState {
	t.Helper()
	var found []sandbox.ClientState
	for _, c := range tn.Clients() {
		if c.Name == name {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d applications named %q, want 1: %+v", len(found), name, tn.Clients())
	}
	return found[0]
}

// token is a Management API token of the CI application.
func (tn *tenant) token(t *testing.T) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {tn.clientID}, "client_secret": {tn.secret},
		"audience": {tn.URL() + "/api/v2/"}}
	resp, err := http.PostForm(tn.URL()+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("management token: %v (status %d)", err, resp.StatusCode)
	}
	return tok.AccessToken
}

// patchClient changes an application through the Management API, as someone
// in the Dashboard would.
func (tn *tenant) patchClient(t *testing.T, clientID, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPatch, tn.URL()+"/api/v2/clients/"+clientID, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tn.token(t))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH client: %s", resp.Status)
	}
}

// file is one output file's contents and mode.
type file struct {
	data string
	mode fs.FileMode
}

// snapshot reads every file under dir; nil when dir does not exist.
func snapshot(t *testing.T, dir string) map[string]file {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	files := map[string]file{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = file{string(data), info.Mode().Perm()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func keys(m map[string]file) []string { return slices.Sorted(maps.Keys(m)) }

// parseResult decodes --json output, which must be one JSON object and nothing else.
func parseResult(t *testing.T, stdout string) setup.Result {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var res setup.Result
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if rest := strings.TrimSpace(stdout[dec.InputOffset():]); rest != "" {
		t.Fatalf("stdout holds more than the JSON result: %q", rest)
	}
	return res
}

package cmd

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

const (
	removeOMURL = "https://om.example.com"
	otherOMURL  = "https://staging.example.com"
)

// removeTenant is a simulated tenant where setup ran for removeOMURL and
// otherOMURL (each with a separate service account and its grant), beside an
// unrelated application. It returns the environment a script would export.
func removeTenant(t *testing.T, scopes []string) (*sandbox.Server, map[string]string) {
	t.Helper()
	srv := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	id, secret := srv.CreateM2MApp("om-auth0 admin", scopes)
	env := map[string]string{"AUTH0_DOMAIN": srv.URL(), "AUTH0_CLIENT_ID": id, "AUTH0_CLIENT_SECRET": secret}
	setupScopes := append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...)
	setupID, setupSecret := srv.CreateM2MApp("om-auth0 setup", setupScopes)
	setupEnv := map[string]string{"AUTH0_DOMAIN": srv.URL(), "AUTH0_CLIENT_ID": setupID, "AUTH0_CLIENT_SECRET": setupSecret}
	for _, url := range []string{removeOMURL, otherOMURL} {
		code, out, errOut := runMain(t, setupEnv, false, "", "setup", "--no-input", "--yes", "--om-url", url, "--om-version", "1.0.2",
			"--admin", "alice", "--principal-domain", "example.com", "--out", t.TempDir())
		if code != ExitOK {
			t.Fatalf("setup for %s: exit %d\n%s\n%s", url, code, out, errOut)
		}
	}
	if _, err := srv.SeedApp("Payroll", "", "spa"); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return srv, env
}

// runMain runs om-auth0 in process, with a terminal or not.
func runMain(t *testing.T, env map[string]string, tty bool, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	ios.SetTTY(tty)
	ios.SetEnv(envOf(env))
	in.WriteString(stdin)
	code = Main(args, ios)
	return code, out.String(), errOut.String()
}

// markedApps are the client ids of the applications marked for url.
func markedApps(srv *sandbox.Server, url string) []string {
	var out []string
	for _, c := range srv.Clients() {
		if c.ClientMetadata[steps.MarkerOMURL] == url {
			out = append(out, c.ClientID)
		}
	}
	return out
}

// deletes are the DELETE requests the tenant received.
func deletes(srv *sandbox.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Method == "DELETE" {
			out = append(out, r.Path)
		}
	}
	return out
}

// snapshotOf is the applications and grants other than those marked for removeOMURL.
func snapshotOf(t *testing.T, srv *sandbox.Server) string {
	t.Helper()
	marked := markedApps(srv, removeOMURL)
	var apps []sandbox.ClientState
	for _, c := range srv.Clients() {
		if !slices.Contains(marked, c.ClientID) {
			apps = append(apps, c)
		}
	}
	var grants []sandbox.GrantState
	for _, g := range srv.ClientGrants() {
		if !slices.Contains(marked, g.ClientID) {
			grants = append(grants, g)
		}
	}
	data, err := json.Marshal(struct {
		Apps   []sandbox.ClientState
		Grants []sandbox.GrantState
	}{apps, grants})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestRemove(t *testing.T) {
	allScopes := append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...)
	tests := []struct {
		name    string
		tty     bool
		stdin   string
		args    []string
		code    int
		deleted bool
		out     []string // in stdout
		errOut  []string // in stderr
	}{
		{name: "yes", args: []string{"--yes"}, code: ExitOK, deleted: true,
			out:    []string{"- delete client grant", "- delete application \"OpenMetadata Ingestion Bot\"", "- delete application \"OpenMetadata\"", "Removed from tenant"},
			errOut: []string{"connected to tenant", "deleted client grant", "deleted application \"OpenMetadata\""}},
		{name: "no terminal, no --yes", code: ExitUsage,
			out: []string{"- delete application \"OpenMetadata\""}, errOut: []string{"pass --yes", "nothing was deleted"}},
		{name: "terminal, --no-input", tty: true, args: []string{"--no-input"}, code: ExitUsage, errOut: []string{"pass --yes"}},
		{name: "answered yes", tty: true, stdin: "y\n", code: ExitOK, deleted: true, errOut: []string{"Delete these 3 from tenant", "[y/N]"}},
		{name: "answered no", tty: true, stdin: "n\n", code: ExitOK, out: []string{"Nothing was deleted."}, errOut: []string{"[y/N]"}},
		{name: "end of input", tty: true, stdin: "", code: ExitOK, out: []string{"Nothing was deleted."}},
		{name: "dry run", tty: true, args: []string{"--dry-run"}, code: ExitOK,
			out: []string{"(dry run: nothing is deleted)", "- delete client grant"}, errOut: []string{"nothing was deleted"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, env := removeTenant(t, allScopes)
			before := snapshotOf(t, srv)
			marked := markedApps(srv, removeOMURL)
			if len(marked) != 2 {
				t.Fatalf("setup marked %d applications, want 2", len(marked))
			}
			// The full-screen prompt needs a real terminal (the end-to-end
			// tests drive it); the line-by-line one reads these lines.
			env["ACCESSIBLE"] = "1"
			args := append([]string{"remove", "--om-url", removeOMURL + "/"}, tc.args...)
			code, out, errOut := runMain(t, env, tc.tty, tc.stdin, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n--- stdout\n%s--- stderr\n%s", code, tc.code, out, errOut)
			}
			for _, want := range tc.out {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			for _, want := range tc.errOut {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			left := markedApps(srv, removeOMURL)
			switch {
			case tc.deleted && len(left) != 0:
				t.Errorf("still marked for %s: %v", removeOMURL, left)
			case !tc.deleted && (len(left) != 2 || len(deletes(srv)) != 0):
				t.Errorf("deleted although it should not: DELETEs %v, marked left %v", deletes(srv), left)
			}
			if after := snapshotOf(t, srv); after != before {
				t.Errorf("other applications or grants changed:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// TestRemoveJSONAndNothingLeft: --json is the result on stdout alone; a
// second remove finds nothing and says so, exit 0.
func TestRemoveJSONAndNothingLeft(t *testing.T) {
	srv, env := removeTenant(t, append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...))
	code, out, errOut := runMain(t, env, false, "", "remove", "--om-url", removeOMURL, "--yes", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var res guide.RemoveResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, out)
	}
	if res.Tenant != srv.URL() || res.OMURL != removeOMURL || len(res.Plan) != 3 || len(res.Deleted) != 3 || res.Error != nil {
		t.Errorf("result = %+v", res)
	}
	if !strings.Contains(errOut, "Removed from tenant") {
		t.Errorf("the report goes to stderr with --json:\n%s", errOut)
	}

	code, out, errOut = runMain(t, env, false, "", "remove", "--om-url", removeOMURL)
	if code != ExitOK || !strings.Contains(out, "Nothing to remove") {
		t.Fatalf("second remove: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestRemoveRefusals: what is wrong is said before anything is deleted.
func TestRemoveRefusals(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		env    func(map[string]string)
		args   []string
		code   int
		want   []string
	}{
		{name: "missing delete scopes", scopes: sandbox.WizardScopes, code: ExitFailure,
			want: []string{"lack 1 scope(s)", "needs: delete:client_grants", "Machine To Machine Applications"}},
		{name: "no tenant", env: func(m map[string]string) { delete(m, "AUTH0_DOMAIN") }, code: ExitUsage,
			want: []string{"missing: --domain (or AUTH0_DOMAIN)", "om-auth0 remove --help"}},
		{name: "no secret", env: func(m map[string]string) { delete(m, "AUTH0_CLIENT_SECRET") }, code: ExitUsage,
			want: []string{"--client-secret (or AUTH0_CLIENT_SECRET)"}},
		{name: "bad URL", args: []string{"--om-url", "om.example.com"}, code: ExitUsage, want: []string{"--om-url"}},
		{name: "an argument", args: []string{"everything"}, code: ExitUsage, want: []string{"unknown command", "remove --help"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scopes := tc.scopes
			if scopes == nil {
				scopes = append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...)
			}
			srv, env := removeTenant(t, scopes)
			if tc.env != nil {
				tc.env(env)
			}
			args := append([]string{"remove", "--yes", "--om-url", removeOMURL}, tc.args...)
			code, out, errOut := runMain(t, env, false, "", args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if d := deletes(srv); len(d) != 0 {
				t.Errorf("deleted %v", d)
			}
		})
	}
}

// TestRemoveConfirmationInterrupted: Ctrl+C at the line-by-line prompt,
// which reads stdin without watching the context, ends it at once as an
// interrupt (exit 130), not as a "no".
func TestRemoveConfirmationInterrupted(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	r, w := io.Pipe() // stdin that never ends a line
	defer w.Close()
	ios.In = r
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := confirmRemoval(ios, "acme.us.auth0.com", true)(ctx, &steps.RemovePlan{OMURL: removeOMURL})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if ExitCode(err) != ExitInterrupted {
			t.Fatalf("err = %v (exit %d), want an interrupt", err, ExitCode(err))
		}
	case <-time.After(time.Second):
		t.Fatal("the prompt did not end on Ctrl+C")
	}
}

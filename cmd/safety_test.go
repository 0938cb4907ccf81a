package cmd

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// safeTenant is a simulated tenant with om-auth0's Management API application.
type safeTenant struct {
	*sandbox.Server
	id, secret string
}

func newSafeTenant(t *testing.T, scopes []string) *safeTenant {
	t.Helper()
	tn := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	id, secret := tn.CreateM2MApp("om-auth0 ci", scopes)
	return &safeTenant{Server: tn, id: id, secret: secret}
}

// setup runs `om-auth0 setup --no-input` for OpenMetadata 1.0.2 (a
// separate service account) with env and extra flags, and returns the exit
// code and stderr.
func (tn *safeTenant) setup(t *testing.T, env map[string]string, extra ...string) (int, string) {
	t.Helper()
	ios, _, _, stderr := iostreams.Test()
	e := map[string]string{"AUTH0_DOMAIN": tn.URL(), "AUTH0_CLIENT_ID": tn.id, "AUTH0_CLIENT_SECRET": tn.secret}
	for k, v := range env {
		e[k] = v
	}
	ios.SetEnv(envOf(e))
	args := append([]string{"setup", "--no-input", "--om-url", "https://om.example.com", "--om-version", "1.0.2", "--target", "docker",
		"--admin", "alice", "--principal-domain", "example.com", "--scopes", "read:clients", "--out", filepath.Join(t.TempDir(), "out")}, extra...)
	code := Main(args, ios)
	return code, stderr.String()
}

// writes are the Management API requests that changed the tenant.
func (tn *safeTenant) writes() []string {
	var out []string
	for _, r := range tn.Requests() {
		if r.Method != http.MethodGet && strings.HasPrefix(r.Path, "/api/v2/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// Answers the tenant shows wrong are bad input (exit 2), refused before any
// write: --app-id naming the Management API application (by its client
// credentials or an API token issued to it), a scope the Management API
// does not define, and a breaking change without --yes.
func TestSetupRefusesBeforeAnyWrite(t *testing.T) {
	tests := map[string]struct {
		token    bool // connect with an API token issued to the Management API application
		extra    []string
		arrange  func(t *testing.T, tn *safeTenant)
		wantText string
	}{
		"--app-id names the Management API application": {extra: []string{"--app-id", "SELF"},
			wantText: "is the Management API application om-auth0 is connected with"},
		"--app-id names the application an API token was issued to": {token: true, extra: []string{"--app-id", "SELF"},
			wantText: "is the Management API application om-auth0 is connected with"},
		"--scopes names a scope the tenant does not define": {extra: []string{"--scopes", "read:clients,read:everything"},
			wantText: "the Auth0 Management API defines no scope read:everything"},
		"restoring a grant type removed by hand needs --yes": {arrange: func(t *testing.T, tn *safeTenant) {
			if code, stderr := tn.setup(t, nil); code != ExitOK {
				t.Fatalf("first run: exit %d\n%s", code, stderr)
			}
			m, err := management.New(tn.Domain().Host, management.WithInsecure(),
				management.WithClientCredentials(context.Background(), tn.id, tn.secret), management.WithNoRetries())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tn.Clients() {
				if c.ClientMetadata[steps.MarkerRole] == steps.RoleUI {
					if err := m.Client.Update(context.Background(), c.ClientID, &management.Client{GrantTypes: &[]string{"authorization_code"}}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}, wantText: "grant_types from authorization_code to authorization_code, refresh_token; pass --yes to accept this"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tn := newSafeTenant(t, sandbox.WizardScopes)
			if tc.arrange != nil {
				tc.arrange(t, tn)
			}
			env := map[string]string{}
			if tc.token {
				tr, err := auth0http.RequestToken(context.Background(), http.DefaultClient, tn.Domain().TokenURL(),
					tn.Domain().ManagementAudience(), tn.id, tn.secret, auth0http.StyleForm)
				if err != nil {
					t.Fatal(err)
				}
				env = map[string]string{"AUTH0_CLIENT_ID": "", "AUTH0_CLIENT_SECRET": "", "AUTH0_API_TOKEN": tr.AccessToken}
			}
			extra := make([]string, len(tc.extra))
			for i, a := range tc.extra {
				extra[i] = strings.ReplaceAll(a, "SELF", tn.id)
			}
			tn.ResetRequests()
			code, stderr := tn.setup(t, env, extra...)
			if code != ExitUsage || !strings.Contains(stderr, tc.wantText) {
				t.Fatalf("exit %d, want %d naming %q\n%s", code, ExitUsage, tc.wantText, stderr)
			}
			if w := tn.writes(); len(w) > 0 {
				t.Errorf("wrote %v before refusing", w)
			}
		})
	}
}

// After a 503 and then a lost answer on the retried create, the failure
// names the application the tenant now holds, read from the tenant.
func TestSetupLostCreateIsNamed(t *testing.T) {
	tn := newSafeTenant(t, sandbox.WizardScopes)
	// Both on the UI application's create: the service account's is sent at the same time.
	spa := `"app_type":"spa"`
	tn.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", RequestBody: spa, Status: http.StatusServiceUnavailable})
	tn.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", RequestBody: spa, DropAfterCommit: true})
	code, stderr := tn.setup(t, nil)
	var held string
	for _, c := range tn.Clients() {
		if c.ClientMetadata[steps.MarkerRole] == steps.RoleUI {
			held = c.ClientID
		}
	}
	want := `application "OpenMetadata" (` + held + ")"
	if code != ExitFailure || held == "" || !strings.Contains(stderr, "Already created in Auth0") || !strings.Contains(stderr, want) ||
		strings.Contains(stderr, "Nothing was created") {
		t.Fatalf("exit %d, want %d with %q\n%s", code, ExitFailure, want, stderr)
	}
}

// 20 pairs of simultaneous non-interactive runs, each pair on its own
// tenant: both runs of a pair succeed, the tenant holds exactly one UI
// application, one service account and one grant, and a third run writes nothing.
func TestSimultaneousSetupsConverge(t *testing.T) {
	for pair := range 20 {
		tn := newSafeTenant(t, sandbox.WizardScopes)
		var wg sync.WaitGroup
		codes, stderrs := make([]int, 2), make([]string, 2)
		for i := range 2 {
			wg.Go(func() { codes[i], stderrs[i] = tn.setup(t, nil) })
		}
		wg.Wait()
		for i := range 2 {
			if codes[i] != ExitOK {
				t.Errorf("pair %d, run %d: exit %d\n%s", pair, i, codes[i], stderrs[i])
			}
		}
		var ui, bot []string
		for _, c := range tn.Clients() {
			switch c.ClientMetadata[steps.MarkerRole] {
			case steps.RoleUI:
				ui = append(ui, c.ClientID)
			case steps.RoleBot:
				bot = append(bot, c.ClientID)
			}
		}
		if len(ui) != 1 || len(bot) != 1 {
			t.Fatalf("pair %d: UI applications %v, service accounts %v", pair, ui, bot)
		}
		grants := 0
		for _, g := range tn.ClientGrants() {
			if g.ClientID == bot[0] {
				grants++
			}
		}
		if grants != 1 {
			t.Errorf("pair %d: %d grants for the service account", pair, grants)
		}
		tn.ResetRequests()
		if code, stderr := tn.setup(t, nil); code != ExitOK {
			t.Fatalf("pair %d, third run: exit %d\n%s", pair, code, stderr)
		}
		if w := tn.writes(); len(w) > 0 {
			t.Errorf("pair %d: the third run wrote %v", pair, w)
		}
	}
}
